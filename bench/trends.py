"""Trends benchmark: drawing 32 live pens, writing the history, loading 24 hours of it.

Run by hand from the repository root (never by the test suite)::

    .venv/bin/python bench/trends.py                 # full run, about 5 minutes
    .venv/bin/python bench/trends.py --quick         # about 1.5 minutes, draw the longest
    .venv/bin/python bench/trends.py --phase draw --quick --out /tmp/r.json

Every Floorline figure is printed next to a baseline measured in the same run
(the machine is shared and noisy); compare the ratios between runs, not the
absolute figures. Phases (see bench/README.md, "trends"):

1. ``draw``: a real ``Runtime`` ingests 5,000 MQTT messages/s from a private
   Mosquitto (two ``paced_publisher.py`` children: 32 pen tags at 10 Hz each,
   the rest on 20 other tags); the history file was filled with the last hour
   of the 32 pens at 10 Hz before the runtime started. Floorline: a
   ``TrendsPage`` (1280x800, offscreen, visible) showing the 32 pens in four
   panes over a 1 h window (36,000 samples per pen), driven by its
   ``TrendFeed``'s own 40 ms timer. Baseline: the same window and plot area
   with 32 pyqtgraph ``PlotDataItem``s (``setDownsampling(auto=True,
   method="peak")``, ``setClipToView(True)``) given their whole rolling 1 h
   arrays every 40 ms and the x range rolled with ``setXRange``. Figure: frames
   painted per second (a refresh followed by a paint of the plot's viewport);
   per frame, the refresh and paint time; the tag updates/s the runtime applied
   meanwhile (the ingest held?); how long the page took to show the whole hour.
   As shipped, 32 legend rows make the page 1280x1814: the main runs put the
   legend in a scroll area (in the benchmark only) to measure at 1280x800, one
   more pair measures the page as shipped. The full run adds a pair with both
   timers at 0 ms (as fast as the event loop goes) and a pair without ingest
   (publishers stopped), to see what the ingest costs the drawing.
2. ``write``: ``HistoryService.on_samples`` + ``flush()`` of 1,000,000 samples
   of 32 tags, one flush per second of samples at 100,000 samples/s, into a
   fresh file, vs one row per sample (``executemany`` in 1,000-row
   transactions into a plain table, same PRAGMAs); samples/s.
3. ``backfill``: 24 h of 8 pens at 10 Hz written through the storage layer
   (``buckets_of`` + ``write_flush``, one chunk per pen per second as the
   service writes them; the time it took is reported), then the wall time until
   ``HistoryService.load(tag, now - 86400, now, 2400)`` has returned for the 8
   pens (what a 24 h trend asks for: 10-second buckets), vs the same 24 h as
   raw samples (``load_raw``, through the same service); median of a few runs.

Results are printed as a table and written as JSON (``--out``, default
``bench/results/trends-<time>.json``). Needs ``mosquitto`` and
``mosquitto_pub`` for the draw phase.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import functools
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
import PySide6  # noqa: E402
from PySide6.QtCore import QEvent, QEventLoop, QObject, QPoint, QRect, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QBoxLayout,
    QFrame,
    QGraphicsView,
    QScrollArea,
    QWidget,
)

from bench.ingest import (  # noqa: E402
    JSON_CODEC,
    Children,
    CpuMeter,
    children,
    private_broker,
)
from bench.report import print_table, versions  # noqa: E402
from hmi.domain.clock import ManualClock, SystemClock  # noqa: E402
from hmi.domain.health import LinkState  # noqa: E402
from hmi.domain.plant import (  # noqa: E402
    HistorySettings,
    MqttBinding,
    MqttProtocol,
    MqttSource,
    PlantDef,
    StationDef,
    TagDef,
)
from hmi.domain.quality import Quality  # noqa: E402
from hmi.domain.tags import TagValue  # noqa: E402
from hmi.gui import theme  # noqa: E402
from hmi.gui.collector import GuiThreadCollector  # noqa: E402
from hmi.gui.trend.axis import TimeAxis  # noqa: E402
from hmi.gui.trend.feed import FRAME_MS, RAW  # noqa: E402
from hmi.gui.trend.page import TrendsPage  # noqa: E402
from hmi.gui.trend.view import PEN_COLORS, TrendView  # noqa: E402
from hmi.services.history import HistoryService  # noqa: E402
from hmi.services.runtime import Runtime  # noqa: E402
from hmi.storage import history  # noqa: E402
from hmi.storage.database import connect, migrate  # noqa: E402

FPS_TARGET = 25.0
FPS_SLACK = 0.98  # the feed's timer is 40 ms: 25 fps is its ceiling, so allow timer jitter
WRITE_TARGET = 100_000.0
BACKFILL_TARGET_S = 0.5
INGEST_RATE = 5000.0
PENS = 32
PEN_HZ = 10.0
LOAD_TOPICS = 20
UNITS = ("bar", "°C", "m³/h", "rpm")  # four panes of eight pens
WINDOW_S = 3600.0
SIZE = (1280, 800)
STATION = "trend"
BUCKETS_FOR_24H = 2400  # the max_points a 24 h trend asks for (about two per pixel column)


@dataclass(frozen=True)
class Config:
    draw_paced_s: float  # each measured window, the feed's own timer
    draw_paced_runs: int  # baseline, Floorline, baseline, Floorline ...
    draw_unpaced_s: float  # each measured window with both timers at 0 ms
    draw_shipped_s: float  # each measured window with the page as shipped (legend not fitted)
    draw_idle_s: float  # each measured window without ingest (publishers stopped); 0: skipped
    draw_warmup_s: float = 2.0  # after the backfill is in, before the window starts
    draw_alone_s: float = 4.0  # ingest measured with no trend shown, before the runs
    write_samples: int = 1_000_000
    write_rate: int = 100_000  # samples per flush: one second at this rate
    write_batch: int = 500  # samples per on_samples call (one acquisition batch)
    write_runs: int = 2
    backfill_hours: float = 24.0
    backfill_pens: int = 8
    backfill_hz: float = 10.0
    backfill_chunk_s: float = 1.0  # one chunk per pen per flush, as the service writes
    backfill_runs: int = 5


FULL = Config(
    draw_paced_s=12.0,
    draw_paced_runs=2,
    draw_unpaced_s=8.0,
    draw_shipped_s=10.0,
    draw_idle_s=8.0,
)
QUICK = Config(
    draw_paced_s=6.0,
    draw_paced_runs=1,
    draw_unpaced_s=0.0,
    draw_shipped_s=4.0,
    draw_idle_s=0.0,
    draw_warmup_s=1.0,
    draw_alone_s=2.0,
    write_samples=300_000,
    write_runs=1,
    backfill_runs=3,
)


class StopRequestedError(Exception):
    """Ctrl+C or SIGTERM: stop the current phase (its finally blocks clean up) and exit."""


_INTERRUPTED = threading.Event()
_IN_QT_LOOP = [0]


def _on_signal(_signum: int, _frame: FrameType | None) -> None:
    first = not _INTERRUPTED.is_set()
    _INTERRUPTED.set()
    # Inside a Qt event loop an exception would only be printed by the slot that
    # happened to run: the Waiter sees the flag instead. Elsewhere, stop right here.
    if first and not _IN_QT_LOOP[0]:
        raise StopRequestedError


def check_interrupted() -> None:
    if _INTERRUPTED.is_set():
        raise StopRequestedError


class Waiter:
    """Waits while a Qt event loop runs on this (the main, GUI) thread."""

    def until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        loop = QEventLoop()

        def poll() -> None:
            if _INTERRUPTED.is_set() or predicate() or time.monotonic() > deadline:
                loop.quit()

        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(poll)
        timer.start()
        _IN_QT_LOOP[0] += 1
        try:
            if not (_INTERRUPTED.is_set() or predicate()):
                loop.exec()
        finally:
            _IN_QT_LOOP[0] -= 1
            timer.stop()
        check_interrupted()
        return predicate()

    def sleep(self, seconds: float) -> None:
        self.until(lambda: False, seconds)


def _ms(values: Sequence[float]) -> dict[str, float | None]:
    """Mean, median and p95 of durations in seconds, as milliseconds."""
    if not values:
        return {"n": 0, "mean_ms": None, "p50_ms": None, "p95_ms": None}
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "mean_ms": round(sum(ordered) / len(ordered) * 1000, 2),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 2),
    }


# -- synthetic history -------------------------------------------------------------


def signal_of(index: int, t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A process value between 0 and 100: a slow swing, a faster ripple, measurement noise."""
    swing = 30.0 * np.sin(2 * np.pi * t / 1200.0 + index)
    ripple = 6.0 * np.sin(2 * np.pi * t / 45.0 + 2 * index)
    return np.clip(50.0 + swing + ripple + rng.normal(0.0, 1.5, len(t)), 0.0, 100.0)


