"""Development settings: the single source of the site's settings.

publishconf.py imports everything from here and overrides only what differs in
production (absolute URLs, drafts left out). Pelican's section-related settings
are derived from the content model (plugins/content_model/model.py), so they
are not written twice.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if os.path.join(_HERE, "plugins") not in sys.path:
    sys.path.insert(0, os.path.join(_HERE, "plugins"))

from content_model.model import (  # noqa: E402
    DATED_SECTIONS,
    MEMBER_LOGO_FOLDER,
    SECTIONS,
    main_menu,
)
from content_model.slugs import pelican_regex_substitutions  # noqa: E402

# --- The organisation -------------------------------------------------------
SITENAME = "Interactive Denmark"
SITE_TAGLINE = "The Danish cluster for games, film, animation and apps"
AUTHOR = "Interactive Denmark"
SITEURL = ""  # relative in development; publishconf.py sets the real address
PRODUCTION_SITEURL = "https://www.interactivedenmark.dk"
DEFAULT_LANG = "en"
LOCALE = ("en_GB.UTF-8", "en_US.UTF-8", "C.UTF-8", "C")
# The content model's dates are Copenhagen time: the site's is the same.
from content_model.model import TIMEZONE  # noqa: E402,F401

SOCIAL_LINKS = (
    # (UI string key of the name, URL)
    ("social_facebook", "https://www.facebook.com/interactivedenmark"),
    ("social_linkedin", "https://www.linkedin.com/company/interactive-denmark"),
    ("social_x", "https://x.com/interactivedk"),
    ("social_wordpress", "https://interactivedenmark.wordpress.com"),
)

# The newsletter form posts straight to the provider: no JavaScript, no
# third-party request until a visitor presses the button.
# Paste the form action and the name of the e-mail field from the provider's
# embed code; hidden_fields carries any extra fields that code has.
NEWSLETTER = {
    "action": "https://interactivedenmark.us21.list-manage.com/subscribe/post",
    "email_field": "EMAIL",
    "hidden_fields": {},
}

# Mailboxes the templates show (the footer, the accessibility statement, the
# press contact in the home page's structured data). Named
# people and phone numbers are written in the pages themselves.
CONTACTS = {
    "general": {"email": "info@interactivedenmark.dk"},
    "press": {"email": "press@interactivedenmark.dk"},
    "accessibility": {"email": "accessibility@interactivedenmark.dk"},
}

# The organisations that fund our work and the partners we work with, shown
# on the home page and on About (funders first, in this order). All sample
# names are fictional. role: 'funder' or 'partner'; website: optional,
# https:// only; about: what it does with us, at most 160 characters.
PARTNERS = (
    {
        "name": "Eksempelfonden for Kreative Erhverv",
        "role": "funder",
        "website": "https://eksempelfonden.example",
        "about": "Funds Growing Games, Growing Films and Growing Animation, our "
        "workshops for studios ready for their next step.",
    },
    {
        "name": "Prøveland Growth Forum",
        "role": "funder",
        "website": "https://proeveland-growth.example",
        "about": "Co-funds our export promotion: trade delegations to Gamescom, "
        "GDC and Annecy, and the stands Danish studios share there.",
    },
    {
        "name": "Eksempel Ventures",
        "role": "partner",
        "website": "https://eksempel-ventures.example",
        "about": "Investors on the panel of every Growing Investors pitch day, "
        "and hosts of our investor breakfasts.",
    },
    {
        "name": "Prøve University Games Lab",
        "role": "partner",
        "website": "https://games-lab.proeve-university.example",
        "about": "Research partner on games for learning and health, and home of "
        "Spilbar in its city.",
    },
    {
        "name": "Eksempelby University Hospital",
        "role": "partner",
        "about": "Opens its wards to studios building training and "
        "rehabilitation tools in our new markets work.",
    },
)

# Main navigation: (UI string key, URL relative to the site root), from the
# content model (a section's or page's `menu` place).
MAIN_MENU = main_menu()
FOOTER_MENU = (
    ("nav_privacy", "privacy/"),
    ("nav_accessibility", "accessibility/"),
)

# --- Content and sections (derived from the content model) -------------------
PATH = "content"
ARTICLE_PATHS = [s.folder for s in DATED_SECTIONS]
# Pelican reads the Markdown sections; plugins/members reads the YAML one
# (content/members/) itself, many times faster than one Pelican page at a time.
PAGE_PATHS = [s.folder for s in SECTIONS if not s.dated and s.suffix == ".md"]
STATIC_PATHS = ["images"]
# Member logos are published by plugins/members, for published members only
# (and not made into 2,000 Pelican static files, which costs every rebuild).
STATIC_EXCLUDES = [MEMBER_LOGO_FOLDER]
IGNORE_FILES = [".#*", "_*", "README*"]
USE_FOLDER_AS_CATEGORY = True
SLUGIFY_SOURCE = "basename"
# Files of different sections may share a name (a news post and the event it
# announces): only the same name in the same section is one item in two
# languages (for a Danish edition).
ARTICLE_TRANSLATION_ID = ("section", "slug")
PAGE_TRANSLATION_ID = ("section", "slug")
SLUGIFY_USE_UNICODE = True  # so our substitutions see æ, ø, å (then ASCII)
SLUG_REGEX_SUBSTITUTIONS = pelican_regex_substitutions()
TAG_REGEX_SUBSTITUTIONS = pelican_regex_substitutions()
CATEGORY_REGEX_SUBSTITUTIONS = pelican_regex_substitutions()
FORMATTED_FIELDS = []  # summaries are plain text, escaped by the templates
DEFAULT_DATE_FORMAT = "%-d %B %Y"
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
MARKDOWN = {
    "extension_configs": {
        # Table alignment as align="left" (the HTML policy allows no style)
        "markdown.extensions.extra": {"tables": {"use_align_attribute": True}},
        "markdown.extensions.toc": {"permalink": False},
        # Curly quotes, dashes and ellipses (smarty); both inline passes
        # skip the patterns that cannot match a text (the same HTML, quicker).
        "content_model.inline:Typography": {},
        "content_model.inline:Inline": {},
        # Pictures in the text get their srcset while they are converted.
        "responsive_images.markdown:ImagesExtension": {},
    },
    "output_format": "html5",
}

# Clean URLs. Items of every section get theirs from the content model.
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# A dated section's listing (/news/, /press/ ...), rendered with its
# section's listing template.
LISTING_TEMPLATES = {s.name: s.listing_template for s in DATED_SECTIONS}
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
# Drafts (and posts dated later) in development builds, by section: files of
# two sections may share a name.
DRAFT_URL = "drafts/{section}/{slug}/"
DRAFT_SAVE_AS = "drafts/{section}/{slug}/index.html"
DRAFT_PAGE_URL = "drafts/{section}/{slug}/"
DRAFT_PAGE_SAVE_AS = "drafts/{section}/{slug}/index.html"
# Pelican's pages the site does not use are not written.
DIRECT_TEMPLATES = ["tags", "404"]
# Listings in pages of DEFAULT_PAGINATION items; a calendar section's (events)
# is one page: what is coming up, then the past by year.
PAGINATED_TEMPLATES = {
    "tag": None,
    **{s.listing_template: None for s in DATED_SECTIONS if not s.calendar},
}
INDEX_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
TEMPLATE_PAGES = {}
NOT_FOUND_SAVE_AS = "404.html"  # DIRECT_TEMPLATES "404" -> 404.html

# Pelican's own feeds are off: plugins write ours with feedgen.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

# --- Theme and plugins --------------------------------------------------------
THEME = "theme"
THEME_STATIC_DIR = "theme"
JINJA_ENVIRONMENT = {
    "autoescape": True,  # trusted HTML is marked |safe where it is rendered
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
}
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "site_meta",  # security.txt, robots.txt, _headers (settings below)
    "responsive_images",  # the image service: WebP srcsets, width/height, lazy
    "content_model",
    "theme_support",
    "members",
    "share_images",  # 1200 x 630 link-preview images (settings below)
    "social_feeds",  # RSS, Atom and JSON feeds and the /feeds/ page
]

# --- Member directory (plugins/members) -----------------------------------------
# Where the exports are written, relative to the site root ("" leaves one
# out): MEMBERS = {"json": ..., "csv": ..., "schema": ...}; by default
# members/members.json, members/members.csv and members/members.schema.json.

# "Now" for anything that depends on the date (upcoming events, Expires of
# security.txt): an ISO date-time, or empty for the real clock. The
# environment variable SITE_NOW overrides it (tests pin it).
SITE_NOW = os.environ.get("SITE_NOW", "")

# Under `make serve` (which turns this on), pages list the problems of a
# failed save over the last good page (theme/static/js/build-problems.js).
BUILD_PROBLEMS_PANEL = False

DELETE_OUTPUT_DIRECTORY = False  # every build writes a new release (site_build)
RELATIVE_URLS = False
CACHE_CONTENT = False  # the build keeps its own, verified cache in .cache/

# --- Quality gate: site metadata, sitemap, responsive images -----------------
# security.txt (RFC 9116; Expires is written at build time), robots.txt and the
# _headers file for hosts that read it (deploy/nginx.conf is the nginx twin).
SITE_META = {
    "security_contacts": ["mailto:security@interactivedenmark.dk"],
    "expires_days": 180,  # rebuild at least twice a year so it never expires
    "preferred_languages": ["en", "da"],
    "robots_disallow": ["/drafts/"],
    "headers_file": os.path.join(_HERE, "deploy", "_headers"),
}
RESPONSIVE_IMAGES = {"widths": (480, 800, 1200, 1600)}

# --- Link previews and feeds (plugins/share_images, plugins/social_feeds) ----
# Pages without a featured image preview with this picture; the logo is the
# organisation's in JSON-LD and in the feeds.
SHARE_IMAGES = {
    "default": "images/brand/default-share.png",
    "default_alt": "The Interactive Denmark logo and the words 'The Danish "
    "cluster for games, film, animation and apps' on a navy background",
    "logo": "images/brand/interactive-denmark-logo.png",
}
# max_items is how many of the newest items each feed holds.
SOCIAL_FEEDS = {"max_items": 30, "summary_length": 280}
# The organisation's fediverse account ("@name@server"), shown as the author
# of shared links on Mastodon; empty while it has none.
FEDIVERSE_CREATOR = ""
