"""Who may do what: the one role-by-action table, checked by the services.

A GUI that greys out a button only spares the operator a refusal; the check
that counts is ``require`` in the service that performs the action.
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    OPERATOR = "operator"
    LEAD = "lead"
    MAINTENANCE = "maintenance"
    ENGINEER = "engineer"
    ADMIN = "admin"


class Action(enum.StrEnum):
    """Every action that needs a signed-in user; the value is what the audit trail says."""

    RECORD_DOWNTIME = "record.downtime"
    RECORD_INTERVENTION = "record.intervention"
    RECORD_CORRECT = "record.correct"
    ALARM_ACKNOWLEDGE = "alarm.acknowledge"
    ALARM_COMMENT = "alarm.comment"
    ALARM_SHELVE = "alarm.shelve"
    ALARM_OUT_OF_SERVICE = "alarm.out_of_service"
    ALARM_EXPORT = "alarm.export"
    SHIFT_REPORT = "shift.report"
    INSTRUCTION_SIGN = "instruction.sign"
    INSTRUCTION_APPROVE = "instruction.approve"
    TAG_WRITE = "tag.write"
    SYNC_RETRY = "sync.retry"
    SYNC_EXPORT = "sync.export"
    SYNC_DISCARD = "sync.discard"
    AUDIT_EXPORT = "audit.export"
    SESSION_TAKE_OVER = "session.take_over"


_ALL = frozenset(Role)
_LEAD_UP = frozenset({Role.LEAD, Role.ENGINEER, Role.ADMIN})
_FLOOR = frozenset({Role.OPERATOR, Role.LEAD, Role.MAINTENANCE, Role.ENGINEER, Role.ADMIN})

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.RECORD_DOWNTIME: _FLOOR,
    Action.RECORD_INTERVENTION: _FLOOR,
    Action.RECORD_CORRECT: _LEAD_UP,
    Action.ALARM_ACKNOWLEDGE: _FLOOR,
    Action.ALARM_COMMENT: _FLOOR,
    Action.ALARM_SHELVE: frozenset({Role.LEAD, Role.MAINTENANCE, Role.ENGINEER, Role.ADMIN}),
    Action.ALARM_OUT_OF_SERVICE: frozenset({Role.MAINTENANCE, Role.ENGINEER, Role.ADMIN}),
    Action.ALARM_EXPORT: frozenset({Role.LEAD, Role.MAINTENANCE, Role.ENGINEER, Role.ADMIN}),
    Action.SHIFT_REPORT: _LEAD_UP,
    Action.INSTRUCTION_SIGN: _FLOOR,
    Action.INSTRUCTION_APPROVE: _LEAD_UP,
    Action.TAG_WRITE: frozenset({Role.LEAD, Role.MAINTENANCE, Role.ENGINEER, Role.ADMIN}),
    Action.SYNC_RETRY: _FLOOR,
    Action.SYNC_EXPORT: frozenset({Role.LEAD, Role.MAINTENANCE, Role.ENGINEER, Role.ADMIN}),
    Action.SYNC_DISCARD: frozenset({Role.ENGINEER, Role.ADMIN}),
    Action.AUDIT_EXPORT: frozenset({Role.LEAD, Role.ENGINEER, Role.ADMIN}),
    Action.SESSION_TAKE_OVER: _ALL,
}


class PermissionDeniedError(Exception):
    """The signed-in user's role does not allow the action (or nobody is signed in)."""

    def __init__(self, action: Action, role: Role | None) -> None:
        who = f"the role {role.value}" if role is not None else "nobody signed in"
        super().__init__(f"{action.value} is not allowed for {who}")
        self.action = action
        self.role = role


def allowed(role: Role | None, action: Action) -> bool:
    return role is not None and role in PERMISSIONS[action]


def require(role: Role | None, action: Action) -> None:
    if not allowed(role, action):
        raise PermissionDeniedError(action, role)
