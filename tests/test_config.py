"""The plant-file loader: the demo plant loads, every problem is found with its
key path and line, and no input whatsoever raises anything but ConfigError."""

from __future__ import annotations

import copy
import datetime as dt
import math
import pickle
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hmi.config import ConfigError, ConfigProblem, check_config, load_plant, load_plant_text
from hmi.config.locate import KeyLocator
from hmi.config.syntax import (
    filter_problem,
    node_id_problem,
    parse_json_path,
    topic_matches,
    topic_problem,
)
from hmi.domain.plant import (
    CodecKind,
    DataType,
    HistorySettings,
    HttpUpstream,
    LimitKind,
    MachineState,
    MqttBinding,
    MqttProtocol,
    MqttSource,
    MqttUpstream,
    OpcUaBinding,
    OpcUaSecurityMode,
    OpcUaSecurityPolicy,
    OpcUaSource,
    PlantDef,
    StorageSettings,
    SyncSettings,
)
from hmi.domain.roles import Role
from hmi.domain.users import SignInPolicy, hash_secret, verify_secret

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "hmi" / "sim" / "demo_plant.toml"
DOCS = ROOT / "docs" / "plant-file.md"

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

BASE = """\
[plant]
name = "Test line"

[[sources]]
id = "broker"
type = "mqtt"
host = "broker.local"
subscriptions = ["line/#"]

[[sources]]
id = "plc"
type = "opcua"
url = "opc.tcp://plc:4840"

[[tags]]
id = "speed"
source = "broker"
topic = "line/speed"
codec = "json"
value_path = "value"

[[tags]]
id = "state"
type = "int"
source = "plc"
node = "ns=2;s=State"

[[stations]]
id = "filler"
name = "Filler"
tags = ["speed"]
state_tag = "state"

[stations.state_map]
0 = "stopped"
1 = "running"
"""
# Cheap hashes (scrypt at n=2): the loader checks their form, never their cost.
PIN_HASH = hash_secret("1234", n=2)
BADGE_HASH = hash_secret("0001", n=2)
MQTT_UPSTREAM = '[sync.upstream]\ntype = "mqtt"\nhost = "mes.local"'
BASE += f"""
[storage]
warn_size_mb = 512

[security]
max_failures = 3

[[users]]
id = "olga"
role = "operator"
pin_hash = "{PIN_HASH}"
badge_hash = "{BADGE_HASH}"

[[users]]
id = "leo"
name = "Leo Lead"
role = "lead"
pin_hash = "{hash_secret("5678", n=2)}"

[sync]
batch_size = 100

{MQTT_UPSTREAM}
"""


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, marker: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line containing ``marker``."""
    hits = [number for number, line in enumerate(text.split("\n"), 1) if marker in line]
    return hits[occurrence - 1]


def problems_of(text: str, path: str = "plant.toml") -> list[ConfigProblem]:
    with pytest.raises(ConfigError) as caught:
        load_plant_text(text, path)
    assert caught.value.problems
    return caught.value.problems


def problem_at(text: str, key_path: str) -> ConfigProblem:
    problems = problems_of(text)
    found = [problem for problem in problems if problem.key_path == key_path]
    assert found, "\n".join(problem.format() for problem in problems)
    return found[0]


# --- the demo plant and valid files ---------------------------------------------------


def test_demo_plant_loads() -> None:
    plant = load_plant(DEMO)
    assert plant.name == "Demo bottling line"
    assert plant.path == str(DEMO)
    assert (len(plant.sources), len(plant.tags), len(plant.stations)) == (2, 25, 3)
    broker = plant.source("line-broker")
    assert isinstance(broker, MqttSource)
    assert broker.protocol is MqttProtocol.V311
    assert broker.port == 18830
    assert broker.subscriptions == ("demo/bottling/#",)
    assert isinstance(plant.source("filler-plc"), OpcUaSource)
    assert len(plant.tags_of("filler-plc")) == 9
    good = plant.tag("labeler.good")
    assert isinstance(good.binding, MqttBinding)
    assert good.binding.codec.value_path == ("counts", "good")
    assert good.binding.codec.timestamp_path == ("ts",)
    assert plant.tag("labeler.low_label").binding == MqttBinding(
        "demo/bottling/labeler/low_label", good.binding.codec.__class__(CodecKind.BOOL)
    )
    speed = plant.tag("filler.speed")
    assert (speed.range_lo, speed.range_hi, speed.precision) == (0, 600, 0)
    assert speed.binding == OpcUaBinding("ns=2;s=Filler.Speed")
    assert speed.limits == ()
    assert plant.tag("filler.pressure").limits == (
        (LimitKind.LOLO, 2.5),
        (LimitKind.LO, 2.7),
        (LimitKind.HI, 3.4),
        (LimitKind.HIHI, 3.5),
    )
    assert plant.tag("labeler.glue_temp").limits == ((LimitKind.LO, 140), (LimitKind.HI, 175))
    filler, capper, labeler = plant.stations
    assert filler.trend == (
        "filler.speed",
        "filler.product_temp",
        "filler.pressure",
        "filler.motor_current",
        "filler.vibration",
    )
    assert len(capper.trend) == 4
    assert len(labeler.trend) == 5
    # Every pen is a number with a range, whose limits (if any) lie within it.
    for station in plant.stations:
        for pen in station.trend:
            tag = plant.tag(pen)
            assert tag.trendable and tag.range_lo is not None and tag.range_hi is not None
            assert all(tag.range_lo <= limit <= tag.range_hi for _, limit in tag.limits)
    assert plant.history == HistorySettings()


def test_demo_state_map_drives_machine_state() -> None:
    plant = load_plant(str(DEMO))
    filler, capper, _labeler = plant.stations
    assert filler.state_tag == "filler.state"
    assert filler.machine_state(1) is MachineState.RUNNING
    assert filler.machine_state(3.0) is MachineState.FAULTED
    assert filler.machine_state(7) is MachineState.UNKNOWN
    assert capper.state_map == {}
    assert capper.machine_state("Running") is MachineState.RUNNING
    assert "filler.state" not in filler.tags
    assert len(filler.tags) == 8


def test_demo_users_and_sign_in_policy() -> None:
    plant = load_plant(DEMO)
    assert plant.sign_in == SignInPolicy(
        max_failures=5, failure_window_s=300, lockout_s=120, idle_lock_s=300
    )
    assert [(user.id, user.role) for user in plant.users] == [
        ("olga", Role.OPERATOR),
        ("leo", Role.LEAD),
        ("max", Role.MAINTENANCE),
        ("erin", Role.ENGINEER),
        ("ada", Role.ADMIN),
    ]
    olga, leo, *others = plant.users
    assert olga.name == "Olga Operator"
    pins = ["1111", "2222", "3333", "4444", "9999"]
    for user, pin in zip(plant.users, pins, strict=True):
        assert verify_secret(pin, user.secret_hash), user.id
    assert olga.badge_hash is not None and verify_secret("0001234567", olga.badge_hash)
    assert leo.badge_hash is not None and verify_secret("0007654321", leo.badge_hash)
    assert all(user.badge_hash is None for user in others)
    assert plant.storage == StorageSettings()
    assert plant.sync == SyncSettings()


def test_new_tables_are_optional() -> None:
    plant = load_plant_text('[plant]\nname = "x"\n')
    assert plant.users == ()
    assert plant.sign_in == SignInPolicy()
    assert plant.storage == StorageSettings()
    assert plant.sync == SyncSettings()
    assert plant.sync.upstream is None
    assert plant.history == HistorySettings()


def test_users_policy_storage_and_sync(tmp_path: Path) -> None:
    for name in ("ca.pem", "client.pem", "client.key", "secret"):
        (tmp_path / "pki").mkdir(exist_ok=True)
        (tmp_path / "pki" / name).write_text("x")
    text = edit(BASE, "warn_size_mb = 512", 'warn_size_mb = 512\npath = "data/cache.sqlite"')
    text = edit(text, "warn_size_mb = 512", "warn_size_mb = 512\nmin_free_disk_mb = 0")
    text = edit(text, "max_failures = 3", "max_failures = 3\nidle_lock_s = 0\nlockout_s = 60.5")
    text = edit(text, 'role = "operator"', 'role = "operator"\nlanguage = "es-MX"')
    text = edit(text, "batch_size = 100", "batch_size = 100\nretry_min_s = 90\nack_timeout_s = 3")
    text = edit(
        text,
        'host = "mes.local"',
        'host = "mes.local"\nclient_id = "line2-records"\ntopic_prefix = "plant/records"\n'
        'session_expiry_s = 0\nusername = "line2"\npassword_file = "pki/secret"\n'
        '[sync.upstream.tls]\nca_file = "pki/ca.pem"\ncert_file = "pki/client.pem"\n'
        'key_file = "pki/client.key"\nserver_name = "mes"',
    )
    plant_file = tmp_path / "plant.toml"
    plant_file.write_text(text, encoding="utf-8")
    plant = load_plant(plant_file)
    assert plant.storage == StorageSettings(str(tmp_path / "data" / "cache.sqlite"), 512, 0)
    assert plant.sign_in == SignInPolicy(3, 300, 60.5, 0)
    olga, leo = plant.users
    assert (olga.id, olga.name, olga.role, olga.language) == (
        "olga",
        "olga",
        Role.OPERATOR,
        "es-MX",
    )
    assert verify_secret("1234", olga.secret_hash)
    assert olga.badge_hash is not None and verify_secret("0001", olga.badge_hash)
    assert (leo.name, leo.role, leo.badge_hash, leo.language) == ("Leo Lead", Role.LEAD, None, None)
    sync = plant.sync
    # retry_max_s follows a larger retry_min_s, as reconnect_max does.
    assert (sync.batch_size, sync.retry_min_s, sync.retry_max_s) == (100, 90, 90)
    assert (sync.quarantine_after, sync.ack_timeout_s) == (5, 3)
    upstream = sync.upstream
    assert isinstance(upstream, MqttUpstream)
    assert (upstream.host, upstream.port, upstream.client_id) == (
        "mes.local",
        8883,
        "line2-records",
    )
    assert (upstream.topic_prefix, upstream.session_expiry_s) == ("plant/records", 0)
    assert upstream.tls is not None
    assert upstream.tls.ca_file == str(tmp_path / "pki" / "ca.pem")
    assert upstream.tls.server_name == "mes"
    assert upstream.credentials is not None
    assert upstream.credentials.password_file == str(tmp_path / "pki" / "secret")


def test_mqtt_upstream_defaults() -> None:
    upstream = load_plant_text(BASE).sync.upstream
    assert upstream == MqttUpstream(host="mes.local")
    assert (upstream.port, upstream.topic_prefix) == (1883, "floorline/records")


def test_http_upstream(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("x")
    text = edit(
        BASE,
        MQTT_UPSTREAM,
        '[sync.upstream]\ntype = "http"\nurl = "https://mes.example:8443/api/records"\n'
        'ca_file = "ca.pem"\ntoken_env = "MES_TOKEN"\ntimeout_s = 2.5',
    )
    plant_file = tmp_path / "plant.toml"
    plant_file.write_text(text, encoding="utf-8")
    assert load_plant(plant_file).sync.upstream == HttpUpstream(
        "https://mes.example:8443/api/records", str(tmp_path / "ca.pem"), "MES_TOKEN", 2.5
    )
    text = edit(BASE, MQTT_UPSTREAM, '[sync.upstream]\ntype = "http"\nurl = "http://mes/r"')
    assert load_plant_text(text).sync.upstream == HttpUpstream("http://mes/r")


def test_storage_path_may_name_a_folder_to_be_made(tmp_path: Path) -> None:
    text = edit(BASE, "warn_size_mb = 512", f'path = "{tmp_path}/new/deeper/cache.sqlite"')
    assert load_plant_text(text).storage.path == f"{tmp_path}/new/deeper/cache.sqlite"
    (tmp_path / "cache.sqlite").write_text("")
    text = edit(BASE, "warn_size_mb = 512", f'path = "{tmp_path}/cache.sqlite"')
    assert load_plant_text(text).storage.path == f"{tmp_path}/cache.sqlite"


def test_limits_trend_and_history(tmp_path: Path) -> None:
    text = edit(
        BASE,
        ANCHORS["tags[0]"],
        f"{ANCHORS['tags[0]']}\nrange = [0, 100]\nlimits = {{ hihi = 100, lo = 10, hi = 90.5 }}",
    )
    # A [tags.limits] table is the same as an inline one; an int tag may have limits.
    text = edit(text, ANCHORS["tags[1]"], f"{ANCHORS['tags[1]']}\n[tags.limits]\nlolo = -3")
    text = edit(
        text, ANCHORS["stations[0]"], f'{ANCHORS["stations[0]"]}\ntrend = ["state", "speed"]'
    )
    text += (
        '\n[history]\npath = "hist/history.sqlite"\nraw_hours = 24\nkeep_days = 1\n'
        "max_mb = 100.5\nflush_s = 0.1\n"
    )
    plant_file = tmp_path / "plant.toml"
    plant_file.write_text(text, encoding="utf-8")
    plant = load_plant(plant_file)
    assert plant.tag("speed").limits == (
        (LimitKind.LO, 10),
        (LimitKind.HI, 90.5),
        (LimitKind.HIHI, 100),
    )
    assert plant.tag("state").limits == ((LimitKind.LOLO, -3),)
    # The pens need not be among the station's tags, and keep their written order.
    assert plant.stations[0].trend == ("state", "speed")
    assert plant.stations[0].tags == ("speed",)
    assert plant.history == HistorySettings(
        str(tmp_path / "hist" / "history.sqlite"), 24, 1, 100.5, 0.1
    )


def test_a_bool_tag_is_a_pen_and_a_string_tag_is_not() -> None:
    text = edit(
        BASE, ANCHORS["stations[0]"], f'{ANCHORS["stations[0]"]}\ntrend = ["speed", "state"]'
    )
    bool_state = edit(text, 'type = "int"', 'type = "bool"')
    assert load_plant_text(bool_state).stations[0].trend == ("speed", "state")
    string_state = edit(text, 'type = "int"', 'type = "string"')
    problems = problems_of(string_state)
    assert [(p.key_path, p.line, p.message) for p in problems] == [
        (
            "stations[0].trend[1]",
            line_of(string_state, "trend = "),
            '"state" is a "string" tag: string values cannot be drawn on a trend',
        )
    ]


def test_trend_references_are_not_checked_when_tags_are_unreadable() -> None:
    text = 'tags = 3\n[plant]\nname = "x"\n[[stations]]\nid = "s"\ntrend = ["a", "b", "a"]\n'
    problems = problems_of(text)
    assert [(p.key_path, p.message) for p in problems] == [
        ("tags", "expected an array of tables ([[tags]]), got 3"),
        ("stations[0].trend[2]", '"a" is listed twice'),
    ]


def test_limit_problems_do_not_cascade() -> None:
    # A bad value is reported once: it is neither ordered nor range-checked as its default.
    text = edit(
        BASE,
        ANCHORS["tags[0]"],
        f'{ANCHORS["tags[0]"]}\nrange = [0, 10]\nlimits = {{ lo = "1", hi = 5, hihi = 20 }}',
    )
    problems = problems_of(text)
    assert [(p.key_path, p.message) for p in problems] == [
        ("tags[0].limits.lo", 'expected a number, got "1"'),
        (
            "tags[0].limits.hihi",
            "expected a number within the tag's range, from 0 to 10, got 20",
        ),
    ]
    # A bad range is the range's problem only.
    text = edit(
        BASE, ANCHORS["tags[0]"], f"{ANCHORS['tags[0]']}\nrange = [5, 1]\nlimits = {{ hi = 9 }}"
    )
    assert [p.key_path for p in problems_of(text)] == ["tags[0].range"]


def test_history_retention_is_compared_only_when_both_are_read() -> None:
    text = f"{BASE}\n[history]\nraw_hours = -1\nkeep_days = 1\n"
    problems = problems_of(text)
    assert [(p.key_path, p.message) for p in problems] == [
        ("history.raw_hours", "expected a number greater than 0, got -1")
    ]
    text = f"{BASE}\n[history]\nraw_hours = 24\nkeep_days = 1\n"
    assert load_plant_text(text).history.raw_hours == 24


def test_history_needs_a_file_of_its_own(tmp_path: Path) -> None:
    text = edit(BASE, "warn_size_mb = 512", 'warn_size_mb = 512\npath = "data/cache.sqlite"')
    text += '\n[history]\npath = "data/./cache.sqlite"\n'
    plant_file = tmp_path / "plant.toml"
    plant_file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_plant(plant_file)
    (problem,) = caught.value.problems
    assert (problem.key_path, problem.line) == ("history.path", line_of(text, "data/./cache"))
    assert problem.message == "is the cache file of [storage]; the history needs a file of its own"
    plant_file.write_text(text.replace("data/./cache", "data/history"), encoding="utf-8")
    assert load_plant(plant_file).history.path == str(tmp_path / "data" / "history.sqlite")


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ('"1234"', "a text that is not such a hash"),
        ("1234", "a number"),
        ('"scrypt$16384$8$1$1234$"', "a text that is not such a hash"),
        ('"scrypt$3$8$1$AAAA$AAAA"', "a text that is not such a hash"),
        ('"scrypt$16384$8$1$not base64!$AAAA"', "a text that is not such a hash"),
    ],
)
def test_a_bad_secret_hash_is_never_quoted(written: str, found: str) -> None:
    text = edit(BASE, f'pin_hash = "{PIN_HASH}"', f"pin_hash = {written}")
    problem = problem_at(text, "users[0].pin_hash")
    assert problem.message == (
        'expected a hash made by `hmi user hash-secret` ("scrypt$16384$8$1$..."), got ' + found
    )
    assert "1234" not in problem.format()
    assert problem.line == line_of(text, "pin_hash = ")


def test_unknown_upstream_type_does_not_cascade() -> None:
    text = edit(BASE, MQTT_UPSTREAM, '[sync.upstream]\ntype = "htp"\nurl = "x"\nhost = "y"')
    problems = problems_of(text)
    assert [problem.key_path for problem in problems] == ["sync.upstream.type"]
    assert 'did you mean "http"?' in problems[0].message


def test_defaults() -> None:
    plant = load_plant_text(BASE)
    broker, plc = plant.sources
    assert isinstance(broker, MqttSource)
    assert (broker.port, broker.protocol, broker.keepalive_s) == (1883, MqttProtocol.V5, 15)
    assert (broker.max_payload_bytes, broker.reconnect_min_s, broker.reconnect_max_s) == (
        65536,
        1.0,
        30.0,
    )
    assert broker.tls is None
    assert broker.credentials is None
    assert isinstance(plc, OpcUaSource)
    # Secure unless the plant file says otherwise: a client certificate is made on first run.
    assert plc.security_policy is OpcUaSecurityPolicy.BASIC256SHA256
    assert plc.security_mode is OpcUaSecurityMode.SIGN_AND_ENCRYPT
    assert (plc.certificate, plc.private_key, plc.server_certificate, plc.trust_dir) == (
        None,
        None,
        None,
        None,
    )
    assert plc.allow_insecure is False
    assert plc.require_revocation_list is False
    assert (plc.keepalive_count, plc.lifetime_count, plc.queue_size) == (10, 30, 10)
    assert (plc.publishing_interval_ms, plc.sampling_interval_ms) == (250.0, 100.0)
    speed = plant.tag("speed")
    assert (speed.name, speed.data_type, speed.unit, speed.precision) == (
        "speed",
        DataType.FLOAT,
        "",
        1,
    )
    assert (speed.range_lo, speed.range_hi, speed.stale_after_s) == (None, None, 10.0)
    assert speed.limits == ()
    assert plant.stations[0].state_map == {"0": MachineState.STOPPED, "1": MachineState.RUNNING}
    # No trend: the trend page draws the station's trendable tags (the GUI's default).
    assert plant.stations[0].trend == ()
    assert plant.history == HistorySettings()
    assert (plant.history.path, plant.history.raw_hours, plant.history.keep_days) == (
        None,
        48.0,
        30.0,
    )
    assert (plant.history.max_mb, plant.history.flush_s) == (2048.0, 1.0)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ('"5"', MqttProtocol.V5),
        ("5", MqttProtocol.V5),
        ('"5.0"', MqttProtocol.V5),
        ('"3.1.1"', MqttProtocol.V311),
    ],
)
def test_mqtt_protocol_spellings(written: str, expected: MqttProtocol) -> None:
    text = edit(BASE, 'host = "broker.local"', f'host = "broker.local"\nprotocol = {written}')
    source = load_plant_text(text).source("broker")
    assert isinstance(source, MqttSource)
    assert source.protocol is expected


def test_lifetime_count_follows_a_larger_keepalive_count() -> None:
    text = edit(
        BASE, 'url = "opc.tcp://plc:4840"', 'url = "opc.tcp://plc:4840"\nkeepalive_count = 20'
    )
    source = load_plant_text(text).source("plc")
    assert isinstance(source, OpcUaSource)
    assert source.lifetime_count == 60


def test_file_paths_resolve_from_the_plant_folder(tmp_path: Path) -> None:
    for name in ("ca.pem", "client.pem", "client.key", "secret", "opc.der", "opc.pem", "srv.der"):
        (tmp_path / "pki").mkdir(exist_ok=True)
        (tmp_path / "pki" / name).write_text("x")
    text = edit(
        BASE,
        'subscriptions = ["line/#"]',
        'subscriptions = ["line/#"]\nusername = "hmi"\npassword_file = "pki/secret"\n'
        '[sources.tls]\nca_file = "pki/ca.pem"\ncert_file = "pki/client.pem"\n'
        'key_file = "pki/client.key"\nserver_name = "broker.plant"',
    )
    text = edit(
        text,
        'url = "opc.tcp://plc:4840"',
        'url = "opc.tcp://plc:4840"\nsecurity_policy = "Basic256Sha256"\n'
        'security_mode = "SignAndEncrypt"\ncertificate = "pki/opc.der"\n'
        'private_key = "pki/opc.pem"\nserver_certificate = "pki/srv.der"\n'
        'username = "op"\npassword_env = "OPC_PASSWORD"',
    )
    plant_file = tmp_path / "plant.toml"
    plant_file.write_text(text, encoding="utf-8")
    plant = load_plant(plant_file)
    broker, plc = plant.sources
    assert isinstance(broker, MqttSource)
    assert broker.port == 8883
    assert broker.tls is not None
    assert broker.tls.ca_file == str(tmp_path / "pki" / "ca.pem")
    assert broker.tls.server_name == "broker.plant"
    assert broker.credentials is not None
    assert broker.credentials.password_file == str(tmp_path / "pki" / "secret")
    assert isinstance(plc, OpcUaSource)
    assert plc.security_mode is OpcUaSecurityMode.SIGN_AND_ENCRYPT
    assert plc.private_key == str(tmp_path / "pki" / "opc.pem")
    assert plc.credentials is not None
    assert plc.credentials.password_env == "OPC_PASSWORD"


def test_missing_file_path_names_the_resolved_path(tmp_path: Path) -> None:
    plant_file = tmp_path / "plant.toml"
    text = edit(BASE, 'subscriptions = ["line/#"]', '[sources.tls]\nca_file = "pki/ca.pem"')
    plant_file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_plant(plant_file)
    (problem,) = caught.value.problems
    assert problem.key_path == "sources[0].tls.ca_file"
    assert problem.line == line_of(text, "ca_file")
    assert problem.message == f"file not found: {tmp_path / 'pki' / 'ca.pem'}"


def test_load_plant_text_resolves_from_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ca.pem").write_text("x")
    monkeypatch.chdir(tmp_path)
    text = edit(BASE, 'subscriptions = ["line/#"]', '[sources.tls]\nca_file = "ca.pem"')
    source = load_plant_text(text).source("broker")
    assert isinstance(source, MqttSource)
    assert source.tls is not None
    assert source.tls.ca_file == str(tmp_path / "ca.pem")


# --- every class of problem, with its key path and its line ----------------------------


# Anchors of BASE after which a case adds lines, by the table the key path starts in.
ANCHORS = {
    "plant": 'name = "Test line"',
    "sources[0]": 'host = "broker.local"',
    "sources[1]": 'url = "opc.tcp://plc:4840"',
    "tags[0]": 'value_path = "value"',
    "tags[1]": 'node = "ns=2;s=State"',
    "stations[0]": 'state_tag = "state"',
    "storage": "warn_size_mb = 512",
    "security": "max_failures = 3",
    "users[0]": 'role = "operator"',
    "users[1]": 'role = "lead"',
    "sync": "batch_size = 100",
    "sync.upstream": 'host = "mes.local"',
}
Marker = str | tuple[str, int]


def added(key_path: str, lines: str, message: str, at: Marker = "") -> object:
    """Lines added to the table of ``key_path``; the problem is on the last one unless ``at``."""
    table = max((name for name in ANCHORS if key_path.startswith(f"{name}.")), key=len)
    anchor = ANCHORS[table]
    return changed(key_path, anchor, f"{anchor}\n{lines}", message, at)


def changed(key_path: str, old: str, new: str, message: str, at: Marker = "") -> object:
    """``old`` replaced by ``new`` in BASE; the problem is on the line of ``at`` (text, or
    text and occurrence), by default the last line of ``new``."""
    marker = at or new.rsplit("\n", 1)[-1]
    where = marker if isinstance(marker, tuple) else (marker, 1)
    return pytest.param(old, new, key_path, where, message, id=f"{key_path}: {message}")


def removed(key_path: str, line: str, message: str, at: Marker) -> object:
    return changed(key_path, line + "\n", "", message, at)


def http_upstream(key_path: str, lines: str, message: str, at: Marker = "") -> object:
    """The MQTT upstream of BASE replaced by an HTTP one with ``lines``."""
    new = f'[sync.upstream]\ntype = "http"\n{lines}'
    return changed(key_path, MQTT_UPSTREAM, new, message, at)


def history(key_path: str, lines: str, message: str, at: Marker = "") -> object:
    """A ``[history]`` table with ``lines`` added at the end of BASE."""
    return changed(key_path, MQTT_UPSTREAM, f"{MQTT_UPSTREAM}\n\n[history]\n{lines}", message, at)


LIMIT_ORDER = "expected lolo < lo < hi < hihi; got"
CLEAR_SECRET = (
    "clear secrets are not accepted in the plant file; "
    "store the hash made by `hmi user hash-secret`"
)


MISSING = "required key is missing"
CASES = [
    removed("plant.name", 'name = "Test line"', f"{MISSING} (expected a string)", at="[plant]"),
    added("plant.nmae", "nmae = 1", 'did you mean "name"?'),
    changed("station", "[[stations]]", "[[station]]", 'did you mean "stations"?'),
    changed("sources[0].type", 'type = "mqtt"', 'type = "amqp"', 'opcua, sparkplug; got "amqp"'),
    removed("sources[0].type", 'type = "mqtt"', MISSING, at="[[sources]]"),
    changed("sources[0].id", 'id = "broker"', 'id = "my broker"', "expected an id of letters"),
    changed(
        "sources[1].id",
        'id = "plc"',
        'id = "broker"',
        "first used at sources[0]",
        at=('id = "broker"', 2),
    ),
    added("sources[0].port", 'port = "fast"', 'expected an integer, got "fast"'),
    added("sources[0].port", "port = 70000", "expected an integer from 1 to 65535, got 70000"),
    added("sources[0].keepalive", "keepalive = true", "expected an integer, got true"),
    added("sources[0].keepalive", "keepalive = 15.0", "expected an integer, got 15.0"),
    added("sources[0].keepalive", "keepalive = 2", "from 5 to 3600"),
    added("sources[0].reconnect_min", "reconnect_min = false", "expected a number, got false"),
    added("sources[0].reconnect_min", "reconnect_min = nan", "expected a finite number, got nan"),
    added("sources[0].max_payload", "max_payload = 20_000_000", "from 1 to 16777216"),
    added(
        "sources[0].reconnect_max",
        "reconnect_min = 10\nreconnect_max = 2.5",
        "at least reconnect_min (10), got 2.5",
    ),
    added("sources[0].protocol", 'protocol = "4"', 'expected one of: "3.1.1", "5"; got "4"'),
    changed("sources[0].host", ANCHORS["sources[0]"], 'host = "mqtt://broker"', "not a URL"),
    removed("sources[0].host", ANCHORS["sources[0]"], MISSING, at="[[sources]]"),
    added("sources[0].client_id", 'client_id = ""', "expected a non-empty string"),
    added("sources[0].hots", 'hots = "x"', 'unknown key (did you mean "host"?)'),
    changed(
        "sources[0].subscriptions[1]",
        '["line/#"]',
        '["line/#", "a/#/b"]',
        '"#" must be alone in the last level',
        at="subscriptions",
    ),
    changed(
        "sources[0].subscriptions[0]",
        '["line/#"]',
        '["line/a+/b"]',
        '"+" must be alone in its level',
        at="subscriptions",
    ),
    changed(
        "sources[0].subscriptions[1]",
        '["line/#"]',
        '["line/#", ""]',
        "non-empty topic filter",
        at="subscriptions",
    ),
    changed(
        "sources[0].subscriptions[1]",
        '["line/#"]',
        '["line/#", 3]',
        "expected a string, got 3",
        at="subscriptions",
    ),
    added(
        "sources[0].password",
        'username = "hmi"\npassword = "s3cret"',
        "clear passwords are not accepted in the plant file; use password_env or password_file",
    ),
    added(
        "sources[0].password_env",
        'username = "hmi"\npassword_env = "1-PASS"',
        "expected an environment variable name like MQTT_PASSWORD",
    ),
    added(
        "sources[0].username",
        'password_env = "PASS"',
        "since password_env is given",
        at="[[sources]]",
    ),
    added(
        "sources[0].password_file",
        f'username = "u"\npassword_env = "P"\npassword_file = "{__file__}"',
        "either password_env or password_file, not both",
    ),
    added(
        "sources[0].password_file",
        'username = "u"\npassword_file = "/"',
        "is a folder, not a file: /",
    ),
    added(
        "sources[0].tls.ca_file",
        '[sources.tls]\nserver_name = "b"',
        f"{MISSING} (expected a string)",
        at="[sources.tls]",
    ),
    added(
        "sources[0].tls.ca_file",
        '[sources.tls]\nca_file = "/nonexistent/ca.pem"',
        "file not found: /nonexistent/ca.pem",
    ),
    added(
        "sources[0].tls.key_file",
        f'tls = {{ ca_file = "{__file__}", cert_file = "{__file__}" }}',
        "since cert_file is given",
    ),
    added(
        "sources[0].tls.ca",
        f'[sources.tls]\nca_file = "{__file__}"\nca = 1',
        'did you mean "ca_file"?',
    ),
    added("sources[0].tls", "tls = true", "expected a table, got true"),
    changed("sources[1].url", ANCHORS["sources[1]"], 'url = "http://plc:4840"', "expected a URL"),
    changed("sources[1].url", ANCHORS["sources[1]"], 'url = "opc.tcp://:4840"', "expected a URL"),
    changed("sources[1].url", ANCHORS["sources[1]"], 'url = "opc.tcp://p:99999"', "expected a URL"),
    added(
        "sources[1].security_policy",
        'security_policy = "Basic256sha256"',
        'did you mean "Basic256Sha256"?',
    ),
    added("sources[1].security_mode", 'security_mode = "None"', "do not fit"),
    added(
        "sources[1].security_mode",
        'security_policy = "None"\nallow_insecure = true\nsecurity_mode = "Sign"',
        "do not fit",
    ),
    added(
        "sources[1].security_policy",
        'security_policy = "None"',
        "unsigned and unencrypted: use Basic256Sha256, Aes128_Sha256_RsaOaep or "
        "Aes256_Sha256_RsaPss, or add allow_insecure = true",
    ),
    added(
        "sources[1].security_policy",
        'security_policy = "Basic128Rsa15"',
        "deprecated since OPC UA 1.04 (SHA-1)",
    ),
    added(
        "sources[1].allow_insecure",
        "allow_insecure = true",
        "applies to security_policy None, Basic128Rsa15 or Basic256 only, not Basic256Sha256",
    ),
    added("sources[1].allow_insecure", 'allow_insecure = "yes"', "expected true or false"),
    added(
        "sources[1].require_revocation_list",
        "require_revocation_list = 1",
        "expected true or false",
    ),
    added(
        "sources[1].private_key",
        f'certificate = "{__file__}"',
        "a file path, since certificate is given",
        at=("[[sources]]", 2),
    ),
    added("sources[1].trust_dir", f'trust_dir = "{__file__}"', "is not a folder"),
    added(
        "sources[1].server_certificate",
        'server_certificate = "pki/nothing.der"',
        "file not found",
    ),
    added(
        "sources[1].lifetime_count",
        "keepalive_count = 20\nlifetime_count = 50",
        "expected at least 3 x keepalive_count (60), got 50",
    ),
    added("sources[1].queue_size", "queue_size = 0", "from 1 to 10000"),
    added("sources[1].session_timeout_ms", "session_timeout_ms = 500", "from 1000 to 4294967295"),
    added("sources[1].publishing_interval_ms", "publishing_interval_ms = 0", "greater than 0"),
    added("sources[1].sampling_interval_ms", "sampling_interval_ms = -1", "of at least 0"),
    added("sources[1].keepalive", "keepalive = 10", 'did you mean "keepalive_count"?'),
    changed(
        "tags[1].id",
        'id = "state"',
        'id = "speed"',
        "first used at tags[0]",
        at=('id = "speed"', 2),
    ),
    removed("tags[1].id", 'id = "state"', MISSING, at=("[[tags]]", 2)),
    changed(
        "tags[0].source",
        'source = "broker"',
        'source = "brokr"',
        'no source has the id "brokr" (declared: "broker", "plc") (did you mean "broker"?)',
    ),
    changed("tags[1].type", 'type = "int"', 'type = "double"', "one of: float, int, bool, string"),
    added("tags[0].precision", "precision = 12", "from 0 to 9, got 12"),
    added("tags[0].range", "range = [5, 1]", "expected low < high, got [5, 1]"),
    added("tags[0].range[0]", 'range = ["a", 1]', 'expected a number, got "a"'),
    added("tags[0].range", "range = [1, 2, 3]", "expected [low, high]"),
    added("tags[0].range", 'type = "bool"\nrange = [0, 1]', 'applies to "float" and "int" tags'),
    added("tags[0].stale_after", "stale_after = 0", "greater than 0"),
    added(
        "tags[0].limits.hihi",
        "limits = { hi = 90, hihi = 85 }",
        f"{LIMIT_ORDER} hi = 90 and hihi = 85",
    ),
    added("tags[0].limits.hi", "limits = { lo = 5, hi = 5 }", f"{LIMIT_ORDER} lo = 5 and hi = 5"),
    added(
        "tags[0].limits.hi",
        "limits = { hi = 1, lolo = 2.5 }",
        f"{LIMIT_ORDER} lolo = 2.5 and hi = 1",
    ),
    added(
        "tags[0].limits.lo",
        "limits = { lolo = -1, lo = -2 }",
        f"{LIMIT_ORDER} lolo = -1 and lo = -2",
    ),
    added(
        "tags[0].limits.hihi",
        "range = [0, 100]\nlimits = { hi = 90, hihi = 120 }",
        "expected a number within the tag's range, from 0 to 100, got 120",
    ),
    added(
        "tags[1].limits.lolo",
        "range = [0, 10]\nlimits = { lolo = -0.5 }",
        "expected a number within the tag's range, from 0 to 10, got -0.5",
    ),
    added("tags[0].limits.hi", 'limits = { hi = "90" }', 'expected a number, got "90"'),
    added("tags[0].limits.hi", "limits = { hi = true }", "expected a number, got true"),
    added("tags[0].limits.hihi", "limits = { hihi = inf }", "expected a finite number, got inf"),
    added("tags[0].limits.lolow", "limits = { lolow = 1 }", 'unknown key (did you mean "lolo"?)'),
    added("tags[0].limits.high", "limits = { high = 1 }", 'unknown key (did you mean "hi"?)'),
    added("tags[0].limits.Low", "limits = { Low = 1 }", 'unknown key (did you mean "lo"?)'),
    added(
        "tags[0].limits.max",
        "limits = { max = 1 }",
        "unknown key (the keys here are: hi, hihi, lo, lolo)",
    ),
    added(
        "tags[0].limits",
        "limits = [90, 95]",
        "expected a table such as { hi = 90, hihi = 95 }, got an array",
    ),
    added(
        "tags[0].limits",
        'type = "bool"\nlimits = { hi = 1 }',
        'applies to "float" and "int" tags only; this tag is "bool"',
    ),
    added(
        "tags[0].limits",
        'type = "string"\nlimits = { hi = 1 }',
        'applies to "float" and "int" tags only; this tag is "string"',
    ),
    added("tags[0].limit", "limit = { hi = 1 }", 'unknown key (did you mean "limits"?)'),
    added("tags[0].unti", 'unti = "bar"', 'did you mean "unit"?'),
    changed("tags[0].topic", 'topic = "line/speed"', 'topic = "line/+"', "without the wildcards"),
    changed("tags[0].topic", 'topic = "line/speed"', 'topic = "line/\\u0000"', "without NUL"),
    removed("tags[0].topic", 'topic = "line/speed"', MISSING, at="[[tags]]"),
    changed(
        "tags[0].topic",
        'topic = "line/speed"',
        'topic = "other/speed"',
        'none of the subscriptions of source "broker" ("line/#"): the tag would never update',
    ),
    changed("tags[0].codec", 'codec = "json"', 'codec = "xml"', "number, bool, string, json"),
    removed("tags[0].value_path", ANCHORS["tags[0]"], "path into the JSON payload", at="[[tags]]"),
    changed("tags[0].value_path", ANCHORS["tags[0]"], 'value_path = "a..b"', "expected a path"),
    added("tags[0].quality_path", 'quality_path = "q[x]"', "expected a path like"),
    changed(
        "tags[0].value_path",
        'codec = "json"',
        'codec = "number"',
        'applies to codec "json" only; this tag\'s codec is "number"',
        at="value_path",
    ),
    changed(
        "tags[0].codec",
        'codec = "json"\nvalue_path = "value"',
        'codec = "bool"',
        'codec "bool" cannot give a "float" value; use codec "number" or "json"',
    ),
    added("tags[0].node", 'node = "i=1"', 'OPC UA bindings, but source "broker" is MQTT'),
    added(
        "tags[1].topic",
        'topic = "a"\ncodec = "number"',
        'belongs to MQTT bindings, but source "plc" is OPC UA',
        at='topic = "a"',
    ),
    removed("tags[1].node", ANCHORS["tags[1]"], MISSING, at=("[[tags]]", 2)),
    changed("tags[1].node", ANCHORS["tags[1]"], 'node = "ns=2;x=State"', "a NodeId such as"),
    changed("tags[1].node", ANCHORS["tags[1]"], 'node = "ns=2;i=12a"', "numeric identifier"),
    changed("tags[1].node", ANCHORS["tags[1]"], 'node = "ns=70000;i=1"', "from 0 to 65535"),
    changed("tags[1].node", ANCHORS["tags[1]"], 'node = "ns=2;g=1234"', "expected a GUID"),
    changed("tags[1].node", ANCHORS["tags[1]"], 'node = "ns=2;b=!!"', "expected base64"),
    changed(
        "stations[0].tags[1]",
        'tags = ["speed"]',
        'tags = ["speed", "sped2"]',
        'no tag has the id "sped2" (did you mean "speed"?)',
    ),
    changed("stations[0].tags[1]", 'tags = ["speed"]', 'tags = ["speed", "speed"]', "twice"),
    changed("stations[0].state_tag", ANCHORS["stations[0]"], 'state_tag = "stat"', '"state"?'),
    changed("stations[0].state_map.1", '1 = "running"', '1 = "runing"', 'mean "running"?'),
    changed("stations[0].state_map.1", '1 = "running"', "1 = 2", "got 2"),
    removed(
        "stations[0].state_map",
        ANCHORS["stations[0]"],
        "needs a state_tag",
        at="[stations.state_map]",
    ),
    changed(
        "stations[1].id",
        "[stations.state_map]",
        '[[stations]]\nid = "filler"\n[stations.state_map]',
        'duplicate station id "filler"',
        at=('id = "filler"', 2),
    ),
    added("stations[0].state_mpa", "state_mpa = 1", 'did you mean "state_map"?'),
    added(
        "stations[0].trend[1]",
        'trend = ["speed", "sped"]',
        'no tag has the id "sped" (did you mean "speed"?)',
    ),
    added("stations[0].trend[1]", 'trend = ["speed", "speed"]', '"speed" is listed twice'),
    added("stations[0].trend[0]", "trend = [1]", "expected a string, got 1"),
    added("stations[0].trend", 'trend = "speed"', 'expected an array of strings, got "speed"'),
    added(
        "stations[0].trend",
        "trend = []",
        "expected at least one tag id, got an empty array "
        "(leave trend out to draw the station's trendable tags)",
    ),
    added(
        "stations[0].trend",
        "trend = [" + ", ".join(['"speed"'] * 33) + "]",
        "expected at most 32 tag ids, got 33",
    ),
    added("stations[0].trnd", 'trnd = ["speed"]', 'unknown key (did you mean "trend"?)'),
    changed("user", "[[users]]", "[[user]]", 'unknown key (did you mean "users"?)'),
    changed("securty", "[security]", "[securty]", 'unknown key (did you mean "security"?)'),
    changed("storage", "[storage]", "[[storage]]", "expected a table, got an array"),
    added("storage.path", 'path = "/"', "is a folder, not a file: /"),
    added(
        "storage.path",
        f'path = "{__file__}/cache.sqlite"',
        f"cannot be created: {__file__} is a file, not a folder",
    ),
    added("storage.path", "path = 3", "expected a string, got 3"),
    added("storage.path", 'path = ""', "expected a non-empty string"),
    changed(
        "storage.warn_size_mb", ANCHORS["storage"], "warn_size_mb = 0", "greater than 0, got 0"
    ),
    added("storage.min_free_disk_mb", "min_free_disk_mb = -1", "of at least 0, got -1"),
    added("storage.pth", 'pth = "x"', 'unknown key (did you mean "path"?)'),
    changed("history", "[plant]", "history = 3\n[plant]", "expected a table, got 3", at="history"),
    changed(
        "histroy",
        MQTT_UPSTREAM,
        f"{MQTT_UPSTREAM}\n[histroy]\nraw_hours = 1",
        'unknown key (did you mean "history"?)',
        at="[histroy]",
    ),
    history("history.path", 'path = "/"', "is a folder, not a file: /"),
    history("history.path", "path = 3", "expected a string, got 3"),
    history(
        "history.path",
        f'path = "{__file__}/history.sqlite"',
        f"cannot be created: {__file__} is a file, not a folder",
    ),
    history("history.raw_hours", "raw_hours = 0", "expected a number greater than 0, got 0"),
    history("history.keep_days", "keep_days = -1", "expected a number greater than 0, got -1"),
    history("history.keep_days", 'keep_days = "30d"', 'expected a number, got "30d"'),
    history("history.max_mb", "max_mb = 0", "expected a number greater than 0, got 0"),
    history("history.flush_s", "flush_s = 0.05", "expected a number from 0.1 to 60, got 0.05"),
    history("history.flush_s", "flush_s = 61", "expected a number from 0.1 to 60, got 61"),
    history(
        "history.raw_hours",
        "raw_hours = 100\nkeep_days = 4",
        "expected at most keep_days x 24 (96), got 100: raw samples cannot outlive the buckets",
        at="raw_hours",
    ),
    history(
        "history.raw_hours",
        "raw_hours = 721",
        "expected at most keep_days x 24 (720), got 721: raw samples cannot outlive the buckets",
    ),
    history("history.raw_hour", "raw_hour = 1", 'unknown key (did you mean "raw_hours"?)'),
    changed("security.max_failures", ANCHORS["security"], "max_failures = 0", "1 to 100, got 0"),
    changed("security.max_failures", ANCHORS["security"], "max_failures = 101", "to 100, got 101"),
    changed("security.max_failures", ANCHORS["security"], "max_failures = 2.5", "integer, got 2.5"),
    added("security.failure_window_s", "failure_window_s = 0", "greater than 0, got 0"),
    added("security.lockout_s", "lockout_s = -5", "greater than 0, got -5"),
    added("security.idle_lock_s", "idle_lock_s = -1", "of at least 0, got -1"),
    added("security.idle_lock_s", 'idle_lock_s = "5m"', 'expected a number, got "5m"'),
    added("security.idle_lock", "idle_lock = 5", 'did you mean "idle_lock_s"?'),
    changed("users[0].id", 'id = "olga"', 'id = "olga k"', "expected an id of letters"),
    changed(
        "users[1].id",
        'id = "leo"',
        'id = "olga"',
        'duplicate user id "olga", first used at users[0]',
        at=('id = "olga"', 2),
    ),
    removed("users[0].id", 'id = "olga"', MISSING, at="[[users]]"),
    changed(
        "users[0].role",
        'role = "operator"',
        'role = "operater"',
        "expected one of: operator, lead, maintenance, engineer, admin; "
        'got "operater" (did you mean "operator"?)',
    ),
    removed("users[0].role", 'role = "operator"', MISSING, at="[[users]]"),
    removed(
        "users[0].pin_hash",
        f'pin_hash = "{PIN_HASH}"',
        "required key is missing (expected the hash of the user's PIN or password, "
        "made by `hmi user hash-secret`)",
        at="[[users]]",
    ),
    added("users[0].pin", 'pin = "1234"', CLEAR_SECRET),
    added("users[0].password", 'password = "s3cret"', CLEAR_SECRET),
    added("users[1].badge", 'badge = "0001234567"', CLEAR_SECRET),
    added("users[1].badge_hash", 'badge_hash = "0001"', "got a text that is not such a hash"),
    added(
        "users[1].badge_hash",
        f'badge_hash = "{BADGE_HASH}"',
        "the same badge hash as users[0]: a badge names one user",
        at=(f'badge_hash = "{BADGE_HASH}"', 2),
    ),
    added("users[0].name", 'name = ""', "expected a non-empty string"),
    added("users[0].language", 'language = "German"', 'such as "de" or "es-MX", got "German"'),
    added("users[0].language", 'language = "es_MX"', 'such as "de" or "es-MX", got "es_MX"'),
    added("users[0].lang", 'lang = "de"', 'did you mean "language"?'),
    changed("sync.batch_size", ANCHORS["sync"], "batch_size = 0", "from 1 to 10000, got 0"),
    changed("sync.batch_size", ANCHORS["sync"], "batch_size = 10001", "1 to 10000, got 10001"),
    added("sync.retry_min_s", "retry_min_s = 0", "greater than 0, got 0"),
    added(
        "sync.retry_max_s",
        "retry_min_s = 10\nretry_max_s = 5",
        "expected a number of at least retry_min_s (10), got 5",
    ),
    added("sync.quarantine_after", "quarantine_after = 1001", "from 1 to 1000, got 1001"),
    added("sync.quarantine_after", "quarantine_after = 0", "from 1 to 1000, got 0"),
    added("sync.ack_timeout_s", "ack_timeout_s = 0", "greater than 0, got 0"),
    changed("sync.upstream", MQTT_UPSTREAM, "upstream = 1", "expected a table, got 1"),
    added("sync.batch", "batch = 1", 'did you mean "batch_size"?'),
    changed(
        "sync.upstream.type",
        MQTT_UPSTREAM,
        MQTT_UPSTREAM.replace('"mqtt"', '"amqp"'),
        'expected one of: mqtt, http; got "amqp"',
        at='type = "amqp"',
    ),
    changed(
        "sync.upstream.type",
        MQTT_UPSTREAM,
        '[sync.upstream]\nhost = "mes.local"',
        f"{MISSING} (expected one of: mqtt, http)",
        at="[sync.upstream]",
    ),
    removed("sync.upstream.host", ANCHORS["sync.upstream"], MISSING, at="[sync.upstream]"),
    changed("sync.upstream.host", ANCHORS["sync.upstream"], 'host = "mqtt://mes"', "not a URL"),
    added("sync.upstream.port", "port = 0", "from 1 to 65535, got 0"),
    added("sync.upstream.client_id", 'client_id = ""', "expected a non-empty string"),
    added("sync.upstream.topic_prefix", 'topic_prefix = "a/+/b"', "without the wildcards"),
    added("sync.upstream.topic_prefix", 'topic_prefix = "a/"', 'without a trailing "/"'),
    added("sync.upstream.topic_prefix", 'topic_prefix = "$SYS/x"', 'not starting with "$"'),
    added("sync.upstream.session_expiry_s", "session_expiry_s = -1", "from 0 to 4294967295"),
    added(
        "sync.upstream.password",
        'username = "u"\npassword = "s3cret"',
        "clear passwords are not accepted in the plant file; use password_env or password_file",
    ),
    added("sync.upstream.password_env", 'username = "u"\npassword_env = "1X"', "variable name"),
    added("sync.upstream.username", 'password_env = "P"', "since password_env", at="[sync.up"),
    added(
        "sync.upstream.tls.ca_file",
        '[sync.upstream.tls]\nserver_name = "mes"',
        MISSING,
        at="[sync.upstream.tls]",
    ),
    added(
        "sync.upstream.tls.key_file",
        f'[sync.upstream.tls]\nca_file = "{__file__}"\ncert_file = "{__file__}"',
        "a file path, since cert_file is given",
        at="[sync.upstream.tls]",
    ),
    added(
        "sync.upstream.tls.ca_file",
        '[sync.upstream.tls]\nca_file = "/nonexistent/ca.pem"',
        "file not found: /nonexistent/ca.pem",
    ),
    added(
        "sync.upstream.url",
        'url = "https://mes/r"',
        'belongs to HTTP upstreams, but this upstream\'s type is "mqtt"',
    ),
    added("sync.upstream.hots", 'hots = "x"', 'did you mean "host"?'),
    http_upstream(
        "sync.upstream.host",
        'url = "https://mes/r"\nhost = "mes"',
        'belongs to MQTT upstreams, but this upstream\'s type is "http"',
    ),
    http_upstream(
        "sync.upstream.tls",
        f'url = "https://mes/r"\ntls = {{ ca_file = "{__file__}" }}',
        'belongs to MQTT upstreams, but this upstream\'s type is "http"',
    ),
    http_upstream("sync.upstream.url", "timeout_s = 5", MISSING, at="[sync.upstream]"),
    http_upstream("sync.upstream.url", 'url = "ftp://mes/r"', 'expected a URL like "https://'),
    http_upstream("sync.upstream.url", 'url = "https:///r"', 'expected a URL like "https://'),
    http_upstream("sync.upstream.url", 'url = "https://m:99999/r"', "expected a URL like"),
    http_upstream(
        "sync.upstream.url",
        'url = "https://line2:s3cret@mes/r"',
        "a user name or password in the URL is not accepted; use token_env",
    ),
    http_upstream(
        "sync.upstream.ca_file",
        'url = "https://mes/r"\nca_file = "/nonexistent/ca.pem"',
        "file not found: /nonexistent/ca.pem",
    ),
    http_upstream(
        "sync.upstream.ca_file",
        f'url = "http://mes/r"\nca_file = "{__file__}"',
        'applies to "https://" URLs only',
    ),
    http_upstream(
        "sync.upstream.token_env",
        'url = "https://mes/r"\ntoken_env = "MES-TOKEN"',
        'environment variable name like MQTT_PASSWORD, got "MES-TOKEN"',
    ),
    http_upstream(
        "sync.upstream.token",
        'url = "https://mes/r"\ntoken = "abc"',
        "clear tokens are not accepted in the plant file; use token_env",
    ),
    http_upstream(
        "sync.upstream.timeout_s", 'url = "https://mes/r"\ntimeout_s = 0', "greater than 0"
    ),
    http_upstream("sync.upstream.timeout", 'url = "https://m/r"\ntimeout = 1', '"timeout_s"?'),
]


@pytest.mark.parametrize(("old", "new", "key_path", "marker", "message"), CASES)
def test_problem_has_key_path_line_and_message(
    old: str, new: str, key_path: str, marker: tuple[str, int], message: str
) -> None:
    text = edit(BASE, old, new)
    problem = problem_at(text, key_path)
    assert message in problem.message
    assert problem.line == line_of(text, *marker)
    assert problem.file == "plant.toml"
    assert problem.format() == f"plant.toml:{problem.line}: {key_path}: {problem.message}"


def test_every_problem_is_reported_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DEMO.parent)
    text = DEMO.read_text(encoding="utf-8")
    text = edit(text, "port = 18830", 'port = "fast"\npassword = "secret"')
    text = edit(text, 'node = "ns=2;s=Filler.Speed"', 'node = "ns=2;q=1"')
    text = edit(text, 'unit = "bar"', 'unti = "bar"')
    text = edit(text, '"filler.pressure",', '"filler.presure",')
    text = edit(text, '2 = "idle"', '2 = "idel"')
    problems = problems_of(text, "demo.toml")
    assert [(problem.key_path, problem.line) for problem in problems] == [
        ("sources[0].port", line_of(text, 'port = "fast"')),
        ("sources[0].password", line_of(text, 'password = "secret"')),
        ("tags[1].node", line_of(text, "ns=2;q=1")),
        ("tags[6].unti", line_of(text, "unti")),
        ("stations[0].tags[5]", line_of(text, "tags = [", 1)),
        ("stations[0].state_map.2", line_of(text, '2 = "idel"')),
    ]


def test_unknown_source_does_not_cascade() -> None:
    text = edit(BASE, 'type = "mqtt"', 'type = "mqqt"')
    problems = problems_of(text)
    assert [problem.key_path for problem in problems] == ["sources[0].type"]
    assert 'did you mean "mqtt"?' in problems[0].message


def test_problems_without_a_written_key_use_the_nearest_table() -> None:
    problems = problems_of("[[sources]]\nid = 'x'\ntype = 'mqtt'\n")
    assert [(p.key_path, p.line) for p in problems] == [
        ("sources[0].host", 1),
        ("plant", None),
    ]
    assert (
        problems[1].format()
        == "plant.toml: plant: required key is missing (expected a [plant] table)"
    )


def test_array_of_tables_expected() -> None:
    problem = problem_at('sources = 3\n[plant]\nname = "x"\n', "sources")
    assert problem.line == 1
    assert problem.message == "expected an array of tables ([[sources]]), got 3"
    problem = problem_at('tags = [1]\n[plant]\nname = "x"\n', "tags[0]")
    assert problem.message == "expected a table, got 1"


# --- unreadable files and TOML syntax ------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as caught:
        load_plant(missing)
    assert str(caught.value) == f"{missing}: cannot read the plant file: no such file"


def test_folder_is_not_a_plant_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="it is a folder"):
        load_plant(tmp_path)


def test_not_utf8_gives_the_line(tmp_path: Path) -> None:
    plant_file = tmp_path / "plant.toml"
    plant_file.write_bytes(b'[plant]\nname = "Gr\xfcn"\n')
    with pytest.raises(ConfigError) as caught:
        load_plant(plant_file)
    (problem,) = caught.value.problems
    assert problem.line == 2
    assert problem.message == "the plant file must be UTF-8 text; byte 0xfc is not"


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    plant_file = tmp_path / "plant.toml"
    plant_file.write_bytes(b"\xef\xbb\xbf" + BASE.encode())
    assert load_plant(plant_file).name == "Test line"
    assert load_plant_text("\ufeff" + BASE).name == "Test line"


def test_toml_syntax_error_gives_the_line() -> None:
    text = edit(BASE, 'host = "broker.local"', "host = broker.local")
    (problem,) = problems_of(text)
    assert problem.line == line_of(text, "host =")
    assert problem.key_path == ""
    assert problem.message == "TOML syntax error: Invalid value (column 8)"
    assert problem.format() == f"plant.toml:{problem.line}: {problem.message}"


def test_toml_error_at_end_of_file() -> None:
    (problem,) = problems_of('[plant]\nname = "x"\ntags = [\n\n')
    assert (problem.line, problem.message) == (
        3,
        "TOML syntax error: Invalid value (at the end of the file)",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [("x = " + "[" * 5000, "nested too deeply"), ("x = " + "9" * 5000, "too many digits")],
)
def test_pathological_toml(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_plant_text(text)


# --- check-config output, problems, errors -------------------------------------------


def test_check_config_ok() -> None:
    ok, text = check_config(DEMO)
    assert ok
    assert text == (
        f'{DEMO}: OK: plant "Demo bottling line", 2 sources, 25 tags, 3 stations, 5 users'
    )


def test_check_config_problems(tmp_path: Path) -> None:
    plant_file = tmp_path / "plant.toml"
    text = edit(BASE, ANCHORS["sources[0]"], 'host = "broker.local"\nport = "fast"\nhots = 1')
    plant_file.write_text(text, encoding="utf-8")
    ok, output = check_config(plant_file)
    assert not ok
    assert output.splitlines() == [
        f'{plant_file}:8: sources[0].port: expected an integer, got "fast"',
        f'{plant_file}:9: sources[0].hots: unknown key (did you mean "host"?)',
        f"{plant_file}: 2 problems found",
    ]


def test_check_config_single_problem(tmp_path: Path) -> None:
    ok, output = check_config(tmp_path / "x.toml")
    assert not ok
    assert output.endswith(": 1 problem found")


def test_config_error_formats_and_pickles() -> None:
    problems = [
        ConfigProblem("a.toml", 3, "tags[0].unit", "expected a string, got 1"),
        ConfigProblem("a.toml", None, "plant", "required key is missing"),
    ]
    error = ConfigError(problems)
    assert str(error).splitlines() == [
        "a.toml:3: tags[0].unit: expected a string, got 1",
        "a.toml: plant: required key is missing",
    ]
    copied = pickle.loads(pickle.dumps(error))
    assert copied.problems == problems


def test_quoted_keys_in_key_paths() -> None:
    text = edit(BASE, '1 = "running"', '1 = "running"\n"Line A" = "idel"')
    problem = problem_at(text, 'stations[0].state_map."Line A"')
    assert problem.line == line_of(text, "Line A")


def test_state_map_keys_ignore_case() -> None:
    text = edit(BASE, '1 = "running"', 'Run = "running"')
    station = load_plant_text(text).stations[0]
    assert station.machine_state("RUN") is MachineState.RUNNING
    text = edit(BASE, '1 = "running"', 'Run = "running"\nrun = "idle"')
    assert "mapped twice" in problem_at(text, "stations[0].state_map.run").message


# --- the locator and the small syntaxes ------------------------------------------------


def test_locator_follows_tables_keys_and_strings() -> None:
    text = """\
