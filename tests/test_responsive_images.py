"""Responsive images: content images are served as a WebP srcset (Pillow)
with width, height and alt, given by the templates and, for pictures in the
text, while Markdown is converted; the first image of a page loads at once,
later ones lazily; derivatives are named and cached by content hash (two
files with the same bytes each get theirs); bad images in the text of a
Markdown file fail the build with the file, the line and the fix."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

import site_build
from build_errors import BuildFailed
from conftest import ROOT, BuiltSite, build_into
from content_model.images import inspect
from responsive_images import derivatives
from responsive_images.settings import check_settings
from support import assert_setting_problem


def config():
    settings = site_build.load_settings(str(ROOT / "pelicanconf.py"))
    setting = check_settings(settings)
    assert setting.problems == []
    return setting.values


RASTER = (".jpg", ".jpeg", ".png", ".webp")  # resized; SVG logos are not


# A resized copy's name: the picture's name, its width, its hash (derivatives.py).
_COPY = re.compile(r"/(?P<stem>[^/]+)-\d+\.(?P<digest>[0-9a-f]{10})\.webp$")


def content_file(content: Path, src: str, siteurl: str = "") -> Path | None:
    """The raster image under content/ behind an img src (the picture
    itself, or one of its resized copies), if it is one."""
    path = urlsplit(src.removeprefix(siteurl)).path
    copy = _COPY.search(path)
    if copy:
        for candidate in (content / "images").rglob(f"{copy['stem']}.*"):
            digest = hashlib.sha256(candidate.read_bytes()).hexdigest()
            if digest.startswith(copy["digest"]):
                return candidate
        return None
    if not path.startswith("/") or not path.lower().endswith(RASTER):
        return None
    candidate = content / path.lstrip("/")
    return candidate if candidate.is_file() else None


def srcset(img) -> list[tuple[str, int]]:
    candidates = []
    for candidate in img["srcset"].split(","):
        url, descriptor = candidate.split()
        assert descriptor.endswith("w")
        candidates.append((url, int(descriptor[:-1])))
    return candidates


def check_responsive(built: BuiltSite, content: Path, img) -> None:
    """One content image: its size attributes and every WebP it offers."""
    source = content_file(content, img["src"], built.siteurl)
    facts = inspect(str(source), source.name)
    width, height = facts.width, facts.height
    assert (img["width"], img["height"]) == (str(width), str(height)), img
    assert img.get("sizes"), img
    assert img.get("alt") is not None, img
    offered = srcset(img)
    widths = [w for _url, w in offered]
    assert widths == sorted(widths) and widths[-1] == min(
        width, max(config()["widths"])
    )
    for url, descriptor in offered:
        assert url.startswith(built.siteurl + "/"), url
        file = built.root / urlsplit(url).path.lstrip("/")
        with Image.open(file) as webp:
            assert webp.format == "WEBP"
            assert webp.width == descriptor <= width
            assert abs(webp.height - height * descriptor / width) <= 1


def content_images(built: BuiltSite, content: Path):
    for file in built.html_files:
        for img in built.soup(file).find_all("img"):
            if content_file(content, img["src"], built.siteurl):
                yield file, img


def test_content_images_offer_a_webp_srcset(site):
    checked = 0
    for _file, img in content_images(site, ROOT / "content"):
        check_responsive(site, ROOT / "content", img)
        checked += 1
    assert checked > len(site.html_files) / 2


def test_theme_images_are_left_alone(site):
    logo = site.soup("/").select_one(".site-header img")
    assert logo is not None and not logo.get("srcset") and not logo.get("loading")


def test_production_srcsets_are_absolute(production_site):
    images = list(content_images(production_site, ROOT / "content"))
    assert images
    for _file, img in images[:20]:
        check_responsive(production_site, ROOT / "content", img)


def test_first_image_loads_at_once_and_later_content_images_lazily(site):
    pages_with_images = 0
    for file in site.html_files:
        images = site.soup(file).select("main img")
        if not images:
            continue
        pages_with_images += 1
        first, *later = images
        assert first.get("loading") != "lazy", site.url_of(file)
        assert first.get("fetchpriority") == "high", site.url_of(file)
        for img in later:
            if img.get("srcset"):
                assert img.get("loading") == "lazy", (site.url_of(file), img)
    assert pages_with_images > 10


# --- Images in the text of a Markdown file ---------------------------------

BODY_ARTICLE = "news/spilbar-odense-march.md"
BODY_PAGE = "pages/about.md"


def add_body_image(content: Path, relative: str, markdown: str) -> int:
    """Append an image paragraph to a file; returns its line number."""
    path = content / relative
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{text}\n\n{markdown}\n", encoding="utf-8")
    return text.count("\n") + 3


def test_images_in_the_text_are_responsive_too(content_copy, tmp_path):
    photo = "/images/news/spilbar-odense-march.jpg"
    add_body_image(
        content_copy, BODY_ARTICLE, f"![A crowd at the demo corner]({photo})"
    )
    about = content_copy / BODY_PAGE
    header, body = about.read_text(encoding="utf-8").split("\n\n", 1)
    header = "\n".join(
        line for line in header.splitlines() if not line.startswith("Image")
    )
    about.write_text(f"{header}\n\n![Our team at Spilbar]({photo})\n\n{body}", "utf-8")
    build_into(tmp_path / "out", PATH=str(content_copy))
    built = BuiltSite(tmp_path / "out")

    article = built.soup("news/spilbar-odense-march/").select("main img")
    assert [img["alt"] for img in article][-1] == "A crowd at the demo corner"
    check_responsive(built, content_copy, article[-1])
    assert article[-1]["loading"] == "lazy"  # below the featured image
    assert article[-1]["sizes"] == config()["sizes"]  # the text column's width

    page_images = built.soup("about/").select("main img")
    assert page_images[0]["alt"] == "Our team at Spilbar"
    check_responsive(built, content_copy, page_images[0])
    assert "loading" not in page_images[0].attrs  # the first image of the page


def _gif(content: Path) -> str:
    Image.new("RGB", (40, 30), "navy").save(content / "images/news/anim.gif")
    return "/images/news/anim.gif"


def _not_an_image(content: Path) -> str:
    (content / "images/news/notes.jpg").write_text("not a picture", encoding="utf-8")
    return "/images/news/notes.jpg"


BAD_BODY_IMAGES = {
    "no alt text": (
        lambda content: "/images/news/spilbar-odense-march.jpg",
        "",
        "has no description (alt text)",
        "describe what it shows between the brackets",
    ),
    "image from another site": (
        lambda content: "https://images.example.com/photo.jpg",
        "A photo",
        "is not a file under content/",
        "save the image under content/images/",
    ),
    "missing file": (
        lambda content: "/images/news/no-such-photo.jpg",
        "A photo",
        "does not exist in content/",
        "![What the photo shows](images/news/my-photo.jpg)",
    ),
    "a different ending": (
        lambda content: "images/brand/default-share.jpg",
        "A photo",
        "does not exist in content/ (did you mean 'images/brand/default-share.png'?)",
        "![What the photo shows](images/news/my-photo.jpg)",
    ),
    "unsupported format": (
        _gif,
        "A photo",
        "is a GIF image; use a JPEG, PNG or WebP file",
        "![What the photo shows]",
    ),
    "unreadable file": (
        _not_an_image,
        "A photo",
        "cannot be read as an image",
        "![What the photo shows]",
    ),
}


@pytest.mark.parametrize("case", BAD_BODY_IMAGES, ids=list(BAD_BODY_IMAGES))
def test_bad_images_in_the_text_fail_the_build(content_copy, tmp_path, case):
    make_src, alt, problem, fix = BAD_BODY_IMAGES[case]
    src = make_src(content_copy)
    line = add_body_image(content_copy, BODY_ARTICLE, f"![{alt}]({src})")
    with pytest.raises(BuildFailed) as failed:
        build_into(tmp_path / "out", PATH=str(content_copy))
    expected = f"content/{BODY_ARTICLE}:{line}: image: {src!r} {problem}"
    lines = str(failed.value).splitlines()
    matching = [text for text in lines if text.startswith(expected)]
    assert matching, f"no line starting {expected!r} in:\n{failed.value}"
    assert fix in matching[0]
    assert not (tmp_path / "out").exists()


# --- Derivatives ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source_width", "expected"),
    [
        (3000, [480, 800, 1200, 1600]),
        (1600, [480, 800, 1200, 1600]),
        (1000, [480, 800, 1000]),
        (480, [480]),
        (300, [300]),
    ],
)
def test_widths_never_upscale(source_width, expected):
    assert derivatives.plan_widths(source_width, (480, 800, 1200, 1600)) == expected


def test_derivatives_are_named_by_content_and_file(tmp_path):
    """Two files with the same bytes each get their own derivatives (pages
    name them by file); a changed picture gets new names."""
    first, second = tmp_path / "photo.jpg", tmp_path / "copy.jpg"
    Image.new("RGB", (1000, 500), "teal").save(first)
    second.write_bytes(first.read_bytes())
    widths = (200, 600, 1200)
    planned = [
        derivatives.plan(str(p), inspect(str(p), p.name), widths, "images/sized")
        for p in (first, second)
    ]
    assert [d.width for d in planned[0].derivatives] == [200, 600, 1000]
    assert planned[0].digest == planned[1].digest
    names = [{d.name for d in image.derivatives} for image in planned]
    assert names[0].isdisjoint(names[1])
    Image.new("RGB", (1000, 500), "navy").save(first)
    changed = derivatives.plan(str(first), inspect(str(first), "x"), widths, "s")
    assert changed.digest != planned[0].digest


def test_the_same_photo_under_two_names_works_in_both_articles(content_copy, tmp_path):
    """Once, only one set of resized copies was written for one photo saved
    under two names, and one article's pictures were broken."""
    photo = content_copy / "images/news/spilbar-odense-march.jpg"
    (content_copy / "images/news/twin.jpg").write_bytes(photo.read_bytes())
    add_body_image(
        content_copy, BODY_ARTICLE, "![The same photo](/images/news/twin.jpg)"
    )
    build_into(tmp_path / "out", PATH=str(content_copy))
    built = BuiltSite(tmp_path / "out")
    article = built.soup("news/spilbar-odense-march/")
    offered = [img for img in article.select("main img") if img.get("srcset")]
    shown = {content_file(content_copy, img["src"]) for img in offered}
    assert shown >= {
        content_copy / "images/news/spilbar-odense-march.jpg",
        content_copy / "images/news/twin.jpg",
    }
    for img in offered:
        check_responsive(built, content_copy, img)


