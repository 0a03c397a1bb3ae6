"""The status bar: each source's link, who is signed in, the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QStatusBar, QStyle, QStyleOption, QWidget

from hmi.domain.health import LinkState, SourceHealth
from hmi.gui import theme
from hmi.gui.i18n import format_clock, format_date
from hmi.gui.session_control import SessionIndicator
from hmi.services.sync import SyncStatus, UpstreamLink

SOURCE_MIN_PX = 150  # a source's link may shorten to this when the bar is full (tooltip: all)
_LINK_SYMBOL = {
    LinkState.CONNECTED: "●",
    LinkState.CONNECTING: "◌",
    LinkState.RECONNECTING: "⊘",
    LinkState.STOPPED: "■",
}


class SourceLabel(QLabel):
    """One source: symbol, name, state word, the next attempt while down, rejected messages.

    When the bar is short of room the text ends in "…" rather than widening
    the window; the tooltip always has all of it.
    """

    tapped = Signal(str)

    def __init__(self, source_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source_id = source_id
        self.setText(f"◌ {source_id}")
        self.setMinimumHeight(theme.touch_min_px())  # a tap shows why a link is down

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.tapped.emit(self.source_id)
        event.accept()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), SOURCE_MIN_PX), hint.height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        option = QStyleOption()
        option.initFrom(self)
        painter = QPainter(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)
        rect = self.contentsRect()
        # QLabel's own indent: half an "x" inside a frame, as its paintEvent would leave.
        indent = self.fontMetrics().horizontalAdvance("x") // 2 if self.frameWidth() > 0 else 0
        rect.adjust(indent, 0, -indent, 0)
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment()), text)

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


SYNC_TEXT_PX = 260  # the status bar must fit 1280 px with the session and the clock


class HmiStatusBar(QStatusBar):
    """Source health on the left; the session (who, countdown, Lock) and the clock on the right.

    Signals:
        source_tapped(str): a source's link was tapped (to show why it is down).
    """

    source_tapped = Signal(str)

    def __init__(
        self, source_ids: list[str], now: Callable[[], float], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.setMinimumHeight(theme.touch_min_px() + 8)
        self._now = now
        self.sources = {source_id: SourceLabel(source_id) for source_id in source_ids}
        for label in self.sources.values():
            label.tapped.connect(self.source_tapped)
            self.addWidget(label)
        self.sync = QLabel()
        self.sync.hide()  # shown once there is a sync service to report on
        self.addPermanentWidget(self.sync)
        self.session = SessionIndicator()
        self.clock = QLabel()
        self.clock.setFont(theme.font(theme.BASE_PT, bold=True))
        self.addPermanentWidget(self.session)
        self.addPermanentWidget(self.clock)
        self.tick()

    def show_health(self, healths: list[SourceHealth]) -> None:
        now = self._now()
        for health in healths:
            label = self.sources.get(health.source_id)
            if label is not None:
                label.show_health(health, now)

    def show_sync(self, status: SyncStatus) -> None:
        """The records' way to the MES at a glance; the sync page has the details."""
        problem = status.link in (UpstreamLink.RECONNECTING, UpstreamLink.STOPPED)
        waiting = status.pending + status.in_flight
        if status.quarantined:
            text = self.tr("⚠ Records: %n quarantined", "", status.quarantined)
        elif problem:
            text = self.tr("⊘ Records: %n waiting, MES not reachable", "", waiting)
        elif status.link is UpstreamLink.NONE:
            text = self.tr("○ Records: kept here")  # no upstream configured
        elif waiting:
            text = self.tr("⇅ Records: %n waiting", "", waiting)
        else:
            text = self.tr("✓ Records: all delivered")
        abnormal = bool(status.quarantined or problem or status.storage_warning)
        if status.storage_warning:
            text += self.tr(" · storage low")
        metrics = self.sync.fontMetrics()
        self.sync.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, SYNC_TEXT_PX))
        self.sync.setToolTip(
            "\n".join(t for t in (text, status.last_error, status.storage_warning) if t)
        )
        self.sync.setStyleSheet(
            f"QLabel {{ color: {theme.FAULT_INK if abnormal else theme.TEXT};"
            f" font-weight: {'bold' if abnormal else 'normal'}; padding: 1px 8px; }}"
        )
        self.sync.show()

    def tick(self) -> None:
        now = datetime.fromtimestamp(self._now())
        self.clock.setText(format_clock(now))  # the date is in the tooltip: room for more
        self.clock.setToolTip(format_date(now))
