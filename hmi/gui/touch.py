"""Touch input: targets that keep their size, the in-window sheet, the keypad, the badge reader.

Sizes are physical (``theme.TOUCH_MIN_MM``, ``theme.KEY_MM``) converted with
the screen's density. A style sheet's ``min-height`` replaces a widget's
minimum height each time the widget is polished, so ``setMinimumHeight``
alone cannot promise a touch size: ``TouchButton`` and ``TouchField`` ask for
it through their size hint, with a size policy that never shrinks below it.

A ``Sheet`` replaces a desktop dialog: a child of the main window that covers
it with a light scrim and centres a panel. It is not a top-level window, so it
behaves the same framed, frameless, fullscreen and under a kiosk compositor,
no window manager can put it behind the HMI, and the live screen stays
readable around it.

The keypad's keys take no keyboard focus, so the field being typed into (or
the badge reader) keeps it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hmi.gui import theme

_GROW = QSizePolicy.Policy.MinimumExpanding
_KEEP = QSizePolicy.Policy.Minimum


def restyle(widget: QWidget, name: str) -> None:
    """Give ``widget`` the style sheet's rules for ``name`` now (Qt re-reads them on polish)."""
    widget.setObjectName(name)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def say(label: QLabel, text: str, problem: bool = False) -> None:
    """A sheet's line of news: plain, or a problem marked ✕ and in the problem style."""
    marked = problem and text and not text.startswith("✕")
    label.setText(f"✕ {text}" if marked else text)
    restyle(label, "problem" if problem else "")


class TouchButton(QPushButton):
    """A push button at least ``width`` x ``height`` logical pixels (see ``theme.touch_min_px``).

    Signals: those of QPushButton (``clicked`` above all); none of its own.
    """

    def __init__(
        self,
        text: str,
        width: int,
        height: int,
        grow: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(text, parent)
        self._touch = QSize(width, height)
        self.setSizePolicy(_GROW if grow else _KEEP, _KEEP)

    def sizeHint(self) -> QSize:
        return super().sizeHint().expandedTo(self._touch)

    def minimumSizeHint(self) -> QSize:
        return super().minimumSizeHint().expandedTo(self._touch)


class TouchField(QLineEdit):
    """A one-line text field at least ``height`` logical pixels tall.

    Signals: those of QLineEdit; none of its own.
    """

    def __init__(self, height: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._height = height
        self.setSizePolicy(QSizePolicy.Policy.Expanding, _KEEP)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), max(hint.height(), self._height))

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(hint.width(), max(hint.height(), self._height))


# A window property: the height the on-screen keyboard takes at the window's bottom
# while it shows (0 or unset: none). Sheets end above it.
KEYBOARD_HEIGHT_PROPERTY = "keyboardHeight"


def sheet_rect(window: QWidget) -> QRect:
    """Where a sheet goes: the whole window, less the on-screen keyboard while it shows."""
    rect = window.rect()
    keyboard = window.property(KEYBOARD_HEIGHT_PROPERTY)
    if isinstance(keyboard, int) and keyboard > 0:
        rect.setHeight(max(0, rect.height() - keyboard))
    return rect


class Sheet(QWidget):
    """A panel over the window; the window under it ignores taps until it closes.

    Subclasses fill ``body`` and may add buttons to ``head``. Escape closes it.

    Signals:
        closed(): the sheet was closed.
    """

    closed = Signal()

    def __init__(self, window: QWidget, title: str) -> None:
        super().__init__(window)
        self.setObjectName("scrim")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._window = window
        outer = QGridLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        self.panel = QFrame()
        self.panel.setObjectName("sheet")
        outer.addWidget(self.panel, 0, 0, Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self.panel)
        gap = max(12, theme.mm_to_px(theme.TOUCH_GAP_MM))
        layout.setContentsMargins(24, 16, 24, 20)
        layout.setSpacing(gap)
        self.head = QHBoxLayout()
        self.head.setSpacing(gap)
        self.title = QLabel(title)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.head.addWidget(self.title, 1)
        layout.addLayout(self.head)
        self.body = QVBoxLayout()
        self.body.setSpacing(gap)
        layout.addLayout(self.body, 1)
        window.installEventFilter(self)
        self.hide()

    @property
    def is_open(self) -> bool:
        return self.isVisible()

    def open(self) -> None:
        self.setGeometry(sheet_rect(self._window))
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_sheet(self) -> None:
        if self.isVisible():
            self.hide()
            self.closed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() is QEvent.Type.Resize and self.isVisible():
            self.setGeometry(sheet_rect(self._window))
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_sheet()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # a tap beside the panel does nothing, least of all on the screen below


