"""The shift calendar as UTC intervals: handovers, night shifts, weekdays, breaks, DST."""

from __future__ import annotations

from datetime import UTC, datetime

from hmi.domain.production import BreakDef, ShiftCalendar, ShiftDef
from hmi.domain.shifts import (
    ShiftInstance,
    boundaries,
    break_windows,
    in_break,
    shift_at,
    shifts_between,
)

H = 3600.0
WEEKDAYS = frozenset(range(5))


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> float:
    return datetime(y, mo, d, h, mi, tzinfo=UTC).timestamp()


EARLY = ShiftDef("Early", 6 * 60, 480, WEEKDAYS, (BreakDef("Lunch", 10 * 60, 30),))
LATE = ShiftDef("Late", 14 * 60, 480, WEEKDAYS)
NIGHT = ShiftDef("Night", 22 * 60, 480, WEEKDAYS, (BreakDef("Night break", 2 * 60, 30),))
BERLIN = ShiftCalendar("Europe/Berlin", (EARLY, LATE, NIGHT))


def test_a_winter_day_shift_in_berlin_is_an_hour_behind_in_utc() -> None:
    # Wednesday 15 January 2025, CET = UTC+1.
    early = shift_at(BERLIN, utc(2025, 1, 15, 8))
    lunch = (utc(2025, 1, 15, 9), utc(2025, 1, 15, 9, 30))
    assert early == ShiftInstance("Early", utc(2025, 1, 15, 5), utc(2025, 1, 15, 13), (lunch,))
    assert early.duration_s == 8 * H
    assert early.break_s == 0.5 * H


def test_the_handover_instant_belongs_to_the_new_shift() -> None:
    handover = utc(2025, 1, 15, 13)  # 14:00 local
    before = shift_at(BERLIN, handover - 1)
    after = shift_at(BERLIN, handover)
    assert before is not None and after is not None
    assert (before.name, after.name) == ("Early", "Late")
    assert before.end == after.start == handover


def test_a_night_shift_runs_past_midnight_and_its_break_is_next_morning() -> None:
    night = shift_at(BERLIN, utc(2025, 1, 16, 2))  # 03:00 local, Thursday
    assert night is not None
    assert (night.name, night.start, night.end) == (
        "Night",
        utc(2025, 1, 15, 21),
        utc(2025, 1, 16, 5),
    )
    # 120 minutes, before the shift's own 22:00 start: 02:00 the next day.
    assert night.breaks == ((utc(2025, 1, 16, 1), utc(2025, 1, 16, 1, 30)),)
    # The same break written as 1560 minutes after the start day's midnight.
    late_break = ShiftDef("Night", 22 * 60, 480, WEEKDAYS, (BreakDef("b", 26 * 60, 30),))
    again = shift_at(ShiftCalendar("Europe/Berlin", (late_break,)), utc(2025, 1, 16, 2))
    assert again is not None and again.breaks == night.breaks


def test_weekdays_are_the_days_a_shift_starts_on() -> None:
    # Friday 17 January 2025 22:00 local: the last night shift of the week runs into Saturday.
    assert shift_at(BERLIN, utc(2025, 1, 18, 4)) is not None  # Saturday 05:00 local
    assert shift_at(BERLIN, utc(2025, 1, 18, 5)) is None  # Saturday 06:00: nobody
    weekend = shifts_between(BERLIN, utc(2025, 1, 18, 5), utc(2025, 1, 20, 5))
    assert weekend == []
    monday = shifts_between(BERLIN, utc(2025, 1, 20, 0), utc(2025, 1, 21, 0))
    assert [s.name for s in monday] == ["Early", "Late", "Night"]


def test_shifts_between_gives_every_overlapping_shift_in_order() -> None:
    shifts = shifts_between(BERLIN, utc(2025, 1, 15, 12), utc(2025, 1, 15, 22))
    assert [(s.name, s.start) for s in shifts] == [
        ("Early", utc(2025, 1, 15, 5)),
        ("Late", utc(2025, 1, 15, 13)),
        ("Night", utc(2025, 1, 15, 21)),
    ]
    assert shifts_between(BERLIN, utc(2025, 1, 15, 12), utc(2025, 1, 15, 12)) == []


