"""Apple Mail profiles, the Thunderbird for Android QR code and the .k9s settings file."""

from __future__ import annotations

import json
import plistlib
import subprocess
import uuid
from pathlib import Path

import defusedxml.ElementTree as DET
import pytest

from wizard.address import parse_address
from wizard.export import ExportError, export
from wizard.export.android_qr import payloads
from wizard.model import Server, Settings

from .conftest import NAME, NASTY_PASSWORD, imap_settings, need, pop3_settings

# --- Apple ----------------------------------------------------------------------------------

TOP_KEYS = {"PayloadType", "PayloadVersion", "PayloadIdentifier", "PayloadUUID",
            "PayloadDisplayName", "PayloadContent"}
MAIL_KEYS = {"PayloadType", "PayloadVersion", "PayloadIdentifier", "PayloadUUID",
             "EmailAccountType", "EmailAddress", "IncomingMailServerHostName",
             "IncomingMailServerPortNumber", "IncomingMailServerUseSSL",
             "IncomingMailServerUsername", "IncomingMailServerAuthentication",
             "OutgoingMailServerHostName", "OutgoingMailServerPortNumber",
             "OutgoingMailServerUseSSL", "OutgoingMailServerUsername",
             "OutgoingMailServerAuthentication", "OutgoingPasswordSameAsIncomingPassword"}


def load_profile(path: Path) -> dict[str, object]:
    with path.open("rb") as f:
        profile: dict[str, object] = plistlib.load(f)
    return profile


def test_mobileconfig_has_every_required_key(tmp_path: Path) -> None:
    out = tmp_path / "a.mobileconfig"
    export("apple", imap_settings(), NAME, None, out)
    top = load_profile(out)
    assert set(top) >= TOP_KEYS
    assert top["PayloadType"] == "Configuration"
    assert top["PayloadVersion"] == 1
    uuid.UUID(str(top["PayloadUUID"]))
    (mail,) = top["PayloadContent"]  # type: ignore[misc]
    assert set(mail) >= MAIL_KEYS
    assert mail["PayloadType"] == "com.apple.mail.managed"
    uuid.UUID(mail["PayloadUUID"])
    assert mail["PayloadUUID"] != top["PayloadUUID"]
    assert mail["EmailAccountType"] == "EmailTypeIMAP"
    assert mail["EmailAddress"] == "alice@example.com"
    assert mail["EmailAccountName"] == NAME
    assert mail["IncomingMailServerHostName"] == "imap.example.com"
    assert mail["IncomingMailServerPortNumber"] == 993
    assert mail["IncomingMailServerUseSSL"] is True
    assert mail["OutgoingMailServerPortNumber"] == 587
    assert mail["OutgoingMailServerUseSSL"] is False  # STARTTLS: Mail negotiates it itself
    assert mail["IncomingMailServerAuthentication"] == "EmailAuthPassword"
    assert "IncomingPassword" not in mail and "OutgoingPassword" not in mail


def test_mobileconfig_with_password_and_pop3(tmp_path: Path) -> None:
    out = tmp_path / "b.mobileconfig"
    export("apple", pop3_settings(), None, NASTY_PASSWORD, out)
    (mail,) = load_profile(out)["PayloadContent"]  # type: ignore[misc]
    assert mail["EmailAccountType"] == "EmailTypePOP"
    assert mail["IncomingMailServerUsername"] == "bob"
    assert mail["IncomingPassword"] == NASTY_PASSWORD
    assert mail["OutgoingPassword"] == NASTY_PASSWORD


def test_the_same_account_keeps_its_identifiers(tmp_path: Path) -> None:
    export("apple", imap_settings(), None, None, tmp_path / "1.mobileconfig")
    export("apple", imap_settings(), "Other", None, tmp_path / "2.mobileconfig")
    first, second = (load_profile(tmp_path / f"{n}.mobileconfig") for n in (1, 2))
    assert first["PayloadIdentifier"] == second["PayloadIdentifier"]
    assert first["PayloadUUID"] == second["PayloadUUID"]


# --- Thunderbird for Android QR code ---------------------------------------------------------

def decode_qr(png: Path) -> bytes:
    zbarimg = need("zbarimg", "zbar-tools")
    result = subprocess.run([zbarimg, "--raw", "-q", "-Sbinary", str(png)],
                            capture_output=True, timeout=60, check=True)
    return result.stdout


FORMAT_CODEWORDS = {}
for _ec_bits, _level in ((0b01, "L"), (0b00, "M"), (0b11, "Q"), (0b10, "H")):
    for _mask in range(8):
        _data = (_ec_bits << 3) | _mask
        _rem = _data << 10
        for _i in range(14, 9, -1):
            if _rem & (1 << _i):
                _rem ^= 0b10100110111 << (_i - 10)
        FORMAT_CODEWORDS[((_data << 10) | _rem) ^ 0b101010000010010] = _level


