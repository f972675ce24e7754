"""Finding Thunderbird profiles and telling whether Thunderbird is using one.

Profiles are listed in ``profiles.ini`` in Thunderbird's folder: ``~/.thunderbird`` on
Linux (or the Flatpak and Snap homes), ``~/Library/Thunderbird`` on macOS and
``%APPDATA%\\Thunderbird`` on Windows. A running Thunderbird holds its profile's lock the
way every Mozilla program does: on Linux and macOS a symbolic link ``lock`` pointing at
``IP:+PID`` plus a POSIX lock on ``.parentlock``, on Windows an exclusively opened
``parent.lock``.
"""

from __future__ import annotations

import configparser
import contextlib
import ipaddress
import os
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from wizard.export.base import ExportError
from wizard.i18n import _


class ProfileInUseError(ExportError):
    """Thunderbird (or another program) holds the profile's lock."""


@dataclass(frozen=True)
class Profile:
    """One profile of a Thunderbird installation."""

    name: str
    path: Path
    default: bool


def profile_roots() -> list[Path]:
    """The folders where this system's Thunderbird keeps ``profiles.ini``."""
    home = Path.home()
    if sys.platform == "win32":
        appdata = os.environ.get("APPDATA")
        base = Path(appdata) if appdata else home / "AppData" / "Roaming"
        return [base / "Thunderbird"]
    if sys.platform == "darwin":
        return [home / "Library" / "Thunderbird"]
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    return [
        home / ".thunderbird",
        config / "thunderbird",
        home / ".var" / "app" / "org.mozilla.Thunderbird" / ".thunderbird",
        home / "snap" / "thunderbird" / "common" / ".thunderbird",
    ]


def read_profiles_ini(root: Path) -> list[Profile]:
    """The profiles listed in ``root/profiles.ini`` (none if it is missing or unreadable)."""
    parser = configparser.RawConfigParser(strict=False)
    try:
        with (root / "profiles.ini").open(encoding="utf-8", errors="replace") as f:
            parser.read_file(f)
    except (OSError, configparser.Error):
        return []
    # Since Thunderbird 68 each installation names its own default in an [Install…] section.
    install_defaults = {
        parser.get(s, "Default", fallback="").strip()
        for s in parser.sections() if s.startswith("Install")
    } - {""}
    profiles: list[Profile] = []
    for section in parser.sections():
        if not section.startswith("Profile"):
            continue
        raw = parser.get(section, "Path", fallback="").strip()
        if not raw:
            continue
        relative = parser.get(section, "IsRelative", fallback="1").strip() == "1"
        path = root / raw if relative else Path(raw)
        if install_defaults:
            default = raw in install_defaults
        else:
            default = parser.get(section, "Default", fallback="0").strip() == "1"
        profiles.append(Profile(parser.get(section, "Name", fallback=raw), path, default))
    return profiles


def find_profiles(roots: list[Path] | None = None) -> list[Profile]:
    """Every Thunderbird profile on this system, the default ones first."""
    found: list[Profile] = []
    for root in profile_roots() if roots is None else roots:
        found.extend(p for p in read_profiles_ini(root) if p not in found)
    return sorted(found, key=lambda p: not p.default)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    except OSError:
        return False
    return True


def _is_this_host(ip: str) -> bool:
    try:
        if ipaddress.ip_address(ip).is_loopback:
            return True
    except ValueError:
        return False
    try:
        return ip in socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        return False


def symlink_lock_holder(profile: Path) -> str | None:
    """Why the ``lock`` symlink says the profile is in use, or None if it does not."""
    link = profile / "lock"
    try:
        target = os.readlink(link)
    except OSError:
        return None  # no lock link (or not a link): nobody holds it this way
    ip, sep, pid_text = target.rpartition(":")
    try:
        pid = int(pid_text.lstrip("+")) if sep else -1
    except ValueError:
        pid = -1
    if pid < 0:
        return _("its lock file cannot be read ({target}); if Thunderbird is closed, "
                 "delete that file", target=target)
    if not _is_this_host(ip):
        return _("Thunderbird on another computer ({ip}) is using it; close it there first",
                 ip=ip)
    if _pid_alive(pid):
        return _("Thunderbird (process {pid}) is using it; close Thunderbird first", pid=pid)
    return None  # stale: Thunderbird crashed or was killed


def profile_in_use(profile: Path) -> str | None:
    """Why the profile is in use (for people), or None when it is free to change."""
    reason = symlink_lock_holder(profile)
    if reason:
        return reason
    try:
        with hold_profile_lock(profile, create=False):
            pass
    except ProfileInUseError:
        return _("Thunderbird is using it")
    except ExportError as exc:
        return str(exc)
    return None


@contextlib.contextmanager
def hold_profile_lock(profile: Path, *, create: bool = True) -> Iterator[None]:
    """Hold the profile's own lock file, so Thunderbird cannot start while we write.

    Raises ExportError if Thunderbird (or anyone) holds it.
    """
    if sys.platform == "win32":
        yield from _hold_windows(profile)
        return
    import fcntl

    path = profile / ".parentlock"
    existed = path.exists()
    if not existed and not create:
        yield
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ExportError(_("Cannot open the profile's lock file: {reason}",
                            reason=exc.strerror or str(exc))) from None
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise ProfileInUseError(_("Close Thunderbird first: it is using this profile.")) \
                from None
        try:
            yield
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
        if not existed:
            with contextlib.suppress(OSError):
                path.unlink()


def _hold_windows(profile: Path) -> Iterator[None]:
    path = profile / "parent.lock"
    if not path.exists():
        yield
        return
    try:
        # Thunderbird opens parent.lock without sharing: a second open fails while it runs.
        f = path.open("r+b")
    except PermissionError:
        raise ProfileInUseError(_("Close Thunderbird first: it is using this profile.")) \
            from None
    except OSError:
        yield
        return
    with f:
        yield
