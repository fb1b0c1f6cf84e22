"""Markdown to HTML, once per changed text.

Converting Markdown is most of the work of reading a site (Python-Markdown
builds a tree of every paragraph and runs its patterns over every line), so
the result of converting a file's text is kept in the build cache
(session.remembered) under a key of the text, the file's place (links are
relative to it), whether its first picture loads at once, the settings
(MARKDOWN among them) and the code, with the files it looked at (pictures):
when one of them changed, the text is converted again.

What converting found wrong (a picture without a description, HTML that is
not allowed, text nested too deep) is part of the result, so it is reported
on every build until it is mended.

The content reader checks (and so converts) every file the cache does not
hold before the generators read, with both cores (content_model.check_ahead).
"""

from __future__ import annotations

import contextlib
import difflib
import html as html_text
import os
import re
import secrets
import signal
import threading
from dataclasses import dataclass, field

from markdown import Markdown
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER
from selectolax.lexbor import LexborHTMLParser, SelectolaxError

import site_build

from .html_policy import MAX_PROBLEMS, check_body_html
from .validate import HIDDEN_FIX, hidden_character

MAX_NESTING = 20  # lists in lists, quotes in quotes (and HTML elements)
MAX_TAGS = 5_000  # '<' in one text: articles have tens
MAX_LINKS = 2_000  # '[' in one text
MAX_LINES = 10_000
MAX_CELLS = 100_000  # in the tables of one text (see _cells)
MAX_HTML_DEPTH = 60  # elements in elements, Markdown's own included
MAX_ATTRIBUTES = 20  # on one element: Markdown writes at most five
# Blocks of the text whose insides are Markdown (site.css lays them out):
# a gallery of pictures, a list of people. Staff write <div class="gallery">;
# markdown="1", which Markdown needs to read inside HTML, is added here.
MARKDOWN_BLOCKS = ("gallery", "people")
_MARKDOWN_BLOCK = re.compile(
    rf'^(<div +class="(?:{"|".join(MARKDOWN_BLOCKS)})")(?= *>)', re.MULTILINE
)
CONVERT_SECONDS = 10  # a text needs milliseconds; a hostile one, minutes
MAX_HTML = 4_000_000  # characters of HTML from one text (1 MB makes about 1.5)
MAX_HTML_TAGS = 100_000  # "<" in it: 1,000 words of a post make about 100
MAX_TAG_REACH = 20_000_000  # see _tag_reach: about 0.3 s of Pelican's reading
MARK = "data-site-picture"  # see Conversion.mark
_MARKED = re.compile(f' {MARK}="([^"]*)"')
_QUOTES = re.compile(r"^(?:\s*>)+")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
META = "markdown.extensions.meta"  # Pelican adds it; we read headers ourselves


