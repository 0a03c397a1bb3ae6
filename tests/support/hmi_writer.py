"""An HMI process for the kill -9 test: writes records as fast as it can, forwards them.

Run as ``python -m tests.support.hmi_writer CACHE PORT``. It builds a Runtime
for a plant made in code (two stations, an MQTT upstream on 127.0.0.1:PORT),
signs in an operator, prints READY, then records interventions in turn at
each station, printing ``ID STATION SEQ`` after each ``record()`` returns:
a printed id is one the screen would have shown as saved. It never stops by
itself; the test kills it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hmi.domain.plant import MqttUpstream
from hmi.domain.records import RecordKind
from hmi.domain.roles import Action
from hmi.services.runtime import Runtime
from tests.support.upstream import PINS, STATIONS, records_plant

CLIENT_ID = "floorline-records-kill-test"


def main(cache: Path, port: int) -> None:
    plant = records_plant(
        MqttUpstream("127.0.0.1", port, client_id=CLIENT_ID), retry_min_s=0.2, retry_max_s=1.0
    )
    runtime = Runtime(plant, cache_path=cache, station=STATIONS[0])
    runtime.start()
    message = runtime.submit(runtime.session.sign_in("olga", PINS["olga"])).result(30)
    if message:
        raise SystemExit(f"sign-in failed: {message}")
    print("READY", flush=True)
    n = 0
    while True:
        station = STATIONS[n % len(STATIONS)]
        record = runtime.submit(
            runtime.records.record(
                Action.RECORD_INTERVENTION, RecordKind.INTERVENTION, station, {"text": f"note {n}"}
            )
        ).result(30)
        print(record.id, record.station, record.seq, flush=True)
        n += 1


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
