"""The member directory as the templates see it: members in Danish
alphabetical order, the filters of the directory page with their options,
and the showcases that feature each member.

Everything here is derived from the pages the reader produced and from the
content model; nothing is configured twice.
"""

from __future__ import annotations

import posixpath
import unicodedata
from dataclasses import dataclass

import build_errors
from content_model import model

MEMBERS = model.MEMBERS
# content/pages/members.md: the directory's title and introduction.
DIRECTORY_SLUG = MEMBERS.name
# The directory's filters, in the order of the form: the member field each
# filters on, and whether its options are labelled by UI strings ("sector_"
# + value) or shown as written (regions are names; programmes have titles).
FACETS = (
    ("sectors", "sector_"),
    ("region", None),
    ("employees", "employees_"),
    ("business_model", "business_model_"),
    ("markets", "markets_"),
    ("programmes", None),
)
# Fields of dated sections that name members ("Member" of showcases).
MEMBER_REFERENCES = tuple(
    (section.name, f.key)
    for section in model.DATED_SECTIONS
    for f in section.fields
    if f.vocabulary == model.MEMBERS.name
)

# Danish order: æ, ø, å come after z, in that order ("{|}" follow "z" in ASCII).
_AFTER_Z = str.maketrans({"æ": "{", "ø": "|", "å": "}"})


def sort_key(name: str) -> tuple[str, str]:
    """'Ærø Games' after 'Zebra Film'; accents (é) sort as their letter."""
    folded = unicodedata.normalize("NFC", name).casefold().translate(_AFTER_Z)
    plain = "".join(
        char
        for char in unicodedata.normalize("NFKD", folded)
        if not unicodedata.combining(char)
    )
    return plain, name


def values_of(member, key: str) -> list[str]:
    """A member's values of a field as a list (one or several, or none)."""
    value = member.metadata.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


@dataclass(frozen=True)
class Option:
    value: str  # as stored: "games", "Sjælland", "growing-games"
    label: str  # as shown
    count: int  # members with this value


@dataclass(frozen=True)
class Facet:
    """One filter of the directory page: a fieldset of checkboxes."""

    key: str  # the member field, also the URL query parameter
    legend: str  # UI string key of its legend, "members_filter_sectors"
    options: tuple[Option, ...]


def build_facets(members: list, t, programmes: list) -> tuple[Facet, ...]:
    """Every filter with the options members use, in the content model's
    order (programmes in their own order)."""
    titles = {p.slug: p.title for p in programmes}
    facets = []
    for key, label_prefix in FACETS:
        field = MEMBERS.field_named(key)
        choices = field.choices or tuple(titles)
        counts = {choice: 0 for choice in choices}
        for member in members:
            for value in values_of(member, key):
                counts[value] = counts.get(value, 0) + 1
        options = tuple(
            Option(
                value,
                t(label_prefix + value) if label_prefix else titles.get(value, value),
                count,
            )
            for value, count in counts.items()
            if count
        )
        facets.append(Facet(key, f"members_filter_{key}", options))
    return tuple(facets)


def link_showcases(articles: list, members: list) -> None:
    """Each member's ``showcases`` (the articles naming it, newest first, as
    Pelican sorts them) and each such article's ``featured_members`` (the
    published members it names, in its order). Pages show them, so they are
    part of what each page's key is made of (site_build/fingerprint.py)."""
    by_slug = {m.slug: m for m in members if m.status == "published"}
    for member in members:
        member.showcases = []
    sections = {name for name, _key in MEMBER_REFERENCES}
    for article in articles:
        if article.metadata.get("section") not in sections:
            continue
        named = [
            slug
            for _name, key in MEMBER_REFERENCES
            for slug in article.metadata.get(key, ())
        ]
        article.featured_members = [
            by_slug[slug] for slug in dict.fromkeys(named) if slug in by_slug
        ]
        for member in article.featured_members:
            member.showcases.append(article)


def relative_url(target: str, base: str) -> str:
    """``target`` (a site path such as 'members/fjordfox-games/') as a link
    from the page at ``base`` ('members/'): 'fjordfox-games/'. The directory
    links its cards this way, which keeps a page of 2,000 cards small."""
    if base.endswith("/") and target.startswith(base) and target != base:
        rest = target[len(base) :]  # below the page: the common case, quick
        if "/." not in "/" + rest and "//" not in rest:
            return rest
    link = posixpath.relpath("/" + target, "/" + base)
    return link + "/" if target.endswith("/") and not link.endswith("/") else link


def build_context(context: dict, directory_source: str, t) -> dict:
    """The template context of the directory. ``directory_source`` is where
    the directory page should be, for the message when it is missing."""
    pages = context.get("pages", [])
    members = sorted(
        (p for p in pages if p.metadata.get("section") == MEMBERS.name),
        key=lambda p: sort_key(p.title),
    )
    directory = next(
        (
            p
            for p in pages
            if p.metadata.get("section") == model.PAGES.name
            and p.slug == DIRECTORY_SLUG
        ),
        None,
    )
    if directory is None and members:
        build_errors.report(
            directory_source,
            None,
            "file",
            "is missing: the member directory takes its title and introduction from it",
            "add it with a 'Title: ...' and a 'Summary: ...' line and a short text",
        )
    by = model.PROGRAMMES.order_by
    programmes = sorted(
        (p for p in pages if p.metadata.get("section") == model.PROGRAMMES.name),
        key=lambda p: (p.metadata.get(by, 0), p.title),
        reverse=model.PROGRAMMES.descending,
    )
    naming = [f.key for f in MEMBERS.fields if f.vocabulary == model.PROGRAMMES.name]
    return {
        MEMBERS.name: members,  # the items of a section, under its name
        # The members that took part in each programme (their own files say).
        "members_by_programme": {
            programme.slug: [
                m
                for m in members
                if any(programme.slug in m.metadata.get(key, ()) for key in naming)
            ]
            for programme in programmes
        },
        "member_count": len(members),
        "members_by_slug": {m.slug: m for m in members},
        "member_directory": directory,
        "member_facets": build_facets(members, t, programmes),
    }


def organization(member, absolute, sitename: str) -> dict:
    """The member as a schema.org Organization (JSON-LD on its profile page),
    a member of the cluster, whose own Organization the home page describes
    under the id <site>/#organization (partials/meta.html)."""
    meta = member.metadata
    contact = meta.get("contact") or {}
    data = {
        "@context": "https://schema.org",
        "@type": MEMBERS.schema_type,
        "@id": absolute(member.url) + "#organization",
        "name": member.title,
        "url": meta["website"],
        "description": meta["description"],
        "mainEntityOfPage": absolute(member.url),
        "address": {
            "@type": "PostalAddress",
            "addressLocality": meta["city"],
            "addressRegion": meta["region"],
            "addressCountry": "DK",
        },
        "memberOf": {
            "@type": "Organization",
            "@id": absolute() + "#organization",
            "name": sitename,
            "url": absolute(),
        },
    }
    optional = {
        "logo": absolute(meta["logo"]) if meta.get("logo") else None,
        "foundingDate": str(meta["founded"]) if meta.get("founded") else None,
        "email": contact.get("email"),
        "telephone": contact.get("phone"),
        "sameAs": list(meta["social"].values()) if meta.get("social") else None,
        "keywords": ", ".join(meta["tags"]) if meta.get("tags") else None,
    }
    data.update((key, value) for key, value in optional.items() if value)
    return data
