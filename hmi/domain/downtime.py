"""Downtime: stops seen in the machine state, opened by hand, or planned by the calendar.

``DowntimeTracker`` turns one station's machine states and shift calendar into
``DowntimeEvent``s and reports each change for the service to record; ``edit``,
``split`` and ``merge`` make the corrected events that replace originals. No
clock is read: times are passed in (UTC epoch seconds).

Choices made here once:

* A stop is any known state but RUNNING. The first opens an event; further
  stop states keep that event (``state`` is the first, ``states`` all seen);
  RUNNING closes it. If the very first state seen is a stop, the event opens
  then: when the stop began is not known.
* UNKNOWN (no connection, an unmapped value) is no evidence, so it changes
  nothing: an open stop stays open until RUNNING (the gap is downtime), a
  running machine opens none (a stop seen after the gap opens when seen). It
  is noted in the open event's ``states``.
* A machine stop shorter than ``micro_stop_s`` *in all* closes as a
  micro-stop (``micro``, reason ``micro_stop`` unless one was given), never
  asked about. As the whole stop counts, a young stop's split at a shift
  boundary waits until the stop has lasted ``micro_stop_s`` or ended; the
  parts then come together. Manual and break events are never micro.
* At a shift boundary the open event ends; the next part gets a new id, the
  new shift, the current context, the reason so far and ``continues``.
* Breaks are planned stops: at a break's start, unless the machine is known
  RUNNING, a ``break`` event (reason ``break``, planned) opens and any open
  stop, machine or manual, ends. A machine running through its break gets no
  event (the break stays production time, and it produces); starting during
  the break closes the break event, stopping during it opens one. A machine
  still stopped at the break's end opens a machine stop: a late restart.
* A manual event is for stops the machine does not show (e.g. no state tag).
  One open event per station, so it is refused while another is open; while
  it lasts machine states are only noted; when it is closed, a machine still
  stopped opens a machine stop.
* Only the reason decides planned or not (``planned`` is None until then; OEE
  counts None as unplanned). A time before the last one seen is taken as the
  last one. Calendar edges are applied by the first call after them, at their
  exact times, so no part of an event is ever empty.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace

from hmi.domain.plant import MachineState
from hmi.domain.production import ReasonDef, ShiftCalendar
from hmi.domain.records import MAX_TEXT
from hmi.domain.shifts import boundaries, break_windows, in_break, shift_at

MICRO_STOP = "micro_stop"  # the reason code of micro-stops
BREAK = "break"  # the reason code of the calendar's breaks


class EventSource(enum.StrEnum):
    MACHINE = "machine"  # opened by the machine's state
    MANUAL = "manual"  # opened by an operator
    BREAK = "break"  # opened by the shift calendar


@dataclass(frozen=True, slots=True)
class Context:
    """What the station was making: every record carries it."""

    order: str | None = None
    product: str | None = None
    batch: str | None = None


@dataclass(frozen=True, slots=True)
class DowntimeEvent:
    """One stop of one station within one shift; ``end`` is None while it lasts.

    ``reason`` is a leaf code of the plant's reason tree (or ``micro_stop``,
    ``break``); ``continues`` names the part before a shift boundary;
    ``replaces`` names the events a correction replaces.
    """

    id: str
    station: str
    start: float
    end: float | None
    state: MachineState
    reason: str | None = None
    planned: bool | None = None
    micro: bool = False
    comment: str = ""
    source: EventSource = EventSource.MACHINE
    shift: str | None = None
    context: Context = Context()
    states: tuple[MachineState, ...] = ()
    continues: str | None = None
    replaces: tuple[str, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.end is None

    @property
    def duration_s(self) -> float | None:
        return None if self.end is None else self.end - self.start

    @property
    def awaiting_reason(self) -> bool:
        """Closed, not micro, and nobody has said why: the "waiting for a reason" queue."""
        return self.end is not None and self.reason is None and not self.micro


class ChangeKind(enum.StrEnum):
    OPENED = "opened"
    UPDATED = "updated"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class DowntimeChange:
    kind: ChangeKind
    event: DowntimeEvent


class DowntimeActionError(ValueError):
    """An operator action the rules refuse; the message is the operator's."""


