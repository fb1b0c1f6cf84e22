"""The feeds (plugins/social_feeds): every feed parsed with feedparser and
checked strictly with lxml (RSS 2.0, Atom per RFC 4287) or jsonschema (JSON
Feed 1.1), compared with the built pages and the content files they come
from; identical bytes from two builds; a stable GUID when a title changes;
text with markup and control characters kept valid."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import feedparser
import jsonschema
import pytest
from bs4 import BeautifulSoup
from lxml import etree
from lxml import html as lxml_html
from PIL import Image

from conftest import ROOT, build_into
from content_model import model
from content_model.validate import parse_header
from site_build import load_settings
from social_feeds import Catalogue, check_settings
from social_feeds.items import feed_date
from social_feeds.text import absolute_html, figure, one_line, shorten, xml_safe
from support import assert_setting_problem
from theme_support import Site, load_strings

SETTINGS = load_settings(str(ROOT / "pelicanconf.py"))
SITE = SETTINGS["PRODUCTION_SITEURL"].rstrip("/")
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "media": "http://search.yahoo.com/mrss/",
}
MAX_ITEMS = check_settings(SETTINGS).values["max_items"]
SUMMARY_LENGTH = check_settings(SETTINGS).values["summary_length"]
# The dated sections with news feeds; a calendar section's (events) are
# calendars (tests/test_events.py).
DATED = [s.name for s in model.DATED_SECTIONS if not s.calendar]


def feed_files(root: Path, suffix: str = "") -> list[Path]:
    return sorted(
        p
        for p in (root / "feeds").rglob(f"*{suffix}")
        if p.is_file() and p.name != "index.html"
    )


def calendar_files(root: Path) -> list[Path]:
    """The calendars the feeds page lists: each calendar section's and each
    programme's (an event's own is on its page)."""
    sections = [root / s.folder / "calendar.ics" for s in model.DATED_SECTIONS]
    return sorted(
        [p for p in sections if p.exists()]
        + list((root / "programmes").glob("*/calendar.ics"))
    )


def xml_feeds(root: Path) -> list[Path]:
    return feed_files(root, ".xml")


def source_header(url: str) -> dict[str, str]:
    """The header fields of the content file behind an item's permalink."""
    section, slug = urlsplit(url).path.strip("/").split("/")
    folder = model.SECTIONS_BY_NAME[section].folder
    text = (ROOT / "content" / folder / f"{slug}.md").read_text(encoding="utf-8")
    entries, _ = parse_header(text)
    return {e.key.lower(): e.value for e in entries}


def output_file(site_root: Path, url: str) -> Path:
    """The built file behind one of the site's absolute URLs."""
    assert url.startswith(SITE + "/"), url
    path = site_root / urlsplit(url).path.lstrip("/")
    return path / "index.html" if url.endswith("/") else path


def dated_item_pages(site) -> list[Path]:
    return [f for s in DATED for f in (site.root / s).glob("*/index.html")]


def copenhagen_offset(value: datetime) -> bool:
    return value.utcoffset().total_seconds() in (3600, 7200)


# --- Which feeds exist ---------------------------------------------------------


def test_the_promised_feeds_are_written(site):
    written = {
        p.relative_to(site.root / "feeds").as_posix() for p in feed_files(site.root)
    }
    expected = {"all.rss.xml", "all.atom.xml", "all.json"}
    expected |= {f"{s}.{kind}.xml" for s in DATED for kind in ("rss", "atom")}
    expected |= {
        f"programmes/{p.stem}.rss.xml"
        for p in (ROOT / "content" / "programmes").glob("*.md")
    }
    expected |= {
        f"tags/{p.parent.name}.rss.xml"
        for p in (site.root / "tags").glob("*/index.html")
    }
    assert written == expected


