"""Small widgets shared by the pages: machine-state badge, a live value readout."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from hmi.domain.plant import MachineState, StationDef, TagDef
from hmi.domain.quality import Quality
from hmi.domain.tags import TagValue
from hmi.gui import theme
from hmi.gui.text import format_value


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
        self._quality = QLabel()
        self._quality.setFont(theme.font(theme.BASE_PT - 2, bold=True))
        self._quality.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._quality.setFixedHeight(self._quality.fontMetrics().height())
        layout.addWidget(self._name, 0, 0)
        layout.addWidget(self._value, 0, 1)
        layout.addWidget(self._unit, 0, 2)
        layout.addWidget(self._quality, 1, 0, 1, 3)
        layout.setColumnStretch(0, 1)

    def show_sample(self, sample: TagValue) -> None:
        look = theme.quality_look(sample.quality)
        self._value.setText(format_value(self.tag, sample.value))
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
            text = f"{look.symbol} {look.word}{reason}"
            metrics = self._quality.fontMetrics()
            self._quality.setText(
                metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(80, self.width() - 8))
            )
        self._quality.setToolTip(sample.reason)
        self._quality.setStyleSheet(f"color: {look.ink};")
