"""Sparkplug B 3.0 consumption: the host's rules without a broker, then end to end
through a real Mosquitto from a scripted edge node into the tag store."""

from __future__ import annotations

import dataclasses
import math
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from hmi.adapters.sparkplug.link import SparkplugLink
from hmi.adapters.sparkplug.payload import decode_payload, rebirth_request
from hmi.config import ConfigError, load_plant_text
from hmi.domain.health import LinkState
from hmi.domain.plant import (
    DataType,
    LimitKind,
    MetricOverride,
    MqttSource,
    PlantDef,
    SparkplugBinding,
    SparkplugSource,
    StationDef,
)
from hmi.domain.quality import Quality
from hmi.domain.sparkplug import (
    MessageType,
    Metric,
    Payload,
    SparkplugError,
    SpDataType,
    Topic,
    metric_value,
    parse_topic,
    property_quality,
    state_payload,
    state_says_offline,
    state_topic,
    tag_id_for,
    to_signed,
)
from hmi.domain.sparkplug_host import DEVICE_OFFLINE, NODE_OFFLINE, SparkplugHost
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.main_window import MainWindow
from hmi.gui.tag_model import TagTableModel
from hmi.services.runtime import Runtime
from tests.support.mosquitto import MosquittoBroker
from tests.support.sparkplug import CommandListener, EdgeNode, StateWatcher, metric
from tests.support.wait import wait_until

GROUP, NODE = "Plant1", "Edge1"
T0 = 1_800_000_000_000  # ms


def tag(metric_path: str, device: str | None = None) -> str:
    return tag_id_for("spb", SparkplugBinding(GROUP, NODE, device, metric_path))


# -- the rules, without a broker ---------------------------------------------------------


def host(reorder: float = 2.0, metrics: tuple[MetricOverride, ...] = ()) -> SparkplugHost:
    broker = MqttSource(id="spb", host="127.0.0.1")
    return SparkplugHost(SparkplugSource("spb", broker, "cell", (), reorder, metrics))


def m(
    name: str | None, alias: int | None, datatype: SpDataType | None, raw: object, **kw: object
) -> Metric:
    return Metric(name=name, alias=alias, datatype=datatype, raw=raw, **kw)


def topic(kind: MessageType, device: str | None = None) -> Topic:
    return Topic(GROUP, kind, NODE, device)


BIRTH = Payload(
    T0,
    0,
    (
        m("bdSeq", None, SpDataType.INT64, 3),
        m("Node Control/Rebirth", None, SpDataType.BOOLEAN, False),
        m("Temperature", 1, SpDataType.FLOAT, 21.5, properties={"engUnit": "°C"}),
        m("Count", 2, SpDataType.INT32, 7),
    ),
)


def data(seq: int, *metrics: Metric) -> Payload:
    return Payload(T0 + seq, seq, metrics)


def test_signed_integers_are_read_by_their_data_type() -> None:
    assert to_signed(0xFF, 8) == -1
    assert to_signed(0xFFFFFFFF, 8) == -1  # sign-extended into the 32-bit field
    assert to_signed(0x7F, 8) == 127
    assert to_signed(0xFFFF8000, 16) == -32768
    assert to_signed(0x80000000, 32) == -(2**31)
    assert to_signed(2**64 - 2, 64) == -2
    assert metric_value(0xFFFFFFFE, SpDataType.INT32) == -2
    assert metric_value(0xFFFFFFFE, SpDataType.UINT32) == 0xFFFFFFFE
    assert metric_value(2**64 - 1, SpDataType.UINT64) == 2**64 - 1
    assert metric_value(2**64 - 5, SpDataType.INT64) == -5
    assert metric_value(0xFFFFFF9C, SpDataType.INT8) == -100
    assert metric_value(1_800_000_000_123, SpDataType.DATETIME) == "2027-01-15T08:00:00.123Z"
    with pytest.raises(SparkplugError):
        metric_value("7", SpDataType.INT16)
    with pytest.raises(SparkplugError):
        metric_value(math.inf, SpDataType.DOUBLE)


def test_topics_parse_and_malformed_ones_are_refused() -> None:
    assert parse_topic("spBv1.0/G/DDATA/N/D") == Topic("G", MessageType.DDATA, "N", "D")
    assert parse_topic("spBv1.0/G/NBIRTH/N") == Topic("G", MessageType.NBIRTH, "N", None)
    assert parse_topic("spBv1.0/STATE/scada-1") is None
    for bad in (
        "spBv1.0/G/NDATA/N/D",
        "spBv1.0/G/DDATA/N",
        "spAv1.0/G/NDATA/N",
        "spBv1.0/G/XDATA/N",
    ):
        with pytest.raises(SparkplugError):
            parse_topic(bad)


