"""Walks a widget tree for touch targets that are too small or too close together."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QScrollBar,
    QTabBar,
    QWidget,
)

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSlider, QTabBar, QAbstractSpinBox)


def targets(root: QWidget) -> list[QWidget]:
    """Visible, enabled widgets a finger acts on (scroll bars count: they are dragged)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(root):
            continue
        if not widget.isVisible() or widget.width() == 0:
            continue
        if isinstance(widget.parent(), QAbstractSpinBox):
            continue  # the field inside a spin box: the box is the target
        if isinstance(widget, QScrollBar) and widget.maximum() == widget.minimum():
            continue  # nothing to scroll: drawn, but not a target
        found.append(widget)
    return found


def name(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") else ""  # type: ignore[attr-defined]
    return f"{type(widget).__name__}({text!r}, {widget.objectName()!r})"


def rect_in(widget: QWidget, root: QWidget) -> QRect:
    return QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())


def too_small(root: QWidget, least: int) -> list[str]:
    """Targets whose shorter side is under ``least`` pixels (tab bars: each tab)."""
    small = []
    for widget in targets(root):
        if isinstance(widget, QTabBar):
            for i in range(widget.count()):
                tab = widget.tabRect(i)
                if min(tab.width(), tab.height()) < least:
                    small.append(f"tab {widget.tabText(i)!r} {tab.width()}x{tab.height()}")
            continue
        if isinstance(widget, QScrollBar):
            side = widget.width() if widget.orientation().name == "Vertical" else widget.height()
            if side < least:
                small.append(f"{name(widget)} {widget.width()}x{widget.height()}")
            continue
        if min(widget.width(), widget.height()) < least:
            small.append(f"{name(widget)} {widget.width()}x{widget.height()}")
    return small


def too_close(root: QWidget, gap: int) -> list[str]:
    """Pairs of targets less than ``gap`` pixels apart (not nested, not overlapping by design)."""
    rects = [(w, rect_in(w, root)) for w in targets(root) if not isinstance(w, QScrollBar)]
    close = []
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            dx = max(rb.left() - ra.right() - 1, ra.left() - rb.right() - 1, 0)
            dy = max(rb.top() - ra.bottom() - 1, ra.top() - rb.bottom() - 1, 0)
            if max(dx, dy) < gap:
                close.append(f"{name(a)} and {name(b)}: {max(dx, dy)} px")
    return close


def consequential(root: QWidget, least: int, edge: int) -> list[str]:
    """High-consequence buttons under ``least`` or nearer than ``edge`` to ``root``'s sides."""
    found = []
    bounds = root.rect()
    for widget in targets(root):
        if not widget.property("consequence"):
            continue
        r = rect_in(widget, root)
        if min(r.width(), r.height()) < least:
            found.append(f"{name(widget)} {r.width()}x{r.height()} (at least {least})")
        margin = min(
            r.left() - bounds.left(),
            r.top() - bounds.top(),
            bounds.right() - r.right(),
            bounds.bottom() - r.bottom(),
        )
        if margin < edge:
            found.append(f"{name(widget)} {margin} px from the edge (at least {edge})")
    return found
