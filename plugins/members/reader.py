"""Reads the YAML files of the member directory (content/members/<slug>.yaml)
as Pelican pages, validated against the members section of the content model.

The YAML is read safely and with line numbers (yamlfile.py), every value as
text, then checked by the content model's own validation, exactly as
Markdown headers are. What the YAML parser gives for a file's text is kept
in the build cache (it depends on nothing else); the checks, which look at
other files (logos, programmes), run on every build. Two files may not give
the same company name: once all are read, the later one (by path) is
reported, naming the other.
"""

from __future__ import annotations

import os

from pelican.readers import BaseReader

import build_errors
import site_build
from content_model import SKIP, placement, read_source, report_issues
from content_model.validate import Entry, Mapping, validate_header

from .yamlfile import parse_member_yaml

NAMES = "members: names"  # the session's register of company names


def tidy(value):
    """Text written over several lines becomes one line again; the values
    are plain text, so line breaks carry no meaning."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        kind = type(value)
        return kind(Entry(e.key, tidy(e.value), e.line) for e in value)
    return value


def name_key(name: str) -> str:
    """Names that differ only in case or spacing are the same name."""
    return " ".join(name.split()).casefold()


def name_of(entries: Mapping) -> tuple[str, int] | None:
    entry = next((e for e in entries if e.key == "name"), None)
    if entry is not None and isinstance(entry.value, str) and entry.value:
        return entry.value, entry.line
    return None


def parse(text: str):
    """(entries, issues) of a member file's text, from the build cache when
    this text was parsed before."""
    s = site_build.session()
    key = s.key("member-yaml", text)
    found = s.cache.get_object("member-yaml", key)
    if found is None:
        found = parse_member_yaml(text)
        s.cache.put_object("member-yaml", key, found)
    return found


def report_duplicate_names(_members=None) -> None:
    """Two member files giving one company name: the later (by path) is
    reported, naming the other. Every file read counts, checked or not."""
    names = site_build.session().memo.get(NAMES, {})
    first: dict[str, str] = {}
    for path in sorted(names):  # one folder: paths sort as their names
        name, line = names[path]
        earlier = first.setdefault(name_key(name), path)
        if earlier != path:
            build_errors.report(
                path,
                line,
                "name",
                f"{name!r} is already the name of {build_errors.display_path(earlier)}",
                "give each member its own name, or remove one of the files",
            )


class MemberReader(BaseReader):
    """Pelican reader for the sections the content model writes in YAML."""

    enabled = True
    # '.yml' is read only to be refused with a clear message by read_source.
    file_extensions = ["yaml", "yml"]

    def read(self, source_path):
        content_root = self.settings["PATH"]
        source = read_source(source_path, content_root)
        if source is None:
            return SKIP
        section, slug, text = source
        entries, issues = parse(text)
        values = None
        if not issues:
            entries = tidy(entries)
            name = name_of(entries)
            if name is not None:
                memo = site_build.session().memo
                memo.setdefault(NAMES, {})[os.path.abspath(source_path)] = name
            values, issues = validate_header(section, slug, entries, content_root)
        report_issues(source_path, issues)
        if issues:
            return SKIP
        values = dict(values)
        status = values.pop("status", "published")
        title = values.pop("name")
        metadata = {
            **values,
            "title": title,
            "slug": slug,
            "status": status,
            "section": section.name,
        }
        metadata.update(placement(section, slug, status))
        return "", metadata
