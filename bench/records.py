"""Operator records benchmark: durable commits through the service path, and the drain.

Run by hand from the repository root (never by the test suite)::

    /tmp/venv/bin/python bench/records.py            # full run, about a minute
    /tmp/venv/bin/python bench/records.py --quick    # about 20 seconds

Every Floorline figure is printed next to a baseline measured in the same run
(the machine is shared and noisy); the ratio is what to compare between runs.

1. ``commit``: records confirmed per second, one after the other, and the
   latency of each confirmation, measured on this (the "GUI") thread from
   ``Runtime.submit(RecordService.record(...))`` to its result: the role
   check, the record + audit entry + outbox row in one transaction on the
   writer thread, WAL and ``synchronous=FULL``. Baseline: a bare ``sqlite3``
   INSERT of the same envelope and a commit, WAL and ``synchronous=FULL``.
   Target: p99 <= 5 ms.
2. ``commit_forwarding``: the same while an MQTT upstream is connected, so
   the forwarder takes, sends and settles every record as it is written:
   the writer thread serves both.
3. ``drain``: N records pending while the broker is down (written in one
   transaction), then the broker starts; the time until every one is
   acknowledged (PUBACK) by a local Mosquitto at QoS 1, from the link coming
   up. Baseline: a bare paho-mqtt 2 MQTT 5 publisher sending the same
   envelopes to the same topics with the same properties at QoS 1 (window
   20, as the forwarder), all at once, until the last PUBACK. Target: 10,000
   in under 10 s. Meanwhile an operator saves a record every 20 ms: their
   confirmation latency during the drain is in the table too.

The broker runs with ``set_tcp_nodelay true`` as docs/records.md recommends
(``--stock-broker``: without; each batch then ends with a ~40 ms delayed-ACK
stall).

Results are printed as a table and written as JSON (``--out``, default
``bench/results/records-<time>.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import paho.mqtt.client as mqtt  # noqa: E402
from paho.mqtt.enums import CallbackAPIVersion  # noqa: E402
from paho.mqtt.packettypes import PacketTypes  # noqa: E402
from paho.mqtt.properties import Properties  # noqa: E402

from bench.report import print_table, versions  # noqa: E402
from hmi.adapters.upstream_mqtt import IN_FLIGHT_WINDOW, RECORD_ID_PROPERTY  # noqa: E402
from hmi.domain.plant import MqttUpstream, PlantDef  # noqa: E402
from hmi.domain.records import Record, RecordKind, new_record_id  # noqa: E402
from hmi.domain.roles import Action  # noqa: E402
from hmi.services.runtime import Runtime  # noqa: E402
from hmi.services.sync import UpstreamLink  # noqa: E402
from hmi.storage import journal  # noqa: E402
from tests.support.mosquitto import MosquittoBroker  # noqa: E402
from tests.support.upstream import PINS, STATIONS, records_plant  # noqa: E402

P99_TARGET_MS = 5.0
DRAIN_TARGET_S = 10.0
PACE_S = 0.02  # an operator saving records during the drain: one every 20 ms (a busy line)
TEXT = "Cleared a bottle jam at the infeed star wheel; checked the guide rails."


@dataclass(frozen=True)
class Config:
    commits: int
    drain_records: int
    repeats: int
    stock_broker: bool = False  # True: Mosquitto as installed, Nagle's algorithm on


def make_broker(folder: Path, cfg: Config) -> MosquittoBroker:
    """A private Mosquitto; as docs/records.md recommends unless ``--stock-broker``."""
    broker = MosquittoBroker(folder)
    if not cfg.stock_broker:
        broker.config.write_text(broker.config.read_text() + "set_tcp_nodelay true\n")
    return broker


FULL = Config(commits=2000, drain_records=10_000, repeats=2)
QUICK = Config(commits=500, drain_records=10_000, repeats=1)


def percentiles(samples_s: list[float]) -> dict[str, float]:
    ordered = sorted(samples_s)
    if not ordered:
        return {"n": 0}

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)

    return {
        "n": len(ordered),
        "p50_ms": at(0.50),
        "p99_ms": at(0.99),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def sample_envelope(n: int) -> Record:
    return Record(
        id=new_record_id(),
        kind=RecordKind.INTERVENTION,
        station=STATIONS[n % 2],
        seq=n + 1,
        ts=time.time(),
        user="olga",
        payload={"text": TEXT},
    )


# -- commit ------------------------------------------------------------------------


def bare_commits(folder: Path, count: int) -> dict[str, Any]:
    """One INSERT and a commit per record, WAL, synchronous=FULL: SQLite's own cost."""
    path = folder / "bare.sqlite"
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE records (id TEXT PRIMARY KEY, station TEXT, seq INTEGER, body TEXT)")
    latencies: list[float] = []
    started = time.perf_counter()
    for n in range(count):
        record = sample_envelope(n)
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO records VALUES (?, ?, ?, ?)",
            [record.id, record.station, record.seq, record.to_json()],
        )
        conn.execute("COMMIT")
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    conn.close()
    return {"per_s": round(count / elapsed), **percentiles(latencies)}


