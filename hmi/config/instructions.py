"""Work instructions on disk: a folder per instruction, validated into ``Instruction``s.

An instruction folder holds ``instruction.toml`` (the manifest: id, title,
stations, products, sign-off and the ordered ``[[steps]]``), one Markdown file
per step and the media the steps show. A process engineer writes these by
hand and checks them with ``hmi instructions check``; every problem names its
file and line, and all of them are reported in one pass. An instruction with
any problem is left out; the others of the folder still load.

The version of an instruction is the SHA-256 over the manifest and every file
it names (``hmi.domain.instructions.version_hash``), so the same files give
the same version on every machine and a changed byte gives a new one. Files
in the folder that the manifest does not name are not part of it.
"""

from __future__ import annotations

import codecs
import math
import os
import posixpath
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from hmi.config.fields import Problems, Table, show
from hmi.config.locate import KeyLocator
from hmi.config.problems import (
    ConfigProblem,
    KeyPath,
    did_you_mean,
    format_key_path,
    quote,
)
from hmi.domain.instructions import (
    NO_SIGNOFF,
    Capture,
    CaptureKind,
    Instruction,
    Media,
    MediaKind,
    OutOfLimit,
    SignOff,
    SignOffBy,
    Step,
    version_hash,
)
from hmi.domain.plant import DataType, PlantDef, TagDef
from hmi.domain.roles import Role

MANIFEST = "instruction.toml"
MAX_DECIMALS = 6

_TOML_POSITION = re.compile(r"\s*\(at line (?P<line>[0-9]+), column (?P<column>[0-9]+)\)\Z")
_SIGNOFF_BY = {by.value: by for by in SignOffBy}
_ROLES = {role.value: role for role in Role}
_CAPTURE_KINDS = {kind.value: kind for kind in CaptureKind}
_OUT_OF_LIMIT = {choice.value: choice for choice in OutOfLimit}
_MEDIA_KINDS = {kind.value: kind for kind in MediaKind}
_EXTENSIONS = {
    ".png": MediaKind.IMAGE,
    ".jpg": MediaKind.IMAGE,
    ".jpeg": MediaKind.IMAGE,
    ".pdf": MediaKind.PDF,
    ".mp4": MediaKind.VIDEO,
    ".webm": MediaKind.VIDEO,
}
_A = {MediaKind.IMAGE: "an image", MediaKind.PDF: "a pdf", MediaKind.VIDEO: "a video"}
_SUPPORTED = "images .png, .jpg or .jpeg; documents .pdf; videos .mp4 or .webm"
_NUMERIC = (CaptureKind.NUMBER, CaptureKind.TAG)
_LIMITED = (CaptureKind.NUMBER, CaptureKind.TAG, CaptureKind.PASS_FAIL)
_TEXTUAL = (CaptureKind.SERIAL, CaptureKind.BARCODE)
# Pictures inside the Markdown would escape the version hash and the media checks.
_INLINE_IMAGE = re.compile(r"!\[[^\]]*\]\(|<img\b", re.IGNORECASE)


def load_instructions(
    folder: str | os.PathLike[str], plant: PlantDef | None = None
) -> tuple[list[Instruction], list[ConfigProblem]]:
    """Every instruction under ``folder``, and every problem found.

    ``folder`` is one instruction folder (it holds ``instruction.toml``) or a
    folder of them (each sub-folder one instruction; names starting with "."
    are skipped). With ``plant``, station ids and tags are checked against it.
    The instructions are in the order of their folders' names.
    """
    root = Path(folder)
    if (root / MANIFEST).is_file():
        folders = [root]
        problems: list[ConfigProblem] = []
    else:
        folders, problems = _instruction_folders(root)
    loaded: list[_Loaded] = []
    for path in folders:
        found, found_problems = _Reader(path, plant).read()
        problems += found_problems
        if found is not None:
            loaded.append(found)
    kept = _without_duplicates(loaded, problems)
    problems.sort(key=lambda problem: (problem.file, problem.line or 0))
    return [entry.instruction for entry in kept], problems


def load_instruction(
    folder: str | os.PathLike[str], plant: PlantDef | None = None
) -> tuple[Instruction | None, list[ConfigProblem]]:
    """One instruction folder; None with its problems when it has any."""
    found, problems = _Reader(Path(folder), plant).read()
    problems.sort(key=lambda problem: (problem.file, problem.line or 0))
    return (found.instruction if found is not None else None), problems


