"""The tag history: raw samples in chunks, 10-second min/max/average buckets, outages.

A file of its own beside the cache. Raw samples are stored as chunks, one row
per tag per flush, holding packed arrays of times (float64), values (float64,
NaN where the quality is not usable) and quality codes (uint8): a third of the
file of a row per sample with its index, and ten times faster to read back.
Buckets of ``BUCKET_S`` seconds keep min, max and average of the value in
effect over each bucket (the held value counts, not only arriving samples), so
a long window loads in a fraction of a second and a value that held still for
an hour is not drawn as missing. ``history_runs`` says when this program was
recording: outside a run nothing is known, and a trend draws a gap there
instead of holding the last value across the time the program was down.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import sqlite_utils

from hmi.domain.quality import Quality

Floats = npt.NDArray[np.float64]
Codes = npt.NDArray[np.uint8]

BUCKET_S = 10.0
NOT_RECORDING = int(Quality.NO_CONNECTION)  # the quality of the gap between two runs

MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE history_raw (
            tag TEXT NOT NULL,
            t0 REAL NOT NULL,
            t1 REAL NOT NULL,
            n INTEGER NOT NULL,
            t BLOB NOT NULL,
            v BLOB NOT NULL,
            q BLOB NOT NULL
        )""",
        "CREATE INDEX history_raw_tag_t1 ON history_raw (tag, t1)",
        "CREATE INDEX history_raw_t1 ON history_raw (t1)",
        """CREATE TABLE history_bucket (
            tag TEXT NOT NULL,
            t REAL NOT NULL,
            mn REAL,
            mx REAL,
            total REAL NOT NULL,
            n INTEGER NOT NULL,
            bad INTEGER NOT NULL,
            PRIMARY KEY (tag, t)
        ) WITHOUT ROWID""",
        "CREATE INDEX history_bucket_t ON history_bucket (t)",
        """CREATE TABLE history_runs (
            id INTEGER PRIMARY KEY,
            started REAL NOT NULL,
            ended REAL NOT NULL
        )""",
        """CREATE TABLE history_events (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            start REAL NOT NULL,
            end REAL,
            text TEXT NOT NULL
        )""",
        "CREATE INDEX history_events_start ON history_events (start)",
    ]
]

_UPSERT_BUCKET = """
    INSERT INTO history_bucket (tag, t, mn, mx, total, n, bad) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (tag, t) DO UPDATE SET
        mn = min(coalesce(mn, excluded.mn), coalesce(excluded.mn, mn)),
        mx = max(coalesce(mx, excluded.mx), coalesce(excluded.mx, mx)),
        total = total + excluded.total,
        n = n + excluded.n,
        bad = max(bad, excluded.bad)
"""


@dataclass(frozen=True, slots=True)
class Chunk:
    """Raw samples of one tag, time-ordered."""

    tag: str
    t: Floats
    v: Floats
    q: Codes


BucketRow = tuple[str, float, float | None, float | None, float, int, int]


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """Something that happened over a span of time, for the trends' time axis."""

    id: int
    kind: str  # "outage", later "alarm", "downtime", "write", "step"
    subject: str  # what it concerns: a source id, a tag, a station
    start: float
    end: float | None  # None: still going on
    text: str


@dataclass(frozen=True, slots=True)
class Samples:
    """Samples loaded for a trend: raw, or two points (min, max) per bucket."""

    t: Floats
    v: Floats
    q: Codes
    bucketed: bool


