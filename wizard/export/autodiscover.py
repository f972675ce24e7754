"""Exchange Autodiscover (POX) responses for IMAP/POP3/SMTP, and the ``.reg`` for Outlook.

Outlook 2016 and later (and Outlook 2013/2010 with their own version keys) read a local
Autodiscover file named in ``HKCU\\Software\\Microsoft\\Office\\<v>\\Outlook\\AutoDiscover``
when ``PreferLocalXML`` is set; the ``Exclude…`` values stop it from asking the network
(and Microsoft 365) first.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path, PureWindowsPath

from wizard.export.base import (
    Exporter,
    ExportResult,
    check_inputs,
    incoming_server,
    outgoing_server,
    pick_auth,
    resolved,
)
from wizard.export.files import OutFile, write_all
from wizard.export.xmlout import sub, to_bytes
from wizard.i18n import N_, _
from wizard.model import Server, Settings

RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
OUTLOOK_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
OFFICE_VERSIONS = ("16.0", "15.0", "14.0")  # 2016 and later, 2013, 2010
ENCRYPTION = {"ssl": "SSL", "starttls": "TLS", "plain": "None"}
# SPA (Secure Password Authentication) is NTLM; everything else is a normal login.
SPA = {"password-cleartext": "off", "password-encrypted": "off", "NTLM": "on",
       "none": "off", "client-IP-address": "off"}
XML_NAME = "autodiscover.xml"
REG_NAME = "outlook-autodiscover.reg"


def _protocol(account: ET.Element, server: Server, kind: str, *, login: bool) -> None:
    method, spa = pick_auth(server, SPA, _("Outlook"))
    proto = sub(account, "Protocol")
    sub(proto, "Type", kind)
    sub(proto, "Server", server.host)
    sub(proto, "Port", server.port)
    if login:
        sub(proto, "LoginName", server.username)
    sub(proto, "DomainRequired", "off")
    sub(proto, "SPA", spa)
    sub(proto, "SSL", "off" if server.security == "plain" else "on")
    sub(proto, "Encryption", ENCRYPTION[server.security])
    sub(proto, "AuthRequired", "off" if method in ("none", "client-IP-address") else "on")
    if kind == "SMTP":
        sub(proto, "UsePOPAuth", "off")
        sub(proto, "SMTPLast", "off")


def response_xml(settings: Settings, full_name: str | None = None, *,
                 all_servers: bool = False, login: bool = True) -> bytes:
    """An Autodiscover POX response with the settings.

    Outlook uses the first incoming protocol it knows; ``all_servers`` lists every
    IMAP/POP3 server (for a domain's web server), else only the best one. Without
    ``login`` the LoginName is left out (clients then use the address itself).
    """
    # The two default namespaces are written as plain ``xmlns`` attributes: that is how
    # Exchange writes them, and ElementTree would otherwise invent a prefix for the inner one.
    root = ET.Element("Autodiscover", xmlns=RESPONSE_NS)
    response = sub(root, "Response", xmlns=OUTLOOK_NS)
    if full_name:
        user = sub(response, "User")
        sub(user, "DisplayName", full_name)
    account = sub(response, "Account")
    sub(account, "AccountType", "email")
    sub(account, "Action", "settings")
    if all_servers:
        incoming = [resolved(s, settings.address) for s in settings.incoming]
    else:
        incoming = [incoming_server(settings, _("Outlook"))]
    for server in incoming:
        _protocol(account, server, server.protocol.upper(), login=login)
    smtp = outgoing_server(settings)
    if smtp is not None:
        _protocol(account, smtp, "SMTP", login=login)
    return to_bytes(root)


def _reg_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def reg_file(domain_ascii: str, xml_path: PureWindowsPath) -> bytes:
    """A regedit file that points Outlook at ``xml_path`` for ``domain_ascii``."""
    lines = ["Windows Registry Editor Version 5.00", ""]
    for version in OFFICE_VERSIONS:
        lines.append(f"[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\{version}\\Outlook"
                     "\\AutoDiscover]")
        lines.append(f"{_reg_string(domain_ascii)}={_reg_string(str(xml_path))}")
        for name in ("PreferLocalXML", "ExcludeHttpsRootDomain", "ExcludeHttpsAutoDiscoverDomain",
                     "ExcludeHttpRedirect", "ExcludeScpLookup", "ExcludeSrvRecord",
                     "ExcludeExplicitO365Endpoint", "ExcludeLastKnownGoodURL"):
            lines.append(f'"{name}"=dword:00000001')
        lines.append("")
    lines.append("[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook\\Setup]")
    lines.append('"DisableOffice365SimplifiedAccountCreation"=dword:00000001')
    lines.append("")
    # regedit's version 5 format is UTF-16 with a byte-order mark and CRLF line ends.
    return ("\ufeff" + "\r\n".join(lines)).encode("utf-16-le")


def windows_path(folder: Path) -> PureWindowsPath:
    """Where the XML is on Windows: the real path there, a fixed public place elsewhere."""
    if os.name == "nt":
        return PureWindowsPath(folder.resolve() / XML_NAME)
    return PureWindowsPath("C:\\Users\\Public\\MailWizard") / folder.name / XML_NAME


class AutodiscoverExporter(Exporter):
    format = "outlook-autodiscover"
    label_en = N_("Outlook: Autodiscover file and registry settings")
    default_name_template = "outlook-autodiscover-{domain}"
    writes_folder = True

    def export(self, settings: Settings, full_name: str | None, password: str | None,
               out_path: Path, *, overwrite: bool = False) -> ExportResult:
        check_inputs(settings, full_name, password)
        xml = response_xml(settings, full_name)
        win = windows_path(out_path)
        reg = reg_file(settings.address.domain_ascii, win)
        paths = write_all([OutFile(out_path / XML_NAME, xml),
                           OutFile(out_path / REG_NAME, reg)], overwrite=overwrite)
        notes = [
            _("On the Windows computer, put {xml} at {path} and double-click {reg}; then add "
              "the account in Outlook with just the address.", xml=XML_NAME, path=win,
              reg=REG_NAME),
            _("Classic Outlook 2016, 2019, 2021, 2024 and Microsoft 365 read this file "
              "(Outlook 2013 and 2010 too, through their own registry keys); the new "
              "Outlook for Windows ignores it."),
        ]
        if password is not None:
            notes.append(_("The password was not written: Outlook asks for it once and "
                           "keeps it in Windows' credential store."))
        return ExportResult(paths, tuple(notes))
