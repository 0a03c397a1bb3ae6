"""``[[reasons]]``, ``[shifts]`` and ``[stations.production]`` in the plant file: every key
read, every mistake refused with its line, and the demo's tree, calendar and cycles."""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmi.config import ConfigError, ConfigProblem, load_plant, load_plant_text
from hmi.domain.plant import DataType, MachineState, PlantDef
from hmi.domain.production import (
    MAX_REASON_DEPTH,
    BreakDef,
    ProductionDef,
    ReasonDef,
    ShiftCalendar,
    ShiftDef,
    leaves,
)
from hmi.sim import demo_plant_path
from hmi.sim.line import CAPPER, FILLER, LABELER, BottlingLine

DOCS = Path(__file__).resolve().parents[1] / "docs" / "plant-file.md"

BASE = """\
[plant]
name = "Production test line"

[[sources]]
id = "plc"
type = "opcua"
url = "opc.tcp://plc:4840"

[[tags]]
id = "state"
type = "int"
source = "plc"
node = "ns=2;s=State"

[[tags]]
id = "good"
type = "int"
source = "plc"
node = "ns=2;s=Good"

[[tags]]
id = "reject"
type = "int"
source = "plc"
node = "ns=2;s=Reject"

[[tags]]
id = "speed"
source = "plc"
node = "ns=2;s=Speed"

[[tags]]
id = "running"
type = "bool"
source = "plc"
node = "ns=2;s=Running"

[[tags]]
id = "order"
type = "string"
source = "plc"
node = "ns=2;s=Order"

[[tags]]
id = "product"
type = "string"
source = "plc"
node = "ns=2;s=Product"

[[tags]]
id = "batch"
type = "string"
source = "plc"
node = "ns=2;s=Batch"

[[stations]]
id = "packer"
tags = ["speed"]

[[stations]]
id = "filler"
state_tag = "state"
tags = ["speed", "good", "reject"]
"""
MISSING = "required key is missing"
DAYS = "mon, tue, wed, thu, fri, sat, sun"


def entry(
    header: str, defaults: dict[str, str], lines: tuple[str, ...], keys: dict[str, str]
) -> str:
    """A TOML table: ``defaults`` overridden (or removed, with ``""``) by ``keys``; ``lines``."""
    values = {**defaults, **keys}
    body = [f"{key} = {value}" for key, value in values.items() if value]
    return "\n".join([header, *body, *lines]) + "\n"


def production(*lines: str, **keys: str) -> str:
    """``[stations.production]`` of the last station of BASE, the filler."""
    defaults = {"ideal_cycle_s": "0.2", "good_count": '"good"', "reject_count": '"reject"'}
    return entry("[stations.production]", defaults, lines, keys)


def reason(*lines: str, level: int = 1, **keys: str) -> str:
    """A ``[[reasons]]`` entry, or one ``level`` deep (``[[reasons.reasons]]`` at 2)."""
    header = "[[" + ".".join(["reasons"] * level) + "]]"
    return entry(header, {"code": '"r"', "name": '"R"'}, lines, keys)


def shifts(*entries: str, timezone: str = '"Europe/Berlin"') -> str:
    head = entry("[shifts]", {"timezone": timezone}, (), {})
    return head + "".join(f"\n{shift_entry}" for shift_entry in entries)


def shift(*lines: str, **keys: str) -> str:
    defaults = {"name": '"Early"', "start": '"06:00"', "end": '"14:00"'}
    return entry("[[shifts.shift]]", defaults, lines, keys)


def plant(*sections: str) -> str:
    return BASE + "".join(f"\n{section}" for section in sections)


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


def test_nothing_declared_is_fine() -> None:
    loaded = load_plant_text(BASE)
    assert loaded.reasons == ()
    assert loaded.shifts == ShiftCalendar()
    assert [station.production for station in loaded.stations] == [None, None]


def test_the_reason_tree_inherits_planned_and_color() -> None:
    text = plant(
        reason('color = "#C0504D"', code='"mech"', name='"Mechanical"'),
        reason(level=2, code='"mech.jam"', name='" Jam "'),
        reason(level=2, code='"mech.filler"', name='"Filler"'),
        reason("planned = true", level=3, code='"mech.filler.valve"', name='"Valve"'),
        reason(level=3, code='"mech.filler.drive"', name='"Drive"'),
        reason("planned = true", code='"planned"', name='"Planned"'),
        reason('color = "#4f81bd"', level=2, code='"planned.cleaning"', name='"Cleaning"'),
        reason("planned = false", level=2, code='"planned.trial"', name='"Trial"'),
        reason(code='"other"', name='"Other"'),
    )
    tree = load_plant_text(text).reasons
    red, blue, grey = "#c0504d", "#4f81bd", "#808080"
    assert tree == (
        ReasonDef(
            "mech",
            "Mechanical",
            False,
            red,
            (
                ReasonDef("mech.jam", "Jam", False, red),
                ReasonDef(
                    "mech.filler",
                    "Filler",
                    False,
                    red,
                    (
                        ReasonDef("mech.filler.valve", "Valve", True, red),
                        ReasonDef("mech.filler.drive", "Drive", False, red),
                    ),
                ),
            ),
        ),
        ReasonDef(
            "planned",
            "Planned",
            True,
            grey,
            (
                ReasonDef("planned.cleaning", "Cleaning", True, blue),
                ReasonDef("planned.trial", "Trial", False, grey),
            ),
        ),
        ReasonDef("other", "Other", False, grey),
    )
    assert [(leaf.code, [node.code for node in path]) for leaf, path in leaves(tree)] == [
        ("mech.jam", ["mech"]),
        ("mech.filler.valve", ["mech", "mech.filler"]),
        ("mech.filler.drive", ["mech", "mech.filler"]),
        ("planned.cleaning", ["planned"]),
        ("planned.trial", ["planned"]),
        ("other", []),
    ]


