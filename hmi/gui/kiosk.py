"""Kiosk mode: the window stays on screen until an administrator's PIN ends it.

The guard filters the input of the window (at its native window, before any
widget sees it, and nothing else: no paint or timer event calls into Python
for it). It swallows the keys that
would leave the program (Alt+F4, Ctrl+Q, Ctrl+W, F11) and puts the window
back to fullscreen if anything minimises it or takes it out of fullscreen.
The window refuses every close request unless the guard allows it, which it
does only after an administrator signs with their PIN on the exit sheet.
That sheet opens when somebody presses and holds the plant's name for a few
seconds.

After ``dim_after_s`` without input a dark layer covers the screen. The
touch, click or key that wakes the screen is swallowed, together with its
release, so waking a dim screen never presses a button.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QWidget,
)

from hmi.domain.kiosk import KioskSettings
from hmi.domain.roles import Role
from hmi.gui import theme
from hmi.gui.tasks import CallFailure, ServiceTasks
from hmi.gui.touch import Sheet, TouchButton, TouchField
from hmi.services.session import SessionService

CHECK_MS = 1000
EXIT_ROLES = frozenset({Role.ADMIN})

_PRESS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
    QEvent.Type.TabletPress,
}
_RELEASE = {
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.TouchEnd,
    QEvent.Type.KeyRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TouchCancel,
}


def _escape_key(event: QKeyEvent) -> bool:
    """A key that would leave or hide the program."""
    key, mods = event.key(), event.modifiers()
    alt = bool(mods & Qt.KeyboardModifier.AltModifier)
    ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
    return (
        (alt and key in (Qt.Key.Key_F4, Qt.Key.Key_Tab))
        or (ctrl and key in (Qt.Key.Key_Q, Qt.Key.Key_W))
        or key in (Qt.Key.Key_F11, Qt.Key.Key_Meta, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R)
    )


class DimLayer(QWidget):
    """A dark layer over the whole window; it only paints, the guard handles the touch."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.hide()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        painter.setPen(Qt.GlobalColor.gray)
        painter.setFont(theme.font(theme.BASE_PT + 4))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Touch to wake"))


class ExitSheet(Sheet):
    """An administrator's user and PIN: the only way out of kiosk mode.

    Signals:
        confirmed(): an administrator signed; the window may close.
    """

    confirmed = Signal()

    def __init__(self, window: QWidget, session: SessionService, tasks: ServiceTasks) -> None:
        super().__init__(window, self.tr("Leave kiosk mode"))
        self._session = session
        self._tasks = tasks
        touch = theme.touch_min_px()
        self.panel.setFixedWidth(touch * 12)
        self.user = TouchField(touch)
        self.user.setPlaceholderText(self.tr("Administrator"))
        self.pin = TouchField(touch)
        self.pin.setPlaceholderText(self.tr("PIN"))
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.returnPressed.connect(self.leave)
        self.words = QLabel(self.tr("Only an administrator can close Floorline here."))
        self.words.setWordWrap(True)
        self.body.addWidget(self.words)
        self.body.addWidget(self.user)
        self.body.addWidget(self.pin)
        row = QHBoxLayout()
        self.back = TouchButton(self.tr("Back"), touch * 3, round(touch * 1.2))
        self.exit_button = TouchButton(self.tr("Close Floorline"), touch * 4, round(touch * 1.4))
        self.exit_button.setProperty(theme.CONSEQUENCE, True)  # the line's screen goes dark
        self.exit_button.setObjectName("primary")
        self.back.clicked.connect(self.close_sheet)
        self.exit_button.clicked.connect(self.leave)
        row.addWidget(self.back)
        row.addStretch(1)
        row.addWidget(self.exit_button)
        self.body.addLayout(row)
        self.busy = False

    def open(self) -> None:
        self.user.clear()
        self.pin.clear()
        self.words.setText(self.tr("Only an administrator can close Floorline here."))
        super().open()
        self.user.setFocus(Qt.FocusReason.OtherFocusReason)

    def leave(self) -> None:
        user, pin = self.user.text().strip(), self.pin.text()
        self.pin.clear()
        if self.busy or not user or not pin:
            return
        self.busy = True
        call = self._session.confirm(user, pin, "leave kiosk mode")
        self._tasks.run(call, self._signed, self._refused, what="kiosk.exit")

    def _signed(self, user: object) -> None:
        self.busy = False
        role = getattr(user, "role", None)
        if role not in EXIT_ROLES:
            self.words.setText(self.tr("✕ Refused: only an administrator can close Floorline."))
            return
        self.close_sheet()
        self.confirmed.emit()

    def _refused(self, failure: CallFailure) -> None:
        self.busy = False
        self.words.setText(f"✕ {failure.message}")