@dataclass
class Conversion:
    """What a conversion knows of its file, and what it found."""

    relative_path: str  # of the file, under content/, with '/'
    content_root: str
    first_picture_eager: bool
    problems: list[tuple[str, str, str, str]] = field(default_factory=list)
    pictures: list[str] = field(default_factory=list)  # under content/
    nonce: str = field(default_factory=lambda: secrets.token_hex(8))
    marks: dict[str, str] = field(default_factory=dict)  # token -> attributes

    def mark(self, element, attributes: dict[str, str]) -> None:
        """``attributes`` for a picture Markdown made (an extension's): they
        are added after the HTML policy has judged what staff wrote, where
        the element carries this conversion's secret mark (so raw HTML
        cannot pass for it)."""
        token = f"{self.nonce}-{len(self.marks)}"
        element.set(MARK, token)
        self.marks[token] = "".join(
            f' {name}="{html_text.escape(value, quote=True)}"'
            for name, value in attributes.items()
        )

    def problem(self, snippet: str | int, name: str, message: str, allowed: str):
        """A problem near ``snippet`` (found in the text for its line), or on
        the line of the text numbered ``snippet``; the first MAX_PROBLEMS
        are kept (each is looked for in the text: 5,000 took 16 s)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((snippet, name, message, allowed))


@dataclass(frozen=True)
class Converted:
    html: str
    problems: tuple[tuple[str, str, str, str], ...]
    pictures: tuple[str, ...]


def markdown_settings(settings: dict) -> dict:
    options = dict(settings["MARKDOWN"])
    configs = options.get("extension_configs", {})
    extensions = [e for e in options.get("extensions", []) if e != META]
    extensions += [e for e in configs if e not in extensions and e != META]
    options["extensions"] = extensions
    return options


def _markdown() -> Markdown:
    """This process's Markdown object (made once per build: making one
    loads every extension)."""
    s = site_build.session()
    key = ("markdown", os.getpid())
    md = s.memo.get(key)
    if md is None:
        md = s.memo[key] = Markdown(**markdown_settings(s.settings))
        md.treeprocessors.register(_HtmlSize(md), "html_size", -1)  # the last
    return md


class TooMuchHtml(Exception):
    pass


# Raw HTML kept aside by Markdown, as it stands in the tree (an address
# written <name@example.org> stands there hidden otherwise: "\x02amp\x03").
_STASHED = HTML_PLACEHOLDER.split("%")[0]


class MarkdownFailed(RuntimeError):
    """Python-Markdown itself failed on a text (an IndexError on
    <ul markdown="1"></ul> before a list): a problem of the file, not a
    crash of the build."""


class HtmlInAttribute(Exception):
    """Raw HTML (kept aside by Markdown as a placeholder, put back after the
    tree is written out) in an attribute: an abbreviation's or a reference
    link's title given as HTML on the next line, put back at every use (200
    KB at 1,000 uses made 833 MB, and its tags multiplied past MAX_TAGS)."""


class _HtmlSize(Treeprocessor):
    """Stops a text whose HTML would be more than MAX_HTML characters, or
    that puts raw HTML in an attribute, before it is written out:
    abbreviations (*[HTML]: title), reference links and [TOC] repeat their
    text at each use, and a text of 90 KB made 320 MB of HTML (2.2 GB while
    being written and checked)."""

    def run(self, root) -> None:
        size = 0
        for element in root.iter():
            values = element.attrib.values()
            if any(_STASHED in value for value in values):  # see HtmlInAttribute
                raise HtmlInAttribute
            texts = (element.text, element.tail, *values)
            size += sum(len(text) for text in texts if text) + 16
            size += sum(len(name) + 4 for name in element.attrib)
            if size > MAX_HTML:
                raise TooMuchHtml


def nesting(body: str) -> tuple[int, int]:
    """How deep lists and quotes are nested (by indentation and '>'), and the
    first line (counted from 1) that goes deeper than MAX_NESTING, or 0."""
    deepest, first = 0, 0
    for number, line in enumerate(body.splitlines(), start=1):
        stripped = line.lstrip(" \t")
        if not stripped:
            continue
        indent = len(line[: len(line) - len(stripped)].expandtabs(4)) // 4
        quotes = _QUOTES.match(line)
        depth = indent + (quotes.group(0).count(">") if quotes else 0)
        depth += bool(_LIST_ITEM.match(stripped))  # an item is a level itself
        deepest = max(deepest, depth)
        if depth > MAX_NESTING and not first:
            first = number
    return deepest, first


# A gallery or people line as Markdown reads it (spaces in front: see
# block_problems), and any line that starts with a <div> (in a list item too).
_BLOCK_START = re.compile(
    rf'( *)<div +(?:markdown="[^"<>]*" +)?class="({"|".join(MARKDOWN_BLOCKS)})"'
    r'(?: +markdown="[^"<>]*")? *>'
)
_QUOTE_MARKS = "\"'“”‘’„»«＂″"  # straight, and what word processors and Danish use
_DIV_LINE = re.compile(
    r" {0,3}((?:[-*+]|\d{1,9}[.)]) +)?<\s*div\b[^>]{0,200}?\bclass\s*=\s*"
    rf"(?:[{_QUOTE_MARKS}]([^{_QUOTE_MARKS}>]{{0,80}})|([^\s>]{{0,80}}))([^>]*>?)(.*)",
    re.IGNORECASE,
)
_DIV = re.compile(
    r"<(/?)div\b[^<>]*>", re.IGNORECASE
)  # a whole tag: "</div" closes nothing
_BLOCK_NAMES = {"gallery": "gallery", "people": "people list"}  # as messages say
# What a word processor puts in a line that looks right: said in the message.
_LOOKALIKES = {
    "typographic quotes (“ ” » «)": _QUOTE_MARKS[2:],
    "a non-breaking space": "\u00a0\u2007\u202f",
}
# Raw HTML in a text: what may leave an element open or close one of the page.
_RAW_HTML = re.compile(r"<[A-Za-z/]")
# Elements a browser closes by itself when the next one starts.
_SELF_ENDING = frozenset(
    {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "caption"}
    | {"colgroup", "option", "optgroup"}
)
# Elements whose text runs to their end tag: left open, they take the page.
_RAW_TEXT = "iframe,script,style,textarea,title,xmp,noembed,noframes,noscript,template"
_TEXT_MARK, _LAST_MARK = "data-site-text", "data-site-last"  # see _unbalanced
# Markdown's code in a line: `x` and ``x`` (bounded: read from each ``).
_CODE_SPAN = re.compile(r"``[^\n]{1,500}?``|`[^`\n]+`")
_UNREAD = re.compile(r"""\smarkdown\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>]*)""")
# A block of HTML whose first tag has markdown=: Markdown reads it, and
# closes it at the end of the text if its end tag never comes.
_READ_BLOCK = re.compile(r"<([A-Za-z][\w-]{0,20})\b[^<>]{0,300}?\smarkdown\s*=", re.I)
# A <div> after a list item's '- ', a quote's '>' or in a table's row: the
# item, quote or cell ends it, and its </div> is left to close the page's.
_CONTAINED_DIV = re.compile(r" {0,3}(?:(?:[-*+]|\d{1,9}[.)]) +|>[ >]*|\|[^<\n]*)<div\b")


def _code_blocks(text: str):
    """The spans of ``text`` that Python-Markdown's fenced_code takes for
    code blocks, found as its own loop finds them (a fence whose {...} has
    unmatched braces is no fence)."""
    index = 0
    while found := FencedBlockPreprocessor.FENCED_BLOCK_RE.search(text, index):
        attributes = found.group("attrs")
        if attributes and get_attrs_and_remainder(attributes)[1]:
            index = found.end("attrs")
            continue
        yield found.span()
        index = found.end()


def _as_read(body: str, md: Markdown) -> tuple[str, list[tuple[int, int]]]:
    """``body`` as Python-Markdown reads it (its white space normalised by
    Markdown's own first step, which keeps the lines; converting it gives
    the same HTML), and the spans of its code blocks."""
    text = "\n".join(md.preprocessors["normalize_whitespace"].run(body.split("\n")))
    return text, list(_code_blocks(text))


def _marked(text: str, code: list[tuple[int, int]]) -> str:
    """``text`` with markdown="1" added to each gallery and list of people,
    but not to one shown in a code block (an example of how to write one)."""

    def mark(found: re.Match) -> str:
        inside = any(first <= found.start() < last for first, last in code)
        return found.group(1) + ("" if inside else ' markdown="1"')

    return _MARKDOWN_BLOCK.sub(mark, text)


def block_problems(text: str, code: list[tuple[int, int]]) -> tuple[list, list]:
    """(line counted from 1, what is wrong, what to do) for each gallery or
    list of people (MARKDOWN_BLOCKS) that Markdown would not read as one:
    left open (its '</div>' never comes: everything below would be laid out
    inside it), its line, what it holds or its '</div>' line starting with
    spaces, or written otherwise than <div class="gallery"> (quotes,
    capitals, a letter off: what it holds would be published as typed); and
    (line, name, spaces in front) of each line read as one (four spaces or
    more: code, or part of a list item; see _structure_problems). ``text``
    and ``code``: as _as_read gives them."""
    fences = iter(code)
    fence = next(fences, None)
    found, blocks, opened, depth, offset = [], [], None, 0, 0
    inside = None  # the block whose first line inside is still to come
    for number, line in enumerate(text.split("\n"), start=1):
        start, offset = offset, offset + len(line) + 1
        while fence and fence[1] <= start:
            fence = next(fences, None)
        if fence and fence[0] <= start:
            continue
        indent = len(line) - len(line.lstrip(" "))
        closing = line.strip() == "</div>"
        # Code, not pictures or people: a gallery holds no code, a list of
        # people none before its first person nor as a person.
        if (
            opened
            and indent >= 4
            and line.strip()
            and (
                inside
                or closing
                or opened[1] == "gallery"
                or _LIST_ITEM.match(line.lstrip())
            )
        ):
            what = "the </div> line" if closing else "this line"
            depth -= closing  # told here: not "not closed" as well
            found.append(
                (
                    number,
                    f"{what} of the {_BLOCK_NAMES[opened[1]]} starts with four spaces "
                    "or a tab: Markdown shows it as code",
                    "remove the spaces or the tab in front",
                )
            )
        if line.strip():
            inside = None
        block = _BLOCK_START.match(line)
        if block is None:
            found += _written_otherwise(number, line)
        else:
            name = block.group(2)
            blocks.append((number, name, indent))
            if indent >= 4:  # code (see _structure_problems)
                continue
            if indent:
                found.append(
                    (
                        number,
                        f'<div class="{name}"> starts with spaces: what it holds '
                        "would be published as typed, not as Markdown",
                        "remove the spaces in front: start the line with "
                        f'<div class="{name}">',
                    )
                )
            if not opened:  # else one in another, closed by its own </div>
                opened, depth = (number, name), 0
            inside = name
        if opened and indent < 4:  # the divs it holds close with their </div>
            shown = _CODE_SPAN.sub("", line)  # a <div> in `code` is no <div>
            depth += sum(-1 if tag.group(1) else 1 for tag in _DIV.finditer(shown))
        if opened and depth <= 0:
            opened = None
    if opened:
        number, name = opened
        found.append(
            (
                number,
                f'<div class="{name}"> is not closed: everything after it would '
                f"be laid out as part of the {_BLOCK_NAMES[name]}",
                "end it with a line holding only </div>, after an empty line",
            )
        )
    return found, blocks


def _written_otherwise(number: int, line: str) -> list[tuple]:
    """The problem of a <div> line that seems meant to start a gallery or a
    list of people but would not (see block_problems), judged by its class:
    "Gallery", 'gallery', “gallery”, "galleries", "gallery big", a quote
    or its '>' missing. A <div> of the writer's own that holds text on its
    line is left alone."""
    div = _DIV_LINE.match(line)
    if div is None or (div.group(4).endswith(">") and div.group(5).strip()):
        return []
    if div.group(1) and _BLOCK_START.match(line, div.end(1)):
        return []  # in a list item: see _structure_problems
    words = (div.group(2) or div.group(3) or "").lower().split()
    meant = next(filter(None, map(_meant, words[:5])), None)
    if meant is None:
        return []
    shown, name = line.strip(), _BLOCK_NAMES[meant]
    odd = [what for what, chars in _LOOKALIKES.items() if set(chars) & set(shown)]
    why = f" (it has {' and '.join(odd)}, which word processors put in)" if odd else ""
    return [
        (
            number,
            f"'{shown[:60]}' is not read as a {name}{why}: what it holds would "
            "be published as typed",
            f'type the line again exactly as <div class="{meant}">',
        )
    ]


def _meant(word: str) -> str | None:
    """The block name (MARKDOWN_BLOCKS) a word of a class stands for: the
    name itself, or a slip of it (galery, peoples), not a word of its own
    (gallery-wall, valley)."""
    word = word.strip(".,;:/")
    for name in MARKDOWN_BLOCKS:
        if word == name or (
            word[:1] == name[0]
            and "-" not in word
            and "_" not in word
            and abs(len(word) - len(name)) <= 2
            and difflib.SequenceMatcher(None, word, name).ratio() >= 0.75
        ):
            return name
    return None


def _structure_problems(
    text: str, code: list[tuple[int, int]], html: str, blocks: list
) -> tuple[list, str]:
    """(where, field, what is wrong, what to do) when the HTML a text made
    would not stay inside the page's text as a browser builds the page: an
    element left open, or an end tag that closes one of the page's (one
    too many, or the one of a <div> a list item, quote, table cell or code
    block around it had ended), or a gallery inside another HTML block.
    ``code`` and ``blocks``: as _as_read and block_problems give them. And
    the HTML to judge on."""
    # Markdown's own HTML closes what it opens; a crowded tag is _judged's.
    if not _RAW_HTML.search(text) or _crowded_tag(html):
        return [], html
    text = _without_code(text, code)  # the tags it shows are no tags
    for tag in dict.fromkeys(m.group(1).lower() for m in _READ_BLOCK.finditer(text)):
        line = _first_unmatched(text, tag, opening=True)
        if line:  # Markdown closes it at the end of the text, without a word
            return [_left_open(line, tag)], html
    try:
        page = _in_page(html)
    except SelectolaxError:  # _judged says so
        return [], html
    unread = page.css_first("[markdown]")
    if unread is not None:  # told once here: not by the policy as well
        return [_unread_problem(page, unread, blocks)], _UNREAD.sub("", html)
    tag, closes = _unbalanced(page, text)
    if tag is None:
        return [], html
    return _unbalanced_problems(text, html, blocks, tag, closes), html


def _left_open(where: int | str, tag: str) -> tuple:
    """The problem of a <tag> left open, on the line (or the snippet) where."""
    return (
        where,
        "text",
        f"<{tag}> is not closed: everything after it would be laid out inside it",
        f"end it with </{tag}>",
    )


def _unread_problem(page: LexborHTMLParser, unread, blocks: list) -> tuple:
    """The problem of an element whose markdown= Markdown did not read: not
    written markdown="1", or inside another HTML block (a gallery there is
    named by its line, found by its place among the galleries)."""
    value = unread.attributes.get("markdown") or ""
    if value not in ("1", "block", "span"):
        odd = set(_QUOTE_MARKS[2:]) & set(value)
        return (
            "markdown=",
            "text",
            f"markdown={value} on <{unread.tag}> is not read"
            + (" (it has typographic quotes)" if odd else ""),
            'write markdown="1", with straight quotes',
        )
    shown = page.css("div.gallery, div.people")
    read = [block for block in blocks if block[2] < 4]
    index = next((i for i, n in enumerate(shown) if n.mem_id == unread.mem_id), None)
    if index is not None and index < len(read):
        where, what = read[index][0], f'<div class="{read[index][1]}">'
    else:
        where, what = "markdown=", f'<{unread.tag} markdown="...">'
    return (
        where,
        "text",
        f"{what} is inside another HTML block (such as <details>, <figure> or a "
        "<div> of your own), where Markdown does not read it",
        "move it out of that block, onto a line of its own between empty lines",
    )


def _unbalanced_problems(text: str, html: str, blocks: list, tag: str, closes: bool):
    """The problem of HTML that leaves ``tag`` open or closes one of the
    page's (see _structure_problems), on the line to mend."""
    if not closes:
        return [_left_open(_first_unmatched(text, tag, opening=True) or f"<{tag}", tag)]
    contained = [
        n for n, line in enumerate(text.split("\n"), 1) if _CONTAINED_DIV.match(line)
    ]
    for number, name, indent in blocks:
        if indent >= 4 and f'&lt;div class="{name}"' in html:  # shown as code
            return [
                (
                    number,
                    "text",
                    f'<div class="{name}"> starts with four spaces or a tab: '
                    "Markdown shows it as code, and the </div> below it would "
                    "close the page's own layout",
                    "remove the spaces or the tab in front of it",
                )
            ]
        if indent >= 4:  # in a list item
            contained.append(number)
    if contained:
        return [
            (
                min(contained),
                "text",
                "a <div> in a list item, quote or table cell ends with it, and "
                "the </div> below would close the page's own layout",
                "start the <div ...> line at the start of a line, outside "
                "lists, quotes and tables",
            )
        ]
    return [
        (
            _first_unmatched(text, tag, opening=False) or f"</{tag}",
            "text",
            f"a </{tag}> closes more than the text opened: the rest of the page "
            "would fall out of its layout",
            "remove it: each <div ...> line has one </div> line"
            if tag == "div"
            else f"remove it: the text is already inside the page's own <{tag}>",
        )
    ]


