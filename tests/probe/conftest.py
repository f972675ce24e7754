"""Fixtures of the probe's unit tests: a test CA and server TLS contexts for the fakes."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from wizard.address import parse_address
from wizard.model import Server, Settings


@pytest.fixture(scope="session")
def ca(tmp_path_factory: pytest.TempPathFactory) -> object:
    certs = pytest.importorskip("netsim.certs", reason="tests/netsim (the test CA) is missing")
    return certs.CertificateAuthority(tmp_path_factory.mktemp("probe-ca"))


@pytest.fixture
def trust(ca: object, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the test CA the only one trusted (as a user's system store would)."""
    path: Path = ca.ca_file  # type: ignore[attr-defined]
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.setenv("SSL_CERT_DIR", str(path.parent / "no-such-dir"))
    return path


@pytest.fixture
def server_context(ca: object, trust: Path) -> Callable[[str], ssl.SSLContext]:
    """A server-side TLS context with a certificate of the given kind for ``localhost``."""

    def make(kind: str = "good") -> ssl.SSLContext:
        cert = ca.certificate(("localhost",), kind)  # type: ignore[attr-defined]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert.cert_file, cert.key_file)
        return context

    return make


def settings_for(*servers: Server, secure: bool = True, source: str | None = "builtin",
                 email: str = "alice@example.test") -> Settings:
    return Settings(
        address=parse_address(email), found=True, source=source,  # type: ignore[arg-type]
        secure=secure,
        incoming=tuple(s for s in servers if s.protocol != "smtp"),
        outgoing=tuple(s for s in servers if s.protocol == "smtp"),
    )


@pytest.fixture
def no_leak() -> Iterator[list[str]]:
    """Collects outputs to check for a password afterwards (see ``assert_no_secret``)."""
    yield []
