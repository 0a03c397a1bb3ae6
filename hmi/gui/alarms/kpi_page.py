"""The alarm performance page: ISA-18.2 KPIs of the journal over a day, a week or a month.

The raw journal is read through the runtime (``AlarmService.journal_for_kpis``)
and the KPIs are computed on a worker thread of the runtime: 100,000 journal
lines take more than 100 ms to compute, which the GUI thread must not spend.
A change of station recomputes from the journal already read.

Verdicts are words with a neutral mark, never alarm colours (ISA-101 keeps
those for alarms); only the priority distribution, which is about alarm
priorities, draws them in the priority colours.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hmi.domain.alarm_kpi import (
    ACCEPTABLE_PER_10_MIN,
    ACCEPTABLE_PER_HOUR,
    BAD_ACTORS,
    FLOOD_START_ABOVE,
    FLOOD_TIME_TARGET_PERCENT,
    MANAGEABLE_PER_10_MIN,
    MANAGEABLE_PER_HOUR,
    PRIORITY_TARGET_PERCENT,
    STANDING_TARGET,
    AlarmKpis,
    Load,
    compute_kpis,
)
from hmi.domain.alarms import Priority, Transition
from hmi.domain.plant import PlantDef
from hmi.gui import theme
from hmi.gui.alarms.look import priority_color, priority_icon, priority_text
from hmi.gui.list_model import ListModel
from hmi.gui.tasks import CallFailure, ServiceTasks
from hmi.gui.touch import TouchButton
from hmi.gui.widgets import ElidedLabel
from hmi.services.alarms import AlarmService

Index = QModelIndex | QPersistentModelIndex
DAY_S = 86400.0
BIG_PT = 2 * theme.BASE_PT
WORD_PT = theme.VALUE_PT + 3
TABLE_ROW_PX = 30
MET, NOT_MET = "✓", "✕"  # neutral marks: drawn in the text colour, never an alarm colour
LOAD_MARKS = {Load.ACCEPTABLE: "✓", Load.MANAGEABLE: "◐", Load.OVERLOADED: "✕"}


def duration_text(seconds: float) -> str:
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * DAY_S:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / DAY_S:.1f} d"


def percent_text(share: float) -> str:
    """A share 0..1 as a percentage, with a decimal where it matters."""
    value = 100 * share
    return f"{value:.1f} %" if 0 < value < 10 else f"{value:.0f} %"


def stamp(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts))


@dataclass(frozen=True, slots=True)
class KpiResult:
    """The journal read, its KPIs, and each alarm's message (plant first, else the journal)."""

    journal: list[Transition]
    kpis: AlarmKpis
    messages: Mapping[str, str]


def kpi_result(
    journal: list[Transition],
    t0: float,
    t1: float,
    station: str | None,
    names: Mapping[str, str],
) -> KpiResult:
    """KPIs and messages of ``journal``; 100,000 lines take over 100 ms: not on the GUI thread."""
    messages = {t.alarm_id: t.message for t in journal if t.message}
    messages.update(names)
    kpis = compute_kpis(journal, t0, t1, station, messages)
    return KpiResult(journal, kpis, messages)


async def read_kpis(
    alarms: AlarmService, t0: float, t1: float, station: str | None, names: Mapping[str, str]
) -> KpiResult:
    """Runs on the runtime: the journal from its database, then the KPIs on a worker thread."""
    journal = await alarms.journal_for_kpis(t0, t1)
    return await asyncio.to_thread(kpi_result, journal, t0, t1, station, names)