def _in_page(html: str) -> LexborHTMLParser:
    """``html`` parsed as the text of an article in a page (marked: see
    _unbalanced)."""
    return LexborHTMLParser(
        "<!DOCTYPE html><html><head></head><body><main><article><section>"
        f"<div {_TEXT_MARK}>{html}<b {_LAST_MARK}></b></div>"
        "</section></article></main>"
    )


def stays_inside(html: str) -> bool:
    """Whether ``html``, as the text of an article in a page, stays inside
    it (see _structure_problems); False when it cannot be read."""
    try:
        return _unbalanced(_in_page(html), html)[0] is None
    except SelectolaxError:
        return False


def _unbalanced(page: LexborHTMLParser, text: str) -> tuple[str | None, bool]:
    """(tag, closes) when the text's HTML in ``page`` (see
    _structure_problems) leaves an element open (the outermost one the
    writer typed) or closes one of the page's (closes True); else (None,
    False)."""
    last = page.css_first(f"b[{_LAST_MARK}]")
    if last is None:  # taken as the text of an element left open
        for node in page.css(_RAW_TEXT):
            if _LAST_MARK in node.text():
                return node.tag, False
        return "html", False
    # Inside the elements left open, or in front of one (what follows a
    # table left open is put before it): from the innermost out.
    left_open, node, lowered = [], last, text.lower()
    while node is not None and node.tag != "body":
        if node.tag == "div" and _TEXT_MARK in node.attributes:
            typed = [tag for tag in left_open if f"<{tag}" in lowered]
            found = typed or left_open
            return (found[-1], False) if found else (None, False)  # the outermost
        if node is not last and node.tag not in _SELF_ENDING:
            left_open.append(node.tag)
        after = node.next
        while after is not None and after.tag == "-text":
            after = after.next
        if after is not None:
            left_open.append(after.tag)
        node = node.parent
    stray = re.search(r"</(article|main|section|body|html)\b", text, re.IGNORECASE)
    return (stray.group(1).lower() if stray else "div"), True


