"""The Thunderbird profile export: prefs.js reading and writing, keys, locks, profiles.ini."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from wizard.export import ExportError, ProfileInUseError, export, find_profiles, profile_in_use
from wizard.export import thunderbird_profile as tbp
from wizard.export.prefs import PrefsError, format_pref, parse_prefs, rewrite

from .conftest import NAME, imap_settings, pop3_settings


def prefs_of(profile: Path) -> dict[str, object]:
    return {p.name: p.value for p in parse_prefs((profile / "prefs.js").read_text("utf-8"))}


# --- prefs.js syntax ------------------------------------------------------------------------

TRICKY = textwrap.dedent("""\
    // Mozilla User Preferences
    # a hash comment
    /* a block
       comment */
    user_pref("a.string", "quote \\" backslash \\\\ newline \\n tab\\u0009 \\x41");
    user_pref('single', 'it\\'s');
    user_pref("neg", -42);  user_pref("flag", false);
    pref("sticky.one", true, sticky);
    sticky_pref("s2", "x");
    user_pref("emoji", "\\ud83d\\ude00 and ü");
    """)


def test_the_reader_understands_mozillas_syntax() -> None:
    values = {p.name: p.value for p in parse_prefs(TRICKY)}
    assert values == {
        "a.string": 'quote " backslash \\ newline \n tab\t A',
        "single": "it's",
        "neg": -42,
        "flag": False,
        "sticky.one": True,
        "s2": "x",
        "emoji": "\U0001F600 and ü",
    }


@pytest.mark.parametrize("damaged", [
    'user_pref("a", "unterminated);\n',
    'user_pref("a" 1);\n',
    'user_pref("a", 1)\n',
    "/* never closed\n",
    'user_pref("a", nonsense);\n',
    'evil_pref("a", 1);\n',
])
def test_a_damaged_file_is_reported_with_its_line(damaged: str) -> None:
    with pytest.raises(PrefsError, match="line"):
        parse_prefs("// ok\n" + damaged)


@pytest.mark.parametrize("value", ["plain", 'q"uo\\te', "line\nbreak", "\x01", "ünï €", 7, True])
def test_written_values_read_back_identically(value: str | int | bool) -> None:
    (pref,) = parse_prefs(format_pref("x.y", value))
    assert pref.value == value


def test_rewriting_keeps_every_other_byte() -> None:
    prefs = parse_prefs(TRICKY)
    out = rewrite(TRICKY, prefs, {"neg": 1, "new.one": "n"})
    assert out.startswith(TRICKY.split('user_pref("neg"')[0])
    assert 'user_pref("flag", false);' in out
    assert "/* a block\n   comment */" in out
    values = {p.name: p.value for p in parse_prefs(out)}
    assert values["neg"] == 1 and values["new.one"] == "n" and values["emoji"] == "\U0001F600 and ü"
    assert [p.name for p in parse_prefs(out)].count("neg") == 1


# --- a new profile --------------------------------------------------------------------------

def test_an_empty_folder_becomes_a_profile_with_just_this_account(tmp_path: Path) -> None:
    profile = tmp_path / "new"
    result = export("thunderbird", imap_settings(), NAME, None, profile)
    assert result.paths == (profile / "prefs.js",)
    prefs = prefs_of(profile)
    assert prefs["mail.accountmanager.accounts"] == "account1,account2"
    assert prefs["mail.accountmanager.defaultaccount"] == "account1"
    assert prefs["mail.account.account1.server"] == "server1"
    assert prefs["mail.account.account1.identities"] == "id1"
    server = {k.removeprefix("mail.server.server1."): v for k, v in prefs.items()
              if k.startswith("mail.server.server1.")}
    assert server["type"] == "imap"
    assert server["hostname"] == "imap.example.com"
    assert server["port"] == 993
    assert server["socketType"] == 3
    assert server["authMethod"] == 3
    assert server["userName"] == "alice@example.com"
    assert prefs["mail.identity.id1.useremail"] == "alice@example.com"
    assert prefs["mail.identity.id1.fullName"] == NAME
    assert prefs["mail.identity.id1.smtpServer"] == "smtp1"
    assert prefs["mail.identity.id1.valid"] is True
    assert prefs["mail.identity.id1.fcc_folder"] == \
        "imap://alice%40example.com@imap.example.com/Sent"
    assert prefs["mail.smtpservers"] == "smtp1"
    assert prefs["mail.smtp.defaultserver"] == "smtp1"
    assert prefs["mail.smtpserver.smtp1.hostname"] == "smtp.example.com"
    assert prefs["mail.smtpserver.smtp1.port"] == 587
    assert prefs["mail.smtpserver.smtp1.try_ssl"] == 2
    assert prefs["mail.smtpserver.smtp1.authMethod"] == 3
    assert prefs["mail.smtpserver.smtp1.username"] == "alice@example.com"
    assert prefs["mail.accountmanager.localfoldersserver"] == "server2"
    assert prefs["mail.server.server2.type"] == "none"
    assert prefs["mail.account.lastKey"] == 2
    assert (profile / "prefs.js").stat().st_mode & 0o777 == 0o600
    assert not (profile / ".parentlock").exists()


def test_pop3_gets_thunderbirds_pop3_settings(tmp_path: Path) -> None:
    export("thunderbird", pop3_settings(), None, None, tmp_path)
    prefs = prefs_of(tmp_path)
    assert prefs["mail.server.server1.type"] == "pop3"
    assert prefs["mail.server.server1.socketType"] == 2
    assert prefs["mail.server.server1.userName"] == "bob"
    assert prefs["mail.server.server1.leave_on_server"] is True
    assert prefs["mail.identity.id1.fcc_folder"] == "mailbox://bob@pop.example.org/Sent"
    assert prefs["mail.smtpserver.smtp1.try_ssl"] == 3


def test_a_folder_with_other_files_is_not_taken_for_a_profile(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ExportError, match="neither a Thunderbird profile"):
        export("thunderbird", imap_settings(), None, None, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


# --- an existing profile --------------------------------------------------------------------

EXISTING = textwrap.dedent("""\
    // Mozilla User Preferences

    // comment kept
    user_pref("browser.some.pref", "kept");
    user_pref("mail.account.account1.identities", "id1");
    user_pref("mail.account.account1.server", "server1");
    user_pref("mail.account.account2.server", "server2");
    user_pref("mail.account.lastKey", 4);
    user_pref("mail.accountmanager.accounts", "account1,account2");
    user_pref("mail.accountmanager.defaultaccount", "account1");
    user_pref("mail.accountmanager.localfoldersserver", "server2");
    user_pref("mail.identity.id1.useremail", "old@example.com");
    user_pref("mail.identity.id1.smtpServer", "smtp1");
    user_pref("mail.identity.id2.useremail", "orphan@example.com");
    user_pref("mail.server.server1.hostname", "imap.old.example");
    user_pref("mail.server.server1.name", "old@example.com");
    user_pref("mail.server.server1.type", "imap");
    user_pref("mail.server.server1.userName", "old@example.com");
    user_pref("mail.server.server2.hostname", "Local Folders");
    user_pref("mail.server.server2.type", "none");
    user_pref("mail.server.server3.directory", "/leftover");
    user_pref("mail.smtp.defaultserver", "smtp1");
    user_pref("mail.smtpserver.smtp1.hostname", "smtp.old.example");
    user_pref("mail.smtpservers", "smtp1");
    """)


def test_an_existing_profile_gains_the_account_under_free_keys(tmp_path: Path) -> None:
    (tmp_path / "prefs.js").write_text(EXISTING, "utf-8")
    result = export("thunderbird", imap_settings(), None, None, tmp_path)
    backup, prefs_path = result.paths
    assert backup.read_text("utf-8") == EXISTING
    assert backup.stat().st_mode & 0o777 == 0o600
    prefs = prefs_of(tmp_path)
    # account5 (above lastKey 4), server4 (server3 has leftovers), id3, smtp2
    assert prefs["mail.accountmanager.accounts"] == "account1,account2,account5"
    assert prefs["mail.account.account5.server"] == "server4"
    assert prefs["mail.account.account5.identities"] == "id3"
    assert prefs["mail.account.lastKey"] == 5
    assert prefs["mail.server.server4.hostname"] == "imap.example.com"
    assert prefs["mail.identity.id3.smtpServer"] == "smtp2"
    assert prefs["mail.smtpservers"] == "smtp1,smtp2"
    # what was there stays as it was, defaults included
    assert prefs["mail.accountmanager.defaultaccount"] == "account1"
    assert prefs["mail.smtp.defaultserver"] == "smtp1"
    assert prefs["mail.accountmanager.localfoldersserver"] == "server2"
    assert prefs["browser.some.pref"] == "kept"
    assert prefs["mail.server.server3.directory"] == "/leftover"
    assert "// comment kept" in prefs_path.read_text("utf-8")


def test_the_same_account_is_not_added_twice(tmp_path: Path) -> None:
    export("thunderbird", imap_settings(), None, None, tmp_path)
    before = (tmp_path / "prefs.js").read_bytes()
    with pytest.raises(ExportError, match="already has the account"):
        export("thunderbird", imap_settings(), None, None, tmp_path)
    assert (tmp_path / "prefs.js").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prefs.js"]


def test_a_damaged_prefs_js_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "prefs.js").write_text('user_pref("broken", ;\n')
    with pytest.raises(ExportError, match="looks damaged"):
        export("thunderbird", imap_settings(), None, None, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prefs.js"]


# --- the profile lock -----------------------------------------------------------------------

@pytest.mark.skipif(sys.platform == "win32", reason="the symlink lock is Linux and macOS")
def test_a_live_lock_link_means_thunderbird_runs(tmp_path: Path) -> None:
    (tmp_path / "prefs.js").write_text(EXISTING)
    os.symlink(f"127.0.0.1:+{os.getpid()}", tmp_path / "lock")
    assert profile_in_use(tmp_path)
    with pytest.raises(ProfileInUseError,
                       match=r"\(process \d+\) is using it; close Thunderbird first"):
        export("thunderbird", imap_settings(), None, None, tmp_path)
    assert (tmp_path / "prefs.js").read_text() == EXISTING


@pytest.mark.skipif(sys.platform == "win32", reason="the symlink lock is Linux and macOS")
def test_a_stale_lock_link_is_ignored(tmp_path: Path) -> None:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    dead_pid = int(child.stdout)
    os.symlink(f"127.0.0.1:+{dead_pid}", tmp_path / "lock")
    assert profile_in_use(tmp_path) is None
    export("thunderbird", imap_settings(), None, None, tmp_path)
    assert prefs_of(tmp_path)["mail.server.server1.hostname"] == "imap.example.com"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX record locks")
def test_a_held_parentlock_means_thunderbird_runs(tmp_path: Path) -> None:
    (tmp_path / "prefs.js").write_text(EXISTING)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT);"
         "fcntl.lockf(fd, fcntl.LOCK_EX); print('held', flush=True); sys.stdin.read()",
         str(tmp_path / ".parentlock")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert profile_in_use(tmp_path)
        with pytest.raises(ProfileInUseError):
            export("thunderbird", imap_settings(), None, None, tmp_path)
        assert (tmp_path / "prefs.js").read_text() == EXISTING
    finally:
        holder.communicate(timeout=10)  # closes its stdin, so it lets go
    assert profile_in_use(tmp_path) is None


# --- finding profiles -----------------------------------------------------------------------

PROFILES_INI = textwrap.dedent("""\
    [Profile1]
    Name=other
    IsRelative=0
    Path={absolute}
    Default=1

    [Profile0]
    Name=default-release
    IsRelative=1
    Path=abcd1234.default-release

    [General]
    StartWithLastProfile=1
    Version=2

    [Install6F193CCC56814779]
    Default=abcd1234.default-release
    Locked=1
    """)


def test_profiles_ini_is_read_and_the_installs_default_comes_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tbp.sys, "platform", "linux")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    root = tmp_path / ".thunderbird"
    root.mkdir()
    (root / "profiles.ini").write_text(PROFILES_INI.format(absolute=tmp_path / "elsewhere"))
    profiles = find_profiles()
    assert [(p.name, p.path, p.default) for p in profiles] == [
        ("default-release", root / "abcd1234.default-release", True),
        ("other", tmp_path / "elsewhere", False),
    ]


@pytest.mark.parametrize(("platform", "expected"), [
    ("win32", "{appdata}/Thunderbird"),
    ("darwin", "{home}/Library/Thunderbird"),
    ("linux", "{home}/.thunderbird"),
])
def test_the_standard_places_of_each_system(platform: str, expected: str, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tbp.sys, "platform", platform)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    roots = tbp.profile_roots()
    assert roots[0] == Path(expected.format(home=tmp_path, appdata=tmp_path / "Roaming"))


def test_no_profiles_ini_means_no_profiles(tmp_path: Path) -> None:
    assert find_profiles([tmp_path]) == []
