"""What the plant file says about production: reasons for stops, shifts, stations' rates.

Definitions only (validated by ``hmi.config``); downtime detection lives in
``hmi.domain.downtime``, OEE in ``hmi.domain.oee``.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_REASON_DEPTH = 3


@dataclass(frozen=True, slots=True)
class ReasonDef:
    """A node of the reason tree: a category (with children) or a reason (a leaf).

    ``code`` is unique in the whole tree and is what records carry; ``planned``
    and ``color`` are inherited by children that do not set their own.
    """

    code: str
    name: str
    planned: bool = False
    color: str = "#808080"
    children: tuple[ReasonDef, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children


def leaves(tree: tuple[ReasonDef, ...]) -> list[tuple[ReasonDef, tuple[ReasonDef, ...]]]:
    """Every pickable reason with its path of categories, depth first."""
    out: list[tuple[ReasonDef, tuple[ReasonDef, ...]]] = []

    def walk(nodes: tuple[ReasonDef, ...], path: tuple[ReasonDef, ...]) -> None:
        for node in nodes:
            if node.is_leaf:
                out.append((node, path))
            else:
                walk(node.children, (*path, node))

    walk(tree, ())
    return out


@dataclass(frozen=True, slots=True)
class BreakDef:
    """A planned stop inside a shift, minutes after midnight of the shift's start day."""

    name: str
    start_min: int
    minutes: int


@dataclass(frozen=True, slots=True)
class ShiftDef:
    """A shift that starts ``start_min`` after local midnight and lasts ``minutes``.

    ``days``: the weekdays (0 = Monday) on which it starts. A night shift runs
    past midnight (``start_min + minutes > 1440``).
    """

    name: str
    start_min: int
    minutes: int
    days: frozenset[int] = frozenset(range(7))
    breaks: tuple[BreakDef, ...] = ()


@dataclass(frozen=True, slots=True)
class ShiftCalendar:
    """The plant's shifts in its local time zone (an IANA name, e.g. "Europe/Berlin")."""

    timezone: str = "UTC"
    shifts: tuple[ShiftDef, ...] = ()


@dataclass(frozen=True, slots=True)
class ProductionDef:
    """How a station produces: its ideal cycle and where its counts and context come from.

    Counts are tags holding running totals (they may reset, e.g. at a new
    order); context tags hold the current order, product and batch (MES over
    MQTT or OPC UA); without them the operator enters the context by hand.
    """

    ideal_cycle_s: float
    good_count_tag: str | None = None
    reject_count_tag: str | None = None
    micro_stop_s: float = 120.0  # stops shorter than this are micro-stops, never asked about
    order_tag: str | None = None
    product_tag: str | None = None
    batch_tag: str | None = None
