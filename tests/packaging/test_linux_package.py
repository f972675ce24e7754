"""The Linux package, end to end: build it, install the .deb, run what the menu runs, remove it.

``packaging/build-linux.sh`` builds the PyInstaller bundle, the ``.deb`` and the ``.tar.gz``
with this test run's Python (it already has PyInstaller: the ``test`` extra), so nothing is
downloaded; or set ``MAILWIZARD_DIST`` to a ``dist/`` folder that holds a built ``.deb`` to test
that one. The package is installed with ``dpkg -i`` on this machine, its program started
through the desktop entry's ``Exec`` command (so ``mailwizard`` comes from /usr/bin, not from
the virtual environment), and ``dpkg -r`` must take every file away again. The start-up times
are written to ``test-artifacts/packaging-timings.json``.

Needs root and dpkg (Debian/Ubuntu); ``scripts/setup-system.sh test`` installs
desktop-file-utils and appstream.
"""

from __future__ import annotations

import configparser
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "mailwizard"
DESKTOP = Path("/usr/share/applications/mailwizard.desktop")
METAINFO = Path("/usr/share/metainfo/io.github.mailwizard.MailWizard.metainfo.xml")
# What the desktop session gives a program it starts: no virtual environment, no PYTHON*.
CLEAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("dpkg") is None,
                       reason="the .deb needs a Debian-like Linux with dpkg"),
    pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() != 0,
                       reason="installing a .deb needs root"),
]


def installed_version() -> str | None:
    done = subprocess.run(["dpkg-query", "-W", "-f=${Status} ${Version}", PACKAGE],
                          capture_output=True, text=True)
    if done.returncode != 0 or not done.stdout.startswith("install ok installed"):
        return None
    return done.stdout.split()[-1]


def find_deb(dist: Path) -> Path:
    debs = sorted(dist.glob(f"{PACKAGE}_*.deb"), key=lambda p: p.stat().st_mtime)
    assert debs, f"no {PACKAGE}_*.deb in {dist}"
    return debs[-1]


