"""Checking every server of a result at once, under one deadline, with progress events."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from wizard.address import Address
from wizard.model import Server, Settings
from wizard.probe.budget import Budget, CancelToken
from wizard.probe.certinfo import parse_fingerprint
from wizard.probe.check import AUTHORITATIVE_SOURCES, Policy, ServerResult, check_server
from wizard.probe.diagnose import diagnose
from wizard.probe.errors import ProbeFailure, Stage
from wizard.probe.roundtrip import RoundTripResult, round_trip
from wizard.probe.sasl import Credentials

JOIN_GRACE = 2.0


@dataclass(frozen=True)
class ProbeOptions:
    """What a check may do. ``timeout`` is the one deadline for all servers together; the
    round trip, if asked for, gets the same time again."""

    password: str | None = None
    token: str | None = None
    allow_plaintext: bool = False
    accept_insecure_source: bool = False
    round_trip: bool = False
    timeout: float = 20.0
    # Passwords for single servers (from the keyring), where they differ from ``password``.
    passwords: Mapping[Server, str] = field(default_factory=dict)
    # SHA-256 fingerprints of leaf certificates the person decided to trust (hex, any case,
    # colons allowed). Used only when a certificate fails verification: a server presenting
    # one of them is then checked as if it had passed, and its result says so.
    trusted_fingerprints: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # One form (lower-case hex) for comparing; ValueError for anything else.
        object.__setattr__(self, "trusted_fingerprints", frozenset(
            parse_fingerprint(f) for f in self.trusted_fingerprints))

    def __repr__(self) -> str:  # never print a secret by accident
        return (f"ProbeOptions(password={'********' if self.password else None}, "
                f"token={'********' if self.token else None}, "
                f"allow_plaintext={self.allow_plaintext}, "
                f"accept_insecure_source={self.accept_insecure_source}, "
                f"round_trip={self.round_trip}, timeout={self.timeout}, "
                f"trusted_fingerprints={sorted(self.trusted_fingerprints)})")


@dataclass(frozen=True)
class ProbeEvent:
    """Progress of one server: it entered ``stage``; ``result`` is set when it finished.

    ``index`` is the server's position in ``servers_to_check(settings)``.
    """

    index: int
    server: Server
    stage: Stage
    result: ServerResult | None = None


@dataclass(frozen=True)
class ProbeReport:
    """Everything a check found (the contract's ``probe --json``)."""

    address: Address
    results: tuple[ServerResult, ...]
    round_trip: RoundTripResult | None
    elapsed_ms: int

    @property
    def ok(self) -> bool:
        """True when every checked server (and the round trip, if made) passed."""
        return bool(self.results) and all(r.ok for r in self.results) and (
            self.round_trip is None or self.round_trip.ok)


def servers_to_check(settings: Settings) -> tuple[Server, ...]:
    """The servers a check covers, in report order: incoming then outgoing, best first."""
    return tuple(s.resolved(settings.address) for s in (*settings.incoming, *settings.outgoing))


def policy_for(settings: Settings, options: ProbeOptions, server: Server | None = None
               ) -> Policy:
    """The security policy and credentials for ``server`` of ``settings``."""
    password = options.password
    if server is not None:
        password = options.passwords.get(server, options.passwords.get(
            server.resolved(settings.address), password))
    credentials = Credentials(password, options.token) if password or options.token else None
    return Policy(
        credentials=credentials,
        allow_plaintext=options.allow_plaintext,
        accept_insecure_source=options.accept_insecure_source,
        secure_source=settings.secure,
        authoritative=settings.secure and settings.source in AUTHORITATIVE_SOURCES,
        trusted_fingerprints=options.trusted_fingerprints,
    )


def probe(settings: Settings, options: ProbeOptions | None = None, *,
          on_event: Callable[[ProbeEvent], None] | None = None,
          cancel: CancelToken | None = None) -> ProbeReport:
    """Check every server of ``settings`` concurrently; blocks until done or the deadline.

    ``on_event`` is called from worker threads (a GUI hands it to its own thread) and must
    not raise; ``cancel.cancel()`` from any thread stops everything within moments.
    """
    options = options or ProbeOptions()
    started = time.monotonic()
    budget = Budget(options.timeout, cancel)
    servers = servers_to_check(settings)
    results: list[ServerResult | None] = [None] * len(servers)
    emit = on_event or (lambda _event: None)

    def work(index: int, server: Server) -> None:
        result = check_server(server, settings.address, policy_for(settings, options, server),
                              budget,
                              lambda stage: emit(ProbeEvent(index, server, stage)))
        results[index] = result
        emit(ProbeEvent(index, server, result.stage, result))

    threads = [threading.Thread(target=work, args=(i, s), name=f"probe {s.host}:{s.port}",
                                daemon=True) for i, s in enumerate(servers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, budget.deadline - time.monotonic()) + JOIN_GRACE)
    if any(t.is_alive() for t in threads):
        budget.cancel.cancel()  # a check that overran its deadline: wake it and stop it
        for thread in threads:
            thread.join(JOIN_GRACE)
    final = tuple(r if r is not None else _overrun(s) for r, s in zip(results, servers,
                                                                       strict=True))
    trip = None
    if options.round_trip and policy_for(settings, options).credentials is not None:
        trip = round_trip(settings.address, final, lambda s: policy_for(settings, options, s),
                          Budget(options.timeout, budget.cancel))
    return ProbeReport(settings.address, final, trip,
                       int((time.monotonic() - started) * 1000))


def _overrun(server: Server) -> ServerResult:
    return ServerResult(server=server, ok=False, stage="connect",
                        error=diagnose(ProbeFailure("timeout"), server), tls=None,
                        capabilities=(), auth_mechanisms=(), username_used=None,
                        mechanism_used=None, transcript=(), elapsed_ms=0)
