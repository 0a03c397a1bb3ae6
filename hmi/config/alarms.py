"""``[[alarms]]``: the rationalized alarms of the plant, each watching one tag.

An alarm that cannot fire (a limit on a string tag, a bit of a float, a
setpoint outside the tag's range) or that would show on the wrong station is
found here, at load time, rather than on the line, where it would stay silent
until the day it matters. Limit alarms and a tag's ``limits`` are one set of
numbers: they must agree, and a limit that only an alarm gives is added to the
tag, so that trends draw the lines at which the alarms fire.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

from hmi.config.fields import Table, finite_number, show
from hmi.config.problems import describe, did_you_mean, format_key_path, quote
from hmi.domain.alarms import (
    COMMS_KINDS,
    DEFAULT_MAX_SHELVE_S,
    HIGH_KINDS,
    LIMIT_KINDS,
    LOW_KINDS,
    AlarmDef,
    AlarmKind,
    Priority,
)
from hmi.domain.plant import DataType, LimitKind, MachineState, StationDef, TagDef

Limits = tuple[tuple[LimitKind, float], ...]

# Conditions are not written in the plant file: their OPC UA server declares them.
_KINDS = {kind.value: kind for kind in AlarmKind if kind is not AlarmKind.CONDITION}
_PRIORITIES = {priority.name.lower(): priority for priority in Priority}
# "unknown" is no reason to hide an alarm: a station whose state cannot be told may be in trouble.
_STATES = {state.value: state for state in MachineState if state is not MachineState.UNKNOWN}
_NUMERIC = (DataType.FLOAT, DataType.INT)
_TYPES_OF: dict[AlarmKind, tuple[DataType, ...]] = {
    **dict.fromkeys(LIMIT_KINDS, _NUMERIC),
    AlarmKind.RATE: _NUMERIC,
    AlarmKind.BIT: (DataType.INT,),
}
# Words integrators write for a kind that the usual suggestion gets wrong ("high" looks
# more like "hihi" than "hi").
_KIND_WORDS = {"high": AlarmKind.HI, "low": AlarmKind.LO}
_WATCHES = {AlarmKind.SOURCE_LOST: "the source's connection", AlarmKind.STALE: "the tag's quality"}
_LIMIT_ORDER = "lolo <= lo < hi <= hihi"
# Shelving is for a nuisance alarm until the next repair; longer is "out of service".
MAX_SHELVE_MIN = 7 * 24 * 60


@dataclass(frozen=True, slots=True)
class KnownTags:
    """What the alarms may refer to; ``types`` is None when ``tags`` is unreadable.

    ``types`` maps every declared tag id to its data type (None when that is
    unreadable); ``defs`` holds the tags that could be read, for their range and limits.
    """

    types: Mapping[str, DataType | None] | None
    defs: Mapping[str, TagDef]


@dataclass(frozen=True, slots=True)
class KnownStations:
    """The stations by id; ``complete`` is False when some station's ``tags`` had a problem.

    Then a tag that no station lists may be the one misspelt there, and an
    alarm on it is spared a "give a station" problem that is not its own.
    """

    by_id: Mapping[str, StationDef]
    complete: bool = True


def read_alarms(
    tables: list[Table], tags: KnownTags, stations: KnownStations | None
) -> tuple[tuple[AlarmDef, ...], dict[str, Limits]]:
    """Every alarm, and the tags whose limits the limit alarms complete (tag id -> limits).

    ``stations`` is None when ``stations`` is unreadable: then no station is checked.
    """
    alarms: list[AlarmDef] = []
    usable: list[tuple[Table, AlarmDef]] = []
    for table in tables:
        alarm, ok = _read_alarm(table, tags, stations)
        alarms.append(alarm)
        if ok:
            usable.append((table, alarm))
    return tuple(alarms), _limits(usable, tags.defs)


def _read_alarm(
    table: Table, tags: KnownTags, stations: KnownStations | None
) -> tuple[AlarmDef, bool]:
    """One alarm, and whether its tag, kind and setpoint can be compared with the others."""
    alarm_id = table.identifier("id")
    before = len(table.problems.found)
    tag_id = _read_tag(table, tags)
    data_type = tags.types.get(tag_id) if tags.types is not None else None
    tag = tags.defs.get(tag_id)
    kind = _read_kind(table, tag_id, data_type)
    setpoint, text = _read_setpoint(table, kind, data_type, tag)
    usable = kind is not None and len(table.problems.found) == before
    deadband = _read_deadband(table, kind, setpoint if usable else None)
    rate_window = 10.0
    if kind is AlarmKind.RATE:
        rate_window = table.number("rate_window_s", rate_window, above=0)
    elif kind is not None:
        table.forbid("rate_window_s", f'applies to "rate" alarms only; this alarm is "{kind}"')
    else:
        table.expect("rate_window_s")
    known_tag = tags.types is not None and tag_id in tags.types
    station_id, station = _read_station(table, tag_id, known_tag, stations)
    alarm = AlarmDef(
        id=alarm_id,
        station=station_id,
        tag=tag_id,
        kind=kind or AlarmKind.STALE,  # a stand-in: an unknown kind is a problem already
        priority=table.required_choice("priority", _PRIORITIES) or Priority.LOW,
        message=table.required_string("message").strip(),
        response=(table.string("response", empty_ok=True) or "").strip(),
        setpoint=setpoint,
        text=text,
        deadband=deadband,
        on_delay_s=table.number("on_delay_s", 0.0, lo=0),
        off_delay_s=table.number("off_delay_s", 0.0, lo=0),
        rate_window_s=rate_window,
        max_shelve_s=_read_max_shelve(table) * 60,
        suppress_when=_read_suppress_when(table, station),
    )
    table.finish()
    return alarm, usable


def _read_tag(table: Table, tags: KnownTags) -> str:
    tag_id = table.required_string("tag")
    if tag_id and tags.types is not None and tag_id not in tags.types:
        table.report("tag", f"no tag has the id {quote(tag_id)}" + did_you_mean(tag_id, tags.types))
    return tag_id


def _read_kind(table: Table, tag_id: str, data_type: DataType | None) -> AlarmKind | None:
    """The kind, checked against the tag's data type when that is known."""
    value = table.data.get("kind")
    names = ", ".join(_KINDS)
    if value == AlarmKind.CONDITION.value:
        table.forbid(
            "kind",
            '"condition" alarms come from their OPC UA server, not from the plant file: '
            "set conditions = true on the source",
        )
        return None
    if isinstance(value, str) and value.lower() in _KIND_WORDS:
        meant = _KIND_WORDS[value.lower()]
        table.forbid(
            "kind", f"expected one of: {names}; got {quote(value)} (did you mean {quote(meant)}?)"
        )
        return None
    kind = table.required_choice("kind", _KINDS)
    allowed = _TYPES_OF.get(kind) if kind is not None else None
    if allowed is not None and data_type is not None and data_type not in allowed:
        types = " and ".join(f'"{allowed_type}"' for allowed_type in allowed)
        table.report(
            "kind",
            f'"{kind}" alarms apply to {types} tags only; tag {quote(tag_id)} is "{data_type}"',
        )
    return kind


