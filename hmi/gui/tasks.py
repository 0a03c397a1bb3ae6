"""The one way the GUI calls a service: a coroutine on the runtime, its outcome on the GUI thread.

A call never blocks the GUI thread. The coroutine runs on the runtime's loop;
its future completes there, and a queued Qt signal carries it back, so the
caller's ``done`` or ``failed`` always runs on the GUI thread, and always after
``run`` has returned (never inside it). An environment error (a refused
action, a cache that cannot write, a stopped runtime) comes back as a message
for the screen; any other exception is a bug: it is logged, the caller hears
that the call failed, and it is raised again on the GUI thread.
"""

from __future__ import annotations

import concurrent.futures
import functools
import itertools
import logging
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from hmi.adapters.link import BrowseFailedError
from hmi.domain.alarms import AlarmActionError
from hmi.domain.downtime import DowntimeActionError
from hmi.domain.instruction_run import InstructionError
from hmi.domain.records import RecordRejectedError
from hmi.domain.roles import PermissionDeniedError
from hmi.services.session import SignatureRefusedError
from hmi.storage.database import StorageError

log = logging.getLogger(__name__)
T = TypeVar("T")
Submit = Callable[[Coroutine[Any, Any, Any]], "concurrent.futures.Future[Any]"]


class RuntimeUnavailableError(Exception):
    """The runtime is not running: stopped, or never started."""


@dataclass(frozen=True, slots=True)
class CallFailure:
    """Why a call did not succeed: ``message`` is for the screen (translated)."""

    message: str
    error: BaseException


def failure_message(error: BaseException) -> str | None:
    """The operator's words for an environment error; None for a bug."""
    if isinstance(error, PermissionDeniedError):
        if error.role is None:
            return QCoreApplication.translate(
                "Tasks",
                "Refused: the screen is locked or nobody is signed in. Sign in, then try again.",
            )
        return QCoreApplication.translate(
            "Tasks", "Refused: your role may not do this. Ask your lead."
        )
    if isinstance(error, StorageError | RecordRejectedError):
        return QCoreApplication.translate("Tasks", "Not saved: %1").replace("%1", str(error))
    done = AlarmActionError | DowntimeActionError | InstructionError | BrowseFailedError
    if isinstance(error, done):
        return QCoreApplication.translate("Tasks", "Not done: %1").replace("%1", str(error))
    if isinstance(error, SignatureRefusedError):
        return QCoreApplication.translate("Tasks", "Not signed: the PIN did not match.")
    if isinstance(error, RuntimeUnavailableError):
        return QCoreApplication.translate("Tasks", "Not done: the runtime is not running.")
    if isinstance(error, concurrent.futures.CancelledError):
        return QCoreApplication.translate("Tasks", "Not done: the call was cancelled.")
    return None


@dataclass(slots=True)
class _Call:
    what: str
    done: Callable[[Any], object] | None
    failed: Callable[[CallFailure], object] | None


class _Relay:
    """Forwards finished futures from the runtime thread until the GUI side closes.

    A plain object, not a QObject: the runtime thread may hold it after the
    window is gone, and then it must do nothing rather than touch a deleted
    Qt object.
    """

    def __init__(self, emit: Callable[[object, object], None]) -> None:
        self._emit = emit
        self._lock = threading.Lock()
        self._open = True

    def finished(self, call_id: int, future: concurrent.futures.Future[Any]) -> None:
        with self._lock:
            if self._open:
                self._emit(call_id, future)

    def close(self) -> None:
        with self._lock:
            self._open = False


class ServiceTasks(QObject):
    """Runs service coroutines on the runtime and delivers their outcome on the GUI thread.

    Signals:
        pending_changed(int): how many calls are waiting for the runtime (0: none).
        call_failed(str): a call without a ``failed`` handler failed; the message
            for the screen.
    """

    pending_changed = Signal(int)
    call_failed = Signal(str)
    _delivered = Signal(object, object)  # (call id, future), queued from the runtime thread

    def __init__(self, submit: Submit, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        self._ids = itertools.count(1)
        self._calls: dict[int, _Call] = {}
        # Queued even when emitted on the GUI thread: callbacks never run inside run().
        self._delivered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._relay = _Relay(self._delivered.emit)

    @property
    def pending(self) -> int:
        return len(self._calls)

    def pending_calls(self) -> list[str]:
        """What each waiting call is for, oldest first (for the log and for tests)."""
        return [call.what for call in self._calls.values()]

    def run(
        self,
        coro: Coroutine[Any, Any, T],
        done: Callable[[T], object] | None = None,
        failed: Callable[[CallFailure], object] | None = None,
        what: str = "",
    ) -> int:
        """Start ``coro`` on the runtime; returns the call's id. Never blocks."""
        call_id = next(self._ids)
        self._calls[call_id] = _Call(what or getattr(coro, "__qualname__", "call"), done, failed)
        future: concurrent.futures.Future[Any]
        try:
            future = self._submit(coro)
        except RuntimeError as exc:  # Runtime.submit: "the runtime is not running"
            coro.close()
            future = concurrent.futures.Future()
            future.set_exception(RuntimeUnavailableError(str(exc)))
        self.pending_changed.emit(len(self._calls))
        future.add_done_callback(functools.partial(self._relay.finished, call_id))
        return call_id

    def close(self) -> None:
        """Deliver nothing more (the window is closing); calls under way still finish."""
        self._relay.close()
        self._calls.clear()

    def _deliver(self, call_id: object, future: object) -> None:
        assert isinstance(call_id, int) and isinstance(future, concurrent.futures.Future)
        call = self._calls.pop(call_id, None)
        if call is None:
            return  # closed meanwhile
        self.pending_changed.emit(len(self._calls))
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - sorted in _fail: a bug is raised again
            self._fail(call, exc)
            return
        if call.done is not None:
            call.done(result)

    def _fail(self, call: _Call, error: BaseException) -> None:
        message = failure_message(error)
        bug = message is None
        if message is None:
            log.error("%s failed", call.what, exc_info=error)
            message = self.tr("Not done: an internal error (details in the log).")
        else:
            log.info("%s: %s", call.what, error)
        if call.failed is not None:
            call.failed(CallFailure(message, error))
        else:
            self.call_failed.emit(message)
        if bug:
            raise error
