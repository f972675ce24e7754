"""Tiny scripted mail servers for unit tests: they run in threads and record what they get.

Not the simulated internet (that is ``tests/netsim``): just enough IMAP, POP3 and SMTP to
drive the probe's parsing, policies and redaction in-process on 127.0.0.1.
"""

from __future__ import annotations

import base64
import contextlib
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field


class Peer:
    """One accepted connection as a handler sees it."""

    def __init__(self, sock: socket.socket, server: FakeServer) -> None:
        self.sock = sock
        self.server = server
        self.buffer = b""
        self.tls = False

    def send(self, line: str) -> None:
        self.sock.sendall(line.encode() + b"\r\n")

    def readline(self) -> str | None:
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                return None
            self.server.record(chunk, self.tls)
            self.buffer += chunk
        line, _sep, self.buffer = self.buffer.partition(b"\n")
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def starttls(self) -> None:
        assert self.server.context is not None
        self.sock = self.server.context.wrap_socket(self.sock, server_side=True)
        self.tls = True


Handler = Callable[[Peer], None]


class FakeServer:
    """Accepts connections on 127.0.0.1 and runs ``handler`` for each, in a thread."""

    def __init__(self, handler: Handler, *, context: ssl.SSLContext | None = None,
                 implicit_tls: bool = False, address: tuple[str, int] = ("127.0.0.1", 0)
                 ) -> None:
        self.handler = handler
        self.context = context
        self.implicit_tls = implicit_tls
        self.listener = socket.create_server(address)
        self.port: int = self.listener.getsockname()[1]
        self.received: list[tuple[bool, bytes]] = []  # (over TLS?, bytes)
        self.connections = 0
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._socks: list[socket.socket] = []
        self._accepter = threading.Thread(target=self._accept, daemon=True)
        self._accepter.start()

    def record(self, data: bytes, tls: bool) -> None:
        with self._lock:
            self.received.append((tls, data))

    @property
    def data(self) -> bytes:
        with self._lock:
            return b"".join(d for _tls, d in self.received)

    @property
    def plain_data(self) -> bytes:
        with self._lock:
            return b"".join(d for tls, d in self.received if not tls)

    def _accept(self) -> None:
        while True:
            try:
                sock, _addr = self.listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._socks.append(sock)
            thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, sock: socket.socket) -> None:
        peer = Peer(sock, self)
        try:
            if self.implicit_tls:
                peer.starttls()
            self.handler(peer)
        except (OSError, ssl.SSLError):
            pass
        finally:
            with contextlib.suppress(OSError):
                peer.sock.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self.listener.close()
        self._accepter.join(2)
        with self._lock:
            socks = list(self._socks)
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(2)
        for sock in socks:
            sock.close()

    def __enter__(self) -> FakeServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Account:
    """What the fake servers accept, and how they refuse."""

    user: str = "alice@example.test"
    password: str = "s3cret-Pässword"
    refusal: str = "Authentication failed."
    locals_ok: bool = False  # also accept the local part as user name
    tried: list[str] = field(default_factory=list)

    def check(self, user: str, password: str) -> bool:
        self.tried.append(user)
        names = {self.user} | ({self.user.split("@")[0]} if self.locals_ok else set())
        return user in names and password == self.password


def _plain(payload: str) -> tuple[str, str]:
    parts = base64.b64decode(payload).decode().split("\0")
    return parts[1], parts[2]


