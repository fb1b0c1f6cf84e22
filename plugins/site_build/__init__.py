"""The build driver: runs Pelican into a new release folder and switches
output/ to it only when the build succeeded, in one step (releases.py).

One build at a time per output folder (a lock; a second build waits, saying
so). A failed build, or one killed at any moment, leaves output/ as it was.
Every problem of the run is reported at once; a crash in a plugin or a
template is one line naming the file and line of the crash, with the full
traceback in .cache/build.log (and on the terminal with --debug).

Plugins reach the build in progress through :func:`session` (session.py):
its settings, clock, problems, cache and the files of the new release.

Not a Pelican plugin: tasks.py and the tests call :func:`build`, the command
line `python -m site_build [--debug] [--times] [settings] [output]` (or
`... rollback [output]`).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import inspect
import json
import logging
import os
import posixpath
import shutil
import stat
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pelican.contents
import pelican.urlwrappers
from pelican import Pelican, signals
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator
from pelican.settings import read_settings
from pelican.utils import slugify as pelican_slugify

from build_errors import BuildFailed, Problem

from .releases import (
    FoldersAhead,
    Manifest,
    Release,
    Releases,
    describe,
    empty_folders,
    listing,
)
from .session import (
    ChangedWhileBuilding,
    Session,
    checkpoint,
    file_state,
    session,
    site_now,
)
from .writer import SiteWriter, TemplateCache

__all__ = [
    "BuildFailed",
    "ChangedWhileBuilding",
    "Problem",
    "Session",
    "build",
    "session",
    "site_now",
    "unreadable_link",
]

# Allocations between collections of young objects during a build (Python's
# default is 700: thousands of long-lived pages made it walk them again and
# again).
GC_THRESHOLD = 100_000
LOG_FILE = os.path.join(".cache", "build.log")


# Pelican's warnings that the session reports better (naming both files).
REPORTED_BETTER = (
    'There are %s items "%s" with lang %s',
    "There are %s original (not translated) items %s",
)


class _Recorder(logging.Handler):
    """Keeps Pelican's own warnings and errors (on our site any of them means
    something is wrong: a broken {filename} link, a template error...), and
    the errors any plugin or library logs."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        if record.name.split(".")[0] == "pelican" or record.levelno >= logging.ERROR:
            self.records.append(record)


@dataclass
class BuildResult:
    output: str
    seconds: float
    files: int
    written: int  # files new or changed in the output folder
    rendered: int = 0  # pages rendered (the others were unchanged)
    unchanged: bool = False  # nothing to do: the current release is up to date
    peak_mb: float = 0.0
    times: dict = field(default_factory=dict)  # stage -> seconds
    advice: int = 0  # things worth mending it published as written (check)
    pages: int = 0  # HTML pages in the site
    tally: dict = field(default_factory=dict)  # what the site holds (Session.tally)
    cache_note: str = ""  # the build cache did not work as it should (cache.py)

    def summary(self) -> str:
        """What the site holds, in one line."""
        held = "".join(f", {count:,} {name}" for name, count in self.tally.items())
        return f"The site holds {self.pages:,} pages{held}."


def _slugify(value, regex_subs=(), preserve_case=False, use_unicode=False):
    """Pelican's slugify, remembered for the build: it runs a score of
    regular expressions each time, and Pelican asks again for every tag of
    every article each time it compares or sorts them."""
    try:
        memo = session().memo
    except RuntimeError:  # outside a build
        return pelican_slugify(value, regex_subs, preserve_case, use_unicode)
    key = ("slugify", value, id(regex_subs), preserve_case, use_unicode)
    found = memo.get(key)
    if found is None:
        found = memo[key] = pelican_slugify(
            value, regex_subs, preserve_case, use_unicode
        )
        memo[("slugify-subs", id(regex_subs))] = regex_subs  # kept alive: id stays
    return found


pelican.contents.slugify = pelican.urlwrappers.slugify = _slugify


def load_settings(settings_file: str, overrides: dict | None = None) -> dict:
    return read_settings(settings_file, override=overrides or {})


