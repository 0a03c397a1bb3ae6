"""Writes to the plant: which tags may be written, within what bounds, and when not at all.

A write is refused unless the plant file declares the tag writable, the value
is a number (or a bit) inside the engineering limits and the tag's range, the
step from the current value is at most ``max_step``, and the current value is
good from a connected source: an operator must see what they change. Writes
are never queued: a write that cannot go now is refused, never replayed later.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hmi.domain.plant import DataType, TagDef
from hmi.domain.quality import Quality
from hmi.domain.tags import TagScalar, TagValue


@dataclass(frozen=True, slots=True)
class WriteDef:
    """A tag the operator may write (a setpoint or a command), and its bounds."""

    lo: float | None = None  # engineering limits, inside the tag's range
    hi: float | None = None
    max_step: float | None = None  # the largest change in one write
    topic: str | None = None  # MQTT: where the command goes (default: <topic>/set)
    readback_s: float = 5.0  # how long the plant has to show the new value


class WriteRefusedError(ValueError):
    """A write the rules refuse; nothing was sent. The message is the operator's."""


def check_write(tag: TagDef, current: TagValue, value: object) -> TagScalar:
    """The value to send, or ``WriteRefusedError`` saying why not."""
    rules = tag.write
    if rules is None:
        raise WriteRefusedError(f"{tag.name} is not writable from this screen")
    if current.quality is not Quality.GOOD or current.value is None:
        why = current.reason or current.quality.name.lower()
        raise WriteRefusedError(f"{tag.name} is not good now ({why}): nothing is written")
    if tag.data_type is DataType.BOOL:
        if not isinstance(value, bool):
            raise WriteRefusedError(f"{tag.name} takes on or off")
        return value
    if tag.data_type is DataType.STRING:
        raise WriteRefusedError(f"{tag.name} is text: not writable from this screen")
    number = _number(value)
    if number is None:
        raise WriteRefusedError(f"{value!r} is not a number")
    if tag.data_type is DataType.INT and not number.is_integer():
        raise WriteRefusedError(f"{tag.name} takes whole numbers")
    lo = max(x for x in (rules.lo, tag.range_lo, -math.inf) if x is not None)
    hi = min(x for x in (rules.hi, tag.range_hi, math.inf) if x is not None)
    if not lo <= number <= hi:
        raise WriteRefusedError(f"{tag.name}: {number:g} {tag.unit} is outside {lo:g} … {hi:g}")
    old = _number(current.value)
    if rules.max_step is not None and old is not None and abs(number - old) > rules.max_step:
        raise WriteRefusedError(
            f"{tag.name}: a change of {abs(number - old):g} {tag.unit} is more than"
            f" {rules.max_step:g} in one step"
        )
    return int(number) if tag.data_type is DataType.INT else number


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None
