"""The window's actions, menus and toolbar, declared as data.

``ACTIONS`` names each action once: its text, what it calls (a dotted path from the window,
e.g. ``builds.build_pack``), its keys, tip and icon. ``MENUS`` and ``TOOLBAR`` list them by
name (``None`` is a separator; a ``Recent`` is a submenu filled as it opens). ``install``
makes them on a window whose class declares each action (``WindowActions``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStyle, QToolBar

from .help import HelpDialog

Keys = QKeySequence.StandardKey
Icons = QStyle.StandardPixmap


@dataclass(frozen=True)
class Action:
    """One action: ``name`` is its attribute on the window."""

    name: str
    text: str
    #: what it calls: a dotted path from the window (``builds.build_brief``)
    slot: str
    keys: tuple[str | QKeySequence.StandardKey, ...] = ()
    tip: str = ""
    icon: QStyle.StandardPixmap | None = None
    #: arguments the slot is called with
    args: tuple = ()


@dataclass(frozen=True)
class Recent:
    """A submenu of recent items, filled as it opens from ``items`` (a dotted path to a
    callable giving (text, tip, slot) triples)."""

    text: str
    items: str
    empty: str


ACTIONS: tuple[Action, ...] = (
    Action("new_visit_action", "&New visit", "visits.new", (Keys.New,),
           "Plan a new visit to the selected country", Icons.SP_FileIcon),
    Action("open_visit_action", "&Open visit…", "visits.open", (Keys.Open,),
           "Open a visit saved in the store", Icons.SP_DialogOpenButton),
    Action("save_action", "&Save", "save", (Keys.Save,),
           "Save data edits and the visit to the store", Icons.SP_DialogSaveButton),
    Action("import_action", "&Import visit from YAML…", "visits.import_visit"),
    Action("export_action", "&Export visit to YAML…", "visits.export_visit"),
    Action("open_store_action", "Open s&tore…", "choose_store"),
    # spelt out: offscreen and some desktops bind no key to these standard ones
    Action("settings_action", "Settin&gs…", "edit_settings", ("Ctrl+,",)),
    Action("quit_action", "&Quit", "close", ("Ctrl+Q",)),
    # fixed labels: the undo text ("Undo edit agreement 1: Jobs") goes in the tooltip,
    # so the toolbar does not grow and shift with every edit
    Action("undo_action", "&Undo", "undo_group.undo", (Keys.Undo,), "Undo the last change",
           Icons.SP_ArrowBack),
    Action("redo_action", "&Redo", "undo_group.redo", ("Ctrl+Y", Keys.Redo),
           "Redo the change undone", Icons.SP_ArrowForward),
    Action("find_action", "&Find country", "browser.focus_search", (Keys.Find,)),
    Action("next_pane_action", "Next &pane", "cycle_pane", ("F6", "Ctrl+Alt+Right"),
           "Move the keyboard focus to the next pane", args=(1,)),
    Action("previous_pane_action", "Pre&vious pane", "cycle_pane",
           ("Shift+F6", "Ctrl+Alt+Left"), "Move the keyboard focus to the previous pane",
           args=(-1,)),
    Action("build_action", "&Build brief", "builds.build_brief", ("Ctrl+B",),
           "Write the brief for the country in view", Icons.SP_FileDialogDetailedView),
    Action("pack_action", "Build &pack", "builds.build_pack", ("Ctrl+Shift+B",),
           "Write one pack for every country of the visit", Icons.SP_FileDialogListView),
    Action("build_options_action", "Build op&tions…", "builds.choose_options",
           ("Ctrl+Alt+B",), "Every build option (template, ceiling, large print, two-sided, "
           "copy number …), kept for this visit"),
    Action("print_action", "P&rint brief…", "builds.print_brief", (Keys.Print,),
           "Print the brief shown in the preview", Icons.SP_FileDialogContentsView),
    Action("cancel_action", "&Cancel build", "builds.cancel", ("Esc",),
           "Stop the build that is running"),
    Action("open_output_action", "Open &output folder", "builds.open_output_folder", (),
           "Open the folder briefs and packs are written to", Icons.SP_DirOpenIcon),
    Action("import_data_action", "&Import packet…", "data_menu.import_data", ("Ctrl+I",),
           "Refresh country data from a packet (.yaml or .json) or a spreadsheet (.csv)"),
    Action("export_packet_action", "&Export country packet…", "data_menu.export_packet",
           ("Ctrl+Shift+E",), "Write the country's data packet (.yaml, or .json for large "
           "packets) for its defence section to refresh"),
    Action("backups_action", "&Backups and restore…", "data_menu.show_backups", (),
           "List the store's backups; restore one"),
    Action("history_action", "Audit &history…", "data_menu.show_history", ("Ctrl+H",),
           "Every change to the country in view"),
    Action("review_due_action", "&Review due…", "data_menu.show_review_due", (),
           "Personal records past their review date"),
    Action("rank_action", "Ran&k countries…", "data_menu.show_rank", (),
           "Every country ranked against the priorities"),
    Action("plan_action", "Where to go &next…", "data_menu.show_plan", (),
           "Each country's tier against the time since its last senior visit; who is "
           "overdue a visit"),
    Action("complete_action", "Declare sections &complete…", "data_menu.declare_complete", (),
           "Declare which of the country's sections you hold in full, as of a date"),
    Action("mark_action", "Set &marking…", "set_marking", ("Ctrl+M",),
           "Set the protective marking of the selected record (or of the country)"),
    Action("judge_action", "Set &judgements…", "data_menu.set_judgements", (),
           "Set the country's priority tier and defence section"),
    Action("readout_action", "&Write the readout to the store…", "data_menu.apply_readout",
           (), "Add the visit's outcomes and actions to each country's record"),
    Action("print_pack_action", "Print the pac&k…", "builds.print_pack", (),
           "Print the last pack built"),
    Action("guide_action", "User &guide", "show_help", (Keys.HelpContents,),
           "How to build a brief, step by step", args=(HelpDialog.GUIDE,)),
    Action("shortcuts_action", "&Keyboard shortcuts", "show_help", ("Ctrl+/",),
           "Every keyboard shortcut", args=(HelpDialog.SHORTCUTS,)),
    Action("about_action", "&About briefpack", "show_help", (),
           "Version, store in use and licences", args=(HelpDialog.ABOUT,)),
)

Entry = str | Recent | None
MENUS: tuple[tuple[str, tuple[Entry, ...]], ...] = (
    ("&File", ("new_visit_action", "open_visit_action", "save_action",
               Recent("Recent &visits", "visits.recent_visits", "No visits opened yet"),
               None, "import_action", "export_action", None, "open_store_action",
               Recent("&Recent stores", "recent_stores", "No other stores opened yet"),
               "settings_action", None, "quit_action")),
    ("&Edit", ("undo_action", "redo_action", None, "find_action")),
    ("&View", ("form_action", None, "next_pane_action", "previous_pane_action")),
    ("&Data", ("import_data_action", "export_packet_action", None, "history_action",
               "mark_action", "judge_action", "complete_action", "review_due_action",
               "rank_action", "plan_action", None,
               "readout_action", None, "backups_action")),
    ("&Build", ("build_action", "pack_action", "build_options_action", "cancel_action", None,
                "print_action", "print_pack_action", "open_output_action",
                Recent("Recent b&uilds", "builds.recent_builds", "No builds yet"))),
    ("&Help", ("guide_action", "shortcuts_action", None, "about_action")),
)

TOOLBAR: tuple[str | None, ...] = (
    "new_visit_action", "open_visit_action", "save_action", None, "undo_action",
    "redo_action", None, "build_action", "pack_action", "print_action")


class WindowActions:
    """The actions a window has once ``install`` has run (one per entry of ACTIONS, and
    the record form's, which its dock makes)."""

    new_visit_action: QAction
    open_visit_action: QAction
    save_action: QAction
    import_action: QAction
    export_action: QAction
    open_store_action: QAction
    settings_action: QAction
    quit_action: QAction
    undo_action: QAction
    redo_action: QAction
    find_action: QAction
    next_pane_action: QAction
    previous_pane_action: QAction
    build_action: QAction
    pack_action: QAction
    build_options_action: QAction
    print_action: QAction
    cancel_action: QAction
    open_output_action: QAction
    import_data_action: QAction
    export_packet_action: QAction
    backups_action: QAction
    history_action: QAction
    review_due_action: QAction
    rank_action: QAction
    plan_action: QAction
    complete_action: QAction
    mark_action: QAction
    judge_action: QAction
    readout_action: QAction
    print_pack_action: QAction
    guide_action: QAction
    shortcuts_action: QAction
    about_action: QAction
    form_action: QAction


def install(window: QMainWindow) -> QToolBar:
    """Make every action on ``window``, then its menus and toolbar (returned)."""
    for spec in ACTIONS:
        setattr(window, spec.name, make_action(window, spec))
    menus = window.menuBar()
    for title, entries in MENUS:
        menu = menus.addMenu(title)
        for entry in entries:
            if isinstance(entry, Recent):
                _add_recent(window, menu, entry)
            else:
                _add(window, menu, entry)
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("main-toolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for name in TOOLBAR:
        _add(window, toolbar, name)
    return toolbar


def make_action(window: QMainWindow, spec: Action) -> QAction:
    action = QAction(spec.text, window)
    unique = {QKeySequence(k).toString(): QKeySequence(k) for k in spec.keys}
    action.setShortcuts([key for text, key in unique.items() if text])
    action.setStatusTip(spec.tip or spec.text.replace("…", "").replace("&", ""))
    if spec.icon is not None:
        action.setIcon(window.style().standardIcon(spec.icon))
    slot = operator.attrgetter(spec.slot)(window)
    args = spec.args
    action.triggered.connect(lambda _=False: slot(*args))
    window.addAction(action)
    return action


def describe(action: QAction, verb: str, text: str) -> None:
    """Undo's and Redo's tips say what they would undo or redo ("Undo edit agreement 1")."""
    tip = f"{verb} {text}" if text else f"Nothing to {verb.lower()}"
    action.setToolTip(tip)
    action.setStatusTip(tip)


def _add(window: QMainWindow, target: QMenu | QToolBar, name: str | None) -> None:
    if name is None:
        target.addSeparator()
    else:
        target.addAction(getattr(window, name))


def _add_recent(window: QMainWindow, menu: QMenu, recent: Recent) -> None:
    submenu = menu.addMenu(recent.text)
    items = operator.attrgetter(recent.items)(window)
    submenu.aboutToShow.connect(lambda: fill_recent(submenu, items(), recent.empty))


def fill_recent(menu: QMenu, items: Sequence[tuple[str, str, Callable[..., Any]]],
                empty: str) -> None:
    """Numbered items (&1 … &9), or one greyed line saying there are none."""
    menu.clear()
    for number, (text, tip, slot) in enumerate(items, start=1):
        label = f"&{number} {text}" if number < 10 else text
        action = menu.addAction(label)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
    if not items:
        menu.addAction(empty).setEnabled(False)
