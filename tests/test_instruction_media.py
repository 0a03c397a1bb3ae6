"""A step's media: pictures zoom by buttons, two fingers or a double tap; PDF pages turn;
videos play and pause. The demo plant's own files, in real Qt widgets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hmi.domain.instructions import Media, MediaKind
from hmi.gui import theme
from hmi.gui.instructions.media import MAX_ZOOM, STEP_ZOOM, TAP_ZOOM, MediaPanel
from hmi.sim import demo_plant_path
from tests.support.images import assert_matches_approved

DEMO = demo_plant_path().parent / "instructions"
WAIT_MS = 10_000


def panel(qtbot: QtBot, qapp: QApplication, folder: Path, media: Media) -> MediaPanel:
    theme.apply(qapp)
    shown = MediaPanel(folder, media, theme.touch_min_px())
    qtbot.addWidget(shown)
    shown.resize(700, 360)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_a_picture_zooms_with_the_buttons_within_fit_and_the_maximum(
    qtbot: QtBot, qapp: QApplication
) -> None:
    media = Media(MediaKind.IMAGE, "media/torque-test.png")
    shown = panel(qtbot, qapp, DEMO / "capper-torque-check", media)
    view = shown.view
    assert view is not None and shown.problem == ""
    assert view.zoom == 1.0
    assert not shown.zoom_out.isEnabled() and not shown.zoom_fit.isEnabled()
    fitted = view.transform().m11()
    shown.zoom_in.click()
    assert view.zoom == pytest.approx(STEP_ZOOM)
    assert view.transform().m11() == pytest.approx(fitted * STEP_ZOOM)
    assert shown.zoom_out.isEnabled() and shown.zoom_fit.isEnabled()
    for _ in range(10):
        shown.zoom_in.click()
    assert view.zoom == pytest.approx(MAX_ZOOM)
    assert not shown.zoom_in.isEnabled()
    shown.zoom_out.click()
    assert view.zoom == pytest.approx(MAX_ZOOM / STEP_ZOOM)
    shown.zoom_fit.click()
    assert view.zoom == 1.0
    assert view.transform().m11() == pytest.approx(fitted)


def test_a_double_tap_zooms_in_where_it_lands_and_a_second_fits_again(
    qtbot: QtBot, qapp: QApplication
) -> None:
    media = Media(MediaKind.IMAGE, "media/torque-test.png")
    shown = panel(qtbot, qapp, DEMO / "capper-torque-check", media)
    view = shown.view
    assert view is not None
    spot = QPoint(view.viewport().width() // 4, view.viewport().height() // 2)
    under = view.mapToScene(spot)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert view.zoom == pytest.approx(TAP_ZOOM)
    after = view.mapToScene(spot)
    assert abs(after.x() - under.x()) < 3 and abs(after.y() - under.y()) < 3, (
        "the point tapped stays under the finger"
    )
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert view.zoom == 1.0


def test_two_fingers_spreading_zoom_by_the_ratio_of_their_distances(
    qtbot: QtBot, qapp: QApplication
) -> None:
    media = Media(MediaKind.IMAGE, "media/threading.png")
    shown = panel(qtbot, qapp, DEMO / "labeler-roll-change", media)
    view = shown.view
    assert view is not None
    screen = QTest.createTouchDevice()
    centre = view.viewport().rect().center()
    QTest.touchEvent(view.viewport(), screen).press(0, centre - QPoint(40, 0)).press(
        1, centre + QPoint(40, 0)
    ).commit()
    QTest.touchEvent(view.viewport(), screen).move(0, centre - QPoint(80, 0)).move(
        1, centre + QPoint(80, 0)
    ).commit()
    assert view.zoom == pytest.approx(2.0, rel=0.02), "80 px apart, then 160: twice as large"
    QTest.touchEvent(view.viewport(), screen).move(0, centre - QPoint(60, 0)).move(
        1, centre + QPoint(60, 0)
    ).commit()
    assert view.zoom == pytest.approx(1.5, rel=0.02)
    QTest.touchEvent(view.viewport(), screen).release(0, centre).release(1, centre).commit()
    QTest.touchEvent(view.viewport(), screen).press(0, centre - QPoint(50, 0)).press(
        1, centre + QPoint(50, 0)
    ).commit()
    QTest.touchEvent(view.viewport(), screen).move(0, centre - QPoint(10, 0)).move(
        1, centre + QPoint(10, 0)
    ).commit()
    assert view.zoom == 1.0, "pinching in stops at the fitted picture"


def test_a_pdf_opens_at_its_page_and_turns_within_its_pages(
    qtbot: QtBot, qapp: QApplication
) -> None:
    media = Media(MediaKind.PDF, "media/torque-spec.pdf", page=2)
    shown = panel(qtbot, qapp, DEMO / "capper-torque-check", media)
    pages = shown.pages
    assert pages is not None and shown.problem == ""
    assert pages.label.text() == "Page 2 of 2"
    assert not pages.forward.isEnabled() and pages.back.isEnabled()
    second = shown.grab().toImage()
    pages.back.click()
    assert pages.label.text() == "Page 1 of 2"
    assert not pages.back.isEnabled()
    first = shown.grab().toImage()
    assert first != second, "another page is drawn"
    assert_matches_approved(first, "instruction_pdf_page")
    shown.zoom_in.click()
    assert shown.view is not None and shown.view.zoom == pytest.approx(STEP_ZOOM)
    pages.forward.click()
    assert shown.view.zoom == 1.0, "a new page starts fitted"


def test_a_file_that_cannot_be_read_says_so_instead_of_a_blank_box(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a document")
    (tmp_path / "broken.png").write_bytes(b"\x89PNG not a picture")
    pdf = panel(qtbot, qapp, tmp_path, Media(MediaKind.PDF, "broken.pdf", page=1))
    assert pdf.problem == "The document broken.pdf cannot be read."
    picture = panel(qtbot, qapp, tmp_path, Media(MediaKind.IMAGE, "broken.png"))
    assert picture.problem == "The picture broken.png cannot be read."


def test_a_video_plays_pauses_and_starts_again_without_sound(
    qtbot: QtBot, qapp: QApplication
) -> None:
    media = Media(MediaKind.VIDEO, "media/threading.mp4")
    shown = panel(qtbot, qapp, DEMO / "labeler-roll-change", media)
    clip = shown.video
    assert clip is not None and shown.problem == ""
    assert clip.player.audioOutput() is None, "no sound: a line is loud"
    frames: list[QImage] = []
    clip.sink.videoFrameChanged.connect(lambda frame: frames.append(frame.toImage()))
    qtbot.waitUntil(lambda: clip.player.duration() > 0, timeout=WAIT_MS)
    assert clip.player.duration() == pytest.approx(5500, abs=100)
    assert clip.play.text() == "▶ Play"
    clip.play.click()
    qtbot.waitUntil(lambda: clip.player.position() > 1000, timeout=WAIT_MS)
    assert clip.playing and clip.play.text() == "❚❚ Pause"
    assert frames and frames[-1].size().width() == 800, "frames are decoded"
    drawn = clip.screen.grab().toImage()
    centre = drawn.pixelColor(drawn.width() // 2, drawn.height() // 2)
    assert centre.lightness() > 200, "and drawn: the clip's light background, not a black box"
    clip.play.click()
    qtbot.waitUntil(lambda: not clip.playing, timeout=WAIT_MS)
    held = clip.player.position()
    qtbot.wait(500)  # a paused clip must not move on: this waits for time to pass, not a signal
    assert abs(clip.player.position() - held) < 100, "at most a last frame's report"
    assert clip.time.text().startswith("0:0") and clip.time.text().endswith("/ 0:05")
    clip.again.click()
    qtbot.waitUntil(lambda: clip.playing and clip.player.position() < held, timeout=WAIT_MS)
    shown.stop()
    qtbot.waitUntil(lambda: not clip.playing, timeout=WAIT_MS)
