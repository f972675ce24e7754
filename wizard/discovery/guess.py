"""Source ``guess``: probing the host names a domain is likely to use.

Incoming: ``imap.``, ``mail.`` and the bare domain for IMAP; ``pop3.``, ``pop.``, ``mail.``
and the bare domain for POP3. Outgoing: ``smtp.``, ``mail.`` and the bare domain on 465,
587 and 25. All names are resolved at once; only hosts that exist are probed, each protocol's
candidates concurrently, :data:`STAGGER` seconds apart, implicit TLS before STARTTLS. A
STARTTLS candidate is really upgraded, certificate verified; one whose server offers no
STARTTLS counts as ``plain``, used only if no encrypted candidate of that protocol works and
reported as insecure. A certificate that fails verification fails the candidate: guessing
never turns certificate checks off.

Trust: every guessed host lies in the address's domain, so the result is secure when every
chosen server was reached over TLS with a verified certificate.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from typing import Final

from wizard.discovery.base import Context
from wizard.discovery.capcheck import Capabilities, check
from wizard.discovery.dnsquery import DNSFailure
from wizard.discovery.net import NetError
from wizard.discovery.scope import Cancelled, Job, Scope, gather, race
from wizard.model import Outcome, Protocol, Security, Server, Settings, Source

SOURCE: Final[Source] = "guess"
STAGGER = 0.05
#: Per-candidate cap: connect, TLS, greeting and capabilities.
PROBE_TIMEOUT = 5.0

HOSTS: dict[Protocol, tuple[str, ...]] = {
    "imap": ("imap.", "mail.", ""),
    "pop3": ("pop3.", "pop.", "mail.", ""),
    "smtp": ("smtp.", "mail.", ""),
}
PORTS: dict[Protocol, tuple[tuple[int, Security], ...]] = {
    "imap": ((993, "ssl"), (143, "starttls")),
    "pop3": ((995, "ssl"), (110, "starttls")),
    "smtp": ((465, "ssl"), (587, "starttls"), (25, "starttls")),
}


@dataclass(frozen=True)
class Candidate:
    protocol: Protocol
    host: str
    port: int
    mode: Security

    @property
    def target(self) -> str:
        return f"{self.protocol} {self.host}:{self.port} {self.mode}"


def candidates(protocol: Protocol, domain: str) -> list[Candidate]:
    """``protocol``'s candidates for ``domain``, best first (implicit TLS, then by host)."""
    return [
        Candidate(protocol, prefix + domain, port, mode)
        for port, mode in PORTS[protocol]
        for prefix in HOSTS[protocol]
    ]


def lookup(ctx: Context, scope: Scope) -> Settings | None:
    hosts = sorted({prefix + ctx.domain for prefixes in HOSTS.values() for prefix in prefixes})
    addresses = _resolve(ctx, scope, hosts)
    if not addresses:
        return None
    results = gather(
        scope,
        [partial(_best, ctx, protocol=p, addresses=addresses) for p in HOSTS],
        list(HOSTS),
    )
    found = [server for server in results if server is not None]
    incoming = tuple(s for s, _c in found if s.protocol != "smtp")
    outgoing = tuple(s for s, _c in found if s.protocol == "smtp")
    if not incoming:
        return None
    return Settings(
        address=ctx.address,
        found=True,
        source=SOURCE,
        secure=all(s.security != "plain" for s in incoming + outgoing),
        incoming=incoming,
        outgoing=outgoing,
    )


def _resolve(ctx: Context, scope: Scope, hosts: list[str]) -> dict[str, list[str]]:
    started = time.monotonic()
    questions = [(h, t) for h in hosts for t in ("A", "AAAA")]
    try:
        answers = ctx.dns(scope, questions)
    except Cancelled as exc:
        for host in hosts:
            ctx.recorder.add(SOURCE, f"A {host}", "timeout" if exc.reason == "timeout"
                             else "skipped", None, started)
        raise
    except DNSFailure as exc:
        answers = [exc] * len(questions)
    found: dict[str, list[str]] = {}
    for i, host in enumerate(hosts):
        v4, v6 = answers[2 * i], answers[2 * i + 1]
        ips = [r.address for r in (v4 if isinstance(v4, list) else [])]
        ips += [r.address for r in (v6 if isinstance(v6, list) else [])]
        if ips:
            found[host] = ips
            ctx.recorder.add(SOURCE, f"A {host}", "ok", ", ".join(ips), started)
        else:
            failure = v4 if isinstance(v4, DNSFailure) else v6
            outcome: Outcome = failure.outcome if isinstance(failure, DNSFailure) else "not-found"
            detail = failure.detail if isinstance(failure, DNSFailure) else None
            ctx.recorder.add(SOURCE, f"A {host}", outcome, detail, started)
    return found


def _best(ctx: Context, scope: Scope, protocol: Protocol,
          addresses: dict[str, list[str]]) -> tuple[Server, Capabilities] | None:  # fmt: skip
    usable = [c for c in candidates(protocol, ctx.domain) if c.host in addresses]
    jobs = [
        Job(partial(_probe, ctx, candidate=c, addresses=addresses), (0, i), c.target,
            ctx.probe_timeout)
        for i, c in enumerate(usable)
    ]

    def rank(i: int, result: tuple[Server, Capabilities]) -> tuple[int, int]:
        return (0 if result[1].security != "plain" else 1, i)

    won = race(scope, jobs, stagger=STAGGER, key=rank)
    return won[1] if won else None


def _probe(ctx: Context, scope: Scope, candidate: Candidate,
           addresses: dict[str, list[str]]) -> tuple[Server, Capabilities] | None:  # fmt: skip
    with ctx.attempt(scope, SOURCE, candidate.target) as handle:
        try:
            caps = check(scope, candidate.protocol, candidate.host, candidate.port,
                         candidate.mode, resolve=lambda _s, h: addresses[h], context=ctx.tls)
        except Cancelled as exc:
            if exc.reason == "timeout" and scope.parent is not None and not scope.parent.stopped:
                raise NetError("timeout", "no answer in time") from None
            raise
        if not caps.auth:
            raise NetError("invalid", "no usable authentication offered")
        if caps.security == "plain":
            handle.set("ok", "no STARTTLS: unencrypted only")
        server = Server(candidate.protocol, candidate.host, candidate.port, caps.security,
                        caps.auth, ctx.address.email)
        return server, caps
    return None