def test_tag_ids_are_stable_and_distinct() -> None:
    assert tag("Temperature") == "spb.Plant1.Edge1.Temperature"
    assert tag("Outlet/Pressure", "Pump1") == "spb.Plant1.Edge1.Pump1.Outlet.Pressure"
    spaced, underscored = tag("Motor Speed"), tag("Motor_Speed")
    assert (
        spaced.startswith("spb.Plant1.Edge1.Motor_Speed-") and len(spaced) == len(underscored) + 9
    )
    assert spaced != underscored
    assert tag("Motor Speed") == spaced  # the same every time


def test_quality_property_codes() -> None:
    assert property_quality(192) is Quality.GOOD
    assert property_quality(0) is Quality.BAD
    assert property_quality(500) is Quality.STALE
    assert property_quality(64) is Quality.UNCERTAIN


def test_birth_declares_tags_and_data_resolves_aliases() -> None:
    h = host()
    out = h.receive(topic(MessageType.NBIRTH), BIRTH, 1.0, 1.0)
    assert [t.id for t in out.declared] == [tag("Temperature"), tag("Count")], "no protocol metrics"
    temperature = out.declared[0]
    assert (temperature.unit, temperature.data_type) == ("°C", DataType.FLOAT)
    assert math.isinf(temperature.stale_after_s), "report by exception: no staleness by time"
    assert {s.tag_id: s.value for s in out.samples} == {tag("Temperature"): 21.5, tag("Count"): 7}
    out = h.receive(topic(MessageType.NDATA), data(1, m(None, 2, None, 0xFFFFFFFB)), 2.0, 2.0)
    (sample,) = out.samples
    assert (sample.tag_id, sample.value, sample.quality) == (tag("Count"), -5, Quality.GOOD)
    assert sample.source_ts == (T0 + 1) / 1000
    assert not out.rebirths and not h.tick(100.0).rebirths


def test_gap_filled_within_the_reorder_timeout_asks_for_nothing() -> None:
    h = host(reorder=2.0)
    h.receive(topic(MessageType.NBIRTH), BIRTH, 0.0, 10.0)
    held = h.receive(topic(MessageType.NDATA), data(2, m(None, 2, None, 2)), 0.0, 10.1)
    assert not held.samples, "held until the missing message comes"
    filled = h.receive(topic(MessageType.NDATA), data(1, m(None, 2, None, 1)), 0.0, 11.0)
    assert [s.value for s in filled.samples] == [1, 2], "applied in sequence order"
    assert not h.tick(20.0).rebirths


def test_gap_not_filled_asks_for_a_rebirth_after_the_timeout_once() -> None:
    h = host(reorder=2.0)
    h.receive(topic(MessageType.NBIRTH), BIRTH, 0.0, 10.0)
    h.receive(topic(MessageType.NDATA), data(2, m(None, 2, None, 2)), 0.0, 10.0)
    assert not h.tick(11.9).rebirths
    out = h.tick(12.0)
    assert out.rebirths == [(GROUP, NODE)]
    assert [s.value for s in out.samples] == [2], "what was held is applied, in order"
    assert not h.tick(13.0).rebirths
    # In sequence again from the held message on.
    assert h.receive(topic(MessageType.NDATA), data(3, m(None, 2, None, 3)), 0.0, 13.0).samples


def test_unknown_alias_asks_for_a_rebirth_unless_a_birth_comes_first() -> None:
    h = host(reorder=1.0)
    h.receive(topic(MessageType.NBIRTH), BIRTH, 0.0, 0.0)
    out = h.receive(
        topic(MessageType.NDATA), data(1, m(None, 99, None, 1), m(None, 2, None, 4)), 0.0, 1.0
    )
    assert [s.value for s in out.samples] == [4], "the known metrics still count"
    assert not h.tick(1.5).rebirths
    assert h.tick(2.0).rebirths == [(GROUP, NODE)]
    h.receive(topic(MessageType.NDATA), data(2, m(None, 98, None, 1)), 0.0, 3.0)
    h.receive(topic(MessageType.NBIRTH), BIRTH, 0.0, 3.5)
    assert not h.tick(10.0).rebirths, "the birth answered the question"


def test_data_before_any_birth_asks_for_a_rebirth_at_once() -> None:
    out = host().receive(topic(MessageType.NDATA), data(5, m(None, 2, None, 1)), 0.0, 0.0)
    assert out.rebirths == [(GROUP, NODE)] and not out.samples


