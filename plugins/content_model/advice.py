"""Advice: what a build publishes as written, but a careful editor would
mend. `invoke check` lists it with the problems (which fail a build); a
build only counts it.

- headings: a `#` heading (a second main heading: the title is the page's
  h1), or a heading that skips a level;
- link text that says nothing out of context ("click here"): screen
  readers list a page's links on their own;
- a featured picture under 1,200 pixels wide (blurred on large screens and
  in link previews) or over 5 MB;
- tags that nearly match another tag ("Spilbarr" beside "Spilbar"), which
  make a topic of their own;
- files in content/ that the build ignores (a .docx or .txt among the news);
- Markdown published as it was typed (a picture, link, bold words, heading,
  list item or table row inside an HTML block that does not read Markdown
  or with no empty line before it, a timeline entry Markdown did not take
  as one, a code block's ``` in a quote or a list).
"""

from __future__ import annotations

import difflib
import fnmatch
import itertools
import os
import re
from collections import defaultdict

from .validate import Issue, line_of

MIN_PICTURE_WIDTH = 1200
MAX_PICTURE_MB = 5
VAGUE_LINKS = frozenset(
    {"click here", "here", "read more", "more", "link", "this link", "this", "go"}
)
CLOSE_TAGS = 0.85  # how alike two tag names are before one looks like a typo
# Bounded, as each is looked for from every start tag: a text of headings or
# links never closed would be read to its end from each (found by a review).
_HEADING = re.compile(r"<h([1-6])\b[^>]{0,1000}>(.{0,2000}?)</h\1>", re.S)
_LINK = re.compile(r"<a\b[^>]{0,1000}>(.{0,2000}?)</a>", re.S)
_TAG = re.compile(r"<[^>]+>")
_CODE_START = re.compile(r"<(pre|code)\b")
# Markdown left as typed in the HTML: a picture, a link, bold words, or a
# line starting as a heading, list item or table row (in an HTML block, or
# with no empty line before), as a timeline entry, or with the ``` of a code
# block (which Markdown reads only at the start of a line).
_TYPED = re.compile(
    r"!\[[^\]<>]{0,500}\]\([^)<>\s]{0,2000}\)|\[[^\]<>]{1,500}\]\([^)<>\s]{1,2000}\)"
    r"|\*\*[^*<>\n]+\*\*"
    r"|(?:<p>|\n)(?::(?=\s|\w\w)|```|#{1,6} |[-*+] |\|(?=[^<\n]*\|))[^<\n]*"
)
MAX_TYPED = 3  # reported per file: the first few say what to mend
MAX_TYPED_LOOKED = 50  # matches looked at for them (each is found in the text)
# What typed Markdown (by its first character) was meant as, and the fix.
_INSIDE_HTML = (
    'inside HTML, Markdown is read only in <div class="gallery">, <div '
    'class="people"> and a block whose first tag has markdown="1", such as '
    '<details markdown="1">'
)
_TYPED_FIXES = {
    "`": (
        "the start or end of a code block",
        "Markdown reads ``` only at the start of a line: in a quote or a list, "
        "show code by indenting it four spaces more than the text around it",
    ),
    ":": (
        "a timeline entry",
        "a timeline entry is its date on one line, then ':   ' and its text on "
        "the next, with an empty line before the next date",
    ),
    "": ("a picture, link or bold words", _INSIDE_HTML),
    "#": ("a heading", _INSIDE_HTML),
    "-": ("a list item", f"leave an empty line before a list; {_INSIDE_HTML}"),
    "|": (
        "a table row",
        "leave an empty line before a table, with a line such as | --- | --- | "
        f"under its first row; {_INSIDE_HTML}",
    ),
}


