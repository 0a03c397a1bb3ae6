"""A simulated bottling line: filler -> capper -> labeler, stepped in simulated time.

The demo and the integration tests need a plant that behaves like one: machines
that stop for a few seconds, fault for tens of seconds, run out of bottles when
the machine upstream stops, and process values that follow the machine (motor
current with speed, product warming in a stopped filler, a glue tank on a
thermostat). Everything random comes from one seeded ``random.Random`` and time
only moves in ``step``, so a seed and a sequence of steps reproduce a run exactly
(tests, screenshots). No I/O here: the servers in this package publish snapshots.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from hmi.domain.plant import MachineState

# Accumulation tables between the machines, in bottles.
BUFFER_CAPACITY = 240.0
# A starved machine restarts once this many bottles wait at its infeed (or space at its outfeed).
RESTART_LEVEL = 20.0
# Longer steps are split: the thermostat and the lags are integrated explicitly.
MAX_STEP_S = 1.0


@dataclass(frozen=True, slots=True)
class StationParams:
    """What makes one machine differ from the others: speeds, drive, failure rates."""

    rated_bpm: float
    accel_bpm_s: float
    idle_current_a: float
    amps_per_bpm: float
    short_stops_per_h: float
    faults_per_h: float
    reject_rate: float


FILLER = StationParams(360.0, 45.0, 2.5, 0.042, 6.0, 1.0, 0.02)
CAPPER = StationParams(390.0, 60.0, 1.8, 0.028, 5.0, 0.8, 0.015)
LABELER = StationParams(400.0, 60.0, 1.2, 0.019, 5.0, 0.8, 0.02)


@dataclass(frozen=True, slots=True)
class StationSnapshot:
    """What every machine reports, as the HMI's station page shows it."""

    state: MachineState
    speed_bpm: float
    good: int
    reject: int
    motor_current_a: float
    vibration_mm_s: float


@dataclass(frozen=True, slots=True)
class LineSnapshot:
    """One instant of the whole line, in engineering units."""

    time_s: float
    filler: StationSnapshot
    capper: StationSnapshot
    labeler: StationSnapshot
    product_temp_c: float
    fill_pressure_bar: float
    cap_torque_nm: float
    cap_torque_uncertain: bool  # the torque transducer is drifting: published as "uncertain"
    glue_temp_c: float
    web_tension_n: float
    label_roll_low: bool


def _chance(rate_per_h: float, dt_s: float) -> float:
    """Probability that an event with this hourly rate happens within ``dt_s``."""
    return 1.0 - math.exp(-rate_per_h * dt_s / 3600.0)


def _relax(value: float, target: float, tau_s: float, dt_s: float) -> float:
    """First-order lag: how a temperature or a pressure follows its cause."""
    return target + (value - target) * math.exp(-dt_s / tau_s)


