"""content_model.svg: the SVG logo allowlist."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from content_model.svg import MAX_BYTES, MAX_DEPTH, check_svg

FIX = "export the logo again as a plain SVG, or use a PNG"
NS = 'xmlns="http://www.w3.org/2000/svg"'
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'


def svg(inner: str, attributes: str = 'viewBox="0 0 10 10"') -> str:
    return f"<svg {NS} {XLINK} {attributes}>{inner}</svg>"


@pytest.fixture
def check(tmp_path):
    def check(text: str | bytes, name: str = "logo.svg"):
        path = tmp_path / name
        data = text.encode("utf-8") if isinstance(text, str) else text
        path.write_bytes(data)
        return check_svg(str(path), f"images/members/{name}")

    return check


SAMPLES = sorted((ROOT / "content" / "images" / "members").glob("*.svg"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_the_sample_logos_pass(path):
    facts, problem = check_svg(str(path), f"images/members/{path.name}")
    assert problem is None
    assert facts["image_type"] == "image/svg+xml"
    assert facts["image_bytes"] == path.stat().st_size
    assert facts["image_width"] > 0 and facts["image_height"] > 0


INKSCAPE = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
<svg width="120mm" height="40mm" viewBox="0 0 120 40" version="1.1" id="svg5"
   inkscape:version="1.3 (0e150ed6c4, 2023-07-21)"
   sodipodi:docname="logo.svg"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns:xlink="http://www.w3.org/1999/xlink"
   xmlns="http://www.w3.org/2000/svg" xmlns:svg="http://www.w3.org/2000/svg"
   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
   xmlns:cc="http://creativecommons.org/ns#"
   xmlns:dc="http://purl.org/dc/elements/1.1/">
  <sodipodi:namedview id="namedview7" pagecolor="#ffffff" inkscape:zoom="1.2"/>
  <metadata><rdf:RDF><cc:Work rdf:about=""><dc:title>Logo</dc:title>
  </cc:Work></rdf:RDF></metadata>
  <defs id="defs2">
    <linearGradient id="lg1" inkscape:collect="always">
      <stop style="stop-color:#c7372c;stop-opacity:1" offset="0" id="stop1"/>
      <stop style="stop-color:#ff5a4e;stop-opacity:1" offset="1" id="stop2"/>
    </linearGradient>
    <linearGradient xlink:href="#lg1" id="lg2" x1="0" y1="0" x2="120" y2="0"
       gradientUnits="userSpaceOnUse"/>
    <clipPath id="clip"><rect width="120" height="40"/></clipPath>
  </defs>
  <g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1"
     clip-path="url(#clip)">
    <path style="fill:url(#lg2);stroke:none;stroke-width:0.26"
       d="M 0,0 H 120 V 40 H 0 Z" id="rect1" sodipodi:nodetypes="ccccc"/>
    <text xml:space="preserve" x="10" y="28" style="font-size:16px;fill:#0b1f3a"
       id="text1"><tspan x="10" y="28" id="tspan1">Fjordfox</tspan></text>
    <use href="#rect1" transform="translate(0 1)" opacity="0.2"/>
  </g>
</svg>
"""

ILLUSTRATOR = """<?xml version="1.0" encoding="utf-8"?>
<!-- Generator: Adobe Illustrator 27.0.0, SVG Export Plug-In . SVG Version: 6.00 -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg version="1.1" id="Layer_1" xmlns="http://www.w3.org/2000/svg"
  xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px"
  viewBox="0 0 200 80" xml:space="preserve">
<g><polygon fill="#C7372C" points="0,80 40,0 80,80"/>
<circle fill="#0F6F6F" cx="140" cy="40" r="30"/></g>
</svg>
"""


@pytest.mark.parametrize(
    ("text", "size"),
    [
        (INKSCAPE, (120, 40)),  # millimetres: the viewBox gives the proportions
        (ILLUSTRATOR, (200, 80)),
        (svg("<rect width='1' height='1'/>", 'width="64px" height="32"'), (64, 32)),
        (svg("", 'viewBox="0,0,300.4,99.6"'), (300, 100)),
        (svg("", 'viewBox="0 0 0.2 0.2"'), (1, 1)),
    ],
    ids=[
        "inkscape export",
        "illustrator export",
        "width and height",
        "viewBox",
        "tiny",
    ],
)
def test_a_plain_logo_passes_with_its_size(check, text, size):
    facts, problem = check(text)
    assert problem is None
    assert (facts["image_width"], facts["image_height"]) == size
    assert facts["image_type"] == "image/svg+xml"
    assert facts["image_bytes"] == len(text.encode("utf-8"))


