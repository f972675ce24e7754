"""The probe against tiny in-process servers that record what they receive.

The simulated internet (``test_netsim.py``) proves the same against Dovecot and Postfix;
these run anywhere, fast, and cover parsing, policies and hostile behaviour.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections.abc import Callable

import pytest

from wizard.model import Server
from wizard.probe import CancelToken, ProbeOptions, probe, probe_result_to_json

from .conftest import settings_for
from .fakeserver import Account, FakeServer, Peer, imap_handler, pop3_handler, smtp_handler
from .secrets import assert_no_secret, contains_secret

Contexts = Callable[[str], ssl.SSLContext]


def run(*servers: Server, password: str | None = Account.password, timeout: float = 5,
        **kw: object):  # type: ignore[no-untyped-def]
    settings_kw = {k: kw.pop(k) for k in ("secure", "source") if k in kw}
    settings = settings_for(*servers, **settings_kw)  # type: ignore[arg-type]
    report = probe(settings, ProbeOptions(password=password, timeout=timeout, **kw))  # type: ignore[arg-type]
    text = json.dumps(probe_result_to_json(report), ensure_ascii=False)
    if password:
        assert_no_secret(text, password)
    return report


# -- success over TLS, and what the server saw ---------------------------------------------


@pytest.mark.parametrize("protocol", ["imap", "pop3", "smtp"])
def test_sign_in_after_starttls(protocol: str, server_context: Contexts) -> None:
    account = Account()
    handler = {"imap": imap_handler, "pop3": pop3_handler, "smtp": smtp_handler}[protocol]
    with FakeServer(handler(account), context=server_context("good")) as srv:
        report = run(Server(protocol, "localhost", srv.port, "starttls"))  # type: ignore[arg-type]
        result = report.results[0]
        assert result.ok and result.stage == "done", result.error
        assert result.username_used == "alice@example.test"
        assert result.tls is not None and result.tls.certificate is not None
        assert result.tls.certificate.trusted and result.tls.certificate.hostname_match
        assert result.tls.version in ("TLSv1.2", "TLSv1.3")
        # The password went only inside TLS.
        assert not contains_secret(srv.plain_data, account.password)
        assert contains_secret(srv.data, account.password)


def test_implicit_tls_without_password_stops_after_capabilities(server_context: Contexts
                                                                 ) -> None:
    account = Account()
    with FakeServer(imap_handler(account, starttls=False), context=server_context("good"),
                    implicit_tls=True) as srv:
        report = run(Server("imap", "localhost", srv.port, "ssl"), password=None)
    result = report.results[0]
    assert result.ok and result.stage == "capabilities" and result.username_used is None
    assert result.auth_mechanisms == ("PLAIN", "LOGIN")
    assert account.tried == [] and b"AUTHENTICATE" not in srv.data


# -- the security rules ---------------------------------------------------------------------


@pytest.mark.parametrize("kind,code", [("expired", "cert-expired"),
                                       ("wrong-host", "cert-hostname-mismatch"),
                                       ("untrusted", "cert-untrusted"),
                                       ("self-signed", "cert-untrusted"),
                                       ("not-yet-valid", "cert-expired")])
@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_bad_certificate_gets_nothing(kind: str, code: str, security: str,
                                      server_context: Contexts) -> None:
    account = Account()
    with FakeServer(smtp_handler(account), context=server_context(kind),
                    implicit_tls=security == "ssl") as srv:
        report = run(Server("smtp", "localhost", srv.port, security))  # type: ignore[arg-type]
    result = report.results[0]
    assert not result.ok and result.stage == "tls"
    assert result.error is not None and result.error.code == code
    cert = result.tls.certificate if result.tls else None
    assert cert is not None, "the certificate's details are reported"
    assert cert.sha256 in result.error.hint.replace(":", "").lower()
    assert cert.hostname_match is (kind != "wrong-host")
    # Not one byte inside TLS (neither connection sent anything once TLS was up) and no
    # credentials anywhere.
    assert [d for tls, d in srv.received if tls] == []
    assert not contains_secret(srv.data, account.password) and account.tried == []
    assert b"AUTH" not in srv.data


def test_plaintext_is_refused_without_permission() -> None:
    account = Account()
    with FakeServer(imap_handler(account, starttls=False)) as srv:
        report = run(Server("imap", "localhost", srv.port, "plain"))
        assert srv.connections == 1
    result = report.results[0]
    assert result.error is not None and result.error.code == "plaintext-refused"
    assert result.stage == "auth"
    assert not contains_secret(srv.data, account.password) and account.tried == []


def test_plaintext_allowed_explicitly() -> None:
    account = Account()
    with FakeServer(pop3_handler(account, starttls=False, capa=("USER",))) as srv:
        report = run(Server("pop3", "localhost", srv.port, "plain"), allow_plaintext=True)
    result = report.results[0]
    assert result.ok and result.mechanism_used == "USER"
    assert any(line == "C: PASS ********" for line in result.transcript)


def test_insecure_source_gets_no_password(server_context: Contexts) -> None:
    account = Account()
    with FakeServer(smtp_handler(account), context=server_context("good")) as srv:
        server = Server("smtp", "localhost", srv.port, "starttls")
        refused = run(server, secure=False, source="mx").results[0]
        assert refused.error is not None and refused.error.code == "insecure-source-refused"
        assert not contains_secret(srv.data, account.password) and account.tried == []
        accepted = run(server, secure=False, source="mx", accept_insecure_source=True)
        assert accepted.results[0].ok


def test_starttls_not_offered_is_never_a_silent_downgrade() -> None:
    account = Account()
    with FakeServer(imap_handler(account, starttls=False)) as srv:
        report = run(Server("imap", "localhost", srv.port, "starttls"), allow_plaintext=True)
    result = report.results[0]
    assert result.error is not None and result.error.code == "starttls-unavailable"
    assert result.stage == "starttls" and account.tried == []
    assert not contains_secret(srv.data, account.password)


def test_starttls_refused(server_context: Contexts) -> None:
    account = Account()
    with FakeServer(smtp_handler(account, refuse_starttls=True),
                    context=server_context("good")) as srv:
        result = run(Server("smtp", "localhost", srv.port, "starttls")).results[0]
    assert result.error is not None and result.error.code == "starttls-unavailable"
    assert result.error.reason == "refused" and "454" in (result.error.reply or "")
    assert not contains_secret(srv.data, account.password)


# -- user names and diagnoses ------------------------------------------------------------------


def test_guessed_settings_try_the_local_part(server_context: Contexts) -> None:
    account = Account(user="alice", locals_ok=False)
    with FakeServer(imap_handler(account), context=server_context("good")) as srv:
        result = run(Server("imap", "localhost", srv.port, "starttls"),
                     source="guess").results[0]
    assert result.ok and result.username_used == "alice"
    assert account.tried == ["alice@example.test", "alice"]
    assert "-- trying the user name alice" in result.transcript


def test_authoritative_settings_use_their_user_name_only(server_context: Contexts) -> None:
    account = Account(user="alice")
    with FakeServer(imap_handler(account), context=server_context("good")) as srv:
        result = run(Server("imap", "localhost", srv.port, "starttls"),
                     source="autoconfig").results[0]
    assert result.error is not None and result.error.code == "auth-failed"
    assert account.tried == ["alice@example.test"]


def test_wrong_password(server_context: Contexts) -> None:
    account = Account()
    with FakeServer(smtp_handler(account), context=server_context("good")) as srv:
        result = run(Server("smtp", "localhost", srv.port, "starttls"),
                     password="wrong-password-123").results[0]
    assert result.error is not None and result.error.code == "auth-failed"
    assert result.error.reason is None and "535" in (result.error.reply or "")


def test_gmail_app_password_reply(server_context: Contexts) -> None:
    account = Account(refusal="[ALERT] Application-specific password required: "
                              "https://support.google.com/accounts/answer/185833 (Failure)")
    with FakeServer(imap_handler(account), context=server_context("good")) as srv:
        result = run(Server("imap", "localhost", srv.port, "starttls"), source="guess",
                     password="not-the-app-password").results[0]
    assert result.error is not None and result.error.reason == "app-password"
    assert len(account.tried) == 1, "no second user name when the server says why"


def test_oauth_only_server(server_context: Contexts) -> None:
    account = Account()
    with FakeServer(imap_handler(account, caps="IMAP4rev1 AUTH=XOAUTH2 AUTH=OAUTHBEARER "
                                          "LOGINDISABLED"),
                    context=server_context("good")) as srv:
        result = run(Server("imap", "localhost", srv.port, "starttls")).results[0]
    assert result.error is not None and result.error.code == "auth-mechanism-unsupported"
    assert result.error.reason == "oauth-only" and account.tried == []


def test_smtp_without_auth(server_context: Contexts) -> None:
    account = Account()
    with FakeServer(smtp_handler(account, ehlo=("SIZE 10",)),
                    context=server_context("good")) as srv:
        result = run(Server("smtp", "localhost", srv.port, "starttls")).results[0]
    assert result.error is not None and result.error.code == "auth-mechanism-unsupported"
    assert result.error.reason == "no-auth"


def test_refused_connection() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: connections are refused
        result = run(Server("imap", "127.0.0.1", port, "ssl")).results[0]
    assert result.error is not None and result.error.code == "refused"
    assert result.stage == "connect"


# -- hostile servers ----------------------------------------------------------------------------


def _black_hole(peer: Peer) -> None:
    while peer.readline() is not None:
        pass


def _endless_line(peer: Peer) -> None:
    chunk = b"* OK " + b"x" * 65536
    for _ in range(200):
        peer.sock.sendall(chunk)


def _endless_lines(peer: Peer) -> None:
    peer.send("220-welcome")
    for _ in range(100_000):
        peer.send("220-and more")


def _one_byte_a_second(peer: Peer) -> None:
    for byte in b"* OK slow greeting\r\n":
        peer.sock.sendall(bytes([byte]))
        time.sleep(1)


def _not_a_mail_server(peer: Peer) -> None:
    peer.send("SSH-2.0-OpenSSH_9.2")


@pytest.mark.parametrize(
    ("handler", "protocol", "code", "reason", "stage"),
    [
        (_black_hole, "imap", "timeout", None, "greeting"),
        (_endless_line, "imap", "protocol-error", "line-too-long", "greeting"),
        (_endless_lines, "smtp", "protocol-error", "too-many-lines", "greeting"),
        (_one_byte_a_second, "imap", "timeout", None, "greeting"),
        (_not_a_mail_server, "pop3", "protocol-error", "not-pop3", "greeting"),
    ],
)
def test_hostile_servers_are_bounded(handler: Callable[[Peer], None], protocol: str,
                                     code: str, reason: str | None, stage: str) -> None:
    with FakeServer(handler) as srv:
        started = time.monotonic()
        result = run(Server(protocol, "localhost", srv.port, "plain"),  # type: ignore[arg-type]
                     timeout=1.5, allow_plaintext=True).results[0]
        elapsed = time.monotonic() - started
    assert result.error is not None
    assert (result.error.code, result.error.reason, result.stage) == (code, reason, stage)
    assert elapsed < 3.0


def test_garbage_after_starttls_reply_is_refused(server_context: Contexts) -> None:
    def inject(peer: Peer) -> None:
        peer.send("220 hi")
        peer.readline()
        peer.send("250-x\r\n250 STARTTLS")
        peer.readline()
        peer.sock.sendall(b"220 go\r\n250 injected\r\n")
        _black_hole(peer)

    with FakeServer(inject, context=server_context("good")) as srv:
        result = run(Server("smtp", "localhost", srv.port, "starttls")).results[0]
    assert result.error is not None and result.error.code == "protocol-error"
    assert result.error.reason == "injected"


def test_all_servers_share_one_deadline_and_cancel_stops_them() -> None:
    with FakeServer(_black_hole) as a, FakeServer(_black_hole) as b, \
            FakeServer(_black_hole) as c:
        servers = [Server("imap", "localhost", s.port, "plain") for s in (a, b, c)]
        started = time.monotonic()
        report = run(*servers, timeout=1.0, allow_plaintext=True)
        assert time.monotonic() - started < 1.8
        assert [r.error.code for r in report.results if r.error] == ["timeout"] * 3

        token = CancelToken()
        events = []
        threading.Timer(0.3, token.cancel).start()
        started = time.monotonic()
        report = probe(settings_for(*servers), ProbeOptions(timeout=30), cancel=token,
                       on_event=events.append)
        assert time.monotonic() - started < 2.0
        assert all(r.error and r.error.reason == "cancelled" for r in report.results)
        finished = [e for e in events if e.result is not None]
        assert sorted(e.index for e in finished) == [0, 1, 2]
        assert {e.stage for e in events if e.result is None} >= {"resolve", "connect",
                                                                 "greeting"}
