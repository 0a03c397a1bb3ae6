"""The alarm page: the active list, the hidden list, and the operator's alarm actions.

Acknowledge works on one alarm or on the visible selection, never on
everything blindly. Shelving asks for a reason and a time from presets that
never exceed the alarm's maximum. Every action goes to the alarm service,
which checks the role and records it; a refusal shows its reason here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QIcon, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.domain.alarms import HIDDEN_STATES, AlarmState, AlarmView, Priority
from hmi.domain.plant import PlantDef
from hmi.gui import theme
from hmi.gui.alarms.look import priority_icon, priority_text, state_text
from hmi.gui.alarms.model import ICON_PX, AlarmFilter, AlarmTableModel
from hmi.gui.alarms.shown import ShownRows
from hmi.gui.tasks import CallFailure, ServiceTasks
from hmi.gui.touch import Sheet, TouchButton, TouchField
from hmi.services.alarms import AlarmService

FLASH_MS = 500

SHELVE_PRESETS = ((15 * 60, "15 min"), (3600, "1 h"), (4 * 3600, "4 h"), (8 * 3600, "8 h"))


class ReasonSheet(Sheet):
    """Asks for a text (a comment, a reason) and, for shelving, a time limit.

    Signals:
        chosen(str, object): the text and the chosen seconds (None: one-shot or no time).
    """

    chosen = Signal(str, object)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window, "")
        touch = theme.touch_min_px()
        self.panel.setMinimumWidth(touch * 16)
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.body.addWidget(self.prompt)
        self.text = TouchField(touch)
        self.text.setMaxLength(500)
        self.text.textChanged.connect(self._update)
        self.body.addWidget(self.text)
        self.times = QHBoxLayout()
        self.time_group = QButtonGroup(self)
        self.time_group.setExclusive(True)
        self.time_group.buttonClicked.connect(lambda _b: self._update())
        self.body.addLayout(self.times)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.body.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.setSpacing(touch)
        self.cancel = TouchButton(
            QCoreApplication.translate("AlarmsPage", "Cancel"), touch * 4, round(touch * 1.4)
        )
        self.ok = TouchButton("", touch * 4, round(touch * 1.4))
        self.ok.setObjectName("primary")
        self.cancel.clicked.connect(self.close_sheet)
        self.ok.clicked.connect(self._confirm)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.ok)
        self.body.addLayout(buttons)
        self._seconds: dict[int, float | None] = {}
        self._needs_time = False

    def ask(
        self,
        title: str,
        prompt: str,
        ok: str,
        times: list[tuple[float | None, str]] | None = None,
    ) -> None:
        self.title.setText(title)
        self.prompt.setText(prompt)
        self.ok.setText(ok)
        self.text.clear()
        self.message.clear()
        for button in self.time_group.buttons():
            self.time_group.removeButton(button)
            button.deleteLater()
        self._seconds.clear()
        self._needs_time = bool(times)
        touch = theme.touch_min_px()
        for seconds, label in times or []:
            button = TouchButton(label, touch * 2, touch)
            button.setCheckable(True)
            self.time_group.addButton(button)
            self._seconds[id(button)] = seconds
            self.times.addWidget(button)
        self._update()
        self.open()
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def say(self, text: str) -> None:
        self.message.setText(text)

    def _update(self) -> None:
        has_time = not self._needs_time or self.time_group.checkedButton() is not None
        self.ok.setEnabled(bool(self.text.text().strip()) and has_time)

    def _confirm(self) -> None:
        button = self.time_group.checkedButton()
        seconds = self._seconds.get(id(button)) if button is not None else None
        self.chosen.emit(self.text.text().strip(), seconds)


class AlarmsPage(QWidget):
    """Active alarms with details and actions; hidden alarms; journal and KPIs as tabs.

    Signals:
        station_requested(str): go to the alarm's station page.
        trend_requested(str): trend the alarm's tag.
    """

    station_requested = Signal(str)
    trend_requested = Signal(str)

    def __init__(
        self,
        plant: PlantDef,
        service: AlarmService | None,
        tasks: ServiceTasks | None,
        window: QWidget,
        extra_tabs: list[tuple[str, QWidget]] | None = None,
        now: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.plant = plant
        self._service = service
        self._tasks = tasks
        self._now = now
        self._tags = {t.id for t in plant.tags}
        touch = theme.touch_min_px()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(8)

        tabs = QHBoxLayout()
        self._tab_group = QButtonGroup(self)
        self.stack = QStackedWidget()
        self.active_tab = TouchButton(
            QCoreApplication.translate("AlarmsPage", "Active"), touch * 3, touch
        )
        self.hidden_tab = TouchButton(
            QCoreApplication.translate("AlarmsPage", "Shelved / out of service"), touch * 4, touch
        )
        self.model = AlarmTableModel(plant)
        self.hidden_model = AlarmTableModel(plant, AlarmFilter(listed=HIDDEN_STATES))
        self.shown = ShownRows(self.model)
        self.hidden_shown = ShownRows(self.hidden_model)
        self.stack.addWidget(self._active_panel(touch))
        self.stack.addWidget(self._hidden_panel(touch))
        for index, button in enumerate(
            [self.active_tab, self.hidden_tab]
            + [TouchButton(t, touch * 3, touch) for t, _ in extra_tabs or []]
        ):
            button.setCheckable(True)
            self._tab_group.addButton(button, index)
            tabs.addWidget(button)
        for _, widget in extra_tabs or []:
            self.stack.addWidget(widget)
        self._tab_group.idClicked.connect(self.stack.setCurrentIndex)
        self.active_tab.setChecked(True)
        tabs.addStretch(1)
        layout.addLayout(tabs)
        layout.addWidget(self.stack, 1)

        self.sheet = ReasonSheet(window)
        self.sheet.chosen.connect(self._sheet_chosen)
        self._sheet_action: Callable[[str, float | None], None] | None = None
        self._flash = QTimer(self)
        self._flash.setInterval(FLASH_MS)
        self._flash.timeout.connect(self._toggle_flash)
        self._flash.start()
        self._update_actions()

    TABS = ("active", "hidden", "journal", "kpis")

    def show_tab(self, name: str) -> None:
        """Show a tab by name: active, hidden, journal, kpis."""
        button = self._tab_group.button(self.TABS.index(name))
        if button is not None:
            button.click()

    # -- the active list ---------------------------------------------------------------

    def _active_panel(self, touch: int) -> QWidget:
        panel = QWidget()
        row = QHBoxLayout(panel)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        left = QVBoxLayout()
        filters = QHBoxLayout()
        self.station_filter = theme.compact(QComboBox())
        self.station_filter.setMinimumHeight(touch)
        self.station_filter.addItem(QCoreApplication.translate("AlarmsPage", "All stations"), "")
        for station in self.plant.stations:
            self.station_filter.addItem(station.name, station.id)
        self.station_filter.currentIndexChanged.connect(self._filter_changed)
        filters.addWidget(self.station_filter)
        self.priority_buttons: dict[Priority, TouchButton] = {}
        for priority in sorted(Priority, reverse=True):
            button = TouchButton(priority_text(priority), touch * 2, touch)
            button.setIcon(QIcon(priority_icon(priority, 24)))
            button.setCheckable(True)
            button.toggled.connect(self._filter_changed)
            self.priority_buttons[priority] = button
            filters.addWidget(button)
        self.unack_only = TouchButton(
            QCoreApplication.translate("AlarmsPage", "Unacknowledged only"), touch * 3, touch
        )
        self.unack_only.setCheckable(True)
        self.unack_only.toggled.connect(self._filter_changed)
        filters.addWidget(self.unack_only)
        filters.addStretch(1)
        left.addLayout(filters)
        self.table = self._table(self.shown.model, touch)
        left.addWidget(self.table, 1)
        self.summary = QLabel()
        left.addWidget(self.summary)
        row.addLayout(left, 1)
        row.addWidget(self._details(touch))
        return panel

    def _table(self, model: QStandardItemModel, touch: int) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(max(44, touch))
        table.setShowGrid(False)
        # A neutral selection: the priority colours must stay readable on a selected row.
        table.setStyleSheet(
            "QTableView { selection-background-color: #aeb4b9; selection-color: #000000; }"
        )
        table.setAlternatingRowColors(True)
        # Fixed widths: sizing columns to their contents re-measures every row on each
        # change, which a flood of thousands of alarms turns into seconds of frozen screen.
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics = table.fontMetrics()
        bold = QFontMetrics(theme.font(theme.BASE_PT, bold=True))
        for column, sample in enumerate(
            (
                priority_text(Priority.MEDIUM),
                "00:00:00",
                QCoreApplication.translate("AlarmTableModel", "Station"),
                "",
                "000.0 bar",
                state_text(AlarmState.UNACK),
            )
        ):
            if sample:
                width = max(metrics.horizontalAdvance(sample), bold.horizontalAdvance(sample))
                pad = 28  # the theme pads a cell by 10 px on each side
                table.setColumnWidth(column, width + pad + (ICON_PX if column == 0 else 0))
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        return table

    def _details(self, touch: int) -> QWidget:
        box = QFrame()
        box.setObjectName("alarmDetails")
        box.setStyleSheet(
            f"QFrame#alarmDetails {{ background: {theme.PANEL};"
            f" border: 1px solid {theme.PANEL_EDGE}; }}"
        )
        box.setFixedWidth(touch * 6)
        col = QVBoxLayout(box)
        col.setSpacing(8)
        self.detail_title = QLabel(QCoreApplication.translate("AlarmsPage", "Select an alarm"))
        self.detail_title.setWordWrap(True)
        self.detail_title.setFont(theme.font(theme.BASE_PT + 2, bold=True))
        self.detail_facts = QLabel()
        self.detail_facts.setWordWrap(True)
        self.detail_response = QLabel()
        self.detail_response.setWordWrap(True)
        self.detail_response.setStyleSheet(
            f"background: {theme.FIELD}; border: 1px solid {theme.PANEL_EDGE}; padding: 6px;"
        )
        for label in (self.detail_title, self.detail_facts):
            label.setStyleSheet("background: transparent;")
        col.addWidget(self.detail_title)
        col.addWidget(self.detail_facts)
        col.addWidget(self.detail_response)
        col.addStretch(1)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {theme.FAULT_INK}; background: transparent;")
        col.addWidget(self.problem)
        self._detail_buttons(col, touch)
        return box

    def _detail_buttons(self, col: QVBoxLayout, touch: int) -> None:
        width = touch * 3
        self.ack_button = TouchButton(
            QCoreApplication.translate("AlarmsPage", "Acknowledge"),
            width,
            round(touch * 1.4),
            grow=True,
        )
        self.ack_button.setObjectName("primary")
        self.confirm_button = TouchButton(
            QCoreApplication.translate("AlarmsPage", "Confirm"), width, touch, grow=True
        )
        self.confirm_button.setVisible(False)  # only for server conditions that ask for it
        self.confirm_button.clicked.connect(self._confirm)
        self.comment_button = TouchButton(
            QCoreApplication.translate("AlarmsPage", "Comment…"), width, touch, grow=True
        )
        self.shelve_button = TouchButton(
            QCoreApplication.translate("AlarmsPage", "Shelve…"), width, touch, grow=True
        )
        self.oos_button = TouchButton(
            QCoreApplication.translate("AlarmsPage", "Out of service…"), width, touch, grow=True
        )
        self.station_button = TouchButton(
            QCoreApplication.translate("AlarmsPage", "Station"), width, touch, grow=True
        )
        self.trend_button = TouchButton(
            QCoreApplication.translate("AlarmsPage", "Trend"), width, touch, grow=True
        )
        for half in (
            self.comment_button,
            self.shelve_button,
            self.station_button,
            self.trend_button,
        ):
            half.setStyleSheet("padding-left: 4px; padding-right: 4px;")  # two to a row
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.comment_button.clicked.connect(self._ask_comment)
        self.shelve_button.clicked.connect(self._ask_shelve)
        self.oos_button.clicked.connect(self._ask_out_of_service)
        self.station_button.clicked.connect(
            lambda: self.station_requested.emit(self._current().station)
        )
        self.trend_button.clicked.connect(lambda: self.trend_requested.emit(self._current().tag))
        col.addWidget(self.ack_button)
        col.addWidget(self.confirm_button)
        pair = QHBoxLayout()
        pair.addWidget(self.comment_button)
        pair.addWidget(self.shelve_button)
        col.addLayout(pair)
        col.addWidget(self.oos_button)
        pair = QHBoxLayout()
        pair.addWidget(self.station_button)
        pair.addWidget(self.trend_button)
        col.addLayout(pair)

    # -- the hidden list ---------------------------------------------------------------

    def _hidden_panel(self, touch: int) -> QWidget:
        panel = QWidget()
        col = QVBoxLayout(panel)
        col.setContentsMargins(0, 0, 0, 0)
        self.hidden_table = self._table(self.hidden_shown.model, touch)
        self.hidden_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.hidden_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_hidden()
        )
        col.addWidget(self.hidden_table, 1)
        self.hidden_detail = QLabel()
        self.hidden_detail.setWordWrap(True)
        self.hidden_detail.setMinimumHeight(touch * 2)
        col.addWidget(self.hidden_detail)
        row = QHBoxLayout()
        self.unshelve_button = TouchButton(
            QCoreApplication.translate("AlarmsPage", "Unshelve"), touch * 4, touch
        )
        self.return_button = TouchButton(
            QCoreApplication.translate("AlarmsPage", "Return to service"), touch * 4, touch
        )
        self.unshelve_button.clicked.connect(self._unshelve)
        self.return_button.clicked.connect(self._return_to_service)
        row.addWidget(self.unshelve_button)
        row.addWidget(self.return_button)
        row.addStretch(1)
        col.addLayout(row)
        self._update_hidden()
        return panel

    # -- updates -------------------------------------------------------------------------

    def apply(self, changes: dict[str, AlarmView | None]) -> None:
        self.model.apply(changes)
        self.hidden_model.apply(changes)
        self.shown.sync(self.table.selectionModel())
        self.hidden_shown.sync(self.hidden_table.selectionModel())
        views = self.model.all_views()
        hidden = sum(v.state in HIDDEN_STATES for v in views)
        self.hidden_tab.setText(
            QCoreApplication.translate("AlarmsPage", "Shelved / out of service (%1)").replace(
                "%1", str(hidden)
            )
        )
        listed = self.model.rowCount()
        unack = sum(v.state in (AlarmState.UNACK, AlarmState.RTNUN) for v in self.model.views())
        self.active_tab.setText(
            QCoreApplication.translate("AlarmsPage", "Active (%1)").replace("%1", str(listed))
        )
        summary = QCoreApplication.translate("AlarmsPage", "%1 listed, %2 unacknowledged").replace(
            "%1", str(listed)
        )
        if listed > self.shown.limit:
            summary += QCoreApplication.translate(
                "AlarmsPage", " — the first %1 shown: filter by station or priority for the rest"
            )
            summary = summary.replace("%1", str(self.shown.limit))
        self.summary.setText(summary.replace("%2", str(unack)))
        self._update_actions()
        self._update_hidden()

    def tick(self) -> None:
        """Once a second: the time left on the shelf."""
        self._update_hidden()

    def _toggle_flash(self) -> None:
        if self.isVisible():
            self.model.set_flash(not self.model.flash_on)
            self.shown.sync(self.table.selectionModel())

    def _filter_changed(self) -> None:
        station = self.station_filter.currentData()
        priorities = frozenset(p for p, b in self.priority_buttons.items() if b.isChecked())
        states = frozenset({AlarmState.UNACK}) if self.unack_only.isChecked() else frozenset()
        self.model.set_filter(
            AlarmFilter(
                stations=frozenset({station}) if station else frozenset(),
                priorities=priorities,
                states=states,
            )
        )
        self.shown.sync(self.table.selectionModel())
        self._update_actions()

    def selected(self) -> list[AlarmView]:
        ids = self.shown.selected_ids(self.table.selectionModel())
        return [v for i in ids if (v := self.model.view_of(i)) is not None]

    def select(self, alarm_ids: list[str]) -> None:
        self.shown.select(self.table.selectionModel(), alarm_ids)
        self._update_actions()

    def _current(self) -> AlarmView:
        return self.selected()[0]

    def _update_actions(self) -> None:
        chosen = self.selected()
        one = chosen[0] if len(chosen) == 1 else None
        ackable = [v for v in chosen if v.state in (AlarmState.UNACK, AlarmState.RTNUN)]
        live = self._service is not None and self._tasks is not None
        self.ack_button.setEnabled(live and bool(ackable))
        self.ack_button.setText(
            QCoreApplication.translate("AlarmsPage", "Acknowledge %1").replace(
                "%1", str(len(ackable))
            )
            if len(ackable) > 1
            else QCoreApplication.translate("AlarmsPage", "Acknowledge")
        )
        for button in (self.comment_button, self.shelve_button, self.oos_button):
            button.setEnabled(live and one is not None)
        self.confirm_button.setVisible(one is not None and one.confirmable)
        self.confirm_button.setEnabled(live)
        self.station_button.setEnabled(one is not None)
        self.trend_button.setEnabled(one is not None and one.tag in self._tags)
        if one is None:
            self.detail_title.setText(
                QCoreApplication.translate("AlarmsPage", "%1 alarms selected").replace(
                    "%1", str(len(chosen))
                )
                if chosen
                else QCoreApplication.translate("AlarmsPage", "Select an alarm")
            )
            self.detail_facts.clear()
            self.detail_response.setVisible(False)
            return
        self.detail_title.setText(one.message)
        facts = [
            f"{priority_text(one.priority)} · {state_text(one.state)}",
            QCoreApplication.translate("AlarmsPage", "Since %1").replace(
                "%1", _stamp(one.active_since or one.last_change)
            ),
        ]
        if one.comment:
            facts.append(
                QCoreApplication.translate("AlarmsPage", "Comment: %1").replace("%1", one.comment)
            )
        self.detail_facts.setText("\n".join(facts))
        self.detail_response.setVisible(bool(one.response))
        self.detail_response.setText(
            QCoreApplication.translate("AlarmsPage", "What to do: %1").replace("%1", one.response)
        )

    def _update_hidden(self) -> None:
        view = self._hidden_selected()
        live = self._service is not None and self._tasks is not None
        self.unshelve_button.setEnabled(
            live and view is not None and view.state is AlarmState.SHLVD
        )
        self.return_button.setEnabled(live and view is not None and view.state is AlarmState.OOSRV)
        lines = []
        for v in self.hidden_model.views():
            lines.append(self._hidden_line(v))
        self.hidden_detail.setText(
            "\n".join(lines[:4]) if view is None else self._hidden_line(view)
        )

    def _hidden_selected(self) -> AlarmView | None:
        ids = self.hidden_shown.selected_ids(self.hidden_table.selectionModel())
        return self.hidden_model.view_of(ids[0]) if ids else None

    def _hidden_line(self, view: AlarmView) -> str:
        if view.state is AlarmState.SHLVD:
            if view.shelved_one_shot:
                left = QCoreApplication.translate("AlarmsPage", "until it clears")
            elif view.shelved_until is not None and view.shelved_until != float("inf"):
                left = QCoreApplication.translate("AlarmsPage", "%1 min left").replace(
                    "%1", str(max(0, round((view.shelved_until - self._now()) / 60)))
                )
            else:
                left = QCoreApplication.translate("AlarmsPage", "at the server")
            return (
                QCoreApplication.translate("AlarmsPage", "%1 — shelved by %2: %3 (%4)")
                .replace("%1", view.message)
                .replace("%2", view.shelved_by or "?")
                .replace("%3", view.shelve_reason)
                .replace("%4", left)
            )
        if view.state is AlarmState.OOSRV:
            return (
                QCoreApplication.translate("AlarmsPage", "%1 — out of service by %2 since %3: %4")
                .replace("%1", view.message)
                .replace("%2", view.oos_by or "?")
                .replace("%3", _stamp(view.oos_since or view.last_change))
                .replace("%4", view.oos_reason)
            )
        return QCoreApplication.translate(
            "AlarmsPage", "%1 — suppressed by design (station state)"
        ).replace("%1", view.message)

    # -- actions -------------------------------------------------------------------------

    def acknowledge_selected(self) -> None:
        """Acknowledge the selected unacknowledged alarms (and only those)."""
        ids = [v.id for v in self.selected() if v.state in (AlarmState.UNACK, AlarmState.RTNUN)]
        if ids:
            self._run(self._svc().acknowledge(ids), "alarm.acknowledge", self._acked)

    def _acked(self, problems: list[str]) -> None:
        self.problem.setText("\n".join(f"✕ {p}" for p in problems))

    def _confirm(self) -> None:
        self._run(self._svc().confirm(self._current().id), "alarm.confirm", lambda _r: None)

    def _ask_comment(self) -> None:
        view = self._current()
        self._sheet_action = lambda text, _s: self._run(
            self._svc().comment(view.id, text), "alarm.comment", self._sheet_done
        )
        self.sheet.ask(
            QCoreApplication.translate("AlarmsPage", "Comment — %1").replace("%1", view.message),
            QCoreApplication.translate("AlarmsPage", "Your comment:"),
            QCoreApplication.translate("AlarmsPage", "Save"),
        )

    def _ask_shelve(self) -> None:
        view = self._current()
        times: list[tuple[float | None, str]] = [
            (float(s), label) for s, label in SHELVE_PRESETS if s <= view.max_shelve_s
        ]
        if view.active:
            times.append((None, QCoreApplication.translate("AlarmsPage", "Until it clears")))
        self._sheet_action = lambda text, seconds: self._run(
            self._svc().shelve(view.id, seconds, text), "alarm.shelve", self._sheet_done
        )
        self.sheet.ask(
            QCoreApplication.translate("AlarmsPage", "Shelve — %1").replace("%1", view.message),
            QCoreApplication.translate(
                "AlarmsPage",
                "Why? The alarm stays silent until the time runs out (at most %1 min).",
            ).replace("%1", str(round(view.max_shelve_s / 60))),
            QCoreApplication.translate("AlarmsPage", "Shelve"),
            times,
        )

    def _ask_out_of_service(self) -> None:
        view = self._current()
        self._sheet_action = lambda text, _s: self._run(
            self._svc().remove_from_service(view.id, text), "alarm.out_of_service", self._sheet_done
        )
        self.sheet.ask(
            QCoreApplication.translate("AlarmsPage", "Out of service — %1").replace(
                "%1", view.message
            ),
            QCoreApplication.translate(
                "AlarmsPage", "Why? (for example: transmitter being replaced, work order 4711)"
            ),
            QCoreApplication.translate("AlarmsPage", "Take out of service"),
        )

    def _unshelve(self) -> None:
        view = self._hidden_selected()
        if view is not None:
            self._run(self._svc().unshelve(view.id), "alarm.unshelve", lambda _r: None)

    def _return_to_service(self) -> None:
        view = self._hidden_selected()
        if view is not None:
            self._run(self._svc().return_to_service(view.id), "alarm.return", lambda _r: None)

    def _sheet_chosen(self, text: str, seconds: object) -> None:
        if self._sheet_action is not None:
            self._sheet_action(text, seconds if isinstance(seconds, float) else None)

    def _sheet_done(self, _result: object) -> None:
        self.sheet.close_sheet()

    def _svc(self) -> AlarmService:
        assert self._service is not None
        return self._service

    def _run(self, coro: Any, what: str, done: Callable[[Any], object]) -> None:
        assert self._tasks is not None
        self.problem.clear()
        self._tasks.run(coro, done, self._failed, what=what)

    def _failed(self, failure: CallFailure) -> None:
        text = f"✕ {failure.message}"
        self.problem.setText(text)
        if self.sheet.is_open:
            self.sheet.say(text)


def _stamp(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S")
