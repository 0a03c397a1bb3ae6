"""Writes to the plant: bounded, by role, read back from a real server, never queued."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from hmi.domain.health import LinkState
from hmi.domain.plant import (
    Codec,
    CodecKind,
    DataType,
    MqttBinding,
    MqttSource,
    OpcUaBinding,
    OpcUaSource,
    PlantDef,
    StationDef,
    TagDef,
)
from hmi.domain.quality import Quality
from hmi.domain.records import parse_envelope
from hmi.domain.roles import PermissionDeniedError
from hmi.domain.tags import TagValue
from hmi.domain.users import SignInPolicy
from hmi.domain.writes import WriteDef, WriteRefusedError, check_write
from hmi.gui import theme
from hmi.gui.about import Subject
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.main_window import MainWindow
from hmi.gui.session_control import OperatorServices
from hmi.gui.tasks import ServiceTasks
from hmi.gui.touch import TouchButton
from hmi.gui.write_sheet import WritableTags, WriteSheet
from hmi.services.runtime import Runtime
from hmi.storage import journal
from tests.support.images import assert_matches_approved
from tests.support.mosquitto import MosquittoBroker
from tests.support.opcua_server import OpcUaServerProcess
from tests.support.upstream import PINS, sample_users
from tests.support.wait import free_port, wait_until

SETPOINT = TagDef(
    "setpoint",
    "Bowl setpoint",
    "plc",
    OpcUaBinding("ns=2;s=Test.Float"),
    unit="°C",
    range_lo=0,
    range_hi=120,
    write=WriteDef(lo=10, hi=95, max_step=20, readback_s=5),
)


def good(value: object, quality: Quality = Quality.GOOD) -> TagValue:
    return TagValue("setpoint", value, quality, "", 0.0, 0.0, 0.0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("tag", "current", "value", "why"),
    [
        (TagDef("ro", "Speed", "plc", OpcUaBinding("x")), good(1.0), 2.0, "not writable"),
        (SETPOINT, good(50.0, Quality.STALE), 55.0, "not good now"),
        (SETPOINT, good(50.0), 96.0, "outside 10 … 95"),
        (SETPOINT, good(12.0), 5.0, "outside 10 … 95"),
        (SETPOINT, good(50.0), 71.0, "more than 20 in one step"),
        (SETPOINT, good(50.0), "hot", "not a number"),
    ],
)
def test_writes_outside_the_rules_are_refused(
    tag: TagDef, current: TagValue, value: object, why: str
) -> None:
    with pytest.raises(WriteRefusedError, match=why):
        check_write(tag, current, value)


def test_a_write_within_the_rules_is_the_value_to_send() -> None:
    assert check_write(SETPOINT, good(50.0), "65,5") == 65.5


def plant(url: str, port: int) -> PlantDef:
    opc = OpcUaSource(id="plc", url=url, publishing_interval_ms=100, reconnect_min_s=0.5)
    broker = MqttSource(id="broker", host="127.0.0.1", port=port, reconnect_min_s=0.2)
    speed = TagDef(
        "speed",
        "Conveyor speed",
        "broker",
        MqttBinding("line/speed", Codec(CodecKind.NUMBER)),
        data_type=DataType.INT,
        write=WriteDef(lo=0, hi=600, max_step=100, readback_s=1.0),
    )
    station = StationDef("filler", "Filler", ("setpoint", "speed"))
    return PlantDef(
        "writes",
        (opc, broker),
        (SETPOINT, speed),
        (station,),
        users=sample_users(),
        sign_in=SignInPolicy(idle_lock_s=0),
    )


class Device:
    """A device on the broker that applies commands and reports its value back (or not)."""

    def __init__(self, port: int, echo: bool) -> None:
        self.echo = echo
        self.commands: list[bytes] = []
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2)
        self.client.on_message = self._on_message
        self.client.connect("127.0.0.1", port)
        subscribed = threading.Event()
        self.client.on_subscribe = lambda *_: subscribed.set()
        self.client.subscribe("line/speed/set", qos=1)
        self.client.loop_start()
        assert subscribed.wait(5)
        self.client.publish("line/speed", b"300", qos=1, retain=True).wait_for_publish(5)

    def _on_message(self, _c: object, _u: object, msg: mqtt.MQTTMessage) -> None:
        self.commands.append(msg.payload)
        if self.echo:
            self.client.publish("line/speed", msg.payload, qos=1, retain=True)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


@pytest.fixture
def runtime(
    broker: MosquittoBroker, tmp_path: Path
) -> Iterator[tuple[Runtime, OpcUaServerProcess]]:
    server = OpcUaServerProcess(free_port())
    server.start()
    rt = Runtime(plant(server.url, broker.port), cache_path=tmp_path / "cache.sqlite")
    rt.start()
    wait_until(
        lambda: all(h.state is LinkState.CONNECTED for h in rt.acquisition.health()), 20, "links"
    )
    wait_until(lambda: rt.store.get("setpoint").quality is Quality.GOOD, 10, "a good setpoint")
    yield rt, server
    rt.stop()
    server.kill()


def sign_in(rt: Runtime, user: str) -> None:
    assert rt.submit(rt.session.sign_in(user, PINS[user])).result(10) == ""


def test_a_lead_writes_a_setpoint_the_server_reads_back_and_it_is_on_record(
    runtime: tuple[Runtime, OpcUaServerProcess],
) -> None:
    rt, server = runtime
    sign_in(rt, "olga")
    with pytest.raises(PermissionDeniedError):  # operators do not write to the plant
        rt.submit(rt.interventions.write("setpoint", 15.0, "warming up")).result(10)
    sign_in(rt, "leo")
    outcome = rt.submit(
        rt.interventions.write("setpoint", 15.0, "warming up", {"alarm": "temp.lo"})
    ).result(10)
    assert (outcome.old, outcome.new, outcome.read_back, outcome.confirmed) == (
        0.0,
        15.0,
        15.0,
        True,
    )
    wait_until(lambda: rt.store.get("setpoint").value == 15.0, 10, "the new value subscribed")
    with pytest.raises(WriteRefusedError, match="more than 20"):
        rt.submit(rt.interventions.write("setpoint", 40.0, "faster")).result(10)
    [body] = rt.db.read(lambda db: db.execute("SELECT body FROM records").fetchall())
    record = parse_envelope(body[0])
    assert record.user == "leo" and record.kind.value == "intervention"
    assert record.payload == {
        "text": "warming up",
        "action": "write",
        "tag": "setpoint",
        "unit": "°C",
        "old": 0.0,
        "new": 15.0,
        "read_back": 15.0,
        "result": "confirmed",
        "about": {"alarm": "temp.lo"},
    }
    trail = [
        (e.user, e.result)
        for e in rt.db.read(lambda db: list(journal.audit_entries(db)))
        if e.action == "tag.write"
    ]
    assert trail == [("olga", "denied"), ("leo", "sent"), ("leo", "refused")]
    server.kill()
    wait_until(lambda: rt.acquisition.health()[0].state is not LinkState.CONNECTED, 10, "down")
    with pytest.raises(WriteRefusedError, match="not connected"):
        rt.submit(rt.interventions.write("setpoint", 20.0, "after the outage")).result(10)


def test_an_mqtt_command_is_confirmed_only_when_the_device_reports_the_value(
    runtime: tuple[Runtime, OpcUaServerProcess], broker: MosquittoBroker
) -> None:
    rt, _ = runtime
    sign_in(rt, "leo")
    device = Device(broker.port, echo=True)
    try:
        wait_until(lambda: rt.store.get("speed").value == 300, 10, "the device's value")
        outcome = rt.submit(rt.interventions.write("speed", 350, "catch up")).result(10)
        assert (outcome.new, outcome.read_back, outcome.confirmed) == (350, 350, True)
        assert device.commands == [b"350"]
        device.echo = False  # the device stops answering: the write is not confirmed
        outcome = rt.submit(rt.interventions.write("speed", 400, "catch up more")).result(10)
        assert (outcome.read_back, outcome.confirmed) == (350, False)
        assert outcome.record.payload["result"] == "not confirmed"
    finally:
        device.close()


def test_the_write_sheet_checks_as_you_type_shows_old_and_new_and_says_what_the_plant_took(
    qtbot: QtBot, qapp: QApplication, runtime: tuple[Runtime, OpcUaServerProcess]
) -> None:
    theme.apply(qapp)
    rt, _ = runtime
    sign_in(rt, "leo")
    window = QWidget()
    window.resize(1280, 800)
    qtbot.addWidget(window)
    window.show()
    tasks = ServiceTasks(rt.submit, window)
    sheet = WriteSheet(window, tasks, rt.interventions)
    subject = Subject({"alarm": "temp.lo"}, "alarm: Bowl temperature low")
    sheet.ask(SETPOINT, rt.store.get("setpoint"), subject)
    assert "For alarm: Bowl temperature low" in sheet.bounds.text()
    keys = {b.text(): b for b in sheet.pad.findChildren(TouchButton)}
    for key in "99":
        keys[key].click()
    assert "outside 10 … 95" in sheet.message.text() and not sheet.next.isEnabled()
    keys["⌫"].click()
    keys["⌫"].click()
    keys["1"].click()
    keys["5"].click()
    assert not sheet.next.isEnabled()  # a reason first
    sheet.reason.setText("warming up")
    assert sheet.next.isEnabled()
    assert_matches_approved(sheet.grab().toImage(), "write_entry")
    sheet.next.click()
    assert sheet.change.text() == "0.0 °C  →  15.0 °C"
    assert_matches_approved(sheet.grab().toImage(), "write_review")
    sheet.write_button.click()
    qtbot.waitUntil(lambda: "✓ Written" in sheet.message.text(), timeout=10_000)
    assert rt.store.get("setpoint").value == 15.0 or sheet.message.text().endswith("15.0 °C.")
    [(body,)] = rt.db.read(lambda db: db.execute("SELECT body FROM records").fetchall())
    assert parse_envelope(body).payload["about"] == {"alarm": "temp.lo"}
    tasks.close()


def test_a_station_with_writable_tags_offers_to_change_them(
    qtbot: QtBot, runtime: tuple[Runtime, OpcUaServerProcess]
) -> None:
    rt, _ = runtime
    bridge = RuntimeBridge(rt.store, rt.acquisition.health)
    window = MainWindow(rt.plant, bridge, rt.clock.now, OperatorServices.of(rt), audible=False)
    qtbot.addWidget(window)
    window.show()
    window.show_station("filler")
    window.write_buttons["filler"].click()
    chooser = next(w for w in window.findChildren(WritableTags) if w.is_open)
    tiles = {b.text(): b for b in chooser.findChildren(TouchButton)}
    assert set(tiles) == {"Bowl setpoint", "Conveyor speed", "Cancel"}
    tiles["Bowl setpoint"].click()
    sheet = window.write_sheet
    assert sheet is not None and sheet.is_open and sheet.title.text() == "Change Bowl setpoint"
    window.close()
