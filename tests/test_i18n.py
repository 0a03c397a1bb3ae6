"""Languages: complete and current translation sources, a switch at run time, the user's own.

The ``.ts`` files are checked against a fresh ``pyside6-lupdate`` run (the
command of ``scripts/translations update``) and against the code itself, so
a text added without a translation, or written where lupdate cannot see it,
fails here. The window tests build the ``.qm`` files into a folder of their
own, so they do not depend on ``scripts/setup`` having run.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from hmi.config import ConfigError, load_plant
from hmi.domain.clock import ManualClock
from hmi.domain.kiosk import KioskSettings
from hmi.domain.plant import DataType, PlantDef, TagDef
from hmi.domain.roles import Role
from hmi.domain.users import UserDef, hash_secret
from hmi.gui import i18n, theme
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.main_window import MainWindow
from hmi.gui.session_control import OperatorServices
from hmi.gui.text import format_value
from hmi.services.runtime import Runtime
from tests.test_gui import fixed_health, fixed_state

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
BIN = Path(sys.executable).parent
LANGUAGES = ("en", "de", "es")
SYMBOLS = set("✓✕⚠●◐◷⊘○◌■⇅☑⚑⏸▶◀‹›↵▾◻⚙✎▲…⌫")
PIN_HASH = hash_secret("1234", n=2**10)


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """Each message of a ``.ts`` file by (context, source)."""
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message
    return found


def lupdate(target: Path, language: str) -> None:
    """What ``scripts/translations update`` runs, into ``target``."""
    plural = ["-pluralonly"] if language == "en" else []
    subprocess.run(
        [
            str(BIN / "pyside6-lupdate"),
            *("-extensions", "py", "-locations", "relative", "-no-obsolete", *plural),
            *("-source-language", "en", "-target-language", language),
            *("hmi/gui", "hmi/app", "-ts", str(target)),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_translation_source_has_every_text_of_the_code(language: str, tmp_path: Path) -> None:
    committed = TRANSLATIONS / f"floorline_{language}.ts"
    fresh = tmp_path / committed.name
    shutil.copy(committed, fresh)
    lupdate(fresh, language)
    added = set(messages(fresh)) - set(messages(committed))
    gone = set(messages(committed)) - set(messages(fresh))
    assert not added and not gone, (
        f"translations/{committed.name} is out of date: run scripts/translations update and"
        f" translate; new: {sorted(added)}, gone: {sorted(gone)}"
    )


def literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def texts_in_code() -> set[tuple[str, str, str]]:
    """(context, text, where) of every literal given to ``tr``, ``translate`` or a no-op mark."""
    found: set[tuple[str, str, str]] = set()

    def visit(node: ast.AST, cls: str, path: Path) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Call):
                func = child.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                args = child.args
                where = f"{path.relative_to(ROOT)}:{child.lineno}"
                if name == "tr" and args and (text := literal(args[0])) is not None:
                    found.add((cls, text, where))
                elif name in ("translate", "QT_TRANSLATE_NOOP") and len(args) > 1:
                    context, text = literal(args[0]), literal(args[1])
                    if context is not None and text is not None:
                        found.add((context, text, where))
            visit(child, child.name if isinstance(child, ast.ClassDef) else cls, path)

    for path in sorted(
        [*(ROOT / "hmi" / "gui").rglob("*.py"), *(ROOT / "hmi" / "app").glob("*.py")]
    ):
        visit(ast.parse(path.read_text(encoding="utf-8")), "", path)
    return found


def test_lupdate_sees_every_text_the_code_translates() -> None:
    """A text lupdate cannot parse (a call as the count of ``translate``, say) is never
    translated; it shows here with its place in the code."""
    known = set(messages(TRANSLATIONS / "floorline_de.ts"))
    unseen = sorted(
        f"{where} [{context}] {text!r}"
        for context, text, where in texts_in_code()
        if (context, text) not in known
    )
    assert not unseen, "lupdate does not see these texts:\n" + "\n".join(unseen)


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%[1-9n]", text))


@pytest.mark.parametrize("language", ["de", "es"])
def test_german_and_spanish_are_complete_and_keep_placeholders_and_symbols(language: str) -> None:
    problems = []
    for (context, source), message in messages(TRANSLATIONS / f"floorline_{language}.ts").items():
        translation = message.find("translation")
        assert translation is not None
        kind = translation.get("type")
        forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
        where = f"[{context}] {source!r}"
        if kind in ("unfinished", "vanished", "obsolete"):
            problems.append(f"{where} is {kind}")
        for form in forms:
            if not form.strip():
                problems.append(f"{where} has an empty translation")
            elif placeholders(form) != placeholders(source):
                problems.append(f"{where}: placeholders {placeholders(form)} in {form!r}")
            elif not (set(source) & SYMBOLS) <= set(form):
                problems.append(f"{where}: a symbol is missing in {form!r}")
    assert not problems, "\n".join(problems)


def test_english_holds_the_plural_forms_only() -> None:
    english = messages(TRANSLATIONS / "floorline_en.ts")
    assert english
    for (_context, source), message in english.items():
        assert message.get("numerus") == "yes", source
        translation = message.find("translation")
        assert translation is not None and translation.get("type") is None, source
        forms = [f.text or "" for f in translation.iter("numerusform")]
        assert len(forms) == 2 and all("%n" in form for form in forms), source


# -- numbers and dates ------------------------------------------------------------------


@pytest.fixture
def built(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The .qm files built from the committed sources, found by the program."""
    folder = tmp_path_factory.mktemp("qm")
    for language in LANGUAGES:
        subprocess.run(
            [
                str(BIN / "pyside6-lrelease"),
                "-silent",
                str(TRANSLATIONS / f"floorline_{language}.ts"),
                *("-qm", str(folder / f"floorline_{language}.qm")),
            ],
            check=True,
        )
    monkeypatch.setattr(i18n, "translations_dir", lambda: folder)
    return folder


