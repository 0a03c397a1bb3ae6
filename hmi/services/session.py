"""Who is signed in at this screen: sign-in, lockout, idle lock, take-over; all audited.

Locking stops actions, never the view: live values and alarms go on showing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from hmi.domain.audit import AuditCategory
from hmi.domain.clock import Clock
from hmi.domain.roles import Action, PermissionDeniedError, Role, allowed
from hmi.domain.users import OperatorSession, SignInGuard, SignInOutcome, SignInPolicy, UserDef
from hmi.storage import journal
from hmi.storage.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SessionView:
    """What the GUI shows: who, whether locked, seconds to the idle lock."""

    user_id: str | None
    user_name: str | None
    role: Role | None
    locked: bool
    seconds_to_lock: float | None


class SignatureRefusedError(Exception):
    """The PIN or badge given for a signature did not match."""

    def __init__(self, user_id: str) -> None:
        super().__init__(f"the PIN for {user_id or 'that user'} did not match: not signed")
        self.user_id = user_id


class SessionService:
    """Signs operators in and out at one screen (``station``) and locks it when idle."""

    def __init__(
        self,
        users: tuple[UserDef, ...],
        policy: SignInPolicy,
        db: Database,
        clock: Clock,
        station: str = "",
    ) -> None:
        self._guard = SignInGuard(users, policy, clock)
        self.session = OperatorSession(policy, clock)
        self._db = db
        self._clock = clock
        self.station = station

    def view(self) -> SessionView:
        user = self.session.user
        return SessionView(
            user_id=user.id if user else None,
            user_name=user.name if user else None,
            role=user.role if user else None,
            locked=self.session.locked,
            seconds_to_lock=self.session.seconds_to_lock(),
        )

    async def sign_in(self, user_id: str, secret: str) -> str:
        """Returns "" on success, else the one message every failure shows on screen."""
        # scrypt takes tens of milliseconds: off the runtime loop.
        result = await asyncio.to_thread(self._guard.sign_in, user_id, secret)
        return await self._conclude(result.user, user_id, result.audit_reason, result.locked_now)

    async def sign_in_badge(self, badge: str) -> str:
        result = await asyncio.to_thread(self._guard.sign_in_badge, badge)
        who = result.user.id if result.user else ""
        return await self._conclude(
            result.user, who, result.audit_reason, result.locked_now, "badge"
        )

    async def _conclude(
        self, user: UserDef | None, claimed: str, reason: str, locked_now: bool, how: str = "pin"
    ) -> str:
        if user is None:
            await self.audit(claimed, "session.sign_in", "refused", f"{how}: {reason}")
            if locked_now:
                await self.audit(claimed, "session.lockout", "locked", "too many failed sign-ins")
            return SignInOutcome.REFUSED_MESSAGE
        current = self.session.user
        if current is not None and current.id != user.id:
            action, detail = "session.take_over", f"from {current.id}"
        elif current is not None and self.session.locked:
            action, detail = "session.unlock", how
        else:
            action, detail = "session.sign_in", how
        # Audited first: if the trail cannot be written, nobody is signed in unaudited.
        await self.audit(user.id, action, "ok", detail)
        self.session.begin(user)
        return ""

    async def confirm(self, user_id: str, secret: str, meaning: str, station: str = "") -> UserDef:
        """A signature: ``user_id`` enters their PIN again; the session stays as it is.

        Failures count towards the same lockout as sign-ins. Audited either way,
        with the meaning of the signature.
        """
        result = await asyncio.to_thread(self._guard.sign_in, user_id, secret)
        where = station or None
        if result.user is None:
            await self.audit(user_id, "signature", "refused", f"{meaning}: {result.audit_reason}",
                             AuditCategory.SECURITY, where)  # fmt: skip
            raise SignatureRefusedError(user_id)
        await self.audit(result.user.id, "signature", "ok", meaning, AuditCategory.RECORD, where)
        return result.user

    async def confirm_badge(
        self, badge: str, meaning: Callable[[str], str], station: str = ""
    ) -> UserDef:
        """A signature by badge: whoever holds it signs; the session stays as it is.

        ``meaning`` gives what the signature states, from the signer's user id (a
        lead's signature may also approve a value). Failures count towards the
        reader's lockout, as at sign-in. Audited either way.
        """
        result = await asyncio.to_thread(self._guard.sign_in_badge, badge)
        where = station or None
        if result.user is None:
            await self.audit("", "signature", "refused",
                             f"{meaning('')}: badge: {result.audit_reason}",
                             AuditCategory.SECURITY, where)  # fmt: skip
            raise SignatureRefusedError("badge")
        said = meaning(result.user.id)
        await self.audit(result.user.id, "signature", "ok", f"{said} (badge)",
                         AuditCategory.RECORD, where)  # fmt: skip
        return result.user

    async def sign_out(self) -> None:
        user = self.session.user
        if user is not None:
            self.session.end()
            await self.audit(user.id, "session.sign_out", "ok")

    async def lock(self, why: str = "by the user") -> None:
        user = self.session.user
        if user is not None and not self.session.locked:
            self.session.locked = True
            await self.audit(user.id, "session.lock", "ok", why)

    def touch(self) -> None:
        """The operator did something: the idle clock starts again."""
        self.session.touch()

    async def lock_if_idle(self) -> bool:
        if self.session.lock_if_idle():
            user = self.session.user
            await self.audit(user.id if user else "", "session.lock", "ok", "idle")
            return True
        return False

    def require(self, action: Action) -> UserDef:
        """The acting user, if their role allows ``action``; raises otherwise (not audited here)."""
        user = self.session.acting_user
        if user is None or not allowed(user.role, action):
            raise PermissionDeniedError(action, user.role if user else None)
        return user

    async def authorize(self, action: Action, station: str | None = None) -> UserDef:
        """``require``, with a refusal written to the audit trail before it is raised.

        Every service checks its actions through here, so a forbidden action is
        refused and audited the same way whether a GUI or a script calls it.
        """
        try:
            return self.require(action)
        except PermissionDeniedError as exc:
            who = self.session.user
            draft = journal.AuditDraft(
                self._clock.now(),
                who.id if who else "",
                self.station if station is None else station,
                AuditCategory.SECURITY,
                action.value,
                "denied",
                str(exc),
            )
            await asyncio.wrap_future(self._db.submit(lambda db: journal.append_audit(db, draft)))
            raise

    async def audit(
        self,
        user: str,
        action: str,
        result: str,
        detail: str = "",
        category: AuditCategory = AuditCategory.SESSION,
        station: str | None = None,
    ) -> None:
        """One audit entry, committed before this returns; a denial is always SECURITY."""
        if result == "denied":
            category = AuditCategory.SECURITY
        where = self.station if station is None else station
        draft = journal.AuditDraft(self._clock.now(), user, where, category, action, result, detail)
        await asyncio.wrap_future(self._db.submit(lambda db: journal.append_audit(db, draft)))
