"""Writes one feed as RSS 2.0, Atom (RFC 4287) or JSON Feed 1.1.

Each writer gets the same :class:`FeedInfo` and items, so the formats carry
the same data. Nothing here reads the clock: a feed's dates come from its
items, so building the same content twice gives the same bytes.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import datetime

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from share_images import ShareImage

from .items import Item

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "Interactive Denmark website (feedgen)"


@dataclass(frozen=True)
class FeedInfo:
    title: str
    about: str  # RSS description, Atom subtitle, JSON Feed description
    page_url: str  # the site page the feed follows
    self_url: str  # where this file is published
    language: str
    updated: datetime  # the newest item's date: never the build's time
    publisher: str  # the organisation (Atom's feed author)
    publisher_url: str
    icon_url: str  # square
    logo: ShareImage  # small, for RSS (at most 144 pixels wide)
    wide_logo: ShareImage  # for Atom's logo


class _Namespaces(BaseExtension):
    """Declares dc: and media: on the <rss> element."""

    def extend_ns(self):
        return {"dc": DC_NS, "media": MEDIA_NS}


class _ItemExtras(BaseEntryExtension):
    """What RSS 2.0 lacks, from other namespaces: the author (dc:creator),
    the date of the last change (atom:updated), and the image as
    media:content directly in the item: schedulers read it there, and many
    ignore a media:group (which feedgen's own media extension always
    writes)."""

    def __init__(self):
        self.creator: str | None = None
        self.updated: datetime | None = None
        self.image: ShareImage | None = None

    def extend_ns(self):
        return _Namespaces().extend_ns()

    def extend_rss(self, entry):
        if self.creator:
            etree.SubElement(entry, f"{{{DC_NS}}}creator").text = self.creator
        if self.updated:
            updated = etree.SubElement(entry, f"{{{ATOM_NS}}}updated")
            updated.text = self.updated.isoformat()
        if self.image:
            image = self.image
            content = etree.SubElement(
                entry,
                f"{{{MEDIA_NS}}}content",
                url=image.url,
                type=image.mime,
                medium="image",
                width=str(image.width),
                height=str(image.height),
                fileSize=str(image.length),
            )
            if image.alt:
                description = etree.SubElement(content, f"{{{MEDIA_NS}}}description")
                description.set("type", "plain")
                description.text = image.alt
        return entry


class _AtomLinks(BaseEntryExtension):
    """An entry's alternate and enclosure links. feedgen 1.0 drops the rel,
    type and length of entry links (its loop variable shadows the link data),
    which would turn the enclosure into a second alternate link. Elements
    are unqualified like feedgen's own: its <feed> declares the namespace."""

    def __init__(self):
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry):
        for attributes in self.links:
            etree.SubElement(entry, "link", **attributes)
        return entry


def _generator() -> FeedGenerator:
    feed = FeedGenerator()
    feed.generator(GENERATOR)
    return feed


def rss(info: FeedInfo, items: list[Item]) -> bytes:
    feed = _generator()
    feed.register_extension("extras", _Namespaces, _ItemExtras, atom=False, rss=True)
    feed.title(info.title)
    # feedgen takes the channel's <link> from the last link given.
    feed.link(href=info.self_url, rel="self")
    feed.link(href=info.page_url, rel="alternate")
    feed.description(info.about)
    feed.language(info.language)
    feed.lastBuildDate(info.updated)
    if items:
        feed.pubDate(max(item.published for item in items))
    feed.image(
        url=info.logo.url,
        title=info.title,
        link=info.page_url,
        width=str(info.logo.width),
        height=str(info.logo.height),
    )
    for item in items:
        entry = feed.add_entry(order="append")
        entry.title(item.title)
        entry.link(href=item.url)
        entry.guid(item.id, permalink=True)
        # An RSS description is HTML: escape the plain-text summary once so
        # that "R&D" or "<3" shows as typed.
        entry.description(html.escape(item.summary, quote=False))
        entry.content(item.content_html)
        entry.pubDate(item.published)
        for category in item.categories:
            entry.category(term=category.term, scheme=category.scheme)
        entry.enclosure(item.image.url, str(item.image.length), item.image.mime)
        entry.extras.creator = item.author
        entry.extras.updated = item.updated
        entry.extras.image = item.image
    return feed.rss_str(pretty=True)


def atom(info: FeedInfo, items: list[Item]) -> bytes:
    feed = _generator()
    feed.register_extension(
        "atom_links", BaseExtension, _AtomLinks, atom=True, rss=False
    )
    feed.id(info.self_url)
    feed.title(info.title)
    feed.subtitle(info.about)
    feed.updated(info.updated)
    feed.link(href=info.page_url, rel="alternate", type="text/html")
    feed.link(href=info.self_url, rel="self", type="application/atom+xml")
    feed.author(name=info.publisher, uri=info.publisher_url)
    feed.language(info.language)
    feed.icon(info.icon_url)
    feed.logo(info.wide_logo.url)
    for item in items:
        entry = feed.add_entry(order="append")
        entry.id(item.id)
        entry.title(item.title)
        entry.atom_links.links = [
            {"rel": "alternate", "type": "text/html", "href": item.url},
            {
                "rel": "enclosure",
                "type": item.image.mime,
                "length": str(item.image.length),
                "href": item.image.url,
            },
        ]
        entry.published(item.published)
        entry.updated(item.updated)
        entry.author(name=item.author)
        entry.summary(item.summary, type="text")
        entry.content(item.content_html, type="html")
        for category in item.categories:
            entry.category(term=category.term, scheme=category.scheme)
    return feed.atom_str(pretty=True)


def json_feed(info: FeedInfo, items: list[Item]) -> bytes:
    data = {
        "version": JSON_FEED_VERSION,
        "title": info.title,
        "home_page_url": info.page_url,
        "feed_url": info.self_url,
        "description": info.about,
        "icon": info.icon_url,
        "favicon": info.icon_url,
        "language": info.language,
        "authors": [{"name": info.publisher, "url": info.publisher_url}],
        "items": [_json_item(item) for item in items],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_item(item: Item) -> dict:
    return {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "summary": item.summary,
        "content_html": item.content_html,
        "image": item.image.url,
        "date_published": item.published.isoformat(),
        "date_modified": item.updated.isoformat(),
        "authors": [{"name": item.author}],
        "tags": list(item.tags),
        "attachments": [
            {
                "url": item.image.url,
                "mime_type": item.image.mime,
                "size_in_bytes": item.image.length,
            }
        ],
    }


WRITERS = {"rss": rss, "atom": atom, "json": json_feed}
