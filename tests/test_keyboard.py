"""The on-screen keyboard follows the focus, types into the field, and leaves keypads alone."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from hmi.gui import theme
from hmi.gui.keyboard import ScreenKeyboard
from hmi.gui.touch import Sheet, TouchField


class FormSheet(Sheet):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window, "Order")
        self.order = TouchField(theme.touch_min_px())
        self.batch = TouchField(theme.touch_min_px())
        self.pin = TouchField(theme.touch_min_px())
        self.pin.setProperty("keypad", True)
        self.order.returnPressed.connect(self.batch.setFocus)
        for field in (self.order, self.batch, self.pin):
            self.body.addWidget(field)


def station_screen(qtbot: QtBot, qapp: QApplication) -> QWidget:
    """A bare 1280x800 window in the station's theme, not shown yet."""
    theme.apply(qapp)
    window = QWidget()
    window.resize(1280, 800)
    qtbot.addWidget(window)
    return window


def shown(qtbot: QtBot, window: QWidget) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()


def test_the_keyboard_types_into_the_focused_field_and_hides_for_keypads(
    qtbot: QtBot, qapp: QApplication
) -> None:
    window = station_screen(qtbot, qapp)
    keyboard = ScreenKeyboard(window)
    sheet = FormSheet(window)
    shown(qtbot, window)
    sheet.open()
    assert not keyboard.isVisible()
    sheet.order.setFocus()
    qtbot.waitUntil(keyboard.isVisible, timeout=5000)
    assert keyboard.geometry().bottom() == window.rect().bottom()
    assert sheet.geometry().bottom() < keyboard.geometry().top(), "the sheet ends above the keys"
    keys = keyboard.keys
    keys["shift"].click()
    for name in ("a", "-", "9", "9", "x", "backspace"):
        keys[name].click()
    assert sheet.order.text() == "A-99", "shift for one letter, then lower case; ⌫ deletes"
    assert sheet.order.hasFocus(), "a key never takes the focus from the field"
    keys["enter"].click()
    assert sheet.batch.hasFocus(), "Enter is a real Enter: the field's own handler ran"
    keys["space"].click()
    assert sheet.batch.text() == " "
    sheet.pin.setFocus()
    qtbot.waitUntil(lambda: not keyboard.isVisible(), timeout=5000)
    assert sheet.geometry() == window.rect(), "the sheet has the whole window again"
    sheet.batch.setFocus()
    qtbot.waitUntil(keyboard.isVisible, timeout=5000)
    keys["hide"].click()
    assert not keyboard.isVisible()
    smallest = min(min(k.width(), k.height()) for k in keys.values())
    assert smallest >= theme.touch_min_px()


def test_after_a_resize_the_open_sheet_still_ends_above_the_keys(
    qtbot: QtBot, qapp: QApplication
) -> None:
    """Whichever hears of the resize first, the sheet made before the keyboard or the keyboard."""
    window = station_screen(qtbot, qapp)
    early = FormSheet(window)  # its filter on the window comes after the keyboard's
    keyboard = ScreenKeyboard(window)
    late = FormSheet(window)  # its filter comes before the keyboard's
    shown(qtbot, window)
    for sheet in (early, late):
        sheet.open()
        sheet.order.setFocus()
        qtbot.waitUntil(keyboard.isVisible, timeout=5000)
        for size in ((1024, 768), (1280, 800)):
            window.resize(*size)
            qtbot.waitUntil(lambda w=size[0]: keyboard.width() == w, timeout=5000)
            assert keyboard.geometry().bottom() == window.rect().bottom()
            assert sheet.geometry().bottom() < keyboard.geometry().top(), size
            assert sheet.width() == window.width()
        keyboard.keys["hide"].click()
        assert sheet.geometry() == window.rect(), "the whole window again once the keys go"
        sheet.close_sheet()
        reopened_without_keys = FormSheet(window)
        reopened_without_keys.open()
        assert reopened_without_keys.geometry() == window.rect()
        reopened_without_keys.close_sheet()
