"""What one article becomes in every feed, computed once and shared by the
RSS, Atom and JSON writers so the three formats never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from content_model import model
from content_model.html_policy import clean_feed_html
from share_images import ShareImage, ShareImages
from theme_support import Site

from .text import absolute_html, figure, one_line, shorten


@dataclass(frozen=True)
class Category:
    term: str  # what readers show: the section's name or the tag
    scheme: str  # absolute URL of the page listing that category


@dataclass(frozen=True)
class Item:
    id: str  # the permalink: never changes, whatever happens to the title
    url: str
    title: str
    summary: str  # plain text, at most SOCIAL_FEEDS['summary_length']
    content_html: str  # full text, every link and image URL absolute
    published: datetime  # timezone-aware (Europe/Copenhagen)
    updated: datetime
    author: str
    categories: tuple[Category, ...]  # the section first, then the tags
    image: ShareImage  # 1200 x 630, under the byte limit

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(c.term for c in self.categories[1:])


def updated_of(article) -> datetime:
    """When an article last changed: Modified if given, else its date."""
    modified = getattr(article, "modified", None)
    return max(article.date, modified) if modified else article.date


def feed_date(articles, everything, no_items: datetime) -> datetime:
    """A feed's date: its newest article's. An empty feed takes the newest of
    ``everything`` (the all-feed's articles), and a site that has published
    nothing yet ``no_items``: a feed's date always comes from the content,
    never from the clock, so two builds give identical files."""
    return max((updated_of(a) for a in articles or everything), default=no_items)


def item_from(article, site: Site, images: ShareImages, t, summary_length: int) -> Item:
    """The feed item of a dated article. Its fields were checked by the
    content model (title, dates, summary, image with alt text, tags)."""
    metadata = article.metadata
    url = site.absolute(article.url)
    section = model.SECTIONS_BY_NAME[metadata["section"]]
    # The picture's widest resized copy, never an original of many megabytes.
    picture = getattr(article, "picture", None)
    shown = picture.largest if picture else None
    lead = figure(
        site.absolute(shown.name if shown else metadata["image"]),
        metadata["image_alt"],
        shown.width if shown else metadata["image_width"],
        shown.height if shown else metadata["image_height"],
    )
    categories = (Category(t(section.label), site.absolute(section.listing_url)),)
    categories += tuple(
        Category(one_line(tag.name), site.absolute(tag.url))
        for tag in getattr(article, "tags", ())
    )
    return Item(
        id=url,
        url=url,
        title=one_line(article.title),
        summary=shorten(one_line(metadata["summary"]), summary_length),
        # Feed readers hold no Content-Security-Policy: the body goes through
        # the sanitiser with the allowlist it was checked against.
        content_html=absolute_html(clean_feed_html(article.content), url, lead),
        published=article.date,
        updated=updated_of(article),
        author=one_line(article.author.name),
        categories=categories,
        image=images.for_item(article),
    )