class DowntimeTracker:
    """One station's stops, from its machine states and the shift calendar; single-threaded.

    Every method returns the changes it made, oldest first. Should a method
    refuse (``DowntimeActionError``), changes the calendar made before the
    refusal are returned by the next call.
    """

    def __init__(
        self,
        station: str,
        micro_stop_s: float,
        calendar: ShiftCalendar,
        ids: Callable[[], str],
    ) -> None:
        self.station = station
        self.micro_stop_s = micro_stop_s
        self.calendar = calendar
        self._ids = ids
        self._open: DowntimeEvent | None = None
        self._stop_start = 0.0  # start of the whole machine stop, for the micro rule
        self._pending: list[float] = []  # shift boundaries of a young stop, not split yet
        self._last: float | None = None
        self._down: bool | None = None  # known stopped / known running / never known
        self._machine = MachineState.UNKNOWN  # the last known state
        self._context = Context()
        self._out: list[DowntimeChange] = []

    @property
    def open_event(self) -> DowntimeEvent | None:
        return self._open

    # -- inputs ---------------------------------------------------------------------

    def state(
        self, ms: MachineState, ts: float, context: Context | None = None
    ) -> list[DowntimeChange]:
        ts = self._advance(ts)
        if context is not None:
            self._context = context
        open_ = self._open
        if ms is MachineState.UNKNOWN:
            self._note(ms)
        elif ms is MachineState.RUNNING:
            self._down, self._machine = False, ms
            if open_ is not None and open_.source is not EventSource.MANUAL:
                self._close(ts)
            else:
                self._note(ms)
        else:
            self._down, self._machine = True, ms
            if open_ is None:
                self._open_down(ts)
            else:
                self._note(ms)
        return self._take()

    def tick(self, ts: float) -> list[DowntimeChange]:
        """Apply the calendar (shift boundaries, breaks) up to ``ts``."""
        self._advance(ts)
        return self._take()

    def open_manual(
        self,
        ts: float,
        reason: ReasonDef | None = None,
        comment: str = "",
        context: Context | None = None,
    ) -> list[DowntimeChange]:
        _check(reason, comment)
        ts = self._advance(ts)
        if context is not None:
            self._context = context
        if self._open is not None:
            if self._open.source is EventSource.BREAK:
                raise DowntimeActionError("the break is already recorded as a planned stop")
            raise DowntimeActionError("a stop is already open: give it a reason instead")
        event = self._new(ts, EventSource.MANUAL, self._machine)
        self._open = _with_reason(event, reason, comment)
        self._emit(ChangeKind.OPENED, self._open)
        return self._take()

    def close_manual(self, ts: float) -> list[DowntimeChange]:
        ts = self._advance(ts)
        if self._open is None or self._open.source is not EventSource.MANUAL:
            raise DowntimeActionError("no stop opened by hand is open")
        self._close(ts)
        if self._down:
            self._open_down(ts)
        return self._take()

    def give_reason(self, reason: ReasonDef, comment: str | None = None) -> list[DowntimeChange]:
        """The reason for the open event, picked while it lasts; later parts inherit it."""
        if self._open is None:
            raise DowntimeActionError("no stop is open")
        self._open = _with_reason(self._open, reason, comment)
        self._emit(ChangeKind.UPDATED, self._open)
        return self._take()

    def resume(self, event: DowntimeEvent) -> None:
        """Take over the event that was open when the program stopped, before any input."""
        if self._last is not None or self._open is not None:
            raise RuntimeError("resume() comes before any input")
        if event.station != self.station or event.end is not None:
            raise ValueError(f"not an open event of {self.station}: {event.id}")
        self._open, self._last = event, event.start
        self._machine = event.states[-1] if event.states else event.state
        self._stop_start = event.start
        if event.source is EventSource.MACHINE:
            self._down = True
            if event.continues is not None:  # already split, so already judged not micro
                self._stop_start -= self.micro_stop_s

    # -- the calendar ---------------------------------------------------------------

    def _advance(self, ts: float) -> float:
        if self._last is not None:
            ts = max(ts, self._last)
            if self._pending and ts - self._stop_start >= self.micro_stop_s:
                self._flush(micro=False)
            if self._open is not None or self._down is not False:
                self._edges(self._last, ts)
        self._last = ts
        return ts

    def _edges(self, t0: float, t1: float) -> None:
        if t1 <= t0:
            return
        windows = break_windows(self.calendar, t0, t1)
        shift_edges = set(boundaries(self.calendar, t0, t1))
        edges = shift_edges | {t for w in windows for t in w if t0 <= t < t1}
        for e in sorted(edges):
            pausing = any(b0 <= e < b1 for b0, b1 in windows)
            open_ = self._open
            on_break = open_ is not None and open_.source is EventSource.BREAK
            if on_break and not pausing:
                self._close(e)
                if self._down:
                    self._open_down(e)
            elif pausing and not on_break and self._down is not False:
                if open_ is not None:
                    self._close(e)
                self._open_break(e)
            if e in shift_edges and self._open is not None and self._open.start < e:
                self._split(e, t1)

    def _split(self, at: float, now: float) -> None:
        assert self._open is not None
        young = self._pending or now - self._stop_start < self.micro_stop_s
        if self._open.source is EventSource.MACHINE and young:
            self._pending.append(at)
        else:
            self._split_now(at, micro=False)

    def _flush(self, micro: bool) -> None:
        pending, self._pending = self._pending, []
        for at in pending:
            self._split_now(at, micro)

    def _split_now(self, at: float, micro: bool) -> None:
        event = self._open
        assert event is not None
        self._emit(ChangeKind.CLOSED, _finished(event, at, micro))
        state = event.states[-1] if event.states else event.state
        self._open = replace(
            event, id=self._ids(), start=at, shift=self._shift_name(at), context=self._context,
            state=state, states=(state,), continues=event.id, replaces=(),
        )  # fmt: skip
        self._emit(ChangeKind.OPENED, self._open)

    # -- events ---------------------------------------------------------------------

    def _open_down(self, ts: float) -> None:
        if in_break(self.calendar, ts):
            self._open_break(ts)
            return
        self._stop_start, self._pending = ts, []
        self._open = self._new(ts, EventSource.MACHINE, self._machine)
        self._emit(ChangeKind.OPENED, self._open)

    def _open_break(self, ts: float) -> None:
        event = self._new(ts, EventSource.BREAK, MachineState.PLANNED_STOP)
        if self._down and self._machine is not MachineState.PLANNED_STOP:
            event = replace(event, states=(*event.states, self._machine))
        self._open = replace(event, reason=BREAK, planned=True)
        self._emit(ChangeKind.OPENED, self._open)

    def _new(self, ts: float, source: EventSource, state: MachineState) -> DowntimeEvent:
        return DowntimeEvent(
            id=self._ids(), station=self.station, start=ts, end=None, state=state,
            source=source, shift=self._shift_name(ts),
            context=self._context, states=(state,),
        )  # fmt: skip

    def _close(self, ts: float) -> None:
        event = self._open
        assert event is not None
        if event.source is EventSource.MACHINE:
            micro = ts - self._stop_start < self.micro_stop_s
            self._flush(micro)
            assert self._open is not None
            closed = _finished(self._open, ts, micro)
        else:
            closed = replace(event, end=ts)
        self._open = None
        self._emit(ChangeKind.CLOSED, closed)

    def _note(self, ms: MachineState) -> None:
        event = self._open
        if event is not None and (not event.states or event.states[-1] is not ms):
            self._open = replace(event, states=(*event.states, ms))
            self._emit(ChangeKind.UPDATED, self._open)

    def _shift_name(self, ts: float) -> str | None:
        shift = shift_at(self.calendar, ts)
        return None if shift is None else shift.name

    def _emit(self, kind: ChangeKind, event: DowntimeEvent) -> None:
        self._out.append(DowntimeChange(kind, event))

    def _take(self) -> list[DowntimeChange]:
        out, self._out = self._out, []
        return out


