"""Alarms the way ISA-18.2 / IEC 62682 describe them: definitions, detection, states.

An alarm has a *condition* (is the process abnormal?) that detection decides
from samples, with deadband and on/off delays, and an *operator side*
(acknowledged? shelved? out of service?) that only operator actions and
timers change. The state the list shows is derived from both, one of seven:

    NORM   normal                          nothing shown
    UNACK  active, unacknowledged          audible, coloured, flashing
    ACKED  active, acknowledged            coloured, steady, silent
    RTNUN  returned to normal, unacked     stays listed until acknowledged
    SHLVD  shelved by an operator          never annunciated; listed apart
    DSUPR  suppressed by design            (station in a state where the alarm is
                                           meaningless, e.g. stopped)
    OOSRV  out of service, with a reason   maintenance

Every change is a ``Transition``, which the service writes to the journal.
Nothing here reads a clock: times are passed in, so every path is testable.
"""

from __future__ import annotations

import enum
import math
from collections import deque
from dataclasses import dataclass, field, replace

from hmi.domain.plant import MachineState
from hmi.domain.quality import Quality


class Priority(enum.IntEnum):
    """How fast the operator must respond; shown as colour, shape and word together."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def word(self) -> str:
        return self.name.capitalize()


def priority_of_severity(severity: int) -> Priority:
    """OPC UA Severity (1..1000) to a priority, in equal bands as Part 9 suggests."""
    if severity >= 801:
        return Priority.CRITICAL
    if severity >= 501:
        return Priority.HIGH
    if severity >= 201:
        return Priority.MEDIUM
    return Priority.LOW


class AlarmKind(enum.StrEnum):
    HIHI = "hihi"
    HI = "hi"
    LO = "lo"
    LOLO = "lolo"
    EQUALS = "equals"  # discrete: the value equals ``setpoint`` (or ``text``)
    BIT = "bit"  # discrete: bit number ``setpoint`` of an integer value is set
    RATE = "rate"  # |change per second| over ``rate_window_s`` exceeds ``setpoint``
    SOURCE_LOST = "source_lost"  # the tag's source is not connected
    STALE = "stale"  # the tag's value is stale (or has no connection)
    CONDITION = "condition"  # an OPC UA condition: the server decides


HIGH_KINDS = frozenset({AlarmKind.HI, AlarmKind.HIHI})
LOW_KINDS = frozenset({AlarmKind.LO, AlarmKind.LOLO})
LIMIT_KINDS = HIGH_KINDS | LOW_KINDS
COMMS_KINDS = frozenset({AlarmKind.SOURCE_LOST, AlarmKind.STALE})

DEFAULT_MAX_SHELVE_S = 8 * 3600.0


@dataclass(frozen=True, slots=True)
class AlarmDef:
    """One rationalized alarm from the plant file (or, for a condition, from its server)."""

    id: str
    station: str
    tag: str
    kind: AlarmKind
    priority: Priority
    message: str
    response: str = ""  # what the operator should do (from rationalization)
    setpoint: float = 0.0
    text: str | None = None  # EQUALS on a string tag
    deadband: float = 0.0
    on_delay_s: float = 0.0
    off_delay_s: float = 0.0
    rate_window_s: float = 10.0
    max_shelve_s: float = DEFAULT_MAX_SHELVE_S
    suppress_when: frozenset[MachineState] = frozenset()  # suppressed by design


class AlarmState(enum.StrEnum):
    NORM = "NORM"
    UNACK = "UNACK"
    ACKED = "ACKED"
    RTNUN = "RTNUN"
    SHLVD = "SHLVD"
    DSUPR = "DSUPR"
    OOSRV = "OOSRV"

    @property
    def word(self) -> str:
        return STATE_WORDS[self]


STATE_WORDS = {
    AlarmState.NORM: "Normal",
    AlarmState.UNACK: "Unacknowledged",
    AlarmState.ACKED: "Acknowledged",
    AlarmState.RTNUN: "Cleared, unacknowledged",
    AlarmState.SHLVD: "Shelved",
    AlarmState.DSUPR: "Suppressed by design",
    AlarmState.OOSRV: "Out of service",
}

HIDDEN_STATES = frozenset({AlarmState.SHLVD, AlarmState.DSUPR, AlarmState.OOSRV})
LISTED_STATES = frozenset({AlarmState.UNACK, AlarmState.ACKED, AlarmState.RTNUN})


class Event(enum.StrEnum):
    """What the journal records; the value is the journal's word."""

    ACTIVE = "active"
    CLEARED = "cleared"
    ACKNOWLEDGED = "acknowledged"
    CONFIRMED = "confirmed"
    COMMENT = "comment"
    SHELVED = "shelved"
    UNSHELVED = "unshelved"
    SUPPRESSED = "suppressed"
    UNSUPPRESSED = "unsuppressed"
    OUT_OF_SERVICE = "out_of_service"
    RETURNED_TO_SERVICE = "returned_to_service"
    REMOVED = "removed"  # an OPC UA condition the server no longer retains


