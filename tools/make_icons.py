"""Write the app's icon as image files for the desktop bundle and Linux desktops.

The window icon is drawn at start (briefpack/app/icons.py); a bundle's executable and a
``.desktop`` entry need files. Run after changing the drawing:

    QT_QPA_PLATFORM=offscreen python tools/make_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication, QImageWriter

from briefpack.app.icons import _draw

OUT = Path(__file__).resolve().parents[1] / "assets" / "icons"


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    OUT.mkdir(parents=True, exist_ok=True)
    for name, fmt in (("briefpack.png", b"png"), ("briefpack.ico", b"ico")):
        writer = QImageWriter(str(OUT / name), fmt)
        if not writer.write(_draw(256).toImage()):
            print(f"cannot write {name}: {writer.errorString()}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