@pytest.fixture
def english_after(qapp: QApplication) -> Iterator[None]:
    yield
    i18n.uninstall()


def tag(demo_plant: PlantDef, data_type: DataType) -> TagDef:
    return dataclasses.replace(demo_plant.tags[0], data_type=data_type, precision=2)


def test_values_and_dates_follow_the_language_and_english_stays_as_it_was(
    built: Path, english_after: None, demo_plant: PlantDef
) -> None:
    count, pressure = tag(demo_plant, DataType.INT), tag(demo_plant, DataType.FLOAT)
    moment = datetime(2026, 11, 30, 7, 10, 5)
    assert i18n.install("en")
    assert format_value(count, 1234567) == "1 234 567"
    assert format_value(pressure, 1234.5) == "1234.50"
    assert (i18n.format_date(moment), i18n.format_clock(moment)) == ("2026-11-30", "07:10:05")
    assert i18n.install("de")
    assert format_value(count, 1234567) == "1.234.567"
    assert format_value(pressure, 3.05) == "3,05"
    assert format_value(pressure, True) == "Ein"
    assert (i18n.format_date(moment), i18n.format_clock(moment)) == ("30.11.2026", "07:10:05")
    assert i18n.install("es")
    assert format_value(count, 12345) == "12.345"
    assert i18n.format_percent(0.833) == "83,3 %"
    assert i18n.format_date(moment) == "30/11/2026"
    assert i18n.install("en")
    assert (format_value(pressure, 3.05), i18n.format_percent(0.833)) == ("3.05", "83.3 %")


def test_a_language_tag_picks_the_language_and_an_unknown_one_falls_back_to_english(
    built: Path, english_after: None
) -> None:
    assert [i18n.language_of(t) for t in ("es-MX", "de_AT", "DE", "fr", None)] == [
        "es",
        "de",
        "de",
        None,
        None,
    ]
    assert i18n.install("fr") is True  # not ours: English, which needs no file
    assert i18n.current_language() == "en"