def _without_code(text: str, code: list[tuple[int, int]]) -> str:
    """``text`` with its code blocks and `code` in lines blanked out, line
    for line (a <div> shown as an example is no <div>)."""
    parts, at = [], 0
    for first, last in code:
        parts += [text[at:first], re.sub(r"[^\n]", " ", text[first:last])]
        at = last
    blanked = "".join([*parts, text[at:]])
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), blanked)


def _first_unmatched(text: str, tag: str, opening: bool) -> int | None:
    """The line of the first <tag> of ``text`` never closed (``opening``),
    or of the first </tag> that closes nothing, read tag by tag."""
    ends = re.compile(rf"<(/?){re.escape(tag)}\b", re.IGNORECASE)
    lines, found, line, counted = [], None, 1, 0
    for match in ends.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        if not match.group(1):
            lines.append(line)
        elif lines:
            lines.pop()
        elif not opening and found is None:
            found = line
    return (lines[0] if lines else None) if opening else found


def key_of(body: str, relative_path: str, first_picture_eager: bool) -> str:
    return site_build.session().key(
        "markdown", body, relative_path, first_picture_eager
    )


def convert(
    body: str, relative_path: str, content_root: str, first_picture_eager: bool
) -> Converted:
    """The HTML of a Markdown text, from the cache when nothing it was made
    from has changed."""
    return site_build.session().remembered(
        "markdown",
        key_of(body, relative_path, first_picture_eager),
        lambda: _convert(body, relative_path, content_root, first_picture_eager),
    )


