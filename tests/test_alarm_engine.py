"""The ISA-18.2 state model, detection with deadband and delays, shelving: pure domain."""

from __future__ import annotations

import pytest

from hmi.domain.alarms import (
    AlarmActionError,
    AlarmDef,
    AlarmEngine,
    AlarmKind,
    AlarmState,
    ConditionUpdate,
    Event,
    Priority,
    Shelving,
    Transition,
    condition_alarm_id,
)
from hmi.domain.plant import MachineState
from hmi.domain.quality import Quality

T0 = 1_800_000_000.0
GOOD = Quality.GOOD


def hi(**kw: object) -> AlarmDef:
    fields: dict[str, object] = {
        "id": "temp.hi",
        "station": "filler",
        "tag": "temp",
        "kind": AlarmKind.HI,
        "priority": Priority.HIGH,
        "message": "Temperature high",
        "setpoint": 80.0,
    }
    fields.update(kw)
    return AlarmDef(**fields)  # type: ignore[arg-type]


def events(transitions: list[Transition]) -> list[tuple[Event, AlarmState]]:
    return [(t.event, t.state) for t in transitions]


def state(engine: AlarmEngine, alarm_id: str = "temp.hi") -> AlarmState:
    return engine.alarms[alarm_id].state


def test_active_ack_clear_follows_norm_unack_acked_norm() -> None:
    engine = AlarmEngine((hi(),))
    assert events(engine.sample("temp", 79.0, GOOD, T0)) == []
    assert events(engine.sample("temp", 81.0, GOOD, T0 + 1)) == [(Event.ACTIVE, AlarmState.UNACK)]
    assert engine.sample("temp", 82.0, GOOD, T0 + 2) == []  # still active: nothing new
    ack = engine.acknowledge("temp.hi", T0 + 3, "olga", "seen")
    assert (ack.event, ack.state, ack.user, ack.text) == (
        Event.ACKNOWLEDGED,
        AlarmState.ACKED,
        "olga",
        "seen",
    )
    assert events(engine.sample("temp", 70.0, GOOD, T0 + 4)) == [(Event.CLEARED, AlarmState.NORM)]


def test_clear_before_ack_stays_listed_as_rtnun_until_acknowledged() -> None:
    engine = AlarmEngine((hi(),))
    engine.sample("temp", 81.0, GOOD, T0)
    assert events(engine.sample("temp", 70.0, GOOD, T0 + 1)) == [(Event.CLEARED, AlarmState.RTNUN)]
    assert engine.acknowledge("temp.hi", T0 + 2, "olga").state is AlarmState.NORM
    with pytest.raises(AlarmActionError, match="nothing to acknowledge"):
        engine.acknowledge("temp.hi", T0 + 3, "olga")


def test_deadband_keeps_the_alarm_until_the_value_is_clear_of_it() -> None:
    engine = AlarmEngine((hi(deadband=2.0),))
    engine.sample("temp", 80.0, GOOD, T0)
    assert state(engine) is AlarmState.UNACK
    assert engine.sample("temp", 78.5, GOOD, T0 + 1) == []  # within 2 of the limit
    assert events(engine.sample("temp", 77.9, GOOD, T0 + 2)) == [(Event.CLEARED, AlarmState.RTNUN)]
    assert engine.sample("temp", 79.9, GOOD, T0 + 3) == []  # re-arming needs the limit itself


def test_low_limits_alarm_at_or_below() -> None:
    engine = AlarmEngine((hi(id="lo", kind=AlarmKind.LOLO, setpoint=5.0, deadband=1.0),))
    assert engine.sample("temp", 5.5, GOOD, T0) == []
    assert events(engine.sample("temp", 5.0, GOOD, T0 + 1))[0][0] is Event.ACTIVE
    assert engine.sample("temp", 5.9, GOOD, T0 + 2) == []
    assert events(engine.sample("temp", 6.1, GOOD, T0 + 3))[0][0] is Event.CLEARED


def test_on_delay_needs_the_condition_to_hold_and_a_blip_never_alarms() -> None:
    engine = AlarmEngine((hi(on_delay_s=5.0),))
    assert engine.sample("temp", 85.0, GOOD, T0) == []
    assert engine.tick(T0 + 4.9) == []
    assert engine.sample("temp", 70.0, GOOD, T0 + 4.95) == []  # the blip ended in time
    assert engine.tick(T0 + 10) == []
    engine.sample("temp", 85.0, GOOD, T0 + 20)
    assert engine.next_due() == T0 + 25
    ticked = engine.tick(T0 + 25)
    assert events(ticked) == [(Event.ACTIVE, AlarmState.UNACK)] and ticked[0].ts == T0 + 25


