"""What the outbox forwarder hands an upstream, and what the upstream says about each record.

An upstream (MQTT 5 or HTTP) takes a batch of envelopes and answers, per
record, one of three verdicts: delivered (the upstream took ownership),
transient (the link failed: try again later, it says nothing about the
record), or refused (the upstream looked at this record and will not take
it: after a few refusals the record is quarantined).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from hmi.domain.health import LinkState


@dataclass(frozen=True, slots=True)
class Outgoing:
    record_id: str
    station: str
    kind: str
    body: str  # the envelope, JSON


class Verdict(enum.StrEnum):
    DELIVERED = "delivered"
    TRANSIENT = "transient"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Outcome:
    record_id: str
    verdict: Verdict
    detail: str = ""  # why, in words: "PUBACK 0x87 Not authorized", "HTTP 503", ...


# Called on the runtime thread when the link changes: the new state and, when down, why.
LinkListener = Callable[[LinkState, str], None]


class Upstream(Protocol):
    """An upstream as the forwarder drives it; every method runs on the runtime thread."""

    @property
    def address(self) -> str:
        """Where records go, for people: ``mqtt://host:1883`` or the URL."""

    @property
    def ready(self) -> bool:
        """Worth sending now (MQTT: connected; HTTP: always, the answer will tell)."""

    def capacity(self) -> int:
        """How many more records may be handed over now (bounds what sits unacknowledged)."""

    async def start(self, listener: LinkListener) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, items: Sequence[Outgoing], timeout_s: float) -> list[Outcome]:
        """One outcome per item, in order; returns within about ``timeout_s``."""
