"""Page 6: what was set up, checked, stored and written, and a way to the files."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from wizard.gui import texts
from wizard.gui.flow import Page
from wizard.gui.pages.save import target_label
from wizard.gui.widgets import Context, FlowPage, named


class DonePage(FlowPage):
    page_id = Page.DONE

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.summary = named(QLabel(wordWrap=True), "doneSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.open_folder = named(QPushButton(), "openFolder")
        self.open_folder.clicked.connect(self._open_folder)
        row = QHBoxLayout()
        row.addWidget(self.open_folder)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addStretch(1)
        self.setFinalPage(True)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Your account is ready"))
        self.setSubTitle(self.tr("Here is what MailWizard did."))
        self.open_folder.setText(self.tr("&Open the folder with the files"))
        self._refresh()

    def initializePage(self) -> None:
        self._refresh()
        wizard = self.wizard()
        if wizard is not None:
            # Enter finishes. QWizard focuses the page's first button after this returns,
            # hence the deferred call.
            finish = wizard.button(wizard.WizardButton.FinishButton)
            QTimer.singleShot(0, finish, finish.setFocus)

    def folder(self) -> Path | None:
        report = self.flow.export_report
        if report is None:
            return None
        for result in report.results:
            if result.error is None and result.target != "thunderbird" and result.paths:
                return self.flow.export_folder
        return None

    def _refresh(self) -> None:
        flow = self.flow
        rows: list[tuple[str, str]] = []
        if flow.address is not None:
            who = f"{html.escape(flow.name)} &lt;{html.escape(flow.address.email)}&gt;"
            rows.append((self.tr("Account"), who))
        if flow.incoming is not None:
            rows.append((self.tr("Incoming mail"), html.escape(texts.server_line(flow.incoming))))
        if flow.outgoing is not None:
            rows.append((self.tr("Outgoing mail"), html.escape(texts.server_line(flow.outgoing))))
        if flow.incoming is not None:
            rows.append((self.tr("User name"), html.escape(flow.incoming.username)))
        rows.append((self.tr("Check"), self.tr("all servers work") if flow.all_verified()
                     else self.tr("not passed: kept as you asked")))
        if flow.password_saved_in:
            rows.append((self.tr("Password"), self.tr("saved in %1").replace(
                "%1", html.escape(flow.password_saved_in))))
        else:
            rows.append((self.tr("Password"), self.tr("not saved")))
        report = flow.export_report
        for result in report.results if report else []:
            if result.error is None:
                where = "<br>".join(html.escape(str(p)) for p in result.paths)
                notes = "".join(f"<br><i>{html.escape(n)}</i>" for n in result.notes)
                rows.append((html.escape(target_label(result.target)), where + notes))
        self.summary.setText("<table cellspacing='4'>" + "".join(
            f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows) + "</table>")
        self.open_folder.setVisible(self.folder() is not None)

    def _open_folder(self) -> None:
        folder = self.folder()
        if folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
