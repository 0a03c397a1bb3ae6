"""Downtime on the screen: the reason picker, the queue, the station's live OEE.

A real runtime reads the line's machine state from Mosquitto (the plant and
the line of ``tests/test_downtime_service.py``), on a clock that stands
still: stops and counts are stamped by the test, so every time and figure on
screen is known and the screenshots are the same on every run. Every wait is
bounded (``qtbot.waitUntil``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from hmi.domain.clock import ManualClock
from hmi.domain.health import LinkState
from hmi.domain.records import Record
from hmi.gui import theme
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.downtime.panel import DowntimePanel
from hmi.gui.downtime.picker import ReasonPicker, ReasonTile
from hmi.gui.main_window import MainWindow
from hmi.gui.session_control import OperatorServices
from hmi.services.runtime import Runtime
from tests.support.images import assert_matches_approved
from tests.support.mosquitto import MosquittoBroker
from tests.support.wait import wait_until
from tests.test_downtime_service import REASONS as TREE
from tests.test_downtime_service import Line, downtime_plant

WAIT_MS = 10_000
# The service tests' tree as the plant file's loader makes it: planned and colour handed down.
REASONS = tuple(
    dataclasses.replace(
        category,
        children=tuple(
            dataclasses.replace(c, planned=category.planned, color=category.color)
            for c in category.children
        ),
    )
    for category in TREE
)


class StillLine(Line):
    """The service tests' line on a clock the test moves, from ``t0`` on a full hour.

    Each state is stamped with the clock's time, moved forward to it first,
    and the clock moves on only once the runtime has the state: the tracker
    takes a stamp older than its last tick (once a second) as that tick's time.
    The MQTT link stamps receipt with the wall clock, and the history keeps a
    source's stamp only within a day of that: so ``t0`` is a recent hour (the
    last but one) rather than a fixed date, and ``screen_zone`` shows it as 07:00.
    """

    def __init__(self, broker: MosquittoBroker, cache: Path) -> None:
        self.clock = ManualClock(time.time() // 3600 * 3600 - 3600)
        super().__init__(
            broker, cache, dataclasses.replace(downtime_plant(broker.port), reasons=REASONS)
        )
        self.t0 = self.clock.now()

    def at(self, minutes: float) -> None:
        """Move the clock on to ``minutes`` after ``t0`` (never back)."""
        ahead = self.t0 + minutes * 60 - self.clock.now()
        if ahead > 0:
            self.clock.advance(ahead)

    def state(self, state: str, minutes: float) -> None:
        """Publish a state and wait until the runtime has it: only then may the clock move on.

        The store takes a sample just before the tracker does, in one call on
        the runtime's loop, so no tick can come between them.
        """
        self.at(minutes)
        super().state(state, minutes)
        ts, store = self.t0 + minutes * 60, self.runtime.store
        wait_until(lambda: store.get("state").source_ts == ts, 10, f"the state at {minutes} min")

    def start(self) -> Runtime:
        runtime = Runtime(self.plant, clock=self.clock, cache_path=self.cache)
        runtime.start()
        wait_until(lambda: runtime.acquisition.health()[0].state is LinkState.CONNECTED, 10)
        self.runtime = runtime
        return runtime

    def counts(self, minutes: float, good: int, reject: int) -> None:
        ts = self.t0 + minutes * 60
        self.pub.send("line/good", json.dumps({"v": good, "ts": ts}))
        self.pub.send("line/reject", json.dumps({"v": reject, "ts": ts}))


def screen_zone(ts: float, hour: int) -> str:
    """A POSIX time zone in which ``ts`` (on the hour) reads ``hour`` o'clock."""
    offset = (hour - int(ts // 3600) % 24) % 24
    offset = offset - 24 if offset > 12 else offset
    return f"HMI{-offset:+d}"  # POSIX: the sign is west of Greenwich


@contextlib.contextmanager
def time_zone(zone: str) -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()


@dataclass
class Screen:
    line: StillLine
    window: MainWindow
    qtbot: QtBot

    @property
    def panel(self) -> DowntimePanel:
        return self.window.downtime_panels["filler"]

    @property
    def picker(self) -> ReasonPicker:
        return self.panel.picker

    def click(self, widget: QWidget) -> None:
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def settle(self) -> None:
        """Every call to the runtime has come back, and the layouts have caught up."""
        self.qtbot.waitUntil(lambda: self.window.tasks.pending == 0, timeout=WAIT_MS)
        for _ in range(3):
            QCoreApplication.sendPostedEvents()

    def stops(self, n: int) -> None:
        """``n`` stops of five minutes, ten minutes apart from 07:10; wait for the panel."""
        self.line.state("running", 0)
        for i in range(n):
            self.line.state("stopped", 10 + 10 * i)
            self.line.state("running", 15 + 10 * i)
        self.qtbot.waitUntil(lambda: len(self.panel.waiting) == n, timeout=WAIT_MS)

    def still(self) -> None:
        """Everything on screen as of the clock: what the once-a-second timers would show."""
        window = self.window
        assert window.session is not None and window.reasons_waiting is not None
        window.session.poll()
        self.panel.poll()
        window.bridge.drain()
        window.bridge.poll_health()
        window.tick()
        self.settle()
        self.panel.poll()  # the version after the calls that came back
        window.reasons_waiting.poll()
        self.settle()

    def tile(self, tiles: list[ReasonTile], name: str) -> ReasonTile:
        [tile] = [t for t in tiles if t.name == name]
        return tile

    def save(self) -> str:
        self.click(self.picker.save_button)
        self.qtbot.waitUntil(lambda: not self.picker.saving, timeout=WAIT_MS)
        return self.picker.message.text()

    def records(self) -> list[Record]:
        return self.line.records()


@pytest.fixture
def screen(qtbot: QtBot, qapp: object, broker: MosquittoBroker, tmp_path: Path) -> Iterator[Screen]:
    theme.apply(qapp)  # type: ignore[arg-type]
    line = StillLine(broker, tmp_path / "cache.sqlite")
    rt = line.runtime
    with time_zone(screen_zone(line.t0, 7)):  # the stamps read 07:00 to 08:00
        bridge = RuntimeBridge(rt.store, rt.acquisition.health)
        window = MainWindow(rt.plant, bridge, rt.clock.now, OperatorServices.of(rt), audible=False)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        window.show_station("filler")
        screen = Screen(line, window, qtbot)
        screen.settle()
        yield screen
        window.close()
        rt.stop()
        line.pub.close()


def test_a_stop_is_counted_on_the_panel_and_on_every_screen_and_opens_the_picker(
    screen: Screen,
) -> None:
    window, panel = screen.window, screen.panel
    assert panel.waiting_text.text() == "Waiting for a reason: 0"
    screen.stops(1)
    assert panel.waiting_text.text() == "Waiting for a reason: 1"
    assert window.reasons_waiting is not None
    screen.qtbot.waitUntil(
        lambda: (
            window.reasons_waiting is not None
            and window.reasons_waiting.text() == "Reasons waiting: 1"
        ),
        timeout=WAIT_MS,
    )
    window.show_overview()
    screen.click(window.reasons_waiting)  # off the station pages: every station's queue
    queue = window.reason_queue
    assert queue is not None and queue.is_open
    [row] = queue.buttons.values()
    assert row.text() == "Filler · ○ Stopped · from 07:10:00 · 5 min 00 s"
    screen.click(row)
    assert screen.picker.is_open and screen.picker.stop_event is not None
    assert screen.picker.facts.text() == "○ Stopped · from 07:10:00 · 5 min 00 s"
    assert screen.picker.title.text() == "Why did Filler stop?"


def test_a_reason_is_saved_only_when_the_service_has_it_and_then_comes_first(
    screen: Screen,
) -> None:
    screen.stops(2)
    first, second = screen.panel.waiting
    screen.line.sign_in("olga")
    screen.click(screen.panel.queue_button)
    assert list(screen.panel.queue.buttons) == [first.id, second.id], "oldest first"
    screen.click(screen.panel.queue.buttons[first.id])
    picker = screen.picker
    assert [t.code for t in picker.most_used] == ["mech.jam", "mech.valve", "plan.clean"]
    assert [t.name for t in picker.browse] == ["Mechanical", "Planned"]
    assert not picker.save_button.isEnabled(), "nothing chosen yet"
    screen.click(screen.tile(picker.browse, "Mechanical"))
    assert [t.name for t in picker.browse] == ["‹ Back", "Jam", "Valve broken"]
    assert picker.crumbs.text() == "All reasons › Mechanical"
    screen.click(screen.tile(picker.browse, "Valve broken"))
    assert (
        picker.chosen == "mech.valve" and picker.chosen_label.text() == "Valve broken  (Mechanical)"
    )
    picker.comment.setText("seat worn")
    screen.click(picker.save_button)
    assert picker.message.text() == "Saving…", "not Saved before the call returned"
    screen.qtbot.waitUntil(lambda: not picker.saving, timeout=WAIT_MS)
    assert picker.message.text() == "✓ Saved: Valve broken for the stop from 07:10:00."
    assert not picker.save_button.isVisible() and picker.cancel_button.text() == "Close"
    [record] = screen.records()
    assert (record.user, record.payload["reason"], record.payload["comment"]) == (
        "olga",
        "mech.valve",
        "seat worn",
    )
    screen.qtbot.waitUntil(lambda: len(screen.panel.waiting) == 1, timeout=WAIT_MS)
    screen.click(picker.cancel_button)
    assert not picker.is_open
    picker_for_second = screen.panel.queue.buttons[second.id]
    screen.click(picker_for_second)
    assert [t.code for t in picker.most_used][:2] == ["mech.valve", "mech.jam"]
    assert picker.chosen is None and picker.comment.text() == ""


def test_search_narrows_the_tiles_to_reasons_by_name(screen: Screen) -> None:
    screen.stops(1)
    screen.panel.pick(screen.panel.waiting[0])
    picker = screen.picker
    screen.qtbot.keyClicks(picker.search, "VAL")
    assert [t.name for t in picker.browse] == ["‹ All reasons", "Valve broken"]
    assert picker.crumbs.text() == "1 reasons match"
    screen.qtbot.keyClicks(picker.search, "x")
    assert [t.name for t in picker.browse] == ["‹ All reasons"]
    picker.search.setText("n")
    assert [t.name for t in picker.browse[1:]] == ["Valve broken", "Cleaning"]
    assert picker.browse[2].note == "◻ planned", "a planned reason says so in words"
    screen.click(picker.browse[0])
    assert picker.search.text() == "" and [t.name for t in picker.browse] == [
        "Mechanical",
        "Planned",
    ]


def test_a_locked_screen_and_an_operators_correction_are_refused_with_the_reason(
    screen: Screen,
) -> None:
    screen.stops(1)
    [event] = screen.panel.waiting
    picker = screen.picker
    screen.panel.pick(event)
    screen.click(screen.tile(picker.most_used, "Jam"))
    refused = screen.save()
    assert refused.startswith("✕ Refused: the screen is locked or nobody is signed in")
    assert picker.save_button.isEnabled() and picker.chosen == "mech.jam", "the choice stays"
    screen.line.sign_in("olga")
    assert screen.save() == "✓ Saved: Jam for the stop from 07:10:00."
    screen.click(picker.cancel_button)
    screen.qtbot.waitUntil(lambda: screen.panel._given() != [], timeout=WAIT_MS)
    screen.click(screen.panel.queue_button)
    [row] = screen.panel.queue.buttons.values()
    assert row.text().endswith("5 min 00 s · Jam")
    screen.click(row)
    assert picker.title.text() == "Change the reason — Filler" and picker.chosen == "mech.jam"
    screen.click(screen.tile(picker.most_used, "Valve broken"))
    assert screen.save() == "✕ Refused: your role may not do this. Ask your lead."
    assert [r.payload["reason"] for r in screen.records()] == ["mech.jam"]


def test_a_stop_by_hand_starts_and_ends_from_the_panel(screen: Screen) -> None:
    screen.line.state("running", 0)
    screen.line.sign_in("olga")
    panel = screen.panel
    screen.qtbot.waitUntil(lambda: screen.line.runtime.store.get("state").value == "running")
    assert panel.manual_button.isVisible() and not panel.end_button.isVisible()
    screen.click(panel.manual_button)
    picker = screen.picker
    assert picker.title.text() == "Stop by hand — Filler" and picker.save_button.isEnabled()
    screen.click(screen.tile(picker.most_used, "Cleaning"))
    assert screen.save() == "✓ Saved: the stop started, Cleaning."
    screen.click(picker.cancel_button)
    screen.qtbot.waitUntil(lambda: panel.open_event is not None, timeout=WAIT_MS)
    assert panel.stop_text.text().endswith("since 07:00:00 · 0 min 00 s · opened by hand")
    assert panel.reason_text.text() == "Reason: Cleaning"
    assert panel.end_button.isVisible() and not panel.manual_button.isVisible()
    screen.click(panel.end_button)
    screen.qtbot.waitUntil(lambda: panel.open_event is None, timeout=WAIT_MS)
    assert panel.stop_text.text() == "No stop open"
    assert [r.payload["reason"] for r in screen.records()] == ["plan.clean"]


def oee_line(screen: Screen) -> None:
    """The service test's window: 07:00-07:30, 910 pieces, a five-minute stop at 07:10.

    The clock then stands at 08:00, and the filler is faulted since 07:50.
    """
    for minutes, good, reject in ((0, 100, 0), (20, 1000, 10), (40, 1500, 12)):
        screen.line.counts(minutes, good, reject)
    screen.stops(1)
    screen.line.state("faulted", 50)  # open, after the window
    screen.qtbot.waitUntil(lambda: screen.panel.open_event is not None, timeout=WAIT_MS)
    screen.line.at(60)
    t0 = screen.line.t0
    screen.panel.set_window(t0, t0 + 30 * 60)

    def counted() -> bool:  # the counts reach the history at its next flush
        if screen.panel.counts.text() == "Good 900\nReject 10":
            return True
        screen.panel.refresh()
        return False

    screen.qtbot.waitUntil(counted, timeout=WAIT_MS)
    screen.settle()


def test_the_oee_panel_shows_the_figures_of_a_known_window(screen: Screen) -> None:
    oee_line(screen)
    panel = screen.panel
    # planned 1800 s, 300 s down: A = 1500/1800; P = 910 x 1 s / 1500 s; Q = 900/910
    assert panel.oee_title.text() == "OEE 07:00–07:30"
    assert panel.oee_figure.text() == "50.0 %"
    shown = {key: (bar.fraction, label.text()) for key, (bar, label) in panel.factors.items()}
    assert shown == {
        "availability": (pytest.approx(1500 / 1800), "83.3 %"),
        "performance": (pytest.approx(910 / 1500), "60.7 %"),
        "quality": (pytest.approx(900 / 910), "98.9 %"),
    }
    name, bar, minutes = panel.losses[0]
    assert (name.text(), minutes.text(), bar.fraction) == ("No reason yet (1×)", "5.0 min", 1.0)
    assert not panel.losses[1][0].isVisible()


def _too_small(root: QWidget, least: int) -> list[str]:
    small = []
    for widget in root.findChildren(QWidget):
        interactive = isinstance(widget, QAbstractButton | QLineEdit) and widget.isVisible()
        if interactive and min(widget.width(), widget.height()) < least:
            small.append(f"{widget.text()!r} {widget.width()}x{widget.height()}")
    return small


def test_every_target_of_panel_picker_and_queue_is_big_enough(screen: Screen) -> None:
    least = theme.touch_min_px()
    screen.stops(1)
    assert _too_small(screen.panel, least) == []
    assert screen.window.reasons_waiting is not None
    assert _too_small(screen.window.status, least) == []
    screen.click(screen.panel.queue_button)
    assert _too_small(screen.panel.queue, least) == []
    screen.click(next(iter(screen.panel.queue.buttons.values())))
    tiles = screen.picker.most_used + screen.picker.browse
    glove = theme.mm_to_px(15)
    assert all(min(t.width(), t.height()) >= glove for t in tiles)
    assert _too_small(screen.picker, least) == []


def test_the_reason_picker_matches_the_approved_screen(screen: Screen) -> None:
    screen.stops(2)
    first, second = screen.panel.waiting
    screen.line.sign_in("olga")
    screen.panel.pick(first)
    screen.click(screen.tile(screen.picker.most_used, "Valve broken"))
    assert screen.save().startswith("✓ Saved")
    screen.panel.pick(second)
    screen.click(screen.tile(screen.picker.browse, "Mechanical"))
    screen.click(screen.tile(screen.picker.browse, "Jam"))
    screen.still()
    assert_matches_approved(screen.window.grab().toImage(), "downtime_picker")


def test_the_station_page_with_oee_matches_the_approved_screen(screen: Screen) -> None:
    oee_line(screen)
    screen.still()
    assert screen.panel.stop_text.text() == "▲ Faulted since 07:50:00 · 10 min 00 s"
    assert_matches_approved(screen.window.grab().toImage(), "station_filler_oee")


def test_a_lead_splits_and_merges_a_stop_on_the_shift_sheet_and_exports_the_summary(
    screen: Screen, tmp_path: Path
) -> None:
    screen.stops(1)  # 07:10 to 07:15, no reason yet
    panel = screen.panel
    sheet = panel.shift_sheet
    sheet.export_dir = tmp_path / "exports"
    screen.line.sign_in("olga")
    screen.click(panel.shift_button)
    assert sheet.is_open
    screen.qtbot.waitUntil(lambda: len(sheet.buttons) == 1, timeout=WAIT_MS)
    [row] = sheet.buttons.values()
    assert not sheet.split_button.isEnabled(), "nothing chosen yet"
    screen.click(row)
    screen.click(sheet.split_button)
    assert sheet.split_text.text() == "Split at 07:12:30: 2 min 30 s before, 2 min 30 s after"
    screen.click(sheet.step_buttons[-60])
    screen.click(sheet.step_buttons[-10])
    assert sheet.split_text.text().startswith("Split at 07:11:20")
    screen.click(sheet.split_here)
    screen.qtbot.waitUntil(lambda: not sheet.busy, timeout=WAIT_MS)
    assert sheet.message.text() == "✕ Refused: your role may not do this. Ask your lead."
    assert len(sheet.buttons) == 1
    screen.line.sign_in("leo")
    screen.click(sheet.split_here)
    screen.qtbot.waitUntil(lambda: len(sheet.buttons) == 2, timeout=WAIT_MS)
    assert sheet.message.text() == "✓ Split: two stops, each with the reason it had."
    start = screen.line.t0 + 10 * 60
    assert [(e.start - start, e.end - start) for e in sheet.events] == [(0, 80), (80, 300)]
    first, second = sheet.events
    screen.click(sheet.buttons[second.id])
    assert not sheet.merge_button.isEnabled(), "nothing follows the last stop"
    screen.click(sheet.buttons[first.id])
    screen.click(sheet.merge_button)
    screen.qtbot.waitUntil(lambda: len(sheet.buttons) == 1, timeout=WAIT_MS)
    [merged] = sheet.events
    assert (merged.start, merged.end) == (start, start + 300)
    assert merged.replaces == (first.id, second.id)
    screen.qtbot.waitUntil(lambda: sheet.summary is not None, timeout=WAIT_MS)
    screen.still()
    assert "Stops 1 · waiting for a reason 1" in sheet.summary_text.text()
    assert _too_small(sheet, theme.touch_min_px()) == []
    assert_matches_approved(screen.window.grab().toImage(), "shift_sheet")
    screen.click(sheet.export_button)
    screen.qtbot.waitUntil(lambda: "Exported" in sheet.message.text(), timeout=WAIT_MS)
    [page] = (tmp_path / "exports").iterdir()
    assert "Filler" in page.read_text(encoding="utf-8")


def test_an_order_typed_or_scanned_on_the_panel_and_a_note_about_the_open_stop(
    screen: Screen,
) -> None:
    panel, qtbot = screen.panel, screen.qtbot
    assert panel.context_text.text() == "No order known"
    screen.line.sign_in("olga")
    screen.click(panel.context_button)
    sheet = panel.context_sheet
    assert sheet.is_open and sheet.fields["order"].hasFocus()
    # A scanner types like a keyboard and ends with Enter: each field, then the next.
    qtbot.keyClicks(sheet.fields["order"], "A-99")
    qtbot.keyClick(sheet.fields["order"], Qt.Key.Key_Return)
    assert sheet.fields["product"].hasFocus()
    qtbot.keyClicks(sheet.fields["product"], "cola")
    qtbot.keyClick(sheet.fields["product"], Qt.Key.Key_Return)
    qtbot.keyClicks(sheet.fields["batch"], "B7")
    qtbot.keyClick(sheet.fields["batch"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not sheet.is_open, timeout=WAIT_MS)
    panel.poll()
    assert panel.context_text.text() == "Order A-99 · cola · batch B7"

    screen.line.state("running", 0)
    screen.line.state("stopped", 10)
    qtbot.waitUntil(lambda: panel.open_event is not None, timeout=WAIT_MS)
    actions = screen.window.station_actions["filler"]
    screen.click(actions.note_button)
    note = actions.sheet
    assert note.about_button.isVisible()
    assert note.about_button.text() == "✓ About the stop since 07:10 (tap: not about it)"
    note.text.setText("cleared a jam at the infeed")
    screen.click(note.save_button)
    qtbot.waitUntil(lambda: note.record is not None, timeout=WAIT_MS)
    assert note.record is not None and panel.open_event is not None
    assert note.record.payload["about"] == {"downtime": panel.open_event.id}
    assert note.record.payload["context"] == {"order": "A-99", "product": "cola", "batch": "B7"}


def test_oee_leaves_out_the_time_the_program_was_not_running(
    broker: MosquittoBroker, tmp_path: Path
) -> None:
    line = StillLine(broker, tmp_path / "cache.sqlite")
    try:
        line.counts(0, 0, 0)
        line.state("running", 0)
        wait_until(lambda: line.runtime.store.get("good").value == 0, 10, "the count")
        line.at(10)
        line.runtime.stop()
        line.at(40)  # thirty minutes with nobody watching
        line.start()
        line.counts(50, 600, 0)
        line.state("running", 50)
        line.counts(55, 650, 0)
        rt, dt = line.runtime, line.runtime.downtime
        t0, t1 = line.t0, line.t0 + 3600
        line.at(60)

        def figures() -> tuple[float, int]:
            o = rt.submit(dt.performance("filler", t0, t1)).result(10).oee
            return o.window_s, o.good

        # 10 min watched, 30 not, 20 watched again: 30 minutes of window. The counter went
        # from 0 to 600 across the gap (unknown when) and from 600 to 650 in view: 50.
        wait_until(lambda: figures() == (30 * 60, 50), 10, "the gap and the counts")
    finally:
        line.runtime.stop()
        line.pub.close()
