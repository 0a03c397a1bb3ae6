"""The demo plant: a simulated bottling line behind a real OPC UA server and MQTT broker.

A peer of the HMI, not a part of it: nothing in the product imports this
package (an import-linter contract says so); ``hmi demo`` starts it and then
connects to it with ``demo_plant.toml`` like to any plant.

``DemoPlant`` is imported on first use: asyncua and amqtt take half a second to
import, and reading the plant file (``demo_plant_path``) needs neither.
"""

from __future__ import annotations

import importlib.resources
import pathlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hmi.sim.plant import DemoPlant

__all__ = ["DemoPlant", "demo_plant_path"]


def demo_plant_path() -> pathlib.Path:
    """The plant file that describes what the demo plant publishes."""
    resource = importlib.resources.files(__name__).joinpath("demo_plant.toml")
    if isinstance(resource, pathlib.Path):
        return resource
    # Installed inside an archive: the plant file reader needs a real file.
    raise RuntimeError(f"demo_plant.toml is not a file on disk: {resource}")


def __getattr__(name: str) -> object:
    if name == "DemoPlant":
        from hmi.sim.plant import DemoPlant  # noqa: PLC0415 - deferred, see the module docstring

        return DemoPlant
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
