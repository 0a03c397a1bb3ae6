"""One run of a work instruction at a station: who did each step, what they entered, who signed.

A run is saved after every confirmed step, so a run interrupted by a restart
resumes at the step it stopped at. When it ends (finished or abandoned) it
becomes one operator record through the outbox: the instruction's id and
version hash, the station, the order and serial, each step's user, time,
entered and captured values, and every signature with its meaning.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any

from hmi.domain.instructions import Instruction, Step
from hmi.domain.records import iso_utc

Scalar = float | int | bool | str | None


class RunState(enum.StrEnum):
    OPEN = "open"
    FINISHED = "finished"
    ABANDONED = "abandoned"


class InstructionError(Exception):
    """A run cannot do what was asked (no such instruction, run already ended, ...)."""


@dataclass(frozen=True, slots=True)
class Signature:
    """A person confirmed something by entering their PIN or badge again."""

    user: str
    name: str
    role: str
    meaning: str
    ts: float

    def payload(self) -> dict[str, Any]:
        return {
            "user": self.user,
            "name": self.name,
            "role": self.role,
            "meaning": self.meaning,
            "at": iso_utc(self.ts),
        }


@dataclass(frozen=True, slots=True)
class Entry:
    """What was entered or captured for one capture of a step."""

    capture: str
    value: Scalar
    status: str  # ok, out_of_limits
    reason: str = ""  # why an out-of-limit value stands
    approved_by: Signature | None = None  # a lead's sign-off of an out-of-limit value

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"capture": self.capture, "value": self.value, "status": self.status}
        if self.reason:
            body["reason"] = self.reason
        if self.approved_by is not None:
            body["approved_by"] = self.approved_by.payload()
        return body


@dataclass(frozen=True, slots=True)
class StepDone:
    step: str
    user: str
    ts: float
    entries: tuple[Entry, ...] = ()
    signatures: tuple[Signature, ...] = ()

    def payload(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "user": self.user,
            "at": iso_utc(self.ts),
            "entries": [e.payload() for e in self.entries],
            "signatures": [s.payload() for s in self.signatures],
        }


@dataclass(frozen=True, slots=True)
class Run:
    id: str
    instruction: str
    version: str
    title: str
    station: str
    user: str  # who started it
    started: float
    context: dict[str, str] = field(default_factory=dict)  # order, product, batch
    step_index: int = 0
    done: tuple[StepDone, ...] = ()
    state: RunState = RunState.OPEN
    signatures: tuple[Signature, ...] = ()  # the whole run's
    ended: float | None = None
    note: str = ""  # why it was abandoned
    serial: str | None = None  # the first serial or barcode captured: the unit it was about

    def step(self, instruction: Instruction) -> Step | None:
        """The step to do now; None once every step is confirmed."""
        steps = instruction.steps
        return steps[self.step_index] if self.step_index < len(steps) else None

    def entries(self, step_id: str) -> dict[str, Entry]:
        """What was confirmed for a step (shown again when the operator goes back)."""
        for done in self.done:
            if done.step == step_id:
                return {e.capture: e for e in done.entries}
        return {}

    def confirmed(self, done: StepDone, instruction: Instruction) -> Run:
        """The run after a step is confirmed: its result replaces any earlier one; next step."""
        kept = tuple(d for d in self.done if d.step != done.step)
        order = {s.id: i for i, s in enumerate(instruction.steps)}
        merged = tuple(sorted((*kept, done), key=lambda d: order.get(d.step, 0)))
        index = order.get(done.step, self.step_index) + 1
        return replace(self, done=merged, step_index=index)

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "run": self.id,
            "instruction": self.instruction,
            "version": self.version,
            "title": self.title,
            "state": self.state.value,
            "started": iso_utc(self.started),
            "ended": iso_utc(self.ended) if self.ended is not None else None,
            "started_by": self.user,
            # What the run was done for, as it started; the record's own ``context`` is the
            # station's when it ended (the order may have changed meanwhile).
            "run_context": dict(self.context),
            "steps": [d.payload() for d in self.done],
            "signatures": [s.payload() for s in self.signatures],
        }
        if self.serial is not None:
            body["serial"] = self.serial
        if self.note:
            body["note"] = self.note
        return body


def run_to_json(run: Run) -> dict[str, Any]:
    """Everything needed to resume the run after a restart."""

    def sig(s: Signature) -> dict[str, Any]:
        return {"user": s.user, "name": s.name, "role": s.role, "meaning": s.meaning, "ts": s.ts}

    def entry(e: Entry) -> dict[str, Any]:
        return {
            "capture": e.capture,
            "value": e.value,
            "status": e.status,
            "reason": e.reason,
            "approved_by": sig(e.approved_by) if e.approved_by is not None else None,
        }

    return {
        "id": run.id,
        "instruction": run.instruction,
        "version": run.version,
        "title": run.title,
        "station": run.station,
        "user": run.user,
        "started": run.started,
        "context": run.context,
        "step_index": run.step_index,
        "done": [
            {
                "step": d.step,
                "user": d.user,
                "ts": d.ts,
                "entries": [entry(e) for e in d.entries],
                "signatures": [sig(s) for s in d.signatures],
            }
            for d in run.done
        ],
        "state": run.state.value,
        "signatures": [sig(s) for s in run.signatures],
        "ended": run.ended,
        "note": run.note,
        "serial": run.serial,
    }


def run_from_json(data: dict[str, Any]) -> Run:
    def sig(s: dict[str, Any]) -> Signature:
        return Signature(s["user"], s["name"], s["role"], s["meaning"], float(s["ts"]))

    def entry(e: dict[str, Any]) -> Entry:
        approved = e.get("approved_by")
        return Entry(
            e["capture"],
            e["value"],
            e["status"],
            e.get("reason", ""),
            sig(approved) if approved else None,
        )

    return Run(
        id=data["id"],
        instruction=data["instruction"],
        version=data["version"],
        title=data["title"],
        station=data["station"],
        user=data["user"],
        started=float(data["started"]),
        context=dict(data.get("context", {})),
        step_index=int(data["step_index"]),
        done=tuple(
            StepDone(
                d["step"],
                d["user"],
                float(d["ts"]),
                tuple(entry(e) for e in d["entries"]),
                tuple(sig(s) for s in d["signatures"]),
            )
            for d in data["done"]
        ),
        state=RunState(data["state"]),
        signatures=tuple(sig(s) for s in data.get("signatures", [])),
        ended=data.get("ended"),
        note=data.get("note", ""),
        serial=data.get("serial"),
    )
