"""Shifts as they happen: the plant file's shift calendar turned into UTC intervals.

A ``ShiftDef`` says "Early, 06:00 for 480 minutes, Monday to Friday, a break
at 10:00"; a ``ShiftInstance`` is one such shift on one day, in UTC epoch
seconds, which is what downtime events, OEE windows and shift summaries use.

Choices made here once:

* Shift and break times are *wall-clock* times in the calendar's time zone
  (an IANA name, via ``zoneinfo``). A shift's ``minutes`` are wall-clock
  minutes too: it ends when the wall clock says start + minutes. So in
  Europe/Berlin a night shift from 22:00 for 480 minutes ends at 06:00 and
  lasts 7 hours on the night the clocks go forward (last Sunday of March) and
  9 hours on the night they go back (last Sunday of October).
* A wall-clock time that does not exist (in the hour the clocks skip) is
  taken with the offset from before the change, i.e. it lands as far after
  the change as it was meant to be after the hour started: 02:30 on the
  March night is 03:30 summer time. A time that happens twice (the hour the
  clocks repeat) is its first occurrence. So a break that falls wholly into
  the skipped hour does not happen, and one from 02:30 to 03:00 on the
  October night lasts 90 minutes.
* ``days`` are the weekdays on which a shift *starts* (0 = Monday): a Friday
  night shift runs into Saturday morning.
* A break's ``start_min`` counts from midnight of the day the shift starts; a
  break given before the shift's start (e.g. 120 for a night shift from
  22:00) is taken as the next day's (1560). Breaks are clipped to their
  shift; overlapping or touching break windows are merged.
* Every interval is half-open, ``start <= ts < end``: at the handover the
  new shift holds the instant. Should shifts overlap (the plant file may
  allow it), ``shift_at`` gives the one that started last.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hmi.domain.production import ShiftCalendar, ShiftDef

DAY_MIN = 1440


@dataclass(frozen=True, slots=True)
class ShiftInstance:
    """One shift on one day: UTC epoch seconds, with its breaks (planned stops)."""

    name: str
    start: float
    end: float
    breaks: tuple[tuple[float, float], ...] = ()

    def contains(self, ts: float) -> bool:
        return self.start <= ts < self.end

    @property
    def duration_s(self) -> float:
        return self.end - self.start

    @property
    def break_s(self) -> float:
        return sum(end - start for start, end in self.breaks)


def _at(day: date, minutes: int, zone: ZoneInfo) -> float:
    """UTC seconds of the wall-clock time ``minutes`` after local midnight of ``day``."""
    midnight = datetime.combine(day, time(), tzinfo=zone)
    return (midnight + timedelta(minutes=minutes)).timestamp()  # wall-clock arithmetic


def _instance(shift: ShiftDef, day: date, zone: ZoneInfo) -> ShiftInstance | None:
    start = _at(day, shift.start_min, zone)
    end = _at(day, shift.start_min + shift.minutes, zone)
    if end <= start:
        return None
    breaks: list[tuple[float, float]] = []
    for pause in shift.breaks:
        minute = pause.start_min
        if minute < shift.start_min:
            minute += DAY_MIN
        b0 = max(start, _at(day, minute, zone))
        b1 = min(end, _at(day, minute + pause.minutes, zone))
        if b1 > b0:
            breaks.append((b0, b1))
    return ShiftInstance(shift.name, start, end, tuple(_merged(breaks)))


def _candidates(calendar: ShiftCalendar, t0: float, t1: float) -> list[ShiftInstance]:
    """Every shift instance that starts on a local day that could reach ``[t0, t1]``."""
    if not calendar.shifts:
        return []
    zone = ZoneInfo(calendar.timezone)
    reach = max(math.ceil((s.start_min + s.minutes) / DAY_MIN) for s in calendar.shifts)
    first = datetime.fromtimestamp(t0, zone).date() - timedelta(days=reach)
    last = datetime.fromtimestamp(t1, zone).date()
    out: list[ShiftInstance] = []
    day = first
    while day <= last:
        for shift in calendar.shifts:
            if day.weekday() in shift.days:
                instance = _instance(shift, day, zone)
                if instance is not None:
                    out.append(instance)
        day += timedelta(days=1)
    out.sort(key=lambda s: (s.start, s.name))
    return out


def shifts_between(calendar: ShiftCalendar, t0: float, t1: float) -> list[ShiftInstance]:
    """The shifts that overlap ``[t0, t1)``, in order of start (none if it is empty)."""
    if t1 <= t0:
        return []
    return [s for s in _candidates(calendar, t0, t1) if s.start < t1 and s.end > t0]


def shift_at(calendar: ShiftCalendar, ts: float) -> ShiftInstance | None:
    """The shift running at ``ts``, or None between shifts (or without a calendar)."""
    running = [s for s in _candidates(calendar, ts, ts) if s.contains(ts)]
    return running[-1] if running else None


def boundaries(calendar: ShiftCalendar, t0: float, t1: float) -> list[float]:
    """The times in ``[t0, t1)`` at which a shift starts or ends, sorted, each once."""
    times = {t for s in _candidates(calendar, t0, t1) for t in (s.start, s.end)}
    return sorted(t for t in times if t0 <= t < t1)


def break_windows(calendar: ShiftCalendar, t0: float, t1: float) -> list[tuple[float, float]]:
    """The breaks that overlap or touch ``[t0, t1]``, merged, unclipped: planned stops.

    Touching counts, so that a break ending at ``t0`` has its end in the list.
    """
    windows = [b for s in _candidates(calendar, t0, t1) for b in s.breaks]
    return [w for w in _merged(windows) if w[0] <= t1 and w[1] >= t0]


def _merged(windows: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for start, end in sorted(windows):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def in_break(calendar: ShiftCalendar, ts: float) -> bool:
    """Whether ``ts`` falls into a break of a shift running then."""
    return any(
        b0 <= ts < b1
        for s in _candidates(calendar, ts, ts)
        if s.contains(ts)
        for b0, b1 in s.breaks
    )
