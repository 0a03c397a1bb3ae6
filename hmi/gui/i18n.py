"""The screen's language: Qt translators, the locale of numbers and dates, whose language applies.

Texts are written in English in the code and go through ``tr()`` /
``QCoreApplication.translate``; ``translations/floorline_<lang>.qm`` (built by
``scripts/translations build``) turns them into German or Spanish. English is
the source language: its file holds only plural forms ("1 record"), and
without it the screen shows the source texts.

Whose language: the plant's (``[plant] language``, English when not given),
and while a user is signed in and the screen unlocked, that user's own
(``[[users]] language``), if the user has one. Sign-in, unlock, take-over,
lock and sign-out apply that rule again; the language chooser on screen
changes the language until the next of them.

Numbers and dates follow the language's ``QLocale`` (decimal comma and a
point between thousands in German and Spanish); English keeps the plant's
usual format (a point for decimals, a space between thousands, ISO dates).
Times are 24-hour in every language.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QLibraryInfo,
    QLocale,
    QObject,
    Qt,
    QTranslator,
    Signal,
)
from PySide6.QtWidgets import QHBoxLayout, QWidget

from hmi.domain.users import UserDef
from hmi.gui import theme
from hmi.gui.touch import Sheet, TouchButton

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
# Each language by its own name: whoever needs the chooser may not read the current one.
LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch", "es": "Español"}

_installed: list[QTranslator] = []
_current = SOURCE_LANGUAGE
_system_locale: list[QLocale] = []  # the default locale before any language was installed


def language_of(tag: str | None) -> str | None:
    """The supported language of a BCP 47 tag ("es-MX" is "es"); None when none fits."""
    if not tag:
        return None
    primary = tag.replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else None


def translations_dir() -> Path:
    """Where the built ``.qm`` files are: beside the program when packaged, else the source tree."""
    bundle = getattr(sys, "_MEIPASS", None)  # a PyInstaller build puts its data files there
    if bundle is not None:
        return Path(bundle) / "translations"
    return Path(__file__).resolve().parents[2] / "translations"


def current_language() -> str:
    return _current


def install(language: str, folder: Path | None = None) -> bool:
    """Make ``language`` the application's: its translators, and its locale as the default.

    Returns False, and leaves the screen in English, when the language's file
    is not there (a source tree where ``scripts/setup`` has not built it).
    English has a file too, for its plural forms ("1 record", "2 records");
    without it the screen shows the source texts.
    """
    global _current  # noqa: PLW0603 - one QApplication, one screen language
    app = QCoreApplication.instance()
    assert app is not None, "the language is the application's: make the QApplication first"
    wanted = language_of(language) or SOURCE_LANGUAGE
    found = True
    translators: list[QTranslator] = []
    ours = QTranslator(app)
    path = (folder or translations_dir()) / f"floorline_{wanted}.qm"
    if ours.load(str(path)):
        translators.append(ours)
    elif wanted != SOURCE_LANGUAGE:
        log.warning("no translation file %s: the screen stays in English", path)
        wanted, found = SOURCE_LANGUAGE, False
    if wanted != SOURCE_LANGUAGE:
        qt_own = QTranslator(app)  # Qt's own words: a text field's context menu, for one
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_own.load(f"qtbase_{wanted}", qt_folder):
            translators.append(qt_own)
    for old in _installed:
        app.removeTranslator(old)
        old.deleteLater()
    _installed[:] = translators
    for translator in translators:
        app.installTranslator(translator)
    _set_locale(wanted)
    _current = wanted
    return found


def _set_locale(language: str) -> None:
    """The language's locale for Qt's own widgets (a date field); English keeps the system's."""
    if not _system_locale:
        _system_locale.append(QLocale())
    QLocale.setDefault(QLocale(language) if language != SOURCE_LANGUAGE else _system_locale[0])


def uninstall() -> None:
    """No translator at all: the source texts (a window closing, a test ending)."""
    global _current  # noqa: PLW0603 - see install
    app = QCoreApplication.instance()
    for old in _installed:
        if app is not None:
            app.removeTranslator(old)
        old.deleteLater()
    _installed.clear()
    _set_locale(SOURCE_LANGUAGE)
    _current = SOURCE_LANGUAGE


# -- numbers and dates in the screen's language ------------------------------------------


def _english() -> bool:
    return _current == SOURCE_LANGUAGE


def format_number(value: float, decimals: int) -> str:
    """A measured value with ``decimals`` places: "1234.5", or "1.234,5" in German."""
    if _english():
        return f"{value:.{decimals}f}"
    return QLocale().toString(float(value), "f", max(0, decimals))


