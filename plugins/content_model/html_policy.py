"""Which HTML an article's body may contain, checked against an allowlist.

Staff write Markdown, and Markdown lets them write raw HTML too. The HTML the
body turns into (Python-Markdown with the extensions extra, toc and smarty,
output format html5) is published on our own domain, so it is checked before
it is used: :func:`check_body_html` returns every problem, in document order,
as data (never raises, never changes the text). Feeds, read where our
Content-Security-Policy does not hold, also get the body cleaned with the same
allowlist by nh3 (:func:`clean_feed_html`).

How it is checked: the body is parsed by Lexbor (``selectolax``), an HTML
parser that follows the WHATWG standard as browsers do, placed in a page's
``<body>`` as the templates place it, so it sees the elements, attributes and
decoded attribute values (``&#106;avascript:`` is ``javascript:``) a browser
would see, and each is judged against the lists below. Two things a parse
cannot show are found in the source instead, erring on the safe side (a hit
inside an attribute value is refused too): comment-like pieces (every ``<!``,
``<?`` and ``</`` not followed by a letter: parsers differ in what they keep
of the odd ones) and start tags a browser drops without a trace (``<frame>``,
``<frameset>``, ``<html>``, ``<head>``, ``<body>``). The source is otherwise
only searched to quote the offending piece (``snippet``: ``<iframe``,
``onclick=``) so the line can be found in the Markdown file.

The sanitiser agrees: nh3 gets the same allowlist (``NH3_OPTIONS``, its
attribute filter applying the same value rules), and the tests check, with
generated hostile input and html5lib as a second, independent WHATWG parser,
that whatever this check accepts, html5lib sees only allowed elements and
attributes, and nh3 leaves the same elements, attributes and text.

Allowed elements and their attributes (for the staff writing guide)
--------------------------------------------------------------------

What Markdown itself writes:

- ``p``, ``h1`` to ``h6`` (with the ``id`` the table of contents gives them),
  ``em``, ``strong``, ``code`` (``class="language-..."`` from fenced code),
  ``pre``, ``blockquote``, ``ul``, ``ol`` (``start``), ``li`` (``id``),
  ``hr``, ``br``, ``sup`` (``id``), ``sub``, ``abbr`` (``title``), ``dl``,
  ``dt``, ``dd``, ``del``, ``ins``
- ``a`` with ``href`` and ``title``; for footnotes also ``id``, ``class``
  (``footnote-ref`` or ``footnote-backref``) and ``role`` (``doc-noteref`` or
  ``doc-backlink``)
- ``img`` with ``src``, ``alt``, ``title``, ``width`` and ``height`` (whole
  numbers)
- ``table``, ``thead``, ``tbody``, ``tr``, ``th`` and ``td`` (``align``:
  left, center or right)
- ``div`` and ``span`` with ``class`` only (footnotes: ``div.footnote``; the
  ``[TOC]`` marker: ``div.toc``)

And for staff writing HTML by hand: ``figure``, ``figcaption``, ``details``
(``open``), ``summary``, ``mark``, ``small``, ``kbd``, ``samp``, ``var``,
``q`` (``cite``), ``cite`` and ``time`` (``datetime``).

Links (``href``) may be web addresses (``http``, ``https``), ``mailto:``,
``tel:``, links within the site (``/news/``, ``{filename}/news/a.md``) and
``#fragments``; images (``src``) and quotation sources (``cite``) only web
addresses and files of the site. How a browser reads an address decides:
tabs and line breaks inside the scheme, leading spaces and control characters
and character references (``&#106;avascript:``) are all seen through (see
``urls.py``).

Refused, each with what to do instead
-------------------------------------

- ``script``, ``style``, ``noscript``, ``template``: code and styling come
  from the site's own files (no inline code, the site runs under a strict
  Content-Security-Policy);
- ``iframe``, ``object``, ``embed``, ``frame``, ``frameset``, ``portal``:
  no page or player of another site inside ours; link to it;
- ``audio``, ``video``, ``source``, ``track``: a video is a linked poster
  image, never an embedded player;
- ``form``, ``input``, ``button``, ``select``, ``textarea`` and the other form
  parts: link to the form's own page;
- ``base``, ``meta``, ``link``, ``title``: the page's head is the template's;
- inline ``svg`` and ``math``: save a drawing as an image file;
- every other element not listed above (``font``, ``center``, ``b``, ``i``,
  ``u``, custom elements ...), and every attribute not listed for its element:
  event handlers (``onclick=``, ``onerror=`` ...), ``style=``, ``srcset=`` and
  ``sizes=`` (the site makes the image sizes itself), ``target``, ``data-*``;
- addresses with any other scheme (``javascript:``, ``data:``, ``vbscript:``,
  ``file:`` ...), however disguised;
- comments, of any kind. Decision: a well-formed ``<!-- note -->`` is refused
  too. Its text would be published in the page source for anyone to read
  (the usual reason staff write one is a private note), and refusing every
  comment also refuses every malformed and unusual one in the same plain way:
  ``<!-->``, ``<!--->``, ``--!>``, a comment never closed (which would hide the
  rest of the page), conditional comments (``<!--[if IE]>``), processing
  instructions (``<?php ... ?>``), ``<![CDATA[ ... ]]>`` and ``<!ELEMENT``-like
  declarations (browsers turn all of these into comments).

``<html>``, ``<head>`` and ``<body>`` written in a body are refused: they
create no element of their own, but their attributes would land on the
page's own (``<body onload=...>``), and those are reported as well.

What it does not judge: stray end tags (``</div>`` with no ``<div>``). They
create no element and no attribute, so they cannot add code; at worst they
close an element of the page early.

Speed: a 1,000-word post (the sample news posts run together: 7.3 KB of
HTML, 52 elements, 8 links) takes 0.2 to 0.4 ms to check on the development
machine, and as long to clean for a feed; ``python -m
content_model.html_policy`` (from ``plugins/``) prints the figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import nh3
from selectolax.lexbor import LexborHTMLParser, LexborNode

from . import urls

FIELD = "html"
MAX_PROBLEMS = 50  # of one body: more cost time and help nobody
MAX_ATTRIBUTES = 20  # on one element: Markdown writes at most five

# --- The allowlist -------------------------------------------------------------

_HEADING = ("id",)
ALLOWED: dict[str, tuple[str, ...]] = {
    # What Markdown writes (extensions extra, toc, smarty).
    "p": (),
    "h1": _HEADING,
    "h2": _HEADING,
    "h3": _HEADING,
    "h4": _HEADING,
    "h5": _HEADING,
    "h6": _HEADING,
    "a": ("href", "title", "id", "class", "role"),
    "img": ("src", "alt", "title", "width", "height"),
    "em": (),
    "strong": (),
    "code": ("class",),
    "pre": (),
    "blockquote": (),
    "ul": (),
    "ol": ("start",),
    "li": ("id",),
    "hr": (),
    "br": (),
    "table": (),
    "thead": (),
    "tbody": (),
    "tr": (),
    "th": ("align", "scope", "colspan", "rowspan"),
    "td": ("align", "colspan", "rowspan"),
    "caption": (),
    "sup": ("id",),
    "sub": (),
    "abbr": ("title",),
    "dl": (),
    "dt": (),
    "dd": (),
    "del": (),
    "ins": (),
    "div": ("class",),
    "span": ("class",),
    # For staff writing HTML by hand.
    "figure": (),
    "figcaption": (),
    "details": ("open",),
    "summary": (),
    "mark": (),
    "small": (),
    "kbd": (),
    "samp": (),
    "var": (),
    "q": ("cite",),
    "cite": (),
    "time": ("datetime",),
}
LINK_ATTRIBUTES = {"href": "href", "src": "src", "cite": "src"}  # -> urls kind
A_CLASSES = frozenset({"footnote-ref", "footnote-backref"})
A_ROLES = frozenset({"doc-noteref", "doc-backlink"})
ALIGNMENTS = frozenset({"left", "center", "right"})
SCOPES = frozenset({"col", "row", "colgroup", "rowgroup"})  # of a header cell
# Elements our wrapper makes; staff can only add attributes to them.
_PAGE_ELEMENTS = frozenset({"html", "head", "body"})

# --- What to say ---------------------------------------------------------------

_USE_MARKDOWN = (
    "use Markdown instead (see the writing guide for the HTML elements an "
    "article may use)"
)
_LINK_INSTEAD = (
    "link to it instead, such as [Watch the trailer](https://www.youtube.com/...)"
)
_POSTER = (
    "a video is shown as a poster image that links to it, never as a player in "
    "the page: write [![Poster: what the video shows](/images/news/poster.jpg)]"
    "(https://www.youtube.com/...)"
)
_ELEMENTS: dict[str, tuple[str, str]] = {}  # tag -> (why, what to do)


def _say(tags: str, why: str, instead: str) -> None:
    for tag in tags.split():
        _ELEMENTS[tag] = (why, instead)


_say(
    "script",
    "it would run code in the reader's browser; the site runs only its own scripts",
    "remove it; if the article needs something interactive, ask a developer",
)
_say(
    "noscript template",
    "it only serves scripts, and articles have none",
    "remove it",
)
_say(
    "style",
    "styles come from the site's stylesheet, not from articles",
    "remove it; " + _USE_MARKDOWN,
)
_say(
    "iframe object embed frame frameset portal applet",
    "it puts a page or player of another site inside ours, which can track "
    "readers and run code",
    _LINK_INSTEAD,
)
_say("audio video source track", "it embeds a media player", _POSTER)
_say(
    "form input button select option optgroup textarea label fieldset legend "
    "datalist output",
    "it is part of a form, and articles contain no forms",
    "link to the form's own page instead",
)
_say(
    "base meta link title",
    "it belongs in the page's head, which the site's templates write",
    "remove it",
)
_say(
    "svg",
    "inline SVG can contain scripts and links",
    "save the drawing as an image file in content/images/ and show it with "
    "![description](/images/...)",
)
_say(
    "math",
    "the site does not support MathML",
    "write the formula as text, or show it as an image with ![description](...)",
)
_say("b", "bold text is written in Markdown", "write **bold** (it becomes <strong>)")
_say("i", "italics are written in Markdown", "write *italic* (it becomes <em>)")
_say(
    "u s strike font center big tt blink marquee",
    "the look comes from the site's stylesheet",
    "remove it; " + _USE_MARKDOWN,
)
_say(
    "html head body",
    "the site's templates write the page around the body",
    "remove it",
)
_EXAMPLE_NUMBER = {
    "width": "640",
    "height": "360",
    "start": "1",
    "colspan": "2",
    "rowspan": "2",
}
_NOT_LISTED = "it is not one of the HTML elements an article may use"

_ATTRIBUTE_ADVICE = {
    "style": (
        "styles come from the site's stylesheet, not from articles",
        "remove it; " + _USE_MARKDOWN,
    ),
    "srcset": (
        "the site makes the sizes of every image itself",
        "remove it and give the one image file with ![description](/images/...)",
    ),
    "sizes": (
        "the site makes the sizes of every image itself",
        "remove it and give the one image file with ![description](/images/...)",
    ),
    "target": (
        "links open where the reader chooses",
        "remove it",
    ),
}


@dataclass(frozen=True)
class HtmlProblem:
    """One thing wrong with a body's HTML.

    ``snippet`` quotes the source as written (``<iframe``, ``onclick=``,
    ``<!--``), to find the line in the Markdown file; ``message`` says what is
    wrong and ``allowed`` what to write instead.
    """

    snippet: str
    field: str
    message: str
    allowed: str


# --- Finding the written form of a piece --------------------------------------

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_SPACE = " \t\n\r\f"
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")  # after _ASCII_LOWER
_TAG_END = frozenset(_SPACE + "/>")
# Start tags the tree builder drops in a body without a trace, so the parse
# cannot show them; they are found in the source instead. A hit inside an
# attribute value is refused too, which only errs on the safe side.
_DROPPED = ("frameset", "frame", "html", "head", "body")


class _Source:
    """The body as written, searched (never judged) to quote its pieces."""

    def __init__(self, html: str):
        self.text = html
        self.lower = html.translate(_ASCII_LOWER)  # same length, same offsets
        self.cursor = 0

    def _find(self, needle: str) -> int:
        at = self.lower.find(needle, self.cursor)
        return at if at >= 0 else self.lower.find(needle)

    def tag(self, name: str) -> tuple[str, int]:
        """``<name`` as written and where, moving the cursor past it."""
        at = self._find("<" + name.lower())
        if at < 0:
            return "<" + name, self.cursor
        self.cursor = at + 1
        return self.text[at : at + len(name) + 1], at

    def attribute(self, name: str, start: int) -> str:
        """``name=`` (or ``name``) as written at or after ``start``."""
        lower = self.lower
        at = lower.find(name, start)
        while at > 0 and lower[at - 1] not in _SPACE + "/\"'":
            at = lower.find(name, at + 1)
        if at < 0:
            return name + "="
        end = at + len(name)
        rest = lower[end : end + 40].lstrip(_SPACE)
        return self.text[at:end] + ("=" if rest.startswith("=") else "")

    def markups(self):
        """(``<!...`` as written, shortened; where) of every comment-like piece.

        Browsers make a comment (or ignore a declaration) of ``<!...``,
        ``<?...`` and ``</`` followed by neither a letter nor ``>``; parsers
        differ in what they keep of the odd ones, so they are found here, in
        the source. One written inside an attribute value is refused too,
        which only errs on the safe side.
        """
        lower = self.lower
        at = lower.find("<")
        while at >= 0:
            after = lower[at + 1 : at + 2]
            if after in ("!", "?") or (
                after == "/"
                and lower[at + 2 : at + 3] not in ("", ">")
                and lower[at + 2] not in _ASCII_LETTERS
            ):
                piece = self.text[at : at + 40]
                close = piece.find(">")
                yield (piece[: close + 1] if close >= 0 else piece), at
                at = self._end_of_markup(at)
            at = lower.find("<", at + 1)

    def _end_of_markup(self, at: int) -> int:
        """Where the comment-like piece at ``at`` ends, as browsers end it."""
        lower = self.lower
        if lower.startswith("<!--", at):
            if lower.startswith(("<!-->", "<!--->"), at):
                return at + 4
            ends = [lower.find(end, at + 4) for end in ("-->", "--!>")]
            ends = [end for end in ends if end >= 0]
            return min(ends) + 2 if ends else len(lower)
        end = lower.find(">", at)
        return end if end >= 0 else len(lower)

    def dropped_tags(self):
        """(name, ``<name`` as written, where) of each start tag in ``_DROPPED``."""
        lower = self.lower
        for name in _DROPPED:
            at = lower.find("<" + name)
            while at >= 0:
                end = at + 1 + len(name)
                if end == len(lower) or lower[end] in _TAG_END:
                    yield name, self.text[at:end], at
                at = lower.find("<" + name, at + 1)


class _Found:
    """Problems with where they are written, to give them in document order."""

    def __init__(self):
        self.items: list[tuple[int, int, HtmlProblem]] = []

    def add(self, at: int, snippet: str, message: str, allowed: str) -> None:
        problem = HtmlProblem(snippet, FIELD, message, allowed)
        self.items.append((at, len(self.items), problem))

    def in_order(self) -> list[HtmlProblem]:
        return [item[2] for item in sorted(self.items, key=_document_order)]


def _document_order(item: tuple[int, int, HtmlProblem]) -> tuple:
    """Where it is written; at one place, an element before its attributes."""
    at, seq, problem = item
    return at, not problem.snippet.startswith("<"), seq


# --- The check -----------------------------------------------------------------


def _page(html: str) -> LexborHTMLParser:
    """``html`` parsed as a browser parses the page it is put into."""
    return LexborHTMLParser("<!DOCTYPE html><html><head></head><body>" + html)


def check_body_html(html: str) -> list[HtmlProblem]:
    """Every problem of a body's HTML, in document order; [] when it is clean."""
    if not isinstance(html, str):
        return [HtmlProblem("", FIELD, "the body is not text", "write Markdown")]
    try:
        html.encode("utf-8")
    except UnicodeEncodeError:
        return [
            HtmlProblem(
                "",
                FIELD,
                "the body contains a character that is not valid text",
                "save the file as UTF-8 text",
            )
        ]
    source = _Source(html)
    found = _Found()
    root = _page(html).root
    for node in root.traverse(include_text=True):
        if len(found.items) >= MAX_PROBLEMS:  # enough to go on with
            return found.in_order()
        tag = node.tag
        if tag == "-text":
            continue
        if tag is None or tag[0] == "-":  # comments: see source.markups()
            continue
        if len(node.attributes) > MAX_ATTRIBUTES:
            snippet, at = source.tag(tag)
            found.add(
                at,
                snippet,
                f"<{tag}> has {len(node.attributes):,} attributes",
                "write the text in Markdown",
            )
            continue
        if tag in ALLOWED:
            if node.attributes:
                _attribute_problems(tag, node.attributes, source, found)
        elif tag in _PAGE_ELEMENTS:
            # Ours; a <body ...> written in the body adds its attributes here.
            for name in node.attributes:
                _page_attribute_problem(tag, name, source, found)
        elif not _in_drawing(node):
            snippet, at = source.tag(tag)
            _element_problem(tag, snippet, at, found)
            for name in node.attributes:
                if name.startswith("on"):
                    found.add(at, source.attribute(name, at), *_handler(tag, name))
    if "<" in html:
        for name, snippet, at in source.dropped_tags():
            if len(found.items) >= MAX_PROBLEMS:
                break
            _element_problem(name, snippet, at, found)
        for snippet, at in source.markups():
            if len(found.items) >= MAX_PROBLEMS:
                break
            _markup_problem(snippet, at, source, found)
    return found.in_order()


