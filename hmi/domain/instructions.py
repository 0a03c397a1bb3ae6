"""Digital work instructions: what a station's operator follows, step by step.

Definitions only, validated by ``hmi.config.instructions``: an instruction is
a list of steps, each with its text (Markdown), its media, the live tags shown
beside it, the values the operator captures and the sign-off it needs. Its
``version`` is a content hash over every file it is made of, so a run record
that carries it names exactly the text, pictures and limits the operator saw.

Two rules live here because every user of the definitions needs them the same
way: ``check_capture`` (is an entered value acceptable, out of limits, or
invalid) and ``select`` (which instructions apply to a station and product).
"""

from __future__ import annotations

import enum
import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from hmi.domain.roles import Role

SHORT_VERSION = 12  # hex digits shown to people; the model keeps all 64
MAX_TEXT = 500  # characters of a text, serial or barcode capture


class MediaKind(enum.StrEnum):
    IMAGE = "image"
    PDF = "pdf"
    VIDEO = "video"


@dataclass(frozen=True, slots=True)
class Media:
    """A file shown with a step; ``path`` is relative to the instruction's folder, with ``/``.

    ``page`` is the page a PDF opens at (1 is the first); None for other kinds.
    """

    kind: MediaKind
    path: str
    caption: str = ""
    page: int | None = None


class SignOffBy(enum.StrEnum):
    """Who signs a step or a whole run."""

    NONE = "none"
    OPERATOR = "operator"  # the user who ran it confirms with their credentials
    SECOND_PERSON = "second_person"  # another user, holding ``role``, verifies


@dataclass(frozen=True, slots=True)
class SignOff:
    """A signature requirement; ``meaning`` is what the signature states ("Verified by")."""

    by: SignOffBy = SignOffBy.NONE
    role: Role | None = None  # second_person only
    meaning: str = ""

    @property
    def required(self) -> bool:
        return self.by is not SignOffBy.NONE


NO_SIGNOFF = SignOff()


class CaptureKind(enum.StrEnum):
    CHECKBOX = "checkbox"
    PASS_FAIL = "pass_fail"
    NUMBER = "number"
    TEXT = "text"
    CHOICE = "choice"
    SERIAL = "serial"
    BARCODE = "barcode"
    TAG = "tag"  # the value of a live tag, taken when the operator confirms the step


class OutOfLimit(enum.StrEnum):
    """What a value outside its limits (or a fail) needs before the step can be confirmed."""

    REASON = "reason"  # the operator gives a reason
    LEAD = "lead"  # a lead (a user allowed instruction.approve) signs it off


@dataclass(frozen=True, slots=True)
class Capture:
    """A value the operator records in a step.

    ``lo``/``hi``/``unit``/``decimals`` apply to number and tag captures,
    ``options`` to choice, ``pattern`` (a regular expression the whole value
    must match) to serial and barcode, ``tag`` to tag. ``on_out_of_limit``
    applies to the kinds that can be out of limits: number, tag and pass_fail.
    """

    id: str
    kind: CaptureKind
    label: str
    required: bool = True
    lo: float | None = None
    hi: float | None = None
    unit: str = ""
    decimals: int | None = None
    options: tuple[str, ...] = ()
    pattern: str | None = None
    tag: str | None = None
    on_out_of_limit: OutOfLimit = OutOfLimit.REASON

    @property
    def has_limits(self) -> bool:
        return self.lo is not None or self.hi is not None


@dataclass(frozen=True, slots=True)
class Step:
    """One step; ``file`` is its Markdown file, relative to the instruction's folder."""

    id: str
    title: str
    body: str
    file: str = ""
    media: tuple[Media, ...] = ()
    tags: tuple[str, ...] = ()
    captures: tuple[Capture, ...] = ()
    signoff: SignOff = NO_SIGNOFF


@dataclass(frozen=True, slots=True)
class Instruction:
    """A work instruction as published: its steps and where and for what it applies.

    ``version`` is the SHA-256 (64 hex digits) of its content; ``products``
    lists product codes or families (``"COLA-*"``); empty means every product.
    ``folder`` is where its files are, to find the media.
    """

    id: str
    title: str
    version: str
    stations: tuple[str, ...]
    steps: tuple[Step, ...]
    products: tuple[str, ...] = ()
    signoff: SignOff = NO_SIGNOFF
    folder: str = ""

    @property
    def short_version(self) -> str:
        return short_version(self.version)

    def captures(self) -> tuple[Capture, ...]:
        return tuple(capture for step in self.steps for capture in step.captures)