def _instruction_folders(root: Path) -> tuple[list[Path], list[ConfigProblem]]:
    where = str(root)
    try:
        children = sorted(
            (child for child in root.iterdir() if not child.name.startswith(".")),
            key=lambda child: child.name,
        )
    except FileNotFoundError:
        return [], [ConfigProblem(where, None, "", "no such folder")]
    except NotADirectoryError:
        return [], [
            ConfigProblem(
                where,
                None,
                "",
                f"not a folder (expected a folder with {MANIFEST} or a folder of such folders)",
            )
        ]
    except OSError as error:
        return [], [ConfigProblem(where, None, "", f"cannot read the folder: {error.strerror}")]
    folders: list[Path] = []
    problems: list[ConfigProblem] = []
    for child in children:
        if not child.is_dir():
            continue
        if (child / MANIFEST).is_file():
            folders.append(child)
        else:
            problems.append(
                ConfigProblem(
                    str(child), None, "", f"no {MANIFEST} in this folder: it is not an instruction"
                )
            )
    if not folders and not problems:
        problems.append(
            ConfigProblem(
                where, None, "", f"no instructions found (each is a folder with {MANIFEST})"
            )
        )
    return folders, problems


@dataclass(frozen=True, slots=True)
class _Loaded:
    instruction: Instruction
    file: str
    id_line: int | None


def _without_duplicates(loaded: list[_Loaded], problems: list[ConfigProblem]) -> list[_Loaded]:
    """Two instructions may share an id only as variants for different products.

    Their product lists must differ, with no entry in common, or ``select``
    could not tell which applies; the later folder is refused.
    """
    kept: list[_Loaded] = []
    for entry in loaded:
        new = entry.instruction
        for other in kept:
            old = other.instruction
            if old.id != new.id or not set(old.stations) & set(new.stations):
                continue
            shared = set(old.products) & set(new.products)
            if (not old.products and not new.products) or shared:
                what = (
                    "for every product"
                    if not shared
                    else "for " + ", ".join(quote(product) for product in sorted(shared))
                )
                where = other.file if other.id_line is None else f"{other.file}:{other.id_line}"
                problems.append(
                    ConfigProblem(
                        entry.file,
                        entry.id_line,
                        "id",
                        f"instruction {quote(new.id)} {what} is at {where} too: "
                        "the same id is used again only for other products",
                    )
                )
                break
        else:
            kept.append(entry)
    return kept


