"""``[kiosk]``: the line PC's kiosk mode, cursor and dimming."""

from __future__ import annotations

from hmi.config.fields import Table
from hmi.domain.kiosk import KioskSettings


def read_kiosk(table: Table | None) -> KioskSettings:
    default = KioskSettings()
    if table is None:
        return default
    settings = KioskSettings(
        enabled=table.boolean("enabled", default.enabled),
        hide_cursor=table.boolean("hide_cursor", default.hide_cursor),
        dim_after_s=table.number("dim_after_s", default.dim_after_s, lo=0, hi=86400),
        hold_to_exit_s=table.number("hold_to_exit_s", default.hold_to_exit_s, lo=1, hi=30),
    )
    table.finish()
    return settings
