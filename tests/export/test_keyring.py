"""``export --include-password`` without ``--password-stdin`` takes the keyring's password."""

from __future__ import annotations

from pathlib import Path

import keyring_fixtures
import pytest
from keyring_fixtures import SecretService, run_cli

from wizard import contract, keystore
from wizard.address import parse_address

from .conftest import NASTY_PASSWORD, imap_settings

secret_service = keyring_fixtures.secret_service
keyring_env = keyring_fixtures.keyring_env


@pytest.mark.keyring
def test_the_password_comes_from_the_keyring(keyring_env: SecretService,
                                             tmp_path: Path) -> None:
    keystore.save(parse_address("alice@example.com"), NASTY_PASSWORD)
    config = tmp_path / "alice.json"
    config.write_text(contract.dumps(contract.settings_to_json(imap_settings())))
    out = tmp_path / "alice.k9s"
    result = run_cli(keyring_env.env, "export", "alice@example.com", "--format", "k9s",
                     "--config", str(config), "--out", str(out), "--include-password")
    assert result.returncode == 0, result.stderr
    assert f"<password>{NASTY_PASSWORD}</password>".encode() in out.read_bytes()
    assert NASTY_PASSWORD not in result.stdout + result.stderr


@pytest.mark.keyring
def test_no_stored_password_is_a_usage_error(keyring_env: SecretService, tmp_path: Path) -> None:
    config = tmp_path / "bob.json"
    settings = imap_settings(email="nobody-stored@example.com")
    config.write_text(contract.dumps(contract.settings_to_json(settings)))
    result = run_cli(keyring_env.env, "export", "nobody-stored@example.com", "--format",
                     "msmtp", "--config", str(config), "--out", str(tmp_path / "rc"),
                     "--include-password")
    assert result.returncode == 2
    assert "no password" in result.stderr and "--password-stdin" in result.stderr
    assert not (tmp_path / "rc").exists()
