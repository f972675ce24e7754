"""The one adapter between the GUI and the core (discovery, probing, keyring, export).

Everything the wizard asks of the core goes through :class:`Services`, so the pages never
import the core's modules directly, and tests inject fakes by subclassing it. The methods
run on worker threads (see ``tasks``); they take a :class:`CancelToken` and report progress
through a callback, and they never touch Qt.

The data the GUI shows is described here in small frozen dataclasses that mirror the
command-line contract (``probe --json``), so a change in a core module's API is absorbed in
this file only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard.address import Address
from wizard.cancel import Cancelled as Cancelled
from wizard.cancel import CancelToken as CancelToken
from wizard.model import Attempt, Server, Settings


class ServiceError(Exception):
    """A failure the person must read: a title and a message they can act on."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(f"{title}: {message}")
        self.title = title
        self.message = message


@dataclass(frozen=True)
class SourceProgress:
    """A discovery source ``started``, ``found``, ``nothing``, ``failed`` or ``skipped``."""

    source: str
    state: str


# --- probing -------------------------------------------------------------------------------

STAGES = ("resolve", "connect", "tls", "greeting", "starttls", "capabilities", "auth", "done")
CERT_ERRORS = ("cert-untrusted", "cert-expired", "cert-hostname-mismatch")


@dataclass(frozen=True)
class Certificate:
    subject: str
    issuer: str
    not_after: str
    sha256: str
    trusted: bool
    hostname_match: bool
    # It failed verification, and was accepted only because the person trusts its fingerprint.
    trusted_by_fingerprint: bool = False


@dataclass(frozen=True)
class ProbeError:
    code: str
    message: str
    hint: str | None = None


@dataclass(frozen=True)
class ServerCheck:
    """The result of checking one server (the contract's ``results[]``)."""

    server: Server
    ok: bool
    stage: str
    error: ProbeError | None = None
    tls_version: str | None = None
    certificate: Certificate | None = None
    capabilities: tuple[str, ...] = ()
    auth_mechanisms: tuple[str, ...] = ()
    username_used: str | None = None
    transcript: tuple[str, ...] = ()
    elapsed_ms: int = 0

    @property
    def certificate_problem(self) -> bool:
        return self.error is not None and self.error.code in CERT_ERRORS


@dataclass(frozen=True)
class RoundTrip:
    ok: bool
    elapsed_ms: int = 0
    error: ProbeError | None = None


@dataclass(frozen=True)
class ProbeOutcome:
    checks: tuple[ServerCheck, ...]
    round_trip: RoundTrip | None = None


@dataclass(frozen=True)
class ProbeProgress:
    """A server reached ``stage`` (reported while the probe runs)."""

    server: Server
    stage: str


@dataclass(frozen=True)
class ProbeRequest:
    settings: Settings
    servers: tuple[Server, ...]
    password: str = field(repr=False)
    accept_insecure_source: bool = False
    trusted_fingerprints: frozenset[str] = frozenset()
    round_trip: bool = False
    timeout: float = 20.0


# --- keyring and export ----------------------------------------------------------------------


@dataclass(frozen=True)
class KeyringStatus:
    """Where a password would go, or why it cannot be saved."""

    available: bool
    location: str  # e.g. "Secret Service (GNOME Keyring)"; empty when not available
    problem_title: str = ""
    problem_message: str = ""


@dataclass(frozen=True)
class ExportTarget:
    id: str
    label: str  # as the core names it (its own language); the GUI may have a better label
    writes: str = "file"  # "file" or "folder"


@dataclass(frozen=True)
class ExportRequest:
    settings: Settings
    name: str
    targets: tuple[str, ...]
    folder: Path
    thunderbird_profile: Path | None = None
    include_password: bool = False
    password: str = field(default="", repr=False)


@dataclass(frozen=True)
class ExportResult:
    target: str
    paths: tuple[Path, ...] = ()
    error: str | None = None
    notes: tuple[str, ...] = ()


@dataclass
class ExportReport:
    results: list[ExportResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.error is None for r in self.results)


