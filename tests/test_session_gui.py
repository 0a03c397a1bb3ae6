"""Sign-in, locking and the first record, through the real GUI over a real runtime.

Each test runs a started Runtime (no source links; a ManualClock; its own
cache file) under a MainWindow. Values come from a tag store the test feeds,
as acquisition would. Every wait is bounded (``qtbot.waitUntil``).
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from hmi.domain.audit import AuditEntry
from hmi.domain.clock import ManualClock
from hmi.domain.plant import PlantDef
from hmi.domain.quality import Quality
from hmi.domain.roles import Action, PermissionDeniedError, Role
from hmi.domain.tags import TagStore, TagValue
from hmi.domain.users import SignInOutcome, SignInPolicy, UserDef, hash_secret
from hmi.gui import theme
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.main_window import MainWindow
from hmi.gui.session_control import OperatorServices
from hmi.gui.tag_model import TagTableModel
from hmi.gui.tasks import CallFailure, ServiceTasks
from hmi.gui.touch import BadgeBurst
from hmi.services.runtime import Runtime
from hmi.storage import journal
from hmi.storage.database import StorageError
from tests.support.images import assert_matches_approved
from tests.test_gui import fixed_health, fixed_state

PIN_HASH = hash_secret("1234", n=2**10)
BADGE = "0004711"
USERS = (
    UserDef("anna", "Anna Berg", Role.OPERATOR, PIN_HASH, hash_secret(BADGE, n=2**10)),
    UserDef("ben", "Ben Cole", Role.OPERATOR, PIN_HASH),
    UserDef("chris", "Chris Diaz", Role.LEAD, PIN_HASH),
    UserDef("dana", "Dana Evans", Role.MAINTENANCE, PIN_HASH),
    UserDef("erik", "Erik Fox", Role.ENGINEER, PIN_HASH),
)
POLICY = SignInPolicy(max_failures=3, failure_window_s=60, lockout_s=60, idle_lock_s=120)
REFUSED = "✕ " + SignInOutcome.REFUSED_MESSAGE


@dataclass
class Desk:
    window: MainWindow
    runtime: Runtime
    clock: ManualClock
    store: TagStore
    qtbot: QtBot

    def settle(self) -> None:
        """Wait until every call to the runtime has come back."""
        self.qtbot.waitUntil(lambda: self.window.tasks.pending == 0, timeout=5000)

    def click(self, widget: QWidget) -> None:
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def sign_in(self, user_id: str, pin: str = "1234") -> str:
        """Tap the banner, the name and the PIN on the keypad; the message shown after."""
        sheet = self.window.sign_in
        if not sheet.is_open:
            self.click(self.window.banner)
        assert sheet.is_open
        self.click(sheet.tiles[user_id])
        for digit in pin:
            self.click(sheet.keypad.keys[digit])
        self.click(sheet.keypad.keys["ok"])
        self.qtbot.waitUntil(lambda: not sheet.busy, timeout=5000)
        self.settle()
        return sheet.message.text()

    def audit(self) -> list[AuditEntry]:
        """The trail after the runtime's own "config.load" entry."""
        entries = self.runtime.db.read(lambda db: list(journal.audit_entries(db)))
        return [e for e in entries if e.action != "config.load"]

    def record_count(self) -> int:
        count = self.runtime.db.read(
            lambda db: db.execute("SELECT COUNT(*) FROM records").fetchone()
        )
        return int(count[0])


