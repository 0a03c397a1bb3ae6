"""Draw the pictures, the document and the clip of the demo plant's work instructions.

Simple diagrams, made with QPainter on an offscreen image: shapes, arrows and
large labels that read on a line touchscreen from arm's length. Run it after
changing a drawing; it writes the files next to the instructions that use
them (hmi/sim/instructions/*/media/), and those files are kept in the
repository. A changed file changes its instruction's version.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_instruction_images.py

The torque specification is a two-page PDF drawn with QPdfWriter. The clip of
the label web being threaded is drawn frame by frame and encoded by the
``ffmpeg`` program (Debian package ffmpeg), needed only here, never at run
time: H.264, no sound, 12 frames a second.
"""

from __future__ import annotations

import itertools
import math
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QPolygonF,
)

ROOT = Path(__file__).resolve().parents[1] / "hmi" / "sim" / "instructions"
WIDTH, HEIGHT = 800, 480

# A calm palette after ISA-101: greys for equipment, one accent for what to do.
BACKGROUND = QColor("#f4f4f2")
STEEL = QColor("#9aa0a6")
DARK = QColor("#3c4043")
INK = QColor("#202124")
ACTION = QColor("#1a5fb4")  # the part the operator handles, and the arrows
GOOD = QColor("#2e7d32")
WARN = QColor("#b3261e")
PRODUCT = QColor("#c8a24a")
WHITE = QColor("#ffffff")


def font(size: int, *, bold: bool = False) -> QFont:
    face = QFont("DejaVu Sans")
    face.setPixelSize(size)
    face.setBold(bold)
    return face


def canvas(title: str, draw: Callable[[QPainter], None]) -> QImage:
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_RGB32)
    image.fill(BACKGROUND)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(QRectF(0, 0, WIDTH, 56), DARK)
    painter.setPen(WHITE)
    painter.setFont(font(28, bold=True))
    painter.drawText(QRectF(20, 0, WIDTH - 40, 56), Qt.AlignmentFlag.AlignVCenter, title)
    draw(painter)
    painter.end()
    return image


def label(
    painter: QPainter,
    x: float,
    y: float,
    text: str,
    *,
    size: int = 24,
    color: QColor = INK,
    bold: bool = True,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter,
) -> None:
    painter.setPen(color)
    painter.setFont(font(size, bold=bold))
    box = QRectF(x - WIDTH, y - 30, 2 * WIDTH, 60)
    if align & Qt.AlignmentFlag.AlignLeft:
        box = QRectF(x, y - 30, WIDTH, 60)
    elif align & Qt.AlignmentFlag.AlignRight:
        box = QRectF(x - WIDTH, y - 30, WIDTH, 60)
    painter.drawText(box, align | Qt.AlignmentFlag.AlignVCenter, text)