def clean_feed_html(html: str) -> str:
    """``html`` cleaned by nh3 with the body allowlist, for feeds.

    For a body that :func:`check_body_html` accepted, the result differs from
    it only in how the same elements, attributes and text are written.
    """
    return nh3.clean(html, **NH3_OPTIONS)


def _keep_value(tag: str, name: str, value: str) -> str | None:
    """nh3's attribute filter: the same value rules as the check."""
    if tag not in ALLOWED or _attribute_problem(tag, name, value):
        return None
    return value


# The allowlist as nh3 options. nh3 checks the schemes of href and src only;
# the filter applies every value rule of the check (cite, class, align ...).
NH3_OPTIONS = {
    "tags": set(ALLOWED),
    "attributes": {tag: set(attributes) for tag, attributes in ALLOWED.items()},
    "url_schemes": set(urls.LINK_SCHEMES),
    "attribute_filter": _keep_value,
    "strip_comments": True,
    "link_rel": None,
}


def _in_drawing(node: LexborNode) -> bool:
    """Whether ``node`` is inside an <svg> or <math> (reported once, as such)."""
    parent = node.parent
    while parent is not None:
        if parent.tag in ("svg", "math"):
            return True
        parent = parent.parent
    return False


def _element_problem(tag: str, snippet: str, at: int, found: _Found) -> None:
    why, instead = _ELEMENTS.get(tag, (_NOT_LISTED, "remove it; " + _USE_MARKDOWN))
    found.add(at, snippet, f"<{tag}> is not allowed: {why}", instead)


