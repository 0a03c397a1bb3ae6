"""The plant as the HMI knows it: sources, tags with their bindings, stations.

These are the validated results of reading a plant file (see ``hmi.config``);
every field has already been checked, so the rest of the program can trust them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hmi.domain.kiosk import KioskSettings
from hmi.domain.production import ProductionDef, ReasonDef, ShiftCalendar
from hmi.domain.users import SignInPolicy, UserDef

if TYPE_CHECKING:
    from hmi.domain.alarms import AlarmDef
    from hmi.domain.writes import WriteDef


class DataType(enum.StrEnum):
    FLOAT = "float"
    INT = "int"
    BOOL = "bool"
    STRING = "string"


class MqttProtocol(enum.StrEnum):
    V311 = "3.1.1"
    V5 = "5"


class CodecKind(enum.StrEnum):
    """How an MQTT payload carries a value."""

    NUMBER = "number"  # the payload is the number in ASCII, e.g. b"42.5"
    BOOL = "bool"  # true/false, 1/0, on/off
    STRING = "string"  # the payload is the text
    JSON = "json"  # a JSON document; the value sits at ``value_path``


class MachineState(enum.StrEnum):
    RUNNING = "running"
    IDLE = "idle"
    STOPPED = "stopped"
    FAULTED = "faulted"
    STARVED = "starved"
    BLOCKED = "blocked"
    PLANNED_STOP = "planned_stop"
    CHANGEOVER = "changeover"
    UNKNOWN = "unknown"


DEV_INSECURE_ENV = "FLOORLINE_DEV_INSECURE"  # "1" lets a developer skip TLS verification


@dataclass(frozen=True, slots=True)
class TlsSettings:
    """TLS to an MQTT broker. The CA is always verified, as is the server name.

    ``insecure_skip_verify`` is a developer's setting: the broker's chain and
    name go unchecked, and it is honoured only while the environment variable
    ``FLOORLINE_DEV_INSECURE`` is ``1``; the plant file loader refuses it otherwise.
    """

    ca_file: str | None
    cert_file: str | None = None
    key_file: str | None = None
    server_name: str | None = None  # checked against the certificate; default: the host
    insecure_skip_verify: bool = False


@dataclass(frozen=True, slots=True)
class Credentials:
    """A user name and where its secret comes from; the secret itself is read at connect time."""

    username: str
    password_env: str | None = None
    password_file: str | None = None


@dataclass(frozen=True, slots=True)
class MqttSource:
    id: str
    host: str
    port: int = 1883
    protocol: MqttProtocol = MqttProtocol.V5
    client_id: str | None = None  # default: floorline-<host name>-<source id>
    keepalive_s: int = 15
    tls: TlsSettings | None = None
    credentials: Credentials | None = None
    # Topic filters to subscribe to (may hold + and #); empty: each bound topic.
    subscriptions: tuple[str, ...] = ()
    max_payload_bytes: int = 65536
    reconnect_min_s: float = 1.0
    reconnect_max_s: float = 30.0


class OpcUaSecurityPolicy(enum.StrEnum):
    NONE = "None"
    BASIC256SHA256 = "Basic256Sha256"
    AES128_SHA256_RSAOAEP = "Aes128_Sha256_RsaOaep"
    AES256_SHA256_RSAPSS = "Aes256_Sha256_RsaPss"
    # Deprecated by OPC UA 1.04 (SHA-1): accepted only with allow_insecure.
    BASIC128RSA15 = "Basic128Rsa15"
    BASIC256 = "Basic256"

    @property
    def insecure(self) -> bool:
        """No protection at all, or protection OPC UA no longer vouches for."""
        return self in (
            OpcUaSecurityPolicy.NONE,
            OpcUaSecurityPolicy.BASIC128RSA15,
            OpcUaSecurityPolicy.BASIC256,
        )


class OpcUaSecurityMode(enum.StrEnum):
    NONE = "None"
    SIGN = "Sign"
    SIGN_AND_ENCRYPT = "SignAndEncrypt"


@dataclass(frozen=True, slots=True)
class OpcUaSource:
    """An OPC UA server. The plant file's default is Basic256Sha256 with SignAndEncrypt,
    and it refuses an insecure policy without ``allow_insecure``; the defaults here
    serve sources made in code (tests, the demo), which name what they use."""

    id: str
    url: str
    security_policy: OpcUaSecurityPolicy = OpcUaSecurityPolicy.NONE
    security_mode: OpcUaSecurityMode = OpcUaSecurityMode.NONE
    # The client's certificate and key; None: generated on first run in the PKI folder.
    certificate: str | None = None
    private_key: str | None = None
    # Trusted server certificates (or their CAs): one pinned file and/or a folder.
    server_certificate: str | None = None
    trust_dir: str | None = None  # None: the "trusted" folder of the PKI folder
    # A certificate trusted through a CA needs that CA's revocation list in the trust
    # folder; without this, a missing list is logged and the connection goes ahead.
    require_revocation_list: bool = False
    # The plant file said so: policy None or a deprecated policy is used knowingly.
    allow_insecure: bool = False
    credentials: Credentials | None = None
    publishing_interval_ms: float = 250.0
    sampling_interval_ms: float = 100.0
    keepalive_count: int = 10
    lifetime_count: int = 30
    queue_size: int = 10
    session_timeout_ms: int = 30000
    reconnect_min_s: float = 1.0
    reconnect_max_s: float = 30.0
    # OPC UA Alarms & Conditions: subscribe to the server's condition events.
    conditions: bool = False
    # The station a condition belongs to when its SourceNode is no tag of a station.
    conditions_station: str | None = None


@dataclass(frozen=True, slots=True)
class Codec:
    """How to read one tag's value out of an MQTT payload."""

    kind: CodecKind
    value_path: tuple[str | int, ...] = ()  # JSON only; () is the whole document
    timestamp_path: tuple[str | int, ...] | None = None
    quality_path: tuple[str | int, ...] | None = None


