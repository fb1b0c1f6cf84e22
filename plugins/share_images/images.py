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

from theme_support import Site

from . import render

# Part of every file name's hash: bump it when render.py changes its output,
# so that networks fetch the new pictures.
RENDER_VERSION = "1"


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

    def for_item(self, item) -> ShareImage:
        """The share image of an article or page: its featured image, else the
        default. ``item`` may be None or a Jinja Undefined (a listing page)."""
        metadata = (getattr(item, "metadata", None) or {}) if item else {}
        if metadata.get("image"):
            return self.make(metadata["image"], metadata.get("image_alt", ""))
        return self.default

    @property
    def default(self) -> ShareImage:
        return self.make(self.options["default"], self.options["default_alt"])

    @cached_property
    def logo(self) -> ShareImage:
        """The brand logo as it is in content/ (JSON-LD, Atom's logo). Read
        once per build: every page's JSON-LD asks for it."""
        relative = self.options["logo"]
        source = self._source(relative)
        width, height = render.size_of(source)
        return ShareImage(
            path=relative,
            url=self.site.absolute(relative),
            width=width,
            height=height,
            mime=render.mime_of(source),
            length=os.path.getsize(source),
            alt=self.sitename,
        )

    def small_logo(self, width: int) -> ShareImage:
        """The brand logo scaled to ``width`` pixels wide (an RSS channel
        image may be 144 wide at most)."""
        relative = self.options["logo"]
        full_width, full_height = render.size_of(self._source(relative))
        height = max(1, round(full_height * width / full_width))
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
        source = self._source(relative)
        data, mime = render.render(source, width, height, self.options["max_bytes"])
        path = self._output_name(relative, source, width, height, mime)
        target = os.path.join(self.output_root, *path.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)
        return ShareImage(
            path=path,
            url=self.site.absolute(path),
            width=width,
            height=height,
            mime=mime,
            length=len(data),
            alt=alt,
        )

    def _output_name(
        self, relative: str, source: str, width: int, height: int, mime: str
    ) -> str:
        """folder/<picture's path without images/>[-WxH]-<hash>.<jpg|png>"""
        digest = hashlib.sha256()
        with open(source, "rb") as handle:
            digest.update(handle.read())
        digest.update(
            f"{width}x{height}:{self.options['max_bytes']}:{RENDER_VERSION}".encode()
        )
        stem = posixpath.splitext(relative)[0].removeprefix("images/")
        standard = (width, height) == (self.options["width"], self.options["height"])
        size = "" if standard else f"-{width}x{height}"
        ext = ".png" if mime == "image/png" else ".jpg"
        folder = self.options["folder"].strip("/")
        return f"{folder}/{stem}{size}-{digest.hexdigest()[:10]}{ext}"
