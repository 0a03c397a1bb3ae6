"""The time axis of trend plots: ticks on local wall-clock steps, labelled in local time.

Plots keep their x coordinates small by subtracting a fixed origin from epoch
seconds; :class:`TimeAxis` adds it back before choosing and labelling ticks.

The pure functions work in the process's local time zone (the ``TZ``
environment variable after ``time.tzset()``) and look the UTC offset up at
every tick, so ticks stay on local full hours, quarters and midnights across a
daylight-saving change.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPicture

MINUTE = 60.0
HOUR = 3600.0
DAY = 86400.0

# Major tick spacings, smallest first.
TICK_LADDER: tuple[float, ...] = (
    1.0,
    2.0,
    5.0,
    10.0,
    15.0,
    30.0,
    1 * MINUTE,
    2 * MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    1 * HOUR,
    2 * HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    1 * DAY,
    2 * DAY,
    7 * DAY,
)

# Room per major tick: "23:59:30" (or a date) with a gap either side.
MIN_TICK_PX = 110.0

# No span yields more ticks than this, however far the view is zoomed out.
MAX_TICKS = 1000

# Minor ticks between the major ones: a few per major step, each on a wall-clock step.
_MINOR: dict[float, float] = {
    1.0: 0.2,
    2.0: 0.5,
    5.0: 1.0,
    10.0: 2.0,
    15.0: 5.0,
    30.0: 10.0,
    1 * MINUTE: 15.0,
    2 * MINUTE: 30.0,
    5 * MINUTE: 1 * MINUTE,
    10 * MINUTE: 2 * MINUTE,
    15 * MINUTE: 5 * MINUTE,
    30 * MINUTE: 10 * MINUTE,
    1 * HOUR: 15 * MINUTE,
    2 * HOUR: 30 * MINUTE,
    3 * HOUR: 1 * HOUR,
    6 * HOUR: 1 * HOUR,
    12 * HOUR: 3 * HOUR,
    1 * DAY: 6 * HOUR,
    2 * DAY: 1 * DAY,
    7 * DAY: 1 * DAY,
}

# Times outside these bounds are clamped: every platform converts them to local time.
MIN_EPOCH = 0.0
MAX_EPOCH = 32503680000.0  # 3000-01-01T00:00:00Z

# The tallest label the axis reserves room for: a time with the date below it.
_TALLEST_LABEL = "00:00:00\n2026-12-31"


def tick_spacing(span_s: float, width_px: float) -> float:
    """The smallest ladder spacing that keeps major ticks at least ``MIN_TICK_PX`` apart.

    A span wider than the ladder allows gets the largest step (seven days);
    an empty span gets the smallest, a zero width the largest.
    """
    if not (math.isfinite(span_s) and math.isfinite(width_px)) or width_px <= 0:
        return TICK_LADDER[-1]
    if span_s <= 0:
        return TICK_LADDER[0]
    needed = MIN_TICK_PX * span_s / width_px
    for spacing in TICK_LADDER:
        if spacing >= needed:
            return spacing
    return TICK_LADDER[-1]


def minor_spacing(spacing: float) -> float:
    """The minor tick step that goes with a major ``spacing`` (a fifth if it is off the ladder)."""
    return _MINOR.get(spacing, spacing / 5)


def _clamp(t: float) -> float:
    return min(max(t, MIN_EPOCH), MAX_EPOCH)


def _utc_offset(t: float) -> int:
    """Seconds east of UTC of local time at epoch ``t``."""
    return time.localtime(math.floor(t)).tm_gmtoff


def _offset_change(before: float, after: float) -> int:
    """The first whole epoch second after ``before`` with another UTC offset, given that
    ``after`` has another one."""
    offset = _utc_offset(before)
    lo, hi = math.floor(before), math.floor(after)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _utc_offset(mid) == offset:
            lo = mid
        else:
            hi = mid
    return hi


def _sub_day_ticks(t0: float, t1: float, spacing: float) -> list[float]:
    # Within a stretch of constant UTC offset, a tick is an epoch e with (e + offset)
    # a multiple of the spacing; for spacings that divide a day that is a local
    # wall-clock multiple counted from local midnight. At an offset change the
    # search restarts from the first second of the new offset.
    ticks: list[float] = []
    pos, inclusive = t0, True
    for _ in range(4 * MAX_TICKS):
        if len(ticks) >= MAX_TICKS:
            break
        offset = _utc_offset(pos)
        local = pos + offset
        k = math.ceil(local / spacing) if inclusive else math.floor(local / spacing) + 1
        candidate = k * spacing - offset
        if not inclusive and candidate <= pos:  # a fractional spacing's rounding
            candidate += spacing
        if _utc_offset(candidate) != offset:
            change = _offset_change(pos, candidate)
            if change > t1:
                break
            pos, inclusive = float(change), True
            continue
        if candidate > t1:
            break
        ticks.append(candidate)
        pos, inclusive = candidate, False
    return ticks


def _day_ticks(t0: float, t1: float, days: int) -> list[float]:
    # Ticks at local midnight of every days-th date, counted from 0001-01-01 (a
    # Monday), so weekly ticks fall on Mondays. A midnight that a clock change
    # skips is the first instant of that date.
    first = datetime.fromtimestamp(t0).date().toordinal()
    first += -(first - 1) % days
    ticks: list[float] = []
    for ordinal in range(first, first + days * MAX_TICKS, days):
        midnight = datetime.combine(date.fromordinal(ordinal), datetime.min.time())
        t = midnight.timestamp()
        if t > t1:
            break
        if t >= t0:
            ticks.append(t)
    return ticks


def tick_times(t0: float, t1: float, spacing: float) -> list[float]:
    """Epoch seconds of the ticks in [t0, t1], on local wall-clock multiples of ``spacing``.

    Spacings that divide a day count from local midnight (15 min: :00, :15, ...;
    6 h: 00, 06, 12, 18 local); spacings of whole days fall on local midnight.
    Ticks are in ascending order, distinct, and at most ``MAX_TICKS``; an hour
    that a clock change repeats carries its ticks twice, at different instants.
    """
    if not (math.isfinite(t0) and math.isfinite(t1) and math.isfinite(spacing)) or spacing <= 0:
        return []
    t0, t1 = sorted((_clamp(t0), _clamp(t1)))
    if spacing >= DAY:
        return _day_ticks(t0, t1, max(1, round(spacing / DAY)))
    return _sub_day_ticks(t0, t1, spacing)


def _local(t: float) -> datetime:
    # Tick times come back through an axis offset; a rounding error of a fraction
    # of a microsecond must not turn 12:00:00 into 11:59:59.
    return datetime.fromtimestamp(round(_clamp(t), 3))


def _date_text(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"


def tick_label(t: float, spacing: float, with_date: bool) -> str:
    """The label of the tick at epoch ``t`` in local time.

    "HH:MM:SS" for spacings under a minute, "HH:MM" otherwise, "YYYY-MM-DD" for
    spacings of a day or more. ``with_date`` adds the date as a second line
    below the time ("00:00\\n2026-11-22"); :func:`tick_labels` decides which
    ticks get it.
    """
    moment = _local(t)
    day = _date_text(moment)
    if spacing >= DAY:
        return day
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    if spacing < MINUTE:
        clock += f":{moment.second:02d}"
    return f"{clock}\n{day}" if with_date else clock


def tick_labels(times: Sequence[float], spacing: float, with_date: bool) -> list[str]:
    """Labels of ascending ticks; with ``with_date``, the first tick and the first of each
    local date (the tick at midnight) carry the date."""
    labels: list[str] = []
    previous: date | None = None
    for t in times:
        today = _local(t).date()
        labels.append(tick_label(t, spacing, with_date and today != previous))
        previous = today
    return labels


def crosses_midnight(t0: float, t1: float) -> bool:
    """Whether [t0, t1] contains a local date change (a local midnight after its start)."""
    if not (math.isfinite(t0) and math.isfinite(t1)):
        return False
    t0, t1 = sorted((t0, t1))
    return _local(t0).date() != _local(t1).date()


class TimeAxis(pg.AxisItem):  # type: ignore[misc]
    """A bottom axis whose x values are epoch seconds minus ``origin``.

    Major ticks fall on local wall-clock steps chosen by :func:`tick_spacing`,
    minor ticks on a smaller step between them. Labels are local time; when the
    visible range crosses a local midnight the first tick and each day's first
    tick also show the date on a second line, and the axis always keeps room
    for that second line so the plot does not jump at midnight. The tick font is
    the caller's (``setTickFont``).
    """

    def __init__(self, origin: float, **kwargs: Any) -> None:
        super().__init__("bottom", **kwargs)
        self.origin = float(origin)
        self.enableAutoSIPrefix(False)
        self.setStyle(maxTextLevel=0)  # only major ticks are labelled
        self._reserve_label_height()

    def set_origin(self, origin: float) -> None:
        """Change the epoch that x = 0 stands for and redraw."""
        self.origin = float(origin)
        self.picture = None
        self.update()

    def setTickFont(self, font: QFont | None) -> None:
        super().setTickFont(font)
        self._reserve_label_height()

    def _reserve_label_height(self) -> None:
        # Measured the way the axis measures its labels: on a picture's painter.
        picture = QPicture()
        painter = QPainter(picture)
        try:
            font = self.style["tickFont"]
            if font is not None:
                painter.setFont(font)
            rect = painter.boundingRect(
                QRectF(0, 0, 100, 100), Qt.AlignmentFlag.AlignCenter, _TALLEST_LABEL
            )
        finally:
            painter.end()
        self.setStyle(autoExpandTextSpace=False, tickTextHeight=math.ceil(rect.height()))

    def tickValues(
        self, min_val: float, max_val: float, size: float
    ) -> list[tuple[float, list[float]]]:
        lo, hi = sorted((min_val, max_val))
        t0, t1 = lo + self.origin, hi + self.origin
        spacing = tick_spacing(t1 - t0, size)
        major = tick_times(t0, t1, spacing)
        levels = [(spacing, [t - self.origin for t in major])]
        minor_step = minor_spacing(spacing)
        seen = {round(t, 3) for t in major}
        minor = [t for t in tick_times(t0, t1, minor_step) if round(t, 3) not in seen]
        if minor:
            levels.append((minor_step, [t - self.origin for t in minor]))
        return levels

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        lo, hi = sorted(self.range)
        with_date = crosses_midnight(lo + self.origin, hi + self.origin)
        return tick_labels([v + self.origin for v in values], spacing, with_date)
