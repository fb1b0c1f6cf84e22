"""Member logos at the size they are shown: in a card of the directory and
on the profile page.

A PNG or JPEG logo is resized (Pillow, WebP) to at most twice the size it is
shown at, for sharp pictures on high-density screens without sending more
pixels than that. The resized files are named and cached by content hash by
plugins/responsive_images (its cache folder, keys and encoder), so an
unchanged logo is never encoded twice, here or there. An SVG logo was checked by the
content model (no scripts, no event attributes, nothing loaded from
elsewhere) and is published as it is. Every logo gets the width and height it
is shown at, so the page does not jump while it loads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from PIL import Image

from responsive_images import derivatives
from responsive_images.settings import check_settings

from .cache import file_state

# Where a logo is shown: the box it is fitted into, in CSS pixels. The CSS
# (.member-card__logo, .member__logo in site.css) reserves the same boxes.
BOXES = {"card": (96, 64), "profile": (192, 128)}
DENSITY = 2  # resized to at most twice the size shown
OUTPUT_FOLDER = "members/logos"  # of the resized logos, in the output
EXIF_ORIENTATION = 0x0112
ROTATED = {5, 6, 7, 8}  # orientations that swap width and height


@dataclass(frozen=True)
class LogoImage:
    path: str  # in the output folder, such as members/logos/192.0a1b2c3d4e.webp
    width: int  # shown at, in CSS pixels
    height: int


def fit(width: float, height: float, box: tuple[int, int]) -> tuple[int, int]:
    """The size of a width x height picture scaled to fit in ``box``."""
    scale = min(box[0] / width, box[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def image_config(settings: dict) -> dict | None:
    """responsive_images' settings (its cache folder, WebP quality and output
    folder), or None when they have problems (that plugin reports them)."""
    setting = check_settings(settings)
    if setting.problems:
        return None
    config = dict(setting.values)
    cache_path = config["cache_path"]
    if not os.path.isabs(cache_path):
        project = os.path.dirname(os.path.abspath(settings["PATH"]))
        config["cache_path"] = os.path.join(project, cache_path)
    return config


class Logos:
    """The logos of one build: what each member shows, and the resized files
    to write."""

    def __init__(self, content_root: str, config: dict, records=None):
        self.content_root = content_root
        self.config = config
        self.records = records  # cache.Records: sizes and hashes of logo files
        self.sources: dict[str, derivatives.SourceImage] = {}

    def for_member(self, metadata: dict) -> dict[str, LogoImage]:
        """{'card': LogoImage, 'profile': LogoImage}, or {} without a logo."""
        relative = metadata.get("logo")
        if not relative:
            return {}
        size = (metadata["logo_width"], metadata["logo_height"])
        if metadata["logo_type"] == "image/svg+xml":
            return {
                name: LogoImage(relative, *fit(*size, box))
                for name, box in BOXES.items()
            }
        path = os.path.join(self.content_root, relative)
        source = self._source(path, *size)
        images, planned = {}, []
        for name, box in BOXES.items():
            shown = fit(source.width, source.height, box)
            # Never enlarged: a small logo is sent at its own size.
            width = min(source.width, shown[0] * DENSITY)
            planned.append(self._derivative(source, width))
            images[name] = LogoImage(planned[-1].name, *shown)
        self.sources[path] = derivatives.SourceImage(
            path,
            source.width,
            source.height,
            source.digest,
            tuple(dict.fromkeys(planned)),
        )
        return images

    def _source(self, path: str, width: int, height: int):
        """Size as shown (EXIF orientation applied) and content hash of a
        PNG or JPEG file, reading no more than its header. (derivatives.inspect
        would decode a whole PNG to look for EXIF data after the pixels.)
        Kept between builds for a file of the same size and date."""
        if self.records is None:
            return self._inspect(path, width, height)
        key = self.records.key(
            "logo",
            path,
            file_state(path),
            str(self.config["quality"]),
            f"{width}x{height}",
        )
        found = self.records.get(key)
        if found is None:
            found = self._inspect(path, width, height)
            self.records.put(key, found)
        return found

    def _inspect(self, path: str, width: int, height: int):
        with Image.open(path) as image:
            exif = image.getexif() if image.format == "JPEG" else None
            if image.format == "PNG" and "exif" in image.info:
                exif = image.getexif()
        if exif and exif.get(EXIF_ORIENTATION) in ROTATED:
            width, height = height, width
        digest = derivatives._digest(path, self.config["quality"])
        return derivatives.SourceImage(path, width, height, digest, ())

    def _derivative(self, source, width: int) -> derivatives.Derivative:
        height = max(1, round(source.height * width / source.width))
        return derivatives.Derivative(
            width,
            height,
            # Short (the directory names 2,000 of them, relative to itself:
            # "logos/192.<hash>.webp"), with the hash just before .webp as
            # deploy/nginx.conf caches such files for ever.
            f"{OUTPUT_FOLDER}/{width}.{source.digest}.webp",
            f"{source.digest}-{width}.webp",  # the key responsive_images uses
        )

    def write(self, output_path: str, build=None) -> tuple[int, int]:
        """Write the resized logos; (encoded, taken from the cache). With
        ``build`` (site_build.current()), a resized logo already in the
        output folder is kept there: its name holds its content hash, so a
        file of that name and size is that logo."""

        def kept(name: str, cached: str) -> bool:
            try:
                there = os.stat(os.path.join(build.output, name)).st_size
            except OSError:
                return False
            if there != os.stat(cached).st_size:
                return False
            build.keep(name)
            return True

        return derivatives.write_all(
            list(self.sources.values()),
            output_path,
            self.config["cache_path"],
            self.config["quality"],
            kept if build is not None else None,
        )
