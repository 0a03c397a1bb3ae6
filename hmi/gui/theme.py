"""The look: ISA-101 calm grey, colour only for the abnormal, every state also a shape and a word.

One home for colours, fonts and the presentation of quality and machine state,
so every page shows them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QPainter, QPen, QPixmap, QScreen
from PySide6.QtWidgets import QApplication, QComboBox

from hmi.domain.plant import MachineState
from hmi.domain.quality import Quality

FONT_FAMILY = "DejaVu Sans"
BASE_PT = 13  # about 17 px: readable at arm's length on a 1280x800 panel
VALUE_PT = 17

BACKGROUND = "#d4d4d4"  # the calm grey of the normal screen
PANEL = "#e4e4e4"
PANEL_EDGE = "#b4b4b4"
TEXT = "#1e1e1e"
TEXT_MUTED = "#5a5a5a"
NOT_TRUSTED = "#6b6b6b"  # text of a value that must not be read as the process value
UNCERTAIN_INK = "#1d4f91"  # quality is not an alarm: a dark blue, never an alarm colour
FAULT_INK = "#8f1d1d"
FAULT_FILL = "#f1d4d4"
PRIMARY = "#3a3a3a"  # the one action of a panel (Sign in, Save): dark, never an alarm colour
FIELD = "#f7f7f7"
SCRIM = "rgba(40, 40, 40, 70)"  # behind a panel: the screen stays readable underneath

# Touch (standards section 2, item 7): sizes are physical, converted with the screen's density.
TOUCH_MIN_MM = 9.0  # every touch target at least 9 mm square
TOUCH_GAP_MM = 2.0  # and at least 1.5 mm apart
KEY_MM = 15.0  # keypad keys: a gloved finger on a PIN
TOUCH_MIN_PX = 48  # floor in logical pixels, whatever density a screen claims
FALLBACK_DPI = 96.0  # offscreen, or a screen that reports an implausible physical size
DENSE = False  # the maintenance persona: see apply()
# High-consequence buttons (a write to the plant, a signature, closing the kiosk) carry this
# property: a quarter bigger than any target, and away from the edges of their panel.
CONSEQUENCE = "consequence"
CONSEQUENCE_SCALE = 1.25
EDGE_MM = 4.0
_PLAUSIBLE_DPI = (50.0, 700.0)


@dataclass(frozen=True)
class Look:
    symbol: str
    word: str
    ink: str
    fill: str | None
    hatched: bool


def quality_look(quality: Quality) -> Look:
    """Symbol, word and colours of a quality (colour is never the only cue)."""
    if quality is Quality.GOOD:
        return Look("✓", QCoreApplication.translate("Quality", "Good"), TEXT, None, False)
    if quality is Quality.UNCERTAIN:
        return Look(
            "◐", QCoreApplication.translate("Quality", "Uncertain"), UNCERTAIN_INK, None, False
        )
    if quality is Quality.BAD:
        return Look("✕", QCoreApplication.translate("Quality", "Bad"), NOT_TRUSTED, "#cbcbcb", True)
    if quality is Quality.STALE:
        return Look(
            "◷", QCoreApplication.translate("Quality", "Stale"), NOT_TRUSTED, "#cbcbcb", True
        )
    return Look(
        "⊘", QCoreApplication.translate("Quality", "No connection"), NOT_TRUSTED, "#c2c2c2", True
    )


def state_look(state: MachineState) -> Look:
    """How a machine state reads: a filled shape for running, a hollow one for stopped."""
    words = {
        MachineState.RUNNING: ("●", QCoreApplication.translate("State", "Running")),
        MachineState.IDLE: ("◌", QCoreApplication.translate("State", "Idle")),
        MachineState.STOPPED: ("○", QCoreApplication.translate("State", "Stopped")),
        MachineState.FAULTED: ("▲", QCoreApplication.translate("State", "Faulted")),
        MachineState.STARVED: ("◁", QCoreApplication.translate("State", "Starved")),
        MachineState.BLOCKED: ("▷", QCoreApplication.translate("State", "Blocked")),
        MachineState.PLANNED_STOP: ("◻", QCoreApplication.translate("State", "Planned stop")),
        MachineState.CHANGEOVER: ("⇄", QCoreApplication.translate("State", "Changeover")),
        MachineState.UNKNOWN: ("?", QCoreApplication.translate("State", "Unknown")),
    }
    symbol, word = words[state]
    if state is MachineState.FAULTED:
        return Look(symbol, word, FAULT_INK, FAULT_FILL, False)
    if state is MachineState.RUNNING:
        return Look(symbol, word, "#ffffff", "#4a4a4a", False)
    return Look(symbol, word, TEXT, PANEL, False)


def hatch_brush(fill: str) -> QBrush:
    """Diagonal hatching: "do not trust this value", visible in greyscale too."""
    brush = QBrush(QColor(fill).darker(115), Qt.BrushStyle.BDiagPattern)
    return brush


def font(point_size: int | None = None, bold: bool = False) -> QFont:
    """The theme's font; ``point_size`` None: the base size of the current density."""
    result = QFont(FONT_FAMILY, BASE_PT if point_size is None else point_size)
    result.setBold(bold)
    return result


