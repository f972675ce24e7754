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

import inspect
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard.address import Address
from wizard.model import Attempt, Server, Settings


class Cancelled(Exception):
    """The person cancelled the job."""


class CancelToken:
    """Set from the GUI thread, read by the job: the job stops at its next check."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    def cancel(self) -> None:
        with self._lock:
            self._event.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()

    def on_cancel(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on cancel (at once if already cancelled): bridges to core tokens."""
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)
                return
        callback()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True when cancelled meanwhile."""
        return self._event.wait(seconds)


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
    password: str
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
    writes: str = "file"  # "file", "folder" or "profile"
    suffix: str = ""


@dataclass(frozen=True)
class ExportRequest:
    settings: Settings
    name: str
    targets: tuple[str, ...]
    folder: Path
    thunderbird_profile: Path | None = None
    include_password: bool = False
    password: str = ""


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


def _accepts(func: Callable[..., Any], name: str) -> bool:
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


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
        """Check the servers of ``request``; raises :class:`ServiceError` if unavailable."""
        try:
            import wizard.probe as probe_mod
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith("wizard.probe"):
                raise
            raise ServiceError(
                "Checking is not available",
                "This build of MailWizard has no server checks (module wizard.probe).",
            ) from None
        return _run_real_probe(probe_mod, request, on_progress, cancel)

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


def _run_real_probe(
    probe_mod: Any, request: ProbeRequest,
    on_progress: Callable[[ProbeProgress], None], cancel: CancelToken,
) -> ProbeOutcome:
    """Call wizard.probe and convert its results into :class:`ServerCheck` objects."""
    func = getattr(probe_mod, "probe", None) or probe_mod.probe_servers
    kwargs: dict[str, Any] = {}
    optional = {
        "password": request.password,
        "accept_insecure_source": request.accept_insecure_source,
        "trusted_fingerprints": request.trusted_fingerprints,
        "round_trip": request.round_trip,
        "timeout": request.timeout,
        "cancel": cancel,
        "servers": request.servers,
        "on_event": lambda event: _forward_event(event, on_progress),
    }
    for name, value in optional.items():
        if _accepts(func, name):
            kwargs[name] = value
    outcome = func(request.settings, **kwargs)
    cancel.raise_if_cancelled()
    results = getattr(outcome, "results", outcome)
    checks = [_check_from(r) for r in results]
    wanted = set(request.servers)
    chosen = tuple(c for c in checks if c.server in wanted) or tuple(checks)
    return ProbeOutcome(chosen, _round_trip_from(getattr(outcome, "round_trip", None)))


def _round_trip_from(value: Any) -> RoundTrip | None:
    if value is None:
        return None
    get = (lambda k, d=None: value.get(k, d)) if isinstance(value, dict) \
        else (lambda k, d=None: getattr(value, k, d))
    error = get("error")
    if error is not None:
        error = _check_from({"error": error, "server": None}).error
    return RoundTrip(bool(get("ok")), int(get("elapsed_ms", 0) or 0), error)


def _forward_event(event: Any, on_progress: Callable[[ProbeProgress], None]) -> None:
    server = getattr(event, "server", None)
    stage = getattr(event, "stage", None)
    if isinstance(server, Server) and isinstance(stage, str):
        on_progress(ProbeProgress(server, stage))


def _check_from(result: Any) -> ServerCheck:
    """A core probe result (dataclass or contract dict) as a :class:`ServerCheck`."""
    get = (lambda k, d=None: result.get(k, d)) if isinstance(result, dict) \
        else (lambda k, d=None: getattr(result, k, d))
    error = get("error")
    tls = get("tls")
    cert = None
    tls_version = None
    if tls is not None:
        tget = (lambda k, d=None: tls.get(k, d)) if isinstance(tls, dict) \
            else (lambda k, d=None: getattr(tls, k, d))
        tls_version = tget("version")
        c = tget("certificate")
        if c is not None:
            cg = (lambda k, d=None: c.get(k, d)) if isinstance(c, dict) \
                else (lambda k, d=None: getattr(c, k, d))
            cert = Certificate(str(cg("subject", "")), str(cg("issuer", "")),
                               str(cg("not_after", "")), str(cg("sha256", "")),
                               bool(cg("trusted", False)), bool(cg("hostname_match", False)))
    if error is not None:
        eg = (lambda k, d=None: error.get(k, d)) if isinstance(error, dict) \
            else (lambda k, d=None: getattr(error, k, d))
        error = ProbeError(str(eg("code", "")), str(eg("message", "")), eg("hint"))
    if cert is None and get("certificate") is not None:
        cert = _check_from({"tls": {"certificate": get("certificate")}}).certificate
    return ServerCheck(
        server=get("server"), ok=bool(get("ok")), stage=str(get("stage", "")), error=error,
        tls_version=tls_version, certificate=cert,
        capabilities=tuple(get("capabilities", ()) or ()),
        auth_mechanisms=tuple(get("auth_mechanisms", ()) or ()),
        username_used=get("username_used"), transcript=tuple(get("transcript", ()) or ()),
        elapsed_ms=int(get("elapsed_ms", 0) or 0),
    )


def platform_name() -> str:
    """For support reports: the system the wizard runs on."""
    return f"{sys.platform}, Python {sys.version.split()[0]}, {os.name}"
