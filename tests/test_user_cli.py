"""``hmi user hash-secret``: its hash verifies, the secret never shows, weak input is refused."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hmi.config import load_plant_text
from hmi.domain.users import is_secret_hash, verify_secret

ROOT = Path(__file__).resolve().parents[1]


def hash_secret_cli(stdin: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hmi.app.cli", "user", "hash-secret", *extra],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("secret", ["1234", "a long pass phrase", "0001234567", "Grün-ß 42"])
def test_the_printed_hash_verifies(secret: str) -> None:
    result = hash_secret_cli(f"{secret}\n", "--stdin")
    assert result.returncode == 0, result.stderr
    (printed,) = result.stdout.splitlines()
    assert is_secret_hash(printed)
    assert verify_secret(secret, printed)
    assert not verify_secret(secret + "x", printed)
    assert secret not in result.stdout + result.stderr


def test_the_hash_is_accepted_by_the_plant_file() -> None:
    result = hash_secret_cli("2468\n", "--stdin")
    text = (
        '[plant]\nname = "x"\n[[users]]\nid = "olga"\nrole = "operator"\n'
        f'pin_hash = "{result.stdout.strip()}"\n'
    )
    (user,) = load_plant_text(text).users
    assert verify_secret("2468", user.secret_hash)


def test_each_hash_has_its_own_salt() -> None:
    first, second = (hash_secret_cli("5555\n", "--stdin").stdout for _ in range(2))
    assert first != second


def test_a_short_pin_is_allowed_with_a_warning() -> None:
    result = hash_secret_cli("1234\n", "--stdin")
    assert result.returncode == 0
    assert "4-digit PIN is weak" in result.stderr
    assert "weak" not in hash_secret_cli("correct horse\n", "--stdin").stderr


@pytest.mark.parametrize(
    ("stdin", "reason"),
    [("", "an empty secret"), ("\n", "an empty secret"), ("123\n", "fewer than 4 characters")],
)
def test_refused_input_prints_no_hash(stdin: str, reason: str) -> None:
    result = hash_secret_cli(stdin, "--stdin")
    assert result.returncode == 1
    assert result.stdout == ""
    assert reason in result.stderr
    assert "nothing was hashed" in result.stderr


def test_only_one_line_is_read() -> None:
    result = hash_secret_cli("4321\r\nignored\n", "--stdin")
    assert verify_secret("4321", result.stdout.strip())


def test_without_a_terminal_it_refuses_rather_than_echo() -> None:
    result = hash_secret_cli("1234\n1234\n")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "use --stdin" in result.stderr
    assert "1234" not in result.stderr


def _on_a_terminal(first: bytes, second: bytes) -> tuple[int, str]:
    """Run the command on a pseudo-terminal, answer both prompts, return (status, output)."""
    import pty  # here, not at the top: POSIX only, and the tests are skipped elsewhere

    pid, fd = pty.fork()
    if pid == 0:  # the child: become the command, and never return into pytest
        try:
            os.chdir(ROOT)
            os.execv(sys.executable, [sys.executable, "-m", "hmi.app.cli", "user", "hash-secret"])
        finally:
            os._exit(127)
    output = b""
    deadline = time.monotonic() + 60
    answers = [(b"badge id: ", first), (b"confirm: ", second)]
    while True:
        if answers and answers[0][0] in output:
            os.write(fd, answers.pop(0)[1] + b"\n")
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        assert ready, f"no answer within 60 s: {output!r}"
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            chunk = b""
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_asks_twice_without_echo() -> None:
    status, output = _on_a_terminal(b"pass-phrase-7", b"pass-phrase-7")
    assert status == 0, output
    assert "pass-phrase-7" not in output
    (hashed,) = [line for line in output.splitlines() if line.startswith("scrypt$")]
    assert verify_secret("pass-phrase-7", hashed.strip())


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_mismatch_is_refused() -> None:
    status, output = _on_a_terminal(b"pass-phrase-7", b"pass-phrase-8")
    assert status == 1
    assert "the two entries differ" in output
    assert "scrypt$" not in output
