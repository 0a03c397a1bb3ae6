"""The trend time axis: tick spacing, local wall-clock ticks across zones and DST, labels."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from itertools import pairwise

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QFont, QPainter, QPicture
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hmi.gui.trend.axis import (
    DAY,
    HOUR,
    MAX_TICKS,
    MIN_TICK_PX,
    MINUTE,
    TICK_LADDER,
    TimeAxis,
    crosses_midnight,
    tick_label,
    tick_labels,
    tick_spacing,
    tick_times,
)


def utc(text: str) -> float:
    """Epoch seconds of an ISO time written in UTC ("2026-11-22T23:00:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def local_clock(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t))


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Switches the process's time zone for one test; the zone of the run comes back after."""
    with monkeypatch.context() as patch:

        def switch(name: str) -> None:
            patch.setenv("TZ", name)
            time.tzset()

        yield switch
    time.tzset()


# --- spacing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "expected"),
    [(1 * MINUTE, 10.0), (1 * HOUR, 10 * MINUTE), (24 * HOUR, 3 * HOUR)],
)
def test_spacing_for_common_spans_at_1200_px(span: float, expected: float) -> None:
    assert tick_spacing(span, 1200) == expected


@pytest.mark.parametrize("span", [7.0, 95.0, 1234.0, 5 * HOUR, 3 * DAY, 20 * DAY])
def test_spacing_is_the_smallest_ladder_step_with_room_for_a_label(span: float) -> None:
    width = 1000.0
    spacing = tick_spacing(span, width)
    assert spacing in TICK_LADDER
    assert spacing * width / span >= MIN_TICK_PX
    smaller = [s for s in TICK_LADDER if s < spacing]
    assert all(s * width / span < MIN_TICK_PX for s in smaller)


def test_spacing_caps_at_a_week_and_copes_with_an_empty_axis() -> None:
    assert tick_spacing(10 * 365 * DAY, 1200) == 7 * DAY
    assert tick_spacing(0.0, 1200) == 1.0
    assert tick_spacing(HOUR, 0.0) == 7 * DAY


# --- tick times -----------------------------------------------------------------------------


def test_ticks_in_utc_are_on_multiples_of_the_spacing_within_the_span() -> None:
    t0, t1 = utc("2026-11-22T10:07:13"), utc("2026-11-22T11:07:13")
    ticks = tick_times(t0, t1, 15 * MINUTE)
    assert [local_clock(t)[11:] for t in ticks] == ["10:15:00", "10:30:00", "10:45:00", "11:00:00"]


def test_ticks_include_both_ends_when_they_fall_on_a_step() -> None:
    t0, t1 = utc("2026-11-22T10:00:00"), utc("2026-11-22T11:00:00")
    assert tick_times(t0, t1, 30 * MINUTE) == [t0, t0 + 1800, t1]
    assert tick_times(t1, t0, 30 * MINUTE) == [t0, t0 + 1800, t1]


def test_ticks_in_kolkata_are_on_local_full_hours_and_midnights(
    local_zone: Callable[[str], None],
) -> None:
    local_zone("Asia/Kolkata")  # +05:30 all year
    t0, t1 = utc("2026-11-22T08:05:00"), utc("2026-11-22T11:05:00")
    hourly = tick_times(t0, t1, HOUR)
    # Local 14:00, 15:00, 16:00 are half past the UTC hour.
    assert hourly == [
        utc("2026-11-22T08:30:00"),
        utc("2026-11-22T09:30:00"),
        utc("2026-11-22T10:30:00"),
    ]

    days = tick_times(utc("2026-11-20T00:00:00"), utc("2026-11-23T00:00:00"), DAY)
    assert [local_clock(t) for t in days] == [
        "2026-11-21 00:00:00",
        "2026-11-22 00:00:00",
        "2026-11-23 00:00:00",
    ]
    assert days[0] == utc("2026-11-20T18:30:00")

    six_hourly = tick_times(utc("2026-11-22T00:00:00"), utc("2026-11-23T00:00:00"), 6 * HOUR)
    assert [local_clock(t)[11:13] for t in six_hourly] == ["06", "12", "18", "00"]


