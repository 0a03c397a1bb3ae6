"""OPC UA source: an asyncua client on the runtime's loop, with its own reconnect loop.

asyncua's supervisor detects a lost connection (keep-alive probe of the
server state); this link then marks every tag "no connection", waits a capped
exponential backoff that the status bar shows, connects again with a fresh
session and re-creates the subscription. The subscription runs in asyncua's
iterator mode with a bounded queue, so a burst never spawns a task per value.
When the source has ``conditions``, ``link.conditions`` (``OpcUaConditions``) adds
an alarm subscription to each session and offers the operator's alarm methods.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Sequence
from typing import Any

from asyncua import ua
from asyncua.client.client import Client
from asyncua.common.node import Node
from asyncua.common.subscription import DataChangeEvent, OverflowPolicy, StatusChangeEvent
from asyncua.crypto import security_policies
from asyncua.ua.uaerrors import UaError

from hmi.adapters.link import (
    Backoff,
    LinkHealth,
    RateLimitedLog,
    SampleSink,
    WriteFailedError,
    read_secret,
)
from hmi.adapters.opcua_conditions import OpcUaConditions
from hmi.domain.clock import Clock
from hmi.domain.health import LinkState
from hmi.domain.plant import (
    DataType,
    OpcUaBinding,
    OpcUaSecurityMode,
    OpcUaSecurityPolicy,
    OpcUaSource,
    TagDef,
)
from hmi.domain.quality import Quality, quality_from_status_code
from hmi.domain.tags import TagScalar, TagValue

log = logging.getLogger(__name__)

QUEUE_LIMIT = 100_000  # notifications waiting for the consumer; the oldest go first
CONNECT_TIMEOUT_S = 5.0
ALIVE_PERIOD_S = 0.5
BATCH_LIMIT = 2_000  # notifications applied in one go before the loop gets a turn

_POLICIES: dict[OpcUaSecurityPolicy, type[security_policies.SecurityPolicy]] = {
    OpcUaSecurityPolicy.BASIC256SHA256: security_policies.SecurityPolicyBasic256Sha256,
    OpcUaSecurityPolicy.AES128_SHA256_RSAOAEP: security_policies.SecurityPolicyAes128Sha256RsaOaep,
    OpcUaSecurityPolicy.AES256_SHA256_RSAPSS: security_policies.SecurityPolicyAes256Sha256RsaPss,
}
_MODES = {
    OpcUaSecurityMode.SIGN: ua.MessageSecurityMode.Sign,
    OpcUaSecurityMode.SIGN_AND_ENCRYPT: ua.MessageSecurityMode.SignAndEncrypt,
}


class TagTypeMismatchError(Exception):
    """A value of the wrong type for its tag."""


def to_tag_value(raw: Any, data_type: DataType) -> TagScalar:
    """Convert a variant's value to the tag's type, or raise TagTypeMismatchError."""
    if data_type is DataType.BOOL:
        if isinstance(raw, bool) or (isinstance(raw, int) and raw in (0, 1)):
            return bool(raw)
    elif data_type is DataType.STRING:
        if isinstance(raw, str | int | float | bool):
            return str(raw)
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        if data_type is DataType.FLOAT and math.isfinite(raw):
            return float(raw)
        if data_type is DataType.INT and (isinstance(raw, int) or float(raw).is_integer()):
            return int(raw)
    raise TagTypeMismatchError(
        f"server sent {type(raw).__name__} {raw!r:.40}, expected {data_type.value}"
    )


class OpcUaLink:
    """One OPC UA server connection feeding a ``SampleSink``."""

    def __init__(
        self, source: OpcUaSource, tags: Sequence[TagDef], sink: SampleSink, clock: Clock
    ) -> None:
        self.source = source
        self._tags = [t for t in tags if isinstance(t.binding, OpcUaBinding)]
        self._sink = sink
        self._clock = clock
        self.health = LinkHealth(source.id, "opcua", clock)
        self._backoff = Backoff(source.reconnect_min_s, source.reconnect_max_s)
        self._rate_log = RateLimitedLog(log)
        self._task: asyncio.Task[None] | None = None
        self._lost = asyncio.Event()
        self.conditions = OpcUaConditions(source, sink, clock, self.health, self._rate_log)
        self._client: Client | None = None  # while a session is up: writes go through it

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run_forever(), name=f"opcua-{self.source.id}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self.health.set_state(LinkState.STOPPED)
        self._sink.on_link(self.health.snapshot())

    async def _run_forever(self) -> None:
        self.health.set_state(LinkState.CONNECTING)
        self._sink.on_link(self.health.snapshot())
        while True:
            client = Client(self.source.url, timeout=CONNECT_TIMEOUT_S)
            client.session_timeout = self.source.session_timeout_ms
            try:
                error = await self._session(client)
            except asyncio.CancelledError:
                await _close(client)  # stopping: leave no socket behind
                raise
            # Say so at once (tags turn "no connection"), then tidy up, then wait.
            delay = self._backoff.next_delay()
            self.health.set_state(LinkState.RECONNECTING, error, self._clock.now() + delay)
            self._sink.on_link(self.health.snapshot())
            self._rate_log.report(
                "link", "%s: %s; next attempt in %.0f s", self.source.id, error, delay
            )
            started = time.monotonic()
            await _close(client)
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                # stop() landed in asyncua's teardown, whose Client._cancel_task swallows
                # the cancel of the task that awaits it: honour it here, or never stop.
                raise asyncio.CancelledError
            await asyncio.sleep(max(0.0, delay - (time.monotonic() - started)))

    async def write(self, node_id: str, value: TagScalar) -> TagScalar:
        """Write ``value`` to a node in the node's own data type, then read it back.

        Raises ``WriteFailedError`` (never queues: a write that cannot go now
        is not sent later) when there is no session or the server refuses.
        """
        client = self._client
        if client is None or self.health.state is not LinkState.CONNECTED:
            raise WriteFailedError(f"{self.source.id} is not connected: nothing was written")
        node = client.get_node(node_id)
        try:
            variant_type = await node.read_data_type_as_variant_type()
            await node.write_value(ua.DataValue(ua.Variant(value, variant_type)))
            raw = await node.read_value()
        except (UaError, OSError, TimeoutError, ValueError, TypeError) as exc:
            raise WriteFailedError(f"{self.source.id} refused the write: {_describe(exc)}") from exc
        if isinstance(raw, bool | int | float | str):
            return raw
        return str(raw)

    async def _session(self, client: Client) -> str:
        """Connect, subscribe and consume until the link is lost; return why it ended."""
        self._lost = asyncio.Event()
        lost_reason: list[str] = []

        async def on_lost(exc: Exception) -> None:
            lost_reason.append(_describe(exc))
            self._lost.set()

        client.connection_lost_callback = on_lost
        tasks: list[asyncio.Task[Any]] = []
        try:
            await self._configure(client)
            await asyncio.wait_for(client.connect(), CONNECT_TIMEOUT_S * 2)
            self._client = client
            subscription = await client.create_subscription(
                self._parameters(), queue_maxsize=QUEUE_LIMIT, overflow=OverflowPolicy.DROP_OLDEST
            )
            by_node = await self._subscribe(client, subscription)
            alarms = self.source.conditions and await self.conditions.attach(
                client, self._parameters()
            )
            self._backoff.reset()
            self.health.set_state(LinkState.CONNECTED)
            self._sink.on_link(self.health.snapshot())
            consumer = asyncio.create_task(self._consume(subscription, by_node))
            lost = asyncio.create_task(self._lost.wait())
            tasks = [consumer, lost, asyncio.create_task(self._vouch(subscription))]
            watched: list[asyncio.Task[Any]] = [consumer, lost]
            if alarms:  # ConditionRefresh now, and a resync whenever the server wants one
                watched.append(asyncio.create_task(self.conditions.run()))
                tasks.append(watched[-1])
            await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
            if consumer.done() and consumer.exception() is not None:
                return f"subscription failed: {_describe(consumer.exception())}"
            if alarms and watched[-1].done():
                return str(watched[-1].result())
            return lost_reason[0] if lost_reason else "connection lost"
        except (OSError, TimeoutError, UaError, ConnectionError) as exc:
            return _describe(exc)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.conditions.detach()
            self._client = None

    async def _configure(self, client: Client) -> None:
        src = self.source
        if src.credentials is not None:
            client.set_user(src.credentials.username)
            password = read_secret(src.credentials.password_env, src.credentials.password_file)
            if password is not None:
                client.set_password(password)
        if src.security_policy is OpcUaSecurityPolicy.NONE:
            return
        if src.certificate is None or src.private_key is None:
            raise UaError("a secure policy needs the client certificate and private key")
        if src.server_certificate is None:
            raise UaError(
                "no server certificate is configured: Floorline never trusts a server on first use;"
                " put the server's certificate file in server_certificate"
            )
        await client.set_security(
            _POLICIES[src.security_policy],
            src.certificate,
            src.private_key,
            server_certificate=src.server_certificate,
            mode=_MODES[src.security_mode],
        )

    def _parameters(self) -> ua.CreateSubscriptionParameters:
        params = ua.CreateSubscriptionParameters()
        params.RequestedPublishingInterval = self.source.publishing_interval_ms
        params.RequestedMaxKeepAliveCount = self.source.keepalive_count
        params.RequestedLifetimeCount = self.source.lifetime_count
        params.MaxNotificationsPerPublish = 1000  # smaller answers hold the loop for less
        params.PublishingEnabled = True
        params.Priority = 0
        return params

    async def _subscribe(self, client: Client, subscription: Any) -> dict[ua.NodeId, list[TagDef]]:
        """Monitor each bound node once; a node the server refuses makes its tags bad."""
        by_node: dict[ua.NodeId, list[TagDef]] = {}
        nodes: dict[ua.NodeId, Node] = {}
        for tag in self._tags:
            assert isinstance(tag.binding, OpcUaBinding)
            node = client.get_node(tag.binding.node_id)
            nodes.setdefault(node.nodeid, node)
            by_node.setdefault(node.nodeid, []).append(tag)
        if not nodes:
            return by_node
        handles = await subscription.subscribe_data_change(
            list(nodes.values()),
            queuesize=self.source.queue_size,
            sampling_interval=self.source.sampling_interval_ms,
        )
        now, mono = self._clock.now(), self._clock.monotonic()
        refused: list[TagValue] = []
        for node_id, handle in zip(nodes, handles, strict=True):
            if isinstance(handle, ua.StatusCode):
                reason = f"server refused the node: {handle.name}"
                for tag in by_node.pop(node_id):
                    refused.append(TagValue(tag.id, None, Quality.BAD, reason, now, now, mono))
                    self._rate_log.report(tag.id, "%s: %s: %s", self.source.id, tag.id, reason)
        if refused:
            self._sink.on_samples(refused)
        return by_node

    async def _vouch(self, subscription: Any) -> None:
        """Pass on that the subscription is alive: keep-alives mean "unchanged", not "stale"."""
        while True:
            await asyncio.sleep(ALIVE_PERIOD_S)
            last = subscription.last_publish_at  # asyncua stamps it with time.monotonic()
            if last is not None:
                self._sink.on_alive(
                    self.source.id, last - time.monotonic() + self._clock.monotonic()
                )

    async def _consume(self, subscription: Any, by_node: dict[ua.NodeId, list[TagDef]]) -> None:
        """Apply notifications in batches: what queued up meanwhile goes in one call."""
        sink, clock, health = self._sink, self._clock, self.health
        # asyncua's iterator has no "take what is queued"; its queue is an asyncio.Queue.
        pending: asyncio.Queue[Any] | None = getattr(subscription, "_event_queue", None)
        while True:
            events = [await subscription.next_event()]
            while pending is not None and len(events) < BATCH_LIMIT and not pending.empty():
                events.append(pending.get_nowait())
            now, mono = clock.now(), clock.monotonic()
            samples: list[TagValue] = []
            for event in events:
                if event is None:  # the iterator's end marker: the subscription was closed
                    self._lost.set()
                    break
                if isinstance(event, StatusChangeEvent):
                    if not event.notification.Status.is_good():
                        self._lost.set()
                    continue
                if not isinstance(event, DataChangeEvent):
                    continue
                tags = by_node.get(event.node.nodeid)
                if tags is None:
                    continue
                health.received += 1
                samples.extend(self._sample(tag, event, now, mono) for tag in tags)
            if samples:
                sink.on_samples(samples)

    def _sample(self, tag: TagDef, event: DataChangeEvent, now: float, mono: float) -> TagValue:
        data_value = event.data.monitored_item.Value
        status = data_value.StatusCode.value if data_value.StatusCode is not None else 0
        stamp = data_value.SourceTimestamp or data_value.ServerTimestamp
        source_ts = stamp.timestamp() if stamp is not None else now
        quality = quality_from_status_code(status)
        if quality is Quality.BAD:
            name = ua.StatusCode(ua.UInt32(status)).name
            return TagValue(tag.id, None, Quality.BAD, name, source_ts, now, mono)
        try:
            value = to_tag_value(event.value, tag.data_type)
        except TagTypeMismatchError as exc:
            self.health.rejected += 1
            self.health.last_rejection = f"{tag.id}: {exc}"
            return TagValue(tag.id, None, Quality.BAD, str(exc), source_ts, now, mono)
        reason = "" if quality is Quality.GOOD else ua.StatusCode(ua.UInt32(status)).name
        return TagValue(tag.id, value, quality, reason, source_ts, now, mono)


async def _close(client: Client) -> None:
    """Best effort: the link is gone or going; a failure here changes nothing for the plant."""
    try:
        await asyncio.wait_for(client.disconnect(), 2.0)
    except Exception:  # noqa: BLE001 - a half-open client may fail in many ways; we only tidy up
        client.disconnect_socket()


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "connection lost"
    text = str(exc) or type(exc).__name__
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        text = "no answer within the time limit"
    elif isinstance(exc, ConnectionRefusedError):
        text = "connection refused"
    return text if len(text) <= 160 else text[:157] + "..."
