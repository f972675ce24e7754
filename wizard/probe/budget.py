"""One deadline and one cancel switch shared by every step of a check."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from wizard.probe.errors import Cancelled, ProbeFailure


class CancelToken:
    """Set once to stop every check that holds it; wakes blocked sockets through callbacks.

    The GUI keeps one and calls ``cancel()`` from its own thread.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: dict[int, Callable[[], None]] = {}
        self._next = 0

    def cancel(self) -> None:
        """Stop every operation that uses this token, as soon as it can."""
        with self._lock:
            self._event.set()
            callbacks = list(self._callbacks.values())
        for callback in callbacks:
            callback()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True if cancelled meanwhile."""
        return self._event.wait(max(0.0, seconds))

    def on_cancel(self, callback: Callable[[], None]) -> int:
        """Register ``callback`` (runs at once if already cancelled); returns a handle."""
        with self._lock:
            if not self._event.is_set():
                self._next += 1
                self._callbacks[self._next] = callback
                return self._next
        callback()
        return 0

    def remove(self, handle: int) -> None:
        with self._lock:
            self._callbacks.pop(handle, None)


class Budget:
    """A monotonic deadline plus a cancel token: every wait asks it how long it may take."""

    def __init__(self, seconds: float, cancel: CancelToken | None = None,
                 deadline: float | None = None) -> None:
        self.deadline = deadline if deadline is not None else time.monotonic() + seconds
        self.cancel = cancel or CancelToken()

    def remaining(self) -> float:
        """Seconds left; raises when cancelled or when the time is up."""
        if self.cancel.cancelled:
            raise Cancelled()
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise ProbeFailure("timeout")
        return left

    def sub(self, seconds: float) -> Budget:
        """A budget ending at most ``seconds`` from now, sharing this one's cancel token."""
        return Budget(0, self.cancel, min(self.deadline, time.monotonic() + seconds))
