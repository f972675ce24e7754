#!/usr/bin/env bash
# Sets up everything the tests need (Debian packages and servers, the Python packages) and
# runs the whole test suite: unit tests, the keyring tests in a private D-Bus session, and the
# integration tests against the simulated internet in a private network namespace.
# Needs root (apt-get, network namespaces). Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-system.sh test
scripts/venv.sh test
mkdir -p test-artifacts
# The keyring tests prove that an installed plaintext backend is still refused; the package
# goes into a folder of its own (never into .venv) and must be fetched before the tests
# enter their offline namespace.
if [ ! -d .venv/keyrings-alt/keyrings ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps \
    --target .venv/keyrings-alt keyrings.alt
fi
export MAILWIZARD_TEST_KEYRINGS_ALT="$PWD/.venv/keyrings-alt"
exec scripts/netsim-run dbus-run-session -- .venv/bin/python -m pytest -p no:cacheprovider "$@"
