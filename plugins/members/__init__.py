"""Member directory plugin: one YAML file per member (content/members/) becomes
a profile page at /members/<slug>/ and a card in the directory at /members/
(content/pages/members.md, template members.html), whose filters run in the
browser (theme/static/js/members.js, with the filter index written here);
and the exports members.json, members.schema.json and members.csv.

The plugin reads content/members/ itself (Pelican's PAGE_PATHS leave it out),
keeps what did not change since the last build (cache.py) and renders the
rest with two processes (parallel.py): a directory of thousands of members
rebuilds in a fraction of a second (`invoke bench`, bench.py).

Settings read: MEMBERS (see settings.py), RESPONSIVE_IMAGES (the logos are
resized with that plugin's cache), PATH, THEME, DEFAULT_LANG, SITE_NOW.

Template context: members (sorted), member_count, members_by_slug,
member_directory (the page), member_facets (the filters), member_filter_index
(the filter index's path), articles_by_member ({slug: [showcases...]}),
member_exports (MEMBERS with its defaults); on each member page object
``logo_images`` ({"card": LogoImage, "profile": LogoImage} or {}) and
``organization`` (its JSON-LD); filters
``initials``, ``hostname`` and ``relative_url``. A profile page (member.html)
gets all of it but the directory-wide lists (members, member_count,
members_by_slug, member_facets): it shows its own member only.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import urlsplit

import jinja2
from pelican import signals
from pelican.contents import Page
from pelican.generators import Generator, PagesGenerator
from pelican.writers import Writer

import build_errors
import site_build
from content_model import ModelReader, install_reader
from site_meta import site_now
from theme_support import Site, load_strings

from . import cache, directory, exports, schema
from .logos import Logos, image_config
from .parallel import SharedWork
from .reader import MemberReader, names, reading
from .settings import cache_folder
from .settings import check_settings as members_settings

log = logging.getLogger(__name__)


class MembersGenerator(Generator):
    """Reads the member files into pages, builds the directory context
    (logos sized, filter index made), then writes the exports and the
    resized logos. The directory page and the profiles are ordinary pages,
    written by :class:`MemberPages` with the pages generator's template and
    writer."""

    def generate_context(self):
        self.read_members()
        names.report_duplicates()
        strings = load_strings(self.settings["THEME"], self.settings["DEFAULT_LANG"])
        source = os.path.join(self.path, "pages", f"{directory.DIRECTORY_SLUG}.md")
        self.context.update(directory.build_context(self.context, source, strings))
        self.context["member_exports"] = members_settings(self.settings).values

        config = image_config(self.settings)
        self.logos = (
            Logos(self.settings["PATH"], config, reading.records) if config else None
        )
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
        self.exports_kept = None
        if build_errors.problems():  # the build stops before writing anything
            return
        member_pages.plan(self.settings, every_member)

        # The exports and the filter index: kept as they are when no member
        # and nothing else they are made from changed.
        options = self.context["member_exports"]
        self.generated = exports.generated_at(self.settings, self.context)
        self.exports_kept = member_pages.keep_unchanged(
            "exports", cache.dumps([options, self.generated])
        )
        if self.exports_kept is not None:
            self.index = None
            self.index_name = self.exports_kept.extra["index_name"]
        else:
            page = self.context["member_directory"]
            self.index = exports.filter_index(self.context["members"])
            self.index_name = exports.fingerprinted(
                f"{page.url if page else 'members/'}filter.js", self.index
            )
        self.context["member_filter_index"] = self.index_name

    def read_members(self) -> None:
        """Read content/members/ into pages, as the pages generator would
        (in the context's page lists) but without its per-file work: the
        files are checked by MemberReader (with what earlier builds kept,
        reader.py) and made into Page objects directly. A file of another
        kind in the folder is refused by the reader."""
        reader = MemberReader(self.settings)
        extensions = [*MemberReader.file_extensions, *ModelReader.file_extensions]
        folder = directory.MEMBERS.folder
        lists = {"published": "pages", "hidden": "hidden_pages", "draft": "draft_pages"}
        for relative in sorted(self.get_files([folder], extensions=extensions)):
            path = os.path.join(self.path, relative)
            content, metadata = reader.read(path)
            if metadata.get("status") == "skip":
                continue
            page = Page(
                content,
                metadata=metadata,
                settings=self.settings,
                source_path=path,
                context=self.context,
            )
            page.member_source = reading.source  # what cache.member_key uses
            self.add_source_path(page)
            self.context.setdefault(lists[page.status], []).append(page)

    def generate_output(self, writer):
        if self.exports_kept is None:  # while the helper renders pages
            self.write_exports()
        member_pages.finish()
        if self.logos:
            encoded, reused = self.logos.write(self.output_path, site_build.current())
            log.info("members: %d logos resized, %d from the cache", encoded, reused)

    def write_exports(self):
        output = self.output_path
        options = self.context["member_exports"]
        site = Site(self.settings)
        records = [
            schema.member_record(m, site.absolute) for m in self.context["members"]
        ]
        schema_url = site.absolute(options["schema"]) if options["schema"] else None
        written = [self.index_name]
        if options["json"]:
            text = exports.directory_json(records, self.generated, schema_url)
            exports.write(output, options["json"], text)
            written.append(options["json"])
        if options["schema"]:
            text = exports.json_text(schema.directory_schema(schema_url))
            exports.write(output, options["schema"], text)
            written.append(options["schema"])
        if options["csv"]:
            exports.write(output, options["csv"], exports.directory_csv(records))
            written.append(options["csv"])
        exports.write(output, self.index_name, self.index)
        member_pages.written("exports", written, extra={"index_name": self.index_name})


# What a profile page may not use: the directory-wide lists. A profile shows
# its own member; that is what lets a rebuild re-render only the members that
# changed (cache.py).
DIRECTORY_WIDE = ("members", "members_by_slug", "member_facets", "member_count")


class MemberPages:
    """Writes the member profile pages and the directory page: only those
    whose member (or anything else they are made from) changed since the
    output folder was written, and those with two processes.

    They are ordinary Pelican pages, rendered with the pages generator's
    template and writer. Before the generators write, the pages generator
    hands them over. What is unchanged, key and file (cache.py), is kept as
    it is by the build driver; the rest is rendered by a helper process
    (parallel.py), which starts at once, while the build writes everything
    else, and by the directory generator, which writes what is left and
    collects the helper's share before any plugin reads the output.

    Without the build driver (Pelican on its own) or a cache folder,
    everything is rendered."""

    def __init__(self):
        self.generators: list = []
        self.pages: PagesGenerator | None = None
        self.build: site_build.Build | None = None
        self.manifest: cache.Manifest | None = None
        self.site = ""  # the site's fingerprint
        self.keys: dict[str, str] = {}  # entry name (save_as) -> key
        self.all_members = ""  # every member's key together
        self.kept: dict[str, cache.Written] = {}
        self.made: dict[str, tuple[list[str], dict]] = {}  # name -> files, extra
        self.taken: dict[str, list] = {}
        self.keep_pages: list = []
        self.render: list = []
        self.contexts: dict[int, dict] = {}
        self.work: SharedWork | None = None
        self._writer: tuple[int, Writer] | None = None

    def reset(self, *_args) -> None:
        if self.work is not None:
            self.work.stop()
        self.__init__()

    def remember(self, generators) -> None:
        self.generators = list(generators)

    def plan(self, settings: dict, members: list) -> None:
        """Work out the keys of this build (MembersGenerator.generate_context)."""
        self.build = site_build.current()
        folder = cache_folder(settings, members_settings(settings).values)
        if self.build is None or folder is None:
            return
        self.manifest = cache.Manifest(folder, self.build.output)
        self.site = cache.site_fingerprint(
            settings,
            site_now(settings).date(),
            {"OUTPUT_PATH"},
            directory.MEMBERS.folder,
            frozenset(m.metadata["logo"] for m in members if m.metadata.get("logo")),
        )
        for page in sorted(members, key=lambda p: p.save_as):
            self.keys[page.save_as] = cache.member_key(self.site, page)
        self.all_members = cache.key_of(self.site, *self.keys.values())
        self.build.after_publish(self._remember)

    def keep_unchanged(self, name: str, extra_key: str) -> cache.Written | None:
        """What was written of ``name`` (made from every member and
        ``extra_key``), kept by the build driver when it is unchanged."""
        if self.manifest is None:
            return None
        key = cache.key_of(self.all_members, name, extra_key)
        self.keys[name] = key
        entry = self.manifest.unchanged(name, key)
        if entry is not None:
            self._keep(name, entry)
        return entry

    def _keep(self, name: str, entry: cache.Written) -> None:
        self.kept[name] = entry
        for path in (*entry.files, *entry.refs):
            self.build.keep(path)

    def written(self, name: str, files: list[str], extra: dict | None = None):
        """``name`` was made this build: remember its files after publishing."""
        if self.manifest is not None and name in self.keys:
            self.made[name] = (files, extra or {})

    def start(self, _pelican) -> None:
        """At get_writer: after every generator's context and the intersite
        links are final, before any output."""
        self.pages = next(
            (g for g in self.generators if isinstance(g, PagesGenerator)), None
        )
        if self.pages is None or build_errors.problems():
            return
        taken, others = [], {}
        for key in ("pages", "hidden_pages", "draft_pages"):
            every = getattr(self.pages, key)
            self.taken[key] = every
            mine = [self._is_mine(p) for p in every]
            others[key] = [p for p, m in zip(every, mine, strict=True) if not m]
            setattr(self.pages, key, others[key])
            taken += [p for p, m in zip(every, mine, strict=True) if m]
        profile_context = dict(self.pages.context, **others)
        for name in DIRECTORY_WIDE:
            profile_context[name] = jinja2.StrictUndefined(
                hint=f"a member's profile page cannot use '{name}': it shows "
                "its own member only (see plugins/members/cache.py)",
                name=name,
            )
        for page in taken:
            profile = page.metadata.get("section") == directory.MEMBERS.name
            context = profile_context if profile else self.pages.context
            self.contexts[id(page)] = context
            if not page.save_as:  # not written (a draft in production)
                continue
            if self.manifest is not None and not profile:
                self.keys[page.save_as] = cache.key_of(self.all_members, page.save_as)
            entry = (
                self.manifest.unchanged(page.save_as, self.keys[page.save_as])
                if self.manifest is not None
                else None
            )
            if entry is None:
                self.render.append(page)
            else:
                self._keep(page.save_as, entry)
                self.keep_pages.append(page)
        self.work = SharedWork(self.render, self._write, "members: pages").start()

    @staticmethod
    def _is_mine(page) -> bool:
        section = page.metadata.get("section")
        return section == directory.MEMBERS.name or (
            section == "pages" and page.slug == directory.DIRECTORY_SLUG
        )

    def _write(self, page) -> int:
        """Write one page as the pages generator would; returns the id of
        the process that wrote it."""
        if self._writer is None or self._writer[0] != os.getpid():
            writer = Writer(self.pages.output_path, settings=self.pages.settings)
            self._writer = (os.getpid(), writer)
        self._writer[1].write_file(
            page.save_as,
            self.pages.get_template(page.template),
            self.contexts[id(page)],
            page=page,
            relative_urls=self.pages.settings["RELATIVE_URLS"],
            override_output=hasattr(page, "override_save_as"),
            url=page.url,
        )
        return os.getpid()

    def finish(self) -> None:
        if self.work is None:
            return
        writers = self.work.finish()
        here = os.getpid()
        told = [
            page
            for page, pid in zip(self.work.items, writers, strict=True)
            if pid != here  # written by the helper
        ]
        for page in told + self.keep_pages:  # the sitemap hears of them here
            path = os.path.join(self.pages.output_path, page.save_as)
            context = dict(self.contexts[id(page)], page=page, output_file=page.save_as)
            signals.content_written.send(path, context=context)
        for page in self.render:
            self.written(page.save_as, [page.save_as])
        for key, every in self.taken.items():
            setattr(self.pages, key, every)
        self.work = None

    def _remember(self, output: str) -> None:
        """After publishing: the key and file states of what was made, for
        the next build."""
        entries = dict(self.kept)
        siteurl = self.pages.settings.get("SITEURL", "")
        for name, (files, extra) in self.made.items():
            refs: set[str] = set()
            for path in files:
                if path.endswith(".html"):
                    with open(os.path.join(output, path), encoding="utf-8") as handle:
                        refs.update(
                            cache.referenced_files(handle.read(), path, siteurl)
                        )
            entries[name] = cache.Written(
                self.keys[name],
                {path: cache.file_state(os.path.join(output, path)) for path in files},
                tuple(sorted(refs - set(files))),
                extra,
            )
        self.manifest.save(entries)


member_pages = MemberPages()


def initials(name: str) -> str:
    """'Fjordfox Games' -> 'FG': the badge shown when there is no logo."""
    return "".join(word[0] for word in name.split()[:2]).upper()


def hostname(url: str) -> str:
    """'https://www.fjordfox.example/en/' -> 'fjordfox.example', a link text."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def start_reading(pelican):
    settings = pelican.settings
    folder = cache_folder(settings, members_settings(settings).values)
    reading.start(folder, settings["PATH"])


def save_records(_pelican):
    reading.records.save()


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
    signals.initialized.connect(member_pages.reset)
    signals.initialized.connect(start_reading)
    signals.finalized.connect(save_records)
    signals.all_generators_finalized.connect(member_pages.remember)
    signals.get_writer.connect(member_pages.start)
    signals.readers_init.connect(use_member_reader)
    signals.generator_init.connect(add_filters)
    signals.get_generators.connect(get_generators)
