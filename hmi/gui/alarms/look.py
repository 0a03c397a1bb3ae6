"""How an alarm priority looks everywhere: one colour, one shape, one number, one word.

ISA-101 keeps these colours for alarms only, and never lets colour carry a
priority alone (standards.md section 2, item 3; section 1b, item 9): every
priority is drawn as a filled shape with its number inside and a dark
outline, next to its word, so it reads in greyscale and for a colour-blind
operator too. The live list, the banner, the journal and the KPI page all
take their priority marks from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPixmap, QPixmapCache, QPolygonF

from hmi.domain.alarms import AlarmState, Event, Priority
from hmi.gui import theme

OUTLINE = "#1e1e1e"


@dataclass(frozen=True, slots=True)
class PriorityLook:
    color: str
    shape: str  # "diamond", "triangle", "square" or "circle"
    ink: str  # the number's colour on the fill


LOOKS: dict[Priority, PriorityLook] = {
    Priority.CRITICAL: PriorityLook("#b0188c", "diamond", "#ffffff"),
    Priority.HIGH: PriorityLook("#d42020", "triangle", "#ffffff"),
    Priority.MEDIUM: PriorityLook("#e6a700", "square", OUTLINE),
    Priority.LOW: PriorityLook("#1c7fc4", "circle", "#ffffff"),
}


def priority_color(priority: Priority) -> str:
    """The priority's colour as ``#rrggbb``: for alarm marks only, never for normal states."""
    return LOOKS[priority].color


def priority_text(priority: Priority) -> str:
    """The priority's word, translated."""
    words = {
        Priority.LOW: QCoreApplication.translate("Priority", "Low"),
        Priority.MEDIUM: QCoreApplication.translate("Priority", "Medium"),
        Priority.HIGH: QCoreApplication.translate("Priority", "High"),
        Priority.CRITICAL: QCoreApplication.translate("Priority", "Critical"),
    }
    return words[priority]


def event_text(event: Event) -> str:
    """What a journal line records, in the operator's words (translated)."""
    words = {
        Event.ACTIVE: QCoreApplication.translate("AlarmEvent", "Active"),
        Event.CLEARED: QCoreApplication.translate("AlarmEvent", "Cleared"),
        Event.ACKNOWLEDGED: QCoreApplication.translate("AlarmEvent", "Acknowledged"),
        Event.CONFIRMED: QCoreApplication.translate("AlarmEvent", "Confirmed"),
        Event.COMMENT: QCoreApplication.translate("AlarmEvent", "Comment"),
        Event.SHELVED: QCoreApplication.translate("AlarmEvent", "Shelved"),
        Event.UNSHELVED: QCoreApplication.translate("AlarmEvent", "Unshelved"),
        Event.SUPPRESSED: QCoreApplication.translate("AlarmEvent", "Suppressed"),
        Event.UNSUPPRESSED: QCoreApplication.translate("AlarmEvent", "Unsuppressed"),
        Event.OUT_OF_SERVICE: QCoreApplication.translate("AlarmEvent", "Out of service"),
        Event.RETURNED_TO_SERVICE: QCoreApplication.translate("AlarmEvent", "Back in service"),
        Event.REMOVED: QCoreApplication.translate("AlarmEvent", "Removed by the server"),
    }
    return words[event]


# The domain's state words (``AlarmState.word``), listed here so that lupdate finds them.
STATE_WORDS = (
    str(QT_TRANSLATE_NOOP("AlarmState", "Normal")),
    str(QT_TRANSLATE_NOOP("AlarmState", "Unacknowledged")),
    str(QT_TRANSLATE_NOOP("AlarmState", "Acknowledged")),
    str(QT_TRANSLATE_NOOP("AlarmState", "Cleared, unacknowledged")),
    str(QT_TRANSLATE_NOOP("AlarmState", "Shelved")),
    str(QT_TRANSLATE_NOOP("AlarmState", "Suppressed by design")),
    str(QT_TRANSLATE_NOOP("AlarmState", "Out of service")),
)


def state_text(state: AlarmState) -> str:
    """An alarm state's word (``AlarmState.word``), translated."""
    return QCoreApplication.translate("AlarmState", state.word)


def priority_icon(priority: Priority, size_px: int) -> QPixmap:
    """The priority's shape, ``size_px`` square: filled, outlined dark, its number inside."""
    size = max(8, int(size_px))
    key = f"floorline-priority-{int(priority)}-{size}"
    pixmap = QPixmap()
    if not QPixmapCache.find(key, pixmap):
        pixmap = _draw(priority, size)
        QPixmapCache.insert(key, pixmap)
    return pixmap


def _draw(priority: Priority, size: int) -> QPixmap:
    look = LOOKS[priority]
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    stroke = max(1.0, size / 14)
    painter.setPen(QPen(QColor(OUTLINE), stroke))
    painter.setBrush(QColor(look.color))
    m = stroke / 2 + 0.5  # the outline stays inside the pixmap
    s, c = float(size), size / 2
    text_box = QRectF(0, 0, s, s)
    if look.shape == "diamond":
        painter.drawPolygon(
            QPolygonF([QPointF(c, m), QPointF(s - m, c), QPointF(c, s - m), QPointF(m, c)])
        )
    elif look.shape == "triangle":
        painter.drawPolygon(QPolygonF([QPointF(c, m), QPointF(s - m, s - m), QPointF(m, s - m)]))
        text_box = QRectF(0, s * 0.3, s, s * 0.66)  # the number sits in the wide lower part
    elif look.shape == "square":
        inset = m + s * 0.06
        painter.drawRect(QRectF(inset, inset, s - 2 * inset, s - 2 * inset))
    else:
        painter.drawEllipse(QRectF(m, m, s - 2 * m, s - 2 * m))
    number = QFont(theme.FONT_FAMILY)
    number.setBold(True)
    number.setPixelSize(max(6, round(s * (0.42 if look.shape == "triangle" else 0.5))))
    painter.setFont(number)
    painter.setPen(QColor(look.ink))
    painter.drawText(text_box, Qt.AlignmentFlag.AlignCenter, str(int(priority)))
    painter.end()
    return pixmap
