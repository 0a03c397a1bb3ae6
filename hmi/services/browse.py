"""What the maintenance browser shows: a server's address space, a broker's topic tree.

Both are marked with the plant's tags bound to them, so a technician can
drag a bound node or topic into a trend and see which ones the plant file
does not use yet. Browsing reads; it never writes or subscribes.
"""

from __future__ import annotations

from dataclasses import dataclass

from hmi.adapters.link import BrowseEntry, BrowseFailedError
from hmi.adapters.mqtt import MqttLink
from hmi.adapters.opcua import OpcUaLink
from hmi.domain.plant import MqttBinding, OpcUaBinding, PlantDef
from hmi.services.acquisition import AcquisitionService


@dataclass(frozen=True, slots=True)
class BrowseNode:
    """One node or topic, with the plant tag bound to it (if any)."""

    key: str  # node id, or the topic
    name: str
    leaf: bool
    has_children: bool
    tag: str | None = None


class BrowseService:
    """Runs on the runtime thread: links are touched only from their own loop."""

    def __init__(self, plant: PlantDef, acquisition: AcquisitionService) -> None:
        self.plant = plant
        self._acquisition = acquisition
        self._by_node: dict[tuple[str, str], str] = {}
        self._by_topic: dict[tuple[str, str], str] = {}
        for tag in plant.tags:
            if isinstance(tag.binding, OpcUaBinding):
                self._by_node[(tag.source, tag.binding.node_id)] = tag.id
            elif isinstance(tag.binding, MqttBinding):
                self._by_topic.setdefault((tag.source, tag.binding.topic), tag.id)

    def sources(self) -> list[tuple[str, str]]:
        """(source id, "opcua" or "mqtt") of every source that can be browsed."""
        found = []
        for link in self._acquisition.links:
            if isinstance(link, OpcUaLink):
                found.append((link.source.id, "opcua"))
            elif isinstance(link, MqttLink):
                found.append((link.source.id, "mqtt"))
        return found

    async def children(self, source_id: str, node_id: str | None = None) -> list[BrowseNode]:
        """The children of an OPC UA node (None: the Objects folder)."""
        link = self._link(source_id)
        if not isinstance(link, OpcUaLink):
            raise BrowseFailedError(f"{source_id} is not an OPC UA server")
        entries: list[BrowseEntry] = await link.browse(node_id)
        return [
            BrowseNode(
                e.node_id,
                e.name,
                e.is_variable,
                e.has_children,
                self._by_node.get((source_id, e.node_id)),
            )
            for e in entries
        ]

    async def topics(self, source_id: str) -> list[BrowseNode]:
        """Every topic the broker has sent on the source's subscriptions, sorted."""
        link = self._link(source_id)
        if not isinstance(link, MqttLink):
            raise BrowseFailedError(f"{source_id} is not an MQTT broker")
        return [
            BrowseNode(topic, topic, True, False, self._by_topic.get((source_id, topic)))
            for topic in sorted(link.topics_seen)
        ]

    def _link(self, source_id: str) -> object:
        for link in self._acquisition.links:
            if link.source.id == source_id:
                return link
        raise BrowseFailedError(f"there is no source {source_id}")
