"""Sparkplug B 3.0 terms: topics, data types, decoded payloads, and the tags births declare.

Plain Python: the adapter decodes the protobuf payload into the ``Payload`` and
``Metric`` here, with each value as the wire carries it (an unsigned integer
for every integer type); ``metric_value`` turns it into the value of the
metric's declared data type, which a data message usually leaves out.
"""

from __future__ import annotations

import enum
import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from hmi.domain.plant import DataType, MetricOverride, SparkplugBinding, TagDef
from hmi.domain.quality import Quality
from hmi.domain.tags import TagScalar

NAMESPACE = "spBv1.0"
REBIRTH_METRIC = "Node Control/Rebirth"
BDSEQ_METRIC = "bdSeq"
QUALITY_PROPERTY = "Quality"
UNIT_PROPERTY = "engUnit"
# Metrics of the protocol itself, not of the process: they become no tags.
PROTOCOL_METRICS = (BDSEQ_METRIC,)
PROTOCOL_PREFIXES = ("Node Control/",)


class MessageType(enum.StrEnum):
    NBIRTH = "NBIRTH"
    NDEATH = "NDEATH"
    DBIRTH = "DBIRTH"
    DDEATH = "DDEATH"
    NDATA = "NDATA"
    DDATA = "DDATA"
    NCMD = "NCMD"
    DCMD = "DCMD"

    @property
    def of_device(self) -> bool:
        return self.value.startswith("D")


class SpDataType(enum.IntEnum):
    """The data types of the specification's ``DataType`` enumeration."""

    UNKNOWN = 0
    INT8 = 1
    INT16 = 2
    INT32 = 3
    INT64 = 4
    UINT8 = 5
    UINT16 = 6
    UINT32 = 7
    UINT64 = 8
    FLOAT = 9
    DOUBLE = 10
    BOOLEAN = 11
    STRING = 12
    DATETIME = 13
    TEXT = 14
    UUID = 15
    DATASET = 16
    BYTES = 17
    FILE = 18
    TEMPLATE = 19
    PROPERTYSET = 20
    PROPERTYSETLIST = 21
    # 22-34 are arrays (Int8Array ... DateTimeArray), none of which a tag can show.


_SIGNED_BITS = {
    SpDataType.INT8: 8,
    SpDataType.INT16: 16,
    SpDataType.INT32: 32,
    SpDataType.INT64: 64,
}
_UNSIGNED_BITS = {
    SpDataType.UINT8: 8,
    SpDataType.UINT16: 16,
    SpDataType.UINT32: 32,
    SpDataType.UINT64: 64,
}
_TAG_TYPES = {
    **dict.fromkeys(_SIGNED_BITS, DataType.INT),
    **dict.fromkeys(_UNSIGNED_BITS, DataType.INT),
    SpDataType.FLOAT: DataType.FLOAT,
    SpDataType.DOUBLE: DataType.FLOAT,
    SpDataType.BOOLEAN: DataType.BOOL,
    SpDataType.STRING: DataType.STRING,
    SpDataType.TEXT: DataType.STRING,
    SpDataType.UUID: DataType.STRING,
    SpDataType.DATETIME: DataType.STRING,
}


class SparkplugError(ValueError):
    """A topic or payload that breaks the specification; the message says how."""


@dataclass(frozen=True, slots=True)
class Topic:
    group: str
    kind: MessageType
    node: str
    device: str | None = None


_ID_FORBIDDEN = re.compile(r"[+/#]")


def parse_topic(text: str) -> Topic | None:
    """``spBv1.0/<group>/<type>/<node>[/<device>]``; device only for D* types.

    None for a host application's ``spBv1.0/STATE/<host id>``, which carries no data.
    """
    parts = text.split("/")
    if len(parts) == 3 and parts[:2] == [NAMESPACE, "STATE"]:
        return None
    if len(parts) < 4 or parts[0] != NAMESPACE:
        raise SparkplugError(f"not a Sparkplug B topic: {text}")
    try:
        kind = MessageType(parts[2])
    except ValueError:
        raise SparkplugError(f"unknown message type {parts[2]!r} in {text}") from None
    if len(parts) != (5 if kind.of_device else 4):
        raise SparkplugError(f"{kind} topic with the wrong number of levels: {text}")
    ids = [parts[1], *parts[3:]]
    if any(not part or _ID_FORBIDDEN.search(part) for part in ids):
        raise SparkplugError(f"empty or invalid id in {text}")
    return Topic(parts[1], kind, parts[3], parts[4] if kind.of_device else None)


