"""An OPC UA server with alarm conditions, in a process of its own, so a restart is real.

Run as ``python -m tests.support.opcua_alarm_server PORT [CONDITIONS]``; it prints READY
when it serves, then reads one JSON command per line on stdin and answers each with one
JSON line on stdout. CONDITIONS (JSON, a list of ``add`` commands that may say
``"active": true``) are set up before the server serves, so a restarted server can
come back with an alarm that only a ConditionRefresh reports.

Every condition is an OffNormalAlarmType instance ``ns=2;s=Boiler.<name>`` under the
object ``ns=2;s=Boiler`` (EventNotifier set, HasCondition to each). ``optional``
conditions also have ConfirmedState and ShelvingState; the others have neither.

asyncua 2.1's server has the Part 9 types but none of their logic, so this module
serves Acknowledge (i=9111), Confirm (i=9113), TimedShelve / OneShotShelve / Unshelve
(i=2949 / 2948 / 2947) itself. Its events are emitted from the Server object, because
asyncua does not pass an event from a source up the HasNotifier chain. ConditionRefresh
is asyncua's own: with ``bind_condition_methods`` set before ``init()`` it keeps the last
event of each condition fired with Retain=True (keyed by ConditionId, by reference: one
event generator per condition) and re-sends them between RefreshStart and RefreshEnd.

Commands: ``add`` {name, optional}, ``raise`` {name, severity, message}, ``clear``
{name}, ``burst`` {name, count} (raise/clear toggles; answers every EventId in order),
``state`` {name}, ``drop_event_subscriptions`` (silently, as a faulty server might).
EventIds travel as hex.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NAMESPACE = "urn:floorline:test:alarms"
SOURCE = "Boiler"

UNSHELVED, TIMED_SHELVED, ONE_SHOT_SHELVED = 2930, 2932, 2933
_STATE_NAMES = {
    UNSHELVED: "Unshelved",
    TIMED_SHELVED: "TimedShelved",
    ONE_SHOT_SHELVED: "OneShotShelved",
}


def condition_node_id(name: str) -> str:
    return f"ns=2;s={SOURCE}.{name}"


# -- the server process ----------------------------------------------------------------


@dataclass
class _Condition:
    """One alarm's state, its node and the event generator that reports it."""

    name: str
    node: Any
    generator: Any
    shelving_node: Any | None
    confirmable: bool
    active: bool = False
    acked: bool = True
    confirmed: bool = True
    shelving: int = UNSHELVED
    severity: int = 500
    message: str = ""
    comment: str = ""
    history: list[str] = field(default_factory=list)

    @property
    def retain(self) -> bool:
        return self.active or not self.acked or (self.confirmable and not self.confirmed)

    @property
    def event_id(self) -> bytes:
        variant = self.generator.event.EventId
        return bytes(getattr(variant, "Value", variant) or b"")


