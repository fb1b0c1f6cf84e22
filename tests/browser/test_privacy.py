"""No third-party requests and no cookies: Chromium records every request
each page makes (after scrolling, so lazy images load too) and the cookies it
was given. Console errors are failures too: a style or script our
Content-Security-Policy blocks, or a file that is missing, shows up there."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tooling import WIDTH_PARAMS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTH_PARAMS)
def test_pages_request_nothing_from_other_hosts(visits, base_url, width):
    ours = urlsplit(base_url).netloc
    elsewhere = visits(width).per_page(
        lambda visit: (
            url
            for url in visit.requests
            if urlsplit(url).scheme != "data" and urlsplit(url).netloc != ours
        )
    )
    assert not elsewhere, "requests to other hosts:\n" + "\n".join(elsewhere)
    # The recording works: every page asked for at least its stylesheet.
    for visit in visits(width).pages.values():
        assert any(".css" in url for url in visit.requests), visit.url_path


@pytest.mark.parametrize("width", WIDTH_PARAMS)
def test_no_cookies(visits, width):
    site_visits = visits(width)
    assert site_visits.cookies == []
    with_cookies = [p for p, v in site_visits.pages.items() if v.document_cookie]
    assert not with_cookies, f"pages with cookies: {with_cookies}"


@pytest.mark.parametrize("width", WIDTH_PARAMS)
def test_pages_run_under_the_csp_without_console_errors(visits, width):
    errors = visits(width).per_page(lambda visit: visit.console_errors)
    assert not errors, "console errors:\n" + "\n".join(errors)
