"""Reads a Markdown file's metadata header with line numbers and checks it
against its section's fields. Every problem is reported, none raised."""

from __future__ import annotations

import contextlib
import difflib
import os
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import site_build
from site_build.session import file_state

from . import model
from .images import RASTER_TYPES, facts
from .slugs import SLUG_RE, slugify
from .urls import shown_host, web_address_parts

# The header format of Python-Markdown's meta extension, which Pelican reads.
_KEY_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_CONTINUATION = re.compile(r"^[ ]{4,}(?P<value>.*)$")
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d")
# Years a date of the site can have: a slip of the keyboard (0207, 9999)
# would make times no calendar can show.
_DATE_SHAPE = re.compile(r"(19[7-9]\d|2\d\d\d)-\d{2}-\d{2}( \d{2}:\d{2})?")
_ANY_YEAR = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?")
DATE_YEARS = "between 1970 and 2999"
EMAIL_ADDRESS = re.compile(r"[^@\s<>\"',;:]+@[^@\s<>\"',;:]+\.[A-Za-z]{2,}")
_YEAR = re.compile(r"(1[89]|2\d)\d\d")  # 1800 to 2999
_PRICE = re.compile(
    r"(?P<free>(?i:free|gratis|0))"
    r"|(?i:DKK ?)?(?P<amount>[1-9]\d{0,5})(?i: ?(?:DKK|kr\.?))?"
)


# Characters no text needs (tab, line feed and carriage return are fine): a
# NUL byte or an escape code is a broken save or an attack, and a direction
# override makes text read otherwise than it is written ("Trojan source"),
# and a Unicode line separator ends a line that shows no end.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ufdd0-\ufdef\ufffe\uffff]"  # and the noncharacters, which are no text
)


def hidden_character(text: str) -> tuple[int, str] | None:
    """(offset, description) of the first character no text needs, or None."""
    found = _HIDDEN.search(text)
    if found is None:
        return None
    code = ord(found.group(0))
    kind = (
        "control character"
        if code <= 0x9F
        else "line separator"  # Word's, which splits lines where none show
        if code in (0x2028, 0x2029)
        else "direction override"
        if code <= 0x2069
        else "noncharacter"
    )
    return found.start(), f"the {kind} U+{code:04X}"


HIDDEN_FIX = "delete it, or type the text again; save the file as UTF-8 text"


@dataclass
class Entry:
    key: str  # as written
    value: str | list | Mapping  # a YAML list is a list of Entry keyed 1, 2...
    line: int


class Mapping(list):
    """The entries of a YAML mapping (indented ``name: value`` lines), in the
    order written. Markdown headers only ever hold text."""


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
    parts: list[list[str]] = []  # each entry's value, line by line
    number = start
    end = None
    for number, line in enumerate(lines[start:], start=start + 1):  # noqa: B007
        if (start and line.strip() in ("---", "...")) or not line.strip():
            end = number + 1
            break
        match = _KEY_LINE.match(line)
        if match:
            entries.append(Entry(match["key"], "", number))
            parts.append([match["value"].strip()])
            continue
        continuation = _CONTINUATION.match(line)
        if continuation and entries:
            parts[-1].append(continuation["value"].strip())
            continue
        end = number
        break
    for entry, words in zip(entries, parts, strict=True):
        entry.value = " ".join(words)
    return entries, end if end is not None else number + 1


def line_of(text: str, needle: str, first: int = 1, start: bool = False) -> int | None:
    """The number of the first line of ``text`` from line ``first`` on that
    holds ``needle`` (with ``start``: begins with it, in any case)."""
    lines = text.splitlines()
    for number in range(first, len(lines) + 1):
        line = lines[number - 1]
        if needle and (line.lower().startswith(needle) if start else needle in line):
            return number
    return None


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


def clocks_skip(moment: datetime) -> tuple[str, str] | None:
    """(what is wrong, what to do) when ``moment`` is a time that does not
    exist in Copenhagen (the hour the clocks skip in spring), else None."""
    zone = ZoneInfo(model.TIMEZONE)
    back = moment.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) == moment:
        return None
    return (
        f"{moment:%H:%M} does not exist on {moment:%Y-%m-%d} in Copenhagen: the "
        "clocks go forward an hour that night",
        f"use a time from {back:%H}:00 on, such as {back:%H:%M}",
    )


