"""Content model plugin: validates every Markdown file against its section
(model.py) while Pelican reads it, gives each item its URL and template, and
puts the sections into the template context."""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.readers import BaseReader
from pelican.utils import SafeDatetime

import build_errors
import site_build
from site_build.cache import digest
from theme_support import load_strings

from . import model, timing
from .advice import ignored_files, tag_advice, text_advice
from .convert import convert
from .validate import (
    HIDDEN_FIX,
    check_links,
    hidden_character,
    line_of,
    parse_header,
    validate_header,
)

SKIP = ("", {"status": "skip"})  # what a reader returns for a file with problems
MAX_FILE_BYTES = 1024 * 1024  # a Markdown or YAML file staff write
BOM = "\ufeff"  # Word and Notepad start UTF-8 files with it
FILE_KINDS = {".md": "Markdown (.md)", ".yaml": "YAML (.yaml)"}
# Other endings of the same kinds. Only '.yml' is refused: vocabularies look
# for '<slug>.yaml', so a member written as '.yml' could never be referred to.
OTHER_ENDINGS = {".markdown": ".md", ".mkd": ".md", ".mdown": ".md", ".yml": ".yaml"}


def _line_of_offset(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def read_source(source_path: str, content_root: str):
    """(section, slug, text) of a content file, or None when it belongs to no
    section, is the wrong kind of file for its section, is too large, not
    UTF-8 text, holds control characters or is empty (each reported). Every
    reader of the content model starts here."""
    loaded = site_build.session().memo.pop(("source", source_path), None)
    source = loaded or load_source(source_path, content_root)
    if isinstance(source, tuple):
        return source
    if source is not None:
        source(source_path)  # the problem, reported
    return None


def load_source(source_path: str, content_root: str):
    """(section, slug, text), or a function reporting what is wrong."""
    site_build.session().read_site.reading(source_path)
    relative = os.path.relpath(source_path, content_root).replace(os.sep, "/")
    section = model.section_for(relative)
    if section is None:
        return lambda path: report_outside_sections(path, relative)
    slug, suffix = os.path.splitext(os.path.basename(source_path))
    if OTHER_ENDINGS.get(suffix, suffix) != section.suffix or suffix == ".yml":
        return lambda path: report_wrong_kind(path, section, slug, suffix)
    size = os.path.getsize(source_path)
    if size > MAX_FILE_BYTES:
        return _problem(
            None,
            f"is {max(round(size / 1_048_576, 1), MAX_FILE_BYTES / 1_048_576 + 0.1)} "
            "MB, more than staff ever write",
            f"keep it under {MAX_FILE_BYTES // 1_048_576} MB: split it, and put "
            "pictures and documents in content/images/, not in the text",
        )
    with open(source_path, "rb") as handle:
        raw = handle.read()
    try:
        text = raw.decode("utf-8").removeprefix(BOM)
    except UnicodeDecodeError as err:
        return _problem(
            _line_of_offset(raw, err.start),
            f"is not UTF-8 text (byte 0x{raw[err.start]:02x})",
            "save the file with UTF-8 encoding",
        )
    hidden = hidden_character(text)
    if hidden:
        start = text.rfind("\n", 0, hidden[0]) + 1
        in_header = not text[:start].replace("\r", "").count("\n\n")
        named = _FIELD_NAME.match(text, start) if in_header else None
        return _problem(
            text.count("\n", 0, hidden[0]) + 1,
            f"contains {hidden[1]}, which no text needs (often left by a broken "
            "save or a copy from another program)",
            HIDDEN_FIX,
            named.group(1) if named else "file",
        )
    if not text.strip():
        first = next(f for f in section.fields if f.required)
        return _problem(
            None,
            "is empty",
            f"start it with a '{first.name}: ...' line and the other fields of the "
            f"{section.name} section",
        )
    return section, slug, text


# A header line's field name ("Image_alt: ..."), for messages about the line.
_FIELD_NAME = re.compile(r"([A-Za-z][\w-]*)[ \t]*:")


def _problem(line, message, allowed, field="file"):
    return lambda path: build_errors.report(path, line, field, message, allowed)


@dataclass(frozen=True)
class Checked:
    """What reading a content file found: the checked values of its fields
    and every issue; for Markdown the HTML and the pictures of its text; for
    a member the company name and its line."""

    values: dict
    issues: tuple
    advice: tuple = ()  # worth mending, published as it is (advice.py)
    html: str = ""
    pictures: tuple = ()
    name: tuple | None = None


# The check of each kind of content file (members add theirs, for YAML).
CHECKERS = {}


def checked(section, slug: str, text: str, source_path: str, content_root: str):
    """What checking a file gives, from the build cache when its text and
    every file the check looked at (pictures, programmes, links) are as they
    were."""
    s = site_build.session()
    relative = os.path.relpath(source_path, content_root).replace(os.sep, "/")
    check = CHECKERS[section.suffix]
    return s.remembered(
        "read",
        s.key("read", section.name, relative, text),
        lambda: check(section, slug, text, source_path, content_root),
    )


def check_markdown(section, slug, text, source_path, content_root) -> Checked:
    entries, body_line = parse_header(text)
    values, issues = validate_header(section, slug, entries, content_root)
    issues += check_links(text, source_path, content_root)
    body = "\n".join(text.splitlines()[body_line - 1 :])
    relative = os.path.relpath(source_path, content_root).replace(os.sep, "/")
    converted = convert(body, relative, content_root, not values.get("image"))
    issues += located(text, converted.problems, body_line)
    if values.get("status") != "draft":
        issues += placeholders_left(section, text)
    advice = text_advice(text, converted.html, values, body_line)
    return Checked(
        values, tuple(issues), tuple(advice), converted.html, converted.pictures
    )


CHECKERS[".md"] = check_markdown


def placeholders_left(section, text: str) -> list:
    """Text `invoke new` wrote for the author to replace, still in a file
    that is to be published: one issue per line that holds some."""
    from .new import placeholders
    from .validate import Issue

    found = []
    texts = placeholders(section)
    for number, line in enumerate(text.splitlines(), start=1):
        left = next((p for p in texts if p in line), None)
        if left:
            named = _FIELD_NAME.match(line)
            field = named.group(1) if named and line.index(left) > 0 else "text"
            found.append(
                Issue(
                    number,
                    field,
                    f"still holds the text `invoke new` wrote for you: {left!r}",
                    "write your own text in its place (or keep the line "
                    "'Status: draft' until it is ready)",
                )
            )
    return found


def report_wrong_kind(path: str, section: model.Section, slug: str, suffix: str):
    """A YAML file among the news, Markdown among the members, a '.yml'."""
    expected = FILE_KINDS.get(section.suffix, section.suffix)
    same_kind = OTHER_ENDINGS.get(suffix, suffix) == section.suffix
    build_errors.report(
        path,
        None,
        "file",
        f"the {section.name} section takes {expected} files, not {suffix!r}",
        f"rename it to {slug}{section.suffix}"
        if same_kind
        else f"write it as content/{section.folder}/{slug}{section.suffix}, or "
        "move it to the folder of the section it belongs to",
    )


class ModelReader(BaseReader):
    """Reads Markdown files: the header checked against the content model,
    the text converted once per change (convert.py)."""

    enabled = True
    file_extensions = ["md", "markdown", "mkd", "mdown"]
    # Pelican's own processing of these (dates, tags, authors); the content
    # model's checked values are used for every other field.
    PELICAN_FIELDS = ("title", "date", "modified", "tags", "author", "status")

    def read(self, source_path):
        content_root = self.settings["PATH"]
        source = read_source(source_path, content_root)
        if source is None:
            return SKIP
        section, slug, text = source
        result = checked(section, slug, text, source_path, content_root)
        report_issues(source_path, result.issues)
        for issue in result.advice:
            build_errors.advise(
                source_path, issue.line, issue.field, issue.message, issue.allowed
            )
        if result.issues:
            return SKIP
        values = result.values
        metadata = dict(values)
        for name in self.PELICAN_FIELDS:
            if name in values:
                metadata[name] = self.process_metadata(name, values[name])
        metadata["section"] = section.name
        metadata["slug"] = slug  # the file name (Pelican would work it out again)
        metadata["body_images"] = result.pictures
        status = values.get("status")
        if section.dated and status != "draft" and self.scheduled(values["date"]):
            # Dated in the future: kept back like a draft until its time.
            status = metadata["status"] = "draft"
            metadata["scheduled"] = True
        elif values.get("modified") and self.scheduled(values["modified"]):
            # A typo in the month: calendars would fall back when it is mended.
            line = line_of(text, "modified:", start=True)
            build_errors.report(
                source_path,
                line,
                "Modified",
                f"{values['modified']} is later than now",
                "write when the text was last changed: now or earlier",
            )
            return SKIP
        metadata.update(placement(section, slug, status))
        return result.html, metadata

    def process_metadata(self, name, value):
        if name in ("date", "modified"):  # the model allows two forms, both ISO
            return SafeDatetime.fromisoformat(value)
        return super().process_metadata(name, value)

    def scheduled(self, date: str) -> bool:
        """Whether a Date is still to come at the build's now."""
        zone = ZoneInfo(self.settings["TIMEZONE"])
        return not site_build.session().has_come(timing.at(date, zone))


def located(text: str, problems, body_line: int) -> list:
    """Issues for what converting found: each on the first line of the text
    (from the body on) that holds the value the message quotes (a link
    Markdown made an attribute of), or else its snippet (a start tag as
    such); failing both, on the body's first line."""
    from .validate import Issue

    lines = text.splitlines()
    issues = []
    for snippet, name, message, allowed in problems:
        if isinstance(snippet, int) and snippet:  # a line of the body
            issues.append(Issue(body_line + snippet - 1, name, message, allowed))
            continue
        snippet = str(snippet)
        quoted = re.search(r"'([^']{3,})'", message)
        clues = [snippet, snippet[:1] + re.split(r'[&"<>]', snippet[1:])[0]]
        if quoted:  # as written: up to the first character HTML escapes
            clues.insert(0, re.split(r'[&"<>]', quoted.group(1))[0][:40])
        patterns = [
            # A start tag as such: '<b' is not the start of '<br>'.
            re.compile(re.escape(clue) + r"(?![\w-])", re.IGNORECASE)
            if re.fullmatch(r"</?[A-Za-z][\w-]*", clue)
            else re.compile(re.escape(clue))
            for clue in clues
            if len(clue) >= 3 or re.fullmatch(r"<[A-Za-z]", clue)
        ]
        line = next(
            (
                number
                for pattern in patterns
                for number in range(body_line, len(lines) + 1)
                if pattern.search(lines[number - 1])
            ),
            body_line,
        )
        issues.append(Issue(line, name, message, allowed))
    return issues


def placement(section: model.Section, slug: str, status: str | None) -> dict:
    """URL, output file and template of an item, from its section."""
    special = section.special.get(slug, model.Special())
    result = {"template": special.template or section.template}
    if status == "draft":
        return result  # Pelican's DRAFT_* settings place drafts (or drop them)
    intro_for = model.intro_section(slug) if section is model.PAGES else None
    if intro_for is not None:
        # The text at the top of a dated section's listing; not a page itself.
        result.update(url=intro_for.listing_url, save_as="", intro_for=intro_for.name)
        return result
    url = special.url if special.url is not None else section.url.format(slug=slug)
    result.update(url=url, save_as=f"{url}index.html")
    return result


def report_outside_sections(path: str, relative: str) -> None:
    folder = relative.split("/")[0] if "/" in relative else ""
    where = (
        f"the folder {folder!r} is not a section"
        if folder
        else ("files directly in content/ belong to no section")
    )
    folders = ", ".join(f"content/{s.folder}/" for s in model.SECTIONS)
    build_errors.report(
        path, None, "section", where, f"move the file into one of {folders}"
    )


def check_stray_files(pelican):
    """Markdown outside the section folders would be silently ignored by
    Pelican: refuse it instead, so no text goes missing unnoticed. Other
    files in a section's folder (a .docx among the news) are advice."""
    content_root = pelican.settings["PATH"]
    ignore = pelican.settings.get("IGNORE_FILES", [])
    skipped = (*OTHER_ENDINGS, *FILE_KINDS)  # read, and reported if wrong
    for path in ignored_files(content_root, model.SECTIONS, ignore):
        stem, suffix = os.path.splitext(path)
        if suffix != suffix.lower() and suffix.lower() in skipped:  # '.MD': never read
            build_errors.report(
                path,
                None,
                "file",
                f"ends in {suffix!r}, which the build does not read",
                f"rename it to {os.path.basename(stem)}{suffix.lower()}",
            )
        elif suffix not in skipped:
            build_errors.advise(
                path,
                None,
                "file",
                f"is a {suffix or 'nameless'!r} file, which the build ignores: "
                "its text is not on the site",
                "copy the text into a Markdown file (.md) of its own, or move "
                "this file out of content/",
            )
    folders = {s.folder for s in model.SECTIONS}
    extensions = tuple(f".{e}" for e in ModelReader.file_extensions) + tuple(
        {s.suffix for s in model.SECTIONS} | {".yml"}
    )
    for folder, dirs, files in os.walk(content_root):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        relative = os.path.relpath(folder, content_root).replace(os.sep, "/")
        if relative.split("/")[0] in folders:
            continue
        for name in sorted(files):
            if name.endswith(extensions):
                report_outside_sections(
                    os.path.join(folder, name),
                    name if relative == "." else f"{relative}/{name}",
                )


# What content/ may publish as files of its own (pictures, downloads): the
# site's pages never take scripts, pages or styles from content.
STATIC_KINDS = frozenset({".jpg", ".jpeg", ".png", ".webp", ".svg", ".pdf"})
_FILE_NAME = re.compile(r"[^\x00-\x1f\x7f\udc80-\udcff]+")


def check_static_files(generator) -> None:
    """Every file content/ publishes as it is (images, downloads): a picture
    Pillow can read, an SVG that passes the allowlist (svg.py), or a PDF;
    with a file name of plain text. Anything else (an .html, .js or .css
    file, or one whose content is not what its name says) is refused. The
    folders left out of Pelican's static files (STATIC_EXCLUDES: the member
    logos, which plugins/members publishes) are checked the same way."""
    from .images import RASTER_TYPES, facts

    paths = {static.source_path for static in generator.staticfiles}
    ignored = generator.settings.get("IGNORE_FILES", [])
    for excluded in generator.settings.get("STATIC_EXCLUDES", []):
        for folder, _dirs, names in os.walk(os.path.join(generator.path, excluded)):
            paths.update(
                os.path.join(folder, name)
                for name in names
                if not any(fnmatch.fnmatch(name, pattern) for pattern in ignored)
            )
    for path in sorted(paths):
        relative = os.path.relpath(path, generator.path).replace(os.sep, "/")
        name = os.path.basename(path)
        suffix = os.path.splitext(name)[1].lower()
        if not all(_FILE_NAME.fullmatch(part) for part in relative.split("/")):
            problem = (
                "has a name with characters that are not text",
                "rename it with letters, digits and - _ . only",
            )
        elif suffix not in STATIC_KINDS:
            problem = (
                f"is a {suffix or 'nameless'!r} file, which the site does not publish",
                "content/ publishes pictures (JPEG, PNG, WebP, SVG) and PDF "
                "documents only: remove it",
            )
        elif suffix == ".pdf":
            with open(path, "rb") as handle:
                pdf = handle.read(5) == b"%PDF-"
            problem = None if pdf else ("is not a PDF document", "save it again as PDF")
        else:
            found = facts(path, relative)
            problem = None
            if found.problem and suffix == ".svg":  # says what to do itself
                problem = (found.problem.removeprefix(f"file {relative!r} "), "")
            elif found.problem:
                problem = (
                    found.problem.removeprefix(f"file {relative!r} "),
                    "save the picture again, or remove it",
                )
            elif suffix != ".svg" and found.type not in RASTER_TYPES.values():
                problem = (f"is not a {suffix[1:].upper()} picture", "save it again")
        if problem:
            build_errors.report(path, None, "file", *problem)


def check_rewritten_links(generators) -> None:
    """Pelican turns {filename}-style links into addresses when a page is
    rendered, by a regular expression over the finished HTML that also
    matches inside other attributes and un-escapes what it keeps. So the
    HTML is judged again as it will be published: the rewriting may change
    link addresses, nothing else (no new element or attribute, no changed
    text), and every address it makes must be a link the policy allows."""
    s = site_build.session()
    context = generators[0].context
    siteurl = generators[0].settings.get("SITEURL", "")
    seen = set()
    jobs = []  # (source path, key, HTML before, HTML after)
    for name in ("articles", "drafts", "pages", "hidden_pages", "draft_pages"):
        for item in context.get(name, []):
            before = getattr(item, "_content", None) or ""
            if id(item) in seen or ("{" not in before and "|" not in before):
                continue
            seen.add(id(item))
            try:
                after = item.content
            except ValueError as error:  # an address Pelican cannot parse
                site_build.unreadable_link(item, error)
                continue
            if after != before:
                key = digest("rewritten", before, after, siteurl)
                jobs.append((item.source_path, key, before, after))

    def judged(job):
        _path, key, before, after = job
        return s.remembered("rewritten", key, lambda: rewritten(before, after, siteurl))

    # What the cache does not hold judged with both cores first (a cold
    # build's 1,300 judgements took 2.5 s on one).
    todo = [job for job in jobs if not s.cache.holds("rewritten", job[1])]
    ahead = s.map(todo, judged, "links", minimum=8, report=False)
    done = {job[1]: found for job, found in zip(todo, ahead, strict=True)}
    for job in jobs:
        found = done[job[1]] if job[1] in done else judged(job)
        if found:
            with open(job[0], encoding="utf-8-sig") as handle:
                text = handle.read()
            _entries, body_line = parse_header(text)
            report_issues(job[0], located(text, found, body_line))


def rewritten(
    before: str, after: str, siteurl: str = ""
) -> list[tuple[str, str, str, str]]:
    """What Pelican's rewriting of ``before`` into ``after`` did that it
    may not: (snippet, field, message, what to do) for each. An address in
    the site (SITEURL, whatever it is: a preview on this computer is
    http://127.0.0.1:8001) is judged by its path."""
    from selectolax.lexbor import LexborHTMLParser

    from .convert import _crowded_tag, stays_inside
    from .urls import link_parts

    if _crowded_tag(after):  # attributes written as text in a link's title
        return [
            (
                "",
                "link",
                "a link to a file of the site would add attributes to the page "
                "when it is made into an address",
                "write links to files of the site only as [text]({filename}/...)",
            )
        ]
    old = list(LexborHTMLParser(before).body.traverse(include_text=False))
    new = list(LexborHTMLParser(after).body.traverse(include_text=False))
    shape = [(n.tag, tuple(sorted(n.attributes))) for n in old]
    # The same elements, and closed where they were (a "link" in a text that
    # takes end tags into its address left the page inside a table caption).
    if shape != [(n.tag, tuple(sorted(n.attributes))) for n in new] or (
        stays_inside(before) and not stays_inside(after)
    ):
        return [
            (
                "",
                "link",
                "a link to a file of the site would change the page's HTML when "
                "it is made into an address (a link inside a title or an alt "
                "text, or with characters written as references)",
                "write links to files of the site only as [text]({filename}/...) "
                "with a plain path, and nowhere else",
            )
        ]
    problems = []
    for was, now in zip(old, new, strict=True):
        for attribute, value in now.attributes.items():
            if value == was.attributes.get(attribute):
                continue
            address = value or ""
            if siteurl and address.startswith(siteurl.rstrip("/") + "/"):
                address = address[len(siteurl.rstrip("/")) :]
            problem = link_parts(address, "src" if attribute == "src" else "href")
            if attribute not in ("href", "src") or problem:
                problems.append(
                    (
                        was.attributes.get(attribute) or "",
                        "link",
                        f"the link {was.attributes.get(attribute)!r} becomes "
                        f"{value!r}, which is not allowed",
                        "write links to files of the site as {filename}/ or "
                        "{static}/ and a plain path",
                    )
                )
    return problems


MAX_ISSUES = 25  # reported per file: more would hide the other files' problems


def report_issues(source_path: str, issues) -> None:
    """Hand a file's validation issues to build_errors (the first
    MAX_ISSUES, and how many more there are)."""
    for issue in issues[:MAX_ISSUES]:
        build_errors.report(
            source_path, issue.line, issue.field, issue.message, issue.allowed
        )
    if len(issues) > MAX_ISSUES:
        build_errors.report(
            source_path,
            None,
            "file",
            f"has {len(issues) - MAX_ISSUES:,} more problems",
            "mend the ones above and build again",
        )


def install_reader(readers, reader_class) -> None:
    """Make Pelican read reader_class's file extensions with it."""
    reader = reader_class(readers.settings)
    for extension in reader_class.file_extensions:
        readers.reader_classes[extension] = reader_class
        readers.readers[extension] = reader


def use_model_reader(readers):
    install_reader(readers, ModelReader)


def check_ahead(pelican):
    """Before the generators read: check (and convert) every content file
    the cache does not hold, with both cores, so the readers find them all
    done. What the checks find is reported when the readers read."""
    s = site_build.session()
    content_root = pelican.settings["PATH"]
    folders = {section.folder for section in model.SECTIONS}
    kept = s.read_site
    work = []
    for top in sorted(folders):
        for folder, dirs, names in os.walk(os.path.join(content_root, top)):
            dirs[:] = [d for d in dirs if not d.startswith((".", "_"))]
            for name in names:
                path = os.path.join(folder, name)
                if name.startswith((".", "_")) or os.path.islink(path):
                    continue
                if kept.unchanged(os.path.abspath(path)):
                    continue  # neither read nor checked again (snapshot.py)
                source = load_source(path, content_root)
                if not isinstance(source, tuple):
                    continue  # the reader reports it
                s.memo[("source", path)] = source  # the reader's, not read again
                section, slug, text = source
                relative = os.path.relpath(path, content_root).replace(os.sep, "/")
                key = s.key("read", section.name, relative, text)
                if not s.cache.holds("read", key):
                    work.append((section, slug, text, path))

    def check(item):
        section, slug, text, path = item
        checked(section, slug, text, path, content_root)

    with s.timed("read: check files ahead (both cores)"):
        s.map(work, check, "reading", minimum=8, report=False)


def add_context(generators):
    """Sections, programmes and section intros for the templates."""
    context = generators[0].context
    pages = context.get("pages", []) + context.get("hidden_pages", [])
    context["SECTIONS"] = model.SECTIONS_BY_NAME
    # The items of a section of pages other files name (programmes), in its
    # order, under its name; the members plugin does the same for members.
    for section in model.SECTIONS:
        if section.vocabulary and section.suffix == ".md":
            context[section.name] = sorted(
                (
                    p
                    for p in context.get("pages", [])
                    if p.metadata.get("section") == section.name
                ),
                key=lambda p, by=section.order_by: (p.metadata[by], p.title),
                reverse=section.descending,
            )
    context["section_intros"] = {
        p.metadata["intro_for"]: p for p in pages if p.metadata.get("intro_for")
    }
    by_section = {s.name: [] for s in model.DATED_SECTIONS}
    for article in context.get("articles", []):
        by_section.setdefault(article.metadata.get("section"), []).append(article)
    context["articles_by_section"] = by_section
    tally = site_build.session().tally  # for the build's summary
    for section in model.DATED_SECTIONS:
        tally[section.name] = len(by_section.get(section.name, ()))
    add_timing(generators[0].settings, context, by_section)
    add_named(by_section)
    # What each programme's page and feeds list: the items that name it,
    # those of calendar sections (events) apart, soonest first.
    context["articles_by_programme"] = by_programme(context, calendar=False)
    context["calendar_by_programme"] = by_programme(context, calendar=True)
    context["upcoming_by_programme"] = {
        slug: [a for a in items if a.when.state != timing.PAST]
        for slug, items in context["calendar_by_programme"].items()
    }


def add_named(by_section: dict) -> None:
    """Dated items that name items of another dated section (a news post
    the event it is about: Events) get ``named``: {field key: those items},
    for links on their page. A named item that is not published (a draft)
    is left out."""
    items = {
        name: {item.slug: item for item in found} for name, found in by_section.items()
    }
    for section in model.DATED_SECTIONS:
        fields = [f for f in section.fields if f.vocabulary in items]
        if not fields:
            continue
        for article in by_section.get(section.name, ()):
            named = {
                f.key: [
                    items[f.vocabulary][slug]
                    for slug in article.metadata.get(f.key, ())
                    if slug in items[f.vocabulary]
                ]
                for f in fields
            }
            article.named = {key: found for key, found in named.items() if found}


def by_programme(context: dict, calendar: bool) -> dict[str, list]:
    """The dated items (of calendar sections, or of the others) naming each
    programme, in their sections' order."""
    found = {p.slug: [] for p in context[model.PROGRAMMES.name]}
    for section in model.DATED_SECTIONS:
        if section.calendar != calendar:
            continue
        naming = [
            f.key for f in section.fields if f.vocabulary == model.PROGRAMMES.name
        ]
        for article in context["articles_by_section"].get(section.name, ()):
            for key in naming:
                for slug in article.metadata.get(key, ()):
                    # A programme whose own file has problems is not read:
                    # those problems are reported, the build stops before
                    # writing.
                    found.get(slug, []).append(article)
    if calendar:
        for items in found.values():
            items.sort(key=lambda a: (a.when.start, a.slug))
    return found


def add_timing(settings: dict, context: dict, by_section: dict) -> None:
    """The items of calendar sections get ``when`` (timing.When),
    ``registration_open`` and the deadline in words (``sign_up_by``); the
    context gets ``upcoming`` (upcoming and ongoing items, soonest first) and
    ``past_by_year`` ((year, items newest first) pairs, newest year first) by
    section."""
    s = site_build.session()
    zone = ZoneInfo(settings["TIMEZONE"])
    t = load_strings(settings["THEME"], settings["DEFAULT_LANG"])
    context["upcoming"], context["past_by_year"] = {}, {}
    for section in model.DATED_SECTIONS:
        if not section.calendar:
            continue
        items = by_section.get(section.name, [])
        drafts = [
            d
            for d in context.get("drafts", [])
            if d.metadata.get("section") == section.name
        ]
        for item in items + drafts:
            meta = item.metadata
            item.when = timing.when(meta["start"], meta["end"], zone, s.has_come, t)
            item.registration_open = timing.registration_open(
                meta, item.when, zone, s.has_come
            )
            if meta.get("deadline"):
                day = timing.at(meta["deadline"], zone).date()
                item.sign_up_by = timing.day_words(day, t)
        items.sort(key=lambda a: (a.when.start, a.slug))
        context["upcoming"][section.name] = [
            a for a in items if a.when.state != timing.PAST
        ]
        years: dict[int, list] = {}
        for item in reversed(items):
            if item.when.state == timing.PAST:
                years.setdefault(item.when.start.year, []).append(item)
        context["past_by_year"][section.name] = sorted(years.items(), reverse=True)


def check_links_to_drafts(generators) -> None:
    """A published page's {filename} link to a draft or a post scheduled for
    later leads nowhere on the published site (and names the file there): a
    problem when drafts are not published (the production build), advice
    otherwise (development, `invoke check`)."""
    from .validate import _INTERNAL_LINK

    context = generators[0].context
    settings = generators[0].settings
    made = context.get("generated_content", {})
    tell = build_errors.advise if settings.get("DRAFT_SAVE_AS") else build_errors.report
    for name in ("articles", "pages", "hidden_pages"):
        for item in context.get(name, []):
            text = getattr(item, "_content", None) or ""
            if "filename" not in text:
                continue
            folder = os.path.dirname(item.relative_source_path)
            for match in _INTERNAL_LINK.finditer(text):
                target = re.split(r"[#?]", match["target"], maxsplit=1)[0]
                where = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else os.path.normpath(os.path.join(folder, target))
                )
                linked = made.get(where.replace(os.sep, "/"))
                if match["what"] != "filename" or getattr(linked, "status", "") != (
                    "draft"
                ):
                    continue
                with open(item.source_path, encoding="utf-8-sig") as handle:
                    line = line_of(handle.read(), target)
                when = (
                    f"is scheduled for {linked.locale_date}, {linked.date:%H:%M}"
                    if linked.metadata.get("scheduled")
                    else "is a draft"
                )
                tell(
                    item.source_path,
                    line,
                    "link",
                    f"links to {where}, which {when}: on the published site the "
                    "link would lead nowhere",
                    "publish that file first, or add the link once it is published",
                )


