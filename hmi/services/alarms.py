"""The alarm service: detection from acquisition, OPC UA conditions, operator actions.

Runs on the runtime thread. Samples and condition events feed one
``AlarmEngine``; every transition goes to the alarm journal (batched, one
write per loop turn, so a flood costs one transaction, not thousands). Every
operator action is checked by role here, written as an operator record in the
same transaction as its journal line, and audited; a refused action is
audited as refused. The GUI reads coalesced snapshots with ``take_changes``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import sqlite_utils

from hmi.adapters.opcua_conditions import ConditionMethodError
from hmi.domain.alarms import (
    Alarm,
    AlarmActionError,
    AlarmEngine,
    AlarmKind,
    AlarmState,
    AlarmView,
    ConditionUpdate,
    Event,
    Transition,
)
from hmi.domain.audit import AuditCategory
from hmi.domain.clock import Clock
from hmi.domain.health import SourceHealth
from hmi.domain.plant import OpcUaBinding, PlantDef
from hmi.domain.records import RecordKind
from hmi.domain.roles import Action
from hmi.domain.tags import TagValue
from hmi.services.history import HistoryService
from hmi.services.records import RecordService
from hmi.services.session import SessionService
from hmi.storage import alarm_journal
from hmi.storage.database import Database

log = logging.getLogger(__name__)

TICK_S = 0.2
KPI_MAX_LINES = 2_000_000  # 30 days of a badly flooding line; KPIs read them all


class ConditionMethods(Protocol):
    """The methods of an OPC UA server's conditions (see hmi.adapters.opcua_conditions)."""

    async def acknowledge(self, condition_id: str, event_id: bytes, comment: str) -> None: ...

    async def confirm(self, condition_id: str, event_id: bytes, comment: str) -> None: ...

    async def timed_shelve(self, condition_id: str, seconds: float) -> None: ...

    async def one_shot_shelve(self, condition_id: str) -> None: ...

    async def unshelve(self, condition_id: str) -> None: ...

    async def refresh(self) -> None: ...