def split_list(value: str | list) -> list[str]:
    """Items of a comma-separated value, or of a YAML list."""
    items = value if isinstance(value, list) else value.split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def url_problem(value: str) -> tuple[str, str] | None:
    """What keeps a value from being a web address for a link, read as a
    browser reads it (urls.py), and what to write instead; or None."""
    return web_address_parts(value)


def vocabulary(name: str, content_root: str) -> set[str]:
    """The slugs of a vocabulary: the files of its folder (listed once per
    build)."""
    folder, suffix = model.VOCABULARIES[name]
    path = os.path.join(content_root, folder)
    try:
        s = site_build.session()
    except RuntimeError:
        s, memo = None, {}
    else:
        memo = s.memo
    found = memo.get(("vocabulary", path))
    if found is None:
        state = file_state(path)  # before listing: a file added meanwhile is seen
        names = os.listdir(path) if os.path.isdir(path) else []
        slugs = {entry[: -len(suffix)] for entry in names if entry.endswith(suffix)}
        found = memo[("vocabulary", path)] = (state, slugs)
    if s is not None:  # a file added or removed changes the folder
        s.depends(path, found[0])
    return found[1]


TEXT_MAX = 300  # one line of text: a title, a venue, a name
LISTED_MAX = 12  # a longer vocabulary is named by its folder, not listed
SUGGESTIONS_MAX = 5


def describe_choices(values) -> str:
    """'one of a, b, c': a set sorted, a tuple (the model's) in its order."""
    values = sorted(values) if isinstance(values, set | frozenset) else list(values)
    if not values:
        return "none exist yet"
    return "one of " + ", ".join(values)


def did_you_mean(value: str, known) -> str:
    """' (did you mean 'a' or 'b'?)' for the closest of ``known``, at most
    SUGGESTIONS_MAX; '' when none is close."""
    known = sorted(known)
    close = difflib.get_close_matches(value, known, SUGGESTIONS_MAX, 0.82)
    close += [k for k in known if k.startswith(value) and k not in close]  # cut short
    close = close[:SUGGESTIONS_MAX]
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"


def nearest_files(relative: str, content_root: str) -> str:
    """' (did you mean ...?)' for a file that is not there: the files of its
    folder with the same name but another case or ending first (photo.JPG,
    photo.jpeg for photo.jpg), else those whose names are closest."""
    folder, name = os.path.split(relative.replace("\\", "/"))
    try:
        names = sorted(os.listdir(os.path.join(content_root, folder)))
    except OSError:
        return ""
    stem = os.path.splitext(name)[0].lower()
    close = [n for n in names if os.path.splitext(n)[0].lower() == stem]
    close = close or difflib.get_close_matches(name, names, SUGGESTIONS_MAX, 0.82)
    if not close:
        return ""
    found = [repr(f"{folder}/{n}" if folder else n) for n in close[:SUGGESTIONS_MAX]]
    return " (did you mean " + " or ".join(found) + "?)"


def _depends(path: str) -> None:
    """What is being checked depends on this file (see session.remembered)."""
    with contextlib.suppress(RuntimeError):  # outside a build: nothing to tell
        site_build.session().depends(path)


def inside(path: str, root: str) -> bool:
    """Whether ``path``, with every link in it followed, is inside ``root``."""
    real = os.path.realpath(path)
    root = os.path.realpath(root)
    return real == root or real.startswith(root + os.sep)


def content_file(relative: str, content_root: str) -> tuple[str, str | None]:
    """The path of a file named relative to content/, or what is wrong."""
    if (
        relative.startswith(("/", "\\", "http:", "https:"))
        or ".." in relative.replace("\\", "/").split("/")
        or "\0" in relative
    ):
        return "", "must be a path inside content/, such as images/news/photo.jpg"
    path = os.path.join(content_root, relative)
    _depends(path)
    if not os.path.isfile(path):
        near = nearest_files(relative, content_root)
        return "", f"file {relative!r} does not exist in content/{near}"
    # No '..': the path stays in content/, and no link in content/ leads out
    # of the project (the build's fence, site_build._check_fence).
    return path, None