def service_commits(runtime: Runtime, count: int) -> dict[str, Any]:
    """``RecordService.record`` as the GUI calls it: submit, wait for "saved"."""
    latencies: list[float] = []
    started = time.perf_counter()
    for n in range(count):
        coro = runtime.records.record(
            Action.RECORD_INTERVENTION, RecordKind.INTERVENTION, STATIONS[n % 2], {"text": TEXT}
        )
        t0 = time.perf_counter()
        runtime.submit(coro).result(30)
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    return {"per_s": round(count / elapsed), **percentiles(latencies)}


def start_runtime(plant: PlantDef, cache: Path) -> Runtime:
    runtime = Runtime(plant, cache_path=cache, station=STATIONS[0])
    runtime.start()
    message = runtime.submit(runtime.session.sign_in("olga", PINS["olga"])).result(30)
    if message:
        raise RuntimeError(message)
    return runtime


def phase_commit(folder: Path, cfg: Config, forwarding: bool) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []
    broker = make_broker(folder, cfg) if forwarding else None
    try:
        if broker is not None:
            broker.start()
        for n in range(cfg.repeats):
            bare = bare_commits(folder, cfg.commits)
            (folder / "bare.sqlite").unlink()
            upstream = (
                None
                if broker is None
                else MqttUpstream("127.0.0.1", broker.port, client_id=f"bench-{n}")
            )
            runtime = start_runtime(
                records_plant(upstream), folder / f"cache-{forwarding}-{n}.sqlite"
            )
            try:
                if broker is not None:
                    wait(lambda: runtime.sync.summary().link is UpstreamLink.CONNECTED, 10)  # noqa: B023
                service_commits(runtime, 50)  # warm-up
                floorline = service_commits(runtime, cfg.commits)
                forwarder = runtime.sync.forwarder
                if forwarder is not None:
                    total = cfg.commits + 50
                    wait(lambda: forwarder.delivered >= total, 60)  # noqa: B023 - called at once
            finally:
                runtime.stop()
            runs.append({"bare": bare, "floorline": floorline})
    finally:
        if broker is not None:
            broker.kill()
    return {"records": cfg.commits, "runs": runs, **mean_of(runs)}


# -- drain -------------------------------------------------------------------------


def bare_publisher(port: int, records: list[Record], prefix: str) -> dict[str, Any]:
    """paho-mqtt 2, MQTT 5, QoS 1, window 20: publish them all, wait for the last PUBACK."""
    acked = 0
    done = threading.Event()

    def on_publish(*_args: object) -> None:
        nonlocal acked
        acked += 1
        if acked == len(records):
            done.set()

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-bare", protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(IN_FLIGHT_WINDOW)
    client.on_publish = on_publish
    client.connect("127.0.0.1", port)
    client.loop_start()
    try:
        started = time.perf_counter()
        for record in records:
            props = Properties(PacketTypes.PUBLISH)
            props.ContentType = "application/json"
            props.PayloadFormatIndicator = 1
            props.UserProperty = [(RECORD_ID_PROPERTY, record.id)]
            topic = f"{prefix}/{record.station}/{record.kind.value}"
            client.publish(topic, record.to_json().encode(), qos=1, properties=props)
        if not done.wait(120):
            raise RuntimeError(f"bare publisher: {acked} of {len(records)} acknowledged")
        elapsed = time.perf_counter() - started
    finally:
        client.disconnect()
        client.loop_stop()
    return {"seconds": round(elapsed, 2), "per_s": round(len(records) / elapsed)}


