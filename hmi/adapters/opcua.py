"""OPC UA source: an asyncua client on the runtime's loop, with its own reconnect loop.

asyncua's supervisor detects a lost connection (keep-alive probe of the
server state); this link then marks every tag "no connection", waits a capped
exponential backoff that the status bar shows, connects again with a fresh
session and re-creates the subscription. The subscription runs in asyncua's
iterator mode with a bounded queue, so a burst never spawns a task per value.
When the source has ``conditions``, ``link.conditions`` (``OpcUaConditions``) adds
an alarm subscription to each session and offers the operator's alarm methods.

Security: before each session the link reads the server's endpoints, picks the
one with the source's policy and mode, and checks the server's certificate
against the trust list (``opcua_pki``); a refusal is the link's last error, in
words that say how to trust the server. Policy None and the deprecated
policies log a warning at every connection.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from asyncua import ua
from asyncua.client.client import Client
from asyncua.common.node import Node
from asyncua.common.subscription import DataChangeEvent, OverflowPolicy, StatusChangeEvent
from asyncua.crypto import security_policies
from asyncua.ua.status_codes import StatusCodes
from asyncua.ua.uaerrors import UaError, UaStatusCodeError

from hmi.adapters.link import (
    Backoff,
    BrowseEntry,
    BrowseFailedError,
    LinkHealth,
    RateLimitedLog,
    SampleSink,
    WriteFailedError,
    read_secret,
)
from hmi.adapters.opcua_conditions import OpcUaConditions
from hmi.adapters.opcua_pki import (
    CertificateRefusedError,
    ClientIdentity,
    check_server_certificate,
    client_identity,
    default_trust_dir,
    first_certificate,
)
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
    # Deprecated (SHA-1); the plant file must say allow_insecure = true to get here.
    OpcUaSecurityPolicy.BASIC128RSA15: security_policies.SecurityPolicyBasic128Rsa15,
    OpcUaSecurityPolicy.BASIC256: security_policies.SecurityPolicyBasic256,
}
# What a server answers when it does not accept the client's certificate.
_CLIENT_CERT_REFUSED = {
    StatusCodes.BadSecurityChecksFailed,
    StatusCodes.BadCertificateUntrusted,
    StatusCodes.BadCertificateInvalid,
    StatusCodes.BadCertificateUriInvalid,
    StatusCodes.BadCertificateTimeInvalid,
    StatusCodes.BadCertificateUseNotAllowed,
    StatusCodes.BadCertificateRevoked,
    StatusCodes.BadCertificateIssuerRevoked,
}
_MODES = {
    OpcUaSecurityMode.SIGN: ua.MessageSecurityMode.Sign,
    OpcUaSecurityMode.SIGN_AND_ENCRYPT: ua.MessageSecurityMode.SignAndEncrypt,
}


_PASSWORD_IN_LOG = re.compile(r"""Password=b?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")


