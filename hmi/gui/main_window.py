"""The main window: navigation, the overview and station pages, the session, the status bar."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hmi.domain.kiosk import KioskSettings
from hmi.domain.plant import PlantDef, StationDef, TagDef
from hmi.domain.tags import TagValue
from hmi.gui import theme
from hmi.gui.about import Subject, subject_at
from hmi.gui.alarms.banner import AlarmBanner, Annunciator
from hmi.gui.alarms.journal_page import AlarmJournalPage
from hmi.gui.alarms.kpi_page import AlarmKpiPage
from hmi.gui.alarms.page import AlarmsPage
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.downtime.panel import DowntimePanel, WaitingButton, all_stations_queue
from hmi.gui.downtime.picker import ReasonQueue
from hmi.gui.instructions.page import InstructionSheet
from hmi.gui.intervention import StationActions, StationHost
from hmi.gui.keyboard import ScreenKeyboard
from hmi.gui.kiosk import KioskGuard
from hmi.gui.pages import OverviewPage, StationPage, declared_by_station
from hmi.gui.session_control import LockBanner, OperatorServices, ScreenSession
from hmi.gui.sign_in import SignInSheet
from hmi.gui.status_bar import HmiStatusBar
from hmi.gui.sync_page import SyncPage
from hmi.gui.tasks import ServiceTasks
from hmi.gui.touch import TouchButton
from hmi.gui.trend.feed import HistorySource
from hmi.gui.trend.page import TrendsPage
from hmi.gui.write_sheet import WritableTags, WriteSheet
from hmi.services.alarms import AlarmService
from hmi.services.downtime import DowntimeService
from hmi.services.instructions import InstructionService
from hmi.services.interventions import InterventionService
from hmi.services.session import SessionService
from hmi.services.shift_report import ShiftReportService
from hmi.services.sync import SyncService

ALARM_POLL_MS = 200


class MainWindow(QMainWindow):
    """Shows the plant; knows the runtime through the bridge and ``OperatorServices``.

    Without ``services`` the window only shows the plant: nobody can sign in or
    record (a viewer, and the screens of tests that need no runtime).
    """

    def __init__(  # noqa: PLR0915 - the window is one flat list of its parts
        self,
        plant: PlantDef,
        bridge: RuntimeBridge,
        now: Callable[[], float],
        services: OperatorServices | None = None,
        history: HistorySource | None = None,
        parent: QWidget | None = None,
        audible: bool = True,
    ) -> None:
        super().__init__(parent)
        self.plant = plant
        self.bridge = bridge
        self._now = now
        self.setWindowTitle(self.tr("Floorline — %1").replace("%1", plant.name))
        self.resize(1280, 800)
        values = bridge.snapshot()

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self._init_alarms(audible)
        outer.addWidget(self.alarm_banner)
        self.banner = LockBanner()
        self.banner.hide()
        outer.addWidget(self.banner)
        nav, nav_layout = self._nav_bar(plant.name)
        self.stack = QStackedWidget()
        self.overview = OverviewPage(plant)
        self._current = "overview"  # the key of the page on screen
        self.overview.station_opened.connect(self.show_station)
        self.overview.apply(values)
        self.stations: dict[str, StationPage] = {}
        self._buttons = QButtonGroup(self, exclusive=True)
        self._nav_buttons: dict[str, QPushButton] = {}
        self._pages: dict[str, QWidget] = {}
        self._add_page("overview", self.tr("Overview"), self.overview, nav_layout)
        for station in plant.stations:
            page = StationPage(plant, station, values, now)
            page.trend_requested.connect(self.trend_tag)
            self.stations[station.id] = page
            self._add_page(station.id, station.name, StationHost(page), nav_layout)
        self.trends = TrendsPage(plant, history, now)
        self._add_page("trends", self.tr("Trends"), self.trends, nav_layout)
        self._nav_layout = nav_layout
        nav_layout.addStretch(1)
        outer.addWidget(nav)
        outer.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status = HmiStatusBar([s.id for s in plant.sources], now)
        self.setStatusBar(self.status)
        bridge.tags_changed.connect(self.apply)
        bridge.tags_declared.connect(self.add_declared)
        bridge.health_changed.connect(self.status.show_health)
        bridge.ticked.connect(self.tick)
        self._nav_buttons["overview"].setChecked(True)
        self.station_actions: dict[str, StationActions] = {}
        self.write_sheet: WriteSheet | None = None
        self._services: OperatorServices | None = None
        self.instruction_sheets: dict[str, InstructionSheet] = {}
        self.kiosk: KioskGuard | None = None
        self.keyboard: ScreenKeyboard | None = None
        self.alarm_journal: AlarmJournalPage | None = None
        self.write_buttons: dict[str, TouchButton] = {}
        self.downtime_panels: dict[str, DowntimePanel] = {}
        self.reasons_waiting: WaitingButton | None = None
        self.reason_queue: ReasonQueue | None = None
        self._sync: SyncService | None = None
        self.sync_page: SyncPage | None = None
        self.tasks: ServiceTasks | None = None
        self.session: ScreenSession | None = None
        self.sign_in: SignInSheet | None = None
        self.status.session.setVisible(services is not None)
        if services is not None:
            self._attach_operator(services)

    def _init_alarms(self, audible: bool) -> None:
        self.alarm_banner = AlarmBanner(self.plant)
        self.alarm_banner.hide()
        self.alarms: AlarmsPage | None = None
        self._alarm_service: AlarmService | None = None
        self.annunciator = Annunciator(audible=audible, parent=self)
        self._alarm_timer = QTimer(self)
        self._alarm_timer.setInterval(ALARM_POLL_MS)
        self._alarm_timer.timeout.connect(self.poll_alarms)

    def _nav_bar(self, plant_name: str) -> tuple[QWidget, QHBoxLayout]:
        nav = QWidget()
        nav.setObjectName("nav")
        nav.setStyleSheet("QWidget#nav { background: #c6c6c6; border-bottom: 1px solid #a8a8a8; }")
        layout = QHBoxLayout(nav)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(8)
        brand = self.brand = QLabel(plant_name)
        brand.setFont(theme.font(theme.BASE_PT + 2, bold=True))
        brand.setStyleSheet("background: transparent;")
        layout.addWidget(brand)
        layout.addSpacing(24)
        return nav, layout

    def _attach_operator(self, services: OperatorServices) -> None:
        """Sign-in, the idle lock and the stations' records, over the runtime's services."""
        tasks = self.tasks = ServiceTasks(services.submit, self)
        session = self.session = ScreenSession(
            tasks, services.session, services.clock.monotonic, self
        )
        for station in self.plant.stations:
            actions = StationActions(self, station, tasks, services.records)
            self.station_actions[station.id] = actions
            if services.interventions is not None:
                self._attach_writes(station, actions, tasks, services.interventions)
            host = self._pages[station.id]
            assert isinstance(host, StationHost)
            host.add_actions(actions)
        sign_in = self.sign_in = SignInSheet(self, self.plant.users, session)
        indicator = self.status.session
        session.changed.connect(self.banner.show_view)
        session.changed.connect(indicator.show_view)
        session.problem.connect(indicator.show_problem)
        tasks.call_failed.connect(indicator.show_problem)
        session.sign_in_requested.connect(sign_in.open_for)
        self.banner.clicked.connect(session.request_sign_in)
        indicator.lock_requested.connect(session.lock)
        indicator.sign_out_requested.connect(session.sign_out)
        self.banner.show()
        session.start()
        if services.alarms is not None:
            self._attach_alarms(services.alarms, tasks)
        if services.downtime is not None:
            self._attach_downtime(services.downtime, tasks, services.shift_reports)
        if services.instructions is not None:
            self._attach_instructions(services.instructions, tasks)
        self._services = services
        for station_id, actions in self.station_actions.items():
            actions.sheet.subject_of = lambda s=station_id: self.subject(s)
        if services.sync is not None:
            self._sync = services.sync
            self.sync_page = SyncPage(services.sync, tasks, self)
            self._add_page("sync", self.tr("Records"), self.sync_page, self._nav_layout)

    def _attach_instructions(self, service: InstructionService, tasks: ServiceTasks) -> None:
        """An "Instructions" action at each station that has any (for whichever product)."""
        for station in self.plant.stations:
            if not any(station.id in i.stations for i in service.instructions):
                continue
            sheet = InstructionSheet(
                self, self.plant, station, service, tasks, self.bridge.snapshot, self._now
            )
            self.instruction_sheets[station.id] = sheet
            button = TouchButton(self.tr("Instructions…"), theme.touch_min_px() * 3, 58)
            button.clicked.connect(sheet.open)
            self.station_actions[station.id].add_button(button)

    def subject(self, station: str) -> Subject | None:
        """What a note or a write at ``station`` addresses now: its open stop or newest alarm."""
        services = self._services
        if services is None:
            return None
        return subject_at(station, services.downtime, services.alarms)

    def _attach_writes(
        self,
        station: StationDef,
        actions: StationActions,
        tasks: ServiceTasks,
        interventions: InterventionService,
    ) -> None:
        """A "Change a setpoint" button when the station has writable tags."""
        writable = [t for t in (self.plant.tag(i) for i in station.tags) if t.write is not None]
        if not writable:
            return
        if self.write_sheet is None:
            self.write_sheet = WriteSheet(self, tasks, interventions)
        sheet = self.write_sheet
        chooser = WritableTags(self, station.name, writable)
        button = TouchButton(self.tr("⚙ Setpoint…"), theme.touch_min_px() * 3, 58)
        button.clicked.connect(chooser.open)
        chooser.chosen.connect(
            lambda tag_id: sheet.ask(
                self.plant.tag(tag_id), self.bridge.snapshot()[tag_id], self.subject(station.id)
            )
        )
        actions.add_button(button)
        self.write_buttons[station.id] = button

    def _attach_alarms(self, service: AlarmService, tasks: ServiceTasks) -> None:
        self._alarm_service = service
        journal = self.alarm_journal = AlarmJournalPage(self.plant, tasks, service, time.time)
        kpis = AlarmKpiPage(self.plant, tasks, service, time.time)
        page = self.alarms = AlarmsPage(
            self.plant,
            service,
            tasks,
            self,
            [(self.tr("Journal"), journal), (self.tr("KPIs"), kpis)],
        )
        page.station_requested.connect(self.show_station)
        page.trend_requested.connect(self.trend_tag)
        self._add_page("alarms", self.tr("Alarms"), page, self._nav_layout)
        self.alarm_banner.opened.connect(self._open_alarm)
        self.alarm_banner.silence_requested.connect(
            lambda: self.annunciator.silence(page.model.all_views())
        )
        self.annunciator.changed.connect(lambda _p: self._show_banner())
        self.alarm_banner.show()
        self.poll_alarms()
        self._alarm_timer.start()

    def _attach_downtime(
        self,
        service: DowntimeService,
        tasks: ServiceTasks,
        reports: ShiftReportService | None = None,
    ) -> None:
        """A downtime and OEE panel beside each producing station; the waiting count below."""
        for station in self.plant.stations:
            if station.production is None:
                continue
            panel = DowntimePanel(self, station, service, tasks, self._now, reports)
            self.downtime_panels[station.id] = panel
            actions = self.station_actions.get(station.id)
            if actions is not None:
                actions.add_button(panel.context_button)
                actions.add_button(panel.shift_button)
            host = self._pages[station.id]
            assert isinstance(host, StationHost)
            host.add_side(panel)
        if not self.downtime_panels:
            return
        button = self.reasons_waiting = WaitingButton(service)
        queue = self.reason_queue = all_stations_queue(self, self.plant, service, self._now)
        queue.picked.connect(lambda event: self.downtime_panels[event.station].pick(event))
        button.changed.connect(lambda: queue.show_events(button.waiting) if queue.is_open else None)
        button.clicked.connect(self.open_reason_queue)
        # First of the permanent widgets: the index counts the sources' labels before them.
        self.status.insertPermanentWidget(len(self.status.sources), button)

    def open_reason_queue(self) -> None:
        """The queue of the station on screen, or of every station elsewhere."""
        panel = self.downtime_panels.get(self._current)
        if panel is not None:
            panel.open_queue()
        elif self.reason_queue is not None and self.reasons_waiting is not None:
            self.reason_queue.show_events(self.reasons_waiting.waiting)
            self.reason_queue.open()

    def poll_alarms(self) -> None:
        """Take the alarm service's changes: list, banner and horn (every 200 ms)."""
        if self._alarm_service is None or self.alarms is None:
            return
        changes = self._alarm_service.take_changes()
        if not changes:
            return
        self.alarms.apply(changes)
        self.annunciator.update(self.alarms.model.all_views())
        self._show_banner()

    def _show_banner(self) -> None:
        if self.alarms is not None:
            self.alarm_banner.show_alarms(self.alarms.model.all_views(), self.annunciator.sounding)

    def _open_alarm(self, alarm_id: str) -> None:
        self.show_page("alarms")
        if self.alarms is not None and alarm_id:
            self.alarms.active_tab.click()
            self.alarms.select([alarm_id])

    def _add_page(self, key: str, title: str, page: QWidget, nav: QHBoxLayout) -> None:
        button = QPushButton(title)
        button.setCheckable(True)
        button.setMinimumWidth(120)
        button.clicked.connect(lambda: self._show_page(key))
        self._buttons.addButton(button)
        self._nav_buttons[key] = button
        self._pages[key] = page
        nav.addWidget(button)
        self.stack.addWidget(page)

    def show_station(self, station_id: str) -> None:
        self.show_page(station_id)

    def show_page(self, key: str) -> None:
        """Show a page by key ("overview", a station id, "trends", "sync"); mark it in the nav."""
        self._show_page(key)
        self._nav_buttons[key].setChecked(True)

    def _show_page(self, key: str) -> None:
        # Only the page on screen follows the live values; the one coming into view
        # catches up from the store's snapshot first.
        self._current = key
        self.apply(self.bridge.snapshot())
        if key in self.stations:
            self.stations[key].tick()
        self.stack.setCurrentWidget(self._pages[key])

    def trend_tag(self, tag_id: str) -> None:
        """Show a tag on the ad-hoc trend (a tap on its value anywhere)."""
        self.trends.trend_tag(tag_id)
        self.show_page("trends")

    def add_declared(self, tags: list[TagDef]) -> None:
        """Tags declared by Sparkplug births join the table of their source's station."""
        values = self.bridge.snapshot()
        for station_id, found in declared_by_station(self.plant, tags).items():
            page = self.stations.get(station_id)
            if page is not None:
                page.add_tags(found, values)

    def show_overview(self) -> None:
        self.show_page("overview")

    def apply(self, changes: dict[str, TagValue]) -> None:
        if self._current == "overview":
            self.overview.apply(changes)
        elif self._current in self.stations:
            self.stations[self._current].apply(changes)

    def tick(self) -> None:
        self.status.tick()
        if self.alarms is not None:
            self.alarms.tick()
        if self._sync is not None:
            self.status.show_sync(self._sync.summary())
        current = self.stack.currentWidget()
        for station_id, page in self.stations.items():
            if self._pages[station_id] is current:
                page.tick()

    def enter_kiosk(self, settings: KioskSettings, session: SessionService) -> KioskGuard:
        """Kiosk mode: fullscreen, no way out but an administrator's PIN (hold the name)."""
        assert self.tasks is not None, "kiosk mode needs the operator services"
        self.kiosk = KioskGuard(self, settings, session, self.tasks, self.brand)
        if self.alarm_journal is not None:
            self.alarm_journal.ask_for_path = False  # no desktop dialogs in a kiosk
        return self.kiosk

    def attach_keyboard(self) -> ScreenKeyboard:
        """The on-screen keyboard (station and kiosk; a laptop has its own)."""
        if self.keyboard is None:
            self.keyboard = ScreenKeyboard(self)
        return self.keyboard

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.kiosk is not None and not self.kiosk.may_close:
            event.ignore()
            return
        if self.session is not None and self.tasks is not None:
            self.session.stop()
            self.tasks.close()
        self._alarm_timer.stop()
        for panel in self.downtime_panels.values():
            panel.stop()
        if self.reasons_waiting is not None:
            self.reasons_waiting.stop()
        self.annunciator.silence([])
        self.bridge.stop()
        self.trends.stop()
        super().closeEvent(event)
