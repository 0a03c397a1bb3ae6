"""The alarm journal and alarm KPI pages over a real runtime: filters, CSV, figures, screens."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox
from pytestqt.qtbot import QtBot

from hmi.domain.alarm_kpi import Flood, compute_kpis
from hmi.domain.alarms import AlarmDef, AlarmKind, AlarmState, Event, Priority, Transition
from hmi.domain.plant import Codec, CodecKind, MqttBinding, PlantDef, StationDef, TagDef
from hmi.gui import theme
from hmi.gui.alarms.journal_page import AlarmJournalPage, EventKind, JournalModel
from hmi.gui.alarms.kpi_page import AlarmKpiPage, RowsModel
from hmi.gui.tasks import ServiceTasks
from hmi.services.runtime import Runtime
from hmi.storage import alarm_journal, journal
from tests.support.mosquitto import MosquittoBroker
from tests.support.upstream import PINS
from tests.test_acquisition import Publisher
from tests.test_alarm_service import alarm_plant

pytestmark = pytest.mark.broker

# Before the real clock of any run, so the runtime's own journal lines never fall in a window.
T0 = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC
MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
SHOTS = os.environ.get("HMI_SHOTS")  # a folder: the pages' screenshots are saved there too


def journal_plant(port: int) -> PlantDef:
    """The alarm test plant with a labeler beside the filler and glue-pressure alarms on it."""
    base = alarm_plant(port)
    pressure = TagDef(
        "pressure", "Glue pressure", "broker", MqttBinding("line/pressure", Codec(CodecKind.NUMBER))
    )
    labeler = StationDef("labeler", "Labeler", ("pressure",))
    alarms = (
        AlarmDef("press.lo", "labeler", "pressure", AlarmKind.LO, Priority.MEDIUM,
                 "Glue pressure low", setpoint=1.0),
        AlarmDef("press.hh", "labeler", "pressure", AlarmKind.HIHI, Priority.CRITICAL,
                 "Glue pressure very high", setpoint=6.0),
        AlarmDef("label.out", "labeler", "pressure", AlarmKind.EQUALS, Priority.LOW,
                 "Labels running out", setpoint=-1.0),
    )  # fmt: skip
    return replace(
        base,
        tags=(*base.tags, pressure),
        stations=(*base.stations, labeler),
        alarms=(*base.alarms, *alarms),
    )


class Desk:
    """A runtime on the test broker, and the service tasks a page calls it through."""

    def __init__(self, broker: MosquittoBroker, cache: Path) -> None:
        self.runtime = Runtime(journal_plant(broker.port), cache_path=cache, station="filler")
        self.runtime.start()
        self.tasks = ServiceTasks(self.runtime.submit)
        self.sign_in("leo")  # a lead: may export

    def sign_in(self, user: str) -> None:
        session = self.runtime.session
        assert self.runtime.submit(session.sign_in(user, PINS[user])).result(10) == ""

    def write(self, lines: list[Transition]) -> None:
        self.runtime.db.submit(lambda db: alarm_journal.append(db, lines)).result(10)

    def journal_page(self, qtbot: QtBot, now: float) -> AlarmJournalPage:
        page = AlarmJournalPage(self.runtime.plant, self.tasks, self.runtime.alarms, lambda: now)
        qtbot.addWidget(page)
        page.resize(1280, 800)
        return page

    def kpi_page(self, qtbot: QtBot, now: float) -> AlarmKpiPage:
        page = AlarmKpiPage(self.runtime.plant, self.tasks, self.runtime.alarms, lambda: now)
        qtbot.addWidget(page)
        page.resize(1280, 800)
        return page

    def close(self) -> None:
        self.tasks.close()
        self.runtime.stop()


@pytest.fixture
def desk(broker: MosquittoBroker, tmp_path: Path, qapp: QApplication) -> Iterator[Desk]:
    theme.apply(qapp)
    d = Desk(broker, tmp_path / "cache.sqlite")
    yield d
    d.close()


def line(
    minutes: float,
    alarm_id: str,
    station: str,
    priority: Priority,
    event: Event,
    state: AlarmState,
    message: str,
    **kw: object,
) -> Transition:
    return Transition(T0 + minutes * MINUTE, alarm_id, station, priority, event, state,
                      message=message, **kw)  # type: ignore[arg-type]  # fmt: skip


def known_journal() -> list[Transition]:
    hi, med, low, crit = Priority.HIGH, Priority.MEDIUM, Priority.LOW, Priority.CRITICAL
    a, shelved = Event.ACTIVE, Event.SHELVED
    return [
        line(-9 * 60, "temp.hi", "filler", hi, a, AlarmState.UNACK, "Bowl temperature high",
             value=81.0, annunciated=True),  # before every window below
        line(1, "temp.hi", "filler", hi, a, AlarmState.UNACK, "Bowl temperature high",
             value=85.5, annunciated=True),
        line(2, "temp.hi", "filler", hi, Event.ACKNOWLEDGED, AlarmState.ACKED,
             "Bowl temperature high", user="olga", text="seen it", value=85.5),
        line(3, "press.lo", "labeler", med, a, AlarmState.UNACK, "Glue pressure low",
             value=0.75, annunciated=True),
        line(4, "press.lo", "labeler", med, shelved, AlarmState.SHLVD, "Glue pressure low",
             user="leo", text="10 min: =pump swap", value=0.75, until=T0 + 14 * MINUTE),
        line(5, "label.out", "labeler", low, a, AlarmState.UNACK, "Labels running out",
             value="empty", annunciated=True),
        line(6, "press.hh", "labeler", crit, a, AlarmState.UNACK, "Glue pressure very high",
             value=6.5, annunciated=True),
        line(14, "press.lo", "labeler", med, Event.UNSHELVED, AlarmState.UNACK,
             "Glue pressure low", text="shelving time ran out", value=0.75, annunciated=True),
    ]  # fmt: skip


def ids(page: AlarmJournalPage) -> list[tuple[str, Event]]:
    return [(t.alarm_id, t.event) for t in page.model.rows]


def search(qtbot: QtBot, page: AlarmJournalPage) -> None:
    page.search_button.click()
    qtbot.waitUntil(
        lambda: page.search_button.isEnabled() and bool(page.count_label.text()), timeout=10_000
    )


def test_the_journal_page_filters_by_station_priority_event_and_text_and_exports_exactly(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    desk.write(known_journal())
    page = desk.journal_page(qtbot, now=T0 + 2 * HOUR)
    page.show()  # the first showing searches the default window, the last shift
    qtbot.waitUntil(lambda: page.model.rowCount() == 7, timeout=10_000)
    assert page.count_label.text() == "7 line(s)"
    assert page.window_buttons[8 * HOUR].isChecked()
    assert page.model.rows[0].alarm_id == "press.lo" and page.model.rows[-1].value == 85.5
    page.set_custom_window(T0 + 2 * MINUTE, T0 + 3 * MINUTE)  # shown as 22:15 to 22:16
    assert not any(b.isChecked() for b in page.window_buttons.values())
    search(qtbot, page)
    assert ids(page) == [("press.lo", Event.ACTIVE), ("temp.hi", Event.ACKNOWLEDGED)]
    page.window_buttons[8 * HOUR].click()  # a preset searches at once
    qtbot.waitUntil(lambda: page.model.rowCount() == 7, timeout=10_000)

    page.station_box.setCurrentIndex(page.station_box.findData("labeler"))
    page.priority_buttons[Priority.LOW].click()  # hide the low-priority lines
    page.search_field.setText("pressure")
    search(qtbot, page)
    assert ids(page) == [
        ("press.lo", Event.UNSHELVED),
        ("press.hh", Event.ACTIVE),
        ("press.lo", Event.SHELVED),
        ("press.lo", Event.ACTIVE),
    ]
    assert page.count_label.text() == "4 line(s)"
    model = page.model
    shown = [model.data(model.index(2, c)) for c in range(model.columnCount())]
    assert shown == [
        "2023-11-14 22:17:20", "Labeler", "Medium", "Shelved", "Shelved", "Glue pressure low",
        "0.75", "leo", "10 min: =pump swap (until 2023-11-14 22:27:20)",
    ]  # fmt: skip
    assert not model.data(model.index(1, 2), Qt.ItemDataRole.DecorationRole).isNull()
    assert model.data(model.index(1, 2)) == "Critical"

    path = tmp_path / "out" / "journal.csv"
    assert page.export_csv(path)
    qtbot.waitUntil(lambda: not page.exporting, timeout=10_000)
    assert page.message.text() == f"Saved 4 rows to {path}"
    assert path.read_bytes().decode("utf-8") == (  # RFC 4180 line ends
        "time_utc,time_local,alarm_id,station,priority,event,state,message,value,user,text,"
        "annunciated,until_utc\r\n"
        "2023-11-14T22:27:20.000Z,2023-11-14 22:27:20.000,press.lo,labeler,Medium,unshelved,"
        "UNACK,Glue pressure low,0.75,,shelving time ran out,yes,\r\n"
        "2023-11-14T22:19:20.000Z,2023-11-14 22:19:20.000,press.hh,labeler,Critical,active,"
        "UNACK,Glue pressure very high,6.5,,,yes,\r\n"
        "2023-11-14T22:17:20.000Z,2023-11-14 22:17:20.000,press.lo,labeler,Medium,shelved,"
        "SHLVD,Glue pressure low,0.75,leo,10 min: =pump swap,no,2023-11-14T22:27:20.000Z\r\n"
        "2023-11-14T22:16:20.000Z,2023-11-14 22:16:20.000,press.lo,labeler,Medium,active,"
        "UNACK,Glue pressure low,0.75,,,yes,\r\n"
    )

    page.event_box.setCurrentIndex(page.event_box.findData(EventKind.OPERATOR_ACTIONS))
    search(qtbot, page)
    assert ids(page) == [("press.lo", Event.UNSHELVED), ("press.lo", Event.SHELVED)]

    page.station_box.setCurrentIndex(0)
    page.event_box.setCurrentIndex(page.event_box.findData(EventKind.ACTIVATIONS))
    page.priority_buttons[Priority.LOW].click()
    page.search_field.setText("")
    search(qtbot, page)
    assert [a for a, _ in ids(page)] == ["press.hh", "label.out", "press.lo", "temp.hi"]

    page.limit = 4  # exactly as many as match: all are shown
    search(qtbot, page)
    assert page.count_label.text() == "4 line(s)"
    page.limit = 3
    search(qtbot, page)
    assert [a for a, _ in ids(page)] == ["press.hh", "label.out", "press.lo"]  # the newest
    assert page.count_label.text().startswith("Showing the newest 3 lines")
    page.message.setText(f"Saved 3 rows to {tmp_path / ('long-folder-name' * 12)}")
    assert page.minimumSizeHint().width() <= 1280, "long texts wrap; the page fits the panel"

    if SHOTS:
        page.limit = 100_000
        page.event_box.setCurrentIndex(0)
        search(qtbot, page)
        QApplication.processEvents()  # the layout settles, as it does before the next paint
        assert page.grab().save(str(Path(SHOTS) / "journal.png"))


def test_a_formula_typed_in_a_comment_is_exported_as_text(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    comment = line(1, "temp.hi", "filler", Priority.HIGH, Event.COMMENT, AlarmState.ACKED,
                   "Bowl temperature high", user="olga", text='=HYPERLINK("x")')  # fmt: skip
    desk.write([comment])
    page = desk.journal_page(qtbot, now=T0 + HOUR)
    search(qtbot, page)
    assert page.model.data(page.model.index(0, 8)) == '=HYPERLINK("x")'
    page.export_csv(tmp_path / "j.csv")
    qtbot.waitUntil(lambda: not page.exporting, timeout=10_000)
    row = (tmp_path / "j.csv").read_text(encoding="utf-8").splitlines()[1]
    assert row.endswith(',olga,"\'=HYPERLINK(""x"")",no,')


def test_a_live_activation_from_the_broker_is_in_the_journal_page(
    qtbot: QtBot, desk: Desk, broker: MosquittoBroker
) -> None:
    rt = desk.runtime
    publisher = Publisher(broker.port)
    try:
        publisher.send("line/temp", "85", retain=True)  # whenever the runtime subscribes
        qtbot.waitUntil(
            lambda: any(v.id == "temp.hi" and v.active for v in rt.alarms.views()), timeout=10_000
        )
    finally:
        publisher.close()
    page = AlarmJournalPage(rt.plant, desk.tasks, rt.alarms, rt.clock.now)
    qtbot.addWidget(page)
    page.event_box.setCurrentIndex(page.event_box.findData(EventKind.ACTIVATIONS))
    page.search_field.setText("temperature")
    page.set_window(HOUR)
    search(qtbot, page)
    assert ids(page) == [("temp.hi", Event.ACTIVE)]
    assert page.model.data(page.model.index(0, 6)) == "85"


def test_the_journal_model_passes_the_model_tester(qtmodeltester: object) -> None:
    model = JournalModel({"filler": "Filler"})
    model.set_rows(known_journal())
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.set_rows([])
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    rows = RowsModel(("Alarm", "Message"))
    rows.set_rows([("a", "b"), ("c", "d")])
    qtmodeltester.check(rows)  # type: ignore[attr-defined]


def kpi_journal() -> list[Transition]:
    """A flood of 11 alarms in 500 s on the filler, and one chattering alarm on the labeler."""
    hi, low = Priority.HIGH, Priority.LOW
    flood = [
        line(60 + i * 50 / 60, f"F{i:02d}", "filler", low, Event.ACTIVE, AlarmState.UNACK,
             f"Flood alarm {i}", annunciated=True)
        for i in range(11)
    ]  # fmt: skip
    chatter = []
    for k in range(3):
        at = 300 + k * 20 / 60  # three activations 20 s apart
        chatter += [
            line(at, "press.lo", "labeler", hi, Event.ACTIVE, AlarmState.UNACK,
                 "Glue pressure low", annunciated=True),
            line(at + 5 / 60, "press.lo", "labeler", hi, Event.CLEARED, AlarmState.RTNUN,
                 "Glue pressure low"),
        ]  # fmt: skip
    return flood + chatter


def test_the_kpi_page_shows_a_known_flood_and_a_chattering_alarm(qtbot: QtBot, desk: Desk) -> None:
    journal = kpi_journal()
    desk.write(journal)
    now = T0 + DAY
    expected = compute_kpis(journal, T0, now)
    assert expected.floods == (Flood(T0 + HOUR, T0 + HOUR + 900, 11, 11),)

    page = desk.kpi_page(qtbot, now)
    page.show()  # the first showing reads the last 24 h
    qtbot.waitUntil(lambda: page.kpis is not None, timeout=10_000)
    kpis = page.kpis
    assert kpis is not None and kpis.annunciated == 14
    assert kpis.floods == expected.floods and kpis.chattering == ("press.lo",)
    figures = {k: v.text() for k, v in page.figures.items()}
    assert figures == {
        "per_10_min": "0.10",  # 14 alarms in 144 periods of 10 min
        "per_hour": "0.6",
        "load": "✓ Acceptable",
        "peak": "11",
        "floods": "1",
    }
    assert page.notes["floods"].text() == "1.0 % of the time in flood\n(target < 1 %)"
    assert page.floods_model.rows == [("2023-11-14 23:13", "15 min", "11", "11")]
    assert page.chattering_model.rows == [("press.lo", "Glue pressure low")]
    assert page.standing_model.rows == []
    assert page.bad_actors_model.rows[0] == ("1", "Glue pressure low", "3", "21 %")
    assert len(page.bad_actors_model.rows) == 10
    verdicts = {k: v.text() for k, v in page.verdicts.items()}
    assert verdicts == {
        "floods": "✕ not met",  # 15 min of 24 h in flood: 1.04 %
        "chattering": "✕ not met",
        "standing": "✓ met",
        "priority": "✕ not met",  # 3 of 14 are high
    }
    assert page.headings["chattering"].text() == "Chattering: 1 (target 0)"
    assert page.headings["bad_actors"].text() == "Top 10 bad actors: 86 % of all alarms"

    assert page.minimumSizeHint().width() <= 1280
    if SHOTS:
        QApplication.processEvents()
        assert page.grab().save(str(Path(SHOTS) / "kpi.png"))

    # Another station: computed again from the journal already read.
    page.station_box.setCurrentIndex(page.station_box.findData("labeler"))
    qtbot.waitUntil(
        lambda: page.kpis is not None and page.kpis.station == "labeler", timeout=10_000
    )
    assert page.kpis is not None and page.kpis.annunciated == 3
    assert page.figures["floods"].text() == "0" and page.floods_model.rows == []
    assert page.chattering_model.rows == [("press.lo", "Glue pressure low")]
    assert page.priority_bars.shares[Priority.HIGH] == 1.0

    page.set_span(7 * DAY)
    qtbot.waitUntil(lambda: page.kpis is not None and page.kpis.t0 == now - 7 * DAY, timeout=10_000)
    assert page.kpis is not None and page.kpis.annunciated == 3


def test_every_button_of_both_pages_is_a_touch_target(qtbot: QtBot, desk: Desk) -> None:
    size = theme.touch_min_px()
    for page in (desk.journal_page(qtbot, T0), desk.kpi_page(qtbot, T0)):
        page.show()
        qtbot.waitUntil(lambda: desk.tasks.pending == 0, timeout=10_000)
        for widget in page.findChildren(QAbstractButton) + page.findChildren(QComboBox):
            if widget.isVisible():
                assert widget.height() >= size, (
                    type(page).__name__,
                    widget.text() if isinstance(widget, QAbstractButton) else widget.currentText(),
                )


def test_both_pages_say_so_when_the_runtime_is_not_running(qtbot: QtBot, desk: Desk) -> None:
    journal, kpi = desk.journal_page(qtbot, T0), desk.kpi_page(qtbot, T0)
    desk.runtime.stop()
    journal.search_button.click()
    qtbot.waitUntil(journal.search_button.isEnabled, timeout=10_000)
    assert journal.message.text() == "Not done: the runtime is not running."
    kpi.refresh()
    qtbot.waitUntil(kpi.refresh_button.isEnabled, timeout=10_000)
    assert kpi.message.text() == "Not done: the runtime is not running."
    assert not kpi.message.isHidden() and kpi.kpis is None


def test_an_operator_may_not_export_the_journal_and_the_refusal_is_audited(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    desk.write(known_journal())
    desk.sign_in("olga")
    page = desk.journal_page(qtbot, now=T0 + HOUR)
    search(qtbot, page)
    path = tmp_path / "refused.csv"
    assert page.export_csv(path)
    qtbot.waitUntil(lambda: not page.exporting, timeout=10_000)
    assert "role" in page.message.text() and not path.exists()
    entries = desk.runtime.db.read(lambda db: list(journal.audit_entries(db)))
    assert [(e.user, e.result) for e in entries if e.action == "alarm.export"] == [
        ("olga", "denied")
    ]
