"""``[[alarms]]`` in the plant file: every key read, every mistake refused with its line,
limit alarms kept in step with the tags' limits, and the demo's alarms worth showing."""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmi.config import ConfigError, ConfigProblem, load_plant, load_plant_text
from hmi.domain.alarms import (
    DEFAULT_MAX_SHELVE_S,
    AlarmDef,
    AlarmEngine,
    AlarmKind,
    Event,
    Priority,
)
from hmi.domain.plant import (
    DataType,
    LimitKind,
    MachineState,
    OpcUaSource,
    PlantDef,
    TagDef,
)
from hmi.domain.quality import Quality
from hmi.sim import demo_plant_path
from hmi.sim.line import BottlingLine, LineSnapshot
from hmi.sim.opcua_server import STATE_CODES

DOCS = Path(__file__).resolve().parents[1] / "docs" / "plant-file.md"

BASE = """\
[plant]
name = "Alarm test line"

[[sources]]
id = "plc"
type = "opcua"
url = "opc.tcp://plc:4840"

[[sources]]
id = "broker"
type = "mqtt"
host = "broker.local"

[[tags]]
id = "temp"
source = "plc"
node = "ns=2;s=Temp"
range = [0, 120]
limits = { hi = 85 }

[[tags]]
id = "level"
source = "plc"
node = "ns=2;s=Level"

[[tags]]
id = "status"
type = "int"
source = "plc"
node = "ns=2;s=Status"

[[tags]]
id = "running"
type = "bool"
source = "plc"
node = "ns=2;s=Running"

[[tags]]
id = "recipe"
type = "string"
source = "plc"
node = "ns=2;s=Recipe"

[[tags]]
id = "mode"
type = "int"
source = "plc"
node = "ns=2;s=Mode"

[[tags]]
id = "air"
type = "bool"
source = "broker"
topic = "utility/air"
codec = "bool"

[[stations]]
id = "filler"
tags = ["temp", "level", "status", "running", "recipe", "air"]
state_tag = "mode"

[stations.state_map]
0 = "stopped"
1 = "running"
2 = "idle"

[[stations]]
id = "utility"
tags = ["air"]
"""
OPCUA_SOURCE = 'url = "opc.tcp://plc:4840"'


def alarm(*lines: str, **keys: str) -> str:
    """An ``[[alarms]]`` entry: ``keys`` as TOML values (a ``None``-free subset of the
    defaults below, which ``keys`` override or remove with ``""``), then ``lines``."""
    values = {
        "id": '"a"',
        "tag": '"level"',
        "kind": '"hi"',
        "setpoint": "50",
        "priority": '"medium"',
        "message": '"Level high"',
    }
    values.update(keys)
    body = [f"{key} = {value}" for key, value in values.items() if value]
    return "\n".join(["[[alarms]]", *body, *lines]) + "\n"


def plant(*alarms: str, base: str = BASE) -> str:
    return base + "".join(f"\n{entry}" for entry in alarms)