def _convert(body, relative_path, content_root, first_picture_eager) -> Converted:
    conversion = Conversion(relative_path, content_root, first_picture_eager)
    depth, line = nesting(body)
    if depth > MAX_NESTING:
        conversion.problem(
            line,  # the problem's line in the text (see Conversion.problem)
            "text",
            f"is nested {depth} levels deep (lists in lists, or quotes in quotes)",
            f"use at most {MAX_NESTING} levels",
        )
        return _result("", conversion)
    too_much = _too_much(body)
    if too_much:
        conversion.problem("", "text", *too_much)
        return _result("", conversion)
    md = _markdown()
    md.reset()
    md.conversion = conversion
    try:
        with time_limit(CONVERT_SECONDS):  # the fences are Markdown's work too
            text, code = _as_read(body, md)
            found, blocks = block_problems(text, code)
            for line, what, allowed in found:
                conversion.problem(line, "text", what, allowed)
            if found:  # the policy judges the rest, not what a slip misread
                text = _blanked(text, {line for line, _what, _allowed in found})
            try:
                html = md.convert(_marked(text, code))
            except (IndexError, KeyError, ValueError, AttributeError) as error:
                raise MarkdownFailed(f"{type(error).__name__}: {error}") from error
        if len(html) > MAX_HTML or html.count("<") > MAX_HTML_TAGS:
            raise TooMuchHtml
        if not found:  # else those problems say why
            structure, html = _structure_problems(text, code, html, blocks)
            for problem in structure:
                conversion.problem(*problem)
    # RecursionError is a RuntimeError; Python-Markdown raises others itself
    except (HtmlInAttribute, TooMuchHtml, RuntimeError, TookTooLong) as error:
        conversion.problem("", "text", *_unconverted(error))
        html = ""
    finally:
        md.conversion = None
    return _result(_judged(html, conversion), conversion)


def _blanked(text: str, lines: set[int]) -> str:
    """``text`` with the ``lines`` (counted from 1) made spaces, so every
    other character keeps its place (the spans of code blocks hold)."""
    return "\n".join(
        " " * len(line) if number in lines else line
        for number, line in enumerate(text.split("\n"), 1)
    )


