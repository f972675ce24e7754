"""Configuration files for terminal mail programs: msmtp and NeoMutt (aerc and mbsync, which
speak only IMAP, are in :mod:`wizard.export.terminal_imap`).

Each program has its own quoting rules; every value goes through the quoting function of
its format, so a name or password with spaces, quotes or ``#`` cannot change the meaning
of the file. The versions aimed at are those of Debian 12 (msmtp 1.8, NeoMutt 2022, aerc
0.14 and later, isync 1.4).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from wizard.export.base import (
    Exporter,
    ExportResult,
    check_inputs,
    incoming_server,
    outgoing_server,
    pick_auth,
    safe_file_name,
    uses_password,
)
from wizard.export.files import OutFile, write_all
from wizard.i18n import N_, _
from wizard.model import Server, Settings

MSMTP_AUTH = {"password-cleartext": "on", "password-encrypted": "cram-md5", "NTLM": "ntlm",
              "GSSAPI": "gssapi", "OAuth2": "oauthbearer", "TLS-client-cert": "external",
              "none": "off", "client-IP-address": "off"}
# NeoMutt: None means its default list (it tries what the server offers).
MUTT_AUTH: dict[str, str | None] = {
    "password-cleartext": None, "password-encrypted": "cram-md5", "GSSAPI": "gssapi",
    "OAuth2": "oauthbearer:xoauth2", "none": None, "client-IP-address": None}


def comment_header(program: str, settings: Settings, use: str) -> list[str]:
    return [f"# {program} configuration for {settings.address.email}, written by MailWizard.",
            f"# {use}", ""]


def dquote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def msmtp_arg(text: str) -> str:
    """An msmtp argument: the rest of the line, in double quotes unless it is plain.

    msmtp takes everything after the command and strips one pair of surrounding quotes;
    it knows no escapes, so quotes inside the value need none.
    """
    if text and not re.search(r'[\s"\\#]', text):
        return text
    return f'"{text}"'


def msmtp(settings: Settings, full_name: str | None, password: str | None) -> str:
    smtp = outgoing_server(settings, "msmtp")
    assert smtp is not None
    method, auth = pick_auth(smtp, MSMTP_AUTH, "msmtp")
    name = safe_file_name(settings.address.email_ascii)
    lines = comment_header("msmtp", settings, "Use it as ~/.msmtprc (mode 0600) or with: "
                    "msmtp -C <this file> …")
    lines += [
        f"account {name}",
        f"host {msmtp_arg(smtp.host)}",
        f"port {smtp.port}",
        f"tls {'off' if smtp.security == 'plain' else 'on'}",
        f"tls_starttls {'on' if smtp.security == 'starttls' else 'off'}",
        f"auth {auth}",
    ]
    if auth != "off":
        lines.append(f"user {msmtp_arg(smtp.username)}")
    lines.append(f"from {msmtp_arg(settings.address.email)}")
    if auth != "off":
        if password is not None and uses_password(method):
            lines.append(f"password {msmtp_arg(password)}")
        else:
            lines += [
                "# No password here: msmtp looks it up in the keyring, stored for example with",
                f"#   secret-tool store --label=msmtp host {smtp.host} service smtp "
                f"user {smtp.username}",
                "# or add a line: passwordeval \"command that prints the password\"",
            ]
    lines += ["", f"account default : {name}", ""]
    return "\n".join(lines)


def mutt_string(text: str) -> str:
    """A NeoMutt string: single quotes (taken literally) unless the text holds one."""
    if "'" not in text:
        return f"'{text}'"
    # Inside double quotes NeoMutt expands backslashes, backticks and $VARIABLES.
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`")
               .replace("$", "\\$"))
    return f'"{escaped}"'


def server_url(scheme: str, server: Server, *, user: bool = True,
               password: str | None = None) -> str:
    """``scheme://user:password@host:port`` with user and password percent-encoded."""
    userinfo = ""
    if user:
        userinfo = quote(server.username, safe="")
        if password is not None:
            userinfo += ":" + quote(password, safe="")
        userinfo += "@"
    return f"{scheme}://{userinfo}{server.host}:{server.port}"


