"""The main window: navigation, the overview and station pages, the session, the status bar.

A change of language builds every page, sheet and bar anew in the new
language (``rebuild``): what the runtime holds (values, alarms, stops,
records, the session) is the runtime's and stays; the window keeps its
connections to it, the session at this screen, the horn and the page on
screen. Open sheets close.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer
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

from hmi.domain.health import SourceHealth
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
from hmi.gui.browser import BrowserPanel
from hmi.gui.downtime.panel import DowntimePanel, WaitingButton, all_stations_queue
from hmi.gui.downtime.picker import ReasonQueue
from hmi.gui.i18n import LanguageButton, LanguageSheet, ScreenLanguage
from hmi.gui.i18n import uninstall as uninstall_language
from hmi.gui.instructions.page import InstructionSheet
from hmi.gui.intervention import StationActions, StationHost
from hmi.gui.keyboard import ScreenKeyboard
from hmi.gui.kiosk import KioskGuard
from hmi.gui.link_sheet import LinkSheet
from hmi.gui.pages import OverviewPage, StationPage, StationsGrid, declared_by_station
from hmi.gui.session_control import LockBanner, OperatorServices, ScreenSession
from hmi.gui.sign_in import SignInSheet
from hmi.gui.status_bar import HmiStatusBar
from hmi.gui.sync_page import SyncPage
from hmi.gui.tasks import ServiceTasks
from hmi.gui.touch import Sheet, TouchButton
from hmi.gui.trend.feed import HistorySource
from hmi.gui.trend.page import TrendsPage
from hmi.gui.write_sheet import WritableTags, WriteSheet
from hmi.services.alarms import AlarmService
from hmi.services.browse import BrowseService
from hmi.services.downtime import DowntimeService
from hmi.services.instructions import InstructionService
from hmi.services.interventions import InterventionService
from hmi.services.session import SessionService, SessionView
from hmi.services.shift_report import ShiftReportService
from hmi.services.sync import SyncService

ALARM_POLL_MS = 200


class MainWindow(QMainWindow):
    """Shows the plant; knows the runtime through the bridge and ``OperatorServices``.

    Without ``services`` the window only shows the plant: nobody can sign in or
    record (a viewer, and the screens of tests that need no runtime).
    """

    def __init__(
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
        self._history = history
        self._services = services
        self.resize(1280, 800)
        # Kept across a change of language: the kiosk, the keyboard, the session at this
        # screen, the calls to the runtime, the horn, and the plant's name (the kiosk's
        # hold target).
        self.kiosk: KioskGuard | None = None
        self._link_shown = ""  # the source whose link sheet is open
        # From Sparkplug births, kept across rebuilds: by id, the newest definition, in the
        # order the births first declared them.
        self._declared_tags: dict[str, TagDef] = {}
        self.keyboard: ScreenKeyboard | None = None
        self.all_stations: StationsGrid | None = None
        self.browser: BrowserPanel | None = None
        self._browse: BrowseService | None = None  # the maintenance view, made again on rebuild
        self.brand: QLabel | None = None
        self.tasks: ServiceTasks | None = None
        self.session: ScreenSession | None = None
        self.language = ScreenLanguage(plant.language, plant.users, parent=self)
        self.language.changed.connect(self._language_changed)
        self._rebuild_due = False
        self._alarm_service: AlarmService | None = None
        self.annunciator = Annunciator(audible=audible, parent=self)
        self.annunciator.changed.connect(lambda _p: self._show_banner())
        # The banner is made later, and again on a change of language: looked up at each call.
        self.annunciator.problem_changed.connect(
            lambda problem: self.alarm_banner.show_horn(problem)  # noqa: PLW0108
        )
        self._alarm_timer = QTimer(self)
        self._alarm_timer.setInterval(ALARM_POLL_MS)
        self._alarm_timer.timeout.connect(self.poll_alarms)
        if services is not None:
            tasks = self.tasks = ServiceTasks(services.submit, self)
            session = self.session = ScreenSession(
                tasks, services.session, services.clock.monotonic, self
            )
            session.changed.connect(self._session_changed)
            session.problem.connect(self._show_problem)
            session.sign_in_requested.connect(self._open_sign_in)
            tasks.call_failed.connect(self._show_problem)
            tasks.pending_changed.connect(self._calls_pending)
        bridge.tags_changed.connect(self.apply)
        bridge.tags_declared.connect(self.add_declared)
        bridge.health_changed.connect(self._show_health)
        bridge.ticked.connect(self.tick)
        # The pages sit in a holder that stays: a rebuild swaps what it holds.
        holder = QWidget()
        self._holder = QVBoxLayout(holder)
        self._holder.setContentsMargins(0, 0, 0, 0)
        self.setCentralWidget(holder)
        self._content: QWidget | None = None
        self._build()
        if self.session is not None:
            self.session.start()

    def _build(self, rebuilding: bool = False) -> None:  # noqa: PLR0915 - one flat list of parts
        """Every part of the window that shows a text, in the language installed now."""
        plant, now = self.plant, self._now
        self.setWindowTitle(self.tr("Floorline — %1").replace("%1", plant.name))
        values = self.bridge.snapshot()
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.alarm_banner = AlarmBanner(plant)
        if rebuilding and self.annunciator.audible:
            self.annunciator.check_outputs()  # says why in the new language
        self.alarm_banner.show_horn(self.annunciator.problem)
        self.alarm_banner.hide()
        self.alarms: AlarmsPage | None = None
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
        self.trends = TrendsPage(plant, self._history, now)
        self._add_page("trends", self.tr("Trends"), self.trends, nav_layout)
        self._nav_layout = nav_layout
        nav_layout.addStretch(1)
        # Right after the stretch: the pages added later (Alarms, Records) keep their places.
        self.language_button = LanguageButton(self.language.current)
        self.language_sheet = LanguageSheet(self, self.language.current)
        self.language_button.clicked.connect(self.language_sheet.open)
        self.language_sheet.chosen.connect(self.language.set_language)
        nav_layout.addWidget(self.language_button)
        outer.addWidget(nav)
        outer.addWidget(self.stack, 1)
        self._holder.addWidget(central)
        self._content = central
        central.show()  # now, not at the layout's queued show: a rebuild may run in a timer

        self.status = HmiStatusBar([s.id for s in plant.sources], now)
        self.setStatusBar(self.status)
        self.status.show()
        self.link_sheet = LinkSheet(self)
        self.status.source_tapped.connect(self.show_link)
        self._nav_buttons["overview"].setChecked(True)
        self.station_actions: dict[str, StationActions] = {}
        self.write_sheet: WriteSheet | None = None
        self.instruction_sheets: dict[str, InstructionSheet] = {}
        self.alarm_journal: AlarmJournalPage | None = None
        self.write_buttons: dict[str, TouchButton] = {}
        self.downtime_panels: dict[str, DowntimePanel] = {}
        self.reasons_waiting: WaitingButton | None = None
        self.reason_queue: ReasonQueue | None = None
        self._sync: SyncService | None = None
        self.sync_page: SyncPage | None = None
        self.sign_in: SignInSheet | None = None
        self.status.session.setVisible(self._services is not None)
        if self._services is not None:
            self._attach_operator(self._services, rebuilding)

    def _nav_bar(self, plant_name: str) -> tuple[QWidget, QHBoxLayout]:
        nav = QWidget()
        nav.setObjectName("nav")
        nav.setStyleSheet("QWidget#nav { background: #c6c6c6; border-bottom: 1px solid #a8a8a8; }")
        layout = QHBoxLayout(nav)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(8)
        brand = self.brand
        if brand is None:  # made once: the kiosk holds it to leave
            brand = self.brand = QLabel(plant_name)
            brand.setFont(theme.font(theme.BASE_PT + 2, bold=True))
            brand.setStyleSheet("background: transparent;")
        layout.addWidget(brand)
        brand.show()  # back from the previous nav bar, hidden while it had no parent
        layout.addSpacing(24)
        return nav, layout

    def _attach_operator(self, services: OperatorServices, rebuilding: bool) -> None:
        """Sign-in, the idle lock and the stations' records, over the runtime's services."""
        tasks, session = self.tasks, self.session
        assert tasks is not None and session is not None
        for station in self.plant.stations:
            actions = StationActions(self, station, tasks, services.records)
            self.station_actions[station.id] = actions
            if services.interventions is not None:
                self._attach_writes(station, actions, tasks, services.interventions)
            host = self._pages[station.id]
            assert isinstance(host, StationHost)
            host.add_actions(actions)
        self.sign_in = SignInSheet(self, self.plant.users, session)
        indicator = self.status.session
        self.banner.clicked.connect(session.request_sign_in)
        indicator.lock_requested.connect(session.lock)
        indicator.sign_out_requested.connect(session.sign_out)
        self.banner.show()
        self.banner.show_view(session.view)
        indicator.show_view(session.view)
        if services.alarms is not None:
            self._attach_alarms(services.alarms, tasks, rebuilding)
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

    def _attach_alarms(self, service: AlarmService, tasks: ServiceTasks, rebuilding: bool) -> None:
        self._alarm_service = service
        journal = self.alarm_journal = AlarmJournalPage(self.plant, tasks, service, time.time)
        if self.kiosk is not None:
            journal.ask_for_path = False  # no desktop dialogs in a kiosk
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
        if rebuilding:  # the new list starts with every alarm there is, not only the changes
            page.apply({view.id: view for view in service.views()})
            self._show_banner()
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

    def add_declared(self, tags: list[TagDef], remember: bool = True) -> None:
        """Tags declared by Sparkplug births join the table of their source's station.

        They are kept here too: the store hands each over once, and a rebuild (a change
        of language) makes the station pages anew.
        """
        if remember:
            self._declared_tags.update((tag.id, tag) for tag in tags)
        self.trends.add_declared(tags)
        values = self.bridge.snapshot()
        for station_id, found in declared_by_station(self.plant, tags).items():
            page = self.stations.get(station_id)
            if page is not None:
                page.add_tags(found, values)
            self.overview.add_tags(station_id, found, values)

    def show_overview(self) -> None:
        self.show_page("overview")

    def apply(self, changes: dict[str, TagValue]) -> None:
        if self._current == "overview":
            self.overview.apply(changes)
        elif self._current == "all" and self.all_stations is not None:
            self.all_stations.apply(changes)
        elif self._current in self.stations:
            self.stations[self._current].apply(changes)

    def tick(self) -> None:
        self.status.tick()
        if self.alarms is not None:
            self.alarms.tick()
        if self._sync is not None:
            self.status.show_sync(self._sync.summary())
        current = self.stack.currentWidget()
        if self.all_stations is not None and current is self.all_stations:
            self.all_stations.tick()
        for station_id, page in self.stations.items():
            if self._pages[station_id] is current:
                page.tick()

    # -- the session and the language -----------------------------------------------

    def _session_changed(self, view: SessionView) -> None:
        self.banner.show_view(view)
        self.status.session.show_view(view)
        self.language.follow(view.user_id, view.locked)

    def _show_problem(self, message: str) -> None:
        self.status.session.show_problem(message)

    def _open_sign_in(self) -> None:
        if self.sign_in is not None:
            self.sign_in.open_for()

    def _show_health(self, healths: list[SourceHealth]) -> None:
        self.status.show_health(healths)
        if self.link_sheet.is_open:
            self.show_link(self._link_shown)

    def show_link(self, source_id: str) -> None:
        """Why a link is down, in full (the status bar has room for a word only)."""
        health = next((h for h in self.bridge.health() if h.source_id == source_id), None)
        if health is None:
            return
        self._link_shown = source_id
        self.link_sheet.show_health(health)
        if not self.link_sheet.is_open:
            self.link_sheet.open()

    def _language_changed(self, _language: str) -> None:
        self._rebuild_due = True
        # Never inside the call that switched (a sign-in's answer, a tap on the chooser).
        QTimer.singleShot(0, self._rebuild_when_idle)

    def _calls_pending(self, pending: int) -> None:
        if self._rebuild_due and pending == 0:
            QTimer.singleShot(0, self._rebuild_when_idle)

    def _rebuild_when_idle(self) -> None:
        """Rebuild once no call to the runtime is under way: its answer belongs to the old
        widgets. The next ``pending_changed(0)`` tries again."""
        if not self._rebuild_due or (self.tasks is not None and self.tasks.pending):
            return
        self._rebuild_due = False
        self.rebuild()

    def rebuild(self) -> None:
        """Every page, sheet and bar anew, in the language installed now; the same page on
        screen, the same pens on the ad-hoc trend."""
        page = self._current
        trend_view = next((k for k, v in self.trends.views.items() if v is self.trends.current()))
        adhoc = [tag for t in self.trends.adhoc.tags() if (tag := self.trends.tag(t)) is not None]
        self._tear_down()
        self._build(rebuilding=True)
        if self._declared_tags:
            self.add_declared(list(self._declared_tags.values()), remember=False)
        self.all_stations, self.browser = None, None
        if self._browse is not None:
            self.attach_maintenance(self._browse)
        for tag in adhoc:
            self.trends.adhoc.add_tag(tag)
        self.trends.show_view(trend_view)
        self.show_page(page if page in self._pages else "overview")
        if self.session is not None:
            self._session_changed(self.session.view)
        self.status.show_health(self.bridge.health())
        if self._sync is not None:
            self.status.show_sync(self._sync.summary())
        self._retranslate_kiosk()

    def _tear_down(self) -> None:
        """The old parts stop their timers and go; the runtime's calls for them have ended."""
        self._alarm_timer.stop()
        for panel in self.downtime_panels.values():
            panel.stop()
        if self.reasons_waiting is not None:
            self.reasons_waiting.stop()
        self.trends.stop()
        exit_sheet = self.kiosk.exit_sheet if self.kiosk is not None else None
        sheets = [
            sheet
            for sheet in self.findChildren(Sheet, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if sheet is not exit_sheet
        ]
        if self.brand is not None:
            self.brand.setParent(None)  # kept for the next nav
        if self._content is not None:
            self._holder.removeWidget(self._content)
        old: list[QWidget] = [w for w in (self._content, self.statusBar()) if w]
        for widget in [*old, *sheets]:
            for timer in widget.findChildren(QTimer):
                timer.stop()
            widget.hide()
            widget.deleteLater()
        self._buttons.deleteLater()

    def _retranslate_kiosk(self) -> None:
        """The kiosk's exit sheet stays (its guard holds it): its words in the new language."""
        if self.kiosk is None:
            return
        sheet = self.kiosk.exit_sheet
        text = QCoreApplication.translate
        sheet.title.setText(text("ExitSheet", "Leave kiosk mode"))
        sheet.user.setPlaceholderText(text("ExitSheet", "Administrator"))
        sheet.pin.setPlaceholderText(text("ExitSheet", "PIN"))
        sheet.words.setText(text("ExitSheet", "Only an administrator can close Floorline here."))
        sheet.back.setText(text("ExitSheet", "Back"))
        sheet.exit_button.setText(text("ExitSheet", "Close Floorline"))

    def enter_kiosk(self, settings: KioskSettings, session: SessionService) -> KioskGuard:
        """Kiosk mode: fullscreen, no way out but an administrator's PIN (hold the name)."""
        assert self.tasks is not None, "kiosk mode needs the operator services"
        self.kiosk = KioskGuard(self, settings, session, self.tasks, self.brand)
        if self.alarm_journal is not None:
            self.alarm_journal.ask_for_path = False  # no desktop dialogs in a kiosk
        return self.kiosk

    def attach_maintenance(self, browse: BrowseService) -> None:
        """The maintenance laptop: every station at once, the journal one click away, and
        the sources' browser beside the trends."""
        assert self.tasks is not None, "the maintenance view needs the operator services"
        self._browse = browse
        grid = self.all_stations = StationsGrid(self.plant, self.bridge.snapshot(), self._now)
        grid.trend_requested.connect(self.trend_tag)
        self.stack.addWidget(grid)
        self._pages["all"] = grid
        button = QPushButton(self.tr("All stations"))
        button.setCheckable(True)
        button.clicked.connect(lambda: self._show_page("all"))
        self._buttons.addButton(button)
        self._nav_buttons["all"] = button
        self._nav_layout.insertWidget(
            self._nav_layout.indexOf(self._nav_buttons["overview"]) + 1, button
        )
        if self.alarms is not None:
            journal = QPushButton(self.tr("Alarm journal"))
            journal.clicked.connect(self.show_alarm_journal)
            self._nav_layout.addWidget(journal)
        self.browser = BrowserPanel(self.plant, browse, self.tasks)
        self.browser.setFixedWidth(440)
        self.trends.add_side(self.browser)

    def show_alarm_journal(self) -> None:
        if self.alarms is not None:
            self.show_page("alarms")
            self.alarms.show_tab("journal")

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
        uninstall_language()
        super().closeEvent(event)
