"""The Trends page: one trend per station (pens from the plant file) and an ad-hoc trend."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hmi.domain.plant import PlantDef, StationDef, TagDef
from hmi.gui import theme
from hmi.gui.pages import declared_by_station
from hmi.gui.touch import Sheet, TouchButton
from hmi.gui.trend.feed import HistorySource, TrendFeed
from hmi.gui.trend.view import MAX_PENS, TrendView

TAG_MIME = "application/x-floorline-tag"  # what the maintenance browser drags
ADHOC = "adhoc"
# Without `trend` in the plant file a station's page shows its first trendable tags, up
# to this many: a station with hundreds of tags must not open hundreds of pens.
DEFAULT_PENS = 8


def station_pens(plant: PlantDef, station: StationDef) -> list[TagDef]:
    """The station's trend pens: those the plant file names, else its first trendable tags."""
    ids = station.trend or tuple(t for t in station.tags if plant.tag(t).trendable)[:DEFAULT_PENS]
    return [plant.tag(tag_id) for tag_id in ids]


class TagPicker(Sheet):
    """Every tag that can be drawn, by station, as big tiles; a tap adds or removes it."""

    def __init__(
        self,
        window: QWidget,
        plant: PlantDef,
        view: TrendView,
        declared: dict[str, list[TagDef]] | None = None,
    ) -> None:
        """``declared``: tags sources declared while running (Sparkplug), by station."""
        super().__init__(
            window, QCoreApplication.translate("TagPicker", "Pens of the ad-hoc trend")
        )
        declared = declared or {}
        self._view = view
        size = theme.touch_min_px(window.screen())
        done = TouchButton(self.tr("Done"), size * 2, size)
        done.clicked.connect(self.close_sheet)
        self.head.addWidget(done)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setMinimumSize(900, 520)
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.setSpacing(max(8, theme.mm_to_px(theme.TOUCH_GAP_MM)))
        self.tiles: dict[str, TouchButton] = {}
        row = 0
        placed: set[str] = set()
        groups = [
            (s.name, [plant.tag(t) for t in s.tags] + declared.get(s.id, []))
            for s in plant.stations
        ]
        groups.append((self.tr("Other tags"), list(plant.tags)))
        for title, tags in groups:
            drawable = [t for t in tags if t.trendable and t.id not in placed]
            if not drawable:
                continue
            heading = QLabel(title)
            heading.setFont(theme.font(theme.BASE_PT, bold=True))
            grid.addWidget(heading, row, 0, 1, 3)
            row += 1
            for index, tag in enumerate(drawable):
                unit = f" ({tag.unit})" if tag.unit else ""
                tile = TouchButton(f"{tag.name}{unit}", 280, size, grow=True)
                tile.setCheckable(True)
                tile.clicked.connect(lambda checked, t=tag: self._toggle(t, checked))
                self.tiles[tag.id] = tile
                grid.addWidget(tile, row + index // 3, index % 3)
                placed.add(tag.id)
            row += (len(drawable) + 2) // 3
        grid.setRowStretch(row, 1)
        scroll.setWidget(inner)
        self.body.addWidget(scroll)
        self.note = QLabel()
        self.note.setObjectName("muted")
        self.body.addWidget(self.note)

    def open(self) -> None:
        shown = set(self._view.tags())
        for tag_id, tile in self.tiles.items():
            tile.setChecked(tag_id in shown)
        self.note.setText(self.tr("At most %1 pens.").replace("%1", str(MAX_PENS)))
        super().open()

    def _toggle(self, tag: TagDef, checked: bool) -> None:
        if checked and not self._view.add_tag(tag):
            self.tiles[tag.id].setChecked(False)
            self.note.setText(self.tr("The trend is full: remove a pen first."))
        elif not checked:
            self._view.remove_tag(tag.id)


class TrendsPage(QWidget):
    """A trend per station and one ad-hoc trend, fed by one ``TrendFeed``."""

    def __init__(
        self,
        plant: PlantDef,
        source: HistorySource | None,
        now: Callable[[], float],
        export_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.plant = plant
        self.feed = TrendFeed(source, now, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(8)
        size = theme.touch_min_px(self.screen())
        chooser = QHBoxLayout()
        chooser.setSpacing(8)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.stack = QStackedWidget()
        self.views: dict[str, TrendView] = {}
        self.buttons: dict[str, TouchButton] = {}
        for station in plant.stations:
            self._add_view(
                station.id, station.name, station_pens(plant, station), False, export_dir, chooser
            )
        self._add_view(ADHOC, self.tr("Ad-hoc"), [], True, export_dir, chooser)
        self.add_button = TouchButton(self.tr("+ Pens…"), size * 2, size)
        self.add_button.clicked.connect(self.open_picker)
        chooser.addSpacing(12)
        chooser.addWidget(self.add_button)
        chooser.addStretch(1)
        layout.addLayout(chooser)
        self._body = QHBoxLayout()
        self._body.setContentsMargins(0, 0, 0, 0)
        self._body.addWidget(self.stack, 1)
        layout.addLayout(self._body, 1)
        self.setAcceptDrops(True)  # a tag dragged from the browser
        self.picker: TagPicker | None = None
        self._declared: dict[str, TagDef] = {}  # by births while running (Sparkplug)
        self._picker_stale = False
        self.show_view(plant.stations[0].id if plant.stations else ADHOC)
        self.feed.start()

    def _add_view(
        self,
        key: str,
        title: str,
        tags: list[TagDef],
        removable: bool,
        export_dir: Path | None,
        row: QHBoxLayout,
    ) -> None:
        size = theme.touch_min_px(self.screen())
        view = TrendView(self.feed, tags, removable, export_dir)
        view.pens_changed.connect(self.feed.refollow)
        self.views[key] = view
        self.stack.addWidget(view)
        self.feed.add(view)
        button = TouchButton(title, size * 2, size)
        button.setCheckable(True)
        button.clicked.connect(lambda: self.show_view(key))
        self._group.addButton(button)
        self.buttons[key] = button
        row.addWidget(button)

    def add_side(self, panel: QWidget) -> None:
        """A panel left of the trends (the maintenance browser)."""
        self._body.insertWidget(0, panel)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(TAG_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        tag_id = bytes(event.mimeData().data(TAG_MIME).data()).decode()
        tag = self.tag(tag_id)
        if tag is not None and tag.trendable:
            self.trend_tag(tag_id)
            event.acceptProposedAction()

    def add_declared(self, tags: list[TagDef]) -> None:
        """Tags a source declared while running (Sparkplug births) can be drawn too."""
        for tag in tags:
            if tag.trendable:
                self._declared[tag.id] = tag
            else:
                self._declared.pop(tag.id, None)  # a rebirth made it a string, say
        self._picker_stale = True  # made again, with them, when it next opens

    def tag(self, tag_id: str) -> TagDef | None:
        """A tag of the plant file or one declared since; None if neither."""
        declared = self._declared.get(tag_id)
        if declared is not None:
            return declared
        try:
            return self.plant.tag(tag_id)
        except KeyError:
            return None

    @property
    def adhoc(self) -> TrendView:
        return self.views[ADHOC]

    def show_view(self, key: str) -> None:
        self.buttons[key].setChecked(True)
        self.stack.setCurrentWidget(self.views[key])
        self.add_button.setVisible(key == ADHOC)
        self.views[key].refresh(self.feed.now())

    def current(self) -> TrendView:
        view = self.stack.currentWidget()
        assert isinstance(view, TrendView)
        return view

    def trend_tag(self, tag_id: str) -> None:
        """Show ``tag_id`` on the ad-hoc trend (added if it is not there)."""
        tag = self.tag(tag_id)
        if tag is None:
            return
        self.adhoc.add_tag(tag)
        self.show_view(ADHOC)

    def open_picker(self) -> None:
        if self.picker is not None and self._picker_stale and not self.picker.is_open:
            self.picker.deleteLater()
            self.picker = None
        if self.picker is None:
            declared = declared_by_station(self.plant, list(self._declared.values()))
            self.picker = TagPicker(self.window(), self.plant, self.adhoc, declared)
            self._picker_stale = False
        self.picker.open()

    def stop(self) -> None:
        self.feed.stop()