def _unconverted(error: Exception) -> tuple[str, str]:
    """(what is wrong, what to do) with a text Markdown did not convert."""
    if isinstance(error, HtmlInAttribute):
        return (
            "has HTML as the title of an abbreviation or a link (*[...]: or "
            "[...]: followed by HTML on the next line)",
            "give the title as plain text",
        )
    if isinstance(error, TooMuchHtml):
        return (
            f"makes more than {MAX_HTML // 1_000_000} MB of HTML or "
            f"{MAX_HTML_TAGS:,} HTML tags, more than any article needs (an "
            "abbreviation, a link or [TOC] repeated many times)",
            "write it more plainly, or split it into several files",
        )
    if isinstance(error, RecursionError):
        return ("is nested too deeply to read", f"use at most {MAX_NESTING} levels")
    if isinstance(error, TookTooLong):
        return (
            f"took more than {CONVERT_SECONDS} seconds to convert (Markdown "
            "written in a way that makes the converter work very hard)",
            "write it more plainly: fewer nested links, emphasis and HTML tags",
        )
    if isinstance(error, MarkdownFailed):
        return (
            f"could not be converted (Markdown failed: {error})",
            'write it more plainly: HTML around a list, such as <ul markdown="1">, '
            "is read in a way Markdown does not expect; write the list in Markdown",
        )
    return (  # Python-Markdown's own, on odd Markdown
        f"could not be converted (Markdown failed: {error})",
        "write it more plainly: a footnote may not hold another footnote's "
        "definition ([^2]: ... indented under [^1]: ...)",
    )


def _too_much(body: str) -> tuple[str, str] | None:
    """(what, what to do) when a text holds far more of something than any
    article does: Python-Markdown's work grows faster than the text on these."""
    lines = body.count("\n")
    if lines > MAX_LINES:
        return (
            f"has {lines:,} lines, more than any article needs",
            f"split it into several files of at most {MAX_LINES:,} lines",
        )
    cells = _cells(body.splitlines())
    if cells > MAX_CELLS:
        return (
            f"has tables of {cells:,} cells, more than any article needs",
            f"keep its tables under {MAX_CELLS:,} cells",
        )
    for sign, limit, what in (("<", MAX_TAGS, "HTML tags"), ("[", MAX_LINKS, "links")):
        count = body.count(sign)
        if count > limit:
            return (
                f"holds {count:,} '{sign}' signs ({what}), more than any article needs",
                f"write it with at most {limit:,} {what}",
            )
    return None


# A table's second line: dashes for each column, "|" between them
_DELIMITER_ROW = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?")


def _cells(lines: list[str]) -> int:
    """How many cells Markdown may make of the tables in ``lines``. A table
    is a block of lines (up to a blank one), its second line the dashes:
    Markdown fills every line of the block, "|" or not, out to as many
    columns (one header of 20,000 columns over short lines took 1.5 GB).
    Counted for each block as its lines times the most columns of a line of
    dashes in it, in a quotation or a list too."""
    cells = columns = rows = 0
    for line in [*lines, ""]:
        text = line.lstrip(" \t>")
        if not text.strip():  # a blank line ends the block
            cells += columns * rows
            columns = rows = 0
            continue
        rows += 1
        if "-" in text and _DELIMITER_ROW.fullmatch(text.strip()):
            columns = max(columns, text.count("|") + 1)
    return cells


