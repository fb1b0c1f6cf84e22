"""Releases: how a build replaces the site in output/ in one step.

Every build writes a complete new site into a release folder of its own, and
output/ is a symbolic link to the release being served::

    output -> .releases/output/20261130T120000.123-4567
    .releases/output/
        lock                              one build at a time
        20261129T090000.001-1234/         an earlier release (for rollback)
        20261129T090000.001-1234.manifest what is in it, and from what
        20261130T120000.123-4567/         the current release
        20261130T120000.123-4567.manifest
        trash/                            old releases being deleted

Files that did not change are hard links to the previous release's files:
they cost no copy and keep their bytes and modification time (so an rsync
deploy sends only what changed). A release is complete when its manifest is
written; only then does output/ switch to it, by replacing the link in one
rename. A build that is killed at any moment leaves output/ pointing at the
old complete release; what it left (a half-written folder, or a complete
release that was never switched to) is removed by the next build. Each
manifest names the release that was live when it was built: `invoke
rollback` goes back along that chain, and the current release and the two
before it in the chain are kept.

Manifests record, for every file of a release, the key it was made under
(see writer.py) and its size and modification time (to the nanosecond), so
a later build links a file in only when it is still what was made (an edit
by hand changes its date).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import posixpath
import shutil
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime

from .cache import seal, unseal, write_atomically
from .parallel import beside

MANIFEST_SUFFIX = ".manifest"
KEEP = 3  # complete releases kept: the current one and two before it
FORMAT = 3


def releases_folder(output: str) -> str:
    """Where the releases of ``output`` (an absolute path) live: beside it,
    in a hidden folder that is never part of the site."""
    parent, name = os.path.split(output.rstrip("/\\"))
    return os.path.join(parent, ".releases", name or "output")


@dataclass
class Manifest:
    inputs: str  # the fingerprint of everything the build read (see session)
    built: str  # when, ISO 8601
    # path -> [key or None, size, mtime_ns, permissions] (see ``describe``)
    files: dict[str, list]
    previous: str | None = None  # the release live when this one was built
    # The first moment after which the same inputs build another site (a
    # scheduled post goes live, an event is past): ISO 8601, or None.
    until: str | None = None
    # Whether the site shows drafts (a development build, make serve) or
    # leaves them out (the production build); None for older releases.
    drafts: bool | None = None

    def built_like(self, other: Manifest) -> bool:
        """Whether both were built the same way (with or without drafts), as
        far as is known."""
        return None in (self.drafts, other.drafts) or self.drafts == other.drafts

    def current_at(self, now) -> bool:
        """Whether what was built is still what ``now`` would build from the
        same inputs."""
        return self.until is None or now < datetime.fromisoformat(self.until)

    def to_bytes(self) -> bytes:
        data = {"format": FORMAT, **vars(self)}
        return json.dumps(data, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes | None) -> Manifest | None:
        if data is None:
            return None
        try:
            loaded = json.loads(data)
            if loaded.pop("format") != FORMAT:
                return None
            return cls(**loaded)
        except (ValueError, TypeError, KeyError):
            return None


class Release:
    """A complete release: its folder and manifest."""

    def __init__(self, folder: str, manifest: Manifest):
        self.folder = folder
        self.manifest = manifest
        self.name = os.path.basename(folder)

    def unchanged(self, path: str, key: str | None = None) -> str | None:
        """The absolute path of ``path`` in this release when it is still the
        file the manifest describes (and, given ``key``, was made under that
        key); else None."""
        entry = self.manifest.files.get(path)
        if entry is None or (key is not None and entry[0] != key):
            return None
        absolute = os.path.join(self.folder, path)
        try:
            status = os.lstat(absolute)
        except OSError:
            return None
        return absolute if described(entry, status) else None

    def intact(self) -> bool:
        """Every file of the manifest is as it was written, and there is
        nothing else: no other file, link or folder (a hand edit in output/
        is never mistaken for a build; a release has no empty folder)."""
        files = self.manifest.files
        folders: list[str] = []
        try:
            found = listing(self.folder, folders)
        except OSError:  # a folder in it made unreadable, or it is gone
            return False
        return (
            len(found) == len(files)
            and not empty_folders(files, folders)
            and all(
                described(files.get(path), status) for path, status in found.items()
            )
        )


def describe(key: str | None, status: os.stat_result) -> list:
    """A file's line in the manifest: key, size, date and permissions."""
    return [key, status.st_size, status.st_mtime_ns, stat.S_IMODE(status.st_mode)]


