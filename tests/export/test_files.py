"""Writing is all-or-nothing, secrets get mode 0600, and passwords appear only when asked."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import wizard.export as export_api
from wizard.export import ExportError, files
from wizard.export.files import OutFile, write_all

from .conftest import NASTY_PASSWORD, imap_settings

PASSWORD = "Secret-Pa55word-xyz"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def listing(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


def test_secret_files_get_0600_and_public_files_0644(tmp_path: Path) -> None:
    write_all([OutFile(tmp_path / "secret", b"s", secret=True),
               OutFile(tmp_path / "public", b"p")])
    assert mode(tmp_path / "secret") == 0o600
    assert mode(tmp_path / "public") == 0o644


def test_missing_folders_are_created_private_when_they_hold_secrets(tmp_path: Path) -> None:
    write_all([OutFile(tmp_path / "a" / "b" / "secret", b"s", secret=True)])
    assert mode(tmp_path / "a") == 0o700
    assert mode(tmp_path / "a" / "b") == 0o700


def test_an_existing_file_is_kept_unless_overwriting_is_allowed(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_bytes(b"old")
    with pytest.raises(ExportError, match="already exists"):
        write_all([OutFile(target, b"new")])
    assert target.read_bytes() == b"old"
    write_all([OutFile(target, b"new")], overwrite=True)
    assert target.read_bytes() == b"new"


def test_a_failure_while_writing_leaves_nothing_behind(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "keep").write_bytes(b"old")
    real_fsync = os.fsync
    calls = []

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", failing_fsync)
    with pytest.raises(ExportError, match="No space left"):
        write_all([OutFile(tmp_path / "keep", b"new one", secret=True),
                   OutFile(tmp_path / "sub" / "second", b"two")], overwrite=True)
    assert listing(tmp_path) == {"keep": b"old"}


def test_a_failed_rename_restores_every_file(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "first").write_bytes(b"old first")
    real_replace = os.replace
    calls = []

    def failing_replace(src: str | Path, dst: str | Path) -> None:
        calls.append(dst)
        if len(calls) == 3:
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", failing_replace)
    with pytest.raises(ExportError, match="Permission denied"):
        write_all([OutFile(tmp_path / "first", b"new first"),
                   OutFile(tmp_path / "second", b"new second"),
                   OutFile(tmp_path / "third", b"new third")], overwrite=True)
    assert listing(tmp_path) == {"first": b"old first"}


def test_an_interrupt_while_writing_leaves_nothing_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_all([OutFile(tmp_path / "new" / "file", b"x")])
    assert listing(tmp_path) == {}


ALL_FORMATS = [f.format for f in export_api.formats()]


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_no_password_is_written_without_being_asked(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / "out" / export_api.exporter(fmt).default_name(imap_settings().address)
    result = export_api.export(fmt, imap_settings(), "Alice", None, out)
    assert result.paths
    for path in result.paths:
        data = path.read_bytes()
        for encoding in ("utf-8", "utf-16-le"):
            assert PASSWORD.encode(encoding) not in data


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_files_that_can_hold_the_password_are_private(fmt: str, tmp_path: Path) -> None:
    exporter = export_api.exporter(fmt)
    out = tmp_path / "out" / exporter.default_name(imap_settings().address)
    result = export_api.export(fmt, imap_settings(), "Alice", PASSWORD, out)
    found = False
    for path in result.paths:
        data = path.read_bytes()
        if PASSWORD.encode() in data:
            found = True
            assert mode(path) == 0o600, path
    assert found == exporter.can_hold_password
    if fmt != "thunderbird":  # Thunderbird's prefs.js is private although it holds none
        assert not exporter.can_hold_password or all(mode(p) == 0o600 for p in result.paths)
    else:
        assert all(mode(p) == 0o600 for p in result.paths)
    assert any(n for n in result.notes), "the person is told what happened to the password"


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_a_failed_export_leaves_no_trace(fmt: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_replace(src: str | Path, dst: str | Path) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(files.os, "replace", failing_replace)
    out = tmp_path / "out" / export_api.exporter(fmt).default_name(imap_settings().address)
    with pytest.raises(ExportError, match="Input/output error"):
        export_api.export(fmt, imap_settings(), "Alice", NASTY_PASSWORD, out)
    assert listing(tmp_path) == {}


def test_control_characters_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="line breaks"):
        export_api.export("msmtp", imap_settings(), "Eve\nfrom evil@example.com", None,
                          tmp_path / "rc")
    with pytest.raises(ExportError, match="line breaks"):
        export_api.export("msmtp", imap_settings(), "Eve", "pw\npassword other",
                          tmp_path / "rc")
    assert listing(tmp_path) == {}
