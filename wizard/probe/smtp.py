"""A small, bounded SMTP client: greeting, EHLO, STARTTLS, AUTH, and sending one message."""

from __future__ import annotations

import contextlib
import ipaddress

from wizard.probe import sasl
from wizard.probe.errors import ProbeFailure
from wizard.probe.sasl import Credentials
from wizard.probe.session import Capabilities, Session

MAX_REPLY_LINES = 200


class SmtpSession(Session):
    protocol = "smtp"

    def reply(self) -> tuple[int, list[str]]:
        """A reply: its code and the text of each line."""
        texts: list[str] = []
        for _ in range(MAX_REPLY_LINES):
            line = self.conn.read_line()
            code = line[:3]
            if len(line) < 3 or not code.isdigit() or line[3:4] not in ("", " ", "-"):
                raise ProbeFailure("protocol-error", "not-smtp", reply=line)
            texts.append(line[4:])
            if line[3:4] != "-":
                return int(code), texts
        raise ProbeFailure("protocol-error", "too-many-lines")

    def command(self, command: str) -> tuple[int, list[str]]:
        self.conn.send_command(command)
        return self.reply()

    def greet(self) -> None:
        code, texts = self.reply()
        if code != 220:
            raise ProbeFailure("protocol-error", "refused-greeting",
                               reply=f"{code} {' '.join(texts)}")

    def _helo_name(self) -> str:
        # An address literal of our own end: true, and needs no DNS name for this machine.
        sock = self.conn.sock
        try:
            ip = ipaddress.ip_address(sock.getsockname()[0]) if sock else None
        except (OSError, ValueError):
            ip = None
        if ip is None:
            return "[127.0.0.1]"
        return f"[IPv6:{ip}]" if ip.version == 6 else f"[{ip}]"

    def capabilities(self) -> Capabilities:
        code, texts = self.command(f"EHLO {self._helo_name()}")
        if code != 250:
            code, texts = self.command(f"HELO {self._helo_name()}")
            if code != 250:
                raise ProbeFailure("protocol-error", "unexpected",
                                   reply=f"{code} {' '.join(texts)}")
            texts = texts[:1]
        items = tuple(texts[1:])
        mechanisms: list[str] = []
        for item in items:
            words = item.upper().replace("=", " ").split()
            if words and words[0] == "AUTH":
                mechanisms += [w for w in words[1:] if w not in mechanisms]
        self.caps = Capabilities(
            items=items,
            mechanisms=tuple(mechanisms),
            starttls=any(i.upper() == "STARTTLS" for i in items),
            plain_login=False,
        )
        return self.caps

    def has(self, keyword: str) -> bool:
        return any(i.upper().split(" ")[0] == keyword for i in self.caps.items)

    def starttls(self) -> None:
        code, texts = self.command("STARTTLS")
        if code != 220:
            raise ProbeFailure("starttls-unavailable", "refused",
                               reply=f"{code} {' '.join(texts)}")

    def authenticate(self, mechanism: str, username: str, credentials: Credentials) -> None:
        initial, respond = sasl.start(mechanism, username, credentials, self.conn.host,
                                      self.conn.port)
        command = f"AUTH {mechanism}"
        if initial is not None:
            command += " " + (sasl.b64(initial) or "=")
        code, texts = self.command(command)
        for _ in range(sasl.MAX_ROUNDS):
            if code != 334:
                break
            self.conn.send_secret(sasl.b64(respond(sasl.unb64(" ".join(texts)))))
            code, texts = self.reply()
        if code != 235:
            raise ProbeFailure("auth-failed", reply=f"{code} {' '.join(texts)}")

    def login(self, username: str, password: str) -> None:
        raise ProbeFailure("auth-mechanism-unsupported", "no-auth")

    def quit(self) -> None:
        with contextlib.suppress(ProbeFailure):
            self.command("QUIT")

    # -- for the round trip ----------------------------------------------------------------

    def send_message(self, sender: str, recipient: str, message: bytes) -> str:
        """Send ``message``; returns the server's final reply (with its queue id)."""
        params = ""
        if not (sender.isascii() and recipient.isascii()):
            if not self.has("SMTPUTF8"):
                raise ProbeFailure("protocol-error", "no-smtputf8")
            params = " SMTPUTF8"
        for command, accepted in ((f"MAIL FROM:<{sender}>{params}", (250,)),
                                  (f"RCPT TO:<{recipient}>", (250, 251)),
                                  ("DATA", (354,))):
            code, texts = self.command(command)
            if code not in accepted:
                raise ProbeFailure("protocol-error", "send-rejected",
                                   reply=f"{code} {' '.join(texts)}")
        lines = message.replace(b"\r\n", b"\n").split(b"\n")
        body = b"".join((b"." + line if line.startswith(b".") else line) + b"\r\n"
                        for line in lines)
        self.conn.transcript.note(f"(the test message: {len(lines)} lines)")
        self.conn.send(body + b".\r\n")
        code, texts = self.reply()
        if code != 250:
            raise ProbeFailure("protocol-error", "send-rejected",
                               reply=f"{code} {' '.join(texts)}")
        return f"{code} {' '.join(texts)}"