def described(line: list | None, status: os.stat_result) -> bool:
    """Whether a file's status is still its line's in the manifest: a plain
    file of that size and date, readable by everyone it was readable by (a
    page made unreadable by hand is not the page built; a permission added,
    as by ``chmod -R g+w``, changes nothing that is served, and would reach
    the earlier releases through their shared files). Lines of older
    manifests have no permissions."""
    if line is None or len(line) < 3 or not stat.S_ISREG(status.st_mode):
        return False
    lost = line[3] & 0o444 & ~status.st_mode if len(line) > 3 else 0
    return [status.st_size, status.st_mtime_ns] == line[1:3] and not lost


def folders_of(files) -> set[str]:
    """Every folder that holds one of ``files`` (paths with '/'), however
    far down."""
    found: set[str] = set()
    for path in files:
        parent = posixpath.dirname(path)
        while parent and parent not in found:  # and every folder above it
            found.add(parent)
            parent = posixpath.dirname(parent)
    return found


def empty_folders(files, folders: list[str]) -> list[str]:
    """The ``folders`` that hold none of ``files``, not even further down."""
    holding = folders_of(files)
    return [folder for folder in folders if folder not in holding]


def listing(folder: str, folders: list[str] | None = None) -> dict[str, os.stat_result]:
    """Everything under ``folder`` but folders, by path (with '/'), with its
    own status (a link is listed, never followed): one ``scandir`` per
    folder and one ``lstat`` per entry. The folders under it are added to
    ``folders`` when given."""
    found = {}
    todo = [("", folder)]
    while todo:
        prefix, path = todo.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    todo.append((f"{prefix}{entry.name}/", entry.path))
                    if folders is not None:
                        folders.append(prefix + entry.name)
                else:
                    found[prefix + entry.name] = entry.stat(follow_symlinks=False)
    return found