def write_history(
    path: Path, tags: Sequence[str], start: float, end: float, hz: float, chunk_s: float
) -> dict[str, Any]:
    """Samples of ``tags`` at ``hz`` over ``start..end``, written through the storage layer.

    Raw chunks of ``chunk_s`` (one row per tag per flush, as ``HistoryService``
    writes them) and the 10-second buckets from ``history.buckets_of``, in one
    ``write_flush`` transaction per 10 minutes; one recording run spans it all.
    """
    began = time.perf_counter()
    db = connect(path, "NORMAL")
    try:
        migrate(db, history.MIGRATIONS)
        run_id = history.start_run(db, start)
        rng = np.random.default_rng(7)
        block_s = 600.0
        per_chunk = max(1, round(chunk_s * hz))
        held: dict[str, float] = {}
        samples = 0
        block = start
        while block < end:
            check_interrupted()
            stop = min(block + block_s, end)
            t = block + np.arange(round((stop - block) * hz)) / hz
            q = np.zeros(len(t), np.uint8)
            chunks: list[history.Chunk] = []
            buckets: list[history.BucketRow] = []
            for index, tag in enumerate(tags):
                v = signal_of(index, t, rng)
                whole = history.Chunk(tag, t, v, q)
                buckets += history.buckets_of(
                    tag, whole, held.get(tag, float(v[0])), 0, block, stop
                )
                held[tag] = float(v[-1])
                chunks += [
                    history.Chunk(
                        tag, t[i : i + per_chunk], v[i : i + per_chunk], q[i : i + per_chunk]
                    )
                    for i in range(0, len(t), per_chunk)
                ]
                samples += len(t)
            history.write_flush(db, chunks, buckets, run_id, stop)
            block = stop
    finally:
        db.close()
    return {
        "samples": samples,
        "seconds": round(time.perf_counter() - began, 2),
        "chunk_s": chunk_s,
        "file_mb": round(sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6, 1),
    }


# -- draw: the plant, the meters ------------------------------------------------------


