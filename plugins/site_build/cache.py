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

The entries are rows of one SQLite database (``.cache/artefacts.sqlite``),
not a file each: a cold build makes about 4,000 of them, and creating a file
costs 0.1-0.9 ms on the virtual machines builds run on, against about 0.05
ms for a row. SQLite keeps the database whole when a build is killed or the
power goes (write-ahead log), and lets two builds, or the two processes of
one build, share it. A process never uses a connection it did not open: the
cache closes its connection before the process forks, and opens one again
when it is next used. A database that cannot be read as the cache's
(damaged, or with tables of another shape) is deleted and begun again; a
link, pipe, folder or second name (hard link) in the place of the database
or one of its files is removed, never followed. The build says in one line
(``note``) when the cache was damaged or could not be used.

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
import shutil
import sqlite3
import stat
import tempfile
import threading
import time
import weakref

DIGEST_SIZE = 32  # bytes of SHA-256 in front of every entry
DAY = 24 * 3600
KEEP_DAYS = 30  # an entry no build used for this long is deleted
BUSY_SECONDS = 10  # how long a statement waits for another build's
# The database, its log, the log's index, and the journal SQLite looks for.
_FILES = ("", "-wal", "-shm", "-journal")
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED: another program holds it
_FULL = 13  # SQLITE_FULL
_TABLES = {  # the cache's tables, as SQLite keeps their definitions
    "entry": "CREATE TABLE entry (kind TEXT, key TEXT, used REAL, data BLOB,"
    " PRIMARY KEY (kind, key))",
    "pruned": "CREATE TABLE pruned (at REAL)",  # the last prune's time
}


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
    """Verified artefacts in a database: ``get(kind, key)`` / ``put(kind,
    key, data)``. ``kind`` names a sort of artefact (such as "markdown" or
    "webp"); ``key`` is a hex digest of what the artefact was made from.
    With no database (None) nothing is kept."""

    def __init__(self, database: str | None):
        self.database = database
        self.damaged = 0  # entries found damaged and dropped (see note)
        self._lock = threading.Lock()  # threads share the connection
        self._connection: sqlite3.Connection | None = None
        self._pid = 0  # the process that opened the connection
        self.failed = ""  # why the cache is not used for the rest of the build
        self.renewed = False  # a damaged database was deleted and begun again
        _OPEN.add(self)

    def _connect(self) -> sqlite3.Connection:
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        self._connection = None  # a forked process never uses its parent's
        folder = os.path.dirname(self.database)
        os.makedirs(folder, exist_ok=True)
        for suffix in _FILES:  # never followed or waited on, never shared
            _only_a_file(self.database + suffix)
        connection = sqlite3.connect(
            self.database,
            timeout=BUSY_SECONDS,
            isolation_level=None,  # each statement its own transaction
            check_same_thread=False,  # threads take turns (self._lock)
        )
        try:
            for _attempt in range(BUSY_SECONDS * 20):  # no busy wait for this one
                try:
                    connection.execute("PRAGMA journal_mode=WAL")
                    break
                except sqlite3.OperationalError as error:
                    if getattr(error, "sqlite_errorcode", None) not in _BUSY:
                        raise
                    time.sleep(0.05)
            connection.execute("PRAGMA synchronous=NORMAL")  # whole, not durable
            for table, sql in _TABLES.items():  # another shape: found now
                connection.execute(sql.replace("TABLE", "TABLE IF NOT EXISTS", 1))
                found = connection.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                    (table,),
                ).fetchall()
                if found != [(sql,)]:
                    raise sqlite3.DatabaseError(f"the table {table} is not the cache's")
        except BaseException:
            connection.close()
            raise
        self._connection, self._pid = connection, os.getpid()
        return connection

    def _query(self, sql: str, parameters=()) -> list:
        """The rows of one statement; [] when there are none or the cache
        cannot be used. A database that cannot be read as the cache's (one
        SQLite finds damaged, or whose tables are not the cache's) is
        deleted and begun again, once a build. The cache is not used for
        the rest of the build (the work is done again, ``failed`` says why)
        when that does not help, when the disk is full, or when another
        program holds the database for more than BUSY_SECONDS."""
        if self.database is None or self.failed:
            return []
        with self._lock:
            for attempt in (1, 2):
                try:
                    return self._connect().execute(sql, parameters).fetchall()
                except sqlite3.Error as error:
                    code = getattr(error, "sqlite_errorcode", None)
                    if code in _BUSY:
                        self.failed = (
                            f"another program held it for more than {BUSY_SECONDS} s"
                        )
                        return []
                    if code == _FULL:
                        self.failed = "the disk is full"
                        return []
                    reason = str(error)
                except OSError as error:  # the folder cannot be made
                    self.failed = error.strerror or str(error)
                    return []
                except Exception as error:  # a damaged schema's odd message
                    reason = f"{type(error).__name__}: {error}"
                self._close()
                if attempt == 1 and remove_database(self.database):
                    self.renewed = True
            self.failed = reason
            return []

    @property
    def note(self) -> str:
        """A line for staff when the cache did not work as it should."""
        shown = os.path.relpath(self.database) if self.database else ""
        if shown.startswith(os.pardir):  # outside the project: where it is
            shown = os.path.abspath(self.database)
        if self.failed:
            return (
                f"The build cache ({shown}) could not be used ({self.failed}): "
                "the site is as it should be, only slower to build. If this "
                "goes on, close any program that has the file open, or delete it."
            )
        if self.renewed or self.damaged:
            return (
                f"The build cache ({shown}) was damaged and has been started "
                "again: the site is as it should be; this build and the next "
                "may be slower."
            )
        return ""

    def _close(self) -> None:
        """Close this process's connection (under the lock)."""
        connection, self._connection = self._connection, None
        if connection is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                connection.close()

    def close(self) -> None:
        with self._lock:
            self._close()

    def get(self, kind: str, key: str) -> bytes | None:
        rows = self._query(
            "SELECT CAST(data AS BLOB), CAST(used AS REAL) FROM entry"
            " WHERE kind = ? AND key = ?",
            (kind, key),
        )
        if not rows:
            return None
        blob, used = rows[0]
        data = unseal(blob or b"", f"{kind}/{key}")
        if data is None:
            self.damaged += 1
            self._query("DELETE FROM entry WHERE kind = ? AND key = ?", (kind, key))
        else:
            self._used(kind, key, used)
        return data

    def put(self, kind: str, key: str, data: bytes) -> None:
        self._query(
            "INSERT OR REPLACE INTO entry VALUES (?, ?, ?, ?)",
            (kind, key, time.time(), seal(data, f"{kind}/{key}")),
        )

    def holds(self, kind: str, key: str) -> bool:
        """Whether there is an entry (not checked: :meth:`get` does that)."""
        rows = self._query(
            "SELECT CAST(used AS REAL) FROM entry WHERE kind = ? AND key = ?",
            (kind, key),
        )
        if rows:
            self._used(kind, key, rows[0][0])
        return bool(rows)

    def _used(self, kind: str, key: str, used) -> None:
        """Date an entry this build used, unless it was dated today."""
        if not isinstance(used, float) or used < time.time() - DAY:
            self._query(
                "UPDATE entry SET used = ? WHERE kind = ? AND key = ?",
                (time.time(), kind, key),
            )

    @functools.cached_property
    def pruning(self) -> bool:
        """Whether this build prunes the cache when it ends (the first build
        of a day, or after a clock set back); see :meth:`prune`."""
        if self.database is None:
            return False
        now = time.time()
        [[last]] = self._query("SELECT CAST(max(at) AS REAL) FROM pruned") or [[None]]
        return not (isinstance(last, float) and now - DAY < last <= now)

    def prune(self) -> None:
        """When :attr:`pruning`: delete the entries no build has used for
        KEEP_DAYS, and note the day."""
        if not self.pruning:
            return
        now = time.time()
        # Until 2026-12-02 the cache kept a file an entry, in a folder of
        # the database's name: its entries are of no use now.
        old = os.path.splitext(self.database)[0]
        if os.path.isdir(old) and not os.path.islink(old):
            shutil.rmtree(old, ignore_errors=True)
        self._query(
            "DELETE FROM entry WHERE typeof(used) != 'real' OR used <= ?",
            (now - KEEP_DAYS * DAY,),
        )
        self._query("DELETE FROM pruned")
        self._query("INSERT INTO pruned VALUES (?)", (now,))

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


