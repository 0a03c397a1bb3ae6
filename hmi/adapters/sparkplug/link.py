"""Sparkplug B source: the MQTT link's connection, with a host application's reading of it.

The connection, its reconnection, TLS and the bounded inbox are the MQTT
link's (``MqttLink``); this link only reads the inbox differently: each
message is decoded from protobuf and handed to the ``SparkplugHost``, whose
answers become tag declarations, samples, stale marks and rebirth requests.
Rebirth requests go out as NCMD at QoS 0, never retained, and only while
connected (a command is never queued for later).

With a ``host_id`` the connection is also a Sparkplug host application, as
Sparkplug 3.0 asks of one: every connection attempt starts clean and carries
a will, ``{"online": false, "timestamp": T}`` on ``spBv1.0/STATE/<host_id>``
(QoS 1, retained), with a new T; once the broker has the subscriptions (its
own STATE topic among them), the birth ``{"online": true, "timestamp": T}``
follows with the same T. Whenever its own topic says "offline" while it is connected (another
client, or its previous connection's will arriving late or kept by the
broker), it says "online" again; once it is stopping, it no longer answers.
A deliberate stop publishes the death before disconnecting.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Protocol

from paho.mqtt.client import MQTTMessageInfo

from hmi.adapters.link import SampleSink
from hmi.adapters.mqtt import MqttLink
from hmi.adapters.sparkplug.payload import decode_payload, rebirth_request
from hmi.domain.clock import Clock
from hmi.domain.health import LinkState
from hmi.domain.plant import SparkplugSource, TagDef
from hmi.domain.sparkplug import (
    SparkplugError,
    command_topic,
    parse_topic,
    state_payload,
    state_says_offline,
    state_topic,
)
from hmi.domain.sparkplug_host import HostOutput, SparkplugHost
from hmi.domain.tags import TagValue

log = logging.getLogger(__name__)

TICK_S = 0.05  # how often reorder timeouts are checked
DRAIN_MESSAGES = 500  # messages interpreted before the loop gets a turn
STATE_WAIT_S = 2.0  # for the broker to take the host's death at a deliberate stop


class SparkplugSink(SampleSink, Protocol):
    """A sink that also takes what only births and deaths say (runtime thread)."""

    def on_declared(self, tags: list[TagDef]) -> None:
        """Tags a birth declared, new or changed, before any sample of theirs."""

    def on_historical(self, samples: list[TagValue]) -> None:
        """Samples the edge node marked historical: for the history, not the live value."""

    def on_stale(self, tag_ids: list[str], reason: str) -> None:
        """Values that are no longer current (a node's or a device's death)."""


class SparkplugLink(MqttLink):
    """One broker's Sparkplug B namespace feeding a ``SparkplugSink``."""

    def __init__(self, source: SparkplugSource, sink: SparkplugSink, clock: Clock) -> None:
        super().__init__(source.broker, (), sink, clock)
        self.sparkplug = source
        self.host = SparkplugHost(source)
        self.health.kind = "sparkplug"
        self._sp_sink = sink
        self._ticker: asyncio.Task[None] | None = None
        self.rebirths_sent = 0
        self.state_topic = state_topic(source.host_id) if source.host_id else None
        self.state_timestamp = 0  # T of this connection's will and birth (ms)
        self.births_sent = 0
        self._stopping = False  # a deliberate stop: its death is the last word
        self.last_birth: MQTTMessageInfo | None = None  # acknowledged once the broker has it
        if self.state_topic is not None:
            self._filters = [self.state_topic, *self._filters]  # its own STATE first
            self._client.before_connect = self._arm_will
            self._clean_start = True  # a host application never resumes a session

    def _arm_will(self) -> None:
        """Before each connection attempt (paho thread): a new T, and the death carrying it."""
        assert self.state_topic is not None
        self.state_timestamp = round(self._clock.now() * 1000)
        self._client.will_set(
            self.state_topic, state_payload(False, self.state_timestamp), qos=1, retain=True
        )

    def _say_online(self) -> None:
        assert self.state_topic is not None
        payload = state_payload(True, self.state_timestamp)
        self.last_birth = self._client.publish(self.state_topic, payload, qos=1, retain=True)
        self.births_sent += 1
        log.info("%s: Sparkplug host %s online", self.source.id, self.sparkplug.host_id)

    def _link_up(self) -> None:
        if self._stopping:
            return
        if self.state_topic is not None and self.health.state is not LinkState.STOPPED:
            self._say_online()  # the subscriptions are in place: now the birth
        super()._link_up()

    async def start(self) -> None:
        await super().start()
        self._ticker = asyncio.create_task(self._tick_forever(), name=f"sparkplug-{self.source.id}")

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            await asyncio.gather(self._ticker, return_exceptions=True)
        self._stopping = True  # from here on, our own death heard back is not answered
        if self.state_topic is not None and self.health.state is LinkState.CONNECTED:
            # A clean disconnect suppresses the will: say "offline" first, and wait for it.
            death = state_payload(False, self.state_timestamp)
            info = self._client.publish(self.state_topic, death, qos=1, retain=True)
            try:
                await asyncio.to_thread(info.wait_for_publish, STATE_WAIT_S)
            except (RuntimeError, ValueError) as exc:
                log.warning("%s: the host's death was not sent: %s", self.source.id, exc)
        await super().stop()

    def _link_down(self, error: str) -> None:
        self.host.link_lost()
        super()._link_down(error)

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            # The inbox stamps messages with time.monotonic(); timeouts use the same clock.
            out = self.host.tick(time.monotonic())
            if out:
                self._deliver([out])

    def _drain_chunk(self) -> None:
        """Decode and interpret every message in the inbox, then deliver in order."""
        inbox, health, host = self._inbox, self.health, self.host
        limit = self.source.max_payload_bytes
        outputs: list[HostOutput] = []
        while inbox and len(outputs) < DRAIN_MESSAGES:
            topic_text, data, recv_ts, recv_mono = inbox.popleft()
            health.received += 1
            try:
                topic = parse_topic(topic_text)
                if topic is None:  # a host application's STATE
                    if topic_text == self.state_topic and state_says_offline(data):
                        self._reassert()
                    continue
                payload = decode_payload(data, limit)
            except SparkplugError as exc:
                health.rejected += 1
                health.last_rejection = f"{topic_text}: {exc}"
                self._rate_log.report(
                    topic_text, "%s: rejected %s: %s", self.source.id, topic_text, exc
                )
                continue
            outputs.append(host.receive(topic, payload, recv_ts, recv_mono))
        self._deliver(outputs)

    def _deliver(self, outputs: list[HostOutput]) -> None:
        """Hand over in the order the messages said it: a death after a sample wins, and so on."""
        sink = self._sp_sink
        samples: list[TagValue] = []
        historical: list[TagValue] = []
        for out in outputs:
            if out.declared:
                sink.on_declared(out.declared)
            samples.extend(out.samples)
            historical.extend(out.historical)
            for tag_ids, reason in out.stale:
                if samples:
                    sink.on_samples(samples)
                    samples = []
                sink.on_stale(tag_ids, reason)
            for group, node in out.rebirths:
                self._request_rebirth(group, node)
            for problem in out.problems:
                self._rate_log.report(problem.split(":", 1)[0], "%s: %s", self.source.id, problem)
        if samples:
            sink.on_samples(samples)
        if historical:
            sink.on_historical(historical)

    def _reassert(self) -> None:
        """Our own STATE topic said "offline" while we are here: say "online" again."""
        if self.health.state is LinkState.CONNECTED and not self._stopping:
            log.info("%s: STATE said offline while connected: online again", self.source.id)
            self._say_online()

    def _request_rebirth(self, group: str, node: str) -> None:
        if self.health.state is not LinkState.CONNECTED:
            return  # commands are never queued; the next data after reconnecting asks again
        topic = command_topic(group, node)
        payload = rebirth_request(round(self._clock.now() * 1000))
        self._client.publish(topic, payload, qos=0, retain=False)
        self.rebirths_sent += 1
        log.info("%s: asked %s/%s for a rebirth", self.source.id, group, node)