def draw_plant(port: int, history_path: Path) -> PlantDef:
    """32 pen tags on ``bench/pen/<k>`` in four units, 20 load tags on ``bench/load/<k>``."""
    source = MqttSource(
        "bench-broker",
        "127.0.0.1",
        port,
        protocol=MqttProtocol.V5,
        client_id=f"floorline-bench-trends-{os.getpid()}",
    )
    pens = [
        TagDef(
            f"pen{k}",
            f"Pen {k}",
            source.id,
            MqttBinding(f"bench/pen/{k}", JSON_CODEC),
            unit=UNITS[k * len(UNITS) // PENS],
            precision=1,
            range_lo=0.0,
            range_hi=100.0,
        )
        for k in range(PENS)
    ]
    load = [
        TagDef(
            f"load{k}",
            f"Load {k}",
            source.id,
            MqttBinding(f"bench/load/{k}", JSON_CODEC),
            unit="bar",
            precision=1,
        )
        for k in range(LOAD_TOPICS)
    ]
    station = StationDef(STATION, "Trend bench", tuple(t.id for t in pens))
    return PlantDef(
        "Trends bench",
        (source,),
        (*pens, *load),
        (station,),
        history=HistorySettings(path=str(history_path)),
    )


class PaintMeter(QObject):
    """Counts and times the paint events of a graphics view's viewport, and the frames painted.

    The filter paints the event itself (``viewportEvent``, what the view would
    do next) between two clock readings, and tells Qt it was handled. The
    drawing code calls ``frame()`` after each update of the plot; a frame counts
    as painted when a paint event follows it (further paints before the next
    frame are repaints of the same picture, counted as paint events only).
    """

    def __init__(self, view: QGraphicsView) -> None:
        super().__init__()
        self.view = view
        self.viewport = view.viewport()
        self.durations: list[float] = []
        self.frames_painted = 0
        self._pending = False
        self._inside = False
        self.viewport.installEventFilter(self)

    def frame(self) -> None:
        self._pending = True

    @property
    def count(self) -> int:
        return len(self.durations)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.viewport or event.type() != QEvent.Type.Paint or self._inside:
            return False
        self._inside = True
        began = time.perf_counter()
        try:
            self.view.viewportEvent(event)
        finally:
            self._inside = False
        self.durations.append(time.perf_counter() - began)
        if self._pending:
            self._pending = False
            self.frames_painted += 1
        return True

    def close(self) -> None:
        self.viewport.removeEventFilter(self)


class CountingSource:
    """The runtime's history as the trends see it, counting what they load."""

    def __init__(self, service: HistoryService) -> None:
        self.service = service
        self.loads = 0
        self.loaded: list[concurrent.futures.Future[history.Samples]] = []

    def follow(self, tags: list[str]) -> None:
        self.service.follow(tags)

    def take_tail(self) -> Any:
        return self.service.take_tail()

    def load(self, tag: str, t0: float, t1: float, max_points: int) -> Any:
        self.loads += 1
        future = self.service.load(tag, t0, t1, max_points)
        self.loaded.append(future)
        return future

    def events(self, t0: float, t1: float) -> Any:
        return self.service.events(t0, t1)

    def export_csv(self, path: Path, tags: Sequence[TagDef], t0: float, t1: float) -> Any:
        return self.service.export_csv(path, tags, t0, t1)

    def loaded_points(self) -> int:
        return sum(len(f.result().t) for f in self.loaded if f.done() and f.exception() is None)


class Rolling:
    """A pen's last hour for the baseline: arrays that grow at the end and roll off the front.

    Preallocated, so the baseline pays no copy per frame: ``arrays`` gives views.
    """

    def __init__(self, capacity: int = 1 << 17) -> None:
        self.x = np.empty(capacity)
        self.y = np.empty(capacity)
        self.a = 0
        self.b = 0

    def append(self, x: np.ndarray, y: np.ndarray) -> None:
        if self.b > self.a:
            newer = x > self.x[self.b - 1]  # the tail may repeat what the load returned
            x, y = x[newer], y[newer]
        count = len(x)
        if self.b + count > len(self.x):
            keep = self.b - self.a
            size = max(len(self.x), 2 * (keep + count))
            nx, ny = np.empty(size), np.empty(size)
            nx[:keep], ny[:keep] = self.x[self.a : self.b], self.y[self.a : self.b]
            self.x, self.y, self.a, self.b = nx, ny, 0, keep
        self.x[self.b : self.b + count] = x
        self.y[self.b : self.b + count] = y
        self.b += count

    def roll(self, x0: float) -> None:
        """Drop what is older than ``x0`` (keeping the sample in effect at ``x0``)."""
        first = int(np.searchsorted(self.x[self.a : self.b], x0, "right")) - 1
        self.a += max(first, 0)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x[self.a : self.b], self.y[self.a : self.b]

    def __len__(self) -> int:
        return self.b - self.a


def pen_style(index: int) -> Any:
    """The pen Floorline's trend gives its pen number ``index`` (TrendView._make_pen)."""
    style = Qt.PenStyle.SolidLine if index < len(PEN_COLORS) else Qt.PenStyle.DashLine
    return pg.mkPen(PEN_COLORS[index % len(PEN_COLORS)], width=2, style=style)


class PeakTrend(QWidget):
    """The baseline: pyqtgraph's own way, in the same plot area as Floorline's trend.

    Panes, axes, grid, pens and fixed y ranges as ``TrendView`` makes them; 32
    ``PlotDataItem``s with peak downsampling and clipping to the view, each given
    its whole rolling hour every frame, the x range rolled with ``setXRange``.
    The samples come the same way: the history's tail each frame, after a raw
    load of the last hour.
    """

    def __init__(
        self,
        pens: Sequence[TagDef],
        source: HistoryService,
        now: Callable[[], float],
        layout: Layout,
    ) -> None:
        super().__init__()
        self.source = source
        self.now = now
        self.origin = math.floor(now() / 86400.0) * 86400.0
        self.resize(*layout.window)
        self.plot_area = pg.GraphicsLayoutWidget(self)
        self.plot_area.setGeometry(layout.plot)
        self.plot_area.setBackground(theme.PANEL)
        self.plot_area.ci.setSpacing(0)
        self.plots: list[pg.PlotItem] = []
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.buffers: dict[str, Rolling] = {}
        panes: dict[str, pg.PlotItem] = {}
        for index, tag in enumerate(pens):
            plot = panes.get(tag.unit)
            if plot is None:
                plot = panes[tag.unit] = self._make_plot(tag.unit)
            curve = pg.PlotDataItem(pen=pen_style(index))
            plot.addItem(curve)
            # After addItem: PlotItem.addItem applies the plot's own (off) settings to the item.
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self.curves[tag.id] = curve
            self.buffers[tag.id] = Rolling()
        for index, plot in enumerate(self.plots):
            plot.setYRange(0.0, 100.0, padding=0.04)
            if index < len(self.plots) - 1:
                axis = plot.getAxis("bottom")
                axis.setStyle(showValues=False)
                axis.setHeight(8)
        self.frames = 0
        self.on_frame: Callable[[], None] | None = None
        self.frame_s: list[float] = []  # whole tick: tail, append, range, setData
        self.update_s: list[float] = []  # setXRange + setData only (what TrendView.refresh does)
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.tick)

    def _make_plot(self, unit: str) -> pg.PlotItem:
        font = theme.font(theme.BASE_PT - 2)
        axis = TimeAxis(self.origin)
        axis.setTickFont(font)
        axis.setTextPen(theme.TEXT)
        axis.setPen(theme.TEXT_MUTED)
        plot = pg.PlotItem(axisItems={"bottom": axis})
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.showGrid(x=True, y=True, alpha=0.25)
        left = plot.getAxis("left")
        left.setTickFont(font)
        left.setTextPen(theme.TEXT)
        left.setPen(theme.TEXT_MUTED)
        left.setWidth(64)
        left.enableAutoSIPrefix(False)
        plot.setLabel("left", unit)
        left.label.setFont(font)
        vb = plot.getViewBox()
        vb.setMouseEnabled(x=True, y=False)
        vb.disableAutoRange()
        if self.plots:
            plot.setXLink(self.plots[0])
        self.plot_area.addItem(plot, row=len(self.plots), col=0)
        self.plots.append(plot)
        return plot

    def load(self, timeout: float = 60.0) -> int:
        """Follow the pens and load their last hour (raw), as the feed's backfill does."""
        tags = list(self.curves)
        self.source.follow(tags)
        now = self.now()
        futures = {tag: self.source.load(tag, now - WINDOW_S, now + 1.0, RAW) for tag in tags}
        concurrent.futures.wait(list(futures.values()), timeout)
        points = 0
        for tag, future in futures.items():
            samples = future.result(0)
            self.buffers[tag].append(samples.t - self.origin, samples.v)
            points += len(samples.t)
        return points

    def tick(self) -> None:
        began = time.perf_counter()
        self.frames += 1
        tails, _ = self.source.take_tail()
        for tag, (t, v, _q) in tails.items():
            buffer = self.buffers.get(tag)
            if buffer is not None:
                buffer.append(t - self.origin, v)
        now = self.now()
        x0, x1 = now - WINDOW_S - self.origin, now - self.origin
        drawing = time.perf_counter()
        self.plots[0].setXRange(x0, x1, padding=0)
        for tag, curve in self.curves.items():
            buffer = self.buffers[tag]
            buffer.roll(x0)
            curve.setData(*buffer.arrays())
        done = time.perf_counter()
        self.update_s.append(done - drawing)
        self.frame_s.append(done - began)
        if self.on_frame is not None:
            self.on_frame()

    def drawn_points(self) -> float:
        sizes = [len(c.curve.xData) for c in self.curves.values() if c.curve.xData is not None]
        return sum(sizes) / len(sizes) if sizes else 0.0

    def window_points(self) -> float:
        return sum(len(b) for b in self.buffers.values()) / max(len(self.buffers), 1)