# SQLite's connections may not cross a fork: every cache closes its
# connection before the process forks, and holds its lock until the fork is
# done, so no thread opens one meanwhile. Each process opens its own when it
# next uses the cache.
_OPEN: weakref.WeakSet[ArtefactCache] = weakref.WeakSet()
_HELD: list[ArtefactCache] = []


def _before_fork() -> None:
    for cache in list(_OPEN):
        cache._lock.acquire()
        _HELD.append(cache)
        cache._close()


def _after_fork_in_parent() -> None:
    while _HELD:
        _HELD.pop()._lock.release()


def _after_fork_in_child() -> None:
    while _HELD:
        cache = _HELD.pop()
        cache._lock = threading.Lock()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(
        before=_before_fork,
        after_in_parent=_after_fork_in_parent,
        after_in_child=_after_fork_in_child,
    )


def _only_a_file(path: str) -> None:
    """Remove what is at ``path`` unless it is a plain file of its own (a
    link, pipe or folder put there is never followed or waited on, a file
    with a second name elsewhere never written)."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(status.st_mode) or status.st_nlink > 1:
        _remove(path)


def _remove(path: str) -> None:
    """Remove what is at ``path``: a folder with what it holds; a link, not
    what it leads to."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)


def remove_database(database: str) -> bool:
    """Delete a database with its log, whatever is in their places; whether
    they are gone (``invoke clean`` uses it too)."""
    try:
        for suffix in _FILES:
            _remove(database + suffix)
    except OSError:
        return False
    return True
