"""OEE, counter windows and the downtime Pareto, against figures worked out by hand."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from hmi.domain.downtime import (
    BREAK,
    MICRO_STOP,
    Context,
    DowntimeChange,
    DowntimeEvent,
    DowntimeTracker,
    EventSource,
    edit,
)
from hmi.domain.oee import (
    ContextSpan,
    Oee,
    ParetoRow,
    combine,
    context_spans,
    count_between,
    oee,
    pareto,
)
from hmi.domain.plant import MachineState
from hmi.domain.production import BreakDef, ReasonDef, ShiftCalendar, ShiftDef
from hmi.domain.shifts import break_windows

RUNNING, STOPPED = MachineState.RUNNING, MachineState.STOPPED
DAY = 1_736_899_200.0  # Wednesday 15 January 2025, 00:00 UTC
CALENDAR = ShiftCalendar(
    "UTC", (ShiftDef("Early", 6 * 60, 480, breaks=(BreakDef("Lunch", 10 * 60, 30),)),)
)
JAM = ReasonDef("jam", "Jam at the infeed")
MOTOR = ReasonDef("motor", "Motor fault")
CHANGEOVER = ReasonDef("changeover", "Changeover", planned=True)
TREE = (
    ReasonDef("mech", "Mechanical", children=(JAM, MOTOR)),
    ReasonDef("plan", "Planned", planned=True, children=(CHANGEOVER,)),
)


def at(h: int, m: int = 0, s: float = 0) -> float:
    return DAY + h * 3600 + m * 60 + s


def latest(changes: list[DowntimeChange]) -> list[DowntimeEvent]:
    events: dict[str, DowntimeEvent] = {}
    for change in changes:
        events[change.event.id] = change.event
    return list(events.values())


def early_shift(until: float = at(14)) -> list[DowntimeEvent]:
    """The hand-computed shift: 06:00-14:00, lunch 10:00-10:30, stops as below."""
    counter = itertools.count(1)
    t = DowntimeTracker("filler", 120.0, CALENDAR, lambda: f"e{next(counter)}")
    feed = [
        (RUNNING, at(6)),
        (STOPPED, at(7)),  # 30 min unplanned
        (RUNNING, at(7, 30)),
        (STOPPED, at(8)),  # three 1-minute micro-stops
        (RUNNING, at(8, 1)),
        (STOPPED, at(9)),
        (RUNNING, at(9, 1)),
        (STOPPED, at(10)),  # lunch, as the calendar plans it
        (RUNNING, at(10, 30)),
        (STOPPED, at(11)),  # 15 min unplanned, nobody gave a reason yet
        (RUNNING, at(11, 15)),
        (STOPPED, at(12)),
        (RUNNING, at(12, 1)),
    ]
    changes: list[DowntimeChange] = []
    for state, ts in feed:
        if ts <= until:
            changes += t.state(state, ts)
    changes += t.tick(until)
    return latest(changes)


def test_the_hand_computed_shift() -> None:
    events = early_shift()
    assert len(events) == 6
    first = next(e for e in events if e.start == at(7))
    events = [edit(first, JAM) if e is first else e for e in events]
    # Planned: 480 - 30 = 450 min. Unplanned: 30 + 15 = 45 min, so run time 405 min.
    # A = 405 / 450 = 0.9; P = 1 s x 21,870 / (405 x 60 s) = 0.9; Q = 19,683 / 21,870 = 0.9.
    figures = oee(events, at(6), at(14), ideal_cycle_s=1.0, good=19_683, reject=2_187)
    assert figures.window_s == 480 * 60
    assert figures.planned_stop_s == 30 * 60
    assert figures.planned_s == 450 * 60
    assert figures.downtime_s == 45 * 60
    assert figures.micro_stop_s == 3 * 60  # inside run time: a performance loss
    assert figures.run_s == 405 * 60
    assert figures.total == 21_870
    assert (figures.availability, figures.performance, figures.quality) == (0.9, 0.9, 0.9)
    assert figures.oee == pytest.approx(0.729)
    assert not figures.performance_capped


def test_the_shift_cut_by_order_adds_up_to_the_shift() -> None:
    events = early_shift()
    first = next(e for e in events if e.start == at(7))
    events = [edit(first, JAM) if e is first else e for e in events]
    a, b = Context("4711", "cola"), Context("4712", "lemon")
    changes = [(at(5), a), (at(9, 30), b), (at(9, 45), b), (at(13), a)]
    spans = context_spans(changes, at(6), at(14))
    assert spans == [
        ContextSpan(at(6), at(9, 30), a),
        ContextSpan(at(9, 30), at(13), b),
        ContextSpan(at(13), at(14), a),
    ]
    # Counts per span: the shift's 19,683 good and 2,187 rejects, shared out.
    parts = {
        spans[0]: (8_000, 900),
        spans[1]: (9_000, 1_000),
        spans[2]: (2_683, 287),
    }
    figures = {
        span: oee(events, span.t0, span.t1, 1.0, good, reject)
        for span, (good, reject) in parts.items()
    }
    order_a = combine([figures[spans[0]], figures[spans[2]]])
    # Order 4711: 06:00-09:30 and 13:00-14:00, 270 min, no planned stop; 30 min
    # unplanned (07:00-07:30), so A = 240 / 270; P = 11,870 / (240 x 60); Q = 10,683 / 11,870.
    assert order_a.planned_s == 270 * 60
    assert order_a.run_s == 240 * 60
    assert order_a.availability == pytest.approx(240 / 270)
    assert order_a.performance == pytest.approx(11_870 / 14_400)
    assert order_a.quality == pytest.approx(10_683 / 11_870)
    whole = combine(figures.values())
    shift = oee(events, at(6), at(14), 1.0, 19_683, 2_187)
    assert whole.oee == pytest.approx(shift.oee)
    assert (whole.planned_s, whole.run_s, whole.total) == (shift.planned_s, shift.run_s, 21_870)


def test_context_spans_start_empty_and_ignore_repeats() -> None:
    a = Context("4711")
    assert context_spans([], at(6), at(7)) == [ContextSpan(at(6), at(7), Context())]
    assert context_spans([(at(6, 30), a), (at(6, 40), a)], at(6), at(7)) == [
        ContextSpan(at(6), at(6, 30), Context()),
        ContextSpan(at(6, 30), at(7), a),
    ]
    assert context_spans([(at(6), a)], at(6), at(7)) == [ContextSpan(at(6), at(7), a)]
    with pytest.raises(ValueError):
        combine([])


def test_calendar_breaks_and_break_events_count_once() -> None:
    events = early_shift()
    breaks = break_windows(CALENDAR, at(6), at(14))
    assert breaks == [(at(10), at(10, 30))]
    with_both = oee(events, at(6), at(14), 1.0, 19_683, 2_187, calendar_breaks=breaks)
    without_events = [e for e in events if e.source is not EventSource.BREAK]
    only_calendar = oee(without_events, at(6), at(14), 1.0, 19_683, 2_187, breaks)
    assert with_both.planned_s == only_calendar.planned_s == 450 * 60
    assert with_both.availability == only_calendar.availability == 0.9


def test_live_oee_counts_the_open_stop_up_to_now() -> None:
    events = early_shift(until=at(11, 10))
    assert [e.end for e in events if e.end is None] == [None]
    figures = oee(events, at(6), at(11, 10), 1.0, 0, 0)
    # Planned 310 - 30 = 280 min; down 30 + 10 = 40 min.
    assert figures.planned_s == 280 * 60 and figures.downtime_s == 40 * 60
    assert figures.availability == pytest.approx(240 / 280)
    assert (figures.performance, figures.quality, figures.oee) == (0.0, 0.0, 0.0)


def stop(start: float, end: float | None, **kw: object) -> DowntimeEvent:
    event = DowntimeEvent("x", "filler", start, end, STOPPED, shift="Early")
    return replace(event, **kw)  # type: ignore[arg-type]


def test_a_planned_reason_makes_a_planned_stop_and_planned_time_wins_overlaps() -> None:
    changeover = stop(at(7), at(8), reason="changeover", planned=True)
    overlapping = stop(at(7, 30), at(8, 30), id="y")  # no reason: unplanned
    figures = oee([changeover, overlapping], at(6), at(10), 1.0, 100, 0)
    assert figures.planned_stop_s == 3600
    assert figures.downtime_s == 1800  # only 08:00-08:30 is left to it
    assert figures.planned_s == 3 * 3600 and figures.run_s == 2.5 * 3600


def test_events_are_clipped_to_the_window() -> None:
    figures = oee([stop(at(5), at(6, 30)), stop(at(9, 50), at(11), id="y")], at(6), at(10), 1, 0, 0)
    assert figures.downtime_s == 40 * 60


def test_a_performance_over_one_is_capped_and_flagged() -> None:
    # 1 h run, 4,000 pieces at an ideal 1 s: the ideal cycle must be wrong.
    figures = oee([], at(6), at(7), ideal_cycle_s=1.0, good=4_000, reject=0)
    assert figures.performance == 1.0 and figures.performance_capped
    assert figures.oee == 1.0


def test_figures_are_zero_safe() -> None:
    empty = oee([], at(6), at(6), 1.0, 0, 0)
    assert empty == Oee(
        window_s=0.0, planned_stop_s=0.0, planned_s=0.0, downtime_s=0.0, micro_stop_s=0.0,
        run_s=0.0, ideal_cycle_s=1.0, good=0, reject=0, availability=0.0, performance=0.0,
        quality=0.0, oee=0.0,
    )  # fmt: skip
    all_down = oee([stop(at(6), None)], at(6), at(7), 1.0, 5, 0)
    assert (all_down.availability, all_down.performance, all_down.quality) == (0.0, 0.0, 1.0)


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="never negative"):
        oee([], at(6), at(7), 1.0, -1, 0)
    with pytest.raises(ValueError, match="ends after it starts"):
        oee([], at(7), at(6), 1.0, 0, 0)


# -- counters ----------------------------------------------------------------------------


def test_counts_over_a_window_from_running_totals() -> None:
    samples = [(at(5, 59), 1_000.0), (at(6, 30), 1_400.0), (at(7), 1_900.0), (at(7, 30), 2_000.0)]
    assert count_between(samples, at(6), at(7)) == 900  # baseline: the sample before 06:00
    assert count_between(samples, at(7), at(8)) == 100  # the 07:00 sample belongs to 06-07
    assert count_between(samples, at(6, 30), at(7)) == 500  # a sample at t0 is the baseline


def test_a_counter_reset_counts_from_the_new_value() -> None:
    # 1,400 made, reset (new order) to 0, then 300 more: the drop is a reset, not -1,100.
    samples = [(at(6), 1_000.0), (at(6, 30), 1_400.0), (at(6, 31), 20.0), (at(7), 300.0)]
    assert count_between(samples, at(6), at(7)) == 400 + 20 + 280
    # Unsorted samples are put in order first.
    assert count_between(list(reversed(samples)), at(6), at(7)) == 700


def test_without_a_sample_before_the_window_the_first_one_is_the_baseline() -> None:
    samples = [(at(6, 10), 50.0), (at(6, 40), 80.0), (at(8), 500.0)]
    assert count_between(samples, at(6), at(7)) == 30
    assert count_between([], at(6), at(7)) == 0


# -- Pareto ------------------------------------------------------------------------------


def test_pareto_of_the_shift_sorts_unplanned_minutes_by_reason() -> None:
    events = [
        stop(at(7), at(7, 30), id="a", reason="jam", planned=False),
        stop(at(8), at(8, 10), id="b", reason="jam", planned=False),
        stop(at(9), at(9, 20), id="c", reason="motor", planned=False),
        stop(at(9, 30), at(9, 31), id="d", reason=MICRO_STOP, planned=False, micro=True),
        stop(at(9, 40), at(9, 49), id="e"),  # no reason yet
        stop(at(10), at(10, 30), id="f", reason=BREAK, planned=True, source=EventSource.BREAK),
        stop(at(11), at(12), id="g", reason="changeover", planned=True),
        stop(at(13), at(13, 10), id="h", reason="retired", planned=False),
    ]
    rows = pareto(events, at(6), at(14), TREE)
    assert [(r.code, r.name, r.minutes, r.count) for r in rows] == [
        ("jam", "Jam at the infeed", 40.0, 2),
        ("motor", "Motor fault", 20.0, 1),
        ("retired", "retired", 10.0, 1),  # a code the plant file no longer has
        (None, "No reason yet", 9.0, 1),
        (MICRO_STOP, "Micro-stops", 1.0, 1),
    ]
    assert [r.share for r in rows] == [40 / 80, 20 / 80, 10 / 80, 9 / 80, 1 / 80]
    with_planned = pareto(events, at(6), at(14), TREE, include_planned=True)
    assert [(r.code, r.minutes) for r in with_planned[:2]] == [("changeover", 60.0), ("jam", 40.0)]
    assert ("break", "Break", 30.0) in [(r.code, r.name, r.minutes) for r in with_planned]


def test_pareto_counts_a_stop_split_at_a_boundary_once_and_clips_to_the_window() -> None:
    events = [
        stop(at(13, 50), at(14), id="a", reason="jam", planned=False),
        stop(at(14), at(14, 20), id="b", reason="jam", planned=False, continues="a"),
    ]
    assert pareto(events, at(6), at(22), TREE) == [
        ParetoRow("jam", "Jam at the infeed", 30.0, 1, 1.0)
    ]
    late = pareto(events, at(14), at(22), TREE)
    assert [(r.minutes, r.count) for r in late] == [(20.0, 1)]
    assert pareto([], at(6), at(14), TREE) == []


def test_time_nobody_watched_is_neither_production_nor_a_stop() -> None:
    events = early_shift()
    # The HMI was not running 12:30-13:30: the window is seven hours, not eight.
    blind = [(at(12, 30), at(13, 30))]
    figures = oee(events, at(6), at(14), 1.0, 19_683, 2_187, unknown=blind)
    assert figures.window_s == 7 * 3600
    assert figures.planned_stop_s == 30 * 60  # lunch
    assert figures.planned_s == 390 * 60
    assert figures.downtime_s == 45 * 60  # both stops were watched
    assert figures.run_s == 345 * 60
    # A stop that lasted into the blind hour counts only while it was watched.
    inside = oee(events, at(6), at(14), 1.0, 0, 0, unknown=[(at(11, 5), at(12))])
    assert inside.downtime_s == (30 + 5) * 60
