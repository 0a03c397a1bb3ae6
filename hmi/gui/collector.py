"""Python's cycle collector runs on the GUI thread only.

Left automatic, the collector runs in whichever thread happens to allocate
when a generation fills up: often the runtime's thread, which then destroys
Qt objects (a closed sheet, a replaced model) outside the thread that owns
them. Qt does not allow that: at best a warning, at worst a crash or a
deadlock with the GIL held, which nothing, not even a signal, can break.

So automatic collection is switched off and a timer on the GUI thread does
the work: it collects the young generations when their counts pass the
interpreter's thresholds, and the whole heap when the oldest generation's
count does, but at most once a minute. The interpreter itself holds a full
collection back until a quarter of the heap is new since the last one, a
figure Python does not expose; a full collection of the running program
takes tens of milliseconds, which the operator would feel every few seconds.
Reference counting, which frees almost everything, is untouched; only
cycles wait for the next tick.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

TICK_MS = 250
FULL_EVERY_S = 60.0  # the least time between two collections of the whole heap


def collect_due(
    counts: tuple[int, int, int],
    thresholds: tuple[int, int, int],
    since_full_s: float,
    full_every_s: float = FULL_EVERY_S,
) -> int | None:
    """The oldest generation to collect now, or None.

    ``since_full_s``: the time since the last collection of generation 2.
    """
    due: int | None = None
    for generation in range(3):
        threshold = thresholds[generation]
        if threshold > 0 and counts[generation] > threshold:
            if generation == 2 and since_full_s < full_every_s:
                break
            due = generation
    return due


class GuiThreadCollector(QObject):
    """Owns the cycle collector while it lives; ``stop`` gives it back."""

    def __init__(
        self,
        parent: QObject | None = None,
        tick_ms: int = TICK_MS,
        full_every_s: float = FULL_EVERY_S,
    ) -> None:
        super().__init__(parent)
        thresholds = gc.get_threshold()
        self._thresholds = (thresholds[0], thresholds[1], thresholds[2])
        self._full_every_s = full_every_s
        self._last_full = time.monotonic()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> int | None:
        """Collect what is due; the generation collected, or None."""
        now = time.monotonic()
        since_full = now - self._last_full
        generation = collect_due(gc.get_count(), self._thresholds, since_full, self._full_every_s)
        if generation is not None:
            gc.collect(generation)
            if generation == 2:
                self._last_full = now
        return generation

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
