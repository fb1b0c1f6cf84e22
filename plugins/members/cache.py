"""What a rebuild of the directory can reuse, and how it knows it may.

A directory of 2,000 members is read, checked and written on every build,
but a member of staff changes one file at a time. Two things are kept
between builds, each under a key that changes whenever anything it was made
from changes:

- Checked member files (:class:`Records`): the metadata (or the problems) of
  a member file, keyed by its text, the state of its logo file, the list of
  programmes it may name and the code that checks it.
- What was written into an output folder (:class:`Manifest`): for each
  profile, for the directory page and for the exports, the key it was made
  under and the size and date its files got there. What is unchanged, key
  and files, is not made again: the build driver keeps the files
  (plugins/site_build, ``keep``).

A profile's key is the site's fingerprint (:func:`site_fingerprint`: the
code, the theme, the settings, every content file but the members' own, the
library versions and the date) together with the member's own data; the
directory page's and the exports' keys are the site's fingerprint with every
member's key.
Profiles are rendered without the directory-wide lists (members,
members_by_slug, member_facets, member_count): a profile shows its own
member and nothing of the others, so one member's change never changes
another's page.

Nothing here is needed for a correct build: a missing or unreadable cache
only means more work. Files are replaced whole, so two builds at once can
only lose each other's additions.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import metadata as package_metadata
from pathlib import Path

from pelican.urlwrappers import URLWrapper

PLUGINS = Path(__file__).resolve().parents[1]
LIBRARIES = ("pelican", "jinja2", "markupsafe", "markdown", "pyyaml", "pillow")
CACHE_VERSION = "1"


def _digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def libraries() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={package_metadata.version(name)}")
        except package_metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return f"python={sys.version};" + ";".join(found)


# Files read whole for a fingerprint; others count by size and date (images).
TEXT_SUFFIXES = {
    ".md",
    ".yaml",
    ".yml",
    ".py",
    ".html",
    ".css",
    ".js",
    ".svg",
    ".json",
    ".txt",
}


def files_digest(
    folder: str | os.PathLike,
    suffixes=None,
    skip_folders: tuple[str, ...] = (),
    skip_files: frozenset[str] = frozenset(),
) -> str:
    """Names and contents of the files in ``folder`` (those ending in one of
    ``suffixes``, if given; none in ``skip_folders`` or ``skip_files``,
    relative paths with '/'), in a fixed order: the bytes of text files, the
    size and date of others."""
    hasher = hashlib.sha256()
    if not os.path.isdir(folder):
        return "absent"
    skipped = {os.path.normpath(os.path.join(folder, f)) for f in skip_folders}
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(
            d
            for d in dirs
            if d != "__pycache__" and os.path.join(root, d) not in skipped
        )
        for name in sorted(names):
            suffix = os.path.splitext(name)[1].lower()
            if suffixes and suffix not in suffixes:
                continue
            path = os.path.join(root, name)
            relative = os.path.relpath(path, folder).replace(os.sep, "/")
            if relative in skip_files:
                continue
            hasher.update(relative.encode("utf-8") + b"\0")
            if suffix in TEXT_SUFFIXES:
                with open(path, "rb") as handle:
                    hasher.update(handle.read())
            else:
                hasher.update(file_state(path).encode("ascii"))
            hasher.update(b"\0")
    return hasher.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """Every plugin's code and the libraries it runs on, as this process
    imported them."""
    return _digest(CACHE_VERSION, files_digest(PLUGINS, {".py"}), libraries())


def member_key(site: str, page) -> str:
    """The key of a member's profile: the site's fingerprint and all the
    page is made from of its own. That is its member file as checked (the
    reader's key: the file's text, with the programmes it may name and the
    code) and the state of its logo file (``member_source``): the page's
    metadata, resized logos and JSON-LD follow from these and the settings.
    A page read some other way is keyed by its metadata and resized logos."""
    source = getattr(page, "member_source", "")
    if source:
        return _digest(site, source)
    own = [page.metadata, getattr(page, "logo_images", {})]
    return _digest(site, dumps(own))


def key_of(*parts: str) -> str:
    return _digest(*parts)


def stable(value) -> str:
    """A text for ``value`` that is the same in every process (no memory
    addresses): settings hold functions and other objects."""
    if isinstance(value, dict):
        items = sorted((stable(k), stable(v)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(stable(v) for v in value) + "]"
    if isinstance(value, set | frozenset):
        return "{" + ",".join(sorted(stable(v) for v in value)) + "}"
    if value is None or isinstance(value, bool | int | float | str):
        return repr(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, URLWrapper):  # a category or tag: holds all settings
        return f"<{type(value).__name__}:{value.name}>"  # (its URL: name, settings)
    if callable(value):
        module = getattr(value, "__module__", "")
        return f"<{module}.{getattr(value, '__qualname__', type(value).__name__)}>"
    if dataclasses.is_dataclass(value):  # its fields, not what it computed later
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return f"<{type(value).__qualname__}{stable(fields)}>"
    if hasattr(value, "__dict__"):
        return f"<{type(value).__qualname__}{stable(vars(value))}>"
    return f"<{type(value).__qualname__}>"


def site_fingerprint(
    settings: dict,
    today: date,
    ignore: set[str],
    members_folder: str,
    logos: frozenset[str],
) -> str:
    """Everything but the members' own files (their YAML files in
    ``members_folder`` and their ``logos``, each part of its own member's
    key) that a page of the site is made from. ``ignore``: settings that
    name where the build writes."""
    shown = {k: v for k, v in settings.items() if k not in ignore}
    content = files_digest(
        settings["PATH"], skip_folders=(members_folder,), skip_files=logos
    )
    return _digest(
        code_fingerprint(),
        files_digest(settings["THEME"]),
        stable(shown),
        content,
        today.isoformat(),
    )


def _load(path: Path, default):
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # absent, from another version, half-written by a crash
        return default


def _save(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    try:
        with os.fdopen(handle, "wb") as file:
            pickle.dump(data, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise


class Records:
    """Checked member files of earlier builds: {key: what reading gave}.
    Entries no build of this run asked for are dropped when saved."""

    def __init__(self, folder: str | None):
        self.path = Path(folder) / "records.pickle" if folder else None
        self._old: dict = _load(self.path, {}) if self.path else {}
        self._new: dict = {}
        self.code = code_fingerprint()

    def key(self, *parts: bytes | str) -> str:
        return _digest(self.code, *parts)

    def get(self, key: str):
        """A copy of what was kept under ``key``, or None."""
        if key not in self._new and key in self._old:
            self._new[key] = self._old[key]
        stored = self._new.get(key)
        return None if stored is None else pickle.loads(stored)

    def put(self, key: str, value) -> None:
        """Keep ``value`` as it is now (later changes to it are not kept)."""
        self._new[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def save(self) -> None:
        if self.path is None or self._new.keys() == self._old.keys():
            return
        _save(self.path, self._new)
        self._old = dict(self._new)


def file_state(path: str) -> str:
    """A file's size and modification time ('absent' when there is none)."""
    try:
        status = os.stat(path)
    except OSError:
        return "absent"
    return f"{status.st_size}:{status.st_mtime_ns}"


