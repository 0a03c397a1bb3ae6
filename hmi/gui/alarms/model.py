"""The alarm list as a Qt model: the listed alarms, highest priority first, then newest.

Rows change in place as the service reports changes (``apply``): alarms that
leave the list are removed, new ones inserted, then the rows are re-sorted
with their persistent indexes moved along, so a selection follows its alarm.
Only unacknowledged alarms flash: ``set_flash`` toggles their priority cell.
The table on screen paints a plain copy of the first rows (``shown.ShownRows``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QPixmap

from hmi.domain.alarms import AlarmState, AlarmView, Priority
from hmi.domain.plant import PlantDef
from hmi.gui import theme
from hmi.gui.alarms.look import priority_color, priority_icon, priority_text, state_text
from hmi.gui.i18n import format_number

Index = QModelIndex | QPersistentModelIndex

ICON_PX = 28
COLUMNS = ("priority", "time", "station", "message", "value", "state")


def sort_key(view: AlarmView) -> tuple[int, float, str]:
    """Priority first (highest on top), then the newest change first."""
    return (-int(view.priority), -(view.active_since or view.last_change), view.id)


@dataclass(frozen=True, slots=True)
class AlarmFilter:
    """What the list shows; empty sets mean all."""

    stations: frozenset[str] = frozenset()
    priorities: frozenset[Priority] = frozenset()
    states: frozenset[AlarmState] = frozenset()
    listed: frozenset[AlarmState] = field(
        default_factory=lambda: frozenset({AlarmState.UNACK, AlarmState.ACKED, AlarmState.RTNUN})
    )

    def accepts(self, view: AlarmView) -> bool:
        return (
            view.state in self.listed
            and (not self.stations or view.station in self.stations)
            and (not self.priorities or view.priority in self.priorities)
            and (not self.states or view.state in self.states)
        )


class AlarmTableModel(QAbstractTableModel):
    """Rows of ``AlarmView``; ``apply`` takes the service's changes."""

    def __init__(
        self,
        plant: PlantDef,
        alarm_filter: AlarmFilter | None = None,
        now: Callable[[], float] | None = None,
    ) -> None:
        super().__init__()
        self._station_names = {s.id: s.name for s in plant.stations}
        self._tags = {t.id: t for t in plant.tags}
        self._all: dict[str, AlarmView] = {}
        self._rows: list[AlarmView] = []
        self._filter = alarm_filter or AlarmFilter()
        self._now = now
        self.flash_on = True
        self._icons: dict[tuple[Priority, bool], QPixmap] = {}
        self._bold = theme.font(theme.BASE_PT, bold=True)
        self._headers = (
            QCoreApplication.translate("AlarmTableModel", "Priority"),
            QCoreApplication.translate("AlarmTableModel", "Time"),
            QCoreApplication.translate("AlarmTableModel", "Station"),
            QCoreApplication.translate("AlarmTableModel", "Alarm"),
            QCoreApplication.translate("AlarmTableModel", "Value"),
            QCoreApplication.translate("AlarmTableModel", "State"),
        )

    # -- content ------------------------------------------------------------------------

    @property
    def alarm_filter(self) -> AlarmFilter:
        return self._filter

    def set_filter(self, alarm_filter: AlarmFilter) -> None:
        self._filter = alarm_filter
        self.beginResetModel()
        self._rows = sorted(
            (v for v in self._all.values() if alarm_filter.accepts(v)), key=sort_key
        )
        self.endResetModel()

    def view_at(self, row: int) -> AlarmView:
        return self._rows[row]

    def row_of(self, alarm_id: str) -> int:
        for row, view in enumerate(self._rows):
            if view.id == alarm_id:
                return row
        return -1

    def view_of(self, alarm_id: str) -> AlarmView | None:
        return self._all.get(alarm_id)

    def views(self) -> list[AlarmView]:
        return list(self._rows)

    def all_views(self) -> list[AlarmView]:
        return list(self._all.values())

    def apply(self, changes: dict[str, AlarmView | None]) -> None:
        """Take changed alarms (None: gone); keeps rows, selection and sort consistent."""
        if not changes:
            return
        for alarm_id, view in changes.items():
            if view is None:
                self._all.pop(alarm_id, None)
            else:
                self._all[alarm_id] = view
        accepts = self._filter.accepts
        keep = {
            i: v for i in changes if (v := self._all.get(i)) is not None and accepts(v)
        }  # the changed alarms that belong in the list
        # 1. remove rows that leave, in contiguous blocks from the bottom
        leaving = [r for r, v in enumerate(self._rows) if v.id in changes and v.id not in keep]
        for first, last in reversed(list(_blocks(leaving))):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first : last + 1]
            self.endRemoveRows()
        # 2. update rows that stay
        present = {v.id: r for r, v in enumerate(self._rows)}
        for alarm_id, row in present.items():
            if alarm_id in keep:
                self._rows[row] = keep[alarm_id]
        # 3. append newcomers at the bottom
        new = [v for i, v in keep.items() if i not in present]
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()
        # 4. sort, moving persistent indexes (the selection) with their rows
        self._resort()
        if self._rows:
            corner = self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), corner)

    def _resort(self) -> None:
        order = sorted(range(len(self._rows)), key=lambda r: sort_key(self._rows[r]))
        if order == list(range(len(self._rows))):
            return
        self.layoutAboutToBeChanged.emit()
        old_to_new = {old: new for new, old in enumerate(order)}
        persistent = self.persistentIndexList()
        moved = [
            self.index(old_to_new[p.row()], p.column()) if p.isValid() else QModelIndex()
            for p in persistent
        ]
        self._rows = [self._rows[r] for r in order]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def set_flash(self, on: bool) -> None:
        """The flash phase; only the priority cells of unacknowledged alarms repaint."""
        self.flash_on = on
        rows = [r for r, v in enumerate(self._rows) if v.state is AlarmState.UNACK]
        if rows:  # one signal for the column: a view repaints it once, whatever the count
            roles = [Qt.ItemDataRole.DecorationRole]
            self.dataChanged.emit(self.index(rows[0], 0), self.index(rows[-1], 0), roles)

    # -- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(COLUMNS):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self.role(self._rows[index.row()], COLUMNS[index.column()], role)

    def role(self, view: AlarmView, column: str, role: int) -> object:
        """What ``data`` gives for ``role`` of ``view``'s cell in ``column``."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(view, column)
        if role == Qt.ItemDataRole.DecorationRole and column == "priority":
            blank = view.state is AlarmState.UNACK and not self.flash_on
            key = (view.priority, blank)
            if key not in self._icons:
                self._icons[key] = (
                    _blank(ICON_PX) if blank else priority_icon(view.priority, ICON_PX)
                )
            return self._icons[key]
        if role == Qt.ItemDataRole.FontRole and view.state is AlarmState.UNACK:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and view.state is AlarmState.RTNUN:
            return QBrush(QColor(theme.TEXT_MUTED))
        unack = view.state is AlarmState.UNACK
        if role == Qt.ItemDataRole.BackgroundRole and column == "state" and unack:
            return QBrush(QColor(priority_color(view.priority)).lighter(170))
        if role == Qt.ItemDataRole.ToolTipRole:
            return view.response or None
        if role == Qt.ItemDataRole.UserRole:
            return view.id
        return None

    def _text(self, view: AlarmView, column: str) -> str:
        if column == "priority":
            return priority_text(view.priority)
        if column == "time":
            stamp = view.active_since or view.last_change
            return datetime.fromtimestamp(stamp).strftime("%H:%M:%S") if stamp else ""
        if column == "station":
            return self._station_names.get(view.station, view.station)
        if column == "message":
            return view.message + (
                QCoreApplication.translate("AlarmTableModel", " (input bad)")
                if view.bad_input
                else ""
            )
        if column == "value":
            return self._value(view)
        return state_text(view.state)

    def _value(self, view: AlarmView) -> str:
        value = view.value
        if value is None or isinstance(value, str):
            return value or ""
        tag = self._tags.get(view.tag)
        if not math.isfinite(value):
            return ""
        if tag is None:
            return f"{value:g}"
        return f"{format_number(value, tag.precision)} {tag.unit}".strip()


def _blocks(rows: Iterable[int]) -> Iterable[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs."""
    first = last = None
    for row in rows:
        if last is not None and row == last + 1:
            last = row
            continue
        if first is not None and last is not None:
            yield first, last
        first = last = row
    if first is not None and last is not None:
        yield first, last


def _blank(size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    return pixmap
