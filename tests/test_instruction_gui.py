"""The instruction sheet at a station: start a run, a step with its picture and captures."""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from hmi.gui import theme
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.main_window import MainWindow
from hmi.gui.session_control import OperatorServices
from hmi.gui.touch import BadgeBurst
from hmi.sim import demo_plant_path
from tests.support.images import assert_matches_approved
from tests.support.mosquitto import MosquittoBroker
from tests.support.touch_walk import consequential
from tests.test_downtime_service import Line, downtime_plant
from tests.test_instruction_runs import BADGES, with_badges

WAIT_MS = 10_000
PICTURE = demo_plant_path().parent / "instructions" / "capper-torque-check" / "media"

MANIFEST = """\
id = "torque-check"
title = "Cap torque check"
stations = ["filler"]

[[steps]]
id = "measure"
title = "Measure the removal torque"
file = "01.md"
tags = ["good"]

[[steps.media]]
path = "media/torque-test.png"
caption = "Clamp the bottle; turn the cap open slowly and read the peak"

[[steps.captures]]
id = "torque"
kind = "number"
label = "Removal torque"
lo = 1.9
hi = 2.5
unit = "N·m"
decimals = 2

[[steps.captures]]
id = "seal"
kind = "pass_fail"
label = "Seal intact"

[[steps]]
id = "done"
title = "Put the bottles back"
file = "02.md"

[[steps.captures]]
id = "lot"
kind = "serial"
label = "Cap lot"

[steps.signoff]
by = "operator"
meaning = "Bottles put back"
"""


SHORT_TEXT = "Take **three** capped bottles. Measure each cap's removal torque.\n"


