"""The live tag table: one row per tag, fed by change batches from the bridge."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_ROLES = frozenset(
    {_DISPLAY, _ALIGN, _TOOLTIP, _FOREGROUND, _BACKGROUND, Qt.ItemDataRole.FontRole, QUALITY_ROLE}
)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True, slots=True)
class _CellStyle:
    ink: QBrush
    hatch: QBrush | None
    value_font: QFont


class TagTableModel(QAbstractTableModel):
    """Name, value, unit, quality and age of a fixed list of tags.

    ``apply`` takes a batch of changes; ``flush`` emits one ``dataChanged`` per
    run of adjacent changed rows, not one per sample; ``tick`` refreshes the
    age column.
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
        self._styles: dict[Quality, _CellStyle] = {}
        self._dirty: set[int] = set()

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
        # Called for every role of every painted cell: answer the common cases first and
        # build nothing per call (the styles are made once per quality).
        if role not in _ROLES or not index.isValid() or index.row() >= len(self._tags):
            return None
        tag = self._tags[index.row()]
        sample = self._values[tag.id]
        column = index.column()
        if role == _DISPLAY:
            return self._display(tag, sample, column)
        if role == QUALITY_ROLE:
            return sample.quality
        if role == _ALIGN:
            return _RIGHT if column == self.VALUE else _LEFT
        if role == _TOOLTIP:
            return sample.reason or None
        style = self._style(sample.quality)
        if role == _FOREGROUND:
            return None if column == self.NAME else style.ink
        if role == _BACKGROUND:
            return style.hatch if column in (self.VALUE, self.QUALITY) else None
        return style.value_font if column == self.VALUE else None  # FontRole

    def _style(self, quality: Quality) -> _CellStyle:
        style = self._styles.get(quality)
        if style is None:
            look = theme.quality_look(quality)
            font = QFont(self._value_font)
            font.setItalic(not quality.usable)
            hatch = theme.hatch_brush(look.fill or theme.PANEL) if look.hatched else None
            style = _CellStyle(QBrush(QColor(look.ink)), hatch, font)
            self._styles[quality] = style
        return style

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

    def add_tags(self, tags: Sequence[TagDef], values: dict[str, TagValue]) -> None:
        """Tags declared while running (Sparkplug births): new ones become rows at the end,
        changed ones (a rebirth with another unit) are redrawn in place."""
        new: list[TagDef] = []
        for tag in tags:
            row = self._row.get(tag.id)
            if row is None:
                new.append(tag)
            else:
                self._tags[row] = tag
                self.dataChanged.emit(self.index(row, self.NAME), self.index(row, self.AGE))
        if not new:
            return
        first = len(self._tags)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        for tag in new:
            self._row[tag.id] = len(self._tags)
            self._tags.append(tag)
            self._values[tag.id] = values[tag.id]
        self.endInsertRows()

    def apply(self, changes: dict[str, TagValue]) -> None:
        """Take new samples; the view hears of them at the next ``flush``."""
        for tag_id, sample in changes.items():
            row = self._row.get(tag_id)
            if row is not None:
                self._values[tag_id] = sample
                self._dirty.add(row)

    @property
    def has_changes(self) -> bool:
        return bool(self._dirty)

    def flush(self) -> None:
        """One ``dataChanged`` per run of adjacent changed rows since the last flush."""
        if not self._dirty:
            return
        rows = sorted(self._dirty)
        self._dirty.clear()
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