def test_exif_rotation_and_transparency_are_kept(tmp_path):
    rotated = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown portrait
    Image.new("RGB", (800, 400), "coral").save(rotated, exif=exif)
    transparent = tmp_path / "logo.png"
    Image.new("RGBA", (600, 300), (0, 0, 0, 0)).save(transparent)
    facts = inspect(str(rotated), "rotated.jpg")
    assert (facts.width, facts.height) == (400, 800)
    import io

    portrait = derivatives.encode(derivatives.load(str(rotated)), 200, 400, 80)
    with Image.open(io.BytesIO(portrait)) as made:
        assert made.format == "WEBP" and made.size == (200, 400)
    logo = derivatives.encode(derivatives.load(str(transparent)), 200, 100, 80)
    with Image.open(io.BytesIO(logo)) as made:
        assert made.mode == "RGBA" and made.getpixel((5, 5))[3] == 0


# --- The RESPONSIVE_IMAGES setting ------------------------------------------------

BAD_SETTINGS = {
    "not a dict": ([480], "RESPONSIVE_IMAGES", "must be a dict", "RESPONSIVE_IMAGES ="),
    "unknown key": (
        {"width": (480,)},
        "RESPONSIVE_IMAGES['width']",
        "unknown key 'width'",
        "did you mean 'widths'?",
    ),
    "widths not ascending": (
        {"widths": (800, 480)},
        "RESPONSIVE_IMAGES['widths']",
        "invalid value (800, 480)",
        "ascending",
    ),
    "widths not numbers": (
        {"widths": ("480",)},
        "RESPONSIVE_IMAGES['widths']",
        "invalid value ('480',)",
        "whole numbers of pixels",
    ),
    "quality": (
        {"quality": 0},
        "RESPONSIVE_IMAGES['quality']",
        "invalid value 0",
        "from 1 to 100",
    ),
    "sizes": (
        {"sizes": ""},
        "RESPONSIVE_IMAGES['sizes']",
        "invalid value ''",
        "sizes attribute",
    ),
    "output folder": (
        {"output_dir": "../out"},
        "RESPONSIVE_IMAGES['output_dir']",
        "invalid value '../out'",
        "relative folder",
    ),
}