def check_image(relative: str, content_root: str) -> tuple[dict, str | None]:
    """Width, height, type, size and hash of a JPEG, PNG or WebP image under
    content/ (image_width, ...), or what is wrong."""
    path, problem = content_file(relative, content_root)
    if problem:
        return {}, problem
    found = facts(path, relative)
    if found.problem:
        return {}, found.problem
    if found.type not in RASTER_TYPES.values():
        kind = found.type.split("/")[-1].upper()
        return {}, f"file {relative!r} is a {kind} image, not JPEG, PNG or WebP"
    return found.metadata("image"), None


LIST_KINDS = (model.LIST, model.SLUGS, model.CHOICES)
MAX_FIELDS = 100  # in one header or set of fields: sections have about twenty
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{4,}[0-9]")


def shape_problem(field: model.Field, value) -> str | None:
    """What is wrong with the type of a value (one value, a list or a set
    of fields) for its field, or None."""
    if field.kind == model.MAPPING:
        if not isinstance(value, Mapping):
            return f"must be a set of fields, not {describe_shape(value)}"
    elif field.kind == model.RECORDS:
        if isinstance(value, Mapping) or not isinstance(value, list):
            return f"must be a list, not {describe_shape(value)}"
    elif isinstance(value, Mapping):
        return "must be one value, not a set of fields"
    elif isinstance(value, list):
        if field.kind not in LIST_KINDS:
            return "must be one value, not a list"
        for entry in value:
            if not isinstance(entry.value, str):
                return f"item {entry.key} is {describe_shape(entry.value)}, not a word"
    return None


def describe_shape(value) -> str:
    if isinstance(value, Mapping):
        return "a set of fields"
    return "a list" if isinstance(value, list) else "one value"


def check_value(field: model.Field, value, content_root: str):
    """(converted value, extra metadata, Issue message or None) of a value
    whose shape fits its field (see shape_problem)."""
    kind = field.kind
    if isinstance(value, list):  # a YAML list of words
        value = [entry.value for entry in value]
    if not value:
        return None, {}, "is empty"
    if kind == model.TEXT:
        if len(value) > (field.max_length or TEXT_MAX):
            return None, {}, f"is {len(value):,} characters long"
        return value, {}, None
    if kind == model.SUMMARY:
        if field.max_length and len(value) > field.max_length:
            return None, {}, f"is {len(value)} characters long"
        return value, {}, None
    if kind == model.DATETIME:
        parsed = parse_datetime(value)
        gap = parsed and len(value) > 10 and clocks_skip(parsed)
        if gap:
            return None, {}, gap
        if parsed is None:
            if _ANY_YEAR.fullmatch(value) and not _DATE_SHAPE.fullmatch(value):
                return (
                    None,
                    {},
                    f"{value!r} has the year {value[:4]}, not one {DATE_YEARS}",
                )
            return None, {}, f"{value!r} is not a valid date and time"
        return value, {}, None
    if kind == model.INTEGER:
        if not re.fullmatch(r"-?\d+", value):
            return None, {}, f"{value!r} is not a whole number"
        return int(value), {}, None
    if kind == model.CHOICE:
        if value.lower() in field.choices and value not in field.choices:
            hint = f"did you mean {value.lower()!r}? "
            allowed = hint + allowed_text(field, content_root)
            return None, {}, (f"{value!r} is not allowed", allowed)
        if value not in field.choices:
            return None, {}, f"{value!r} is not allowed"
        return value, {}, None
    if kind == model.LIST:
        items = split_list(value)
        if not items:
            return None, {}, "lists nothing"
        if field.addressed:
            nameless = [item for item in items if not slugify(item)]
            if nameless:
                names = ", ".join(repr(item) for item in nameless)
                return (
                    None,
                    {},
                    (
                        f"{names} gives no address (each tag gets a page at "
                        "/tags/<its name>/): use a name with letters or digits"
                    ),
                )
        return items, {}, None
    if kind == model.SLUGS:
        items = split_list(value)
        known = vocabulary(field.vocabulary, content_root)
        unknown = [item for item in items if item not in known]
        if unknown:
            names = ", ".join(f"{u!r}{did_you_mean(u, known)}" for u in unknown)
            return None, {}, f"{names} unknown"
        if not items:
            return None, {}, "lists nothing"
        return items, {}, None
    if kind == model.IMAGE:
        value = value.removeprefix("/")  # as pictures in the text may be written
        extra, problem = check_image(value, content_root)
        return (None, {}, problem) if problem else (value, extra, None)
    if kind == model.PRICE:
        found = _PRICE.fullmatch(value.strip())
        if found is None:
            return None, {}, f"{value!r} is not a price"
        return (0 if found["free"] else int(found["amount"])), {}, None
    if kind == model.URL:
        problem = url_problem(value)
        if problem is None and field.https and not value.startswith("https://"):
            problem = (
                f"{value!r} does not start with https://",
                "use the https:// address (browsers warn visitors about plain "
                "http:// pages, and anyone on the way can change what they show)",
            )
        if problem is None and field.hosts:
            host = shown_host(value)
            if not any(host == h or host.endswith("." + h) for h in field.hosts):
                problem = (
                    f"{value!r} goes to {host!r}, not to {field.hosts[0]}",
                    f"write the address of the {field.name} profile, such as "
                    f"https://{field.hosts[0]}/...",
                )
        return (None, {}, problem) if problem else (value, {}, None)
    if kind == model.EMAIL:
        if not EMAIL_ADDRESS.fullmatch(value):
            return None, {}, f"{value!r} is not an e-mail address"
        return value, {}, None
    if kind == model.PHONE:
        if not _PHONE.fullmatch(value):
            return None, {}, f"{value!r} is not a telephone number"
        return value, {}, None
    if kind == model.YEAR:
        if not _YEAR.fullmatch(value):
            return None, {}, f"{value!r} is not a year"
        return int(value), {}, None
    if kind == model.CHOICES:
        items = list(dict.fromkeys(split_list(value)))  # in order, once each
        unknown = [item for item in items if item not in field.choices]
        if unknown:
            verb = "is" if len(unknown) == 1 else "are"
            names = ", ".join(repr(u) for u in unknown)
            return None, {}, f"{names} {verb} not allowed"
        return (items, {}, None) if items else (None, {}, "lists nothing")
    if kind == model.LOGO:
        value = value.removeprefix("/")  # one rule for every picture's path
        extra, problem = check_logo(field, value, content_root)
        return (None, {}, problem) if problem else (value, extra, None)
    raise ValueError(f"content_model: unknown field kind {kind!r}")


