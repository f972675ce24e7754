"""The record of a conversation, with secrets redacted by an allow-list.

A client line is shown in full only when its command is known to carry nothing secret
(``CAPABILITY``, ``EHLO``, ``MAIL FROM``…). Commands that carry credentials keep the words
that say what they do (``a2 AUTHENTICATE PLAIN``) and lose the rest; anything unknown, and
every SASL response, becomes ``********``. Nothing depends on recognising the secret itself.
"""

from __future__ import annotations

import threading

from wizard.model import Protocol

MASK = "********"
MAX_LINES = 400
MAX_LINE_CHARS = 500

# Commands whose arguments are safe to show, per protocol (upper case).
_SAFE: dict[Protocol, frozenset[str]] = {
    "imap": frozenset({"CAPABILITY", "STARTTLS", "NOOP", "LOGOUT", "SELECT", "EXAMINE",
                       "UID", "EXPUNGE", "CLOSE", "ID", "ENABLE"}),
    "pop3": frozenset({"CAPA", "STLS", "STAT", "LIST", "UIDL", "TOP", "DELE", "QUIT", "NOOP",
                       "RSET", "USER"}),
    "smtp": frozenset({"EHLO", "HELO", "STARTTLS", "MAIL", "RCPT", "DATA", "RSET", "NOOP",
                       "QUIT"}),
}
# Commands that carry credentials: how many words (after an IMAP tag) stay visible.
_KEEP_WORDS: dict[Protocol, dict[str, int]] = {
    "imap": {"AUTHENTICATE": 2, "LOGIN": 1},
    "pop3": {"AUTH": 2, "PASS": 1, "APOP": 1},
    "smtp": {"AUTH": 2},
}


def redact_command(protocol: Protocol, line: str) -> str:
    """What the transcript shows of a client command line."""
    words = line.split(" ")
    tag: list[str] = []
    if protocol == "imap" and words:
        tag, words = words[:1], words[1:]
    verb = words[0].upper() if words else ""
    if verb in _SAFE[protocol]:
        return line
    keep = _KEEP_WORDS[protocol].get(verb, 1)
    shown = tag + words[:keep]
    if len(words) > keep:
        shown.append(MASK)
    return " ".join(shown)


class Transcript:
    """Thread-safe, bounded list of ``S: …`` and ``C: …`` lines."""

    def __init__(self, protocol: Protocol) -> None:
        self.protocol = protocol
        self._lines: list[str] = []
        self._dropped = 0
        self._lock = threading.Lock()

    def _add(self, line: str) -> None:
        if len(line) > MAX_LINE_CHARS:
            line = line[:MAX_LINE_CHARS] + "…"
        with self._lock:
            if len(self._lines) < MAX_LINES:
                self._lines.append(line)
            else:
                self._dropped += 1

    def server(self, line: str) -> None:
        self._add("S: " + _printable(line))

    def command(self, line: str) -> None:
        """A client command: shown through the allow-list."""
        self._add("C: " + _printable(redact_command(self.protocol, line)))

    def secret(self) -> None:
        """A client line that is all secret (a SASL response, a literal password)."""
        self._add("C: " + MASK)

    def note(self, text: str) -> None:
        """What happened without a line on the wire (TLS started, a summary of data)."""
        self._add("-- " + text)

    def lines(self) -> tuple[str, ...]:
        with self._lock:
            extra = (f"-- ({self._dropped} more lines not kept)",) if self._dropped else ()
            return (*self._lines, *extra)


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
