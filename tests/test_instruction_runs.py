"""Work instruction runs in a real runtime: captures, sign-offs, a restart, the receiver."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hmi.domain.instruction_run import InstructionError
from hmi.domain.plant import HttpUpstream, PlantDef, SyncSettings
from hmi.domain.records import parse_envelope
from hmi.domain.roles import PermissionDeniedError
from hmi.domain.users import hash_secret
from hmi.receiver.http import HttpReceiver
from hmi.receiver.store import ReceivedStore
from hmi.services.instructions import Signer
from hmi.services.runtime import Runtime
from hmi.services.session import SignatureRefusedError
from tests.support.mosquitto import MosquittoBroker
from tests.support.upstream import PINS
from tests.support.wait import wait_until
from tests.test_downtime_service import Line, downtime_plant

MANIFEST = """\
id = "torque-check"
title = "Torque check"
stations = ["filler"]
products = ["cola"]

[signoff]
by = "operator"
meaning = "Torque check performed"

[[steps]]
id = "measure"
title = "Measure"
file = "01.md"

[[steps.captures]]
id = "torque"
kind = "number"
label = "Torque"
lo = 1.9
hi = 2.5
unit = "N·m"
decimals = 2
on_out_of_limit = "reason"

[[steps.captures]]
id = "good_now"
kind = "tag"
label = "Good count now"
tag = "good"

[[steps]]
id = "release"
title = "Release"
file = "02.md"

[steps.signoff]
by = "second_person"
role = "lead"
meaning = "Released for production"

[[steps.captures]]
id = "cap_serial"
kind = "serial"
label = "Cap lot"
pattern = "CP-[0-9]{4}"