@dataclass(frozen=True)
class Written:
    """What a build wrote of one thing (a page, the exports): the key it was
    made under, the state of each of its files in the output, the files its
    pages load (images) and anything else worth knowing next time."""

    key: str
    files: dict  # output path -> file_state()
    refs: tuple = ()
    extra: dict = field(default_factory=dict)


class Manifest:
    """What earlier builds wrote into one output folder: {name: Written}."""

    def __init__(self, folder: str | None, output: str):
        self.output = output
        name = hashlib.sha256(output.encode("utf-8")).hexdigest()[:16]
        self.path = Path(folder) / f"output-{name}.pickle" if folder else None
        stored = _load(self.path, {}) if self.path else {}
        same = (
            stored.get("output") == output and stored.get("code") == code_fingerprint()
        )
        self.entries: dict[str, Written] = stored.get("entries", {}) if same else {}
        self._found: dict[str, bool] = {}

    def unchanged(self, name: str, key: str) -> Written | None:
        """What was written of ``name``, when it was made under ``key`` and
        its files are in the output as they were written, and the files its
        pages load are there too; else None."""
        entry = self.entries.get(name)
        if entry is None or entry.key != key:
            return None
        for path, state in entry.files.items():
            if file_state(os.path.join(self.output, path)) != state:
                return None
        if not all(self._there(ref) for ref in entry.refs):
            return None
        return entry

    def _there(self, path: str) -> bool:
        """Whether output/<path> is a file (asked once per build: thousands
        of pages load the same site logo)."""
        if path not in self._found:
            self._found[path] = os.path.isfile(os.path.join(self.output, path))
        return self._found[path]

    def save(self, entries: dict[str, Written]) -> None:
        if self.path is None or (entries == self.entries and self.path.exists()):
            return
        self.entries = entries
        _save(
            self.path,
            {"output": self.output, "code": code_fingerprint(), "entries": entries},
        )
        for other in self.path.parent.glob("output-*.pickle"):
            # Forget output folders that are gone (temporary test builds).
            if other != self.path and not os.path.isdir(
                _load(other, {}).get("output", "")
            ):
                other.unlink(missing_ok=True)


def referenced_files(html: str, save_as: str, siteurl: str) -> list[str]:
    """The site files a page's images load (src and srcset), as paths in
    the output folder."""
    import posixpath
    import re

    found = []
    for match in re.finditer(r'\s(?:src|srcset)="([^"]*)"', html):
        for candidate in match.group(1).split(","):
            url = candidate.strip().split(" ")[0]
            if siteurl and url.startswith(siteurl + "/"):
                url = url[len(siteurl) :]
            if not url or "://" in url or url.startswith(("data:", "//", "#")):
                continue
            url = url.split("?")[0].split("#")[0]
            if url.startswith("/"):
                path = url.lstrip("/")
            else:
                path = posixpath.normpath(
                    posixpath.join(posixpath.dirname(save_as), url)
                )
            found.append(path)
    return sorted(set(found))


def plain(value):
    """``value`` as JSON-ready data, objects as :func:`stable` texts."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return stable(value)


def dumps(value) -> str:
    return json.dumps(plain(value), sort_keys=True, ensure_ascii=False)
