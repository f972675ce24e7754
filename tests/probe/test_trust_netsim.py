"""Trusting one certificate by its SHA-256 fingerprint, against the simulated internet: real
Dovecot and Postfix behind bad certificates, and hostile servers that record what they got.

Run as root with ``scripts/netsim-run .venv/bin/python -m pytest tests/probe -q``."""

from __future__ import annotations

import hashlib
import json
import ssl
from pathlib import Path

import pytest
from netsim import NetSim

from wizard.model import Server
from wizard.probe import probe_result_to_json
from wizard.probe.certinfo import fingerprint

from .scenario import ALICE, DOMAIN, GOOD, PASSWORD, config_file, mail_world
from .secrets import assert_no_secret, contains_secret
from .test_netsim import SIGN_IN, check, cli, plain_logins, settled, sign_ins

pytestmark = pytest.mark.network

CODES = {"untrusted": "cert-untrusted", "expired": "cert-expired",
         "wrong-host": "cert-hostname-mismatch"}
HOSTS = {"untrusted": "untrusted", "expired": "expired", "wrong-host": "wronghost"}


def leaf_sha256(netsim: NetSim, fqdn: str, kind: str) -> str:
    """The SHA-256 of the certificate the simulated internet gives ``fqdn`` (its own files,
    not what the probe reports)."""
    pem = netsim.internet.ca.certificate((fqdn,), kind).cert_file.read_text()  # type: ignore[arg-type]
    end = "-----END CERTIFICATE-----"
    leaf = pem[pem.index("-----BEGIN CERTIFICATE-----"):pem.index(end) + len(end)]
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(leaf)).hexdigest()


def as_people_copy_it(sha256: str) -> str:
    """``AB:CD:…`` as the wizard shows it: the probe must accept any case and colons."""
    return fingerprint(sha256)


@pytest.mark.parametrize(
    ("protocol", "port", "security", "kind"),
    [
        ("imap", 993, "ssl", "untrusted"),
        ("imap", 143, "starttls", "expired"),
        ("pop3", 995, "ssl", "wrong-host"),
        ("pop3", 110, "starttls", "untrusted"),
        ("smtp", 465, "ssl", "expired"),
        ("smtp", 587, "starttls", "untrusted"),
        ("smtp", 587, "starttls", "wrong-host"),
    ],
)
def test_trusting_the_right_fingerprint_signs_in(netsim: NetSim, protocol: str, port: int,
                                                 security: str, kind: str) -> None:
    mail_world(netsim, bad_certs=True)
    netsim.apply()
    host = f"{HOSTS[kind]}.{DOMAIN}"
    real = leaf_sha256(netsim, host, kind)
    server = Server(protocol, host, port, security)  # type: ignore[arg-type]
    # Without the decision: the certificate problem, and its fingerprint, as before.
    refused = check(server, timeout=5).results[0]
    assert refused.error is not None and refused.error.code == CODES[kind]
    assert refused.tls and refused.tls.certificate and refused.tls.certificate.sha256 == real
    assert not refused.tls.certificate.trusted_by_fingerprint
    # With it: the check goes on over a connection presenting exactly that certificate.
    report = check(server, timeout=10,
                   trusted_fingerprints=frozenset({as_people_copy_it(real)}))
    result = report.results[0]
    assert report.ok and result.error is None, (result.error, result.transcript)
    assert result.stage == "done" and result.username_used == ALICE
    assert result.tls is not None and result.tls.version in ("TLSv1.2", "TLSv1.3")
    cert = result.tls.certificate
    assert cert is not None and cert.sha256 == real
    assert cert.trusted_by_fingerprint and cert.verify_error == CODES[kind]
    assert cert.trusted is (kind != "untrusted")
    assert cert.hostname_match is (kind != "wrong-host")
    transcript = "\n".join(result.transcript)
    assert "accepted: its SHA-256" in transcript and "certificate verified" not in transcript
    doc = probe_result_to_json(report)["results"][0]["tls"]["certificate"]
    assert doc["trusted_by_fingerprint"] is True and doc["verify_error"] == CODES[kind]
    assert doc["sha256"] == real


def test_a_verified_certificate_is_never_marked_as_trusted_by_fingerprint(netsim: NetSim
                                                                         ) -> None:
    mail_world(netsim)
    netsim.apply()
    own = leaf_sha256(netsim, GOOD, "good")
    report = check(Server("imap", GOOD, 993, "ssl"), Server("smtp", GOOD, 587, "starttls"),
                   trusted_fingerprints=frozenset({own, "00" * 32}))
    assert report.ok
    for result in report.results:
        cert = result.tls.certificate if result.tls else None
        assert cert is not None and cert.trusted and not cert.trusted_by_fingerprint
        assert cert.verify_error is None
        assert "certificate verified" in "\n".join(result.transcript)


