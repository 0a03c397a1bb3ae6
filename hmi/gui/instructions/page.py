"""A work instruction at the station: one step at a time, in large type, with what it asks for.

Without a run, the sheet lists the instructions for the station's current
product as big tiles; a tap starts one. With a run open (also after a
restart: the run resumes), it shows the step's title and text, its picture,
the live values the step names with their quality, and one entry per
capture. Confirm sends it all to the service, which checks limits, reasons
and signatures; what is missing comes back in words beside each entry. A
sign-off asks for a user and PIN right on the sheet (no dialog). Back and
Confirm are far apart; Abandon needs a reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hmi.domain.instruction_run import Run
from hmi.domain.instructions import (
    Capture,
    CaptureKind,
    Instruction,
    Media,
    MediaKind,
    OutOfLimit,
    Step,
)
from hmi.domain.plant import PlantDef, StationDef
from hmi.domain.tags import TagValue
from hmi.gui import theme
from hmi.gui.instructions.media import MediaPanel
from hmi.gui.tasks import CallFailure, ServiceTasks
from hmi.gui.touch import ENTER_KEYS, BadgeBurst, Sheet, TouchButton, TouchField, say, typed_char
from hmi.gui.widgets import ValueReadout
from hmi.services.instructions import InstructionService, Signer, StepCheck

POLL_MS = 1000
MEDIA_MIN_PX = 300  # a step's media, with their buttons and caption, never squeezed below


class CaptureInput(QWidget):
    """The entry of one capture: buttons for choices, a field for numbers and text."""

    def __init__(self, capture: Capture, touch: int) -> None:
        super().__init__()
        self.capture = capture
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        label = QLabel(capture.label + (f" ({capture.unit})" if capture.unit else ""))
        label.setFont(theme.font(theme.BASE_PT, bold=True))
        label.setWordWrap(True)
        layout.addWidget(label)
        row = QHBoxLayout()
        self.field: TouchField | None = None
        self.group: QButtonGroup | None = None
        self.buttons: dict[str, TouchButton] = {}
        options: tuple[str, ...] = ()
        if capture.kind is CaptureKind.CHECKBOX:
            options = (QCoreApplication.translate("InstructionSheet", "☑ Done"),)
        elif capture.kind is CaptureKind.PASS_FAIL:
            options = ("pass", "fail")
        elif capture.kind is CaptureKind.CHOICE:
            options = capture.options
        if options:
            self.group = QButtonGroup(self)
            self.group.setExclusive(capture.kind is not CaptureKind.CHECKBOX)
            for option in options:
                shown = {
                    "pass": QCoreApplication.translate("InstructionSheet", "✓ Pass"),
                    "fail": QCoreApplication.translate("InstructionSheet", "✕ Fail"),
                }.get(option, option)
                button = TouchButton(shown, touch * 2, touch)
                button.setCheckable(True)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                self.group.addButton(button)
                self.buttons[option] = button
                row.addWidget(button)
            row.addStretch(1)
        elif capture.kind is CaptureKind.TAG:
            hint = QLabel(
                QCoreApplication.translate(
                    "InstructionSheet", "Captured from the live value when you confirm."
                )
            )
            hint.setObjectName("muted")
            row.addWidget(hint)
        else:
            self.field = TouchField(touch)
            if capture.kind is CaptureKind.NUMBER and capture.lo is not None:
                self.field.setPlaceholderText(f"{capture.lo:g} … {capture.hi:g}")
            elif capture.kind in (CaptureKind.SERIAL, CaptureKind.BARCODE):
                self.field.setPlaceholderText(
                    QCoreApplication.translate("InstructionSheet", "Scan or type")
                )
            row.addWidget(self.field, 1)
        layout.addLayout(row)
        self._reason_part(layout, touch)

    def _reason_part(self, layout: QVBoxLayout, touch: int) -> None:
        capture = self.capture
        self.reason = TouchField(touch)
        self.reason.setPlaceholderText(
            QCoreApplication.translate("InstructionSheet", "Reason for a value outside the limits")
        )
        # Every capture that can fall outside its limits and then asks for a reason: a
        # number or tag with limits, a pass/fail check that fails.
        can_fail = capture.kind is CaptureKind.PASS_FAIL or capture.has_limits
        self.reason.setVisible(can_fail and capture.on_out_of_limit is OutOfLimit.REASON)
        if capture.kind is CaptureKind.PASS_FAIL:
            self.reason.setPlaceholderText(
                QCoreApplication.translate("InstructionSheet", "Reason, if it fails")
            )
        layout.addWidget(self.reason)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)

    def value(self) -> object:
        if self.field is not None:
            text = self.field.text().strip()
            return text or None
        if self.capture.kind is CaptureKind.CHECKBOX:
            return any(b.isChecked() for b in self.buttons.values())
        chosen = [k for k, b in self.buttons.items() if b.isChecked()]
        return chosen[0] if chosen else None

    def set_value(self, value: object) -> None:
        if self.field is not None:
            self.field.setText("" if value is None else str(value))
        for key, button in self.buttons.items():
            button.setChecked(value is True or value == key)

    def say(self, text: str) -> None:
        self.problem.setText(f"✕ {text}" if text else "")
        self.problem.setVisible(bool(text))


class InstructionSheet(Sheet):
    """The station's instruction run, step by step; or the list to start one from."""

    def __init__(
        self,
        window: QWidget,
        plant: PlantDef,
        station: StationDef,
        service: InstructionService,
        tasks: ServiceTasks,
        values: Callable[[], dict[str, TagValue]],
        now: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            window,
            QCoreApplication.translate("InstructionSheet", "Instructions — %1").replace(
                "%1", station.name
            ),
        )
        self.plant = plant
        self.station = station
        self._service = service
        self._tasks = tasks
        self._values = values
        self._now = now
        self.busy = False
        self.inputs: dict[str, CaptureInput] = {}
        self.readouts: list[ValueReadout] = []
        self.media_panels: list[MediaPanel] = []
        self.tiles: dict[str, TouchButton] = {}
        self._shown: tuple[object, ...] = ()
        self._version = -1
        # A badge reader types its id and Enter into whatever has the focus: a fast
        # burst is a badge, and signs the row it lands in (see _key).
        self.badge = BadgeBurst()
        self.badges = ["", ""]  # a badge read for each signature row, until confirmed
        self._burst_field: QLineEdit | None = None
        self._burst_text = ""
        touch = self.touch = theme.touch_min_px()
        self.panel.setFixedWidth(min(touch * 26, 1200))
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFixedHeight(22)
        self.head.addWidget(self.progress)
        self.content = QVBoxLayout()
        self.body.addLayout(self.content, 1)
        self._sign_part(touch)
        self._bottom_part(touch)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)

    def _sign_part(self, touch: int) -> None:
        """Signatures on the sheet: up to two people (a sign-off and a lead's approval)."""
        self.sign_box = QWidget()
        grid = QGridLayout(self.sign_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.sign_text = QLabel()
        self.sign_text.setWordWrap(True)
        grid.addWidget(self.sign_text, 0, 0, 2, 1)
        self.sign_rows: list[tuple[TouchField, TouchField]] = []
        for row in range(2):
            user, pin = TouchField(touch), TouchField(touch)
            user.setPlaceholderText(
                QCoreApplication.translate("InstructionSheet", "User")
                if row == 0
                else QCoreApplication.translate("InstructionSheet", "Second user (if asked)")
            )
            pin.setPlaceholderText(QCoreApplication.translate("InstructionSheet", "PIN"))
            pin.setEchoMode(QLineEdit.EchoMode.Password)
            pin.returnPressed.connect(self.confirm)
            grid.addWidget(user, row, 1)
            grid.addWidget(pin, row, 2)
            self.sign_rows.append((user, pin))
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self.sign_user, self.sign_pin = self.sign_rows[0]
        self.sign_box.hide()
        self.body.addWidget(self.sign_box)
        # Abandoning asks why, in a field of its own.
        self.abandon_box = QWidget()
        row_layout = QHBoxLayout(self.abandon_box)
        row_layout.setContentsMargins(0, 0, 0, 0)
        why = QLabel(
            QCoreApplication.translate(
                "InstructionSheet", "Why does the run stop here? Type it, then Abandon again."
            )
        )
        why.setWordWrap(True)
        self.abandon_reason = TouchField(touch)
        self.abandon_reason.setPlaceholderText(
            QCoreApplication.translate("InstructionSheet", "Reason")
        )
        row_layout.addWidget(why, 1)
        row_layout.addWidget(self.abandon_reason, 2)
        self.abandon_box.hide()
        self.body.addWidget(self.abandon_box)

    def _bottom_part(self, touch: int) -> None:
        row = QHBoxLayout()
        row.setSpacing(touch)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.back_button = TouchButton(
            QCoreApplication.translate("InstructionSheet", "◀ Back"), touch * 3, round(touch * 1.4)
        )
        self.abandon_button = TouchButton(
            QCoreApplication.translate("InstructionSheet", "Abandon…"),
            touch * 3,
            round(touch * 1.4),
        )
        self.close_button = TouchButton(
            QCoreApplication.translate("InstructionSheet", "Close"), touch * 3, round(touch * 1.4)
        )
        self.next_button = TouchButton(
            QCoreApplication.translate("InstructionSheet", "Confirm step ▶"),
            touch * 5,
            round(touch * 1.4),
        )
        self.next_button.setObjectName("primary")
        self.next_button.setProperty(theme.CONSEQUENCE, True)  # a signed step, a run on record
        for button in (self.back_button, self.abandon_button, self.close_button, self.next_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(self.back)
        self.abandon_button.clicked.connect(self.abandon)
        self.close_button.clicked.connect(self.close_sheet)
        self.next_button.clicked.connect(self.confirm)
        row.addWidget(self.back_button)
        row.addWidget(self.message, 1)
        row.addWidget(self.abandon_button)
        row.addWidget(self.close_button)
        row.addWidget(self.next_button)
        self.body.addLayout(row)

    # -- showing --------------------------------------------------------------------

    def open(self) -> None:
        self._shown = ()
        self._say("")
        self.poll()
        super().open()
        self._timer.start()

    def close_sheet(self) -> None:
        self._timer.stop()
        for panel in self.media_panels:
            panel.stop()  # a closed sheet plays no video
        super().close_sheet()

    def _hear_keys(self) -> None:
        """Keys typed into the sheet or its fields pass _key first (badges), except in the
        serial and barcode captures: a scanner there is fast and ends with Enter too."""
        scanned = {
            entry.field
            for entry in self.inputs.values()
            if entry.capture.kind in (CaptureKind.SERIAL, CaptureKind.BARCODE)
        }
        for widget in (self, *self.findChildren(QLineEdit)):
            if widget not in scanned:
                widget.installEventFilter(self)  # once each: Qt moves a filter, never doubles

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() is QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and isinstance(watched, QWidget)
            and watched is (self.focusWidget() or self)  # once, not again as it propagates
            and self.sign_box.isVisible()
        ):
            return self._key(event, watched)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent, target: QWidget) -> bool:
        """A badge burst is taken out of the field it was typed into and signs; True then."""
        if event.key() in ENTER_KEYS:
            badge = self.badge.enter()
            if badge is None:
                return False  # a person pressed Enter
            if self._burst_field is not None:
                self._burst_field.setText(self._burst_text)
            self._badge_read(badge, self._burst_field)
            return True
        text = typed_char(event)
        if text and self.badge.char(text):
            field = target if isinstance(target, QLineEdit) else None
            self._burst_field, self._burst_text = field, field.text() if field else ""
        return False

    def _badge_read(self, badge: str, field: QLineEdit | None) -> None:
        """The badge signs the row it was read into, else the first row nobody has
        signed yet; Confirm sends it."""
        rows = [(i, row) for i, row in enumerate(self.sign_rows) if not self.badges[i]]
        into = [(i, row) for i, row in rows if field in row]
        free = [(i, (u, p)) for i, (u, p) in rows if not u.text().strip()]
        for index, (user, pin) in into + free:
            self.badges[index] = badge
            user.setText(QCoreApplication.translate("InstructionSheet", "Badge read ✓"))
            user.setReadOnly(True)
            pin.clear()
            pin.setEnabled(False)
            # The next keys (a second badge, a second person's PIN) go to a row still open.
            following = [u for i, (u, _p) in enumerate(self.sign_rows) if not self.badges[i]]
            (following[0] if following else self).setFocus()
            self._say(
                QCoreApplication.translate(
                    "InstructionSheet", "Badge read: tap Confirm to sign with it."
                )
            )
            return
        self._say(
            QCoreApplication.translate(
                "InstructionSheet", "Both signatures are given: tap Confirm."
            ),
            problem=True,
        )

    def poll(self) -> None:
        """Rebuild when the run moved on; the live values every second."""
        run = self._service.run_at(self.station.id)
        key: tuple[object, ...] = (run.id, run.step_index) if run is not None else ("list",)
        if key != self._shown and not self.busy:
            self._shown = key
            self._clear()
            if run is None:
                self._show_list()
            else:
                self._show_run(run)
            self._hear_keys()
        values = self._values()
        for readout in self.readouts:
            sample = values.get(readout.tag.id)
            if sample is not None:
                readout.show_sample(sample)

    def _clear(self) -> None:
        def drop(layout: QVBoxLayout | QHBoxLayout | QGridLayout) -> None:
            while layout.count():
                item = layout.takeAt(0)
                if item is None:
                    continue
                widget, inner = item.widget(), item.layout()
                if widget is not None:
                    widget.deleteLater()
                elif inner is not None:
                    drop(inner)  # type: ignore[arg-type]

        for panel in self.media_panels:
            panel.stop()
        drop(self.content)
        self.inputs, self.readouts, self.tiles = {}, [], {}
        self.media_panels = []
        self.sign_box.hide()
        self.abandon_box.hide()

    def _show_list(self) -> None:
        self.title.setText(
            QCoreApplication.translate("InstructionSheet", "Instructions — %1").replace(
                "%1", self.station.name
            )
        )
        self.progress.hide()
        available = self._service.available(self.station.id)
        heading = QLabel(
            QCoreApplication.translate("InstructionSheet", "Tap the instruction to start:")
            if available
            else QCoreApplication.translate(
                "InstructionSheet", "No instruction for this station and product."
            )
        )
        self.content.addWidget(heading)
        for instruction in available:
            text = f"{instruction.title}\n{len(instruction.steps)} " + QCoreApplication.translate(
                "InstructionSheet", "steps · version %1"
            ).replace("%1", instruction.short_version)
            tile = TouchButton(text, self.touch * 8, round(self.touch * 1.6), grow=True)
            tile.setObjectName("tile")
            tile.clicked.connect(lambda _c=False, i=instruction: self.begin(i))
            self.tiles[instruction.id] = tile
            self.content.addWidget(tile)
        self.content.addStretch(1)
        for button in (self.back_button, self.abandon_button, self.next_button):
            button.hide()

    def _show_run(self, run: Run) -> None:
        instruction = self._service.instruction_of(run)
        if instruction is None:
            self.content.addWidget(
                QLabel(
                    QCoreApplication.translate(
                        "InstructionSheet", "This run's version is gone: abandon it."
                    )
                )
            )
            self.abandon_button.show()
            return
        total = len(instruction.steps)
        self.progress.show()
        self.progress.setRange(0, total)
        self.progress.setValue(run.step_index)
        number = str(min(run.step_index + 1, total))
        self.progress.setFormat(
            QCoreApplication.translate("InstructionSheet", "Step %1 of %2")
            .replace("%1", number)
            .replace("%2", str(total))
        )
        self.title.setText(f"{instruction.title} · {instruction.short_version}")
        step = run.step(instruction)
        self.back_button.setVisible(True)
        self.back_button.setEnabled(run.step_index > 0)
        self.abandon_button.show()
        self.next_button.show()
        if step is None:
            self._show_finish(instruction)
            return
        self.next_button.setText(QCoreApplication.translate("InstructionSheet", "Confirm step ▶"))
        self._show_step(run, instruction, step)

    def _show_step(self, run: Run, instruction: Instruction, step: Step) -> None:
        columns = QHBoxLayout()
        columns.setSpacing(self.touch)
        left = QVBoxLayout()
        title = QLabel(step.title)
        title.setFont(theme.font(theme.BASE_PT + 6, bold=True))
        title.setWordWrap(True)
        left.addWidget(title)
        left.addWidget(self._words_and_media(instruction, step), 1)
        right = QVBoxLayout()
        for tag_id in step.tags:
            tag = self.plant.tag(tag_id)
            readout = ValueReadout(tag)
            self.readouts.append(readout)
            right.addWidget(readout)
        done = run.entries(step.id)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        captures = QVBoxLayout(inner)
        captures.setContentsMargins(0, 0, 0, 0)
        for capture in step.captures:
            entry = CaptureInput(capture, self.touch)
            if capture.id in done:
                entry.set_value(done[capture.id].value)
                entry.reason.setText(done[capture.id].reason)
            self.inputs[capture.id] = entry
            captures.addWidget(entry)
        captures.addStretch(1)
        area.setWidget(inner)
        right.addWidget(area, 1)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        self.content.addLayout(columns, 1)
        if step.signoff.required:
            self._ask_signature(step.signoff.meaning, second=step.signoff.by.value)

    def _words_and_media(self, instruction: Instruction, step: Step) -> QScrollArea:
        """The step's text and media. The words are never cut and the media keep a usable
        size: when both do not fit, the column scrolls (its scroll bar is touch-wide)."""
        text = QLabel()
        text.setTextFormat(Qt.TextFormat.MarkdownText)
        text.setText(step.body)
        text.setWordWrap(True)
        text.setFont(theme.font(theme.BASE_PT + 2))
        text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        words_and_media = QWidget()
        inner = QVBoxLayout(words_and_media)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(text)
        if step.media:
            media = self._media(instruction, step.media)
            media.setMinimumHeight(max(MEDIA_MIN_PX, media.minimumSizeHint().height()))
            inner.addWidget(media, 1)
        else:
            inner.addStretch(1)
        column = QScrollArea()
        column.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a tap here leaves the keys (a badge) be
        column.setWidgetResizable(True)
        column.setFrameShape(QScrollArea.Shape.NoFrame)
        column.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        column.setWidget(words_and_media)
        return column

    def _media(self, instruction: Instruction, media: tuple[Media, ...]) -> QWidget:
        """The step's media, one at a time: with more than one, a button for each."""
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        stack = QStackedWidget()
        captions = QStackedWidget()
        choose = QHBoxLayout()
        choose.setSpacing(max(8, theme.mm_to_px(theme.TOUCH_GAP_MM)))
        buttons = QButtonGroup(box)
        names = {
            MediaKind.IMAGE: QCoreApplication.translate("InstructionSheet", "Picture"),
            MediaKind.PDF: QCoreApplication.translate("InstructionSheet", "Document"),
            MediaKind.VIDEO: QCoreApplication.translate("InstructionSheet", "Video"),
        }
        for index, item in enumerate(media):
            panel = MediaPanel(Path(instruction.folder), item, self.touch)
            self.media_panels.append(panel)
            stack.addWidget(panel)
            words = QLabel(item.caption)
            words.setObjectName("muted")
            words.setWordWrap(True)
            captions.addWidget(words)
            if len(media) > 1:
                button = TouchButton(
                    f"{index + 1} · {names[item.kind]}", self.touch * 2, self.touch
                )
                button.setCheckable(True)
                button.setChecked(index == 0)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                buttons.addButton(button, index)
                choose.addWidget(button)

        def show(index: int) -> None:
            for panel in self.media_panels:
                panel.stop()  # a video out of sight does not play on
            stack.setCurrentIndex(index)
            captions.setCurrentIndex(index)

        buttons.idClicked.connect(show)
        if len(media) > 1:
            choose.addStretch(1)
            col.addLayout(choose)
        col.addWidget(stack, 1)
        col.addWidget(captions)
        return box

    def _show_finish(self, instruction: Instruction) -> None:
        done = QLabel(QCoreApplication.translate("InstructionSheet", "✓ Every step is confirmed."))
        done.setFont(theme.font(theme.BASE_PT + 6, bold=True))
        self.content.addWidget(done)
        self.content.addStretch(1)
        self.next_button.setText(QCoreApplication.translate("InstructionSheet", "Finish ✓"))
        if instruction.signoff.required:
            self._ask_signature(instruction.signoff.meaning, instruction.signoff.by.value)

    def _ask_signature(self, meaning: str, second: str) -> None:
        who = (
            QCoreApplication.translate("InstructionSheet", "a second person")
            if second == "second_person"
            else QCoreApplication.translate("InstructionSheet", "you")
        )
        self.sign_text.setText(
            QCoreApplication.translate("InstructionSheet", "Signature by %1: “%2”")
            .replace("%1", who)
            .replace("%2", meaning)
            + "\n"
            + QCoreApplication.translate(
                "InstructionSheet", "User and PIN, or hold a badge to the reader."
            )
        )
        self._clear_badges()
        for user, pin in self.sign_rows:
            user.clear()
            pin.clear()
        self.sign_box.show()

    def _clear_badges(self) -> None:
        """Badges read are used once, like PINs: the rows take typing again."""
        for index, (user, pin) in enumerate(self.sign_rows):
            if self.badges[index]:
                user.clear()
            self.badges[index] = ""
            user.setReadOnly(False)
            pin.setEnabled(True)
        self.badge.reset()

    # -- actions --------------------------------------------------------------------

    def begin(self, instruction: Instruction) -> None:
        self._run(self._service.begin(self.station.id, instruction.id), lambda _r: None)

    def confirm(self) -> None:
        run = self._service.run_at(self.station.id)
        if run is None or self.busy:
            return
        signers = self._signers()
        instruction = self._service.instruction_of(run)
        if instruction is not None and run.step(instruction) is None:
            self._run(self._service.finish(self.station.id, signers), self._finished)
            return
        values = {k: i.value() for k, i in self.inputs.items()}
        reasons = {k: i.reason.text() for k, i in self.inputs.items()}
        call = self._service.confirm_step(self.station.id, values, reasons, signers)
        self._run(call, self._checked)

    def back(self) -> None:
        self._run(self._service.back(self.station.id), lambda _r: None)

    def abandon(self) -> None:
        """First tap: ask why. Second tap, with a reason: the run ends, on record."""
        if not self.abandon_box.isVisible():
            self.abandon_reason.clear()
            self.abandon_box.show()
            self.abandon_reason.setFocus()
            return
        call = self._service.abandon(self.station.id, self.abandon_reason.text())
        self._run(call, self._finished)

    def _signers(self) -> tuple[Signer, ...]:
        if not self.sign_box.isVisible():
            return ()
        signers = []
        for index, (user, pin) in enumerate(self.sign_rows):
            if self.badges[index]:
                signers.append(Signer(badge=self.badges[index]))
            elif user.text().strip() and pin.text():
                signers.append(Signer(user.text().strip(), pin.text()))
            pin.clear()  # a PIN is never kept on screen
        self._clear_badges()  # nor a badge
        return tuple(signers)

    def _run(self, call: object, done: Callable[[object], None]) -> None:
        if self.busy:  # one action at a time: a second tap waits for the first's answer
            close = getattr(call, "close", None)
            if close is not None:
                close()  # the coroutine is never run: say so, or Python warns
            return
        self.busy = True
        self._say(QCoreApplication.translate("InstructionSheet", "Saving…"))

        def finished(result: object) -> None:
            self.busy = False
            self._say("")
            done(result)
            self.poll()

        self._tasks.run(call, finished, self._failed, what="instructions")  # type: ignore[arg-type]

    def _checked(self, check: object) -> None:
        assert isinstance(check, StepCheck)
        for key, entry in self.inputs.items():
            entry.say(check.problems.get(key, ""))
            if key in check.needs_lead:
                entry.say(
                    QCoreApplication.translate(
                        "InstructionSheet", "outside the limits: a lead signs below"
                    )
                )
        if check.needs_lead:
            self._ask_signature(
                QCoreApplication.translate("InstructionSheet", "out-of-limit value accepted"),
                "second_person",
            )
        elif check.needs_signoff is not None:
            self._say(
                QCoreApplication.translate(
                    "InstructionSheet", "✕ The sign-off is missing or not valid."
                ),
                problem=True,
            )
        elif not check.ok:
            self._say(
                QCoreApplication.translate("InstructionSheet", "✕ Some entries need attention."),
                problem=True,
            )

    def _finished(self, record: object) -> None:
        self.abandon_box.hide()
        seq = getattr(record, "seq", "")
        self._say(
            QCoreApplication.translate("InstructionSheet", "✓ On record as no. %1.").replace(
                "%1", str(seq)
            )
        )

    def _failed(self, failure: CallFailure) -> None:
        self.busy = False
        self._say(failure.message, problem=True)

    def _say(self, text: str, problem: bool = False) -> None:
        say(self.message, text, problem)
