"""One server's checklist on the verification page, its certificate decision and transcript."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wizard import __version__
from wizard.gui import texts
from wizard.gui.flow import CHECK_ITEMS, ItemState
from wizard.gui.services import ServerCheck, platform_name
from wizard.gui.widgets import Message, WarningBox, named
from wizard.model import Server

_MARKS = {
    ItemState.PENDING: "○", ItemState.RUNNING: "…", ItemState.OK: "✔",
    ItemState.FAILED: "✘", ItemState.NOT_TRIED: "·", ItemState.NOT_USED: "\u2013",
}


def item_name(item: str) -> str:
    return {
        "connect": QCoreApplication.translate("Checks", "Reach the server"),
        "tls": QCoreApplication.translate("Checks", "Encrypted connection"),
        "certificate": QCoreApplication.translate("Checks", "Server certificate"),
        "login": QCoreApplication.translate("Checks", "Log in"),
    }[item]


def state_name(state: ItemState) -> str:
    return {
        ItemState.PENDING: QCoreApplication.translate("Checks", "waiting"),
        ItemState.RUNNING: QCoreApplication.translate("Checks", "checking…"),
        ItemState.OK: QCoreApplication.translate("Checks", "OK"),
        ItemState.FAILED: QCoreApplication.translate("Checks", "failed"),
        ItemState.NOT_TRIED: QCoreApplication.translate("Checks", "not tried"),
        ItemState.NOT_USED: QCoreApplication.translate("Checks", "not used"),
    }[state]


def support_report(email_domain: str, check: ServerCheck) -> str:
    """The text "Copy for a support ticket" puts on the clipboard: no password, ever.

    The transcript is the probe's, already redacted by its allow-list; the address's
    local part is left out too, so the person may paste it into a public forum.
    """
    server = check.server
    lines = [
        f"MailWizard {__version__} ({platform_name()})",
        f"Domain: {email_domain}",
        f"Server: {server.protocol} {server.host}:{server.port} security={server.security} "
        f"auth={','.join(server.auth)}",
        f"Result: {'ok' if check.ok else 'failed'} at stage {check.stage}"
        + (f", error {check.error.code}" if check.error else ""),
    ]
    if check.error is not None:
        lines.append(f"Message: {check.error.message}")
    if check.tls_version:
        lines.append(f"TLS: {check.tls_version}")
    if check.certificate is not None:
        c = check.certificate
        lines.append(f"Certificate: subject={c.subject}; issuer={c.issuer}; "
                     f"not_after={c.not_after}; sha256={c.sha256}; trusted={c.trusted}; "
                     f"hostname_match={c.hostname_match}; "
                     f"trusted_by_fingerprint={c.trusted_by_fingerprint}")
    lines.append(f"Elapsed: {check.elapsed_ms} ms")
    lines.append("")
    lines.append("Transcript:")
    lines.extend(check.transcript or ["(empty)"])
    return "\n".join(lines)


class TranscriptDialog(QDialog):
    """The session transcript of one server, with "Copy for a support ticket"."""

    def __init__(self, parent: QWidget, email_domain: str, check: ServerCheck) -> None:
        super().__init__(parent)
        self.setObjectName("transcriptDialog")
        self.report = support_report(email_domain, check)
        self.setWindowTitle(self.tr("Transcript: %1").replace("%1", check.server.host))
        self.text = named(QPlainTextEdit(), "transcript")
        self.text.setReadOnly(True)
        self.text.setFont(QFont("monospace"))
        self.text.setPlainText(self.report)
        self.label = QLabel(self.tr("&Conversation with the server (passwords are hidden)"))
        self.label.setBuddy(self.text)
        self.text.setAccessibleName(self.tr("Conversation with the server (passwords are "
                                            "hidden)"))
        self.copy = named(QPushButton(self.tr("Copy for a &support ticket")), "copy")
        self.copied = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.copy)
        row.addWidget(self.copied, 1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.text)
        layout.addLayout(row)
        self.copy.clicked.connect(self._copy)
        self.resize(720, 480)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copied.setText(self.tr("Copied. Paste it into your message to the help desk."))


class ServerChecks(QGroupBox):
    """The checklist of one server, its diagnosis, and the certificate decision."""

    def __init__(self, server: Server, on_trust: Callable[[str, bool], None],
                 on_transcript: Callable[[Server], None]) -> None:
        super().__init__()
        self.server = server
        self.check: ServerCheck | None = None
        grid = QGridLayout()
        self.rows: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        for row, item in enumerate(CHECK_ITEMS):
            mark, name, state = QLabel(), QLabel(), named(QLabel(), f"{item}State")
            grid.addWidget(mark, row, 0)
            grid.addWidget(name, row, 1)
            grid.addWidget(state, row, 2)
            self.rows[item] = (mark, name, state)
        grid.setColumnStretch(1, 1)
        # The probe's own words (the core's catalogue), not Qt's: see translation.py.
        self.diagnosis = Message("error")
        self.diagnosis.setObjectName("coreDiagnosis")
        self.hint = Message("none")
        self.hint.setObjectName("coreHint")
        self.passed = Message("ok")

        self.cert_box = WarningBox()
        self.cert_text = Message("warning")
        self.cert_form = QFormLayout()
        self.cert_labels = {k: QLabel() for k in ("subject", "issuer", "expires", "sha256")}
        self.cert_values = {k: named(QLabel(), f"cert_{k}") for k in self.cert_labels}
        for key in self.cert_labels:
            self.cert_values[key].setWordWrap(True)
            self.cert_values[key].setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            self.cert_form.addRow(self.cert_labels[key], self.cert_values[key])
        self.cert_values["sha256"].setFont(QFont("monospace"))
        self.trust = named(QCheckBox(), "trust")
        self.trust.toggled.connect(
            lambda on: self.check and self.check.certificate
            and on_trust(self.check.certificate.sha256, on))
        self.cert_box.layout_.addWidget(self.cert_text)
        self.cert_box.layout_.addLayout(self.cert_form)
        self.cert_box.layout_.addWidget(self.trust)
        self.cert_box.setVisible(False)

        self.transcript = named(QPushButton(), "showTranscript")
        self.transcript.clicked.connect(lambda: on_transcript(self.server))
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.transcript)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.passed)
        layout.addWidget(self.diagnosis)
        layout.addWidget(self.hint)
        layout.addWidget(self.cert_box)
        layout.addLayout(bottom)

    def show_state(self, items: dict[str, ItemState], check: ServerCheck | None,
                   trusted: set[str]) -> None:
        self.check = check
        direction = self.tr("Incoming") if self.server.incoming else self.tr("Outgoing")
        self.setTitle(f"{direction}: {texts.server_line(self.server)}")
        cert = check.certificate if check is not None else None
        pinned = cert is not None and cert.trusted_by_fingerprint
        for item, (mark, name, state_label) in self.rows.items():
            mark.setText(_MARKS[items[item]])
            name.setText(item_name(item))
            state_label.setText(self.tr("accepted by your decision")
                                if pinned and item == "certificate" else state_name(items[item]))
        error = check.error if check is not None else None
        self.diagnosis.show_text(error.message if error else "")
        self.hint.show_text(error.hint or "" if error else "")
        self.passed.show_text(self.tr("This server works with your settings.")
                              if check is not None and check.ok else "")
        self.transcript.setText(self.tr("Show the &transcript"))
        self.transcript.setVisible(check is not None)
        show_cert = check is not None and (check.certificate_problem or pinned)
        self.cert_box.setVisible(show_cert)
        if show_cert and cert is not None:
            self.cert_text.show_text(self.tr(
                "The server's certificate could not be verified. You decided to trust it, and "
                "it was accepted because its fingerprint is the one you trust.") if pinned
                else self.tr(
                "The server's certificate could not be verified. Someone may be intercepting "
                "the connection. Trust it only if your provider or administrator confirms "
                "this fingerprint."))
            self.cert_labels["subject"].setText(self.tr("Issued to"))
            self.cert_labels["issuer"].setText(self.tr("Issued by"))
            self.cert_labels["expires"].setText(self.tr("Valid until"))
            self.cert_labels["sha256"].setText(self.tr("SHA-256 fingerprint"))
            self.cert_values["subject"].setText(cert.subject)
            self.cert_values["issuer"].setText(cert.issuer)
            self.cert_values["expires"].setText(cert.not_after)
            self.cert_values["sha256"].setText(texts.fingerprint(cert.sha256))
            self.trust.setText(self.tr("I trust this certificate (fingerprint %1…)").replace(
                "%1", texts.fingerprint(cert.sha256)[:23]))
            self.trust.blockSignals(True)
            self.trust.setChecked(cert.sha256.lower() in trusted)
            self.trust.blockSignals(False)