def _read_setpoint(
    table: Table, kind: AlarmKind | None, data_type: DataType | None, tag: TagDef | None
) -> tuple[float, str | None]:
    """``setpoint`` (or ``text``) as the kind reads it: a limit, a value, a bit, a rate."""
    if kind is None:
        table.expect("setpoint", "text")  # spared: the kind is the mistake
        return 0.0, None
    if kind is AlarmKind.EQUALS:
        return _read_equals(table, data_type)
    table.forbid(
        "text", f'applies to "equals" alarms on "string" tags only; this alarm is "{kind}"'
    )
    if kind in COMMS_KINDS:
        table.forbid(
            "setpoint",
            f'does not apply to "{kind}" alarms: they watch {_WATCHES[kind]}, not the value',
        )
        return 0.0, None
    if kind is AlarmKind.BIT:
        if not table.has("setpoint"):
            table.missing("setpoint", "the bit number, an integer from 0 to 63")
        return float(table.integer("setpoint", 0, lo=0, hi=63)), None
    if not table.has("setpoint"):
        what = "the rate, in units per second" if kind is AlarmKind.RATE else "the limit, a number"
        table.missing("setpoint", what)
        return 0.0, None
    if kind is AlarmKind.RATE:
        return table.number("setpoint", 0.0, above=0), None
    number = table.number("setpoint", math.nan)  # NaN: not a finite number (reported)
    if math.isnan(number):
        return 0.0, None
    low, high = (tag.range_lo, tag.range_hi) if tag is not None else (None, None)
    if low is not None and high is not None and not low <= number <= high:
        table.report(
            "setpoint",
            f"expected a number within the tag's range, from {show(low)} to {show(high)}, "
            f"got {show(number)}",
        )
    return number, None


