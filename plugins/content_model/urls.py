"""Web addresses read the way browsers read them.

Staff paste addresses into member files and articles. What matters is where a
browser goes when a reader follows the link, and browsers follow the WHATWG
URL standard, which is more forgiving than it looks: it drops tabs and line
breaks anywhere in an address, drops spaces and control characters at its
ends, reads ``\\`` as ``/`` and treats everything before an ``@`` as a user
name. So an address is parsed here with `ada-url` (a WHATWG parser, the one
Node.js uses), and what the site shows as the link's text (:func:`shown_host`)
is computed by that same parser, so the text always names the host the link
really goes to.

Three checks, each returning a plain-English problem (what is wrong and what
to write instead) or ``None``; none of them raises on any input:

- :func:`web_address_problem` for fields that must be a public web address
  (member websites, social profiles, notable works). Refused:

  * anything but ``http://`` or ``https://``, and ``https:example.dk`` without
    the two slashes (browsers accept it, other programs reading our
    ``members.json`` may not);
  * spaces, tabs, line breaks and other invisible characters anywhere (the
    standard drops some of them silently; a hidden one is usually a paste
    accident, and a right-to-left mark can disguise an address);
  * a backslash anywhere (browsers read it as ``/``: ``https://a.example\\@b.dk``
    goes to ``a.example``);
  * a user name or password (``https://a.example@b.dk/`` goes to ``b.dk``:
    the part before ``@`` is a user name sent to that other host);
  * no host, or a host without a dot (``localhost``, ``intranet``): not an
    address the public can reach;
  * an IP address (``http://192.0.2.7/``, also written as ``0xC0.0.2.7`` or
    ``[2001:db8::1]``): a member's site has a name, a bare number hides where
    the link goes and usually means a test server.

  Non-ASCII host names (``https://blåbær.dk/``) are fine: browsers convert them
  to their ASCII form (``xn--blbr-roah.dk``) and so does the parser.

- :func:`link_href_problem` for links inside Markdown bodies: relative links
  (``/news/x/``, ``{filename}/news/x.md``, ``#section``) and ``http:``,
  ``https:``, ``mailto:`` and ``tel:`` links; an ``http(s)`` link must also
  pass :func:`web_address_problem`. A relative link may not contain a
  backslash, nor start with two slashes (``//evil.example/``, also disguised
  as ``/<tab>/evil.example``): browsers take that to another site.
  ``javascript:``, ``vbscript:`` and ``data:`` are refused with their
  reason, any other scheme as not a web address, however it is disguised
  (``JaVa&#x09;script:``, a leading space or control character, a tab inside
  the scheme): the scheme is read after the standard's own clean-up.

- :func:`source_problem` for addresses of embedded files (``<img src>``) and
  quotation sources (``cite``): as links, but without ``mailto:``/``tel:``.
"""

from __future__ import annotations

import re
import unicodedata

import ada_url

# The scheme of a URL is read only after the WHATWG parser's own clean-up:
# leading and trailing C0 controls and spaces are dropped, tabs and line
# breaks are dropped everywhere.
_STRIP_ENDS = "".join(chr(c) for c in range(0x21))
_TAB_NEWLINE = {ord("\t"): None, ord("\n"): None, ord("\r"): None}
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789+-.")

WEB_SCHEMES = ("http", "https")
LINK_SCHEMES = ("http", "https", "mailto", "tel")

_WRITE_WEB = (
    "write the full address starting with https://, such as https://www.example.dk/"
)
_WRITE_LINK = (
    "link to a web page (https://...), an email address (mailto:...), a phone "
    "number (tel:...) or a page of this site (such as /news/ or "
    "{filename}/news/a-post.md)"
)
_WRITE_SOURCE = (
    "use a file of this site (such as /images/news/photo.jpg) or an https:// address"
)


def quoted(value: str) -> str:
    """``value`` in quotes for a message, as staff wrote it (so it can be
    found in their text): invisible characters shown as escapes, a backslash
    as one backslash."""
    shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in value)
    return f"'{shown}'"