_SITE_LINK = re.compile(r'(?:href|src)="(/(?!/)[^"#?]*)')


def check_site_links(generators) -> None:
    """A link written as an address of the site (/news/x/) rather than to
    its file ({filename}/news/x.md), that leads to nothing the site makes:
    advice (it is a broken link on the page)."""
    from urllib.parse import unquote

    s = site_build.session()
    context = generators[0].context
    made = set(s.owners) | set(s.reserved)
    for name in ("tags", "categories"):
        made |= {wrapper.save_as for wrapper, _items in context.get(name, [])}
    folders = tuple(path for path in made if path.endswith("/"))
    for name in ("articles", "pages", "hidden_pages"):
        for item in context.get(name, []):
            for href in set(_SITE_LINK.findall(getattr(item, "_content", "") or "")):
                path = unquote(href).lstrip("/")
                page = path + "index.html" if path.endswith("/") or not path else path
                if path in made or page in made or page.startswith(folders):
                    continue
                with open(item.source_path, encoding="utf-8-sig") as handle:
                    line = line_of(handle.read(), href)
                build_errors.advise(
                    item.source_path,
                    line,
                    "link",
                    f"{href!r} leads to no page or file of the site",
                    "link to the file instead, such as [the story]"
                    "({filename}/news/my-story.md): the link then follows it",
                )


