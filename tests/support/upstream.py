"""The far end of record sync for tests: a broker that keeps sessions, plants and users.

``RecordsBroker`` is a private Mosquitto with persistence (so a subscriber's
session and queue survive a kill once saved), room for a million queued
messages per client (Mosquitto's default of 1,000 would drop a receiver's
backlog), and an optional ACL file that can be changed and reloaded (SIGHUP).
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from hmi.domain.plant import (
    HttpUpstream,
    MqttUpstream,
    PlantDef,
    StationDef,
    StorageSettings,
    SyncSettings,
)
from hmi.domain.roles import Role
from hmi.domain.users import SignInPolicy, UserDef, hash_secret
from tests.support.mosquitto import MosquittoBroker
from tests.support.wait import wait_until

PINS = {"olga": "1111", "leo": "2222", "erin": "4444"}
STATIONS = ("filler", "capper")


def sample_users() -> tuple[UserDef, ...]:
    """An operator, a lead and an engineer; cheap hashes (n=2**10) to keep tests quick."""
    roles = {"olga": Role.OPERATOR, "leo": Role.LEAD, "erin": Role.ENGINEER}
    return tuple(
        UserDef(uid, uid.title(), roles[uid], hash_secret(PINS[uid], n=2**10)) for uid in PINS
    )


def records_plant(
    upstream: MqttUpstream | HttpUpstream | None,
    *,
    batch_size: int = 200,
    quarantine_after: int = 3,
    retry_min_s: float = 0.05,
    retry_max_s: float = 1.0,
    ack_timeout_s: float = 5.0,
    storage: StorageSettings | None = None,
) -> PlantDef:
    return PlantDef(
        name="records test",
        sources=(),
        tags=(),
        stations=tuple(StationDef(s, s.title(), ()) for s in STATIONS),
        users=sample_users(),
        sign_in=SignInPolicy(idle_lock_s=0),
        storage=storage or StorageSettings(),
        sync=SyncSettings(
            upstream=upstream,
            batch_size=batch_size,
            retry_min_s=retry_min_s,
            retry_max_s=retry_max_s,
            quarantine_after=quarantine_after,
            ack_timeout_s=ack_timeout_s,
        ),
    )


class RecordsBroker(MosquittoBroker):
    """Mosquitto with persistence, unlimited queues and an optional, reloadable ACL."""

    def __init__(self, workdir: Path, acl: str | None = None) -> None:
        super().__init__(workdir)
        self.workdir = workdir
        self.store = workdir / "mosquitto.db"
        self.acl_file = workdir / "acl"
        self.log = workdir / "mosquitto.log"
        dropped = ("persistence false", "log_dest none")
        lines = [line for line in self.config.read_text().splitlines() if line not in dropped]
        lines += [
            "persistence true",
            f"persistence_location {workdir}/",
            "autosave_interval 3600",
            f"log_dest file {self.log}",
            *("log_type error", "log_type warning", "log_type notice", "log_type information"),
            # Not 0 ("no limit"): Mosquitto 2.0.11 then drops the connection after a denied
            # PUBLISH (eclipse-mosquitto/mosquitto#3244, fixed in 2.0.22).
            "max_queued_messages 1000000",
        ]
        if acl is not None:
            self.acl_file.write_text(acl)
            lines.append(f"acl_file {self.acl_file}")
        self.config.write_text("\n".join(lines) + "\n")

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    def save(self, timeout: float = 10.0) -> None:
        """Write sessions and queues to disk now (SIGUSR1), as a broker does from time to time."""
        before = self.store.stat().st_mtime_ns if self.store.exists() else 0
        os.kill(self.pid, signal.SIGUSR1)
        wait_until(
            lambda: self.store.exists() and self.store.stat().st_mtime_ns != before,
            timeout,
            "mosquitto to save its persistence file",
        )

    def reload_acl(self, acl: str, timeout: float = 10.0) -> None:
        """A new ACL, in force when this returns (the broker handles one thing at a time)."""
        reloads = self._reloads()
        self.acl_file.write_text(acl)
        os.kill(self.pid, signal.SIGHUP)
        wait_until(lambda: self._reloads() > reloads, timeout, "mosquitto to reload its ACL")

    def _reloads(self) -> int:
        text = self.log.read_text() if self.log.exists() else ""
        return text.count("Reloading config.")
