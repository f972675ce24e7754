"""SASL mechanisms the probe can use, and the choice of the best one both sides support."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

# Over TLS the plain mechanisms are safe and work with every password store; over an
# unencrypted connection (only with --allow-plaintext) CRAM-MD5 at least hides the password.
PASSWORD_OVER_TLS = ("PLAIN", "LOGIN", "CRAM-MD5")
PASSWORD_OVER_PLAIN = ("CRAM-MD5", "PLAIN", "LOGIN")
TOKEN = ("OAUTHBEARER", "XOAUTH2")
MAX_ROUNDS = 4


@dataclass(frozen=True)
class Credentials:
    """A password or an OAuth2 access token (never both needed)."""

    password: str | None = None
    token: str | None = None

    def __repr__(self) -> str:  # never print a secret by accident
        return "Credentials(********)"


def choose(offered: tuple[str, ...], credentials: Credentials, *, encrypted: bool,
           allowed: tuple[str, ...]) -> str | None:
    """The best SASL mechanism that the server offers and the settings allow, or None.

    ``allowed`` holds the autoconfig auth names of the settings.
    """
    upper = {m.upper() for m in offered}
    order: list[str] = []
    if credentials.token and ("OAuth2" in allowed or not credentials.password):
        order += TOKEN
    if credentials.password:
        if "password-cleartext" in allowed:
            order += PASSWORD_OVER_TLS if encrypted else PASSWORD_OVER_PLAIN
        elif "password-encrypted" in allowed:
            order += ("CRAM-MD5",)
    return next((m for m in order if m in upper), None)


Responder = Callable[[bytes], bytes]


def start(mechanism: str, username: str, credentials: Credentials, host: str, port: int
          ) -> tuple[bytes | None, Responder]:
    """The initial response (None: wait for a challenge) and the challenge responder."""
    password = credentials.password or ""
    token = credentials.token or ""
    if mechanism == "PLAIN":
        return f"\0{username}\0{password}".encode(), _no_more
    if mechanism == "LOGIN":
        answers = [username.encode(), password.encode()]
        return None, lambda _challenge: answers.pop(0) if answers else b""
    if mechanism == "CRAM-MD5":
        def cram(challenge: bytes) -> bytes:
            digest = hmac.new(password.encode(), challenge, hashlib.md5).hexdigest()
            return f"{username} {digest}".encode()
        return None, cram
    if mechanism == "XOAUTH2":
        # A challenge after the initial response is the JSON error; an empty reply ends it.
        return f"user={username}\x01auth=Bearer {token}\x01\x01".encode(), _no_more
    if mechanism == "OAUTHBEARER":
        initial = f"n,a={_gs2(username)},\x01host={host}\x01port={port}\x01auth=Bearer {token}"
        return (initial + "\x01\x01").encode(), lambda _challenge: b"\x01"
    raise ValueError(mechanism)


def _no_more(_challenge: bytes) -> bytes:
    return b""


def _gs2(name: str) -> str:
    return name.replace("=", "=3D").replace(",", "=2C")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    """A server challenge; undecodable text is used as it is (some servers send plain text)."""
    try:
        return base64.b64decode(text.strip(), validate=True)
    except ValueError:
        return text.encode()