class StaticFiles(StaticGenerator):
    """Pelican's static files (content/images/...), copied through the
    session: a file whose source did not change is linked in from the
    previous release. The theme's files are theme_support's. A file linked
    with {static} from outside content/ is never read (the fence)."""

    def generate_context(self):
        s = session()
        links = self.context["static_links"]
        for link in sorted(links):
            real = os.path.realpath(os.path.join(self.path, link))
            if not real.startswith(s.content_root + os.sep):
                s.report(
                    os.path.join(s.content_root, link),
                    None,
                    "link",
                    "a {static} or {attach} link leads outside content/",
                    "link only to files under content/",
                )
                links.discard(link)
        super().generate_context()

    def generate_output(self, writer):
        s = session()
        for static in self.context["staticfiles"]:
            source = os.path.join(self.path, static.source_path)
            key = s.key("static", static.save_as, file_state(source))
            s.output(static.save_as, key, Path(source).read_bytes, source)


class KeptReading:
    """A Pelican generator that takes each content object whose file did not
    change from the read site kept between builds (snapshot.py), through
    Pelican's own hook for cached content, and records what it reads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.readers.read_file = partial(self._read_file, self.readers.read_file)

    def get_cached_data(self, path, default=None):
        source = os.path.abspath(os.path.join(self.path, path))
        kept = session().read_site.reuse(source, self.settings, self.context)
        return default if kept is None else kept

    def cache_data(self, path, data):
        pass  # kept by _read_file, as read

    def add_static_links(self, content):
        try:
            super().add_static_links(content)
        except ValueError as error:  # Pelican's urlparse of a {static} "link"
            unreadable_link(content, error)

    def _read_file(self, read_file, base_path, path, **kwargs):
        source = os.path.abspath(os.path.join(base_path, path))
        return session().read_site.read(
            source,
            partial(read_file, base_path, path, **kwargs),
            self.settings,
            self.context,
        )


def unreadable_link(content, error: ValueError) -> None:
    """A problem of the file whose {filename}-style "link" (anywhere in its
    HTML, as Pelican finds them) is no address Python can read."""
    session().report(
        content.source_path,
        None,
        "link",
        f"a link to a file of the site is no address ({error})",
        "write links to files of the site only as [text]({filename}/...) with a "
        "plain path, and nowhere else",
    )


class Pages(KeptReading, PagesGenerator):
    """Pelican's pages, read through the read site kept between builds."""


class Articles(KeptReading, ArticlesGenerator):
    """Pelican's articles (read through the read site kept between builds),
    with each category's listing rendered by the
    template LISTING_TEMPLATES names for it (pelicanconf.py derives it from
    the content model), else category.html; paginated when
    PAGINATED_TEMPLATES names that template."""

    def get_template(self, name):
        if name == "category" and getattr(self, "_listing", None):
            name = self._listing
        return super().get_template(name)

    def generate_categories(self, write):
        chosen = self.settings.get("LISTING_TEMPLATES", {})
        for category, articles in self.categories:
            self._listing = chosen.get(category.slug)
            categories, self.categories = self.categories, [(category, articles)]
            try:
                super().generate_categories(
                    partial(_as_template, write, self._listing or "category")
                )
            finally:
                self.categories, self._listing = categories, None


def _as_template(write, name, *args, template_name=None, **kwargs):
    """Pelican's write, told the template that is used (for pagination)."""
    return write(*args, template_name=name, **kwargs)


