"""The filler's PLC as the demo shows it: an asyncua server with one Filler object.

The HMI must reach the demo filler exactly as it reaches a real PLC, through an
OPC UA client with subscriptions, so that the demo exercises the same adapter,
quality and reconnect paths. The node ids are those of ``demo_plant.toml``
(``ns=2;s=Filler.*``); the server checks at start that its namespace really is
index 2, because a client addresses nodes by index and a silent shift would
leave every demo tag without a value. Security policy None only: the demo is
bound to loopback and a certificate would only get in the way of trying it out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from asyncua import ua
from asyncua.common.node import Node
from asyncua.server.server import Server  # asyncua's __init__ does not re-export it for mypy

from hmi.domain.plant import MachineState
from hmi.sim.line import LineSnapshot
from hmi.sim.quiet import quiet_server_logging

logger = logging.getLogger(__name__)

NAMESPACE_URI = "urn:floorline:demo:bottling"
NAMESPACE_INDEX = 2
ENDPOINT_PATH = "/floorline/demo"

# Filler.State as the filler's PLC codes it; demo_plant.toml maps it back to a state.
STATE_CODES: dict[MachineState, int] = {
    MachineState.STOPPED: 0,
    MachineState.RUNNING: 1,
    MachineState.IDLE: 2,
    MachineState.FAULTED: 3,
}


@dataclass(frozen=True, slots=True)
class FillerVariable:
    """One variable of the Filler object: its browse name and its OPC UA type."""

    name: str
    variant_type: ua.VariantType

    @property
    def node_id(self) -> str:
        return f"ns={NAMESPACE_INDEX};s=Filler.{self.name}"


FILLER_VARIABLES: tuple[FillerVariable, ...] = (
    FillerVariable("State", ua.VariantType.Int32),
    FillerVariable("Speed", ua.VariantType.Double),
    # A PLC counts in a UDINT; 2**32 bottles is decades of production.
    FillerVariable("GoodCount", ua.VariantType.UInt32),
    FillerVariable("RejectCount", ua.VariantType.UInt32),
    FillerVariable("ProductTemperature", ua.VariantType.Double),
    FillerVariable("FillPressure", ua.VariantType.Double),
    FillerVariable("MotorCurrent", ua.VariantType.Double),
    FillerVariable("Vibration", ua.VariantType.Double),
)
# Written by the HMI, read by the line: the one writable node of the demo.
SETPOINT = FillerVariable("SpeedSetpoint", ua.VariantType.Double)


def opcua_url(port: int, host: str = "127.0.0.1") -> str:
    """The endpoint URL an HMI connects to."""
    return f"opc.tcp://{host}:{port}{ENDPOINT_PATH}"


def filler_values(snapshot: LineSnapshot) -> dict[str, float | int]:
    """The filler's variables, by browse name, from one snapshot of the line."""
    filler = snapshot.filler
    return {
        "State": STATE_CODES.get(filler.state, STATE_CODES[MachineState.STOPPED]),
        "Speed": round(filler.speed_bpm, 1),
        "GoodCount": filler.good,
        "RejectCount": filler.reject,
        "ProductTemperature": round(snapshot.product_temp_c, 2),
        "FillPressure": round(snapshot.fill_pressure_bar, 3),
        "MotorCurrent": round(filler.motor_current_a, 2),
        "Vibration": round(filler.vibration_mm_s, 3),
    }


class OpcUaStartError(RuntimeError):
    """The OPC UA server could not start (port in use, address not available)."""


class FillerServer:
    """The OPC UA server of the demo filler, bound to ``127.0.0.1:port``.

    Must be started, written and stopped on the same running event loop.
    ``start`` returns once the endpoint accepts connections.
    """

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = port
        self._server: Server | None = None
        self._nodes: dict[str, Node] = {}

    @property
    def url(self) -> str:
        return opcua_url(self.port, self.host)

    @property
    def running(self) -> bool:
        return self._server is not None

    async def start(self) -> None:
        """Build the address space and listen; raise OpcUaStartError with the reason."""
        if self._server is not None:
            raise RuntimeError("the demo OPC UA server is already running")
        quiet_server_logging()
        server = Server()
        await server.init()
        server.set_endpoint(self.url)
        server.set_server_name("Floorline demo filler")
        server.set_security_policy([ua.SecurityPolicyType.NoSecurity])
        # Anonymous only: offering user name or certificate tokens without a secure
        # channel makes asyncua warn about plaintext passwords, and nobody logs in here.
        server.set_identity_tokens([ua.AnonymousIdentityToken])
        index = await server.register_namespace(NAMESPACE_URI)
        if index != NAMESPACE_INDEX:
            raise RuntimeError(
                f"demo namespace got index {index}, the plant file addresses ns={NAMESPACE_INDEX}"
            )
        await self._build_filler(server, index)
        try:
            await server.start()
        except OSError as exc:
            raise OpcUaStartError(f"OPC UA server cannot listen on {self.url}: {exc}") from exc
        self._server = server
        logger.info("Demo OPC UA server listening on %s", self.url)

    async def _build_filler(self, server: Server, index: int) -> None:
        filler = await server.nodes.objects.add_object(f"ns={index};s=Filler", f"{index}:Filler")
        for variable in FILLER_VARIABLES:
            initial = 0.0 if variable.variant_type is ua.VariantType.Double else 0
            node = await filler.add_variable(
                variable.node_id,
                f"{index}:{variable.name}",
                ua.Variant(initial, variable.variant_type),
            )
            self._nodes[variable.name] = node
        setpoint = await filler.add_variable(
            SETPOINT.node_id, f"{index}:{SETPOINT.name}", ua.Variant(360.0, SETPOINT.variant_type)
        )
        await setpoint.set_writable()
        self._nodes[SETPOINT.name] = setpoint

    async def publish(self, snapshot: LineSnapshot, source_ts: datetime) -> None:
        """Write the filler's values with the time the PLC sampled them."""
        server = self._server
        if server is None:
            raise RuntimeError("the demo OPC UA server is not running")
        values = filler_values(snapshot)
        stamp = ua.DateTime.fromtimestamp(source_ts.timestamp(), UTC)
        for variable in FILLER_VARIABLES:
            value = ua.DataValue(
                ua.Variant(values[variable.name], variable.variant_type),
                SourceTimestamp=stamp,
                ServerTimestamp=stamp,
            )
            await server.write_attribute_value(self._nodes[variable.name].nodeid, value)

    async def setpoint(self) -> float:
        """The speed setpoint as the HMI last wrote it."""
        value = await self._nodes[SETPOINT.name].read_value()
        return float(value)

    async def stop(self) -> None:
        """Close every session and the listening socket."""
        server, self._server = self._server, None
        self._nodes.clear()
        if server is None:
            return
        await server.stop()
        logger.info("Demo OPC UA server on %s stopped", self.url)
