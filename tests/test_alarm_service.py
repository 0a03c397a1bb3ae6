"""The alarm service in a real runtime: values from Mosquitto, actions by role, the journal."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from hmi.domain.alarms import (
    AlarmActionError,
    AlarmDef,
    AlarmKind,
    AlarmState,
    Event,
    Priority,
    condition_alarm_id,
)
from hmi.domain.health import LinkState
from hmi.domain.plant import (
    Codec,
    CodecKind,
    DataType,
    MachineState,
    MqttBinding,
    MqttSource,
    OpcUaSource,
    PlantDef,
    StationDef,
    TagDef,
)
from hmi.domain.records import parse_envelope
from hmi.domain.roles import PermissionDeniedError
from hmi.domain.users import SignInPolicy
from hmi.services.runtime import Runtime
from hmi.storage import alarm_journal, journal, outbox
from tests.support.mosquitto import MosquittoBroker
from tests.support.opcua_alarm_server import AlarmServerProcess, condition_node_id
from tests.support.upstream import PINS, sample_users
from tests.support.wait import free_port, wait_until
from tests.test_acquisition import Publisher


def alarm_plant(port: int) -> PlantDef:
    source = MqttSource(
        id="broker", host="127.0.0.1", port=port, reconnect_min_s=0.2, reconnect_max_s=0.5
    )
    number = Codec(CodecKind.NUMBER)
    tags = (
        TagDef("temp", "Temperature", "broker", MqttBinding("line/temp", number), unit="°C"),
        TagDef(
            "state",
            "State",
            "broker",
            MqttBinding("line/state", Codec(CodecKind.STRING)),
            data_type=DataType.STRING,
        ),
    )
    alarms = (
        AlarmDef(
            "temp.hi",
            "filler",
            "temp",
            AlarmKind.HI,
            Priority.HIGH,
            "Bowl temperature high",
            "Check the heater",
            setpoint=80.0,
            deadband=1.0,
            max_shelve_s=3600,
            suppress_when=frozenset({MachineState.STOPPED}),
        ),
        AlarmDef(
            "temp.lost", "filler", "temp", AlarmKind.SOURCE_LOST, Priority.MEDIUM, "Broker lost"
        ),
    )
    station = StationDef("filler", "Filler", ("temp", "state"), state_tag="state")
    return PlantDef(
        "alarms",
        (source,),
        tags,
        (station,),
        users=sample_users(),
        sign_in=SignInPolicy(idle_lock_s=0),
        alarms=alarms,
    )


class Rig:
    def __init__(self, broker: MosquittoBroker, cache: Path) -> None:
        self.broker, self.cache = broker, cache
        self.pub = Publisher(broker.port)
        self.runtime = self.start()

    def start(self) -> Runtime:
        runtime = Runtime(alarm_plant(self.broker.port), cache_path=self.cache, station="filler")
        runtime.start()
        wait_until(
            lambda: runtime.acquisition.health()[0].state is LinkState.CONNECTED, 10, "connect"
        )
        self.runtime = runtime
        return runtime

    def sign_in(self, user: str) -> None:
        assert self.runtime.submit(self.runtime.session.sign_in(user, PINS[user])).result(10) == ""

    def state(self, alarm_id: str = "temp.hi") -> AlarmState:
        views = {v.id: v for v in self.runtime.alarms.views()}
        return views[alarm_id].state

    def wait_state(self, wanted: AlarmState, alarm_id: str = "temp.hi") -> None:
        wait_until(lambda: self.state(alarm_id) is wanted, 10, f"{alarm_id} {wanted}")

    def journal(self) -> list[tuple[str, Event, AlarmState, str]]:
        rows = self.runtime.submit(
            self.runtime.alarms.load_journal(alarm_journal.JournalQuery(0, 4e9))
        ).result(10)
        return [(t.alarm_id, t.event, t.state, t.user) for t in rows]


@pytest.fixture
def rig(broker: MosquittoBroker, tmp_path: Path) -> Iterator[Rig]:
    r = Rig(broker, tmp_path / "cache.sqlite")
    yield r
    r.runtime.stop()
    r.pub.close()


def test_a_limit_alarm_from_the_broker_is_acknowledged_recorded_and_journaled(rig: Rig) -> None:
    rt = rig.runtime
    rig.pub.send("line/temp", "85")
    rig.wait_state(AlarmState.UNACK)
    view = next(v for v in rt.alarms.views() if v.id == "temp.hi")
    assert view.value == 85.0 and view.response == "Check the heater"
    with pytest.raises(PermissionDeniedError):  # nobody signed in
        rt.submit(rt.alarms.acknowledge(["temp.hi"])).result(10)
    rig.sign_in("olga")
    assert rt.submit(rt.alarms.acknowledge(["temp.hi"], "seen it")).result(10) == []
    assert rig.state() is AlarmState.ACKED
    rig.pub.send("line/temp", "70")
    rig.wait_state(AlarmState.NORM)
    assert rig.journal() == [
        ("temp.hi", Event.ACTIVE, AlarmState.UNACK, ""),
        ("temp.hi", Event.ACKNOWLEDGED, AlarmState.ACKED, "olga"),
        ("temp.hi", Event.CLEARED, AlarmState.NORM, ""),
    ]
    assert rt.db.read(outbox.summary).pending == 1
    bodies = rt.db.read(lambda db: db.execute("SELECT body FROM records").fetchall())
    [record] = [parse_envelope(body) for (body,) in bodies]
    assert record.kind.value == "alarm_action" and record.user == "olga"
    assert record.payload["action"] == "acknowledge"
    assert record.payload["state_before"] == "UNACK" and record.payload["text"] == "seen it"
    denied = [e for e in rt.db.read(lambda db: list(journal.audit_entries(db)))]
    assert any(e.action == "alarm.acknowledge" and e.result == "denied" for e in denied)


def test_shelving_is_for_leads_bounded_and_refusals_are_audited(rig: Rig) -> None:
    rt = rig.runtime
    rig.pub.send("line/temp", "85")
    rig.wait_state(AlarmState.UNACK)
    rig.sign_in("olga")
    with pytest.raises(PermissionDeniedError):
        rt.submit(rt.alarms.shelve("temp.hi", 600, "known")).result(10)
    rig.sign_in("leo")
    with pytest.raises(AlarmActionError, match="at most 60 min"):
        rt.submit(rt.alarms.shelve("temp.hi", 7200, "known")).result(10)
    rt.submit(rt.alarms.shelve("temp.hi", 600, "sensor being replaced")).result(10)
    view = next(v for v in rt.alarms.views() if v.id == "temp.hi")
    assert view.state is AlarmState.SHLVD and view.shelved_by == "leo"
    assert view.shelve_reason == "sensor being replaced"
    entries = rt.db.read(lambda db: list(journal.audit_entries(db)))
    results = [(e.user, e.action, e.result) for e in entries if e.action.startswith("alarm")]
    assert results == [
        ("olga", "alarm.shelve", "denied"),
        ("leo", "alarm.shelve", "refused"),
    ]
    assert any(e.action == "record.alarm_action" and e.user == "leo" for e in entries)


def test_out_of_service_survives_a_restart_and_suppression_follows_the_machine(
    rig: Rig,
) -> None:
    rt = rig.runtime
    rig.sign_in("erin")
    rt.submit(rt.alarms.remove_from_service("temp.hi", "transmitter replaced")).result(10)
    rig.pub.send("line/temp", "85")
    wait_until(lambda: any(t[1] is Event.ACTIVE for t in rig.journal()), 10, "activation")
    assert rig.state() is AlarmState.OOSRV
    rt.stop()
    rt = rig.start()
    assert rig.state() is AlarmState.OOSRV
    view = next(v for v in rt.alarms.views() if v.id == "temp.hi")
    assert (view.oos_by, view.oos_reason) == ("erin", "transmitter replaced")
    rig.sign_in("erin")
    rt.submit(rt.alarms.return_to_service("temp.hi")).result(10)
    rig.pub.send("line/temp", "86")
    rig.wait_state(AlarmState.UNACK)
    rig.pub.send("line/state", "stopped")
    rig.wait_state(AlarmState.DSUPR)
    rig.pub.send("line/state", "running")
    rig.wait_state(AlarmState.UNACK)


def test_losing_the_broker_raises_the_comms_alarm(rig: Rig) -> None:
    rig.pub.send("line/temp", json.dumps(20))
    wait_until(lambda: rig.runtime.store.get("temp").value == 20.0, 10, "a value")
    rig.broker.kill()
    rig.wait_state(AlarmState.UNACK, "temp.lost")
    rig.broker.start()
    rig.wait_state(AlarmState.RTNUN, "temp.lost")


def test_an_opc_ua_condition_is_listed_acknowledged_at_the_server_and_refreshed(
    tmp_path: Path,
) -> None:
    server = AlarmServerProcess(free_port())
    stuck = [{"name": "Jam", "optional": True, "active": True, "severity": 700, "message": "Jam"}]
    server.start(stuck)
    source = OpcUaSource(
        id="plc",
        url=server.url,
        publishing_interval_ms=50,
        reconnect_min_s=0.2,
        reconnect_max_s=0.5,
        conditions=True,
        conditions_station="filler",
    )
    plant = dataclasses.replace(alarm_plant(1), sources=(source,), tags=(), alarms=())
    plant = dataclasses.replace(plant, stations=(StationDef("filler", "Filler", ()),))
    runtime = Runtime(plant, cache_path=tmp_path / "cache.sqlite", station="filler")
    runtime.start()
    alarm_id = condition_alarm_id("plc", condition_node_id("Jam"))

    def state() -> AlarmState | None:
        views = {v.id: v for v in runtime.alarms.views()}
        return views[alarm_id].state if alarm_id in views else None

    try:
        wait_until(lambda: state() is AlarmState.UNACK, 20, "the condition from the refresh")
        view = next(v for v in runtime.alarms.views() if v.id == alarm_id)
        assert (view.priority, view.message, view.station) == (Priority.HIGH, "Jam", "filler")
        pin = PINS["olga"]
        assert runtime.submit(runtime.session.sign_in("olga", pin)).result(10) == ""
        assert runtime.submit(runtime.alarms.acknowledge([alarm_id], "on it")).result(10) == []
        wait_until(lambda: state() is AlarmState.ACKED, 10, "the server's acknowledged event")
        assert runtime.db.read(outbox.summary).pending == 1
        server.kill()
        server.start(stuck)  # a new server: the condition is active and unacknowledged again
        wait_until(lambda: state() is AlarmState.UNACK, 30, "the refresh after the restart")
    finally:
        runtime.stop()
        server.kill()


def test_activations_become_bands_on_the_trends_of_their_tag(rig: Rig) -> None:
    rt = rig.runtime
    rig.pub.send("line/temp", "85")
    rig.wait_state(AlarmState.UNACK)
    rig.pub.send("line/temp", "70")
    rig.wait_state(AlarmState.RTNUN)

    def bands() -> list[tuple[str, bool, str]]:
        events = rt.history.events(0, 4e9).result(10)
        return [(e.subject, e.end is not None, e.text) for e in events if e.kind == "alarm"]

    wait_until(lambda: bands() == [("temp#temp.hi", True, "High: Bowl temperature high")], 10)
