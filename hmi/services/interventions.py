"""Writes to the plant: checked, sent once, read back, recorded.

``write`` checks the role (``tag.write``), the rules of ``hmi.domain.writes``
and the link; audits the attempt before anything is sent; sends the value
once (an OPC UA write, or an MQTT command at QoS 1); reads it back (the OPC UA
node, or the tag's own subscription showing the new value within the tag's
``readback_s``); and records the outcome as an ``intervention`` record with
the operator's reason and what it addresses (an alarm, a stop). A refused or
failed write is audited as such and raises; nothing is ever queued.
"""

from __future__ import annotations

import asyncio
import json
import math
from dataclasses import dataclass
from typing import Any

from hmi.adapters.link import WriteFailedError
from hmi.adapters.mqtt import MqttLink
from hmi.adapters.opcua import OpcUaLink
from hmi.domain.audit import AuditCategory
from hmi.domain.clock import Clock
from hmi.domain.health import LinkState
from hmi.domain.plant import MqttBinding, OpcUaBinding, PlantDef, TagDef
from hmi.domain.records import Record, RecordKind
from hmi.domain.roles import Action
from hmi.domain.tags import TagScalar, TagStore, TagValue
from hmi.domain.writes import WriteRefusedError, check_write
from hmi.services.records import RecordService
from hmi.services.session import SessionService
from hmi.storage.database import Database

READBACK_POLL_S = 0.05


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    """What happened: the record says the same."""

    tag: str
    old: TagScalar | None
    new: TagScalar
    read_back: TagScalar | None
    confirmed: bool  # the plant shows the new value
    record: Record


class InterventionService:
    """Operator writes, by role, bounded, confirmed by read-back, on record."""

    def __init__(
        self,
        plant: PlantDef,
        store: TagStore,
        links: list[MqttLink | OpcUaLink],
        db: Database,
        session: SessionService,
        records: RecordService,
        clock: Clock,
    ) -> None:
        self.plant = plant
        self._store = store
        self._links = {link.source.id: link for link in links}
        self._db = db
        self._session = session
        self._records = records
        self._clock = clock
        self._station_of = {t: s.id for s in plant.stations for t in s.tags}

    async def write(
        self, tag_id: str, value: object, reason: str, about: dict[str, str] | None = None
    ) -> WriteOutcome:
        """Write ``value`` to the tag; ``reason`` (required) and ``about`` go on record."""
        tag = self.plant.tag(tag_id)
        station = self._station_of.get(tag_id, "")
        user = await self._session.authorize(Action.TAG_WRITE, station)
        current = self._store.get(tag_id)
        link = self._links.get(tag.source)
        try:
            new = _allowed(tag, current, value, reason, link)
        except WriteRefusedError as exc:
            await self._audit(
                user.id, station, tag, "refused", {"value": str(value), "why": str(exc)}
            )
            raise
        assert link is not None  # _allowed refused a missing link
        old = current.value
        await self._audit(user.id, station, tag, "sent", {"old": old, "new": new})
        try:
            read_back = await self._send(link, tag, new)
        except WriteFailedError as exc:
            await self._audit(user.id, station, tag, "failed", {"new": new, "why": str(exc)})
            raise
        confirmed = _same(read_back, new)
        payload: dict[str, Any] = {
            "text": reason.strip(),
            "action": "write",
            "tag": tag_id,
            "unit": tag.unit,
            "old": _json(old),
            "new": _json(new),
            "read_back": _json(read_back),
            "result": "confirmed" if confirmed else "not confirmed",
        }
        if about:
            payload["about"] = dict(about)
        record = await self._records.record(
            Action.TAG_WRITE, RecordKind.INTERVENTION, station, payload
        )
        return WriteOutcome(tag_id, old, new, read_back, confirmed, record)

    async def _send(
        self, link: MqttLink | OpcUaLink, tag: TagDef, value: TagScalar
    ) -> TagScalar | None:
        rules = tag.write
        assert rules is not None  # check_write refused tags without rules
        if isinstance(link, OpcUaLink) and isinstance(tag.binding, OpcUaBinding):
            return await asyncio.wait_for(link.write(tag.binding.node_id, value), rules.readback_s)
        if isinstance(link, MqttLink) and isinstance(tag.binding, MqttBinding):
            topic = rules.topic or f"{tag.binding.topic}/set"
            await link.publish_command(topic, _payload(value), rules.readback_s)
            return await self._echo(tag, value, rules.readback_s)
        raise WriteFailedError(f"{tag.name}: the source cannot take writes")

    async def _echo(self, tag: TagDef, value: TagScalar, timeout: float) -> TagScalar | None:
        """The tag's own subscription shows the new value: the plant took it."""
        deadline = self._clock.monotonic() + timeout
        while True:
            current = self._store.get(tag.id).value
            if _same(current, value) or self._clock.monotonic() >= deadline:
                return current
            await asyncio.sleep(READBACK_POLL_S)

    async def _audit(
        self, user: str, station: str, tag: TagDef, result: str, detail: dict[str, object]
    ) -> None:
        text = json.dumps({"tag": tag.id, **{k: _json(v) for k, v in detail.items()}})
        await self._session.audit(
            user, Action.TAG_WRITE.value, result, text, AuditCategory.RECORD, station
        )


def _allowed(
    tag: TagDef, current: TagValue, value: object, reason: str, link: object | None
) -> TagScalar:
    if not reason.strip():
        raise WriteRefusedError("a write needs a reason")
    health = getattr(link, "health", None)
    if health is None or health.state is not LinkState.CONNECTED:
        raise WriteRefusedError(f"{tag.source} is not connected: nothing is written")
    return check_write(tag, current, value)


def _payload(value: TagScalar) -> bytes:
    if isinstance(value, bool):
        return b"true" if value else b"false"
    return str(value).encode()


def _same(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)
    return a == b


def _json(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
