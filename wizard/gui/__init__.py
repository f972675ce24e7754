"""The graphical wizard (PySide6).

Layout: ``flow`` (the wizard's state and navigation, no Qt: the tests drive it without a
display), ``services`` (the one adapter onto the core: discovery, probing, keyring, export;
no Qt), ``tasks`` (the one helper that runs a job off the GUI thread), ``translation`` (Qt
translators, language switching, pseudo-localisation), ``pages/`` (one module per wizard
page), ``window`` (the QWizard) and ``app`` (``run()``).

Importing this package imports no Qt; only ``tasks``, ``translation``, ``widgets``,
``pages``, ``window`` and ``app`` do.
"""
