"""Alarm-system performance KPIs (ISA-18.2 / IEC 62682 / EEMUA 191) from the alarm journal.

The numbers an alarm-management review asks for: the average annunciated
rate, floods, chattering and standing alarms, the top-10 bad actors and the
priority distribution, with the targets they are judged against
(standards.md section 1b, items 10-14). Computed from the raw journal, so
replaying a journal always gives the same KPIs.

Choices the standards leave open, made here once:

* The window is half-open, ``t0 <= ts < t1``, so consecutive windows never
  count an alarm twice. It is a closed world: activations before ``t0`` do
  not feed rates or floods (they only tell whether an alarm was already
  active, for chattering and standing alarms).
* *Annunciated* means every journal line with ``annunciated`` set: activations
  the operator was shown, and re-annunciations of an alarm that comes back
  from shelving, suppression or out of service while still active (the
  engine journals an expired timed shelve as an annunciated UNSHELVED).
  Hidden activations (shelved, suppressed, out of service) are not counted.
* "N alarms in 10 minutes" means N activations less than 600 s apart from
  first to last: every sliding interval is half-open, ``(t - 600, t]``.
  Eleven alarms spanning exactly 600 s are ten per interval, not a flood.
* A flood starts at the 11th annunciated alarm within 10 minutes, and its
  recorded start is the time of the first of those 11 (no earlier than the
  end of the previous flood). It ends at the moment the count over the
  trailing 10 minutes falls below 5, which is when an alarm ages out of that
  interval. A flood still going at ``t1`` ends there and is ``ongoing``.
  A flood's ``count`` is the annunciated alarms in ``[start, end)``.
* Fixed periods (10 min, 1 h) are aligned to ``t0``; a shorter last period
  still counts as a period.
* An *activation* is the alarm condition becoming active: an ACTIVE line for
  an alarm not already active (re-annunciations are not activations).
  Chattering counts activations whether annunciated or not, because the
  chatter is in the condition and shelving it hides rather than cures it:
  3 activations less than 60 s apart from first to last.
* A standing alarm's condition has been active for more than 24 h without
  a CLEARED (or REMOVED), measured up to its clear or ``t1``, whichever is
  first, with the activation possibly before ``t0``; shelving does not stop
  the clock. The condition-active period must reach into the window.
"""

from __future__ import annotations

import bisect
import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import attrgetter

from hmi.domain.alarms import Event, Priority, Transition

TEN_MINUTES_S = 600.0
HOUR_S = 3600.0
DAY_S = 86400.0

FLOOD_START_ABOVE = 10  # more than 10 annunciated in 10 minutes starts a flood ...
FLOOD_END_BELOW = 5  # ... and fewer than 5 in the trailing 10 minutes ends it
PERIOD_10_MIN_LIMIT = 10  # a 10-minute period with more than this is over
HOUR_LIMIT = 30  # an hour with more than this is over
CHATTER_ACTIVATIONS = 3
CHATTER_WINDOW_S = 60.0
STANDING_AFTER_S = DAY_S
BAD_ACTORS = 10

# Targets (standards.md 1b items 10-13). Rates per 10 minutes; per hour is six times these.
ACCEPTABLE_PER_10_MIN = 1.0
MANAGEABLE_PER_10_MIN = 2.0
ACCEPTABLE_PER_HOUR = 6 * ACCEPTABLE_PER_10_MIN
MANAGEABLE_PER_HOUR = 6 * MANAGEABLE_PER_10_MIN
FLOOD_TIME_TARGET_PERCENT = 1.0  # time in flood below this
PERIODS_OVER_TARGET_PERCENT = 1.0  # 10-min periods over 10, and hours over 30, below this
STANDING_TARGET = 5  # fewer than this
# About 80 % low, 15 % medium, 5 % high. The target names three levels: CRITICAL
# counts with HIGH, and each level with those above it may not exceed its share.
PRIORITY_TARGET_PERCENT: Mapping[Priority, int] = {
    Priority.LOW: 80,
    Priority.MEDIUM: 15,
    Priority.HIGH: 5,
}

_ENDS_ACTIVATION = frozenset({Event.CLEARED, Event.REMOVED})


class Load(enum.StrEnum):
    """How the average annunciated rate compares with the ISA-18.2 table."""

    ACCEPTABLE = "acceptable"  # at most ~1 per 10 min (~6 per hour)
    MANAGEABLE = "manageable"  # at most ~2 per 10 min (~12 per hour)
    OVERLOADED = "overloaded"  # more than the maximum manageable


