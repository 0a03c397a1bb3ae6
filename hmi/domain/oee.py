"""OEE and the downtime Pareto, from downtime events, counts and the shift calendar.

OEE = availability x performance x quality, over a window (a shift, an order,
the shift so far):

    planned production time = window - planned stops
    run time                = planned production time - unplanned downtime
    availability            = run time / planned production time
    performance             = ideal cycle x total count / run time
    quality                 = good count / total count

Choices made here once:

* Micro-stops are a *performance* loss, not an availability loss (the usual
  OEE convention, as in ISA-95 / ISO 22400 practice: short stops are "small
  stops" of the speed loss). They stay inside run time and show as fewer
  pieces; ``micro_stop_s`` reports their time for information.
* An event counts as planned only when ``planned`` is True (its reason says
  so, or it is a break); None (no reason yet) counts as unplanned, so a
  stop nobody explained is never hidden as planned.
* Time counted once: planned stops (events and ``calendar_breaks``, merged)
  win over unplanned downtime where they overlap, unplanned downtime wins
  over micro-stops. Events are clipped to ``[t0, t1)``; an open event lasts
  until ``t1`` (for live OEE, ``t1`` is now).
* A performance above 1 means the ideal cycle is slower than the machine
  really is (a wrong plant file): it is capped at 1.0 and
  ``performance_capped`` set, so the figure is flagged rather than absurd.
* Zero-safe: a factor whose denominator is zero (no planned time, no run
  time, no pieces) is 0.0, and so is OEE; the screen shows "no figure" for
  those (``total == 0``, ``planned_s == 0``).
* Counters: tags hold running totals. A drop means the counter was reset (a
  new order, a PLC restart) and counting starts again from the new value;
  pieces made between the last sample before the reset and the reset itself
  cannot be known and are lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hmi.domain.downtime import BREAK, MICRO_STOP, Context, DowntimeEvent
from hmi.domain.production import ReasonDef, leaves

Interval = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Oee:
    """The OEE of one window, with the times and counts it comes from (seconds, pieces)."""

    window_s: float
    planned_stop_s: float
    planned_s: float  # planned production time
    downtime_s: float  # unplanned downtime, micro-stops excluded: the availability loss
    micro_stop_s: float  # inside run time: part of the performance loss
    run_s: float
    ideal_cycle_s: float
    good: int
    reject: int
    availability: float
    performance: float
    quality: float
    oee: float
    performance_capped: bool = False  # the ideal cycle is too slow: performance was over 1

    @property
    def total(self) -> int:
        return self.good + self.reject


def oee(
    events: Iterable[DowntimeEvent],
    t0: float,
    t1: float,
    ideal_cycle_s: float,
    good: int,
    reject: int,
    calendar_breaks: Iterable[Interval] = (),
    unknown: Iterable[Interval] = (),
) -> Oee:
    """The OEE of one station over ``[t0, t1)``; its events, its counts in that window.

    ``unknown``: spans nobody watched (the HMI was not running). They are left
    out of the window altogether: neither production time nor a stop.
    """
    if t1 < t0:
        raise ValueError(f"a window ends after it starts: {t0} .. {t1}")
    if good < 0 or reject < 0 or ideal_cycle_s < 0:
        raise ValueError("counts and the ideal cycle are never negative")
    planned_stops: list[Interval] = [_clip(b, t0, t1) for b in calendar_breaks]
    unplanned: list[Interval] = []
    micro: list[Interval] = []
    for event in events:
        span = _clip((event.start, t1 if event.end is None else event.end), t0, t1)
        if event.planned is True:
            planned_stops.append(span)
        elif event.micro:
            micro.append(span)
        else:
            unplanned.append(span)
    blind = [_clip(u, t0, t1) for u in unknown]
    unknown_s = _measure(blind)
    planned_stop_s = _measure(blind + planned_stops) - unknown_s
    downtime_s = _measure(blind + planned_stops + unplanned) - unknown_s - planned_stop_s
    micro_stop_s = (
        _measure(blind + planned_stops + unplanned + micro)
        - unknown_s
        - planned_stop_s
        - downtime_s
    )
    window_s = (t1 - t0) - unknown_s
    planned_s = window_s - planned_stop_s
    run_s = planned_s - downtime_s
    total = good + reject
    availability = run_s / planned_s if planned_s > 0 else 0.0
    performance = ideal_cycle_s * total / run_s if run_s > 0 else 0.0
    capped = performance > 1.0
    performance = min(performance, 1.0)
    quality = good / total if total > 0 else 0.0
    return Oee(
        window_s=window_s, planned_stop_s=planned_stop_s, planned_s=planned_s,
        downtime_s=downtime_s, micro_stop_s=micro_stop_s, run_s=run_s,
        ideal_cycle_s=ideal_cycle_s, good=good, reject=reject,
        availability=availability, performance=performance, quality=quality,
        oee=availability * performance * quality, performance_capped=capped,
    )  # fmt: skip


def combine(parts: Iterable[Oee]) -> Oee:
    """One OEE of several windows (the spans of one order): times and counts add up."""
    parts = list(parts)
    if not parts:
        raise ValueError("combine needs at least one window")
    ideal = parts[0].ideal_cycle_s
    planned_s = sum(p.planned_s for p in parts)
    run_s = sum(p.run_s for p in parts)
    good, reject = sum(p.good for p in parts), sum(p.reject for p in parts)
    total = good + reject
    availability = run_s / planned_s if planned_s > 0 else 0.0
    performance = ideal * total / run_s if run_s > 0 else 0.0
    capped = performance > 1.0
    performance = min(performance, 1.0)
    quality = good / total if total > 0 else 0.0
    return Oee(
        window_s=sum(p.window_s for p in parts),
        planned_stop_s=sum(p.planned_stop_s for p in parts), planned_s=planned_s,
        downtime_s=sum(p.downtime_s for p in parts),
        micro_stop_s=sum(p.micro_stop_s for p in parts), run_s=run_s,
        ideal_cycle_s=ideal, good=good, reject=reject,
        availability=availability, performance=performance, quality=quality,
        oee=availability * performance * quality, performance_capped=capped,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class ContextSpan:
    """A stretch of time in which a station made one order (product, batch)."""

    t0: float
    t1: float
    context: Context


def context_spans(
    changes: Iterable[tuple[float, Context]], t0: float, t1: float
) -> list[ContextSpan]:
    """The window ``[t0, t1)`` cut where the context changed, in time order.

    ``changes`` are ``(time, context from then on)``; the last one at or before
    ``t0`` gives the context the window starts with (none known: empty).
    """
    current = Context()
    cuts: list[tuple[float, Context]] = []
    for ts, context in sorted(changes, key=lambda c: c[0]):
        if ts <= t0:
            current = context
        elif ts < t1:
            cuts.append((ts, context))
    spans: list[ContextSpan] = []
    start = t0
    for ts, context in cuts:
        if context == current:
            continue
        if ts > start:
            spans.append(ContextSpan(start, ts, current))
        start, current = ts, context
    if t1 > start:
        spans.append(ContextSpan(start, t1, current))
    return spans


def count_between(samples: Iterable[tuple[float, float]], t0: float, t1: float) -> int:
    """Pieces counted in ``(t0, t1]`` from ``(ts, running total)`` samples of a counter tag.

    The baseline is the last sample at or before ``t0`` (without one, the
    first sample after it); a sample counts what was made up to its time, so
    the one at ``t1`` belongs to the window. A drop is a reset: the new value
    is what was counted since.
    """
    counted = 0.0
    previous: float | None = None
    for ts, value in sorted(samples, key=lambda s: s[0]):
        if ts > t1:
            break
        if ts > t0 and previous is not None:
            counted += value - previous if value >= previous else value
        previous = value
    return round(counted)


@dataclass(frozen=True, slots=True)
class ParetoRow:
    """One reason's share of the downtime."""

    code: str | None  # None: no reason given yet
    name: str
    minutes: float
    count: int  # stops: the parts of one stop split at a shift boundary count once
    share: float  # of the minutes of all rows