def neomutt(settings: Settings, full_name: str | None, password: str | None) -> str:
    incoming = incoming_server(settings, "NeoMutt")
    smtp = outgoing_server(settings)
    in_method, in_auth = pick_auth(incoming, MUTT_AUTH, "NeoMutt")
    lines = comment_header("NeoMutt", settings, "Use it as ~/.config/neomutt/neomuttrc or with: "
                    "neomutt -F <this file>")
    if full_name:
        lines.append(f"set real_name = {mutt_string(full_name)}")
    lines += [f"set from = {mutt_string(settings.address.email)}", "set use_from = yes"]
    secure = incoming.security != "plain" and (smtp is None or smtp.security != "plain")
    p = incoming.protocol
    if p == "imap":
        scheme = "imaps" if incoming.security == "ssl" else "imap"
        lines += [
            f"set imap_user = {mutt_string(incoming.username)}",
            f"set folder = {mutt_string(server_url(scheme, incoming, user=False) + '/')}",
            "set spool_file = '+INBOX'",
            "set record = '+Sent'",
            "set postponed = '+Drafts'",
            "set trash = '+Trash'",
        ]
    else:
        scheme = "pops" if incoming.security == "ssl" else "pop"
        lines += [
            f"set pop_user = {mutt_string(incoming.username)}",
            f"set pop_host = {mutt_string(server_url(scheme, incoming, user=False))}",
            f"set spool_file = {mutt_string(server_url(scheme, incoming) + '/')}",
            "set folder = '~/Mail'",
            "set record = '+sent'",
            "set postponed = '+postponed'",
        ]
    if in_auth:
        lines.append(f"set {p}_authenticators = {mutt_string(in_auth)}")
    if password is not None and uses_password(in_method):
        lines.append(f"set {p}_pass = {mutt_string(password)}")
    if smtp is not None:
        out_method, out_auth = pick_auth(smtp, MUTT_AUTH, "NeoMutt")
        sends_login = out_method not in ("none", "client-IP-address")
        scheme = "smtps" if smtp.security == "ssl" else "smtp"
        url = server_url(scheme, smtp, user=sends_login) + "/"
        lines.append(f"set smtp_url = {mutt_string(url)}")
        if out_auth:
            lines.append(f"set smtp_authenticators = {mutt_string(out_auth)}")
        if password is not None and uses_password(out_method):
            lines.append(f"set smtp_pass = {mutt_string(password)}")
    lines += [
        f"set ssl_force_tls = {'yes' if secure else 'no'}",
        f"set ssl_starttls = {'no' if not secure else 'yes'}",
        "",
    ]
    return "\n".join(lines)


class TextExporter(Exporter):
    can_hold_password = True
    usage_note = ""  # how to use the file, marked with N_() (translated when shown)

    def text(self, settings: Settings, full_name: str | None, password: str | None) -> str:
        raise NotImplementedError

    def notes(self, settings: Settings) -> tuple[str, ...]:
        return (_(self.usage_note),)

    def export(self, settings: Settings, full_name: str | None, password: str | None,
               out_path: Path, *, overwrite: bool = False) -> ExportResult:
        check_inputs(settings, full_name, password)
        data = self.text(settings, full_name, password).encode("utf-8")
        paths = write_all([OutFile(out_path, data, secret=True)], overwrite=overwrite)
        return ExportResult(paths, self.notes(settings))


class MsmtpExporter(TextExporter):
    format = "msmtp"
    label_en = N_("msmtp configuration")
    default_name_template = "msmtprc-{address}"
    usage_note = N_("Copy it to ~/.msmtprc or run: msmtp -C <file> …")

    def text(self, settings: Settings, full_name: str | None, password: str | None) -> str:
        return msmtp(settings, full_name, password)


class NeomuttExporter(TextExporter):
    format = "neomutt"
    label_en = N_("NeoMutt configuration")
    default_name_template = "neomuttrc-{address}"
    usage_note = N_("Copy it to ~/.config/neomutt/neomuttrc or run: neomutt -F <file>")

    def text(self, settings: Settings, full_name: str | None, password: str | None) -> str:
        return neomutt(settings, full_name, password)