def browser_scheme(value: str) -> str | None:
    """The scheme a browser reads from a link, lowercased, or None if relative.

    This is the WHATWG "scheme start" and "scheme" states after the input
    clean-up, without a base URL: ``' JaVa\\tScript:x'`` is ``'javascript'``,
    ``'/a:b'``, ``'{filename}/x.md'`` and ``'#top'`` are relative (None).
    """
    cleaned = value.strip(_STRIP_ENDS).translate(_TAB_NEWLINE)
    colon = cleaned.find(":")
    if colon < 1 or not cleaned[0].isascii() or not cleaned[0].isalpha():
        return None
    scheme = cleaned[:colon]
    if not scheme.isascii():
        return None
    scheme = scheme.lower()
    return scheme if set(scheme) <= _SCHEME_CHARS else None


def _invisible(value: str) -> str | None:
    """A name for the first whitespace or invisible character, or None."""
    for char in value:
        if char == " ":
            return "a space"
        if char == "\t":
            return "a tab"
        if char in "\r\n":
            return "a line break"
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            return f"an invisible character (U+{ord(char):04X})"
    return None


_PARTS = ("hostname", "username", "password", "host_type")


def _parse(value: str) -> dict | None:
    try:
        return ada_url.parse_url(value, attributes=_PARTS)
    except (ValueError, TypeError):
        return None


Problem = tuple[str, str]  # (what is wrong, what to write instead)


def web_address_problem(value: str) -> str | None:
    """What keeps ``value`` from being a public http(s) address, or None."""
    return _joined(web_address_parts(value))


def web_address_parts(value: str) -> Problem | None:
    """:func:`web_address_problem` as (what is wrong, what to do), or None."""
    if not isinstance(value, str) or not value:
        return "the address is empty", _WRITE_WEB
    invisible = _invisible(value)
    if invisible:
        return (
            f"{quoted(value)} contains {invisible}",
            "write the address without spaces or hidden characters (copy it "
            "again from the browser's address bar)",
        )
    scheme = browser_scheme(value)
    if scheme is None:
        return f"{quoted(value)} is not a full web address", _WRITE_WEB
    if scheme not in WEB_SCHEMES:
        return (
            f"{quoted(value)} is not a web address (it starts with '{scheme}:')",
            _WRITE_WEB,
        )
    parts = _parse(value)
    if parts is None:
        return f"{quoted(value)} is not a valid web address", _WRITE_WEB
    host = parts["hostname"]
    if "\\" in value:
        return (
            f"{quoted(value)} contains a backslash (\\), which browsers read as /, so "
            f"this link goes to {quoted(host)}",
            "write the address with / only",
        )
    if not value[len(scheme) + 1 :].startswith("//"):
        return (
            f"{quoted(value)} lacks the two slashes after '{scheme}:' (browsers guess "
            "what is meant, other programs may not)",
            f"write {scheme}://{host}/...",
        )
    if parts["username"] or parts["password"] or "@" in _authority(value, scheme):
        return (
            f"{quoted(value)} goes to {quoted(host)}: the part before @ is a user "
            f"name that browsers would send to {quoted(host)}",
            f"write only the address of the site, such as {scheme}://{host}/",
        )
    if parts["host_type"] != ada_url.HostType.DEFAULT:
        return (
            f"{quoted(value)} is an IP address, not a site's name",
            "write the address with the site's name, such as https://www.example.dk/",
        )
    if "." not in host.strip("."):
        return (
            f"{quoted(value)} has no public host name (such as example.dk), so readers "
            "cannot reach it",
            _WRITE_WEB,
        )
    return None


def _joined(problem: Problem | None) -> str | None:
    return None if problem is None else f"{problem[0]}: {problem[1]}"


def _authority(value: str, scheme: str) -> str:
    """The text between '//' and the first '/', '?' or '#' (for '@' only)."""
    rest = value[len(scheme) + 3 :]
    for end in "/?#":
        rest = rest.split(end, 1)[0]
    return rest


def shown_host(value: str) -> str:
    """The host a browser visits for ``value``, as the site shows it.

    Computed by the same parser that decides where the link goes, so the text
    shown and the destination cannot differ. A leading ``www.`` is dropped;
    an internationalised name is shown in its own letters when every letter
    of it is ASCII or a Latin-1 letter (``blåbær.dk``, ``café.fr``), else in
    the ASCII form browsers visit (``xn--...``), so that look-alike letters
    (a Cyrillic а, a dotless ı, a Latin ɡ) cannot pose as a familiar name.
    Raises ``ValueError`` for a value that :func:`web_address_problem`
    refuses: check first.
    """
    problem = web_address_problem(value)
    if problem:
        raise ValueError(problem)
    host = _parse(value)["hostname"].rstrip(".")
    labels = [_shown_label(label) for label in host.split(".")]
    if len(labels) > 2 and labels[0] == "www":
        labels = labels[1:]
    return ".".join(labels)