def short_version(version: str) -> str:
    """The first 12 hex digits of a version hash: what screens and reports show."""
    return version[:SHORT_VERSION]


_VERSION_PREFIX = b"floorline instruction 1\0"


def version_hash(files: Mapping[str, bytes]) -> str:
    """The version of an instruction: SHA-256 over the files it is made of, as 64 hex digits.

    ``files`` maps each file's path, relative to the instruction's folder with
    "/" between folders (``instruction.toml``, ``steps/01.md``), to its bytes.
    Files are taken in the order of their paths' UTF-8 bytes, and each path
    and content is preceded by its length, so the version depends on the
    paths and bytes alone: not on where the folder is, on file times or on the
    order a file system lists names, and no two different sets of files share
    an input.
    """
    digest = hashlib.sha256(_VERSION_PREFIX)
    for path, data in sorted(files.items(), key=lambda item: item[0].encode("utf-8")):
        name = path.encode("utf-8")
        digest.update(len(name).to_bytes(8, "big"))
        digest.update(name)
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


# --- checking a captured value -----------------------------------------------------------


class CaptureStatus(enum.StrEnum):
    OK = "ok"
    OUT_OF_LIMITS = "out_of_limits"  # a real value the step may not pass without a reason or lead
    INVALID = "invalid"  # not a value of this capture: enter it again


@dataclass(frozen=True, slots=True)
class CaptureResult:
    """What ``check_capture`` found.

    ``value`` is the value to record, normalised (a number rounded to the
    capture's decimals, text stripped, pass/fail as "pass" or "fail"); None
    when invalid or when an optional capture was left empty. ``code`` names
    the finding for translation; ``message`` says it in English.
    """

    status: CaptureStatus
    value: float | int | bool | str | None = None
    code: str = "ok"
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status is CaptureStatus.OK


def _invalid(code: str, message: str) -> CaptureResult:
    return CaptureResult(CaptureStatus.INVALID, None, code, message)


