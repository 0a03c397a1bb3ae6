"""The capper's and the labeler's MQTT publishing, as two different vendors would do it.

The demo plant file shows both payload styles a plant actually has: the capper
sends one small JSON document per value with its own time stamp and quality,
the labeler one telemetry document with everything plus two plain topics (a
number, a boolean). The publisher is a real paho client connected to the broker
over TCP, so the HMI sees the demo exactly as it would see a line's gateway.

Retained: the machine states, counters and the label-roll flag, so that an HMI
that connects later shows them at once instead of waiting for the next sample.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from hmi.sim.line import LineSnapshot, StationSnapshot

logger = logging.getLogger(__name__)

TOPIC_ROOT = "demo/bottling"
# A backlog shorter than this is not worth a log line: another thread holding the
# GIL for a second (an OPC UA server building its address space) causes one.
BEHIND_WARN_S = 3.0
# The kernel would let a send buffer grow to megabytes: minutes of snapshots that a
# stalled broker would get late, all at once. 64 KiB is some tens of seconds' worth.
SEND_BUFFER_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class MqttMessage:
    topic: str
    payload: bytes
    retain: bool = False


def iso_timestamp(ts: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and a ``Z``, e.g. ``2026-11-22T10:00:00.123Z``."""
    return ts.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode()


def capper_messages(snapshot: LineSnapshot, ts: datetime) -> list[MqttMessage]:
    """One JSON document ``{"value", "ts", "quality"}`` per capper value."""
    capper = snapshot.capper
    stamp = iso_timestamp(ts)
    torque_quality = "uncertain" if snapshot.cap_torque_uncertain else "good"
    values: list[tuple[str, object, str, bool]] = [
        ("state", capper.state.value, "good", True),
        ("speed", round(capper.speed_bpm, 1), "good", False),
        ("good", capper.good, "good", True),
        ("reject", capper.reject, "good", True),
        ("torque", round(snapshot.cap_torque_nm, 3), torque_quality, False),
        ("motor_current", round(capper.motor_current_a, 2), "good", False),
        ("vibration", round(capper.vibration_mm_s, 3), "good", False),
    ]
    return [
        MqttMessage(
            f"{TOPIC_ROOT}/capper/{name}",
            _json({"value": value, "ts": stamp, "quality": quality}),
            retain,
        )
        for name, value, quality, retain in values
    ]


def labeler_messages(snapshot: LineSnapshot, ts: datetime) -> list[MqttMessage]:
    """The labeler's telemetry document, its web tension as text and its roll-low flag."""
    labeler: StationSnapshot = snapshot.labeler
    telemetry = {
        "ts": iso_timestamp(ts),
        "state": labeler.state.value,
        "speed": round(labeler.speed_bpm, 1),
        "counts": {"good": labeler.good, "reject": labeler.reject},
        "glue_temp": round(snapshot.glue_temp_c, 2),
        "motor_current": round(labeler.motor_current_a, 2),
        "vibration": round(labeler.vibration_mm_s, 3),
    }
    return [
        MqttMessage(f"{TOPIC_ROOT}/labeler/telemetry", _json(telemetry), retain=True),
        MqttMessage(f"{TOPIC_ROOT}/labeler/web_tension", f"{snapshot.web_tension_n:.1f}".encode()),
        MqttMessage(
            f"{TOPIC_ROOT}/labeler/low_label",
            b"true" if snapshot.label_roll_low else b"false",
            retain=True,
        ),
    ]


def line_messages(snapshot: LineSnapshot, ts: datetime) -> list[MqttMessage]:
    """Everything the demo publishes over MQTT for one snapshot of the line."""
    return capper_messages(snapshot, ts) + labeler_messages(snapshot, ts)


