"""Rewrites the <img> tags of a built HTML page: content images get a WebP
srcset, sizes, width and height; inside <main> the first image loads at once
(it is usually the first one a visitor sees) and every later content image
loads lazily. Everything but the rewritten tags stays byte for byte as the
templates wrote it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from html.parser import HTMLParser

from .derivatives import SourceImage


@dataclass
class ImgTag:
    start: int  # offset of '<img' in the page text
    end: int
    attrs: list[tuple[str, str | None]]
    in_main: bool


class _ImgFinder(HTMLParser):
    """Finds <img> start tags with their offsets and whether they sit in <main>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.main_depth = 0
        self.tags: list[ImgTag] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.main_depth += 1
        elif tag == "img":
            start = self._offset()
            raw = self.get_starttag_text() or ""
            self.tags.append(
                ImgTag(start, start + len(raw), attrs, self.main_depth > 0)
            )

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "main" and self.main_depth:
            self.main_depth -= 1


def parse_images(text: str) -> list[ImgTag]:
    """find_images by parsing the whole page with html.parser: the reference,
    and the way taken when the quick scan is unsure."""
    finder = _ImgFinder(text)
    finder.feed(text)
    finder.close()
    return finder.tags


# What the quick scan looks at: comments and script/style bodies (no tags in
# them, as html.parser sees it), <main> and </main>, <img> tags. A page holding
# markup the scan does not model (declarations other than the doctype,
# processing instructions, odd end tags, '<' inside an attribute value, where
# it could start a false tag) is parsed in full instead. Templates and
# Markdown escape '<' and '>' in attribute values, so that is rare.
_TOKENS = re.compile(
    r"<!--.*?--\s*>"
    r"|<(script|style)(?=[\s/>])[^>]*>.*?</\s*\1\s*>"
    r"|<(/?)(main|img)(?=[\s/>])[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_UNSURE_MARKUP = re.compile(
    r"<(?:!(?!--|doctype\s)|\?|/(?![a-zA-Z])|(?:script|style)(?=[\s/>])[^>]*/>)",
    re.IGNORECASE,
)
_UNSURE_ATTRIBUTE = re.compile(r"=\s*(?:<|\"[^\"<]*<|'[^'<]*<)")


class _TagParser(HTMLParser):
    """Parses one start tag exactly as html.parser does inside a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: tuple[str, tuple, str] | None = None

    def handle_starttag(self, tag, attrs):
        if self.found is None:
            self.found = (tag, tuple(attrs), self.get_starttag_text() or "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


@lru_cache(maxsize=4096)
def _parse_tag(raw: str) -> tuple[str, tuple, str] | None:
    """(tag name, attributes, the start tag's text) of one tag, or None.
    Remembered: most pages share their header's and footer's images."""
    parser = _TagParser()
    parser.feed(raw)
    parser.close()
    return parser.found


def scan_images(text: str) -> list[ImgTag] | None:
    """The page's <img> tags found with a regular expression, only the tags
    themselves parsed: the same result as parse_images, many times faster.
    None when the page holds markup the scan does not model."""
    if _UNSURE_MARKUP.search(text) or _UNSURE_ATTRIBUTE.search(text):
        return None
    tags: list[ImgTag] = []
    main_depth = 0
    for match in _TOKENS.finditer(text):
        name = match.group(3)
        if name is None:
            continue  # a comment, a script or a style sheet
        name = name.lower()
        if match.group(2):
            if name == "main" and main_depth:
                main_depth -= 1
            continue
        if name == "main":
            main_depth += 1
            continue
        raw = match.group(0)
        found = _parse_tag(raw)
        if found is None or found[0] != "img" or found[2] != raw:
            return None
        tags.append(ImgTag(match.start(), match.end(), list(found[1]), main_depth > 0))
    return tags


def find_images(text: str) -> list[ImgTag]:
    """The page's <img> start tags with their offsets and whether each sits
    inside <main>."""
    tags = scan_images(text)
    return parse_images(text) if tags is None else tags


def _render(attrs: list[tuple[str, str | None]]) -> str:
    parts = ["<img"]
    for name, value in attrs:
        parts.append(f" {name}" if value is None else f' {name}="{escape(value)}"')
    return "".join(parts) + ">"


def _set(attrs: list, name: str, value: str | None) -> None:
    for index, (key, _old) in enumerate(attrs):
        if key == name:
            attrs[index] = (name, value)
            return
    attrs.append((name, value))


def _drop(attrs: list, name: str) -> None:
    attrs[:] = [(key, value) for key, value in attrs if key != name]


def rewrite_page(
    text: str,
    resolve: Callable[[str], SourceImage | None],
    url_prefix: str,
    default_sizes: str,
) -> str:
    """The page with its <img> tags rewritten; ``resolve`` maps a src to the
    content image behind it (None: not a content image, left as it is)."""
    tags = find_images(text)
    if not tags:
        return text
    pieces = []
    position = 0
    first_in_main = True
    for tag in tags:
        attrs = list(tag.attrs)
        names = {name for name, _value in attrs}
        source = resolve(dict(attrs).get("src") or "")
        if source is not None and "srcset" not in names:
            _set(attrs, "srcset", source.srcset(url_prefix))
            if "sizes" not in names:
                _set(attrs, "sizes", default_sizes)
        if source is not None and not {"width", "height"} & names:
            _set(attrs, "width", str(source.width))
            _set(attrs, "height", str(source.height))
        if tag.in_main and first_in_main:
            first_in_main = False
            _drop(attrs, "loading")
            _set(attrs, "fetchpriority", "high")
        elif tag.in_main and source is not None:
            _set(attrs, "loading", "lazy")
            _set(attrs, "decoding", "async")
        if attrs != tag.attrs:
            pieces += [text[position : tag.start], _render(attrs)]
            position = tag.end
    pieces.append(text[position:])
    return "".join(pieces)
