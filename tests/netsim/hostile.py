"""Hostile servers: misbehaving IMAP, POP3, SMTP and HTTP(S) peers that record all they receive.

Each runs in threads of the test process on its own loopback address, so a test can assert
what reached it (for example that no password did).
"""

from __future__ import annotations

import contextlib
import dataclasses
import select
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum

from .guard import NetSimError, require_loopback

MAX_CONNECTION_SECONDS = 120.0  # every connection ends by itself after this
MAX_LINE = 64 * 1024
POLL = 0.1


class Behaviour(StrEnum):
    """How a hostile server misbehaves."""

    BLACKHOLE = "blackhole"  # accept, never answer
    SLOW = "slow"  # the greeting (or HTTP response) at one byte a second
    ENDLESS_LINES = "endless-lines"  # a greeting that never ends: line after line
    LONG_LINE = "long-line"  # one line that never ends
    NO_STARTTLS = "no-starttls"  # plaintext only; accepts any login
    STARTTLS_REFUSED = "starttls-refused"  # offers STARTTLS, then refuses it
    ACCEPT_ANY_LOGIN = "accept-any-login"  # looks real (TLS works) but any password is "right"
    XML_BOMB = "xml-bomb"  # HTTP 200 with an entity-expansion bomb
    HTML_200 = "html-200"  # HTTP 200 with an HTML page for every path (a parked domain)
    SLOW_BODY = "slow-body"  # HTTP 200 with headers at once, the body one byte a second


PROTOCOL_BY_PORT = {
    143: "imap",
    993: "imap",
    110: "pop3",
    995: "pop3",
    25: "smtp",
    587: "smtp",
    465: "smtp",
    80: "http",
    443: "http",
}
IMPLICIT_TLS_PORTS = frozenset({993, 995, 465, 443})
MAIL_ONLY = {Behaviour.NO_STARTTLS, Behaviour.STARTTLS_REFUSED, Behaviour.ACCEPT_ANY_LOGIN}
HTTP_ONLY = {Behaviour.XML_BOMB, Behaviour.HTML_200, Behaviour.SLOW_BODY}


@dataclass
class RecordedConnection:
    """What one client sent on one connection (decrypted where TLS was used).

    ``tls_start`` is where in ``data`` the encrypted part begins (0 for TLS from the first
    byte, None while no TLS handshake has completed): ``encrypted`` is what the client sent
    inside TLS, ``data[:tls_start]`` what it sent in plain text before.
    """

    port: int
    peer: tuple[str, int]
    data: bytearray = field(default_factory=bytearray)
    tls: bool = False
    closed: bool = False
    tls_start: int | None = None

    @property
    def encrypted(self) -> bytes:
        return b"" if self.tls_start is None else bytes(self.data[self.tls_start :])


