"""Shared fixtures: offscreen Qt by default, real peers on loopback."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.support.mosquitto import MosquittoBroker  # noqa: E402


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[MosquittoBroker]:
    """A private Mosquitto broker on a free port, killed at the end of the test."""
    mosquitto = MosquittoBroker(tmp_path)
    mosquitto.start()
    yield mosquitto
    mosquitto.kill()
