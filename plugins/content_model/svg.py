"""Checks an SVG logo against an allowlist before the site publishes it.

An SVG file is a document, not just a picture: opened on its own from our
domain (the published logo can be) it can run scripts, animate a link into
place, and pull in files from other servers. Logos come from members, so an
SVG is accepted only when every piece of it is on the lists below: static
drawing, self-contained, inert. Its size is read so templates can reserve
its space.

The file is read by expat (Python's XML parser) event by event, so a problem
stops the reading at once: nothing is expanded, nothing is fetched, and the
size and depth limits hold before a large document is built.

Allowed
-------

- Elements of the SVG namespace: ``svg``, ``g``, ``defs``, ``title``,
  ``desc``, ``metadata``, ``path``, ``rect``, ``circle``, ``ellipse``,
  ``line``, ``polyline``, ``polygon``, ``text``, ``tspan``,
  ``linearGradient``, ``radialGradient``, ``stop``, ``clipPath``, ``mask``,
  ``pattern``, ``symbol``, ``use``.
- Their geometry and presentation attributes from an explicit list
  (``ATTRIBUTES``: ``d``, ``x``, ``fill``, ``stroke-width``, ``transform``,
  ``style`` ...), ``xml:space``/``xml:lang``, and ``href``/``xlink:href``
  (on ``use``, gradients and patterns only) naming a part of the same file
  (``#id``).
- Inkscape's and the RDF/Dublin Core metadata editors' own elements and
  attributes (namespaces ``sodipodi``, ``inkscape``, ``rdf``, ``cc``, ``dc``).
  Decision: allowed, as inert metadata. Browsers give elements of unknown
  namespaces no behaviour at all, and Inkscape's usual export carries them,
  so refusing them would send every Inkscape logo back for no safety gain.
- Comments, the XML declaration, and a DOCTYPE without declarations of its
  own (``<!DOCTYPE svg PUBLIC ...>``, as Illustrator writes it; the DTD is
  never fetched).

Refused, each with the fix "export the logo again as a plain SVG, or use a PNG"
-------------------------------------------------------------------------------

- every other element: ``script``, ``foreignObject``, ``image`` (it loads a
  file, also as ``data:``), ``a``, ``iframe``, ``feImage`` and the other
  filters, the animation elements (``animate``, ``set``,
  ``animateTransform``, ``animateMotion``, ``discard``: they can change an
  attribute, such as a link, after the check), and ``style``. Decision on
  ``<style>``: refused entirely, as simplest and safe; presentation attributes
  and ``style=""`` attributes cover what logos need (Illustrator: export with
  "Styling: Presentation Attributes"). Elements of any other namespace
  (XHTML, MathML ...) are refused too: an XHTML ``<script>`` runs anywhere in
  an SVG document;
- event handlers (``onload=``, ``onclick=`` ...) and every attribute not on
  the list;
- an ``href`` that is not ``#id`` in the same file;
- ``data:`` in any attribute; in ``style=`` and presentation attributes, a
  CSS ``url(...)`` other than ``url(#id)``, any backslash (a CSS escape can
  spell anything), ``@import`` and ``expression(``;
- entity declarations (``<!ENTITY``) and any DOCTYPE with declarations of its
  own; processing instructions (``<?xml-stylesheet ...?>`` loads a
  stylesheet), other than the XML declaration;
- files over 1 MB and elements nested deeper than 64, with a plain message.
"""

from __future__ import annotations

import os
import re
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Metadata editors' namespaces: inert, allowed (see the module docstring).
INERT_NS = frozenset(
    {
        "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
        "http://www.inkscape.org/namespaces/inkscape",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://creativecommons.org/ns#",
        "http://web.resource.org/cc/",
        "http://purl.org/dc/elements/1.1/",
    }
)

