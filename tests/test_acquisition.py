"""Live values from a real Mosquitto broker and a real OPC UA server into the tag store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from hmi.domain.health import LinkState
from hmi.domain.plant import (
    Codec,
    CodecKind,
    DataType,
    MqttBinding,
    MqttProtocol,
    MqttSource,
    OpcUaBinding,
    OpcUaSource,
    PlantDef,
    TagDef,
    TlsSettings,
)
from hmi.domain.quality import Quality
from hmi.services.runtime import Runtime
from tests.conftest import BROKER_DNS
from tests.support.certs import Pki
from tests.support.mosquitto import MosquittoBroker
from tests.support.opcua_server import OpcUaServerProcess
from tests.support.wait import free_port, wait_until

JSON_VALUE = Codec(CodecKind.JSON, ("v",), ("ts",), ("q",))


def mqtt_plant(port: int, protocol: MqttProtocol = MqttProtocol.V5) -> PlantDef:
    source = MqttSource(
        id="broker",
        host="127.0.0.1",
        port=port,
        protocol=protocol,
        subscriptions=("line/#",),
        reconnect_min_s=1,
        reconnect_max_s=2,
    )
    tags = (
        TagDef(
            "speed",
            "Speed",
            "broker",
            MqttBinding("line/speed", Codec(CodecKind.NUMBER)),
            stale_after_s=1.5,
        ),
        TagDef("temp", "Temperature", "broker", MqttBinding("line/temp", JSON_VALUE)),
        TagDef(
            "state",
            "State",
            "broker",
            MqttBinding("line/state", Codec(CodecKind.STRING)),
            data_type=DataType.STRING,
        ),
        TagDef("a", "A", "broker", MqttBinding("line/multi", Codec(CodecKind.JSON, ("a",)))),
        TagDef("b", "B", "broker", MqttBinding("line/multi", Codec(CodecKind.JSON, ("x", "b")))),
    )
    return PlantDef("test", (source,), tags, ())


class Publisher:
    """A plain paho client that publishes and waits for each message to leave."""

    def __init__(self, port: int) -> None:
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2)
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def send(self, topic: str, payload: bytes | str, retain: bool = False) -> None:
        self.client.publish(topic, payload, qos=1, retain=retain).wait_for_publish(5)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def mqtt_runtime(broker: MosquittoBroker) -> Iterator[Runtime]:
    runtime = Runtime(mqtt_plant(broker.port))
    runtime.start()
    wait_until(lambda: runtime.acquisition.health()[0].state is LinkState.CONNECTED, 10, "connect")
    yield runtime
    runtime.stop()


@pytest.mark.parametrize("protocol", [MqttProtocol.V5, MqttProtocol.V311])
def test_published_values_arrive_with_quality_and_source_time(
    broker: MosquittoBroker, protocol: MqttProtocol
) -> None:
    runtime = Runtime(mqtt_plant(broker.port, protocol))
    store = runtime.store
    assert store.get("speed").quality is Quality.NO_CONNECTION, "nothing is good before a link"
    runtime.start()
    try:
        wait_until(lambda: runtime.acquisition.health()[0].state is LinkState.CONNECTED, 10)
        pub = Publisher(broker.port)
        pub.send("line/speed", "312.5")
        pub.send(
            "line/temp", json.dumps({"v": 4.25, "ts": "2026-11-22T10:00:00.500Z", "q": "uncertain"})
        )
        pub.send("line/state", "running")
        pub.send("line/multi", json.dumps({"a": 1, "x": {"b": 2.5}}))
        wait_until(lambda: store.get("b").value == 2.5, 10, "multi-value message")
        wait_until(lambda: store.get("speed").value == 312.5, 10)
        temp = store.get("temp")
        assert (temp.value, temp.quality) == (4.25, Quality.UNCERTAIN)
        assert temp.source_ts == pytest.approx(1795341600.5)
        assert store.get("state").value == "running"
        assert store.get("speed").quality is Quality.GOOD
        assert store.get("a").value == 1.0
        pub.close()
    finally:
        runtime.stop()


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"{not json", "not JSON"),
        (b'{"v": "fast", "ts": 1, "q": "good"}', "expected a number"),
        (b'{"v": NaN, "ts": 1, "q": "good"}', "not a finite number"),
        (b'{"v": -Infinity, "ts": 1, "q": "good"}', "not a finite number"),
        (b'{"w": 1, "ts": 1, "q": "good"}', "no field 'v'"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b'{"v": 1, "ts": 1, "q": "good", "pad": "' + b"x" * 70000 + b'"}', "too large"),
        (b'{"v": 1, "ts": "yesterday", "q": "good"}', "not ISO 8601"),
        (b'{"v": 1, "ts": 1, "q": "splendid"}', "unknown quality"),
    ],
)
def test_malformed_payload_is_bad_quality_with_reason_and_counted(
    mqtt_runtime: Runtime, broker: MosquittoBroker, payload: bytes, reason: str
) -> None:
    store = mqtt_runtime.store
    pub = Publisher(broker.port)
    pub.send("line/temp", json.dumps({"v": 1.0, "ts": 1795341600, "q": "good"}))
    wait_until(lambda: store.get("temp").quality is Quality.GOOD, 10)
    pub.send("line/temp", payload)
    wait_until(lambda: store.get("temp").quality is Quality.BAD, 10, "bad quality")
    assert reason in store.get("temp").reason
    health = mqtt_runtime.acquisition.health()[0]
    assert health.rejected == 1
    assert reason in health.last_rejection
    # The link goes on: the next good message is taken.
    pub.send("line/temp", json.dumps({"v": 2.0, "ts": 1795341601, "q": "good"}))
    wait_until(lambda: store.get("temp").value == 2.0, 10)
    pub.close()


def test_values_turn_stale_when_updates_stop(
    mqtt_runtime: Runtime, broker: MosquittoBroker
) -> None:
    pub = Publisher(broker.port)
    pub.send("line/speed", "10")
    store = mqtt_runtime.store
    wait_until(lambda: store.get("speed").quality is Quality.GOOD, 10)
    wait_until(lambda: store.get("speed").quality is Quality.STALE, 5, "stale after 1.5 s")
    assert store.get("speed").value == 10
    pub.close()


def test_broker_outage_shows_no_connection_then_recovers(
    mqtt_runtime: Runtime, broker: MosquittoBroker
) -> None:
    store = mqtt_runtime.store
    pub = Publisher(broker.port)
    pub.send("line/speed", "42")
    wait_until(lambda: store.get("speed").value == 42, 10)
    pub.close()

    broker.kill()
    wait_until(lambda: store.get("speed").quality is Quality.NO_CONNECTION, 10, "no connection")
    assert store.get("speed").value == 42, "the last value is kept, marked"
    health = mqtt_runtime.acquisition.health()[0]
    assert health.state is LinkState.RECONNECTING
    assert health.next_attempt is not None
    assert health.last_error

    broker.start()
    wait_until(lambda: mqtt_runtime.acquisition.health()[0].state is LinkState.CONNECTED, 15)
    # Connected but nothing new yet: not good, and not "no connection" either.
    assert store.get("speed").quality is Quality.STALE
    pub = Publisher(broker.port)
    pub.send("line/speed", "43")
    wait_until(lambda: store.get("speed").value == 43, 10, "value after the restart")
    assert store.get("speed").quality is Quality.GOOD
    pub.close()


def test_unreachable_broker_at_start_is_a_state_not_a_failure(tmp_path: Path) -> None:
    runtime = Runtime(mqtt_plant(free_port()))
    runtime.start()
    try:
        wait_until(lambda: runtime.acquisition.health()[0].state is LinkState.RECONNECTING, 10)
        assert "cannot connect" in runtime.acquisition.health()[0].last_error
        assert runtime.store.get("speed").quality is Quality.NO_CONNECTION
    finally:
        runtime.stop()


# -- OPC UA -------------------------------------------------------------------------


def opcua_plant(url: str) -> PlantDef:
    source = OpcUaSource(
        id="plc",
        url=url,
        publishing_interval_ms=100,
        sampling_interval_ms=50,
        keepalive_count=5,
        lifetime_count=15,
        reconnect_min_s=0.5,
        reconnect_max_s=1.0,
        session_timeout_ms=10000,
    )
    tags = (
        TagDef(
            "counter",
            "Counter",
            "plc",
            OpcUaBinding("ns=2;s=Test.Counter"),
            data_type=DataType.INT,
            stale_after_s=2,
        ),
        TagDef("float", "Float", "plc", OpcUaBinding("ns=2;s=Test.Float"), stale_after_s=1.0),
        TagDef("text", "Text", "plc", OpcUaBinding("ns=2;s=Test.Text"), data_type=DataType.STRING),
        TagDef("missing", "Missing", "plc", OpcUaBinding("ns=2;s=Test.DoesNotExist")),
        TagDef("mismatch", "Mismatch", "plc", OpcUaBinding("ns=2;s=Test.Text")),
    )
    return PlantDef("test", (source,), tags, ())


@pytest.fixture(scope="module")
def opcua_server() -> Iterator[OpcUaServerProcess]:
    server = OpcUaServerProcess(free_port())
    server.start()
    yield server
    server.kill()


def test_opcua_values_arrive_and_server_restart_recovers(opcua_server: OpcUaServerProcess) -> None:
    runtime = Runtime(opcua_plant(opcua_server.url))
    runtime.start()
    store = runtime.store
    try:
        wait_until(lambda: isinstance(store.get("counter").value, int), 15, "counter value")
        first = store.get("counter")
        assert first.quality is Quality.GOOD
        assert first.source_ts > 1.7e9
        wait_until(lambda: store.get("counter").value != first.value, 5, "counter moves")
        assert store.get("float").value == 0.0
        # Test.Float never changes; the subscription's keep-alives vouch for it, so it
        # stays good well past its 1 s staleness window.
        mark = store.get("counter").value
        assert isinstance(mark, int)
        wait_until(lambda: store.get("counter").value >= mark + 25, 10, "2.5 s of counting")
        assert store.get("float").quality is Quality.GOOD
        assert store.get("text").value == ""
        missing = store.get("missing")
        assert missing.quality is Quality.BAD and "BadNodeIdUnknown" in missing.reason
        mismatch = store.get("mismatch")
        assert mismatch.quality is Quality.BAD and "expected float" in mismatch.reason

        opcua_server.kill()
        wait_until(lambda: store.get("counter").quality is Quality.NO_CONNECTION, 10, "outage")
        health = runtime.acquisition.health()[0]
        assert health.state is LinkState.RECONNECTING and health.next_attempt is not None

        opcua_server.start()
        wait_until(lambda: store.get("counter").quality is Quality.GOOD, 30, "recovery")
        assert runtime.acquisition.health()[0].state is LinkState.CONNECTED
    finally:
        runtime.stop()


# -- TLS ---------------------------------------------------------------------------


def tls_plant(port: int, ca: Path, server_name: str | None) -> PlantDef:
    source = MqttSource(
        id="broker",
        host="127.0.0.1",
        port=port,
        tls=TlsSettings(ca_file=str(ca), server_name=server_name),
        reconnect_min_s=1,
        reconnect_max_s=2,
    )
    tag = TagDef("speed", "Speed", "broker", MqttBinding("line/speed", Codec(CodecKind.NUMBER)))
    return PlantDef("test", (source,), (tag,), ())


def test_tls_with_the_plant_ca_and_the_expected_name_connects(
    tls_broker: MosquittoBroker, pki: Pki
) -> None:
    runtime = Runtime(tls_plant(tls_broker.port, pki.ca, BROKER_DNS))
    runtime.start()
    try:
        wait_until(lambda: runtime.acquisition.health()[0].state is LinkState.CONNECTED, 10)
    finally:
        runtime.stop()


@pytest.mark.parametrize(
    ("which_ca", "server_name", "reason"),
    [
        ("other", BROKER_DNS, "certificate was refused"),
        ("plant", None, "certificate was refused"),  # the certificate does not name 127.0.0.1
        ("plant", "someone-else.test", "certificate was refused"),
    ],
)
def test_tls_refuses_a_broker_it_cannot_verify(
    tls_broker: MosquittoBroker, pki: Pki, which_ca: str, server_name: str | None, reason: str
) -> None:
    ca = pki.ca if which_ca == "plant" else pki.other_ca
    runtime = Runtime(tls_plant(tls_broker.port, ca, server_name))
    runtime.start()
    try:
        wait_until(
            lambda: reason in runtime.acquisition.health()[0].last_error, 10, "refusal reason"
        )
        health = runtime.acquisition.health()[0]
        assert health.state is LinkState.RECONNECTING
        assert runtime.store.get("speed").quality is Quality.NO_CONNECTION
    finally:
        runtime.stop()


def test_unreachable_opcua_server_at_start_is_a_state_with_the_next_attempt() -> None:
    runtime = Runtime(opcua_plant(f"opc.tcp://127.0.0.1:{free_port()}/nothing"))
    runtime.start()
    try:
        wait_until(lambda: runtime.acquisition.health()[0].state is LinkState.RECONNECTING, 15)
        health = runtime.acquisition.health()[0]
        assert health.last_error and health.next_attempt is not None
        assert runtime.store.get("counter").quality is Quality.NO_CONNECTION
    finally:
        runtime.stop()
