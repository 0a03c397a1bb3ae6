"""Downtime events in the record cache, as the station sees them.

An event is saved when it opens and every time it changes, so an open stop and
the queue of stops waiting for a reason survive a restart and a shift change.
A correction supersedes the events it replaces (they stay, marked); the
records that carry events upstream are in the records table, referenced here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlite_utils

from hmi.domain.downtime import Context, DowntimeEvent, EventSource
from hmi.domain.plant import MachineState

COLUMNS = (
    "id, station, start, end, state, reason, planned, micro, comment, source, shift,"
    " context, states, continues, replaces"
)


def save(db: sqlite_utils.Database, events: Sequence[DowntimeEvent], now: float) -> None:
    rows = [(*_row(e), now) for e in events]
    if rows:
        with db.atomic():
            db.conn.executemany(
                f"""INSERT INTO downtime ({COLUMNS}, updated)
                    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                    ON CONFLICT (id) DO UPDATE SET
                      end = excluded.end, state = excluded.state, reason = excluded.reason,
                      planned = excluded.planned, micro = excluded.micro,
                      comment = excluded.comment, shift = excluded.shift,
                      context = excluded.context, states = excluded.states,
                      updated = excluded.updated""",
                rows,
            )


def supersede(db: sqlite_utils.Database, ids: Sequence[str], by: str) -> None:
    db.conn.executemany(
        "UPDATE downtime SET superseded_by = ? WHERE id = ?", [(by, i) for i in ids]
    )


def mark_recorded(db: sqlite_utils.Database, event_id: str, record_id: str) -> None:
    db.conn.execute("UPDATE downtime SET record_id = ? WHERE id = ?", (record_id, event_id))


def record_of(db: sqlite_utils.Database, event_id: str) -> str | None:
    row = db.execute("SELECT record_id FROM downtime WHERE id = ?", [event_id]).fetchone()
    return None if row is None else row[0]


def get(db: sqlite_utils.Database, event_id: str) -> DowntimeEvent | None:
    row = db.execute(f"SELECT {COLUMNS} FROM downtime WHERE id = ?", [event_id]).fetchone()
    return None if row is None else _event(row)


def open_events(db: sqlite_utils.Database) -> list[DowntimeEvent]:
    """Stops still open (the program stopped during them), for the trackers to resume."""
    rows = db.execute(
        f"""SELECT {COLUMNS} FROM downtime
            WHERE end IS NULL AND superseded_by IS NULL ORDER BY start"""
    ).fetchall()
    return [_event(r) for r in rows]


def waiting(db: sqlite_utils.Database, station: str | None = None) -> list[DowntimeEvent]:
    """The queue: stops without a reason (micro-stops never wait), oldest first."""
    rows = db.execute(
        f"""SELECT {COLUMNS} FROM downtime
            WHERE reason IS NULL AND micro = 0 AND superseded_by IS NULL
              AND (? IS NULL OR station = ?) ORDER BY start""",
        [station, station],
    ).fetchall()
    return [_event(r) for r in rows]


def between(
    db: sqlite_utils.Database, station: str | None, t0: float, t1: float
) -> list[DowntimeEvent]:
    """Current (not superseded) events of a station overlapping ``t0..t1``."""
    rows = db.execute(
        f"""SELECT {COLUMNS} FROM downtime
            WHERE superseded_by IS NULL AND (? IS NULL OR station = ?)
              AND start < ? AND (end IS NULL OR end > ?) ORDER BY start""",
        [station, station, t1, t0],
    ).fetchall()
    return [_event(r) for r in rows]


def note_context(
    db: sqlite_utils.Database, station: str, ts: float, context: Context, manual: bool
) -> None:
    """The station makes ``context`` from ``ts`` on; ``manual``: typed or scanned."""
    db.conn.execute(
        """INSERT INTO context_changes (station, ts, ord, product, batch, manual)
           VALUES (?,?,?,?,?,?)""",
        (station, ts, context.order, context.product, context.batch, int(manual)),
    )


def contexts(
    db: sqlite_utils.Database, station: str, t0: float, t1: float
) -> list[tuple[float, Context]]:
    """Context changes of a station in ``(t0, t1)``, and the last one at or before ``t0``."""
    rows = db.execute(
        """SELECT ts, ord, product, batch FROM (
             SELECT * FROM (SELECT ts, ord, product, batch FROM context_changes
                            WHERE station = ? AND ts <= ? ORDER BY ts DESC LIMIT 1)
             UNION ALL
             SELECT ts, ord, product, batch FROM context_changes
             WHERE station = ? AND ts > ? AND ts < ?)
           ORDER BY ts""",
        [station, t0, station, t0, t1],
    ).fetchall()
    return [(float(ts), Context(o, p, b)) for ts, o, p, b in rows]


def latest_contexts(db: sqlite_utils.Database) -> dict[str, tuple[Context, bool]]:
    """Each station's context as last noted, and whether it was entered by hand."""
    rows = db.execute(
        """SELECT station, ord, product, batch, manual FROM context_changes AS c
           WHERE rowid = (SELECT rowid FROM context_changes WHERE station = c.station
                          ORDER BY ts DESC, rowid DESC LIMIT 1)"""
    ).fetchall()
    return {str(s): (Context(o, p, b), bool(m)) for s, o, p, b, m in rows}


def reason_counts(db: sqlite_utils.Database, station: str) -> dict[str, int]:
    """How often each reason was given at a station: the picker shows the most used first."""
    rows = db.execute(
        """SELECT reason, COUNT(*) FROM downtime
           WHERE station = ? AND reason IS NOT NULL AND micro = 0 AND source != 'break'
           GROUP BY reason""",
        [station],
    ).fetchall()
    return {str(r): int(n) for r, n in rows}


def _row(e: DowntimeEvent) -> tuple[object, ...]:
    context = {"order": e.context.order, "product": e.context.product, "batch": e.context.batch}
    return (
        e.id, e.station, e.start, e.end, e.state.value, e.reason,
        None if e.planned is None else int(e.planned), int(e.micro), e.comment, e.source.value,
        e.shift, json.dumps(context), json.dumps([s.value for s in e.states]), e.continues,
        json.dumps(list(e.replaces)),
    )  # fmt: skip


def _event(row: Sequence[object]) -> DowntimeEvent:
    (id_, station, start, end, state, reason, planned, micro, comment, source, shift,
     context, states, continues, replaces) = row  # fmt: skip
    ctx = json.loads(str(context))
    return DowntimeEvent(
        id=str(id_),
        station=str(station),
        start=float(start),  # type: ignore[arg-type]
        end=None if end is None else float(end),  # type: ignore[arg-type]
        state=MachineState(str(state)),
        reason=None if reason is None else str(reason),
        planned=None if planned is None else bool(planned),
        micro=bool(micro),
        comment=str(comment),
        source=EventSource(str(source)),
        shift=None if shift is None else str(shift),
        context=Context(ctx.get("order"), ctx.get("product"), ctx.get("batch")),
        states=tuple(MachineState(s) for s in json.loads(str(states))),
        continues=None if continues is None else str(continues),
        replaces=tuple(json.loads(str(replaces))),
    )