class _Reader:
    """Reads one instruction folder, collecting the problems and the files it is made of."""

    def __init__(self, folder: Path, plant: PlantDef | None) -> None:
        self.folder = folder
        self.manifest = str(folder / MANIFEST)
        self.plant = plant
        self.problems = Problems()
        self.elsewhere: list[ConfigProblem] = []  # problems in the step files
        self.files: dict[str, bytes] = {}
        self.capture_ids: dict[str, KeyPath] = {}
        self._tag_defs = {} if plant is None else {tag.id: tag for tag in plant.tags}

    def read(self) -> tuple[_Loaded | None, list[ConfigProblem]]:
        text = self._manifest_text()
        if text is None:
            return None, self.elsewhere
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            message, line = _syntax_position(str(error))
            return None, [ConfigProblem(self.manifest, line, "", f"TOML syntax error: {message}")]
        except (RecursionError, ValueError):
            message = "TOML error: nested too deeply, or an integer with too many digits"
            return None, [ConfigProblem(self.manifest, None, "", message)]
        instruction = self._instruction(Table(document, (), self.problems, self.folder))
        locator = KeyLocator(text)
        found = [
            ConfigProblem(self.manifest, locator.line_of(path), format_key_path(path), message)
            for path, message in self.problems.found
        ]
        found += self.elsewhere
        if found:
            return None, found
        return _Loaded(instruction, self.manifest, locator.line_of(("id",))), []

    def _manifest_text(self) -> str | None:
        try:
            data = Path(self.manifest).read_bytes()
        except OSError as error:
            reason = error.strerror or str(error)
            self.elsewhere.append(ConfigProblem(self.manifest, None, "", f"cannot read: {reason}"))
            return None
        self.files[MANIFEST] = data
        return self._decode(self.manifest, data)

    def _decode(self, file: str, data: bytes) -> str | None:
        data = data.removeprefix(codecs.BOM_UTF8)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            message = f"must be UTF-8 text; byte 0x{data[error.start]:02x} is not"
            self.elsewhere.append(ConfigProblem(file, line, "", message))
            return None

    # --- the manifest --------------------------------------------------------------

    def _instruction(self, root: Table) -> Instruction:
        instruction_id = root.identifier("id")
        title = root.required_string("title")
        stations = self._stations(root)
        products = _products(root)
        signoff = _signoff(root.table("signoff"))
        step_tables = root.tables("steps")
        if not step_tables and isinstance(root.data.get("steps", []), list):
            root.report("steps", "the instruction has no steps: add [[steps]] entries")
        steps: list[Step] = []
        first: dict[str, KeyPath] = {}
        for table in step_tables:
            step = self._step(table)
            if step.id in first:
                where = format_key_path(first[step.id])
                table.report("id", f"duplicate step id {quote(step.id)}, first used at {where}")
            elif step.id:
                first[step.id] = table.path
            steps.append(step)
        root.finish()
        return Instruction(
            id=instruction_id,
            title=title,
            version=version_hash(self.files),
            stations=stations,
            steps=tuple(steps),
            products=products,
            signoff=signoff,
            folder=str(self.folder.absolute()),
        )

    def _stations(self, root: Table) -> tuple[str, ...]:
        items = root.strings("stations", required=True)
        if root.raw("stations") == []:
            root.report("stations", "expected at least one station id, got an empty array")
        known = None if self.plant is None else [station.id for station in self.plant.stations]
        stations: list[str] = []
        for index, station_id in items:
            if known is not None and station_id not in known:
                message = f"no station has the id {quote(station_id)}"
                root.problems.add(
                    root.at("stations", index), message + did_you_mean(station_id, known)
                )
            elif station_id in stations:
                root.problems.add(
                    root.at("stations", index), f"{quote(station_id)} is listed twice"
                )
            else:
                stations.append(station_id)
        return tuple(stations)

    def _step(self, table: Table) -> Step:
        step_id = table.identifier("id")
        title = table.required_string("title")
        file = self._file(table, "file")
        body = "" if file is None else self._body(file)
        media = tuple(
            found for entry in table.tables("media") if (found := self._media(entry)) is not None
        )
        tags: list[str] = []
        for index, tag_id in table.strings("tags"):
            if tag_id in tags:
                table.problems.add(table.at("tags", index), f"{quote(tag_id)} is listed twice")
            elif self._known_tag(table, ("tags", index), tag_id):
                tags.append(tag_id)
        captures = tuple(self._capture(entry) for entry in table.tables("captures"))
        signoff = _signoff(table.table("signoff"))
        table.finish()
        return Step(step_id, title, body, file or "", media, tuple(tags), captures, signoff)

    def _known_tag(self, table: Table, at: KeyPath, tag_id: str) -> bool:
        """Whether the plant has the tag ``tag_id`` (always, without a plant); reports it if not."""
        if self.plant is None or tag_id in self._tag_defs:
            return True
        message = f"no tag has the id {quote(tag_id)}" + did_you_mean(tag_id, self._tag_defs)
        table.problems.add(table.at(*at), message)
        return False

    # --- files ---------------------------------------------------------------------

    def _file(self, table: Table, key: str) -> str | None:
        """A file of the instruction named at ``key``: its normalised path, its bytes kept.

        Paths are relative to the instruction folder, with "/" between folders,
        and written as the file is named on disk (panels tell case apart).
        """
        text = table.string(key, required=True)
        if text is None:
            return None
        if "\\" in text:
            table.report(key, f'use "/" between folders, got {quote(text)}')
            return None
        relative = unicodedata.normalize("NFC", posixpath.normpath(text))
        if "\0" in text or posixpath.isabs(relative) or re.match(r"[A-Za-z]:", relative):
            table.report(
                key, f"expected a path relative to the instruction folder, got {quote(text)}"
            )
            return None
        if relative == ".." or relative.startswith("../"):
            table.report(key, f"{quote(text)} is outside the instruction folder")
            return None
        problem = _missing(self.folder, relative)
        if problem is not None:
            table.report(key, problem)
            return None
        if relative not in self.files:
            try:
                self.files[relative] = (self.folder / relative).read_bytes()
            except OSError as error:
                table.report(key, f"cannot read {quote(relative)}: {error.strerror or error}")
                return None
        return relative

    def _body(self, relative: str) -> str:
        file = str(self.folder / relative)
        text = self._decode(file, self.files[relative])
        if text is None:
            return ""
        if not text.strip():
            self.elsewhere.append(ConfigProblem(file, 1, "", "the step's text is empty"))
        for number, line in enumerate(text.split("\n"), start=1):
            if _INLINE_IMAGE.search(line):
                self.elsewhere.append(
                    ConfigProblem(
                        file,
                        number,
                        "",
                        "pictures in the step's text are not shown: list them under "
                        f"[[steps.media]] in {MANIFEST}",
                    )
                )
        return text.replace("\r\n", "\n")

    def _media(self, table: Table) -> Media | None:
        path = self._file(table, "path")
        declared = table.required_choice("kind", _MEDIA_KINDS, required=False)
        caption = table.string("caption") or ""
        if path is None:
            table.expect("page")
            table.finish()
            return None
        extension = posixpath.splitext(path)[1].lower()
        kind = _EXTENSIONS.get(extension)
        if kind is None:
            table.report(
                "path", f"unsupported media type {quote(extension or path)}: use {_SUPPORTED}"
            )
        elif declared is not None and declared is not kind:
            table.report("kind", f"{quote(path)} is {_A[kind]} by its name, not {_A[declared]}")
        elif not _looks_like(extension, self.files[path]):
            table.report(
                "path", f"{quote(path)} is not a {extension[1:].upper()} file by its content"
            )
        page = None
        if kind is MediaKind.PDF:
            page = table.integer("page", 0, lo=1) or None
        else:
            table.forbid("page", "only a pdf has pages")
        table.finish()
        return Media(kind or MediaKind.IMAGE, path, caption, page)

    # --- captures ------------------------------------------------------------------

    def _capture(self, table: Table) -> Capture:
        capture_id = table.identifier("id")
        if capture_id in self.capture_ids:
            where = format_key_path(self.capture_ids[capture_id])
            table.report("id", f"duplicate capture id {quote(capture_id)}, first used at {where}")
        elif capture_id:
            self.capture_ids[capture_id] = table.path
        kind = table.required_choice("kind", _CAPTURE_KINDS) or CaptureKind.TEXT
        capture = Capture(
            id=capture_id,
            kind=kind,
            label=table.required_string("label"),
            required=table.boolean("required", True),
        )
        tag_id, tag = self._capture_tag(table, kind)
        if kind in _NUMERIC:
            capture = _limits(table, replace(capture, tag=tag_id), tag)
        else:
            for key in ("lo", "hi", "unit", "decimals"):
                table.forbid(key, f"only number and tag captures have {key}")
        if kind is CaptureKind.CHOICE:
            capture = replace(capture, options=_options(table))
        else:
            table.forbid("options", "only a choice capture has options")
        if kind in _TEXTUAL:
            capture = replace(capture, pattern=_pattern(table))
        else:
            table.forbid("pattern", "only serial and barcode captures have a pattern")
        if kind in _LIMITED:
            on_out = table.choice("on_out_of_limit", _OUT_OF_LIMIT, OutOfLimit.REASON)
            capture = replace(capture, on_out_of_limit=on_out)
            if table.has("on_out_of_limit") and kind in _NUMERIC and not capture.has_limits:
                table.report(
                    "on_out_of_limit", "the capture has no lo or hi: nothing is out of limits"
                )
        else:
            table.forbid(
                "on_out_of_limit", "only number, tag and pass_fail captures can be out of limits"
            )
        table.finish()
        return capture

    def _capture_tag(self, table: Table, kind: CaptureKind) -> tuple[str | None, TagDef | None]:
        """The tag of a tag capture: its id, and its definition when the plant is known."""
        if kind is not CaptureKind.TAG:
            table.forbid("tag", "only a tag capture names a tag")
            return None, None
        tag_id = table.string("tag", required=True)
        if tag_id is None or not self._known_tag(table, ("tag",), tag_id):
            return tag_id, None
        return tag_id, self._tag_defs.get(tag_id)


