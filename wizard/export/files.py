"""Writing export files all-or-nothing.

Every file is first written to a temporary file in its own folder, flushed and synced,
given its final mode, and only then renamed over its target with ``os.replace`` (atomic on
POSIX and Windows). When several files belong together, none is renamed before all are
staged, and a failure while renaming puts back what was there before. So a crash, a full
disk or a refused rename never leaves a half-written or half-updated export behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from wizard.export.base import ExportError
from wizard.i18n import _

SECRET_MODE = 0o600  # files that may hold a password, a token or a login
PUBLIC_MODE = 0o644
FOLDER_MODE = 0o700  # a folder that will hold secrets
PUBLIC_FOLDER_MODE = 0o755


@dataclass(frozen=True)
class OutFile:
    """One file to write: where, what, and whether it may hold a secret (mode 0600)."""

    path: Path
    data: bytes
    secret: bool = False


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable (POSIX only; Windows has no folder handles)."""
    flags = getattr(os, "O_DIRECTORY", None)
    if flags is None:
        return
    try:
        fd = os.open(folder, os.O_RDONLY | flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the data itself is synced already
    finally:
        os.close(fd)


def make_folders(files: Sequence[OutFile]) -> list[Path]:
    """Create the missing parent folders; returns those created, outermost first."""
    created: list[Path] = []
    for path in (f.path for f in files):
        missing: list[Path] = []
        parent = path.parent
        while not parent.exists():
            missing.append(parent)
            parent = parent.parent
        for folder in reversed(missing):
            if folder in created:
                continue
            secret = any(f.secret and folder in f.path.parents for f in files)
            try:
                folder.mkdir(mode=FOLDER_MODE if secret else PUBLIC_FOLDER_MODE)
            except FileExistsError:
                continue
            except OSError as exc:
                remove_folders(created)
                raise ExportError(_("Cannot create the folder “{path}”: {reason}",
                                    path=folder, reason=_reason(exc))) from None
            created.append(folder)
    return created


def remove_folders(created: list[Path]) -> None:
    for folder in reversed(created):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _stage(item: OutFile) -> Path:
    """Write ``item`` to a synced temporary file beside its target; returns its path."""
    fd, name = tempfile.mkstemp(prefix=f".{item.path.name}.", suffix=".tmp",
                                dir=item.path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(item.data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, SECRET_MODE if item.secret else PUBLIC_MODE)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def write_all(files: Sequence[OutFile], *, overwrite: bool = False) -> tuple[Path, ...]:
    """Write every file in ``files`` or none of them; returns their paths.

    Without ``overwrite`` an existing target is an error (nothing is written).
    """
    targets = [f.path for f in files]
    if len(set(targets)) != len(targets):
        raise ExportError(_("Two output files would have the same name."))
    for path in targets:
        if path.is_dir():
            raise ExportError(_("“{path}” is a folder, not a file.", path=path))
        if path.exists() and not overwrite:
            raise ExportError(_("“{path}” already exists; choose another name or allow "
                                "overwriting (--force).", path=path))

    created = make_folders(files)
    staged: list[tuple[OutFile, Path]] = []
    try:
        for item in files:
            staged.append((item, _stage(item)))
    except OSError as exc:
        for _item, tmp in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        remove_folders(created)
        raise ExportError(_("Cannot write “{path}”: {reason}", path=item.path,
                            reason=_reason(exc))) from None
    except BaseException:
        for _item, tmp in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        remove_folders(created)
        raise

    _commit(staged, created)
    for folder in {f.path.parent for f in files}:
        _sync_folder(folder)
    return tuple(targets)


def _commit(staged: list[tuple[OutFile, Path]], created: list[Path]) -> None:
    """Rename every staged file over its target; on failure restore the previous state."""
    # For each target that already exists, a hard link keeps the old content reachable
    # until every rename has succeeded.
    backups: dict[Path, Path | None] = {}
    done: list[OutFile] = []
    try:
        for item, tmp in staged:
            backup: Path | None = None
            if item.path.exists():
                backup = item.path.with_name(f".{item.path.name}.{os.getpid()}.old")
                try:
                    with contextlib.suppress(FileNotFoundError):
                        backup.unlink()
                    os.link(item.path, backup)
                except OSError:
                    backup = None  # no hard links here: the old file cannot be restored
            backups[item.path] = backup
            os.replace(tmp, item.path)
            done.append(item)
    except BaseException as exc:
        for item in reversed(done):
            old = backups.get(item.path)
            with contextlib.suppress(OSError):
                if old is not None:
                    os.replace(old, item.path)
                else:
                    item.path.unlink()
        for _item, tmp in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for old in backups.values():
            if old is not None:
                with contextlib.suppress(OSError):
                    old.unlink()
        remove_folders(created)
        if isinstance(exc, OSError):
            raise ExportError(_("Cannot write “{path}”: {reason}",
                                path=staged[len(done)][0].path, reason=_reason(exc))) from None
        raise
    for old in backups.values():
        if old is not None:
            with contextlib.suppress(OSError):
                old.unlink()
