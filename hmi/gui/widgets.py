"""Small widgets shared by the pages: machine-state badge, a live value readout."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from hmi.domain.plant import MachineState, StationDef, TagDef
from hmi.domain.quality import Quality
from hmi.domain.tags import TagValue
from hmi.gui import theme
from hmi.gui.text import format_value


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" instead of widening its parent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment()), text)


class StateBadge(QLabel):
    """A station's machine state as shape, word and (only when abnormal) colour.

    When the state tag itself is not trustworthy, the badge says so instead of
    showing a state that may be old.
    """

    def __init__(self, station: StationDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self.setFont(theme.font(theme.VALUE_PT, bold=True))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumHeight(48)
        self.setMinimumWidth(210)
        self.state: MachineState = MachineState.UNKNOWN
        self._styled: tuple[str, str, bool] | None = None
        self.show_sample(None)

    def show_sample(self, sample: TagValue | None) -> None:
        if sample is None or sample.value is None or not sample.quality.usable:
            quality = sample.quality if sample is not None else Quality.NO_CONNECTION
            look = theme.quality_look(quality)
            self.state = MachineState.UNKNOWN
            self.setText(f"{look.symbol} {look.word}")
            self.setToolTip(self.tr("The machine state is not known: %1").replace("%1", look.word))
            self._style(look.ink, "#cbcbcb", dashed=True)
            return
        self.state = self._station.machine_state(sample.value)
        look = theme.state_look(self.state)
        self.setToolTip("")
        self.setText(f"{look.symbol} {look.word}")
        self._style(look.ink, look.fill or theme.PANEL, dashed=False)

    def _style(self, ink: str, fill: str, dashed: bool) -> None:
        if self._styled == (ink, fill, dashed):
            return
        self._styled = (ink, fill, dashed)
        border = "2px dashed #7a7a7a" if dashed else "1px solid #7a7a7a"
        self.setStyleSheet(
            f"QLabel {{ color: {ink}; background: {fill}; border: {border};"
            " border-radius: 4px; padding: 4px 12px; }"
        )


class ValueReadout(QWidget):
    """One tag as "name  value unit", with its quality on a line of its own below.

    The quality line is empty while the value is good and always keeps its
    height, so a value going stale never makes the card jump.
    """

    def __init__(self, tag: TagDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tag = tag
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(8)
        layout.setVerticalSpacing(0)
        self._name = QLabel(tag.name)
        self._value = QLabel()
        self._value.setFont(theme.font(theme.VALUE_PT, bold=True))
        self._value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._value.setMinimumWidth(96)
        self._unit = QLabel(tag.unit)
        self._unit.setMinimumWidth(48)
        self._quality = ElidedLabel()
        self._quality.setFont(theme.font(theme.BASE_PT - 2, bold=True))
        self._quality.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._quality.setFixedHeight(self._quality.fontMetrics().height())
        layout.addWidget(self._name, 0, 0)
        layout.addWidget(self._value, 0, 1)
        layout.addWidget(self._unit, 0, 2)
        layout.addWidget(self._quality, 1, 0, 1, 3)
        layout.setColumnStretch(0, 1)
        self._shown: tuple[Quality, str] | None = None

    def show_sample(self, sample: TagValue) -> None:
        self._value.setText(format_value(self.tag, sample.value))
        if (sample.quality, sample.reason) == self._shown:
            return  # restyling is the costly part; most updates only change the number
        self._shown = (sample.quality, sample.reason)
        look = theme.quality_look(sample.quality)
        font = self._value.font()
        font.setItalic(not sample.quality.usable)
        self._value.setFont(font)
        self._value.setStyleSheet(f"color: {look.ink};")
        if sample.quality is Quality.GOOD:
            self._quality.setText("")
        else:
            # "No connection" is explained once, in the status bar, not on every row.
            detailed = sample.reason and sample.quality is not Quality.NO_CONNECTION
            reason = f" — {sample.reason}" if detailed else ""
            self._quality.setText(f"{look.symbol} {look.word}{reason}")
        self._quality.setToolTip(sample.reason)
        self._quality.setStyleSheet(f"color: {look.ink};")
