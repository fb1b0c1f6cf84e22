"""Reads the YAML files of the member directory (content/members/<slug>.yaml)
as Pelican pages, validated against the members section of the content model.

The YAML is read safely and with line numbers (yamlfile.py), every value as
text, then checked by the content model's own validation, exactly as
Markdown headers are. What the YAML parser gives for a file's text is kept
in the build cache with the files it looked at (logos, the programmes'
folder): a file is checked again when it or one of those changed. Two files may not give
the same company name: once all are read, the later one (by path) is
reported, naming the other.
"""

from __future__ import annotations

import os

from pelican.readers import BaseReader

import build_errors
import site_build
from content_model import (
    CHECKERS,
    SKIP,
    Checked,
    checked,
    placement,
    read_source,
    report_issues,
)
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


def check_member(section, slug: str, text: str, source_path, content_root) -> Checked:
    """A member file's checked values and every issue, with its company name
    (for the duplicates check)."""
    entries, issues = parse_member_yaml(text)
    if issues:
        return Checked({}, tuple(issues))
    entries = tidy(entries)
    values, issues = validate_header(section, slug, entries, content_root)
    return Checked(values, tuple(issues), name=name_of(entries))


CHECKERS[".yaml"] = check_member


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
        result = checked(section, slug, text, source_path, content_root)
        if result.name is not None:
            site_build.session().note(NAMES, os.path.abspath(source_path), result.name)
        report_issues(source_path, result.issues)
        if result.issues:
            return SKIP
        values = result.values
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