def test_the_all_feed_carries_every_dated_section_newest_first(site):
    parsed = feedparser.parse((site.root / "feeds/all.rss.xml").read_bytes())
    links = [e.link for e in parsed.entries]
    pages = dated_item_pages(site)
    assert len(links) == min(len(pages), MAX_ITEMS)
    assert {urlsplit(link).path.strip("/").split("/")[0] for link in links} == set(
        DATED
    )
    dates = [parsedate_to_datetime(e.published) for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    # The newest pages of the site are the ones in the feed.
    by_date = sorted(
        pages,
        key=lambda p: source_header(SITE + site.url_of(p))["date"],
        reverse=True,
    )
    assert {SITE + site.url_of(p) for p in by_date[: len(links)]} == set(links)


def newest_of(links: set[str], expected: set[str]) -> None:
    """A feed holds every expected item, or the MAX_ITEMS newest of them."""
    if len(expected) <= MAX_ITEMS:
        assert links == expected
    else:
        assert len(links) == MAX_ITEMS and links < expected


def item_links(file: Path) -> set[str]:
    return {e.link for e in feedparser.parse(file.read_bytes()).entries}


@pytest.mark.parametrize("section", DATED)
def test_section_feeds_carry_only_their_section(site, section):
    pages = {SITE + site.url_of(p) for p in (site.root / section).glob("*/index.html")}
    for suffix in ("rss.xml", "atom.xml"):
        newest_of(item_links(site.root / f"feeds/{section}.{suffix}"), pages)


def test_programme_feeds_carry_the_items_that_name_the_programme(site):
    feeds = list((site.root / "feeds/programmes").glob("*.rss.xml"))
    assert feeds
    for feed in feeds:
        slug = feed.name.removesuffix(".rss.xml")
        naming = set()
        for page in dated_item_pages(site):
            url = SITE + site.url_of(page)
            named = source_header(url).get("programmes", "").split(",")
            if slug in [name.strip() for name in named]:
                naming.add(url)
        newest_of(item_links(feed), naming)


def test_tag_feeds_carry_the_items_of_their_tag_page(site):
    feeds = list((site.root / "feeds/tags").glob("*.rss.xml"))
    assert feeds
    for feed in feeds:
        slug = feed.name.removesuffix(".rss.xml")
        listed = set()
        for page in (site.root / "tags" / slug).rglob("index.html"):  # paginated
            for a in site.soup(page).select("main a[href]"):
                parts = a["href"].strip("/").split("/")
                if len(parts) == 2 and parts[0] in DATED:
                    listed.add(SITE + a["href"])
        newest_of(item_links(feed), listed)


# --- feedparser ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_every_xml_feed_parses_cleanly_with_everything_social_tools_need(site, kind):
    files = [f for f in xml_feeds(site.root) if f.name.endswith(f".{kind}.xml")]
    assert files
    for file in files:
        parsed = feedparser.parse(file.read_bytes())
        where = file.relative_to(site.root)
        assert parsed.bozo == 0, (where, parsed.get("bozo_exception"))
        assert parsed.version == {"rss": "rss20", "atom": "atom10"}[kind], where
        assert parsed.feed.title and parsed.feed.link.startswith(SITE), where
        for entry in parsed.entries:
            assert entry.id == entry.link, where
            assert entry.link.startswith(SITE + "/"), where
            assert entry.title.strip(), where
            assert entry.published_parsed and entry.updated_parsed, where
            assert 0 < len(entry.summary) <= SUMMARY_LENGTH, where
            [enclosure] = entry.enclosures
            assert enclosure.type.startswith("image/"), where
            assert output_file(site.root, enclosure.href).is_file(), where
            if kind == "rss":
                [media] = entry.media_content
                assert media["url"] == enclosure.href, where


def test_item_text_matches_the_page_it_links_to(site):
    parsed = feedparser.parse((site.root / "feeds/all.atom.xml").read_bytes())
    for entry in parsed.entries:
        page = site.soup(urlsplit(entry.link).path)
        og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
        assert entry.title == og["og:title"]
        assert entry.summary == og["og:description"]
        assert entry.enclosures[0].href == og["og:image"]
        header = source_header(entry.link)
        assert entry.title == header["title"]
        assert entry.summary == header["summary"]


# --- RSS 2.0, strictly ---------------------------------------------------------


def rss_items(file: Path):
    root = etree.parse(str(file)).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    [channel] = root.findall("channel")
    return channel, channel.findall("item")


def test_rss_channel_has_the_required_and_promised_elements(site):
    for file in (f for f in xml_feeds(site.root) if f.name.endswith(".rss.xml")):
        channel, items = rss_items(file)
        where = file.relative_to(site.root)
        for name in ("title", "link", "description", "language", "lastBuildDate"):
            assert channel.findtext(name, "").strip(), (where, name)
        [self_link] = channel.findall("atom:link", NS)
        assert self_link.get("rel") == "self"
        assert output_file(site.root, self_link.get("href")) == file, where
        image = channel.find("image")
        assert image.findtext("link") == channel.findtext("link")
        assert (
            int(image.findtext("width")) <= 144 and int(image.findtext("height")) <= 400
        )
        with Image.open(output_file(site.root, image.findtext("url"))) as logo:
            assert logo.size == (
                int(image.findtext("width")),
                int(image.findtext("height")),
            )
        build_date = parsedate_to_datetime(channel.findtext("lastBuildDate"))
        if items:
            newest = max(
                datetime.fromisoformat(i.findtext("atom:updated", namespaces=NS))
                for i in items
            )
            assert build_date == newest, where
        assert len(items) <= MAX_ITEMS, where


def test_rss_items_have_the_required_and_promised_elements(site):
    _, items = rss_items(site.root / "feeds/all.rss.xml")
    assert items
    for item in items:
        link = item.findtext("link")
        guid = item.find("guid")
        assert guid.text == link and guid.get("isPermaLink") == "true"
        assert item.findtext("title").strip()
        published = parsedate_to_datetime(item.findtext("pubDate"))
        assert copenhagen_offset(published), item.findtext("pubDate")
        updated = datetime.fromisoformat(item.findtext("atom:updated", namespaces=NS))
        assert updated >= published
        assert item.findtext("dc:creator", namespaces=NS).strip()
        categories = [c.text for c in item.findall("category")]
        page = site.soup(urlsplit(link).path)
        section_label = page.select_one(".article__section a").get_text(strip=True)
        assert categories[0] == section_label
        header = source_header(link)
        assert categories[1:] == [t.strip() for t in header["tags"].split(",")]
        assert item.findtext("description").strip()
        assert item.findtext("content:encoded", namespaces=NS).strip()


def test_rss_images_are_real_files_with_true_length_type_and_size(site):
    _, items = rss_items(site.root / "feeds/all.rss.xml")
    for item in items:
        enclosure = item.find("enclosure")
        file = output_file(site.root, enclosure.get("url"))
        assert int(enclosure.get("length")) == file.stat().st_size
        assert file.stat().st_size < 1_000_000
        [media] = item.findall("media:content", NS)  # directly in the item
        assert not item.findall("media:group", NS)
        assert media.get("url") == enclosure.get("url")
        with Image.open(file) as img:
            assert Image.MIME[img.format] == enclosure.get("type") == media.get("type")
            assert img.size == (int(media.get("width")), int(media.get("height")))
            assert img.size == (1200, 630)
        alt = media.findtext("media:description", namespaces=NS)
        assert alt == source_header(item.findtext("link"))["image_alt"]


def test_full_content_has_only_absolute_links_and_images(site):
    _, items = rss_items(site.root / "feeds/all.rss.xml")
    checked = 0
    for item in items:
        content = item.findtext("content:encoded", namespaces=NS)
        tree = lxml_html.fragment_fromstring(content, create_parent="div")
        for _element, attribute, url, _pos in tree.iterlinks():
            checked += 1
            assert url.startswith((SITE + "/", "https://", "mailto:")), (
                item.findtext("link"),
                attribute,
                url,
            )
            if url.startswith(SITE + "/"):
                target = output_file(site.root, url.split("#")[0])
                assert target.exists(), url
        # The featured image opens the content, with its alt text.
        first = tree.find(".//img")
        assert first.get("alt") == source_header(item.findtext("link"))["image_alt"]
    assert checked > len(items)


def test_summary_is_plain_text_of_social_length(site):
    _, items = rss_items(site.root / "feeds/all.rss.xml")
    for item in items:
        # The description is the plain summary escaped once as HTML text.
        summary = lxml_html.fromstring(f"<p>{item.findtext('description')}</p>")
        assert len(summary.text_content()) <= SUMMARY_LENGTH
        assert not len(summary)  # no elements: plain text


# --- Atom, strictly (RFC 4287) ------------------------------------------------


def atom_root(file: Path):
    root = etree.parse(str(file)).getroot()
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return root


def test_atom_feeds_have_the_elements_rfc_4287_requires(site):
    for file in (f for f in xml_feeds(site.root) if f.name.endswith(".atom.xml")):
        feed = atom_root(file)
        where = file.relative_to(site.root)
        for name in ("id", "title", "updated"):
            assert len(feed.findall(f"atom:{name}", NS)) == 1, (where, name)
        assert feed.findtext("atom:author/atom:name", namespaces=NS), where
        [self_link] = feed.xpath("atom:link[@rel='self']", namespaces=NS)
        assert output_file(site.root, self_link.get("href")) == file
        updated = datetime.fromisoformat(feed.findtext("atom:updated", namespaces=NS))
        entries = feed.findall("atom:entry", NS)
        ids = [e.findtext("atom:id", namespaces=NS) for e in entries]
        assert len(ids) == len(set(ids)), where
        newest = max(
            datetime.fromisoformat(e.findtext("atom:updated", namespaces=NS))
            for e in entries
        )
        assert updated == newest, where
        for entry in entries:
            for name in ("id", "title", "updated", "published"):
                assert len(entry.findall(f"atom:{name}", NS)) == 1, (where, name)
                if name in ("updated", "published"):
                    value = entry.findtext(f"atom:{name}", namespaces=NS)
                    assert copenhagen_offset(datetime.fromisoformat(value)), value
            assert entry.findtext("atom:author/atom:name", namespaces=NS)
            [alternate] = entry.xpath("atom:link[@rel='alternate']", namespaces=NS)
            assert alternate.get("href") == entry.findtext("atom:id", namespaces=NS)
            [enclosure] = entry.xpath("atom:link[@rel='enclosure']", namespaces=NS)
            image = output_file(site.root, enclosure.get("href"))
            assert int(enclosure.get("length")) == image.stat().st_size
            assert enclosure.get("type").startswith("image/")
            # every link says what it is: no second "alternate" by default
            assert all(link.get("rel") for link in entry.findall("atom:link", NS))
            assert entry.find("atom:summary", NS).get("type") == "text"
            assert entry.find("atom:content", NS).get("type") == "html"


# --- JSON Feed 1.1 -----------------------------------------------------------

JSON_FEED_SCHEMA = {
    # The parts of https://www.jsonfeed.org/version/1.1/ this site promises.
    "type": "object",
    "required": ["version", "title", "home_page_url", "feed_url", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string", "minLength": 1},
        "home_page_url": {"type": "string", "pattern": "^https://"},
        "feed_url": {"type": "string", "pattern": "^https://"},
        "authors": {
            "type": "array",
            "items": {"type": "object", "required": ["name"]},
        },
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "url",
                    "title",
                    "summary",
                    "content_html",
                    "image",
                    "date_published",
                    "date_modified",
                    "authors",
                    "tags",
                ],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "url": {"type": "string", "pattern": "^https://"},
                    "image": {"type": "string", "pattern": "^https://"},
                    "summary": {"type": "string", "maxLength": SUMMARY_LENGTH},
                    "date_published": {"type": "string", "format": "date-time"},
                    "date_modified": {"type": "string", "format": "date-time"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "attachments": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["url", "mime_type"],
                        },
                    },
                },
            },
        },
    },
}