# --- small readers ----------------------------------------------------------------------


def _syntax_position(message: str) -> tuple[str, int | None]:
    match = _TOML_POSITION.search(message)
    if match is None:
        return message, None
    return f"{message[: match.start()]} (column {match['column']})", int(match["line"])


def _products(root: Table) -> tuple[str, ...]:
    products: list[str] = []
    for index, product in root.strings("products"):
        at = root.at("products", index)
        if not product.strip() or product.strip("*") == "":
            root.problems.add(
                at,
                f'expected a product code or a family such as "COLA-*", got {quote(product)} '
                "(leave products out for every product)",
            )
        elif product in products:
            root.problems.add(at, f"{quote(product)} is listed twice")
        else:
            products.append(product)
    return tuple(products)


def _signoff(table: Table | None) -> SignOff:
    if table is None:
        return NO_SIGNOFF
    by = table.required_choice("by", _SIGNOFF_BY) or SignOffBy.NONE
    role = None
    if by is SignOffBy.SECOND_PERSON:
        role = table.required_choice("role", _ROLES)
    else:
        table.forbid("role", "only a second_person sign-off names a role")
    meaning = ""
    if by is SignOffBy.NONE:
        table.forbid("meaning", 'a sign-off by "none" has no meaning')
    else:
        meaning = table.required_string("meaning").strip()
    table.finish()
    return SignOff(by, role, meaning)


