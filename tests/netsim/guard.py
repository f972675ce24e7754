"""Safety checks: the simulated internet runs only in a private namespace and only on loopback."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from pathlib import Path

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
# Addresses a DNS record may point at without any server behind them: loopback and the
# documentation ranges of RFC 5737, which are never routed anywhere.
RECORD_NETWORKS = (
    LOOPBACK,
    ipaddress.ip_network("192.0.2.0/24"),
    ipaddress.ip_network("198.51.100.0/24"),
    ipaddress.ip_network("203.0.113.0/24"),
)

# Debian packages that provide the servers; named in the error when one is missing.
REQUIRED_PROGRAMS = {
    "dnsmasq": "dnsmasq",
    "nginx": "nginx",
    "dovecot": "dovecot-imapd dovecot-pop3d dovecot-lmtpd",
    "openssl": "openssl",
}
POSTFIX_MASTER = Path("/usr/lib/postfix/sbin/master")


class NetSimError(RuntimeError):
    """The simulated internet was misused or one of its servers failed."""


def require_loopback(address: str) -> str:
    """Return ``address`` if it is an IPv4 loopback address; raise NetSimError otherwise."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError as exc:
        raise NetSimError(f"not an IP address: {address!r}") from exc
    if ip not in LOOPBACK:
        raise NetSimError(f"refusing to bind or connect outside 127.0.0.0/8: {address}")
    return address


def require_record_address(address: str) -> str:
    """Return ``address`` if a DNS record may point at it (loopback or RFC 5737)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError as exc:
        raise NetSimError(f"not an IP address: {address!r}") from exc
    if not any(ip in net for net in RECORD_NETWORKS):
        raise NetSimError(
            f"DNS records may point only at 127.0.0.0/8 or the RFC 5737 test ranges: {address}"
        )
    return address


def isolation_problem() -> str | None:
    """Say why this process is not inside a netsim namespace, or return None if it is."""
    if os.environ.get("MAILWIZARD_NETSIM") != "1":
        return (
            "needs the simulated internet: run as root through "
            "`scripts/netsim-run .venv/bin/python -m pytest -m network` "
            "(MAILWIZARD_NETSIM=1 is not set)"
        )
    if os.geteuid() != 0:
        return "needs root to start the simulated servers on privileged ports"
    interfaces = sorted(name for _index, name in socket.if_nameindex())
    if interfaces != ["lo"]:
        return f"network namespace is not private: interfaces {interfaces}, expected only lo"
    sys_net = Path("/sys/class/net")
    if sys_net.is_dir():
        listed = sorted(p.name for p in sys_net.iterdir())
        if listed != ["lo"]:
            return f"/sys/class/net lists {listed}: not a private namespace (or /sys not remounted)"
    try:
        resolv = Path("/etc/resolv.conf").read_text(encoding="utf-8")
    except OSError as exc:
        return f"cannot read /etc/resolv.conf: {exc}"
    servers = [
        line.split()[1]
        for line in resolv.splitlines()
        if line.startswith("nameserver") and len(line.split()) > 1
    ]
    if servers != ["127.0.0.1"]:
        return f"/etc/resolv.conf names {servers}, expected only 127.0.0.1"
    return None


def missing_programs() -> list[str]:
    """List the Debian packages whose server programs are not installed."""
    missing = [pkg for prog, pkg in REQUIRED_PROGRAMS.items() if shutil.which(prog) is None]
    if not POSTFIX_MASTER.exists():
        missing.append("postfix")
    return missing
