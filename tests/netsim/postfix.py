"""Postfix 3.7 for the simulated mail hosts: 25, 587 and 465, delivering to Dovecot over LMTP."""

from __future__ import annotations

import grp
import os
import pwd
import signal
import time
from pathlib import Path

from .guard import POSTFIX_MASTER, require_loopback
from .mailtypes import Mailbox, MailService
from .process import ServerProcess

INTERNAL_HOSTNAME = "netsim.test"

# Queue layout from Postfix's postfix-files: (name, owner, group, mode).
_QUEUE_DIRS = [
    ("pid", "root", "root", 0o755),
    *(
        (name, "postfix", "root", 0o700)
        for name in (
            "active",
            "bounce",
            "corrupt",
            "defer",
            "deferred",
            "flush",
            "hold",
            "incoming",
            "private",
            "saved",
            "trace",
        )
    ),
    ("maildrop", "postfix", "postdrop", 0o730),
    ("public", "postfix", "postdrop", 0o710),
]

# The internal services every Postfix needs (from Debian's master.cf, chroot off).
_MASTER_BASE = """\
pickup     unix  n       -       n       60      1       pickup
cleanup    unix  n       -       n       -       0       cleanup
qmgr       unix  n       -       n       300     1       qmgr
tlsmgr     unix  -       -       n       1000?   1       tlsmgr
rewrite    unix  -       -       n       -       -       trivial-rewrite
bounce     unix  -       -       n       -       0       bounce
defer      unix  -       -       n       -       0       bounce
trace      unix  -       -       n       -       0       bounce
verify     unix  -       -       n       -       1       verify
flush      unix  n       -       n       1000?   0       flush
proxymap   unix  -       -       n       -       -       proxymap
proxywrite unix  -       -       n       -       1       proxymap
smtp       unix  -       -       n       -       -       smtp
relay      unix  -       -       n       -       -       smtp
showq      unix  n       -       n       -       -       showq
error      unix  -       -       n       -       -       error
retry      unix  -       -       n       -       -       error
discard    unix  -       -       n       -       -       discard
lmtp       unix  -       -       n       -       -       lmtp
anvil      unix  -       -       n       -       1       anvil
scache     unix  -       -       n       -       1       scache
postlog    unix-dgram n  -       n       -       1       postlogd
"""

_SUBMISSION = (
    "smtpd_sasl_auth_enable=yes",
    "smtpd_client_restrictions=permit_sasl_authenticated,reject",
    "smtpd_relay_restrictions=permit_sasl_authenticated,reject",
)
# Port -> extra smtpd options.
_PORT_OPTIONS: dict[int, tuple[str, ...]] = {
    25: (),
    587: ("smtpd_tls_security_level=encrypt", "smtpd_tls_auth_only=yes", *_SUBMISSION),
    465: ("smtpd_tls_wrappermode=yes", *_SUBMISSION),
}


def _chown(path: Path, user: str, group: str) -> None:
    os.chown(path, pwd.getpwnam(user).pw_uid, grp.getgrnam(group).gr_gid)