# -- draw: one run of each ----------------------------------------------------------------


def fit_legend(view: TrendView) -> None:
    """What-if, in the bench only: the trend's legend in a scroll area of the same width.

    As shipped, the legend is a column of two rows per pen that sets the page's
    minimum height: with 32 pens a 1280x800 page grows to about 1280x1800.
    """
    legend = view.legend
    outer = view.layout()
    body: QBoxLayout | None = None
    for i in range(outer.count()):
        inner = outer.itemAt(i).layout()
        if isinstance(inner, QBoxLayout) and inner.indexOf(legend) >= 0:
            body = inner
    if body is None:
        raise RuntimeError("the trend's legend is not where the benchmark expects it")
    index = body.indexOf(legend)
    width = legend.maximumWidth()
    body.removeWidget(legend)
    scroll = QScrollArea()
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    legend.setFixedWidth(width - scroll.verticalScrollBar().sizeHint().width())
    scroll.setWidget(legend)
    scroll.setFixedWidth(width)
    body.insertWidget(index, scroll)


@dataclass(frozen=True)
class Layout:
    """Where the plot area sits: the Trends page as shipped, or with its legend fitted."""

    fitted: bool
    window: tuple[int, int]  # the page's size after resize(1280, 800) and show
    plot: QRect  # the plot area within it

    @property
    def name(self) -> str:
        return "fitted" if self.fitted else "shipped"


def probe_layout(plant: PlantDef, fitted: bool) -> Layout:
    """A Trends page without history, shown at 1280x800: the size it takes, its plot area."""
    page = TrendsPage(plant, None, time.time)
    try:
        view = page.views[STATION]
        if fitted:
            fit_legend(view)
        view.set_window(WINDOW_S)
        page.resize(*SIZE)
        page.show()
        for _ in range(5):
            QApplication.processEvents()
        area = view.plot_area
        return Layout(
            fitted,
            (page.width(), page.height()),
            QRect(area.mapTo(page, QPoint(0, 0)), area.size()),
        )
    finally:
        page.stop()
        page.close()
        page.deleteLater()
        QApplication.processEvents()


@dataclass
class DrawContext:
    waiter: Waiter
    runtime: Runtime
    plant: PlantDef
    warmup_s: float


def _ingest_snapshot(runtime: Runtime) -> tuple[float, int, int]:
    stats = runtime.history.stats()
    return time.monotonic(), runtime.store.updates_applied, stats.dropped


def _measure(
    ctx: DrawContext, seconds: float, paints: PaintMeter, frames: Callable[[], int]
) -> dict[str, Any]:
    """Run the event loop for ``seconds``; paint and frame rates, ingest, CPU over that window."""
    p0, f0, fp0 = paints.count, frames(), paints.frames_painted
    t0, a0, d0 = _ingest_snapshot(ctx.runtime)
    cpu = CpuMeter()
    ctx.waiter.sleep(seconds)
    load = cpu.read()
    t1, a1, d1 = _ingest_snapshot(ctx.runtime)
    wall = t1 - t0
    painted = paints.durations[p0:]
    return {
        "seconds": round(wall, 2),
        "fps": round((paints.frames_painted - fp0) / wall, 2),
        "frames_per_s": round((frames() - f0) / wall, 2),
        "paint_events_per_s": round(len(painted) / wall, 2),
        "paint_ms_per_frame": round(sum(painted) * 1000 / max(paints.frames_painted - fp0, 1), 2),
        "paint": _ms(painted),
        "ingest_updates_per_s": round((a1 - a0) / wall),
        "history_dropped": d1 - d0,
        "cpu_cores": round(load, 2),
        "loadavg_1min": os.getloadavg()[0],
    }


def run_floorline(ctx: DrawContext, layout: Layout, seconds: float, paced: bool) -> dict[str, Any]:
    """A ``TrendsPage`` on the runtime's history, 1 h window, all 32 pens, resized to 1280x800."""
    ctx.runtime.history.follow([])  # tails start afresh, as for a program just started
    source = CountingSource(ctx.runtime.history)
    page = TrendsPage(ctx.plant, source, ctx.runtime.clock.now)
    driver: QTimer | None = None
    paints: PaintMeter | None = None
    try:
        view = page.views[STATION]
        if layout.fitted:
            fit_legend(view)
        view.set_window(WINDOW_S)
        page.resize(*SIZE)
        page.show()
        paints = meter = PaintMeter(view.plot_area)
        refresh_s: list[float] = []
        tick_s: list[float] = []
        original = view.refresh

        def timed_refresh(now: float) -> None:
            began = time.perf_counter()
            original(now)
            refresh_s.append(time.perf_counter() - began)
            meter.frame()

        view.refresh = timed_refresh  # type: ignore[method-assign]
        feed = page.feed
        if not paced:
            # As fast as it goes: the feed's tick from a 0 ms timer instead of its 40 ms one.
            feed.stop()
            driver = QTimer(page)
            driver.setInterval(0)

            def timed_tick() -> None:
                began = time.perf_counter()
                feed.tick()
                tick_s.append(time.perf_counter() - began)

            driver.timeout.connect(timed_tick)
            driver.start()
        shown = time.perf_counter()

        def ready() -> bool:
            return (
                not feed.backfilling()
                and not view.loads_pending()
                and all(s.n >= 0.95 * WINDOW_S * PEN_HZ for s in feed.series.values())
            )

        if not ctx.waiter.until(ready, 60):
            raise RuntimeError("the trend's backfill did not arrive within 60 s")
        ready_s = time.perf_counter() - shown
        ctx.waiter.sleep(ctx.warmup_s)
        r0 = len(refresh_s)
        result = _measure(ctx, seconds, paints, lambda: feed.frames)
        now = ctx.runtime.clock.now()
        in_window = [
            s.n - int(np.searchsorted(s.t[: s.n], now - WINDOW_S)) for s in feed.series.values()
        ]
        result.update(
            {
                "impl": "floorline",
                "layout": layout.name,
                "paced": paced,
                "visible": view.isVisible(),
                "refresh": _ms(refresh_s[r0:]),
                "tick": _ms(tick_s) if tick_s else None,
                "window_samples_per_pen": round(sum(in_window) / len(in_window)),
                "drawn_points_per_pen": round(
                    sum(len(p.last_drawn[0]) for p in view.pens) / len(view.pens)
                ),
                "pens": len(view.pens),
                "panes": len(view.panes),
                "window_px": [page.width(), page.height()],
                "plot_px": [view.plot_area.width(), view.plot_area.height()],
                "history_loads_at_show": source.loads,
                "history_points_loaded": source.loaded_points(),
                "ready_after_s": round(ready_s, 2),
            }
        )
        return result
    finally:
        if driver is not None:
            driver.stop()
        if paints is not None:
            paints.close()
        page.stop()
        page.close()
        page.deleteLater()
        QApplication.processEvents()
        ctx.runtime.history.follow([])