def test_sequence_wraps_from_255_to_0() -> None:
    h = host()
    birth = Payload(T0, 254, BIRTH.metrics)
    h.receive(topic(MessageType.NBIRTH), birth, 0.0, 0.0)
    assert h.receive(topic(MessageType.NDATA), data(255, m(None, 2, None, 1)), 0.0, 0.1).samples
    assert h.receive(topic(MessageType.NDATA), data(0, m(None, 2, None, 2)), 0.0, 0.2).samples
    assert not h.tick(100.0).rebirths


def test_deaths_mark_stale_and_a_late_ndeath_is_ignored() -> None:
    h = host()
    h.receive(topic(MessageType.NBIRTH), BIRTH, 0.0, 0.0)
    device_birth = Payload(T0, 1, (m("Pressure", 10, SpDataType.DOUBLE, 2.5),))
    h.receive(topic(MessageType.DBIRTH, "Pump1"), device_birth, 0.0, 0.0)
    out = h.receive(topic(MessageType.DDEATH, "Pump1"), Payload(T0, 2), 0.0, 0.0)
    assert out.stale == [([tag("Pressure", "Pump1")], DEVICE_OFFLINE)]
    assert h.online(GROUP, NODE) and not h.online(GROUP, NODE, "Pump1")
    newer = Payload(T0, 0, (m("bdSeq", None, SpDataType.INT64, 4), *BIRTH.metrics[1:]))
    h.receive(topic(MessageType.NBIRTH), newer, 0.0, 0.0)
    late = h.receive(topic(MessageType.NDEATH), Payload(T0, None, BIRTH.metrics[:1]), 0.0, 0.0)
    assert not late.stale and "ignored" in late.problems[0]
    assert h.online(GROUP, NODE)
    death = h.receive(topic(MessageType.NDEATH), Payload(T0, None, newer.metrics[:1]), 0.0, 0.0)
    ids, reason = death.stale[0]
    assert reason == NODE_OFFLINE and set(ids) == {
        tag("Temperature"),
        tag("Count"),
        tag("Pressure", "Pump1"),
    }
    assert not h.online(GROUP, NODE)


def test_historical_metrics_go_to_history_only_and_quality_is_carried() -> None:
    h = host()
    h.receive(topic(MessageType.NBIRTH), BIRTH, 0.0, 0.0)
    out = h.receive(
        topic(MessageType.NDATA),
        data(
            1,
            m(None, 1, None, 1.0, is_historical=True, timestamp_ms=T0 - 60_000),
            m(None, 2, None, 9, properties={"Quality": 500}),
        ),
        0.0,
        0.0,
    )
    assert [(s.tag_id, s.value, s.source_ts) for s in out.historical] == [
        (tag("Temperature"), 1.0, (T0 - 60_000) / 1000)
    ]
    assert [(s.tag_id, s.value, s.quality) for s in out.samples] == [
        (tag("Count"), 9, Quality.STALE)
    ]
    bad = h.receive(
        topic(MessageType.NDATA), data(2, m(None, 2, None, 9, properties={"Quality": 0})), 0.0, 0.0
    )
    assert (bad.samples[0].value, bad.samples[0].quality) == (None, Quality.BAD)
    null = h.receive(
        topic(MessageType.NDATA), data(3, m(None, 1, None, None, is_null=True)), 0.0, 0.0
    )
    assert null.samples[0].quality is Quality.BAD and "null" in null.samples[0].reason


def test_overrides_rename_and_scale_a_metric() -> None:
    override = MetricOverride(
        node=NODE,
        metric="Temperature",
        name="Oven temperature",
        unit="K",
        range_lo=0.0,
        range_hi=500.0,
        limits=((LimitKind.HI, 400.0),),
        stale_after_s=30.0,
    )
    declared = (
        host(metrics=(override,)).receive(topic(MessageType.NBIRTH), BIRTH, 0.0, 0.0).declared
    )
    oven = declared[0]
    assert (oven.name, oven.unit, oven.range_hi, oven.limits, oven.stale_after_s) == (
        "Oven temperature",
        "K",
        500.0,
        ((LimitKind.HI, 400.0),),
        30.0,
    )
    assert declared[1].name == "Count", "others as the birth says"


