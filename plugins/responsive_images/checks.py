"""Checks the images staff put into the body of a Markdown file: each needs a
description (alt text) and must be a JPEG, PNG or WebP file under content/, so
it can be resized and served from our own site (no third-party requests)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from PIL import Image, UnidentifiedImageError

from .derivatives import SOURCE_FORMATS
from .rewrite import find_images

_LINK_PREFIX = re.compile(
    r"^(\{(static|filename|attach)\}|\|(static|filename|attach)\|)"
)
EXAMPLE = "![What the photo shows](/images/news/my-photo.jpg)"


@dataclass
class ImageProblem:
    src: str
    field: str
    message: str
    allowed: str


def content_path(src: str, source_path: str, content_root: str) -> str | None:
    """The file under content/ an image src in Markdown points at, or None
    when it points elsewhere (another site, a data: URL)."""
    src = _LINK_PREFIX.sub("", src.strip())
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        return os.path.normpath(os.path.join(content_root, path.lstrip("/")))
    return os.path.normpath(os.path.join(os.path.dirname(source_path), path))


def check_body_images(
    html: str, source_path: str, content_root: str
) -> list[ImageProblem]:
    problems = []
    for tag in find_images(html):
        attrs = dict(tag.attrs)
        src = attrs.get("src") or ""
        if not (attrs.get("alt") or "").strip():
            problems.append(
                ImageProblem(
                    src,
                    "image",
                    f"{src!r} has no description (alt text)",
                    f"describe what it shows between the brackets: {EXAMPLE}",
                )
            )
        if src.startswith("data:"):
            continue
        path = content_path(src, source_path, content_root)
        root = os.path.abspath(content_root) + os.sep
        if path is None or not os.path.abspath(path).startswith(root):
            problems.append(
                ImageProblem(
                    src,
                    "image",
                    f"{src!r} is not a file under content/ (images from other "
                    "sites would tell them about our visitors)",
                    f"save the image under content/images/ and link it: {EXAMPLE}",
                )
            )
            continue
        problem = _check_file(path)
        if problem:
            problems.append(ImageProblem(src, "image", f"{src!r} {problem}", EXAMPLE))
    return problems


def _check_file(path: str) -> str | None:
    if not os.path.isfile(path):
        return "does not exist in content/"
    try:
        with Image.open(path) as img:
            kind = img.format
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        return f"cannot be read as an image ({error})"
    if kind not in SOURCE_FORMATS:
        return f"is a {kind} image; use a JPEG, PNG or WebP file"
    return None


def line_of(source_path: str, needle: str) -> int | None:
    """The first line of the source file that mentions ``needle``."""
    try:
        with open(source_path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if needle and needle in line:
                    return number
    except (OSError, UnicodeDecodeError):
        return None
    return None
