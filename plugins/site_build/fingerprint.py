"""Fingerprints: a short text standing for what a value shows, so that a page
made from the same values is known to be the same page without rendering it.

A page's key (see writer.py) is made of the fingerprints of the template
variables it can read. :class:`Fingerprints` computes them for the values a
Pelican context holds: plain data, dates, lists and dicts, content objects
(articles, pages, members: everything they carry, and everything they refer
to, see :meth:`Fingerprints.content`), Pelican's categories, tags and
paginators, dataclasses, and any object that says what it shows with a
``__fingerprint__()`` method. A value of another kind cannot be known to be
unchanged: it gets a fingerprint that is new in every build, so a page that
reads it is always rendered (and :attr:`Fingerprints.unknown` names it, so
a test can insist there are none).

A fingerprint is the value's own text when that is short, else a hash of
it. Parts are joined with control characters (\\x1e, \\x1f) that no content
can hold (the content model refuses them). Fingerprints are computed before
anything is rendered and remembered for the build, by object: a build's
values do not change once its generators have read the content.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
import re
from datetime import date, datetime, time, tzinfo
from types import FunctionType, MethodType, ModuleType

from jinja2 import Undefined
from pelican.contents import Content
from pelican.paginator import Page as PaginatorPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

# Attributes of a content object that are not what it shows: the whole
# context and the settings (part of every key already), and the metadata
# (Pelican makes an attribute of every metadata field when it makes the
# object, and templates read the attributes).
SKIPPED_ATTRIBUTES = frozenset({"_context", "settings", "metadata"})
SHORT = 64  # longer fingerprints are hashed
# Links from one content file to another ({filename}/x.md): the target's
# address is part of what the page shows.
_INTERSITE = re.compile(
    r"""(?:\{|\|)(?:filename|static|attach)(?:\}|\|)(?P<target>[^"'\s)>#?]+)"""
)


def hashed(text: str) -> str:
    """A fixed-length stand-in for ``text``."""
    data = text.encode("utf-8", "surrogatepass")
    return "#" + hashlib.sha256(data).hexdigest()[:40]


def short(text: str) -> str:
    return text if len(text) <= SHORT else hashed(text)


class Fingerprints:
    def __init__(self, salt: str = ""):
        self._memo: dict[int, tuple[object, str]] = {}
        self._own: dict[int, tuple[object, str, tuple]] = {}
        self.salt = salt  # new every build: what unknown values get
        self.unknown: set[str] = set()

    def of(self, value) -> str:
        """The fingerprint of any value."""
        kind = type(value)
        if kind is str:
            if len(value) <= SHORT:
                return value
        elif value is None or kind is bool or kind is int or kind is float:
            return repr(value)
        key = id(value)
        found = self._memo.get(key)
        if found is not None and found[0] is value:
            return found[1]
        result = hashed(value) if kind is str else self._compute(value)
        self._memo[key] = (value, result)  # the value kept alive: ids stay unique
        return result

    def _compute(self, value) -> str:
        of = self.of
        if isinstance(value, str):  # Markup and other str types
            return short(str(value))
        if isinstance(value, Content):
            return self.content(value)
        if isinstance(value, list | tuple):
            return short("[" + "\x1e".join(map(of, value)) + "]")
        if isinstance(value, dict):
            items = sorted(f"{of(k)}\x1f{of(v)}" for k, v in value.items())
            return short("{" + "\x1e".join(items) + "}")
        if isinstance(value, set | frozenset):
            return short("{" + "\x1e".join(sorted(map(of, value))) + "}")
        if isinstance(value, datetime | date | time):
            return f"{type(value).__name__}:{value.isoformat()}:{value.tzinfo}"
        if isinstance(value, tzinfo):
            return f"tzinfo:{value}"
        if isinstance(value, bytes):
            return "#" + hashlib.sha256(value).hexdigest()[:40]
        if hasattr(value, "__fingerprint__") and not isinstance(value, type):
            return short(f"{type(value).__qualname__}:{value.__fingerprint__()}")
        if isinstance(value, URLWrapper):  # its address follows from its name
            return short(f"{type(value).__name__}:{value.name}")
        if isinstance(value, Paginator):
            return short(
                f"paginator:{value.name}:{value.url}:{value.count}:"
                f"{value.per_page}:{value.num_pages}"
            )
        if isinstance(value, PaginatorPage):
            return short(
                f"page:{value.number}\x1e{of(value.object_list)}\x1e"
                f"{of(value.paginator)}\x1e{value.url}\x1e{value.save_as}"
            )
        if isinstance(value, Undefined):
            return "undefined"
        if isinstance(value, FunctionType | MethodType | type | ModuleType) or (
            callable(value) and hasattr(value, "__qualname__")
        ):
            # Code is part of every key: a function is known by its name.
            module = getattr(value, "__module__", "") or ""
            return f"code:{module}.{getattr(value, '__qualname__', '')}"
        if dataclasses.is_dataclass(value):
            fields = "\x1e".join(
                f"{f.name}\x1f{of(getattr(value, f.name))}"
                for f in dataclasses.fields(value)
            )
            return short(f"{type(value).__qualname__}({fields})")
        self.unknown.add(f"{type(value).__module__}.{type(value).__qualname__}")
        return f"unknown:{self.salt}:{id(value)}"

    # --- content objects ------------------------------------------------------

    def content(self, item: Content) -> str:
        """What a content object shows: its own attributes, and those of
        every content object it refers to, directly or through others (a
        showcase shows its members' names, a profile its showcases), so an
        edit of one reaches the pages of the others."""
        own, refs = self._own_of(item)
        if not refs:
            return own
        seen = {id(item)}
        others = []
        stack = list(refs)
        while stack:
            other = stack.pop()
            if id(other) in seen:
                continue
            seen.add(id(other))
            other_own, other_refs = self._own_of(other)
            others.append(other_own)
            stack.extend(other_refs)
        return hashed(own + "\x1e" + "\x1e".join(sorted(others)))

    def _own_of(self, item: Content) -> tuple[str, tuple]:
        found = self._own.get(id(item))
        if found is not None and found[0] is item:
            return found[1], found[2]
        refs: list[Content] = []
        state = sorted(
            (name, value)
            for name, value in vars(item).items()
            if name not in SKIPPED_ATTRIBUTES
        )
        text = io.BytesIO()
        text.write(type(item).__name__.encode())
        _Attributes(text, self, refs).dump(state)
        for link in self._links(item):
            text.write(b"\x1e" + link.encode("utf-8", "surrogatepass"))
        result = "#" + hashlib.sha256(text.getbuffer()).hexdigest()[:40]
        self._own[id(item)] = (item, result, tuple(refs))
        return result, tuple(refs)

    @staticmethod
    def _links(item: Content) -> list[str]:
        """The addresses of the files its text links to ({filename}/x.md):
        they are part of what the page shows."""
        text = getattr(item, "_content", None) or ""
        if "{" not in text and "|" not in text:
            return []
        files = (getattr(item, "_context", None) or {}).get("filenames", {})
        base = os.path.dirname(getattr(item, "relative_source_path", "") or "")
        found = []
        for match in _INTERSITE.finditer(text):
            target = match["target"]
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else os.path.normpath(os.path.join(base, target))
            )
            linked = files.get(path.replace("\\", "/"))
            found.append(f"link\x1f{target}\x1f{getattr(linked, 'url', '') or ''}")
        return found


# Values a content object's attributes are pickled as (by C code, fast);
# any other value is written as its fingerprint.
_PLAIN = frozenset({str, int, float, bool, type(None), list, tuple, dict})


class _Attributes(pickle.Pickler):
    """A content object's attributes as bytes: plain values pickled as they
    are (fast mode: no references between equal values, so the same values
    give the same bytes however they were made), other content objects
    named by place only and collected into ``refs``, and any other value by
    its fingerprint."""

    def __init__(self, file, prints: Fingerprints, refs: list):
        super().__init__(file, protocol=5)
        self.fast = True
        self.prints, self.refs = prints, refs

    def persistent_id(self, value):
        kind = type(value)
        if kind in _PLAIN:
            return None
        if isinstance(value, Content):
            self.refs.append(value)
            return f"ref:{kind.__name__}:{value.source_path}:{value.url}"
        return self.prints.of(value)