def test_payload_decoding_and_the_rebirth_command() -> None:
    decoded = decode_payload(rebirth_request(T0))
    (command,) = decoded.metrics
    assert (command.name, command.datatype, command.raw) == ("Node Control/Rebirth", 11, True)
    assert decoded.timestamp_ms == T0
    with pytest.raises(SparkplugError, match="not a Sparkplug B payload"):
        decode_payload(b"\xff\xff\xff")
    with pytest.raises(SparkplugError, match="too large"):
        decode_payload(b"\x08\x01" * 10, max_bytes=4)


# -- end to end through a real broker ----------------------------------------------------


@dataclass
class Line:
    runtime: Runtime
    edge: EdgeNode
    commands: CommandListener

    def link_rebirths(self) -> int:
        return sparkplug_link(self.runtime).rebirths_sent


def sparkplug_link(runtime: Runtime) -> SparkplugLink:
    link = runtime.acquisition.links[0]
    assert isinstance(link, SparkplugLink)
    return link


def sparkplug_plant(port: int, reorder: float) -> PlantDef:
    broker = MqttSource(
        id="spb",
        host="127.0.0.1",
        port=port,
        subscriptions=("spBv1.0/Plant1/#",),
        reconnect_min_s=1,
        reconnect_max_s=2,
    )
    source = SparkplugSource("spb", broker, "cell", groups=(GROUP,), reorder_timeout_s=reorder)
    return PlantDef("test", (source,), (), (StationDef("cell", "Cell", ()),))


REORDER_S = 0.3  # short, so that the tests of a rebirth wait little


@pytest.fixture
def line(broker: MosquittoBroker) -> Iterator[Line]:
    runtime = Runtime(sparkplug_plant(broker.port, REORDER_S))
    runtime.start()
    commands = CommandListener(broker.port, GROUP)
    edge = EdgeNode(broker.port, GROUP, NODE)
    try:
        wait_until(
            lambda: runtime.acquisition.health()[0].state is LinkState.CONNECTED, 10, "connect"
        )
        yield Line(runtime, edge, commands)
    finally:
        edge.close()
        commands.close()
        runtime.stop()


def birth(line: Line, bd: int = 0, seq: int = 0) -> None:
    line.edge.nbirth(
        [
            metric("Node Control/Rebirth", None, SpDataType.BOOLEAN, False),
            metric("Temperature", 1, SpDataType.FLOAT, 21.5, properties={"engUnit": "°C"}),
            metric("Count", 2, SpDataType.INT32, -3),
            metric("Small", 3, SpDataType.INT8, -100),
            metric("Total", 4, SpDataType.INT64, -(2**40)),
            metric("Running", 5, SpDataType.BOOLEAN, True),
        ],
        bd=bd,
        seq=seq,
    )
    line.edge.dbirth("Pump1", [metric("Outlet/Pressure", 1, SpDataType.DOUBLE, 2.5)])
    wait_until(lambda: _value(line, tag("Outlet/Pressure", "Pump1")) == 2.5, 10, "births")


def _value(line: Line, tag_id: str) -> object:
    sample = line.runtime.store.snapshot().get(tag_id)
    return None if sample is None else sample.value


def _quality(line: Line, tag_id: str) -> Quality | None:
    sample = line.runtime.store.snapshot().get(tag_id)
    return None if sample is None else sample.quality


def test_birth_then_data_reach_the_tag_store(line: Line) -> None:
    birth(line)
    store = line.runtime.store
    assert _value(line, tag("Count")) == -3
    assert _value(line, tag("Small")) == -100
    assert _value(line, tag("Total")) == -(2**40)
    assert _value(line, tag("Running")) is True
    temperature = store.definitions[tag("Temperature")]
    assert (temperature.name, temperature.unit) == ("Temperature", "°C")
    assert store.definitions[tag("Outlet/Pressure", "Pump1")].name == "Pump1/Outlet/Pressure"
    assert tag("bdSeq") not in store.definitions
    line.edge.ndata(
        [
            metric(None, 1, SpDataType.FLOAT, 23.25, typed=False),
            metric(None, 2, SpDataType.INT32, -7, typed=False),
        ]
    )
    line.edge.ddata("Pump1", [metric(None, 1, SpDataType.DOUBLE, 3.75, typed=False)])
    wait_until(lambda: _value(line, tag("Outlet/Pressure", "Pump1")) == 3.75, 10, "device data")
    assert _value(line, tag("Temperature")) == 23.25
    assert _value(line, tag("Count")) == -7
    assert _quality(line, tag("Count")) is Quality.GOOD
    assert line.link_rebirths() == 0
    assert store.take_declared()  # for the GUI's tables


