"""The ``hmi`` command as an integrator meets it: check-config, refusal to start, the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from hmi.sim import demo_plant_path

ROOT = Path(__file__).resolve().parents[1]


def hmi(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "hmi.app.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


@pytest.fixture
def broken_plant(tmp_path: Path) -> Path:
    text = demo_plant_path().read_text(encoding="utf-8")
    text = text.replace('unit = "bar"', 'unit = "bar"\nprecison = 2', 1)
    text = text.replace("port = 18830", 'port = "eighteen"', 1)
    path = tmp_path / "plant.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_config_accepts_the_demo_plant() -> None:
    result = hmi("check-config", str(demo_plant_path()))
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout and "25 tags" in result.stdout


def test_check_config_reports_every_error_with_file_line_and_key(broken_plant: Path) -> None:
    result = hmi("check-config", str(broken_plant))
    assert result.returncode == 2
    lines = broken_plant.read_text(encoding="utf-8").splitlines()
    port_line = next(i for i, line in enumerate(lines, 1) if line.startswith("port = "))
    assert f"{broken_plant}:{port_line}: sources[0].port" in result.stderr
    assert "precison" in result.stderr and "precision" in result.stderr, "a typo gets a suggestion"
    assert "Traceback" not in result.stderr


def test_run_refuses_an_invalid_plant_file_with_the_same_message(broken_plant: Path) -> None:
    checked = hmi("check-config", str(broken_plant))
    result = hmi("run", "--config", str(broken_plant))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    first_problem = checked.stderr.splitlines()[0]
    assert first_problem in result.stderr
    assert "did not start" in result.stderr


def test_run_refuses_a_missing_file(tmp_path: Path) -> None:
    result = hmi("run", "--config", str(tmp_path / "nowhere.toml"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "nowhere.toml" in result.stderr


def test_demo_renders_a_screenshot_of_live_data(tmp_path: Path) -> None:
    shot = tmp_path / "demo.png"
    result = hmi(
        "--log-level",
        "WARNING",
        "demo",
        "--mqtt-port",
        "0",
        "--opcua-port",
        "0",
        "--screenshot",
        str(shot),
        "--after",
        "6",
        "--page",
        "capper",
        timeout=90,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 800)
    assert "Traceback" not in result.stderr
    # Every demo tag is live over both protocols after six seconds (a rare "uncertain" aside).
    summary = result.stdout.strip().splitlines()[-1]
    good = int(summary.split(": ")[1].split(" of ")[0])
    assert good >= 22, summary
    assert "line-broker connected" in summary and "filler-plc connected" in summary