def test_off_delay_holds_the_alarm_after_the_value_returns() -> None:
    engine = AlarmEngine((hi(off_delay_s=10.0),))
    engine.sample("temp", 85.0, GOOD, T0)
    assert engine.sample("temp", 70.0, GOOD, T0 + 1) == []
    assert engine.sample("temp", 85.0, GOOD, T0 + 5) == []  # back above: the clear is cancelled
    assert engine.tick(T0 + 20) == []
    engine.sample("temp", 70.0, GOOD, T0 + 30)
    assert events(engine.tick(T0 + 40)) == [(Event.CLEARED, AlarmState.RTNUN)]


def test_bad_data_holds_the_verdict_and_is_flagged() -> None:
    engine = AlarmEngine((hi(),))
    engine.sample("temp", 85.0, GOOD, T0)
    assert engine.sample("temp", 20.0, Quality.BAD, T0 + 1) == []
    alarm = engine.alarms["temp.hi"]
    assert alarm.active and alarm.bad_input
    engine.sample("temp", 20.0, GOOD, T0 + 2)
    assert not alarm.active and not alarm.bad_input


def test_discrete_equals_bit_and_text() -> None:
    engine = AlarmEngine(
        (
            hi(id="fault", kind=AlarmKind.EQUALS, setpoint=3.0),
            hi(id="bit2", kind=AlarmKind.BIT, setpoint=2.0, tag="word"),
            hi(id="jam", kind=AlarmKind.EQUALS, text="JAM", tag="mode"),
        )
    )
    assert events(engine.sample("temp", 3, GOOD, T0))[0][0] is Event.ACTIVE
    assert engine.sample("word", 0b011, GOOD, T0) == []
    assert events(engine.sample("word", 0b100, GOOD, T0 + 1))[0][0] is Event.ACTIVE
    assert events(engine.sample("mode", "JAM", GOOD, T0))[0][0] is Event.ACTIVE
    assert events(engine.sample("mode", "RUN", GOOD, T0 + 1))[0][0] is Event.CLEARED


def test_rate_of_change_over_its_window() -> None:
    engine = AlarmEngine((hi(id="rate", kind=AlarmKind.RATE, setpoint=1.0, rate_window_s=10),))
    for i in range(11):  # 0.5 per second: no alarm
        assert engine.sample("temp", 50 + 0.5 * i, GOOD, T0 + i) == []
    fired = [engine.sample("temp", 55 + 2.0 * i, GOOD, T0 + 10 + i) for i in range(1, 11)]
    assert next(e for f in fired for e in events(f))[0] is Event.ACTIVE


def test_comms_alarms_follow_quality() -> None:
    engine = AlarmEngine(
        (
            hi(id="lost", kind=AlarmKind.SOURCE_LOST, on_delay_s=2.0),
            hi(id="stale", kind=AlarmKind.STALE),
        )
    )
    out = engine.sample("temp", 1.0, Quality.STALE, T0)
    assert [t.alarm_id for t in out] == ["stale"]
    assert engine.sample("temp", 1.0, Quality.NO_CONNECTION, T0 + 1) == []
    assert [t.alarm_id for t in engine.tick(T0 + 3)] == ["lost"]
    out = engine.sample("temp", 1.0, GOOD, T0 + 4)
    assert sorted((t.alarm_id, t.event) for t in out) == [
        ("lost", Event.CLEARED),
        ("stale", Event.CLEARED),
    ]


def test_timed_shelve_is_bounded_expires_and_reannunciates() -> None:
    engine = AlarmEngine((hi(max_shelve_s=3600),))
    engine.sample("temp", 85.0, GOOD, T0)
    with pytest.raises(AlarmActionError, match="at most 60 min"):
        engine.shelve("temp.hi", T0, "leo", "sensor swap", 3601)
    with pytest.raises(AlarmActionError, match="time limit"):
        engine.shelve("temp.hi", T0, "leo", "sensor swap", 0)
    with pytest.raises(AlarmActionError, match="reason"):
        engine.shelve("temp.hi", T0, "leo", " ", 600)
    shelved = engine.shelve("temp.hi", T0 + 1, "leo", "sensor swap", 600)
    assert shelved.state is AlarmState.SHLVD and shelved.until == T0 + 601
    assert engine.tick(T0 + 600) == []
    expired = engine.tick(T0 + 601)
    assert [(t.event, t.state, t.annunciated) for t in expired] == [
        (Event.UNSHELVED, AlarmState.UNACK, True)
    ]


def test_an_alarm_activating_while_shelved_is_not_annunciated() -> None:
    engine = AlarmEngine((hi(),))
    engine.shelve("temp.hi", T0, "leo", "known fault", 600)
    active = engine.sample("temp", 85.0, GOOD, T0 + 1)
    assert [(t.event, t.state, t.annunciated) for t in active] == [
        (Event.ACTIVE, AlarmState.SHLVD, False)
    ]
    back = engine.unshelve("temp.hi", T0 + 2, "leo")
    assert [(t.event, t.state) for t in back] == [
        (Event.UNSHELVED, AlarmState.ACKED),
        (Event.ACTIVE, AlarmState.UNACK),
    ]
    assert back[1].annunciated


