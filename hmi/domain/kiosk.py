"""How the program runs on a line PC: kiosk or not, the cursor, dimming when idle."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KioskSettings:
    """``[kiosk]`` in the plant file; ``--kiosk`` on the command line turns it on as well.

    In kiosk mode the window is fullscreen and frameless and cannot be closed,
    minimised or left by keyboard shortcuts; only an administrator's PIN ends
    it. The screen dims after ``dim_after_s`` without a touch (0: never) and
    the touch that wakes it does nothing else.
    """

    enabled: bool = False
    hide_cursor: bool = False
    dim_after_s: float = 600.0
    hold_to_exit_s: float = 3.0  # press and hold the plant's name to ask for the admin PIN
