"""What a domain should publish so that every mail program finds its servers.

A folder with the domain's ``config-v1.1.xml`` (Thunderbird and many others), an
Autodiscover response (Outlook) and RFC 6186 / RFC 8314 SRV records as zone-file lines,
plus a short README that says where each goes.
"""

from __future__ import annotations

from pathlib import Path

from wizard.export.autoconfig import config_xml
from wizard.export.autodiscover import response_xml
from wizard.export.base import Exporter, ExportError, ExportResult, check_inputs, templated_username
from wizard.export.files import OutFile, write_all
from wizard.i18n import N_, _
from wizard.model import Server, Settings

TTL = 3600
# (service label, protocol, implicit TLS?) in the order the zone file lists them.
SERVICES = (
    ("_imaps._tcp", "imap", True),
    ("_imap._tcp", "imap", False),
    ("_pop3s._tcp", "pop3", True),
    ("_pop3._tcp", "pop3", False),
    ("_submissions._tcp", "smtp", True),
    ("_submission._tcp", "smtp", False),
)


def _family(servers: tuple[Server, ...], protocol: str) -> list[Server]:
    return [s for s in servers if s.protocol == protocol]


def srv_records(settings: Settings) -> str:
    """The zone-file lines (absolute names) for the settings' servers.

    Within a protocol the servers keep their order (best first, implicit TLS before
    STARTTLS, as RFC 8314 asks) through rising priorities; services the domain does not
    offer get the RFC 6186 "not available" record with target ".".
    """
    domain = settings.address.domain_ascii
    servers = settings.incoming + settings.outgoing
    lines = [
        f"; Mail service records for {domain} (RFC 6186, RFC 8314), written by MailWizard.",
        "; Paste them into the zone of the domain; names end with a dot, so no $ORIGIN needed.",
        f"$TTL {TTL}",
    ]
    for label, protocol, implicit in SERVICES:
        name = f"{label}.{domain}."
        family = _family(servers, protocol)
        matching = [s for s in family if (s.security == "ssl") == implicit]
        if not matching:
            lines.append(f"{name} {TTL} IN SRV 0 0 0 .")
            continue
        for server in matching:
            priority = family.index(server) * 10
            if server.security == "plain":
                lines.append(f"; {server.host}:{server.port} offers no encryption")
            lines.append(f"{name} {TTL} IN SRV {priority} 1 {server.port} {server.host}.")
    lines += [
        "; Outlook looks for its Autodiscover service here (point it at your web server):",
        f"; _autodiscover._tcp.{domain}. {TTL} IN SRV 0 1 443 autodiscover.{domain}.",
        "",
    ]
    return "\n".join(lines)


def readme(settings: Settings) -> str:
    domain = settings.address.domain_ascii
    return "\n".join([
        f"What {domain} should publish so that mail programs find its servers",
        "",
        "config-v1.1.xml",
        f"  Serve it as https://autoconfig.{domain}/mail/config-v1.1.xml and as",
        f"  https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml",
        "  (Content-Type: text/xml). Thunderbird, K-9/Thunderbird for Android, Evolution,",
        "  KMail and others read it.",
        "",
        "autodiscover.xml",
        f"  Outlook POSTs a request to https://autodiscover.{domain}/autodiscover/autodiscover.xml"
        ,
        "  and expects this response (Content-Type: text/xml). Without a LoginName element",
        "  clients use the address itself as the user name; if your users sign in with",
        "  something else, answer from a small script that puts each user's login into",
        "  <LoginName>.",
        "",
        "srv-records.zone",
        "  RFC 6186 / RFC 8314 service records for the domain's DNS zone, implicit TLS first.",
        "",
    ])


class DomainAdminExporter(Exporter):
    format = "domain-admin"
    label_en = N_("Files for the domain's administrator (autoconfig, Autodiscover, DNS SRV)")
    default_name_template = "mail-autoconfig-{domain}"
    writes_folder = True

    def export(self, settings: Settings, full_name: str | None, password: str | None,
               out_path: Path, *, overwrite: bool = False) -> ExportResult:
        check_inputs(settings, full_name, password)
        if not settings.incoming:
            raise ExportError(_("These settings name no incoming server to publish."))
        address = settings.address
        templates = {templated_username(s.username, address)
                     for s in settings.incoming + settings.outgoing}
        by_address = templates == {"%EMAILADDRESS%"}
        files = [
            OutFile(out_path / "config-v1.1.xml", config_xml(settings)),
            OutFile(out_path / "autodiscover.xml",
                    response_xml(settings, all_servers=True, login=not by_address)),
            OutFile(out_path / "srv-records.zone", srv_records(settings).encode("utf-8")),
            OutFile(out_path / "README.txt", readme(settings).encode("utf-8")),
        ]
        paths = write_all(files, overwrite=overwrite)
        notes = [_("Publish the files as the README.txt in the folder explains.")]
        if not by_address:
            notes.append(_("autodiscover.xml names the login of {address}; a server answering "
                           "for every user must fill in each user's own.",
                           address=address.email))
        if password is not None:
            notes.append(_("The password was not written: these files are public."))
        return ExportResult(paths, tuple(notes))
