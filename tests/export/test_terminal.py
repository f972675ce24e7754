"""msmtp, NeoMutt, aerc and mbsync read their exported files as meant.

Each program checks its own file (``msmtp --pretend``, ``neomutt -Q``), and msmtp, mbsync
and aerc are then pointed at a server on 127.0.0.1 that records the login they attempt:
the user name and the password with every special character must arrive unchanged.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

import pytest

from wizard.export import ExportError, export

from .conftest import NAME, NASTY_PASSWORD, imap_settings, local_settings, need, pop3_settings
from .fakemail import CredentialServer

USER = "carol@example.net"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    home.mkdir(exist_ok=True)
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "LANG": "C.UTF-8", "TERM": "xterm"}
    env.update(extra)
    return env


# --- msmtp ----------------------------------------------------------------------------------

def test_msmtp_pretend_accepts_the_file(tmp_path: Path) -> None:
    msmtp = need("msmtp", "msmtp")
    out = tmp_path / "msmtprc"
    export("msmtp", imap_settings(), NAME, NASTY_PASSWORD, out)
    result = subprocess.run([msmtp, "-C", str(out), "--pretend"], capture_output=True,
                            text=True, timeout=60, env=clean_env(tmp_path / "home"))
    assert result.returncode == 0, result.stderr
    shown = dict(line.split(" = ", 1) for line in result.stdout.splitlines() if " = " in line)
    assert shown["host"] == "smtp.example.com"
    assert shown["port"] == "587"
    assert shown["tls"] == "on"
    assert shown["tls_starttls"] == "on"
    assert shown["user"] == "alice@example.com"
    assert shown["from"] == "alice@example.com"
    assert shown["password"] == "*"


def test_msmtp_pretend_without_password_and_pop3_login(tmp_path: Path) -> None:
    msmtp = need("msmtp", "msmtp")
    out = tmp_path / "msmtprc"
    export("msmtp", pop3_settings(), None, None, out)
    result = subprocess.run([msmtp, "-C", str(out), "--pretend"], capture_output=True,
                            text=True, timeout=60, env=clean_env(tmp_path / "home"))
    assert result.returncode == 0, result.stderr
    assert "user = bob" in result.stdout
    assert "tls_starttls = off" in result.stdout  # 465: TLS from the first byte
    assert "password = (not set)" in result.stdout


def test_msmtp_signs_in_with_the_exact_password(tmp_path: Path, smtp_server: CredentialServer,
                                                tls_files: tuple[Path, Path]) -> None:
    msmtp = need("msmtp", "msmtp")
    out = tmp_path / "msmtprc"
    export("msmtp", local_settings(None, smtp_server.port), NAME, NASTY_PASSWORD, out)
    subprocess.run(
        [msmtp, "-C", str(out), f"--tls-trust-file={tls_files[0]}", "someone@example.net"],
        input="Subject: test\n\nhello\n", capture_output=True, text=True, timeout=60,
        env=clean_env(tmp_path / "home"))
    assert smtp_server.logins == [(USER, NASTY_PASSWORD)]


# --- NeoMutt --------------------------------------------------------------------------------

def neomutt_query(config: Path, home: Path, *names: str) -> dict[str, str]:
    neomutt = need("neomutt", "neomutt")
    args = [neomutt, "-n", "-F", str(config)]
    for name in names:
        args += ["-Q", name]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60,
                            env=clean_env(home))
    output = result.stdout + result.stderr
    assert "Error" not in output and "error" not in output, output
    values = {}
    for line in result.stdout.splitlines():
        m = re.fullmatch(r'set (\w+) = "(.*)"', line) or re.fullmatch(r"set (\w+) = (.*)", line)
        assert m, line
        values[m.group(1)] = re.sub(r"\\(.)", r"\1", m.group(2))
    return values


def test_neomutt_reads_the_imap_settings(tmp_path: Path) -> None:
    out = tmp_path / "neomuttrc"
    export("neomutt", imap_settings(), NAME, NASTY_PASSWORD, out)
    values = neomutt_query(out, tmp_path / "home", "folder", "spool_file", "imap_user",
                           "imap_pass", "smtp_url", "smtp_pass", "real_name", "from",
                           "ssl_force_tls", "ssl_starttls")
    assert values == {
        "folder": "imaps://imap.example.com:993/",
        "spool_file": "imaps://imap.example.com:993/INBOX",
        "imap_user": "alice@example.com",
        "imap_pass": NASTY_PASSWORD,
        "smtp_url": "smtp://alice%40example.com@smtp.example.com:587/",
        "smtp_pass": NASTY_PASSWORD,
        "real_name": NAME,
        "from": "alice@example.com",
        "ssl_force_tls": "yes",
        "ssl_starttls": "yes",
    }


def test_neomutt_reads_the_pop3_settings(tmp_path: Path) -> None:
    out = tmp_path / "neomuttrc"
    export("neomutt", pop3_settings(), None, None, out)
    values = neomutt_query(out, tmp_path / "home", "spool_file", "pop_user", "pop_host",
                           "smtp_url", "pop_pass")
    assert values == {
        "spool_file": "pop://bob@pop.example.org:110/",
        "pop_user": "bob",
        "pop_host": "pop://pop.example.org:110",
        "smtp_url": "smtps://bob@smtp.example.org:465/",
        "pop_pass": "",
    }


# --- mbsync ---------------------------------------------------------------------------------

def mail_folder(home: Path, notes: tuple[str, ...]) -> None:
    """Make the mail folder the way the export's note tells the person to."""
    (note,) = notes
    folder = re.search(r"mkdir -p ~/(\S+),", note)
    assert folder, note
    (home / folder.group(1)).mkdir(parents=True)


