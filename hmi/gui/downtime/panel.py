"""The downtime panel of a station page, and the count of stops waiting on every screen.

The panel shows the open stop (state, since when, how long so far) with the
action it needs, how many stops of the station wait for a reason, and the
live OEE of the current shift: the figure, its three factors as bars, the
good and reject counts and the five largest downtime losses.

The downtime service's ``version`` goes up with every change; the panel
polls it once a second (a read of an int, no call) and then asks for fresh
figures. The figures also refresh every ``OEE_EVERY_S`` as counts move on.
Every call goes through ``ServiceTasks``: nothing here waits for the
runtime. A stop "waiting for a reason" is a closed one nobody explained
(``DowntimeEvent.awaiting_reason``); the open stop has its own line above.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from hmi.domain.downtime import DowntimeEvent, EventSource
from hmi.domain.oee import NAMES, Oee, ParetoRow
from hmi.domain.plant import PlantDef, StationDef
from hmi.gui import theme
from hmi.gui.downtime.picker import ReasonPicker, ReasonQueue, ReasonUsage, stop_facts
from hmi.gui.downtime.shift_sheet import ContextSheet, ShiftSheet
from hmi.gui.i18n import format_integer, format_percent
from hmi.gui.tasks import CallFailure, ServiceTasks
from hmi.gui.touch import TouchButton, restyle
from hmi.gui.widgets import ElidedLabel
from hmi.services.downtime import DowntimeService, StationPerformance
from hmi.services.shift_report import ShiftReportService

POLL_MS = 1000
OEE_EVERY_S = 10  # in polls: the figures follow the counts this often
PARETO_ROWS = 5
PANEL_PX = 400  # beside a station's table of values, on a 1280 px wide panel
BAR_FILL = "#52708f"  # a calm steel blue: a measure, never an alarm colour
BAR_TRACK = "#c9c9c9"
NO_FIGURE = "—"
WORDS_PT = theme.BASE_PT - 3  # the small line of the status bar's count


def percent(value: float | None) -> str:
    return NO_FIGURE if value is None else format_percent(value)


def count_text(n: int) -> str:
    return format_integer(n)


def reason_names(service: DowntimeService) -> dict[str, str]:
    names = {code: leaf.name for code, (leaf, _path) in service.reasons.items()}
    return {**NAMES, **names}


class Bar(QWidget):
    """A share as a horizontal bar: grey track, blue fill; None draws an empty, dashed track."""

    def __init__(self, height: int = 18, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fraction: float | None = None
        self.setFixedHeight(height)
        self.setMinimumWidth(60)

    def set_fraction(self, fraction: float | None) -> None:
        fraction = None if fraction is None else min(1.0, max(0.0, fraction))
        if fraction != self.fraction:
            self.fraction = fraction
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(160, self.height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        box = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.fillRect(box, QColor(BAR_TRACK))
        if self.fraction is not None and self.fraction > 0:
            painter.fillRect(
                QRectF(box.left(), box.top(), box.width() * self.fraction, box.height()),
                QColor(BAR_FILL),
            )
        pen = painter.pen()
        pen.setColor(QColor("#8a8a8a"))
        pen.setStyle(Qt.PenStyle.DashLine if self.fraction is None else Qt.PenStyle.SolidLine)
        painter.setPen(pen)
        painter.drawRect(box)


class DowntimePanel(QFrame):
    """One station's open stop, its stops waiting for a reason, and its live OEE.

    ``set_window`` fixes the OEE window (tests, a look back); by default it is
    the current shift. The picker and the queue are sheets over ``window``.

    Signals: none; the picker's ``saved`` and the queue's ``picked`` are its own.
    """

    def __init__(
        self,
        window: QWidget,
        station: StationDef,
        service: DowntimeService,
        tasks: ServiceTasks,
        now: Callable[[], float] = time.time,
        reports: ShiftReportService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.setFixedWidth(PANEL_PX)
        self.station = station
        self._service = service
        self._tasks = tasks
        self._now = now
        self._names = reason_names(service)
        self.usage = ReasonUsage(service.plant.reasons)
        self._sheets(window, reports)
        self.window_span: tuple[float, float] | None = None
        self.performance: StationPerformance | None = None
        self.open_event: DowntimeEvent | None = None
        self.waiting: list[DowntimeEvent] = []
        self._version = -1
        self._polls = 0
        self._loading = False
        self._again = False
        self._stale = True
        self._figures_failed = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(1, 1, 1, 1)
        # Scrolls rather than stretching the window on a small or dense screen.
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
        )
        outer.addWidget(area)
        content = QWidget()
        area.setWidget(content)
        col = QVBoxLayout(content)
        col.setContentsMargins(12, 10, 12, 10)
        col.setSpacing(6)
        self._context_part(col)
        self._stop_part(col)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet(f"color: {theme.PANEL_EDGE};")
        col.addWidget(rule)
        self._oee_part(col)
        col.addStretch(1)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        self.poll()
        self.refresh()

    def _sheets(self, window: QWidget, reports: ShiftReportService | None) -> None:
        """Picker, queue, the shift (corrections, summary, export), the production context."""
        station, service, tasks, now = self.station, self._service, self._tasks, self._now
        self.picker = ReasonPicker(window, station, service, tasks, self.usage, now)
        self.picker.saved.connect(lambda _e, _c: self.poll())
        self.queue = ReasonQueue(window, {station.id: station.name}, self._names, now, station.id)
        self.queue.picked.connect(self.pick)
        self.shift_sheet = ShiftSheet(window, station, service, reports, tasks, self._now)
        self.shift_sheet.pick_requested.connect(self.pick)
        self.picker.saved.connect(
            lambda _e, _c: self.shift_sheet.reload() if self.shift_sheet.is_open else None
        )
        self.context_sheet = ContextSheet(window, station, service, tasks)

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = QLabel(text)
        label.setFont(theme.font(theme.BASE_PT + 1, bold=True))
        return label

    def _context_part(self, col: QVBoxLayout) -> None:
        """One line: what the station makes. Its button sits in the station's actions."""
        self.context_text = ElidedLabel()
        self.context_text.setObjectName("muted")
        col.addWidget(self.context_text)
        self.context_button = TouchButton(
            QCoreApplication.translate("DowntimePanel", "Order…"), theme.touch_min_px() * 2, 58
        )
        self.context_button.clicked.connect(self.context_sheet.open)

    def _show_context(self) -> None:
        c = self._service.context(self.station.id)
        parts = [
            QCoreApplication.translate("DowntimePanel", "Order %1").replace("%1", c.order)
            if c.order
            else "",
            c.product or "",
            QCoreApplication.translate("DowntimePanel", "batch %1").replace("%1", c.batch)
            if c.batch
            else "",
        ]
        text = " · ".join(p for p in parts if p) or QCoreApplication.translate(
            "DowntimePanel", "No order known"
        )
        self.context_text.setText(text)
        self.context_text.setToolTip(text)

    def _stop_part(self, col: QVBoxLayout) -> None:
        touch = theme.touch_min_px()
        self.stop_text = QLabel()
        self.stop_text.setWordWrap(True)
        self.stop_text.setFont(theme.font(theme.BASE_PT, bold=True))
        col.addWidget(self.stop_text)
        self.reason_text = ElidedLabel()
        self.reason_text.setObjectName("muted")
        col.addWidget(self.reason_text)
        row = QHBoxLayout()
        row.setSpacing(max(12, theme.mm_to_px(theme.TOUCH_GAP_MM)))
        self.reason_button = TouchButton(
            QCoreApplication.translate("DowntimePanel", "Give reason…"), touch * 3, touch, grow=True
        )
        self.manual_button = TouchButton(
            QCoreApplication.translate("DowntimePanel", "Stop by hand…"),
            touch * 3,
            touch,
            grow=True,
        )
        self.end_button = TouchButton(
            QCoreApplication.translate("DowntimePanel", "End stop"), touch * 3, touch, grow=True
        )
        self.reason_button.clicked.connect(lambda: self.pick(self.open_event))
        self.manual_button.clicked.connect(self.picker.open_manual)
        self.end_button.clicked.connect(self.end_stop)
        for button in (self.reason_button, self.manual_button, self.end_button):
            row.addWidget(button)
        col.addLayout(row)
        row = QHBoxLayout()
        self.waiting_text = QLabel()
        self.queue_button = TouchButton(
            QCoreApplication.translate("DowntimePanel", "Reasons…"), touch * 3, touch
        )
        self.queue_button.clicked.connect(self.open_queue)
        row.addWidget(self.waiting_text, 1)
        row.addWidget(self.queue_button)
        col.addLayout(row)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        col.addWidget(self.problem)

    def _oee_part(self, col: QVBoxLayout) -> None:
        # The shift's corrections and summary: the window puts this button, as the order's,
        # in the station's row of actions, where there is room for them.
        self.shift_button = TouchButton(
            QCoreApplication.translate("DowntimePanel", "Shift…"), theme.touch_min_px() * 2, 58
        )
        self.shift_button.clicked.connect(self.shift_sheet.open)
        self.oee_title = self._heading(QCoreApplication.translate("DowntimePanel", "OEE"))
        col.addWidget(self.oee_title)
        row = QHBoxLayout()
        self.oee_figure = QLabel(NO_FIGURE)
        self.oee_figure.setFont(theme.font(30, bold=True))
        self.counts = QLabel()
        self.counts.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.oee_figure, 1)
        row.addWidget(self.counts)
        col.addLayout(row)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        self.factors: dict[str, tuple[Bar, QLabel]] = {}
        for i, (key, name) in enumerate(
            (
                ("availability", QCoreApplication.translate("DowntimePanel", "Availability")),
                ("performance", QCoreApplication.translate("DowntimePanel", "Performance")),
                ("quality", QCoreApplication.translate("DowntimePanel", "Quality")),
            )
        ):
            bar, value = Bar(), QLabel(NO_FIGURE)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setMinimumWidth(value.fontMetrics().horizontalAdvance("100.0 %") + 4)
            grid.addWidget(QLabel(name), i, 0)
            grid.addWidget(bar, i, 1)
            grid.addWidget(value, i, 2)
            self.factors[key] = (bar, value)
        grid.setColumnStretch(1, 1)
        col.addLayout(grid)
        capped = QCoreApplication.translate(
            "DowntimePanel", "⚑ Performance over 100 %, shown as 100 %: check the ideal cycle."
        )
        self.capped = ElidedLabel()
        self.capped.setText(capped)
        self.capped.setToolTip(capped)
        self.capped.setObjectName("muted")
        self.capped.hide()
        col.addWidget(self.capped)
        col.addSpacing(4)
        self._losses_part(col)

    def _losses_part(self, col: QVBoxLayout) -> None:
        col.addWidget(
            self._heading(QCoreApplication.translate("DowntimePanel", "Top losses (unplanned)"))
        )
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        self.losses: list[tuple[ElidedLabel, Bar, QLabel]] = []
        for i in range(PARETO_ROWS):
            loss, bar, minutes = ElidedLabel(), Bar(14), QLabel()
            minutes.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            minutes.setMinimumWidth(minutes.fontMetrics().horizontalAdvance("999.9 min") + 4)
            grid.addWidget(loss, i, 0)
            grid.addWidget(bar, i, 1)
            grid.addWidget(minutes, i, 2)
            self.losses.append((loss, bar, minutes))
        grid.setColumnMinimumWidth(0, 170)  # names are shortened with "…" to fit
        grid.setColumnStretch(1, 1)
        col.addLayout(grid)
        self.no_losses = QLabel(
            QCoreApplication.translate("DowntimePanel", "No unplanned downtime in this window.")
        )
        self.no_losses.setObjectName("muted")
        col.addWidget(self.no_losses)
        self._show_losses([])

    # -- polling ---------------------------------------------------------------------

    def set_window(self, t0: float | None, t1: float | None = None) -> None:
        """The OEE window: ``t0`` to ``t1``; None for the current shift. Refreshes at once."""
        self.window_span = None if t0 is None or t1 is None else (t0, t1)
        self.refresh()

    def stop(self) -> None:
        self._timer.stop()

    def poll(self) -> None:
        """Once a second: the running time; after any change, the stops and the figures."""
        version = self._service.version
        if version != self._version:
            self._version = version
            self.open_event = self._service.open_stop(self.station.id)
            self.waiting = [e for e in self._service.waiting(self.station.id) if e.awaiting_reason]
            self._stale = True
            self._show_waiting()
            self._show_context()
        self._show_stop()
        if self.picker.is_open and self.picker.stop_event is not None:
            self.picker.tick()
        self._polls += 1
        if self._polls >= OEE_EVERY_S:
            self._polls = 0
            self._stale = True
        if self._stale and self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Ask for the figures of the window (one call at a time; a later ask follows)."""
        if self._loading:
            self._again = True
            return
        self._loading, self._stale = True, False
        t0, t1 = self.window_span if self.window_span is not None else (None, None)
        call = self._service.performance(self.station.id, t0, t1)
        self._tasks.run(call, self._loaded, self._load_failed, what="downtime.performance")

    def _loaded(self, performance: StationPerformance) -> None:
        self._loading = False
        self.performance = performance
        self.usage.note_events(performance.events)
        self._show_performance(performance)
        if self._figures_failed:
            self._say("")
        self._follow_up()

    def _load_failed(self, failure: CallFailure) -> None:
        self._loading = False
        self._say(
            QCoreApplication.translate("DowntimePanel", "OEE not updated: %1").replace(
                "%1", failure.message
            ),
            figures=True,
        )
        self._follow_up()

    def _follow_up(self) -> None:
        if self._again:
            self._again = False
            self.refresh()

    # -- actions ---------------------------------------------------------------------

    def pick(self, event: DowntimeEvent | None) -> None:
        """The picker for ``event`` (the open stop, or one from the queue)."""
        if event is not None:
            self.picker.open_for(event)

    def open_queue(self) -> None:
        self.queue.show_events(self.waiting, self._given())
        self.queue.open()

    def end_stop(self) -> None:
        self._say("")
        call = self._service.close_manual(self.station.id)
        self._tasks.run(call, lambda _r: self.poll(), self._action_failed, what="downtime.close")

    def _action_failed(self, failure: CallFailure) -> None:
        self._say(failure.message)

    def _given(self) -> list[DowntimeEvent]:
        """The shift's closed stops that have a reason an operator gave, newest first."""
        if self.performance is None:
            return []
        events = [
            e
            for e in self.performance.events
            if e.end is not None and e.reason and not e.micro and e.source is not EventSource.BREAK
        ]
        return sorted(events, key=lambda e: e.start, reverse=True)

    # -- showing ---------------------------------------------------------------------

    def _show_stop(self) -> None:
        event = self.open_event
        if event is None:
            self.stop_text.setText(QCoreApplication.translate("DowntimePanel", "No stop open"))
            self.reason_text.setText(
                QCoreApplication.translate("DowntimePanel", "Stops open from the machine state.")
            )
        else:
            self.stop_text.setText(stop_facts(event, self._now()))
            reason = self._names.get(event.reason, event.reason) if event.reason else None
            self.reason_text.setText(
                QCoreApplication.translate("DowntimePanel", "Reason: %1").replace("%1", reason)
                if reason
                else QCoreApplication.translate("DowntimePanel", "No reason given yet")
            )
        manual = event is not None and event.source is EventSource.MANUAL
        askable = event is not None and event.source is not EventSource.BREAK
        has_reason = event is not None and event.reason is not None
        self.reason_button.setVisible(askable)
        self.reason_button.setText(
            QCoreApplication.translate("DowntimePanel", "Change reason…")
            if has_reason
            else QCoreApplication.translate("DowntimePanel", "Give reason…")
        )
        style = "" if has_reason else "primary"  # the one thing to do here: dark, as Save is
        if self.reason_button.objectName() != style:
            restyle(self.reason_button, style)
        self.manual_button.setVisible(event is None)
        self.end_button.setVisible(manual)

    def _show_waiting(self) -> None:
        n = len(self.waiting)
        self.waiting_text.setText(
            QCoreApplication.translate("DowntimePanel", "Waiting for a reason: %1").replace(
                "%1", str(n)
            )
        )
        self.waiting_text.setFont(theme.font(theme.BASE_PT, bold=n > 0))
        if self.queue.is_open:
            self.queue.show_events(self.waiting, self._given())

    def _show_performance(self, p: StationPerformance) -> None:
        start, end = (datetime.fromtimestamp(t).strftime("%H:%M") for t in (p.t0, p.t1))
        if self.window_span is not None:
            title = (
                QCoreApplication.translate("DowntimePanel", "OEE %1–%2")
                .replace("%1", start)
                .replace("%2", end)
            )
        elif p.shift is not None:
            title = (
                QCoreApplication.translate("DowntimePanel", "OEE · shift %1 since %2")
                .replace("%1", p.shift)
                .replace("%2", start)
            )
        else:
            title = QCoreApplication.translate("DowntimePanel", "OEE since %1").replace("%1", start)
        self.oee_title.setText(title)
        o = p.oee
        figures = self._figures(o)
        self.oee_figure.setText(percent(figures["oee"]))
        for key, (bar, label) in self.factors.items():
            bar.set_fraction(figures[key])
            label.setText(percent(figures[key]))
        self.capped.setVisible(o.performance_capped)
        self.counts.setText(
            QCoreApplication.translate("DowntimePanel", "Good %1\nReject %2")
            .replace("%1", count_text(o.good))
            .replace("%2", count_text(o.reject))
        )
        self._show_losses(p.pareto[:PARETO_ROWS])

    @staticmethod
    def _figures(o: Oee) -> dict[str, float | None]:
        """The factors that have a figure: none without planned time; P, Q none without pieces."""
        if o.planned_s <= 0:
            return dict.fromkeys(("availability", "performance", "quality", "oee"))
        counted = o.total > 0
        return {
            "availability": o.availability,
            "performance": o.performance if counted else None,
            "quality": o.quality if counted else None,
            "oee": o.oee if counted else None,
        }

    def _show_losses(self, rows: list[ParetoRow]) -> None:
        top = rows[0].minutes if rows else 0.0
        for i, (name, bar, minutes) in enumerate(self.losses):
            shown = i < len(rows)
            for widget in (name, bar, minutes):
                widget.setVisible(shown)
            if shown:
                row = rows[i]
                count = row.count
                stops = QCoreApplication.translate("DowntimePanel", "%n stop(s)", "", count)
                name.setText(f"{row.name} ({row.count}×)")
                name.setToolTip(f"{row.name}: {stops}")
                bar.set_fraction(row.minutes / top if top > 0 else 0.0)
                minutes.setText(
                    QCoreApplication.translate("DowntimePanel", "%1 min").replace(
                        "%1", f"{row.minutes:.1f}"
                    )
                )
        self.no_losses.setVisible(not rows)

    def _say(self, text: str, figures: bool = False) -> None:
        """A refusal or failure below the stop's actions; ``figures``: the OEE's own."""
        self._figures_failed = figures and bool(text)
        self.problem.setText(f"✕ {text}" if text else "")
        self.problem.setVisible(bool(text))


