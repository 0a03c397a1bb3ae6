"""MQTT source: paho-mqtt 2 on its own thread, decoding on the runtime's thread.

paho's callbacks only enqueue: a message goes into a bounded inbox (a deque)
and the runtime's asyncio loop is woken when the inbox turns non-empty; link
state changes are handed over with ``call_soon_threadsafe``. paho reconnects
by itself with capped backoff; every (re)connect subscribes again, so
subscriptions are restored after a broker restart.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import ssl
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, Literal

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from hmi.adapters.codecs import TopicDecoder
from hmi.adapters.link import (
    Backoff,
    LinkHealth,
    RateLimitedLog,
    SampleSink,
    WriteFailedError,
    read_secret,
)
from hmi.domain.clock import Clock
from hmi.domain.health import LinkState
from hmi.domain.plant import (
    DEV_INSECURE_ENV,
    MqttBinding,
    MqttProtocol,
    MqttSource,
    TagDef,
    TlsSettings,
)

log = logging.getLogger(__name__)

MAX_TOPICS_SEEN = 20_000  # a topic browser for people; a flood of topics stops here
INBOX_LIMIT = 200_000  # messages; beyond it the oldest are dropped and counted
DRAIN_SAMPLES = 2_000  # samples decoded before the loop gets a turn (an operator waits on it)
GATHER_S = 0.002  # after a wake-up, let messages gather: one wake-up per burst, not per message


def build_decoders(source: MqttSource, tags: Sequence[TagDef]) -> dict[str, TopicDecoder]:
    """One decoder per bound topic, covering every tag on that topic."""
    by_topic: dict[str, list[tuple[TagDef, Any]]] = {}
    for tag in tags:
        if isinstance(tag.binding, MqttBinding):
            by_topic.setdefault(tag.binding.topic, []).append((tag, tag.binding.codec))
    return {
        topic: TopicDecoder(pairs, source.max_payload_bytes) for topic, pairs in by_topic.items()
    }


class _Client(mqtt.Client):
    """paho's client, keeping why the last connection attempt failed (paho drops it)."""

    last_connect_error = ""
    last_socket_error = ""  # a TLS alert after the handshake (TLS 1.3 checks clients then)
    before_connect: Callable[[], None] | None = None  # runs before every attempt (a new will)

    def reconnect(self) -> MQTTErrorCode:
        if self.before_connect is not None:
            self.before_connect()
        try:
            return super().reconnect()
        except OSError as exc:
            self.last_connect_error = describe_connect_error(exc)
            raise

    def _sock_recv(self, bufsize: int) -> bytes:
        try:
            return super()._sock_recv(bufsize)
        except ssl.SSLError as exc:  # "want read/write" became BlockingIOError in paho
            self.last_socket_error = describe_connect_error(exc)
            raise


def describe_connect_error(exc: OSError) -> str:
    """What the integrator needs to read in the status bar, not a stack trace."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"the broker's certificate was refused: {exc.verify_message}"
    if isinstance(exc, ssl.SSLError):
        reason = str(exc.reason or exc)
        if "CERTIFICATE_REQUIRED" in reason:
            return "the broker asks for a client certificate: give tls.cert_file and tls.key_file"
        if "UNKNOWN_CA" in reason or "BAD_CERTIFICATE" in reason:
            return f"the broker refused the client certificate ({reason})"
        return f"TLS failed: {reason}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "unknown host name"
    if isinstance(exc, TimeoutError):
        return "no answer within the time limit"
    return str(exc) or type(exc).__name__


class _NamedServerContext(ssl.SSLContext):
    """Checks the broker's certificate against a configured name instead of the host.

    paho wraps its socket with ``server_hostname=host``; when the plant reaches
    the broker by IP address, the certificate names it by DNS name. With the
    developer's ``insecure_skip_verify`` it warns at every connection instead.
    """

    expected_name: str | None = None
    insecure_warning: str | None = None

    def wrap_socket(self, sock: Any, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        if self.insecure_warning is not None:
            log.warning("%s", self.insecure_warning)
        if self.expected_name is not None:
            kwargs["server_hostname"] = self.expected_name
        wrapped = super().wrap_socket(sock, *args, **kwargs)
        # Shake hands here so a refused certificate closes the socket; paho leaves it open.
        try:
            wrapped.do_handshake()
        except OSError:
            wrapped.close()
            raise
        return wrapped


class InsecureTlsRefusedError(Exception):
    """``insecure_skip_verify`` without the developer's environment variable."""


def tls_context(tls: TlsSettings, where: str) -> ssl.SSLContext:
    """A client context that verifies the broker's chain and name; never anything less.

    The one exception is the developer's ``insecure_skip_verify``, honoured only
    while FLOORLINE_DEV_INSECURE=1 and logged as a warning at every connection;
    without the variable it raises ``InsecureTlsRefusedError``. ``where`` names
    the link in that warning.
    """
    context = _NamedServerContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if tls.insecure_skip_verify:
        if os.environ.get(DEV_INSECURE_ENV) != "1":
            raise InsecureTlsRefusedError(
                f"tls.insecure_skip_verify is a developer's setting, honoured only while "
                f"{DEV_INSECURE_ENV}=1 is set: not connecting"
            )
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.insecure_warning = (
            f"{where}: TLS certificate verification is OFF (tls.insecure_skip_verify with "
            f"{DEV_INSECURE_ENV}=1): a developer's setting, never for a plant"
        )
    if tls.ca_file is not None:
        context.load_verify_locations(cafile=tls.ca_file)
    if tls.cert_file is not None:
        context.load_cert_chain(tls.cert_file, tls.key_file)
    context.expected_name = tls.server_name
    return context


