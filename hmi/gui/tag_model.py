"""The live tag table: one row per tag, fed by change batches from the bridge."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from hmi.domain.plant import TagDef
from hmi.domain.quality import Quality
from hmi.domain.tags import TagValue
from hmi.gui import theme
from hmi.gui.text import format_age, format_value

Index = QModelIndex | QPersistentModelIndex
QUALITY_ROLE = Qt.ItemDataRole.UserRole + 1


class TagTableModel(QAbstractTableModel):
    """Name, value, unit, quality and age of a fixed list of tags.

    ``apply`` takes a batch of changes and emits one ``dataChanged`` per run of
    adjacent rows, not one per sample; ``tick`` refreshes the age column.
    """

    NAME, VALUE, UNIT, QUALITY, AGE = range(5)

    def __init__(
        self,
        tags: Sequence[TagDef],
        values: dict[str, TagValue],
        now: Callable[[], float],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._tags = list(tags)
        self._row = {tag.id: row for row, tag in enumerate(self._tags)}
        self._values = {tag.id: values[tag.id] for tag in self._tags}
        self._now = now
        self._headers = [
            self.tr("Tag"),
            self.tr("Value"),
            self.tr("Unit"),
            self.tr("Quality"),
            self.tr("Age"),
        ]
        self._value_font = theme.font(theme.VALUE_PT, bold=True)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tags)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation is Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def tag_at(self, row: int) -> TagDef:
        return self._tags[row]

    def value_at(self, row: int) -> TagValue:
        return self._values[self._tags[row].id]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._tags):
            return None
        tag = self._tags[index.row()]
        sample = self._values[tag.id]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(tag, sample, column)
        if role == QUALITY_ROLE:
            return sample.quality
        look = theme.quality_look(sample.quality)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.NAME:
                return None
            return QBrush(QColor(look.ink))
        if role == Qt.ItemDataRole.BackgroundRole:
            if look.hatched and column in (self.VALUE, self.QUALITY):
                return theme.hatch_brush(look.fill or theme.PANEL)
            return None
        if role == Qt.ItemDataRole.FontRole:
            if column == self.VALUE:
                font = QFont(self._value_font)
                font.setItalic(not sample.quality.usable)
                return font
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == self.VALUE:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return sample.reason or None
        return None

    def _display(self, tag: TagDef, sample: TagValue, column: int) -> str:
        if column == self.NAME:
            return tag.name
        if column == self.VALUE:
            return format_value(tag, sample.value)
        if column == self.UNIT:
            return tag.unit
        if column == self.QUALITY:
            look = theme.quality_look(sample.quality)
            if sample.reason and sample.quality is not Quality.GOOD:
                return f"{look.symbol} {look.word} — {sample.reason}"
            return f"{look.symbol} {look.word}"
        if sample.value is None:
            return ""
        return format_age(max(0.0, self._now() - sample.recv_ts))

    def apply(self, changes: dict[str, TagValue]) -> None:
        rows = []
        for tag_id, sample in changes.items():
            row = self._row.get(tag_id)
            if row is not None:
                self._values[tag_id] = sample
                rows.append(row)
        if not rows:
            return
        rows.sort()
        start = prev = rows[0]
        for row in rows[1:]:
            if row != prev + 1:
                self._emit_rows(start, prev)
                start = row
            prev = row
        self._emit_rows(start, prev)

    def _emit_rows(self, first: int, last: int) -> None:
        self.dataChanged.emit(self.index(first, self.VALUE), self.index(last, self.AGE))

    def tick(self) -> None:
        if self._tags:
            last = len(self._tags) - 1
            self.dataChanged.emit(
                self.index(0, self.AGE), self.index(last, self.AGE), [Qt.ItemDataRole.DisplayRole]
            )