def _finished(event: DowntimeEvent, end: float, micro: bool) -> DowntimeEvent:
    if not micro:
        return replace(event, end=end)
    reason = event.reason if event.reason is not None else MICRO_STOP
    planned = event.planned if event.planned is not None else False
    return replace(event, end=end, micro=True, reason=reason, planned=planned)


def _check(reason: ReasonDef | None, comment: str | None) -> None:
    if reason is not None and not reason.is_leaf:
        raise DowntimeActionError(f"{reason.name} is a category: pick one of its reasons")
    if comment is not None and len(comment) > MAX_TEXT:
        raise DowntimeActionError(f"a comment holds at most {MAX_TEXT} characters")


def _with_reason(
    event: DowntimeEvent, reason: ReasonDef | None, comment: str | None
) -> DowntimeEvent:
    _check(reason, comment)
    if reason is not None:
        event = replace(event, reason=reason.code, planned=reason.planned)
    if comment is not None:
        event = replace(event, comment=comment)
    return event


# -- corrections: pure, each returns new events that replace the originals ----------


def edit(
    event: DowntimeEvent, reason: ReasonDef | None = None, comment: str | None = None
) -> DowntimeEvent:
    """The event with another reason and/or comment (None keeps it); same id."""
    if event.end is None:
        raise DowntimeActionError("the stop is still open: give its reason at the station")
    edited = _with_reason(event, reason, comment)
    if edited == event:
        raise DowntimeActionError("nothing to change")
    return replace(edited, replaces=(event.id,))