def test_the_same_name_under_different_categories_is_fine() -> None:
    text = plant(
        reason(code='"a"', name='"Filler"'),
        reason(level=2, code='"a.jam"', name='"Jam"'),
        reason(code='"b"', name='"Capper"'),
        reason(level=2, code='"b.jam"', name='"Jam"'),
    )
    assert [leaf.name for leaf, _ in leaves(load_plant_text(text).reasons)] == ["Jam", "Jam"]


def test_shifts_with_breaks_and_a_night() -> None:
    text = plant(
        shifts(
            shift(
                'breaks = [{ name = "Lunch", start = "11:30", minutes = 30 },'
                ' { start = "09:00", minutes = 15 }]',
                'days = ["mon", "tue", "wed", "thu", "fri"]',
            ),
            shift(name='"Late"', start="14:00:00", end='"22:00"'),
            shift(
                "[[shifts.shift.breaks]]",
                'name = "Night break"',
                'start = "2:00"',
                "minutes = 30",
                name='"Night"',
                start='"22:00"',
                end='"06:00"',
            ),
        )
    )
    calendar = load_plant_text(text).shifts
    weekdays = frozenset(range(5))
    assert calendar == ShiftCalendar(
        "Europe/Berlin",
        (
            ShiftDef(
                "Early",
                360,
                480,
                weekdays,
                (BreakDef("Lunch", 690, 30), BreakDef("Break", 540, 15)),
            ),
            ShiftDef("Late", 840, 480),
            # The night break is on the day after the shift's start: minute 1440 + 120.
            ShiftDef("Night", 1320, 480, frozenset(range(7)), (BreakDef("Night break", 1560, 30),)),
        ),
    )


def test_a_timezone_without_shifts_is_fine() -> None:
    assert load_plant_text(plant(shifts(timezone='"America/Chicago"'))).shifts == ShiftCalendar(
        "America/Chicago", ()
    )


def test_shifts_may_touch_and_leave_gaps() -> None:
    text = plant(
        shifts(
            shift('days = ["sun"]', name='"Night"', start='"22:00"', end='"06:00"'),
            shift('days = ["mon"]', name='"Early"', start='"06:00"', end='"14:00"'),
            shift('days = ["mon"]', name='"Late"', start='"15:00"', end='"22:00"'),
            # A break may start as the shift starts and end as it ends.
            shift(
                'days = ["tue"]',
                'breaks = [{ start = "06:00", minutes = 10 }, { start = "13:50", minutes = 10 }]',
            ),
        )
    )
    assert len(load_plant_text(text).shifts.shifts) == 4


def test_a_name_may_come_back_on_other_days() -> None:
    text = plant(
        shifts(
            shift('days = ["mon", "tue", "wed", "thu", "fri"]'),
            shift('days = ["sat"]', end='"12:00"'),
        )
    )
    early, saturday = load_plant_text(text).shifts.shifts
    assert (early.name, saturday.name, saturday.minutes) == ("Early", "Early", 360)


def test_every_production_key_is_read() -> None:
    text = plant(
        production(
            "micro_stop_s = 45.5",
            'order = "order"',
            'product = "product"',
            'batch = "batch"',
            ideal_cycle_s="0.15",
        )
    )
    packer, filler = load_plant_text(text).stations
    assert packer.production is None
    assert filler.production == ProductionDef(
        ideal_cycle_s=0.15,
        good_count_tag="good",
        reject_count_tag="reject",
        micro_stop_s=45.5,
        order_tag="order",
        product_tag="product",
        batch_tag="batch",
    )


def test_production_defaults() -> None:
    (_, filler) = load_plant_text(plant(production(good_count="", reject_count=""))).stations
    assert filler.production == ProductionDef(ideal_cycle_s=0.2)
    assert filler.production.micro_stop_s == 120
    # Float counts and no micro-stops at all are fine too.
    text = plant(production("micro_stop_s = 0", good_count='"speed"', reject_count=""))
    (_, filler) = load_plant_text(text).stations
    assert filler.production == ProductionDef(0.2, "speed", micro_stop_s=0)


# --- refusals: one problem each, with its key path, line and message -------------------


