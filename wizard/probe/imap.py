"""A small, bounded IMAP4rev1 client: greeting, CAPABILITY, STARTTLS, sign-in, search."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from wizard.probe import sasl
from wizard.probe.conn import Connection
from wizard.probe.errors import ProbeFailure
from wizard.probe.sasl import Credentials
from wizard.probe.session import MAX_RESPONSE_LINES, Capabilities, Session

_LITERAL = re.compile(rb"\{(\d{1,7})\+?\}$")
MAX_LITERAL = 65536


@dataclass(frozen=True)
class Response:
    status: str  # OK, NO, BAD
    text: str
    untagged: tuple[str, ...]


class ImapSession(Session):
    protocol = "imap"

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self._tag = 0

    def _line(self) -> str:
        """One server line; a trailing literal is read (bounded) and shown as its size."""
        raw = self.conn.read_raw_line()
        parts = []
        while (m := _LITERAL.search(raw)) is not None:
            size = int(m.group(1))
            if size > MAX_LITERAL:
                raise ProbeFailure("protocol-error", "too-much-data",
                                   detail=f"a literal of {size} bytes")
            self.conn.read_exact(size)
            parts.append(raw[:m.start()] + b"{%d bytes}" % size)
            raw = self.conn.read_raw_line()
        text = (b"".join(parts) + raw).decode("utf-8", "replace")
        self.conn.transcript.server(text)
        return text

    def _send(self, command: str) -> str:
        self._tag += 1
        tag = f"a{self._tag}"
        self.conn.send_command(f"{tag} {command}")
        return tag

    def _response(self, tag: str) -> Response:
        untagged: list[str] = []
        for _ in range(MAX_RESPONSE_LINES):
            line = self._line()
            if line.startswith(tag + " "):
                status, _sp, text = line[len(tag) + 1:].partition(" ")
                status = status.upper()
                if status not in ("OK", "NO", "BAD"):
                    raise ProbeFailure("protocol-error", "unexpected", reply=line)
                return Response(status, text, tuple(untagged))
            if line.startswith("* BYE"):
                raise ProbeFailure("protocol-error", "closed", reply=line)
            untagged.append(line)
        raise ProbeFailure("protocol-error", "too-many-lines")

    def command(self, command: str) -> Response:
        return self._response(self._send(command))

    def greet(self) -> None:
        line = self._line()
        upper = line.upper()
        if upper.startswith(("* OK", "* PREAUTH")):
            return
        if upper.startswith("* BYE"):
            raise ProbeFailure("protocol-error", "refused-greeting", reply=line)
        raise ProbeFailure("protocol-error", "not-imap", reply=line)

    def capabilities(self) -> Capabilities:
        response = self.command("CAPABILITY")
        if response.status != "OK":
            raise ProbeFailure("protocol-error", "unexpected", reply=response.text)
        items: list[str] = []
        for line in response.untagged:
            if line.upper().startswith("* CAPABILITY "):
                items += line.split()[2:]
        upper = [i.upper() for i in items]
        self.caps = Capabilities(
            items=tuple(items),
            mechanisms=tuple(i[5:] for i in upper if i.startswith("AUTH=")),
            starttls="STARTTLS" in upper,
            plain_login="LOGINDISABLED" not in upper,
        )
        return self.caps

    def starttls(self) -> None:
        response = self.command("STARTTLS")
        if response.status != "OK":
            raise ProbeFailure("starttls-unavailable", "refused", reply=response.text)

    def authenticate(self, mechanism: str, username: str, credentials: Credentials) -> None:
        host, port = self.conn.host, self.conn.port
        initial, respond = sasl.start(mechanism, username, credentials, host, port)
        ir = initial is not None and "SASL-IR" in (i.upper() for i in self.caps.items)
        command = f"AUTHENTICATE {mechanism}"
        if ir:
            assert initial is not None
            command += " " + (sasl.b64(initial) or "=")
            initial = None
        tag = self._send(command)
        untagged: list[str] = []
        for _ in range(sasl.MAX_ROUNDS + 1):
            line = self._line()
            if line.startswith("+"):
                if initial is not None:
                    answer, initial = initial, None
                else:
                    answer = respond(sasl.unb64(line[1:].strip()))
                self.conn.send_secret(sasl.b64(answer))
                continue
            if line.startswith(tag + " "):
                status, _sp, text = line[len(tag) + 1:].partition(" ")
                if status.upper() == "OK":
                    return
                raise ProbeFailure("auth-failed", reply=" ".join([*untagged, text]).strip())
            if line.startswith("* BYE"):
                raise ProbeFailure("auth-failed", reply=" ".join([*untagged, line]))
            untagged.append(line)
        raise ProbeFailure("protocol-error", "too-many-lines")

    def login(self, username: str, password: str) -> None:
        if _quotable(username) and _quotable(password):
            response = self.command(f"LOGIN {_quote(username)} {_quote(password)}")
        else:
            response = self._login_literal(username, password)
        if response.status != "OK":
            raise ProbeFailure("auth-failed", reply=" ".join([*response.untagged,
                                                               response.text]).strip())

    def _login_literal(self, username: str, password: str) -> Response:
        secret = password.encode("utf-8")
        user = username.encode("utf-8")
        self._tag += 1
        tag = f"a{self._tag}"
        self.conn.transcript.command(f"{tag} LOGIN {{{len(user)}}} {{{len(secret)}}}")
        for index, data in enumerate((user, secret)):
            if index == 0:
                self.conn.send(f"{tag} LOGIN {{{len(user)}}}\r\n".encode())
            line = self._line()
            if not line.startswith("+"):
                return _as_response(tag, line)
            self.conn.transcript.secret()
            if index == 0:
                self.conn.send(data + f" {{{len(secret)}}}\r\n".encode())
            else:
                self.conn.send(data + b"\r\n")
        return self._response(tag)

    def quit(self) -> None:
        with contextlib.suppress(ProbeFailure):
            self.command("LOGOUT")

    # -- for the round trip ----------------------------------------------------------------

    def select(self, mailbox: str = "INBOX") -> None:
        response = self.command(f"SELECT {mailbox}")
        if response.status != "OK":
            raise ProbeFailure("protocol-error", "select-failed", reply=response.text)

    def search_message_id(self, message_id: str) -> list[str]:
        """UIDs of messages whose Message-ID header holds ``message_id``."""
        response = self.command(f"UID SEARCH HEADER Message-ID {_quote(message_id)}")
        if response.status != "OK":
            raise ProbeFailure("protocol-error", "search-failed", reply=response.text)
        uids: list[str] = []
        for line in response.untagged:
            if line.upper().startswith("* SEARCH"):
                uids += [w for w in line.split()[2:] if w.isdigit()]
        return uids

    def delete(self, uids: list[str]) -> None:
        """Flag ``uids`` deleted and expunge them (only them, where UIDPLUS allows)."""
        seq = ",".join(uids)
        response = self.command(f"UID STORE {seq} +FLAGS.SILENT (\\Deleted)")
        if response.status != "OK":
            raise ProbeFailure("protocol-error", "delete-failed", reply=response.text)
        uidplus = "UIDPLUS" in (i.upper() for i in self.caps.items)
        response = self.command(f"UID EXPUNGE {seq}" if uidplus else "EXPUNGE")
        if response.status != "OK":
            raise ProbeFailure("protocol-error", "delete-failed", reply=response.text)

    def noop(self) -> None:
        self.command("NOOP")


def _quotable(text: str) -> bool:
    return text.isascii() and all(c.isprintable() for c in text)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _as_response(tag: str, line: str) -> Response:
    if line.startswith(tag + " "):
        status, _sp, text = line[len(tag) + 1:].partition(" ")
        return Response(status.upper(), text, ())
    return Response("BAD", line, ())
