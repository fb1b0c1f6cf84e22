"""Reads a Markdown file's metadata header with line numbers and checks it
against its section's fields. Every problem is reported, none raised."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from PIL import Image, UnidentifiedImageError

from . import model
from .slugs import SLUG_RE
from .svg import check_svg

# The header format of Python-Markdown's meta extension, which Pelican reads.
_KEY_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_CONTINUATION = re.compile(r"^[ ]{4,}(?P<value>.*)$")
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d")
_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?")
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_EMAIL = re.compile(r"[^@\s<>\"',;:]+@[^@\s<>\"',;:]+\.[A-Za-z]{2,}")
_YEAR = re.compile(r"(1[89]|2\d)\d\d")  # 1800 to 2999


@dataclass
class Entry:
    key: str  # as written
    value: str
    line: int


@dataclass
class Issue:
    line: int | None
    field: str
    message: str
    allowed: str = ""


def parse_header(text: str) -> tuple[list[Entry], int]:
    """The `Key: value` lines at the top of a file, and the line after them."""
    lines = text.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":  # YAML-style fence, as Markdown allows
        start = 1
    entries: list[Entry] = []
    number = start
    for number, line in enumerate(lines[start:], start=start + 1):  # noqa: B007
        if start and line.strip() in ("---", "..."):
            return entries, number + 1
        if not line.strip():
            return entries, number + 1
        match = _KEY_LINE.match(line)
        if match:
            entries.append(Entry(match["key"], match["value"].strip(), number))
            continue
        continuation = _CONTINUATION.match(line)
        if continuation and entries:
            entries[-1].value = f"{entries[-1].value} {continuation['value'].strip()}"
            continue
        return entries, number
    return entries, number + 1


def parse_datetime(value: str) -> datetime | None:
    """A strict YYYY-MM-DD[ HH:MM] (strptime alone would take 2026-1-2)."""
    if not _DATE_SHAPE.fullmatch(value):
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def split_list(value: str | list) -> list[str]:
    """Items of a comma-separated value, or of a YAML list."""
    items = value if isinstance(value, list) else value.split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def url_problem(value: str) -> str | None:
    """What keeps a value from being a web address for a link, or None."""
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError:  # such as a port that is not a number
        host, parts = "", None
    if parts is None or parts.scheme not in ("http", "https") or "." not in host:
        return f"{value!r} is not a web address"
    if any(char.isspace() for char in value):
        return f"{value!r} contains a space"
    return None


def vocabulary(name: str, content_root: str) -> set[str]:
    folder, suffix = model.VOCABULARIES[name]
    path = os.path.join(content_root, folder)
    if not os.path.isdir(path):
        return set()
    return {
        entry[: -len(suffix)] for entry in os.listdir(path) if entry.endswith(suffix)
    }


def describe_choices(values) -> str:
    values = sorted(values)
    if not values:
        return "none exist yet"
    return "one of " + ", ".join(values)


def content_file(relative: str, content_root: str) -> tuple[str, str | None]:
    """The path of a file named relative to content/, or what is wrong."""
    if relative.startswith(("/", "http:", "https:")) or ".." in relative.split("/"):
        return "", "must be a path inside content/, such as images/news/photo.jpg"
    path = os.path.join(content_root, relative)
    if not os.path.isfile(path):
        return "", f"file {relative!r} does not exist in content/"
    return path, None


def check_image(relative: str, content_root: str) -> tuple[dict, str | None]:
    """Width, height and type of an image under content/, or what is wrong."""
    path, problem = content_file(relative, content_root)
    if problem:
        return {}, problem
    try:
        with Image.open(path) as img:
            img.verify()
        with Image.open(path) as img:
            kind = img.format
            width, height = img.size
    except (UnidentifiedImageError, OSError, SyntaxError) as err:
        return {}, f"file {relative!r} cannot be read as an image ({err})"
    if kind not in IMAGE_FORMATS:
        return {}, f"file {relative!r} is a {kind} image, not JPEG, PNG or WebP"
    return {
        "image_width": width,
        "image_height": height,
        "image_type": IMAGE_FORMATS[kind],
        "image_bytes": os.path.getsize(path),
    }, None


def check_value(field: model.Field, value: str, content_root: str):
    """(converted value, extra metadata, Issue message or None)."""
    kind = field.kind
    if not value:
        return None, {}, "is empty"
    if kind == model.LINKS:
        return check_links_value(field, value)
    if isinstance(value, dict) or (
        isinstance(value, list) and kind not in (model.LIST, model.SLUGS, model.CHOICES)
    ):
        return None, {}, "must be one value, not a list"
    if kind in (model.TEXT, model.MARKDOWN):
        return value, {}, None
    if kind == model.SUMMARY:
        if field.max_length and len(value) > field.max_length:
            return None, {}, f"is {len(value)} characters long"
        return value, {}, None
    if kind == model.DATETIME:
        parsed = parse_datetime(value)
        if parsed is None:
            return None, {}, f"{value!r} is not a valid date and time"
        return value, {}, None
    if kind == model.INTEGER:
        if not re.fullmatch(r"-?\d+", value):
            return None, {}, f"{value!r} is not a whole number"
        return int(value), {}, None
    if kind == model.CHOICE:
        if value not in field.choices:
            return None, {}, f"{value!r} is not allowed"
        return value, {}, None
    if kind == model.LIST:
        items = split_list(value)
        return (items, {}, None) if items else (None, {}, "lists nothing")
    if kind == model.SLUGS:
        items = split_list(value)
        known = vocabulary(field.vocabulary, content_root)
        unknown = [item for item in items if item not in known]
        if unknown:
            names = ", ".join(repr(u) for u in unknown)
            return None, {}, f"{names} unknown"
        if not items:
            return None, {}, "lists nothing"
        return items, {}, None
    if kind == model.IMAGE:
        extra, problem = check_image(value, content_root)
        return (None, {}, problem) if problem else (value, extra, None)
    if kind == model.URL:
        problem = url_problem(value)
        return (None, {}, problem) if problem else (value, {}, None)
    if kind == model.EMAIL:
        if not _EMAIL.fullmatch(value):
            return None, {}, f"{value!r} is not an e-mail address"
        return value, {}, None
    if kind == model.YEAR:
        if not _YEAR.fullmatch(value):
            return None, {}, f"{value!r} is not a year"
        return int(value), {}, None
    if kind == model.CHOICES:
        items = list(dict.fromkeys(split_list(value)))  # in order, once each
        unknown = [item for item in items if item not in field.choices]
        if unknown:
            return None, {}, f"{', '.join(repr(u) for u in unknown)} not allowed"
        return (items, {}, None) if items else (None, {}, "lists nothing")
    if kind == model.LOGO:
        if value.lower().endswith(".svg"):
            path, problem = content_file(value, content_root)
            extra, problem = ({}, problem) if problem else check_svg(path, value)
        else:
            extra, problem = check_image(value, content_root)
        if problem:
            return None, {}, problem
        # image_width -> logo_width, and so on.
        prefix = f"{field.key}_"
        extra = {prefix + k.removeprefix("image_"): v for k, v in extra.items()}
        return value, extra, None
    raise ValueError(f"content_model: unknown field kind {kind!r}")


def check_links_value(field: model.Field, value) -> tuple:
    """A mapping of networks to web addresses, such as YAML's
    ``links:`` followed by indented ``linkedin: https://...`` lines."""
    if not isinstance(value, dict):
        return None, {}, "must be one 'network: address' line per network"
    problems = []
    for network, address in value.items():
        if network not in field.choices:
            problems.append(f"{network!r} is not a network the site shows")
        elif not isinstance(address, str):
            problems.append(f"{network}: must be one address")
        elif problem := url_problem(address):
            problems.append(f"{network}: {problem}")
    if problems:
        return None, {}, "; ".join(problems)
    return {n: value[n] for n in field.choices if n in value}, {}, None


