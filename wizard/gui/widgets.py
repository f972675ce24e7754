"""Small widgets and the base class of the wizard's pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget, QWizardPage

from wizard.gui.pageids import Page

if TYPE_CHECKING:
    from wizard.gui.flow import WizardFlow
    from wizard.gui.services import Services
    from wizard.gui.tasks import TaskRunner



class Context:
    """What every page shares: the flow, the core behind the adapter, the task runner.

    Each is made on first use: the window appears before the core's modules are imported
    (``bench/bench_gui_start.py``), and they load while the person starts typing.
    """

    def __init__(self, services: Services | None = None) -> None:
        self._flow: WizardFlow | None = None
        self._services = services
        self._runner: TaskRunner | None = None

    @property
    def flow(self) -> WizardFlow:
        if self._flow is None:
            from wizard.gui.flow import WizardFlow

            self._flow = WizardFlow()
        return self._flow

    @property
    def has_flow(self) -> bool:
        return self._flow is not None

    @property
    def services(self) -> Services:
        if self._services is None:
            from wizard.gui.services import Services

            self._services = Services()
        return self._services

    @property
    def runner(self) -> TaskRunner:
        if self._runner is None:
            from wizard.gui.tasks import TaskRunner

            self._runner = TaskRunner()
        return self._runner

    @property
    def has_runner(self) -> bool:
        return self._runner is not None


W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """``widget`` with an object name (for tests and style); returns it."""
    widget.setObjectName(name)
    return widget


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
        self._selectable = False
        self.setWordWrap(True)
        self.setVisible(False)
        self._style()

    def _style(self) -> None:
        # Colours that read on light and dark palettes alike.
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        colour = {"error": "#ff8080" if dark else "#b00020",
                  "warning": "#ffcc66" if dark else "#8a5a00",
                  "ok": "#7fd88f" if dark else "#1b6e33"}.get(self.kind)
        if colour is None:
            return
        palette = self.palette()
        # Only the text colour is set; every other role still follows the system palette.
        # Setting it changes the palette again: compare first, or this never ends.
        if palette.color(QPalette.ColorRole.WindowText) != QColor(colour):
            palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
            self.setPalette(palette)

    def show_text(self, text: str) -> None:
        if text and not self._selectable:
            # Selectable (to copy into a search or a ticket) once it says something. Set here,
            # not in __init__: importing Qt's namespace costs the first page ~14 ms.
            from PySide6.QtCore import Qt

            self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                         | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            self._selectable = True
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

    @property
    def flow(self) -> WizardFlow:
        return self.ctx.flow

    def isComplete(self) -> bool:
        # Before anything was typed there is no flow yet, and nothing is complete.
        return self.ctx.has_flow and self.flow.complete(self.page_id)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every text of the page in the current language."""
        raise NotImplementedError
