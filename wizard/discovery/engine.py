"""The orchestrator: every source at once, the best answer as soon as it is certain.

Lanes, best first (a source may have two lanes of different rank):

1. ``builtin`` — the bundled table: curated, instant, trusted; answered before anything
   else starts, so a known provider costs no network access at all.
2. ``autoconfig`` over HTTPS — the domain's own word, authenticated by its certificate.
3. ``ispdb`` — curated by people who check what they publish; HTTPS.
4. ``mx`` — the table or the ISP database reached through the domain's MX host: curated
   data, but the way there was an unauthenticated DNS answer.
5. ``srv`` — the domain's own DNS (RFC 6186/8314), unauthenticated; says nothing about
   authentication methods or user names.
6. ``autodiscover`` — Exchange's POX: Exchange-first, its IMAP/POP3/SMTP entries are often
   an afterthought, and servers commonly want a login before they answer.
7. ``autoconfig`` over plain HTTP — the domain's word, but anyone on the path could have
   written it; always insecure.
8. ``guess`` — what answers on likely host names: no one *said* these are the servers.

All lanes start together (each in its own thread, bounded by the overall deadline and by
per-lookup time-outs). The result is the best lane that found settings, returned the moment
every better lane has finished without; at the deadline, the best one finished by then.
Lanes still running are cancelled (their sockets shut down) and joined before
:func:`detect` returns, so nothing outlives it.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Literal, Protocol

from wizard.address import Address
from wizard.cancel import CancelToken as CancelToken
from wizard.discovery import autoconfig, autodiscover, builtin, guess, ispdb, mx, srv
from wizard.discovery.base import Context, Recorder
from wizard.discovery.dnsquery import DNS_TIMEOUT
from wizard.discovery.fetch import HTTP_TIMEOUT
from wizard.discovery.net import tls_context
from wizard.discovery.scope import Cancelled, Job, Scope, race
from wizard.model import SOURCES, Attempt, Settings, Source

State = Literal["started", "found", "nothing", "failed", "skipped"]


@dataclass(frozen=True)
class SourceEvent:
    """Progress of one source: ``started``, then ``found``, ``nothing``, ``failed`` or
    ``skipped`` (not run, or stopped because a better source answered)."""

    source: Source
    state: State
    elapsed_ms: int
    detail: str | None = None


DetectEvent = SourceEvent | Attempt


class CancelSource(Protocol):
    """Anything that can call back when a person cancels (e.g. :class:`CancelToken`)."""

    def on_cancel(self, callback: Callable[[], None]) -> object: ...


@dataclass(frozen=True)
class Lane:
    source: Source
    run: Callable[[Context, Scope], Settings | None]


LANES: tuple[Lane, ...] = (
    Lane("autoconfig", autoconfig.lookup_https),
    Lane("ispdb", ispdb.lookup),
    Lane("mx", mx.lookup),
    Lane("srv", srv.lookup),
    Lane("autodiscover", autodiscover.lookup),
    Lane("autoconfig", autoconfig.lookup_http),
    Lane("guess", guess.lookup),
)
NETWORK_SOURCES: tuple[Source, ...] = tuple(s for s in SOURCES if s != "builtin")
_FAILED = ("error", "timeout", "invalid")


def per_lookup(cap: float, overall: float) -> float:
    """A lookup's time-out: its cap, but at most half the overall deadline."""
    return min(cap, max(overall / 2, 0.05))


