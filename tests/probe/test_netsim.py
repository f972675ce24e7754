"""The probe against the simulated internet (``tests/netsim``): real Dovecot and Postfix,
hostile servers that record what they receive, a test CA with good and bad certificates.
Run as root with ``scripts/netsim-run .venv/bin/python -m pytest tests/probe -q``."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from netsim import HostileHost, NetSim, RecordedConnection

from wizard.address import parse_address
from wizard.model import Server, Settings
from wizard.probe import ProbeOptions, probe, probe_result_to_json

from .scenario import ALICE, DOMAIN, GOOD, PASSWORD, config_file, mail_world
from .secrets import assert_no_secret, contains_secret

pytestmark = pytest.mark.network


def settings(*servers: Server, secure: bool = True, source: str = "builtin") -> Settings:
    return Settings(address=parse_address(ALICE), found=True,
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


def cli(netsim: NetSim, *args: str, stdin: str = PASSWORD + "\n"
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wizard", *args], input=stdin,
                          capture_output=True, text=True, timeout=60, env=netsim.env())


# A command that starts a sign-in: SMTP/POP3 AUTH, POP3 USER/PASS, IMAP LOGIN/AUTHENTICATE.
SIGN_IN = re.compile(rb"^(?:[A-Za-z0-9.]+ )?(?:AUTH|AUTHENTICATE|LOGIN|USER|PASS)\b",
                     re.IGNORECASE | re.MULTILINE)


def sign_ins(host: HostileHost) -> list[bytes]:
    """Every sign-in command the hostile host received, in plain text or inside TLS."""
    return [m.group() for m in SIGN_IN.finditer(host.received)]


def settled(host: HostileHost, timeout: float = 5.0) -> list[RecordedConnection]:
    """The host's connections once the client has closed every one."""
    deadline = time.monotonic() + timeout
    while True:
        connections = host.connections
        if all(c.closed for c in connections):
            return connections
        assert time.monotonic() < deadline, "the client left a connection open"
        time.sleep(0.02)


def plain_logins(host: HostileHost) -> list[tuple[str, str]]:
    """(user, password) of every SASL PLAIN initial response the host received."""
    found = []
    for blob in re.findall(rb"^AUTH PLAIN (\S+)\r?$", host.received, re.MULTILINE):
        _authzid, user, password = base64.b64decode(blob).decode().split("\0")
        found.append((user, password))
    return found


REAL = [Server("imap", GOOD, 993, "ssl"), Server("imap", GOOD, 143, "starttls"),
        Server("pop3", GOOD, 995, "ssl"), Server("pop3", GOOD, 110, "starttls"),
        Server("smtp", GOOD, 465, "ssl"), Server("smtp", GOOD, 587, "starttls")]


def test_every_real_server_passes_with_the_right_password(netsim: NetSim) -> None:
    mail_world(netsim)
    netsim.apply()
    report = check(*REAL)
    assert report.ok, [r.error for r in report.results if r.error]
    for result in report.results:
        assert result.stage == "done" and result.username_used == ALICE
        assert result.tls and result.tls.certificate and result.tls.certificate.trusted
        assert result.tls.certificate.subject == f"CN={GOOD}"
    smtp = report.results[-1]
    assert {"PLAIN", "LOGIN"} <= set(smtp.auth_mechanisms)
    assert any(c.startswith("SIZE") for c in smtp.capabilities)
    assert "PIPELINING" in smtp.capabilities and "8BITMIME" in smtp.capabilities


