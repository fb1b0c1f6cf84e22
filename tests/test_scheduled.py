"""Scheduled posts: a Date still to come at the build's now (SITE_NOW) keeps
a post off the production site, like a draft, until the first build after
that moment; development builds show it under /drafts/ with a banner. A
build after such a moment is never taken for one with nothing changed,
even on the same day (the release records the moment)."""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_into
from site_build.releases import Releases

POST = """Title: Growing Games opens its spring round
Date: 2026-11-27 10:00
Summary: Applications for the spring round of Growing Games open today.
Image: images/news/growing-games-autumn-round-open.jpg
Image_alt: Illustration of a pixel-art plant growing from a pot
Tags: Growing Games
Programmes: growing-games

Applications are open.
"""
SLUG = "spring-round-opens"
BEFORE, AFTER = "2026-11-27T08:00:00+01:00", "2026-11-27T12:00:00+01:00"


def soup(output, path: str) -> BeautifulSoup:
    """A page as it is now (conftest's parser keeps what it read once)."""
    return BeautifulSoup((output / path / "index.html").read_text("utf-8"), "lxml")


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    (folder / "news" / f"{SLUG}.md").write_text(POST, "utf-8")
    return folder


def test_a_post_dated_later_waits_for_its_time(content, tmp_path, monkeypatch):
    output = tmp_path / "production"
    monkeypatch.setenv("SITE_NOW", BEFORE)
    first = build_into(output, "publishconf.py", PATH=str(content))
    assert not (output / "news" / SLUG).exists()
    assert not (output / "drafts").exists()
    for feed in ("feeds/all.rss.xml", "feeds/news.rss.xml", "sitemap.xml"):
        assert SLUG not in (output / feed).read_text("utf-8"), feed
    assert SLUG not in (output / "news/index.html").read_text("utf-8")
    assert Releases(str(output)).current().manifest.until == "2026-11-27T10:00:00+01:00"

    # Later the same day, nothing else changed: the post is published.
    monkeypatch.setenv("SITE_NOW", AFTER)
    second = build_into(output, "publishconf.py", PATH=str(content))
    assert not second.unchanged and first.files < second.files
    page = soup(output, f"news/{SLUG}")
    assert page.h1.get_text() == "Growing Games opens its spring round"
    assert SLUG in (output / "feeds/all.rss.xml").read_text("utf-8")
    assert not page.select(".draft-banner")

    # And a third build at the same moment has nothing to do.
    assert build_into(output, "publishconf.py", PATH=str(content)).unchanged


def test_development_builds_show_it_marked_and_unindexed(
    content, tmp_path, monkeypatch
):
    monkeypatch.setenv("SITE_NOW", BEFORE)
    output = tmp_path / "development"
    build_into(output, PATH=str(content))
    page = soup(output, f"drafts/news/{SLUG}")
    banner = page.select_one(".draft-banner").get_text()
    assert banner.startswith("Scheduled:") and "27 November 2026, 10:00" in banner
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert not (output / "news" / SLUG).exists()


def test_an_event_becomes_past_when_it_ends_the_same_day(tmp_path, monkeypatch):
    """The day's last build after an evening event lists it as past."""
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    event = folder / "events" / "spilbar-copenhagen-december-2026.md"
    output = tmp_path / "output"
    monkeypatch.setenv("SITE_NOW", "2026-12-10T20:00:00+01:00")  # under way
    build_into(output, PATH=str(folder))
    listing = soup(output, "events")
    upcoming = listing.find(attrs={"aria-labelledby": "upcoming-heading"})
    assert event.stem in str(upcoming)
    monkeypatch.setenv("SITE_NOW", "2026-12-10T22:00:00+01:00")  # over
    assert not build_into(output, PATH=str(folder)).unchanged
    listing = soup(output, "events")
    upcoming = listing.find(attrs={"aria-labelledby": "upcoming-heading"})
    assert event.stem not in str(upcoming)