class PahoCallbacks:
    """paho's link callbacks, handed over to the asyncio loop (they only enqueue).

    For the classes that own a ``_Client``: they say where they connect and
    what "down" means for them.
    """

    _loop: asyncio.AbstractEventLoop | None
    _client: _Client

    def _where(self) -> str:
        raise NotImplementedError

    def _link_down(self, error: str) -> None:
        raise NotImplementedError

    def _post(self, callback: Any, *args: object) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(callback, *args)

    def _on_disconnect(
        self,
        _client: mqtt.Client,
        _userdata: object,
        _flags: object,
        reason: ReasonCode,
        _props: Properties | None,
    ) -> None:
        detail, self._client.last_socket_error = self._client.last_socket_error, ""
        self._post(self._link_down, detail or f"disconnected: {reason}")

    def _on_connect_fail(self, _client: mqtt.Client, _userdata: object) -> None:
        error = self._client.last_connect_error or "no answer"
        self._post(self._link_down, f"cannot connect to {self._where()}: {error}")


class MqttLink(PahoCallbacks):
    """One MQTT broker connection feeding a ``SampleSink``."""

    def __init__(
        self,
        source: MqttSource,
        tags: Sequence[TagDef],
        sink: SampleSink,
        clock: Clock,
    ) -> None:
        self.source = source
        self._sink = sink
        self._clock = clock
        self._decoders = build_decoders(source, tags)
        self._filters = list(source.subscriptions) or sorted(self._decoders)
        self.health = LinkHealth(source.id, "mqtt", clock)
        self._inbox: deque[tuple[str, bytes, float, float]] = deque()
        self.topics_seen: dict[str, float] = {}  # topic -> when last seen (runtime loop only)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._wake_pending = False
        self._drain_task: asyncio.Task[None] | None = None
        self._backoff = Backoff(source.reconnect_min_s, source.reconnect_max_s)
        self._rate_log = RateLimitedLog(log)
        self.dropped = 0
        self.unrouted = 0
        # MQTT 5: a clean session at the first connection only (paho's default), or always.
        self._clean_start: bool | Literal[3] = mqtt.MQTT_CLEAN_START_FIRST_ONLY
        self._client = self._make_client()

    # -- lifecycle (runtime thread) ------------------------------------------

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._drain_task = asyncio.create_task(self._drain_forever(), name=f"mqtt-{self.source.id}")
        self.health.set_state(LinkState.CONNECTING)
        self._sink.on_link(self.health.snapshot())
        try:
            self._configure_credentials()
        except OSError as exc:
            self.health.set_state(LinkState.STOPPED, f"cannot read the password: {exc}")
            self._sink.on_link(self.health.snapshot())
            return
        if self.source.tls is not None:
            try:
                self._client.tls_set_context(tls_context(self.source.tls, self.source.id))
            except (InsecureTlsRefusedError, OSError) as exc:
                self.health.set_state(LinkState.STOPPED, f"TLS cannot be set up: {exc}")
                self._sink.on_link(self.health.snapshot())
                log.warning("%s: TLS cannot be set up: %s", self.source.id, exc)
                return
        self._client.connect_async(
            self.source.host,
            self.source.port,
            self.source.keepalive_s,
            clean_start=self._clean_start,
        )
        self._client.loop_start()

    async def stop(self) -> None:
        self.health.set_state(LinkState.STOPPED)  # the disconnect that follows is no outage
        self._client.disconnect()
        await asyncio.to_thread(self._client.loop_stop)
        if self._drain_task is not None:
            self._drain_task.cancel()
            await asyncio.gather(self._drain_task, return_exceptions=True)
        self.health.set_state(LinkState.STOPPED)
        self._sink.on_link(self.health.snapshot())

    async def publish_command(self, topic: str, payload: bytes, timeout: float = 5.0) -> None:
        """Publish a command at QoS 1 and wait for the broker's acknowledgement.

        Raises ``WriteFailedError`` when the link is down or the broker does not
        acknowledge in time. Never queued for later: paho would replay it on
        reconnect, so nothing is handed to paho while the link is down.
        """
        if self.health.state is not LinkState.CONNECTED:
            raise WriteFailedError(f"{self.source.id} is not connected: nothing was sent")
        info = self._client.publish(topic, payload, qos=1)
        try:
            await asyncio.to_thread(info.wait_for_publish, timeout)
        except (RuntimeError, ValueError) as exc:
            raise WriteFailedError(f"{self.source.id}: the command was not sent ({exc})") from exc
        if not info.is_published():
            raise WriteFailedError(f"{self.source.id}: the broker did not confirm the command")

    def _make_client(self) -> _Client:
        src = self.source
        protocol = mqtt.MQTTv5 if src.protocol is MqttProtocol.V5 else mqtt.MQTTv311
        client_id = src.client_id or f"floorline-{socket.gethostname()}-{src.id}"
        client = _Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=protocol,
            clean_session=None if protocol == mqtt.MQTTv5 else True,
        )
        client.reconnect_delay_set(
            max(1, round(src.reconnect_min_s)), max(1, round(src.reconnect_max_s))
        )
        client.on_connect = self._on_connect
        client.on_subscribe = self._on_subscribe
        client.on_disconnect = self._on_disconnect
        client.on_connect_fail = self._on_connect_fail
        client.on_message = self._on_message
        return client

    def _configure_credentials(self) -> None:
        creds = self.source.credentials
        if creds is not None:
            password = read_secret(creds.password_env, creds.password_file)
            self._client.username_pw_set(creds.username, password)

    # -- paho thread: enqueue only ---------------------------------------------

    def _on_message(self, _client: mqtt.Client, _userdata: object, msg: mqtt.MQTTMessage) -> None:
        inbox = self._inbox
        if len(inbox) >= INBOX_LIMIT:
            inbox.popleft()
            self.dropped += 1
        inbox.append((msg.topic, bytes(msg.payload), time.time(), time.monotonic()))
        # Append first, then wake: the drain task clears the flag before it drains,
        # so a message appended at any moment is either drained or wakes it again.
        if not self._wake_pending and self._loop is not None:
            self._wake_pending = True
            self._loop.call_soon_threadsafe(self._wake.set)

    def _on_connect(
        self,
        client: mqtt.Client,
        _userdata: object,
        _flags: object,
        reason: ReasonCode,
        _props: Properties | None,
    ) -> None:
        if reason.is_failure:
            # paho disconnects next ("Protocol error"); that report carries the real reason.
            self._client.last_socket_error = f"the broker refused the connection: {reason}"
            return
        if self._filters:
            # Connected once the broker has the subscriptions (SUBACK): only then can a
            # value arrive, and a source that reports "connected" must be able to deliver.
            client.subscribe([(topic, 0) for topic in self._filters])
            return
        self._post(self._link_up)

    def _on_subscribe(
        self,
        _client: mqtt.Client,
        _userdata: object,
        _mid: int,
        reasons: list[ReasonCode],
        _props: Properties | None,
    ) -> None:
        refused = [str(r) for r in reasons if r.is_failure]
        if refused:
            log.warning(
                "%s: the broker refused %d subscription(s): %s",
                self.source.id,
                len(refused),
                ", ".join(refused),
            )
        if reasons and len(refused) == len(reasons):
            # Connected to a broker that sends nothing is not "connected": say why.
            self._post(self._refused_everything)
            return
        self._post(self._link_up)

    def _where(self) -> str:
        return f"{self.source.host}:{self.source.port}"

    # -- runtime thread ------------------------------------------------------

    def _refused_everything(self) -> None:
        self.health.last_error = "the broker refused every subscription: check its ACL"

    def _link_up(self) -> None:
        if self.health.state is LinkState.STOPPED:
            return  # a late acknowledgement after stop()
        self._backoff.reset()
        self.health.set_state(LinkState.CONNECTED)
        self._sink.on_link(self.health.snapshot())

    def _link_down(self, error: str) -> None:
        if self.health.state is LinkState.STOPPED:
            return
        # Mirrors paho's own schedule (min, doubling, capped at max) to show the next attempt.
        delay = self._backoff.next_delay()
        self.health.set_state(LinkState.RECONNECTING, error, self._clock.now() + delay)
        self._sink.on_link(self.health.snapshot())
        self._rate_log.report(
            "link", "%s: %s; next attempt in %.0f s", self.source.id, error, delay
        )

    async def _drain_forever(self) -> None:
        while True:
            await self._wake.wait()
            await asyncio.sleep(GATHER_S)
            self._wake.clear()
            self._wake_pending = False
            while self._inbox:
                self._drain_chunk()
                await asyncio.sleep(0)

    def _drain_chunk(self) -> None:
        """Decode until the inbox is empty or DRAIN_SAMPLES samples are made, then deliver."""
        inbox, decoders, health = self._inbox, self._decoders, self.health
        samples: list[Any] = []
        while inbox and len(samples) < DRAIN_SAMPLES:
            topic, payload, recv_ts, recv_mono = inbox.popleft()
            if topic in self.topics_seen or len(self.topics_seen) < MAX_TOPICS_SEEN:
                self.topics_seen[topic] = recv_ts  # the topic browser's tree
            decoder = decoders.get(topic)
            if decoder is None:
                self.unrouted += 1
                continue
            decoded, rejection = decoder.decode(payload, recv_ts, recv_mono)
            samples.extend(decoded)
            health.received += 1
            if rejection:
                health.rejected += 1
                health.last_rejection = f"{topic}: {rejection}"
                self._rate_log.report(
                    topic, "%s: rejected a message on %s: %s", self.source.id, topic, rejection
                )
        if samples:
            self._sink.on_samples(samples)
