"""The wizard window: pages in order, the language switch, the icon and the title."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, QTimer
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import QWidget, QWizard, QWizardPage

from wizard.gui.pageids import Page
from wizard.gui.pages.account import AccountPage
from wizard.gui.translation import Languages, resources_dir
from wizard.gui.widgets import Context, FlowPage

if TYPE_CHECKING:
    from wizard.gui.flow import WizardFlow
    from wizard.gui.services import Services
    from wizard.gui.tasks import TaskRunner

LANGUAGE_BUTTON = QWizard.WizardButton.CustomButton1


@functools.cache
def app_icon() -> QIcon:
    """The program's icon; PNGs rendered from resources/icons/mailwizard.svg (no SVG
    plug-in to load at start-up)."""
    icon = QIcon()
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
        self.ctx = Context(services)
        self.pages: dict[Page, FlowPage] = {}
        self._add(Page.ACCOUNT, AccountPage(self.ctx))
        # The other pages are built once the first one is on screen (or when asked for):
        # the person sees the window sooner, and types while the rest is made. Until then
        # empty stand-ins keep the wizard's buttons right (Next, not Finish).
        for page_id in list(Page)[1:]:
            self.setPage(int(page_id), QWizardPage())
        self._first_paint = _FirstPaint(self.pages[Page.ACCOUNT], self._schedule_rest)
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

    @property
    def flow(self) -> WizardFlow:
        return self.ctx.flow

    @property
    def runner(self) -> TaskRunner:
        return self.ctx.runner

    def _add(self, page_id: Page, page: FlowPage) -> None:
        self.pages[page_id] = page
        self.setPage(int(page_id), page)

    def _schedule_rest(self) -> None:
        QTimer.singleShot(0, self, self.build_pages)

    def build_pages(self) -> None:
        """Build every page not built yet (idempotent)."""
        if len(self.pages) == len(Page):
            return
        from wizard.gui.pages.discovery import DiscoveryPage
        from wizard.gui.pages.done import DonePage
        from wizard.gui.pages.save import SavePage
        from wizard.gui.pages.settings import SettingsPage
        from wizard.gui.pages.verify import VerifyPage

        for page_id, cls in ((Page.DISCOVERY, DiscoveryPage), (Page.SETTINGS, SettingsPage),
                             (Page.VERIFY, VerifyPage), (Page.SAVE, SavePage),
                             (Page.DONE, DonePage)):
            if page_id not in self.pages:
                stand_in = self.page(int(page_id))
                self.removePage(int(page_id))
                stand_in.deleteLater()
                self._add(page_id, cls(self.ctx))

    def page_widget(self, page: Page) -> FlowPage:
        self.build_pages()
        return self.pages[page]

    def validateCurrentPage(self) -> bool:
        self.build_pages()  # Next pressed before the rest was built: the next page exists
        return super().validateCurrentPage()

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
        if self.ctx.has_runner:
            self.runner.cancel_all()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ctx.has_runner:
            self.runner.cancel_all()
        super().closeEvent(event)


class _FirstPaint(QObject):
    """Calls back once, after ``widget`` was first painted."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            self._callback()
        return False
