"""The bundle's `briefpack` executable: the command line."""

import sys

from briefpack.processes import freeze_support

if __name__ == "__main__":
    freeze_support()  # a pack's worker process runs its task, not the command line
    from briefpack.cli import main

    sys.exit(main())
