"""Hostile and broken input, as a phished staff account or a tired editor
would give it: every kind fails the build with a line naming the file, the
line where known, the field and what to do, all in one run, and nothing is
published.

One build reads every bad file below at once (each kind its own file), so
the run also shows that no problem hides another."""

from __future__ import annotations

import struct
import zlib
from types import SimpleNamespace

import pytest

from conftest import ROOT, run_build_cli
from support import assert_failed_and_kept, error_lines

HEADER = """Title: {title}
Date: 2026-05-04 17:00
Summary: A post written to test what the build refuses.
Image: images/brand/default-share.png
Image_alt: {alt}
Tags: {tags}

"""


def post(body: str, title="A test post", alt="The wordmark", tags="Spilbar") -> str:
    return HEADER.format(title=title, alt=alt, tags=tags) + body + "\n"


def png_header(width: int, height: int) -> bytes:
    """A PNG file that says it is width x height: a few bytes on disk, which
    would be gigabytes in memory if anything decoded it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


DEEP_LIST = "\n".join("\t" * level + "- item" for level in range(1000))
MEMBER = (
    "name: {name}\nsectors: [games]\nregion: Syddanmark\ncity: Odense\n"
    "website: https://{slug}.example\ndescription: A studio made up for a test.\n"
)
ANIMATED_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    '<a><animate attributeName="href" to="javascript:alert(1)"/>'
    '<rect width="10" height="10"/></a></svg>'
)
ESCAPED_CSS_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    '<rect width="10" height="10" fill="url(\\6a avascript:x)"/></svg>'
)
DATA_USE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
    '<use xlink:href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/></svg>'
)


def chunks(count: int) -> bytes:
    """A PNG whose picture is followed by ``count`` empty private chunks."""
    picture = png_header(8, 8)
    end = picture.rindex(b"IEND") - 4
    empty = b"\x00\x00\x00\x00prVt" + (0x9A8E3B24).to_bytes(4, "big")
    return picture[:end] + empty * count + picture[end:]


def animation() -> bytes:
    import io

    from PIL import Image

    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def padded_jpeg() -> bytes:
    """A 64 x 64 JPEG followed by 2 MB of data no picture needs."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "navy").save(buffer, "JPEG")
    return buffer.getvalue() + b"\x00" * 2_000_000


USE_BOMB = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs>'
    '<g id="g0"><rect width="1" height="1"/></g>'
    + "".join(
        f'<g id="g{k}">' + f'<use href="#g{k - 1}"/>' * 10 + "</g>"
        for k in range(1, 10)
    )
    + '</defs><use href="#g9"/></svg>'
)
MANY_FIELDS = "".join(f"Field{n}: {n}\n" for n in range(300))

