"""Work instructions on disk: the demo's, every mistake refused with its file and line,
the version hash, binding to station and product, captured values, ``hmi instructions check``."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from hmi.app.cli import main
from hmi.config.instructions import MANIFEST, load_instruction, load_instructions
from hmi.config.problems import ConfigProblem
from hmi.domain.instructions import (
    Capture,
    CaptureKind,
    CaptureStatus,
    Instruction,
    MediaKind,
    OutOfLimit,
    SignOffBy,
    Step,
    check_capture,
    select,
    short_version,
    version_hash,
)
from hmi.domain.plant import PlantDef
from hmi.domain.roles import Role
from hmi.sim import demo_plant_path

DEMO = demo_plant_path().parent / "instructions"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)

BASE = """\
id = "fill-check"
title = "Fill check"
stations = ["filler"]

[[steps]]
id = "one"
title = "Take a bottle"
file = "one.md"
tags = ["filler.speed"]

[[steps.media]]
path = "media/picture.png"
caption = "Where to take it"

[[steps.captures]]
id = "volume"
kind = "number"
label = "Volume"
lo = 498
hi = 505
unit = "ml"
decimals = 1

[[steps]]
id = "two"
title = "Look at it"
file = "two.md"

[[steps.captures]]
id = "looks_right"
kind = "pass_fail"
label = "Looks right"
"""
FILES = {
    "one.md": b"Take one bottle off the line.\n",
    "two.md": b"Look at the **seal**.\n",
    "media/picture.png": PNG,
}


def make(folder: Path, manifest: str = BASE, files: dict[str, bytes] | None = None) -> Path:
    """An instruction folder with ``manifest`` and ``files`` (default FILES)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).write_text(manifest, encoding="utf-8")
    for name, data in (FILES if files is None else files).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def line_of(text: str, marker: str, after: str = "") -> int:
    """The 1-based line of the first ``marker`` in ``text`` (at or after the line of ``after``)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and marker in line) + 1


def only_problem(folder: Path, plant: PlantDef | None = None) -> ConfigProblem:
    instructions, problems = load_instructions(folder, plant)
    assert instructions == []
    assert len(problems) == 1, [problem.format() for problem in problems]
    return problems[0]


# --- the demo's instructions -------------------------------------------------------------


def test_the_demo_instructions_load_against_the_demo_plant(demo_plant: PlantDef) -> None:
    instructions, problems = load_instructions(DEMO, demo_plant)
    assert problems == []
    by_id = {instruction.id: instruction for instruction in instructions}
    assert list(by_id) == ["capper-torque-check", "filler-changeover", "labeler-roll-change"]
    for instruction in instructions:
        assert len(instruction.version) == 64 and int(instruction.version, 16) >= 0
        assert instruction.short_version == instruction.version[:12]
        assert instruction.steps and all(step.body.strip() for step in instruction.steps)
        assert Path(instruction.folder).is_dir()
        for step in instruction.steps:
            for media in step.media:
                assert (Path(instruction.folder) / media.path).is_file()
    kinds = {
        media.kind
        for instruction in instructions
        for step in instruction.steps
        for media in step.media
    }
    assert kinds == set(MediaKind), "the demo shows a picture, a document and a video"

    filler = by_id["filler-changeover"]
    assert filler.stations == ("filler",) and filler.products == ()
    assert filler.signoff.by is SignOffBy.SECOND_PERSON and filler.signoff.role is Role.LEAD
    captures = {capture.id: capture for capture in filler.captures()}
    volume = captures["fill_volume"]
    limits = (volume.kind, volume.lo, volume.hi, volume.unit, volume.decimals)
    assert limits == (CaptureKind.NUMBER, 498, 505, "ml", 1)
    assert volume.on_out_of_limit is OutOfLimit.LEAD
    assert captures["seal_check"].kind is CaptureKind.PASS_FAIL
    assert captures["format"].options == ("0.33 l", "0.5 l", "1.0 l")
    pressure = captures["fill_pressure"]
    # The tag capture takes its unit and decimals from the tag.
    taken = (pressure.kind, pressure.tag, pressure.unit, pressure.decimals)
    assert taken == (CaptureKind.TAG, "filler.pressure", "bar", 2)
    assert filler.steps[-1].signoff.by is SignOffBy.OPERATOR

    capper = by_id["capper-torque-check"]
    torques = [capture for capture in capper.captures() if capture.id.startswith("torque")]
    assert len(torques) == 3
    assert all(
        (c.lo, c.hi, c.unit, c.on_out_of_limit) == (1.9, 2.5, "N·m", OutOfLimit.LEAD)
        for c in torques
    )
    serial = next(c for c in capper.captures() if c.kind is CaptureKind.SERIAL)
    assert check_capture(serial, "CP-240517-0042").ok
    assert check_capture(serial, "CP-2405170042").status is CaptureStatus.INVALID

    labeler = by_id["labeler-roll-change"]
    kinds = [capture.kind for capture in labeler.captures()]
    assert kinds.count(CaptureKind.CHECKBOX) >= 3 and CaptureKind.BARCODE in kinds
    assert labeler.steps[0].tags == ("labeler.low_label", "labeler.speed")


def test_the_demo_pictures_are_small_pngs() -> None:
    pictures = sorted(DEMO.glob("*/media/*.png"))
    assert len(pictures) >= 3
    for picture in pictures:
        data = picture.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(data) < 60_000, picture


def test_the_base_instruction_loads(tmp_path: Path, demo_plant: PlantDef) -> None:
    instruction, problems = load_instruction(make(tmp_path / "fill"), demo_plant)
    assert problems == [] and instruction is not None
    one, two = instruction.steps
    assert one == Step(
        "one",
        "Take a bottle",
        "Take one bottle off the line.\n",
        "one.md",
        one.media,
        ("filler.speed",),
        one.captures,
    )
    assert [(m.kind, m.path, m.caption, m.page) for m in one.media] == [
        (MediaKind.IMAGE, "media/picture.png", "Where to take it", None)
    ]
    assert two.captures[0].kind is CaptureKind.PASS_FAIL
    assert instruction.signoff.by is SignOffBy.NONE


# --- every mistake, with its file and line ----------------------------------------------

# (name, manifest text replaced -> by, marker on the problem's line, part of the message);
# "A>>B" marks the first line with B after the first line with A.
MISTAKES = [
    (
        "missing step file",
        ('file = "two.md"', 'file = "tow.md"'),
        "tow.md",
        'file not found: "tow.md" (did you mean "two.md"?)',
    ),
    (
        "missing media file",
        ('path = "media/picture.png"', 'path = "media/photo.png"'),
        "photo.png",
        'file not found: "media/photo.png"',
    ),
    (
        "unknown station",
        ('stations = ["filler"]', 'stations = ["filer"]'),
        "stations",
        'stations[0]: no station has the id "filer" (did you mean "filler"?)',
    ),
    (
        "unknown tag",
        ('tags = ["filler.speed"]', 'tags = ["filler.sped"]'),
        "tags",
        'no tag has the id "filler.sped" (did you mean "filler.speed"?)',
    ),
    (
        "lo above hi",
        ("hi = 505", "hi = 490"),
        "hi = 490",
        "steps[0].captures[0].hi: expected a number of at least lo (498), got 490",
    ),
    (
        "negative decimals",
        ("decimals = 1", "decimals = -1"),
        "decimals",
        "decimals: expected an integer from 0 to 6, got -1",
    ),
    (
        "duplicate step id",
        ('id = "two"', 'id = "one"'),
        'decimals = 1>>id = "one"',
        'steps[1].id: duplicate step id "one", first used at steps[0]',
    ),
    (
        "duplicate capture id across steps",
        ('id = "looks_right"', 'id = "volume"'),
        'Look at it>>id = "volume"',
        'duplicate capture id "volume", first used at steps[0].captures[0]',
    ),
    (
        "unknown key",
        ('caption = "Where to take it"', 'captoin = "Where to take it"'),
        "captoin",
        'steps[0].media[0].captoin: unknown key (did you mean "caption"?)',
    ),
    (
        "options on a number",
        ("decimals = 1", 'decimals = 1\noptions = ["a", "b"]'),
        "options",
        "only a choice capture has options",
    ),
    (
        "a choice of one",
        ('kind = "pass_fail"', 'kind = "choice"\noptions = ["only"]'),
        "options",
        "expected at least two options, got 1",
    ),
    (
        "a bad pattern",
        ('kind = "pass_fail"', 'kind = "serial"\npattern = "CP-[0-9"'),
        "pattern",
        "pattern: not a valid regular expression",
    ),
    (
        "a page of an image",
        ('caption = "Where to take it"', 'caption = "Where"\npage = 2'),
        "page = 2",
        "only a pdf has pages",
    ),
    (
        "a capture kind that does not exist",
        ('kind = "pass_fail"', 'kind = "passfail"'),
        "passfail",
        '(did you mean "pass_fail"?)',
    ),
    (
        "a path out of the folder",
        ('file = "two.md"', 'file = "../two.md"'),
        "../two.md",
        '"../two.md" is outside the instruction folder',
    ),
    (
        "a Windows path",
        ('path = "media/picture.png"', 'path = "media\\\\picture.png"'),
        "picture.png",
        'use "/" between folders',
    ),
    (
        "a file name in the wrong case",
        ('path = "media/picture.png"', 'path = "media/Picture.png"'),
        "Picture.png",
        'on disk it is "picture.png" (names are case-sensitive)',
    ),
    (
        "a second person with no role",
        (
            'stations = ["filler"]',
            'stations = ["filler"]\nsignoff = { by = "second_person", meaning = "Verified" }',
        ),
        "signoff",
        "signoff.role: required key is missing (expected one of: operator, lead,",
    ),
    (
        "a sign-off without its meaning",
        ('stations = ["filler"]', 'stations = ["filler"]\nsignoff = { by = "operator" }'),
        "signoff",
        "signoff.meaning: required key is missing",
    ),
    (
        "limits on a string tag",
        (
            'kind = "pass_fail"\nlabel = "Looks right"',
            'kind = "tag"\nlabel = "State"\ntag = "capper.state"\nlo = 1',
        ),
        'tag = "capper.state"',
        'limits need a "float" or "int" tag; "capper.state" is "string"',
    ),
    (
        "a tag on a number capture",
        ("decimals = 1", 'decimals = 1\ntag = "filler.speed"'),
        'tag = "filler.speed"',
        "only a tag capture names a tag",
    ),
    (
        "no stations",
        ('stations = ["filler"]', "stations = []"),
        "stations",
        "expected at least one station id, got an empty array",
    ),
    (
        "a lead on a number without limits",
        ("lo = 498\nhi = 505", 'on_out_of_limit = "lead"'),
        "on_out_of_limit",
        "the capture has no lo or hi: nothing is out of limits",
    ),
]


@pytest.mark.parametrize(
    ("replace", "marker", "message"),
    [case[1:] for case in MISTAKES],
    ids=[case[0] for case in MISTAKES],
)
def test_a_mistake_in_the_manifest_is_reported_with_its_line(
    tmp_path: Path,
    demo_plant: PlantDef,
    replace: tuple[str, str],
    marker: str,
    message: str,
) -> None:
    old, new = replace
    assert old in BASE
    manifest = BASE.replace(old, new, 1)
    folder = make(tmp_path / "fill", manifest)
    problem = only_problem(folder, demo_plant)
    assert problem.file == str(folder / MANIFEST)
    after, _, marker = marker.rpartition(">>")
    expected_line = line_of(manifest, marker, after)
    assert problem.line == expected_line, problem.format()
    assert message in problem.format(), problem.format()


def test_an_unsupported_media_type_is_refused(tmp_path: Path) -> None:
    manifest = BASE.replace("media/picture.png", "media/picture.gif")
    folder = make(tmp_path / "fill", manifest, {**FILES, "media/picture.gif": b"GIF89a"})
    problem = only_problem(folder)
    assert problem.line == line_of(manifest, "picture.gif")
    assert 'unsupported media type ".gif": use images .png, .jpg or .jpeg' in problem.message


def test_a_media_file_must_be_what_its_name_says(tmp_path: Path) -> None:
    folder = make(tmp_path / "fill", BASE, {**FILES, "media/picture.png": b"not a picture"})
    problem = only_problem(folder)
    assert problem.line == line_of(BASE, "picture.png")
    assert problem.message == '"media/picture.png" is not a PNG file by its content'


def test_a_declared_kind_must_fit_the_file(tmp_path: Path) -> None:
    manifest = BASE.replace('caption = "Where to take it"', 'kind = "video"')
    problem = only_problem(make(tmp_path / "fill", manifest))
    assert problem.line == line_of(manifest, 'kind = "video"')
    assert problem.message == '"media/picture.png" is an image by its name, not a video'


def test_a_pdf_opens_at_a_page(tmp_path: Path) -> None:
    manifest = BASE.replace(
        'path = "media/picture.png"\ncaption = "Where to take it"',
        'path = "media/sheet.pdf"\npage = 3',
    )
    folder = make(tmp_path / "fill", manifest, {**FILES, "media/sheet.pdf": b"%PDF-1.7\n%%EOF\n"})
    instruction, problems = load_instruction(folder)
    assert problems == [] and instruction is not None
    media = instruction.steps[0].media[0]
    assert (media.kind, media.page) == (MediaKind.PDF, 3)


def test_an_instruction_without_steps_is_refused(tmp_path: Path) -> None:
    manifest = BASE[: BASE.index("[[steps]]")]
    problem = only_problem(make(tmp_path / "fill", manifest, {}))
    assert problem.file == str(tmp_path / "fill" / MANIFEST)
    assert "the instruction has no steps: add [[steps]] entries" in problem.message
    written = manifest + "steps = []\n"
    problem = only_problem(make(tmp_path / "written", written, {}))
    assert problem.line == line_of(written, "steps = []")


def test_a_toml_syntax_error_has_its_line(tmp_path: Path) -> None:
    manifest = BASE.replace("hi = 505", "hi = = 505")
    problem = only_problem(make(tmp_path / "fill", manifest))
    assert problem.line == line_of(manifest, "hi = = 505")
    assert problem.message.startswith("TOML syntax error: ")


def test_problems_in_a_step_file_name_that_file_and_line(tmp_path: Path) -> None:
    files = {
        **FILES,
        "one.md": b"Take one.\n\nLike this: ![bottle](media/picture.png)\n",
        "two.md": b"ok\n\xff\n",
    }
    instructions, problems = load_instructions(make(tmp_path / "fill", BASE, files))
    assert instructions == []
    assert [(Path(p.file).name, p.line) for p in problems] == [("one.md", 3), ("two.md", 2)]
    assert "pictures in the step's text are not shown" in problems[0].message
    assert problems[1].message == "must be UTF-8 text; byte 0xff is not"
    empty = make(tmp_path / "empty", BASE, {**FILES, "two.md": b"  \n"})
    assert only_problem(empty).message == "the step's text is empty"


def test_without_a_plant_stations_and_tags_are_not_checked(tmp_path: Path) -> None:
    manifest = BASE.replace('["filler"]', '["nowhere"]').replace("filler.speed", "no.such.tag")
    instruction, problems = load_instruction(make(tmp_path / "fill", manifest))
    assert problems == [] and instruction is not None
    assert instruction.stations == ("nowhere",)


def test_every_problem_is_reported_in_one_pass(tmp_path: Path, demo_plant: PlantDef) -> None:
    manifest = (
        BASE.replace('["filler"]', '["filer"]')
        .replace("hi = 505", "hi = 400")
        .replace('file = "two.md"', 'file = "gone.md"')
    )
    _, problems = load_instructions(make(tmp_path / "fill", manifest), demo_plant)
    assert [problem.line for problem in problems] == [
        line_of(manifest, "filer"),
        line_of(manifest, "hi = 400"),
        line_of(manifest, "gone.md"),
    ]


def test_a_folder_of_instructions_loads_each_and_reports_strays(tmp_path: Path) -> None:
    make(tmp_path / "b-second", BASE.replace('"fill-check"', '"second"'))
    make(tmp_path / "a-first", BASE)
    (tmp_path / "notes").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "README.md").write_text("About these instructions\n", encoding="utf-8")
    instructions, problems = load_instructions(tmp_path)
    assert [instruction.id for instruction in instructions] == ["fill-check", "second"]
    assert [(p.file, p.message) for p in problems] == [
        (str(tmp_path / "notes"), f"no {MANIFEST} in this folder: it is not an instruction")
    ]


def test_a_bad_instruction_does_not_hide_the_good_ones(tmp_path: Path) -> None:
    make(tmp_path / "good", BASE)
    make(tmp_path / "bad", BASE.replace('"fill-check"', '"bad"').replace("one.md", "none.md"))
    instructions, problems = load_instructions(tmp_path)
    assert [instruction.id for instruction in instructions] == ["fill-check"]
    assert len(problems) == 1 and problems[0].file == str(tmp_path / "bad" / MANIFEST)


def test_an_empty_or_missing_folder_is_a_problem(tmp_path: Path) -> None:
    assert only_problem(tmp_path).message.startswith("no instructions found")
    missing = tmp_path / "nowhere"
    assert only_problem(missing) == ConfigProblem(str(missing), None, "", "no such folder")


def test_one_id_twice_is_refused_unless_for_other_products(tmp_path: Path) -> None:
    make(tmp_path / "a", BASE)
    make(tmp_path / "b", BASE)
    instructions, problems = load_instructions(tmp_path)
    assert [instruction.folder for instruction in instructions] == [str(tmp_path / "a")]
    assert len(problems) == 1
    assert problems[0].file == str(tmp_path / "b" / MANIFEST) and problems[0].line == 1
    assert problems[0].message == (
        f'instruction "fill-check" for every product is at {tmp_path / "a" / MANIFEST}:1 too: '
        "the same id is used again only for other products"
    )

    variant = BASE.replace('stations = ["filler"]', 'stations = ["filler"]\nproducts = ["COLA-*"]')
    make(tmp_path / "b", variant)
    instructions, problems = load_instructions(tmp_path)
    assert problems == [] and len(instructions) == 2


# --- the version hash --------------------------------------------------------------------


def version_of(folder: Path) -> str:
    instruction, problems = load_instruction(folder)
    assert problems == [] and instruction is not None
    return instruction.version


def test_the_version_is_sha256_over_paths_and_bytes_in_a_fixed_order() -> None:
    files = {"instruction.toml": b"id = 1\n", "b.md": b"B", "a/z.png": PNG}
    expected = hashlib.sha256(b"floorline instruction 1\0")
    for name in ("a/z.png", "b.md", "instruction.toml"):
        data = files[name]
        expected.update(len(name).to_bytes(8, "big") + name.encode())
        expected.update(len(data).to_bytes(8, "big") + data)
    assert version_hash(files) == expected.hexdigest()
    assert version_hash(dict(reversed(files.items()))) == expected.hexdigest()
    # Length prefixes: moving a byte from a path into its content is another version.
    assert version_hash({"ab": b"c"}) != version_hash({"a": b"bc"})
    assert short_version(expected.hexdigest()) == expected.hexdigest()[:12]


def test_the_version_is_the_same_wherever_the_folder_is(tmp_path: Path) -> None:
    first = version_of(make(tmp_path / "here"))
    copy = tmp_path / "elsewhere" / "deeper"
    shutil.copytree(tmp_path / "here", copy)
    for path in copy.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    assert version_of(copy) == first


def test_the_version_does_not_depend_on_the_order_files_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make(tmp_path / "fill")
    first = version_of(folder)
    listed = Path.iterdir
    monkeypatch.setattr(Path, "iterdir", lambda self: iter(sorted(listed(self), reverse=True)))
    assert version_of(folder) == first
    instructions, _ = load_instructions(tmp_path)
    assert [instruction.version for instruction in instructions] == [first]


@pytest.mark.parametrize("name", ["one.md", "media/picture.png", MANIFEST])
def test_one_changed_byte_gives_a_new_version(tmp_path: Path, name: str) -> None:
    folder = make(tmp_path / "fill")
    first = version_of(folder)
    path = folder / name
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01 if name != MANIFEST else 0x00
    if name == MANIFEST:
        data += b"# a comment\n"
    path.write_bytes(bytes(data))
    assert version_of(folder) != first


def test_files_the_manifest_does_not_name_are_not_part_of_the_version(tmp_path: Path) -> None:
    folder = make(tmp_path / "fill")
    first = version_of(folder)
    (folder / "drawing-source.svg").write_text("<svg/>", encoding="utf-8")
    assert version_of(folder) == first


# --- which instructions apply -------------------------------------------------------------


def instruction(
    instruction_id: str, stations: tuple[str, ...] = ("filler",), products: tuple[str, ...] = ()
) -> Instruction:
    step = Step("s", "Step", "Text")
    version = version_hash({"id": f"{instruction_id}{products}".encode()})
    return Instruction(instruction_id, instruction_id, version, stations, (step,), products)


def test_select_binds_to_the_station() -> None:
    filler, capper = instruction("a"), instruction("b", ("capper",))
    both = instruction("c", ("filler", "capper"))
    assert select([filler, capper, both], "filler", None) == [filler, both]
    assert select([filler, capper, both], "capper", "COLA-050") == [capper, both]
    assert select([filler, capper, both], "labeler", None) == []


def test_an_instruction_without_products_applies_to_every_product() -> None:
    generic = instruction("changeover")
    assert select([generic], "filler", None) == [generic]
    assert select([generic], "filler", "ANY-PRODUCT") == [generic]


def test_a_product_instruction_applies_only_to_its_products() -> None:
    cola = instruction("rinse", products=("COLA-050", "COLA-150"))
    assert select([cola], "filler", "COLA-150") == [cola]
    assert select([cola], "filler", "WATER-050") == []
    assert select([cola], "filler", None) == [], "an unknown product matches no product list"


def test_exact_product_beats_family_beats_every_product() -> None:
    generic = instruction("changeover")
    family = instruction("changeover", products=("COLA-*",))
    narrower = instruction("changeover", products=("COLA-0*",))
    exact = instruction("changeover", products=("COLA-050",))
    other = instruction("torque")
    given = [generic, exact, family, narrower, other]
    assert select(given, "filler", "COLA-050") == [exact, other]
    assert select(given, "filler", "COLA-070") == [narrower, other]
    assert select(given, "filler", "COLA-150") == [family, other]
    assert select(given, "filler", "WATER-050") == [generic, other]
    assert select(given, "filler", None) == [generic, other]


def test_on_a_tie_the_first_given_wins() -> None:
    left = instruction("x", products=("A*",))
    right = instruction("x", products=("*B",))
    assert select([left, right], "filler", "AB") == [left]
    assert select([right, left], "filler", "AB") == [right]


# --- checking captured values --------------------------------------------------------------


def capture(kind: CaptureKind, **fields: object) -> Capture:
    return Capture("c", kind, "Value", **fields)  # type: ignore[arg-type]


def status(kind: CaptureKind, value: object, **fields: object) -> CaptureStatus:
    return check_capture(capture(kind, **fields), value).status


OK, OUT, INVALID = CaptureStatus.OK, CaptureStatus.OUT_OF_LIMITS, CaptureStatus.INVALID


def test_a_checkbox() -> None:
    assert status(CaptureKind.CHECKBOX, True) is OK
    assert check_capture(capture(CaptureKind.CHECKBOX), False).message == "Value: must be ticked"
    assert status(CaptureKind.CHECKBOX, False, required=False) is OK
    assert status(CaptureKind.CHECKBOX, "yes") is INVALID


def test_pass_fail() -> None:
    assert check_capture(capture(CaptureKind.PASS_FAIL), True).value == "pass"
    assert check_capture(capture(CaptureKind.PASS_FAIL), " Pass ").value == "pass"
    failed = check_capture(capture(CaptureKind.PASS_FAIL), "fail")
    assert (failed.status, failed.value, failed.code) == (OUT, "fail", "fail")
    assert status(CaptureKind.PASS_FAIL, "maybe") is INVALID


def test_a_number_with_limits_unit_and_decimals() -> None:
    torque = capture(CaptureKind.NUMBER, lo=1.9, hi=2.5, unit="N·m", decimals=2)
    assert check_capture(torque, "2.20") == check_capture(torque, 2.2)
    assert check_capture(torque, "2.2").value == 2.2
    assert check_capture(torque, 1.9).ok and check_capture(torque, 2.5).ok, "limits included"
    low = check_capture(torque, "1.85")
    assert (low.status, low.value, low.code) == (OUT, 1.85, "below_lo")
    assert low.message == "Value: 1.85 N·m is below the lower limit 1.90 N·m"
    high = check_capture(torque, 2.6)
    assert (high.status, high.code) == (OUT, "above_hi")
    assert check_capture(torque, 2.504).ok, "rounded to the capture's decimals first"
    assert check_capture(torque, "2.505").code == "too_many_decimals"
    for bad in ("two", "2,2", "", True, float("nan"), float("inf"), [2]):
        assert status(CaptureKind.NUMBER, bad, lo=1.9) is INVALID, bad
    assert status(CaptureKind.NUMBER, "-3", lo=0) is OUT
    assert status(CaptureKind.NUMBER, ".5") is OK
    assert status(CaptureKind.NUMBER, 1e9) is OK, "no limits: any finite number"


def test_text() -> None:
    result = check_capture(capture(CaptureKind.TEXT), "  Torn web at the splice  ")
    assert (result.status, result.value) == (OK, "Torn web at the splice")
    assert status(CaptureKind.TEXT, "") is INVALID
    assert status(CaptureKind.TEXT, None, required=False) is OK
    assert status(CaptureKind.TEXT, "x" * 501) is INVALID
    assert status(CaptureKind.TEXT, "line\x00") is INVALID
    assert status(CaptureKind.TEXT, 42) is INVALID


def test_a_choice() -> None:
    formats = ("0.33 l", "0.5 l")
    assert status(CaptureKind.CHOICE, "0.5 l", options=formats) is OK
    result = check_capture(capture(CaptureKind.CHOICE, options=formats), "1 l")
    assert (result.status, result.message) == (INVALID, "Value: expected one of: 0.33 l, 0.5 l")


@pytest.mark.parametrize("kind", [CaptureKind.SERIAL, CaptureKind.BARCODE])
def test_a_serial_or_barcode_with_and_without_a_pattern(kind: CaptureKind) -> None:
    assert status(kind, "L20240517", pattern="L[0-9]{8}") is OK
    result = check_capture(capture(kind, pattern="L[0-9]{8}"), "L2024051")
    assert (result.status, result.code) == (INVALID, "pattern_mismatch")
    assert status(kind, "L20240517x", pattern="L[0-9]{8}") is INVALID, "the whole value"
    assert status(kind, "anything") is OK
    assert status(kind, " ") is INVALID


def test_a_tag_value() -> None:
    pressure = capture(CaptureKind.TAG, tag="filler.pressure", lo=2.7, hi=3.4, decimals=2)
    assert check_capture(pressure, 3.0).ok
    assert check_capture(pressure, 3.456).status is OUT
    assert check_capture(pressure, 3) == check_capture(pressure, 3.0)
    assert check_capture(pressure, None).code == "missing", "no good value: cannot confirm"
    optional = capture(CaptureKind.TAG, tag="capper.state", required=False)
    assert check_capture(optional, None).status is INVALID, "a tag capture always needs a value"
    assert check_capture(optional, "running").value == "running"
    assert check_capture(optional, True).value is True


def test_a_required_capture_needs_a_value() -> None:
    for kind in CaptureKind:
        result = check_capture(capture(kind, options=("a", "b")), None)
        assert (result.status, result.code) == (INVALID, "missing"), kind


# --- hmi instructions check ------------------------------------------------------------------


def test_check_accepts_the_demo_instructions(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["instructions", "check", str(DEMO), "--plant", str(demo_plant_path())])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    instructions, _ = load_instructions(DEMO)
    for found in instructions:
        assert f'{found.id}  {found.short_version}  "{found.title}"' in out
    assert out.splitlines()[-1] == (
        f"{DEMO}: OK: 3 instructions (checked against {demo_plant_path()})"
    )


def test_check_takes_one_instruction_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["instructions", "check", str(DEMO / "capper-torque-check")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("capper-torque-check  ")
    assert "stations and tags not checked: give --plant FILE" in out


def test_check_prints_every_problem_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make(tmp_path / "good", BASE.replace('"fill-check"', '"good"'))
    manifest = BASE.replace('["filler"]', '["filer"]').replace("hi = 505", "hi = 400")
    make(tmp_path / "bad", manifest)
    code = main(["instructions", "check", str(tmp_path), "--plant", str(demo_plant_path())])
    out, err = capsys.readouterr()
    assert code == 1
    bad = tmp_path / "bad" / MANIFEST
    assert err.splitlines() == [
        f'{bad}:{line_of(manifest, "filer")}: stations[0]: no station has the id "filer"'
        ' (did you mean "filler"?)',
        f"{bad}:{line_of(manifest, 'hi = 400')}: steps[0].captures[0].hi:"
        " expected a number of at least lo (498), got 400",
        f"{tmp_path}: 2 problems found; 1 instruction good (checked against {demo_plant_path()})",
    ]
    assert out.startswith("good  ") and "Traceback" not in err


def test_check_refuses_a_bad_plant_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plant = tmp_path / "plant.toml"
    plant.write_text("[plant]\n", encoding="utf-8")
    assert main(["instructions", "check", str(DEMO), "--plant", str(plant)]) == 2
    err = capsys.readouterr().err
    assert f"{plant}:1: plant.name: required key is missing" in err
    assert "the plant file cannot be used" in err


def test_check_of_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["instructions", "check", str(tmp_path / "nowhere")]) == 1
    assert f"{tmp_path / 'nowhere'}: no such folder" in capsys.readouterr().err
