"""The Records page: what the operator sees of sync, and quarantine handled by role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot

from hmi.domain.plant import HttpUpstream
from hmi.domain.records import RecordKind
from hmi.domain.roles import Action
from hmi.gui import theme
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.main_window import MainWindow
from hmi.gui.session_control import OperatorServices
from hmi.receiver.http import HttpReceiver
from hmi.receiver.store import ReceivedStore
from hmi.services.runtime import Runtime
from tests.support.upstream import PINS, records_plant


@pytest.fixture
def refusing_receiver(tmp_path: Path) -> Iterator[HttpReceiver]:
    store = ReceivedStore(tmp_path / "received.sqlite")
    receiver = HttpReceiver(store, refuse_kinds={"intervention"})
    receiver.start()
    yield receiver
    receiver.stop()
    store.close()


@pytest.fixture
def runtime(tmp_path: Path, refusing_receiver: HttpReceiver) -> Iterator[Runtime]:
    plant = records_plant(HttpUpstream(refusing_receiver.url, timeout_s=5), quarantine_after=1)
    rt = Runtime(plant, cache_path=tmp_path / "cache.sqlite", station="filler")
    rt.start()
    yield rt
    rt.stop()


def sign_in(runtime: Runtime, user: str) -> None:
    assert runtime.submit(runtime.session.sign_in(user, PINS[user])).result(10) == ""


def test_quarantine_on_the_records_page_retry_by_operator_discard_only_by_engineer(
    qtbot: QtBot, qapp: object, runtime: Runtime, refusing_receiver: HttpReceiver
) -> None:
    theme.apply(qapp)  # type: ignore[arg-type]
    bridge = RuntimeBridge(runtime.store, runtime.acquisition.health)
    window = MainWindow(
        runtime.plant, bridge, runtime.clock.now, OperatorServices.of(runtime), audible=False
    )
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    sign_in(runtime, "olga")
    action, kind = Action.RECORD_INTERVENTION, RecordKind.INTERVENTION
    for text in ("first", "second"):
        runtime.submit(runtime.records.record(action, kind, "filler", {"text": text})).result(10)

    window.show_page("sync")
    page = window.sync_page
    assert page is not None
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=15_000)
    window.tick()
    assert "2 quarantined" in window.status.sync.text()
    assert page.figures["quarantined"].text() == "2"
    assert "HTTP 422" in page.model.data(page.model.index(0, 6))
    assert window.width() == 1280, "the Records page and the status bar fit the panel"

    def select_all() -> None:
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in range(page.model.rowCount()):
            page.table.selectionModel().select(page.model.index(row, 0), flags)

    # An operator may not discard: the service refuses, the page says so, nothing changes.
    select_all()
    page.discard_button.click()
    assert page.confirm.is_open
    page.confirm.discard_button.click()
    qtbot.waitUntil(lambda: "Refused" in page.message.text(), timeout=10_000)
    assert runtime.sync.summary().quarantined == 2

    # An operator may retry; once the MES accepts intervention records, both get through.
    refusing_receiver.refuse_kinds.clear()
    select_all()
    page.retry_button.click()
    qtbot.waitUntil(lambda: runtime.sync.summary().delivered == 2, timeout=15_000)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=10_000)
    window.tick()
    assert "all delivered" in window.status.sync.text()
    bridge.stop()
