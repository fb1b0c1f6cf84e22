"""Site metadata files: /.well-known/security.txt (RFC 9116), /robots.txt and
the host headers file, plus a reset of the sitemap plugin between builds.

The sitemap itself comes from the maintained ``pelican.plugins.sitemap``
plugin (enabled in pelicanconf.py, after this one); robots.txt points at it.
This plugin starts it afresh for every build and corrects the URL it gives
files written with another page's context (see _fix_sitemap_queue).

Settings: SITE_META (one dict, defaults in settings.DEFAULTS), SITEURL,
PRODUCTION_SITEURL, SITE_NOW (environment variable SITE_NOW overrides it).
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pelican import signals

from .settings import check_settings

TIMEZONE = ZoneInfo("Europe/Copenhagen")


def site_now(settings) -> datetime:
    """'Now' of this build: SITE_NOW (environment, then setting) or the clock."""
    value = os.environ.get("SITE_NOW") or settings.get("SITE_NOW") or ""
    if not value:
        return datetime.now(TIMEZONE)
    now = datetime.fromisoformat(value)
    return now if now.tzinfo else now.replace(tzinfo=TIMEZONE)


def canonical_root(settings) -> str:
    """The site's absolute address: SITEURL in production, else the
    production address (these files need absolute URLs even in development)."""
    siteurl = settings.get("SITEURL", "").rstrip("/")
    if siteurl.startswith(("http://", "https://")):
        return siteurl
    return settings["PRODUCTION_SITEURL"].rstrip("/")


def security_txt(config: dict, root: str, now: datetime) -> str:
    """RFC 9116 text: Contact and Expires are required; Expires lies
    ``expires_days`` after the build, so a site rebuilt regularly never
    serves an expired file."""
    expires = (now + timedelta(days=config["expires_days"])).astimezone(ZoneInfo("UTC"))
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


def _write(output_path: str, relative: str, text: str) -> None:
    target = os.path.join(output_path, relative)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


class SiteMeta:
    """One build's configuration, checked when Pelican starts."""

    def __init__(self):
        self.config: dict | None = None

    def initialize(self, pelican):
        _reset_sitemap_plugin()
        setting = check_settings(pelican.settings)
        try:
            _sitemap_now(site_now(pelican.settings))
        except ValueError:
            value = os.environ.get("SITE_NOW") or pelican.settings.get("SITE_NOW")
            setting.problem(
                "SITE_NOW",
                f"invalid value {value!r} (setting or environment)",
                "an ISO date and time such as 2026-11-27T12:00:00+01:00, or "
                "nothing for the real clock",
            )
        self.config = setting.values if setting.report() else None

    def write_files(self, pelican):
        _fix_sitemap_queue(pelican)
        if self.config is None:
            return
        settings = pelican.settings
        root = canonical_root(settings)
        output = pelican.output_path
        _write(
            output,
            ".well-known/security.txt",
            security_txt(self.config, root, site_now(settings)),
        )
        _write(output, "robots.txt", robots_txt(self.config, root))
        headers = self.config["headers_file"]
        if headers:
            shutil.copyfile(headers, os.path.join(output, "_headers"))


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
    by the time it was imported; date them by this build's SITE_NOW instead,
    so the same content and SITE_NOW give the same sitemap."""
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:
        return
    sitemap.generator.now = now


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