class Peer:
    """One accepted connection: line I/O with timeouts, recording and a TLS upgrade."""

    def __init__(
        self,
        sock: socket.socket,
        record: RecordedConnection,
        lock: threading.Lock,
        stop: threading.Event,
    ) -> None:
        self.sock: socket.socket = sock
        self.record = record
        self._lock = lock
        self.stop = stop
        self._buffer = b""
        self.deadline = time.monotonic() + MAX_CONNECTION_SECONDS
        sock.settimeout(POLL)

    @property
    def alive(self) -> bool:
        return not self.stop.is_set() and time.monotonic() < self.deadline

    def _recv(self) -> bytes | None:
        """Some bytes, b"" on timeout, None once the client has gone."""
        try:
            data = self.sock.recv(65536)
        except (TimeoutError, ssl.SSLWantReadError):
            return b""
        except OSError:
            return None
        if not data:
            return None
        with self._lock:
            self.record.data += data
        return data

    def readline(self) -> bytes | None:
        """One line (with its ending), or None when the client left or the server stops."""
        while b"\n" not in self._buffer:
            if not self.alive or len(self._buffer) > MAX_LINE:
                return None
            data = self._recv()
            if data is None:
                return None
            self._buffer += data
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line + b"\n"

    def read_exactly(self, count: int) -> bytes | None:
        while len(self._buffer) < count:
            if not self.alive:
                return None
            data = self._recv()
            if data is None:
                return None
            self._buffer += data
        out, self._buffer = self._buffer[:count], self._buffer[count:]
        return out

    def drain(self) -> bool:
        """Record whatever the client sent meanwhile; False once it has gone."""
        while True:
            try:
                readable, _, _ = select.select([self.sock], [], [], 0)
            except (OSError, ValueError):
                return False
            if not readable:
                return True
            data = self._recv()
            if data is None:
                return False
            self._buffer += data

    def send(self, data: bytes) -> bool:
        """Send all of ``data``; False if the client went away or the server stops."""
        view = memoryview(data)
        while view:
            if not self.alive:
                return False
            try:
                sent = self.sock.send(view)
            except (TimeoutError, ssl.SSLWantWriteError):
                continue
            except OSError:
                return False
            view = view[sent:]
        return True

    def wait_or_listen(self, seconds: float) -> bool:
        """Pause (recording input meanwhile); False if the client left or the server stops."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if not self.alive or not self.drain():
                return False
            time.sleep(min(POLL, max(0.0, end - time.monotonic())))
        return True

    def upgrade(self, context: ssl.SSLContext) -> bool:
        """Turn the connection into TLS as a server; False if the handshake failed."""
        self.sock.settimeout(10)
        try:
            self.sock = context.wrap_socket(self.sock, server_side=True)
        except (OSError, ssl.SSLError):
            return False
        self.sock.settimeout(POLL)
        self._buffer = b""
        with self._lock:
            self.record.tls = True
            self.record.tls_start = len(self.record.data)
        return True


class HostileServer:
    """A listening socket whose connections run ``Behaviour`` in threads, recording input."""

    def __init__(
        self,
        name: str,
        address: str,
        port: int,
        behaviour: Behaviour,
        protocol: str,
        implicit_tls: bool,
        context: ssl.SSLContext | None,
    ) -> None:
        from .traps import serve  # the protocol scripts

        self.name = name
        self.address = require_loopback(address)
        self.port = port
        self.behaviour = Behaviour(behaviour)
        self.protocol = protocol
        self.implicit_tls = implicit_tls
        self.context = context
        if self.behaviour in MAIL_ONLY and protocol == "http":
            raise NetSimError(f"{behaviour.value} is a mail behaviour, not for HTTP (port {port})")
        if self.behaviour in HTTP_ONLY and protocol != "http":
            raise NetSimError(f"{behaviour.value} is an HTTP behaviour, not for {protocol}")
        self._serve = serve
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._connections: list[RecordedConnection] = []
        self._threads: list[threading.Thread] = []
        self._listener = socket.create_server((self.address, port), backlog=16)
        self._listener.settimeout(POLL)
        self._acceptor = threading.Thread(target=self._accept_loop, name=f"hostile-{name}:{port}")
        self._acceptor.start()

    @property
    def connections(self) -> list[RecordedConnection]:
        """A snapshot of every connection so far."""
        with self._lock:
            return [dataclasses.replace(c, data=bytearray(c.data)) for c in self._connections]

    @property
    def received(self) -> bytes:
        """Everything every client sent, in connection order."""
        with self._lock:
            return b"".join(bytes(c.data) for c in self._connections)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                sock, peer = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            record = RecordedConnection(self.port, peer)
            with self._lock:
                self._connections.append(record)
            thread = threading.Thread(target=self._handle, args=(sock, record), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _handle(self, sock: socket.socket, record: RecordedConnection) -> None:
        peer = Peer(sock, record, self._lock, self._stop)
        # A black hole does not even answer a TLS ClientHello.
        plain = not self.implicit_tls or self.behaviour is Behaviour.BLACKHOLE
        try:
            if plain or (self.context is not None and peer.upgrade(self.context)):
                self._serve(self, peer)
        finally:
            with contextlib.suppress(OSError):
                peer.sock.close()
            with self._lock:
                record.closed = True

    def stop(self) -> None:
        """Close the listener and every connection; wait for the threads."""
        self._stop.set()
        self._acceptor.join()
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=5)
