"""What builds keep for later builds: artefacts that are slow to make
(converted Markdown, checked member files, facts about images, resized and
share images), each stored under a key made of everything it was made from.

Nothing here is trusted. Every entry is stored with the SHA-256 of its key
and its bytes, and checked against it when read: an entry that is damaged,
truncated, emptied, missing or moved under another key is treated as
absent, removed, and made again by the caller. So a build from a damaged
cache gives the same bytes as a build without one, and deleting .cache/ only
costs time. (The hash guards against damage, not against someone who can
write the folder: the cache is as trusted as the code beside it.)

Entries are written to a temporary name and renamed into place, so two
builds (or two processes of one build) can share the cache.

An entry's date says when a build last used it: reading an entry or asking
for it dates it again (at most once a day, so a build mostly only reads).
The first build of a day deletes the entries no build has used for
KEEP_DAYS (``prune``): what old code, old settings and old versions of files
left. That build also dates the entries behind files it takes whole from
the previous release (``pruning``), which other builds do not read.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import re
import shutil
import stat
import tempfile
import time

DIGEST_SIZE = 32  # bytes of SHA-256 in front of every entry
DAY = 24 * 3600
KEEP_DAYS = 30  # an entry no build used for this long is deleted
PRUNED = ".pruned"  # in the cache folder: its date is the last prune's
_ENTRY = re.compile(r"[0-9a-f]{64}")  # an entry's name: a key (see digest)


def digest(*parts: bytes | str) -> str:
    """A hex key of ``parts``, each length-prefixed (so ("ab", "c") and
    ("a", "bc") differ)."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def _hash(key: str, data: bytes) -> bytes:
    return hashlib.sha256(key.encode("utf-8") + b"\0" + data).digest()


def seal(data: bytes, key: str = "") -> bytes:
    """``data`` with the hash of ``key`` and itself in front: what
    :func:`unseal` checks."""
    return _hash(key, data) + data


def unseal(blob: bytes, key: str = "") -> bytes | None:
    """The data of a blob sealed under ``key``, or None when it is damaged or
    belongs to another key."""
    if len(blob) < DIGEST_SIZE:
        return None
    data = blob[DIGEST_SIZE:]
    return data if _hash(key, data) == blob[:DIGEST_SIZE] else None


def write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all."""
    folder = os.path.dirname(path)
    try:
        handle, partial = tempfile.mkstemp(dir=folder, prefix=".partial-")
    except FileNotFoundError:  # the folder first (once, not before each file)
        os.makedirs(folder, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=folder, prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise


class ArtefactCache:
    """Verified artefacts in a folder: ``get(kind, key)`` / ``put(kind, key,
    data)``. ``kind`` names a sub-folder (such as "markdown" or "webp");
    ``key`` is a hex digest of what the artefact was made from. With no
    folder (None) nothing is kept."""

    def __init__(self, folder: str | None):
        self.folder = folder
        self.damaged = 0  # entries found damaged and dropped, for the log
        self.used: set[str] = set()  # entries used but not dated (see _used)

    def _path(self, kind: str, key: str) -> str:
        return os.path.join(self.folder, kind, key[:2], key)

    def get(self, kind: str, key: str) -> bytes | None:
        if self.folder is None:
            return None
        path = self._path(kind, key)
        try:  # never blocked by a pipe or device put in its place
            handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        try:
            with os.fdopen(handle, "rb") as file:
                status = os.fstat(file.fileno())
                regular = stat.S_ISREG(status.st_mode)
                blob = file.read() if regular else b""
        except OSError:
            return None
        if regular:
            self._used(path, status)
        data = unseal(blob, f"{kind}/{key}")
        if data is None:
            self.damaged += 1
            with contextlib.suppress(OSError):
                os.remove(path)
        return data

    def put(self, kind: str, key: str, data: bytes) -> None:
        if self.folder is None:
            return
        # A full or read-only disk: the next build does the work again.
        with contextlib.suppress(OSError):
            write_atomically(self._path(kind, key), seal(data, f"{kind}/{key}"))

    def holds(self, kind: str, key: str) -> bool:
        """Whether there is an entry (not checked: :meth:`get` does that)."""
        if self.folder is None:
            return False
        path = self._path(kind, key)
        try:
            status = os.stat(path)
        except OSError:
            return False
        if not stat.S_ISREG(status.st_mode):
            return False
        self._used(path, status)
        return True

    def _used(self, path: str, status: os.stat_result) -> None:
        """Date an entry this build used, unless it was dated today; one
        that cannot be dated is kept by this build's prune all the same."""
        if status.st_mtime < time.time() - DAY:
            try:
                os.utime(path, follow_symlinks=False)
            except OSError:
                self.used.add(path)

    @functools.cached_property
    def pruning(self) -> bool:
        """Whether this build prunes the cache when it ends (the first build
        of a day, or after a clock set back); see :meth:`prune`."""
        if self.folder is None:
            return False
        try:
            status = os.lstat(os.path.join(self.folder, PRUNED))
        except OSError:
            return True
        now = time.time()
        return not (stat.S_ISREG(status.st_mode) and now - DAY < status.st_mtime <= now)

    def prune(self) -> None:
        """When :attr:`pruning`: delete the entries no build has used for
        KEEP_DAYS, and the half-written ones of stopped builds (only files
        named as the cache names them: kind/ab/abcd...); date the marker."""
        if not self.pruning:
            return
        marker = os.path.join(self.folder, PRUNED)
        try:  # a link, pipe or folder put in the marker's place goes
            mode = os.lstat(marker).st_mode
            if stat.S_ISDIR(mode):
                shutil.rmtree(marker)
            elif not stat.S_ISREG(mode):
                os.remove(marker)
        except FileNotFoundError:
            pass
        except OSError:  # a read-only cache
            return
        try:
            flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
            handle = os.open(marker, flags | getattr(os, "O_NONBLOCK", 0), 0o644)
        except OSError:  # no cache folder yet, or a read-only one
            return
        try:
            os.utime(handle if os.utime in os.supports_fd else marker)
        finally:
            os.close(handle)
        now = time.time()
        for kind in _entries(self.folder):
            for shard in _entries(kind.path):
                for entry in _entries(shard.path, files=True):
                    if entry.name.startswith(".partial-"):
                        days = 1
                    elif _ENTRY.fullmatch(entry.name) and entry.name[:2] == shard.name:
                        days = KEEP_DAYS
                    else:  # not the cache's: left alone
                        continue
                    with contextlib.suppress(OSError):
                        age = now - entry.stat(follow_symlinks=False).st_mtime
                        if age > days * DAY and entry.path not in self.used:
                            os.remove(entry.path)

    def get_object(self, kind: str, key: str):
        """A Python value kept with :meth:`put_object`, or None. Only ever
        unpickled after its hash checked out."""
        data = self.get(kind, key)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # written by another version of a class
            return None

    def put_object(self, kind: str, key: str, value) -> None:
        self.put(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _entries(folder: str, files: bool = False) -> list[os.DirEntry]:
    """The folders in ``folder`` (``files``: its files), links excluded."""
    try:
        with os.scandir(folder) as found:
            return [
                entry
                for entry in found
                if (entry.is_file if files else entry.is_dir)(follow_symlinks=False)
            ]
    except OSError:
        return []