def case(key_path: str, sections: list[str], message: str, at: str | tuple[str, int]) -> object:
    """``sections`` added to BASE give exactly one problem, at the line holding ``at``."""
    marker = at if isinstance(at, tuple) else (at, 1)
    return pytest.param(sections, key_path, message, marker, id=f"{key_path}: {message}")


RESERVED_BREAK = '"Break" is reserved: the HMI gives it to the breaks of the shift calendar'
DEEP = (
    f"the reason tree is at most {MAX_REASON_DEPTH} levels deep and this entry is on the "
    "last: it is a reason, with no reasons under it"
)
TIME = 'expected a time of day as "HH:MM", 00:00 to 23:59, got'
TZ = 'expected an IANA time zone name such as "Europe/Berlin", got'
COUNT = 'a count comes from a "float" or "int" tag; tag'

CASES = [
    # --- reasons
    case("reasons[0].code", [reason(code="")], f"{MISSING} (expected a string)", "[[reasons]]"),
    case(
        "reasons[0].code",
        [reason(code='"mech jam"')],
        'expected an id of letters, digits, "_", "." and "-", got "mech jam"',
        "mech jam",
    ),
    case(
        "reasons[1].reasons[0].code",
        [
            reason(code='"a"'),
            reason(level=2, code='"a.jam"'),
            reason(code='"b"', name='"B"'),
            reason(level=2, code='"a.jam"'),
        ],
        'duplicate reason code "a.jam", first used at reasons[0].reasons[0]',
        ('"a.jam"', 2),
    ),
    case(
        "reasons[0].reasons[0].code",
        [reason(), reason(level=2, code='"r"')],
        'duplicate reason code "r", first used at reasons[0]',
        ('code = "r"', 2),
    ),
    case(
        "reasons[0].code",
        [reason(code='"micro_stop"')],
        '"micro_stop" is reserved: the HMI gives it to stops shorter than a station\'s '
        "micro_stop_s",
        "micro_stop",
    ),
    case("reasons[0].code", [reason(code='"Break"')], RESERVED_BREAK, '"Break"'),
    case("reasons[0].name", [reason(name="")], f"{MISSING} (expected a string)", "[[reasons]]"),
    case(
        "reasons[0].name",
        [reason(name='"  "')],
        "expected a non-empty string, got an empty one",
        '"  "',
    ),
    case(
        "reasons[0].reasons[1].name",
        [
            reason(),
            reason(level=2, code='"a"', name='"Jam"'),
            reason(level=2, code='"b"', name='"jam "'),
        ],
        '"jam" is the name of reasons[0].reasons[0] too: the operator cannot tell the two apart',
        '"jam "',
    ),
    case(
        "reasons[0].planned",
        [reason('planned = "yes"')],
        'expected true or false, got "yes"',
        "planned",
    ),
    case(
        "reasons[0].color",
        [reason('color = "red"')],
        'expected a color as "#rrggbb" (six hex digits), got "red"',
        "color",
    ),
    case(
        "reasons[0].color",
        [reason('color = "#abc"')],
        'expected a color as "#rrggbb" (six hex digits), got "#abc"',
        "color",
    ),
    case(
        "reasons[0].color",
        [reason("color = 0xc0504d")],
        "expected a string, got 12603469",
        "color",
    ),
    case(
        "reasons[0].reasons[0].reasons[0].reasons",
        [
            reason(),
            reason(level=2, code='"a"'),
            reason(level=3, code='"a.b"'),
            reason(level=4, code='"a.b.c"'),
        ],
        DEEP,
        "[[reasons.reasons.reasons.reasons]]",
    ),
    case(
        "reasons[0].reasons",
        [reason("reasons = []")],
        "expected at least one reason under this category, got an empty array "
        "(leave reasons out to make this entry a reason)",
        "reasons = []",
    ),
    case(
        "reasons[0].reasons[0]",
        [reason("reasons = [3]")],
        "expected a table, got 3",
        "reasons = [3]",
    ),
    case(
        "reasons[0].colour",
        [reason('colour = "#ffffff"')],
        'unknown key (did you mean "color"?)',
        "colour",
    ),
    # --- shifts: the time zone
    case(
        "shifts.timezone",
        [shifts(timezone="")],
        f'{MISSING} (expected an IANA time zone name such as "Europe/Berlin")',
        "[shifts]",
    ),
    case(
        "shifts.timezone",
        [shifts(timezone='"Europe/Berln"')],
        f'{TZ} "Europe/Berln" (did you mean "Europe/Berlin"?)',
        "Berln",
    ),
    case(
        "shifts.timezone",
        [shifts(timezone='"europe/berlin"')],
        f'{TZ} "europe/berlin" (did you mean "Europe/Berlin"?)',
        "berlin",
    ),
    case("shifts.timezone", [shifts(timezone='"localtime"')], f'{TZ} "localtime"', "localtime"),
    case("shifts.timezone", [shifts(timezone="1")], "expected a string, got 1", "timezone"),
    case(
        "shifts.shifts",
        [shifts("shifts = []")],
        'unknown key (did you mean "shift"?)',
        "shifts = []",
    ),
    case(
        "shifts.shift",
        [shifts("shift = 3")],
        "expected an array of tables ([[shift]]), got 3",
        "shift = 3",
    ),
    # --- shifts: one shift
    case(
        "shifts.shift[0].name",
        [shifts(shift(name=""))],
        f"{MISSING} (expected a string)",
        "[[shifts.shift]]",
    ),
    case(
        "shifts.shift[0].start",
        [shifts(shift(start=""))],
        f'{MISSING} (expected a time of day as "HH:MM")',
        "[[shifts.shift]]",
    ),
    case(
        "shifts.shift[0].end",
        [shifts(shift(end=""))],
        f'{MISSING} (expected a time of day as "HH:MM")',
        "[[shifts.shift]]",
    ),
    case("shifts.shift[0].start", [shifts(shift(start='"6am"'))], f'{TIME} "6am"', "6am"),
    case("shifts.shift[0].end", [shifts(shift(end='"24:00"'))], f'{TIME} "24:00"', "24:00"),
    case("shifts.shift[0].end", [shifts(shift(end='"14:60"'))], f'{TIME} "14:60"', "14:60"),
    case("shifts.shift[0].start", [shifts(shift(start="600"))], f"{TIME} 600", "600"),
    case(
        "shifts.shift[0].start",
        [shifts(shift(start="06:00:30"))],
        f"{TIME} a time (06:00:30)",
        "06:00:30",
    ),
    case(
        "shifts.shift[0].end",
        [shifts(shift(end='"06:00"'))],
        "expected a time other than start (06:00): a shift is shorter than 24 hours "
        "(an end before the start runs past midnight)",
        'end = "06:00"',
    ),
    case(
        "shifts.shift[0].days[1]",
        [shifts(shift('days = ["mon", "Tuesday"]'))],
        f'expected one of: {DAYS}; got "Tuesday" (did you mean "tue"?)',
        "days",
    ),
    case(
        "shifts.shift[0].days[0]",
        [shifts(shift('days = ["weekdays"]'))],
        f'expected one of: {DAYS}; got "weekdays"',
        "days",
    ),
    case(
        "shifts.shift[0].days[1]",
        [shifts(shift('days = ["mon", "mon"]'))],
        '"mon" is listed twice',
        "days",
    ),
    case(
        "shifts.shift[0].days",
        [shifts(shift("days = []"))],
        "expected at least one day, got an empty array (leave days out for every day)",
        "days",
    ),
    case(
        "shifts.shift[0].days",
        [shifts(shift('days = "mon"'))],
        'expected an array of strings, got "mon"',
        "days",
    ),
    case(
        "shifts.shift[0].day",
        [shifts(shift('day = ["mon"]'))],
        'unknown key (did you mean "days"?)',
        "day =",
    ),
    case(
        "shifts.shift[0].ends",
        [shifts(shift('ends = "14:00"'))],
        'unknown key (did you mean "end"?)',
        "ends",
    ),
    # --- shifts: breaks
    case(
        "shifts.shift[0].breaks[0].start",
        [shifts(shift('breaks = [{ start = "15:00", minutes = 30 }]'))],
        "expected a time within the shift, 06:00 to 14:00; got 15:00",
        "breaks",
    ),
    case(
        "shifts.shift[0].breaks[0].start",
        [shifts(shift('breaks = [{ start = "05:50", minutes = 30 }]'))],
        "expected a time within the shift, 06:00 to 14:00; got 05:50",
        "breaks",
    ),
    case(
        "shifts.shift[0].breaks[0].minutes",
        [shifts(shift('breaks = [{ start = "13:45", minutes = 30 }]'))],
        "expected at most 15: the break would end at 14:15, after the shift (06:00 to 14:00)",
        "breaks",
    ),
    case(
        "shifts.shift[0].breaks[0].start",
        [
            shifts(
                shift(
                    "[[shifts.shift.breaks]]",
                    'start = "04:00"',
                    "minutes = 30",
                    start='"22:00"',
                    end='"03:00"',
                )
            )
        ],
        "expected a time within the shift, 22:00 to 03:00; got 04:00",
        'start = "04:00"',
    ),
    case(
        "shifts.shift[0].breaks[0].minutes",
        [shifts(shift('breaks = [{ start = "10:00", minutes = 0 }]'))],
        "expected an integer of at least 1, got 0",
        "breaks",
    ),
    case(
        "shifts.shift[0].breaks[0].minutes",
        [shifts(shift('breaks = [{ start = "10:00", minutes = 7.5 }]'))],
        "expected an integer, got 7.5",
        "breaks",
    ),
    case(
        "shifts.shift[0].breaks[0].minutes",
        [shifts(shift('breaks = [{ start = "10:00" }]'))],
        f"{MISSING} (expected the length of the break in minutes, an integer > 0)",
        "breaks",
    ),
    case(
        "shifts.shift[0].breaks[0].start",
        [shifts(shift("breaks = [{ minutes = 30 }]"))],
        f'{MISSING} (expected a time of day as "HH:MM")',
        "breaks",
    ),
    case(
        "shifts.shift[0].breaks[1].start",
        [
            shifts(
                shift(
                    'breaks = [{ name = "Lunch", start = "11:30", minutes = 30 },'
                    ' { name = "Tea", start = "11:45", minutes = 15 }]'
                )
            )
        ],
        'overlaps break "Lunch" (shifts.shift[0].breaks[0]) from 11:45 to 12:00',
        "breaks",
    ),
    case(
        "shifts.shift[0].breaks[0].length",
        [shifts(shift('breaks = [{ start = "10:00", minutes = 10, length = 10 }]'))],
        "unknown key (the keys here are: minutes, name, start)",
        "breaks",
    ),
    # --- shifts against each other
    case(
        "shifts.shift[1]",
        [shifts(shift(), shift(name='"Late"', start='"13:00"', end='"21:00"'))],
        'overlaps shift "Early" (shifts.shift[0]) from 13:00 to 14:00 on '
        "mon, tue, wed, thu, fri, sat, sun",
        ("[[shifts.shift]]", 2),
    ),
    case(
        "shifts.shift[1]",
        [
            shifts(
                shift('days = ["sun"]', name='"Night"', start='"22:00"', end='"06:00"'),
                shift('days = ["mon", "sat"]', start='"05:30"'),
            )
        ],
        'overlaps shift "Night" (shifts.shift[0]) from 05:30 to 06:00 on mon',
        ("[[shifts.shift]]", 2),
    ),
    case(
        "shifts.shift[1]",
        [
            shifts(
                shift('days = ["mon", "tue"]'),
                shift('days = ["tue", "wed"]', name='"Day"', start='"08:00"', end='"16:00"'),
            )
        ],
        'overlaps shift "Early" (shifts.shift[0]) from 08:00 to 14:00 on tue',
        ("[[shifts.shift]]", 2),
    ),
    case(
        "shifts.shift[1]",
        [
            shifts(
                shift(name='"Long"', start='"00:00"', end='"20:00"'),
                shift('days = ["wed"]', name='"Late"', start='"18:00"', end='"02:00"'),
            )
        ],
        'overlaps shift "Long" (shifts.shift[0]) from 00:00 to 02:00 on thu; '
        "from 18:00 to 20:00 on wed",
        ("[[shifts.shift]]", 2),
    ),
    case(
        "shifts.shift[1].name",
        [shifts(shift(), shift(name='"early"', start='"15:00"', end='"20:00"'))],
        'shift "early" is at shifts.shift[0] too, on mon, tue, wed, thu, fri, sat, sun: '
        "a name is used once a day",
        '"early"',
    ),
    # --- production
    case(
        "stations[1].production.ideal_cycle_s",
        [production(ideal_cycle_s="")],
        f"{MISSING} (expected the ideal cycle time in seconds per part, a number > 0)",
        "[stations.production]",
    ),
    case(
        "stations[1].production.ideal_cycle_s",
        [production(ideal_cycle_s="0")],
        "expected a number greater than 0, got 0",
        "ideal_cycle_s",
    ),
    case(
        "stations[1].production.ideal_cycle_s",
        [production(ideal_cycle_s='"0.2"')],
        'expected a number, got "0.2"',
        "ideal_cycle_s",
    ),
    case(
        "stations[1].production.ideal_cycle_s",
        [production(ideal_cycle_s="inf")],
        "expected a finite number, got inf",
        "ideal_cycle_s",
    ),
    case(
        "stations[1].production.good_count",
        [production(good_count='"god"')],
        'no tag has the id "god" (did you mean "good"?)',
        "god",
    ),
    case(
        "stations[1].production.good_count",
        [production(good_count='"order"')],
        f'{COUNT} "order" is "string"',
        "good_count",
    ),
    case(
        "stations[1].production.reject_count",
        [production(reject_count='"running"')],
        f'{COUNT} "running" is "bool"',
        "reject_count",
    ),
    case(
        "stations[1].production.reject_count",
        [production(good_count="")],
        "needs a good_count: quality is good parts over all parts",
        "reject_count",
    ),
    case(
        "stations[1].production.reject_count",
        [production(reject_count='"good"')],
        '"good" is the good_count tag too: good and rejected parts are counted apart',
        "reject_count",
    ),
    case(
        "stations[1].production.micro_stop_s",
        [production("micro_stop_s = -1")],
        "expected a number of at least 0, got -1",
        "micro_stop_s",
    ),
    case(
        "stations[1].production.order",
        [production('order = "good"')],
        'the order comes from a "string" tag; tag "good" is "int"',
        "order =",
    ),
    case(
        "stations[1].production.product",
        [production('product = "prodct"')],
        'no tag has the id "prodct" (did you mean "product"?)',
        "prodct",
    ),
    case(
        "stations[1].production.batch",
        [production("batch = 3")],
        "expected a string, got 3",
        "batch = 3",
    ),
    case(
        "stations[1].production.ideal_cycle",
        [production("ideal_cycle = 0.2")],
        'unknown key (did you mean "ideal_cycle_s"?)',
        "ideal_cycle =",
    ),
]


