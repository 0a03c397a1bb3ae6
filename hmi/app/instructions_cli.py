"""``hmi instructions check DIR``: validate work instructions before they reach the line.

``DIR`` is one instruction folder or a folder of them. Every problem is
printed with its file and line; each good instruction with its id, its short
version and its title. Stations and tags are checked against a plant file
only when ``--plant FILE`` names one: instructions are written for a plant,
and checking them against any other (the demo's, say) would report its
stations as unknown.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from hmi.config import ConfigError, load_plant
from hmi.config.instructions import load_instructions
from hmi.config.problems import plural, quote
from hmi.domain.plant import PlantDef

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_BAD_PLANT = 2


def register(sub: Any) -> None:
    instructions = sub.add_parser("instructions", help="tools for work instructions")
    verbs = instructions.add_subparsers(dest="verb", required=True)
    check = verbs.add_parser(
        "check",
        help="validate work instructions and print their versions",
        description=(
            "Validates one instruction folder (it holds instruction.toml) or a folder of "
            "them, prints every problem with its file and line, and each good "
            "instruction's id, version and title. Exits 0 when there is no problem, 1 when "
            "there is one, 2 when the plant file cannot be used."
        ),
    )
    check.add_argument("folder", type=Path, metavar="DIR")
    check.add_argument(
        "--plant",
        type=Path,
        metavar="FILE",
        default=None,
        help="check station ids and tags against this plant file (default: not checked)",
    )


def run(args: argparse.Namespace) -> int:
    plant: PlantDef | None = None
    if args.plant is not None:
        try:
            plant = load_plant(args.plant)
        except ConfigError as error:
            print(error, file=sys.stderr)
            print(f"{args.plant}: the plant file cannot be used; fix it first", file=sys.stderr)
            return EXIT_BAD_PLANT
    instructions, problems = load_instructions(args.folder, plant)
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    for instruction in instructions:
        stations = ", ".join(instruction.stations)
        steps = plural(len(instruction.steps), "step")
        print(
            f"{instruction.id}  {instruction.short_version}  {quote(instruction.title)}"
            f"  ({stations}; {steps})"
        )
    against = (
        f"checked against {args.plant}"
        if plant is not None
        else "stations and tags not checked: give --plant FILE"
    )
    good = plural(len(instructions), "instruction")
    if problems:
        print(
            f"{args.folder}: {plural(len(problems), 'problem')} found; {good} good ({against})",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    print(f"{args.folder}: OK: {good} ({against})")
    return EXIT_OK
