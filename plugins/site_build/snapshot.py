"""The read site kept between builds: every content object as reading made
it, in one entry of the build cache, so that a build reads again only the
files that changed.

An object is taken from the snapshot when what reading it looked at is as
it was: the code and the settings (the entry's key), its source file and
every file its check looked at (``Session.depends``: pictures, programmes,
linked files; by size, dates and inode), and the answer of every moment it
asked about (``Session.has_come``: a scheduled post goes live). What
reading told the session is told again (its advice, what it noted in the
memo), and ``content_object_init`` is sent again, so the plugins that
listen there (addresses claimed, pictures planned) see the object as they
see one read afresh.

Each object is pickled as reading left it: after the listeners of
``content_object_init`` (which run again on a kept object, so they must set
what they set, not add to it), before the generators and the other plugins
add to it; the build's settings and context are named, not copied. An
object taken from the snapshot keeps its pickled bytes, so a build pickles
only what it read. A kept object skips Pelican's ``is_valid`` and its
preread and context signals (it was valid when read; no plugin listens to
those). A file's state is taken before its text is read (which may be
ahead of the readers: ``reading``), and a file changed in the last
RACY_SECONDS is not kept. A file whose reading reported a problem is never
kept, and the snapshot is written only by a build that succeeded.
"""

from __future__ import annotations

import io
import os
import pickle
import time

from pelican import signals
from pelican.contents import Content

from .cache import digest
from .session import WHERE_SETTINGS, file_state

VERSION = "1"  # of the entries' form: another version is never read
KIND = "read-site"
RACY_SECONDS = 2  # see _settled

_SETTINGS, _CONTEXT = "settings", "context"


class ReadSite:
    """The snapshot of one build: :meth:`reuse` an object, else :meth:`read`
    it; :meth:`save` once the build has succeeded."""

    def __init__(self, session):
        self.session = session
        # Pelican decides future dates against its own clock when
        # WITH_FUTURE_DATES is off: such a site is read afresh each time.
        self.on = bool(session.settings.get("WITH_FUTURE_DATES", True))
        # Reading asks for the build's now only through has_come, whose
        # answers each entry keeps: SITE_NOW is no part of the key.
        settings = session.settings_without(WHERE_SETTINGS | {"SITE_NOW"})
        self.key = digest(KIND, VERSION, session.code, settings)
        found = session.cache.get_object(KIND, self.key) if self.on else None
        self.old: dict = found if isinstance(found, dict) else {}
        self.new: dict = {}
        self._unchanged: dict[str, bool] = {}  # path -> seen unchanged (once)
        self._states: dict[str, str] = {}  # path -> its state when read (reading)

    def unchanged(self, path: str) -> bool:
        """Whether the file at ``path`` and every file its reading looked at
        are as they were when it was kept."""
        path = os.path.abspath(path)
        found = self._unchanged.get(path)
        if found is None:
            entry = self.old.get(path)
            found = self._unchanged[path] = entry is not None and all(
                file_state(where) == state for where, state in entry[0]
            )
        return found

    def reading(self, path: str) -> None:
        """The text of the file at ``path`` is read now (it may be read
        ahead of the object made from it): its state is the one it is kept
        with, so a save after this is seen by the next build."""
        self._states.setdefault(os.path.abspath(path), file_state(path))

    def reuse(self, path: str, settings: dict, context: dict) -> Content | None:
        """The object read from ``path`` by an earlier build, when reading it
        again would give the same; else None."""
        s = self.session
        path = os.path.abspath(path)
        if not self.unchanged(path):
            return None
        _states, moments, advice, notes, blob = entry = self.old[path]
        if any(s.has_come(moment) != answer for moment, answer in moments):
            return None
        try:
            item = _Loader(io.BytesIO(blob), settings, context).load()
        except Exception:  # written by another version of a class
            return None
        s.advice.found.extend(advice)
        for note in notes:
            s.note(*note)
        signals.content_object_init.send(item)
        self.new[path] = entry
        return item

    def read(self, path: str, read, settings: dict, context: dict):
        """``read()``, which reads the file at ``path``, recording what it
        looks at and tells the session; a content object it gives without a
        problem is kept."""
        s = self.session
        path = os.path.abspath(path)
        self.reading(path)
        problems, advice = len(s.problems), len(s.advice)
        with s.recorded() as (states, moments, notes):
            item = read()
        states[path] = self._states.pop(path)  # taken before the text was read
        if (
            self.on
            and isinstance(item, Content)
            and len(s.problems) == problems
            and _settled(states.values())
        ):
            blob = io.BytesIO()
            _Dumper(blob, settings, context).dump(item)
            self.new[path] = (
                tuple(sorted(states.items())),
                tuple(moments),
                tuple(s.advice.found[advice:]),
                tuple(notes),
                blob.getvalue(),
            )
        return item

    def save(self) -> None:
        if self.on and self.new != self.old:
            self.session.cache.put_object(KIND, self.key, self.new)


def _settled(states) -> bool:
    """Whether every file was last changed more than RACY_SECONDS ago: a
    file changed again within the same tick of the system's clock, to the
    same size, would keep its state (Git's "racily clean" files). An object
    read from a file changed so lately is read again by the next build."""
    latest = time.time_ns() - RACY_SECONDS * 1_000_000_000
    return all(not state or int(state.split(":")[2]) < latest for state in states)


class _Dumper(pickle.Pickler):
    def __init__(self, file, settings: dict, context: dict):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.settings, self.context = settings, context

    def persistent_id(self, value):
        if value is self.settings:
            return _SETTINGS
        if value is self.context:
            return _CONTEXT
        return None


class _Loader(pickle.Unpickler):
    def __init__(self, file, settings: dict, context: dict):
        super().__init__(file)
        self.named = {_SETTINGS: settings, _CONTEXT: context}

    def persistent_load(self, pid):
        return self.named[pid]
