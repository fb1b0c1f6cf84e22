"""The build cache (plugins/site_build/cache.py) on its own: a damaged
database never gives wrong bytes, nothing put in its place is followed, a
forked process has its own connection, and pruning keeps what is used."""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_build import cache as cache_module
from site_build.cache import DAY, KEEP_DAYS, ArtefactCache, digest, remove_database

ENTRIES = {
    (kind, digest(kind, str(n))): os.urandom(n * 97 % 9000)
    for kind in ("read", "webp")
    for n in range(60)
}


def filled(path) -> ArtefactCache:
    cache = ArtefactCache(str(path))
    for (kind, key), data in ENTRIES.items():
        cache.put(kind, key, data)
    cache.close()
    return cache


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    damage=st.lists(
        st.tuples(st.integers(0, 2_000_000), st.binary(min_size=1, max_size=600)),
        min_size=1,
        max_size=8,
    ),
    cut=st.one_of(st.none(), st.integers(0, 2_000_000)),
)
def test_a_damaged_database_gives_the_bytes_put_or_nothing(
    tmp_path_factory, damage, cut
):
    """Bytes overwritten anywhere in the file, or the file cut short: every
    entry comes back as it was put, or not at all (made again by the build),
    and the cache takes new entries after."""
    path = tmp_path_factory.mktemp("cache") / "artefacts.sqlite"
    filled(path)
    data = bytearray(path.read_bytes())
    for offset, garbage in damage:
        offset %= len(data)
        data[offset : offset + len(garbage)] = garbage[: len(data) - offset]
    path.write_bytes(bytes(data[:cut] if cut is not None else data))
    cache = ArtefactCache(str(path))
    for (kind, key), put in ENTRIES.items():
        assert cache.get(kind, key) in (put, None)
    cache.put("later", "k", b"new")
    assert cache.get("later", "k") == b"new" or cache.note, "silently off"
    cache.close()
    later = ArtefactCache(str(path))  # the next build: whole again
    later.put("next", "k", b"next")
    assert later.get("next", "k") == b"next" or later.damaged, later.note


def test_an_entry_changed_in_the_database_is_never_given(tmp_path):
    path = tmp_path / "artefacts.sqlite"
    filled(path)
    [(kind, key), (_, other)] = list(ENTRIES)[:2]
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "UPDATE entry SET data = substr(data, 1, 40) || x'00' WHERE key = ?", (key,)
        )  # text, not bytes
        db.execute("UPDATE entry SET data = NULL WHERE key = ?", (other,))
    cache = ArtefactCache(str(path))
    assert cache.get(kind, key) is None and cache.get(kind, other) is None
    assert cache.damaged == 2
    assert not cache.holds(kind, key)  # dropped: made again by the build


def test_nothing_put_in_the_place_of_the_database_is_followed(tmp_path):
    """A link in the place of the database or its log (to a file of the
    user's), a pipe (which would hold the build for ever) or a folder."""
    victim = tmp_path / "victim.txt"
    victim.write_text("kept", "utf-8")
    path = tmp_path / "cache" / "artefacts.sqlite"
    for suffix, make in [
        ("", lambda p: p.symlink_to(victim)),
        ("", lambda p: os.link(victim, p)),  # its second name
        ("-wal", lambda p: p.symlink_to(victim)),
        ("-shm", os.mkfifo),
        ("", lambda p: (p / "inside").mkdir(parents=True)),
        ("-wal", os.mkfifo),
        ("-journal", os.mkfifo),  # SQLite reads it: it would wait for ever
        ("-journal", lambda p: (p / "inside").mkdir(parents=True)),
    ]:
        path.parent.mkdir(exist_ok=True)
        make(path.parent / (path.name + suffix))
        cache = ArtefactCache(str(path))
        cache.put("read", "k", b"value")
        assert cache.get("read", "k") == b"value"
        cache.close()
        assert victim.read_text("utf-8") == "kept"
        assert path.is_file() and not path.is_symlink()
        assert remove_database(str(path)) and not list(path.parent.iterdir())
        assert ArtefactCache(str(path)).note == ""


def test_a_forked_process_uses_a_connection_of_its_own(tmp_path):
    """SQLite's connections may not cross a fork: the build's helper
    processes read and write the cache while the build holds it open."""
    cache = ArtefactCache(str(tmp_path / "artefacts.sqlite"))
    cache.put("read", "parent", b"one")
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            if cache.get("read", "parent") == b"one":
                cache.put("read", "child", b"two")
                status = 0 if cache.get("read", "child") == b"two" else 2
        finally:
            os._exit(status)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    assert cache.get("read", "child") == b"two"
    cache.put("read", "after", b"three")
    assert ArtefactCache(cache.database).get("read", "after") == b"three"


