"""The wizard's flow without a display: validation, navigation, defaults and decisions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from wizard.address import parse_address
from wizard.gui.flow import (
    ItemState,
    Page,
    SourceState,
    Status,
    WizardFlow,
    checklist,
    port_after_change,
)
from wizard.gui.services import Certificate, ProbeError, ProbeOutcome, ServerCheck
from wizard.model import Attempt, Server

from .fakes import FINGERPRINT, example_settings


def flow_with(settings_kwargs: dict | None = None, email: str = "alice@example.com") -> WizardFlow:
    flow = WizardFlow()
    flow.set_account("Alice", email, "pw")
    flow.discovery_started()
    assert flow.address is not None
    flow.discovery_finished(example_settings(flow.address, **(settings_kwargs or {})))
    return flow


def test_flow_module_imports_no_qt() -> None:
    code = ("import sys, wizard.gui.flow, wizard.gui.services; "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_account_page_problems_name_each_field() -> None:
    flow = WizardFlow()
    flow.set_account("", "alice@", "")
    problems = {p.field: p for p in flow.account_problems()}
    assert set(problems) == {"name", "email", "password"}
    assert problems["name"].code == "required"
    assert problems["email"].message  # the core's own explanation of the bad address
    assert not flow.complete(Page.ACCOUNT)
    flow.set_account("Alice", " alice@Example.COM ", "secret")
    assert flow.account_problems() == []
    assert flow.address is not None and flow.address.domain == "example.com"
    assert flow.complete(Page.ACCOUNT)


def test_changing_the_address_forgets_what_was_found() -> None:
    flow = flow_with()
    assert flow.detected is not None
    flow.set_account("Alice", "bob@example.org", "pw")
    assert flow.detected is None and flow.discovery is Status.IDLE
    assert not flow.complete(Page.DISCOVERY)


def test_imap_is_preferred_and_pop3_can_be_chosen() -> None:
    flow = flow_with()
    assert flow.incoming is not None and flow.incoming.protocol == "imap"
    assert flow.incoming_choices() == ["imap", "pop3"]
    flow.choose_incoming_protocol("pop3")
    assert flow.incoming.protocol == "pop3"
    assert flow.final_settings().incoming[0].protocol == "pop3"


def test_source_states_follow_the_attempts() -> None:
    flow = WizardFlow()
    flow.set_account("A", "alice@example.com", "pw")
    flow.discovery_started()
    flow.attempt_seen(Attempt("autoconfig", "https://autoconfig…", "not-found", 5))
    flow.attempt_seen(Attempt("autoconfig", "https://example.com/.well-known…", "ok", 9))
    flow.attempt_seen(Attempt("srv", "_imaps._tcp", "timeout", 10))
    states = flow.source_states()
    assert states["autoconfig"] is SourceState.FOUND
    assert states["srv"] is SourceState.FAILED
    assert states["guess"] is SourceState.WAITING
    flow.source_progress("mx", "started")
    flow.source_progress("ispdb", "skipped")
    assert flow.source_states()["mx"] is SourceState.WAITING
    assert flow.source_states()["ispdb"] is SourceState.SKIPPED
    flow.discovery_cancelled()
    assert flow.source_states()["guess"] is SourceState.SKIPPED


def test_cancelled_discovery_leads_to_typing_the_settings_in() -> None:
    flow = WizardFlow()
    flow.set_account("A", "alice@example.com", "pw")
    flow.discovery_started()
    assert not flow.complete(Page.DISCOVERY)
    flow.discovery_cancelled()
    assert flow.complete(Page.DISCOVERY)
    assert flow.manual
    assert flow.incoming == Server("imap", "imap.example.com", 993, "ssl",
                                   username="alice@example.com")
    assert flow.outgoing is not None and flow.outgoing.host == "smtp.example.com"
    assert flow.complete(Page.SETTINGS)  # typed hosts need no confirmation


def test_ports_follow_security_unless_typed_by_hand() -> None:
    imap = Server("imap", "imap.example.com", 993, "ssl")
    assert port_after_change(imap, "imap", "starttls") == 143
    assert port_after_change(imap, "pop3", "ssl") == 995
    smtp = Server("smtp", "smtp.example.com", 465, "ssl")
    assert port_after_change(smtp, "smtp", "starttls") == 587
    assert port_after_change(Server("smtp", "h", 587, "starttls"), "smtp", "ssl") == 465
    assert port_after_change(Server("smtp", "h", 25, "starttls"), "smtp", "plain") == 25
    assert port_after_change(Server("smtp", "h", 2525, "starttls"), "smtp", "ssl") == 2525


def test_manual_editing_validates_and_keeps_defaults_sensible() -> None:
    flow = flow_with()
    flow.set_manual(True)
    flow.edit_server("incoming", security="starttls")
    assert flow.incoming is not None and flow.incoming.port == 143
    flow.edit_server("outgoing", host="  SMTP.Example.COM. ")
    assert flow.outgoing is not None and flow.outgoing.host == "smtp.example.com"
    flow.edit_server("incoming", host="not a host")
    assert [p.field for p in flow.server_problems()] == ["incoming.host"]
    assert not flow.complete(Page.SETTINGS)
    flow.edit_server("incoming", host="mail.example.com", username="")
    assert [p.code for p in flow.server_problems()] == ["required"]
    flow.edit_server("incoming", username="alice")
    assert flow.complete(Page.SETTINGS)
    final = flow.final_settings()
    assert final.incoming == (Server("imap", "mail.example.com", 143, "starttls",
                                     username="alice"),)
    assert final.source is None


def test_insecure_source_blocks_until_confirmed() -> None:
    flow = flow_with({"source": "autoconfig", "secure": False})
    assert flow.needs_confirmation()
    assert not flow.complete(Page.SETTINGS)
    assert not flow.accept_insecure_source()
    flow.confirm_insecure(True)
    assert flow.complete(Page.SETTINGS)
    assert flow.accept_insecure_source()


def test_hosts_outside_the_domain_need_confirmation_unless_a_known_provider() -> None:
    flow = flow_with({"source": "mx", "host_domain": "elsewhere.test", "provider": False})
    assert flow.hosts_outside_domain() == ["imap.elsewhere.test", "smtp.elsewhere.test"]
    assert flow.needs_confirmation()
    known = flow_with({"source": "mx", "host_domain": "elsewhere.test", "provider": True})
    assert not known.needs_confirmation()


def _check(server: Server, ok: bool, code: str | None = None, stage: str = "done",
           cert_trusted: bool = True) -> ServerCheck:
    cert = Certificate("CN=x", "CN=y", "2027-01-01T00:00:00Z", FINGERPRINT, cert_trusted, True)
    return ServerCheck(server, ok, stage, ProbeError(code, "m", "h") if code else None,
                       "TLSv1.3", cert)


def test_verification_needs_every_server_or_an_explicit_choice() -> None:
    flow = flow_with()
    servers = flow.chosen_servers()
    flow.verification_started()
    assert not flow.complete(Page.VERIFY)
    flow.verification_finished(ProbeOutcome((_check(servers[0], True),
                                             _check(servers[1], False, "auth-failed", "auth"))))
    assert not flow.complete(Page.VERIFY)
    flow.set_continue_unverified(True)
    assert flow.complete(Page.VERIFY)
    flow.verification_started()
    assert not flow.continue_unverified
    flow.verification_finished(ProbeOutcome(tuple(_check(s, True) for s in servers)))
    assert flow.complete(Page.VERIFY)


def test_certificate_problems_are_offered_for_trust() -> None:
    flow = flow_with()
    server = flow.chosen_servers()[0]
    flow.verification_started()
    flow.verification_finished(ProbeOutcome((_check(server, False, "cert-untrusted", "tls",
                                                    cert_trusted=False),)))
    assert [c.server for c in flow.untrusted_certificates()] == [server]
    flow.trust_certificate(FINGERPRINT.upper(), True)
    assert flow.trusted_fingerprints == {FINGERPRINT}
    assert flow.accepted_by_fingerprint() == []
    # Checked again with that decision: the server passes, by the person's decision.
    flow.verification_started()
    assert flow.trusted_fingerprints == {FINGERPRINT}  # the decision outlives the check
    pinned = ServerCheck(server, True, "done", None, "TLSv1.3", Certificate(
        "CN=x", "CN=x", "2027-01-01T00:00:00Z", FINGERPRINT, False, True, True))
    flow.verification_finished(ProbeOutcome((pinned,)))
    assert flow.accepted_by_fingerprint() == [pinned]
    assert flow.untrusted_certificates() == []


def test_checklist_marks_where_a_check_stopped() -> None:
    server = Server("imap", "imap.example.com", 993, "ssl")
    running = checklist(server, "tls", None, running=True)
    assert running == {"connect": ItemState.OK, "tls": ItemState.RUNNING,
                       "certificate": ItemState.PENDING, "login": ItemState.PENDING}
    cert = checklist(server, "tls", _check(server, False, "cert-expired", "tls"), False)
    assert cert["tls"] is ItemState.OK and cert["certificate"] is ItemState.FAILED
    assert cert["login"] is ItemState.NOT_TRIED
    login = checklist(server, "auth", _check(server, False, "auth-failed", "auth"), False)
    assert login["certificate"] is ItemState.OK and login["login"] is ItemState.FAILED
    plain = Server("pop3", "pop.example.com", 110, "plain")
    assert checklist(plain, "done", _check(plain, True), False)["tls"] is ItemState.NOT_USED


def test_save_page_needs_destinations_for_exports(tmp_path) -> None:  # type: ignore[no-untyped-def]
    flow = flow_with()
    flow.export_folder = None
    assert flow.complete(Page.SAVE)  # nothing to export: only the password
    flow.toggle_export("msmtp", True)
    assert not flow.complete(Page.SAVE)
    flow.export_folder = tmp_path
    assert flow.complete(Page.SAVE)
    flow.toggle_export("thunderbird", True)
    assert not flow.complete(Page.SAVE)
    flow.thunderbird_profile = tmp_path / "profile"
    assert flow.complete(Page.SAVE)
    assert flow.next_page(Page.SAVE) is Page.DONE and flow.next_page(Page.DONE) is None


def test_address_with_unicode_domain() -> None:
    flow = flow_with(email="иван@пример.рф")
    assert flow.address == parse_address("иван@пример.рф")
    assert flow.incoming is not None and flow.incoming.host.startswith("imap.xn--")


def test_the_password_stays_out_of_the_flows_repr() -> None:
    flow = WizardFlow()
    flow.set_account("Alice", "alice@example.com", "s3cret-Pa55")
    assert "s3cret-Pa55" not in repr(flow)


def test_requests_to_the_core_keep_the_password_out_of_their_repr() -> None:
    from wizard.gui.services import ExportRequest, ProbeRequest

    flow = flow_with()
    probe = ProbeRequest(flow.final_settings(), flow.chosen_servers(), "s3cret-Pa55")
    export = ExportRequest(flow.final_settings(), "A", ("msmtp",), Path("/tmp"),
                           password="s3cret-Pa55")
    assert "s3cret-Pa55" not in repr(probe) + repr(export)


def test_a_new_password_needs_a_new_check() -> None:
    flow = flow_with()
    servers = flow.chosen_servers()
    flow.verification_started()
    flow.verification_finished(ProbeOutcome(tuple(_check(s, True) for s in servers)))
    assert flow.complete(Page.VERIFY)
    flow.set_account("Alice", "alice@example.com", "another")
    assert flow.verification is Status.IDLE and not flow.complete(Page.VERIFY)
    assert flow.detected is not None  # the settings found are still good
