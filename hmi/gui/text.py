"""How values and ages are written on screen."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from hmi.domain.plant import DataType, TagDef
from hmi.domain.tags import TagScalar
from hmi.gui.i18n import format_integer, format_number

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
        return format_integer(int(value))
    return format_number(float(value), tag.precision)


def format_age(seconds: float) -> str:
    """Coarse on purpose: an operator needs "fresh" or "how old", not milliseconds."""
    # The count goes in as a plain name: pyside6-lupdate skips a call in that place.
    if seconds < 1:
        return QCoreApplication.translate("Age", "now")
    if seconds < 120:
        n = int(seconds)
        return QCoreApplication.translate("Age", "%n s", "", n)
    if seconds < 7200:
        n = int(seconds // 60)
        return QCoreApplication.translate("Age", "%n min", "", n)
    if seconds < 172800:
        n = int(seconds // 3600)
        return QCoreApplication.translate("Age", "%n h", "", n)
    n = int(seconds // 86400)
    return QCoreApplication.translate("Age", "%n d", "", n)
