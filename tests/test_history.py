"""The tag history: chunks and buckets in SQLite, gaps, retention, the trends' tail, CSV export."""

from __future__ import annotations

import asyncio
import csv
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from hmi.domain.clock import ManualClock
from hmi.domain.health import LinkState, SourceHealth
from hmi.domain.plant import (
    Codec,
    CodecKind,
    DataType,
    HistorySettings,
    MqttBinding,
    MqttSource,
    PlantDef,
    TagDef,
)
from hmi.domain.quality import Quality
from hmi.domain.tags import TagValue
from hmi.services.history import HistoryService
from hmi.storage import history

T0 = 1_800_000_000.0  # 2027-01-15 08:00:00 UTC, a multiple of the bucket width
JSON = Codec(CodecKind.JSON, ("value",))
PLANT = PlantDef(
    name="test",
    sources=(MqttSource("mq", "127.0.0.1"),),
    tags=(
        TagDef("speed", "Speed", "mq", MqttBinding("a", JSON), unit="bpm"),
        TagDef("temp", "Temperature", "mq", MqttBinding("b", JSON), unit="°C"),
        TagDef("name", "Name", "mq", MqttBinding("c", JSON), data_type=DataType.STRING),
    ),
    stations=(),
)


def sample(tag: str, value: float | None, ts: float, quality: Quality = Quality.GOOD) -> TagValue:
    return TagValue(tag, value, quality, "", ts, ts, ts - T0)


class Harness:
    def __init__(
        self, path: Path, settings: HistorySettings | None = None, start: float = T0
    ) -> None:
        self.clock = ManualClock(start)
        self.service = HistoryService(PLANT, settings or HistorySettings(), path, self.clock)
        self.service.open()

    def flush_at(self, now: float) -> None:
        self.clock.advance(now - self.clock.now())
        asyncio.run(self.service.flush())

    def raw(self, tag: str, t0: float, t1: float) -> history.Samples:
        return self.service.db.read(lambda db: history.load_raw(db, tag, t0, t1))

    def buckets(self, tag: str, t0: float, t1: float) -> history.Samples:
        return self.service.db.read(lambda db: history.load_buckets(db, tag, t0, t1))


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    h = Harness(tmp_path / "history.sqlite")
    yield h
    h.service.close()


def test_samples_come_back_in_time_order_with_the_one_in_effect_before(harness: Harness) -> None:
    service = harness.service
    service.on_samples([sample("speed", 100.0 + i, T0 + i) for i in range(5)])
    harness.flush_at(T0 + 5)
    service.on_samples([sample("speed", 200.0, T0 + 7), sample("speed", 199.0, T0 + 6)])
    harness.flush_at(T0 + 8)
    got = harness.raw("speed", T0 + 2.5, T0 + 10)
    assert list(got.t) == [T0 + 2, T0 + 3, T0 + 4, T0 + 6, T0 + 7]
    assert list(got.v) == [102, 103, 104, 199, 200]
    assert not got.bucketed


def test_bad_and_stale_values_are_stored_as_gaps_with_their_quality(harness: Harness) -> None:
    service = harness.service
    service.on_samples(
        [
            sample("speed", 1.0, T0),
            sample("speed", None, T0 + 1, Quality.BAD),
            sample("speed", 3.0, T0 + 2, Quality.UNCERTAIN),
            sample("name", "not drawn", T0 + 2),
        ]
    )
    service.on_requalified([sample("speed", 3.0, T0 + 2, Quality.STALE)], T0 + 4)
    harness.flush_at(T0 + 5)
    got = harness.raw("speed", T0, T0 + 5)
    assert list(got.q) == [Quality.GOOD, Quality.BAD, Quality.UNCERTAIN, Quality.STALE]
    assert np.isnan(got.v[[1, 3]]).all() and got.v[2] == 3.0
    assert got.t[3] == T0 + 4  # the gap starts when the value turned stale
    assert harness.raw("name", T0, T0 + 5).t.size == 0


