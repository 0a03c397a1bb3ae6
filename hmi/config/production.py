"""``[[reasons]]``, ``[shifts]`` and ``[stations.production]``: what downtime and OEE run on.

The reason tree is what operators pick from and what every downtime record
carries, so its codes are unique, its depth bounded and its reserved codes kept
for the HMI. The shift calendar decides which production time counts: shifts
that overlap would count a minute twice, a break outside its shift would count
a planned stop that never happens, so both are refused here rather than found
in a wrong OEE figure weeks later. A station's production settings name the
tags its counts and context come from, checked for their type: a count that is
a string, or an order number that is a float, would make every figure wrong.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass

from hmi.config.fields import Table
from hmi.config.problems import KeyPath, describe, did_you_mean, format_key_path, quote
from hmi.domain.plant import DataType
from hmi.domain.production import (
    MAX_REASON_DEPTH,
    BreakDef,
    ProductionDef,
    ReasonDef,
    ShiftCalendar,
    ShiftDef,
)

TagTypes = Mapping[str, DataType | None]

# Codes the HMI gives itself; a reason of the plant file with one would be mistaken for them.
RESERVED_CODES = {
    "micro_stop": "the HMI gives it to stops shorter than a station's micro_stop_s",
    "break": "the HMI gives it to the breaks of the shift calendar",
}
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
_CLOCK = re.compile(r"(?P<hour>[01]?[0-9]|2[0-3]):(?P<minute>[0-5][0-9])")
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAYS = {name: number for number, name in enumerate(_DAY_NAMES)}
_DAY = 24 * 60
_WEEK = 7 * _DAY
_NUMERIC = (DataType.FLOAT, DataType.INT)
_STRING = (DataType.STRING,)


# --- the reason tree ---------------------------------------------------------------


def read_reasons(tables: list[Table]) -> tuple[ReasonDef, ...]:
    """``[[reasons]]``: the top level of the reason tree, each entry with its children."""
    return _Reasons().level(tables, 1, planned=False, color=ReasonDef("", "").color)


class _Reasons:
    """Reads the tree, remembering where each code was first used."""

    def __init__(self) -> None:
        self._codes: dict[str, KeyPath] = {}

    def level(
        self, tables: list[Table], depth: int, *, planned: bool, color: str
    ) -> tuple[ReasonDef, ...]:
        """Sibling entries; ``planned`` and ``color`` are their parent's, inherited."""
        nodes: list[ReasonDef] = []
        names: dict[str, KeyPath] = {}
        for table in tables:
            node = self._node(table, depth, planned=planned, color=color)
            key = node.name.casefold()
            if key and key in names:
                table.report(
                    "name",
                    f"{quote(node.name)} is the name of {format_key_path(names[key])} too: "
                    "the operator cannot tell the two apart",
                )
            names.setdefault(key, table.path)
            nodes.append(node)
        return tuple(nodes)

    def _node(self, table: Table, depth: int, *, planned: bool, color: str) -> ReasonDef:
        code = self._code(table)
        name = table.required_string("name").strip()
        planned = table.boolean("planned", planned)
        color = _color(table, default=color)
        children: tuple[ReasonDef, ...] = ()
        if depth >= MAX_REASON_DEPTH:
            table.forbid(
                "reasons",
                f"the reason tree is at most {MAX_REASON_DEPTH} levels deep and this entry is "
                "on the last: it is a reason, with no reasons under it",
            )
        elif table.raw("reasons") == []:
            table.report(
                "reasons",
                "expected at least one reason under this category, got an empty array "
                "(leave reasons out to make this entry a reason)",
            )
        else:
            children = self.level(table.tables("reasons"), depth + 1, planned=planned, color=color)
        table.finish()
        return ReasonDef(code, name, planned, color, children)

    def _code(self, table: Table) -> str:
        code = table.identifier("code")
        reserved = RESERVED_CODES.get(code.lower())
        if reserved is not None:
            table.report("code", f"{quote(code)} is reserved: {reserved}")
        elif code in self._codes:
            where = format_key_path(self._codes[code])
            table.report("code", f"duplicate reason code {quote(code)}, first used at {where}")
        elif code:
            self._codes[code] = table.path
        return code


def _color(table: Table, *, default: str) -> str:
    value = table.string("color")
    if value is None:
        return default
    if not _COLOR.fullmatch(value):
        table.report("color", f'expected a color as "#rrggbb" (six hex digits), got {quote(value)}')
        return default
    return value.lower()


# --- the shift calendar ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Placed:
    """A shift whose times and days could be read, for the checks between shifts."""

    table: Table
    shift: ShiftDef


