"""``mailwizard probe ADDRESS --keyring``: the password comes from a real, private Secret
Service (gnome-keyring on its own D-Bus, ``tests/keyring_fixtures.py``) and signs in to the
simulated Dovecot and Postfix (``tests/netsim``). A keyring that is locked or missing fails
the job (exit 1); nothing stored is bad usage (exit 2); each with one line on stderr.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import keyring_fixtures
import pytest
from keyring_fixtures import SecretService, base_env, run_cli
from netsim import HostileHost, NetSim

from wizard.model import Server

from .scenario import ALICE, DOMAIN, GOOD, PASSWORD, config_file, mail_world
from .secrets import assert_no_secret

pytestmark = pytest.mark.network

secret_service = keyring_fixtures.secret_service
fresh_secret_service = keyring_fixtures.fresh_secret_service

SERVERS = (Server("imap", GOOD, 993, "ssl"), Server("pop3", GOOD, 110, "starttls"),
           Server("smtp", GOOD, 465, "ssl"))
STALE = "an old password"


def cli_env(netsim: NetSim, keyring: dict[str, str]) -> dict[str, str]:
    """The keyring's environment (its bus, HOME, XDG folders), trusting only the test CA."""
    return netsim.env(**keyring, PYTHON_KEYRING_BACKEND=None, XDG_DATA_DIRS=None,
                      XDG_CONFIG_DIRS=None, LANGUAGE="en")


def store(env: dict[str, str], password: str, *server: str) -> None:
    """``mailwizard password set`` into the private keyring, the way a person stores it."""
    result = run_cli(env, "password", "set", ALICE, *server, stdin=password + "\n")
    assert result.returncode == 0, result.stderr


def probe(env: dict[str, str], config: str, address: str = ALICE
          ) -> subprocess.CompletedProcess[str]:
    result = run_cli(env, "probe", address, "--keyring", "--json", "--config", config,
                     "--timeout", "10")
    for secret in (PASSWORD, STALE):
        assert_no_secret(result.stdout + result.stderr, secret)
    return result


def one_line_failure(result: subprocess.CompletedProcess[str], status: int) -> str:
    assert result.returncode == status, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("mailwizard: ") and result.stderr.count("\n") == 1, \
        result.stderr
    return result.stderr


def trap(netsim: NetSim) -> HostileHost:
    """A server that would take any password and records every connection."""
    return netsim.domain(DOMAIN).hostile("trap", "accept-any-login", ports=(993,))


@pytest.mark.keyring
def test_the_stored_password_signs_in_to_dovecot_and_postfix(
        netsim: NetSim, secret_service: SecretService, tmp_path: Path) -> None:
    mail_world(netsim)
    netsim.apply()
    env = cli_env(netsim, secret_service.env)
    config = config_file(tmp_path, *SERVERS)
    store(env, PASSWORD)

    done = probe(env, config)
    doc = json.loads(done.stdout)
    assert done.returncode == 0, doc
    signed_in = [(r["server"]["protocol"], r["ok"], r["stage"], r["username_used"])
                 for r in doc["results"]]
    assert signed_in == [(s.protocol, True, "done", ALICE) for s in SERVERS]

    # A server's own entry wins over the account's: a stale one is refused by Postfix alone.
    store(env, STALE, "--server", "smtp:mail.example.test:465")
    done = probe(env, config)
    doc = json.loads(done.stdout)
    assert done.returncode == 1, doc
    imap, pop3, smtp = doc["results"]
    assert imap["ok"] and pop3["ok"] and imap["username_used"] == pop3["username_used"] == ALICE
    assert smtp["error"]["code"] == "auth-failed" and "535" in smtp["error"]["reply"]


@pytest.mark.keyring
def test_nothing_stored_is_bad_usage_and_contacts_no_server(
        netsim: NetSim, secret_service: SecretService, tmp_path: Path) -> None:
    spy = trap(netsim)
    netsim.apply()
    env = cli_env(netsim, secret_service.env)
    config = config_file(tmp_path, Server("imap", spy.name, 993, "ssl"), email=f"nobody@{DOMAIN}")
    message = one_line_failure(probe(env, config, f"nobody@{DOMAIN}"), 2)
    assert f"no password for nobody@{DOMAIN} is stored in the keyring" in message
    assert spy.connections == []


@pytest.mark.keyring
def test_a_locked_keyring_fails_the_job(netsim: NetSim, fresh_secret_service: SecretService,
                                        tmp_path: Path) -> None:
    spy = trap(netsim)
    netsim.apply()
    env = cli_env(netsim, fresh_secret_service.env)
    store(env, PASSWORD)
    fresh_secret_service.lock()
    config = config_file(tmp_path, Server("imap", spy.name, 993, "ssl"))
    message = one_line_failure(probe(env, config), 1)
    assert "Keyring locked" in message and "Unlock your keyring" in message
    assert spy.connections == []


def test_no_keyring_at_all_fails_the_job(netsim: NetSim, tmp_path: Path) -> None:
    spy = trap(netsim)
    netsim.apply()
    env = cli_env(netsim, base_env(tmp_path / "no-bus"))  # no D-Bus, so no Secret Service
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    config = config_file(tmp_path, Server("imap", spy.name, 993, "ssl"))
    message = one_line_failure(probe(env, config), 1)
    assert "No keyring found" in message
    assert spy.connections == []