def screen_dpi(screen: QScreen | None = None) -> float:
    """Physical pixels per inch of ``screen`` (the primary one by default)."""
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None or QGuiApplication.platformName() in {"offscreen", "minimal"}:
        return FALLBACK_DPI
    dpi = screen.physicalDotsPerInch()
    low, high = _PLAUSIBLE_DPI
    return dpi if low <= dpi <= high else FALLBACK_DPI


def mm_to_px(mm: float, screen: QScreen | None = None) -> int:
    """Logical pixels that measure ``mm`` on ``screen`` (physical density over pixel ratio)."""
    ratio = screen.devicePixelRatio() if screen is not None else 1.0
    return round(mm / 25.4 * screen_dpi(screen) / max(ratio, 1.0))


def touch_min_px(screen: QScreen | None = None) -> int:
    """The smallest side of any touch target on ``screen``, in logical pixels."""
    return max(TOUCH_MIN_PX, mm_to_px(TOUCH_MIN_MM, screen))


def padlock(size: int, ink: str) -> QPixmap:
    """A padlock drawn as a shape, so "locked" never rests on a word or a colour alone."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    stroke = max(2.0, size / 9)
    painter.setPen(QPen(QColor(ink), stroke))
    shackle = QRectF(size * 0.28, size * 0.08, size * 0.44, size * 0.5)
    painter.drawArc(shackle, 0, 180 * 16)
    painter.drawLine(QPointF(shackle.left(), size * 0.33), QPointF(shackle.left(), size * 0.45))
    painter.drawLine(QPointF(shackle.right(), size * 0.33), QPointF(shackle.right(), size * 0.45))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(ink))
    painter.drawRoundedRect(QRectF(size * 0.16, size * 0.42, size * 0.68, size * 0.5), 2, 2)
    painter.end()
    return pixmap


def style_sheet() -> str:
    """The stylesheet at the current density (see ``apply``)."""
    button, field = (28, 26) if DENSE else (44, 40)
    return f"""
QWidget {{ background: {BACKGROUND}; color: {TEXT}; }}
QFrame#card, QFrame#panel {{ background: {PANEL}; border: 1px solid {PANEL_EDGE};
                             border-radius: 4px; }}
QFrame#card QLabel, QFrame#panel QLabel {{ background: transparent; }}
QPushButton {{ background: #ececec; border: 1px solid #9a9a9a; border-radius: 4px;
               padding: 6px 16px; min-height: {button}px; }}
