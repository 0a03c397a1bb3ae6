"""Trends on screen: gaps for bad data, backfill after a restart, live and paused, marks, export."""

from __future__ import annotations

import asyncio
import csv
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from hmi.domain.clock import ManualClock
from hmi.domain.health import LinkState, SourceHealth
from hmi.domain.plant import HistorySettings, PlantDef
from hmi.domain.quality import Quality
from hmi.domain.tags import TagValue
from hmi.gui import theme
from hmi.gui.trend.page import ADHOC, TrendsPage
from hmi.gui.trend.view import TrendView
from hmi.services.history import HistoryService
from hmi.services.runtime import Runtime
from tests.support.images import assert_matches_approved
from tests.support.mosquitto import MosquittoBroker
from tests.support.wait import wait_until
from tests.test_acquisition import Publisher, mqtt_plant

T0 = 1_800_000_000.0  # 08:00:00 UTC; the tests run in UTC
BAD_FROM, BAD_TO = T0 + 300, T0 + 360  # speed: bad quality
STALE_AT, FRESH_AT = T0 + 600, T0 + 660  # pressure: stale, then fresh again
OUTAGE = (T0 + 700, T0 + 760)


def good(tag: str, value: float, ts: float) -> TagValue:
    return TagValue(tag, value, Quality.GOOD, "", ts, ts, 0.0)


def recorded_history(plant: PlantDef, clock: ManualClock, path: Path) -> HistoryService:
    """Fifteen minutes of the filler at 1 Hz, with a bad stretch, a stale one and an outage."""
    service = HistoryService(plant, HistorySettings(), path, clock)
    service.open()
    for second in range(900):
        ts = T0 + second
        speed = 300 + 120 * math.sin(second / 60)
        if BAD_FROM <= ts < BAD_TO:
            sample = TagValue("filler.speed", None, Quality.BAD, "not a number", ts, ts, 0.0)
        else:
            sample = good("filler.speed", speed, ts)
        batch = [sample, good("filler.product_temp", 6 + 2.5 * math.sin(second / 90), ts)]
        if not STALE_AT <= ts < FRESH_AT:
            batch.append(good("filler.pressure", 3.0 + 0.3 * math.cos(second / 45), ts))
        service.on_samples(batch)
        if ts == STALE_AT:
            stale = TagValue("filler.pressure", 3.1, Quality.STALE, "", ts, ts, 0.0)
            service.on_requalified([stale], ts)
        if ts == OUTAGE[0]:
            clock.advance(ts - clock.now())
            down = LinkState.RECONNECTING
            service.on_link(SourceHealth("filler-plc", "opcua", down, ts, last_error="refused"))
        if ts == OUTAGE[1]:
            clock.advance(ts - clock.now())
            service.on_link(SourceHealth("filler-plc", "opcua", LinkState.CONNECTED, ts))
    clock.advance(T0 + 900 - clock.now())
    asyncio.run(service.flush())
    return service


@pytest.fixture
def trends(
    qtbot: QtBot, qapp: object, demo_plant: PlantDef, tmp_path: Path
) -> Iterator[tuple[TrendsPage, HistoryService, ManualClock]]:
    theme.apply(qapp)  # type: ignore[arg-type]
    clock = ManualClock(T0)
    service = recorded_history(demo_plant, clock, tmp_path / "history.sqlite")
    page = TrendsPage(demo_plant, service, clock.now, export_dir=tmp_path / "exports")
    page.feed.stop()  # frames are driven by the test
    qtbot.addWidget(page)
    page.resize(1280, 700)
    page.show()
    qtbot.waitExposed(page)
    page.feed.wait_backfills()
    yield page, service, clock
    page.close()
    service.close()


def settle(page: TrendsPage) -> TrendView:
    """Run frames until every history load the view asked for is in."""
    view = page.current()
    for _ in range(10):
        page.feed.tick()
        pending = view.loads_pending()
        if not pending:
            break
        for future in pending:
            future.result(10)
    page.feed.tick()
    return view


def finite_segments_across(x: np.ndarray, y: np.ndarray, start: float, end: float) -> int:
    """Line segments between two finite points that span the interval: interpolation over it."""
    finite = np.isfinite(y)
    both = finite[:-1] & finite[1:]
    spans = (x[:-1] < start + 1e-6) & (x[1:] > end - 1e-6)
    return int((both & spans).sum())


def test_bad_and_stale_samples_are_gaps_in_the_data_handed_to_the_plot(
    trends: tuple[TrendsPage, HistoryService, ManualClock],
) -> None:
    page, _, clock = trends
    view = settle(page)
    assert view.live and view.x_range() == (clock.now() - 900, clock.now())
    speed = next(p for p in view.pens if p.tag.id == "filler.speed")
    x, y = speed.last_drawn
    x = x + 0.0  # absolute times
    assert np.isnan(y).any()
    assert finite_segments_across(x, y, BAD_FROM, BAD_TO) == 0
    # Good data on both sides is drawn.
    assert np.isfinite(y[(x > BAD_FROM - 30) & (x < BAD_FROM)]).any()
    assert np.isfinite(y[(x > BAD_TO) & (x < BAD_TO + 30)]).any()
    pressure = next(p for p in view.pens if p.tag.id == "filler.pressure")
    px, py = pressure.last_drawn
    assert finite_segments_across(px, py, STALE_AT, FRESH_AT) == 0
    # The curve item got exactly that data, shifted by the view's origin.
    cx, cy = speed.curve.getData()
    assert np.allclose(cx + view.origin, x) and np.array_equal(np.isnan(cy), np.isnan(y))


