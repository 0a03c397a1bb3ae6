"""The session and record services through a real, started Runtime, with no GUI.

What the GUI relies on: every sign-in failure reads the same, the lockout and
the idle lock follow the injected clock and are audited, a locked session
cannot record and nothing is written, and the runtime's own timers (the
staleness watchdog) run on the same manual clock.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from hmi.domain.audit import AuditEntry
from hmi.domain.clock import ManualClock
from hmi.domain.plant import PlantDef
from hmi.domain.quality import Quality
from hmi.domain.records import RecordKind
from hmi.domain.roles import Action, PermissionDeniedError, Role
from hmi.domain.tags import TagValue
from hmi.domain.users import SignInOutcome, SignInPolicy, UserDef, hash_secret
from hmi.services.runtime import Runtime
from hmi.storage import journal
from tests.support.wait import wait_until

T = TypeVar("T")
PIN_HASH = hash_secret("1234", n=2**10)
USERS = (
    UserDef("anna", "Anna Berg", Role.OPERATOR, PIN_HASH, hash_secret("0004711", n=2**10)),
    UserDef("ben", "Ben Cole", Role.OPERATOR, PIN_HASH),
)
POLICY = SignInPolicy(max_failures=3, failure_window_s=60, lockout_s=60, idle_lock_s=120)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def runtime(demo_plant: PlantDef, clock: ManualClock, tmp_path: Path) -> Iterator[Runtime]:
    plant = dataclasses.replace(demo_plant, sources=(), users=USERS, sign_in=POLICY)
    started = Runtime(plant, clock=clock, cache_path=tmp_path / "cache.sqlite", station="line-1")
    started.start()
    yield started
    started.stop()


def call(runtime: Runtime, coro: Coroutine[Any, Any, T]) -> T:
    return runtime.submit(coro).result(timeout=10)


def audit(runtime: Runtime) -> list[AuditEntry]:
    """The trail after the runtime's own "config.load" entry."""
    entries = runtime.db.read(lambda db: list(journal.audit_entries(db)))
    return [e for e in entries if e.action != "config.load"]


def test_every_refusal_reads_the_same_and_only_the_audit_says_why(runtime: Runtime) -> None:
    session = runtime.session
    wrong = call(runtime, session.sign_in("anna", "9999"))
    unknown = call(runtime, session.sign_in("zoe", "1234"))
    badge = call(runtime, session.sign_in_badge("not a badge"))
    assert wrong == unknown == badge == SignInOutcome.REFUSED_MESSAGE
    assert [(e.user, e.action, e.result, e.detail) for e in audit(runtime)] == [
        ("anna", "session.sign_in", "refused", "pin: wrong secret"),
        ("zoe", "session.sign_in", "refused", "pin: unknown user"),
        ("", "session.sign_in", "refused", "badge: unknown badge"),
    ]
    assert call(runtime, session.sign_in_badge("0004711")) == ""
    assert session.view().user_id == "anna" and not session.view().locked


def test_the_lockout_is_audited_and_lifts_after_its_time(
    runtime: Runtime, clock: ManualClock
) -> None:
    session = runtime.session
    for _ in range(POLICY.max_failures):
        call(runtime, session.sign_in("anna", "9999"))
    assert call(runtime, session.sign_in("anna", "1234")) == SignInOutcome.REFUSED_MESSAGE
    assert call(runtime, session.sign_in_badge("0004711")) == SignInOutcome.REFUSED_MESSAGE
    assert ("session.lockout", "locked") in [(e.action, e.result) for e in audit(runtime)]
    clock.advance(POLICY.lockout_s + 1)
    assert call(runtime, session.sign_in("anna", "1234")) == ""


def test_a_locked_session_cannot_record_and_nothing_is_written(
    runtime: Runtime, clock: ManualClock
) -> None:
    session, records = runtime.session, runtime.records
    call(runtime, session.sign_in("anna", "1234"))
    first = call(
        runtime,
        records.record(
            Action.RECORD_INTERVENTION, RecordKind.INTERVENTION, "filler", {"text": "first"}
        ),
    )
    assert (first.seq, first.user) == (1, "anna")
    clock.advance(POLICY.idle_lock_s - 1)
    session.touch()  # activity: the idle clock starts again
    clock.advance(POLICY.idle_lock_s - 1)
    assert not call(runtime, session.lock_if_idle())
    assert session.view().seconds_to_lock == pytest.approx(1.0)
    clock.advance(1)
    assert call(runtime, session.lock_if_idle())
    with pytest.raises(PermissionDeniedError):
        call(
            runtime,
            records.record(
                Action.RECORD_INTERVENTION, RecordKind.INTERVENTION, "filler", {"text": "late"}
            ),
        )
    count = runtime.db.read(lambda db: db.execute("SELECT COUNT(*) FROM records").fetchone()[0])
    assert count == 1
    trail = [(e.user, e.action, e.result, e.detail) for e in audit(runtime)][-2:]
    assert trail[0] == ("anna", "session.lock", "ok", "idle")
    assert trail[1][:3] == ("anna", "record.intervention", "denied")


def test_unlock_and_take_over_are_told_apart(runtime: Runtime) -> None:
    session = runtime.session
    call(runtime, session.sign_in("anna", "1234"))
    call(runtime, session.lock())
    call(runtime, session.sign_in("anna", "1234"))
    call(runtime, session.lock())
    call(runtime, session.sign_in("ben", "1234"))
    call(runtime, session.sign_out())
    assert [(e.user, e.action, e.detail) for e in audit(runtime)] == [
        ("anna", "session.sign_in", "pin"),
        ("anna", "session.lock", "by the user"),
        ("anna", "session.unlock", "pin"),
        ("anna", "session.lock", "by the user"),
        ("ben", "session.take_over", "from anna"),
        ("ben", "session.sign_out", ""),
    ]
    assert all(e.station == "line-1" for e in audit(runtime))
    assert session.view().user_id is None and session.view().locked


def test_the_staleness_watchdog_runs_on_the_manual_clock(
    runtime: Runtime, clock: ManualClock
) -> None:
    """The watchdog sleeps in real time but judges age by the runtime's clock."""
    tag = runtime.plant.tag("labeler.speed")
    now, mono = clock.now(), clock.monotonic()
    runtime.store.apply([TagValue(tag.id, 350.0, Quality.GOOD, "", now, now, mono)])
    assert runtime.store.get(tag.id).quality is Quality.GOOD
    clock.advance(tag.stale_after_s + 1)
    wait_until(lambda: runtime.store.get(tag.id).quality is Quality.STALE, 5, "stale")