def test_json_feed_has_the_required_keys_and_the_same_items(site):
    data = json.loads((site.root / "feeds/all.json").read_text(encoding="utf-8"))
    jsonschema.validate(
        data, JSON_FEED_SCHEMA, format_checker=jsonschema.FormatChecker()
    )
    assert output_file(site.root, data["feed_url"]) == site.root / "feeds/all.json"
    atom = feedparser.parse((site.root / "feeds/all.atom.xml").read_bytes())
    assert [i["id"] for i in data["items"]] == [e.id for e in atom.entries]
    for item, entry in zip(data["items"], atom.entries, strict=True):
        assert item["title"] == entry.title
        assert item["summary"] == entry.summary
        assert item["image"] == entry.enclosures[0].href
        assert datetime.fromisoformat(item["date_published"]) == datetime.fromisoformat(
            entry.published
        )
        attachment = item["attachments"][0]
        assert attachment["size_in_bytes"] == int(entry.enclosures[0].length)


# --- Two builds, one result -------------------------------------------------


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("rebuild") / "output"
    build_into(output, PATH=str(ROOT / "content"))
    return output


def test_two_builds_of_the_same_content_give_identical_feeds(site, rebuilt):
    first = {p.relative_to(site.root): p.read_bytes() for p in feed_files(site.root)}
    second = {p.relative_to(rebuilt): p.read_bytes() for p in feed_files(rebuilt)}
    assert first.keys() == second.keys()
    different = [str(name) for name in first if first[name] != second[name]]
    assert not different
    share = sorted((site.root / "share").rglob("*.*"))
    assert share
    for image in share:
        assert (
            rebuilt / image.relative_to(site.root)
        ).read_bytes() == image.read_bytes()


