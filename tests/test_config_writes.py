"""Writable tags in the plant file: `write = { lo, hi, max_step, topic, readback_s }`."""

from __future__ import annotations

import pytest

from hmi.config import ConfigError, load_plant_text
from hmi.domain.writes import WriteDef

PLANT = """\
[plant]
name = "Write test line"

[[sources]]
id = "plc"
type = "opcua"
url = "opc.tcp://plc:4840"

[[sources]]
id = "broker"
type = "mqtt"
host = "broker.local"

[[tags]]
id = "setpoint"
source = "plc"
node = "ns=2;s=Setpoint"
range = [0, 120]
{setpoint}

[[tags]]
id = "speed"
type = "int"
source = "broker"
topic = "line/speed"
codec = "number"
{speed}

[[stations]]
id = "filler"
tags = ["setpoint", "speed"]
"""


def load(setpoint: str = "", speed: str = "") -> object:
    return load_plant_text(PLANT.format(setpoint=setpoint, speed=speed), "plant.toml")


def test_writable_tags_carry_their_bounds() -> None:
    plant = load(
        "write = { lo = 10, hi = 95, max_step = 5 }",
        'write = { max_step = 50, topic = "line/speed/cmd", readback_s = 2 }',
    )
    tags = {t.id: t for t in plant.tags}  # type: ignore[attr-defined]
    assert tags["setpoint"].write == WriteDef(lo=10, hi=95, max_step=5)
    assert tags["speed"].write == WriteDef(max_step=50, topic="line/speed/cmd", readback_s=2)


@pytest.mark.parametrize(
    ("setpoint", "speed", "message"),
    [
        ("write = { lo = 10, hi = 130 }", "", "within the tag's range, from 0 to 120, got 130"),
        ("write = { lo = 50, hi = 40 }", "", "expected lo < hi"),
        ("write = { max_step = 0 }", "", "greater than 0"),
        ('write = { topic = "x" }', "", "applies to MQTT tags only"),
        ("", 'write = { topic = "line/#" }', "without wildcards"),
        ("write = { hi = 90, step = 5 }", "", "step"),
        ("write = 5", "", "expected a table"),
    ],
)
def test_bad_write_rules_are_refused_with_their_line(
    setpoint: str, speed: str, message: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        load(setpoint, speed)
    text = str(refused.value)
    assert message in text and "plant.toml:" in text, text
