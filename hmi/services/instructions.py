"""Work instruction runs: the right instruction for the station's product, step by step, signed.

Runs on the runtime thread. Instructions load once from the plant file's
instruction folder (a bad one is left out and logged with its problems; the
others still load). The instructions offered at a station follow its
current product (the downtime service's context). Every confirmed step is
saved at once, so a restart resumes the run where it stopped; the finished
(or abandoned) run becomes one ``instruction_run`` record through the outbox.

What a step needs is checked here, not in the GUI: each capture against its
limits; a tag captured from its live value at confirmation (refused unless
good); a reason for an out-of-limit value, or a lead's signature where the
step says so; the step's and the run's sign-offs by PIN, a second person's
being somebody other than the operator with the role the instruction names.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import sqlite_utils

from hmi.config.instructions import load_instructions
from hmi.domain.clock import Clock
from hmi.domain.instruction_run import (
    Entry,
    InstructionError,
    Run,
    RunState,
    Signature,
    StepDone,
)
from hmi.domain.instructions import (
    Capture,
    CaptureKind,
    CaptureStatus,
    Instruction,
    OutOfLimit,
    SignOff,
    SignOffBy,
    Step,
    check_capture,
    select,
)
from hmi.domain.plant import PlantDef
from hmi.domain.quality import Quality
from hmi.domain.records import Record, RecordKind, new_record_id
from hmi.domain.roles import Action, Role, allowed
from hmi.domain.tags import TagStore
from hmi.domain.users import UserDef
from hmi.services.downtime import DowntimeService
from hmi.services.records import RecordService
from hmi.services.session import SessionService
from hmi.storage import instruction_runs as store
from hmi.storage.database import Database

log = logging.getLogger(__name__)

MAX_REASON = 300


@dataclass(frozen=True, slots=True)
class Signer:
    """Somebody signing now: their user id and the PIN they typed, or a badge read
    (``badge``; then ``user`` and ``secret`` are empty). Neither is ever stored."""

    user: str = ""
    secret: str = ""
    badge: str = ""


@dataclass(frozen=True, slots=True)
class StepCheck:
    """Why a step cannot be confirmed yet: a message per capture, and for the step itself."""

    problems: dict[str, str]
    needs_lead: tuple[str, ...] = ()  # captures out of limits that need a lead's signature
    needs_signoff: SignOff | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and not self.needs_lead and self.needs_signoff is None


class InstructionService:
    """Instructions per station and product; runs that resume; signatures; run records."""

    def __init__(
        self,
        plant: PlantDef,
        db: Database,
        session: SessionService,
        records: RecordService,
        store_: TagStore,
        clock: Clock,
        downtime: DowntimeService | None = None,
    ) -> None:
        self.plant = plant
        self._db = db
        self._session = session
        self._records = records
        self._tags = store_
        self._clock = clock
        self._downtime = downtime
        self.instructions: list[Instruction] = []
        self.problems: list[str] = []
        self._lock = threading.Lock()
        self._runs: dict[str, Run] = {}  # station -> its open run (read by the GUI)
        # One action at a time per station: a PIN check waits, and a second tap (Abandon
        # while Confirm is checking, a double tap on a tile) must not act on a stale run.
        self._locks: dict[str, asyncio.Lock] = {}
        self.version = 0

    async def start(self) -> None:
        """Load the instructions and resume the runs a stop interrupted."""
        folder = self.plant.instructions
        if folder is not None:
            found, problems = await asyncio.to_thread(load_instructions, Path(folder), self.plant)
            self.instructions = found
            self.problems = [p.format() for p in problems]
            for problem in self.problems:
                log.warning("work instruction left out: %s", problem)
        runs = await self._read(store.open_runs)
        with self._lock:
            for run in runs:
                self._runs[run.station] = run
            self.version += 1

    # -- what the GUI reads (any thread) -------------------------------------------------

    def available(self, station: str) -> list[Instruction]:
        """The instructions for the station's current product (every-product ones too)."""
        product = self._downtime.context(station).product if self._downtime else None
        return select(self.instructions, station, product)

    def run_at(self, station: str) -> Run | None:
        with self._lock:
            return self._runs.get(station)

    def instruction_of(self, run: Run) -> Instruction | None:
        """The instruction a run follows, in the version it started with."""
        return next(
            (i for i in self.instructions if i.id == run.instruction and i.version == run.version),
            None,
        )

    # -- actions ---------------------------------------------------------------------------

    async def begin(self, station: str, instruction_id: str) -> Run:
        """Start ``instruction_id`` at ``station`` (refused while a run is open there)."""
        async with self._lock_of(station):
            return await self._begin(station, instruction_id)

    async def confirm_step(
        self,
        station: str,
        values: Mapping[str, object],
        reasons: Mapping[str, str] | None = None,
        signers: tuple[Signer, ...] = (),
    ) -> StepCheck:
        """Confirm the run's current step; returns what is missing when it cannot be."""
        async with self._lock_of(station):
            return await self._confirm_step(station, values, reasons, signers)

    async def back(self, station: str) -> None:
        """One step back; what was confirmed stays until the step is confirmed again."""
        async with self._lock_of(station):
            await self._back(station)

    async def finish(self, station: str, signers: tuple[Signer, ...] = ()) -> Record:
        """Every step done, the run's sign-off given: the run goes on record."""
        async with self._lock_of(station):
            return await self._finish(station, signers)

    async def abandon(self, station: str, why: str) -> Record:
        """Stopped before the end, with the reason: on record all the same."""
        async with self._lock_of(station):
            return await self._abandon(station, why)

    def _lock_of(self, station: str) -> asyncio.Lock:
        return self._locks.setdefault(station, asyncio.Lock())

    async def _begin(self, station: str, instruction_id: str) -> Run:
        user = await self._session.authorize(Action.INSTRUCTION_SIGN, station)
        if self.run_at(station) is not None:
            raise InstructionError("a run is open at this station: finish or abandon it first")
        instruction = next((i for i in self.available(station) if i.id == instruction_id), None)
        if instruction is None:
            raise InstructionError(f"{instruction_id} is not an instruction for this station now")
        context = self._downtime.context_fields(station) if self._downtime else {}
        run = Run(
            id=new_record_id(),
            instruction=instruction.id,
            version=instruction.version,
            title=instruction.title,
            station=station,
            user=user.id,
            started=self._clock.now(),
            context=context,
        )
        await self._save(run)
        return run

    def check_step(
        self,
        run: Run,
        values: Mapping[str, object],
        reasons: Mapping[str, str] | None = None,
    ) -> tuple[StepCheck, list[Entry]]:
        """What the step's captures give, and what is still missing (nothing saved)."""
        instruction = self._instruction(run)
        step = run.step(instruction)
        if step is None:
            raise InstructionError("every step is done: finish the run")
        reasons = reasons or {}
        problems: dict[str, str] = {}
        needs_lead: list[str] = []
        entries: list[Entry] = []
        for capture in step.captures:
            value = values.get(capture.id)
            if capture.kind is CaptureKind.TAG and capture.tag is not None:
                sample = self._tags.get(capture.tag)
                value = sample.value if sample.quality is Quality.GOOD else None
                if value is None:
                    problems[capture.id] = "no good value of the tag to capture now"
                    continue
            result = check_capture(capture, value)
            if result.status is CaptureStatus.INVALID:
                if capture.required or value not in (None, ""):
                    problems[capture.id] = result.message
                continue
            reason = (reasons.get(capture.id) or "").strip()[:MAX_REASON]
            if result.status is CaptureStatus.OUT_OF_LIMITS:
                if capture.on_out_of_limit is OutOfLimit.LEAD:
                    needs_lead.append(capture.id)
                elif not reason:
                    problems[capture.id] = f"{result.message}: give a reason"
            entries.append(Entry(capture.id, result.value, result.status.value, reason))
        signoff = step.signoff if step.signoff.required else None
        return StepCheck(problems, tuple(needs_lead), signoff), entries

    async def _confirm_step(
        self,
        station: str,
        values: Mapping[str, object],
        reasons: Mapping[str, str] | None = None,
        signers: tuple[Signer, ...] = (),
    ) -> StepCheck:
        """Confirm the run's current step; returns what is missing when it cannot be."""
        user = await self._session.authorize(Action.INSTRUCTION_SIGN, station)
        run = self._open(station)
        instruction = self._instruction(run)
        step = run.step(instruction)
        assert step is not None  # check_step raised otherwise
        check, entries = self.check_step(run, values, reasons)
        if check.problems:
            return check
        approval = "out-of-limit value accepted: " + ", ".join(check.needs_lead)
        signed = []

        def meaning_for(signer_id: str) -> str:
            # One signature may sign the step and approve its values: the meaning says both.
            meanings = [step.signoff.meaning] if step.signoff.required else []
            if check.needs_lead and self._approver(signer_id, user):
                meanings.append(approval)
            return "; ".join(m for m in meanings if m)

        for signer in signers:
            signed.append(await self._sign(signer, step, station, meaning_for))
        # Somebody else than the operator, allowed to approve: never one's own value.
        lead = next((s for s in signed if approval in s.meaning.split("; ")), None)
        if check.needs_lead and lead is None:
            return replace(check, needs_signoff=None)
        entries = [
            replace(e, approved_by=lead) if e.capture in check.needs_lead else e for e in entries
        ]
        signatures = tuple(signed)
        if check.needs_signoff is not None and not _signed_off(check.needs_signoff, user, signed):
            return replace(check, needs_lead=())
        done = StepDone(step.id, user.id, self._clock.now(), tuple(entries), signatures)
        run = run.confirmed(done, instruction)
        serial = next(
            (
                e.value
                for e, c in ((e, _capture(step, e.capture)) for e in entries)
                if c is not None and c.kind in (CaptureKind.SERIAL, CaptureKind.BARCODE)
            ),
            None,
        )
        if run.serial is None and isinstance(serial, str):
            run = replace(run, serial=serial)
        await self._save(run)
        return StepCheck({})

    async def _back(self, station: str) -> None:
        """One step back; what was confirmed stays until the step is confirmed again."""
        await self._session.authorize(Action.INSTRUCTION_SIGN, station)
        run = self._open(station)
        await self._save(replace(run, step_index=max(0, run.step_index - 1)))

    async def _finish(self, station: str, signers: tuple[Signer, ...] = ()) -> Record:
        """Every step done, the run's sign-off given: the run goes on record."""
        user = await self._session.authorize(Action.INSTRUCTION_SIGN, station)
        run = self._open(station)
        instruction = self._instruction(run)
        if run.step(instruction) is not None:
            raise InstructionError("steps are left: confirm them first")
        signoff = instruction.signoff
        signed = [await self._sign(s, None, station, lambda _id: signoff.meaning) for s in signers]
        if signoff.required and not _signed_off(signoff, user, signed):
            raise InstructionError(_signoff_words(signoff))
        ended = replace(
            run, state=RunState.FINISHED, signatures=tuple(signed), ended=self._clock.now()
        )
        return await self._record(ended)

    async def _abandon(self, station: str, why: str) -> Record:
        """Stopped before the end, with the reason: on record all the same."""
        await self._session.authorize(Action.INSTRUCTION_SIGN, station)
        if not why.strip():
            raise InstructionError("say why the run stops here")
        run = self._open(station)
        ended = replace(
            run, state=RunState.ABANDONED, note=why.strip()[:MAX_REASON], ended=self._clock.now()
        )
        return await self._record(ended)

    # -- internals ----------------------------------------------------------------------

    def _approver(self, signer: str, user: UserDef) -> bool:
        role = next((u.role for u in self.plant.users if u.id == signer), None)
        return signer != user.id and allowed(role, Action.INSTRUCTION_APPROVE)

    async def _sign(
        self, signer: Signer, step: Step | None, station: str, meaning: Callable[[str], str]
    ) -> Signature:
        """Check one signature (PIN or badge) and say what it means, from who signed."""
        fallback = (step.signoff.meaning if step is not None else "") or "step confirmed"

        def said(signer_id: str) -> str:
            return meaning(signer_id) or fallback

        user: UserDef
        if signer.badge:
            user = await self._session.confirm_badge(signer.badge, said, station)
        else:
            user = await self._session.confirm(
                signer.user, signer.secret, said(signer.user), station
            )
        return Signature(user.id, user.name, user.role.value, said(user.id), self._clock.now())

    async def _record(self, run: Run) -> Record:
        def write(db: sqlite_utils.Database, record: Record) -> None:
            store.save(db, run, self._clock.now(), record.id)

        record = await self._records.record(
            Action.INSTRUCTION_SIGN,
            RecordKind.INSTRUCTION_RUN,
            run.station,
            run.payload(),
            also=write,
        )
        with self._lock:
            self._runs.pop(run.station, None)
            self.version += 1
        return record

    async def _save(self, run: Run) -> None:
        now = self._clock.now()
        await asyncio.wrap_future(self._db.submit(lambda db: store.save(db, run, now)))
        with self._lock:
            self._runs[run.station] = run
            self.version += 1

    def _open(self, station: str) -> Run:
        run = self.run_at(station)
        if run is None:
            raise InstructionError("no run is open at this station")
        return run

    def _instruction(self, run: Run) -> Instruction:
        instruction = self.instruction_of(run)
        if instruction is None:
            raise InstructionError(
                f"the instruction {run.instruction} in the version this run started with is gone;"
                " abandon the run and start the current version"
            )
        return instruction

    async def _read(self, job: object) -> list[Run]:
        runs: list[Run] = await asyncio.wrap_future(self._db.submit(job))  # type: ignore[arg-type]
        return runs


def _capture(step: Step, capture_id: str) -> Capture | None:
    return next((c for c in step.captures if c.id == capture_id), None)


def _signed_off(signoff: SignOff, user: UserDef, signed: list[Signature]) -> bool:
    if signoff.by is SignOffBy.OPERATOR:
        return any(s.user == user.id for s in signed)
    if signoff.by is SignOffBy.SECOND_PERSON:
        return any(s.user != user.id and _role_fits(s.role, signoff.role) for s in signed)
    return True


def _role_fits(role: str, wanted: Role | None) -> bool:
    if wanted is None:
        return True
    if role == wanted.value:
        return True
    # A lead's signature may be given by anybody who approves instructions.
    return wanted is Role.LEAD and allowed(Role(role), Action.INSTRUCTION_APPROVE)


def _signoff_words(signoff: SignOff) -> str:
    if signoff.by is SignOffBy.SECOND_PERSON:
        who = signoff.role.value if signoff.role is not None else "a second person"
        return f"a second person ({who}) must sign: {signoff.meaning}"
    return f"sign with your PIN: {signoff.meaning}"