def test_ndeath_marks_every_value_of_the_node_stale_ddeath_only_the_device(line: Line) -> None:
    birth(line, bd=5)
    line.edge.ddeath("Pump1")
    wait_until(
        lambda: _quality(line, tag("Outlet/Pressure", "Pump1")) is Quality.STALE, 10, "DDEATH"
    )
    assert _quality(line, tag("Temperature")) is Quality.GOOD, "the node itself lives on"
    line.edge.ndeath(5)
    wait_until(lambda: _quality(line, tag("Temperature")) is Quality.STALE, 10, "NDEATH")
    snapshot = line.runtime.store.snapshot()
    node_tags = [t for t in snapshot if t.startswith("spb.Plant1.Edge1.") and "Pump1" not in t]
    assert all(snapshot[t].quality is Quality.STALE for t in node_tags)
    assert snapshot[tag("Temperature")].reason == NODE_OFFLINE
    assert snapshot[tag("Temperature")].value == 21.5, "the last value is kept, marked"


def test_a_late_ndeath_with_an_old_bdseq_is_ignored(line: Line) -> None:
    birth(line, bd=1)
    birth(line, bd=2)  # the node reconnected; its old will arrives late
    line.edge.ndeath(1)
    # Messages are taken in order: once this value is in, the NDEATH was read before it.
    line.edge.ndata([metric(None, 1, SpDataType.FLOAT, 30.5, typed=False)])
    wait_until(lambda: _value(line, tag("Temperature")) == 30.5, 10, "data after the NDEATH")
    assert _quality(line, tag("Temperature")) is Quality.GOOD
    assert _quality(line, tag("Count")) is Quality.GOOD


def test_a_sequence_gap_requests_a_rebirth(line: Line) -> None:
    birth(line)
    line.edge.ndata([metric(None, 2, SpDataType.INT32, 10, typed=False)])
    line.edge.next_seq()  # one message lost
    line.edge.ndata([metric(None, 2, SpDataType.INT32, 12, typed=False)])
    wait_until(line.commands.received, 10, "the rebirth request")
    ((command_topic, command),) = line.commands.received()
    assert command_topic == "spBv1.0/Plant1/NCMD/Edge1"
    (rebirth,) = command.metrics
    assert (rebirth.name, rebirth.boolean_value) == ("Node Control/Rebirth", True)
    assert command.timestamp > 0
    wait_until(lambda: _value(line, tag("Count")) == 12, 10, "the held message, applied")


def test_an_unknown_alias_requests_a_rebirth(line: Line) -> None:
    birth(line)
    line.edge.ndata([metric(None, 77, SpDataType.INT32, 1, typed=False)])
    wait_until(line.commands.received, 10, "the rebirth request")
    assert line.commands.received()[0][0] == "spBv1.0/Plant1/NCMD/Edge1"
    assert line.link_rebirths() == 1


def test_sequence_wrap_from_255_to_0_is_no_gap(broker: MosquittoBroker) -> None:
    # A long reorder timeout: a value held as out of sequence would not arrive in the wait.
    runtime = Runtime(sparkplug_plant(broker.port, 60.0))
    runtime.start()
    edge = EdgeNode(broker.port, GROUP, NODE)
    try:
        wait_until(lambda: runtime.acquisition.health()[0].state is LinkState.CONNECTED, 10)
        edge.nbirth([metric("Count", 2, SpDataType.INT32, 0)], seq=254)
        edge.ndata([metric(None, 2, SpDataType.INT32, 255, typed=False)])
        assert edge.seq == 0
        edge.ndata([metric(None, 2, SpDataType.INT32, 256, typed=False)])
        value = lambda: runtime.store.snapshot().get(tag("Count"))  # noqa: E731
        wait_until(lambda: (v := value()) is not None and v.value == 256, 10, "the value after 0")
        assert sparkplug_link(runtime).rebirths_sent == 0
    finally:
        edge.close()
        runtime.stop()


HOST_ID = "floorline-line1"
STATE = f"spBv1.0/STATE/{HOST_ID}"


