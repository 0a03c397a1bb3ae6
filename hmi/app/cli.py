"""The ``hmi`` command: ``demo``, ``run --config FILE``, ``check-config FILE``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from hmi import __version__
from hmi.app import audit_cli, instructions_cli, receiver_cli, user_cli


class Tool(Protocol):
    """A command-line tool module: adds its subcommand, runs it. No Qt at import."""

    def register(self, sub: Any) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


TOOLS: dict[str, Tool] = {
    "audit": audit_cli,
    "user": user_cli,
    "receiver": receiver_cli,
    "instructions": instructions_cli,
}

EXIT_OK = 0
EXIT_CONFIG = 2
EXIT_STARTUP = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hmi", description="Floorline operator HMI")
    parser.add_argument("--version", action="version", version=f"floorline {__version__}")
    parser.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"]
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def screenshot_options(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument(
            "--screenshot",
            type=Path,
            metavar="PNG",
            help="save the main window to PNG after --after seconds, then exit",
        )
        cmd.add_argument(
            "--after",
            type=float,
            default=5.0,
            metavar="SECONDS",
            help="seconds of live data before the screenshot (default 5)",
        )
        cmd.add_argument(
            "--persona",
            choices=["station", "maintenance"],
            default="station",
            help="station: touch, an on-screen keyboard (default); maintenance: a laptop,"
            " denser, several stations at once, the address-space browser",
        )
        cmd.add_argument(
            "--kiosk",
            action="store_true",
            help="fullscreen; only an administrator's PIN leaves it (or [kiosk] in the plant file)",
        )
        cmd.add_argument(
            "--page",
            default="overview",
            metavar="PAGE",
            help="overview, a station id, trends, trends:STATION, alarms or"
            " alarms:active|hidden|journal|kpis (default overview)",
        )

    demo = sub.add_parser("demo", help="run the built-in demo plant and show it")
    demo.add_argument(
        "--mqtt-port",
        type=int,
        default=18830,
        help="port of the demo's MQTT broker; 0 or a taken port: any free one",
    )
    demo.add_argument(
        "--opcua-port",
        type=int,
        default=48400,
        help="port of the demo's OPC UA server; 0 or a taken port: any free one",
    )
    demo.add_argument("--seed", type=int, default=1)
    screenshot_options(demo)

    run = sub.add_parser("run", help="connect to the sources of a plant file and show them")
    run.add_argument("--config", type=Path, required=True, metavar="FILE")
    screenshot_options(run)

    check = sub.add_parser("check-config", help="validate a plant file and report every error")
    check.add_argument("file", type=Path)

    # Tools beside the HMI, each in a module of its own: (register, run) per command.
    for tool in TOOLS.values():
        tool.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=getattr(logging, args.log_level),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command == "check-config":
        # Imported here: check-config must not pay for (or need) Qt.
        from hmi.config import check_config  # noqa: PLC0415

        ok, report = check_config(args.file)
        print(report, file=sys.stdout if ok else sys.stderr)
        return EXIT_OK if ok else EXIT_CONFIG

    if args.command in TOOLS:
        return TOOLS[args.command].run(args)

    from hmi.app.launch import launch  # noqa: PLC0415 - Qt loads only when a window is wanted

    return launch(args)


if __name__ == "__main__":
    sys.exit(main())
