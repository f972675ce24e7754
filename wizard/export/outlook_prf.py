"""An Outlook profile file (PRF) for ``outlook.exe /importprf``: one IMAP or POP3 account.

The layout follows the PRF the Office Customization Tool writes: ``[General]``, the
``[Internet Account List]``, the account's own section, and the fixed section that maps each
key to its MAPI property. A PRF has no field for a password; Outlook asks for it once.
"""

from __future__ import annotations

from pathlib import Path

from wizard.export.base import (
    Exporter,
    ExportResult,
    check_inputs,
    incoming_server,
    outgoing_server,
    pick_auth,
)
from wizard.export.files import OutFile, write_all
from wizard.i18n import N_, _
from wizard.model import Settings

# SMTPSecureConnection: 0 none, 1 SSL/TLS, 2 STARTTLS ("TLS"), 3 automatic.
SMTP_SECURITY = {"plain": 0, "ssl": 1, "starttls": 2}
# Which sign-in methods a PRF can express, and whether each is SPA (NTLM).
AUTH = {"password-cleartext": 0, "password-encrypted": 0, "NTLM": 1,
        "none": 0, "client-IP-address": 0}

_COMMON_MAP = (
    ("AccountName", "PT_UNICODE,0x0002"),
    ("DisplayName", "PT_UNICODE,0x000B"),
    ("EmailAddress", "PT_UNICODE,0x000C"),
)
_SMTP_MAP = (
    ("SMTPServer", "PT_UNICODE,0x0200"),
    ("SMTPUseAuth", "PT_LONG,0x0203"),
    ("SMTPAuthMethod", "PT_LONG,0x0208"),
    ("SMTPUserName", "PT_UNICODE,0x0204"),
    ("SMTPUseSPA", "PT_LONG,0x0207"),
    ("ConnectionType", "PT_LONG,0x000F"),
    ("ConnectionOID", "PT_UNICODE,0x0010"),
    ("SMTPPort", "PT_LONG,0x0201"),
    ("SMTPSecureConnection", "PT_LONG,0x020A"),
    ("ServerTimeOut", "PT_LONG,0x0209"),
)


def _mapping(kind: str) -> list[tuple[str, str]]:
    """The fixed MAPI property mapping of ``[I_Mail]`` (POP3) or ``[IMAP_I_Mail]``."""
    p = "POP3" if kind == "pop3" else "IMAP"
    rows = [
        *_COMMON_MAP,
        (f"{p}Server", "PT_UNICODE,0x0100"),
        (f"{p}UserName", "PT_UNICODE,0x0101"),
        (f"{p}UseSPA", "PT_LONG,0x0108"),
        ("Organization", "PT_UNICODE,0x0107"),
        ("ReplyEmailAddress", "PT_UNICODE,0x0103"),
        (f"{p}Port", "PT_LONG,0x0104"),
        (f"{p}UseSSL", "PT_LONG,0x0105"),
        *_SMTP_MAP,
    ]
    if kind == "pop3":
        rows.append(("LeaveOnServer", "PT_LONG,0x1000"))
    else:
        rows += [("CheckNewImap", "PT_LONG,0x1100"), ("RootFolder", "PT_UNICODE,0x1101")]
    return rows


def _value(text: str) -> str:
    # INI values end at the line; nothing else needs escaping for Outlook's reader.
    return text.replace("\r", " ").replace("\n", " ")


def prf_text(settings: Settings, full_name: str | None) -> tuple[str, list[str]]:
    """The PRF text and notes about what it could not express."""
    label = _("An Outlook profile file")
    incoming = incoming_server(settings, label)
    smtp = outgoing_server(settings, label)
    assert smtp is not None
    _method, in_spa = pick_auth(incoming, AUTH, label)
    out_method, out_spa = pick_auth(smtp, AUTH, label)
    address = settings.address
    kind = incoming.protocol
    p = "POP3" if kind == "pop3" else "IMAP"
    section = "I_Mail" if kind == "pop3" else "IMAP_I_Mail"
    notes: list[str] = []

    smtp_auth = out_method not in ("none", "client-IP-address")
    same_login = smtp.username == incoming.username
    account: list[tuple[str, str | int]] = [
        ("AccountName", address.email),
        ("DisplayName", full_name or ""),
        ("EmailAddress", address.email),
        ("ReplyEmailAddress", address.email),
        ("Organization", ""),
        (f"{p}Server", incoming.host),
        (f"{p}UserName", incoming.username),
        (f"{p}UseSPA", in_spa),
        (f"{p}Port", incoming.port),
        (f"{p}UseSSL", 1 if incoming.security == "ssl" else 0),
        ("SMTPServer", smtp.host),
        ("SMTPPort", smtp.port),
        ("SMTPSecureConnection", SMTP_SECURITY[smtp.security]),
        ("SMTPUseAuth", 1 if smtp_auth else 0),
        # 0: the same user name and password as the incoming server; 1: its own login.
        ("SMTPAuthMethod", 0 if same_login else 1),
        ("SMTPUserName", "" if same_login or not smtp_auth else smtp.username),
        ("SMTPUseSPA", out_spa),
        ("ConnectionType", 0),
        ("ServerTimeOut", 60),
    ]
    if kind == "pop3":
        account.append(("LeaveOnServer", 1))
    else:
        account.append(("CheckNewImap", 1))
    if incoming.security == "starttls":
        notes.append(_("A PRF can only say SSL/TLS or nothing for incoming mail: after the "
                       "import, set “Encrypted connection” to STARTTLS for the {protocol} "
                       "server in Outlook's account settings.", protocol=p))

    lines = [
        f"; Outlook profile for {address.email}, written by MailWizard.",
        "; Import it with: outlook.exe /importprf <this file>",
        "",
        "[General]",
        "Custom=1",
        "ProfileName=Outlook",
        "DefaultProfile=Yes",
        "OverwriteProfile=Append",
        "ModifyDefaultProfileIfPresent=TRUE",
        "BackupProfile=No",
        "",
        "[Internet Account List]",
        f"Account1={section}",
        "",
        "[Account1]",
        *(f"{key}={_value(str(value))}" for key, value in account),
        "",
        "; Mapping of the keys above to MAPI properties. Do not change.",
        f"[{section}]",
        f"AccountType={'POP3' if kind == 'pop3' else 'IMAP'}",
        *(f"{key}={prop}" for key, prop in _mapping(kind)),
        "",
    ]
    return "\r\n".join(lines), notes


def encode_prf(text: str) -> bytes:
    """ASCII when possible; otherwise UTF-16 with a byte-order mark, which Outlook reads."""
    try:
        return text.encode("ascii")
    except UnicodeEncodeError:
        return ("\ufeff" + text).encode("utf-16-le")


class OutlookPrfExporter(Exporter):
    format = "outlook-prf"
    label_en = N_("Outlook profile file (PRF)")
    default_name_template = "{address}.prf"

    def export(self, settings: Settings, full_name: str | None, password: str | None,
               out_path: Path, *, overwrite: bool = False) -> ExportResult:
        check_inputs(settings, full_name, password)
        text, notes = prf_text(settings, full_name)
        paths = write_all([OutFile(out_path, encode_prf(text))], overwrite=overwrite)
        notes.insert(0, _("Close Outlook, then run: outlook.exe /importprf \"{path}\". Classic "
                          "Outlook 2010 to 2024 and Microsoft 365 import PRF files; the new "
                          "Outlook for Windows does not.", path=out_path.name))
        if password is not None:
            notes.append(_("The password was not written: a PRF has no place for it; Outlook "
                           "asks for it once."))
        return ExportResult(paths, tuple(notes))
