"""The outbox: which records still have to reach upstream, and how that is going.

States: pending -> in_flight -> delivered; a record refused for good goes to
quarantined after the configured number of tries (the operator can retry it,
export it, or, with the role for it, discard it). Nothing is ever dropped for
lack of room: no function here deletes a row.
"""

from __future__ import annotations

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
    tries: int
    body: str  # the envelope as JSON


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
    """The next records due, oldest sequence first per station; they become in flight."""
    with db.atomic():
        rows = db.execute(
            """SELECT o.record_id, o.station, o.seq, o.tries, r.body
               FROM outbox o JOIN records r ON r.id = o.record_id
               WHERE o.state = 'pending' AND o.next_attempt <= ?
               ORDER BY o.created, o.station, o.seq LIMIT ?""",
            [now, limit],
        ).fetchall()
        items = [OutboxItem(str(r[0]), str(r[1]), int(r[2]), int(r[3]), str(r[4])) for r in rows]
        db.conn.executemany(
            "UPDATE outbox SET state = 'in_flight', tries = tries + 1 WHERE record_id = ?",
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
    """Back to pending for another try, or to quarantine; returns the quarantined ids."""
    quarantined: list[str] = []
    with db.atomic():
        for rid in record_ids:
            row = db.execute(
                "SELECT tries FROM outbox WHERE record_id = ? AND state = 'in_flight'", [rid]
            ).fetchone()
            if row is None:
                continue
            to_quarantine = permanent and int(row[0]) >= quarantine_after
            db.execute(
                "UPDATE outbox SET state = ?, last_error = ?, next_attempt = ? WHERE record_id = ?",
                [QUARANTINED if to_quarantine else PENDING, error, next_attempt, rid],
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
        """SELECT o.record_id, o.station, o.seq, o.tries, r.body, o.last_error
           FROM outbox o JOIN records r ON r.id = o.record_id
           WHERE o.state = 'quarantined' ORDER BY o.created"""
    ).fetchall()
    return [
        (OutboxItem(str(r[0]), str(r[1]), int(r[2]), int(r[3]), str(r[4])), str(r[5])) for r in rows
    ]


def summary(db: sqlite_utils.Database) -> SyncSummary:
    counts = dict(db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
    oldest = db.execute(
        "SELECT MIN(created) FROM outbox WHERE state IN ('pending', 'in_flight')"
    ).fetchone()
    error = db.execute(
        "SELECT last_error FROM outbox WHERE last_error != '' AND state != 'delivered'"
        " ORDER BY next_attempt DESC LIMIT 1"
    ).fetchone()
    return SyncSummary(
        pending=int(counts.get(PENDING, 0)),
        in_flight=int(counts.get(IN_FLIGHT, 0)),
        delivered=int(counts.get(DELIVERED, 0)),
        quarantined=int(counts.get(QUARANTINED, 0)),
        discarded=int(counts.get(DISCARDED, 0)),
        oldest_pending_ts=None if oldest[0] is None else float(oldest[0]),
        last_error="" if error is None else str(error[0]),
    )
