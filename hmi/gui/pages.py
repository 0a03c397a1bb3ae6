"""The overview of all stations (ISA-101 level 1, no control) and a page per station."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
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

from hmi.domain.plant import PlantDef, SparkplugSource, StationDef, TagDef
from hmi.domain.tags import TagValue
from hmi.gui import theme
from hmi.gui.tag_model import TagTableModel
from hmi.gui.widgets import StateBadge, ValueReadout

TABLE_REFRESH_MS = 100
CARD_TAGS = 8  # values a station card shows; the station page shows them all


def add_station_head(layout: QVBoxLayout, station: StationDef) -> StateBadge:
    """The station's name and its machine-state badge, in a row at the top of ``layout``."""
    head = QHBoxLayout()
    title = QLabel(station.name)
    title.setObjectName("title")
    head.addWidget(title, 1)
    badge = StateBadge(station)
    head.addWidget(badge)
    layout.addLayout(head)
    return badge


def declared_by_station(plant: PlantDef, tags: list[TagDef]) -> dict[str, list[TagDef]]:
    """Tags declared while running, by the station their source lists them on."""
    found: dict[str, list[TagDef]] = {}
    for tag in tags:
        source = plant.source(tag.source)
        if isinstance(source, SparkplugSource):
            found.setdefault(source.station, []).append(tag)
    return found


class StationCard(QFrame):
    """A station at a glance: name, machine state, its first few values.

    Signals:
        opened(str): the station id, when the card is tapped.
    """

    opened = Signal(str)

    def __init__(self, plant: PlantDef, station: StationDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.station = station
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        self.badge = add_station_head(layout, station)
        self.readouts = {
            tag_id: ValueReadout(plant.tag(tag_id)) for tag_id in station.tags[:CARD_TAGS]
        }
        for readout in self.readouts.values():
            layout.addWidget(readout)
        layout.addStretch(1)
        self._layout = layout

    def add_tags(self, tags: list[TagDef], values: dict[str, TagValue]) -> None:
        """Tags a source declared while running fill the card's free places, in order."""
        for tag in tags:
            old = self.readouts.get(tag.id)
            if old is None and len(self.readouts) >= CARD_TAGS:
                continue
            readout = ValueReadout(tag)  # a rebirth may change a name or a unit: made anew
            sample = values.get(tag.id)
            if sample is not None:
                readout.show_sample(sample)
            self.readouts[tag.id] = readout
            if old is not None:
                self._layout.replaceWidget(old, readout)
                old.deleteLater()
            else:
                self._layout.insertWidget(self._layout.count() - 1, readout)  # before stretch

    def apply(self, changes: dict[str, TagValue]) -> None:
        if self.station.state_tag is not None and self.station.state_tag in changes:
            self.badge.show_sample(changes[self.station.state_tag])
        for tag_id, readout in self.readouts.items():
            sample = changes.get(tag_id)
            if sample is not None:
                readout.show_sample(sample)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.opened.emit(self.station.id)
        super().mouseReleaseEvent(event)


class OverviewPage(QWidget):
    """Every station of the plant side by side; tap one to open its page.

    Signals:
        station_opened(str): the id of the station the operator tapped.
    """

    station_opened = Signal(str)

    def __init__(self, plant: PlantDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(16)
        self.cards: list[StationCard] = []
        columns = 3 if len(plant.stations) >= 3 else max(1, len(plant.stations))
        for i, station in enumerate(plant.stations):
            card = StationCard(plant, station)
            card.opened.connect(self.station_opened)
            layout.addWidget(card, i // columns, i % columns)
            self.cards.append(card)

    def apply(self, changes: dict[str, TagValue]) -> None:
        for card in self.cards:
            card.apply(changes)

    def add_tags(self, station_id: str, tags: list[TagDef], values: dict[str, TagValue]) -> None:
        for card in self.cards:
            if card.station.id == station_id:
                card.add_tags(tags, values)


class StationPage(QWidget):
    """One station: its machine state and the live tag panel with every value's quality.

    Signals:
        trend_requested(str): the id of a tag the operator tapped, to trend it.
    """

    trend_requested = Signal(str)

    def __init__(
        self,
        plant: PlantDef,
        station: StationDef,
        values: dict[str, TagValue],
        now: Callable[[], float],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.station = station
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(12)
        self.badge = add_station_head(layout, station)
        tags = [plant.tag(tag_id) for tag_id in station.tags]
        self.model = TagTableModel(tags, values, now, self)
        # Tags a source declared while running; the trend page knows the plant file's only.
        self._declared: set[str] = set()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30 if theme.DENSE else 46)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TagTableModel.QUALITY, QHeaderView.ResizeMode.Stretch)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        for column, width in (
            (TagTableModel.NAME, 240),  # room for the quality beside a downtime panel
            (TagTableModel.VALUE, 140),
            (TagTableModel.UNIT, 90),
            (TagTableModel.AGE, 80),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(column, width)
        self.table.clicked.connect(self._tapped)
        self.table.setToolTip(self.tr("Tap a value to see its trend"))
        layout.addWidget(self.table, 1)
        if station.state_tag is not None:
            self.badge.show_sample(values.get(station.state_tag))
        # The table repaints at most TABLE_REFRESH_MS apart: numbers that change faster
        # cannot be read anyway (the trends show fast dynamics), and every painted cell
        # costs a call into Python that competes with acquisition for the interpreter.
        self._repaint = QTimer(self)
        self._repaint.setSingleShot(True)
        self._repaint.setInterval(TABLE_REFRESH_MS)
        self._repaint.timeout.connect(self.model.flush)

    def _tapped(self, index: QModelIndex) -> None:
        tag = self.model.tag_at(index.row())
        if tag.trendable and tag.id not in self._declared:
            self.trend_requested.emit(tag.id)

    def add_tags(self, tags: list[TagDef], values: dict[str, TagValue]) -> None:
        """Tags a source declared while running (Sparkplug births) join the table."""
        self._declared.update(tag.id for tag in tags)
        self.model.add_tags(tags, values)

    def apply(self, changes: dict[str, TagValue]) -> None:
        if self.station.state_tag is not None and self.station.state_tag in changes:
            self.badge.show_sample(changes[self.station.state_tag])
        self.model.apply(changes)
        if self.model.has_changes and not self._repaint.isActive():
            self._repaint.start()

    def tick(self) -> None:
        self.model.tick()


class StationsGrid(QWidget):
    """Every station's table at once, two to a row: the maintenance laptop's view.

    Signals:
        trend_requested(str): a tapped tag, to trend it.
    """

    trend_requested = Signal(str)

    def __init__(
        self,
        plant: PlantDef,
        values: dict[str, TagValue],
        now: Callable[[], float],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 8, 8, 8)
        grid.setSpacing(8)
        self.pages: list[StationPage] = []
        for i, station in enumerate(plant.stations):
            page = StationPage(plant, station, values, now)
            page.trend_requested.connect(self.trend_requested)
            grid.addWidget(page, i // 2, i % 2)
            self.pages.append(page)

    def apply(self, changes: dict[str, TagValue]) -> None:
        for page in self.pages:
            page.apply(changes)

    def tick(self) -> None:
        for page in self.pages:
            page.tick()