def allowed_text(field: model.Field, content_root: str) -> str:
    if field.kind == model.CHOICES:
        return (
            f"use one or more of {', '.join(field.choices)} ({field.help}), "
            "as a list or separated by commas"
        )
    if field.kind == model.LINKS:
        return (
            f"use one line per network under '{field.name}:', indented by two "
            f"spaces, such as '  linkedin: https://www.linkedin.com/company/name'; "
            f"networks: {', '.join(field.choices)}"
        )
    if field.kind == model.CHOICE:
        return describe_choices(field.choices) + (
            f" ({field.help})" if field.help else ""
        )
    if field.kind == model.SLUGS:
        known = vocabulary(field.vocabulary, content_root)
        if not known:
            folder, suffix = model.VOCABULARIES[field.vocabulary]
            return f"none exist yet: add content/{folder}/<slug>{suffix} first"
        return "use " + describe_choices(known)
    return f"use {field.help}" if field.help else ""


def validate_header(
    section: model.Section, slug: str, entries: list[Entry], content_root: str
) -> tuple[dict, list[Issue]]:
    """Check the header; return Pelican metadata additions and every issue."""
    issues: list[Issue] = []
    values: dict = {}
    seen: dict[str, Entry] = {}
    names = [f.name for f in section.fields]

    if not SLUG_RE.match(slug):
        issues.append(
            Issue(
                None,
                "file name",
                f"{slug!r} is not a valid slug (the file name becomes the URL)",
                "use lowercase letters a-z, digits and hyphens, such as "
                "growing-games-2027.md",
            )
        )

    for entry in entries:
        field = section.field_named(entry.key)
        if field is None:
            close = difflib.get_close_matches(entry.key, names, n=1, cutoff=0.6)
            close += difflib.get_close_matches(
                entry.key.lower(), [n.lower() for n in names], n=1, cutoff=0.6
            )
            hint = ""
            if close:
                suggestion = next(n for n in names if n.lower() == close[0].lower())
                hint = f"did you mean {suggestion!r}? "
            issues.append(
                Issue(
                    entry.line,
                    entry.key,
                    f"is not a field of the {section.name} section",
                    f"{hint}allowed fields: {', '.join(names)}",
                )
            )
            continue
        if field.key in seen:
            issues.append(
                Issue(
                    entry.line,
                    field.name,
                    f"is given twice (first on line {seen[field.key].line})",
                    "keep one",
                )
            )
            continue
        seen[field.key] = entry
        value, extra, problem = check_value(field, entry.value, content_root)
        if problem:
            issues.append(
                Issue(
                    entry.line, field.name, problem, allowed_text(field, content_root)
                )
            )
            continue
        values[field.key] = value
        values.update(extra)

    for field in section.fields:
        if field.required and field.key not in seen:
            issues.append(
                Issue(
                    None,
                    field.name,
                    "is missing",
                    f"add a line '{field.name}: ...'"
                    + (" to the header" if section.suffix == ".md" else "")
                    + (f" ({field.help})" if field.help else ""),
                )
            )
        if field.requires and field.key in seen:
            partner = section.field_named(field.requires)
            if partner and partner.key not in seen:
                issues.append(
                    Issue(
                        seen[field.key].line,
                        partner.name,
                        f"is missing, but {field.name} is given",
                        f"add '{partner.name}: ...' ({partner.help})",
                    )
                )
    # A field both missing and required-by-partner is reported once.
    unique: list[Issue] = []
    for issue in issues:
        if not any(
            i.field == issue.field and i.message.startswith("is missing")
            for i in unique
        ) or not issue.message.startswith("is missing"):
            unique.append(issue)
    return values, unique


_INTERNAL_LINK = re.compile(
    r"\{(?P<what>filename|static|attach)\}(?P<target>[^)\s\"'>]+)"
)


def check_links(text: str, source_path: str, content_root: str) -> list[Issue]:
    """Every {filename}/{static} link must point at a file in content/."""
    issues = []
    folder = os.path.dirname(source_path)
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _INTERNAL_LINK.finditer(line):
            target = re.split(r"[#?]", match["target"], maxsplit=1)[0]
            if target.startswith("/"):
                path = os.path.join(content_root, target.lstrip("/"))
            else:
                path = os.path.join(folder, target)
            if not os.path.isfile(path):
                issues.append(
                    Issue(
                        number,
                        "link",
                        f"{match.group(0)!r} points at a file that does not exist",
                        "link to a file under content/, such as "
                        "{filename}/pages/about.md or {static}/images/brand/logo.svg",
                    )
                )
    return issues