@pytest.mark.parametrize(("sections", "key_path", "message", "marker"), CASES)
def test_problem_has_key_path_line_and_message(
    sections: list[str], key_path: str, message: str, marker: tuple[str, int]
) -> None:
    text = plant(*sections)
    assert found(text) == [(key_path, line_of(text, *marker), message)]


def test_reasons_must_be_an_array_of_tables() -> None:
    text = f"reasons = 3\n{BASE}"
    assert found(text) == [("reasons", 1, "expected an array of tables ([[reasons]]), got 3")]


def test_shifts_must_be_a_table() -> None:
    text = plant(shift())  # [[shifts.shift]] with no [shifts]: still a table, no time zone
    assert [p.key_path for p in problems_of(text)] == ["shifts.timezone"]
    text = f"[[shifts]]\n{BASE}"
    assert found(text) == [("shifts", 1, "expected a table, got an array")]


def test_production_needs_a_state_tag() -> None:
    text = BASE.replace('tags = ["speed"]\n', f'tags = ["speed"]\n\n{production()}')
    assert found(text) == [
        (
            "stations[0].production",
            line_of(text, "[stations.production]"),
            "needs a state_tag: stops are detected from the machine state",
        )
    ]


def test_production_must_be_a_table() -> None:
    text = BASE.replace('state_tag = "state"', 'state_tag = "state"\nproduction = 0.2')
    assert found(text) == [
        ("stations[1].production", line_of(text, "production"), "expected a table, got 0.2")
    ]


