"""Site metadata files: /.well-known/security.txt (RFC 9116), /robots.txt,
/sitemap.xml and the host headers file.

The sitemap lists every published page (drafts and the page not found left
out) with the date its content last changed: an item's Modified or Date, a
listing's newest item, a page's newest item it lists (the home page, a
programme's items, a member's showcases). A page without a date of its own
and listing nothing dated has no lastmod. So the same content gives the same
sitemap, whenever and wherever it is built (a fresh clone in CI too), and a
search engine sees a date move only when something on the page changed.

Settings: SITE_META (one dict, defaults in settings.DEFAULTS), SITEURL,
PRODUCTION_SITEURL; the build's "now" (site_build.session().now).
"""

from __future__ import annotations

import os
from datetime import datetime, time, timedelta
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from pelican import signals

import site_build

from .settings import check_settings


def canonical_root(settings) -> str:
    """The site's absolute address: SITEURL in production, else the
    production address (these files need absolute URLs even in development)."""
    siteurl = settings.get("SITEURL", "").rstrip("/")
    if siteurl.startswith(("http://", "https://")):
        return siteurl
    return settings["PRODUCTION_SITEURL"].rstrip("/")


def security_txt(config: dict, root: str, now: datetime) -> str:
    """RFC 9116 text: Contact and Expires are required; Expires lies
    ``expires_days`` after the day of the build (midnight UTC, so every build
    of one day writes the same bytes), and a site rebuilt regularly never
    serves an expired file."""
    day = now.astimezone(ZoneInfo("UTC")).date() + timedelta(
        days=config["expires_days"]
    )
    expires = datetime.combine(day, time(), ZoneInfo("UTC"))
    lines = [f"Contact: {contact}" for contact in config["security_contacts"]]
    lines.append(f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}")
    if config["security_policy"]:
        lines.append(f"Policy: {config['security_policy']}")
    if config["preferred_languages"]:
        lines.append(f"Preferred-Languages: {', '.join(config['preferred_languages'])}")
    lines.append(f"Canonical: {root}/.well-known/security.txt")
    return "\n".join(lines) + "\n"


def robots_txt(config: dict, root: str) -> str:
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in config["robots_disallow"]]
    if not config["robots_disallow"]:
        lines.append("Disallow:")
    lines += ["", f"Sitemap: {root}/sitemap.xml"]
    return "\n".join(lines) + "\n"


class SiteMeta:
    """One build's configuration, checked when Pelican starts, and the
    pages written, for the sitemap."""

    def __init__(self):
        self.config: dict | None = None
        self.pages: dict[str, datetime | None] = {}  # address -> last change

    def initialize(self, pelican):
        s = site_build.session()
        for path in ("robots.txt", "sitemap.xml", "_headers", ".well-known/"):
            s.reserve(path, "the site's own files for search engines and hosts")
        setting = check_settings(pelican.settings)
        self.config = setting.values if setting.report() else None
        self.pages = {}
        self.output = pelican.output_path

    def page_written(self, path, context):
        """A page of the site (the writer tells every one, made or kept)."""
        name = os.path.relpath(path, self.output).replace(os.sep, "/")
        item = context.get("article") or context.get("page")
        if getattr(item, "save_as", name) != name:
            item = None  # written with another page's context (filter pages)
        if (
            not name.endswith(".html")
            or name == "404.html"
            or name.startswith("drafts/")
            or getattr(item, "status", "published") != "published"
        ):
            return
        self.pages[name.removesuffix("index.html")] = last_change(item, context)

    def write_files(self, pelican):
        if self.config is None:
            return
        s = site_build.session()
        root = canonical_root(pelican.settings)
        text = security_txt(self.config, root, s.now)
        s.write(".well-known/security.txt", text, "site_meta")
        s.write("robots.txt", robots_txt(self.config, root), "site_meta")
        s.write("sitemap.xml", sitemap_xml(self.pages, root), "site_meta")
        headers = self.config["headers_file"]
        if headers:
            with open(headers, "rb") as handle:
                s.write("_headers", handle.read(), headers)


def _changed(item) -> datetime | None:
    return getattr(item, "modified", None) or getattr(item, "date", None)


def last_change(item, context: dict) -> datetime | None:
    """When what a page shows last changed, as far as the content says: its
    own Modified or Date; else the newest of the dated items it lists."""
    own = _changed(item)
    if own is not None:
        return own
    if item is None:  # a listing: its page of items, or all of them
        listing = context.get("articles_page")
        shown = listing.object_list if listing else context.get("articles", ())
    elif getattr(item, "template", "") == "home":
        shown = context.get("articles", ())
    else:
        slug = getattr(item, "slug", "")
        shown = [
            *(getattr(item, "showcases", None) or ()),
            *context.get("articles_by_programme", {}).get(slug, ()),
            *context.get("calendar_by_programme", {}).get(slug, ()),
        ]
    return max(filter(None, map(_changed, shown)), default=None)


def sitemap_xml(pages: dict[str, datetime | None], root: str) -> str:
    """The sitemap (sitemaps.org 0.9): each address with its last change."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for address in sorted(pages):
        lines.append(f"<url><loc>{escape(f'{root}/{address}')}</loc>")
        if pages[address] is not None:
            lines.append(f"<lastmod>{pages[address].isoformat()}</lastmod>")
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


_site_meta = SiteMeta()


def register():
    signals.initialized.connect(_site_meta.initialize)
    signals.content_written.connect(_site_meta.page_written)
    signals.finalized.connect(_site_meta.write_files)