class WaitingButton(TouchButton):
    """ "Reasons waiting: N" for the whole plant, on every screen; a tap opens a queue.

    Drawn as two lines, the words small and the count large, so that it fits
    the status bar beside the links, the records, the session and the clock
    on a 1280 px screen. Polls the service's ``version`` once a second; which
    queue a tap opens (the station's on screen, or every station's) is the
    window's choice.

    Signals:
        changed(): the queue changed (``waiting`` holds it, oldest first).
        clicked(): inherited; the tap.
    """

    changed = Signal()

    def __init__(self, service: DowntimeService, parent: QWidget | None = None) -> None:
        touch = theme.touch_min_px()
        words = QFontMetrics(theme.font(WORDS_PT)).horizontalAdvance(
            QCoreApplication.translate("DowntimePanel", "Reasons waiting")
        )
        self._size = QSize(max(touch * 2, words + 20), touch)
        super().__init__("", self._size.width(), touch, parent=parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._service = service
        self._version = -1
        self.waiting: list[DowntimeEvent] = []
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        self.poll()

    def stop(self) -> None:
        self._timer.stop()

    def poll(self) -> bool:
        """True when the queue changed."""
        version = self._service.version
        if version == self._version:
            return False
        self._version = version
        self.waiting = [e for e in self._service.waiting() if e.awaiting_reason]
        n = len(self.waiting)
        self.setText(
            QCoreApplication.translate("DowntimePanel", "Reasons waiting: %1").replace("%1", str(n))
        )
        self.update()
        self.changed.emit()
        return True

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()

    def minimumSizeHint(self) -> QSize:
        return self._size

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)
        box = self.rect().adjusted(4, 3, -4, -3)
        words, _sep, count = self.text().rpartition(": ")
        half = box.height() // 2
        painter.setPen(QColor(theme.TEXT))
        painter.setFont(theme.font(WORDS_PT))
        top = box.adjusted(0, 0, 0, -half)
        painter.drawText(
            top, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom), words
        )
        painter.setFont(theme.font(theme.BASE_PT + 1, bold=count != "0"))
        bottom = box.adjusted(0, box.height() - half, 0, 0)
        painter.drawText(
            bottom, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), count
        )


def all_stations_queue(
    window: QWidget, plant: PlantDef, service: DowntimeService, now: Callable[[], float]
) -> ReasonQueue:
    """The queue of every station (from the status bar, off the station pages)."""
    names = {s.id: s.name for s in plant.stations}
    return ReasonQueue(window, names, reason_names(service), now)
