"""The tag history: every sample kept, written in batches, read back for the trends.

Acquisition hands every sample to ``on_samples`` on the runtime thread; the
service sorts them per tag into memory and, every ``flush_s``, writes one chunk
per tag and the 10-second buckets in one transaction on the history's own
writer thread. Trends on the GUI thread take the samples of the tags they
show with ``take_tail`` (every sample, not only the latest per frame, so no
peak is lost between two frames) and ask for older ones with ``load``, which
reads on a reader thread of its own. Nothing here blocks the runtime's loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import csv
import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import sqlite_utils

from hmi.domain.clock import Clock
from hmi.domain.health import LinkState, SourceHealth
from hmi.domain.plant import HistorySettings, PlantDef, TagDef
from hmi.domain.quality import Quality
from hmi.domain.tags import TagValue
from hmi.storage import history
from hmi.storage.database import Database
from hmi.storage.history import BUCKET_S, Chunk, Codes, Floats, HistoryEvent, Samples

log = logging.getLogger(__name__)
T = TypeVar("T")

# A source's time stamp is kept unless it is absurd: from the future (a sample
# cannot arrive before it was taken) or older than a day; then the receive time.
MAX_AHEAD_S = 2.0
MAX_BEHIND_S = 86400.0
MAX_PENDING = 2_000_000  # samples waiting for the writer before new ones are counted lost
MAX_TAIL = 100_000  # samples per tag waiting for the trends before they must backfill
PRUNE_EVERY_S = 60.0
OUTAGE = "outage"
ALARM = "alarm"  # subject: "<tag id>#<alarm id>", drawn on the trends of that tag

Tail = tuple[Floats, Floats, Codes]
Row = tuple[float, float, int]


@dataclass(frozen=True, slots=True)
class HistoryStats:
    written: int  # samples committed since start
    dropped: int  # samples lost because the writer fell behind by MAX_PENDING
    pending: int
    flushes: int
    last_flush_ms: float
    used_bytes: int


class HistoryService:
    """Owns the history file, its writer and reader; fed by acquisition."""

    def __init__(
        self, plant: PlantDef, settings: HistorySettings, path: Path, clock: Clock
    ) -> None:
        self.settings = settings
        self.db = Database(
            path, history.MIGRATIONS, synchronous="NORMAL", name="hmi-history-writer"
        )
        self._clock = clock
        self._defs = {tag.id: tag for tag in plant.tags if tag.trendable}
        self._lock = threading.Lock()
        self._pending: dict[str, list[Row]] = {}
        self._pending_count = 0
        self._held: dict[str, tuple[float, int]] = {
            tag: (math.nan, int(Quality.NO_CONNECTION)) for tag in self._defs
        }
        self._tails: dict[str, list[Row]] = {}
        self._overflowed: set[str] = set()
        self._reader = concurrent.futures.ThreadPoolExecutor(1, "hmi-history-reader")
        self._run_id = 0
        self._last_flush = 0.0
        self._open_outages: set[str] = set()
        self._closing = False
        self._tasks: list[asyncio.Task[None]] = []
        self._written = 0
        self._dropped = 0
        self._flushes = 0
        self._last_flush_ms = 0.0
        self._used_bytes = 0

    @property
    def tags(self) -> dict[str, TagDef]:
        """The tags the history keeps: every tag that can be drawn."""
        return self._defs

    # -- life cycle ------------------------------------------------------------------

    def open(self, timeout: float = 30.0) -> None:
        """Open the file and begin a run (before the loop starts; StorageError if it cannot)."""
        self.db.start()
        now = self._clock.now()
        self._run_id = self.db.submit(lambda db: history.start_run(db, now)).result(timeout)
        self._last_flush = now

    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._flush_loop(), name="history-flush"),
            asyncio.create_task(self._prune_loop(), name="history-prune"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        await self.flush()
        now = self._clock.now()

        def close_all(db: sqlite_utils.Database) -> None:
            for kind in (OUTAGE, ALARM):  # nothing stays open past the end of a run
                history.close_events(db, kind, None, now)

        await asyncio.wrap_future(self.db.submit(close_all))

    def close(self) -> None:
        self._reader.shutdown(wait=True, cancel_futures=True)
        self.db.close()

    # -- from acquisition (runtime thread) ---------------------------------------------

    def on_samples(self, samples: list[TagValue]) -> None:
        defs, nan = self._defs, math.nan
        rows: list[tuple[str, Row]] = []
        for sample in samples:
            if sample.tag_id not in defs:
                continue
            value = sample.value
            number = float(value) if sample.quality.usable and value is not None else nan
            ts, recv = sample.source_ts, sample.recv_ts
            if not recv - MAX_BEHIND_S <= ts <= recv + MAX_AHEAD_S:
                ts = recv
            rows.append((sample.tag_id, (ts, number, int(sample.quality))))
        if rows:
            self._add(rows)

    def on_declared(self, tags: list[TagDef]) -> None:
        """Tags a source declared while running are kept like the plant file's."""
        with self._lock:
            for tag in tags:
                if not tag.trendable:
                    self._defs.pop(tag.id, None)
                    continue
                self._defs[tag.id] = tag
                self._held.setdefault(tag.id, (math.nan, int(Quality.NO_CONNECTION)))

    def on_historical(self, samples: list[TagValue]) -> None:
        """Samples of the past, sent late (Sparkplug ``is_historical``): written, not followed.

        A trend's live tail draws samples in arrival order; these go to the
        file only, where a trend loads them at their own time.
        """
        rows: list[tuple[str, Row]] = []
        for sample in samples:
            if sample.tag_id not in self._defs:
                continue
            value = sample.value
            number = float(value) if sample.quality.usable and value is not None else math.nan
            ts = min(sample.source_ts, sample.recv_ts)  # not from the future
            rows.append((sample.tag_id, (ts, number, int(sample.quality))))
        if not rows:
            return
        with self._lock:
            if self._pending_count + len(rows) > MAX_PENDING:
                self._dropped += len(rows)
                return
            for tag, row in rows:
                self._pending.setdefault(tag, []).append(row)
            self._pending_count += len(rows)

    def on_requalified(self, values: list[TagValue], ts: float) -> None:
        """A value turned stale or lost its source: a gap starts now."""
        self._add(
            [(v.tag_id, (ts, math.nan, int(v.quality))) for v in values if v.tag_id in self._defs]
        )

    def closing(self) -> None:
        """The program is stopping its links on purpose: that is not an outage."""
        self._closing = True

    def on_alarms(self, marks: list[tuple[bool, str, str, float, str]]) -> None:
        """Alarm bands for the trends: (active?, tag, alarm id, time, text), in order."""
        if self._closing or not marks:
            return

        def job(db: sqlite_utils.Database) -> None:
            for active, tag, alarm_id, ts, text in marks:
                subject = f"{tag}#{alarm_id}"
                if active:
                    history.close_events(db, ALARM, subject, ts)  # never two open at once
                    history.open_event(db, ALARM, subject, ts, text)
                else:
                    history.close_events(db, ALARM, subject, ts)

        self.db.submit(job)

    def on_link(self, health: SourceHealth) -> None:
        source, now = health.source_id, self._clock.now()
        if self._closing:
            return
        if health.state is LinkState.CONNECTED and source in self._open_outages:
            self._open_outages.discard(source)
            self.db.submit(lambda db: history.close_events(db, OUTAGE, source, now))
        elif health.state is LinkState.RECONNECTING and source not in self._open_outages:
            self._open_outages.add(source)
            text = health.last_error or health.state.value
            self.db.submit(lambda db: history.open_event(db, OUTAGE, source, now, text))

    def _add(self, rows: list[tuple[str, Row]]) -> None:
        with self._lock:
            if self._pending_count + len(rows) > MAX_PENDING:
                self._dropped += len(rows)
                return
            pending, tails = self._pending, self._tails
            for tag, row in rows:
                bucket = pending.get(tag)
                if bucket is None:
                    bucket = pending[tag] = []
                bucket.append(row)
                tail = tails.get(tag)
                if tail is not None:
                    tail.append(row)
            self._pending_count += len(rows)

    # -- writing (runtime thread, then the writer) ----------------------------------------

    async def flush(self) -> None:
        """Write what arrived since the last flush; returns after the commit."""
        started = time.perf_counter()
        with self._lock:
            pending, self._pending = self._pending, {}
            count, self._pending_count = self._pending_count, 0
        now, since = self._clock.now(), self._last_flush
        self._last_flush = now
        chunks: list[Chunk] = []
        buckets: list[history.BucketRow] = []
        for tag in self._defs:
            rows = pending.get(tag)
            chunk = None
            if rows:
                data = np.array(rows, np.float64)
                order = np.argsort(data[:, 0], kind="stable")
                data = data[order]
                chunk = Chunk(
                    tag, data[:, 0].copy(), data[:, 1].copy(), data[:, 2].astype(np.uint8)
                )
                chunks.append(chunk)
            held, held_bad = self._held[tag]
            buckets.extend(history.buckets_of(tag, chunk, held, held_bad, since, now))
            if chunk is not None:
                self._held[tag] = (float(chunk.v[-1]), int(chunk.q[-1]))
        run_id = self._run_id
        await asyncio.wrap_future(
            self.db.submit(lambda db: history.write_flush(db, chunks, buckets, run_id, now))
        )
        self._written += count
        self._flushes += 1
        self._last_flush_ms = (time.perf_counter() - started) * 1000.0

    async def prune(self) -> history.PruneResult:
        now, settings = self._clock.now(), self.settings
        result = await asyncio.wrap_future(
            self.db.submit(
                lambda db: history.prune(
                    db, now, settings.raw_hours, settings.keep_days, settings.max_mb * 1e6
                )
            )
        )
        self._used_bytes = result.used_bytes
        if result.raw_rows or result.bucket_rows:
            log.info(
                "history: retention removed %d chunks and %d buckets; %.0f MB in use",
                result.raw_rows,
                result.bucket_rows,
                result.used_bytes / 1e6,
            )
        return result

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.flush_s)
            try:
                await self.flush()
            except Exception:
                log.exception("history: a flush failed; its samples are lost")

    async def _prune_loop(self) -> None:
        while True:
            try:
                await self.prune()
            except Exception:
                log.exception("history: retention failed")
            await asyncio.sleep(PRUNE_EVERY_S)

    def stats(self) -> HistoryStats:
        return HistoryStats(
            self._written,
            self._dropped,
            self._pending_count,
            self._flushes,
            self._last_flush_ms,
            self._used_bytes,
        )

    # -- for the trends (any thread) ------------------------------------------------------

    def follow(self, tags: Sequence[str]) -> None:
        """Keep every new sample of ``tags`` for ``take_tail``; stop keeping the others.

        A tag followed anew starts with the samples not yet written, so that a
        backfill from the file plus the tail misses nothing.
        """
        with self._lock:
            wanted = {tag for tag in tags if tag in self._defs}
            for tag in list(self._tails):
                if tag not in wanted:
                    del self._tails[tag]
            for tag in wanted:
                if tag not in self._tails:
                    self._tails[tag] = list(self._pending.get(tag, ()))

    def take_tail(self) -> tuple[dict[str, Tail], set[str]]:
        """New samples of the followed tags since the last call, and the tags that overflowed.

        A tag that overflowed (nobody took its tail for too long) has lost its
        tail: the trend must load it again from the history.
        """
        with self._lock:
            taken: dict[str, list[Row]] = {}
            for tag, rows in self._tails.items():
                if rows:
                    if len(rows) > MAX_TAIL:
                        self._overflowed.add(tag)
                    else:
                        taken[tag] = rows
                    self._tails[tag] = []
            overflowed, self._overflowed = self._overflowed, set()
        out: dict[str, Tail] = {}
        for tag, rows in taken.items():
            data = np.array(rows, np.float64)
            out[tag] = (data[:, 0].copy(), data[:, 1].copy(), data[:, 2].astype(np.uint8))
        return out, overflowed

    def first_known(
        self, tags: Sequence[str], t0: float, t1: float
    ) -> concurrent.futures.Future[float | None]:
        """When the history first had a sample of any of ``tags`` in ``t0..t1``."""
        return self._read(lambda db: history.first_known(db, tags, t0, t1))

    def not_recording(
        self, t0: float, t1: float
    ) -> concurrent.futures.Future[list[tuple[float, float]]]:
        """Spans of ``t0..t1`` between two runs of the program: nobody watched the plant."""
        return self._read(lambda db: history.not_recording(db, t0, t1))

    def load(
        self, tag: str, t0: float, t1: float, max_points: int
    ) -> concurrent.futures.Future[Samples]:
        """Samples of ``tag`` over ``t0..t1``, raw or bucketed, whichever fits ``max_points``.

        Buckets when the span holds at least half as many buckets as points
        (the drawing needs no more), or when raw samples are no longer kept.
        """
        raw_from = self._clock.now() - self.settings.raw_hours * 3600.0
        bucketed = (t1 - t0) / BUCKET_S >= max_points / 2 or t0 < raw_from
        if bucketed:
            return self._read(lambda db: history.load_buckets(db, tag, t0, t1))
        return self._read(lambda db: history.load_raw(db, tag, t0, t1))

    def events(self, t0: float, t1: float) -> concurrent.futures.Future[list[HistoryEvent]]:
        return self._read(lambda db: history.load_events(db, t0, t1))

    def export_csv(
        self,
        path: Path,
        tags: Sequence[TagDef],
        t0: float,
        t1: float,
        progress: Callable[[float], None] | None = None,
    ) -> concurrent.futures.Future[int]:
        """Write the samples of ``tags`` over ``t0..t1`` as CSV; the future gives the rows.

        One row per time at which any pen has a sample; each pen's columns hold
        the value in effect then (empty in a gap) and its quality.
        """
        pending = {tag.id: self._pending_copy(tag.id) for tag in tags}

        def job(db: sqlite_utils.Database) -> int:
            series = []
            for tag in tags:
                samples = history.load_raw(db, tag.id, t0, t1)
                extra = pending[tag.id]
                t = np.concatenate((samples.t, extra[0]))
                order = np.argsort(t, kind="stable")
                v = np.concatenate((samples.v, extra[1]))[order]
                q = np.concatenate((samples.q, extra[2]))[order]
                series.append((t[order], v, q))
            return write_csv(path, tags, series, t0, t1, progress)

        return self._read(job)

    def _pending_copy(self, tag: str) -> Tail:
        with self._lock:
            rows = list(self._pending.get(tag, ()))
        if not rows:
            return np.empty(0), np.empty(0), np.empty(0, np.uint8)
        data = np.array(rows, np.float64)
        return data[:, 0].copy(), data[:, 1].copy(), data[:, 2].astype(np.uint8)

    def _read(self, job: Callable[[sqlite_utils.Database], T]) -> concurrent.futures.Future[T]:
        return self._reader.submit(self.db.read, job)


