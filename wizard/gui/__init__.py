"""The graphical wizard (PySide6): six pages from an address to a checked, saved account.

Layout
    ``flow``         the wizard's state and every decision (validation, navigation, port
                     defaults, when a warning must be confirmed, what a checklist shows);
                     no Qt and no user-facing text (it returns codes the GUI words), so the
                     tests drive it without a display and it needs no catalogue of its own.
    ``services``     the one adapter onto the core (wizard.discovery, wizard.probe,
                     wizard.keystore, wizard.export); no Qt. Tests subclass it with fakes.
    ``tasks``        the one helper that runs a job off the GUI thread and delivers its
                     progress, result or exception on the GUI thread, with a cancel hook.
    ``pageids``      the page numbers, importable before anything else.
    ``widgets``      the pages' base class and small widgets; ``texts`` the words for codes.
    ``pages/``       one module per page (plus the server editor and the checklist).
    ``window``       the QWizard: page order, language switch, icon, title.
    ``translation``  Qt translators (resources/i18n/*.ts → .qm), language switching (which
                     also switches wizard.i18n, so the core's messages follow), and the
                     pseudo-localisation used by the tests.
    ``app``          ``run()``, what ``mailwizard`` without arguments calls.

Importing this package, ``flow`` or ``services`` imports no Qt.
"""
