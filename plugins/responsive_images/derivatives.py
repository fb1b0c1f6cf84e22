"""WebP derivatives of a picture at several widths: which ones (planned from
the picture's facts), their names in the site (with a hash of the picture,
so they can be cached for ever), and their bytes (encoded once and kept in
the build cache)."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

from PIL import Image, ImageOps

from content_model.images import verified_bytes

# Bump when the encoding changes, so cached derivatives are made anew.
ENCODER_VERSION = "6"
SOURCE_FORMATS = ("JPEG", "PNG", "WEBP")


@dataclass(frozen=True)
class Derivative:
    width: int
    height: int
    name: str  # path in the site, such as images/sized/photo-480.0a1b2c3d4e.webp


@dataclass(frozen=True)
class SourceImage:
    """A content picture as pages show it: its size as shown and the
    derivatives offered in its srcset."""

    path: str  # the picture's file, absolute
    width: int  # as displayed (EXIF orientation applied)
    height: int
    digest: str  # SHA-256 of the file
    derivatives: tuple[Derivative, ...]

    @property
    def largest(self) -> Derivative:
        """The widest derivative: the picture wherever one file is named (an
        img's src, a feed), so no original of many megabytes is served."""
        return max(self.derivatives, key=lambda d: d.width)

    def srcset(self, url) -> str:
        """The srcset attribute, each file's address made by ``url``."""
        return ", ".join(f"{url(d.name)} {d.width}w" for d in self.derivatives)


def plan_widths(source_width: int, widths: tuple[int, ...]) -> list[int]:
    """The configured widths narrower than the source, plus the source's own
    width (capped at the largest configured width): never upscaled."""
    chosen = [w for w in widths if w < source_width]
    largest = min(source_width, widths[-1])
    if largest not in chosen:
        chosen.append(largest)
    return chosen


def derivative(facts, width: int, name: str) -> Derivative:
    height = max(1, round(facts.height * width / facts.width))
    return Derivative(width, height, name)


def plan(path: str, facts, widths: tuple[int, ...], output_dir: str) -> SourceImage:
    """Derivatives of the picture at ``path`` at the configured widths,
    named after the file (so two files with the same bytes each get theirs)."""
    stem = os.path.splitext(os.path.basename(path))[0]
    digest = facts.digest[:10]
    return SourceImage(
        path,
        facts.width,
        facts.height,
        facts.digest,
        tuple(
            derivative(facts, w, f"{output_dir}/{stem}-{w}.{digest}.webp")
            for w in plan_widths(facts.width, widths)
        ),
    )


_FEW_BITS = {"L;2": 85, "L;4": 17}  # how Pillow scales such greys to 8 bits


def load(path: str, digest: str | None = None) -> Image.Image:
    """The picture at ``path`` decoded, as :func:`upright` gives it; with
    ``digest``, only if its bytes are still those (verified_bytes)."""
    source = io.BytesIO(verified_bytes(path, digest)) if digest else path
    with Image.open(source) as img:
        return upright(img)


def upright(img: Image.Image) -> Image.Image:
    """An opened picture turned as its EXIF data says, as RGB or (with
    transparency) RGBA. Transparency is an alpha channel, or a PNG's colour
    key (one colour of a palette, grey or RGB picture shown as transparent;
    dropped where the file stores 16 bits a colour, as no 8-bit colour
    stands for it alone). Greys of 16 bits (a PNG from a scanner) are scaled
    to 8 first: converted as they are, they would be clipped to black and
    white."""
    # A colour key as the file gives it, while Pillow still says how the
    # pixels are stored: of 2 or 4 bits, Pillow scales the greys but not the
    # key; of 16 bits (which Pillow makes 8), no 8-bit colour stands for it.
    stored = img.tile[0][3] if img.format == "PNG" and img.tile else ""
    if stored in _FEW_BITS and isinstance(img.info.get("transparency"), int):
        img.info["transparency"] *= _FEW_BITS[stored]
    elif ";16" in stored:
        img.info.pop("transparency", None)
    img = ImageOps.exif_transpose(img)
    if img.mode.startswith("I"):  # Pillow's "I;16" (or "I") for such greys
        img = img.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    has_alpha = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
    return img.convert("RGBA" if has_alpha else "RGB")


def encode(img: Image.Image, width: int, height: int, quality: int) -> bytes:
    """``img`` resized to width x height, as WebP. Bicubic with a reducing
    gap and WebP's effort 2 of 6: a third faster than Lanczos at effort 4
    (2,800 member logos are most of a cold build), files ~5% larger, no
    difference to see at these sizes."""
    resized = img.resize((width, height), Image.Resampling.BICUBIC, reducing_gap=2.0)
    buffer = io.BytesIO()
    resized.save(buffer, "WEBP", quality=quality, method=2)
    return buffer.getvalue()