class RowsModel(ListModel):
    """A small read-only table of ready-made texts (floods, nuisance alarms, bad actors)."""

    def __init__(self, columns: Sequence[str], parent: Any = None) -> None:
        super().__init__(tuple(columns), parent)
        self.rows: list[tuple[str, ...]] = []
        self.right_aligned: frozenset[int] = frozenset()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][index.column()]  # the tip: all of an elided text
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.right_aligned:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class PriorityBars(QWidget):
    """The annunciated share of each priority as a bar, with the 80/15/5 target marked."""

    ROW_PX = 30
    ICON_PX = 24

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shares: dict[Priority, float] = dict.fromkeys(Priority, 0.0)
        self.counts: dict[Priority, int] = dict.fromkeys(Priority, 0)
        self.setFont(theme.font(theme.BASE_PT))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_distribution(self, shares: dict[Priority, float], counts: dict[Priority, int]) -> None:
        self.shares, self.counts = shares, counts
        self.update()

    def target_text(self, priority: Priority) -> str:
        if priority is Priority.CRITICAL:
            return self.tr("counts with High")
        return self.tr("target ~%1 %").replace("%1", str(PRIORITY_TARGET_PERCENT[priority]))

    def sizeHint(self) -> QSize:
        return QSize(600, self.ROW_PX * len(Priority) + 4)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        label_w = (
            self.ICON_PX + 8 + max(metrics.horizontalAdvance(priority_text(p)) for p in Priority)
        )
        right_w = metrics.horizontalAdvance("100 % (9,999,999)") + 16
        target_w = max(metrics.horizontalAdvance(self.target_text(p)) for p in Priority) + 16
        bar_x = label_w + 16
        bar_w = max(40, self.width() - bar_x - right_w - target_w)
        for i, priority in enumerate(sorted(Priority)):
            top = 2 + i * self.ROW_PX
            middle = top + self.ROW_PX / 2
            painter.drawPixmap(
                0, round(middle - self.ICON_PX / 2), priority_icon(priority, self.ICON_PX)
            )
            text_rect = QRectF(self.ICON_PX + 8, top, label_w, self.ROW_PX)
            painter.setPen(QColor(theme.TEXT))
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, priority_text(priority))
            track = QRectF(bar_x, middle - 9, bar_w, 18)
            painter.setPen(QPen(QColor(theme.PANEL_EDGE), 1))
            painter.setBrush(QColor(theme.FIELD))
            painter.drawRect(track)
            share = min(1.0, max(0.0, self.shares.get(priority, 0.0)))
            if share > 0:
                painter.setPen(QPen(QColor("#1e1e1e"), 1))
                painter.setBrush(QColor(priority_color(priority)))
                painter.drawRect(QRectF(track.left(), track.top(), max(2.0, bar_w * share), 18))
            target = PRIORITY_TARGET_PERCENT.get(priority)
            if target is not None:  # a dark notch across the bar at the target share
                x = track.left() + bar_w * target / 100
                painter.setPen(QPen(QColor(theme.TEXT), 3))
                painter.drawLine(
                    round(x), round(track.top() - 5), round(x), round(track.bottom() + 5)
                )
            painter.setPen(QColor(theme.TEXT))
            figure = f"{percent_text(share)} ({self.counts.get(priority, 0):,})"
            painter.drawText(
                QRectF(track.right() + 12, top, right_w, self.ROW_PX),
                Qt.AlignmentFlag.AlignVCenter,
                figure,
            )
            painter.setPen(QColor(theme.TEXT_MUTED))
            painter.drawText(
                QRectF(track.right() + 12 + right_w, top, target_w, self.ROW_PX),
                Qt.AlignmentFlag.AlignVCenter,
                self.target_text(priority),
            )
        painter.end()


