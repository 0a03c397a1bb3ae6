"""What a note or a write at a station is about: the open stop, else its newest alarm.

A record that says which stop or alarm it addresses lets the improvement
team see what was done about each loss. The operator sees the link before
saving and can drop it with one tap when the note is about something else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from hmi.domain.alarms import AlarmState
from hmi.services.alarms import AlarmService
from hmi.services.downtime import DowntimeService

# Hidden alarms (shelved, out of service, suppressed) are not what an operator is acting on.
_SHOWN = {AlarmState.UNACK, AlarmState.ACKED}


@dataclass(frozen=True, slots=True)
class Subject:
    """``about`` as it goes on record (``{"downtime": id}`` or ``{"alarm": id}``) and in words."""

    about: dict[str, str]
    text: str


SubjectOf = Callable[[], "Subject | None"]


def subject_at(
    station: str, downtime: DowntimeService | None, alarms: AlarmService | None
) -> Subject | None:
    """The station's open stop; without one, its newest alarm still standing."""
    if downtime is not None:
        stop = downtime.open_stop(station)
        if stop is not None:
            since = datetime.fromtimestamp(stop.start).strftime("%H:%M")
            return Subject(
                {"downtime": stop.id},
                QCoreApplication.translate("Subject", "the stop since %1").replace("%1", since),
            )
    if alarms is not None:
        standing = [
            v for v in alarms.views() if v.station == station and v.active and v.state in _SHOWN
        ]
        if standing:
            newest = max(standing, key=lambda v: v.active_since or v.last_change)
            return Subject(
                {"alarm": newest.id},
                QCoreApplication.translate("Subject", "alarm: %1").replace("%1", newest.message),
            )
    return None