MAX_BYTES = 1_000_000
MAX_DEPTH = 64
FIX = "export the logo again as a plain SVG, or use a PNG"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ELEMENTS = _words(
    "svg g defs title desc metadata path rect circle ellipse line polyline "
    "polygon text tspan linearGradient radialGradient stop clipPath mask "
    "pattern symbol use"
)
LINKING_ELEMENTS = frozenset({"use", "linearGradient", "radialGradient", "pattern"})
# Presentation attributes: CSS values, checked for url(), escapes and @import.
PRESENTATION = _words(
    """
    fill fill-opacity fill-rule stroke stroke-width stroke-linecap
    stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset
    stroke-opacity opacity clip-path clip-rule mask color display visibility
    stop-color stop-opacity font-family font-size font-weight font-style
    font-variant font-stretch text-anchor dominant-baseline alignment-baseline
    baseline-shift letter-spacing word-spacing text-decoration writing-mode
    direction unicode-bidi overflow shape-rendering text-rendering
    image-rendering color-interpolation color-rendering vector-effect
    paint-order isolation mix-blend-mode style
    """
)
ATTRIBUTES = PRESENTATION | _words(
    """
    id class version baseProfile viewBox preserveAspectRatio width height x y
    x1 y1 x2 y2 cx cy r rx ry fx fy fr d points pathLength transform dx dy
    rotate textLength lengthAdjust offset gradientUnits gradientTransform
    spreadMethod patternUnits patternContentUnits patternTransform
    clipPathUnits maskUnits maskContentUnits href
    role aria-label aria-labelledby aria-describedby aria-hidden focusable lang
    """
)
_WHY = {
    "script": "",
    "foreignObject": "",
    "image": " (it loads a picture file)",
    "style": " (in Illustrator, export with Styling: Presentation Attributes)",
    "animate": " (animation can change the drawing and its links after the check)",
    "set": " (animation can change the drawing and its links after the check)",
    "animateTransform": " (animation can change the drawing after the check)",
    "animateMotion": " (animation can change the drawing after the check)",
    "discard": " (animation can change the drawing after the check)",
}
_FRAGMENT = re.compile(r"#[A-Za-z_][A-Za-z0-9_.:-]*")
# Linear: no part of the pattern can match the same text two ways.
_URL = re.compile(r"url\(\s*(['\"]?)([^'\"()\s]*)\1\s*\)", re.IGNORECASE)
_LENGTH = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(px)?\s*")


class _Refused(Exception):
    """Stops the reading: what is wrong (without the file's name)."""


def _split(name: str) -> tuple[str, str]:
    """'namespace}local' (expat's form) -> ('namespace', 'local')."""
    namespace, _, local = name.rpartition("}")
    return namespace, local


# CSS functions a drawing's attributes may use: colours, transforms and
# url(#id) to a gradient, clip path or mask in the file. Any other (image-set(),
# image(), cross-fade()...) may load a file from elsewhere.
CSS_FUNCTIONS = frozenset(
    [
        "url",
        "rgb",
        "rgba",
        "hsl",
        "hsla",
        "translate",
        "translatex",
        "translatey",
        "scale",
        "scalex",
        "scaley",
        "rotate",
        "skewx",
        "skewy",
        "matrix",
        "calc",
    ]
)
# A function's name, from its first letter only (so a long run of letters
# is read once, not once from each of its letters).
_FUNCTION = re.compile(r"(?<![a-z0-9_-])([a-z0-9_-]+)\s*\(")
MAX_CSS = 2_000  # characters in one style or presentation value


def _css_problem(attribute: str, value: str) -> str | None:
    if len(value) > MAX_CSS:
        return f"its {attribute} attribute is {len(value):,} characters long"
    lower = value.lower()
    if "\\" in value:
        return f"its {attribute} attribute contains a backslash (a CSS escape)"
    if "@import" in lower or "expression(" in lower:
        return f"its {attribute} attribute loads another file"
    unknown = sorted({f for f in _FUNCTION.findall(lower) if f not in CSS_FUNCTIONS})
    if unknown:
        return f"its {attribute} attribute uses the CSS function {unknown[0]}()"
    if "url(" in lower:
        targets = [match[2] for match in _URL.finditer(value)]
        if lower.count("url(") != len(targets) or not all(
            _FRAGMENT.fullmatch(target) for target in targets
        ):
            return f"its {attribute} attribute loads another file"
    return None


MAX_USES = 500  # <use> elements in one drawing