# A badge reader types its id a few milliseconds per character and ends with
# Enter; a person, even a fast one, leaves 80 ms or more between keys.
BADGE_MAX_GAP_S = 0.05
BADGE_MIN_CHARS = 4


ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_CHORD = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def typed_char(event: QKeyEvent) -> str:
    """The printable text a key typed (what a reader or a person types), "" for a chord
    (Ctrl, Alt, Meta), a function key or a non-printable one."""
    text = event.text()
    return text if text and text.isprintable() and not event.modifiers() & _CHORD else ""


class BadgeBurst:
    """Recognises a badge reader: a fast burst of characters that ends in Enter.

    The caller reports each printable key (``char``) and each Enter
    (``enter``). When ``char`` says a new burst starts, the caller remembers
    what its fields held; when ``enter`` returns a badge id, it puts those
    contents back (the burst was not typing) and signs in with the badge.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        max_gap_s: float = BADGE_MAX_GAP_S,
        min_chars: int = BADGE_MIN_CHARS,
    ) -> None:
        self._clock = clock
        self._max_gap = max_gap_s
        self._min_chars = min_chars
        self._chars: list[str] = []
        self._last: float | None = None

    def char(self, text: str) -> bool:
        """A printable key arrived; True when it starts a new burst."""
        now = self._clock()
        starts = self._last is None or now - self._last > self._max_gap
        if starts:
            self._chars = []
        self._chars.append(text)
        self._last = now
        return starts

    def enter(self) -> str | None:
        """Enter arrived: the badge id if it ends a burst, else None (a person pressed it)."""
        now = self._clock()
        fast = self._last is not None and now - self._last <= self._max_gap
        burst = "".join(self._chars) if fast and len(self._chars) >= self._min_chars else None
        self.reset()
        return burst

    def reset(self) -> None:
        self._chars = []
        self._last = None


class Keypad(QWidget):
    """Digits 0-9, Clear, backspace and OK, in keys a gloved finger hits.

    Signals:
        digit_pressed(str): a digit key, "0" to "9".
        clear_pressed(): the Clear key.
        backspace_pressed(): the backspace key.
        ok_pressed(): the OK key.
    """

    digit_pressed = Signal(str)
    clear_pressed = Signal()
    backspace_pressed = Signal()
    ok_pressed = Signal()

    def __init__(self, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        key = max(theme.touch_min_px(), theme.mm_to_px(theme.KEY_MM))
        gap = max(8, theme.mm_to_px(theme.TOUCH_GAP_MM))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(gap)
        self.keys: dict[str, QPushButton] = {}
        for i, digit in enumerate("123456789"):
            grid.addWidget(self._key(digit, digit, key), i // 3, i % 3)
        grid.addWidget(self._key("clear", self.tr("Clear"), key), 3, 0)
        grid.addWidget(self._key("0", "0", key), 3, 1)
        grid.addWidget(self._key("backspace", "⌫", key), 3, 2)
        self.keys["clear"].setStyleSheet("font-size: 14pt;")
        self.keys["backspace"].setAccessibleName(self.tr("Delete the last character"))
        ok = self._key("ok", ok_text, key)
        ok.setObjectName("primary")
        ok.setStyleSheet("font-size: 16pt;")
        grid.addWidget(ok, 4, 0, 1, 3)
        for column in range(3):
            grid.setColumnMinimumWidth(column, round(key * 1.5))
        self.keys["clear"].clicked.connect(self.clear_pressed)
        self.keys["backspace"].clicked.connect(self.backspace_pressed)
        ok.clicked.connect(self.ok_pressed)

    def _key(self, name: str, text: str, size: int) -> QPushButton:
        button = TouchButton(text, size, size, grow=True)
        button.setObjectName("key")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoRepeat(name == "backspace")
        if name.isdigit():
            button.clicked.connect(lambda: self.digit_pressed.emit(name))
        self.keys[name] = button
        return button

    def set_busy(self, busy: bool) -> None:
        """While a sign-in is being checked, the keys do nothing."""
        for button in self.keys.values():
            button.setEnabled(not busy)
