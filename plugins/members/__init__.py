"""Member directory plugin: one YAML file per member (content/members/) becomes
a profile page at /members/<slug>/ and a card in the directory at /members/
(content/pages/members.md, template members.html), whose filters run in the
browser (theme/static/js/members.js, with the filter index written here);
and the exports members.json, members.schema.json and members.csv.

The plugin reads content/members/ itself (Pelican's PAGE_PATHS leave it out)
into ordinary pages, which the pages generator writes: like every page of
the site, a profile is rendered again only when something it shows changed
(plugins/site_build/writer.py). The exports and the filter index are keyed
the same way.

Settings read: MEMBERS (see settings.py), RESPONSIVE_IMAGES (the logos are
resized by that plugin's image service), PATH, THEME, DEFAULT_LANG.

Template context: members (sorted), member_count, members_by_slug,
member_directory (the page), member_facets (the filters), member_filter_index
(the filter index's path), member_exports (MEMBERS with its defaults); on
each member page ``logo_images`` ({"card": LogoImage, "profile": LogoImage}
or {}), ``organization`` (its JSON-LD) and ``showcases`` (the articles that
name it, newest first); on each showcase ``featured_members`` (the members it
names); filters ``initials``, ``hostname`` and ``relative_url``.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from pelican import signals
from pelican.contents import Page
from pelican.generators import Generator

import site_build
from content_model import ModelReader, install_reader, model
from content_model.urls import shown_host
from site_build.session import file_state
from theme_support import Site, load_strings

from . import directory, exports, schema
from .logos import OUTPUT_FOLDER, Logos
from .reader import MemberReader, report_duplicate_names
from .settings import check_settings as members_settings


class MembersGenerator(Generator):
    """Reads the member files into pages, builds the directory context
    (logos sized, filter index made), then writes the exports and the
    resized logos. The directory page and the profiles are ordinary pages,
    written by the pages generator."""

    def generate_context(self):
        members = self.read_members()
        report_duplicate_names(members)
        strings = load_strings(self.settings["THEME"], self.settings["DEFAULT_LANG"])
        source = os.path.join(
            self.path, model.PAGES.folder, f"{directory.DIRECTORY_SLUG}.md"
        )
        self.context.update(directory.build_context(self.context, source, strings))
        site_build.session().tally[model.MEMBERS.name] = self.context["member_count"]
        self.context["member_exports"] = members_settings(self.settings).values
        logos = Logos.of_build(self.settings)
        absolute = Site(self.settings).absolute
        for member in members:
            member.logo_images = logos.for_member(member.metadata) if logos else {}
            member.organization = directory.organization(
                member, absolute, self.settings["SITENAME"]
            )
        directory.link_showcases(self.context.get("articles", []), members)
        page = self.context["member_directory"]
        self.index = exports.filter_index(self.context[model.MEMBERS.name])
        self.index_name = exports.fingerprinted(
            f"{page.url if page else model.MEMBERS.listing_url}filter.js", self.index
        )
        self.context["member_filter_index"] = self.index_name

    def read_members(self) -> list[Page]:
        """Read content/members/ into pages, as the pages generator would (in
        the context's page lists). A file of another kind in the folder is
        refused by the reader."""
        reader = MemberReader(self.settings)
        extensions = [*MemberReader.file_extensions, *ModelReader.file_extensions]
        lists = {"published": "pages", "hidden": "hidden_pages", "draft": "draft_pages"}
        members = []
        folder = directory.MEMBERS.folder
        kept = site_build.session().read_site

        def read(path: str) -> Page | None:
            content, metadata = reader.read(path)
            if metadata.get("status") == "skip":
                return None
            return Page(
                content,
                metadata=metadata,
                settings=self.settings,
                source_path=path,
                context=self.context,
            )

        for relative in sorted(self.get_files([folder], extensions=extensions)):
            path = os.path.join(self.path, relative)
            page = kept.reuse(path, self.settings, self.context)
            if page is None:
                page = kept.read(path, partial(read, path), self.settings, self.context)
            if page is None:  # refused: the reader reported why
                continue
            self.add_source_path(page)
            self.context.setdefault(lists[page.status], []).append(page)
            members.append(page)
        return members

    def generate_output(self, writer):
        s = site_build.session()
        options = self.context["member_exports"]
        members = self.context[model.MEMBERS.name]
        generated = exports.generated_at(self.settings, self.context)
        key = s.key("members-exports", options, generated, members)
        site = Site(self.settings)
        records = None

        def all_records():
            nonlocal records
            if records is None:
                records = [schema.member_record(m, site.absolute) for m in members]
            return records

        schema_url = site.absolute(options["schema"]) if options["schema"] else None
        owner = "the member directory (plugins/members)"
        if options["json"]:
            s.output(
                options["json"],
                key,
                lambda: exports.directory_json(all_records(), generated, schema_url),
                owner,
            )
        if options["schema"]:
            s.output(
                options["schema"],
                key,
                lambda: exports.json_text(schema.directory_schema(schema_url)),
                owner,
            )
        if options["csv"]:
            s.output(
                options["csv"], key, lambda: exports.directory_csv(all_records()), owner
            )
        s.write(self.index_name, self.index, owner)
        self.publish_logos(members)

    def publish_logos(self, members) -> None:
        """The logo files of published members, as they are (the original
        the exports link to; an SVG is shown as it is): content/'s own
        static files leave the logo folder to this plugin, unless a text
        links a logo with {static}, which publishes it the same way."""
        s = site_build.session()
        linked = {static.save_as for static in self.context.get("staticfiles", [])}
        for member in members:
            relative = member.metadata.get("logo")
            if not relative or relative in linked:
                continue
            path = os.path.join(self.path, relative)
            key = s.key("static", relative, file_state(path))
            s.output(relative, key, Path(path).read_bytes, path)


def initials(name: str) -> str:
    """'Fjordfox Games' -> 'FG': the badge shown when there is no logo."""
    return "".join(word[0] for word in name.split()[:2]).upper()


def hostname(url: str) -> str:
    """The host a visitor of ``url`` reaches, as its link text
    ('https://www.fjordfox.example/en/' -> 'fjordfox.example'): read as
    browsers read addresses, so the text shown is where the link goes."""
    return shown_host(url)


def check_settings(pelican):
    setting = members_settings(pelican.settings)
    setting.report()
    s = site_build.session()
    s.reserve(f"{OUTPUT_FOLDER}/", "the member logos")
    for path in filter(None, setting.values.values()):
        s.reserve(path, "the member directory's data")


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
    signals.readers_init.connect(use_member_reader)
    signals.generator_init.connect(add_filters)
    signals.get_generators.connect(get_generators)
