"""The audit trail: who did what, when, where, with what result; chained by hash.

Each entry's hash covers its own fields and the previous entry's hash, so an
edited entry breaks its own hash and a deleted one breaks the chain after it.
``verify_chain`` finds both.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64


class AuditCategory(enum.StrEnum):
    SESSION = "session"  # sign-in, sign-out, lock, unlock, take-over, failures, lockouts
    RECORD = "record"  # every record written
    CONFIG = "config"  # plant file loaded
    SYNC = "sync"  # upstream state changes, quarantine, retry, discard
    SECURITY = "security"  # refused actions


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    ts: float
    user: str  # "" when nobody is signed in
    station: str
    category: AuditCategory
    action: str
    result: str  # "ok", "refused", "failed", ...
    detail: str
    prev_hash: str
    hash: str

    def fields(self) -> dict[str, object]:
        return {
            "seq": self.seq,
            "ts": self.ts,
            "user": self.user,
            "station": self.station,
            "category": self.category.value,
            "action": self.action,
            "result": self.result,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def entry_hash(
    seq: int,
    ts: float,
    user: str,
    station: str,
    category: str,
    action: str,
    result: str,
    detail: str,
    prev_hash: str,
) -> str:
    canonical = json.dumps(
        [seq, repr(ts), user, station, category, action, result, detail, prev_hash],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def make_entry(
    prev: AuditEntry | None,
    ts: float,
    user: str,
    station: str,
    category: AuditCategory,
    action: str,
    result: str,
    detail: str = "",
) -> AuditEntry:
    seq = 1 if prev is None else prev.seq + 1
    prev_hash = GENESIS if prev is None else prev.hash
    digest = entry_hash(seq, ts, user, station, category.value, action, result, detail, prev_hash)
    return AuditEntry(seq, ts, user, station, category, action, result, detail, prev_hash, digest)


def verify_chain(entries: Iterable[AuditEntry]) -> list[str]:
    """Every break in the chain, in words; empty when the trail is intact."""
    problems: list[str] = []
    expected_prev = GENESIS
    expected_seq = 1
    for entry in entries:
        if entry.seq != expected_seq:
            problems.append(f"entries {expected_seq} to {entry.seq - 1} are missing")
        elif entry.prev_hash != expected_prev:
            problems.append(f"entry {entry.seq} does not follow entry {entry.seq - 1}")
        recomputed = entry_hash(
            entry.seq,
            entry.ts,
            entry.user,
            entry.station,
            entry.category.value,
            entry.action,
            entry.result,
            entry.detail,
            entry.prev_hash,
        )
        if recomputed != entry.hash:
            problems.append(f"entry {entry.seq} was changed after it was written")
        expected_prev = entry.hash
        expected_seq = entry.seq + 1
    return problems
