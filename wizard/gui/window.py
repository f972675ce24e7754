"""The wizard window: pages in order, the language switch, the icon and the title."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import QWidget, QWizard

from wizard.gui.flow import Page, WizardFlow
from wizard.gui.pages.account import AccountPage
from wizard.gui.pages.discovery import DiscoveryPage
from wizard.gui.pages.done import DonePage
from wizard.gui.pages.save import SavePage
from wizard.gui.pages.settings import SettingsPage
from wizard.gui.pages.verify import VerifyPage
from wizard.gui.services import Services
from wizard.gui.tasks import TaskRunner
from wizard.gui.translation import Languages, resources_dir
from wizard.gui.widgets import Context, FlowPage

LANGUAGE_BUTTON = QWizard.WizardButton.CustomButton1


def app_icon() -> QIcon:
    icon = QIcon()
    svg = resources_dir() / "icons" / "mailwizard.svg"
    if svg.exists():
        icon.addFile(str(svg))
    for size in (16, 32, 48, 64, 128, 256):
        png = resources_dir() / "icons" / f"mailwizard-{size}.png"
        if png.exists():
            icon.addFile(str(png), QSize(size, size))
    return icon


class MainWizard(QWizard):
    """The window. Pages are numbered by :class:`Page`, so the flow and Qt agree."""

    def __init__(self, services: Services | None = None, languages: Languages | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mailwizard")
        self.languages = languages or Languages()
        self.flow = WizardFlow()
        self.runner = TaskRunner(self)
        self.ctx = Context(self.flow, services or Services(), self.runner)
        self.pages: dict[Page, FlowPage] = {}
        for page_id, cls in (
            (Page.ACCOUNT, AccountPage), (Page.DISCOVERY, DiscoveryPage),
            (Page.SETTINGS, SettingsPage), (Page.VERIFY, VerifyPage),
            (Page.SAVE, SavePage), (Page.DONE, DonePage),
        ):
            page = cls(self.ctx)
            self.pages[page_id] = page
            self.setPage(int(page_id), page)
        self.setStartId(int(Page.ACCOUNT))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonLayout([
            LANGUAGE_BUTTON, QWizard.WizardButton.Stretch, QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        ])
        self.button(LANGUAGE_BUTTON).clicked.connect(lambda: self.switch_language())
        self.setWindowIcon(app_icon())
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, app_icon().pixmap(QSize(48, 48)))
        self.setMinimumSize(720, 560)
        self.retranslate()

    def page_widget(self, page: Page) -> FlowPage:
        return self.pages[page]

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("MailWizard — set up a mail account"))
        buttons = QWizard.WizardButton
        self.setButtonText(buttons.BackButton, self.tr("< &Back"))
        self.setButtonText(buttons.NextButton, self.tr("&Next >"))
        self.setButtonText(buttons.CancelButton, self.tr("Cancel"))
        self.setButtonText(buttons.FinishButton, self.tr("&Finish"))
        # The button names the other language in that language, so anyone can find it.
        other = "ru" if self.languages.current != "ru" else "en"
        text = {"ru": "Русский", "en": "English"}[other]
        self.setButtonText(LANGUAGE_BUTTON, "&" + text if other == "en" else text)
        button = self.button(LANGUAGE_BUTTON)
        button.setAccessibleName(text)
        button.setToolTip(self.tr("Switch the language of the wizard"))

    def switch_language(self, lang: str | None = None) -> None:
        """Switch between English and Russian (or to ``lang``); every page retranslates."""
        if lang is None:
            lang = "ru" if self.languages.current != "ru" else "en"
        self.languages.apply(lang)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def done(self, result: int) -> None:
        # Closing stops every job: nothing keeps working (or sending) behind a closed window.
        self.runner.cancel_all()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.runner.cancel_all()
        super().closeEvent(event)
