"""Guards against a defect of the installed Qt binding.

Some PySide6 builds (seen with 6.12 on CPython 3.11) return ``None`` from every
void method without taking a reference to it. CPython 3.12+ never frees ``None``
(PEP 683), but on 3.11 each call lowers its count until Python aborts with
"none_dealloc: deallocating None" — after a few minutes of ordinary use.
"""

from __future__ import annotations

import sys

#: references added to None when the binding is found to leak them (never reached)
_BALLAST = 1 << 40


def binding_drops_none_references() -> bool:
    """True when a void Qt method leaves ``None`` with fewer references than before."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(8):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before - 4


def protect_none() -> bool:
    """Make ``None`` effectively immortal, as CPython 3.12 does, if the binding needs it."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if not binding_drops_none_references():
        return False
    import ctypes

    # ob_refcnt is the first field of every object in a release build of CPython
    ctypes.c_ssize_t.from_address(id(None)).value += _BALLAST
    return True
