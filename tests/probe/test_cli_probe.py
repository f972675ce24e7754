"""``mailwizard probe`` end to end against in-process servers (plain text, on 127.0.0.1)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from wizard.cli import main

from .fakeserver import Account, FakeServer, imap_handler, pop3_handler, smtp_handler
from .secrets import assert_no_secret, contains_secret


def _config(tmp_path: Path, *servers: tuple[str, int], secure: bool = True,
            source: str = "builtin") -> str:
    def entry(protocol: str, port: int) -> dict[str, object]:
        return {"protocol": protocol, "host": "127.0.0.1", "port": port, "security": "plain",
                "auth": ["password-cleartext"], "username": "%EMAILADDRESS%"}

    doc = {"schema": 1, "email": "alice@example.test", "source": source, "secure": secure,
           "incoming": [entry(p, port) for p, port in servers if p != "smtp"],
           "outgoing": [entry(p, port) for p, port in servers if p == "smtp"]}
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(doc))
    return str(path)


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


@pytest.fixture
def three() -> tuple[Account, FakeServer, FakeServer, FakeServer]:
    account = Account()
    servers = (FakeServer(imap_handler(account, starttls=False)),
               FakeServer(pop3_handler(account, starttls=False)),
               FakeServer(smtp_handler(account, starttls=False)))
    yield account, *servers  # type: ignore[misc]
    for server in servers:
        server.close()


def test_json_success_and_no_password_anywhere(
        three: tuple[Account, FakeServer, FakeServer, FakeServer], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    account, imap, pop3, smtp = three
    config = _config(tmp_path, ("imap", imap.port), ("pop3", pop3.port), ("smtp", smtp.port))
    _stdin(monkeypatch, account.password + "\n")
    status = main(["probe", "alice@example.test", "--json", "--config", config,
                   "--password-stdin", "--allow-plaintext"])
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert status == 0, doc
    assert [r["ok"] for r in doc["results"]] == [True, True, True]
    assert [r["stage"] for r in doc["results"]] == ["done"] * 3
    assert {r["username_used"] for r in doc["results"]} == {"alice@example.test"}
    assert doc["schema"] == 1 and doc["email"] == "alice@example.test"
    assert doc["round_trip"] is None
    assert_no_secret(out + err, account.password)
    for server in (imap, pop3, smtp):
        assert contains_secret(server.data, account.password)  # it really signed in


def test_human_output_is_a_checklist_with_the_diagnosis(
        three: tuple[Account, FakeServer, FakeServer, FakeServer], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _account, imap, _pop3, smtp = three
    config = _config(tmp_path, ("imap", imap.port), ("smtp", smtp.port))
    _stdin(monkeypatch, "wrong password\n")
    status = main(["probe", "alice@example.test", "--config", config, "--password-stdin",
                   "--allow-plaintext", "--transcript"])
    out, err = capsys.readouterr()
    assert status == 1
    assert "✓ connected" in out and "✓ capabilities read" in out
    assert "did not accept the user name or the password" in out
    assert "What to do:" in out and "AUTHENTICATE PLAIN ********" in out
    assert_no_secret(out + err, "wrong password")


def test_plaintext_is_refused_without_the_flag(
        three: tuple[Account, FakeServer, FakeServer, FakeServer], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    account, imap, _pop3, _smtp = three
    config = _config(tmp_path, ("imap", imap.port))
    _stdin(monkeypatch, account.password)
    status = main(["probe", "alice@example.test", "--json", "--config", config,
                   "--password-stdin"])
    doc = json.loads(capsys.readouterr().out)
    assert status == 1
    assert doc["results"][0]["error"]["code"] == "plaintext-refused"
    assert not contains_secret(imap.data, account.password) and account.tried == []


def test_insecure_config_is_refused_without_the_flag(
        three: tuple[Account, FakeServer, FakeServer, FakeServer], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    account, _imap, _pop3, smtp = three
    config = _config(tmp_path, ("smtp", smtp.port), secure=False, source="guess")
    _stdin(monkeypatch, account.password)
    status = main(["probe", "alice@example.test", "--json", "--config", config,
                   "--password-stdin", "--allow-plaintext"])
    doc = json.loads(capsys.readouterr().out)
    assert status == 1
    assert doc["results"][0]["error"]["code"] == "insecure-source-refused"
    assert not contains_secret(smtp.data, account.password) and account.tried == []


@pytest.mark.parametrize(
    "argv",
    [
        ["probe", "not an address", "--offline"],
        ["probe", "not an address"],
        ["probe", "alice@example.test", "--config", "/nonexistent/settings.json"],
        ["probe", "alice@example.test", "--timeout", "0"],
        ["probe", "alice@example.test", "--round-trip", "--config", "CONFIG"],
        ["probe", "alice@example.test", "--config", "CONFIG", "--trust-fingerprint", "ab:cd"],
        ["probe", "alice@example.test", "--config", "CONFIG", "--trust-fingerprint", "g" * 64],
        ["probe", "alice@example.test", "--config", "CONFIG", "--trust-fingerprint"],
    ],
)
def test_usage_errors_exit_2_with_one_line(argv: list[str], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, ("imap", 1))
    status = main([config if a == "CONFIG" else a for a in argv])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    if "--trust-fingerprint" in argv and argv[-1] != "--trust-fingerprint":
        assert "is not a SHA-256 fingerprint" in err
