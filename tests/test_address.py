"""Address parsing: good addresses normalized, each kind of mistake named."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.address import MAX_ADDRESS, MAX_LOCAL, AddressError, parse_address
from wizard.i18n import set_language

GOOD = [
    # (typed, local, unicode domain, ascii domain)
    ("alice@yandex.ru", "alice", "yandex.ru", "yandex.ru"),
    ("Alice@Yandex.RU", "Alice", "yandex.ru", "yandex.ru"),
    ("  bob@gmail.com  ", "bob", "gmail.com", "gmail.com"),
    ("\tbob@gmail.com", "bob", "gmail.com", "gmail.com"),
    ("first.last@mail.ru", "first.last", "mail.ru", "mail.ru"),
    ("login+tag@yandex.ru", "login+tag", "yandex.ru", "yandex.ru"),
    ("o'brien@example.ie", "o'brien", "example.ie", "example.ie"),
    ("x@sub.domain.example.co.uk", "x", "sub.domain.example.co.uk", "sub.domain.example.co.uk"),
    ("user@example.com.", "user", "example.com", "example.com"),
    ("ivan@почта.рф", "ivan", "почта.рф", "xn--80a1acny.xn--p1ai"),
    ("ivan@ПОЧТА.РФ", "ivan", "почта.рф", "xn--80a1acny.xn--p1ai"),
    ("ivan@xn--80a1acny.xn--p1ai", "ivan", "почта.рф", "xn--80a1acny.xn--p1ai"),
    ("иван@почта.рф", "иван", "почта.рф", "xn--80a1acny.xn--p1ai"),
    ("Иван.Петров@пример.испытание", "Иван.Петров", "пример.испытание",
     "xn--e1afmkfd.xn--80akhbyknj4f"),
    ("δοκιμή@παράδειγμα.δοκιμή", "δοκιμή", "παράδειγμα.δοκιμή", "xn--hxajbheg2az3al.xn--jxalpdlp"),
    ("用户@例子.广告", "用户", "例子.广告", "xn--fsqu00a.xn--4rr70v"),
    ("müller@bücher.de", "müller", "bücher.de", "xn--bcher-kva.de"),
    ("a@Ｅｘａｍｐｌｅ.com", "a", "example.com", "example.com"),
    ('"john doe"@example.com', '"john doe"', "example.com", "example.com"),
    ('"a@b"@example.com', '"a@b"', "example.com", "example.com"),
    ('"quote\\"d"@example.com', '"quote\\"d"', "example.com", "example.com"),
    ("1234567890@example.com", "1234567890", "example.com", "example.com"),
    ("_under_score@example.com", "_under_score", "example.com", "example.com"),
    ("a-b@my-domain.example", "a-b", "my-domain.example", "my-domain.example"),
    ("a@123.example", "a", "123.example", "123.example"),
    ("x@a.b.c.d.e.f.example", "x", "a.b.c.d.e.f.example", "a.b.c.d.e.f.example"),
    ("user@bigmir.net", "user", "bigmir.net", "bigmir.net"),
    ("{weird}|chars~!#$%&*=?^`@example.org", "{weird}|chars~!#$%&*=?^`", "example.org",
     "example.org"),
    ("a@" + "b" * 63 + ".com", "a", "b" * 63 + ".com", "b" * 63 + ".com"),
    ("l" * MAX_LOCAL + "@example.com", "l" * MAX_LOCAL, "example.com", "example.com"),
]
GOOD += [(f"{c}@example.com", c, "example.com", "example.com") for c in "!#$%&'*+-/=?^_`{|}~"]
GOOD += [(f"user@{tld}", "user", tld, tld) for tld in (
    "mail.ru", "inbox.ru", "bk.ru", "list.ru", "ya.ru", "narod.ru", "yandex.by", "yandex.com",
    "yandex.kz", "yandex.ua", "rambler.ru", "ro.ru", "lenta.ru", "myrambler.ru",
    "autorambler.ru", "gmail.com", "googlemail.com", "meta.ua", "ukr.net", "yahoo.com")]


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


@pytest.mark.parametrize(("typed", "local", "domain", "ascii_domain"), GOOD)
def test_good_addresses_are_normalized(typed, local, domain, ascii_domain):
    address = parse_address(typed)
    assert (address.local, address.domain, address.domain_ascii) == (local, domain, ascii_domain)
    assert address.email == f"{local}@{domain}"
    assert address.email_ascii == f"{local}@{ascii_domain}"
    assert parse_address(address.email) == address  # normalizing twice changes nothing


BAD = [
    # (typed, code)
    ("", "empty"),
    ("   ", "empty"),
    ("alice", "no-at"),
    ("alice.example.com", "no-at"),
    ("@example.com", "empty-local"),
    ("alice@", "empty-domain"),
    ("@", "empty-local"),
    ("a@@example.com", "several-at"),
    ("a@b@example.com", "several-at"),
    ("alice@example.com@evil.com", "several-at"),
    ("a b@example.com", "space"),
    ("alice@exa mple.com", "space"),
    ("alice\u00a0x@example.com", "space"),
    ("alice@example.com\r\nRCPT TO:<x@evil.com>", "line-break"),
    ("alice@example.com\nBcc: victim@example.org", "line-break"),
    ("alice\r@example.com", "line-break"),
    ("ali\x00ce@example.com", "control-character"),
    ("alice@exa\x07mple.com", "control-character"),
    ("alice\x1b[31m@example.com", "control-character"),
    ("alice\u200b@example.com", "control-character"),  # zero-width space
    ("alice\u202e@example.com", "control-character"),  # right-to-left override
    ("alice\x7f@example.com", "control-character"),
    ("alice@example.com\u2028", "control-character"),
    ("alice@example..com", "domain-dots"),
    ("alice@.example.com", "domain-dots"),
    ("alice@example.com..", "domain-dots"),
    (".alice@example.com", "local-dots"),
    ("alice.@example.com", "local-dots"),
    ("al..ice@example.com", "local-dots"),
    ("alice@localhost", "domain-no-dot"),
    ("alice@com", "domain-no-dot"),
    ("alice@[127.0.0.1]", "domain-literal"),
    ("alice@[IPv6:::1]", "domain-literal"),
    ("alice@192.168.0.1", "domain-literal"),
    ("alice@-example.com", "domain-hyphen"),
    ("alice@example-.com", "domain-hyphen"),
    ("alice@exa_mple.com", "domain-invalid-character"),
    ("alice@example.com/../../etc/passwd", "domain-invalid-character"),
    ("alice@example.com;rm -rf /", "space"),
    ("alice@example.com;ls", "domain-invalid-character"),
    ("alice@example.com'--", "domain-invalid-character"),
    ("alice@exam<script>ple.com", "domain-invalid-character"),
    ("alice@example.com%0d%0a", "domain-invalid-character"),
    ("alice@example,com", "domain-invalid-character"),
    ("alice@example.com:993", "domain-invalid-character"),
    ("alice@xn--zz.com", "domain-idna"),
    ("alice@xn--.com", "domain-hyphen"),
    ("alice@☃.com", "domain-idna"),
    ("alice@" + "b" * 64 + ".com", "domain-too-long"),
    ("alice@" + "я" * 60 + ".com", "domain-too-long"),
    ("alice@" + ".".join(["abcdefghij"] * 24) + ".com", "domain-too-long"),
    ("l" * (MAX_LOCAL + 1) + "@example.com", "local-too-long"),
    ("я" * 33 + "@example.com", "local-too-long"),  # 66 octets in UTF-8
    ("al(ice@example.com", "local-invalid-character"),
    ("al)ice@example.com", "local-invalid-character"),
    ("al,ice@example.com", "local-invalid-character"),
    ("al:ice@example.com", "local-invalid-character"),
    ("al;ice@example.com", "local-invalid-character"),
    ("al<ice@example.com", "local-invalid-character"),
    ("al>ice@example.com", "local-invalid-character"),
    ("al[ice@example.com", "local-invalid-character"),
    ("al]ice@example.com", "local-invalid-character"),
    ("al\\ice@example.com", "local-invalid-character"),
    ('al"ice@example.com', "local-invalid-character"),
    ("Alice <alice@example.com>", "space"),
    ("<alice@example.com>", "local-invalid-character"),
    ("mailto:alice@example.com", "local-invalid-character"),
    ('"unterminated@example.com', "quoted-local"),
    ('"quoted"x@example.com', "quoted-local"),
    ('"bad\x01"@example.com', "control-character"),
]
BAD += [(f"al{c}ice@example.com", "local-invalid-character") for c in '(),:;<>[]\\"']
BAD += [(f"alice@exa{c}mple.com", "domain-invalid-character")
        for c in "!#$%&'*+/=?^`{|}~_,;:<>()\\\""]


@pytest.mark.parametrize(("typed", "code"), BAD)
def test_bad_addresses_name_their_mistake(typed, code):
    with pytest.raises(AddressError) as info:
        parse_address(typed)
    assert info.value.code == code
    message = info.value.message
    assert message and "\n" not in message and message[0].isupper() and message.endswith(".")


def test_whole_address_limit():
    local = "l" * MAX_LOCAL
    domain = ".".join(["d" * 61] * 4) + ".com"  # 251 characters
    assert len(local) + 1 + len(domain) > MAX_ADDRESS
    with pytest.raises(AddressError) as info:
        parse_address(f"{local}@{domain}")
    assert info.value.code == "too-long"


def test_messages_are_translated_to_russian():
    set_language("ru")
    with pytest.raises(AddressError) as info:
        parse_address("a@@example.com")
    assert "@" in info.value.message
    assert any("а" <= ch <= "я" for ch in info.value.message.lower())
    set_language("en")
    assert info.value.message.startswith("The address has more than one")


def test_control_character_is_named_not_echoed():
    with pytest.raises(AddressError) as info:
        parse_address("alice\x1b@example.com")
    assert "\x1b" not in info.value.message
    assert "U+001B" in info.value.message


# Property-based: whatever is typed, the parser either accepts it in normalized form or
# raises AddressError; it never crashes, and what it accepts is safe to put in a protocol line.

@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_never_crashes(text):
    try:
        address = parse_address(text)
    except AddressError as exc:
        assert exc.code and exc.message
        return
    for part in (address.email, address.email_ascii):
        assert "\r" not in part and "\n" not in part and "\0" not in part
    assert address.domain_ascii.isascii()
    assert address.domain_ascii == address.domain_ascii.lower()


_atext = st.sampled_from(string.ascii_letters + string.digits + "!#$%&'*+-/=^_`{|}~")
_label = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=20)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet=_atext, min_size=1, max_size=10), min_size=1, max_size=3),
    st.lists(_label, min_size=1, max_size=3),
    st.sampled_from(["com", "ru", "net", "org", "xn--p1ai"]),
)
def test_generated_valid_addresses_round_trip(locals_, labels, tld):
    local = ".".join(locals_)
    domain = ".".join([*labels, tld])
    address = parse_address(f"{local}@{domain.upper()}")
    assert address.local == local
    assert address.domain_ascii == domain
    assert parse_address(address.email_ascii) == address


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_atext, min_size=1, max_size=10), st.sampled_from("\r\n\0\x1b\x7f"))
def test_injected_control_characters_are_refused(local, bad):
    with pytest.raises(AddressError):
        parse_address(f"{local}{bad}@example.com")
    with pytest.raises(AddressError):
        parse_address(f"{local}@example.com{bad}")
