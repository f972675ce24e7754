"""Reading and writing Mozilla's ``prefs.js``: ``user_pref("name", value);`` statements.

The reader understands the whole syntax Mozilla's own parser accepts in that file (``//``,
``#`` and ``/* */`` comments, single- and double-quoted strings with ``\\`` escapes,
integers, booleans, ``pref``/``sticky_pref``/``user_pref``), so it never misreads a profile;
anything else is reported as damaged rather than guessed at. Rewriting keeps every other
byte of the file as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PrefValue = str | int | bool

_SPACE_RE = re.compile(r"\s+")
_IDENT_RE = re.compile(r"[A-Za-z_]+")
_INT_RE = re.compile(r"[-+]?\d+")
_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "r": "\r"}
_KINDS = ("user_pref", "pref", "sticky_pref")


class PrefsError(ValueError):
    """``prefs.js`` cannot be read; the message names the line."""


@dataclass(frozen=True)
class Pref:
    """One statement: its name, value, and where it is in the text (``start:end``)."""

    name: str
    value: PrefValue
    start: int
    end: int


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, what: str) -> PrefsError:
        line = self.text.count("\n", 0, self.pos) + 1
        return PrefsError(f"line {line}: {what}")

    def skip(self) -> None:
        """Skip white space and comments."""
        text = self.text
        while self.pos < len(text):
            m = _SPACE_RE.match(text, self.pos)
            if m:
                self.pos = m.end()
            elif text.startswith("//", self.pos) or text.startswith("#", self.pos):
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end + 1
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end < 0:
                    raise self.fail("unterminated comment")
                self.pos = end + 2
            else:
                return

    def expect(self, char: str) -> None:
        self.skip()
        if not self.text.startswith(char, self.pos):
            raise self.fail(f"“{char}” expected")
        self.pos += 1

    def string(self) -> str:
        quote_char = self.text[self.pos]
        self.pos += 1
        out: list[str] = []
        text = self.text
        while True:
            if self.pos >= len(text):
                raise self.fail("unterminated string")
            c = text[self.pos]
            if c == quote_char:
                self.pos += 1
                return "".join(out)
            if c != "\\":
                out.append(c)
                self.pos += 1
                continue
            esc = text[self.pos + 1:self.pos + 2]
            if esc in _ESCAPES:
                out.append(_ESCAPES[esc])
                self.pos += 2
            elif esc in ("x", "u"):
                size = 2 if esc == "x" else 4
                digits = text[self.pos + 2:self.pos + 2 + size]
                if len(digits) != size or not all(d in "0123456789abcdefABCDEF" for d in digits):
                    raise self.fail("bad escape")
                out.append(chr(int(digits, 16)))
                self.pos += 2 + size
            else:
                raise self.fail("bad escape")

    def value(self) -> PrefValue:
        self.skip()
        if self.pos < len(self.text) and self.text[self.pos] in "\"'":
            # Mozilla writes characters outside the BMP as \u surrogate pairs.
            raw = self.string()
            try:
                return raw.encode("utf-16", "surrogatepass").decode("utf-16")
            except UnicodeError:
                raise self.fail("bad escape") from None
        m = _IDENT_RE.match(self.text, self.pos)
        if m and m.group() in ("true", "false"):
            self.pos = m.end()
            return m.group() == "true"
        m = _INT_RE.match(self.text, self.pos)
        if m:
            self.pos = m.end()
            return int(m.group())
        raise self.fail("value expected")

    def statement(self) -> Pref:
        start = self.pos
        m = _IDENT_RE.match(self.text, self.pos)
        if not m or m.group() not in _KINDS:
            raise self.fail("user_pref expected")
        self.pos = m.end()
        self.expect("(")
        self.skip()
        if self.pos >= len(self.text) or self.text[self.pos] not in "\"'":
            raise self.fail("preference name expected")
        name = self.string()
        self.expect(",")
        value = self.value()
        self.skip()
        while self.text.startswith(",", self.pos):  # pref("x", 1, sticky, locked)
            self.pos += 1
            self.skip()
            attr = _IDENT_RE.match(self.text, self.pos)
            if not attr or attr.group() not in ("sticky", "locked"):
                raise self.fail("“)” expected")
            self.pos = attr.end()
            self.skip()
        self.expect(")")
        self.expect(";")
        return Pref(name, value, start, self.pos)


def parse_prefs(text: str) -> list[Pref]:
    """Every statement of ``text`` in order; PrefsError if the file is not valid."""
    reader = _Reader(text)
    prefs: list[Pref] = []
    while True:
        reader.skip()
        if reader.pos >= len(text):
            return prefs
        prefs.append(reader.statement())


def _string_literal(text: str) -> str:
    out = ['"']
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def format_pref(name: str, value: PrefValue) -> str:
    """One ``user_pref(…);`` line (without the line end)."""
    if isinstance(value, bool):
        literal = "true" if value else "false"
    elif isinstance(value, int):
        literal = str(value)
    else:
        literal = _string_literal(value)
    return f"user_pref({_string_literal(name)}, {literal});"


def rewrite(text: str, prefs: list[Pref], changes: dict[str, PrefValue]) -> str:
    """``text`` with the statements for names in ``changes`` dropped and the new values added.

    Only the dropped statements (and the rest of their lines, when empty) disappear;
    everything else stays byte for byte. New lines go at the end, sorted like Mozilla's.
    """
    pieces: list[str] = []
    pos = 0
    for pref in prefs:
        if pref.name not in changes:
            continue
        pieces.append(text[pos:pref.start])
        end = pref.end
        rest = re.match(r"[ \t]*\r?\n", text[end:])
        pos = end + rest.end() if rest else end
    pieces.append(text[pos:])
    out = "".join(pieces)
    if out and not out.endswith("\n"):
        out += "\n"
    out += "".join(format_pref(name, changes[name]) + "\n" for name in sorted(changes))
    return out