class TookTooLong(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float):
    """Stop what runs inside after ``seconds`` (TookTooLong): Python-Markdown
    slows down more than linearly on some inputs, and a hostile text must not
    hang the build. Only where the system has SIGALRM, in the main thread."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not (
        threading.main_thread()
    ):
        yield
        return

    def stop(_signum, _frame):
        raise TookTooLong

    previous = signal.signal(signal.SIGALRM, stop)
    # Again every 0.1 s after the first: an exception raised while Python
    # runs a garbage collector's callback or a __del__ is dropped.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# The guard against a tag crowded with attributes. Lexbor's time grows with
# the square of one tag's attributes (60,000 took 18 s), so such a text is
# refused before Lexbor reads it. Where a tag starts depends on more than
# the text at hand (a browser reads "<p a b>" after "<!-->" or "<![CDATA[ >",
# or inside <svg><style>, as a tag; Python's HTML parser reads comment or
# text there), so every "<" is taken to start one, wherever it stands. From
# there a tag is read as HTML's tokenizer reads it (WHATWG 13.2.5, the tag
# states), counting the attributes it starts. The readings from each start
# run side by side in one pass: two in the same state read the rest alike,
# so only the one with more attributes is kept (one for each state and
# group of tags below: a few dozen readings at most).
_TAG_NAME, _BEFORE, _NAME, _AFTER, _VALUE, _DOUBLE, _SINGLE, _UNQUOTED = range(8)
_QUOTED, _SLASH, _OPEN, _OPEN_END = range(8, 12)  # see _STEP; "<" and "</"
_END = -1  # the tag is over (">"), or it was no tag
# What a piece of text does to a reading in each state from _TAG_NAME to
# _SLASH: (next state, attributes it starts). A run of white space, or of
# other characters, acts as one of them.
_STEP = {
    " ": (
        (_BEFORE, 0), (_BEFORE, 0), (_AFTER, 0), (_AFTER, 0), (_VALUE, 0),
        (_DOUBLE, 0), (_SINGLE, 0), (_BEFORE, 0), (_BEFORE, 0), (_BEFORE, 0),
    ),
    "a": (
        (_TAG_NAME, 0), (_NAME, 1), (_NAME, 0), (_NAME, 1), (_UNQUOTED, 0),
        (_DOUBLE, 0), (_SINGLE, 0), (_UNQUOTED, 0), (_NAME, 1), (_NAME, 1),
    ),
    '"': (
        (_TAG_NAME, 0), (_NAME, 1), (_NAME, 0), (_NAME, 1), (_DOUBLE, 0),
        (_QUOTED, 0), (_SINGLE, 0), (_UNQUOTED, 0), (_NAME, 1), (_NAME, 1),
    ),
    "'": (
        (_TAG_NAME, 0), (_NAME, 1), (_NAME, 0), (_NAME, 1), (_SINGLE, 0),
        (_DOUBLE, 0), (_QUOTED, 0), (_UNQUOTED, 0), (_NAME, 1), (_NAME, 1),
    ),
    "=": (
        (_TAG_NAME, 0), (_NAME, 1), (_VALUE, 0), (_VALUE, 0), (_UNQUOTED, 0),
        (_DOUBLE, 0), (_SINGLE, 0), (_UNQUOTED, 0), (_NAME, 1), (_NAME, 1),
    ),
    "/": (
        (_SLASH, 0), (_SLASH, 0), (_SLASH, 0), (_SLASH, 0), (_UNQUOTED, 0),
        (_DOUBLE, 0), (_SINGLE, 0), (_UNQUOTED, 0), (_SLASH, 0), (_SLASH, 0),
    ),
    ">": (
        (_END, 0), (_END, 0), (_END, 0), (_END, 0), (_END, 0),
        (_DOUBLE, 0), (_SINGLE, 0), (_END, 0), (_END, 0), (_END, 0),
    ),
}  # fmt: skip
_STEP["<"] = _STEP["a"]  # inside a tag, "<" is one more character of it
_SPACE = "\t\n\f\r "
_SIGNS = "\"'=/<>"  # each a piece of its own
_QUOTE = {_DOUBLE: re.compile('["<]'), _SINGLE: re.compile("['<]")}
# Text-style ("formatting") elements but <a>: a parser keeps a list of those
# left open, to copy into new paragraphs (see MAX_COPIES).
_STYLED = {"b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike"}
_STYLED |= {"strong", "tt", "u"}
# Tags whose attributes count together: those of every <html> (or <body>)
# tag land on the page's one element; text-style tags and <a> are copied.
_GROUP = {**dict.fromkeys(_STYLED, "styled"), "a": "a", "html": "html", "body": "body"}
# A parser copies the text-style tags left open (<b>, <em>, <code>..., and
# one <a>; of those without attributes, three of a name) into each new
# paragraph and the like, with their attributes:
# "<p><b title='...200 KB...'>" before 1,000 "<p>" took 246 MB. What one
# copy of a tag costs: 1 (the element), 1 an attribute, 1 per 64 bytes of
# the tag; copies may follow each tag of the text, twice. A text whose
# copies may cost more than MAX_COPIES (at most about 190 MB) is refused.
# A tag closed before any other tag starts is never copied: Markdown's
# <pre><code class="language-x">...</code></pre> and most links.
MAX_COPIES = 1_000_000
_CLOSED = re.compile(r"[^<]*</([A-Za-z][^\t\n\f\r />]*)")  # text, then an end tag
_PIECE = re.compile(r"[\t\n\f\r ]+|[\"'=/<>]|[^\t\n\f\r \"'=/<>]+")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _crowded_tag(html: str, limit: int = MAX_ATTRIBUTES) -> tuple[str, str] | None:
    """(tag, what is wrong) when a tag may have more than ``limit``
    attributes, however a browser comes to read it as a tag, or the copies
    a parser makes of tags may cost more than MAX_COPIES; or None. The
    attributes of every <html> (or <body>) tag count together: a parser puts
    them all on the page's one element. Linear in the length of ``html``."""
    copies = 2 * html.count("<") + 1  # of each tag at most, see MAX_COPIES
    # (state, group) -> (attributes, where it started, tag) of the readings;
    # the tags of a group ("html", "body", "styled", "a") count together
    readings: dict[tuple[int, str], tuple[int, int, str]] = {}
    together = dict.fromkeys(_GROUP.values(), 0)
    alike: dict[str, int] = {}  # text-style tags without attributes, by name
    at, end = 0, len(html)
    while True:
        if not readings:  # outside every tag: on to the next "<"
            at = html.find("<", at)
            if at < 0:
                return None
        elif len(readings) == 1 and next(iter(readings))[0] in _QUOTE:
            # In a quoted value: on to its closing quote, or a "<" (a tag may
            # start there, for a browser that reads what came before as text)
            found = _QUOTE[next(iter(readings))[0]].search(html, at)
            at = found.start() if found else end
        piece = _PIECE.match(html, at).group(0) if at < end else ">"  # the end
        at += len(piece)
        first = piece[0]
        kind = " " if first in _SPACE else first if first in _SIGNS else "a"
        step = _STEP[kind]
        after: dict[tuple[int, str], tuple[int, int, str]] = {}
        for (state, group), (count, start, tag) in readings.items():
            if state in (_OPEN, _OPEN_END):
                if kind == "a" and first in _ASCII_LETTERS:
                    tag = piece.lower()
                    group = _GROUP.get(tag, "")
                    _merge(after, (_TAG_NAME, group), (0, start, tag))
                elif kind == "/" and state == _OPEN:
                    after[(_OPEN_END, "")] = (0, start, "")
                continue
            state, started = step[state] if at <= end else (_END, 0)
            if state != _END:
                _merge(after, (state, group), (count + started, start, tag))
                continue
            if group in ("styled", "a") and not _closed(html, at, tag):
                cost = 1 + count + (at - start) // 64  # a copy of it, attributes too
                if group == "a":  # one <a> is kept open: a new one closes it
                    together[group] = max(together[group], cost)
                elif count or alike.setdefault(tag, 0) < 3:  # three alike are kept
                    together[group] += cost
                    alike[tag] = alike.get(tag, 0) + (not count)
                if (together["styled"] + together["a"]) * copies > MAX_COPIES:
                    tag = tag.split("|")[0]
                    return tag, (
                        f"has <{tag}> and other text-style tags left open, which "
                        "browsers copy into every paragraph after them: too many "
                        "to copy"
                    )
            elif group in ("html", "body"):
                together[group] += count
                count = together[group]
            if count > limit:
                tag = tag.split("|")[0]
                return tag, f"<{tag}> has {count:,} attributes"
        if at > end:
            return None
        if kind == "<":  # a tag may start here as well
            after[(_OPEN, "")] = (0, at - 1, "")
        readings = after


