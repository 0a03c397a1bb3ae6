"""Changing a setpoint or sending a command: keypad, old and new value, confirm, read-back.

Two steps, so a slip never writes: first the value (on a keypad) and a reason,
then a review that shows the old and the new value side by side with Write
and Back far apart. The sheet checks the plant file's bounds as the operator
types, but the intervention service checks again (and the role) before it
sends anything. "Written" appears only when the plant showed the new value.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from hmi.domain.plant import DataType, TagDef
from hmi.domain.tags import TagValue
from hmi.domain.writes import WriteRefusedError, check_write
from hmi.gui import theme
from hmi.gui.about import Subject
from hmi.gui.i18n import format_number
from hmi.gui.tasks import CallFailure, ServiceTasks
from hmi.gui.touch import Sheet, TouchButton, TouchField
from hmi.services.interventions import InterventionService, WriteOutcome

KEYS = ("7", "8", "9", "4", "5", "6", "1", "2", "3", "−", "0", ".")


def shown(tag: TagDef, value: object) -> str:
    """A value as the station page shows it: the tag's decimals and unit."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("WriteSheet", "On")
            if value
            else QCoreApplication.translate("WriteSheet", "Off")
        )
    if isinstance(value, int | float):
        decimals = 0 if tag.data_type is DataType.INT else tag.precision
        return f"{format_number(value, decimals)} {tag.unit}".strip()
    return str(value)


