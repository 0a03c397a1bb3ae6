"""The session at this screen, GUI side: kept current, fed with activity, and shown.

The runtime owns the session (``SessionService``); ``ScreenSession`` asks it
for a fresh ``SessionView`` after every change and once a second (the same
call locks the screen when the idle time is up), and reports operator
activity: an application-wide event filter sees every press of a mouse
button, a finger or a key and calls ``touch``, at most once a second. Every
call goes through ``ServiceTasks``, so nothing here blocks the GUI thread or
touches the session from it.

Shown where the operator looks: a banner across the top while nobody may act,
the status bar's indicator always. Locking never hides or dims the plant: the
banner takes one row and every page, value and link state stays as it is
underneath. The banner is a shape (a padlock), a word and a tap target at once.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, QTimer, Signal, SignalInstance
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from hmi.domain.clock import Clock
from hmi.domain.roles import Role
from hmi.gui import theme
from hmi.gui.tasks import CallFailure, ServiceTasks, Submit
from hmi.gui.touch import TouchButton
from hmi.gui.widgets import ElidedLabel
from hmi.services.alarms import AlarmService
from hmi.services.downtime import DowntimeService
from hmi.services.instructions import InstructionService
from hmi.services.interventions import InterventionService
from hmi.services.records import RecordService
from hmi.services.session import SessionService, SessionView
from hmi.services.shift_report import ShiftReportService
from hmi.services.sync import SyncService

if TYPE_CHECKING:
    from hmi.services.runtime import Runtime

POLL_MS = 1000
TOUCH_EVERY_S = 1.0  # activity reaches the runtime at most this often
COUNTDOWN_FROM_S = 60  # the idle countdown shows in the last minute only
NOBODY = SessionView(None, None, None, locked=True, seconds_to_lock=None)
_ACTIVITY = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)


@dataclass(frozen=True, slots=True)
class OperatorServices:
    """What the window needs from the runtime so that operators can sign in and record."""

    submit: Submit
    session: SessionService
    records: RecordService
    clock: Clock
    sync: SyncService | None = None
    alarms: AlarmService | None = None
    downtime: DowntimeService | None = None
    interventions: InterventionService | None = None
    shift_reports: ShiftReportService | None = None
    instructions: InstructionService | None = None

    @classmethod
    def of(cls, runtime: Runtime) -> OperatorServices:
        return cls(
            runtime.submit,
            runtime.session,
            runtime.records,
            runtime.clock,
            runtime.sync,
            runtime.alarms,
            runtime.downtime,
            runtime.interventions,
            runtime.shift_reports,
            runtime.instructions,
        )


class ScreenSession(QObject):
    """Who may act at this screen, as last reported by the runtime.

    Signals:
        changed(SessionView): after a sign-in, unlock, take-over, lock or
            sign-out, and after each once-a-second poll (the idle countdown).
        sign_in_requested(): someone asked to sign in, unlock or take over.
        problem(str): a session call failed; the message for the screen.
    """

    changed = Signal(object)
    sign_in_requested = Signal()
    problem = Signal(str)

    def __init__(
        self,
        tasks: ServiceTasks,
        service: SessionService,
        monotonic: Callable[[], float],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self._service = service
        self._monotonic = monotonic
        self.view: SessionView = NOBODY
        self._last_touch: float | None = None
        self._polling = False
        self._watching = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._timer.start()
        self.poll()

    def stop(self) -> None:
        self._timer.stop()
        self._watch_activity(False)

    def _watch_activity(self, on: bool) -> None:
        """The application-wide filter costs a call into Python per event: only while it
        matters, when someone is signed in and the idle clock runs."""
        app = QCoreApplication.instance()
        if app is None or on == self._watching:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching = on

    def request_sign_in(self) -> None:
        self.sign_in_requested.emit()

    # -- calls -------------------------------------------------------------------

    def poll(self) -> None:
        """Lock if the idle time is up, then show the session as it is (once a second)."""
        if self._polling:
            return  # the runtime is busy: one poll waiting is enough
        self._polling = True
        self.tasks.run(self._poll(), self._polled, self._poll_failed, what="session.poll")

    def sign_in(
        self,
        user_id: str,
        secret: str,
        done: Callable[[str], object],
        failed: Callable[[CallFailure], object],
    ) -> None:
        """``done`` gets "" on success, else the one refusal message; never which part was wrong."""
        self._answer(self._service.sign_in(user_id, secret), done, failed, "session.sign_in")

    def sign_in_badge(
        self, badge: str, done: Callable[[str], object], failed: Callable[[CallFailure], object]
    ) -> None:
        self._answer(self._service.sign_in_badge(badge), done, failed, "session.sign_in_badge")

    def lock(self) -> None:
        call = self._then_view(self._service.lock())
        self.tasks.run(call, self._show, self._failed, what="session.lock")

    def sign_out(self) -> None:
        call = self._then_view(self._service.sign_out())
        self.tasks.run(call, self._show, self._failed, what="session.sign_out")

    def activity(self) -> None:
        """The operator pressed something: restart the idle clock (at most once a second)."""
        now = self._monotonic()
        if self._last_touch is not None and now - self._last_touch < TOUCH_EVERY_S:
            return
        self._last_touch = now
        self.tasks.run(self._touch(), None, self._failed, what="session.touch")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self.activity()
        return False

    # -- on the runtime thread -----------------------------------------------------

    async def _poll(self) -> SessionView:
        await self._service.lock_if_idle()
        return self._service.view()

    async def _touch(self) -> None:
        self._service.touch()

    async def _then_view(self, call: Coroutine[Any, Any, object]) -> SessionView:
        await call
        return self._service.view()

    async def _with_view(self, call: Coroutine[Any, Any, str]) -> tuple[str, SessionView]:
        message = await call
        return message, self._service.view()

    # -- back on the GUI thread ----------------------------------------------------

    def _answer(
        self,
        call: Coroutine[Any, Any, str],
        done: Callable[[str], object],
        failed: Callable[[CallFailure], object],
        what: str,
    ) -> None:
        def answered(outcome: tuple[str, SessionView]) -> None:
            message, view = outcome
            self._show(view)
            done(message)

        def refused(failure: CallFailure) -> None:
            self._failed(failure)
            failed(failure)

        self.tasks.run(self._with_view(call), answered, refused, what=what)

    def _polled(self, view: SessionView) -> None:
        self._polling = False
        self._show(view)

    def _poll_failed(self, failure: CallFailure) -> None:
        self._polling = False
        self.problem.emit(failure.message)  # the next poll, in a second, tries again

    def _failed(self, failure: CallFailure) -> None:
        self.problem.emit(failure.message)
        self.poll()  # whatever happened, show the session as it now is

    def _show(self, view: SessionView) -> None:
        self.view = view
        self._watch_activity(view.user_id is not None and not view.locked)
        self.changed.emit(view)


def role_name(role: Role) -> str:
    names = {
        Role.OPERATOR: QCoreApplication.translate("Role", "Operator"),
        Role.LEAD: QCoreApplication.translate("Role", "Lead"),
        Role.MAINTENANCE: QCoreApplication.translate("Role", "Maintenance"),
        Role.ENGINEER: QCoreApplication.translate("Role", "Engineer"),
        Role.ADMIN: QCoreApplication.translate("Role", "Admin"),
    }
    return names[role]


def may_act(view: SessionView) -> bool:
    return view.user_id is not None and not view.locked


class LockBanner(TouchButton):
    """Across the top of the window while nobody may act; a tap opens the sign-in.

    Signals:
        clicked(): inherited; the operator tapped the banner.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        height = theme.touch_min_px() + 8
        super().__init__("", height, height, grow=True, parent=parent)
        self.setObjectName("lockBanner")
        icon = round(height * 0.6)
        self.setIcon(QIcon(theme.padlock(icon, "#ffffff")))
        self.setIconSize(QSize(icon, icon))
        self.show_view(NOBODY)

    def show_view(self, view: SessionView) -> None:
        if may_act(view):
            self.hide()
            return
        if view.user_id is not None:
            text = self.tr("Locked — tap to sign in")
        else:
            text = self.tr("Nobody signed in — tap to sign in")
        self.setText(f" {text}")  # a space between the padlock and the words
        self.setAccessibleDescription(
            self.tr("Live values keep updating; actions need a signed-in user.")
        )
        self.show()


