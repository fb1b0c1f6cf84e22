"""WebP derivatives of content images at several widths, named by content
hash (so they can be cached forever) and kept in a cache folder between
builds, so an unchanged image is never re-encoded."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageOps

# Bump when the encoding changes, so cached derivatives are made anew.
ENCODER_VERSION = "1"
SOURCE_FORMATS = ("JPEG", "PNG", "WEBP")
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height
_EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class Derivative:
    width: int
    height: int
    name: str  # path relative to the output folder
    cache_key: str


@dataclass(frozen=True)
class SourceImage:
    path: str
    width: int  # as displayed (EXIF orientation applied)
    height: int
    digest: str
    derivatives: tuple[Derivative, ...]

    def srcset(self, url_prefix: str) -> str:
        return ", ".join(f"{url_prefix}/{d.name} {d.width}w" for d in self.derivatives)


def _digest(path: str, quality: int) -> str:
    sha = hashlib.sha256(f"{ENCODER_VERSION}:{quality}:".encode())
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            sha.update(block)
    return sha.hexdigest()[:10]


def display_size(path: str) -> tuple[int, int, str]:
    """(width, height, format) without decoding the pixels."""
    with Image.open(path) as img:
        width, height = img.size
        kind = img.format
        if img.getexif().get(_EXIF_ORIENTATION) in _ROTATED:
            width, height = height, width
    return width, height, kind


def plan_widths(source_width: int, widths: tuple[int, ...]) -> list[int]:
    """The configured widths narrower than the source, plus the source's own
    width (capped at the largest configured width): never upscaled."""
    chosen = [w for w in widths if w < source_width]
    largest = min(source_width, widths[-1])
    if largest not in chosen:
        chosen.append(largest)
    return chosen


@cache
def _inspect(path: str, mtime: float, size: int, widths, quality, output_dir):
    width, height, kind = display_size(path)
    if kind not in SOURCE_FORMATS:
        raise ValueError(f"{path}: {kind} images are not resized")
    digest = _digest(path, quality)
    stem = os.path.splitext(os.path.basename(path))[0]
    derivatives = tuple(
        Derivative(
            w,
            max(1, round(height * w / width)),
            f"{output_dir}/{stem}-{w}.{digest}.webp",
            f"{digest}-{w}.webp",
        )
        for w in plan_widths(width, widths)
    )
    return SourceImage(path, width, height, digest, derivatives)


def inspect(path: str, config: dict) -> SourceImage:
    """Size, hash and derivative names of one image (memoised per file state)."""
    stat = os.stat(path)
    return _inspect(
        path,
        stat.st_mtime,
        stat.st_size,
        tuple(config["widths"]),
        config["quality"],
        config["output_dir"],
    )


def _encode(source: SourceImage, derivative: Derivative, quality: int, target: str):
    with Image.open(source.path) as img:
        img = ImageOps.exif_transpose(img)
        has_alpha = img.mode in ("RGBA", "LA", "PA") or (
            img.mode == "P" and "transparency" in img.info
        )
        img = img.convert("RGBA" if has_alpha else "RGB")
        img = img.resize(
            (derivative.width, derivative.height), Image.Resampling.LANCZOS
        )
        folder = os.path.dirname(target)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        os.close(handle)
        try:
            img.save(temporary, "WEBP", quality=quality, method=5)
            os.replace(temporary, target)  # atomic: parallel builds share the cache
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)


def write_all(
    sources: list[SourceImage],
    output_path: str,
    cache_path: str,
    quality: int,
    kept=None,
) -> tuple[int, int]:
    """Put every derivative into the output, encoding only those missing from
    the cache (in parallel), except those ``kept(name, cached path)`` says
    the output has already. Returns (encoded, reused)."""
    os.makedirs(cache_path, exist_ok=True)
    jobs = {}
    for source in sources:
        for derivative in source.derivatives:
            cached = os.path.join(cache_path, derivative.cache_key)
            jobs[cached] = (source, derivative)
    missing = [(c, s, d) for c, (s, d) in jobs.items() if not os.path.exists(c)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        # Pillow releases the GIL while encoding, so threads run in parallel.
        list(pool.map(lambda job: _encode(job[1], job[2], quality, job[0]), missing))
    folders: set[str] = set()  # made already: thousands of logos share one
    for cached, (_source, derivative) in jobs.items():
        if kept is not None and kept(derivative.name, cached):
            continue
        target = os.path.join(output_path, derivative.name)
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        shutil.copyfile(cached, target)
    return len(missing), len(jobs) - len(missing)
