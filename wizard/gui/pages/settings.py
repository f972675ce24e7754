"""Page 3: the settings found, where they came from, the provider's notes, the choice of
IMAP or POP3, the insecure-source confirmation, and editing by hand."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wizard.gui import texts
from wizard.gui.flow import Page
from wizard.gui.pages.editor import ServerEditor
from wizard.gui.widgets import Context, FlowPage, Message, WarningBox, named


class SettingsPage(FlowPage):
    page_id = Page.SETTINGS

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.provider = named(QLabel(wordWrap=True), "provider")
        self.source = named(QLabel(wordWrap=True), "source")
        self.notes = named(QLabel(wordWrap=True), "notes")
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.notes.setOpenExternalLinks(True)  # the browser opens the provider's help
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)

        self.warning = WarningBox()
        self.warning_text = Message("warning")
        self.confirm = named(QCheckBox(), "confirmInsecure")
        self.warning.layout_.addWidget(self.warning_text)
        self.warning.layout_.addWidget(self.confirm)

        self.imap = named(QRadioButton(), "imap")
        self.pop3 = named(QRadioButton(), "pop3")
        self.protocols = QButtonGroup(self)
        self.protocols.addButton(self.imap)
        self.protocols.addButton(self.pop3)
        self.protocol_label = QLabel()
        protocol_row = QVBoxLayout()
        protocol_row.setSpacing(2)
        protocol_row.addWidget(self.protocol_label)
        protocol_row.addWidget(self.imap)
        protocol_row.addWidget(self.pop3)

        self.summary = named(QLabel(wordWrap=True), "summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.manual = named(QCheckBox(), "manual")
        self.incoming = ServerEditor("incoming", self._edit)
        self.outgoing = ServerEditor("outgoing", self._edit)
        self.editors = QWidget()
        editors = QHBoxLayout(self.editors)
        editors.setContentsMargins(0, 0, 0, 0)
        editors.addWidget(self.incoming, 1)
        editors.addWidget(self.outgoing, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.provider)
        layout.addWidget(self.source)
        layout.addWidget(self.notes)
        layout.addWidget(self.warning)
        layout.addLayout(protocol_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.manual)
        layout.addWidget(self.editors)
        layout.addStretch(1)

        self.confirm.toggled.connect(self._confirm)
        self.imap.toggled.connect(lambda on: self._protocol("imap", on))
        self.pop3.toggled.connect(lambda on: self._protocol("pop3", on))
        self.manual.toggled.connect(self._manual)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Your settings"))
        self.setSubTitle(self.tr("Check what was found, or change it by hand."))
        self.confirm.setText(self.tr("I &trust these servers with my password"))
        self.protocol_label.setText(self.tr("Receive mail with:"))
        self.imap.setText(self.tr("&IMAP (recommended: mail stays on the server)"))
        self.pop3.setText(self.tr("&POP3 (mail is downloaded to this computer)"))
        self.manual.setText(self.tr("&Edit the settings by hand"))
        self._refresh()

    def initializePage(self) -> None:
        self._refresh()

    # ------------------------------------------------------------------ display
    def _refresh(self) -> None:
        flow = self.flow
        detected = flow.detected
        found = detected is not None and detected.found
        if found and detected is not None and detected.provider is not None:
            self.provider.setText(self.tr("Provider: %1").replace("%1", detected.provider.name))
        elif found:
            self.provider.setText(self.tr("Provider: not in MailWizard's list"))
        else:
            self.provider.setText(self.tr("No settings were found. Please type them in; your "
                                          "provider's help pages list them."))
        if found and detected is not None:
            trust = (self.tr("a trusted source") if detected.secure
                     else self.tr("NOT a trusted source"))
            self.source.setText(self.tr("Found in: %1 (%2)").replace(
                "%1", texts.source_name(detected.source)).replace("%2", trust))
        self.source.setVisible(found)
        notes = detected.notes if detected is not None else ()
        how = self.tr("How to do it")  # outside the f-string, where lupdate finds it
        self.notes.setText("<br>".join(
            "• " + html.escape(n.text) + (
                f' <a href="{html.escape(n.url, quote=True)}">{html.escape(how)}</a>'
                if n.url else "")
            for n in notes))
        self.notes.setVisible(bool(notes))

        needs = flow.needs_confirmation()
        self.warning.setVisible(needs)
        if needs:
            hosts = ", ".join(dict.fromkeys(s.host for s in flow.chosen_servers()))
            self.warning_text.show_text(self.tr(
                "Warning: these settings came from a source an attacker on your network could "
                "have changed, or they name servers outside your domain (%1). Your password "
                "will be sent to them. Continue only if you know these servers belong to your "
                "mail provider.").replace("%1", hosts))
        self.confirm.blockSignals(True)
        self.confirm.setChecked(flow.insecure_confirmed)
        self.confirm.blockSignals(False)

        choices = flow.incoming_choices()
        for button, proto in ((self.imap, "imap"), (self.pop3, "pop3")):
            button.blockSignals(True)
            button.setEnabled(flow.manual or proto in choices)
            button.setChecked(flow.incoming_protocol == proto)
            button.blockSignals(False)

        lines = []
        if flow.incoming is not None:
            lines.append(self.tr("Incoming: %1").replace("%1", texts.server_line(flow.incoming)))
        if flow.outgoing is not None:
            lines.append(self.tr("Outgoing: %1").replace("%1", texts.server_line(flow.outgoing)))
        user = flow.incoming.username if flow.incoming else ""
        if user:
            lines.append(self.tr("User name: %1").replace("%1", user))
        self.summary.setText("\n".join(lines))
        self.summary.setVisible(not flow.manual)

        self.manual.blockSignals(True)
        self.manual.setChecked(flow.manual)
        self.manual.blockSignals(False)
        self.editors.setVisible(flow.manual)
        problems = flow.server_problems()
        self.incoming.load(flow.incoming, problems)
        self.outgoing.load(flow.outgoing, problems)

    # ------------------------------------------------------------------ actions
    def _changed(self) -> None:
        self._refresh()
        self.completeChanged.emit()

    def _confirm(self, on: bool) -> None:
        self.flow.confirm_insecure(on)
        self._changed()

    def _protocol(self, protocol: str, on: bool) -> None:
        if not on:
            return  # the other button's "on" does the work
        self.flow.choose_incoming_protocol(protocol)
        self._changed()

    def _manual(self, on: bool) -> None:
        self.flow.set_manual(on)
        self._changed()
        if on:
            self.incoming.host.setFocus()

    def _edit(self, which: str, **changes: object) -> None:
        self.flow.edit_server(which, **changes)
        self._changed()
