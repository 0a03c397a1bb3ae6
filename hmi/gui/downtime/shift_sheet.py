"""The shift at one station, for the lead: its stops to correct, its summary to export.

Stops are listed oldest first; a tap selects one. Change reason opens the
reason picker; Split cuts the stop at a time set with big minute and
ten-second steps (never a desktop time editor); Merge joins it with the
stop that follows it without a gap (a stop split by mistake, a state that
flickered). Each is a correction the downtime service checks by role and
records; a refusal shows here in words.

The summary is the one the shift report records at the shift's end, so far:
OEE and its factors, per order, the top losses, the alarms and the stops
still waiting for a reason. Export writes it as an HTML page into the
exports folder (no file dialog: the kiosk has none); the service checks the
role and audits it.

The production context sheet is here too: order, product and batch, typed
or scanned (a scanner types like a keyboard and ends with Enter, which moves
on to the next field).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hmi.domain.downtime import DowntimeEvent, EventSource
from hmi.domain.plant import StationDef
from hmi.gui import theme
from hmi.gui.downtime.picker import duration_text, stop_facts
from hmi.gui.i18n import format_percent
from hmi.gui.tasks import CallFailure, ServiceTasks
from hmi.gui.touch import Sheet, TouchButton, TouchField, say
from hmi.services.downtime import MAX_CONTEXT, DowntimeService
from hmi.services.shift_report import ShiftReportService, ShiftSummary

EXPORT_DIR = Path.home() / "floorline-exports"
STEPS_S = (-60, -10, 10, 60)


def _pct(x: float) -> str:
    return format_percent(x)


def summary_lines(s: ShiftSummary) -> list[str]:
    """The summary in plain lines, as the sheet shows it."""
    o = s.oee
    lines = [
        QCoreApplication.translate("ShiftSheet", "OEE %1  ·  A %2  P %3  Q %4")
        .replace("%1", _pct(o.oee) if o.total else "—")
        .replace("%2", _pct(o.availability))
        .replace("%3", _pct(o.performance) if o.total else "—")
        .replace("%4", _pct(o.quality) if o.total else "—"),
        QCoreApplication.translate("ShiftSheet", "Good %1 · reject %2 · down %3 min")
        .replace("%1", str(o.good))
        .replace("%2", str(o.reject))
        .replace("%3", f"{o.downtime_s / 60:.0f}"),
    ]
    orders = [r for r in s.orders if r.order or r.product]
    for r in orders:
        name = " · ".join(x for x in (r.order, r.product) if x)
        lines.append(
            QCoreApplication.translate("ShiftSheet", "Order %1: OEE %2, good %3")
            .replace("%1", name)
            .replace("%2", _pct(r.oee.oee) if r.oee.total else "—")
            .replace("%3", str(r.oee.good))
        )
    for row in s.losses:
        lines.append(f"{row.name}: {row.minutes:.1f} min ({row.count}×)")
    lines.append(
        QCoreApplication.translate("ShiftSheet", "Stops %1 · waiting for a reason %2 · alarms %3")
        .replace("%1", str(s.stops))
        .replace("%2", str(s.waiting))
        .replace("%3", str(s.alarms))
    )
    return lines


class ShiftSheet(Sheet):
    """The shift's stops of one station with split, merge and reason; the summary; export.

    Signals:
        pick_requested(DowntimeEvent): change this stop's reason (the panel opens its picker).
        closed(): inherited; the sheet closed.
    """

    pick_requested = Signal(object)

    def __init__(
        self,
        window: QWidget,
        station: StationDef,
        downtime: DowntimeService,
        reports: ShiftReportService | None,
        tasks: ServiceTasks,
        now: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            window,
            QCoreApplication.translate("ShiftSheet", "Shift — %1").replace("%1", station.name),
        )
        self.station = station
        self._downtime = downtime
        self._reports = reports
        self._tasks = tasks
        self._now = now
        self.export_dir = EXPORT_DIR
        self.events: list[DowntimeEvent] = []
        self.selected: DowntimeEvent | None = None
        self.split_at: float | None = None
        self.summary: ShiftSummary | None = None
        self.busy = False
        touch = theme.touch_min_px()
        gap = max(12, theme.mm_to_px(theme.TOUCH_GAP_MM))
        self.panel.setFixedWidth(min(touch * 26, 1180))
        columns = QHBoxLayout()
        columns.setSpacing(gap * 2)
        self.body.addLayout(columns, 1)
        columns.addLayout(self._stops_part(touch, gap), 3)
        columns.addLayout(self._summary_part(touch), 2)
        bottom = QHBoxLayout()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.close_button = TouchButton(
            QCoreApplication.translate("ShiftSheet", "Close"), touch * 4, round(touch * 1.2)
        )
        self.close_button.clicked.connect(self.close_sheet)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.close_button)
        self.body.addLayout(bottom)

    def _stops_part(self, touch: int, gap: int) -> QVBoxLayout:
        col = QVBoxLayout()
        col.setSpacing(gap)
        heading = QLabel(
            QCoreApplication.translate(
                "ShiftSheet", "Stops this shift, oldest first: tap one to correct it (leads)"
            )
        )
        heading.setObjectName("muted")
        heading.setWordWrap(True)
        col.addWidget(heading)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setMinimumHeight(touch * 5)
        inner = QWidget()
        self.rows = QVBoxLayout(inner)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(gap)
        self.area.setWidget(inner)
        col.addWidget(self.area, 1)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, TouchButton] = {}
        actions = QHBoxLayout()
        actions.setSpacing(gap)
        self.reason_button = TouchButton(
            QCoreApplication.translate("ShiftSheet", "Change reason…"), touch * 3, touch, grow=True
        )
        self.split_button = TouchButton(
            QCoreApplication.translate("ShiftSheet", "Split…"), touch * 3, touch, grow=True
        )
        self.merge_button = TouchButton(
            QCoreApplication.translate("ShiftSheet", "Merge with next"), touch * 3, touch, grow=True
        )
        self.reason_button.clicked.connect(self._change_reason)
        self.split_button.clicked.connect(self._start_split)
        self.merge_button.clicked.connect(self.merge)
        for button in (self.reason_button, self.split_button, self.merge_button):
            actions.addWidget(button)
        col.addLayout(actions)
        col.addWidget(self._split_part(touch, gap))
        return col

    def _split_part(self, touch: int, gap: int) -> QWidget:
        """Splitting: the time, moved in big steps, then "Split here"."""
        self.split_box = QWidget()
        grid = QGridLayout(self.split_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(gap)
        self.split_text = QLabel()
        self.split_text.setFont(theme.font(theme.BASE_PT + 2, bold=True))
        grid.addWidget(self.split_text, 0, 0, 1, len(STEPS_S) + 1)
        self.step_buttons: dict[int, TouchButton] = {}
        for i, step in enumerate(STEPS_S):
            text = f"{'+' if step > 0 else '−'}{abs(step) // 60} min"
            if abs(step) < 60:
                text = f"{'+' if step > 0 else '−'}{abs(step)} s"
            button = TouchButton(text, round(touch * 1.6), touch)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, s=step: self.move_split(s))
            grid.addWidget(button, 1, i)
            self.step_buttons[step] = button
        self.split_here = TouchButton(
            QCoreApplication.translate("ShiftSheet", "Split here"), touch * 3, touch
        )
        self.split_here.setObjectName("primary")
        self.split_here.clicked.connect(self.split)
        grid.addWidget(self.split_here, 1, len(STEPS_S))
        self.split_box.hide()
        return self.split_box

    def _summary_part(self, touch: int) -> QVBoxLayout:
        col = QVBoxLayout()
        self.summary_title = QLabel(QCoreApplication.translate("ShiftSheet", "Summary"))
        self.summary_title.setFont(theme.font(theme.BASE_PT + 1, bold=True))
        self.summary_title.setWordWrap(True)
        col.addWidget(self.summary_title)
        self.summary_text = QLabel(QCoreApplication.translate("ShiftSheet", "Loading…"))
        self.summary_text.setWordWrap(True)
        self.summary_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        col.addWidget(self.summary_text, 1)
        self.export_button = TouchButton(
            QCoreApplication.translate("ShiftSheet", "Export HTML (leads)"), touch * 4, touch
        )
        self.export_button.clicked.connect(self.export)
        self.export_button.setVisible(self._reports is not None)
        col.addWidget(self.export_button)
        return col

    # -- loading -----------------------------------------------------------------------

    def open(self) -> None:
        self.selected = None
        self.split_at = None
        self.split_box.hide()
        self._say("")
        self.reload()
        super().open()

    def reload(self) -> None:
        """The shift's stops and its summary, fresh from the services."""
        self.busy = True
        loading = self._downtime.performance(self.station.id)
        self._tasks.run(loading, self._loaded, self._failed, what="downtime.performance")
        if self._reports is not None:
            summing = self._reports.summary(self.station.id)
            self._tasks.run(summing, self._summarised, self._failed, what="shift.summary")

    def _loaded(self, performance: object) -> None:
        self.busy = False
        events = getattr(performance, "events", [])
        self.show_events(
            [e for e in events if not e.micro and e.source is not EventSource.BREAK and e.end]
        )

    def _summarised(self, summary: ShiftSummary) -> None:
        self.summary = summary
        start = datetime.fromtimestamp(summary.t0).strftime("%H:%M")
        end = datetime.fromtimestamp(summary.t1).strftime("%H:%M")
        calendar = bool(self._downtime.plant.shifts.shifts)
        title = (
            QCoreApplication.translate("ShiftSheet", "Shift %1, %2–%3")
            if calendar
            else QCoreApplication.translate("ShiftSheet", "The last 8 hours, %2–%3")
        )
        self.summary_title.setText(
            title.replace("%1", summary.shift).replace("%2", start).replace("%3", end)
        )
        self.summary_text.setText("\n".join(summary_lines(summary)))

    def show_events(self, events: list[DowntimeEvent]) -> None:
        self.events = sorted(events, key=lambda e: e.start)
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                self.group.removeButton(widget)  # type: ignore[arg-type]
                widget.deleteLater()
        self.buttons = {}
        touch = theme.touch_min_px()
        names = {code: leaf.name for code, (leaf, _path) in self._downtime.reasons.items()}
        now = self._now()
        for event in self.events:
            reason = names.get(
                event.reason or "", QCoreApplication.translate("ShiftSheet", "no reason yet")
            )
            button = TouchButton(f"{stop_facts(event, now)} · {reason}", touch * 6, touch, True)
            button.setObjectName("tile")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, e=event: self.select(e))
            self.group.addButton(button)
            self.rows.addWidget(button)
            self.buttons[event.id] = button
        if not self.events:
            empty = QLabel(QCoreApplication.translate("ShiftSheet", "No stop this shift."))
            empty.setObjectName("muted")
            self.rows.addWidget(empty)
        self.rows.addStretch(1)
        kept = self.selected.id if self.selected is not None else None
        self.selected = next((e for e in self.events if e.id == kept), None)
        if self.selected is not None:
            self.buttons[self.selected.id].setChecked(True)
        else:
            self.split_box.hide()
        self._update()

    # -- actions -----------------------------------------------------------------------

    def select(self, event: DowntimeEvent) -> None:
        self.selected = event
        self.split_box.hide()
        self._say("")
        self._update()

    def next_of(self, event: DowntimeEvent) -> DowntimeEvent | None:
        """The stop that starts where ``event`` ends, the one it can be merged with."""
        return next((e for e in self.events if e.start == event.end), None)

    def _change_reason(self) -> None:
        if self.selected is not None:
            self.pick_requested.emit(self.selected)

    def _start_split(self) -> None:
        event = self.selected
        if event is None or event.end is None:
            return
        self.split_at = round((event.start + event.end) / 2)
        self.split_box.show()
        self._show_split()

    def move_split(self, seconds: float) -> None:
        event = self.selected
        if event is None or event.end is None or self.split_at is None:
            return
        self.split_at = min(max(self.split_at + seconds, event.start + 1), event.end - 1)
        self._show_split()

    def _show_split(self) -> None:
        event = self.selected
        if event is None or event.end is None or self.split_at is None:
            return
        at = datetime.fromtimestamp(self.split_at).strftime("%H:%M:%S")
        self.split_text.setText(
            QCoreApplication.translate("ShiftSheet", "Split at %1: %2 before, %3 after")
            .replace("%1", at)
            .replace("%2", duration_text(self.split_at - event.start))
            .replace("%3", duration_text(event.end - self.split_at))
        )
        self.step_buttons[-60].setEnabled(self.split_at - 60 > event.start)
        self.step_buttons[-10].setEnabled(self.split_at - 10 > event.start)
        self.step_buttons[10].setEnabled(self.split_at + 10 < event.end)
        self.step_buttons[60].setEnabled(self.split_at + 60 < event.end)

    def split(self) -> None:
        if self.selected is None or self.split_at is None or self.busy:
            return
        call = self._downtime.split(self.selected.id, self.split_at)
        self._act(
            call,
            QCoreApplication.translate(
                "ShiftSheet", "✓ Split: two stops, each with the reason it had."
            ),
        )

    def merge(self) -> None:
        event = self.selected
        following = self.next_of(event) if event is not None else None
        if event is None or following is None or self.busy:
            return
        call = self._downtime.merge(event.id, following.id)
        self._act(call, QCoreApplication.translate("ShiftSheet", "✓ Merged into one stop."))

    def _act(self, call: object, done: str) -> None:
        self.busy = True
        self._update()
        self._say(QCoreApplication.translate("ShiftSheet", "Saving…"))

        def finished(_result: object) -> None:
            self.busy = False
            self.selected = None
            self.split_box.hide()
            self._say(done)
            self.reload()

        self._tasks.run(call, finished, self._failed, what="downtime.correct")  # type: ignore[arg-type]

    def export(self) -> None:
        """The summary as an HTML page in the exports folder (leads; audited)."""
        if self._reports is None or self.summary is None or self.busy:
            return
        stamp = datetime.fromtimestamp(self.summary.t0).strftime("%Y%m%d-%H%M")
        path = self.export_dir / f"shift-{self.station.id}-{stamp}.html"
        self.busy = True
        self._say(QCoreApplication.translate("ShiftSheet", "Exporting…"))

        def written(_size: int) -> None:
            self.busy = False
            self._say(
                QCoreApplication.translate("ShiftSheet", "✓ Exported to %1").replace(
                    "%1", str(path)
                )
            )

        call = self._reports.export_html(path, [self.summary])
        self._tasks.run(call, written, self._failed, what="shift.export")

    def _failed(self, failure: CallFailure) -> None:
        self.busy = False
        self._say(failure.message, problem=True)
        self._update()

    def _update(self) -> None:
        event = self.selected
        chosen = event is not None and not self.busy
        self.reason_button.setEnabled(chosen)
        self.split_button.setEnabled(chosen)
        self.merge_button.setEnabled(chosen and event is not None and bool(self.next_of(event)))
        self.split_here.setEnabled(not self.busy)

    def _say(self, text: str, problem: bool = False) -> None:
        say(self.message, text, problem)