def make_line(
    broker: MosquittoBroker, tmp_path: Path, first_step: str = SHORT_TEXT, *, badges: bool = False
) -> Line:
    folder = tmp_path / "instructions" / "torque-check"
    (folder / "media").mkdir(parents=True)
    shutil.copy(PICTURE / "torque-test.png", folder / "media" / "torque-test.png")
    (folder / "instruction.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "01.md").write_text(first_step, encoding="utf-8")
    (folder / "02.md").write_text("Put the bottles in the reject bin.\n", encoding="utf-8")
    plant = downtime_plant(broker.port)
    plant = dataclasses.replace(
        with_badges(plant) if badges else plant, instructions=str(tmp_path / "instructions")
    )
    return Line(broker, tmp_path / "cache.sqlite", plant)


def station_window(qtbot: QtBot, line: Line, good: int) -> tuple[MainWindow, RuntimeBridge]:
    """The filler's screen at 1280x800 with olga signed in, once the count reads ``good``."""
    rt = line.runtime
    line.pub.send("line/good", json.dumps({"v": good, "ts": time.time()}))
    qtbot.waitUntil(lambda: rt.store.get("good").value == good, timeout=WAIT_MS)
    bridge = RuntimeBridge(rt.store, rt.acquisition.health)
    window = MainWindow(rt.plant, bridge, rt.clock.now, OperatorServices.of(rt), audible=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.show_station("filler")
    line.sign_in("olga")
    return window, bridge


@pytest.fixture
def line(broker: MosquittoBroker, tmp_path: Path) -> Iterator[Line]:
    ln = make_line(broker, tmp_path)
    yield ln
    ln.runtime.stop()
    ln.pub.close()


def test_a_long_step_text_is_never_cut_and_its_picture_keeps_its_size(
    qtbot: QtBot, qapp: object, broker: MosquittoBroker, tmp_path: Path
) -> None:
    theme.apply(qapp)  # type: ignore[arg-type]
    steps = "\n".join(
        f"{n}. Step {n} of the check, said in a whole sentence." for n in range(1, 15)
    )
    long_text = f"For each bottle:\n\n{steps}\n\nGood caps open at **2.2 N·m**.\n"
    ln = make_line(broker, tmp_path, long_text)
    try:
        window, _bridge = station_window(qtbot, ln, 5)
        sheet = window.instruction_sheets["filler"]
        sheet.open()
        sheet.tiles["torque-check"].click()
        qtbot.waitUntil(lambda: "torque" in sheet.inputs, timeout=WAIT_MS)
        [words] = [w for w in sheet.findChildren(QLabel) if "Good caps open" in w.text()]
        qtbot.waitUntil(
            lambda: words.height() >= words.heightForWidth(words.width()), timeout=WAIT_MS
        )
        [panel] = sheet.media_panels
        assert panel.height() >= 200, "the picture's area is not squeezed to nothing"
        assert sheet.panel.geometry().bottom() <= window.rect().bottom(), "the sheet fits"
        window.close()
    finally:
        ln.runtime.stop()
        ln.pub.close()


def test_a_run_starts_from_its_tile_and_a_step_shows_picture_values_and_captures(
    qtbot: QtBot, qapp: object, line: Line
) -> None:
    theme.apply(qapp)  # type: ignore[arg-type]
    window, bridge = station_window(qtbot, line, 812)
    sheet = window.instruction_sheets["filler"]
    sheet.open()
    assert list(sheet.tiles) == ["torque-check"]
    sheet.tiles["torque-check"].click()
    qtbot.waitUntil(lambda: "torque" in sheet.inputs, timeout=WAIT_MS)
    assert sheet.progress.text() == "Step 1 of 2"
    assert sheet.next_button.property(theme.CONSEQUENCE)
    bigger = round(theme.touch_min_px() * theme.CONSEQUENCE_SCALE)
    assert consequential(sheet.panel, bigger, theme.mm_to_px(theme.EDGE_MM)) == []
    bridge.drain()
    sheet.poll()
    sheet.inputs["torque"].field.setText("2.71")  # type: ignore[union-attr]
    sheet.inputs["seal"].buttons["pass"].click()
    sheet.next_button.click()
    qtbot.waitUntil(lambda: not sheet.busy, timeout=WAIT_MS)
    problem = sheet.inputs["torque"].problem.text()
    assert problem.startswith("✕ Removal torque: 2.71 N·m is above") and "reason" in problem
    assert_matches_approved(sheet.panel.grab().toImage(), "instruction_step")
    sheet.inputs["torque"].reason.setText("new cap supplier")
    sheet.next_button.click()
    qtbot.waitUntil(lambda: "Put the bottles back" in _texts(sheet), timeout=WAIT_MS)
    assert sheet.progress.text() == "Step 2 of 2"
    sheet.back_button.click()
    qtbot.waitUntil(lambda: "torque" in sheet.inputs, timeout=WAIT_MS)
    assert sheet.inputs["torque"].field.text() == "2.71", "going back shows what was confirmed"
    window.close()


def _texts(sheet: object) -> str:
    return " ".join(label.text() for label in sheet.findChildren(QLabel))  # type: ignore[attr-defined]


BADGE, LEAD_BADGE = BADGES["olga"], BADGES["leo"]


def test_a_badge_read_into_the_signature_signs_the_step(
    qtbot: QtBot, qapp: object, broker: MosquittoBroker, tmp_path: Path
) -> None:
    theme.apply(qapp)  # type: ignore[arg-type]
    line = make_line(broker, tmp_path, "Measure.\n", badges=True)
    try:
        rt = line.runtime
        window, _bridge = station_window(qtbot, line, 5)
        sheet = window.instruction_sheets["filler"]
        sheet.open()
        sheet.tiles["torque-check"].click()
        qtbot.waitUntil(lambda: "torque" in sheet.inputs, timeout=WAIT_MS)
        sheet.inputs["torque"].field.setText("2.2")  # type: ignore[union-attr]
        sheet.inputs["seal"].buttons["pass"].click()
        sheet.next_button.click()
        qtbot.waitUntil(sheet.sign_box.isVisible, timeout=WAIT_MS)
        assert "Bottles put back" in sheet.sign_text.text()
        keys_at = [0.0]
        sheet.badge = BadgeBurst(lambda: keys_at[0])
        lot = sheet.inputs["lot"].field
        assert lot is not None
        lot.setFocus()
        qtbot.keyClicks(lot, "CP-0042")  # a scanner: as fast as a badge reader...
        qtbot.keyClick(lot, Qt.Key.Key_Return)
        assert lot.text() == "CP-0042", "...but into a serial capture: a serial, not a badge"
        assert sheet.badges == ["", ""]
        sheet.sign_user.setFocus()
        keys_at[0] += 1.0
        qtbot.keyClicks(sheet.sign_user, "ol")  # somebody started typing...
        keys_at[0] += 1.0
        qtbot.keyClicks(sheet.sign_user, BADGE)  # ...then held a badge to the reader
        qtbot.keyClick(sheet.sign_user, Qt.Key.Key_Return)
        assert sheet.badges[0] == BADGE and sheet.sign_user.isReadOnly()
        assert sheet.sign_user.text() == "Badge read ✓", "the burst did not stay in the field"
        assert not sheet.sign_pin.isEnabled()
        second_user = sheet.sign_rows[1][0]
        assert sheet.focusWidget() is second_user, "the next badge goes to the row still open"
        # A tap on the step's text, as hands do, leaves the keys where they were.
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
        [words] = [w for w in sheet.findChildren(QLabel) if "reject bin" in w.text()]
        qtbot.mouseClick(words, Qt.MouseButton.LeftButton)
        keys_at[0] += 1.0
        focused = sheet.focusWidget() or sheet  # where a reader's keys go
        qtbot.keyClicks(focused, LEAD_BADGE)
        qtbot.keyClick(focused, Qt.Key.Key_Return)
        assert sheet.badges == [BADGE, LEAD_BADGE], "each badge once, in its own row"
        sheet.next_button.click()
        qtbot.waitUntil(lambda: "Every step is confirmed" in _texts(sheet), timeout=WAIT_MS)
        assert sheet.badges == ["", ""], "a badge read is used once"
        run = rt.instructions.run_at("filler")
        assert run is not None
        signatures = run.done[-1].signatures
        assert [(s.user, s.meaning) for s in signatures] == [
            ("olga", "Bottles put back"),
            ("leo", "Bottles put back"),
        ]
        assert run.serial == "CP-0042"
        window.close()
    finally:
        line.runtime.stop()
        line.pub.close()
