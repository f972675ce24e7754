"""Work-arounds for bugs of the Qt binding, each with the reason and how to drop it.

PySide6 6.12.0 on Python 3.11 drops references to objects that Python 3.12 made immortal:
``None`` on every call that returns nothing (``label.setText(…)``), ``True`` on every
Python-side ``signal.emit(…)``, and so on (``tests/gui/test_qtcompat.py`` shows both). Its
binary seems to assume immortal singletons, which Python 3.11 does not have. A wizard makes
thousands of such calls; when a count reaches zero the interpreter aborts ("Fatal Python
error: none_dealloc" / "bool_dealloc"), typically while exiting.

On Python 3.11 we give those objects a reserve of references so large it is never used up:
what 3.12 does with immortality. Drop this module once the project requires Python 3.12 or
a PySide6 release that supports 3.11 properly (the tests tell when the bug is gone).
"""

from __future__ import annotations

import ctypes
import sys

_RESERVE = 1 << 40
_done = False


def _immortal_in_312() -> list[object]:
    """The objects Python 3.12 made immortal that a C extension may return or pass."""
    objects: list[object] = [None, True, False, Ellipsis, NotImplemented, (), "", b""]
    objects += list(range(-5, 257))  # the small-int cache
    objects += [chr(i) for i in range(256)]  # the one-character Latin-1 strings
    objects += [bytes([i]) for i in range(256)]
    return objects


def protect_immortals() -> None:
    """Make the 3.12 immortals practically immortal (CPython before 3.12 only)."""
    global _done
    if _done or sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    seen: set[int] = set()
    for value in _immortal_in_312():
        if id(value) in seen:
            continue
        seen.add(id(value))
        ctypes.c_ssize_t.from_address(id(value)).value += _RESERVE
    _done = True


protect_booleans = protect_immortals  # the name the first version used
protect_immortals()
