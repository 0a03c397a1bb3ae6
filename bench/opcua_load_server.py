"""An OPC UA server that changes K Double variables every X ms, for bench/ingest.py.

Run as ``python bench/opcua_load_server.py PORT --variables K --period-ms X --status FILE``.
Prints READY once it serves. The variables are ``ns=2;s=Load.<i>`` (i = 0..K-1);
every period each gets a new value (so every write is a data change) with a
source time stamp. The server counts its writes and rewrites FILE four times a
second with ``<writes> <time.monotonic()> <late ticks>``, so the benchmark can
tell what it actually generated over any window. It runs until killed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from datetime import UTC, datetime
from pathlib import Path

NAMESPACE = "urn:floorline:bench"
STATUS_PERIOD_S = 0.25


def node_id(index: int) -> str:
    return f"ns=2;s=Load.{index}"


class Status:
    """Writes the counters to a file atomically (write a temporary file, then rename)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_suffix(".tmp")
        self.writes = 0
        self.late = 0
        self._next = 0.0

    def maybe_dump(self, now: float) -> None:
        if now >= self._next:
            self._next = now + STATUS_PERIOD_S
            self.tmp.write_text(f"{self.writes} {now:.6f} {self.late}\n")
            self.tmp.replace(self.path)


async def serve(port: int, variables: int, period_ms: float, status: Status) -> None:
    from asyncua import Server, ua

    logging.basicConfig(level=logging.ERROR)
    server = Server()
    await server.init()
    server.set_endpoint(f"opc.tcp://127.0.0.1:{port}/bench")
    server.set_security_policy([ua.SecurityPolicyType.NoSecurity])
    idx = await server.register_namespace(NAMESPACE)
    folder = await server.nodes.objects.add_object(ua.NodeId("Load", idx), "Load")
    ids = []
    for i in range(variables):
        var = await folder.add_variable(
            ua.NodeId(f"Load.{i}", idx), f"Load{i}", ua.Variant(0.0, ua.VariantType.Double)
        )
        ids.append(var.nodeid)
    period = period_ms / 1000.0
    write = server.write_attribute_value
    double = ua.VariantType.Double
    async with server:
        print("READY", flush=True)
        tick = 0
        next_at = time.monotonic()
        while True:
            tick += 1
            stamp = datetime.now(UTC)
            for i, nid in enumerate(ids):
                # A different value on every tick, so each write is a data change.
                value = ua.DataValue(ua.Variant(tick + i * 0.001, double), SourceTimestamp=stamp)
                await write(nid, value)
            status.writes += len(ids)
            now = time.monotonic()
            status.maybe_dump(now)
            next_at += period
            if now - next_at > period:  # over a period behind: count it, do not catch up in a burst
                status.late += 1
                next_at = now
            await asyncio.sleep(max(0.0, next_at - now))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("port", type=int)
    parser.add_argument("--variables", type=int, default=100)
    parser.add_argument("--period-ms", type=float, default=40.0)
    parser.add_argument("--status", type=Path, required=True)
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.variables, args.period_ms, Status(args.status)))


if __name__ == "__main__":
    main()