# file -> (text or bytes, the problem lines it must give)
N = "content/news"
FILES: dict[str, tuple[str | bytes, list[str]]] = {
    "news/meta-refresh.md": (
        post('<meta http-equiv="refresh" content="0;url=https://evil.example">'),
        [f"{N}/meta-refresh.md:8: html: "],
    ),
    "news/base-href.md": (
        post('<base href="https://evil.example/">\n\n[Read on](/news/)'),
        [f"{N}/base-href.md:8: html: "],
    ),
    "news/script.md": (
        post("Text.\n\n<script>alert(document.cookie)</script>"),
        [f"{N}/script.md:10: html: "],
    ),
    "news/iframe.md": (
        post('<iframe src="https://www.youtube.com/embed/x"></iframe>'),
        [f"{N}/iframe.md:8: html: "],
    ),
    "news/handler.md": (
        post('<p onclick="steal()">Click</p>'),
        [f"{N}/handler.md:8: html: "],
    ),
    "news/script-link.md": (
        post("[Win a prize](javascript:alert(1))"),
        [f"{N}/script-link.md:8: html: "],
    ),
    # Markdown escapes a broken comment (<!-->) as text; a conditional one
    # passes through as raw HTML.
    "news/conditional-comment.md": (
        post("Before.\n\n<!--[if IE]><script>x()</script><![endif]-->\n\nAfter."),
        [f"{N}/conditional-comment.md:10: html: "],
    ),
    "news/html-picture.md": (
        post('<img src="https://tracker.example/pixel.gif" alt="">'),
        [
            f"{N}/html-picture.md:8: image: 'https://tracker.example/pixel.gif' is "
            "written in HTML: write pictures in Markdown"
        ],
    ),
    "news/deep-list.md": (
        post(DEEP_LIST),
        [
            f"{N}/deep-list.md:28: text: is nested 1000 levels deep (lists in lists, "
            "or quotes in quotes): use at most 20 levels"
        ],
    ),
    # Found by an outside review: 300,000 nested <q> (900 KB) kept Markdown
    # busy for minutes.
    "news/nested-quotes.md": (
        post("<q>" * 300_000),
        [
            f"{N}/nested-quotes.md:8: text: holds 300,000 '<' signs (HTML tags), "
            "more than any article needs: write it with at most 5,000 HTML tags"
        ],
    ),
    "news/deep-html.md": (
        post("<q>" * 3000),
        [
            f"{N}/deep-html.md:8: text: nests HTML elements 3001 deep, which "
            "browsers struggle to show: use at most 60 levels"
        ],
    ),
    "news/bracket-storm.md": (
        post("[" * 4000 + "x" + "]" * 4000),
        [f"{N}/bracket-storm.md:8: text: holds 4,000 '[' signs (links)"],
    ),
    "news/bell-in-alt.md": (
        post("Text.", alt="The wordmark\x07"),
        [
            f"{N}/bell-in-alt.md:5: Image_alt: contains the control character U+0007, "
            "which no text needs"
        ],
    ),
    "news/emoji-tag.md": (
        post("Text.", tags="Spilbar, 🎮"),
        [
            f"{N}/emoji-tag.md:6: Tags: '🎮' gives no address (each tag gets a page "
            "at /tags/<its name>/): use a name with letters or digits"
        ],
    ),
    "news/huge-picture.md": (
        post("Text.").replace("brand/default-share.png", "news/huge.png"),
        [
            f"{N}/huge-picture.md:4: Image: file 'images/news/huge.png' is too "
            "large a picture (400 megapixels): save it at most 40 megapixels"
        ],
    ),
    "news/big-picture.md": (
        post("Text.").replace("brand/default-share.png", "news/big.png"),
        [
            f"{N}/big-picture.md:4: Image: file 'images/news/big.png' is too large "
            "a picture (12000 x 12000 pixels)"
        ],
    ),
    "news/huge-file.md": (
        post("Text. " * 200_000),
        [f"{N}/huge-file.md: file: is 1.1 MB, more than staff ever write: keep it "],
    ),
    # Two files with one address: both are named (on the one read second).
    "news/twice.md": (post("The first."), [f"{N}/twice."]),
    "news/twice.markdown": (post("The second."), []),
    # Pages that would take an address the site makes itself.
    "pages/feeds.md": (
        "Title: Feeds\nSummary: A page that would hide the list of feeds.\n\nText.\n",
        [
            "content/pages/feeds.md: URL: would be published at /feeds/, where the "
            "site puts the feeds (plugins/social_feeds): give the file another name"
        ],
    ),
    "pages/tags.md": (
        "Title: Tags\nSummary: A page that would hide the list of tags.\n\nText.\n",
        [
            "content/pages/tags.md: URL: would be published at /tags/, where the "
            "site puts a list the site makes (Pelican)"
        ],
    ),
    "members/deep-nesting.yaml": (
        MEMBER.format(name="Deep Nesting", slug="deep-nesting")
        + "social: "
        + "[" * 500
        + "]" * 500
        + "\n",
        ["content/members/deep-nesting.yaml:7: social[1][1][1][1][1][1]: is nested "],
    ),
    "members/nul-byte.yaml": (
        MEMBER.format(name="Nul Byte", slug="nul-byte").replace("Odense", "Od\0ense"),
        [
            "content/members/nul-byte.yaml:4: city: contains the control character "
            "U+0000"
        ],
    ),
    "members/animated-logo.yaml": (
        MEMBER.format(name="Animated Logo", slug="animated-logo")
        + "logo: images/members/animated.svg\n",
        ["content/members/animated-logo.yaml:7: logo: file 'images/members/animated"],
    ),
    "members/escaped-css-logo.yaml": (
        MEMBER.format(name="Escaped Css", slug="escaped-css-logo")
        + "logo: images/members/escaped.svg\n",
        ["content/members/escaped-css-logo.yaml:7: logo: file 'images/members/escap"],
    ),
    "members/data-use-logo.yaml": (
        MEMBER.format(name="Data Use", slug="data-use-logo")
        + "logo: images/members/data-use.svg\n",
        ["content/members/data-use-logo.yaml:7: logo: file 'images/members/data-u"],
    ),
    "members/backslash-website.yaml": (
        MEMBER.format(name="Backslash Site", slug="backslash").replace(
            "https://backslash.example", "https://a.example\\@b.dk/"
        ),
        [
            "content/members/backslash-website.yaml:5: website: "
            "'https://a.example\\@b.dk/' contains a backslash"
        ],
    ),
    # Each picture is refused as a file content/ would publish, too.
    "images/news/huge.png": (
        png_header(20000, 20000),
        ["content/images/news/huge.png: file: is too large a picture"],
    ),
    "images/news/big.png": (
        png_header(12000, 12000),
        ["content/images/news/big.png: file: is too large a picture"],
    ),
    "images/members/animated.svg": (
        ANIMATED_SVG,
        ["content/images/members/animated.svg: file: contains a <a> element"],
    ),
    "images/members/escaped.svg": (
        ESCAPED_CSS_SVG,
        ["content/images/members/escaped.svg: file: its fill attribute contains"],
    ),
    "images/members/data-use.svg": (
        DATA_USE_SVG,
        ["content/images/members/data-use.svg: file: links to another file"],
    ),
    # Found by an outside review: Pelican turns {...} and |...| links into
    # addresses after the HTML was checked, un-escaping what follows, so
    # only plain paths to content files may follow.
    "news/escaped-link.md": (
        post(
            "Read [the recap](|filename|/news/conference-2026-recap&#46;md?&quot;"
            "&gt;&lt;script/src=/images/news/x.js&gt;&lt;/script&gt;)."
        ),
        [
            f"{N}/escaped-link.md:8: html: the link '|filename|/news/"
            "conference-2026-recap.md?\"><script/src=/images/news/x.js></script>' "
            "is not a plain link to a file of the site",
            f"{N}/escaped-link.md:8: link: '|filename|/news/conference-2026-recap&",
        ],
    ),
    "news/index-link.md": (
        post("Intro.\n\n[x]({index}javascript:x?%0Aalert(document.domain))"),
        [
            f"{N}/index-link.md:10: html: the link '{{index}}javascript:x?%0A"
            "alert(document.domain)' is not a plain link to a file of the site"
        ],
    ),
    "news/escape-reference.md": (
        post("A &#27;[31m coloured terminal."),
        [
            f"{N}/escape-reference.md:8: text: contains the control character "
            "U+001B (written as a character reference)"
        ],
    ),
    "members/escaped-control.yaml": (
        MEMBER.format(name="Escaped Control", slug="escaped-control").replace(
            "A studio made up for a test.", '"\\u202Eevil \\x1b[31m"'
        ),
        [
            "content/members/escaped-control.yaml:6: description: contains the "
            "direction override U+202E (written as an escape)"
        ],
    ),
    # Files content/ would publish as they are: pictures, SVG drawings and
    # PDFs only, each checked.
    "images/news/x.js": (
        'document.title = "PWNED-" + document.domain;',
        [
            "content/images/news/x.js: file: is a '.js' file, which the site does "
            "not publish: content/ publishes pictures (JPEG, PNG, WebP, SVG) and "
            "PDF documents only"
        ],
    ),
    "images/news/login.html": (
        '<script src="x.js"></script>',
        ["content/images/news/login.html: file: is a '.html' file"],
    ),
    "images/news/drawing.svg": (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<script href="/images/news/x.js"/></svg>',
        ["content/images/news/drawing.svg: file: links to another file"],
    ),
    "images/news/image-set.svg": (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<rect width="10" height="10" '
        "style=\"mask-image: image-set('http://tracker.example/t.png' 1x)\"/></svg>",
        [
            "content/images/news/image-set.svg: file: its style attribute uses the "
            "CSS function image-set()"
        ],
    ),
    "images/news/cut-off.jpg": (
        (ROOT / "content/images/news/spilbar-odense-march.jpg").read_bytes()[:20_000],
        ["content/images/news/cut-off.jpg: file: cannot be read as an image"],
    ),
    # Found by a second review: a link Pelican rewrites, written inside a
    # title (the backslash keeps it from looking like a link to the checks).
    "news/link-in-title.md": (
        post(
            "Read the [recap](/news/ \"src='{filename\\}/news/conference-2026-"
            "recap&#46;md?&quot;&gt;&lt;meta http-equiv=refresh content=0;"
            "url=https://evil.example&gt;'\")."
        ),
        [
            f"{N}/link-in-title.md:8: link: a link to a file of the site would "
            "change the page's HTML"
        ],
    ),
    "news/static-outside.md": (
        post("[f]({static\\}/../../secret.pdf)"),
        [f"{N}/static-outside.md:8: html: the link '{{static}}/../../secret.pdf'"],
    ),
    "news/many-fields.md": (
        MANY_FIELDS + post("Text."),
        [f"{N}/many-fields.md: file: has 306 fields, far more than the news"],
    ),
    "news/crowded-tag.md": (
        post("<span " + " ".join(f"a{n}" for n in range(40)) + ">x</span>"),
        [f"{N}/crowded-tag.md:8: html: <span> has 40 attributes"],
    ),
    "news/scan-bomb.md": (
        post("Text.").replace("brand/default-share.png", "news/scans.jpg"),
        [f"{N}/scan-bomb.md:4: Image: file 'images/news/scans.jpg' is a JPEG of"],
    ),
    "images/news/scans.jpg": (
        b"\xff\xd8" + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" * 100,
        ["content/images/news/scans.jpg: file: is a JPEG of 100 scans"],
    ),
    "images/news/metadata.jpg": (
        b"\xff\xd8" + b"\xff\xef\x00\x02" * 300 + b"\xff\xd9",
        ["content/images/news/metadata.jpg: file: is a JPEG with more than 256"],
    ),
    "images/news/chunks.png": (
        chunks(60_000),
        ["content/images/news/chunks.png: file: is a PNG of more than 50,000 parts"],
    ),
    "images/news/moving.webp": (
        animation(),
        ["content/images/news/moving.webp: file: is an animation"],
    ),
    "images/news/padded.jpg": (
        padded_jpeg(),
        ["content/images/news/padded.jpg: file: is 1.9 MB for a picture of 64 x 64"],
    ),
    "images/news/use-bomb.svg": (
        USE_BOMB,
        ["content/images/news/use-bomb.svg: file: repeats a part that itself"],
    ),
    "members/other-network.yaml": (
        MEMBER.format(name="Other Network", slug="other-network")
        + "social:\n  linkedin: https://evil.example/in/other-network\n",
        [
            "content/members/other-network.yaml:8: social.linkedin: "
            "'https://evil.example/in/other-network' goes to 'evil.example', not "
            "to linkedin.com"
        ],
    ),
    "members/noncharacter.yaml": (
        MEMBER.format(name="Noncharacter", slug="noncharacter").replace(
            "Odense", '"Ode\\uffffnse"'
        ),
        ["content/members/noncharacter.yaml:4: city: contains the noncharacter U+FFFF"],
    ),
    # Saved by Notepad or Word: a byte order mark first. Accepted.
    "news/byte-order-mark.md": ("\ufeff" + post("Saved by Notepad."), []),
}
SVG_FIX = "export the logo again as a plain SVG, or use a PNG"


