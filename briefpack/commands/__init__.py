"""Sub-command groups of the CLI, one module per feature.

Each module has ``register(subparsers)`` adding its commands; each command function takes
the CLI ``Context`` and returns an exit code. Keep heavy imports inside the functions so
``briefpack --help`` stays fast and never loads PySide6.
"""

from . import building, data, gui, markings, readout, scoring, store

GROUPS: list = [store, markings, scoring, building, readout, gui, data]
