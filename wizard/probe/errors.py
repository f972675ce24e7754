"""Exceptions that carry a failure through the protocol code up to the diagnosis."""

from __future__ import annotations

from typing import Literal

Stage = Literal["resolve", "connect", "tls", "greeting", "starttls", "capabilities", "auth",
                "done"]
STAGES: tuple[Stage, ...] = ("resolve", "connect", "tls", "greeting", "starttls",
                             "capabilities", "auth", "done")
ErrorCode = Literal[
    "dns-failed", "refused", "timeout", "tls-failed", "cert-untrusted", "cert-expired",
    "cert-hostname-mismatch", "starttls-unavailable", "plaintext-refused",
    "insecure-source-refused", "auth-failed", "auth-mechanism-unsupported", "protocol-error",
]
ERROR_CODES: tuple[ErrorCode, ...] = (
    "dns-failed", "refused", "timeout", "tls-failed", "cert-untrusted", "cert-expired",
    "cert-hostname-mismatch", "starttls-unavailable", "plaintext-refused",
    "insecure-source-refused", "auth-failed", "auth-mechanism-unsupported", "protocol-error",
)


class ProbeFailure(Exception):
    """A check failed with a contract error code.

    ``reason`` narrows the code for the diagnosis (``"app-password"``, ``"line-too-long"``…),
    ``reply`` is what the server said (already free of secrets: servers' lines only),
    ``detail`` a technical note in English for the transcript.
    """

    def __init__(self, code: ErrorCode, reason: str | None = None, *, reply: str | None = None,
                 detail: str | None = None) -> None:
        super().__init__(code, reason, reply, detail)
        self.code: ErrorCode = code
        self.reason = reason
        self.reply = reply
        self.detail = detail


class Cancelled(Exception):
    """The check was cancelled through its CancelToken."""
