"""Passwords in the keyring (``wizard.keystore``) and ``mailwizard password``.

The tests marked ``keyring`` run against a real Secret Service: gnome-keyring on a private
D-Bus session bus that ``keyring_fixtures`` starts per module, with HOME in a temporary folder.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pty
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import keyring.core
import keyring_fixtures
import pytest
from keyring.backends import SecretService as secret_service_backend
from keyring_fixtures import (
    LOGIN_PASSWORD,
    SecretService,
    base_env,
    files_holding,
    run_cli,
    use_env,
)

from wizard import keystore
from wizard.address import parse_address
from wizard.i18n import set_language
from wizard.model import Server

# The fixtures, by name: the private Secret Service for this module and for single tests.
secret_service = keyring_fixtures.secret_service
keyring_env = keyring_fixtures.keyring_env
fresh_secret_service = keyring_fixtures.fresh_secret_service
no_login_keyring = keyring_fixtures.no_login_keyring

ALICE = parse_address("alice@example.com")
IMAP = keystore.ServerKey("imap", "imap.example.com", 993)
SMTP = keystore.ServerKey("smtp", "smtp.example.com", 465)
UNICODE_PASSWORD = "Пароль-密码-🔑-é\u0301-שלום-\u00a0tab\there"
LONG_PASSWORD = ("ключ-🔐-" * 400)[:1800]  # about 4 KB of UTF-8


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


def assert_one_line_error(result: subprocess.CompletedProcess[str], status: int) -> str:
    assert result.returncode == status, (result.stdout, result.stderr)
    assert result.stderr.startswith("mailwizard: ") and result.stderr.count("\n") == 1, \
        result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


# --- names and errors (no keyring needed) -----------------------------------------------------


def test_entry_user_names_follow_the_documented_scheme() -> None:
    assert keystore.entry_for(ALICE).user == "alice@example.com"
    assert keystore.entry_for(ALICE, SMTP).user == "smtp://alice@example.com@smtp.example.com:465"
    server = Server("imap", "IMAP.Bücher.Example.", 143, "starttls")
    idn = parse_address("Pöstmeister@Bücher.example")
    assert keystore.entry_for(idn, server).user == \
        "imap://Pöstmeister@bücher.example@imap.xn--bcher-kva.example:143"
    assert keystore.entry_for(ALICE, keystore.ServerKey("pop3", "::1", 995)).user == \
        "pop3://alice@example.com@[::1]:995"


@pytest.mark.parametrize("user", [
    "alice@example.com",
    "smtp://alice@example.com@smtp.example.com:465",
    "imap://Pöstmeister@bücher.example@imap.xn--bcher-kva.example:143",
    "pop3://\"a@b:c\"@example.com@[::1]:995",
])
def test_entry_names_read_back(user: str) -> None:
    entry = keystore.Entry.parse(user)
    assert entry is not None and entry.user == user


@pytest.mark.parametrize("user", [
    keystore.INDEX_USER, "ALICE@EXAMPLE.COM", "ftp://alice@example.com@h.example:21",
    "imap://alice@example.com@h.example", "imap://alice@example.com@H.example:993",
    "imap://not-an-address@h.example:993", "",
])
def test_names_the_wizard_does_not_write_are_not_entries(user: str) -> None:
    assert keystore.Entry.parse(user) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("imap:imap.example.com:993", IMAP),
    (" SMTP:SMTP.Example.COM.:465", SMTP),
    ("pop3:[2001:DB8::1]:995", keystore.ServerKey("pop3", "[2001:db8::1]", 995)),
])
def test_server_keys_are_parsed_and_normalized(text: str,
                                               expected: keystore.ServerKey) -> None:
    assert keystore.ServerKey.parse(text) == expected


@pytest.mark.parametrize("text", ["imap", "imap:host", "ftp:h.example:21", "imap:h.example:0",
                                  "imap:h.example:70000", "imap::993", "imap:bad host:993"])
def test_bad_server_keys_are_refused_with_words(text: str) -> None:
    with pytest.raises(ValueError, match=r"\w+ \w+"):
        keystore.ServerKey.parse(text)


def test_every_error_has_a_title_and_an_actionable_message() -> None:
    errors: list[keystore.KeystoreError] = [
        keystore.KeyringUnavailable("no bus"), keystore.UnsafeKeyring("plain.File"),
        keystore.KeyringLocked("Prompt dismissed"), keystore.KeyringFailure("KWallet", "boom"),
        keystore.PasswordNotFound(keystore.entry_for(ALICE, SMTP)),
    ]
    for error in errors:
        for saving in (False, True):
            error.saving = saving
            assert error.title and error.message and "\n" not in error.message
    locked = errors[2]
    assert "Unlock your keyring" in locked.message
    unavailable = errors[0]
    assert "will not be saved" in unavailable.message  # saving is still True here
    unavailable.saving = False
    assert "will not be saved" not in unavailable.message
    assert "smtp.example.com:465" in errors[4].message


def test_null_and_fail_keyrings_mean_no_keyring(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    use_env(monkeypatch, base_env(tmp_path))
    for name in ("keyring.backends.null.Keyring", "keyring.backends.fail.Keyring"):
        monkeypatch.setenv("PYTHON_KEYRING_BACKEND", name)
        with pytest.raises(keystore.KeyringUnavailable) as caught:
            keystore.save(ALICE, "pw-that-goes-nowhere")
        assert type(caught.value) is keystore.KeyringUnavailable
        assert "will not be saved" in caught.value.message


class LookalikeKeyring(secret_service_backend.Keyring):
    """A Secret Service subclass from another module: not one of the accepted classes."""

    @classmethod  # never viable, so keyring itself never picks it in this test process
    def priority(cls) -> float:  # type: ignore[override]
        raise RuntimeError("a test double")


def test_backends_are_accepted_by_class_not_by_ancestry_or_priority(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_env(monkeypatch, base_env(tmp_path))
    monkeypatch.setattr(keyring.core, "load_env", LookalikeKeyring)
    with pytest.raises(keystore.UnsafeKeyring) as caught:
        keystore.save(ALICE, "pw-for-a-lookalike")
    assert "test_keystore.LookalikeKeyring" in caught.value.message


def test_without_dbus_there_is_no_keyring(monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    use_env(monkeypatch, base_env(tmp_path))
    with pytest.raises(keystore.KeyringUnavailable) as caught:
        keystore.save(ALICE, "pw-without-dbus")
    assert caught.value.title == "No keyring found"
    assert "will not be saved" in caught.value.message
    assert "DBUS_SESSION_BUS_ADDRESS" in caught.value.detail
    with pytest.raises(keystore.KeyringUnavailable):
        keystore.password_for(ALICE, IMAP)
    assert files_holding(tmp_path, "pw-without-dbus") == []


def test_cli_without_dbus_fails_with_the_no_keyring_message(tmp_path: Path) -> None:
    env = base_env(tmp_path)
    result = run_cli(env, "password", "set", "alice@example.com", stdin="pw-cli-no-dbus\n")
    message = assert_one_line_error(result, 1)
    assert "No keyring found" in message and "will not be saved" in message
    assert result.stdout == ""
    for args in (["get", "alice@example.com"], ["list"], ["delete", "alice@example.com"]):
        assert "No keyring found" in assert_one_line_error(run_cli(env, "password", *args), 1)
    assert files_holding(tmp_path, "pw-cli-no-dbus") == []


@pytest.mark.parametrize("args", [
    ["set", "alice@example.com", "hunter2-on-argv"],
    ["set", "alice@example.com", "--password=hunter2-on-argv"],
    ["set", "--server", "imap:imap.example.com:993", "alice@example.com", "hunter2-on-argv"],
    ["set", "-p", "hunter2-on-argv", "alice@example.com"],
])
def test_a_password_on_the_command_line_is_refused_without_repeating_it(
        tmp_path: Path, args: list[str]) -> None:
    result = run_cli(base_env(tmp_path), "password", *args, stdin="pw\n")
    message = assert_one_line_error(result, 2)
    assert "hunter2" not in message and "never taken from the command line" in message
    assert result.stdout == ""


@pytest.mark.parametrize(("args", "stdin", "words"), [
    (["set", "not-an-address"], "pw\n", "@"),
    (["set", "alice@example.com"], "", "empty"),
    (["set", "alice@example.com"], "two\nlines\n", "single line"),
    (["set", "alice@example.com"], "é" * 2049, "too long"),
    (["get", "alice@example.com", "--server", "imap:h.example"], None, "PROTOCOL:HOST:PORT"),
    (["delete"], None, "ADDRESS"),
    ([], None, "ACTION"),
])
def test_bad_usage_exits_2_before_touching_the_keyring(
        tmp_path: Path, args: list[str], stdin: str | None, words: str) -> None:
    result = run_cli(base_env(tmp_path), "password", *args, stdin=stdin)
    assert words in assert_one_line_error(result, 2)
    assert result.stdout == ""


# --- against a real Secret Service -------------------------------------------------------------


@pytest.mark.keyring
def test_store_read_update_delete_and_list(keyring_env: SecretService) -> None:
    bob = parse_address("bob@example.com")
    assert keystore.entries(bob) == []
    assert keystore.save(bob, "first-pw-0001") == keystore.Entry("bob@example.com")
    assert keystore.read(bob) == "first-pw-0001"
    keystore.save(bob, "second-pw-0002")  # overwrites
    assert keystore.read(bob) == "second-pw-0002"
    keystore.replace(bob, "third-pw-0003")
    assert keystore.read(bob) == "third-pw-0003"
    assert keystore.entries(bob) == [keystore.Entry("bob@example.com")]
    assert keystore.backend_name() == "Secret Service"

    assert keystore.delete(bob) == keystore.Entry("bob@example.com")
    with pytest.raises(keystore.PasswordNotFound) as caught:
        keystore.read(bob)
    assert caught.value.title == "No password stored"
    assert keystore.password_for(bob) is None
    assert keystore.entries(bob) == []
    with pytest.raises(keystore.PasswordNotFound):
        keystore.delete(bob)
    with pytest.raises(keystore.PasswordNotFound):
        keystore.replace(bob, "never-stored-pw")
    for secret in ("first-pw-0001", "second-pw-0002", "third-pw-0003"):
        assert files_holding(keyring_env.root, secret) == []


@pytest.mark.keyring
def test_one_entry_per_account_and_server(keyring_env: SecretService) -> None:
    carol = parse_address("carol@example.com")
    keystore.save("carol@example.com", "account-pw-carol")  # a str address is parsed
    keystore.save(carol, "smtp-pw-carol", Server("smtp", "SMTP.example.com", 465, "ssl"))
    assert keystore.password_for(carol, SMTP) == "smtp-pw-carol"
    assert keystore.password_for(carol, IMAP) == "account-pw-carol"  # falls back
    assert keystore.password_for(carol) == "account-pw-carol"
    with pytest.raises(keystore.PasswordNotFound):
        keystore.read(carol, IMAP)  # no fallback unless asked
    assert str(keystore.entries(carol)[1]) == \
        "carol@example.com on the SMTP server smtp.example.com:465"
    assert keystore.entries("carol@example.com") == [keystore.Entry("carol@example.com"),
                                       keystore.Entry("carol@example.com", SMTP)]
    keystore.delete(carol)
    assert keystore.password_for(carol, IMAP) is None
    assert keystore.password_for(carol, SMTP) == "smtp-pw-carol"
    keystore.delete(carol, SMTP)
    assert keystore.entries(carol) == []


@pytest.mark.keyring
def test_the_index_lists_every_account_and_forgets_removed_entries(
        keyring_env: SecretService) -> None:
    dave, erin = parse_address("dave@example.com"), parse_address("erin@example.com")
    keystore.save(dave, "dave-pw-123")
    keystore.save(erin, "erin-pw-123", IMAP)
    listed = keystore.entries()
    assert keystore.Entry("dave@example.com") in listed
    assert keystore.Entry("erin@example.com", IMAP) in listed
    # Removed by another program (e.g. the desktop's password manager): no longer listed.
    keystore.current_backend().delete_password(keystore.SERVICE, "dave@example.com")
    assert keystore.Entry("dave@example.com") not in keystore.entries()
    keystore.delete(erin, IMAP)
    assert keystore.entries(erin) == []


@pytest.mark.keyring
def test_a_damaged_index_is_started_again(keyring_env: SecretService) -> None:
    peggy = parse_address("peggy@example.com")
    keystore.current_backend().set_password(keystore.SERVICE, keystore.INDEX_USER, "{not json")
    assert keystore.entries() == []
    keystore.save(peggy, "peggy-pw-123")
    assert keystore.entries() == [keystore.Entry("peggy@example.com")]
    keystore.delete(peggy)
    assert keystore.current_backend().get_password(keystore.SERVICE, keystore.INDEX_USER) is None


@pytest.mark.keyring
@pytest.mark.parametrize("password", [
    UNICODE_PASSWORD, LONG_PASSWORD, "x" * 65536, " leading and trailing spaces ", "a",
], ids=["unicode", "4KB", "64KiB", "spaces", "one-char"])
def test_unicode_and_long_passwords_come_back_exactly(keyring_env: SecretService,
                                                      password: str) -> None:
    frank = parse_address("frank@example.com")
    keystore.save(frank, password, SMTP)
    assert keystore.read(frank, SMTP) == password
    keystore.delete(frank, SMTP)
    if len(password) > 8:
        assert files_holding(keyring_env.root, password) == []


@pytest.mark.keyring
def test_a_locked_keyring_gives_the_unlock_message(fresh_secret_service: SecretService,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    use_env(monkeypatch, fresh_secret_service.env)
    keystore.save(ALICE, "pw-before-lock-1")
    fresh_secret_service.lock()
    for operation in (lambda: keystore.read(ALICE), lambda: keystore.entries(),
                      lambda: keystore.delete(ALICE), lambda: keystore.password_for(ALICE)):
        with pytest.raises(keystore.KeyringLocked) as caught:
            operation()
        assert caught.value.title == "Keyring locked"
        assert "Unlock your keyring" in caught.value.message
    with pytest.raises(keystore.KeyringLocked) as caught:
        keystore.save(ALICE, "pw-after-lock-2")
    assert "continue without saving the password" in caught.value.message
    assert files_holding(fresh_secret_service.root, "pw-before-lock-1") == []
    assert files_holding(fresh_secret_service.root, "pw-after-lock-2") == []


@pytest.mark.keyring
def test_no_login_keyring_and_a_dismissed_prompt_is_locked(
        no_login_keyring: SecretService, monkeypatch: pytest.MonkeyPatch) -> None:
    use_env(monkeypatch, no_login_keyring.env)
    with pytest.raises(keystore.KeyringLocked) as caught:
        keystore.save(ALICE, "pw-nowhere-to-go")
    assert "Prompt dismissed" in caught.value.detail
    result = run_cli(no_login_keyring.env, "password", "set", "alice@example.com",
                     stdin="pw-nowhere-to-go\n")
    assert "Keyring locked" in assert_one_line_error(result, 1)
    assert files_holding(no_login_keyring.root, "pw-nowhere-to-go") == []


# --- the command line, end to end --------------------------------------------------------------


@pytest.mark.keyring
def test_cli_set_get_list_delete(secret_service: SecretService) -> None:
    env, secret = secret_service.env, "cli-pw-Ünïcødé-🔑"
    result = run_cli(env, "password", "set", "grace@example.com", stdin=secret + "\n")
    assert result.returncode == 0, result.stderr
    assert "grace@example.com" in result.stdout and "Secret Service" in result.stdout
    assert secret not in result.stdout + result.stderr and secret not in result.args

    result = run_cli(env, "password", "get", "grace@example.com")
    assert (result.returncode, result.stdout, result.stderr) == (0, secret + "\n", "")

    result = run_cli(env, "password", "set", "grace@example.com", "--server",
                     "SMTP:smtp.Example.com:465", stdin="smtp-" + secret)
    assert result.returncode == 0, result.stderr
    result = run_cli(env, "password", "get", "grace@example.com", "--server",
                     "smtp:smtp.example.com:465")
    assert result.stdout == "smtp-" + secret + "\n"
    result = run_cli(env, "password", "get", "grace@example.com", "--server",
                     "imap:imap.example.com:993")
    assert result.stdout == secret + "\n"  # the account's password

    for args in (["list"], ["list", "grace@example.com"], ["list", "--json"]):
        result = run_cli(env, "password", *args)
        assert result.returncode == 0, result.stderr
        assert secret not in result.stdout + result.stderr
        assert "grace@example.com" in result.stdout
    listing = json.loads(result.stdout)
    assert listing["service"] == "MailWizard" and listing["error"] is None
    mine = [e for e in listing["entries"] if e["email"] == "grace@example.com"]
    assert mine == [
        {"email": "grace@example.com", "server": None, "keyring_user": "grace@example.com"},
        {"email": "grace@example.com",
         "server": {"protocol": "smtp", "host": "smtp.example.com", "port": 465},
         "keyring_user": "smtp://grace@example.com@smtp.example.com:465"},
    ]

    result = run_cli(env, "password", "delete", "grace@example.com")
    assert result.returncode == 0 and "grace@example.com" in result.stdout
    message = assert_one_line_error(run_cli(env, "password", "get", "grace@example.com"), 1)
    assert "No password stored" in message and secret not in message
    assert_one_line_error(run_cli(env, "password", "delete", "grace@example.com"), 1)
    run_cli(env, "password", "delete", "grace@example.com", "--server",
            "smtp:smtp.example.com:465")
    listing = json.loads(run_cli(env, "password", "list", "grace@example.com", "--json").stdout)
    assert listing["entries"] == []
    assert files_holding(secret_service.root, secret) == []


@pytest.mark.keyring
def test_cli_takes_a_4kb_unicode_password_and_refuses_a_longer_one(
        secret_service: SecretService) -> None:
    env = secret_service.env
    secret = ("пароль🔑" * 400)[:1500]
    secret += "x" * (4096 - len(secret.encode()))
    assert len(secret.encode()) == 4096
    result = run_cli(env, "password", "set", "heidi@example.com", stdin=secret)
    assert result.returncode == 0, result.stderr
    assert run_cli(env, "password", "get", "heidi@example.com").stdout == secret + "\n"
    result = run_cli(env, "password", "set", "heidi@example.com", stdin=secret + "y")
    assert "too long" in assert_one_line_error(result, 2)
    assert run_cli(env, "password", "get", "heidi@example.com").stdout == secret + "\n"
    assert run_cli(env, "password", "delete", "heidi@example.com").returncode == 0
    assert files_holding(secret_service.root, secret) == []


@pytest.mark.keyring
def test_cli_on_a_locked_keyring(fresh_secret_service: SecretService) -> None:
    env = fresh_secret_service.env
    assert run_cli(env, "password", "set", "ivan@example.com", stdin="ivan-pw-42").returncode == 0
    fresh_secret_service.lock()
    for args in (["get", "ivan@example.com"], ["delete", "ivan@example.com"], ["list"]):
        message = assert_one_line_error(run_cli(env, "password", *args), 1)
        assert "Keyring locked" in message and "Unlock your keyring" in message
    result = run_cli(env, "password", "set", "ivan@example.com", stdin="ivan-pw-43")
    assert "continue without saving" in assert_one_line_error(result, 1)
    result = run_cli(env, "password", "list", "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["error"]["code"] == "keyring-locked"
    assert files_holding(fresh_secret_service.root, "ivan-pw-4") == []


@pytest.mark.keyring
def test_cli_prompts_without_echo_at_a_terminal(secret_service: SecretService) -> None:
    secret = "typed-at-a-tty-Ω-123"
    pid, fd = pty.fork()
    if pid == 0:  # the child: its controlling terminal is the pty
        try:
            os.execve(sys.executable, [sys.executable, "-m", "wizard", "password", "set",
                                       "judy@example.com"], secret_service.env)
        finally:
            os._exit(127)
    seen = b""
    try:
        for _attempt in range(2):
            seen += _read_until(fd, b": ")
            os.write(fd, secret.encode() + b"\n")
        seen += _read_until(fd, None)
    finally:
        _pid, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert b"Password for judy@example.com" in seen and b"Saved" in seen
    assert secret.encode() not in seen  # not echoed
    assert run_cli(secret_service.env, "password", "get", "judy@example.com").stdout == \
        secret + "\n"
    run_cli(secret_service.env, "password", "delete", "judy@example.com")


def _read_until(fd: int, marker: bytes | None, timeout: float = 20) -> bytes:
    data, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            return data
        if not chunk:
            return data
        data += chunk
        if marker is not None and data.rstrip().endswith(marker.rstrip()):
            return data
    raise AssertionError(f"timed out waiting for {marker!r}; got {data!r}")


# --- a plaintext backend installed (keyrings.alt, or a stand-in with a huge priority) ----------


@dataclass(frozen=True)
class PlaintextBackend:
    name: str  # what PYTHON_KEYRING_BACKEND would say
    path: str | None  # a folder for PYTHONPATH, or None when already importable


STAND_IN = '''\
import json, os, pathlib
from keyring.backend import KeyringBackend

class PlaintextKeyring(KeyringBackend):
    """Keeps passwords in a JSON file in HOME, and claims to be the best keyring there is."""
    priority = 50

    def _load(self):
        path = pathlib.Path(os.environ["HOME"], "plainstore.json")
        return path, (json.loads(path.read_text()) if path.exists() else {})

    def get_password(self, service, username):
        return self._load()[1].get(f"{service}/{username}")

    def set_password(self, service, username, password):
        path, data = self._load()
        data[f"{service}/{username}"] = password
        path.write_text(json.dumps(data))

    def delete_password(self, service, username):
        path, data = self._load()
        del data[f"{service}/{username}"]
        path.write_text(json.dumps(data))
'''


def _keyrings_alt(folder: Path) -> PlaintextBackend:
    name = "keyrings.alt.file.PlaintextKeyring"
    if importlib.util.find_spec("keyrings") and importlib.util.find_spec("keyrings.alt"):
        return PlaintextBackend(name, None)
    if os.environ.get("MAILWIZARD_TEST_KEYRINGS_ALT"):
        return PlaintextBackend(name, os.environ["MAILWIZARD_TEST_KEYRINGS_ALT"])
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--no-deps", "--retries", "0", "--timeout", "15", "--target", str(folder),
         "keyrings.alt"], capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        pytest.skip("keyrings.alt is not installed and pip could not fetch it (no network?); "
                    "set MAILWIZARD_TEST_KEYRINGS_ALT to a folder made with "
                    "`pip install --target DIR --no-deps keyrings.alt`")
    return PlaintextBackend(name, str(folder))


@pytest.fixture(scope="module", params=["keyrings.alt", "stand-in"])
def plaintext_backend(request: pytest.FixtureRequest,
                      tmp_path_factory: pytest.TempPathFactory) -> PlaintextBackend:
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "keyrings.alt":
        return _keyrings_alt(folder)
    (folder / "plainstore.py").write_text(STAND_IN)
    dist = folder / "plainstore-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: plainstore\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[keyring.backends]\nplainstore = plainstore\n")
    return PlaintextBackend("plainstore.PlaintextKeyring", str(folder))


def _with_backend(env: dict[str, str], backend: PlaintextBackend) -> dict[str, str]:
    return {**env, "PYTHONPATH": backend.path} if backend.path else dict(env)


def _keyring_own_choice(env: dict[str, str]) -> str:
    code = "import keyring; k = keyring.get_keyring(); print(type(k).__module__)"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=60, check=True).stdout.strip()


def test_installed_plaintext_backend_is_not_used_without_a_keyring(
        plaintext_backend: PlaintextBackend, tmp_path: Path) -> None:
    env = _with_backend(base_env(tmp_path), plaintext_backend)
    module = plaintext_backend.name.rsplit(".", 1)[0]
    assert _keyring_own_choice(env) == module  # keyring alone would write a plaintext file
    secret = "pw-would-be-plaintext-1"
    result = run_cli(env, "password", "set", "alice@example.com", stdin=secret)
    message = assert_one_line_error(result, 1)
    assert "No keyring found" in message and "will not be saved" in message
    assert files_holding(tmp_path, secret) == []


@pytest.mark.keyring
@pytest.mark.parametrize("how", ["environment", "keyringrc.cfg"])
def test_a_plaintext_backend_chosen_in_the_settings_is_refused(
        plaintext_backend: PlaintextBackend, secret_service: SecretService,
        how: str, tmp_path: Path) -> None:
    env = _with_backend({**secret_service.env, **base_env(tmp_path)}, plaintext_backend)
    if how == "environment":
        env["PYTHON_KEYRING_BACKEND"] = plaintext_backend.name
    else:
        config = Path(env["XDG_CONFIG_HOME"], "python_keyring")
        config.mkdir(parents=True)
        (config / "keyringrc.cfg").write_text(
            f"[backend]\ndefault-keyring={plaintext_backend.name}\n")
    secret = "pw-would-be-plaintext-2"
    result = run_cli(env, "password", "set", "alice@example.com", stdin=secret)
    message = assert_one_line_error(result, 1)
    assert "Unsafe keyring not used" in message and plaintext_backend.name in message
    assert "will not be saved" in message
    assert "Unsafe keyring not used" in assert_one_line_error(
        run_cli(env, "password", "get", "alice@example.com"), 1)
    assert files_holding(tmp_path, secret) == []
    assert files_holding(secret_service.root, secret) == []


@pytest.mark.keyring
def test_with_a_plaintext_backend_installed_the_secret_service_is_used(
        plaintext_backend: PlaintextBackend, secret_service: SecretService,
        tmp_path: Path) -> None:
    env = _with_backend(secret_service.env, plaintext_backend)
    secret = "pw-goes-to-secret-service-3"
    result = run_cli(env, "password", "set", "mallory@example.com", stdin=secret)
    assert result.returncode == 0, result.stderr
    assert "Secret Service" in result.stdout
    assert run_cli(secret_service.env, "password", "get",  # without the plugin: same entry
                   "mallory@example.com").stdout == secret + "\n"
    assert run_cli(env, "password", "delete", "mallory@example.com").returncode == 0
    assert files_holding(secret_service.root, secret) == []
    assert not list(secret_service.home.rglob("plainstore.json"))
    assert not list(secret_service.home.rglob("keyring_pass.cfg"))


@pytest.mark.keyring
def test_the_keyring_file_under_home_changes_but_never_holds_the_password(
        keyring_env: SecretService) -> None:
    # The "no file holds the password" checks mean something only if gnome-keyring really
    # writes the password to a file under the test HOME: it does, encrypted.
    keyrings = list(keyring_env.home.rglob("login.keyring"))
    assert len(keyrings) == 1, "gnome-keyring keeps no login.keyring under the test HOME"
    before = keyrings[0].read_bytes()
    secret = "pw-written-encrypted-" + "Ж" * 40
    keystore.save(parse_address("oscar@example.com"), secret)
    after = keyrings[0].read_bytes()
    assert after != before and len(after) > len(before) + 40
    assert files_holding(keyring_env.root, secret) == []
    assert files_holding(keyring_env.root, LOGIN_PASSWORD) == []
    keystore.delete(parse_address("oscar@example.com"))
