"""The demo plant: a deterministic line model, and servers that publish what demo_plant.toml says.

The plant file is read here with tomllib, not with hmi.config: these tests check
the demo plant against the file itself, independently of the product's loader.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from asyncua import ua
from asyncua.client.client import Client
from paho.mqtt.enums import CallbackAPIVersion

from hmi.domain.plant import MachineState
from hmi.sim import DemoPlant, demo_plant_path
from hmi.sim.line import BottlingLine, LineSnapshot
from hmi.sim.mqtt_publisher import LinePublisher, iso_timestamp, line_messages
from tests.support.wait import wait_until

STATES = {MachineState.RUNNING, MachineState.IDLE, MachineState.STOPPED, MachineState.FAULTED}
ISO_MS_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


# --- the plant file ------------------------------------------------------------------


@dataclass(frozen=True)
class DeclaredTag:
    id: str
    type: str
    topic: str | None
    node: str | None
    codec: str | None
    value_path: tuple[str | int, ...]
    timestamp_path: tuple[str | int, ...] | None
    quality_path: tuple[str | int, ...] | None
    range: tuple[float, float] | None


def _path(text: str | None) -> tuple[str | int, ...] | None:
    if text is None:
        return None
    return tuple(int(part) if part.isdigit() else part for part in text.split(".") if part)


def _declared() -> dict[str, Any]:
    with demo_plant_path().open("rb") as file:
        return tomllib.load(file)


def declared_tags() -> list[DeclaredTag]:
    return [
        DeclaredTag(
            id=tag["id"],
            type=tag.get("type", "float"),
            topic=tag.get("topic"),
            node=tag.get("node"),
            codec=tag.get("codec"),
            value_path=_path(tag.get("value_path")) or (),
            timestamp_path=_path(tag.get("timestamp_path")),
            quality_path=_path(tag.get("quality_path")),
            range=tuple(tag["range"]) if "range" in tag else None,
        )
        for tag in _declared()["tags"]
    ]


MQTT_TAGS = [tag for tag in declared_tags() if tag.topic is not None]
OPCUA_TAGS = [tag for tag in declared_tags() if tag.node is not None]


def test_plant_file_is_packaged_and_declares_both_sources() -> None:
    assert demo_plant_path().is_file()
    assert len(MQTT_TAGS) == 16
    assert len(OPCUA_TAGS) == 9  # eight measured values and the speed setpoint
    sources = {source["type"]: source for source in _declared()["sources"]}
    assert sources["mqtt"]["protocol"] == "3.1.1"  # amqtt refuses MQTT 5
    assert sources["opcua"]["url"] == "opc.tcp://127.0.0.1:48400/floorline/demo"


# --- the line model ---------------------------------------------------------------------


def run(seed: int, hours: float, dt: float = 1.0) -> Iterator[LineSnapshot]:
    line = BottlingLine(seed)
    for _ in range(int(hours * 3600 / dt)):
        yield line.step(dt)


def test_same_seed_same_run_other_seed_other_run() -> None:
    first = list(run(seed=7, hours=0.5, dt=0.5))
    assert first == list(run(seed=7, hours=0.5, dt=0.5))
    assert first != list(run(seed=8, hours=0.5, dt=0.5))


def test_filler_runs_at_its_setpoint_and_never_above_rating() -> None:
    line = BottlingLine(3)
    line.filler_setpoint = 240.0
    speeds = [line.step(1.0).filler.speed_bpm for _ in range(600)]
    assert max(speeds) < 240.0 * 1.02  # the encoder's jitter, not the rated 360
    assert max(speeds) > 200.0
    line.filler_setpoint = 10_000.0
    speeds = [line.step(1.0).filler.speed_bpm for _ in range(600)]
    assert 300.0 < max(speeds) < 360.0 * 1.02


def test_step_needs_positive_time() -> None:
    with pytest.raises(ValueError, match="positive"):
        BottlingLine().step(0.0)


def test_a_long_step_is_split_so_the_thermostat_holds() -> None:
    line = BottlingLine(seed=4)
    for _ in range(30):
        snap = line.step(120.0)
        assert 150.0 <= snap.glue_temp_c <= 166.0
    assert snap.time_s == pytest.approx(3600.0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_hours_of_production_are_plausible(seed: int) -> None:
    seen: dict[str, set[MachineState]] = {"filler": set(), "capper": set(), "labeler": set()}
    previous = BottlingLine(seed).snapshot()
    roll_low = uncertain = 0
    for snap in run(seed, hours=4):
        for name, states in seen.items():
            station, before = getattr(snap, name), getattr(previous, name)
            states.add(station.state)
            assert station.good >= before.good and station.reject >= before.reject, name
            assert 0.0 <= station.speed_bpm <= 420.0
            assert 0.0 <= station.vibration_mm_s <= 12.0
            if station.speed_bpm == 0.0:
                assert station.motor_current_a < 0.5, f"{name} draws current at standstill"
            if station.state is MachineState.FAULTED and before.state is MachineState.FAULTED:
                assert station.speed_bpm == 0.0, f"{name} is faulted but still turning"
        assert 0.0 <= snap.filler.motor_current_a <= 30.0
        assert 0.0 <= snap.capper.motor_current_a <= 20.0
        assert 0.0 <= snap.labeler.motor_current_a <= 15.0
        assert 3.5 <= snap.product_temp_c <= 9.0
        assert 2.3 <= snap.fill_pressure_bar <= 3.7
        assert 1.6 <= snap.cap_torque_nm <= 2.8
        assert 150.0 <= snap.glue_temp_c <= 166.0
        assert 0.0 <= snap.web_tension_n <= 80.0
        roll_low += snap.label_roll_low
        uncertain += snap.cap_torque_uncertain
        previous = snap
    assert all(states == STATES for states in seen.values()), seen
    for station in (previous.filler, previous.capper, previous.labeler):
        made = station.good + station.reject
        assert 4 * 60 * 250 < made < 4 * 60 * 400  # bottles in 4 h, with stops
        assert 0.005 < station.reject / made < 0.06  # a few per cent
    assert previous.labeler.good <= previous.capper.good <= previous.filler.good
    assert 0 < roll_low < 0.3 * 4 * 3600  # the label roll runs low now and then
    assert 0 < uncertain < 0.05 * 4 * 3600


def test_a_stopped_filler_starves_the_capper() -> None:
    line = BottlingLine(seed=1)
    for _ in range(60):
        line.step(0.5)
    line.filler.stop_for(120.0)
    states = [line.step(0.5).capper.state for _ in range(120)]
    assert MachineState.IDLE in states


# --- payloads ---------------------------------------------------------------------------


def test_timestamps_are_utc_with_milliseconds() -> None:
    cet = timezone(timedelta(hours=1))
    assert (
        iso_timestamp(datetime(2026, 11, 22, 11, 0, 0, 123987, cet)) == "2026-11-22T10:00:00.123Z"
    )


def test_every_declared_topic_is_published_from_one_snapshot() -> None:
    messages = line_messages(BottlingLine().step(0.5), datetime.now(UTC))
    assert {m.topic for m in messages} == {tag.topic for tag in MQTT_TAGS}


# --- the running plant ------------------------------------------------------------------


@pytest.fixture(scope="module")
def plant() -> Iterator[DemoPlant]:
    mqtt_port = DemoPlant.free_port()
    opcua_port = DemoPlant.free_port()
    while opcua_port == mqtt_port:
        opcua_port = DemoPlant.free_port()
    demo = DemoPlant(mqtt_port=mqtt_port, opcua_port=opcua_port, seed=3, rate_hz=5.0)
    demo.start(timeout=20.0)
    yield demo
    demo.stop(timeout=10.0)
    assert demo.failure is None


class TopicRecorder:
    """A paho client (MQTT 3.1.1) that keeps every message it receives, by topic."""

    def __init__(self, port: int, topic_filter: str = "demo/bottling/#") -> None:
        self.messages: dict[str, list[mqtt.MQTTMessage]] = {}
        self._lock = threading.Lock()
        self._client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=f"test-sim-{id(self)}",
            protocol=mqtt.MQTTv311,
        )
        self._client.on_message = self._on_message
        self._client.connect("127.0.0.1", port, keepalive=10)
        self._client.subscribe(topic_filter)
        self._client.loop_start()

    def _on_message(self, client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        with self._lock:
            self.messages.setdefault(msg.topic, []).append(msg)

    def topics(self) -> set[str]:
        with self._lock:
            return set(self.messages)

    def retained_topics(self) -> set[str]:
        with self._lock:
            return {topic for topic, msgs in self.messages.items() if any(m.retain for m in msgs)}

    def latest(self, topic: str) -> mqtt.MQTTMessage:
        with self._lock:
            return self.messages[topic][-1]

    def close(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()


@pytest.fixture
def recorder(plant: DemoPlant) -> Iterator[TopicRecorder]:
    recorder = TopicRecorder(plant.mqtt_port)
    yield recorder
    recorder.close()


def _at(document: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


def _check_type(tag: DeclaredTag, value: object) -> None:
    expected: dict[str, tuple[type, ...]] = {
        "float": (int, float),
        "int": (int,),
        "bool": (bool,),
        "string": (str,),
    }
    assert isinstance(value, expected[tag.type]), (tag.id, value)
    if tag.type != "bool":
        assert not isinstance(value, bool), (tag.id, value)
    if tag.range is not None:
        assert isinstance(value, int | float)
        assert tag.range[0] <= value <= tag.range[1], (tag.id, value)


def test_every_declared_topic_arrives_and_decodes(recorder: TopicRecorder) -> None:
    wanted = {tag.topic for tag in MQTT_TAGS}
    wait_until(lambda: wanted <= recorder.topics(), timeout=10.0, what=f"topics {wanted}")
    for tag in MQTT_TAGS:
        assert tag.topic is not None
        payload = bytes(recorder.latest(tag.topic).payload)
        if tag.codec == "number":
            value: object = float(payload.decode("ascii"))
        elif tag.codec == "bool":
            assert payload in (b"true", b"false"), (tag.id, payload)
            value = payload == b"true"
        else:
            assert tag.codec == "json", tag.id
            document = json.loads(payload)
            value = _at(document, tag.value_path)
            if tag.timestamp_path is not None:
                stamp = _at(document, tag.timestamp_path)
                assert ISO_MS_UTC.match(stamp), (tag.id, stamp)
                age = datetime.now(UTC) - datetime.fromisoformat(stamp)
                assert timedelta(seconds=-1) < age < timedelta(seconds=10), (tag.id, stamp)
            if tag.quality_path is not None:
                assert _at(document, tag.quality_path) in ("good", "uncertain"), tag.id
        _check_type(tag, value)
        if tag.id.endswith(".state"):
            assert MachineState(str(value)) in STATES


def test_states_and_counters_are_retained(plant: DemoPlant, recorder: TopicRecorder) -> None:
    retained = {
        tag.topic
        for tag in MQTT_TAGS
        if tag.id.endswith((".state", ".good", ".reject", ".low_label"))
    }
    wait_until(
        lambda: retained <= recorder.retained_topics(),
        timeout=5.0,
        what=f"retained messages on {retained}",
    )


async def _read_nodes(url: str) -> dict[str, ua.DataValue]:
    async with Client(url, timeout=5) as client:
        return {
            tag.id: await client.get_node(str(tag.node)).read_data_value() for tag in OPCUA_TAGS
        }


def test_every_declared_node_reads_with_its_type(plant: DemoPlant) -> None:
    values = asyncio.run(asyncio.wait_for(_read_nodes(plant.opcua_url), timeout=15.0))
    types = {
        "int": {ua.VariantType.Int32, ua.VariantType.Int64, ua.VariantType.UInt32},
        "float": {ua.VariantType.Double},
    }
    for tag in OPCUA_TAGS:
        data = values[tag.id]
        assert data.StatusCode is not None and data.StatusCode.is_good(), tag.id
        assert data.Value is not None
        assert data.Value.VariantType in types[tag.type], (tag.id, data.Value.VariantType)
        assert data.SourceTimestamp is not None
        if tag.id != "filler.speed_sp":  # written by the HMI, not sampled by the PLC
            assert datetime.now(UTC) - data.SourceTimestamp < timedelta(seconds=10), tag.id
        _check_type(tag, data.Value.Value)
    assert values["filler.state"].Value is not None
    assert values["filler.state"].Value.Value in (0, 1, 2, 3)


async def _wait_for_changes(url: str, node_id: str, wanted: int) -> None:
    changes: list[object] = []
    enough = asyncio.Event()

    class Handler:
        def datachange_notification(self, node: object, value: object, data: object) -> None:
            changes.append(value)
            if len(changes) >= wanted:
                enough.set()

    async with Client(url, timeout=5) as client:
        subscription = await client.create_subscription(100, Handler())
        await subscription.subscribe_data_change(client.get_node(node_id))
        await asyncio.wait_for(enough.wait(), timeout=10.0)
        await subscription.delete()


def test_a_subscription_sees_the_filler_live(plant: DemoPlant) -> None:
    """The HMI subscribes; written values must reach monitored items, not only reads."""
    changes = _wait_for_changes(plant.opcua_url, "ns=2;s=Filler.MotorCurrent", wanted=3)
    asyncio.run(asyncio.wait_for(changes, timeout=20.0))


def test_opcua_url_is_the_declared_one_on_its_port(plant: DemoPlant) -> None:
    declared = {s["type"]: s for s in _declared()["sources"]}["opcua"]["url"]
    assert plant.opcua_url == declared.replace(":48400/", f":{plant.opcua_port}/")


# --- start and stop ---------------------------------------------------------------------


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False


def test_stop_frees_the_ports_for_the_next_plant() -> None:
    mqtt_port, opcua_port = DemoPlant.free_port(), DemoPlant.free_port()
    threads_before = set(threading.enumerate())
    first = DemoPlant(mqtt_port=mqtt_port, opcua_port=opcua_port)
    first.start()
    assert len(set(threading.enumerate()) - threads_before) >= 2  # the plant's and paho's
    first.stop()
    assert not first.running
    assert set(threading.enumerate()) - threads_before == set(), "a thread outlived stop()"
    assert not _accepts(mqtt_port) and not _accepts(opcua_port)
    assert DemoPlant.port_is_free(mqtt_port) and DemoPlant.port_is_free(opcua_port)
    second = DemoPlant(mqtt_port=mqtt_port, opcua_port=opcua_port)
    second.start()
    try:
        recorder = TopicRecorder(mqtt_port, "demo/bottling/labeler/telemetry")
        try:
            wait_until(recorder.topics, timeout=5.0, what="telemetry from the 2nd plant")
        finally:
            recorder.close()
    finally:
        second.stop()


@pytest.mark.parametrize("taken", ["mqtt", "opcua"])
def test_a_port_in_use_fails_start_clearly_and_leaves_nothing(taken: str) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        busy = blocker.getsockname()[1]
        other = DemoPlant.free_port()
        ports = (busy, other) if taken == "mqtt" else (other, busy)
        demo = DemoPlant(mqtt_port=ports[0], opcua_port=ports[1])
        with pytest.raises(RuntimeError, match=f"cannot listen on .*127.0.0.1:{busy}"):
            demo.start(timeout=20.0)
        assert not demo.running
        assert DemoPlant.port_is_free(other), "the server that did start was not closed"
        demo.stop()  # harmless after a failed start


def test_a_start_that_times_out_leaves_nothing_running() -> None:
    mqtt_port, opcua_port = DemoPlant.free_port(), DemoPlant.free_port()
    threads_before = set(threading.enumerate())
    demo = DemoPlant(mqtt_port=mqtt_port, opcua_port=opcua_port)
    # The OPC UA server alone needs about a second to build its address space.
    with pytest.raises(RuntimeError, match=r"did not start within 0\.1 s"):
        demo.start(timeout=0.1)
    assert not demo.running
    assert set(threading.enumerate()) - threads_before == set()
    assert DemoPlant.port_is_free(mqtt_port) and DemoPlant.port_is_free(opcua_port)


def test_pick_ports_prefers_the_given_ports_when_free() -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        busy = blocker.getsockname()[1]
        free = DemoPlant.free_port()
        mqtt_port, opcua_port = DemoPlant.pick_ports(preferred_mqtt=busy, preferred_opcua=free)
    assert mqtt_port != busy
    assert opcua_port == free
    assert mqtt_port != opcua_port


def test_constructor_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="differ"):
        DemoPlant(mqtt_port=20000, opcua_port=20000)
    with pytest.raises(ValueError, match="rate_hz"):
        DemoPlant(rate_hz=0)


# --- a broker that does not keep up -----------------------------------------------------


def test_publisher_skips_snapshots_while_the_broker_is_behind() -> None:
    """A broker that accepts the session and then stops reading must not grow paho's queue."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        accepted: list[socket.socket] = []

        def stalled_broker() -> None:
            conn, _ = listener.accept()
            conn.recv(1024)  # CONNECT
            conn.sendall(b"\x20\x02\x00\x00")  # CONNACK, accepted; then never read again
            accepted.append(conn)

        thread = threading.Thread(target=stalled_broker, daemon=True)
        thread.start()
        publisher = LinePublisher("127.0.0.1", port, client_id="test-stalled")
        snapshot = BottlingLine().step(0.5)
        most_queued = 0
        try:
            asyncio.run(publisher.connect(timeout=5.0))
            thread.join(timeout=5.0)
            # Publish as fast as possible until the socket buffers are full and every
            # snapshot for half a second was skipped (a broker that merely lags a
            # few milliseconds would not do that); paho must never hold more than
            # one snapshot's messages (10) meanwhile. paho's queue is private: no
            # public API tells how much it holds.
            deadline = time.monotonic() + 20.0
            skipping_since: float | None = None
            while skipping_since is None or time.monotonic() - skipping_since < 0.5:
                now = time.monotonic()
                assert now < deadline, "the publisher never noticed the stall"
                if publisher.publish(snapshot, datetime.now(UTC)):
                    skipping_since = None
                elif skipping_since is None:
                    skipping_since = now
                most_queued = max(most_queued, len(publisher._client._out_packet))
        finally:
            started = time.monotonic()
            try:
                asyncio.run(asyncio.wait_for(publisher.close(grace_s=1.0), timeout=10.0))
            finally:
                for conn in accepted:
                    conn.close()
            closing_took = time.monotonic() - started
    assert most_queued <= 10
    assert publisher.skipped > 0
    assert closing_took < 5.0, "close() waited for the keepalive of a stalled broker"
