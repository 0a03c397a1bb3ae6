"""The alarm page, the banner and the horn: the list model, actions by role, the screen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from hmi.domain.alarms import AlarmKind, AlarmState, AlarmView, Priority
from hmi.gui import theme
from hmi.gui.alarms.banner import AlarmBanner, Annunciator, newest_highest
from hmi.gui.alarms.model import AlarmTableModel
from hmi.gui.alarms.page import AlarmsPage
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.main_window import MainWindow
from hmi.gui.session_control import OperatorServices
from tests.support.images import assert_matches_approved
from tests.support.mosquitto import MosquittoBroker
from tests.test_alarm_service import Rig, alarm_plant

T0 = datetime(2026, 11, 30, 9, 0, 0).timestamp()


def view(
    alarm_id: str, priority: Priority, state: AlarmState, minutes: float, **kw: object
) -> AlarmView:
    fields: dict[str, object] = {
        "id": alarm_id,
        "station": "filler",
        "tag": "temp",
        "kind": AlarmKind.HI,
        "priority": priority,
        "message": alarm_id,
        "response": "",
        "state": state,
        "active": state in (AlarmState.UNACK, AlarmState.ACKED),
        "acked": state is not AlarmState.UNACK,
        "active_since": T0 + minutes * 60,
        "last_change": T0 + minutes * 60,
        "value": 85.0,
        "bad_input": False,
        "shelved_until": None,
        "shelved_one_shot": False,
        "shelved_by": "",
        "shelve_reason": "",
        "oos_by": "",
        "oos_reason": "",
        "oos_since": None,
        "comment": "",
        "confirmable": False,
        "max_shelve_s": 8 * 3600.0,
    }
    fields.update(kw)
    return AlarmView(**fields)  # type: ignore[arg-type]


def every_state() -> dict[str, AlarmView | None]:
    views = [
        view("Bowl temperature high", Priority.HIGH, AlarmState.UNACK, 5, value=86.4,
             response="Check the heater contactor; reduce the bowl setpoint."),
        view("Filler faulted", Priority.CRITICAL, AlarmState.ACKED, 2, comment="fitter called"),
        view("Bowl level low", Priority.MEDIUM, AlarmState.RTNUN, 7, value=12.0),
        view("Capper torque low", Priority.LOW, AlarmState.UNACK, 9, station="capper", value=1.1),
        view("Labeler web break", Priority.HIGH, AlarmState.SHLVD, 1, station="labeler",
             shelved_until=T0 + 3600, shelved_by="leo", shelve_reason="roll change"),
        view("Filler stopped too long", Priority.LOW, AlarmState.DSUPR, 3),
        view("Infeed sensor fault", Priority.MEDIUM, AlarmState.OOSRV, 0, oos_by="max",
             oos_reason="sensor being replaced, WO 4711", oos_since=T0),
    ]  # fmt: skip
    return {v.id: v for v in views}


def test_the_model_sorts_by_priority_then_time_and_keeps_the_selection(
    qtbot: QtBot, qtmodeltester: object
) -> None:
    page = AlarmsPage(alarm_plant(1883), None, None, _window(qtbot))
    qtbot.addWidget(page)
    page.apply(every_state())
    model = page.model
    assert [v.id for v in model.views()] == [
        "Filler faulted",
        "Bowl temperature high",
        "Bowl level low",
        "Capper torque low",
    ]
    assert [v.id for v in page.hidden_model.views()] == [
        "Labeler web break",
        "Infeed sensor fault",
        "Filler stopped too long",
    ]
    page.select(["Bowl level low"])
    newer = view("Bowl level low", Priority.CRITICAL, AlarmState.RTNUN, 10)
    page.apply({"Bowl level low": newer, "Filler faulted": None})
    assert [v.id for v in page.selected()] == ["Bowl level low"]  # the selection followed it
    assert model.views()[0].id == "Bowl level low"
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_only_unacknowledged_alarms_flash(qtbot: QtBot) -> None:
    model = AlarmTableModel(alarm_plant(1883))
    model.apply(every_state())

    def icons() -> dict[AlarmState, set[int]]:
        out: dict[AlarmState, set[int]] = {}
        for row, v in enumerate(model.views()):
            icon = model.data(model.index(row, 0), Qt.ItemDataRole.DecorationRole)
            out.setdefault(v.state, set()).add(icon.cacheKey())
        return out

    steady = icons()
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda top, bottom, *_: changed.append(
            (top.row(), top.column(), bottom.row(), bottom.column())
        )
    )
    model.set_flash(False)
    dark = icons()
    assert dark[AlarmState.ACKED] == steady[AlarmState.ACKED]
    assert dark[AlarmState.RTNUN] == steady[AlarmState.RTNUN]
    assert dark[AlarmState.UNACK].isdisjoint(steady[AlarmState.UNACK])  # the flashing ones
    unack_rows = [r for r, v in enumerate(model.views()) if v.state is AlarmState.UNACK]
    assert changed == [(unack_rows[0], 0, unack_rows[-1], 0)]  # one repaint of that column


def test_the_banner_shows_the_newest_highest_and_the_horn_silences_until_a_new_alarm() -> None:
    views = list(every_state().values())
    top = newest_highest(views)
    assert top is not None and top.id == "Bowl temperature high"
    horn = Annunciator(audible=False)
    horn.update(views)
    assert horn.sounding is Priority.HIGH
    horn.silence(views)
    horn.update(views)
    assert horn.sounding is None
    newer = view("Filler faulted", Priority.CRITICAL, AlarmState.UNACK, 12)
    horn.update([*views, newer])
    assert horn.sounding is Priority.CRITICAL


def test_a_horn_without_a_sound_device_says_so_on_the_banner_until_one_comes(
    qtbot: QtBot, qapp: QApplication
) -> None:
    theme.apply(qapp)
    devices: list[str] = []
    horn = Annunciator(outputs=lambda: devices)
    assert horn.problem == "No horn: no sound device"
    banner = AlarmBanner(alarm_plant(1883))
    qtbot.addWidget(banner)
    banner.show_horn(horn.problem)
    horn.problem_changed.connect(banner.show_horn)
    banner.show()
    assert banner.horn.isVisible() and banner.horn.text() == "⚠ No horn: no sound device"
    devices.append("Line speaker")
    with qtbot.waitSignal(horn.problem_changed, timeout=1000) as heard:
        horn.check_outputs()
    assert heard.args == [""] and horn.problem == ""
    assert not banner.horn.isVisible()


def test_the_alarm_page_in_every_state_matches_the_approved_screen(
    qtbot: QtBot, qapp: QApplication
) -> None:
    theme.apply(qapp)  # as the application looks, whichever test ran first
    window = _window(qtbot)
    page = AlarmsPage(alarm_plant(1883), None, None, window, now=lambda: T0 + 20 * 60)
    page.setParent(window)
    page.resize(1280, 700)
    page.apply(every_state())
    page.select(["Bowl temperature high"])
    page.model.set_flash(True)
    page.show()
    qtbot.waitExposed(page)
    assert_matches_approved(page.grab().toImage(), "alarms_every_state")
    page.hidden_tab.click()
    assert_matches_approved(page.grab().toImage(), "alarms_hidden")


def _window(qtbot: QtBot) -> QWidget:
    window = QWidget()
    window.resize(1280, 700)
    qtbot.addWidget(window)
    return window


@pytest.fixture
def rig(broker: MosquittoBroker, tmp_path: Path) -> Iterator[Rig]:
    r = Rig(broker, tmp_path / "cache.sqlite")
    yield r
    r.runtime.stop()
    r.pub.close()


def test_an_operator_acknowledges_from_the_banner_and_may_not_shelve(
    qtbot: QtBot, rig: Rig
) -> None:
    rt = rig.runtime
    bridge = RuntimeBridge(rt.store, rt.acquisition.health)
    window = MainWindow(rt.plant, bridge, rt.clock.now, OperatorServices.of(rt), audible=False)
    qtbot.addWidget(window)
    window.show()
    bridge.start()
    rig.pub.send("line/temp", "85")
    qtbot.waitUntil(lambda: window.alarm_banner.shown_id == "temp.hi", timeout=10_000)
    assert window.annunciator.sounding is Priority.HIGH
    rig.sign_in("olga")
    window.alarm_banner.opened.emit(window.alarm_banner.shown_id)
    page = window.alarms
    assert page is not None and [v.id for v in page.selected()] == ["temp.hi"]
    page.ack_button.click()
    qtbot.waitUntil(lambda: rig.state() is AlarmState.ACKED, timeout=10_000)
    qtbot.waitUntil(lambda: window.annunciator.sounding is None, timeout=5_000)
    page.select(["temp.hi"])
    page.shelve_button.click()
    assert page.sheet.is_open
    page.sheet.text.setText("nuisance")
    page.sheet.time_group.buttons()[0].click()
    page.sheet.ok.click()
    qtbot.waitUntil(lambda: "role" in page.sheet.message.text(), timeout=10_000)
    assert rig.state() is AlarmState.ACKED
    window.close()
    bridge.stop()


def test_the_painted_rows_follow_the_model_through_floods_and_re_sorts(qtbot: QtBot) -> None:
    page = AlarmsPage(alarm_plant(1883), None, None, _window(qtbot))
    qtbot.addWidget(page)
    page.shown.limit = 50
    page.apply(every_state())
    page.select(["Bowl level low"])
    priorities = list(Priority)
    for batch in range(5):  # alarms arrive in every priority, each batch newer
        flood = {
            f"flood {batch}.{i}": view(
                f"flood {batch}.{i}", priorities[i % 4], AlarmState.UNACK, 10 + batch + i / 100
            )
            for i in range(30)
        }
        page.apply(flood)
        model, shown = page.model, page.shown.model
        rows = min(model.rowCount(), 50)
        assert shown.rowCount() == rows
        assert [shown.data(shown.index(r, 3)) for r in range(rows)] == [
            model.data(model.index(r, 3)) for r in range(rows)
        ]
        assert [v.id for v in page.selected()] == ["Bowl level low"][
            : int(model.row_of("Bowl level low") < 50)
        ]
    assert "the first 50 shown" in page.summary.text()
