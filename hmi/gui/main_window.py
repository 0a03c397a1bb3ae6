"""The main window: navigation, the overview and station pages, the status bar."""

from __future__ import annotations

from collections.abc import Callable

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

from hmi.domain.plant import PlantDef
from hmi.domain.tags import TagValue
from hmi.gui import theme
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.pages import OverviewPage, StationPage
from hmi.gui.status_bar import HmiStatusBar


class MainWindow(QMainWindow):
    """Shows the plant; knows the runtime only through the bridge."""

    def __init__(
        self,
        plant: PlantDef,
        bridge: RuntimeBridge,
        now: Callable[[], float],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.plant = plant
        self.bridge = bridge
        self.setWindowTitle(self.tr("Floorline — %1").replace("%1", plant.name))
        self.resize(1280, 800)
        values = bridge.snapshot()

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        nav = QWidget()
        nav.setObjectName("nav")
        nav.setStyleSheet("QWidget#nav { background: #c6c6c6; border-bottom: 1px solid #a8a8a8; }")
        nav_layout = QHBoxLayout(nav)
        nav_layout.setContentsMargins(12, 8, 12, 8)
        nav_layout.setSpacing(8)
        brand = QLabel(plant.name)
        brand.setFont(theme.font(theme.BASE_PT + 2, bold=True))
        brand.setStyleSheet("background: transparent;")
        nav_layout.addWidget(brand)
        nav_layout.addSpacing(24)

        self.stack = QStackedWidget()
        self.overview = OverviewPage(plant)
        self.overview.station_opened.connect(self.show_station)
        self.overview.apply(values)
        self.stations: dict[str, StationPage] = {}
        self._buttons = QButtonGroup(self)
        self._buttons.setExclusive(True)
        self._nav_buttons: dict[str, QPushButton] = {}
        self._add_page("overview", self.tr("Overview"), self.overview, nav_layout)
        for station in plant.stations:
            page = StationPage(plant, station, values, now)
            self.stations[station.id] = page
            self._add_page(station.id, station.name, page, nav_layout)
        nav_layout.addStretch(1)
        outer.addWidget(nav)
        outer.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status = HmiStatusBar([s.id for s in plant.sources], now)
        self.setStatusBar(self.status)
        bridge.tags_changed.connect(self.apply)
        bridge.health_changed.connect(self.status.show_health)
        bridge.ticked.connect(self.tick)
        self._nav_buttons["overview"].setChecked(True)

    def _add_page(self, key: str, title: str, page: QWidget, nav: QHBoxLayout) -> None:
        button = QPushButton(title)
        button.setCheckable(True)
        button.setMinimumWidth(140)
        button.clicked.connect(lambda: self._show_page(page))
        self._buttons.addButton(button)
        self._nav_buttons[key] = button
        nav.addWidget(button)
        self.stack.addWidget(page)

    def show_station(self, station_id: str) -> None:
        page = self.stations[station_id]
        page.tick()
        self.stack.setCurrentWidget(page)
        self._nav_buttons[station_id].setChecked(True)

    def _show_page(self, page: QWidget) -> None:
        if isinstance(page, StationPage):
            page.tick()
        self.stack.setCurrentWidget(page)

    def show_overview(self) -> None:
        self.stack.setCurrentWidget(self.overview)
        self._nav_buttons["overview"].setChecked(True)

    def apply(self, changes: dict[str, TagValue]) -> None:
        self.overview.apply(changes)
        for page in self.stations.values():
            page.apply(changes)

    def tick(self) -> None:
        self.status.tick()
        current = self.stack.currentWidget()
        if isinstance(current, StationPage):
            current.tick()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.bridge.stop()
        super().closeEvent(event)
