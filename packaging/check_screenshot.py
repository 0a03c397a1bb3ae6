"""Checks the screenshot the built program rendered: a real PNG, the window's size, not blank.

Usage: python packaging/check_screenshot.py PNG WIDTHxHEIGHT. Prints one line saying
what it found; exits 1 with the reason when the picture is not what the window shows.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MIN_COLOURS = 16  # the overview has text, symbols, panels and edges: hundreds in practice
MAX_SHARE_OF_ONE_COLOUR = 0.97  # a blank or single-colour window fails this


def check(path: Path, width: int, height: int) -> str:
    """A description of the picture; raises ValueError with the reason when it fails."""
    if not path.is_file():
        raise ValueError(f"{path} was not written")
    if path.read_bytes()[:8] != PNG_MAGIC:
        raise ValueError(f"{path} is not a PNG file")

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np  # noqa: PLC0415 - only once the file is known to be there
    from PySide6.QtGui import QImage  # noqa: PLC0415

    image = QImage(str(path))
    if image.isNull():
        raise ValueError(f"{path} does not decode as an image")
    if (image.width(), image.height()) != (width, height):
        raise ValueError(
            f"{path} is {image.width()}x{image.height()}, the window is {width}x{height}"
        )
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(rgb.constBits(), dtype=np.uint32).reshape(height, -1)
    pixels = rows[:, :width].ravel()
    colours, counts = np.unique(pixels, return_counts=True)
    share = counts.max() / pixels.size
    if len(colours) < MIN_COLOURS or share > MAX_SHARE_OF_ONE_COLOUR:
        raise ValueError(
            f"{path} looks blank: {len(colours)} distinct colour(s), one on {share:.0%} of it"
        )
    return f"{width}x{height} PNG, {len(colours)} colours, the most common on {share:.0%}"


def main(argv: list[str]) -> int:
    if len(argv) != 2 or "x" not in argv[1]:
        print("usage: check_screenshot.py PNG WIDTHxHEIGHT", file=sys.stderr)
        return 2
    width, _, height = argv[1].partition("x")
    try:
        found = check(Path(argv[0]), int(width), int(height))
    except ValueError as exc:
        print(f"screenshot: FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"screenshot: ok: {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
