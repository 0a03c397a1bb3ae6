"""The record service refuses a record that lacks the shape its kind promises, before any write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hmi.domain.records import RecordKind, RecordRejectedError
from hmi.domain.roles import Action
from hmi.services.runtime import Runtime
from hmi.storage import outbox
from tests.support.upstream import PINS, records_plant


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = Runtime(records_plant(None), cache_path=tmp_path / "cache.sqlite", station="filler")
    rt.start()
    assert rt.submit(rt.session.sign_in("olga", PINS["olga"])).result(10) == ""
    yield rt
    rt.stop()


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({}, "needs some text"),
        ({"text": "   "}, "needs some text"),
        ({"text": 42}, "needs some text"),
        ({"text": "x" * 4001}, "at most 4000"),
        ({"text": "ok", "tag": 7}, "its id, as text"),
        ({"text": "ok", "reading": float("nan")}, "cannot be written as JSON"),
    ],
)
def test_a_malformed_note_is_refused_and_nothing_is_written(
    runtime: Runtime, payload: dict[str, Any], reason: str
) -> None:
    coro = runtime.records.record(
        Action.RECORD_INTERVENTION, RecordKind.INTERVENTION, "filler", payload
    )
    with pytest.raises(RecordRejectedError, match=reason):
        runtime.submit(coro).result(10)
    assert runtime.db.read(outbox.summary).pending == 0


def test_a_correction_must_name_an_existing_record(runtime: Runtime) -> None:
    runtime.submit(runtime.session.sign_in("leo", PINS["leo"])).result(10)
    coro = runtime.records.record(
        Action.RECORD_INTERVENTION,
        RecordKind.INTERVENTION,
        "filler",
        {"text": "the real cause was the sensor"},
        corrects="00000000-0000-4000-8000-000000000000",
    )
    with pytest.raises(RecordRejectedError, match="no record"):
        runtime.submit(coro).result(10)
    good = runtime.records.record(
        Action.RECORD_INTERVENTION, RecordKind.INTERVENTION, "filler", {"text": "first"}
    )
    original = runtime.submit(good).result(10)
    fix = runtime.records.record(
        Action.RECORD_INTERVENTION,
        RecordKind.INTERVENTION,
        "filler",
        {"text": "second, corrected"},
        corrects=original.id,
    )
    correction = runtime.submit(fix).result(10)
    assert correction.corrects == original.id and correction.seq == original.seq + 1