class Station:
    """One machine: its state machine, drive, counters and vibration.

    A running machine stops briefly now and then (jam, door opened) and faults
    more rarely; a developing bearing problem raises vibration and makes a fault
    more likely, and the repair after the fault clears it. A machine with no
    bottles at its infeed, or no room at its outfeed, goes idle until it has.
    """

    def __init__(self, params: StationParams, rng: random.Random) -> None:
        self.params = params
        self._rng = rng
        self.state = MachineState.RUNNING
        self.speed = 0.0
        self.measured_speed = 0.0  # as the encoder reports it: a little jitter at speed
        self.good = 0
        self.reject = 0
        self.motor_current = 0.0
        self.vibration = 0.3
        self.wear = 0.0  # extra vibration of a worn bearing at rated speed, mm/s
        self._wear_rate = 0.0
        self._hold_s = 0.0  # time left in a stop or fault
        self._flow = 0.0  # part of a bottle carried to the next step

    def stop_for(self, seconds: float) -> None:
        """An operator stop (a label roll change); a fault in progress takes precedence."""
        if self.state is not MachineState.FAULTED:
            self.state = MachineState.STOPPED
            self._hold_s = max(self._hold_s, seconds)

    def step(
        self,
        dt: float,
        infeed: float,
        outfeed_space: float,
        speed_limit: float,
        extra_reject: float,
    ) -> tuple[int, int]:
        """Advance ``dt`` seconds; return (good, rejected) bottles that passed."""
        self._update_state(dt, infeed, outfeed_space)
        previous = self.speed
        target = min(self.params.rated_bpm, speed_limit) if self.is_running else 0.0
        ramp = self.params.accel_bpm_s
        if target < self.speed:  # braking is quicker than starting; a fault is an emergency stop
            ramp *= 8.0 if self.state is MachineState.FAULTED else 2.5
        if target >= self.speed:
            self.speed = min(target, self.speed + ramp * dt)
        else:
            self.speed = max(target, self.speed - ramp * dt)

        flow = self.speed / 60.0 * dt + self._flow
        passed = int(min(flow, infeed, outfeed_space))
        self._flow = flow - passed if passed == int(flow) else 0.0
        ramping = abs(self.speed - previous) > 1e-9  # more rejects while the speed changes
        p_reject = self.params.reject_rate * (2.5 if ramping else 1.0) + extra_reject
        rejects = sum(1 for _ in range(passed) if self._rng.random() < p_reject)
        self.good += passed - rejects
        self.reject += rejects

        self._update_drive(dt, (self.speed - previous) / dt)
        return passed - rejects, rejects

    @property
    def is_running(self) -> bool:
        return self.state is MachineState.RUNNING

    def _update_state(self, dt: float, infeed: float, outfeed_space: float) -> None:
        rng = self._rng
        if self.state in (MachineState.STOPPED, MachineState.FAULTED):
            self._hold_s -= dt
            if self._hold_s > 0:
                return
            if self.state is MachineState.FAULTED:
                # Maintenance found the cause (often the bearing); the operator resets.
                self.state = MachineState.STOPPED
                self._hold_s = rng.uniform(5.0, 15.0)
                self.wear = self._wear_rate = 0.0
                return
            self.state = MachineState.RUNNING
        if self.state is MachineState.RUNNING:
            fault_rate = self.params.faults_per_h * (1.0 + 1.5 * self.wear)
            if rng.random() < _chance(fault_rate, dt):
                self.state = MachineState.FAULTED
                self._hold_s = rng.uniform(20.0, 90.0)
            elif rng.random() < _chance(self.params.short_stops_per_h, dt):
                self.state = MachineState.STOPPED
                self._hold_s = rng.uniform(4.0, 40.0)
            elif infeed < 1.0 or outfeed_space < 1.0:
                self.state = MachineState.IDLE
        elif infeed >= RESTART_LEVEL and outfeed_space >= RESTART_LEVEL:
            self.state = MachineState.RUNNING

    def _update_drive(self, dt: float, accel_bpm_s: float) -> None:
        rng, p = self._rng, self.params
        if self._wear_rate == 0.0 and self.is_running and rng.random() < _chance(0.4, dt):
            self._wear_rate = rng.uniform(0.005, 0.03)  # a bearing starts to go
        self.wear = min(6.0, self.wear + self._wear_rate * dt)
        load = self.speed / p.rated_bpm
        self.measured_speed = max(0.0, self.speed + rng.gauss(0.0, 0.004 * self.speed))
        current = p.idle_current_a * min(1.0, self.speed / 30.0) + p.amps_per_bpm * self.speed
        current += 0.8 * p.amps_per_bpm * max(0.0, accel_bpm_s)  # torque to accelerate the load
        self.motor_current = max(0.0, current + rng.gauss(0.0, 0.05 + 0.15 * load))
        vibration = 0.3 + 2.0 * load**1.5 + self.wear * load
        self.vibration = min(12.0, max(0.05, vibration + rng.gauss(0.0, 0.04 + 0.08 * load)))

    def snapshot(self) -> StationSnapshot:
        return StationSnapshot(
            self.state,
            self.measured_speed,
            self.good,
            self.reject,
            self.motor_current,
            self.vibration,
        )