class SitePelican(Pelican):
    """Pelican with our writer, articles and static files, and a run that
    stops before writing when reading found problems and makes the queued
    files (pages, feeds, calendars: ``Session.flush``) at the end."""

    def _get_generator_classes(self):
        replaced = {
            StaticGenerator: StaticFiles,
            ArticlesGenerator: Articles,
            PagesGenerator: Pages,
        }
        return [replaced.get(cls, cls) for cls in super()._get_generator_classes()]

    def _get_writer(self):
        return SiteWriter(self.output_path, settings=self.settings)

    def run(self):
        context = self.settings.copy()
        context["generated_content"] = {}
        context["static_links"] = set()
        context["static_content"] = {}
        context["localsiteurl"] = self.settings["SITEURL"]
        generators = [
            cls(
                context=context,
                settings=self.settings,
                path=self.path,
                theme=self.theme,
                output_path=self.output_path,
            )
            for cls in self._get_generator_classes()
        ]
        templates = TemplateCache(session())
        for generator in generators:
            if hasattr(generator, "env"):
                generator.env.bytecode_cache = templates
                # Templates do not change within a build: not a look at each
                # file's date whenever a page includes or imports it.
                generator.env.auto_reload = False
        s = session()
        signals.content_object_init.connect(_claim_address)
        try:
            for generator in generators:
                with s.timed(f"read: {type(generator).__name__}"):
                    if hasattr(generator, "generate_context"):
                        generator.generate_context()
                    if hasattr(generator, "check_disabled_readers"):
                        generator.check_disabled_readers()
        finally:
            signals.content_object_init.disconnect(_claim_address)
        with s.timed("read: after (plugins)"):
            signals.all_generators_finalized.send(generators)
        _check_addresses(s, context)
        if s.problems:  # nothing is worth writing
            raise BuildFailed(list(s.problems))
        if s.check_only:  # `invoke check`: everything read is checked
            self.writer = None
            return
        for generator in generators:
            if hasattr(generator, "refresh_metadata_intersite_links"):
                generator.refresh_metadata_intersite_links()
        self.writer = self._get_writer()
        for generator in generators:
            with s.timed(f"write: {type(generator).__name__}"):
                if hasattr(generator, "generate_output"):
                    generator.generate_output(self.writer)
        with s.timed("write: render pages and feeds"):
            s.flush()
        with s.timed("write: finalized (plugins)"):
            signals.finalized.send(self)
            s.flush()  # what the plugins queued then
        self.articles = next(g for g in generators if isinstance(g, ArticlesGenerator))


# The content lists of Pelican's context whose items are published.
PUBLISHED = (
    "articles",
    "drafts",
    "pages",
    "hidden_pages",
    "draft_pages",
    "staticfiles",
)


def _claim_address(content) -> None:
    """A content file's address, claimed as it is read: two files with one
    address are found (and both named) with the other problems of the run,
    before Pelican keeps one of them and drops the other."""
    if getattr(content, "save_as", "") and content.source_path:
        session().claim(content.save_as, content.source_path)


def _check_addresses(s: Session, context: dict) -> None:
    """No content file at an address the site makes itself: Pelican's own
    lists reserved, once every file is read, with the plugins' folders."""
    settings = s.settings
    for name in (
        "TAGS_SAVE_AS",
        "CATEGORIES_SAVE_AS",
        "AUTHORS_SAVE_AS",
        "ARCHIVES_SAVE_AS",
    ):
        if settings.get(name):
            s.reserve(settings[name], "a list the site makes (Pelican)")
    for tag, _articles in context.get("tags", []):
        s.reserve(tag.save_as, f"the page of the tag {tag.name!r}")
    for category, _articles in context.get("categories", []):
        s.reserve(category.save_as, f"the list of {category.name}")
    if "404" in settings.get("DIRECT_TEMPLATES", ()):
        s.reserve(settings.get("NOT_FOUND_SAVE_AS") or "404.html", "the page not found")
    seen = set()
    for name in PUBLISHED:
        for item in context.get(name, []):
            if id(item) in seen or not getattr(item, "save_as", ""):
                continue
            seen.add(id(item))
            s.check_reserved(item.save_as, item.source_path)