def check_external_links(generators) -> None:
    """`invoke check --external`: every link to another site is asked once;
    those that do not answer are advice."""
    from .advice import external_advice

    s = site_build.session()
    if not s.check_external:
        return
    context = generators[0].context
    items = [
        item
        for name in ("articles", "pages", "hidden_pages")
        for item in context.get(name, [])
    ]
    found, s.external_checked = external_advice(items)
    for path, issue in found:
        build_errors.advise(path, issue.line, issue.field, issue.message, issue.allowed)


def advise_tags(generators) -> None:
    """Tags that nearly match another (advice.tag_advice), drafts' too: a
    draft is when a misspelled tag is best mended."""
    from .slugs import slugify

    context = generators[0].context
    articles = context.get("articles", []) + context.get("drafts", [])
    for path, issue in tag_advice(articles, slugify):
        build_errors.advise(path, issue.line, issue.field, issue.message, issue.allowed)


def register():
    signals.initialized.connect(check_stray_files)
    signals.all_generators_finalized.connect(advise_tags)
    signals.all_generators_finalized.connect(check_links_to_drafts)
    signals.all_generators_finalized.connect(check_site_links)
    signals.all_generators_finalized.connect(check_external_links)
    signals.static_generator_finalized.connect(check_static_files)
    signals.initialized.connect(check_ahead)
    signals.readers_init.connect(use_model_reader)
    signals.all_generators_finalized.connect(check_rewritten_links)
    signals.all_generators_finalized.connect(add_context)