class AlarmKpiPage(QWidget):
    """Alarm-system performance of one station or all, over the last day, week or month.

    Tests drive it through ``refresh()``, ``set_span(seconds)``, ``station_box``
    and read ``kpis``, ``figures`` and the ``*_model`` tables; ``message``
    shows why a load failed.
    """

    SPANS_S = (DAY_S, 7 * DAY_S, 30 * DAY_S)

    def __init__(
        self,
        plant: PlantDef,
        tasks: ServiceTasks,
        alarms: AlarmService,
        now: Callable[[], float],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._alarms = alarms
        self._now = now
        self._names = {a.id: a.message for a in plant.alarms}
        self._stations = {s.id: s.name for s in plant.stations}
        self.span = DAY_S
        self.kpis: AlarmKpis | None = None
        self._journal: tuple[float, float, list[Transition]] | None = None
        self._messages: Mapping[str, str] = self._names
        self._calls = 0  # answers to an older call are dropped
        self._loaded_once = False
        size = theme.touch_min_px()

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(8)
        outer.addLayout(self._toolbar(plant, size))
        self.window_label = QLabel("")
        self.window_label.setObjectName("muted")
        outer.addWidget(self.window_label)
        self.message = QLabel("")
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)
        body = QWidget()
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(10)
        content.addLayout(self._figures_row())
        content.addLayout(self._tables_row(), 1)
        content.addWidget(self._priority_panel())
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll, 1)

    # -- building ---------------------------------------------------------------------------

    def _toolbar(self, plant: PlantDef, size: int) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        title = ElidedLabel()  # shortened with … rather than widening the page
        title.setText(self.tr("Alarm performance"))
        title.setObjectName("title")
        row.addWidget(title)
        row.addStretch(1)
        self.station_box = theme.compact(QComboBox())
        self.station_box.setMinimumHeight(size)
        self.station_box.addItem(self.tr("All stations"), None)
        for station in plant.stations:
            self.station_box.addItem(station.name, station.id)
        self.station_box.currentIndexChanged.connect(self._station_changed)
        row.addWidget(self.station_box)
        row.addSpacing(8)
        self.span_buttons: dict[float, TouchButton] = {}
        labels = (self.tr("Last 24 h"), self.tr("Last 7 days"), self.tr("Last 30 days"))
        for text, seconds in zip(labels, self.SPANS_S, strict=True):
            button = TouchButton(text, size * 2, size)
            button.setCheckable(True)
            button.setChecked(seconds == self.span)
            button.clicked.connect(lambda _=False, s=seconds: self.set_span(s))
            self.span_buttons[seconds] = button
            row.addWidget(button)
        row.addSpacing(8)
        self.refresh_button = TouchButton(self.tr("Refresh"), size * 2, size)
        self.refresh_button.clicked.connect(self.refresh)
        row.addWidget(self.refresh_button)
        return row

    def _figures_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        self.figures: dict[str, QLabel] = {}
        self.notes: dict[str, QLabel] = {}
        rates = self.tr("acceptable ≤ %1\nmanageable ≤ %2")
        cards = (
            ("per_10_min", self.tr("Alarms per 10 min"),
             rates.replace("%1", f"{ACCEPTABLE_PER_10_MIN:g}")
             .replace("%2", f"{MANAGEABLE_PER_10_MIN:g}")),
            ("per_hour", self.tr("Alarms per hour"),
             rates.replace("%1", f"{ACCEPTABLE_PER_HOUR:g}")
             .replace("%2", f"{MANAGEABLE_PER_HOUR:g}")),
            ("load", self.tr("Alarm load"),
             self.tr("the average rate against\nthe ISA-18.2 targets")),
            ("peak", self.tr("Peak in 10 min"),
             self.tr("a flood starts\nabove %1").replace("%1", str(FLOOD_START_ABOVE))),
            ("floods", self.tr("Floods"), "\n"),
        )  # fmt: skip
        for key, title, note in cards:
            panel = QFrame()
            panel.setObjectName("panel")
            box = QVBoxLayout(panel)
            box.setContentsMargins(12, 8, 12, 8)
            box.setSpacing(2)
            name = QLabel(title)
            name.setFont(theme.font(theme.BASE_PT, bold=True))
            value = QLabel("—")
            value.setFont(theme.font(BIG_PT if key != "load" else WORD_PT, bold=True))
            value.setMinimumHeight(QFontMetrics(theme.font(BIG_PT, bold=True)).height())
            hint = QLabel(note)
            hint.setObjectName("muted")
            box.addWidget(name)
            box.addWidget(value)
            box.addWidget(hint)
            self.figures[key], self.notes[key] = value, hint
            row.addWidget(panel, 1)
        return row

    def _tables_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        self.floods_model = RowsModel(
            (self.tr("Start"), self.tr("Length"), self.tr("Count"), self.tr("Peak")), self
        )
        self.floods_model.right_aligned = frozenset({1, 2, 3})
        self.chattering_model = RowsModel((self.tr("Alarm"), self.tr("Message")), self)
        self.standing_model = RowsModel((self.tr("Alarm"), self.tr("Message")), self)
        self.bad_actors_model = RowsModel(
            ("#", self.tr("Message"), self.tr("Count"), self.tr("Share")), self
        )
        self.bad_actors_model.right_aligned = frozenset({0, 2, 3})
        self.headings: dict[str, ElidedLabel] = {}
        self.verdicts: dict[str, QLabel] = {}
        left = QVBoxLayout()
        left.addLayout(self._heading("floods"))
        left.addWidget(self._table(self.floods_model, stretch=0), 1)
        middle = QVBoxLayout()
        middle.addLayout(self._heading("chattering"))
        middle.addWidget(self._table(self.chattering_model, stretch=1), 1)
        middle.addLayout(self._heading("standing"))
        middle.addWidget(self._table(self.standing_model, stretch=1), 1)
        right = QVBoxLayout()
        right.addLayout(self._heading("bad_actors", verdict=False))
        bad_actors = self._table(self.bad_actors_model, stretch=1)
        bad_actors.setMinimumHeight(TABLE_ROW_PX * (BAD_ACTORS + 1) + 8)  # all ten, no scrolling
        right.addWidget(bad_actors, 1)
        row.addLayout(left, 10)
        row.addLayout(middle, 9)
        row.addLayout(right, 9)
        return row

    def _heading(self, key: str, verdict: bool = True) -> QHBoxLayout:
        """A section's title (shortened with … if need be) and its verdict, mark and word."""
        row = QHBoxLayout()
        row.setSpacing(8)
        title = self.headings[key] = ElidedLabel()
        title.setFont(theme.font(theme.BASE_PT, bold=True))
        row.addWidget(title, 1)
        if verdict:
            word = self.verdicts[key] = QLabel("")
            word.setFont(theme.font(theme.BASE_PT, bold=True))
            row.addWidget(word)
        return row

    def _table(self, model: RowsModel, stretch: int) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setWordWrap(False)
        table.setStyleSheet("QTableView::item { padding-left: 6px; padding-right: 6px }")
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(TABLE_ROW_PX)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        table.setMinimumHeight(4 * TABLE_ROW_PX)
        return table

    def _priority_panel(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("panel")
        box = QVBoxLayout(panel)
        box.setContentsMargins(12, 6, 12, 6)
        box.setSpacing(2)
        box.addLayout(self._heading("priority"))
        self.priority_bars = PriorityBars()
        box.addWidget(self.priority_bars)
        return panel

    # -- loading ------------------------------------------------------------------------------

    def set_span(self, seconds: float) -> None:
        """Show the last ``seconds`` (one of ``SPANS_S``) and read the journal again."""
        self.span = seconds
        for span, button in self.span_buttons.items():
            button.setChecked(span == seconds)
        self.refresh()

    def station(self) -> str | None:
        data = self.station_box.currentData()
        return data if isinstance(data, str) else None

    def refresh(self) -> None:
        """Read the journal of the window ending now, then compute the KPIs."""
        t1 = self._now()
        t0 = t1 - self.span
        self._loaded_once = True
        coro = read_kpis(self._alarms, t0, t1, self.station(), self._names)
        self._call(coro, "alarms.kpis")

    def _station_changed(self) -> None:
        if self._journal is None:
            if self._loaded_once:
                self.refresh()
            return
        t0, t1, journal = self._journal
        coro = asyncio.to_thread(kpi_result, journal, t0, t1, self.station(), self._names)
        self._call(coro, "alarms.kpis.station")

    def _call(self, coro: Coroutine[Any, Any, KpiResult], what: str) -> None:
        self._calls += 1
        call_id = self._calls
        self.refresh_button.setEnabled(False)
        self.window_label.setText(self.tr("Reading the alarm journal…"))

        def done(result: KpiResult) -> None:
            if call_id == self._calls:
                self._journal = (result.kpis.t0, result.kpis.t1, result.journal)
                self._messages = result.messages
                self.show_kpis(result.kpis)

        def failed(failure: CallFailure) -> None:
            if call_id == self._calls:
                self.refresh_button.setEnabled(True)
                self.window_label.setText("")
                self.message.setText(failure.message)
                self.message.show()

        self._tasks.run(coro, done, failed, what)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self.refresh()

    # -- showing ------------------------------------------------------------------------------

    def show_kpis(self, kpis: AlarmKpis) -> None:
        self.kpis = kpis
        self.refresh_button.setEnabled(True)
        self.message.hide()
        verdict = kpis.verdict()
        where = self._stations.get(kpis.station, kpis.station) if kpis.station else None
        self.window_label.setText(
            self.tr("%1 to %2 · %3 · %4 annunciated alarms · read at %5")
            .replace("%1", stamp(kpis.t0))
            .replace("%2", stamp(kpis.t1))
            .replace("%3", where or self.tr("all stations"))
            .replace("%4", f"{kpis.annunciated:,}")
            .replace("%5", time.strftime("%H:%M:%S", time.localtime(kpis.t1)))
        )
        self.figures["per_10_min"].setText(f"{kpis.per_10_min:.2f}")
        self.figures["per_hour"].setText(f"{kpis.per_hour:.1f}")
        self.figures["load"].setText(f"{LOAD_MARKS[verdict.load]} {self.load_text(verdict.load)}")
        self.figures["peak"].setText(str(kpis.peak_10_min))
        self.figures["floods"].setText(str(len(kpis.floods)))
        self.notes["floods"].setText(
            self.tr("%1 of the time in flood\n(target < %2 %)")
            .replace("%1", f"{kpis.percent_time_in_flood:.1f} %")
            .replace("%2", f"{FLOOD_TIME_TARGET_PERCENT:g}")
        )
        self.floods_model.set_rows(
            [
                (
                    stamp(f.start),
                    ("≥ " if f.ongoing else "") + duration_text(f.duration_s),  # still going
                    str(f.count),
                    str(f.peak),
                )
                for f in kpis.floods
            ]
        )
        messages = self._messages
        self.chattering_model.set_rows([(a, messages.get(a, "")) for a in kpis.chattering])
        self.standing_model.set_rows([(a, messages.get(a, "")) for a in kpis.standing])
        self.bad_actors_model.set_rows(
            [
                (str(i), b.name, f"{b.count:,}", percent_text(b.share))
                for i, b in enumerate(kpis.bad_actors, 1)
            ]
        )
        self._set_heading("floods", self.tr("Floods: %1").replace("%1", str(len(kpis.floods))),
                          verdict.floods_ok)  # fmt: skip
        self._set_heading(
            "chattering",
            self.tr("Chattering: %1 (target 0)").replace("%1", str(len(kpis.chattering))),
            verdict.chattering_ok,
        )
        self._set_heading(
            "standing",
            self.tr("Standing > 24 h: %1 (target < %2)")
            .replace("%1", str(len(kpis.standing)))
            .replace("%2", str(STANDING_TARGET)),
            verdict.standing_ok,
        )
        self.headings["bad_actors"].setText(
            self.tr("Top 10 bad actors: %1 of all alarms").replace(
                "%1", percent_text(kpis.top10_share)
            )
        )
        self._set_heading(
            "priority",
            self.tr("Priority of the annunciated alarms"),
            verdict.priority_ok,
        )
        self.priority_bars.set_distribution(
            dict(kpis.priority_distribution), dict(kpis.priority_counts)
        )

    def _set_heading(self, key: str, text: str, ok: bool) -> None:
        self.headings[key].setText(text)
        self.headings[key].setToolTip(text)
        word = self.tr("met") if ok else self.tr("not met")
        self.verdicts[key].setText(f"{MET if ok else NOT_MET} {word}")

    def load_text(self, load: Load) -> str:
        words = {
            Load.ACCEPTABLE: self.tr("Acceptable"),
            Load.MANAGEABLE: self.tr("Manageable"),
            Load.OVERLOADED: self.tr("Overloaded"),
        }
        return words[load]
