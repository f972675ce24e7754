"""A small, bounded POP3 client: greeting, CAPA, STLS, sign-in, and finding a message."""

from __future__ import annotations

import contextlib

from wizard.probe import sasl
from wizard.probe.errors import ProbeFailure
from wizard.probe.sasl import Credentials
from wizard.probe.session import MAX_RESPONSE_LINES, Capabilities, Session


class Pop3Session(Session):
    protocol = "pop3"

    def _status(self) -> tuple[bool, str]:
        line = self.conn.read_line()
        if line.startswith("+OK"):
            return True, line[3:].strip()
        if line.startswith("-ERR"):
            return False, line[4:].strip()
        raise ProbeFailure("protocol-error", "not-pop3", reply=line)

    def _multiline(self, *, record: bool = True) -> list[str]:
        lines: list[str] = []
        for _ in range(MAX_RESPONSE_LINES):
            raw = self.conn.read_raw_line()
            if raw == b".":
                if record:
                    self.conn.transcript.server(".")
                return lines
            text = raw.decode("utf-8", "replace")
            if text.startswith(".."):
                text = text[1:]
            if record:
                self.conn.transcript.server(text)
            lines.append(text)
        raise ProbeFailure("protocol-error", "too-many-lines")

    def command(self, command: str) -> tuple[bool, str]:
        self.conn.send_command(command)
        return self._status()

    def greet(self) -> None:
        line = self.conn.read_line()
        if line.startswith("+OK"):
            return
        if line.startswith("-ERR"):
            raise ProbeFailure("protocol-error", "refused-greeting", reply=line)
        raise ProbeFailure("protocol-error", "not-pop3", reply=line)

    def capabilities(self) -> Capabilities:
        ok, _text = self.command("CAPA")
        items = self._multiline() if ok else []
        upper = [i.upper() for i in items]
        mechanisms: list[str] = []
        for item in upper:
            if item.startswith("SASL "):
                mechanisms += item.split()[1:]
        self.caps = Capabilities(
            items=tuple(items),
            mechanisms=tuple(mechanisms),
            starttls="STLS" in upper,
            # Without CAPA (RFC 1939 servers) USER/PASS is the only way in.
            plain_login="USER" in upper or not ok,
        )
        return self.caps

    def starttls(self) -> None:
        ok, text = self.command("STLS")
        if not ok:
            raise ProbeFailure("starttls-unavailable", "refused", reply=text)

    def authenticate(self, mechanism: str, username: str, credentials: Credentials) -> None:
        initial, respond = sasl.start(mechanism, username, credentials, self.conn.host,
                                      self.conn.port)
        command = f"AUTH {mechanism}"
        if initial is not None:
            command += " " + (sasl.b64(initial) or "=")
        self.conn.send_command(command)
        for _ in range(sasl.MAX_ROUNDS + 1):
            line = self.conn.read_line()
            if line.startswith("+OK"):
                return
            if line.startswith("-ERR"):
                raise ProbeFailure("auth-failed", reply=line[4:].strip())
            if line.startswith("+"):
                self.conn.send_secret(sasl.b64(respond(sasl.unb64(line[1:].strip()))))
                continue
            raise ProbeFailure("protocol-error", "unexpected", reply=line)
        raise ProbeFailure("protocol-error", "too-many-lines")

    def login(self, username: str, password: str) -> None:
        ok, text = self.command(f"USER {username}")
        if ok:
            ok, text = self.command(f"PASS {password}")
        if not ok:
            raise ProbeFailure("auth-failed", reply=text)

    def quit(self) -> None:
        with contextlib.suppress(ProbeFailure):
            self.command("QUIT")

    # -- for the round trip ----------------------------------------------------------------

    def message_count(self) -> int:
        ok, text = self.command("STAT")
        if not ok or not text.split() or not text.split()[0].isdigit():
            raise ProbeFailure("protocol-error", "unexpected", reply=text)
        return int(text.split()[0])

    def message_id(self, number: int) -> str | None:
        """The Message-ID header of message ``number`` (headers are not kept in the
        transcript: they belong to the person's other mail)."""
        ok, text = self.command(f"TOP {number} 0")
        if not ok:
            raise ProbeFailure("protocol-error", "unexpected", reply=text)
        headers = self._multiline(record=False)
        self.conn.transcript.note(f"(headers of message {number}: {len(headers)} lines)")
        found = None
        for i, line in enumerate(headers):
            if line.lower().startswith("message-id:"):
                value = line.split(":", 1)[1]
                # A folded header continues on the next line.
                if not value.strip() and i + 1 < len(headers):
                    value = headers[i + 1]
                found = value.strip()
        return found

    def delete(self, number: int) -> None:
        ok, text = self.command(f"DELE {number}")
        if not ok:
            raise ProbeFailure("protocol-error", "delete-failed", reply=text)