def test_a_logo_without_a_size_says_how_to_give_one(check):
    assert check(svg("", 'width="100%"')) == (
        {},
        "file 'images/members/logo.svg' has no size: give its <svg> element a "
        "viewBox, or a width and height in pixels",
    )


# Each hostile kind: the file and what the message says between the file's
# name and the fix. The first four are the members tests' own.
HOSTILE = {
    "script": (svg("<script>alert(1)</script>"), "contains a <script> element"),
    "script of XHTML": (
        svg('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>'),
        "contains an element of another kind (<script>)",
    ),
    "script hidden in metadata": (
        svg(
            '<metadata><h:script xmlns:h="http://www.w3.org/1999/xhtml">x'
            "</h:script></metadata>"
        ),
        "contains an element of another kind (<script>)",
    ),
    "event attribute": (
        svg('<rect width="10" height="10" onclick="alert(1)"/>'),
        "has a script in its onclick attribute",
    ),
    "event attribute in capitals": (
        svg("", 'viewBox="0 0 10 10" ONLOAD="alert(1)"'),
        "has a script in its ONLOAD attribute",
    ),
    "event attribute on metadata": (
        svg(
            '<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/'
            'DTD/sodipodi-0.dtd" onload="alert(1)"/>'
        ),
        "has a script in its onload attribute",
    ),
    "external image": (
        svg('<image xlink:href="https://tracker.example/pixel.png"/>'),
        "links to another file ('https://tracker.example/pixel.png')",
    ),
    "embedded image": (
        svg('<image href="#x"/>'),
        "contains a <image> element (it loads a picture file)",
    ),
    "data: image": (
        svg('<image href="data:image/png;base64,iVBORw0KGgo="/>'),
        "links to another file ('data:image/png;base64,iVBORw0KGgo=')",
    ),
    "foreign object": (svg("<foreignObject/>"), "contains a <foreignObject> element"),
    "link": (svg('<a href="#x"><rect/></a>'), "contains a <a> element"),
    "javascript link": (
        svg('<a xlink:href="javascript:alert(1)"><rect/></a>'),
        "links to another file ('javascript:alert(1)')",
    ),
    "filter with feImage": (
        svg('<filter id="f"><feImage href="#x"/></filter>'),
        "contains a <filter> element",
    ),
    "style element": (
        svg("<style>rect { fill: red }</style>"),
        "contains a <style> element (in Illustrator, export with Styling: "
        "Presentation Attributes)",
    ),
    "animate": (
        svg('<a><animate attributeName="href" to="javascript:alert(1)"/></a>'),
        "contains a <a> element",
    ),
    "set": (
        svg('<rect><set attributeName="fill" to="red"/></rect>'),
        "contains a <set> element (animation can change the drawing and its "
        "links after the check)",
    ),
    "animateTransform": (
        svg("<g><animateTransform/></g>"),
        "contains a <animateTransform> element (animation can change the drawing "
        "after the check)",
    ),
    "animateMotion": (
        svg("<animateMotion/>"),
        "contains a <animateMotion> element (animation can change the drawing "
        "after the check)",
    ),
    "discard": (
        svg("<discard/>"),
        "contains a <discard> element (animation can change the drawing after "
        "the check)",
    ),
    "animation in another case": (
        svg("<ANIMATE/>"),
        "contains a <ANIMATE> element",
    ),
    "use of another file": (
        svg('<use href="https://evil.example/sprite.svg#logo"/>'),
        "links to another file ('https://evil.example/sprite.svg#logo')",
    ),
    "use of data:": (
        svg('<use xlink:href="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"/>'),
        "links to another file ('data:image/svg+xml,<svg onload=alert(1)>')",
    ),
    "href where no link belongs": (
        svg('<rect href="#a"/>'),
        "has a href attribute, which logos do not need",
    ),
    "data: in an attribute": (
        svg('<rect fill="url(data:image/png;base64,AAAA)"/>'),
        "embeds a file in its fill attribute",
    ),
    "css url() to another file": (
        svg('<rect fill="url(https://tracker.example/p.svg#g)"/>'),
        "its fill attribute loads another file",
    ),
    "css url() in a style attribute": (
        svg("<rect style=\"fill: url('//tracker.example/p.svg#g')\"/>"),
        "its style attribute loads another file",
    ),
    "css escape": (
        svg('<rect style="fill: u\\72l(https://tracker.example/)"/>'),
        "its style attribute contains a backslash (a CSS escape)",
    ),
    "css @import": (
        svg("<rect style=\"@import 'https://tracker.example/x.css'\"/>"),
        "its style attribute loads another file",
    ),
    "css expression": (
        svg('<rect style="width: expression(alert(1))"/>'),
        "its style attribute loads another file",
    ),
    "unknown attribute": (
        svg('<rect width="1" height="1" requiredExtensions="x"/>'),
        "has a requiredExtensions attribute, which logos do not need",
    ),
    "attribute of another namespace": (
        svg('<rect xlink:show="new"/>'),
        "has a show attribute, which logos do not need",
    ),
    "entities": (
        '<!DOCTYPE svg [<!ENTITY a "aaaa">]>' + svg(""),
        "declares XML entities",
    ),
    "billion laughs": (
        '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]>' + svg("<text>&c;</text>"),
        "declares XML entities",
    ),
    "external entity": (
        '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + svg("<text>&x;</text>"),
        "declares XML entities",
    ),
    "doctype with its own declarations": (
        '<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]>' + svg(""),
        "has a DOCTYPE with declarations of its own",
    ),
    "processing instruction": (
        '<?xml version="1.0"?><?xml-stylesheet href="https://evil.example/x.css"?>'
        + svg(""),
        "contains a processing instruction (<?xml-stylesheet ...?>)",
    ),
    "not svg": (
        '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
        "is not an SVG image",
    ),
    "svg without its namespace": ('<svg viewBox="0 0 1 1"/>', "is not an SVG image"),
    "too deep": (
        svg("<g>" * (MAX_DEPTH + 1) + "</g>" * (MAX_DEPTH + 1)),
        f"nests its elements more than {MAX_DEPTH} deep, more than a logo needs",
    ),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_logo_is_refused_with_the_fix(check, kind):
    text, problem = HOSTILE[kind]
    assert check(text) == ({}, f"file 'images/members/logo.svg' {problem}: {FIX}")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(check):
    text = svg("<!--" + "x" * MAX_BYTES + "-->")
    assert check(text) == (
        {},
        f"file 'images/members/logo.svg' is 1.0 MB, more than the 1 MB a logo may "
        f"be: {FIX}",
    )


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", "no element found: line 1, column 0"),
        (b"<svg", "unclosed token: line 1, column 0"),
        (b"\x89PNG\r\n\x1a\n", "not well-formed (invalid token): line 1, column 0"),
        (f"<svg {NS}>&undefined;</svg>".encode(), "undefined entity: line 1, column"),
    ],
    ids=["empty", "cut off", "a PNG named .svg", "undefined entity"],
)
def test_a_file_that_is_not_xml_cannot_be_read(check, data, error):
    facts, problem = check(data)
    assert facts == {}
    assert problem.startswith(
        f"file 'images/members/logo.svg' cannot be read as SVG ({error}"
    )


