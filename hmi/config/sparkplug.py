"""``[[sources.metrics]]``: what the plant file adds to the metrics Sparkplug births declare.

A Sparkplug source's tags are not written in the plant file: the edge nodes
declare them. An integrator may still name a metric for the operator, give
its unit (when the node sends no ``engUnit``), its scale, its limits and a
staleness window. Each entry names the metric by its Sparkplug identity:
``group`` (optional), ``node``, ``device`` (absent: the node's own metric)
and ``metric``.
"""

from __future__ import annotations

from collections.abc import Sequence

from hmi.config.fields import Table
from hmi.config.problems import quote
from hmi.config.tags import _read_limits, _read_range
from hmi.domain.plant import DataType, MetricOverride
from hmi.domain.sparkplug import sparkplug_id_problem


def read_metric_overrides(table: Table, groups: Sequence[str]) -> tuple[MetricOverride, ...]:
    """Every ``[[sources.metrics]]`` of a Sparkplug source; ``groups`` are its group filters."""
    overrides: list[MetricOverride] = []
    seen: dict[tuple[str | None, str, str | None, str], int] = {}
    for index, entry in enumerate(table.tables("metrics")):
        override = _read_override(entry, groups)
        entry.finish()
        if override is None:
            continue
        key = (override.group, override.node, override.device, override.metric)
        if key in seen:
            entry.report("metric", f"the same metric is overridden twice (first at [{seen[key]}])")
            continue
        seen[key] = index
        overrides.append(override)
    return tuple(overrides)


def _read_override(table: Table, groups: Sequence[str]) -> MetricOverride | None:
    group = _sparkplug_id(table, "group")
    if group is not None and groups and group not in groups:
        shown = ", ".join(quote(g) for g in groups)
        table.report("group", f"{quote(group)} is not among the source's groups ({shown})")
    node = _sparkplug_id(table, "node", required=True)
    device = _sparkplug_id(table, "device")
    metric = table.string("metric", required=True)
    name = table.string("name")
    unit = table.string("unit", empty_ok=True)
    precision = table.integer("precision", -1, lo=0, hi=9)
    # A birth decides the data type; overrides of scale and limits apply to numbers only.
    range_lo, range_hi = _read_range(table, DataType.FLOAT)
    limits = _read_limits(table, DataType.FLOAT, range_lo, range_hi)
    stale_after = table.number("stale_after", 0.0, above=0) if table.has("stale_after") else None
    if node is None or metric is None:
        return None
    return MetricOverride(
        node=node,
        metric=metric,
        group=group,
        device=device,
        name=name,
        unit=unit,
        precision=None if precision < 0 else precision,
        range_lo=range_lo,
        range_hi=range_hi,
        limits=limits,
        stale_after_s=stale_after or None,
    )


def _sparkplug_id(table: Table, key: str, *, required: bool = False) -> str | None:
    value = table.string(key, required=required)
    if value is None:
        return None
    problem = sparkplug_id_problem(value)
    if problem:
        table.report(key, problem)
        return None
    return value


def read_groups(table: Table) -> tuple[str, ...]:
    """``groups = ["Line1", ...]``: the Sparkplug groups to consume; absent: every group."""
    if table.raw("groups") == []:
        table.report("groups", "expected at least one group id (leave groups out for every group)")
    groups: list[str] = []
    for index, group in table.strings("groups"):
        problem = sparkplug_id_problem(group)
        if problem:
            table.problems.add(table.at("groups", index), problem)
        elif group in groups:
            table.problems.add(table.at("groups", index), f"{quote(group)} is listed twice")
        else:
            groups.append(group)
    return tuple(groups)
