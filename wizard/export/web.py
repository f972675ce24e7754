"""PHP for web sites that send mail: PHPMailer, WP Mail SMTP (wp-config.php), Joomla.

Every value goes into a single-quoted PHP string, where only ``\\`` and ``'`` are special,
so no setting can break out of its string. Without ``--include-password`` the snippets read
the password from the ``SMTP_PASSWORD`` environment variable or leave a marked blank.
"""

from __future__ import annotations

from pathlib import Path

from wizard.export.base import (
    Exporter,
    ExportResult,
    check_inputs,
    outgoing_server,
    pick_auth,
)
from wizard.export.files import OutFile, write_all
from wizard.i18n import N_, _
from wizard.model import Server, Settings

# PHPMailer: SMTPSecure 'ssl' (ENCRYPTION_SMTPS) or 'tls' (ENCRYPTION_STARTTLS).
PHPMAILER_SECURE = {"ssl": "PHPMailer::ENCRYPTION_SMTPS",
                    "starttls": "PHPMailer::ENCRYPTION_STARTTLS", "plain": "''"}
PHPMAILER_AUTH = {"password-cleartext": "", "password-encrypted": "CRAM-MD5",
                  "none": None, "client-IP-address": None}
SIMPLE_AUTH = {"password-cleartext": True, "none": False, "client-IP-address": False}
WP_SSL = {"ssl": "ssl", "starttls": "tls", "plain": ""}
JOOMLA_SECURE = {"ssl": "ssl", "starttls": "tls", "plain": "none"}


