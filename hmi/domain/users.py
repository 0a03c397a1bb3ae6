"""Users, their secrets (hashed with scrypt, a memory-hard function), sign-in and locking.

Nothing here stores or logs a PIN, password or badge id in clear. The sign-in
guard locks a claimed user id after too many failures within a window, for
known and unknown ids alike, and answers every failure with the same words,
so a terminal on the line cannot be used to find out who exists.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from hmi.domain.clock import Clock
from hmi.domain.roles import Role

# scrypt at n=2**14, r=8 needs 16 MiB per attempt: slow to brute-force, quick enough to sign in.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_SALT_BYTES = 16
_KEY_BYTES = 32


def hash_secret(secret: str, *, n: int = SCRYPT_N) -> str:
    """``scrypt$n$r$p$salt$key``, both base64; what goes into the plant file or user store."""
    salt = secrets.token_bytes(_SALT_BYTES)
    key = hashlib.scrypt(
        secret.encode(), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, dklen=_KEY_BYTES, maxmem=2**26
    )
    return "$".join(["scrypt", str(n), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(key)])


def verify_secret(secret: str, stored: str) -> bool:
    """Constant-time check of a secret against a stored hash; False on any malformed hash."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key, validate=True)
        actual = hashlib.scrypt(
            secret.encode(),
            salt=base64.b64decode(salt, validate=True),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=2**26,
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def is_secret_hash(text: str) -> bool:
    parts = text.split("$")
    return len(parts) == 6 and parts[0] == "scrypt" and parts[1].isdigit()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True, slots=True)
class UserDef:
    id: str
    name: str
    role: Role
    secret_hash: str  # of the PIN or password
    badge_hash: str | None = None  # of the badge id; a badge alone signs in
    language: str | None = None


@dataclass(frozen=True, slots=True)
class SignInPolicy:
    max_failures: int = 5
    failure_window_s: float = 300.0
    lockout_s: float = 300.0
    idle_lock_s: float = 300.0  # 0: never lock for idleness


class SignInOutcome:
    """What a sign-in attempt says; failures all read the same to the person at the screen."""

    OK = "ok"
    REFUSED = "refused"  # unknown user, wrong secret, or locked: indistinguishable on screen
    REFUSED_MESSAGE = "Sign-in refused. Check your user and PIN, or ask your lead."


@dataclass(slots=True)
class SignInResult:
    user: UserDef | None
    # For the audit trail only, never for the screen: "wrong secret", "unknown user", "locked".
    audit_reason: str
    locked_now: bool = False

    @property
    def ok(self) -> bool:
        return self.user is not None


@dataclass(slots=True)
class _Failures:
    times: list[float] = field(default_factory=list)
    locked_until: float = 0.0


class SignInGuard:
    """Checks credentials and counts failures per claimed user id, with an injectable clock."""

    def __init__(self, users: tuple[UserDef, ...], policy: SignInPolicy, clock: Clock) -> None:
        self._users = {u.id: u for u in users}
        self._policy = policy
        self._clock = clock
        self._failures: dict[str, _Failures] = {}

    @property
    def users(self) -> dict[str, UserDef]:
        return self._users

    def sign_in(self, user_id: str, secret: str) -> SignInResult:
        now = self._clock.monotonic()
        record = self._failures.setdefault(user_id, _Failures())
        if record.locked_until > now:
            return SignInResult(None, "locked")
        user = self._users.get(user_id)
        # Hash even for an unknown user so the answer takes as long either way.
        stored = user.secret_hash if user is not None else _DUMMY_HASH
        if verify_secret(secret, stored) and user is not None:
            self._failures.pop(user_id, None)
            return SignInResult(user, "")
        return self._fail(record, now, "wrong secret" if user is not None else "unknown user")

    def sign_in_badge(self, badge: str) -> SignInResult:
        """A badge reader types the id and Enter; the id is compared with each user's hash.

        Unknown badges count as failures of this screen's reader, so badge ids
        cannot be guessed without limit either.
        """
        now = self._clock.monotonic()
        reader = self._failures.setdefault(_BADGE_READER, _Failures())
        if reader.locked_until > now:
            return SignInResult(None, "badge reader locked")
        for user in self._users.values():
            if user.badge_hash is not None and verify_secret(badge, user.badge_hash):
                record = self._failures.get(user.id)
                if record is not None and record.locked_until > self._clock.monotonic():
                    return SignInResult(None, "locked")
                self._failures.pop(user.id, None)
                return SignInResult(user, "")
        return self._fail(reader, now, "unknown badge")

    def _fail(self, record: _Failures, now: float, reason: str) -> SignInResult:
        window = self._policy.failure_window_s
        record.times = [t for t in record.times if now - t < window] + [now]
        if len(record.times) >= self._policy.max_failures:
            record.times.clear()
            record.locked_until = now + self._policy.lockout_s
            return SignInResult(None, reason, locked_now=True)
        return SignInResult(None, reason)


_DUMMY_HASH = hash_secret("not a user", n=SCRYPT_N)
_BADGE_READER = "\x00badge-reader"  # not a valid user id, so it cannot collide with one


class OperatorSession:
    """Who is signed in at this screen, and the idle lock.

    Locked means nobody may act until someone signs in; the screen keeps
    showing live values and alarms underneath.
    """

    def __init__(self, policy: SignInPolicy, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock
        self.user: UserDef | None = None
        self.locked = True
        self._last_activity = clock.monotonic()

    def begin(self, user: UserDef) -> UserDef | None:
        """Sign ``user`` in; returns the user who was signed in before (a take-over), if other."""
        previous = self.user if self.user is not None and self.user.id != user.id else None
        self.user = user
        self.locked = False
        self._last_activity = self._clock.monotonic()
        return previous

    def end(self) -> None:
        self.user = None
        self.locked = True

    def touch(self) -> None:
        self._last_activity = self._clock.monotonic()

    def seconds_to_lock(self) -> float | None:
        if self.locked or self._policy.idle_lock_s <= 0:
            return None
        return max(0.0, self._policy.idle_lock_s - (self._clock.monotonic() - self._last_activity))

    def lock_if_idle(self) -> bool:
        """Lock when the idle time is up; True when this call locked it."""
        remaining = self.seconds_to_lock()
        if remaining is not None and remaining <= 0:
            self.locked = True
            return True
        return False

    @property
    def acting_user(self) -> UserDef | None:
        """The user whose actions count now: nobody while locked."""
        return None if self.locked else self.user
