"""Recording operator actions: role check, then record + audit + outbox in one commit.

``record`` returns only after the commit, so whatever the GUI shows as
"saved" is on disk. A refused action is audited as such and raises.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import sqlite_utils

from hmi.domain.clock import Clock
from hmi.domain.records import Record, RecordKind, RecordRejectedError, validate_payload
from hmi.domain.roles import Action
from hmi.services.session import SessionService
from hmi.storage import journal
from hmi.storage.database import Database


class RecordService:
    """Writes operator records through the journal and wakes the forwarder."""

    def __init__(self, db: Database, session: SessionService, clock: Clock) -> None:
        self._db = db
        self._session = session
        self._clock = clock
        self._written: list[Callable[[Record], None]] = []
        self._context: Callable[[str], dict[str, str]] = lambda _station: {}

    def set_context_provider(self, provider: Callable[[str], dict[str, str]]) -> None:
        """Where a station's production context (order, product, batch) comes from.

        Every record of a station that has one carries it as ``payload.context``.
        """
        self._context = provider

    def on_written(self, callback: Callable[[Record], None]) -> None:
        """Called on the runtime thread after each commit (the forwarder listens here)."""
        self._written.append(callback)

    async def record(
        self,
        action: Action,
        kind: RecordKind,
        station: str,
        payload: dict[str, Any],
        corrects: str | None = None,
        also: Callable[[sqlite_utils.Database, Record], object] | None = None,
    ) -> Record:
        """Check, then commit; ``also`` runs in the same transaction (e.g. a journal line)."""
        user = await self._session.authorize(action, station)
        validate_payload(kind, payload)
        if corrects is not None:
            await self._session.authorize(Action.RECORD_CORRECT, station)
            original = await asyncio.wrap_future(
                self._db.submit(lambda db: journal.get_record(db, corrects))
            )
            if original is None:
                raise RecordRejectedError(f"no record {corrects} to correct")
        payload = self._with_context(station, payload)
        draft = journal.RecordDraft(kind, station, user.id, payload, self._clock.now(), corrects)
        record = await self._commit(draft, also)
        self._session.touch()
        return record

    async def authorize(self, action: Action, station: str) -> None:
        """The signed-in user may do ``action`` (a refusal is audited and raised)."""
        await self._session.authorize(action, station)

    async def record_as_system(
        self,
        kind: RecordKind,
        station: str,
        payload: dict[str, Any],
        also: Callable[[sqlite_utils.Database, Record], object] | None = None,
    ) -> Record:
        """A record nobody acted for (a stop the machine reported and ended): user empty."""
        validate_payload(kind, payload)
        payload = self._with_context(station, payload)
        draft = journal.RecordDraft(kind, station, "", payload, self._clock.now())
        return await self._commit(draft, also)

    def _with_context(self, station: str, payload: dict[str, Any]) -> dict[str, Any]:
        context = self._context(station)
        return {**payload, "context": context} if context else payload

    async def _commit(
        self,
        draft: journal.RecordDraft,
        also: Callable[[sqlite_utils.Database, Record], object] | None,
    ) -> Record:
        def write(db: sqlite_utils.Database) -> Record:
            with db.atomic():
                record = journal.append_record(db, draft)
                if also is not None:
                    also(db, record)
                return record

        record = await asyncio.wrap_future(self._db.submit(write))
        for callback in self._written:
            callback(record)
        return record
