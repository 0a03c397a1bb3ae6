"""The first record an operator makes: a note or intervention on a station.

"Saved" appears only when the record service's call has returned, that is
after the record, its audit entry and its outbox row are committed together.
Until then the sheet says "Saving…" and Save cannot be pressed twice; on a
refusal or a storage error the text stays in the field and the reason shows.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from hmi.domain.plant import StationDef
from hmi.domain.records import Record, RecordKind
from hmi.domain.roles import Action
from hmi.gui import theme
from hmi.gui.about import Subject, SubjectOf
from hmi.gui.tasks import CallFailure, ServiceTasks
from hmi.gui.touch import Sheet, TouchButton, TouchField, say
from hmi.services.records import RecordService

NOTE_MAX_CHARS = 500


class InterventionSheet(Sheet):
    """A text field and big Save and Cancel buttons; Saved only after the commit.

    Signals:
        saved(Record): the record is on disk (emitted after its commit).
        closed(): inherited; the sheet closed.
    """

    saved = Signal(object)

    def __init__(
        self, window: QWidget, station: StationDef, tasks: ServiceTasks, records: RecordService
    ) -> None:
        title = QCoreApplication.translate("InterventionSheet", "Note / intervention — %1")
        super().__init__(window, title.replace("%1", station.name))
        self.station = station
        self._tasks = tasks
        self._records = records
        self.saving = False
        self.record: Record | None = None
        touch = theme.touch_min_px()
        self.panel.setMinimumWidth(touch * 16)
        prompt = QLabel(self.tr("What did you do or see? It is saved with your name and the time."))
        prompt.setWordWrap(True)
        self.body.addWidget(prompt)
        self.text = TouchField(touch)
        self.text.setMaxLength(NOTE_MAX_CHARS)
        self.text.setPlaceholderText(self.tr("For example: cleared a jam at the infeed"))
        self.text.textChanged.connect(self._update_buttons)
        self.text.returnPressed.connect(self.save)
        self.body.addWidget(self.text)
        # What the note addresses (the open stop, an alarm): on record unless untapped.
        self.subject: Subject | None = None
        self.subject_of: SubjectOf | None = None
        self.about_button = TouchButton("", touch * 8, touch, grow=True)
        self.about_button.setCheckable(True)
        self.about_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.about_button.toggled.connect(self._show_about)
        self.about_button.hide()
        self.body.addWidget(self.about_button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(self.message.fontMetrics().height() * 2)
        self.body.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.setSpacing(touch)  # Save and Cancel well apart: a slip does not hit the other
        self.cancel_button = TouchButton(self.tr("Cancel"), touch * 4, round(touch * 1.4))
        self.save_button = TouchButton(self.tr("Save"), touch * 4, round(touch * 1.4))
        self.save_button.setObjectName("primary")
        for button in (self.cancel_button, self.save_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.close_sheet)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        self.body.addLayout(buttons)
        self._update_buttons()

    def open(self) -> None:
        if self.record is not None:  # the last note is saved: start a new one
            self.record = None
            self.text.clear()
            self.text.setReadOnly(False)
            self._say("")
        self.subject = self.subject_of() if self.subject_of is not None else None
        self.about_button.setVisible(self.subject is not None)
        self.about_button.setChecked(self.subject is not None)
        self._show_about()
        self._update_buttons()
        super().open()
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        text = self.text.text().strip()
        if self.saving or self.record is not None or not text:
            return
        self.saving = True
        self.text.setReadOnly(True)
        self._say(self.tr("Saving…"))
        self._update_buttons()
        payload: dict[str, object] = {"text": text}
        if self.subject is not None and self.about_button.isChecked():
            payload["about"] = dict(self.subject.about)
        self.about_button.setEnabled(False)
        call = self._records.record(
            Action.RECORD_INTERVENTION, RecordKind.INTERVENTION, self.station.id, payload
        )
        self._tasks.run(call, self._saved, self._failed, what="record.intervention")

    def _saved(self, record: Record) -> None:
        self.saving = False
        self.record = record
        self._say(
            self.tr("✓ Saved: %1 record no. %2.")
            .replace("%1", self.station.name)
            .replace("%2", str(record.seq))
        )
        self._update_buttons()
        self.saved.emit(record)

    def _show_about(self) -> None:
        if self.subject is None:
            return
        if self.about_button.isChecked():
            text = self.tr("✓ About %1 (tap: not about it)")
        else:
            text = self.tr("Not linked. Tap: about %1")
        self.about_button.setText(text.replace("%1", self.subject.text))

    def _failed(self, failure: CallFailure) -> None:
        self.saving = False
        self.about_button.setEnabled(True)
        self.text.setReadOnly(False)  # the text stays: sign in and save again
        self._say(failure.message, problem=True)
        self._update_buttons()

    def _update_buttons(self) -> None:
        done = self.record is not None
        self.save_button.setVisible(not done)
        self.save_button.setEnabled(not self.saving and bool(self.text.text().strip()))
        self.cancel_button.setEnabled(not self.saving)
        self.cancel_button.setText(self.tr("Close") if done else self.tr("Cancel"))

    def _say(self, text: str, problem: bool = False) -> None:
        say(self.message, text, problem)


class StationActions(QWidget):
    """The actions under a station page (ISA-101 level 2); for now the note or intervention.

    Signals:
        saved(Record): a record of this station was committed.
    """

    saved = Signal(object)

    def __init__(
        self,
        window: QWidget,
        station: StationDef,
        tasks: ServiceTasks,
        records: RecordService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        touch = theme.touch_min_px()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 0, 16, 12)
        self.last = QLabel()
        self.last.setObjectName("muted")
        self.note_button = TouchButton(self.tr("✎ Note…"), touch * 4, round(touch * 1.2))
        layout.addWidget(self.last, 1)
        layout.addWidget(self.note_button)
        self._layout = layout
        self.sheet = InterventionSheet(window, station, tasks, records)
        self.note_button.clicked.connect(self.sheet.open)
        self.sheet.saved.connect(self._saved)

    def add_button(self, button: QWidget) -> None:
        """Another action of the station, before the note (e.g. change a setpoint)."""
        self._layout.insertWidget(self._layout.indexOf(self.note_button), button)

    def _saved(self, record: Record) -> None:
        at = datetime.fromtimestamp(record.ts).strftime("%H:%M:%S")
        self.last.setText(
            self.tr("Last note: no. %1 at %2, saved.")
            .replace("%1", str(record.seq))
            .replace("%2", at)
        )
        self.saved.emit(record)


class StationHost(QWidget):
    """A station page with its row of actions below it and panels beside both: one page.

    Signals: none.
    """

    def __init__(self, page: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(0)
        self._layout = QVBoxLayout()
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addWidget(page, 1)
        self._row.addLayout(self._layout, 1)

    def add_actions(self, actions: QWidget) -> None:
        self._layout.addWidget(actions)

    def add_side(self, panel: QWidget) -> None:
        """A panel to the right of the page, its full height (the station's downtime, OEE)."""
        self._row.addWidget(panel)