def check_capture(capture: Capture, value: object) -> CaptureResult:
    """Whether ``value`` may be recorded for ``capture``.

    None or an empty text is "nothing entered": fine for an optional capture,
    invalid for a required one. A number may come as ``int``/``float`` or as
    text typed on a keypad (``"2.35"``). A tag capture is given the tag's value
    at confirmation; the caller passes None when that value is not good.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if capture.required or capture.kind is CaptureKind.TAG:
            what = "a good value of the tag" if capture.kind is CaptureKind.TAG else "a value"
            return _invalid("missing", f"{capture.label}: {what} is required")
        return CaptureResult(CaptureStatus.OK)
    match capture.kind:
        case CaptureKind.CHECKBOX:
            return _check_checkbox(capture, value)
        case CaptureKind.PASS_FAIL:
            return _check_pass_fail(capture, value)
        case CaptureKind.NUMBER:
            return _check_number(capture, value)
        case CaptureKind.TAG:
            return _check_tag_value(capture, value)
        case CaptureKind.CHOICE:
            return _check_choice(capture, value)
        case CaptureKind.TEXT | CaptureKind.SERIAL | CaptureKind.BARCODE:
            return _check_text(capture, value)


def _check_checkbox(capture: Capture, value: object) -> CaptureResult:
    if not isinstance(value, bool):
        return _invalid("not_a_checkbox", f"{capture.label}: expected ticked or not")
    if capture.required and not value:
        return _invalid("not_ticked", f"{capture.label}: must be ticked")
    return CaptureResult(CaptureStatus.OK, value)


def _check_pass_fail(capture: Capture, value: object) -> CaptureResult:
    verdict: str | None = None
    if isinstance(value, bool):
        verdict = "pass" if value else "fail"
    elif isinstance(value, str) and value.strip().lower() in ("pass", "fail"):
        verdict = value.strip().lower()
    if verdict is None:
        return _invalid("not_pass_fail", f"{capture.label}: expected pass or fail")
    if verdict == "fail":
        return CaptureResult(
            CaptureStatus.OUT_OF_LIMITS, verdict, "fail", f"{capture.label}: failed"
        )
    return CaptureResult(CaptureStatus.OK, verdict)


_TYPED_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.(?P<decimals>[0-9]*))?|\.(?P<only>[0-9]+))")


def _check_number(capture: Capture, value: object) -> CaptureResult:
    number: float
    if isinstance(value, str):
        text = value.strip()
        match = _TYPED_NUMBER.fullmatch(text)
        if match is None:
            return _invalid("not_a_number", f"{capture.label}: {text!r} is not a number")
        typed = match["decimals"] or match["only"] or ""
        if capture.decimals is not None and len(typed) > capture.decimals:
            return _invalid(
                "too_many_decimals",
                f"{capture.label}: at most {capture.decimals} decimals, got {text}",
            )
        number = float(text)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        return _invalid("not_a_number", f"{capture.label}: expected a number")
    if not math.isfinite(number):
        return _invalid("not_a_number", f"{capture.label}: expected a finite number")
    if capture.decimals is not None:
        number = round(number, capture.decimals)
    shown = _show(number, capture)
    if capture.lo is not None and number < capture.lo:
        return CaptureResult(
            CaptureStatus.OUT_OF_LIMITS,
            number,
            "below_lo",
            f"{capture.label}: {shown} is below the lower limit {_show(capture.lo, capture)}",
        )
    if capture.hi is not None and number > capture.hi:
        return CaptureResult(
            CaptureStatus.OUT_OF_LIMITS,
            number,
            "above_hi",
            f"{capture.label}: {shown} is above the upper limit {_show(capture.hi, capture)}",
        )
    return CaptureResult(CaptureStatus.OK, number)


def _show(number: float, capture: Capture) -> str:
    text = f"{number:.{capture.decimals}f}" if capture.decimals is not None else f"{number:g}"
    return f"{text} {capture.unit}" if capture.unit else text


def _check_tag_value(capture: Capture, value: object) -> CaptureResult:
    if isinstance(value, bool | str):
        return CaptureResult(CaptureStatus.OK, value)
    if isinstance(value, int | float):
        return _check_number(capture, value)
    return _invalid("not_a_tag_value", f"{capture.label}: expected a tag value")


def _check_choice(capture: Capture, value: object) -> CaptureResult:
    if not isinstance(value, str) or value not in capture.options:
        listed = ", ".join(capture.options)
        return _invalid("not_an_option", f"{capture.label}: expected one of: {listed}")
    return CaptureResult(CaptureStatus.OK, value)


def _check_text(capture: Capture, value: object) -> CaptureResult:
    if not isinstance(value, str):
        return _invalid("not_text", f"{capture.label}: expected text")
    text = value.strip()
    if len(text) > MAX_TEXT:
        return _invalid("too_long", f"{capture.label}: at most {MAX_TEXT} characters")
    if any(ord(char) < 32 for char in text):
        return _invalid("control_characters", f"{capture.label}: control characters in the text")
    if capture.pattern is not None and re.fullmatch(capture.pattern, text) is None:
        return _invalid(
            "pattern_mismatch", f"{capture.label}: {text!r} is not of the expected form"
        )
    return CaptureResult(CaptureStatus.OK, text)


# --- which instructions apply ------------------------------------------------------------


class Match(enum.IntEnum):
    """How well an instruction's products fit a product; the higher wins."""

    NONE = -1
    EVERY_PRODUCT = 0  # the instruction lists no products
    FAMILY = 1  # a pattern such as "COLA-*"
    EXACT = 2


def product_match(products: Sequence[str], product: str | None) -> tuple[Match, int]:
    """How ``products`` fits ``product``; the int ranks families by their fixed characters."""
    if not products:
        return Match.EVERY_PRODUCT, 0
    if product is None:
        return Match.NONE, 0
    best: tuple[Match, int] = (Match.NONE, 0)
    for entry in products:
        if entry == product:
            return Match.EXACT, len(entry)
        if "*" in entry and _family(entry).fullmatch(product):
            best = max(best, (Match.FAMILY, len(entry.replace("*", ""))))
    return best


def _family(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


def select(
    instructions: Iterable[Instruction], station_id: str, product: str | None
) -> list[Instruction]:
    """The instructions of ``station_id`` for ``product`` (None: not known), in the given order.

    An instruction with no products applies to every product; one listing
    products applies only when the product is known and matches. Of several
    instructions with the same id, the best fit wins: an exact product beats
    a family (``"COLA-*"``; the longer fixed part wins among families), which
    beats an instruction for every product; on a tie the first given wins.
    """
    best: dict[str, tuple[tuple[Match, int], int, Instruction]] = {}
    for order, instruction in enumerate(instructions):
        if station_id not in instruction.stations:
            continue
        fit = product_match(instruction.products, product)
        if fit[0] is Match.NONE:
            continue
        held = best.get(instruction.id)
        if held is None:
            best[instruction.id] = (fit, order, instruction)
        elif fit > held[0]:
            best[instruction.id] = (fit, held[1], instruction)
    return [instruction for _, _, instruction in sorted(best.values(), key=lambda kept: kept[1])]