LOGO_TYPES = ("image/svg+xml", "image/png", "image/jpeg")


def check_logo(field: model.Field, value: str, content_root: str):
    """(logo_width, logo_height, logo_type, logo_bytes) of a logo, or what is
    wrong: not in the field's folder, missing, unsafe or another format."""
    if field.folder and not value.startswith(field.folder + "/"):
        return {}, f"{value!r} is not in content/{field.folder}/"
    path, problem = content_file(value, content_root)
    if problem:
        return {}, problem
    found = facts(path, value)
    if found.problem:
        return {}, found.problem
    if found.type not in LOGO_TYPES:
        kind = found.type.split("/")[1].upper()
        return {}, f"file {value!r} is a {kind} image, not SVG, PNG or JPEG"
    return found.metadata(field.key), None


def allowed_text(field: model.Field, content_root: str) -> str:
    if field.kind == model.CHOICES:
        return (
            f"use one or more of {', '.join(field.choices)} ({field.help}), "
            "as a list or separated by commas"
        )
    if field.kind == model.MAPPING:
        first = field.parts[0]
        return (
            f"write '{field.name}:' on a line of its own, then one line per "
            f"field, indented by two spaces, such as '  {first.name}: ...'; "
            f"fields: {', '.join(p.name for p in field.parts)}"
        )
    if field.kind == model.RECORDS:
        first, *rest = field.parts
        return (
            f"write one item per line starting with '  - {first.name}: ...', "
            f"and its {', '.join(p.name for p in rest)} below it, indented by "
            "four spaces"
        )
    if field.kind == model.CHOICE:
        return describe_choices(field.choices) + (
            f" ({field.help})" if field.help else ""
        )
    if field.kind == model.SLUGS:
        known = vocabulary(field.vocabulary, content_root)
        folder, suffix = model.VOCABULARIES[field.vocabulary]
        if not known:
            return f"none exist yet: add content/{folder}/<slug>{suffix} first"
        if len(known) > LISTED_MAX:
            return (
                f"use the names of files in content/{folder}/ without "
                f"{suffix} ({len(known):,} there), separated by commas"
            )
        return "use " + describe_choices(known)
    return f"use {field.help}" if field.help else ""


