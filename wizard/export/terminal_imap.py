"""Configuration for the IMAP-only terminal programs: aerc and mbsync (isync).

Quoting follows each program's reader: aerc's INI values are cut at ``#`` or ``;`` unless
wrapped in backticks; mbsync takes double-quoted arguments with backslash escapes.
"""

from __future__ import annotations

import re

from wizard.export.base import (
    ExportError,
    incoming_server,
    outgoing_server,
    pick_auth,
    safe_file_name,
    uses_password,
)
from wizard.export.terminal import TextExporter, comment_header, dquote, server_url
from wizard.i18n import N_, _
from wizard.model import Settings

AERC_IMAP_AUTH = {"password-cleartext": "", "OAuth2": "oauthbearer"}
AERC_SMTP_AUTH = {"password-cleartext": "", "OAuth2": "oauthbearer", "none": "none",
                  "client-IP-address": "none"}
MBSYNC_AUTH = {"password-cleartext": None, "password-encrypted": "CRAM-MD5",
               "GSSAPI": "GSSAPI", "OAuth2": "XOAUTH2", "TLS-client-cert": "EXTERNAL"}
MBSYNC_TLS = {"ssl": "IMAPS", "starttls": "STARTTLS", "plain": "None"}


def aerc_value(text: str) -> str:
    """A value for aerc's INI reader, which cuts values at ``#`` or ``;`` unless quoted."""
    if not re.search(r"[#;\"'`]", text) and text == text.strip():
        return text
    if "`" in text:
        raise ExportError(_("aerc cannot hold a value with a backtick (`) in it."))
    return f"`{text}`"


def _mailbox(name: str | None, email: str) -> str:
    if not name:
        return email
    if re.fullmatch(r"[\w .-]+", name):
        return f"{name} <{email}>"
    return f"{dquote(name)} <{email}>"


def aerc(settings: Settings, full_name: str | None, password: str | None) -> str:
    incoming = incoming_server(settings, "aerc", ("imap",))
    smtp = outgoing_server(settings)
    in_method, in_mech = pick_auth(incoming, AERC_IMAP_AUTH, "aerc")
    scheme = "imaps" if incoming.security == "ssl" else "imap"
    if incoming.security == "plain":
        scheme += "+insecure"
    if in_mech:
        scheme += f"+{in_mech}"
    in_pw = password if password is not None and uses_password(in_method) else None
    lines = comment_header("aerc", settings, "Put the section into ~/.config/aerc/accounts.conf, "
                    "which aerc wants at mode 0600.")
    lines += [
        f"[{safe_file_name(settings.address.email_ascii)}]",
        f"source = {aerc_value(server_url(scheme, incoming, password=in_pw))}",
    ]
    if smtp is not None:
        out_method, out_mech = pick_auth(smtp, AERC_SMTP_AUTH, "aerc")
        scheme = "smtps" if smtp.security == "ssl" else "smtp"
        if smtp.security == "plain":
            scheme += "+insecure"
        if out_mech:
            scheme += f"+{out_mech}"
        out_pw = password if password is not None and uses_password(out_method) else None
        url = server_url(scheme, smtp, user=out_mech != "none", password=out_pw)
        lines += [f"outgoing = {aerc_value(url)}", "copy-to = Sent"]
    lines += [
        "default = INBOX",
        f"from = {aerc_value(_mailbox(full_name, settings.address.email))}",
    ]
    if password is None:
        lines += ["# No password here: add for example",
                  "#   source-cred-cmd = pass show mail/imap",
                  "#   outgoing-cred-cmd = pass show mail/smtp"]
    lines.append("")
    return "\n".join(lines)


def mbsync(settings: Settings, full_name: str | None, password: str | None) -> str:
    incoming = incoming_server(settings, "mbsync", ("imap",))
    method, mechs = pick_auth(incoming, MBSYNC_AUTH, "mbsync")
    name = safe_file_name(settings.address.email_ascii)
    lines = comment_header("mbsync (isync)", settings, "Use it as ~/.mbsyncrc or with: "
                    "mbsync -c <this file> -a")
    lines += [
        f"IMAPAccount {name}",
        f"Host {dquote(incoming.host)}",
        f"Port {incoming.port}",
        f"User {dquote(incoming.username)}",
    ]
    if password is not None and uses_password(method):
        lines.append(f"Pass {dquote(password)}")
    else:
        lines += ["# No password here: mbsync asks for it, or add for example",
                  "#   PassCmd \"pass show mail/imap\""]
    if mechs:
        lines.append(f"AuthMechs {mechs}")
    lines += [
        "# isync 1.5 and later call this setting TLSType (and still read SSLType).",
        f"SSLType {MBSYNC_TLS[incoming.security]}",
        "",
        f"IMAPStore {name}-remote",
        f"Account {name}",
        "",
        f"MaildirStore {name}-local",
        "SubFolders Verbatim",
        f"Path {dquote(f'~/Mail/{name}/')}",
        f"Inbox {dquote(f'~/Mail/{name}/INBOX')}",
        "",
        f"Channel {name}",
        f"Far :{name}-remote:",
        f"Near :{name}-local:",
        "Patterns *",
        "Create Both",
        "SyncState *",
        "",
    ]
    return "\n".join(lines)


class AercExporter(TextExporter):
    format = "aerc"
    label_en = N_("aerc account (accounts.conf)")
    default_name_template = "aerc-accounts-{address}.conf"
    usage_note = N_("Add the section to ~/.config/aerc/accounts.conf (mode 0600).")

    def text(self, settings: Settings, full_name: str | None, password: str | None) -> str:
        return aerc(settings, full_name, password)


class MbsyncExporter(TextExporter):
    format = "mbsync"
    label_en = N_("mbsync (isync) configuration")
    default_name_template = "mbsyncrc-{address}"
    def notes(self, settings: Settings) -> tuple[str, ...]:
        name = safe_file_name(settings.address.email_ascii)
        return (_("Copy it to ~/.mbsyncrc, create the mail folder with: mkdir -p "
                  "~/Mail/{name}, then run: mbsync -a", name=name),)

    def text(self, settings: Settings, full_name: str | None, password: str | None) -> str:
        return mbsync(settings, full_name, password)
