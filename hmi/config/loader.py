"""Reading a plant file: from a path or a text to a validated ``PlantDef``.

Anything wrong with the file (unreadable, not UTF-8, not TOML, or not a valid
plant) is a ``ConfigError`` listing every problem found, never another
exception: the file comes from outside the program, so a bad one is an
environment error to show to the integrator, not a bug. The same entry points
serve the application at start-up and ``hmi check-config`` on the command line.
"""

from __future__ import annotations

import codecs
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from hmi.config.alarms import KnownStations, KnownTags, read_alarms
from hmi.config.fields import Problems, Table
from hmi.config.kiosk import read_kiosk
from hmi.config.locate import KeyLocator
from hmi.config.problems import (
    ConfigError,
    ConfigProblem,
    KeyPath,
    did_you_mean,
    format_key_path,
    plural,
    quote,
)
from hmi.config.production import read_production, read_reasons, read_shifts
from hmi.config.sources import check_conditions_station, read_source
from hmi.config.sync import read_history, read_storage, read_sync
from hmi.config.syntax import language_problem
from hmi.config.tags import read_tag
from hmi.config.users import read_sign_in_policy, read_users
from hmi.domain.plant import DataType, MachineState, PlantDef, Source, StationDef, TagDef

_TOML_POSITION = re.compile(r"\s*\(at line (?P<line>[0-9]+), column (?P<column>[0-9]+)\)\Z")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\Z")
_STATES = {state.value: state for state in MachineState}
_DATA_TYPES = {data_type.value: data_type for data_type in DataType}
# More pens than this cannot be told apart on one trend (nor listed beside it).
MAX_TREND_PENS = 32


def load_plant(path: str | os.PathLike[str]) -> PlantDef:
    """Read and validate the plant file at ``path``.

    Relative file paths inside it (certificates, password files) are resolved
    from the plant file's own folder, so that a plant folder can be moved whole.
    """
    file = os.fspath(path)
    text = _read_text(file)
    return _load(text, file, Path(file).absolute().parent)


def load_plant_text(text: str, path: str = "<text>") -> PlantDef:
    """Validate a plant file given as text; ``path`` only names it in problems.

    Relative file paths inside it are resolved from the current directory.
    """
    try:
        base_dir = Path.cwd()
    except OSError:  # the current directory was removed
        base_dir = Path()
    return _load(text.removeprefix("\ufeff"), path, base_dir)


def check_config(path: str | os.PathLike[str]) -> tuple[bool, str]:
    """What ``hmi check-config FILE`` prints, and whether the file is usable."""
    file = os.fspath(path)
    try:
        plant = load_plant(file)
    except ConfigError as error:
        lines = [problem.format() for problem in error.problems]
        lines.append(f"{file}: {plural(len(error.problems), 'problem')} found")
        return False, "\n".join(lines)
    summary = ", ".join(
        (
            plural(len(plant.sources), "source"),
            plural(len(plant.tags), "tag"),
            plural(len(plant.stations), "station"),
            plural(len(plant.users), "user"),
        )
    )
    return True, f"{file}: OK: plant {quote(plant.name)}, {summary}"


def _fail(file: str, line: int | None, message: str) -> ConfigError:
    return ConfigError([ConfigProblem(file, line, "", message)])


def _read_text(file: str) -> str:
    try:
        data = Path(file).read_bytes()
    except FileNotFoundError:
        raise _fail(file, None, "cannot read the plant file: no such file") from None
    except IsADirectoryError:
        raise _fail(file, None, "cannot read the plant file: it is a folder") from None
    except PermissionError:
        raise _fail(file, None, "cannot read the plant file: permission denied") from None
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        reason = getattr(error, "strerror", None) or str(error)
        raise _fail(file, None, f"cannot read the plant file: {reason}") from None
    data = data.removeprefix(codecs.BOM_UTF8)  # as saved by some Windows editors
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise _fail(
            file, line, f"the plant file must be UTF-8 text; byte 0x{data[error.start]:02x} is not"
        ) from None