def _page_attribute_problem(tag: str, name: str, source: _Source, found) -> None:
    _snippet, at = source.tag(tag)
    found.add(
        at,
        source.attribute(name, at),
        f"the {name} attribute of a <{tag}> written in the body would be added "
        f"to the page's own <{tag}>",
        f"remove the <{tag}> tag; the site's templates write the page around the body",
    )


def _attribute_problems(tag: str, attributes: dict, source: _Source, found) -> None:
    at = -1
    for name, value in attributes.items():
        problem = _attribute_problem(tag, name, value)
        if problem:
            if at < 0:
                at = source.tag(tag)[1]
            found.add(at, source.attribute(name, at), *problem)


def _handler(tag: str, name: str) -> tuple[str, str]:
    return (
        f"the {name} attribute on <{tag}> would run code in the reader's browser",
        "remove it",
    )


def _attribute_problem(tag: str, name: str, value: str | None) -> tuple | None:
    """(what is wrong, what to do) with one attribute, or None."""
    if name.startswith("on"):
        return _handler(tag, name)
    if name not in ALLOWED[tag]:
        if name in _ATTRIBUTE_ADVICE:
            why, instead = _ATTRIBUTE_ADVICE[name]
            return f"the {name} attribute on <{tag}>: {why}", instead
        if name == "class":
            return (
                f"the class attribute is not allowed on <{tag}>",
                "remove it; classes are allowed on <span> and <div> only",
            )
        allowed = ALLOWED[tag]
        may = (
            f"<{tag}> may have " + ", ".join(allowed)
            if allowed
            else f"<{tag}> takes no attributes"
        )
        return f"the {name} attribute is not allowed on <{tag}>", f"remove it ({may})"
    value = value or ""
    if name in LINK_ATTRIBUTES:
        return urls.link_parts(value, LINK_ATTRIBUTES[name])
    if name == "class" and tag == "a":
        return _choice(tag, name, value.split(), A_CLASSES)
    if name == "class" and tag == "code":
        if all(token.startswith("language-") for token in value.split()):
            return None
        return (
            f"the class {value!r} is not allowed on <code>",
            "mark a code block's language in Markdown, such as ```python",
        )
    if name == "role":
        return _choice(tag, name, value.split(), A_ROLES)
    if name == "align":
        return _choice(tag, name, [value], ALIGNMENTS)
    if name == "scope":
        return _choice(tag, name, [value], SCOPES)
    if name in _EXAMPLE_NUMBER and not _whole_number(value, name):
        return (
            f"the {name} of <{tag}> is {value!r}, not a whole number",
            f'write a whole number, such as {name}="{_EXAMPLE_NUMBER[name]}"',
        )
    return None


