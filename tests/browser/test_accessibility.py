"""axe-core in headless Chromium: every HTML page of the sample site, at a
phone width and a desktop width, with the WCAG 2.0/2.1/2.2 A and AA rules
(EN 301 549, which Danish law asks for)."""

from __future__ import annotations

import pytest

from tooling import WIDTH_PARAMS

pytestmark = pytest.mark.browser


def describe(violation: dict) -> str:
    targets = " | ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    more = len(violation["nodes"]) - 5
    if more > 0:
        targets += f" (and {more} more)"
    return f"{violation['id']} ({violation['impact']}): {violation['help']}: {targets}"


@pytest.mark.parametrize("width", WIDTH_PARAMS)
def test_every_page_is_checked_and_loads(site, visits, width):
    pages = visits(width).pages
    assert sorted(pages) == sorted(site.url_of(f) for f in site.html_files)
    assert "/" in pages and "/404.html" in pages
    failed = {
        path: visit.status for path, visit in pages.items() if visit.status != 200
    }
    assert not failed, f"pages that did not load: {failed}"


@pytest.mark.parametrize("width", WIDTH_PARAMS)
def test_no_page_violates_wcag_a_or_aa(visits, width):
    problems = visits(width).per_page(lambda visit: map(describe, visit.violations))
    assert not problems, f"axe-core at {width} px:\n" + "\n".join(problems)
