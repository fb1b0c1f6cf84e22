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

import html as html_text
import os
import re
import secrets
from dataclasses import dataclass, field

from markdown import Markdown
from selectolax.lexbor import LexborHTMLParser

import site_build

from .html_policy import check_body_html

MAX_NESTING = 20  # lists in lists, quotes in quotes
MARK = "data-site-picture"  # see Conversion.mark
_QUOTES = re.compile(r"^(?:\s*>)+")
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

    def problem(self, snippet: str, name: str, message: str, allowed: str) -> None:
        """A problem near ``snippet`` (found in the text for its line)."""
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
    return md


def nesting(body: str) -> int:
    """How deep lists and quotes are nested (by indentation and '>')."""
    deepest = 0
    for line in body.splitlines():
        stripped = line.lstrip(" \t")
        if not stripped:
            continue
        indent = len(line[: len(line) - len(stripped)].expandtabs(4)) // 4
        quotes = _QUOTES.match(line)
        depth = indent + (quotes.group(0).count(">") if quotes else 0)
        deepest = max(deepest, depth)
    return deepest


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
    depth = nesting(body)
    if depth > MAX_NESTING:
        conversion.problem(
            "",
            "text",
            f"is nested {depth} levels deep (lists in lists, or quotes in quotes)",
            f"use at most {MAX_NESTING} levels",
        )
        return _result("", conversion)
    md = _markdown()
    md.reset()
    md.conversion = conversion
    try:
        html = md.convert(body)
    except RecursionError:
        conversion.problem(
            "",
            "text",
            "is nested too deeply to read",
            f"use at most {MAX_NESTING} levels",
        )
        html = ""
    finally:
        md.conversion = None
    return _result(_judged(html, conversion), conversion)


def _judged(html: str, conversion: Conversion) -> str:
    """Check what staff wrote against the HTML policy (html_policy.py),
    then give Markdown's pictures their attributes."""
    if "<" not in html:
        return html
    marked = {f' {MARK}="{token}"': added for token, added in conversion.marks.items()}
    if "<img" in html.lower():
        for img in LexborHTMLParser(html).css("img"):
            if img.attributes.get(MARK) not in conversion.marks:
                src = img.attributes.get("src") or ""
                conversion.problem(
                    "<img",
                    "image",
                    f"{src!r} is written in HTML",
                    "write pictures in Markdown, such as "
                    "![What the photo shows](/images/news/my-photo.jpg), so the "
                    "site can check them and make their sizes",
                )
    clean = html
    for marker in marked:
        clean = clean.replace(marker, "")
    for problem in check_body_html(clean):
        conversion.problem(
            problem.snippet, problem.field, problem.message, problem.allowed
        )
    for marker, added in marked.items():
        html = html.replace(marker, added)
    return html


def _result(html: str, conversion: Conversion) -> Converted:
    return Converted(html, tuple(conversion.problems), tuple(conversion.pictures))
