"""`invoke new`: a new Markdown file with every required field of its section,
ready to build, marked as a draft until someone publishes it."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from . import model
from .slugs import slugify
from .validate import vocabulary

# The brand image stands in until the author picks a picture of their own.
DEFAULT_IMAGE = "images/brand/default-share.png"
DEFAULT_IMAGE_ALT = "The Interactive Denmark wordmark on a navy background"


SUMMARY = (
    "One or two sentences, at most 200 characters, that sum up the story for "
    "lists, feeds and social media."
)
BODY = (
    "Write the story here in Markdown. Start sections with ## subheadings; "
    "the title above is the page's only main heading."
)
PUBLISH_NOTE = "Remove the Status line when the text is ready to publish."


def vocabulary_note(field: model.Field) -> str:
    """The note in the body about a required field `invoke new` filled with
    the first name of its vocabulary (a showcase's Member)."""
    folder, suffix = model.VOCABULARIES[field.vocabulary]
    return (
        f"Change the {field.name} line to the right ones: file names in "
        f"content/{folder}/ without {suffix}, separated by commas."
    )


def text_placeholder(field: model.Field) -> str:
    """What a text field says until the author writes it."""
    return f"({field.help or field.name})"


def placeholders(section: model.Section) -> tuple[str, ...]:
    """Everything `invoke new` writes for the author to replace: a file
    that still holds one of them is not ready to publish."""
    texts = [SUMMARY, BODY, PUBLISH_NOTE]
    texts += [text_placeholder(f) for f in section.fields if f.kind == model.TEXT]
    texts += [vocabulary_note(f) for f in section.fields if f.required and f.vocabulary]
    return tuple(texts)


def header_values(section: model.Section, title: str, now: datetime) -> dict:
    """A value for each field of the section, by its kind: what passes the
    content model, for the author to replace."""
    by_kind = {
        model.DATETIME: now.strftime("%Y-%m-%d %H:%M"),
        model.SUMMARY: SUMMARY,
        model.IMAGE: DEFAULT_IMAGE,
        model.LIST: section.name.capitalize(),
    }
    alt_texts = {f.requires for f in section.fields if f.kind == model.IMAGE}
    values = {}
    for field in section.fields:
        if field.name == "Title":
            values[field.name] = title
        elif field.name in alt_texts:
            values[field.name] = DEFAULT_IMAGE_ALT
        elif field.kind == model.CHOICE and "draft" in field.choices:
            values[field.name] = "draft"
        elif field.not_before:  # an End: an hour after its Start
            values[field.name] = (now + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
        elif field.kind in by_kind:
            values[field.name] = by_kind[field.kind]
        elif field.kind in (model.CHOICE, model.CHOICES) and field.choices:
            values[field.name] = field.choices[0]
        elif field.kind == model.INTEGER:
            values[field.name] = "1"
        elif field.kind == model.TEXT:  # the author writes it: say what
            values[field.name] = text_placeholder(field)
    return values


def new_file(content_root: str, section_name: str, title: str, now: datetime) -> str:
    section = model.SECTIONS_BY_NAME.get(section_name)
    if section is None or not section.dated:
        allowed = ", ".join(s.name for s in model.DATED_SECTIONS)
        raise ValueError(f"section {section_name!r} is not one of {allowed}")
    title = " ".join(title.split())
    slug = slugify(title)
    if not slug:
        raise ValueError(f"title {title!r} has no letters or digits to make a slug")
    path = os.path.join(content_root, section.folder, f"{slug}.md")
    if os.path.exists(path):
        raise ValueError(f"{path} already exists; choose another title")
    values = header_values(section, title, now)
    # A required field that names items of a vocabulary (a showcase's
    # Member): the first one stands in until the author picks the right one
    # (the note in the body says so).
    for field in section.fields:
        if field.required and field.vocabulary:
            slugs = sorted(vocabulary(field.vocabulary, content_root))
            values[field.name] = slugs[0] if slugs else ""
    # Of fields the section wants one of (an event's Venue or Online), the
    # first, and the fields it needs with it (a Venue's City).
    wanted = {group[0] for group in section.one_of}
    wanted |= {section.field_named(name).requires for name in wanted} - {None}
    lines = [
        f"{field.name}: {values.get(field.name, '')}"
        for field in section.fields
        if field.required or field.name == "Status" or field.name in wanted
    ]
    body = f"{BODY}\n\n{PUBLISH_NOTE}\n"
    for field in section.fields:
        if field.required and field.vocabulary:
            body += f"\n{vocabulary_note(field)}\n"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n\n" + body)
    return path
