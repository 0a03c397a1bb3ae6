"""The receiver's HTTP side: POSTed envelopes in, 200 for each one kept (or already kept).

Answers as an MES endpoint should: 200 for a record stored or a duplicate
(the sender may then forget it), 400 for a malformed envelope or an
``Idempotency-Key`` that does not match its id, 401 for a missing or wrong
bearer token, 413 for a body over 1 MiB, 422 for a kind it was told to
refuse, 503 while told to be unavailable.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from hmi.domain.records import parse_envelope
from hmi.receiver.store import ReceivedStore

log = logging.getLogger("hmi.receiver")
MAX_BODY = 1024 * 1024


class HttpReceiver:
    """A ThreadingHTTPServer on ``host:port`` (port 0: any free one) storing into ``store``."""

    def __init__(
        self,
        store: ReceivedStore,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        refuse_kinds: Iterable[str] = (),
        token: str | None = None,
        unavailable_for: int = 0,
    ) -> None:
        self.store = store
        self.refuse_kinds = set(refuse_kinds)
        self.token = token
        self.unavailable_for = unavailable_for  # answer 503 to this many requests first
        self.unavailable = False  # answer 503 while True
        self.answers: Counter[int] = Counter()
        self.keys: list[str] = []  # Idempotency-Key of every request, in order
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/records"

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="receiver-http", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(10)
            self._thread = None
        self._server.server_close()

    def answer(self, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, object]]:
        """The status and JSON answer for one POST (any server thread)."""
        key = headers.get("idempotency-key", "")
        with self._lock:
            self.keys.append(key)
            if self.unavailable or self.unavailable_for > 0:
                self.unavailable_for = max(0, self.unavailable_for - 1)
                return HTTPStatus.SERVICE_UNAVAILABLE, {"error": "unavailable, try again later"}
        if self.token is not None and headers.get("authorization") != f"Bearer {self.token}":
            return HTTPStatus.UNAUTHORIZED, {"error": "a valid bearer token is required"}
        try:
            text = body.decode("utf-8")
            record = parse_envelope(text)
        except ValueError as exc:
            why = str(exc) if "record envelope" in str(exc) else f"not a record envelope: {exc}"
            self.store.reject(body.decode("utf-8", "replace"), "http", why)
            return HTTPStatus.BAD_REQUEST, {"error": why}
        if key and key != record.id:
            return HTTPStatus.BAD_REQUEST, {"error": "Idempotency-Key differs from the record id"}
        if record.kind.value in self.refuse_kinds:
            log.info(
                "refused %s #%d %s %s (told to)", record.station, record.seq, record.kind, record.id
            )
            return HTTPStatus.UNPROCESSABLE_ENTITY, {"error": f"{record.kind} is refused here"}
        arrival = self.store.add(text, "http")
        return HTTPStatus.OK, {"id": record.id, "duplicate": arrival.duplicate}


def _handler_for(receiver: HttpReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: the HMI sends one record after another

        def do_POST(self) -> None:
            length = self.headers.get("Content-Length")
            if length is None or not length.isdigit():
                self._reply(HTTPStatus.LENGTH_REQUIRED, {"error": "Content-Length is required"})
                return
            if int(length) > MAX_BODY:
                self._reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "over 1 MiB"})
                self.close_connection = True
                return
            body = self.rfile.read(int(length))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, answer = receiver.answer(body, headers)
            self._reply(status, answer)

        def _reply(self, status: int, answer: dict[str, object]) -> None:
            with receiver._lock:
                receiver.answers[status] += 1
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            log.debug("%s " + format, self.address_string(), *args)

    return Handler