class AlarmService:
    """Owns the alarm engine; an acquisition listener and a condition listener."""

    def __init__(
        self,
        plant: PlantDef,
        db: Database,
        session: SessionService,
        records: RecordService,
        clock: Clock,
        conditions: Callable[[str], ConditionMethods | None] = lambda _source: None,
        history: HistoryService | None = None,
    ) -> None:
        self.plant = plant
        self.engine = AlarmEngine(plant.alarms)
        self._db = db
        self._session = session
        self._records = records
        self._clock = clock
        self._conditions = conditions
        self._history = history
        self._pending: list[Transition] = []
        self._flush_scheduled = False
        self._lock = threading.Lock()
        self._views: dict[str, AlarmView] = {a.id: a.view() for a in self.engine.alarms.values()}
        self._changed: dict[str, AlarmView | None] = dict(self._views)
        self._tick_task: asyncio.Task[None] | None = None
        self._state_tags = {s.state_tag: s for s in plant.stations if s.state_tag}
        self._condition_station = self._condition_stations(plant)
        self.journal_errors = 0

    @staticmethod
    def _condition_stations(plant: PlantDef) -> dict[tuple[str, str], str]:
        """(source, node id) of each OPC UA tag -> the station that shows that tag."""
        out: dict[tuple[str, str], str] = {}
        for station in plant.stations:
            for tag_id in station.tags:
                tag = plant.tag(tag_id)
                if isinstance(tag.binding, OpcUaBinding):
                    out.setdefault((tag.source, tag.binding.node_id), station.id)
        return out

    # -- lifecycle ------------------------------------------------------------------

    async def start(self) -> None:
        """Restore out-of-service and unexpired shelving from the journal, then run timers."""
        rows = await asyncio.wrap_future(self._db.submit(alarm_journal.operator_states))
        now = self._clock.now()
        for row in rows:
            alarm = self.engine.alarms.get(row.alarm_id)
            if alarm is None or alarm.definition.kind is AlarmKind.CONDITION:
                continue
            if row.event is Event.OUT_OF_SERVICE:
                alarm.out_of_service, alarm.oos_by, alarm.oos_since = True, row.user, row.ts
                alarm.oos_reason = row.text
            elif row.event is Event.SHELVED and row.until is not None and row.until > now:
                alarm.shelved_until, alarm.shelved_by = row.until, row.user
                alarm.shelve_reason = row.text.split(": ", 1)[-1]
            # A one-shot shelve cannot be known to still hold after a restart: unshelved.
        self._publish(list(self.engine.alarms.values()))
        self._tick_task = asyncio.create_task(self._tick_loop(), name="alarm-timers")

    async def stop(self) -> None:
        if self._tick_task is not None:
            self._tick_task.cancel()
            await asyncio.gather(self._tick_task, return_exceptions=True)
        await self._flush()

    async def _tick_loop(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            self._emit(self.engine.tick(self._clock.now()))

    # -- acquisition ------------------------------------------------------------------

    def on_samples(self, samples: list[TagValue]) -> None:
        engine, out = self.engine, []
        for s in samples:
            if engine.watches(s.tag_id):
                out += engine.sample(s.tag_id, s.value, s.quality, s.source_ts)
            station = self._state_tags.get(s.tag_id)
            if station is not None and s.value is not None:
                state = station.machine_state(s.value)
                out += engine.set_machine_state(station.id, state, s.source_ts)
        self._emit(out)

    def on_requalified(self, values: list[TagValue], ts: float) -> None:
        engine, out = self.engine, []
        for v in values:
            if engine.watches(v.tag_id):
                out += engine.sample(v.tag_id, v.value, v.quality, ts)
        self._emit(out)

    def on_link(self, health: SourceHealth) -> None:
        """Links show in the tags' quality (``on_requalified``); nothing more to do here."""

    # -- OPC UA conditions ------------------------------------------------------------

    def on_condition(self, update: ConditionUpdate) -> None:
        station = self._condition_station.get((update.source_id, update.source_node))
        if station is None:
            source = self.plant.source(update.source_id)
            station = getattr(source, "conditions_station", None) or self._first_station(
                update.source_id
            )
        self._emit(self.engine.condition(update, station))

    def on_condition_refresh(self, source_id: str, started: bool, ts: float) -> None:
        if started:
            self.engine.refresh_started(source_id)
        else:
            self._emit(self.engine.refresh_ended(source_id, ts))

    def _first_station(self, source_id: str) -> str:
        for station in self.plant.stations:
            if any(self.plant.tag(t).source == source_id for t in station.tags):
                return station.id
        return self.plant.stations[0].id if self.plant.stations else ""

    # -- what the GUI reads (any thread) ---------------------------------------------

    def views(self) -> list[AlarmView]:
        with self._lock:
            return list(self._views.values())

    def take_changes(self) -> dict[str, AlarmView | None]:
        """Alarms changed since the last call, latest state each; None: removed."""
        with self._lock:
            changed, self._changed = self._changed, {}
        return changed

    # -- operator actions (runtime thread, awaited by the GUI through submit) ---------

    async def acknowledge(self, alarm_ids: Sequence[str], comment: str = "") -> list[str]:
        """Acknowledge each alarm; returns the messages of those that could not be."""
        problems: list[str] = []
        for alarm_id in alarm_ids:
            try:
                await self._acknowledge(alarm_id, comment)
            except AlarmActionError as exc:
                problems.append(str(exc))
        return problems

    async def _acknowledge(self, alarm_id: str, comment: str) -> None:
        alarm = self.engine.get(alarm_id)
        if alarm.definition.kind is AlarmKind.CONDITION:
            await self._on_server(
                Action.ALARM_ACKNOWLEDGE,
                alarm,
                "acknowledge",
                comment,
                lambda m, a: m.acknowledge(a.condition_node, a.event_id, comment),
            )
            return
        await self._act(
            Action.ALARM_ACKNOWLEDGE,
            alarm,
            "acknowledge",
            comment,
            lambda: [self.engine.acknowledge(alarm_id, self._clock.now(), self._user(), comment)],
        )

    async def confirm(self, alarm_id: str, comment: str = "") -> None:
        alarm = self.engine.get(alarm_id)
        if alarm.definition.kind is not AlarmKind.CONDITION or not alarm.confirmable:
            raise AlarmActionError(f"{alarm.definition.message}: nothing to confirm")
        await self._on_server(
            Action.ALARM_ACKNOWLEDGE,
            alarm,
            "confirm",
            comment,
            lambda m, a: m.confirm(a.condition_node, a.event_id, comment),
        )

    async def comment(self, alarm_id: str, text: str) -> None:
        alarm = self.engine.get(alarm_id)
        await self._act(
            Action.ALARM_COMMENT,
            alarm,
            "comment",
            text,
            lambda: [self.engine.comment(alarm_id, self._clock.now(), self._user(), text)],
        )

    async def shelve(self, alarm_id: str, duration_s: float | None, reason: str) -> None:
        """Shelve for ``duration_s`` seconds (bounded by the alarm's maximum) or one-shot."""
        alarm = self.engine.get(alarm_id)
        detail = f"{'one-shot' if duration_s is None else f'{duration_s:.0f} s'}: {reason}"
        if alarm.definition.kind is AlarmKind.CONDITION:
            if not reason.strip():
                raise AlarmActionError("shelving needs a reason")
            if duration_s is not None and not 0 < duration_s <= alarm.definition.max_shelve_s:
                raise AlarmActionError(f"{alarm.definition.message}: shelving time out of range")

            def call(m: ConditionMethods, a: Alarm) -> Any:
                if duration_s is None:
                    return m.one_shot_shelve(a.condition_node)
                return m.timed_shelve(a.condition_node, duration_s)

            await self._on_server(Action.ALARM_SHELVE, alarm, "shelve", detail, call)
            alarm.shelved_by, alarm.shelve_reason = self._user(), reason
            if duration_s is not None:
                alarm.shelved_until = self._clock.now() + duration_s
            self._publish([alarm])
            return
        await self._act(
            Action.ALARM_SHELVE,
            alarm,
            "shelve",
            detail,
            lambda: [
                self.engine.shelve(alarm_id, self._clock.now(), self._user(), reason, duration_s)
            ],
        )

    async def unshelve(self, alarm_id: str) -> None:
        alarm = self.engine.get(alarm_id)
        if alarm.definition.kind is AlarmKind.CONDITION:
            await self._on_server(
                Action.ALARM_SHELVE,
                alarm,
                "unshelve",
                "",
                lambda m, a: m.unshelve(a.condition_node),
            )
            return
        await self._act(
            Action.ALARM_SHELVE,
            alarm,
            "unshelve",
            "",
            lambda: self.engine.unshelve(alarm_id, self._clock.now(), self._user()),
        )

    async def remove_from_service(self, alarm_id: str, reason: str) -> None:
        alarm = self.engine.get(alarm_id)
        if alarm.definition.kind is AlarmKind.CONDITION:
            raise AlarmActionError("a server's condition is taken out of service at the server")
        await self._act(
            Action.ALARM_OUT_OF_SERVICE,
            alarm,
            "out_of_service",
            reason,
            lambda: [
                self.engine.remove_from_service(alarm_id, self._clock.now(), self._user(), reason)
            ],
        )

    async def return_to_service(self, alarm_id: str) -> None:
        alarm = self.engine.get(alarm_id)
        await self._act(
            Action.ALARM_OUT_OF_SERVICE,
            alarm,
            "return_to_service",
            "",
            lambda: self.engine.return_to_service(alarm_id, self._clock.now(), self._user()),
        )

    def _user(self) -> str:
        user = self._session.session.acting_user
        return user.id if user else ""

    async def _act(
        self,
        action: Action,
        alarm: Alarm,
        verb: str,
        text: str,
        apply: Callable[[], list[Transition]],
    ) -> None:
        """Role check, engine change, then record + journal lines in one commit."""
        station = alarm.definition.station
        await self._session.authorize(action, station)
        before = alarm.state
        try:
            transitions = apply()
        except AlarmActionError as exc:
            await self._refused(action, alarm, str(exc))
            raise
        await self._flush()  # journal lines before this action's stay in order
        payload = self._payload(alarm, verb, text, before)
        await self._records.record(
            action,
            RecordKind.ALARM_ACTION,
            station,
            payload,
            also=lambda db, _record: alarm_journal.append(db, transitions),
        )
        self._publish([alarm])

    async def _on_server(
        self,
        action: Action,
        alarm: Alarm,
        verb: str,
        text: str,
        call: Callable[[ConditionMethods, Alarm], Any],
    ) -> None:
        """An action on an OPC UA condition: the server decides; its next event shows it.

        A stale EventId (the condition changed meanwhile) refreshes the
        conditions and tries once more with the newest one.
        """
        station = alarm.definition.station
        await self._session.authorize(action, station)
        methods = self._conditions(alarm.source_id)
        if methods is None:
            await self._refused(action, alarm, "its server is not connected")
            raise AlarmActionError(f"{alarm.definition.message}: its server is not connected")
        before = alarm.state
        try:
            try:
                await call(methods, alarm)
            except ConditionMethodError as exc:
                if not exc.stale_event_id:
                    raise
                await methods.refresh()  # the newest EventId arrives with the refresh
                alarm = self.engine.get(alarm.id)
                await call(methods, alarm)
        except (ConditionMethodError, AlarmActionError) as exc:
            message = str(exc) or "the server refused it"
            await self._refused(action, alarm, message)
            raise AlarmActionError(f"{alarm.definition.message}: {message}") from exc
        payload = self._payload(alarm, verb, text, before)
        note = Transition(
            self._clock.now(), alarm.id, station, alarm.definition.priority, Event.COMMENT,
            alarm.state, self._user(), f"{verb} sent to the server" + (f": {text}" if text else ""),
            alarm.value, False, alarm.definition.message,
        )  # fmt: skip
        await self._records.record(
            action,
            RecordKind.ALARM_ACTION,
            station,
            payload,
            also=lambda db, _record: alarm_journal.append(db, [note]),
        )

    def _payload(self, alarm: Alarm, verb: str, text: str, before: AlarmState) -> dict[str, Any]:
        d = alarm.definition
        value = alarm.value
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        return {
            "action": verb,
            "alarm": d.id,
            "tag": d.tag,
            "message": d.message,
            "priority": d.priority.name.lower(),
            "state_before": before.value,
            "state": alarm.state.value,
            "text": text,
            "value": value,
        }

    async def _refused(self, action: Action, alarm: Alarm, why: str) -> None:
        await self._session.audit(
            self._user(),
            action.value,
            "refused",
            f"{alarm.id}: {why}",
            AuditCategory.RECORD,
            alarm.definition.station,
        )

    async def authorize_export(self, what: str, path: str, rows: int) -> None:
        """A journal or KPI export may go to ``path``: checked by role and audited first."""
        user = await self._session.authorize(Action.ALARM_EXPORT)
        detail = json.dumps({"what": what, "path": path, "rows": rows})
        await self._session.audit(
            user.id, Action.ALARM_EXPORT.value, "ok", detail, AuditCategory.RECORD
        )

    # -- the journal ------------------------------------------------------------------

    def _emit(self, transitions: list[Transition]) -> None:
        if not transitions:
            return
        self._pending += transitions
        if self._history is not None:
            self._history.on_alarms(self._marks(transitions))
        alarms = self.engine.alarms
        changed = {t.alarm_id for t in transitions}
        with self._lock:
            for alarm_id in changed:
                alarm = alarms.get(alarm_id)
                view = alarm.view() if alarm is not None else None
                if view is None:
                    self._views.pop(alarm_id, None)
                else:
                    self._views[alarm_id] = view
                self._changed[alarm_id] = view
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush_soon)

    def _marks(self, transitions: list[Transition]) -> list[tuple[bool, str, str, float, str]]:
        """Activations and clears as bands on the trends of the alarm's tag."""
        out = []
        for t in transitions:
            if t.event in (Event.ACTIVE, Event.CLEARED, Event.REMOVED):
                alarm = self.engine.alarms.get(t.alarm_id)
                tag = alarm.definition.tag if alarm is not None else ""
                text = f"{t.priority.word}: {t.message}"
                out.append((t.event is Event.ACTIVE, tag, t.alarm_id, t.ts, text))
        return out

    def _publish(self, alarms: list[Alarm]) -> None:
        with self._lock:
            for alarm in alarms:
                view = alarm.view()
                self._views[alarm.id] = self._changed[alarm.id] = view

    def _flush_soon(self) -> None:
        self._flush_scheduled = False
        pending, self._pending = self._pending, []
        if pending:
            future = self._db.submit(lambda db: alarm_journal.append(db, pending))
            future.add_done_callback(self._written)

    def _written(self, future: Any) -> None:
        if future.exception() is not None:
            self.journal_errors += 1
            log.error("alarm journal: %s", future.exception())

    async def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if pending:
            await asyncio.wrap_future(self._db.submit(lambda db: alarm_journal.append(db, pending)))

    async def load_journal(self, query: alarm_journal.JournalQuery) -> list[Transition]:
        await self._flush()
        return await asyncio.wrap_future(self._db.submit(lambda db: alarm_journal.load(db, query)))

    async def journal_for_kpis(self, t0: float, t1: float) -> list[Transition]:
        """The raw journal over ``t0..t1`` with what was standing at ``t0`` in front."""
        await self._flush()

        def read(db: sqlite_utils.Database) -> list[Transition]:
            head = [t for t in alarm_journal.before(db, t0) if t.event is Event.ACTIVE]
            window = alarm_journal.JournalQuery(t0, t1, limit=KPI_MAX_LINES)
            return head + alarm_journal.load(db, window)

        return await asyncio.wrap_future(self._db.submit(read))
