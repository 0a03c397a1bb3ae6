"""Records upstream over HTTP(S): one POST of the envelope per record, in order.

Each POST carries ``Idempotency-Key: <record id>`` so the receiver can drop a
copy it already has (a record whose answer was lost is sent again). Answers:
2xx delivered; 401 (the token), 408, 425, 429, 5xx, a redirect, no answer:
the link, try again later; any other 4xx: the receiver refused this record.
The standard library's ``http.client`` runs on a thread of its own, one
keep-alive connection at a time; HTTPS always verifies the server.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import os
import ssl
import urllib.parse
from collections.abc import Sequence

from hmi.adapters.upstream import LinkListener, Outcome, Outgoing, Verdict
from hmi.domain.health import LinkState
from hmi.domain.plant import HttpUpstream

TRANSIENT_STATUS = frozenset({401, 408, 425, 429})
MAX_ANSWER_BYTES = 64 * 1024


class HttpRecordUpstream:
    """POSTs record envelopes to one URL; stops a batch at the first link failure."""

    def __init__(self, settings: HttpUpstream) -> None:
        self.settings = settings
        url = urllib.parse.urlsplit(settings.url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"not an http(s) URL: {settings.url}")
        self._https = url.scheme == "https"
        self._host = url.hostname
        self._port = url.port or (443 if self._https else 80)
        self._path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        self._tls: ssl.SSLContext | None = None
        if self._https:
            self._tls = ssl.create_default_context(cafile=settings.ca_file)
            self._tls.minimum_version = ssl.TLSVersion.TLSv1_2
        # One thread, one connection: requests go out in order and stop() can wait for them.
        self._executor = concurrent.futures.ThreadPoolExecutor(1, "hmi-upstream-http")
        self._conn: http.client.HTTPConnection | None = None  # used on that thread only
        self._listener: LinkListener | None = None
        self._state = LinkState.CONNECTING
        self._stopped = False

    @property
    def address(self) -> str:
        return self.settings.url

    @property
    def ready(self) -> bool:
        return True

    def capacity(self) -> int:
        return 1_000  # one request at a time: nothing waits unacknowledged

    async def start(self, listener: LinkListener) -> None:
        self._listener = listener
        listener(LinkState.CONNECTING, "")

    async def stop(self) -> None:
        self._listener = None
        if self._stopped:
            return
        self._stopped = True
        # Waits for a request under way (at most timeout_s), then closes the connection.
        await asyncio.to_thread(self._executor.submit(self._close).result)
        await asyncio.to_thread(self._executor.shutdown, True)

    async def send(self, items: Sequence[Outgoing], timeout_s: float) -> list[Outcome]:
        loop = asyncio.get_running_loop()
        outcomes: list[Outcome] = []
        for n, item in enumerate(items):
            outcome = await loop.run_in_executor(self._executor, self._post, item, timeout_s)
            outcomes.append(outcome)
            if outcome.verdict is Verdict.TRANSIENT:
                # Later records wait for this one, so that they arrive in order.
                self._set_state(LinkState.RECONNECTING, outcome.detail)
                outcomes += [
                    Outcome(later.record_id, Verdict.TRANSIENT, "not sent: an earlier one failed")
                    for later in items[n + 1 :]
                ]
                break
            self._set_state(LinkState.CONNECTED, "")
        return outcomes

    def _set_state(self, state: LinkState, error: str) -> None:
        if state is not self._state or (error and state is LinkState.RECONNECTING):
            self._state = state
            if self._listener is not None:
                self._listener(state, error)

    # -- the HTTP thread -------------------------------------------------------

    def _post(self, item: Outgoing, timeout_s: float) -> Outcome:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": item.record_id,
        }
        if self.settings.token_env is not None:
            token = os.environ.get(self.settings.token_env)
            if token is None:
                why = f"environment variable {self.settings.token_env} (the token) is not set"
                return Outcome(item.record_id, Verdict.TRANSIENT, why)
            headers["Authorization"] = f"Bearer {token}"
        reused = self._conn is not None
        try:
            try:
                status, answer = self._request(item, headers, timeout_s)
            except (ConnectionError, http.client.RemoteDisconnected):
                if not reused:
                    raise
                # A kept-alive connection the server had closed while idle: once more, afresh.
                # (Had the server taken the record after all, the idempotency key covers it.)
                self._close()
                status, answer = self._request(item, headers, timeout_s)
        except ssl.SSLCertVerificationError as exc:
            self._close()
            why = f"the server's certificate was refused: {exc.verify_message}"
            return Outcome(item.record_id, Verdict.TRANSIENT, why)
        except (OSError, http.client.HTTPException) as exc:
            self._close()
            why = f"no answer from {self._host}:{self._port}: {exc or type(exc).__name__}"
            return Outcome(item.record_id, Verdict.TRANSIENT, why)
        return classify(item.record_id, status, answer)

    def _request(
        self, item: Outgoing, headers: dict[str, str], timeout_s: float
    ) -> tuple[int, bytes]:
        conn = self._connection(timeout_s)
        conn.request("POST", self._path, body=item.body.encode(), headers=headers)
        response = conn.getresponse()
        answer = response.read(MAX_ANSWER_BYTES)
        if response.will_close or len(answer) == MAX_ANSWER_BYTES:
            self._close()
        return response.status, answer

    def _connection(self, timeout_s: float) -> http.client.HTTPConnection:
        if self._conn is None:
            if self._tls is not None:
                self._conn = http.client.HTTPSConnection(
                    self._host, self._port, timeout=timeout_s, context=self._tls
                )
            else:
                self._conn = http.client.HTTPConnection(self._host, self._port, timeout=timeout_s)
        return self._conn

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def classify(record_id: str, status: int, answer: bytes) -> Outcome:
    """What an HTTP status says about one record."""
    text = answer[:200].decode("utf-8", "replace").strip()
    detail = f"HTTP {status}" + (f": {text}" if text else "")
    if 200 <= status < 300:
        return Outcome(record_id, Verdict.DELIVERED, "")
    if 400 <= status < 500 and status not in TRANSIENT_STATUS:
        return Outcome(record_id, Verdict.REFUSED, f"the receiver refused it: {detail}")
    return Outcome(record_id, Verdict.TRANSIENT, detail)