def test_the_plant_file_gives_the_screens_language(tmp_path: Path) -> None:
    plant_file = tmp_path / "plant.toml"
    plant_file.write_text('[plant]\nname = "x"\nlanguage = "es-MX"\n', encoding="utf-8")
    assert load_plant(plant_file).language == "es-MX"
    plant_file.write_text('[plant]\nname = "x"\n', encoding="utf-8")
    assert load_plant(plant_file).language is None
    plant_file.write_text('[plant]\nname = "x"\nlanguage = "German"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"plant\.language: expected a language tag"):
        load_plant(plant_file)


# -- the window ---------------------------------------------------------------------------


def nav_texts(window: MainWindow) -> dict[str, str]:
    return {key: button.text() for key, button in window._nav_buttons.items()}


def shown(window: MainWindow) -> bool:
    """The rebuilt parts are on screen (not only made)."""
    parts = (window.stack, window.status, window.status.clock, window.language_button)
    return all(part.isVisible() for part in parts) and bool(
        window.brand and window.brand.isVisible()
    )


def english_left(window: MainWindow) -> list[str]:
    """Visible texts that are an English source whose German translation differs."""
    german = {
        source: message.findtext("translation")
        for (_c, source), message in messages(TRANSLATIONS / "floorline_de.ts").items()
    }
    stale = {s for s, t in german.items() if t and t != s and not placeholders(s)}
    left = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, QLabel | QAbstractButton):
            continue
        text = widget.text().strip()
        if text in stale:
            left.append(f"{type(widget).__name__}: {text!r}")
    return left


