"""Small widgets and the base class of the wizard's pages."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget, QWizardPage

from wizard.gui import qtcompat
from wizard.gui.flow import Page, WizardFlow
from wizard.gui.services import Services
from wizard.gui.tasks import TaskRunner

qtcompat.protect_immortals()


@dataclass
class Context:
    """What every page shares: the flow, the core behind the adapter, the task runner."""

    flow: WizardFlow
    services: Services
    runner: TaskRunner


def plain(text: str) -> str:
    """A label's text as people see it: without the mnemonic ``&`` and a trailing colon."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(": ")


def buddy(label: QLabel, widget: QWidget, text: str) -> None:
    """Set ``label``'s text and make it name ``widget`` for screen readers too."""
    label.setText(text)
    label.setBuddy(widget)
    widget.setAccessibleName(plain(text))


class Message(QLabel):
    """Inline text on a page: an error, a warning or a note; hidden while empty."""

    def __init__(self, kind: str = "error", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setVisible(False)
        self._style()

    def _style(self) -> None:
        # Colours that read on light and dark palettes alike.
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        colour = {"error": "#ff8080" if dark else "#b00020",
                  "warning": "#ffcc66" if dark else "#8a5a00",
                  "ok": "#7fd88f" if dark else "#1b6e33"}.get(self.kind)
        sheet = f"color: {colour};" if colour else ""
        if sheet != self.styleSheet():  # setting a style sheet changes the palette again
            self.setStyleSheet(sheet)

    def show_text(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._style()
        super().changeEvent(event)


class WarningBox(QFrame):
    """A framed block that must be noticed (insecure source, certificate decision)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("warningBox")
        self.layout_ = QVBoxLayout(self)


class FlowPage(QWizardPage):
    """A page that shows part of the flow; the flow decides whether it is complete."""

    page_id: Page

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.flow = ctx.flow

    def isComplete(self) -> bool:
        return self.flow.complete(self.page_id)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every text of the page in the current language."""
        raise NotImplementedError
