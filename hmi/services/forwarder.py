"""The outbox forwarder: records upstream in sequence order per station, none ever dropped.

It runs on the runtime's loop. It takes a batch of due records from the
outbox, hands it to the upstream, and settles each record: delivered on a
success acknowledgement; back to pending on a link failure (the whole link
then waits, with capped exponential backoff, so nothing overtakes what
failed); back to pending with a backoff of its own on a refusal, and to
quarantine at the ``quarantine_after``-th refusal. A new record wakes it at
once (after ``GATHER_S``, to send a burst together); otherwise it looks again
every second. Upstream up/down and every quarantine are audited (SYNC).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import enum
import json
import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

import sqlite_utils

from hmi.adapters.link import Backoff
from hmi.adapters.upstream import Outcome, Outgoing, Upstream, Verdict
from hmi.adapters.upstream_http import HttpRecordUpstream
from hmi.adapters.upstream_mqtt import MqttRecordUpstream
from hmi.domain.audit import AuditCategory
from hmi.domain.clock import Clock
from hmi.domain.health import LinkState
from hmi.domain.plant import HttpUpstream, SyncSettings
from hmi.storage import journal, outbox
from hmi.storage.database import Database, StorageError

log = logging.getLogger(__name__)
T = TypeVar("T")

POLL_S = 1.0  # a look at the outbox this often even when nothing wakes the forwarder
GATHER_S = 0.02  # after a wake-up, wait this long for more records to send in the same batch


class UpstreamLink(enum.StrEnum):
    NONE = "none"  # no upstream configured: records stay in the cache
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    STOPPED = "stopped"  # cannot run at all, e.g. the password cannot be read; see last_error


def make_upstream(settings: SyncSettings) -> Upstream | None:
    upstream = settings.upstream
    if upstream is None:
        return None
    if isinstance(upstream, HttpUpstream):
        return HttpRecordUpstream(upstream)
    return MqttRecordUpstream(upstream, settings.retry_min_s, settings.retry_max_s)


def sync_entry(
    ts: float, user: str, station: str, action: str, result: str, detail: dict[str, object]
) -> journal.AuditDraft:
    """An audit entry of the SYNC category; its detail is a JSON object, for machines too."""
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True)
    return journal.AuditDraft(ts, user, station, AuditCategory.SYNC, action, result, text)


def audit_job(draft: journal.AuditDraft) -> Callable[[sqlite_utils.Database], object]:
    return lambda db: journal.append_audit(db, draft)


class OutboxForwarder:
    """Sends the outbox upstream in sequence order per station; never drops a record."""

    def __init__(
        self,
        db: Database,
        upstream: Upstream,
        settings: SyncSettings,
        clock: Clock,
        station: str = "",
    ) -> None:
        self._db = db
        self.upstream = upstream
        self._settings = settings
        self._clock = clock
        self._station = station  # this screen's station, for the audit trail
        self._backoff = Backoff(settings.retry_min_s, settings.retry_max_s)
        self._hold_until = 0.0  # loop time: after a link failure nothing is sent before
        self._nudge = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.link = UpstreamLink.CONNECTING
        self.last_error = ""
        self.last_error_ts: float | None = None
        self.delivered = 0  # since start
        self.on_change: Callable[[], None] = lambda: None

    async def start(self) -> None:
        returned = await self._write(outbox.return_in_flight)
        if returned:
            log.info(
                "%d records were in flight at the last stop; they will be sent again", returned
            )
        await self.upstream.start(self._on_link)
        self._task = asyncio.create_task(self._run(), name="outbox-forwarder")
        self._task.add_done_callback(report_crash)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self.upstream.stop()
        # What was sent and not yet acknowledged goes again next time.
        await self._write(outbox.return_in_flight)

    def wake(self) -> None:
        """Something may be due now (a record was written, a quarantined one retried)."""
        self._nudge.set()

    # -- the loop ----------------------------------------------------------------

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self._nudge.clear()
            wait = loop.time() < self._hold_until or not self.upstream.ready
            limit = min(self._settings.batch_size, self.upstream.capacity())
            if wait or limit <= 0:
                await self._pause(min(POLL_S, max(0.01, self._hold_until - loop.time())))
                continue
            try:
                sent = await self._forward_batch(limit)
            except StorageError as exc:
                self._error(f"the cache refused a write: {exc}")
                sent = 0
                self._hold_until = loop.time() + self._backoff.next_delay()
            if sent >= limit:
                continue  # a backlog: on with the next batch
            if not sent:
                await self._pause(POLL_S)
            # Records come in bursts (a downtime and its reason, a sign-off of ten steps):
            # gathering them for a moment saves the writer, which confirms records, two
            # transactions per record.
            await asyncio.sleep(GATHER_S)

    async def _pause(self, timeout: float) -> None:
        await wait_for(self._nudge, timeout)

    async def _forward_batch(self, limit: int) -> int:
        now = self._clock.now()
        items = await self._write(lambda db: outbox.take_batch(db, now, limit))
        if not items:
            return 0
        outgoing = [Outgoing(i.record_id, i.station, i.kind, i.body) for i in items]
        outcomes = await self.upstream.send(outgoing, self._settings.ack_timeout_s)
        await self._settle(items, outcomes)
        return len(items)

    async def _settle(self, items: Sequence[outbox.OutboxItem], outcomes: list[Outcome]) -> None:
        now = self._clock.now()
        settings = self._settings
        by_id = {item.record_id: item for item in items}
        delivered = [o.record_id for o in outcomes if o.verdict is Verdict.DELIVERED]
        transient = [o for o in outcomes if o.verdict is Verdict.TRANSIENT]
        refused = [o for o in outcomes if o.verdict is Verdict.REFUSED]
        why = {o.record_id: o.detail for o in refused}

        def job(db: sqlite_utils.Database) -> list[str]:
            quarantined: list[str] = []
            with db.atomic():
                outbox.mark_delivered(db, delivered, now)
                for outcome in transient:
                    outbox.mark_failed(
                        db,
                        [outcome.record_id],
                        outcome.detail,
                        0.0,
                        permanent=False,
                        quarantine_after=settings.quarantine_after,
                    )
                for outcome in refused:
                    item = by_id[outcome.record_id]
                    delay = min(
                        settings.retry_min_s * 2 ** min(item.tries, 30), settings.retry_max_s
                    )
                    quarantined += outbox.mark_failed(
                        db,
                        [item.record_id],
                        outcome.detail,
                        now + delay,
                        permanent=True,
                        quarantine_after=settings.quarantine_after,
                    )
                for rid in quarantined:
                    item = by_id[rid]
                    detail: dict[str, object] = {"record": rid, "seq": item.seq, "error": why[rid]}
                    draft = sync_entry(
                        now, "", item.station, "sync.quarantine", "quarantined", detail
                    )
                    journal.append_audit(db, draft)
            return quarantined

        quarantined = await self._write(job)
        self.delivered += len(delivered)
        for outcome in refused:
            item = by_id[outcome.record_id]
            log.warning("%s #%d refused: %s", item.station, item.seq, outcome.detail)
            self._error(f"{item.station} #{item.seq}: {outcome.detail}")
        for rid in quarantined:
            log.warning("record %s quarantined after %d refusals", rid, settings.quarantine_after)
        if transient:
            self._error(transient[0].detail)
            delay = self._backoff.next_delay()
            self._hold_until = asyncio.get_running_loop().time() + delay
            log.info("upstream: %s; trying again in %.0f s", transient[0].detail, delay)
        elif delivered:
            self._backoff.reset()
        self.on_change()

    # -- link state ---------------------------------------------------------------

    def _on_link(self, state: LinkState, error: str) -> None:
        before = self.link
        self.link = UpstreamLink(state.value)
        if error:
            self._error(error)
        if self.link is UpstreamLink.CONNECTED:
            self._hold_until = 0.0
        if before is not UpstreamLink.CONNECTED and self.link is UpstreamLink.CONNECTED:
            log.info("upstream %s connected", self.upstream.address)
            self._audit("sync.upstream", "connected", {"upstream": self.upstream.address})
        elif before is UpstreamLink.CONNECTED or (
            before is UpstreamLink.CONNECTING and self.link is not UpstreamLink.CONNECTING
        ):
            log.warning("upstream %s down: %s", self.upstream.address, error)
            self._audit(
                "sync.upstream",
                self.link.value,
                {"upstream": self.upstream.address, "error": error},
            )
        self._nudge.set()
        self.on_change()

    def _error(self, text: str) -> None:
        self.last_error = text
        self.last_error_ts = self._clock.now()

    def _audit(self, action: str, result: str, detail: dict[str, object]) -> None:
        draft = sync_entry(self._clock.now(), "", self._station, action, result, detail)
        self._db.submit(audit_job(draft)).add_done_callback(_log_failure)

    async def _write(self, job: Callable[[sqlite_utils.Database], T]) -> T:
        return await asyncio.wrap_future(self._db.submit(job))


def report_crash(task: asyncio.Task[None]) -> None:
    """A loop that must run for the program's life ended: that is a bug; say so loudly."""
    if not task.cancelled() and task.exception() is not None:
        log.critical("%s stopped", task.get_name(), exc_info=task.exception())


async def wait_for(event: asyncio.Event, timeout: float) -> None:
    """Until ``event`` is set or ``timeout`` seconds have passed, whichever comes first."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), timeout)


def _log_failure(future: concurrent.futures.Future[object]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("could not write to the audit trail: %s", future.exception())
