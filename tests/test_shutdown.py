"""A shutdown that takes long ends at once when asked a second time."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hmi.app.launch import second_signal_leaves

ROOT = Path(__file__).resolve().parents[1]

# A shutdown that would wait a minute: what a stuck service's stop looks like to the user.
SLOW_SHUTDOWN = """
import logging, threading
from hmi.app.launch import second_signal_leaves
logging.basicConfig(level=logging.INFO)
with second_signal_leaves():
    print("STOPPING", flush=True)
    threading.Event().wait(60)
print("WAITED", flush=True)
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_second_signal_during_shutdown_leaves_at_once(signum: signal.Signals) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_SHUTDOWN],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "STOPPING"
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
        proc.wait(10)
    assert proc.returncode == 128 + signum
    assert "WAITED" not in out
    assert f"{signum.name} during shutdown: leaving without waiting" in err


def test_outside_a_shutdown_the_handlers_are_given_back() -> None:
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with second_signal_leaves():
        assert signal.getsignal(signal.SIGINT) is not before[0]
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
