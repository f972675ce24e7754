"""Parsing and validating e-mail addresses (RFC 5321, RFC 5322, RFC 6531).

Only what a person types as their own mailbox address is accepted: ``local@domain`` with a
dot-atom or quoted local part (UTF-8 allowed) and a host name domain, internationalized
domains included (IDNA 2008 with UTS #46 mapping). Each kind of mistake raises an
:class:`AddressError` with its own code and a message a person can act on.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import idna

from wizard.i18n import _

MAX_LOCAL = 64  # octets, RFC 5321 4.5.3.1.1
MAX_ADDRESS = 254  # octets, RFC 5321 4.5.3.1.3 (path of 256 minus the angle brackets)
MAX_DOMAIN = 253  # octets of the ASCII form, without a trailing dot
MAX_LABEL = 63

# RFC 5322 atext, beside letters and digits.
_ATEXT_SPECIALS = set("!#$%&'*+-/=?^_`{|}~")


@dataclass(frozen=True)
class Address:
    """A valid address: the local part as typed, the domain in Unicode and ASCII form."""

    local: str
    domain: str
    domain_ascii: str

    @property
    def email(self) -> str:
        """The address with its domain in (lower-case) Unicode form."""
        return f"{self.local}@{self.domain}"

    @property
    def email_ascii(self) -> str:
        """The address with an ASCII (punycode) domain, for protocols that need it."""
        return f"{self.local}@{self.domain_ascii}"

    def __str__(self) -> str:
        return self.email


class AddressError(ValueError):
    """An address that cannot be used, with a code for programs and words for people."""

    def __init__(self, code: str, template: str, **fields: object) -> None:
        self.code = code
        self.template = template
        self.fields = fields
        super().__init__(code)

    @property
    def message(self) -> str:
        """The explanation in the current interface language."""
        return _(self.template, **self.fields)

    def __str__(self) -> str:
        return self.message


def _describe(char: str) -> str:
    """A visible name for a character in a message: the character, or its code point."""
    if char.isprintable() and not char.isspace():
        return f"“{char}”"
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def parse_address(text: str) -> Address:
    """Validate ``text`` as a mailbox address and return it normalized.

    Surrounding white space (as pasted) is ignored; everything else must be right.
    """
    if not isinstance(text, str):
        raise TypeError("address must be a string")
    text = text.strip(" \t")
    if not text:
        raise AddressError("empty", "Enter your e-mail address, for example alice@example.com.")
    for ch in text:
        if ch in "\r\n":
            raise AddressError("line-break", "The address must be on one line.")
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch not in "\u200d":
            raise AddressError(
                "control-character",
                "The address contains an invisible control character ({char}); "
                "type it again instead of pasting it.",
                char=_describe(ch),
            )
    if "@" not in text:
        raise AddressError(
            "no-at", "The address needs an “@” between your name and the domain, "
            "for example alice@example.com."
        )
    local, domain = _split(text)
    _check_local(local)
    domain_unicode, domain_ascii = _check_domain(domain)
    if len(local.encode()) + 1 + len(domain_ascii) > MAX_ADDRESS:
        raise AddressError(
            "too-long", "The address is too long: at most {limit} characters are allowed.",
            limit=MAX_ADDRESS,
        )
    return Address(local, domain_unicode, domain_ascii)


def _split(text: str) -> tuple[str, str]:
    """Split at the "@" that ends the local part; a quoted local part may hold "@"."""
    if text.startswith('"'):
        end = _quoted_end(text)
        local, rest = text[: end + 1], text[end + 1 :]
        if not rest.startswith("@"):
            raise AddressError(
                "quoted-local", "Only the “@” and the domain may follow the closing quote."
            )
        domain = rest[1:]
    else:
        local, _sep, domain = text.partition("@")
    if "@" in domain:
        raise AddressError(
            "several-at", "The address has more than one “@”; an address has exactly one."
        )
    if not local:
        raise AddressError(
            "empty-local", "The part before the “@” is missing (your name in “name@domain”)."
        )
    if not domain:
        raise AddressError(
            "empty-domain", "The domain after the “@” is missing, for example “example.com”."
        )
    return local, domain


def _quoted_end(text: str) -> int:
    """Index of the quote closing the quoted string that starts ``text``."""
    i = 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"':
            return i
        i += 1
    raise AddressError("quoted-local", "The quoted name before the “@” has no closing quote.")


def _check_local(local: str) -> None:
    if len(local.encode()) > MAX_LOCAL:
        raise AddressError(
            "local-too-long",
            "The part before the “@” is too long: at most {limit} bytes are allowed.",
            limit=MAX_LOCAL,
        )
    if local.startswith('"'):
        body = local[1:-1]
        i = 0
        while i < len(body):
            ch = body[i]
            if ch == "\\":
                i += 1
                if i >= len(body) or not (" " <= body[i] <= "~"):
                    raise AddressError(
                        "quoted-local", "The quoted name before the “@” has a stray backslash."
                    )
            elif ord(ch) < 0x20 or ch == "\x7f":
                raise AddressError(
                    "control-character",
                    "The address contains an invisible control character ({char}); "
                    "type it again instead of pasting it.",
                    char=_describe(ch),
                )
            i += 1
        return
    if " " in local or "\t" in local or "\u00a0" in local:
        raise AddressError("space", "The address must not contain spaces.")
    for ch in local:
        if ch.isascii() and not (ch.isalnum() or ch in _ATEXT_SPECIALS or ch == "."):
            raise AddressError(
                "local-invalid-character",
                "The character {char} is not allowed before the “@”.",
                char=_describe(ch),
            )
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise AddressError(
            "local-dots",
            "The part before the “@” must not start or end with a dot or have two dots in a row.",
        )


def _check_domain(domain: str) -> tuple[str, str]:
    if domain.startswith("[") or domain.endswith("]"):
        raise AddressError(
            "domain-literal",
            "Addresses at an IP address cannot be set up automatically; use the domain name.",
        )
    if any(ch.isspace() for ch in domain):
        raise AddressError("space", "The address must not contain spaces.")
    if domain.endswith(".") and not domain.endswith(".."):
        domain = domain[:-1]  # a fully qualified name's root dot
    for ch in domain:
        if ch.isascii() and not (ch.isalnum() or ch in "-."):
            raise AddressError(
                "domain-invalid-character",
                "The character {char} is not allowed in the domain after the “@”.",
                char=_describe(ch),
            )
    labels = domain.split(".")
    if any(not label for label in labels):
        raise AddressError(
            "domain-dots",
            "The domain must not start or end with a dot or have two dots in a row.",
        )
    if len(labels) < 2:
        raise AddressError(
            "domain-no-dot",
            "The domain “{domain}” is incomplete: it needs a dot, as in “example.com”.",
            domain=domain,
        )
    for label in labels:
        if len(label.encode()) > MAX_LABEL and label.isascii():
            raise AddressError(
                "domain-too-long",
                "The domain is too long: each part may have at most {limit} characters.",
                limit=MAX_LABEL,
            )
        if label.startswith("-") or label.endswith("-"):
            raise AddressError(
                "domain-hyphen",
                "A part of the domain must not start or end with a hyphen (“{label}”).",
                label=label,
            )
    try:
        ascii_form = idna.encode(domain, uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError) as exc:
        if "too long" in str(exc):
            raise AddressError(
                "domain-too-long",
                "The domain is too long: each part may have at most {limit} characters.",
                limit=MAX_LABEL,
            ) from None
        raise AddressError(
            "domain-idna",
            "The domain “{domain}” is not a valid internationalized domain name.",
            domain=domain,
        ) from None
    if any(len(label) > MAX_LABEL for label in ascii_form.split(".")):
        raise AddressError(
            "domain-too-long",
            "The domain is too long: each part may have at most {limit} characters.",
            limit=MAX_LABEL,
        )
    if len(ascii_form) > MAX_DOMAIN:
        raise AddressError(
            "domain-too-long", "The domain is too long: at most {limit} characters are allowed.",
            limit=MAX_DOMAIN,
        )
    if ascii_form.rsplit(".", 1)[1].isdigit():
        raise AddressError(
            "domain-literal",
            "Addresses at an IP address cannot be set up automatically; use the domain name.",
        )
    try:
        unicode_form = idna.decode(ascii_form)
    except idna.IDNAError:
        raise AddressError(
            "domain-idna",
            "The domain “{domain}” is not a valid internationalized domain name.",
            domain=domain,
        ) from None
    return unicode_form, ascii_form