def test_one_shot_shelve_ends_when_the_alarm_clears() -> None:
    engine = AlarmEngine((hi(),))
    with pytest.raises(AlarmActionError, match="active"):
        engine.shelve("temp.hi", T0, "leo", "nuisance", None)
    engine.sample("temp", 85.0, GOOD, T0)
    assert engine.shelve("temp.hi", T0 + 1, "leo", "nuisance", None).state is AlarmState.SHLVD
    cleared = engine.sample("temp", 70.0, GOOD, T0 + 2)
    assert events(cleared) == [
        (Event.CLEARED, AlarmState.SHLVD),
        (Event.UNSHELVED, AlarmState.NORM),
    ]


def test_out_of_service_needs_a_reason_and_hides_until_returned() -> None:
    engine = AlarmEngine((hi(),))
    with pytest.raises(AlarmActionError, match="reason"):
        engine.remove_from_service("temp.hi", T0, "max", "")
    oos = engine.remove_from_service("temp.hi", T0, "max", "transmitter replaced")
    assert oos.state is AlarmState.OOSRV
    assert [t.annunciated for t in engine.sample("temp", 85.0, GOOD, T0 + 1)] == [False]
    with pytest.raises(AlarmActionError, match="out of service"):
        engine.shelve("temp.hi", T0 + 2, "max", "x", 60)
    back = engine.return_to_service("temp.hi", T0 + 3, "max")
    assert events(back) == [
        (Event.RETURNED_TO_SERVICE, AlarmState.ACKED),
        (Event.ACTIVE, AlarmState.UNACK),
    ]


def test_suppression_by_design_follows_the_machine_state() -> None:
    engine = AlarmEngine((hi(suppress_when=frozenset({MachineState.STOPPED})),))
    engine.sample("temp", 85.0, GOOD, T0)
    out = engine.set_machine_state("filler", MachineState.STOPPED, T0 + 1)
    assert events(out) == [(Event.SUPPRESSED, AlarmState.DSUPR)]
    assert engine.set_machine_state("filler", MachineState.STOPPED, T0 + 2) == []
    assert engine.set_machine_state("capper", MachineState.RUNNING, T0 + 2) == []
    out = engine.set_machine_state("filler", MachineState.RUNNING, T0 + 3)
    assert events(out) == [
        (Event.UNSUPPRESSED, AlarmState.ACKED),
        (Event.ACTIVE, AlarmState.UNACK),
    ]


def condition(**kw: object) -> ConditionUpdate:
    fields: dict[str, object] = {
        "source_id": "plc",
        "condition_id": "ns=2;i=10",
        "event_id": b"e1",
        "name": "BowlLevel",
        "source_name": "Bowl",
        "source_node": "ns=2;i=5",
        "message": "Bowl level low",
        "severity": 700,
        "ts": T0,
        "retain": True,
        "active": True,
        "acked": False,
    }
    fields.update(kw)
    return ConditionUpdate(**fields)  # type: ignore[arg-type]


def test_conditions_mirror_the_server_and_leave_when_not_retained() -> None:
    engine = AlarmEngine()
    alarm_id = condition_alarm_id("plc", "ns=2;i=10")
    assert events(engine.condition(condition(), "filler")) == [(Event.ACTIVE, AlarmState.UNACK)]
    alarm = engine.alarms[alarm_id]
    assert alarm.definition.priority is Priority.HIGH and alarm.event_id == b"e1"
    acked = engine.condition(condition(event_id=b"e2", acked=True, ts=T0 + 1), "filler")
    assert events(acked) == [(Event.ACKNOWLEDGED, AlarmState.ACKED)]
    shelved = engine.condition(
        condition(event_id=b"e3", acked=True, shelving=Shelving.TIMED), "filler"
    )
    assert events(shelved) == [(Event.SHELVED, AlarmState.SHLVD)]
    gone = engine.condition(
        condition(event_id=b"e4", acked=True, active=False, retain=False), "filler"
    )
    assert [t.event for t in gone] == [Event.UNSHELVED, Event.CLEARED, Event.REMOVED]
    assert alarm_id not in engine.alarms
    assert engine.condition(condition(retain=False), "filler") == []


def test_a_refresh_drops_the_conditions_it_does_not_report() -> None:
    engine = AlarmEngine()
    engine.condition(condition(), "filler")
    engine.condition(condition(condition_id="ns=2;i=11"), "filler")
    engine.refresh_started("plc")
    engine.condition(condition(event_id=b"e9"), "filler")
    gone = engine.refresh_ended("plc", T0 + 5)
    assert [(t.alarm_id, t.event) for t in gone] == [("plc:ns=2;i=11", Event.REMOVED)]
    assert list(engine.alarms) == ["plc:ns=2;i=10"]
