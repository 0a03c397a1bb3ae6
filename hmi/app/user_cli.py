"""``hmi user hash-secret``: turn a PIN, password or badge id into the hash the plant file holds.

The secret is asked twice without echo (or read as one line from standard
input with ``--stdin``, for scripts), and only its scrypt hash is printed, on
standard output alone so that a script can capture it. The secret itself is
never printed, logged, or shown in a message.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import warnings
from typing import Any

from hmi.domain.users import hash_secret

EXIT_OK = 0
EXIT_REFUSED = 1

MIN_LENGTH = 4  # a 4-digit PIN is what a line accepts; lockout makes guessing it slow
_STRONG_PIN_DIGITS = 6


def register(sub: Any) -> None:
    user = sub.add_parser("user", help="tools for the users of the plant file")
    verbs = user.add_subparsers(dest="verb", required=True)
    hash_cmd = verbs.add_parser(
        "hash-secret",
        help="print the hash of a PIN, password or badge id, for pin_hash or badge_hash",
        description=(
            "Asks for the secret twice without echo and prints its scrypt hash, to paste "
            "into the plant file as pin_hash or badge_hash. The secret is never printed."
        ),
    )
    hash_cmd.add_argument(
        "--stdin",
        action="store_true",
        help="read the secret as one line from standard input instead of asking twice",
    )


def run(args: argparse.Namespace) -> int:
    secret = _read_stdin() if args.stdin else _ask_twice()
    if secret is None:
        return EXIT_REFUSED
    if not secret:
        return _refuse("an empty secret is refused")
    if len(secret) < MIN_LENGTH:
        return _refuse(f"a secret of fewer than {MIN_LENGTH} characters is refused")
    if secret.isdigit() and len(secret) < _STRONG_PIN_DIGITS:
        print(
            f"warning: a {len(secret)}-digit PIN is weak; it is allowed for signing in on the "
            "line, where failed attempts lock the user, but prefer a longer PIN or a password "
            "for engineers and admins",
            file=sys.stderr,
        )
    print(hash_secret(secret))
    print(
        'put it into the plant file as pin_hash = "..." (or badge_hash for a badge id)',
        file=sys.stderr,
    )
    return EXIT_OK


def _ask_twice() -> str | None:
    try:
        with warnings.catch_warnings():
            # Without a terminal getpass would read with echo: refuse instead.
            warnings.simplefilter("error", getpass.GetPassWarning)
            first = getpass.getpass("PIN, password or badge id: ")
            if not first:
                return first
            second = getpass.getpass("Again, to confirm: ")
    except getpass.GetPassWarning:
        _refuse("no terminal to ask on without echo; use --stdin in scripts")
        return None
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        _refuse("nothing was entered")
        return None
    if first != second:
        _refuse("the two entries differ")
        return None
    return first


def _read_stdin() -> str | None:
    try:
        line = sys.stdin.readline()
    except UnicodeDecodeError:
        _refuse("standard input is not text in the terminal's encoding")
        return None
    return line.removesuffix("\n").removesuffix("\r")


def _refuse(reason: str) -> int:
    print(f"hmi user hash-secret: {reason}; nothing was hashed", file=sys.stderr)
    return EXIT_REFUSED