# --- An edited item --------------------------------------------------------

# Control characters never reach a feed: the content model refuses them in
# any file (tests/test_bad_input.py), and the writers clean text anyway
# (test_characters_xml_cannot_carry_are_dropped below).
EDITED_TITLE = 'Rewritten <b>headline</b> & "quotes" with a bell'
EDITED_SUMMARY = (
    "A summary with <em>markup</em>, an ampersand & a backspace and a "
    "delete, long enough to be shortened for the shorter feeds."
)
EDITED_AUTHOR = "Maja Eksempel"
EMPTY_PROGRAMME = "a-programme-with-no-news-yet"


@pytest.fixture(scope="module")
def newest_item(site) -> str:
    """The permalink of the newest item, from the session build's all-feed."""
    return (
        feedparser.parse((site.root / "feeds/all.rss.xml").read_bytes()).entries[0].link
    )


@pytest.fixture(scope="module")
def edited(tmp_path_factory, newest_item) -> Path:
    """The sample content with the newest item's title and summary rewritten
    (markup characters), a Modified date and a named author, and a
    programme no item names, built with feeds of three items and
    60-character summaries."""
    base = tmp_path_factory.mktemp("edited")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    section, slug = urlsplit(newest_item).path.strip("/").split("/")
    source = content / model.SECTIONS_BY_NAME[section].folder / f"{slug}.md"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.startswith("Title:"):
            lines[number] = f"Title: {EDITED_TITLE}\n"
        elif line.startswith("Summary:"):
            lines[number] = f"Summary: {EDITED_SUMMARY}\n"
        elif line.startswith("Date:"):
            date = line.split(":", 1)[1].strip()
            day = datetime.strptime(date[:10], "%Y-%m-%d")
            lines[number] = (
                f"{line}Modified: {day:%Y-%m-%d} 23:45\nAuthor: {EDITED_AUTHOR}\n"
            )
    source.write_text("".join(lines), encoding="utf-8")
    (content / "programmes" / f"{EMPTY_PROGRAMME}.md").write_text(
        "Title: A programme with no news yet\n"
        "Summary: A programme that no item names.\n"
        "Order: 99\n\nIt starts next year.\n",
        encoding="utf-8",
    )
    output = base / "output"
    build_into(
        output,
        PATH=str(content),
        SOCIAL_FEEDS={"max_items": 3, "summary_length": 60},
    )
    return output


