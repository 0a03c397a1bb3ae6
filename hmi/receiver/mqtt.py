"""The receiver's MQTT side: a QoS 1 subscription on a persistent session of its own.

paho's thread only queues what arrives; a committer thread stores a batch in
one transaction and only then acknowledges each message (manual PUBACK), so
a record is on the receiver's disk before the broker forgets it. With a
persistent session (clean_start=0 and a session expiry), the broker keeps
what arrives while the receiver is away.
"""

from __future__ import annotations

import logging
import queue
import ssl
import threading
from dataclasses import dataclass

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode
from paho.mqtt.subscribeoptions import SubscribeOptions

from hmi.receiver.store import ReceivedStore

log = logging.getLogger("hmi.receiver")
BATCH = 500  # messages stored per transaction at most


@dataclass(frozen=True, slots=True)
class BrokerSettings:
    host: str
    port: int = 1883
    topic: str = "floorline/records/#"
    client_id: str = "floorline-receiver"
    session_expiry_s: int = 7 * 24 * 3600
    reconnect_max_s: int = 10
    ca_file: str | None = None  # TLS, verifying the broker, when given
    username: str | None = None
    password: str | None = None


class MqttReceiver:
    """Subscribes, stores, then acknowledges; ``subscribed`` is set on each SUBACK."""

    def __init__(self, store: ReceivedStore, settings: BrokerSettings) -> None:
        self.store = store
        self.settings = settings
        self.subscribed = threading.Event()
        self._inbox: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        self._stop = threading.Event()
        self._stopping = False
        self._committer: threading.Thread | None = None
        self._client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=settings.client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=True,
        )
        self._client.reconnect_delay_set(1, settings.reconnect_max_s)
        if settings.ca_file is not None:
            self._client.tls_set_context(ssl.create_default_context(cafile=settings.ca_file))
        if settings.username is not None:
            self._client.username_pw_set(settings.username, settings.password)
        self._client.on_connect = self._on_connect
        self._client.on_subscribe = self._on_subscribe
        self._client.on_message = self._on_message
        self._client.on_disconnect = self._on_disconnect

    def start(self) -> None:
        self._committer = threading.Thread(target=self._commit_forever, name="receiver-commit")
        self._committer.start()
        props = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        props.SessionExpiryInterval = self.settings.session_expiry_s
        self._client.connect_async(
            self.settings.host, self.settings.port, 30, clean_start=False, properties=props
        )
        self._client.loop_start()

    def stop(self) -> None:
        self._stopping = True
        self._client.disconnect()
        self._client.loop_stop()
        self._stop.set()
        if self._committer is not None:
            self._committer.join(10)
            self._committer = None

    # -- paho thread -----------------------------------------------------------

    def _on_connect(
        self,
        client: mqtt.Client,
        _userdata: object,
        flags: mqtt.ConnectFlags,
        reason: ReasonCode,
        _props: Properties | None,
    ) -> None:
        if reason.is_failure:
            log.warning("the broker refused the connection: %s", reason)
            return
        log.info(
            "connected to %s:%d (session %s)",
            self.settings.host,
            self.settings.port,
            "resumed" if flags.session_present else "new",
        )
        # Every time: a broker that lost its sessions has lost our subscription too.
        client.subscribe(self.settings.topic, options=SubscribeOptions(qos=1))

    def _on_subscribe(
        self,
        _client: mqtt.Client,
        _userdata: object,
        _mid: int,
        reasons: list[ReasonCode],
        _props: Properties | None,
    ) -> None:
        if any(r.is_failure for r in reasons):
            log.error("the broker refused the subscription to %s: %s", self.settings.topic, reasons)
            return
        log.info("subscribed to %s at QoS 1", self.settings.topic)
        self.subscribed.set()

    def _on_disconnect(
        self,
        _client: mqtt.Client,
        _userdata: object,
        _flags: object,
        reason: ReasonCode,
        _props: Properties | None,
    ) -> None:
        self.subscribed.clear()
        if not self._stopping:
            log.warning("disconnected: %s", reason)

    def _on_message(self, _client: mqtt.Client, _userdata: object, msg: mqtt.MQTTMessage) -> None:
        self._inbox.put(msg)

    # -- the committer -------------------------------------------------------------

    def _commit_forever(self) -> None:
        while not (self._stop.is_set() and self._inbox.empty()):
            try:
                batch = [self._inbox.get(timeout=0.1)]
            except queue.Empty:
                continue
            while len(batch) < BATCH:
                try:
                    batch.append(self._inbox.get_nowait())
                except queue.Empty:
                    break
            self._store(batch)

    def _store(self, batch: list[mqtt.MQTTMessage]) -> None:
        texts: list[str] = []
        for msg in batch:
            try:
                texts.append(msg.payload.decode("utf-8"))
            except UnicodeDecodeError as exc:
                self.store.reject(repr(msg.payload[:1000]), f"mqtt {msg.topic}", str(exc))
                texts.append("")
        self.store.add_many([t for t in texts if t], "mqtt")
        # On disk now: the broker may forget them. A malformed one is acknowledged too
        # (it is kept in the rejected table); redelivering it would not mend it.
        for msg in batch:
            if msg.qos > 0:
                self._client.ack(msg.mid, msg.qos)
