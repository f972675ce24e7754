"""DNS questions for discovery: several at once on one socket, within a scope.

dnspython builds and parses the messages; the waiting is ours, so that a cancelled or
timed-out lookup ends at once (its socket is shut down by the scope) instead of sitting out
the resolver's lifetime in a thread nobody waits for. The servers are the system's
(``/etc/resolv.conf``, or the registry on Windows, as dnspython reads them). A question is
retransmitted every :data:`RETRANSMIT` seconds, rotating over the servers; SERVFAIL and
REFUSED move on to the next server; a truncated answer is asked again over TCP.
"""

from __future__ import annotations

import contextlib
import socket
import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.resolver

from wizard.discovery.net import NetError, connect
from wizard.discovery.scope import SLICE, Scope

RETRANSMIT = 1.0
#: Per-question cap; the caller's scope may be shorter.
DNS_TIMEOUT = 3.0


class DNSFailure(NetError):
    """A question could not be answered: ``not-found`` (NXDOMAIN, no such record),
    ``error`` (SERVFAIL, REFUSED, garbage) or ``timeout``."""


@cache
def system_nameservers() -> tuple[str, ...]:
    """The system's DNS servers (read once per process)."""
    try:
        resolver = dns.resolver.Resolver(configure=True)
    except (dns.resolver.NoResolverConfiguration, OSError):
        return ("127.0.0.1",)
    return tuple(str(ns) for ns in resolver.nameservers) or ("127.0.0.1",)


@dataclass
class _Question:
    name: str
    rdtype: dns.rdatatype.RdataType
    message: dns.message.QueryMessage
    sent_to: int = 0
    answer: Any = None
    error: DNSFailure | None = None
    tried: set[str] = field(default_factory=set)

    @property
    def done(self) -> bool:
        return self.answer is not None or self.error is not None


def resolve_many(
    scope: Scope, questions: list[tuple[str, str]], nameservers: tuple[str, ...] | None = None
) -> list[list[Any] | DNSFailure]:
    """Ask every ``(name, type)`` at once; per question, its records or a DNSFailure.

    Records follow CNAME chains (dnspython's :class:`dns.resolver.Answer`). Raises
    :class:`~wizard.discovery.scope.Cancelled` when the scope is cancelled.
    """
    servers = nameservers or system_nameservers()
    pending: list[_Question] = []
    for name, rdtype in questions:
        try:
            qname = dns.name.from_text(name)
        except dns.exception.DNSException:
            pending.append(_Question(name, dns.rdatatype.A, dns.message.make_query("a.", "A"),
                                     error=DNSFailure("invalid", f"bad DNS name {name}")))
            continue
        kind = dns.rdatatype.from_text(rdtype)
        message = dns.message.make_query(qname, kind, use_edns=0, payload=1232)
        pending.append(_Question(name, kind, message))
    sockets: dict[int, socket.socket] = {}
    try:
        for family in {_family(ns) for ns in servers}:
            sock = socket.socket(family, socket.SOCK_DGRAM)
            sock.setblocking(False)
            scope.track(sock)
            sockets[family] = sock
        last_send = -RETRANSMIT
        rounds = 0
        while not all(q.done for q in pending):
            now = time.monotonic()
            if now - last_send >= RETRANSMIT:
                for q in pending:
                    if not q.done:
                        _send(sockets, q, servers[(q.sent_to + rounds) % len(servers)])
                last_send, rounds = now, rounds + 1
            wait = min(RETRANSMIT - (time.monotonic() - last_send), scope.remaining(), SLICE)
            ready = _readable(list(sockets.values()), max(wait, 0.0))
            for sock in ready:
                _receive(scope, sock, pending, servers)
        return [q.answer if q.error is None else q.error for q in pending]
    except Exception:
        if scope.reason == "timeout":
            raise DNSFailure("timeout", "no answer from the DNS server") from None
        raise
    finally:
        for sock in sockets.values():
            scope.untrack(sock)
            sock.close()


