"""The wizard's state and navigation, without Qt (after Electrum's ``wizard.py``).

The pages only show this state and forward what the person does; every decision (what is
valid, which page comes next, when a page is complete, which port follows a change of
security, when a warning must be confirmed) is made here, so the tests drive a whole run
without a display. The flow holds no user-facing text: problems are codes the GUI words
(address problems carry the core's own translated message), so this module needs no
catalogue and lives in ``wizard/gui`` beside the widgets that word its codes.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.address import Address, AddressError, parse_address
from wizard.gui.pageids import Page
from wizard.model import (
    DEFAULT_PORTS,
    PROTOCOLS,
    SECURITIES,
    Attempt,
    Protocol,
    Security,
    Server,
    Settings,
    resolve_placeholders,
)

__all__ = ["Page", "WizardFlow"]  # Page lives in pageids; importing it from here is fine

if TYPE_CHECKING:  # only types: the first page must not wait for the adapter's import
    from wizard.gui.services import ExportReport, ProbeOutcome, RoundTrip, ServerCheck


class Status(enum.Enum):
    IDLE = "idle"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


# How the discovery page words the outcome of one source.
SOURCE_ORDER = ("builtin", "autoconfig", "ispdb", "mx", "srv", "autodiscover", "guess")


class SourceState(enum.Enum):
    WAITING = "waiting"
    FOUND = "found"
    NOTHING = "nothing"
    FAILED = "failed"
    SKIPPED = "skipped"


_OUTCOME_STATE = {
    "ok": SourceState.FOUND,
    "not-found": SourceState.NOTHING,
    "invalid": SourceState.NOTHING,
    "error": SourceState.FAILED,
    "timeout": SourceState.FAILED,
    "skipped": SourceState.SKIPPED,
}
_EVENT_STATE = {
    "started": SourceState.WAITING,
    "found": SourceState.FOUND,
    "nothing": SourceState.NOTHING,
    "failed": SourceState.FAILED,
    "skipped": SourceState.SKIPPED,
}
# When several lookups of one source end differently, the most telling wins.
_STATE_RANK = [SourceState.FOUND, SourceState.FAILED, SourceState.NOTHING, SourceState.SKIPPED]


@dataclass(frozen=True)
class FieldProblem:
    """A problem with one input: ``code`` for the GUI to word, or the core's ``message``."""

    field: str
    code: str
    message: str = ""


def other_domain(host: str, address: Address) -> bool:
    """True when ``host`` lies outside the address's domain."""
    host = host.lower().rstrip(".")
    domain = address.domain_ascii.lower()
    return not (host == domain or host.endswith("." + domain))


def port_after_change(old: Server, protocol: Protocol, security: Security) -> int:
    """The port to show after protocol or security changed.

    A port the person typed themselves (not a default of the old combination) is kept;
    a default follows the change (993↔143, 995↔110, 465↔587).
    """
    old_default = DEFAULT_PORTS.get((old.protocol, old.security))
    known_defaults = {p for (proto, _sec), p in DEFAULT_PORTS.items() if proto == old.protocol}
    if old.port != old_default and old.port not in known_defaults:
        return old.port
    if old.protocol == "smtp" and old.port == 25 and security != "ssl":
        return 25
    return DEFAULT_PORTS[(protocol, security)]


def check_host(host: str) -> str | None:
    """A problem code for a host name, or None."""
    host = host.strip().rstrip(".")
    if not host:
        return "required"
    try:
        parse_address(f"x@{host}")
    except AddressError:
        return "host-invalid"
    return None


