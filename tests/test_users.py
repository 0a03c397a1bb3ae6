"""Users, secrets, the role table, sign-in lockout and the idle lock, with an injected clock."""

from __future__ import annotations

import pytest

from hmi.domain.clock import ManualClock
from hmi.domain.roles import PERMISSIONS, Action, PermissionDeniedError, Role, allowed, require
from hmi.domain.users import (
    OperatorSession,
    SignInGuard,
    SignInPolicy,
    UserDef,
    hash_secret,
    is_secret_hash,
    verify_secret,
)

FAST = 2**10  # scrypt cost for tests; the product uses 2**14


def user(user_id: str, role: Role, pin: str, badge: str | None = None) -> UserDef:
    return UserDef(
        user_id,
        user_id.title(),
        role,
        hash_secret(pin, n=FAST),
        hash_secret(badge, n=FAST) if badge else None,
    )


USERS = (user("olga", Role.OPERATOR, "1111", "B-1"), user("erin", Role.ENGINEER, "4444"))
POLICY = SignInPolicy(max_failures=3, failure_window_s=60, lockout_s=120, idle_lock_s=300)


def test_secrets_are_hashed_salted_and_verified() -> None:
    first, second = hash_secret("1234", n=FAST), hash_secret("1234", n=FAST)
    assert first != second, "salted"
    assert "1234" not in first and is_secret_hash(first)
    assert verify_secret("1234", first) and not verify_secret("1235", first)
    assert not verify_secret("1234", "scrypt$garbage") and not verify_secret("1234", "plain")


def test_every_action_has_roles_and_admin_may_do_everything() -> None:
    assert set(PERMISSIONS) == set(Action)
    assert all(allowed(Role.ADMIN, action) for action in Action)
    assert not allowed(Role.OPERATOR, Action.SYNC_DISCARD)
    assert not allowed(None, Action.RECORD_INTERVENTION)
    with pytest.raises(
        PermissionDeniedError, match=r"sync\.discard is not allowed for the role operator"
    ):
        require(Role.OPERATOR, Action.SYNC_DISCARD)


def test_sign_in_with_pin_and_badge() -> None:
    guard = SignInGuard(USERS, POLICY, ManualClock())
    assert guard.sign_in("olga", "1111").user == USERS[0]
    assert guard.sign_in_badge("B-1").user == USERS[0]
    assert not guard.sign_in_badge("B-2").ok


def test_failures_lock_the_account_for_a_while_known_or_not() -> None:
    clock = ManualClock()
    guard = SignInGuard(USERS, POLICY, clock)
    results = [guard.sign_in("olga", "0000") for _ in range(3)]
    assert [r.locked_now for r in results] == [False, False, True]
    assert guard.sign_in("olga", "1111").audit_reason == "locked", "even the right PIN"
    assert not guard.sign_in_badge("B-1").ok, "nor the badge"
    # An unknown id locks the same way, so the lock does not tell who exists.
    unknown = [guard.sign_in("nobody", "0000") for _ in range(3)]
    assert unknown[-1].locked_now
    clock.advance(121)
    assert guard.sign_in("olga", "1111").ok


def test_failures_outside_the_window_do_not_add_up() -> None:
    clock = ManualClock()
    guard = SignInGuard(USERS, POLICY, clock)
    for _ in range(5):
        assert not guard.sign_in("olga", "0000").locked_now
        clock.advance(31)  # two failures per 60 s window at most
    assert guard.sign_in("olga", "1111").ok


def test_idle_lock_counts_down_and_activity_restarts_it() -> None:
    clock = ManualClock()
    session = OperatorSession(POLICY, clock)
    assert session.locked and session.acting_user is None
    assert session.begin(USERS[0]) is None
    clock.advance(200)
    assert session.seconds_to_lock() == pytest.approx(100)
    session.touch()
    clock.advance(299)
    assert not session.lock_if_idle()
    clock.advance(2)
    assert session.lock_if_idle() and session.locked
    assert session.acting_user is None and session.user == USERS[0], "locked, not signed out"
    assert session.begin(USERS[1]) == USERS[0], "a take-over names who was there"


def test_unknown_badges_lock_the_reader_for_a_while() -> None:
    clock = ManualClock()
    guard = SignInGuard(USERS, POLICY, clock)
    results = [guard.sign_in_badge(f"guess-{n}") for n in range(3)]
    assert results[-1].locked_now
    assert guard.sign_in_badge("B-1").audit_reason == "badge reader locked", "even a good badge"
    assert guard.sign_in("olga", "1111").ok, "PIN sign-in is a separate path"
    clock.advance(121)
    assert guard.sign_in_badge("B-1").ok
