"""What every link shares: backoff schedule, rate-limited logging, secrets."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from hmi.adapters.link import Backoff, RateLimitedLog, read_secret


def test_backoff_doubles_up_to_its_cap_and_resets() -> None:
    backoff = Backoff(1.0, 10.0)
    assert [backoff.next_delay() for _ in range(6)] == [1, 2, 4, 8, 10, 10]
    backoff.reset()
    assert backoff.next_delay() == 1


def test_a_flood_of_the_same_warning_is_logged_once_then_summarised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = RateLimitedLog(logging.getLogger("flood"), interval_s=0.0)
    limited = RateLimitedLog(logging.getLogger("flood"), interval_s=3600.0)
    with caplog.at_level(logging.WARNING, "flood"):
        for i in range(1000):
            limited.report("topic/a", "bad message %d", i)
        limited.report("topic/b", "other topic")
        log.report("k", "first")
        log.report("k", "second")
    messages = [r.getMessage() for r in caplog.records]
    assert messages == ["bad message 0", "other topic", "first", "second"]


def test_secrets_come_from_the_environment_or_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HMI_TEST_SECRET", "s3cret")
    assert read_secret("HMI_TEST_SECRET", None) == "s3cret"
    secret = tmp_path / "pw"
    secret.write_text("from-file\n", encoding="utf-8")
    assert read_secret(None, str(secret)) == "from-file"
    assert read_secret(None, None) is None
    monkeypatch.delenv("HMI_TEST_SECRET")
    with pytest.raises(OSError, match="HMI_TEST_SECRET is not set"):
        read_secret("HMI_TEST_SECRET", None)
