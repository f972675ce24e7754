"""A throwaway certificate authority and per-host certificates, good and deliberately bad."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .process import find_program, run_tool


class CertKind(StrEnum):
    """What is wrong (or not) with a host's certificate."""

    GOOD = "good"  # signed by the test CA, SAN = the host name, valid now
    EXPIRED = "expired"  # signed by the test CA, validity ended a year ago
    NOT_YET_VALID = "not-yet-valid"  # signed by the test CA, valid from next year
    WRONG_HOST = "wrong-host"  # signed by the test CA for another name
    UNTRUSTED = "untrusted"  # right name and dates, signed by a CA nobody trusts
    SELF_SIGNED = "self-signed"  # right name and dates, signed by its own key


WRONG_HOST_NAME = "wrong-host.invalid"

_CA_CONFIG = """\
[ca]
default_ca = netsim
[netsim]
database = {dir}/index.txt
new_certs_dir = {dir}/issued
rand_serial = yes
default_md = sha256
unique_subject = no
policy = anything
copy_extensions = copy
[anything]
commonName = supplied
"""


@dataclass(frozen=True)
class Certificate:
    """A PEM certificate and its key, as files."""

    cert_file: Path
    key_file: Path
    kind: CertKind
    names: tuple[str, ...]


def _stamp(when: dt.datetime) -> str:
    return when.strftime("%Y%m%d%H%M%SZ")


class _Signer:
    """One CA made with the openssl CLI, able to sign a certificate for any validity window."""

    def __init__(self, directory: Path, common_name: str) -> None:
        self.dir = directory
        (directory / "issued").mkdir(parents=True)
        (directory / "index.txt").write_text("")
        self.config = directory / "ca.cnf"
        self.config.write_text(_CA_CONFIG.format(dir=directory))
        self.key = directory / "ca.key"
        self.cert = directory / "ca.pem"
        run_tool(
            [
                find_program("openssl"),
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                str(self.key),
                "-out",
                str(self.cert),
                "-days",
                "60",
                "-subj",
                f"/O=MailWizard tests/CN={common_name}",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ]
        )

    def sign(self, csr: Path, out: Path, start: dt.datetime, end: dt.datetime) -> None:
        run_tool(
            [
                find_program("openssl"),
                "ca",
                "-batch",
                "-notext",
                "-config",
                str(self.config),
                "-cert",
                str(self.cert),
                "-keyfile",
                str(self.key),
                "-in",
                str(csr),
                "-out",
                str(out),
                "-startdate",
                _stamp(start),
                "-enddate",
                _stamp(end),
            ]
        )


class CertificateAuthority:
    """The test CA (trusted through ``ca_file``) plus an untrusted one, issuing host certificates.

    Certificates are made on first use and cached; all share one EC key, which keeps each
    certificate to one or two quick openssl runs.
    """

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._trusted = _Signer(directory / "ca", "MailWizard netsim CA")
        self._untrusted = _Signer(directory / "untrusted-ca", "Nobody trusts this CA")
        self.key_file = directory / "host.key"
        run_tool(
            [
                find_program("openssl"),
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                str(self.key_file),
            ]
        )
        self._cache: dict[tuple[CertKind, tuple[str, ...]], Certificate] = {}
        self._lock = threading.Lock()
        self._serial = 0

    @property
    def ca_file(self) -> Path:
        """PEM file of the only CA the tests trust."""
        return self._trusted.cert

    def certificate(self, names: tuple[str, ...], kind: CertKind = CertKind.GOOD) -> Certificate:
        """Return (making it if needed) a certificate of ``kind`` for the DNS ``names``."""
        kind = CertKind(kind)
        with self._lock:
            key = (kind, names)
            if key not in self._cache:
                self._cache[key] = self._issue(names, kind)
            return self._cache[key]

    def _issue(self, names: tuple[str, ...], kind: CertKind) -> Certificate:
        self._serial += 1
        out = self.dir / "hosts" / f"{self._serial:04d}-{names[0]}-{kind.value}.pem"
        out.parent.mkdir(exist_ok=True)
        san_names = (WRONG_HOST_NAME,) if kind is CertKind.WRONG_HOST else names
        subject = f"/CN={san_names[0]}"
        san = "subjectAltName=" + ",".join(f"DNS:{name}" for name in san_names)
        openssl = find_program("openssl")
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        day = dt.timedelta(days=1)
        if kind is CertKind.SELF_SIGNED:
            run_tool(
                [
                    openssl,
                    "req",
                    "-x509",
                    "-key",
                    str(self.key_file),
                    "-out",
                    str(out),
                    "-days",
                    "30",
                    "-subj",
                    subject,
                    "-addext",
                    san,
                    "-addext",
                    "basicConstraints=critical,CA:FALSE",
                ]
            )
        else:
            csr = out.with_suffix(".csr")
            run_tool(
                [
                    openssl,
                    "req",
                    "-new",
                    "-key",
                    str(self.key_file),
                    "-out",
                    str(csr),
                    "-subj",
                    subject,
                    "-addext",
                    san,
                    "-addext",
                    "basicConstraints=critical,CA:FALSE",
                    "-addext",
                    "extendedKeyUsage=serverAuth",
                ]
            )
            start, end = now - day, now + 30 * day
            if kind is CertKind.EXPIRED:
                start, end = now - 400 * day, now - 365 * day
            elif kind is CertKind.NOT_YET_VALID:
                start, end = now + 365 * day, now + 400 * day
            signer = self._untrusted if kind is CertKind.UNTRUSTED else self._trusted
            signer.sign(csr, out, start, end)
        return Certificate(out, self.key_file, kind, names)
