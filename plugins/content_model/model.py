"""The content model: the one declarative place that says what the sections are.

Each :class:`Section` names its folder under content/, the URL pattern of its
items, the template that renders them, whether it is a dated section (Pelican
articles: listed, paginated, in feeds) or a set of pages, and the metadata
fields its files carry. pelicanconf.py derives Pelican's settings from it, the
reader validates every file against it, and templates read it; nothing else
re-derives it. Adding a section is one entry here plus a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

# Kinds of metadata value; see validate.py for how each is checked.
TEXT = "text"  # one line of plain text
SUMMARY = "summary"  # plain text with a length limit
DATETIME = "datetime"  # YYYY-MM-DD HH:MM (or YYYY-MM-DD), Copenhagen time
IMAGE = "image"  # path under content/ to a JPEG, PNG or WebP file
INTEGER = "integer"
CHOICE = "choice"  # one of `choices`
LIST = "list"  # comma-separated free words (tags)
SLUGS = "slugs"  # comma-separated slugs from a vocabulary (programmes, members)
# Kinds the member files (YAML) use:
URL = "url"  # an http:// or https:// address
EMAIL = "email"  # one e-mail address
PHONE = "phone"  # a telephone number: digits, spaces, + - ( )
YEAR = "year"  # a four-digit year
CHOICES = "choices"  # one or more of `choices` (a YAML list or comma-separated)
LOGO = "logo"  # an SVG, PNG or JPEG file under `folder` (SVG checked to be inert)
MAPPING = "mapping"  # indented `name: value` lines, the names from `parts`
RECORDS = "records"  # a YAML list of mappings, each with the fields `parts`
PRICE = "price"  # 'free' or whole Danish kroner, such as 450 (kept as an int)

SUMMARY_MAX = 200
TIMEZONE = "Europe/Copenhagen"  # the "Copenhagen time" of every date field


@dataclass(frozen=True)
class Field:
    name: str  # as staff write it in the file header, e.g. "Image_alt"
    kind: str
    required: bool = False
    help: str = ""  # what is allowed, shown in error messages
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    vocabulary: str | None = None  # name of a vocabulary, see VOCABULARIES
    requires: str | None = None  # another field that must be present too
    parts: tuple[Field, ...] = ()  # the fields inside a MAPPING or RECORDS
    folder: str | None = None  # LOGO: the folder under content/ it must be in
    addressed: bool = False  # LIST: each item gets a page, at an address made from it
    hosts: tuple[str, ...] = ()  # URL: the sites it must go to (and their subdomains)
    https: bool = False  # URL: only https:// addresses
    # DATETIME: may not be earlier than that field (with a time: must be
    # later), and is written in the same form (both with a time, or both dates
    # alone), such as an event's End.
    not_before: str | None = None
    # DATETIME: may not be later than that field (a date alone: by the day),
    # such as a registration deadline.
    not_after: str | None = None

    @cached_property
    def key(self) -> str:
        """The key Pelican uses (it lower-cases metadata names)."""
        return self.name.lower()


@dataclass(frozen=True)
class Special:
    """A page whose slug gives it a different place or template, or a place
    in the main menu."""

    url: str | None = None
    template: str | None = None
    menu: int | None = None  # its place in the main menu (see main_menu)


@dataclass(frozen=True)
class Section:
    name: str
    folder: str
    dated: bool  # True: Pelican articles (listed by date, in feeds)
    url: str  # pattern of an item's URL, with {slug}
    template: str
    label: str  # UI string key of the section's name
    fields: tuple[Field, ...]
    special: dict[str, Special] = field(default_factory=dict)
    suffix: str = ".md"  # the kind of file staff write: Markdown or YAML
    schema_type: str = "WebPage"  # schema.org type of an item (JSON-LD @type)
    menu: int | None = None  # the place of its listing in the main menu
    feed_formats: tuple[str, ...] = ()  # of its own feed (social_feeds)
    vocabulary: bool = False  # other files name its items by file name
    order_by: str = "date"  # the field its items are listed by
    descending: bool = True  # newest (highest) first
    home: int = 0  # how many of its newest items the home page shows
    opens_home: bool = False  # its newest item's picture opens the home page
    listing_template: str = "category"  # of a dated section's listing page
    # Groups of fields of which each file gives at least one (an event's
    # Venue or Online).
    one_of: tuple[tuple[str, ...], ...] = ()

    @property
    def calendar(self) -> bool:
        """Its items happen at a time (Start, End): listed upcoming first,
        published as calendars (its feed format 'ics')."""
        return "ics" in self.feed_formats

    @property
    def listing_url(self) -> str:
        """Where a dated section is listed (a Pelican category page)."""
        return f"{self.name}/"

    def field_named(self, key: str) -> Field | None:
        key = key.lower()
        return next((f for f in self.fields if f.key == key), None)


STATUS = Field(
    "Status",
    CHOICE,
    choices=("published", "draft"),
    help="'draft' keeps the file out of the production build",
)

DATED_FIELDS = (
    Field("Title", TEXT, required=True, help="the headline, one line"),
    Field(
        "Date",
        DATETIME,
        required=True,
        help="YYYY-MM-DD HH:MM, Copenhagen time, for example 2026-03-14 09:30",
    ),
    Field(
        "Modified",
        DATETIME,
        not_before="Date",
        help="YYYY-MM-DD HH:MM, when the text was last changed after publishing",
    ),
    Field(
        "Summary",
        SUMMARY,
        required=True,
        max_length=SUMMARY_MAX,
        help=f"plain text of at most {SUMMARY_MAX} characters",
    ),
    Field(
        "Image",
        IMAGE,
        required=True,
        requires="Image_alt",
        help="a JPEG, PNG or WebP file under content/, for example "
        "images/news/my-photo.jpg",
    ),
    Field(
        "Image_alt",
        TEXT,
        required=True,
        help="a short description of what the image shows",
    ),
    Field(
        "Tags",
        LIST,
        required=True,
        addressed=True,
        help="one or more tags, separated by commas",
    ),
    Field(
        "Programmes",
        SLUGS,
        vocabulary="programmes",
        help="programme slugs separated by commas",
    ),
    Field(
        "Events",
        SLUGS,
        vocabulary="events",
        help="the events it is about: their file names in content/events/, "
        "separated by commas",
    ),
    Field("Author", TEXT, help="the name shown as the author"),
    STATUS,
)

SHOWCASE_FIELDS = DATED_FIELDS + (
    Field(
        "Member",
        SLUGS,
        required=True,
        vocabulary="members",
        help="member slugs (file names in content/members/) separated by commas",
    ),
    Field(
        "Trailer",
        URL,
        https=True,
        help="the page where the work's trailer or video plays (YouTube, Vimeo, "
        "the studio's own site), starting with https://; the featured image "
        "links there",
    ),
)

PAGE_FIELDS = (
    Field("Title", TEXT, required=True, help="the page's heading, one line"),
    Field(
        "Summary",
        SUMMARY,
        required=True,
        max_length=SUMMARY_MAX,
        help=f"plain text of at most {SUMMARY_MAX} characters, used as the "
        "description in search results and link previews",
    ),
    Field(
        "Image",
        IMAGE,
        requires="Image_alt",
        help="a JPEG, PNG or WebP file under content/",
    ),
    Field("Image_alt", TEXT, requires="Image", help="what the image shows"),
    Field("Modified", DATETIME, help="YYYY-MM-DD HH:MM, when the page last changed"),
    STATUS,
)

PROGRAMME_FIELDS = PAGE_FIELDS + (
    Field(
        "Order",
        INTEGER,
        required=True,
        help="a whole number; programmes are listed in this order",
    ),
    Field(
        "Contact",
        TEXT,
        requires="Contact_email",
        help="the person to ask about the programme, with their role, such as "
        "Sofie Eksempel, programme manager",
    ),
    Field(
        "Contact_email",
        EMAIL,
        requires="Contact",
        help="the contact person's e-mail address",
    ),
    Field(
        "Take_part",
        URL,
        https=True,
        help="where to apply or sign up, starting with https://; without it the "
        "page points to the join page",
    ),
)

_DATED = {f.name: f for f in DATED_FIELDS}
EVENT_FIELDS = (
    _DATED["Title"],
    replace(
        _DATED["Date"],
        help="YYYY-MM-DD HH:MM, Copenhagen time: when the event is announced "
        "on the site, for example 2026-09-01 09:00",
    ),
    replace(
        _DATED["Modified"],
        help="YYYY-MM-DD HH:MM, when the time, place or status last changed "
        "(calendar apps take the change only when it is later than before)",
    ),
    _DATED["Summary"],
    Field(
        "Start",
        DATETIME,
        required=True,
        help="YYYY-MM-DD HH:MM, Copenhagen time, such as 2026-12-04 17:00; a "
        "date alone (2026-12-04) for an event that lasts all day",
    ),
    Field(
        "End",
        DATETIME,
        required=True,
        not_before="Start",
        help="YYYY-MM-DD HH:MM, Copenhagen time, such as 2026-12-04 21:00; a "
        "date alone (the last day) when Start is a date alone",
    ),
    Field(
        "Venue",
        TEXT,
        requires="City",
        help="the name of the place, such as Dokk1",
    ),
    Field(
        "Address",
        TEXT,
        requires="Venue",
        help="the street and number, such as Hack Kampmanns Plads 2",
    ),
    Field("City", TEXT, requires="Venue", help="the town or city, such as Aarhus"),
    Field(
        "Online",
        URL,
        https=True,
        help="the address where people join online, starting with https://",
    ),
    replace(_DATED["Programmes"], required=True),
    Field(
        "Registration",
        URL,
        https=True,
        help="where people sign up, starting with https://",
    ),
    Field(
        "Deadline",
        DATETIME,
        requires="Registration",
        not_after="Start",
        help="the last day to sign up, YYYY-MM-DD (or YYYY-MM-DD HH:MM), "
        "no later than Start",
    ),
    Field(
        "Price",
        PRICE,
        help="free, or the price in Danish kroner as a whole number, such as 450",
    ),
    Field(
        "Language",
        CHOICE,
        choices=("en", "da"),
        help="the language spoken at the event: en (English) or da (Danish)",
    ),
    Field(
        "Event_status",
        CHOICE,
        choices=("cancelled", "postponed"),
        requires="Modified",
        help="only when the event will not go ahead as announced",
    ),
    replace(_DATED["Image"], required=False),
    replace(_DATED["Image_alt"], required=False, requires="Image"),
    STATUS,
)

# The member directory (content/members/<slug>.yaml). Values are stored as
# written; the labels the site shows for them are UI strings (sector_<id>,
# employees_<id>, business_model_<id>, markets_<id>, social_<id> in
# theme/strings.yaml). Regions are proper names and are shown as written.
SECTORS = ("games", "film", "animation", "apps", "vfx", "xr", "edtech", "health")
REGIONS = ("Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland")
SIZE_BANDS = ("1-9", "10-49", "50-249", "250+")
BUSINESS_MODELS = ("own-ip", "work-for-hire")
MARKETS = ("b2b", "b2c")
# Where each network's profiles live: the profile page names the network,
# so its link must go there (Mastodon servers are many: any host).
SOCIAL_HOSTS = {
    "linkedin": ("linkedin.com",),
    "facebook": ("facebook.com", "fb.com"),
    "x": ("x.com", "twitter.com"),
    "instagram": ("instagram.com",),
    "youtube": ("youtube.com", "youtu.be"),
    "bluesky": ("bsky.app",),
}
SOCIAL_NETWORKS = (
    "linkedin",
    "facebook",
    "x",
    "instagram",
    "youtube",
    "mastodon",
    "bluesky",
)
MEMBER_DESCRIPTION_MAX = 400
MEMBER_LOGO_FOLDER = "images/members"

MEMBER_FIELDS = (
    Field("name", TEXT, required=True, help="the company's name, one line"),
    Field(
        "sectors",
        CHOICES,
        required=True,
        choices=SECTORS,
        help="what the company works in",
    ),
    Field(
        "region",
        CHOICE,
        required=True,
        choices=REGIONS,
        help="the Danish region the company is based in, written as here",
    ),
    Field("city", TEXT, required=True, help="the town or city, such as Odense"),
    Field(
        "website",
        URL,
        required=True,
        help="the company's website, starting with https:// or http://",
    ),
    Field(
        "description",
        SUMMARY,
        required=True,
        max_length=MEMBER_DESCRIPTION_MAX,
        help=f"plain text of at most {MEMBER_DESCRIPTION_MAX} characters: "
        "what the company does",
    ),
    Field(
        "logo",
        LOGO,
        folder=MEMBER_LOGO_FOLDER,
        help=f"an SVG, PNG or JPEG file in content/{MEMBER_LOGO_FOLDER}/, "
        f"written with that folder, such as {MEMBER_LOGO_FOLDER}/fjordfox-games.svg",
    ),
    Field("founded", YEAR, help="the year the company was founded, such as 2016"),
    Field(
        "employees",
        CHOICE,
        choices=SIZE_BANDS,
        help="the number of employees, as a size band",
    ),
    Field(
        "business_model",
        CHOICES,
        choices=BUSINESS_MODELS,
        help="own-ip: its own games, films or products; work-for-hire: "
        "projects for clients",
    ),
    Field(
        "markets",
        CHOICES,
        choices=MARKETS,
        help="b2b: sells to businesses; b2c: to consumers",
    ),
    Field(
        "member_since",
        YEAR,
        help="the year the company joined Interactive Denmark, such as 2021",
    ),
    Field(
        "programmes",
        SLUGS,
        vocabulary="programmes",
        help="programme slugs the company has taken part in",
    ),
    Field(
        "contact",
        MAPPING,
        parts=(
            Field("email", EMAIL, help="a public e-mail address"),
            Field("phone", PHONE, help="a telephone number, such as +45 12 34 56 78"),
        ),
        help="public contact details, one per line, indented by two spaces",
    ),
    Field(
        "social",
        MAPPING,
        parts=tuple(
            Field(
                network,
                URL,
                hosts=SOCIAL_HOSTS.get(network, ()),
                help="the address of the profile, with https://",
            )
            for network in SOCIAL_NETWORKS
        ),
        help="the company's profiles elsewhere, one per line, indented by two spaces",
    ),
    Field(
        "notable_works",
        RECORDS,
        parts=(
            Field("title", TEXT, required=True, help="the work's title"),
            Field("year", YEAR, required=True, help="the year it came out"),
            Field("url", URL, help="a page about it, starting with https://"),
        ),
        help="games, films or apps the company made, each starting with "
        "'- title: ...' on its own line",
    ),
    Field("tags", LIST, help="free keywords, as a list or separated by commas"),
    replace(STATUS, name="status"),
)

SECTIONS: tuple[Section, ...] = (
    Section(
        name="news",
        folder="news",
        dated=True,
        url="news/{slug}/",
        template="article",
        label="section_news",
        fields=DATED_FIELDS,
        schema_type="NewsArticle",
        menu=4,
        feed_formats=("rss", "atom"),
        home=3,
    ),
    Section(
        name="showcases",
        folder="showcases",
        dated=True,
        url="showcases/{slug}/",
        template="article",
        label="section_showcases",
        fields=SHOWCASE_FIELDS,
        schema_type="Article",
        menu=5,
        feed_formats=("rss", "atom"),
        home=3,
        opens_home=True,
    ),
    Section(
        name="press",
        folder="press",
        dated=True,
        url="press/{slug}/",
        template="article",
        label="section_press",
        fields=DATED_FIELDS,
        schema_type="NewsArticle",
        menu=7,
        feed_formats=("rss", "atom"),
    ),
    Section(
        name="events",
        folder="events",
        dated=True,
        url="events/{slug}/",
        template="event",
        label="section_events",
        fields=EVENT_FIELDS,
        schema_type="Event",
        menu=3,
        feed_formats=("ics",),
        vocabulary=True,
        order_by="start",
        descending=False,
        home=3,
        listing_template="events",
        one_of=(("Venue", "Online"),),
    ),
    Section(
        name="programmes",
        folder="programmes",
        dated=False,
        url="programmes/{slug}/",
        template="programme",
        label="section_programmes",
        fields=PROGRAMME_FIELDS,
        menu=2,
        vocabulary=True,
        order_by="order",
        descending=False,
    ),
    Section(
        name="pages",
        folder="pages",
        dated=False,
        url="{slug}/",
        template="page",
        label="section_pages",
        fields=PAGE_FIELDS,
        special={
            "home": Special(url="", template="home"),
            "about": Special(template="about", menu=1),  # with the member count
            "programmes": Special(template="programmes"),
            "join": Special(menu=8),
            "contact": Special(template="contact", menu=9),
            "members": Special(template="members"),
        },
    ),
    Section(
        name="members",
        folder="members",
        dated=False,
        url="members/{slug}/",
        template="member",
        label="section_members",
        fields=MEMBER_FIELDS,
        suffix=".yaml",
        schema_type="Organization",
        menu=6,
        vocabulary=True,
        order_by="name",
        descending=False,
    ),
)

SECTIONS_BY_NAME = {s.name: s for s in SECTIONS}
DATED_SECTIONS = tuple(s for s in SECTIONS if s.dated)
# The sections other code names: the model is the one place that spells them.
PAGES = SECTIONS_BY_NAME["pages"]  # plain pages: /about/, and the special ones
PROGRAMMES = SECTIONS_BY_NAME["programmes"]
MEMBERS = SECTIONS_BY_NAME["members"]
# Vocabularies: the slugs some fields may refer to, read from the content folder
# (a programme is a Markdown file in programmes/, a member a YAML file in
# members/), so a new programme or member is usable as soon as its file exists.
VOCABULARIES = {s.name: (s.folder, s.suffix) for s in SECTIONS if s.vocabulary}


def main_menu() -> tuple[tuple[str, str], ...]:
    """The main menu: (UI string key nav_<name>, URL relative to the site
    root) of every section and page with a place in it, in that order."""
    entries = [(s.menu, s.name, s.listing_url) for s in SECTIONS if s.menu]
    entries += [
        (
            special.menu,
            slug,
            special.url if special.url is not None else PAGES.url.format(slug=slug),
        )
        for slug, special in PAGES.special.items()
        if special.menu
    ]
    return tuple((f"nav_{name}", url) for _place, name, url in sorted(entries))


def section_for(source_path: str) -> Section | None:
    """The section of a file, from its path relative to content/."""
    first = source_path.replace("\\", "/").split("/", 1)[0]
    return next((s for s in SECTIONS if s.folder == first), None)


def intro_section(page_slug: str) -> Section | None:
    """A page named like a dated section introduces that section's listing
    (content/pages/press.md is the text at the top of /press/)."""
    section = SECTIONS_BY_NAME.get(page_slug)
    return section if section and section.dated else None
