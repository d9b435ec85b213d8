"""Sub-command groups of the CLI, one module per feature.

Each module has ``register(subparsers)`` adding its commands; each command function takes
the CLI ``Context`` and returns an exit code. ``briefpack.cli.COMMANDS`` names every command
with its module and help line, so a module is imported only when one of its commands runs
(or its own ``--help`` is asked for): keep heavy imports inside the functions too, so
``briefpack COMMAND --help`` stays fast and never loads PySide6.
"""