class _AlarmServer:
    def __init__(self, server: Any, source: Any) -> None:
        self.server = server
        self.source = source
        self.conditions: dict[str, _Condition] = {}

    async def add(self, name: str, optional: bool = True) -> _Condition:
        from asyncua import ua
        from asyncua.server.event_generator import EventGenerator

        node = await self.source.add_object(
            ua.NodeId(f"{SOURCE}.{name}", 2),
            name,
            objecttype=ua.ObjectIds.OffNormalAlarmType,
            instantiate_optional=optional,
        )
        await self.source.add_reference(node.nodeid, ua.ObjectIds.HasCondition)
        shelving = await node.get_child("0:ShelvingState") if optional else None
        generator = EventGenerator(self.server.iserver.isession)
        await generator.init(
            ua.ObjectIds.OffNormalAlarmType,
            emitting_node=ua.ObjectIds.Server,
            add_generates_event=False,
        )
        event = generator.event
        event.SourceNode, event.SourceName = self.source.nodeid, SOURCE
        event.NodeId, event.ConditionName = node.nodeid, name
        setattr(event, "EnabledState/Id", True)
        event.add_property("ShelvingState/CurrentState", None, ua.VariantType.LocalizedText)
        event.add_property("ShelvingState/CurrentState/Id", None, ua.VariantType.NodeId)
        condition = _Condition(name, node, generator, shelving, confirmable=optional)
        self.conditions[name] = condition
        return condition

    async def fire(self, c: _Condition) -> bytes:
        from asyncua import ua

        event = c.generator.event
        event.Severity = c.severity
        event.Message = ua.LocalizedText(c.message or c.name)
        event.Retain = c.retain
        event.Comment = ua.LocalizedText(c.comment)
        setattr(event, "ActiveState/Id", c.active)
        event.ActiveState = ua.LocalizedText("Active" if c.active else "Inactive")
        setattr(event, "AckedState/Id", c.acked)
        setattr(event, "ConfirmedState/Id", c.confirmed if c.confirmable else None)
        if c.shelving_node is not None:
            setattr(event, "ShelvingState/CurrentState", ua.LocalizedText(_STATE_NAMES[c.shelving]))
            setattr(event, "ShelvingState/CurrentState/Id", ua.NodeId(c.shelving))
        await c.generator.trigger()
        c.history.append(c.event_id.hex())
        return c.event_id

    async def raise_(self, c: _Condition, severity: int, message: str) -> bytes:
        c.active, c.acked, c.severity, c.message = True, False, severity, message
        c.confirmed = not c.confirmable
        if c.shelving == ONE_SHOT_SHELVED:
            c.shelving = UNSHELVED  # one-shot ends when the alarm returns; see clear()
        return await self.fire(c)

    async def clear(self, c: _Condition) -> bytes:
        c.active = False
        if c.shelving == ONE_SHOT_SHELVED:
            c.shelving = UNSHELVED
        return await self.fire(c)

    # -- the methods a client calls (ObjectId = condition, or its ShelvingState) -----

    def _by_node(self, node_id: Any) -> _Condition | None:
        for c in self.conditions.values():
            if c.node.nodeid == node_id or (
                c.shelving_node is not None and c.shelving_node.nodeid == node_id
            ):
                return c
        return None

    async def acknowledge(self, parent: Any, *args: Any) -> Any:
        return await self._ack_or_confirm(parent, args, confirm=False)

    async def confirm(self, parent: Any, *args: Any) -> Any:
        return await self._ack_or_confirm(parent, args, confirm=True)

    async def _ack_or_confirm(self, parent: Any, args: tuple[Any, ...], confirm: bool) -> Any:
        from asyncua import ua

        c = self._by_node(parent)
        if c is None or c.node.nodeid != parent:
            return ua.StatusCode(ua.StatusCodes.BadNodeIdUnknown)
        if confirm and not c.confirmable:
            return ua.StatusCode(ua.StatusCodes.BadMethodInvalid)
        if len(args) < 2:
            return ua.StatusCode(ua.StatusCodes.BadArgumentsMissing)
        event_id, comment = args[0].Value, args[1].Value
        if bytes(event_id or b"") != c.event_id:
            return ua.StatusCode(ua.StatusCodes.BadEventIdUnknown)
        if confirm:
            if c.confirmed:
                return ua.StatusCode(ua.StatusCodes.BadConditionBranchAlreadyConfirmed)
            c.confirmed = True
        else:
            if c.acked:
                return ua.StatusCode(ua.StatusCodes.BadConditionBranchAlreadyAcked)
            c.acked = True
        c.comment = comment.Text if isinstance(comment, ua.LocalizedText) else str(comment or "")
        await self.fire(c)
        return ua.StatusCode()

    async def timed_shelve(self, parent: Any, *args: Any) -> Any:
        from asyncua import ua

        if not args or not isinstance(args[0].Value, int | float) or args[0].Value <= 0:
            return ua.StatusCode(ua.StatusCodes.BadShelvingTimeOutOfRange)
        return await self._shelve(parent, TIMED_SHELVED)

    async def one_shot_shelve(self, parent: Any, *args: Any) -> Any:
        return await self._shelve(parent, ONE_SHOT_SHELVED)

    async def unshelve(self, parent: Any, *args: Any) -> Any:
        return await self._shelve(parent, UNSHELVED)

    async def _shelve(self, parent: Any, state: int) -> Any:
        from asyncua import ua

        c = self._by_node(parent)
        if c is None or c.shelving_node is None or c.shelving_node.nodeid != parent:
            return ua.StatusCode(ua.StatusCodes.BadNodeIdUnknown)
        if state == UNSHELVED and c.shelving == UNSHELVED:
            return ua.StatusCode(ua.StatusCodes.BadConditionNotShelved)
        if state != UNSHELVED and c.shelving == state:
            return ua.StatusCode(ua.StatusCodes.BadConditionAlreadyShelved)
        c.shelving = state
        await self.fire(c)
        return ua.StatusCode()

    async def drop_event_subscriptions(self) -> int:
        """Delete every subscription with an event item, telling no client (a server fault)."""
        service = self.server.iserver.subscription_service
        ids = [
            sub_id
            for sub_id, sub in service.subscriptions.items()
            if sub.monitored_item_srv._monitored_events
        ]
        await service.delete_subscriptions(ids)
        return len(ids)

    # -- the control channel ------------------------------------------------------------

    async def command(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request["op"]
        if op == "add":
            c = await self.add(request["name"], request.get("optional", True))
            if request.get("active"):
                await self.raise_(c, request.get("severity", 500), request.get("message", ""))
            return {"condition_id": c.node.nodeid.to_string()}
        if op == "drop_event_subscriptions":
            return {"dropped": await self.drop_event_subscriptions()}
        c = self.conditions[request["name"]]
        if op == "raise":
            event_id = await self.raise_(c, request["severity"], request.get("message", ""))
            return {"event_id": event_id.hex()}
        if op == "clear":
            return {"event_id": (await self.clear(c)).hex()}
        if op == "burst":
            ids = []
            for i in range(request["count"]):
                if i % 2 == 0:
                    ids.append(await self.raise_(c, c.severity, c.message))
                else:
                    ids.append(await self.clear(c))
            return {"event_ids": [e.hex() for e in ids]}
        if op == "state":
            return {
                "active": c.active,
                "acked": c.acked,
                "confirmed": c.confirmed if c.confirmable else None,
                "shelving": _STATE_NAMES[c.shelving],
                "retain": c.retain,
                "comment": c.comment,
                "event_id": c.event_id.hex(),
            }
        raise ValueError(f"unknown command {op!r}")


async def serve(port: int, conditions: list[dict[str, Any]]) -> None:
    from asyncua import ua
    from asyncua.server.server import Server

    logging.basicConfig(level=logging.ERROR)
    server = Server()
    server.iserver.bind_condition_methods = True  # asyncua's ConditionRefresh, off by default
    await server.init()
    server.set_endpoint(f"opc.tcp://127.0.0.1:{port}/alarms")
    server.set_security_policy([ua.SecurityPolicyType.NoSecurity])
    idx = await server.register_namespace(NAMESPACE)
    assert idx == 2, idx
    source = await server.nodes.objects.add_object(ua.NodeId(SOURCE, idx), SOURCE)
    await source.set_event_notifier([ua.EventNotifier.SubscribeToEvents])
    await server.nodes.server.add_reference(source.nodeid, ua.ObjectIds.HasNotifier)
    alarms = _AlarmServer(server, source)
    for method_id, callback in (
        (ua.ObjectIds.AcknowledgeableConditionType_Acknowledge, alarms.acknowledge),
        (ua.ObjectIds.AcknowledgeableConditionType_Confirm, alarms.confirm),
        (ua.ObjectIds.ShelvedStateMachineType_TimedShelve, alarms.timed_shelve),
        (ua.ObjectIds.ShelvedStateMachineType_OneShotShelve, alarms.one_shot_shelve),
        (ua.ObjectIds.ShelvedStateMachineType_Unshelve, alarms.unshelve),
    ):
        server.link_method(server.get_node(ua.NodeId(method_id)), callback)
    for request in conditions:
        await alarms.command({"op": "add", **request})

    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    async with server:
        print("READY", flush=True)
        while line := await reader.readline():  # EOF: the test has gone, so do we
            try:
                answer = await alarms.command(json.loads(line))
            except (KeyError, ValueError, TypeError) as exc:
                answer = {"error": repr(exc)}
            print(json.dumps(answer), flush=True)


# -- the test's side -------------------------------------------------------------------


class AlarmServerProcess:
    """Starts, commands, kills and restarts the alarm server on one fixed port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"opc.tcp://127.0.0.1:{port}/alarms"
        self._proc: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()

    def start(self, conditions: list[dict[str, Any]] | None = None, timeout: float = 20.0) -> None:
        self._proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.opcua_alarm_server",
                str(self.port),
                json.dumps(conditions or []),
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self._lines = queue.Queue()
        threading.Thread(target=self._read, args=(self._proc, self._lines), daemon=True).start()
        line = self._next_line(timeout)
        if line != "READY":
            self.kill()
            raise RuntimeError(f"OPC UA alarm server did not start: {line!r}")

    @staticmethod
    def _read(proc: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.strip())
        lines.put(None)

    def _next_line(self, timeout: float) -> str | None:
        try:
            return self._lines.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"the alarm server said nothing for {timeout} s") from None

    def command(self, op: str, timeout: float = 10.0, **args: Any) -> dict[str, Any]:
        assert self._proc is not None and self._proc.stdin is not None, "not started"
        self._proc.stdin.write(json.dumps({"op": op, **args}) + "\n")
        self._proc.stdin.flush()
        line = self._next_line(timeout)
        if line is None:
            raise RuntimeError("the alarm server exited")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"alarm server: {answer['error']}")
        return answer

    async def acommand(self, op: str, timeout: float = 10.0, **args: Any) -> dict[str, Any]:
        """``command`` from a coroutine: the loop (and the client on it) runs meanwhile."""
        return await asyncio.to_thread(self.command, op, timeout, **args)

    def kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait(10)
            for pipe in (self._proc.stdin, self._proc.stdout):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()
            self._proc = None


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), json.loads(sys.argv[2]) if len(sys.argv) > 2 else []))
