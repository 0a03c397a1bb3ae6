"""OPC UA Alarms & Conditions through one link: condition events in, operator methods out.

On each session the link hands this object its client; it creates a subscription of
its own for the Server object's condition events, in asyncua's callback mode: the
iterator mode drops the oldest notification once its queue is full, and an alarm
list may lose nothing. The select clauses are the display model's fields
(standards 1c item 15), each under the type that defines it; the where clause is
asyncua's own (EventType in the subtypes of ConditionType) plus the refresh and
overflow event types, which asyncua's server would otherwise filter out.

asyncua does not resynchronise conditions itself. After every connect this calls
ConditionRefresh, and again when the server asks (RefreshRequired) or says it lost
events (EventQueueOverflow). If asyncua re-creates the subscription behind our back
(its stale-subscription watchdog), the new one has no conditions until a refresh,
so the session ends and the link reconnects: a rare path, kept simple.

The operator methods (acknowledge, confirm, shelve, refresh) raise
``ConditionMethodError`` with a message an operator can read.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asyncua import ua
from asyncua.client.client import Client
from asyncua.common.events import Event
from asyncua.common.subscription import Subscription
from asyncua.common.ua_utils import get_node_subtypes
from asyncua.common.utils import ServiceError
from asyncua.ua.attribute_ids import AttributeIds
from asyncua.ua.object_ids import ObjectIds
from asyncua.ua.status_codes import StatusCodes
from asyncua.ua.uaerrors import UaError, UaStatusCodeError

from hmi.adapters.link import LinkHealth, RateLimitedLog, SampleSink
from hmi.domain.alarms import ConditionUpdate, Shelving
from hmi.domain.clock import Clock
from hmi.domain.plant import OpcUaSource

log = logging.getLogger(__name__)

# Per monitored item, on the server; it revises this to what it can hold. A server
# that still overflows says so with an EventQueueOverflow event, and we refresh.
EVENT_QUEUE_SIZE = 10_000
REFRESH_TIMEOUT_S = 15.0
METHOD_TIMEOUT_S = 10.0
WATCH_PERIOD_S = 0.5

_O, _S = ObjectIds, StatusCodes

REFRESH_START, REFRESH_END = _O.RefreshStartEventType, _O.RefreshEndEventType
RESYNC_REQUESTS = {
    _O.RefreshRequiredEventType: "the server asked for a refresh",
    _O.EventQueueOverflowEventType: "the server's event queue overflowed",
}
_SHELVING_BY_STATE = {
    _O.ShelvedStateMachineType_Unshelved: Shelving.UNSHELVED,
    _O.ShelvedStateMachineType_TimedShelved: Shelving.TIMED,
    _O.ShelvedStateMachineType_OneShotShelved: Shelving.ONE_SHOT,
}
_SHELVING_BY_NAME = {
    "unshelved": Shelving.UNSHELVED,
    "timedshelved": Shelving.TIMED,
    "oneshotshelved": Shelving.ONE_SHOT,
}
_REFRESH = "refresh the alarms"
_NOT_OFFERED = {
    _S.BadMethodInvalid,
    _S.BadNodeIdInvalid,
    _S.BadNotImplemented,
    _S.BadNotSupported,
    _S.BadNothingToDo,  # asyncua's server: a method node with no code bound to it
    _S.BadNoMatch,  # the browse for ShelvingState found none
}
_OFFERS = {
    "acknowledge": "acknowledgement for this alarm",
    "confirm": "confirmation for this alarm",
    "shelve": "shelving for this alarm",
    "unshelve": "shelving for this alarm",
    _REFRESH: "ConditionRefresh: its alarm list cannot be resynchronised",
}
_REFUSALS = {
    _S.BadNodeIdUnknown: "the server no longer knows this alarm",
    _S.BadUserAccessDenied: "the server does not allow this for the signed-in user",
    _S.BadConditionDisabled: "the alarm is disabled on the server",
    _S.BadConditionAlreadyShelved: "the alarm is already shelved",
    _S.BadConditionNotShelved: "the alarm is not shelved",
    _S.BadShelvingTimeOutOfRange: "the server does not allow shelving for that long",
    _S.BadSubscriptionIdInvalid: "the server no longer knows the alarm subscription",
}


class ConditionMethodError(Exception):
    """An operator action on an OPC UA condition failed; ``message`` says why, plainly.

    ``stale_event_id``: the condition changed after the EventId was read; show the
    latest state (it is on its way) and let the operator try again.
    """

    def __init__(self, message: str, stale_event_id: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.stale_event_id = stale_event_id


@dataclass(frozen=True, slots=True)
class _Field:
    key: str
    type_id: int  # the event type that defines the field: its browse path starts there
    path: tuple[str, ...]  # empty: the ConditionId (the NodeId attribute of the condition)


_B, _C, _A, _AL = (
    _O.BaseEventType,
    _O.ConditionType,
    _O.AcknowledgeableConditionType,
    _O.AlarmConditionType,
)
FIELDS: tuple[_Field, ...] = (
    _Field("EventId", _B, ("EventId",)),
    _Field("EventType", _B, ("EventType",)),
    _Field("SourceNode", _B, ("SourceNode",)),
    _Field("SourceName", _B, ("SourceName",)),
    _Field("Time", _B, ("Time",)),
    _Field("ReceiveTime", _B, ("ReceiveTime",)),
    _Field("Message", _B, ("Message",)),
    _Field("Severity", _B, ("Severity",)),
    _Field("ConditionId", _C, ()),
    _Field("ConditionName", _C, ("ConditionName",)),
    _Field("BranchId", _C, ("BranchId",)),
    _Field("Retain", _C, ("Retain",)),
    _Field("Enabled", _C, ("EnabledState", "Id")),
    _Field("Quality", _C, ("Quality",)),
    _Field("Comment", _C, ("Comment",)),
    _Field("Acked", _A, ("AckedState", "Id")),
    _Field("Confirmed", _A, ("ConfirmedState", "Id")),
    _Field("Active", _AL, ("ActiveState", "Id")),
    _Field("Suppressed", _AL, ("SuppressedState", "Id")),
    _Field("OutOfService", _AL, ("OutOfServiceState", "Id")),
    _Field("ShelvingState", _AL, ("ShelvingState", "CurrentState")),
    _Field("ShelvingStateId", _AL, ("ShelvingState", "CurrentState", "Id")),
    _Field("SuppressedOrShelved", _AL, ("SuppressedOrShelved",)),
    _Field("MaxTimeShelved", _AL, ("MaxTimeShelved",)),
)


def select_clauses() -> list[ua.SimpleAttributeOperand]:
    clauses = []
    for f in FIELDS:
        op = ua.SimpleAttributeOperand()
        op.TypeDefinitionId = _nid(f.type_id)
        op.BrowsePath = [ua.QualifiedName(name, 0) for name in f.path]
        op.AttributeId = AttributeIds.Value if f.path else AttributeIds.NodeId
        clauses.append(op)
    return clauses


async def event_filter(client: Client) -> ua.EventFilter:
    """Condition events of every type the server knows, and the refresh brackets."""
    subtypes = await get_node_subtypes(client.get_node(_nid(_O.ConditionType)))
    types = [n.nodeid for n in subtypes]
    types += [_nid(t) for t in (REFRESH_START, REFRESH_END, *RESYNC_REQUESTS)]
    event_type = ua.SimpleAttributeOperand()
    event_type.TypeDefinitionId = _nid(_O.BaseEventType)
    event_type.BrowsePath = [ua.QualifiedName("EventType", 0)]
    event_type.AttributeId = AttributeIds.Value
    element = ua.ContentFilterElement()
    element.FilterOperator = ua.FilterOperator.InList
    element.FilterOperands = [event_type, *(ua.LiteralOperand(Value=ua.Variant(t)) for t in types)]
    evfilter = ua.EventFilter()
    evfilter.SelectClauses = select_clauses()
    evfilter.WhereClause = ua.ContentFilter([element])
    return evfilter


class OpcUaConditions:
    """The conditions of one OPC UA server, as one link sees them; owned by ``OpcUaLink``.

    Everything runs on the link's loop; the sink hears ``on_condition`` and
    ``on_condition_refresh`` there, in arrival order.
    """

    def __init__(
        self,
        source: OpcUaSource,
        sink: SampleSink,
        clock: Clock,
        health: LinkHealth,
        rate_log: RateLimitedLog,
    ) -> None:
        self.source = source
        self._sink = sink
        self._clock = clock
        self._health = health
        self._rate_log = rate_log
        self._client: Client | None = None
        self._subscription: Subscription | None = None
        self._subscription_id: int | None = None
        self._unavailable = ""
        self._shelving_nodes: dict[str, ua.NodeId] = {}
        self._refresh_lock = asyncio.Lock()
        self._refresh_done: asyncio.Future[None] | None = None
        self._resync = asyncio.Event()
        self._resync_why = ""
        self._lost_why = ""

    # -- the session: the link calls these ------------------------------------------

    async def attach(self, client: Client, parameters: ua.CreateSubscriptionParameters) -> bool:
        """Subscribe to condition events on a fresh session; True if ``run`` should follow.

        A server that refuses (no A&C types, no event filter) keeps its data link:
        the alarm methods then say why conditions are unavailable.
        """
        self._client, self._unavailable, self._lost_why = client, "", ""
        self._resync.clear()
        try:
            evfilter = await event_filter(client)
            subscription = await client.create_subscription(parameters, handler=_Handler(self))
            self._subscription = subscription
            await subscription.subscribe_events(
                _nid(_O.Server), evfilter=evfilter, queuesize=EVENT_QUEUE_SIZE
            )
        except (UaStatusCodeError, ServiceError) as exc:
            self._unavailable = f"the server refused the alarm subscription: {_status_name(exc)}"
            self._rate_log.report("conditions", "%s: %s", self.source.id, self._unavailable)
            return False
        self._subscription_id = subscription.subscription_id
        return True

    async def run(self) -> str:
        """Resynchronise now and whenever needed; return why the session must end."""
        await self._refresh_logged("after connecting")
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._resync.wait(), WATCH_PERIOD_S)
            if self._lost_why:
                return self._lost_why
            subscription = self._subscription
            if subscription is not None and subscription.subscription_id != self._subscription_id:
                return "the alarm subscription was re-created; reconnecting to resynchronise alarms"
            if self._resync.is_set():
                self._resync.clear()
                await self._refresh_logged(self._resync_why)

    def detach(self) -> None:
        """The session is over: methods now say "not connected"; a waiting refresh fails."""
        self._client = self._subscription = self._subscription_id = None
        self._shelving_nodes.clear()
        done = self._refresh_done
        if done is not None and not done.done():
            done.set_exception(ConditionMethodError(self._not_connected()))
            done.exception()  # retrieved here too, in case nobody waits any more

    # -- the operator's methods ---------------------------------------------------

    async def acknowledge(self, condition_id: str, event_id: bytes, comment: str) -> None:
        """Acknowledge the notification ``event_id`` of a condition (Part 9 Acknowledge)."""
        await self._call_on_condition(
            "acknowledge", condition_id, _O.AcknowledgeableConditionType_Acknowledge,
            event_id, comment, _S.BadConditionBranchAlreadyAcked,
        )  # fmt: skip

    async def confirm(self, condition_id: str, event_id: bytes, comment: str) -> None:
        """Confirm a condition that the server says needs it (``confirmed`` is not None)."""
        await self._call_on_condition(
            "confirm", condition_id, _O.AcknowledgeableConditionType_Confirm,
            event_id, comment, _S.BadConditionBranchAlreadyConfirmed,
        )  # fmt: skip

    async def timed_shelve(self, condition_id: str, seconds: float) -> None:
        if not (math.isfinite(seconds) and seconds > 0):
            raise ConditionMethodError("shelving needs a time limit")
        duration_ms = ua.Variant(seconds * 1000.0, ua.VariantType.Double)
        await self._call_on_shelving(
            "shelve", condition_id, _O.ShelvedStateMachineType_TimedShelve, [duration_ms]
        )

    async def one_shot_shelve(self, condition_id: str) -> None:
        await self._call_on_shelving(
            "shelve", condition_id, _O.ShelvedStateMachineType_OneShotShelve, []
        )

    async def unshelve(self, condition_id: str) -> None:
        await self._call_on_shelving(
            "unshelve", condition_id, _O.ShelvedStateMachineType_Unshelve, []
        )

    async def refresh(self, timeout: float = REFRESH_TIMEOUT_S) -> None:
        """ConditionRefresh; returns once the server's RefreshEnd has arrived."""
        async with self._refresh_lock:
            client = self._connected()
            if self._subscription_id is None:
                raise ConditionMethodError(self._unavailable or self._not_connected())
            # The brackets can come before the call's answer: listen first, then call.
            done = asyncio.get_running_loop().create_future()
            self._refresh_done = done
            sub_id = ua.Variant(self._subscription_id, ua.VariantType.UInt32)

            async def call_and_wait() -> None:
                await self._call(
                    client, _REFRESH, _O.ConditionType, _O.ConditionType_ConditionRefresh,
                    [sub_id],
                )  # fmt: skip
                await done

            try:
                await asyncio.wait_for(call_and_wait(), timeout)
            except TimeoutError:
                raise ConditionMethodError(
                    f"the server did not finish re-sending its alarms within {timeout:.0f} s"
                ) from None
            finally:
                self._refresh_done = None

    # -- events in ------------------------------------------------------------------

    def on_event(self, event: Event) -> None:
        values = _values(event)
        if values is None:
            self._reject("an event with the wrong number of fields")
            return
        event_type = values["EventType"]
        type_id = event_type.Identifier if _is_standard(event_type) else None
        if type_id in (REFRESH_START, REFRESH_END):
            started = type_id == REFRESH_START
            self._sink.on_condition_refresh(self.source.id, started, self._time(values))
            done = self._refresh_done
            if not started and done is not None and not done.done():
                done.set_result(None)
            return
        if type_id in RESYNC_REQUESTS:
            self._resync_why = RESYNC_REQUESTS[type_id]
            self._resync.set()
            return
        update = self._update(values)
        if update is not None:
            self._health.received += 1
            self._sink.on_condition(update)

    def on_status(self, status: ua.StatusChangeNotification) -> None:
        if not status.Status.is_good():
            self._lost_why = f"alarm subscription ended: {status.Status.name}"
            self._resync.set()

    def _update(self, v: dict[str, Any]) -> ConditionUpdate | None:
        condition_id, event_id = v["ConditionId"], v["EventId"]
        if not isinstance(condition_id, ua.NodeId) or condition_id.is_null():
            self._reject("a condition event without a ConditionId")
            return None
        if not isinstance(event_id, bytes) or not event_id:
            self._reject(f"{condition_id.to_string()}: a condition event without an EventId")
            return None
        branch = v["BranchId"]
        if isinstance(branch, ua.NodeId) and not branch.is_null():
            # A branch is an earlier state still awaiting acknowledgement. The display
            # model keys alarms by condition and has no branches yet: passing one on
            # would overwrite the condition's current state with an old one.
            self._rate_log.report(
                "branch", "%s: %s: condition branch ignored (branches are not shown)",
                self.source.id, condition_id.to_string(),
            )  # fmt: skip
            return None
        source_node = v["SourceNode"]
        acked, confirmed = v["Acked"], v["Confirmed"]
        return ConditionUpdate(
            source_id=self.source.id,
            condition_id=condition_id.to_string(),
            event_id=event_id,
            name=_text(v["ConditionName"]),
            source_name=_text(v["SourceName"]),
            source_node=source_node.to_string() if isinstance(source_node, ua.NodeId) else "",
            message=_text(v["Message"]),
            severity=v["Severity"] if isinstance(v["Severity"], int) else 0,
            ts=self._time(v),
            retain=v["Retain"] is True,
            active=v["Active"] is True,
            acked=acked if isinstance(acked, bool) else True,  # not acknowledgeable
            confirmed=confirmed if isinstance(confirmed, bool) else None,
            shelving=_shelving(v["ShelvingStateId"], v["ShelvingState"]),
            suppressed=v["Suppressed"] is True,
            out_of_service=v["OutOfService"] is True,
            comment=_text(v["Comment"]),
        )

    def _time(self, v: dict[str, Any]) -> float:
        for key in ("Time", "ReceiveTime"):
            stamp = v[key]
            if isinstance(stamp, datetime):
                return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).timestamp()
        return self._clock.now()

    def _reject(self, why: str) -> None:
        self._health.rejected += 1
        self._health.last_rejection = why
        self._rate_log.report("condition", "%s: %s", self.source.id, why)

    # -- calls out ------------------------------------------------------------------

    def _not_connected(self) -> str:
        return f"{self.source.id}: not connected to the OPC UA server; try again once it is back"

    def _connected(self) -> Client:
        if not self.source.conditions:
            raise ConditionMethodError(
                f"{self.source.id}: alarm conditions are off for this source (conditions = false)"
            )
        if self._client is None:
            raise ConditionMethodError(self._not_connected())
        return self._client

    async def _call_on_condition(
        self, action: str, condition_id: str, method: int, event_id: bytes, comment: str,
        already_done: int,
    ) -> None:  # fmt: skip
        client = self._connected()
        args = [
            ua.Variant(event_id, ua.VariantType.ByteString),
            ua.Variant(ua.LocalizedText(comment), ua.VariantType.LocalizedText),
        ]
        await self._call(client, action, _node_id(condition_id), method, args, already_done)

    async def _call_on_shelving(
        self, action: str, condition_id: str, method: int, args: list[ua.Variant]
    ) -> None:
        client = self._connected()
        shelving = self._shelving_nodes.get(condition_id)
        if shelving is None:
            node = client.get_node(_node_id(condition_id))
            try:
                child = await asyncio.wait_for(
                    node.get_child(ua.QualifiedName("ShelvingState", 0)), METHOD_TIMEOUT_S
                )
            except (UaStatusCodeError, ServiceError) as exc:
                raise _refusal(action, _code(exc)) from None
            except (UaError, OSError, TimeoutError, ConnectionError) as exc:
                raise _no_answer(action, exc) from None
            shelving = self._shelving_nodes[condition_id] = child.nodeid
        await self._call(client, action, shelving, method, args)

    async def _call(
        self,
        client: Client,
        action: str,
        object_id: ua.NodeId | int,
        method: int,
        args: list[ua.Variant],
        already_done: int | None = None,
    ) -> None:
        request = ua.CallMethodRequest()
        request.ObjectId = object_id if isinstance(object_id, ua.NodeId) else _nid(object_id)
        request.MethodId = _nid(method)
        request.InputArguments = args
        try:
            results = await asyncio.wait_for(client.uaclient.call([request]), METHOD_TIMEOUT_S)
        except (UaStatusCodeError, ServiceError) as exc:
            raise _refusal(action, _code(exc)) from None
        except (UaError, OSError, TimeoutError, ConnectionError) as exc:
            raise _no_answer(action, exc) from None
        status = results[0].StatusCode
        if status.is_good() or status.value == already_done:
            return
        raise _refusal(action, status.value)

    async def _refresh_logged(self, why: str) -> None:
        try:
            await self.refresh()
        except ConditionMethodError as exc:
            self._rate_log.report(
                "refresh", "%s: alarm refresh %s failed: %s", self.source.id, why, exc.message
            )