def detect(
    address: Address,
    *,
    offline: bool = False,
    timeout: float = 10.0,
    on_attempt: Callable[[Attempt], None] | None = None,
    on_event: Callable[[DetectEvent], None] | None = None,
    cancel: CancelSource | None = None,
    ispdb_url: str | None = None,
    lanes: tuple[Lane, ...] = LANES,
) -> Settings:
    """Find settings for ``address`` within ``timeout`` seconds.

    ``on_attempt`` hears of every lookup as it ends, ``on_event`` of every lookup and every
    source's progress (:class:`SourceEvent`); both are called in the calling thread, one at
    a time. ``cancel`` (e.g. a :class:`CancelToken`) stops the work from another thread:
    :func:`detect` then returns promptly with ``found=False`` and the lookups made so far.
    """
    started = time.monotonic()

    def ms() -> int:
        return int((time.monotonic() - started) * 1000)

    def deliver(item: Any) -> None:
        if isinstance(item, Attempt):
            if on_attempt is not None:
                on_attempt(item)
            if on_event is not None:
                on_event(item)
        elif isinstance(item, SourceEvent) and on_event is not None:
            on_event(item)

    def event(source: Source, state: State, detail: str | None = None) -> None:
        deliver(SourceEvent(source, state, ms(), detail))

    inbox: queue.Queue[Any] = queue.Queue()
    recorder = Recorder(inbox.put)

    event("builtin", "started")
    attempt, table = builtin.lookup(address)
    recorder.add("builtin", attempt.target, attempt.outcome)
    _drain(inbox, deliver)
    event("builtin", "found" if table else "nothing")
    wanted = [lane for lane in lanes if not offline]
    if table is not None or not wanted:
        reason = "found in the bundled provider table" if table else "offline"
        for source in NETWORK_SOURCES:
            event(source, "skipped", reason)
        return _result(address, table, recorder, ms())

    root = Scope(timeout)
    if cancel is not None:
        def stop() -> None:
            root.cancel("cancelled")
            inbox.put(None)  # wakes the loop

        cancel.on_cancel(stop)
    ctx = Context(
        address=address,
        recorder=recorder,
        tls=tls_context(),
        ispdb_url=ispdb.base_url(ispdb_url),
        http_timeout=per_lookup(HTTP_TIMEOUT, timeout),
        dns_timeout=per_lookup(DNS_TIMEOUT, timeout),
        probe_timeout=per_lookup(guess.PROBE_TIMEOUT, timeout),
    )

    lanes_of: dict[Source, list[int]] = {}
    for i, lane in enumerate(wanted):
        lanes_of.setdefault(lane.source, []).append(i)
    done: dict[int, Settings | None] = {}
    final: set[Source] = set()
    for source in lanes_of:
        event(source, "started")

    def lane_done(i: int, result: Settings | None) -> None:
        done[i] = result
        source = wanted[i].source
        if source in final or not all(j in done for j in lanes_of[source]):
            return
        final.add(source)
        if any(done[j] is not None for j in lanes_of[source]):
            event(source, "found")
        elif any(o in _FAILED for o in recorder.outcomes(source)):
            event(source, "failed")
        else:
            event(source, "nothing")

    jobs = [
        Job(partial(lane.run, ctx), (i,), f"{lane.source}-{i}")
        for i, lane in enumerate(wanted)
    ]
    winner: tuple[int, Settings] | None = None
    cancelled = False
    try:
        winner = race(root, jobs, inbox=inbox, on_message=deliver, on_done=lane_done)
    except Cancelled:
        cancelled = True
    finally:
        root.cancel("cancelled")
        root.close()
    _drain(inbox, deliver)
    for source in lanes_of:
        if source not in final:
            event(source, "skipped", "cancelled" if cancelled else "not needed any more")
    for source in NETWORK_SOURCES:
        if source not in lanes_of:
            event(source, "skipped")
    return _result(address, None if cancelled or winner is None else winner[1], recorder, ms())


def _drain(inbox: queue.Queue[Any], deliver: Callable[[Any], None]) -> None:
    while True:
        try:
            item = inbox.get_nowait()
        except queue.Empty:
            return
        if item is not None:
            deliver(item)


def _result(address: Address, found: Settings | None, recorder: Recorder,
            elapsed_ms: int) -> Settings:  # fmt: skip
    attempts = recorder.attempts()
    if found is None:
        return Settings(address=address, found=False, attempts=attempts, elapsed_ms=elapsed_ms)
    return replace(found, attempts=attempts, elapsed_ms=elapsed_ms)
