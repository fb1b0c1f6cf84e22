"""The dark colour scheme, in headless Chromium asking for it
(prefers-color-scheme: dark): the page is dark, and axe finds nothing on one
page of each type (tests/audit.py's PAGE_TYPES, and a press release, a topic
and the page for a missing address) at a desktop width, and on those with
controls of their own on a phone at a phone's width."""

from __future__ import annotations

import pytest

from audit import PAGE_TYPES, resolve_pages
from tooling import HEIGHT, WCAG_TAGS, WIDTHS

pytestmark = pytest.mark.browser

MORE_PAGES = {"press": "/press/*/", "topic": "/tags/*/", "missing": "/404.html"}
# At a phone's width, the pages with controls of their own there (the menu
# button, the member filters' "More filters"); colours are the same at
# every width, so the other types are checked at a desktop's.
PHONE_PAGES = ("home", "members")

# The relative luminance (WCAG) of the page's background and its text.
_LUMINANCE = """() => {
  const channel = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  const of = value => {
    const [r, g, b] = value.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const style = getComputedStyle(document.body);
  return {background: of(style.backgroundColor), text: of(style.color)};
}"""


@pytest.fixture(scope="module")
def dark_pages(site, base_url, browser):
    """{(width, type): axe violations} of each page, visited dark, and the
    luminance of each page's background and text."""
    from axe_playwright_python.sync_playwright import Axe

    patterns = {**PAGE_TYPES, **MORE_PAGES}
    pages = resolve_pages(site.root, list(patterns), patterns)
    axe = Axe()
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    found = {}
    for width in WIDTHS.values():
        context = browser.new_context(
            viewport={"width": width, "height": HEIGHT}, color_scheme="dark"
        )
        page = context.new_page()
        for name, path in pages.items():
            if width == WIDTHS["phone"] and name not in PHONE_PAGES:
                continue
            page.goto(base_url + path, wait_until="load")
            violations = axe.run(page, options=options).response["violations"]
            found[width, name] = (violations, page.evaluate(_LUMINANCE))
        context.close()
    return found


def test_every_page_type_is_dark_when_the_visitor_asks(dark_pages):
    light = {
        key: seen
        for key, (_violations, seen) in dark_pages.items()
        if not (seen["background"] < 0.05 and seen["text"] > 0.6)
    }
    assert len(dark_pages) == len(PAGE_TYPES) + len(MORE_PAGES) + len(PHONE_PAGES)
    assert not light, f"not dark (relative luminance of background and text): {light}"


def test_no_page_type_violates_wcag_when_dark(dark_pages):
    problems = [
        f"{name} at {width} px: {v['id']}: {v['help']}: "
        + " | ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for (width, name), (violations, _seen) in dark_pages.items()
        for v in violations
    ]
    assert not problems, "axe-core, dark colour scheme:\n" + "\n".join(problems)
