"""Reads the YAML files of the member directory (content/members/<slug>.yaml)
as Pelican pages, validated against the members section of the content model.

The YAML is read safely and with line numbers (yamlfile.py), every value as
text, then checked by the content model's own validation, exactly as
Markdown headers are. Two files may not give the same company name: once
all are read, the later one (by path) is reported, naming the other.
"""

from __future__ import annotations

from pelican.readers import BaseReader

import build_errors
from content_model import SKIP, placement, read_source, report_issues
from content_model.validate import Entry, Mapping, validate_header

from .yamlfile import parse_member_yaml


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


class NameRegister:
    """The company name of every member file read in this build, so that two
    files giving the same name are found once all are read (Pelican reads
    files in no set order; the message is the same in every run)."""

    def __init__(self):
        self._names: dict[str, tuple[str, int]] = {}  # path -> (name, line)

    def reset(self, *_args) -> None:
        self._names.clear()

    def add(self, path: str, entries: Mapping) -> None:
        entry = next((e for e in entries if e.key == "name"), None)
        if entry is not None and isinstance(entry.value, str) and entry.value:
            self._names[path] = (entry.value, entry.line)

    def report_duplicates(self) -> None:
        first: dict[str, str] = {}
        for path in sorted(self._names, key=build_errors.display_path):
            name, line = self._names[path]
            earlier = first.setdefault(name_key(name), path)
            if earlier != path:
                build_errors.report(
                    path,
                    line,
                    "name",
                    f"{name!r} is already the name of "
                    f"{build_errors.display_path(earlier)}",
                    "give each member its own name, or remove one of the files",
                )


names = NameRegister()


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
        entries, issues = parse_member_yaml(text)
        if not issues:
            entries = tidy(entries)
            names.add(source_path, entries)
            values, issues = validate_header(section, slug, entries, content_root)
        report_issues(source_path, issues)
        if issues:
            return SKIP

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