def _read_equals(table: Table, data_type: DataType | None) -> tuple[float, str | None]:
    """Exactly one of ``setpoint`` (numbers and bools) and ``text`` (strings)."""
    if data_type is DataType.STRING:
        if table.has("setpoint"):
            table.forbid(
                "setpoint", 'applies to number and bool tags; this tag is "string": use text'
            )
        elif not table.has("text"):
            table.missing("text", 'the text that raises the alarm, for a "string" tag')
        return 0.0, table.string("text")
    if data_type is not None:
        if table.has("text"):
            message = f'applies to "string" tags only; this tag is "{data_type}": use setpoint'
            table.forbid("text", message)
        elif not table.has("setpoint"):
            table.missing("setpoint", "the value that raises the alarm")
        return _equals_value(table, data_type), None
    # The tag's type is unknown (its own problem): check what can be checked.
    if table.has("setpoint") and table.has("text"):
        table.report("text", "give either setpoint or text, not both")
    elif not table.has("setpoint") and not table.has("text"):
        table.missing("setpoint", 'the value that raises the alarm, or text for a "string" tag')
    text = table.string("text")
    return _equals_value(table, None), text


def _equals_value(table: Table, data_type: DataType | None) -> float:
    value = table.raw("setpoint")
    if value is None:
        return 0.0
    if isinstance(value, bool) and data_type in (DataType.BOOL, None):
        return float(value)
    number = finite_number(value)
    if data_type is DataType.BOOL and number not in (0.0, 1.0):
        table.report(
            "setpoint", f'expected true, false, 0 or 1 for a "bool" tag, got {describe(value)}'
        )
        return 0.0
    if number is None:
        table.report("setpoint", f"expected a number, got {describe(value)}")
        return 0.0
    if data_type is DataType.INT and not number.is_integer():
        table.report("setpoint", f'expected a whole number for an "int" tag, got {describe(value)}')
    return number


def _read_deadband(table: Table, kind: AlarmKind | None, setpoint: float | None) -> float:
    """How far a limit or rate alarm's value must come back before it clears.

    ``setpoint`` is None when it is not usable, and not compared.
    """
    if kind is None:
        table.expect("deadband")
        return 0.0
    if kind not in LIMIT_KINDS and kind is not AlarmKind.RATE:
        table.forbid("deadband", f'applies to limit and rate alarms only; this alarm is "{kind}"')
        return 0.0
    deadband = table.number("deadband", 0.0, lo=0)
    if kind is AlarmKind.RATE and setpoint is not None and deadband >= setpoint:
        table.report(
            "deadband",
            f"expected a number less than setpoint ({show(setpoint)}), got {show(deadband)}: "
            "the alarm would never clear",
        )
    return deadband


def _read_max_shelve(table: Table) -> float:
    """``max_shelve_min``: the longest an operator may shelve the alarm, in minutes."""
    minutes = table.number("max_shelve_min", DEFAULT_MAX_SHELVE_S / 60, above=0)
    if minutes > MAX_SHELVE_MIN:
        table.report(
            "max_shelve_min",
            f"expected at most {MAX_SHELVE_MIN} (7 days), got {show(minutes)}: "
            "take an alarm out of service for longer",
        )
        return DEFAULT_MAX_SHELVE_S / 60
    return minutes


def _read_station(
    table: Table, tag_id: str, known_tag: bool, stations: KnownStations | None
) -> tuple[str, StationDef | None]:
    """The station given, else the one that lists the tag; None when it cannot be told."""
    given = table.string("station")
    if stations is None:
        return given or "", None
    by_id = stations.by_id
    if given is not None:
        station = by_id.get(given)
        if station is None:
            message = f"no station has the id {quote(given)}" + did_you_mean(given, by_id)
            table.report("station", message)
        return given, station
    if not known_tag:
        return "", None  # the tag's problem, not the station's
    owners = [station for station in by_id.values() if tag_id in station.tags]
    if len(owners) == 1:
        return owners[0].id, owners[0]
    if not owners and not stations.complete:
        return "", None  # perhaps the tag misspelt in a station's list: that one's problem
    if owners:
        listed = " and ".join(quote(station.id) for station in owners)
        reason = f"{quote(tag_id)} is in the tags of stations {listed}"
    else:
        reason = f"no station lists {quote(tag_id)} in its tags"
    table.missing("station", f"a station id, since {reason}")
    return "", None


