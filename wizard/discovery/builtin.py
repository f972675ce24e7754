"""Source ``builtin``: the bundled provider table (instant, and trusted)."""

from __future__ import annotations

import time
from dataclasses import replace

from wizard import providers
from wizard.address import Address
from wizard.i18n import localized
from wizard.model import Attempt, Note, ProviderRef, Settings, order_servers


def settings_for(provider: providers.Provider, address: Address) -> Settings:
    """The settings a table provider gives ``address``: usernames filled, notes translated."""
    return Settings(
        address=address,
        found=True,
        provider=ProviderRef(provider.id, provider.name),
        source="builtin",
        source_url=None,
        secure=True,
        incoming=order_servers([s.resolved(address) for s in provider.incoming]),
        outgoing=order_servers([s.resolved(address) for s in provider.outgoing]),
        notes=tuple(Note(code, localized(texts), url) for code, texts, url in provider.notes),
        limits=provider.limits,
    )


def lookup(address: Address) -> tuple[Attempt, Settings | None]:
    """Look the address's domain up in the table."""
    started = time.monotonic()
    provider = providers.by_domain(address.domain_ascii)
    elapsed = int((time.monotonic() - started) * 1000)
    attempt = Attempt("builtin", address.domain_ascii, "ok" if provider else "not-found", elapsed)
    return attempt, settings_for(provider, address) if provider else None


def detect_offline(address: Address) -> Settings:
    """Detection without the network: the table's answer, with its one attempt.

    The same result as the engine's ``detect(offline=True)``, without importing the network
    sources (a command-line ``detect --offline`` stays a few tens of milliseconds).
    """
    started = time.monotonic()
    attempt, settings = lookup(address)
    elapsed = int((time.monotonic() - started) * 1000)
    if settings is None:
        return Settings(address=address, found=False, attempts=(attempt,), elapsed_ms=elapsed)
    return replace(settings, attempts=(attempt,), elapsed_ms=elapsed)
