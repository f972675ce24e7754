"""Work-arounds for bugs of the Qt binding, each with the reason and how to drop it.

PySide6 6.12.0 on Python 3.11 drops one reference to ``True`` every time Python code
emits a signal or connects one (``signal.emit(…)``, ``signal.connect(…)``; signals emitted
by Qt itself are not affected). A wizard emits thousands, and when ``True``'s count reaches
zero the interpreter aborts ("Fatal Python error: bool_dealloc"), typically while exiting.
``tests/gui/test_qtcompat.py`` reproduces it. Python 3.12 made ``True`` and ``False``
immortal, so the bug is harmless there; on older Pythons we give both booleans a reserve of
references so large it is never used up, which is what 3.12 does. Drop this module once
the project requires a PySide6 release without the bug, or Python 3.12.
"""

from __future__ import annotations

import ctypes
import sys

_RESERVE = 1 << 40
_done = False


def protect_booleans() -> None:
    """Make ``True`` and ``False`` practically immortal (CPython before 3.12 only)."""
    global _done
    if _done or sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    for value in (True, False):
        ctypes.c_ssize_t.from_address(id(value)).value += _RESERVE
    _done = True


protect_booleans()
