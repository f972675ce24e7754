"""Checking one server, stage by stage, under the security rules of the contract."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from wizard.address import Address
from wizard.model import Server
from wizard.probe import certinfo, sasl
from wizard.probe.budget import Budget
from wizard.probe.conn import CertificateFailure, Connection, TlsInfo, resolve
from wizard.probe.diagnose import Diagnosis, classify_reply, diagnose
from wizard.probe.errors import Cancelled, ProbeFailure, Stage
from wizard.probe.imap import ImapSession
from wizard.probe.pop3 import Pop3Session
from wizard.probe.sasl import Credentials
from wizard.probe.session import Capabilities, Session
from wizard.probe.smtp import SmtpSession
from wizard.probe.transcript import Transcript

SESSIONS: dict[str, type[Session]] = {"imap": ImapSession, "pop3": Pop3Session,
                                      "smtp": SmtpSession}
AUTHORITATIVE_SOURCES = ("builtin", "autoconfig", "ispdb", "autodiscover")
CERT_DIAGNOSIS_SECONDS = 5.0


@dataclass(frozen=True)
class Policy:
    """What the person allowed, and how far the settings can be trusted."""

    credentials: Credentials | None = None
    allow_plaintext: bool = False
    accept_insecure_source: bool = False
    secure_source: bool = False
    authoritative: bool = False
    # SHA-256 fingerprints (lower-case hex) of certificates the person trusts although
    # verification fails; see ``connect``.
    trusted_fingerprints: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ServerResult:
    """The outcome of checking one server (one entry of the contract's ``results``)."""

    server: Server
    ok: bool
    stage: Stage
    error: Diagnosis | None
    tls: TlsInfo | None
    capabilities: tuple[str, ...]
    auth_mechanisms: tuple[str, ...]
    username_used: str | None
    mechanism_used: str | None
    transcript: tuple[str, ...]
    elapsed_ms: int


@dataclass
class _Progress:
    """What has been learned so far; becomes a ServerResult at the end."""

    server: Server
    on_stage: Callable[[Stage], None]
    stage: Stage = "resolve"
    tls: TlsInfo | None = None
    caps: Capabilities = field(default_factory=Capabilities)
    usernames: tuple[str, ...] = ()
    session: Session | None = None

    def enter(self, stage: Stage) -> None:
        self.stage = stage
        self.on_stage(stage)


def usernames_to_try(server: Server, address: Address, authoritative: bool) -> tuple[str, ...]:
    """The settings' user name; for settings from guesswork also the full address and the
    local part (in that order)."""
    if authoritative:
        return (server.username,)
    names = [address.email, address.local]
    if server.username not in names:
        names.insert(0, server.username)
    return tuple(dict.fromkeys(names))


def connect(server: Server, budget: Budget, transcript: Transcript,
            progress: _Progress | None = None, *,
            trusted: frozenset[str] = frozenset()) -> Session:
    """An open session past TLS, greeting and capabilities (after STARTTLS if configured).

    When the certificate fails verification, a second connection reads it: if its SHA-256
    is one of ``trusted`` (the person's decision) the session goes on over that connection,
    whose certificate was compared right after the handshake; otherwise the failure, with
    what the certificate says, is raised and nothing was sent inside either TLS session.
    """
    progress = progress or _Progress(server, lambda _stage: None)
    try:
        return _open(server, budget, transcript, progress, lambda conn: conn.start_tls())
    except CertificateFailure as failure:
        pin = _Pin(server, failure, trusted, transcript)
        if trusted:
            transcript.note(f"certificate not verified ({failure.code}: {failure.detail}); "
                            f"connecting again to compare it with the fingerprints the "
                            f"person trusts")
            attempt = (budget, transcript, progress)
        else:  # only to show the certificate: its own short budget, a transcript thrown away
            attempt = (budget.sub(CERT_DIAGNOSIS_SECONDS), Transcript(server.protocol),
                       _Progress(server, lambda _stage: None))
        try:
            return _open(server, *attempt, pin.start_tls)
        except ProbeFailure:
            if pin.matched:
                raise  # a failure after the trusted handshake is the server's own
            progress.stage = "tls"
            raise failure from None


def _open(server: Server, budget: Budget, transcript: Transcript, progress: _Progress,
          start_tls: Callable[[Connection], TlsInfo]) -> Session:
    progress.enter("resolve")
    addresses = resolve(server.host, server.port, budget)
    progress.enter("connect")
    conn = Connection(server.host, server.port, budget, transcript)
    conn.open(addresses)
    session = SESSIONS[server.protocol](conn)
    try:
        if server.security == "ssl":
            progress.enter("tls")
            progress.tls = start_tls(conn)
        progress.enter("greeting")
        session.greet()
        progress.enter("capabilities")
        progress.caps = session.capabilities()
        if server.security == "starttls":
            progress.enter("starttls")
            if not progress.caps.starttls:
                raise ProbeFailure("starttls-unavailable")
            session.starttls()
            progress.enter("tls")
            progress.tls = start_tls(conn)
            progress.enter("capabilities")
            progress.caps = session.capabilities()
    except BaseException:
        conn.close()
        raise
    return session


@dataclass
class _Pin:
    """The TLS step of a second connection to a server whose certificate failed verification:
    the certificate must be one the person trusts (by its SHA-256), or nothing goes on."""

    server: Server
    failure: CertificateFailure
    trusted: frozenset[str]
    transcript: Transcript
    matched: bool = False

    def start_tls(self, conn: Connection) -> TlsInfo:
        der, version, self.matched = conn.start_tls_pinned(self.trusted)
        code = self.failure.code
        cert = certinfo.describe(
            der, self.server.host,
            # Names are checked by OpenSSL before the validity dates: an expired or
            # mismatching certificate got past the chain check, so its issuer is trusted.
            trusted=code in ("cert-expired", "cert-hostname-mismatch"),
            hostname_match=False if code == "cert-hostname-mismatch" else None,
            trusted_by_fingerprint=self.matched, verify_error=code,
        ) if der else None
        if not self.matched:
            self.failure.tls = TlsInfo(None, cert) if cert is not None else None
            if self.trusted and cert is not None:
                self.transcript.note(f"the certificate (SHA-256 {cert.sha256}) is not one "
                                     f"the person trusts; nothing sent")
            raise self.failure
        assert cert is not None
        self.transcript.note(f"TLS started: {version}, certificate NOT verified ({code}) but "
                             f"accepted: its SHA-256 {cert.sha256} is one the person trusts")
        return TlsInfo(version, cert)


def sign_in(session: Session, server: Server, policy: Policy, username: str) -> str:
    """Sign in as ``username`` under the security rules; returns the mechanism used."""
    if not session.conn.encrypted and not policy.allow_plaintext:
        raise ProbeFailure("plaintext-refused")
    if not policy.secure_source and not policy.accept_insecure_source:
        raise ProbeFailure("insecure-source-refused")
    credentials = policy.credentials or Credentials()
    caps = session.caps
    mechanism = sasl.choose(caps.mechanisms, credentials, encrypted=session.conn.encrypted,
                            allowed=server.auth)
    if mechanism is not None:
        session.authenticate(mechanism, username, credentials)
        return mechanism
    if credentials.password and caps.plain_login and "password-cleartext" in server.auth:
        session.login(username, credentials.password)
        return "LOGIN" if server.protocol == "imap" else "USER"
    if not caps.mechanisms and server.protocol == "smtp":
        raise ProbeFailure("auth-mechanism-unsupported", "no-auth")
    offered_oauth = {"XOAUTH2", "OAUTHBEARER"} & set(caps.mechanisms)
    only_oauth = server.auth == ("OAuth2",) or (offered_oauth and set(caps.mechanisms) <= (
        offered_oauth | {"GSSAPI", "NTLM", "EXTERNAL"}))
    raise ProbeFailure("auth-mechanism-unsupported", "oauth-only" if only_oauth else None)


def check_server(server: Server, address: Address, policy: Policy, budget: Budget,
                 on_stage: Callable[[Stage], None] | None = None) -> ServerResult:
    """Check one server as far as the credentials allow; never raises."""
    started = time.monotonic()
    transcript = Transcript(server.protocol)
    progress = _Progress(server, on_stage or (lambda _stage: None))
    error: Diagnosis | None = None
    username_used = mechanism_used = None
    try:
        session = progress.session = connect(server, budget, transcript, progress,
                                             trusted=policy.trusted_fingerprints)
        credentials = policy.credentials
        if credentials is None or not (credentials.password or credentials.token):
            if not session.conn.encrypted and not policy.allow_plaintext:
                raise ProbeFailure("plaintext-refused")
        else:
            progress.enter("auth")
            username_used, mechanism_used = _sign_in_any(
                server, address, policy, budget, transcript, progress)
            progress.stage = "done"
            session = progress.session
        session.quit()
    except ProbeFailure as failure:
        cert = None
        if isinstance(failure, CertificateFailure) and failure.tls:
            progress.tls = failure.tls
            cert = failure.tls.certificate
        error = diagnose(failure, server, certificate=cert, usernames=progress.usernames,
                         mechanisms=progress.caps.mechanisms)
        transcript.note(f"failed: {failure.code}" + (f" ({failure.detail})"
                                                     if failure.detail else ""))
    except Cancelled:
        error = diagnose(ProbeFailure("timeout", "cancelled"), server)
    finally:
        if progress.session is not None:
            progress.session.close()
    return ServerResult(
        server=server, ok=error is None, stage=progress.stage, error=error, tls=progress.tls,
        capabilities=progress.caps.items, auth_mechanisms=progress.caps.mechanisms,
        username_used=username_used, mechanism_used=mechanism_used,
        transcript=transcript.lines(),
        elapsed_ms=int((time.monotonic() - started) * 1000),
    )


def _sign_in_any(server: Server, address: Address, policy: Policy, budget: Budget,
                 transcript: Transcript, progress: _Progress) -> tuple[str, str]:
    """Try each candidate user name, on a fresh connection after a refusal."""
    candidates = usernames_to_try(server, address, policy.authoritative)
    last: ProbeFailure | None = None
    for index, username in enumerate(candidates):
        assert progress.session is not None
        if index:
            progress.session.quit()
            progress.session.close()
            progress.session = None
            transcript.note(f"trying the user name {username}")
            progress.session = connect(server, budget, transcript,
                                       trusted=policy.trusted_fingerprints)
        progress.usernames = (*progress.usernames, username)
        try:
            mechanism = sign_in(progress.session, server, policy, username)
            return username, mechanism
        except ProbeFailure as failure:
            if failure.code != "auth-failed":
                raise
            last = failure
            if classify_reply(failure.reply):
                break  # the server says why, and it is not the user name
    assert last is not None
    raise last
