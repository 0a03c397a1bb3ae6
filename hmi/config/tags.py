"""``[[tags]]``: what each value is and where it comes from.

A tag binds to its source by the source's kind: an MQTT tag names a topic and
a codec, an OPC UA tag names a node. The checks here catch, at load time, the
bindings that would otherwise fail silently on the line: a topic outside every
subscription (the tag would never update), a JSON path that cannot be parsed,
a key of the other kind of binding (an ``node`` under an MQTT source).
Alarm limits are checked against each other and against the tag's range, so
that a trend never draws a limit line out of order or off its scale.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import pairwise

from hmi.config.fields import Table, finite_number, show
from hmi.config.problems import describe, did_you_mean, quote
from hmi.config.syntax import (
    JsonPath,
    node_id_problem,
    parse_json_path,
    topic_matches,
    topic_problem,
)
from hmi.domain.plant import (
    Binding,
    Codec,
    CodecKind,
    DataType,
    LimitKind,
    MqttBinding,
    MqttSource,
    OpcUaBinding,
    OpcUaSource,
    Source,
    SparkplugSource,
    TagDef,
)
from hmi.domain.writes import WriteDef

MQTT_BINDING_KEYS = ("topic", "codec", "value_path", "timestamp_path", "quality_path")
OPCUA_BINDING_KEYS = ("node",)
_JSON_PATH_KEYS = ("value_path", "timestamp_path", "quality_path")
_DATA_TYPES = {data_type.value: data_type for data_type in DataType}
_CODECS = {codec.value: codec for codec in CodecKind}
_KIND_NAMES = {"mqtt": "MQTT", "opcua": "OPC UA"}
_TEXT_CODECS = (CodecKind.BOOL, CodecKind.STRING)
_LIMIT_ORDER = " < ".join(kind.value for kind in LimitKind)
# Words integrators write for a limit that the usual suggestion gets wrong ("high" looks
# more like "hihi" than "hi").
_LIMIT_WORDS = {"high": LimitKind.HI, "low": LimitKind.LO}


def read_tag(table: Table, sources: Mapping[str, Source | None] | None) -> TagDef | None:
    """One tag, or None when its binding cannot be read (the problem is recorded).

    ``sources`` holds every declared source id, mapped to None for a source
    that could not be read, whose own problems are already recorded. It is
    None as a whole when ``sources`` itself is unreadable: then no reference
    can be checked, and each tag is spared a problem that is not its own.
    """
    tag_id = table.identifier("id")
    source_id = table.required_string("source")
    if sources is not None and source_id and source_id not in sources:
        declared = ", ".join(quote(known) for known in sorted(sources)[:10]) or "none"
        table.report(
            "source",
            f"no source has the id {quote(source_id)} (declared: {declared})"
            + did_you_mean(source_id, sources),
        )
    data_type = table.choice("type", _DATA_TYPES, DataType.FLOAT)
    name = table.string("name") or tag_id
    unit = table.string("unit", empty_ok=True) or ""
    precision = table.integer("precision", 1, lo=0, hi=9)
    range_lo, range_hi = _read_range(table, data_type)
    limits = _read_limits(table, data_type, range_lo, range_hi)
    stale_after = table.number("stale_after", 10.0, above=0)
    binding = _read_binding(table, (sources or {}).get(source_id), source_id, data_type)
    write = _read_write(table, data_type, range_lo, range_hi, binding)
    table.finish()
    if binding is None:
        return None
    return TagDef(
        id=tag_id,
        name=name,
        source=source_id,
        binding=binding,
        data_type=data_type,
        unit=unit,
        precision=precision,
        range_lo=range_lo,
        range_hi=range_hi,
        stale_after_s=stale_after,
        limits=limits,
        write=write,
    )


def _read_write(
    table: Table,
    data_type: DataType,
    range_lo: float | None,
    range_hi: float | None,
    binding: Binding | None,
) -> WriteDef | None:
    """``write = { lo = 10, hi = 95, max_step = 5 }``: operators may write this tag."""
    rules = table.table("write")
    if rules is None:
        return None
    if data_type is DataType.STRING:
        table.report("write", 'applies to "float", "int" and "bool" tags; this tag is "string"')
        return None
    numeric = data_type is not DataType.BOOL
    for key in ("lo", "hi", "max_step"):
        if rules.has(key) and not numeric:
            rules.report(key, 'applies to "float" and "int" tags only')
    lo = rules.number("lo", math.nan) if rules.has("lo") and numeric else None
    hi = rules.number("hi", math.nan) if rules.has("hi") and numeric else None
    step = rules.number("max_step", math.nan, above=0) if rules.has("max_step") else None
    readback = rules.number("readback_s", 5.0, above=0, hi=60)
    topic = rules.string("topic")
    if topic is not None and isinstance(binding, OpcUaBinding):
        rules.report("topic", "applies to MQTT tags only (an OPC UA write goes to the node)")
    if topic is not None and any(c in topic for c in "+#"):
        rules.report("topic", f"a command goes to one topic, without wildcards: {quote(topic)}")
    for key, value in (("lo", lo), ("hi", hi)):
        if value is None or math.isnan(value) or range_lo is None or range_hi is None:
            continue
        if not range_lo <= value <= range_hi:
            rules.report(
                key,
                f"expected a number within the tag's range, from {show(range_lo)} "
                f"to {show(range_hi)}, got {show(value)}",
            )
    if lo is not None and hi is not None and lo >= hi:
        rules.report("hi", f"expected lo < hi, got lo = {show(lo)} and hi = {show(hi)}")
    rules.finish()
    if any(v is not None and math.isnan(v) for v in (lo, hi, step)):
        return None
    return WriteDef(lo=lo, hi=hi, max_step=step, topic=topic, readback_s=readback)


def _read_range(table: Table, data_type: DataType) -> tuple[float | None, float | None]:
    """``range = [low, high]``: the scale of gauges and trends."""
    value = table.raw("range")
    if value is None:
        return None, None
    if data_type in (DataType.BOOL, DataType.STRING):
        table.report("range", f'applies to "float" and "int" tags only; this tag is "{data_type}"')
        return None, None
    if not isinstance(value, list) or len(value) != 2:
        table.report("range", f"expected [low, high], two numbers, got {describe(value)}")
        return None, None
    numbers = [finite_number(item) for item in value]
    for index, (item, number) in enumerate(zip(value, numbers, strict=True)):
        if number is None:
            table.problems.add(table.at("range", index), f"expected a number, got {describe(item)}")
    low, high = numbers
    if low is None or high is None:
        return None, None
    if low >= high:
        table.report("range", f"expected low < high, got [{show(low)}, {show(high)}]")
        return None, None
    return low, high


def _read_limits(
    table: Table, data_type: DataType, range_lo: float | None, range_hi: float | None
) -> tuple[tuple[LimitKind, float], ...]:
    """``limits = { hi = 90, hihi = 95 }``: alarm limits, in the order lolo, lo, hi, hihi."""
    value = table.raw("limits")
    if value is None:
        return ()
    if data_type in (DataType.BOOL, DataType.STRING):
        table.report("limits", f'applies to "float" and "int" tags only; this tag is "{data_type}"')
        return ()
    if not isinstance(value, dict):
        table.report(
            "limits", f"expected a table such as {{ hi = 90, hihi = 95 }}, got {describe(value)}"
        )
        return ()
    limits = Table(value, table.at("limits"), table.problems, table.base_dir)
    limits.expect(*(kind.value for kind in LimitKind))  # named by finish() when one is misspelt
    found: list[tuple[LimitKind, float]] = []
    ok = True
    for kind in LimitKind:
        if not limits.has(kind.value):
            continue
        number = limits.number(kind.value, math.nan)  # NaN: not a finite number (reported)
        if math.isnan(number):
            ok = False
            continue
        if range_lo is not None and range_hi is not None and not range_lo <= number <= range_hi:
            limits.report(
                kind.value,
                f"expected a number within the tag's range, from {show(range_lo)} "
                f"to {show(range_hi)}, got {show(number)}",
            )
            ok = False
        found.append((kind, number))
    for (low_kind, low), (high_kind, high) in pairwise(found):
        if low >= high:
            limits.report(
                high_kind.value,
                f"expected {_LIMIT_ORDER}; got {low_kind} = {show(low)} and "
                f"{high_kind} = {show(high)}",
            )
            ok = False
    for key in list(limits.keys()):
        meant = _LIMIT_WORDS.get(key.lower())
        if meant is not None:
            limits.forbid(key, f"unknown key (did you mean {quote(meant.value)}?)")
    limits.finish()
    return tuple(found) if ok else ()


def _read_binding(
    table: Table, source: Source | None, source_id: str, data_type: DataType
) -> Binding | None:
    """The binding of the source's kind; guessed from the keys when the source is unusable."""
    if isinstance(source, SparkplugSource):
        table.expect(*MQTT_BINDING_KEYS, *OPCUA_BINDING_KEYS)
        table.report(
            "source",
            f"source {quote(source_id)} is Sparkplug B: its tags come from the edge nodes' "
            "births; rename or scale a metric with [[sources.metrics]] instead",
        )
        return None
    if isinstance(source, MqttSource):
        kind = "mqtt"
    elif isinstance(source, OpcUaSource):
        kind = "opcua"
    else:
        # No usable source: its problem is reported already. Check what can be
        # checked without inventing more problems.
        kind = "opcua" if table.has("node") else "mqtt" if table.has("topic") else ""
        if not kind:
            table.expect(*MQTT_BINDING_KEYS, *OPCUA_BINDING_KEYS)
            return None
    other_keys = OPCUA_BINDING_KEYS if kind == "mqtt" else MQTT_BINDING_KEYS
    if source is not None:
        reason = f"source {quote(source_id)} is {_KIND_NAMES[kind]}"
    else:
        reason = f"this tag has {'a topic' if kind == 'mqtt' else 'a node'}"
    other = "OPC UA" if kind == "mqtt" else "MQTT"
    for key in other_keys:
        table.forbid(key, f"belongs to {other} bindings, but {reason}")
    if kind == "opcua":
        return _read_opcua_binding(table)
    mqtt_source = source if isinstance(source, MqttSource) else None
    return _read_mqtt_binding(table, mqtt_source, data_type)