top = 1                               # 1
[a]                                   # 2
b.c = 2                               # 3
"quoted key".'x' = 3                  # 4
s = \"\"\"                             # 5
fake = 1
[fake]
\"\"\"                                # 8
arr = [                               # 9
  "x = 1",
  [2],
]                                     # 12
[[t]]                                 # 13
k = 1                                 # 14
[[t]]                                 # 15
[t.sub]                               # 16
k = 2                                 # 17
[[t.items]]                           # 18
[[t.items]]                           # 19
v = 'x'''                             # 20
lit = '''                             # 21
[t]
'''
after = 1                             # 24
"""
    locator = KeyLocator(text)
    assert locator.line_of(("top",)) == 1
    assert locator.line_of(("a",)) == 2
    assert locator.line_of(("a", "b", "c")) == 3
    assert locator.line_of(("a", "b")) == 3
    assert locator.line_of(("a", "quoted key", "x")) == 4
    assert locator.line_of(("a", "s")) == 5
    assert locator.line_of(("fake",)) is None
    assert locator.line_of(("a", "arr", 1)) == 9
    assert locator.line_of(("t", 0, "k")) == 14
    assert locator.line_of(("t", 1)) == 15
    assert locator.line_of(("t", 1, "sub", "k")) == 17
    assert locator.line_of(("t", 1, "items", 1, "v")) == 20
    assert locator.line_of(("t", 1, "items", 0, "missing")) == 18
    assert locator.line_of(("t", 1, "items", 1, "lit")) == 21
    assert locator.line_of(("t", 1, "items", 1, "after")) == 24
    assert locator.line_of(("nowhere",)) is None


def test_json_paths() -> None:
    assert parse_json_path("value") == ("value",)
    assert parse_json_path("counts.good") == ("counts", "good")
    assert parse_json_path("values[2].v") == ("values", 2, "v")
    assert parse_json_path("[0][1]") == (0, 1)
    for bad in ("", "a..b", "a.", "a[x]", "a[1", "a]b"):
        with pytest.raises(ValueError, match="expected a path"):
            parse_json_path(bad)


@pytest.mark.parametrize(
    ("topic_filter", "topic", "matches"),
    [
        ("a/#", "a", True),
        ("a/#", "a/b/c", True),
        ("a/+/c", "a/b/c", True),
        ("a/+/c", "a/b/d", False),
        ("a/+", "a/b/c", False),
        ("#", "$SYS/x", False),
        ("+/x", "$SYS/x", False),
        ("$SYS/#", "$SYS/x", True),
        ("a/b", "a/b", True),
        ("+", "", True),
        ("a//b", "a//b", True),
    ],
)
def test_topic_matching(topic_filter: str, topic: str, matches: bool) -> None:
    assert filter_problem(topic_filter) is None
    assert topic_matches(topic_filter, topic) is matches


def test_topic_syntax() -> None:
    assert topic_problem("a/b") is None
    assert topic_problem("a/\ud800") is not None
    assert topic_problem("a" * 70000) is not None
    assert filter_problem("#/a") is not None
    assert filter_problem("a/b#") is not None


@pytest.mark.parametrize(
    "node",
    [
        "ns=2;s=Filler.Speed",
        "i=2258",
        "ns=3;i=1001",
        "ns=2;g=72962B91-FA75-4AE6-8D28-B404DC7DAF63",
        "ns=2;b=M/RbKBsRVkePCePcx24oRA==",
        "ns=1;s=a;b=c",
    ],
)
def test_valid_node_ids(node: str) -> None:
    assert node_id_problem(node) is None


@pytest.mark.parametrize(
    "node", ["", "s=", "ns=;s=x", "ns=1;i=-1", "i=4294967296", "i=" + "9" * 5000, " i=1"]
)
def test_invalid_node_ids(node: str) -> None:
    assert node_id_problem(node) is not None


# --- the documentation's examples ------------------------------------------------------


def _doc_block(first_line: str, containing: str = "") -> str:
    blocks = re.findall(r"```[a-z]*\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    found = [b for b in blocks if b.startswith(first_line) and containing in b]
    assert len(found) == 1, first_line
    return str(found[0])


def test_complete_example_in_the_docs_loads(tmp_path: Path) -> None:
    text = _doc_block("# plant.toml: the complete example")
    for relative in re.findall(r'"(pki/[^"]+)"', text):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x")
    plant_file = tmp_path / "plant.toml"
    plant_file.write_text(text, encoding="utf-8")
    plant = load_plant(plant_file)
    kinds = {tag.binding.codec.kind for tag in plant.tags if isinstance(tag.binding, MqttBinding)}
    assert kinds == set(CodecKind)
    assert any(station.state_map for station in plant.stations)
    secured = [s for s in plant.sources if isinstance(s, OpcUaSource)]
    assert secured[0].security_policy is OpcUaSecurityPolicy.BASIC256SHA256
    assert secured[0].security_mode is OpcUaSecurityMode.SIGN_AND_ENCRYPT
    brokers = [s for s in plant.sources if isinstance(s, MqttSource)]
    assert brokers[0].protocol is MqttProtocol.V5
    assert brokers[0].tls is not None
    assert brokers[0].credentials is not None
    # Every key of the tables for records is used.
    assert plant.storage.path == str(tmp_path / "data" / "line2-records.sqlite")
    assert plant.history.path == str(tmp_path / "data" / "line2-history.sqlite")
    assert any(len(tag.limits) == 4 for tag in plant.tags)
    assert any(station.trend for station in plant.stations)
    assert any(not station.trend for station in plant.stations)
    assert plant.sign_in != SignInPolicy()
    assert {user.role for user in plant.users} == {Role.OPERATOR, Role.LEAD, Role.ADMIN}
    assert any(user.badge_hash for user in plant.users)
    assert all(user.language for user in plant.users[:2])
    upstream = plant.sync.upstream
    assert isinstance(upstream, MqttUpstream)
    assert upstream.tls is not None and upstream.tls.cert_file is not None
    assert upstream.credentials is not None and upstream.credentials.password_file is not None
    document = tomllib.loads(text)
    for table, default in (
        (document["storage"], StorageSettings()),
        (document["security"], SignInPolicy()),
        (document["sync"], SyncSettings()),
        (document["history"], HistorySettings()),
    ):
        assert set(table) >= set(default.__dataclass_fields__) - {"upstream"}
    user_keys = {"id", "name", "role", "pin_hash", "badge_hash", "language"}
    assert set().union(*document["users"]) == user_keys
    assert set(document["sync"]["upstream"]) == {
        *("type", "host", "port", "client_id", "topic_prefix", "session_expiry_s", "tls"),
        *("username", "password_file"),
    }


def test_http_upstream_example_in_the_docs_loads(tmp_path: Path) -> None:
    snippet = _doc_block("# [sync] with an HTTPS upstream")
    (tmp_path / "pki").mkdir()
    (tmp_path / "pki" / "mes-ca.pem").write_text("x")
    plant_file = tmp_path / "plant.toml"
    plant_file.write_text(f'[plant]\nname = "x"\n{snippet}', encoding="utf-8")
    upstream = load_plant(plant_file).sync.upstream
    assert isinstance(upstream, HttpUpstream)
    assert upstream.ca_file == str(tmp_path / "pki" / "mes-ca.pem")
    assert upstream.token_env == "FLOORLINE_MES_TOKEN"


def test_history_example_in_the_docs_loads(tmp_path: Path) -> None:
    snippet = _doc_block("[history]\n")
    plant_file = tmp_path / "plant.toml"
    plant_file.write_text(f'[plant]\nname = "x"\n{snippet}', encoding="utf-8")
    assert load_plant(plant_file).history == HistorySettings(
        str(tmp_path / "data" / "history.sqlite"), 168, 90, 8192
    )


def test_check_config_example_in_the_docs_is_real(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _doc_block("# plant.toml: with mistakes")
    output = _doc_block("$ hmi check-config plant.toml\n", "problems found")
    monkeypatch.chdir(tmp_path)
    Path("plant.toml").write_text(text, encoding="utf-8")
    ok, printed = check_config("plant.toml")
    assert not ok
    assert output == f"$ hmi check-config plant.toml\n{printed}\n"


# --- fuzzing: nothing but ConfigError, whatever the input ------------------------------


def _loads_or_config_error(load: Callable[[], PlantDef]) -> list[ConfigProblem]:
    try:
        plant = load()
    except ConfigError as error:
        assert error.problems
        assert str(error)
        return error.problems
    assert isinstance(plant, PlantDef)
    return []


TOML_TOKENS = st.lists(
    st.sampled_from([*"[]{}=\"'#.,\n \\abtsid0123-_+:", "[[", "]]", '"""', "'''", "\r\n"]),
    max_size=40,
).map("".join)


