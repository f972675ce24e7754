"""Start, wait for and stop server processes by PID, never by name."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .guard import NetSimError, require_loopback

SBIN_PATH = "/usr/local/sbin:/usr/sbin:/sbin"


def find_program(name: str) -> str:
    """Return the absolute path of a program, also looking in the sbin directories."""
    path = os.environ.get("PATH", "") + os.pathsep + SBIN_PATH
    found = shutil.which(name, path=path)
    if found is None:
        raise NetSimError(f"{name} is not installed")
    return found


def port_open(address: str, port: int, timeout: float = 0.2) -> bool:
    """Tell whether something accepts TCP connections on a loopback address and port."""
    require_loopback(address)
    try:
        with socket.create_connection((address, port), timeout=timeout):
            return True
    except OSError:
        return False


def session_members(sid: int) -> list[int]:
    """List the PIDs of processes in session ``sid`` (a session this harness created)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the parenthesised command: state ppid pgrp session ...
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 3 and int(fields[3]) == sid and fields[0] != "Z":
            pids.append(int(entry.name))
    return pids


class ServerProcess:
    """One daemon run in the foreground in its own session, with its output in a log file."""

    def __init__(
        self, name: str, argv: Sequence[str], log_path: Path, daemon_log: Path | None = None
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path  # what the process writes to stdout and stderr
        self.daemon_log = daemon_log  # where it logs once running, for error messages
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        """The PID of the running process, or None."""
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        """True while the process has not exited."""
        return self._proc is not None and self._proc.poll() is None

    def start(
        self,
        ports: Iterable[tuple[str, int]] = (),
        timeout: float = 10.0,
        ready: Callable[[int], bool] | None = None,
    ) -> None:
        """Start the process and wait until ``ready(pid)`` (if given) holds and every
        (address, port) accepts connections."""
        if self.running:
            raise NetSimError(f"{self.name} is already running")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        # setpriv execs the daemon with a parent-death signal, so even a killed test run
        # takes its servers down with it. The signal follows the starting *thread*, so only
        # the main thread (which lives as long as the process) may set it.
        argv = self.argv
        if threading.current_thread() is threading.main_thread():
            argv = [find_program("setpriv"), "--pdeathsig", "TERM", "--", *argv]
        with open(self.log_path, "ab") as log:
            self._proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                close_fds=True,
            )
        if ready is not None:
            self._wait(lambda: ready(self._proc.pid), "get ready", timeout)  # type: ignore[union-attr]
        self.wait_for_ports(ports, timeout)

    def wait_for_ports(self, ports: Iterable[tuple[str, int]], timeout: float = 10.0) -> None:
        """Wait until every (address, port) accepts connections; fail early if the process dies."""
        deadline = time.monotonic() + timeout
        for address, port in ports:
            self._wait(
                lambda a=address, p=port: port_open(a, p),
                f"listen on {address}:{port}",
                deadline - time.monotonic(),
            )

    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
        """Wait until ``condition()`` holds; fail early if the process dies."""
        self._wait(condition, what, timeout)

    def _wait(self, condition: Callable[[], bool], what: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if not self.running:
                self.stop()
                raise NetSimError(f"{self.name} exited before it could {what}\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise NetSimError(f"{self.name} did not {what} in time\n{self.log_tail()}")
            time.sleep(0.01)

    def send_signal(self, sig: int) -> None:
        """Send a signal to the process (by PID)."""
        if not self.running or self._proc is None:
            raise NetSimError(f"{self.name} is not running\n{self.log_tail()}")
        self._proc.send_signal(sig)

    def stop(self, grace: float = 5.0, timeout: float = 10.0) -> None:
        """SIGTERM the process, wait up to ``grace`` s (then SIGKILL its process group), and
        end whatever it left in its session."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout)
        self._reap()
        # The session id is the daemon's PID (start_new_session): anything still in it is a
        # child the daemon failed to take down with it.
        deadline = time.monotonic() + timeout
        while leftovers := session_members(proc.pid):
            for pid in leftovers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            if time.monotonic() > deadline:
                raise NetSimError(f"{self.name} left processes behind: {leftovers}")
            time.sleep(0.01)

    def _reap(self) -> None:
        if self._proc is not None:
            self._proc.wait()
            self._proc = None

    def log_tail(self, lines: int = 15) -> str:
        """The last lines of the process's logs, for error messages."""
        tails = []
        for path in (self.log_path, self.daemon_log):
            if path is None:
                continue
            try:
                text = path.read_text(errors="replace")
            except OSError:
                continue
            tails.append(f"--- {path}:\n" + "\n".join(text.splitlines()[-lines:]))
        return "\n".join(tails) or "(nothing logged)"


def run_tool(argv: Sequence[str], cwd: Path | None = None) -> str:
    """Run a short helper command (openssl, ...); raise NetSimError with its output on failure."""
    result = subprocess.run(
        argv, cwd=cwd, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        raise NetSimError(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stderr}")
    return result.stdout
