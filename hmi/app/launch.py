"""Builds the runtime and the main window, runs the Qt event loop, shuts down cleanly."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import logging
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from hmi.config import ConfigError, load_plant
from hmi.domain.plant import MqttSource, OpcUaSource, PlantDef, Source
from hmi.domain.quality import Quality
from hmi.gui import theme
from hmi.gui.bridge import RuntimeBridge
from hmi.gui.collector import GuiThreadCollector
from hmi.gui.main_window import MainWindow
from hmi.gui.session_control import OperatorServices
from hmi.services.runtime import Runtime

log = logging.getLogger(__name__)


@contextlib.contextmanager
def second_signal_leaves() -> Iterator[None]:
    """While shutting down, Ctrl+C or SIGTERM once more leaves at once.

    A shutdown waits for each service (at most ten seconds each); somebody who
    asks twice does not want to wait. Nothing saved is lost: the cache's writer
    commits every job as it ends. A forced exit may cost the tag history its
    last second, as a power cut would.
    """

    def leave(signum: int, _frame: object) -> None:
        log.error(
            "%s during shutdown: leaving without waiting for the runtime",
            signal.Signals(signum).name,
        )
        logging.shutdown()
        os._exit(128 + signum)

    previous = {signum: signal.signal(signum, leave) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def with_demo_ports(plant: PlantDef, mqtt_port: int, opcua_port: int) -> PlantDef:
    """The demo plant file with the ports the embedded demo actually listens on."""
    sources: list[Source] = []
    for source in plant.sources:
        if isinstance(source, MqttSource):
            sources.append(dataclasses.replace(source, port=mqtt_port))
        elif isinstance(source, OpcUaSource):
            parts = urlsplit(source.url)
            netloc = f"{parts.hostname}:{opcua_port}"
            sources.append(
                dataclasses.replace(source, url=urlunsplit(parts._replace(netloc=netloc)))
            )
        else:
            sources.append(source)  # the demo has no Sparkplug namespace
    return dataclasses.replace(plant, sources=tuple(sources))


def launch(args: argparse.Namespace) -> int:
    from hmi.app.cli import EXIT_CONFIG, EXIT_STARTUP  # noqa: PLC0415 - cli imports this module

    demo = None
    try:
        if args.command == "demo":
            from hmi.sim import DemoPlant, demo_plant_path  # noqa: PLC0415 - only the demo needs it

            plant = load_plant(demo_plant_path())
            mqtt_port, opcua_port = DemoPlant.pick_ports(
                args.mqtt_port or DemoPlant.free_port(), args.opcua_port or DemoPlant.free_port()
            )
            demo = DemoPlant(mqtt_port=mqtt_port, opcua_port=opcua_port, seed=args.seed)
            log.info(
                "starting the demo plant (MQTT port %d, OPC UA port %d)", mqtt_port, opcua_port
            )
            demo.start()
            plant = with_demo_ports(plant, mqtt_port, opcua_port)
        else:
            plant = load_plant(args.config)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        print("The plant file is not valid; Floorline did not start.", file=sys.stderr)
        return EXIT_CONFIG
    except RuntimeError as exc:
        print(f"The demo plant could not start: {exc}", file=sys.stderr)
        return EXIT_STARTUP
    try:
        return _run_gui(plant, args)
    finally:
        if demo is not None:
            with second_signal_leaves():
                demo.stop()


def _run_gui(plant: PlantDef, args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Floorline")
    maintenance = getattr(args, "persona", "station") == "maintenance"
    theme.apply(app, dense=maintenance)
    collector = GuiThreadCollector(app)  # before any other thread runs Python
    runtime = Runtime(plant)
    runtime.start()
    try:
        bridge = RuntimeBridge(runtime.store, runtime.acquisition.health)
        window = MainWindow(
            plant, bridge, runtime.clock.now, OperatorServices.of(runtime), runtime.history
        )
        if maintenance:
            window.attach_maintenance(runtime.browse)
            window.resize(1600, 960)
        if not _show_first_page(window, args.page):
            return 2
        kiosk = plant.kiosk
        if getattr(args, "kiosk", False):
            kiosk = dataclasses.replace(kiosk, enabled=True)
        if not maintenance or kiosk.enabled:
            window.attach_keyboard()  # a touch screen has no keys of its own
        if kiosk.enabled:
            guard = window.enter_kiosk(kiosk, runtime.session)
            guard.show()
        else:
            window.show()
        bridge.start()

        def stop(*_: object) -> None:
            # Ctrl+C in the terminal, or the service manager stopping the unit: a clean close.
            if window.kiosk is not None:
                window.kiosk.may_close = True
            window.close()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        if args.screenshot is not None:
            QTimer.singleShot(int(args.after * 1000), lambda: _screenshot(window, args.screenshot))
        return app.exec()
    finally:
        with second_signal_leaves():
            runtime.stop()
            collector.stop()


def _show_first_page(window: MainWindow, page: str) -> bool:
    """``--page``: overview, a station, trends[:STATION], alarms[:TAB], all; False if unknown."""
    if page == "overview":
        return True
    if page.startswith("trends"):
        window.show_page("trends")
        _, _, view = page.partition(":")
        if view:
            window.trends.show_view(view)
    elif page.startswith("alarms") and window.alarms is not None:
        window.show_page("alarms")
        _, _, tab = page.partition(":")
        window.alarms.show_tab(tab or "active")
    elif page == "all" and window.all_stations is not None:
        window.show_page("all")
    elif page in window.stations:
        window.show_station(page)
    else:
        print(f"unknown page {page!r}", file=sys.stderr)
        return False
    return True


def _screenshot(window: MainWindow, path: Path) -> None:
    window.bridge.drain()
    window.bridge.poll_health()
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = window.grab().save(str(path))
    if saved:
        # One line a script can read: is the plant live? (e.g. a headless commissioning check)
        values = window.bridge.snapshot().values()
        good = sum(1 for v in values if v.quality is Quality.GOOD)
        links = ", ".join(f"{h.source_id} {h.state.value}" for h in window.bridge.health())
        print(f"saved {path}: {good} of {len(values)} tags good; {links}", flush=True)
    else:
        log.error("could not save the screenshot to %s", path)
    window.close()
    QApplication.exit(0 if saved else 1)
