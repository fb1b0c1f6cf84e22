"""Theme support: the UI string table, fingerprinted assets and the small
helpers the templates use (absolute URLs, dates).

Settings read: THEME, DEFAULT_LANG, SITEURL, PRODUCTION_SITEURL.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import yaml
from markupsafe import Markup
from pelican import signals

import build_errors
import site_build

STRINGS_FILE = "strings.yaml"  # in the theme folder
FINGERPRINTED = (".css", ".js", ".svg")  # the theme's files: cached for a year


class Strings:
    """UI strings of one language: t('key') or t('key', count=3)."""

    def __init__(self, table: dict, lang: str, source: str):
        if lang not in table:
            raise ValueError(
                f"theme_support: language {lang!r} has no strings in {source}; "
                f"languages there: {', '.join(sorted(table))}"
            )
        self.lang = lang
        self.table = table[lang]
        self.source = source

    def __call__(self, key: str, **values) -> str:
        try:
            text = self.table[key]
        except KeyError:
            build_errors.report(
                self.source,
                None,
                key,
                f"UI string missing for language {self.lang!r}",
                "add it to the table",
            )
            return key
        if isinstance(text, dict):  # plural forms: {one: ..., other: ...}
            text = text["one"] if values.get("count") == 1 else text["other"]
        return text.format(**values) if values else text


def _memo() -> dict:
    """What this build has read already (the session's, so nothing carries
    over to the next build)."""
    try:
        return site_build.session().memo
    except RuntimeError:  # outside a build: no memory
        return {}


# libyaml's loader where it is installed: 3 ms for the strings, not 33 ms.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_strings(theme: str, lang: str) -> Strings:
    path = os.path.join(theme, STRINGS_FILE)
    memo = _memo()
    table = memo.get(("strings", path))
    if table is None:
        table = memo[("strings", path)] = _read_strings(path)
    return Strings(table, lang, path)


def _read_strings(path: str) -> dict:
    """The string table of ``path``; the build stops at a file that is not
    one, with its line where there is one."""
    with open(path, "rb") as handle:
        data = handle.read()
    allowed = (
        "start each language with its code and a colon (en:), and write its "
        "strings under it, indented, as key: text (text with a colon in quotes)"
    )
    try:
        table = yaml.load(data.decode("utf-8"), Loader=_LOADER)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        _unreadable(path, line, "is not UTF-8 text here", "save the file as UTF-8")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        if getattr(error, "position", None) is not None:  # a character not allowed
            line = data.decode("utf-8")[: error.position].count("\n") + 1
        why = getattr(error, "problem", None) or getattr(error, "reason", "")
        _unreadable(path, line, f"is not YAML here: {why}", allowed)
    if not isinstance(table, dict) or not all(
        isinstance(strings, dict) for strings in table.values()
    ):
        _unreadable(path, None, "is not a table of languages", allowed)
    return table


def _unreadable(path: str, line: int | None, message: str, allowed: str):
    build_errors.report(path, line, "strings", message, allowed)
    raise build_errors.BuildFailed(build_errors.problems())


def fingerprint(path: str) -> str:
    """The first 10 hex digits of the file's SHA-256 (read once per build:
    templates ask for the same few assets on every page)."""
    memo = _memo()
    digest = memo.get(("asset", path))
    if digest is None:
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()[:10]
        memo[("asset", path)] = digest
    return digest


def fingerprinted_name(relative: str, digest: str) -> str:
    stem, ext = os.path.splitext(relative)
    return f"{stem}.{digest}{ext}"


class Site:
    """Helpers bound to one run's settings."""

    def __init__(self, settings):
        self.settings = settings
        self.siteurl = settings.get("SITEURL", "").rstrip("/")
        self.canonical_root = (
            self.siteurl
            if self.siteurl.startswith(("http://", "https://"))
            else settings["PRODUCTION_SITEURL"].rstrip("/")
        )
        self.static_root = os.path.join(settings["THEME"], "static")

    def url(self, path: str = "") -> str:
        """A link within the site: '/about/' in development, absolute in
        production (SITEURL)."""
        return f"{self.siteurl}/{path.lstrip('/')}"

    def absolute(self, path: str = "") -> str:
        """An absolute URL, for canonical links, feeds and previews."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.canonical_root}/{path.lstrip('/')}"

    def asset(self, relative: str) -> str:
        """URL of a theme file; CSS, JS and SVG names carry their content
        hash so they can be cached forever."""
        source = os.path.join(self.static_root, relative)
        if relative.endswith(FINGERPRINTED):
            relative = fingerprinted_name(relative, fingerprint(source))
        return self.url(f"{self.settings['THEME_STATIC_DIR']}/{relative}")


def add_globals(generator):
    settings = generator.settings
    site = Site(settings)
    env = generator.env
    env.globals.update(
        t=load_strings(settings["THEME"], settings["DEFAULT_LANG"]),
        url=site.url,
        absolute=site.absolute,
        asset=site.asset,
    )
    env.filters.update(isodate=isodate, markup=Markup, headings=headings)


def isodate(value) -> str:
    return value.isoformat(timespec="seconds")


# A section heading of converted Markdown (the toc extension gives each an id).
# Bounded: a text of unclosed <h2 id=...> would be read to its end from each.
_H2 = re.compile(r'<h2 id="([^"<>]{1,500})">(.{0,2000}?)</h2>', re.DOTALL)


def headings(html: str) -> list[tuple[str, str]]:
    """(id, text) of each section heading (h2) of a page's text, for its
    "On this page" list: the heading's words as plain text (tags dropped,
    references read), which the template escapes like any text."""
    return [
        (anchor, Markup(inner).striptags())
        for anchor, inner in _H2.findall(str(html or ""))
    ]


def write_assets(pelican):
    """The theme's static files into the site, CSS, JS and SVG under their
    fingerprinted names (linked from the previous release when unchanged)."""
    s = site_build.session()
    settings = pelican.settings
    static_root = os.path.join(settings["THEME"], "static")
    for folder, _dirs, files in os.walk(static_root):
        for name in files:
            source = os.path.join(folder, name)
            relative = os.path.relpath(source, static_root).replace(os.sep, "/")
            if name.endswith(FINGERPRINTED):
                relative = fingerprinted_name(relative, fingerprint(source))
            path = f"{settings['THEME_STATIC_DIR']}/{relative}"
            state = os.stat(source)
            key = s.key("theme", path, state.st_size, state.st_mtime_ns)
            s.output(path, key, Path(source).read_bytes, source)


def reserve(pelican):
    folder = pelican.settings["THEME_STATIC_DIR"]
    site_build.session().reserve(f"{folder}/", "the theme's files")


def check_settings(pelican):
    """CONTACTS, SOCIAL_LINKS, NEWSLETTER and PARTNERS (site_settings.py)."""
    from . import site_settings

    settings = pelican.settings
    site_settings.check(
        settings, load_strings(settings["THEME"], settings["DEFAULT_LANG"])
    )


def register():
    signals.initialized.connect(check_settings)
    signals.initialized.connect(reserve)
    signals.generator_init.connect(add_globals)
    signals.finalized.connect(write_assets)
