"""The bridge from the runtime thread to the GUI: coalesced batches on a timer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from hmi.domain.health import SourceHealth
from hmi.domain.plant import TagDef
from hmi.domain.tags import TagStore, TagValue

FRAME_MS = 33  # at most 30 batches a second, however fast the plant publishes
HEALTH_MS = 500


class RuntimeBridge(QObject):
    """Drains the tag store's pending changes on the GUI thread and hands them out.

    Signals:
        tags_changed(dict[str, TagValue]): the latest sample of each tag that
            changed since the last frame; emitted at most every ``FRAME_MS``.
        health_changed(list[SourceHealth]): every source's link, twice a second.
        ticked(): once a second, for ages and the clock.
        tags_declared(list[TagDef]): tags a source declared or changed while
            running (Sparkplug births); emitted before the frame's ``tags_changed``.
    """

    tags_changed = Signal(object)
    tags_declared = Signal(object)
    health_changed = Signal(object)
    ticked = Signal()

    def __init__(
        self,
        store: TagStore,
        health: Callable[[], list[SourceHealth]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._health = health
        self.frames = 0
        self._frame_timer = QTimer(self)
        self._frame_timer.setInterval(FRAME_MS)
        self._frame_timer.timeout.connect(self.drain)
        self._health_timer = QTimer(self)
        self._health_timer.setInterval(HEALTH_MS)
        self._health_timer.timeout.connect(self.poll_health)
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(1000)
        self._tick_timer.timeout.connect(self.ticked)

    def start(self) -> None:
        self._frame_timer.start()
        self._health_timer.start()
        self._tick_timer.start()
        self.drain()
        self.poll_health()

    def stop(self) -> None:
        self._frame_timer.stop()
        self._health_timer.stop()
        self._tick_timer.stop()

    def snapshot(self) -> dict[str, TagValue]:
        return self._store.snapshot()

    def health(self) -> list[SourceHealth]:
        return self._health()

    def drain(self) -> None:
        declared: list[TagDef] = self._store.take_declared()
        if declared:
            self.tags_declared.emit(declared)
        changes = self._store.take_changes()
        self.frames += 1
        if changes:
            self.tags_changed.emit(changes)

    def poll_health(self) -> None:
        self.health_changed.emit(self._health())
