"""End-of-shift summaries: OEE, top losses, alarms, stops still waiting for a reason.

At every shift end the service records one summary per tracked station (kind
``shift_summary``, through the outbox); a lead can also view any shift's
summary and export it as a self-contained HTML page (checked by role, audited).
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlite_utils

from hmi.domain.alarm_kpi import compute_kpis
from hmi.domain.alarms import Priority
from hmi.domain.audit import AuditCategory
from hmi.domain.clock import Clock
from hmi.domain.oee import Oee, ParetoRow
from hmi.domain.plant import PlantDef
from hmi.domain.records import Record, RecordKind, iso_utc
from hmi.domain.roles import Action
from hmi.domain.shifts import ShiftInstance, shift_at, shifts_between
from hmi.services.alarms import AlarmService
from hmi.services.downtime import DowntimeService, OrderPerformance
from hmi.services.records import RecordService
from hmi.services.session import SessionService
from hmi.storage.database import Database

log = logging.getLogger(__name__)

CHECK_S = 30.0
TOP_LOSSES = 5


@dataclass(frozen=True, slots=True)
class ShiftSummary:
    station: str
    station_name: str
    shift: str
    t0: float
    t1: float
    oee: Oee
    losses: list[ParetoRow]
    stops: int
    waiting: int  # stops still without a reason
    alarms: int  # annunciated
    alarms_by_priority: dict[str, int]
    orders: tuple[OrderPerformance, ...] = ()

    def payload(self) -> dict[str, Any]:
        o = self.oee
        return {
            "shift": self.shift,
            "start": iso_utc(self.t0),
            "end": iso_utc(self.t1),
            "oee": round(o.oee, 4),
            "availability": round(o.availability, 4),
            "performance": round(o.performance, 4),
            "quality": round(o.quality, 4),
            "good": o.good,
            "reject": o.reject,
            "run_s": round(o.run_s, 1),
            "downtime_s": round(o.downtime_s, 1),
            "planned_stop_s": round(o.planned_stop_s, 1),
            "stops": self.stops,
            "waiting_for_reason": self.waiting,
            "top_losses": [
                {"reason": r.code, "name": r.name, "minutes": round(r.minutes, 1), "count": r.count}
                for r in self.losses
            ],
            "alarms": self.alarms,
            "alarms_by_priority": self.alarms_by_priority,
            "orders": [
                {
                    "order": r.order,
                    "product": r.product,
                    "start": iso_utc(r.t0),
                    "end": iso_utc(r.t1),
                    "oee": round(r.oee.oee, 4),
                    "availability": round(r.oee.availability, 4),
                    "performance": round(r.oee.performance, 4),
                    "quality": round(r.oee.quality, 4),
                    "good": r.oee.good,
                    "reject": r.oee.reject,
                }
                for r in self.orders
            ],
        }


class ShiftReportService:
    """Summaries of ended shifts, recorded once each; HTML export for leads."""

    def __init__(
        self,
        plant: PlantDef,
        db: Database,
        session: SessionService,
        records: RecordService,
        downtime: DowntimeService,
        alarms: AlarmService,
        clock: Clock,
    ) -> None:
        self.plant = plant
        self._db = db
        self._session = session
        self._records = records
        self._downtime = downtime
        self._alarms = alarms
        self._clock = clock
        self._task: asyncio.Task[None] | None = None
        self._names = {s.id: s.name for s in plant.stations}

    async def start(self) -> None:
        if self.plant.shifts.shifts and self._downtime.trackers:
            self._task = asyncio.create_task(self._watch(), name="shift-summaries")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _watch(self) -> None:
        while True:
            # First a pause: after a start, the stops of the last shift come back first.
            await asyncio.sleep(CHECK_S)
            try:
                await self.record_ended(self._clock.now())
            except Exception:  # a summary that fails is logged; the next check tries again
                log.exception("shift summaries")

    async def record_ended(self, now: float, lookback_s: float = 7 * 86400) -> int:
        """Record the summary of every shift that ended and has none yet.

        Looks back a week at most, and no further than the first stop this
        HMI saw: a new installation does not invent summaries of shifts it
        never watched.
        """
        done = await self._read(_recorded_shifts)
        first = await self._read(_first_seen)
        since = max(now - lookback_s, first if first is not None else now)
        count = 0
        for shift in shifts_between(self.plant.shifts, since, now):
            if shift.end > now or shift.end <= since:
                continue
            for station in self._downtime.trackers:
                if (station, shift.start) in done:
                    continue
                summary = await self.summary(station, shift)

                def mark(
                    db: sqlite_utils.Database,
                    record: Record,
                    s: str = station,
                    t: float = shift.start,
                ) -> None:
                    _mark(db, s, t, record.id)

                await self._records.record_as_system(
                    RecordKind.SHIFT_SUMMARY, station, summary.payload(), also=mark
                )
                count += 1
        return count

    async def summary(self, station: str, shift: ShiftInstance | None = None) -> ShiftSummary:
        """One station's summary of ``shift`` (default: the current one, so far)."""
        now = self._clock.now()
        shift = shift or shift_at(self.plant.shifts, now)
        if shift is None:
            shift = ShiftInstance("last 8 h", now - 8 * 3600, now)
        t1 = min(shift.end, now)
        performance = await self._downtime.performance(station, shift.start, t1)
        transitions = await self._alarms.journal_for_kpis(shift.start, t1)
        kpis = compute_kpis(transitions, shift.start, t1, station=station)
        waiting = [e for e in self._downtime.waiting(station) if e.start < t1]
        orders = await self._downtime.performance_by_order(station, shift.start, t1)
        return ShiftSummary(
            station=station,
            station_name=self._names.get(station, station),
            shift=shift.name,
            t0=shift.start,
            t1=t1,
            oee=performance.oee,
            losses=performance.pareto[:TOP_LOSSES],
            stops=sum(1 for e in performance.events if not e.micro),
            waiting=len(waiting),
            alarms=kpis.annunciated,
            alarms_by_priority={p.name.lower(): kpis.priority_counts.get(p, 0) for p in Priority},
            orders=tuple(orders),
        )

    async def export_html(self, path: Path, summaries: list[ShiftSummary]) -> int:
        """Write the summaries as one HTML page; leads and up; audited. Returns bytes written."""
        user = await self._session.authorize(Action.SHIFT_REPORT)
        text = to_html(self.plant, summaries)
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(path.write_text, text, "utf-8")
        detail = json.dumps({"path": str(path), "stations": [s.station for s in summaries]})
        await self._session.audit(
            user.id, Action.SHIFT_REPORT.value, "ok", detail, AuditCategory.RECORD
        )
        return len(text.encode())

    async def _read(self, job: Any) -> Any:
        return await asyncio.wrap_future(self._db.submit(job))