def read_shifts(table: Table | None) -> ShiftCalendar:
    """``[shifts]``: the time zone and the ``[[shifts.shift]]`` entries."""
    if table is None:
        return ShiftCalendar()
    timezone = _read_timezone(table)
    shifts: list[ShiftDef] = []
    placed: list[_Placed] = []
    for entry in table.tables("shift"):
        shift, ok = _read_shift(entry)
        shifts.append(shift)
        if ok:
            placed.append(_Placed(entry, shift))
    _check_names(placed)
    _check_overlaps(placed)
    table.finish()
    return ShiftCalendar(timezone, tuple(shifts))


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _read_timezone(table: Table) -> str:
    """An IANA name known to the time zone database; "localtime" is this machine's, not one."""
    default = ShiftCalendar().timezone
    if not table.has("timezone"):
        table.missing("timezone", 'an IANA time zone name such as "Europe/Berlin"')
    name = table.string("timezone")
    if name is None:
        return default
    known = _time_zones()
    if not known:
        table.report(
            "timezone", "no time zone database found on this machine: install the tzdata package"
        )
    elif name not in known or name == "localtime":
        table.report(
            "timezone",
            f'expected an IANA time zone name such as "Europe/Berlin", got {quote(name)}'
            + did_you_mean(name, known - {"localtime"}),
        )
    else:
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            table.report("timezone", f"{quote(name)} cannot be read from the time zone database")
    return name


def _read_shift(table: Table) -> tuple[ShiftDef, bool]:
    """One shift, and whether its times and days can be compared with the other shifts'."""
    name = table.required_string("name").strip()
    start = _clock(table, "start")
    end = _clock(table, "end")
    minutes = None
    if start is not None and end is not None:
        minutes = (end - start) % _DAY
        if minutes == 0:
            table.report(
                "end",
                f"expected a time other than start ({_hhmm(start)}): a shift is shorter "
                "than 24 hours (an end before the start runs past midnight)",
            )
            minutes = None
    days = _read_days(table)
    breaks = _read_breaks(table, start, minutes)
    table.finish()
    shift = ShiftDef(name, start or 0, minutes or _DAY, days or frozenset(), breaks)
    return shift, minutes is not None and days is not None and bool(name)


def _clock(table: Table, key: str) -> int | None:
    """A time of day, "HH:MM" or a TOML local time in whole minutes, as minutes after midnight."""
    value = table.raw(key)
    if value is None:
        table.missing(key, 'a time of day as "HH:MM"')
        return None
    if isinstance(value, dt.time) and not value.second and not value.microsecond:
        return value.hour * 60 + value.minute
    match = _CLOCK.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        table.report(
            key, f'expected a time of day as "HH:MM", 00:00 to 23:59, got {describe(value)}'
        )
        return None
    return int(match["hour"]) * 60 + int(match["minute"])


def _hhmm(minutes: int) -> str:
    minutes %= _DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _read_days(table: Table) -> frozenset[int] | None:
    """The weekdays the shift starts on; every day when absent; None when unreadable."""
    table.expect("days")  # named by finish() when misspelt
    if not table.has("days"):
        return frozenset(range(7))
    items = table.strings("days")
    value = table.raw("days")
    if not isinstance(value, list):
        return None
    if not value:
        table.report(
            "days", "expected at least one day, got an empty array (leave days out for every day)"
        )
        return None
    ok = len(items) == len(value)
    days: set[int] = set()
    for index, word in items:
        day = _DAYS.get(word)
        if day is None:
            short = word.lower()[:3]
            hint = f" (did you mean {quote(short)}?)" if short in _DAYS else ""
            message = f"expected one of: {', '.join(_DAY_NAMES)}; got {describe(word)}{hint}"
        elif day in days:
            message = f"{quote(word)} is listed twice"
        else:
            days.add(day)
            continue
        table.problems.add(table.at("days", index), message)
        ok = False
    return frozenset(days) if ok else None


def _read_breaks(table: Table, start: int | None, minutes: int | None) -> tuple[BreakDef, ...]:
    """The shift's breaks; each must lie inside the shift (when its times are known)."""
    breaks: list[tuple[Table, BreakDef]] = []
    for entry in table.tables("breaks"):
        name = (entry.string("name") or "Break").strip()
        begin = _clock(entry, "start")
        if not entry.has("minutes"):
            entry.missing("minutes", "the length of the break in minutes, an integer > 0")
        length = entry.integer("minutes", 0, lo=1)
        entry.finish()
        if begin is None or not length or start is None or minutes is None:
            continue
        offset = (begin - start) % _DAY
        window = f"{_hhmm(start)} to {_hhmm(start + minutes)}"
        if offset >= minutes:
            entry.report("start", f"expected a time within the shift, {window}; got {_hhmm(begin)}")
            continue
        if offset + length > minutes:
            entry.report(
                "minutes",
                f"expected at most {minutes - offset}: the break would end at "
                f"{_hhmm(begin + length)}, after the shift ({window})",
            )
            continue
        placed = BreakDef(name, start + offset, length)
        for other_table, other in breaks:
            lo = max(placed.start_min, other.start_min)
            hi = min(placed.start_min + length, other.start_min + other.minutes)
            if lo < hi:
                entry.report(
                    "start",
                    f"overlaps break {quote(other.name)} ({format_key_path(other_table.path)}) "
                    f"from {_hhmm(lo)} to {_hhmm(hi)}",
                )
                break
        else:
            breaks.append((entry, placed))
    return tuple(placed for _, placed in breaks)


