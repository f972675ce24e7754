"""Which autoconfig authentication names a server's SASL list stands for."""

from __future__ import annotations

from wizard.discovery.capcheck import auth_names


def test_over_tls_a_plain_password_comes_first():
    assert auth_names({"PLAIN", "LOGIN", "CRAM-MD5"}, cleartext=False, encrypted=True) == (
        "password-cleartext", "password-encrypted")


def test_without_tls_a_challenge_response_comes_first():
    assert auth_names({"PLAIN", "SCRAM-SHA-256"}, cleartext=False, encrypted=False) == (
        "password-encrypted", "password-cleartext")


def test_other_mechanisms():
    assert auth_names({"XOAUTH2", "GSSAPI", "NTLM", "EXTERNAL"}, cleartext=False,
                      encrypted=True) == ("OAuth2", "GSSAPI", "NTLM", "TLS-client-cert")


def test_imap_login_without_sasl_is_a_cleartext_password():
    assert auth_names(set(), cleartext=True, encrypted=True) == ("password-cleartext",)
    assert auth_names(set(), cleartext=False, encrypted=True) == ()