def _read_suppress_when(table: Table, station: StationDef | None) -> frozenset[MachineState]:
    """The machine states of the alarm's station in which the alarm is meaningless."""
    states: list[MachineState] = []
    for index, word in table.strings("suppress_when"):
        state = _STATES.get(word)
        if word == MachineState.UNKNOWN.value:
            message = (
                '"unknown" cannot suppress an alarm: a station whose state cannot be told '
                "may be in trouble"
            )
        elif state is None:
            message = f"expected one of: {', '.join(_STATES)}; got {describe(word)}"
            message += did_you_mean(word, _STATES)
        elif state in states:
            message = f"{quote(word)} is listed twice"
        else:
            states.append(state)
            continue
        table.problems.add(table.at("suppress_when", index), message)
    if states and station is not None and station.state_tag is None:
        table.report(
            "suppress_when",
            f"needs a station with a state_tag; station {quote(station.id)} has none",
        )
    return frozenset(states)


def _limits(usable: list[tuple[Table, AlarmDef]], tags: Mapping[str, TagDef]) -> dict[str, Limits]:
    """Limit alarms against each other and their tag's ``limits``; the limits to complete."""
    by_tag: dict[str, list[tuple[Table, AlarmDef]]] = {}
    for table, alarm in usable:
        if alarm.kind in LIMIT_KINDS:
            by_tag.setdefault(alarm.tag, []).append((table, alarm))
    completed: dict[str, Limits] = {}
    for tag_id, entries in by_tag.items():
        tag = tags.get(tag_id)
        declared = dict(tag.limits) if tag is not None else {}
        # Each limit: its value and where it is written (None: the tag's limits alone),
        # and the alarm on it, for one alarm per limit.
        points: dict[LimitKind, tuple[float, Table | None]] = {
            kind: (value, None) for kind, value in declared.items()
        }
        owners: dict[LimitKind, Table] = {}
        for table, alarm in entries:
            kind = LimitKind(alarm.kind.value)
            owner = owners.setdefault(kind, table)
            if owner is not table:
                table.report(
                    "kind",
                    f"tag {quote(tag_id)} has a {kind} alarm already, at "
                    f"{format_key_path(owner.path)}: one alarm per limit of a tag",
                )
            elif kind in declared and alarm.setpoint != declared[kind]:
                table.report(
                    "setpoint",
                    f"expected the tag's limits.{kind} ({show(declared[kind])}), got "
                    f"{show(alarm.setpoint)}: trends draw the tag's limits, and the alarm "
                    "must fire at the line they show",
                )
            else:
                points[kind] = (alarm.setpoint, table)
        _check_order(tag_id, points, [table for table, _ in entries])
        if tag is not None and len(points) > len(declared):
            completed[tag_id] = tuple(
                (kind, points[kind][0]) for kind in LimitKind if kind in points
            )
    return completed


def _check_order(
    tag_id: str, points: Mapping[LimitKind, tuple[float, Table | None]], written: list[Table]
) -> None:
    """lolo <= lo < hi <= hihi, reported on the later alarm (in ``written``) of a pair."""
    present = [(kind, *points[kind]) for kind in LimitKind if kind in points]
    for (low_kind, low, low_table), (high_kind, high, high_table) in pairwise(present):
        strict = AlarmKind(low_kind) in LOW_KINDS and AlarmKind(high_kind) in HIGH_KINDS
        if low < high or (low == high and not strict):
            continue
        alarms = [table for table in (low_table, high_table) if table is not None]
        if not alarms:
            continue  # the tag's own limits, checked with the tag
        last = max(alarms, key=written.index)
        last.report(
            "setpoint",
            f"expected {_LIMIT_ORDER} for the limits of tag {quote(tag_id)}; got "
            f"{low_kind} = {show(low)} ({_origin(low_table)}) and "
            f"{high_kind} = {show(high)} ({_origin(high_table)})",
        )


def _origin(table: Table | None) -> str:
    return "the tag's limits" if table is None else format_key_path(table.path)
