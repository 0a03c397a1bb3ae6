"""Cycles are collected on the GUI thread only, never in the runtime's thread."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hmi.gui.collector import GuiThreadCollector, collect_due


@pytest.mark.parametrize(
    ("counts", "since_full_s", "due"),
    [
        ((10, 0, 0), 600, None),
        ((701, 0, 0), 600, 0),
        ((701, 11, 0), 600, 1),
        ((701, 11, 11), 600, 2),
        ((0, 0, 11), 600, 2),  # an older generation due alone is collected with the younger
        ((5000, 0, 0), 600, 0),
        ((701, 11, 11), 59, 1),  # the whole heap at most once a minute
        ((0, 0, 11), 59, None),
    ],
)
def test_what_is_due_follows_the_thresholds_and_the_whole_heap_waits_a_minute(
    counts: tuple[int, int, int], since_full_s: float, due: int | None
) -> None:
    assert collect_due(counts, (700, 10, 10), since_full_s) == due


def test_a_zero_threshold_never_collects_that_generation() -> None:
    assert collect_due((10_000, 0, 0), (0, 10, 10), 600) is None


class Ticking(QObject):
    """A Qt object in a cycle with a running timer: only its own thread may destroy it."""

    def __init__(self) -> None:
        super().__init__()
        self.me = self
        self.timer = QTimer(self)
        self.timer.start(1000)


def test_a_qt_object_in_a_cycle_dies_on_the_gui_thread_whoever_allocates(
    qapp: QApplication, qtbot: QtBot
) -> None:
    gc.enable()  # as at the program's start
    collector = GuiThreadCollector(tick_ms=20)
    try:
        assert not gc.isenabled()
        died_on: list[str] = []
        ticking = Ticking()
        weakref.finalize(ticking, lambda: died_on.append(threading.current_thread().name))
        del ticking

        def churn() -> None:  # enough cycles to fill every generation several times
            for _ in range(300_000):
                pair: list[object] = []
                pair.append(pair)

        worker = threading.Thread(target=churn, name="runtime-like")
        worker.start()
        worker.join(30)
        assert not worker.is_alive()
        assert died_on == []  # nothing collected in the worker
        qtbot.waitUntil(lambda: died_on != [], timeout=5000)
        assert died_on == [threading.main_thread().name]
    finally:
        collector.stop()
        gc.disable()  # the suite's own policy (tests/conftest.py)
    assert gc.isenabled() is False