NAMES = {MICRO_STOP: "Micro-stops", BREAK: "Break"}
NO_REASON = "No reason yet"


def pareto(
    events: Iterable[DowntimeEvent],
    t0: float,
    t1: float,
    tree: tuple[ReasonDef, ...],
    include_planned: bool = False,
) -> list[ParetoRow]:
    """Downtime by reason over ``[t0, t1)``, most minutes first; unplanned only by default.

    Micro-stops are one row of their own (many short stops are a loss worth
    seeing); events without a reason are the row ``None``.
    """
    names = {leaf.code: leaf.name for leaf, _path in leaves(tree)}
    seconds: dict[str | None, float] = {}
    counts: dict[str | None, int] = {}
    seen: dict[str, str | None] = {}  # event id -> its code
    for event in sorted(events, key=lambda e: e.start):
        if event.planned is True and not include_planned:
            continue
        start, end = _clip((event.start, t1 if event.end is None else event.end), t0, t1)
        if end <= start:
            continue
        code = event.reason
        seconds[code] = seconds.get(code, 0.0) + (end - start)
        continued = event.continues is not None and seen.get(event.continues, "") == code
        counts[code] = counts.get(code, 0) + (0 if continued else 1)
        seen[event.id] = code
    total = sum(seconds.values())
    rows = [
        ParetoRow(
            code=code,
            name=NO_REASON if code is None else names.get(code) or NAMES.get(code, code),
            minutes=s / 60.0,
            count=counts[code],
            share=s / total if total > 0 else 0.0,
        )
        for code, s in seconds.items()
    ]
    rows.sort(key=lambda r: (-r.minutes, -r.count, r.name))
    return rows


def _clip(span: Interval, t0: float, t1: float) -> Interval:
    start, end = max(span[0], t0), min(span[1], t1)
    return (start, max(start, end))


def _measure(spans: list[Interval]) -> float:
    """The length of the union of the spans."""
    total, reach = 0.0, float("-inf")
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total