class Releases:
    """The releases of one output folder."""

    def __init__(self, output: str):
        self.output = os.path.abspath(output)
        self.folder = releases_folder(self.output)
        self._lock_handle = None
        self._loaded: dict[tuple, Release | None] = {}  # see _load

    # --- one build at a time --------------------------------------------------

    def lock(self, say=print) -> None:
        """Hold the lock of this output folder until :meth:`unlock` (or the
        process ends, however it ends). A second build waits, saying so."""
        os.makedirs(self.folder, exist_ok=True)
        handle = open(os.path.join(self.folder, "lock"), "a+")  # noqa: SIM115
        if not _try_lock(handle):
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            say(
                f"Another build of {_shown(self.output)}/ is running ({holder}); "
                "waiting for it to finish..."
            )
            _lock(handle)
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}, started {time.strftime('%H:%M:%S')}")
        handle.flush()
        self._lock_handle = handle

    def unlock(self) -> None:
        if self._lock_handle is not None:
            self._lock_handle.close()  # closing the file releases the lock
            self._lock_handle = None

    # --- what there is --------------------------------------------------------

    def current(self) -> Release | None:
        """The complete release output/ points at, if any."""
        try:
            target = os.path.realpath(self.output, strict=True)
        except OSError:
            return None
        if os.path.dirname(target) != os.path.realpath(self.folder):
            return None  # output/ is a plain folder (an older build) or elsewhere
        return self._load(target)

    def complete(self) -> list[Release]:
        """Every complete release, oldest first."""
        found = []
        for name in sorted(
            os.listdir(self.folder) if os.path.isdir(self.folder) else []
        ):
            if name.endswith(MANIFEST_SUFFIX):
                release = self._load(
                    os.path.join(self.folder, name[: -len(MANIFEST_SUFFIX)])
                )
                if release is not None:
                    found.append(release)
        return found

    def _load(self, folder: str) -> Release | None:
        """The complete release in ``folder``, or None. A manifest is read
        (and its hash checked) once per state of its file: a build asks for
        the same releases several times."""
        try:
            state = os.stat(folder + MANIFEST_SUFFIX)
        except OSError:
            return None
        key = (folder, state.st_size, state.st_mtime_ns, state.st_ino)
        if key not in self._loaded:
            try:
                with open(folder + MANIFEST_SUFFIX, "rb") as handle:
                    sealed = unseal(handle.read(), os.path.basename(folder))
            except OSError:
                return None
            manifest = Manifest.from_bytes(sealed)
            self._loaded[key] = Release(folder, manifest) if manifest else None
        release = self._loaded[key]
        return release if release is not None and os.path.isdir(folder) else None

    # --- making one -----------------------------------------------------------

    def new_folder(self) -> str:
        """An empty folder for the next release (after clearing what killed
        builds left behind)."""
        self._clear_leftovers()
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        millis = f"{time.time_ns() // 1_000_000 % 1000:03d}"
        name = f"{stamp}.{millis}-{os.getpid()}"
        for attempt in range(1000):  # a clock set back may give a name again
            folder = os.path.join(self.folder, f"{name}.{attempt}" if attempt else name)
            with contextlib.suppress(FileExistsError):
                os.makedirs(folder)
                return folder
        raise FileExistsError(folder)

    def finish(self, folder: str, manifest: Manifest, durable: bool = True) -> Release:
        """Record the manifest: the release is complete."""
        if durable:
            _sync_folder_tree(folder)
        name = os.path.basename(folder)
        write_atomically(folder + MANIFEST_SUFFIX, seal(manifest.to_bytes(), name))
        return Release(folder, manifest)

    def switch(self, release: Release) -> None:
        """Point output/ at ``release`` in one step."""
        parent = os.path.dirname(self.output)
        link = os.path.join(self.folder, "output.link")
        with contextlib.suppress(FileNotFoundError):
            os.remove(link)
        os.symlink(os.path.relpath(release.folder, parent), link)
        if os.path.isdir(self.output) and not os.path.islink(self.output):
            self._replace_plain_folder(link)
        else:
            os.replace(link, self.output)
        _sync_folder(parent)

    def _replace_plain_folder(self, link: str) -> None:
        """output/ is a folder written by an older build: swap it with the
        link in one step where the system can (Linux), then move it away."""
        if _exchange(link, self.output):
            os.replace(link, os.path.join(self.folder, f"old-{time.time_ns()}"))
            return
        aside = os.path.join(self.folder, f"old-{time.time_ns()}")
        os.rename(self.output, aside)
        os.replace(link, self.output)

    def published(self) -> list[Release]:
        """The current release and those live before it, newest first (as
        far as they are kept)."""
        chain, release = [], self.current()
        while release is not None and release.name not in {r.name for r in chain}:
            chain.append(release)
            before = release.manifest.previous
            release = self._load(os.path.join(self.folder, before)) if before else None
        return chain

    def prune(self) -> None:
        """Keep the current release and the two live before it; move the
        others to trash/ and delete it in the background (deleting thousands
        of files takes longer than the rest of a rebuild)."""
        keep = {r.folder for r in self.published()[:KEEP]}
        if not keep:  # output/ is not one of ours: keep the newest
            keep = {r.folder for r in self.complete()[-KEEP:]}
        trash = os.path.join(self.folder, "trash")
        moved = False
        for release in self.complete():
            if release.folder in keep:
                continue
            os.makedirs(trash, exist_ok=True)
            os.remove(release.folder + MANIFEST_SUFFIX)
            os.rename(release.folder, os.path.join(trash, release.name))
            moved = True
        if moved:
            _delete_in_background(trash)

    def _clear_leftovers(self) -> None:
        """Release folders without a manifest (builds that were killed), old
        plain output folders and the trash: deleted now, while this build
        holds the lock; and complete releases that are not the current one
        or one live before it (a build killed before its switch, a release
        rolled back from), which nothing may go back to. The folder output/
        points at is never deleted, even with a damaged manifest."""
        if not os.path.isdir(self.folder):
            return
        live = os.path.realpath(self.output)  # never deleted, whatever its state
        published = {r.folder for r in self.published()}
        complete = {live}
        for release in self.complete():
            if not published or release.folder in published:
                complete.add(release.folder)
            elif release.folder != live:  # incomplete from here on, come what may
                os.remove(release.folder + MANIFEST_SUFFIX)
        for name in os.listdir(self.folder):
            path = os.path.join(self.folder, name)
            if name in ("lock", "trash") or name.endswith(MANIFEST_SUFFIX):
                continue
            if (
                os.path.isdir(path)
                and not os.path.islink(path)
                and path not in complete
            ):
                shutil.rmtree(path, ignore_errors=True)
            elif name == "output.link" or name.startswith(".partial-"):
                os.remove(path)
        for name in os.listdir(self.folder):
            if name.endswith(MANIFEST_SUFFIX) and not os.path.isdir(
                os.path.join(self.folder, name[: -len(MANIFEST_SUFFIX)])
            ):
                os.remove(os.path.join(self.folder, name))

    # --- going back -----------------------------------------------------------

    def rollback(self) -> Release:
        """Point output/ at the release that was live before the current
        one."""
        chain = self.published()
        if len(chain) < 2:
            before = chain[0].manifest.previous if chain else None
            if before:  # named, but its manifest is damaged or it is gone
                raise LookupError(
                    f"the release before ({before}) is no longer kept (only the "
                    "last three builds are) or is damaged"
                )
            raise LookupError(
                f"{_shown(self.output)}/ has no earlier release to go back to"
            )
        # Never from a production build back to one that shows drafts (make
        # serve builds into the same folder), nor the other way round.
        same = [r for r in chain[1:] if r.manifest.built_like(chain[0].manifest)]
        if not same:
            raise LookupError(
                "the releases before were built another way (with drafts, by "
                "make serve or invoke build, or without, by invoke publish or "
                "make build)"
            )
        if not same[0].intact():
            raise LookupError(
                f"the release before is damaged (a file in {_shown(same[0].folder)}/ "
                "was changed, deleted or made unreadable)"
            )
        self.switch(same[0])
        return same[0]


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _try_lock(handle) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _lock(handle) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        while not _try_lock(handle):
            time.sleep(0.2)
        return
    fcntl.flock(handle, fcntl.LOCK_EX)


