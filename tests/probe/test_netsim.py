"""The probe against the simulated internet: real Dovecot and Postfix, hostile servers that
record what they receive, a test CA with good and bad certificates. Run as root with
``scripts/netsim-run .venv/bin/python -m pytest tests/probe -q``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.address import parse_address
from wizard.model import Server, Settings
from wizard.probe import ProbeOptions, probe, probe_result_to_json

from .fakeserver import Account, Peer, imap_handler, smtp_handler
from .secrets import assert_no_secret, contains_secret

pytestmark = pytest.mark.network

mailnet_module = pytest.importorskip("probe.mailnet", reason="tests/netsim is missing")
ALICE, GOOD, DOMAIN = mailnet_module.ALICE, mailnet_module.GOOD, mailnet_module.DOMAIN
PASSWORD = ALICE.password


def settings(*servers: Server, secure: bool = True, source: str = "builtin") -> Settings:
    return Settings(address=parse_address(ALICE.address), found=True,
                    source=source, secure=secure,  # type: ignore[arg-type]
                    incoming=tuple(s for s in servers if s.protocol != "smtp"),
                    outgoing=tuple(s for s in servers if s.protocol == "smtp"))


def check(*servers: Server, password: str | None = PASSWORD, **options: object):  # type: ignore[no-untyped-def]
    kw = {k: options.pop(k) for k in ("secure", "source") if k in options}
    report = probe(settings(*servers, **kw),  # type: ignore[arg-type]
                   ProbeOptions(password=password, timeout=options.pop("timeout", 10),  # type: ignore[arg-type]
                                **options))  # type: ignore[arg-type]
    text = json.dumps(probe_result_to_json(report), ensure_ascii=False)
    for secret in {PASSWORD, password or PASSWORD}:
        assert_no_secret(text, secret)
    return report


REAL = [Server("imap", GOOD, 993, "ssl"), Server("imap", GOOD, 143, "starttls"),
        Server("pop3", GOOD, 995, "ssl"), Server("pop3", GOOD, 110, "starttls"),
        Server("smtp", GOOD, 465, "ssl"), Server("smtp", GOOD, 587, "starttls")]


def test_every_real_server_passes_with_the_right_password(mailnet: object) -> None:
    report = check(*REAL)
    assert report.ok, [r.error for r in report.results if r.error]
    for result in report.results:
        assert result.stage == "done" and result.username_used == ALICE.address
        assert result.tls and result.tls.certificate and result.tls.certificate.trusted
        assert result.tls.certificate.subject == f"CN={GOOD}"
    smtp = report.results[-1]
    assert {"PLAIN", "LOGIN"} <= set(smtp.auth_mechanisms)
    assert any(c.startswith("SIZE") for c in smtp.capabilities)
    assert "PIPELINING" in smtp.capabilities and "8BITMIME" in smtp.capabilities


def _cli(*args: str, stdin: str = PASSWORD + "\n") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wizard", *args], input=stdin,
                          capture_output=True, text=True, timeout=60, env=os.environ.copy())


def _config(tmp_path: Path, *servers: Server, secure: bool = True,
            source: str = "builtin") -> str:
    doc = {"schema": 1, "email": ALICE.address, "source": source, "secure": secure,
           "incoming": [], "outgoing": []}
    for s in servers:
        doc["outgoing" if s.protocol == "smtp" else "incoming"].append(  # type: ignore[union-attr]
            {"protocol": s.protocol, "host": s.host, "port": s.port, "security": s.security,
             "auth": list(s.auth), "username": "%EMAILADDRESS%"})
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(doc))
    return str(path)


@pytest.mark.parametrize("incoming", [REAL[0], REAL[3]], ids=["imap", "pop3"])
def test_round_trip_really_delivers_and_deletes(mailnet: object, tmp_path: Path,
                                                incoming: Server) -> None:
    config = _config(tmp_path, incoming, REAL[5])
    done = _cli("probe", ALICE.address, "--json", "--config", config, "--password-stdin",
                "--round-trip")
    assert_no_secret(done.stdout + done.stderr, PASSWORD)
    doc = json.loads(done.stdout)
    assert done.returncode == 0, doc
    trip = doc["round_trip"]
    assert trip["ok"] and trip["error"] is None and trip["elapsed_ms"] > 0
    assert trip["incoming"]["protocol"] == incoming.protocol
    message_id = trip["message_id"]
    transcript = "\n".join(trip["transcript"])
    assert "C: DATA" in transcript and "250 2.0.0 Ok: queued" in transcript
    if incoming.protocol == "imap":
        assert "UID EXPUNGE" in transcript or "C: a6 EXPUNGE" in transcript
    else:
        assert "C: DELE" in transcript
    # Delivered by Postfix over LMTP into the Maildir, then deleted by the probe.
    maildir = mailnet.maildir(ALICE.address)  # type: ignore[attr-defined]
    left = [p.read_bytes() for sub in ("new", "cur") for p in (maildir / sub).glob("*")]
    assert not any(message_id.encode() in data for data in left)
    # The human form says so too.
    done = _cli("probe", ALICE.address, "--config", config, "--password-stdin", "--round-trip")
    assert done.returncode == 0 and "Round trip" in done.stdout
    assert_no_secret(done.stdout + done.stderr, PASSWORD)


# -- every error code ---------------------------------------------------------------------


def _black_hole(peer: Peer) -> None:
    while peer.readline() is not None:
        pass


@pytest.mark.parametrize(
    ("server", "code", "stage"),
    [
        (Server("imap", mailnet_module.MISSING, 993, "ssl"), "dns-failed", "resolve"),
        (Server("imap", mailnet_module.CLOSED, 993, "ssl"), "refused", "connect"),
        (Server("imap", GOOD, 143, "ssl"), "tls-failed", "tls"),
        (Server("imap", f"expired.{DOMAIN}", 993, "ssl"), "cert-expired", "tls"),
        (Server("smtp", f"expired.{DOMAIN}", 587, "starttls"), "cert-expired", "tls"),
        (Server("pop3", f"wronghost.{DOMAIN}", 995, "ssl"), "cert-hostname-mismatch", "tls"),
        (Server("smtp", f"wronghost.{DOMAIN}", 465, "ssl"), "cert-hostname-mismatch", "tls"),
        (Server("imap", f"untrusted.{DOMAIN}", 143, "starttls"), "cert-untrusted", "tls"),
        (Server("smtp", f"untrusted.{DOMAIN}", 465, "ssl"), "cert-untrusted", "tls"),
        (Server("smtp", GOOD, 25, "starttls"), "auth-mechanism-unsupported", "auth"),
        (Server("imap", GOOD, 143, "plain"), "plaintext-refused", "auth"),
        (Server("imap", GOOD, 25, "plain"), "protocol-error", "greeting"),
        (Server("pop3", GOOD, 993, "plain"), "timeout", "greeting"),
    ],
)
def test_error_codes_from_real_servers(mailnet: object, server: Server, code: str,
                                       stage: str) -> None:
    result = check(server, timeout=3, allow_plaintext=code == "protocol-error"
                   or code == "timeout").results[0]
    assert result.error is not None, result
    assert (result.error.code, result.stage) == (code, stage), result.transcript
    assert result.error.message and result.error.hint
    if code.startswith("cert-"):
        cert = result.tls.certificate if result.tls else None
        assert cert is not None and cert.sha256
        assert cert.sha256[:4].upper() in result.error.hint.replace(":", "")
        assert cert.hostname_match is (code != "cert-hostname-mismatch")
        assert cert.trusted is (code != "cert-untrusted")
        if code == "cert-expired":
            assert cert.expired and cert.not_after and cert.not_after[:10] in \
                result.error.message


def test_auth_failed_from_dovecot_and_postfix(mailnet: object) -> None:
    report = check(REAL[0], REAL[3], REAL[4], password="not the password")
    for result in report.results:
        assert result.error is not None and result.error.code == "auth-failed"
        assert result.stage == "auth" and result.username_used is None
    assert "535" in (report.results[2].error.reply or "")  # type: ignore[union-attr]


def test_insecure_source_refused_by_real_server(mailnet: object) -> None:
    result = check(REAL[0], secure=False, source="mx").results[0]
    assert result.error is not None and result.error.code == "insecure-source-refused"
    assert check(REAL[0], secure=False, source="mx", accept_insecure_source=True).ok


def test_blocked_port_times_out_with_alternatives(mailnet: object) -> None:
    with mailnet.hostile(f"blackhole.{DOMAIN}", 587, _black_hole):  # type: ignore[attr-defined]
        result = check(Server("smtp", f"blackhole.{DOMAIN}", 587, "starttls"),
                       timeout=1.5).results[0]
    assert result.error is not None and result.error.code == "timeout"
    assert result.error.reason == "port-blocked" and "465" in result.error.hint


# -- the security rules, proved by servers that record what they received -------------------


@pytest.mark.parametrize("kind", ["expired", "wrong-host", "untrusted"])
@pytest.mark.parametrize("security,port", [("ssl", 465), ("starttls", 587)])
def test_no_credentials_before_the_certificate_passes(mailnet: object, kind: str,
                                                      security: str, port: int) -> None:
    account = Account(user=ALICE.address, password=PASSWORD)
    with mailnet.hostile(f"mitm.{DOMAIN}", port, smtp_handler(account),  # type: ignore[attr-defined]
                         kind=kind, implicit_tls=security == "ssl") as spy:
        result = check(Server("smtp", f"mitm.{DOMAIN}", port, security)).results[0]  # type: ignore[arg-type]
    assert result.error is not None and result.error.code.startswith("cert-")
    assert not contains_secret(spy.data, PASSWORD) and account.tried == []
    assert [d for tls, d in spy.received if tls] == [], "nothing at all over TLS"
    assert spy.connections == 2  # the check, and the handshake-only certificate read


def test_no_credentials_over_plain_text(mailnet: object) -> None:
    account = Account(user=ALICE.address, password=PASSWORD)
    with mailnet.hostile(f"plain.{DOMAIN}", 143, imap_handler(account, starttls=False)) as spy:  # type: ignore[attr-defined]
        refused = check(Server("imap", f"plain.{DOMAIN}", 143, "plain")).results[0]
        assert refused.error is not None and refused.error.code == "plaintext-refused"
        assert not contains_secret(spy.data, PASSWORD) and account.tried == []
        # STARTTLS configured but not offered: refused too, never a downgrade.
        down = check(Server("imap", f"plain.{DOMAIN}", 143, "starttls"),
                     allow_plaintext=True).results[0]
        assert down.error is not None and down.error.code == "starttls-unavailable"
        assert not contains_secret(spy.data, PASSWORD) and account.tried == []
        # Only with the explicit permission does the password travel.
        allowed = check(Server("imap", f"plain.{DOMAIN}", 143, "plain"),
                        allow_plaintext=True).results[0]
        assert allowed.ok and contains_secret(spy.data, PASSWORD)


def test_no_credentials_to_hosts_from_an_insecure_result(mailnet: object, tmp_path: Path
                                                         ) -> None:
    account = Account(user=ALICE.address, password=PASSWORD)
    with mailnet.hostile(f"forged.{DOMAIN}", 465, smtp_handler(account),  # type: ignore[attr-defined]
                         implicit_tls=True) as spy:
        server = Server("smtp", f"forged.{DOMAIN}", 465, "ssl")
        config = _config(tmp_path, server, secure=False, source="mx")
        done = _cli("probe", ALICE.address, "--json", "--config", config, "--password-stdin")
        doc = json.loads(done.stdout)
        assert done.returncode == 1
        assert doc["results"][0]["error"]["code"] == "insecure-source-refused"
        assert doc["results"][0]["stage"] == "auth"
        assert not contains_secret(spy.data, PASSWORD) and account.tried == []
        done = _cli("probe", ALICE.address, "--json", "--config", config, "--password-stdin",
                    "--accept-insecure-source")
        assert done.returncode == 0 and account.tried == [ALICE.address]
        assert_no_secret(done.stdout + done.stderr, PASSWORD)


def test_starttls_offered_then_refused_by_a_recording_server(mailnet: object) -> None:
    account = Account(user=ALICE.address, password=PASSWORD)
    with mailnet.hostile(f"nostarttls.{DOMAIN}", 587,  # type: ignore[attr-defined]
                         smtp_handler(account, refuse_starttls=True)) as spy:
        result = check(Server("smtp", f"nostarttls.{DOMAIN}", 587, "starttls"),
                       allow_plaintext=True).results[0]
    assert result.error is not None and result.error.code == "starttls-unavailable"
    assert not contains_secret(spy.data, PASSWORD) and b"AUTH" not in spy.data