@dataclass(frozen=True, slots=True)
class Transition:
    """One journal line: what happened to which alarm, and the state it left it in."""

    ts: float
    alarm_id: str
    station: str
    priority: Priority
    event: Event
    state: AlarmState
    user: str = ""
    text: str = ""
    value: float | str | None = None
    annunciated: bool = False  # an activation the operator was shown (not hidden)
    message: str = ""
    until: float | None = None  # SHELVED with a time limit: when it ends


class AlarmActionError(ValueError):
    """An action that the alarm's state or the rules refuse; the message is the operator's."""


@dataclass(slots=True)
class Alarm:
    """The live state of one alarm. Mutated only by ``AlarmEngine`` (runtime thread)."""

    definition: AlarmDef
    active: bool = False
    acked: bool = True
    active_since: float | None = None
    last_change: float = 0.0
    value: float | str | None = None  # at the last activation
    bad_input: bool = False  # the tag's value is not good: detection holds its last verdict
    shelved_until: float | None = None
    shelved_one_shot: bool = False
    shelved_by: str = ""
    shelve_reason: str = ""
    suppressed: bool = False
    out_of_service: bool = False
    oos_by: str = ""
    oos_reason: str = ""
    oos_since: float | None = None
    comment: str = ""
    # OPC UA conditions only: what the server said last.
    event_id: bytes = b""
    confirmable: bool = False
    confirmed: bool = True
    condition_node: str = ""
    source_id: str = ""

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def shelved(self) -> bool:
        return self.shelved_until is not None or self.shelved_one_shot

    @property
    def state(self) -> AlarmState:
        if self.out_of_service:
            return AlarmState.OOSRV
        if self.shelved:
            return AlarmState.SHLVD
        if self.suppressed:
            return AlarmState.DSUPR
        if self.active:
            return AlarmState.ACKED if self.acked else AlarmState.UNACK
        return AlarmState.NORM if self.acked else AlarmState.RTNUN

    def view(self) -> AlarmView:
        d = self.definition
        return AlarmView(
            id=d.id,
            station=d.station,
            tag=d.tag,
            kind=d.kind,
            priority=d.priority,
            message=d.message,
            response=d.response,
            state=self.state,
            active=self.active,
            acked=self.acked,
            active_since=self.active_since,
            last_change=self.last_change,
            value=self.value,
            bad_input=self.bad_input,
            shelved_until=self.shelved_until,
            shelved_one_shot=self.shelved_one_shot,
            shelved_by=self.shelved_by,
            shelve_reason=self.shelve_reason,
            oos_by=self.oos_by,
            oos_reason=self.oos_reason,
            oos_since=self.oos_since,
            comment=self.comment,
            confirmable=self.confirmable and not self.confirmed,
            max_shelve_s=d.max_shelve_s,
        )


@dataclass(frozen=True, slots=True)
class AlarmView:
    """A snapshot of one alarm for the GUI (immutable, safe across threads)."""

    id: str
    station: str
    tag: str
    kind: AlarmKind
    priority: Priority
    message: str
    response: str
    state: AlarmState
    active: bool
    acked: bool
    active_since: float | None
    last_change: float
    value: float | str | None
    bad_input: bool
    shelved_until: float | None
    shelved_one_shot: bool
    shelved_by: str
    shelve_reason: str
    oos_by: str
    oos_reason: str
    oos_since: float | None
    comment: str
    confirmable: bool
    max_shelve_s: float

    @property
    def from_server(self) -> bool:
        return self.kind is AlarmKind.CONDITION


# -- detection -------------------------------------------------------------------


