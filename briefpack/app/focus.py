"""Keyboard focus that follows what the user sees: Tab order read from a layout."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLayout, QTabWidget, QToolButton, QWidget


def laid_out(layout: QLayout) -> list[QWidget]:
    """The widgets Tab can reach in ``layout``, in reading order (a form row by row, label
    before field; a box in its own order), looking inside plain containers."""
    out: list[QWidget] = []
    items: list = []
    if isinstance(layout, QFormLayout):
        for row in range(layout.rowCount()):
            for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole,
                         QFormLayout.ItemRole.SpanningRole):
                item = layout.itemAt(row, role)
                if item is not None:
                    items.append(item)
    else:
        items = [item for i in range(layout.count()) if (item := layout.itemAt(i))]
    for item in items:
        widget, inner = item.widget(), item.layout()
        if inner is not None:
            out += laid_out(inner)
        elif widget is not None:
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                out.append(widget)
            elif (own := widget.layout()) is not None:
                out += laid_out(own)
    return out


def order_tabs_as_laid_out(layout: QLayout) -> list[QWidget]:
    """Make Tab visit the layout's widgets in reading order; returns that order."""
    chain = laid_out(layout)
    for first, second in zip(chain, chain[1:]):
        QWidget.setTabOrder(first, second)
    return chain


def quiet_tab_arrows(tabs: QTabWidget) -> None:
    """The tab bar's scroll arrows are for the mouse: the tab bar itself takes the arrow
    keys, so the arrows are no Tab stops of their own."""
    for button in tabs.tabBar().findChildren(QToolButton):
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