def _without_code(html: str) -> str:
    """``html`` without its <pre> and <code> elements (what they show is
    meant as typed), in one pass: an element never closed keeps the rest."""
    parts, at, unclosed = [], 0, set()
    for start in _CODE_START.finditer(html):
        name = start.group(1)
        if start.start() < at or name in unclosed:
            continue
        end = html.find(f"</{name}>", start.end())
        if end < 0:
            unclosed.add(name)
            continue
        parts.append(html[at : start.start()])
        at = end + len(name) + 3
    return "".join([*parts, html[at:]])


def _text(html: str) -> str:
    return " ".join(_TAG.sub("", html).split())


def text_advice(text: str, html: str, values: dict, body_line: int) -> list[Issue]:
    """Advice about one Markdown file: its headings, links and picture."""
    found = []
    level = 1  # the title
    for match in _HEADING.finditer(html):
        this, words = int(match.group(1)), _text(match.group(2))
        line = line_of(text, words[:30], body_line) or body_line
        if this == 1:
            found.append(
                Issue(
                    line,
                    "heading",
                    f"'# {words}' makes a second main heading (the title is "
                    "the page's main heading)",
                    f"start it with '## ': ## {words}",
                )
            )
        elif this > level + 1:
            found.append(
                Issue(
                    line,
                    "heading",
                    f"'{words}' jumps from level {level} to level {this}, which "
                    "screen-reader users use to find their way",
                    f"write it with {'#' * (level + 1)} (one level below the "
                    "heading before it)",
                )
            )
        level = this
    for match in _LINK.finditer(html):
        words = _text(match.group(1))
        if words.lower().strip(" .:!") in VAGUE_LINKS:
            found.append(
                Issue(
                    line_of(text, f"[{words}]", body_line) or body_line,
                    "link",
                    f"the link text '{words}' says nothing on its own (screen "
                    "readers list a page's links out of context)",
                    "say where it leads: [the Growing Games application form](...)",
                )
            )
    typed_found: list[Issue] = []
    for match in itertools.islice(
        _TYPED.finditer(_without_code(html)), MAX_TYPED_LOOKED
    ):
        if len(typed_found) == MAX_TYPED:
            break
        typed = match.group(0).removeprefix("<p>").lstrip("\n")
        kind = "-" if typed[:2] in ("- ", "* ", "+ ") else typed[0]
        what, fix = _TYPED_FIXES.get(kind, _TYPED_FIXES[""])
        # Found by as much of it as the text holds as written (alt texts that
        # start alike were all found on the first one's line).
        line = line_of(text, typed[:200], body_line) or line_of(
            text, typed[:30], body_line
        )
        issue = Issue(
            line or body_line,
            "text",
            f"'{typed[:50]}' is published as typed, not as {what}",
            fix,
        )
        last = typed_found[-1] if typed_found else None
        if issue in typed_found or (  # a code block's two ```, a table's rows
            last and last.allowed == fix and last.line == issue.line - 1
        ):
            continue
        typed_found.append(issue)
    found += typed_found
    width, size = values.get("image_width"), values.get("image_bytes")
    where = line_of(text, "Image:", 1)
    if width and width < MIN_PICTURE_WIDTH:
        found.append(
            Issue(
                where,
                "Image",
                f"is {width:,} pixels wide: it looks blurred on large screens "
                "and in link previews",
                f"use a picture at least {MIN_PICTURE_WIDTH:,} pixels wide",
            )
        )
    if size and size > MAX_PICTURE_MB * 1_000_000:
        found.append(
            Issue(
                where,
                "Image",
                f"is {size / 1_000_000:.1f} MB; the site publishes smaller copies, "
                "but a file this large slows down everyone who edits the site",
                f"save it at most {MAX_PICTURE_MB} MB, about 2,400 pixels wide",
            )
        )
    return found