# --- Properties -----------------------------------------------------------------

PIECES = [
    "<svg",
    NS,
    XLINK,
    ">",
    "</svg>",
    "<rect",
    "/>",
    "<g>",
    "</g>",
    "<script>",
    "</script>",
    " onload=",
    " href=",
    " xlink:href=",
    '"',
    "'",
    "#a",
    "data:",
    "url(",
    ")",
    "\\",
    "<!--",
    "-->",
    "<!DOCTYPE svg [",
    "]>",
    "<!ENTITY a 'x'>",
    "&a;",
    "<?pi x?>",
    " fill=",
    " style=",
    "x",
    " ",
    "<animate/>",
    "<use",
]


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.one_of(
        st.binary(max_size=200),
        st.lists(st.sampled_from(PIECES), max_size=20).map(
            lambda p: "".join(p).encode()
        ),
    )
)
def test_any_file_gives_facts_or_a_problem_never_an_exception(check, data):
    facts, problem = check(data)
    if problem is None:
        assert set(facts) == {
            "image_width",
            "image_height",
            "image_type",
            "image_bytes",
        }
        for banned in (b"<script", b"onload", b"<!ENTITY", b"<?pi", b"<animate"):
            assert banned not in data
    else:
        assert facts == {}
        assert problem.startswith("file 'images/members/logo.svg' ")
