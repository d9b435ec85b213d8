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


def takes_focus(widget: QWidget) -> bool:
    """Tab can reach it now, and a screen reader can name it (tab widgets and bars are
    passed over: the page under them is where the work is)."""
    from PySide6.QtWidgets import QTabBar

    return (widget.isVisible() and widget.isEnabled()
            and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
            and bool(widget.accessibleName())
            and not isinstance(widget, (QTabBar, QTabWidget)))


def first_in(pane: QWidget) -> QWidget | None:
    """The first widget inside ``pane``, in Tab order, that takes focus and has a name:
    a field, list or table before a button (Add, Refresh), a button if there is no other."""
    from PySide6.QtWidgets import QAbstractButton

    if takes_focus(pane):
        return pane
    chain, widget = [], pane.nextInFocusChain()
    while widget is not None and widget is not pane and widget not in chain:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    inside = [w for w in chain if pane.isAncestorOf(w) and takes_focus(w)]
    return next((w for w in inside if not isinstance(w, QAbstractButton)),
                inside[0] if inside else None)


def cycle(panes: list[QWidget], focus: QWidget | None, step: int) -> QWidget | None:
    """F6 / Shift+F6: the focus to the next (or previous) pane that has something to take it
    (a named, visible control, never a bare container); returns the widget focused."""
    current = next((i for i, pane in enumerate(panes)
                    if focus is not None and (focus is pane or pane.isAncestorOf(focus))),
                   -1 if step > 0 else 0)
    for offset in range(1, len(panes) + 1):
        target = first_in(panes[(current + step * offset) % len(panes)])
        if target is not None:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return target
    return None