@dataclass
class WizardFlow:
    """All a run of the wizard knows; one instance per window."""

    name: str = ""
    email_text: str = ""
    password: str = field(default="", repr=False)  # never in a log or a failed assertion
    address: Address | None = None

    discovery: Status = Status.IDLE
    attempts: list[Attempt] = field(default_factory=list)
    source_events: dict[str, str] = field(default_factory=dict)
    detected: Settings | None = None
    discovery_error: str = ""

    incoming_protocol: str = "imap"
    manual: bool = False
    incoming: Server | None = None
    outgoing: Server | None = None
    insecure_confirmed: bool = False

    verification: Status = Status.IDLE
    checks: dict[Server, ServerCheck] = field(default_factory=dict)
    stages: dict[Server, str] = field(default_factory=dict)
    trusted_fingerprints: set[str] = field(default_factory=set)
    continue_unverified: bool = False
    verify_error: str = ""
    send_test_message: bool = False
    round_trip: RoundTrip | None = None

    save_password: bool = True
    password_saved_in: str = ""
    password_problem: str = ""
    export_targets: set[str] = field(default_factory=set)
    export_folder: Path | None = None
    thunderbird_profile: Path | None = None
    include_password: bool = False
    saving: Status = Status.IDLE
    export_report: ExportReport | None = None

    # ---------------------------------------------------------------- page 1: the account
    def set_account(self, name: str, email: str, password: str) -> None:
        if email.strip() != self.email_text.strip():
            self._forget_detection()
        elif password != self.password:
            self._forget_checks()  # a check made with the old password proves nothing now
        self.name, self.email_text, self.password = name, email, password
        try:
            self.address = parse_address(email)
        except AddressError:
            self.address = None

    def account_problems(self) -> list[FieldProblem]:
        problems = []
        if not self.name.strip():
            problems.append(FieldProblem("name", "required"))
        if not self.email_text.strip():
            problems.append(FieldProblem("email", "required"))
        else:
            try:
                parse_address(self.email_text)
            except AddressError as exc:
                problems.append(FieldProblem("email", exc.code, exc.message))
        if not self.password:
            problems.append(FieldProblem("password", "required"))
        return problems

    def _forget_detection(self) -> None:
        self.discovery = Status.IDLE
        self.attempts.clear()
        self.source_events.clear()
        self.detected = None
        self.incoming = self.outgoing = None
        self.manual = False
        self.insecure_confirmed = False
        self._forget_checks()

    def _forget_checks(self) -> None:
        self.verification = Status.IDLE
        self.checks.clear()
        self.stages.clear()
        self.continue_unverified = False
        self.round_trip = None

    # ---------------------------------------------------------------- page 2: discovery
    def discovery_started(self) -> None:
        self._forget_detection()
        self.discovery = Status.RUNNING
        self.discovery_error = ""

    def attempt_seen(self, attempt: Attempt) -> None:
        self.attempts.append(attempt)

    def source_progress(self, source: str, state: str) -> None:
        """What the discovery engine says of a source as a whole (overrides its lookups)."""
        self.source_events[source] = state

    def source_states(self) -> dict[str, SourceState]:
        """What each source came to so far (waiting while it has not reported)."""
        states: dict[str, SourceState] = {source: SourceState.WAITING
                                          for source in SOURCE_ORDER}
        for attempt in self.attempts:
            new = _OUTCOME_STATE.get(attempt.outcome, SourceState.FAILED)
            old = states.get(attempt.source, SourceState.WAITING)
            if old is SourceState.WAITING or _STATE_RANK.index(new) < _STATE_RANK.index(old):
                states[attempt.source] = new
        for source, event in self.source_events.items():
            if source in states:
                states[source] = _EVENT_STATE.get(event, states[source])
        if self.discovery in (Status.DONE, Status.FAILED, Status.CANCELLED):
            for source, state in states.items():
                if state is SourceState.WAITING:
                    states[source] = SourceState.SKIPPED
        return states

    def discovery_finished(self, settings: Settings) -> None:
        self.detected = settings
        self.discovery = Status.DONE
        for attempt in settings.attempts:
            if attempt not in self.attempts:
                self.attempts.append(attempt)
        imap = [s for s in settings.incoming if s.protocol == "imap"]
        self.incoming_protocol = "imap" if imap or not settings.incoming else "pop3"
        self._choose_servers()
        # Nothing found: the person can still type the settings in.
        self.manual = not settings.found or self.incoming is None or self.outgoing is None
        if self.manual:
            self._fill_manual_defaults()

    def discovery_failed(self, message: str) -> None:
        self.discovery = Status.FAILED
        self.discovery_error = message
        if self.address is not None:
            self.manual = True
            self._fill_manual_defaults()

    def discovery_cancelled(self) -> None:
        """Stopped by the person: they may search again or type the settings in."""
        self.discovery = Status.CANCELLED
        if self.address is not None:
            self.manual = True
            self._fill_manual_defaults()

    def discovery_complete(self) -> bool:
        """The Next button of the discovery page: found, or not (then typed by hand)."""
        return self.discovery in (Status.DONE, Status.FAILED, Status.CANCELLED)

    # ---------------------------------------------------------------- page 3: settings
    def incoming_choices(self) -> list[str]:
        found = [] if self.detected is None else [s.protocol for s in self.detected.incoming]
        return [p for p in ("imap", "pop3") if p in found] or ["imap", "pop3"]

    def choose_incoming_protocol(self, protocol: str) -> None:
        self.incoming_protocol = protocol
        if self.manual and self.incoming is not None:
            self.edit_server("incoming", protocol=protocol)
        else:
            self._choose_servers()
        self._forget_checks()

    def _choose_servers(self) -> None:
        if self.detected is None:
            return
        matching = [s for s in self.detected.incoming if s.protocol == self.incoming_protocol]
        incoming = matching or list(self.detected.incoming)
        self.incoming = incoming[0] if incoming else None
        self.outgoing = self.detected.outgoing[0] if self.detected.outgoing else None

    def _fill_manual_defaults(self) -> None:
        assert self.address is not None
        domain = self.address.domain_ascii
        if self.incoming is None:
            proto: Protocol = "pop3" if self.incoming_protocol == "pop3" else "imap"
            host = f"imap.{domain}" if proto == "imap" else f"pop.{domain}"
            self.incoming = Server(proto, host, DEFAULT_PORTS[(proto, "ssl")], "ssl",
                                   username=self.address.email)
        if self.outgoing is None:
            self.outgoing = Server("smtp", f"smtp.{domain}", 465, "ssl",
                                   username=self.address.email)

    def set_manual(self, manual: bool) -> None:
        self.manual = manual
        if manual and self.address is not None:
            self._fill_manual_defaults()
        elif not manual and self.detected is not None and self.detected.found:
            self._choose_servers()
        self._forget_checks()

    def edit_server(self, which: str, **changes: Any) -> Server:
        """Change a field of the incoming or outgoing server; ports follow sensible rules."""
        old = self.incoming if which == "incoming" else self.outgoing
        assert old is not None
        if "host" in changes:
            changes["host"] = str(changes["host"]).strip().lower().rstrip(".")
        protocol = changes.get("protocol", old.protocol)
        security = changes.get("security", old.security)
        if protocol not in PROTOCOLS or security not in SECURITIES:
            raise ValueError(f"unknown protocol or security: {protocol}, {security}")
        if "port" not in changes and (protocol != old.protocol or security != old.security):
            changes["port"] = port_after_change(old, protocol, security)
        new = replace(old, **changes)
        if self.address is not None:
            new = replace(new, username=resolve_placeholders(new.username, self.address))
        if which == "incoming":
            self.incoming = new
            self.incoming_protocol = new.protocol
        else:
            self.outgoing = new
        self._forget_checks()
        return new

    def server_problems(self) -> list[FieldProblem]:
        problems = []
        for which, server in (("incoming", self.incoming), ("outgoing", self.outgoing)):
            if server is None:
                problems.append(FieldProblem(which, "required"))
                continue
            code = check_host(server.host)
            if code:
                problems.append(FieldProblem(f"{which}.host", code))
            if not 1 <= server.port <= 65535:
                problems.append(FieldProblem(f"{which}.port", "port-invalid"))
            if not server.username.strip():
                problems.append(FieldProblem(f"{which}.username", "required"))
        return problems

    def chosen_servers(self) -> tuple[Server, ...]:
        return tuple(s for s in (self.incoming, self.outgoing) if s is not None)

    def hosts_outside_domain(self) -> list[str]:
        if self.address is None:
            return []
        address = self.address
        return [s.host for s in self.chosen_servers() if other_domain(s.host, address)]

    def needs_confirmation(self) -> bool:
        """The found settings may come from an attacker: the person must agree first.

        Hosts the person typed by hand are theirs to choose; settings from an insecure
        source, or naming hosts outside the address's domain that no known provider owns,
        must be confirmed.
        """
        if self.manual or self.detected is None or not self.detected.found:
            return False
        if not self.detected.secure:
            return True
        return bool(self.hosts_outside_domain()) and self.detected.provider is None

    def confirm_insecure(self, confirmed: bool) -> None:
        self.insecure_confirmed = confirmed

    def settings_complete(self) -> bool:
        if self.server_problems():
            return False
        return self.insecure_confirmed or not self.needs_confirmation()

    def final_settings(self) -> Settings:
        """The settings the person settled on, chosen servers first."""
        assert self.address is not None
        base = self.detected or Settings(address=self.address, found=True)
        incoming, outgoing = self.incoming, self.outgoing
        if self.manual:
            return replace(base, found=True, source=None, source_url=None, secure=True,
                           incoming=(incoming,) if incoming else (),
                           outgoing=(outgoing,) if outgoing else ())
        rest_in = tuple(s for s in base.incoming if s != incoming)
        rest_out = tuple(s for s in base.outgoing if s != outgoing)
        return replace(base, incoming=((incoming,) if incoming else ()) + rest_in,
                       outgoing=((outgoing,) if outgoing else ()) + rest_out)

    def accept_insecure_source(self) -> bool:
        """What the probe may send passwords to: typed hosts, or confirmed ones."""
        return self.manual or self.insecure_confirmed or not self.needs_confirmation()

    # ---------------------------------------------------------------- page 4: verify
    def verification_started(self) -> None:
        self._forget_checks()
        self.verification = Status.RUNNING
        self.verify_error = ""
        for server in self.chosen_servers():
            self.stages[server] = "resolve"

    def stage_reached(self, server: Server, stage: str) -> None:
        self.stages[server] = stage

    def verification_finished(self, outcome: ProbeOutcome) -> None:
        self.verification = Status.DONE
        self.round_trip = outcome.round_trip
        for check in outcome.checks:
            self.checks[check.server] = check
            self.stages[check.server] = check.stage

    def verification_failed(self, message: str) -> None:
        self.verification = Status.FAILED
        self.verify_error = message

    def verification_cancelled(self) -> None:
        self.verification = Status.CANCELLED

    def all_verified(self) -> bool:
        servers = self.chosen_servers()
        checked = bool(servers) and all(
            s in self.checks and self.checks[s].ok for s in servers
        )
        if checked and self.send_test_message:
            return self.round_trip is not None and self.round_trip.ok
        return checked

    def untrusted_certificates(self) -> list[ServerCheck]:
        """Checks that stopped at a certificate the person may decide to trust."""
        return [c for c in self.checks.values()
                if c.certificate_problem and c.certificate is not None]

    def accepted_by_fingerprint(self) -> list[ServerCheck]:
        """Checks that passed only because the person trusts the certificate's fingerprint."""
        return [c for c in self.checks.values()
                if c.certificate is not None and c.certificate.trusted_by_fingerprint]

    def trust_certificate(self, sha256: str, trusted: bool) -> None:
        if trusted:
            self.trusted_fingerprints.add(sha256.lower())
        else:
            self.trusted_fingerprints.discard(sha256.lower())

    def set_continue_unverified(self, value: bool) -> None:
        self.continue_unverified = value

    def verify_complete(self) -> bool:
        if self.verification is Status.RUNNING:
            return False
        return self.all_verified() or (
            self.continue_unverified and self.verification is not Status.IDLE
        )

    # ---------------------------------------------------------------- page 5: save
    def set_save_password(self, value: bool) -> None:
        self.save_password = value

    def keyring_unavailable(self, problem: str) -> None:
        self.save_password = False
        self.password_problem = problem

    def toggle_export(self, target: str, on: bool) -> None:
        (self.export_targets.add if on else self.export_targets.discard)(target)

    def save_complete(self) -> bool:
        """Saving runs when Next ("Save") is pressed; the page ends once it succeeded."""
        return self.saving is Status.DONE

    def save_ready(self) -> bool:
        """The "Save" button: an export needs somewhere to go."""
        if self.saving is Status.RUNNING:
            return False
        others = self.export_targets - {"thunderbird"}
        if others and self.export_folder is None:
            return False
        return not ("thunderbird" in self.export_targets and self.thunderbird_profile is None)

    # ---------------------------------------------------------------- navigation
    def complete(self, page: Page) -> bool:
        checks: dict[Page, Callable[[], bool]] = {
            Page.ACCOUNT: lambda: not self.account_problems(),
            Page.DISCOVERY: self.discovery_complete,
            Page.SETTINGS: self.settings_complete,
            Page.VERIFY: self.verify_complete,
            Page.SAVE: self.save_ready,
            Page.DONE: lambda: True,
        }
        return checks[page]()

    def next_page(self, page: Page) -> Page | None:
        return None if page is Page.DONE else Page(page + 1)