def build(
    settings_file: str = "pelicanconf.py",
    output: str = "output",
    overrides: dict | None = None,
    debug: bool = False,
    say=print,
    progress=None,
) -> BuildResult:
    """Build the site into ``output``; raise BuildFailed with every problem
    (the output is then as it was). ``progress`` is told each stage as it
    starts."""
    started = time.perf_counter()
    output = os.path.abspath(output)
    settings = _settings(settings_file, overrides, debug)
    releases = Releases(output)
    staging = None
    try:
        releases.lock(say)
        previous = releases.current()
        staging = releases.new_folder()
        settings["OUTPUT_PATH"] = staging
        with Session(settings, staging, previous) as s:
            s.progress = progress
            s.published = releases.published()
            inputs = s.inputs()
            if (
                previous is not None
                and not s.problems
                and previous.manifest.inputs == inputs
                and previous.manifest.current_at(s.now)
                and previous.intact()
            ):
                shutil.rmtree(staging)
                staging = None
                seconds = time.perf_counter() - started
                files = len(previous.manifest.files)
                return BuildResult(output, seconds, files, 0, 0, True, _peak_mb())
            s.folders_ahead = FoldersAhead(staging, previous)
            try:
                rendered = _run(s, debug)
            finally:
                s.folders_ahead.finish()
            with s.timed("release: compare and list"):
                manifest, written = _manifest(s, inputs)
            checkpoint("manifest")
            with s.timed("release: sync and switch"):
                release = releases.finish(staging, manifest)
                checkpoint("switch")
                if not release.intact():  # changed since it was listed
                    raise BuildFailed([_tampered(release.folder)])
                releases.switch(release)
            checkpoint("switched")
            with s.timed("release: keep the read site"):
                s.read_site.save()
            s.cache.prune()
            times = s.times
            advice = len(s.advice)
            tally = dict(s.tally)
            cache_note = s.cache.note
        staging = None
        releases.prune()
        return BuildResult(
            output,
            time.perf_counter() - started,
            len(manifest.files),
            written,
            rendered,
            peak_mb=_peak_mb(),
            times=times,
            advice=advice,
            pages=sum(path.endswith(".html") for path in manifest.files),
            tally=tally,
            cache_note=cache_note,
        )
    except OSError as error:  # the releases folder: read-only, full, missing
        if error.errno not in DISK_ERRORS:
            raise
        raise BuildFailed(
            [
                Problem(
                    _shown(error.filename or releases.folder),
                    None,
                    "output",
                    f"the new site could not be written ({error.strerror})",
                    "free some disk space or mend the folder's permissions, then "
                    "build again; nothing was published",
                )
            ]
        ) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        releases.unlock()


def _settings(settings_file: str, overrides: dict | None, debug: bool) -> dict:
    """The settings, or one plain line for an error in the settings file."""
    try:
        return load_settings(settings_file, overrides)
    except Exception as error:
        path, line = _where(error, [os.path.dirname(os.path.abspath(settings_file))])
        if path is None:
            path = settings_file
        _log_crash(os.path.dirname(os.path.abspath(settings_file)), error, debug)
        raise BuildFailed(
            [
                Problem(
                    _shown(path),
                    line,
                    "settings",
                    f"{type(error).__name__}: {_first_line(error)}",
                    "correct the line; the site was not built",
                )
            ]
        ) from None


def _run(s: Session, debug: bool) -> int:
    """Run Pelican in the session; raise BuildFailed with every problem."""
    recorder = _Recorder()
    root_logger = logging.getLogger()
    pelican_logger = logging.getLogger("pelican")
    # Pelican's loggers may not pass their records on to the root logger.
    loggers = [root_logger] + ([pelican_logger] if not pelican_logger.propagate else [])
    for logger in loggers:
        logger.addHandler(recorder)
    thresholds = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    rendered = 0
    try:
        if not s.problems:
            _check_fence(s)
        if not s.problems:
            with s.timed("start (plugins)"):
                pelican = SitePelican(s.settings)
            pelican.run()
            rendered = pelican.writer.rendered if pelican.writer else 0
    except BuildFailed:
        pass  # its problems are the session's
    except ChangedWhileBuilding as changed:
        s.report(
            changed.path,
            None,
            "file",
            "was changed while the site was built",
            "build again once it is saved (make serve does that by itself)",
        )
    except (Exception, SystemExit) as error:  # sys.exit() in a plugin too
        if isinstance(error, OSError) and error.errno in DISK_ERRORS:
            s.problems.found.append(_disk_problem(s, error))
        else:  # a plugin or template crashed
            s.problems.found.append(_crash(s, error, debug))
    finally:
        gc.set_threshold(*thresholds)
        for logger in loggers:
            logger.removeHandler(recorder)
    for record in recorder.records:
        if not str(record.msg).startswith(REPORTED_BETTER) and not _knock_on(s, record):
            s.problems.found.append(_pelican_problem(s, record, debug))
    if s.problems:
        raise BuildFailed(list(s.problems))
    return rendered