@dataclass(frozen=True, slots=True)
class MqttBinding:
    topic: str
    codec: Codec


@dataclass(frozen=True, slots=True)
class OpcUaBinding:
    node_id: str


class LimitKind(enum.StrEnum):
    """An alarm limit of a numeric tag, drawn as a line on its trends."""

    LOLO = "lolo"
    LO = "lo"
    HI = "hi"
    HIHI = "hihi"


@dataclass(frozen=True, slots=True)
class SparkplugBinding:
    """Where a tag declared by a Sparkplug B birth comes from; ``device`` None: the node's own."""

    group: str
    node: str
    device: str | None
    metric: str


@dataclass(frozen=True, slots=True)
class MetricOverride:
    """``[[sources.metrics]]``: what the plant file says of one Sparkplug metric.

    Births declare a metric's name, type and unit; the plant may rename it,
    give its unit, scale, limits and staleness. ``group`` None matches every
    group of the source; ``device`` None means the edge node's own metric.
    """

    node: str
    metric: str
    group: str | None = None
    device: str | None = None
    name: str | None = None
    unit: str | None = None
    precision: int | None = None
    range_lo: float | None = None
    range_hi: float | None = None
    limits: tuple[tuple[LimitKind, float], ...] = ()
    stale_after_s: float | None = None

    def matches(self, binding: SparkplugBinding) -> bool:
        return (
            self.node == binding.node
            and self.metric == binding.metric
            and self.device == binding.device
            and (self.group is None or self.group == binding.group)
        )


@dataclass(frozen=True, slots=True)
class SparkplugSource:
    """A Sparkplug B 3.0 namespace on an MQTT broker, consumed as a host application.

    ``broker`` holds the connection (its subscriptions are the namespace's
    filters); tags are not in the plant file but declared by the edge nodes'
    births, and listed on ``station``.
    """

    id: str
    broker: MqttSource
    station: str
    groups: tuple[str, ...] = ()  # empty: every group
    reorder_timeout_s: float = 2.0
    metrics: tuple[MetricOverride, ...] = ()
    # Set: this connection is also a Sparkplug host application, online and offline on
    # spBv1.0/STATE/<host_id> (edge nodes may wait for their primary host before sending).
    host_id: str | None = None


Source = MqttSource | OpcUaSource | SparkplugSource


Binding = MqttBinding | OpcUaBinding | SparkplugBinding


@dataclass(frozen=True, slots=True)
class TagDef:
    id: str
    name: str
    source: str
    binding: Binding
    data_type: DataType = DataType.FLOAT
    unit: str = ""
    precision: int = 1
    range_lo: float | None = None
    range_hi: float | None = None
    stale_after_s: float = 10.0
    # Alarm limits, in the order lolo, lo, hi, hihi (those the plant file gives).
    limits: tuple[tuple[LimitKind, float], ...] = ()
    # Writable by an operator (a setpoint, a command), within these bounds; None: read only.
    write: WriteDef | None = None

    @property
    def trendable(self) -> bool:
        """Whether the tag's values can be drawn (and kept in the history): numbers and bits."""
        return self.data_type is not DataType.STRING


