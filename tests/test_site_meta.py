"""security.txt (RFC 9116), robots.txt and sitemap.xml of the built site, and
the checks of the SITE_META setting."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

import site_build
from build_errors import BuildFailed
from conftest import ROOT, SITE_NOW, build_into
from site_build import site_now
from site_meta import security_txt
from site_meta.settings import DEFAULTS, check_settings
from support import assert_setting_problem

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def settings():
    return site_build.load_settings(str(ROOT / "pelicanconf.py"))


def fields(text: str) -> dict[str, list[str]]:
    """RFC 9116 'Name: value' lines (comments start with #)."""
    result: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, value = line.partition(": ")
            assert sep, f"not a field line: {line!r}"
            result.setdefault(name, []).append(value)
    return result


def test_security_txt_follows_rfc_9116(production_site):
    config = settings()["SITE_META"]
    path = production_site.root / ".well-known" / "security.txt"
    found = fields(path.read_text(encoding="utf-8"))

    assert found["Contact"] == config["security_contacts"]
    assert len(found["Expires"]) == 1
    expires = datetime.fromisoformat(found["Expires"][0].replace("Z", "+00:00"))
    now = datetime.fromisoformat(SITE_NOW)
    # The day of the build, at midnight UTC: every build of a day writes the
    # same file.
    day = now.astimezone(UTC).date() + timedelta(days=config["expires_days"])
    assert expires == datetime.combine(day, time(), UTC)
    assert now < expires < now + timedelta(days=365)
    assert found["Expires"][0].endswith("Z")  # RFC 3339 in UTC
    assert found["Canonical"] == [f"{production_site.siteurl}/.well-known/security.txt"]
    assert found["Preferred-Languages"] == [", ".join(config["preferred_languages"])]


def test_expires_comes_from_site_now(monkeypatch):
    config = check_settings(
        {"SITE_META": {"security_contacts": ["mailto:a@example.org"]}}
    ).values
    monkeypatch.setenv("SITE_NOW", "2027-03-01T09:00:00+01:00")
    now = site_now({"SITE_NOW": "2020-01-01T00:00:00+01:00"})  # env wins
    assert now == datetime.fromisoformat("2027-03-01T09:00:00+01:00")
    text = security_txt(config, "https://example.org", now)
    assert DEFAULTS["expires_days"] == 180
    assert fields(text)["Expires"] == ["2027-08-28T00:00:00Z"]


def test_site_now_falls_back_to_the_setting_then_the_clock(monkeypatch):
    monkeypatch.delenv("SITE_NOW", raising=False)
    assert site_now({"SITE_NOW": "2026-05-01T10:00:00"}).utcoffset() == timedelta(
        hours=2
    )  # naive values are Copenhagen time (summer time here)
    before = datetime.now().astimezone()
    assert before <= site_now({"SITE_NOW": ""}) <= datetime.now().astimezone()


def test_a_bad_site_now_fails_the_build(monkeypatch, tmp_path):
    monkeypatch.setenv("SITE_NOW", "27/11/2026")
    with pytest.raises(BuildFailed) as failed:
        build_into(tmp_path / "out", PATH=str(ROOT / "content"))
    assert (
        "pelicanconf.py: SITE_NOW: site_build: invalid value '27/11/2026' "
        "(setting or environment): an ISO date and time such as"
    ) in str(failed.value)


def test_robots_txt_points_at_the_sitemap(production_site, site):
    config = settings()["SITE_META"]
    for built in (production_site, site):
        text = (built.root / "robots.txt").read_text(encoding="utf-8")
        lines = text.splitlines()
        assert lines[0] == "User-agent: *"
        assert [line for line in lines if line.startswith("Disallow:")] == [
            f"Disallow: {path}" for path in config["robots_disallow"]
        ]
        # Absolute even in development, where SITEURL is empty.
        assert f"Sitemap: {production_site.siteurl}/sitemap.xml" in lines


def sitemap_locations(built) -> list[str]:
    tree = ET.parse(built.root / "sitemap.xml")
    return [loc.text for loc in tree.getroot().findall("s:url/s:loc", SITEMAP_NS)]


def test_sitemap_lists_every_page_but_the_404(production_site):
    locations = sitemap_locations(production_site)
    pages = {
        production_site.siteurl + production_site.url_of(file)
        for file in production_site.html_files
        if file.name != "404.html"
    }
    assert len(locations) == len(set(locations))
    assert set(locations) == pages
    assert all(loc.startswith("https://") for loc in locations)


def sitemap_dates(built) -> dict[str, str | None]:
    tree = ET.parse(built.root / "sitemap.xml")
    return {
        url.find("s:loc", SITEMAP_NS).text: getattr(
            url.find("s:lastmod", SITEMAP_NS), "text", None
        )
        for url in tree.getroot().findall("s:url", SITEMAP_NS)
    }


def item_dates(built, soup) -> list[str]:
    """The Modified (else the Date) of each item a listing shows, from the
    items' own pages."""
    dates = []
    for link in soup.select("main article h2 a, main article h3 a"):
        page = built.soup(built.path(link["href"].removeprefix(built.siteurl)))
        meta = page.find("meta", property="article:modified_time")
        dates.append(meta["content"])
    return dates


def test_each_page_is_dated_by_its_content_never_by_the_build(production_site):
    dates = sitemap_dates(production_site)
    for location, lastmod in dates.items():
        soup = production_site.soup(
            production_site.path(location.removeprefix(production_site.siteurl))
        )
        modified = soup.find("meta", property="article:modified_time")
        if modified is not None:  # an item: its Modified, else its Date
            assert lastmod == modified["content"], location
        elif location.endswith(("/news/", "/news/page/2/", "/tags/spilbar/")):
            assert lastmod == max(item_dates(production_site, soup)), location
    assert dates[production_site.siteurl + "/"] == max(filter(None, dates.values()))
    # Pages that list nothing dated have no date to give.
    assert dates[production_site.siteurl + "/about/"] is None
    # Nothing is dated by the day of the build.
    day = SITE_NOW[:10]
    assert not [loc for loc, d in dates.items() if d and d.startswith(day)]


def test_the_same_content_gives_the_same_sitemap_on_another_day(
    tmp_path, production_site, monkeypatch
):
    monkeypatch.setenv("SITE_NOW", "2026-12-24T08:00:00+01:00")
    output = tmp_path / "later"
    build_into(output, "publishconf.py", PATH=str(ROOT / "content"))
    later = (output / "sitemap.xml").read_bytes()
    assert later == (production_site.root / "sitemap.xml").read_bytes()


def test_headers_file_is_copied_to_the_output(site):
    headers = Path(settings()["SITE_META"]["headers_file"])
    assert (site.root / "_headers").read_bytes() == headers.read_bytes()


def test_a_bad_setting_fails_the_build_and_the_next_build_has_a_full_sitemap(
    tmp_path, site
):
    with pytest.raises(BuildFailed) as failed:
        build_into(
            tmp_path / "bad",
            PATH=str(ROOT / "content"),
            SITE_META={**settings()["SITE_META"], "expires_days": 400},
        )
    message = str(failed.value)
    assert (
        "pelicanconf.py: SITE_META['expires_days']: site_meta: invalid value 400"
        in (message)
    )
    assert "from 1 to 364" in message
    assert not (tmp_path / "bad").exists()

    # A failed build in the same process (make serve, tests) leaves the next
    # one a full sitemap, without stale pages.
    build_into(tmp_path / "good", PATH=str(ROOT / "content"))
    good = type(site)(tmp_path / "good")
    assert sorted(sitemap_locations(good)) == sorted(sitemap_locations(site))
    assert len(sitemap_locations(good)) == len(site.html_files) - 1


BAD_SETTINGS = {
    "not a dict": (["mailto:a@b.dk"], "SITE_META", "must be a dict", "write SITE_META"),
    "unknown key": (
        {"security_contact": ["mailto:a@b.dk"]},
        "SITE_META['security_contact']",
        "unknown key 'security_contact'",
        "did you mean 'security_contacts'?",
    ),
    "no contact": (
        {},
        "SITE_META['security_contacts']",
        "invalid value ()",
        "RFC 9116",
    ),
    "contact not a URI": (
        {"security_contacts": ["security@interactivedenmark.dk"]},
        "SITE_META['security_contacts']",
        "invalid value ['security@interactivedenmark.dk']",
        "mailto:",
    ),
    "expiry of a year": (
        {"expires_days": 365},
        "SITE_META['expires_days']",
        "invalid value 365",
        "from 1 to 364",
    ),
    "expiry as text": (
        {"expires_days": "180"},
        "SITE_META['expires_days']",
        "invalid value '180'",
        "whole number",
    ),
    "policy over http": (
        {"security_policy": "http://example.org/policy"},
        "SITE_META['security_policy']",
        "invalid value 'http://example.org/policy'",
        "https:// URL",
    ),
    "bad language": (
        {"preferred_languages": ["English"]},
        "SITE_META['preferred_languages']",
        "invalid value ['English']",
        "['en', 'da']",
    ),
    "robots path": (
        {"robots_disallow": ["drafts/"]},
        "SITE_META['robots_disallow']",
        "invalid value ['drafts/']",
        "starting with /",
    ),
    "missing headers file": (
        {"headers_file": "deploy/nope"},
        "SITE_META['headers_file']",
        "no such file 'deploy/nope'",
        "_headers",
    ),
}


@pytest.mark.parametrize("case", BAD_SETTINGS, ids=list(BAD_SETTINGS))
def test_each_bad_setting_is_named_with_its_value_and_the_fix(case):
    value, field, problem, fix = BAD_SETTINGS[case]
    if isinstance(value, dict) and case != "no contact":
        value = {"security_contacts": ["mailto:a@b.dk"], **value}
    setting = check_settings({"SITE_META": value})
    assert_setting_problem(setting, field, problem, fix)


def test_good_settings_have_no_problems():
    setting = check_settings(settings())
    assert setting.problems == []
    assert set(setting.values) == set(DEFAULTS)