def _knock_on(s: Session, record: logging.LogRecord) -> bool:
    """Pelican's "Unable to find" for a link to a file that has problems of
    its own (so it was not read): those problems say what to mend, and a
    second line would send staff looking for a second mistake."""
    if not str(record.msg).startswith("Unable to find") or not record.args:
        return False
    target = str(record.args[0]).split("#")[0].split("?")[0]
    tail = posixpath.normpath("/" + target).lstrip("/")
    return bool(tail) and any(
        problem.path.replace(os.sep, "/").endswith("/" + tail)
        for problem in s.problems.found
    )


def _check_fence(s: Session) -> None:
    """Content and theme may not lead anywhere else: a link (symbolic link)
    in content/ or the theme is refused, wherever it points (outside the
    project, or to its .git, .cache or earlier releases), and so is
    anything that is not a plain file or folder (a pipe, a device); before
    anything reads them."""
    for root in (s.content_root, os.path.abspath(s.settings["THEME"])):
        top = os.path.basename(root)
        for folder, dirs, names in os.walk(root):
            for name in [*dirs, *names]:
                path = os.path.join(folder, name)
                if os.path.islink(path):
                    s.report(
                        path,
                        None,
                        "file",
                        f"is a link to {os.readlink(path)!r}; the site follows no "
                        "links",
                        f"copy the file itself into {top}/ instead of a link",
                    )
                    if name in dirs:
                        dirs.remove(name)
                elif name in names and not os.path.isfile(path):
                    s.report(
                        path,
                        None,
                        "file",
                        "is not a plain file (a pipe or device)",
                        f"remove it from {top}/",
                    )


def _manifest(s: Session, inputs: str) -> tuple[Manifest, int]:
    """What the new release holds, after linking in every file whose bytes
    equal the previous release's (so it keeps its date); and how many files
    are new or changed."""
    files: dict[str, list] = {}
    written = 0
    staging = s.staging
    folders: list[str] = []
    found = sorted(listing(staging, folders).items())
    # Never made through the session: what a plugin wrote past it.
    strange = [
        (path, "a link, pipe or device")
        for path, status in found
        if not stat.S_ISREG(status.st_mode)
    ]
    strange += [
        (folder, "an empty folder")
        for folder in empty_folders([path for path, _status in found], folders)
    ]
    if strange:
        raise BuildFailed(
            [
                Problem(
                    path,
                    None,
                    "output",
                    f"is {what} in the new site, which the site never publishes",
                    "a plugin wrote it past the session: tell a developer",
                )
                for path, what in strange
            ]
        )
    for path, status in found:
        if path not in s.linked:
            absolute = os.path.join(staging, path)
            old = s.previous.unchanged(path) if s.previous else None
            if old is not None and _same_bytes(old, absolute, status.st_size):
                partial = absolute + ".same"
                os.link(old, partial)
                os.replace(partial, absolute)
                status = os.lstat(absolute)
            else:
                written += 1
        files[path] = describe(s.keys.get(path), status)
    if (s.keys.keys() | s.written | s.linked) - files.keys():
        raise BuildFailed([_tampered(staging)])  # never publish a part
    built = s.now.isoformat(timespec="seconds")
    previous = s.previous.name if s.previous else None
    until = s.next_change.isoformat() if s.next_change else None
    drafts = bool(s.settings.get("DRAFT_SAVE_AS"))
    return Manifest(inputs, built, files, previous, until, drafts), written


def _tampered(folder: str) -> Problem:
    return Problem(
        _shown(folder),
        None,
        "output",
        "files of the new site changed or vanished while it was built "
        "(something deleted or edited them)",
        "build again; nothing was published",
    )


def _same_bytes(old: str, new: str, size: int) -> bool:
    try:  # an old file made unreadable by hand is not the same
        if os.path.getsize(old) != size:
            return False
        with open(old, "rb") as first, open(new, "rb") as second:
            while True:
                chunk = first.read(1 << 20)
                if chunk != second.read(1 << 20):
                    return False
                if not chunk:
                    return True
    except PermissionError:
        return False


