"""The share images of one build: which picture each page previews with, and
the files written for them.

A page previews with a share image made from its featured image, or with the
branded default when it has none. Each source picture is rendered once per
build and written under SHARE_IMAGES['folder'] with a name that carries a hash
of the picture and the size, so a changed picture gets a new address (social
networks cache previews by address).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from dataclasses import dataclass, replace
from functools import cached_property

import site_build
from content_model.images import facts
from theme_support import Site

from . import render

# Part of every file name's hash: bump it when render.py changes its output,
# so that networks fetch the new pictures.
RENDER_VERSION = "4"
OWNER = "the share images (plugins/share_images)"
# The shapes of an article's images in its structured data, beside the
# preview's 1.91:1 (Google's article guidelines).
RATIOS = ((16, 9), (4, 3), (1, 1))
KINDS = ("jpeg", "png")  # what a share image is encoded as (render.py)


def _cache_kind(mime: str) -> str:
    """Where the build cache keeps a share image of type ``mime``."""
    return f"share-{mime.split('/')[1]}"


@dataclass(frozen=True)
class ShareImage:
    path: str  # in the output folder, e.g. share/news/photo-0a1b2c3d4e.jpg
    url: str  # absolute
    width: int
    height: int
    mime: str
    length: int  # bytes
    alt: str


class ShareImages:
    """Renders and remembers share images; templates and feeds ask it."""

    def __init__(self, settings: dict, options: dict):
        self.content_root = settings["PATH"]
        self.output_root = settings["OUTPUT_PATH"]
        self.sitename = settings["SITENAME"]
        self.options = options
        self.site = Site(settings)
        self._made: dict[tuple[str, int, int], ShareImage] = {}
        self._ahead: dict[str, tuple[bytes, str]] = {}  # see render_ahead

    def __fingerprint__(self) -> str:
        """What pages get from it follows from these options, the share
        images any page may show (the default and the logo, as this build
        made them: their names hold the hash they were made from) and the
        page's own picture (part of its own fingerprint)."""
        shown = (self.default, self.logo)
        return repr((self.options, self.content_root, self.site.siteurl, shown))

    def render_ahead(self, items, articles) -> None:
        """Render, with both cores, every share image the items and the
        articles' structured data will ask for that the build cache does not
        hold (a cold build's pictures: about 25 ms each). What cannot be
        rendered is left for :meth:`make`, which says why."""
        s = site_build.session()
        width = self.options["width"]
        wanted = {(self.options["default"], width, self.options["height"])}
        for item in items:
            relative = (getattr(item, "metadata", None) or {}).get("image")
            if relative:
                wanted.add((relative, width, self.options["height"]))
        for item in articles:
            relative = (getattr(item, "metadata", None) or {}).get("image")
            if relative:
                wanted.update((relative, width, width * h // w) for w, h in RATIOS)
        jobs = []
        for relative, w, h in sorted(wanted):
            source = self._source(relative)
            picture = facts(source, relative).digest
            digest = self._digest(picture, w, h)
            if not any(s.cache.holds(f"share-{kind}", digest) for kind in KINDS):
                jobs.append((digest, source, picture, w, h))

        def work(job):
            digest, source, picture, w, h = job
            try:
                return digest, render.render(
                    source, w, h, self.options["max_bytes"], picture
                )
            except Exception:  # left to make(), which reports it
                return digest, None

        for digest, rendered in s.map(jobs, work, "share images", report=False):
            if rendered is not None:
                self._ahead[digest] = rendered

    def for_item(self, item) -> ShareImage:
        """The share image of an article or page: its featured image, else the
        default. ``item`` may be None or a Jinja Undefined (a listing page)."""
        metadata = (getattr(item, "metadata", None) or {}) if item else {}
        if metadata.get("image"):
            return self.make(metadata["image"], metadata.get("image_alt", ""))
        return self.default

    def ratios(self, item) -> list[ShareImage]:
        """An article's featured image cropped to 16:9, 4:3 and 1:1 (1,200 px
        wide), which search engines ask of an article's structured data; none
        for an item without one."""
        metadata = (getattr(item, "metadata", None) or {}) if item else {}
        if not metadata.get("image"):
            return []
        alt = metadata.get("image_alt", "")
        width = self.options["width"]
        return [
            self.make(metadata["image"], alt, width, width * high // wide)
            for wide, high in RATIOS
        ]

    @property
    def default(self) -> ShareImage:
        return self.make(self.options["default"], self.options["default_alt"])

    @cached_property
    def logo(self) -> ShareImage:
        """The brand logo as it is in content/ (JSON-LD, Atom's logo). Read
        once per build: every page's JSON-LD asks for it."""
        relative = self.options["logo"]
        found = facts(self._source(relative), relative)
        return ShareImage(
            path=relative,
            url=self.site.absolute(relative),
            width=found.width,
            height=found.height,
            mime=found.type,
            length=found.bytes,
            alt=self.sitename,
        )

    def small_logo(self, width: int) -> ShareImage:
        """The brand logo scaled to ``width`` pixels wide (an RSS channel
        image may be 144 wide at most)."""
        relative = self.options["logo"]
        found = facts(self._source(relative), relative)
        height = max(1, round(found.height * width / found.width))
        return self.make(relative, self.sitename, width, height)

    def make(
        self,
        relative: str,
        alt: str,
        width: int | None = None,
        height: int | None = None,
    ) -> ShareImage:
        """The share image of ``relative`` (a path under content/), rendered
        and written the first time it is asked for."""
        width = width or self.options["width"]
        height = height or self.options["height"]
        key = (relative, width, height)
        if key not in self._made:
            self._made[key] = self._render(relative, width, height, alt)
        made = self._made[key]
        # Two pages may show one picture but describe it differently.
        return made if made.alt == alt else replace(made, alt=alt)

    def made(self) -> list[ShareImage]:
        """Every share image written so far, in a stable order."""
        return sorted(self._made.values(), key=lambda image: image.path)

    def _source(self, relative: str) -> str:
        return os.path.join(self.content_root, *relative.split("/"))

    def _render(self, relative: str, width: int, height: int, alt: str) -> ShareImage:
        """The share image of ``relative`` at width x height: linked from the
        previous release when there, else taken from the build cache (every
        entry checked against its hash) or rendered."""
        s = site_build.session()
        source = self._source(relative)
        picture = facts(source, relative).digest  # the one hash of this call
        digest = self._digest(picture, width, height)
        data = None
        known = s.cache.get_object("share-meta", digest)  # (MIME type, length)
        if not (isinstance(known, tuple) and len(known) == 2):
            data, mime = self._rendered(digest, source, picture, width, height)
            known = (mime, len(data))
            s.cache.put_object("share-meta", digest, known)
        mime, length = known
        path = self._output_name(relative, digest, width, height, mime)
        key = s.key("share-image", path, digest)
        if s.reuse(path, key, OWNER):
            if s.cache.pruning:  # the copy in the release is this entry's: in use
                s.cache.holds(_cache_kind(mime), digest)
        else:
            if data is None:
                data, mime = self._rendered(digest, source, picture, width, height)
            if (mime, len(data)) != known:  # the cache was wrong: believe the file
                path = self._output_name(relative, digest, width, height, mime)
                length = len(data)
                s.cache.put_object("share-meta", digest, (mime, length))
            s.write(path, data, OWNER, key)
        return ShareImage(
            path=path,
            url=self.site.absolute(path),
            width=width,
            height=height,
            mime=mime,
            length=length,
            alt=alt,
        )

    def _digest(self, picture: str, width: int, height: int) -> str:
        """Hash of the picture (``picture``, its hash) and everything that
        shapes its share image."""
        shape = f"{width}x{height}:{self.options['max_bytes']}:{RENDER_VERSION}"
        return hashlib.sha256(f"{picture}:{shape}".encode()).hexdigest()

    def _rendered(self, digest: str, source: str, picture: str, width, height):
        """(bytes, MIME type) of a share image: from the build cache when this
        picture was rendered at this size before, else rendered (from bytes
        that still have the hash ``picture``) and kept. Rendering is most of
        a small build's time."""
        s = site_build.session()
        for kind in KINDS:
            data = s.cache.get(f"share-{kind}", digest)
            if data is not None:
                return data, f"image/{kind}"
        found = self._ahead.pop(digest, None)
        data, mime = found or render.render(
            source, width, height, self.options["max_bytes"], picture
        )
        s.cache.put(_cache_kind(mime), digest, data)
        return data, mime

    def _output_name(
        self, relative: str, digest: str, width: int, height: int, mime: str
    ) -> str:
        """folder/<picture's path without images/>[-WxH]-<hash>.<jpg|png>"""
        stem = posixpath.splitext(relative)[0].removeprefix("images/")
        standard = (width, height) == (self.options["width"], self.options["height"])
        size = "" if standard else f"-{width}x{height}"
        ext = ".png" if mime == "image/png" else ".jpg"
        folder = self.options["folder"].strip("/")
        return f"{folder}/{stem}{size}-{digest[:10]}{ext}"
