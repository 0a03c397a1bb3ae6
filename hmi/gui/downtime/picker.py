"""The reason picker and the queue of stops waiting for a reason: big tiles for gloved hands.

The picker shows one stop (its station, start, duration and machine state) or
opens a stop by hand. The station's most used reasons come first as tiles;
below them the reason tree, a category per tile (a tap opens it, Back goes
up), and a search field that filters every reason by name. A tile carries
the reason's colour as a wide bar on its left edge, never as a fill: ISA-101
keeps bright fills for alarms. A tap only chooses; Save gives the reason, and
"Saved" shows only once the service has returned. A refusal (the role, a
locked screen, a rule of the service) shows its message and keeps the choice.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hmi.domain.downtime import DowntimeEvent, EventSource
from hmi.domain.plant import StationDef
from hmi.domain.production import ReasonDef, leaves
from hmi.domain.records import MAX_TEXT
from hmi.gui import theme
from hmi.gui.tasks import CallFailure, ServiceTasks
from hmi.gui.touch import Sheet, TouchButton, TouchField, say
from hmi.services.downtime import DowntimeService

MOST_USED = 6
COLUMNS = 3
TILE_MM = 15.0  # a gloved fingertip: tiles are at least this much both ways
BAR_PX = 16  # the reason's colour: a wide bar on the tile's left edge
BROWSE_ROWS = 3  # rows of the tree (or of the search's hits) shown without scrolling
QUEUE_ROWS = 40  # stops listed in the queue at most: the oldest, who wait longest


def clock_text(ts: float, now: float | None = None) -> str:
    """A time of day; with the date in front when it is not today's (as of ``now``)."""
    at = datetime.fromtimestamp(ts)
    if now is not None and at.date() != datetime.fromtimestamp(now).date():
        return at.strftime("%Y-%m-%d %H:%M:%S")
    return at.strftime("%H:%M:%S")


