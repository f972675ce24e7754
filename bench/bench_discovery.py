"""Detection time per source against the network's own minimum, and black holes vs deadline.

    scripts/netsim-run .venv/bin/python bench/bench_discovery.py [--delay-ms 20] [--rounds 5]

Runs inside the simulated internet (tests/netsim, as root in a private namespace) and delays
every packet on the namespace's loopback with ``tc qdisc … netem delay`` (each direction, so
a round trip costs twice the delay). For each source a scenario publishes only that source,
and :func:`wizard.discovery.detect` is timed (median of the rounds).

The network's own minimum is measured too, by a bare sequential client doing only the steps
the chosen result depends on, with the same delay: its own path (DNS, TCP, TLS, request) and,
for sources below the ISP database in priority, the ISP database's "404" over HTTPS — the
better sources must have said "nothing" before a lower one may answer. The ratio of the two
is the engine's overhead; the goal is at most 1.3. The all-black-holes case (every host
accepts connections and never answers) is timed against its deadline.
"""

from __future__ import annotations

import argparse
import os
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import dns.message
import dns.query

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from discovery.helpers import ISPDB_URL, XML, config_xml, publish_ispdb  # noqa: E402
from netsim.guard import isolation_problem  # noqa: E402
from netsim.netsim import NetSim  # noqa: E402
from netsim.resources import Endpoint, Response  # noqa: E402
from netsim.servers import Internet  # noqa: E402

from wizard.address import parse_address  # noqa: E402
from wizard.discovery import detect  # noqa: E402

DOMAIN = "bench.test"
POX = (
    '<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/'
    'exchange/autodiscover/responseschema/2006"><Response xmlns="http://schemas.microsoft.com/'
    'exchange/autodiscover/outlook/responseschema/2006a"><Account><AccountType>email'
    "</AccountType><Action>settings</Action><Protocol><Type>IMAP</Type>"
    f"<Server>imap.{DOMAIN}</Server><Port>993</Port></Protocol></Account></Response>"
    "</Autodiscover>"
).encode()


# -- the bare client: one step after the other, nothing else ---------------------------------

def bare_dns(name: str, kind: str = "A") -> list[str]:
    answer = dns.query.udp(dns.message.make_query(name, kind), "127.0.0.1", timeout=5)
    return [r.to_text() for rrset in answer.answer for r in rrset]


def bare_tls(host: str, port: int) -> ssl.SSLSocket:
    address = bare_dns(host)[0]
    sock = socket.create_connection((address, port), timeout=5)
    return ssl.create_default_context().wrap_socket(sock, server_hostname=host)


def bare_https(url: str, method: str = "GET", body: bytes = b"") -> None:
    host, _, path = url.removeprefix("https://").partition("/")
    with bare_tls(host, 443) as tls:
        head = (f"{method} /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
                f"Content-Length: {len(body)}\r\nContent-Type: text/xml\r\n\r\n")
        tls.sendall(head.encode() + body)
        while tls.recv(65536):
            pass


def bare_http(url: str) -> None:
    host, _, path = url.removeprefix("http://").partition("/")
    with socket.create_connection((bare_dns(host)[0], 80), timeout=5) as sock:
        sock.sendall(f"GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
                     .encode())
        while sock.recv(65536):
            pass


def bare_mail(host: str, port: int, hello: bytes, done: bytes) -> None:
    with bare_tls(host, port) as tls:
        data = b""
        while b"\n" not in data:
            data += tls.recv(4096)
        tls.sendall(hello)
        data = b""
        while done not in data:
            data += tls.recv(4096)


