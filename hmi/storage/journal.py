"""Records, audit entries and outbox rows: the writes and reads of the operator journal.

The functions taking a database run on the writer thread (through
``Database.submit``) or on a reader's own connection. ``append_record`` writes
the record, its audit entry and its outbox row in ONE transaction: either all
three are on disk or none is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from hmi.domain.audit import AuditCategory, AuditEntry, make_entry
from hmi.domain.records import Record, RecordKind, new_record_id, parse_envelope, to_millis


@dataclass(frozen=True, slots=True)
class RecordDraft:
    """What a service hands over; the journal gives it an id and a sequence number."""

    kind: RecordKind
    station: str
    user: str
    payload: dict[str, Any]
    ts: float
    corrects: str | None = None


@dataclass(frozen=True, slots=True)
class AuditDraft:
    ts: float
    user: str
    station: str
    category: AuditCategory
    action: str
    result: str
    detail: str = ""


def last_audit(db: sqlite_utils.Database) -> AuditEntry | None:
    row = db.execute("SELECT * FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return None if row is None else _audit_from_row(row)


def append_audit(db: sqlite_utils.Database, draft: AuditDraft) -> AuditEntry:
    with db.atomic():
        return _append_audit(db, draft)


def _append_audit(db: sqlite_utils.Database, draft: AuditDraft) -> AuditEntry:
    entry = make_entry(
        last_audit(db),
        draft.ts,
        draft.user,
        draft.station,
        draft.category,
        draft.action,
        draft.result,
        draft.detail,
    )
    db.table("audit").insert(entry.fields())
    return entry


def append_record(db: sqlite_utils.Database, draft: RecordDraft) -> Record:
    """Record + audit entry + outbox row, committed together (writer thread only)."""
    with db.atomic():
        row = db.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM records WHERE station = ?", [draft.station]
        ).fetchone()
        record = Record(
            id=new_record_id(),
            kind=draft.kind,
            station=draft.station,
            seq=int(row[0]) + 1,
            ts=to_millis(draft.ts),
            user=draft.user,
            payload=draft.payload,
            corrects=draft.corrects,
        )
        db.table("records").insert(
            {
                "id": record.id,
                "kind": record.kind.value,
                "station": record.station,
                "seq": record.seq,
                "ts": record.ts,
                "user": record.user,
                "schema": record.schema,
                "corrects": record.corrects,
                "body": record.to_json(),
            }
        )
        db.table("outbox").insert(
            {
                "record_id": record.id,
                "station": record.station,
                "seq": record.seq,
                "state": "pending",
                "created": draft.ts,
            }
        )
        detail = json.dumps({"record": record.id, "kind": record.kind.value, "seq": record.seq})
        _append_audit(
            db,
            AuditDraft(
                draft.ts,
                draft.user,
                draft.station,
                AuditCategory.RECORD,
                f"record.{record.kind.value}",
                "ok",
                detail,
            ),
        )
    return record


def get_record(db: sqlite_utils.Database, record_id: str) -> Record | None:
    row = db.execute("SELECT body FROM records WHERE id = ?", [record_id]).fetchone()
    return None if row is None else parse_envelope(row[0])


def audit_entries(db: sqlite_utils.Database) -> Iterator[AuditEntry]:
    for row in db.execute("SELECT * FROM audit ORDER BY seq"):
        yield _audit_from_row(row)


def records_without_audit(db: sqlite_utils.Database) -> list[str]:
    """Records whose audit entry is gone: a deleted tail of the trail shows here."""
    seen: set[str] = set()
    for (detail,) in db.execute("SELECT detail FROM audit WHERE category = 'record'"):
        try:
            seen.add(str(json.loads(detail)["record"]))
        except (ValueError, KeyError, TypeError):
            continue
    return [rid for (rid,) in db.execute("SELECT id FROM records ORDER BY ts") if rid not in seen]


def _audit_from_row(row: Iterable[Any]) -> AuditEntry:
    seq, ts, user, station, category, action, result, detail, prev_hash, digest = row
    return AuditEntry(
        int(seq),
        float(ts),
        str(user),
        str(station),
        AuditCategory(category),
        str(action),
        str(result),
        str(detail),
        str(prev_hash),
        str(digest),
    )