class KioskGuard(QObject):
    """Keeps ``window`` fullscreen and open; dims it when idle; lets an admin end it."""

    def __init__(
        self,
        window: QMainWindow,
        settings: KioskSettings,
        session: SessionService,
        tasks: ServiceTasks,
        hold_target: QWidget | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self._monotonic = monotonic
        self.may_close = False
        self.dimmed = False
        self._swallow_release = False
        self._last_input = monotonic()
        self.dim = DimLayer(window)
        self.exit_sheet = ExitSheet(window, session, tasks)
        self.exit_sheet.confirmed.connect(self._leave)
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.setInterval(round(settings.hold_to_exit_s * 1000))
        self._hold.timeout.connect(self.exit_sheet.open)
        self.hold_target = hold_target
        if hold_target is not None:
            hold_target.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check_idle)
        window.setWindowFlags(
            window.windowFlags()
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        # Input passes through the window's native window before any widget gets it: a
        # filter there sees every touch, click and key of the screen, and none of the
        # paint and timer events an application-wide filter would call Python for.
        window.winId()  # the native window, made now with the kiosk's flags
        handle = window.windowHandle()
        assert handle is not None
        handle.installEventFilter(self)
        window.installEventFilter(self)  # its state changes (minimised, fullscreen left)
        if settings.hide_cursor:
            QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)
        self._timer.start()

    def show(self) -> None:
        self.window.showFullScreen()

    def check_idle(self) -> None:
        """Dim once nobody has touched the screen for ``dim_after_s``; stay fullscreen.

        A resize that Qt makes itself (a new layout's minimum after a change of
        language) leaves fullscreen without a state-change event: checked here too.
        """
        if not self.may_close and not self.window.isFullScreen():
            self.window.showFullScreen()
        after = self.settings.dim_after_s
        if after > 0 and not self.dimmed and self._monotonic() - self._last_input >= after:
            self.dimmed = True
            self.dim.setGeometry(self.window.rect())
            self.dim.show()
            self.dim.raise_()

    def _wake(self) -> None:
        self.dimmed = False
        self.dim.hide()

    def _leave(self) -> None:
        self.may_close = True
        self._timer.stop()
        if self.settings.hide_cursor:
            QApplication.restoreOverrideCursor()
        self.window.close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.hold_target:
            if kind is QEvent.Type.MouseButtonPress:
                self._hold.start()
            elif kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.Leave):
                self._hold.stop()
        if kind in _PRESS:
            self._last_input = self._monotonic()
            if self.dimmed:
                self._wake()
                self._swallow_release = kind in (
                    QEvent.Type.MouseButtonPress,
                    QEvent.Type.TouchBegin,
                    QEvent.Type.TabletPress,
                )
                return True
        if kind in _RELEASE and self._swallow_release:
            if kind in (
                QEvent.Type.MouseButtonRelease,
                QEvent.Type.TouchEnd,
                QEvent.Type.TouchCancel,
            ):
                self._swallow_release = False
            return True
        keys = (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
        if kind in keys and isinstance(event, QKeyEvent) and _escape_key(event):
            event.accept()
            return True
        if kind is QEvent.Type.WindowStateChange and watched is self.window and not self.may_close:
            window = self.window
            if not window.isFullScreen() or window.isMinimized():
                QTimer.singleShot(0, window.showFullScreen)
        return False