@FUZZ
@given(st.text() | TOML_TOKENS)
def test_fuzz_any_text(text: str) -> None:
    _loads_or_config_error(lambda: load_plant_text(text))


@FUZZ
@given(st.binary())
def test_fuzz_any_bytes_in_a_file(tmp_path: Path, data: bytes) -> None:
    plant_file = tmp_path / "fuzz.toml"
    plant_file.write_bytes(data)
    _loads_or_config_error(lambda: load_plant(plant_file))


@FUZZ
@given(st.data())
def test_fuzz_demo_text_with_a_slice_replaced(data: st.DataObject) -> None:
    text = DEMO.read_text(encoding="utf-8")
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 40)))
    text = text[:start] + data.draw(TOML_TOKENS) + text[end:]
    _loads_or_config_error(lambda: load_plant_text(text))


# A tiny TOML writer: tables and arrays of tables as headers, the rest inline.


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def _toml_string(text: str) -> str:
    escaped = "".join(
        "\\" + char
        if char in '"\\'
        else f"\\u{ord(char):04x}"
        if ord(char) < 0x20 or ord(char) == 0x7F
        else char
        for char in text
    )
    return f'"{escaped}"'


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"


def _is_table_array(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def to_toml(table: dict[str, object], prefix: tuple[str, ...] = ()) -> str:
    lines = [
        f"{_toml_key(key)} = {_toml_value(value)}"
        for key, value in table.items()
        if not isinstance(value, dict) and not _is_table_array(value)
    ]
    for key, value in table.items():
        header = ".".join(_toml_key(step) for step in (*prefix, key))
        if isinstance(value, dict):
            lines.append(f"[{header}]")
            lines.append(to_toml(value, (*prefix, key)))
        elif _is_table_array(value):
            assert isinstance(value, list)
            for item in value:
                lines.append(f"[[{header}]]")
                lines.append(to_toml(item, (*prefix, key)))
    return "\n".join(lines)


DEMO_DOC = tomllib.loads(DEMO.read_text(encoding="utf-8"))
# The demo with every optional table, so that mutations reach them all.
FUZZ_DOC = {
    **DEMO_DOC,
    "storage": {"path": "cache/records.sqlite", "warn_size_mb": 10, "min_free_disk_mb": 5},
    "history": {
        "path": "cache/history.sqlite",
        "raw_hours": 24,
        "keep_days": 7,
        "max_mb": 100,
        "flush_s": 0.5,
    },
    "sync": {
        "batch_size": 50,
        "retry_min_s": 1,
        "retry_max_s": 10,
        "quarantine_after": 3,
        "ack_timeout_s": 5,
        "upstream": {
            "type": "mqtt",
            "host": "127.0.0.1",
            "client_id": "records",
            "topic_prefix": "demo/records",
            "session_expiry_s": 3600,
            "username": "line",
            "password_env": "RECORDS_PASSWORD",
            "tls": {"ca_file": __file__, "server_name": "broker"},
        },
    },
}
KNOWN_KEYS = sorted(
    {
        key
        for table in [
            *(DEMO_DOC[array] for array in ("sources", "tags", "stations", "users")),
            [DEMO_DOC["security"], FUZZ_DOC["storage"], FUZZ_DOC["sync"], FUZZ_DOC["history"]],
            [FUZZ_DOC["sync"]["upstream"]],
        ]
        for entry in table
        for key in entry
    }
    | {"tls", "ca_file", "cert_file", "key_file", "server_name", "username", "password"}
    | {"password_env", "password_file", "certificate", "private_key", "reconnect_max"}
    | {"quality_path", "state_map", "hots", "plant", "sources", "tags", "stations"}
    | {"users", "security", "storage", "sync", "language", "pin", "badge", "url", "token"}
    | {"token_env", "timeout_s"}
    | {"limits", "lolo", "lo", "hi", "hihi", "high", "trend", "history"}
)
INTERESTING = st.sampled_from(
    [
        "mqtt",
        "opcua",
        "json",
        "number",
        "bool",
        "string",
        "int",
        "float",
        "None",
        "Sign",
        "Basic256Sha256",
        "SignAndEncrypt",
        "5",
        "3.1.1",
        "ns=2;s=X",
        "i=2258",
        "running",
        "demo/bottling/x",
        "demo/#",
        "+/x",
        "#",
        "filler.speed",
        "line-broker",
        "filler-plc",
        "counts.good",
        "values[2].v",
        "a..b",
        "opc.tcp://h:1",
        "/",
        "PASS",
        "",
        "\0",
        "operator",
        "admin",
        "http",
        "https://mes/r",
        "http://u:p@mes/r",
        "es-MX",
        PIN_HASH,
        "scrypt$2$8$1$AA==$AA==",
        "scrypt$99999999999$8$1$AA==$AA==",
        "cache/x.sqlite",
    ]
)
LEAVES = (
    st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats()
    | st.text(max_size=12)
    | INTERESTING
    | st.datetimes(timezones=st.none() | st.just(dt.UTC))
    | st.dates()
    | st.times()
)
KEYS = st.sampled_from(KNOWN_KEYS) | st.text(max_size=8)
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
)


