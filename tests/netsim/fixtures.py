"""pytest fixtures for the simulated internet (registered by tests/conftest.py).

- ``netsim_isolation`` (session): skips unless inside ``scripts/netsim-run`` (private network
  namespace with only ``lo``, MAILWIZARD_NETSIM=1, root). Every ``network`` test gets it.
- ``netsim_internet`` (session): the shared CA, address pool and lazily started daemons.
- ``netsim`` (function): a fresh scenario; the test process trusts only the test CA meanwhile.
- ``netsim_ca`` (session): the CertificateAuthority, for tests that only need certificates.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from .certs import CertificateAuthority
from .guard import isolation_problem, missing_programs
from .netsim import CA_FILE_VARIABLES, REMOVED_VARIABLES, NetSim
from .servers import Internet

NETSIM_FIXTURES = frozenset({"netsim", "netsim_internet", "netsim_ca", "netsim_isolation"})


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the simulated internet is a ``network`` test, marked or not."""
    for item in items:
        uses_netsim = NETSIM_FIXTURES & set(getattr(item, "fixturenames", ()))
        if uses_netsim and item.get_closest_marker("network") is None:
            item.add_marker(pytest.mark.network)


@pytest.fixture(autouse=True)
def _network_tests_need_isolation(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("network") is not None:
        request.getfixturevalue("netsim_isolation")


@pytest.fixture(scope="session")
def netsim_isolation() -> None:
    """Skip unless this is a private network namespace; fail if a server is not installed."""
    problem = isolation_problem()
    if problem is not None:
        pytest.skip(problem)
    missing = missing_programs()
    if missing:
        pytest.fail(f"the simulated internet needs the Debian packages: {' '.join(missing)}")


def _make_traversable(path: Path) -> None:
    """Let the daemons' unprivileged users (postfix, dovecot, nobody) reach ``path``: pytest
    makes its temporary folders 0700. Only the search bit is added, and it is not taken back:
    pytest resets its folder at the next start, and netsim-run's /tmp is private anyway, so
    restoring it could only race with another session."""
    for directory in [path, *path.parents]:
        mode = stat.S_IMODE(directory.stat().st_mode)
        if mode & stat.S_IXOTH:
            break
        directory.chmod(mode | stat.S_IXGRP | stat.S_IXOTH)


@pytest.fixture(scope="session")
def netsim_internet(
    netsim_isolation: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Internet]:
    """The daemons and CA shared by every test of the session; stopped (by PID) at its end."""
    root = tmp_path_factory.mktemp("netsim")
    _make_traversable(root)
    internet = Internet(root)
    try:
        yield internet
    finally:
        internet.stop()


@pytest.fixture
def netsim(netsim_internet: Internet, monkeypatch: pytest.MonkeyPatch) -> Iterator[NetSim]:
    """A new, empty scenario. Meanwhile this process trusts only the test CA and uses no proxy."""
    for variable in CA_FILE_VARIABLES:
        monkeypatch.setenv(variable, str(netsim_internet.ca_file))
    monkeypatch.setenv("SSL_CERT_DIR", str(netsim_internet.empty_cert_dir))
    for variable in REMOVED_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    assert os.environ["SSL_CERT_FILE"] == str(netsim_internet.ca_file)
    sim = NetSim(netsim_internet)
    try:
        yield sim
    finally:
        sim.close()


@pytest.fixture(scope="session")
def netsim_ca(netsim_internet: Internet) -> CertificateAuthority:
    """The test CA; ``netsim_ca.ca_file`` is the PEM file to trust."""
    return netsim_internet.ca