class ContextSheet(Sheet):
    """Order, product and batch of a station, typed or scanned; Enter moves to the next.

    Signals:
        closed(): inherited; the sheet closed.
    """

    def __init__(
        self, window: QWidget, station: StationDef, downtime: DowntimeService, tasks: ServiceTasks
    ) -> None:
        super().__init__(
            window,
            QCoreApplication.translate("ShiftSheet", "What is %1 making?").replace(
                "%1", station.name
            ),
        )
        self.station = station
        self._downtime = downtime
        self._tasks = tasks
        self.busy = False
        touch = theme.touch_min_px()
        self.panel.setFixedWidth(touch * 16)
        hint = QLabel(
            QCoreApplication.translate(
                "ShiftSheet", "Type or scan. What you enter wins over the line's own values."
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        self.body.addWidget(hint)
        grid = QGridLayout()
        grid.setVerticalSpacing(max(12, theme.mm_to_px(theme.TOUCH_GAP_MM)))
        self.fields: dict[str, TouchField] = {}
        for i, (key, name) in enumerate(
            (
                ("order", QCoreApplication.translate("ShiftSheet", "Order")),
                ("product", QCoreApplication.translate("ShiftSheet", "Product")),
                ("batch", QCoreApplication.translate("ShiftSheet", "Batch")),
            )
        ):
            field = TouchField(touch)
            field.setMaxLength(MAX_CONTEXT)
            grid.addWidget(QLabel(name), i, 0)
            grid.addWidget(field, i, 1)
            self.fields[key] = field
        order, product, batch = self.fields.values()
        order.returnPressed.connect(lambda: product.setFocus(Qt.FocusReason.TabFocusReason))
        product.returnPressed.connect(lambda: batch.setFocus(Qt.FocusReason.TabFocusReason))
        batch.returnPressed.connect(self.save)
        self.body.addLayout(grid)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.body.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.setSpacing(touch)
        self.cancel_button = TouchButton(
            QCoreApplication.translate("ShiftSheet", "Back"), touch * 3, round(touch * 1.2)
        )
        self.line_button = TouchButton(
            QCoreApplication.translate("ShiftSheet", "Use the line's values"),
            touch * 4,
            round(touch * 1.2),
        )
        self.save_button = TouchButton(
            QCoreApplication.translate("ShiftSheet", "Save"), touch * 3, round(touch * 1.2)
        )
        self.save_button.setObjectName("primary")
        for button in (self.cancel_button, self.line_button, self.save_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.close_sheet)
        self.line_button.clicked.connect(self.use_line)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.line_button)
        buttons.addWidget(self.save_button)
        self.body.addLayout(buttons)

    def open(self) -> None:
        context = self._downtime.context(self.station.id)
        for key, value in (
            ("order", context.order),
            ("product", context.product),
            ("batch", context.batch),
        ):
            self.fields[key].setText(value or "")
        self.message.clear()
        super().open()
        self.fields["order"].setFocus(Qt.FocusReason.OtherFocusReason)
        self.fields["order"].selectAll()

    def save(self) -> None:
        values = [f.text().strip() or None for f in self.fields.values()]
        if not any(values):
            self.use_line()
            return
        self._send(*values)

    def use_line(self) -> None:
        self._send(None, None, None)

    def _send(self, order: str | None, product: str | None, batch: str | None) -> None:
        if self.busy:
            return
        self.busy = True
        self.message.setText(QCoreApplication.translate("ShiftSheet", "Saving…"))
        call = self._downtime.set_context(self.station.id, order, product, batch)
        self._tasks.run(call, self._saved, self._failed, what="downtime.context")

    def _saved(self, _result: object) -> None:
        self.busy = False
        self.close_sheet()

    def _failed(self, failure: CallFailure) -> None:
        self.busy = False
        self.message.setText(f"✕ {failure.message}")
