"""Downtime in a real runtime: machine states from Mosquitto, reasons by role, records."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hmi.domain.downtime import MICRO_STOP, DowntimeActionError
from hmi.domain.health import LinkState
from hmi.domain.plant import (
    Codec,
    CodecKind,
    DataType,
    HttpUpstream,
    MqttBinding,
    MqttSource,
    PlantDef,
    StationDef,
    SyncSettings,
    TagDef,
)
from hmi.domain.production import ProductionDef, ReasonDef, ShiftCalendar, ShiftDef
from hmi.domain.records import Record, parse_envelope
from hmi.domain.roles import PermissionDeniedError
from hmi.domain.shifts import shift_at
from hmi.domain.users import SignInPolicy
from hmi.receiver.http import HttpReceiver
from hmi.receiver.store import ReceivedStore
from hmi.services.runtime import Runtime
from tests.support.mosquitto import MosquittoBroker
from tests.support.upstream import PINS, sample_users
from tests.support.wait import wait_until
from tests.test_acquisition import Publisher

STAMPED = Codec(CodecKind.JSON, ("v",), ("ts",))
REASONS = (
    ReasonDef(
        "mech",
        "Mechanical",
        color="#c0504d",
        children=(ReasonDef("mech.jam", "Jam"), ReasonDef("mech.valve", "Valve broken")),
    ),
    ReasonDef("plan", "Planned", planned=True, children=(ReasonDef("plan.clean", "Cleaning"),)),
)


def downtime_plant(port: int) -> PlantDef:
    source = MqttSource(id="broker", host="127.0.0.1", port=port, reconnect_min_s=0.2)
    tags = (
        TagDef(
            "state",
            "State",
            "broker",
            MqttBinding("line/state", STAMPED),
            data_type=DataType.STRING,
        ),
        TagDef(
            "order",
            "Order",
            "broker",
            MqttBinding("line/order", Codec(CodecKind.STRING)),
            data_type=DataType.STRING,
        ),
    )
    tags += tuple(
        TagDef(tag, tag, "broker", MqttBinding(f"line/{tag}", STAMPED), data_type=DataType.INT)
        for tag in ("good", "reject")
    )
    production = ProductionDef(
        ideal_cycle_s=1.0,
        micro_stop_s=120,
        order_tag="order",
        good_count_tag="good",
        reject_count_tag="reject",
    )
    station = StationDef("filler", "Filler", ("state",), state_tag="state", production=production)
    return PlantDef(
        "downtime",
        (source,),
        tags,
        (station,),
        users=sample_users(),
        sign_in=SignInPolicy(idle_lock_s=0),
        reasons=REASONS,
    )


class Line:
    def __init__(self, broker: MosquittoBroker, cache: Path, plant: PlantDef | None = None) -> None:
        self.broker, self.cache = broker, cache
        self.plant = plant or downtime_plant(broker.port)
        self.pub = Publisher(broker.port)
        self.t0 = time.time() - 3600  # stamped an hour ago: durations are the stamps'
        self.runtime = self.start()

    def start(self) -> Runtime:
        runtime = Runtime(self.plant, cache_path=self.cache)
        runtime.start()
        wait_until(lambda: runtime.acquisition.health()[0].state is LinkState.CONNECTED, 10)
        self.runtime = runtime
        return runtime

    def state(self, state: str, minutes: float) -> None:
        ts = self.t0 + minutes * 60
        self.pub.send("line/state", json.dumps({"v": state, "ts": ts}))

    def sign_in(self, user: str) -> None:
        session = self.runtime.session
        assert self.runtime.submit(session.sign_in(user, PINS[user])).result(10) == ""

    def records(self) -> list[Record]:
        rows = self.runtime.db.read(
            lambda db: db.execute("SELECT body FROM records ORDER BY station, seq").fetchall()
        )
        return [parse_envelope(body) for (body,) in rows]


@pytest.fixture
def line(broker: MosquittoBroker, tmp_path: Path) -> Iterator[Line]:
    ln = Line(broker, tmp_path / "cache.sqlite")
    yield ln
    ln.runtime.stop()
    ln.pub.close()


def test_a_stop_waits_for_its_reason_across_a_restart_then_is_recorded(line: Line) -> None:
    line.pub.send("line/order", "4711")
    wait_until(lambda: line.runtime.store.get("order").value == "4711", 10, "the order")
    line.state("running", 0)
    line.state("stopped", 10)
    line.state("running", 15)  # five minutes: not a micro-stop
    dt = line.runtime.downtime
    wait_until(lambda: len(dt.waiting()) == 1, 10, "the stop in the queue")
    [event] = dt.waiting()
    assert event.end is not None and event.end - event.start == pytest.approx(300)
    assert event.context.order == "4711" and event.reason is None
    assert line.records() == []  # nothing goes upstream without a reason

    line.runtime.stop()
    runtime = line.start()
    assert [e.id for e in runtime.downtime.waiting()] == [event.id], "the queue survived"
    with pytest.raises(PermissionDeniedError):  # nobody signed in
        runtime.submit(runtime.downtime.give_reason(event.id, "mech.jam")).result(10)
    line.sign_in("olga")
    with pytest.raises(DowntimeActionError, match="no reason"):
        runtime.submit(runtime.downtime.give_reason(event.id, "mech")).result(10)
    runtime.submit(runtime.downtime.give_reason(event.id, "mech.jam", "bottle fell")).result(10)
    assert runtime.downtime.waiting() == []
    [record] = line.records()
    assert (record.kind.value, record.user, record.station) == ("downtime", "olga", "filler")
    payload = record.payload
    assert (payload["reason"], payload["reason_name"], payload["category"]) == (
        "mech.jam",
        "Jam",
        ["mech"],
    )
    assert payload["duration_s"] == pytest.approx(300)
    assert (payload["order"], payload["planned"], payload["comment"]) == (
        "4711",
        False,
        "bottle fell",
    )


def test_a_micro_stop_is_recorded_without_asking(line: Line) -> None:
    line.state("running", 0)
    line.state("starved", 1)
    line.state("running", 1.5)  # thirty seconds
    wait_until(lambda: len(line.records()) == 1, 10, "the micro-stop record")
    [record] = line.records()
    assert record.user == "" and record.payload["reason"] == MICRO_STOP
    assert record.payload["micro"] is True and line.runtime.downtime.waiting() == []


def test_a_recorded_reason_is_corrected_by_a_lead_only(line: Line) -> None:
    line.state("running", 0)
    line.state("faulted", 5)
    line.state("running", 20)
    dt, rt = line.runtime.downtime, line.runtime
    wait_until(lambda: len(dt.waiting()) == 1, 10, "the stop")
    [event] = dt.waiting()
    line.sign_in("olga")
    rt.submit(dt.give_reason(event.id, "mech.jam")).result(10)
    with pytest.raises(PermissionDeniedError):
        rt.submit(dt.give_reason(event.id, "mech.valve")).result(10)
    line.sign_in("leo")
    rt.submit(dt.give_reason(event.id, "mech.valve", "valve seat worn")).result(10)
    first, correction = line.records()
    assert correction.corrects == first.id and correction.user == "leo"
    assert correction.payload["reason"] == "mech.valve"
    assert correction.payload["replaces"] == [event.id]


def test_oee_of_a_window_from_the_stops_and_the_counters_in_the_history(line: Line) -> None:
    for minutes, good, reject in ((0, 100, 0), (20, 1000, 10), (40, 1500, 12)):
        ts = line.t0 + minutes * 60
        line.pub.send("line/good", json.dumps({"v": good, "ts": ts}))
        line.pub.send("line/reject", json.dumps({"v": reject, "ts": ts}))
    line.state("running", 0)
    line.state("stopped", 10)
    line.state("running", 15)
    rt, dt = line.runtime, line.runtime.downtime
    t0, t1 = line.t0, line.t0 + 30 * 60

    def figures() -> tuple[float, float, float, int, int]:
        p = rt.submit(dt.performance("filler", t0, t1)).result(10).oee
        return p.availability, p.performance, p.quality, p.good, p.reject

    # planned 1800 s, 300 s down: A = 1500/1800; 910 pieces at 1 s in 1500 s; 900 good of 910
    wanted = (1500 / 1800, 910 / 1500, 900 / 910, 900, 10)
    wait_until(lambda: figures() == pytest.approx(wanted), 10, "counts flushed to the history")
    result = rt.submit(dt.performance("filler", t0, t1)).result(10)
    assert result.oee.oee == pytest.approx(wanted[0] * wanted[1] * wanted[2])
    assert [(row.code, row.minutes, row.count) for row in result.pareto] == [(None, 5.0, 1)]


def test_an_ended_shift_is_summarised_once_and_a_lead_exports_it(
    broker: MosquittoBroker, tmp_path: Path
) -> None:
    now = time.time()
    minute_of_day = int(now % 86400 // 60)
    shift = ShiftDef("Early", (minute_of_day - 120) % 1440, 60)  # ended an hour ago (UTC)
    start = now - now % 60 - 120 * 60
    plant = dataclasses.replace(downtime_plant(broker.port), shifts=ShiftCalendar("UTC", (shift,)))
    runtime = Runtime(plant, cache_path=tmp_path / "cache.sqlite")
    # The calendar's clock would take the states, stamped in the last shift, as now.
    runtime.downtime.tick_s = 3600.0
    runtime.start()
    pub = Publisher(broker.port)
    try:
        wait_until(lambda: runtime.acquisition.health()[0].state is LinkState.CONNECTED, 10)
        # The counter from the shift's first minute: the HMI watched the whole shift.
        pub.send("line/good", json.dumps({"v": 0, "ts": start}))
        for minutes, state in ((1, "running"), (10, "stopped"), (20, "running")):
            pub.send("line/state", json.dumps({"v": state, "ts": start + minutes * 60}))
        wait_until(lambda: len(runtime.downtime.waiting()) == 1, 10, "the stop")

        def availability() -> float:
            call = runtime.downtime.performance("filler", start, start + 3600)
            return runtime.submit(call).result(10).oee.availability

        wait_until(lambda: availability() == pytest.approx(50 / 60), 10, "the counter flushed")
        reports = runtime.shift_reports
        assert runtime.submit(reports.record_ended(time.time())).result(10) == 1
        assert runtime.submit(reports.record_ended(time.time())).result(10) == 0  # once only
        rows = runtime.db.read(lambda db: db.execute("SELECT body FROM records").fetchall())
        [summary] = [parse_envelope(body) for (body,) in rows]
        assert summary.kind.value == "shift_summary" and summary.user == ""
        payload = summary.payload
        assert (payload["shift"], payload["stops"], payload["waiting_for_reason"]) == (
            "Early",
            1,
            1,
        )
        assert payload["downtime_s"] == pytest.approx(600)
        assert [(o["order"], o["good"]) for o in payload["orders"]] == [(None, 0)]  # none known
        assert payload["availability"] == pytest.approx(3000 / 3600, abs=1e-4)

        one = runtime.submit(reports.summary("filler", shift_at(plant.shifts, start + 60))).result(
            10
        )
        path = tmp_path / "reports" / "early.html"
        assert runtime.submit(runtime.session.sign_in("olga", PINS["olga"])).result(10) == ""
        with pytest.raises(PermissionDeniedError):
            runtime.submit(reports.export_html(path, [one])).result(10)
        assert runtime.submit(runtime.session.sign_in("leo", PINS["leo"])).result(10) == ""
        assert runtime.submit(reports.export_html(path, [one])).result(10) > 0
        page = path.read_text(encoding="utf-8")
        assert "Filler: Early" in page and "<script" not in page
        assert "<td>83.3 %</td>" in page  # availability; no counts here: OEE is 0
        assert "OEE 0.0 %" in page
    finally:
        pub.close()
        runtime.stop()


def test_a_context_typed_or_scanned_wins_over_the_tags_and_every_record_carries_it(
    line: Line,
) -> None:
    rt, dt = line.runtime, line.runtime.downtime
    line.pub.send("line/order", "4711")
    wait_until(lambda: dt.context("filler").order == "4711", 10, "the order from the MES")
    line.sign_in("olga")
    rt.submit(dt.set_context("filler", "A-99", None, "B7")).result(10)
    line.state("running", 0)
    line.state("blocked", 1)
    line.state("running", 1.2)  # a micro-stop, recorded at once
    wait_until(lambda: len(line.records()) == 2, 10, "the note and the micro-stop")
    note, stop = line.records()
    assert note.payload["action"] == "context" and "order A-99" in note.payload["text"]
    assert (stop.payload["order"], stop.payload["batch"]) == ("A-99", "B7")
    assert stop.payload["context"] == {"order": "A-99", "batch": "B7"}
    rt.submit(dt.set_context("filler", None, None, None)).result(10)
    assert dt.context_fields("filler") == {"order": "4711"}


def test_oee_per_order_is_cut_where_the_context_changed_and_a_typed_order_survives_a_restart(
    line: Line,
) -> None:
    rt, dt = line.runtime, line.runtime.downtime

    def count(good: int) -> None:
        line.pub.send("line/good", json.dumps({"v": good, "ts": time.time()}))
        wait_until(lambda: rt.store.get("good").value == good, 10, f"good {good}")

    start = time.time() - 1
    count(0)
    line.pub.send("line/order", "4711")
    wait_until(lambda: dt.context("filler").order == "4711", 10, "the order from the MES")
    count(100)
    line.sign_in("olga")
    rt.submit(dt.set_context("filler", "A-99", "cola", None)).result(10)
    count(250)

    def orders() -> dict[str | None, int]:
        rows = rt.submit(dt.performance_by_order("filler", start, time.time() + 1)).result(10)
        return {row.order: row.oee.good for row in rows}

    wait_until(lambda: orders() == {None: 0, "4711": 100, "A-99": 150}, 10, "counts in the history")
    rows = rt.submit(dt.performance_by_order("filler", start, time.time())).result(10)
    assert [(r.order, r.product) for r in rows] == [(None, None), ("4711", None), ("A-99", "cola")]
    assert rows[1].t1 == pytest.approx(rows[2].t0)
    line.runtime.stop()
    rt = line.start()
    assert rt.downtime.context("filler") == dataclasses.replace(
        rt.downtime.context("filler"), order="A-99", product="cola"
    )


def test_stops_and_corrections_reach_the_reference_receiver(
    broker: MosquittoBroker, tmp_path: Path
) -> None:
    store = ReceivedStore(tmp_path / "received.sqlite")
    receiver = HttpReceiver(store)
    receiver.start()
    upstream = HttpUpstream(receiver.url, timeout_s=5)
    plant = downtime_plant(broker.port)
    plant = dataclasses.replace(plant, sync=SyncSettings(upstream=upstream, retry_max_s=0.2))
    line = Line(broker, tmp_path / "cache.sqlite", plant)
    runtime = line.runtime
    try:
        line.state("running", 0)
        line.state("stopped", 2)
        line.state("running", 2.5)  # a micro-stop
        line.state("faulted", 5)
        line.state("running", 12)
        wait_until(lambda: len(runtime.downtime.waiting()) == 1, 10, "the stop")
        [event] = runtime.downtime.waiting()
        line.sign_in("leo")
        runtime.submit(runtime.downtime.give_reason(event.id, "mech.jam")).result(10)
        runtime.submit(runtime.downtime.give_reason(event.id, "mech.valve")).result(10)
        records = line.records()
        assert [r.payload["reason"] for r in records] == [MICRO_STOP, "mech.jam", "mech.valve"]
        wait_until(lambda: store.ids() == {r.id for r in records}, 15, "all at the receiver")
        assert store.sequence("filler") == [1, 2, 3]
    finally:
        runtime.stop()
        line.pub.close()
        receiver.stop()
        store.close()


def test_oee_never_counts_time_before_the_hmi_knew_the_station(line: Line) -> None:
    rt, dt = line.runtime, line.runtime.downtime
    line.pub.send("line/good", json.dumps({"v": 0, "ts": line.t0 + 30 * 60}))
    line.state("running", 30)
    t0, t1 = line.t0, line.t0 + 60 * 60

    def window() -> float:
        return rt.submit(dt.performance("filler", t0, t1)).result(10).oee.window_s

    # The first sample in the history is at minute 30: the half hour before is nobody's.
    wait_until(lambda: window() == pytest.approx(30 * 60, abs=10), 10, "the counter in the history")


def test_back_to_the_lines_values_is_remembered_even_when_they_agree(line: Line) -> None:
    rt, dt = line.runtime, line.runtime.downtime
    line.pub.send("line/order", "4000")
    wait_until(lambda: dt.context("filler").order == "4000", 10, "the order from the MES")
    line.sign_in("olga")
    rt.submit(dt.set_context("filler", "5000", None, None)).result(10)  # typed ahead
    line.pub.send("line/order", "5000")  # the MES catches up
    wait_until(lambda: rt.store.get("order").value == "5000", 10, "the MES's order")
    rt.submit(dt.set_context("filler", None, None, None)).result(10)  # the line rules again
    line.runtime.stop()
    rt = line.start()
    line.pub.send("line/order", "6000")
    wait_until(lambda: rt.downtime.context("filler").order == "6000", 10, "the line's new order")
