"""One cancel switch for all long work: discovery, probing, exporting, the GUI's tasks.

The GUI keeps a :class:`CancelToken` per task and calls :meth:`CancelToken.cancel` from
its own thread; the core's loops check :attr:`CancelToken.cancelled`, sleep through
:meth:`CancelToken.wait`, and register callbacks that close their sockets so a blocked
read ends at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):
    """The person cancelled the job."""


class CancelToken:
    """Set once, from any thread, to stop every operation that holds it."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: dict[int, Callable[[], None]] = {}
        self._next = 0

    def cancel(self) -> None:
        """Stop every operation that uses this token, as soon as it can."""
        with self._lock:
            self._event.set()
            callbacks, self._callbacks = list(self._callbacks.values()), {}
        for callback in callbacks:
            callback()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True if cancelled meanwhile."""
        return self._event.wait(max(0.0, seconds))

    def raise_if_cancelled(self) -> None:
        """Raise :class:`Cancelled` once the token is set."""
        if self._event.is_set():
            raise Cancelled

    def on_cancel(self, callback: Callable[[], None]) -> int:
        """Run ``callback`` on cancel (at once if already cancelled); returns a handle."""
        with self._lock:
            if not self._event.is_set():
                self._next += 1
                self._callbacks[self._next] = callback
                return self._next
        callback()
        return 0

    def remove(self, handle: int) -> None:
        """Forget a callback that is no longer needed (its operation ended)."""
        with self._lock:
            self._callbacks.pop(handle, None)
