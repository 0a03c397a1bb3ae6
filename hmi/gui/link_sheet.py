"""Why a link is down, in full, on a touch screen that has no tooltips.

A tap on a source in the status bar opens it: the state since when, the last
error as the link reported it (a refused certificate names the file to
trust and where to copy it), and the last message it had to reject.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

from hmi.domain.health import SourceHealth
from hmi.gui import theme
from hmi.gui.touch import Sheet, TouchButton


class LinkSheet(Sheet):
    """One source's link: state, since, last error, last rejection."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window, QCoreApplication.translate("LinkSheet", "Link"))
        touch = theme.touch_min_px()
        self.panel.setFixedWidth(touch * 18)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.addWidget(self.facts)
        self.close_button = TouchButton(
            QCoreApplication.translate("LinkSheet", "Close"), touch * 3, round(touch * 1.2)
        )
        self.close_button.clicked.connect(self.close_sheet)
        self.body.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)

    def show_health(self, health: SourceHealth) -> None:
        self.title.setText(
            QCoreApplication.translate("LinkSheet", "Link to %1").replace("%1", health.source_id)
        )
        since = datetime.fromtimestamp(health.since).strftime("%H:%M:%S")
        lines = [
            QCoreApplication.translate("LinkSheet", "State: %1 since %2")
            .replace("%1", health.state.value)
            .replace("%2", since)
        ]
        if health.last_error:
            last = QCoreApplication.translate("LinkSheet", "Last error: %1")
            lines.append(last.replace("%1", health.last_error))
        if health.last_rejection:
            rejected = QCoreApplication.translate("LinkSheet", "Last rejected message: %1")
            lines.append(rejected.replace("%1", health.last_rejection))
        self.facts.setText("\n\n".join(lines))
