"""Outlook files, which no program here can read: parsed checks plus reviewed golden files.

The golden files in ``golden/`` were checked by hand against the documentation (see
``golden/README.md``). To regenerate them after a deliberate change, run the tests with
``MAILWIZARD_UPDATE_GOLDEN=1`` and review the diff before committing it.
"""

from __future__ import annotations

import configparser
import os
from pathlib import Path

import defusedxml.ElementTree as DET
import pytest

from wizard.export import export
from wizard.export.autodiscover import OUTLOOK_NS, RESPONSE_NS

from .conftest import imap_settings, pop3_settings

GOLDEN = Path(__file__).parent / "golden"


def check_golden(path: Path, name: str) -> None:
    golden = GOLDEN / name
    data = path.read_bytes()
    if os.environ.get("MAILWIZARD_UPDATE_GOLDEN") == "1":
        golden.write_bytes(data)
    assert data == golden.read_bytes(), f"{name} changed; review it against golden/README.md"


def read_prf(path: Path) -> configparser.RawConfigParser:
    data = path.read_bytes()
    text = data[2:].decode("utf-16-le") if data.startswith(b"\xff\xfe") else data.decode("ascii")
    parser = configparser.RawConfigParser(strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read_string(text)
    return parser


def test_imap_prf_carries_the_documented_keys(tmp_path: Path) -> None:
    out = tmp_path / "a.prf"
    export("outlook-prf", imap_settings(), "Alice Example", None, out)
    prf = read_prf(out)
    assert prf["General"]["Custom"] == "1"
    assert prf["General"]["OverwriteProfile"] == "Append"
    assert prf["General"]["BackupProfile"] == "No"
    assert prf["Internet Account List"]["Account1"] == "IMAP_I_Mail"
    account = prf["Account1"]
    assert account["AccountName"] == "alice@example.com"
    assert account["DisplayName"] == "Alice Example"
    assert account["EmailAddress"] == "alice@example.com"
    assert account["IMAPServer"] == "imap.example.com"
    assert account["IMAPUserName"] == "alice@example.com"
    assert account["IMAPPort"] == "993"
    assert account["IMAPUseSSL"] == "1"
    assert account["SMTPServer"] == "smtp.example.com"
    assert account["SMTPPort"] == "587"
    assert account["SMTPSecureConnection"] == "2"  # STARTTLS
    assert account["SMTPUseAuth"] == "1"
    # every key of the account is mapped to a MAPI property in the fixed section
    mapping = prf["IMAP_I_Mail"]
    assert mapping["AccountType"] == "IMAP"
    assert set(account) <= set(mapping)
    assert mapping["IMAPServer"] == "PT_UNICODE,0x0100"
    assert mapping["SMTPSecureConnection"] == "PT_LONG,0x020A"
    assert out.read_bytes().count(b"\r\n") == out.read_bytes().count(b"\n")
    check_golden(out, "outlook-imap.prf")


def test_pop3_prf_with_its_own_smtp_login(tmp_path: Path) -> None:
    out = tmp_path / "b.prf"
    result = export("outlook-prf", pop3_settings(), None, "secret", out)
    prf = read_prf(out)
    assert prf["Internet Account List"]["Account1"] == "I_Mail"
    account = prf["Account1"]
    assert account["POP3Server"] == "pop.example.org"
    assert account["POP3UserName"] == "bob"
    assert account["POP3UseSSL"] == "0"
    assert account["SMTPSecureConnection"] == "1"  # SSL/TLS on 465
    assert account["LeaveOnServer"] == "1"
    assert set(account) <= set(prf["I_Mail"])
    assert b"secret" not in out.read_bytes()
    assert any("STARTTLS" in n for n in result.notes)
    assert any("password was not written" in n for n in result.notes)
    check_golden(out, "outlook-pop3.prf")


def test_a_non_ascii_name_makes_a_utf16_prf(tmp_path: Path) -> None:
    out = tmp_path / "c.prf"
    export("outlook-prf", imap_settings(), "Zoë Ünal", None, out)
    assert out.read_bytes().startswith(b"\xff\xfe")
    assert read_prf(out)["Account1"]["DisplayName"] == "Zoë Ünal"


def test_autodiscover_response_and_reg(tmp_path: Path) -> None:
    result = export("outlook-autodiscover", imap_settings(), "Alice <A&B>", None, tmp_path)
    xml, reg = result.paths
    root = DET.fromstring(xml.read_bytes())
    assert root.tag == f"{{{RESPONSE_NS}}}Autodiscover"
    ns = {"o": OUTLOOK_NS}
    assert root.findtext("o:Response/o:User/o:DisplayName", namespaces=ns) == "Alice <A&B>"
    account = root.find("o:Response/o:Account", ns)
    assert account is not None
    assert account.findtext("o:AccountType", namespaces=ns) == "email"
    assert account.findtext("o:Action", namespaces=ns) == "settings"
    protocols = {p.findtext("o:Type", namespaces=ns): p
                 for p in account.findall("o:Protocol", ns)}
    assert set(protocols) == {"IMAP", "SMTP"}
    imap, smtp = protocols["IMAP"], protocols["SMTP"]
    assert imap.findtext("o:Server", namespaces=ns) == "imap.example.com"
    assert imap.findtext("o:Port", namespaces=ns) == "993"
    assert imap.findtext("o:LoginName", namespaces=ns) == "alice@example.com"
    assert imap.findtext("o:Encryption", namespaces=ns) == "SSL"
    assert smtp.findtext("o:Encryption", namespaces=ns) == "TLS"
    assert smtp.findtext("o:AuthRequired", namespaces=ns) == "on"

    data = reg.read_bytes()
    assert data.startswith(b"\xff\xfe")
    text = data[2:].decode("utf-16-le")
    assert text.startswith("Windows Registry Editor Version 5.00\r\n")
    assert "[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook\\AutoDiscover]" in text
    assert '"PreferLocalXML"=dword:00000001' in text
    assert '"ExcludeHttpsRootDomain"=dword:00000001' in text
    assert '"DisableOffice365SimplifiedAccountCreation"=dword:00000001' in text
    assert '"example.com"="C:\\\\Users\\\\Public\\\\MailWizard\\\\' in text
    assert any("new Outlook" in n for n in result.notes)


@pytest.mark.skipif(os.name == "nt", reason="the golden .reg names the non-Windows path")
def test_autodiscover_golden_files(tmp_path: Path) -> None:
    folder = tmp_path / "outlook-autodiscover-example.com"
    export("outlook-autodiscover", imap_settings(), "Alice Example", None, folder)
    check_golden(folder / "autodiscover.xml", "autodiscover.xml")
    check_golden(folder / "outlook-autodiscover.reg", "outlook-autodiscover.reg")