def test_a_source_time_from_the_future_is_replaced_by_the_receive_time(harness: Harness) -> None:
    ahead = TagValue("speed", 5.0, Quality.GOOD, "", T0 + 3600, T0, 0.0)
    harness.service.on_samples([ahead])
    harness.flush_at(T0 + 1)
    assert list(harness.raw("speed", T0 - 1, T0 + 7200).t) == [T0]


def test_the_time_the_program_was_not_running_is_a_gap(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    first = Harness(path)
    first.service.on_samples([sample("speed", 50.0, T0 + 1)])
    first.flush_at(T0 + 10)
    first.service.close()  # a crash: no clean stop; the run ended at its last flush
    second = Harness(path, start=T0 + 3600)
    second.service.on_samples([sample("speed", 60.0, T0 + 3601)])
    second.flush_at(T0 + 3605)
    got = second.raw("speed", T0, T0 + 3605)
    assert list(got.t) == [T0 + 1, T0 + 10, T0 + 3601]
    assert math.isnan(got.v[1]) and got.q[1] == Quality.NO_CONNECTION
    second.service.close()


def test_buckets_keep_min_max_average_and_a_held_value_fills_them(harness: Harness) -> None:
    service = harness.service
    service.on_samples([sample("temp", v, T0 + i) for i, v in enumerate([20.0, 25.0, 22.0])])
    harness.flush_at(T0 + 5)
    harness.flush_at(T0 + 35)  # nothing new: 22 holds through three more buckets
    rows = service.db.read(
        lambda db: db.execute(
            "SELECT t, mn, mx, total, n FROM history_bucket WHERE tag = 'temp' ORDER BY t"
        ).fetchall()
    )
    assert [row[0] for row in rows] == [T0, T0 + 10, T0 + 20, T0 + 30]
    assert rows[0][1:3] == (20.0, 25.0)
    assert all(row[1] == row[2] == 22.0 for row in rows[1:])
    got = harness.buckets("temp", T0, T0 + 40)
    assert got.bucketed
    assert list(got.v[:2]) == [20.0, 25.0]


def test_a_bucket_with_bad_data_or_none_recorded_draws_a_gap(harness: Harness) -> None:
    service = harness.service
    service.on_samples([sample("temp", 20.0, T0 + 1), sample("temp", None, T0 + 2, Quality.BAD)])
    service.on_samples([sample("temp", 21.0, T0 + 3)])
    harness.flush_at(T0 + 9)
    got = harness.buckets("temp", T0, T0 + 9)
    # min 20, max 21, then a break: the bucket had a bad value.
    assert list(got.v[:2]) == [20.0, 21.0] and math.isnan(got.v[2])
    # A bucket never written (the program was off) breaks the line too.
    service.on_samples([sample("temp", 30.0, T0 + 601)])
    harness.service._held["temp"] = (math.nan, 4)
    harness.service._last_flush = T0 + 600
    harness.flush_at(T0 + 605)
    got = harness.buckets("temp", T0, T0 + 700)
    assert np.isnan(got.v).any()
    i = int(np.flatnonzero(got.v == 30.0)[0])
    assert math.isnan(got.v[i - 1])


def test_retention_by_age_removes_raw_first_then_buckets(tmp_path: Path) -> None:
    settings = HistorySettings(raw_hours=1.0, keep_days=1.0)
    h = Harness(tmp_path / "history.sqlite", settings)
    h.service.on_samples([sample("speed", 1.0, T0 + 1)])
    h.flush_at(T0 + 2)
    h.flush_at(T0 + 2 * 3600)
    asyncio.run(h.service.prune())
    assert h.raw("speed", T0, T0 + 10).t.size == 0
    assert h.buckets("speed", T0, T0 + 10).t.size > 0
    h.clock.advance(86400)
    result = asyncio.run(h.service.prune())
    assert result.bucket_rows > 0
    assert h.buckets("speed", T0, T0 + 10).t.size == 0
    h.service.close()


def test_retention_by_size_drops_the_oldest_hours_until_it_fits(tmp_path: Path) -> None:
    h = Harness(tmp_path / "history.sqlite", HistorySettings(max_mb=1.0))
    rng = np.random.default_rng(3)
    for hour in range(6):
        base = T0 + hour * 3600
        # About 0.5 MB of samples per hour.
        values = rng.normal(size=30_000)
        h.service.on_samples(
            [sample("speed", float(v), base + i * 0.1) for i, v in enumerate(values)]
        )
        h.flush_at(base + 3000)
    result = asyncio.run(h.service.prune())
    assert result.raw_rows > 0
    assert result.used_bytes <= 1_000_000
    assert h.raw("speed", T0, T0 + 3600).t.size == 0  # the oldest went
    assert h.raw("speed", T0 + 5 * 3600, T0 + 6 * 3600).t.size == 30_000  # the newest stayed
    h.service.close()


def test_a_followed_tag_gets_every_sample_including_those_not_yet_written(
    harness: Harness,
) -> None:
    service = harness.service
    service.on_samples([sample("speed", 1.0, T0 + 1)])  # pending, not flushed
    service.follow(["speed", "name"])  # a string tag is never followed
    service.on_samples([sample("speed", float(v), T0 + 2 + v) for v in range(1000)])
    tails, overflowed = service.take_tail()
    assert set(tails) == {"speed"} and not overflowed
    t, v, _ = tails["speed"]
    assert len(t) == 1001 and v[0] == 1.0 and v[-1] == 999.0
    assert service.take_tail() == ({}, set())
    service.follow([])
    service.on_samples([sample("speed", 5.0, T0 + 5000)])
    assert service.take_tail() == ({}, set())


def test_load_picks_buckets_for_long_spans_and_raw_for_short_ones(harness: Harness) -> None:
    service = harness.service
    service.on_samples([sample("speed", float(i), T0 + i) for i in range(100)])
    harness.flush_at(T0 + 100)
    assert not service.load("speed", T0, T0 + 100, 1000).result(10).bucketed
    assert service.load("speed", T0, T0 + 86400, 1000).result(10).bucketed


def test_outages_are_events_with_a_start_and_an_end(harness: Harness) -> None:
    service = harness.service
    down = SourceHealth("mq", "mqtt", LinkState.RECONNECTING, T0, last_error="refused")
    service.on_link(down)
    harness.clock.advance(30)
    service.on_link(SourceHealth("mq", "mqtt", LinkState.CONNECTED, T0 + 30))
    service.db.submit(lambda db: None).result(10)  # the writer has done the jobs before it
    events = service.events(T0 - 10, T0 + 100).result(10)
    assert [(e.kind, e.subject, e.start, e.end, e.text) for e in events] == [
        ("outage", "mq", T0, T0 + 30, "refused")
    ]


def test_csv_export_has_a_row_per_time_and_each_pens_value_and_quality(
    harness: Harness, tmp_path: Path
) -> None:
    service = harness.service
    service.on_samples(
        [
            sample("speed", 100.0, T0 + 1),
            sample("temp", 20.5, T0 + 2),
            sample("speed", None, T0 + 3, Quality.BAD),
        ]
    )
    harness.flush_at(T0 + 4)
    service.on_samples([sample("temp", 21.0, T0 + 5)])  # not yet written: exported all the same
    out = tmp_path / "export" / "trend.csv"
    tags = [PLANT.tag("speed"), PLANT.tag("temp")]
    assert service.export_csv(out, tags, T0, T0 + 10).result(10) == 4
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [
        "time_utc",
        "time_local",
        "Speed [bpm]",
        "Speed quality",
        "Temperature [°C]",
        "Temperature quality",
    ]
    assert rows[1] == [
        "2027-01-15T08:00:01.000Z",
        "2027-01-15 08:00:01.000",
        "100",
        "good",
        "",
        "no_data",
    ]
    assert rows[2][2:] == ["100", "good", "20.5", "good"]
    assert rows[3][2:] == ["", "bad", "20.5", "good"]
    assert rows[4][2:] == ["", "bad", "21", "good"]