# --- crashes, as one line -----------------------------------------------------

# Errors of the disk, not of the code: full, over quota, read-only, refused.
DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


def _disk_problem(s: Session, error: OSError) -> Problem:
    return Problem(
        s.problems.display_path(error.filename or s.staging),
        None,
        "output",
        f"the new site could not be written ({error.strerror})",
        "free some disk space or mend the folder's permissions, then build "
        "again; nothing was published",
    )


def _crash(s: Session, error: BaseException, debug: bool) -> Problem:
    roots = [s.project_root, os.path.abspath(s.settings["THEME"])]
    roots += [os.path.abspath(p) for p in s.settings.get("PLUGIN_PATHS", [])]
    path, line = _where(error, roots)
    log = _log_crash(s.project_root, error, debug)
    plugin = _plugin_of(path, s.settings)
    where = f"{plugin}: " if plugin else ""
    return Problem(
        s.problems.display_path(path) if path else "build",
        line,
        "crash",
        f"{where}{type(error).__name__}: {_first_line(error)}",
        f"a fault in the site's code, not in the content; details in {log}",
    )


def _pelican_problem(s: Session, record: logging.LogRecord, debug: bool) -> Problem:
    error = record.exc_info[1] if record.exc_info else None
    if error is None and isinstance(record.args, tuple):  # "Cannot load plugin"
        error = next((a for a in record.args if isinstance(a, BaseException)), None)
    if error is not None:
        problem = _crash(s, error, debug)
        return Problem(
            problem.path,
            problem.line,
            problem.field,
            f"{record.getMessage().splitlines()[0]}: {problem.message}",
            problem.allowed,
        )
    return Problem(
        record.name.split(".")[0], None, record.levelname.lower(), record.getMessage()
    )


def _where(error: BaseException, roots: list[str]) -> tuple[str | None, int | None]:
    """The file and line, inside one of ``roots``, closest to where the error
    happened."""
    filename = getattr(error, "filename", None)  # SyntaxError, template errors
    if filename and getattr(error, "lineno", None):
        return os.path.abspath(filename), error.lineno
    found = (None, None)
    for frame in traceback.extract_tb(error.__traceback__):
        path = os.path.abspath(frame.filename)
        inside = any(path.startswith(os.path.join(root, "")) for root in roots)
        if inside and ".venv" not in path.split(os.sep):
            found = (path, frame.lineno)
    return found


def _plugin_of(path: str | None, settings: dict) -> str:
    for folder in settings.get("PLUGIN_PATHS", []):
        prefix = os.path.join(os.path.abspath(folder), "")
        if path and path.startswith(prefix):
            return path[len(prefix) :].split(os.sep)[0].removesuffix(".py")
    return ""


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else "(no message)"


def _log_crash(project: str, error: BaseException, debug: bool) -> str:
    """Write the full traceback to .cache/build.log (and, with --debug, to
    the terminal); the log's path as shown."""
    text = "".join(traceback.format_exception(error))
    path = os.path.join(project, LOG_FILE)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')}\n{text}\n")
    except OSError:
        pass
    if debug:
        print(text, file=sys.stderr)
    return _shown(path)


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _peak_mb() -> float:
    try:
        import resource
    except ImportError:
        return 0.0
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    helpers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, helpers) / 1024  # kilobytes on Linux


# --- the command line ---------------------------------------------------------


@dataclass
class CheckResult:
    problems: list[Problem]  # must be mended: a build would fail
    advice: list[Problem]  # worth mending: published as written
    files: int  # content files checked
    external: int | None = None  # links to other sites asked (--external)


