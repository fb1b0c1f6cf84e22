"""content_model.urls: web addresses as browsers read them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content_model.urls import (
    browser_scheme,
    link_href_problem,
    shown_host,
    source_problem,
    web_address_problem,
)

WRITE_WEB = (
    "write the full address starting with https://, such as https://www.example.dk/"
)
WRITE_LINK = (
    "link to a web page (https://...), an email address (mailto:...), a phone "
    "number (tel:...) or a page of this site (such as /news/ or "
    "{filename}/news/a-post.md)"
)
HIDDEN = (
    "write the address without spaces or hidden characters (copy it again from "
    "the browser's address bar)"
)

GOOD_ADDRESSES = [
    "https://www.fjordfox.dk/",
    "http://fjordfox.dk",
    "https://fjordfox.dk/games/lantern-tides?lang=da#trailer",
    "HTTPS://WWW.FJORDFOX.DK/",
    "https://blåbær.dk/",
    "https://www.linkedin.com/company/fjordfox-games/",
    "https://fjordfox.dk:8443/",
    "https://fjordfox.dk./",
]


@pytest.mark.parametrize("value", GOOD_ADDRESSES)
def test_a_good_web_address_has_no_problem(value):
    assert web_address_problem(value) is None
    assert link_href_problem(value) is None


# Each hostile kind: the value and the exact message.
BAD_ADDRESSES = {
    "empty": ("", f"the address is empty: {WRITE_WEB}"),
    "no scheme": (
        "www.fjordfox.dk",
        f"'www.fjordfox.dk' is not a full web address: {WRITE_WEB}",
    ),
    "other scheme": (
        "ftp://fjordfox.dk/",
        f"'ftp://fjordfox.dk/' is not a web address (it starts with 'ftp:'): "
        f"{WRITE_WEB}",
    ),
    "javascript": (
        "javascript:alert(1)",
        "'javascript:alert(1)' is not a web address (it starts with "
        f"'javascript:'): {WRITE_WEB}",
    ),
    "user name": (
        "https://a.example@b.dk/",
        "'https://a.example@b.dk/' goes to 'b.dk': the part before @ is a user "
        "name that browsers would send to 'b.dk': write only the address of the "
        "site, such as https://b.dk/",
    ),
    "user name and password": (
        "https://fjordfox.dk:secret@evil.example/",
        "'https://fjordfox.dk:secret@evil.example/' goes to 'evil.example': the "
        "part before @ is a user name that browsers would send to 'evil.example': "
        "write only the address of the site, such as https://evil.example/",
    ),
    "backslash before @": (
        "https://a.example\\@b.dk/",
        "'https://a.example\\@b.dk/' contains a backslash (\\), which browsers "
        "read as /, so this link goes to 'a.example': write the address with / only",
    ),
    "tab (dropped silently by the standard)": (
        "https://fjord\tfox.dk/",
        f"'https://fjord\\tfox.dk/' contains a tab: {HIDDEN}",
    ),
    "line break": (
        "https://fjordfox.dk/\n",
        f"'https://fjordfox.dk/\\n' contains a line break: {HIDDEN}",
    ),
    "leading space": (
        " https://fjordfox.dk/",
        f"' https://fjordfox.dk/' contains a space: {HIDDEN}",
    ),
    "control character": (
        "\x01https://fjordfox.dk/",
        f"'\\x01https://fjordfox.dk/' contains an invisible character (U+0001): "
        f"{HIDDEN}",
    ),
    "right-to-left override": (
        "https://fjordfox.dk/\u202egpj.exe",
        "'https://fjordfox.dk/\\u202egpj.exe' contains an invisible character "
        f"(U+202E): {HIDDEN}",
    ),
    "no-break space": (
        "https://fjordfox.dk/\xa0",
        f"'https://fjordfox.dk/\\xa0' contains an invisible character (U+00A0): "
        f"{HIDDEN}",
    ),
    "localhost": (
        "http://localhost:8000/",
        "'http://localhost:8000/' has no public host name (such as example.dk), "
        f"so readers cannot reach it: {WRITE_WEB}",
    ),
    "single label": (
        "https://intranet/",
        "'https://intranet/' has no public host name (such as example.dk), so "
        f"readers cannot reach it: {WRITE_WEB}",
    ),
    "IPv4": (
        "http://192.0.2.7/",
        "'http://192.0.2.7/' is an IP address, not a site's name: write the "
        "address with the site's name, such as https://www.example.dk/",
    ),
    "IPv4 in disguise": (
        "http://0xC0.0.2.7/",
        "'http://0xC0.0.2.7/' is an IP address, not a site's name: write the "
        "address with the site's name, such as https://www.example.dk/",
    ),
    "IPv6": (
        "https://[2001:db8::1]/",
        "'https://[2001:db8::1]/' is an IP address, not a site's name: write the "
        "address with the site's name, such as https://www.example.dk/",
    ),
    "no host": ("https://", f"'https://' is not a valid web address: {WRITE_WEB}"),
    "missing slashes": (
        "https:fjordfox.dk",
        "'https:fjordfox.dk' lacks the two slashes after 'https:' (browsers guess "
        "what is meant, other programs may not): write https://fjordfox.dk/...",
    ),
}


@pytest.mark.parametrize("kind", BAD_ADDRESSES)
def test_a_bad_web_address_is_refused_with_what_to_write(kind):
    value, message = BAD_ADDRESSES[kind]
    assert web_address_problem(value) == message


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("https://www.fjordfox.dk/games/", "fjordfox.dk"),
        ("https://WWW.FjordFox.DK./", "fjordfox.dk"),
        ("https://games.fjordfox.dk/", "games.fjordfox.dk"),
        ("https://www.dk/", "www.dk"),  # 'www' is the name itself here
        ("https://www.blåbær.dk/", "blåbær.dk"),
        ("https://xn--blbr-roah.dk/", "blåbær.dk"),
        # Cyrillic 'а' posing as Latin 'a': shown as the host browsers visit.
        ("https://www.p\u0430ypal.com/", "xn--pypal-4ve.com"),
        ("https://fjordfox.dk%2Eevil.example/", "fjordfox.dk.evil.example"),
    ],
)
def test_shown_host_is_the_host_a_browser_visits(value, shown):
    assert shown_host(value) == shown


def test_shown_host_refuses_an_address_with_a_problem():
    with pytest.raises(ValueError, match="the part before @ is a user name"):
        shown_host("https://fjordfox.dk@evil.example/")


GOOD_LINKS = [
    "/news/",
    "../press/",
    "#section-two",
    "#fn:1",
    "?page=2",
    "",
    "{filename}/news/spilbar-odense-march.md",
    "{static}/images/news/spilbar-odense-march.jpg",
    "|filename|/news/x.md",
    "mailto:info@interactivedenmark.dk",
    "MAILTO:info@interactivedenmark.dk?subject=Hej",
    "tel:+4512345678",
    "https://www.fjordfox.dk/",
    "java script:alert(1)",  # no scheme (space): a relative path, harmless
]


@pytest.mark.parametrize("href", GOOD_LINKS)
def test_a_good_body_link_has_no_problem(href):
    assert link_href_problem(href) is None


SCRIPT = "would run a script in the reader's browser"
BAD_LINKS = {
    "javascript": (
        "javascript:alert(1)",
        f"the link 'javascript:alert(1)' {SCRIPT}: {WRITE_LINK}",
    ),
    "mixed case": (
        "JaVaScRiPt:alert(1)",
        f"the link 'JaVaScRiPt:alert(1)' {SCRIPT}: {WRITE_LINK}",
    ),
    "tab inside the scheme": (
        "java\tscript:alert(1)",
        f"the link 'java\\tscript:alert(1)' {SCRIPT} (browsers read "
        f"'java\\tscript:' as 'javascript:'): {WRITE_LINK}",
    ),
    "newline inside the scheme": (
        "java\nscript:alert(1)",
        f"the link 'java\\nscript:alert(1)' {SCRIPT} (browsers read "
        f"'java\\nscript:' as 'javascript:'): {WRITE_LINK}",
    ),
    "leading spaces and controls": (
        " \x01\x1fjavascript:alert(1)",
        f"the link ' \\x01\\x1fjavascript:alert(1)' {SCRIPT} (browsers read "
        f"' \\x01\\x1fjavascript:' as 'javascript:'): {WRITE_LINK}",
    ),
    "vbscript": (
        "vbscript:msgbox(1)",
        f"the link 'vbscript:msgbox(1)' {SCRIPT}: {WRITE_LINK}",
    ),
    "data": (
        "data:text/html;base64,PHNjcmlwdD4=",
        "the link 'data:text/html;base64,PHNjcmlwdD4=' is a data: address, a file "
        "hidden inside the page: put the file in content/images/ and link to it, "
        f"or {WRITE_LINK}",
    ),
    "other scheme": (
        "file:///etc/passwd",
        f"the link 'file:///etc/passwd' starts with 'file:': {WRITE_LINK}",
    ),
    "windows path": (
        "C:\\Users\\x.docx",
        f"the link 'C:\\Users\\x.docx' starts with 'c:': {WRITE_LINK}",
    ),
    "protocol-relative": (
        "//evil.example/x",
        "the link '//evil.example/x' goes to another site, 'evil.example': write "
        "that site's full address, starting with https://",
    ),
    "protocol-relative in disguise": (
        "/\t/evil.example/",
        "the link '/\\t/evil.example/' goes to another site, 'evil.example': write "
        "that site's full address, starting with https://",
    ),
    "backslash": (
        "/\\evil.example/",
        "the link '/\\evil.example/' contains a backslash (\\), which browsers "
        "read as /: write / instead",
    ),
    "web address with a user name": (
        "https://interactivedenmark.dk@evil.example/",
        "'https://interactivedenmark.dk@evil.example/' goes to 'evil.example': the "
        "part before @ is a user name that browsers would send to 'evil.example': "
        "write only the address of the site, such as https://evil.example/",
    ),
}


@pytest.mark.parametrize("kind", BAD_LINKS)
def test_a_bad_body_link_is_refused_with_what_to_write(kind):
    href, message = BAD_LINKS[kind]
    assert link_href_problem(href) == message


def test_a_file_or_quotation_source_is_a_web_address_or_a_file_of_the_site():
    assert source_problem("/images/news/x.jpg") is None
    assert source_problem("https://www.fjordfox.dk/logo.png") is None
    assert source_problem("mailto:a@fjordfox.dk") == (
        "the link 'mailto:a@fjordfox.dk' starts with 'mailto:': use a file of this "
        "site (such as /images/news/photo.jpg) or an https:// address"
    )


@pytest.mark.parametrize(
    ("value", "scheme"),
    [
        ("https://x.dk", "https"),
        (" \t\nHtTpS://x.dk", "https"),
        ("j\ta\nv\ra:x", "java"),
        ("/a:b", None),
        ("{filename}/x.md", None),
        ("#top", None),
        ("1http:x", None),  # a scheme starts with a letter
        ("\u212aavascript:x", None),  # the Kelvin sign is not an ASCII letter
        ("ja\u212avascript:x", None),
    ],
)
def test_browser_scheme_follows_the_whatwg_scheme_states(value, scheme):
    assert browser_scheme(value) == scheme


# --- Properties -----------------------------------------------------------------

URLISH = st.text(
    alphabet=st.sampled_from(
        list("abcdefhjlmnoprstvx:/\\@.#?%&=+- \t\n\x00\x01\x7f") + ["é", "ı", "\u202e"]
    ),
    max_size=40,
)
PREFIXES = st.sampled_from(
    ["", "https://", "http://", "javascript:", "//", "mailto:", "data:", " "]
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=60), st.builds(str.__add__, PREFIXES, URLISH)))
def test_no_value_raises_and_answers_are_text_or_none(value):
    for check in (web_address_problem, link_href_problem, source_problem):
        answer = check(value)
        assert answer is None or (isinstance(answer, str) and answer)
    if web_address_problem(value) is None:
        host = shown_host(value)
        assert host and host.strip() == host
        # The text shown is the host a browser visits (less 'www.').
        assert link_href_problem(value) is None


@settings(max_examples=300, deadline=None)
@given(st.builds(str.__add__, PREFIXES, URLISH))
def test_an_accepted_link_never_runs_code(value):
    if link_href_problem(value) is None:
        assert browser_scheme(value) in (None, "http", "https", "mailto", "tel")
