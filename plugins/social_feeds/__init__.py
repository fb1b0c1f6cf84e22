"""Social feeds: RSS 2.0, Atom and JSON Feed 1.1 of everything dated, for
feed readers, journalists and social-media schedulers, and the /feeds/ page
that lists them.

Pelican's own feeds are off (pelicanconf.py): they carry no images, relative
links in content and summaries that social tools mangle. Ours carry, per item,
a permanent ID (the permalink), a plain-text summary, the full text with
absolute links, the share image as enclosure and media:content, dates with
the Copenhagen offset, author and categories.

Feeds (folder and length from the SOCIAL_FEEDS setting, see settings.py):
  all.rss.xml, all.atom.xml, all.json   every dated section but the calendar
                                        ones (events are in calendars)
  <section>.rss.xml, <section>.atom.xml each dated section
  programmes/<slug>.rss.xml             each programme
  tags/<slug>.rss.xml                   each topic
  <section>/calendar.ics                each calendar section (events), and
  programmes/<slug>/calendar.ics        each programme's events (iCalendar)

Templates get FEEDS (the :class:`Catalogue`): partials/meta.html writes the
autodiscovery links from it; feeds.html lists its groups (feed_groups).
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.generators import Generator

import site_build
from content_model import model
from content_model.validate import line_of
from theme_support import Site, load_strings

from . import calendars, writers
from .catalogue import ICS, Catalogue, Feed
from .items import feed_date, item_from
from .settings import check_settings

__all__ = ["Catalogue", "Feed", "check_settings"]

CONTEXT_KEY = "FEEDS"
PAGE_TEMPLATE = "feeds"
RSS_LOGO_WIDTH = 144  # the largest channel image RSS 2.0 allows
# The date of the feeds of a site that has published nothing yet.
NO_ITEMS_YET = datetime(2000, 1, 1, tzinfo=UTC)
ONE_MINUTE = timedelta(minutes=1)  # SEQUENCE counts minutes


class FeedsGenerator(Generator):
    """Writes every feed of the catalogue and the /feeds/ page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        setting = check_settings(self.settings)
        setting.report()
        self.options = setting.values
        self.site = Site(self.settings)
        self.t = load_strings(self.settings["THEME"], self.settings["DEFAULT_LANG"])
        self.catalogue = Catalogue(self.context, self.site, self.t, self.options)
        self.context[CONTEXT_KEY] = self.catalogue

    def generate_output(self, writer):
        images = self.context.get("share_images")
        if images is None:
            raise RuntimeError(
                "social_feeds: the share_images plugin must be in PLUGINS "
                "(feeds carry its images)"
            )
        self._write_feeds(images)
        writer.write_file(
            f"{self.catalogue.page_path}index.html",
            self.get_template(PAGE_TEMPLATE),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=self.catalogue.page_path,
            template_name=PAGE_TEMPLATE,
            feed_options=self.options,
            share_options=images.options,
            feed_groups=self.catalogue.groups(),
        )

    def _write_feeds(self, images) -> None:
        """Every file of every feed, each made again only when its items or
        its description changed (its key: the fingerprints of its articles),
        with the pages and both cores (``later``). An article in several
        feeds becomes one Item, made once in each process, so all its copies
        are identical."""
        s = site_build.session()
        items = {}

        def item(article):
            if article.source_path not in items:
                items[article.source_path] = item_from(
                    article, self.site, images, self.t, self.options["summary_length"]
                )
            return items[article.source_path]

        def write_items(write, info, articles):
            return write(info, [item(a) for a in articles])

        common = {
            "language": self.settings["DEFAULT_LANG"],
            "publisher": self.settings["SITENAME"],
            "publisher_url": self.site.absolute(),
            "icon_url": self.site.absolute(self.site.asset("images/favicon.svg")),
            "logo": images.small_logo(RSS_LOGO_WIDTH),
            "wide_logo": images.logo,
        }
        everything = self.catalogue.everything.articles
        zone = ZoneInfo(self.settings["TIMEZONE"])
        for feed in self.catalogue.feeds:
            info = writers.FeedInfo(
                title=feed.title,
                about=feed.about,
                page_url=feed.page_url,
                self_url="",
                updated=feed_date(feed.articles, everything, NO_ITEMS_YET),
                **common,
            )
            for file in feed.files:
                this = replace(info, self_url=file.url)
                key = s.key("feed", file.format.key, this, feed.articles, images)
                if file.format is ICS:
                    make = partial(
                        calendars.ics, this, feed.articles, self.site, self.t, zone
                    )
                else:
                    write = writers.WRITERS[file.format.key]
                    make = partial(write_items, write, this, feed.articles)
                s.output(
                    file.path,
                    key,
                    make,
                    f"the feed {file.path} (plugins/social_feeds)",
                    later=True,
                )
                kind = "calendars" if file.format is ICS else "feeds"
                s.tally[kind] = s.tally.get(kind, 0) + 1
        for article, file in self.catalogue.event_files():
            info = writers.FeedInfo(
                title=article.title,
                about=article.summary,
                page_url=self.site.absolute(article.url),
                self_url=file.url,
                updated=feed_date([article], everything, NO_ITEMS_YET),
                **common,
            )
            s.output(
                file.path,
                s.key("feed", file.format.key, info, article),
                partial(calendars.ics, info, [article], self.site, self.t, zone),
                f"the calendar {file.path} (plugins/social_feeds)",
                later=True,
            )
            s.tally["calendars"] = s.tally.get("calendars", 0) + 1


