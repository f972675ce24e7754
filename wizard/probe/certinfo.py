"""What a certificate says (subject, issuer, validity, names), read from its DER bytes.

Only for reporting: trust decisions are OpenSSL's, or the person's own when they trust one
certificate by its SHA-256 fingerprint (see ``conn.Connection.start_tls_pinned``). The parser
is small and bounded, and any malformed input yields ``None`` fields rather than an exception.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass

_ATTRS = {
    b"\x55\x04\x03": "CN", b"\x55\x04\x06": "C", b"\x55\x04\x07": "L", b"\x55\x04\x08": "ST",
    b"\x55\x04\x0a": "O", b"\x55\x04\x0b": "OU",
}
_SAN = b"\x55\x1d\x11"
_STRING_TAGS = {0x0C: "utf-8", 0x13: "ascii", 0x16: "ascii", 0x14: "latin-1",
                0x1E: "utf-16-be"}


@dataclass(frozen=True)
class Certificate:
    """The server certificate as the contract reports it (plus ``names`` and validity start)."""

    subject: str
    issuer: str
    not_before: str | None
    not_after: str | None
    sha256: str
    trusted: bool
    hostname_match: bool
    names: tuple[str, ...] = ()
    # Verification failed with ``verify_error`` (a cert-* code), and the person's decision
    # to trust this very certificate (its SHA-256) let the check go on.
    trusted_by_fingerprint: bool = False
    verify_error: str | None = None

    @property
    def expired(self) -> bool:
        return self.not_after is not None and self.not_after < _iso(dt.datetime.now(dt.UTC))


@dataclass(frozen=True)
class _Parsed:
    subject: str = ""
    issuer: str = ""
    not_before: str | None = None
    not_after: str | None = None
    names: tuple[str, ...] = ()


class _Bad(ValueError):
    pass


def _tlv(data: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the element at ``pos``."""
    if pos + 2 > end:
        raise _Bad
    tag, length = data[pos], data[pos + 1]
    pos += 2
    if length & 0x80:
        n = length & 0x7F
        if not 1 <= n <= 4 or pos + n > end:
            raise _Bad
        length = int.from_bytes(data[pos:pos + n], "big")
        pos += n
    if pos + length > end:
        raise _Bad
    return tag, pos, pos + length


def _children(data: bytes, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    while start < end:
        tag, cs, ce = _tlv(data, start, end)
        yield tag, cs, ce
        start = ce


def _name(data: bytes, start: int, end: int) -> str:
    parts = []
    for _t, rs, re_ in _children(data, start, end):  # SET of attributes
        for _t2, as_, ae in _children(data, rs, re_):  # SEQUENCE {OID, value}
            items = list(_children(data, as_, ae))
            if len(items) != 2:
                raise _Bad
            (_ot, os_, oe), (vt, vs, ve) = items
            label = _ATTRS.get(data[os_:oe], "OID." + data[os_:oe].hex())
            value = data[vs:ve].decode(_STRING_TAGS.get(vt, "latin-1"), "replace")
            parts.append(f"{label}={value}")
    return ", ".join(reversed(parts))


def _time(data: bytes, tag: int, start: int, end: int) -> str:
    text = data[start:end].decode("ascii")
    if tag == 0x17:  # UTCTime: YYMMDDHHMMSSZ
        year = int(text[:2])
        text = ("19" if year >= 50 else "20") + text
    when = dt.datetime.strptime(text, "%Y%m%d%H%M%SZ").replace(tzinfo=dt.UTC)
    return _iso(when)


def _iso(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _san(data: bytes, start: int, end: int) -> list[str]:
    names = []
    for tag, cs, ce in _children(data, start, end):
        if tag == 0x82:  # dNSName
            names.append(data[cs:ce].decode("ascii", "replace").lower())
        elif tag == 0x87 and ce - cs in (4, 16):  # iPAddress
            names.append(str(ipaddress.ip_address(data[cs:ce])))
    return names


def parse(der: bytes) -> _Parsed:
    """Subject, issuer, validity and subjectAltName names of a DER certificate."""
    try:
        _t, cs, ce = _tlv(der, 0, len(der))
        _t, ts, te = _tlv(der, cs, ce)  # TBSCertificate
        fields = list(_children(der, ts, te))
        if fields and fields[0][0] == 0xA0:  # explicit version
            fields = fields[1:]
        if len(fields) < 6:
            raise _Bad
        issuer = _name(der, fields[2][1], fields[2][2])
        validity = list(_children(der, fields[3][1], fields[3][2]))
        not_before = _time(der, *validity[0])
        not_after = _time(der, *validity[1])
        subject = _name(der, fields[4][1], fields[4][2])
        names: list[str] = []
        for tag, xs, xe in fields[6:]:
            if tag != 0xA3:
                continue
            _t, ls, le = _tlv(der, xs, xe)
            for _t2, es, ee in _children(der, ls, le):
                parts = list(_children(der, es, ee))
                if der[parts[0][1]:parts[0][2]] == _SAN:
                    _t3, os_, oe = parts[-1]
                    _t4, ss, se = _tlv(der, os_, oe)
                    names = _san(der, ss, se)
        return _Parsed(subject, issuer, not_before, not_after, tuple(names))
    except (_Bad, ValueError, IndexError, UnicodeDecodeError):
        return _Parsed()


def hostname_matches(host: str, names: tuple[str, ...]) -> bool:
    """RFC 6125 matching of ``host`` against subjectAltName entries (left-most wildcard)."""
    host = host.lower().rstrip(".")
    for name in names:
        name = name.rstrip(".")
        if name == host:
            return True
        if name.startswith("*.") and "." in host:
            label, rest = host.split(".", 1)
            if label and rest == name[2:] and "." in rest:
                return True
    return False


def describe(der: bytes, host: str, *, trusted: bool, hostname_match: bool | None = None,
             trusted_by_fingerprint: bool = False, verify_error: str | None = None
             ) -> Certificate:
    """A Certificate for ``der`` as seen when connecting to ``host``."""
    parsed = parse(der)
    match = hostname_matches(host, parsed.names) if hostname_match is None else hostname_match
    return Certificate(
        subject=parsed.subject, issuer=parsed.issuer, not_before=parsed.not_before,
        not_after=parsed.not_after, sha256=sha256(der), trusted=trusted,
        hostname_match=match, names=parsed.names,
        trusted_by_fingerprint=trusted_by_fingerprint, verify_error=verify_error,
    )


def sha256(der: bytes) -> str:
    """The SHA-256 of a certificate's DER bytes, lower-case hex without separators."""
    return hashlib.sha256(der).hexdigest()


_FINGERPRINT = re.compile(r"[0-9a-f]{64}")
_PREFIX = re.compile(r"^sha-?256[:=\s]*")


def parse_fingerprint(text: str) -> str:
    """A SHA-256 fingerprint as typed or copied (any case, with or without colons or spaces,
    optionally after "SHA256:" or "SHA-256 ") in the form ``sha256()`` gives; ValueError
    when it is not 32 bytes of hex."""
    value = _PREFIX.sub("", text.strip().lower())
    value = re.sub(r"[:\s]", "", value)
    if not _FINGERPRINT.fullmatch(value):
        raise ValueError(f"not a SHA-256 fingerprint: {text!r}")
    return value


def fingerprint(sha256_hex: str) -> str:
    """The SHA-256 fingerprint as people compare it: ``AB:CD:…``."""
    return ":".join(sha256_hex[i:i + 2] for i in range(0, len(sha256_hex), 2)).upper()
