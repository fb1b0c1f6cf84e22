"""The build session: one object per build that holds everything of that
build and nothing that outlives it.

Plugins reach it one way, ``site_build.session()``, and find there:

- ``settings``, ``now`` (the build's "now": SITE_NOW or the clock, fixed for
  the whole build, timezone-aware), ``content_root`` and ``project_root``;
- ``problems`` and :meth:`Session.report`: a problem reported at any stage
  fails the build;
- ``cache``: verified artefacts kept between builds (cache.py);
- ``fingerprints``: what values show, for keys (fingerprint.py);
- the output of the build, written only through :meth:`Session.write`,
  :meth:`Session.reuse` and :meth:`Session.output`: every path is checked to
  stay inside the new release (the fence), each file of the site is claimed
  once (two sources giving one URL are both named), and a file made under an
  unchanged key is linked in from the previous release instead of made
  again.

A session without an output folder (``Session(settings)``) checks content
without writing a site: tests and `invoke check` use it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
import stat
import sys
import time
from collections.abc import Callable
from datetime import datetime
from importlib import metadata as package_metadata
from zoneinfo import ZoneInfo

from build_errors import Problems

from . import parallel
from .cache import ArtefactCache, digest
from .fingerprint import Fingerprints
from .releases import Release

TIMEZONE = ZoneInfo("Europe/Copenhagen")
CACHE_FOLDER = ".cache"
# The environment variable that names another cache folder (the tests share
# one between their many builds; every entry is checked, so that is safe).
CACHE_VARIABLE = "SITE_BUILD_CACHE"
# Libraries whose version is part of every key: a new version may write
# different bytes.
LIBRARIES = (
    "pelican",
    "jinja2",
    "markupsafe",
    "markdown",
    "pyyaml",
    "pillow",
    "feedgen",
    "lxml",
    "nh3",
    "ada-url",
)
# Settings that say where a build writes or is published, not what it makes.
WHERE_SETTINGS = frozenset({"OUTPUT_PATH", "PUBLISH_TO", "PREVIEW_TO"})
# Folders of a project that are never read as its input.
NOT_INPUT = frozenset(
    {
        ".git",
        ".venv",
        ".cache",
        ".releases",
        "__pycache__",
        "node_modules",
        ".pytest_cache",
        ".ruff_cache",
    }
)

# Tests stop a build at a chosen point with SITE_BUILD_FAULT (see checkpoint).
FAULT_VARIABLE = "SITE_BUILD_FAULT"

_current: Session | None = None
_faults: dict[str, int] = {}


def checkpoint(point: str) -> None:
    """A point where tests can make the build fail as machines do:
    SITE_BUILD_FAULT="<point>:<n>" kills the process (SIGKILL) the n-th time
    it passes ``point``; "full:<n>" makes the n-th file written fail as on a
    full disk, "interrupt:<n>" stops the build there as Ctrl+C does.
    Points: "file" (each file put into the release), "manifest", "switch"
    (just before output/ changes) and "switched". Does nothing unless the
    variable is set."""
    fault = os.environ.get(FAULT_VARIABLE)
    if not fault:
        return
    name, _, count = fault.partition(":")
    if name not in (point, *(("full", "interrupt") if point == "file" else ())):
        return
    _faults[name] = _faults.get(name, 0) + 1
    if _faults[name] != int(count or 1):
        return
    if name == "full":
        raise OSError(errno.ENOSPC, "No space left on device (SITE_BUILD_FAULT)")
    if name == "interrupt":  # as Ctrl+C does
        raise KeyboardInterrupt
    os.kill(os.getpid(), signal.SIGKILL)


def session() -> Session:
    """The build in progress."""
    if _current is None:
        raise RuntimeError(
            "no build is in progress: build the site with `invoke build` "
            "(python -m site_build), not with the pelican command"
        )
    return _current


def site_now(settings: dict) -> datetime:
    """'Now' of a build: SITE_NOW (environment, then setting) or the clock.
    Raises ValueError for a value that is not an ISO date and time."""
    value = os.environ.get("SITE_NOW") or settings.get("SITE_NOW") or ""
    if not value:
        return datetime.now(TIMEZONE)
    now = datetime.fromisoformat(value)
    return now if now.tzinfo else now.replace(tzinfo=TIMEZONE)


def libraries() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={package_metadata.version(name)}")
        except package_metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return f"python={sys.version};" + ";".join(found)


def code_folders(settings: dict) -> list[str]:
    return [os.path.abspath(p) for p in settings.get("PLUGIN_PATHS", [])]


def tree_state(folders, skip=NOT_INPUT) -> str:
    """The names, sizes, dates and inodes of every file in ``folders``: any
    edit, save, copy or deletion changes it. Reads no file."""
    parts: list[str] = []
    for top in folders:
        if not os.path.isdir(top):
            parts.append(f"{top}:absent")
            continue
        for folder, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d not in skip)
            for name in sorted(names):
                path = os.path.join(folder, name)
                try:
                    s = os.lstat(path)
                except OSError:
                    continue
                parts.append(
                    f"{path}\0{s.st_size}:{s.st_mtime_ns}:{s.st_ctime_ns}:{s.st_ino}"
                )
    return digest(*parts)


def code_digest(folders) -> str:
    """The text of every Python file in ``folders``, and the libraries."""
    parts = [libraries()]
    for top in folders:
        for folder, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d not in NOT_INPUT)
            for name in sorted(names):
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    with open(path, "rb") as handle:
                        parts += [os.path.relpath(path, top), handle.read()]
    return digest(*parts)


class Session:
    def __init__(
        self,
        settings: dict,
        staging: str | None = None,
        previous: Release | None = None,
        cache_folder: str | None = "",
    ):
        self.settings = settings
        self.content_root = os.path.realpath(settings["PATH"])
        self.project_root = os.path.dirname(self.content_root)
        self.problems = Problems(self.project_root)
        # What is published as written but worth mending (content_model.advice):
        # listed by `invoke check`, counted by a build.
        self.advice = Problems(self.project_root)
        self.check_only = False  # `invoke check`: read and check, write nothing
        self.folders_ahead = None  # the previous release's folders (build())
        self.check_external = False  # `invoke check --external`: ask other sites
        self.external_checked = 0  # how many addresses on other sites were asked
        self.published: list = []  # the releases live so far, newest first
        try:
            self.now = site_now(settings)
        except ValueError:
            value = os.environ.get("SITE_NOW") or settings.get("SITE_NOW")
            self.report(
                self.settings_file,
                None,
                "SITE_NOW",
                f"site_build: invalid value {value!r} (setting or environment)",
                "an ISO date and time such as 2026-11-27T12:00:00+01:00, or "
                "nothing for the real clock",
            )
            self.now = datetime.now(TIMEZONE)
        self.next_change: datetime | None = None  # see has_come
        if cache_folder == "":
            cache_folder = os.environ.get(CACHE_VARIABLE) or os.path.join(
                self.project_root, CACHE_FOLDER
            )
        self.cache_folder = cache_folder
        self.cache = ArtefactCache(
            os.path.join(cache_folder, "artefacts.sqlite") if cache_folder else None
        )
        self.fingerprints = Fingerprints(salt=secrets.token_hex(8))
        self.staging = staging
        self.previous = previous
        self.keys: dict[str, str] = {}  # path in the site -> key it was made under
        self.owners: dict[str, str] = {}  # path in the site -> what made it
        self.reserved: dict[str, str] = {}  # path or folder/ -> what makes it
        self.linked: set[str] = set()  # taken from the previous release
        self.written: set[str] = set()  # made by this build
        # Made by flush(), one job per path: queued again, the later one is
        # made (as a second write replaces the first), never both at once.
        self.queued: dict[str, tuple[str, str, Callable, str]] = {}
        self.memo: dict = {}  # what plugins have worked out this build
        self._inside: set[str] = set()  # folders of the release checked by target()
        self._recording: list[dict[str, str]] = []  # see remembered()
        # What a file's reading asked and told (snapshot.ReadSite.read).
        self._moments: list[list] = []  # (moment, has it come) of has_come
        self._notes: list[list] = []  # (kind, key, value) of note
        self._read_site = None  # see read_site
        self.times: dict[str, float] = {}  # stage -> seconds (see timed)
        # What the site holds, for the build's summary: a section's name as
        # staff read it -> its published items (plugins count their own).
        self.tally: dict[str, int] = {}
        # Told each stage as it starts (the command line shows it as progress).
        self.progress = None
        self._code: str | None = None
        self._settings_key: str | None = None
        self._closing: list = []  # see on_close

    # --- the current session --------------------------------------------------

    def __enter__(self) -> Session:
        global _current
        self._outer = _current
        _current = self
        return self

    def __exit__(self, *_exc) -> None:
        global _current
        _current = self._outer
        while self._closing:
            self._closing.pop()()
        self.cache.close()

    def on_close(self, close) -> None:
        """Call ``close()`` when the build ends, done or failed: work in the
        background that a failed build no longer needs is stopped there."""
        self._closing.append(close)

    # --- problems -------------------------------------------------------------

    @property
    def settings_file(self) -> str:
        return os.path.join(self.project_root, "pelicanconf.py")

    def report(self, path, line, field, message, allowed="") -> None:
        """Record one problem; the build goes on, to find them all, and then
        fails."""
        self.problems.report(path, line, field, message, allowed)

    # --- keys -----------------------------------------------------------------

    @property
    def code(self) -> str:
        """The fingerprint of the code: plugins and libraries."""
        if self._code is None:
            self._code = code_digest(code_folders(self.settings))
        return self._code

    @property
    def settings_key(self) -> str:
        """The fingerprint of the settings (not where the build writes)."""
        if self._settings_key is None:
            self._settings_key = self.settings_without(WHERE_SETTINGS)
        return self._settings_key

    def settings_without(self, names) -> str:
        """The fingerprint of the settings but ``names``."""
        shown = {k: v for k, v in self.settings.items() if k not in names}
        probe = Fingerprints()
        found = probe.of(shown)
        if probe.unknown:  # cannot tell: never the same as another build
            found = digest(found, self.fingerprints.salt)
        return found

    def key(self, *parts) -> str:
        """A key of ``parts`` (fingerprinted values) with the code and the
        settings: what a file made from ``parts`` depends on."""
        of = self.fingerprints.of
        return digest(self.code, self.settings_key, "\x1e".join(map(of, parts)))

    def has_come(self, moment: datetime) -> bool:
        """Whether ``moment`` has come at the build's now. What is built from
        the answer changes when it comes (a scheduled post goes live, an
        event becomes past), so the release records the first such moment
        still ahead (``next_change``), and a build after it is never taken
        for one with nothing changed."""
        come = self.now >= moment
        if not come and (self.next_change is None or moment < self.next_change):
            self.next_change = moment
        if self._moments:
            self._moments[-1].append((moment, come))
        return come

    @property
    def read_site(self):
        """The content objects an earlier build read (snapshot.py)."""
        if self._read_site is None:
            from .snapshot import ReadSite

            self._read_site = ReadSite(self)
        return self._read_site

    @contextlib.contextmanager
    def recorded(self):
        """What is done inside, recorded: (the files and folders it looked
        at with their states, the moments it asked about with their answers,
        the notes it made), for snapshot.ReadSite."""
        found = ({}, [], [])
        self._recording.append(found[0])
        self._moments.append(found[1])
        self._notes.append(found[2])
        try:
            yield found
        finally:
            self._recording.pop()
            self._moments.pop()
            self._notes.pop()

    def note(self, kind, key, value) -> None:
        """``memo[kind][key] = value``, told again when the file being read
        is taken from the read site kept between builds (snapshot.py)."""
        self.memo.setdefault(kind, {})[key] = value
        if self._notes:
            self._notes[-1].append((kind, key, value))

    def inputs(self) -> str:
        """The fingerprint of everything a build reads: the project's files,
        the theme, the plugins, the settings, the libraries and the day. When
        it is what the current release was built from, nothing has changed."""
        folders = [self.project_root, os.path.abspath(self.settings["THEME"])]
        folders += code_folders(self.settings)
        return digest(
            self.code,
            self.settings_key,
            tree_state(sorted(set(folders))),
            self.now.date().isoformat(),
        )

    # --- output ---------------------------------------------------------------

    def target(self, path: str) -> str:
        """The absolute path of ``path`` (a path in the site, with '/') in the
        new release; refuses any path that would lead outside it."""
        if self.staging is None:
            raise RuntimeError("this session writes no site")
        parts = path.replace("\\", "/").split("/")
        if (
            not path
            or path.startswith(("/", "\\"))
            or ".." in parts
            or "\0" in path
            or (len(parts[0]) > 1 and parts[0][1] == ":")
        ):
            raise OutsideOutput(path)
        target = os.path.join(self.staging, *[p for p in parts if p not in ("", ".")])
        if not self._inside_release(os.path.dirname(target)):
            raise OutsideOutput(path)
        return target

    def _inside_release(self, folder: str) -> bool:
        """Whether ``folder`` (a path under the release folder) leads nowhere
        else: no part of it is a link. Each folder is looked at once, after
        its parent (one lstat, not a realpath of the whole path)."""
        if folder in self._inside or folder == self.staging:
            return True
        parent = os.path.dirname(folder)
        if parent == folder or not self._inside_release(parent):
            return False
        try:
            if stat.S_ISLNK(os.lstat(folder).st_mode):
                return False
        except FileNotFoundError:
            pass  # made as a folder when written
        self._inside.add(folder)
        return True

    def claim(self, path: str, owner: str) -> bool:
        """Take ``path`` for ``owner`` (a source file or the plugin making it).
        Two owners of one path are a problem naming both."""
        path = normal(path)
        first = self.owners.setdefault(path, owner)
        if first == owner:
            return True
        # Said of a content file where there is one: staff can rename that.
        here, other = (
            (first, owner)
            if os.path.isfile(first) and not os.path.isfile(owner)
            else (owner, first)
        )
        if os.path.isfile(other):
            other = self.problems.display_path(other)
        address = "/" + path.removesuffix("index.html")
        self.report(
            here,
            None,
            "URL",
            f"would be published at {address}, and so would {other}",
            "give one of them another file name (the file name is the address); "
            "addresses the site makes itself, such as /feeds/ and /tags/, "
            "cannot be taken",
        )
        return False

    def reserve(self, path: str, owner: str) -> None:
        """Say, before the content is read, that ``path`` of the site (a file,
        or a folder when it ends with '/') is ``owner``'s: a content file
        that would be published there is refused."""
        self.reserved[normal(path)] = owner

    def check_reserved(self, path: str, source: str) -> bool:
        """Whether a content file may be published at ``path``: not at an
        address the site makes itself (a problem naming both otherwise)."""
        path = normal(path)
        folders = tuple(p for p in self.reserved if p.endswith("/"))
        if path not in self.reserved and not path.startswith(folders):
            return True
        owner = self.reserved.get(path) or next(
            self.reserved[f] for f in folders if path.startswith(f)
        )
        address = "/" + path.removesuffix("index.html")
        self.report(
            source,
            None,
            "URL",
            f"would be published at {address}, where the site puts {owner}",
            "give the file another name (the file name is the address)",
        )
        return False

    def write(self, path: str, data: bytes | str, owner: str, key: str | None = None):
        """Write a file of the new release (a new file, never through a link
        to an earlier release)."""
        path = normal(path)
        if not self.claim(path, owner):
            return
        self.queued.pop(path, None)  # a file queued before is this one now
        target = self.target(path)
        if isinstance(data, str):
            data = data.encode("utf-8")
        checkpoint("file")
        self._put(target, lambda: write_new(target, data))
        self.written.add(path)
        if key is not None:
            self.keys[path] = key

    def reuse(self, path: str, key: str, owner: str) -> bool:
        """Link ``path`` in from the previous release when it was made there
        under ``key`` and is still exactly what was made."""
        path = normal(path)
        if self.previous is None:
            return False
        source = self.previous.unchanged(path, key)
        if source is None:
            return False
        if not self.claim(path, owner):
            return True
        self.queued.pop(path, None)  # as in write()
        checkpoint("file")
        target = self.target(path)
        self._put(target, lambda: link_new(source, target))
        self.keys[path] = key
        self.linked.add(path)
        return True

    def _put(self, target: str, put) -> None:
        """``put()`` the file at ``target``, after clearing a folder made
        there ahead (the previous release had a folder where this one has
        a file: releases.FoldersAhead)."""
        try:
            put()
        except OSError:  # IsADirectoryError, or FileExistsError in a race
            made_ahead = os.path.isdir(target) and not os.path.islink(target)
            if self.folders_ahead is None or not made_ahead:
                raise
            self.folders_ahead.clear(target)
            put()

    def output(self, path: str, key: str, make, owner: str, later=False) -> bool:
        """The file ``path``, made under ``key``: linked from the previous
        release when unchanged, else ``make()`` (bytes or text) written, at
        once or, ``later``, by :meth:`flush` with both cores (pages, feeds,
        calendars: work worth sharing). Whether it is made."""
        if self.reuse(path, key, owner) or not self.claim(path, owner):
            return False
        if later:
            self.keys[normal(path)] = key
            self.queued[normal(path)] = (path, key, make, owner)
        else:
            self.write(path, make(), owner, key)
        return True

    def flush(self) -> None:
        """Make the files queued by :meth:`output`, with both cores."""
        queue, self.queued = list(self.queued.values()), {}

        def made(job) -> None:
            path, key, make, owner = job
            self.write(path, make(), owner, key)

        self.map(queue, made, "files")

    @contextlib.contextmanager
    def timed(self, stage: str):
        """Count the time spent in ``stage`` (printed by `--times`); say it
        has started to ``progress``."""
        if self.progress is not None:
            self.progress(stage)
        started = time.perf_counter()
        try:
            yield
        finally:
            spent = time.perf_counter() - started
            self.times[stage] = self.times.get(stage, 0.0) + spent

    def map(self, items, work, name: str, minimum: int = 2, report=True) -> list:
        """``[work(item) for item in items]`` with both cores (parallel.py);
        what the work reports is kept (``report``) or dropped."""
        found = self.problems.found if report else []
        return parallel.shared_map(items, work, found, name, minimum)

    # --- work kept between builds ---------------------------------------------

    def depends(self, path: str, state: str | None = None) -> None:
        """What is being made (see :meth:`remembered`) depends on the file or
        folder at ``path``, or on its absence: when that changes, it is made
        again. ``state``: the one it was in when it was read (file_state),
        if that was earlier."""
        if self._recording:
            self._recording[-1][path] = file_state(path) if state is None else state

    def remembered(self, kind: str, key: str, make):
        """``make()``, kept in the cache under ``key`` (which must hold
        everything it is made from but files) with the files and folders it
        looked at (:meth:`depends`): taken from the cache while none of them
        changed. Values must be picklable."""
        found = self.cache.get_object(kind, key)
        if (
            isinstance(found, tuple)
            and len(found) == 2
            and all(file_state(path) == state for path, state in found[1])
        ):
            value, deps = found
        else:
            self._recording.append({})
            try:
                value = make()
            finally:
                deps = tuple(sorted(self._recording.pop().items()))
            self.cache.put_object(kind, key, (value, deps))
        if self._recording:  # what encloses this depends on the same files
            self._recording[-1].update(deps)
        return value


class ChangedWhileBuilding(Exception):
    """A file changed while the build used it (a picture saved again while
    its copies were made from it): the build fails with a problem naming
    it, and the next build starts from the file as it is then."""

    def __init__(self, path: str):
        super().__init__(path)
        self.path = path


class OutsideOutput(ValueError):
    def __init__(self, path: str):
        super().__init__(f"{path!r} is not a path inside the site")
        self.path = path


def normal(path: str) -> str:
    """A path in the site with '/' and without a leading './'."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def file_state(path: str) -> str:
    """Size, dates and inode of a file or folder ('' when there is none): a
    folder's date changes when a file is added to it or removed. The change
    time is set by the system on every write, so a file put back with its
    old size and date (`cp -p`, `touch -r`) is seen as changed too."""
    try:
        status = os.stat(path)
    except OSError:
        return ""
    return f"{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}:{status.st_ino}"


def write_new(target: str, data: bytes) -> None:
    """Write ``data`` as a new file at ``target`` (removing any file or link
    there first, so a file shared with an earlier release is never changed)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        handle = os.open(target, flags, 0o644)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        handle = os.open(target, flags, 0o644)
    except FileExistsError:
        os.unlink(target)
        handle = os.open(target, flags, 0o644)
    try:
        view = memoryview(data).cast("B")
        while view:
            view = view[os.write(handle, view) :]
    finally:
        os.close(handle)


def link_new(source: str, target: str) -> None:
    """``target`` made a hard link to ``source`` (whatever was there before
    removed: a release's files are never changed through a link)."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(source, target)
    except FileExistsError:
        os.unlink(target)
        os.link(source, target)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
            raise
        with open(source, "rb") as handle:  # no hard links here: a copy
            write_new(target, handle.read())
        os.utime(target, ns=(os.stat(source).st_atime_ns, os.stat(source).st_mtime_ns))
