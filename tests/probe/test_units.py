"""Unit tests of the probe's pieces: redaction, diagnoses, SASL, certificates, parsing."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from wizard.i18n import set_language
from wizard.model import Server
from wizard.probe import certinfo, sasl
from wizard.probe.diagnose import classify_reply, diagnose, port_alternatives
from wizard.probe.errors import ERROR_CODES, ProbeFailure
from wizard.probe.transcript import MASK, Transcript, redact_command


@pytest.mark.parametrize(
    ("protocol", "line", "shown"),
    [
        ("imap", "a1 CAPABILITY", "a1 CAPABILITY"),
        ("imap", "a2 AUTHENTICATE PLAIN AGFsaWNlAHB3", f"a2 AUTHENTICATE PLAIN {MASK}"),
        ("imap", "a2 AUTHENTICATE XOAUTH2 dXNlcj1h", f"a2 AUTHENTICATE XOAUTH2 {MASK}"),
        ("imap", 'a3 LOGIN "alice" "hunter2"', f"a3 LOGIN {MASK}"),
        ("imap", "a4 XUNKNOWN secret stuff", f"a4 XUNKNOWN {MASK}"),
        ("imap", "a5 UID SEARCH HEADER Message-ID \"<x@y>\"",
         "a5 UID SEARCH HEADER Message-ID \"<x@y>\""),
        ("pop3", "PASS hunter2", f"PASS {MASK}"),
        ("pop3", "USER alice", "USER alice"),
        ("pop3", "AUTH PLAIN AGFsaWNlAHB3", f"AUTH PLAIN {MASK}"),
        ("pop3", "APOP alice 0123456789abcdef", f"APOP {MASK}"),
        ("smtp", "AUTH LOGIN YWxpY2U=", f"AUTH LOGIN {MASK}"),
        ("smtp", "AUTH PLAIN", "AUTH PLAIN"),
        ("smtp", "EHLO [127.0.0.1]", "EHLO [127.0.0.1]"),
        ("smtp", "MAIL FROM:<a@b>", "MAIL FROM:<a@b>"),
        ("smtp", "XSECRET token", f"XSECRET {MASK}"),
    ],
)
def test_commands_are_redacted_by_allow_list(protocol: str, line: str, shown: str) -> None:
    assert redact_command(protocol, line) == shown  # type: ignore[arg-type]


def test_sasl_responses_and_long_transcripts_are_bounded() -> None:
    transcript = Transcript("smtp")
    transcript.secret()
    transcript.server("x" * 10_000)
    for _ in range(1000):
        transcript.server("250 ok")
    lines = transcript.lines()
    assert lines[0] == f"C: {MASK}"
    assert len(lines[1]) < 600
    assert len(lines) == 401 and "more lines not kept" in lines[-1]


def test_transcript_escapes_control_characters() -> None:
    transcript = Transcript("imap")
    transcript.server("* OK \x1b[31mred\x00")
    assert transcript.lines() == ("S: * OK \\x1b[31mred\\x00",)


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        # Gmail
        ("[ALERT] Application-specific password required: "
         "https://support.google.com/accounts/answer/185833 (Failure)", "app-password"),
        ("534-5.7.9 Application-specific password required. Learn more at", "app-password"),
        ("[ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings "
         "page and enable your account for IMAP access. (Failure)", "access-disabled"),
        ("[SYS/PERM] Your account is not enabled for POP access.", "access-disabled"),
        ("[ALERT] Please log in via your web browser: "
         "https://support.google.com/mail/accounts/answer/78754 (Failure)", "web-login"),
        ("[AUTHENTICATIONFAILED] Invalid credentials (Failure)", None),
        ("535-5.7.8 Username and Password not accepted.", None),
        # Yandex
        ("[AUTHENTICATIONFAILED] LOGIN Invalid credentials or IMAP is disabled",
         "access-disabled"),
        ("535 5.7.8 Error: authentication failed: This user does not have access rights to "
         "this service", "access-disabled"),
        ("[AUTHENTICATIONFAILED] AUTHENTICATE Invalid user name or password.", None),
        # Mail.ru
        ("535 5.7.0 NEOBHODIM parol prilozheniya https://help.mail.ru/mail/security/"
         "protection/external / Application password is REQUIRED", "app-password"),
        ("[AUTHENTICATIONFAILED] Authentication failed.", None),
        ("-ERR Access to mailbox via POP3 is disabled", "access-disabled"),
        ("NO [ALERT] Account is blocked", "web-login"),
        # Temporary failures on the server's side (Dovecot, RFC 5530 / 3206 / 4954)
        ("[UNAVAILABLE] Temporary authentication failure. [host:2026-11-27 21:07:35]",
         "temporary"),
        ("[SYS/TEMP] Temporary authentication failure.", "temporary"),
        ("454 4.7.0 Temporary authentication failure", "temporary"),
    ],
)
def test_provider_replies_are_recognised(reply: str, reason: str | None) -> None:
    assert classify_reply(reply) == reason


def test_every_error_code_has_words_in_english_and_russian() -> None:
    server = Server("smtp", "smtp.mail.ru", 465, "ssl")
    try:
        for lang in ("en", "ru"):
            set_language(lang)
            for code in ERROR_CODES:
                diagnosis = diagnose(ProbeFailure(code), server)
                assert diagnosis.code == code
                assert diagnosis.message and diagnosis.hint
                assert "{" not in diagnosis.message + diagnosis.hint
    finally:
        set_language("en")


def test_blocked_smtp_port_suggests_the_providers_alternatives() -> None:
    diagnosis = diagnose(ProbeFailure("timeout"), Server("smtp", "smtp.mail.ru", 25, "plain"))
    assert diagnosis.reason == "port-blocked"
    assert "2525" in diagnosis.hint and "587" in diagnosis.hint
    assert port_alternatives(Server("smtp", "smtp.example.com", 587, "starttls")) == \
        "465, 2525, 25"
    # An IMAP time-out is not a blocked mail port.
    imap = diagnose(ProbeFailure("timeout"), Server("imap", "imap.mail.ru", 993, "ssl"))
    assert imap.reason is None


def test_app_password_diagnosis_says_what_to_do() -> None:
    failure = ProbeFailure("auth-failed", reply="[ALERT] Application-specific password "
                                                "required: https://support.google.com (Failure)")
    diagnosis = diagnose(failure, Server("imap", "imap.gmail.com", 993, "ssl"))
    assert diagnosis.code == "auth-failed" and diagnosis.reason == "app-password"
    assert "app password" in diagnosis.hint


def test_cram_md5_matches_rfc_2195() -> None:
    initial, respond = sasl.start("CRAM-MD5", "tim", sasl.Credentials("tanstaaftanstaaf"),
                                  "h", 143)
    assert initial is None
    answer = respond(b"<1896.697170952@postoffice.reston.mci.net>")
    assert answer == b"tim b913a602c7eda7a495b4e6e7334d3890"


def test_plain_login_and_oauth_payloads() -> None:
    creds = sasl.Credentials("pw", "tok")
    assert sasl.start("PLAIN", "u", creds, "h", 1)[0] == b"\0u\0pw"
    _initial, respond = sasl.start("LOGIN", "u", creds, "h", 1)
    assert [respond(b"Username:"), respond(b"Password:")] == [b"u", b"pw"]
    assert sasl.start("XOAUTH2", "u", creds, "h", 1)[0] == b"user=u\x01auth=Bearer tok\x01\x01"
    assert sasl.start("OAUTHBEARER", "u,x", creds, "h", 993)[0] == (
        b"n,a=u=2Cx,\x01host=h\x01port=993\x01auth=Bearer tok\x01\x01")
    assert "pw" not in repr(creds) and "tok" not in repr(creds)


@pytest.mark.parametrize(
    ("offered", "encrypted", "allowed", "password", "token", "chosen"),
    [
        (("LOGIN", "PLAIN", "CRAM-MD5"), True, ("password-cleartext",), "p", None, "PLAIN"),
        (("LOGIN", "PLAIN", "CRAM-MD5"), False, ("password-cleartext",), "p", None,
         "CRAM-MD5"),
        (("LOGIN",), True, ("password-cleartext",), "p", None, "LOGIN"),
        (("PLAIN",), True, ("password-encrypted",), "p", None, None),
        (("PLAIN", "CRAM-MD5"), True, ("password-encrypted",), "p", None, "CRAM-MD5"),
        (("XOAUTH2", "PLAIN"), True, ("OAuth2", "password-cleartext"), "p", "t", "XOAUTH2"),
        (("XOAUTH2", "OAUTHBEARER"), True, ("OAuth2",), None, "t", "OAUTHBEARER"),
        (("XOAUTH2",), True, ("password-cleartext",), "p", None, None),
        (("GSSAPI",), True, ("password-cleartext",), "p", None, None),
    ],
)
def test_mechanism_choice(offered: tuple[str, ...], encrypted: bool, allowed: tuple[str, ...],
                          password: str | None, token: str | None, chosen: str | None) -> None:
    creds = sasl.Credentials(password, token)
    assert sasl.choose(offered, creds, encrypted=encrypted, allowed=allowed) == chosen


def _der(path: Path) -> bytes:
    return ssl.PEM_cert_to_DER_cert(path.read_text())


@pytest.mark.parametrize("kind", ["good", "expired", "wrong-host", "untrusted"])
def test_certificate_details_are_read(ca: object, kind: str) -> None:
    cert = ca.certificate(("imap.example.test",), kind)  # type: ignore[attr-defined]
    der = _der(cert.cert_file)
    info = certinfo.describe(der, "imap.example.test", trusted=False)
    names = ("wrong-host.invalid",) if kind == "wrong-host" else ("imap.example.test",)
    assert info.names == names
    assert info.subject == f"CN={names[0]}"
    assert "Nobody trusts" in info.issuer if kind == "untrusted" else "netsim CA" in info.issuer
    assert info.hostname_match is (kind != "wrong-host")
    assert info.expired is (kind == "expired")
    assert info.not_after and info.not_after.endswith("Z")
    assert len(info.sha256) == 64


def test_malformed_certificates_do_not_raise() -> None:
    for junk in (b"", b"\x30\x82\xff\xff", b"\x30\x03\x02\x01\x01", bytes(range(256))):
        info = certinfo.describe(junk, "h", trusted=False)
        assert info.subject == "" and info.not_after is None


def test_wildcards_match_one_label_only() -> None:
    names = ("*.example.test",)
    assert certinfo.hostname_matches("imap.example.test", names)
    assert not certinfo.hostname_matches("a.imap.example.test", names)
    assert not certinfo.hostname_matches("example.test", names)
    assert certinfo.fingerprint("ab01") == "AB:01"


def test_fingerprints_are_read_in_the_forms_people_copy() -> None:
    from wizard.probe import ProbeOptions

    hex_ = "ab" * 31 + "cd"
    shown = certinfo.fingerprint(hex_)
    for text in (hex_, hex_.upper(), shown, shown.lower(), f"SHA256:{shown}",
                 f"SHA-256 {shown}", " ".join(shown.split(":")), f" {hex_}\n"):
        assert certinfo.parse_fingerprint(text) == hex_, text
    for bad in ("", "ab:cd", "g" * 64, hex_ + "00", hex_[:-1], "sha256:"):
        with pytest.raises(ValueError):
            certinfo.parse_fingerprint(bad)
    options = ProbeOptions(trusted_fingerprints=frozenset({shown, hex_}))
    assert options.trusted_fingerprints == {hex_}
    assert hex_ in repr(options)
    with pytest.raises(ValueError):
        ProbeOptions(trusted_fingerprints=frozenset({"not a fingerprint"}))


def test_one_unverified_tls_context_and_only_for_pinning() -> None:
    # Verification is switched off in exactly one small function, and only the pinned
    # handshake (which compares the fingerprint at once) uses it.
    root = Path(__file__).resolve().parents[2] / "wizard"
    hits = {str(p.relative_to(root)): p.read_text().count("CERT_NONE")
            for p in root.rglob("*.py") if "CERT_NONE" in p.read_text()}
    assert hits == {"probe/conn.py": 1}
    source = (root / "probe" / "conn.py").read_text()
    assert source.count("check_hostname = False") == 1
    assert source.count("_unverified_context()") == 1 + source.count(
        "def _unverified_context()")
    pinned = source[source.index("def start_tls_pinned"):source.index("def _handshake")]
    assert "_unverified_context()" in pinned and "certinfo.sha256(der) in trusted" in pinned