def arrow(
    painter: QPainter, start: QPointF, end: QPointF, *, color: QColor = ACTION, width: float = 8
) -> None:
    painter.setPen(QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    angle = math.atan2(end.y() - start.y(), end.x() - start.x())
    head = 22.0
    shaft_end = QPointF(
        end.x() - head * 0.8 * math.cos(angle), end.y() - head * 0.8 * math.sin(angle)
    )
    painter.drawLine(start, shaft_end)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    left = QPointF(end.x() - head * math.cos(angle - 0.45), end.y() - head * math.sin(angle - 0.45))
    right = QPointF(
        end.x() - head * math.cos(angle + 0.45), end.y() - head * math.sin(angle + 0.45)
    )
    painter.drawPolygon(QPolygonF([end, left, right]))


def bottle(
    painter: QPainter,
    x: float,
    bottom: float,
    *,
    fill_to: float | None = None,
    cap: QColor | None = None,
    scale: float = 1.0,
) -> None:
    """A bottle standing at (x, bottom); ``fill_to`` is the liquid's top as a y."""
    w, h = 70 * scale, 200 * scale
    path = QPainterPath()
    path.moveTo(x - w / 2, bottom)
    path.lineTo(x - w / 2, bottom - h * 0.62)
    path.quadTo(x - w / 2, bottom - h * 0.78, x - w / 5, bottom - h * 0.85)
    path.lineTo(x - w / 5, bottom - h)
    path.lineTo(x + w / 5, bottom - h)
    path.lineTo(x + w / 5, bottom - h * 0.85)
    path.quadTo(x + w / 2, bottom - h * 0.78, x + w / 2, bottom - h * 0.62)
    path.lineTo(x + w / 2, bottom)
    path.closeSubpath()
    painter.setPen(QPen(DARK, 3))
    painter.setBrush(WHITE)
    painter.drawPath(path)
    if fill_to is not None:
        painter.save()
        painter.setClipPath(path)
        painter.fillRect(QRectF(x - w, fill_to, 2 * w, bottom - fill_to), PRODUCT)
        painter.restore()
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
    if cap is not None:
        painter.setBrush(cap)
        painter.drawRoundedRect(QRectF(x - w / 4, bottom - h - 18 * scale, w / 2, 22 * scale), 4, 4)


# --- the filler changeover ------------------------------------------------------------


def filler_change_parts(painter: QPainter) -> None:
    """Old star wheel out, the new one (colour-coded for the format) in, locked."""
    for cx, color, text in ((200, STEEL, "OLD"), (560, ACTION, "NEW")):
        painter.setPen(QPen(DARK, 4))
        painter.setBrush(color)
        star = QPolygonF()
        for index in range(24):
            radius = 120 if index % 2 == 0 else 88
            angle = index * math.pi / 12
            star.append(QPointF(cx + radius * math.cos(angle), 250 + radius * math.sin(angle)))
        painter.drawPolygon(star)
        painter.setBrush(BACKGROUND)
        painter.drawEllipse(QPointF(cx, 250), 34, 34)
        label(painter, cx, 250, text, size=20, color=INK)
    arrow(painter, QPointF(335, 250), QPointF(425, 250), color=DARK)
    label(painter, 400, 95, "new wheel: same colour as the format card", size=20, bold=False)
    arrow(painter, QPointF(200, 400), QPointF(200, 460), color=WARN)
    label(painter, 215, 430, "1  lift out", size=24, color=WARN, align=Qt.AlignmentFlag.AlignLeft)
    arrow(painter, QPointF(560, 460), QPointF(560, 395))
    label(
        painter,
        575,
        430,
        "2  fit, pin to dot",
        size=24,
        color=ACTION,
        align=Qt.AlignmentFlag.AlignLeft,
    )
    painter.setBrush(WHITE)
    painter.setPen(QPen(INK, 3))
    painter.drawEllipse(QPointF(560, 150), 10, 10)


def filler_fill_check(painter: QPainter) -> None:
    """A test bottle on the scale: the fill height is read against the marks."""
    painter.setPen(QPen(DARK, 3))
    painter.setBrush(STEEL)
    painter.drawRect(QRectF(130, 400, 240, 40))
    label(painter, 250, 420, "SCALE  g", size=20, color=INK)
    bottle(painter, 250, 400, fill_to=195, scale=1.5)
    for y, text, color in ((168, "max", WARN), (195, "target", GOOD), (222, "min", WARN)):
        painter.setPen(QPen(color, 3, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(190, y), QPointF(420, y))
        label(painter, 430, y, text, size=20, color=color, align=Qt.AlignmentFlag.AlignLeft)
    painter.setPen(QPen(INK, 2))
    painter.setBrush(WHITE)
    painter.drawRoundedRect(QRectF(520, 230, 240, 110), 10, 10)
    label(painter, 640, 265, "fill volume", size=22, bold=False)
    label(painter, 640, 310, "498 – 505 ml", size=30, color=ACTION)
    arrow(painter, QPointF(510, 285), QPointF(390, 285))


# --- the cap torque check ---------------------------------------------------------------


def capper_torque_test(painter: QPainter) -> None:
    """A capped bottle clamped in the torque tester, turned open by hand."""
    painter.setPen(QPen(DARK, 3))
    painter.setBrush(STEEL)
    painter.drawRect(QRectF(110, 410, 330, 40))
    painter.drawRect(QRectF(150, 300, 40, 110))
    painter.drawRect(QRectF(360, 300, 40, 110))
    bottle(painter, 275, 410, fill_to=250, cap=ACTION, scale=1.4)
    # The turning arrow around the cap: open = counter-clockwise, seen from above.
    painter.setPen(QPen(ACTION, 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawArc(QRectF(195, 100, 160, 50), 200 * 16, 130 * 16)
    arrow(painter, QPointF(345, 137), QPointF(362, 118))
    label(painter, 275, 80, "turn to open", size=22, color=ACTION)
    painter.setPen(QPen(INK, 2))
    painter.setBrush(WHITE)
    painter.drawRoundedRect(QRectF(480, 150, 270, 190), 10, 10)
    label(painter, 615, 185, "removal torque", size=22, bold=False)
    label(painter, 615, 240, "2.2 ± 0.3", size=44, color=ACTION)
    label(painter, 615, 290, "N·m", size=28, color=ACTION)
    label(painter, 615, 390, "below 1.9 or above 2.5:", size=20, color=WARN, bold=False)
    label(painter, 615, 425, "call the shift lead", size=22, color=WARN)


def capper_cap_serial(painter: QPainter) -> None:
    """Where the cap lot's serial sits on the cap carton label."""
    painter.setPen(QPen(DARK, 4))
    painter.setBrush(PRODUCT.lighter(150))
    painter.drawRect(QRectF(120, 130, 360, 280))
    painter.setBrush(WHITE)
    painter.drawRect(QRectF(180, 190, 240, 150))
    painter.setPen(QPen(INK, 3))
    for index in range(26):
        x = 200 + index * 7.5
        painter.drawLine(QPointF(x, 215), QPointF(x, 275 - (index % 3) * 6))
    label(painter, 300, 305, "CP-240517-0042", size=22, color=INK)
    arrow(painter, QPointF(620, 300), QPointF(430, 300))
    label(painter, 630, 250, "scan this", size=28, color=ACTION, align=Qt.AlignmentFlag.AlignLeft)
    label(painter, 630, 290, "serial", size=28, color=ACTION, align=Qt.AlignmentFlag.AlignLeft)
    label(painter, 300, 440, "cap carton", size=22, bold=False)


# --- the label roll change --------------------------------------------------------------


WEB = [
    QPointF(150, 170),  # off the top of the roll
    QPointF(330, 125),
    QPointF(355, 150),
    QPointF(405, 330),
    QPointF(455, 330),
    QPointF(535, 150),
    QPointF(585, 150),
    QPointF(702, 392),  # over the peel plate's edge onto the bottle
]


def labeler_threading(painter: QPainter) -> None:
    """The web path: new roll, dancer, guide rollers, peel plate, onto the bottle."""
    painter.setPen(QPen(DARK, 4))
    painter.setBrush(WHITE)
    painter.drawEllipse(QPointF(150, 270), 100, 100)
    painter.setBrush(STEEL)
    painter.drawEllipse(QPointF(150, 270), 35, 35)
    label(painter, 150, 410, "new roll", size=22)
    rollers = (QPointF(330, 150), QPointF(430, 330), QPointF(560, 150))
    web = WEB
    painter.setPen(QPen(ACTION, 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPolyline(QPolygonF(web))
    painter.setPen(QPen(DARK, 4))
    painter.setBrush(STEEL)
    for point in rollers:
        painter.drawEllipse(point, 25, 25)
    label(painter, 330, 95, "guide", size=20, bold=False)
    label(painter, 430, 385, "dancer", size=20, bold=False)
    label(painter, 560, 95, "guide", size=20, bold=False)
    painter.drawPolygon(QPolygonF([QPointF(630, 372), QPointF(708, 396), QPointF(630, 412)]))
    label(painter, 600, 440, "peel plate", size=20, bold=False)
    bottle(painter, 740, 460, fill_to=360, cap=STEEL, scale=0.8)
    for start, end in ((web[0], web[1]), (web[2], web[3]), (web[4], web[5])):
        along(painter, start, end)


def along(painter: QPainter, start: QPointF, end: QPointF, offset: float = 28) -> None:
    """An arrow beside a stretch of web, on its left, pointing the way the web runs."""
    dx, dy = end.x() - start.x(), end.y() - start.y()
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    shift = QPointF(uy * offset, -ux * offset)
    middle = QPointF(start.x() + dx / 2, start.y() + dy / 2) + shift
    half = QPointF(ux * 40, uy * 40)
    arrow(painter, middle - half, middle + half, width=6)


def labeler_splice(painter: QPainter) -> None:
    """Butt splice: old and new web end to end, tape across, arrows pointing the way it runs."""
    painter.setPen(QPen(DARK, 3))
    painter.setBrush(WHITE)
    painter.drawRect(QRectF(60, 200, 330, 110))
    painter.drawRect(QRectF(410, 200, 330, 110))
    for x in (90, 200, 300, 440, 550, 650):
        painter.setBrush(PRODUCT.lighter(140))
        painter.drawRoundedRect(QRectF(x, 220, 70, 70), 6, 6)
    painter.setBrush(QBrush(ACTION, Qt.BrushStyle.SolidPattern))
    painter.setOpacity(0.6)
    painter.drawRect(QRectF(360, 180, 80, 150))
    painter.setOpacity(1.0)
    label(painter, 225, 150, "old web", size=24)
    label(painter, 575, 150, "new web", size=24)
    label(painter, 400, 370, "splice tape across the gap", size=24, color=ACTION)
    arrow(painter, QPointF(520, 430), QPointF(700, 430), color=DARK, width=6)
    label(
        painter, 500, 430, "runs this way", size=20, bold=False, align=Qt.AlignmentFlag.AlignRight
    )


def web_until(fraction: float) -> list[QPointF]:
    """The web path from the roll to ``fraction`` (0 to 1) of its length."""
    stretches = [math.hypot(b.x() - a.x(), b.y() - a.y()) for a, b in itertools.pairwise(WEB)]
    left = sum(stretches) * max(0.0, min(1.0, fraction))
    points = [WEB[0]]
    for (a, b), length in zip(itertools.pairwise(WEB), stretches, strict=True):
        if left >= length:
            points.append(b)
            left -= length
            continue
        t = left / length
        points.append(QPointF(a.x() + (b.x() - a.x()) * t, a.y() + (b.y() - a.y()) * t))
        break
    return points


def threading_frame(fraction: float) -> QImage:
    """One frame of the clip: the machine, and the web threaded up to ``fraction``."""

    def draw(painter: QPainter) -> None:
        labeler_threading(painter)
        painter.fillRect(QRectF(0, 56, WIDTH, HEIGHT - 56), BACKGROUND)  # redraw without web
        painter.setPen(QPen(DARK, 4))
        painter.setBrush(WHITE)
        painter.drawEllipse(QPointF(150, 270), 100, 100)
        painter.setBrush(STEEL)
        painter.drawEllipse(QPointF(150, 270), 35, 35)
        for point in (QPointF(330, 150), QPointF(430, 330), QPointF(560, 150)):
            painter.drawEllipse(point, 25, 25)
        painter.drawPolygon(QPolygonF([QPointF(630, 372), QPointF(708, 396), QPointF(630, 412)]))
        bottle(painter, 740, 460, fill_to=360, cap=STEEL, scale=0.8)
        path = web_until(fraction)
        painter.setPen(QPen(ACTION, 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolyline(QPolygonF(path))
        painter.setPen(QPen(WHITE, 4))
        painter.setBrush(ACTION)
        painter.drawEllipse(path[-1], 14, 14)  # the web's leading end, in the operator's hand
        done = fraction >= 1.0
        label(
            painter,
            400,
            440,
            "threaded: check the web is on every roller" if done else "lead the web end along",
            size=24,
            color=GOOD if done else ACTION,
        )

    return canvas("Thread the label web", draw)


def make_threading_clip(target: Path) -> bool:
    """The clip, encoded by ffmpeg; False (and why) when ffmpeg is missing or fails."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        print("ffmpeg is not installed (apt-get install ffmpeg): clip not made", file=sys.stderr)
        return False
    fps, moving_s, still_s = 12, 4.0, 1.5
    moving = int(fps * moving_s)
    with tempfile.TemporaryDirectory(prefix="floorline-clip-") as folder:
        for index in range(moving + int(fps * still_s)):
            frame = threading_frame(min(1.0, index / (moving - 1)))
            frame.save(str(Path(folder) / f"frame{index:03d}.png"), "PNG")
        command = [
            ffmpeg, "-y", "-loglevel", "error", "-framerate", str(fps),
            "-i", str(Path(folder) / "frame%03d.png"),
            "-c:v", "libx264", "-preset", "veryslow", "-crf", "30", "-pix_fmt", "yuv420p",
            "-threads", "1", "-an", "-map_metadata", "-1", "-fflags", "+bitexact",
            "-flags:v", "+bitexact", "-movflags", "+faststart", str(target),
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        print(f"ffmpeg failed: {result.stderr.strip()}", file=sys.stderr)
        return False
    return True


TORQUES = [
    ("38 mm sport cap", "still water 0.5 l", "1.9", "2.2", "2.5"),
    ("28 mm PCO 1881", "sparkling 1.0 l", "1.6", "2.0", "2.4"),
    ("28 mm PCO 1881", "sparkling 1.5 l", "1.7", "2.1", "2.5"),
    ("43 mm wide neck", "juice 1.0 l", "2.2", "2.6", "3.0"),
]
TESTER_STEPS = [
    "Switch the tester on. Wait until it shows 0.00.",
    "With no bottle clamped, press ZERO.",
    "Clamp the reference bottle (red cap) and open it slowly: it must read 2.20 ± 0.05 N·m.",
    "Outside that range: tag the tester DO NOT USE and call maintenance.",
    "Write the reference reading in the tester's log book.",
]


def make_torque_pdf(target: Path) -> bool:
    """Two pages: the torque specification by cap, and how to check the tester."""
    writer = QPdfWriter(str(target))
    writer.setResolution(96)
    writer.setCreator("Floorline demo plant")
    writer.setTitle("Cap removal torque: specification")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter(writer)
    area = writer.pageLayout().paintRectPixels(writer.resolution())
    width = float(area.width())

    def heading(text: str) -> None:
        painter.fillRect(QRectF(0, 0, width, 64), DARK)
        painter.setPen(WHITE)
        painter.setFont(font(30, bold=True))
        painter.drawText(QRectF(20, 0, width - 40, 64), Qt.AlignmentFlag.AlignVCenter, text)

    heading("Cap removal torque: specification (N·m)")
    columns = [0.0, 0.3, 0.58, 0.72, 0.86, 1.0]
    rows = [("Cap", "Product", "min", "target", "max"), *TORQUES]
    for index, row in enumerate(rows):
        top = 110 + index * 64
        if index % 2 == 1:
            painter.fillRect(QRectF(0, top - 8, width, 64), QColor("#e8eaed"))
        for column, text in enumerate(row):
            painter.setPen(INK if index else DARK)
            painter.setFont(font(26, bold=index == 0 or column == 3))
            box = QRectF(
                columns[column] * width + 16,
                top,
                (columns[column + 1] - columns[column]) * width - 24,
                48,
            )
            painter.drawText(box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
    painter.setPen(WARN)
    painter.setFont(font(24, bold=True))
    painter.drawText(
        QRectF(16, 110 + len(rows) * 64 + 30, width - 32, 96),
        Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
        "Outside min to max: the bottle is a reject, and the shift lead signs the check.",
    )
    writer.newPage()
    heading("Torque tester: before the first check of a shift")
    painter.setFont(font(26))
    for index, text in enumerate(TESTER_STEPS, start=1):
        top = 110 + (index - 1) * 96
        painter.setPen(QPen(ACTION, 3))
        painter.setBrush(ACTION)
        painter.drawEllipse(QPointF(44, top + 24), 26, 26)
        painter.setPen(WHITE)
        painter.setFont(font(26, bold=True))
        painter.drawText(QRectF(18, top - 2, 52, 52), Qt.AlignmentFlag.AlignCenter, str(index))
        painter.setPen(INK)
        painter.setFont(font(26))
        painter.drawText(
            QRectF(96, top - 14, width - 112, 80),
            Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
            text,
        )
    return painter.end()


DRAWINGS: dict[str, tuple[str, Callable[[QPainter], None]]] = {
    "filler-changeover/media/change-parts.png": ("Swap the star wheel", filler_change_parts),
    "filler-changeover/media/fill-check.png": (
        "Check the fill of a test bottle",
        filler_fill_check,
    ),
    "capper-torque-check/media/torque-test.png": ("Cap removal torque", capper_torque_test),
    "capper-torque-check/media/cap-serial.png": ("Cap lot serial", capper_cap_serial),
    "labeler-roll-change/media/threading.png": ("Thread the label web", labeler_threading),
    "labeler-roll-change/media/splice.png": ("Splice old and new web", labeler_splice),
}


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for relative, (title, draw) in DRAWINGS.items():
        target = ROOT / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        image = canvas(title, draw)
        # 256 colours are plenty for flat diagrams and keep each file small.
        small = image.convertToFormat(
            QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither
        )
        if not small.save(str(target), "PNG"):
            print(f"could not write {target}", file=sys.stderr)
            return 1
        print(f"{target.relative_to(ROOT.parents[2])}: {target.stat().st_size // 1024} KB")
    made = {
        "capper-torque-check/media/torque-spec.pdf": make_torque_pdf,
        "labeler-roll-change/media/threading.mp4": make_threading_clip,
    }
    failed = False
    for relative, make in made.items():
        target = ROOT / relative
        if make(target):
            print(f"{target.relative_to(ROOT.parents[2])}: {target.stat().st_size // 1024} KB")
        else:
            failed = True
    del app
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