def _choice(tag: str, name: str, values: list[str], allowed: frozenset) -> tuple | None:
    if values and all(v in allowed for v in values):
        return None
    shown = " ".join(values)
    return (
        f"the {name} {shown!r} is not allowed on <{tag}>",
        f"use one of {', '.join(sorted(allowed))}, or remove the attribute",
    )


def _whole_number(value: str, name: str) -> bool:
    digits = value[1:] if name == "start" and value.startswith("-") else value
    return digits.isascii() and digits.isdigit()


def _markup_problem(snippet: str, at: int, source: _Source, found: _Found) -> None:
    lower = snippet.lower()
    comment = source.text[at + 4 :]
    if lower.startswith("<?"):
        what = "a processing instruction (<?...?>) is not HTML"
    elif lower.startswith("</"):
        what = "a broken end tag (</ without an element name) becomes a comment"
    elif lower.startswith("<![cdata["):
        what = "a CDATA section (<![CDATA[...]]>) is not HTML"
    elif lower.startswith(("<!--[if", "<![if", "<![endif", "<!--<![endif")):
        what = "a conditional comment runs only in old browsers and hides code"
    elif lower.startswith(("<!-->", "<!--->")):
        what = "a malformed comment: browsers end it at once, unlike other tools"
    elif not lower.startswith("<!--"):
        what = "a declaration (<!...>) is not allowed in an article"
    elif "-->" not in comment and "--!>" not in comment:
        what = "a comment that is never closed hides the rest of the page"
    elif "--!>" in comment.split("-->", 1)[0]:
        what = "a malformed comment: browsers end it at --!>, unlike other tools"
    else:
        what = "an HTML comment is published in the page source, for anyone to read"
    found.add(at, snippet, what, "delete it; keep notes outside the content folder")


def _bench(runs: int = 2000) -> str:  # pragma: no cover - prints the speed figure
    """The time to check a 1,000-word post made of the sample posts."""
    import pathlib
    import timeit

    import markdown

    texts = []
    folder = pathlib.Path(__file__).parents[2] / "content"
    for path in sorted(folder.glob("*/*.md")):
        texts.append(path.read_text("utf-8").split("\n\n", 1)[1])
    words = "\n\n".join(texts).split(" ")[:1000]
    body = markdown.markdown(
        " ".join(words), extensions=["extra", "toc", "smarty"], output_format="html5"
    )
    assert check_body_html(body) == [], check_body_html(body)
    per = timeit.timeit(lambda: check_body_html(body), number=runs) / runs
    clean = timeit.timeit(lambda: clean_feed_html(body), number=runs) / runs
    return (
        f"{len(words)} words, {len(body)} characters of HTML, "
        f"{body.count('</')} elements: check_body_html {per * 1000:.3f} ms, "
        f"clean_feed_html {clean * 1000:.3f} ms"
    )


if __name__ == "__main__":  # pragma: no cover
    print(_bench())
