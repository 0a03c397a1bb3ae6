"""Publishes JSON samples at a fixed rate through mosquitto_pub, for bench/ingest.py.

Run as ``python bench/paced_publisher.py --port P --prefix bench/lat --topics 20
--rate 5000 --seconds 10``. It starts one ``mosquitto_pub -l -q 0`` per topic
(mosquitto_pub publishes to one topic only) and writes lines to their standard
inputs round-robin, paced against the monotonic clock; each line carries its
publish time in ``ts`` (``time.time()`` when the line is written), so the
receiver can compute the publish-to-receive latency. A Python publisher is too
slow for such rates; writing lines to a pipe is not.

At the end it prints ``SENT <messages> <seconds>`` and exits; on SIGTERM it
stops its mosquitto_pub processes first.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from types import FrameType

WARMUP_S = 0.5  # let every mosquitto_pub connect before the clock starts
TICK_S = 0.001


def _terminate(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(1)


def run(port: int, prefix: str, topics: int, rate: float, seconds: float) -> tuple[int, float]:
    pubs: list[subprocess.Popen[bytes]] = []
    try:
        for i in range(topics):
            pubs.append(
                subprocess.Popen(
                    [
                        "mosquitto_pub",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        str(port),
                        "-t",
                        f"{prefix}/{i}",
                        "-l",
                        "-q",
                        "0",
                    ],
                    stdin=subprocess.PIPE,
                )
            )
        fds = [p.stdin.fileno() for p in pubs if p.stdin is not None]
        time.sleep(WARMUP_S)
        sent = 0
        start = time.monotonic()
        end = start + seconds
        buffers: list[list[str]] = [[] for _ in fds]
        while True:
            now = time.monotonic()
            if now >= end:
                break
            due = int((now - start) * rate)
            if due > sent:
                stamp = time.time()
                for n in range(sent, due):
                    buffers[n % topics].append(
                        f'{{"v": {n % 1000 / 10:.1f}, "ts": {stamp:.6f}, "q": "good"}}\n'
                    )
                sent = due
                for fd, lines in zip(fds, buffers, strict=True):
                    if lines:
                        os.write(fd, "".join(lines).encode())
                        lines.clear()
            time.sleep(TICK_S)
        elapsed = time.monotonic() - start
        for p in pubs:
            if p.stdin is not None:
                p.stdin.close()
        for p in pubs:
            p.wait(10)
        return sent, elapsed
    finally:
        for p in pubs:
            if p.poll() is None:
                p.kill()
                p.wait(5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--prefix", default="bench/lat")
    parser.add_argument("--topics", type=int, default=20)
    parser.add_argument("--rate", type=float, default=5000.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _terminate)
    sent, elapsed = run(args.port, args.prefix, args.topics, args.rate, args.seconds)
    print(f"SENT {sent} {elapsed:.3f}", flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
