"""The sync page's facade over the outbox and its forwarder.

``SyncService`` is what the GUI uses: a status snapshot it can read from any
thread without I/O (``summary``), the quarantine list, and the operator's
retry, discard and export, each checked against the role table and audited.
It owns the ``OutboxForwarder`` (hmi/services/forwarder.py) when an upstream
is configured, and watches the cache's size and free disk: past the
configured limits the summary carries a warning, and still nothing is
dropped.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from hmi.domain.clock import Clock
from hmi.domain.plant import StorageSettings, SyncSettings
from hmi.domain.records import parse_envelope
from hmi.domain.roles import Action
from hmi.services.forwarder import (
    OutboxForwarder,
    UpstreamLink,
    audit_job,
    make_upstream,
    report_crash,
    sync_entry,
    wait_for,
)
from hmi.services.records import RecordService
from hmi.services.session import SessionService
from hmi.storage import journal, outbox
from hmi.storage.database import Database, StorageError, connect

__all__ = ["OutboxForwarder", "QuarantinedRecord", "SyncService", "SyncStatus", "UpstreamLink"]

log = logging.getLogger(__name__)
T = TypeVar("T")

REFRESH_S = 1.0  # the status snapshot is at most this old
MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the sync page and the status bar show; an immutable snapshot."""

    link: UpstreamLink
    upstream: str  # where records go, e.g. "mqtt://mes:8883"; "" when none is configured
    pending: int
    in_flight: int
    delivered: int
    quarantined: int
    discarded: int
    oldest_pending_ts: float | None  # UTC epoch of the oldest record not yet delivered
    oldest_pending_age_s: float | None
    last_error: str
    last_error_ts: float | None
    storage_warning: str  # "" while the cache and its disk are fine; records are never dropped
    cache_mb: float
    free_disk_mb: float
    as_of: float  # when these figures were read (UTC epoch)


@dataclass(frozen=True, slots=True)
class QuarantinedRecord:
    record_id: str
    station: str
    seq: int
    kind: str
    ts: float
    user: str
    tries: int  # how many times the upstream refused it
    last_error: str
    envelope: str  # the JSON as it would travel


