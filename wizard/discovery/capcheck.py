"""A light, fast capability check of one mail server, for guessing. Never sends a credential.

Connect, TLS from the first byte or a real STARTTLS upgrade (certificate verified, no bytes
accepted between the server's "go ahead" and the handshake), read the greeting, ask
CAPABILITY / CAPA / EHLO, and learn the authentication mechanisms offered over the final
connection. Every read is bounded in size and by the scope's deadline. The full checks a
person sees (certificate details, logins, transcripts) are :mod:`wizard.probe`'s job.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from dataclasses import dataclass

from wizard.discovery.net import NetError, Resolve, Stream, connect, start_tls, tls_context
from wizard.discovery.scope import Scope
from wizard.model import Protocol, Security

MAX_REPLY_LINES = 200
MAX_CONVERSATION = 256 * 1024


@dataclass(frozen=True)
class Capabilities:
    """What a server offered: the security reached, the autoconfig auth names, best first."""

    security: Security
    auth: tuple[str, ...]


def auth_names(mechanisms: set[str], *, cleartext: bool, encrypted: bool) -> tuple[str, ...]:
    """Autoconfig authentication names for SASL ``mechanisms``, best first.

    ``cleartext`` says whether a plain password login is offered (PLAIN/LOGIN, IMAP without
    LOGINDISABLED, POP3 USER); on an unencrypted connection a challenge-response method
    comes first, so a password is not sent in the clear when there is a choice.
    """
    mechs = {m.upper() for m in mechanisms}
    names: list[str] = []
    clear = cleartext or bool(mechs & {"PLAIN", "LOGIN"})
    hashed = any(m in mechs for m in ("CRAM-MD5", "DIGEST-MD5")) or any(
        m.startswith("SCRAM-") for m in mechs)
    if encrypted:
        names += ["password-cleartext"] if clear else []
        names += ["password-encrypted"] if hashed else []
    else:
        names += ["password-encrypted"] if hashed else []
        names += ["password-cleartext"] if clear else []
    if mechs & {"XOAUTH2", "OAUTHBEARER"}:
        names.append("OAuth2")
    if "GSSAPI" in mechs:
        names.append("GSSAPI")
    if "NTLM" in mechs:
        names.append("NTLM")
    if "EXTERNAL" in mechs:
        names.append("TLS-client-cert")
    return tuple(names)


class _Session:
    def __init__(self, scope: Scope, host: str, stream: Stream, context: ssl.SSLContext) -> None:
        self.scope = scope
        self.host = host
        self.stream = stream
        self.context = context

    def line(self) -> str:
        return self.stream.readline(MAX_CONVERSATION)

    def send(self, text: str) -> None:
        self.stream.send(text.encode("ascii") + b"\r\n")

    def upgrade(self) -> None:
        if self.stream.buffer:  # RFC 3207 §6 / CVE-2011-0411: nothing may precede TLS
            raise NetError("invalid", "the server sent data before the TLS handshake")
        tls = start_tls(self.scope, self.stream.sock, self.context, self.host)
        self.stream = Stream(self.scope, tls)

    # -- IMAP ---------------------------------------------------------------------------

    def imap_command(self, tag: str, command: str) -> tuple[str, list[str]]:
        self.send(f"{tag} {command}")
        untagged: list[str] = []
        for _ in range(MAX_REPLY_LINES):
            line = self.line()
            if line.startswith(tag + " "):
                return line[len(tag) + 1:].split(" ", 1)[0].upper(), untagged
            untagged.append(line)
        raise NetError("invalid", "the server's answer never ended")

    def imap_caps(self, tag: str) -> set[str]:
        status, lines = self.imap_command(tag, "CAPABILITY")
        if status != "OK":
            raise NetError("invalid", "CAPABILITY failed")
        caps: set[str] = set()
        for line in lines:
            if line.upper().startswith("* CAPABILITY "):
                caps |= {w.upper() for w in line.split()[2:]}
        return caps

    def imap(self, mode: Security) -> Capabilities:
        greeting = self.line()
        if not (greeting.startswith("* OK") or greeting.startswith("* PREAUTH")):
            raise NetError("invalid", "not an IMAP server")
        caps = self.imap_caps("a1")
        security: Security = "ssl" if mode == "ssl" else "plain"
        if mode == "starttls" and "STARTTLS" in caps:
            status, _ = self.imap_command("a2", "STARTTLS")
            if status != "OK":
                raise NetError("error", "the server refused STARTTLS")
            self.upgrade()
            caps = self.imap_caps("a3")
            security = "starttls"
        with contextlib.suppress(NetError):
            self.send("a9 LOGOUT")
        mechs = {c[5:] for c in caps if c.startswith("AUTH=")}
        names = auth_names(mechs, cleartext="LOGINDISABLED" not in caps,
                           encrypted=security != "plain")
        return Capabilities(security, names)

    # -- POP3 ---------------------------------------------------------------------------

    def pop3_caps(self) -> set[str]:
        self.send("CAPA")
        if not self.line().startswith("+OK"):
            return set()
        caps: set[str] = set()
        for _ in range(MAX_REPLY_LINES):
            line = self.line()
            if line == ".":
                return caps
            words = line.upper().split()
            if words and words[0] == "SASL":
                caps |= {"SASL=" + w for w in words[1:]}
            elif words:
                caps.add(words[0])
        raise NetError("invalid", "the server's answer never ended")

    def pop3(self, mode: Security) -> Capabilities:
        if not self.line().startswith("+OK"):
            raise NetError("invalid", "not a POP3 server")
        caps = self.pop3_caps()
        security: Security = "ssl" if mode == "ssl" else "plain"
        if mode == "starttls" and "STLS" in caps:
            self.send("STLS")
            if not self.line().startswith("+OK"):
                raise NetError("error", "the server refused STLS")
            self.upgrade()
            caps = self.pop3_caps()
            security = "starttls"
        with contextlib.suppress(NetError):
            self.send("QUIT")
        mechs = {c[5:] for c in caps if c.startswith("SASL=")}
        # Without CAPA (RFC 1939 servers) USER/PASS is all there is.
        names = auth_names(mechs, cleartext="USER" in caps or not caps,
                           encrypted=security != "plain")
        return Capabilities(security, names)

    # -- SMTP ---------------------------------------------------------------------------

    def smtp_reply(self) -> tuple[int, list[str]]:
        lines: list[str] = []
        for _ in range(MAX_REPLY_LINES):
            line = self.line()
            if len(line) < 3 or not line[:3].isdigit():
                raise NetError("invalid", "not an SMTP server")
            lines.append(line[4:])
            if len(line) == 3 or line[3] != "-":
                return int(line[:3]), lines
        raise NetError("invalid", "the server's answer never ended")

    def ehlo(self) -> set[str]:
        try:
            local = self.stream.sock.getsockname()[0]
        except OSError:
            local = "127.0.0.1"
        literal = f"[IPv6:{local}]" if ":" in local else f"[{local}]"
        self.send(f"EHLO {literal}")
        code, lines = self.smtp_reply()
        if code != 250:
            raise NetError("invalid", f"EHLO refused ({code})")
        caps: set[str] = set()
        for line in lines[1:]:
            words = line.upper().replace("=", " ").split()
            if words and words[0] == "AUTH":
                caps |= {"AUTH=" + w for w in words[1:]}
            elif words:
                caps.add(words[0])
        return caps

    def smtp(self, mode: Security) -> Capabilities:
        code, _ = self.smtp_reply()
        if code != 220:
            raise NetError("error", f"the server does not take mail now ({code})")
        caps = self.ehlo()
        security: Security = "ssl" if mode == "ssl" else "plain"
        if mode == "starttls" and "STARTTLS" in caps:
            self.send("STARTTLS")
            code, _ = self.smtp_reply()
            if code != 220:
                raise NetError("error", "the server refused STARTTLS")
            self.upgrade()
            caps = self.ehlo()
            security = "starttls"
        with contextlib.suppress(NetError):
            self.send("QUIT")
        mechs = {c[5:] for c in caps if c.startswith("AUTH=")}
        if not mechs:
            raise NetError("not-found", "no authentication offered: not a submission server")
        return Capabilities(security, auth_names(mechs, cleartext=False,
                                                 encrypted=security != "plain"))


def check(
    scope: Scope, protocol: Protocol, host: str, port: int, mode: Security, *,
    resolve: Resolve, context: ssl.SSLContext | None = None,
) -> Capabilities:  # fmt: skip
    """Check one server; raise :class:`NetError` if it cannot serve ``protocol`` here.

    ``mode`` is ``ssl`` (TLS from the first byte) or ``starttls`` (upgrade if offered; a
    server without it comes back with security ``plain``).
    """
    context = context or tls_context()
    sock: socket.socket = connect(scope, host, port, resolve)
    session: _Session | None = None
    try:
        if mode == "ssl":
            sock = start_tls(scope, sock, context, host)
        session = _Session(scope, host, Stream(scope, sock), context)
        run = {"imap": session.imap, "pop3": session.pop3, "smtp": session.smtp}[protocol]
        return run(mode)
    finally:
        final = session.stream.sock if session is not None else sock
        for s in {id(sock): sock, id(final): final}.values():
            scope.untrack(s)
            s.close()