def resolve(scope: Scope, name: str, rdtype: str) -> list[Any]:
    """One question; its records, or :class:`DNSFailure`."""
    result = resolve_many(scope, [(name, rdtype)])[0]
    if isinstance(result, DNSFailure):
        raise result
    return result


def addresses(scope: Scope, host: str) -> list[str]:
    """IPv4 then IPv6 addresses of ``host`` (A and AAAA asked together)."""
    v4, v6 = resolve_many(scope, [(host, "A"), (host, "AAAA")])
    found = [r.address for r in v4 if hasattr(r, "address")] if isinstance(v4, list) else []
    found += [r.address for r in v6 if hasattr(r, "address")] if isinstance(v6, list) else []
    if found:
        return found
    for result in (v4, v6):
        if isinstance(result, DNSFailure) and result.outcome != "not-found":
            raise result
    raise DNSFailure("not-found", f"{host} does not exist")


def _family(address: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in address else socket.AF_INET


def _send(sockets: dict[int, socket.socket], q: _Question, server: str) -> None:
    with contextlib.suppress(OSError):  # an unreachable server is like a silent one
        sockets[_family(server)].sendto(q.message.to_wire(), (server, 53))
    q.tried.add(server)


def _readable(socks: list[socket.socket], timeout: float) -> list[socket.socket]:
    import select

    if not socks:
        time.sleep(timeout)
        return []
    readable, _, _ = select.select(socks, [], [], timeout)
    return readable


def _receive(
    scope: Scope, sock: socket.socket, pending: list[_Question], servers: tuple[str, ...]
) -> None:
    while True:
        try:
            wire, source = sock.recvfrom(65535)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            scope.check()
            return  # e.g. ICMP port unreachable: wait for another server or the time-out
        if source[0] not in servers:
            continue
        try:
            response = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            continue
        for q in pending:
            if not q.done and q.message.is_response(response):
                _settle(scope, q, response, source[0], servers)
                break


def _settle(
    scope: Scope,
    q: _Question,
    response: dns.message.Message,
    server: str,
    servers: tuple[str, ...],
) -> None:
    if response.flags & dns.flags.TC:
        response = _over_tcp(scope, q, server)
    rcode = response.rcode()
    if rcode == dns.rcode.NXDOMAIN:
        q.error = DNSFailure("not-found", f"{q.name} does not exist (NXDOMAIN)")
    elif rcode == dns.rcode.NOERROR:
        try:
            # dnspython annotates dns.query.udp/tcp as returning a Message, but the answer
            # to a query is always built as a QueryMessage, which Answer wants.
            answer = dns.resolver.Answer(
                dns.name.from_text(q.name), q.rdtype, dns.rdataclass.IN, response  # type: ignore[arg-type]
            )
            q.answer = list(answer)
        except dns.resolver.NoAnswer:
            q.error = DNSFailure("not-found", f"{q.name} has no {q.rdtype.name} record")
        except dns.exception.DNSException as exc:
            q.error = DNSFailure("invalid", f"bad DNS answer for {q.name}: {exc}")
    else:
        untried = [s for s in servers if s not in q.tried]
        if untried:
            q.sent_to = servers.index(untried[0])
            return  # the next round goes to another server
        q.error = DNSFailure("error", f"DNS server answered {dns.rcode.to_text(rcode)}")


def _over_tcp(scope: Scope, q: _Question, server: str) -> dns.message.Message:
    sock = connect(scope, server, 53, lambda _s, h: [h])
    with scope.owning(sock):
        sock.setblocking(True)
        sock.settimeout(scope.remaining())
        try:
            dns.query.send_tcp(sock, q.message)
            response, _ = dns.query.receive_tcp(sock, time.time() + scope.remaining())
        except (OSError, EOFError, dns.exception.DNSException):
            scope.check()
            raise DNSFailure("error", "DNS over TCP failed") from None
    return response
