"""A trend: pens in stacked panes (one per unit), live or paused, with history and marks.

Live, the time axis rolls with the clock over the chosen window; any pan or
zoom, by drag, wheel or pinch, pauses the view while recording goes on, and
one tap returns to live. Each pen is one curve item made once; each frame it
gets at most about two points per pixel column from its ``PenSeries`` (the
live buffer shared through the feed, and, for times older than that buffer
holds, a series loaded from the history file). Samples of bad or stale
quality are NaN and the curve breaks there: a gap, never a line across.
"""

from __future__ import annotations

import concurrent.futures
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDateTime,
    QEvent,
    QPointF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QFrame,
    QGestureEvent,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPinchGesture,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hmi.domain.plant import LimitKind, TagDef
from hmi.domain.quality import Quality
from hmi.gui import theme
from hmi.gui.i18n import format_number
from hmi.gui.touch import TouchButton
from hmi.gui.trend.axis import TimeAxis
from hmi.gui.trend.feed import TrendFeed
from hmi.gui.trend.series import PenSeries
from hmi.storage.history import HistoryEvent, Samples

# Pen colours: distinct from each other and from the alarm colours (no red, no
# yellow, no orange); each pen is also named in the legend, in the same order.
PEN_COLORS = (
    "#1f4e9c",
    "#2e7d32",
    "#6a1b9a",
    "#00838f",
    "#5d4037",
    "#37474f",
    "#827717",
    "#0277bd",
    "#4a148c",
    "#1b5e20",
)
WINDOWS = (
    ("1 min", 60.0),
    ("5 min", 300.0),
    ("15 min", 900.0),
    ("1 h", 3600.0),
    ("8 h", 8 * 3600.0),
    ("24 h", 86400.0),
)
DEFAULT_WINDOW_S = 900.0
LIMIT_STYLE = {
    LimitKind.HIHI: Qt.PenStyle.SolidLine,
    LimitKind.HI: Qt.PenStyle.DashLine,
    LimitKind.LO: Qt.PenStyle.DashLine,
    LimitKind.LOLO: Qt.PenStyle.SolidLine,
}
MARK_FILL = {"outage": (90, 90, 90, 55), "alarm": (212, 32, 32, 35)}
EVENTS_EVERY_S = 2.0
MAX_PENS = 32


@dataclass(frozen=True, slots=True)
class Mark:
    """Something on the time axis: a band from ``start`` to ``end`` (None: until now)."""

    kind: str
    start: float
    end: float | None
    text: str
    tag: str | None = None  # drawn only on the pane of this tag; None: on every pane


@dataclass
class Pen:
    tag: TagDef
    color: str
    curve: pg.PlotCurveItem
    pane: Pane | None = None
    limit_lines: list[pg.InfiniteLine] = field(default_factory=list)
    history: PenSeries | None = None  # older than the live buffer: loaded from the file
    history_span: tuple[float, float, bool] | None = None  # loaded t0, t1, bucketed
    loading: concurrent.futures.Future[Samples] | None = None
    value_label: QLabel | None = None
    last_drawn: tuple[np.ndarray, np.ndarray] = field(
        default_factory=lambda: (np.empty(0), np.empty(0))
    )


@dataclass
class Pane:
    unit: str
    plot: pg.PlotItem
    axis: TimeAxis
    pens: list[Pen] = field(default_factory=list)
    bands: list[pg.LinearRegionItem] = field(default_factory=list)
    fixed_range: tuple[float, float] | None = None


class PlotArea(pg.GraphicsLayoutWidget):  # type: ignore[misc]
    """The panes, with pinch-to-zoom in time where the platform delivers the gesture."""

    pinched = Signal(float, float)  # scale factor, centre x in scene pixels

    def __init__(self) -> None:
        super().__init__()
        self.grabGesture(Qt.GestureType.PinchGesture)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Gesture:
            assert isinstance(event, QGestureEvent)
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if isinstance(pinch, QPinchGesture):
                centre = self.mapFromGlobal(pinch.centerPoint().toPoint())
                self.pinched.emit(pinch.scaleFactor(), float(centre.x()))
                event.accept()
                return True
        return bool(super().event(event))


