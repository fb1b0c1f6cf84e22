"""Link previews (theme/templates/partials/meta.html, plugins/share_images):
Open Graph, the X card, fediverse:creator and JSON-LD of every page, read the
way social networks read them (extruct), and the share images behind them."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import extruct
import pytest
import yaml
from PIL import Image, ImageChops, ImageOps, ImageStat

from conftest import ROOT, BuiltSite, build_into
from content_model import model, placement
from content_model.validate import parse_header
from share_images import check_settings
from share_images.render import TooLarge, render
from site_build import load_settings
from support import assert_setting_problem

SETTINGS = load_settings(str(ROOT / "pelicanconf.py"))
SITE = SETTINGS["PRODUCTION_SITEURL"].rstrip("/")
SHARE = check_settings(SETTINGS).values
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
STRINGS = yaml.safe_load((ROOT / "theme/strings.yaml").read_text(encoding="utf-8"))
REQUIRED_OG = (
    "og:title",
    "og:description",
    "og:url",
    "og:type",
    "og:image",
    "og:image:width",
    "og:image:height",
    "og:image:alt",
    "og:locale",
    "og:site_name",
)


def extract(site, file: Path) -> dict:
    html = file.read_text(encoding="utf-8")
    url = SITE + site.url_of(file)
    return extruct.extract(html, base_url=url, syntaxes=["opengraph", "json-ld"])


def opengraph(site, file: Path) -> dict:
    """The page's Open Graph properties: the first value of each, and every
    value of a repeated one under its name + '[]' (article:tag[])."""
    [og] = extract(site, file)["opengraph"]
    properties: dict = {}
    for name, value in og["properties"]:
        properties.setdefault(name, value)
        properties.setdefault(name + "[]", []).append(value)
    return properties


def json_ld(site, file: Path, kind: str) -> list[dict]:
    return [d for d in extract(site, file)["json-ld"] if d.get("@type") == kind]


def meta_name(soup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"name": name})
    return tag["content"] if tag else None


def image_file(site_root: Path, url: str) -> Path:
    assert url.startswith(SITE + "/"), url
    return site_root / urlsplit(url).path.lstrip("/")


def sources_with_images():
    """(URL path, header) of every content file with a featured image, placed
    where the content model places it (an intro page on its listing)."""
    for section in model.SECTIONS:
        for file in sorted((ROOT / "content" / section.folder).glob("*.md")):
            entries, _ = parse_header(file.read_text(encoding="utf-8"))
            header = {e.key.lower(): e.value for e in entries}
            if "image" not in header or header.get("status") == "draft":
                continue
            place = placement(section, file.stem, None)
            yield "/" + place["url"], header


# --- Every page -----------------------------------------------------------


def test_every_page_has_a_complete_link_preview(site):
    for file in site.html_files:
        where = site.url_of(file)
        soup = site.soup(file)
        og = opengraph(site, file)
        if file.name == "404.html":  # served at any address: it has none
            assert "og:url" not in og and not soup.find("link", rel="canonical")
            og["og:url"] = "(none)"
        else:
            assert og["og:url"] == soup.find("link", rel="canonical")["href"], where
        for key in REQUIRED_OG:
            assert og.get(key, "").strip(), (where, key)
        assert og["og:description"] == meta_name(soup, "description"), where
        assert og["og:site_name"] == SETTINGS["SITENAME"]
        assert og["og:locale"] == STRINGS[SETTINGS["DEFAULT_LANG"]]["og_locale"]
        assert meta_name(soup, "twitter:card") == "summary_large_image", where
        assert meta_name(soup, "twitter:image:alt") == og["og:image:alt"], where


def test_every_preview_image_is_1200_by_630_under_1_mb(site):
    seen = set()
    for file in site.html_files:
        og = opengraph(site, file)
        image = image_file(site.root, og["og:image"])
        if image in seen:
            continue
        seen.add(image)
        assert image.stat().st_size < 1_000_000, image
        with Image.open(image) as img:
            assert img.size == (int(og["og:image:width"]), int(og["og:image:height"]))
            assert img.size == (1200, 630)
            assert Image.MIME[img.format] == og["og:image:type"]
    assert len(seen) > 10


def test_share_images_are_kept_in_the_cache_by_hash(site):
    """Rebuilds (every save under `make serve`) reuse rendered share images:
    each one written is also in the build cache, under its full hash, sealed
    with the hash of its bytes (site_build/cache.py)."""
    from site_build.cache import unseal

    cache = Path(os.environ["SITE_BUILD_CACHE"]) / "artefacts.sqlite"
    written = [p for p in (site.root / "share").rglob("*") if p.is_file()]
    assert written
    with closing(sqlite3.connect(cache)) as db:
        for image in written:
            short = image.stem.rsplit("-", 1)[1]
            kind = "share-png" if image.suffix == ".png" else "share-jpeg"
            [(key, data)] = db.execute(
                "SELECT key, data FROM entry WHERE kind = ? AND key LIKE ?",
                (kind, short + "%"),
            ).fetchall()
            assert unseal(data, f"{kind}/{key}") == image.read_bytes(), image


def test_pages_without_a_picture_use_the_branded_default(site):
    images = set()
    for url in ("tags/", "feeds/", "about/", "tags/film/", "404.html"):
        file = site.path(url)
        og = opengraph(site, file)
        assert og["og:image:alt"] == SHARE["default_alt"], url
        images.add(image_file(site.root, og["og:image"]).read_bytes())
    assert len(images) == 1
    with Image.open(io.BytesIO(images.pop())) as made:
        assert_same_picture(ROOT / "content" / SHARE["default"], made)


def assert_same_picture(source: Path, made: Image.Image) -> None:
    """``made`` shows ``source``, scaled and cropped to its size."""
    with Image.open(source) as original:
        expected = ImageOps.fit(
            ImageOps.exif_transpose(original).convert("RGB"), made.size
        )
    difference = ImageChops.difference(expected, made.convert("RGB"))
    assert max(ImageStat.Stat(difference).mean) < 6, source


def test_featured_images_become_the_share_images(site):
    checked = 0
    for url, header in sources_with_images():
        file = site.path(url)
        og = opengraph(site, file)
        assert og["og:image:alt"] == header["image_alt"], url
        with Image.open(image_file(site.root, og["og:image"])) as made:
            assert_same_picture(ROOT / "content" / header["image"], made)
        checked += 1
    assert checked > 20


def test_items_are_articles_and_other_pages_websites(site):
    for file in site.html_files:
        og = opengraph(site, file)
        section = site.url_of(file).strip("/").split("/")[0]
        is_item = section in model.SECTIONS_BY_NAME and (
            model.SECTIONS_BY_NAME[section].dated and site.url_of(file).count("/") == 3
        )
        assert og["og:type"] == ("article" if is_item else "website"), file


def test_no_fediverse_creator_while_the_setting_is_empty(site):
    assert SETTINGS["FEDIVERSE_CREATOR"] == ""
    for file in site.html_files:
        assert meta_name(site.soup(file), "fediverse:creator") is None


# --- One news item, as networks read it ----------------------------------------


def item_header(url: str) -> dict:
    section, slug = url.strip("/").split("/")
    text = (ROOT / "content" / section / f"{slug}.md").read_text(encoding="utf-8")
    entries, _ = parse_header(text)
    return {e.key.lower(): e.value for e in entries}


def copenhagen(header_date: str) -> datetime:
    return datetime.strptime(header_date, "%Y-%m-%d %H:%M").replace(tzinfo=COPENHAGEN)


def first_item(site, section: str) -> str:
    pages = sorted((site.root / section).glob("*/index.html"))
    assert pages
    return site.url_of(pages[0])


@pytest.mark.parametrize("section", ["news", "press"])
def test_news_page_preview_and_json_ld_match_the_article(site, section):
    url = first_item(site, section)
    file = site.path(url)
    header = item_header(url)
    og = opengraph(site, file)
    [article] = json_ld(site, file, "NewsArticle")
    published = copenhagen(header["date"])

    assert og["og:type"] == "article"
    assert og["og:title"] == article["headline"] == header["title"]
    assert og["og:description"] == article["description"] == header["summary"]
    assert og["og:url"] == article["url"] == article["mainEntityOfPage"] == SITE + url
    assert og["og:image:alt"] == header["image_alt"]
    assert article["image"][0] == og["og:image"]
    # The preview's 1.91:1, then 16:9, 4:3 and 1:1, each at least 1,200 px
    # wide, of the featured image (never the original file).
    shapes = []
    for url in article["image"]:
        with Image.open(image_file(site.root, url)) as img:
            shapes.append(img.size)
            assert img.width >= 1200 and img.width * img.height >= 50_000, url
    assert [round(w / h, 2) for w, h in shapes] == [1.9, 1.78, 1.33, 1.0]
    assert all("/share/" in url for url in article["image"])
    assert datetime.fromisoformat(og["article:published_time"]) == published
    assert datetime.fromisoformat(article["datePublished"]) == published
    assert article["datePublished"].endswith(("+01:00", "+02:00"))
    tags = [t.strip() for t in header["tags"].split(",")]
    assert article["keywords"] == og["article:tag[]"] == tags
    assert article["publisher"]["name"] == SETTINGS["SITENAME"]
    assert article["author"]["name"] == SETTINGS["AUTHOR"]
    logo = article["publisher"]["logo"]
    with Image.open(image_file(site.root, logo["url"])) as img:
        assert img.size == (logo["width"], logo["height"])


def test_showcases_are_articles_but_not_news(site):
    file = site.path(first_item(site, "showcases"))
    assert json_ld(site, file, "Article")
    assert not json_ld(site, file, "NewsArticle")


def test_home_page_describes_the_organisation(site):
    file = site.path("")
    [organisation] = json_ld(site, file, "Organization")
    assert organisation["name"] == SETTINGS["SITENAME"]
    assert organisation["url"] == SITE + "/"
    assert organisation["email"] == SETTINGS["CONTACTS"]["general"]["email"]
    assert organisation["sameAs"] == [link for _key, link in SETTINGS["SOCIAL_LINKS"]]
    logo = organisation["logo"]
    with Image.open(image_file(site.root, logo["url"])) as img:
        assert img.size == (logo["width"], logo["height"])


def test_the_home_page_names_the_website_and_its_publisher(site):
    [website] = json_ld(site, site.path(""), "WebSite")
    assert website["@id"] == SITE + "/#website"
    assert website["url"] == SITE + "/"
    assert website["name"] == SETTINGS["SITENAME"]
    assert website["inLanguage"] == SETTINGS["DEFAULT_LANG"]
    assert website["publisher"] == {"@id": SITE + "/#organization"}
    for file in site.html_files:
        if file != site.path(""):
            assert not json_ld(site, file, "WebSite"), site.url_of(file)


def test_every_page_has_a_description_of_its_own(site):
    """Search engines show the description: no two pages share one (the
    later pages of a listing say which page they are and what they list)."""
    seen: dict[str, str] = {}
    for file in site.html_files:
        description = meta_name(site.soup(file), "description")
        assert description, site.url_of(file)
        assert description not in seen, (site.url_of(file), seen.get(description))
        seen[description] = site.url_of(file)
    second = meta_name(site.soup(site.path("news/page/2/")), "description")
    assert second.startswith("News, page 2 of ")


def test_only_the_home_page_describes_the_organisation_and_items_themselves(site):
    organisation_id = SITE + "/#organization"
    for file in site.html_files:
        data = extract(site, file)["json-ld"]
        url = site.url_of(file)
        ours = [d for d in data if d.get("@id") == organisation_id]
        assert len(ours) == (1 if url == "/" else 0), url
        items = [
            d for d in data if d.get("@type") in ("NewsArticle", "Article", "Event")
        ]
        is_article = opengraph(site, file)["og:type"] == "article"
        assert len(items) == (1 if is_article else 0), url


# --- Settings that change previews ------------------------------------------

PERSON = "Maja Eksempel"
HANDLE = "@interactivedenmark@mastodon.social"


@pytest.fixture(scope="module")
def with_author_and_handle(tmp_path_factory, site) -> tuple[Path, str]:
    """The sample content with a named author and a Modified date on one
    news item, built with FEDIVERSE_CREATOR set."""
    url = first_item(site, "news")
    base = tmp_path_factory.mktemp("previews")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    source = content / "news" / f"{url.strip('/').split('/')[1]}.md"
    text = source.read_text(encoding="utf-8")
    header = item_header(url)
    text = text.replace(
        f"Date: {header['date']}\n",
        f"Date: {header['date']}\nModified: 2026-11-20 08:15\nAuthor: {PERSON}\n",
    )
    source.write_text(text, encoding="utf-8")
    output = base / "output"
    build_into(output, PATH=str(content), FEDIVERSE_CREATOR=HANDLE)
    return output, url


def test_fediverse_creator_is_on_every_page_when_set(with_author_and_handle):
    output, _ = with_author_and_handle
    built = BuiltSite(output)
    for file in built.html_files:
        assert meta_name(built.soup(file), "fediverse:creator") == HANDLE


def test_a_named_author_and_a_modified_date_reach_the_json_ld(with_author_and_handle):
    output, url = with_author_and_handle
    built = BuiltSite(output)
    file = built.path(url)
    [article] = json_ld(built, file, "NewsArticle")
    assert article["author"] == {"@type": "Person", "name": PERSON}
    modified = copenhagen("2026-11-20 08:15")
    assert datetime.fromisoformat(article["dateModified"]) == modified
    og = opengraph(built, file)
    assert datetime.fromisoformat(og["article:modified_time"]) == modified


@pytest.mark.parametrize(
    ("settings", "field", "problem", "allowed"),
    [
        (
            {"SHARE_IMAGES": []},
            "SHARE_IMAGES",
            "must be a dict, not []",
            "write SHARE_IMAGES =",
        ),
        (
            {"SHARE_IMAGES": {"default_alt": ""}},
            "SHARE_IMAGES['default_alt']",
            "invalid value ''",
            "a non-empty text",
        ),
        (
            {"SHARE_IMAGES": {"default_alt": "x", "default": "/etc/logo.png"}},
            "SHARE_IMAGES['default']",
            "invalid value '/etc/logo.png'",
            "a path inside the content folder",
        ),
        (
            {"SHARE_IMAGES": {"default_alt": "x", "width": "1200"}},
            "SHARE_IMAGES['width']",
            "invalid value '1200'",
            "a whole number of at least 200",
        ),
        (
            {"SHARE_IMAGES": {"default_alt": "x", "size": 3}},
            "SHARE_IMAGES['size']",
            "unknown key 'size'",
            "known keys: default, default_alt, logo",
        ),
        (
            {"SHARE_IMAGES": {"default_alt": "x"}, "FEDIVERSE_CREATOR": "mastodon"},
            "FEDIVERSE_CREATOR",
            "invalid value 'mastodon'",
            "an account such as '@interactivedenmark@mastodon.social'",
        ),
    ],
)
def test_bad_settings_are_refused_at_start(settings, field, problem, allowed):
    assert_setting_problem(check_settings(settings), field, problem, allowed)


# --- The renderer ---------------------------------------------------------------


def picture(tmp_path: Path, name: str, img: Image.Image, **save) -> Path:
    path = tmp_path / name
    img.save(path, **save)
    return path


def noise(width: int, height: int, mode: str = "RGB") -> Image.Image:
    return Image.frombytes(
        mode, (width, height), os.urandom(width * height * len(mode))
    )


def test_a_detailed_photo_is_compressed_under_the_limit(tmp_path):
    source = picture(tmp_path, "noise.jpg", noise(2400, 1600), quality=95)
    data, mime = render(str(source), 1200, 630, 400_000)
    assert mime == "image/jpeg" and len(data) <= 400_000
    with Image.open(io.BytesIO(data)) as made:
        assert made.size == (1200, 630)


def test_a_picture_that_cannot_fit_is_refused(tmp_path):
    source = picture(tmp_path, "noise.png", noise(800, 600), format="PNG")
    with pytest.raises(TooLarge):
        render(str(source), 1200, 630, 2_000)


def test_a_light_png_stays_a_png_with_its_transparency(tmp_path):
    img = Image.new("RGBA", (600, 300), (255, 90, 78, 0))
    img.paste((11, 31, 58, 255), (100, 50, 500, 250))
    data, mime = render(str(picture(tmp_path, "flat.png", img)), 1200, 630, 1_000_000)
    assert mime == "image/png"
    with Image.open(io.BytesIO(data)) as made:
        assert made.mode == "RGBA" and made.getpixel((5, 5))[3] == 0


def test_a_heavy_png_becomes_a_jpeg_on_white(tmp_path):
    img = noise(1200, 630, "RGBA")
    data, mime = render(str(picture(tmp_path, "heavy.png", img)), 1200, 630, 900_000)
    assert mime == "image/jpeg" and len(data) <= 900_000


def test_camera_orientation_is_applied_before_cropping(tmp_path):
    # Stored landscape, left red and right blue; EXIF says "rotate 90° clockwise
    # to view", so it is seen as a portrait, red on top.
    img = Image.new("RGB", (400, 200), (220, 0, 0))
    img.paste((0, 0, 220), (200, 0, 400, 200))
    exif = Image.Exif()
    exif[0x0112] = 6
    source = picture(tmp_path, "rotated.jpg", img, exif=exif, quality=95)
    data, _mime = render(str(source), 1200, 630, 1_000_000)
    with Image.open(io.BytesIO(data)) as made:
        top, bottom = made.getpixel((600, 20)), made.getpixel((600, 610))
    assert top[0] > 150 and top[2] < 80
    assert bottom[2] > 150 and bottom[0] < 80


@pytest.mark.parametrize(
    ("size", "shape"),
    [
        ((1600, 900), (1200, 900)),
        ((1600, 900), (1200, 630)),
        ((900, 1600), (1200, 630)),
    ],
)
def test_pictures_are_cropped_from_the_centre_to_the_shape(tmp_path, size, shape):
    # Three bands across the longer side: the outer two are cut off first.
    img = Image.new("RGB", size, (220, 0, 0))
    long_side = max(size)
    middle = (long_side // 4, 0, long_side * 3 // 4, min(size))
    if size[1] > size[0]:
        middle = (0, middle[0], size[0], middle[2])
    img.paste((0, 0, 220), middle)
    source = picture(tmp_path, "bands.png", img, format="PNG")
    data, _mime = render(str(source), *shape, 1_000_000)
    with Image.open(io.BytesIO(data)) as made:
        assert made.size == shape
        centre = made.getpixel((shape[0] // 2, shape[1] // 2))
        corner = made.getpixel((2, 2))
    assert centre[:3] == (0, 0, 220)
    # From a 16:9 photo, 4:3 keeps the middle 1200 of 1600 pixels and 1.91:1
    # all of them (red at the edges); a portrait loses its top and bottom.
    assert corner[:3] == ((0, 0, 220) if size[1] > size[0] else (220, 0, 0))


def test_a_png_just_over_the_limit_at_the_quick_setting_stays_a_png():
    """The quick encode (zlib level 6) is a little larger than the thorough
    one; a PNG that fits only at the thorough one is still a PNG."""
    source = ROOT / "content" / "images" / "brand" / "default-share.png"
    with Image.open(source) as img:
        img = img.convert("RGB")
        quick, thorough = io.BytesIO(), io.BytesIO()
        img.save(quick, "PNG", compress_level=6)
        img.save(thorough, "PNG", optimize=True)
    quick_size, thorough_size = len(quick.getvalue()), len(thorough.getvalue())
    assert thorough_size < quick_size  # what the test is about
    data, mime = render(str(source), 1200, 630, thorough_size)
    assert mime == "image/png" and len(data) == thorough_size
    data, mime = render(str(source), 1200, 630, quick_size)
    assert mime == "image/png" and len(data) == quick_size


def test_a_jpeg_comment_is_not_carried_into_the_share_image(tmp_path):
    source = picture(
        tmp_path, "commented.jpg", noise(800, 600), comment=b"Edited by A. Person"
    )
    with Image.open(source) as img:
        assert img.info.get("comment") == b"Edited by A. Person"  # as saved
    data, mime = render(str(source), 1200, 630, 1_000_000)
    assert mime == "image/jpeg"
    with Image.open(io.BytesIO(data)) as made:
        assert "comment" not in made.info
    assert b"Edited by" not in data


def test_a_share_image_of_16_bit_greys_keeps_their_shades(tmp_path):
    from test_responsive_images import sixteen_bit_greys

    source = sixteen_bit_greys(tmp_path / "scan.png")
    data, _mime = render(str(source), 1200, 630, 1_000_000)
    with Image.open(io.BytesIO(data)) as made:
        middle = made.convert("RGB").getpixel((600, 315))
    assert all(120 <= shade <= 136 for shade in middle)  # was white


def test_a_heavy_png_with_a_colour_key_becomes_a_jpeg_with_white_there(tmp_path):
    """An RGB PNG may mark one colour transparent (a colour key) instead of
    carrying an alpha channel: that colour is transparent like any other
    transparency, so white in a JPEG, never the key's own colour."""
    img = noise(1200, 630)
    img.paste((255, 0, 255), (0, 0, 600, 630))  # the left half: the key
    source = picture(tmp_path, "keyed.png", img, transparency=(255, 0, 255))
    with Image.open(source) as saved:
        assert saved.mode == "RGB" and "transparency" in saved.info  # as meant
    data, mime = render(str(source), 1200, 630, 900_000)
    assert mime == "image/jpeg"
    with Image.open(io.BytesIO(data)) as made:
        assert all(value > 245 for value in made.getpixel((300, 315)))  # not magenta