def _optional_number(table: Table, key: str) -> float | None:
    if not table.has(key):
        table.expect(key)
        return None
    number = table.number(key, math.nan)
    return None if math.isnan(number) else number


def _limits(table: Table, capture: Capture, tag: TagDef | None) -> Capture:
    """``lo``, ``hi``, ``unit`` and ``decimals`` of a number or tag capture.

    A tag capture takes its unit and decimals from the tag when it sets none.
    """
    lo, hi = _optional_number(table, "lo"), _optional_number(table, "hi")
    if lo is not None and hi is not None and lo > hi:
        table.report("hi", f"expected a number of at least lo ({show(lo)}), got {show(hi)}")
    numeric_tag = tag is not None and tag.data_type in (DataType.FLOAT, DataType.INT)
    unit = table.string("unit")
    if unit is None and tag is not None:
        unit = tag.unit
    decimals = None
    if table.has("decimals"):
        decimals = table.integer("decimals", 0, lo=0, hi=MAX_DECIMALS)
    elif tag is not None and numeric_tag:
        decimals = tag.precision if tag.data_type is DataType.FLOAT else 0
    if tag is not None and not numeric_tag and (lo is not None or hi is not None):
        table.report(
            "tag", f'limits need a "float" or "int" tag; {quote(tag.id)} is "{tag.data_type}"'
        )
    return replace(capture, lo=lo, hi=hi, unit=unit or "", decimals=decimals)


def _options(table: Table) -> tuple[str, ...]:
    items = table.strings("options", required=True)
    options: list[str] = []
    for index, option in items:
        if not option.strip():
            table.problems.add(table.at("options", index), "expected a non-empty option")
        elif option in options:
            table.problems.add(table.at("options", index), f"{quote(option)} is listed twice")
        else:
            options.append(option)
    if isinstance(table.raw("options"), list) and len(items) < 2:
        table.report("options", f"expected at least two options, got {len(items)}")
    return tuple(options)


def _pattern(table: Table) -> str | None:
    pattern = table.string("pattern")
    if pattern is None:
        return None
    try:
        re.compile(pattern)
    except re.error as error:
        table.report("pattern", f"not a valid regular expression: {error}")
        return None
    return pattern


def _missing(folder: Path, relative: str) -> str | None:
    """Why ``relative`` is not a file of ``folder``, written as on disk; None when it is."""
    current = folder
    for part in relative.split("/"):
        try:
            names = {
                unicodedata.normalize("NFC", entry.name): entry.name for entry in current.iterdir()
            }
        except OSError:
            return f"file not found: {quote(relative)}"
        if part not in names:
            by_case = {name.casefold(): name for name in names}
            if part.casefold() in by_case:
                return (
                    f"file not found: {quote(relative)}; on disk it is "
                    f"{quote(by_case[part.casefold()])} (names are case-sensitive)"
                )
            return f"file not found: {quote(relative)}" + did_you_mean(part, names)
        current = current / names[part]
    if not current.is_file():
        return f"{quote(relative)} is a folder, not a file"
    return None


def _looks_like(extension: str, data: bytes) -> bool:
    """Whether the first bytes fit the file's name: a renamed file is caught before the line is."""
    signatures: Mapping[str, bool] = {
        ".png": data.startswith(b"\x89PNG\r\n\x1a\n"),
        ".jpg": data.startswith(b"\xff\xd8\xff"),
        ".jpeg": data.startswith(b"\xff\xd8\xff"),
        ".pdf": b"%PDF-" in data[:1024],
        ".mp4": data[4:8] == b"ftyp",
        ".webm": data.startswith(b"\x1a\x45\xdf\xa3"),
    }
    return signatures.get(extension, False)