def test_hourly_ticks_across_the_spring_change_in_berlin_stay_on_local_full_hours(
    local_zone: Callable[[str], None],
) -> None:
    local_zone("Europe/Berlin")  # 2026-03-29 02:00 CET becomes 03:00 CEST
    t0, t1 = utc("2026-03-28T21:30:00"), utc("2026-03-29T04:30:00")
    ticks = tick_times(t0, t1, HOUR)
    assert [local_clock(t)[11:] for t in ticks] == [
        "23:00:00",
        "00:00:00",
        "01:00:00",
        "03:00:00",
        "04:00:00",
        "05:00:00",
        "06:00:00",
    ]
    assert len(set(ticks)) == len(ticks)
    assert all(b - a == HOUR for a, b in pairwise(ticks))


def test_half_hourly_ticks_across_the_spring_change_skip_the_missing_hour(
    local_zone: Callable[[str], None],
) -> None:
    local_zone("Europe/Berlin")
    ticks = tick_times(utc("2026-03-29T00:10:00"), utc("2026-03-29T01:40:00"), 30 * MINUTE)
    assert [local_clock(t)[11:16] for t in ticks] == ["01:30", "03:00", "03:30"]


def test_hourly_ticks_across_the_autumn_change_repeat_the_hour_at_distinct_instants(
    local_zone: Callable[[str], None],
) -> None:
    local_zone("Europe/Berlin")  # 2026-10-25 03:00 CEST becomes 02:00 CET
    ticks = tick_times(utc("2026-10-24T23:00:00"), utc("2026-10-25T02:00:00"), HOUR)
    assert [local_clock(t)[11:16] for t in ticks] == ["01:00", "02:00", "02:00", "03:00"]
    assert ticks == [utc("2026-10-24T23:00:00") + i * HOUR for i in range(4)]


def test_day_and_six_hour_ticks_across_the_spring_change_fall_on_local_clock_steps(
    local_zone: Callable[[str], None],
) -> None:
    local_zone("Europe/Berlin")
    days = tick_times(utc("2026-03-28T12:00:00"), utc("2026-03-30T12:00:00"), DAY)
    assert days == [utc("2026-03-28T23:00:00"), utc("2026-03-29T22:00:00")]  # a 23 h day

    quarters = tick_times(utc("2026-03-28T22:30:00"), utc("2026-03-29T17:00:00"), 6 * HOUR)
    assert [local_clock(t)[11:13] for t in quarters] == ["00", "06", "12", "18"]


def test_week_ticks_fall_on_monday_midnight() -> None:
    ticks = tick_times(utc("2026-11-01T00:00:00"), utc("2026-12-01T00:00:00"), 7 * DAY)
    assert ticks
    assert {datetime.fromtimestamp(t).weekday() for t in ticks} == {0}
    assert {local_clock(t)[11:] for t in ticks} == {"00:00:00"}


def test_tick_count_is_bounded_and_nonsense_gives_none() -> None:
    ticks = tick_times(0.0, 1e11, 1.0)
    assert len(ticks) == MAX_TICKS
    assert ticks == sorted(set(ticks))
    assert tick_times(0.0, 100.0, 0.0) == []
    assert tick_times(float("nan"), 100.0, 1.0) == []


# --- labels ---------------------------------------------------------------------------------


def test_labels_show_seconds_minutes_or_the_date_by_spacing() -> None:
    t = utc("2026-11-22T23:59:30")
    assert tick_label(t, 30.0, with_date=False) == "23:59:30"
    assert tick_label(t, 5 * MINUTE, with_date=False) == "23:59"
    assert tick_label(utc("2026-11-22T00:00:00"), DAY, with_date=False) == "2026-11-22"
    assert tick_label(utc("2026-11-23T00:00:00"), 15 * MINUTE, with_date=True) == (
        "00:00\n2026-11-23"
    )


def test_labels_survive_the_rounding_of_an_axis_offset() -> None:
    t = utc("2026-11-22T12:00:00")
    assert tick_label(t - 2e-7, 10.0, with_date=False) == "12:00:00"


def test_labels_are_local_time(local_zone: Callable[[str], None]) -> None:
    local_zone("Asia/Kolkata")
    assert tick_label(utc("2026-11-22T18:30:00"), HOUR, with_date=True) == "00:00\n2026-11-23"


def test_the_first_tick_and_each_midnight_carry_the_date_when_asked() -> None:
    ticks = tick_times(utc("2026-11-22T22:30:00"), utc("2026-11-23T01:00:00"), 30 * MINUTE)
    assert tick_labels(ticks, 30 * MINUTE, with_date=True) == [
        "22:30\n2026-11-22",
        "23:00",
        "23:30",
        "00:00\n2026-11-23",
        "00:30",
        "01:00",
    ]
    assert tick_labels(ticks, 30 * MINUTE, with_date=False) == [
        "22:30",
        "23:00",
        "23:30",
        "00:00",
        "00:30",
        "01:00",
    ]


