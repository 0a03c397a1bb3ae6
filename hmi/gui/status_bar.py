"""The status bar: each source's link, the clock, who is signed in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from hmi.domain.health import LinkState, SourceHealth
from hmi.gui import theme

_LINK_SYMBOL = {
    LinkState.CONNECTED: "●",
    LinkState.CONNECTING: "◌",
    LinkState.RECONNECTING: "⊘",
    LinkState.STOPPED: "■",
}


class SourceLabel(QLabel):
    """One source: symbol, name, state word, the next attempt while down, rejected messages."""

    def __init__(self, source_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source_id = source_id
        self.setText(f"◌ {source_id}")

    def show_health(self, health: SourceHealth, now: float) -> None:
        words = {
            LinkState.CONNECTED: self.tr("connected"),
            LinkState.CONNECTING: self.tr("connecting"),
            LinkState.RECONNECTING: self.tr("no connection"),
            LinkState.STOPPED: self.tr("stopped"),
        }
        text = f"{_LINK_SYMBOL[health.state]} {health.source_id}: {words[health.state]}"
        if health.state is LinkState.RECONNECTING and health.next_attempt is not None:
            wait = max(0, round(health.next_attempt - now))
            text += self.tr(", retry in %n s", "", wait)
        if health.rejected:
            text += self.tr(" · %n rejected", "", health.rejected)
        self.setText(text)
        down = health.state is not LinkState.CONNECTED
        self.setStyleSheet(
            f"QLabel {{ color: {theme.FAULT_INK if down else theme.TEXT};"
            f" font-weight: {'bold' if down else 'normal'};"
            f" border: {'2px dashed #7a7a7a' if down else '2px solid transparent'};"
            " padding: 1px 8px; }"
        )
        tooltip = [self.tr("Since: %1").replace("%1", _hhmmss(health.since))]
        if health.last_error:
            tooltip.append(self.tr("Last error: %1").replace("%1", health.last_error))
        if health.last_rejection:
            tooltip.append(self.tr("Last rejected: %1").replace("%1", health.last_rejection))
        self.setToolTip("\n".join(tooltip))
        self.setAccessibleDescription("\n".join(tooltip))


def _hhmmss(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).strftime("%H:%M:%S")


class HmiStatusBar(QStatusBar):
    """Source health on the left; the current user and the clock on the right."""

    def __init__(
        self, source_ids: list[str], now: Callable[[], float], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.setMinimumHeight(40)
        self._now = now
        self.sources = {source_id: SourceLabel(source_id) for source_id in source_ids}
        for label in self.sources.values():
            self.addWidget(label)
        self.user = QLabel(self.tr("User: not signed in"))
        self.clock = QLabel()
        self.clock.setFont(theme.font(theme.BASE_PT, bold=True))
        self.addPermanentWidget(self.user)
        self.addPermanentWidget(self.clock)
        self.tick()

    def show_health(self, healths: list[SourceHealth]) -> None:
        now = self._now()
        for health in healths:
            label = self.sources.get(health.source_id)
            if label is not None:
                label.show_health(health, now)

    def tick(self) -> None:
        self.clock.setText(datetime.fromtimestamp(self._now()).strftime("%Y-%m-%d %H:%M:%S"))