class LinePublisher:
    """A paho client (MQTT 3.1.1) that publishes snapshots of the line to a broker.

    paho runs its network loop on its own thread and reconnects by itself. A
    broker that cannot keep up must not make the demo's memory grow, nor be
    fed stale values later: while the previous snapshot is still in paho's
    send queue, new snapshots are skipped (latest wins, like the HMI's own tag
    coalescing), and the socket's send buffer is kept small.
    """

    def __init__(self, host: str, port: int, client_id: str = "floorline-demo-plant") -> None:
        self.host = host
        self.port = port
        self.skipped = 0  # snapshots dropped because the broker was behind, in all
        self._behind = 0  # snapshots dropped since the broker last kept up
        self._behind_since = 0.0
        self._warned = False
        self._client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv311
        )
        self._client.on_connect = self._on_connect
        self._client.on_disconnect = self._on_disconnect
        self._client.on_socket_open = self._on_socket_open
        self._client.reconnect_delay_set(min_delay=1, max_delay=5)
        self._last: mqtt.MQTTMessageInfo | None = None
        self._started = False

    async def connect(self, timeout: float) -> None:
        """Connect and wait until the broker accepted the session."""
        self._client.connect_async(self.host, self.port, keepalive=15)
        self._client.loop_start()
        self._started = True
        deadline = time.monotonic() + timeout
        while not self._client.is_connected():
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"MQTT publisher did not connect to {self.host}:{self.port} in {timeout} s"
                )
            await asyncio.sleep(0.02)

    def publish(self, snapshot: LineSnapshot, ts: datetime) -> bool:
        """Queue one snapshot's messages; False when it was skipped (not connected or behind)."""
        if not self._client.is_connected():
            return False
        if self._last is not None and self._still_queued(self._last):
            self._skip()
            return False
        if self._behind:
            if self._warned:
                logger.info("MQTT broker caught up after %d skipped demo snapshots", self._behind)
            self._behind, self._warned = 0, False
        for message in line_messages(snapshot, ts):
            info = self._client.publish(
                message.topic, message.payload, qos=0, retain=message.retain
            )
            if info.rc == MQTTErrorCode.MQTT_ERR_NO_CONN:
                return False  # the connection dropped mid-snapshot; on_disconnect has logged it
            if info.rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
                logger.warning(
                    "MQTT publish to %s failed: %s", message.topic, mqtt.error_string(info.rc)
                )
            self._last = info
        return True

    def _skip(self) -> None:
        now = time.monotonic()
        if self._behind == 0:
            self._behind_since = now
        self._behind += 1
        self.skipped += 1
        if not self._warned and now - self._behind_since >= BEHIND_WARN_S:
            self._warned = True
            logger.warning(
                "MQTT broker %s:%d is %.0f s behind; skipping demo snapshots until it catches up",
                self.host,
                self.port,
                now - self._behind_since,
            )

    @staticmethod
    def _still_queued(info: mqtt.MQTTMessageInfo) -> bool:
        if info.rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
            return False  # never queued, so nothing is waiting
        return not info.is_published()

    async def close(self, grace_s: float = 2.0) -> None:
        """Disconnect and join paho's thread, within ``grace_s`` even if the broker stalls."""
        if not self._started:
            return
        self._started = False
        self._client.disconnect()
        # loop_stop joins paho's thread, which may still need the broker (running on
        # this very event loop) to take the DISCONNECT: do not block the loop meanwhile.
        stopping = asyncio.ensure_future(asyncio.to_thread(self._client.loop_stop))
        done, _ = await asyncio.wait({stopping}, timeout=grace_s)
        if not done:
            # paho waits for its send queue to drain, and a broker that does not
            # read lets it wait until the keepalive expires; cut the connection.
            logger.warning("MQTT broker %s:%d does not take the DISCONNECT", self.host, self.port)
            sock = self._client.socket()
            if isinstance(sock, socket.socket):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        await stopping

    def _on_connect(
        self,
        client: mqtt.Client,
        userdata: object,
        flags: mqtt.ConnectFlags,
        reason_code: ReasonCode,
        properties: Properties | None,
    ) -> None:
        if reason_code.is_failure:
            logger.warning("Demo MQTT publisher refused by the broker: %s", reason_code)
        else:
            logger.info("Demo MQTT publisher connected to %s:%d", self.host, self.port)
            self._last = None

    @staticmethod
    def _on_socket_open(client: mqtt.Client, userdata: object, sock: object) -> None:
        if isinstance(sock, socket.socket):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)

    def _on_disconnect(
        self,
        client: mqtt.Client,
        userdata: object,
        flags: mqtt.DisconnectFlags,
        reason_code: ReasonCode,
        properties: Properties | None,
    ) -> None:
        if self._started:
            logger.warning("Demo MQTT publisher lost the broker (%s); reconnecting", reason_code)
