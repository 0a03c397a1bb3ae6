"""The state a Sparkplug B host application keeps of each edge node, and what follows from it.

``SparkplugHost`` takes decoded messages and the passing of time and answers
with what the rest of the program must do: tags to declare, live samples,
historical samples, values to mark stale, rebirths to request. No threads,
no I/O, time from the caller: the rules of the specification are tested here
without a broker.

Per edge node it keeps the session of its last NBIRTH: the ``bdSeq`` (an
NDEATH with another one is a late will of an older session and is ignored),
the expected sequence number (0-255, wrapping), and the aliases each birth
declared. A message out of sequence is held for the reorder timeout, waiting
for the missing ones; if they do not come, the held messages are applied in
order and a rebirth is requested. A metric whose alias or name no birth
declared asks for a rebirth after the same timeout (its birth may still be on
its way). Data from a node whose birth this host has not seen asks for a
rebirth at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hmi.domain.plant import SparkplugBinding, SparkplugSource, TagDef
from hmi.domain.quality import Quality
from hmi.domain.sparkplug import (
    BDSEQ_METRIC,
    QUALITY_PROPERTY,
    MessageType,
    Metric,
    Payload,
    SparkplugError,
    Topic,
    declare_tag,
    is_protocol_metric,
    metric_value,
    property_quality,
)
from hmi.domain.tags import TagValue

SEQ_MODULO = 256
REBIRTH_RETRY_S = 5.0  # a node that does not answer a rebirth request is asked again after this
MAX_HELD = 255  # messages held out of sequence; one more and the gap is given up at once
NODE_OFFLINE = "edge node offline (NDEATH)"
DEVICE_OFFLINE = "device offline (DDEATH)"
WAITING_FOR_DEVICE = "waiting for the device's birth"


@dataclass(slots=True)
class HostOutput:
    """What one message, or the passing of time, asks of the program."""

    declared: list[TagDef] = field(default_factory=list)
    samples: list[TagValue] = field(default_factory=list)
    historical: list[TagValue] = field(default_factory=list)
    stale: list[tuple[list[str], str]] = field(default_factory=list)  # tag ids, reason
    rebirths: list[tuple[str, str]] = field(default_factory=list)  # (group, node)
    problems: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(
            (
                self.declared,
                self.samples,
                self.historical,
                self.stale,
                self.rebirths,
                self.problems,
            )
        )


@dataclass(slots=True)
class _Declared:
    tag: TagDef
    datatype: int


@dataclass(slots=True)
class _Scope:
    """The metrics one birth declared: the node's own (NBIRTH) or one device's (DBIRTH)."""

    by_name: dict[str, _Declared] = field(default_factory=dict)
    by_alias: dict[int, _Declared] = field(default_factory=dict)
    tag_ids: set[str] = field(default_factory=set)  # every tag ever declared here
    alive: bool = False

    def forget(self) -> None:
        self.by_name.clear()
        self.by_alias.clear()
        self.alive = False


@dataclass(slots=True)
class _Message:
    topic: Topic
    payload: Payload
    recv_ts: float
    recv_mono: float


@dataclass(slots=True)
class _Node:
    group: str
    name: str
    bd_seq: int | None = None
    expected: int | None = None  # the next sequence number; None: take whatever comes
    own: _Scope = field(default_factory=_Scope)
    devices: dict[str, _Scope] = field(default_factory=dict)
    held: dict[int, _Message] = field(default_factory=dict)
    gap_due: float | None = None
    gap_note: str = ""
    alias_due: dict[str | None, float] = field(default_factory=dict)  # device (None: node)
    last_rebirth: float | None = None

    def scope(self, device: str | None) -> _Scope | None:
        return self.own if device is None else self.devices.get(device)

    def all_tag_ids(self) -> list[str]:
        ids = set(self.own.tag_ids)
        for device in self.devices.values():
            ids |= device.tag_ids
        return sorted(ids)


class SparkplugHost:
    """Every edge node of one Sparkplug source, as births, deaths and data describe it."""

    def __init__(self, source: SparkplugSource) -> None:
        self.source = source
        self._nodes: dict[tuple[str, str], _Node] = {}

    @property
    def reorder_timeout_s(self) -> float:
        return self.source.reorder_timeout_s

    def online(self, group: str, node: str, device: str | None = None) -> bool:
        """Whether the node (or its device) has a live session: born and not dead since."""
        found = self._nodes.get((group, node))
        scope = found.scope(device) if found is not None else None
        return scope is not None and scope.alive

    def receive(self, topic: Topic, payload: Payload, recv_ts: float, mono: float) -> HostOutput:
        out = HostOutput()
        if self.source.groups and topic.group not in self.source.groups:
            return out
        kind = topic.kind
        if kind in (MessageType.NCMD, MessageType.DCMD):
            return out  # commands are for edge nodes (our own rebirth requests among them)
        key = (topic.group, topic.node)
        node = self._nodes.get(key)
        if kind is MessageType.NBIRTH:
            if node is None:
                node = self._nodes[key] = _Node(topic.group, topic.node)
            self._node_birth(node, _Message(topic, payload, recv_ts, mono), out)
        elif kind is MessageType.NDEATH:
            if node is not None:
                self._node_death(node, payload, out)
        elif node is None or not node.own.alive:
            if node is None:
                node = self._nodes[key] = _Node(topic.group, topic.node)
            out.problems.append(f"{_where(topic)}: {kind} before any NBIRTH of the node")
            self._request_rebirth(node, mono, out)
        else:
            self._in_sequence(node, _Message(topic, payload, recv_ts, mono), out)
        return out

    def tick(self, mono: float) -> HostOutput:
        """Gaps and unknown aliases whose reorder timeout has passed ask for their rebirth."""
        out = HostOutput()
        for node in self._nodes.values():
            if node.gap_due is not None and mono >= node.gap_due:
                self._give_up_gap(node, out)
                self._request_rebirth(node, mono, out, force=True)
            due = [device for device, at in node.alias_due.items() if mono >= at]
            if due:
                for device in due:
                    del node.alias_due[device]
                self._request_rebirth(node, mono, out, force=True)
        return out

    def link_lost(self) -> None:
        """The broker connection is gone: every session may have moved on meanwhile.

        The link's loss already marks every value; data after the reconnection
        asks each node for a birth first.
        """
        self._nodes.clear()

    # -- births and deaths --------------------------------------------------------------

    def _node_birth(self, node: _Node, message: _Message, out: HostOutput) -> None:
        payload = message.payload
        bd_seq = _bd_seq(payload)
        if bd_seq is None:
            out.problems.append(f"{_where(message.topic)}: NBIRTH without a bdSeq metric")
        node.bd_seq = bd_seq
        node.expected = None if payload.seq is None else (payload.seq + 1) % SEQ_MODULO
        if payload.seq is None:
            out.problems.append(f"{_where(message.topic)}: NBIRTH without a sequence number")
        node.held.clear()
        node.gap_due = None
        node.alias_due.clear()
        node.last_rebirth = None
        for device in node.devices.values():
            if device.alive:
                out.stale.append((sorted(device.tag_ids), WAITING_FOR_DEVICE))
            device.forget()
        self._declare(node, None, message, out)

    def _node_death(self, node: _Node, payload: Payload, out: HostOutput) -> None:
        bd_seq = _bd_seq(payload)
        where = f"{node.group}/{node.name}"
        if not node.own.alive:
            return
        if node.bd_seq is not None and bd_seq != node.bd_seq:
            out.problems.append(
                f"{where}: NDEATH with bdSeq {bd_seq} ignored: the node's session has {node.bd_seq}"
            )
            return
        out.stale.append((node.all_tag_ids(), NODE_OFFLINE))
        node.own.forget()
        for device in node.devices.values():
            device.forget()
        node.held.clear()
        node.gap_due = None
        node.alias_due.clear()
        node.expected = None

    def _declare(self, node: _Node, device: str | None, message: _Message, out: HostOutput) -> None:
        """A birth: the scope's metrics, aliases and tags anew, and their current values."""
        scope = node.own if device is None else node.devices.setdefault(device, _Scope())
        scope.forget()
        scope.alive = True
        not_shown: list[str] = []
        where = _where(message.topic)
        for metric in message.payload.metrics:
            if metric.name is None:
                out.problems.append(f"{where}: a birth metric without a name")
                continue
            if is_protocol_metric(metric.name):
                continue
            if metric.datatype is None:
                out.problems.append(f"{where}: birth metric {metric.name!r} without a data type")
                continue
            binding = SparkplugBinding(node.group, node.name, device, metric.name)
            tag = declare_tag(
                self.source.id, binding, metric.datatype, metric.properties, self.source.metrics
            )
            if tag is None:
                not_shown.append(metric.name)
                continue
            declared = _Declared(tag, metric.datatype)
            scope.by_name[metric.name] = declared
            if metric.alias is not None:
                if metric.alias in scope.by_alias:
                    out.problems.append(f"{where}: alias {metric.alias} declared twice")
                scope.by_alias[metric.alias] = declared
            scope.tag_ids.add(tag.id)
            out.declared.append(tag)
            self._sample(declared, metric, message, out)
        if not_shown:
            names = ", ".join(repr(name) for name in not_shown[:5])
            more = f" and {len(not_shown) - 5} more" if len(not_shown) > 5 else ""
            out.problems.append(f"{where}: metrics of types no tag can show: {names}{more}")

    # -- sequence --------------------------------------------------------------------------

    def _in_sequence(self, node: _Node, message: _Message, out: HostOutput) -> None:
        seq = message.payload.seq
        where = _where(message.topic)
        if seq is None or not 0 <= seq < SEQ_MODULO:
            out.problems.append(f"{where}: {message.topic.kind} without a valid sequence number")
            self._hold_gap(node, message.recv_mono, f"{where}: sequence number {seq}")
            return
        if node.expected is None or seq == node.expected:
            self._apply(node, message, out)
            node.expected = (seq + 1) % SEQ_MODULO
            while node.expected in node.held:
                self._apply(node, node.held.pop(node.expected), out)
                node.expected = (node.expected + 1) % SEQ_MODULO
            if not node.held:
                node.gap_due = None
            return
        node.held[seq] = message
        self._hold_gap(node, message.recv_mono, f"{where}: expected {node.expected}, got {seq}")
        if len(node.held) > MAX_HELD:
            node.gap_due = message.recv_mono

    def _hold_gap(self, node: _Node, mono: float, note: str) -> None:
        if node.gap_due is None:
            node.gap_due = mono + self.reorder_timeout_s
            node.gap_note = note

    def _give_up_gap(self, node: _Node, out: HostOutput) -> None:
        """The missing messages did not come: apply what was held, in sequence order."""
        out.problems.append(f"sequence gap ({node.gap_note}): rebirth requested")
        start = node.expected if node.expected is not None else 0
        for seq in sorted(node.held, key=lambda s: (s - start) % SEQ_MODULO):
            self._apply(node, node.held[seq], out)
            node.expected = (seq + 1) % SEQ_MODULO
        node.held.clear()
        node.gap_due = None

    def _request_rebirth(
        self, node: _Node, mono: float, out: HostOutput, *, force: bool = False
    ) -> None:
        recent = node.last_rebirth is not None and mono - node.last_rebirth < REBIRTH_RETRY_S
        if recent and not force:
            return
        node.last_rebirth = mono
        out.rebirths.append((node.group, node.name))

    # -- data ------------------------------------------------------------------------------

    def _apply(self, node: _Node, message: _Message, out: HostOutput) -> None:
        """One message in sequence: a device's birth or death, or data."""
        topic = message.topic
        kind = topic.kind
        if kind is MessageType.DBIRTH:
            assert topic.device is not None
            node.alias_due.pop(topic.device, None)
            self._declare(node, topic.device, message, out)
            return
        scope = node.scope(topic.device)
        if kind is MessageType.DDEATH:
            if scope is not None and scope.alive:
                out.stale.append((sorted(scope.tag_ids), DEVICE_OFFLINE))
                scope.forget()
            return
        if scope is None or not scope.alive:
            out.problems.append(f"{_where(topic)}: {kind} before the device's DBIRTH")
            self._alias_unknown(node, topic.device, message.recv_mono)
            return
        for metric in message.payload.metrics:
            declared = (
                scope.by_alias.get(metric.alias)
                if metric.alias is not None
                else scope.by_name.get(metric.name or "")
            )
            if declared is None:
                if metric.name is not None and is_protocol_metric(metric.name):
                    continue
                which = f"alias {metric.alias}" if metric.alias is not None else repr(metric.name)
                out.problems.append(f"{_where(topic)}: {which} was not declared by the birth")
                self._alias_unknown(node, topic.device, message.recv_mono)
                continue
            self._sample(declared, metric, message, out)

    def _alias_unknown(self, node: _Node, device: str | None, mono: float) -> None:
        node.alias_due.setdefault(device, mono + self.reorder_timeout_s)

    @staticmethod
    def _sample(declared: _Declared, metric: Metric, message: _Message, out: HostOutput) -> None:
        stamp = metric.timestamp_ms
        if stamp is None:
            stamp = message.payload.timestamp_ms
        source_ts = stamp / 1000.0 if stamp is not None else message.recv_ts
        tag_id = declared.tag.id
        quality = Quality.GOOD
        if QUALITY_PROPERTY in metric.properties:
            quality = property_quality(metric.properties[QUALITY_PROPERTY])
        reason = "" if quality is Quality.GOOD else f"edge node reports {quality.name.lower()}"
        value = None
        if metric.is_null:
            quality, reason = Quality.BAD, "the edge node sent no value (null)"
        elif metric.raw is None:
            return  # a value of a kind no tag shows
        else:
            try:
                value = metric_value(metric.raw, declared.datatype)  # the birth's type rules
            except SparkplugError as exc:
                quality, reason = Quality.BAD, str(exc)
        if quality is Quality.BAD:
            value = None
        sample = TagValue(
            tag_id, value, quality, reason, source_ts, message.recv_ts, message.recv_mono
        )
        (out.historical if metric.is_historical else out.samples).append(sample)


def _bd_seq(payload: Payload) -> int | None:
    for metric in payload.metrics:
        if metric.name == BDSEQ_METRIC and isinstance(metric.raw, int):
            return metric.raw
    return None


def _where(topic: Topic) -> str:
    device = f"/{topic.device}" if topic.device is not None else ""
    return f"{topic.group}/{topic.node}{device}"
