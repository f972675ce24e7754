"""``mailwizard export`` as a help-desk script runs it: exit status, stdout, stderr, files."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from wizard import contract

from .conftest import NASTY_PASSWORD, imap_settings, pop3_settings


def mailwizard(*args: str, cwd: Path, stdin: str | None = None,
               home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LANGUAGE="en", LC_ALL="C.UTF-8", HOME=str(home or cwd))
    # no keyring in these runs: --include-password without --password-stdin must say so
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return subprocess.run([sys.executable, "-m", "wizard", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "alice.json"
    path.write_text(contract.dumps(contract.settings_to_json(imap_settings())))
    return path


def test_default_output_goes_to_the_current_folder(tmp_path: Path, config: Path) -> None:
    result = mailwizard("export", "alice@example.com", "--format", "outlook-prf",
                        "--config", str(config), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    written = tmp_path / "alice@example.com.prf"
    assert written.exists()
    assert f"Wrote {written}" in result.stdout
    assert "Outlook" in result.stdout  # the note on which Outlook versions read it


@pytest.mark.parametrize("fmt", ["thunderbird", "thunderbird-autoconfig", "outlook-prf",
                                 "outlook-autodiscover", "apple", "android-qr", "k9s",
                                 "phpmailer", "wordpress", "joomla", "msmtp", "neomutt",
                                 "aerc", "mbsync", "domain-admin"])
def test_every_contract_format_is_produced(fmt: str, tmp_path: Path, config: Path) -> None:
    out = tmp_path / "out"
    result = mailwizard("export", "alice@example.com", "--format", fmt, "--config",
                        str(config), "--out", str(out), "--name", "Alice", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert out.exists()


def test_pop3_settings_export_too(tmp_path: Path) -> None:
    config = tmp_path / "bob.json"
    config.write_text(contract.dumps(contract.settings_to_json(pop3_settings())))
    result = mailwizard("export", "bob@example.org", "--format", "k9s", "--config",
                        str(config), "--out", "bob.k9s", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert b'type="POP3"' in (tmp_path / "bob.k9s").read_bytes()


def test_the_password_comes_from_stdin_only_when_asked(tmp_path: Path, config: Path) -> None:
    result = mailwizard("export", "alice@example.com", "--format", "msmtp", "--config",
                        str(config), "--out", "rc", "--include-password", "--password-stdin",
                        cwd=tmp_path, stdin=NASTY_PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert NASTY_PASSWORD in (tmp_path / "rc").read_text()
    assert stat.S_IMODE((tmp_path / "rc").stat().st_mode) == 0o600
    assert NASTY_PASSWORD not in result.stdout + result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "nonsense"], "invalid choice"),
    (["--format", "msmtp", "--password-stdin"], "only used with --include-password"),
    (["--format", "msmtp", "--name", "Eve\u0007"], "control characters"),
    (["--format", "msmtp", "--config", "missing.json"], "cannot read the settings file"),
])
def test_bad_usage_is_exit_2_with_one_line(args: list[str], message: str, tmp_path: Path,
                                          config: Path) -> None:
    if "--config" not in args:
        args = [*args, "--config", str(config)]
    result = mailwizard("export", "alice@example.com", *args, cwd=tmp_path, stdin="pw\n")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alice.json"]


def test_a_bad_address_is_exit_2(tmp_path: Path) -> None:
    result = mailwizard("export", "not-an-address", "--format", "msmtp", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""


def test_include_password_without_stdin_needs_a_keyring(tmp_path: Path, config: Path) -> None:
    result = mailwizard("export", "alice@example.com", "--format", "msmtp", "--config",
                        str(config), "--include-password", cwd=tmp_path)
    assert result.returncode == 1  # the keyring failed (exit 1), not the usage (exit 2)
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "msmtprc-alice@example.com").exists()


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path, config: Path) -> None:
    (tmp_path / "rc").write_text("mine")
    result = mailwizard("export", "alice@example.com", "--format", "msmtp", "--config",
                        str(config), "--out", "rc", cwd=tmp_path)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert (tmp_path / "rc").read_text() == "mine"
    result = mailwizard("export", "alice@example.com", "--format", "msmtp", "--config",
                        str(config), "--out", "rc", "--force", cwd=tmp_path)
    assert result.returncode == 0
    assert "host smtp.example.com" in (tmp_path / "rc").read_text()


def test_a_format_that_cannot_express_the_settings_is_exit_1(tmp_path: Path) -> None:
    config = tmp_path / "bob.json"
    config.write_text(contract.dumps(contract.settings_to_json(pop3_settings())))
    result = mailwizard("export", "bob@example.org", "--format", "mbsync", "--config",
                        str(config), cwd=tmp_path)
    assert result.returncode == 1
    assert "needs a server for IMAP" in result.stderr
    assert result.stdout == ""


def test_detect_json_chains_into_export(tmp_path: Path) -> None:
    detected = mailwizard("detect", "someone@gmail.com", "--json", "--offline", cwd=tmp_path)
    if detected.returncode != 0:
        pytest.skip("the bundled provider table does not know gmail.com")
    (tmp_path / "d.json").write_text(detected.stdout)
    result = mailwizard("export", "someone@gmail.com", "--format", "thunderbird-autoconfig",
                        "--config", "d.json", "--out", "c.xml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    hosts = [s["host"] for s in json.loads(detected.stdout)["incoming"]]
    assert hosts[0].encode() in (tmp_path / "c.xml").read_bytes()