def test_pruning_keeps_what_was_used_in_the_last_month(tmp_path, monkeypatch):
    path = str(tmp_path / "artefacts.sqlite")
    cache = ArtefactCache(path)
    for key in ("used", "unused", "recent"):
        cache.put("read", key, key.encode())
    assert cache.pruning  # never pruned
    cache.prune()
    assert not ArtefactCache(path).pruning  # once a day
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + (KEEP_DAYS - 1) * DAY)
    later = ArtefactCache(path)
    assert later.get("read", "recent") == b"recent"  # dated again
    monkeypatch.setattr(time, "time", lambda: now + (KEEP_DAYS + 2) * DAY)
    latest = ArtefactCache(path)
    assert latest.get("read", "used") == b"used"  # the pruning build's own
    assert latest.pruning
    latest.prune()
    assert [latest.holds("read", k) for k in ("used", "unused", "recent")] == [
        True,
        False,
        True,
    ]
    monkeypatch.setattr(time, "time", lambda: now - DAY)  # a clock set back
    assert ArtefactCache(path).pruning


def test_two_processes_write_at_once_and_lose_nothing(tmp_path):
    """Two builds (or a build and its helper) share the database: every
    entry each one puts is there afterwards, and each reads what it put."""
    path = str(tmp_path / "artefacts.sqlite")
    ArtefactCache(path).put("read", "first", b"made")  # the database exists
    children = []
    for name in ("a", "b"):
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                cache = ArtefactCache(path)
                wrong = 0
                for number in range(300):
                    key = f"{name}{number}"
                    cache.put("read", key, key.encode() * 50)
                    wrong += cache.get("read", key) != key.encode() * 50
                    wrong += cache.get("read", "first") != b"made"
                status = min(wrong, 100)
            finally:
                os._exit(status)
        children.append(pid)
    for pid in children:
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    cache = ArtefactCache(path)
    for name in ("a", "b"):
        for number in range(300):
            key = f"{name}{number}"
            assert cache.get("read", key) == key.encode() * 50, key


def _schema_changed(path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert data.count(old) == 1 and len(old) == len(new)
    path.write_bytes(data.replace(old, new))


def test_a_database_that_is_not_the_caches_is_begun_again(tmp_path):
    """Found by an outside review: a byte of the schema damaged made SQLite's
    message undecodable (every build failed as a crash of the site's code),
    and tables of another shape (a column renamed, a future layout) turned
    the cache off in every build, without a word."""
    for old, new in [
        (b"entry (kind", b"entry \xe3kind"),
        (b"data BLOB", b"dbta BLOB"),
        (b"pruned (at", b"pruned (it"),
        (b"", "CREATE TABLE pruned (at REAL, by TEXT)"),  # found first at the prune
    ]:
        path = tmp_path / "artefacts.sqlite"
        filled(path)
        if old:
            _schema_changed(path, old, new)
        else:  # a second look found it: reads worked, the prune failed
            with closing(sqlite3.connect(path)) as db, db:
                db.execute("DROP TABLE pruned")
                db.execute(new)
        cache = ArtefactCache(str(path))  # a build: everything is used
        for (kind, key), put in ENTRIES.items():
            assert cache.get(kind, key) in (put, None)
            cache.put(kind, key, put)
        cache.prune()  # as a build ends
        assert cache.renewed and "was damaged" in cache.note and not cache.failed
        cache.close()
        later = ArtefactCache(str(path))  # the next build has a cache again
        assert all(later.get(*entry) == put for entry, put in ENTRIES.items())
        assert later.note == ""
        later.close()
        remove_database(str(path))


def test_a_database_held_by_another_program_costs_one_wait(tmp_path, monkeypatch):
    """Found by an outside review: a database browser left in a transaction
    made every write wait a minute (hours for a build). The cache waits
    once, then the build goes on without it and says so."""
    monkeypatch.setattr(cache_module, "BUSY_SECONDS", 1)
    path = tmp_path / "artefacts.sqlite"
    filled(path)
    with closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("DELETE FROM pruned")
        cache = ArtefactCache(str(path))
        started = time.monotonic()
        for number in range(20):
            cache.put("read", str(number), b"value")
        assert time.monotonic() - started < 5
        assert "another program held it" in cache.note
        assert f"The build cache ({path})" in cache.note  # not ../../..
        holder.execute("ROLLBACK")


def test_entries_dated_oddly_are_pruned(tmp_path):
    path = tmp_path / "artefacts.sqlite"
    cache = ArtefactCache(str(path))
    cache.put("read", "kept", b"kept")
    cache.close()
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("INSERT INTO entry VALUES ('read', 'null', NULL, x'00')")
        db.execute("INSERT INTO entry VALUES ('read', 'text', 'soon', x'00')")
    cache = ArtefactCache(str(path))
    cache.prune()
    assert [cache.holds("read", k) for k in ("kept", "null", "text")] == [
        True,
        False,
        False,
    ]
