"""Renders packaging/floorline.svg to a square PNG (256 px unless told).

Usage: python packaging/render_icon.py OUT.png [SIZE]. Uses Qt's SVG renderer, so it
needs no tool beyond the project's own environment; the PNG is made at build time.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SVG = Path(__file__).with_name("floorline.svg")


def render(out: Path, size: int = 256) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt  # noqa: PLC0415 - after the platform is chosen
    from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: PLC0415
    from PySide6.QtSvg import QSvgRenderer  # noqa: PLC0415

    # Painting wants an application object, even offscreen.
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"render_icon: {SVG} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        raise SystemExit(f"render_icon: could not write {out}")


if __name__ == "__main__":
    if len(sys.argv) not in {2, 3}:
        raise SystemExit("usage: render_icon.py OUT.png [SIZE]")
    render(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) == 3 else 256)
