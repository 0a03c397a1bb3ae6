"""What every benchmark prints and records the same way: the result table, the versions."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any

import paho.mqtt

ROOT = Path(__file__).resolve().parents[1]


def print_table(rows: list[dict[str, Any]]) -> None:
    """Rows of figure, baseline, Floorline, ratio (same run), target and whether it is met."""
    headers = ("figure", "baseline", "Floorline", "ratio", "target", "met")
    cells = [
        (
            r["figure"],
            r["baseline"],
            r["floorline"],
            "" if r["ratio"] is None else f"{r['ratio']:.2f}",
            r["target"],
            {True: "yes", False: "NO", None: ""}[r["met"]],
        )
        for r in rows
    ]
    widths = [
        max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-" * len(line))
    for c in cells:
        print(
            "  ".join(
                v.ljust(w) if i in (0, 4) else v.rjust(w)
                for i, (v, w) in enumerate(zip(c, widths, strict=True))
            )
        )


def versions(**extra: str) -> dict[str, str]:
    """The code and machine a result belongs to, plus what the benchmark adds."""

    def run(*command: str) -> str:
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()

    mosquitto = subprocess.run(["mosquitto", "-h"], capture_output=True, text=True, check=False)
    return {
        "git_head": run("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD") or "?",
        "hmi_has_uncommitted_changes": str(
            bool(run("git", "-C", str(ROOT), "status", "--porcelain", "--", "hmi"))
        ),
        "python": platform.python_version(),
        "paho_mqtt": paho.mqtt.__version__,
        "mosquitto": (mosquitto.stdout.splitlines() or ["?"])[0],
        **extra,
        "cpus": str(os.cpu_count()),
        "platform": platform.platform(),
    }