# --- every problem at once, and none twice --------------------------------------------


def test_every_problem_is_reported_at_once_in_file_order() -> None:
    text = plant(
        production('order = "ordr"', ideal_cycle_s="-0.2"),
        reason('color = "#c0504"', code='"break"'),
        reason(level=2, code='"r.jam"', name='""'),
        shifts(
            shift(end='"25:00"'),
            shift(
                'breaks = [{ start = "23:00", minutes = 30 }]',
                name='"Late"',
                start='"14:00"',
                end='"22:00"',
            ),
        ),
    )
    assert [(p.key_path, p.line) for p in problems_of(text)] == [
        ("stations[1].production.ideal_cycle_s", line_of(text, "-0.2")),
        ("stations[1].production.order", line_of(text, "ordr")),
        ("reasons[0].code", line_of(text, '"break"')),
        ("reasons[0].color", line_of(text, "#c0504")),
        ("reasons[0].reasons[0].name", line_of(text, 'name = ""')),
        ("shifts.shift[0].end", line_of(text, "25:00")),
        ("shifts.shift[1].breaks[0].start", line_of(text, "breaks")),
    ]


def test_a_shift_with_bad_times_is_not_compared_with_the_others() -> None:
    text = plant(shifts(shift(), shift(start='"6"'), shift('days = ["mon", "xx"]')))
    assert [p.key_path for p in problems_of(text)] == [
        "shifts.shift[1].start",
        "shifts.shift[2].days[1]",
    ]


