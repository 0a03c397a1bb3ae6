"""The maintenance persona: the sources' browser against the demo's real servers, every
station at once, the journal one click away, and a tag dragged onto the trends."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from hmi.app.launch import with_demo_ports
from hmi.config import load_plant
from hmi.domain.health import LinkState
from hmi.domain.plant import StorageSettings
from hmi.gui import theme
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.browser import BrowseTree
from hmi.gui.main_window import MainWindow
from hmi.gui.session_control import OperatorServices
from hmi.gui.trend.page import ADHOC, TAG_MIME
from hmi.services.runtime import Runtime
from hmi.sim import demo_plant_path
from hmi.sim.plant import DemoPlant
from tests.support.images import assert_matches_approved
from tests.support.wait import wait_until

WAIT_MS = 15_000


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoPlant]:
    plant = DemoPlant(mqtt_port=DemoPlant.free_port(), opcua_port=DemoPlant.free_port(), seed=5)
    plant.start(timeout=20.0)
    yield plant
    plant.stop(timeout=10.0)


@pytest.fixture
def runtime(demo: DemoPlant, tmp_path: Path) -> Iterator[Runtime]:
    plant = with_demo_ports(load_plant(demo_plant_path()), demo.mqtt_port, demo.opcua_port)
    plant = dataclasses.replace(plant, storage=StorageSettings(path=str(tmp_path / "c.sqlite")))
    rt = Runtime(plant)
    rt.start()
    wait_until(
        lambda: all(h.state is LinkState.CONNECTED for h in rt.acquisition.health()),
        15,
        "both demo links",
    )
    yield rt
    rt.stop()


def test_the_browser_reads_the_servers_address_space_and_the_brokers_topics(
    runtime: Runtime,
) -> None:
    browse = runtime.browse
    assert sorted(browse.sources()) == [("filler-plc", "opcua"), ("line-broker", "mqtt")]
    top = runtime.submit(browse.children("filler-plc")).result(10)
    [filler] = [n for n in top if n.name == "Filler"]
    assert filler.has_children and not filler.leaf and filler.tag is None
    nodes = {
        n.name: n for n in runtime.submit(browse.children("filler-plc", filler.key)).result(10)
    }
    assert nodes["Speed"].leaf and nodes["Speed"].tag == "filler.speed"
    assert nodes["SpeedSetpoint"].tag == "filler.speed_sp"

    def topics() -> dict[str, str | None]:
        return {n.key: n.tag for n in runtime.submit(browse.topics("line-broker")).result(10)}

    wait_until(lambda: "demo/bottling/capper/speed" in topics(), 10, "the capper's topics")
    assert topics()["demo/bottling/capper/speed"] == "capper.speed"
    with pytest.raises(Exception, match="not an MQTT broker"):
        runtime.submit(browse.topics("filler-plc")).result(10)


@pytest.fixture
def window(qtbot: QtBot, qapp: QApplication, runtime: Runtime) -> Iterator[MainWindow]:
    theme.apply(qapp, dense=True)
    bridge = RuntimeBridge(runtime.store, runtime.acquisition.health)
    win = MainWindow(
        runtime.plant, bridge, runtime.clock.now, OperatorServices.of(runtime), runtime.history,
        audible=False,
    )  # fmt: skip
    win.attach_maintenance(runtime.browse)
    qtbot.addWidget(win)
    win.resize(1600, 960)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    theme.apply(qapp)  # the station's sizes again for the other tests


def _find(item: QTreeWidgetItem, text: str) -> QTreeWidgetItem:
    for i in range(item.childCount()):
        if item.child(i).text(0) == text:
            return item.child(i)
    raise AssertionError(f"no {text!r} under {item.text(0)!r}")


def test_a_bound_node_is_dragged_onto_the_trends_and_drawn(
    qtbot: QtBot, window: MainWindow
) -> None:
    browser = window.browser
    assert browser is not None
    plc = browser.roots["filler-plc"]
    plc.setExpanded(True)
    qtbot.waitUntil(lambda: plc.childCount() > 1, timeout=WAIT_MS)
    filler = _find(plc, "Filler")
    filler.setExpanded(True)
    qtbot.waitUntil(lambda: filler.childCount() > 5, timeout=WAIT_MS)
    speed, unbound = _find(filler, "Speed"), _find(plc, "Aliases")
    assert speed.text(1) == "Filler speed"
    assert BrowseTree.mime_for(unbound) is None, "an unbound node cannot be dragged"
    mime = BrowseTree.mime_for(speed)
    assert mime is not None and mime.hasFormat(TAG_MIME)
    window.show_page("trends")
    trends = window.trends
    drop = QDropEvent(
        QPointF(trends.rect().center()),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    trends.dropEvent(drop)  # as Qt delivers it when the drag ends over the trends
    assert trends.stack.currentWidget() is trends.views[ADHOC]
    assert [p.tag.id for p in trends.adhoc.pens] == ["filler.speed"]
    assert_matches_approved(browser.grab().toImage(), "maintenance_browser")


def test_every_station_at_once_and_the_journal_one_click_away(
    qtbot: QtBot, window: MainWindow
) -> None:
    window._nav_buttons["all"].click()
    grid = window.all_stations
    assert grid is not None and window.stack.currentWidget() is grid
    assert [p.station.id for p in grid.pages] == ["filler", "capper", "labeler"]
    assert all(p.isVisible() for p in grid.pages)
    window.show_alarm_journal()
    assert window.alarms is not None and window.stack.currentWidget() is window.alarms
