"""Alarm flood benchmark: 2,000 alarms in one second, through MQTT, into the alarm page.

Run by hand from the repository root (never by the test suite)::

    .venv/bin/python bench/alarms.py            # about a minute
    .venv/bin/python bench/alarms.py --rounds 1 --out /tmp/r.json

A private Mosquitto; a real ``Runtime`` with 2,000 tags, each with a HI alarm
at 50; a ``MainWindow`` (1280x800, offscreen, visible) on the alarm page with
the banner and the horn (silent). A publisher in a process of its own sends
2,000 messages (one per tag, value 100) paced evenly over one second.

Figures, per round:

* the longest gap between two ticks of a 5 ms timer on the GUI thread, from
  the first message until one second after the list is complete (a stall of
  the event loop the operator would feel);
* the time from the first message until the alarm list holds all 2,000 rows
  and the banner shows an alarm;
* the alarm journal rows written (all 2,000 activations must be there).

Baseline, in the same run: the same window and flood with no alarms defined
(the 2,000 values reach the tag store and the overview only). The ratios say
what alarm handling adds to plain ingest. Targets: no stall over 100 ms, the
list complete within 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.ingest import private_broker  # noqa: E402
from bench.report import print_table, versions  # noqa: E402
from hmi.domain.alarms import AlarmDef, AlarmKind, Priority  # noqa: E402
from hmi.domain.health import LinkState  # noqa: E402
from hmi.domain.plant import (  # noqa: E402
    Codec,
    CodecKind,
    MqttBinding,
    MqttSource,
    PlantDef,
    StationDef,
    TagDef,
)
from hmi.domain.users import SignInPolicy  # noqa: E402
from hmi.gui import theme  # noqa: E402
from hmi.gui.bridge import RuntimeBridge  # noqa: E402
from hmi.gui.collector import GuiThreadCollector  # noqa: E402
from hmi.gui.main_window import MainWindow  # noqa: E402
from hmi.gui.session_control import OperatorServices  # noqa: E402
from hmi.services.runtime import Runtime  # noqa: E402
from hmi.storage import alarm_journal  # noqa: E402

N = 2000
STATIONS = ("filler", "capper", "labeler", "packer")


def flood_plant(port: int, with_alarms: bool) -> PlantDef:
    source = MqttSource(id="broker", host="127.0.0.1", port=port, subscriptions=("flood/#",))
    tags = tuple(
        TagDef(f"t{i}", f"Tag {i}", "broker", MqttBinding(f"flood/{i}", Codec(CodecKind.NUMBER)))
        for i in range(N)
    )
    per = N // len(STATIONS)
    stations = tuple(
        StationDef(s, s.title(), tuple(f"t{i}" for i in range(k * per, (k + 1) * per)))
        for k, s in enumerate(STATIONS)
    )
    priorities = (Priority.LOW,) * 8 + (Priority.MEDIUM,) * 3 + (Priority.HIGH, Priority.CRITICAL)
    alarms = tuple(
        AlarmDef(
            f"a{i}",
            STATIONS[i // per],
            f"t{i}",
            AlarmKind.HI,
            priorities[i % len(priorities)],
            f"Tag {i} high",
            setpoint=50.0,
        )
        for i in range(N)
    )
    plant = PlantDef("flood", (source,), tags, stations, sign_in=SignInPolicy(idle_lock_s=0))
    return replace(plant, alarms=alarms if with_alarms else ())


class Ticks:
    """The longest gap between ticks of a 5 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.worst = 0.0

    def start(self) -> None:
        self.last, self.worst = time.perf_counter(), 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def stop(self) -> float:
        self.timer.stop()
        self._tick()
        return self.worst


def wait(predicate: Any, timeout: float) -> bool:
    """Run the GUI's event loop until ``predicate()`` or the timeout."""
    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: (predicate() or time.monotonic() > deadline) and loop.quit())
    timer.start()
    if not predicate():
        loop.exec()
    timer.stop()
    return bool(predicate())


PUBLISHER = """
import sys, time
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
port, n = int(sys.argv[1]), int(sys.argv[2])
client = mqtt.Client(CallbackAPIVersion.VERSION2)
client.connect("127.0.0.1", port)
client.loop_start()
print("READY", flush=True)
sys.stdin.readline()
t0 = time.perf_counter()
for i in range(n):
    pause = t0 + i / n - time.perf_counter()
    if pause > 0:
        time.sleep(pause)  # pacing the flood over one second
    client.publish(f"flood/{i}", b"100", qos=0)
client.loop_stop()
client.disconnect()
"""


