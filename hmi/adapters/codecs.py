"""Payload codecs: turn the bytes of an MQTT message into tag samples.

A malformed payload never raises out of here: it becomes a sample of bad
quality whose reason says what was wrong, so the operator sees it and the
source's rejected-message counter counts it. Several tags may share a topic
(one JSON document carrying many values); the document is parsed once.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from hmi.domain.plant import Codec, CodecKind, DataType, TagDef
from hmi.domain.quality import Quality, quality_from_status_code
from hmi.domain.tags import TagScalar, TagValue

_TRUE = frozenset({"true", "1", "on", "yes"})
_FALSE = frozenset({"false", "0", "off", "no"})
_QUALITY_WORDS = {
    "good": Quality.GOOD,
    "ok": Quality.GOOD,
    "uncertain": Quality.UNCERTAIN,
    "bad": Quality.BAD,
    "stale": Quality.STALE,
}
_MS_THRESHOLD = 1e11  # epoch numbers above this are milliseconds (year 5138 in seconds)


class PayloadError(ValueError):
    """A payload or a field in it that cannot be read; the message is the operator's reason."""


def _coerce(raw: object, data_type: DataType) -> TagScalar:
    """Convert a decoded JSON (or text) value to the tag's data type, or raise PayloadError."""
    if data_type is DataType.FLOAT:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise PayloadError(f"expected a number, got {_show(raw)}")
        value = float(raw)
        if not math.isfinite(value):
            raise PayloadError(f"not a finite number: {value}")
        return value
    if data_type is DataType.INT:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise PayloadError(f"expected an integer, got {_show(raw)}")
        if isinstance(raw, float):
            if not math.isfinite(raw) or not raw.is_integer():
                raise PayloadError(f"expected an integer, got {raw}")
            return int(raw)
        return raw
    if data_type is DataType.BOOL:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int) and raw in (0, 1):
            return bool(raw)
        if isinstance(raw, str):
            word = raw.strip().lower()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
        raise PayloadError(f"expected true or false, got {_show(raw)}")
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool | int | float) and not (
        isinstance(raw, float) and not math.isfinite(raw)
    ):
        return str(raw)
    raise PayloadError(f"expected text, got {_show(raw)}")


def _show(raw: object) -> str:
    text = json.dumps(raw) if not isinstance(raw, bytes) else repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def _reject_constant(name: str) -> float:
    raise PayloadError(f"not a finite number: {name}")


_JSON = json.JSONDecoder(parse_constant=_reject_constant)  # one decoder, not one per message


def parse_json(text: str) -> object:
    """Strict JSON: NaN and Infinity, which Python's json accepts, are refused."""
    try:
        return _JSON.decode(text)
    except PayloadError:
        raise
    except (ValueError, RecursionError) as exc:
        raise PayloadError("not JSON") from exc


def walk(document: object, path: Sequence[str | int]) -> object:
    """The value at a path of keys and list indexes, or PayloadError naming what is missing."""
    node = document
    for step in path:
        if isinstance(step, int):
            if not isinstance(node, list) or not -len(node) <= step < len(node):
                raise PayloadError(f"no item [{step}] in the payload")
            node = node[step]
        else:
            if not isinstance(node, dict) or step not in node:
                raise PayloadError(f"no field '{step}' in the payload")
            node = node[step]
    return node


def parse_timestamp(raw: object) -> float:
    """UTC epoch seconds from ISO 8601 text (with a zone) or epoch seconds or milliseconds."""
    if isinstance(raw, bool):
        raise PayloadError("time stamp: expected a time, got a boolean")
    if isinstance(raw, int | float):
        value = float(raw)
        if not math.isfinite(value) or value < 0:
            raise PayloadError(f"time stamp out of range: {raw}")
        return value / 1000.0 if value > _MS_THRESHOLD else value
    if isinstance(raw, str):
        try:
            stamp = datetime.fromisoformat(raw)
        except ValueError as exc:
            raise PayloadError(f"time stamp not ISO 8601: {_show(raw)}") from exc
        if stamp.tzinfo is None:
            raise PayloadError("time stamp without a time zone")
        return stamp.timestamp()
    raise PayloadError(f"time stamp: expected text or a number, got {_show(raw)}")


def parse_quality(raw: object) -> Quality:
    """A quality word, a boolean (true is good) or an OPC UA StatusCode number."""
    if isinstance(raw, bool):
        return Quality.GOOD if raw else Quality.BAD
    if isinstance(raw, int) and 0 <= raw <= 0xFFFFFFFF:
        return quality_from_status_code(raw)
    if isinstance(raw, str):
        quality = _QUALITY_WORDS.get(raw.strip().lower())
        if quality is not None:
            return quality
    raise PayloadError(f"unknown quality {_show(raw)}")


