"""Screenshot comparison with approved images.

A rendered screen is compared pixel by pixel with ``tests/approved/NAME.png``:
it passes when few pixels differ by more than a small tolerance (anti-aliasing
noise). On failure the actual image and a difference image are written to
``tests/_failures/`` to look at. ``HMI_APPROVE=1`` writes the approved image
instead (only after looking at it).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PySide6.QtGui import QColor, QImage

APPROVED = Path(__file__).resolve().parents[1] / "approved"
FAILURES = Path(__file__).resolve().parents[1] / "_failures"
CHANNEL_TOLERANCE = 40
MAX_DIFFERENT_FRACTION = 0.003


def assert_matches_approved(image: QImage, name: str) -> None:
    approved_path = APPROVED / f"{name}.png"
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    if os.environ.get("HMI_APPROVE") == "1":
        APPROVED.mkdir(parents=True, exist_ok=True)
        assert image.save(str(approved_path))
        return
    assert approved_path.exists(), f"no approved image {approved_path}; run with HMI_APPROVE=1"
    approved = QImage(str(approved_path)).convertToFormat(QImage.Format.Format_RGB32)
    FAILURES.mkdir(parents=True, exist_ok=True)
    if approved.size() != image.size():
        image.save(str(FAILURES / f"{name}.actual.png"))
        raise AssertionError(f"{name}: size {image.size()} differs from approved {approved.size()}")
    actual_px, approved_px = _pixels(image), _pixels(approved)
    delta = np.abs(actual_px.astype(np.int16) - approved_px.astype(np.int16)).max(axis=2)
    mask = delta > CHANNEL_TOLERANCE
    different = int(mask.sum())
    width, height = image.width(), image.height()
    fraction = different / (width * height)
    if fraction > MAX_DIFFERENT_FRACTION:
        image.save(str(FAILURES / f"{name}.actual.png"))
        diff = QImage(image.size(), QImage.Format.Format_RGB32)
        diff.fill(QColor("white"))
        for y, x in zip(*np.nonzero(mask), strict=True):
            diff.setPixel(int(x), int(y), 0xFFFF0000)
        diff.save(str(FAILURES / f"{name}.diff.png"))
        raise AssertionError(
            f"{name}: {fraction:.2%} of pixels differ from the approved image"
            f" (limit {MAX_DIFFERENT_FRACTION:.2%}); see {FAILURES}"
        )


def _pixels(image: QImage) -> np.ndarray:
    """The image's pixels as an array of height x width x 4 bytes."""
    width, height = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return raw.reshape(height, image.bytesPerLine())[:, : width * 4].reshape(height, width, 4)
