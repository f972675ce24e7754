"""The bundled provider table (providers.json), its importer and wizard.providers."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import defusedxml.ElementTree as DefusedET
import jsonschema
import pytest

from wizard import providers
from wizard.configxml import parse_config_xml
from wizard.model import PLACEHOLDERS, Limits, Server, order_servers

REPO = Path(__file__).resolve().parents[1]
TABLE = REPO / "providers.json"
SCHEMA = REPO / "resources" / "providers.schema.json"
SEED = REPO / "tools" / "seed_providers.json"
ISPDB = REPO.parent / "shared" / "data" / "ispdb" / "xml"
needs_ispdb = pytest.mark.skipif(not ISPDB.is_dir(), reason="ISPDB snapshot not available")

HOST_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$"
)
CYRILLIC = re.compile("[\u0430-\u044f\u0451]", re.IGNORECASE)


def load_importer() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "import_ispdb", REPO / "tools" / "import_ispdb.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def table() -> dict:
    return json.loads(TABLE.read_text("utf-8"))


@pytest.fixture(scope="module")
def importer() -> ModuleType:
    return load_importer()


def servers(provider: providers.Provider, direction: str) -> list[tuple[str, str, int, str]]:
    return [(s.protocol, s.host, s.port, s.security) for s in getattr(provider, direction)]


# --- the file -------------------------------------------------------------------------


def test_table_matches_schema(table: dict) -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(table)


def test_table_is_sorted_unique_and_attributed(table: dict) -> None:
    ids = [p["id"] for p in table["providers"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    domains = [d for p in table["providers"] for d in p["domains"]]
    assert len(domains) == len(set(domains)), "a domain belongs to exactly one provider"
    patterns = [m for p in table["providers"] for m in p["mx_patterns"]]
    assert len(patterns) == len(set(patterns))
    text = table["attribution"]
    assert "Mozilla Public License 2.0" in text
    assert "Thunderbird ISP database" in text
    assert "c6ad79659b5fc321d1593ec4c277815b83e5dec5" in text
    raw = TABLE.read_text("utf-8")
    assert raw.endswith("}\n") and "\\u04" not in raw  # ensure_ascii=False


def test_no_placeholder_hosts_and_known_placeholders_only() -> None:
    for provider in providers.all_providers():
        for s in provider.incoming + provider.outgoing:
            assert HOST_RE.match(s.host), (provider.id, s.host)
            assert re.sub("|".join(PLACEHOLDERS), "", s.username).count("%") == 0, provider.id


# --- the loader ------------------------------------------------------------------------


def test_loader_builds_frozen_providers() -> None:
    everything = providers.all_providers()
    assert [p.id for p in everything] == sorted(p.id for p in everything)
    assert len(everything) >= 190
    gmail = providers.by_domain("gmail.com")
    assert gmail is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        gmail.name = "x"  # type: ignore[misc]
    assert gmail.ref.id == gmail.id and gmail.ref.name == "Gmail"
    assert isinstance(gmail.limits, Limits)
    assert gmail.oauth2 is not None and gmail.oauth2.issuer == "accounts.google.com"
    assert all(isinstance(t, tuple) for t in (gmail.domains, gmail.incoming, gmail.notes))
    assert providers.table_path().name == "providers.json"


def test_loaded_once() -> None:
    assert providers.all_providers() is providers.all_providers()
    assert providers.by_domain("ya.ru") is providers.by_domain("yandex.ru")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("gmail.com", "googlemail.com"),
        ("GMail.COM.", "googlemail.com"),
        (" yandex.ru ", "yandex.ru"),
        ("unknown-provider.example", None),
        ("", None),
        ("com", None),
        ("mail.gmail.com", None),  # exact domains only
    ],
)
def test_by_domain(query: str, expected: str | None) -> None:
    found = providers.by_domain(query)
    assert (found.id if found else None) == expected


def test_lookups_stay_light() -> None:
    """detect --offline must start fast: no jsonschema, no public suffix list for a domain."""
    code = (
        "import sys, time\n"
        "t = time.perf_counter()\n"
        "from wizard import providers\n"
        "assert providers.by_domain('gmail.com') is not None\n"
        "elapsed = time.perf_counter() - t\n"
        "assert 'jsonschema' not in sys.modules\n"
        "assert 'publicsuffixlist' not in sys.modules\n"
        "assert 'wizard.configxml' not in sys.modules\n"
        "print(elapsed)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) < 0.5


# --- every snapshot domain -----------------------------------------------------------


def snapshot_domains() -> list[tuple[str, str]]:
    """(file stem, domain) for every <domain> entry of every snapshot file, as written."""
    out = []
    for path in sorted(ISPDB.glob("*.xml")):
        root = DefusedET.fromstring(path.read_bytes())
        for element in root.iter("domain"):
            out.append((path.stem, (element.text or "").strip().lower()))
    return out


@needs_ispdb
def test_every_snapshot_domain_is_found() -> None:
    entries = snapshot_domains()
    assert len({stem for stem, _ in entries}) == 163
    assert len(entries) == 963
    counts = Counter(domain for _, domain in entries)
    duplicated = {d for d, n in counts.items() if n > 1}
    # The snapshot repeats one domain, inside one file; the table holds it once.
    assert duplicated == {"cty-net.ne.jp"}
    assert len(counts) == 962
    for stem, domain in entries:
        provider = providers.by_domain(domain)
        assert provider is not None, domain
        # its own file's provider (files with mail.%EMAILDOMAIN% hosts are split per domain)
        assert provider.id in (stem, domain), (domain, provider.id)
        assert any(HOST_RE.match(s.host) for s in provider.incoming), domain
    assert providers.by_domain("cty-net.ne.jp").domains.count("cty-net.ne.jp") == 1


@needs_ispdb
def test_domain_placeholder_files_are_split_per_domain() -> None:
    for domain in ("inbox.lv", "inbox.eu", "inbox.lt", "inbox.la"):
        provider = providers.by_domain(domain)
        assert provider is not None and provider.domains == (domain,)
        assert {s.host for s in provider.incoming} == {f"mail.{domain}"}
        assert provider.name == domain
    tiki = providers.by_domain("mx2.et.tiki.ne.jp")
    assert tiki is not None and tiki.incoming[0].host == "mx2.et.tiki.ne.jp"
    assert tiki.outgoing[0].host == "smtp-auth.tiki.ne.jp"


def _config(xml_domains: list[str], host: str) -> bytes:
    domains = "".join(f"<domain>{d}</domain>" for d in xml_domains)
    return (
        f'<clientConfig><emailProvider id="{host}">{domains}<displayName>{host}</displayName>'
        f'<incomingServer type="imap"><hostname>imap.{host}</hostname><port>993</port>'
        "<socketType>SSL</socketType></incomingServer></emailProvider></clientConfig>"
    ).encode()


def test_domains_claimed_twice_go_to_one_provider(importer: ModuleType) -> None:
    configs = [
        (
            "a.example.xml",
            parse_config_xml(
                _config(["a.example", "shared.example", "both.example", "a.example"], "a.example")
            ),
        ),
        (
            "b.example.xml",
            parse_config_xml(
                _config(
                    ["b.example", "shared.example", "both.example", "seeded.example"], "b.example"
                )
            ),
        ),
        ("shared.example.xml", parse_config_xml(_config(["shared.example"], "shared.example"))),
        ("c.example.xml", parse_config_xml(_config(["a.example"], "c.example"))),
    ]
    seed = {"providers": {"c.example": {"add_domains": ["seeded.example"]}}}
    log: list[str] = []
    table = importer.build_table(configs, seed, None, log)
    owners = {d: p["id"] for p in table["providers"] for d in p["domains"]}
    assert owners == {
        "a.example": "a.example",  # named after the domain; also deduplicated within its file
        "shared.example": "shared.example",  # named after the domain
        "both.example": "a.example",  # nobody named after it: the first by id
        "b.example": "b.example",
        "seeded.example": "c.example",  # given by the seed
    }
    assert [p["domains"] for p in table["providers"] if p["id"] == "a.example"] == [
        ["a.example", "both.example"]
    ]
    assert any("shared.example claimed by" in line for line in log)
    # c.example lost its only ISPDB domain but keeps the seeded one
    assert [p["origin"] for p in table["providers"] if p["id"] == "c.example"] == ["ispdb+seed"]
    # a provider left with no domain is dropped
    table = importer.build_table(configs[:1] + configs[3:], {}, None, log)
    assert [p["id"] for p in table["providers"]] == ["a.example"]


def test_importer_rejects_bad_seed(importer: ModuleType) -> None:
    config = [("a.example.xml", parse_config_xml(_config(["a.example"], "a.example")))]
    bad_seeds = [
        {"providers": {"a.example": {"colour": "red"}}},
        {"providers": {"new.example": {"name": "New"}}},
        {
            "providers": {
                "a.example": {
                    "incoming": [
                        {"protocol": "imap", "host": "bad host", "port": 993, "security": "ssl"}
                    ]
                }
            }
        },
        {
            "providers": {
                "a.example": {
                    "incoming": [
                        {
                            "protocol": "imap",
                            "host": "imap.a.example",
                            "port": 993,
                            "security": "tls",
                        }
                    ]
                }
            }
        },
        {"providers": {"a.example": {"remove_servers": [{"port": 1}]}}},
        {"providers": {"a.example": {"add_domains": ["Not A Domain"]}}},
    ]
    for seed in bad_seeds:
        with pytest.raises(importer.ImportError_):
            importer.build_table(config, seed, None)


# --- the importer --------------------------------------------------------------------


@needs_ispdb
def test_importer_is_deterministic_and_table_is_current(
    importer: ModuleType, tmp_path: Path
) -> None:
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    assert importer.main(["--ispdb", str(ISPDB), "--out", str(first), "-q"]) == 0
    assert importer.main(["--ispdb", str(ISPDB), "--out", str(second), "-q"]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == TABLE.read_bytes(), "providers.json is stale: re-run the importer"
    assert importer.main(["--ispdb", str(ISPDB), "--out", str(TABLE), "--check", "-q"]) == 0
    first.write_text("{}\n")
    assert importer.main(["--ispdb", str(ISPDB), "--out", str(first), "--check", "-q"]) == 1


def test_importer_without_snapshot_fails_cleanly(importer: ModuleType, tmp_path: Path) -> None:
    assert importer.main(["--ispdb", str(tmp_path / "missing"), "--out", str(tmp_path / "x")]) == 2


def test_seed_file_documents_its_fixes(table: dict) -> None:
    seed = json.loads(SEED.read_text("utf-8"))
    ids = {p["id"] for p in table["providers"]}
    for pid, entry in seed["providers"].items():
        assert pid in ids, pid
        for fix in entry.get("fixes", []):
            assert fix.keys() == {"what", "why"} and fix["what"] and fix["why"], pid
        if set(entry) - {"mx_patterns"}:  # anything beyond MX patterns needs a reason
            assert entry.get("fixes"), f"seed entry {pid} changes facts without a reason"


# --- the seed facts ------------------------------------------------------------------

MAILRU = {
    "incoming": [
        ("imap", "imap.mail.ru", 993, "ssl"),
        ("imap", "imap.mail.ru", 143, "starttls"),
        ("pop3", "pop.mail.ru", 995, "ssl"),
        ("pop3", "pop.mail.ru", 110, "starttls"),
    ],
    "outgoing": [
        ("smtp", "smtp.mail.ru", 465, "ssl"),
        ("smtp", "smtp.mail.ru", 587, "starttls"),
        ("smtp", "smtp.mail.ru", 2525, "starttls"),
    ],
}
YANDEX = {
    "incoming": [
        ("imap", "imap.yandex.ru", 993, "ssl"),
        ("imap", "imap.yandex.ru", 143, "starttls"),
        ("pop3", "pop.yandex.ru", 995, "ssl"),
    ],
    "outgoing": [
        ("smtp", "smtp.yandex.ru", 465, "ssl"),
        ("smtp", "smtp.yandex.ru", 587, "starttls"),
    ],
}
RAMBLER = {
    "incoming": [("imap", "imap.rambler.ru", 993, "ssl"), ("pop3", "pop.rambler.ru", 995, "ssl")],
    "outgoing": [
        ("smtp", "smtp.rambler.ru", 465, "ssl"),
        ("smtp", "smtp.rambler.ru", 587, "starttls"),
    ],
}
GMAIL = {
    "incoming": [("imap", "imap.gmail.com", 993, "ssl"), ("pop3", "pop.gmail.com", 995, "ssl")],
    "outgoing": [
        ("smtp", "smtp.gmail.com", 465, "ssl"),
        ("smtp", "smtp.gmail.com", 587, "starttls"),
    ],
}
META = {
    "incoming": [("pop3", "pop3.meta.ua", 995, "ssl")],
    "outgoing": [("smtp", "smtp.meta.ua", 465, "ssl"), ("smtp", "smtp.meta.ua", 587, "starttls")],
}
BIGMIR = {
    "incoming": [
        ("imap", "imap.googlemail.com", 993, "ssl"),
        ("pop3", "pop.googlemail.com", 995, "ssl"),
    ],
    "outgoing": [
        ("smtp", "smtp.googlemail.com", 465, "ssl"),
        ("smtp", "smtp.googlemail.com", 587, "starttls"),
    ],
}
UKRNET = {
    "incoming": [("imap", "imap.ukr.net", 993, "ssl")],
    "outgoing": [("smtp", "smtp.ukr.net", 465, "ssl")],
}

SEEDED = {
    **dict.fromkeys(["mail.ru", "inbox.ru", "bk.ru", "list.ru"], ("mail.ru", MAILRU)),
    **dict.fromkeys(
        ["yandex.ru", "ya.ru", "narod.ru", "yandex.by", "yandex.com", "yandex.kz", "yandex.ua"],
        ("yandex.ru", YANDEX),
    ),
    **dict.fromkeys(
        ["rambler.ru", "ro.ru", "lenta.ru", "myrambler.ru", "autorambler.ru"],
        ("rambler.ru", RAMBLER),
    ),
    **dict.fromkeys(["gmail.com", "googlemail.com"], ("googlemail.com", GMAIL)),
    "meta.ua": ("meta.ua", META),
    "bigmir.net": ("bigmir.net", BIGMIR),
    "ukr.net": ("ukr.net", UKRNET),
}


@pytest.mark.parametrize("domain", sorted(SEEDED))
def test_seed_provider_servers(domain: str) -> None:
    expected_id, expected = SEEDED[domain]
    provider = providers.by_domain(domain)
    assert provider is not None and provider.id == expected_id
    assert servers(provider, "incoming") == expected["incoming"]
    assert servers(provider, "outgoing") == expected["outgoing"]
    for s in provider.incoming + provider.outgoing:
        assert s.username == "%EMAILADDRESS%"
        assert "password-cleartext" in s.auth


def test_yahoo() -> None:
    yahoo = providers.by_domain("yahoo.com")
    assert yahoo is not None
    assert servers(yahoo, "incoming")[0] == ("imap", "imap.mail.yahoo.com", 993, "ssl")
    assert ("pop3", "pop.mail.yahoo.com", 995, "ssl") in servers(yahoo, "incoming")
    assert servers(yahoo, "outgoing")[0] == ("smtp", "smtp.mail.yahoo.com", 465, "ssl")
    assert "*.yahoodns.net" in yahoo.mx_patterns


NOTES = {
    "mail.ru": ({"app-password", "alt-port-2525", "sending-limits"}, Limits(30, 30, None)),
    "yandex.ru": ({"enable-imap", "app-password", "sending-limits"}, Limits(30, None, None)),
    "rambler.ru": (
        {"enable-imap", "from-must-match-login", "sending-limits"},
        Limits(20, None, None),
    ),
    "gmail.com": (
        {"enable-imap", "app-password", "sending-limits", "blocked-attachments"},
        Limits(25, 100, 500),
    ),
}


@pytest.mark.parametrize("domain", sorted(NOTES))
def test_seed_notes_and_limits(domain: str) -> None:
    codes, limits = NOTES[domain]
    provider = providers.by_domain(domain)
    assert provider is not None
    assert {n.code for n in provider.notes} == codes
    assert provider.limits == limits
    for note in provider.notes:
        assert set(note.text) == {"en", "ru"}
        assert note.text["en"].strip() and not CYRILLIC.search(note.text["en"])
        assert CYRILLIC.search(note.text["ru"])
        assert note.url is None or note.url.startswith("https://")


def test_note_urls_and_specific_facts() -> None:
    def note(domain: str, code: str) -> providers.ProviderNote:
        provider = providers.by_domain(domain)
        assert provider is not None
        return next(n for n in provider.notes if n.code == code)

    assert note("yandex.ru", "enable-imap").url == "https://mail.yandex.ru/#setup/client"
    assert note("yandex.ru", "app-password").url == "https://id.yandex.ru/security/app-passwords"
    assert note("gmail.com", "app-password").url == "https://myaccount.google.com/apppasswords"
    assert (
        note("gmail.com", "enable-imap").url == "https://mail.google.com/mail/#settings/fwdandpop"
    )
    blocked = note("gmail.com", "blocked-attachments")
    extensions = "ade adp bat chm cmd com cpl exe hta ins isp jse lib mde msc msp mst pif scr"
    for ext in [
        *extensions.split(),
        "sct",
        "shb",
        "sys",
        "vb",
        "vbe",
        "vbs",
        "vxd",
        "wsc",
        "wsf",
        "wsh",
    ]:
        assert f".{ext} " in blocked.text["en"] + " " and f".{ext} " in blocked.text["ru"] + " "
    assert "2525" in note("mail.ru", "alt-port-2525").text["en"]
    assert note("bigmir.net", "uncertain-settings").text["ru"]
    assert note("ukr.net", "app-password").text["ru"]


def test_localized_notes() -> None:
    gmail = providers.by_domain("gmail.com")
    assert gmail is not None
    en = gmail.localized_notes("en")
    ru = gmail.localized_notes("ru")
    assert [n.code for n in en] == [n.code for n in ru]
    assert CYRILLIC.search(ru[0].text) and not CYRILLIC.search(en[0].text)
    yahoo = providers.by_domain("hotmail.com")
    assert yahoo is not None and yahoo.localized_notes("ru") == ()
    assert providers.by_domain("gmx.net").localized_notes("ru")[0].text  # falls back to en


# --- quality rules for every provider ------------------------------------------------


def test_servers_best_first_everywhere() -> None:
    for provider in providers.all_providers():
        assert provider.incoming == order_servers(provider.incoming), provider.id
        assert provider.outgoing == order_servers(provider.outgoing), provider.id
        for direction in (provider.incoming, provider.outgoing):
            encrypted = [s for s in direction if s.security != "plain"]
            # the encrypted servers keep the model's order, plain text comes last
            assert direction[: len(encrypted)] == order_servers(encrypted), provider.id
        assert all(s.incoming for s in provider.incoming), provider.id
        assert all(s.protocol == "smtp" for s in provider.outgoing), provider.id


def test_best_first_puts_plain_text_last() -> None:
    imap_plain = Server("imap", "imap.example.com", 143, "plain")
    pop_ssl = Server("pop3", "pop.example.com", 995, "ssl")
    imap_tls = Server("imap", "imap.example.com", 143, "starttls")
    imap_ssl = Server("imap", "imap.example.com", 993, "ssl")
    assert order_servers([imap_plain, pop_ssl, imap_tls, imap_ssl]) == (
        imap_ssl,
        imap_tls,
        pop_ssl,
        imap_plain,
    )
    peoplepc = providers.by_domain("peoplepc.com")
    assert peoplepc is not None
    assert [s.security for s in peoplepc.incoming] == ["ssl", "ssl", "plain", "plain"]


def test_no_plain_only_direction_where_the_provider_has_tls() -> None:
    """Where a provider offers TLS at all, no direction may offer plain text only."""
    for provider in providers.all_providers():
        everything = provider.incoming + provider.outgoing
        if all(s.security == "plain" for s in everything):
            continue  # a provider without any TLS (old Japanese ISPs); nothing better known
        for direction in (provider.incoming, provider.outgoing):
            if direction:
                assert any(s.security != "plain" for s in direction), provider.id
        for s in everything:
            if s.security == "plain":  # plain only after a TLS server of the same protocol
                assert any(
                    t.protocol == s.protocol and t.security != "plain" for t in everything
                ), (provider.id, s)


def test_fixed_ispdb_flaws() -> None:
    peoplepc = providers.by_domain("peoplepc.com")
    assert peoplepc is not None and peoplepc.incoming[0].security == "ssl"
    nifty = providers.by_domain("nifty.com")
    assert nifty is not None and nifty.incoming[0].security == "ssl"
    assert nifty.outgoing[0].security == "ssl"
    pdx = providers.by_domain("pdx.edu")
    assert pdx is not None and all(s.port != 587 for s in pdx.incoming)
    assert providers.by_domain("fastmail.com") is providers.by_domain("messagingengine.com")


# --- MX --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("aspmx.l.google.com", "googlemail.com"),
        ("ASPMX.L.GOOGLE.COM.", "googlemail.com"),
        ("alt1.aspmx.l.google.com", "googlemail.com"),
        ("gmail-smtp-in.l.google.com", "googlemail.com"),
        ("alt2.gmail-smtp-in.l.googlemail.com", "googlemail.com"),
        ("mx.yandex.net", "yandex.ru"),
        ("mx.yandex.ru", "yandex.ru"),
        ("mx2.yandex.net", "yandex.ru"),
        ("mxs.mail.ru", "mail.ru"),
        ("emx.mail.ru", "mail.ru"),
        ("mx.rambler.ru", "rambler.ru"),
        ("contoso-com.mail.protection.outlook.com", "office365.com"),
        ("hotmail-com.olc.protection.outlook.com", "hotmail.com"),
        ("mta5.am0.yahoodns.net", "yahoo.com"),
        ("mx.zoho.com", "zoho.com"),
        ("mx2.zoho.eu", "zoho.eu"),
        ("mx.zoho.com.au", "zoho.com.au"),
        ("mx00.emig.gmx.net", "gmx.net"),
        ("mx-ha03.web.de", "web.de"),
        ("in1-smtp.messagingengine.com", "messagingengine.com"),
        ("mx01.mail.icloud.com", "me.com"),
        ("mx1.mail.ovh.net", "ovh.net"),
        ("smtpin.rzone.de", "strato.de"),
        ("mx00.kundenserver.de", "1und1.de"),
        ("mx01.posteo.de", "posteo.de"),
        ("mx.your-server.de", "hetzner.de"),
        # no pattern: the host's parent domains, down to the registrable one
        ("mx1.free.fr", "free.fr"),
        ("mail.cty-net.ne.jp", "cty-net.ne.jp"),
        ("relay.mail.am0.yahoodns.net", "yahoo.com"),
    ],
)
def test_by_mx_host(host: str, expected: str) -> None:
    found = providers.by_mx_host(host)
    assert found is not None, host
    assert found.id == expected


@pytest.mark.parametrize(
    "host",
    [
        "mx.example.org",
        "",
        "com",
        "localhost",
        "mx.co.uk",
        "google.com.evil.example",
        "xgoogle.com",
        "mail.protection.outlook.com.evil.example",
        "..",
        "mx..mail.ru",
    ],
)
def test_by_mx_host_unknown(host: str) -> None:
    assert providers.by_mx_host(host) is None


def test_wildcard_does_not_match_the_bare_domain() -> None:
    # "*.mail.protection.outlook.com" covers customer hosts, not the bare name, which is
    # (as an ISPDB domain of office365.com) found through the parent-domain fallback instead.
    found = providers.by_mx_host("mail.protection.outlook.com")
    assert found is None or found.id in ("office365.com", "hotmail.com")
