"""How values and ages are written on screen."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from hmi.domain.plant import DataType, TagDef
from hmi.domain.tags import TagScalar

NO_VALUE = "—"


def format_value(tag: TagDef, value: TagScalar | None) -> str:
    if value is None:
        return NO_VALUE
    if tag.data_type is DataType.BOOL or isinstance(value, bool):
        return (
            QCoreApplication.translate("Value", "On")
            if value
            else QCoreApplication.translate("Value", "Off")
        )
    if tag.data_type is DataType.STRING or isinstance(value, str):
        return str(value)
    if tag.data_type is DataType.INT:
        return f"{int(value):,}".replace(",", " ")
    return f"{float(value):.{tag.precision}f}"


def format_age(seconds: float) -> str:
    """Coarse on purpose: an operator needs "fresh" or "how old", not milliseconds."""
    tr = QCoreApplication.translate
    if seconds < 1:
        return tr("Age", "now")
    if seconds < 120:
        return tr("Age", "%n s", "", int(seconds))
    if seconds < 7200:
        return tr("Age", "%n min", "", int(seconds // 60))
    if seconds < 172800:
        return tr("Age", "%n h", "", int(seconds // 3600))
    return tr("Age", "%n d", "", int(seconds // 86400))
