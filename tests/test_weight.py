"""Weight of every page of the built site, images excluded: the HTML and the
CSS, JavaScript and fonts it loads add up to at most 100 KB uncompressed, and
the JavaScript to at most 15 KB. Every <img> states its width, height and alt
text, so the layout does not jump and screen readers have a description."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

PAGE_LIMIT = 100 * 1024
JS_LIMIT = 15 * 1024
FONT_URL = re.compile(r"""url\(\s*['"]?([^'")]+\.(?:woff2?|ttf|otf|eot))""")
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s]+)""")


def local_file(root: Path, base: Path, url: str) -> Path:
    """The output file behind a URL in a page or a stylesheet."""
    path = unquote(urlsplit(url).path)
    target = root / path.lstrip("/") if path.startswith("/") else base.parent / path
    assert target.is_file(), f"{url} points at no file"
    return target


def page_weight(site, file: Path) -> dict[str, int]:
    soup = site.soup(file)
    css = [
        local_file(site.root, file, link["href"])
        for link in soup.select('link[rel~="stylesheet"][href]')
    ]
    js = [local_file(site.root, file, s["src"]) for s in soup.select("script[src]")]
    fonts: set[Path] = set()
    seen: set[Path] = set()
    while css:  # stylesheets and what they @import
        sheet = css.pop()
        if sheet in seen:
            continue
        seen.add(sheet)
        text = sheet.read_text(encoding="utf-8")
        css += [local_file(site.root, sheet, u) for u in CSS_IMPORT.findall(text)]
        fonts |= {local_file(site.root, sheet, u) for u in FONT_URL.findall(text)}
    weights = {
        "html": file.stat().st_size,
        "css": sum(p.stat().st_size for p in seen),
        "js": sum(p.stat().st_size for p in set(js)),
        "fonts": sum(p.stat().st_size for p in fonts),
    }
    weights["total"] = sum(weights.values())
    return weights


def test_every_page_weighs_at_most_100_kb(site):
    heavy = []
    for file in site.html_files:
        weights = page_weight(site, file)
        assert weights["css"] > 0, f"{site.url_of(file)} loads no stylesheet"
        if weights["total"] > PAGE_LIMIT:
            heavy.append(f"{site.url_of(file)}: {weights}")
    assert not heavy, f"pages over {PAGE_LIMIT} bytes:\n" + "\n".join(heavy)


def test_javascript_of_every_page_is_at_most_15_kb(site):
    heavy = [
        f"{site.url_of(file)}: {weight} bytes"
        for file in site.html_files
        if (weight := page_weight(site, file)["js"]) > JS_LIMIT
    ]
    assert not heavy, f"pages with over {JS_LIMIT} bytes of JavaScript:\n" + "\n".join(
        heavy
    )


def test_every_img_has_width_height_and_alt(site):
    problems, count = [], 0
    for file in site.html_files:
        for img in site.soup(file).find_all("img"):
            count += 1
            for attribute in ("width", "height"):
                if not re.fullmatch(r"[1-9][0-9]*", img.get(attribute) or ""):
                    problems.append(f"{site.url_of(file)}: {attribute}= missing: {img}")
            if img.get("alt") is None:
                problems.append(f"{site.url_of(file)}: alt= missing: {img}")
    assert count > len(site.html_files)  # at least the logo on every page
    assert not problems, "\n".join(problems)
