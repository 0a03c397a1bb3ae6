"""The operator record: an immutable envelope around what an operator did.

The envelope is what travels upstream (see docs/records.md): ``id`` is the
idempotency key, ``seq`` counts per station without gaps, ``ts`` is UTC. A
correction is a new record whose ``corrects`` names the record it replaces;
nothing is ever edited in place.
"""

from __future__ import annotations

import enum
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

SCHEMA_VERSION = 1


class RecordKind(enum.StrEnum):
    INTERVENTION = "intervention"  # a free-text operator intervention or note
    DOWNTIME = "downtime"
    ALARM_ACTION = "alarm_action"
    INSTRUCTION_RUN = "instruction_run"
    SHIFT_SUMMARY = "shift_summary"


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    kind: RecordKind
    station: str
    seq: int
    ts: float  # UTC epoch seconds
    user: str
    payload: dict[str, Any]
    schema: int = SCHEMA_VERSION
    corrects: str | None = None

    def envelope(self) -> dict[str, Any]:
        """The record as the MES receives it (a JSON object)."""
        body: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind.value,
            "station": self.station,
            "seq": self.seq,
            "ts": iso_utc(self.ts),
            "user": self.user,
            "schema": self.schema,
            "payload": self.payload,
        }
        if self.corrects is not None:
            body["corrects"] = self.corrects
        return body

    def to_json(self) -> str:
        return json.dumps(
            self.envelope(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )


MAX_TEXT = 4000  # characters of free text in one record


class RecordRejectedError(ValueError):
    """A record that does not have the shape its kind promises (docs/records.md); not saved."""


def validate_payload(kind: RecordKind, payload: dict[str, Any]) -> None:
    """Refuse a payload the MES could not rely on; the message is the operator's."""
    if kind is RecordKind.INTERVENTION:
        text = payload.get("text")
        if not isinstance(text, str) or not text.strip():
            raise RecordRejectedError("a note needs some text")
        if len(text) > MAX_TEXT:
            raise RecordRejectedError(f"a note holds at most {MAX_TEXT} characters")
        if "tag" in payload and not isinstance(payload["tag"], str):
            raise RecordRejectedError("the tag of a note is its id, as text")
    try:
        json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise RecordRejectedError(f"the record cannot be written as JSON: {exc}") from exc


def new_record_id() -> str:
    return str(uuid.uuid4())


def to_millis(epoch: float) -> float:
    """A time as records keep it: whole milliseconds, so the envelope and the cache agree."""
    return round(epoch * 1000) / 1000


def iso_utc(epoch: float) -> str:
    """``2026-11-22T10:00:00.123Z``: millisecond precision, always UTC."""
    seconds, millis = divmod(round(epoch * 1000), 1000)
    stamp = datetime.fromtimestamp(seconds, tz=UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis:03d}Z"


def parse_envelope(text: str) -> Record:
    """Read an envelope back (the receiver does); raises ValueError on anything malformed."""
    body = json.loads(text)
    if not isinstance(body, dict):
        raise ValueError("a record is a JSON object")  # noqa: TRY004 - bad input, one error type
    try:
        stamp = datetime.fromisoformat(str(body["ts"]))
        return Record(
            id=str(uuid.UUID(str(body["id"]))),
            kind=RecordKind(body["kind"]),
            station=str(body["station"]),
            seq=int(body["seq"]),
            ts=stamp.timestamp(),
            user=str(body["user"]),
            payload=dict(body["payload"]),
            schema=int(body["schema"]),
            corrects=str(body["corrects"]) if body.get("corrects") is not None else None,
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"not a record envelope: {exc}") from exc