def line_of(text: str, marker: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line containing ``marker``."""
    hits = [number for number, line in enumerate(text.split("\n"), 1) if marker in line]
    return hits[occurrence - 1]


def problems_of(text: str) -> list[ConfigProblem]:
    with pytest.raises(ConfigError) as caught:
        load_plant_text(text, "plant.toml")
    return caught.value.problems


def found(text: str) -> list[tuple[str, int | None, str]]:
    return [(p.key_path, p.line, p.message) for p in problems_of(text)]


# --- reading ------------------------------------------------------------------------


def test_every_key_is_read() -> None:
    text = plant(
        alarm(
            'response = "  Check the heater.\\n"',
            "deadband = 1.5",
            "on_delay_s = 2",
            "off_delay_s = 5.5",
            "max_shelve_min = 120",
            'suppress_when = ["stopped", "planned_stop"]',
            'station = "filler"',
            id='"temp.hi"',
            tag='"temp"',
            setpoint="85.0",
            priority='"high"',
            message='"  Filler bowl temperature high "',
        )
    )
    (definition,) = load_plant_text(text).alarms
    assert definition == AlarmDef(
        id="temp.hi",
        station="filler",
        tag="temp",
        kind=AlarmKind.HI,
        priority=Priority.HIGH,
        message="Filler bowl temperature high",
        response="Check the heater.",
        setpoint=85.0,
        deadband=1.5,
        on_delay_s=2,
        off_delay_s=5.5,
        max_shelve_s=7200,
        suppress_when=frozenset({MachineState.STOPPED, MachineState.PLANNED_STOP}),
    )


def test_defaults() -> None:
    (definition,) = load_plant_text(plant(alarm())).alarms
    assert definition == AlarmDef(
        id="a",
        station="filler",  # the one station whose tags list "level"
        tag="level",
        kind=AlarmKind.HI,
        priority=Priority.MEDIUM,
        message="Level high",
        setpoint=50,
    )
    assert (definition.response, definition.text, definition.deadband) == ("", None, 0)
    assert (definition.on_delay_s, definition.off_delay_s, definition.rate_window_s) == (0, 0, 10)
    assert definition.max_shelve_s == DEFAULT_MAX_SHELVE_S
    assert definition.suppress_when == frozenset()


def test_no_alarms_is_fine() -> None:
    assert load_plant_text(BASE).alarms == ()


def test_every_kind() -> None:
    text = plant(
        alarm(id='"hihi"', kind='"hihi"', setpoint="95"),
        alarm(id='"hi"', kind='"hi"', setpoint="90"),
        alarm(id='"lo"', kind='"lo"', setpoint="10"),
        alarm(id='"lolo"', kind='"lolo"', setpoint="-5.5"),
        alarm(id='"status.eq"', tag='"status"', kind='"equals"', setpoint="3"),
        alarm(id='"running.eq"', tag='"running"', kind='"equals"', setpoint="false"),
        alarm(id='"running.one"', tag='"running"', kind='"equals"', setpoint="1"),
        alarm('text = "JAM"', id='"recipe.eq"', tag='"recipe"', kind='"equals"', setpoint=""),
        alarm(id='"bit"', tag='"status"', kind='"bit"', setpoint="63"),
        alarm("rate_window_s = 30", "deadband = 0.5", id='"rate"', kind='"rate"', setpoint="2"),
        alarm(id='"lost"', tag='"recipe"', kind='"source_lost"', setpoint=""),
        alarm(id='"stale"', tag='"air"', kind='"stale"', setpoint="", station='"utility"'),
    )
    alarms = {definition.id: definition for definition in load_plant_text(text).alarms}
    assert [(d.kind, d.setpoint, d.text) for d in alarms.values()] == [
        (AlarmKind.HIHI, 95, None),
        (AlarmKind.HI, 90, None),
        (AlarmKind.LO, 10, None),
        (AlarmKind.LOLO, -5.5, None),
        (AlarmKind.EQUALS, 3, None),
        (AlarmKind.EQUALS, 0, None),
        (AlarmKind.EQUALS, 1, None),
        (AlarmKind.EQUALS, 0, "JAM"),
        (AlarmKind.BIT, 63, None),
        (AlarmKind.RATE, 2, None),
        (AlarmKind.SOURCE_LOST, 0, None),
        (AlarmKind.STALE, 0, None),
    ]
    assert (alarms["rate"].rate_window_s, alarms["rate"].deadband) == (30, 0.5)
    assert alarms["stale"].station == "utility"
    assert all(d.station == "filler" for d in alarms.values() if d.id != "stale")


def test_a_hihi_may_equal_the_hi_and_a_lo_the_lolo() -> None:
    text = plant(
        alarm(id='"hi"', setpoint="90"),
        alarm(id='"hihi"', kind='"hihi"', setpoint="90"),
        alarm(id='"lo"', kind='"lo"', setpoint="10"),
        alarm(id='"lolo"', kind='"lolo"', setpoint="10"),
    )
    assert len(load_plant_text(text).alarms) == 4


def test_the_station_may_be_any_station() -> None:
    # A tag listed by no station, or by several: the alarm names its station.
    text = plant(
        alarm(id='"mode"', tag='"mode"', kind='"equals"', setpoint="9", station='"filler"'),
        alarm(id='"air"', tag='"air"', kind='"stale"', setpoint="", station='"filler"'),
        alarm(id='"level"', station='"utility"'),
    )
    assert [d.station for d in load_plant_text(text).alarms] == ["filler", "filler", "utility"]


def test_opcua_conditions() -> None:
    plc = load_plant_text(BASE).source("plc")
    assert isinstance(plc, OpcUaSource)
    assert (plc.conditions, plc.conditions_station) == (False, None)
    text = BASE.replace(
        OPCUA_SOURCE, f'{OPCUA_SOURCE}\nconditions = true\nconditions_station = "utility"'
    )
    plc = load_plant_text(text).source("plc")
    assert isinstance(plc, OpcUaSource)
    assert (plc.conditions, plc.conditions_station) == (True, "utility")


# --- limit alarms and the tags' limits ------------------------------------------------


def test_limits_are_completed_from_the_alarms() -> None:
    text = plant(
        alarm(id='"temp.hihi"', tag='"temp"', kind='"hihi"', setpoint="100"),
        alarm(id='"temp.hi"', tag='"temp"', kind='"hi"', setpoint="85"),  # as declared
        alarm(id='"temp.lolo"', tag='"temp"', kind='"lolo"', setpoint="2"),
        alarm(id='"level.lo"', tag='"level"', kind='"lo"', setpoint="10.5"),
        alarm(id='"level.rate"', tag='"level"', kind='"rate"', setpoint="1"),
        alarm(id='"status.eq"', tag='"status"', kind='"equals"', setpoint="1"),
    )
    loaded = load_plant_text(text)
    # In the order lolo, lo, hi, hihi, whatever the order of the alarms.
    assert loaded.tag("temp").limits == (
        (LimitKind.LOLO, 2),
        (LimitKind.HI, 85),
        (LimitKind.HIHI, 100),
    )
    assert loaded.tag("level").limits == ((LimitKind.LO, 10.5),)
    assert loaded.tag("status").limits == ()  # not a limit alarm
    # Nothing else about a tag changes.
    before = load_plant_text(BASE).tag("temp")
    assert loaded.tag("temp") == TagDef(**{**_fields(before), "limits": loaded.tag("temp").limits})


def test_an_alarm_on_a_declared_limit_changes_nothing() -> None:
    text = plant(alarm(tag='"temp"', setpoint="85"))
    assert load_plant_text(text).tag("temp") == load_plant_text(BASE).tag("temp")


def _fields(tag: TagDef) -> dict[str, object]:
    return {name: getattr(tag, name) for name in TagDef.__dataclass_fields__}


# --- refusals: one problem each, with its key path, line and message -------------------

MISSING = "required key is missing"
KINDS = "hihi, hi, lo, lolo, equals, bit, rate, source_lost, stale"
STATES = "running, idle, stopped, faulted, starved, blocked, planned_stop, changeover"
HEADER = ("[[alarms]]", 1)
ORDER = "expected lolo <= lo < hi <= hihi for the limits of tag"


def case(key_path: str, alarms: str | list[str], message: str, at: str | tuple[str, int]) -> object:
    """``alarms`` added to BASE give exactly one problem, at the line holding ``at``."""
    entries = [alarms] if isinstance(alarms, str) else alarms
    marker = at if isinstance(at, tuple) else (at, 1)
    return pytest.param(entries, key_path, message, marker, id=f"{key_path}: {message}")


CASES = [
    # id
    case("alarms[0].id", alarm(id=""), f"{MISSING} (expected a string)", HEADER),
    case(
        "alarms[0].id",
        alarm(id='"temp hi"'),
        'expected an id of letters, digits, "_", "." and "-", got "temp hi"',
        "temp hi",
    ),
    case(
        "alarms[1].id",
        [alarm(), alarm(kind='"lo"', setpoint="5")],
        'duplicate alarm id "a", first used at alarms[0]',
        ('id = "a"', 2),
    ),
    # tag
    case("alarms[0].tag", alarm(tag=""), f"{MISSING} (expected a string)", HEADER),
    case(
        "alarms[0].tag",
        alarm(tag='"tmep"'),
        'no tag has the id "tmep" (did you mean "temp"?)',
        "tmep",
    ),
    # kind
    case("alarms[0].kind", alarm(kind=""), f"{MISSING} (expected one of: {KINDS})", HEADER),
    case(
        "alarms[0].kind",
        alarm(kind='"high"'),
        f'expected one of: {KINDS}; got "high" (did you mean "hi"?)',
        'kind = "high"',
    ),
    case(
        "alarms[0].kind",
        alarm(kind='"HiHi"'),
        f'expected one of: {KINDS}; got "HiHi" (did you mean "hihi"?)',
        "HiHi",
    ),
    case(
        "alarms[0].kind",
        alarm(kind='"condition"'),
        '"condition" alarms come from their OPC UA server, not from the plant file: '
        "set conditions = true on the source",
        "condition",
    ),
    case(
        "alarms[0].kind",
        alarm(tag='"recipe"'),
        '"hi" alarms apply to "float" and "int" tags only; tag "recipe" is "string"',
        'kind = "hi"',
    ),
    case(
        "alarms[0].kind",
        alarm(tag='"running"', kind='"lolo"', setpoint="0"),
        '"lolo" alarms apply to "float" and "int" tags only; tag "running" is "bool"',
        "lolo",
    ),
    case(
        "alarms[0].kind",
        alarm(kind='"bit"', setpoint="3"),
        '"bit" alarms apply to "int" tags only; tag "level" is "float"',
        "bit",
    ),
    case(
        "alarms[0].kind",
        alarm(tag='"recipe"', kind='"rate"', setpoint="3"),
        '"rate" alarms apply to "float" and "int" tags only; tag "recipe" is "string"',
        "rate",
    ),
    # setpoint and text of limit alarms
    case(
        "alarms[0].setpoint",
        alarm(setpoint=""),
        f"{MISSING} (expected the limit, a number)",
        HEADER,
    ),
    case("alarms[0].setpoint", alarm(setpoint='"50"'), 'expected a number, got "50"', "setpoint"),
    case("alarms[0].setpoint", alarm(setpoint="nan"), "expected a finite number, got nan", "nan"),
    case(
        "alarms[0].setpoint",
        alarm(tag='"temp"', kind='"hihi"', setpoint="130"),
        "expected a number within the tag's range, from 0 to 120, got 130",
        "130",
    ),
    case(
        "alarms[0].text",
        alarm('text = "x"'),
        'applies to "equals" alarms on "string" tags only; this alarm is "hi"',
        "text",
    ),
    # the connection kinds have no setpoint
    case(
        "alarms[0].setpoint",
        alarm(kind='"stale"'),
        'does not apply to "stale" alarms: they watch the tag\'s quality, not the value',
        "setpoint",
    ),
    case(
        "alarms[0].setpoint",
        alarm(kind='"source_lost"'),
        'does not apply to "source_lost" alarms: they watch the source\'s connection, '
        "not the value",
        "setpoint",
    ),
    # equals: exactly one of setpoint (numbers, bools) and text (strings)
    case(
        "alarms[0].setpoint",
        alarm(tag='"recipe"', kind='"equals"'),
        'applies to number and bool tags; this tag is "string": use text',
        "setpoint",
    ),
    case(
        "alarms[0].text",
        alarm(tag='"recipe"', kind='"equals"', setpoint=""),
        f'{MISSING} (expected the text that raises the alarm, for a "string" tag)',
        HEADER,
    ),
    case(
        "alarms[0].text",
        alarm('text = ""', tag='"recipe"', kind='"equals"', setpoint=""),
        "expected a non-empty string, got an empty one",
        "text",
    ),
    case(
        "alarms[0].text",
        alarm('text = "2"', tag='"status"', kind='"equals"'),  # both: text is the odd one
        'applies to "string" tags only; this tag is "int": use setpoint',
        "text",
    ),
    case(
        "alarms[0].text",
        alarm('text = "2"', tag='"status"', kind='"equals"', setpoint=""),
        'applies to "string" tags only; this tag is "int": use setpoint',
        "text",
    ),
    case(
        "alarms[0].setpoint",
        alarm(tag='"status"', kind='"equals"', setpoint=""),
        f"{MISSING} (expected the value that raises the alarm)",
        HEADER,
    ),
    case(
        "alarms[0].setpoint",
        alarm(tag='"status"', kind='"equals"', setpoint="2.5"),
        'expected a whole number for an "int" tag, got 2.5',
        "2.5",
    ),
    case(
        "alarms[0].setpoint",
        alarm(tag='"running"', kind='"equals"', setpoint="2"),
        'expected true, false, 0 or 1 for a "bool" tag, got 2',
        "setpoint",
    ),
    case(
        "alarms[0].setpoint",
        alarm(kind='"equals"', setpoint="true"),
        "expected a number, got true",
        "true",
    ),
    # bit
    case(
        "alarms[0].setpoint",
        alarm(tag='"status"', kind='"bit"', setpoint=""),
        f"{MISSING} (expected the bit number, an integer from 0 to 63)",
        HEADER,
    ),
    case(
        "alarms[0].setpoint",
        alarm(tag='"status"', kind='"bit"', setpoint="64"),
        "expected an integer from 0 to 63, got 64",
        "64",
    ),
    case(
        "alarms[0].setpoint",
        alarm(tag='"status"', kind='"bit"', setpoint="1.0"),
        "expected an integer, got 1.0",
        "1.0",
    ),
    # rate
    case(
        "alarms[0].setpoint",
        alarm(kind='"rate"', setpoint=""),
        f"{MISSING} (expected the rate, in units per second)",
        HEADER,
    ),
    case(
        "alarms[0].setpoint",
        alarm(kind='"rate"', setpoint="0"),
        "expected a number greater than 0, got 0",
        "setpoint",
    ),
    case(
        "alarms[0].deadband",
        alarm("deadband = 2", kind='"rate"', setpoint="2"),
        "expected a number less than setpoint (2), got 2: the alarm would never clear",
        "deadband",
    ),
    case(
        "alarms[0].rate_window_s",
        alarm("rate_window_s = 0", kind='"rate"', setpoint="2"),
        "expected a number greater than 0, got 0",
        "rate_window_s",
    ),
    case(
        "alarms[0].rate_window_s",
        alarm("rate_window_s = 5"),
        'applies to "rate" alarms only; this alarm is "hi"',
        "rate_window_s",
    ),
    # deadband, delays, shelving
    case(
        "alarms[0].deadband",
        alarm("deadband = -1"),
        "expected a number of at least 0, got -1",
        "deadband",
    ),
    case(
        "alarms[0].deadband",
        alarm("deadband = 1", tag='"status"', kind='"equals"', setpoint="1"),
        'applies to limit and rate alarms only; this alarm is "equals"',
        "deadband",
    ),
    case(
        "alarms[0].on_delay_s",
        alarm("on_delay_s = -1"),
        "expected a number of at least 0, got -1",
        "on_delay_s",
    ),
    case(
        "alarms[0].off_delay_s",
        alarm('off_delay_s = "5s"'),
        'expected a number, got "5s"',
        "off_delay_s",
    ),
    case(
        "alarms[0].max_shelve_min",
        alarm("max_shelve_min = 0"),
        "expected a number greater than 0, got 0",
        "max_shelve_min",
    ),
    case(
        "alarms[0].max_shelve_min",
        alarm("max_shelve_min = 20000"),
        "expected at most 10080 (7 days), got 20000: take an alarm out of service for longer",
        "max_shelve_min",
    ),
    # priority, message, response
    case(
        "alarms[0].priority",
        alarm(priority=""),
        f"{MISSING} (expected one of: low, medium, high, critical)",
        HEADER,
    ),
    case(
        "alarms[0].priority",
        alarm(priority='"urgent"'),
        'expected one of: low, medium, high, critical; got "urgent"',
        "urgent",
    ),
    case(
        "alarms[0].priority",
        alarm(priority='"medum"'),
        'expected one of: low, medium, high, critical; got "medum" (did you mean "medium"?)',
        "medum",
    ),
    case(
        "alarms[0].priority",
        alarm(priority="3"),
        "expected one of: low, medium, high, critical; got 3",
        "priority",
    ),
    case("alarms[0].message", alarm(message=""), f"{MISSING} (expected a string)", HEADER),
    case(
        "alarms[0].message",
        alarm(message='"   "'),
        "expected a non-empty string, got an empty one",
        "message",
    ),
    case("alarms[0].response", alarm("response = 1"), "expected a string, got 1", "response"),
    # station
    case(
        "alarms[0].station",
        alarm(station='"filer"'),
        'no station has the id "filer" (did you mean "filler"?)',
        "filer",
    ),
    case(
        "alarms[0].station",
        alarm(tag='"mode"', kind='"equals"', setpoint="1"),
        f'{MISSING} (expected a station id, since no station lists "mode" in its tags)',
        HEADER,
    ),
    case(
        "alarms[0].station",
        alarm(tag='"air"', kind='"stale"', setpoint=""),
        f'{MISSING} (expected a station id, since "air" is in the tags of stations '
        '"filler" and "utility")',
        HEADER,
    ),
    # suppress_when
    case(
        "alarms[0].suppress_when[1]",
        alarm('suppress_when = ["idle", "stoped"]'),
        f'expected one of: {STATES}; got "stoped" (did you mean "stopped"?)',
        "suppress_when",
    ),
    case(
        "alarms[0].suppress_when[0]",
        alarm('suppress_when = ["unknown"]'),
        '"unknown" cannot suppress an alarm: a station whose state cannot be told '
        "may be in trouble",
        "suppress_when",
    ),
    case(
        "alarms[0].suppress_when[1]",
        alarm('suppress_when = ["idle", "idle"]'),
        '"idle" is listed twice',
        "suppress_when",
    ),
    case(
        "alarms[0].suppress_when",
        alarm('suppress_when = "stopped"'),
        'expected an array of strings, got "stopped"',
        "suppress_when",
    ),
    case(
        "alarms[0].suppress_when[0]",
        alarm("suppress_when = [1]"),
        "expected a string, got 1",
        "suppress_when",
    ),
    case(
        "alarms[0].suppress_when",
        alarm('suppress_when = ["stopped"]', station='"utility"'),
        'needs a station with a state_tag; station "utility" has none',
        "suppress_when",
    ),
    # misspelt keys
    case(
        "alarms[0].dead_band",
        alarm("dead_band = 1"),
        'unknown key (did you mean "deadband"?)',
        "dead_band",
    ),
    case(
        "alarms[0].on_delay",
        alarm("on_delay = 1"),
        'unknown key (did you mean "on_delay_s"?)',
        "on_delay",
    ),
    case(
        "alarms[0].suppress",
        alarm('suppress = ["idle"]'),
        'unknown key (did you mean "suppress_when"?)',
        "suppress",
    ),
    case(
        "alarm",
        ['[[alarm]]\nid = "a"\n'],
        'unknown key (did you mean "alarms"?)',
        "[[alarm]]",
    ),
    # limit alarms against each other and the tags' limits
    case(
        "alarms[0].setpoint",
        alarm(tag='"temp"', setpoint="80"),
        "expected the tag's limits.hi (85), got 80: trends draw the tag's limits, "
        "and the alarm must fire at the line they show",
        "80",
    ),
    case(
        "alarms[0].setpoint",
        alarm(tag='"temp"', kind='"hihi"', setpoint="80"),
        f'{ORDER} "temp"; got hi = 85 (the tag\'s limits) and hihi = 80 (alarms[0])',
        "80",
    ),
    case(
        "alarms[1].setpoint",
        [alarm(id='"a.hihi"', kind='"hihi"', setpoint="80"), alarm(setpoint="90")],
        f'{ORDER} "level"; got hi = 90 (alarms[1]) and hihi = 80 (alarms[0])',
        "90",
    ),
    case(
        "alarms[1].setpoint",
        [alarm(id='"a.lolo"', kind='"lolo"', setpoint="20"), alarm(kind='"lo"', setpoint="10")],
        f'{ORDER} "level"; got lolo = 20 (alarms[0]) and lo = 10 (alarms[1])',
        "setpoint = 10",
    ),
    case(
        "alarms[1].setpoint",
        [alarm(id='"a.lo"', kind='"lo"', setpoint="50"), alarm(setpoint="50")],
        f'{ORDER} "level"; got lo = 50 (alarms[0]) and hi = 50 (alarms[1])',
        ("setpoint = 50", 2),
    ),
    case(
        "alarms[1].kind",
        [alarm(), alarm(id='"b"', setpoint="60", priority='"high"')],
        'tag "level" has a hi alarm already, at alarms[0]: one alarm per limit of a tag',
        ('kind = "hi"', 2),
    ),
]


@pytest.mark.parametrize(("alarms", "key_path", "message", "marker"), CASES)
def test_problem_has_key_path_line_and_message(
    alarms: list[str], key_path: str, message: str, marker: tuple[str, int]
) -> None:
    text = plant(*alarms)
    assert found(text) == [(key_path, line_of(text, *marker), message)]


SOURCE_CASES = [
    ("conditions = 1", "sources[0].conditions", "expected true or false, got 1"),
    (
        'conditions = true\nconditions_station = "filer"',
        "sources[0].conditions_station",
        'no station has the id "filer" (did you mean "filler"?)',
    ),
    (
        'conditions_station = "filler"',
        "sources[0].conditions_station",
        "applies with conditions = true only: without it no condition is read",
    ),
    (
        'conditions = false\nconditions_station = "filler"',
        "sources[0].conditions_station",
        "applies with conditions = true only: without it no condition is read",
    ),
    (
        'conditions = true\nconditions_station = ""',
        "sources[0].conditions_station",
        "expected a non-empty string, got an empty one",
    ),
]


@pytest.mark.parametrize(("lines", "key_path", "message"), SOURCE_CASES)
def test_conditions_problems(lines: str, key_path: str, message: str) -> None:
    text = BASE.replace(OPCUA_SOURCE, f"{OPCUA_SOURCE}\n{lines}")
    assert found(text) == [(key_path, line_of(text, lines.rsplit("\n", 1)[-1]), message)]


def test_alarms_must_be_an_array_of_tables() -> None:
    text = f"alarms = 3\n{BASE}"
    assert found(text) == [("alarms", 1, "expected an array of tables ([[alarms]]), got 3")]


def test_conditions_on_an_mqtt_source_is_an_unknown_key() -> None:
    text = BASE.replace('host = "broker.local"', 'host = "broker.local"\nconditions = true')
    ((key_path, line, message),) = found(text)
    assert (key_path, line) == ("sources[1].conditions", line_of(text, "conditions"))
    assert message.startswith("unknown key")


# --- every problem at once, and none twice --------------------------------------------


def test_every_problem_is_reported_at_once_in_file_order() -> None:
    text = plant(
        alarm(id='"ok"'),
        alarm("dedband = 1", id='"b"', kind='"lo"', setpoint="5"),
        alarm(id='"c"', tag='"levle"'),
        alarm(id='"d"', tag='"recipe"', kind='"equals"', setpoint="1", priority='"hgh"'),
    )
    assert [(p.key_path, p.line) for p in problems_of(text)] == [
        ("alarms[1].dedband", line_of(text, "dedband")),
        ("alarms[2].tag", line_of(text, "levle")),
        ("alarms[3].setpoint", line_of(text, "setpoint = 1")),
        ("alarms[3].priority", line_of(text, "hgh")),
    ]


def test_a_bad_kind_is_the_only_problem() -> None:
    # Setpoint, text, deadband and rate window are spared: which apply depends on the kind.
    text = plant(
        alarm('text = "x"', "deadband = 1", "rate_window_s = 3", kind='"sometimes"', setpoint="1")
    )
    assert [p.key_path for p in problems_of(text)] == ["alarms[0].kind"]


def test_an_unknown_tag_is_the_only_problem() -> None:
    text = plant(alarm('suppress_when = ["idle"]', tag='"nope"'))
    assert [p.key_path for p in problems_of(text)] == ["alarms[0].tag"]


def test_a_bad_setpoint_is_not_compared_with_the_limits() -> None:
    text = plant(
        alarm(tag='"temp"', setpoint='"85"'),
        alarm(id='"b"', tag='"temp"', kind='"lo"', setpoint='"x"'),
    )
    assert [p.key_path for p in problems_of(text)] == ["alarms[0].setpoint", "alarms[1].setpoint"]


def test_references_are_not_checked_when_their_tables_are_unreadable() -> None:
    entry = alarm(tag='"t"')
    no_tags = f'tags = 3\n[plant]\nname = "x"\n\n{entry}'
    assert [p.key_path for p in problems_of(no_tags)] == ["tags"]
    entry = alarm('suppress_when = ["idle"]', station='"x"')
    no_stations = f"stations = 3\n{BASE.split('[[stations]]', maxsplit=1)[0]}\n{entry}"
    assert [p.key_path for p in problems_of(no_stations)] == ["stations"]
    with_conditions = no_stations.replace(
        OPCUA_SOURCE, f'{OPCUA_SOURCE}\nconditions = true\nconditions_station = "x"'
    )
    assert [p.key_path for p in problems_of(with_conditions)] == ["stations"]


def test_a_tag_of_unknown_type_is_not_checked_against_the_kind() -> None:
    text = plant(alarm(tag='"status"', kind='"bit"', setpoint="3"))
    text = text.replace('type = "int"', 'type = "integer"', 1)
    assert [p.key_path for p in problems_of(text)] == ["tags[2].type"]
    # Equals still needs exactly one of setpoint and text.
    both = plant(alarm('text = "x"', tag='"status"', kind='"equals"'))
    both = both.replace('type = "int"', 'type = "integer"', 1)
    assert [(p.key_path, p.message) for p in problems_of(both)][1:] == [
        ("alarms[0].text", "give either setpoint or text, not both")
    ]


def test_a_misspelt_station_tag_spares_the_alarms_station() -> None:
    # "level" might be the tag misspelt in the station: that is the one problem.
    text = plant(alarm()).replace('"temp", "level",', '"temp", "levl",')
    assert [p.key_path for p in problems_of(text)] == ["stations[0].tags[1]"]


# --- the demo plant ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> PlantDef:
    return load_plant(demo_plant_path())


def test_demo_alarms_load(demo: PlantDef) -> None:
    alarms = demo.alarms
    assert len(alarms) >= 12
    assert len({d.id for d in alarms}) == len(alarms)
    kinds = {d.kind for d in alarms}
    assert kinds >= {AlarmKind.HIHI, AlarmKind.HI, AlarmKind.LO, AlarmKind.LOLO}
    assert kinds >= {AlarmKind.EQUALS, AlarmKind.SOURCE_LOST, AlarmKind.STALE}
    assert kinds & {AlarmKind.BIT, AlarmKind.RATE}
    assert {d.priority for d in alarms} == set(Priority)
    assert {d.station for d in alarms} == {station.id for station in demo.stations}
    assert sum(1 for d in alarms if d.suppress_when) >= 2
    assert all(d.message and d.response for d in alarms)
    assert any(d.text is not None for d in alarms)
    stations = {station.id: station for station in demo.stations}
    for definition in alarms:
        assert definition.tag in {tag.id for tag in demo.tags}
        if definition.suppress_when:
            assert stations[definition.station].state_tag is not None


def test_demo_limit_alarms_match_the_trend_limits(demo: PlantDef) -> None:
    for definition in demo.alarms:
        if definition.kind.value in {kind.value for kind in LimitKind}:
            limits = dict(demo.tag(definition.tag).limits)
            assert limits[LimitKind(definition.kind.value)] == definition.setpoint
    # The web break alarm adds a limit the tag does not declare.
    assert demo.tag("labeler.web_tension").limits == (
        (LimitKind.LOLO, 5),
        (LimitKind.HI, 45),
        (LimitKind.HIHI, 60),
    )


def test_demo_does_not_ask_its_server_for_conditions(demo: PlantDef) -> None:
    # The demo's OPC UA server serves no conditions (yet).
    plc = demo.source("filler-plc")
    assert isinstance(plc, OpcUaSource)
    assert not plc.conditions


def _demo_values(snapshot: LineSnapshot) -> dict[str, object]:
    """The demo's tag values as its servers publish them (the tags its alarms watch)."""
    filler, capper, labeler = snapshot.filler, snapshot.capper, snapshot.labeler
    return {
        "filler.state": STATE_CODES.get(filler.state, 0),
        "filler.speed": filler.speed_bpm,
        "filler.reject": filler.reject,
        "filler.product_temp": snapshot.product_temp_c,
        "filler.pressure": snapshot.fill_pressure_bar,
        "filler.vibration": filler.vibration_mm_s,
        "capper.state": capper.state.value,
        "capper.torque": snapshot.cap_torque_nm,
        "capper.vibration": capper.vibration_mm_s,
        "labeler.state": labeler.state.value,
        "labeler.glue_temp": snapshot.glue_temp_c,
        "labeler.web_tension": snapshot.web_tension_n,
        "labeler.low_label": snapshot.label_roll_low,
        "labeler.vibration": labeler.vibration_mm_s,
    }


def test_the_simulated_line_raises_demo_alarms_now_and_then(demo: PlantDef) -> None:
    """Four simulated hours: several alarms come, none stays for long."""
    engine = AlarmEngine(demo.alarms)
    line = BottlingLine(seed=1)
    dt, hours = 0.5, 4
    active_s = dict.fromkeys((d.id for d in demo.alarms), 0.0)
    raised: set[str] = set()
    for _ in range(int(hours * 3600 / dt)):
        snapshot = line.step(dt)
        ts = snapshot.time_s
        for station in ("filler", "capper", "labeler"):
            engine.set_machine_state(station, getattr(snapshot, station).state, ts)
        changes = engine.tick(ts)
        for tag, value in _demo_values(snapshot).items():
            changes += engine.sample(tag, value, Quality.GOOD, ts)
        raised |= {c.alarm_id for c in changes if c.event is Event.ACTIVE}
        for alarm_id, state in engine.alarms.items():
            if state.active:
                active_s[alarm_id] += dt
    assert len(raised) >= 5, raised
    # None is a standing alarm: each is active for less than a tenth of the time.
    assert max(active_s.values()) < 0.1 * hours * 3600, active_s
    assert {engine.alarms[a].definition.station for a in raised} == {"filler", "capper", "labeler"}


# --- the documentation --------------------------------------------------------------------


def _doc_block(first_line: str) -> str:
    blocks = re.findall(r"```[a-z]*\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    matching = [block for block in blocks if block.startswith(first_line)]
    assert len(matching) == 1, first_line
    return str(matching[0])


ALARM_KEYS = {
    *("id", "tag", "kind", "setpoint", "text", "priority", "message", "response", "deadband"),
    *("on_delay_s", "off_delay_s", "rate_window_s", "max_shelve_min", "suppress_when"),
    "station",
}


def test_the_docs_examples_load(tmp_path: Path) -> None:
    complete = _doc_block("# plant.toml: the complete example")
    section = _doc_block("# [[alarms]]: two alarms on the cap torque of the complete example")
    for relative in re.findall(r'"(pki/[^"]+)"', complete):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x")
    plant_file = tmp_path / "plant.toml"
    plant_file.write_text(f"{complete}\n{section}", encoding="utf-8")
    loaded = load_plant(plant_file)
    alarms = {definition.id: definition for definition in loaded.alarms}
    assert alarms["capper.torque.lo"] == AlarmDef(
        id="capper.torque.lo",
        station="capper-labeler",
        tag="capper.torque",
        kind=AlarmKind.LO,
        priority=Priority.MEDIUM,
        message="Cap torque low: caps may leak",
        response="Take five bottles for a removal torque test; adjust the clutch if their "
        "mean is below 2.2 N·m.",
        setpoint=2.0,
        deadband=0.05,
        on_delay_s=2,
        off_delay_s=5,
        max_shelve_s=7200,
        suppress_when=frozenset({MachineState.STOPPED, MachineState.IDLE, MachineState.CHANGEOVER}),
    )
    # The complete example has an alarm of every kind the plant file may give.
    assert {d.kind for d in alarms.values()} == set(AlarmKind) - {AlarmKind.CONDITION}
    assert {d.priority for d in alarms.values()} == set(Priority)
    assert loaded.tag("filler.speed").limits == (
        (LimitKind.LO, 300),
        (LimitKind.HI, 580),
        (LimitKind.HIHI, 595),
    )
    assert loaded.tag("labeler.web_tension").limits == ((LimitKind.HI, 45),)
    plc = loaded.source("filler-plc")
    assert isinstance(plc, OpcUaSource)
    assert (plc.conditions, plc.conditions_station) == (True, "filler")
    # Between them, the examples use every key.
    written = tomllib.loads(f"{complete}\n{section}")["alarms"]
    assert set().union(*written) == ALARM_KEYS


def test_the_docs_table_lists_every_key() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## `[[alarms]]`") : text.index("### Alarm kinds")]
    assert set(re.findall(r"^\| `([a-z_]+)` \|", section, re.MULTILINE)) == ALARM_KEYS


# --- nothing but ConfigError, whatever the alarms say ------------------------------------

DEMO_DOC = tomllib.loads(demo_plant_path().read_text(encoding="utf-8"))
ODD_VALUES = st.sampled_from(
    [
        *(kind.value for kind in AlarmKind),
        *("low", "medium", "high", "critical", "stopped", "unknown", "filler", "capper"),
        *("filler.state", "labeler.state", "labeler.low_label", "filler.speed", "", " "),
        *(True, False, 0, 1, -1, 63, 64, 0.5, 2**70, 1e308, -0.0),
        *(["stopped"], ["unknown"], ["idle", "idle"], [], {}, {"a": 1}, [1]),
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_demo_alarms(data: st.DataObject) -> None:
    document = copy.deepcopy(DEMO_DOC)
    for _ in range(data.draw(st.integers(1, 4))):
        entry = data.draw(st.sampled_from(document["alarms"]))
        key = data.draw(st.sampled_from(sorted(ALARM_KEYS | {"bogus"})))
        if data.draw(st.booleans()):
            entry[key] = data.draw(ODD_VALUES)
        else:
            entry.pop(key, None)
    text = _to_toml(document)
    try:
        load_plant_text(text, "fuzz.toml")
    except ConfigError as error:
        lines = text.count("\n") + 1
        for problem in error.problems:
            assert problem.key_path, problem.format()
            assert problem.line is None or 1 <= problem.line <= lines
            assert "\n" not in problem.format()


def _to_toml(document: dict[str, object]) -> str:
    """Enough of a TOML writer for the demo: top-level tables and arrays of tables."""
    out: list[str] = []
    for name, value in document.items():
        entries = value if isinstance(value, list) else [value]
        for entry in entries:
            assert isinstance(entry, dict)
            out.append(f"[[{name}]]" if isinstance(value, list) else f"[{name}]")
            out += [f"{key} = {_value(item)}" for key, item in entry.items()]
    return "\n".join(out) + "\n"


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_value(v)}' for k, v in value.items()) + "}"
    return str(value)


def test_toml_writer_round_trips_the_demo() -> None:
    assert tomllib.loads(_to_toml(DEMO_DOC)) == DEMO_DOC


def test_data_types_of_the_base() -> None:
    # The cases above rely on one tag of each type.
    types = {tag.id: tag.data_type for tag in load_plant_text(BASE).tags}
    assert set(types.values()) == set(DataType)