class _Checker:
    def __init__(self):
        self.depth = 0
        self.root: dict | None = None
        self.internal_subset = False
        self.open_ids: list[str | None] = []  # the id of each open element
        self.holding_use: set[str] = set()  # ids of parts with a <use> inside
        self.used: list[str] = []  # the ids <use> elements show

    def start(self, name: str, attributes: dict) -> None:
        self.depth += 1
        self.open_ids.append(attributes.get("id"))
        if _split(name)[1] == "use":
            self.holding_use.update(i for i in self.open_ids[:-1] if i)
            href = next(
                (v for k, v in attributes.items() if _split(k)[1] == "href"), ""
            )
            self.used.append(href.removeprefix("#"))
            if len(self.used) > MAX_USES:
                raise _Refused(f"repeats parts more than {MAX_USES} times (<use>)")
        if self.depth > MAX_DEPTH:
            raise _Refused(
                f"nests its elements more than {MAX_DEPTH} deep, more than a logo needs"
            )
        namespace, local = _split(name)
        if self.root is None:
            if namespace != SVG_NS or local != "svg":
                raise _Refused("is not an SVG image")
            self.root = attributes
        for attribute, value in attributes.items():
            self.active(namespace, local, attribute, value)
        if namespace not in INERT_NS:
            if namespace != SVG_NS:
                raise _Refused(f"contains an element of another kind (<{local}>)")
            if local not in ELEMENTS:
                raise _Refused(f"contains a <{local}> element{_WHY.get(local, '')}")
        for attribute, value in attributes.items():
            self.attribute(namespace, attribute, value)

    def active(self, namespace: str, element: str, name: str, value: str) -> None:
        """Attributes that run code or reach outside, on any element."""
        attribute_ns, local = _split(name)
        if local.lower().startswith("on"):
            raise _Refused(f"has a script in its {local} attribute")
        if local == "href" and attribute_ns in ("", XLINK_NS):
            if not _FRAGMENT.fullmatch(value):
                raise _Refused(f"links to another file ({value!r})")
            if namespace == SVG_NS and element in ELEMENTS - LINKING_ELEMENTS:
                raise _Refused(f"has a {local} attribute, which logos do not need")
        elif "data:" in value.lower().replace(" ", ""):
            raise _Refused(f"embeds a file in its {local} attribute")

    def attribute(self, namespace: str, name: str, value: str) -> None:
        """The allowlist of an allowed element's attributes."""
        attribute_ns, local = _split(name)
        if namespace in INERT_NS or attribute_ns in INERT_NS:
            return
        if attribute_ns == XML_NS and local in ("space", "lang"):
            return
        if local == "href" and attribute_ns in ("", XLINK_NS):
            return  # checked above
        if attribute_ns or local not in ATTRIBUTES:
            raise _Refused(f"has a {local} attribute, which logos do not need")
        if local in PRESENTATION:
            problem = _css_problem(local, value)
            if problem:
                raise _Refused(problem)

    def end(self, _name: str) -> None:
        self.depth -= 1
        self.open_ids.pop()

    def finish(self) -> None:
        """A <use> of a part that itself holds a <use> can multiply the
        drawing beyond what a browser can show (ten copies of ten copies...)."""
        if any(target in self.holding_use for target in self.used):
            raise _Refused(
                "repeats a part that itself repeats others (<use> in <use>), "
                "which can make it too big to show"
            )

    def doctype(self, _name, _system, _public, has_internal_subset) -> None:
        self.internal_subset = bool(has_internal_subset)

    def doctype_end(self) -> None:
        if self.internal_subset:
            raise _Refused("has a DOCTYPE with declarations of its own")

    def entity(self, *_args) -> None:
        raise _Refused("declares XML entities")

    def instruction(self, target: str, _data: str) -> None:
        raise _Refused(f"contains a processing instruction (<?{target} ...?>)")


def _read(data: bytes) -> dict:
    """The root's attributes, or _Refused / expat.ExpatError."""
    checker = _Checker()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = checker.start
    parser.EndElementHandler = checker.end
    parser.StartDoctypeDeclHandler = checker.doctype
    parser.EndDoctypeDeclHandler = checker.doctype_end
    parser.EntityDeclHandler = checker.entity
    parser.UnparsedEntityDeclHandler = checker.entity
    parser.ProcessingInstructionHandler = checker.instruction
    parser.Parse(data, True)
    checker.finish()
    return checker.root or {}


def _length(value: str | None) -> float | None:
    match = _LENGTH.fullmatch(value or "")
    return float(match[1]) if match else None


def _size(root: dict) -> tuple[float, float] | None:
    width, height = _length(root.get("width")), _length(root.get("height"))
    if width and height:
        return width, height
    numbers = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        _x, _y, width, height = (float(n) for n in numbers)
    except ValueError:
        return None
    return (width, height) if width > 0 and height > 0 else None


def check_svg(path: str, relative: str) -> tuple[dict, str | None]:
    """Width, height and type of a safe SVG file, or what is wrong with it.

    ``relative`` is the path as staff wrote it, for the message.
    """
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        return {}, (
            f"file {relative!r} is {size / 1_000_000:.1f} MB, more than the "
            f"{MAX_BYTES // 1_000_000} MB a logo may be: {FIX}"
        )
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        root = _read(data)
    except _Refused as refused:
        return {}, f"file {relative!r} {refused}: {FIX}"
    except expat.ExpatError as err:
        return {}, f"file {relative!r} cannot be read as SVG ({err})"
    size_read = _size(root)
    if size_read is None:
        return {}, (
            f"file {relative!r} has no size: give its <svg> element a viewBox, "
            "or a width and height in pixels"
        )
    return {
        "image_width": max(1, round(size_read[0])),
        "image_height": max(1, round(size_read[1])),
        "image_type": "image/svg+xml",
        "image_bytes": size,
    }, None