def duration_text(seconds: float) -> str:
    """ "5 min 00 s", "1 h 05 min": to the second for short stops, to the minute for long ones."""
    s = max(0, round(seconds))
    if s < 3600:
        return (
            QCoreApplication.translate("ReasonPicker", "%1 min %2 s")
            .replace("%1", str(s // 60))
            .replace("%2", f"{s % 60:02d}")
        )
    return (
        QCoreApplication.translate("ReasonPicker", "%1 h %2 min")
        .replace("%1", str(s // 3600))
        .replace("%2", f"{s % 3600 // 60:02d}")
    )


def stop_facts(event: DowntimeEvent, now: float) -> str:
    """State, start and duration of a stop, in one line (the running time while it lasts)."""
    look = theme.state_look(event.state)
    if event.end is None:
        facts = QCoreApplication.translate("ReasonPicker", "%1 %2 since %3 · %4").replace(
            "%4", duration_text(now - event.start)
        )
    else:
        facts = QCoreApplication.translate("ReasonPicker", "%1 %2 · from %3 · %4").replace(
            "%4", duration_text(event.end - event.start)
        )
    facts = facts.replace("%1", look.symbol).replace("%2", look.word)
    facts = facts.replace("%3", clock_text(event.start, now))
    if event.source is EventSource.MANUAL:
        facts += QCoreApplication.translate("ReasonPicker", " · opened by hand")
    return facts


class ReasonUsage:
    """How often each reason was given at one station, from the stops seen; most used first.

    A stop counts once: by its id (a later look at it replaces the earlier),
    a correction replaces what it corrects, and the part after a shift
    boundary that keeps its reason is the same stop.
    """

    def __init__(self, tree: tuple[ReasonDef, ...]) -> None:
        self._order = {leaf.code: i for i, (leaf, _path) in enumerate(leaves(tree))}
        self._given: dict[str, str] = {}  # stop id -> reason code

    def note(self, event_id: str, code: str) -> None:
        if code in self._order:
            self._given[event_id] = code

    def note_events(self, events: Iterable[DowntimeEvent]) -> None:
        for event in sorted(events, key=lambda e: e.start):
            for old in event.replaces:
                self._given.pop(old, None)
            if event.continues is not None and self._given.get(event.continues) == event.reason:
                continue
            if event.reason in self._order:
                self._given[event.id] = event.reason

    def top(self, n: int = MOST_USED) -> list[str]:
        """The most used codes first (ties in the tree's order), then the tree's order."""
        counts = Counter(self._given.values())
        used = sorted(counts, key=lambda code: (-counts[code], self._order[code]))
        return (used + [code for code in self._order if code not in counts])[:n]


class ReasonTile(QAbstractButton):
    """A reason, a category or Back as a big tile: its name, its colour as a bar on the left.

    ``note`` is a second, smaller line ("◻ planned", "4 reasons" and an arrow). A reason
    tile is checkable: checked means chosen (dark, white text).

    Signals: those of QAbstractButton (``clicked`` above all); none of its own.
    """

    def __init__(
        self,
        code: str,
        name: str,
        color: str | None,
        note: str,
        size: QSize,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.code = code
        self.name = name
        self.note = note
        self.color = QColor(color) if color else None
        self._size = size
        self.setText(f"{name}\n{note}" if note else name)
        self.setToolTip(name)
        self.setAccessibleName(self.text().replace("\n", ", "))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:
        return self._size

    def minimumSizeHint(self) -> QSize:
        return self._size

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        shape = QPainterPath()
        shape.addRoundedRect(box, 5, 5)
        chosen, enabled = self.isChecked(), self.isEnabled()
        fill = theme.PRIMARY if chosen else "#bdbdbd" if self.isDown() else "#f0f0f0"
        painter.fillPath(shape, QColor(fill))
        if self.color is not None:
            painter.save()
            painter.setClipPath(shape)
            painter.fillRect(QRectF(box.left(), box.top(), BAR_PX, box.height()), self.color)
            painter.restore()
        painter.setPen(QColor("#1e1e1e" if chosen else "#8a8a8a"))
        painter.drawPath(shape)
        ink = QColor("white" if chosen else theme.TEXT if enabled else theme.NOT_TRUSTED)
        text = box.adjusted(BAR_PX + 10 if self.color is not None else 14, 5, -8, -5)
        name_font = theme.font(theme.BASE_PT, bold=chosen)
        note_font = theme.font(theme.BASE_PT - 2)
        note_h = 0
        painter.setFont(note_font)
        if self.note:
            note_h = painter.fontMetrics().height()
            painter.setPen(QColor("#dcdcdc" if chosen else theme.TEXT_MUTED))
            painter.drawText(
                QRectF(text.left(), text.bottom() - note_h, text.width(), note_h),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                self.note,
            )
        painter.setFont(name_font)
        painter.setPen(ink)
        name_box = text.adjusted(0, 0, 0, -note_h)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(name_box, int(flags) | int(Qt.TextFlag.TextWordWrap), self.name)


def tile_size() -> QSize:
    touch = theme.touch_min_px()
    return QSize(round(touch * 5.4), max(round(touch * 1.4), theme.mm_to_px(TILE_MM)))


class ReasonPicker(Sheet):
    """The reason for one stop, or a stop opened by hand, in a few taps.

    Signals:
        saved(str, str): the stop's id ("" for one opened by hand) and the
            reason's code ("" for none), once the service has returned.
        closed(): inherited; the sheet closed.
    """

    saved = Signal(str, str)

    def __init__(
        self,
        window: QWidget,
        station: StationDef,
        service: DowntimeService,
        tasks: ServiceTasks,
        usage: ReasonUsage,
        now: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(window, "")
        self.station = station
        self._service = service
        self._tasks = tasks
        self._now = now
        self.usage = usage
        self.tree = service.plant.reasons
        self.stop_event: DowntimeEvent | None = None  # None: a stop to open by hand
        self.chosen: str | None = None
        self.path: tuple[ReasonDef, ...] = ()  # the categories opened, outermost first
        self.saving = False
        self.done = False
        touch, gap = theme.touch_min_px(), max(12, theme.mm_to_px(theme.TOUCH_GAP_MM))
        self._tile = tile_size()
        # the tiles, the layout's margins (24 + 24) and the panel's border (2 + 2)
        self.panel.setFixedWidth(COLUMNS * self._tile.width() + (COLUMNS - 1) * gap + 52)
        self.facts = QLabel()
        self.facts.setFont(theme.font(theme.BASE_PT + 1, bold=True))
        self.facts.setWordWrap(True)
        self.body.addWidget(self.facts)
        self.most_used_label = QLabel(
            QCoreApplication.translate("ReasonPicker", "Most used at %1").replace(
                "%1", station.name
            )
        )
        self.most_used_label.setObjectName("muted")
        self.body.addWidget(self.most_used_label)
        self.most_used_grid = self._grid()
        self.body.addLayout(self.most_used_grid)
        self.most_used: list[ReasonTile] = []
        self._browse_part(touch, gap)
        self._bottom_part(touch)

    def _browse_part(self, touch: int, gap: int) -> None:
        browse_head = QHBoxLayout()
        browse_head.setSpacing(gap)
        self.crumbs = QLabel()
        self.crumbs.setObjectName("muted")
        self.search = TouchField(touch)
        self.search.setPlaceholderText(
            QCoreApplication.translate("ReasonPicker", "Search all reasons…")
        )
        self.search.setFixedWidth(self._tile.width() + gap // 2)
        self.search.textChanged.connect(lambda _t: self._show_browse())
        browse_head.addWidget(self.crumbs, 1)
        browse_head.addWidget(self.search)
        self.body.addLayout(browse_head)
        self.browse_area = QScrollArea()
        self.browse_area.setWidgetResizable(True)
        self.browse_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.browse_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        self.browse_grid = self._grid()
        outer = QVBoxLayout(inner)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.browse_grid)
        outer.addStretch(1)
        self.browse_area.setWidget(inner)
        rows = BROWSE_ROWS * self._tile.height() + (BROWSE_ROWS - 1) * gap
        self.browse_area.setFixedHeight(rows + 2)
        self.body.addWidget(self.browse_area)
        self.browse: list[ReasonTile] = []

    def _bottom_part(self, touch: int) -> None:
        self.comment = TouchField(touch)
        self.comment.setMaxLength(MAX_TEXT)
        self.comment.setPlaceholderText(
            QCoreApplication.translate("ReasonPicker", "Comment (optional)")
        )
        self.body.addWidget(self.comment)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.body.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.setSpacing(touch)  # Save and Cancel well apart: a slip does not hit the other
        self.cancel_button = TouchButton(
            QCoreApplication.translate("ReasonPicker", "Cancel"), touch * 4, round(touch * 1.4)
        )
        self.chosen_label = QLabel()
        self.chosen_label.setFont(theme.font(theme.BASE_PT + 1, bold=True))
        self.chosen_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.save_button = TouchButton(
            QCoreApplication.translate("ReasonPicker", "Save"), touch * 4, round(touch * 1.4)
        )
        self.save_button.setObjectName("primary")
        for button in (self.cancel_button, self.save_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.close_sheet)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.chosen_label, 1)
        buttons.addWidget(self.save_button)
        self.body.addLayout(buttons)

    def _grid(self) -> QGridLayout:
        grid = QGridLayout()
        gap = max(12, theme.mm_to_px(theme.TOUCH_GAP_MM))
        grid.setSpacing(gap)
        for column in range(COLUMNS):
            grid.setColumnMinimumWidth(column, self._tile.width())
        grid.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return grid

    # -- opening ---------------------------------------------------------------------

    def open_for(self, event: DowntimeEvent) -> None:
        """The reason for ``event``; one it has already is chosen (changing it is a correction)."""
        self._reset(event)
        self.title.setText(
            (
                QCoreApplication.translate("ReasonPicker", "Change the reason — %1")
                if event.reason
                else QCoreApplication.translate("ReasonPicker", "Why did %1 stop?")
            ).replace("%1", self.station.name)
        )
        self.open()

    def open_manual(self) -> None:
        """A stop the machine does not show: it starts now, with a reason if one is chosen."""
        self._reset(None)
        self.title.setText(
            QCoreApplication.translate("ReasonPicker", "Stop by hand — %1").replace(
                "%1", self.station.name
            )
        )
        self.open()

    def _reset(self, event: DowntimeEvent | None) -> None:
        self.stop_event = event
        known = event is not None and event.reason in self._service.reasons
        self.chosen = event.reason if event is not None and known else None
        self.saving = self.done = False
        self.path = ()
        self.search.clear()
        self.comment.setText(event.comment if event is not None else "")
        self._say("")
        self.tick()
        self._show_most_used()
        self._show_browse()
        self._update()

    def tick(self) -> None:
        """The stop's facts, with its running time while it lasts (once a second)."""
        if self.stop_event is None:
            self.facts.setText(
                QCoreApplication.translate(
                    "ReasonPicker", "Starts now, at %1. End it with End stop on the station page."
                ).replace("%1", clock_text(self._now()))
            )
        else:
            self.facts.setText(stop_facts(self.stop_event, self._now()))

    # -- the tiles -------------------------------------------------------------------

    def _reason_tile(self, leaf: ReasonDef) -> ReasonTile:
        note = QCoreApplication.translate("ReasonPicker", "◻ planned") if leaf.planned else ""
        tile = ReasonTile(leaf.code, leaf.name, leaf.color, note, self._tile)
        tile.setCheckable(True)
        tile.setChecked(leaf.code == self.chosen)
        tile.clicked.connect(lambda _c=False, code=leaf.code: self.choose(code))
        return tile

    @staticmethod
    def _drop(grid: QGridLayout, tiles: list[ReasonTile]) -> None:
        for tile in tiles:
            grid.removeWidget(tile)
            tile.hide()
            tile.deleteLater()

    def _show_most_used(self) -> None:
        self._drop(self.most_used_grid, self.most_used)
        self.most_used = [self._reason_tile(self._service.reasons[c][0]) for c in self.usage.top()]
        for i, tile in enumerate(self.most_used):
            self.most_used_grid.addWidget(tile, i // COLUMNS, i % COLUMNS)

    def _show_browse(self) -> None:
        self._drop(self.browse_grid, self.browse)
        self.browse = []
        query = self.search.text().strip().casefold()
        if query:
            hits = [leaf for leaf, _p in leaves(self.tree) if query in leaf.name.casefold()]
            back = ReasonTile(
                "",
                QCoreApplication.translate("ReasonPicker", "‹ All reasons"),
                None,
                QCoreApplication.translate("ReasonPicker", "clear the search"),
                self._tile,
            )
            back.clicked.connect(self.search.clear)
            self.browse = [back] + [self._reason_tile(leaf) for leaf in hits]
            matching = len(hits)
            self.crumbs.setText(
                QCoreApplication.translate("ReasonPicker", "%n reasons match", "", matching)
            )
        else:
            nodes = self.path[-1].children if self.path else self.tree
            if self.path:
                back = ReasonTile(
                    "",
                    QCoreApplication.translate("ReasonPicker", "‹ Back"),
                    None,
                    self.path[-1].name,
                    self._tile,
                )
                back.clicked.connect(self.back)
                self.browse.append(back)
            for node in nodes:
                self.browse.append(
                    self._reason_tile(node) if node.is_leaf else self._category(node)
                )
            names = [
                QCoreApplication.translate("ReasonPicker", "All reasons"),
                *(node.name for node in self.path),
            ]
            self.crumbs.setText(" › ".join(names))
        for i, tile in enumerate(self.browse):
            self.browse_grid.addWidget(tile, i // COLUMNS, i % COLUMNS)
        self.browse_area.verticalScrollBar().setValue(0)
        self._update()

    def _category(self, node: ReasonDef) -> ReasonTile:
        count = len(leaves(node.children))
        note = QCoreApplication.translate("ReasonPicker", "%n reasons ›", "", count)
        tile = ReasonTile(node.code, node.name, node.color, note, self._tile)
        tile.clicked.connect(lambda _c=False, n=node: self.open_category(n))
        return tile

    def open_category(self, node: ReasonDef) -> None:
        self.path = (*self.path, node)
        self._show_browse()

    def back(self) -> None:
        self.path = self.path[:-1]
        self._show_browse()

    def choose(self, code: str) -> None:
        if self.saving or self.done:
            return
        self.chosen = code
        self._update()

    # -- saving ----------------------------------------------------------------------

    def save(self) -> None:
        if self.saving or self.done or (self.stop_event is not None and self.chosen is None):
            return
        self.saving = True
        self._say(QCoreApplication.translate("ReasonPicker", "Saving…"))
        self._update()
        comment = self.comment.text().strip()
        if self.stop_event is None:
            call = self._service.open_manual(self.station.id, self.chosen, comment)
            self._tasks.run(call, self._saved, self._failed, what="downtime.open_manual")
        else:
            assert self.chosen is not None
            call = self._service.give_reason(self.stop_event.id, self.chosen, comment)
            self._tasks.run(call, self._saved, self._failed, what="downtime.reason")

    def _saved(self, _result: object) -> None:
        self.saving, self.done = False, True
        name = (
            self._name(self.chosen)
            if self.chosen
            else QCoreApplication.translate("ReasonPicker", "no reason yet")
        )
        if self.stop_event is None:
            self._say(
                QCoreApplication.translate(
                    "ReasonPicker", "✓ Saved: the stop started, %1."
                ).replace("%1", name)
            )
        else:
            self.usage.note(self.stop_event.id, self.chosen or "")
            self._say(
                QCoreApplication.translate("ReasonPicker", "✓ Saved: %1 for the stop from %2.")
                .replace("%1", name)
                .replace("%2", clock_text(self.stop_event.start, self._now()))
            )
        self._update()
        self.saved.emit(
            self.stop_event.id if self.stop_event is not None else "", self.chosen or ""
        )

    def _failed(self, failure: CallFailure) -> None:
        self.saving = False
        self._say(failure.message, problem=True)
        self._update()

    def _name(self, code: str) -> str:
        found = self._service.reasons.get(code)
        return found[0].name if found is not None else code

    def _update(self) -> None:
        busy = self.saving or self.done
        for tile in (*self.most_used, *self.browse):
            tile.setEnabled(not busy)
            if tile.isCheckable():
                tile.setChecked(tile.code == self.chosen)
        self.search.setReadOnly(busy)
        self.comment.setReadOnly(busy)
        if self.chosen:
            leaf, path = self._service.reasons[self.chosen]
            where = " › ".join(p.name for p in path)
            self.chosen_label.setText(f"{leaf.name}" + (f"  ({where})" if where else ""))
        else:
            self.chosen_label.setText(
                QCoreApplication.translate("ReasonPicker", "No reason chosen")
                if self.stop_event
                else QCoreApplication.translate("ReasonPicker", "A reason can follow later")
            )
        self.save_button.setVisible(not self.done)
        ready = self.chosen is not None or self.stop_event is None
        self.save_button.setEnabled(ready and not busy)
        self.save_button.setText(
            QCoreApplication.translate("ReasonPicker", "Start the stop")
            if self.stop_event is None
            else QCoreApplication.translate("ReasonPicker", "Save")
        )
        self.cancel_button.setEnabled(not self.saving)
        self.cancel_button.setText(
            QCoreApplication.translate("ReasonPicker", "Close")
            if self.done
            else QCoreApplication.translate("ReasonPicker", "Cancel")
        )

    def _say(self, text: str, problem: bool = False) -> None:
        say(self.message, text, problem)


class ReasonQueue(Sheet):
    """The stops waiting for a reason, oldest first; a tap opens the picker for one.

    Below them, when a station's stops of the shift are known, those with a
    reason: a tap there changes it (a correction, for leads and up).

    Signals:
        picked(DowntimeEvent): the stop the operator tapped.
        closed(): inherited; the sheet closed.
    """

    picked = Signal(object)

    def __init__(
        self,
        window: QWidget,
        names: dict[str, str],
        reasons: dict[str, str],
        now: Callable[[], float] = time.time,
        station: str | None = None,
    ) -> None:
        title = QCoreApplication.translate("ReasonPicker", "Stops waiting for a reason")
        if station is not None:
            title += f" — {names.get(station, station)}"
        super().__init__(window, title)
        self._names = names  # station id -> name
        self._reasons = reasons  # reason code -> name
        self._now = now
        self.station = station
        touch = theme.touch_min_px()
        self.panel.setFixedWidth(touch * 17)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setMinimumHeight(touch * 6)
        inner = QWidget()
        self.rows = QVBoxLayout(inner)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(max(8, theme.mm_to_px(theme.TOUCH_GAP_MM)))
        self.area.setWidget(inner)
        self.body.addWidget(self.area, 1)
        self.close_button = TouchButton(
            QCoreApplication.translate("ReasonPicker", "Close"), touch * 4, round(touch * 1.2)
        )
        self.close_button.clicked.connect(self.close_sheet)
        self.body.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
        self.buttons: dict[str, TouchButton] = {}
        self._shown: tuple[object, ...] = ()

    def show_events(
        self, waiting: list[DowntimeEvent], given: list[DowntimeEvent] | None = None
    ) -> None:
        """The rows: ``waiting`` (oldest first) and the stops with a reason (newest first)."""
        given = given or []
        shown = (tuple(waiting[:QUEUE_ROWS]), tuple(given))
        if shown == self._shown:
            return
        self._shown = shown
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = {}
        now = self._now()
        if not waiting:
            self._heading(
                QCoreApplication.translate("ReasonPicker", "✓ No stop is waiting for a reason.")
            )
        else:
            self._heading(
                QCoreApplication.translate(
                    "ReasonPicker", "Waiting, oldest first: tap one to give its reason"
                )
            )
        for event in waiting[:QUEUE_ROWS]:
            self._row(event, stop_facts(event, now))
        if len(waiting) > QUEUE_ROWS:
            self._heading(
                QCoreApplication.translate("ReasonPicker", "… and %1 more").replace(
                    "%1", str(len(waiting) - QUEUE_ROWS)
                )
            )
        if given:
            self._heading(
                QCoreApplication.translate(
                    "ReasonPicker", "Given this shift: tap one to change its reason (leads)"
                )
            )
            for event in given:
                reason = self._reasons.get(event.reason or "", event.reason or "")
                self._row(event, f"{stop_facts(event, now)} · {reason}")
        self.rows.addStretch(1)

    def _heading(self, text: str) -> None:
        label = QLabel(text)
        label.setObjectName("muted")
        self.rows.addWidget(label)

    def _row(self, event: DowntimeEvent, text: str) -> None:
        if self.station is None:
            text = f"{self._names.get(event.station, event.station)} · {text}"
        touch = theme.touch_min_px()
        button = TouchButton(text, touch * 4, touch, grow=True)
        button.setObjectName("tile")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda _c=False, e=event: self.picked.emit(e))
        self.buttons[event.id] = button
        self.rows.addWidget(button)