QUALITY_WORDS = {int(q): q.name.lower() for q in Quality}


def write_csv(
    path: Path,
    tags: Sequence[TagDef],
    series: Sequence[Tail],
    t0: float,
    t1: float,
    progress: Callable[[float], None] | None = None,
) -> int:
    """One row per sample time in ``t0..t1`` over all pens, each pen's held value and quality."""
    times = np.unique(np.concatenate([t for t, _, _ in series] or [np.empty(0)]))
    times = times[(times >= t0) & (times <= t1)]
    columns = []
    for t, v, q in series:
        index = np.searchsorted(t, times, "right") - 1
        valid = index >= 0
        safe = np.clip(index, 0, None)
        values = np.where(valid, v[safe] if len(v) else np.nan, np.nan)
        codes = np.where(valid, q[safe] if len(q) else int(Quality.NO_CONNECTION), -1)
        columns.append((values, codes))
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ["time_utc", "time_local"]
    for tag in tags:
        unit = f" [{tag.unit}]" if tag.unit else ""
        header += [f"{tag.name}{unit}", f"{tag.name} quality"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        total = len(times)
        for row_index, ts in enumerate(times.tolist()):
            row = [_utc(ts), _local(ts)]
            for values, codes in columns:
                value, code = float(values[row_index]), int(codes[row_index])
                row.append("" if math.isnan(value) else f"{value:.10g}")
                row.append(QUALITY_WORDS.get(code, "no_data"))
            writer.writerow(row)
            if progress is not None and row_index % 10000 == 0:
                progress(row_index / max(total, 1))
    if progress is not None:
        progress(1.0)
    return len(times)


def _utc(ts: float) -> str:
    whole = math.floor(ts)
    return (
        time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{int((ts - whole) * 1000):03d}Z"
    )


def _local(ts: float) -> str:
    whole = math.floor(ts)
    return (
        time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(whole))
        + f".{int((ts - whole) * 1000):03d}"
    )