def floorline_drain(folder: Path, cfg: Config, n: int) -> dict[str, Any]:
    count = cfg.drain_records
    broker = make_broker(folder, cfg)
    upstream = MqttUpstream("127.0.0.1", broker.port, client_id=f"bench-drain-{n}")
    runtime = start_runtime(records_plant(upstream), folder / f"drain-{n}.sqlite")
    try:

        def write_all(db: Any) -> None:
            with db.atomic():
                for i in range(count):
                    draft = journal.RecordDraft(
                        RecordKind.INTERVENTION,
                        STATIONS[i % 2],
                        "olga",
                        {"text": TEXT},
                        time.time(),
                    )
                    journal.append_record(db, draft)

        runtime.db.submit(write_all).result(120)
        forwarder = runtime.sync.forwarder
        assert forwarder is not None
        started = time.perf_counter()
        broker.start()
        wait(lambda: forwarder.link is UpstreamLink.CONNECTED, 30)
        connected = time.perf_counter()
        # Meanwhile an operator saves a record every 20 ms: what does "saved" take now?
        during = paced_commits(runtime, lambda: forwarder.delivered >= count, PACE_S)
        finished = time.perf_counter()
        extra = during["n"]
        wait(lambda: forwarder.delivered >= count + extra, 60)
        left = runtime.submit(runtime.sync.refresh()).result(30)
        if left.pending or left.in_flight or left.delivered != count + extra:
            raise RuntimeError(f"the drain left {left}")
    finally:
        runtime.stop()
        broker.kill()
    return {
        "seconds": round(finished - connected, 2),
        "per_s": round(count / (finished - connected)),
        "reconnect_s": round(connected - started, 2),
        "seconds_from_broker_start": round(finished - started, 2),
        "records_saved_meanwhile": extra,
        "confirm_during_drain": during,
    }


def paced_commits(runtime: Runtime, until: Any, period_s: float) -> dict[str, Any]:
    """Records at an operator's pace (one every ``period_s``) while ``until()`` is false."""
    latencies: list[float] = []
    n = 0
    next_at = time.perf_counter()
    while not until():
        coro = runtime.records.record(
            Action.RECORD_INTERVENTION, RecordKind.INTERVENTION, STATIONS[n % 2], {"text": TEXT}
        )
        t0 = time.perf_counter()
        runtime.submit(coro).result(30)
        latencies.append(time.perf_counter() - t0)
        n += 1
        next_at += period_s
        time.sleep(max(0.0, next_at - time.perf_counter()))
    return percentiles(latencies)


def phase_drain(folder: Path, cfg: Config) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []
    for n in range(cfg.repeats):
        broker = make_broker(folder, cfg)
        broker.start()
        try:
            records = [sample_envelope(i) for i in range(cfg.drain_records)]
            bare = bare_publisher(broker.port, records, "floorline/records")
        finally:
            broker.kill()
        runs.append({"bare": bare, "floorline": floorline_drain(folder, cfg, n)})
    return {"records": cfg.drain_records, "runs": runs, **mean_of(runs)}


# -- reporting ---------------------------------------------------------------------


def wait(predicate: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout} s")
        time.sleep(0.005)


def mean_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Means over the runs of every number in ``bare`` and ``floorline``."""
    out: dict[str, Any] = {}
    for side in ("bare", "floorline"):
        keys = [k for k, v in runs[0][side].items() if isinstance(v, int | float) and k != "n"]
        out[side] = {k: round(sum(r[side][k] for r in runs) / len(runs), 2) for k in keys}
    return out


def f_commit(phases: dict[str, Any], key: str) -> float:
    """The bare SQLite commit's figure, as the baseline of the during-drain rows (0: none)."""
    commit = phases.get("commit")
    return float(commit["bare"][key]) if commit and "bare" in commit else 0.0


