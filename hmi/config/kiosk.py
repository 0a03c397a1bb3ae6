"""``[kiosk]``: the line PC's kiosk mode, cursor and dimming."""

from __future__ import annotations

from hmi.config.fields import Table
from hmi.domain.kiosk import KioskSettings


def read_kiosk(table: Table | None) -> KioskSettings:
    default = KioskSettings()
    if table is None:
        return default
    enabled = table.raw("enabled")
    hide = table.raw("hide_cursor")
    for key, value in (("enabled", enabled), ("hide_cursor", hide)):
        if value is not None and not isinstance(value, bool):
            table.report(key, f"expected true or false, got {value!r}")
    settings = KioskSettings(
        enabled=enabled is True,
        hide_cursor=hide is True,
        dim_after_s=table.number("dim_after_s", default.dim_after_s, lo=0, hi=86400),
        hold_to_exit_s=table.number("hold_to_exit_s", default.hold_to_exit_s, lo=1, hi=30),
    )
    table.finish()
    return settings
