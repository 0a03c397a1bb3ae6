"""Stops from machine states, micro-stops, manual stops, breaks, shift splits, corrections."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

import pytest

from hmi.domain.downtime import (
    BREAK,
    MICRO_STOP,
    ChangeKind,
    Context,
    DowntimeActionError,
    DowntimeChange,
    DowntimeEvent,
    DowntimeTracker,
    EventSource,
    edit,
    merge,
    split,
)
from hmi.domain.plant import MachineState
from hmi.domain.production import BreakDef, ReasonDef, ShiftCalendar, ShiftDef

RUNNING = MachineState.RUNNING
STOPPED = MachineState.STOPPED
FAULTED = MachineState.FAULTED
BLOCKED = MachineState.BLOCKED
UNKNOWN = MachineState.UNKNOWN
OPENED, UPDATED, CLOSED = ChangeKind.OPENED, ChangeKind.UPDATED, ChangeKind.CLOSED

DAY = 1_736_899_200.0  # Wednesday 15 January 2025, 00:00 UTC
CALENDAR = ShiftCalendar(
    "UTC",
    (
        ShiftDef("Early", 6 * 60, 480, breaks=(BreakDef("Lunch", 10 * 60, 30),)),
        ShiftDef("Late", 14 * 60, 480),
    ),
)
JAM = ReasonDef("jam", "Jam at the infeed")
CHANGEOVER = ReasonDef("changeover", "Changeover", planned=True)
MECHANICAL = ReasonDef("mech", "Mechanical", children=(JAM,))
ORDER_1 = Context("4711", "cola-05", "B17")


def at(h: int, m: int = 0, s: float = 0) -> float:
    return DAY + h * 3600 + m * 60 + s


def id_factory() -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"e{next(counter)}"


def tracker(micro_stop_s: float = 120.0, calendar: ShiftCalendar = CALENDAR) -> DowntimeTracker:
    return DowntimeTracker("filler", micro_stop_s, calendar, id_factory())


def kinds(changes: list[DowntimeChange]) -> list[tuple[ChangeKind, str]]:
    return [(c.kind, c.event.id) for c in changes]


def span(event: DowntimeEvent) -> tuple[float, float | None]:
    return (event.start, event.end)


# -- machine stops ------------------------------------------------------------------


def test_a_stop_opens_on_leaving_running_and_closes_on_running_again() -> None:
    t = tracker()
    assert t.state(RUNNING, at(7), ORDER_1) == []
    opened = t.state(STOPPED, at(7, 10))
    assert kinds(opened) == [(OPENED, "e1")]
    event = opened[0].event
    assert (event.station, event.start, event.end, event.state) == (
        "filler",
        at(7, 10),
        None,
        STOPPED,
    )
    assert (event.shift, event.context, event.source) == ("Early", ORDER_1, EventSource.MACHINE)
    assert event.reason is None and event.planned is None and not event.awaiting_reason
    closed = t.state(RUNNING, at(7, 25))
    assert kinds(closed) == [(CLOSED, "e1")]
    done = closed[0].event
    assert span(done) == (at(7, 10), at(7, 25)) and done.duration_s == 900
    assert not done.micro and done.awaiting_reason
    assert t.open_event is None


def test_stop_states_within_one_stop_keep_one_event() -> None:
    t = tracker()
    t.state(RUNNING, at(7))
    t.state(STOPPED, at(7, 10))
    assert [c.kind for c in t.state(FAULTED, at(7, 11))] == [UPDATED]
    assert t.state(FAULTED, at(7, 12)) == []  # the same state again: nothing new
    t.state(BLOCKED, at(7, 13))
    (closed,) = t.state(RUNNING, at(7, 20))
    assert closed.event.state is STOPPED
    assert closed.event.states == (STOPPED, FAULTED, BLOCKED)


def test_a_stop_shorter_than_the_threshold_is_a_micro_stop_nobody_is_asked_about() -> None:
    t = tracker(micro_stop_s=120)
    t.state(RUNNING, at(7))
    t.state(STOPPED, at(7, 10))
    (micro,) = t.state(RUNNING, at(7, 10, 119.5))
    assert micro.event.micro and micro.event.reason == MICRO_STOP
    assert micro.event.planned is False and not micro.event.awaiting_reason
    t.state(STOPPED, at(7, 20))
    (long,) = t.state(RUNNING, at(7, 22))  # exactly the threshold: not shorter
    assert not long.event.micro and long.event.reason is None


def test_a_reason_given_during_a_short_stop_is_kept() -> None:
    t = tracker()
    t.state(STOPPED, at(7))
    t.give_reason(JAM)
    (closed,) = t.state(RUNNING, at(7, 0, 30))
    assert closed.event.micro and closed.event.reason == "jam"


def test_unknown_keeps_a_stop_open_and_opens_none() -> None:
    t = tracker()
    t.state(RUNNING, at(7))
    assert t.state(UNKNOWN, at(7, 5)) == []  # no connection while running: no stop
    assert t.state(RUNNING, at(7, 30)) == []
    # A stop seen after a gap opens when it is seen.
    t.state(UNKNOWN, at(8))
    (opened,) = t.state(STOPPED, at(8, 10))
    assert opened.event.start == at(8, 10)
    # A gap during a stop is part of the stop, and noted.
    assert [c.kind for c in t.state(UNKNOWN, at(8, 15))] == [UPDATED]
    (closed,) = t.state(RUNNING, at(8, 40))
    assert span(closed.event) == (at(8, 10), at(8, 40))
    assert closed.event.states == (STOPPED, UNKNOWN)


def test_the_first_state_seen_opens_a_stop_if_it_is_one() -> None:
    t = tracker()
    (opened,) = t.state(FAULTED, at(7))
    assert (opened.event.start, opened.event.state) == (at(7), FAULTED)


def test_time_never_runs_backwards() -> None:
    t = tracker()
    t.state(STOPPED, at(7, 10))
    (closed,) = t.state(RUNNING, at(7, 5))  # an older time than the last seen
    assert span(closed.event) == (at(7, 10), at(7, 10))


# -- shift boundaries ---------------------------------------------------------------


def test_a_stop_across_a_shift_boundary_is_split_there() -> None:
    t = tracker()
    t.state(RUNNING, at(13), ORDER_1)
    t.state(STOPPED, at(13, 50))
    order_2 = Context("4712", "cola-05", "B18")
    t.state(FAULTED, at(13, 55), order_2)  # a new order while stopped
    t.give_reason(JAM, "broken bottle")
    assert t.tick(at(14)) == []  # the edge at 14:00 is applied by the first call after it
    changes = t.tick(at(14, 0, 1))
    assert kinds(changes) == [(CLOSED, "e1"), (OPENED, "e2")]
    first, second = changes[0].event, changes[1].event
    assert (span(first), first.shift, first.context) == ((at(13, 50), at(14)), "Early", ORDER_1)
    assert (span(second), second.shift, second.context) == ((at(14), None), "Late", order_2)
    assert second.continues == "e1" and second.state is FAULTED
    assert (second.reason, second.planned, second.comment) == ("jam", False, "broken bottle")
    (closed,) = t.state(RUNNING, at(14, 20))
    assert (closed.event.id, span(closed.event)) == ("e2", (at(14), at(14, 20)))


def test_a_state_change_applies_the_edges_before_it_first() -> None:
    t = tracker()
    t.state(STOPPED, at(13, 50))
    changes = t.state(RUNNING, at(14, 5))
    assert [(c.kind, span(c.event)) for c in changes] == [
        (CLOSED, (at(13, 50), at(14))),
        (OPENED, (at(14), None)),
        (CLOSED, (at(14), at(14, 5))),
    ]


def test_a_stop_ending_exactly_at_the_boundary_is_not_split() -> None:
    t = tracker()
    t.state(STOPPED, at(13, 50))
    assert kinds(t.state(RUNNING, at(14))) == [(CLOSED, "e1")]
    (opened,) = t.state(STOPPED, at(14))
    assert opened.event.shift == "Late"
    assert t.tick(at(14, 1)) == []


def test_a_young_stop_is_split_once_it_is_known_not_to_be_micro() -> None:
    t = tracker(micro_stop_s=120)
    t.state(RUNNING, at(13))
    t.state(STOPPED, at(13, 59, 30))
    assert t.tick(at(14, 0, 10)) == []  # 40 s old: might still be a micro-stop
    changes = t.tick(at(14, 1, 30))  # 120 s old: a real stop
    assert kinds(changes) == [(CLOSED, "e1"), (OPENED, "e2")]
    assert not changes[0].event.micro and changes[0].event.end == at(14)
    assert changes[1].event.start == at(14)


def test_a_micro_stop_across_a_boundary_is_micro_in_both_parts() -> None:
    t = tracker(micro_stop_s=120)
    t.state(RUNNING, at(13))
    t.state(STOPPED, at(13, 59, 30))
    t.tick(at(14, 0, 10))
    changes = t.state(RUNNING, at(14, 0, 40))
    assert kinds(changes) == [(CLOSED, "e1"), (OPENED, "e2"), (CLOSED, "e2")]
    first, last = changes[0].event, changes[2].event
    assert span(first) == (at(13, 59, 30), at(14)) and span(last) == (at(14), at(14, 0, 40))
    assert first.micro and last.micro and last.continues == "e1"
    assert (first.shift, last.shift) == ("Early", "Late")


def test_a_manual_stop_is_split_at_once() -> None:
    t = tracker()
    t.open_manual(at(21, 59, 50), CHANGEOVER)
    changes = t.tick(at(22, 0, 1))
    assert kinds(changes) == [(CLOSED, "e1"), (OPENED, "e2")]
    assert changes[1].event.shift is None  # no shift after 22:00
    assert changes[1].event.reason == "changeover" and changes[1].event.planned is True


# -- breaks ---------------------------------------------------------------------------


def test_a_stop_running_into_the_break_becomes_the_break_then_a_late_restart() -> None:
    t = tracker()
    t.state(RUNNING, at(9))
    t.state(STOPPED, at(9, 50))
    changes = t.tick(at(10, 0, 5))
    assert kinds(changes) == [(CLOSED, "e1"), (OPENED, "e2")]
    stop, pause = changes[0].event, changes[1].event
    assert span(stop) == (at(9, 50), at(10)) and not stop.micro
    assert (pause.source, pause.reason, pause.planned) == (EventSource.BREAK, BREAK, True)
    assert pause.states == (MachineState.PLANNED_STOP, STOPPED)
    changes = t.tick(at(10, 30, 5))  # still stopped when the break ends
    assert kinds(changes) == [(CLOSED, "e2"), (OPENED, "e3")]
    assert span(changes[0].event) == (at(10), at(10, 30))
    late = changes[1].event
    assert (late.source, late.start, late.state) == (EventSource.MACHINE, at(10, 30), STOPPED)
    (closed,) = t.state(RUNNING, at(10, 31))
    assert closed.event.micro  # a minute late: a micro-stop


def test_a_machine_running_through_its_break_gets_no_event() -> None:
    t = tracker()
    t.state(RUNNING, at(9))
    for minute in range(0, 60, 5):
        assert t.tick(at(10, minute)) == []


def test_a_machine_that_stops_or_starts_during_its_break() -> None:
    t = tracker()
    t.state(RUNNING, at(9))
    (opened,) = t.state(STOPPED, at(10, 5))
    assert (opened.event.source, opened.event.planned) == (EventSource.BREAK, True)
    (closed,) = t.state(RUNNING, at(10, 20))  # back early: production time again
    assert span(closed.event) == (at(10, 5), at(10, 20))
    assert t.tick(at(10, 40)) == []


def test_a_station_without_machine_states_gets_its_breaks() -> None:
    t = tracker()
    t.tick(at(6))
    changes = [c for minute in range(0, 24 * 60, 1) for c in t.tick(at(6) + minute * 60)]
    assert [(c.kind, span(c.event)) for c in changes] == [
        (OPENED, (at(10), None)),
        (CLOSED, (at(10), at(10, 30))),
    ]
    assert changes[1].event.shift == "Early"


# -- manual stops ------------------------------------------------------------------------


def test_a_manual_stop_notes_machine_states_and_is_closed_by_hand() -> None:
    t = tracker()
    t.state(RUNNING, at(7))
    (opened,) = t.open_manual(at(7, 5), JAM, "guard door", ORDER_1)
    assert (opened.event.source, opened.event.reason, opened.event.comment) == (
        EventSource.MANUAL,
        "jam",
        "guard door",
    )
    assert opened.event.context == ORDER_1
    t.state(STOPPED, at(7, 6))
    t.state(RUNNING, at(7, 7))
    assert t.open_event is not None and t.open_event.states == (RUNNING, STOPPED, RUNNING)
    (closed,) = t.close_manual(at(7, 8))
    assert span(closed.event) == (at(7, 5), at(7, 8)) and not closed.event.micro


def test_closing_a_manual_stop_while_the_machine_is_stopped_opens_a_machine_stop() -> None:
    t = tracker()
    t.state(RUNNING, at(7))
    t.open_manual(at(7, 5))
    t.state(STOPPED, at(7, 6))
    changes = t.close_manual(at(7, 10))
    assert kinds(changes) == [(CLOSED, "e1"), (OPENED, "e2")]
    assert (changes[1].event.source, changes[1].event.start) == (EventSource.MACHINE, at(7, 10))


def test_a_break_ends_a_manual_stop() -> None:
    t = tracker()
    t.open_manual(at(9, 40), CHANGEOVER)
    changes = t.tick(at(10, 1))
    assert [(c.kind, c.event.source) for c in changes] == [
        (CLOSED, EventSource.MANUAL),
        (OPENED, EventSource.BREAK),
    ]


def test_manual_actions_the_rules_refuse() -> None:
    t = tracker()
    with pytest.raises(DowntimeActionError, match="no stop opened by hand"):
        t.close_manual(at(7))
    with pytest.raises(DowntimeActionError, match="no stop is open"):
        t.give_reason(JAM)
    t.state(STOPPED, at(7, 1))
    with pytest.raises(DowntimeActionError, match="already open"):
        t.open_manual(at(7, 2))
    with pytest.raises(DowntimeActionError, match="category"):
        t.give_reason(MECHANICAL)
    with pytest.raises(DowntimeActionError, match="no stop opened by hand"):
        t.close_manual(at(7, 3))
    t.state(RUNNING, at(9))
    t.state(STOPPED, at(10, 5))
    with pytest.raises(DowntimeActionError, match="break is already recorded"):
        t.open_manual(at(10, 6))


def test_changes_made_before_a_refusal_come_with_the_next_call() -> None:
    t = tracker()
    t.state(STOPPED, at(9, 50))
    with pytest.raises(DowntimeActionError):
        t.open_manual(at(10, 1))
    assert [c.kind for c in t.tick(at(10, 2))] == [CLOSED, OPENED]


def test_an_open_stop_is_taken_over_after_a_restart() -> None:
    before = tracker()
    before.state(STOPPED, at(13, 30))
    was_open = before.open_event
    assert was_open is not None
    after = tracker()
    after.resume(was_open)
    changes = after.state(RUNNING, at(14, 10))  # the restart spanned the shift change
    assert [(c.kind, span(c.event)) for c in changes] == [
        (CLOSED, (at(13, 30), at(14))),
        (OPENED, (at(14), None)),
        (CLOSED, (at(14), at(14, 10))),
    ]
    assert changes[0].event.id == "e1"
    with pytest.raises(RuntimeError):
        after.resume(was_open)


# -- corrections ------------------------------------------------------------------------


def closed_stop(start: float = at(7), end: float = at(7, 30), **kw: object) -> DowntimeEvent:
    event = DowntimeEvent("d1", "filler", start, end, STOPPED, shift="Early", states=(STOPPED,))
    return replace(event, **kw)  # type: ignore[arg-type]


def test_edit_gives_a_reason_and_a_comment_to_the_same_event() -> None:
    event = closed_stop()
    edited = edit(event, CHANGEOVER, "format change")
    assert (edited.id, edited.reason, edited.planned, edited.comment) == (
        "d1",
        "changeover",
        True,
        "format change",
    )
    assert edited.replaces == ("d1",) and not edited.awaiting_reason
    assert edit(edited, comment="size change").reason == "changeover"


def test_edit_refusals() -> None:
    with pytest.raises(DowntimeActionError, match="still open"):
        edit(closed_stop(end=None), JAM)
    with pytest.raises(DowntimeActionError, match="category"):
        edit(closed_stop(), MECHANICAL)
    with pytest.raises(DowntimeActionError, match="nothing to change"):
        edit(closed_stop(reason="jam", planned=False), JAM)
    with pytest.raises(DowntimeActionError, match="at most"):
        edit(closed_stop(), comment="x" * 4001)


def test_split_makes_two_new_events_that_replace_the_original() -> None:
    ids = id_factory()
    before, after = split(closed_stop(reason="jam", continues="d0"), at(7, 10), ids)
    assert (before.id, span(before), before.continues) == ("e1", (at(7), at(7, 10)), "d0")
    assert (after.id, span(after), after.continues) == ("e2", (at(7, 10), at(7, 30)), None)
    assert before.replaces == after.replaces == ("d1",)
    assert before.reason == after.reason == "jam"


@pytest.mark.parametrize("when", [at(6, 59), at(7), at(7, 30), at(8)])
def test_split_refuses_a_time_outside_the_stop(when: float) -> None:
    with pytest.raises(DowntimeActionError, match="inside the stop"):
        split(closed_stop(), when, id_factory())


def test_split_refuses_an_open_stop() -> None:
    with pytest.raises(DowntimeActionError, match="still open"):
        split(closed_stop(end=None), at(7, 10), id_factory())


def test_merge_makes_one_event_of_two_adjacent_ones() -> None:
    a = closed_stop(at(7), at(7, 10), id="a", comment="jam", states=(STOPPED, FAULTED))
    b = closed_stop(at(7, 10), at(7, 30), id="b", reason="jam", planned=False, comment="again")
    b = replace(b, states=(FAULTED, BLOCKED))
    merged = merge(b, a, id_factory())  # in either order
    assert (merged.id, span(merged), merged.replaces) == ("e1", (at(7), at(7, 30)), ("a", "b"))
    assert (merged.reason, merged.planned, merged.comment) == ("jam", False, "jam; again")
    assert merged.states == (STOPPED, FAULTED, BLOCKED)


def test_merge_refusals() -> None:
    a = closed_stop(at(7), at(7, 10), id="a")
    b = closed_stop(at(7, 10), at(7, 30), id="b")
    ids = id_factory()
    with pytest.raises(DowntimeActionError, match="itself"):
        merge(a, a, ids)
    with pytest.raises(DowntimeActionError, match="different stations"):
        merge(a, replace(b, station="capper"), ids)
    with pytest.raises(DowntimeActionError, match="follow one another"):
        merge(a, replace(b, start=at(7, 11)), ids)
    with pytest.raises(DowntimeActionError, match="still open"):
        merge(a, replace(b, end=None), ids)
    with pytest.raises(DowntimeActionError, match="different shifts"):
        merge(a, replace(b, shift="Late"), ids)
    with pytest.raises(DowntimeActionError, match="a break and a stop"):
        merge(a, replace(b, source=EventSource.BREAK), ids)


def test_a_break_at_the_end_of_a_shift_ends_with_it() -> None:
    calendar = ShiftCalendar(
        "UTC",
        (
            ShiftDef("Early", 6 * 60, 480, breaks=(BreakDef("Clean", 13 * 60 + 30, 30),)),
            ShiftDef("Late", 14 * 60, 480),
        ),
    )
    idle = tracker(calendar=calendar)
    idle.tick(at(13))
    changes = [c for minute in range(0, 120) for c in idle.tick(at(13) + minute * 60)]
    assert [(c.kind, span(c.event)) for c in changes] == [
        (OPENED, (at(13, 30), None)),
        (CLOSED, (at(13, 30), at(14))),
    ]
    stopped = tracker(calendar=calendar)
    stopped.state(STOPPED, at(13, 40))
    changes = stopped.tick(at(14, 1))
    assert [(c.kind, c.event.source, c.event.shift) for c in changes] == [
        (CLOSED, EventSource.BREAK, "Early"),
        (OPENED, EventSource.MACHINE, "Late"),
    ]
    assert changes[1].event.continues is None
