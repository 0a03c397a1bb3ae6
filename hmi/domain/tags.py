"""Live tag values and the store that holds the latest one of each tag."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from hmi.domain.clock import Clock
from hmi.domain.plant import TagDef
from hmi.domain.quality import Quality

TagScalar = float | int | bool | str


@dataclass(slots=True)
class TagValue:
    """One sample of a tag. Treated as immutable once made.

    ``value`` is None only when no value has ever arrived. ``reason`` says why
    the quality is not good ("not JSON", "source down", ...), empty when good.
    ``source_ts`` is the time the source stamped (or the receive time when the
    source gives none); ``recv_ts`` is when this program received it; both UTC
    epoch seconds. ``recv_mono`` is the monotonic receive time, for staleness.
    """

    tag_id: str
    value: TagScalar | None
    quality: Quality
    reason: str
    source_ts: float
    recv_ts: float
    recv_mono: float


WAITING_FOR_SOURCE = "waiting for the source"
WAITING_FOR_VALUE = "waiting for the first value"


class TagStore:
    """The latest value of every tag, and the changes the GUI has not yet taken.

    Written by the runtime thread (``apply``, ``mark_source_down``,
    ``mark_stale``); read by the GUI thread through ``take_changes`` and
    ``snapshot``. Pending changes coalesce per tag (latest wins), so what waits
    for the GUI is bounded by the number of tags, whatever the message rate.
    """

    def __init__(self, tags: Iterable[TagDef], clock: Clock) -> None:
        self._clock = clock
        self._defs: dict[str, TagDef] = {t.id: t for t in tags}
        self._by_source: dict[str, list[str]] = {}
        for tag in self._defs.values():
            self._by_source.setdefault(tag.source, []).append(tag.id)
        now, mono = clock.now(), clock.monotonic()
        self._values: dict[str, TagValue] = {
            tag_id: TagValue(
                tag_id, None, Quality.NO_CONNECTION, WAITING_FOR_SOURCE, now, now, mono
            )
            for tag_id in self._defs
        }
        self._pending: dict[str, TagValue] = dict(self._values)
        # Monotonic time up to which a source vouched that its values are current
        # (an OPC UA subscription's publish responses, keep-alives included).
        self._confirmed: dict[str, float] = {}
        self._lock = threading.Lock()
        self.updates_applied = 0
        # Tags declared while running (Sparkplug births) that the GUI has not yet taken.
        self._declared: list[TagDef] = []

    @property
    def definitions(self) -> dict[str, TagDef]:
        return self._defs

    def declare(self, tags: Iterable[TagDef]) -> list[TagDef]:
        """Add tags a source declared while running, or change them (runtime thread).

        A source such as Sparkplug B declares its tags in births, not in the
        plant file. A new tag waits for its first value; a changed one (a
        rebirth with another unit or type) keeps its value until the next.
        Returns the tags that are new or changed; the GUI takes them with
        ``take_declared``.
        """
        changed: list[TagDef] = []
        now, mono = self._clock.now(), self._clock.monotonic()
        with self._lock:
            for tag in tags:
                old = self._defs.get(tag.id)
                if old == tag:
                    continue
                self._defs[tag.id] = tag
                if old is None:
                    self._by_source.setdefault(tag.source, []).append(tag.id)
                    value = TagValue(tag.id, None, Quality.STALE, WAITING_FOR_VALUE, now, now, mono)
                    self._values[tag.id] = value
                    self._pending[tag.id] = value
                changed.append(tag)
            self._declared.extend(changed)
        return changed

    def take_declared(self) -> list[TagDef]:
        """Tags declared or changed since the last call, in order (GUI thread)."""
        with self._lock:
            declared, self._declared = self._declared, []
        return declared

    def apply(self, batch: Iterable[TagValue]) -> None:
        """Take a batch of new samples (runtime thread)."""
        values, pending = self._values, self._pending
        count = 0
        with self._lock:
            for sample in batch:
                values[sample.tag_id] = sample
                pending[sample.tag_id] = sample
                count += 1
        self.updates_applied += count

    def get(self, tag_id: str) -> TagValue:
        with self._lock:
            return self._values[tag_id]

    def snapshot(self) -> dict[str, TagValue]:
        with self._lock:
            return dict(self._values)

    def take_changes(self) -> dict[str, TagValue]:
        """Everything that changed since the last call, latest per tag (GUI thread)."""
        with self._lock:
            changes, self._pending = self._pending, {}
        return changes

    def mark_source_down(self, source_id: str, reason: str) -> list[TagValue]:
        """Every tag of a source that is down shows "no connection", keeping its last value.

        Returns the values whose quality changed (so do the other ``mark_`` methods).
        """
        return self._requalify(self._by_source.get(source_id, ()), Quality.NO_CONNECTION, reason)

    def mark_source_up(self, source_id: str) -> list[TagValue]:
        """A connected source's tags wait for their first value; they stay not good until then."""
        ids = [
            tag_id
            for tag_id in self._by_source.get(source_id, ())
            if self._values[tag_id].quality is Quality.NO_CONNECTION
        ]
        return self._requalify(ids, Quality.STALE, WAITING_FOR_VALUE)

    def mark_stale_now(self, tag_ids: Iterable[str], reason: str) -> list[TagValue]:
        """The source says these values are no longer current (a Sparkplug node's death)."""
        return self._requalify([t for t in tag_ids if t in self._values], Quality.STALE, reason)

    def confirm_source(self, source_id: str, mono: float) -> None:
        """The source says its values were all current at monotonic time ``mono``.

        A source that reports by exception (OPC UA) sends nothing while a value
        holds still; its keep-alives prove the value is unchanged, not stale.
        """
        self._confirmed[source_id] = mono

    def mark_stale(self) -> list[TagValue]:
        """Turn usable values older than their staleness window into stale ones.

        Called periodically by the runtime's watchdog; returns the values it changed.
        """
        mono = self._clock.monotonic()
        defs, confirmed = self._defs, self._confirmed
        stale: list[TagValue] = []
        for tag_id, sample in self._values.items():
            if not sample.quality.usable:
                continue
            tag = defs[tag_id]
            fresh_at = max(sample.recv_mono, confirmed.get(tag.source, 0.0))
            if mono - fresh_at > tag.stale_after_s:
                reason = f"no update for {tag.stale_after_s:g} s"
                stale.extend(self._requalify([tag_id], Quality.STALE, reason))
        return stale

    def _requalify(self, tag_ids: Iterable[str], quality: Quality, reason: str) -> list[TagValue]:
        changed: list[TagValue] = []
        with self._lock:
            for tag_id in tag_ids:
                old = self._values[tag_id]
                if old.quality is quality and old.reason == reason:
                    continue
                new = TagValue(
                    tag_id, old.value, quality, reason, old.source_ts, old.recv_ts, old.recv_mono
                )
                self._values[tag_id] = new
                self._pending[tag_id] = new
                changed.append(new)
        return changed
