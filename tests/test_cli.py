"""The command line as scripts see it: JSON on stdout, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from wizard import __version__


def run(*args: str, stdin: str | None = None, lang: str = "en_US.UTF-8"):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env["LANG"] = lang
    return subprocess.run([sys.executable, "-m", "wizard", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=60)


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"mailwizard {__version__}"


def test_detect_offline_json_for_a_table_provider():
    result = run("detect", "Alice@Yandex.RU", "--json", "--offline")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    obj = json.loads(result.stdout)
    assert obj["schema"] == 1
    assert (obj["email"], obj["domain"], obj["domain_ascii"]) == (
        "Alice@yandex.ru", "yandex.ru", "yandex.ru")
    assert obj["found"] is True and obj["secure"] is True
    assert obj["source"] == "builtin" and obj["source_url"] is None
    assert obj["provider"]["id"] == "yandex.ru"
    first_in, first_out = obj["incoming"][0], obj["outgoing"][0]
    assert (first_in["protocol"], first_in["host"], first_in["port"], first_in["security"]) == (
        "imap", "imap.yandex.ru", 993, "ssl")
    assert (first_out["host"], first_out["port"], first_out["security"]) == (
        "smtp.yandex.ru", 465, "ssl")
    assert "%" not in first_in["username"]
    assert any(n["code"] == "enable-imap" for n in obj["notes"])
    assert obj["attempts"] == [{"source": "builtin", "target": "yandex.ru", "outcome": "ok",
                                "elapsed_ms": obj["attempts"][0]["elapsed_ms"]}]


def test_detect_offline_idn_domain_not_in_table():
    result = run("detect", "иван@почта.рф", "--json", "--offline")
    assert result.returncode == 1
    obj = json.loads(result.stdout)
    assert obj["found"] is False
    assert (obj["domain"], obj["domain_ascii"]) == ("почта.рф", "xn--80a1acny.xn--p1ai")
    assert obj["incoming"] == [] and obj["outgoing"] == [] and obj["provider"] is None
    assert obj["attempts"][0]["outcome"] == "not-found"


def test_detect_offline_readable_summary():
    result = run("detect", "bob@mail.ru", "--offline")
    assert result.returncode == 0
    out = result.stdout
    assert "Mail.Ru" in out or "Mail.ru" in out
    assert "imap.mail.ru:993" in out and "smtp.mail.ru:465" in out
    assert "bundled provider table" in out and "trusted" in out


def test_detect_offline_readable_summary_in_russian():
    result = run("detect", "bob@mail.ru", "--offline", lang="ru_RU.UTF-8")
    assert result.returncode == 0
    assert "Входящая почта" in result.stdout
    assert "встроенная таблица провайдеров" in result.stdout
    english = run("--lang", "en", "detect", "bob@mail.ru", "--offline", lang="ru_RU.UTF-8")
    assert "Incoming mail" in english.stdout


@pytest.mark.parametrize("address", [
    "alice", "a@@b.ru", "a b@c.ru", "alice@localhost", "alice@exa_mple.com",
    "alice@example.com\r\nRCPT TO:<x@evil.com>", "", "@mail.ru", "иван@почта..рф",
])
def test_malformed_address_exits_2_with_one_line(address):
    result = run("detect", address, "--json", "--offline")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mailwizard: ")
    assert "Traceback" not in result.stderr


def test_malformed_address_message_in_russian():
    result = run("detect", "a@@b.ru", "--offline", lang="ru_RU.UTF-8")
    assert result.returncode == 2
    assert "больше одного" in result.stderr


@pytest.mark.parametrize("args", [
    ("detect",),
    ("detect", "a@b.ru", "--timeout", "soon"),
    ("detect", "a@b.ru", "--timeout", "0"),
    ("detect", "a@b.ru", "--bogus"),
    ("frobnicate",),
    ("--lang", "de", "detect", "a@b.ru"),
])
def test_usage_errors_exit_2_with_one_line(args):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "--help" in result.stderr


def test_a_bad_timeout_says_why():
    # The message has a field called "text", like the first parameter of _(): it once
    # raised TypeError there, and argparse showed its generic message instead.
    result = run("detect", "a@b.ru", "--timeout", "soon")
    assert result.returncode == 2
    assert "“soon” is not a number of seconds" in result.stderr


def test_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0
    assert "detect" in result.stdout


def test_no_display_says_so_instead_of_crashing():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "wizard"], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no graphical display" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_no_arguments_open_the_wizard_in_the_chosen_language():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MAILWIZARD_SMOKE_TEST": "1"}
    result = subprocess.run([sys.executable, "-m", "wizard", "--lang", "ru"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "page=0 visible=True" in result.stdout and "lang=ru" in result.stdout