def test_breaks_are_not_placed_in_a_shift_with_bad_times() -> None:
    text = plant(shifts(shift('breaks = [{ start = "23:00", minutes = 30 }]', end='"06:00"')))
    assert [p.key_path for p in problems_of(text)] == ["shifts.shift[0].end"]


def test_a_deep_entry_is_one_problem() -> None:
    # The fourth level is not read at all: only its existence is the problem.
    text = plant(
        reason(),
        reason(level=2, code='"a"'),
        reason(level=3, code='"a.b"'),
        reason("bogus = 1", level=4, code='"micro_stop"', name=""),
    )
    assert [p.key_path for p in problems_of(text)] == ["reasons[0].reasons[0].reasons[0].reasons"]


def test_tag_references_are_not_checked_when_the_tags_are_unreadable() -> None:
    text = "tags = 3\n" + plant(production()).replace("[[tags]]", "[[other]]")
    assert "stations[1].production.good_count" not in [p.key_path for p in problems_of(text)]


def test_a_tag_of_unknown_type_is_not_checked_against_the_key() -> None:
    text = plant(production()).replace('type = "int"', 'type = "integer"')
    assert {p.key_path for p in problems_of(text)} == {
        "tags[0].type",
        "tags[1].type",
        "tags[2].type",
    }


# --- the demo plant ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> PlantDef:
    return load_plant(demo_plant_path())


def test_demo_reason_tree(demo: PlantDef) -> None:
    tree = demo.reasons
    names = {leaf.name: leaf for leaf, _ in leaves(tree)}
    assert [category.name for category in tree] == [
        "Mechanical",
        "Material",
        "Quality",
        "Organisation",
        "Planned",
    ]
    assert {"Bottle jam", "Filling valve broken down", "Capper chuck worn"} <= set(names)
    assert {"No bottles", "No caps", "Label roll empty", "Product out of spec"} <= set(names)
    planned = {"Changeover", "Cleaning", "Planned maintenance", "Meeting"}
    assert {name for name, leaf in names.items() if leaf.planned} == planned
    assert all(not category.is_leaf for category in tree)
    assert len({category.color for category in tree}) == len(tree)
    assert max(len(path) for _, path in leaves(tree)) == MAX_REASON_DEPTH - 1


