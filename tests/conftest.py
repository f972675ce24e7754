"""Shared test set-up: the simulated-internet fixtures and an offscreen Qt platform."""

import os

# Qt reads this when the first QApplication is made; without a display the default aborts.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

# netsim lives beside this file; the fixture module's name follows how pytest imported us.
pytest_plugins = [f"{__package__}.netsim.fixtures" if __package__ else "netsim.fixtures"]
