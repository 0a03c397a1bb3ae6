"""The outbox: which records still have to reach upstream, and how that is going.

States: pending -> in_flight -> delivered; a record refused for good goes to
quarantined after the configured number of tries (the operator can retry it,
export it, or, with the role for it, discard it). Nothing is ever dropped for
lack of room: no function here deletes a row.

``tries`` counts refusals only: a broken link or a restart says nothing about
the record, and counting them would quarantine a good record after a flaky
night. The queries walk the ``(state, station, seq)`` index, because delivered
rows stay forever and a backlog can be days long.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass

import sqlite_utils

PENDING = "pending"
IN_FLIGHT = "in_flight"
DELIVERED = "delivered"
QUARANTINED = "quarantined"
DISCARDED = "discarded"


@dataclass(frozen=True, slots=True)
class OutboxItem:
    record_id: str
    station: str
    seq: int
    tries: int  # refusals so far
    body: str  # the envelope as JSON
    kind: str = ""


@dataclass(frozen=True, slots=True)
class SyncSummary:
    pending: int
    in_flight: int
    delivered: int
    quarantined: int
    discarded: int
    oldest_pending_ts: float | None
    last_error: str


def return_in_flight(db: sqlite_utils.Database) -> int:
    """After a restart nothing is in flight any more: those rows go back to pending."""
    with db.atomic():
        cursor = db.execute(
            "UPDATE outbox SET state = 'pending', next_attempt = 0 WHERE state = 'in_flight'"
        )
        return int(cursor.rowcount)


def take_batch(db: sqlite_utils.Database, now: float, limit: int) -> list[OutboxItem]:
    """The next records due, in sequence order per station; they become in flight.

    Each station's queue is read in ``seq`` order from the index (not by
    timestamp: the wall clock may step back); stations are interleaved oldest
    first. A station is found with one index seek, so a backlog of a million
    rows costs a batch no more than one of a hundred.
    """
    with db.atomic():
        lanes: list[list[tuple[str, str, int, int, str, float, str]]] = []
        station = ""
        while True:
            (station,) = db.execute(
                "SELECT MIN(station) FROM outbox WHERE state = 'pending' AND station > ?",
                [station],
            ).fetchone()
            if station is None:
                break
            lanes.append(
                db.execute(
                    """SELECT o.record_id, o.station, o.seq, o.tries, r.body, o.created, r.kind
                       FROM outbox o JOIN records r ON r.id = o.record_id
                       WHERE o.state = 'pending' AND o.station = ? AND o.next_attempt <= ?
                       ORDER BY o.seq LIMIT ?""",
                    [station, now, limit],
                ).fetchall()
            )
        # merge keeps each lane's own order whatever the timestamps say.
        merged = itertools.islice(heapq.merge(*lanes, key=lambda row: row[5]), limit)
        items = [
            OutboxItem(str(r[0]), str(r[1]), int(r[2]), int(r[3]), str(r[4]), str(r[6]))
            for r in merged
        ]
        db.conn.executemany(
            "UPDATE outbox SET state = 'in_flight' WHERE record_id = ?",
            [(item.record_id,) for item in items],
        )
    return items


def mark_delivered(db: sqlite_utils.Database, record_ids: list[str], now: float) -> None:
    with db.atomic():
        db.conn.executemany(
            "UPDATE outbox SET state = 'delivered', delivered = ?, last_error = ''"
            " WHERE record_id = ? AND state = 'in_flight'",
            [(now, rid) for rid in record_ids],
        )


def mark_failed(
    db: sqlite_utils.Database,
    record_ids: list[str],
    error: str,
    next_attempt: float,
    *,
    permanent: bool,
    quarantine_after: int,
) -> list[str]:
    """Back to pending for another try, or to quarantine; returns the quarantined ids.

    Only a ``permanent`` refusal counts as a try; the ``quarantine_after``-th
    refusal quarantines the record.
    """
    quarantined: list[str] = []
    with db.atomic():
        for rid in record_ids:
            row = db.execute(
                "SELECT tries FROM outbox WHERE record_id = ? AND state = 'in_flight'", [rid]
            ).fetchone()
            if row is None:
                continue
            tries = int(row[0]) + 1 if permanent else int(row[0])
            to_quarantine = permanent and tries >= quarantine_after
            db.execute(
                "UPDATE outbox SET state = ?, tries = ?, last_error = ?, next_attempt = ?"
                " WHERE record_id = ?",
                [QUARANTINED if to_quarantine else PENDING, tries, error, next_attempt, rid],
            )
            if to_quarantine:
                quarantined.append(rid)
    return quarantined


def requeue(db: sqlite_utils.Database, record_ids: list[str]) -> int:
    """Quarantined records get another chance, with a fresh count of tries."""
    with db.atomic():
        cursor = db.conn.executemany(
            "UPDATE outbox SET state = 'pending', tries = 0, next_attempt = 0"
            " WHERE record_id = ? AND state = 'quarantined'",
            [(rid,) for rid in record_ids],
        )
        return int(cursor.rowcount)


def discard(db: sqlite_utils.Database, record_ids: list[str]) -> int:
    """A quarantined record is given up on; the record itself stays in the cache."""
    with db.atomic():
        cursor = db.conn.executemany(
            "UPDATE outbox SET state = 'discarded' WHERE record_id = ? AND state = 'quarantined'",
            [(rid,) for rid in record_ids],
        )
        return int(cursor.rowcount)


def quarantined_items(db: sqlite_utils.Database) -> list[tuple[OutboxItem, str]]:
    rows = db.execute(
        """SELECT o.record_id, o.station, o.seq, o.tries, r.body, o.last_error, r.kind
           FROM outbox o JOIN records r ON r.id = o.record_id
           WHERE o.state = 'quarantined' ORDER BY o.station, o.seq"""
    ).fetchall()
    return [
        (OutboxItem(str(r[0]), str(r[1]), int(r[2]), int(r[3]), str(r[4]), str(r[6])), str(r[5]))
        for r in rows
    ]


def envelopes(db: sqlite_utils.Database, record_ids: list[str]) -> list[str]:
    """The envelopes (JSON) of these records, in the order asked; unknown ids are left out."""
    bodies: list[str] = []
    for rid in record_ids:
        row = db.execute("SELECT body FROM records WHERE id = ?", [rid]).fetchone()
        if row is not None:
            bodies.append(str(row[0]))
    return bodies


def summary(db: sqlite_utils.Database, delivered: int | None = None) -> SyncSummary:
    """Counts per state; pass ``delivered`` when it is known, since counting it reads the
    whole delivered history (about 0.15 s per million rows).

    One read transaction: the counts are of one moment, not of a row caught moving
    from one state to the next between two queries.
    """
    with db.atomic():
        counts = {
            state: int(
                db.execute("SELECT COUNT(*) FROM outbox WHERE state = ?", [state]).fetchone()[0]
            )
            for state in (PENDING, IN_FLIGHT, QUARANTINED, DISCARDED)
        }
        if delivered is None:
            delivered = int(
                db.execute("SELECT COUNT(*) FROM outbox WHERE state = ?", [DELIVERED]).fetchone()[0]
            )
        oldest = db.execute(
            "SELECT MIN(created) FROM outbox WHERE state IN ('pending', 'in_flight')"
        ).fetchone()
        # By state first (the index), so the delivered history is never scanned.
        error = db.execute(
            "SELECT last_error FROM outbox WHERE state IN ('pending', 'quarantined')"
            " AND last_error != '' ORDER BY next_attempt DESC LIMIT 1"
        ).fetchone()
        return SyncSummary(
            pending=counts[PENDING],
            in_flight=counts[IN_FLIGHT],
            delivered=delivered,
            quarantined=counts[QUARANTINED],
            discarded=counts[DISCARDED],
            oldest_pending_ts=None if oldest[0] is None else float(oldest[0]),
            last_error="" if error is None else str(error[0]),
        )
