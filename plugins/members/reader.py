"""Reads the YAML files of the member directory (content/members/<slug>.yaml)
as Pelican pages, validated against the members section of the content model.

The YAML is read safely and with line numbers (yamlfile.py), every value as
text, then checked by the content model's own validation, exactly as
Markdown headers are. Two files may not give the same company name: once
all are read, the later one (by path) is reported, naming the other.

What checking a file gave is kept between builds (cache.Records), under a key
of its text, the programmes it may name and the code; with the state of its
logo file, which is looked at again each time. A rebuild reads each file but
checks only the changed ones.
"""

from __future__ import annotations

import os

from pelican.readers import BaseReader

import build_errors
from content_model import SKIP, model, placement, read_source, report_issues
from content_model.validate import Entry, Mapping, validate_header

from .cache import Records, file_state
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

    def add(self, path: str, name: tuple[str, int] | None) -> None:
        if name is not None:
            self._names[path] = name

    def report_duplicates(self) -> None:
        first: dict[str, str] = {}
        # Member files all lie in one folder: their paths sort as their names.
        for path in sorted(self._names):
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


def name_of(entries: Mapping) -> tuple[str, int] | None:
    entry = next((e for e in entries if e.key == "name"), None)
    if entry is not None and isinstance(entry.value, str) and entry.value:
        return entry.value, entry.line
    return None


class Reading:
    """This build's cache of checked member files (set up when it starts)."""

    def __init__(self):
        self.records = Records(None)
        self.context = ""
        # What the last file checked is made from: its key and the state of
        # its logo file (a page made from the same is the same page).
        self.source = ""

    def start(self, folder: str | None, content_root: str) -> None:
        self.records = Records(folder)
        programmes = os.path.join(content_root, model.VOCABULARIES["programmes"][0])
        try:
            listed = sorted(os.listdir(programmes))
        except OSError:
            listed = []
        # What the checks look at besides the file: where the content is
        # and which programmes exist.
        self.context = f"{os.path.abspath(content_root)}\0{listed}"

    def check(self, section, slug: str, text: str, root: str):
        """(values or None, issues, name) of a member file, from the cache
        when its text, its logo and all else the check looked at are as
        they were."""
        key = self.records.key(self.context, section.name, slug, text)
        found = self.records.get(key)
        if found is not None:
            result, logo, state = found
            if logo is None or file_state(os.path.join(root, logo)) == state:
                self.source = f"{key}:{state}"
                return result
        entries, issues = parse_member_yaml(text)
        name, values, logo = None, None, None
        if not issues:
            entries = tidy(entries)
            name = name_of(entries)
            values, issues = validate_header(section, slug, entries, root)
            logo = next((e.value for e in entries if e.key == "logo"), None)
            logo = logo if isinstance(logo, str) else None
        result = (None if issues else values, issues, name)
        state = file_state(os.path.join(root, logo)) if logo else None
        self.records.put(key, (result, logo, state))
        self.source = f"{key}:{state}"
        return result


reading = Reading()


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
        values, issues, name = reading.check(section, slug, text, content_root)
        names.add(source_path, name)
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
