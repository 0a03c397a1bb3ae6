"""A private Mosquitto broker per test, started from the Debian package's binary."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.support.wait import free_port


class MosquittoBroker:
    """Starts, kills and restarts a mosquitto process on one fixed loopback port."""

    def __init__(
        self,
        workdir: Path,
        port: int | None = None,
        tls: tuple[Path, Path, Path] | None = None,
        *,
        require_certificate: bool = False,
        users: dict[str, str] | None = None,
    ) -> None:
        """``tls`` is (CA, certificate, key) for a TLS-only listener; ``require_certificate``
        makes it ask each client for a certificate signed by that CA. ``users`` (name to
        password) turns anonymous access off."""
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        if not Path(binary).exists():
            raise RuntimeError("mosquitto is not installed: apt-get install mosquitto")
        self.binary = binary
        self.port = port or free_port()
        self.config = workdir / "mosquitto.conf"
        lines = [
            f"listener {self.port} 127.0.0.1",
            f"allow_anonymous {'false' if users else 'true'}",
            "persistence false",
            "log_dest none",
        ]
        if tls is not None:
            ca, cert, key = tls
            lines += [f"cafile {ca}", f"certfile {cert}", f"keyfile {key}", "tls_version tlsv1.2"]
            if require_certificate:
                lines.append("require_certificate true")
        if users:
            password_file = workdir / "mosquitto.passwd"
            password_file.write_text("")
            for name, password in users.items():
                subprocess.run(
                    ["mosquitto_passwd", "-b", str(password_file), name, password],
                    check=True,
                    capture_output=True,
                    timeout=30,
                )
            password_file.chmod(0o600)
            lines.append(f"password_file {password_file}")
        if os.geteuid() == 0:
            lines.append("user root")  # else it drops to its own user and cannot read our files
        self.config.write_text("\n".join(lines) + "\n")
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10.0) -> None:
        self._proc = subprocess.Popen(
            [self.binary, "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self._proc.poll() is not None:
                err = self._proc.stderr.read().decode() if self._proc.stderr else ""
                raise RuntimeError(f"mosquitto exited: {err}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.005)

    def kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait(10)
            if self._proc.stderr:
                self._proc.stderr.close()
            self._proc = None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None