def check_calendar_changes(generators) -> None:
    """An event of the last production build's calendar whose time, place or
    status has changed since while Modified (so SEQUENCE) has not moved on:
    calendar apps that subscribed would keep the old event. A problem of the
    production build at its Modified line. (Without an earlier production
    release there is nothing to compare.)"""
    s = site_build.session()
    settings = generators[0].settings
    # What was published: the last production build (make serve's builds
    # show drafts and are nobody's calendar), compared in production builds.
    live = next((r for r in s.published if r.manifest.drafts is False), None)
    if live is None or settings.get("DRAFT_SAVE_AS"):
        return
    context = generators[0].context
    site = Site(settings)
    t = load_strings(settings["THEME"], settings["DEFAULT_LANG"])
    zone = ZoneInfo(settings["TIMEZONE"])
    host = urlsplit(site.absolute()).hostname
    for section in model.DATED_SECTIONS:
        if not section.calendar:
            continue
        path = os.path.join(live.folder, section.listing_url, ICS.suffix)
        before = calendars.published_events(path)
        for item in context["articles_by_section"].get(section.name, ()):
            now = calendars.event(item, site, t, zone, host)
            was = before.get(str(now["uid"]))
            changed = calendars.unannounced_changes(was, now) if was else []
            if not changed:
                continue
            with open(item.source_path, encoding="utf-8-sig") as handle:
                line = line_of(handle.read(), "modified:", start=True)
            last = getattr(item, "modified", None) or item.date
            suggested = max(s.now, last + ONE_MINUTE)
            s.report(
                item.source_path,
                line,
                "Modified",
                f"{' and '.join(changed)} changed since the event was published, "
                "but Modified did not: calendar apps that subscribed would keep "
                "the old event",
                "set Modified to when you made the change, such as "
                f"{suggested:%Y-%m-%d %H:%M}",
            )


def get_generators(_pelican):
    return FeedsGenerator


def reserve(pelican):
    """The feeds' folder is the site's own: no content file may take it."""
    folder = check_settings(pelican.settings).values["folder"]
    site_build.session().reserve(f"{folder}/", "the feeds (plugins/social_feeds)")


def register():
    signals.initialized.connect(reserve)
    signals.all_generators_finalized.connect(check_calendar_changes)
    signals.get_generators.connect(get_generators)