class SessionIndicator(QWidget):
    """The status bar's session: name and role, the idle countdown, Lock and Sign out.

    Signing in, unlocking and taking over start from the banner, which is
    there whenever nobody may act; the status bar keeps its room for the
    sources' links.

    Signals:
        lock_requested(): the Lock button.
        sign_out_requested(): the Sign out button.
    """

    lock_requested = Signal()
    sign_out_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(max(8, theme.mm_to_px(theme.TOUCH_GAP_MM)))
        self.who = QLabel()
        self.who.setFont(theme.font(theme.BASE_PT, bold=True))
        self.countdown = QLabel()
        self.countdown.setObjectName("countdown")
        self.problem = ElidedLabel()
        self.problem.setObjectName("problem")
        self.problem.setFixedWidth(320)
        self.lock_button = self._button(self.tr("Lock"), self.lock_requested, 1.8)
        self.lock_button.setIcon(QIcon(theme.padlock(22, theme.TEXT)))
        self.sign_out_button = self._button(self.tr("Sign out"), self.sign_out_requested, 2.2)
        for widget in (self.problem, self.who, self.countdown):
            layout.addWidget(widget)
        for button in (self.lock_button, self.sign_out_button):
            layout.addWidget(button)
        self.problem.hide()
        self.view = NOBODY
        self.show_view(NOBODY)

    def _button(self, text: str, signal: SignalInstance, width: float) -> QPushButton:
        touch = theme.touch_min_px()
        button = TouchButton(text, round(touch * width), touch)
        button.clicked.connect(signal)
        return button

    def show_view(self, view: SessionView) -> None:
        if (view.user_id, view.locked) != (self.view.user_id, self.view.locked):
            self.problem.hide()  # a new state: an old problem no longer applies
        self.view = view
        acting = may_act(view)
        if view.user_id is None or view.role is None:
            self.who.setText(self.tr("Not signed in"))
        elif view.locked:  # short: the banner says the rest, the sources keep their room
            self.who.setText(self.tr("Locked: %1").replace("%1", view.user_name or view.user_id))
        else:
            name = view.user_name or view.user_id
            self.who.setText(
                self.tr("%1 · %2").replace("%1", name).replace("%2", role_name(view.role))
            )
        remaining = view.seconds_to_lock
        if acting and remaining is not None and remaining <= COUNTDOWN_FROM_S:
            self.countdown.setText(self.tr("Locks in %n s", "", max(0, round(remaining))))
            self.countdown.show()
        else:
            self.countdown.hide()
        self.lock_button.setVisible(acting)
        self.sign_out_button.setVisible(acting)

    def show_problem(self, message: str) -> None:
        self.problem.setText(f"✕ {message}")
        self.problem.setToolTip(message)
        self.problem.show()
