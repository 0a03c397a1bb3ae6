"""The alarm banner on every screen, and the audible annunciation behind it.

The banner shows the newest alarm of the highest priority that is still
unacknowledged, the counts of unacknowledged and active alarms, and how many
are hidden (shelved, suppressed, out of service), so nothing is out of sight
without saying so. A tap opens the alarm page. The horn sounds per priority
for new unacknowledged alarms until someone silences it or acknowledges them;
silencing never acknowledges.
"""

from __future__ import annotations

import logging
import math
import struct
import tempfile
import wave
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from hmi.domain.alarms import HIDDEN_STATES, AlarmState, AlarmView, Priority
from hmi.domain.plant import PlantDef
from hmi.gui import theme
from hmi.gui.alarms.look import priority_color, priority_icon, priority_text
from hmi.gui.multimedia import quiet_multimedia
from hmi.gui.touch import TouchButton

log = logging.getLogger(__name__)


def newest_highest(views: Iterable[AlarmView]) -> AlarmView | None:
    """The alarm the banner shows: highest priority unacknowledged, newest among those."""
    unack = [v for v in views if v.state is AlarmState.UNACK]
    if not unack:
        return None
    return max(unack, key=lambda v: (int(v.priority), v.active_since or v.last_change, v.id))


class Annunciator(QObject):
    """Which priority sounds, and the sound itself (a tone per priority, generated once).

    ``sounding`` is the highest priority of unacknowledged alarms that became
    so after the last silence, or None. With ``audible`` False (tests) only the
    state changes. ``problem`` says why a horn that should sound cannot (no
    sound device, no QtMultimedia), for the banner: a horn that is silent
    without saying so is worse than none. ``outputs`` lists the sound devices
    (QtMultimedia's by default).

    Signals:
        changed(object): the sounding priority (or None).
        problem_changed(str): why the horn cannot sound ("" when it can).
    """

    changed = Signal(object)
    problem_changed = Signal(str)

    def __init__(
        self,
        audible: bool = True,
        parent: QObject | None = None,
        outputs: Callable[[], list[str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.audible = audible
        self.sounding: Priority | None = None
        self.problem = ""
        self._silenced: set[str] = set()  # unacked alarms heard and silenced
        self._effects: dict[Priority, object] = {}
        self._outputs = outputs
        if audible:
            self.check_outputs()

    def check_outputs(self) -> None:
        """Whether the horn can sound; again when the sound devices change."""
        problem = ""
        quiet_multimedia()
        if self._outputs is None:
            try:
                from PySide6.QtMultimedia import QMediaDevices  # noqa: PLC0415 - optional
            except ImportError as exc:
                log.warning("alarm horn: QtMultimedia is not available (%s)", exc)
                problem = self.tr("No horn: this build has no sound")
            else:
                devices = self._devices = QMediaDevices(self)
                devices.audioOutputsChanged.connect(self.check_outputs)
                self._outputs = lambda: [d.description() for d in QMediaDevices.audioOutputs()]
        outputs = self._outputs() if self._outputs is not None else []
        if not problem and not outputs:
            problem = self.tr("No horn: no sound device")
        if problem != self.problem:
            self.problem = problem
            if problem:
                log.warning("alarm horn: %s", problem)
            else:
                log.info("alarm horn: sounds on %s", ", ".join(outputs))
                self._play(self.sounding)  # a device came back while an alarm was sounding
            self.problem_changed.emit(problem)

    def update(self, views: Iterable[AlarmView]) -> None:
        unack = {v.id: v for v in views if v.state is AlarmState.UNACK}
        self._silenced &= set(unack)  # an alarm that comes back unacked sounds again
        loud = [v.priority for i, v in unack.items() if i not in self._silenced]
        sounding = max(loud) if loud else None
        if sounding != self.sounding:
            self.sounding = sounding
            self._play(sounding)
            self.changed.emit(sounding)

    def silence(self, views: Iterable[AlarmView]) -> None:
        self._silenced |= {v.id for v in views if v.state is AlarmState.UNACK}
        if self.sounding is not None:
            self.sounding = None
            self._play(None)
            self.changed.emit(None)

    def _play(self, priority: Priority | None) -> None:
        if not self.audible or self.problem:
            return
        from PySide6.QtMultimedia import QSoundEffect  # noqa: PLC0415 - checked at the start

        for effect in self._effects.values():
            effect.stop()  # type: ignore[attr-defined]
        if priority is None:
            return
        effect = self._effects.get(priority)
        if effect is None:
            sound = QSoundEffect(self)
            sound.setSource(QUrl.fromLocalFile(str(_tone(priority))))
            sound.setLoopCount(QSoundEffect.Loop.Infinite.value)
            effect = self._effects[priority] = sound
        effect.play()  # type: ignore[attr-defined]


# Higher priorities: higher pitch, faster pulses (ISA-18.2 asks for a distinct sound each).
TONES = {
    Priority.LOW: (440.0, 0.5),
    Priority.MEDIUM: (660.0, 0.35),
    Priority.HIGH: (880.0, 0.2),
    Priority.CRITICAL: (1100.0, 0.1),
}


def _tone(priority: Priority) -> Path:
    """A short pulsed tone as a WAV file in the temporary folder (made once per run)."""
    path = Path(tempfile.gettempdir()) / f"floorline-alarm-{priority.name.lower()}.wav"
    if path.exists():
        return path
    pitch, pulse = TONES[priority]
    rate = 22050
    frames = bytearray()
    for i in range(int(rate * pulse * 2)):
        on = (i / rate) % (pulse * 2) < pulse
        sample = math.sin(2 * math.pi * pitch * i / rate) * 0.5 if on else 0.0
        frames += struct.pack("<h", int(sample * 32767))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return path


class AlarmBanner(QWidget):
    """A strip across the top of every screen.

    Signals:
        opened(str): the operator tapped the banner; the id of the alarm shown or "".
        silence_requested(): the Silence button.
    """

    opened = Signal(str)
    silence_requested = Signal()

    def __init__(self, plant: PlantDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._stations = {s.id: s.name for s in plant.stations}
        touch = theme.touch_min_px()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 2, 12, 8)  # the lock banner below is a target too
        layout.setSpacing(12)
        self.icon = QLabel()
        self.icon.setFixedSize(36, 36)
        self.text = QLabel()
        self.text.setFont(theme.font(theme.BASE_PT + 1, bold=True))
        self.counts = QLabel()
        self.counts.setFont(theme.font(theme.BASE_PT))
        self.silence = TouchButton(self.tr("Silence"), touch * 3, touch)
        self.silence.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.silence.clicked.connect(self.silence_requested)
        self.horn = QLabel()  # why the horn cannot sound, if it cannot
        self.horn.setObjectName("problem")
        self.horn.hide()
        for label in (self.icon, self.text, self.horn, self.counts):
            label.setStyleSheet("background: transparent;")
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.horn)
        layout.addWidget(self.counts)
        layout.addWidget(self.silence)
        self.shown_id = ""
        # Never squeezed by a tall page: Silence keeps its size and its gap to the lock banner.
        self.setFixedHeight(max(touch, self.silence.sizeHint().height()) + 10)
        self.show_alarms([], None)

    def show_horn(self, problem: str) -> None:
        """Why the horn cannot sound, beside the counts; hidden while it can."""
        self.horn.setText(f"⚠ {problem}")
        self.horn.setVisible(bool(problem))

    def show_alarms(self, views: list[AlarmView], sounding: Priority | None) -> None:
        top = newest_highest(views)
        unack = sum(v.state in (AlarmState.UNACK, AlarmState.RTNUN) for v in views)
        active = sum(v.active and v.state not in HIDDEN_STATES for v in views)
        hidden = sum(v.state in HIDDEN_STATES for v in views)
        self.counts.setText(
            self.tr("Unacknowledged %1 · Active %2 · Hidden %3")
            .replace("%1", str(unack))
            .replace("%2", str(active))
            .replace("%3", str(hidden))
        )
        self.silence.setEnabled(sounding is not None)
        self.silence.setText(self.tr("Silence") if sounding is not None else self.tr("Silent"))
        if top is None:
            self.shown_id = ""
            self.icon.clear()
            self.icon.setVisible(False)
            self.text.setText(self.tr("No unacknowledged alarms"))
            self.setStyleSheet(
                f"QWidget#alarmBanner {{ background: {theme.PANEL};"
                f" border-bottom: 1px solid {theme.PANEL_EDGE}; }}"
            )
            return
        self.shown_id = top.id
        self.icon.setVisible(True)
        self.icon.setPixmap(priority_icon(top.priority, 32))
        stamp = datetime.fromtimestamp(top.active_since or top.last_change).strftime("%H:%M:%S")
        station = self._stations.get(top.station, top.station)
        self.text.setText(f"{priority_text(top.priority)}  {stamp}  {station} — {top.message}")
        self.setStyleSheet(
            f"QWidget#alarmBanner {{ background: {theme.PANEL};"
            f" border-bottom: 4px solid {priority_color(top.priority)}; }}"
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.opened.emit(self.shown_id)
        event.accept()
