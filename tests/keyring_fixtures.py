"""A private, real Secret Service for tests: a session bus and gnome-keyring, both our own.

Each session gets a fresh HOME and XDG folders under a temporary folder, its own
``dbus-daemon --session`` and its own ``gnome-keyring-daemon --foreground``; nothing of the
machine's or the test runner's bus is used. Processes are stopped by PID only.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LOGIN_PASSWORD = "login-keyring-pw"
STARTUP_DEADLINE = 10.0


def missing_tools() -> str | None:
    """Why a private Secret Service cannot be started here, or None."""
    for tool, package in (("dbus-daemon", "dbus"), ("gnome-keyring-daemon", "gnome-keyring")):
        if shutil.which(tool) is None:
            return f"{tool} not installed (Debian package {package})"
    try:
        import jeepney  # noqa: F401
        import secretstorage  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} not installed (a dependency of keyring on Linux)"
    return None


def base_env(root: Path) -> dict[str, str]:
    """A clean environment with HOME and the XDG folders under ``root``; no bus at all."""
    home = root / "home"
    runtime = root / "run"
    for folder in (home, runtime):
        folder.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


@dataclass
class SecretService:
    """A running private bus with gnome-keyring on it."""

    root: Path
    env: dict[str, str]
    bus_address: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def home(self) -> Path:
        return Path(self.env["HOME"])

    def connect(self):  # type: ignore[no-untyped-def]
        from jeepney.io.blocking import open_dbus_connection

        return open_dbus_connection(bus=self.bus_address)

    def lock(self) -> None:
        """Lock every collection, as the desktop does after a timeout or on screen lock."""
        import secretstorage

        with self.connect() as conn:
            collection = secretstorage.collection.get_collection_by_alias(conn, "default")
            collection.lock()
            assert collection.is_locked()

    def stop(self) -> None:
        bus_pid = self.processes[0].pid if self.processes else None
        if bus_pid is not None:  # services the bus started (the failed prompter, usually gone)
            for pid in _children(bus_pid):
                _terminate_pid(pid)
        for proc in reversed(self.processes):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()
        self.processes.clear()


def start_secret_service(root: Path, *, unlocked: bool = True) -> SecretService:
    """Start a bus and gnome-keyring; ``unlocked`` creates and unlocks the login keyring.

    Without it there is no login keyring, and creating one needs a prompt that cannot be
    shown here: the Secret Service answers "dismissed", as for a person who cancels it.
    """
    env = base_env(root)
    logs = root / "logs"
    logs.mkdir(exist_ok=True)
    service = SecretService(root, env, "")
    try:
        with (logs / "dbus.log").open("ab") as log:
            bus = subprocess.Popen(
                ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1",
                 f"--address=unix:path={env['XDG_RUNTIME_DIR']}/bus"],
                stdout=subprocess.PIPE, stderr=log, env=env, start_new_session=True)
        service.processes.append(bus)
        assert bus.stdout is not None
        service.bus_address = bus.stdout.readline().decode().strip()
        if not service.bus_address:
            raise RuntimeError(f"dbus-daemon did not start, see {logs / 'dbus.log'}")
        env["DBUS_SESSION_BUS_ADDRESS"] = service.bus_address
        args = ["gnome-keyring-daemon", "--foreground", "--components=secrets"]
        with (logs / "gnome-keyring.log").open("ab") as log:
            keyring_daemon = subprocess.Popen(
                [*args, "--unlock"] if unlocked else args,
                stdin=subprocess.PIPE if unlocked else subprocess.DEVNULL,
                stdout=log, stderr=log, env=env, start_new_session=True)
        service.processes.append(keyring_daemon)
        if unlocked:
            assert keyring_daemon.stdin is not None
            keyring_daemon.stdin.write(LOGIN_PASSWORD.encode())
            keyring_daemon.stdin.close()
        _wait_ready(service, unlocked)
    except BaseException:
        service.stop()
        raise
    return service


def _wait_ready(service: SecretService, unlocked: bool) -> None:
    import secretstorage
    from jeepney.bus_messages import message_bus

    deadline = time.monotonic() + STARTUP_DEADLINE
    with service.connect() as conn:
        while True:
            owned = conn.send_and_get_reply(
                message_bus.NameHasOwner("org.freedesktop.secrets"), timeout=2).body[0]
            if owned and not unlocked:
                return
            if owned:
                try:
                    secretstorage.collection.get_collection_by_alias(conn, "default")
                    return
                except secretstorage.exceptions.ItemNotFoundException:
                    pass
            if service.processes[-1].poll() is not None:
                raise RuntimeError("gnome-keyring-daemon exited; see "
                                   f"{service.root / 'logs' / 'gnome-keyring.log'}")
            if time.monotonic() > deadline:
                raise RuntimeError("gnome-keyring-daemon did not come up on the private bus")
            time.sleep(0.02)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _terminate_pid(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)


def secret_forms(secret: str) -> list[bytes]:
    """The byte strings a file holding ``secret`` would contain, in every likely encoding."""
    raw = secret.encode("utf-8")
    forms = {raw, secret.encode("utf-16-le"), secret.encode("utf-16-be"), raw.hex().encode(),
             raw.hex().upper().encode(), urllib.parse.quote(secret, safe="").encode(),
             json.dumps(secret).encode()[1:-1]}
    with contextlib.suppress(UnicodeEncodeError):
        forms.add(secret.encode("latin-1"))
    # base64 of the secret at any alignment: one of these starts on a 3-byte boundary; the
    # last group mixes with whatever follows, so it is left out.
    for offset in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            encoded = encode(raw[offset:])[:-4]
            if len(encoded) >= 8:
                forms.add(encoded)
    return sorted(forms, key=len)


def files_holding(root: Path, secret: str) -> list[str]:
    """Every file under ``root`` (or file name) that holds ``secret`` in one of its forms."""
    forms = secret_forms(secret)
    hits = []
    for path in root.rglob("*"):
        if any(form in os.fsencode(path.name) for form in forms):
            hits.append(f"{path} (name)")
        if path.is_symlink() or not path.is_file():
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if any(form in data for form in forms):
            hits.append(str(path))
    return hits


def run_cli(env: dict[str, str], *args: str, stdin: str | bytes | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python -m wizard ARGS`` with ``env``, the secret (if any) on standard input."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    proc = subprocess.run([sys.executable, "-m", "wizard", *args], input=data,
                          capture_output=True, env=env, timeout=timeout, check=False)
    return subprocess.CompletedProcess(proc.args, proc.returncode,
                                       proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretService]:
    """An unlocked private Secret Service, shared by one test module."""
    reason = missing_tools()
    if reason:
        pytest.skip(f"no private Secret Service: {reason}")
    service = start_secret_service(tmp_path_factory.mktemp("secret-service"))
    try:
        yield service
    finally:
        service.stop()


@pytest.fixture
def fresh_secret_service(tmp_path: Path) -> Iterator[SecretService]:
    """An unlocked private Secret Service for one test (e.g. one that locks it)."""
    reason = missing_tools()
    if reason:
        pytest.skip(f"no private Secret Service: {reason}")
    service = start_secret_service(tmp_path / "ss")
    try:
        yield service
    finally:
        service.stop()


@pytest.fixture
def no_login_keyring(tmp_path: Path) -> Iterator[SecretService]:
    """gnome-keyring without a login keyring: creating one needs a prompt, which is dismissed."""
    reason = missing_tools()
    if reason:
        pytest.skip(f"no private Secret Service: {reason}")
    service = start_secret_service(tmp_path / "ss", unlocked=False)
    try:
        yield service
    finally:
        service.stop()


def use_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    """Make this process see ``env``'s bus, HOME and XDG folders (and no keyring settings)."""
    for name in ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND", "XDG_DATA_DIRS",
                 "XDG_CONFIG_DIRS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        if name == "DBUS_SESSION_BUS_ADDRESS" or name.startswith(("XDG_", "HOME")):
            monkeypatch.setenv(name, value)


@pytest.fixture
def keyring_env(secret_service: SecretService, monkeypatch: pytest.MonkeyPatch) -> SecretService:
    """The shared private Secret Service, made this process's keyring."""
    use_env(monkeypatch, secret_service.env)
    return secret_service
