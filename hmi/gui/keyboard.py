"""An on-screen keyboard for every entry field, at the station and in the kiosk.

It follows the focus: when a text or date field gets it, the keyboard rises
at the bottom of the window and the open sheet shrinks above it so the field
stays in view; when the focus leaves for anything that is not a field, it
goes. Fields with a keypad of their own (a PIN, a setpoint) carry the
property ``keypad`` and are left alone. Keys never take the focus: each one
sends its key to the field as a real key press, so validators, Enter and
the fields' own handlers work as with a hardware keyboard (or a scanner).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFrame,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from hmi.gui import theme
from hmi.gui.touch import KEYBOARD_HEIGHT_PROPERTY, Sheet, sheet_rect

ROWS = ("1234567890", "qwertyuiop", "asdfghjkl-", "zxcvbnm.,/")
KEYPAD_PROPERTY = "keypad"  # a field with its own keypad: no keyboard for it


def has_own_keypad(widget: QWidget) -> bool:
    return bool(widget.property(KEYPAD_PROPERTY))


def wants_keyboard(widget: QWidget | None) -> bool:
    """A field that takes typed text and has no keypad of its own."""
    if widget is None or has_own_keypad(widget):
        return False
    if isinstance(widget, QLineEdit):
        parent = widget.parent()
        if isinstance(parent, QAbstractSpinBox):
            return not has_own_keypad(parent)
        return not widget.isReadOnly()
    return isinstance(widget, QAbstractSpinBox)


class ScreenKeyboard(QFrame):
    """Letters, digits, shift, space, backspace, Enter and Hide at the window's bottom."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("keyboard")
        touch = theme.touch_min_px()
        # The theme's button height is a floor for desktop-size buttons; keys are touch-size.
        self.setStyleSheet(
            "QFrame#keyboard { background: #bdbdbd; border-top: 2px solid #8a8a8a; }"
            f" QPushButton#kbkey {{ min-height: {touch}px; font-size: 16pt; padding: 0; }}"
        )
        self._window = window
        self.target: QWidget | None = None
        self.shifted = False
        gap = max(6, theme.mm_to_px(theme.TOUCH_GAP_MM))
        grid = QGridLayout(self)
        grid.setContentsMargins(gap, gap, gap, gap)
        grid.setSpacing(gap)
        self.keys: dict[str, QPushButton] = {}
        for r, row in enumerate(ROWS):
            for c, char in enumerate(row):
                self._key(grid, char, char, r, c, touch)
        last = len(ROWS)
        self.shift = self._key(grid, "shift", "⇧", last, 0, touch, span=2)
        self.shift.setCheckable(True)
        self._key(grid, "space", self.tr("Space"), last, 2, touch, span=4)
        self._key(grid, "backspace", "⌫", last, 6, touch, span=1)
        self._key(grid, "enter", self.tr("Enter ↵"), last, 7, touch, span=2)
        self._key(grid, "hide", self.tr("▾ Hide"), last, 9, touch, span=1)
        self.hide()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)
        window.installEventFilter(self)

    def _key(
        self, grid: QGridLayout, name: str, text: str, row: int, col: int, size: int, span: int = 1
    ) -> QPushButton:
        key = QPushButton(text)
        key.setObjectName("kbkey")
        key.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the focus
        key.setMinimumSize(size, size)
        key.setAutoRepeat(name == "backspace")
        key.clicked.connect(lambda _c=False, n=name: self.press(n))
        grid.addWidget(key, row, col, 1, span)
        self.keys[name] = key
        return key

    # -- following the focus --------------------------------------------------------

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.isAncestorOf(new):
            return
        if wants_keyboard(new) and new is not None and self._window.isAncestorOf(new):
            self.show_for(new)
        elif self.isVisible():
            self.hide_keyboard()

    def show_for(self, field: QWidget) -> None:
        self.target = field
        self._place()
        self.show()
        self.raise_()

    def hide_keyboard(self) -> None:
        self.target = None
        self.hide()
        self._fit_sheets(0)

    def _place(self) -> None:
        rect = self._window.rect()
        height = max(self.sizeHint().height(), self.minimumSizeHint().height())
        self.setGeometry(0, rect.height() - height, rect.width(), height)
        self._fit_sheets(height)

    def _fit_sheets(self, height: int) -> None:
        """Open sheets end above the keyboard, so the field being typed in stays in view.

        The height is also left on the window: a sheet that opens or refits itself
        later (after a resize, whichever of us hears of it first) ends there too.
        """
        self._window.setProperty(KEYBOARD_HEIGHT_PROPERTY, height)
        area = sheet_rect(self._window)
        for sheet in self._window.findChildren(Sheet):
            if sheet.isVisible():
                sheet.setGeometry(area)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() is QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    # -- typing ---------------------------------------------------------------------

    def press(self, name: str) -> None:
        """Send the key to the field that has the focus, as a press and a release."""
        if name == "hide":
            self.hide_keyboard()
            return
        if name == "shift":
            self.shifted = self.shift.isChecked()
            for char in "".join(ROWS):
                if char.isalpha():
                    self.keys[char].setText(char.upper() if self.shifted else char)
            return
        target = QApplication.focusWidget() or self.target
        if target is None:
            return
        key, text = self._event_of(name)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
            )
        if self.shifted and len(name) == 1:
            self.shift.setChecked(False)
            self.press("shift")

    def _event_of(self, name: str) -> tuple[int, str]:
        special = {
            "space": (Qt.Key.Key_Space, " "),
            "backspace": (Qt.Key.Key_Backspace, ""),
            "enter": (Qt.Key.Key_Return, "\r"),
        }
        if name in special:
            key, text = special[name]
            return int(key.value), text
        text = name.upper() if self.shifted else name
        return ord(name.upper()), text
