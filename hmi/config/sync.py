"""``[storage]``, ``[history]`` and ``[sync]``: where operator records and the tag
history are kept, and where the records go.

The upstream is an MQTT broker or an HTTP(S) endpoint. Its connection keys are
read by the same code as those of MQTT sources, so TLS and credentials are
checked alike wherever they appear; secrets are named (an environment variable,
a file), never written in the plant file.
"""

from __future__ import annotations

from hmi.config.fields import Table, show
from hmi.config.problems import quote
from hmi.config.sources import read_broker, read_credentials
from hmi.config.syntax import env_name_problem, http_url_problem, topic_problem
from hmi.domain.plant import (
    HistorySettings,
    HttpUpstream,
    MqttUpstream,
    StorageSettings,
    SyncSettings,
)

UPSTREAM_TYPES = {"mqtt": "mqtt", "http": "http"}
MQTT_UPSTREAM_KEYS = (
    *("host", "port", "client_id", "topic_prefix", "session_expiry_s", "tls"),
    *("username", "password_env", "password_file", "password"),
)
HTTP_UPSTREAM_KEYS = ("url", "ca_file", "token_env", "timeout_s", "token")
_KIND_NAMES = {"mqtt": "MQTT", "http": "HTTP"}
_UINT32_MAX = 2**32 - 1  # MQTT 5: the longest session expiry interval


def read_storage(table: Table | None) -> StorageSettings:
    """``[storage]``: the cache file and the sizes that raise an alarm (nothing is ever dropped)."""
    default = StorageSettings()
    if table is None:
        return default
    storage = StorageSettings(
        path=table.new_file("path"),
        warn_size_mb=table.number("warn_size_mb", default.warn_size_mb, above=0),
        min_free_disk_mb=table.number("min_free_disk_mb", default.min_free_disk_mb, lo=0),
    )
    table.finish()
    return storage


def read_history(table: Table | None) -> HistorySettings:
    """``[history]``: the tag history file, how long raw samples and buckets stay, its size."""
    default = HistorySettings()
    if table is None:
        return default
    problems = len(table.problems.found)
    raw_hours = table.number("raw_hours", default.raw_hours, above=0)
    keep_days = table.number("keep_days", default.keep_days, above=0)
    # Compared only when both were read: a default standing in for a bad value proves nothing.
    if len(table.problems.found) == problems and raw_hours > keep_days * 24:
        table.report(
            "raw_hours",
            f"expected at most keep_days x 24 ({show(keep_days * 24)}), got {show(raw_hours)}: "
            "raw samples cannot outlive the buckets",
        )
    history = HistorySettings(
        path=table.new_file("path"),
        raw_hours=raw_hours,
        keep_days=keep_days,
        max_mb=table.number("max_mb", default.max_mb, above=0),
        flush_s=table.number("flush_s", default.flush_s, lo=0.1, hi=60),
    )
    table.finish()
    return history


def read_sync(table: Table | None) -> SyncSettings:
    """``[sync]``: the forwarder's pace and ``[sync.upstream]``; without one, records stay here."""
    default = SyncSettings()
    if table is None:
        return default
    upstream_table = table.table("upstream")
    retry_min, retry_max = table.number_pair(
        ("retry_min_s", "retry_max_s"), (default.retry_min_s, default.retry_max_s), above=0
    )
    sync = SyncSettings(
        upstream=_read_upstream(upstream_table) if upstream_table is not None else None,
        batch_size=table.integer("batch_size", default.batch_size, lo=1, hi=10000),
        retry_min_s=retry_min,
        retry_max_s=retry_max,
        quarantine_after=table.integer("quarantine_after", default.quarantine_after, lo=1, hi=1000),
        ack_timeout_s=table.number("ack_timeout_s", default.ack_timeout_s, above=0),
    )
    table.finish()
    return sync


def _read_upstream(table: Table) -> MqttUpstream | HttpUpstream | None:
    """One upstream, or None when its type is unknown (the problem is recorded)."""
    kind = table.required_choice("type", UPSTREAM_TYPES)
    upstream: MqttUpstream | HttpUpstream | None = None
    if kind is None:
        # Spare each key of either kind an "unknown key" problem: the type is the mistake.
        table.expect(*MQTT_UPSTREAM_KEYS, *HTTP_UPSTREAM_KEYS)
    else:
        other = "http" if kind == "mqtt" else "mqtt"
        for key in HTTP_UPSTREAM_KEYS if kind == "mqtt" else MQTT_UPSTREAM_KEYS:
            table.forbid(
                key,
                f"belongs to {_KIND_NAMES[other]} upstreams, but this upstream's type is "
                f"{quote(kind)}",
            )
        upstream = _read_mqtt_upstream(table) if kind == "mqtt" else _read_http_upstream(table)
    table.finish()
    return upstream


def _read_mqtt_upstream(table: Table) -> MqttUpstream:
    host, port, tls = read_broker(table)
    default = MqttUpstream(host="")
    prefix = table.string("topic_prefix")
    if prefix is not None and (problem := _topic_prefix_problem(prefix)):
        table.report("topic_prefix", problem)
    return MqttUpstream(
        host=host,
        port=port,
        client_id=table.string("client_id"),
        topic_prefix=prefix or default.topic_prefix,
        tls=tls,
        credentials=read_credentials(table),
        session_expiry_s=table.integer(
            "session_expiry_s", default.session_expiry_s, lo=0, hi=_UINT32_MAX
        ),
    )


def _topic_prefix_problem(prefix: str) -> str | None:
    """Records go to ``<prefix>/<station>/<kind>``: the prefix is the start of an exact topic."""
    problem = topic_problem(prefix)
    if problem is not None:
        return problem
    if prefix.startswith("$"):
        return f'expected a topic not starting with "$" (reserved by brokers), got {quote(prefix)}'
    if prefix.endswith("/"):
        return (
            f'expected a topic without a trailing "/" (records go to '
            f"<prefix>/<station>/<kind>), got {quote(prefix)}"
        )
    return None


def _read_http_upstream(table: Table) -> HttpUpstream:
    table.forbid("token", "clear tokens are not accepted in the plant file; use token_env")
    url = table.required_string("url")
    problem = http_url_problem(url) if url else None
    if problem:
        table.report("url", problem)
    ca_file = table.file("ca_file")
    if ca_file is not None and url.startswith("http://"):
        table.report("ca_file", 'applies to "https://" URLs only')
    token_env = table.string("token_env")
    if token_env is not None and (problem := env_name_problem(token_env)):
        table.report("token_env", problem)
    return HttpUpstream(
        url=url,
        ca_file=ca_file,
        token_env=token_env,
        timeout_s=table.number("timeout_s", HttpUpstream(url="").timeout_s, above=0),
    )
