"""OPC UA Alarms & Conditions: a real OpcUaLink against a real asyncua server on loopback.

The server (tests/support/opcua_alarm_server.py) runs in a process of its own and
serves the condition methods itself; each test adds conditions of its own name, so
no test depends on another's. Every wait is bounded: the sink wakes the test on each
delivery, and the whole scenario runs under one ``asyncio.wait_for``.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager

import pytest

from hmi.adapters.opcua import OpcUaLink
from hmi.adapters.opcua_conditions import ConditionMethodError
from hmi.domain.alarms import ConditionUpdate, Shelving
from hmi.domain.clock import SystemClock
from hmi.domain.health import LinkState, SourceHealth
from hmi.domain.plant import OpcUaSource
from hmi.domain.tags import TagValue
from tests.support.opcua_alarm_server import AlarmServerProcess, condition_node_id
from tests.support.wait import free_port

SCENARIO_TIMEOUT_S = 30.0


class RecordingSink:
    """A SampleSink that keeps what the link delivers, in order, and on which thread."""

    def __init__(self) -> None:
        self.log: list[ConditionUpdate | tuple[str, bool]] = []
        self.links: list[SourceHealth] = []
        self.threads: set[int] = set()
        self.refresh_stamps: list[tuple[str, float]] = []
        self._changed = asyncio.Event()

    def _note(self) -> None:
        self.threads.add(threading.get_ident())
        self._changed.set()

    def on_samples(self, samples: list[TagValue]) -> None:
        self._note()

    def on_link(self, health: SourceHealth) -> None:
        self.links.append(health)
        self._note()

    def on_alive(self, source_id: str, mono: float) -> None:
        pass

    def on_condition(self, update: ConditionUpdate) -> None:
        self.log.append(update)
        self._note()

    def on_condition_refresh(self, source_id: str, started: bool, ts: float) -> None:
        # No assert here: asyncua logs and swallows what its callback tasks raise.
        self.refresh_stamps.append((source_id, ts))
        self.log.append(("refresh", started))
        self._note()

    def updates(self, condition_id: str) -> list[ConditionUpdate]:
        return [
            u for u in self.log if isinstance(u, ConditionUpdate) and u.condition_id == condition_id
        ]

    def refreshes_ended(self) -> int:
        return self.log.count(("refresh", False))

    async def until(self, predicate: Callable[[], object], timeout: float, what: str) -> None:
        """Wait, woken by each delivery, until ``predicate`` holds; fail after ``timeout``."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                continue

    async def next_update(
        self, condition_id: str, after: int, timeout: float = 10.0
    ) -> ConditionUpdate:
        await self.until(
            lambda: len(self.updates(condition_id)) > after, timeout, f"update {after + 1}"
        )
        return self.updates(condition_id)[after]


def source(url: str) -> OpcUaSource:
    return OpcUaSource(
        id="plc",
        url=url,
        publishing_interval_ms=50,
        keepalive_count=10,
        lifetime_count=30,
        session_timeout_ms=10000,
        reconnect_min_s=0.2,
        reconnect_max_s=0.5,
        conditions=True,
    )


@asynccontextmanager
async def connected_link(
    url: str, refreshed: bool = True
) -> AsyncIterator[tuple[OpcUaLink, RecordingSink]]:
    """A started link with its recording sink; by default after its first ConditionRefresh."""
    sink = RecordingSink()
    link = OpcUaLink(source(url), [], sink, SystemClock())
    await link.start()
    try:
        if refreshed:
            await sink.until(lambda: sink.refreshes_ended() >= 1, 15, "the first refresh")
        yield link, sink
    finally:
        await link.stop()
    assert sink.threads == {threading.get_ident()}, "the sink is called on the link's loop only"
    assert all(source_id == "plc" and ts > 1.7e9 for source_id, ts in sink.refresh_stamps)


def scenario(coro: Callable[[], Awaitable[None]]) -> None:
    async def bounded() -> None:
        await asyncio.wait_for(coro(), SCENARIO_TIMEOUT_S)

    asyncio.run(bounded())


@pytest.fixture(scope="module")
def alarm_server() -> Iterator[AlarmServerProcess]:
    server = AlarmServerProcess(free_port())
    server.start()
    yield server
    server.kill()