def validate_header(
    section: model.Section, slug: str, entries: list[Entry], content_root: str
) -> tuple[dict, list[Issue]]:
    """Check the header; return Pelican metadata additions and every issue."""
    issues: list[Issue] = []
    if not SLUG_RE.match(slug):
        issues.append(
            Issue(
                None,
                "file name",
                f"{slug!r} is not a valid slug (the file name becomes the URL)",
                "use lowercase letters a-z, digits and hyphens, such as "
                f"growing-games-2027{section.suffix}",
            )
        )
    scope = Scope(f"the {section.name} section", "", None, section.suffix == ".md")
    values, found = validate_fields(section.fields, entries, content_root, scope)
    written = {entry.key.lower() for entry in entries}
    for group in section.one_of:
        if not any(name.lower() in written for name in group):
            fields = [section.field_named(name) for name in group]
            issues.append(
                Issue(
                    None,
                    " or ".join(group),
                    "is missing: the file gives none of them",
                    "add at least one: "
                    + "; ".join(f"'{f.name}: ...' ({f.help})" for f in fields),
                )
            )
    return values, issues + found


@dataclass(frozen=True)
class Scope:
    """Where a set of fields is written, for the messages about it."""

    name: str  # "the members section", "contact"
    prefix: str  # put before field names: "", "contact.", "notable_works[2]."
    line: int | None  # of the set itself, for the fields missing from it
    header: bool = False  # a Markdown header, rather than YAML


def _suggestion(key: str, names: list[str]) -> str:
    """'did you mean 'homepage'? ' for a likely typo, else ''."""
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    close += difflib.get_close_matches(
        key.lower(), [n.lower() for n in names], n=1, cutoff=0.6
    )
    if not close:
        return ""
    suggestion = next(n for n in names if n.lower() == close[0].lower())
    return f"did you mean {suggestion!r}? "


def validate_fields(
    fields: tuple[model.Field, ...],
    entries: list[Entry],
    content_root: str,
    scope: Scope,
) -> tuple[dict, list[Issue]]:
    """Check a set of fields (a header, or a mapping inside a YAML file);
    return the checked values and every issue."""
    issues: list[Issue] = []
    values: dict = {}
    seen: dict[str, Entry] = {}
    by_key = {f.key: f for f in fields}
    names = [f.name for f in fields]
    if len(entries) > MAX_FIELDS:
        where = scope.prefix.rstrip(".") or "file"
        return values, [
            Issue(
                scope.line,
                where,
                f"has {len(entries):,} fields, far more than {scope.name} has",
                f"write only its fields: {', '.join(names)}",
            )
        ]

    for entry in entries:
        field = by_key.get(entry.key.lower())
        if field is None:
            issues.append(
                Issue(
                    entry.line,
                    scope.prefix + entry.key,
                    f"is not a field of {scope.name}",
                    f"{_suggestion(entry.key, names)}allowed fields: "
                    f"{', '.join(names)}",
                )
            )
            continue
        label = scope.prefix + field.name
        if field.key in seen:
            issues.append(
                Issue(
                    entry.line,
                    label,
                    f"is given twice (first on line {seen[field.key].line})",
                    "keep one",
                )
            )
            continue
        seen[field.key] = entry
        value, extra, found = check_entry(field, entry, content_root, label)
        if found:
            issues += [_other_field(i, field, entry, fields) for i in found]
            continue
        values[field.key] = value
        values.update(extra)

    for field in fields:
        label = scope.prefix + field.name
        if field.required and field.key not in seen:
            where = " to the header" if scope.header else ""
            if scope.prefix:
                where = f" to {scope.prefix.rstrip('.')}"
            issues.append(
                Issue(
                    scope.line,
                    label,
                    "is missing",
                    f"add a line '{field.name}: ...'{where}"
                    + (f" ({field.help})" if field.help else ""),
                )
            )
        if field.requires and field.key in seen:
            partner = by_key.get(field.requires.lower())
            if partner and partner.key not in seen:
                issues.append(
                    Issue(
                        seen[field.key].line,
                        scope.prefix + partner.name,
                        f"is missing, but {field.name} is given",
                        f"add '{partner.name}: ...' ({partner.help})",
                    )
                )
    issues += order_problems(fields, seen, values, scope)
    # A field both missing and required-by-partner is reported once.
    unique: list[Issue] = []
    missing: set[str] = set()
    for issue in issues:
        if issue.message.startswith("is missing"):
            if issue.field in missing:
                continue
            missing.add(issue.field)
        unique.append(issue)
    return values, unique


