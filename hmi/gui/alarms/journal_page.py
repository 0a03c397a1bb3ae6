"""The alarm journal page: every transition of every alarm, searched by window and filters.

The journal is read through the runtime (``AlarmService.load_journal``); the
page only holds the answer. Newest lines come first. The CSV export writes
the lines shown, on a worker thread of its own, with a progress bar.
"""

from __future__ import annotations

import concurrent.futures
import csv
import enum
import logging
import math
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDateTime,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFontMetrics, QIcon, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.domain.alarms import AlarmState, Event, Priority, Transition
from hmi.domain.plant import PlantDef
from hmi.gui import theme
from hmi.gui.alarms.look import event_text, priority_icon, priority_text, state_text
from hmi.gui.list_model import ListModel
from hmi.gui.tasks import CallFailure, ServiceTasks
from hmi.gui.touch import TouchButton, TouchField
from hmi.gui.widgets import ElidedLabel
from hmi.services.alarms import AlarmService
from hmi.storage.alarm_journal import JournalQuery

log = logging.getLogger(__name__)
Index = QModelIndex | QPersistentModelIndex

LIMIT = 100_000  # lines per search; more than a screen can show, few enough to hold
ICON_PX = 24
ROW_PX = 38
CELL_PAD = 6
EXPORT_POLL_MS = 50
EXPORT_DIR = Path.home() / "floorline-exports"
HOUR_S = 3600.0
WINDOWS_S = (HOUR_S, 8 * HOUR_S, 24 * HOUR_S, 7 * 24 * HOUR_S)  # the presets; a shift is 8 h
DEFAULT_WINDOW_S = 8 * HOUR_S
OPERATOR_EVENTS = frozenset(
    {
        Event.ACKNOWLEDGED,
        Event.CONFIRMED,
        Event.COMMENT,
        Event.SHELVED,
        Event.UNSHELVED,
        Event.OUT_OF_SERVICE,
        Event.RETURNED_TO_SERVICE,
    }
)


class EventKind(enum.Enum):
    """Which journal lines to show, by what happened."""

    ALL = frozenset[Event]()
    ACTIVATIONS = frozenset({Event.ACTIVE})
    OPERATOR_ACTIONS = OPERATOR_EVENTS


def local_time(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts))


def value_text(value: float | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.10g}"
    return value


class JournalModel(ListModel):
    """Journal lines, newest first: time, station, priority, event, state, message and more."""

    PRIORITY = 2

    def __init__(self, station_names: dict[str, str], parent: Any = None) -> None:
        super().__init__((), parent)
        self.rows: list[Transition] = []
        self._stations = station_names
        self._icons = {p: QIcon(priority_icon(p, ICON_PX)) for p in Priority}
        self.columns = (
            self.tr("Time"), self.tr("Station"), self.tr("Priority"), self.tr("Event"),
            self.tr("State"), self.tr("Message"), self.tr("Value"), self.tr("User"),
            self.tr("Text"),
        )  # fmt: skip

    def set_rows(self, rows: Sequence[Transition]) -> None:
        """Show ``rows`` (in journal order) newest first; lines of equal time stay reversed."""
        newest_first = list(reversed(rows))
        newest_first.sort(key=attrgetter("ts"), reverse=True)
        self.beginResetModel()
        self.rows = newest_first
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == self.PRIORITY:
            return self._icons[row.priority]
        if role == Qt.ItemDataRole.ToolTipRole and column == 5:  # the full text, and which alarm
            return f"{self.text(row, column)}\n{row.alarm_id} ({row.station})"
        if role == Qt.ItemDataRole.ToolTipRole and column == 8:
            return self.text(row, column) or None
        return None

    def text(self, row: Transition, column: int) -> str:
        if column == 0:
            return local_time(row.ts)
        if column == 1:
            return self._stations.get(row.station, row.station)
        if column == self.PRIORITY:
            return priority_text(row.priority)
        if column == 3:
            return event_text(row.event)
        if column == 4:
            return state_text(row.state)
        if column == 5:
            return row.message or row.alarm_id
        if column == 6:
            return value_text(row.value)
        if column == 7:
            return row.user
        if column == 8:
            if row.until is None:
                return row.text
            until = self.tr("until %1").replace("%1", local_time(row.until))
            return f"{row.text} ({until})" if row.text else until
        return ""