def check(
    settings_file: str = "pelicanconf.py",
    debug: bool = False,
    external: bool = False,
    progress=None,
) -> CheckResult:
    """Every check of the content, as a build makes them, without writing
    the site (`invoke check`): the problems that would fail a build and the
    advice it would publish anyway."""
    settings = _settings(settings_file, None, debug)
    scratch = tempfile.mkdtemp(prefix="site-check-")
    settings["OUTPUT_PATH"] = scratch
    try:
        with Session(settings, scratch, None) as s:
            s.check_only = True
            s.check_external = external
            s.progress = progress
            problems = []
            try:
                _run(s, debug)
            except BuildFailed as failed:
                problems = failed.problems
            advice = sorted(set(s.advice), key=Problem.sort_key)
            files = sum(
                len([n for n in names if not n.startswith((".", "_"))])
                for folder, _dirs, names in os.walk(s.content_root)
                if not os.path.relpath(folder, s.content_root).startswith("images")
            )
            asked = s.external_checked if external else None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return CheckResult(problems, advice, files, asked)


def check_report(result: CheckResult) -> str:
    """The problems and advice grouped by file, each with what to do, and a
    summary line."""
    by_file: dict[str, list[tuple[str, Problem]]] = {}
    for kind, found in (("", result.problems), ("suggestion", result.advice)):
        for problem in found:
            by_file.setdefault(problem.path, []).append((kind, problem))
    lines = []
    for path in sorted(by_file):
        lines.append(path)
        for kind, p in sorted(by_file[path], key=lambda pair: pair[1].sort_key()):
            label = f"{p.field} ({kind})" if kind else p.field
            where = f"line {p.line}: " if p.line else ""
            lines.append(f"  {where}{label}: {p.message}")
            if p.allowed:
                lines.append(f"    fix: {p.allowed}")
        lines.append("")
    count, advice = len(result.problems), len(result.advice)
    summary = (
        f"Checked {result.files:,} files: "
        f"{count} {'problem' if count == 1 else 'problems'} to fix"
        f"{' before the site can be built' if count else ''}, "
        f"{advice} {'suggestion' if advice == 1 else 'suggestions'}."
    )
    if result.external is not None:
        summary += f" {result.external:,} links to other sites asked."
    return "\n".join([*lines, summary])


def rollback(output: str = "output") -> Release:
    releases = Releases(os.path.abspath(output))
    releases.lock()
    try:
        return releases.rollback()
    finally:
        releases.unlock()


def _write_problems(path: str | None, problems: list[Problem]) -> None:
    """The problems of the build for `make serve`'s panel in the browser
    (tasks.py): a JSON list, empty when the build succeeded."""
    if path:
        data = [vars(p) for p in problems]
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        Path(path).write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def publish_output(settings_file: str, output: str, preview: bool = False):
    """Publish the current release of ``output`` where the settings say
    (PUBLISH_TO, or PREVIEW_TO for a preview); what changed there. Raises
    BuildFailed with what is wrong."""
    from .publish import publish, target

    settings = _settings(settings_file, None, False)
    setting = "PREVIEW_TO" if preview else "PUBLISH_TO"
    where = target(settings.get(setting, ""), setting, _shown(settings_file))
    if preview and settings.get("PUBLISH_TO", "").strip() == settings[setting].strip():
        raise BuildFailed(
            [
                Problem(
                    _shown(settings_file),
                    None,
                    setting,
                    "is where the site itself is published: a preview there would "
                    "replace the published site; nothing was published",
                    "give the preview a place of its own",
                )
            ]
        )
    repository = os.path.dirname(os.path.abspath(settings_file))
    message = "Preview" if preview else "Publish the site"
    return publish(
        output, where, drafts=preview, repository=repository, message=message
    )


# What each stage of a build is, as the progress line says it.
STAGES = {
    "start": "Starting",
    "read": "Reading and checking the content",
    "write": "Making the pages, feeds and pictures",
    "release": "Putting the new site in place",
}