RENAME_EXCHANGE = 2


def _exchange(first: str, second: str) -> bool:
    """Swap two paths in one step (Linux renameat2); False if not possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd = -100
    result = renameat2(
        at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), RENAME_EXCHANGE
    )
    return result == 0


def _sync_folder(folder: str) -> None:
    with contextlib.suppress(OSError, AttributeError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


class FoldersAhead:
    """The previous release's folders, made in the new release by a process
    beside the build while it reads (each page is a folder of its own, and
    thousands of mkdir calls were a fifth of a rebuild). A folder the build
    needs and does not find yet, it makes itself."""

    def __init__(self, folder: str, previous: Release | None):
        self.folder = folder
        files = previous.manifest.files if previous else ()
        self.made = sorted(folders_of(files))  # a folder before the folders in it
        build = os.getpid()

        def make() -> None:
            for relative in self.made:
                if os.getppid() != build:  # the build was killed: its folder goes
                    return
                os.makedirs(os.path.join(folder, relative), exist_ok=True)

        self._wait = beside(make) if self.made else None
        if self._wait is None:
            self.made = []

    def wait(self) -> None:
        if self._wait is not None:
            self._wait()
            self._wait = None

    def clear(self, path: str) -> None:
        """Room for a file at ``path``, where the previous release had a
        folder: that folder, made ahead, removed with the empty folders in
        it (one holding a file stays, and the file cannot be written)."""
        self.wait()
        for here, _dirs, _names in os.walk(path, topdown=False):
            os.rmdir(here)

    def finish(self) -> None:
        """Wait for the helper, and remove the folders left empty."""
        self.wait()
        for relative in reversed(self.made):  # deepest first
            with contextlib.suppress(OSError):  # not empty: kept
                os.rmdir(os.path.join(self.folder, relative))


def _sync_folder_tree(folder: str) -> None:
    """Make what was written to ``folder``'s file system durable, so that a
    power cut after the switch cannot leave output/ pointing at files whose
    bytes never reached the disk (syncfs on Linux, else sync)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        handle = os.open(folder, os.O_RDONLY)
        try:
            if libc.syncfs(handle) == 0:
                return
        finally:
            os.close(handle)
    except (OSError, AttributeError):
        pass
    if hasattr(os, "sync"):
        os.sync()


def _delete_in_background(folder: str) -> None:
    """Delete ``folder`` in a process of its own that outlives this one."""
    with contextlib.suppress(OSError):
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import shutil, sys; shutil.rmtree(sys.argv[1], True)",
                folder,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
