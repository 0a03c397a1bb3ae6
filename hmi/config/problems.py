"""What is wrong with a plant file, said so that an integrator can fix it.

A plant file is written by hand, often on site, and checked with
``hmi check-config`` before a restart. Each problem therefore names the file,
the line when it can be found, the key path (``tags[3].unit``) and, in words,
what was expected and what was found. Validation collects every problem
instead of stopping at the first, so one run shows all there is to fix.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# One step from the root of the TOML document to a value: a key or an array index.
KeyPath = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# Longer texts are shortened in messages: one problem stays on one line.
_MAX_SHOWN = 60


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One problem in a plant file.

    ``key_path`` counts array entries from 0 (``tags[0]`` is the first ``[[tags]]``);
    it is empty only for problems with the file as a whole (unreadable, not TOML).
    """

    file: str
    line: int | None
    key_path: str
    message: str

    def format(self) -> str:
        """``FILE:LINE: KEY_PATH: MESSAGE``, leaving out what is unknown."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.key_path:
            return f"{where}: {self.key_path}: {self.message}"
        return f"{where}: {self.message}"


class ConfigError(Exception):
    """A plant file that cannot be used, with every problem found in it.

    This is an environment error, not a bug: the caller shows ``str(error)``
    (one problem per line) and keeps running with the last good plant, or exits.
    """

    def __init__(self, problems: Sequence[ConfigProblem]) -> None:
        # The list is the only argument so that the error survives pickling.
        super().__init__(list(problems))
        self.problems: list[ConfigProblem] = list(problems)

    def __str__(self) -> str:
        return "\n".join(problem.format() for problem in self.problems)


def format_key_path(path: KeyPath) -> str:
    """``("sources", 0, "tls", "ca_file")`` -> ``sources[0].tls.ca_file``.

    Keys that are not bare TOML keys are quoted, as they would be in the file.
    """
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
            continue
        key = step if _BARE_KEY.fullmatch(step) else quote(step)
        text += f".{key}" if text else key
    return text


def quote(text: str) -> str:
    """A string as it would be written in TOML, shortened if long, on one line."""
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 3] + "..."
    return json.dumps(text, ensure_ascii=False)


def describe(value: object) -> str:
    """What was found, for ``expected ..., got <this>`` messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        # str() of an int with thousands of digits raises ValueError.
        return str(value) if value.bit_length() <= 64 else "a very large integer"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return quote(value)
    return _describe_structure(value)


def _describe_structure(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    # datetime before date: a datetime is a date.
    for kind, noun in ((dt.datetime, "a date-time"), (dt.date, "a date"), (dt.time, "a time")):
        if isinstance(value, kind):
            return f"{noun} ({value.isoformat()})"
    return type(value).__name__


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate the writer most likely meant, if one is close enough.

    A typo in a key must never be silently ignored; naming the likely key turns
    the error into a one-second fix.
    """
    options = sorted(set(candidates))
    if not options or len(word) > 100:  # difflib is quadratic; long words are not typos
        return None
    by_case = {option.lower(): option for option in options}
    if word.lower() in by_case:
        return by_case[word.lower()]
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return close[0]
    # A shortened key ("ca" for "ca_file") is too far for difflib but plain to a reader.
    extended = [option for option in options if len(word) >= 2 and option.startswith(word)]
    return extended[0] if len(extended) == 1 else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean "host"?)`` or nothing, to append to a message."""
    match = suggest(word, candidates)
    return f" (did you mean {quote(match)}?)" if match is not None else ""


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
