"""Site metadata files: /.well-known/security.txt (RFC 9116), /robots.txt and
the host headers file, plus a reset of the sitemap plugin between builds.

The sitemap itself comes from the maintained ``pelican.plugins.sitemap``
plugin (enabled in pelicanconf.py, after this one); robots.txt points at it.
This plugin starts it afresh for every build and corrects the URL it gives
files written with another page's context (see _fix_sitemap_queue).

Settings: SITE_META (one dict, defaults in settings.DEFAULTS), SITEURL,
PRODUCTION_SITEURL; the build's "now" (site_build.session().now).
"""

from __future__ import annotations

import os
from datetime import datetime, time, timedelta
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
    """One build's configuration, checked when Pelican starts."""

    def __init__(self):
        self.config: dict | None = None

    def initialize(self, pelican):
        _reset_sitemap_plugin()
        s = site_build.session()
        _sitemap_now(s.now)
        for path in ("robots.txt", "sitemap.xml", "_headers", ".well-known/"):
            s.reserve(path, "the site's own files for search engines and hosts")
        setting = check_settings(pelican.settings)
        self.config = setting.values if setting.report() else None

    def write_files(self, pelican):
        _fix_sitemap_queue(pelican)
        if self.config is None:
            return
        s = site_build.session()
        root = canonical_root(pelican.settings)
        text = security_txt(self.config, root, s.now)
        s.write(".well-known/security.txt", text, "site_meta")
        s.write("robots.txt", robots_txt(self.config, root), "site_meta")
        headers = self.config["headers_file"]
        if headers:
            with open(headers, "rb") as handle:
                s.write("_headers", handle.read(), headers)


def _fix_sitemap_queue(pelican):
    """The sitemap plugin names each written file by the URL of the page in
    its context. A file written with another page's context (the member
    directory's filter pages carry the directory page) would be listed under
    that page's URL, twice, and itself not at all: name such files by their
    own path instead. Runs before the plugin writes the sitemap."""
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:
        return
    queue = sitemap.generator.page_queue
    prefix = os.path.join(pelican.output_path, "")
    for index, (path, obj) in enumerate(queue):
        written = (
            path[len(prefix) :]
            if path.startswith(prefix)
            else os.path.relpath(path, pelican.output_path)
        ).replace(os.sep, "/")
        if obj is not None and getattr(obj, "save_as", written) != written:
            queue[index] = (path, None)


def _sitemap_now(now: datetime) -> None:
    """The sitemap plugin dates pages without a date of their own (listings)
    by the time it was imported; date them by the day of this build's "now"
    instead, so the same content gives the same sitemap all day."""
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:
        return
    sitemap.generator.now = datetime.combine(now.date(), time(), now.tzinfo)


def _reset_sitemap_plugin():
    """The sitemap plugin keeps its queue in a module-level object and only
    clears it when a build reaches its end; after a failed build in the same
    process (tests, live reload) the next sitemap would be skipped or hold
    stale pages. Start every build from a clean queue."""
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:  # the plugin is not installed: nothing to reset
        return
    sitemap.generator._main_pelican = None
    sitemap.generator.page_queue = []


_site_meta = SiteMeta()


def register():
    signals.initialized.connect(_site_meta.initialize)
    signals.finalized.connect(_site_meta.write_files)