def edited_entries(edited: Path, name: str):
    parsed = feedparser.parse((edited / "feeds" / name).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed.entries


def test_changing_a_title_keeps_the_guid(site, edited, newest_item):
    before = feedparser.parse((site.root / "feeds/all.rss.xml").read_bytes()).entries
    after = edited_entries(edited, "all.rss.xml")
    assert after[0].id == before[0].id == newest_item
    assert after[0].title != before[0].title


CLEANED_TITLE = 'Rewritten <b>headline</b> & "quotes" with a bell'


def test_markup_characters_stay_valid_text(edited):
    # lxml's parser is strict: one bad character and it raises.
    _, [rss, *_] = rss_items(edited / "feeds/all.rss.xml")
    assert rss.findtext("title") == CLEANED_TITLE
    description = rss.findtext("description")  # HTML: the text escaped once
    text = lxml_html.fromstring(f"<p>{description}</p>").text_content()
    assert text.startswith("A summary with <em>markup</em>, an ampersand & a backspace")
    atom = atom_root(edited / "feeds/all.atom.xml")
    entry = atom.find("atom:entry", NS)
    assert entry.findtext("atom:title", namespaces=NS) == CLEANED_TITLE
    summary = entry.findtext("atom:summary", namespaces=NS)  # type="text"
    assert summary.startswith("A summary with <em>markup</em>, an ampersand & a")
    for name in ("all.rss.xml", "all.atom.xml"):
        assert edited_entries(edited, name)[0].id == rss.findtext("link")


def test_json_feed_carries_the_cleaned_text(edited):
    data = json.loads((edited / "feeds/all.json").read_text(encoding="utf-8"))
    item = data["items"][0]
    assert item["title"] == CLEANED_TITLE
    assert item["authors"] == [{"name": EDITED_AUTHOR}]


def test_long_summaries_are_cut_at_a_word_with_an_ellipsis(edited):
    [entry, *_] = edited_entries(edited, "all.atom.xml")
    assert len(entry.summary) <= 60
    assert entry.summary.endswith("\u2026")
    cleaned = EDITED_SUMMARY.replace("\x08", "").replace("\x7f", "")
    assert cleaned.startswith(entry.summary[:-1])
    assert cleaned[len(entry.summary) - 1] == " "  # cut between two words


def test_feeds_hold_at_most_max_items(edited):
    for file in xml_feeds(edited):
        entries = feedparser.parse(file.read_bytes()).entries
        assert len(entries) <= 3, file.name
    assert len(edited_entries(edited, "all.rss.xml")) == 3


def test_updated_date_and_named_author_reach_every_format(edited):
    [rss, *_] = edited_entries(edited, "all.rss.xml")
    [atom, *_] = edited_entries(edited, "all.atom.xml")
    assert rss.author == atom.author == EDITED_AUTHOR
    updated = datetime.fromisoformat(atom.updated)
    assert (updated.hour, updated.minute) == (23, 45) and copenhagen_offset(updated)
    assert datetime.fromisoformat(rss.updated) == updated
    assert atom.published != atom.updated
    channel, _ = rss_items(edited / "feeds/all.rss.xml")
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == updated


def test_an_empty_feed_is_valid_and_dated_by_the_site_newest_item(edited):
    file = edited / "feeds/programmes" / f"{EMPTY_PROGRAMME}.rss.xml"
    parsed = feedparser.parse(file.read_bytes())
    assert parsed.bozo == 0 and parsed.entries == []
    channel, items = rss_items(file)
    everything, _ = rss_items(edited / "feeds/all.rss.xml")
    assert not items
    assert channel.findtext("lastBuildDate") == everything.findtext("lastBuildDate")
    page = BeautifulSoup(
        (edited / "feeds/index.html").read_text(encoding="utf-8"), "lxml"
    )
    link = page.find("a", href=f"/feeds/programmes/{EMPTY_PROGRAMME}.rss.xml")
    count = link.find_parent("li", class_="feed").select_one(".feed__count")
    assert count.get_text() == "(0 items)"


# --- Autodiscovery and the /feeds/ page -----------------------------------------


def alternates(soup) -> list[str]:
    return [
        link["href"]
        for link in soup.find_all("link", rel="alternate")
        if link.get("type")
        in ("application/rss+xml", "application/atom+xml", "application/feed+json")
    ]


ALL_FEEDS = ["/feeds/all.rss.xml", "/feeds/all.atom.xml", "/feeds/all.json"]


def test_every_page_announces_the_all_feed(site):
    for file in site.html_files:
        found = alternates(site.soup(file))
        assert found[-3:] == ALL_FEEDS, site.url_of(file)
        for href in found:
            assert (site.root / href.lstrip("/")).is_file(), href


@pytest.mark.parametrize(
    ("pages", "own"),
    [
        ("news/*/index.html", ["/feeds/news.rss.xml", "/feeds/news.atom.xml"]),
        ("press/index.html", ["/feeds/press.rss.xml", "/feeds/press.atom.xml"]),
        (
            "showcases/*/index.html",
            ["/feeds/showcases.rss.xml", "/feeds/showcases.atom.xml"],
        ),
        ("programmes/spilbar/index.html", ["/feeds/programmes/spilbar.rss.xml"]),
        ("tags/film/index.html", ["/feeds/tags/film.rss.xml"]),
        ("about/index.html", []),
    ],
)
def test_pages_announce_their_own_feed_first(site, pages, own):
    files = list(site.root.glob(pages))
    assert files
    for file in files:
        assert alternates(site.soup(file)) == own + ALL_FEEDS, site.url_of(file)


def test_the_feeds_page_lists_exactly_the_feeds_written(site):
    page = site.soup("feeds/")
    linked = {
        a["href"]
        for a in page.select("main a[href]")
        if a["href"].startswith("/feeds/")
        or a["href"].startswith("/")
        and a["href"].endswith(".ics")
    }
    files = feed_files(site.root) + calendar_files(site.root)
    written = {"/" + p.relative_to(site.root).as_posix() for p in files}
    assert linked == written
    subscribe = {a["href"] for a in page.select('main a[href^="webcal:"]')}
    assert subscribe == {
        SITE.replace("https:", "webcal:") + "/" + p.relative_to(site.root).as_posix()
        for p in calendar_files(site.root)
    }
    # Shown without https://, copied whole.
    addresses = {code.get_text() for code in page.select("main code")}
    assert addresses == {SITE.removeprefix("https://") + path for path in written}
    copied = {button["data-copy"] for button in page.select("main [data-copy]")}
    assert copied == {SITE + path for path in written}


def test_the_feeds_page_says_how_many_items_each_feed_holds(site):
    page = site.soup("feeds/")
    entries = page.select("li.feed")
    feeds = {(p.parent, p.name.split(".")[0]) for p in feed_files(site.root)}
    assert len(entries) == len(feeds) + len(calendar_files(site.root))
    for entry in entries:
        count = int(entry.select_one(".feed__count").get_text().strip("()").split()[0])
        rss = entry.find("a", type="application/rss+xml")
        if rss is None:  # a calendar: its events
            ics = entry.find("a", type="text/calendar")["href"]
            text = (site.root / ics.lstrip("/")).read_text("utf-8")
            assert count == text.count("BEGIN:VEVENT"), ics
            continue
        href = rss["href"]
        assert count == len(item_links(site.root / href.lstrip("/"))), href


def test_every_page_links_to_the_feeds_page_from_the_footer(site):
    for file in site.html_files:
        footer = site.soup(file).select_one("footer.site-footer")
        assert footer.find("a", href="/feeds/"), site.url_of(file)


def test_production_feeds_and_links_use_the_production_address(production_site):
    siteurl = production_site.siteurl.rstrip("/")
    home = production_site.soup("")
    assert all(href.startswith(siteurl + "/feeds/") for href in alternates(home))
    parsed = feedparser.parse((production_site.root / "feeds/all.rss.xml").read_bytes())
    assert parsed.entries
    assert all(e.link.startswith(siteurl + "/") for e in parsed.entries)


# --- Settings -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "field", "problem", "allowed"),
    [
        ("30", "SOCIAL_FEEDS", "must be a dict, not '30'", "write SOCIAL_FEEDS ="),
        (
            {"max_items": "30"},
            "SOCIAL_FEEDS['max_items']",
            "invalid value '30'",
            "a whole number of at least 1",
        ),
        ({"max_items": 0}, "SOCIAL_FEEDS['max_items']", "value 0", "at least 1"),
        ({"max_items": True}, "SOCIAL_FEEDS['max_items']", "value True", "at least 1"),
        (
            {"summary_length": 10},
            "SOCIAL_FEEDS['summary_length']",
            "invalid value 10",
            "a whole number of at least 40",
        ),
        (
            {"folder": "../feeds"},
            "SOCIAL_FEEDS['folder']",
            "invalid value '../feeds'",
            "a path inside the output folder, such as 'feeds'",
        ),
        (
            {"FEED_MAX_ITEMS": 30},
            "SOCIAL_FEEDS['FEED_MAX_ITEMS']",
            "unknown key 'FEED_MAX_ITEMS'",
            "known keys: max_items, summary_length, folder",
        ),
    ],
)
def test_bad_settings_are_refused_at_start(given, field, problem, allowed):
    setting = check_settings({"SOCIAL_FEEDS": given})
    assert_setting_problem(setting, field, problem, allowed)


