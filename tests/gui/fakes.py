"""A stand-in for the core behind ``wizard.gui.services``, for the tests that need no network.

It behaves like the real thing where the GUI can tell: results arrive from a worker thread
after a delay, progress comes as events, cancellation is noticed at the next wait, and
every request is recorded so a test can check what the GUI asked for (and that no password
went where it must not).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wizard.address import Address
from wizard.gui.services import (
    Cancelled,
    CancelToken,
    Certificate,
    ExportReport,
    ExportRequest,
    ExportResult,
    KeyringStatus,
    ProbeError,
    ProbeOutcome,
    ProbeProgress,
    ProbeRequest,
    RoundTrip,
    ServerCheck,
    ServiceError,
    Services,
    SourceProgress,
    export_destination,
)
from wizard.model import Attempt, Note, ProviderRef, Server, Settings

PASSWORD = "correct horse"
FINGERPRINT = "ab" * 32


def example_settings(address: Address, *, source: str = "builtin", secure: bool = True,
                     host_domain: str | None = None, provider: bool = True) -> Settings:
    domain = host_domain or address.domain_ascii
    return Settings(
        address=address, found=True,
        provider=ProviderRef(domain, "Example Mail") if provider else None,
        source=source,  # type: ignore[arg-type]
        source_url=None if source == "builtin" else f"http://autoconfig.{domain}/mail/x.xml",
        secure=secure,
        incoming=(Server("imap", f"imap.{domain}", 993, "ssl", username=address.email),
                  Server("pop3", f"pop.{domain}", 995, "ssl", username=address.email)),
        outgoing=(Server("smtp", f"smtp.{domain}", 465, "ssl", username=address.email),),
        notes=(Note("enable-imap", "Switch on IMAP access in the web settings.",
                    "https://help.example.com/imap"),),
    )


@dataclass
class FakeServices(Services):
    tmp: Path
    detect_delay: float = 0.05
    detect_result: Callable[[Address], Settings] | None = None
    detect_error: Exception | None = None
    bad_certificate: bool = False
    keyring: KeyringStatus = field(
        default_factory=lambda: KeyringStatus(True, "Secret Service (fake)"))
    keyring_error: ServiceError | None = None
    stored: dict[str, str] = field(default_factory=dict)
    probe_requests: list[ProbeRequest] = field(default_factory=list)
    export_requests: list[ExportRequest] = field(default_factory=list)
    detect_cancelled: threading.Event = field(default_factory=threading.Event)
    detect_thread: list[str] = field(default_factory=list)

    def detect(self, address: Address, *, timeout: float,
               on_progress: Callable[[Attempt | SourceProgress], None],
               cancel: CancelToken) -> Settings:
        on_attempt = on_progress
        self.detect_thread.append(threading.current_thread().name)
        winner = (self.detect_result(address).source if self.detect_result is not None
                  else "builtin")
        on_attempt(Attempt("builtin", address.domain_ascii,
                           "ok" if winner == "builtin" else "not-found", 0))
        # What the progress shows agrees with the result: the winning source found it.
        for source, outcome in (("srv", "not-found"),
                                ("autoconfig", "ok" if winner == "autoconfig" else "timeout")):
            if cancel.wait(self.detect_delay):
                self.detect_cancelled.set()
                raise Cancelled
            on_attempt(Attempt(source, f"{source}.{address.domain_ascii}",  # type: ignore
                               outcome, 10))  # type: ignore[arg-type]
        if cancel.wait(self.detect_delay):
            self.detect_cancelled.set()
            raise Cancelled
        on_progress(SourceProgress("guess", "skipped"))
        if self.detect_error is not None:
            raise self.detect_error
        if self.detect_result is not None:
            return self.detect_result(address)
        return example_settings(address)

    def probe(self, request: ProbeRequest, *, on_progress: Callable[[ProbeProgress], None],
              cancel: CancelToken) -> ProbeOutcome:
        self.probe_requests.append(request)
        checks = []
        for server in request.servers:
            for stage in ("connect", "tls", "auth"):
                if cancel.wait(0.01):
                    raise Cancelled
                on_progress(ProbeProgress(server, stage))
            checks.append(self._check(server, request))
        rt = RoundTrip(True, 1200) if request.round_trip else None
        return ProbeOutcome(tuple(checks), rt)

    def _check(self, server: Server, request: ProbeRequest) -> ServerCheck:
        # As the core does: a bad certificate passes only by the person's decision, and says so.
        pinned = self.bad_certificate and FINGERPRINT in request.trusted_fingerprints
        trusted = not self.bad_certificate or pinned
        cert = Certificate(f"CN={server.host}",
                           f"CN={server.host}" if self.bad_certificate else "CN=Fake CA",
                           "2027-01-01T00:00:00Z", FINGERPRINT, not self.bad_certificate, True,
                           pinned)
        transcript = (f"S: * OK {server.host} ready", "C: a1 CAPABILITY",
                      "C: a2 AUTHENTICATE PLAIN ********")
        if not trusted:
            return ServerCheck(server, False, "tls", ProbeError(
                "cert-untrusted", "The server's certificate is not signed by an authority "
                "this computer trusts.", "Ask your provider for the fingerprint."),
                "TLSv1.3", cert, transcript=transcript[:1])
        if request.password != PASSWORD:
            return ServerCheck(server, False, "auth", ProbeError(
                "auth-failed", "The server refused the user name or password.",
                "Check the password; some providers need an app password."),
                "TLSv1.3", cert, transcript=transcript)
        return ServerCheck(server, True, "done", None, "TLSv1.3", cert, ("IMAP4rev1",),
                           ("PLAIN",), server.username, transcript, 30)

    def keyring_status(self) -> KeyringStatus:
        return self.keyring

    def save_password(self, address: Address, servers: Sequence[Server], password: str) -> str:
        if self.keyring_error is not None:
            raise self.keyring_error
        self.stored[address.email] = password
        return self.keyring.location

    def thunderbird_profiles(self) -> list[Path]:
        return [self.tmp / "tb-profile"]

    def export(self, request: ExportRequest, *, cancel: CancelToken,
               on_progress: Callable[[ExportResult], None]) -> ExportReport:
        self.export_requests.append(request)
        report = ExportReport()
        for target in request.targets:
            dest = export_destination(request, target)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if target == "thunderbird":
                dest.mkdir(parents=True, exist_ok=True)
                dest = dest / "prefs.js"
            dest.write_text(json.dumps({
                "target": target, "host": request.settings.incoming[0].host,
                "password": request.password if request.include_password else None}))
            result = ExportResult(target, (dest,))
            report.results.append(result)
            on_progress(result)
        return report
