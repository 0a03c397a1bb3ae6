"""The main window on the demo plant: approved screenshots, the live table model, live values."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from hmi.app.launch import with_demo_ports
from hmi.domain.clock import ManualClock
from hmi.domain.health import LinkState, SourceHealth
from hmi.domain.plant import MachineState, PlantDef
from hmi.domain.quality import Quality
from hmi.domain.tags import TagStore, TagValue
from hmi.gui import theme
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.main_window import MainWindow
from hmi.gui.session_control import OperatorServices
from hmi.gui.tag_model import QUALITY_ROLE, TagTableModel
from hmi.services.runtime import Runtime
from tests.support.images import assert_matches_approved
from tests.support.mosquitto import MosquittoBroker
from tests.support.wait import free_port

GOOD_VALUES: dict[str, object] = {
    "filler.state": 1,
    "filler.speed": 298.0,
    "filler.good": 15240,
    "filler.reject": 212,
    "filler.product_temp": 5.4,
    "filler.pressure": 3.05,
    "filler.motor_current": 14.8,
    "filler.vibration": 1.62,
    "capper.state": "faulted",
    "capper.speed": 0.0,
    "capper.good": 15011,
    "capper.reject": 187,
    "capper.torque": 2.21,
    "capper.motor_current": 0.4,
    "capper.vibration": 0.31,
    "labeler.state": "running",
    "labeler.speed": 352.0,
    "labeler.good": 14890,
    "labeler.reject": 96,
    "labeler.glue_temp": 158.3,
    "labeler.motor_current": 9.1,
    "labeler.vibration": 2.04,
    "labeler.web_tension": 27.5,
    "labeler.low_label": False,
}


def fixed_state(plant: PlantDef, clock: ManualClock) -> TagStore:
    """A plant in a known state: one source down, a fault, uncertain, bad and stale values."""
    store = TagStore(plant.tags, clock)
    now, mono = clock.now(), clock.monotonic()
    store.apply(
        [
            TagValue(tag, value, Quality.GOOD, "", now - 2, now - 2, mono - 2)  # type: ignore[arg-type]
            for tag, value in GOOD_VALUES.items()
        ]
    )
    store.apply(
        [
            TagValue(
                "capper.torque", 2.21, Quality.UNCERTAIN, "source reports uncertain", now, now, mono
            ),
            TagValue("labeler.glue_temp", None, Quality.BAD, "not JSON", now, now, mono),
        ]
    )
    store.mark_source_down("filler-plc", "connection refused")
    clock.advance(20)  # the labeler's vibration (window 10 s) goes stale; the counters (30 s) not
    store.apply(
        [
            TagValue(
                t,
                GOOD_VALUES[t],
                Quality.GOOD,
                "",
                clock.now(),
                clock.now(),  # type: ignore[arg-type]
                clock.monotonic(),
            )
            for t in (
                "labeler.speed",
                "labeler.state",
                "labeler.motor_current",
                "labeler.web_tension",
                "capper.torque",
                "capper.speed",
                "capper.motor_current",
                "capper.vibration",
                "capper.state",
            )
        ]
    )
    store.apply(
        [
            TagValue(
                "capper.torque",
                2.21,
                Quality.UNCERTAIN,
                "source reports uncertain",
                clock.now(),
                clock.now(),
                clock.monotonic(),
            )
        ]
    )
    store.mark_stale()
    return store


def fixed_health(clock: ManualClock) -> list[SourceHealth]:
    return [
        SourceHealth(
            "line-broker",
            "mqtt",
            LinkState.CONNECTED,
            clock.now() - 3600,
            received=48211,
            rejected=3,
            last_rejection="demo/bottling/labeler/telemetry: not JSON",
        ),
        SourceHealth(
            "filler-plc",
            "opcua",
            LinkState.RECONNECTING,
            clock.now() - 25,
            next_attempt=clock.now() + 8,
            last_error="connection refused",
        ),
    ]


def offline_runtime(plant: PlantDef, clock: ManualClock, tmp_path: Path) -> Runtime:
    """A started runtime for the session and records only: no source links."""
    runtime = Runtime(
        dataclasses.replace(plant, sources=()), clock=clock, cache_path=tmp_path / "cache.sqlite"
    )
    runtime.start()
    return runtime


@pytest.fixture
def window(
    qtbot: QtBot, demo_plant: PlantDef, qapp: object, tmp_path: Path
) -> Iterator[MainWindow]:
    theme.apply(qapp)  # type: ignore[arg-type]
    clock = ManualClock()
    store = fixed_state(demo_plant, clock)
    runtime = offline_runtime(demo_plant, clock, tmp_path)
    bridge = RuntimeBridge(store, lambda: fixed_health(clock))
    win = MainWindow(demo_plant, bridge, clock.now, OperatorServices.of(runtime), audible=False)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    bridge.drain()
    bridge.poll_health()
    qtbot.waitUntil(lambda: win.tasks.pending == 0, timeout=5000)  # the session is known
    yield win
    win.close()
    runtime.stop()


def test_overview_matches_approved_screenshot(window: MainWindow) -> None:
    assert window.size().width() == 1280, "the overview must fit a 1280x800 panel"
    assert_matches_approved(window.grab().toImage(), "overview")


def test_station_page_matches_approved_screenshot(window: MainWindow) -> None:
    window.show_station("labeler")
    assert_matches_approved(window.grab().toImage(), "station_labeler")


def test_a_tap_on_a_link_shows_why_it_is_down(qtbot: QtBot, window: MainWindow) -> None:
    label = window.status.sources["filler-plc"]
    assert label.height() >= theme.touch_min_px()
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
    sheet = window.link_sheet
    assert sheet.is_open and sheet.title.text() == "Link to filler-plc"
    assert "Last error: connection refused" in sheet.facts.text()
    sheet.close_button.click()
    qtbot.mouseClick(window.status.sources["line-broker"], Qt.MouseButton.LeftButton)
    assert "Last rejected message: demo/bottling/labeler/telemetry: not JSON" in (
        sheet.facts.text()
    )


def test_window_shows_states_in_words(window: MainWindow) -> None:
    cards = {card.station.id: card for card in window.overview.cards}
    assert cards["capper"].badge.state is MachineState.FAULTED
    assert "Faulted" in cards["capper"].badge.text()
    assert "No connection" in cards["filler"].badge.text()
    status = window.status.sources["filler-plc"].text()
    assert "no connection" in status and "retry in 8 s" in status
    assert "3 rejected" in window.status.sources["line-broker"].text()
    model = window.stations["labeler"].model
    rows = {model.tag_at(r).id: r for r in range(model.rowCount())}
    glue = model.index(rows["labeler.glue_temp"], TagTableModel.QUALITY)
    assert model.data(glue) == "✕ Bad — not JSON"
    assert model.data(glue, Qt.ItemDataRole.ToolTipRole) == "not JSON"
    vib = model.index(rows["labeler.vibration"], TagTableModel.QUALITY)
    assert model.data(vib, QUALITY_ROLE) is Quality.STALE


def test_tag_model_passes_modeltester_and_batches_changes(
    qtmodeltester: ModelTester, demo_plant: PlantDef
) -> None:
    clock = ManualClock()
    store = fixed_state(demo_plant, clock)
    station = demo_plant.stations[2]
    model = TagTableModel([demo_plant.tag(t) for t in station.tags], store.snapshot(), clock.now)
    qtmodeltester.check(model)
    ranges: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, *_: ranges.append((a.row(), b.row())))
    now, mono = clock.now(), clock.monotonic()
    changes = {
        t: TagValue(t, 1.0, Quality.GOOD, "", now, now, mono)
        for t in (
            "labeler.speed",
            "labeler.good",
            "labeler.reject",
            "labeler.vibration",
            "filler.speed",
        )
    }
    model.apply(changes)
    assert ranges == [], "nothing until the page flushes"
    model.apply(changes)
    model.flush()
    assert ranges == [(0, 2), (7, 7)], (
        "one signal per run of adjacent rows; other stations' tags ignored"
    )
    model.flush()
    assert len(ranges) == 2, "nothing new, no signal"
    assert model.data(model.index(0, TagTableModel.VALUE)) == "1"
    assert not model.index(0, 0, QModelIndex()).parent().isValid()


@pytest.fixture
def live_window(
    qtbot: QtBot, broker: MosquittoBroker, demo_plant: PlantDef, tmp_path: Path
) -> Iterator[MainWindow]:
    plant = with_demo_ports(demo_plant, broker.port, free_port())
    runtime = Runtime(plant, cache_path=tmp_path / "cache.sqlite")
    runtime.start()
    bridge = RuntimeBridge(runtime.store, runtime.acquisition.health)
    win = MainWindow(plant, bridge, runtime.clock.now, OperatorServices.of(runtime), audible=False)
    qtbot.addWidget(win)
    win.show()
    bridge.start()
    yield win
    win.close()
    runtime.stop()


def test_published_value_reaches_the_screen(
    qtbot: QtBot, live_window: MainWindow, broker: MosquittoBroker
) -> None:
    live_window.show_station("capper")  # only the page on screen follows live values
    page = live_window.stations["capper"]
    model = page.model
    torque_row = next(r for r in range(model.rowCount()) if model.tag_at(r).id == "capper.torque")
    value_index = model.index(torque_row, TagTableModel.VALUE)
    qtbot.waitUntil(
        lambda: "line-broker: connected" in live_window.status.sources["line-broker"].text(),
        timeout=10_000,
    )
    assert model.data(value_index, QUALITY_ROLE) is not Quality.GOOD
    publisher = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
    publisher.connect("127.0.0.1", broker.port)
    publisher.loop_start()
    payload = json.dumps({"value": 2.345, "ts": "2026-11-22T10:00:00Z", "quality": "good"})
    publisher.publish("demo/bottling/capper/torque", payload, qos=1).wait_for_publish(5)
    qtbot.waitUntil(lambda: model.data(value_index) == "2.35", timeout=10_000)
    assert model.data(value_index, QUALITY_ROLE) is Quality.GOOD
    # The filler's OPC UA server does not exist here: its link shows the outage, the rest works.
    assert "no connection" in live_window.status.sources["filler-plc"].text()
    publisher.disconnect()
    publisher.loop_stop()