@dataclass(frozen=True, slots=True)
class StationDef:
    id: str
    name: str
    tags: tuple[str, ...]
    state_tag: str | None = None
    # Raw value of the state tag (as text) -> machine state; empty: the value names the state.
    state_map: dict[str, MachineState] = field(default_factory=dict)
    # The pens of the station's trend page; empty: its first trendable tags.
    trend: tuple[str, ...] = ()
    # Cycle time, counts and context for downtime and OEE; None: the station is not tracked.
    production: ProductionDef | None = None

    def machine_state(self, raw: object) -> MachineState:
        text = str(raw).lower() if not isinstance(raw, bool) else str(int(raw))
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if self.state_map:
            return self.state_map.get(text, MachineState.UNKNOWN)
        try:
            return MachineState(text)
        except ValueError:
            return MachineState.UNKNOWN


@dataclass(frozen=True, slots=True)
class StorageSettings:
    """Where the local cache lives and when its size is worth an alarm (it never drops data)."""

    path: str | None = None  # None: the platform's data directory
    warn_size_mb: float = 1024.0
    min_free_disk_mb: float = 500.0


@dataclass(frozen=True, slots=True)
class HistorySettings:
    """The local tag history: every sample at full rate, then 10-second buckets, then gone.

    Raw samples are kept ``raw_hours``; min/max/average buckets ``keep_days``;
    whichever is older goes first when the history file passes ``max_mb``.
    """

    path: str | None = None  # None: history.sqlite beside the cache
    raw_hours: float = 48.0
    keep_days: float = 30.0
    max_mb: float = 2048.0
    flush_s: float = 1.0


@dataclass(frozen=True, slots=True)
class MqttUpstream:
    """Records go to an MQTT 5 broker at QoS 1, on a client id and session of their own."""

    host: str
    port: int = 1883
    client_id: str | None = None  # default: floorline-records-<host name>
    topic_prefix: str = "floorline/records"  # records go to <prefix>/<station>/<kind>
    tls: TlsSettings | None = None
    credentials: Credentials | None = None
    session_expiry_s: int = 7 * 24 * 3600


@dataclass(frozen=True, slots=True)
class HttpUpstream:
    """Records are POSTed as JSON; a 2xx answer means delivered."""

    url: str
    ca_file: str | None = None
    token_env: str | None = None  # a bearer token read from this environment variable
    timeout_s: float = 10.0


@dataclass(frozen=True, slots=True)
class SyncSettings:
    upstream: MqttUpstream | HttpUpstream | None = None  # None: records stay in the cache
    batch_size: int = 200
    retry_min_s: float = 1.0
    retry_max_s: float = 60.0
    quarantine_after: int = 5  # tries before a permanently refused record is quarantined
    ack_timeout_s: float = 10.0


@dataclass(frozen=True, slots=True)
class PlantDef:
    name: str
    sources: tuple[Source, ...]
    tags: tuple[TagDef, ...]
    stations: tuple[StationDef, ...]
    path: str = "<embedded>"
    users: tuple[UserDef, ...] = ()
    sign_in: SignInPolicy = field(default_factory=SignInPolicy)
    storage: StorageSettings = field(default_factory=StorageSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)
    history: HistorySettings = field(default_factory=HistorySettings)
    alarms: tuple[AlarmDef, ...] = ()
    reasons: tuple[ReasonDef, ...] = ()  # the downtime reason tree
    shifts: ShiftCalendar = field(default_factory=ShiftCalendar)
    instructions: str | None = None  # the folder of work instructions, absolute
    kiosk: KioskSettings = field(default_factory=KioskSettings)
    language: str | None = None  # the screen's language ([plant] language); None: English
    # Tags by id: plants have thousands, and ``tag`` is called per tag of every page.
    _by_id: dict[str, TagDef] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {t.id: t for t in self.tags})

    def tag(self, tag_id: str) -> TagDef:
        return self._by_id[tag_id]

    def source(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)

    def tags_of(self, source_id: str) -> tuple[TagDef, ...]:
        return tuple(t for t in self.tags if t.source == source_id)
