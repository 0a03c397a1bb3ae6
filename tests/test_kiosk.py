"""Kiosk mode: escape attempts fail, only an administrator's PIN ends it; idle dimming."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from hmi.config import load_plant_text
from hmi.domain.kiosk import KioskSettings
from hmi.domain.roles import Role
from hmi.domain.users import UserDef, hash_secret
from hmi.gui import theme
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.main_window import MainWindow
from hmi.gui.session_control import OperatorServices
from tests.support.images import assert_matches_approved
from tests.support.mosquitto import MosquittoBroker
from tests.support.touch_walk import consequential
from tests.test_downtime_service import Line, downtime_plant

WAIT_MS = 10_000
ADMIN = UserDef("ada", "Ada", Role.ADMIN, hash_secret("9999", n=2**10))


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def kiosk(
    qtbot: QtBot, qapp: QApplication, broker: MosquittoBroker, tmp_path: Path
) -> Iterator[tuple[MainWindow, Line, Clock]]:
    theme.apply(qapp)
    plant = downtime_plant(broker.port)
    plant = dataclasses.replace(plant, users=(*plant.users, ADMIN))
    line = Line(broker, tmp_path / "cache.sqlite", plant)
    rt = line.runtime
    bridge = RuntimeBridge(rt.store, rt.acquisition.health)
    window = MainWindow(rt.plant, bridge, rt.clock.now, OperatorServices.of(rt), audible=False)
    qtbot.addWidget(window)
    clock = Clock()
    settings = KioskSettings(enabled=True, dim_after_s=60, hold_to_exit_s=1)
    guard = window.enter_kiosk(settings, rt.session)
    guard._monotonic = clock
    guard._last_input = clock()
    guard.show()
    qtbot.waitExposed(window)
    yield window, line, clock
    assert window.kiosk is not None
    window.kiosk.may_close = True
    window.close()
    rt.stop()
    line.pub.close()


def key(window: MainWindow, code: Qt.Key, mods: Qt.KeyboardModifier) -> None:
    """A key as the platform delivers it: to the native window first."""
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, code, mods)


def tap(qtbot: QtBot, window: MainWindow, widget: QWidget) -> None:
    """A tap as the screen delivers it: to the native window, at the widget's place."""
    handle = window.windowHandle()
    assert handle is not None
    at = widget.mapTo(window, widget.rect().center())
    qtbot.mouseClick(handle, Qt.MouseButton.LeftButton, pos=at)


def test_the_kiosk_window_cannot_be_closed_minimised_or_left_by_keys(
    qtbot: QtBot, kiosk: tuple[MainWindow, Line, Clock]
) -> None:
    window, _line, _clock = kiosk
    assert window.isFullScreen()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert not window.close(), "a close request (the window manager's, Alt+F4's) is refused"
    assert window.isVisible()
    for code, mods in (
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
    ):
        key(window, code, mods)
        assert window.isVisible() and window.isFullScreen(), code
    key(window, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    assert window.isVisible() and window.isFullScreen()
    window.showMinimized()
    qtbot.waitUntil(lambda: window.isFullScreen() and not window.isMinimized(), timeout=WAIT_MS)
    window.showNormal()
    qtbot.waitUntil(window.isFullScreen, timeout=WAIT_MS)
    # A resize Qt makes itself (a rebuilt layout's minimum) sends no state change: the
    # guard's once-a-second check puts fullscreen back all the same.
    window.setWindowState(Qt.WindowState.WindowNoState)
    assert window.kiosk is not None
    window.kiosk.check_idle()
    qtbot.waitUntil(window.isFullScreen, timeout=WAIT_MS)


def test_only_an_administrators_pin_ends_the_kiosk(
    qtbot: QtBot, kiosk: tuple[MainWindow, Line, Clock]
) -> None:
    window, _line, _clock = kiosk
    guard = window.kiosk
    assert guard is not None
    sheet = guard.exit_sheet
    qtbot.mousePress(window.brand, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sheet.is_open, timeout=WAIT_MS)  # held for a second
    qtbot.mouseRelease(window.brand, Qt.MouseButton.LeftButton)
    assert_matches_approved(sheet.panel.grab().toImage(), "kiosk_exit")
    bigger = round(theme.touch_min_px() * theme.CONSEQUENCE_SCALE)
    assert sheet.exit_button.property(theme.CONSEQUENCE)
    assert consequential(sheet.panel, bigger, theme.mm_to_px(theme.EDGE_MM)) == []
    for user, pin, refused in (
        ("ada", "0000", "the PIN did not match"),
        ("erin", "4444", "only an administrator"),
    ):
        sheet.user.setText(user)
        sheet.pin.setText(pin)
        sheet.exit_button.click()
        qtbot.waitUntil(lambda: not sheet.busy, timeout=WAIT_MS)
        assert refused in sheet.words.text() and window.isVisible()
        assert sheet.pin.text() == "", "a PIN never stays on screen"
    sheet.user.setText("ada")
    sheet.pin.setText("9999")
    sheet.exit_button.click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
    assert guard.may_close


def test_an_idle_screen_dims_and_the_waking_touch_presses_nothing(
    qtbot: QtBot, kiosk: tuple[MainWindow, Line, Clock]
) -> None:
    window, _line, clock = kiosk
    guard = window.kiosk
    assert guard is not None
    button = window._nav_buttons["trends"]
    clock.t += 59
    guard.check_idle()
    assert not guard.dimmed
    clock.t += 2
    guard.check_idle()
    assert guard.dimmed and guard.dim.isVisible()
    tap(qtbot, window, button)
    assert not guard.dimmed and not guard.dim.isVisible()
    assert window._current == "overview", "the touch that woke the screen did nothing else"
    tap(qtbot, window, button)
    assert window._current == "trends"


def test_kiosk_settings_in_the_plant_file() -> None:
    text = '[plant]\nname = "k"\n\n[kiosk]\nenabled = true\nhide_cursor = true\ndim_after_s = 120\n'
    assert load_plant_text(text).kiosk == KioskSettings(True, True, 120.0)
    with pytest.raises(Exception, match="expected true or false"):
        load_plant_text('[plant]\nname = "k"\n\n[kiosk]\nenabled = "yes"\n')
