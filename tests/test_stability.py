"""Guards against a Qt binding that corrupts refcounts and aborts a long-running HMI.

PySide6 6.12.0 on Python 3.11 loses two references to None per repaint and one
to True per signal emit; after some thousand trend updates the interpreter dies
with "Fatal Python error: none_dealloc". The pin in pyproject.toml keeps it out;
these tests catch it in milliseconds if it ever comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from hmi.domain.clock import ManualClock
from hmi.domain.plant import PlantDef
from hmi.domain.tags import TagStore
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.main_window import MainWindow

REPEATS = 500
# Other code may take or drop a handful of references meanwhile; the fault loses
# REPEATS (True) or 2 x REPEATS (None), far beyond this slack.
SLACK = 50


class _Emitter(QObject):
    fired = Signal(bool)


def test_repainting_the_main_window_keeps_references_to_none(
    qtbot: QtBot, demo_plant: PlantDef
) -> None:
    clock = ManualClock()
    store = TagStore(demo_plant.tags, clock)
    window = MainWindow(demo_plant, RuntimeBridge(store, list), clock.now, audible=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.repaint()
    before = sys.getrefcount(None)
    for _ in range(REPEATS):
        window.repaint()
    assert sys.getrefcount(None) >= before - SLACK


def test_emitting_signals_keeps_references_to_true(qtbot: QtBot) -> None:
    emitter = _Emitter()
    received: list[bool] = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(REPEATS):
        emitter.fired.emit(True)
    received.clear()
    assert sys.getrefcount(True) >= before - SLACK
