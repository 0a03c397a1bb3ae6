"""The downtime service: stops from the machines' states, reasons from the operators.

Runs on the runtime thread. Each tracked station (one with ``production`` and
a state tag) has a ``DowntimeTracker``; every change it reports is saved to
the cache at once, so an open stop and the queue of stops waiting for a
reason survive a restart or a shift change. A stop becomes an operator record
(kind ``downtime``, through the outbox) when it has ended and has a reason
(micro-stops and breaks have theirs from the start). Giving a reason to a
stop already recorded, editing, splitting and merging are corrections: new
records that name the ones they correct, allowed to leads and up, audited.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlite_utils

from hmi.domain.clock import Clock
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
from hmi.domain.oee import Oee, ParetoRow, combine, context_spans, count_between, oee, pareto
from hmi.domain.plant import PlantDef, StationDef
from hmi.domain.production import ReasonDef, leaves
from hmi.domain.quality import Quality
from hmi.domain.records import Record, RecordKind, iso_utc, new_record_id
from hmi.domain.roles import Action
from hmi.domain.shifts import break_windows, shift_at
from hmi.domain.tags import TagValue
from hmi.services.history import HistoryService
from hmi.services.records import RecordService
from hmi.storage import downtime as store
from hmi.storage.database import Database

log = logging.getLogger(__name__)

TICK_S = 1.0
MAX_CONTEXT = 80  # characters of an order, product or batch
DEFAULT_WINDOW_S = 8 * 3600.0  # without a shift calendar: the last eight hours
RAW_POINTS = 10**9  # ask the history for raw samples: counts need every one


@dataclass(frozen=True, slots=True)
class StationPerformance:
    """What the station page shows: OEE and its factors, the Pareto, the stops."""

    station: str
    t0: float
    t1: float
    shift: str | None
    oee: Oee
    pareto: list[ParetoRow]
    events: list[DowntimeEvent]


@dataclass(frozen=True, slots=True)
class OrderPerformance:
    """The OEE of one order (and product) at a station within a window."""

    order: str | None
    product: str | None
    t0: float  # first and last moment the order ran in the window
    t1: float
    oee: Oee


class DowntimeService:
    """Trackers per station; the waiting queue; reasons and corrections by role."""

    def __init__(
        self,
        plant: PlantDef,
        db: Database,
        records: RecordService,
        clock: Clock,
        ids: Callable[[], str] = new_record_id,
        history: HistoryService | None = None,
    ) -> None:
        self.plant = plant
        self._db = db
        self._records = records
        self._clock = clock
        self._ids = ids
        self._history = history
        self.trackers: dict[str, DowntimeTracker] = {}
        self._state_tags: dict[str, StationDef] = {}
        self._context_tags: dict[str, tuple[str, str]] = {}
        self._context: dict[str, Context] = {}
        self._manual_context: dict[str, Context] = {}  # typed or scanned: wins over tags
        # The context last written to the cache, and whether it was typed: a change of
        # either is written, so a restart knows whether the tags or the operator rule.
        self._noted: dict[str, tuple[Context, bool]] = {}
        for station in plant.stations:
            production = station.production
            if production is None or station.state_tag is None:
                continue
            self.trackers[station.id] = DowntimeTracker(
                station.id, production.micro_stop_s, plant.shifts, ids
            )
            self._state_tags[station.state_tag] = station
            self._context[station.id] = Context()
            for field, tag in (
                ("order", production.order_tag),
                ("product", production.product_tag),
                ("batch", production.batch_tag),
            ):
                if tag is not None:
                    self._context_tags[tag] = (station.id, field)
        self.reasons: dict[str, tuple[ReasonDef, tuple[ReasonDef, ...]]] = {
            leaf.code: (leaf, path) for leaf, path in leaves(plant.reasons)
        }
        self._lock = threading.Lock()
        self._waiting: dict[str, DowntimeEvent] = {}  # the queue, for the GUI (any thread)
        self._open: dict[str, DowntimeEvent] = {}
        self._version = 0
        self._tick: asyncio.Task[None] | None = None
        self.tick_s = TICK_S
        self._applying: set[asyncio.Task[None]] = set()

    # -- lifecycle --------------------------------------------------------------------

    async def start(self) -> None:
        """Resume stops that were open when the program stopped; load the waiting queue."""
        opened = await self._read(store.open_events)
        for event in opened:
            tracker = self.trackers.get(event.station)
            if tracker is not None and tracker.open_event is None:
                tracker.resume(event)
        waiting = await self._read(store.waiting)
        for station, (context, manual) in (await self._read(store.latest_contexts)).items():
            if station in self.trackers:
                self._noted[station] = (context, manual)
                if manual:  # an order typed in before the restart is still the order
                    self._manual_context[station] = context
        with self._lock:
            self._waiting = {e.id: e for e in waiting}
            self._open = {t.station: t.open_event for t in self.trackers.values() if t.open_event}
            self._version += 1
        if self.plant.shifts.shifts:  # the clock only matters for shift ends and breaks
            self._tick = asyncio.create_task(self._tick_loop(), name="downtime-calendar")

    async def stop(self) -> None:
        if self._tick is not None:
            self._tick.cancel()
            await asyncio.gather(self._tick, return_exceptions=True)

    async def _tick_loop(self) -> None:
        """Shift ends and breaks happen with or without a sample: apply them as time passes.

        A tick moves a tracker's clock to now, so a state stamped earlier than
        the last tick is taken as happening now (by at most ``TICK_S`` plus the
        link's delay).
        """
        while True:
            await asyncio.sleep(self.tick_s)
            now = self._clock.now()
            for tracker in self.trackers.values():
                await self._apply(tracker.tick(now))

    # -- acquisition --------------------------------------------------------------------

    def on_samples(self, samples: list[TagValue]) -> None:
        for s in samples:
            context = self._context_tags.get(s.tag_id)
            if context is not None and s.quality is Quality.GOOD:
                station, field = context
                value = None if s.value in (None, "") else str(s.value)
                self._context[station] = replace(self._context[station], **{field: value})
                self._later(self._note_context(station, s.source_ts))
            station_def = self._state_tags.get(s.tag_id)
            if station_def is None or s.value is None:
                continue
            tracker = self.trackers[station_def.id]
            state = station_def.machine_state(s.value)
            changes = tracker.state(state, s.source_ts, self.context(station_def.id))
            if changes:
                self._later(self._apply(changes))

    def _later(self, job: Coroutine[Any, Any, None]) -> None:
        # Kept until done: the loop holds only weak references to tasks.
        task = asyncio.get_running_loop().create_task(job)
        self._applying.add(task)
        task.add_done_callback(self._applying.discard)

    async def _note_context(self, station: str, ts: float) -> None:
        """Write the station's context to the cache when it differs from the last noted."""
        context = self.context(station)
        manual = station in self._manual_context
        if self._noted.get(station, (Context(), False)) == (context, manual):
            return
        self._noted[station] = (context, manual)
        await self._write(lambda db: store.note_context(db, station, ts, context, manual))

    def on_requalified(self, values: list[TagValue], ts: float) -> None:
        """A state tag without a good value says nothing about the machine: no change."""

    def on_link(self, health: object) -> None:
        """Links show in the state tag's quality; nothing to do here."""

    # -- what the GUI reads (any thread) ------------------------------------------------

    def waiting(self, station: str | None = None) -> list[DowntimeEvent]:
        """Stops waiting for a reason, oldest first (the queue; counted on every screen)."""
        with self._lock:
            events = list(self._waiting.values())
        return sorted(
            (e for e in events if station is None or e.station == station),
            key=lambda e: e.start,
        )

    def open_stop(self, station: str) -> DowntimeEvent | None:
        with self._lock:
            return self._open.get(station)

    @property
    def version(self) -> int:
        """Goes up with every change the GUI may want to show."""
        return self._version

    def context(self, station: str) -> Context:
        manual = self._manual_context.get(station)
        return manual if manual is not None else self._context.get(station, Context())

    def context_fields(self, station: str) -> dict[str, str]:
        """The station's context for records: order, product, batch (those known)."""
        if station not in self.trackers:
            return {}
        c = self.context(station)
        fields = {"order": c.order, "product": c.product, "batch": c.batch}
        return {k: v for k, v in fields.items() if v}

    async def set_context(
        self, station: str, order: str | None, product: str | None, batch: str | None
    ) -> None:
        """The operator's context (typed or scanned); it wins over the tags until cleared.

        All three None: back to the context the tags give. Recorded as a note.
        """
        self._tracker(station)
        await self._records.authorize(Action.RECORD_INTERVENTION, station)
        values = [v.strip() if v else None for v in (order, product, batch)]
        if any(v is not None and len(v) > MAX_CONTEXT for v in values):
            raise DowntimeActionError(f"an order, product or batch holds {MAX_CONTEXT} characters")
        if not any(values):
            self._manual_context.pop(station, None)
            text = "production context from the line again"
        else:
            self._manual_context[station] = Context(*values)
            text = "production context set by hand: " + ", ".join(
                f"{k} {v}" for k, v in zip(("order", "product", "batch"), values, strict=True) if v
            )
        await self._records.record(
            Action.RECORD_INTERVENTION,
            RecordKind.INTERVENTION,
            station,
            {"text": text, "action": "context"},
        )
        await self._note_context(station, self._clock.now())
        with self._lock:
            self._version += 1

    async def performance(
        self, station: str, t0: float | None = None, t1: float | None = None
    ) -> StationPerformance:
        """OEE and the downtime Pareto of a station; by default over the current shift."""
        station_def = next((s for s in self.plant.stations if s.id == station), None)
        if station_def is None or station_def.production is None:
            raise DowntimeActionError(f"{station} does not track downtime")
        production = station_def.production
        now = self._clock.now()
        shift = shift_at(self.plant.shifts, now)
        if t0 is None or t1 is None:
            t0, t1 = (shift.start, now) if shift is not None else (now - DEFAULT_WINDOW_S, now)
        t1 = min(t1, now)
        # Not before this HMI knew the machine's state: time it never watched is not run time.
        t0 = max(t0, await self._known_from(station_def, t0, t1))
        events = await self._read(lambda db: store.between(db, station, t0, t1))
        blind = await self._not_watched(t0, t1)
        good = await self._count(production.good_count_tag, t0, t1, blind)
        reject = await self._count(production.reject_count_tag, t0, t1, blind)
        breaks = break_windows(self.plant.shifts, t0, t1)
        return StationPerformance(
            station=station,
            t0=t0,
            t1=t1,
            shift=shift.name if shift is not None else None,
            oee=oee(events, t0, t1, production.ideal_cycle_s, good, reject, breaks, blind),
            pareto=pareto(events, t0, t1, self.plant.reasons),
            events=events,
        )

    async def performance_by_order(
        self, station: str, t0: float, t1: float
    ) -> list[OrderPerformance]:
        """OEE per order over a window, cut where the station's context changed."""
        station_def = next((s for s in self.plant.stations if s.id == station), None)
        if station_def is None or station_def.production is None:
            raise DowntimeActionError(f"{station} does not track downtime")
        production = station_def.production
        t1 = min(t1, self._clock.now())
        t0 = max(t0, await self._known_from(station_def, t0, t1))  # as performance() does
        changes = await self._read(lambda db: store.contexts(db, station, t0, t1))
        events = await self._read(lambda db: store.between(db, station, t0, t1))
        parts: dict[tuple[str | None, str | None], list[tuple[float, float, Oee]]] = {}
        for span in context_spans(changes, t0, t1):
            blind = await self._not_watched(span.t0, span.t1)
            good = await self._count(production.good_count_tag, span.t0, span.t1, blind)
            reject = await self._count(production.reject_count_tag, span.t0, span.t1, blind)
            breaks = break_windows(self.plant.shifts, span.t0, span.t1)
            ideal = production.ideal_cycle_s
            figures = oee(events, span.t0, span.t1, ideal, good, reject, breaks, blind)
            key = (span.context.order, span.context.product)
            parts.setdefault(key, []).append((span.t0, span.t1, figures))
        return [
            OrderPerformance(
                order, product, spans[0][0], spans[-1][1], combine(f for _a, _b, f in spans)
            )
            for (order, product), spans in parts.items()
        ]

    async def _known_from(self, station: StationDef, t0: float, t1: float) -> float:
        """The first time in the window this HMI knew the station: its first sample or stop.

        A window that starts before the HMI watched the machine (the demo started
        mid-shift, a new installation) would count hours nobody saw as run time.
        Without any sample or stop in the history, nothing is clipped.
        """
        history, production = self._history, station.production
        if history is None or production is None:
            return t0
        events = await self._read(lambda db: store.between(db, station.id, t0, t1))
        starts = [e.start for e in events[:1]]
        tags = [station.state_tag, production.good_count_tag, production.reject_count_tag]
        first = await asyncio.wrap_future(history.first_known([t for t in tags if t], t0, t1))
        if first is not None:
            starts.append(first)
        return max(t0, min(starts)) if starts else t0

    async def _not_watched(self, t0: float, t1: float) -> list[tuple[float, float]]:
        """Spans of the window between two runs of this program: not known, not counted."""
        if self._history is None:
            return []
        spans: list[tuple[float, float]] = await asyncio.wrap_future(
            self._history.not_recording(t0, t1)
        )
        return spans

    async def _count(
        self, tag: str | None, t0: float, t1: float, blind: Sequence[tuple[float, float]] = ()
    ) -> int:
        """Pieces a running-total tag counted over the watched parts of the window."""
        if tag is None or self._history is None:
            return 0
        samples = await asyncio.wrap_future(self._history.load(tag, t0, t1, RAW_POINTS))
        pairs = [
            (float(t), float(v))
            for t, v in zip(samples.t, samples.v, strict=True)
            if math.isfinite(v)  # NaN marks a gap
        ]
        # Pieces made while nobody watched are not this window's: after a gap, counting
        # starts again from the first sample, never from one taken before the gap.
        total, start, after_gap = 0, t0, False
        for a, b in [*sorted(blind), (t1, t1)]:
            if a > start:
                seen = [p for p in pairs if p[0] >= start] if after_gap else pairs
                total += count_between(seen, start, a)
            start, after_gap = max(start, b), True
        return total

    # -- operator actions --------------------------------------------------------------

    async def give_reason(self, event_id: str, code: str, comment: str = "") -> None:
        """The reason for a stop: open, waiting, or (as a correction) already recorded."""
        reason = self._reason(code)
        tracker_event = self._open_by_id(event_id)
        if tracker_event is not None:
            tracker = self.trackers[tracker_event.station]
            await self._records.authorize(Action.RECORD_DOWNTIME, tracker_event.station)
            await self._apply(tracker.give_reason(reason, comment or None), by_operator=True)
            return
        event = await self._get(event_id)
        recorded = await self._read(lambda db: store.record_of(db, event_id))
        if recorded is None:
            await self._records.authorize(Action.RECORD_DOWNTIME, event.station)
            given = replace(event, reason=reason.code, planned=reason.planned)
            if comment:
                given = replace(given, comment=comment)
            await self._apply([DowntimeChange(ChangeKind.UPDATED, given)], by_operator=True)
            return
        await self._correct([edit(event, reason, comment or None)], [event], recorded)

    async def open_manual(self, station: str, code: str | None = None, comment: str = "") -> None:
        tracker = self._tracker(station)
        await self._records.authorize(Action.RECORD_DOWNTIME, station)
        reason = self._reason(code) if code else None
        now = self._clock.now()
        changes = tracker.open_manual(now, reason, comment, self.context(station))
        await self._apply(changes, by_operator=True)

    async def close_manual(self, station: str) -> None:
        tracker = self._tracker(station)
        await self._records.authorize(Action.RECORD_DOWNTIME, station)
        await self._apply(tracker.close_manual(self._clock.now()), by_operator=True)

    async def split(self, event_id: str, at: float) -> None:
        event = await self._get(event_id)
        before, after = split(event, at, self._ids)
        await self._correct([before, after], [event], await self._recorded(event_id))

    async def merge(self, first_id: str, second_id: str) -> None:
        a, b = await self._get(first_id), await self._get(second_id)
        merged = merge(a, b, self._ids)
        recorded = await self._recorded(first_id) or await self._recorded(second_id)
        await self._correct([merged], [a, b], recorded)

    async def edit(self, event_id: str, code: str | None, comment: str | None) -> None:
        event = await self._get(event_id)
        reason = self._reason(code) if code else None
        await self._correct([edit(event, reason, comment)], [event], await self._recorded(event_id))

    # -- internals ----------------------------------------------------------------------

    async def _correct(
        self, new: list[DowntimeEvent], old: list[DowntimeEvent], recorded: str | None
    ) -> None:
        """Corrections are for leads and up: the new events replace the old, on record."""
        station = old[0].station
        await self._records.authorize(Action.RECORD_CORRECT, station)
        await self._records.authorize(Action.RECORD_DOWNTIME, station)
        now = self._clock.now()
        replaced = [e.id for e in old]
        for event in new:
            keep = [i for i in replaced if i != event.id]

            def write(
                db: sqlite_utils.Database,
                record: Record | None = None,
                event: DowntimeEvent = event,
                keep: list[str] = keep,
            ) -> None:
                store.save(db, [event], now)
                store.supersede(db, keep, event.id)
                if record is not None:
                    store.mark_recorded(db, event.id, record.id)

            if event.end is not None and event.reason is not None:
                await self._records.record(
                    Action.RECORD_DOWNTIME,
                    RecordKind.DOWNTIME,
                    station,
                    self._payload(event),
                    corrects=recorded,
                    also=write,
                )
            else:
                await self._write(write)
        await self._refresh_queue()

    async def _apply(self, changes: list[DowntimeChange], by_operator: bool = False) -> None:
        """Save what the trackers changed; record stops that are complete."""
        if not changes:
            return
        now = self._clock.now()
        events = [c.event for c in changes]
        await self._write(lambda db: store.save(db, events, now))
        for change in changes:
            event = change.event
            complete = event.end is not None and event.reason is not None
            if complete and await self._recorded(event.id) is None:
                await self._record(event, by_operator)
        with self._lock:
            for tracker in self.trackers.values():
                if tracker.open_event is None:
                    self._open.pop(tracker.station, None)
                else:
                    self._open[tracker.station] = tracker.open_event
        await self._refresh_queue()

    async def _record(self, event: DowntimeEvent, by_operator: bool) -> None:
        """A complete stop goes upstream, with its record id noted in the same commit.

        The operator who gave the reason signs it; a stop nobody was asked about
        (a micro-stop, a break) is recorded with an empty user.
        """

        def mark(db: sqlite_utils.Database, record: Record) -> None:
            store.mark_recorded(db, event.id, record.id)

        payload = self._payload(event)
        if by_operator:
            await self._records.record(
                Action.RECORD_DOWNTIME, RecordKind.DOWNTIME, event.station, payload, also=mark
            )
        else:
            await self._records.record_as_system(
                RecordKind.DOWNTIME, event.station, payload, also=mark
            )

    def _payload(self, event: DowntimeEvent) -> dict[str, Any]:
        reason, path = self.reasons.get(event.reason or "", (None, ()))
        return {
            "event": event.id,
            "start": iso_utc(event.start),
            "end": iso_utc(event.end) if event.end is not None else None,
            "duration_s": round(event.duration_s or 0.0, 3),
            "state": event.state.value,
            "reason": event.reason,
            "reason_name": reason.name if reason else _SPECIAL.get(event.reason or "", ""),
            "category": [p.code for p in path],
            "planned": event.planned,
            "micro": event.micro,
            "source": event.source.value,
            "comment": event.comment,
            "shift": event.shift,
            "order": event.context.order,
            "product": event.context.product,
            "batch": event.context.batch,
            "continues": event.continues,
            "replaces": list(event.replaces),
        }

    async def _refresh_queue(self) -> None:
        waiting = await self._read(store.waiting)
        with self._lock:
            self._waiting = {e.id: e for e in waiting}
            self._version += 1

    def _reason(self, code: str) -> ReasonDef:
        found = self.reasons.get(code)
        if found is None:
            raise DowntimeActionError(f"there is no reason {code!r} in the plant file")
        return found[0]

    def _tracker(self, station: str) -> DowntimeTracker:
        tracker = self.trackers.get(station)
        if tracker is None:
            raise DowntimeActionError(f"{station} does not track downtime")
        return tracker

    def _open_by_id(self, event_id: str) -> DowntimeEvent | None:
        for tracker in self.trackers.values():
            if tracker.open_event is not None and tracker.open_event.id == event_id:
                return tracker.open_event
        return None

    async def _get(self, event_id: str) -> DowntimeEvent:
        event: DowntimeEvent | None = await self._read(lambda db: store.get(db, event_id))
        if event is None:
            raise DowntimeActionError(f"there is no stop {event_id}")
        return event

    async def _recorded(self, event_id: str) -> str | None:
        recorded: str | None = await self._read(lambda db: store.record_of(db, event_id))
        return recorded

    async def _read(self, job: Callable[[sqlite_utils.Database], Any]) -> Any:
        return await asyncio.wrap_future(self._db.submit(job))

    async def _write(self, job: Callable[[sqlite_utils.Database], Any]) -> None:
        await asyncio.wrap_future(self._db.submit(job))


_SPECIAL = {MICRO_STOP: "Micro-stop", BREAK: "Break"}

__all__ = ["DowntimeService", "EventSource"]
