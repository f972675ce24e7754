"""Words for the codes of the core and the flow, in the interface language (Qt's system)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:  # the first page is shown before the flow and the model are imported
    from wizard.gui.flow import FieldProblem, SourceState
    from wizard.model import Server


def tr(text: str) -> str:
    return QCoreApplication.translate("Texts", text)


def source_name(source: str | None) -> str:
    names = {
        "builtin": QCoreApplication.translate("Texts", "MailWizard's list of providers"),
        "autoconfig": QCoreApplication.translate("Texts", "The domain's own settings file"),
        "ispdb": QCoreApplication.translate("Texts", "Thunderbird's provider database"),
        "mx": QCoreApplication.translate("Texts", "The domain's mail server (MX)"),
        "srv": QCoreApplication.translate("Texts", "Service records in DNS (SRV)"),
        "autodiscover": QCoreApplication.translate("Texts", "Exchange Autodiscover"),
        "guess": QCoreApplication.translate("Texts", "Trying common server names"),
    }
    if source is None:
        return QCoreApplication.translate("Texts", "Entered by hand")
    return names.get(source, source)


def source_state(state: SourceState) -> str:
    return {
        "waiting": QCoreApplication.translate("Texts", "trying…"),
        "found": QCoreApplication.translate("Texts", "found"),
        "nothing": QCoreApplication.translate("Texts", "nothing there"),
        "failed": QCoreApplication.translate("Texts", "failed"),
        "skipped": QCoreApplication.translate("Texts", "skipped"),
    }[state.value]


def security_name(security: str) -> str:
    return {
        "ssl": QCoreApplication.translate("Texts", "SSL/TLS"),
        "starttls": QCoreApplication.translate("Texts", "STARTTLS"),
        "plain": QCoreApplication.translate("Texts", "None (unencrypted)"),
    }.get(security, security)


def auth_name(auth: str) -> str:
    return {
        "password-cleartext": QCoreApplication.translate("Texts", "Normal password"),
        "password-encrypted": QCoreApplication.translate("Texts", "Encrypted password"),
        "OAuth2": QCoreApplication.translate("Texts", "OAuth2 (sign in with the provider)"),
        "NTLM": QCoreApplication.translate("Texts", "NTLM"),
        "GSSAPI": QCoreApplication.translate("Texts", "Kerberos (GSSAPI)"),
        "client-IP-address": QCoreApplication.translate("Texts", "No login (by IP address)"),
        "TLS-client-cert": QCoreApplication.translate("Texts", "Client certificate"),
        "none": QCoreApplication.translate("Texts", "No authentication"),
    }.get(auth, auth)


def protocol_name(protocol: str) -> str:
    return {"imap": "IMAP", "pop3": "POP3", "smtp": "SMTP"}.get(protocol, protocol)


def server_line(server: Server) -> str:
    return QCoreApplication.translate("Texts", "{protocol} {host}, port {port}, {security}").format(
        protocol=protocol_name(server.protocol), host=server.host, port=server.port,
        security=security_name(server.security),
    )


def problem(p: FieldProblem) -> str:
    """The inline message for a problem with an input."""
    if p.message:
        return p.message  # the core's words, already in the interface language
    return {
        "required": QCoreApplication.translate("Texts", "Please fill this in."),
        "host-invalid": QCoreApplication.translate(
            "Texts", "This is not a valid server name (for example imap.example.com)."),
        "port-invalid": QCoreApplication.translate(
            "Texts", "The port must be a number from 1 to 65535."),
    }.get(p.code, p.code)


def fingerprint(sha256: str) -> str:
    """A SHA-256 fingerprint as people compare it: AB:CD:… in two lines."""
    hexdigits = "".join(ch for ch in sha256.upper() if ch in "0123456789ABCDEF")
    pairs = [hexdigits[i:i + 2] for i in range(0, len(hexdigits), 2)]
    half = (len(pairs) + 1) // 2
    return ":".join(pairs[:half]) + ("\n" + ":".join(pairs[half:]) if pairs[half:] else "")