@dataclass(slots=True)
class Detector:
    """Decides one alarm's condition from samples: deadband, then on/off delays.

    ``raw`` is the instantaneous verdict (with deadband hysteresis); ``active``
    follows it once it has held for the on (or off) delay. ``due`` is the time
    at which a pending verdict takes effect, for the engine's timer.
    """

    definition: AlarmDef
    raw: bool = False
    active: bool = False
    pending_since: float | None = None
    history: deque[tuple[float, float]] = field(default_factory=deque)

    def sample(self, value: object, quality: Quality, ts: float) -> bool | None:
        """Feed one sample; returns the new condition if it changed now, else None."""
        d = self.definition
        if d.kind is AlarmKind.STALE:
            return self._verdict(quality in (Quality.STALE, Quality.NO_CONNECTION), ts)
        if d.kind is AlarmKind.SOURCE_LOST:
            return self._verdict(quality is Quality.NO_CONNECTION, ts)
        if quality not in (Quality.GOOD, Quality.UNCERTAIN) or value is None:
            return None  # bad data proves nothing either way: hold the last verdict
        return self._verdict(self._evaluate(value, ts), ts)

    def _evaluate(self, value: object, ts: float) -> bool:
        d, raw = self.definition, self.raw
        if d.kind is AlarmKind.EQUALS:
            if d.text is not None:
                return str(value) == d.text
            return _number(value) == d.setpoint
        if d.kind is AlarmKind.BIT:
            number = _number(value)
            return math.isfinite(number) and (int(number) >> int(d.setpoint)) & 1 == 1
        number = _number(value)
        if not math.isfinite(number):
            return raw
        if d.kind in HIGH_KINDS:
            return number >= d.setpoint - d.deadband if raw else number >= d.setpoint
        if d.kind in LOW_KINDS:
            return number <= d.setpoint + d.deadband if raw else number <= d.setpoint
        if d.kind is AlarmKind.RATE:
            history = self.history
            history.append((ts, number))
            while len(history) > 2 and history[1][0] <= ts - d.rate_window_s:
                history.popleft()
            t0, v0 = history[0]
            if ts - t0 < d.rate_window_s / 2:
                return raw
            rate = abs(number - v0) / (ts - t0)
            return rate >= d.setpoint - d.deadband if raw else rate >= d.setpoint
        return raw

    def _verdict(self, raw: bool, ts: float) -> bool | None:
        if raw != self.raw:
            self.raw = raw
            self.pending_since = ts if raw != self.active else None
        return self.tick(ts)

    @property
    def due(self) -> float | None:
        if self.pending_since is None:
            return None
        d = self.definition
        return self.pending_since + (d.on_delay_s if self.raw else d.off_delay_s)

    def tick(self, now: float) -> bool | None:
        """Apply a pending verdict whose delay has run out; returns the new condition."""
        due = self.due
        if due is None or now < due:
            return None
        self.pending_since = None
        self.active = self.raw
        return self.active


def _number(value: object) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return math.nan


# -- OPC UA conditions --------------------------------------------------------------


class Shelving(enum.StrEnum):
    UNSHELVED = "unshelved"
    TIMED = "timed"
    ONE_SHOT = "one_shot"


@dataclass(frozen=True, slots=True)
class ConditionUpdate:
    """One condition event from an OPC UA server, as the adapter read it.

    ``confirmed`` is None when the server has no ConfirmedState for it.
    ``retain`` False means the server no longer needs it shown.
    """

    source_id: str
    condition_id: str  # the condition's NodeId, as a string
    event_id: bytes
    name: str
    source_name: str
    source_node: str
    message: str
    severity: int
    ts: float
    retain: bool
    active: bool
    acked: bool
    confirmed: bool | None = None
    shelving: Shelving = Shelving.UNSHELVED
    suppressed: bool = False
    out_of_service: bool = False
    comment: str = ""


def condition_alarm_id(source_id: str, condition_id: str) -> str:
    return f"{source_id}:{condition_id}"


# -- the engine -------------------------------------------------------------------