def _recorded_shifts(db: sqlite_utils.Database) -> set[tuple[str, float]]:
    rows = db.execute("SELECT station, shift_start FROM shift_summaries").fetchall()
    return {(str(s), float(t)) for s, t in rows}


def _first_seen(db: sqlite_utils.Database) -> float | None:
    row = db.execute("SELECT MIN(start) FROM downtime").fetchone()
    return None if row is None or row[0] is None else float(row[0])


def _mark(db: sqlite_utils.Database, station: str, start: float, record_id: str) -> None:
    db.conn.execute(
        "INSERT OR IGNORE INTO shift_summaries (station, shift_start, record_id) VALUES (?,?,?)",
        (station, start, record_id),
    )


def to_html(plant: PlantDef, summaries: list[ShiftSummary]) -> str:
    """A printable page: one section per station; plain HTML, no scripts, no links out."""
    zone = ZoneInfo(plant.shifts.timezone or "UTC")

    def local(ts: float) -> str:
        return datetime.fromtimestamp(ts, zone).strftime("%Y-%m-%d %H:%M")

    def pct(x: float) -> str:
        return f"{x * 100:.1f} %"

    e = html.escape
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>{e(plant.name)}: shift summary</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:4px 8px;text-align:left}"
        "h2{margin-top:1.5em}.big{font-size:2em;font-weight:bold}</style></head><body>",
        f"<h1>{e(plant.name)}: shift summary</h1>",
    ]
    for s in summaries:
        o = s.oee
        parts += [
            f"<h2>{e(s.station_name)}: {e(s.shift)}, {local(s.t0)} to {local(s.t1)}</h2>",
            f"<p class='big'>OEE {pct(o.oee)}</p>",
            "<table><tr><th>Availability</th><th>Performance</th><th>Quality</th>"
            "<th>Good</th><th>Reject</th><th>Run time</th><th>Downtime</th></tr>",
            f"<tr><td>{pct(o.availability)}</td><td>{pct(o.performance)}</td>"
            f"<td>{pct(o.quality)}</td><td>{o.good}</td><td>{o.reject}</td>"
            f"<td>{o.run_s / 60:.0f} min</td><td>{o.downtime_s / 60:.0f} min</td></tr></table>",
            "<h3>Top losses</h3><table><tr><th>Reason</th><th>Minutes</th><th>Stops</th></tr>",
            *(
                f"<tr><td>{e(r.name)}</td><td>{r.minutes:.1f}</td><td>{r.count}</td></tr>"
                for r in s.losses
            ),
            "</table>",
            *_orders_html(s.orders, local, pct),
            f"<p>Stops: {s.stops}; waiting for a reason: {s.waiting}. "
            f"Alarms: {s.alarms} ("
            + ", ".join(f"{k} {v}" for k, v in s.alarms_by_priority.items())
            + ").</p>",
        ]
    parts.append("</body></html>")
    return "\n".join(parts)


def _orders_html(
    orders: tuple[OrderPerformance, ...],
    local: Callable[[float], str],
    pct: Callable[[float], str],
) -> list[str]:
    """OEE per order, when the shift knew of any order."""
    if not any(r.order or r.product for r in orders):
        return []
    e = html.escape
    rows = [
        "<h3>By order</h3><table><tr><th>Order</th><th>Product</th><th>From</th><th>To</th>"
        "<th>OEE</th><th>A</th><th>P</th><th>Q</th><th>Good</th><th>Reject</th></tr>"
    ]
    for r in orders:
        o = r.oee
        rows.append(
            f"<tr><td>{e(r.order or '—')}</td><td>{e(r.product or '—')}</td>"
            f"<td>{local(r.t0)}</td><td>{local(r.t1)}</td><td>{pct(o.oee)}</td>"
            f"<td>{pct(o.availability)}</td><td>{pct(o.performance)}</td>"
            f"<td>{pct(o.quality)}</td><td>{o.good}</td><td>{o.reject}</td></tr>"
        )
    rows.append("</table>")
    return rows
