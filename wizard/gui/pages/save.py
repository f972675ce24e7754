"""Page 5: the password in the keyring (saying where, or why not) and the exports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWizard,
)

from wizard.gui.flow import Page, Status
from wizard.gui.services import (
    CancelToken,
    ExportReport,
    ExportRequest,
    ExportResult,
    KeyringStatus,
    ServiceError,
    default_export_folder,
)
from wizard.gui.tasks import Task
from wizard.gui.widgets import Context, FlowPage, Message, buddy, named


def target_label(target: str) -> str:
    """What each export is for, in the person's words."""
    return {
        "thunderbird": QCoreApplication.translate(
            "Targets", "Thunderbird: add the account to a profile"
        ),
        "thunderbird-autoconfig": QCoreApplication.translate(
            "Targets", "Thunderbird settings file (config-v1.1.xml)"
        ),
        "outlook-prf": QCoreApplication.translate("Targets", "Outlook: profile file (PRF)"),
        "outlook-autodiscover": QCoreApplication.translate(
            "Targets", "Outlook 2016 and later: Autodiscover file"
        ),
        "apple": QCoreApplication.translate(
            "Targets", "iPhone, iPad and Mac: configuration profile"
        ),
        "android-qr": QCoreApplication.translate("Targets", "Thunderbird for Android: QR code"),
        "k9s": QCoreApplication.translate("Targets", "K-9 Mail: settings file"),
        "phpmailer": QCoreApplication.translate("Targets", "Web site: PHPMailer code"),
        "wordpress": QCoreApplication.translate("Targets", "Web site: WordPress (WP Mail SMTP)"),
        "joomla": QCoreApplication.translate("Targets", "Web site: Joomla"),
        "msmtp": QCoreApplication.translate("Targets", "msmtp"),
        "neomutt": QCoreApplication.translate("Targets", "NeoMutt"),
        "aerc": QCoreApplication.translate("Targets", "aerc"),
        "mbsync": QCoreApplication.translate("Targets", "mbsync (isync)"),
        "domain-admin": QCoreApplication.translate(
            "Targets", "Domain administrators: what to publish so programs find the settings"
        ),
    }.get(target, target)