def test_every_settings_problem_is_reported_at_once():
    setting = check_settings({"SOCIAL_FEEDS": {"max_items": -1, "summary_length": "x"}})
    assert {p.field for p in setting.problems} == {
        "SOCIAL_FEEDS['max_items']",
        "SOCIAL_FEEDS['summary_length']",
    }


def test_defaults_fill_in_what_the_setting_leaves_out():
    assert check_settings({}).values == {
        "max_items": 30,
        "summary_length": 280,
        "folder": "feeds",
    }
    setting = check_settings({"SOCIAL_FEEDS": {"folder": "news-feeds/"}})
    assert setting.values["folder"] == "news-feeds"


# --- The pieces, alone ------------------------------------------------------------


def test_characters_xml_cannot_carry_are_dropped():
    assert xml_safe("a\x00b\x07c\x1bd\x7fe\x85f\ufffeg\tz\n") == "abcdefg\tz\n"
    assert one_line("  two\n lines\x0b and\ttabs ") == "two lines and tabs"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short enough", 12, "short enough"),
        ("cut between these words", 15, "cut between\u2026"),
        ("no, trailing, commas, here", 16, "no, trailing\u2026"),
        ("oneverylongwordwithoutspaces", 10, "oneverylo\u2026"),
    ],
)
def test_shorten_cuts_at_a_word(text, limit, expected):
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def test_links_images_and_srcsets_become_absolute():
    base = "https://example.org/news/item/"
    html = (
        '<p><a href="/about/">About</a> <a href="../other/#part">other</a> '
        '<a href="#top">top</a> <a href="mailto:a@b.dk">mail</a> '
        '<a href="https://elsewhere.example/">away</a></p>'
        '<img src="/images/a.jpg" srcset="/images/a-480.webp 480w, '
        '/images/a-800.webp 800w" alt="A">'
    )
    lead = figure("https://example.org/images/lead.jpg", 'Lead "picture" <1>', 8, 4)
    result = absolute_html(html, base, lead)
    tree = lxml_html.fragment_fromstring(result, create_parent="div")
    assert [a.get("href") for a in tree.iter("a")] == [
        "https://example.org/about/",
        "https://example.org/news/other/#part",
        "https://example.org/news/item/#top",
        "mailto:a@b.dk",
        "https://elsewhere.example/",
    ]
    first, second = tree.iter("img")
    assert first.get("alt") == 'Lead "picture" <1>' and first.get("width") == "8"
    assert second.get("src") == "https://example.org/images/a.jpg"
    assert second.get("srcset") == (
        "https://example.org/images/a-480.webp 480w, "
        "https://example.org/images/a-800.webp 800w"
    )