def test_crosses_midnight_in_local_time(local_zone: Callable[[str], None]) -> None:
    assert not crosses_midnight(utc("2026-11-22T17:00:00"), utc("2026-11-22T23:59:59"))
    assert crosses_midnight(utc("2026-11-22T23:00:00"), utc("2026-11-23T00:00:01"))
    assert crosses_midnight(utc("2026-11-23T00:00:01"), utc("2026-11-22T23:00:00"))
    local_zone("Asia/Kolkata")  # 17:00Z-19:00Z is 22:30-00:30 there
    assert crosses_midnight(utc("2026-11-22T17:00:00"), utc("2026-11-22T19:00:00"))
    assert not crosses_midnight(utc("2026-11-22T19:00:00"), utc("2026-11-22T20:00:00"))


# --- the axis item --------------------------------------------------------------------------

ORIGIN = utc("2026-11-22T23:00:00")


def test_axis_ticks_are_in_the_origin_shifted_view(qapp: QApplication) -> None:
    axis = TimeAxis(origin=ORIGIN)
    assert axis.origin == ORIGIN
    lo, hi = -1800.0 - 7, 5400.0 + 7  # 22:29:53 to 00:30:07
    levels = axis.tickValues(lo, hi, 1200.0)
    (major_spacing, major), (minor_spacing, minor) = levels
    assert major_spacing == 15 * MINUTE
    assert major[0] == -1800.0
    assert major[-1] == 5400.0
    assert all(lo <= x <= hi for x in major + minor)
    assert all((x + ORIGIN) % major_spacing == 0 for x in major)
    assert minor_spacing < major_spacing
    assert not set(major) & set(minor)
    assert all((x + ORIGIN) % minor_spacing == 0 for x in minor)


def test_axis_strings_carry_the_date_only_when_the_view_crosses_midnight(
    qapp: QApplication,
) -> None:
    axis = TimeAxis(origin=ORIGIN)
    axis.setRange(-1800.0, 5400.0)
    (spacing, values), *_ = axis.tickValues(-1800.0, 5400.0, 1200.0)
    strings = axis.tickStrings(values, 1.0, spacing)
    assert strings[0] == "22:30\n2026-11-22"
    assert strings[1] == "22:45"
    assert "00:00\n2026-11-23" in strings

    axis.setRange(-1800.0, 1800.0)  # 22:30 to 23:30
    (spacing, values), *_ = axis.tickValues(-1800.0, 1800.0, 1200.0)
    assert axis.tickStrings(values, 1.0, spacing) == [
        "22:30",
        "22:40",
        "22:50",
        "23:00",
        "23:10",
        "23:20",
        "23:30",
    ]


def test_axis_follows_a_new_origin(qapp: QApplication) -> None:
    axis = TimeAxis(origin=ORIGIN)
    axis.set_origin(ORIGIN + HOUR)
    (_, values), *_ = axis.tickValues(0.0, 1800.0, 1200.0)
    assert tick_label(values[0] + axis.origin, MINUTE, with_date=False) == "00:00"


def test_axis_keeps_room_for_two_line_labels_so_the_plot_does_not_jump(qtbot: QtBot) -> None:
    axis = TimeAxis(origin=ORIGIN)
    plot = pg.PlotWidget(axisItems={"bottom": axis})
    qtbot.addWidget(plot)
    plot.resize(1200, 300)
    plot.setXRange(-3000.0, -1200.0, padding=0)  # 22:10 to 22:40: one line per label
    plot.show()
    qtbot.waitExposed(plot)
    QApplication.processEvents()
    height = axis.height()

    plot.setXRange(-1800.0, 5400.0, padding=0)  # across midnight
    picture = QPicture()
    painter = QPainter(picture)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    drawn = [text for _rect, _flags, text in specs[2]]
    assert "00:00\n2026-11-23" in drawn  # not dropped for want of room
    QApplication.processEvents()
    assert axis.height() == height


def test_a_larger_tick_font_reserves_a_taller_axis(qapp: QApplication) -> None:
    axis = TimeAxis(origin=ORIGIN)
    before = axis.minimumHeight()
    font = QFont(axis.font())
    font.setPixelSize(40)
    axis.setTickFont(font)
    assert axis.minimumHeight() >= before + 2 * (40 - 20)
