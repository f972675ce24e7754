"""Finding the settings for an address.

:func:`detect` is the one entry point for the command line and the GUI. The sources live in
modules of their own (``builtin`` here; the network sources beside it).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from wizard.address import Address
from wizard.discovery import builtin
from wizard.model import Attempt, Settings

EventHandler = Callable[[Attempt], None]


def detect(
    address: Address,
    *,
    offline: bool = False,
    timeout: float = 10.0,
    on_attempt: EventHandler | None = None,
) -> Settings:
    """Find settings for ``address``; ``on_attempt`` hears of every lookup as it ends."""
    started = time.monotonic()
    attempt, settings = builtin.lookup(address)
    if on_attempt:
        on_attempt(attempt)
    elapsed = int((time.monotonic() - started) * 1000)
    if settings is None:
        return Settings(address=address, found=False, attempts=(attempt,), elapsed_ms=elapsed)
    return _with(settings, attempts=(attempt,), elapsed_ms=elapsed)


def _with(settings: Settings, **changes: object) -> Settings:
    from dataclasses import replace

    return replace(settings, **changes)  # type: ignore[arg-type]
