"""An OPC UA test server with security, in a process of its own.

Run as ``python -m tests.support.opcua_secure_server PORT CERT KEY URI``; prints
READY when it serves. Endpoints: None, Basic256Sha256 SignAndEncrypt and
Aes256_Sha256_RsaPss SignAndEncrypt. It checks each client certificate's
validity and that it names the client's application URI. With the environment
variable OPC_TEST_USER="name:password" it admits that user only (and anonymous
sessions). Its variables (namespace index 2): Test.Value (Double, 42.5).
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NAMESPACE = "urn:floorline:test"
VALUE = 42.5


async def serve(port: int, cert: str, key: str, uri: str) -> None:
    from asyncua import Server, ua
    from asyncua.crypto.permission_rules import User, UserRole
    from asyncua.crypto.validator import CertificateValidator, CertificateValidatorOptions

    logging.basicConfig(level=logging.ERROR)
    name, _, secret = os.environ.get("OPC_TEST_USER", "").partition(":")

    class OneUser:
        def get_user(
            self, _iserver: Any, username: str | None = None, password: Any = None, **_: Any
        ) -> User | None:
            if username is None:
                return User(role=UserRole.User)
            given = password.decode() if isinstance(password, bytes) else password
            return User(role=UserRole.User) if (username, given) == (name, secret) else None

    server = Server(user_manager=OneUser() if name else None)  # type: ignore[arg-type]
    await server.init()
    server.set_endpoint(f"opc.tcp://127.0.0.1:{port}/secure")
    server.set_security_policy(
        [
            ua.SecurityPolicyType.NoSecurity,
            ua.SecurityPolicyType.Basic256Sha256_SignAndEncrypt,
            ua.SecurityPolicyType.Aes256Sha256RsaPss_SignAndEncrypt,
        ]
    )
    await server.load_certificate(cert)
    await server.load_private_key(key)
    await server.set_application_uri(uri)
    server.set_certificate_validator(
        CertificateValidator(
            CertificateValidatorOptions.BASIC_VALIDATION | CertificateValidatorOptions.PEER_CLIENT
        )
    )
    idx = await server.register_namespace(NAMESPACE)
    folder = await server.nodes.objects.add_object(ua.NodeId("Test", idx), "Test")
    await folder.add_variable(
        ua.NodeId("Test.Value", idx), "Value", ua.Variant(VALUE, ua.VariantType.Double)
    )
    async with server:
        print("READY", flush=True)
        await asyncio.Event().wait()


class SecureOpcUaServer:
    """Starts and kills the secure test server."""

    def __init__(self, port: int, cert: Path, key: Path, uri: str, user: str = "") -> None:
        self.port = port
        self.url = f"opc.tcp://127.0.0.1:{port}/secure"
        self.args = [str(port), str(cert), str(key), uri]
        self.user = user
        self._proc: subprocess.Popen[str] | None = None

    def start(self, timeout: float = 30.0) -> None:
        env = dict(os.environ, OPC_TEST_USER=self.user)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.opcua_secure_server", *self.args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        deadline = time.monotonic() + timeout
        assert self._proc.stdout is not None
        # readline blocks, but the child either prints READY or exits (EOF) within seconds.
        line = self._proc.stdout.readline()
        if line.strip() != "READY" or time.monotonic() > deadline:
            self.kill()
            raise RuntimeError(f"secure OPC UA test server did not start: {line!r}")

    def kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait(10)
            if self._proc.stdout:
                self._proc.stdout.close()
            self._proc = None


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]))