def error_correction_level(png: Path, scale: int = 8, border: int = 4) -> str:
    """Read the format information next to the top-left finder pattern (ISO/IEC 18004)."""
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert not image.isNull()

    def dark(row: int, col: int) -> int:
        x, y = (border + col) * scale + scale // 2, (border + row) * scale + scale // 2
        return 1 if image.pixelColor(x, y).lightness() < 128 else 0

    cells = [(8, 0), (8, 1), (8, 2), (8, 3), (8, 4), (8, 5), (8, 7), (8, 8),
             (7, 8), (5, 8), (4, 8), (3, 8), (2, 8), (1, 8), (0, 8)]
    bits = [dark(r, c) for r, c in cells]
    for order in (bits, bits[::-1]):
        value = int("".join(map(str, order)), 2)
        if value in FORMAT_CODEWORDS:
            return FORMAT_CODEWORDS[value]
    raise AssertionError("no valid format information found")


def test_qr_code_decodes_to_exactly_the_payload_of_format_version_1(tmp_path: Path) -> None:
    out = tmp_path / "qr.png"
    result = export("android-qr", imap_settings(), NAME, None, out)
    assert result.paths == (out, tmp_path / "qr.txt")
    payload = (tmp_path / "qr.txt").read_bytes()
    assert decode_qr(out) == payload
    expected = [
        1, [1, 1],
        [0, "imap.example.com", 993, 3, 1, "alice@example.com", "alice@example.com", ""],
        [[[0, "smtp.example.com", 587, 2, 1, "alice@example.com", ""],
          ["alice@example.com", NAME]]],
    ]
    # compact JSON in UTF-8, as Thunderbird desktop writes it (JSON.stringify)
    assert payload == json.dumps(expected, ensure_ascii=False, separators=(",", ":")).encode()
    assert error_correction_level(out) == "L"


def test_qr_code_with_password_and_pop3(tmp_path: Path) -> None:
    out = tmp_path / "qr.png"
    export("android-qr", pop3_settings(), None, NASTY_PASSWORD, out)
    data = json.loads(decode_qr(out))
    assert data[2] == [1, "pop.example.org", 110, 2, 1, "bob", "bob@example.org",
                       NASTY_PASSWORD]
    assert data[3][0][0] == [0, "smtp.example.org", 465, 3, 1, "bob", NASTY_PASSWORD]


def test_at_most_three_accounts_per_code() -> None:
    accounts = [[[0, f"h{i}", 993, 3, 1, "u", "", ""], []] for i in range(7)]
    codes = [json.loads(p) for p in payloads(accounts)]
    assert [c[1] for c in codes] == [[1, 3], [2, 3], [3, 3]]
    assert [(len(c) - 2) // 2 for c in codes] == [3, 3, 1]


def test_methods_android_rejects_are_not_written(tmp_path: Path) -> None:
    settings = imap_settings(incoming=(Server("imap", "imap.example.com", 993, "ssl",
                                              ("NTLM",), "alice@example.com"),))
    with pytest.raises(ExportError, match="sign-in method"):
        export("android-qr", settings, None, None, tmp_path / "qr.png")
    assert list(tmp_path.iterdir()) == []


def test_a_non_ascii_mailbox_cannot_go_into_the_code(tmp_path: Path) -> None:
    address = parse_address("jörg@example.com")
    settings = Settings(address=address, found=True,
                        incoming=(Server("imap", "imap.example.com", 993, "ssl"),),
                        outgoing=(Server("smtp", "smtp.example.com", 465, "ssl"),))
    with pytest.raises(ExportError, match="ASCII"):
        export("android-qr", settings, None, None, tmp_path / "qr.png")


# --- .k9s -----------------------------------------------------------------------------------

SECURITY = {"NONE", "STARTTLS_REQUIRED", "SSL_TLS_REQUIRED"}
AUTH = {"PLAIN", "CRAM_MD5", "EXTERNAL", "XOAUTH2", "NONE"}


def test_k9s_has_the_structure_the_app_parses(tmp_path: Path) -> None:
    out = tmp_path / "a.k9s"
    export("k9s", pop3_settings(), NAME, NASTY_PASSWORD, out)
    root = DET.fromstring(out.read_bytes())
    assert root.tag == "k9settings"
    assert root.get("format") == "1"
    assert int(root.get("version", "0")) >= 95
    (account,) = root.findall("accounts/account")
    uuid.UUID(account.get("uuid", ""))
    assert account.findtext("name") == "bob@example.org"
    incoming = account.find("incoming-server")
    outgoing = account.find("outgoing-server")
    assert incoming is not None and outgoing is not None
    assert incoming.get("type") == "POP3" and outgoing.get("type") == "SMTP"
    assert incoming.findtext("host") == "pop.example.org"
    assert incoming.findtext("port") == "110"
    assert incoming.findtext("connection-security") == "STARTTLS_REQUIRED"
    assert outgoing.findtext("connection-security") == "SSL_TLS_REQUIRED"
    for server in (incoming, outgoing):
        assert server.findtext("connection-security") in SECURITY
        assert server.findtext("authentication-type") in AUTH
        assert server.findtext("username") == "bob"
        assert server.findtext("password") == NASTY_PASSWORD
    (identity,) = account.findall("identities/identity")
    assert identity.findtext("name") == NAME
    assert identity.findtext("email") == "bob@example.org"


def test_k9s_without_password(tmp_path: Path) -> None:
    out = tmp_path / "a.k9s"
    export("k9s", imap_settings(), None, None, out)
    root = DET.fromstring(out.read_bytes())
    assert root.find("accounts/account/incoming-server/password") is None
    assert root.find("accounts/account/incoming-server").get("type") == "IMAP"  # type: ignore[union-attr]
