"""The member directory as the templates see it: members in Danish
alphabetical order, the filters by sector and region, and the showcases and
other articles that feature each member.

Everything here is derived from the pages the reader produced and from the
content model; nothing is configured twice.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import build_errors
from content_model import model

MEMBERS = model.SECTIONS_BY_NAME["members"]
DIRECTORY_SLUG = "members"  # content/pages/members.md: title and introduction
# Filter pages: URL segment -> the member field they filter on.
FACETS = {"sectors": "sectors", "regions": "region"}
# Fields of dated sections that name members ("Member" of showcases).
MEMBER_REFERENCES = tuple(
    (section.name, f.key)
    for section in model.DATED_SECTIONS
    for f in section.fields
    if f.vocabulary == "members"
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


@dataclass(frozen=True)
class Filter:
    """One filter page: the members of one sector or one region."""

    facet: str  # "sectors" or "regions"
    value: str  # "games", "midtjylland"
    label: str  # UI string key of the value, "sector_games"
    url: str  # "members/sectors/games/"
    members: tuple

    @property
    def save_as(self) -> str:
        return f"{self.url}index.html"

    @property
    def heading(self) -> str:
        """UI string key of the page's heading."""
        return f"members_{self.facet}_heading"


def member_values(member, field_key: str) -> list[str]:
    value = member.metadata.get(field_key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def build_filters(directory_url: str, members: list) -> dict[str, dict[str, Filter]]:
    """For each facet, {value: Filter} for every value that has members, in
    the order of the content model's vocabulary."""
    filters = {}
    for facet, field_key in FACETS.items():
        field = MEMBERS.field_named(field_key)
        prefix = field_key.removesuffix("s")  # sectors -> sector_games
        filters[facet] = {}
        for value in field.choices:
            matching = tuple(m for m in members if value in member_values(m, field_key))
            if matching:
                filters[facet][value] = Filter(
                    facet,
                    value,
                    f"{prefix}_{value}",
                    f"{directory_url}{facet}/{value}/",
                    matching,
                )
    return filters


def articles_by_member(articles: list, members: list) -> dict[str, list]:
    """The articles (newest first, as Pelican sorts them) naming each member."""
    found = {m.slug: [] for m in members}
    sections = {name for name, _key in MEMBER_REFERENCES}
    for article in articles:
        if article.metadata.get("section") not in sections:
            continue
        for _name, key in MEMBER_REFERENCES:
            for slug in article.metadata.get(key, ()):
                if slug in found and article not in found[slug]:
                    found[slug].append(article)
    return found


def build_context(context: dict, directory_source: str) -> dict:
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
            if p.metadata.get("section") == "pages" and p.slug == DIRECTORY_SLUG
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
    return {
        "members": members,
        "members_by_slug": {m.slug: m for m in members},
        "member_directory": directory,
        "member_filters": build_filters(directory.url, members) if directory else {},
        "articles_by_member": articles_by_member(context.get("articles", []), members),
    }