def run_baseline(ctx: DrawContext, layout: Layout, seconds: float, paced: bool) -> dict[str, Any]:
    """``PeakTrend`` on the same history, in the same window and plot area, same pens."""
    ctx.runtime.history.follow([])
    pens = [ctx.plant.tag(t) for t in ctx.plant.stations[0].tags]
    trend = PeakTrend(pens, ctx.runtime.history, ctx.runtime.clock.now, layout)
    paints: PaintMeter | None = None
    try:
        shown = time.perf_counter()
        loaded = trend.load()
        trend.show()
        paints = PaintMeter(trend.plot_area)
        trend.on_frame = paints.frame
        if not paced:
            trend.timer.setInterval(0)
        trend.timer.start()
        ready_s = time.perf_counter() - shown
        ctx.waiter.sleep(ctx.warmup_s)
        u0 = len(trend.update_s)
        result = _measure(ctx, seconds, paints, lambda: trend.frames)
        result.update(
            {
                "impl": "pyqtgraph_peak",
                "layout": layout.name,
                "paced": paced,
                "visible": trend.plot_area.isVisible(),
                "refresh": _ms(trend.update_s[u0:]),
                "tick": _ms(trend.frame_s[u0:]),
                "window_samples_per_pen": round(trend.window_points()),
                "drawn_points_per_pen": round(trend.drawn_points()),
                "pens": len(trend.curves),
                "panes": len(trend.plots),
                "window_px": [trend.width(), trend.height()],
                "plot_px": [trend.plot_area.width(), trend.plot_area.height()],
                "history_points_loaded": loaded,
                "ready_after_s": round(ready_s, 2),
            }
        )
        return result
    finally:
        trend.timer.stop()
        if paints is not None:
            paints.close()
        trend.close()
        trend.deleteLater()
        QApplication.processEvents()
        ctx.runtime.history.follow([])


def _spawn_publisher(
    kids: Children, port: int, prefix: str, topics: int, rate: float, seconds: float
) -> subprocess.Popen[Any]:
    return kids.spawn(
        [
            sys.executable,
            str(BENCH / "paced_publisher.py"),
            "--port",
            str(port),
            "--prefix",
            prefix,
            "--topics",
            str(topics),
            "--rate",
            str(rate),
            "--seconds",
            str(seconds),
        ],
        stdout=subprocess.DEVNULL,
    )


def _pause(publishers: Sequence[subprocess.Popen[Any]], waiter: Waiter, runtime: Runtime) -> None:
    """Stop the publishers (SIGSTOP to their process groups) and let the runtime drain."""
    for proc in publishers:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGSTOP)
    last = [runtime.store.updates_applied, time.monotonic()]

    def drained() -> bool:
        now = runtime.store.updates_applied
        if now != last[0]:
            last[:] = [now, time.monotonic()]
        return time.monotonic() - last[1] > 1.0

    waiter.until(drained, 15)


def _resume(publishers: Sequence[subprocess.Popen[Any]]) -> None:
    for proc in publishers:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGCONT)


def phase_draw(cfg: Config, workdir: Path, waiter: Waiter) -> dict[str, Any]:
    pen_rate = PENS * PEN_HZ
    result: dict[str, Any] = {
        "pens": PENS,
        "pen_hz": PEN_HZ,
        "window_s": WINDOW_S,
        "ingest_rate": INGEST_RATE,
        "load_topics": LOAD_TOPICS,
        "frame_ms": FRAME_MS,
        "size": list(SIZE),
    }
    history_path = workdir / "draw-history.sqlite"
    with private_broker(workdir) as broker, children() as kids:
        plant = draw_plant(broker.port, history_path)
        fitted, shipped = probe_layout(plant, True), probe_layout(plant, False)
        result["layouts"] = {
            lay.name: {"window_px": list(lay.window), "plot_px": lay.plot.getRect()}
            for lay in (fitted, shipped)
        }
        end = time.time()
        pens = list(plant.stations[0].tags)
        result["prefill"] = write_history(history_path, pens, end - WINDOW_S, end, PEN_HZ, 1.0)
        runtime = Runtime(plant, cache_path=workdir / "draw-cache.sqlite")
        runtime.start()
        try:
            connected = waiter.until(
                lambda: all(h.state is LinkState.CONNECTED for h in runtime.acquisition.health()),
                15,
            )
            if not connected:
                raise RuntimeError("the runtime did not connect to the broker")
            plan: list[tuple[str, Layout, float, bool]] = []
            for _ in range(cfg.draw_paced_runs):
                plan += [("paced", fitted, cfg.draw_paced_s, True)]
            if cfg.draw_unpaced_s:
                plan += [("unpaced", fitted, cfg.draw_unpaced_s, False)]
            if cfg.draw_shipped_s:
                plan += [("shipped", shipped, cfg.draw_shipped_s, True)]
            if cfg.draw_idle_s:
                plan += [("idle", fitted, cfg.draw_idle_s, True)]
            budget = 120 + sum(2 * (s + cfg.draw_warmup_s + 60) for _, _, s, _ in plan)
            publishers = [
                _spawn_publisher(kids, broker.port, "bench/pen", PENS, pen_rate, budget),
                _spawn_publisher(
                    kids, broker.port, "bench/load", LOAD_TOPICS, INGEST_RATE - pen_rate, budget
                ),
            ]
            base = runtime.store.updates_applied
            if not waiter.until(lambda: runtime.store.updates_applied > base + INGEST_RATE, 15):
                raise RuntimeError("the published load does not reach the runtime")
            ctx = DrawContext(waiter, runtime, plant, cfg.draw_warmup_s)
            t0, a0, _ = _ingest_snapshot(runtime)
            waiter.sleep(cfg.draw_alone_s)
            t1, a1, _ = _ingest_snapshot(runtime)
            result["ingest_without_trend_per_s"] = round((a1 - a0) / (t1 - t0))
            runs: dict[str, list[dict[str, Any]]] = {key: [] for key, _, _, _ in plan}
            for key, layout, seconds, paced in plan:
                if key == "idle":
                    _pause(publishers, waiter, runtime)
                for run in (run_baseline, run_floorline):
                    what = "no ingest" if key == "idle" else f"{INGEST_RATE:,.0f} msgs/s in"
                    timer = f"timer {FRAME_MS} ms" if paced else "timer 0 ms"
                    print(
                        f"  {run.__name__[4:]}, {layout.name} legend, {timer}, {what} ...",
                        flush=True,
                    )
                    runs[key].append(run(ctx, layout, seconds, paced))
            _resume(publishers)
            if any(p.poll() is not None for p in publishers):
                raise RuntimeError("a paced publisher stopped before the end of the phase")
            result["history"] = asdict(runtime.history.stats())
        finally:
            _resume(kids.procs)  # a stopped process would not see the SIGTERM that ends it
            runtime.stop()
    for key, mine in runs.items():
        result[key] = _combine_draw(mine)
        result[f"{key}_runs"] = mine
    return result


