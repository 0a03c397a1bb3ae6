"""QtMultimedia, optional: the alarm horn and instruction videos use it when it is there."""

from __future__ import annotations

from PySide6.QtCore import QLoggingCategory


def quiet_multimedia() -> None:
    """Keep QtMultimedia from warning about optional libraries it looks for and does not
    find (PipeWire, VA-API hardware decoding): none of them is needed here."""
    QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver.warning=false")