def _paths(node: object, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found: list[tuple[str | int, ...]] = []
    steps: list[tuple[str | int, object]] = []
    if isinstance(node, dict):
        steps = list(node.items())
    elif isinstance(node, list):
        steps = list(enumerate(node))
    for step, child in steps:
        found.append((*prefix, step))
        found.extend(_paths(child, (*prefix, step)))
    return found


def _at(document: object, path: tuple[str | int, ...]) -> object:
    for step in path:
        document = document[step]  # type: ignore[index]
    return document


@FUZZ
@given(st.data())
def test_fuzz_structured_mutations_of_the_demo(data: st.DataObject) -> None:
    document = copy.deepcopy(FUZZ_DOC)
    for _ in range(data.draw(st.integers(1, 4))):
        paths = _paths(document)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent = _at(document, path[:-1])
        operation = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if operation == "replace":
            parent[path[-1]] = data.draw(VALUES)  # type: ignore[index]
        elif operation == "delete":
            del parent[path[-1]]  # type: ignore[attr-defined]
        else:
            target = _at(document, path)
            container = target if isinstance(target, dict) else parent
            if isinstance(container, dict):
                container[data.draw(KEYS)] = data.draw(VALUES)
    text = to_toml(document)
    problems = _loads_or_config_error(lambda: load_plant_text(text, "fuzz.toml"))
    lines = text.count("\n") + 1
    for problem in problems:
        assert problem.key_path, problem.format()
        assert problem.line is None or 1 <= problem.line <= lines
        assert "\n" not in problem.format()


def test_toml_writer_round_trips_the_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DEMO.parent)  # the demo names its instruction folder relative to itself
    assert tomllib.loads(to_toml(DEMO_DOC)) == DEMO_DOC
    assert load_plant_text(to_toml(DEMO_DOC)).tags == load_plant(DEMO).tags
    assert load_plant_text(to_toml(DEMO_DOC)).users == load_plant(DEMO).users
    fuzz_base = load_plant_text(to_toml(FUZZ_DOC))
    assert isinstance(fuzz_base.sync.upstream, MqttUpstream)