@pytest.mark.parametrize("case", BAD_SETTINGS, ids=list(BAD_SETTINGS))
def test_each_bad_setting_is_named_with_its_value_and_the_fix(case):
    value, field, problem, fix = BAD_SETTINGS[case]
    setting = check_settings({"RESPONSIVE_IMAGES": value})
    assert_setting_problem(setting, field, problem, fix)


def test_a_bad_setting_fails_the_build(tmp_path):
    with pytest.raises(BuildFailed) as failed:
        build_into(
            tmp_path / "out",
            PATH=str(ROOT / "content"),
            RESPONSIVE_IMAGES={**config(), "quality": 101},
        )
    assert (
        "pelicanconf.py: RESPONSIVE_IMAGES['quality']: responsive_images: "
        "invalid value 101: a whole number from 1 to 100"
    ) in str(failed.value)


def test_a_content_folder_named_like_the_output_folder_fails_the_build(
    content_copy, tmp_path
):
    (content_copy / "images" / "sized").mkdir()
    with pytest.raises(BuildFailed) as failed:
        build_into(tmp_path / "out", PATH=str(content_copy))
    assert "RESPONSIVE_IMAGES['output_dir']" in str(failed.value)
    assert "content/images/sized exists" in str(failed.value)


def test_one_rule_for_picture_paths_in_the_header_and_the_text(content_copy, tmp_path):
    """images/news/photo.jpg works in the text as in the header, and a
    leading / in the header as in the text."""
    photo = "images/news/spilbar-odense-march.jpg"
    add_body_image(
        content_copy, BODY_ARTICLE, f"![A crowd at the demo corner]({photo})"
    )
    article = content_copy / BODY_ARTICLE
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace("\nImage: images/", "\nImage: /images/", 1), "utf-8"
    )
    build_into(tmp_path / "out", PATH=str(content_copy))
    built = BuiltSite(tmp_path / "out")
    images = built.soup("news/spilbar-odense-march/").select("main img")
    header = content_file(content_copy, images[0]["src"])
    assert header == content_copy / "images/news/spilbar-odense-march.jpg"
    assert images[-1]["src"] == f"/{photo}"  # the text's, from the site's root
    check_responsive(built, content_copy, images[-1])


