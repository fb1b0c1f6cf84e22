"""Checks an SVG logo before the site publishes it.

An SVG file is a document, not just a picture: opened on its own from our
domain it can run scripts, and it can pull in files from other servers. Logos
come from members, so an SVG is accepted only when it is self-contained and
inert, and its size is read so that templates can reserve its space.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET

SVG_ROOT = "{http://www.w3.org/2000/svg}svg"
# Elements that run code or embed other documents.
FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "audio"}
# url(...) in CSS that points anywhere but inside the file itself.
_EXTERNAL_CSS = re.compile(r"url\(\s*['\"]?\s*(?!#|data:)|@import", re.IGNORECASE)
_LENGTH = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(px)?\s*")

FIX = "export the logo again as a plain SVG, or use a PNG"


def _local(name: str) -> str:
    """'{namespace}local' -> 'local'."""
    return name.rsplit("}", 1)[-1]


def _length(value: str | None) -> float | None:
    match = _LENGTH.fullmatch(value or "")
    return float(match[1]) if match else None


def _size(root: ET.Element) -> tuple[float, float] | None:
    width, height = _length(root.get("width")), _length(root.get("height"))
    if width and height:
        return width, height
    numbers = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        _x, _y, width, height = (float(n) for n in numbers)
    except ValueError:
        return None
    return (width, height) if width > 0 and height > 0 else None


def _unsafe(root: ET.Element) -> str | None:
    """What makes the drawing active or not self-contained, or None."""
    for element in root.iter():
        name = _local(element.tag)
        if name in FORBIDDEN_ELEMENTS:
            return f"contains a <{name}> element"
        if name == "style" and _EXTERNAL_CSS.search(element.text or ""):
            return "its styles load another file"
        for attribute, value in element.attrib.items():
            attribute = _local(attribute)
            if attribute.lower().startswith("on"):
                return f"has a script in its {attribute} attribute"
            if attribute == "href" and not value.startswith(("#", "data:image/")):
                return f"links to another file ({value!r})"
            if _EXTERNAL_CSS.search(value):
                return f"its {attribute} attribute loads another file"
    return None


def check_svg(path: str, relative: str) -> tuple[dict, str | None]:
    """Width, height and type of a safe SVG file, or what is wrong with it.

    ``relative`` is the path as staff wrote it, for the message.
    """
    with open(path, "rb") as handle:
        data = handle.read()
    if b"<!ENTITY" in data:
        return {}, f"file {relative!r} declares XML entities: {FIX}"
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        return {}, f"file {relative!r} cannot be read as SVG ({err})"
    if root.tag != SVG_ROOT:
        return {}, f"file {relative!r} is not an SVG image"
    problem = _unsafe(root)
    if problem:
        return {}, f"file {relative!r} {problem}: {FIX}"
    size = _size(root)
    if size is None:
        return {}, (
            f"file {relative!r} has no size: give its <svg> element a viewBox, "
            "or a width and height in pixels"
        )
    return {
        "image_width": max(1, round(size[0])),
        "image_height": max(1, round(size[1])),
        "image_type": "image/svg+xml",
        "image_bytes": os.path.getsize(path),
    }, None
