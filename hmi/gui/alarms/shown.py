"""What the alarm table paints: a plain Qt item model, so painting never calls Python.

Every call Qt makes into a Python model (``rowCount``, ``index``, ``data``)
must take the GIL, and while the runtime thread works through a flood each
such call can wait for the interpreter's switch interval: a table paint of a
few hundred calls then freezes the screen for hundreds of milliseconds. So the
view shows a ``QStandardItemModel`` (C++, not subclassed) that ``ShownRows``
fills from the ``AlarmTableModel`` after each change, touching only the rows
whose content moved or changed, and at most ``SHOWN_MAX`` rows: more than an
operator can scroll; the page says how many more match.
"""

from __future__ import annotations

import difflib

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QStandardItemModel

from hmi.domain.alarms import AlarmState, AlarmView
from hmi.gui.alarms.model import COLUMNS, AlarmTableModel

SHOWN_MAX = 200

ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ToolTipRole,
)


class ShownRows:
    """Keeps ``model`` equal to the first ``limit`` rows of ``source``; call ``sync``."""

    def __init__(self, source: AlarmTableModel, limit: int = SHOWN_MAX) -> None:
        self.source = source
        self.limit = limit
        self.model = QStandardItemModel(0, len(COLUMNS))
        self.model.setHorizontalHeaderLabels(
            [str(source.headerData(c, Qt.Orientation.Horizontal)) for c in range(len(COLUMNS))]
        )
        self.ids: list[str] = []
        self._shown: list[tuple[AlarmView, bool] | None] = []  # what each row holds now
        self._cache: dict[tuple[AlarmView, bool], list[dict[int, object]]] = {}

    @property
    def total(self) -> int:
        return self.source.rowCount()

    def sync(self, selection: QItemSelectionModel | None = None) -> None:
        """Bring the shown rows up to date; the selected alarms stay selected.

        Rows move as the list re-sorts: the shown ids are diffed against the new
        ones and only inserted, removed or changed rows are written, so a flood
        that adds alarms at the top costs the new rows, not the whole table.
        """
        chosen = self.selected_ids(selection) if selection is not None else []
        views = self.source.views()[: self.limit]
        new_ids = [v.id for v in views]
        model, shown = self.model, self._shown
        matcher = difflib.SequenceMatcher(None, self.ids, new_ids, autojunk=False)
        for op, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
            if op == "equal":
                continue
            if i2 > i1:
                model.removeRows(i1, i2 - i1)
                del shown[i1:i2]
            if j2 > j1:
                model.insertRows(i1, j2 - j1)
                shown[i1:i1] = [None] * (j2 - j1)
        self.ids = new_ids
        flash = self.source.flash_on
        for row, view in enumerate(views):
            now = (view, flash if view.state is AlarmState.UNACK else True)
            before = shown[row]
            if before == now:
                continue
            if before is not None and before[0] == view:  # only the flash phase moved
                icon = self.source.role(view, COLUMNS[0], Qt.ItemDataRole.DecorationRole)
                model.setData(model.index(row, 0), icon, Qt.ItemDataRole.DecorationRole)
            else:
                for column, data in enumerate(self._cells(view, flash)):
                    index = model.index(row, column)
                    model.clearItemData(index)
                    model.setItemData(index, data)
            shown[row] = now
        if selection is not None:
            self.select(selection, chosen)

    def _cells(self, view: AlarmView, flash: bool) -> list[dict[int, object]]:
        """Every role of every cell of a row; formatted once per state of an alarm."""
        key = (view, flash if view.state is AlarmState.UNACK else True)
        cells = self._cache.get(key)
        if cells is None:
            cells = []
            for name in COLUMNS:
                data: dict[int, object] = {}
                for role in ROLES:
                    value = self.source.role(view, name, role)
                    if value is not None:
                        data[role] = value
                cells.append(data)
            if len(self._cache) > 4 * SHOWN_MAX:
                self._cache.clear()
            self._cache[key] = cells
        return cells

    def selected_ids(self, selection: QItemSelectionModel) -> list[str]:
        rows = sorted({i.row() for i in selection.selectedRows()})
        return [self.ids[r] for r in rows if r < len(self.ids)]

    def select(self, selection: QItemSelectionModel, alarm_ids: list[str]) -> None:
        wanted = set(alarm_ids)
        if wanted == set(self.selected_ids(selection)):
            return
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row, alarm_id in enumerate(self.ids):
            if alarm_id in wanted:
                selection.select(self.model.index(row, 0), flags)
