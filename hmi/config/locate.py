"""Where in the plant file a key is written: line numbers for problems.

tomllib returns plain dicts without positions, so the text is read a second
time, line by line, just far enough to follow table headers (``[plant]``,
``[sources.tls]``, ``[[tags]]``, counting array-of-tables entries to know their
indexes) and ``key =`` lines, including dotted and quoted keys. Strings and
multi-line arrays are skipped so that their contents are never taken for keys.
A key that is not written anywhere (a missing required key) is placed on the
line of the nearest enclosing table or key that is. Only text that tomllib
has accepted is ever scanned here.
"""

from __future__ import annotations

import enum
import tomllib

from hmi.config.problems import KeyPath


class _Mode(enum.Enum):
    CODE = enum.auto()
    MULTILINE_BASIC = enum.auto()  # inside """ ... """
    MULTILINE_LITERAL = enum.auto()  # inside ''' ... '''


class KeyLocator:
    """Maps key paths of one TOML text to the line (1-based) that writes them."""

    def __init__(self, text: str) -> None:
        self._lines: dict[KeyPath, int] = {}
        self._array_sizes: dict[KeyPath, int] = {}
        self._scan(text)

    def line_of(self, path: KeyPath) -> int | None:
        """The line of ``path``, else of its nearest written parent, else None."""
        for end in range(len(path), 0, -1):
            line = self._lines.get(path[:end])
            if line is not None:
                return line
        return None

    def _scan(self, text: str) -> None:
        table: KeyPath = ()
        lexer = _Lexer()
        # TOML ends lines with \n only (or \r\n); str.splitlines would also split
        # on characters such as U+2028 inside strings and shift every line after.
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.removesuffix("\r")
            start = len(line) - len(line.lstrip(" \t"))
            if lexer.at_top_level:
                if line.startswith("[", start):
                    table = self._header(line, start, table, number)
                    continue  # after a header there is at most a comment
                equals = _key_end(line, start)
                if equals is not None:
                    keys = _decode_key(line[start:equals])
                    if keys is not None:
                        self._note(table + keys, number)
                    lexer.feed(line, equals + 1)
                    continue
            lexer.feed(line, 0)

    def _header(self, line: str, start: int, table: KeyPath, number: int) -> KeyPath:
        is_array = line.startswith("[[", start)
        opening = start + (2 if is_array else 1)
        closing = _find_closing(line, opening, "]]" if is_array else "]")
        keys = None if closing is None else _decode_key(line[opening:closing])
        if not keys:
            return table
        if is_array:
            array = (*self._resolve(keys[:-1]), keys[-1])
            index = self._array_sizes.get(array, 0)
            self._array_sizes[array] = index + 1
            self._note(array, number)
            table = (*array, index)
        else:
            table = self._resolve(keys)
        self._note(table, number)
        return table

    def _resolve(self, keys: tuple[str, ...]) -> KeyPath:
        """Turn header keys into a path: a key naming an array of tables means its last entry."""
        path: KeyPath = ()
        for key in keys:
            path = (*path, key)
            size = self._array_sizes.get(path)
            if size is not None:
                path = (*path, size - 1)
        return path

    def _note(self, path: KeyPath, number: int) -> None:
        """Record a path and its parents; the first line to mention a path wins."""
        for end in range(1, len(path) + 1):
            self._lines.setdefault(path[:end], number)


class _Lexer:
    """Tracks, across lines, whether the scan is inside a multi-line string or array."""

    def __init__(self) -> None:
        self.mode = _Mode.CODE
        self.depth = 0  # open [ and { brackets

    @property
    def at_top_level(self) -> bool:
        return self.mode is _Mode.CODE and self.depth == 0

    def feed(self, line: str, position: int) -> None:
        i = position
        while i < len(line):
            if self.mode is _Mode.MULTILINE_BASIC:
                if line[i] == "\\":
                    i += 2
                    continue
                i = self._close_multiline(line, i, '"')
            elif self.mode is _Mode.MULTILINE_LITERAL:
                i = self._close_multiline(line, i, "'")
            else:
                i = self._code(line, i)

    def _close_multiline(self, line: str, i: int, quote: str) -> int:
        if not line.startswith(quote * 3, i):
            return i + 1
        end = i
        while end < len(line) and line[end] == quote and end - i < 5:
            end += 1  # up to two quotes of content may sit before the closing three
        self.mode = _Mode.CODE
        return end

    def _code(self, line: str, i: int) -> int:
        char = line[i]
        if char == "#":
            return len(line)
        if char in "\"'":
            if line.startswith(char * 3, i):
                self.mode = _Mode.MULTILINE_BASIC if char == '"' else _Mode.MULTILINE_LITERAL
                return i + 3
            end = _string_end(line, i)
            return len(line) if end is None else end
        if char in "[{":
            self.depth += 1
        elif char in "]}":
            self.depth = max(0, self.depth - 1)
        return i + 1


def _string_end(line: str, i: int) -> int | None:
    """Index just after the one-line string that opens at ``line[i]``."""
    quote = line[i]
    j = i + 1
    while j < len(line):
        if quote == '"' and line[j] == "\\":
            j += 2
            continue
        if line[j] == quote:
            return j + 1
        j += 1
    return None


def _key_end(line: str, start: int) -> int | None:
    """Index of the ``=`` when the line starts with a (dotted, quoted) key."""
    i = start
    while i < len(line):
        char = line[i]
        if char == "=":
            return i if i > start else None
        if char in "\"'":
            end = _string_end(line, i)
            if end is None:
                return None
            i = end
        elif char.isascii() and (char.isalnum() or char in "_-. \t"):
            i += 1
        else:
            return None
    return None


def _find_closing(line: str, start: int, closing: str) -> int | None:
    """Index of the header's closing bracket(s), skipping quoted keys."""
    i = start
    while i < len(line):
        if line[i] in "\"'":
            end = _string_end(line, i)
            if end is None:
                return None
            i = end
        elif line.startswith(closing, i):
            return i
        else:
            i += 1
    return None


def _decode_key(text: str) -> tuple[str, ...] | None:
    """The keys of a dotted key as TOML reads them, quotes and escapes resolved.

    tomllib itself decodes them, so every escape and quoting rule is honoured.
    """
    try:
        document: object = tomllib.loads(f"{text} = 0")
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return None
    keys: list[str] = []
    while isinstance(document, dict) and len(document) == 1:
        ((key, document),) = document.items()
        keys.append(key)
    if not keys or document != 0:
        return None
    return tuple(keys)
