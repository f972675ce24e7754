#!/usr/bin/env bash
# Sets up MailWizard on this machine (Debian packages, a virtual environment) and starts it.
# Arguments go to the program: scripts/run.sh detect alice@yandex.ru
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-system.sh run
scripts/venv.sh
exec .venv/bin/mailwizard "$@"