class _Handler:
    """asyncua's callback-mode handler: each call runs in a task of its own, in order."""

    def __init__(self, conditions: OpcUaConditions) -> None:
        self._conditions = conditions

    def event_notification(self, event: Event) -> None:
        self._conditions.on_event(event)

    def status_change_notification(self, status: ua.StatusChangeNotification) -> None:
        self._conditions.on_status(status)


def _values(event: Event) -> dict[str, Any] | None:
    fields = event.event_fields
    if fields is None or len(fields) != len(FIELDS):
        return None
    values: dict[str, Any] = {}
    for f, variant in zip(FIELDS, fields, strict=True):
        value = variant.Value if isinstance(variant, ua.Variant) else None
        # A field the server could not fill comes as a StatusCode: treat it as absent.
        values[f.key] = None if isinstance(value, ua.StatusCode) else value
    return values


def _is_standard(node_id: object) -> bool:
    """A numeric NodeId in namespace 0, as the standard's types and states are."""
    return (
        isinstance(node_id, ua.NodeId)
        and node_id.NamespaceIndex == 0
        and isinstance(node_id.Identifier, int)
    )


def _nid(identifier: int) -> ua.NodeId:
    return ua.NodeId(ua.Int32(identifier))


def _text(value: object) -> str:
    if isinstance(value, ua.LocalizedText):
        return value.Text or ""
    return value if isinstance(value, str) else ""