def test_mbsync_signs_in_with_the_exact_password(tmp_path: Path, imap_server: CredentialServer,
                                                 tls_files: tuple[Path, Path]) -> None:
    mbsync = need("mbsync", "isync")
    out = tmp_path / "mbsyncrc"
    result = export("mbsync", local_settings(imap_server.port, None), NAME, NASTY_PASSWORD, out)
    mail_folder(tmp_path / "home", result.notes)
    result = subprocess.run(
        [mbsync, "-c", str(out), "-l", "carol@example.net"], capture_output=True, text=True,
        timeout=60, env=clean_env(tmp_path / "home", SSL_CERT_FILE=str(tls_files[0])))
    assert imap_server.logins == [(USER, NASTY_PASSWORD)], result.stderr


def test_mbsync_file_is_read_without_complaint(tmp_path: Path,
                                               tls_files: tuple[Path, Path]) -> None:
    mbsync = need("mbsync", "isync")
    out = tmp_path / "mbsyncrc"
    result = export("mbsync", local_settings(9, None), None, None, out)  # port 9: refused
    mail_folder(tmp_path / "home", result.notes)
    result = subprocess.run(
        [mbsync, "-c", str(out), "-l", "carol@example.net"], capture_output=True, text=True,
        timeout=60, env=clean_env(tmp_path / "home", SSL_CERT_FILE=str(tls_files[0])))
    assert result.returncode != 0
    assert "Connection refused" in result.stderr, result.stderr
    assert not re.search(r"mbsyncrc:\d+:", result.stderr), result.stderr  # no config error


# --- aerc -----------------------------------------------------------------------------------

def run_in_terminal(program: str, env: dict[str, str], until: CredentialServer,
                    output: Path, timeout: float = 15) -> str:
    """Run a full-screen program on a pseudo-terminal (util-linux ``script``) until
    ``until`` saw a login, then stop it; returns what it showed."""
    script = need("script", "util-linux")
    with output.open("wb") as log:
        process = subprocess.Popen([script, "-qfec", program, "/dev/null"],
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                                   start_new_session=True)
        try:
            until.got_login.wait(timeout)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
    return output.read_text("utf-8", "replace")


def test_aerc_signs_in_with_the_exact_password(tmp_path: Path, imap_server: CredentialServer,
                                               tls_files: tuple[Path, Path]) -> None:
    aerc = need("aerc", "aerc")
    home = tmp_path / "home"
    config = home / ".config" / "aerc"
    config.mkdir(parents=True)
    export("aerc", local_settings(imap_server.port, 9), NAME, NASTY_PASSWORD,
           config / "accounts.conf")
    screen = run_in_terminal(aerc, clean_env(home, SSL_CERT_FILE=str(tls_files[0])),
                             until=imap_server, output=tmp_path / "screen")
    assert imap_server.logins[:1] == [(USER, NASTY_PASSWORD)], screen[-2000:]


# --- what a format cannot express -----------------------------------------------------------

@pytest.mark.parametrize("fmt", ["mbsync", "aerc"])
def test_imap_only_programs_refuse_pop3_settings(fmt: str, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="needs a server for IMAP"):
        export(fmt, pop3_settings(), None, None, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []
