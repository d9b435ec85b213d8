"""The bundle's `briefpack-gui` executable: the desktop app."""

import sys

from briefpack.processes import freeze_support

if __name__ == "__main__":
    freeze_support()  # a pack's worker process runs its task, not a second window
    from briefpack.app import main

    sys.exit(main())
