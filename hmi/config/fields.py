"""Typed reads from one TOML table, collecting problems instead of raising.

Each read checks one key: its type, its bounds, its choices. On a problem it
records what was expected and what was found, and returns the default, so that
validation carries on and reports everything in one pass (the result is thrown
away when any problem was found). Every key read is remembered: ``finish()``
then reports the keys nobody asked for, because a misspelt optional key would
otherwise be silently ignored and its default used.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TypeVar

from hmi.config.problems import KeyPath, describe, did_you_mean, quote

T = TypeVar("T")

IDENTIFIER = re.compile(r"[A-Za-z0-9_.-]+")


class Problems:
    """Every problem found so far, each as a key path and a message."""

    def __init__(self) -> None:
        self.found: list[tuple[KeyPath, str]] = []

    def add(self, path: KeyPath, message: str) -> None:
        self.found.append((path, message))

    def __bool__(self) -> bool:
        return bool(self.found)


class Table:
    """One TOML table under validation, at ``path`` in the document.

    ``base_dir`` is where relative file paths in the plant file start from.
    """

    def __init__(
        self, data: Mapping[str, object], path: KeyPath, problems: Problems, base_dir: Path
    ) -> None:
        self.data = data
        self.path = path
        self.problems = problems
        self.base_dir = base_dir
        self._expected: set[str] = set()

    def at(self, *steps: str | int) -> KeyPath:
        return (*self.path, *steps)

    def report(self, key: str, message: str) -> None:
        self.problems.add(self.at(key), message)

    def has(self, key: str) -> bool:
        return key in self.data

    def expect(self, *keys: str) -> None:
        """Declare keys as valid here without reading them."""
        self._expected.update(keys)

    def raw(self, key: str) -> object | None:
        """The value as parsed (TOML has no null: None means absent)."""
        self._expected.add(key)
        return self.data.get(key)

    def keys(self) -> Iterator[str]:
        return iter(self.data)

    def missing(self, key: str, what: str) -> None:
        self.report(key, f"required key is missing (expected {what})")

    def forbid(self, key: str, message: str) -> None:
        """A key that is valid TOML and known, but wrong in this place."""
        if self.has(key):
            self._expected.add(key)
            self.report(key, message)

    def string(self, key: str, *, required: bool = False, empty_ok: bool = False) -> str | None:
        value = self.raw(key)
        if value is None:
            if required:
                self.missing(key, "a string")
            return None
        if not isinstance(value, str):
            self.report(key, f"expected a string, got {describe(value)}")
            return None
        if not empty_ok and not value.strip():
            self.report(key, "expected a non-empty string, got an empty one")
            return None
        return value

    def required_string(self, key: str) -> str:
        return self.string(key, required=True) or ""

    def identifier(self, key: str) -> str:
        """A required id of letters, digits, ``_``, ``.``, ``-``: safe in topics and file names."""
        value = self.required_string(key)
        if value and not IDENTIFIER.fullmatch(value):
            self.report(
                key, f'expected an id of letters, digits, "_", "." and "-", got {quote(value)}'
            )
        return value

    def boolean(self, key: str, default: bool) -> bool:
        """``true`` or ``false``; anything else is a problem and gives ``default``."""
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.report(key, f"expected true or false, got {describe(value)}")
            return default
        return value

    def integer(
        self, key: str, default: int, *, lo: int | None = None, hi: int | None = None
    ) -> int:
        value = self.raw(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(key, f"expected an integer, got {describe(value)}")
            return default
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.report(key, f"expected an integer {_bounds(lo, hi)}, got {describe(value)}")
            return default
        return value

    def number(
        self,
        key: str,
        default: float,
        *,
        lo: float | None = None,
        hi: float | None = None,
        above: float | None = None,
    ) -> float:
        """A finite number, integer or float; ``above`` is an exclusive lower bound."""
        value = self.raw(key)
        if value is None:
            return default
        number = finite_number(value)
        if number is None:
            is_number = isinstance(value, int | float) and not isinstance(value, bool)
            kind = "a finite number" if is_number else "a number"
            self.report(key, f"expected {kind}, got {describe(value)}")
            return default
        if (
            (lo is not None and number < lo)
            or (hi is not None and number > hi)
            or (above is not None and number <= above)
        ):
            bounds = f"greater than {show(above)}" if above is not None else _bounds(lo, hi)
            self.report(key, f"expected a number {bounds}, got {describe(value)}")
            return default
        return number

    def number_pair(
        self,
        keys: tuple[str, str],
        defaults: tuple[float, float],
        *,
        lo: float | None = None,
        hi: float | None = None,
        above: float | None = None,
    ) -> tuple[float, float]:
        """Two numbers of which the first must not exceed the second, such as back-off bounds.

        The second defaults to at least the first, so that raising only the
        first is not an error.
        """
        low_key, high_key = keys
        low = self.number(low_key, defaults[0], lo=lo, hi=hi, above=above)
        high = self.number(high_key, max(defaults[1], low), lo=lo, hi=hi, above=above)
        if low > high:
            self.report(
                high_key,
                f"expected a number of at least {low_key} ({show(low)}), got {show(high)}",
            )
        return low, high

    def choice(self, key: str, options: Mapping[str, T], default: T, *, shown: str = "") -> T:
        found = self.required_choice(key, options, required=False, shown=shown)
        return default if found is None else found

    def required_choice(
        self, key: str, options: Mapping[str, T], *, required: bool = True, shown: str = ""
    ) -> T | None:
        """One of a closed set of texts; numbers are compared by their text (``5`` is ``"5"``)."""
        value = self.raw(key)
        names = shown or ", ".join(options)
        if value is None:
            if required:
                self.missing(key, f"one of: {names}")
            return None
        text = _choice_text(value)
        if text is not None and text in options:
            return options[text]
        hint = did_you_mean(text, options) if isinstance(value, str) and text else ""
        self.report(key, f"expected one of: {names}; got {describe(value)}{hint}")
        return None

    def file(self, key: str, *, required: bool = False) -> str | None:
        """A path to an existing file, relative to the plant file's folder; returned absolute."""
        path = self._path(key, required=required)
        if path is None:
            return None
        try:
            is_file, exists = path.is_file(), path.exists()
        except (OSError, ValueError):  # e.g. a name too long for the file system
            is_file = exists = False
        if not is_file:
            found = "is a folder, not a file" if exists else "file not found"
            self.report(key, f"{found}: {path}")
        return str(path)

    def new_file(self, key: str) -> str | None:
        """A path to a file the HMI creates if needed, relative to the plant file's folder.

        Neither the file nor its folder need exist yet; what does exist must fit:
        the path itself is not a folder, and its nearest existing parent is not a file.
        """
        path = self._path(key, required=False)
        if path is None:
            return None
        try:
            if path.exists() and not path.is_file():
                self.report(key, f"is a folder, not a file: {path}")
            elif (parent := _nearest_existing(path.parent)) is not None and not parent.is_dir():
                self.report(key, f"cannot be created: {parent} is a file, not a folder")
        except (OSError, ValueError):  # e.g. a name too long for the file system
            self.report(key, f"cannot be used as a file path: {path}")
        return str(path)

    def folder(self, key: str) -> str | None:
        """An existing folder, relative to the plant file's folder."""
        path = self._path(key, required=False)
        if path is not None and not path.is_dir():
            self.report(key, f"is not a folder: {path}")
        return None if path is None else str(path)

    def _path(self, key: str, *, required: bool) -> Path | None:
        """A file path as written, made absolute from the plant file's folder."""
        text = self.string(key, required=required)
        if text is None:
            return None
        if "\0" in text:
            self.report(key, f"expected a file path, got {quote(text)}")
            return None
        path = Path(text)
        return path if path.is_absolute() else self.base_dir / path

    def strings(self, key: str, *, required: bool = False) -> list[tuple[int, str]]:
        """An array of strings, each with its index (for key paths like ``tags[2]``)."""
        value = self.raw(key)
        if value is None:
            if required:
                self.missing(key, "an array of strings")
            return []
        if not isinstance(value, list):
            self.report(key, f"expected an array of strings, got {describe(value)}")
            return []
        items: list[tuple[int, str]] = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                items.append((index, item))
            else:
                self.problems.add(self.at(key, index), f"expected a string, got {describe(item)}")
        return items

    def table(self, key: str, *, required: bool = False) -> Table | None:
        """A sub-table such as ``[sources.tls]``."""
        value = self.raw(key)
        if value is None:
            if required:
                self.missing(key, f"a [{key}] table")
            return None
        if not isinstance(value, dict):
            self.report(key, f"expected a table, got {describe(value)}")
            return None
        return Table(value, self.at(key), self.problems, self.base_dir)

    def tables(self, key: str) -> list[Table]:
        """An array of tables such as ``[[tags]]``; absent means none."""
        value = self.raw(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.report(key, f"expected an array of tables ([[{key}]]), got {describe(value)}")
            return []
        found: list[Table] = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                found.append(Table(item, self.at(key, index), self.problems, self.base_dir))
            else:
                self.problems.add(self.at(key, index), f"expected a table, got {describe(item)}")
        return found

    def finish(self) -> None:
        """Report every key present that no read asked for."""
        known = sorted(self._expected)
        for key in self.data:
            if key in self._expected:
                continue
            hint = did_you_mean(key, known)
            if hint:
                self.report(key, f"unknown key{hint}")
            else:
                listed = ", ".join(known) if known else "none"
                self.report(key, f"unknown key (the keys here are: {listed})")


def _nearest_existing(path: Path) -> Path | None:
    """``path`` or its closest ancestor that exists; None when none does (a relative root)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return None


def finite_number(value: object) -> float | None:
    """A TOML integer or float as a finite float; booleans are not numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer beyond the range of a float
        return None
    return number if math.isfinite(number) else None


def _choice_text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return describe(value)
    return None


def show(number: float) -> str:
    """A bound or a value as an integrator would write it: 65535, 0.1, 30."""
    if isinstance(number, int):
        return describe(number)
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else f"{number:g}"


def _bounds(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"from {show(lo)} to {show(hi)}"
    if lo is not None:
        return f"of at least {show(lo)}"
    if hi is not None:
        return f"of at most {show(hi)}"
    return ""
