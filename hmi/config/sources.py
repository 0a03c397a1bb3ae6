"""``[[sources]]``: MQTT brokers (plain or Sparkplug B) and OPC UA servers, with their security.

Security settings are checked hardest, because a mistake there either refuses
every connection on the line or, worse, connects without the protection the
integrator asked for. Secrets never live in the plant file: it names an
environment variable or a file, and the secret is read at connect time.
"""

from __future__ import annotations

import os
from collections.abc import Collection

from hmi.config.fields import Table
from hmi.config.problems import did_you_mean, quote
from hmi.config.sparkplug import read_groups, read_metric_overrides
from hmi.config.syntax import env_name_problem, filter_problem, host_problem, opc_url_problem
from hmi.domain.plant import (
    DEV_INSECURE_ENV,
    Credentials,
    MqttProtocol,
    MqttSource,
    OpcUaSecurityMode,
    OpcUaSecurityPolicy,
    OpcUaSource,
    Source,
    SparkplugSource,
    TlsSettings,
)
from hmi.domain.sparkplug import NAMESPACE, sparkplug_id_problem

SOURCE_TYPES = {"mqtt": "mqtt", "opcua": "opcua", "sparkplug": "sparkplug"}

# Keys of each kind, so that a source whose type is wrong does not also get
# an "unknown key" problem for every key of the kind it was meant to be.
_COMMON_KEYS = ("id", "type", "username", "password_env", "password_file", "password")
_RECONNECT_KEYS = ("reconnect_min", "reconnect_max")
MQTT_KEYS = (
    *_COMMON_KEYS,
    *_RECONNECT_KEYS,
    *("host", "port", "protocol", "client_id", "keepalive", "subscriptions", "max_payload"),
    "tls",
)
OPCUA_KEYS = (
    *_COMMON_KEYS,
    *_RECONNECT_KEYS,
    *("url", "security_policy", "security_mode", "certificate", "private_key"),
    *("server_certificate", "trust_dir", "require_revocation_list", "allow_insecure"),
    *("publishing_interval_ms", "sampling_interval_ms"),
    *("keepalive_count", "lifetime_count", "queue_size", "session_timeout_ms"),
    *("conditions", "conditions_station"),
)
SPARKPLUG_KEYS = (
    *_COMMON_KEYS,
    *_RECONNECT_KEYS,
    *("host", "port", "protocol", "client_id", "keepalive", "max_payload", "tls"),
    *("groups", "station", "reorder_timeout_s", "metrics", "host_id"),
)

_PROTOCOLS = {
    "3.1.1": MqttProtocol.V311,
    "5": MqttProtocol.V5,
    "5.0": MqttProtocol.V5,
}
_POLICIES = {policy.value: policy for policy in OpcUaSecurityPolicy}
_MODES = {mode.value: mode for mode in OpcUaSecurityMode}
_MAX_PAYLOAD = 16 * 1024 * 1024
_UINT32_MAX = 2**32 - 1


def read_source(table: Table) -> Source | None:
    """One source, or None when its type is unknown (the problem is recorded)."""
    source_id = table.identifier("id")
    kind = table.required_choice("type", SOURCE_TYPES)
    if kind == "mqtt":
        source: Source | None = _read_mqtt(table, source_id)
    elif kind == "opcua":
        source = _read_opcua(table, source_id)
    elif kind == "sparkplug":
        source = _read_sparkplug(table, source_id)
    else:
        table.expect(*MQTT_KEYS, *OPCUA_KEYS, *SPARKPLUG_KEYS)
        source = None
    table.finish()
    return source


def _read_mqtt(table: Table, source_id: str) -> MqttSource:
    host, port, tls = read_broker(table)
    subscriptions: list[str] = []
    for index, topic_filter in table.strings("subscriptions"):
        problem = filter_problem(topic_filter)
        if problem:
            table.problems.add(table.at("subscriptions", index), problem)
        subscriptions.append(topic_filter)
    reconnect_min, reconnect_max = _read_reconnect(table)
    return MqttSource(
        id=source_id,
        host=host,
        port=port,
        protocol=table.choice("protocol", _PROTOCOLS, MqttProtocol.V5, shown='"3.1.1", "5"'),
        client_id=table.string("client_id"),
        keepalive_s=table.integer("keepalive", 15, lo=5, hi=3600),
        tls=tls,
        credentials=read_credentials(table),
        subscriptions=tuple(subscriptions),
        max_payload_bytes=table.integer("max_payload", 65536, lo=1, hi=_MAX_PAYLOAD),
        reconnect_min_s=reconnect_min,
        reconnect_max_s=reconnect_max,
    )


