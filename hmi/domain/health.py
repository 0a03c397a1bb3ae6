"""The health of a connection to a source, as the status bar shows it."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class LinkState(enum.StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """A snapshot of one source's link.

    ``next_attempt`` is the UTC time of the next connection attempt while
    reconnecting; ``rejected`` counts messages refused as malformed since start.
    """

    source_id: str
    kind: str  # "mqtt" or "opcua"
    state: LinkState
    since: float
    next_attempt: float | None = None
    last_error: str = ""
    received: int = 0
    rejected: int = 0
    last_rejection: str = ""