class _Reader:
    """A thread with its own connection for the sync page's queries.

    They neither wait behind nor delay the writer, which confirms records.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._executor = concurrent.futures.ThreadPoolExecutor(1, "hmi-sync-reader")
        self._local = threading.local()

    async def read(self, job: Callable[[sqlite_utils.Database], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._run, job)

    def _run(self, job: Callable[[sqlite_utils.Database], T]) -> T:
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = connect(self._path)
        return job(db)

    async def close(self) -> None:
        def close_db() -> None:
            db = getattr(self._local, "db", None)
            if db is not None:
                db.close()
                self._local.db = None

        await asyncio.get_running_loop().run_in_executor(self._executor, close_db)
        self._executor.shutdown(wait=True)


class SyncService:
    """The sync page's view of the outbox and the operator's actions on it.

    ``summary`` returns the latest snapshot (refreshed every second on the
    runtime thread; no I/O, safe from any thread). The coroutines run on the
    runtime loop (``Runtime.submit``); the actions raise PermissionDeniedError
    when the signed-in role may not perform them, and audit either way.
    """

    def __init__(
        self,
        settings: SyncSettings,
        storage: StorageSettings,
        db: Database,
        session: SessionService,
        records: RecordService,
        clock: Clock,
    ) -> None:
        self._storage = storage
        self._db = db
        self._session = session
        self._clock = clock
        self._reader = _Reader(db.path)
        upstream = make_upstream(settings)
        self.forwarder = (
            None
            if upstream is None
            else OutboxForwarder(db, upstream, settings, clock, session.station)
        )
        if self.forwarder is not None:
            records.on_written(lambda _record: self._wake())
            self.forwarder.on_change = self._refresh_soon
        self._refresh_now = asyncio.Event()
        self._watch_task: asyncio.Task[None] | None = None
        self._delivered_before = 0
        self._pressure = (False, False)
        self._status = SyncStatus(
            link=UpstreamLink.NONE if upstream is None else UpstreamLink.CONNECTING,
            upstream="" if upstream is None else upstream.address,
            pending=0,
            in_flight=0,
            delivered=0,
            quarantined=0,
            discarded=0,
            oldest_pending_ts=None,
            oldest_pending_age_s=None,
            last_error="",
            last_error_ts=None,
            storage_warning="",
            cache_mb=0.0,
            free_disk_mb=0.0,
            as_of=clock.now(),
        )

    # -- lifecycle (runtime thread) ----------------------------------------------

    async def start(self) -> None:
        self._delivered_before = await self._reader.read(lambda db: outbox.summary(db).delivered)
        await self.refresh()
        if self.forwarder is not None:
            await self.forwarder.start()
        self._watch_task = asyncio.create_task(self._watch(), name="sync-status")
        self._watch_task.add_done_callback(report_crash)

    async def stop(self) -> None:
        if self._watch_task is not None:
            self._watch_task.cancel()
            await asyncio.gather(self._watch_task, return_exceptions=True)
            self._watch_task = None
        if self.forwarder is not None:
            await self.forwarder.stop()
        await self._reader.close()

    # -- what the GUI reads --------------------------------------------------------

    def summary(self) -> SyncStatus:
        return self._status

    async def refresh(self) -> SyncStatus:
        """Read the figures now (after an action, or when a test wants them fresh)."""
        delivered = self._delivered_before + (self.forwarder.delivered if self.forwarder else 0)
        counts = await self._reader.read(lambda db: outbox.summary(db, delivered))
        cache_bytes, free_bytes = await asyncio.to_thread(self._disk_figures)
        pressure, warning = self._storage_pressure(cache_bytes, free_bytes)
        if pressure != self._pressure:
            # Audited when a limit is crossed either way, not each time the figures move.
            result = "warning" if warning else "ok"
            await self._audit("", "sync.storage", result, {"warning": warning})
            if warning:
                log.warning("%s", warning)
            self._pressure = pressure
        now = self._clock.now()
        fwd = self.forwarder
        last_error = fwd.last_error if fwd is not None and fwd.last_error else counts.last_error
        oldest = counts.oldest_pending_ts
        self._status = SyncStatus(
            link=UpstreamLink.NONE if fwd is None else fwd.link,
            upstream="" if fwd is None else fwd.upstream.address,
            pending=counts.pending,
            in_flight=counts.in_flight,
            delivered=counts.delivered,
            quarantined=counts.quarantined,
            discarded=counts.discarded,
            oldest_pending_ts=oldest,
            oldest_pending_age_s=None if oldest is None else max(0.0, now - oldest),
            last_error=last_error,
            last_error_ts=fwd.last_error_ts if fwd is not None and fwd.last_error else None,
            storage_warning=warning,
            cache_mb=cache_bytes / MB,
            free_disk_mb=free_bytes / MB,
            as_of=now,
        )
        return self._status

    async def quarantined(self) -> list[QuarantinedRecord]:
        rows = await self._reader.read(outbox.quarantined_items)
        listed: list[QuarantinedRecord] = []
        for item, error in rows:
            record = parse_envelope(item.body)
            listed.append(
                QuarantinedRecord(
                    item.record_id,
                    item.station,
                    item.seq,
                    item.kind,
                    record.ts,
                    record.user,
                    item.tries,
                    error,
                    item.body,
                )
            )
        return listed

    # -- the operator's actions ----------------------------------------------------

    async def retry(self, record_ids: Sequence[str]) -> int:
        """Quarantined records go back to the queue with a fresh count; returns how many."""
        user = await self._session.authorize(Action.SYNC_RETRY)
        ids = list(record_ids)

        def job(db: sqlite_utils.Database) -> list[str]:
            with db.atomic():
                requeued = [rid for rid in ids if outbox.requeue(db, [rid])]
                self._append_audit(db, user.id, "sync.retry", "ok", {"records": requeued})
            return requeued

        requeued = await self._write(job)
        self._wake()
        await self.refresh()
        return len(requeued)

    async def discard(self, record_ids: Sequence[str]) -> int:
        """Quarantined records are given up on (they stay in the cache); one audit entry each."""
        user = await self._session.authorize(Action.SYNC_DISCARD)
        ids = list(record_ids)

        def job(db: sqlite_utils.Database) -> int:
            count = 0
            with db.atomic():
                for rid in ids:
                    if outbox.discard(db, [rid]):
                        self._append_audit(db, user.id, "sync.discard", "ok", {"record": rid})
                        count += 1
            return count

        count = await self._write(job)
        await self.refresh()
        return count

    async def export(self, record_ids: Sequence[str], path: Path) -> int:
        """The envelopes as JSON Lines, for a person to hand over; returns how many."""
        user = await self._session.authorize(Action.SYNC_EXPORT)
        ids = list(record_ids)
        bodies = await self._reader.read(lambda db: outbox.envelopes(db, ids))

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8") as handle:
                handle.writelines(body + "\n" for body in bodies)

        detail: dict[str, object] = {"records": list(ids), "file": str(path)}
        try:
            await asyncio.to_thread(write)
        except OSError as exc:
            await self._audit(user.id, "sync.export", "failed", {**detail, "error": str(exc)})
            raise
        await self._audit(user.id, "sync.export", "ok", detail)
        return len(bodies)

    # -- inside --------------------------------------------------------------------

    def _wake(self) -> None:
        if self.forwarder is not None:
            self.forwarder.wake()

    def _refresh_soon(self) -> None:
        self._refresh_now.set()

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            self._refresh_now.clear()
            try:
                await self.refresh()
            except StorageError as exc:
                log.warning("cannot read the sync status: %s", exc)
            # At least one refresh per REFRESH_S, at most four: a drain does not flood the reader.
            await asyncio.sleep(max(0.0, started + REFRESH_S / 4 - loop.time()))
            await wait_for(self._refresh_now, REFRESH_S)

    def _disk_figures(self) -> tuple[int, int]:
        path = self._db.path
        size = 0
        for part in (path, path.with_name(path.name + "-wal")):
            try:
                size += part.stat().st_size
            except FileNotFoundError:
                continue
        return size, shutil.disk_usage(path.parent).free

    def _storage_pressure(self, cache_bytes: int, free_bytes: int) -> tuple[tuple[bool, bool], str]:
        """Which limits are crossed (cache size, free disk), and the words for the screen."""
        limits = self._storage
        big = cache_bytes > limits.warn_size_mb * MB
        full = free_bytes < limits.min_free_disk_mb * MB
        parts: list[str] = []
        if big:
            parts.append(
                f"The record cache holds {cache_bytes / MB:.0f} MB, more than the"
                f" {limits.warn_size_mb:g} MB set to warn."
            )
        if full:
            parts.append(
                f"Only {free_bytes / MB:.0f} MB are free on the cache's disk (warning below"
                f" {limits.min_free_disk_mb:g} MB); when it is full, no record can be saved."
            )
        if parts:
            parts.append("Every record is kept until it is delivered: check the upstream link.")
        return (big, full), " ".join(parts)

    def _append_audit(
        self,
        db: sqlite_utils.Database,
        user: str,
        action: str,
        result: str,
        detail: dict[str, object],
    ) -> None:
        station = self._session.station
        journal.append_audit(
            db, sync_entry(self._clock.now(), user, station, action, result, detail)
        )

    async def _audit(self, user: str, action: str, result: str, detail: dict[str, object]) -> None:
        draft = sync_entry(self._clock.now(), user, self._session.station, action, result, detail)
        await self._write(audit_job(draft))

    async def _write(self, job: Callable[[sqlite_utils.Database], T]) -> T:
        return await asyncio.wrap_future(self._db.submit(job))