[[steps.captures]]
id = "height"
kind = "number"
label = "Fill height"
lo = 10
hi = 20
unit = "mm"
on_out_of_limit = "lead"
"""


def write_instruction(folder: Path) -> Path:
    root = folder / "instructions"
    step_dir = root / "torque-check"
    step_dir.mkdir(parents=True)
    (step_dir / "instruction.toml").write_text(MANIFEST, encoding="utf-8")
    (step_dir / "01.md").write_text("Measure the torque of three caps.\n", encoding="utf-8")
    (step_dir / "02.md").write_text(textwrap.dedent("Scan the cap lot; check the height.\n"))
    return root


@pytest.fixture
def line(broker: MosquittoBroker, tmp_path: Path) -> Iterator[Line]:
    plant = dataclasses.replace(
        downtime_plant(broker.port), instructions=str(write_instruction(tmp_path))
    )
    ln = Line(broker, tmp_path / "cache.sqlite", plant)
    yield ln
    ln.runtime.stop()
    ln.pub.close()


def call(rt: Runtime, job: object) -> object:
    return rt.submit(job).result(10)  # type: ignore[arg-type]


def test_the_instruction_follows_the_stations_product(line: Line) -> None:
    rt = line.runtime
    service = rt.instructions
    assert [i.id for i in service.instructions] == ["torque-check"]
    assert service.available("filler") == [], "no product known: a cola-only one is not offered"
    line.sign_in("olga")
    call(rt, rt.downtime.set_context("filler", "4711", "lemon", None))
    assert service.available("filler") == []
    call(rt, rt.downtime.set_context("filler", "4711", "cola", None))
    assert [i.id for i in service.available("filler")] == ["torque-check"]
    with pytest.raises(InstructionError, match="not an instruction"):
        call(rt, service.begin("filler", "other"))


def test_a_run_with_limits_tag_capture_signoffs_and_a_restart_reaches_the_receiver(
    broker: MosquittoBroker, tmp_path: Path
) -> None:
    received = ReceivedStore(tmp_path / "received.sqlite")
    receiver = HttpReceiver(received)
    receiver.start()
    plant = dataclasses.replace(
        downtime_plant(broker.port),
        instructions=str(write_instruction(tmp_path)),
        sync=SyncSettings(upstream=HttpUpstream(receiver.url, timeout_s=5), retry_max_s=0.2),
    )
    line = Line(broker, tmp_path / "cache.sqlite", plant)
    try:
        rt = line.runtime
        line.sign_in("olga")
        call(rt, rt.downtime.set_context("filler", "4711", "cola", None))
        with pytest.raises(PermissionDeniedError):
            call(rt, rt.session.lock())
            call(rt, rt.instructions.begin("filler", "torque-check"))
        line.sign_in("olga")
        run = call(rt, rt.instructions.begin("filler", "torque-check"))
        service = rt.instructions

        # Step 1: the torque out of limits needs a reason; the tag needs a good value.
        check = call(rt, service.confirm_step("filler", {"torque": "2.71"}))
        assert check.problems == {  # type: ignore[attr-defined]
            "torque": "Torque: 2.71 N·m is above the upper limit 2.50 N·m: give a reason",
            "good_now": "no good value of the tag to capture now",
        }
        line.pub.send("line/good", json.dumps({"v": 812, "ts": time.time()}))
        wait_until(lambda: rt.store.get("good").value == 812, 10, "the count")
        check = call(
            rt,
            service.confirm_step("filler", {"torque": "2.71"}, {"torque": "new cap supplier"}),
        )
        assert check.ok  # type: ignore[attr-defined]
        assert service.run_at("filler").step_index == 1  # type: ignore[union-attr]

        # A restart in the middle: the run resumes at step 2.
        rt.stop()
        rt = line.start()
        service = rt.instructions
        resumed = service.run_at("filler")
        assert resumed is not None and resumed.id == run.id and resumed.step_index == 1  # type: ignore[attr-defined]
        line.sign_in("olga")

        # Step 2: out of limits with "lead" and a second person's sign-off: a lead, not olga.
        values = {"cap_serial": "CP-0042", "height": 23}
        check = call(rt, service.confirm_step("filler", values))
        assert check.needs_lead == ("height",) and not check.problems  # type: ignore[attr-defined]
        with pytest.raises(SignatureRefusedError):
            call(rt, service.confirm_step("filler", values, signers=(Signer("leo", "0000"),)))
        check = call(rt, service.confirm_step("filler", values, signers=(Signer("olga", "1111"),)))
        assert check.needs_lead == ("height",), "olga cannot approve her own value"  # type: ignore[attr-defined]
        check = call(
            rt, service.confirm_step("filler", values, signers=(Signer("leo", PINS["leo"]),))
        )
        assert check.ok  # type: ignore[attr-defined]

        # The run's sign-off: the operator's own PIN again.
        with pytest.raises(InstructionError, match="sign with your PIN"):
            call(rt, service.finish("filler"))
        record = call(rt, service.finish("filler", (Signer("olga", PINS["olga"]),)))
        assert service.run_at("filler") is None
        payload = record.payload  # type: ignore[attr-defined]
        assert (payload["instruction"], payload["version"]) == ("torque-check", run.version)  # type: ignore[attr-defined]
        assert payload["state"] == "finished" and payload["serial"] == "CP-0042"
        assert payload["context"] == {"order": "4711", "product": "cola"}
        first, second = payload["steps"]
        assert first["user"] == "olga"
        assert first["entries"] == [
            {
                "capture": "torque",
                "value": 2.71,
                "status": "out_of_limits",
                "reason": "new cap supplier",
            },
            {"capture": "good_now", "value": 812, "status": "ok"},
        ]
        assert second["entries"][1]["approved_by"]["user"] == "leo"
        both = "Released for production; out-of-limit value accepted: height"
        assert second["entries"][1]["approved_by"]["meaning"] == both
        assert payload["run_context"] == {"order": "4711", "product": "cola"}
        assert [s["user"] for s in second["signatures"]] == ["leo"]
        assert second["signatures"][0]["meaning"] == both
        assert [s["meaning"] for s in payload["signatures"]] == ["Torque check performed"]

        records = [
            parse_envelope(body)
            for (body,) in rt.db.read(lambda db: db.execute("SELECT body FROM records").fetchall())
        ]
        run_records = [r for r in records if r.kind.value == "instruction_run"]
        assert [r.id for r in run_records] == [record.id]  # type: ignore[attr-defined]
        wait_until(lambda: record.id in received.ids(), 15, "the run at the receiver")  # type: ignore[attr-defined]
    finally:
        line.runtime.stop()
        line.pub.close()
        receiver.stop()
        received.close()


def test_a_lead_never_approves_a_value_of_their_own_and_two_taps_start_one_run(
    line: Line,
) -> None:
    rt = line.runtime
    service = rt.instructions
    line.sign_in("leo")
    call(rt, rt.downtime.set_context("filler", None, "cola", None))

    async def twice() -> list[object]:
        taps = (service.begin("filler", "torque-check"), service.begin("filler", "torque-check"))
        return list(await asyncio.gather(*taps, return_exceptions=True))

    first, second = rt.submit(twice()).result(10)
    assert isinstance(second, InstructionError) and "a run is open" in str(second)
    assert service.run_at("filler") == first
    line.pub.send("line/good", json.dumps({"v": 5, "ts": time.time()}))
    wait_until(lambda: rt.store.get("good").value == 5, 10, "the count")
    assert call(rt, service.confirm_step("filler", {"torque": 2.2})).ok  # type: ignore[attr-defined]
    values = {"cap_serial": "CP-0042", "height": 23}
    own = call(rt, service.confirm_step("filler", values, signers=(Signer("leo", PINS["leo"]),)))
    assert own.needs_lead == ("height",), "the lead's own value needs another's approval"  # type: ignore[attr-defined]


BADGES = {"olga": "0470011111", "leo": "0470012222"}


def with_badges(plant: PlantDef) -> PlantDef:
    users = tuple(
        dataclasses.replace(u, badge_hash=hash_secret(BADGES[u.id], n=2**10))
        if u.id in BADGES
        else u
        for u in plant.users
    )
    return dataclasses.replace(plant, users=users)


def test_a_badge_signs_like_a_pin_and_a_lead_badge_approves_what_it_may(
    broker: MosquittoBroker, tmp_path: Path
) -> None:
    plant = dataclasses.replace(
        with_badges(downtime_plant(broker.port)), instructions=str(write_instruction(tmp_path))
    )
    line = Line(broker, tmp_path / "cache.sqlite", plant)
    try:
        rt = line.runtime
        service = rt.instructions
        line.sign_in("olga")
        call(rt, rt.downtime.set_context("filler", None, "cola", None))
        call(rt, service.begin("filler", "torque-check"))
        line.pub.send("line/good", json.dumps({"v": 5, "ts": time.time()}))
        wait_until(lambda: rt.store.get("good").value == 5, 10, "the count")
        assert call(rt, service.confirm_step("filler", {"torque": 2.2})).ok  # type: ignore[attr-defined]
        values = {"cap_serial": "CP-0042", "height": 23}
        with pytest.raises(SignatureRefusedError):
            call(rt, service.confirm_step("filler", values, signers=(Signer(badge="0470019999"),)))
        own = call(rt, service.confirm_step("filler", values, (), (Signer(badge=BADGES["olga"]),)))
        assert own.needs_lead == ("height",), "olga's badge cannot approve her own value"  # type: ignore[attr-defined]
        lead = call(rt, service.confirm_step("filler", values, (), (Signer(badge=BADGES["leo"]),)))
        assert lead.ok  # type: ignore[attr-defined]
        record = call(rt, service.finish("filler", (Signer(badge=BADGES["olga"]),)))
        second = record.payload["steps"][1]  # type: ignore[attr-defined]
        both = "Released for production; out-of-limit value accepted: height"
        assert second["entries"][1]["approved_by"]["user"] == "leo"
        assert [(s["user"], s["meaning"]) for s in second["signatures"]] == [("leo", both)]
        signed = [(s["user"], s["meaning"]) for s in record.payload["signatures"]]  # type: ignore[attr-defined]
        assert signed == [("olga", "Torque check performed")]
        trail = rt.db.read(
            lambda db: db.execute(
                "SELECT user, result, detail FROM audit WHERE action = 'signature' ORDER BY seq"
            ).fetchall()
        )
        assert trail[0] == ("", "refused", "Released for production: badge: unknown badge")
        assert ("leo", "ok", f"{both} (badge)") in trail
        assert ("olga", "ok", "Torque check performed (badge)") in trail
        assert not any(b in str(trail) for b in BADGES.values()), "no badge id in the trail"
    finally:
        line.runtime.stop()
        line.pub.close()


def test_an_abandoned_run_is_recorded_with_its_reason_and_going_back_keeps_the_values(
    line: Line,
) -> None:
    rt = line.runtime
    service = rt.instructions
    line.sign_in("olga")
    call(rt, rt.downtime.set_context("filler", None, "cola", None))
    call(rt, service.begin("filler", "torque-check"))
    with pytest.raises(InstructionError, match="a run is open"):
        call(rt, service.begin("filler", "torque-check"))
    line.pub.send("line/good", json.dumps({"v": 5, "ts": time.time()}))
    wait_until(lambda: rt.store.get("good").value == 5, 10, "the count")
    assert call(rt, service.confirm_step("filler", {"torque": 2.2})).ok  # type: ignore[attr-defined]
    call(rt, service.back("filler"))
    run = service.run_at("filler")
    assert run is not None and run.step_index == 0
    assert run.entries("measure")["torque"].value == 2.2
    with pytest.raises(InstructionError, match="say why"):
        call(rt, service.abandon("filler", " "))
    record = call(rt, service.abandon("filler", "line stopped for cleaning"))
    assert record.payload["state"] == "abandoned"  # type: ignore[attr-defined]
    assert record.payload["note"] == "line stopped for cleaning"  # type: ignore[attr-defined]
    assert service.run_at("filler") is None