class TopicDecoder:
    """Decodes every tag bound to one MQTT topic from one payload.

    ``decode`` returns one sample per tag, and the reason the message was
    rejected ("" when every tag decoded); a rejected tag gets bad quality
    and keeps its last value out of the sample (value None).
    """

    __slots__ = ("_is_json", "_max_bytes", "_tags")

    def __init__(self, tags: Sequence[tuple[TagDef, Codec]], max_bytes: int) -> None:
        self._tags = tuple(tags)
        self._max_bytes = max_bytes
        self._is_json = any(codec.kind is CodecKind.JSON for _, codec in tags)

    @property
    def tag_ids(self) -> tuple[str, ...]:
        return tuple(tag.id for tag, _ in self._tags)

    def decode(
        self, payload: bytes, recv_ts: float, recv_mono: float
    ) -> tuple[list[TagValue], str]:
        try:
            document, text = self._open(payload)
        except PayloadError as exc:
            reason = str(exc)
            return [self._bad(tag.id, reason, recv_ts, recv_mono) for tag, _ in self._tags], reason
        samples: list[TagValue] = []
        rejection = ""
        # Many tags of one document usually share its time stamp and quality: read them once.
        shared: dict[tuple[str | int, ...], object] = {}
        for tag, codec in self._tags:
            try:
                if codec.kind is CodecKind.JSON:
                    sample = self._from_json(tag, codec, document, shared, recv_ts, recv_mono)
                else:
                    sample = self._from_text(tag, codec, text, recv_ts, recv_mono)
            except PayloadError as exc:
                rejection = rejection or str(exc)
                sample = self._bad(tag.id, str(exc), recv_ts, recv_mono)
            samples.append(sample)
        return samples, rejection

    def _open(self, payload: bytes) -> tuple[object, str]:
        """The payload as text, and as a JSON document when a tag needs one."""
        if len(payload) > self._max_bytes:
            raise PayloadError(f"payload too large ({len(payload)} bytes)")
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PayloadError("payload is not UTF-8 text") from exc
        return (parse_json(text) if self._is_json else None), text

    @staticmethod
    def _bad(tag_id: str, reason: str, recv_ts: float, recv_mono: float) -> TagValue:
        return TagValue(tag_id, None, Quality.BAD, reason, recv_ts, recv_ts, recv_mono)

    @staticmethod
    def _from_json(
        tag: TagDef,
        codec: Codec,
        document: object,
        shared: dict[tuple[str | int, ...], object],
        recv_ts: float,
        recv_mono: float,
    ) -> TagValue:
        raw = walk(document, codec.value_path)
        if tag.data_type is DataType.FLOAT and type(raw) is float and raw - raw == 0.0:
            value: TagScalar = raw  # the common case, finite float, without the general path
        else:
            value = _coerce(raw, tag.data_type)
        source_ts = recv_ts
        if codec.timestamp_path is not None:
            source_ts = _shared(shared, codec.timestamp_path, document, parse_timestamp)
        quality = Quality.GOOD
        if codec.quality_path is not None:
            quality = _shared(shared, codec.quality_path, document, parse_quality)
        reason = "" if quality is Quality.GOOD else _SOURCE_REPORTS[quality]
        return TagValue(tag.id, value, quality, reason, source_ts, recv_ts, recv_mono)

    @staticmethod
    def _from_text(
        tag: TagDef, codec: Codec, text: str, recv_ts: float, recv_mono: float
    ) -> TagValue:
        raw: TagScalar
        if codec.kind is CodecKind.NUMBER:
            try:
                raw = float(text) if not text.strip().lstrip("+-").isdigit() else int(text)
            except ValueError as exc:
                raise PayloadError(f"expected a number, got {_show(text)}") from exc
        else:
            raw = text
        value = _coerce(raw, tag.data_type)
        return TagValue(tag.id, value, Quality.GOOD, "", recv_ts, recv_ts, recv_mono)


_SOURCE_REPORTS = {q: f"source reports {q.name.lower()}" for q in Quality}
T = TypeVar("T")


def _shared(
    cache: dict[tuple[str | int, ...], object],
    path: tuple[str | int, ...],
    document: object,
    parse: Callable[[object], T],
) -> T:
    """``parse`` of the value at ``path``, computed once per document (errors too)."""
    try:
        found = cache[path]
    except KeyError:
        try:
            found = parse(walk(document, path))
        except PayloadError as exc:
            found = exc
        cache[path] = found
    if isinstance(found, PayloadError):
        raise found
    return found  # type: ignore[return-value]
