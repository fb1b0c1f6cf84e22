"""Fingerprints: a short hash of what a value shows, so that a page made from
the same values is known to be the same page without rendering it.

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

Fingerprints are computed before anything is rendered and remembered for the
build, by object: a build's values do not change once its generators have
read the content.
"""

from __future__ import annotations

import dataclasses
import os
import re
from datetime import date, datetime, time, tzinfo
from types import FunctionType, MethodType, ModuleType

from jinja2 import Undefined
from pelican.contents import Content
from pelican.paginator import Page as PaginatorPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

from .cache import digest

# Attributes of a content object that are not what it shows: the whole
# context and the settings (part of every key already), and Pelican's
# cached copy of the content with links resolved.
SKIPPED_ATTRIBUTES = frozenset({"_context", "settings"})
# Links from one content file to another ({filename}/x.md): the target's
# address is part of what the page shows.
_INTERSITE = re.compile(
    r"""(?:\{|\|)(?:filename|static|attach)(?:\}|\|)(?P<target>[^"'\s)>#?]+)"""
)


class Fingerprints:
    def __init__(self, salt: str = ""):
        self._memo: dict[int, tuple[object, str]] = {}
        self._own: dict[int, tuple[object, str, tuple]] = {}
        self.salt = salt  # new every build: what unknown values get
        self.unknown: set[str] = set()

    def of(self, value) -> str:
        """The fingerprint of any value."""
        if value is None or isinstance(value, bool | int | float):
            return repr(value)
        if isinstance(value, str):  # Markup too: the text is what shows
            return "s" + value if len(value) < 64 else digest("s", value)
        key = id(value)
        found = self._memo.get(key)
        if found is not None and found[0] is value:
            return found[1]
        result = self._compute(value)
        self._memo[key] = (value, result)  # the value kept alive: ids stay unique
        return result

    def _compute(self, value) -> str:
        if isinstance(value, Content):
            return self.content(value)
        if isinstance(value, list | tuple):
            return digest(type(value).__name__, *(self.of(v) for v in value))
        if isinstance(value, dict):
            items = sorted((self.of(k), self.of(v)) for k, v in value.items())
            return digest("dict", *(part for item in items for part in item))
        if isinstance(value, set | frozenset):
            return digest("set", *sorted(self.of(v) for v in value))
        if isinstance(value, datetime | date | time):
            return digest(type(value).__name__, value.isoformat(), str(value.tzinfo))
        if isinstance(value, tzinfo):
            return digest("tzinfo", str(value))
        if isinstance(value, bytes):
            return digest("bytes", value)
        if hasattr(value, "__fingerprint__") and not isinstance(value, type):
            return digest(type(value).__qualname__, value.__fingerprint__())
        if isinstance(value, URLWrapper):
            return digest(type(value).__name__, value.name, value.slug, value.url)
        if isinstance(value, Paginator):
            return digest(
                "paginator",
                value.name,
                str(value.url),
                str(value.count),
                str(value.per_page),
                str(value.num_pages),
            )
        if isinstance(value, PaginatorPage):
            return digest(
                "page",
                str(value.number),
                self.of(value.object_list),
                self.of(value.paginator),
                value.url,
                value.save_as,
            )
        if isinstance(value, Undefined):
            return "undefined"
        if isinstance(value, FunctionType | MethodType | type | ModuleType) or (
            callable(value) and hasattr(value, "__qualname__")
        ):
            # Code is part of every key: a function is known by its name.
            module = getattr(value, "__module__", "") or ""
            return digest("code", module, getattr(value, "__qualname__", ""))
        if dataclasses.is_dataclass(value):
            fields = [
                part
                for f in dataclasses.fields(value)
                for part in (f.name, self.of(getattr(value, f.name)))
            ]
            return digest(type(value).__qualname__, *fields)
        self.unknown.add(f"{type(value).__module__}.{type(value).__qualname__}")
        return digest("unknown", self.salt, str(id(value)))

    # --- content objects ------------------------------------------------------

    def content(self, item: Content) -> str:
        """What a content object shows: its own attributes, and those of
        every content object it refers to, directly or through others (a
        showcase shows its members' names, a profile its showcases), so an
        edit of one reaches the pages of the others."""
        own, refs = self._own_of(item)
        seen = {id(item)}
        parts = [own]
        stack = list(refs)
        while stack:
            other = stack.pop()
            if id(other) in seen:
                continue
            seen.add(id(other))
            other_own, other_refs = self._own_of(other)
            parts.append(other_own)
            stack.extend(other_refs)
        return digest("content", *parts[:1], *sorted(parts[1:]))

    def _own_of(self, item: Content) -> tuple[str, tuple]:
        found = self._own.get(id(item))
        if found is not None and found[0] is item:
            return found[1], found[2]
        refs: list[Content] = []
        parts = [type(item).__name__]
        for name, value in sorted(vars(item).items()):
            if name in SKIPPED_ATTRIBUTES:
                continue
            parts += [name, self._shallow(value, refs)]
        parts += self._links(item)
        result = digest(*parts)
        self._own[id(item)] = (item, result, tuple(refs))
        return result, tuple(refs)

    def _shallow(self, value, refs: list) -> str:
        """A value inside a content object, with the content objects in it
        named by place only and collected into ``refs``."""
        if isinstance(value, Content):
            refs.append(value)
            return digest(
                "ref", type(value).__name__, value.source_path or "", value.url or ""
            )
        if isinstance(value, list | tuple) and any(
            isinstance(v, Content) for v in value
        ):
            return digest("list", *(self._shallow(v, refs) for v in value))
        if isinstance(value, dict) and any(
            isinstance(v, Content | list | tuple) for v in value.values()
        ):
            items = sorted(
                (self.of(k), self._shallow(v, refs)) for k, v in value.items()
            )
            return digest("dict", *(part for item in items for part in item))
        return self.of(value)

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
            found += [target, getattr(linked, "url", "") or ""]
        return found
