"""Sockets that obey a :class:`~wizard.discovery.scope.Scope`: connect, TLS, bounded reads.

Every wait is a ``poll``/``select`` on the socket with a time-out of at most
:data:`~wizard.discovery.scope.SLICE`, so a deadline or a cancellation is noticed promptly;
certificates are always verified (the context comes from :func:`ssl.create_default_context`,
which honours ``SSL_CERT_FILE`` and ``SSL_CERT_DIR``).
"""

from __future__ import annotations

import errno
import ipaddress
import select
import socket
import ssl
from collections.abc import Callable

from wizard.discovery.scope import SLICE, Scope
from wizard.model import Outcome

#: Longest line a mail server may send during a capability check.
MAX_LINE = 8192


class NetError(Exception):
    """A connection failed; ``outcome`` is the attempt outcome it stands for."""

    def __init__(self, outcome: Outcome, detail: str) -> None:
        super().__init__(detail)
        self.outcome: Outcome = outcome
        self.detail = detail


def tls_context() -> ssl.SSLContext:
    """The one kind of TLS context discovery uses: system trust, host names checked."""
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def wait_ready(scope: Scope, sock: socket.socket, *, write: bool = False) -> None:
    """Block until ``sock`` is readable (or writable); raise Cancelled when the scope ends."""
    while True:
        slice_ = min(scope.remaining(), SLICE)
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(sock, select.POLLOUT if write else select.POLLIN | select.POLLPRI)
            if poller.poll(int(slice_ * 1000) + 1):
                return
        else:  # pragma: no cover - Windows
            r, w, _ = select.select([] if write else [sock], [sock] if write else [], [sock],
                                    slice_)
            if r or w:
                return


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


Resolve = Callable[[Scope, str], list[str]]


def connect(scope: Scope, host: str, port: int, resolve: Resolve) -> socket.socket:
    """A connected, non-blocking TCP socket to ``host``, tracked by ``scope``.

    The caller owns the socket (close it, or hand it to :meth:`Scope.owning`).
    """
    addresses = [host] if is_ip(host) else resolve(scope, host)
    last: NetError | None = None
    for address in addresses:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        scope.track(sock)
        try:
            sock.setblocking(False)
            code = sock.connect_ex((address, port))
            if code in (errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN, 10035):
                wait_ready(scope, sock, write=True)
                code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code == 0:
                return sock
            last = _connect_error(code)
        except BaseException:
            scope.untrack(sock)
            sock.close()
            raise
        scope.untrack(sock)
        sock.close()
    raise last or NetError("not-found", f"no address for {host}")


def _connect_error(code: int) -> NetError:
    if code == errno.ECONNREFUSED:
        return NetError("not-found", "connection refused")
    if code in (errno.ETIMEDOUT,):
        return NetError("timeout", "connection timed out")
    return NetError("error", f"cannot connect: {errno.errorcode.get(code, code)}")


def start_tls(
    scope: Scope, sock: socket.socket, context: ssl.SSLContext, host: str
) -> ssl.SSLSocket:
    """Wrap ``sock`` in TLS (certificate and host name verified); non-blocking handshake.

    On failure the socket is closed and :class:`NetError` raised.
    """
    scope.untrack(sock)
    try:
        tls = context.wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)
    except BaseException:
        sock.close()
        raise
    scope.track(tls)
    try:
        while True:
            try:
                tls.do_handshake()
                return tls
            except ssl.SSLWantReadError:
                wait_ready(scope, tls)
            except ssl.SSLWantWriteError:
                wait_ready(scope, tls, write=True)
    except ssl.SSLCertVerificationError as exc:
        _drop(scope, tls)
        raise NetError("error", f"certificate not trusted: {exc.verify_message}") from None
    except (ssl.SSLError, OSError) as exc:
        _drop(scope, tls)
        scope.check()  # a shutdown by cancellation surfaces as Cancelled, not an error
        raise NetError("error", f"TLS handshake failed: {_reason(exc)}") from None
    except BaseException:
        _drop(scope, tls)
        raise


def _drop(scope: Scope, sock: socket.socket) -> None:
    scope.untrack(sock)
    sock.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError) and exc.reason:
        return str(exc.reason)
    return getattr(exc, "strerror", None) or type(exc).__name__


class Stream:
    """Line-oriented, bounded I/O on a non-blocking socket (plain or TLS)."""

    def __init__(self, scope: Scope, sock: socket.socket) -> None:
        self.scope = scope
        self.sock = sock
        self.buffer = b""
        self.received = 0

    def send(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                sent = self.sock.send(view)
                view = view[sent:]
            except (BlockingIOError, ssl.SSLWantWriteError):
                wait_ready(self.scope, self.sock, write=True)
            except ssl.SSLWantReadError:
                wait_ready(self.scope, self.sock)
            except OSError as exc:
                self.scope.check()
                raise NetError("error", f"connection lost: {_reason(exc)}") from None

    def _fill(self, limit: int) -> None:
        while True:
            try:
                chunk = self.sock.recv(4096)
            except (BlockingIOError, ssl.SSLWantReadError):
                wait_ready(self.scope, self.sock)
                continue
            except ssl.SSLWantWriteError:
                wait_ready(self.scope, self.sock, write=True)
                continue
            except OSError as exc:
                self.scope.check()
                raise NetError("error", f"connection lost: {_reason(exc)}") from None
            if not chunk:
                self.scope.check()
                raise NetError("error", "the server closed the connection")
            self.received += len(chunk)
            if self.received > limit:
                raise NetError("invalid", "the server sent too much")
            self.buffer += chunk
            return

    def readline(self, limit: int = 65536) -> str:
        """One line without its line ending (CRLF or LF), at most :data:`MAX_LINE` long."""
        while b"\n" not in self.buffer:
            if len(self.buffer) > MAX_LINE:
                raise NetError("invalid", "the server sent an over-long line")
            self._fill(limit)
        line, _, self.buffer = self.buffer.partition(b"\n")
        if len(line) > MAX_LINE:
            raise NetError("invalid", "the server sent an over-long line")
        return line.rstrip(b"\r").decode("utf-8", "replace")