# -- CSV ---------------------------------------------------------------------------------------

CSV_HEADER = (
    "time_utc", "time_local", "alarm_id", "station", "priority", "event", "state",
    "message", "value", "user", "text", "annunciated", "until_utc",
)  # fmt: skip
_FORMULA_START = frozenset("=+-@\t\r")
_PRIORITY_WORDS = {p: p.word for p in Priority}


def utc_iso(ts: float) -> str:
    whole = math.floor(ts)
    millis = min(999, round((ts - whole) * 1000))
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{millis:03d}Z"


def local_iso(ts: float) -> str:
    whole = math.floor(ts)
    millis = min(999, round((ts - whole) * 1000))
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(whole)) + f".{millis:03d}"


def _cell(text: str) -> str:
    """Free text as a spreadsheet reads it: never as a formula (a comment is user input)."""
    return "'" + text if text and text[0] in _FORMULA_START else text


def write_journal_csv(
    path: Path, rows: Sequence[Transition], progress: Callable[[float], None] | None = None
) -> int:
    """Write ``rows`` in the order given, one line each; returns the count.

    Times in UTC (ISO 8601) and in local time; priority, event and state in
    the journal's own words, so a file reads the same in every language.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    total = max(len(rows), 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        for i, t in enumerate(rows):
            value = t.value if isinstance(t.value, float) else _cell(t.value or "")
            writer.writerow(
                (
                    utc_iso(t.ts), local_iso(t.ts), _cell(t.alarm_id), _cell(t.station),
                    _PRIORITY_WORDS[t.priority], t.event, t.state, _cell(t.message),
                    value_text(value), _cell(t.user), _cell(t.text),
                    "yes" if t.annunciated else "no",
                    "" if t.until is None else utc_iso(t.until),
                )
            )  # fmt: skip
            if progress is not None and i % 5000 == 0:
                progress(i / total)
    if progress is not None:
        progress(1.0)
    return len(rows)


# -- the page ----------------------------------------------------------------------------------


class AlarmJournalPage(QWidget):
    """Search the alarm journal by window, station, priority, event kind and text; export CSV.

    Tests drive it through ``search()``, ``export_csv(path)``, the filter
    widgets and ``model``; ``count_label`` and ``message`` show the outcome.
    """

    def __init__(
        self,
        plant: PlantDef,
        tasks: ServiceTasks,
        alarms: AlarmService,
        now: Callable[[], float],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._plant = plant
        self._tasks = tasks
        self._alarms = alarms
        self._now = now
        self.limit = LIMIT
        self.export_dir = EXPORT_DIR
        self.ask_for_path = True  # False in kiosk mode: straight into export_dir
        self._searches = 0  # answers to an older search are dropped
        self._searched = False
        self._setting_window = False
        self._export: concurrent.futures.Future[int] | None = None
        self._export_asked = False  # the service is checking the role
        self._export_path: Path | None = None
        self._progress = 0.0
        size = theme.touch_min_px()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(self._window_row(size))
        layout.addLayout(self._filter_row(size))
        self.model = JournalModel({s.id: s.name for s in plant.stations}, self)
        self.table = self._table()
        layout.addWidget(self.table, 1)
        layout.addLayout(self._status_row(size))
        self._export_timer = QTimer(self)
        self._export_timer.setInterval(EXPORT_POLL_MS)
        self._export_timer.timeout.connect(self._check_export)
        self.set_window(DEFAULT_WINDOW_S)

    # -- building ---------------------------------------------------------------------------

    def _window_row(self, size: int) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        title = ElidedLabel()  # shortened with … rather than widening the page
        title.setText(self.tr("Alarm journal"))
        title.setObjectName("title")
        row.addWidget(title)
        row.addSpacing(16)
        row.addWidget(QLabel(self.tr("Last")))
        self.window_buttons: dict[float, TouchButton] = {}
        labels = (self.tr("1 h"), self.tr("8 h (shift)"), self.tr("24 h"), self.tr("7 days"))
        for text, seconds in zip(labels, WINDOWS_S, strict=True):
            button = TouchButton(text, size * 2, size)
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, s=seconds: self._preset(s))
            self.window_buttons[seconds] = button
            row.addWidget(button)
        row.addStretch(1)
        self.from_edit = self._time_edit(size)
        self.to_edit = self._time_edit(size)
        row.addWidget(QLabel(self.tr("From")))
        row.addWidget(self.from_edit)
        row.addWidget(QLabel(self.tr("to")))
        row.addWidget(self.to_edit)
        return row

    def _time_edit(self, size: int) -> QDateTimeEdit:
        edit = QDateTimeEdit()
        edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        edit.setCalendarPopup(True)
        edit.setMinimumHeight(size)
        edit.setFont(theme.font(theme.BASE_PT))
        edit.dateTimeChanged.connect(self._custom_window)
        return edit

    def _filter_row(self, size: int) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.station_box = theme.compact(QComboBox())
        self.station_box.setMinimumHeight(size)
        self.station_box.addItem(self.tr("All stations"), None)
        for station in self._plant.stations:
            self.station_box.addItem(station.name, station.id)
        row.addWidget(self.station_box)
        self.priority_buttons: dict[Priority, TouchButton] = {}
        for priority in sorted(Priority, reverse=True):
            button = TouchButton(priority_text(priority), size * 2, size)
            button.setIcon(QIcon(priority_icon(priority, ICON_PX)))
            button.setIconSize(QSize(ICON_PX, ICON_PX))
            button.setCheckable(True)
            button.setChecked(True)
            button.setToolTip(self.tr("Show or hide this priority"))
            self.priority_buttons[priority] = button
            row.addWidget(button)
        self.event_box = theme.compact(QComboBox())
        self.event_box.setMinimumHeight(size)
        self.event_box.addItem(self.tr("All events"), EventKind.ALL)
        self.event_box.addItem(self.tr("Activations only"), EventKind.ACTIVATIONS)
        self.event_box.addItem(self.tr("Operator actions only"), EventKind.OPERATOR_ACTIONS)
        row.addWidget(self.event_box)
        self.search_field = TouchField(size)
        self.search_field.setPlaceholderText(self.tr("Message, alarm or user"))
        self.search_field.returnPressed.connect(self.search)
        row.addWidget(self.search_field, 1)
        self.search_button = TouchButton(self.tr("Search"), size * 2, size)
        self.search_button.setObjectName("primary")
        self.search_button.clicked.connect(self.search)
        row.addWidget(self.search_button)
        return row

    def _table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setIconSize(QSize(ICON_PX, ICON_PX))
        # Nine columns on a 1280 px panel: a narrower cell padding than the theme's 10 px.
        table.setStyleSheet(
            f"QTableView::item {{ padding-left: {CELL_PAD}px; padding-right: 2px; }}"
        )
        vertical = table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_PX)
        header = table.horizontalHeader()
        header.setMinimumSectionSize(40)
        # Widths from the font, not from the rows: measuring 100,000 rows would freeze the screen.
        metrics = QFontMetrics(theme.font(theme.BASE_PT))
        bold = QFontMetrics(theme.font(theme.BASE_PT, bold=True))

        def fit(*texts: str, extra: int = 0) -> int:
            widest = max(metrics.horizontalAdvance(t) for t in texts)
            return widest + extra + CELL_PAD + 14

        names = [s.name for s in self._plant.stations] or [""]
        widths = {
            0: fit(local_time(0.0)),
            1: min(fit(*names), 200),
            2: fit(*(priority_text(p) for p in Priority), extra=ICON_PX + 6),
            3: fit(event_text(Event.ACKNOWLEDGED), event_text(Event.UNSUPPRESSED)),
            4: fit(state_text(AlarmState.UNACK)),
            6: fit("-1234.5"),
            7: fit("olga.m"),
            8: fit("10 min: a reason"),  # operator notes; the full text is in the tool tip
        }
        for column, width in widths.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(width, bold.horizontalAdvance(title) + 24))
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)  # the message: the rest
        return table

    def _status_row(self, size: int) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(12)
        # Both wrap and take the width they are given: a long path never widens the page.
        self.count_label = QLabel("")
        self.count_label.setFont(theme.font(theme.BASE_PT, bold=True))
        self.count_label.setWordWrap(True)
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.count_label, 2)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.message, 3)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setFixedWidth(200)
        self.progress.hide()
        row.addWidget(self.progress)
        self.export_button = TouchButton(self.tr("Export CSV…"), size * 3, size)
        self.export_button.clicked.connect(self._ask_export)
        row.addWidget(self.export_button)
        return row

    # -- the window ---------------------------------------------------------------------------

    def set_window(self, seconds: float) -> None:
        """Choose a preset window: the last ``seconds`` up to the moment of each search."""
        for span, button in self.window_buttons.items():
            button.setChecked(span == seconds)
        t1 = self._now()
        self._show_window(t1 - seconds, t1)

    def set_custom_window(self, t0: float, t1: float) -> None:
        """A fixed window ``t0 <= ts < t1`` (UTC epoch seconds), as if typed in the editors."""
        self._show_window(t0, t1)
        self._custom_window()

    def time_window(self) -> tuple[float, float]:
        """The window the next search reads: a preset ends now; typed times are whole minutes.

        The editors show minutes, so a typed window is what they show: from the
        start of the "from" minute to the end of the "to" minute.
        """
        for seconds, button in self.window_buttons.items():
            if button.isChecked():
                t1 = self._now()
                return t1 - seconds, t1
        t0 = self.from_edit.dateTime().toSecsSinceEpoch() // 60 * 60
        t1 = self.to_edit.dateTime().toSecsSinceEpoch() // 60 * 60 + 60
        return float(t0), float(t1)

    def _preset(self, seconds: float) -> None:
        self.set_window(seconds)
        self.search()

    def _show_window(self, t0: float, t1: float) -> None:
        self._setting_window = True
        try:
            self.from_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(t0)))
            self.to_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(t1)))
        finally:
            self._setting_window = False

    def _custom_window(self) -> None:
        if self._setting_window:
            return
        for button in self.window_buttons.values():
            button.setChecked(False)

    # -- searching ----------------------------------------------------------------------------

    def query(self) -> JournalQuery | None:
        """The search the filters describe; None (and a message) when they cannot match."""
        t0, t1 = self.time_window()
        if t1 <= t0:
            self.message.setText(self.tr("The window must end after it starts."))
            return None
        priorities = {p for p, b in self.priority_buttons.items() if b.isChecked()}
        if not priorities:
            self.message.setText(self.tr("Choose at least one priority."))
            return None
        station = self.station_box.currentData()
        kind = self.event_box.currentData()
        assert isinstance(kind, EventKind)
        return JournalQuery(
            t0=t0,
            t1=t1,
            stations=frozenset({station}) if isinstance(station, str) else frozenset(),
            priorities=frozenset() if len(priorities) == len(Priority) else frozenset(priorities),
            events=kind.value,
            text=self.search_field.text().strip(),
            limit=self.limit + 1,  # one more than shown: tells whether there are more
        )

    def search(self) -> None:
        query = self.query()
        if query is None:
            return
        if any(b.isChecked() for b in self.window_buttons.values()):
            self._show_window(query.t0, query.t1)  # the preset, up to now
        self._searched = True
        self._searches += 1
        search_id = self._searches
        self.count_label.setText(self.tr("Searching…"))
        self.message.setText("")
        self.search_button.setEnabled(False)

        def done(rows: list[Transition]) -> None:
            if search_id == self._searches:
                self._show_rows(rows, query.limit - 1)

        def failed(failure: CallFailure) -> None:
            if search_id == self._searches:
                self.search_button.setEnabled(True)
                self.count_label.setText("")
                self.message.setText(failure.message)

        self._tasks.run(self._alarms.load_journal(query), done, failed, "alarms.load_journal")

    def _show_rows(self, rows: list[Transition], limit: int) -> None:
        self.search_button.setEnabled(True)
        more = len(rows) > limit
        self.model.set_rows(rows[-limit:])  # the storage gives the newest, in time order
        count = min(len(rows), limit)
        if more:
            text = self.tr(
                "Showing the newest %1 lines of the window:"
                " narrow the window or the filters to see the earlier ones."
            ).replace("%1", f"{count:,}")
        elif count == 0:
            text = self.tr("No lines match.")
        else:
            text = self.tr("%1 line(s)").replace("%1", f"{count:,}")
        self.count_label.setText(text)
        self.table.scrollToTop()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._searched:
            self.search()

    # -- export -------------------------------------------------------------------------------

    def _ask_export(self) -> None:
        suggested = self.export_dir / f"alarm-journal-{datetime.now():%Y%m%d-%H%M%S}.csv"
        if not self.ask_for_path:  # a kiosk has no file dialog: the exports folder, named
            self.export_csv(suggested)
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the alarm journal"), str(suggested), self.tr("CSV (*.csv)")
        )
        if path:
            self.export_csv(Path(path))

    @property
    def exporting(self) -> bool:
        return self._export is not None or self._export_asked

    def export_csv(self, path: Path) -> bool:
        """Ask the service whether this user may export (audited), then write on a worker.

        Returns whether the export was asked for; the outcome is shown in
        ``message`` ("Saved N rows to PATH", or why not).
        """
        if self._export is not None or self._export_asked:
            return False
        rows = list(self.model.rows)  # the model may change while the file is written
        if not rows:
            self.message.setText(self.tr("Nothing to export: search first."))
            return False
        self._export_asked = True
        self.export_button.setEnabled(False)
        self._tasks.run(
            self._alarms.authorize_export("alarm journal", str(path), len(rows)),
            lambda _ok: self._write(path, rows),
            self._export_refused,
            what="alarm.export",
        )
        return True

    def _export_refused(self, failure: CallFailure) -> None:
        self._export_asked = False
        self.export_button.setEnabled(True)
        self.message.setText(failure.message)

    def _write(self, path: Path, rows: list[Transition]) -> None:
        self._export_asked = False
        self._progress = 0.0

        def progress(share: float) -> None:
            self._progress = share  # one float, read by the GUI timer

        worker = concurrent.futures.ThreadPoolExecutor(1, "journal-export")
        self._export = worker.submit(write_journal_csv, path, rows, progress)
        worker.shutdown(wait=False)  # the thread ends with the job
        self._export_path = path
        self.export_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.message.setText(self.tr("Exporting to %1 …").replace("%1", str(path)))
        self._export_timer.start()

    def _check_export(self) -> None:
        future = self._export
        if future is None:
            self._export_timer.stop()
            return
        self.progress.setValue(round(self._progress * 100))
        if not future.done():
            return
        self._export_timer.stop()
        self._export = None
        self.export_button.setEnabled(True)
        self.progress.hide()
        error = future.exception()
        if isinstance(error, OSError):
            log.warning("alarm journal export to %s failed: %s", self._export_path, error)
            self.message.setText(self.tr("Export failed: %1").replace("%1", str(error)))
            return
        if error is not None:
            self.message.setText(self.tr("Export failed: an internal error (details in the log)."))
            raise error
        self.message.setText(
            self.tr("Saved %1 rows to %2")
            .replace("%1", str(future.result()))
            .replace("%2", str(self._export_path))
        )
