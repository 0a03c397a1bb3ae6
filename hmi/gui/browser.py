"""The maintenance browser: an OPC UA server's address space and a broker's topic tree.

Each source is a branch; a branch is read when it is opened (a server's
folders one level at a time, a broker's topics as seen so far). Nodes and
topics bound to a tag of the plant file show the tag's name and can be
dragged onto the trends, which draw the tag on the ad-hoc trend; the others
are greyed with "not in the plant file".
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QBrush, QColor, QDrag, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hmi.domain.plant import PlantDef
from hmi.gui import theme
from hmi.gui.tasks import CallFailure, ServiceTasks
from hmi.gui.touch import TouchButton
from hmi.gui.trend.page import TAG_MIME
from hmi.services.browse import BrowseNode, BrowseService

KEY_ROLE = int(Qt.ItemDataRole.UserRole)
TAG_ROLE = KEY_ROLE + 1
SOURCE_ROLE = KEY_ROLE + 2
LOADED_ROLE = KEY_ROLE + 3
UNBOUND = "#8a8a8a"


class BrowseTree(QTreeWidget):
    """A tree whose bound items drag their tag id."""

    @staticmethod
    def mime_for(item: QTreeWidgetItem | None) -> QMimeData | None:
        """What dragging ``item`` carries: its tag id; None for an unbound node."""
        tag = item.data(0, TAG_ROLE) if item is not None else None
        if not tag:
            return None
        mime = QMimeData()
        mime.setData(TAG_MIME, str(tag).encode())
        mime.setText(str(tag))
        return mime

    def startDrag(self, _actions: Qt.DropAction) -> None:
        mime = self.mime_for(self.currentItem())
        if mime is None:
            return
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.CopyAction)


class BrowserPanel(QWidget):
    """Sources as branches, read on opening; bound leaves dragged to the trends."""

    def __init__(
        self,
        plant: PlantDef,
        service: BrowseService,
        tasks: ServiceTasks,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.plant = plant
        self._service = service
        self._tasks = tasks
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        head = QHBoxLayout()
        title = QLabel(self.tr("Browse the sources"))
        title.setFont(theme.font(theme.BASE_PT, bold=True))
        self.refresh_button = TouchButton(self.tr("Refresh"), theme.touch_min_px() * 2, 0)
        self.refresh_button.clicked.connect(self.refresh)
        head.addWidget(title, 1)
        head.addWidget(self.refresh_button)
        layout.addLayout(head)
        hint = QLabel(self.tr("Drag a tag onto the trend to draw it."))
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.tree = BrowseTree()
        self.tree.setHeaderLabels([self.tr("Node or topic"), self.tr("Tag")])
        self.tree.setColumnWidth(0, 230)
        self.tree.setDragEnabled(True)
        self.tree.itemExpanded.connect(self._expanded)
        layout.addWidget(self.tree, 1)
        self.message = QLabel()
        self.message.setObjectName("problem")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.setMinimumWidth(300)
        self.roots: dict[str, QTreeWidgetItem] = {}
        for source_id, kind in service.sources():
            words = "OPC UA" if kind == "opcua" else "MQTT"
            root = QTreeWidgetItem([f"{source_id} ({words})", ""])
            root.setData(0, SOURCE_ROLE, source_id)
            root.setData(0, KEY_ROLE, kind)
            root.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            self.tree.addTopLevelItem(root)
            self.roots[source_id] = root

    # -- reading -------------------------------------------------------------------

    def _expanded(self, item: QTreeWidgetItem) -> None:
        if item.data(0, LOADED_ROLE):
            return
        if item.parent() is not None and self._kind_of(item) == "mqtt":
            return  # a broker's levels are all read at once, with its topics
        item.setData(0, LOADED_ROLE, True)
        self.load(item)

    def load(self, item: QTreeWidgetItem) -> None:
        source = self._source_of(item)
        self.message.clear()
        if item.parent() is None and item.data(0, KEY_ROLE) == "mqtt":
            self._tasks.run(
                self._service.topics(source),
                lambda nodes: self._show_topics(item, nodes),
                self._failed(item),
                what="browse.topics",
            )
            return
        node_id = None if item.parent() is None else str(item.data(0, KEY_ROLE))
        self._tasks.run(
            self._service.children(source, node_id),
            lambda nodes: self._show_children(item, nodes),
            self._failed(item),
            what="browse.children",
        )

    def refresh(self) -> None:
        """Read every opened source again."""
        for root in self.roots.values():
            if root.isExpanded():
                root.takeChildren()
                self.load(root)

    def _failed(self, item: QTreeWidgetItem) -> Callable[[CallFailure], None]:
        def failed(failure: CallFailure) -> None:
            item.setData(0, LOADED_ROLE, False)
            self.message.setText(f"✕ {failure.message}")

        return failed

    # -- showing -------------------------------------------------------------------

    def _item(self, node: BrowseNode, source: str, text: str) -> QTreeWidgetItem:
        tag = self.plant.tag(node.tag).name if node.tag else ""
        item = QTreeWidgetItem(
            [text, tag or (self.tr("not in the plant file") if node.leaf else "")]
        )
        item.setData(0, KEY_ROLE, node.key)
        item.setData(0, SOURCE_ROLE, source)
        item.setToolTip(0, node.key)
        if node.tag:
            item.setData(0, TAG_ROLE, node.tag)
            bold = QFont(item.font(0))
            bold.setBold(True)
            item.setFont(0, bold)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsDragEnabled)
        else:
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            if node.leaf:
                for column in (0, 1):
                    item.setForeground(column, QBrush(QColor(UNBOUND)))
        if node.has_children:
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        return item

    def _show_children(self, parent: QTreeWidgetItem, nodes: list[BrowseNode]) -> None:
        source = self._source_of(parent)
        parent.takeChildren()
        for node in nodes:
            parent.addChild(self._item(node, source, node.name))
        if not nodes:
            parent.setChildIndicatorPolicy(
                QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicatorWhenChildless
            )

    def _show_topics(self, root: QTreeWidgetItem, nodes: list[BrowseNode]) -> None:
        """Topics as a tree of their levels; a level that is also a topic holds its tag."""
        source = self._source_of(root)
        root.takeChildren()
        levels: dict[str, QTreeWidgetItem] = {}
        for node in nodes:
            parent, path = root, ""
            parts = node.key.split("/")
            for depth, part in enumerate(parts):
                path = f"{path}/{part}" if depth else part
                if depth == len(parts) - 1:
                    item = self._item(node, source, part)
                    parent.addChild(item)
                    levels[path] = item
                elif path in levels:
                    parent = levels[path]
                    continue
                else:
                    folder = BrowseNode(path, part, False, True)
                    item = self._item(folder, source, part)
                    parent.addChild(item)
                    levels[path] = item
                parent = levels[path]
        if not nodes:
            root.addChild(QTreeWidgetItem([self.tr("no message yet"), ""]))

    @staticmethod
    def _kind_of(item: QTreeWidgetItem) -> str:
        top: QTreeWidgetItem = item
        while (parent := top.parent()) is not None:
            top = parent
        return str(top.data(0, KEY_ROLE))

    @staticmethod
    def _source_of(item: QTreeWidgetItem) -> str:
        top: QTreeWidgetItem = item
        while (parent := top.parent()) is not None:
            top = parent
        return str(top.data(0, SOURCE_ROLE))
