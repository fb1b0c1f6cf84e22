"""Facts about the image files content names: kind, size as shown, and a
hash of the bytes; or what is wrong with the file. Every image check of the
site (featured images, images in the text, member logos) and the image
service start here.

Looking at an image is slow next to the rest of a build (Pillow verifies the
whole file), so the facts of a file are kept in the build cache under its
path, size, date and inode: a file that did not change is not opened again.

Limits: a picture of more than MAX_PIXELS is refused before its pixels are
decoded (a 20,000 x 20,000 PNG is a few kilobytes on disk and gigabytes in
memory), and so is a file over MAX_BYTES.
"""

from __future__ import annotations

import hashlib
import os
import re
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

import site_build
from site_build.session import file_state

from .svg import check_svg

MAX_PIXELS = 40_000_000
MAX_BYTES = 50 * 1024 * 1024
RASTER_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_EXIF_ORIENTATION = 0x0112
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height
FACTS_VERSION = "4"


@dataclass(frozen=True)
class Facts:
    type: str  # MIME type: image/jpeg, image/png, image/webp, image/svg+xml, or ""
    width: int  # as shown (EXIF orientation applied)
    height: int
    bytes: int
    digest: str  # SHA-256 of the file, hex
    problem: str = ""  # what is wrong, said of the file ("cannot be read...")

    def metadata(self, prefix: str) -> dict:
        """image_width, image_height, image_type, image_bytes, image_digest
        (or logo_...): what templates and keys use."""
        return {
            f"{prefix}_width": self.width,
            f"{prefix}_height": self.height,
            f"{prefix}_type": self.type,
            f"{prefix}_bytes": self.bytes,
            f"{prefix}_digest": self.digest,
        }


def facts(path: str, shown: str) -> Facts:
    """The facts of the file at ``path`` (``shown``: the path as staff wrote
    it, for messages), from this build's memory or the cache when the file
    did not change."""
    s = site_build.session()
    s.depends(path)
    key = s.key(
        "image-facts", FACTS_VERSION, os.path.abspath(path), file_state(path), shown
    )
    found = s.memo.get(key)
    if found is None:
        found = s.cache.get_object("image-facts", key)
        if not isinstance(found, Facts):
            found = inspect(path, shown)
            s.cache.put_object("image-facts", key, found)
        s.memo[key] = found
    return found


def verified_bytes(path: str, digest: str) -> bytes:
    """The bytes of the picture at ``path``, which must be those its facts
    were found in (``digest``): the copies made of a picture are named by
    its hash, so bytes saved while the site is built would be published,
    and kept, under the name of the picture before."""
    with open(path, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != digest:
        raise site_build.ChangedWhileBuilding(path)
    return data


def inspect(path: str, shown: str) -> Facts:
    """Open the file and find its facts (no cache)."""
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        return Facts("", 0, 0, size, "", _too_heavy(shown, size))
    with open(path, "rb") as handle:
        data = handle.read()
    digest = hashlib.sha256(data).hexdigest()
    built = _structure_problem(data)
    if built:
        return Facts("", 0, 0, size, digest, f"file {shown!r} {built}")
    if shown.lower().endswith(".svg"):
        extra, problem = check_svg(path, shown)
        if problem:
            return Facts("", 0, 0, size, digest, problem)
        return Facts(
            extra["image_type"],
            extra["image_width"],
            extra["image_height"],
            size,
            digest,
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                width, height = img.size
                kind = img.format
                if width * height > MAX_PIXELS:
                    return Facts(
                        "",
                        width,
                        height,
                        size,
                        digest,
                        _too_large(shown, width, height),
                    )
                if size > max(SMALL_FILE, 4 * width * height):
                    padded = _padded(shown, size, width, height)
                    return Facts("", width, height, size, digest, padded)
                if getattr(img, "n_frames", 1) > 1:
                    moving = f"file {shown!r} is an animation: use a still picture"
                    return Facts("", width, height, size, digest, moving)
            with Image.open(path) as img:
                img.verify()
            with Image.open(path) as img:
                img.load()  # decoded: a cut-off file fails here, not later
                # Read after decoding: Pillow decodes a PNG to find its EXIF.
                orientation = img.getexif().get(_EXIF_ORIENTATION)
    except Image.DecompressionBombError as err:  # "Image size (n pixels) ..."
        pixels = re.search(r"\((\d+) pixels\)", str(err))
        megapixels = (
            f" ({int(pixels.group(1)) // 1_000_000:,} megapixels)" if pixels else ""
        )
        return Facts("", 0, 0, size, digest, _too_large(shown, 0, 0, megapixels))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        why = str(err).replace(f" {path!r}", "")  # Pillow names the whole path
        return Facts(
            "", 0, 0, size, digest, f"file {shown!r} cannot be read as an image ({why})"
        )
    if orientation in _ROTATED:
        width, height = height, width
    mime = RASTER_TYPES.get(kind) or Image.MIME.get(kind) or f"image/{kind.lower()}"
    return Facts(mime, width, height, size, digest)


SMALL_FILE = 1024 * 1024  # any picture may take this much
MAX_SCANS = 64  # progressive JPEG scans: encoders write about ten
MAX_SEGMENTS = 256  # JPEG metadata segments (EXIF, ICC, comments)
MAX_CHUNKS = 50_000  # PNG chunks: large pictures have thousands of IDAT


def _structure_problem(data: bytes) -> str | None:
    """What makes a file far more work to decode than its size says, read
    from its bytes before anything decodes it (a JPEG of 7,000 scans of one
    picture took 54 s; a PNG of millions of empty chunks, a minute and a
    gigabyte)."""
    if data.startswith(b"\xff\xd8"):
        scans = data.count(b"\xff\xda")
        if scans > MAX_SCANS:
            return (
                f"is a JPEG of {scans:,} scans, more than any camera or editor "
                "writes: save it again"
            )
        at, segments = 2, 0
        while at + 4 <= len(data) and data[at] == 0xFF and data[at + 1] != 0xDA:
            segments += 1  # a metadata segment before the picture's first scan
            if segments > MAX_SEGMENTS:
                return (
                    f"is a JPEG with more than {MAX_SEGMENTS} metadata segments: "
                    "save it again without them"
                )
            at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        at, chunks = 8, 0
        while at + 8 <= len(data):
            chunks += 1
            if chunks > MAX_CHUNKS:
                return f"is a PNG of more than {MAX_CHUNKS:,} parts: save it again"
            at += 12 + int.from_bytes(data[at : at + 4], "big")
    return None


def _padded(shown: str, size: int, width: int, height: int) -> str:
    return (
        f"file {shown!r} is {size / 1_048_576:.1f} MB for a picture of {width} x "
        f"{height} pixels (hidden data or metadata): save it again"
    )


def _too_large(shown: str, width: int, height: int, pixels: str = "") -> str:
    pixels = f" ({width} x {height} pixels)" if width else pixels
    return (
        f"file {shown!r} is too large a picture{pixels}: save it at most "
        f"{MAX_PIXELS // 1_000_000} megapixels, such as 8000 x 5000"
    )


def _too_heavy(shown: str, size: int) -> str:
    return (
        f"file {shown!r} is {size / 1_048_576:.0f} MB: save it under "
        f"{MAX_BYTES // 1_048_576} MB (the site publishes smaller copies anyway)"
    )
