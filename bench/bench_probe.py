"""Probing three servers at once against probing the slowest one alone.

    .venv/bin/python bench/bench_probe.py [--rounds N]

Three in-process IMAP, POP3 and SMTP servers on 127.0.0.1 answer every line after a delay
(50, 100 and 150 ms: a distant or busy server), so a check that ran them one after another
would take about twice as long as the slowest alone. The probe checks servers concurrently:
the goal is a ratio of at most 1.2.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import threading
import time

from wizard.address import parse_address
from wizard.model import Server, Settings
from wizard.probe import ProbeOptions, probe

PASSWORD = "bench-password"

_IMAP = {"CAPABILITY": ["* CAPABILITY IMAP4rev1 AUTH=PLAIN", "{tag} OK"],
         "AUTHENTICATE": ["{tag} OK signed in"], "LOGOUT": ["* BYE", "{tag} OK"]}
_POP3 = {"CAPA": ["+OK", "SASL PLAIN", "USER", "."], "AUTH": ["+OK signed in"],
         "QUIT": ["+OK bye"]}
_SMTP = {"EHLO": ["250-slow", "250-SIZE 1000", "250 AUTH PLAIN"],
         "AUTH": ["235 signed in"], "QUIT": ["221 bye"]}
GREETING = {"imap": "* OK slow", "pop3": "+OK slow", "smtp": "220 slow"}
SCRIPTS = {"imap": _IMAP, "pop3": _POP3, "smtp": _SMTP}


class SlowServer:
    """Answers each command after ``delay`` seconds, following a fixed script."""

    def __init__(self, protocol: str, delay: float) -> None:
        self.protocol, self.delay = protocol, delay
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.threads: list[threading.Thread] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                sock, _addr = self.listener.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _serve(self, sock: socket.socket) -> None:
        with sock, sock.makefile("rb") as reader:
            def send(line: str) -> None:
                return sock.sendall(line.encode() + b"\r\n")
            time.sleep(self.delay)
            send(GREETING[self.protocol])
            for raw in reader:
                words = raw.decode().split()
                tag = words[0] if self.protocol == "imap" else ""
                verb = (words[1] if self.protocol == "imap" else words[0]).upper()
                time.sleep(self.delay)
                for line in SCRIPTS[self.protocol].get(verb, ["{tag} BAD" if tag else "500"]):
                    send(line.format(tag=tag))
                if verb in ("LOGOUT", "QUIT"):
                    return

    def close(self) -> None:
        self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for thread in self.threads:
            thread.join(2)

    def server(self) -> Server:
        return Server(self.protocol, "127.0.0.1", self.port, "plain",  # type: ignore[arg-type]
                      username="bench@example.test")


def _timed(servers: list[Server]) -> float:
    settings = Settings(address=parse_address("bench@example.test"), found=True,
                        source="builtin", secure=True,
                        incoming=tuple(s for s in servers if s.protocol != "smtp"),
                        outgoing=tuple(s for s in servers if s.protocol == "smtp"))
    started = time.perf_counter()
    report = probe(settings, ProbeOptions(password=PASSWORD, allow_plaintext=True,
                                          timeout=30))
    elapsed = time.perf_counter() - started
    if not report.ok:
        sys.exit(f"bench: a check failed: {[r.error for r in report.results if r.error]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    slow = [SlowServer("imap", 0.05), SlowServer("pop3", 0.10), SlowServer("smtp", 0.15)]
    try:
        servers = [s.server() for s in slow]
        alone = [_timed(servers[-1:]) for _ in range(args.rounds)]
        together = [_timed(servers) for _ in range(args.rounds)]
    finally:
        for s in slow:
            s.close()
    a, t = statistics.median(alone), statistics.median(together)
    print(f"slowest server alone: {a * 1000:.0f} ms (median of {args.rounds})")
    print(f"three servers at once: {t * 1000:.0f} ms (median of {args.rounds})")
    print(f"ratio: {t / a:.2f} (goal <= 1.2)")
    return 0 if t / a <= 1.2 else 1


if __name__ == "__main__":
    sys.exit(main())
