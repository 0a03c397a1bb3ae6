"""Records: refused before any write when malformed; sent over HTTPS only to a verified MES."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hmi.domain.plant import HttpUpstream
from hmi.domain.records import RecordKind, RecordRejectedError
from hmi.domain.roles import Action
from hmi.receiver.http import HttpReceiver
from hmi.receiver.store import ReceivedStore
from hmi.services.runtime import Runtime
from hmi.storage import outbox
from tests.support.certs import Pki, make_pki
from tests.support.upstream import PINS, records_plant
from tests.support.wait import wait_until


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


# -- HTTPS upstream: the server's certificate is verified against the plant's CA ------------


@pytest.fixture(scope="module")
def https_pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("https-pki"), "mes.floorline.test", "127.0.0.1")


@pytest.fixture
def https_receiver(tmp_path: Path, https_pki: Pki) -> Iterator[HttpReceiver]:
    store = ReceivedStore(tmp_path / "received.sqlite")
    receiver = HttpReceiver(store)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(https_pki.server_cert, https_pki.server_key)
    server = receiver._server  # the test serves the reference receiver over TLS
    server.socket = context.wrap_socket(server.socket, server_side=True)
    receiver.start()
    yield receiver
    receiver.stop()
    store.close()


def https_runtime(tmp_path: Path, url: str, ca: Path) -> Runtime:
    upstream = HttpUpstream(url.replace("http://", "https://"), ca_file=str(ca), timeout_s=5)
    rt = Runtime(
        records_plant(upstream, retry_max_s=0.2), cache_path=tmp_path / "c.sqlite", station="f"
    )
    rt.start()
    assert rt.submit(rt.session.sign_in("olga", PINS["olga"])).result(10) == ""
    return rt


def note(rt: Runtime) -> None:
    coro = rt.records.record(
        Action.RECORD_INTERVENTION, RecordKind.INTERVENTION, "filler", {"text": "x"}
    )
    rt.submit(coro).result(10)


def test_https_upstream_delivers_to_a_server_the_plant_ca_vouches_for(
    tmp_path: Path, https_receiver: HttpReceiver, https_pki: Pki
) -> None:
    rt = https_runtime(tmp_path, https_receiver.url, https_pki.ca)
    try:
        note(rt)
        wait_until(lambda: rt.sync.summary().delivered == 1, 15, "delivery over HTTPS")
        assert https_receiver.store.counts().stored == 1
    finally:
        rt.stop()


def test_https_upstream_refuses_a_server_it_cannot_verify_and_keeps_the_record(
    tmp_path: Path, https_receiver: HttpReceiver, https_pki: Pki
) -> None:
    rt = https_runtime(tmp_path, https_receiver.url, https_pki.other_ca)
    try:
        note(rt)
        wait_until(lambda: "certificate was refused" in rt.sync.summary().last_error, 15)
        summary = rt.sync.summary()
        assert summary.delivered == 0 and summary.quarantined == 0
        assert summary.pending + summary.in_flight == 1, "kept, to be sent once trust is fixed"
        assert https_receiver.store.counts().stored == 0
    finally:
        rt.stop()
