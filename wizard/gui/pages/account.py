"""Page 1: name, address and password, with inline validation."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from wizard.gui import texts
from wizard.gui.pageids import Page
from wizard.gui.widgets import Context, FlowPage, Message, buddy, named


class AccountPage(FlowPage):
    page_id = Page.ACCOUNT

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.name = named(QLineEdit(), "name")
        self.email = named(QLineEdit(), "email")
        self.password = named(QLineEdit(), "password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_password = named(QCheckBox(), "showPassword")
        self.name_label, self.email_label, self.password_label = QLabel(), QLabel(), QLabel()
        self.name_error = Message()
        # Holds the core's explanation of a bad address (wizard.i18n), not only our words.
        self.email_error = named(Message(), "coreEmailProblem")
        self.password_error = Message()
        self.intro = QLabel(wordWrap=True)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.name_label, self.name)
        form.addRow("", self.name_error)
        form.addRow(self.email_label, self.email)
        form.addRow("", self.email_error)
        form.addRow(self.password_label, self.password)
        form.addRow("", self.show_password)
        form.addRow("", self.password_error)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addStretch(1)

        # A field shows its problem once the person has left it or typed in it, not before.
        self._touched: set[str] = set()
        for field, edit in (("name", self.name), ("email", self.email),
                            ("password", self.password)):
            edit.textEdited.connect(lambda _text, f=field: self._edited(f))
            edit.editingFinished.connect(lambda f=field: self._edited(f, finished=True))
        self.show_password.toggled.connect(
            lambda on: self.password.setEchoMode(
                QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Your mail account"))
        self.setSubTitle(self.tr("Type your address and password. MailWizard finds the "
                                 "settings, checks them and sets up your mail program."))
        self.intro.setText(self.tr(
            "Your name is what people see when you write to them. The password is sent only "
            "to your provider's servers, over an encrypted connection."))
        buddy(self.name_label, self.name, self.tr("&Your name"))
        buddy(self.email_label, self.email, self.tr("&Email address"))
        buddy(self.password_label, self.password, self.tr("&Password"))
        self.name.setPlaceholderText(self.tr("Alice Smith"))
        self.email.setPlaceholderText(self.tr("alice@example.com"))
        self.show_password.setText(self.tr("&Show the password"))
        self._show_problems()

    def initializePage(self) -> None:
        self.name.setFocus()

    def _edited(self, field: str, finished: bool = False) -> None:
        if finished or field != "email":
            self._touched.add(field)
        self.flow.set_account(self.name.text(), self.email.text(), self.password.text())
        self._show_problems()
        self.completeChanged.emit()

    def _show_problems(self) -> None:
        if not self._touched:
            return  # nothing typed yet: no problems to show (and no flow to ask)
        problems = {p.field: texts.problem(p) for p in self.flow.account_problems()}
        for field, label in (("name", self.name_error), ("email", self.email_error),
                             ("password", self.password_error)):
            label.show_text(problems.get(field, "") if field in self._touched else "")

    def set_values(self, name: str, email: str, password: str) -> None:
        """Fill the fields (tests, screenshots) as if typed."""
        self.name.setText(name)
        self.email.setText(email)
        self.password.setText(password)
        for field in ("name", "email", "password"):
            self._edited(field, finished=True)