def tag_advice(articles, slugify) -> list[tuple[str, Issue]]:
    """(file, advice) for each use of a tag that nearly matches a more used
    one, or is written otherwise than another use of the same topic."""
    uses: dict[str, list] = defaultdict(list)
    for article in articles:
        for tag in getattr(article, "tags", ()):
            uses[tag.name].append(article)
    names = sorted(uses, key=lambda n: (-len(uses[n]), n))  # most used first
    slugs = {name: slugify(name) for name in names}
    found = []
    for rank, name in enumerate(names):
        close = difflib.SequenceMatcher(None, name.lower())
        for other in names[:rank]:
            same_topic = slugs[name] == slugs[other]
            close.set_seq2(other.lower())
            # Each ratio is at most the one before it: the quick ones (by
            # lengths, by letters) rule out most pairs of a site's tags.
            if not same_topic and (
                close.real_quick_ratio() < CLOSE_TAGS
                or close.quick_ratio() < CLOSE_TAGS
                or close.ratio() < CLOSE_TAGS
            ):
                continue
            count = len(uses[other])
            message = (
                f"'{name}' is written otherwise than the tag '{other}'"
                if same_topic
                else f"'{name}' is close to the tag '{other}', which makes a "
                "topic of its own"
            )
            for article in uses[name]:
                found.append(
                    (
                        article.source_path,
                        Issue(
                            line_of(_read(article.source_path), "Tags:", 1),
                            "Tags",
                            f"{message} (used by {count} "
                            f"{'item' if count == 1 else 'items'})",
                            f"did you mean '{other}'?",
                        ),
                    )
                )
            break
    return found


EXTERNAL_TIMEOUT = 10  # seconds for one address
_EXTERNAL = re.compile(r'href="(https?://[^"]+)"')


def external_links(items) -> dict[str, list[tuple[str, str]]]:
    """Every address on another site the items link to: {address: [(file,
    address as written), ...]}."""
    import html

    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in items:
        for written in set(_EXTERNAL.findall(getattr(item, "_content", "") or "")):
            found[html.unescape(written)].append((item.source_path, written))
    return found


def dead(address: str) -> str | None:
    """What is wrong with an address on another site ('answers 404', 'could
    not be reached: ...'), or None when it answers."""
    import urllib.error
    import urllib.request

    headers = {"User-Agent": "Mozilla/5.0 (link check of interactivedenmark.dk)"}
    for method in ("HEAD", "GET"):  # some servers refuse HEAD
        request = urllib.request.Request(address, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=EXTERNAL_TIMEOUT):
                return None
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue
            return f"answers {error.code} ({error.reason})"
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return f"could not be reached ({reason})"
    return None


def external_advice(items) -> tuple[list[tuple[str, Issue]], int]:
    """(file, advice) for each link to another site that does not answer,
    the addresses asked a few at a time; and how many were asked."""
    from concurrent.futures import ThreadPoolExecutor

    links = external_links(items)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = dict(zip(links, pool.map(dead, links), strict=True))
    found = []
    for address, problem in sorted(answers.items()):
        for path, written in links[address] if problem else ():
            text = _read(path)
            found.append(
                (
                    path,
                    Issue(
                        line_of(text, written) or line_of(text, address),
                        "link",
                        f"{address!r} {problem}",
                        "check the address in a browser; mend it, or remove the link",
                    ),
                )
            )
    return found, len(links)


def _read(path: str) -> str:
    with open(path, encoding="utf-8-sig") as handle:
        return handle.read()


def ignored_files(content_root: str, sections, ignore_patterns) -> list[str]:
    """Files in a section's folder the build does not read: a Word document
    or a text file beside the Markdown."""
    found = []
    for section in sections:
        top = os.path.join(content_root, section.folder)
        for folder, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
            for name in sorted(names):
                if name.startswith((".", "_")) or any(
                    fnmatch.fnmatch(name, p) for p in ignore_patterns
                ):
                    continue
                suffix = os.path.splitext(name)[1]
                if suffix not in (section.suffix, ".markdown", ".mkd", ".mdown"):
                    found.append(os.path.join(folder, name))
    return found