def write_flush(
    db: sqlite_utils.Database,
    chunks: Sequence[Chunk],
    buckets: Sequence[BucketRow],
    run_id: int,
    now: float,
) -> None:
    """One flush in one transaction: the chunks, the bucket contributions, the run's end."""
    rows = [
        (
            chunk.tag,
            float(chunk.t[0]),
            float(chunk.t[-1]),
            len(chunk.t),
            chunk.t.tobytes(),
            chunk.v.tobytes(),
            chunk.q.tobytes(),
        )
        for chunk in chunks
        if len(chunk.t)
    ]
    conn = db.conn
    with conn:
        conn.executemany("INSERT INTO history_raw VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        conn.executemany(_UPSERT_BUCKET, buckets)
        conn.execute("UPDATE history_runs SET ended = ? WHERE id = ?", (now, run_id))


def start_run(db: sqlite_utils.Database, now: float) -> int:
    """A new recording run; events a crashed run left open end where that run stopped."""
    conn = db.conn
    with conn:
        conn.execute(
            """UPDATE history_events SET end = max(start, coalesce(
                   (SELECT max(ended) FROM history_runs), start))
               WHERE end IS NULL"""
        )
        cursor = conn.execute("INSERT INTO history_runs (started, ended) VALUES (?, ?)", (now, now))
    return int(cursor.lastrowid or 0)


def open_event(db: sqlite_utils.Database, kind: str, subject: str, start: float, text: str) -> int:
    conn = db.conn
    with conn:
        cursor = conn.execute(
            "INSERT INTO history_events (kind, subject, start, end, text)"
            " VALUES (?, ?, ?, NULL, ?)",
            (kind, subject, start, text),
        )
    return int(cursor.lastrowid or 0)


def close_events(db: sqlite_utils.Database, kind: str, subject: str | None, end: float) -> None:
    """End the open events of a kind (of one subject, or all of them) at ``end``."""
    conn = db.conn
    with conn:
        conn.execute(
            """UPDATE history_events SET end = max(start, ?)
               WHERE kind = ? AND (? IS NULL OR subject = ?) AND end IS NULL""",
            (end, kind, subject, subject),
        )


def load_events(db: sqlite_utils.Database, t0: float, t1: float) -> list[HistoryEvent]:
    """Events that overlap ``t0..t1``, oldest first."""
    rows = db.execute(
        """SELECT id, kind, subject, start, end, text FROM history_events
           WHERE start <= ? AND (end IS NULL OR end >= ?) ORDER BY start""",
        (t1, t0),
    ).fetchall()
    return [HistoryEvent(*row) for row in rows]


def load_raw(db: sqlite_utils.Database, tag: str, t0: float, t1: float) -> Samples:
    """Every sample of ``tag`` in ``t0..t1``, and the one in effect at ``t0``."""
    rows = db.execute(
        """SELECT t, v, q FROM history_raw WHERE tag = ? AND t1 >= ? AND t0 <= ?
           UNION ALL
           SELECT * FROM (SELECT t, v, q FROM history_raw WHERE tag = ? AND t1 < ?
                          ORDER BY t1 DESC LIMIT 1)""",
        (tag, t0, t1, tag, t0),
    ).fetchall()
    t = _floats([row[0] for row in rows])
    v = _floats([row[1] for row in rows])
    q = np.frombuffer(b"".join(row[2] for row in rows), np.uint8)
    t, v, q = _with_run_ends(db, t, v, q, t0, t1)
    order = np.argsort(t, kind="stable")
    t, v, q = t[order], v[order], q[order]
    first = max(int(np.searchsorted(t, t0, "right")) - 1, 0)
    last = int(np.searchsorted(t, t1, "right"))
    return Samples(t[first:last], v[first:last], q[first:last], bucketed=False)


def load_buckets(db: sqlite_utils.Database, tag: str, t0: float, t1: float) -> Samples:
    """The 10-second buckets of ``tag`` over ``t0..t1`` as points: min, then max.

    A bucket without a usable value is a gap; one with some is followed by a
    gap; a missing bucket (nothing recorded) is a gap.
    """
    start = math.floor(t0 / BUCKET_S) * BUCKET_S
    rows = db.execute(
        "SELECT t, mn, mx, bad FROM history_bucket WHERE tag = ? AND t >= ? AND t <= ? ORDER BY t",
        (tag, start, t1),
    ).fetchall()
    if not rows:
        return Samples(np.empty(0), np.empty(0), np.empty(0, np.uint8), bucketed=True)
    data = np.array([(t, _nan(mn), _nan(mx), bad) for t, mn, mx, bad in rows], dtype=np.float64)
    bt, mn, mx, bad = data[:, 0], data[:, 1], data[:, 2], data[:, 3].astype(np.uint8)
    count = len(bt)
    # Points per bucket: (t, min), (t + w/2, max), and a break (t + w, NaN) where the
    # bucket had a gap or the next bucket is missing.
    following_missing = np.append(np.diff(bt) > BUCKET_S * 1.5, True)
    needs_break = (bad > 0) | following_missing
    t = np.empty(3 * count)
    v = np.empty(3 * count)
    q = np.zeros(3 * count, np.uint8)
    t[0::3], t[1::3], t[2::3] = bt, bt + BUCKET_S / 2, bt + BUCKET_S
    v[0::3], v[1::3], v[2::3] = mn, mx, np.nan
    q[0::3] = q[1::3] = np.where(np.isnan(mn), bad, 0)
    q[2::3] = np.where(bad > 0, bad, NOT_RECORDING)
    keep = np.ones(3 * count, bool)
    keep[2::3] = needs_break
    keep[1::3] = ~np.isnan(mn)  # an empty bucket needs one NaN point, not two
    return Samples(t[keep], v[keep], q[keep], bucketed=True)


def _with_run_ends(
    db: sqlite_utils.Database, t: Floats, v: Floats, q: Codes, t0: float, t1: float
) -> tuple[Floats, Floats, Codes]:
    """Add a gap where each run that ended in ``t0..t1`` stopped recording."""
    ends = db.execute(
        """SELECT ended FROM history_runs WHERE ended >= ? AND ended <= ?
           AND id < (SELECT max(id) FROM history_runs)""",
        (t0, t1),
    ).fetchall()
    if not ends:
        return t, v, q
    at = np.array([row[0] for row in ends], np.float64)
    return (
        np.concatenate((t, at)),
        np.concatenate((v, np.full(len(at), np.nan))),
        np.concatenate((q, np.full(len(at), NOT_RECORDING, np.uint8))),
    )


def first_known(
    db: sqlite_utils.Database, tags: Sequence[str], t0: float, t1: float
) -> float | None:
    """When the first of ``tags`` had a sample in ``t0..t1`` (to the bucket); None: never."""
    firsts = [
        db.execute(
            "SELECT min(t) FROM history_bucket WHERE tag = ? AND t >= ? AND t < ?",
            (tag, t0 - BUCKET_S, t1),
        ).fetchone()[0]
        for tag in tags
    ]
    known = [max(float(t), t0) for t in firsts if t is not None]
    return min(known) if known else None


def not_recording(db: sqlite_utils.Database, t0: float, t1: float) -> list[tuple[float, float]]:
    """The gaps between runs of the program that fall in ``t0..t1``: nothing is known there."""
    rows = db.execute(
        """SELECT ended, next_start FROM (
             SELECT ended, lead(started) OVER (ORDER BY started) AS next_start
             FROM history_runs)
           WHERE next_start IS NOT NULL AND next_start > ? AND ended < ?
           ORDER BY ended""",
        (t0, t1),
    ).fetchall()
    return [(max(float(a), t0), min(float(b), t1)) for a, b in rows if float(b) > float(a)]


def _floats(blobs: list[bytes]) -> Floats:
    return np.frombuffer(b"".join(blobs), np.float64)


@dataclass(frozen=True, slots=True)
class PruneResult:
    raw_rows: int
    bucket_rows: int
    used_bytes: int


def prune(
    db: sqlite_utils.Database, now: float, raw_hours: float, keep_days: float, max_bytes: float
) -> PruneResult:
    """Retention by age, then by size: the oldest raw hours go first, then the oldest days."""
    conn = db.conn
    raw_cut, bucket_cut = now - raw_hours * 3600.0, now - keep_days * 86400.0
    with conn:
        raw = conn.execute("DELETE FROM history_raw WHERE t1 < ?", (raw_cut,)).rowcount
        buckets = conn.execute("DELETE FROM history_bucket WHERE t < ?", (bucket_cut,)).rowcount
        conn.execute("DELETE FROM history_events WHERE end < ?", (bucket_cut,))
        conn.execute(
            """DELETE FROM history_runs WHERE ended < ?
               AND id < (SELECT max(id) FROM history_runs)""",
            (bucket_cut,),
        )
    while used_bytes(db) > max_bytes:
        oldest = conn.execute("SELECT min(t1) FROM history_raw").fetchone()[0]
        with conn:
            if oldest is not None:
                raw += conn.execute(
                    "DELETE FROM history_raw WHERE t1 < ?", (oldest + 3600.0,)
                ).rowcount
                continue
            first = conn.execute("SELECT min(t) FROM history_bucket").fetchone()[0]
            if first is None:
                break
            buckets += conn.execute(
                "DELETE FROM history_bucket WHERE t < ?", (first + 86400.0,)
            ).rowcount
    return PruneResult(raw, buckets, used_bytes(db))


def used_bytes(db: sqlite_utils.Database) -> int:
    """Bytes the history's pages hold (free pages, reused by later writes, do not count)."""
    pages = int(db.execute("PRAGMA page_count").fetchone()[0])
    free = int(db.execute("PRAGMA freelist_count").fetchone()[0])
    size = int(db.execute("PRAGMA page_size").fetchone()[0])
    return (pages - free) * size


def buckets_of(
    tag: str, chunk: Chunk | None, held: float, held_bad: int, since: float, now: float
) -> list[BucketRow]:
    """A flush's contributions to the buckets of one tag.

    ``held`` (NaN: a gap, of quality ``held_bad``) is the value in effect from
    ``since`` until the first sample; it counts once in every bucket it spans, so
    a value that holds still keeps its buckets filled.
    """
    rows: dict[float, list[float]] = {}  # bucket -> [mn, mx, total, n, bad]
    first = float(chunk.t[0]) if chunk is not None and len(chunk.t) else now
    bucket = math.floor(since / BUCKET_S) * BUCKET_S
    while bucket <= first and bucket < now:
        _add(rows, bucket, held, held_bad)
        bucket += BUCKET_S
    if chunk is not None and len(chunk.t):
        starts = np.floor(chunk.t / BUCKET_S) * BUCKET_S
        for start in np.unique(starts):
            mask = starts == start
            values, codes = chunk.v[mask], chunk.q[mask]
            gaps = np.isnan(values)
            good = values[~gaps]
            entry = rows.setdefault(float(start), [math.nan, math.nan, 0.0, 0, 0])
            if len(good):
                entry[0] = float(np.fmin(entry[0], good.min()))
                entry[1] = float(np.fmax(entry[1], good.max()))
                entry[2] += float(good.sum())
                entry[3] += len(good)
            if len(good) < len(values):
                entry[4] = max(entry[4], int(codes[gaps].max()), int(Quality.BAD))
    return [
        (tag, start, _none(mn), _none(mx), total, int(n), int(bad))
        for start, (mn, mx, total, n, bad) in rows.items()
    ]


def _add(rows: dict[float, list[float]], bucket: float, value: float, bad: int) -> None:
    entry = rows.setdefault(bucket, [math.nan, math.nan, 0.0, 0, 0])
    if math.isnan(value):
        entry[4] = max(entry[4], bad)
        return
    entry[0] = value if math.isnan(entry[0]) else min(entry[0], value)
    entry[1] = value if math.isnan(entry[1]) else max(entry[1], value)
    entry[2] += value
    entry[3] += 1


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def _none(value: float) -> float | None:
    return None if math.isnan(value) else value