@pytest.mark.parametrize("incoming", [REAL[0], REAL[3]], ids=["imap", "pop3"])
def test_round_trip_really_delivers_and_deletes(netsim: NetSim, tmp_path: Path,
                                                incoming: Server) -> None:
    mail_world(netsim)
    netsim.apply()
    config = config_file(tmp_path, incoming, REAL[5])
    done = cli(netsim, "probe", ALICE, "--json", "--config", config, "--password-stdin",
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
        # (the tag depends on how many times the probe had to look before it arrived)
        assert "UID EXPUNGE" in transcript or re.search(r"C: a\d+ EXPUNGE", transcript)
    else:
        assert "C: DELE" in transcript
    # Postfix handed it to Dovecot's LMTP, which saved it in the Maildir ...
    assert re.search(rf"lmtp\({re.escape(ALICE)}\).*msgid={re.escape(message_id)}: saved mail",
                     netsim.logs["dovecot"].read_text(errors="replace"))
    # ... and the probe deleted it again.
    assert not any(message_id.encode() in data for data in netsim.messages(ALICE))
    # The human form says so too.
    done = cli(netsim, "probe", ALICE, "--config", config, "--password-stdin", "--round-trip")
    assert done.returncode == 0 and "Round trip" in done.stdout
    assert_no_secret(done.stdout + done.stderr, PASSWORD)


# -- every error code ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("server", "code", "stage"),
    [
        (Server("imap", f"missing.{DOMAIN}", 993, "ssl"), "dns-failed", "resolve"),
        (Server("imap", f"closed.{DOMAIN}", 993, "ssl"), "refused", "connect"),
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
def test_error_codes_from_real_servers(netsim: NetSim, server: Server, code: str,
                                       stage: str) -> None:
    mail_world(netsim, bad_certs=True)
    netsim.apply()
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


def test_auth_failed_from_dovecot_and_postfix(netsim: NetSim) -> None:
    mail_world(netsim)
    netsim.apply()
    report = check(REAL[0], REAL[3], REAL[4], password="not the password")
    for result in report.results:
        assert result.error is not None and result.error.code == "auth-failed"
        assert result.stage == "auth" and result.username_used is None
    assert "535" in (report.results[2].error.reply or "")  # type: ignore[union-attr]


def test_insecure_source_refused_by_real_server(netsim: NetSim) -> None:
    mail_world(netsim)
    netsim.apply()
    result = check(REAL[0], secure=False, source="mx").results[0]
    assert result.error is not None and result.error.code == "insecure-source-refused"
    assert check(REAL[0], secure=False, source="mx", accept_insecure_source=True).ok


def test_blocked_port_times_out_with_alternatives(netsim: NetSim) -> None:
    netsim.domain(DOMAIN).hostile("blackhole", "blackhole", ports=(587,))
    netsim.apply()
    result = check(Server("smtp", f"blackhole.{DOMAIN}", 587, "starttls"),
                   timeout=1.5).results[0]
    assert result.error is not None and result.error.code == "timeout"
    assert result.error.reason == "port-blocked" and "465" in result.error.hint


# -- the security rules, proved by servers that record what they received -------------------


@pytest.mark.parametrize("kind", ["expired", "wrong-host", "untrusted"])
@pytest.mark.parametrize("security,port", [("ssl", 465), ("starttls", 587)])
def test_no_credentials_before_the_certificate_passes(netsim: NetSim, kind: str,
                                                      security: str, port: int) -> None:
    # A server that would take any password, behind a bad certificate.
    spy = netsim.domain(DOMAIN).hostile("mitm", "accept-any-login", ports=(port,), cert=kind)
    netsim.apply()
    result = check(Server("smtp", f"mitm.{DOMAIN}", port, security)).results[0]  # type: ignore[arg-type]
    assert result.error is not None and result.error.code.startswith("cert-")
    assert not contains_secret(spy.received, PASSWORD) and sign_ins(spy) == []
    # Two connections: the check, whose handshake failed, and the handshake-only read of the
    # certificate, which completed TLS and then sent nothing at all inside it.
    connections = settled(spy)
    assert [(c.tls, c.encrypted) for c in connections] == [(False, b""), (True, b"")]


def test_no_credentials_over_plain_text(netsim: NetSim) -> None:
    spy = netsim.domain(DOMAIN).hostile("plain", "no-starttls", ports=(143,))
    netsim.apply()
    refused = check(Server("imap", f"plain.{DOMAIN}", 143, "plain")).results[0]
    assert refused.error is not None and refused.error.code == "plaintext-refused"
    assert not contains_secret(spy.received, PASSWORD) and sign_ins(spy) == []
    # STARTTLS configured but not offered: refused too, never a downgrade.
    down = check(Server("imap", f"plain.{DOMAIN}", 143, "starttls"),
                 allow_plaintext=True).results[0]
    assert down.error is not None and down.error.code == "starttls-unavailable"
    assert not contains_secret(spy.received, PASSWORD) and sign_ins(spy) == []
    # Only with the explicit permission does the password travel.
    allowed = check(Server("imap", f"plain.{DOMAIN}", 143, "plain"),
                    allow_plaintext=True).results[0]
    assert allowed.ok and contains_secret(spy.received, PASSWORD)
    assert len(sign_ins(spy)) == 1


def test_no_credentials_to_hosts_from_an_insecure_result(netsim: NetSim, tmp_path: Path
                                                         ) -> None:
    spy = netsim.domain(DOMAIN).hostile("forged", "accept-any-login", ports=(465,))
    netsim.apply()
    config = config_file(tmp_path, Server("smtp", f"forged.{DOMAIN}", 465, "ssl"),
                         secure=False, source="mx")
    done = cli(netsim, "probe", ALICE, "--json", "--config", config, "--password-stdin")
    doc = json.loads(done.stdout)
    assert done.returncode == 1
    assert doc["results"][0]["error"]["code"] == "insecure-source-refused"
    assert doc["results"][0]["stage"] == "auth"
    assert not contains_secret(spy.received, PASSWORD) and sign_ins(spy) == []
    done = cli(netsim, "probe", ALICE, "--json", "--config", config, "--password-stdin",
               "--accept-insecure-source")
    assert done.returncode == 0, done.stdout
    assert plain_logins(spy) == [(ALICE, PASSWORD)] and len(sign_ins(spy)) == 1
    assert all(not contains_secret(c.data[: c.tls_start], PASSWORD) for c in spy.connections)
    assert any(contains_secret(c.encrypted, PASSWORD) for c in spy.connections)
    assert_no_secret(done.stdout + done.stderr, PASSWORD)


def test_starttls_offered_then_refused_by_a_recording_server(netsim: NetSim) -> None:
    spy = netsim.domain(DOMAIN).hostile("nostarttls", "starttls-refused", ports=(587,))
    netsim.apply()
    result = check(Server("smtp", f"nostarttls.{DOMAIN}", 587, "starttls"),
                   allow_plaintext=True).results[0]
    assert result.error is not None and result.error.code == "starttls-unavailable"
    assert b"STARTTLS" in spy.received  # it was asked, and said no
    assert not contains_secret(spy.received, PASSWORD) and sign_ins(spy) == []