def _shelving(state_id: object, state_name: object) -> Shelving:
    if _is_standard(state_id):
        assert isinstance(state_id, ua.NodeId) and isinstance(state_id.Identifier, int)
        by_id = _SHELVING_BY_STATE.get(state_id.Identifier)
        if by_id is not None:
            return by_id
    return _SHELVING_BY_NAME.get(_text(state_name).replace(" ", "").lower(), Shelving.UNSHELVED)


def _node_id(condition_id: str) -> ua.NodeId:
    try:
        return ua.NodeId.from_string(condition_id)
    except (ValueError, UaError) as exc:
        raise ConditionMethodError(f"{condition_id!r} is not an OPC UA node id") from exc


def _code(exc: UaStatusCodeError | ServiceError) -> int:
    return int(exc.code)


def _status_name(exc: UaStatusCodeError | ServiceError) -> str:
    return ua.StatusCode(ua.UInt32(_code(exc))).name


def _refusal(action: str, code: int) -> ConditionMethodError:
    if code == _S.BadEventIdUnknown:
        return ConditionMethodError(
            f"Could not {action}: the alarm changed on the server since it was shown;"
            " look at it again and retry",
            stale_event_id=True,
        )
    if code in _NOT_OFFERED:
        return ConditionMethodError(f"The server does not offer {_OFFERS.get(action, action)}")
    reason = _REFUSALS.get(code)
    if reason is None:
        reason = f"the server refused ({ua.StatusCode(ua.UInt32(code)).name})"
    return ConditionMethodError(f"Could not {action}: {reason}")


def _no_answer(action: str, exc: BaseException) -> ConditionMethodError:
    if isinstance(exc, TimeoutError):
        why = "no answer within the time limit"
    else:
        why = str(exc) or type(exc).__name__
    return ConditionMethodError(f"Could not {action}: the server did not answer ({why[:120]})")