def imap_handler(account: Account, *, caps: str = "IMAP4rev1 AUTH=PLAIN AUTH=LOGIN SASL-IR",
                 starttls: bool = True, greeting: str = "* OK fake IMAP ready") -> Handler:
    def handle(peer: Peer) -> None:
        peer.send(greeting)
        while (line := peer.readline()) is not None:
            tag, _sp, rest = line.partition(" ")
            verb, _sp, args = rest.partition(" ")
            verb = verb.upper()
            if verb == "CAPABILITY":
                extra = " STARTTLS" if starttls and not peer.tls else ""
                peer.send(f"* CAPABILITY {caps}{extra}")
                peer.send(f"{tag} OK done")
            elif verb == "STARTTLS":
                peer.send(f"{tag} OK begin TLS")
                peer.starttls()
            elif verb == "AUTHENTICATE":
                mech, _sp, ir = args.partition(" ")
                if mech.upper() == "PLAIN":
                    if not ir:
                        peer.send("+ ")
                        ir = peer.readline() or ""
                    user, password = _plain(ir)
                elif mech.upper() == "LOGIN":
                    peer.send("+ VXNlcm5hbWU6")
                    user = base64.b64decode(peer.readline() or "").decode()
                    peer.send("+ UGFzc3dvcmQ6")
                    password = base64.b64decode(peer.readline() or "").decode()
                else:
                    peer.send(f"{tag} NO unsupported")
                    continue
                if account.check(user, password):
                    peer.send(f"{tag} OK logged in")
                else:
                    peer.send(f"{tag} NO [AUTHENTICATIONFAILED] {account.refusal}")
            elif verb == "LOGIN":
                user, password = [a.strip('"') for a in args.split(" ", 1)]
                ok = account.check(user, password)
                peer.send(f"{tag} OK logged in" if ok else f"{tag} NO {account.refusal}")
            elif verb == "LOGOUT":
                peer.send("* BYE bye")
                peer.send(f"{tag} OK bye")
                return
            else:
                peer.send(f"{tag} BAD unknown")
    return handle


def smtp_handler(account: Account, *, ehlo: tuple[str, ...] = ("AUTH PLAIN LOGIN", "SIZE 100"),
                 starttls: bool = True, refuse_starttls: bool = False) -> Handler:
    def handle(peer: Peer) -> None:
        peer.send("220 fake ESMTP")
        while (line := peer.readline()) is not None:
            verb = line.split(" ")[0].upper()
            if verb == "EHLO":
                items = list(ehlo) + (["STARTTLS"] if starttls and not peer.tls else [])
                peer.send("250-fake" if items else "250 fake")
                for i, item in enumerate(items):
                    peer.send(("250 " if i == len(items) - 1 else "250-") + item)
            elif verb == "STARTTLS":
                if refuse_starttls:
                    peer.send("454 TLS not available")
                    continue
                peer.send("220 go ahead")
                peer.starttls()
            elif verb == "AUTH":
                words = line.split(" ")
                mech = words[1].upper()
                if mech == "PLAIN":
                    ir = words[2] if len(words) > 2 else None
                    if ir is None:
                        peer.send("334 ")
                        ir = peer.readline() or ""
                    user, password = _plain(ir)
                elif mech == "LOGIN":
                    peer.send("334 VXNlcm5hbWU6")
                    user = base64.b64decode(peer.readline() or "").decode()
                    peer.send("334 UGFzc3dvcmQ6")
                    password = base64.b64decode(peer.readline() or "").decode()
                else:
                    peer.send("504 unsupported")
                    continue
                if account.check(user, password):
                    peer.send("235 2.7.0 Authentication successful")
                else:
                    peer.send(f"535 5.7.8 {account.refusal}")
            elif verb == "QUIT":
                peer.send("221 bye")
                return
            else:
                peer.send("502 unknown")
    return handle


def pop3_handler(account: Account, *, capa: tuple[str, ...] = ("USER", "SASL PLAIN"),
                 starttls: bool = True) -> Handler:
    def handle(peer: Peer) -> None:
        peer.send("+OK fake POP3")
        user = ""
        while (line := peer.readline()) is not None:
            verb, _sp, args = line.partition(" ")
            verb = verb.upper()
            if verb == "CAPA":
                peer.send("+OK")
                for item in (*capa, *(("STLS",) if starttls and not peer.tls else ())):
                    peer.send(item)
                peer.send(".")
            elif verb == "STLS":
                peer.send("+OK begin TLS")
                peer.starttls()
            elif verb == "USER":
                user = args
                peer.send("+OK")
            elif verb == "PASS":
                ok = account.check(user, args)
                peer.send("+OK logged in" if ok else f"-ERR {account.refusal}")
            elif verb == "AUTH":
                _mech, _sp, ir = args.partition(" ")
                u, p = _plain(ir)
                ok = account.check(u, p)
                peer.send("+OK logged in" if ok else f"-ERR {account.refusal}")
            elif verb == "QUIT":
                peer.send("+OK bye")
                return
            else:
                peer.send("-ERR unknown")
    return handle
