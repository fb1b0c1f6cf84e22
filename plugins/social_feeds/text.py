"""Text and HTML made safe for feeds.

Feeds are XML: a control character that slipped into a title would make the
whole file unreadable to every subscriber, so every text is cleaned here
before it reaches feedgen. Item content is HTML whose links must work outside
the site (in a feed reader, in a journalist's mail), so they are made
absolute.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

# Characters XML 1.0 forbids, and the C1 controls it discourages.
_NOT_XML = re.compile(
    "[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_SPACES = re.compile(r"\s+")
ELLIPSIS = "\u2026"


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot carry."""
    return _NOT_XML.sub("", text)


def one_line(text: str) -> str:
    """Plain text on one line: XML-safe, runs of whitespace made one space."""
    return _SPACES.sub(" ", xml_safe(text)).strip()


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with
    an ellipsis when anything was cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-\u2013\u2014") + ELLIPSIS


def _absolute_srcset(value: str, base: str) -> str:
    candidates = []
    for candidate in value.split(","):
        parts = candidate.strip().split(None, 1)
        if parts:
            parts[0] = urljoin(base, parts[0])
            candidates.append(" ".join(parts))
    return ", ".join(candidates)


def absolute_html(fragment: str, base: str, lead: etree._Element | None = None) -> str:
    """The HTML ``fragment`` with every link and image address absolute
    (resolved against ``base``, the item's permalink), optionally preceded
    by the element ``lead``."""
    fragment = xml_safe(fragment)
    root = lxml_html.fragment_fromstring(fragment or "", create_parent="div")
    if lead is not None:
        lead.tail = root.text
        root.text = None
        root.insert(0, lead)
    root.make_links_absolute(base, resolve_base_href=False, handle_failures="ignore")
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("srcset"):
            element.set("srcset", _absolute_srcset(element.get("srcset"), base))
    inner = [root.text or ""] + [
        lxml_html.tostring(child, encoding="unicode") for child in root
    ]
    return "".join(inner).strip()


def figure(src: str, alt: str, width: int, height: int) -> etree._Element:
    """<figure><img ...></figure>, escaped by lxml whatever the alt text."""
    element = lxml_html.Element("figure")
    etree.SubElement(
        element,
        "img",
        src=src,
        alt=one_line(alt),
        width=str(width),
        height=str(height),
    )
    return element
