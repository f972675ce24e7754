"""The real Thunderbird starts with an exported profile and connects as the settings say.

Headless Thunderbird (Debian package ``thunderbird``) runs in the simulated internet with a
fresh HOME, the test CA in the profile's NSS store and nothing else. With no password
stored it connects, secures the connection and stops before signing in; Dovecot logs each
connection when it closes, with ``TLS`` once the connection was encrypted. Each case gives
the mail host only the one port the settings name, so a logged TLS connection proves host,
port and security were all read as exported. While Thunderbird runs, the export must also
see its profile lock and refuse to write.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from wizard.address import parse_address
from wizard.export import ProfileInUseError, export, profile_in_use
from wizard.export.prefs import parse_prefs
from wizard.model import Server, Settings

from .conftest import need

pytestmark = [pytest.mark.network, pytest.mark.slow]

CONNECT_TIMEOUT = 90.0  # the first start on a machine builds caches and can take long
SETTLE = 3.0  # after connecting: greeting, STARTTLS or TLS, capabilities
QUIET_PREFS = """\
user_pref("app.update.enabled", false);
user_pref("app.update.auto", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("mail.shell.checkDefaultClient", false);
user_pref("mail.rights.override", true);
user_pref("extensions.update.enabled", false);
user_pref("browser.safebrowsing.update.enabled", false);
"""
# Stay online. The simulated internet has no interface but lo, which Gecko's link service
# counts as no link: with automatic offline detection (Thunderbird's default) it reports the
# link down about a second after start, Thunderbird goes offline and drops the connection it
# is opening, and only checks mail again after check_time (10 minutes). Whether the connection
# stood before that was a race, lost in about one run in two. offline.autoDetect is
# Thunderbird's switch (it sets Gecko's manage-offline-status from it at startup); the other
# two make sure of the same from the first moment. On a real machine none of this matters.
ONLINE_PREFS = """\
user_pref("offline.autoDetect", false);
user_pref("network.manage-offline-status", false);
user_pref("offline.startup_state", 2);
"""
# What Thunderbird did, for when it does not connect: online state and mail protocols.
MOZ_LOG = "timestamp,sync,nsIOService:4,IMAP:3,POP3:3"


def connected(address: str, port: int) -> bool:
    """True if some socket in this namespace has an established connection to address:port."""
    want = f"{int.from_bytes(bytes(map(int, address.split('.'))), 'little'):08X}:{port:04X}"
    with open("/proc/net/tcp") as table:
        return any(f[2] == want and f[3] == "01"
                   for f in (line.split() for line in table.readlines()[1:]))


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop Thunderbird and whatever it started (its own session), by its PID."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@pytest.mark.parametrize(("protocol", "port", "security"), [
    ("imap", 993, "ssl"),
    ("imap", 143, "starttls"),
    ("pop3", 995, "ssl"),
    ("pop3", 110, "starttls"),
])
def test_thunderbird_connects_as_exported(netsim: object, tmp_path: Path, protocol: str,
                                          port: int, security: str) -> None:
    thunderbird = need("thunderbird", "thunderbird")
    certutil = need("certutil", "libnss3-tools")
    domain = netsim.domain("example.test")  # type: ignore[attr-defined]
    host = domain.mailserver("mail", users={"alice": "Secret-1"}, ports=(port,))
    netsim.apply()  # type: ignore[attr-defined]

    address = parse_address("alice@example.test")
    settings = Settings(
        address=address, found=True,
        incoming=(Server(protocol, "mail.example.test", port, security,  # type: ignore[arg-type]
                         ("password-cleartext",), address.email),),
        outgoing=(Server("smtp", "mail.example.test", 465, "ssl", ("password-cleartext",),
                         address.email),),
    )
    profile = tmp_path / "profile"
    export("thunderbird", settings, "Alice Example", None, profile)
    subprocess.run([certutil, "-N", "-d", f"sql:{profile}", "--empty-password"], check=True,
                   capture_output=True, timeout=60)
    subprocess.run([certutil, "-A", "-d", f"sql:{profile}", "-n", "netsim-ca", "-t", "C,,",
                    "-i", str(netsim.ca_file)],  # type: ignore[attr-defined]
                   check=True, capture_output=True, timeout=60)
    (profile / "user.js").write_text(QUIET_PREFS + ONLINE_PREFS)
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()

    log_file: Path = netsim.logs["dovecot"]  # type: ignore[attr-defined]
    log_start = log_file.stat().st_size if log_file.exists() else 0
    started = time.monotonic()
    with (tmp_path / "thunderbird.out").open("wb") as output:
        process = subprocess.Popen(
            [thunderbird, "--headless", "--no-remote", "-profile", str(profile)],
            env=netsim.env(HOME=str(home), TMPDIR=str(tmp),  # type: ignore[attr-defined]
                           MOZ_LOG=MOZ_LOG, MOZ_LOG_FILE=str(tmp_path / "moz.log")),
            stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        while not connected(host.address, port):
            assert process.poll() is None, "Thunderbird exited; see thunderbird.out"
            assert time.monotonic() - started < CONNECT_TIMEOUT, \
                f"Thunderbird did not connect to {host.address}:{port}; see thunderbird.out " \
                f"and moz.log*.moz_log in {tmp_path}"
            time.sleep(0.1)
        connect_time = time.monotonic() - started
        # The running Thunderbird holds its profile: the export must notice and refuse.
        assert profile_in_use(profile)
        with pytest.raises(ProfileInUseError):
            export("thunderbird", settings, None, None, profile)
        time.sleep(SETTLE)
    finally:
        stop(process)
    print(f"Thunderbird connected after {connect_time:.1f} s")
    assert profile_in_use(profile) is None

    # Thunderbird loaded the account: it added its own prefs (the local folder) to ours.
    prefs = {p.name: p.value for p in parse_prefs((profile / "prefs.js").read_text("utf-8"))}
    assert prefs["mail.server.server1.hostname"] == "mail.example.test"
    assert prefs["mail.server.server1.socketType"] == (3 if security == "ssl" else 2)
    assert "mail.server.server1.directory-rel" in prefs

    deadline = time.monotonic() + 10
    while True:
        with log_file.open("rb") as f:
            f.seek(log_start)
            lines = [line for line in f.read().decode("utf-8", "replace").splitlines()
                     if f"{protocol}-login:" in line and f"lip={host.address}," in line]
        secured = [line for line in lines if ", TLS," in line or ", TLS:" in line]
        if secured or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert secured, "no encrypted connection in the Dovecot log:\n" + "\n".join(lines)
    # Without a stored password no login may have happened, and none without TLS.
    assert not [line for line in lines if "Login:" in line]
    assert all("TLS" in line for line in lines if "method=" in line)
