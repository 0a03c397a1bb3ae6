"""The demo plant: the simulated line, its OPC UA server and its MQTT broker, on one thread.

It stands for the plant, not for a part of the HMI: it has its own thread and
its own asyncio loop, and the HMI's runtime connects to it over loopback
exactly as it would to a PLC and a line broker. That keeps the demo honest (the
same adapters, reconnects and quality handling run) and lets the tests use it
as a real peer. ``start`` returns only once both servers accept connections and
raises with the reason when they cannot (typically a port in use).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from datetime import UTC, datetime
from types import TracebackType

from asyncua.ua.uaerrors import UaError

from hmi.sim.line import BottlingLine, LineSnapshot
from hmi.sim.mqtt_broker import DemoBroker
from hmi.sim.mqtt_publisher import LinePublisher
from hmi.sim.opcua_server import FillerServer, opcua_url

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
# A repeating publish error is logged with its traceback once, then every this many ticks.
_REPEAT_LOG_EVERY = 120


class DemoPlant:
    """A simulated bottling line serving OPC UA (filler) and MQTT (capper, labeler).

    ``start`` and ``stop`` are called from any one thread; everything else runs
    on the plant's own thread. Usable as a context manager.
    """

    def __init__(
        self,
        mqtt_port: int = 18830,
        opcua_port: int = 48400,
        seed: int = 1,
        rate_hz: float = 2.0,
    ) -> None:
        for name, port in (("mqtt_port", mqtt_port), ("opcua_port", opcua_port)):
            if not 0 < port < 65536:
                raise ValueError(f"{name} must be a TCP port (1-65535), got {port}")
        if mqtt_port == opcua_port:
            raise ValueError(f"the MQTT and OPC UA ports must differ, both are {mqtt_port}")
        if not 0 < rate_hz <= 50:
            raise ValueError(f"rate_hz must be in (0, 50], got {rate_hz}")
        self._mqtt_port = mqtt_port
        self._opcua_port = opcua_port
        self._seed = seed
        self._rate_hz = rate_hz
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # guards _loop and _wake against a concurrent stop()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._failure: BaseException | None = None
        self._latest: LineSnapshot | None = None

    @property
    def mqtt_port(self) -> int:
        return self._mqtt_port

    @property
    def opcua_port(self) -> int:
        return self._opcua_port

    @property
    def opcua_url(self) -> str:
        return opcua_url(self._opcua_port, HOST)

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive() and self._startup_error is None

    @property
    def latest(self) -> LineSnapshot | None:
        """The snapshot published last (None before the first tick)."""
        return self._latest

    @property
    def failure(self) -> BaseException | None:
        """Why the plant's thread ended on its own, if it did (also logged)."""
        return self._failure

    @staticmethod
    def free_port() -> int:
        """A TCP port on 127.0.0.1 that nothing listens on right now."""
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((HOST, 0))
            port: int = sock.getsockname()[1]
            return port

    @staticmethod
    def port_is_free(port: int) -> bool:
        """Whether a server could listen on ``127.0.0.1:port`` (as asyncio would, with reuse)."""
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((HOST, port))
            except OSError:
                return False
            return True

    @staticmethod
    def pick_ports(preferred_mqtt: int = 18830, preferred_opcua: int = 48400) -> tuple[int, int]:
        """The preferred (MQTT, OPC UA) ports where they are free, else free ones."""
        mqtt = preferred_mqtt if DemoPlant.port_is_free(preferred_mqtt) else DemoPlant.free_port()
        opcua = preferred_opcua
        while opcua == mqtt or not DemoPlant.port_is_free(opcua):
            opcua = DemoPlant.free_port()
        return mqtt, opcua

    def start(self, timeout: float = 20.0) -> None:
        """Start the plant's thread; return once both servers accept connections.

        Raises RuntimeError with the cause when a server cannot start or when
        the plant is not up within ``timeout`` seconds; nothing is left running.
        """
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("the demo plant is already started")
        self._stopping.clear()
        self._ready.clear()
        self._startup_error = self._failure = None
        thread = threading.Thread(
            target=self._run, args=(timeout,), name="floorline-demo-plant", daemon=True
        )
        self._thread = thread
        thread.start()
        if not self._ready.wait(timeout):
            self._abandon(thread)
            raise RuntimeError(
                f"demo plant did not start within {timeout} s "
                f"(MQTT 127.0.0.1:{self._mqtt_port}, OPC UA {self.opcua_url})"
            )
        error = self._startup_outcome()
        if error is not None:
            self._abandon(thread)
            raise RuntimeError(f"demo plant could not start: {error}") from error
        logger.info("Demo plant running: MQTT 127.0.0.1:%d, %s", self._mqtt_port, self.opcua_url)

    def _startup_outcome(self) -> BaseException | None:
        """What the thread recorded before it signalled ready (it writes, start() reads)."""
        return self._startup_error

    def _abandon(self, thread: threading.Thread) -> None:
        """Stop a thread that failed to start; the start failure is the error to report."""
        try:
            self._stop_thread(thread, 10.0)
        except RuntimeError:
            logger.exception("Demo plant: the thread that failed to start does not end")

    def stop(self, timeout: float = 10.0) -> None:
        """Close both servers and the publisher and join the thread; idempotent."""
        thread = self._thread
        if thread is not None:
            self._stop_thread(thread, timeout)

    def _stop_thread(self, thread: threading.Thread, timeout: float) -> None:
        with self._lock:
            self._stopping.set()
            if self._loop is not None and self._wake is not None:
                self._loop.call_soon_threadsafe(self._wake.set)
        thread.join(timeout)
        if thread.is_alive():
            raise RuntimeError(f"demo plant did not stop within {timeout} s")
        self._thread = None

    def __enter__(self) -> DemoPlant:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self, timeout: float) -> None:
        """The thread's body: nothing it raises may vanish, so everything is logged here."""
        try:
            asyncio.run(self._main(timeout))
        except Exception as exc:
            if self._ready.is_set():
                logger.exception("Demo plant stopped on an error")
                self._failure = exc
            else:
                self._startup_error = exc
        finally:
            self._ready.set()

    async def _main(self, timeout: float) -> None:
        wake = asyncio.Event()
        with self._lock:
            self._loop, self._wake = asyncio.get_running_loop(), wake
            if self._stopping.is_set():
                wake.set()
        broker = DemoBroker(self._mqtt_port, HOST)
        server = FillerServer(self._opcua_port, HOST)
        publisher = LinePublisher(HOST, self._mqtt_port)
        try:
            if await self._open(wake, broker, server, publisher, timeout):
                self._ready.set()
                await self._tick(wake, server, publisher)
        finally:
            await self._close(broker, server, publisher)
            with self._lock:
                self._loop = self._wake = None

    async def _open(
        self,
        wake: asyncio.Event,
        broker: DemoBroker,
        server: FillerServer,
        publisher: LinePublisher,
        timeout: float,
    ) -> bool:
        """Start broker, server and publisher; False when stop() came first."""

        async def open_all() -> None:
            await broker.start()
            await server.start()
            await publisher.connect(timeout)

        opening = asyncio.ensure_future(open_all())
        stopping = asyncio.ensure_future(wake.wait())
        await asyncio.wait({opening, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        await asyncio.gather(stopping, return_exceptions=True)
        if not opening.done():
            opening.cancel()
            await asyncio.gather(opening, return_exceptions=True)
            return False
        opening.result()  # raises what made the start fail
        return True

    async def _tick(self, wake: asyncio.Event, server: FillerServer, pub: LinePublisher) -> None:
        """Step the line at ``rate_hz`` and publish every step until stopped."""
        loop = asyncio.get_running_loop()
        line = BottlingLine(self._seed)
        period = 1.0 / self._rate_hz
        failures = {"opcua": 0, "mqtt": 0}
        deadline = loop.time()
        while not wake.is_set():
            snapshot = line.step(period)
            now = datetime.now(UTC)
            try:
                await server.publish(snapshot, now)
                line.filler_setpoint = await server.setpoint()
                failures["opcua"] = 0
            except (UaError, OSError):  # e.g. a node removed under it; keep the line running
                self._log_repeated(failures, "opcua", "OPC UA write failed")
            try:
                pub.publish(snapshot, now)
                failures["mqtt"] = 0
            except OSError:  # a socket error mid-write; paho reconnects by itself
                self._log_repeated(failures, "mqtt", "MQTT publish failed")
            self._latest = snapshot
            deadline += period
            delay = deadline - loop.time()
            if delay < -5 * period:  # far behind (a suspended laptop): do not burst to catch up
                deadline, delay = loop.time(), 0.0
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=max(0.0, delay))

    @staticmethod
    def _log_repeated(failures: dict[str, int], key: str, message: str) -> None:
        count = failures[key]
        failures[key] = count + 1
        if count % _REPEAT_LOG_EVERY == 0:
            logger.exception("%s (%d times in a row)", message, count + 1)

    @staticmethod
    async def _close(broker: DemoBroker, server: FillerServer, publisher: LinePublisher) -> None:
        """Close what was opened, publisher first so the broker sees a clean DISCONNECT."""
        for name, close in (
            ("MQTT publisher", publisher.close),
            ("OPC UA server", server.stop),
            ("MQTT broker", broker.shutdown),
        ):
            try:
                await close()
            except Exception:  # keep closing the others: a port must not stay bound
                logger.exception("Demo plant: closing the %s failed", name)
