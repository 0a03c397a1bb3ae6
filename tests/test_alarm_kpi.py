"""Alarm KPIs from synthetic journals whose answers are worked out by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hmi.domain.alarm_kpi import (
    BadActor,
    Flood,
    Load,
    compute_kpis,
    load_of,
    priorities_within_target,
)
from hmi.domain.alarms import (
    AlarmDef,
    AlarmEngine,
    AlarmKind,
    AlarmState,
    Event,
    Priority,
    Transition,
)
from hmi.domain.quality import Quality

T0 = 1_800_000_000.0  # a UTC epoch, any will do
HOUR = 3600.0
DAY = 86400.0


def active(
    at: float,
    alarm_id: str = "A",
    *,
    station: str = "S1",
    priority: Priority = Priority.LOW,
    annunciated: bool = True,
) -> Transition:
    state = AlarmState.UNACK if annunciated else AlarmState.SHLVD
    return Transition(
        T0 + at, alarm_id, station, priority, Event.ACTIVE, state, annunciated=annunciated
    )


def cleared(at: float, alarm_id: str = "A", *, station: str = "S1") -> Transition:
    return Transition(T0 + at, alarm_id, station, Priority.LOW, Event.CLEARED, AlarmState.RTNUN)


def burst(times: list[float], prefix: str = "F") -> list[Transition]:
    """One annunciated activation of a different alarm at each offset."""
    return [active(at, f"{prefix}{i:02d}") for i, at in enumerate(times)]


# -- rates --------------------------------------------------------------------------


def test_averages_over_a_known_window() -> None:
    # 30 alarms in 2 h: 30 / 12 periods = 2.5 per 10 min, 15 per hour.
    journal = burst([i * 240.0 for i in range(30)])
    kpis = compute_kpis(journal, T0, T0 + 2 * HOUR)
    assert kpis.annunciated == 30
    assert kpis.per_10_min == pytest.approx(2.5)
    assert kpis.per_hour == pytest.approx(15.0)
    assert kpis.verdict().load is Load.OVERLOADED
    # 12 in 2 h: 1 per 10 min, 6 per hour, the acceptable rate.
    calm = compute_kpis(burst([i * 600.0 for i in range(12)]), T0, T0 + 2 * HOUR)
    assert calm.per_10_min == pytest.approx(1.0)
    assert calm.per_hour == pytest.approx(6.0)
    assert calm.verdict().load is Load.ACCEPTABLE


def test_window_is_half_open() -> None:
    journal = [active(-1, "before"), active(0, "first"), active(599, "last"), active(600, "end")]
    kpis = compute_kpis(journal, T0, T0 + 600)
    assert kpis.annunciated == 2
    assert {b.alarm_id for b in kpis.bad_actors} == {"first", "last"}


def test_load_bands() -> None:
    assert load_of(0.0) is Load.ACCEPTABLE
    assert load_of(1.0) is Load.ACCEPTABLE
    assert load_of(1.5) is Load.MANAGEABLE
    assert load_of(2.0) is Load.MANAGEABLE
    assert load_of(2.01) is Load.OVERLOADED


def test_hidden_activations_are_not_annunciated() -> None:
    journal = [active(i * 10.0, f"shown{i}") for i in range(5)]
    # 20 shelved or suppressed activations in 40 s: no flood, no load.
    journal += [active(100 + i * 2.0, f"hidden{i}", annunciated=False) for i in range(20)]
    kpis = compute_kpis(journal, T0, T0 + HOUR)
    assert kpis.annunciated == 5
    assert kpis.peak_10_min == 5
    assert kpis.floods == ()
    assert sum(kpis.priority_counts.values()) == 5
    assert all(b.alarm_id.startswith("shown") for b in kpis.bad_actors)


def test_station_filter() -> None:
    journal = [active(i * 30.0, f"a{i}", station="S1") for i in range(4)]
    journal += [active(i * 30.0 + 5, f"b{i}", station="S2") for i in range(6)]
    assert compute_kpis(journal, T0, T0 + HOUR, station="S1").annunciated == 4
    assert compute_kpis(journal, T0, T0 + HOUR, station="S2").annunciated == 6
    assert compute_kpis(journal, T0, T0 + HOUR).annunciated == 10
    assert compute_kpis(journal, T0, T0 + HOUR, station="S3").annunciated == 0


def test_an_empty_journal_gives_zeros() -> None:
    kpis = compute_kpis([], T0, T0 + HOUR)
    assert kpis.annunciated == kpis.peak_10_min == 0
    assert kpis.per_10_min == kpis.per_hour == kpis.top10_share == 0.0
    assert kpis.priority_distribution == dict.fromkeys(Priority, 0.0)
    assert kpis.verdict().ok


def test_an_empty_window_is_a_bug() -> None:
    with pytest.raises(ValueError, match="must end after it starts"):
        compute_kpis([], T0, T0)


# -- floods -------------------------------------------------------------------------


def test_eleven_alarms_in_ten_minutes_make_exactly_one_flood() -> None:
    # At 100, 150, ..., 600 s. The 11th (600 s) is within 500 s of the first.
    # The trailing count falls to 4 when the 7th alarm (400 s) ages out at 1000 s.
    journal = burst([100.0 + 50 * i for i in range(11)])
    kpis = compute_kpis(journal, T0, T0 + HOUR)
    assert kpis.floods == (Flood(T0 + 100, T0 + 1000, count=11, peak=11),)
    assert kpis.peak_10_min == 11
    assert kpis.percent_time_in_flood == pytest.approx(100 * 900 / 3600)
    # The aligned periods [0, 600) and [600, 1200) hold 10 and 1: neither is over 10.
    assert kpis.percent_10min_periods_over_10 == 0.0
    assert not kpis.verdict().floods_ok


def test_ten_alarms_in_ten_minutes_are_no_flood() -> None:
    kpis = compute_kpis(burst([60.0 * i for i in range(10)]), T0, T0 + HOUR)
    assert kpis.floods == ()
    assert kpis.peak_10_min == 10


def test_eleven_alarms_spanning_exactly_ten_minutes_are_no_flood() -> None:
    # 0, 60, ..., 600 s: any 10-minute interval, (t - 600, t], holds 10 of them.
    kpis = compute_kpis(burst([60.0 * i for i in range(11)]), T0, T0 + HOUR)
    assert kpis.floods == ()
    assert kpis.peak_10_min == 10


def test_a_flood_ends_when_the_trailing_count_falls_below_five() -> None:
    # 11 at 0, 10, ..., 100 s, then one at 400 s and one at 800 s. At 400 s the
    # trailing count peaks at 12. From 600 s the burst ages out one per 10 s: the
    # count is 11 - k after the k-th, below 5 at k = 7, that is at 670 s.
    journal = [*burst([10.0 * i for i in range(11)]), active(400, "late"), active(800, "later")]
    kpis = compute_kpis(journal, T0, T0 + HOUR)
    assert kpis.floods == (Flood(T0, T0 + 670, count=12, peak=12),)
    assert kpis.floods[0].duration_s == 670
    assert kpis.peak_10_min == 12


def test_two_floods_and_a_flood_still_going_at_the_window_end() -> None:
    first = burst([10.0 * i for i in range(11)], "a")  # ends at 600 + 60 = 660 s
    second = burst([1000.0 + 10 * i for i in range(11)], "b")  # ends at 1660 s
    third = burst([3000.0 + 10 * i for i in range(11)], "c")  # the window ends at 3300 s
    kpis = compute_kpis([*first, *second, *third], T0, T0 + 3300)
    assert kpis.floods == (
        Flood(T0, T0 + 660, 11, 11),
        Flood(T0 + 1000, T0 + 1660, 11, 11),
        Flood(T0 + 3000, T0 + 3300, 11, 11, ongoing=True),
    )
    assert kpis.percent_time_in_flood == pytest.approx(100 * (660 + 660 + 300) / 3300)


def test_fixed_periods_over_their_limits() -> None:
    # 11 in the second aligned 10-minute period of six; 31 in the first hour of two.
    journal = burst([600.0 + 50 * i for i in range(11)], "p")
    kpis = compute_kpis(journal, T0, T0 + HOUR)
    assert kpis.percent_10min_periods_over_10 == pytest.approx(100 / 6)
    assert kpis.percent_hours_over_30 == 0.0
    busy = compute_kpis(burst([100.0 * i for i in range(31)], "h"), T0, T0 + 2 * HOUR)
    assert busy.percent_hours_over_30 == pytest.approx(50.0)
    assert busy.percent_10min_periods_over_10 == 0.0  # 6, 6, 6, 6, 6 and 1 per period
    assert not busy.verdict().floods_ok


# -- nuisance alarms -------------------------------------------------------------


def test_chattering_is_three_activations_within_sixty_seconds() -> None:
    journal = [
        active(0, "C"), cleared(10, "C"), active(30, "C"), cleared(40, "C"), active(59, "C"),
        active(0, "D"), cleared(10, "D"), active(30, "D"), cleared(40, "D"), active(61, "D"),
    ]  # fmt: skip
    kpis = compute_kpis(journal, T0, T0 + HOUR)
    assert kpis.chattering == ("C",)
    assert not kpis.verdict().chattering_ok


def test_hidden_activations_chatter_too() -> None:
    journal = [
        active(0, "H", annunciated=False), cleared(5, "H"),
        active(20, "H", annunciated=False), cleared(25, "H"),
        active(40, "H", annunciated=False),
    ]  # fmt: skip
    kpis = compute_kpis(journal, T0, T0 + HOUR)
    assert kpis.chattering == ("H",)
    assert kpis.annunciated == 0


def test_re_annunciation_is_not_a_new_activation() -> None:
    # Hidden, then shown again twice while still active (unshelved, returned to service).
    journal = [active(0, "R", annunciated=False), active(10, "R"), active(20, "R")]
    kpis = compute_kpis(journal, T0, T0 + HOUR)
    assert kpis.chattering == ()
    assert kpis.annunciated == 2


def test_an_expired_shelve_re_annunciates_from_the_engine() -> None:
    definition = AlarmDef("TT1.HI", "S1", "TT1", AlarmKind.HI, Priority.HIGH, "Hot", setpoint=80)
    engine = AlarmEngine((definition,))
    journal = engine.sample("TT1", 90.0, Quality.GOOD, T0 + 10)
    journal.append(engine.shelve("TT1.HI", T0 + 20, "op", "sensor check", 60.0))
    journal += engine.tick(T0 + 80)  # the shelve ran out, the alarm still active
    assert [t.event for t in journal] == [Event.ACTIVE, Event.SHELVED, Event.UNSHELVED]
    kpis = compute_kpis(journal, T0, T0 + HOUR)
    assert kpis.annunciated == 2
    assert kpis.priority_counts[Priority.HIGH] == 2


def test_standing_alarms_are_active_more_than_a_day() -> None:
    t1 = 3 * DAY
    journal = sorted(
        [
            active(-2 * DAY, "before"),  # never cleared: 5 days by t1
            active(-3 * DAY, "over"), cleared(-DAY, "over"),  # cleared before the window
            active(-23 * HOUR, "across"), cleared(2 * HOUR, "across"),  # 25 h
            active(HOUR, "inside"), cleared(HOUR + DAY + 1, "inside"),  # 24 h and 1 s
            active(HOUR, "short"), cleared(HOUR + 23 * HOUR, "short"),  # 23 h
            active(t1 - DAY + 1, "late"),  # active at t1, but not yet a day
            active(-DAY, "flapping"), cleared(-DAY + 60, "flapping"), active(t1 - HOUR, "flapping"),
        ],
        key=lambda t: t.ts,
    )  # fmt: skip
    kpis = compute_kpis(journal, T0, T0 + t1)
    assert kpis.standing == ("across", "before", "inside")
    assert kpis.verdict().standing_ok  # fewer than five


# -- bad actors and priorities ----------------------------------------------------


def test_bad_actors_in_order_with_their_shares() -> None:
    counts = {"A": 5, "B": 2, "C": 2}  # then a third B, with its message
    journal = sorted(
        (active(60.0 * i + offset, alarm_id) for offset, (alarm_id, n) in enumerate(counts.items())
         for i in range(n)),
        key=lambda t: t.ts,
    )  # fmt: skip
    journal.append(replace(active(3000, "B"), message="Valve 7 open"))
    kpis = compute_kpis(journal, T0, T0 + HOUR, names={"A": "Tank 1 high", "C": "Pump trip"})
    assert kpis.bad_actors == (
        BadActor("A", "Tank 1 high", 5, 0.5),
        BadActor("B", "Valve 7 open", 3, 0.3),
        BadActor("C", "Pump trip", 2, 0.2),
    )
    assert kpis.top10_share == 1.0


def test_only_the_top_ten_bad_actors_with_ties_by_id() -> None:
    # a01 12 times, a02 11 times, ..., a12 once: 78 in all; the top ten carry 75.
    # x00 ties with a10 (3 times) and sorts after it.
    journal = [active(i * 1.0 + n / 100, f"a{n:02d}") for n in range(1, 13) for i in range(13 - n)]
    journal += [active(50.0 + i, "x00") for i in range(3)]
    journal.sort(key=lambda t: t.ts)
    kpis = compute_kpis(journal, T0, T0 + DAY)
    assert kpis.annunciated == 81
    assert [(b.alarm_id, b.count) for b in kpis.bad_actors] == [
        (f"a{n:02d}", 13 - n) for n in range(1, 11)
    ]
    assert kpis.bad_actors[0].share == pytest.approx(12 / 81)
    assert kpis.top10_share == pytest.approx(75 / 81)


def test_priority_distribution_meets_the_target() -> None:
    priorities = [Priority.LOW] * 16 + [Priority.MEDIUM] * 3 + [Priority.HIGH]
    journal = [active(60.0 * i, f"p{i}", priority=p) for i, p in enumerate(priorities)]
    kpis = compute_kpis(journal, T0, T0 + 4 * HOUR)
    assert kpis.priority_counts == {
        Priority.LOW: 16, Priority.MEDIUM: 3, Priority.HIGH: 1, Priority.CRITICAL: 0
    }  # fmt: skip
    assert kpis.priority_distribution == {
        Priority.LOW: pytest.approx(0.80),
        Priority.MEDIUM: pytest.approx(0.15),
        Priority.HIGH: pytest.approx(0.05),
        Priority.CRITICAL: 0.0,
    }
    assert kpis.verdict().priority_ok


def test_priority_target_counts_critical_with_high() -> None:
    assert priorities_within_target({Priority.LOW: 19, Priority.CRITICAL: 1})
    assert not priorities_within_target({Priority.LOW: 18, Priority.HIGH: 1, Priority.CRITICAL: 1})
    assert not priorities_within_target({Priority.LOW: 15, Priority.MEDIUM: 5})
    assert priorities_within_target({Priority.LOW: 20})
    assert priorities_within_target({})


def test_replaying_a_journal_gives_the_same_kpis() -> None:
    journal = [*burst([10.0 * i for i in range(11)]), active(400, "late")]
    assert compute_kpis(journal, T0, T0 + HOUR) == compute_kpis(list(journal), T0, T0 + HOUR)
