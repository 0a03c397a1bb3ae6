"""Every page and sheet at the station persona's size: targets at least 9 mm, 1.5 mm apart.

The walk covers the demo plant's window at 1280 x 800: the overview, each
station, the trends, every alarm tab, the records page, and the sheets an
operator opens from them. A widget that is too small or too close to
another is named with its size, so the failure says what to fix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from hmi.config import load_plant
from hmi.domain.plant import StorageSettings
from hmi.gui import theme
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.i18n import current_language, uninstall
from hmi.gui.main_window import MainWindow
from hmi.gui.session_control import OperatorServices
from hmi.gui.touch import Sheet
from hmi.services.runtime import Runtime
from hmi.sim import demo_plant_path
from tests.support.touch_walk import consequential, too_close, too_small

WIDTH, HEIGHT = 1280, 800


@pytest.fixture
def window(qtbot: QtBot, qapp: QApplication, tmp_path: Path) -> Iterator[MainWindow]:
    theme.apply(qapp)
    plant = load_plant(demo_plant_path())
    # Nothing listens on the demo's ports here: the walk needs the screens, not the values.
    plant = dataclasses.replace(plant, storage=StorageSettings(path=str(tmp_path / "c.sqlite")))
    runtime = Runtime(plant)
    runtime.start()
    bridge = RuntimeBridge(runtime.store, runtime.acquisition.health)
    win = MainWindow(
        plant, bridge, runtime.clock.now, OperatorServices.of(runtime), runtime.history,
        audible=False,
    )  # fmt: skip
    qtbot.addWidget(win)
    win.resize(WIDTH, HEIGHT)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    runtime.stop()


def settle() -> None:
    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()


def problems(root: QWidget) -> list[str]:
    settle()
    least, gap = theme.touch_min_px(), theme.mm_to_px(1.5)
    bigger, edge = round(least * theme.CONSEQUENCE_SCALE), theme.mm_to_px(theme.EDGE_MM)
    return too_small(root, least) + too_close(root, gap) + consequential(root, bigger, edge)


def test_the_window_fits_the_station_screen(window: MainWindow) -> None:
    assert window.minimumSizeHint().width() <= WIDTH
    assert window.width() == WIDTH


def test_every_page_has_big_enough_targets_far_enough_apart(window: MainWindow) -> None:
    found: dict[str, list[str]] = {}
    for page in ("overview", "trends", "sync"):
        window.show_page(page)
        found[page] = problems(window)
    for station in window.stations:
        window.show_station(station)
        found[station] = problems(window)
    assert window.alarms is not None
    window.show_page("alarms")
    for tab in ("active", "hidden", "journal", "kpis"):
        window.alarms.show_tab(tab)
        found[f"alarms:{tab}"] = problems(window)
    assert {page: p for page, p in found.items() if p} == {}


def _sheets(window: MainWindow) -> dict[str, Callable[[], Sheet]]:
    """How each sheet opens, and the sheet."""
    filler = window.downtime_panels["filler"]
    actions = window.station_actions["filler"]

    def opened(sheet: Sheet, how: Callable[[], object]) -> Callable[[], Sheet]:
        def go() -> Sheet:
            how()
            return sheet

        return go

    assert window.sign_in is not None
    sheets = {
        "sign in": opened(window.sign_in, window.sign_in.open_for),
        "note": opened(actions.sheet, actions.sheet.open),
        "stop by hand": opened(filler.picker, filler.picker.open_manual),
        "reasons waiting": opened(filler.queue, filler.open_queue),
        "shift": opened(filler.shift_sheet, filler.shift_sheet.open),
        "order": opened(filler.context_sheet, filler.context_sheet.open),
        "instructions": opened(
            window.instruction_sheets["filler"], window.instruction_sheets["filler"].open
        ),
    }
    if window.write_sheet is not None:
        tag = window.plant.tag("filler.speed_sp")
        sheets["setpoint"] = opened(
            window.write_sheet,
            lambda: window.write_sheet.ask(tag, window.bridge.snapshot()[tag.id]),  # type: ignore[union-attr]
        )
    return sheets


def test_every_sheet_has_big_enough_targets_far_enough_apart(window: MainWindow) -> None:
    window.show_station("filler")
    found: dict[str, list[str]] = {}
    for name, open_sheet in _sheets(window).items():
        sheet = open_sheet()
        assert sheet.is_open, name
        found[name] = problems(sheet.panel)
        sheet.close_sheet()
    window.show_page("trends")
    window.trends.open_picker()
    assert window.trends.picker is not None
    found["trend pens"] = problems(window.trends.picker.panel)
    assert {name: p for name, p in found.items() if p} == {}


@pytest.mark.parametrize("language", ["de", "es"])
def test_the_window_fits_the_station_screen_in_every_language(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, language: str
) -> None:
    theme.apply(qapp)
    plant = load_plant(demo_plant_path())
    plant = dataclasses.replace(
        plant, storage=StorageSettings(path=str(tmp_path / "c.sqlite")), language=language
    )
    runtime = Runtime(plant)
    runtime.start()
    try:
        bridge = RuntimeBridge(runtime.store, runtime.acquisition.health)
        win = MainWindow(
            plant, bridge, runtime.clock.now, OperatorServices.of(runtime), audible=False
        )
        qtbot.addWidget(win)
        assert current_language() == language, "the .qm files are built by scripts/setup"
        widest = {
            win.stack.widget(i).objectName() or type(win.stack.widget(i)).__name__: (
                win.stack.widget(i).minimumSizeHint().width()
            )
            for i in range(win.stack.count())
        }
        assert {page: w for page, w in widest.items() if w > WIDTH} == {}
        win.close()
    finally:
        uninstall()
        runtime.stop()