def test_demo_shifts_cover_every_day(demo: PlantDef) -> None:
    calendar = demo.shifts
    assert calendar.timezone == "Europe/Berlin"
    assert [(s.name, s.start_min, s.minutes) for s in calendar.shifts] == [
        ("Early", 6 * 60, 480),
        ("Late", 14 * 60, 480),
        ("Night", 22 * 60, 480),
    ]
    assert all(s.days == frozenset(range(7)) and s.breaks for s in calendar.shifts)


def test_demo_stations_produce(demo: PlantDef) -> None:
    for station in demo.stations:
        assert station.production is not None
        assert station.state_tag is not None
        assert station.production.good_count_tag == f"{station.id}.good"
        assert station.production.reject_count_tag == f"{station.id}.reject"
        assert demo.tag(station.production.good_count_tag).data_type is DataType.INT
        # The demo has no order, product or batch tags: the operator enters them.
        assert station.production.order_tag is None


def test_demo_ideal_cycles_fit_the_simulated_line(demo: PlantDef) -> None:
    """The ideal cycle is the rated speed: never beaten, and not far from what runs."""
    stations = {station.id: station for station in demo.stations}
    rated = {"filler": FILLER.rated_bpm, "capper": CAPPER.rated_bpm, "labeler": LABELER.rated_bpm}
    for station_id, bpm in rated.items():
        production_def = stations[station_id].production
        assert production_def is not None
        assert 60 / production_def.ideal_cycle_s == pytest.approx(bpm, rel=1e-3)
        assert production_def.ideal_cycle_s <= 60 / bpm
    line = BottlingLine(seed=3)
    running_s = dict.fromkeys(rated, 0.0)
    dt_s = 0.5
    for _ in range(int(3600 / dt_s)):
        snapshot = line.step(dt_s)
        for station_id in rated:
            if getattr(snapshot, station_id).state is MachineState.RUNNING:
                running_s[station_id] += dt_s
    for station_id in rated:
        machine = getattr(snapshot, station_id)
        production_def = stations[station_id].production
        assert production_def is not None
        performance = production_def.ideal_cycle_s * (machine.good + machine.reject)
        performance /= running_s[station_id]
        assert 0.6 < performance <= 1.0, (station_id, performance)


# --- the documentation --------------------------------------------------------------------


def _doc_blocks(first_line: str) -> list[str]:
    blocks = re.findall(r"```[a-z]*\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    return [str(block) for block in blocks if block.startswith(first_line)]


def _doc_block(first_line: str) -> str:
    (block,) = _doc_blocks(first_line)
    return block


def test_the_complete_example_in_the_docs_uses_every_key(tmp_path: Path) -> None:
    complete = _doc_block("# plant.toml: the complete example")
    for relative in re.findall(r'"(pki/[^"]+)"', complete):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x")
    plant_file = tmp_path / "plant.toml"
    plant_file.write_text(complete, encoding="utf-8")
    loaded = load_plant(plant_file)
    filler = loaded.stations[0]
    assert filler.production == ProductionDef(
        0.1, "filler.good", "filler.reject", 60, "mes.order", "mes.product", "mes.batch"
    )
    assert loaded.stations[1].production is None
    depth = max(len(path) for _, path in leaves(loaded.reasons)) + 1
    assert depth == MAX_REASON_DEPTH
    assert any(reason_def.is_leaf for reason_def in loaded.reasons)
    night = loaded.shifts.shifts[-1]
    assert night.start_min + night.minutes > 24 * 60
    assert night.breaks == (BreakDef("Night break", 26 * 60, 30),)
    document = tomllib.loads(complete)
    written_reasons = _all_reasons(document["reasons"])
    assert set().union(*written_reasons) == REASON_KEYS
    shift_entries = document["shifts"]["shift"]
    assert set(document["shifts"]) == SHIFTS_KEYS
    assert set().union(*shift_entries) == SHIFT_KEYS
    assert set().union(*(b for s in shift_entries for b in s.get("breaks", []))) == BREAK_KEYS
    stations = document["stations"]
    assert set().union(*(s.get("production", {}) for s in stations)) == PRODUCTION_KEYS


def _all_reasons(entries: list[dict[str, object]]) -> list[dict[str, object]]:
    found_entries = list(entries)
    for reason_entry in entries:
        children = reason_entry.get("reasons", [])
        assert isinstance(children, list)
        found_entries += _all_reasons(children)
    return found_entries


def test_the_section_examples_in_the_docs_load() -> None:
    reasons = _doc_block("[[reasons]]\n")
    calendar = _doc_block("[shifts]\n")
    station = _doc_block("[stations.production]\n")
    text = BASE.replace('id = "good"', 'id = "filler.good"').replace('"good"', '"filler.good"')
    text = text.replace('id = "reject"', 'id = "filler.reject"').replace(
        '"reject"', '"filler.reject"'
    )
    for key in ("order", "product", "batch"):
        text = text.replace(f'id = "{key}"', f'id = "mes.{key}"')
    loaded = load_plant_text(f"{text}\n{station}\n{reasons}\n{calendar}")
    assert loaded.stations[1].production is not None
    assert [leaf.code for leaf, _ in leaves(loaded.reasons)] == [
        "mech.jam",
        "mech.filler.valve",
        "planned.changeover",
    ]
    assert [shift_def.name for shift_def in loaded.shifts.shifts] == ["Early", "Night"]


REASON_KEYS = {"code", "name", "planned", "color", "reasons"}
SHIFTS_KEYS = {"timezone", "shift"}
SHIFT_KEYS = {"name", "start", "end", "days", "breaks"}
BREAK_KEYS = {"name", "start", "minutes"}
PRODUCTION_KEYS = {
    *("ideal_cycle_s", "good_count", "reject_count", "micro_stop_s"),
    *("order", "product", "batch"),
}


@pytest.mark.parametrize(
    ("start", "end", "keys"),
    [
        ("### `[stations.production]`", "## `[[alarms]]`", PRODUCTION_KEYS),
        ("## `[[reasons]]`", "## `[shifts]`", REASON_KEYS),
        ("## `[shifts]`", "### `[[shifts.shift]]`", SHIFTS_KEYS),
        ("### `[[shifts.shift]]`", "### Breaks", SHIFT_KEYS),
        ("### Breaks", "## `[storage]`", BREAK_KEYS),
    ],
)
def test_the_docs_tables_list_every_key(start: str, end: str, keys: set[str]) -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index(start) : text.index(end)]
    assert set(re.findall(r"^\| `([a-z_]+)` \|", section, re.MULTILINE)) == keys


