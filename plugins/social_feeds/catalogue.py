"""The list of every feed the site publishes: one entry per feed, with its
files, its title, what it carries and its items.

Everything that names a feed reads this list: the feed writers, the /feeds/
page (theme/templates/feeds.html) and the <link rel="alternate"> tags of every
page (theme/templates/partials/meta.html). So the page and the autodiscovery
links can never promise a feed that is not written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from content_model import model


@dataclass(frozen=True)
class Format:
    key: str
    label_key: str  # UI string of its name
    suffix: str
    mime: str


RSS = Format("rss", "feed_format_rss", ".rss.xml", "application/rss+xml")
ATOM = Format("atom", "feed_format_atom", ".atom.xml", "application/atom+xml")
JSON = Format("json", "feed_format_json", ".json", "application/feed+json")
# A calendar lives beside the page it follows (/events/calendar.ics), at an
# address people subscribe to in their calendar apps.
ICS = Format("ics", "feed_format_ics", "calendar.ics", "text/calendar")

FORMATS = {f.key: f for f in (RSS, ATOM, JSON, ICS)}

# Kinds of feed: (sub-folder of the feeds folder, formats written; a
# section's feed has the formats its section names in the content model).
ALL, SECTION, PROGRAMME, TAG = "all", "section", "programme", "tag"
CALENDAR = "calendar"  # the calendar items (events) of a programme
KINDS = {
    ALL: ("", (RSS, ATOM, JSON)),
    SECTION: ("", ()),
    PROGRAMME: (f"{model.PROGRAMMES.folder}/", (RSS,)),
    CALENDAR: ("", (ICS,)),
    TAG: ("tags/", (RSS,)),
}


@dataclass(frozen=True)
class FeedFile:
    format: Format
    path: str  # in the output, e.g. feeds/news.rss.xml
    url: str  # absolute

    @property
    def subscribe_url(self) -> str:
        """The webcal:// address that opens a calendar app to subscribe."""
        return "webcal://" + self.url.split("://", 1)[1]


@dataclass(frozen=True)
class Feed:
    kind: str  # ALL, SECTION, PROGRAMME or TAG
    slug: str
    name: str  # the section, programme or tag; the site's name for ALL
    title: str
    about: str  # what it carries, one sentence for the /feeds/ page
    page_path: str  # the page it follows, e.g. news/ ("" is the home page)
    page_url: str  # the same, absolute
    files: tuple[FeedFile, ...]
    # What the feed carries: at most SOCIAL_FEEDS['max_items'], newest first.
    articles: tuple = field(repr=False)

    def file(self, format_key: str) -> FeedFile | None:
        return next((f for f in self.files if f.format.key == format_key), None)


@dataclass(frozen=True)
class Group:
    """Feeds listed together on the /feeds/ page under the UI strings
    feeds_<key> (heading) and feeds_<key>_text (what they carry)."""

    key: str
    feeds: tuple[Feed, ...]
    detailed: bool  # each feed with its own description, or a compact list


def newest_first(articles) -> tuple:
    """Newest first; equal dates by slug, so the order never depends on the
    order files were read in."""
    return tuple(sorted(articles, key=lambda a: (a.date, a.slug), reverse=True))