def summarize(phases: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def row(
        figure: str, base: float, ours: float, target: str, met: bool | None, unit: str
    ) -> None:
        rows.append(
            {
                "figure": figure,
                "baseline": f"{base:,.2f} {unit}".strip(),
                "floorline": f"{ours:,.2f} {unit}".strip(),
                "ratio": round(ours / base, 2) if base else None,
                "target": target,
                "met": met,
            }
        )

    for name, label in (("commit", "idle upstream"), ("commit_forwarding", "forwarding")):
        phase = phases.get(name)
        if not phase or "error" in phase:
            continue
        b, f = phase["bare"], phase["floorline"]
        row(f"records confirmed/s ({label})", b["per_s"], f["per_s"], "", None, "/s")
        row(f"confirm p50 ({label})", b["p50_ms"], f["p50_ms"], "", None, "ms")
        row(
            f"confirm p99 ({label})",
            b["p99_ms"],
            f["p99_ms"],
            f"<= {P99_TARGET_MS:g} ms",
            f["p99_ms"] <= P99_TARGET_MS,
            "ms",
        )
    drain = phases.get("drain")
    if drain and "error" not in drain:
        b, f = drain["bare"], drain["floorline"]
        n = drain["records"]
        row(
            f"{n:,} records over MQTT QoS 1",
            b["seconds"],
            f["seconds"],
            "< 10 s",
            f["seconds"] < DRAIN_TARGET_S,
            "s",
        )
        row("drain rate", b["per_s"], f["per_s"], "", None, "/s")
        runs = drain["runs"]
        during = [r["floorline"]["confirm_during_drain"] for r in runs]
        p99 = sum(d["p99_ms"] for d in during) / len(during)
        p50 = sum(d["p50_ms"] for d in during) / len(during)
        row(
            "confirm p50 (saving every 20 ms during the drain)",
            f_commit(phases, "p50_ms"),
            p50,
            "",
            None,
            "ms",
        )
        row(
            "confirm p99 (saving every 20 ms during the drain)",
            f_commit(phases, "p99_ms"),
            p99,
            f"<= {P99_TARGET_MS:g} ms",
            p99 <= P99_TARGET_MS,
            "ms",
        )
        rows.append(
            {
                "figure": "  broker start -> link up (paho's reconnect delay)",
                "baseline": "",
                "floorline": f"{f['reconnect_s']:.2f} s",
                "ratio": None,
                "target": "",
                "met": None,
            }
        )
    return rows


PHASES = ("commit", "commit_forwarding", "drain")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a short run")
    parser.add_argument(
        "--stock-broker",
        action="store_true",
        help="leave Mosquitto's Nagle's algorithm on (its default; docs/records.md says why not)",
    )
    parser.add_argument(
        "--out", type=Path, help="JSON results (default bench/results/records-<time>.json)"
    )
    parser.add_argument(
        "--phases", default=",".join(PHASES), help=f"comma-separated subset of {', '.join(PHASES)}"
    )
    args = parser.parse_args()
    chosen = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in PHASES]
    if unknown:
        parser.error(f"unknown phases: {', '.join(unknown)}")
    config = replace(QUICK if args.quick else FULL, stock_broker=args.stock_broker)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = args.out or BENCH / "results" / f"records-{stamp}.json"
    results: dict[str, Any] = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "quick": args.quick,
        "config": asdict(config),
        "versions": versions(sqlite=sqlite3.sqlite_version),
        "phases": {},
    }
    failed = False
    with tempfile.TemporaryDirectory(prefix="floorline-bench-records-") as tmp:
        for name in chosen:
            print(f"[{time.strftime('%H:%M:%S')}] {name} ...", flush=True)
            load_before = os.getloadavg()[0]
            began = time.monotonic()
            folder = Path(tmp) / name
            folder.mkdir()
            try:
                if name == "drain":
                    phase = phase_drain(folder, config)
                else:
                    phase = phase_commit(folder, config, forwarding=name == "commit_forwarding")
            except Exception as exc:  # noqa: BLE001  (a failed phase is reported; the rest run)
                failed = True
                phase = {"error": f"{type(exc).__name__}: {exc}"}
                print(f"  {name} failed: {phase['error']}", file=sys.stderr)
            phase["wall_s"] = round(time.monotonic() - began, 1)
            phase["loadavg_1min_before"] = load_before
            results["phases"][name] = phase
    results["table"] = summarize(results["phases"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print_table(results["table"])
    print(f"\nresults: {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
