"""``[security]`` and ``[[users]]``: who may sign in at the line, and how sign-in is guarded.

A PIN, password or badge id never appears in the plant file, only its scrypt
hash as printed by ``hmi user hash-secret``. Messages about the secret keys
never quote what is written there: a PIN typed by mistake into ``pin_hash``
must not end up in a log or on a screen.
"""

from __future__ import annotations

import base64
import binascii

from hmi.config.fields import Table
from hmi.config.problems import KeyPath, describe, format_key_path
from hmi.config.syntax import language_problem
from hmi.domain.roles import Role
from hmi.domain.users import SignInPolicy, UserDef, is_secret_hash

CLEAR_SECRET_KEYS = ("pin", "password", "badge")
_CLEAR_SECRET = (
    "clear secrets are not accepted in the plant file; "
    "store the hash made by `hmi user hash-secret`"
)
_HASH_EXPECTED = 'a hash made by `hmi user hash-secret` ("scrypt$16384$8$1$...")'
_ROLES = {role.value: role for role in Role}


def read_sign_in_policy(table: Table | None) -> SignInPolicy:
    """``[security]``: lockout after failed sign-ins, and the idle lock."""
    default = SignInPolicy()
    if table is None:
        return default
    policy = SignInPolicy(
        max_failures=table.integer("max_failures", default.max_failures, lo=1, hi=100),
        failure_window_s=table.number("failure_window_s", default.failure_window_s, above=0),
        lockout_s=table.number("lockout_s", default.lockout_s, above=0),
        idle_lock_s=table.number("idle_lock_s", default.idle_lock_s, lo=0),
    )
    table.finish()
    return policy


def read_users(tables: list[Table]) -> list[UserDef]:
    """Every ``[[users]]`` entry that could be read; two users never share a badge."""
    users = [user for table in tables if (user := _read_user(table)) is not None]
    first_badge: dict[str, KeyPath] = {}
    for table in tables:
        badge = table.data.get("badge_hash")
        if not isinstance(badge, str) or not badge:
            continue
        if badge in first_badge:
            where = format_key_path(first_badge[badge])
            table.report("badge_hash", f"the same badge hash as {where}: a badge names one user")
        else:
            first_badge[badge] = table.path
    return users


def _read_user(table: Table) -> UserDef | None:
    user_id = table.identifier("id")
    name = table.string("name") or user_id
    role = table.required_choice("role", _ROLES)
    for key in CLEAR_SECRET_KEYS:
        table.forbid(key, _CLEAR_SECRET)
    secret_hash = _secret_hash(table, "pin_hash", "the hash of the user's PIN or password")
    badge_hash = _secret_hash(table, "badge_hash", "")
    language = table.string("language")
    if language is not None and (problem := language_problem(language)):
        table.report("language", problem)
    table.finish()
    if role is None or secret_hash is None:
        return None
    return UserDef(user_id, name, role, secret_hash, badge_hash, language)


def _secret_hash(table: Table, key: str, required_as: str) -> str | None:
    """A scrypt hash; required when ``required_as`` says what it is the hash of."""
    value = table.raw(key)
    if value is None:
        if required_as:
            table.missing(key, f"{required_as}, made by `hmi user hash-secret`")
        return None
    if isinstance(value, str) and _well_formed(value):
        return value
    # Never quote the value: it may be the clear secret, written in the wrong key.
    found = "a text that is not such a hash" if isinstance(value, str) else _kind(value)
    table.report(key, f"expected {_HASH_EXPECTED}, got {found}")
    return None


def _well_formed(text: str) -> bool:
    """A hash that ``verify_secret`` can check: numbers where numbers go, base64 where it goes."""
    if not is_secret_hash(text):
        return False
    _scheme, n, r, p, salt, key = text.split("$")
    numbers = (n, r, p)
    if not all(part.isascii() and part.isdigit() and len(part) <= 10 for part in numbers):
        return False
    cost = int(n)
    if cost < 2 or cost & (cost - 1) or int(r) < 1 or int(p) < 1:  # scrypt's own limits
        return False
    try:
        return bool(base64.b64decode(salt, validate=True)) and bool(
            base64.b64decode(key, validate=True)
        )
    except (binascii.Error, ValueError):
        return False


def _kind(value: object) -> str:
    """What a non-text value is, without its digits (which may be a PIN)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return describe(value)