@pytest.fixture
def desk(qtbot: QtBot, qapp: object, demo_plant: PlantDef, tmp_path: Path) -> Iterator[Desk]:
    theme.apply(qapp)  # type: ignore[arg-type]
    clock = ManualClock()
    plant = dataclasses.replace(demo_plant, users=USERS, sign_in=POLICY)
    runtime = Runtime(
        dataclasses.replace(plant, sources=()), clock=clock, cache_path=tmp_path / "cache.sqlite"
    )
    runtime.start()
    store = fixed_state(plant, clock)
    bridge = RuntimeBridge(store, lambda: fixed_health(clock))
    window = MainWindow(plant, bridge, clock.now, OperatorServices.of(runtime), audible=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    bridge.start()
    desk = Desk(window, runtime, clock, store, qtbot)
    desk.settle()
    yield desk
    window.close()
    runtime.stop()


def test_sign_in_with_the_keypad_shows_the_user(desk: Desk) -> None:
    window, sheet = desk.window, desk.window.sign_in
    assert window.banner.isVisible() and "Nobody signed in" in window.banner.text()
    assert window.status.session.who.text() == "Not signed in"
    assert sheet.pin_field.echoMode() is QLineEdit.EchoMode.Password
    desk.click(window.banner)
    desk.click(sheet.tiles["anna"])
    for digit in "1234":
        desk.click(sheet.keypad.keys[digit])
    assert sheet.pin_field.text() == "1234" and sheet.user_field.text() == "anna"
    desk.click(sheet.keypad.keys["backspace"])
    desk.click(sheet.keypad.keys["4"])
    desk.click(sheet.keypad.keys["ok"])
    desk.qtbot.waitUntil(lambda: not sheet.is_open, timeout=5000)
    desk.settle()
    indicator = window.status.session
    assert indicator.who.text() == "Anna Berg · Operator"
    assert not window.banner.isVisible()
    assert indicator.lock_button.isVisible() and indicator.sign_out_button.isVisible()
    assert sheet.pin_field.text() == "", "the PIN does not stay in the field"
    assert [(e.user, e.action, e.result) for e in desk.audit()] == [
        ("anna", "session.sign_in", "ok")
    ]
    desk.click(indicator.sign_out_button)
    desk.qtbot.waitUntil(lambda: indicator.who.text() == "Not signed in", timeout=5000)
    assert window.banner.isVisible()


def test_a_typed_user_id_and_enter_sign_in(desk: Desk) -> None:
    sheet = desk.window.sign_in
    steps = itertools.count(step=0.2)  # a person: 200 ms between keys, never a badge burst
    sheet.badge = BadgeBurst(lambda: float(next(steps)))
    desk.click(desk.window.banner)
    desk.qtbot.keyClicks(sheet.user_field, "ben")
    assert sheet.tiles["ben"].isChecked(), "typing a user id picks its tile"
    desk.qtbot.keyClicks(sheet.pin_field, "1234")
    desk.qtbot.keyClick(sheet.pin_field, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: not sheet.is_open, timeout=5000)
    desk.settle()
    assert desk.window.status.session.who.text() == "Ben Cole · Operator"


def test_wrong_pin_and_unknown_user_show_the_same_generic_message(desk: Desk) -> None:
    translated = QCoreApplication.translate(
        "SignInSheet", "Sign-in refused. Check your user and PIN, or ask your lead."
    )
    assert translated == SignInOutcome.REFUSED_MESSAGE, "the GUI words match the service's"
    assert desk.sign_in("anna", "9999") == REFUSED
    sheet = desk.window.sign_in
    assert sheet.is_open and sheet.pin_field.text() == ""
    sheet.user_field.setText("zoe")  # nobody of that name
    for digit in "1234":
        desk.click(sheet.keypad.keys[digit])
    desk.click(sheet.keypad.keys["ok"])
    desk.qtbot.waitUntil(lambda: not sheet.busy, timeout=5000)
    assert sheet.message.text() == REFUSED
    assert "unknown" not in sheet.message.text().lower()
    assert desk.window.status.session.who.text() == "Not signed in"


def test_too_many_wrong_pins_lock_the_account_for_a_while(desk: Desk) -> None:
    for _ in range(POLICY.max_failures):
        assert desk.sign_in("anna", "9999") == REFUSED
    assert desk.sign_in("anna", "1234") == REFUSED, "locked out: even the right PIN is refused"
    assert desk.window.sign_in.is_open
    actions = [(e.action, e.result) for e in desk.audit()]
    assert actions.count(("session.lockout", "locked")) == 1
    desk.clock.advance(POLICY.lockout_s + 1)
    desk.sign_in("anna", "1234")
    assert not desk.window.sign_in.is_open
    assert desk.window.status.session.who.text() == "Anna Berg · Operator"


def test_idle_lock_counts_down_then_locks_and_values_keep_updating(desk: Desk) -> None:
    window = desk.window
    desk.sign_in("anna")
    indicator = window.status.session
    window.show_station("labeler")
    desk.clock.advance(70)
    window.session.poll()
    desk.qtbot.waitUntil(indicator.countdown.isVisible, timeout=5000)
    assert indicator.countdown.text() == "Locks in 50 s"
    desk.clock.advance(50)
    window.session.poll()
    desk.qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    assert "Locked — tap to sign in" in window.banner.text()
    assert indicator.who.text() == "Locked: Anna Berg"
    assert not indicator.countdown.isVisible() and not indicator.lock_button.isVisible()
    assert [(e.action, e.detail) for e in desk.audit()][-1] == ("session.lock", "idle")
    # Locked is not blind: the page is there, enabled, and takes new values.
    assert window.stack.isEnabled() and window.stations["labeler"].isVisible()
    model = window.stations["labeler"].model
    row = next(r for r in range(model.rowCount()) if model.tag_at(r).id == "labeler.speed")
    now, mono = desk.clock.now(), desk.clock.monotonic()
    desk.store.apply([TagValue("labeler.speed", 361.0, Quality.GOOD, "", now, now, mono)])
    index = model.index(row, TagTableModel.VALUE)
    desk.qtbot.waitUntil(lambda: model.data(index) == "361", timeout=5000)
    assert window.banner.isVisible()


def test_presses_anywhere_restart_the_idle_clock_at_most_once_a_second(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = desk.window
    desk.sign_in("anna")
    touches: list[float] = []
    service = desk.runtime.session
    real_touch = service.touch

    def counted_touch() -> None:
        touches.append(desk.clock.monotonic())
        real_touch()

    monkeypatch.setattr(service, "touch", counted_touch)
    desk.clock.advance(100)
    window.session.poll()
    desk.qtbot.waitUntil(lambda: window.status.session.countdown.text() == "Locks in 20 s")
    overview = window.overview
    for _ in range(3):  # three taps within the same second of the manual clock
        desk.click(overview)
    desk.qtbot.keyClick(window.overview, Qt.Key.Key_Space)
    desk.settle()
    assert len(touches) == 1
    window.session.poll()
    desk.qtbot.waitUntil(lambda: not window.status.session.countdown.isVisible())
    assert window.session.view.seconds_to_lock == POLICY.idle_lock_s
    desk.clock.advance(1)
    desk.click(overview)
    desk.settle()
    assert len(touches) == 2


def test_unlock_by_the_same_user_and_take_over_by_another_are_audited(desk: Desk) -> None:
    window = desk.window
    desk.sign_in("anna")
    desk.click(window.status.session.lock_button)
    desk.qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    desk.click(window.banner)
    sheet = window.sign_in
    assert sheet.title.text() == "Unlock or take over"
    assert sheet.user_field.text() == "anna" and sheet.tiles["anna"].isChecked()
    for digit in "1234":
        desk.click(sheet.keypad.keys[digit])
    desk.click(sheet.keypad.keys["ok"])
    desk.qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=5000)
    desk.click(window.status.session.lock_button)
    desk.qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    desk.sign_in("ben")
    assert window.status.session.who.text() == "Ben Cole · Operator"
    assert [(e.user, e.action, e.detail) for e in desk.audit()] == [
        ("anna", "session.sign_in", "pin"),
        ("anna", "session.lock", "by the user"),
        ("anna", "session.unlock", "pin"),
        ("anna", "session.lock", "by the user"),
        ("ben", "session.take_over", "from anna"),
    ]


def test_a_badge_burst_signs_in_whatever_field_has_the_focus(desk: Desk) -> None:
    window, sheet = desk.window, desk.window.sign_in
    keys_at = [0.0]
    sheet.badge = BadgeBurst(lambda: keys_at[0])
    desk.click(window.banner)
    desk.qtbot.keyClicks(sheet.user_field, "an")  # someone started typing a user id...
    keys_at[0] += 1.0
    desk.qtbot.keyClicks(sheet.user_field, BADGE)  # ...then a badge reader typed into it
    desk.qtbot.keyClick(sheet.user_field, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: not sheet.is_open, timeout=5000)
    desk.settle()
    assert window.status.session.who.text() == "Anna Berg · Operator"
    assert desk.audit()[-1].detail == "badge"
    desk.click(window.status.session.lock_button)
    desk.qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    desk.click(window.banner)
    desk.qtbot.keyClicks(sheet, "999999")  # no field focused; an unknown badge
    desk.qtbot.keyClick(sheet, Qt.Key.Key_Return)
    desk.qtbot.waitUntil(lambda: sheet.message.text() == REFUSED, timeout=5000)
    assert sheet.pin_field.text() == "", "the burst did not stay in a field"


def test_an_intervention_says_saved_only_after_the_commit(desk: Desk) -> None:
    window = desk.window
    desk.sign_in("anna")
    window.show_station("labeler")
    actions = window.station_actions["labeler"]
    desk.click(actions.note_button)
    sheet = actions.sheet
    assert sheet.is_open and not sheet.save_button.isEnabled(), "nothing to save yet"
    desk.qtbot.keyClicks(sheet.text, "Cleared a jam at the infeed")
    gate = threading.Event()
    desk.runtime.db.submit(lambda _db: gate.wait(10))  # the writer is busy with something else
    desk.click(sheet.save_button)
    assert sheet.message.text() == "Saving…"
    assert not sheet.save_button.isEnabled() and not sheet.cancel_button.isEnabled()
    desk.qtbot.waitUntil(lambda: window.tasks.pending_calls() == ["record.intervention"])
    assert desk.record_count() == 0 and sheet.message.text() == "Saving…"
    gate.set()
    desk.qtbot.waitUntil(lambda: sheet.record is not None, timeout=5000)
    record = sheet.record
    assert record is not None
    assert sheet.message.text() == f"✓ Saved: Labeler record no. {record.seq}."
    stored = desk.runtime.db.read(lambda db: journal.get_record(db, record.id))
    assert stored is not None
    assert (stored.user, stored.station, stored.payload) == (
        "anna",
        "labeler",
        {"text": "Cleared a jam at the infeed"},
    )
    assert sheet.cancel_button.text() == "Close" and not sheet.save_button.isVisible()
    assert "no. 1 at" in actions.last.text()


def test_a_locked_session_cannot_save_and_keeps_the_text(desk: Desk) -> None:
    window = desk.window
    desk.sign_in("anna")
    window.show_station("capper")
    actions = window.station_actions["capper"]
    desk.click(actions.note_button)
    sheet = actions.sheet
    desk.qtbot.keyClicks(sheet.text, "Changed the torque head")
    window.session.lock()  # e.g. the idle lock, while the note was being written
    desk.qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    desk.click(sheet.save_button)
    desk.qtbot.waitUntil(lambda: sheet.message.text().startswith("✕ Refused"), timeout=5000)
    assert sheet.text.text() == "Changed the torque head" and not sheet.text.isReadOnly()
    assert sheet.save_button.isEnabled() and sheet.record is None
    assert desk.record_count() == 0
    denied = desk.audit()[-1]
    assert (denied.user, denied.action, denied.result) == ("anna", "record.intervention", "denied")


def _too_small(root: QWidget, least: int) -> list[str]:
    small = []
    for widget in root.findChildren(QWidget):
        interactive = isinstance(widget, QAbstractButton | QLineEdit) and widget.isVisible()
        if interactive and min(widget.width(), widget.height()) < least:
            small.append(f"{widget.text()!r} {widget.width()}x{widget.height()}")
    return small


def test_touch_targets_of_sign_in_notes_and_session_are_big_enough(desk: Desk) -> None:
    window, least = desk.window, theme.touch_min_px()
    assert least >= theme.mm_to_px(theme.TOUCH_MIN_MM)
    assert theme.mm_to_px(25.4) == 96, "offscreen: 96 dpi"
    desk.click(window.banner)
    assert _too_small(window.sign_in, least) == []
    keys = window.sign_in.keypad.keys
    assert min(keys["5"].width(), keys["5"].height()) >= theme.mm_to_px(theme.KEY_MM)
    desk.sign_in("anna")
    assert _too_small(window.status, least) == []
    window.show_station("filler")
    desk.click(window.station_actions["filler"].note_button)
    assert _too_small(window.station_actions["filler"].sheet, least) == []


def settle_layout() -> None:
    """Let the layouts catch up with what changed (they do so on the next turn of the loop)."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents()


def test_sign_in_sheet_matches_approved_screenshot(desk: Desk) -> None:
    desk.click(desk.window.banner)
    desk.window.sign_in.choose("anna")
    for digit in "12":
        desk.click(desk.window.sign_in.keypad.keys[digit])
    desk.window.tick()  # ages and the clock as of the manual clock, not of a timer
    settle_layout()
    assert_matches_approved(desk.window.grab().toImage(), "sign_in")


def test_locked_window_matches_approved_screenshot(desk: Desk) -> None:
    desk.sign_in("anna")
    desk.window.show_station("labeler")
    desk.clock.advance(POLICY.idle_lock_s)
    desk.window.session.poll()
    desk.qtbot.waitUntil(desk.window.banner.isVisible, timeout=5000)
    # The OEE beside the values comes from the runtime, and its window starts where the
    # history first knew the station (after the history's next flush): asked again until
    # the answer is that one, so the picture never depends on the flush's timing.
    panel = desk.window.downtime_panels["labeler"]

    def known() -> bool:
        p = panel.performance
        if p is None or panel._loading or panel._again:
            return False
        if p.oee.window_s > 3600:  # from the shift's start: the history had not flushed yet
            panel.refresh()
            return False
        return True

    desk.qtbot.waitUntil(known, timeout=5000)
    desk.qtbot.waitUntil(lambda: desk.window.tasks.pending == 0, timeout=5000)
    desk.window.bridge.drain()
    desk.window.tick()
    settle_layout()
    assert_matches_approved(desk.window.grab().toImage(), "locked_station")


@pytest.fixture
def tasks(
    qtbot: QtBot, demo_plant: PlantDef, tmp_path: Path
) -> Iterator[tuple[ServiceTasks, Runtime]]:
    runtime = Runtime(
        dataclasses.replace(demo_plant, sources=()), cache_path=tmp_path / "cache.sqlite"
    )
    runtime.start()
    yield ServiceTasks(runtime.submit), runtime
    runtime.stop()


def test_tasks_deliver_results_and_errors_on_the_gui_thread(
    qtbot: QtBot, tasks: tuple[ServiceTasks, Runtime]
) -> None:
    service_tasks, runtime = tasks
    got: list[tuple[str, str]] = []

    async def where() -> str:
        return threading.current_thread().name

    async def fails(error: Exception) -> None:
        raise error

    def done(thread: str) -> None:
        got.append((thread, threading.current_thread().name))

    def failed(failure: CallFailure) -> None:
        got.append((failure.message, threading.current_thread().name))

    service_tasks.run(where(), done, what="where")
    assert got == [] and service_tasks.pending_calls() == ["where"], "never inside run()"
    service_tasks.run(fails(StorageError("disk full")), None, failed)
    service_tasks.run(fails(PermissionDeniedError(Action.RECORD_DOWNTIME, None)), None, failed)
    qtbot.waitUntil(lambda: len(got) == 3, timeout=5000)
    gui = threading.current_thread().name
    assert got == [
        ("hmi-runtime", gui),
        ("Not saved: disk full", gui),
        (
            "Refused: the screen is locked or nobody is signed in. Sign in, then try again.",
            gui,
        ),
    ]
    assert service_tasks.pending == 0
    runtime.stop()
    service_tasks.run(where(), done, failed)
    qtbot.waitUntil(lambda: len(got) == 4, timeout=5000)
    assert got[-1] == ("Not done: the runtime is not running.", gui)


def test_a_bug_in_a_call_is_raised_on_the_gui_thread(
    qtbot: QtBot, tasks: tuple[ServiceTasks, Runtime]
) -> None:
    service_tasks, _ = tasks
    messages: list[str] = []

    async def buggy() -> None:
        raise ZeroDivisionError("a bug")

    with qtbot.captureExceptions() as exceptions:
        service_tasks.run(buggy(), None, lambda failure: messages.append(failure.message))
        qtbot.waitUntil(lambda: bool(exceptions), timeout=5000)
    assert isinstance(exceptions[0][1], ZeroDivisionError)
    assert messages == ["Not done: an internal error (details in the log)."]
