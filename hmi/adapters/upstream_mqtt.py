"""Records upstream over MQTT 5: QoS 1 on a client id and persistent session of their own.

A record is delivered only when its PUBACK arrives with a success reason code
(0x10 "No matching subscribers" is a success: the broker took it). A failure
code (0x87 Not authorized, 0x97 Quota exceeded, 0x99 Payload format invalid,
...) is the broker refusing that record; no PUBACK within the time limit, or a
disconnect, is the link failing. paho keeps its session in memory only, so the
SQLite outbox, not paho, is what survives a restart.

paho's thread only hands over: PUBACKs go into a deque, and the runtime's
loop is woken (``call_soon_threadsafe``) when it turns non-empty, so a burst
of acknowledgements costs one wake-up. What sits unacknowledged in paho is
bounded (``MAX_UNACKNOWLEDGED``): beyond 65,535 paho reuses message ids and
silently loses messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections import deque
from collections.abc import Sequence

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from hmi.adapters.link import read_secret
from hmi.adapters.mqtt import InsecureTlsRefusedError, PahoCallbacks, _Client, tls_context
from hmi.adapters.upstream import LinkListener, Outcome, Outgoing, Verdict
from hmi.domain.health import LinkState
from hmi.domain.plant import MqttUpstream

log = logging.getLogger(__name__)

MAX_UNACKNOWLEDGED = 2_000  # records handed to paho and not yet acknowledged, given up ones too
# QoS 1 messages on the wire at once; the rest of a batch waits in paho's queue. Mosquitto's
# default Receive Maximum is 20, and a wider window does not drain faster on loopback.
IN_FLIGHT_WINDOW = 20
FORGET_GIVEN_UP_S = 600.0  # a record given up on whose PUBACK never comes stops counting then
KEEPALIVE_S = 15
PUBLISH_CHUNK = 10  # publishes between turns of the loop
RECORD_ID_PROPERTY = "record-id"


def default_client_id() -> str:
    return f"floorline-records-{socket.gethostname()}"


def _no_delay(client: mqtt.Client) -> None:
    """Small packets go out at once: without it, TCP holds a batch's last PUBLISH for an ACK.

    paho leaves Nagle's algorithm on; a broker should turn it off too (Mosquitto:
    ``set_tcp_nodelay true``), or each batch's last PUBACKs wait for a delayed ACK.
    """
    sock = client.socket()
    if isinstance(sock, socket.socket):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError as exc:  # not TCP (a Unix socket): nothing to turn off
            log.debug("TCP_NODELAY not set: %s", exc)


class _Waiting:
    """A published record waiting for its PUBACK; ``done`` once it has an outcome."""

    __slots__ = ("done", "outcome", "record_id", "resolved_at")

    def __init__(self, record_id: str) -> None:
        self.record_id = record_id
        self.done = False
        self.outcome = Outcome(record_id, Verdict.TRANSIENT, "not sent")
        self.resolved_at = 0.0


class MqttRecordUpstream(PahoCallbacks):
    """One MQTT 5 connection that publishes record envelopes and reports PUBACKs."""

    def __init__(self, settings: MqttUpstream, retry_min_s: float, retry_max_s: float) -> None:
        self.settings = settings
        self.client_id = settings.client_id or default_client_id()
        self._retry = (retry_min_s, retry_max_s)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listener: LinkListener | None = None
        self._connected = False
        self._waiting: dict[int, _Waiting] = {}  # by message id, given up ones too
        self._acks: deque[tuple[int, bool, str]] = deque()  # filled by paho's thread
        self._open = 0  # records of the batch under way without an outcome
        self._batch_done = asyncio.Event()
        self._client = self._make_client()

    @property
    def address(self) -> str:
        scheme = "mqtts" if self.settings.tls is not None else "mqtt"
        return f"{scheme}://{self.settings.host}:{self.settings.port}"

    @property
    def ready(self) -> bool:
        return self._connected

    def capacity(self) -> int:
        cutoff = time.monotonic() - FORGET_GIVEN_UP_S
        stale = [m for m, w in self._waiting.items() if w.done and w.resolved_at < cutoff]
        for mid in stale:
            del self._waiting[mid]
        return max(0, MAX_UNACKNOWLEDGED - len(self._waiting))

    # -- lifecycle (runtime thread) ------------------------------------------

    async def start(self, listener: LinkListener) -> None:
        self._loop = asyncio.get_running_loop()
        self._listener = listener
        creds = self.settings.credentials
        try:
            if creds is not None:
                password = read_secret(creds.password_env, creds.password_file)
                self._client.username_pw_set(creds.username, password)
        except OSError as exc:
            listener(LinkState.STOPPED, f"cannot read the password: {exc}")
            return
        if self.settings.tls is not None:
            try:
                self._client.tls_set_context(tls_context(self.settings.tls, "records upstream"))
            except (InsecureTlsRefusedError, OSError) as exc:
                log.warning("records upstream: TLS cannot be set up: %s", exc)
                listener(LinkState.STOPPED, f"TLS cannot be set up: {exc}")
                return
        listener(LinkState.CONNECTING, "")
        connect = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        connect.SessionExpiryInterval = self.settings.session_expiry_s
        self._client.connect_async(
            self.settings.host,
            self.settings.port,
            KEEPALIVE_S,
            clean_start=False,
            properties=connect,
        )
        self._client.loop_start()

    async def stop(self) -> None:
        self._listener = None
        self._client.disconnect()
        await asyncio.to_thread(self._client.loop_stop)
        self._connected = False
        self._give_up_all("the forwarder stopped")

    def _make_client(self) -> _Client:
        client = _Client(
            CallbackAPIVersion.VERSION2, client_id=self.client_id, protocol=mqtt.MQTTv5
        )
        low, high = self._retry
        client.reconnect_delay_set(max(1, round(low)), max(1, round(high)))
        client.max_inflight_messages_set(IN_FLIGHT_WINDOW)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_connect_fail = self._on_connect_fail
        client.on_publish = self._on_publish
        return client

    # -- sending (runtime thread) --------------------------------------------

    async def send(self, items: Sequence[Outgoing], timeout_s: float) -> list[Outcome]:
        self._batch_done.clear()
        self._open = 0
        results: list[Outcome | _Waiting] = []
        for n, item in enumerate(items):
            results.append(self._publish(item))
            if n % PUBLISH_CHUNK == PUBLISH_CHUNK - 1:
                await asyncio.sleep(0)
        if self._open:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._batch_done.wait(), timeout_s)
        self._take_acks()
        outcomes: list[Outcome] = []
        for result in results:
            if isinstance(result, _Waiting):
                self._resolve(result, Verdict.TRANSIENT, f"no PUBACK within {timeout_s:g} s")
                outcomes.append(result.outcome)
            else:
                outcomes.append(result)
        self._open = 0
        return outcomes

    def _publish(self, item: Outgoing) -> Outcome | _Waiting:
        if not self._connected:
            return Outcome(item.record_id, Verdict.TRANSIENT, "not connected")
        topic = f"{self.settings.topic_prefix}/{item.station}/{item.kind}"
        props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
        props.ContentType = "application/json"
        props.PayloadFormatIndicator = 1  # UTF-8 text
        props.UserProperty = [(RECORD_ID_PROPERTY, item.record_id)]
        try:
            info = self._client.publish(topic, item.body.encode(), qos=1, properties=props)
        except ValueError as exc:  # e.g. a station id with + or #: no topic can carry it
            return Outcome(item.record_id, Verdict.REFUSED, f"cannot publish to {topic!r}: {exc}")
        if info.rc not in (MQTTErrorCode.MQTT_ERR_SUCCESS, MQTTErrorCode.MQTT_ERR_NO_CONN):
            why = f"paho did not take it: {mqtt.error_string(info.rc)}"
            return Outcome(item.record_id, Verdict.TRANSIENT, why)
        # Registered before the loop takes acknowledgements again, so none can come first.
        waiting = _Waiting(item.record_id)
        self._waiting[info.mid] = waiting
        self._open += 1
        if info.rc == MQTTErrorCode.MQTT_ERR_NO_CONN:
            # paho keeps it and sends it after reconnecting; the forwarder will try again too.
            self._resolve(waiting, Verdict.TRANSIENT, "disconnected while sending")
        return waiting

    def _give_up_all(self, why: str) -> None:
        for waiting in self._waiting.values():
            self._resolve(waiting, Verdict.TRANSIENT, why)

    def _resolve(self, waiting: _Waiting, verdict: Verdict, detail: str) -> None:
        """The first outcome counts; a PUBACK after a give-up only frees its place."""
        if waiting.done:
            return
        waiting.done = True
        waiting.outcome = Outcome(waiting.record_id, verdict, detail)
        waiting.resolved_at = time.monotonic()
        self._open -= 1
        if self._open <= 0:
            self._batch_done.set()

    # -- paho thread: hand over only -------------------------------------------

    def _on_connect(
        self,
        client: mqtt.Client,
        _userdata: object,
        _flags: object,
        reason: ReasonCode,
        props: Properties | None,
    ) -> None:
        if reason.is_failure:
            # paho disconnects next ("Protocol error"); that report carries the real reason.
            self._client.last_socket_error = f"the broker refused the connection: {reason}"
            return
        _no_delay(client)
        receive_max = int(getattr(props, "ReceiveMaximum", 65535)) if props is not None else 65535
        if receive_max < IN_FLIGHT_WINDOW:
            # paho cannot narrow its window once connected; the broker may then disconnect.
            log.warning(
                "the broker accepts %d messages in flight, fewer than our %d",
                receive_max,
                IN_FLIGHT_WINDOW,
            )
        self._post(self._link_up)

    def _where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def _on_publish(
        self,
        _client: mqtt.Client,
        _userdata: object,
        mid: int,
        reason: ReasonCode,
        _props: Properties | None,
    ) -> None:
        acks = self._acks
        was_empty = not acks
        acks.append((mid, reason.is_failure, f"0x{reason.value:02X} {reason}"))
        if was_empty:
            self._post(self._take_acks)

    # -- runtime thread --------------------------------------------------------

    def _take_acks(self) -> None:
        acks = self._acks
        while acks:
            mid, failure, reason = acks.popleft()
            waiting = self._waiting.pop(mid, None)
            if waiting is None:
                continue
            if failure:
                self._resolve(waiting, Verdict.REFUSED, f"the broker refused it: PUBACK {reason}")
            else:
                self._resolve(waiting, Verdict.DELIVERED, "")

    def _link_up(self) -> None:
        self._connected = True
        if self._listener is not None:
            self._listener(LinkState.CONNECTED, "")

    def _link_down(self, error: str) -> None:
        self._connected = False
        self._take_acks()  # what was acknowledged before the link fell counts
        self._give_up_all(error)
        if self._listener is not None:
            self._listener(LinkState.RECONNECTING, error)
