"""Every form a password could leak in: as it is, and Base64 at each byte alignment."""

from __future__ import annotations

import base64
import urllib.parse


def secret_forms(secret: str) -> list[str]:
    """Substrings that appear in any text holding ``secret`` plainly or inside Base64."""
    raw = secret.encode("utf-8")
    forms = [secret, urllib.parse.quote(secret), raw.hex()]
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw + b"\0\0\0").decode()
        # Skip the characters that mix in the prefix and the suffix: what is left is there
        # whenever the password is Base64-encoded at this alignment, inside any payload.
        start = -(-offset * 4 // 3) + (1 if offset else 0)
        stable = encoded[start:start + (len(raw) * 4) // 3 - 2]
        if len(stable) >= 8:
            forms.append(stable)
    return forms


def assert_no_secret(text: str | bytes, secret: str) -> None:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    for form in secret_forms(secret):
        assert form not in text, f"a form of the password ({form!r}) leaked"


def contains_secret(data: bytes, secret: str) -> bool:
    """Whether ``data`` (what a server received) holds the password in any form."""
    text = data.decode("utf-8", "replace")
    return any(form in text for form in secret_forms(secret))
