"""Keep the demo plant's servers from flooding the HMI's log.

The demo runs inside the HMI's process, so its libraries log into the HMI's
log. At INFO, amqtt logs every connection and state change (and its state
machine library, transitions, every callback), and asyncua's server logs
thousands of lines while it builds its address space. Only levels nobody has
chosen are raised, so a developer chasing a server problem can still turn them
up; the HMI's own asyncua client loggers (``asyncua.client``) are left alone.

Both servers also log a full traceback when they cannot bind their port. A port
in use is an environment error that the demo plant reports once, clearly; a
traceback would read like a crash, so only the line is kept.
"""

from __future__ import annotations

import logging

_NOISY_LOGGERS = ("amqtt", "transitions", "asyncua.server")

# (logger, start of the message) of the start failures the demo reports itself.
_START_FAILURES = (
    ("amqtt.broker", "Broker startup failed"),
    ("asyncua.server.server", "OPC UA Server("),
)


class _NoTraceback(logging.Filter):
    """Keep a record whose message starts with ``prefix``, without its traceback."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.getMessage().startswith(self.prefix):
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_server_logging() -> None:
    """Raise the servers' loggers to WARNING (unless set) and shorten start failures."""
    for name in _NOISY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)
    for name, prefix in _START_FAILURES:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _NoTraceback) for f in logger.filters):
            logger.addFilter(_NoTraceback(prefix))