def test_raised_condition_arrives_and_acknowledge_confirm_follow_part9(
    alarm_server: AlarmServerProcess,
) -> None:
    async def run() -> None:
        cid = (await alarm_server.acommand("add", name="Overheat", optional=True))["condition_id"]
        assert cid == condition_node_id("Overheat")
        async with connected_link(alarm_server.url) as (link, sink):
            raised = await alarm_server.acommand(
                "raise", name="Overheat", severity=700, message="Boiler overheated"
            )
            update = await sink.next_update(cid, 0)
            assert update.event_id == bytes.fromhex(raised["event_id"])
            assert (update.active, update.acked, update.retain) == (True, False, True)
            assert (update.severity, update.message, update.name) == (
                700,
                "Boiler overheated",
                "Overheat",
            )
            assert (update.source_name, update.source_node) == ("Boiler", "ns=2;s=Boiler")
            assert update.confirmed is False, "this condition has a ConfirmedState"
            assert update.shelving is Shelving.UNSHELVED
            assert not update.suppressed and not update.out_of_service
            assert update.source_id == "plc"
            assert abs(update.ts - time.time()) < 60

            await link.conditions.acknowledge(cid, update.event_id, "seen at the boiler")
            acked = await sink.next_update(cid, 1)
            assert (acked.active, acked.acked, acked.retain) == (True, True, True)
            assert acked.comment == "seen at the boiler"
            assert acked.event_id != update.event_id

            # The first EventId is stale now: the server refuses it, and says so.
            with pytest.raises(ConditionMethodError) as refused:
                await link.conditions.acknowledge(cid, update.event_id, "again")
            assert refused.value.stale_event_id
            assert "changed on the server" in refused.value.message
            # Acknowledging what is already acknowledged is no error (BranchAlreadyAcked).
            await link.conditions.acknowledge(cid, acked.event_id, "again")

            cleared = await alarm_server.acommand("clear", name="Overheat")
            inactive = await sink.next_update(cid, 2)
            assert inactive.event_id == bytes.fromhex(cleared["event_id"])
            assert (inactive.active, inactive.acked, inactive.confirmed) == (False, True, False)
            assert inactive.retain, "kept until confirmed"
            await link.conditions.confirm(cid, inactive.event_id, "checked")
            confirmed = await sink.next_update(cid, 3)
            assert (confirmed.confirmed, confirmed.retain) == (True, False)
            assert len(sink.updates(cid)) == 4

    scenario(run)


def test_clear_then_acknowledge_ends_with_retain_false(alarm_server: AlarmServerProcess) -> None:
    async def run() -> None:
        cid = (await alarm_server.acommand("add", name="LowLevel", optional=False))["condition_id"]
        async with connected_link(alarm_server.url) as (link, sink):
            await alarm_server.acommand("raise", name="LowLevel", severity=300, message="Low level")
            raised = await sink.next_update(cid, 0)
            assert raised.confirmed is None, "no ConfirmedState on this condition"
            await alarm_server.acommand("clear", name="LowLevel")
            cleared = await sink.next_update(cid, 1)
            assert (cleared.active, cleared.acked, cleared.retain) == (False, False, True)
            await link.conditions.acknowledge(cid, cleared.event_id, "")
            done = await sink.next_update(cid, 2)
            assert (done.active, done.acked, done.retain) == (False, True, False)

            with pytest.raises(ConditionMethodError, match="does not offer confirmation"):
                await link.conditions.confirm(cid, done.event_id, "")
            with pytest.raises(ConditionMethodError, match="does not offer shelving"):
                await link.conditions.one_shot_shelve(cid)
            # asyncua's server answers BadNodeIdInvalid for an object it does not have.
            with pytest.raises(ConditionMethodError, match="does not offer acknowledgement"):
                await link.conditions.acknowledge("ns=2;s=Boiler.Nothing", b"x", "")

    scenario(run)


def test_shelving_goes_through_the_shelving_state_methods(alarm_server: AlarmServerProcess) -> None:
    async def run() -> None:
        cid = (await alarm_server.acommand("add", name="Vibration", optional=True))["condition_id"]
        async with connected_link(alarm_server.url) as (link, sink):
            await alarm_server.acommand("raise", name="Vibration", severity=500, message="Shaking")
            await sink.next_update(cid, 0)
            await link.conditions.timed_shelve(cid, 600.0)
            assert (await sink.next_update(cid, 1)).shelving is Shelving.TIMED
            with pytest.raises(ConditionMethodError, match="already shelved"):
                await link.conditions.timed_shelve(cid, 600.0)
            await link.conditions.unshelve(cid)
            assert (await sink.next_update(cid, 2)).shelving is Shelving.UNSHELVED
            await link.conditions.one_shot_shelve(cid)
            assert (await sink.next_update(cid, 3)).shelving is Shelving.ONE_SHOT
            await link.conditions.unshelve(cid)
            assert (await sink.next_update(cid, 4)).shelving is Shelving.UNSHELVED
            with pytest.raises(ConditionMethodError, match="not shelved"):
                await link.conditions.unshelve(cid)
            with pytest.raises(ConditionMethodError, match="time limit"):
                await link.conditions.timed_shelve(cid, 0)

    scenario(run)


