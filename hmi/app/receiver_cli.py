"""``hmi receiver mqtt|http``: the reference receiver, for integrators and tests.

Runs until Ctrl+C or SIGTERM and prints one line per record. See
docs/records.md for the contract it demonstrates.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_ERROR = 2


def register(sub: Any) -> None:
    receiver = sub.add_parser(
        "receiver", help="receive Floorline records (MQTT or HTTP), de-duplicate, store in SQLite"
    )
    kinds = receiver.add_subparsers(dest="transport", required=True)

    mqtt = kinds.add_parser("mqtt", help="subscribe at QoS 1 on a persistent session")
    mqtt.add_argument("--host", required=True)
    mqtt.add_argument("--port", type=int, default=1883)
    mqtt.add_argument("--topic", default="floorline/records/#", help="topic filter to subscribe")
    mqtt.add_argument(
        "--client-id", default="floorline-receiver", help="keep it stable: the session"
    )
    mqtt.add_argument("--ca-file", help="TLS: the CA that signed the broker's certificate")
    mqtt.add_argument("--username")
    mqtt.add_argument(
        "--password-env", metavar="VAR", help="environment variable with the password"
    )

    http = kinds.add_parser("http", help="listen for POSTed envelopes")
    http.add_argument("--host", default="127.0.0.1", help="address to listen on (default loopback)")
    http.add_argument("--port", type=int, required=True)
    http.add_argument("--token-env", metavar="VAR", help="require this bearer token (env variable)")
    http.add_argument(
        "--refuse-kind",
        action="append",
        default=[],
        metavar="KIND",
        help="answer 422 to records of this kind (to see quarantine work); repeatable",
    )

    for cmd in (mqtt, http):
        cmd.add_argument("--db", type=Path, required=True, metavar="FILE", help="SQLite file")


def run(args: argparse.Namespace) -> int:
    # Imported here: `hmi --help` should not pay for paho.
    from hmi.receiver.http import HttpReceiver  # noqa: PLC0415
    from hmi.receiver.mqtt import BrokerSettings, MqttReceiver  # noqa: PLC0415
    from hmi.receiver.store import ReceivedStore  # noqa: PLC0415

    logging.getLogger("hmi.receiver").setLevel(logging.INFO)
    store = ReceivedStore(args.db)
    receiver: HttpReceiver | MqttReceiver
    try:
        if args.transport == "http":
            token = _secret(args.token_env)
            receiver = HttpReceiver(
                store, args.host, args.port, refuse_kinds=args.refuse_kind, token=token
            )
            where = f"http://{args.host}:{receiver.port}/"
        else:
            receiver = MqttReceiver(
                store,
                BrokerSettings(
                    args.host,
                    args.port,
                    args.topic,
                    args.client_id,
                    ca_file=args.ca_file,
                    username=args.username,
                    password=_secret(args.password_env),
                ),
            )
            where = f"mqtt://{args.host}:{args.port} {args.topic}"
    except (OSError, KeyError) as exc:
        print(f"cannot start the receiver: {exc}", file=sys.stderr)
        store.close()
        return EXIT_ERROR
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    receiver.start()
    print(f"receiving on {where}, storing into {args.db}", flush=True)
    stop.wait()
    receiver.stop()
    counts = store.counts()
    store.close()
    print(
        f"stopped: {counts.stored} stored, {counts.duplicates} duplicates,"
        f" {counts.rejected} rejected",
        flush=True,
    )
    return EXIT_OK


def _secret(env: str | None) -> str | None:
    if env is None:
        return None
    value = os.environ.get(env)
    if value is None:
        raise KeyError(f"environment variable {env} is not set")
    return value
