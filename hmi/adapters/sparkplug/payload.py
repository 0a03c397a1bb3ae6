"""Sparkplug B protobuf payloads <-> the plain ``Payload`` of the domain.

Decoding keeps every value as the wire carries it (integers unsigned); the
host converts it by the metric's declared data type, which data messages
usually leave to the birth. A payload protobuf cannot parse is a
``SparkplugError``, never another exception.
"""

from __future__ import annotations

from google.protobuf.message import DecodeError

from hmi.adapters.sparkplug import sparkplug_b_pb2 as pb
from hmi.domain.sparkplug import (
    REBIRTH_METRIC,
    Metric,
    Payload,
    PropertyValue,
    SparkplugError,
    SpDataType,
    to_signed,
)

_SCALARS = frozenset(
    {"int_value", "long_value", "float_value", "double_value", "boolean_value", "string_value"}
)
_SIGNED_BITS = {
    SpDataType.INT8: 8,
    SpDataType.INT16: 16,
    SpDataType.INT32: 32,
    SpDataType.INT64: 64,
}


def decode_payload(data: bytes, max_bytes: int | None = None) -> Payload:
    if max_bytes is not None and len(data) > max_bytes:
        raise SparkplugError(f"payload too large ({len(data)} bytes)")
    message = pb.Payload()
    try:
        message.ParseFromString(data)
    except DecodeError as exc:
        raise SparkplugError(f"not a Sparkplug B payload: {exc}") from None
    return Payload(
        timestamp_ms=message.timestamp if message.HasField("timestamp") else None,
        seq=message.seq if message.HasField("seq") else None,
        metrics=tuple(_metric(m) for m in message.metrics),
    )


def _metric(metric: pb.Payload.Metric) -> Metric:
    which = metric.WhichOneof("value")
    raw = getattr(metric, which) if which in _SCALARS else None
    properties: dict[str, PropertyValue] = {}
    if metric.HasField("properties"):
        props = metric.properties
        for key, value in zip(props.keys, props.values, strict=False):
            properties[key] = _property(value)
    return Metric(
        name=metric.name if metric.HasField("name") else None,
        alias=metric.alias if metric.HasField("alias") else None,
        timestamp_ms=metric.timestamp if metric.HasField("timestamp") else None,
        datatype=metric.datatype if metric.HasField("datatype") else None,
        raw=raw,
        is_null=metric.is_null,
        is_historical=metric.is_historical,
        is_transient=metric.is_transient,
        properties=properties,
    )


def _property(value: pb.Payload.PropertyValue) -> PropertyValue:
    """A property's value; nested property sets, and nulls, are None."""
    which = value.WhichOneof("value")
    if value.is_null or which not in _SCALARS:
        return None
    raw: int | float | bool | str = getattr(value, which)
    bits = _SIGNED_BITS.get(value.type) if value.HasField("type") else None  # type: ignore[call-overload]
    if bits is not None and isinstance(raw, int) and not isinstance(raw, bool):
        return to_signed(raw, bits)
    return raw


def rebirth_request(timestamp_ms: int) -> bytes:
    """The NCMD payload that asks an edge node for a new NBIRTH (and all its DBIRTHs)."""
    message = pb.Payload(timestamp=timestamp_ms)
    metric = message.metrics.add()
    metric.name = REBIRTH_METRIC
    metric.timestamp = timestamp_ms
    metric.datatype = SpDataType.BOOLEAN
    metric.boolean_value = True
    return bytes(message.SerializeToString())
