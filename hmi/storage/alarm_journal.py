"""The alarm journal: every transition of every alarm, in the record cache, never edited.

KPIs are computed from these raw rows (ISA-18.2 wants them from the unfiltered
journal); the history page reads them with filters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils

from hmi.domain.alarms import AlarmState, Event, Priority, Transition

COLUMNS = (
    "ts, alarm_id, station, priority, event, state, user, text, value, annunciated, message, until"
)


def append(db: sqlite_utils.Database, transitions: Iterable[Transition]) -> int:
    rows = [
        (
            t.ts, t.alarm_id, t.station, int(t.priority), t.event.value, t.state.value, t.user,
            t.text, t.value, int(t.annunciated), t.message, t.until,
        )
        for t in transitions
    ]  # fmt: skip
    if rows:
        with db.atomic():
            db.conn.executemany(
                f"INSERT INTO alarm_journal ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows
            )
    return len(rows)


@dataclass(frozen=True, slots=True)
class JournalQuery:
    """Filters of the history page; empty means any."""

    t0: float
    t1: float
    stations: frozenset[str] = frozenset()
    priorities: frozenset[Priority] = frozenset()
    events: frozenset[Event] = frozenset()
    text: str = ""  # in the message, the alarm id or the user
    limit: int = 100_000  # the newest lines this many, in time order


def load(db: sqlite_utils.Database, query: JournalQuery) -> list[Transition]:
    sql = [f"SELECT {COLUMNS} FROM alarm_journal WHERE ts >= ? AND ts < ?"]
    args: list[object] = [query.t0, query.t1]
    for column, values in (
        ("station", sorted(query.stations)),
        ("priority", sorted(int(p) for p in query.priorities)),
        ("event", sorted(e.value for e in query.events)),
    ):
        if values:
            sql.append(f"AND {column} IN ({','.join('?' * len(values))})")
            args += values
    if query.text:
        sql.append("AND (message LIKE ? OR alarm_id LIKE ? OR user LIKE ?)")
        pattern = f"%{query.text}%"
        args += [pattern, pattern, pattern]
    sql.append("ORDER BY seq DESC LIMIT ?")  # past the limit, the newest lines count
    args.append(query.limit)
    rows = db.execute(" ".join(sql), args).fetchall()
    return [_transition(row) for row in reversed(rows)]


def before(db: sqlite_utils.Database, t0: float, alarm_ids: Sequence[str] = ()) -> list[Transition]:
    """The last ACTIVE or CLEARED of each alarm before ``t0``: what was standing at the start."""
    rows = db.execute(
        f"""SELECT {COLUMNS} FROM alarm_journal WHERE seq IN (
              SELECT MAX(seq) FROM alarm_journal
              WHERE ts < ? AND event IN ('active', 'cleared') GROUP BY alarm_id
            ) ORDER BY seq""",
        [t0],
    ).fetchall()
    wanted = set(alarm_ids)
    return [t for t in map(_transition, rows) if not wanted or t.alarm_id in wanted]


def operator_states(db: sqlite_utils.Database) -> list[Transition]:
    """The last shelving and the last service change of each alarm, for a restart."""
    rows = db.execute(
        f"""SELECT {COLUMNS} FROM alarm_journal WHERE seq IN (
              SELECT MAX(seq) FROM alarm_journal
              WHERE event IN ('shelved', 'unshelved') GROUP BY alarm_id
              UNION
              SELECT MAX(seq) FROM alarm_journal
              WHERE event IN ('out_of_service', 'returned_to_service') GROUP BY alarm_id
            ) ORDER BY seq"""
    ).fetchall()
    return [_transition(row) for row in rows]


def _transition(row: Sequence[object]) -> Transition:
    ts, alarm_id, station, priority, event, state, user, text, value, ann, message, until = row
    return Transition(
        ts=float(ts),  # type: ignore[arg-type]
        alarm_id=str(alarm_id),
        station=str(station),
        priority=Priority(int(priority)),  # type: ignore[call-overload]
        event=Event(str(event)),
        state=AlarmState(str(state)),
        user=str(user),
        text=str(text),
        value=value if isinstance(value, float | str) else None,
        annunciated=bool(ann),
        message=str(message),
        until=float(until) if isinstance(until, int | float) else None,
    )
