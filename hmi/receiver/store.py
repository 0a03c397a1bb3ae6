"""What the receiver got: one row per record id, however many copies arrived.

De-duplication is the receiver's half of the contract: the HMI delivers at
least once, so the same record (same id, same content) may come twice. A copy
with the same id but other content would be a bug upstream; it is kept aside
and logged, never merged.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hmi.domain.records import Record, parse_envelope

log = logging.getLogger("hmi.receiver")

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS received (
        id TEXT PRIMARY KEY,
        station TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        ts REAL NOT NULL,
        user TEXT NOT NULL,
        schema INTEGER NOT NULL,
        corrects TEXT,
        body TEXT NOT NULL,
        copies INTEGER NOT NULL DEFAULT 1,
        first_received REAL NOT NULL,
        via TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS received_order ON received (station, seq)",
    """CREATE TABLE IF NOT EXISTS rejected (
        received REAL NOT NULL,
        via TEXT NOT NULL,
        reason TEXT NOT NULL,
        payload TEXT NOT NULL
    )""",
]


@dataclass(frozen=True, slots=True)
class Arrival:
    record: Record
    duplicate: bool
    conflicting: bool = False  # same id, other content


@dataclass(frozen=True, slots=True)
class ReceiverCounts:
    stored: int
    duplicates: int
    rejected: int
    conflicting: int


class ReceivedStore:
    """A SQLite file (WAL, synchronous=FULL): a record is on disk before it is acknowledged."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        for statement in SCHEMA:
            self._conn.execute(statement)
        self.stored = 0
        self.duplicates = 0
        self.rejected = 0
        self.conflicting = 0

    def add(self, text: str, via: str) -> Arrival:
        """Check and keep one envelope; ValueError (after noting it) when it is not one."""
        arrivals = self.add_many([text], via)
        arrival = arrivals[0]
        if isinstance(arrival, ValueError):
            raise arrival
        return arrival

    def add_many(self, texts: Iterable[str], via: str) -> list[Arrival | ValueError]:
        """Several envelopes in one transaction (one disk sync): what MQTT batches use."""
        results: list[Arrival | ValueError] = []
        now = time.time()
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for text in texts:
                    results.append(self._add(text, via, now))
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        for result in results:
            if isinstance(result, ValueError):
                log.warning("rejected a malformed record (via %s): %s", via, result)
                continue
            record = result.record
            what = "duplicate" if result.duplicate else "stored"
            if result.conflicting:
                what = "CONFLICT (same id, other content)"
            log.info(
                "%s %s #%d %s %s via %s",
                what,
                record.station,
                record.seq,
                record.kind,
                record.id,
                via,
            )
        return results

    def _add(self, text: str, via: str, now: float) -> Arrival | ValueError:
        try:
            record = parse_envelope(text)
        except ValueError as exc:
            self.rejected += 1
            self._conn.execute(
                "INSERT INTO rejected VALUES (?, ?, ?, ?)", [now, via, str(exc), text]
            )
            return exc
        cursor = self._conn.execute(
            """INSERT OR IGNORE INTO received
               (id, station, seq, kind, ts, user, schema, corrects, body, first_received, via)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                record.id,
                record.station,
                record.seq,
                record.kind.value,
                record.ts,
                record.user,
                record.schema,
                record.corrects,
                record.to_json(),
                now,
                via,
            ],
        )
        if cursor.rowcount == 1:
            self.stored += 1
            return Arrival(record, duplicate=False)
        self.duplicates += 1
        self._conn.execute("UPDATE received SET copies = copies + 1 WHERE id = ?", [record.id])
        (kept,) = self._conn.execute(
            "SELECT body FROM received WHERE id = ?", [record.id]
        ).fetchone()
        if kept != record.to_json():
            self.conflicting += 1
            self._conn.execute(
                "INSERT INTO rejected VALUES (?, ?, ?, ?)",
                [now, via, "same id as a record already received, other content", text],
            )
            return Arrival(record, duplicate=True, conflicting=True)
        return Arrival(record, duplicate=True)

    def reject(self, payload: str, via: str, reason: str) -> None:
        """Keep what could not be read, for a person to look at."""
        with self._lock:
            self.rejected += 1
            self._conn.execute(
                "INSERT INTO rejected VALUES (?, ?, ?, ?)", [time.time(), via, reason, payload]
            )
        log.warning("rejected a malformed record (via %s): %s", via, reason)

    def counts(self) -> ReceiverCounts:
        return ReceiverCounts(self.stored, self.duplicates, self.rejected, self.conflicting)

    def ids(self) -> set[str]:
        with self._lock:
            return {row[0] for row in self._conn.execute("SELECT id FROM received")}

    def sequence(self, station: str) -> list[int]:
        """The seq numbers received from ``station``, in the order they arrived."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT seq FROM received WHERE station = ? ORDER BY rowid", [station]
            )
            return [int(row[0]) for row in rows]

    def copies(self) -> dict[str, int]:
        with self._lock:
            return dict(self._conn.execute("SELECT id, copies FROM received").fetchall())

    def close(self) -> None:
        with self._lock:
            self._conn.close()