class AlarmEngine:
    """Every alarm's state, and the transitions that change it; single-threaded.

    The engine does not check roles: the service does, before it calls here.
    """

    def __init__(self, definitions: tuple[AlarmDef, ...] = ()) -> None:
        self.alarms: dict[str, Alarm] = {}
        self._detectors: dict[str, Detector] = {}
        self._by_tag: dict[str, list[Detector]] = {}
        self._suspects: set[str] = set()
        for definition in definitions:
            self.add(definition)

    def add(self, definition: AlarmDef) -> Alarm:
        alarm = self.alarms[definition.id] = Alarm(definition)
        if definition.kind is not AlarmKind.CONDITION:
            detector = self._detectors[definition.id] = Detector(definition)
            self._by_tag.setdefault(definition.tag, []).append(detector)
        return alarm

    def get(self, alarm_id: str) -> Alarm:
        try:
            return self.alarms[alarm_id]
        except KeyError:
            raise AlarmActionError(f"there is no alarm {alarm_id}") from None

    def watches(self, tag: str) -> bool:
        return tag in self._by_tag

    # -- the process side ----------------------------------------------------------

    def sample(self, tag: str, value: object, quality: Quality, ts: float) -> list[Transition]:
        out: list[Transition] = []
        for detector in self._by_tag.get(tag, ()):
            alarm = self.alarms[detector.definition.id]
            kind = detector.definition.kind
            if kind not in COMMS_KINDS:
                alarm.bad_input = quality not in (Quality.GOOD, Quality.UNCERTAIN)
            changed = detector.sample(value, quality, ts)
            if changed is not None:
                out += self._condition(alarm, changed, ts, value)
        return out

    def tick(self, now: float) -> list[Transition]:
        """Delays that ran out, shelving that expired."""
        out: list[Transition] = []
        for alarm_id, detector in self._detectors.items():
            changed = detector.tick(now)
            if changed is not None:
                out += self._condition(self.alarms[alarm_id], changed, now, None)
        for alarm in self.alarms.values():
            if alarm.shelved_until is not None and now >= alarm.shelved_until:
                out.append(self._unshelve(alarm, now, "", "shelving time ran out"))
        return out

    def next_due(self) -> float | None:
        times = [d.due for d in self._detectors.values() if d.due is not None]
        times += [a.shelved_until for a in self.alarms.values() if a.shelved_until is not None]
        return min(times) if times else None

    def _condition(self, alarm: Alarm, active: bool, ts: float, value: object) -> list[Transition]:
        if active == alarm.active:
            return []
        alarm.active = active
        alarm.last_change = ts
        out: list[Transition] = []
        if active:
            alarm.active_since = ts
            alarm.value = _value_of(value)
            hidden = alarm.state in HIDDEN_STATES
            if not hidden:
                alarm.acked = False
            out.append(self._transition(alarm, ts, Event.ACTIVE, annunciated=not hidden))
        else:
            alarm.active_since = None
            out.append(self._transition(alarm, ts, Event.CLEARED))
            if alarm.shelved_one_shot:  # one-shot shelving ends when the alarm clears
                out.append(self._unshelve(alarm, ts, "", "one-shot shelving ended: cleared"))
        return out

    def set_machine_state(self, station: str, state: MachineState, ts: float) -> list[Transition]:
        """Suppression by design follows the station's machine state."""
        out: list[Transition] = []
        for alarm in self.alarms.values():
            d = alarm.definition
            if d.station != station or not d.suppress_when:
                continue
            suppressed = state in d.suppress_when
            if suppressed == alarm.suppressed:
                continue
            alarm.suppressed = suppressed
            alarm.last_change = ts
            if suppressed:
                alarm.acked = True  # a suppressed alarm asks nothing of the operator
                out.append(self._transition(alarm, ts, Event.SUPPRESSED, text=state.value))
            else:
                out.append(self._transition(alarm, ts, Event.UNSUPPRESSED, text=state.value))
                out += self._reannunciate(alarm, ts)
        return out

    def _reannunciate(self, alarm: Alarm, ts: float) -> list[Transition]:
        """An alarm that comes back from hiding while still active is annunciated anew."""
        if alarm.active and alarm.state not in HIDDEN_STATES:
            alarm.acked = False
            return [self._transition(alarm, ts, Event.ACTIVE, annunciated=True)]
        return []

    # -- OPC UA conditions: the server decides, the engine mirrors and journals ----

    def condition(self, update: ConditionUpdate, station: str) -> list[Transition]:
        alarm_id = condition_alarm_id(update.source_id, update.condition_id)
        self._suspects.discard(alarm_id)
        alarm = self.alarms.get(alarm_id)
        if alarm is None and not update.retain:
            return []
        alarm = self._condition_alarm(alarm, alarm_id, update, station)
        ts, out = update.ts, []
        alarm.event_id = update.event_id
        alarm.confirmable = update.confirmed is not None
        before = alarm.state
        if update.suppressed != alarm.suppressed:
            alarm.suppressed = update.suppressed
            event = Event.SUPPRESSED if update.suppressed else Event.UNSUPPRESSED
            out.append(self._transition(alarm, ts, event))
        if update.out_of_service != alarm.out_of_service:
            alarm.out_of_service = update.out_of_service
            alarm.oos_since = ts if update.out_of_service else None
            event = Event.OUT_OF_SERVICE if update.out_of_service else Event.RETURNED_TO_SERVICE
            out.append(self._transition(alarm, ts, event, text="by the server"))
        shelved = update.shelving is not Shelving.UNSHELVED
        if shelved != alarm.shelved:
            alarm.shelved_one_shot = update.shelving is Shelving.ONE_SHOT
            alarm.shelved_until = math.inf if update.shelving is Shelving.TIMED else None
            event = Event.SHELVED if shelved else Event.UNSHELVED
            out.append(self._transition(alarm, ts, event, text=update.shelving.value))
        newly_acked = update.acked and not alarm.acked
        alarm.acked = update.acked
        if update.active != alarm.active:
            alarm.active, alarm.last_change = update.active, ts
            alarm.active_since = ts if update.active else None
            hidden = alarm.state in HIDDEN_STATES
            event = Event.ACTIVE if update.active else Event.CLEARED
            out.append(self._transition(alarm, ts, event, annunciated=update.active and not hidden))
        if newly_acked:
            alarm.last_change = ts
            out.append(self._transition(alarm, ts, Event.ACKNOWLEDGED, text=update.comment))
        confirmed = update.confirmed is None or update.confirmed
        if confirmed != alarm.confirmed:
            alarm.confirmed = confirmed
            if confirmed:
                out.append(self._transition(alarm, ts, Event.CONFIRMED))
        if update.comment and update.comment != alarm.comment:
            alarm.comment = update.comment
        if not update.retain:
            out.append(self._remove(alarm, ts))
        elif not out and alarm.state is not before:
            out.append(self._transition(alarm, ts, Event.COMMENT, text="state from the server"))
        return out

    def _condition_alarm(
        self, alarm: Alarm | None, alarm_id: str, update: ConditionUpdate, station: str
    ) -> Alarm:
        priority = priority_of_severity(update.severity)
        message = update.message or update.name
        if alarm is None:
            definition = AlarmDef(
                alarm_id, station, update.source_node, AlarmKind.CONDITION, priority, message
            )
            alarm = self.add(definition)
            alarm.source_id, alarm.condition_node = update.source_id, update.condition_id
        elif (priority, message) != (alarm.definition.priority, alarm.definition.message):
            alarm.definition = replace(alarm.definition, priority=priority, message=message)
        return alarm

    def refresh_started(self, source_id: str) -> None:
        """ConditionRefresh began: every condition of the source is suspect until re-reported."""
        self._suspects |= {a.id for a in self.alarms.values() if a.source_id == source_id}

    def refresh_ended(self, source_id: str, ts: float) -> list[Transition]:
        """Conditions the refresh did not report are gone from the server: drop them."""
        gone = [
            self.alarms[i] for i in sorted(self._suspects)
            if i in self.alarms and self.alarms[i].source_id == source_id
        ]  # fmt: skip
        self._suspects -= {a.id for a in gone}
        return [self._remove(a, ts) for a in gone]

    def conditions_of(self, source_id: str) -> list[Alarm]:
        return [a for a in self.alarms.values() if a.source_id == source_id]

    def _remove(self, alarm: Alarm, ts: float) -> Transition:
        del self.alarms[alarm.id]
        alarm.active, alarm.acked = False, True
        return self._transition(alarm, ts, Event.REMOVED)

    # -- the operator side --------------------------------------------------------

    def acknowledge(self, alarm_id: str, ts: float, user: str, comment: str = "") -> Transition:
        alarm = self.get(alarm_id)
        if alarm.state not in (AlarmState.UNACK, AlarmState.RTNUN):
            raise AlarmActionError(f"{alarm.definition.message}: nothing to acknowledge")
        alarm.acked = True
        alarm.last_change = ts
        if comment:
            alarm.comment = comment
        return self._transition(alarm, ts, Event.ACKNOWLEDGED, user=user, text=comment)

    def comment(self, alarm_id: str, ts: float, user: str, text: str) -> Transition:
        alarm = self.get(alarm_id)
        if not text.strip():
            raise AlarmActionError("a comment needs some text")
        alarm.comment = text
        return self._transition(alarm, ts, Event.COMMENT, user=user, text=text)

    def shelve(
        self,
        alarm_id: str,
        ts: float,
        user: str,
        reason: str,
        duration_s: float | None,
    ) -> Transition:
        """Shelve for ``duration_s`` (at most the alarm's maximum), or one-shot when None."""
        alarm = self.get(alarm_id)
        d = alarm.definition
        if not reason.strip():
            raise AlarmActionError("shelving needs a reason")
        if alarm.out_of_service:
            raise AlarmActionError(f"{d.message}: out of service, not shelvable")
        if duration_s is None:
            if not alarm.active:
                raise AlarmActionError(f"{d.message}: one-shot shelving needs an active alarm")
            alarm.shelved_one_shot, alarm.shelved_until = True, None
            text = f"one-shot: {reason}"
        else:
            if duration_s <= 0:
                raise AlarmActionError("shelving needs a time limit")
            if duration_s > d.max_shelve_s:
                raise AlarmActionError(
                    f"{d.message}: at most {_duration(d.max_shelve_s)} on the shelf"
                )
            alarm.shelved_until, alarm.shelved_one_shot = ts + duration_s, False
            text = f"{_duration(duration_s)}: {reason}"
        alarm.shelved_by, alarm.shelve_reason = user, reason
        alarm.acked = True
        alarm.last_change = ts
        return self._transition(alarm, ts, Event.SHELVED, user=user, text=text)

    def unshelve(self, alarm_id: str, ts: float, user: str) -> list[Transition]:
        alarm = self.get(alarm_id)
        if not alarm.shelved:
            raise AlarmActionError(f"{alarm.definition.message}: not shelved")
        return [self._unshelve(alarm, ts, user, "by hand"), *self._reannunciate(alarm, ts)]

    def _unshelve(self, alarm: Alarm, ts: float, user: str, why: str) -> Transition:
        alarm.shelved_until, alarm.shelved_one_shot = None, False
        alarm.shelved_by = alarm.shelve_reason = ""
        alarm.last_change = ts
        transition = self._transition(alarm, ts, Event.UNSHELVED, user=user, text=why)
        if not user and alarm.active and alarm.state not in HIDDEN_STATES:
            alarm.acked = False  # expired while active: the operator must see it again
            return replace(transition, state=alarm.state, annunciated=True)
        return transition

    def remove_from_service(self, alarm_id: str, ts: float, user: str, reason: str) -> Transition:
        alarm = self.get(alarm_id)
        if not reason.strip():
            raise AlarmActionError("out of service needs a reason")
        if alarm.out_of_service:
            raise AlarmActionError(f"{alarm.definition.message}: already out of service")
        alarm.out_of_service, alarm.oos_by, alarm.oos_reason = True, user, reason
        alarm.oos_since = ts
        alarm.shelved_until, alarm.shelved_one_shot = None, False
        alarm.acked = True
        alarm.last_change = ts
        return self._transition(alarm, ts, Event.OUT_OF_SERVICE, user=user, text=reason)

    def return_to_service(self, alarm_id: str, ts: float, user: str) -> list[Transition]:
        alarm = self.get(alarm_id)
        if not alarm.out_of_service:
            raise AlarmActionError(f"{alarm.definition.message}: not out of service")
        alarm.out_of_service, alarm.oos_by, alarm.oos_reason = False, "", ""
        alarm.oos_since = None
        alarm.last_change = ts
        done = self._transition(alarm, ts, Event.RETURNED_TO_SERVICE, user=user)
        return [done, *self._reannunciate(alarm, ts)]

    def _transition(
        self,
        alarm: Alarm,
        ts: float,
        event: Event,
        user: str = "",
        text: str = "",
        annunciated: bool = False,
    ) -> Transition:
        d = alarm.definition
        until = alarm.shelved_until if event is Event.SHELVED else None
        return Transition(
            ts, d.id, d.station, d.priority, event, alarm.state, user, text, alarm.value,
            annunciated, d.message, until if until is None or math.isfinite(until) else None,
        )  # fmt: skip


def _value_of(value: object) -> float | str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return float(value)
    return str(value)


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes / 60:g} h"