@pytest.mark.parametrize("security,port", [("ssl", 465), ("starttls", 587)])
def test_another_certificate_than_the_trusted_one_gets_nothing(netsim: NetSim, security: str,
                                                               port: int) -> None:
    # A server that would take any password, behind an untrusted certificate: the person
    # trusts some other certificate (say, the real server's, before a man in the middle).
    spy = netsim.domain(DOMAIN).hostile("mitm", "accept-any-login", ports=(port,),
                                        cert="untrusted")
    netsim.apply()
    presented = leaf_sha256(netsim, f"mitm.{DOMAIN}", "untrusted")
    other = hashlib.sha256(b"the certificate the person trusts").hexdigest()
    report = check(Server("smtp", f"mitm.{DOMAIN}", port, security),  # type: ignore[arg-type]
                   trusted_fingerprints=frozenset({other}))
    result = report.results[0]
    assert result.error is not None and result.error.code == "cert-untrusted"
    assert result.stage == "tls"
    cert = result.tls.certificate if result.tls else None
    assert cert is not None and cert.sha256 == presented and not cert.trusted_by_fingerprint
    assert "is not one the person trusts; nothing sent" in "\n".join(result.transcript)
    assert not contains_secret(spy.received, PASSWORD) and sign_ins(spy) == []
    # The check, whose verified handshake failed, and the connection that compared the
    # fingerprint: it completed TLS and then sent nothing at all inside it.
    connections = settled(spy)
    assert [(c.tls, c.encrypted) for c in connections] == [(False, b""), (True, b"")]


@pytest.mark.parametrize("security,port", [("ssl", 465), ("starttls", 587)])
def test_the_password_goes_only_inside_the_pinned_connection(netsim: NetSim, security: str,
                                                             port: int) -> None:
    spy = netsim.domain(DOMAIN).hostile("pinned", "accept-any-login", ports=(port,),
                                        cert="untrusted")
    netsim.apply()
    presented = leaf_sha256(netsim, f"pinned.{DOMAIN}", "untrusted")
    report = check(Server("smtp", f"pinned.{DOMAIN}", port, security),  # type: ignore[arg-type]
                   trusted_fingerprints=frozenset({presented.upper()}))
    assert report.ok, report.results[0].transcript
    first, second = settled(spy)
    assert (first.tls, first.encrypted) == (False, b"")  # the verified attempt: nothing
    assert second.tls and second.tls_start is not None
    plain, inside = bytes(second.data[:second.tls_start]), second.encrypted
    assert not contains_secret(plain, PASSWORD) and not SIGN_IN.search(plain)
    assert inside.upper().startswith(b"EHLO")  # the first thing said inside TLS
    assert plain_logins(spy) == [(ALICE, PASSWORD)]


def test_cli_trust_fingerprint(netsim: NetSim, tmp_path: Path) -> None:
    mail_world(netsim, bad_certs=True)
    netsim.apply()
    host = f"untrusted.{DOMAIN}"
    real = leaf_sha256(netsim, host, "untrusted")
    config = config_file(tmp_path, Server("imap", host, 993, "ssl"),
                         Server("smtp", host, 587, "starttls"))
    refused = cli(netsim, "probe", ALICE, "--json", "--config", config, "--password-stdin")
    assert refused.returncode == 1
    assert {r["error"]["code"] for r in json.loads(refused.stdout)["results"]} == {
        "cert-untrusted"}
    wrong = cli(netsim, "probe", ALICE, "--json", "--config", config, "--password-stdin",
                "--trust-fingerprint", "11" * 32)
    assert wrong.returncode == 1
    assert {r["error"]["code"] for r in json.loads(wrong.stdout)["results"]} == {
        "cert-untrusted"}
    done = cli(netsim, "probe", ALICE, "--json", "--config", config, "--password-stdin",
               "--trust-fingerprint", "11" * 32, "--trust-fingerprint", fingerprint(real),
               "--round-trip")
    assert_no_secret(done.stdout + done.stderr, PASSWORD)
    doc = json.loads(done.stdout)
    assert done.returncode == 0, doc
    for result in doc["results"]:
        assert result["ok"] and result["username_used"] == ALICE
        cert = result["tls"]["certificate"]
        assert cert["trusted_by_fingerprint"] is True and cert["trusted"] is False
        assert cert["verify_error"] == "cert-untrusted" and cert["sha256"] == real
    assert doc["round_trip"]["ok"], doc["round_trip"]
    human = cli(netsim, "probe", ALICE, "--config", config, "--password-stdin",
                "--trust-fingerprint", real.upper())
    assert human.returncode == 0, human.stdout + human.stderr
    assert human.stdout.count("accepted by your decision: you trust its fingerprint") == 2
    assert "not issued by an authority this computer trusts" in human.stdout
    assert_no_secret(human.stdout + human.stderr, PASSWORD)