def test_boundaries_are_half_open_and_each_is_given_once() -> None:
    t0 = utc(2025, 1, 15, 5)  # 06:00 local: the early shift starts
    assert boundaries(BERLIN, t0, t0 + 24 * H) == [
        utc(2025, 1, 15, 5),
        utc(2025, 1, 15, 13),
        utc(2025, 1, 15, 21),
    ]
    assert boundaries(BERLIN, t0 + 1, utc(2025, 1, 15, 13)) == []


def test_spring_forward_night_lasts_seven_hours_as_the_wall_clock_says() -> None:
    # Saturday 29 March 2025 22:00 CET (21:00 UTC) to Sunday 06:00 CEST (04:00 UTC).
    calendar = ShiftCalendar("Europe/Berlin", (ShiftDef("Night", 22 * 60, 480),))
    night = shift_at(calendar, utc(2025, 3, 30, 0))
    assert night is not None
    assert (night.start, night.end) == (utc(2025, 3, 29, 21), utc(2025, 3, 30, 4))
    assert night.duration_s == 7 * H


def test_fall_back_night_lasts_nine_hours_as_the_wall_clock_says() -> None:
    # Saturday 25 October 2025 22:00 CEST (20:00 UTC) to Sunday 06:00 CET (05:00 UTC).
    calendar = ShiftCalendar("Europe/Berlin", (ShiftDef("Night", 22 * 60, 480),))
    night = shift_at(calendar, utc(2025, 10, 26, 0))
    assert night is not None
    assert (night.start, night.end) == (utc(2025, 10, 25, 20), utc(2025, 10, 26, 5))
    assert night.duration_s == 9 * H
    # The next night is an ordinary 8 hours again, in winter time.
    next_night = shift_at(calendar, utc(2025, 10, 27, 0))
    assert next_night is not None and next_night.duration_s == 8 * H


def test_a_break_in_the_skipped_hour_does_not_happen_one_in_the_repeated_hour_is_longer() -> None:
    # 02:30-03:00 local does not exist on 30 March 2025.
    skipped = ShiftDef("Night", 22 * 60, 480, breaks=(BreakDef("b", 2 * 60 + 30, 30),))
    night = shift_at(ShiftCalendar("Europe/Berlin", (skipped,)), utc(2025, 3, 30, 0))
    assert night is not None and night.breaks == ()
    # The repeated hour in October: 02:30 is its first occurrence (still summer time), and
    # the break ends at 03:00 winter time: 90 minutes, as the wall clock says.
    repeated = shift_at(ShiftCalendar("Europe/Berlin", (skipped,)), utc(2025, 10, 26, 0))
    assert repeated is not None
    assert repeated.breaks == ((utc(2025, 10, 26, 0, 30), utc(2025, 10, 26, 2)),)


def test_breaks_are_clipped_to_their_shift_and_merged_when_they_touch() -> None:
    calendar = ShiftCalendar(
        "UTC",
        (
            ShiftDef("A", 6 * 60, 120, breaks=(BreakDef("end", 7 * 60 + 30, 60),)),
            ShiftDef("B", 8 * 60, 120, breaks=(BreakDef("start", 8 * 60, 15),)),
        ),
    )
    a, b = shifts_between(calendar, utc(2025, 1, 15, 6), utc(2025, 1, 15, 10))
    assert a.breaks == ((utc(2025, 1, 15, 7, 30), utc(2025, 1, 15, 8)),)  # clipped at 08:00
    assert b.breaks == ((utc(2025, 1, 15, 8), utc(2025, 1, 15, 8, 15)),)
    assert break_windows(calendar, utc(2025, 1, 15, 6), utc(2025, 1, 15, 10)) == [
        (utc(2025, 1, 15, 7, 30), utc(2025, 1, 15, 8, 15))
    ]
    assert in_break(calendar, utc(2025, 1, 15, 8))
    assert not in_break(calendar, utc(2025, 1, 15, 8, 15))


def test_without_shifts_there_is_no_shift_and_no_boundary() -> None:
    empty = ShiftCalendar()
    assert shift_at(empty, utc(2025, 1, 15)) is None
    assert shifts_between(empty, 0.0, utc(2025, 1, 15)) == []
    assert boundaries(empty, 0.0, utc(2025, 1, 15)) == []
    assert not in_break(empty, utc(2025, 1, 15))
