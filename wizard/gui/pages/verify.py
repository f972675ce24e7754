"""Page 4: a live checklist per server, diagnoses, certificate trust and the transcript."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wizard.gui.flow import Page, Status, checklist
from wizard.gui.pages.checks import ServerChecks, TranscriptDialog
from wizard.gui.services import CancelToken, ProbeOutcome, ProbeProgress, ProbeRequest
from wizard.gui.tasks import Task
from wizard.gui.widgets import Context, FlowPage, Message, named
from wizard.model import Server


class VerifyPage(FlowPage):
    page_id = Page.VERIFY

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.task: Task | None = None
        self.boxes: dict[Server, ServerChecks] = {}
        self.dialog: TranscriptDialog | None = None
        self.status = named(QLabel(wordWrap=True), "verifyStatus")
        self.busy = named(QProgressBar(), "busy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.stop = named(QPushButton(), "stop")
        self.again = named(QPushButton(), "again")
        self.test_message = named(QCheckBox(), "testMessage")
        self.round_trip = Message("none")
        self.error = Message()
        self.unverified = named(QCheckBox(), "continueUnverified")
        self.list = QWidget()
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.list)
        row = QHBoxLayout()
        row.addWidget(self.busy, 1)
        row.addStretch(0)
        row.addWidget(self.stop)
        row.addWidget(self.again)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(row)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.round_trip)
        layout.addWidget(self.error)
        layout.addWidget(self.test_message)
        layout.addWidget(self.unverified)
        self.stop.clicked.connect(self.cancel)
        self.again.clicked.connect(self.start)
        self.test_message.toggled.connect(self._test_message)
        self.unverified.toggled.connect(self._unverified)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Checking your settings"))
        self.setSubTitle(self.tr("MailWizard connects to each server and logs in, as your "
                                 "mail program will."))
        self.stop.setText(self.tr("S&top"))
        self.again.setText(self.tr("Check &again"))
        self.test_message.setText(self.tr("Also &send a test message to myself"))
        self.unverified.setText(self.tr("&Keep these settings although the check failed"))
        self._refresh()

    # ------------------------------------------------------------------ display
    def _refresh(self) -> None:
        flow = self.flow
        running = flow.verification is Status.RUNNING
        wanted = flow.chosen_servers()
        if tuple(self.boxes) != wanted:
            for box in self.boxes.values():
                box.setParent(None)
                box.deleteLater()
            self.boxes = {}
            for server in wanted:
                box = ServerChecks(server, self._trust, self._show_transcript)
                self.list_layout.addWidget(box)
                self.boxes[server] = box
        for server, box in self.boxes.items():
            check = flow.checks.get(server)
            box.show_state(checklist(server, flow.stages.get(server), check, running),
                           check, flow.trusted_fingerprints)
        self.busy.setVisible(running)
        self.stop.setVisible(running)
        self.again.setVisible(not running)
        done = flow.verification is Status.DONE
        if running:
            status = self.tr("Checking…")
        elif done and flow.all_verified() and flow.accepted_by_fingerprint():
            status = self.tr("Everything works, with the certificate you decided to trust by "
                             "its fingerprint. Your mail program will ask you to accept it "
                             "too. Press Next to save the account.")
        elif done and flow.all_verified():
            status = self.tr("Everything works. Press Next to save the account.")
        elif done and flow.untrusted_certificates():
            status = self.tr("A certificate needs your decision. If you trust it, tick the box "
                             "and press Check again.")
        elif done:
            status = self.tr("Some checks failed. Read the explanation below, correct the "
                             "settings (Back) or the password, and check again.")
        elif flow.verification is Status.CANCELLED:
            status = self.tr("The check was stopped.")
        else:
            status = ""
        self.status.setText(status)
        self.error.show_text(flow.verify_error if flow.verification is Status.FAILED else "")
        rt = flow.round_trip
        if rt is None:
            self.round_trip.show_text("")
        elif rt.ok:
            self.round_trip.show_text(self.tr("Test message sent and received in %1 s.")
                                      .replace("%1", f"{rt.elapsed_ms / 1000:.1f}"))
        else:
            self.round_trip.show_text(self.tr("The test message did not arrive: %1").replace(
                "%1", rt.error.message if rt.error else ""))
        self.test_message.setEnabled(not running)
        failed = flow.verification in (Status.DONE, Status.FAILED, Status.CANCELLED) \
            and not flow.all_verified()
        self.unverified.setVisible(failed)
        self.unverified.blockSignals(True)
        self.unverified.setChecked(flow.continue_unverified)
        self.unverified.blockSignals(False)

    def _changed(self) -> None:
        self._refresh()
        self.completeChanged.emit()

    # ------------------------------------------------------------------ work
    def initializePage(self) -> None:
        self._refresh()
        if self.flow.verification is not Status.DONE:
            self.start()

    def cleanupPage(self) -> None:
        self.cancel()

    def start(self) -> None:
        flow = self.flow
        if self.task is not None:
            self.task.cancel()
        flow.verification_started()
        request = ProbeRequest(
            settings=flow.final_settings(),
            servers=flow.chosen_servers(),
            password=flow.password,
            accept_insecure_source=flow.accept_insecure_source(),
            trusted_fingerprints=frozenset(flow.trusted_fingerprints),
            round_trip=flow.send_test_message,
        )
        services = self.ctx.services

        def job(cancel: CancelToken, report: Any) -> ProbeOutcome:
            return services.probe(request, on_progress=report, cancel=cancel)

        self.task = self.ctx.runner.run(job, self._done, self._failed,
                                        on_progress=self._progress,
                                        on_cancelled=self._cancelled, name="mailwizard-probe")
        self._changed()
        self.stop.setFocus()

    def cancel(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()

    def _progress(self, progress: ProbeProgress) -> None:
        self.flow.stage_reached(progress.server, progress.stage)
        self._refresh()

    def _done(self, outcome: ProbeOutcome) -> None:
        self.flow.verification_finished(outcome)
        self._changed()
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            if self.flow.all_verified():
                wizard.button(wizard.WizardButton.NextButton).setFocus()
            else:
                self.again.setFocus()

    def _failed(self, exc: BaseException) -> None:
        title = getattr(exc, "title", None)
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        self.flow.verification_failed(f"{title}: {message}" if title else message)
        self._changed()

    def _cancelled(self) -> None:
        self.flow.verification_cancelled()
        self._changed()

    def _trust(self, sha256: str, trusted: bool) -> None:
        self.flow.trust_certificate(sha256, trusted)
        self._changed()

    def _test_message(self, on: bool) -> None:
        self.flow.send_test_message = on
        self._changed()

    def _unverified(self, on: bool) -> None:
        self.flow.set_continue_unverified(on)
        self._changed()

    def _show_transcript(self, server: Server) -> None:
        check = self.flow.checks.get(server)
        if check is None or self.flow.address is None:
            return
        self.dialog = TranscriptDialog(self, self.flow.address.domain, check)
        self.dialog.show()
