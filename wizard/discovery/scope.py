"""Deadlines, cancellation and racing lookups against each other.

A :class:`Scope` is one piece of work with a deadline: the whole detection, one source, one
URL. Scopes form a tree; cancelling one cancels everything below it. A scope knows the
sockets opened under it and shuts them down when it is cancelled, so a thread blocked in a
read wakes at once instead of waiting for its time-out: cancelled work ends promptly and
leaves no thread or socket behind.

:func:`race` runs jobs in threads (optionally staggered) and returns the best result as soon
as no job still running could produce a better one. It always cancels and joins the jobs it
started before it returns.
"""

from __future__ import annotations

import contextlib
import logging
import math
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

log = logging.getLogger(__name__)

Reason = Literal["timeout", "cancelled"]
T = TypeVar("T")

#: Longest a wait sleeps before it looks at its scope again. Cancellation also shuts the
#: scope's sockets down, which wakes blocked reads at once; the slice is the backstop.
SLICE = 0.1
#: How long joining a cancelled job may take before it is logged as a bug.
JOIN_GRACE = 3.0


class Cancelled(Exception):
    """The work was stopped: its deadline passed (``timeout``) or it was ``cancelled``."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason: Reason = reason


class Scope:
    """A unit of work with a deadline, cancellable from any thread."""

    def __init__(self, timeout: float | None = None, parent: Scope | None = None) -> None:
        now = time.monotonic()
        deadline = now + timeout if timeout is not None else math.inf
        self.deadline: float = min(deadline, parent.deadline) if parent else deadline
        self.parent = parent
        self._lock = threading.Lock()
        self._reason: Reason | None = None
        self._children: set[Scope] = set()
        self._sockets: set[socket.socket] = set()
        if parent is not None:
            parent._adopt(self)

    # -- state --------------------------------------------------------------------------

    @property
    def reason(self) -> Reason | None:
        """Why this scope stopped, or None while it may go on."""
        scope: Scope | None = self
        while scope is not None:
            if scope._reason is not None:
                return scope._reason
            scope = scope.parent
        if time.monotonic() >= self.deadline:
            return "timeout"
        return None

    @property
    def stopped(self) -> bool:
        return self.reason is not None

    def check(self) -> None:
        """Raise :class:`Cancelled` if the work must stop."""
        reason = self.reason
        if reason is not None:
            raise Cancelled(reason)

    def remaining(self) -> float:
        """Seconds left before the deadline (raises :class:`Cancelled` if none)."""
        self.check()
        return max(self.deadline - time.monotonic(), 0.001)

    # -- tree ---------------------------------------------------------------------------

    def child(self, timeout: float | None = None) -> Scope:
        """A sub-scope with its own (never later) deadline."""
        return Scope(timeout, self)

    def _adopt(self, child: Scope) -> None:
        with self._lock:
            self._children.add(child)
            reason = self._reason
        if reason is not None:
            child.cancel(reason)

    def close(self) -> None:
        """Detach this finished scope from its parent."""
        if self.parent is not None:
            with self.parent._lock:
                self.parent._children.discard(self)

    def cancel(self, reason: Reason = "cancelled") -> None:
        """Stop this scope and everything under it; blocked sockets wake at once."""
        with self._lock:
            if self._reason is None:
                self._reason = reason
            children = list(self._children)
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)
        for child in children:
            child.cancel(reason)

    # -- sockets ------------------------------------------------------------------------

    def track(self, sock: socket.socket) -> None:
        """Shut ``sock`` down if this scope is cancelled while it is open."""
        with self._lock:
            self._sockets.add(sock)
            stopped = self._reason is not None
        if stopped:
            _shutdown(sock)

    def untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)

    @contextlib.contextmanager
    def owning(self, sock: socket.socket) -> Iterator[socket.socket]:
        """Track ``sock`` for the block and close it afterwards."""
        self.track(sock)
        try:
            yield sock
        finally:
            self.untrack(sock)
            sock.close()


def _shutdown(sock: socket.socket) -> None:
    # socket.socket.shutdown, not SSLSocket.shutdown: the latter also drops the TLS state
    # that another thread may be using; on the file descriptor it just wakes that thread.
    with contextlib.suppress(OSError, ValueError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


@dataclass(frozen=True)
class Job(Generic[T]):
    """One contestant of a :func:`race`.

    ``rank`` is the best key this job's result can have (lower is better); ``timeout``
    caps its own scope below the race's.
    """

    run: Callable[[Scope], T | None]
    rank: tuple[int, ...]
    name: str = ""
    timeout: float | None = None


def race(
    scope: Scope,
    jobs: Sequence[Job[T]],
    *,
    stagger: float = 0.0,
    key: Callable[[int, T], tuple[int, ...]] | None = None,
    on_done: Callable[[int, T | None], None] | None = None,
    inbox: queue.Queue[Any] | None = None,
    on_message: Callable[[Any], None] | None = None,
) -> tuple[int, T] | None:
    """Run ``jobs`` concurrently and return ``(index, result)`` of the best one, or None.

    A result's key is ``key(index, result)`` (default: the job's rank). The race ends as
    soon as the best result so far is no worse than every rank still pending; when the
    scope's deadline passes, the best result finished by then wins. Messages other than the
    race's own that arrive in ``inbox`` are handed to ``on_message`` in the calling thread
    (the orchestrator delivers progress events that way). If the scope is cancelled (not
    timed out), :class:`Cancelled` is raised once every job has ended.
    """
    keyf = key or (lambda i, _result: jobs[i].rank)
    inbox = inbox if inbox is not None else queue.Queue()
    token = object()  # tells this race's messages from foreign ones in a shared inbox
    started = time.monotonic()
    scopes: dict[int, Scope] = {}
    threads: dict[int, threading.Thread] = {}
    results: dict[int, T] = {}
    pending = set(range(len(jobs)))
    expired: set[int] = set()
    next_start = 0

    def runner(i: int, job_scope: Scope) -> None:
        result: T | None = None
        try:
            result = jobs[i].run(job_scope)
        except Cancelled:
            pass
        except Exception:  # a bug in a source must not take the others down
            log.exception("discovery job %s failed", jobs[i].name or i)
        finally:
            inbox.put((token, i, result))

    def best() -> tuple[int, T] | None:
        if not results:
            return None
        i = min(results, key=lambda j: (keyf(j, results[j]), j))
        return i, results[i]

    try:
        while True:
            now = time.monotonic()
            if scope.stopped:  # jobs not yet started never will be
                for i in range(next_start, len(jobs)):
                    pending.discard(i)
                next_start = len(jobs)
            while next_start < len(jobs) and now >= started + next_start * stagger:
                i = next_start
                next_start += 1
                job_scope = scope.child(jobs[i].timeout)
                scopes[i] = job_scope
                thread = threading.Thread(
                    target=runner, args=(i, job_scope), daemon=True,
                    name=f"discovery:{jobs[i].name or i}",
                )  # fmt: skip
                threads[i] = thread
                thread.start()
            reason = scope.reason
            if reason == "cancelled":
                raise Cancelled(reason)
            leader = best()
            if leader is not None:
                leader_key = keyf(*leader)
                if all(leader_key <= jobs[j].rank for j in pending):
                    return leader
            if not pending or reason == "timeout":
                return leader
            # Wake for the next message, the next staggered start, a job's own deadline
            # (to cut a read that http.client would otherwise let trickle on), or ours.
            wake = scope.deadline
            if next_start < len(jobs):
                wake = min(wake, started + next_start * stagger)
            for i in pending:
                if i in scopes and i not in expired:
                    wake = min(wake, scopes[i].deadline)
            try:
                item = inbox.get(timeout=min(max(wake - time.monotonic(), 0.0), 3600.0))
            except queue.Empty:
                item = None
            now = time.monotonic()
            for i in pending:
                if i in scopes and i not in expired and now >= scopes[i].deadline:
                    expired.add(i)
                    scopes[i].cancel("timeout")
            while item is not None:
                if isinstance(item, tuple) and len(item) == 3 and item[0] is token:
                    _, i, result = item
                    pending.discard(i)
                    if result is not None:
                        results[i] = result
                    if on_done is not None:
                        on_done(i, result)
                elif on_message is not None:
                    on_message(item)
                try:
                    item = inbox.get_nowait()
                except queue.Empty:
                    item = None
    finally:
        for job_scope in scopes.values():
            job_scope.cancel("cancelled")
        for i, thread in threads.items():
            thread.join(JOIN_GRACE)
            if thread.is_alive():  # pragma: no cover - would be a bug in a source
                log.error("discovery job %s did not stop after cancellation", jobs[i].name or i)
        for job_scope in scopes.values():
            job_scope.close()
        # Completion messages of jobs that ended during the clean-up stay out of the
        # shared inbox; foreign messages go to their listener.
        if on_message is not None:
            while True:
                try:
                    item = inbox.get_nowait()
                except queue.Empty:
                    break
                if not (isinstance(item, tuple) and len(item) == 3 and item[0] is token):
                    on_message(item)


def gather(scope: Scope, funcs: Sequence[Callable[[Scope], T | None]],
           names: Sequence[str] = ()) -> list[T | None]:  # fmt: skip
    """Run ``funcs`` concurrently and return all their results (None where one failed)."""
    results: list[T | None] = [None] * len(funcs)

    def wrap(i: int) -> Callable[[Scope], bool]:
        def run(s: Scope) -> bool:
            results[i] = funcs[i](s)
            return True
        return run

    jobs = [Job(wrap(i), (0,), names[i] if i < len(names) else "") for i in range(len(funcs))]
    race(scope, jobs, key=lambda _i, _r: (1,))  # no result ends it early: wait for all
    return results