def test_as_host_application_it_says_online_and_offline_on_its_state_topic(
    broker: MosquittoBroker,
) -> None:
    watcher = StateWatcher(broker.port)
    plant = sparkplug_plant(broker.port, REORDER_S)
    source = dataclasses.replace(plant.sources[0], host_id=HOST_ID)  # type: ignore[type-var]
    runtime = Runtime(dataclasses.replace(plant, sources=(source,)))
    runtime.start()
    try:
        link = sparkplug_link(runtime)
        wait_until(lambda: len(watcher.received()) >= 1, 10, "the host's birth")
        topic, birth, retained = watcher.received()[0]
        assert (topic, birth["online"], retained) == (STATE, True, False)
        first = birth["timestamp"]
        assert first == link.state_timestamp and abs(first / 1000 - time.time()) < 30

        # The connection drops without a goodbye: the broker sends the will, T as the birth;
        # the host reconnects with a new T and says online again. (Cut once the broker has
        # the birth: paho sends an unacknowledged message again after reconnecting.)
        wait_until(lambda: link.last_birth is not None and link.last_birth.is_published(), 5)
        sock = link._client.socket()  # the abrupt loss the will is for
        assert sock is not None
        sock.shutdown(socket.SHUT_RDWR)

        def said(online: bool, after: int = 0) -> list[int]:
            return [
                int(p["timestamp"])  # type: ignore[call-overload]
                for _, p, _ in watcher.received()
                if p["online"] is online and int(p["timestamp"]) >= after  # type: ignore[call-overload]
            ]

        wait_until(lambda: said(True, first + 1), 20, "the will, then a new birth")
        assert said(False) == [first], "the will, with the birth's T"
        second = said(True, first + 1)[0]
        assert second == link.state_timestamp
        order = [p["online"] for _, p, _ in watcher.received()]
        assert order[:3] == [True, False, True]

        # Another client says the host is offline: the host says online again at once.
        before = link.births_sent
        watcher.publish(STATE, {"online": False, "timestamp": second})
        wait_until(lambda: link.births_sent > before, 10, "the host's answer")
        wait_until(lambda: watcher.received()[-1][1]["online"] is True, 10, "online again")
        births = link.births_sent
    finally:
        runtime.stop()
    # A deliberate stop: the death is published before the disconnect, same T, and the host
    # does not answer its own death, which it hears back while it waits for the broker.
    assert link.births_sent == births
    wait_until(lambda: watcher.received()[-1][1]["online"] is False, 10, "the host's death")
    assert watcher.received()[-1][1]["timestamp"] == second
    watcher.close()
    late = StateWatcher(broker.port)  # what an edge node starting now learns: offline
    try:
        wait_until(lambda: late.received() != [], 10, "the retained STATE")
        assert late.received()[-1][1] == {"online": False, "timestamp": second}
        assert late.received()[-1][2] is True
    finally:
        late.close()


def test_historical_metrics_are_not_live_values(line: Line) -> None:
    birth(line)
    old = round(time.time() * 1000) - 60_000
    line.edge.ndata(
        [metric(None, 1, SpDataType.FLOAT, 99.0, typed=False, historical=True, timestamp_ms=old)]
    )
    line.edge.ndata([metric(None, 2, SpDataType.INT32, 5, typed=False)])
    wait_until(lambda: _value(line, tag("Count")) == 5, 10, "the live value after it")
    assert _value(line, tag("Temperature")) == 21.5, "the historical sample is not the live value"
    history = line.runtime.history
    line.runtime.submit(history.flush()).result(10)
    loaded = history.load(tag("Temperature"), old / 1000 - 1, old / 1000 + 1, 1000).result(10)
    assert 99.0 in list(loaded.v)


def test_quality_property_reaches_the_value(line: Line) -> None:
    birth(line)
    line.edge.ndata(
        [metric(None, 1, SpDataType.FLOAT, 20.0, typed=False, properties={"Quality": 0})]
    )
    wait_until(lambda: _quality(line, tag("Temperature")) is Quality.BAD, 10, "bad quality")


# -- the plant file ----------------------------------------------------------------------

PLANT = """\
[plant]
name = "Line"

[[stations]]
id = "cell"
name = "Cell"
tags = []
"""

SOURCE = """
[[sources]]
id = "spb"
type = "sparkplug"
host = "127.0.0.1"
station = "cell"
"""


def test_a_sparkplug_source_loads_with_its_defaults_and_overrides() -> None:
    text = (
        PLANT
        + SOURCE
        + """groups = ["Plant1", "Plant2"]
reorder_timeout_s = 0.5
host_id = "floorline-line1"

[[sources.metrics]]
group = "Plant1"
node = "Edge1"
device = "Pump1"
metric = "Outlet/Pressure"
name = "Outlet pressure"
unit = "bar"
range = [0, 16]
limits = { hi = 12, hihi = 14 }
stale_after = 30
"""
    )
    plant = load_plant_text(text)
    (source,) = plant.sources
    assert isinstance(source, SparkplugSource)
    assert source.broker.subscriptions == ("spBv1.0/Plant1/#", "spBv1.0/Plant2/#")
    assert (source.station, source.reorder_timeout_s, source.broker.port) == ("cell", 0.5, 1883)
    assert source.host_id == "floorline-line1"
    (override,) = source.metrics
    assert (override.device, override.unit, override.range_hi) == ("Pump1", "bar", 16.0)
    assert override.limits == ((LimitKind.HI, 12.0), (LimitKind.HIHI, 14.0))
    default = load_plant_text(PLANT + SOURCE).sources[0]
    assert isinstance(default, SparkplugSource)
    assert default.broker.subscriptions == ("spBv1.0/#",) and default.reorder_timeout_s == 2.0
    assert default.host_id is None, "a host application only when asked"