def _read_sparkplug(table: Table, source_id: str) -> SparkplugSource:
    """A Sparkplug B namespace: the broker as for MQTT, then the groups, station, timeout."""
    host, port, tls = read_broker(table)
    groups = read_groups(table)
    filters = tuple(f"{NAMESPACE}/{group}/#" for group in groups) or (f"{NAMESPACE}/#",)
    reconnect_min, reconnect_max = _read_reconnect(table)
    broker = MqttSource(
        id=source_id,
        host=host,
        port=port,
        protocol=table.choice("protocol", _PROTOCOLS, MqttProtocol.V5, shown='"3.1.1", "5"'),
        client_id=table.string("client_id"),
        keepalive_s=table.integer("keepalive", 15, lo=5, hi=3600),
        tls=tls,
        credentials=read_credentials(table),
        subscriptions=filters,
        # Births of nodes with thousands of metrics are large.
        max_payload_bytes=table.integer("max_payload", 1024 * 1024, lo=1, hi=_MAX_PAYLOAD),
        reconnect_min_s=reconnect_min,
        reconnect_max_s=reconnect_max,
    )
    return SparkplugSource(
        id=source_id,
        broker=broker,
        station=table.identifier("station"),
        groups=groups,
        reorder_timeout_s=table.number("reorder_timeout_s", 2.0, above=0, hi=600),
        metrics=read_metric_overrides(table, groups),
        host_id=_read_host_id(table),
    )


def _read_host_id(table: Table) -> str | None:
    """The Sparkplug host application id, if this connection is one."""
    host_id = table.string("host_id")
    problem = sparkplug_id_problem(host_id) if host_id is not None else None
    if problem:
        table.report("host_id", problem)
        return None
    return host_id


def read_broker(table: Table) -> tuple[str, int, TlsSettings | None]:
    """Where an MQTT broker is: ``host``, ``port`` and the ``tls`` sub-table.

    Shared by sources and the upstream of records. The port defaults to 8883
    with TLS and to 1883 without.
    """
    host = table.required_string("host")
    problem = host_problem(host) if host else None
    if problem:
        table.report("host", problem)
    tls_table = table.table("tls")
    tls = _read_tls(tls_table) if tls_table is not None else None
    port = table.integer("port", 1883 if tls is None else 8883, lo=1, hi=65535)
    return host, port, tls


def _read_tls(table: Table) -> TlsSettings:
    """``[sources.tls]``, ``[sync.upstream.tls]``: the CA is required, the client pair optional.

    ``insecure_skip_verify = true`` is a developer's setting, accepted only while
    the environment variable FLOORLINE_DEV_INSECURE is 1 (the CA may then be left out).
    """
    skip = table.boolean("insecure_skip_verify", False)
    if skip and os.environ.get(DEV_INSECURE_ENV) != "1":
        table.report(
            "insecure_skip_verify",
            "turns off the check of the broker's certificate and name, a developer's setting "
            f"honoured only while the environment variable {DEV_INSECURE_ENV}=1 is set; "
            "remove it and give ca_file (and server_name) instead",
        )
    ca_file = table.file("ca_file", required=not skip)
    cert_file = table.file("cert_file")
    key_file = table.file("key_file")
    for present, absent in (("cert_file", "key_file"), ("key_file", "cert_file")):
        if table.has(present) and not table.has(absent):
            table.missing(absent, f"a file path, since {present} is given")
    server_name = table.string("server_name")
    table.finish()
    return TlsSettings(ca_file, cert_file, key_file, server_name, insecure_skip_verify=skip)


def read_credentials(table: Table) -> Credentials | None:
    """``username`` with ``password_env`` or ``password_file``: shared by sources and upstream."""
    table.forbid(
        "password",
        "clear passwords are not accepted in the plant file; use password_env or password_file",
    )
    username = table.string("username")
    password_env = table.string("password_env")
    if password_env is not None and (problem := env_name_problem(password_env)):
        table.report("password_env", problem)
    password_file = table.file("password_file")
    if table.has("password_env") and table.has("password_file"):
        table.report("password_file", "give either password_env or password_file, not both")
    if not table.has("username"):
        for key in ("password_env", "password_file"):
            if table.has(key):
                table.missing("username", f"a string, since {key} is given")
                break
    if username is None:
        return None
    return Credentials(username, password_env, password_file)


def _read_reconnect(table: Table) -> tuple[float, float]:
    """Back-off bounds between reconnection attempts, in seconds."""
    return table.number_pair(("reconnect_min", "reconnect_max"), (1.0, 30.0), lo=0.1, hi=3600)