def test_text_before_the_first_element_is_kept():
    result = absolute_html("plain text <b>bold</b>", "https://example.org/")
    assert result == "plain text <b>bold</b>"


def test_a_new_dated_section_joins_the_feeds_by_itself(monkeypatch):
    workshops = replace(
        model.SECTIONS_BY_NAME["news"],
        name="workshops",
        folder="workshops",
        label="section_news",
    )
    monkeypatch.setattr(model, "DATED_SECTIONS", (workshops,))
    when = datetime(2026, 12, 1, 18, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    gig = SimpleNamespace(metadata={"section": "workshops"}, date=when, slug="gig")
    context = {
        "SITENAME": "Interactive Denmark",
        "articles": [gig],
        "articles_by_section": {"workshops": [gig]},
        "programmes": [],
        "articles_by_programme": {},
        "tags": [],
    }
    t = load_strings(str(ROOT / "theme"), "en")
    catalogue = Catalogue(context, Site(SETTINGS), t, check_settings({}).values)
    assert catalogue.everything.articles == (gig,)
    [feed] = [f for f in catalogue.sections if f.slug == "workshops"]
    assert [f.path for f in feed.files] == [
        "feeds/workshops.rss.xml",
        "feeds/workshops.atom.xml",
    ]
    # No feed_about_workshops string: the general sentence names the section.
    assert feed.about == t("feed_about_section", name=t("section_news"))


def test_feed_dates_never_come_from_the_clock():
    when = datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    later = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    article = SimpleNamespace(date=when, modified=later)
    fallback = datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC"))
    assert feed_date([], [article], fallback) == later
    assert feed_date([], [], fallback) == fallback