_FORM = {True: "a date and time", False: "a date alone"}


def order_problems(fields, seen: dict, values: dict, scope: Scope) -> list[Issue]:
    """Dates that must come in order (an event's End not before its Start, a
    deadline not after it), among the values that are valid on their own."""
    issues = []
    by_name = {f.name: f for f in fields}
    for field in fields:
        for other_name, later in ((field.not_before, False), (field.not_after, True)):
            other = by_name.get(other_name or "")
            if other is None or field.key not in values or other.key not in values:
                continue
            mine, theirs = values[field.key], values[other.key]
            if not later and (len(mine) > 10) != (len(theirs) > 10):
                message = (
                    f"{mine} is {_FORM[len(mine) > 10]}, but {other.name} "
                    f"({theirs}) is {_FORM[len(theirs) > 10]}"
                )
                allowed = (
                    "write both with a time (YYYY-MM-DD HH:MM), or both as dates "
                    "alone (YYYY-MM-DD)"
                )
            elif not later and (mine < theirs or len(mine) > 10 and mine == theirs):
                message = f"{mine} is not after {other.name} ({theirs})"
                allowed = f"{field.name} must be after {other.name}" + (
                    "" if len(mine) > 10 else " or on the same day"
                )
            elif later and (
                mine[:10] > theirs[:10]
                or min(len(mine), len(theirs)) > 10
                and mine > theirs
            ):
                message = f"{mine} is after {other.name} ({theirs})"
                allowed = f"{field.name} must be no later than {other.name}"
            else:
                continue
            issues.append(
                Issue(seen[field.key].line, scope.prefix + field.name, message, allowed)
            )
    return issues


def _other_field(issue: Issue, field, entry: Entry, fields) -> Issue:
    """A value another field of the set takes ('Status: cancelled' for an
    event's Event_status): the issue says so."""
    value = entry.value.strip() if isinstance(entry.value, str) else None
    other = next(
        (
            f
            for f in fields
            if f is not field and f.kind == model.CHOICE and value in f.choices
        ),
        None,
    )
    if field.kind != model.CHOICE or other is None:
        return issue
    return replace(
        issue, allowed=f"did you mean '{other.name}: {value}'? {issue.allowed}"
    )


def check_entry(field: model.Field, entry: Entry, content_root: str, label: str):
    """(checked value, extra metadata, issues) of one field as written;
    sets of fields and lists of them are checked field by field."""

    def issue(line, message, where=label):
        return [Issue(line, where, message, allowed_text(field, content_root))]

    problem = shape_problem(field, entry.value)
    if problem:
        return None, {}, issue(entry.line, problem)
    if field.kind in (model.MAPPING, model.RECORDS) and not entry.value:
        return None, {}, issue(entry.line, "is empty")
    if field.kind == model.MAPPING:
        scope = Scope(field.name, f"{label}.", entry.line)
        values, issues = validate_fields(field.parts, entry.value, content_root, scope)
        # In the order of the model (the networks in one order on every page).
        ordered = {p.key: values[p.key] for p in field.parts if p.key in values}
        return ordered, {}, issues
    if field.kind == model.RECORDS:
        items, issues = [], []
        for item in entry.value:
            where = f"{label}[{item.key}]"
            if not isinstance(item.value, Mapping):
                shape = describe_shape(item.value)
                message = f"must be a set of fields, not {shape}"
                issues += issue(item.line, message, where)
                continue
            scope = Scope(field.name, f"{where}.", item.line)
            values, found = validate_fields(
                field.parts, item.value, content_root, scope
            )
            issues += found
            items.append(values)
        return items, {}, issues
    value, extra, problem = check_value(field, entry.value, content_root)
    if isinstance(problem, tuple):  # (what is wrong, what to write instead)
        return None, {}, [Issue(entry.line, label, *problem)]
    if problem:
        return None, {}, issue(entry.line, problem)
    return value, extra, []


_INTERNAL_LINK = re.compile(
    r"[{|](?P<what>filename|static|attach)[}|](?P<target>[^)\s\"'>]+)"
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
            _depends(path)
            if not inside(path, content_root):
                issues.append(
                    Issue(
                        number,
                        "link",
                        f"{match.group(0)!r} points outside content/",
                        "link only to files under content/, such as "
                        "{static}/images/brand/logo.svg",
                    )
                )
            elif not os.path.isfile(path):
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