def bare_guess() -> None:
    """IMAP, POP3 and SMTP checked at once, as guessing needs all three."""
    import threading

    checks = [
        lambda: bare_mail(f"imap.{DOMAIN}", 993, b"a CAPABILITY\r\n", b"a OK"),
        lambda: bare_mail(f"pop.{DOMAIN}", 995, b"CAPA\r\n", b"\r\n.\r\n"),
        lambda: bare_mail(f"smtp.{DOMAIN}", 465, b"EHLO [127.0.0.1]\r\n", b"250 "),
    ]
    threads = [threading.Thread(target=c) for c in checks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


ISPDB_404 = ISPDB_URL + DOMAIN


# -- scenarios ----------------------------------------------------------------------------

def scenario(sim: NetSim, source: str) -> Callable[[], None]:
    """Publish only ``source``; return the bare client's path for it."""
    d = sim.domain(DOMAIN)
    publish_ispdb(sim, {} if source != "ispdb" else {DOMAIN: config_xml(f"imap.{DOMAIN}")})
    if source == "autoconfig":
        d.host("autoconfig", https={"/mail/config-v1.1.xml": (XML, config_xml(f"imap.{DOMAIN}"))})
        url = f"https://autoconfig.{DOMAIN}/mail/config-v1.1.xml"
        return lambda: bare_https(url)
    if source == "ispdb":
        return lambda: bare_https(ISPDB_404)
    if source == "mx":
        d.mx("aspmx.l.google.com")
        return lambda: max_of(lambda: bare_dns(DOMAIN, "MX"), lambda: bare_https(ISPDB_404))
    if source == "srv":
        d.srv("_imaps._tcp", f"imap.{DOMAIN}", 993)
        d.a("imap", "127.0.9.9")
        return lambda: bare_https(ISPDB_404)
    if source == "autodiscover":
        d.host("autodiscover", https={"/autodiscover/autodiscover.xml": Endpoint(
            Response(200, "text/xml", POX))})
        url = f"https://autodiscover.{DOMAIN}/autodiscover/autodiscover.xml"
        return lambda: max_of(lambda: bare_https(url, "POST", b"<x/>"),
                              lambda: bare_https(ISPDB_404))
    if source == "autoconfig-http":
        d.host("autoconfig", http={"/mail/config-v1.1.xml": (XML, config_xml(f"imap.{DOMAIN}"))})
        url = f"http://autoconfig.{DOMAIN}/mail/config-v1.1.xml"
        return lambda: max_of(lambda: bare_http(url), lambda: bare_https(ISPDB_404))
    if source == "guess":
        for name in ("imap", "pop", "smtp"):
            d.mailserver(name, ports=({"imap": 993, "pop": 995, "smtp": 465}[name],))
        return lambda: max_of(bare_guess, lambda: bare_https(ISPDB_404))
    if source == "black-holes":
        for name in ("autoconfig", "@", "autodiscover"):
            d.hostile(name, "blackhole", ports=(443, 80))
        for name in ("imap", "mail", "pop", "pop3", "smtp"):
            d.hostile(name, "blackhole", ports=(993, 995, 465, 143, 110, 587, 25))
        return lambda: None
    raise ValueError(source)


def max_of(*paths: Callable[[], None]) -> None:
    """Run independent paths at once: the slowest decides (as in the engine)."""
    import threading

    threads = [threading.Thread(target=p) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


class EmulatedRTT:
    """Client-side round trips where the kernel has no netem: every exchange waits one RTT.

    A connect and a TLS handshake each cost one round trip; a read waits until one round
    trip has passed since the socket last sent (so queries sent together still cost one).
    Both the engine and the bare client run through it, so the ratio compares like with like.
    """

    def __init__(self, rtt: float) -> None:
        self.rtt = rtt
        self.sent: dict[int, float] = {}
        self.saved: list[tuple[type, str, object]] = []

    def _wait_reply(self, sock: socket.socket) -> None:
        sent = self.sent.pop(id(sock), None)
        if sent is not None:
            left = sent + self.rtt - time.monotonic()
            if left > 0:
                time.sleep(left)

    def install(self) -> None:
        emu = self

        def wrap(cls: type, name: str, kind: str) -> None:
            original = getattr(cls, name)
            self.saved.append((cls, name, original))

            def patched(sock, *args, **kwargs):  # type: ignore[no-untyped-def]
                if kind == "rtt":
                    time.sleep(emu.rtt)
                elif kind == "send":
                    emu.sent.setdefault(id(sock), time.monotonic())
                elif kind == "recv":
                    emu._wait_reply(sock)
                elif kind == "handshake" and not getattr(sock, "_bench_shaken", False):
                    sock._bench_shaken = True
                    time.sleep(emu.rtt)
                return original(sock, *args, **kwargs)

            setattr(cls, name, patched)

        for name in ("connect", "connect_ex"):
            wrap(socket.socket, name, "rtt")
        for cls in (socket.socket, ssl.SSLSocket):
            for name in ("send", "sendall", "sendto"):
                if name in cls.__dict__ or cls is socket.socket:
                    wrap(cls, name, "send")
            for name in ("recv", "recv_into", "recvfrom"):
                if name in cls.__dict__ or cls is socket.socket:
                    wrap(cls, name, "recv")
        wrap(ssl.SSLSocket, "do_handshake", "handshake")

    def remove(self) -> None:
        for cls, name, original in reversed(self.saved):
            setattr(cls, name, original)
        self.saved.clear()


def timed(func: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        func()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def netem(delay_ms: int) -> None:
    """Delay every packet on lo (no-op for 0 ms)."""
    if delay_ms:
        subprocess.run(["tc", "qdisc", "replace", "dev", "lo", "root", "netem", "delay",
                        f"{delay_ms}ms"], check=True, capture_output=True)


def netem_available() -> bool:
    probe = subprocess.run(["tc", "qdisc", "replace", "dev", "lo", "root", "netem", "delay",
                            "1ms"], capture_output=True, text=True)
    subprocess.run(["tc", "qdisc", "del", "dev", "lo", "root"], capture_output=True)
    return probe.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delay-ms", type=int, default=20, help="one-way delay on lo")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--deadline", type=float, default=3.0,
                        help="detect's deadline for the all-black-holes case")
    args = parser.parse_args()
    problem = isolation_problem()
    if problem:
        print(f"bench_discovery: {problem}", file=sys.stderr)
        return 2
    emulated: EmulatedRTT | None = None
    if args.delay_ms and not netem_available():
        print("bench_discovery: this kernel has no netem qdisc (sch_netem): emulating the "
              "round trips in the client instead", file=sys.stderr)
        emulated = EmulatedRTT(2 * args.delay_ms / 1000)
        args.delay_ms = 0
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        internet = Internet(Path(tmp))
        os.environ["SSL_CERT_FILE"] = str(internet.ca_file)
        os.environ["SSL_CERT_DIR"] = str(internet.empty_cert_dir)
        address = parse_address(f"alice@{DOMAIN}")
        rows = []
        try:
            for source in ("autoconfig", "ispdb", "mx", "srv", "autodiscover",
                           "autoconfig-http", "guess"):
                sim = NetSim(internet)
                bare = scenario(sim, source)
                sim.apply()
                netem(args.delay_ms)
                if emulated:
                    emulated.install()
                try:
                    expected = source.split("-")[0]
                    result = detect(address, timeout=10, ispdb_url=ISPDB_URL)
                    assert result.source == expected, (source, result.source, result.attempts)
                    engine = timed(lambda: detect(address, timeout=10, ispdb_url=ISPDB_URL),
                                   args.rounds)
                    minimum = timed(bare, args.rounds)
                finally:
                    if emulated:
                        emulated.remove()
                    subprocess.run(["tc", "qdisc", "del", "dev", "lo", "root"],
                                   check=False, capture_output=True)
                    sim.close()
                rows.append((source, engine, minimum))
            sim = NetSim(internet)
            scenario(sim, "black-holes")
            sim.apply()
            netem(args.delay_ms)
            if emulated:
                emulated.install()
            try:
                holes = timed(lambda: detect(address, timeout=args.deadline,
                                             ispdb_url=ISPDB_URL), max(1, args.rounds // 2))
            finally:
                if emulated:
                    emulated.remove()
                subprocess.run(["tc", "qdisc", "del", "dev", "lo", "root"], check=False,
                               capture_output=True)
                sim.close()
        finally:
            internet.stop()
    if emulated:
        print(f"emulated round trip {emulated.rtt * 1000:.0f} ms (no netem in this kernel), "
              f"median of {args.rounds}")
    else:
        print(f"one-way delay {args.delay_ms} ms on lo (round trip {2 * args.delay_ms} ms), "
              f"median of {args.rounds}")
    print(f"{'source':<16}{'detect':>10}{'minimum':>10}{'ratio':>8}{'overhead':>10}")
    for source, engine, minimum in rows:
        print(f"{source:<16}{engine * 1000:>8.1f}ms{minimum * 1000:>8.1f}ms"
              f"{engine / minimum:>8.2f}{(engine - minimum) * 1000:>8.1f}ms")
    print(f"{'black holes':<16}{holes * 1000:>8.0f}ms{args.deadline * 1000:>8.0f}ms"
          f"{holes / args.deadline:>8.2f}   (against the deadline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