class Catalogue:
    """Every feed of the site. Built lazily from the context, because the
    content model completes it (programmes, articles by programme) only
    once all generators have read their content; templates and writers ask
    for it after that."""

    def __init__(self, context: dict, site, t, options: dict):
        self.context = context
        self.site = site
        self.t = t
        self.options = options
        self.page_path = f"{options['folder']}/"

    @property
    def page_url(self) -> str:
        return self.site.absolute(self.page_path)

    def __fingerprint__(self) -> str:
        """What pages can learn from it. Templates ask it only for a page's
        own feeds (alternates, own_feed) and the feeds page's address: all
        follow from what they pass (the article, tag or programme, part of
        the page's own key), the options and the theme's strings. The list
        of every feed reaches the /feeds/ page as a variable of its own
        (feed_groups), so adding a tag changes that page, not every page."""
        return repr((self.options, self.site.siteurl))

    def _files(self, kind, slug, page_path, formats=()) -> tuple[FeedFile, ...]:
        folder, kind_formats = KINDS[kind]
        files = []
        for fmt in formats or kind_formats:
            path = f"{self.options['folder']}/{folder}{slug}{fmt.suffix}"
            if fmt is ICS:
                path = f"{page_path}{fmt.suffix}"
            files.append(FeedFile(fmt, path, self.site.absolute(path)))
        return tuple(files)

    def _feed(self, kind, slug, name, title, about, page_path, articles, formats=()):
        files = self._files(kind, slug, page_path, formats)
        return Feed(
            kind=kind,
            slug=slug,
            name=name,
            title=title,
            about=about,
            page_path=page_path,
            page_url=self.site.absolute(page_path),
            files=files,
            # A calendar holds every item, in time order; a feed the newest.
            articles=tuple(articles)
            if files and files[0].format is ICS
            else newest_first(articles)[: self.options["max_items"]],
        )

    def _section_about(self, section: model.Section) -> str:
        """The section's own description if theme/strings.yaml has one
        (feed_about_<section>), else the general sentence, so a new dated
        section gets a feed before anyone writes its text."""
        key = f"feed_about_{section.name}"
        if key in self.t.table:
            return self.t(key)
        return self.t("feed_about_section", name=self.t(section.label))

    @cached_property
    def everything(self) -> Feed:
        names = {s.name for s in model.DATED_SECTIONS if not s.calendar}
        articles = [
            a for a in self.context["articles"] if a.metadata.get("section") in names
        ]
        site = self.context["SITENAME"]
        return self._feed(
            ALL,
            "all",
            site,
            self.t("feed_title_all", site=site),
            self.t(
                "feed_about_all",
                sections=", ".join(self.t(s.label) for s in model.DATED_SECTIONS),
            ),
            "",
            articles,
        )

    @cached_property
    def calendars(self) -> tuple[Feed, ...]:
        """A calendar of each programme's events (the calendar sections'
        items that name it), beside its page."""
        return self._per_programme(
            CALENDAR, "calendar_by_programme", "calendar_title", "calendar_about"
        )

    def _per_programme(self, kind, items, title, about) -> tuple[Feed, ...]:
        """A feed of each programme: the context's ``items`` by programme,
        the UI strings ``title`` and ``about``_programme."""
        by_programme = self.context[items]
        site = self.context["SITENAME"]
        return tuple(
            self._feed(
                kind,
                programme.slug,
                programme.title,
                self.t(title, site=site, name=programme.title),
                self.t(f"{about}_programme", name=programme.title),
                programme.url,
                by_programme.get(programme.slug, ()),
            )
            for programme in self.context[model.PROGRAMMES.name]
        )

    @cached_property
    def sections(self) -> tuple[Feed, ...]:
        by_section = self.context["articles_by_section"]
        site = self.context["SITENAME"]
        return tuple(
            self._feed(
                SECTION,
                section.name,
                self.t(section.label),
                self.t("feed_title", site=site, name=self.t(section.label)),
                self._section_about(section),
                section.listing_url,
                by_section.get(section.name, ()),
                tuple(FORMATS[key] for key in section.feed_formats),
            )
            for section in model.DATED_SECTIONS
            if section.feed_formats
        )

    @cached_property
    def programmes(self) -> tuple[Feed, ...]:
        return self._per_programme(
            PROGRAMME, "articles_by_programme", "feed_title", "feed_about"
        )

    @cached_property
    def tags(self) -> tuple[Feed, ...]:
        site = self.context["SITENAME"]
        pairs = sorted(self.context.get("tags", []), key=lambda p: p[0].slug)
        return tuple(
            self._feed(
                TAG,
                tag.slug,
                tag.name,
                self.t("feed_title_tag", site=site, name=tag.name),
                self.t("feed_about_tag", name=tag.name),
                tag.url,
                articles,
            )
            for tag, articles in pairs
        )

    @property
    def feeds(self) -> tuple[Feed, ...]:
        return (
            self.everything,
            *self.sections,
            *self.programmes,
            *self.calendars,
            *self.tags,
        )

    def groups(self) -> list[Group]:
        """The feeds in the order the /feeds/ page lists them."""
        return [
            Group("everything", (self.everything,), detailed=True),
            Group("by_section", self.sections, detailed=True),
            Group("by_programme", self.programmes, detailed=False),
            Group("calendars", self.calendars, detailed=False),
            Group("by_topic", self.tags, detailed=False),
        ]

    def own_feed(self, article=None, page=None, category=None, tag=None):
        """The feed that follows the page being rendered, if any: an item's
        or a listing's section, a programme, a topic. Jinja passes undefined
        variables as falsy Undefined objects."""
        if article:
            return self._find(self.sections, article.metadata.get("section"))
        if category:
            return self._find(self.sections, category.slug)
        if tag:
            return self._find(self.tags, tag.slug)
        if page and page.metadata.get("section") == model.PROGRAMMES.name:
            return self._find(self.programmes, page.slug)
        return None

    def calendar_of(self, page=None, category=None):
        """The calendar of a programme's page or a calendar section's
        listing, if any."""
        if category:
            feed = self._find(self.sections, category.slug)
            return feed if feed and feed.file(ICS.key) else None
        if page and page.metadata.get("section") == model.PROGRAMMES.name:
            return self._find(self.calendars, page.slug)
        return None

    def alternates(self, article=None, page=None, category=None, tag=None):
        """(feed, file) pairs for <link rel="alternate">: the page's own feed
        first (what a reader subscribes to from there), then the all-feed."""
        own = self.own_feed(article=article, page=page, category=category, tag=tag)
        feeds = [own, self.everything] if own else [self.everything]
        return [(feed, file) for feed in feeds for file in feed.files]

    def event_file(self, article) -> FeedFile:
        """The calendar of one item of a calendar section, for "Add to
        calendar": beside its page, named after it."""
        path = f"{article.url}{article.slug}.ics"
        return FeedFile(ICS, path, self.site.absolute(path))

    def event_files(self):
        """(item, its FeedFile) of every item of every calendar section."""
        by_section = self.context["articles_by_section"]
        return [
            (item, self.event_file(item))
            for section in model.DATED_SECTIONS
            if section.calendar
            for item in by_section.get(section.name, ())
        ]

    @staticmethod
    def _find(feeds, slug):
        return next((feed for feed in feeds if feed.slug == slug), None)
