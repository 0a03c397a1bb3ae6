"""Work instruction runs in the record cache: saved at every step, resumed after a restart."""

from __future__ import annotations

import json

import sqlite_utils

from hmi.domain.instruction_run import Run, RunState, run_from_json, run_to_json


def save(db: sqlite_utils.Database, run: Run, now: float, record_id: str | None = None) -> None:
    with db.atomic():
        db.conn.execute(
            """INSERT INTO instruction_runs (id, station, state, body, record_id, updated)
               VALUES (?,?,?,?,?,?)
               ON CONFLICT (id) DO UPDATE SET state = excluded.state, body = excluded.body,
                 record_id = COALESCE(excluded.record_id, record_id), updated = excluded.updated""",
            (run.id, run.station, run.state.value, json.dumps(run_to_json(run)), record_id, now),
        )


def open_runs(db: sqlite_utils.Database) -> list[Run]:
    """Runs not ended, one per station at most (the newest wins)."""
    rows = db.execute(
        "SELECT body FROM instruction_runs WHERE state = ? ORDER BY updated",
        [RunState.OPEN.value],
    ).fetchall()
    return [run_from_json(json.loads(body)) for (body,) in rows]
