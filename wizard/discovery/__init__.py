"""Finding the settings for an address.

:func:`detect` is the one entry point for the command line and the GUI; the orchestration
and the order of the sources are described in :mod:`wizard.discovery.engine`. Each source
is a module of its own behind one interface (``lookup(ctx, scope) -> Settings | None``):
``builtin``, ``autoconfig``, ``ispdb``, ``mx``, ``srv``, ``autodiscover``, ``guess``. Their
plumbing: ``scope`` (deadlines, cancellation, racing threads), ``net`` and ``capcheck``
(sockets, TLS, the light server check of guessing), ``dnsquery``, ``fetch`` (HTTP), ``base``
(attempt recording) and ``trust`` (the contract's ``secure`` rules).
"""

from __future__ import annotations

from wizard.discovery.engine import (
    LANES,
    CancelSource,
    CancelToken,
    DetectEvent,
    Lane,
    SourceEvent,
    detect,
)

__all__ = [
    "LANES",
    "CancelSource",
    "CancelToken",
    "DetectEvent",
    "Lane",
    "SourceEvent",
    "detect",
]