def state_topic(host_id: str) -> str:
    """Where a host application says whether it is online."""
    return f"{NAMESPACE}/STATE/{host_id}"


def state_payload(online: bool, timestamp_ms: int) -> bytes:
    """A host application's birth (online) or death (offline): JSON, not protobuf."""
    return json.dumps({"online": online, "timestamp": timestamp_ms}).encode()


def state_says_offline(payload: bytes) -> bool:
    """A STATE payload that says "offline" (a death); anything unreadable says nothing.

    Whatever its timestamp: a host hearing its own death while connected
    answers it, even an old will the broker delivered late.
    """
    try:
        said = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(said, dict) and said.get("online") is False


def sparkplug_id_problem(text: str) -> str | None:
    """Why ``text`` cannot be a group, edge node or device id, or None."""
    if not text:
        return "expected a non-empty id"
    if _ID_FORBIDDEN.search(text):
        return f'a Sparkplug id contains no "+", "/" or "#", got {text!r}'
    return None


def command_topic(group: str, node: str) -> str:
    return f"{NAMESPACE}/{group}/{MessageType.NCMD}/{node}"


PropertyValue = int | float | bool | str | None


@dataclass(frozen=True, slots=True)
class Metric:
    """One metric as it arrived: ``raw`` is the wire value (integers unsigned), or None.

    ``raw`` is None for a null metric, and for values a tag cannot show
    (data sets, templates, bytes, arrays); ``datatype`` is None when the
    message leaves it to the birth.
    """

    name: str | None = None
    alias: int | None = None
    timestamp_ms: int | None = None
    datatype: int | None = None
    raw: int | float | bool | str | None = None
    is_null: bool = False
    is_historical: bool = False
    is_transient: bool = False
    properties: Mapping[str, PropertyValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Payload:
    timestamp_ms: int | None = None
    seq: int | None = None
    metrics: tuple[Metric, ...] = ()


def to_signed(raw: int, bits: int) -> int:
    """The two's complement reading of the low ``bits`` bits of an unsigned wire integer.

    Edge nodes put a negative Int8/Int16/Int32 into the 32-bit field either
    sign-extended (-1 as 0xFFFFFFFF) or not (-1 as 0xFF); both read the same.
    """
    raw &= (1 << bits) - 1
    return raw - (1 << bits) if raw >> (bits - 1) else raw


def metric_value(raw: int | float | bool | str, datatype: int) -> TagScalar:
    """The value of a metric of the declared ``datatype``; SparkplugError when it does not fit."""
    if datatype in _SIGNED_BITS or datatype in _UNSIGNED_BITS:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise SparkplugError(f"expected an integer, got {raw!r}")
        signed = _SIGNED_BITS.get(SpDataType(datatype))
        if signed is not None:
            return to_signed(raw, signed)
        return raw & ((1 << _UNSIGNED_BITS[SpDataType(datatype)]) - 1)
    if datatype in (SpDataType.FLOAT, SpDataType.DOUBLE):
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise SparkplugError(f"expected a number, got {raw!r}")
        value = float(raw)
        if not math.isfinite(value):
            raise SparkplugError(f"not a finite number: {value}")
        return value
    if datatype == SpDataType.BOOLEAN:
        if not isinstance(raw, bool):
            raise SparkplugError(f"expected a boolean, got {raw!r}")
        return raw
    if datatype == SpDataType.DATETIME:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise SparkplugError(f"expected milliseconds since the epoch, got {raw!r}")
        stamp = datetime.fromtimestamp(raw / 1000.0, UTC)
        return stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if datatype in (SpDataType.STRING, SpDataType.TEXT, SpDataType.UUID):
        if not isinstance(raw, str):
            raise SparkplugError(f"expected text, got {raw!r}")
        return raw
    raise SparkplugError(f"data type {datatype} is not shown as a tag")


def tag_type(datatype: int | None) -> DataType | None:
    """The tag data type of a Sparkplug data type; None for types no tag can show."""
    if datatype is None:
        return None
    try:
        return _TAG_TYPES.get(SpDataType(datatype))
    except ValueError:  # arrays and types beyond the specification
        return None


def property_quality(code: PropertyValue) -> Quality:
    """The ``Quality`` property: 192 good, 0 bad, 500 stale; other codes by their OPC bits."""
    if isinstance(code, bool) or not isinstance(code, int):
        return Quality.UNCERTAIN
    if code == 500:
        return Quality.STALE
    if 0 <= code <= 0xFF:
        bits = code & 0xC0
        return {0xC0: Quality.GOOD, 0x40: Quality.UNCERTAIN}.get(bits, Quality.BAD)
    return Quality.UNCERTAIN


def is_protocol_metric(name: str) -> bool:
    return name in PROTOCOL_METRICS or name.startswith(PROTOCOL_PREFIXES)


_PART_SAFE = re.compile(r"[^A-Za-z0-9_-]")


def tag_id_for(source_id: str, binding: SparkplugBinding) -> str:
    """The tag id of a metric: stable across restarts and rebirths, unique per source.

    ``<source>.<group>.<node>[.<device>].<metric>``, where a ``/`` in the
    metric name becomes ``.``, and every other character outside letters,
    digits, ``_`` and ``-`` becomes ``_``. When anything was replaced that
    way, ``-`` and the first 8 hex digits of the SHA-256 of the UTF-8 text
    ``group/node/device/metric`` (device empty for the node's own metrics)
    are appended, so that two names that differ
    only in such characters still get different ids.
    """
    lossy = False
    parts: list[str] = []
    ids = (binding.group, binding.node, *((binding.device,) if binding.device is not None else ()))
    for part in ids:
        safe = _PART_SAFE.sub("_", part)
        lossy |= safe != part
        parts.append(safe)
    for level in binding.metric.split("/"):
        safe = _PART_SAFE.sub("_", level)
        lossy |= safe != level or not level
        parts.append(safe)
    tag_id = ".".join((source_id, *parts))
    if lossy:
        key = "/".join((binding.group, binding.node, binding.device or "", binding.metric))
        tag_id += "-" + hashlib.sha256(key.encode()).hexdigest()[:8]
    return tag_id


def declare_tag(
    source_id: str,
    binding: SparkplugBinding,
    datatype: int,
    properties: Mapping[str, PropertyValue],
    overrides: Sequence[MetricOverride],
) -> TagDef | None:
    """The tag a birth declares for one metric; None when its type cannot be shown.

    Values arrive by exception, so a tag does not turn stale with time (only
    by its node's or device's death, or the link's loss) unless the plant
    file gives it a ``stale_after``.
    """
    data_type = tag_type(datatype)
    if data_type is None:
        return None
    override = next((o for o in overrides if o.matches(binding)), None)
    label = binding.metric if binding.device is None else f"{binding.device}/{binding.metric}"
    unit = properties.get(UNIT_PROPERTY)
    tag = TagDef(
        id=tag_id_for(source_id, binding),
        name=label,
        source=source_id,
        binding=binding,
        data_type=data_type,
        unit=unit if isinstance(unit, str) else "",
        precision=0 if data_type is DataType.INT else 2,
        stale_after_s=math.inf,
    )
    if override is None:
        return tag
    numeric = data_type in (DataType.FLOAT, DataType.INT)
    return TagDef(
        id=tag.id,
        name=override.name or tag.name,
        source=source_id,
        binding=binding,
        data_type=data_type,
        unit=override.unit if override.unit is not None else tag.unit,
        precision=override.precision if override.precision is not None else tag.precision,
        range_lo=override.range_lo if numeric else None,
        range_hi=override.range_hi if numeric else None,
        stale_after_s=override.stale_after_s or tag.stale_after_s,
        limits=override.limits if numeric else (),
    )