def _closed(html: str, at: int, tag: str) -> bool:
    """Whether the tag ending at ``at`` is closed before any other tag starts
    (as in <code class="x">y</code>): then it is never copied."""
    closed = _CLOSED.match(html, at)
    return closed is not None and closed.group(1).lower() == tag


def _merge(readings: dict, key: tuple, reading: tuple[int, int, str]) -> None:
    """Two readings in one state read the rest of the text alike: one is
    kept, with the more attributes and the earlier start; of two tag names,
    the one's with a "|" after it ("b|": no end tag closes it, see _closed)."""
    found = readings.get(key)
    if found is None:
        readings[key] = reading
    elif found != reading:
        more = reading if reading[0] > found[0] else found
        name = more[2] if found[2] == reading[2] else more[2].split("|")[0] + "|"
        readings[key] = (more[0], min(found[1], reading[1]), name)


def _depth(root) -> int:
    """How deep elements nest below ``root`` (walked without recursion)."""
    deepest, stack = 0, [(root, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        child = node.child
        while child is not None:
            stack.append((child, depth + 1))
            child = child.next
    return deepest


def _hidden_in(page) -> str | None:
    """A character no text needs, in the text or attributes as a browser
    decodes them (&#27; is an escape character): what it is, or None."""
    body = page.body
    if body is None:
        return None
    texts = [body.text(deep=True)]
    texts += [
        value or ""
        for node in body.traverse(include_text=False)
        for value in node.attributes.values()
    ]
    for text in texts:
        hidden = hidden_character(text)
        if hidden:
            return hidden[1]
    return None


def _judged(html: str, conversion: Conversion) -> str:
    """Check what staff wrote against the HTML policy (html_policy.py),
    then give Markdown's pictures their attributes."""
    if "<" not in html:
        return html
    crowded = _crowded_tag(html)
    if crowded:  # Lexbor's time would grow with the square of the text's
        tag, message = crowded
        conversion.problem(f"<{tag}", "html", message, "write the text in Markdown")
        return ""
    if _tag_reach(html) > MAX_TAG_REACH:
        conversion.problem(
            "<",
            "text",
            "has many '<' that no '>' follows for a long way (in a title or an "
            "alt text): reading its links would take Pelican minutes",
            "write the text in Markdown, and keep titles and alt texts short",
        )
        return ""
    try:
        page = LexborHTMLParser(html)
    except SelectolaxError:  # out of memory, say: never a crash of the build
        conversion.problem(
            "", "html", "could not be read as HTML", "write it in Markdown"
        )
        return ""
    deepest = _depth(page.body) if page.body is not None else 0
    if deepest > MAX_HTML_DEPTH:
        conversion.problem(
            "",
            "text",
            f"nests HTML elements {deepest} deep, which browsers struggle to show",
            f"use at most {MAX_HTML_DEPTH} levels (Markdown lists and quotes count)",
        )
        return ""
    hidden = _hidden_in(page)
    if hidden:
        conversion.problem(
            "&#",
            "text",
            f"contains {hidden} (written as a character reference)",
            HIDDEN_FIX,
        )
    if "<img" in html.lower():
        for img in page.css("img"):
            if img.attributes.get(MARK) not in conversion.marks:
                src = img.attributes.get("src") or ""
                conversion.problem(
                    "<img",
                    "image",
                    f"{src!r} is written in HTML",
                    "write pictures in Markdown, such as "
                    "![What the photo shows](images/news/my-photo.jpg), so the "
                    "site can check them and make their sizes",
                )
    # One pass each (a thousand pictures, each a pass over 4 MB, took 5 s)
    marks = conversion.marks
    clean = _MARKED.sub(lambda m: "" if m.group(1) in marks else m.group(0), html)
    for problem in check_body_html(clean):
        conversion.problem(
            problem.snippet, problem.field, problem.message, problem.allowed
        )
    return _MARKED.sub(lambda m: marks.get(m.group(1), m.group(0)), html)


def _tag_reach(html: str) -> int:
    """How far, in all, the '<' of ``html`` reach before a '>' follows:
    Pelican's pattern of links ({filename}...) reads that far from each
    (16 ns a character: 4,990 '<' before 200 KB of a title took 35 s)."""
    reach, at, close = 0, html.find("<"), -1
    while at >= 0:
        if close < at:
            close = html.find(">", at)
            if close < 0:
                close = len(html)
        reach += close - at
        at = html.find("<", at + 1)
    return reach


def _result(html: str, conversion: Conversion) -> Converted:
    return Converted(html, tuple(conversion.problems), tuple(conversion.pictures))
