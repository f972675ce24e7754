"""Source ``srv``: RFC 6186 and RFC 8314 SRV records.

Six names are asked at once. A target of "." means the service is not offered. Servers are
ordered by the records' priority, then IMAP before POP3 and implicit TLS before STARTTLS
(RFC 8314 §5.1 prefers implicit TLS between equals), then by weight, heaviest first (a
deterministic stand-in for RFC 2782's weighted choice, so a program's answer does not change
between runs). ``_imap``, ``_pop3`` and ``_submission`` servers are marked STARTTLS: RFC
8314 wants TLS on every connection, and a server that cannot do it fails the check instead
of silently losing encryption.

Trust: DNS answers without DNSSEC, so secure only when every target lies in the address's
domain or is a server of a provider in the bundled table (RFC 6186 §6).
"""

from __future__ import annotations

import time
from typing import Any, Final

from wizard.configxml import normalize_hostname
from wizard.discovery.base import Context
from wizard.discovery.dnsquery import DNSFailure
from wizard.discovery.scope import Cancelled, Scope
from wizard.discovery.trust import hosts_trusted
from wizard.model import PROTOCOLS, Protocol, Security, Server, Settings, Source, security_rank

SOURCE: Final[Source] = "srv"

SERVICES: tuple[tuple[str, Protocol, Security], ...] = (
    ("_imaps._tcp", "imap", "ssl"),
    ("_imap._tcp", "imap", "starttls"),
    ("_pop3s._tcp", "pop3", "ssl"),
    ("_pop3._tcp", "pop3", "starttls"),
    ("_submissions._tcp", "smtp", "ssl"),
    ("_submission._tcp", "smtp", "starttls"),
)


def servers_from_records(
    protocol: Protocol, security: Security, records: list[Any]
) -> tuple[list[tuple[int, int, Server]], bool]:
    """``(priority, weight, server)`` for each usable record; and whether "." said no."""
    out: list[tuple[int, int, Server]] = []
    refused = False
    for record in records:
        target = str(getattr(record, "target", "")).rstrip(".")
        if not target:
            refused = True
            continue
        host = normalize_hostname(target)
        port = getattr(record, "port", 0)
        if host is None or not 1 <= port <= 65535:
            continue
        out.append((record.priority, record.weight, Server(protocol, host, port, security)))
    return out, refused and not out


def order(entries: list[tuple[int, int, Server]]) -> tuple[Server, ...]:
    """Best first: priority, then protocol, then security, then weight (heaviest first)."""
    ranked = sorted(
        entries,
        key=lambda e: (e[0], PROTOCOLS.index(e[2].protocol), security_rank(e[2]), -e[1]),
    )
    seen: list[Server] = []
    for _p, _w, server in ranked:
        if server not in seen:
            seen.append(server)
    return tuple(seen)


def lookup(ctx: Context, scope: Scope) -> Settings | None:
    names = [f"{service}.{ctx.domain}" for service, _p, _s in SERVICES]
    started = time.monotonic()
    try:
        answers: list[Any] = ctx.dns(scope, [(name, "SRV") for name in names])
    except Cancelled as exc:
        for name in names:
            ctx.recorder.add(SOURCE, f"SRV {name}", "timeout" if exc.reason == "timeout"
                             else "skipped", None, started)
        raise
    except DNSFailure as exc:
        answers = [exc] * len(names)
    incoming: list[tuple[int, int, Server]] = []
    outgoing: list[tuple[int, int, Server]] = []
    for name, (_service, protocol, security), answer in zip(names, SERVICES, answers,
                                                            strict=True):
        if isinstance(answer, DNSFailure):
            ctx.recorder.add(SOURCE, f"SRV {name}", answer.outcome, answer.detail,
                             started)
            continue
        entries, refused = servers_from_records(protocol, security, answer)
        if refused:
            ctx.recorder.add(SOURCE, f"SRV {name}", "not-found",
                             "the service is not offered (target \".\")", started)
        elif not entries:
            ctx.recorder.add(SOURCE, f"SRV {name}", "invalid", "no usable record", started)
        else:
            ctx.recorder.add(SOURCE, f"SRV {name}", "ok",
                             ", ".join(f"{s.host}:{s.port}" for _p, _w, s in entries), started)
            (outgoing if protocol == "smtp" else incoming).extend(entries)
    if not incoming:
        return None
    inc, out = order(incoming), order(outgoing)
    return Settings(
        address=ctx.address,
        found=True,
        source=SOURCE,
        secure=hosts_trusted(inc + out, ctx.domain),
        incoming=tuple(s.resolved(ctx.address) for s in inc),
        outgoing=tuple(s.resolved(ctx.address) for s in out),
    )