def php_string(text: str) -> str:
    """``text`` as a single-quoted PHP string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def php_bool(value: bool) -> str:
    return "true" if value else "false"


def _smtp(settings: Settings, label: str) -> Server:
    server = outgoing_server(settings, label)
    assert server is not None
    return server


def _header(settings: Settings, what: str) -> list[str]:
    return ["<?php", f"// {what} for {settings.address.email}, written by MailWizard.", ""]


def phpmailer(settings: Settings, full_name: str | None, password: str | None) -> str:
    label = "PHPMailer"
    smtp = _smtp(settings, label)
    _method, auth_type = pick_auth(smtp, PHPMAILER_AUTH, label)
    lines = _header(settings, "PHPMailer settings")
    lines += [
        "use PHPMailer\\PHPMailer\\PHPMailer;",
        "",
        "require 'vendor/autoload.php';",
        "",
        "$mail = new PHPMailer(true);",
        "$mail->isSMTP();",
        f"$mail->Host = {php_string(smtp.host)};",
        f"$mail->Port = {smtp.port};",
        f"$mail->SMTPSecure = {PHPMAILER_SECURE[smtp.security]};",
        f"$mail->SMTPAuth = {php_bool(auth_type is not None)};",
    ]
    if auth_type is not None:
        if auth_type:
            lines.append(f"$mail->AuthType = {php_string(auth_type)};")
        lines.append(f"$mail->Username = {php_string(smtp.username)};")
        if password is not None:
            lines.append(f"$mail->Password = {php_string(password)};")
        else:
            lines.append("$mail->Password = getenv('SMTP_PASSWORD') ?: '';")
    lines += [
        "$mail->CharSet = PHPMailer::CHARSET_UTF8;",
        f"$mail->setFrom({php_string(settings.address.email)}, "
        f"{php_string(full_name or '')});",
        "",
    ]
    return "\n".join(lines)


def wordpress(settings: Settings, full_name: str | None, password: str | None) -> str:
    label = "WP Mail SMTP"
    smtp = _smtp(settings, label)
    _method, auth = pick_auth(smtp, SIMPLE_AUTH, label)
    lines = _header(settings, "WP Mail SMTP settings")
    lines += [
        "// Copy these lines into wp-config.php, above the line",
        "// \"/* That's all, stop editing! */\". WP Mail SMTP uses them only with WPMS_ON true.",
        "define( 'WPMS_ON', true );",
        "define( 'WPMS_MAILER', 'smtp' );",
        f"define( 'WPMS_MAIL_FROM', {php_string(settings.address.email)} );",
        f"define( 'WPMS_MAIL_FROM_NAME', {php_string(full_name or '')} );",
        f"define( 'WPMS_SMTP_HOST', {php_string(smtp.host)} );",
        f"define( 'WPMS_SMTP_PORT', {smtp.port} );",
        f"define( 'WPMS_SSL', {php_string(WP_SSL[smtp.security])} );",
        "define( 'WPMS_SMTP_AUTOTLS', true );",
        f"define( 'WPMS_SMTP_AUTH', {php_bool(auth)} );",
    ]
    if auth:
        lines.append(f"define( 'WPMS_SMTP_USER', {php_string(smtp.username)} );")
        if password is not None:
            lines.append(f"define( 'WPMS_SMTP_PASS', {php_string(password)} );")
        else:
            lines.append("define( 'WPMS_SMTP_PASS', getenv('SMTP_PASSWORD') ?: '' );")
    lines.append("")
    return "\n".join(lines)


def joomla(settings: Settings, full_name: str | None, password: str | None) -> str:
    label = "Joomla"
    smtp = _smtp(settings, label)
    _method, auth = pick_auth(smtp, SIMPLE_AUTH, label)
    lines = _header(settings, "Joomla mail settings")
    lines += [
        "// Copy the lines between the braces into the class JConfig of configuration.php,",
        "// replacing the lines of the same names (or enter the same values under",
        "// System → Global Configuration → Server → Mail).",
        "class JConfigMailSettings",
        "{",
        "\tpublic $mailonline = true;",
        "\tpublic $mailer = 'smtp';",
        f"\tpublic $mailfrom = {php_string(settings.address.email)};",
        f"\tpublic $fromname = {php_string(full_name or '')};",
        f"\tpublic $smtphost = {php_string(smtp.host)};",
        f"\tpublic $smtpport = {smtp.port};",
        f"\tpublic $smtpsecure = {php_string(JOOMLA_SECURE[smtp.security])};",
        f"\tpublic $smtpauth = {php_bool(auth)};",
        f"\tpublic $smtpuser = {php_string(smtp.username if auth else '')};",
    ]
    if password is not None and auth:
        lines.append(f"\tpublic $smtppass = {php_string(password)};")
    else:
        lines.append("\tpublic $smtppass = ''; // enter the password here or in the Joomla "
                     "administrator")
    lines += ["}", ""]
    return "\n".join(lines)


class _PhpExporter(Exporter):
    can_hold_password = True
    missing_password_note = N_("The password is not in the file: set the SMTP_PASSWORD "
                               "environment variable for the web server.")

    def text(self, settings: Settings, full_name: str | None, password: str | None) -> str:
        raise NotImplementedError

    def export(self, settings: Settings, full_name: str | None, password: str | None,
               out_path: Path, *, overwrite: bool = False) -> ExportResult:
        check_inputs(settings, full_name, password)
        data = self.text(settings, full_name, password).encode("utf-8")
        paths = write_all([OutFile(out_path, data, secret=True)], overwrite=overwrite)
        notes = []
        if password is None:
            notes.append(_(self.missing_password_note))
        else:
            notes.append(_("The file holds the password: keep it out of the web root and of "
                           "version control."))
        return ExportResult(paths, tuple(notes))


class PhpMailerExporter(_PhpExporter):
    format = "phpmailer"
    label_en = N_("PHPMailer code (PHP)")
    default_name_template = "phpmailer-{address}.php"

    def text(self, settings: Settings, full_name: str | None, password: str | None) -> str:
        return phpmailer(settings, full_name, password)


class WordPressExporter(_PhpExporter):
    format = "wordpress"
    label_en = N_("WordPress: WP Mail SMTP settings for wp-config.php")
    default_name_template = "wp-mail-smtp-{address}.php"

    def text(self, settings: Settings, full_name: str | None, password: str | None) -> str:
        return wordpress(settings, full_name, password)


class JoomlaExporter(_PhpExporter):
    format = "joomla"
    label_en = N_("Joomla: mail settings for configuration.php")
    default_name_template = "joomla-mail-{address}.php"
    missing_password_note = N_("The password is not in the file: type it in where the file "
                               "says, or in the Joomla administrator.")

    def text(self, settings: Settings, full_name: str | None, password: str | None) -> str:
        return joomla(settings, full_name, password)
