"""What every source adapter shares: the sink it feeds, its health, rate-limited logging."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from hmi.domain.alarms import ConditionUpdate
from hmi.domain.clock import Clock
from hmi.domain.health import LinkState, SourceHealth
from hmi.domain.tags import TagValue


class SampleSink(Protocol):
    """Where an adapter delivers; both calls happen on the runtime's asyncio thread."""

    def on_samples(self, samples: list[TagValue]) -> None: ...

    def on_link(self, health: SourceHealth) -> None: ...

    def on_alive(self, source_id: str, mono: float) -> None:
        """The source vouches that every value it last sent is still current at ``mono``."""

    def on_condition(self, update: ConditionUpdate) -> None:
        """An OPC UA condition event (Alarms & Conditions), in arrival order."""

    def on_condition_refresh(self, source_id: str, started: bool, ts: float) -> None:
        """A ConditionRefresh began (``started``) or ended: between the two, the server
        re-reports every condition it retains; those it does not are gone."""


@dataclass(frozen=True, slots=True)
class BrowseEntry:
    """One node of a server's address space, as a browser lists it."""

    node_id: str
    name: str
    is_variable: bool
    has_children: bool


class BrowseFailedError(Exception):
    """The address space cannot be browsed now; the message says why."""


class WriteFailedError(Exception):
    """A write that did not reach the plant; the message is the operator's."""


class RateLimitedLog:
    """Logs a kind of event at most once per interval, then says how many it held back.

    A flood of malformed messages must not flood the log (or the disk) too.
    """

    def __init__(self, logger: logging.Logger, interval_s: float = 10.0) -> None:
        self._logger = logger
        self._interval = interval_s
        self._next: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def report(self, key: str, msg: str, *args: object) -> None:
        now = time.monotonic()
        if now < self._next.get(key, 0.0):
            self._held[key] = self._held.get(key, 0) + 1
            return
        held = self._held.pop(key, 0)
        suffix = f" ({held} similar messages held back)" if held else ""
        self._logger.warning(msg + suffix, *args)
        self._next[key] = now + self._interval


class LinkHealth:
    """The mutable health of one link; ``snapshot()`` gives the immutable view."""

    def __init__(self, source_id: str, kind: str, clock: Clock) -> None:
        self.source_id = source_id
        self.kind = kind
        self._clock = clock
        self.state = LinkState.CONNECTING
        self.since = clock.now()
        self.next_attempt: float | None = None
        self.last_error = ""
        self.received = 0
        self.rejected = 0
        self.last_rejection = ""

    def set_state(
        self, state: LinkState, error: str = "", next_attempt: float | None = None
    ) -> None:
        if state is not self.state:
            self.since = self._clock.now()
        self.state = state
        self.next_attempt = next_attempt
        if error:
            self.last_error = error

    def snapshot(self) -> SourceHealth:
        return SourceHealth(
            source_id=self.source_id,
            kind=self.kind,
            state=self.state,
            since=self.since,
            next_attempt=self.next_attempt,
            last_error=self.last_error,
            received=self.received,
            rejected=self.rejected,
            last_rejection=self.last_rejection,
        )


class Backoff:
    """Capped exponential backoff: min, 2*min, 4*min ... max; reset on success."""

    def __init__(self, min_s: float, max_s: float) -> None:
        self._min = min_s
        self._max = max_s
        self._current: float | None = None

    def next_delay(self) -> float:
        self._current = self._min if self._current is None else min(self._current * 2, self._max)
        return self._current

    def reset(self) -> None:
        self._current = None


def read_secret(password_env: str | None, password_file: str | None) -> str | None:
    """The password, read when connecting so it never sits in the plant file or the log."""
    if password_env is not None:
        value = os.environ.get(password_env)
        if value is None:
            raise OSError(f"environment variable {password_env} is not set")
        return value
    if password_file is not None:
        return Path(password_file).read_text(encoding="utf-8").rstrip("\r\n")
    return None