# ---------------------------------------------------------------- the verification checklist
CHECK_ITEMS = ("connect", "tls", "certificate", "login")


class ItemState(enum.Enum):
    PENDING = "pending"
    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"
    NOT_TRIED = "not-tried"
    NOT_USED = "not-used"


_STAGE_ITEM = {
    "resolve": "connect", "connect": "connect", "greeting": "connect",
    "tls": "tls", "starttls": "tls", "capabilities": "login", "auth": "login",
    "done": "login",
}
_ERROR_ITEM = {
    "dns-failed": "connect", "refused": "connect",
    "tls-failed": "tls", "starttls-unavailable": "tls",
    "cert-untrusted": "certificate", "cert-expired": "certificate",
    "cert-hostname-mismatch": "certificate",
    "plaintext-refused": "login", "insecure-source-refused": "login",
    "auth-failed": "login", "auth-mechanism-unsupported": "login",
}


def checklist(server: Server, stage: str | None, check: ServerCheck | None,
              running: bool) -> dict[str, ItemState]:
    """Each checklist item's state for one server, from its stage and its result."""
    items = {item: ItemState.PENDING for item in CHECK_ITEMS}
    encrypted = server.security != "plain"
    if check is not None:
        if check.ok:
            items = {item: ItemState.OK for item in CHECK_ITEMS}
        else:
            code = check.error.code if check.error else ""
            failed = _ERROR_ITEM.get(code) or _STAGE_ITEM.get(check.stage, "connect")
            index = CHECK_ITEMS.index(failed)
            for i, item in enumerate(CHECK_ITEMS):
                items[item] = (ItemState.OK if i < index else
                               ItemState.FAILED if i == index else ItemState.NOT_TRIED)
    elif running and stage is not None:
        index = CHECK_ITEMS.index(_STAGE_ITEM.get(stage, "connect"))
        for i, item in enumerate(CHECK_ITEMS[:index + 1]):
            items[item] = ItemState.OK if i < index else ItemState.RUNNING
    if not encrypted:
        items["tls"] = items["certificate"] = ItemState.NOT_USED
    return items
