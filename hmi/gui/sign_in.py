"""The sign-in sheet: sign in, unlock, or take over the screen from a locked session.

Touch first: tap your name (or type your user id), then the PIN on the keypad.
Every refusal reads the same ("Sign-in refused. ..."): the screen never says
whether a user exists, whether the PIN was wrong or the account is locked out.

Badge reader. A badge reader is a keyboard that types the badge id and Enter
in one fast burst. The sheet watches every key press it receives, whichever
of its fields has the keyboard focus (or none), and a burst of at least
``touch.BADGE_MIN_CHARS`` characters with under ``touch.BADGE_MAX_GAP_S``
between them, ended by Enter, is a badge: the fields get back what they held before the
burst and the badge id goes to ``sign_in_badge``. Chosen over a dedicated
badge field with the focus because a tap into the user or PIN field would
take that focus away, and a badge read would then land in the wrong field.
A person typing (slower) and pressing Enter signs in with user id and PIN.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hmi.domain.users import UserDef
from hmi.gui import theme
from hmi.gui.session_control import ScreenSession, role_name
from hmi.gui.tasks import CallFailure
from hmi.gui.touch import (
    ENTER_KEYS,
    BadgeBurst,
    Keypad,
    Sheet,
    TouchButton,
    TouchField,
    say,
    typed_char,
)

TILE_COLUMNS = 2


class SignInSheet(Sheet):
    """Names to tap, user id and PIN fields, a keypad; a badge read signs in at any moment.

    Signals:
        signed_in(): a sign-in, unlock or take-over succeeded (the sheet has closed).
        closed(): inherited; the sheet closed, signed in or not.
    """

    signed_in = Signal()

    def __init__(
        self,
        window: QWidget,
        users: Sequence[UserDef],
        session: ScreenSession,
        key_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window, QCoreApplication.translate("SignInSheet", "Sign in"))
        self._session = session
        self.badge = BadgeBurst(key_clock)
        self._saved_fields: tuple[str, str] = ("", "")
        self.busy = False
        touch = theme.touch_min_px()
        self.cancel_button = TouchButton(self.tr("Cancel"), round(touch * 2.5), touch)
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.close_sheet)
        self.head.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignTop)

        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.body.addWidget(self.subtitle)
        columns = QHBoxLayout()
        columns.setSpacing(32)
        self.tiles: dict[str, QPushButton] = {}
        self._tile_group = QButtonGroup(self)
        if users:
            columns.addLayout(self._build_tiles(users, touch), 1)
        self.user_field = TouchField(touch)
        self.pin_field = TouchField(touch)
        self.pin_field.setProperty("keypad", True)  # the sheet's own keypad, not the keyboard
        columns.addLayout(self._build_form(touch))
        self.body.addLayout(columns, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(self.message.fontMetrics().height() * 2)
        self.body.addWidget(self.message)
        hint = QLabel(self.tr("Or hold your badge to the reader."))
        hint.setObjectName("muted")
        self.body.addWidget(hint)
        self._active: QLineEdit = self.user_field
        self._set_active(self.user_field)
        self.installEventFilter(self)

    def _build_form(self, touch: int) -> QVBoxLayout:
        form_column = QVBoxLayout()
        form_column.setSpacing(self.body.spacing())
        form = QFormLayout()
        form.setSpacing(self.body.spacing())
        self.user_field.setMaxLength(64)
        self.user_field.setPlaceholderText(self.tr("user id"))
        self.pin_field.setMaxLength(32)
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setInputMethodHints(
            Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhSensitiveData
        )
        for field in (self.user_field, self.pin_field):
            field.installEventFilter(self)
        self.user_field.textEdited.connect(self._user_typed)
        form.addRow(self.tr("User"), self.user_field)
        form.addRow(self.tr("PIN"), self.pin_field)
        form_column.addLayout(form)
        self.keypad = Keypad(self.tr("Sign in"))
        self.keypad.digit_pressed.connect(self._type)
        self.keypad.clear_pressed.connect(self._clear)
        self.keypad.backspace_pressed.connect(self._backspace)
        self.keypad.ok_pressed.connect(self.submit)
        form_column.addWidget(self.keypad)
        form_column.addStretch(1)
        return form_column

    def _build_tiles(self, users: Sequence[UserDef], touch: int) -> QVBoxLayout:
        column = QVBoxLayout()
        column.setSpacing(8)
        column.addWidget(QLabel(self.tr("Tap your name")))
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(max(8, theme.mm_to_px(theme.TOUCH_GAP_MM)))
        for i, user in enumerate(users):
            tile = TouchButton(
                f"{user.name}\n{role_name(user.role)}", touch * 4, round(touch * 1.5), grow=True
            )
            tile.setObjectName("tile")
            tile.setCheckable(True)
            tile.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            tile.clicked.connect(lambda _=False, user_id=user.id: self.choose(user_id))
            self._tile_group.addButton(tile)
            self.tiles[user.id] = tile
            grid.addWidget(tile, i // TILE_COLUMNS, i % TILE_COLUMNS)
        grid.setRowStretch(grid.rowCount(), 1)
        scroll = QScrollArea()
        scroll.setWidget(grid_host)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(grid_host.sizeHint().width() + 4)
        column.addWidget(scroll, 1)
        return column

    # -- opening and choosing ------------------------------------------------------

    def open_for(self) -> None:
        """Open for whoever is at the screen: a locked session's user is chosen already."""
        view = self._session.view
        self.badge.reset()
        self.pin_field.clear()
        self._say("")
        if view.user_id is not None and view.locked:
            self.title.setText(self.tr("Unlock or take over"))
            self.subtitle.setText(
                self.tr(
                    "Locked: %1. Type the PIN to unlock, or tap another name to take over."
                ).replace("%1", view.user_name or view.user_id)
            )
            self.subtitle.show()
            self.choose(view.user_id)
        else:
            self.title.setText(self.tr("Sign in"))
            self.subtitle.hide()
            self.user_field.clear()
            self._check_tile("")
            self._set_active(self.user_field)
        self.open()

    def choose(self, user_id: str) -> None:
        """A name tile: the user id is filled in and the keypad types the PIN."""
        self.user_field.setText(user_id)
        self._check_tile(user_id)
        self.pin_field.clear()
        self._say("")
        self._set_active(self.pin_field)

    def _check_tile(self, user_id: str) -> None:
        self._tile_group.setExclusive(False)
        for tile_id, tile in self.tiles.items():
            tile.setChecked(tile_id == user_id)
        self._tile_group.setExclusive(True)

    def _user_typed(self, text: str) -> None:
        self._check_tile(text.strip())

    def _type(self, text: str) -> None:
        self._active.insert(text)

    def _clear(self) -> None:
        self._active.clear()

    def _backspace(self) -> None:
        self._active.backspace()

    def _set_active(self, field: QLineEdit) -> None:
        """The field the keypad types into, drawn with a heavy border."""
        self._active = field
        for each in (self.user_field, self.pin_field):
            each.setProperty("active", each is field)
            each.style().unpolish(each)
            each.style().polish(each)

    # -- signing in ------------------------------------------------------------------

    def submit(self) -> None:
        if self.busy:
            return
        user_id, pin = self.user_field.text().strip(), self.pin_field.text()
        if not user_id:
            self._say(self.tr("Tap your name or type your user id."))
            self._set_active(self.user_field)
            return
        if not pin:
            self._say(self.tr("Type your PIN on the keypad."))
            self._set_active(self.pin_field)
            return
        self.pin_field.clear()
        self._set_busy(True)
        self._session.sign_in(user_id, pin, self._answered, self._failed)

    def sign_in_badge(self, badge: str) -> None:
        if self.busy:
            return
        self._set_busy(True)
        self._session.sign_in_badge(badge, self._answered, self._failed)

    def _answered(self, message: str) -> None:
        self._set_busy(False)
        if not message:
            self.user_field.clear()
            self.close_sheet()
            self.signed_in.emit()
            return
        # The service answers every failure with the same words; the screen too.
        self._say(self.tr("Sign-in refused. Check your user and PIN, or ask your lead."), True)
        self._set_active(self.pin_field if self.user_field.text() else self.user_field)

    def _failed(self, failure: CallFailure) -> None:
        self._set_busy(False)
        self._say(failure.message, True)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.keypad.set_busy(busy)
        if busy:
            self._say(self.tr("Checking…"))

    def _say(self, text: str, problem: bool = False) -> None:
        say(self.message, text, problem)

    # -- keys: typing, and the badge reader ----------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        fields = (self.user_field, self.pin_field)
        if watched in fields and event.type() in (
            QEvent.Type.FocusIn,
            QEvent.Type.MouseButtonPress,
        ):
            assert isinstance(watched, QLineEdit)
            self._set_active(watched)
        if event.type() is QEvent.Type.KeyPress and (watched is self or watched in fields):
            assert isinstance(event, QKeyEvent)
            return self._key(event, typed_into_field=watched is not self)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent, typed_into_field: bool) -> bool:
        """True when the key was handled here; otherwise the focused field types it."""
        if event.key() in ENTER_KEYS:
            badge = self.badge.enter()
            if badge is not None:
                self.user_field.setText(self._saved_fields[0])
                self.pin_field.setText(self._saved_fields[1])
                self.sign_in_badge(badge)
            else:
                self.submit()
            return True
        text = typed_char(event)
        if text:
            if self.badge.char(text):
                self._saved_fields = (self.user_field.text(), self.pin_field.text())
            if not typed_into_field:
                self._active.insert(text)
                return True
            return False
        if event.key() == Qt.Key.Key_Backspace and not typed_into_field:
            self._active.backspace()
            return True
        return False