# --- nothing but ConfigError, whatever these sections say ------------------------------

DEMO_DOC = tomllib.loads(demo_plant_path().read_text(encoding="utf-8"))
ODD_VALUES = st.sampled_from(
    [
        *("06:00", "22:00", "24:00", "6", "", " ", "mon", "sun", "Europe/Berlin", "localtime"),
        *("#c0504d", "#fff", "micro_stop", "break", "mech.jam", "filler.good", "filler.state"),
        *("../etc", "\0", "Europe", "labeler.state", "x" * 300),
        *(True, False, 0, 1, -1, 30, 1440, 0.15, 2**70, 1e308, -0.0, math.inf),
        *(dt.time(6, 0), dt.time(6, 0, 30), dt.date(2026, 3, 2), dt.datetime(2026, 3, 2, 6, 0)),
        *(["mon"], ["mon", "mon"], [], {}, {"a": 1}, [1], [{}], [{"start": "10:00"}]),
        [{"code": "x", "name": "X", "reasons": [{"code": "y", "name": "Y", "reasons": [{}]}]}],
    ]
)
REASON_FUZZ_KEYS = sorted(REASON_KEYS | {"bogus"})
SHIFT_FUZZ_KEYS = sorted(SHIFT_KEYS | {"bogus"})
BREAK_FUZZ_KEYS = sorted(BREAK_KEYS | {"bogus"})
PRODUCTION_FUZZ_KEYS = sorted(PRODUCTION_KEYS | {"bogus"})


def _tables(document: dict[str, object]) -> list[tuple[dict[str, object], list[str]]]:
    """Every table of the three sections in ``document``, with the keys worth mutating."""
    out: list[tuple[dict[str, object], list[str]]] = []
    calendar = document["shifts"]
    assert isinstance(calendar, dict)
    out.append((calendar, sorted(SHIFTS_KEYS | {"bogus"})))
    for shift_entry in calendar["shift"]:
        out.append((shift_entry, SHIFT_FUZZ_KEYS))
        out += [(break_entry, BREAK_FUZZ_KEYS) for break_entry in shift_entry.get("breaks", [])]
    reasons = document["reasons"]
    assert isinstance(reasons, list)
    out += [(reason_entry, REASON_FUZZ_KEYS) for reason_entry in _all_reasons(reasons)]
    stations = document["stations"]
    assert isinstance(stations, list)
    out += [(station["production"], PRODUCTION_FUZZ_KEYS) for station in stations]
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_demo_production_sections(data: st.DataObject) -> None:
    document = copy.deepcopy(DEMO_DOC)
    tables = _tables(document)
    for _ in range(data.draw(st.integers(1, 4))):
        table, keys = data.draw(st.sampled_from(tables))
        key = data.draw(st.sampled_from(keys))
        if data.draw(st.booleans()):
            table[key] = data.draw(ODD_VALUES)
        else:
            table.pop(key, None)
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
        for item in entries:
            assert isinstance(item, dict)
            out.append(f"[[{name}]]" if isinstance(value, list) else f"[{name}]")
            out += [f"{key} = {_value(field)}" for key, field in item.items()]
    return "\n".join(out) + "\n"


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\0", "\\u0000")
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_value(v)}' for k, v in value.items()) + "}"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def test_toml_writer_round_trips_the_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(
        demo_plant_path().parent
    )  # the demo names its instruction folder relative to itself
    assert tomllib.loads(_to_toml(DEMO_DOC)) == DEMO_DOC
    assert load_plant_text(_to_toml(DEMO_DOC)).reasons == load_plant(demo_plant_path()).reasons