class _HidePasswords(logging.Filter):
    """asyncua logs each request it sends at DEBUG, a user's password in ActivateSession too.

    Over an encrypted channel the password travels unencrypted inside it, so the
    log line would hold it in clear; this filter blanks it before any handler sees it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if "Password=" in text:
            record.msg, record.args = _PASSWORD_IN_LOG.sub("Password=<hidden>", text), ()
        return True


_HIDE_PASSWORDS = _HidePasswords()
for _name in (
    "asyncua.client.client",
    "asyncua.client.ua_client.UASocketProtocol",
    "asyncua.client.ua_client.UaClient",
    "asyncua.client.ua_session.UaSession",
):
    logging.getLogger(_name).addFilter(_HIDE_PASSWORDS)


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
        self._identity: ClientIdentity | None = None  # the client certificate, once known

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

    async def browse(self, node_id: str | None = None) -> list[BrowseEntry]:
        """The children of a node (None: the Objects folder), for the address-space browser."""
        client = self._client
        if client is None or self.health.state is not LinkState.CONNECTED:
            raise BrowseFailedError(f"{self.source.id} is not connected")
        node = client.nodes.objects if node_id is None else client.get_node(node_id)
        try:
            children = await node.get_children_descriptions()
        except (UaError, OSError, TimeoutError, ValueError) as exc:
            raise BrowseFailedError(f"{self.source.id}: {_describe(exc)}") from exc
        entries = [
            BrowseEntry(
                node_id=child.NodeId.to_string(),
                name=child.DisplayName.Text or child.BrowseName.Name,
                is_variable=child.NodeClass == ua.NodeClass.Variable,
                has_children=child.NodeClass == ua.NodeClass.Object,
            )
            for child in children
            if child.NodeClass in (ua.NodeClass.Object, ua.NodeClass.Variable)
        ]
        return sorted(entries, key=lambda e: (not e.has_children, e.name.lower()))

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
        except CertificateRefusedError as exc:
            return str(exc)  # whole: it says which file to copy where
        except (OSError, TimeoutError, UaError, ConnectionError) as exc:
            return self._describe_refusal(exc)
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
        if src.security_policy.insecure:
            log.warning(
                "%s: security policy %s: %s%s",
                src.id,
                src.security_policy.value,
                "values and writes travel unsigned and unencrypted"
                if src.security_policy is OpcUaSecurityPolicy.NONE
                else "deprecated since OPC UA 1.04 (SHA-1)",
                " (allow_insecure = true in the plant file)" if src.allow_insecure else "",
            )
        if src.security_policy is OpcUaSecurityPolicy.NONE:
            return
        identity = await asyncio.to_thread(client_identity, src.certificate, src.private_key)
        self._identity = identity
        client.application_uri = identity.application_uri
        client.name = client.description = "Floorline HMI"
        policy = _POLICIES[src.security_policy]
        mode = _MODES[src.security_mode]
        # Discovery runs unsecured, as OPC UA intends; what it says is checked before use.
        endpoints = await asyncio.wait_for(
            client.connect_and_get_server_endpoints(), CONNECT_TIMEOUT_S * 2
        )
        endpoint = _endpoint(endpoints, policy.URI, mode)
        if endpoint is None:
            offered = sorted(
                {f"{e.SecurityPolicyUri.split('#')[-1]}/{_mode_name(e)}" for e in endpoints}
            )
            raise CertificateRefusedError(
                f"the server at {src.url} offers no endpoint with security_policy "
                f"{src.security_policy.value} and security_mode {src.security_mode.value}; "
                f"it offers {', '.join(offered) or 'none'}"
            )
        server_cert = endpoint.ServerCertificate or b""
        await asyncio.to_thread(
            check_server_certificate,
            server_cert,
            url=src.url,
            server_uri=endpoint.Server.ApplicationUri,
            trust_dir=Path(src.trust_dir) if src.trust_dir else default_trust_dir(),
            pinned=Path(src.server_certificate) if src.server_certificate else None,
            require_revocation_list=src.require_revocation_list,
        )
        await client.set_security(
            policy,
            str(identity.certificate),
            str(identity.private_key),
            server_certificate=first_certificate(server_cert),
            mode=mode,
        )

    def _describe_refusal(self, exc: BaseException) -> str:
        """Why a session failed; when the server refused our certificate, how to fix it."""
        identity = self._identity
        code = exc.code if isinstance(exc, UaStatusCodeError) else None
        if identity is None or code not in _CLIENT_CERT_REFUSED:
            return _describe(exc)
        return (
            f"the server refused the client certificate ({ua.StatusCode(code).name}): "
            f"trust {identity.certificate} (application URI {identity.application_uri}, "
            f"SHA-1 thumbprint {identity.thumbprint}) on the server"
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


def _endpoint(
    endpoints: Sequence[ua.EndpointDescription], policy_uri: str, mode: ua.MessageSecurityMode
) -> ua.EndpointDescription | None:
    for endpoint in endpoints:
        if endpoint.SecurityPolicyUri == policy_uri and endpoint.SecurityMode == mode:
            return endpoint
    return None


def _mode_name(endpoint: ua.EndpointDescription) -> str:
    return str(endpoint.SecurityMode.name).rstrip("_")  # asyncua spells None "None_"


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