def test_state_payloads_say_online_or_offline() -> None:
    assert state_payload(True, 5) == b'{"online": true, "timestamp": 5}'
    assert state_says_offline(state_payload(False, 5))
    assert state_says_offline(state_payload(False, 4)), "an old will is a death too"
    assert not state_says_offline(state_payload(True, 9))
    assert state_says_offline(b'{"online": false}')
    assert not state_says_offline(b"not json")
    assert not state_says_offline(b"[false]")
    assert state_topic("h1") == "spBv1.0/STATE/h1"


@pytest.mark.parametrize(
    ("extra", "where", "message"),
    [
        ('groups = ["Plant/1"]', "sources[0].groups[0]", 'contains no "+", "/" or "#"'),
        ("groups = []", "sources[0].groups", "at least one group"),
        ("reorder_timeout_s = 0", "sources[0].reorder_timeout_s", "greater than 0"),
        ('host_id = "line/1"', "sources[0].host_id", 'contains no "+", "/" or "#"'),
        ('host_id = ""', "sources[0].host_id", "expected a non-empty string"),
        ('subscriptions = ["a/#"]', "sources[0].subscriptions", "unknown key"),
        (
            '[[sources.metrics]]\nmetric = "x"',
            "sources[0].metrics[0].node",
            "required key is missing",
        ),
        (
            '[[sources.metrics]]\nnode = "E"\nmetric = "x"\ngroup = "Other"\n',
            "sources[0].metrics[0].group",
            "not among the source's groups",
        ),
        (
            '[[sources.metrics]]\nnode = "E"\nmetric = "x"\nlimits = { hi = 1, lo = 2 }\n',
            "sources[0].metrics[0].limits.hi",
            "expected lolo < lo < hi < hihi",
        ),
    ],
)
def test_sparkplug_source_problems_are_clear(extra: str, where: str, message: str) -> None:
    text = PLANT + SOURCE
    if 'groups = ["Plant1"]' not in extra and "group = " in extra:
        text += 'groups = ["Plant1"]\n'
    with pytest.raises(ConfigError) as caught:
        load_plant_text(text + extra + "\n")
    problems = [(p.key_path, p.message) for p in caught.value.problems]
    assert any(path == where and message in text_ for path, text_ in problems), problems


def test_a_sparkplug_source_needs_a_known_station_and_takes_no_tags() -> None:
    text = (
        PLANT
        + SOURCE.replace('station = "cell"', 'station = "cel"')
        + """
[[tags]]
id = "t"
source = "spb"
topic = "a/b"
"""
    )
    with pytest.raises(ConfigError) as caught:
        load_plant_text(text)
    messages = {p.key_path: p.message for p in caught.value.problems}
    assert 'no station has the id "cel"' in messages["sources[0].station"]
    assert "did you mean" in messages["sources[0].station"]
    assert "Sparkplug B: its tags come from the edge nodes' births" in messages["tags[0].source"]
    missing = PLANT + SOURCE.replace('station = "cell"\n', "")
    with pytest.raises(ConfigError, match="station"):
        load_plant_text(missing)


# -- on screen ---------------------------------------------------------------------------


