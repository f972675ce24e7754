"""A one-purpose mail server for checking what a real client read from an exported file.

It listens with TLS from the first byte on 127.0.0.1, speaks just enough IMAP or SMTP for a
client to try to sign in, records the user name and password it is given, and refuses the
login. That proves the client took host, port, TLS, user name and password from the file,
quoting and all. (Protocol behaviour is the simulated internet's job, not this.)
"""

from __future__ import annotations

import base64
import contextlib
import re
import socket
import ssl
import threading
from pathlib import Path
from typing import Any


class CredentialServer:
    """Implicit-TLS IMAP or SMTP on 127.0.0.1; ``logins`` collects (user, password)."""

    def __init__(self, protocol: str, cert: Path, key: Path) -> None:
        self.protocol = protocol
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(cert, key)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.logins: list[tuple[str, str]] = []
        self.got_login = threading.Event()
        self._threads: list[threading.Thread] = []
        self._stop = False
        self._accepter = threading.Thread(target=self._accept, daemon=True)
        self._accepter.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                sock, _addr = self.listener.accept()
            except OSError:
                return
            t = threading.Thread(target=self._serve, args=(sock,), daemon=True)
            self._threads.append(t)
            t.start()

    def _serve(self, raw: socket.socket) -> None:
        raw.settimeout(10)
        try:
            with self.context.wrap_socket(raw, server_side=True) as sock:
                stream = sock.makefile("rwb", buffering=0)
                if self.protocol == "imap":
                    self._imap(stream)
                else:
                    self._smtp(stream)
        except (OSError, ssl.SSLError, ValueError):
            pass  # the client gave up or was stopped; what it sent is recorded already
        finally:
            with contextlib.suppress(OSError):
                raw.close()

    def _record(self, user: str, password: str) -> None:
        self.logins.append((user, password))
        self.got_login.set()

    # IMAP: LOGIN with atoms, quoted strings or literals; AUTHENTICATE PLAIN.
    def _imap(self, stream: Any) -> None:
        send = stream.write
        readline = stream.readline
        send(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n")
        while True:
            line = readline()
            if not line:
                return
            tag, _sp, rest = line.rstrip(b"\r\n").partition(b" ")
            command, _sp, args = rest.partition(b" ")
            cmd = command.upper()
            if cmd == b"CAPABILITY":
                send(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + tag + b" OK done\r\n")
            elif cmd == b"LOGIN":
                values = self._imap_strings(args, stream)
                if len(values) == 2:
                    self._record(values[0], values[1])
                send(tag + b" NO [AUTHENTICATIONFAILED] rejected\r\n")
            elif cmd == b"AUTHENTICATE":
                parts = args.split()
                payload = parts[1] if len(parts) > 1 else None
                if payload is None:
                    send(b"+ \r\n")
                    payload = readline().strip()
                self._plain(payload)
                send(tag + b" NO [AUTHENTICATIONFAILED] rejected\r\n")
            elif cmd == b"LOGOUT":
                send(b"* BYE\r\n" + tag + b" OK bye\r\n")
                return
            else:
                send(tag + b" BAD not here\r\n")

    @staticmethod
    def _imap_strings(args: bytes, stream: Any) -> list[str]:
        out: list[str] = []
        while True:
            args = args.lstrip(b" ")
            if not args:
                return out
            if args.startswith(b'"'):
                m = re.match(rb'"((?:[^"\\]|\\.)*)"', args)
                if not m:
                    return out
                out.append(re.sub(rb"\\(.)", rb"\1", m.group(1)).decode("utf-8"))
                args = args[m.end():]
            elif re.match(rb"\{\d+\+?\}$", args):
                size = int(args.strip(b"{}+"))
                if not args.endswith(b"+}"):
                    stream.write(b"+ go ahead\r\n")
                data = b""
                while len(data) < size:
                    chunk = stream.read(size - len(data))
                    if not chunk:
                        return out
                    data += chunk
                out.append(data.decode("utf-8"))
                args = stream.readline().rstrip(b"\r\n")
            else:
                atom, _sp, args = args.partition(b" ")
                out.append(atom.decode("utf-8"))

    def _plain(self, payload: bytes) -> None:
        with contextlib.suppress(ValueError):
            _authz, user, password = base64.b64decode(payload).decode("utf-8").split("\0")
            self._record(user, password)

    # SMTP: EHLO, AUTH PLAIN (with or without initial response) and AUTH LOGIN.
    def _smtp(self, stream: Any) -> None:
        send = stream.write
        readline = stream.readline
        send(b"220 localhost ESMTP ready\r\n")
        while True:
            line = readline()
            if not line:
                return
            words = line.strip().split(b" ")
            verb = words[0].upper()
            if verb in (b"EHLO", b"HELO"):
                send(b"250-localhost\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n")
            elif verb == b"AUTH" and len(words) > 1 and words[1].upper() == b"PLAIN":
                if len(words) > 2:
                    payload = words[2]
                else:
                    send(b"334 \r\n")
                    payload = readline().strip()
                self._plain(payload)
                send(b"535 5.7.8 rejected\r\n")
            elif verb == b"AUTH" and len(words) > 1 and words[1].upper() == b"LOGIN":
                send(b"334 VXNlcm5hbWU6\r\n")
                user = base64.b64decode(readline().strip()).decode("utf-8")
                send(b"334 UGFzc3dvcmQ6\r\n")
                password = base64.b64decode(readline().strip()).decode("utf-8")
                self._record(user, password)
                send(b"535 5.7.8 rejected\r\n")
            elif verb == b"QUIT":
                send(b"221 bye\r\n")
                return
            else:
                send(b"503 not here\r\n")

    def close(self) -> None:
        self._stop = True
        with contextlib.suppress(OSError):
            self.listener.close()
        for t in self._threads:
            t.join(timeout=5)
