"""Shared fixtures: offscreen Qt by default, real peers on loopback."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Screens show local time; the approved images were made in UTC.
os.environ["TZ"] = "UTC"
time.tzset()

from hmi.config import load_plant  # noqa: E402
from hmi.domain.plant import PlantDef  # noqa: E402
from hmi.gui.collector import collect_due  # noqa: E402
from hmi.sim import demo_plant_path  # noqa: E402
from tests.support.certs import Pki, make_pki  # noqa: E402
from tests.support.mosquitto import MosquittoBroker  # noqa: E402

BROKER_DNS = "broker.floorline.test"


def pytest_configure(config: pytest.Config) -> None:
    """Cycles are collected on the main thread only, as the program does (hmi/gui/collector.py).

    Automatic collection would run in whatever thread allocates when a generation
    fills: a runtime's or a client's thread would then destroy Qt objects a GUI test
    left in cycles, which Qt does not allow.
    """
    gc.disable()


_last_full = [time.monotonic()]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    """After each test's teardown, on the main thread: what the collector would have done."""
    try:
        return (yield)
    finally:
        thresholds = gc.get_threshold()
        since_full = time.monotonic() - _last_full[0]
        generation = collect_due(
            gc.get_count(), (thresholds[0], thresholds[1], thresholds[2]), since_full
        )
        if generation is not None:
            gc.collect(generation)
            if generation == 2:
                _last_full[0] = time.monotonic()


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """Certificates for TLS tests, made once per session (about a second)."""
    return make_pki(tmp_path_factory.mktemp("pki"), BROKER_DNS)


@pytest.fixture
def tls_broker(tmp_path: Path, pki: Pki) -> Iterator[MosquittoBroker]:
    """A private Mosquitto that speaks TLS only, with a certificate for BROKER_DNS."""
    mosquitto = MosquittoBroker(tmp_path, tls=(pki.ca, pki.server_cert, pki.server_key))
    mosquitto.start()
    yield mosquitto
    mosquitto.kill()


@pytest.fixture(autouse=True)
def private_data_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test's cache lives in a folder of its own, never in the user's data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data-home")))


@pytest.fixture(scope="session")
def demo_plant() -> PlantDef:
    return load_plant(demo_plant_path())


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[MosquittoBroker]:
    """A private Mosquitto broker on a free port, killed at the end of the test."""
    mosquitto = MosquittoBroker(tmp_path)
    mosquitto.start()
    yield mosquitto
    mosquitto.kill()