class Services:
    """The real core behind the GUI. Subclass and override for tests."""

    # ------------------------------------------------------------------ discovery
    def detect(
        self,
        address: Address,
        *,
        timeout: float,
        on_progress: Callable[[Attempt | SourceProgress], None],
        cancel: CancelToken,
    ) -> Settings:
        """Run discovery, reporting lookups and sources; raises :class:`Cancelled`."""
        from wizard.discovery import SourceEvent, detect

        def on_event(event: object) -> None:
            if isinstance(event, Attempt):
                on_progress(event)
            elif isinstance(event, SourceEvent):
                on_progress(SourceProgress(event.source, event.state))

        settings = detect(address, timeout=timeout, on_event=on_event, cancel=cancel)
        cancel.raise_if_cancelled()
        return settings

    # ------------------------------------------------------------------ probing
    def probe(
        self,
        request: ProbeRequest,
        *,
        on_progress: Callable[[ProbeProgress], None],
        cancel: CancelToken,
    ) -> ProbeOutcome:
        """Check the chosen servers (all at once); raises :class:`Cancelled`."""
        import dataclasses

        from wizard import probe as core

        # Only the servers the person chose are checked: the probe checks all it is given.
        incoming = tuple(s for s in request.servers if s.incoming)
        outgoing = tuple(s for s in request.servers if not s.incoming)
        settings = dataclasses.replace(request.settings, incoming=incoming, outgoing=outgoing)
        options: dict[str, Any] = {
            "password": request.password or None,
            "accept_insecure_source": request.accept_insecure_source,
            "round_trip": request.round_trip,
            "timeout": request.timeout,
            # Certificates the person decided to trust: used only when verification fails.
            "trusted_fingerprints": request.trusted_fingerprints,
        }
        token = core.CancelToken()
        cancel.on_cancel(token.cancel)

        def on_event(event: Any) -> None:  # called from the probe's worker threads
            if event.result is None:
                on_progress(ProbeProgress(event.server, event.stage))

        report = core.probe(settings, core.ProbeOptions(**options), on_event=on_event,
                            cancel=token)
        cancel.raise_if_cancelled()
        return ProbeOutcome(tuple(_check_from(r) for r in report.results),
                            _round_trip_from(report.round_trip))

    # ------------------------------------------------------------------ keyring
    def keyring_status(self) -> KeyringStatus:
        """Which keyring a password would go to, or why there is none (may block on D-Bus)."""
        from wizard import keystore

        try:
            return KeyringStatus(True, keystore.backend_name())
        except keystore.KeystoreError as exc:
            exc.saving = True  # the message then says the password will not be saved
            return KeyringStatus(False, "", exc.title, exc.message)

    def save_password(self, address: Address, servers: Sequence[Server], password: str) -> str:
        """Store the account's password (one entry serves every server); says where."""
        from wizard import keystore

        try:
            entry = keystore.save(address, password)
            backend = keystore.backend_name()
        except keystore.KeystoreError as exc:
            raise ServiceError(exc.title, exc.message) from None
        return f"{backend} ({keystore.SERVICE} / {entry.user})"

    # ------------------------------------------------------------------ export
    def export_targets(self) -> list[ExportTarget]:
        from wizard import export

        return [ExportTarget(f.format, f.label, "folder" if f.writes_folder else "file")
                for f in export.formats()]

    def thunderbird_profiles(self) -> list[Path]:
        """Thunderbird's profiles on this computer, the default one first."""
        from wizard import export

        profiles = sorted(export.find_profiles(), key=lambda p: not p.default)
        return [p.path for p in profiles]

    def export(
        self, request: ExportRequest, *, cancel: CancelToken,
        on_progress: Callable[[ExportResult], None],
    ) -> ExportReport:
        from wizard import export

        report = ExportReport()
        password = request.password if request.include_password else None
        for target in request.targets:
            cancel.raise_if_cancelled()
            dest = export_destination(request, target)
            try:
                written = export.export(target, request.settings, request.name or None,
                                        password, dest)
                result = ExportResult(target, tuple(written.paths), None, tuple(written.notes))
            except export.ExportError as exc:
                result = ExportResult(target, (), str(exc))
            except OSError as exc:
                result = ExportResult(target, (), f"{dest}: {exc.strerror or exc}")
            report.results.append(result)
            on_progress(result)
        return report


def export_destination(request: ExportRequest, target: str) -> Path:
    """Where ``target``'s output goes: the chosen profile, or the core's name in the folder."""
    if target == "thunderbird" and request.thunderbird_profile is not None:
        return request.thunderbird_profile
    from wizard import export

    return export.default_path(target, request.settings.address, request.folder)


def default_export_folder() -> Path:
    """A folder the person will find again: ~/Documents/MailWizard when Documents exists."""
    home = Path.home()
    docs = home / "Documents"
    return (docs if docs.is_dir() else home) / "MailWizard"


def _round_trip_from(value: Any) -> RoundTrip | None:
    if value is None:
        return None
    return RoundTrip(value.ok, value.elapsed_ms, _error_from(value.error))


def _forward_event(event: Any, on_progress: Callable[[ProbeProgress], None]) -> None:
    server = getattr(event, "server", None)
    stage = getattr(event, "stage", None)
    if isinstance(server, Server) and isinstance(stage, str):
        on_progress(ProbeProgress(server, stage))


def _error_from(diagnosis: Any) -> ProbeError | None:
    if diagnosis is None:
        return None
    return ProbeError(diagnosis.code, diagnosis.message, diagnosis.hint or None)


def _check_from(result: Any) -> ServerCheck:
    """A ``wizard.probe.ServerResult`` as the GUI shows it."""
    tls = result.tls
    cert = tls.certificate if tls is not None else None
    return ServerCheck(
        server=result.server, ok=result.ok, stage=result.stage,
        error=_error_from(result.error),
        tls_version=tls.version if tls is not None else None,
        certificate=None if cert is None else Certificate(
            cert.subject, cert.issuer, cert.not_after or "", cert.sha256, cert.trusted,
            cert.hostname_match, cert.trusted_by_fingerprint),
        capabilities=tuple(result.capabilities),
        auth_mechanisms=tuple(result.auth_mechanisms),
        username_used=result.username_used, transcript=tuple(result.transcript),
        elapsed_ms=result.elapsed_ms,
    )


def platform_name() -> str:
    """For support reports: the system the wizard runs on."""
    return f"{sys.platform}, Python {sys.version.split()[0]}, {os.name}"
