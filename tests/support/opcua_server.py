"""An OPC UA test server in a process of its own, so a test can kill it for real.

Run as ``python -m tests.support.opcua_server PORT``; prints READY when it serves.
Its variables (namespace index 2): Test.Float (Double), Test.Int (Int32),
Test.Bool, Test.Text (String), all writable, and Test.Counter (Int64), which
the server increments every 100 ms.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAMESPACE = "urn:floorline:test"


async def serve(port: int) -> None:
    from asyncua import Server, ua

    logging.basicConfig(level=logging.WARNING)
    server = Server()
    await server.init()
    server.set_endpoint(f"opc.tcp://127.0.0.1:{port}/test")
    server.set_security_policy([ua.SecurityPolicyType.NoSecurity])
    idx = await server.register_namespace(NAMESPACE)
    folder = await server.nodes.objects.add_object(ua.NodeId("Test", idx), "Test")
    initial = {
        "Float": ua.Variant(0.0, ua.VariantType.Double),
        "Int": ua.Variant(0, ua.VariantType.Int32),
        "Bool": ua.Variant(False, ua.VariantType.Boolean),
        "Text": ua.Variant("", ua.VariantType.String),
    }
    for name, variant in initial.items():
        var = await folder.add_variable(ua.NodeId(f"Test.{name}", idx), name, variant)
        await var.set_writable()
    counter = await folder.add_variable(
        ua.NodeId("Test.Counter", idx), "Counter", ua.Variant(0, ua.VariantType.Int64)
    )
    async with server:
        print("READY", flush=True)
        count = 0
        while True:
            await asyncio.sleep(0.1)
            count += 1
            await counter.write_value(ua.Variant(count, ua.VariantType.Int64))


class OpcUaServerProcess:
    """Starts, kills and restarts the test server on one fixed port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"opc.tcp://127.0.0.1:{port}/test"
        self._proc: subprocess.Popen[str] | None = None

    def start(self, timeout: float = 30.0) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.opcua_server", str(self.port)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        deadline = time.monotonic() + timeout
        assert self._proc.stdout is not None
        # readline blocks, but the child either prints READY or exits (EOF) within seconds.
        line = self._proc.stdout.readline()
        if line.strip() != "READY" or time.monotonic() > deadline:
            self.kill()
            raise RuntimeError(f"OPC UA test server did not start: {line!r}")

    def kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait(10)
            if self._proc.stdout:
                self._proc.stdout.close()
            self._proc = None


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
