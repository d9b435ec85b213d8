"""The import-layering contract: dependencies point one way.

    foundations (marking, coercion, …) <- model <- store, priorities, scoring, … <- brief
        <- render <- pipeline <- cli, commands, app

A module may import its own layer or any layer below it, never one above. Every import
counts, including those inside functions (lazy imports are still dependencies). PySide6
is imported only in briefpack.app. The layers are listed once, here; a new top-level
module must be placed in one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "briefpack"

#: layer -> the top-level modules and packages of briefpack in it, lowest first
LAYERS: list[tuple[str, set[str]]] = [
    ("foundations", {"briefpack", "errors", "exitcodes", "paths", "progress", "formatting",
                     "textsafe", "coercion", "marking", "yamlio", "jsonio", "processes",
                     "background", "filesystems"}),
    ("model", {"model"}),
    ("data and rules", {"store", "priorities", "scoring", "planning", "templates", "visits",
                        "readout"}),
    ("brief", {"brief"}),
    ("render", {"render"}),
    ("pipeline", {"pipeline", "options"}),
    ("front ends", {"cli", "__main__", "commands", "app"}),
]
LAYER_OF = {name: i for i, (_, names) in enumerate(LAYERS) for name in names}
#: the only imports between front ends: ``python -m briefpack`` runs the CLI, the CLI runs
#: its commands, and ``briefpack gui`` opens the app (lazily, so no other command loads Qt).
#: Nothing imports cli (commands print through commands.output), and the app imports
#: neither cli nor commands.
BETWEEN_FRONT_ENDS = {("__main__", "cli"), ("cli", "commands"), ("commands", "app")}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(name: str, source: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in module ``name``'s ``source``."""
    package = name if is_package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if node.module is None:  # "from . import x": each x is a module
                found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, target))
    return found


def _top(module: str) -> str:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else parts[0]
    return "briefpack" if top == "__version__" else top


def violations(name: str, source: str, is_package: bool = False) -> list[str]:
    """Every import in module ``name`` that breaks the contract, one line each."""
    own = _top(name)
    wrong = []
    for line, target in _imports(name, source, is_package):
        if target.split(".")[0] == "PySide6" and own != "app":
            wrong.append(f"line {line}: imports {target}: PySide6 belongs in briefpack.app only")
        if not target.startswith("briefpack") or _top(target) == own:
            continue
        other = _top(target)
        mine, theirs = LAYER_OF[own], LAYER_OF.get(other, -1)
        front = len(LAYERS) - 1
        if theirs > mine or (mine == theirs == front and (own, other) not in BETWEEN_FRONT_ENDS):
            wrong.append(f"line {line}: {own} ({LAYERS[mine][0]}) imports {target} "
                         f"({LAYERS[theirs][0]})")
    return wrong


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer():
    unplaced = {_top(_module_name(p)) for p in MODULES} - set(LAYER_OF)
    assert not unplaced, f"place these in a layer in {__file__}: {sorted(unplaced)}"


@pytest.mark.parametrize("path", MODULES, ids=[_module_name(p) for p in MODULES])
def test_imports_point_down(path):
    wrong = violations(_module_name(path), path.read_text(encoding="utf-8"),
                       path.name == "__init__.py")
    assert not wrong, f"{path.relative_to(PACKAGE.parent)}:\n" + "\n".join(wrong)


def test_the_contract_catches_what_it_forbids():
    assert violations("briefpack.store.probe", "from ..pipeline import build\n") == [
        "line 1: store (data and rules) imports briefpack.pipeline (pipeline)"]
    assert violations("briefpack.model", "def f():\n    from .brief import document\n") == [
        "line 2: model (model) imports briefpack.brief (brief)"]
    assert violations("briefpack.commands.x", "from ..cli import main\n") == [
        "line 1: commands (front ends) imports briefpack.cli (front ends)"]
    assert violations("briefpack.app.x", "from ..commands import output\n")
    assert violations("briefpack.render.pdf", "import PySide6.QtGui\n")
    assert not violations("briefpack.brief.assemble", "from ..scoring import score\n")
