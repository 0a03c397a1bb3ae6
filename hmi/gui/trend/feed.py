"""The one refresh timer of all trends, and the live buffer of every tag they show.

Each frame the feed takes every new sample of the followed tags from the
history (``take_tail``: all samples, so no peak between two frames is lost),
appends them to one ``PenSeries`` per tag, shared by every trend that shows
the tag, and asks the trends on screen to redraw. A tag's buffer is filled
from the history file when it is first shown, so a trend is never empty after a
restart or a page switch.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QTimer

from hmi.domain.plant import TagDef
from hmi.gui.trend.series import PenSeries
from hmi.storage.history import Codes, Floats, HistoryEvent, Samples

FRAME_MS = 33  # up to 30 frames a second for every trend together
BACKFILL_S = 3600.0  # what a live buffer is filled with on first show (it holds about 57,000)
RAW = 1 << 30  # as many points as there are: ask the history for raw samples


class HistorySource(Protocol):
    """What the trends need from the history (``HistoryService`` is one)."""

    def follow(self, tags: list[str]) -> None: ...

    def take_tail(self) -> tuple[dict[str, tuple[Floats, Floats, Codes]], set[str]]: ...

    def load(
        self, tag: str, t0: float, t1: float, max_points: int
    ) -> concurrent.futures.Future[Samples]: ...

    def events(self, t0: float, t1: float) -> concurrent.futures.Future[list[HistoryEvent]]: ...

    def export_csv(
        self, path: Path, tags: Sequence[TagDef], t0: float, t1: float
    ) -> concurrent.futures.Future[int]: ...


class FeedClient(Protocol):
    """A trend fed by the feed."""

    def tags(self) -> list[str]: ...

    def is_shown(self) -> bool: ...

    def refresh(self, now: float) -> None: ...


class TrendFeed(QObject):
    """Feeds live buffers and redraws the trends on screen, all on one timer."""

    def __init__(
        self, source: HistorySource | None, now: Callable[[], float], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.now = now
        self.series: dict[str, PenSeries] = {}
        self._backfills: dict[str, concurrent.futures.Future[Samples]] = {}
        self._clients: list[FeedClient] = []
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.tick)
        self.frames = 0

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def add(self, client: FeedClient) -> None:
        self._clients.append(client)
        self.refollow()

    def refollow(self) -> None:
        """Follow exactly the tags some trend shows; a tag shown anew is backfilled."""
        wanted = sorted({tag for client in self._clients for tag in client.tags()})
        for tag in list(self.series):
            if tag not in wanted:
                del self.series[tag]
                self._backfills.pop(tag, None)
        if self.source is not None:
            self.source.follow(wanted)
        for tag in wanted:
            if tag not in self.series:
                self.series[tag] = PenSeries()
                self._backfill(tag)

    def _backfill(self, tag: str) -> None:
        if self.source is None:
            return
        now = self.now()
        self._backfills[tag] = self.source.load(tag, now - BACKFILL_S, now + 1.0, RAW)

    def tick(self) -> None:
        """One frame: new samples in, finished backfills in, trends on screen redrawn."""
        self.frames += 1
        if self.source is not None:
            tails, overflowed = self.source.take_tail()
            for tag, (t, v, q) in tails.items():
                series = self.series.get(tag)
                if series is not None:
                    series.append(t, v, q)
            for tag in overflowed:
                if tag in self.series:
                    self.series[tag].clear()
                    self._backfill(tag)
            self._take_backfills()
        now = self.now()
        for client in self._clients:
            if client.is_shown():
                client.refresh(now)

    def _take_backfills(self) -> None:
        for tag, future in list(self._backfills.items()):
            if not future.done():
                continue
            del self._backfills[tag]
            series = self.series.get(tag)
            if series is None or future.exception() is not None:
                continue
            samples = future.result()
            if samples.bucketed:
                continue  # raw samples were not kept that far back: the view loads buckets
            series.prepend(samples.t, samples.v, samples.q)

    def backfilling(self) -> bool:
        return bool(self._backfills)

    def wait_backfills(self, timeout: float = 10.0) -> None:
        """Block until the pending backfills are in (tests, and the screenshot tool)."""
        concurrent.futures.wait(list(self._backfills.values()), timeout)
        self._take_backfills()