def format_integer(value: int) -> str:
    """A count: "12 345" in English, "12.345" in German and Spanish."""
    if _english():
        return f"{value:,}".replace(",", " ")
    return QLocale().toString(int(value))


def format_percent(fraction: float) -> str:
    """A share as a percentage with one decimal: "83.3 %", "83,3 %"."""
    return f"{format_number(fraction * 100, 1)} %"


def format_date(moment: datetime) -> str:
    """A date: ISO in English, the language's short date (with the whole year) otherwise."""
    if _english():
        return moment.strftime("%Y-%m-%d")
    locale = QLocale()
    pattern = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in pattern:
        pattern = pattern.replace("yy", "yyyy")
    return locale.toString(QDate(moment.year, moment.month, moment.day), pattern)


def format_clock(moment: datetime) -> str:
    """A time of day, 24-hour with seconds, the same in every language: "07:10:00"."""
    return moment.strftime("%H:%M:%S")


# -- whose language --------------------------------------------------------------------


class ScreenLanguage(QObject):
    """The language the screen speaks, kept by the rule of the module's docstring.

    Signals:
        changed(str): another language is installed (the window rebuilds its texts).
    """

    changed = Signal(str)

    def __init__(
        self,
        plant_language: str | None,
        users: Sequence[UserDef] = (),
        folder: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.plant = language_of(plant_language) or SOURCE_LANGUAGE
        if plant_language and language_of(plant_language) is None:
            log.warning("no translation for the plant's language %r: English", plant_language)
        self._users = {user.id: user for user in users}
        self._folder = folder
        self._session: tuple[str | None, bool] = (None, True)
        install(self.plant, folder)
        self.current = current_language()

    def set_language(self, language: str) -> None:
        """Switch now (the chooser, or the session's rule); nothing happens for the same one."""
        wanted = language_of(language) or SOURCE_LANGUAGE
        if wanted == self.current and wanted == current_language():
            return
        install(wanted, self._folder)
        changed = current_language() != self.current
        self.current = current_language()
        if changed:
            self.changed.emit(self.current)

    def language_for(self, user_id: str | None, locked: bool) -> str:
        """The rule: the acting user's own language, else the plant's."""
        user = self._users.get(user_id) if user_id is not None and not locked else None
        return (language_of(user.language) if user is not None else None) or self.plant

    def follow(self, user_id: str | None, locked: bool) -> None:
        """The session as the screen shows it; a change of who acts applies the rule again."""
        if (user_id, locked) == self._session:
            return  # the once-a-second poll: the chooser's choice stands
        self._session = (user_id, locked)
        self.set_language(self.language_for(user_id, locked))


# -- the chooser -------------------------------------------------------------------------


class LanguageButton(TouchButton):
    """The language on screen as its code ("EN"); a tap opens the ``LanguageSheet``.

    Signals: those of QPushButton (``clicked``).
    """

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        touch = theme.touch_min_px()
        super().__init__(language.upper(), touch, touch, parent=parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setToolTip(self.tr("Language"))
        self.setAccessibleName(self.tr("Language: %1").replace("%1", LANGUAGES[language]))


class LanguageSheet(Sheet):
    """Every language by its own name, as big tiles; the one on screen is marked.

    Signals:
        chosen(str): the language tapped ("de").
        closed(): inherited.
    """

    chosen = Signal(str)

    def __init__(self, window: QWidget, language: str) -> None:
        super().__init__(window, QCoreApplication.translate("LanguageSheet", "Language"))
        touch = theme.touch_min_px()
        cancel = TouchButton(self.tr("Cancel"), round(touch * 2.5), touch)
        cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cancel.clicked.connect(self.close_sheet)
        self.head.addWidget(cancel, 0, Qt.AlignmentFlag.AlignTop)
        row = QHBoxLayout()
        row.setSpacing(max(8, theme.mm_to_px(theme.TOUCH_GAP_MM)))
        self.tiles: dict[str, TouchButton] = {}
        for code, name in LANGUAGES.items():
            tile = TouchButton(f"{name}\n{code.upper()}", touch * 4, round(touch * 1.5))
            tile.setObjectName("tile")
            tile.setCheckable(True)
            tile.setChecked(code == language)
            tile.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            tile.clicked.connect(lambda _=False, c=code: self._choose(c))
            self.tiles[code] = tile
            row.addWidget(tile)
        self.body.addLayout(row)

    def _choose(self, language: str) -> None:
        self.close_sheet()
        self.chosen.emit(language)