class TrendView(QWidget):
    """Pens, a window, live or paused; the cursor reads every pen at one time.

    Signals:
        pens_changed(): a pen was added or removed (the feed follows other tags).
        message(str): a line for the operator (export done, nothing to export...).
    """

    pens_changed = Signal()
    message = Signal(str)

    def __init__(
        self,
        feed: TrendFeed,
        tags: Sequence[TagDef],
        removable: bool = False,
        export_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.feed = feed
        self.removable = removable
        self.export_dir = export_dir or Path.home() / "floorline-exports"
        now = feed.now()
        self.origin = math.floor(now / 86400.0) * 86400.0
        self.span = DEFAULT_WINDOW_S
        self.live = True
        self.pens: list[Pen] = []
        self.panes: list[Pane] = []
        self.marks: dict[str, list[Mark]] = {}
        self._marks_drawn: tuple[int, float] | None = None
        self._events: concurrent.futures.Future[list[HistoryEvent]] | None = None
        self._events_at = 0.0
        self._events_span: tuple[float, float] = (0.0, 0.0)
        self._dirty = True
        self._setting_range = False
        self.cursor_time: float | None = None
        self._export: concurrent.futures.Future[int] | None = None
        self._export_path: Path | None = None

        size = theme.touch_min_px(self.screen())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        outer.addLayout(self._toolbar(size))
        self.paused_bar = self._paused_bar(size)
        outer.addWidget(self.paused_bar)
        body = QHBoxLayout()
        body.setSpacing(8)
        self.plot_area = PlotArea()
        self.plot_area.setBackground(theme.PANEL)
        self.plot_area.ci.setSpacing(0)
        self.plot_area.pinched.connect(self._pinch)
        self.plot_area.scene().sigMouseClicked.connect(self._clicked)
        body.addWidget(self.plot_area, 1)
        legend = self._legend_panel()
        self.legend = QScrollArea()
        self.legend.setWidget(legend)
        self.legend.setWidgetResizable(True)
        self.legend.setFixedWidth(316)
        self.legend.setFrameShape(QFrame.Shape.NoFrame)
        body.addWidget(self.legend)
        outer.addLayout(body, 1)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        outer.addWidget(self.status)
        for tag in tags:
            self._make_pen(tag)
        self._layout_panes()
        self._show_mode()

    # -- building -------------------------------------------------------------------

    def _toolbar(self, size: int) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.window_buttons: dict[float, TouchButton] = {}
        for text, seconds in WINDOWS:
            button = TouchButton(text, size + 16, size)
            button.setCheckable(True)
            button.setChecked(seconds == self.span)
            button.clicked.connect(lambda _=False, s=seconds: self.set_window(s))
            self.window_buttons[seconds] = button
            row.addWidget(button)
        row.addSpacing(12)
        self.earlier_button = TouchButton("◀", size, size)
        self.earlier_button.setToolTip(self.tr("Earlier by one window"))
        self.earlier_button.clicked.connect(lambda: self.step(-1))
        self.later_button = TouchButton("▶", size, size)
        self.later_button.setToolTip(self.tr("Later by one window"))
        self.later_button.clicked.connect(lambda: self.step(1))
        row.addWidget(self.earlier_button)
        row.addWidget(self.later_button)
        self.goto_field = QDateTimeEdit()
        self.goto_field.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.goto_field.setMinimumHeight(size)
        self.goto_field.setDateTime(QDateTime.fromSecsSinceEpoch(int(self.feed.now())))
        row.addWidget(self.goto_field)
        self.goto_button = TouchButton(self.tr("Go to"), size + 16, size)
        self.goto_button.clicked.connect(self._goto_entered)
        row.addWidget(self.goto_button)
        row.addStretch(1)
        self.live_button = TouchButton(self.tr("● Live"), size * 2, size)
        self.live_button.setCheckable(True)
        self.live_button.clicked.connect(self._live_clicked)
        row.addWidget(self.live_button)
        self.csv_button = TouchButton(self.tr("CSV"), size + 8, size)
        self.csv_button.setToolTip(self.tr("Export the visible range as CSV"))
        self.csv_button.clicked.connect(self.export_csv)
        self.png_button = TouchButton(self.tr("PNG"), size + 8, size)
        self.png_button.setToolTip(self.tr("Save a picture of the trend"))
        self.png_button.clicked.connect(self.export_png)
        row.addWidget(self.csv_button)
        row.addWidget(self.png_button)
        return row

    def _legend_panel(self) -> QWidget:
        """A row per pen: colour, name, scale or the value at the cursor, and ✕ to remove it."""
        legend = QWidget()
        legend.setObjectName("legend")
        legend.setFixedWidth(316 - theme.TOUCH_MIN_PX)  # beside a touch-wide scroll bar
        outer = QVBoxLayout(legend)
        outer.setContentsMargins(8, 4, 8, 4)
        self.legend_layout = QGridLayout()
        outer.addLayout(self.legend_layout)
        outer.addStretch(1)
        self.legend_layout.setContentsMargins(0, 0, 0, 0)
        self.legend_layout.setVerticalSpacing(6)
        self.legend_layout.setColumnStretch(1, 1)
        return legend

    def _paused_bar(self, size: int) -> QWidget:
        bar = QWidget()
        bar.setObjectName("paused")
        bar.setStyleSheet(
            "QWidget#paused { background: #3a3a3a; border-radius: 4px; }"
            " QLabel { color: white; background: transparent; }"
        )
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(12, 4, 4, 4)
        self.paused_label = QLabel()
        self.paused_label.setFont(theme.font(theme.BASE_PT, bold=True))
        layout.addWidget(self.paused_label, 1)
        self.back_to_live = TouchButton(self.tr("▶ Back to live"), size * 3, size)
        self.back_to_live.clicked.connect(self.go_live)
        layout.addWidget(self.back_to_live)
        return bar

    def _make_pen(self, tag: TagDef) -> Pen:
        color = PEN_COLORS[len(self.pens) % len(PEN_COLORS)]
        style = Qt.PenStyle.SolidLine if len(self.pens) < len(PEN_COLORS) else Qt.PenStyle.DashLine
        curve = pg.PlotCurveItem(
            pen=pg.mkPen(color, width=1.5 if len(self.pens) < 8 else 1, style=style),
            connect="finite",
            skipFiniteCheck=True,
        )
        pen = Pen(tag, color, curve)
        self.pens.append(pen)
        return pen

    def _layout_panes(self) -> None:
        """One pane per unit, stacked, sharing the time axis; the legend in the same order."""
        keep = None if self.live or not self.panes else self.x_range()
        for old in self.panes:
            for pen in old.pens:
                old.plot.removeItem(pen.curve)
                for line in pen.limit_lines:
                    old.plot.removeItem(line)
        self.plot_area.clear()
        self.panes = []
        by_unit: dict[str, Pane] = {}
        for pen in self.pens:
            pane = by_unit.get(pen.tag.unit)
            if pane is None:
                pane = by_unit[pen.tag.unit] = self._make_pane(pen.tag.unit)
            pane.pens.append(pen)
            pen.pane = pane
            pane.plot.addItem(pen.curve)
            pen.limit_lines = [
                self._limit_line(pen, kind, value, len(pane.pens) - 1, index)
                for index, (kind, value) in enumerate(pen.tag.limits)
            ]
        for index, pane in enumerate(self.panes):
            ranges = [(p.tag.range_lo, p.tag.range_hi) for p in pane.pens]
            if all(lo is not None and hi is not None for lo, hi in ranges):
                lo = min(r[0] for r in ranges if r[0] is not None)
                hi = max(r[1] for r in ranges if r[1] is not None)
                pane.fixed_range = (lo, hi)
                pane.plot.setYRange(lo, hi, padding=0.04)
            bottom = index == len(self.panes) - 1
            pane.axis.setStyle(showValues=bottom)
            if not bottom:
                pane.axis.setHeight(8)
        self.cursor_line = pg.InfiniteLine(
            angle=90, movable=True, pen=pg.mkPen(theme.TEXT, width=2, style=Qt.PenStyle.DotLine)
        )
        self.cursor_line.sigPositionChanged.connect(self._cursor_moved)
        self.cursor_line.setVisible(self.cursor_time is not None)
        if self.panes:
            self.panes[0].plot.addItem(self.cursor_line, ignoreBounds=True)
            if self.cursor_time is not None:
                self.cursor_line.setValue(self.cursor_time - self.origin)
        if keep is not None:
            self.set_range(*keep)
        self._marks_drawn = None
        self._fill_legend()
        self._dirty = True

    def _make_pane(self, unit: str) -> Pane:
        font = theme.font(theme.BASE_PT - 2)
        axis = TimeAxis(self.origin)
        axis.setTickFont(font)
        axis.setTextPen(theme.TEXT)
        axis.setPen(theme.TEXT_MUTED)
        plot = pg.PlotItem(axisItems={"bottom": axis})
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.getAxis("left").setStyle(maxTickLevel=0)  # no minor grid: it costs a third of a paint
        left = plot.getAxis("left")
        left.setTickFont(font)
        left.setTextPen(theme.TEXT)
        left.setPen(theme.TEXT_MUTED)
        left.setWidth(64)
        left.enableAutoSIPrefix(False)
        plot.setLabel("left", unit or self.tr("(no unit)"))
        left.label.setFont(font)
        vb = plot.getViewBox()
        vb.setMouseEnabled(x=True, y=False)
        vb.disableAutoRange()
        vb.sigRangeChangedManually.connect(self._manual_range)
        if self.panes:
            plot.setXLink(self.panes[0].plot)
        pane = Pane(unit, plot, axis)
        self.panes.append(pane)
        self.plot_area.addItem(plot, row=len(self.panes) - 1, col=0)
        return pane

    def _limit_line(
        self, pen: Pen, kind: LimitKind, value: float, pen_index: int, index: int
    ) -> pg.InfiniteLine:
        # Labels side by side from the left, so that close limits do not print over each other.
        position = min(0.02 + 0.11 * (index + 4 * pen_index), 0.9)
        line = pg.InfiniteLine(
            pos=value,
            angle=0,
            movable=False,
            pen=pg.mkPen(pen.color, width=1, style=LIMIT_STYLE[kind]),
            label=f"{kind.value.upper()} {value:g}",
            labelOpts={"position": position, "color": pen.color, "anchors": [(0, 1), (0, 1)]},
        )
        line.label.setFont(theme.font(theme.BASE_PT - 3))
        assert pen.pane is not None
        pen.pane.plot.addItem(line, ignoreBounds=True)
        return line

    def _fill_legend(self) -> None:
        while self.legend_layout.count():
            item = self.legend_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        size = theme.touch_min_px(self.screen())
        name_font = theme.font(theme.BASE_PT - 1, bold=True)
        for row, pen in enumerate(self.pens):
            swatch = QLabel()
            swatch.setPixmap(_swatch(pen.color, row >= len(PEN_COLORS)))
            self.legend_layout.addWidget(swatch, 2 * row, 0)
            name = QLabel(pen.tag.name)
            name.setFont(name_font)
            name.setWordWrap(True)
            self.legend_layout.addWidget(name, 2 * row, 1)
            scale = _scale_text(pen.tag)
            value = QLabel(scale)
            value.setObjectName("muted")
            pen.value_label = value
            self.legend_layout.addWidget(value, 2 * row + 1, 1)
            if self.removable:
                remove = TouchButton("✕", size, size)
                remove.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
                remove.setToolTip(self.tr("Remove %1 from the trend").replace("%1", pen.tag.name))
                remove.clicked.connect(lambda _=False, t=pen.tag.id: self.remove_tag(t))
                self.legend_layout.addWidget(remove, 2 * row, 2, 2, 1)
        self._update_readouts()

    # -- pens -------------------------------------------------------------------------

    def tags(self) -> list[str]:
        return [pen.tag.id for pen in self.pens]

    def is_shown(self) -> bool:
        return self.isVisible()

    def add_tag(self, tag: TagDef) -> bool:
        """Add a pen (False if it is there already or the trend is full)."""
        if tag.id in self.tags() or len(self.pens) >= MAX_PENS or not tag.trendable:
            return False
        self._make_pen(tag)
        self._layout_panes()
        self.pens_changed.emit()
        return True

    def remove_tag(self, tag_id: str) -> None:
        self.pens = [pen for pen in self.pens if pen.tag.id != tag_id]
        for index, pen in enumerate(self.pens):  # colours follow the legend order
            pen.color = PEN_COLORS[index % len(PEN_COLORS)]
            pen.curve.setPen(pg.mkPen(pen.color, width=1.5 if index < 8 else 1))
        self._layout_panes()
        self.pens_changed.emit()

    # -- modes --------------------------------------------------------------------------

    def set_window(self, seconds: float) -> None:
        """Show ``seconds`` of time; live it ends now, paused it keeps its centre."""
        for span, button in self.window_buttons.items():
            button.setChecked(span == seconds)
        if not self.live:
            x0, x1 = self.x_range()
            centre = (x0 + x1) / 2
            self.span = seconds
            self.set_range(centre - seconds / 2, centre + seconds / 2)
        else:
            self.span = seconds
        self._dirty = True

    def go_live(self) -> None:
        self.live = True
        self._show_mode()
        self._dirty = True

    def pause(self) -> None:
        if self.live:
            self.live = False
            self._show_mode()

    def step(self, direction: int) -> None:
        """Move by one window, earlier (-1) or later (+1); later than now returns to live."""
        x0, x1 = self.x_range()
        span = x1 - x0
        if direction > 0 and x1 + span >= self.feed.now():
            self.go_live()
            return
        self.pause()
        self.set_range(x0 + direction * span, x1 + direction * span)

    def goto(self, t: float) -> None:
        """Show the window centred on ``t`` and put the cursor there."""
        self.pause()
        self.set_range(t - self.span / 2, t + self.span / 2)
        self.set_cursor(t)

    def _goto_entered(self) -> None:
        self.goto(self.goto_field.dateTime().toSecsSinceEpoch())

    def _live_clicked(self) -> None:
        if self.live:
            self.pause()
        else:
            self.go_live()

    def _show_mode(self) -> None:
        self.live_button.setChecked(self.live)
        self.live_button.setText(self.tr("● Live") if self.live else self.tr("Paused"))
        self.paused_bar.setVisible(not self.live)
        self.later_button.setEnabled(not self.live)
        self._update_paused_text()

    def _update_paused_text(self) -> None:
        if self.live:
            return
        x0, x1 = self.x_range()
        self.paused_label.setText(
            self.tr("⏸ PAUSED: the view stands still, recording goes on. Showing %1 to %2")
            .replace("%1", _clock(x0, x1 - x0))
            .replace("%2", _clock(x1, x1 - x0))
        )

    def _manual_range(self, *_args: object) -> None:
        if not self._setting_range:
            self.pause()
            self._dirty = True
            self._update_paused_text()

    def _pinch(self, factor: float, centre_px: float) -> None:
        if not self.panes or factor <= 0:
            return
        vb = self.panes[0].plot.getViewBox()
        centre = vb.mapSceneToView(QPointF(centre_px, 0)).x() + self.origin
        x0, x1 = self.x_range()
        self.pause()
        self.set_range(centre - (centre - x0) / factor, centre + (x1 - centre) / factor)

    def x_range(self) -> tuple[float, float]:
        """The visible time range, epoch seconds."""
        if not self.panes:
            now = self.feed.now()
            return now - self.span, now
        (x0, x1), _ = self.panes[0].plot.getViewBox().viewRange()
        return x0 + self.origin, x1 + self.origin

    def set_range(self, t0: float, t1: float) -> None:
        if not self.panes or t1 <= t0:
            return
        self._setting_range = True
        try:
            self.panes[0].plot.setXRange(t0 - self.origin, t1 - self.origin, padding=0)
        finally:
            self._setting_range = False
        self._dirty = True
        self._update_paused_text()

    # -- cursor ---------------------------------------------------------------------------

    def _clicked(self, event: object) -> None:
        if not self.panes:
            return
        pos = event.scenePos()  # type: ignore[attr-defined]
        vb = self.panes[0].plot.getViewBox()
        if not any(p.plot.sceneBoundingRect().contains(pos) for p in self.panes):
            return
        self.set_cursor(vb.mapSceneToView(pos).x() + self.origin)

    def set_cursor(self, t: float | None) -> None:
        self.cursor_time = t
        self.cursor_line.setVisible(t is not None)
        if t is not None:
            self.cursor_line.setValue(t - self.origin)
        self._update_readouts()

    def _cursor_moved(self) -> None:
        self.cursor_time = float(self.cursor_line.value()) + self.origin
        self._update_readouts()

    def read_at(self, t: float) -> dict[str, tuple[float, int] | None]:
        """Each pen's value in effect at ``t`` and its quality code (None: nothing known)."""
        out: dict[str, tuple[float, int] | None] = {}
        for pen in self.pens:
            live = self.feed.series.get(pen.tag.id)
            found = None
            if live is not None and live.first_time is not None and t >= live.first_time:
                found = live.value_at(t)
            elif pen.history is not None:
                found = pen.history.value_at(t)
            out[pen.tag.id] = found
        return out

    def _update_readouts(self) -> None:
        t = self.cursor_time
        values = self.read_at(t) if t is not None else {}
        for pen in self.pens:
            if pen.value_label is None:
                continue
            if t is None:
                pen.value_label.setText(_scale_text(pen.tag))
                continue
            found = values.get(pen.tag.id)
            pen.value_label.setText(f"{_clock(t, 60)}  {_reading(pen.tag, found)}")

    # -- drawing ------------------------------------------------------------------------------

    def refresh(self, now: float) -> None:
        """One frame (called by the feed when the trend is on screen)."""
        if not self.panes:
            return
        self._poll_loads()
        if self.live:
            self.set_range(now - self.span, now)
        elif not self._dirty and not self._touches_live(now):
            return
        self._dirty = False
        x0, x1 = self.x_range()
        width = max(int(self.panes[0].plot.getViewBox().width()), 50)
        for pen in self.pens:
            self._draw(pen, x0, x1, width, now)
        self._autoscale()
        self._refresh_marks(x0, x1, now)
        for pane in self.panes:
            # Settle the transform now, or every curve asks for a second paint.
            pane.plot.getViewBox().updateMatrix()
        if self.cursor_time is not None and self.feed.frames % 5 == 0:
            self._update_readouts()

    def _touches_live(self, now: float) -> bool:
        """Whether a paused view shows times still being recorded (its right edge is near now)."""
        _, x1 = self.x_range()
        return x1 >= now - 5.0

    def _draw(self, pen: Pen, x0: float, x1: float, width: int, now: float) -> None:
        live = self.feed.series.get(pen.tag.id)
        boundary = live.first_time if live is not None and live.n else None
        xs: list[np.ndarray] = []
        ys: list[np.ndarray] = []
        if boundary is None or x0 < boundary:
            self._want_history(pen, x0, x1 if boundary is None else min(x1, boundary), width, now)
            if pen.history is not None:
                end = x1 if boundary is None else min(x1, boundary)
                share = max(1, int(width * (end - x0) / max(x1 - x0, 1e-9)))
                hx, hy = pen.history.view(x0, end, share)
                if boundary is not None and len(hx):
                    keep = hx < boundary
                    hx, hy = hx[keep], hy[keep]
                xs.append(hx)
                ys.append(hy)
        if live is not None and boundary is not None and x1 >= boundary:
            start = max(x0, boundary)
            share = max(1, int(width * (x1 - start) / max(x1 - x0, 1e-9)))
            lx, ly = live.view(start, x1, share, hold_until=now)
            xs.append(lx)
            ys.append(ly)
        x = np.concatenate(xs) if xs else np.empty(0)
        y = np.concatenate(ys) if ys else np.empty(0)
        pen.last_drawn = (x, y)
        pen.curve.setData(x - self.origin, y, connect="finite", skipFiniteCheck=True)

    def _want_history(self, pen: Pen, t0: float, t1: float, width: int, now: float) -> None:
        """Load the pen's older samples when the view needs times the loaded ones lack."""
        source = self.feed.source
        if source is None or pen.loading is not None:
            return
        span = pen.history_span
        needs_raw = (t1 - t0) / 10.0 < width / 2
        if span is not None:
            a, b, bucketed = span
            # With nothing live, anything newer than the load would be live: none is.
            live = self.feed.series.get(pen.tag.id)
            covered = a <= t0 and (b >= t1 or live is None or live.n == 0)
            if covered and (not bucketed or not needs_raw):
                return
        margin = (t1 - t0) * 0.5
        a, b = t0 - margin, min(t1 + margin, now + 1.0)
        pen.loading = source.load(pen.tag.id, a, b, 2 * width)
        pen.history_span = (a, b, not needs_raw)

    def _poll_loads(self) -> None:
        for pen in self.pens:
            future = pen.loading
            if future is None or not future.done():
                continue
            pen.loading = None
            if future.exception() is not None:
                self.status.setText(
                    self.tr("History could not be read: %1").replace("%1", str(future.exception()))
                )
                continue
            samples = future.result()
            if pen.history_span is not None:
                a, b, _ = pen.history_span
                pen.history_span = (a, b, samples.bucketed)
            pen.history = _series_of(samples)
            self._dirty = True

    def loads_pending(self) -> list[concurrent.futures.Future[Samples]]:
        return [pen.loading for pen in self.pens if pen.loading is not None]

    def _autoscale(self) -> None:
        """Panes without a configured range follow their data, with a margin, without jitter."""
        for pane in self.panes:
            if pane.fixed_range is not None:
                continue
            values = [pen.last_drawn[1] for pen in pane.pens if len(pen.last_drawn[1])]
            finite = [v[np.isfinite(v)] for v in values]
            finite = [v for v in finite if len(v)]
            if not finite:
                continue
            lo = float(min(v.min() for v in finite))
            hi = float(max(v.max() for v in finite))
            if hi - lo < 1e-9:
                lo, hi = lo - 1.0, hi + 1.0
            (_, _), (y0, y1) = pane.plot.getViewBox().viewRange()
            inside = y0 <= lo and hi <= y1
            loose = (y1 - y0) > 3 * (hi - lo)
            if not inside or loose:
                pad = (hi - lo) * 0.1
                pane.plot.setYRange(lo - pad, hi + pad, padding=0)

    # -- marks on the time axis ------------------------------------------------------------------

    def set_marks(self, layer: str, marks: Sequence[Mark]) -> None:
        """Draw ``marks`` as bands over every pane; each layer replaces its previous marks.

        The overlay of the time axis: outages now; alarms, downtime, operator
        writes and instruction steps add their own layers.
        """
        self.marks[layer] = list(marks)
        self._marks_drawn = None
        self._dirty = True

    def _refresh_marks(self, x0: float, x1: float, now: float) -> None:
        source = self.feed.source
        if source is not None:
            if self.live:
                due = now - self._events_at > EVENTS_EVERY_S
            else:
                due = self._events_span != (x0, x1)
            if self._events is None and due:
                self._events = source.events(x0, x1)
                self._events_at = now
                self._events_span = (x0, x1)
            elif self._events is not None and self._events.done():
                future, self._events = self._events, None
                if future.exception() is None:
                    events = future.result()
                    marks = [
                        Mark(e.kind, e.start, e.end, _outage_text(e))
                        for e in events
                        if e.kind == "outage"
                    ]
                    if marks != self.marks.get("outages"):
                        self.set_marks("outages", marks)
                    shown = {pen.tag.id for pane in self.panes for pen in pane.pens}
                    alarms = [
                        Mark(e.kind, e.start, e.end, f"▲ {e.text}", e.subject.partition("#")[0])
                        for e in events
                        if e.kind == "alarm" and e.subject.partition("#")[0] in shown
                    ]
                    if alarms != self.marks.get("alarms"):
                        self.set_marks("alarms", alarms)
        all_marks = [mark for layer in self.marks.values() for mark in layer]
        key = (len(all_marks), round(now) if any(m.end is None for m in all_marks) else 0.0)
        if self._marks_drawn == key:
            return
        self._marks_drawn = key
        for pane in self.panes:
            for band in pane.bands:
                pane.plot.removeItem(band)
            pane.bands = []
            tags = {pen.tag.id for pen in pane.pens}
            for mark in all_marks:
                if mark.tag is not None and mark.tag not in tags:
                    continue
                end = now if mark.end is None else mark.end
                color = MARK_FILL.get(mark.kind, (120, 120, 160, 60))
                band = pg.LinearRegionItem(
                    values=(mark.start - self.origin, end - self.origin),
                    movable=False,
                    brush=pg.mkBrush(*color),
                    pen=pg.mkPen(color[:3], width=1),
                )
                band.setZValue(-10)
                band.setToolTip(mark.text)
                if pane is self.panes[0]:
                    pg.InfLineLabel(
                        band.lines[0],
                        text=mark.text,
                        position=0.9,
                        anchors=[(-0.02, 0.5), (-0.02, 0.5)],
                        color=theme.TEXT,
                    )
                pane.plot.addItem(band, ignoreBounds=True)
                pane.bands.append(band)
        if self.panes and all_marks:
            texts = sorted({m.text for m in all_marks})
            self.status.setText("  ·  ".join(texts))

    # -- export -----------------------------------------------------------------------------------

    def export_csv(self) -> None:
        source = self.feed.source
        if source is None or not self.pens:
            self.message.emit(self.tr("Nothing to export"))
            return
        x0, x1 = self.x_range()
        path = self.export_dir / f"trend-{_file_stamp(x1)}.csv"
        self._export_path = path
        self._export = source.export_csv(path, [p.tag for p in self.pens], x0, x1)
        self.status.setText(self.tr("Exporting to %1 …").replace("%1", str(path)))

    def export_done(self) -> bool:
        """Check an export in progress; True once it has finished (either way)."""
        future = self._export
        if future is None or not future.done():
            return future is None
        self._export = None
        error = future.exception()
        if error is not None:
            text = self.tr("Export failed: %1").replace("%1", str(error))
        else:
            text = (
                self.tr("Saved %1 rows to %2")
                .replace("%1", str(future.result()))
                .replace("%2", str(self._export_path))
            )
        self.status.setText(text)
        self.message.emit(text)
        return True

    def export_png(self) -> Path | None:
        _, x1 = self.x_range()
        path = self.export_dir / f"trend-{_file_stamp(x1)}.png"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.status.setText(self.tr("Export failed: %1").replace("%1", str(exc)))
            return None
        if not self.grab().save(str(path)):
            self.status.setText(self.tr("Export failed: %1").replace("%1", str(path)))
            return None
        text = self.tr("Saved the picture to %1").replace("%1", str(path))
        self.status.setText(text)
        self.message.emit(text)
        return path


def _series_of(samples: Samples) -> PenSeries:
    """A series sized to hold ``samples`` whole."""
    capacity = 8 << 12
    while capacity * 7 // 8 < len(samples.t):
        capacity <<= 1
    series = PenSeries(capacity)
    series.append(samples.t.astype(np.float64), samples.v.astype(np.float64), samples.q)
    return series


def _swatch(color: str, dashed: bool) -> QPixmap:
    pixmap = QPixmap(28, 16)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    pen = QPen(QColor(color), 4)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.drawLine(2, 8, 26, 8)
    painter.end()
    return pixmap


def _scale_text(tag: TagDef) -> str:
    unit = f" {tag.unit}" if tag.unit else ""
    if tag.range_lo is not None and tag.range_hi is not None:
        return f"{tag.range_lo:g} … {tag.range_hi:g}{unit}"
    return unit.strip() or "—"


QUALITY_TEXT = {
    int(Quality.GOOD): "",
    int(Quality.UNCERTAIN): str(QT_TRANSLATE_NOOP("TrendView", "◐ uncertain")),
    int(Quality.BAD): str(QT_TRANSLATE_NOOP("TrendView", "✕ bad")),
    int(Quality.STALE): str(QT_TRANSLATE_NOOP("TrendView", "◷ stale")),
    int(Quality.NO_CONNECTION): str(QT_TRANSLATE_NOOP("TrendView", "⊘ no connection")),
}


def _reading(tag: TagDef, found: tuple[float, int] | None) -> str:
    if found is None:
        return "—"
    value, code = found
    quality = QUALITY_TEXT.get(code, "")
    quality = QCoreApplication.translate("TrendView", quality) if quality else ""
    if math.isnan(value):
        return f"— {quality}".strip()
    unit = f" {tag.unit}" if tag.unit else ""
    text = f"{format_number(value, tag.precision)}{unit}"
    return f"{text} {quality}".strip()


def _clock(t: float, span: float) -> str:
    moment = datetime.fromtimestamp(t)
    if span >= 86400 / 2:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.strftime("%H:%M:%S")


def _file_stamp(t: float) -> str:
    return time.strftime("%Y%m%d-%H%M%S", time.localtime(t))


def _outage_text(event: HistoryEvent) -> str:
    return f"⊘ {event.subject}: {event.text}" if event.text else f"⊘ {event.subject}"
