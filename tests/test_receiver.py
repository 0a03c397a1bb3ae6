"""The reference receiver: it checks envelopes, keeps one copy per id, answers like an MES."""

from __future__ import annotations

import http.client
import json
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from hmi.domain.records import Record, RecordKind, new_record_id
from hmi.receiver.http import HttpReceiver
from hmi.receiver.mqtt import BrokerSettings, MqttReceiver
from hmi.receiver.store import ReceivedStore
from tests.support.mosquitto import MosquittoBroker
from tests.support.wait import free_port, wait_until

ROOT = Path(__file__).resolve().parents[1]


def envelope(seq: int = 1, kind: RecordKind = RecordKind.INTERVENTION, text: str = "ok") -> str:
    record = Record(
        id=new_record_id(),
        kind=kind,
        station="filler",
        seq=seq,
        ts=1_800_000_000.123,
        user="olga",
        payload={"text": text},
    )
    return record.to_json()


def record_id(body: str) -> str:
    return str(json.loads(body)["id"])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ReceivedStore]:
    received = ReceivedStore(tmp_path / "received.sqlite")
    yield received
    received.close()


def post(port: int, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", "/records", body=body, headers=headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def test_http_receiver_keeps_one_copy_per_id_and_answers_like_an_mes(
    store: ReceivedStore,
) -> None:
    receiver = HttpReceiver(store, refuse_kinds={"downtime"}, token="t0ken")
    receiver.start()
    auth = {"Authorization": "Bearer t0ken", "Content-Type": "application/json"}
    try:
        body = envelope(1)
        rid = record_id(body)
        key = {**auth, "Idempotency-Key": rid}
        assert post(receiver.port, body.encode(), key) == (200, {"id": rid, "duplicate": False})
        assert post(receiver.port, body.encode(), key) == (200, {"id": rid, "duplicate": True})
        assert store.copies() == {rid: 2}

        status, answer = post(receiver.port, b'{"id": "not a uuid"}', auth)
        assert status == 400 and "not a record envelope" in str(answer["error"])
        assert post(receiver.port, b"[1, 2", auth)[0] == 400
        other = envelope(2)
        assert post(receiver.port, other.encode(), {**auth, "Idempotency-Key": rid})[0] == 400
        assert post(receiver.port, envelope(3).encode(), {})[0] == 401
        refused = envelope(4, RecordKind.DOWNTIME)
        assert post(receiver.port, refused.encode(), auth)[0] == 422
        # Refused on its Content-Length alone, before a byte of the body is read.
        too_big = {**auth, "Content-Length": str(1024 * 1024 + 1)}
        assert post(receiver.port, b"{}", too_big)[0] == 413
        assert store.ids() == {rid}  # nothing refused or malformed was kept
        assert store.counts().rejected == 2
    finally:
        receiver.stop()


def test_mqtt_receiver_dedups_flags_conflicts_and_keeps_its_session(
    broker: MosquittoBroker, store: ReceivedStore
) -> None:
    settings = BrokerSettings("127.0.0.1", broker.port, client_id="mes-test", reconnect_max_s=1)
    receiver = MqttReceiver(store, settings)
    receiver.start()
    publisher = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="pub", protocol=mqtt.MQTTv5)
    publisher.connect("127.0.0.1", broker.port)
    publisher.loop_start()
    try:
        assert receiver.subscribed.wait(10)
        body = envelope(1)
        twin = json.loads(body)
        twin["payload"] = {"text": "other content, same id"}
        for payload in (body, body, "not json", json.dumps(twin)):
            publisher.publish("floorline/records/filler/intervention", payload, qos=1)
        wait_until(
            lambda: (c := store.counts()).stored + c.duplicates + c.rejected == 4, 10, "all four"
        )
        counts = store.counts()
        assert (counts.stored, counts.duplicates, counts.rejected, counts.conflicting) == (
            1,
            2,
            1,
            1,
        )
        assert store.copies() == {record_id(body): 3}

        # Away for a while: the broker keeps what arrives for the session.
        receiver.stop()
        later = [envelope(seq) for seq in (2, 3, 4)]
        infos = [
            publisher.publish("floorline/records/filler/intervention", b, qos=1) for b in later
        ]
        for info in infos:
            info.wait_for_publish(10)
        receiver = MqttReceiver(store, settings)
        receiver.start()
        wait_until(lambda: store.counts().stored == 4, 10, "what came while it was away")
        assert store.sequence("filler") == [1, 2, 3, 4]
    finally:
        publisher.loop_stop()
        publisher.disconnect()
        receiver.stop()


class Command:
    """``hmi receiver ...`` in a process of its own; its output, line by line."""

    def __init__(self, args: list[str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hmi.app.cli", "receiver", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self._pump = threading.Thread(target=self._read, daemon=True)
        self._pump.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        """The next line of output holding ``text``."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if text in line:
                return line

    def stop(self, signum: int) -> int:
        self.proc.send_signal(signum)
        code = self.proc.wait(20)
        self._pump.join(10)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        return code


def test_hmi_receiver_http_command(tmp_path: Path) -> None:
    port = free_port()
    db = tmp_path / "received.sqlite"
    cmd = Command(["http", "--port", str(port), "--db", str(db), "--refuse-kind", "downtime"])
    try:
        assert f"http://127.0.0.1:{port}/" in cmd.wait_for("receiving on")
        body = envelope(1)
        assert post(port, body.encode(), {"Idempotency-Key": record_id(body)})[0] == 200
        assert post(port, envelope(2, RecordKind.DOWNTIME).encode(), {})[0] == 422
        assert record_id(body) in cmd.wait_for("INFO hmi.receiver: stored")
    finally:
        assert cmd.stop(signal.SIGTERM) == 0
    assert "stopped: 1 stored, 0 duplicates, 0 rejected" in cmd.wait_for("stopped")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT id, seq FROM received").fetchall() == [(record_id(body), 1)]
    conn.close()


def test_hmi_receiver_mqtt_command(tmp_path: Path, broker: MosquittoBroker) -> None:
    db = tmp_path / "received.sqlite"
    cmd = Command(["mqtt", "--host", "127.0.0.1", "--port", str(broker.port), "--db", str(db)])
    publisher = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="pub", protocol=mqtt.MQTTv5)
    try:
        cmd.wait_for("receiving on")
        cmd.wait_for("INFO hmi.receiver: subscribed")
        publisher.connect("127.0.0.1", broker.port)
        publisher.loop_start()
        body = envelope(7)
        publisher.publish("floorline/records/filler/intervention", body, qos=1).wait_for_publish(10)
        assert record_id(body) in cmd.wait_for("INFO hmi.receiver: stored")
    finally:
        publisher.loop_stop()
        publisher.disconnect()
        assert cmd.stop(signal.SIGINT) == 0
    assert "stopped: 1 stored" in cmd.wait_for("stopped")
