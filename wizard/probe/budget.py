"""One deadline and one cancel switch shared by every step of a check."""

from __future__ import annotations

import time

from wizard.cancel import CancelToken as CancelToken
from wizard.probe.errors import Cancelled, ProbeFailure


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