class WriteSheet(Sheet):
    """Enter, review, write, read back.

    Signals:
        written(object): the ``WriteOutcome`` (after the record is committed).
    """

    written = Signal(object)

    def __init__(
        self, window: QWidget, tasks: ServiceTasks, interventions: InterventionService
    ) -> None:
        super().__init__(window, "")
        self._tasks = tasks
        self._service = interventions
        self.tag: TagDef | None = None
        self.current: TagValue | None = None
        self.value: object = None
        self.busy = False
        touch = theme.touch_min_px()
        self.panel.setMinimumWidth(touch * 16)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._entry(touch))
        self.pages.addWidget(self._review(touch))
        self.body.addWidget(self.pages)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(self.message.fontMetrics().height() * 2)
        self.body.addWidget(self.message)

    # -- the two pages ---------------------------------------------------------------

    def _entry(self, touch: int) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(touch // 2)
        left = QVBoxLayout()
        self.now_label = QLabel()
        self.bounds = QLabel()
        self.bounds.setWordWrap(True)
        self.field = TouchField(touch)
        self.field.setProperty("keypad", True)  # the sheet's own keypad, not the keyboard
        self.field.setFont(theme.font(theme.VALUE_PT, bold=True))
        self.field.textChanged.connect(self._check)
        self.reason = TouchField(touch)
        self.reason.setPlaceholderText(
            QCoreApplication.translate("WriteSheet", "Why? (required, on record)")
        )
        self.reason.setMaxLength(200)
        self.reason.textChanged.connect(self._check)
        self.onoff = QHBoxLayout()
        self.on_button = TouchButton(
            QCoreApplication.translate("WriteSheet", "On"), touch * 3, touch
        )
        self.off_button = TouchButton(
            QCoreApplication.translate("WriteSheet", "Off"), touch * 3, touch
        )
        for button, value in ((self.on_button, "1"), (self.off_button, "0")):
            button.setCheckable(True)
            button.clicked.connect(lambda _c=False, v=value: self.field.setText(v))
            self.onoff.addWidget(button)
        left.addWidget(self.now_label)
        left.addWidget(self.bounds)
        left.addWidget(self.field)
        left.addLayout(self.onoff)
        left.addWidget(self.reason)
        left.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setSpacing(touch)
        self.cancel = TouchButton(
            QCoreApplication.translate("WriteSheet", "Cancel"), touch * 3, round(touch * 1.4)
        )
        self.next = TouchButton(
            QCoreApplication.translate("WriteSheet", "Review…"), touch * 3, round(touch * 1.4)
        )
        self.next.setObjectName("primary")
        self.cancel.clicked.connect(self.close_sheet)
        self.next.clicked.connect(self.review)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.next)
        left.addLayout(buttons)
        row.addLayout(left, 1)
        self.pad = self._pad(touch)
        row.addWidget(self.pad)
        return page

    def _pad(self, touch: int) -> QWidget:
        """Digits, sign and decimal point, and backspace, for gloved fingers."""
        pad = QWidget()
        grid = QGridLayout(pad)
        grid.setContentsMargins(0, 0, 0, 0)
        key = max(touch, theme.mm_to_px(theme.KEY_MM))
        for i, text in enumerate(KEYS):
            button = TouchButton(text, key, key)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, t=text: self._key(t))
            grid.addWidget(button, i // 3, i % 3)
        back = TouchButton("⌫", key, key)
        back.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        back.clicked.connect(lambda: self.field.setText(self.field.text()[:-1]))
        grid.addWidget(back, 4, 0, 1, 3)
        return pad

    def _review(self, touch: int) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        self.change = QLabel()
        self.change.setFont(theme.font(theme.VALUE_PT + 4, bold=True))
        self.change.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.change.setWordWrap(True)
        self.why = QLabel()
        self.why.setWordWrap(True)
        col.addWidget(self.change)
        col.addWidget(self.why)
        col.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setSpacing(touch * 2)  # Write and Back far apart
        self.back = TouchButton(
            QCoreApplication.translate("WriteSheet", "Back"), touch * 3, round(touch * 1.4)
        )
        self.write_button = TouchButton(
            QCoreApplication.translate("WriteSheet", "Write to the plant"),
            touch * 5,
            round(touch * 1.6),
        )
        self.write_button.setObjectName("primary")
        self.write_button.setProperty(theme.CONSEQUENCE, True)  # a write to the plant
        self.back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.write_button.clicked.connect(self.write)
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.write_button)
        col.addLayout(buttons)
        return page

    # -- flow ------------------------------------------------------------------------

    def ask(self, tag: TagDef, current: TagValue, subject: Subject | None = None) -> None:
        """Ask for a new value of ``tag``; ``subject``: the stop or alarm it addresses."""
        self.tag, self.current = tag, current
        self.about = dict(subject.about) if subject is not None else None
        rules = tag.write
        self.title.setText(
            QCoreApplication.translate("WriteSheet", "Change %1").replace("%1", tag.name)
        )
        self.now_label.setText(
            QCoreApplication.translate("WriteSheet", "Now: %1").replace(
                "%1", shown(tag, current.value)
            )
        )
        boolean = tag.data_type is DataType.BOOL
        self.field.setVisible(not boolean)
        self.pad.setVisible(not boolean)
        for button in (self.on_button, self.off_button):
            button.setVisible(boolean)
            button.setChecked(False)
        lines = []
        if rules is not None and not boolean:
            lo = rules.lo if rules.lo is not None else tag.range_lo
            hi = rules.hi if rules.hi is not None else tag.range_hi
            if lo is not None and hi is not None:
                lines.append(
                    QCoreApplication.translate("WriteSheet", "Allowed: %1 … %2")
                    .replace("%1", f"{lo:g}")
                    .replace("%2", f"{hi:g} {tag.unit}")
                )
            if rules.max_step is not None:
                lines.append(
                    QCoreApplication.translate("WriteSheet", "At most %1 in one step").replace(
                        "%1", f"{rules.max_step:g} {tag.unit}"
                    )
                )
        if subject is not None:
            lines.append(
                QCoreApplication.translate("WriteSheet", "For %1").replace("%1", subject.text)
            )
        self.bounds.setText("\n".join(lines))
        self.field.clear()
        self.reason.clear()
        self.message.clear()
        self.pages.setCurrentIndex(0)
        self.busy = False
        self._check()
        self.open()

    def _key(self, text: str) -> None:
        current = self.field.text()
        if text == "−":
            self.field.setText(current[1:] if current.startswith("-") else "-" + current)
        elif text != "." or "." not in current:
            self.field.setText(current + text)

    def _candidate(self) -> object:
        assert self.tag is not None
        text = self.field.text()
        if self.tag.data_type is DataType.BOOL:
            return {"1": True, "0": False}.get(text)
        return text

    def _check(self) -> None:
        ok = False
        if self.tag is not None and self.current is not None:
            try:
                self.value = check_write(self.tag, self.current, self._candidate())
                ok = bool(self.reason.text().strip())
                self.message.setText(
                    "" if ok else QCoreApplication.translate("WriteSheet", "Give a reason.")
                )
            except WriteRefusedError as exc:
                self.value = None
                self.message.setText(f"✕ {exc}" if self.field.text() else "")
        self.next.setEnabled(ok)

    def review(self) -> None:
        if self.tag is None or self.current is None or self.value is None:
            return
        self.change.setText(
            f"{shown(self.tag, self.current.value)}  →  {shown(self.tag, self.value)}"
        )
        self.why.setText(
            QCoreApplication.translate("WriteSheet", "Reason: %1").replace(
                "%1", self.reason.text().strip()
            )
        )
        self.message.clear()
        self.write_button.setEnabled(True)
        self.pages.setCurrentIndex(1)

    def write(self) -> None:
        if self.busy or self.tag is None:
            return
        self.busy = True
        self.write_button.setEnabled(False)
        self.back.setEnabled(False)
        self.message.setText(QCoreApplication.translate("WriteSheet", "Writing…"))
        call = self._service.write(self.tag.id, self.value, self.reason.text().strip(), self.about)
        self._tasks.run(call, self._done, self._failed, what="tag.write")

    def _done(self, outcome: WriteOutcome) -> None:
        self.busy = False
        self.back.setEnabled(True)
        assert self.tag is not None
        if outcome.confirmed:
            text = QCoreApplication.translate(
                "WriteSheet", "✓ Written: the plant shows %1."
            ).replace("%1", shown(self.tag, outcome.read_back))
        else:
            text = QCoreApplication.translate(
                "WriteSheet", "✕ Sent, but the plant shows %1, not %2. Check at the machine."
            )
            text = text.replace("%1", shown(self.tag, outcome.read_back)).replace(
                "%2", shown(self.tag, outcome.new)
            )
        self.message.setText(text)
        self.written.emit(outcome)

    def _failed(self, failure: CallFailure) -> None:
        self.busy = False
        self.back.setEnabled(True)
        self.write_button.setEnabled(True)
        self.message.setText(f"✕ {failure.message}")


class WritableTags(Sheet):
    """The station's writable tags as tiles; a tap picks the one to change.

    Signals:
        chosen(str): the tag id.
    """

    chosen = Signal(str)

    def __init__(self, window: QWidget, station_name: str, tags: list[TagDef]) -> None:
        super().__init__(
            window,
            QCoreApplication.translate("WriteSheet", "Change a setpoint — %1").replace(
                "%1", station_name
            ),
        )
        touch = theme.touch_min_px()
        grid = QGridLayout()
        grid.setSpacing(touch // 3)
        for i, tag in enumerate(tags):
            tile = TouchButton(tag.name, touch * 5, round(touch * 1.4))
            tile.clicked.connect(lambda _c=False, t=tag.id: self._pick(t))
            grid.addWidget(tile, i // 3, i % 3)
        self.body.addLayout(grid)
        cancel = TouchButton(QCoreApplication.translate("WriteSheet", "Cancel"), touch * 3, touch)
        cancel.clicked.connect(self.close_sheet)
        self.body.addWidget(cancel, 0, Qt.AlignmentFlag.AlignLeft)

    def _pick(self, tag_id: str) -> None:
        self.close_sheet()
        self.chosen.emit(tag_id)
