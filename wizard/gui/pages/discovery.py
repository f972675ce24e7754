"""Page 2: every source shown live as it is tried, and a Stop that really stops the work."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from wizard.gui import texts
from wizard.gui.flow import SOURCE_ORDER, Page, SourceState, Status
from wizard.gui.services import CancelToken, SourceProgress
from wizard.gui.tasks import Task
from wizard.gui.widgets import Context, FlowPage, Message, named
from wizard.model import Attempt, Settings

DETECT_TIMEOUT = 15.0

_MARKS = {
    SourceState.WAITING: "…",
    SourceState.FOUND: "✔",
    SourceState.NOTHING: "\u2013",  # en dash
    SourceState.FAILED: "✘",
    SourceState.SKIPPED: "·",
}


class DiscoveryPage(FlowPage):
    page_id = Page.DISCOVERY

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.task: Task | None = None
        self.status = named(QLabel(wordWrap=True), "discoveryStatus")
        self.busy = named(QProgressBar(), "busy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.stop = named(QPushButton(), "stop")
        self.again = named(QPushButton(), "again")
        self.error = Message()
        grid = QGridLayout()
        self.rows: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        for row, source in enumerate(SOURCE_ORDER):
            mark, name, state = QLabel(), QLabel(), named(QLabel(), f"state_{source}")
            grid.addWidget(mark, row, 0)
            grid.addWidget(name, row, 1)
            grid.addWidget(state, row, 2)
            self.rows[source] = (mark, name, state)
        grid.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.busy, 1)
        buttons.addStretch(0)  # the buttons keep their size while the busy bar is hidden
        buttons.addWidget(self.stop)
        buttons.addWidget(self.again)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.stop.clicked.connect(self.cancel)
        self.again.clicked.connect(self.start)
        self.retranslate()

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        self.setTitle(self.tr("Looking for the settings"))
        address = self.flow.address.email if self.flow.address else ""
        self.setSubTitle(self.tr("MailWizard asks several places at once which servers "
                                 "serve %1.").replace("%1", address))
        self.stop.setText(self.tr("S&top searching"))
        self.again.setText(self.tr("Search &again"))
        self._refresh()

    def _refresh(self) -> None:
        states = self.flow.source_states()
        for source, (mark, name, state_label) in self.rows.items():
            state = states[source]
            if self.flow.discovery is Status.IDLE:
                state = SourceState.SKIPPED
            mark.setText(_MARKS[state])
            name.setText(texts.source_name(source))
            state_label.setText(texts.source_state(state) if self.flow.discovery
                                is not Status.IDLE else "")
        running = self.flow.discovery is Status.RUNNING
        self.busy.setVisible(running)
        self.stop.setVisible(running)
        self.again.setVisible(self.flow.discovery in (Status.CANCELLED, Status.FAILED)
                              or (self.flow.discovery is Status.DONE
                                  and not (self.flow.detected and self.flow.detected.found)))
        self.status.setText(self._status_text())
        self.error.show_text(self.flow.discovery_error
                             if self.flow.discovery is Status.FAILED else "")

    def _status_text(self) -> str:
        flow = self.flow
        if flow.discovery is Status.RUNNING:
            return self.tr("Searching… You can stop at any time and type the settings in "
                           "yourself.")
        if flow.discovery is Status.CANCELLED:
            return self.tr("Stopped. Search again, or press Next to type the settings in "
                           "yourself.")
        if flow.discovery is Status.FAILED:
            return self.tr("The search failed. Search again, or press Next to type the "
                           "settings in yourself.")
        if flow.discovery is Status.DONE and flow.detected is not None:
            if flow.detected.found:
                return self.tr("Settings found (%1). Press Next to see them.").replace(
                    "%1", texts.source_name(flow.detected.source))
            return self.tr("No settings were found for this domain. Press Next to type them "
                           "in yourself; your provider's help pages list them.")
        return ""

    # ------------------------------------------------------------------ work
    def initializePage(self) -> None:
        self.retranslate()
        if self.flow.discovery is not Status.DONE or self.flow.detected is None:
            self.start()
        else:
            self._refresh()

    def cleanupPage(self) -> None:
        self.cancel()

    def start(self) -> None:
        address = self.flow.address
        if address is None:
            return
        if self.task is not None:
            self.task.cancel()
        self.flow.discovery_started()
        services = self.ctx.services

        def job(cancel: CancelToken, report: Any) -> Settings:
            return services.detect(address, timeout=DETECT_TIMEOUT, on_progress=report,
                                   cancel=cancel)

        self.task = self.ctx.runner.run(
            job, self._found, self._failed, on_progress=self._progress,
            on_cancelled=self._cancelled, name="mailwizard-detect")
        self._changed()
        self.stop.setFocus()

    def cancel(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()

    def _progress(self, progress: Attempt | SourceProgress) -> None:
        if isinstance(progress, Attempt):
            self.flow.attempt_seen(progress)
        else:
            self.flow.source_progress(progress.source, progress.state)
        self._refresh()

    def _found(self, settings: Settings) -> None:
        self.flow.discovery_finished(settings)
        self._changed()
        self._focus_next()

    def _failed(self, exc: BaseException) -> None:
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        self.flow.discovery_failed(self.tr("Something went wrong while searching: %1")
                                   .replace("%1", message))
        self._changed()
        self._focus_next()

    def _cancelled(self) -> None:
        self.flow.discovery_cancelled()
        self._changed()
        self._focus_next()

    def _changed(self) -> None:
        self._refresh()
        self.completeChanged.emit()

    def _focus_next(self) -> None:
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            button = wizard.button(wizard.WizardButton.NextButton)
            button.setFocus()