QPushButton:checked {{ background: #5a5a5a; color: white; border-color: #3a3a3a; }}
QPushButton:pressed {{ background: #bdbdbd; }}
QPushButton:disabled {{ background: #dedede; color: #8e8e8e; border: 1px dashed #b4b4b4; }}
QTableView {{ background: {PANEL}; gridline-color: #c4c4c4; border: 1px solid {PANEL_EDGE};
              selection-background-color: #b8c4d0; selection-color: {TEXT}; }}
QTableView::item {{ padding-left: 10px; padding-right: 10px; }}
QHeaderView::section {{ background: #c9c9c9; color: {TEXT}; border: none;
                        border-right: 1px solid #b0b0b0; padding: 6px; font-weight: bold; }}
QStatusBar {{ background: #c6c6c6; border-top: 1px solid #a8a8a8; }}
QStatusBar QLabel {{ background: transparent; padding: 0 8px; }}
QStatusBar QPushButton {{ min-height: 0; padding: 2px 14px; }}
QLabel#title {{ font-size: 20pt; font-weight: bold; }}
QLabel#muted {{ color: {TEXT_MUTED}; }}
QPushButton#primary {{ background: {PRIMARY}; color: white; border-color: #1e1e1e;
                       font-weight: bold; }}
QPushButton#primary:pressed {{ background: #1e1e1e; }}
QPushButton#primary:disabled {{ background: #8a8a8a; color: #e8e8e8; }}
QPushButton#key {{ font-size: 20pt; font-weight: bold; padding: 0; }}
QPushButton#tile {{ text-align: left; padding: 6px 14px; }}
QPushButton#tile:checked {{ background: {PRIMARY}; color: white; }}
QPushButton#lockBanner {{ background: {PRIMARY}; color: white; border: none;
                          border-bottom: 3px solid #1e1e1e; border-radius: 0;
                          font-size: 16pt; font-weight: bold; }}
QWidget#scrim {{ background: {SCRIM}; }}
QFrame#sheet {{ background: {PANEL}; border: 2px solid #7a7a7a; border-radius: 6px; }}
QFrame#sheet QLabel {{ background: transparent; }}
QFrame#sheet QScrollArea, QFrame#sheet QScrollArea > QWidget > QWidget {{
    background: transparent; }}
QLineEdit {{ background: {FIELD}; border: 1px solid #9a9a9a; border-radius: 4px;
             padding: 4px 10px; min-height: {field}px; font-size: {BASE_PT + 3}pt; }}
QLineEdit[active="true"] {{ border: 3px solid {PRIMARY}; }}
QLabel#problem {{ color: {FAULT_INK}; font-weight: bold; }}
QAbstractSpinBox {{ background: {FIELD}; min-height: {button}px; padding: 2px 8px; }}
QScrollBar:vertical {{ width: {TOUCH_MIN_PX}px; background: #d6d6d6; }}
QScrollBar:horizontal {{ height: {TOUCH_MIN_PX}px; background: #d6d6d6; }}
QScrollBar::handle {{ background: #9a9a9a; border: 1px solid #7a7a7a; border-radius: 4px;
                      min-height: {TOUCH_MIN_PX}px; min-width: {TOUCH_MIN_PX}px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
QLabel#countdown {{ font-weight: bold; border: 2px dashed #7a7a7a; padding: 1px 8px; }}
"""


STYLE_SHEET = style_sheet()


def compact(combo: QComboBox, chars: int = 12) -> QComboBox:
    """A drop-down as wide as ``chars`` characters whatever its longest entry (a translated
    "All stations" must not widen the page past the screen); the open list shows all of it."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo


def apply(app: QApplication, dense: bool = False) -> None:
    """Style ``app``; ``dense``: the maintenance laptop's sizes (mouse and keyboard).

    Density is chosen once, before any window is built: widgets read the
    sizes when they are made.
    """
    global BASE_PT, VALUE_PT, TOUCH_MIN_MM, TOUCH_MIN_PX, DENSE  # noqa: PLW0603
    DENSE = dense
    BASE_PT, VALUE_PT = (11, 13) if dense else (13, 17)
    TOUCH_MIN_MM, TOUCH_MIN_PX = (6.0, 30) if dense else (9.0, 48)
    app.setStyle("Fusion")
    app.setFont(font())
    app.setStyleSheet(style_sheet())
