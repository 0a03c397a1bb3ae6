"""The local cache: one SQLite file, WAL, synchronous=FULL, one writer thread.

Every write goes through ``Database.submit``, which runs it on the writer
thread, the only one that writes; readers open their own connections (WAL
lets them read while the writer writes). The schema version lives in
``PRAGMA user_version`` and moves forward only, one migration at a time.
Errors from the environment (disk full, file not writable, a file from a
newer version) are ``StorageError`` with a message for the operator.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import queue
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from hmi.storage.schema import MIGRATIONS

log = logging.getLogger(__name__)
T = TypeVar("T")
Job = Callable[[sqlite_utils.Database], object]


def default_cache_path() -> Path:
    """The platform data directory: $XDG_DATA_HOME/floorline/cache.sqlite on Linux."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "floorline" / "cache.sqlite"


class StorageError(Exception):
    """The cache cannot be used: the message says why and what to do."""


def connect(path: Path, synchronous: str = "FULL") -> sqlite_utils.Database:
    """A connection with the durability settings every connection must have."""
    try:
        conn = sqlite3.connect(str(path), timeout=10.0, check_same_thread=True)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA synchronous={synchronous}")
        db.execute("PRAGMA foreign_keys=ON")
    except sqlite3.Error as exc:
        raise StorageError(f"cannot open the cache {path}: {exc}") from exc
    return db


def migrate(db: sqlite_utils.Database, migrations: list[list[str]] = MIGRATIONS) -> int:
    """Bring the schema up to date; refuses a file written by a newer version."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    latest = len(migrations)
    if version > latest:
        raise StorageError(
            f"the cache has schema version {version}, newer than this program's {latest};"
            " run the newer version or point the plant file at another cache"
        )
    for target in range(version + 1, latest + 1):
        with db.atomic():
            for statement in migrations[target - 1]:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {target}")
        log.info("cache schema migrated to version %d", target)
    return latest


class Database:
    """Owns the writer thread. ``submit`` returns a future resolved after the commit.

    The cache of records uses the defaults. The tag history is a file of its
    own (``synchronous=NORMAL``: a power cut may cost its last second, never a
    record), so that its volume never delays a record's commit.
    """

    def __init__(
        self,
        path: Path,
        migrations: list[list[str]] = MIGRATIONS,
        synchronous: str = "FULL",
        name: str = "hmi-sqlite-writer",
    ) -> None:
        self.path = path
        self._migrations = migrations
        self._synchronous = synchronous
        self._name = name
        self._jobs: queue.Queue[tuple[Job, concurrent.futures.Future[object]] | None] = (
            queue.Queue()
        )
        self._thread: threading.Thread | None = None
        self._local = threading.local()

    def start(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the folder of the cache {self.path}: {exc}") from exc
        db = connect(self.path, self._synchronous)
        try:
            migrate(db, self._migrations)
        finally:
            db.close()
        started: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(
            target=self._run, args=(started,), name=self._name, daemon=True
        )
        self._thread.start()
        started.result(timeout=30)

    def submit(self, job: Callable[[sqlite_utils.Database], T]) -> concurrent.futures.Future[T]:
        """Run ``job`` on the writer thread; its result (or error) arrives in the future."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        if self._thread is None:
            future.set_exception(StorageError("the cache is not open"))
            return future
        self._jobs.put((job, future))  # type: ignore[arg-type]
        return future

    def read(self, job: Callable[[sqlite_utils.Database], T]) -> T:
        """Run a read-only ``job`` on this thread's own connection."""
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path, self._synchronous)
            self._local.db = db
        return job(db)

    def close(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(timeout)
            self._thread = None
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    def _run(self, started: concurrent.futures.Future[None]) -> None:
        try:
            db = connect(self.path, self._synchronous)
        except StorageError as exc:
            started.set_exception(exc)
            return
        started.set_result(None)
        try:
            while (item := self._jobs.get()) is not None:
                job, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    result = job(db)
                    # A bare statement outside ``atomic()`` leaves Python's implicit
                    # transaction open; every later ``atomic()`` would then nest in it
                    # as a savepoint and nothing would reach the disk. Each job ends
                    # committed, as ``submit`` promises.
                    if db.conn.in_transaction:
                        db.conn.commit()
                    future.set_result(result)
                except sqlite3.Error as exc:
                    if db.conn.in_transaction:
                        db.conn.rollback()
                    future.set_exception(StorageError(f"the cache refused a write: {exc}"))
                except Exception as exc:  # noqa: BLE001 - a bug in a job goes to its caller
                    if db.conn.in_transaction:
                        db.conn.rollback()
                    future.set_exception(exc)
        finally:
            db.close()
