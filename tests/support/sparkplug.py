"""A scripted Sparkplug B edge node and a command listener, on a real broker.

Payloads are built with the generated protobuf module the HMI decodes with,
values put in the field the specification gives each data type (negative
integers as two's complement in the unsigned fields).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from hmi.adapters.sparkplug import sparkplug_b_pb2 as pb
from hmi.domain.sparkplug import NAMESPACE, SpDataType

_INT_FIELD = {SpDataType.INT8, SpDataType.INT16, SpDataType.INT32, SpDataType.UINT8}
_INT_FIELD |= {SpDataType.UINT16}
_LONG_FIELD = {SpDataType.INT64, SpDataType.UINT32, SpDataType.UINT64, SpDataType.DATETIME}
_TEXT = {SpDataType.STRING, SpDataType.TEXT, SpDataType.UUID}

Value = int | float | bool | str | None


def metric(
    name: str | None = None,
    alias: int | None = None,
    datatype: SpDataType | None = None,
    value: Value = None,
    *,
    timestamp_ms: int | None = None,
    historical: bool = False,
    properties: Mapping[str, int | str] | None = None,
    typed: bool = True,
) -> pb.Payload.Metric:
    """One metric; ``typed=False`` leaves the data type out, as data messages may."""
    m = pb.Payload.Metric()
    if name is not None:
        m.name = name
    if alias is not None:
        m.alias = alias
    if timestamp_ms is not None:
        m.timestamp = timestamp_ms
    if datatype is not None and typed:
        m.datatype = datatype
    if historical:
        m.is_historical = True
    if value is None:
        m.is_null = True
    elif datatype in _INT_FIELD:
        assert isinstance(value, int)
        m.int_value = value & 0xFFFFFFFF
    elif datatype in _LONG_FIELD:
        assert isinstance(value, int)
        m.long_value = value & 0xFFFFFFFFFFFFFFFF
    elif datatype is SpDataType.FLOAT:
        assert isinstance(value, float)
        m.float_value = value
    elif datatype is SpDataType.DOUBLE:
        assert isinstance(value, float)
        m.double_value = value
    elif datatype is SpDataType.BOOLEAN:
        assert isinstance(value, bool)
        m.boolean_value = value
    elif datatype in _TEXT:
        assert isinstance(value, str)
        m.string_value = value
    else:
        raise AssertionError(f"no field for data type {datatype}")
    for key, prop in (properties or {}).items():
        m.properties.keys.append(key)
        entry = m.properties.values.add()
        if isinstance(prop, str):
            entry.type = SpDataType.STRING
            entry.string_value = prop
        else:
            entry.type = SpDataType.INT32
            entry.int_value = prop & 0xFFFFFFFF
    return m


def payload(
    metrics: list[pb.Payload.Metric], seq: int | None = None, timestamp_ms: int | None = None
) -> bytes:
    message = pb.Payload(timestamp=timestamp_ms or round(time.time() * 1000))
    if seq is not None:
        message.seq = seq
    message.metrics.extend(metrics)
    return bytes(message.SerializeToString())


def bd_seq(value: int) -> pb.Payload.Metric:
    return metric("bdSeq", None, SpDataType.INT64, value)


class EdgeNode:
    """Publishes one edge node's births, data and deaths, counting its sequence numbers."""

    def __init__(self, port: int, group: str, node: str) -> None:
        self.group, self.node = group, node
        self.seq = 0
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"edge-{group}-{node}")
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def topic(self, kind: str, device: str | None = None) -> str:
        tail = f"/{device}" if device is not None else ""
        return f"{NAMESPACE}/{self.group}/{kind}/{self.node}{tail}"

    def send(self, kind: str, data: bytes, device: str | None = None) -> None:
        self.client.publish(self.topic(kind, device), data, qos=1).wait_for_publish(5)

    def next_seq(self) -> int:
        seq = self.seq
        self.seq = (self.seq + 1) % 256
        return seq

    def nbirth(self, metrics: list[pb.Payload.Metric], bd: int = 0, seq: int = 0) -> None:
        self.seq = seq
        self.send("NBIRTH", payload([bd_seq(bd), *metrics], self.next_seq()))

    def dbirth(self, device: str, metrics: list[pb.Payload.Metric]) -> None:
        self.send("DBIRTH", payload(metrics, self.next_seq()), device)

    def ndata(self, metrics: list[pb.Payload.Metric], seq: int | None = None) -> None:
        self.send("NDATA", payload(metrics, self.next_seq() if seq is None else seq))

    def ddata(self, device: str, metrics: list[pb.Payload.Metric]) -> None:
        self.send("DDATA", payload(metrics, self.next_seq()), device)

    def ddeath(self, device: str) -> None:
        self.send("DDEATH", payload([], self.next_seq()), device)

    def ndeath(self, bd: int) -> None:
        self.send("NDEATH", payload([bd_seq(bd)]))

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


class CommandListener:
    """Subscribes to every NCMD of a group and keeps what arrives, decoded."""

    def __init__(self, port: int, group: str) -> None:
        self.commands: list[tuple[str, pb.Payload]] = []
        self._lock = threading.Lock()
        self._subscribed = threading.Event()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"listener-{group}")
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *_args: self._subscribed.set()
        self.client.connect("127.0.0.1", port)
        self.client.subscribe(f"{NAMESPACE}/{group}/NCMD/#", qos=0)
        self.client.loop_start()
        if not self._subscribed.wait(5):
            raise AssertionError("the command listener did not subscribe within 5 s")

    def _on_message(self, _client: object, _userdata: object, msg: mqtt.MQTTMessage) -> None:
        decoded = pb.Payload()
        decoded.ParseFromString(msg.payload)
        with self._lock:
            self.commands.append((msg.topic, decoded))

    def received(self) -> list[tuple[str, pb.Payload]]:
        with self._lock:
            return list(self.commands)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


class StateWatcher:
    """Subscribes to every host application's STATE and keeps what arrives, in order."""

    def __init__(self, port: int) -> None:
        self.states: list[tuple[str, dict[str, object], bool]] = []  # topic, payload, retained
        self._lock = threading.Lock()
        self._subscribed = threading.Event()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="state-watcher")
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *_args: self._subscribed.set()
        self.client.connect("127.0.0.1", port)
        self.client.subscribe(f"{NAMESPACE}/STATE/#", qos=1)
        self.client.loop_start()
        if not self._subscribed.wait(5):
            raise AssertionError("the STATE watcher did not subscribe within 5 s")

    def _on_message(self, _client: object, _userdata: object, msg: mqtt.MQTTMessage) -> None:
        with self._lock:
            self.states.append((msg.topic, json.loads(msg.payload), bool(msg.retain)))

    def received(self) -> list[tuple[str, dict[str, object], bool]]:
        with self._lock:
            return list(self.states)

    def publish(self, topic: str, payload: dict[str, object]) -> None:
        """As another client would (a stale tool, an operator's test): retained, QoS 1."""
        self.client.publish(topic, json.dumps(payload), qos=1, retain=True).wait_for_publish(5)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
