"""A step's media on the instruction sheet: pictures, PDF pages and short videos.

Each kind comes with its own touch-size controls in a strip beside it, because
a gloved hand cannot pinch: a picture or a page zooms with + and - (and with
two fingers, or a double tap, for bare hands) and pans by dragging; a PDF
turns its pages; a video plays and pauses, without sound (a line is loud, and
a clip that talks would be missed). A build without QtPdf or QtMultimedia, or
a file that cannot be read, shows what is missing instead of a blank box.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QPointF,
    QRect,
    QSize,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QImage, QMouseEvent, QPainter, QPixmap, QResizeEvent, QTouchEvent
from PySide6.QtWidgets import (
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from hmi.domain.instructions import Media, MediaKind
from hmi.gui import theme
from hmi.gui.multimedia import quiet_multimedia
from hmi.gui.touch import TouchButton

log = logging.getLogger(__name__)

MAX_ZOOM = 6.0  # times the fitted size
STEP_ZOOM = 1.5  # one tap on + or -
TAP_ZOOM = 2.5  # a double tap on a fitted picture
PDF_RENDER_WIDTH = 1600  # pixels across a rendered page: sharp up to about 3x zoom


class ZoomableImage(QGraphicsView):
    """A picture that fits its box; zoomed by the buttons, two fingers or a double tap.

    ``zoom`` is relative to the fitted size: 1 shows the whole picture, never less.

    Signals:
        zoom_changed(float): the new zoom.
    """

    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self._item)
        self.zoom = 1.0
        self._pinch: float | None = None  # the distance between two fingers, last seen
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # taps zoom and pan; keys go elsewhere
        self.setMinimumSize(240, 160)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)

    def set_image(self, image: QImage | QPixmap) -> None:
        pixmap = image if isinstance(image, QPixmap) else QPixmap.fromImage(image)
        self._item.setPixmap(pixmap)
        self.scene().setSceneRect(self._item.boundingRect())
        self.fit()

    def has_image(self) -> bool:
        return not self._item.pixmap().isNull()

    def fit(self) -> None:
        """The whole picture, as large as the box allows."""
        if self.has_image():
            self.fitInView(self._item, Qt.AspectRatioMode.KeepAspectRatio)
        self._set_zoom(1.0)

    def zoom_by(self, factor: float, at: QPointF | None = None) -> None:
        """Zoom by ``factor``, within 1 (fitted) to MAX_ZOOM; ``at`` stays where it is."""
        target = min(MAX_ZOOM, max(1.0, self.zoom * factor))
        if not self.has_image() or math.isclose(target, self.zoom):
            return
        if math.isclose(target, 1.0):
            self.fit()
            return
        anchor = (at if at is not None else QPointF(self.viewport().rect().center())).toPoint()
        spot = self.mapToScene(anchor)
        self.scale(target / self.zoom, target / self.zoom)
        moved = self.mapFromScene(spot) - anchor  # the spot under the fingers stays there
        across, down = self.horizontalScrollBar(), self.verticalScrollBar()
        across.setValue(across.value() + moved.x())
        down.setValue(down.value() + moved.y())
        self._set_zoom(target)

    def _set_zoom(self, zoom: float) -> None:
        if not math.isclose(zoom, self.zoom):
            self.zoom = zoom
            self.zoom_changed.emit(zoom)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if math.isclose(self.zoom, 1.0):
            self.fit()  # a fitted picture stays fitted when its box changes

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.zoom > 1.0:
            self.fit()
        else:
            self.zoom_by(TAP_ZOOM, event.position())
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:
        kind = event.type()
        touch = (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd)
        if kind in touch and isinstance(event, QTouchEvent):
            points = event.points()
            if len(points) == 2 and kind is not QEvent.Type.TouchEnd:
                a, b = points[0].position(), points[1].position()
                distance = math.hypot(a.x() - b.x(), a.y() - b.y())
                if self._pinch is not None and self._pinch > 0 and distance > 0:
                    self.zoom_by(distance / self._pinch, (a + b) / 2)
                self._pinch = distance
            else:
                self._pinch = None
            event.accept()
            if len(points) == 2:
                return True  # two fingers zoom; they do not also drag
        return super().viewportEvent(event)


class MediaPanel(QWidget):
    """One medium of a step with its controls; ``problem`` says why it cannot be shown."""

    def __init__(self, folder: Path, media: Media, touch: int) -> None:
        super().__init__()
        self.media = media
        self.touch = touch
        self.view: ZoomableImage | None = None
        self.pages: PdfPages | None = None
        self.video: VideoClip | None = None
        gap = max(8, theme.mm_to_px(theme.TOUCH_GAP_MM))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(gap)
        self.strip = QVBoxLayout()
        self.strip.setSpacing(gap)
        shown, self.problem = self._build(folder / media.path)
        if self.problem:
            log.warning("instruction media: %s", self.problem)
            note = QLabel(self.problem)
            note.setObjectName("muted")
            note.setWordWrap(True)
            shown = note
        row.addWidget(shown, 1)
        self.strip.addStretch(1)
        row.addLayout(self.strip)

    def _build(self, path: Path) -> tuple[QWidget, str]:
        """The widget that shows the medium (its controls go to the strip), or a problem."""
        kind = self.media.kind
        if kind is MediaKind.VIDEO:
            clip = VideoClip.of(path, self.touch)
            if isinstance(clip, str):
                return QWidget(), clip
            self.video = clip
            for widget in clip.controls:
                self.strip.addWidget(widget)
            return clip.screen, ""
        view = self.view = ZoomableImage()
        if kind is MediaKind.PDF:
            pages = PdfPages.of(path, view, self.touch, self.media.page or 1)
            if isinstance(pages, str):
                return view, pages
            self.pages = pages
            for widget in pages.controls:
                self.strip.addWidget(widget)
        else:
            image = QImage(str(path))
            if image.isNull():
                return view, QCoreApplication.translate(
                    "InstructionMedia", "The picture %1 cannot be read."
                ).replace("%1", path.name)
            view.set_image(image)
        self._zoom_buttons(view)
        return view, ""

    def _zoom_buttons(self, view: ZoomableImage) -> None:
        self.zoom_in = TouchButton("+", self.touch, self.touch)
        self.zoom_out = TouchButton("−", self.touch, self.touch)
        self.zoom_fit = TouchButton(
            QCoreApplication.translate("InstructionMedia", "Fit"), self.touch, self.touch
        )
        self.zoom_in.clicked.connect(lambda: view.zoom_by(STEP_ZOOM))
        self.zoom_out.clicked.connect(lambda: view.zoom_by(1 / STEP_ZOOM))
        self.zoom_fit.clicked.connect(view.fit)
        pair = QHBoxLayout()
        pair.setSpacing(max(8, theme.mm_to_px(theme.TOUCH_GAP_MM)))
        pair.addWidget(self.zoom_out)
        pair.addWidget(self.zoom_in)
        self.strip.addLayout(pair)
        self.strip.addWidget(self.zoom_fit)

        def show(zoom: float) -> None:
            self.zoom_out.setEnabled(zoom > 1.0)
            self.zoom_in.setEnabled(zoom < MAX_ZOOM)
            self.zoom_fit.setEnabled(zoom > 1.0)

        view.zoom_changed.connect(show)
        show(view.zoom)

    def stop(self) -> None:
        """The sheet moves on: a playing video stops."""
        if self.video is not None:
            self.video.stop()


class PdfPages:
    """The pages of a PDF, rendered into a ZoomableImage, with page buttons."""

    def __init__(self, document: object, view: ZoomableImage, touch: int, first: int) -> None:
        from PySide6.QtPdf import QPdfDocument  # noqa: PLC0415 - optional module, checked in of()

        assert isinstance(document, QPdfDocument)
        self.document = document
        self.view = view
        self.count = document.pageCount()
        self.page = 0
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.back = TouchButton("◀", touch, touch)
        self.forward = TouchButton("▶", touch, touch)
        self.back.clicked.connect(lambda: self.show_page(self.page - 1))
        self.forward.clicked.connect(lambda: self.show_page(self.page + 1))
        buttons = QWidget()
        pair = QHBoxLayout(buttons)
        pair.setContentsMargins(0, 0, 0, 0)
        pair.setSpacing(max(8, theme.mm_to_px(theme.TOUCH_GAP_MM)))
        pair.addWidget(self.back)
        pair.addWidget(self.forward)
        self.controls: list[QWidget] = [self.label, buttons]
        self.show_page(first - 1)

    @classmethod
    def of(cls, path: Path, view: ZoomableImage, touch: int, first: int) -> PdfPages | str:
        """The pages, or why they cannot be shown."""
        try:
            from PySide6.QtPdf import QPdfDocument  # noqa: PLC0415 - PySide6-Addons
        except ImportError:
            return QCoreApplication.translate(
                "InstructionMedia", "This build cannot show PDF pages: open %1 elsewhere."
            ).replace("%1", path.name)
        document = QPdfDocument(view)
        error = document.load(str(path))
        if error is not QPdfDocument.Error.None_ or document.pageCount() < 1:
            log.warning("instruction document %s: %s", path, error.name)
            return QCoreApplication.translate(
                "InstructionMedia", "The document %1 cannot be read."
            ).replace("%1", path.name)
        return cls(document, view, touch, max(1, min(first, document.pageCount())))

    def show_page(self, index: int) -> None:
        if not 0 <= index < self.count:
            return
        self.page = index
        points = self.document.pagePointSize(index)
        scale = PDF_RENDER_WIDTH / max(1.0, points.width())
        size = QSize(PDF_RENDER_WIDTH, max(1, round(points.height() * scale)))
        image = self.document.render(index, size)
        page = QImage(size, QImage.Format.Format_RGB32)
        page.fill(Qt.GlobalColor.white)  # a PDF's page is paper: white under transparent parts
        painter = QPainter(page)
        painter.drawImage(0, 0, image)
        painter.end()
        self.view.set_image(page)
        self.label.setText(
            QCoreApplication.translate("InstructionMedia", "Page %1 of %2")
            .replace("%1", str(index + 1))
            .replace("%2", str(self.count))
        )
        self.back.setEnabled(index > 0)
        self.forward.setEnabled(index < self.count - 1)


class VideoClip:
    """A short video without sound: Play and Pause, From the start, and where it is."""

    def __init__(self, path: Path, touch: int) -> None:
        from PySide6.QtMultimedia import QMediaPlayer, QVideoSink  # noqa: PLC0415 - see of()

        self.problem = ""
        self.screen = VideoScreen()
        self.player = QMediaPlayer(self.screen)
        self._playing = QMediaPlayer.PlaybackState.PlayingState
        self.sink = QVideoSink(self.screen)
        self.sink.videoFrameChanged.connect(lambda frame: self.screen.show_frame(frame.toImage()))
        self.player.setVideoSink(self.sink)  # and no audio output: silent by design
        self.play = TouchButton(
            QCoreApplication.translate("InstructionMedia", "▶ Play"), touch * 2, touch
        )
        self.again = TouchButton(
            QCoreApplication.translate("InstructionMedia", "⟲ From the start"), touch * 2, touch
        )
        self.time = QLabel()
        self.time.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.controls: list[QWidget] = [self.play, self.again, self.time]
        self.play.clicked.connect(self.toggle)
        self.again.clicked.connect(self.restart)
        self.player.playbackStateChanged.connect(lambda _state: self._show())
        self.player.positionChanged.connect(lambda _ms: self._show())
        self.player.durationChanged.connect(lambda _ms: self._show())
        self.player.errorOccurred.connect(self._failed)
        self.player.setSource(QUrl.fromLocalFile(str(path.resolve())))
        self._show()

    @classmethod
    def of(cls, path: Path, touch: int) -> VideoClip | str:
        """The clip, or why it cannot be played."""
        quiet_multimedia()
        try:
            from PySide6.QtMultimedia import QMediaPlayer  # noqa: F401, PLC0415 - PySide6-Addons
        except ImportError as exc:
            log.warning("instruction video %s: QtMultimedia is not available (%s)", path, exc)
            return QCoreApplication.translate(
                "InstructionMedia", "This build cannot play videos: watch %1 elsewhere."
            ).replace("%1", path.name)
        return cls(path, touch)

    @property
    def playing(self) -> bool:
        return self.player.playbackState() is self._playing

    def toggle(self) -> None:
        if self.playing:
            self.player.pause()
        else:
            if self.player.position() >= self.player.duration() > 0:
                self.player.setPosition(0)
            self.player.play()

    def restart(self) -> None:
        self.player.setPosition(0)
        self.player.play()

    def stop(self) -> None:
        self.player.stop()

    def _failed(self, _error: object, text: str) -> None:
        log.warning("instruction video %s: %s", self.player.source().toLocalFile(), text)
        self.problem = QCoreApplication.translate(
            "InstructionMedia", "The video cannot be played: %1"
        ).replace("%1", text)
        self.time.setText(self.problem)
        self.time.setWordWrap(True)

    def _show(self) -> None:
        self.play.setText(
            QCoreApplication.translate("InstructionMedia", "❚❚ Pause")
            if self.playing
            else QCoreApplication.translate("InstructionMedia", "▶ Play")
        )
        if not self.problem:
            self.time.setText(
                f"{_clock(self.player.position())} / {_clock(self.player.duration())}"
            )


class VideoScreen(QWidget):
    """Draws the newest frame, as large as fits; dark until the first frame.

    Painted here rather than by QVideoWidget, so the frame is part of the widget
    like any other picture: the screenshot of a sheet shows it.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumSize(240, 160)
        self.frame = QImage()

    def show_frame(self, image: QImage) -> None:
        if not image.isNull():
            self.frame = image
            self.update()

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        if not self.frame.isNull():
            size = self.frame.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            left = (self.width() - size.width()) // 2
            top = (self.height() - size.height()) // 2
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(QRect(left, top, size.width(), size.height()), self.frame)
        painter.end()


def _clock(ms: int) -> str:
    seconds = max(0, ms) // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"