def test_the_trend_page_matches_its_approved_screenshot(
    trends: tuple[TrendsPage, HistoryService, ManualClock],
) -> None:
    page, _, _ = trends
    view = settle(page)
    view.set_cursor(T0 + 330)  # in the bad stretch: the readout says so
    speed_reading = view.read_at(T0 + 330)["filler.speed"]
    assert speed_reading is not None and math.isnan(speed_reading[0])
    assert speed_reading[1] == Quality.BAD
    page.feed.tick()
    assert any(mark.kind == "outage" for mark in view.marks.get("outages", []))
    assert_matches_approved(page.grab().toImage(), "trend_filler")


def test_a_drag_pauses_the_view_and_one_tap_returns_to_live(
    trends: tuple[TrendsPage, HistoryService, ManualClock], qtbot: QtBot
) -> None:
    page, service, clock = trends
    view = settle(page)
    vb = view.panes[0].plot.getViewBox()
    vb.translateBy(x=-120)  # what a drag does
    vb.sigRangeChangedManually.emit(vb.state["mouseEnabled"])
    assert not view.live and view.paused_bar.isVisible()
    frozen = view.x_range()
    clock.advance(30)
    service.on_samples([good("filler.speed", 100.0, clock.now())])
    page.feed.tick()
    assert view.x_range() == frozen  # the view stands still...
    assert page.feed.series["filler.speed"].last_time == clock.now()  # ...recording goes on
    qtbot.mouseClick(view.back_to_live, Qt.MouseButton.LeftButton)
    page.feed.tick()
    assert view.live and not view.paused_bar.isVisible()
    assert view.x_range()[1] == clock.now()


def test_going_back_to_a_time_loads_it_from_the_history(
    trends: tuple[TrendsPage, HistoryService, ManualClock],
) -> None:
    page, _, clock = trends
    clock.advance(6 * 3600)  # six hours later: the buffer holds nothing of 08:00
    page.feed.series["filler.speed"].clear()
    view = page.current()
    view.set_window(300.0)
    view.goto(T0 + 120)
    view = settle(page)
    assert view.x_range() == (T0 - 30, T0 + 270)
    reading = view.read_at(T0 + 120)["filler.speed"]
    assert reading is not None
    assert reading[0] == pytest.approx(300 + 120 * math.sin(2.0))
    speed = next(p for p in view.pens if p.tag.id == "filler.speed")
    assert np.isfinite(speed.last_drawn[1]).sum() > 100


def test_tapping_a_value_trends_it_on_the_adhoc_trend(
    trends: tuple[TrendsPage, HistoryService, ManualClock],
) -> None:
    page, _, _ = trends
    page.trend_tag("capper.good")
    assert page.current() is page.views[ADHOC]
    assert page.adhoc.tags() == ["capper.good"]
    assert "capper.good" in page.feed.series
    page.adhoc.remove_tag("capper.good")
    assert page.adhoc.tags() == [] and "capper.good" not in page.feed.series


def test_csv_export_of_the_visible_range(
    trends: tuple[TrendsPage, HistoryService, ManualClock], qtbot: QtBot
) -> None:
    page, _, _ = trends
    view = settle(page)
    view.pause()
    view.set_range(BAD_FROM - 2, BAD_FROM + 2)
    view.export_csv()
    qtbot.waitUntil(view.export_done, timeout=10000)
    files = list((view.export_dir).glob("trend-*.csv"))
    assert len(files) == 1
    with files[0].open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    assert header[:4] == ["time_utc", "time_local", "Filler speed [bpm]", "Filler speed quality"]
    speed_quality = [row[3] for row in rows[1:]]
    assert speed_quality == ["good", "good", "bad", "bad", "bad"]
    assert rows[3][2] == ""  # no value in a gap
    assert view.export_png() is not None


def test_a_restarted_program_backfills_its_trends_from_the_history(
    qtbot: QtBot, broker: MosquittoBroker, tmp_path: Path
) -> None:
    plant = mqtt_plant(broker.port)
    cache = tmp_path / "cache.sqlite"
    first = Runtime(plant, cache_path=cache)
    first.start()
    wait_until(lambda: first.acquisition.health()[0].state is LinkState.CONNECTED, 10, "connect")
    publisher = Publisher(broker.port)
    for value in range(20):
        publisher.send("line/speed", str(value))
    publisher.close()
    wait_until(lambda: first.store.get("speed").value == 19, 10, "the last value")
    first.stop()  # the last flush happens on the way out

    second = Runtime(plant, cache_path=cache)
    second.start()
    try:
        page = TrendsPage(plant, second.history, second.clock.now)
        qtbot.addWidget(page)
        page.trend_tag("speed")
        page.feed.wait_backfills()
        series = page.feed.series["speed"]
        values = series.v[: series.n]
        assert list(values[np.isfinite(values)][:20]) == [float(v) for v in range(20)]
        page.close()
    finally:
        second.stop()


def test_the_pinch_gesture_zooms_in_time(
    trends: tuple[TrendsPage, HistoryService, ManualClock],
) -> None:
    page, _, _ = trends
    view = settle(page)
    x0, x1 = view.x_range()
    vb = view.panes[0].plot.getViewBox()
    centre = vb.mapViewToScene(QPointF((x0 + x1) / 2 - view.origin, 0)).x()
    view.plot_area.pinched.emit(2.0, centre)
    n0, n1 = view.x_range()
    assert not view.live
    assert n1 - n0 == pytest.approx((x1 - x0) / 2, rel=0.05)