def test_refresh_reports_every_retained_condition_between_its_brackets(
    alarm_server: AlarmServerProcess,
) -> None:
    async def run() -> None:
        cid = (await alarm_server.acommand("add", name="Pressure", optional=False))["condition_id"]
        await alarm_server.acommand("raise", name="Pressure", severity=900, message="High pressure")
        async with connected_link(alarm_server.url) as (link, sink):
            first = sink.log.index(("refresh", True))
            end = sink.log.index(("refresh", False))
            reported = [u for u in sink.log[first:end] if isinstance(u, ConditionUpdate)]
            assert cid in {u.condition_id for u in reported}, "in the first refresh"
            mark = len(sink.log)
            await link.conditions.refresh()
            tail = sink.log[mark:]
            assert tail[0] == ("refresh", True) and tail[-1] == ("refresh", False)
            again = [u for u in tail if isinstance(u, ConditionUpdate) and u.condition_id == cid]
            assert len(again) == 1 and again[0].active and again[0].severity == 900

    scenario(run)


def test_methods_without_a_connection_say_so() -> None:
    async def run() -> None:
        url = f"opc.tcp://127.0.0.1:{free_port()}/nothing"
        async with connected_link(url, refreshed=False) as (link, sink):
            await sink.until(
                lambda: any(h.state is LinkState.RECONNECTING for h in sink.links),
                10,
                "a failed connect",
            )
            calls: list[Callable[[], Awaitable[None]]] = [
                lambda: link.conditions.acknowledge("ns=2;s=Boiler.Overheat", b"1", ""),
                lambda: link.conditions.timed_shelve("ns=2;s=Boiler.Overheat", 60),
                link.conditions.refresh,
            ]
            for call in calls:
                with pytest.raises(ConditionMethodError, match="not connected") as refused:
                    await call()
                assert not refused.value.stale_event_id

    scenario(run)


def test_after_a_server_restart_the_refresh_reports_the_still_active_condition() -> None:
    stuck = [{"name": "Stuck", "optional": True, "active": True, "severity": 800, "message": "Jam"}]
    server = AlarmServerProcess(free_port())
    server.start(stuck)
    cid = condition_node_id("Stuck")

    async def run() -> None:
        async with connected_link(server.url) as (_, sink):
            assert len(sink.updates(cid)) == 1, "reported by the first refresh only"
            await asyncio.to_thread(server.kill)
            await sink.until(
                lambda: sink.links[-1].state is LinkState.RECONNECTING, 10, "the outage"
            )
            mark = len(sink.log)
            await asyncio.to_thread(server.start, stuck)
            await sink.until(
                lambda: ("refresh", False) in sink.log[mark:], 15, "a refresh after reconnecting"
            )
            assert sink.links[-1].state is LinkState.CONNECTED
            tail = sink.log[mark:]
            start, end = tail.index(("refresh", True)), tail.index(("refresh", False))
            again = [
                u
                for u in tail[start:end]
                if isinstance(u, ConditionUpdate) and u.condition_id == cid
            ]
            assert len(again) == 1, tail
            assert (again[0].active, again[0].acked, again[0].severity) == (True, False, 800)
            assert again[0].event_id != sink.updates(cid)[0].event_id, "a new server, a new event"

    try:
        scenario(run)
    finally:
        server.kill()


def test_a_subscription_the_server_dropped_is_resynchronised(
    alarm_server: AlarmServerProcess,
) -> None:
    """asyncua's watchdog re-creates a silent subscription; the link then reconnects
    and refreshes, since a new subscription knows no conditions until a refresh."""

    async def run() -> None:
        cid = (await alarm_server.acommand("add", name="Orphan", optional=False))["condition_id"]
        await alarm_server.acommand("raise", name="Orphan", severity=600, message="Orphaned")
        async with connected_link(alarm_server.url) as (_, sink):
            assert len(sink.updates(cid)) == 1
            mark = len(sink.log)
            assert (await alarm_server.acommand("drop_event_subscriptions"))["dropped"] == 1
            await sink.until(lambda: ("refresh", False) in sink.log[mark:], 15, "a resync")
            assert any("re-created" in h.last_error for h in sink.links)
            assert len(sink.updates(cid)) == 2 and sink.updates(cid)[1].active

    scenario(run)


def test_a_burst_of_2000_condition_events_all_arrive_in_order(
    alarm_server: AlarmServerProcess,
) -> None:
    async def run() -> None:
        cid = (await alarm_server.acommand("add", name="Chatter", optional=False))["condition_id"]
        async with connected_link(alarm_server.url) as (_, sink):
            sent = (await alarm_server.acommand("burst", name="Chatter", count=2000))["event_ids"]
            await sink.until(lambda: len(sink.updates(cid)) >= 2000, 20, "2000 condition events")
            got = sink.updates(cid)
            assert [u.event_id for u in got] == [bytes.fromhex(e) for e in sent]
            assert [u.active for u in got[:4]] == [True, False, True, False]

    scenario(run)