def _read_opcua(table: Table, source_id: str) -> OpcUaSource:
    url = table.required_string("url")
    problem = opc_url_problem(url) if url else None
    if problem:
        table.report("url", problem)
    policy, mode, allow_insecure = _read_security(table)
    certificate = table.file("certificate")
    private_key = table.file("private_key")
    for present, absent in (("certificate", "private_key"), ("private_key", "certificate")):
        if table.has(present) and not table.has(absent):
            table.missing(absent, f"a file path, since {present} is given")
    server_certificate = table.file("server_certificate")
    trust_dir = table.folder("trust_dir")
    keepalive_count = table.integer("keepalive_count", 10, lo=1, hi=_UINT32_MAX)
    lifetime_count = table.integer(
        "lifetime_count", max(30, 3 * keepalive_count), lo=1, hi=_UINT32_MAX
    )
    if lifetime_count < 3 * keepalive_count:
        # OPC UA Part 4, 5.13.2: the server enforces at least three keep-alives per lifetime.
        table.report(
            "lifetime_count",
            f"expected at least 3 x keepalive_count ({3 * keepalive_count}), got {lifetime_count}",
        )
    reconnect_min, reconnect_max = _read_reconnect(table)
    conditions = table.boolean("conditions", False)
    conditions_station = table.string("conditions_station")
    # Compared only when conditions was read: a default standing in for a bad value proves nothing.
    if conditions_station is not None and table.data.get("conditions", False) is False:
        table.report(
            "conditions_station",
            "applies with conditions = true only: without it no condition is read",
        )
    return OpcUaSource(
        id=source_id,
        url=url,
        security_policy=policy,
        security_mode=mode,
        certificate=certificate,
        private_key=private_key,
        server_certificate=server_certificate,
        trust_dir=trust_dir,
        require_revocation_list=table.boolean("require_revocation_list", False),
        allow_insecure=allow_insecure,
        credentials=read_credentials(table),
        publishing_interval_ms=table.number("publishing_interval_ms", 250.0, above=0),
        sampling_interval_ms=table.number("sampling_interval_ms", 100.0, lo=0),
        keepalive_count=keepalive_count,
        lifetime_count=lifetime_count,
        queue_size=table.integer("queue_size", 10, lo=1, hi=10000),
        session_timeout_ms=table.integer("session_timeout_ms", 30000, lo=1000, hi=_UINT32_MAX),
        reconnect_min_s=reconnect_min,
        reconnect_max_s=reconnect_max,
        conditions=conditions,
        conditions_station=conditions_station,
    )


def _read_security(table: Table) -> tuple[OpcUaSecurityPolicy, OpcUaSecurityMode, bool]:
    """Policy and mode, secure by default; None or a deprecated policy only when allowed.

    Without ``security_policy`` the link signs and encrypts with Basic256Sha256;
    its client certificate is made on first run and the server must be trusted.
    """
    policy = table.choice("security_policy", _POLICIES, OpcUaSecurityPolicy.BASIC256SHA256)
    default_mode = (
        OpcUaSecurityMode.NONE
        if policy is OpcUaSecurityPolicy.NONE
        else OpcUaSecurityMode.SIGN_AND_ENCRYPT
    )
    mode = table.choice("security_mode", _MODES, default_mode)
    if (policy is OpcUaSecurityPolicy.NONE) != (mode is OpcUaSecurityMode.NONE):
        key = "security_mode" if table.has("security_mode") else "security_policy"
        table.report(
            key,
            f"security_policy {quote(policy.value)} and security_mode {quote(mode.value)} "
            'do not fit: both are "None", or neither is',
        )
    allow_insecure = table.boolean("allow_insecure", False)
    if policy.insecure and not allow_insecure and table.has("security_policy"):
        why = (
            "sends values and writes unsigned and unencrypted"
            if policy is OpcUaSecurityPolicy.NONE
            else "is deprecated since OPC UA 1.04 (SHA-1)"
        )
        table.report(
            "security_policy",
            f"{quote(policy.value)} {why}: use Basic256Sha256, Aes128_Sha256_RsaOaep or "
            "Aes256_Sha256_RsaPss, or add allow_insecure = true to accept it knowingly",
        )
    if allow_insecure and not policy.insecure:
        table.report(
            "allow_insecure",
            f"applies to security_policy None, Basic128Rsa15 or Basic256 only, not {policy.value}",
        )
    return policy, mode, allow_insecure


def check_conditions_station(table: Table, stations: Collection[str] | None) -> None:
    """Once the stations are read: an OPC UA source's ``conditions_station`` must be one,
    and so must a Sparkplug source's ``station``.

    ``stations`` is None when they are unreadable, and nothing can be checked.
    """
    if table.data.get("type") == "sparkplug":
        listed = table.data.get("station")
        if stations is not None and isinstance(listed, str) and listed and listed not in stations:
            message = f"no station has the id {quote(listed)}" + did_you_mean(listed, stations)
            table.report("station", message)
        return
    station = table.data.get("conditions_station")
    if table.data.get("type") != "opcua" or not isinstance(station, str) or not station.strip():
        return  # not an OPC UA source, or a problem reported already
    if stations is not None and station not in stations:
        message = f"no station has the id {quote(station)}" + did_you_mean(station, stations)
        table.report("conditions_station", message)