class SavePage(FlowPage):
    page_id = Page.SAVE

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.task: Task | None = None
        self.keyring: KeyringStatus | None = None
        self.password_box = QGroupBox()
        self.save_password = named(QCheckBox(), "savePassword")
        self.keyring_text = Message("none")
        self.keyring_problem = Message("warning")
        pw = QVBoxLayout(self.password_box)
        pw.addWidget(self.save_password)
        pw.addWidget(self.keyring_text)
        pw.addWidget(self.keyring_problem)

        self.export_box = QGroupBox()
        self.targets_label = QLabel()
        # A list rather than a grid of check boxes: long names (and translations) fit.
        self.target_list = named(QListWidget(), "targets")
        # Filled when the page is first shown: the exporters are not needed to start up.
        self.targets: dict[str, QListWidgetItem] = {}
        self.core_labels: dict[str, str] = {}
        self.target_list.itemChanged.connect(self._item_changed)
        self.profile_label = QLabel()
        self.profile = named(QComboBox(), "profile")
        self.profile.setEditable(True)
        self.profile.currentTextChanged.connect(self._profile)
        self.profile_browse = named(QPushButton(), "profileBrowse")
        self.profile_browse.clicked.connect(self._choose_profile)
        self.folder_label = QLabel()
        self.folder = named(QLineEdit(), "folder")
        self.folder.textChanged.connect(self._folder)
        self.folder_browse = named(QPushButton(), "folderBrowse")
        self.folder_browse.clicked.connect(self._choose_folder)
        self.include_password = named(QCheckBox(), "includePassword")
        self.include_password.toggled.connect(self._include_password)
        self.include_warning = Message("warning")
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile, 1)
        profile_row.addWidget(self.profile_browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.folder_browse)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.profile_label, profile_row)
        form.addRow(self.folder_label, folder_row)
        box = QVBoxLayout(self.export_box)
        box.addWidget(self.targets_label)
        box.addWidget(self.target_list, 1)
        box.addLayout(form)
        box.addWidget(self.include_password)
        box.addWidget(self.include_warning)

        self.result = Message("error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.password_box)
        layout.addWidget(self.export_box)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self.save_password.toggled.connect(self._save_password)
        self.flow.export_folder = default_export_folder()
        self.folder.setText(str(self.flow.export_folder))
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Save the account"))
        self.setSubTitle(self.tr("Keep the password safe and set up the programs you use."))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Save"))
        self.password_box.setTitle(self.tr("Password"))
        self.save_password.setText(self.tr("Save the password in the system &keyring"))
        self.export_box.setTitle(self.tr("Set up other programs"))
        buddy(self.targets_label, self.target_list,
              self.tr("&Tick the programs to set up (Space ticks)"))
        for target, item in self.targets.items():
            label = target_label(target)
            # A format the GUI has no words for yet: the core's own label.
            item.setText(self.core_labels.get(target, target) if label == target else label)
        buddy(self.profile_label, self.profile, self.tr("Thunderbird &profile"))
        line = self.profile.lineEdit()
        assert line is not None  # the combo box is editable
        line.setPlaceholderText(
            self.tr("No Thunderbird profile found: choose a folder")
        )
        self.profile_browse.setText(self.tr("C&hoose…"))
        buddy(self.folder_label, self.folder, self.tr("Save the files in this &folder"))
        self.folder_browse.setText(self.tr("Choose &folder…"))
        self.include_password.setText(self.tr("Include the password in the &exported files"))
        self._refresh()

    # ------------------------------------------------------------------ display
    def _refresh(self) -> None:
        flow = self.flow
        status = self.keyring
        if status is None:
            self.keyring_text.show_text(self.tr("Looking for the system keyring…"))
            self.keyring_problem.show_text("")
        elif status.available:
            self.keyring_text.show_text(
                self.tr(
                    "The password will be stored in: %1. Mail "
                    "programs and MailWizard can read it from "
                    "there."
                ).replace("%1", status.location)
                if flow.save_password
                else self.tr("The password will not be saved; your mail program will ask for it.")
            )
            self.keyring_problem.show_text("")  # a failed save is told below the exports
        else:
            self.keyring_text.show_text(
                self.tr("The password will not be saved; your mail program will ask for it.")
            )
            self.keyring_problem.show_text(f"{status.problem_title}: {status.problem_message}")
        self.save_password.setEnabled(status is not None and status.available)
        self.save_password.blockSignals(True)
        self.save_password.setChecked(
            flow.save_password and status is not None and status.available
        )
        self.save_password.blockSignals(False)
        tb = "thunderbird" in flow.export_targets
        self.profile_label.setEnabled(tb)
        self.profile.setEnabled(tb)
        self.profile_browse.setEnabled(tb)
        self.include_warning.show_text(
            self.tr("Anyone who can read these files will know your password.")
            if flow.include_password
            else ""
        )
        lines = []
        report = flow.export_report
        if report is not None:
            lines += [f"{target_label(r.target)}: {r.error}" for r in report.results if r.error]
        if flow.saving is Status.FAILED and flow.password_problem:
            lines.append(flow.password_problem)
            lines.append(
                self.tr(
                    "Untick “Save the password” to go on without saving it, "
                    "or fix the keyring and press Save again."
                )
            )
        self.result.show_text("\n".join(lines))

    def _changed(self) -> None:
        self._refresh()
        self.completeChanged.emit()

    # ------------------------------------------------------------------ inputs
    def _fill_targets(self) -> None:
        for target in self.ctx.services.export_targets():
            item = QListWidgetItem()
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, target.id)
            self.target_list.addItem(item)
            self.targets[target.id] = item
            self.core_labels[target.id] = target.label
        self.target_list.setCurrentRow(0)
        self.retranslate()

    def initializePage(self) -> None:
        services = self.ctx.services
        if not self.targets:
            self._fill_targets()
        if self.keyring is None:
            self.ctx.runner.run(
                lambda cancel, report: services.keyring_status(),
                self._keyring,
                self._keyring_failed,
                name="mailwizard-keyring",
            )
            self.ctx.runner.run(
                lambda cancel, report: services.thunderbird_profiles(),
                self._profiles,
                lambda exc: None,
                name="mailwizard-profiles",
            )
        self._refresh()

    def _keyring(self, status: KeyringStatus) -> None:
        self.keyring = status
        if not status.available:
            self.flow.keyring_unavailable(f"{status.problem_title}: {status.problem_message}")
        self._changed()

    def _keyring_failed(self, exc: BaseException) -> None:
        self._keyring(KeyringStatus(False, "", self.tr("The keyring cannot be used"), str(exc)))

    def _profiles(self, profiles: list[Path]) -> None:
        current = self.profile.currentText()
        self.profile.clear()
        for path in profiles:
            self.profile.addItem(str(path))
        if current:
            self.profile.setEditText(current)

    def _item_changed(self, item: QListWidgetItem) -> None:
        target = str(item.data(Qt.ItemDataRole.UserRole))
        self.flow.toggle_export(target, item.checkState() == Qt.CheckState.Checked)
        self._changed()

    def choose_target(self, target: str, on: bool = True) -> None:
        """Tick or untick an export (tests, screenshots), as a click on the item does."""
        self.targets[target].setCheckState(
            Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _profile(self, text: str) -> None:
        self.flow.thunderbird_profile = Path(text).expanduser() if text.strip() else None
        self._changed()

    def _folder(self, text: str) -> None:
        self.flow.export_folder = Path(text).expanduser() if text.strip() else None
        self._changed()

    def _choose_profile(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Thunderbird profile"))
        if path:
            self.profile.setEditText(path)

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, self.tr("Save the files in this folder"), self.folder.text()
        )
        if path:
            self.folder.setText(path)

    def _save_password(self, on: bool) -> None:
        self.flow.set_save_password(on)
        self._changed()

    def _include_password(self, on: bool) -> None:
        self.flow.include_password = on
        self._changed()

    # ------------------------------------------------------------------ saving
    def validatePage(self) -> bool:
        """Next ("Save") starts the work; the page moves on by itself once it succeeded."""
        if self.flow.saving is Status.DONE:
            return True
        if self.flow.saving is not Status.RUNNING:
            self._start()
        return False

    def cleanupPage(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()

    def _start(self) -> None:
        flow = self.flow
        assert flow.address is not None
        # A second press (after the person fixed a problem) does not repeat what succeeded:
        # a Thunderbird profile must not get the account twice.
        previous = [
            r
            for r in (flow.export_report.results if flow.export_report else [])
            if r.error is None and r.target
        ]
        already = {r.target for r in previous}
        saved_in = flow.password_saved_in
        flow.saving = Status.RUNNING
        flow.password_problem = ""
        services = self.ctx.services
        address, password = flow.address, flow.password
        servers = flow.chosen_servers()
        save = (
            flow.save_password
            and self.keyring is not None
            and self.keyring.available
            and not saved_in
        )
        request = ExportRequest(
            settings=flow.final_settings(),
            name=flow.name.strip(),
            targets=tuple(t for t in self.targets if t in flow.export_targets and t not in already),
            folder=flow.export_folder or default_export_folder(),
            thunderbird_profile=flow.thunderbird_profile,
            include_password=flow.include_password,
            password=password,
        )

        def job(cancel: CancelToken, report: Any) -> tuple[str, str, ExportReport]:
            where, problem = saved_in, ""
            if save:
                try:
                    where = services.save_password(address, servers, password)
                except ServiceError as exc:
                    problem = f"{exc.title}: {exc.message}"
            exported = ExportReport(list(previous))
            if request.targets:
                others = [t for t in request.targets if t != "thunderbird"]
                if others:
                    request.folder.mkdir(parents=True, exist_ok=True)
                exported.results += services.export(
                    request, cancel=cancel, on_progress=report
                ).results
            return where, problem, exported

        self.task = self.ctx.runner.run(
            job, self._saved, self._failed, on_cancelled=self._cancelled, name="mailwizard-save"
        )
        self._changed()

    def _saved(self, result: tuple[str, str, ExportReport]) -> None:
        where, problem, report = result
        flow = self.flow
        flow.password_saved_in, flow.password_problem = where, problem
        flow.export_report = report
        flow.saving = Status.DONE if report.ok and not problem else Status.FAILED
        self._changed()
        wizard = self.wizard()
        if flow.saving is Status.DONE and wizard is not None and wizard.currentPage() is self:
            wizard.next()

    def _failed(self, exc: BaseException) -> None:
        title = getattr(exc, "title", None)
        message = getattr(exc, "message", None) or str(exc)
        self.flow.saving = Status.FAILED
        self.flow.export_report = ExportReport(
            [ExportResult("", (), f"{title}: {message}" if title else message)]
        )
        self._changed()

    def _cancelled(self) -> None:
        self.flow.saving = Status.IDLE
        self._changed()
