"""The sync page: where the operator records stand on their way to the MES.

Figures come from ``SyncService.summary()``, a snapshot the runtime refreshes
every second (reading it is no I/O); the quarantine list is fetched through
the runtime when the page is shown and after each action. Retry, export and
discard are checked by role in the service; discard asks for a confirmation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.gui import theme
from hmi.gui.list_model import ListModel
from hmi.gui.tasks import CallFailure, ServiceTasks
from hmi.gui.touch import Sheet, TouchButton
from hmi.services.sync import QuarantinedRecord, SyncService, SyncStatus, UpstreamLink

Index = QModelIndex | QPersistentModelIndex
EXPORT_DIR = Path.home() / "floorline-exports"


def link_text(status: SyncStatus) -> tuple[str, bool]:
    """The upstream's state in words, and whether it is abnormal."""

    translate = QCoreApplication.translate
    words = {
        UpstreamLink.NONE: (
            "○ " + translate("SyncPage", "no upstream configured: records stay here"),
            False,
        ),
        UpstreamLink.CONNECTING: ("◌ " + translate("SyncPage", "connecting"), False),
        UpstreamLink.CONNECTED: ("● " + translate("SyncPage", "connected"), False),
        UpstreamLink.RECONNECTING: ("⊘ " + translate("SyncPage", "not reachable, retrying"), True),
        UpstreamLink.STOPPED: ("■ " + translate("SyncPage", "stopped"), True),
    }
    return words[status.link]


