"""make serve's panel: when a save cannot be built, the last good page lists
the problems over itself (theme/static/js/build-problems.js), under the
site's Content-Security-Policy, and shows nothing once a save builds."""

from __future__ import annotations

import pytest

from tooling import headers_for, parse_headers_file

pytestmark = pytest.mark.browser

PROBLEM = {
    "path": "content/news/spilbar-odense.md",
    "line": 2,
    "field": "Date",
    "message": "'4/5/2026' is not a valid date and time",
    "allowed": "use YYYY-MM-DD HH:MM, Copenhagen time",
}


def open_panel_page(site, new_page, problems):
    """A page as make serve serves it (the script with its texts), with the
    site's headers, and the server's answer about the last build."""
    [script] = (site.root / "theme/js").glob("build-problems.*.js")
    html = (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>t</title>"
        f'<script src="/theme/js/{script.name}" data-heading="The last save was '
        'not built" data-fix="What to do:" defer></script></head>'
        "<body><main><h1>The last good page</h1></main></body></html>"
    )
    headers = {
        **headers_for("/about/", parse_headers_file()),
        "Content-Type": "text/html",
    }
    page = new_page(1280)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.route("**/served/", lambda route: route.fulfill(body=html, headers=headers))
    page.route("**/_build/problems.json", lambda route: route.fulfill(json=problems))
    page.goto("/served/")
    page.wait_for_load_state("networkidle")
    return page, errors


def test_the_panel_lists_each_problem_with_what_to_do(site, new_page):
    page, errors = open_panel_page(site, new_page, [PROBLEM])
    panel = page.locator(".build-problems[role=alert]")
    assert panel.is_visible()
    assert panel.locator("h2").inner_text() == "The last save was not built"
    item = panel.locator("li")
    assert item.count() == 1
    text = item.inner_text()
    assert text.startswith("content/news/spilbar-odense.md:2 Date: '4/5/2026'")
    assert "What to do: use YYYY-MM-DD HH:MM, Copenhagen time" in text
    assert page.locator("h1").inner_text() == "The last good page"  # still there
    assert errors == []  # nothing the policy blocked


def test_no_panel_when_the_last_save_built(site, new_page):
    page, errors = open_panel_page(site, new_page, [])
    assert page.locator(".build-problems").count() == 0
    assert errors == []
