"""Python's cycle collector runs on the GUI thread only.

Left automatic, the collector runs in whichever thread happens to allocate
when a generation fills up: often the runtime's thread, which then destroys
Qt objects (a closed sheet, a replaced model) outside the thread that owns
them. Qt does not allow that: at best a warning, at worst a crash or a
deadlock with the GIL held, which nothing, not even a signal, can break.

So automatic collection is switched off and a timer on the GUI thread does
the same work: it collects each generation when the counts show the
interpreter would have. Reference counting, which frees almost everything,
is untouched; only cycles wait for the next tick.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

TICK_MS = 250


def collect_due(counts: tuple[int, int, int], thresholds: tuple[int, int, int]) -> int | None:
    """The oldest generation the interpreter would collect now, or None."""
    due: int | None = None
    for generation in range(3):
        threshold = thresholds[generation]
        if threshold > 0 and counts[generation] > threshold:
            due = generation
    return due


class GuiThreadCollector(QObject):
    """Owns the cycle collector while it lives; ``stop`` gives it back."""

    def __init__(self, parent: QObject | None = None, tick_ms: int = TICK_MS) -> None:
        super().__init__(parent)
        thresholds = gc.get_threshold()
        self._thresholds = (thresholds[0], thresholds[1], thresholds[2])
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> int | None:
        """Collect what is due; the generation collected, or None."""
        generation = collect_due(gc.get_count(), self._thresholds)
        if generation is not None:
            gc.collect(generation)
        return generation

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