def age_text(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class QuarantineModel(ListModel):
    """Quarantined records: station, number, kind, time, user, tries, the upstream's reason."""

    COLUMNS = (
        str(QT_TRANSLATE_NOOP("QuarantineModel", "Station")),
        str(QT_TRANSLATE_NOOP("QuarantineModel", "No.")),
        str(QT_TRANSLATE_NOOP("QuarantineModel", "Kind")),
        str(QT_TRANSLATE_NOOP("QuarantineModel", "Time")),
        str(QT_TRANSLATE_NOOP("QuarantineModel", "User")),
        str(QT_TRANSLATE_NOOP("QuarantineModel", "Tries")),
        str(QT_TRANSLATE_NOOP("QuarantineModel", "Refused because")),
    )

    def __init__(self, parent: Any = None) -> None:
        titles = tuple(QCoreApplication.translate("QuarantineModel", c) for c in self.COLUMNS)
        super().__init__(titles, parent)
        self.rows: list[QuarantinedRecord] = []

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        if index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        when = datetime.fromtimestamp(row.ts).strftime("%Y-%m-%d %H:%M:%S")
        values = (row.station, row.seq, row.kind, when, row.user, row.tries, row.last_error)
        return str(values[index.column()])


class SyncPage(QWidget):
    """Pending, in flight, delivered and quarantined records; retry, export, discard."""

    def __init__(
        self, sync: SyncService, tasks: ServiceTasks, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._sync = sync
        self._tasks = tasks
        self._shown_quarantined = -1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(12)
        title = QLabel(self.tr("Records to the MES"))
        title.setObjectName("title")
        layout.addWidget(title)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(
            f"color: {theme.FAULT_INK}; background: {theme.FAULT_FILL}; border: 2px solid"
            f" {theme.FAULT_INK}; border-radius: 4px; padding: 8px; font-weight: bold;"
        )
        self.warning.hide()
        layout.addWidget(self.warning)
        layout.addWidget(self._figures_panel())
        layout.addWidget(QLabel(self.tr("Quarantined: refused by the MES, kept here")))
        self.model = QuarantineModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(theme.touch_min_px())
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._actions())
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.confirm = DiscardSheet(self.window() if parent is None else parent.window())
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)

    def _figures_panel(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("panel")
        grid = QGridLayout(panel)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(24)
        self.figures: dict[str, QLabel] = {}
        names = (
            ("upstream", self.tr("Upstream")),
            ("link", self.tr("Link")),
            ("pending", self.tr("Waiting to be sent")),
            ("in_flight", self.tr("Sent, waiting for receipt")),
            ("delivered", self.tr("Delivered")),
            ("quarantined", self.tr("Quarantined")),
            ("oldest", self.tr("Oldest waiting")),
            ("error", self.tr("Last error")),
        )
        for i, (key, label) in enumerate(names):
            name = QLabel(label)
            value = QLabel("—")
            value.setFont(theme.font(theme.BASE_PT, bold=True))
            value.setWordWrap(True)
            grid.addWidget(name, i % 4, (i // 4) * 2)
            grid.addWidget(value, i % 4, (i // 4) * 2 + 1)
            self.figures[key] = value
        grid.setColumnStretch(3, 1)
        return panel

    def _actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        size = theme.touch_min_px()
        self.retry_button = TouchButton(self.tr("Retry selected"), size * 4, size)
        self.export_button = TouchButton(self.tr("Export selected"), size * 4, size)
        self.discard_button = TouchButton(self.tr("Discard selected…"), size * 4, size)
        self.retry_button.clicked.connect(self.retry)
        self.export_button.clicked.connect(self.export)
        self.discard_button.clicked.connect(self._ask_discard)
        row.addWidget(self.retry_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        row.addWidget(self.discard_button)  # apart from the others: it gives records up
        return row

    def showEvent(self, event: QShowEvent) -> None:
        self._timer.start()
        self.refresh()
        self.load_quarantine()
        super().showEvent(event)

    def hideEvent(self, event: Any) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        status = self._sync.summary()
        text, abnormal = link_text(status)
        self.figures["upstream"].setText(status.upstream or "—")
        self.figures["link"].setText(text)
        self.figures["link"].setStyleSheet(f"color: {theme.FAULT_INK if abnormal else theme.TEXT};")
        self.figures["pending"].setText(str(status.pending))
        self.figures["in_flight"].setText(str(status.in_flight))
        self.figures["delivered"].setText(str(status.delivered))
        self.figures["quarantined"].setText(str(status.quarantined))
        self.figures["oldest"].setText(age_text(status.oldest_pending_age_s))
        self.figures["error"].setText(status.last_error or "—")
        self.warning.setVisible(bool(status.storage_warning))
        self.warning.setText("⚠ " + status.storage_warning)
        if status.quarantined != self._shown_quarantined:
            self.load_quarantine()

    def load_quarantine(self) -> None:
        self._shown_quarantined = self._sync.summary().quarantined
        self._tasks.run(self._sync.quarantined(), self.model.set_rows, what="sync.quarantined")

    def selected_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.rows[r].record_id for r in rows if r < len(self.model.rows)]

    def retry(self) -> None:
        ids = self.selected_ids()
        if ids:
            self._tasks.run(
                self._sync.retry(ids),
                self._done(lambda n: self.tr("%n record(s) back in the queue.", "", n)),
                self._failed,
                "sync.retry",
            )

    def export(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        path = EXPORT_DIR / f"quarantine-{datetime.now():%Y%m%d-%H%M%S}.jsonl"
        done = self._done(
            lambda n: self.tr("%n record(s) written to %1.", "", n).replace("%1", str(path))
        )
        self._tasks.run(self._sync.export(ids, path), done, self._failed, "sync.export")

    def _ask_discard(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.confirm.ask(len(ids), lambda: self.discard(ids))

    def discard(self, ids: list[str]) -> None:
        done = self._done(
            lambda n: self.tr("%n record(s) discarded (kept in the cache, not sent).", "", n)
        )
        self._tasks.run(self._sync.discard(ids), done, self._failed, "sync.discard")

    def _done(self, words: Callable[[int], str]) -> Any:
        def show(count: int) -> None:
            self.message.setText(words(count))
            self.table.clearSelection()
            self.load_quarantine()

        return show

    def _failed(self, failure: CallFailure) -> None:
        self.message.setText(failure.message)


class DiscardSheet(Sheet):
    """Asks once more before records are given up on."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window, self.tr("Discard quarantined records?"))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.body.addWidget(self.text)
        row = QHBoxLayout()
        size = theme.touch_min_px()
        cancel = TouchButton(self.tr("Keep them"), size * 4, size)
        self.discard_button = TouchButton(self.tr("Discard"), size * 4, size)
        cancel.clicked.connect(self.close_sheet)
        self.discard_button.clicked.connect(self._confirmed)
        row.addWidget(cancel)
        row.addStretch(1)
        row.addWidget(self.discard_button)
        self.body.addLayout(row)
        self._then: Any = None

    def ask(self, count: int, then: Any) -> None:
        self.text.setText(
            self.tr(
                "%n record(s) will not be sent to the MES. They stay in the cache and"
                " in the audit trail. Needs the engineer or admin role.",
                "",
                count,
            )
        )
        self._then = then
        self.open()

    def _confirmed(self) -> None:
        then, self._then = self._then, None
        self.close_sheet()
        if then is not None:
            then()