@pytest.fixture(scope="module")
def deb() -> Path:
    given = os.environ.get("MAILWIZARD_DIST")
    if given:
        return find_deb(Path(given))
    env = dict(os.environ, BUILD_PYTHON=sys.executable)
    started = time.monotonic()
    done = subprocess.run([str(ROOT / "packaging" / "build-linux.sh")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"build failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    built = find_deb(ROOT / "dist")
    assert (ROOT / "dist" / "SHA256SUMS").read_text().count(".deb") == 1
    assert list((ROOT / "dist").glob(f"{PACKAGE}-*-linux-*.tar.gz"))
    print(f"built in {time.monotonic() - started:.0f} s: {built.name}")
    return built


@pytest.fixture(scope="module")
def installed(deb: Path) -> Iterator[Path]:
    if installed_version() is not None:
        subprocess.run(["dpkg", "-r", PACKAGE], capture_output=True, check=True)
    done = subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True,
                          env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    assert done.returncode == 0, f"dpkg -i failed (missing dependencies?):\n{done.stderr}"
    try:
        yield deb
    finally:
        if installed_version() is not None:  # a test failed before the removal test
            subprocess.run(["dpkg", "-r", PACKAGE], capture_output=True)


def exec_command() -> list[str]:
    """The desktop entry's ``Exec``, split as the desktop does, without its field codes."""
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    words = shlex.split(entry["Desktop Entry"]["Exec"])
    return [w for w in words if not (len(w) == 2 and w.startswith("%"))]


def run_installed(*args: str, tmp_path: Path,
                  **env: str) -> tuple[subprocess.CompletedProcess[str], float]:
    environment = {
        "PATH": CLEAN_PATH, "HOME": str(tmp_path), "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path), **env,
    }
    started = time.monotonic()
    done = subprocess.run([*exec_command(), *args], capture_output=True, text=True,
                          env=environment, cwd=tmp_path, timeout=120)
    return done, time.monotonic() - started


def record(**timings: float) -> None:
    out = ROOT / "test-artifacts" / "packaging-timings.json"
    out.parent.mkdir(exist_ok=True)
    known = json.loads(out.read_text()) if out.exists() else {}
    known.update({k: round(v, 3) for k, v in timings.items()})
    out.write_text(json.dumps(known, indent=1))


def test_the_package_installs_the_program_its_menu_entry_and_metadata(installed: Path) -> None:
    assert installed_version() is not None
    files = subprocess.run(["dpkg", "-L", PACKAGE], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    for expected in (str(DESKTOP), str(METAINFO), "/usr/bin/mailwizard",
                     "/usr/lib/mailwizard/mailwizard",
                     "/usr/share/icons/hicolor/48x48/apps/mailwizard.png",
                     "/usr/share/icons/hicolor/scalable/apps/mailwizard.svg"):
        assert expected in files
    assert exec_command()[0] == "mailwizard"
    # The menu's command is the package's program, not a copy on some other PATH entry.
    found = shutil.which(exec_command()[0], path=CLEAN_PATH)
    assert found is not None
    assert Path(found).resolve() == Path("/usr/lib/mailwizard/mailwizard")
    # Python and Qt are inside the bundle with the data the program reads.
    internal = Path("/usr/lib/mailwizard/_internal")
    for data in ("wizard/data/providers.json", "wizard/locale/ru.json",
                 "wizard/data/resources/i18n/mailwizard_ru.qm",
                 "wizard/data/resources/icons/mailwizard-48.png"):
        assert (internal / data).is_file(), data
    unused = [p.name for p in (internal / "PySide6").glob("Qt*.so")
              if p.name.split(".")[0] not in ("QtCore", "QtGui", "QtWidgets")]
    assert unused == []
    control = subprocess.run(["dpkg-query", "-W", "-f=${Depends}\n${Recommends}", PACKAGE],
                             capture_output=True, text=True, check=True).stdout
    depends, recommends = control.split("\n")
    for lib in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
                "libxcb-render-util0", "libxkbcommon-x11-0", "libxcb-shape0", "libegl1",
                "libfontconfig1", "libdbus-1-3"):
        assert lib in depends
    assert "gnome-keyring | kwalletmanager" in recommends


def test_version(installed: Path, tmp_path: Path) -> None:
    done, seconds = run_installed("--version", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    from wizard import __version__

    assert done.stdout.strip() == f"mailwizard {__version__}"
    assert f"_{__version__}_" in installed.name
    record(version_seconds=seconds)


def test_detect_offline_from_the_bundled_table(installed: Path, tmp_path: Path) -> None:
    done, _ = run_installed("detect", "alice@yandex.ru", "--offline", "--json",
                            tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["found"] is True
    assert result["source"] == "builtin" and result["secure"] is True
    assert result["provider"]["id"] == "yandex.ru"
    incoming, outgoing = result["incoming"][0], result["outgoing"][0]
    assert (incoming["protocol"], incoming["host"], incoming["port"], incoming["security"]) \
        == ("imap", "imap.yandex.ru", 993, "ssl")
    assert (outgoing["protocol"], outgoing["host"], outgoing["port"]) \
        == ("smtp", "smtp.yandex.ru", 465)
    assert incoming["username"] == "alice@yandex.ru"
    # The core's Russian catalogue is in the bundle too.
    done, _ = run_installed("--lang", "ru", "detect", "alice@yandex.ru", "--offline",
                            tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "встроенная таблица провайдеров" in done.stdout


def test_the_window_opens_on_its_first_page(installed: Path, tmp_path: Path) -> None:
    done, seconds = run_installed("--lang", "ru", tmp_path=tmp_path, MAILWIZARD_SMOKE_TEST="1")
    assert done.returncode == 0, done.stderr
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("mailwizard-smoke:"))
    assert "page=0 visible=True platform=offscreen lang=ru icon=True" in line
    # The title comes from the bundled .qm: the Qt translation was found.
    assert "title=MailWizard — настройка почтового ящика" in line
    record(first_page_seconds=seconds)


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb (package xvfb) is not installed")
def test_the_window_opens_on_a_real_x_server(installed: Path, tmp_path: Path) -> None:
    """Qt's xcb plug-in loads from the bundle with the system's X libraries the .deb declares."""
    display = f":{90 + os.getpid() % 100}"
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x1024x24", "-nolisten",
                               "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        socket = Path("/tmp/.X11-unix") / f"X{display[1:]}"
        deadline = time.monotonic() + 10
        while not socket.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        done, seconds = run_installed(tmp_path=tmp_path, DISPLAY=display, QT_QPA_PLATFORM="xcb",
                                      MAILWIZARD_SMOKE_TEST="1")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert done.returncode == 0, done.stderr
    assert "page=0 visible=True platform=xcb lang=en icon=True" in done.stdout
    record(first_page_xcb_seconds=seconds)


@pytest.mark.skipif(shutil.which("dbus-run-session") is None
                    or shutil.which("gnome-keyring-daemon") is None,
                    reason="needs dbus-run-session and gnome-keyring")
def test_the_frozen_program_reaches_the_system_keyring(installed: Path, tmp_path: Path) -> None:
    """keyring finds its Secret Service backend inside the bundle (entry points, jeepney)."""
    script = (
        "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "
        "printf s3cret | mailwizard password set alice@example.org && "
        "mailwizard password get alice@example.org && "
        "mailwizard password delete alice@example.org"
    )
    done = subprocess.run(["dbus-run-session", "--", "sh", "-c", script], capture_output=True,
                          text=True, timeout=60, cwd=tmp_path,
                          env={"PATH": CLEAN_PATH, "HOME": str(tmp_path), "LANG": "C.UTF-8",
                               "XDG_RUNTIME_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "s3cret" in done.stdout.splitlines()


def test_desktop_entry_and_metainfo_validate(installed: Path) -> None:
    done = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True,
                          text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr
    done = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_removal_leaves_nothing_behind(installed: Path) -> None:
    files = [Path(p) for p in subprocess.run(["dpkg", "-L", PACKAGE], capture_output=True,
                                             text=True, check=True).stdout.splitlines()]
    done = subprocess.run(["dpkg", "-r", PACKAGE], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert installed_version() is None
    assert not Path("/usr/lib/mailwizard").exists()
    assert not Path("/usr/bin/mailwizard").is_symlink()
    assert not DESKTOP.exists() and not METAINFO.exists()
    left = [p for p in files if p.is_file() or p.is_symlink()]
    assert left == []
    assert shutil.which("mailwizard", path=CLEAN_PATH) is None