def test_pages_and_feeds_name_resized_copies_never_the_original(site):
    """The src of a picture is its widest resized copy (the original may be
    many megabytes); so is the picture at the top of a feed item."""
    for url in ("/", "news/", "news/spilbar-odense-march/", "about/"):
        for img in site.soup(url).select("main img[srcset]"):
            offered = [part.split()[0] for part in img["srcset"].split(", ")]
            assert img["src"] in offered and img["src"].endswith(".webp"), img
    feed = (site.root / "feeds/news.rss.xml").read_text("utf-8")
    leads = re.findall(r'&lt;img src="([^"]+)"', feed) + re.findall(
        r'<img src="([^"]+)"', feed
    )
    assert leads and all(src.endswith(".webp") for src in leads), leads[:3]


def sixteen_bit_greys(path: Path) -> Path:
    """A 256 x 256 PNG of 16-bit greys, black at the top left to white at the
    bottom right (as a scanner may save one)."""
    size = 256 * 256
    data = b"".join(
        (step * 65535 // (size - 1)).to_bytes(2, "little") for step in range(size)
    )
    Image.frombytes("I;16", (256, 256), data).save(path)
    return path


def test_16_bit_greys_keep_their_shades(tmp_path):
    source = sixteen_bit_greys(tmp_path / "scan.png")
    with Image.open(source) as opened:
        assert opened.mode.startswith("I")  # what the test is about
    img = derivatives.load(str(source))
    assert img.mode == "RGB"
    assert img.getpixel((0, 0)) == (0, 0, 0)
    assert img.getpixel((255, 255)) == (255, 255, 255)
    assert img.getpixel((128, 128)) == (128, 128, 128)  # was white


@pytest.mark.parametrize(
    ("mode", "key", "drawn"), [("RGB", (255, 0, 255), (20, 40, 60)), ("L", 7, 200)]
)
def test_a_colour_key_stays_transparent_in_the_resized_copies(
    tmp_path, mode, key, drawn
):
    """A PNG of greys or RGB may mark one colour transparent (a colour key)
    instead of carrying an alpha channel: its copies keep it transparent."""
    img = Image.new(mode, (64, 32), key)
    img.paste(drawn, (32, 0, 64, 32))  # the right half is drawn
    source = tmp_path / "keyed.png"
    img.save(source, transparency=key)
    webp = Image.open(
        io.BytesIO(derivatives.encode(derivatives.load(str(source)), 32, 16, 80))
    )
    assert webp.mode == "RGBA"
    assert webp.getpixel((4, 8))[3] == 0  # the key: transparent
    assert webp.getpixel((28, 8))[3] == 255  # the drawing: opaque


def stored_png(bits: int, colour_type: int, row: bytes, key: bytes) -> bytes:
    """A PNG of one row, written chunk by chunk: Pillow saves no 2-bit greys
    or 16-bit RGB with a colour key."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        sealed = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + sealed

    width = len(row) * 8 // bits // (3 if colour_type == 2 else 1)
    header = struct.pack(">IIBBBBB", width, 1, bits, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tRNS", key)
        + chunk(b"IDAT", zlib.compress(b"\0" + row))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("png", "transparent"),
    [
        # greys 0, 1, 2, 3 of 2 bits; the key: 1
        (stored_png(2, 0, bytes([0b00011011]), b"\0\1"), [False, True, False, False]),
        # greys 0, 1, 2, 3 of 4 bits; the key: 1
        (stored_png(4, 0, bytes([0x01, 0x23]), b"\0\1"), [False, True, False, False]),
        # blues 0x00ff and 0xffff of 16 bits; the key: 0x00ff, which Pillow
        # would take for 8-bit blue 255 (the second, not the first)
        (
            stored_png(
                16,
                2,
                bytes.fromhex("0000000000ff00000000ffff"),
                bytes.fromhex("0000000000ff"),
            ),
            [False, False],
        ),
    ],
)
def test_a_colour_key_is_read_at_the_depth_the_file_stores(png, transparent, tmp_path):
    source = tmp_path / "keyed.png"
    source.write_bytes(png)
    img = derivatives.load(str(source))
    alpha = [img.convert("RGBA").getpixel((x, 0))[3] for x in range(img.width)]
    assert [value == 0 for value in alpha] == transparent