@dataclass(frozen=True, slots=True)
class Flood:
    """One alarm flood: ``count`` annunciated alarms in ``[start, end)``.

    ``peak`` is the most alarms in any 10-minute interval during it;
    ``ongoing`` means it had not ended by the window's end, which is ``end``.
    """

    start: float
    end: float
    count: int
    peak: int
    ongoing: bool = False

    @property
    def duration_s(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class BadActor:
    """One of the most frequent alarms; ``share`` of all annunciated alarms, 0..1."""

    alarm_id: str
    name: str  # from ``names``, else the journal's message, else the id
    count: int
    share: float


@dataclass(frozen=True, slots=True)
class KpiVerdict:
    """The KPIs against their targets; ``ok`` when every one is met."""

    load: Load
    floods_ok: bool
    chattering_ok: bool
    standing_ok: bool
    priority_ok: bool

    @property
    def ok(self) -> bool:
        return self.load is Load.ACCEPTABLE and all(
            (self.floods_ok, self.chattering_ok, self.standing_ok, self.priority_ok)
        )


@dataclass(frozen=True, slots=True)
class AlarmKpis:
    """The alarm KPIs of one window of the journal, for one station or all (None).

    Shares are 0..1; fields named ``percent_*`` are 0..100.
    """

    t0: float
    t1: float
    station: str | None
    annunciated: int
    per_10_min: float
    per_hour: float
    peak_10_min: int
    floods: tuple[Flood, ...]
    percent_time_in_flood: float
    percent_10min_periods_over_10: float
    percent_hours_over_30: float
    chattering: tuple[str, ...]
    standing: tuple[str, ...]
    bad_actors: tuple[BadActor, ...]
    top10_share: float
    priority_counts: Mapping[Priority, int]
    priority_distribution: Mapping[Priority, float]

    def verdict(self) -> KpiVerdict:
        return KpiVerdict(
            load=load_of(self.per_10_min),
            floods_ok=(
                self.percent_time_in_flood < FLOOD_TIME_TARGET_PERCENT
                and self.percent_10min_periods_over_10 < PERIODS_OVER_TARGET_PERCENT
                and self.percent_hours_over_30 < PERIODS_OVER_TARGET_PERCENT
            ),
            chattering_ok=not self.chattering,
            standing_ok=len(self.standing) < STANDING_TARGET,
            priority_ok=priorities_within_target(self.priority_counts),
        )


def load_of(per_10_min: float) -> Load:
    if per_10_min <= ACCEPTABLE_PER_10_MIN:
        return Load.ACCEPTABLE
    if per_10_min <= MANAGEABLE_PER_10_MIN:
        return Load.MANAGEABLE
    return Load.OVERLOADED


def priorities_within_target(counts: Mapping[Priority, int]) -> bool:
    """At most ~5 % high or critical, and at most ~20 % medium or above; more low is fine."""
    total = sum(counts.values())
    high = counts.get(Priority.HIGH, 0) + counts.get(Priority.CRITICAL, 0)
    medium_up = high + counts.get(Priority.MEDIUM, 0)
    target = PRIORITY_TARGET_PERCENT
    return (
        high * 100 <= target[Priority.HIGH] * total
        and medium_up * 100 <= (target[Priority.HIGH] + target[Priority.MEDIUM]) * total
    )  # fmt: skip


def compute_kpis(
    transitions: Iterable[Transition],
    t0: float,
    t1: float,
    station: str | None = None,
    names: Mapping[str, str] | None = None,
) -> AlarmKpis:
    """The KPIs of the journal ``transitions`` over ``t0 <= ts < t1`` (UTC epoch seconds).

    ``station`` None takes every station. ``names`` maps alarm ids to messages
    for the bad-actor list, over the messages the journal carries. Lines after
    ``t1`` are ignored; lines before ``t0`` only tell which alarms were already
    active.
    """
    if not t1 > t0:
        raise ValueError(f"the KPI window must end after it starts ({t0} .. {t1})")
    journal = sorted(transitions, key=attrgetter("ts"))  # stable; linear when already in order

    times: list[float] = []  # annunciated, in the window
    per_alarm: Counter[str] = Counter()
    messages: dict[str, str] = {}
    priority_counts = dict.fromkeys(Priority, 0)
    active_since: dict[str, float] = {}
    activations: dict[str, list[float]] = {}
    standing: set[str] = set()
    for t in journal:
        if t.ts >= t1:
            break
        if station is not None and t.station != station:
            continue
        if t.event is Event.ACTIVE and t.alarm_id not in active_since:
            active_since[t.alarm_id] = t.ts
            if t.ts >= t0:
                activations.setdefault(t.alarm_id, []).append(t.ts)
        elif t.event in _ENDS_ACTIVATION and t.alarm_id in active_since:
            since = active_since.pop(t.alarm_id)
            if t.ts > t0 and t.ts - since > STANDING_AFTER_S:
                standing.add(t.alarm_id)
        if t.annunciated and t.ts >= t0:
            times.append(t.ts)
            per_alarm[t.alarm_id] += 1
            if t.message:
                messages[t.alarm_id] = t.message
            priority_counts[t.priority] += 1
    standing.update(a for a, since in active_since.items() if t1 - since > STANDING_AFTER_S)

    window_s = t1 - t0
    total = len(times)
    floods, peak = _floods(times, t1)
    top = sorted(per_alarm.items(), key=lambda item: (-item[1], item[0]))[:BAD_ACTORS]
    messages.update(names or {})
    bad_actors = tuple(
        BadActor(alarm_id, messages.get(alarm_id, alarm_id), count, _share(count, total))
        for alarm_id, count in top
    )
    return AlarmKpis(
        t0=t0,
        t1=t1,
        station=station,
        annunciated=total,
        per_10_min=total * TEN_MINUTES_S / window_s,
        per_hour=total * HOUR_S / window_s,
        peak_10_min=peak,
        floods=floods,
        percent_time_in_flood=100.0 * sum(f.duration_s for f in floods) / window_s,
        percent_10min_periods_over_10=_percent_periods_over(
            times, t0, window_s, TEN_MINUTES_S, PERIOD_10_MIN_LIMIT
        ),
        percent_hours_over_30=_percent_periods_over(times, t0, window_s, HOUR_S, HOUR_LIMIT),
        chattering=tuple(sorted(a for a, ts in activations.items() if _chatters(ts))),
        standing=tuple(sorted(standing)),
        bad_actors=bad_actors,
        top10_share=_share(sum(b.count for b in bad_actors), total),
        priority_counts=priority_counts,
        priority_distribution={p: _share(n, total) for p, n in priority_counts.items()},
    )


def _floods(times: list[float], t1: float) -> tuple[tuple[Flood, ...], int]:
    """Floods, and the peak count in any 10-minute interval, from sorted annunciation times.

    One sweep over two sorted event streams: arrivals (the times) and the
    moments each alarm ages out of the trailing interval (time + 600 s).
    """
    floods: list[Flood] = []
    n = len(times)
    left = right = 0  # the trailing interval holds times[left:right]
    peak = flood_peak = 0
    start: float | None = None
    last_end = -float("inf")
    while True:
        arrival = times[right] if right < n else float("inf")
        expiry = times[left] + TEN_MINUTES_S if left < right else float("inf")
        now = min(arrival, expiry)
        if now >= t1:  # also when both streams are exhausted
            break
        while left < right and times[left] + TEN_MINUTES_S <= now:
            left += 1
        while right < n and times[right] == now:
            right += 1
        count = right - left
        peak = max(peak, count)
        if start is None:
            if count > FLOOD_START_ABOVE:
                start, flood_peak = max(times[left], last_end), count
        elif count < FLOOD_END_BELOW:
            floods.append(Flood(start, now, _count_between(times, start, now), flood_peak))
            start, last_end = None, now
        else:
            flood_peak = max(flood_peak, count)
    if start is not None:
        floods.append(Flood(start, t1, _count_between(times, start, t1), flood_peak, True))
    return tuple(floods), peak


def _count_between(times: list[float], start: float, end: float) -> int:
    return bisect.bisect_left(times, end) - bisect.bisect_left(times, start)


def _percent_periods_over(
    times: list[float], t0: float, window_s: float, period_s: float, limit: int
) -> float:
    periods = -(-window_s // period_s)  # ceiling: a shorter last period still counts
    per_period = Counter(int((ts - t0) // period_s) for ts in times)
    over = sum(1 for count in per_period.values() if count > limit)
    return 100.0 * over / periods


def _chatters(activations: list[float]) -> bool:
    k = CHATTER_ACTIVATIONS - 1
    return any(
        activations[i] + CHATTER_WINDOW_S > activations[i + k] for i in range(len(activations) - k)
    )


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0
