"""Acquisition: every source link feeding one tag store, with a staleness watchdog."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from hmi.adapters.mqtt import MqttLink
from hmi.adapters.opcua import OpcUaLink
from hmi.adapters.sparkplug.link import SparkplugLink
from hmi.domain.alarms import ConditionUpdate
from hmi.domain.clock import Clock
from hmi.domain.health import LinkState, SourceHealth
from hmi.domain.plant import MqttSource, OpcUaSource, PlantDef, TagDef
from hmi.domain.tags import TagStore, TagValue

log = logging.getLogger(__name__)

WATCHDOG_PERIOD_S = 0.5


class AcquisitionListener(Protocol):
    """What the history, and later the alarms and machine states, hear from acquisition.

    Called on the runtime thread; each must return quickly (no I/O).
    """

    def on_samples(self, samples: list[TagValue]) -> None:
        """New samples from a source, in arrival order."""

    def on_requalified(self, values: list[TagValue], ts: float) -> None:
        """Values whose quality changed at ``ts`` without a new sample (stale, link down)."""

    def on_link(self, health: SourceHealth) -> None:
        """A source's link changed state."""


class CatalogListener(Protocol):
    """What the history hears of tags declared while running, and of their past samples."""

    def on_declared(self, tags: list[TagDef]) -> None:
        """Tags a source declared (Sparkplug births), new or changed."""

    def on_historical(self, samples: list[TagValue]) -> None:
        """Samples of the past (Sparkplug historical metrics): kept, never the live value."""


class ConditionListener(Protocol):
    """What the alarm service hears of OPC UA conditions (runtime thread, no I/O)."""

    def on_condition(self, update: ConditionUpdate) -> None: ...

    def on_condition_refresh(self, source_id: str, started: bool, ts: float) -> None: ...


class AcquisitionService:
    """Owns the links to the plant's sources and routes what they deliver.

    Samples go to the tag store and then to every listener (history, alarms and
    machine state subscribe here as they arrive). A link that goes down turns
    its tags to "no connection" at once; values that stop updating turn stale
    after their tag's window. Runs on the runtime thread only.
    """

    def __init__(self, plant: PlantDef, store: TagStore, clock: Clock) -> None:
        self.plant = plant
        self.store = store
        self._clock = clock
        self._listeners: list[AcquisitionListener] = []
        self._condition_listeners: list[ConditionListener] = []
        self._catalog_listeners: list[CatalogListener] = []
        self.links: list[MqttLink | OpcUaLink] = []
        for source in plant.sources:
            tags = plant.tags_of(source.id)
            if isinstance(source, MqttSource):
                self.links.append(MqttLink(source, tags, self, clock))
            elif isinstance(source, OpcUaSource):
                self.links.append(OpcUaLink(source, tags, self, clock))
            else:
                self.links.append(SparkplugLink(source, self, clock))
        self._watchdog: asyncio.Task[None] | None = None

    def add_listener(self, listener: AcquisitionListener) -> None:
        self._listeners.append(listener)

    def add_condition_listener(self, listener: ConditionListener) -> None:
        self._condition_listeners.append(listener)

    def add_catalog_listener(self, listener: CatalogListener) -> None:
        self._catalog_listeners.append(listener)

    async def start(self) -> None:
        for link in self.links:
            await link.start()
        self._watchdog = asyncio.create_task(self._watch_staleness(), name="staleness-watchdog")

    async def stop(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
            await asyncio.gather(self._watchdog, return_exceptions=True)
        await asyncio.gather(*(link.stop() for link in self.links), return_exceptions=True)

    def health(self) -> list[SourceHealth]:
        """The current health of every link; safe to call from any thread."""
        return [link.health.snapshot() for link in self.links]

    # -- SampleSink ------------------------------------------------------------

    def on_samples(self, samples: list[TagValue]) -> None:
        self.store.apply(samples)
        for listener in self._listeners:
            listener.on_samples(samples)

    def on_link(self, health: SourceHealth) -> None:
        changed = []
        if health.state is LinkState.CONNECTED:
            log.info("%s: connected", health.source_id)
            changed = self.store.mark_source_up(health.source_id)
        elif health.state is not LinkState.CONNECTING:
            reason = health.last_error or health.state.value
            changed = self.store.mark_source_down(health.source_id, reason)
        self._requalified(changed)
        for listener in self._listeners:
            listener.on_link(health)

    def _requalified(self, changed: list[TagValue]) -> None:
        if changed:
            now = self._clock.now()
            for listener in self._listeners:
                listener.on_requalified(changed, now)

    def on_declared(self, tags: list[TagDef]) -> None:
        changed = self.store.declare(tags)
        if changed:
            log.info("%d tags declared or changed by births", len(changed))
            for listener in self._catalog_listeners:
                listener.on_declared(changed)

    def on_historical(self, samples: list[TagValue]) -> None:
        for listener in self._catalog_listeners:
            listener.on_historical(samples)

    def on_stale(self, tag_ids: list[str], reason: str) -> None:
        self._requalified(self.store.mark_stale_now(tag_ids, reason))

    def on_alive(self, source_id: str, mono: float) -> None:
        self.store.confirm_source(source_id, mono)

    def on_condition(self, update: ConditionUpdate) -> None:
        for listener in self._condition_listeners:
            listener.on_condition(update)

    def on_condition_refresh(self, source_id: str, started: bool, ts: float) -> None:
        for listener in self._condition_listeners:
            listener.on_condition_refresh(source_id, started, ts)

    async def _watch_staleness(self) -> None:
        while True:
            await asyncio.sleep(WATCHDOG_PERIOD_S)
            self._requalified(self.store.mark_stale())