def start_publisher(port: int) -> subprocess.Popen[str]:
    """The flood's publisher in a process of its own, as a plant's publishers are."""
    proc = subprocess.Popen(
        [sys.executable, "-c", PUBLISHER, str(port), str(N)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "READY"
    return proc


def one_round(port: int, with_alarms: bool, workdir: Path) -> dict[str, float]:
    cache = workdir / f"cache-{with_alarms}-{time.monotonic_ns()}.sqlite"
    runtime = Runtime(flood_plant(port, with_alarms), cache_path=cache)
    runtime.start()
    bridge = RuntimeBridge(runtime.store, runtime.acquisition.health)
    window = MainWindow(
        runtime.plant, bridge, runtime.clock.now, OperatorServices.of(runtime), audible=False
    )
    window.resize(1280, 800)
    window.show()
    bridge.start()
    if with_alarms:
        window.show_page("alarms")
    try:
        assert wait(lambda: runtime.acquisition.health()[0].state is LinkState.CONNECTED, 10), (
            "no connection to the broker"
        )
        ticks = Ticks()
        publisher = start_publisher(port)  # connected, waiting for the word
        ticks.start()
        assert publisher.stdin is not None
        publisher.stdin.write("GO\n")
        publisher.stdin.flush()
        t0 = time.perf_counter()
        store = runtime.store
        page = window.alarms

        def complete() -> bool:
            if with_alarms:
                assert page is not None
                return page.model.rowCount() == N and bool(window.alarm_banner.shown_id)
            return all(store.get(f"t{i}").value == 100.0 for i in (0, N // 2, N - 1)) and (
                store.updates_applied >= N
            )

        done = wait(complete, 30)
        elapsed = time.perf_counter() - t0
        wait(lambda: False, 1.0)  # one more second of the loop under watch
        worst = ticks.stop()
        publisher.wait(10)
        rows = 0
        if with_alarms:
            rows = len(
                runtime.submit(
                    runtime.alarms.load_journal(alarm_journal.JournalQuery(0, 4e9))
                ).result(30)
            )
        return {
            "complete": float(done),
            "complete_s": elapsed,
            "worst_stall_ms": worst * 1000,
            "journal_rows": float(rows),
        }
    finally:
        window.close()
        bridge.stop()
        runtime.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    theme.apply(app)  # type: ignore[arg-type]
    GuiThreadCollector(app)  # as the program runs: cycles die on this thread (owned by app)
    results: dict[str, list[dict[str, float]]] = {"baseline": [], "floorline": []}
    with tempfile.TemporaryDirectory() as tmp, private_broker(Path(tmp)) as broker:
        for _ in range(args.rounds):
            for name, with_alarms in (("baseline", False), ("floorline", True)):
                results[name].append(one_round(broker.port, with_alarms, Path(tmp)))
                print(name, json.dumps(results[name][-1]))

    def median(name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[name])

    base_stall, stall = median("baseline", "worst_stall_ms"), median("floorline", "worst_stall_ms")
    base_done, done = median("baseline", "complete_s"), median("floorline", "complete_s")
    rows = [
        {
            "figure": "worst GUI stall during the flood (ms, median of rounds)",
            "baseline": f"{base_stall:.0f}",
            "floorline": f"{stall:.0f}",
            "ratio": stall / base_stall if base_stall else None,
            "target": "< 100 ms",
            "met": stall < 100,
        },
        {
            "figure": "first message to all 2,000 shown (s)",
            "baseline": f"{base_done:.2f}",
            "floorline": f"{done:.2f}",
            "ratio": done / base_done if base_done else None,
            "target": "<= 1 s after the flood's last message (flood lasts 1 s)",
            "met": done <= 2.0,
        },
        {
            "figure": "activations in the journal",
            "baseline": "",
            "floorline": f"{min(r['journal_rows'] for r in results['floorline']):.0f}",
            "ratio": None,
            "target": f"{N}",
            "met": all(r["journal_rows"] >= N for r in results["floorline"]),
        },
    ]
    print_table(rows)
    out = args.out or ROOT / "bench" / "results" / f"alarms-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"versions": versions(), "rounds": results, "rows": rows}, indent=2))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