class Postfix:
    """One Postfix master serving every mail host; configuration changes apply by reload."""

    def __init__(self, directory: Path, lmtp: tuple[str, int], sasl: tuple[str, int]) -> None:
        self.dir = directory
        self.queue = directory / "queue"
        self.data = directory / "data"
        self.log_dir = directory / "log"
        self.log_file = self.log_dir / "postfix.log"
        for sub in (self.queue, self.data, self.log_dir):
            sub.mkdir(parents=True, exist_ok=True)
        _chown(self.data, "postfix", "root")
        self.data.chmod(0o700)
        for name, user, group, mode in _QUEUE_DIRS:
            path = self.queue / name
            path.mkdir(exist_ok=True)
            _chown(path, user, group)
            path.chmod(mode)
        self._lmtp = lmtp
        self._sasl = sasl
        self._process = ServerProcess(
            "postfix",
            [str(POSTFIX_MASTER), "-d", "-c", str(directory)],
            self.log_dir / "master.out",
            self.log_file,
        )
        self._applied: tuple[str, str, str] | None = None

    def apply(self, services: list[MailService], mailboxes: list[Mailbox]) -> None:
        """Serve these hosts and accept mail for these mailboxes (and only those)."""
        domains = sorted({box.domain.lower() for box in mailboxes})
        table = "".join(f"{box.address.lower()} {box.address.lower()}\n" for box in mailboxes)
        main = self._main_cf(domains)
        master = self._master_cf(services)
        wanted = (main, master, table)
        if wanted == self._applied and self._process.running:
            return
        for name, text in (("mailboxes", table), ("main.cf", main), ("master.cf", master)):
            path = self.dir / name
            path.write_text(text)
            # Postfix waits (in 0.3 s steps) until a file it loads is two seconds old, in case
            # someone is still editing it: backdate ours.
            past = time.time() - 10
            os.utime(path, (past, past))
        self._applied = wanted
        ports = [(s.address, p) for s in services for p in s.ports if p in _PORT_OPTIONS]
        if self._process.running:
            # The master re-reads both files, opens new listeners and retires old processes.
            pid = self._process.pid
            before = self._log_count(f"postfix/master[{pid}]: reload")
            self._process.send_signal(signal.SIGHUP)
            self._process.wait_until(
                lambda: self._log_count(f"postfix/master[{pid}]: reload") > before, "reload"
            )
            self._process.wait_for_ports(ports)
        else:
            # The master ignores nothing before it has set up its signal handlers, and it
            # says "daemon started" only after that.
            self._process.start(ports, ready=self._started)

    def _started(self, pid: int) -> bool:
        return self._log_count(f"postfix/master[{pid}]: daemon started") > 0

    def _log_count(self, text: str) -> int:
        try:
            return self.log_file.read_text(errors="replace").count(text)
        except FileNotFoundError:
            return 0

    def _main_cf(self, domains: list[str]) -> str:
        lmtp_address, lmtp_port = self._lmtp
        sasl_address, sasl_port = self._sasl
        settings = {
            "compatibility_level": "3.6",
            "queue_directory": str(self.queue),
            "data_directory": str(self.data),
            "mail_owner": "postfix",
            "setgid_group": "postdrop",
            "myhostname": INTERNAL_HOSTNAME,
            "mydomain": INTERNAL_HOSTNAME,
            "myorigin": INTERNAL_HOSTNAME,
            "mydestination": "",
            "mynetworks": "127.0.0.2/32",
            "inet_interfaces": "all",
            "inet_protocols": "ipv4",
            "alias_maps": "",
            "alias_database": "",
            "biff": "no",
            "smtpd_peername_lookup": "no",
            "maillog_file": str(self.log_file),
            "maillog_file_prefixes": str(self.log_dir),
            # Only the simulated mailboxes receive mail; anything else bounces at once.
            "virtual_mailbox_domains": ", ".join(domains),
            "virtual_mailbox_maps": f"texthash:{self.dir / 'mailboxes'}",
            "virtual_transport": f"lmtp:inet:{require_loopback(lmtp_address)}:{lmtp_port}",
            "local_transport": "error:5.1.1 netsim has no local delivery",
            "default_transport": "error:5.4.4 netsim delivers only to its own domains",
            "relay_transport": "error:5.4.4 netsim delivers only to its own domains",
            "smtpd_banner": "$myhostname ESMTP",
            "smtpd_tls_security_level": "may",
            "smtpd_sasl_type": "dovecot",
            "smtpd_sasl_path": f"inet:{require_loopback(sasl_address)}:{sasl_port}",
            "smtpd_sasl_auth_enable": "no",
            "smtpd_relay_restrictions": "permit_sasl_authenticated, reject_unauth_destination",
            "smtpd_recipient_restrictions": "",
            "smtpd_tls_loglevel": "1",
        }
        return "".join(f"{key} = {value}\n" for key, value in settings.items())

    def _master_cf(self, services: list[MailService]) -> str:
        lines = ["# generated by tests/netsim", _MASTER_BASE.rstrip("\n")]
        for service in services:
            require_loopback(service.address)
            cert = service.certificate
            common = (
                f"myhostname={service.name}",
                f"smtpd_tls_chain_files={cert.key_file},{cert.cert_file}",
            )
            for port in service.ports:
                if port not in _PORT_OPTIONS:
                    continue
                options = " ".join(f"-o {o}" for o in (*common, *_PORT_OPTIONS[port]))
                lines.append(f"{service.address}:{port} inet n - n - - smtpd {options}")
        return "\n".join(lines) + "\n"

    @property
    def running(self) -> bool:
        return self._process.running

    @property
    def pid(self) -> int | None:
        """PID of the running daemon, or None."""
        return self._process.pid

    def stop(self) -> None:
        self._process.stop()
