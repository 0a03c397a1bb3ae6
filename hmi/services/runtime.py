"""The runtime thread: one asyncio loop that runs every service, with or without a GUI."""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import json
import logging
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from hmi.domain.audit import AuditCategory
from hmi.domain.clock import Clock, SystemClock
from hmi.domain.plant import PlantDef
from hmi.domain.tags import TagStore
from hmi.services.acquisition import AcquisitionService
from hmi.services.alarms import AlarmService, ConditionMethods
from hmi.services.browse import BrowseService
from hmi.services.downtime import DowntimeService
from hmi.services.history import HistoryService
from hmi.services.instructions import InstructionService
from hmi.services.interventions import InterventionService
from hmi.services.records import RecordService
from hmi.services.session import SessionService
from hmi.services.shift_report import ShiftReportService
from hmi.services.sync import SyncService
from hmi.storage import journal
from hmi.storage.database import Database, default_cache_path

log = logging.getLogger(__name__)
T = TypeVar("T")


class Runtime:
    """Starts the services on a thread of their own and stops them cleanly.

    The GUI reads the tag store's coalesced changes and the link health; it
    asks for work with ``submit``, which returns a concurrent future.
    """

    def __init__(
        self,
        plant: PlantDef,
        clock: Clock | None = None,
        cache_path: Path | None = None,
        station: str = "",
    ) -> None:
        self.plant = plant
        self.clock = clock or SystemClock()
        self.store = TagStore(plant.tags, self.clock)
        self.acquisition = AcquisitionService(plant, self.store, self.clock)
        path = cache_path or (
            Path(plant.storage.path) if plant.storage.path else default_cache_path()
        )
        self.db = Database(path)
        history_path = (
            Path(plant.history.path) if plant.history.path else path.with_name("history.sqlite")
        )
        self.history = HistoryService(plant, plant.history, history_path, self.clock)
        self.acquisition.add_listener(self.history)
        self.acquisition.add_catalog_listener(self.history)
        self.session = SessionService(plant.users, plant.sign_in, self.db, self.clock, station)
        self.records = RecordService(self.db, self.session, self.clock)
        self.sync = SyncService(
            plant.sync, plant.storage, self.db, self.session, self.records, self.clock
        )
        self.alarms = AlarmService(
            plant,
            self.db,
            self.session,
            self.records,
            self.clock,
            self._condition_methods,
            self.history,
        )
        self.acquisition.add_listener(self.alarms)
        self.downtime = DowntimeService(
            plant, self.db, self.records, self.clock, history=self.history
        )
        self.acquisition.add_listener(self.downtime)
        self.records.set_context_provider(self.downtime.context_fields)
        self.shift_reports = ShiftReportService(
            plant, self.db, self.session, self.records, self.downtime, self.alarms, self.clock
        )
        self.interventions = InterventionService(
            plant,
            self.store,
            self.acquisition.links,
            self.db,
            self.session,
            self.records,
            self.clock,
        )
        self.browse = BrowseService(plant, self.acquisition)
        self.instructions = InstructionService(
            plant, self.db, self.session, self.records, self.store, self.clock, self.downtime
        )
        self.acquisition.add_condition_listener(self.alarms)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    def start(self, timeout: float = 10.0) -> None:
        """Open the cache, start the loop and the services; StorageError if the cache fails."""
        self.db.start()
        self.db.submit(self._audit_config_loaded).result(timeout)
        self.history.open(timeout)
        ready = threading.Event()
        self._thread = threading.Thread(target=self._main, args=(ready,), name="hmi-runtime")
        self._thread.start()
        if not ready.wait(timeout):
            raise RuntimeError("the runtime did not start in time")
        self.submit(self.sync.start()).result(timeout)
        self.submit(self.history.start()).result(timeout)
        self.submit(self.alarms.start()).result(timeout)
        self.submit(self.downtime.start()).result(timeout)
        self.submit(self.shift_reports.start()).result(timeout)
        self.submit(self.instructions.start()).result(timeout)
        self.submit(self.acquisition.start()).result(timeout)

    def _condition_methods(self, source_id: str) -> ConditionMethods | None:
        for link in self.acquisition.links:
            if link.source.id == source_id:
                methods: ConditionMethods | None = getattr(link, "conditions", None)
                return methods
        return None

    def _audit_config_loaded(self, db: sqlite_utils.Database) -> None:
        """The trail says which plant file this run used, by content hash."""
        try:
            digest = hashlib.sha256(Path(self.plant.path).read_bytes()).hexdigest()
        except OSError:
            digest = "unreadable"  # an embedded or test plant has no file to hash
        detail = json.dumps({"file": self.plant.path, "sha256": digest, "plant": self.plant.name})
        draft = journal.AuditDraft(
            self.clock.now(),
            "",
            self.session.station,
            AuditCategory.CONFIG,
            "config.load",
            "ok",
            detail,
        )
        journal.append_audit(db, draft)

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        if self._loop is None:
            coro.close()
            raise RuntimeError("the runtime is not running")
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def stop(self, timeout: float = 10.0) -> None:
        if self._loop is None or self._thread is None:
            return
        self.history.closing()
        services = (
            self.acquisition,
            self.shift_reports,
            self.alarms,
            self.downtime,
            self.history,
            self.sync,
        )
        for service in services:
            try:
                self.submit(service.stop()).result(timeout)
            except (concurrent.futures.TimeoutError, RuntimeError):
                log.warning("%s did not stop within %.0f s", type(service).__name__, timeout)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        self._loop = None
        self.history.close()
        self.db.close()

    def _main(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        loop.call_soon(ready.set)
        try:
            loop.run_forever()
        finally:
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
