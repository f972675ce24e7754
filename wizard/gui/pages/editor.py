"""The "edit by hand" form for one server."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QSpinBox

from wizard.gui import texts
from wizard.gui.flow import FieldProblem
from wizard.gui.widgets import Message, buddy, named
from wizard.model import AUTH_METHODS, SECURITIES, Server


class ServerEditor(QGroupBox):
    """Host, port, security, authentication and user name of the incoming or outgoing server."""

    def __init__(self, which: str, on_change: Callable[..., None]) -> None:
        super().__init__()
        self.setObjectName(f"{which}Editor")
        self.which = which
        self.on_change = on_change
        self.host = named(QLineEdit(), f"{which}Host")
        self.port = named(QSpinBox(), f"{which}Port")
        self.port.setRange(1, 65535)
        self.security = named(QComboBox(), f"{which}Security")
        self.auth = named(QComboBox(), f"{which}Auth")
        self.username = named(QLineEdit(), f"{which}Username")
        self.labels = {k: QLabel() for k in ("host", "port", "security", "auth", "username")}
        self.errors = {k: Message() for k in ("host", "port", "username")}
        for security in SECURITIES:
            self.security.addItem("", security)
        for method in AUTH_METHODS:
            self.auth.addItem("", method)
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.labels["host"], self.host)
        form.addRow(self.errors["host"])
        form.addRow(self.labels["port"], self.port)
        form.addRow(self.errors["port"])
        form.addRow(self.labels["security"], self.security)
        form.addRow(self.labels["auth"], self.auth)
        form.addRow(self.labels["username"], self.username)
        form.addRow(self.errors["username"])
        self.host.textEdited.connect(lambda text: self.on_change(self.which, host=text))
        self.port.valueChanged.connect(lambda value: self.on_change(self.which, port=value))
        self.security.activated.connect(
            lambda i: self.on_change(self.which, security=self.security.itemData(i)))
        self.auth.activated.connect(
            lambda i: self.on_change(self.which, auth=(self.auth.itemData(i),)))
        self.username.textEdited.connect(
            lambda text: self.on_change(self.which, username=text))
        self.retranslate(None)

    def retranslate(self, server: Server | None) -> None:
        if self.which == "incoming":
            title = self.tr("Incoming mail (%1)").replace(
                "%1", texts.protocol_name(server.protocol) if server else "IMAP")
        else:
            title = self.tr("Outgoing mail (SMTP)")
        self.setTitle(title)
        buddy(self.labels["host"], self.host, self.tr("Server"))
        buddy(self.labels["port"], self.port, self.tr("Port"))
        buddy(self.labels["security"], self.security, self.tr("Security"))
        buddy(self.labels["auth"], self.auth, self.tr("Authentication"))
        buddy(self.labels["username"], self.username, self.tr("User name"))
        for i in range(self.security.count()):
            self.security.setItemText(i, texts.security_name(self.security.itemData(i)))
        for i in range(self.auth.count()):
            self.auth.setItemText(i, texts.auth_name(self.auth.itemData(i)))

    def load(self, server: Server | None, problems: list[FieldProblem]) -> None:
        """Show ``server`` without echoing the change back to the flow."""
        self.retranslate(server)
        if server is not None:
            blockers = [QSignalBlocker(w) for w in (self.host, self.port, self.security,
                                                    self.auth, self.username)]
            if self.host.text().strip().lower().rstrip(".") != server.host:
                self.host.setText(server.host)
            self.port.setValue(server.port)
            self.security.setCurrentIndex(max(0, self.security.findData(server.security)))
            self.auth.setCurrentIndex(max(0, self.auth.findData(
                server.auth[0] if server.auth else "password-cleartext")))
            if self.username.text() != server.username:
                self.username.setText(server.username)
            del blockers
        mine = {p.field.split(".", 1)[1]: texts.problem(p) for p in problems
                if p.field.startswith(self.which + ".")}
        for key, label in self.errors.items():
            label.show_text(mine.get(key, ""))