def _parse(text: str, file: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line = _syntax_position(str(error), text)
        raise _fail(file, line, f"TOML syntax error: {message}") from None
    except RecursionError:
        raise _fail(file, None, "TOML error: arrays or tables nested too deeply") from None
    except ValueError:  # tomllib does not wrap int()'s limit of 4300 digits
        raise _fail(file, None, "TOML error: an integer has too many digits") from None


def _syntax_position(message: str, text: str) -> tuple[str, int | None]:
    """Split tomllib's ``... (at line 3, column 7)`` into a message and a line."""
    match = _TOML_POSITION.search(message)
    if match is not None:
        return f"{message[: match.start()]} (column {match['column']})", int(match["line"])
    match = _TOML_AT_END.search(message)
    if match is not None:
        return f"{message[: match.start()]} (at the end of the file)", text.rstrip().count("\n") + 1
    return message, None


def _load(text: str, file: str, base_dir: Path) -> PlantDef:
    document = _parse(text, file)
    problems = Problems()
    plant = _read_plant(Table(document, (), problems, base_dir), file)
    if problems:
        locator = KeyLocator(text)
        found = [
            ConfigProblem(file, locator.line_of(path), format_key_path(path), message)
            for path, message in problems.found
        ]
        found.sort(key=lambda problem: (problem.line is None, problem.line or 0))
        raise ConfigError(found)
    return plant


def _read_plant(root: Table, file: str) -> PlantDef:
    plant = root.table("plant", required=True)
    name = ""
    language = None
    if plant is not None:
        name = plant.required_string("name")
        language = plant.string("language")
        if language is not None and (problem := language_problem(language)):
            plant.report("language", problem)
        plant.finish()

    source_tables = root.tables("sources")
    sources: dict[str, Source | None] = {}
    for table in source_tables:
        source = read_source(table)
        sources.setdefault(source.id if source else _declared_id(table), source)
    sources.pop("", None)
    _check_unique(source_tables, "source")

    tag_tables = root.tables("tags")
    known_sources = sources if _readable(root, "sources") else None
    tags = [tag for table in tag_tables if (tag := read_tag(table, known_sources)) is not None]
    _check_unique(tag_tables, "tag")

    tag_types: dict[str, DataType | None] = {}
    for table in tag_tables:
        tag_types.setdefault(_declared_id(table), _declared_type(table))
    tag_types.pop("", None)
    known_tags = tag_types if _readable(root, "tags") else None
    station_tables = root.tables("stations")
    stations = [_read_station(table, known_tags) for table in station_tables]
    _check_unique(station_tables, "station")
    known_stations = _known_stations(root, station_tables, stations)
    for table in source_tables:
        check_conditions_station(table, None if known_stations is None else known_stations.by_id)

    alarm_tables = root.tables("alarms")
    tag_defs: dict[str, TagDef] = {}
    for tag in tags:
        tag_defs.setdefault(tag.id, tag)
    alarms, completed = read_alarms(alarm_tables, KnownTags(known_tags, tag_defs), known_stations)
    _check_unique(alarm_tables, "alarm")
    # Limits that only an alarm gives are drawn on the tag's trends all the same.
    tags = [replace(tag, limits=completed.get(tag.id, tag.limits)) for tag in tags]

    sign_in = read_sign_in_policy(root.table("security"))
    user_tables = root.tables("users")
    users = read_users(user_tables)
    _check_unique(user_tables, "user")
    storage = read_storage(root.table("storage"))
    sync = read_sync(root.table("sync"))
    history = read_history(root.table("history"))
    if (
        history.path is not None
        and storage.path is not None
        and Path(history.path) == Path(storage.path)
    ):
        root.problems.add(
            root.at("history", "path"),
            "is the cache file of [storage]; the history needs a file of its own",
        )
    reasons = read_reasons(root.tables("reasons"))
    shifts = read_shifts(root.table("shifts"))
    instructions = _instructions_folder(root.table("instructions"))
    kiosk = read_kiosk(root.table("kiosk"))

    root.finish()
    return PlantDef(
        name=name,
        sources=tuple(source for source in sources.values() if source is not None),
        tags=tuple(tags),
        stations=tuple(stations),
        path=file,
        users=tuple(users),
        sign_in=sign_in,
        storage=storage,
        sync=sync,
        history=history,
        alarms=alarms,
        reasons=reasons,
        shifts=shifts,
        instructions=instructions,
        kiosk=kiosk,
        language=language,
    )


def _instructions_folder(table: Table | None) -> str | None:
    """``[instructions] folder = "..."``: where the work instructions are, from the plant file."""
    if table is None:
        return None
    folder = table.folder("folder")
    table.finish()
    return folder


def _readable(root: Table, key: str) -> bool:
    """Whether the ids declared under ``key`` are known (absent counts as none declared)."""
    return isinstance(root.data.get(key, []), list)


def _known_stations(
    root: Table, tables: list[Table], stations: list[StationDef]
) -> KnownStations | None:
    """The stations alarms and sources may name; None when ``stations`` is unreadable."""
    if not _readable(root, "stations"):
        return None
    by_id: dict[str, StationDef] = {}
    complete = True
    for table, station in zip(tables, stations, strict=True):
        by_id.setdefault(_declared_id(table), station)
        listed = table.data.get("tags", [])
        complete &= isinstance(listed, list) and len(listed) == len(station.tags)
    by_id.pop("", None)
    return KnownStations(by_id, complete)


def _declared_id(table: Table) -> str:
    """The id a table was given, even if invalid: others may refer to it."""
    value = table.data.get("id")
    return value if isinstance(value, str) else ""


def _declared_type(table: Table) -> DataType | None:
    """The data type a tag was given; None when it is not one (its own problem)."""
    value = table.data.get("type", DataType.FLOAT.value)
    return _DATA_TYPES.get(value) if isinstance(value, str) else None


def _check_unique(tables: list[Table], what: str) -> None:
    first: dict[str, KeyPath] = {}
    for table in tables:
        declared = _declared_id(table)
        if not declared:
            continue
        if declared in first:
            where = format_key_path(first[declared])
            table.report("id", f"duplicate {what} id {quote(declared)}, first used at {where}")
        else:
            first[declared] = table.path


def _read_station(table: Table, tag_ids: Mapping[str, DataType | None] | None) -> StationDef:
    """One station; ``tag_ids`` is None when ``tags`` is unreadable and nothing can be checked.

    Otherwise it maps each declared tag id to its data type (None when that is unreadable).
    """
    station_id = table.identifier("id")
    name = table.string("name") or station_id
    tags: list[str] = []
    for index, tag_id in table.strings("tags"):
        if tag_ids is not None and tag_id not in tag_ids:
            message = f"no tag has the id {quote(tag_id)}" + did_you_mean(tag_id, tag_ids)
            table.problems.add(table.at("tags", index), message)
        elif tag_id in tags:
            table.problems.add(table.at("tags", index), f"{quote(tag_id)} is listed twice")
        else:
            tags.append(tag_id)
    state_tag = table.string("state_tag")
    if state_tag is not None and tag_ids is not None and state_tag not in tag_ids:
        message = f"no tag has the id {quote(state_tag)}" + did_you_mean(state_tag, tag_ids)
        table.report("state_tag", message)
    state_map = _read_state_map(table)
    if state_map and not table.has("state_tag"):
        table.report("state_map", "needs a state_tag: the tag whose raw values it maps")
    trend = _read_trend(table, tag_ids)
    production_table = table.table("production")
    production = None
    if production_table is not None:
        production = read_production(production_table, tag_ids)
        if not table.has("state_tag"):
            table.report(
                "production", "needs a state_tag: stops are detected from the machine state"
            )
    table.finish()
    return StationDef(
        station_id, name, tuple(tags), state_tag, state_map, trend, production=production
    )


def _read_trend(table: Table, tag_ids: Mapping[str, DataType | None] | None) -> tuple[str, ...]:
    """``trend = [tag ids]``: the pens of the station's trend page, in order.

    Absent is empty, which the trend page reads as "the station's trendable tags".
    """
    items = table.strings("trend")
    if table.raw("trend") == []:
        table.report(
            "trend",
            "expected at least one tag id, got an empty array "
            "(leave trend out to draw the station's trendable tags)",
        )
    elif len(items) > MAX_TREND_PENS:
        table.report("trend", f"expected at most {MAX_TREND_PENS} tag ids, got {len(items)}")
    pens: list[str] = []
    for index, tag_id in items:
        if tag_ids is not None and tag_id not in tag_ids:
            message = f"no tag has the id {quote(tag_id)}" + did_you_mean(tag_id, tag_ids)
            table.problems.add(table.at("trend", index), message)
        elif tag_id in pens:
            table.problems.add(table.at("trend", index), f"{quote(tag_id)} is listed twice")
        elif tag_ids is not None and tag_ids[tag_id] is DataType.STRING:
            table.problems.add(
                table.at("trend", index),
                f'{quote(tag_id)} is a "string" tag: string values cannot be drawn on a trend',
            )
        else:
            pens.append(tag_id)
    return tuple(pens)


def _read_state_map(station: Table) -> dict[str, MachineState]:
    """``[stations.state_map]``: raw value of the state tag, as text -> machine state.

    Keys are stored in lower case, as ``StationDef.machine_state`` looks them up.
    """
    table = station.table("state_map")
    if table is None:
        return {}
    state_map: dict[str, MachineState] = {}
    for raw in list(table.keys()):
        state = table.required_choice(raw, _STATES)
        key = raw.lower()
        if key in state_map:
            table.report(raw, "the same raw value is mapped twice (keys ignore case)")
        elif state is not None:
            state_map[key] = state
    table.finish()
    return state_map
