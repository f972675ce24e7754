"""Settings to export, a throwaway TLS certificate, and credential-recording servers."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from wizard.address import parse_address
from wizard.model import ProviderRef, Server, Settings

from .fakemail import CredentialServer

# Every character that some format treats specially: quotes of all kinds, backslash,
# comment starters, shell and NeoMutt expansion, URL delimiters, non-ASCII.
NASTY_PASSWORD = "p a'ss\"w\\rd#;$HOME`id`%40@:/?é"
NAME = "Zoë O'Brien \"Z\""


def imap_settings(email: str = "alice@example.com", **changes: object) -> Settings:
    """IMAP over TLS, submission with STARTTLS, user name = address."""
    address = parse_address(email)
    settings = Settings(
        address=address,
        found=True,
        provider=ProviderRef("example.com", "Example <Mail> & Co"),
        source="builtin",
        secure=True,
        incoming=(Server("imap", "imap.example.com", 993, "ssl", ("password-cleartext",),
                         address.email),
                  Server("pop3", "pop.example.com", 995, "ssl", ("password-cleartext",),
                         address.email)),
        outgoing=(Server("smtp", "smtp.example.com", 587, "starttls", ("password-cleartext",),
                         address.email),),
    )
    return replace(settings, **changes)  # type: ignore[arg-type]


def pop3_settings(email: str = "bob@example.org") -> Settings:
    """POP3 with STARTTLS, SMTP over TLS, user name = local part."""
    address = parse_address(email)
    return Settings(
        address=address,
        found=True,
        incoming=(Server("pop3", "pop.example.org", 110, "starttls", ("password-cleartext",),
                         address.local),),
        outgoing=(Server("smtp", "smtp.example.org", 465, "ssl", ("password-cleartext",),
                         address.local),),
    )


def local_settings(imap_port: int | None, smtp_port: int | None,
                   email: str = "carol@example.net", user: str = "carol@example.net") -> Settings:
    """Servers on localhost (for clients that connect to a CredentialServer)."""
    address = parse_address(email)
    incoming = (Server("imap", "localhost", imap_port or 9, "ssl", ("password-cleartext",),
                       user),)
    outgoing = (Server("smtp", "localhost", smtp_port or 9, "ssl", ("password-cleartext",),
                       user),)
    return Settings(address=address, found=True, incoming=incoming, outgoing=outgoing)


def need(program: str, package: str) -> str:
    """The path of ``program``, or skip with the Debian package to install."""
    path = shutil.which(program)
    if path is None:
        pytest.skip(f"{program} is not installed (Debian package {package})")
    return path


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 / localhost and its key."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed (Debian package openssl)")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


@pytest.fixture
def imap_server(tls_files: tuple[Path, Path]) -> Iterator[CredentialServer]:
    server = CredentialServer("imap", *tls_files)
    yield server
    server.close()


@pytest.fixture
def smtp_server(tls_files: tuple[Path, Path]) -> Iterator[CredentialServer]:
    server = CredentialServer("smtp", *tls_files)
    yield server
    server.close()
