"""PHP snippets: ``php -l`` accepts them, and PHP itself reads back exactly our values."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from wizard.export import export

from .conftest import NAME, NASTY_PASSWORD, imap_settings, need, pop3_settings

# A stand-in for PHPMailer with the same names, so the snippet runs and shows what it set.
PHPMAILER_STUB = r"""<?php
namespace PHPMailer\PHPMailer;
class PHPMailer {
    const ENCRYPTION_STARTTLS = 'tls';
    const ENCRYPTION_SMTPS = 'ssl';
    const CHARSET_UTF8 = 'utf-8';
    public $Host; public $Port; public $SMTPSecure; public $SMTPAuth; public $AuthType = '';
    public $Username; public $Password; public $CharSet; public $From; public $FromName;
    public $Mailer = 'mail';
    public function __construct($exceptions = null) { $GLOBALS['the_mailer'] = $this; }
    public function isSMTP() { $this->Mailer = 'smtp'; }
    public function setFrom($address, $name = '') {
        $this->From = $address;
        $this->FromName = $name;
    }
}
"""


def php(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    binary = need("php", "php-cli")
    result = subprocess.run([binary, *args], capture_output=True, text=True, timeout=60,
                            cwd=cwd, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", ["phpmailer", "wordpress", "joomla"])
@pytest.mark.parametrize("password", [None, NASTY_PASSWORD], ids=["no-password", "password"])
def test_php_lint_accepts_the_snippet(fmt: str, password: str | None, tmp_path: Path) -> None:
    out = tmp_path / "snippet.php"
    export(fmt, imap_settings(), NAME, password, out)
    assert "No syntax errors detected" in php("-l", str(out))


def test_phpmailer_snippet_sets_the_values(tmp_path: Path) -> None:
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "autoload.php").write_text(PHPMAILER_STUB)
    export("phpmailer", imap_settings(), NAME, NASTY_PASSWORD, tmp_path / "mail.php")
    runner = tmp_path / "run.php"
    runner.write_text("<?php include 'mail.php'; echo json_encode(get_object_vars($the_mailer));")
    values = json.loads(php(str(runner), cwd=tmp_path))
    assert values == {
        "Host": "smtp.example.com", "Port": 587, "SMTPSecure": "tls", "SMTPAuth": True,
        "AuthType": "", "Username": "alice@example.com", "Password": NASTY_PASSWORD,
        "CharSet": "utf-8", "From": "alice@example.com", "FromName": NAME, "Mailer": "smtp",
    }


def test_phpmailer_without_password_reads_the_environment(tmp_path: Path) -> None:
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "autoload.php").write_text(PHPMAILER_STUB)
    export("phpmailer", pop3_settings(), None, None, tmp_path / "mail.php")
    runner = tmp_path / "run.php"
    runner.write_text("<?php include 'mail.php'; echo json_encode(get_object_vars($the_mailer));")
    values = json.loads(php(str(runner), cwd=tmp_path, env={"SMTP_PASSWORD": "from-env"}))
    assert values["Password"] == "from-env"
    assert values["SMTPSecure"] == "ssl" and values["Port"] == 465
    assert values["Username"] == "bob"


def test_wordpress_constants(tmp_path: Path) -> None:
    export("wordpress", imap_settings(), NAME, NASTY_PASSWORD, tmp_path / "wp.php")
    runner = tmp_path / "run.php"
    runner.write_text("<?php include 'wp.php'; "
                      "echo json_encode(get_defined_constants(true)['user']);")
    values = json.loads(php(str(runner), cwd=tmp_path))
    assert values == {
        "WPMS_ON": True, "WPMS_MAILER": "smtp", "WPMS_MAIL_FROM": "alice@example.com",
        "WPMS_MAIL_FROM_NAME": NAME, "WPMS_SMTP_HOST": "smtp.example.com",
        "WPMS_SMTP_PORT": 587, "WPMS_SSL": "tls", "WPMS_SMTP_AUTOTLS": True,
        "WPMS_SMTP_AUTH": True, "WPMS_SMTP_USER": "alice@example.com",
        "WPMS_SMTP_PASS": NASTY_PASSWORD,
    }


def test_joomla_values(tmp_path: Path) -> None:
    export("joomla", pop3_settings(), NAME, NASTY_PASSWORD, tmp_path / "j.php")
    runner = tmp_path / "run.php"
    runner.write_text("<?php include 'j.php'; "
                      "echo json_encode(get_object_vars(new JConfigMailSettings()));")
    values = json.loads(php(str(runner), cwd=tmp_path))
    assert values == {
        "mailonline": True, "mailer": "smtp", "mailfrom": "bob@example.org", "fromname": NAME,
        "smtphost": "smtp.example.org", "smtpport": 465, "smtpsecure": "ssl",
        "smtpauth": True, "smtpuser": "bob", "smtppass": NASTY_PASSWORD,
    }