class BottlingLine:
    """The three machines, the two accumulation tables between them, and their process values.

    Downstream machines are rated faster than the filler and slow down as their
    infeed table empties, the usual "V-curve" that keeps bottles flowing; when
    the filler stops, the capper and labeler drain their tables and go idle.
    """

    def __init__(self, seed: int = 1) -> None:
        self._rng = random.Random(seed)
        self.time_s = 0.0
        self.filler = Station(FILLER, self._rng)
        # The filler's speed setpoint, which operators change from the HMI; the drive
        # clamps it to what the machine is rated for.
        self.filler_setpoint = FILLER.rated_bpm
        self.capper = Station(CAPPER, self._rng)
        self.labeler = Station(LABELER, self._rng)
        self.buffers = [BUFFER_CAPACITY / 3.0, BUFFER_CAPACITY / 3.0]
        self._infeed_starved_s = 0.0  # the rinser upstream of the filler has no bottles
        self.product_temp = 5.5
        self._chiller_temp = 5.4
        self.fill_pressure = 3.2
        self.cap_torque = 2.2
        self._torque_drift = 0.0
        self._torque_uncertain_s = 0.0
        self.glue_temp = 160.0
        self._heater_on = False
        self.web_tension = 15.0
        self.roll_full = 9000
        self.roll_left = 9000.0
        self._splice_at = 200.0

    def step(self, dt_s: float) -> LineSnapshot:
        """Advance the line by ``dt_s`` seconds of simulated time and return its new state."""
        if dt_s <= 0:
            raise ValueError(f"dt_s must be positive, got {dt_s}")
        parts = max(1, math.ceil(dt_s / MAX_STEP_S))
        for _ in range(parts):
            self._advance(dt_s / parts)
        return self.snapshot()

    def _advance(self, dt_s: float) -> None:
        rng = self._rng
        self.time_s += dt_s

        if self._infeed_starved_s > 0:
            self._infeed_starved_s -= dt_s
        elif rng.random() < _chance(3.0, dt_s):
            self._infeed_starved_s = rng.uniform(10.0, 60.0)
        infeed = 0.0 if self._infeed_starved_s > 0 else math.inf

        b0, b1 = self.buffers
        fill_reject = 0.03 if not 2.7 <= self.fill_pressure <= 3.4 else 0.0
        limit = min(max(self.filler_setpoint, 0.0), FILLER.rated_bpm)
        good, _ = self.filler.step(dt_s, infeed, BUFFER_CAPACITY - b0, limit, fill_reject)
        b0 += good
        torque_off = abs(self.cap_torque - 2.2) > 0.3
        good, rejects = self.capper.step(
            dt_s, b0, BUFFER_CAPACITY - b1, self._regulated(CAPPER, b0), 0.05 if torque_off else 0.0
        )
        b0 -= good + rejects
        b1 += good
        tension_off = not 22.0 <= self.web_tension <= 45.0
        good, rejects = self.labeler.step(
            dt_s, b1, math.inf, self._regulated(LABELER, b1), 0.04 if tension_off else 0.0
        )
        b1 -= good + rejects
        self.buffers = [b0, b1]

        self._step_filler_process(dt_s)
        self._step_capper_process(dt_s)
        self._step_labeler_process(dt_s, good + rejects)

    @staticmethod
    def _regulated(params: StationParams, infeed: float) -> float:
        """Speed limit of a downstream machine from how full its infeed table is."""
        fill = infeed / BUFFER_CAPACITY
        return params.rated_bpm * min(1.0, 0.7 + 0.6 * fill)

    def _step_filler_process(self, dt: float) -> None:
        rng, filler = self._rng, self.filler
        # Chilled product flows in while filling; a standing bowl slowly warms up.
        self._chiller_temp = _relax(self._chiller_temp, 5.4, 1200.0, dt)
        self._chiller_temp += 0.03 * math.sqrt(dt) * rng.gauss(0.0, 1.0)
        self._chiller_temp = min(6.8, max(4.2, self._chiller_temp))
        target = self._chiller_temp if filler.is_running else 9.0
        tau = 90.0 if filler.is_running else 400.0
        self.product_temp = _relax(self.product_temp, target, tau, dt) + rng.gauss(0.0, 0.01)
        self.product_temp = min(8.6, max(3.8, self.product_temp))
        # The regulator holds 3.25 bar; the flow to the valves drags it down with speed.
        load = filler.speed / FILLER.rated_bpm
        self.fill_pressure = _relax(self.fill_pressure, 3.25 - 0.45 * load, 3.0, dt)
        self.fill_pressure = min(3.6, max(2.4, self.fill_pressure + rng.gauss(0.0, 0.015)))

    def _step_capper_process(self, dt: float) -> None:
        rng = self._rng
        # Head wear and clutch temperature move the mean slowly; each cap scatters around it.
        self._torque_drift = _relax(self._torque_drift, 0.0, 600.0, dt)
        self._torque_drift += 0.004 * math.sqrt(dt) * rng.gauss(0.0, 1.0)
        if self.capper.speed > 1.0:
            self.cap_torque = 2.2 + self._torque_drift + rng.gauss(0.0, 0.05)
            self.cap_torque = min(2.8, max(1.6, self.cap_torque))
        if self._torque_uncertain_s > 0:
            self._torque_uncertain_s -= dt
        elif rng.random() < _chance(2.0, dt):
            self._torque_uncertain_s = rng.uniform(3.0, 12.0)

    def _step_labeler_process(self, dt: float, labelled: int) -> None:
        rng, labeler = self._rng, self.labeler
        # Glue tank on a thermostat; fresh glue pellets cool it while labelling.
        if self.glue_temp < 156.0:
            self._heater_on = True
        elif self.glue_temp > 163.0:
            self._heater_on = False
        heat = 0.6 if self._heater_on else 0.0
        loss = 0.002 * (self.glue_temp - 25.0) + 0.0005 * labeler.speed
        self.glue_temp += (heat - loss) * dt + rng.gauss(0.0, 0.02)
        # The dancer holds the web tighter at speed, and tighter still as the roll gets small.
        used = 1.0 - self.roll_left / self.roll_full
        target = 15.0 + (18.0 + 8.0 * used) * labeler.speed / LABELER.rated_bpm
        self.web_tension = _relax(self.web_tension, target, 1.5, dt) + rng.gauss(0.0, 0.4)
        self.web_tension = min(80.0, max(0.0, self.web_tension))

        self.roll_left = max(0.0, self.roll_left - labelled)
        if self.roll_left <= self._splice_at and labeler.state is not MachineState.FAULTED:
            labeler.stop_for(rng.uniform(30.0, 75.0))  # the operator changes the roll
            self.roll_full = rng.randint(8000, 10000)
            self.roll_left = float(self.roll_full)
            self._splice_at = rng.uniform(0.0, 400.0)

    def snapshot(self) -> LineSnapshot:
        return LineSnapshot(
            time_s=self.time_s,
            filler=self.filler.snapshot(),
            capper=self.capper.snapshot(),
            labeler=self.labeler.snapshot(),
            product_temp_c=self.product_temp,
            fill_pressure_bar=self.fill_pressure,
            cap_torque_nm=self.cap_torque,
            cap_torque_uncertain=self._torque_uncertain_s > 0,
            glue_temp_c=self.glue_temp,
            web_tension_n=self.web_tension,
            label_roll_low=self.roll_left < 0.1 * self.roll_full,
        )