def test_births_add_rows_to_the_station_table(
    qtbot: QtBot, qtmodeltester: ModelTester, broker: MosquittoBroker
) -> None:
    runtime = Runtime(sparkplug_plant(broker.port, 2.0))
    runtime.start()
    bridge = RuntimeBridge(runtime.store, runtime.acquisition.health)
    window = MainWindow(runtime.plant, bridge, runtime.clock.now, audible=False)
    qtbot.addWidget(window)
    window.show_station("cell")
    bridge.start()
    edge = EdgeNode(broker.port, GROUP, NODE)
    try:
        model = window.stations["cell"].model
        assert model.rowCount() == 0
        qtbot.waitUntil(
            lambda: runtime.acquisition.health()[0].state is LinkState.CONNECTED, timeout=10_000
        )
        edge.nbirth(
            [metric("Temperature", 1, SpDataType.FLOAT, 21.5, properties={"engUnit": "°C"})]
        )
        edge.dbirth("Pump1", [metric("Outlet/Pressure", 1, SpDataType.DOUBLE, 2.5)])
        qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=10_000)
        names = [model.data(model.index(row, TagTableModel.NAME)) for row in range(2)]
        assert names == ["Temperature", "Pump1/Outlet/Pressure"]
        qtbot.waitUntil(lambda: model.data(model.index(0, TagTableModel.VALUE)) == "21.50")
        assert model.data(model.index(0, TagTableModel.UNIT)) == "°C"
        # The overview's card of the station shows them too, in the births' order.
        [card] = window.overview.cards
        assert list(card.readouts) == [tag("Temperature"), tag("Outlet/Pressure", "Pump1")]
        window.show_overview()
        qtbot.waitUntil(lambda: card.readouts[tag("Temperature")]._value.text() == "21.50")
        qtmodeltester.check(model)
        edge.nbirth([metric("Temperature", 1, SpDataType.FLOAT, 22.0, properties={"engUnit": "K"})])
        qtbot.waitUntil(lambda: model.data(model.index(0, TagTableModel.UNIT)) == "K")
        assert model.rowCount() == 2, "a rebirth changes rows, it adds none"
        assert card.readouts[tag("Temperature")]._unit.text() == "K", "and the card's unit"
        assert len(card.readouts) == 2
    finally:
        edge.close()
        bridge.stop()
        window.close()
        runtime.stop()


def test_a_declared_metric_is_trended_from_the_history_like_any_tag(
    qtbot: QtBot, broker: MosquittoBroker
) -> None:
    runtime = Runtime(sparkplug_plant(broker.port, 2.0))
    runtime.start()
    bridge = RuntimeBridge(runtime.store, runtime.acquisition.health)
    window = MainWindow(
        runtime.plant, bridge, runtime.clock.now, history=runtime.history, audible=False
    )
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    bridge.start()
    edge = EdgeNode(broker.port, GROUP, NODE)
    try:
        qtbot.waitUntil(
            lambda: runtime.acquisition.health()[0].state is LinkState.CONNECTED, timeout=10_000
        )
        temperature = tag("Temperature")
        window.trend_tag(temperature)
        assert window.trends.adhoc.tags() == [], "unknown before its birth: nothing to draw"
        edge.nbirth([metric("Temperature", 1, SpDataType.FLOAT, 21.5)])
        qtbot.waitUntil(lambda: window.trends.tag(temperature) is not None, timeout=10_000)
        window.trends.open_picker()
        picker = window.trends.picker
        assert picker is not None and temperature in picker.tiles, "offered under its station"
        picker.tiles[temperature].click()
        assert window.trends.adhoc.tags() == [temperature]
        picker.close_sheet()
        for value in (22.0, 23.5):
            edge.ndata([metric(None, 1, SpDataType.FLOAT, value, typed=False)])
        runtime.submit(runtime.history.flush()).result(10)
        [pen] = window.trends.adhoc.pens

        def drawn() -> list[float]:
            window.trends.adhoc.refresh(runtime.clock.now())
            _x, y = pen.curve.getData()
            return [] if y is None else [float(v) for v in y if not math.isnan(v)]

        qtbot.waitUntil(lambda: 23.5 in drawn(), timeout=10_000)

        # A change of language rebuilds the page: the declared pen stays on the trend.
        before = window.trends
        window.language.set_language("de")
        qtbot.waitUntil(lambda: window.trends is not before, timeout=10_000)
        assert window.trends.adhoc.tags() == [temperature]
        before = window.trends
        window.language.set_language("en")  # back, before the runtime stops under it
        qtbot.waitUntil(lambda: window.trends is not before, timeout=10_000)
    finally:
        edge.close()
        bridge.stop()
        window.close()
        runtime.stop()


def test_the_example_in_the_plant_file_reference_loads() -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "plant-file.md").read_text("utf-8")
    blocks = re.findall(r"```toml\n(# \[\[sources\]\]: a Sparkplug.*?)```", docs, re.DOTALL)
    assert len(blocks) == 1
    station = '\n[[stations]]\nid = "line2-edge"\ntags = []\n'
    plant = load_plant_text('[plant]\nname = "Line 2"\n' + blocks[0] + station)
    (source,) = plant.sources
    assert isinstance(source, SparkplugSource)
    assert source.metrics[0].name == "Pump 1 outlet pressure"
