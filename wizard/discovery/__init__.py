"""Finding the settings for an address.

:func:`detect` is the one entry point for the command line and the GUI; the orchestration
and the order of the sources are described in :mod:`wizard.discovery.engine`. Each source
is a module of its own behind one interface (``lookup(ctx, scope) -> Settings | None``):
``builtin``, ``autoconfig``, ``ispdb``, ``mx``, ``srv``, ``autodiscover``, ``guess``. Their
plumbing: ``scope`` (deadlines, cancellation, racing threads), ``net`` and ``capcheck``
(sockets, TLS, the light server check of guessing), ``dnsquery``, ``fetch`` (HTTP), ``base``
(attempt recording) and ``trust`` (the contract's ``secure`` rules).

The engine and its network sources are imported on first use, so an offline lookup from
the command line does not pay for DNS, TLS and HTTP modules it never uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wizard.address import Address
from wizard.model import Settings

if TYPE_CHECKING:
    from wizard.discovery.engine import (
        LANES,
        CancelSource,
        CancelToken,
        DetectEvent,
        Lane,
        SourceEvent,
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


def detect(address: Address, *, offline: bool = False, **options: Any) -> Settings:
    """Find settings for ``address``; see :func:`wizard.discovery.engine.detect`."""
    if offline and options.get("on_event") is None and options.get("on_attempt") is None:
        from wizard.discovery.builtin import detect_offline

        return detect_offline(address)
    from wizard.discovery import engine

    return engine.detect(address, offline=offline, **options)


def __getattr__(name: str) -> Any:
    if name in __all__:
        from wizard.discovery import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
