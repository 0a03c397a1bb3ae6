"""The tag store: coalescing, staleness, source outages; with an injected clock, no sleeping."""

from __future__ import annotations

from hmi.domain.clock import ManualClock
from hmi.domain.plant import Codec, CodecKind, MqttBinding, OpcUaBinding, TagDef
from hmi.domain.quality import Quality
from hmi.domain.tags import WAITING_FOR_SOURCE, WAITING_FOR_VALUE, TagStore, TagValue

TAGS = (
    TagDef("m1", "M1", "mqtt", MqttBinding("a", Codec(CodecKind.NUMBER)), stale_after_s=5),
    TagDef("m2", "M2", "mqtt", MqttBinding("b", Codec(CodecKind.NUMBER)), stale_after_s=60),
    TagDef("o1", "O1", "plc", OpcUaBinding("ns=2;s=X"), stale_after_s=5),
)


def sample(
    clock: ManualClock, tag_id: str, value: float, quality: Quality = Quality.GOOD
) -> TagValue:
    return TagValue(tag_id, value, quality, "", clock.now(), clock.now(), clock.monotonic())


def test_everything_starts_as_no_connection_and_waits_for_its_source() -> None:
    store = TagStore(TAGS, ManualClock())
    first = store.take_changes()
    assert set(first) == {"m1", "m2", "o1"}
    assert all(
        v.quality is Quality.NO_CONNECTION and v.reason == WAITING_FOR_SOURCE
        for v in first.values()
    )
    assert store.take_changes() == {}


def test_changes_coalesce_latest_per_tag() -> None:
    clock = ManualClock()
    store = TagStore(TAGS, clock)
    store.take_changes()
    store.apply([sample(clock, "m1", v) for v in range(1000)])
    store.apply([sample(clock, "m2", 5.0)])
    changes = store.take_changes()
    assert set(changes) == {"m1", "m2"} and changes["m1"].value == 999
    assert store.updates_applied == 1001


def test_source_down_keeps_last_value_marked_and_up_waits_for_a_new_one() -> None:
    clock = ManualClock()
    store = TagStore(TAGS, clock)
    store.apply([sample(clock, "m1", 3.0), sample(clock, "o1", 4.0)])
    store.take_changes()
    store.mark_source_down("mqtt", "connection refused")
    changes = store.take_changes()
    assert set(changes) == {"m1", "m2"}
    assert changes["m1"].value == 3.0 and changes["m1"].quality is Quality.NO_CONNECTION
    assert changes["m1"].reason == "connection refused"
    assert store.get("o1").quality is Quality.GOOD
    store.mark_source_up("mqtt")
    assert store.get("m1").quality is Quality.STALE and store.get("m1").reason == WAITING_FOR_VALUE
    store.mark_source_down("mqtt", "connection refused")
    store.take_changes()
    store.mark_source_down("mqtt", "connection refused")
    assert store.take_changes() == {}, "no change, no signal"


def test_values_go_stale_after_their_own_window() -> None:
    clock = ManualClock()
    store = TagStore(TAGS, clock)
    store.apply([sample(clock, "m1", 1.0), sample(clock, "m2", 2.0)])
    clock.advance(4.9)
    assert store.mark_stale() == []
    clock.advance(0.2)
    assert [v.tag_id for v in store.mark_stale()] == ["m1"]
    assert store.get("m1").quality is Quality.STALE and store.get("m1").value == 1.0
    assert store.get("m2").quality is Quality.GOOD
    store.apply([sample(clock, "m1", 1.5)])
    assert store.get("m1").quality is Quality.GOOD


def test_a_source_that_vouches_for_its_values_keeps_them_fresh() -> None:
    clock = ManualClock()
    store = TagStore(TAGS, clock)
    store.apply([sample(clock, "o1", 1.0)])
    for _ in range(10):
        clock.advance(2)
        store.confirm_source("plc", clock.monotonic())
        assert store.mark_stale() == []
    clock.advance(6)
    assert [v.tag_id for v in store.mark_stale()] == ["o1"]


def test_bad_and_uncertain_values_are_not_made_stale_over() -> None:
    clock = ManualClock()
    store = TagStore(TAGS, clock)
    store.apply(
        [sample(clock, "m1", 1.0, Quality.BAD), sample(clock, "m2", 1.0, Quality.UNCERTAIN)]
    )
    clock.advance(100)
    assert [v.tag_id for v in store.mark_stale()] == ["m2"]
    assert store.get("m1").quality is Quality.BAD