@pytest.fixture(scope="module")
def failed(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    content = base / "content"
    import shutil

    shutil.copytree(ROOT / "content", content)
    for relative, (data, _lines) in FILES.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    output = base / "output"
    output.mkdir()
    (output / "index.html").write_text("<p>the site as it was</p>", "utf-8")
    result = run_build_cli(content, output)
    return SimpleNamespace(result=result, output=output, lines=error_lines(result))


def test_nothing_is_published(failed):
    from support import PREVIOUS_SITE

    (failed.output / "index.html").write_text(PREVIOUS_SITE, "utf-8")
    assert_failed_and_kept(failed.result, failed.output)
    assert "Traceback" not in failed.result.stderr


@pytest.mark.parametrize("relative", [f for f in FILES if FILES[f][1]])
def test_each_kind_is_one_located_line_with_what_to_do(failed, relative):
    expected = FILES[relative][1]
    for start in expected:
        found = [line for line in failed.lines if line.startswith(start)]
        assert len(found) == 1, f"{start!r} not once in:\n" + "\n".join(failed.lines)
        _where, field, _rest = found[0].split(": ", 2)
        assert field, found
        assert found[0].count(": ") >= 3, f"no 'what to do' part: {found[0]}"
    svg = relative.endswith("-logo.yaml")
    if svg:
        [line] = [x for x in failed.lines if x.startswith(expected[0])]
        assert SVG_FIX in line


def test_two_files_with_one_address_are_both_named(failed):
    [line] = [x for x in failed.lines if x.startswith(f"{N}/twice.")]
    assert ": URL: would be published at /news/twice/, and so would " in line
    assert f"{N}/twice.md" in line and f"{N}/twice.markdown" in line
    assert "give one of them another file name" in line


def test_a_byte_order_mark_is_read_as_the_file_it_starts(failed):
    assert not [x for x in failed.lines if "byte-order-mark" in x]


def test_every_line_names_a_file(failed):
    assert failed.lines
    stray = [
        line
        for line in failed.result.stderr.splitlines()[1:-1]
        if not line.startswith("content/")
    ]
    assert not stray, stray


def test_a_file_of_another_site_is_never_read_for_its_size(failed):
    """The 20,000 x 20,000 picture was refused from its header: the build
    stayed small (no decompression bomb)."""
    assert "DecompressionBomb" not in failed.result.stderr


def test_the_hostile_files_are_all_that_is_wrong(failed):
    expected = [line for _data, lines in FILES.values() for line in lines]
    unexplained = [
        line for line in failed.lines if not any(line.startswith(e) for e in expected)
    ]
    assert not unexplained, "\n".join(unexplained)


def test_html_problems_say_what_to_do_instead(failed):
    lines = {
        name: next(x for x in failed.lines if f"/{name}.md:" in x)
        for name in ("iframe", "script", "meta-refresh", "script-link")
    }
    assert "poster" in lines["iframe"] or "link to it" in lines["iframe"]
    for line in lines.values():
        assert line.split(": html: ", 1)[1].count(": ") >= 1, line


# Hypothesis's garbage-collector callback may swallow the limit's first
# signal (the limit fires again: see the test after this one).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_text_that_keeps_markdown_busy_is_stopped(monkeypatch, scratch_session):
    """Some Markdown makes Python-Markdown work far longer than the text is
    long (30,000 emphasised words: over ten seconds); each text gets a time
    limit (shortened here), after which it is a located problem."""
    import importlib

    convert = importlib.import_module("content_model.convert")  # the module
    monkeypatch.setattr(convert, "CONVERT_SECONDS", 0.3)
    result = convert._convert("*a* " * 30_000, "news/x.md", str(ROOT / "content"), True)
    [(_snippet, field, message, allowed)] = result.problems
    assert field == "text" and message.startswith("took more than 0.3 seconds")
    assert result.html == ""


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_time_limit_holds_when_its_first_signal_is_lost(
    monkeypatch, scratch_session
):
    """Python drops an exception raised inside a garbage collector's callback
    (Hypothesis installs one): the limit must fire again."""
    import gc
    import importlib
    import signal
    import time

    convert = importlib.import_module("content_model.convert")
    monkeypatch.setattr(convert, "CONVERT_SECONDS", 0.3)
    calls = []

    def slow_callback(_phase, _info):  # the first signal arrives in here
        if not calls and signal.getitimer(signal.ITIMER_REAL)[0] > 0:
            calls.append(1)
            time.sleep(0.5)

    gc.callbacks.append(slow_callback)
    try:
        result = convert._convert(
            "*a* " * 30_000, "news/x.md", str(ROOT / "content"), True
        )
    finally:
        gc.callbacks.remove(slow_callback)
    assert calls
    [(_snippet, field, message, _allowed)] = result.problems
    assert field == "text" and message.startswith("took more than 0.3 seconds")


def test_feed_items_carry_only_checked_html():
    from content_model.html_policy import check_body_html, clean_feed_html

    hostile = '<p onclick="x()">a</p><script>alert(1)</script><base href="//e">'
    assert check_body_html(hostile)
    cleaned = clean_feed_html(hostile)
    assert "script" not in cleaned and "onclick" not in cleaned
    assert "base" not in cleaned
    assert check_body_html(cleaned) == []


def test_twenty_levels_of_list_are_allowed_and_the_next_is_found_on_its_line():
    from content_model.convert import MAX_NESTING, nesting

    def nested(levels: int) -> str:
        return "\n".join("    " * level + "- item" for level in range(levels))

    assert nesting(nested(MAX_NESTING)) == (MAX_NESTING, 0)
    assert nesting("Intro.\n\n" + nested(MAX_NESTING + 1)) == (MAX_NESTING + 1, 23)
    assert nesting("> " * (MAX_NESTING + 1) + "quoted") == (MAX_NESTING + 1, 1)
