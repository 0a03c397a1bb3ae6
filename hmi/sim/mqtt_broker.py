"""The demo plant's MQTT broker: amqtt, in-process, on loopback.

The demo must run on a laptop with nothing installed, so the broker the capper
and the labeler publish to lives in the demo's own event loop instead of being
a Mosquitto the user has to start. amqtt 0.12 speaks MQTT 3.1.1 only (a v5
CONNECT is refused), which is why the demo plant file declares ``protocol =
"3.1.1"`` for its broker source. Anonymous clients are allowed: it is bound to
127.0.0.1 and carries nothing but simulated values.
"""

from __future__ import annotations

import logging
from typing import Any

from amqtt.broker import Broker

from hmi.sim.quiet import quiet_server_logging

logger = logging.getLogger(__name__)


class BrokerStartError(RuntimeError):
    """The broker could not listen (port in use, address not available)."""


class DemoBroker:
    """An amqtt broker bound to ``127.0.0.1:port`` for the lifetime of one demo plant.

    Must be started and shut down on the same running event loop. ``start``
    returns once the listening socket accepts connections.
    """

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = port
        self._broker: Any = None  # amqtt has no type information

    @property
    def running(self) -> bool:
        return self._broker is not None

    def config(self) -> dict[str, Any]:
        """The broker's configuration: one TCP listener, anonymous access, no $SYS topics."""
        return {
            "listeners": {"default": {"type": "tcp", "bind": f"{self.host}:{self.port}"}},
            "plugins": {
                "amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True},
            },
        }

    async def start(self) -> None:
        """Listen; raise BrokerStartError with the reason when the port cannot be bound."""
        if self._broker is not None:
            raise RuntimeError("the demo broker is already running")
        quiet_server_logging()
        broker = Broker(self.config())
        try:
            await broker.start()
        except Exception as exc:
            # amqtt wraps the OSError in its BrokerError; show the OS's reason.
            cause = exc.__cause__ or exc
            raise BrokerStartError(
                f"MQTT broker cannot listen on {self.host}:{self.port}: {cause}"
            ) from exc
        self._broker = broker
        logger.info("Demo MQTT broker listening on %s:%d", self.host, self.port)

    async def shutdown(self) -> None:
        """Disconnect every client, drop retained messages and close the listening socket."""
        broker, self._broker = self._broker, None
        if broker is None:
            return
        await broker.shutdown()
        logger.info("Demo MQTT broker on %s:%d stopped", self.host, self.port)
