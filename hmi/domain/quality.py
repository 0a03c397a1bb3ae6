"""Quality is part of every value: good, uncertain, bad, stale, no connection."""

from __future__ import annotations

import enum


class Quality(enum.IntEnum):
    """How far a value can be trusted, ordered from best to worst.

    ``STALE`` means the source is connected but the value has not updated within
    its staleness window; ``NO_CONNECTION`` means the source itself is down.
    """

    GOOD = 0
    UNCERTAIN = 1
    BAD = 2
    STALE = 3
    NO_CONNECTION = 4

    @property
    def usable(self) -> bool:
        """Whether the value may be shown as the process value and trended as a line."""
        return self is Quality.GOOD or self is Quality.UNCERTAIN


def quality_from_status_code(code: int) -> Quality:
    """Map an OPC UA StatusCode to a quality by its two severity bits.

    00 good, 01 uncertain, 10 and 11 bad (OPC UA Part 4, 7.39).
    """
    severity = (code >> 30) & 0b11
    if severity == 0:
        return Quality.GOOD
    if severity == 1:
        return Quality.UNCERTAIN
    return Quality.BAD
