"""Member directory plugin: one YAML file per member (content/members/) becomes
a profile page at /members/<slug>/, a place in the directory at /members/
(content/pages/members.md, template members.html) with filter pages by
sector and region, and the exports members.json, members.schema.json and
members.csv.

Settings read: MEMBERS (see settings.py), PATH, THEME, DEFAULT_LANG, SITEURL,
PRODUCTION_SITEURL, RELATIVE_URLS.

Template context: members (sorted), members_by_slug, member_directory (the
page), member_filters ({"sectors": {id: Filter}, "regions": {id: Filter}}),
articles_by_member ({slug: [showcases...]}), member_exports (MEMBERS with
its defaults); filters ``initials`` and ``hostname``.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from pelican import signals
from pelican.generators import Generator

from theme_support import Site, load_strings

from . import directory, exports
from .reader import MemberReader
from .settings import members_settings


class MembersGenerator(Generator):
    """Builds the directory context after the pages are read, then writes the
    filter pages and the exports. The directory page and the profiles are
    ordinary pages, written by Pelican's PagesGenerator."""

    def generate_context(self):
        source = os.path.join(self.path, "pages", f"{directory.DIRECTORY_SLUG}.md")
        self.context.update(directory.build_context(self.context, source))
        self.context["member_exports"] = members_settings(self.settings)

    def generate_output(self, writer):
        template = self.get_template("members")
        page = self.context["member_directory"]
        for filters in self.context["member_filters"].values():
            for member_filter in filters.values():
                writer.write_file(
                    member_filter.save_as,
                    template,
                    self.context,
                    relative_urls=self.settings["RELATIVE_URLS"],
                    url=member_filter.url,
                    page=page,
                    member_filter=member_filter,
                )
        exports.write_exports(
            self.output_path,
            self.context["member_exports"],
            self.context,
            Site(self.settings),
            load_strings(self.settings["THEME"], self.settings["DEFAULT_LANG"]),
        )


def initials(name: str) -> str:
    """'Fjordfox Games' -> 'FG': the monogram shown when there is no logo."""
    return "".join(word[0] for word in name.split()[:2]).upper()


def hostname(url: str) -> str:
    """'https://www.fjordfox.example/en/' -> 'fjordfox.example', a link text."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def check_settings(pelican):
    members_settings(pelican.settings)  # raises with every problem


def use_member_reader(readers):
    reader = MemberReader(readers.settings)
    for extension in MemberReader.file_extensions:
        readers.reader_classes[extension] = MemberReader
        readers.readers[extension] = reader


def add_filters(generator):
    generator.env.filters.update(initials=initials, hostname=hostname)


def get_generators(_pelican):
    return MembersGenerator


def register():
    signals.initialized.connect(check_settings)
    signals.readers_init.connect(use_member_reader)
    signals.generator_init.connect(add_filters)
    signals.get_generators.connect(get_generators)