def _shown_label(label: str) -> str:
    if not label.startswith("xn--"):
        return label
    try:
        shown = ada_url.idna_to_unicode(label)
        back = ada_url.idna_to_ascii(shown) if shown else b""
    except (ValueError, UnicodeError):
        return label
    if isinstance(back, bytes):
        back = back.decode("ascii", "replace")
    if back != label:
        return label
    for char in shown:  # the letters of Danish and its neighbours only
        if not char.isascii() and not ("\u00c0" <= char <= "\u00ff" and char.isalpha()):
            return label
    return shown


# A link Pelican turns into the address of a file of the site. Pelican
# matches any attribute value starting with {...} or |...|, un-escapes it
# and keeps the rest, so only plain paths to content files pass: no
# character references, quotes, query strings or other kinds ({index},
# {tag}...), whose rewriting could smuggle markup or a scheme into the page.
SITE_LINK = re.compile(
    r"[{|](?:filename|static|attach)[}|]/?"
    # Segments between single '/', none starting with '.' (no '..'); one
    # way only to read a path, so a near miss fails at once (a nested
    # repeat, "(?:segment/?)+", took hours on "{filename}/aaaa...a!")
    r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?"
    r"(?:#[A-Za-z0-9._~-]*)?"
)


def link_href_problem(href: str) -> str | None:
    """What keeps ``href`` (a link in a Markdown body) from being safe, or None."""
    return _joined(link_parts(href, "href"))


def source_problem(value: str) -> str | None:
    """What keeps ``value`` (an ``src`` or ``cite``) from being safe, or None."""
    return _joined(link_parts(value, "src"))


def link_parts(value: str, kind: str = "href") -> Problem | None:
    """A link's problem as (what is wrong, what to do), or None.

    ``kind`` is ``"href"`` (a link: also mailto: and tel:) or ``"src"`` (a
    file shown in the page, or a quotation's source: web addresses only).
    """
    allowed, write = (
        (LINK_SCHEMES, _WRITE_LINK) if kind == "href" else (WEB_SCHEMES, _WRITE_SOURCE)
    )
    if not isinstance(value, str):
        return f"{value!r} is not a link", write
    if value.startswith(("{", "|")):  # Pelican rewrites these: see SITE_LINK
        if SITE_LINK.fullmatch(value):
            return None
        return (
            f"the link {quoted(value)} is not a plain link to a file of the site",
            "write {filename}/ or {static}/ and the file's path under content/, "
            "with letters, digits and - _ . / only, such as "
            "{filename}/news/a-post.md (rename a file with other characters)",
        )
    scheme = browser_scheme(value)
    if scheme is None:
        return _relative_parts(value, write)
    raw = value.split(":", 1)[0] + ":"
    hidden = raw.lower() != scheme + ":"  # spaces, tabs, controls: not case
    disguise = f" (browsers read {quoted(raw)} as '{scheme}:')" if hidden else ""
    if scheme in ("javascript", "vbscript"):
        return (
            f"the link {quoted(value)} would run a script in the reader's "
            f"browser{disguise}",
            write,
        )
    if scheme == "data":
        return (
            f"the link {quoted(value)} is a data: address, a file hidden inside the "
            f"page{disguise}",
            f"put the file in content/images/ and link to it, or {write}",
        )
    if scheme not in allowed:
        return f"the link {quoted(value)} starts with '{scheme}:'{disguise}", write
    if scheme in WEB_SCHEMES:
        return web_address_parts(value)
    return None


def _relative_parts(value: str, write: str) -> Problem | None:
    """A relative link: fine unless a browser would take it to another host.

    Per the WHATWG "relative" states, a link without a scheme keeps our host
    unless it starts, after the clean-up, with two slashes (``/`` or ``\\``).
    """
    if "\\" in value:
        return (
            f"the link {quoted(value)} contains a backslash (\\), which browsers "
            "read as /",
            "write / instead",
        )
    cleaned = value.strip(_STRIP_ENDS).translate(_TAB_NEWLINE)
    if not cleaned.startswith("//"):
        return None
    parts = _parse("https:" + cleaned)
    host = parts["hostname"] if parts else ""
    return (
        f"the link {quoted(value)} goes to another site"
        + (f", {quoted(host)}" if host else ""),
        "write that site's full address, starting with https://",
    )