def split(
    event: DowntimeEvent, at: float, ids: Callable[[], str]
) -> tuple[DowntimeEvent, DowntimeEvent]:
    """Two events, before and after ``at``, each with a new id and the original's reason."""
    if event.end is None:
        raise DowntimeActionError("the stop is still open: split it once it has ended")
    if not event.start < at < event.end:
        raise DowntimeActionError("the time to split at must lie inside the stop")
    before = replace(event, id=ids(), end=at, replaces=(event.id,))
    after = replace(event, id=ids(), start=at, continues=None, replaces=(event.id,))
    return before, after


def merge(a: DowntimeEvent, b: DowntimeEvent, ids: Callable[[], str]) -> DowntimeEvent:
    """One event for two adjacent ones; the earlier one's reason wins when both have one."""
    first, second = sorted((a, b), key=lambda e: e.start)
    refusals = (
        (first.id == second.id, "an event cannot be merged with itself"),
        (first.station != second.station, "events of different stations stay apart"),
        (first.end is None or second.end is None, "the stop is still open: merge it later"),
        (first.end != second.start, "only events that follow one another can be merged"),
        (first.shift != second.shift, "events of different shifts stay apart"),
        (
            (first.source is EventSource.BREAK) != (second.source is EventSource.BREAK),
            "a break and a stop stay apart",
        ),
    )
    for refused, why in refusals:
        if refused:
            raise DowntimeActionError(why)
    states = first.states
    for state in second.states:
        if not states or states[-1] is not state:
            states = (*states, state)
    comment = "; ".join(dict.fromkeys(c for c in (first.comment, second.comment) if c))
    _check(None, comment)
    return replace(
        first, id=ids(), end=second.end, micro=first.micro and second.micro, comment=comment,
        reason=first.reason if first.reason is not None else second.reason,
        planned=first.planned if first.reason is not None else second.planned,
        states=states, replaces=(first.id, second.id),
    )  # fmt: skip