def _check_names(placed: list[_Placed]) -> None:
    """A name may come back on other days (a short Saturday "Early"), never twice on a day."""
    seen: dict[str, list[_Placed]] = {}
    for entry in placed:
        same_name = seen.setdefault(entry.shift.name.casefold(), [])
        for other in same_name:
            common = other.shift.days & entry.shift.days
            if common:
                entry.table.report(
                    "name",
                    f"shift {quote(entry.shift.name)} is at {format_key_path(other.table.path)} "
                    f"too, on {_day_list(common)}: a name is used once a day",
                )
                break
        same_name.append(entry)


def _check_overlaps(placed: list[_Placed]) -> None:
    """No minute of the week belongs to two shifts; each overlap is reported on the later one."""
    for index, later in enumerate(placed):
        for earlier in placed[:index]:
            windows = _overlaps(earlier.shift, later.shift)
            if windows:
                later.table.problems.add(
                    later.table.path,
                    f"overlaps shift {quote(earlier.shift.name)} "
                    f"({format_key_path(earlier.table.path)}) {windows}",
                )


def _overlaps(first: ShiftDef, second: ShiftDef) -> str:
    """``from 13:00 to 14:00 on mon, tue``, one part per window of time; empty when none."""
    by_window: dict[tuple[int, int], set[int]] = {}
    for day_a in first.days:
        a = day_a * _DAY + first.start_min
        for day_b in second.days:
            for wrap in (-_WEEK, 0, _WEEK):  # a Sunday night shift runs into Monday
                b = day_b * _DAY + second.start_min + wrap
                lo, hi = max(a, b), min(a + first.minutes, b + second.minutes)
                if lo < hi:
                    window = (lo % _DAY, hi % _DAY)
                    by_window.setdefault(window, set()).add(lo % _WEEK // _DAY)
    return "; ".join(
        f"from {_hhmm(lo)} to {_hhmm(hi)} on {_day_list(days)}"
        for (lo, hi), days in sorted(by_window.items())
    )


def _day_list(days: frozenset[int] | set[int]) -> str:
    return ", ".join(_DAY_NAMES[day] for day in sorted(days))


# --- a station's production ------------------------------------------------------------


def read_production(table: Table, tag_types: TagTypes | None) -> ProductionDef:
    """``[stations.production]``; ``tag_types`` is None when ``tags`` is unreadable."""
    if not table.has("ideal_cycle_s"):
        table.missing("ideal_cycle_s", "the ideal cycle time in seconds per part, a number > 0")
    ideal_cycle = table.number("ideal_cycle_s", 1.0, above=0)
    good = _tag(table, "good_count", tag_types, _NUMERIC, "a count")
    reject = _tag(table, "reject_count", tag_types, _NUMERIC, "a count")
    if reject is not None and not table.has("good_count"):
        table.report("reject_count", "needs a good_count: quality is good parts over all parts")
    elif reject is not None and reject == good:
        table.report(
            "reject_count",
            f"{quote(reject)} is the good_count tag too: good and rejected parts are counted apart",
        )
    production = ProductionDef(
        ideal_cycle_s=ideal_cycle,
        good_count_tag=good,
        reject_count_tag=reject,
        micro_stop_s=table.number("micro_stop_s", ProductionDef(1.0).micro_stop_s, lo=0),
        order_tag=_tag(table, "order", tag_types, _STRING, "the order"),
        product_tag=_tag(table, "product", tag_types, _STRING, "the product"),
        batch_tag=_tag(table, "batch", tag_types, _STRING, "the batch"),
    )
    table.finish()
    return production


def _tag(
    table: Table,
    key: str,
    tag_types: TagTypes | None,
    allowed: tuple[DataType, ...],
    what: str,
) -> str | None:
    """A tag id, declared and of an allowed type (when the tags can be told)."""
    tag_id = table.string(key)
    if tag_id is None or tag_types is None:
        return tag_id
    if tag_id not in tag_types:
        table.report(key, f"no tag has the id {quote(tag_id)}" + did_you_mean(tag_id, tag_types))
        return tag_id
    data_type = tag_types[tag_id]
    if data_type is not None and data_type not in allowed:
        types = " or ".join(f'"{allowed_type}"' for allowed_type in allowed)
        table.report(key, f'{what} comes from a {types} tag; tag {quote(tag_id)} is "{data_type}"')
    return tag_id