def _combine_draw(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Mean figures per implementation, and the ratio Floorline / baseline of frames painted."""
    out: dict[str, Any] = {}
    for impl in ("pyqtgraph_peak", "floorline"):
        mine = [r for r in runs if r["impl"] == impl]
        out[impl] = {
            "fps": round(statistics.fmean(r["fps"] for r in mine), 2),
            "frames_per_s": round(statistics.fmean(r["frames_per_s"] for r in mine), 2),
            "paint_events_per_s": round(statistics.fmean(r["paint_events_per_s"] for r in mine), 2),
            "refresh_ms": round(statistics.fmean(r["refresh"]["mean_ms"] for r in mine), 2),
            "paint_ms": round(statistics.fmean(r["paint_ms_per_frame"] for r in mine), 2),
            "ingest_updates_per_s": round(
                statistics.fmean(r["ingest_updates_per_s"] for r in mine)
            ),
            "history_dropped": sum(r["history_dropped"] for r in mine),
            "drawn_points_per_pen": round(
                statistics.fmean(r["drawn_points_per_pen"] for r in mine)
            ),
            "window_samples_per_pen": round(
                statistics.fmean(r["window_samples_per_pen"] for r in mine)
            ),
            "cpu_cores": round(statistics.fmean(r["cpu_cores"] for r in mine), 2),
            "ready_after_s": round(statistics.fmean(r["ready_after_s"] for r in mine), 2),
            "history_loads_at_show": statistics.fmean(
                r.get("history_loads_at_show") or 0 for r in mine
            ),
        }
    base = out["pyqtgraph_peak"]["fps"]
    out["ratio"] = round(out["floorline"]["fps"] / base, 2) if base else None
    return out


# -- write ------------------------------------------------------------------------------


def write_plant(tags: int) -> PlantDef:
    source = MqttSource("bench-broker", "127.0.0.1", 1883)
    defs = tuple(
        TagDef(f"w{k}", f"Tag {k}", source.id, MqttBinding(f"bench/w/{k}", JSON_CODEC))
        for k in range(tags)
    )
    return PlantDef("History write bench", (source,), defs, ())


def second_of_samples(
    tags: Sequence[str], rate: int, start: float, rng: np.random.Generator
) -> tuple[list[TagValue], list[tuple[str, float, float, int]]]:
    """One second of samples at ``rate``, tags round-robin: as TagValues and as table rows."""
    per_tag = rate // len(tags)
    values = rng.uniform(0.0, 100.0, per_tag * len(tags)).tolist()
    samples: list[TagValue] = []
    rows: list[tuple[str, float, float, int]] = []
    n = 0
    good = Quality.GOOD
    for i in range(per_tag):
        for k, tag in enumerate(tags):
            ts = start + (i + k / len(tags)) / per_tag
            samples.append(TagValue(tag, values[n], good, "", ts, ts, 0.0))
            rows.append((tag, ts, values[n], 0))
            n += 1
    return samples, rows


def write_floorline(path: Path, cfg: Config, tags: Sequence[str]) -> dict[str, Any]:
    """``on_samples`` in acquisition-sized batches, then ``flush()``, per second of samples."""
    start = 1_800_000_000.0
    clock = ManualClock(start)
    service = HistoryService(write_plant(len(tags)), HistorySettings(), path, clock)
    service.open()
    loop = asyncio.new_event_loop()
    rng = np.random.default_rng(1)
    adding = flushing = 0.0
    flushes: list[float] = []
    total = 0
    try:
        second = 0
        while total < cfg.write_samples:
            check_interrupted()
            samples, _ = second_of_samples(tags, cfg.write_rate, start + second, rng)
            samples = samples[: cfg.write_samples - total]
            began = time.perf_counter()
            for i in range(0, len(samples), cfg.write_batch):
                service.on_samples(samples[i : i + cfg.write_batch])
            added = time.perf_counter()
            clock.advance(1.0)
            loop.run_until_complete(service.flush())
            done = time.perf_counter()
            adding += added - began
            flushing += done - added
            flushes.append(done - added)
            total += len(samples)
            second += 1
        stats = service.stats()
        stored = service.db.submit(
            lambda db: db.execute("SELECT coalesce(sum(n), 0) FROM history_raw").fetchone()[0]
        ).result(30)
    finally:
        loop.close()
        service.close()
    seconds = adding + flushing
    return {
        "samples": total,
        "samples_per_s": round(total / seconds),
        "seconds": round(seconds, 3),
        "on_samples_s": round(adding, 3),
        "flush_s": round(flushing, 3),
        "flush": _ms(flushes),
        "flush_max_ms": round(max(flushes) * 1000, 1),
        "written": stats.written,
        "dropped": stats.dropped,
        "stored": int(stored),
        "file_mb": round(sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6, 1),
    }


def write_rows(path: Path, cfg: Config, tags: Sequence[str], index: bool = False) -> dict[str, Any]:
    """The baseline: one row per sample, ``executemany`` in 1,000-row transactions.

    ``index``: with the index on (tag, t) that reading a pen back would need.
    """
    db = connect(path, "NORMAL")  # the history's PRAGMAs: WAL, synchronous=NORMAL
    conn = db.conn
    conn.execute("CREATE TABLE samples (tag TEXT NOT NULL, t REAL NOT NULL, v REAL, q INTEGER)")
    if index:
        conn.execute("CREATE INDEX samples_tag_t ON samples (tag, t)")
    rng = np.random.default_rng(1)
    seconds = 0.0
    total = 0
    try:
        second = 0
        while total < cfg.write_samples:
            check_interrupted()
            _, rows = second_of_samples(tags, cfg.write_rate, 1_800_000_000.0 + second, rng)
            rows = rows[: cfg.write_samples - total]
            began = time.perf_counter()
            for i in range(0, len(rows), 1000):
                with conn:
                    conn.executemany("INSERT INTO samples VALUES (?, ?, ?, ?)", rows[i : i + 1000])
            seconds += time.perf_counter() - began
            total += len(rows)
            second += 1
        stored = conn.execute("SELECT count(*) FROM samples").fetchone()[0]
    finally:
        db.close()
    return {
        "samples": total,
        "samples_per_s": round(total / seconds),
        "seconds": round(seconds, 3),
        "stored": int(stored),
        "file_mb": round(sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6, 1),
    }


def phase_write(cfg: Config, workdir: Path, _waiter: Waiter) -> dict[str, Any]:
    tags = [f"w{k}" for k in range(PENS)]
    floorline_runs: list[dict[str, Any]] = []
    baseline_runs: list[dict[str, Any]] = []
    indexed_runs: list[dict[str, Any]] = []
    for n in range(cfg.write_runs):
        for name, run, runs in (
            ("rows", write_rows, baseline_runs),
            ("floorline", write_floorline, floorline_runs),
            ("rows-indexed", functools.partial(write_rows, index=True), indexed_runs),
        ):
            path = workdir / f"write-{name}-{n}.sqlite"
            runs.append(run(path, cfg, tags))
            for leftover in workdir.glob(path.name + "*"):
                leftover.unlink()
    base = statistics.fmean(r["samples_per_s"] for r in baseline_runs)
    indexed = statistics.fmean(r["samples_per_s"] for r in indexed_runs)
    fl = statistics.fmean(r["samples_per_s"] for r in floorline_runs)
    return {
        "samples": cfg.write_samples,
        "tags": len(tags),
        "samples_per_flush": cfg.write_rate,
        "samples_per_on_samples_call": cfg.write_batch,
        "baseline_samples_per_s": round(base),
        "baseline_indexed_samples_per_s": round(indexed),
        "floorline_samples_per_s": round(fl),
        "flush_max_ms": max(r["flush_max_ms"] for r in floorline_runs),
        "complete": all(r["stored"] == r["samples"] and r["dropped"] == 0 for r in floorline_runs),
        "ratio": round(fl / base, 2) if base else None,
        "ratio_indexed": round(fl / indexed, 2) if indexed else None,
        "baseline_runs": baseline_runs,
        "floorline_runs": floorline_runs,
        "baseline_indexed_runs": indexed_runs,
    }


# -- backfill ---------------------------------------------------------------------------


def _load_all(
    service: HistoryService, tags: Sequence[str], t0: float, t1: float, max_points: int
) -> tuple[float, list[history.Samples]]:
    """Ask for every pen at once; the wall time until all have returned."""
    began = time.perf_counter()
    futures = [service.load(tag, t0, t1, max_points) for tag in tags]
    results = [f.result(120) for f in futures]
    return time.perf_counter() - began, results


def phase_backfill(cfg: Config, workdir: Path, _waiter: Waiter) -> dict[str, Any]:
    from hmi.gui.trend.view import _series_of

    tags = [f"b{k}" for k in range(cfg.backfill_pens)]
    path = workdir / "backfill-history.sqlite"
    span = cfg.backfill_hours * 3600.0
    end = math.floor(time.time() / history.BUCKET_S) * history.BUCKET_S
    prep = write_history(path, tags, end - span, end, cfg.backfill_hz, cfg.backfill_chunk_s)
    plant = write_plant(0)
    plant = PlantDef(
        plant.name,
        plant.sources,
        tuple(TagDef(t, t, "bench-broker", MqttBinding(f"bench/b/{t}", JSON_CODEC)) for t in tags),
        (),
    )
    service = HistoryService(plant, HistorySettings(), path, SystemClock())
    service.open()
    floorline: list[dict[str, Any]] = []
    baseline: list[dict[str, Any]] = []
    try:
        for _ in range(cfg.backfill_runs):
            check_interrupted()
            now = time.time()
            seconds, loaded = _load_all(service, tags, now - 86400.0, now, BUCKETS_FOR_24H)
            began = time.perf_counter()
            series = [_series_of(s) for s in loaded]
            to_series = time.perf_counter() - began
            floorline.append(
                {
                    "seconds": round(seconds, 4),
                    "bucketed": all(s.bucketed for s in loaded),
                    "points": sum(len(s.t) for s in loaded),
                    "to_pen_series_s": round(to_series, 4),
                    "series_points": sum(s.n for s in series),
                }
            )
            check_interrupted()
            seconds, loaded = _load_all(service, tags, now - 86400.0, now, RAW)
            baseline.append(
                {
                    "seconds": round(seconds, 4),
                    "bucketed": any(s.bucketed for s in loaded),
                    "points": sum(len(s.t) for s in loaded),
                }
            )
            del loaded
    finally:
        service.close()
    fl = statistics.median(r["seconds"] for r in floorline)
    base = statistics.median(r["seconds"] for r in baseline)
    return {
        "pens": len(tags),
        "hours": cfg.backfill_hours,
        "hz": cfg.backfill_hz,
        "max_points": BUCKETS_FOR_24H,
        "preparation": prep,
        "floorline_median_s": round(fl, 4),
        "baseline_median_s": round(base, 4),
        "floorline_to_pen_series_median_s": round(
            statistics.median(r["to_pen_series_s"] for r in floorline), 4
        ),
        "ratio": round(base / fl, 1) if fl else None,
        "floorline_runs": floorline,
        "baseline_runs": baseline,
    }


PHASES: dict[str, Callable[[Config, Path, Waiter], dict[str, Any]]] = {
    "draw": phase_draw,
    "write": phase_write,
    "backfill": phase_backfill,
}


# -- report -----------------------------------------------------------------------------


def _n(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}{unit}" if abs(value) >= 100 else f"{value:.1f}{unit}"


def _ratio(baseline: float, floorline: float) -> float | None:
    """How many times faster Floorline is, for durations."""
    return round(baseline / floorline, 2) if floorline else None


def summarize(phases: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per figure; ratio = how many times better Floorline is (rates: F/B, times: B/F)."""
    rows: list[dict[str, Any]] = []

    def row(
        figure: str,
        baseline: str,
        floorline: str,
        ratio: float | None,
        target: str,
        met: bool | None,
    ) -> None:
        rows.append(
            {
                "figure": figure,
                "baseline": baseline,
                "floorline": floorline,
                "ratio": ratio,
                "target": target,
                "met": met,
            }
        )

    draw = phases.get("draw")
    if isinstance(draw, dict) and "paced" in draw:
        paced = draw["paced"]
        b, f = paced["pyqtgraph_peak"], paced["floorline"]
        fitted_px = "x".join(str(n) for n in draw["layouts"]["fitted"]["window_px"])
        shipped_px = "x".join(str(n) for n in draw["layouts"]["shipped"]["window_px"])
        row(
            f"Draw 32 pens x 1 h at 10 Hz, {_n(draw['ingest_rate'])} msgs/s in, {fitted_px}"
            f" (legend fitted): frames painted/s, timer {draw['frame_ms']} ms",
            _n(b["fps"]),
            _n(f["fps"]),
            paced["ratio"],
            f">= {FPS_TARGET:.0f} fps",
            f["fps"] >= FPS_TARGET * FPS_SLACK,
        )
        row(
            "  per frame ms: refresh (setData or TrendView.refresh) | paint (paint events/s)",
            f"{_n(b['refresh_ms'])} | {_n(b['paint_ms'])} ({_n(b['paint_events_per_s'])})",
            f"{_n(f['refresh_ms'])} | {_n(f['paint_ms'])} ({_n(f['paint_events_per_s'])})",
            _ratio(b["refresh_ms"] + b["paint_ms"], f["refresh_ms"] + f["paint_ms"]),
            "",
            None,
        )
        row(
            "  points drawn per pen (samples in the window)",
            f"{_n(b['drawn_points_per_pen'])} ({_n(b['window_samples_per_pen'])})",
            f"{_n(f['drawn_points_per_pen'])} ({_n(f['window_samples_per_pen'])})",
            None,
            "",
            None,
        )
        alone = draw["ingest_without_trend_per_s"]
        row(
            f"  ingest meanwhile: tag updates/s applied, history drops (no trend: {_n(alone)}/s)",
            f"{_n(b['ingest_updates_per_s'])}, {b['history_dropped']}",
            f"{_n(f['ingest_updates_per_s'])}, {f['history_dropped']}",
            None,
            ">= 95 % of no trend",
            f["ingest_updates_per_s"] >= 0.95 * alone and f["history_dropped"] == 0,
        )
        row(
            "  s from show until the hour is drawn (history loads at show)",
            _n(b["ready_after_s"]),
            f"{_n(f['ready_after_s'])} ({f['history_loads_at_show']:.0f})",
            _ratio(b["ready_after_s"], f["ready_after_s"]),
            "",
            None,
        )
        unpaced = draw.get("unpaced")
        if unpaced:
            ub, uf = unpaced["pyqtgraph_peak"], unpaced["floorline"]
            row(
                "  timers at 0 ms (as fast as it goes): frames painted/s",
                _n(ub["fps"]),
                _n(uf["fps"]),
                unpaced["ratio"],
                "",
                None,
            )
        shipped = draw.get("shipped")
        if shipped:
            sb, sf = shipped["pyqtgraph_peak"], shipped["floorline"]
            row(
                f"  page as shipped (grows to {shipped_px}): frames painted/s | paint ms",
                f"{_n(sb['fps'])} | {_n(sb['paint_ms'])}",
                f"{_n(sf['fps'])} | {_n(sf['paint_ms'])}",
                shipped["ratio"],
                f">= {FPS_TARGET:.0f} fps",
                sf["fps"] >= FPS_TARGET * FPS_SLACK,
            )
        idle = draw.get("idle")
        if idle:
            ib, iff = idle["pyqtgraph_peak"], idle["floorline"]
            row(
                "  no ingest (publishers stopped): frames painted/s | refresh ms | paint ms",
                f"{_n(ib['fps'])} | {_n(ib['refresh_ms'])} | {_n(ib['paint_ms'])}",
                f"{_n(iff['fps'])} | {_n(iff['refresh_ms'])} | {_n(iff['paint_ms'])}",
                idle["ratio"],
                "",
                None,
            )
    write = phases.get("write")
    if isinstance(write, dict) and "ratio" in write:
        row(
            f"History write, {write['tags']} tags, {_n(write['samples_per_flush'])}"
            " samples/flush: samples/s (one row per sample vs chunks)",
            _n(write["baseline_samples_per_s"]),
            _n(write["floorline_samples_per_s"]) + ("" if write["complete"] else " (INCOMPLETE)"),
            write["ratio"],
            f">= {WRITE_TARGET:,.0f}/s",
            write["floorline_samples_per_s"] >= WRITE_TARGET and write["complete"],
        )
        row(
            "  baseline with an index on (tag, t), as reading it back needs",
            _n(write["baseline_indexed_samples_per_s"]),
            _n(write["floorline_samples_per_s"]),
            write["ratio_indexed"],
            "",
            None,
        )
        row(
            "  longest flush ms (on_samples not included)",
            "-",
            _n(write["flush_max_ms"]),
            None,
            "< 1,000 ms",
            write["flush_max_ms"] < 1000,
        )
    back = phases.get("backfill")
    if isinstance(back, dict) and "ratio" in back:
        row(
            f"Backfill 24 h x {back['pens']} pens at {back['hz']:g} Hz: s until all loaded"
            " (raw vs load(..., 2400))",
            f"{back['baseline_median_s']:.3f}",
            f"{back['floorline_median_s']:.3f}",
            back["ratio"],
            f"< {BACKFILL_TARGET_S} s",
            back["floorline_median_s"] < BACKFILL_TARGET_S,
        )
        row(
            "  + turning them into PenSeries on the GUI thread, s",
            "-",
            f"{back['floorline_to_pen_series_median_s']:.3f}",
            None,
            "",
            None,
        )
        prep = back["preparation"]
        row(
            f"  preparation: {prep['samples'] / 1e6:.1f} M samples written, s (file MB)",
            "-",
            f"{prep['seconds']:.1f} ({prep['file_mb']:,.0f})",
            None,
            "",
            None,
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="each phase under about a minute")
    parser.add_argument(
        "--out", type=Path, help="JSON results (default bench/results/trends-<time>.json)"
    )
    parser.add_argument(
        "--phase",
        "--phases",
        dest="phases",
        default=",".join(PHASES),
        help=f"comma-separated subset of {', '.join(PHASES)}",
    )
    args = parser.parse_args()
    chosen = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in PHASES]
    if unknown:
        parser.error(f"unknown phases: {', '.join(unknown)}")
    if "draw" in chosen:
        for tool in ("mosquitto", "mosquitto_pub"):
            if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
                parser.error(
                    f"{tool} is not installed (apt-get install mosquitto mosquitto-clients)"
                )
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = args.out or BENCH / "results" / f"trends-{stamp}.json"
    config = QUICK if args.quick else FULL

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    theme.apply(app)
    GuiThreadCollector(app)  # as the program runs: cycles die on this thread (owned by app)
    results: dict[str, Any] = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "quick": args.quick,
        "config": asdict(config),
        "versions": versions(
            pyside6=PySide6.__version__, pyqtgraph=pg.__version__, numpy=np.__version__
        ),
        "phases": {},
    }
    failed = False
    waiter = Waiter()
    try:
        with tempfile.TemporaryDirectory(prefix="floorline-bench-trends-") as tmp:
            for name in chosen:
                print(f"[{time.strftime('%H:%M:%S')}] {name} ...", flush=True)
                load_before = os.getloadavg()[0]
                began = time.monotonic()
                workdir = Path(tmp) / name
                workdir.mkdir()
                try:
                    phase = PHASES[name](config, workdir, waiter)
                except StopRequestedError:
                    raise
                except Exception as exc:  # noqa: BLE001  (a failed phase is reported; the rest run)
                    failed = True
                    phase = {"error": f"{type(exc).__name__}: {exc}"}
                    print(f"  {name} failed: {phase['error']}", file=sys.stderr)
                    traceback.print_exc()
                finally:
                    with contextlib.suppress(OSError):
                        shutil.rmtree(workdir)
                phase["wall_s"] = round(time.monotonic() - began, 1)
                phase["loadavg_1min_before"] = load_before
                results["phases"][name] = phase
    except StopRequestedError:
        print("interrupted", file=sys.stderr)
        return 130
    results["table"] = summarize(results["phases"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print_table(results["table"])
    loads = ", ".join(
        f"{name} {phase.get('loadavg_1min_before', 0):.1f}"
        for name, phase in results["phases"].items()
    )
    print(f"\nload average (1 min) before each phase, on {os.cpu_count()} CPUs: {loads}")
    print(f"\nresults: {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