def _read_opcua_binding(table: Table) -> OpcUaBinding:
    node = table.required_string("node")
    problem = node_id_problem(node) if node else None
    if problem:
        table.report("node", problem)
    return OpcUaBinding(node)


def _read_mqtt_binding(table: Table, source: MqttSource | None, data_type: DataType) -> MqttBinding:
    topic = table.required_string("topic")
    problem = topic_problem(topic) if topic else None
    if problem:
        table.report("topic", problem)
    elif topic and source is not None and not _subscribed(source, topic):
        filters = ", ".join(quote(pattern) for pattern in source.subscriptions)
        table.report(
            "topic",
            f"{quote(topic)} matches none of the subscriptions of source "
            f"{quote(source.id)} ({filters}): the tag would never update",
        )
    kind = table.choice("codec", _CODECS, CodecKind.JSON)
    if kind in _TEXT_CODECS and data_type in (DataType.FLOAT, DataType.INT):
        # These codecs deliver the payload as text, which never converts to a number.
        table.report(
            "codec",
            f'codec "{kind}" cannot give a "{data_type}" value; use codec "number" or "json"',
        )
    if kind is not CodecKind.JSON:
        for key in _JSON_PATH_KEYS:
            table.forbid(key, f'applies to codec "json" only; this tag\'s codec is "{kind}"')
        return MqttBinding(topic, Codec(kind))
    value_path = _json_path(table, "value_path", required=True)
    codec = Codec(
        kind,
        value_path=value_path or (),
        timestamp_path=_json_path(table, "timestamp_path"),
        quality_path=_json_path(table, "quality_path"),
    )
    return MqttBinding(topic, codec)


def _subscribed(source: MqttSource, topic: str) -> bool:
    """Whether the source receives the topic; without subscriptions it subscribes to each tag's."""
    if not source.subscriptions:
        return True
    return any(topic_matches(pattern, topic) for pattern in source.subscriptions)


def _json_path(table: Table, key: str, *, required: bool = False) -> JsonPath | None:
    if required and not table.has(key):
        table.missing(key, 'a path into the JSON payload, such as "value" or "counts.good"')
    text = table.string(key)
    if text is None:
        return None
    try:
        return parse_json_path(text)
    except ValueError as error:
        table.report(key, str(error))
        return None