@contextlib.contextmanager
def _progress():
    """On a terminal, a line that says what the build is doing (rich), gone
    when it ends; elsewhere (logs, tests) nothing. Yields what to tell."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console

    here = os.getpid()  # a forked helper process says nothing

    def tell(stage: str) -> None:
        if os.getpid() == here:
            status.update(STAGES.get(stage.split()[0].rstrip(":"), stage))

    with Console(stderr=True).status(STAGES["start"]) as status:
        yield tell


def main(argv: list[str] | None = None) -> int:
    """Usage: python -m site_build [--debug] [--times] [SETTINGS] [OUTPUT]
       python -m site_build check [--external] [SETTINGS]
       (--problems FILE: write the build's problems there as JSON)
       python -m site_build rollback [OUTPUT]
       python -m site_build publish [--preview] [SETTINGS] [OUTPUT]

    What `invoke build` runs: builds the site with SETTINGS (pelicanconf.py)
    into OUTPUT (output); --debug shows the full traceback of a crash,
    --times where the time went. `check` checks the content without
    writing anything; `rollback` puts the previous build back; `publish`
    copies OUTPUT's build where SETTINGS' PUBLISH_TO (with --preview:
    PREVIEW_TO) says and lists what changed there."""
    args = sys.argv[1:] if argv is None else list(argv)
    if {"-h", "--help"} & set(args):
        print(inspect.cleandoc(main.__doc__))
        return 0
    debug = "--debug" in args
    show_times = "--times" in args
    args = [a for a in args if a not in ("--debug", "--times")]
    problems_file = None  # --problems FILE: this build's problems as JSON
    if "--problems" in args:
        at = args.index("--problems")
        problems_file = args[at + 1]
        del args[at : at + 2]
    if args[:1] == ["check"]:
        external = "--external" in args
        args = [a for a in args if a != "--external"]
        with _progress() as progress:
            result = check(
                args[1] if len(args) > 1 else "pelicanconf.py",
                debug,
                external,
                progress,
            )
        print(check_report(result))
        return 1 if result.problems else 0
    if args[:1] == ["publish"]:
        preview = "--preview" in args
        args = [a for a in args if a != "--preview"]
        settings_file = args[1] if len(args) > 1 else "publishconf.py"
        output = args[2] if len(args) > 2 else "output"
        try:
            with _progress() as progress:
                if progress:
                    progress(f"Publishing {_shown(output)}/")
                changes = publish_output(settings_file, output, preview)
        except BuildFailed as failed:
            for problem in failed.problems:
                print(problem, file=sys.stderr)
            return 1
        print(changes.report())
        return 0
    if args[:1] == ["rollback"]:
        output = args[1] if len(args) > 1 else "output"
        try:
            release = rollback(output)
        except LookupError as error:
            print(f"Nothing was changed: {error}.", file=sys.stderr)
            print(
                "To take a story down or mend it, put 'Status: draft' back in its "
                "file (or mend it) and publish again: invoke publish",
                file=sys.stderr,
            )
            return 1
        print(
            f"{_shown(output)}/ is back to the release built at "
            f"{release.manifest.built}."
        )
        return 0
    settings_file = args[0] if args else "pelicanconf.py"
    output = args[1] if len(args) > 1 else "output"
    try:
        # make serve: pages show the problems of a failed save (tasks.py).
        overrides = {"BUILD_PROBLEMS_PANEL": True} if problems_file else None
        with _progress() as progress:
            result = build(settings_file, output, overrides, debug, progress=progress)
    except KeyboardInterrupt:
        print(
            f"\nStopped. Nothing was published: {_shown(output)}/ is as it was.",
            file=sys.stderr,
        )
        return 130
    except BuildFailed as failed:
        _write_problems(problems_file, failed.problems)
        print(failed, file=sys.stderr)
        print(
            f"Nothing was published: {_shown(output)}/ is as it was.",
            file=sys.stderr,
        )
        return 1
    _write_problems(problems_file, [])
    if result.unchanged:
        print(
            f"Nothing changed since the last build: {_shown(result.output)}/ is "
            f"up to date ({result.files} files, checked in {result.seconds:.2f} s)."
        )
        return 0
    if show_times:
        for stage, seconds in result.times.items():
            print(f"  {seconds:6.2f} s  {stage}")
    print(result.summary())
    print(
        f"Built {result.files} files into {_shown(result.output)}/ "
        f"({result.written} new or changed, {result.rendered} pages rendered) in "
        f"{result.seconds:.2f} s, peak memory {result.peak_mb:.0f} MB, with "
        f"{settings_file}."
    )
    if result.advice:
        print(
            f"{result.advice} {'suggestion' if result.advice == 1 else 'suggestions'}"
            " for the content: see them with `invoke check`."
        )
    if result.cache_note:
        print(result.cache_note)
    return 0
