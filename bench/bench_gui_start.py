"""Time from starting the program to its first page on screen, against a bare QWizard.

    .venv/bin/python bench/bench_gui_start.py [--rounds 10]

Each round starts two fresh processes, alternately: one runs ``wizard.gui.app.run()``
unchanged, the other shows an empty QWizard page on the same PySide6. Both install the same
application-wide event filter, which reports the first paint of a wizard page and quits.
The clock runs in this process, from just before the child starts to the moment its report
arrives, so interpreter start-up, imports, translations and the first paint all count.
Goal (issue 7): a median ratio of at most 1.3. For information it also times the same
start through the command line (``mailwizard`` with no arguments), which first builds its
argument parser.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRELUDE = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWizardPage

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QWizardPage):
            sys.stdout.write("shown\\n")
            sys.stdout.flush()
            QApplication.instance().removeEventFilter(self)
            QApplication.instance().quit()
        return False

app = QApplication(sys.argv[:1])
first_paint = FirstPaint()
app.installEventFilter(first_paint)
"""

BARE = PRELUDE + """
from PySide6.QtWidgets import QWizard
wizard = QWizard()
wizard.addPage(QWizardPage())
wizard.show()
app.exec()
"""

MAILWIZARD = PRELUDE + """
from wizard.gui.app import run
run()
"""

# For information: the same through ``mailwizard`` with no arguments (wizard/cli.py).
CLI = PRELUDE + """
from wizard.cli import main
main([])
"""


def once(code: str, pycache: str) -> float:
    """Seconds from spawning a child running ``code`` to its "shown" line."""
    env = dict(os.environ)
    # Compiled modules, as an installed program has them (pip compiles at install time),
    # kept out of the source tree; this machine may forbid writing them next to the source.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = pycache
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env["LANG"] = env.get("LANG", "C.UTF-8")
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, cwd=ROOT, env=env, text=True)
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - started
    child.wait(30)
    if line.strip() != "shown":
        raise SystemExit(f"the child did not show a page (exit status {child.returncode})")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as pycache:
        for code in (BARE, MAILWIZARD, CLI):  # disk cache and compiled modules
            once(code, pycache)
        bare, ours, cli = [], [], []
        for _ in range(args.rounds):
            bare.append(once(BARE, pycache))
            ours.append(once(MAILWIZARD, pycache))
            cli.append(once(CLI, pycache))
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"bare QWizard:  median {b * 1000:.0f} ms (min {min(bare) * 1000:.0f})")
    print(f"MailWizard:    median {o * 1000:.0f} ms (min {min(ours) * 1000:.0f})")
    # The minimum is the least disturbed by other work on the machine.
    print(f"ratio {o / b:.2f} of the medians, {min(ours) / min(bare):.2f} of the minimums "
          "(goal <= 1.3)")
    c = statistics.median(cli)
    print(f"through `mailwizard` (CLI first): median {c * 1000:.0f} ms, ratio {c / b:.2f}")
    return 0 if o / b <= 1.3 else 1


if __name__ == "__main__":
    sys.exit(main())
