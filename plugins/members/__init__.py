"""Member directory plugin: one YAML file per member (content/members/) becomes
a profile page at /members/<slug>/ and a card in the directory at /members/
(content/pages/members.md, template members.html), whose filters run in the
browser (theme/static/js/members.js, with the filter index written here);
and the exports members.json, members.schema.json and members.csv.

Settings read: MEMBERS (see settings.py), RESPONSIVE_IMAGES (the logos are
resized with that plugin's cache), PATH, THEME, DEFAULT_LANG, SITE_NOW.

Template context: members (sorted), member_count, members_by_slug,
member_directory (the page), member_facets (the filters), member_filter_index
(the filter index's path), articles_by_member ({slug: [showcases...]}),
member_exports (MEMBERS with its defaults); on each member page object
``logo_images`` ({"card": LogoImage, "profile": LogoImage} or {}) and
``organization`` (its JSON-LD); filters
``initials``, ``hostname`` and ``relative_url``.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import urlsplit

from pelican import signals
from pelican.generators import Generator

from content_model import install_reader
from theme_support import Site, load_strings

from . import directory, exports, schema
from .logos import Logos, image_config
from .reader import MemberReader, names
from .settings import check_settings as members_settings

log = logging.getLogger(__name__)


class MembersGenerator(Generator):
    """Builds the directory context after the pages are read (logos sized,
    filter index made), then writes the exports and the resized logos. The
    directory page and the profiles are ordinary pages, written by
    Pelican's PagesGenerator."""

    def generate_context(self):
        names.report_duplicates()
        strings = load_strings(self.settings["THEME"], self.settings["DEFAULT_LANG"])
        source = os.path.join(self.path, "pages", f"{directory.DIRECTORY_SLUG}.md")
        self.context.update(directory.build_context(self.context, source, strings))
        self.context["member_exports"] = members_settings(self.settings).values

        config = image_config(self.settings)
        self.logos = Logos(self.settings["PATH"], config) if config else None
        every_member = [
            page
            for key in ("pages", "hidden_pages", "draft_pages")
            for page in self.context.get(key, [])
            if page.metadata.get("section") == directory.MEMBERS.name
        ]
        absolute = Site(self.settings).absolute
        for member in every_member:
            member.logo_images = (
                self.logos.for_member(member.metadata) if self.logos else {}
            )
            member.organization = directory.organization(
                member, absolute, self.settings["SITENAME"]
            )

        page = self.context["member_directory"]
        self.index = exports.filter_index(self.context["members"])
        self.index_name = exports.fingerprinted(
            f"{page.url if page else 'members/'}filter.js", self.index
        )
        self.context["member_filter_index"] = self.index_name

    def generate_output(self, writer):
        output = self.output_path
        options = self.context["member_exports"]
        site = Site(self.settings)
        records = [
            schema.member_record(m, site.absolute) for m in self.context["members"]
        ]
        schema_url = site.absolute(options["schema"]) if options["schema"] else None
        if options["json"]:
            generated = exports.generated_at(self.settings, self.context)
            text = exports.directory_json(records, generated, schema_url)
            exports.write(output, options["json"], text)
        if options["schema"]:
            text = exports.json_text(schema.directory_schema(schema_url))
            exports.write(output, options["schema"], text)
        if options["csv"]:
            exports.write(output, options["csv"], exports.directory_csv(records))
        exports.write(output, self.index_name, self.index)
        if self.logos:
            encoded, reused = self.logos.write(output)
            log.info("members: %d logos resized, %d from the cache", encoded, reused)


def initials(name: str) -> str:
    """'Fjordfox Games' -> 'FG': the badge shown when there is no logo."""
    return "".join(word[0] for word in name.split()[:2]).upper()


def hostname(url: str) -> str:
    """'https://www.fjordfox.example/en/' -> 'fjordfox.example', a link text."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def check_settings(pelican):
    members_settings(pelican.settings).report()


def use_member_reader(readers):
    install_reader(readers, MemberReader)


def add_filters(generator):
    generator.env.filters.update(
        initials=initials, hostname=hostname, relative_url=directory.relative_url
    )


def get_generators(_pelican):
    return MembersGenerator


def register():
    signals.initialized.connect(check_settings)
    signals.initialized.connect(names.reset)
    signals.readers_init.connect(use_member_reader)
    signals.generator_init.connect(add_filters)
    signals.get_generators.connect(get_generators)