@pytest.fixture
def viewer(
    qtbot: QtBot, qapp: QApplication, demo_plant: PlantDef, built: Path
) -> Iterator[MainWindow]:
    theme.apply(qapp)
    clock = ManualClock()
    store = fixed_state(demo_plant, clock)
    bridge = RuntimeBridge(store, lambda: fixed_health(clock))
    window = MainWindow(demo_plant, bridge, clock.now, audible=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    bridge.start()
    yield window
    window.close()
    i18n.uninstall()


def test_the_chooser_switches_the_visible_texts_and_back(qtbot: QtBot, viewer: MainWindow) -> None:
    window = viewer
    window.show_station("filler")
    assert nav_texts(window)["overview"] == "Overview"
    assert window.language_button.text() == "EN"
    qtbot.mouseClick(window.language_button, Qt.MouseButton.LeftButton)
    assert window.language_sheet.is_open
    qtbot.mouseClick(window.language_sheet.tiles["de"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: nav_texts(window)["overview"] == "Übersicht", timeout=5000)
    qtbot.waitUntil(lambda: shown(window), timeout=5000)
    assert window.language_button.text() == "DE"
    assert window.stack.currentWidget() is window._pages["filler"]  # the same page on screen
    assert window.stations["filler"].model.headerData(1, Qt.Orientation.Horizontal) == "Wert"
    assert english_left(window) == []
    window.show_page("overview")
    assert english_left(window) == []
    window.language.set_language("es")
    qtbot.waitUntil(lambda: nav_texts(window)["overview"] == "Resumen", timeout=5000)
    qtbot.waitUntil(lambda: shown(window), timeout=5000)
    assert english_left(window) == []
    assert window.windowTitle() == f"Floorline — {window.plant.name}"
    window.language.set_language("en")
    qtbot.waitUntil(lambda: nav_texts(window)["overview"] == "Overview", timeout=5000)
    qtbot.waitUntil(lambda: shown(window), timeout=5000)
    assert nav_texts(window)["trends"] == "Trends"
    assert window.language_button.text() == "EN"


@pytest.fixture
def desk(
    qtbot: QtBot, qapp: QApplication, demo_plant: PlantDef, tmp_path: Path, built: Path
) -> Iterator[tuple[MainWindow, Runtime]]:
    theme.apply(qapp)
    clock = ManualClock()
    users = (
        UserDef("greta", "Greta Lang", Role.OPERATOR, PIN_HASH, language="de"),
        UserDef("sofia", "Sofía Ruiz", Role.OPERATOR, PIN_HASH, language="es-MX"),
        UserDef("owen", "Owen Hale", Role.OPERATOR, PIN_HASH),
    )
    plant = dataclasses.replace(demo_plant, users=users, language="en")
    runtime = Runtime(
        dataclasses.replace(plant, sources=()), clock=clock, cache_path=tmp_path / "cache.sqlite"
    )
    runtime.start()
    bridge = RuntimeBridge(fixed_state(plant, clock), lambda: fixed_health(clock))
    window = MainWindow(plant, bridge, clock.now, OperatorServices.of(runtime), audible=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    bridge.start()
    qtbot.waitUntil(lambda: window.tasks is not None and window.tasks.pending == 0, timeout=5000)
    yield window, runtime
    window.close()
    runtime.stop()
    i18n.uninstall()


def sign_in(qtbot: QtBot, window: MainWindow, user_id: str) -> None:
    qtbot.mouseClick(window.banner, Qt.MouseButton.LeftButton)
    sheet = window.sign_in
    assert sheet is not None and sheet.is_open
    qtbot.mouseClick(sheet.tiles[user_id], Qt.MouseButton.LeftButton)
    for digit in "1234":
        qtbot.mouseClick(sheet.keypad.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(sheet.keypad.keys["ok"], Qt.MouseButton.LeftButton)


def test_the_users_language_follows_the_sign_in_and_the_plants_comes_back_on_lock(
    qtbot: QtBot, desk: tuple[MainWindow, Runtime]
) -> None:
    window, _runtime = desk
    window.show_station("capper")
    sign_in(qtbot, window, "greta")
    qtbot.waitUntil(lambda: nav_texts(window)["overview"] == "Übersicht", timeout=5000)
    qtbot.waitUntil(lambda: window.status.session.who.text().startswith("Greta Lang"), timeout=5000)
    assert window.status.session.who.text() == "Greta Lang · Bediener"
    assert window.stack.currentWidget() is window._pages["capper"]
    qtbot.waitUntil(lambda: shown(window), timeout=5000)
    assert window.status.session.lock_button.text() == "Sperren"
    assert window.status.session.lock_button.isVisible()  # still signed in after the rebuild
    qtbot.mouseClick(window.status.session.lock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: nav_texts(window)["overview"] == "Overview", timeout=5000)
    qtbot.waitUntil(lambda: window.banner.text() == " Locked — tap to sign in", timeout=5000)
    sign_in(qtbot, window, "sofia")  # a take-over: her language
    qtbot.waitUntil(lambda: nav_texts(window)["overview"] == "Resumen", timeout=5000)
    qtbot.mouseClick(window.status.session.sign_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: nav_texts(window)["overview"] == "Overview", timeout=5000)
    sign_in(qtbot, window, "owen")  # no language of his own: the plant's
    qtbot.waitUntil(
        lambda: window.status.session.who.text() == "Owen Hale · Operator", timeout=5000
    )
    assert nav_texts(window)["overview"] == "Overview"


def test_the_kiosk_keeps_its_guard_and_its_exit_sheet_speaks_the_new_language(
    qtbot: QtBot, desk: tuple[MainWindow, Runtime]
) -> None:
    window, runtime = desk
    settings = KioskSettings(enabled=True, dim_after_s=60, hold_to_exit_s=1)
    guard = window.enter_kiosk(settings, runtime.session)
    brand = window.brand
    window.language.set_language("de")
    qtbot.waitUntil(lambda: nav_texts(window)["overview"] == "Übersicht", timeout=5000)
    assert window.kiosk is guard and window.brand is brand and guard.hold_target is brand
    assert guard.exit_sheet.title.text() == "Kioskmodus verlassen"
    assert guard.exit_sheet.exit_button.text() == "Floorline schließen"
    assert window.alarm_journal is not None and not window.alarm_journal.ask_for_path
    guard.may_close = True
