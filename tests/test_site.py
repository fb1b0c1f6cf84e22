"""The built sample site: structure, URLs and links of every page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, parse_html
from content_model import model
from responsive_images.markdown import GALLERY_SIZES

PROGRAMMES = sorted(p.stem for p in (ROOT / "content" / "programmes").glob("*.md"))


def html_pages(site):
    return [
        f for f in site.html_files if f.name == "index.html" or f.name == "404.html"
    ]


def test_every_page_has_one_h1_a_lang_and_a_canonical_link_but_the_404(site):
    pages = site.html_files
    assert len(pages) > 20
    for file in pages:
        soup = parse_html(file)
        where = site.url_of(file)
        assert len(soup.find_all("h1")) == 1, f"{where}: needs exactly one h1"
        assert soup.html.get("lang") == "en", f"{where}: lang"
        canonical = soup.find_all("link", rel="canonical")
        if file.name == "404.html":  # served at every unknown address
            assert not canonical, f"{where}: no canonical address"
        else:
            assert len(canonical) == 1, f"{where}: one canonical link"
            assert canonical[0]["href"].startswith("https://"), f"{where}: absolute"
        assert soup.title and soup.title.get_text(strip=True), f"{where}: title"
        description = soup.find("meta", attrs={"name": "description"})
        assert description and description["content"].strip(), f"{where}: desc"


def test_no_page_is_empty(site):
    for file in site.html_files:
        main = parse_html(file).find("main")
        assert main is not None, f"{site.url_of(file)}: no <main>"
        text = main.get_text(" ", strip=True)
        assert len(text) > 80, f"{site.url_of(file)}: main holds only {text!r}"


def test_canonical_link_names_the_page_itself(site):
    for file in site.html_files:
        if file.name == "404.html":
            continue
        href = parse_html(file).find("link", rel="canonical")["href"]
        assert urlsplit(href).path == site.url_of(file)


@pytest.mark.parametrize("slug", PROGRAMMES)
def test_every_programme_has_a_page_listed_on_the_programmes_page(site, slug):
    page = site.path(f"programmes/{slug}/")
    assert page.is_file()
    listing = site.soup("programmes/")
    assert listing.find("a", href=f"/programmes/{slug}/"), slug


def test_the_seven_programmes_exist():
    assert (
        sorted(
            [
                "conferences",
                "growing-games",
                "growing-films",
                "growing-animation",
                "spilbar",
                "export-promotion",
                "growing-investors",
            ]
        )
        == PROGRAMMES
    )


@pytest.mark.parametrize(
    "url",
    [
        "",
        "about/",
        "join/",
        "contact/",
        "press/",
        "privacy/",
        "programmes/",
        "news/",
        "showcases/",
        "tags/",
    ],
)
def test_clean_urls_exist(site, url):
    assert site.path(url).is_file(), url


@pytest.mark.parametrize("section", [s for s in model.DATED_SECTIONS])
def test_every_item_of_a_dated_section_has_a_clean_url(site, section):
    sources = sorted((ROOT / "content" / section.folder).glob("*.md"))
    assert sources, section.name
    for source in sources:
        assert site.path(section.url.format(slug=source.stem)).is_file(), source


def test_sections_are_listed_newest_first_and_paginated(site):
    news = sorted((ROOT / "content" / "news").glob("*.md"))
    per_page = 10
    first = site.soup("news/")
    links = [a["href"] for a in first.select("main .card__title a")]
    assert len(links) == min(per_page, len(news))
    dates = [t["datetime"] for t in first.select("main .card time")]
    assert dates == sorted(dates, reverse=True)
    if len(news) > per_page:
        second = site.soup("news/page/2/")
        assert second.select("main .card"), "page 2 lists the rest"
        assert first.find("a", rel="next")["href"] == "/news/page/2/"


def test_unused_pelican_pages_are_not_written(site):
    for path in (
        "author",
        "authors.html",
        "categories.html",
        "archives.html",
        "category",
        "index2.html",
    ):
        assert not (site.root / path).exists(), path
    # Pelican's own feeds are off; ours live in feeds/ (tests/test_feeds.py).
    assert not list(site.root.glob("*.atom.xml"))
    assert b'rel="enclosure"' in (site.root / "feeds/all.atom.xml").read_bytes()


def test_section_intro_pages_are_shown_on_their_listing_not_alone(site):
    press = site.soup("press/")
    intro = (ROOT / "content/pages/press.md").read_text(encoding="utf-8")
    title = re.search(r"^Title:\s*(.+)$", intro, re.M).group(1).strip()
    assert press.h1.get_text(strip=True) == title
    assert press.select("main .card"), "press releases are listed below the intro"


def test_home_page_has_the_promised_parts(site):
    home = site.soup("")
    main = home.find("main")
    assert main.find("a", href="/news/")
    assert main.find("a", href="/showcases/")
    assert main.find("a", href="/join/")
    for slug in PROGRAMMES:
        assert main.find("a", href=f"/programmes/{slug}/"), slug
    form = main.find("form")
    assert form["action"].startswith("https://") and form["method"] == "post"
    assert form.find("input", type="email")


def test_contact_page_has_newsletter_and_social_links(site):
    contact = site.soup("contact/")
    assert contact.find("form", action=True)
    hrefs = {a["href"] for a in contact.select("main a[href]")}
    for name in ("facebook", "linkedin", "x.com", "wordpress"):
        assert any(name in href for href in hrefs), name


def test_tag_pages_exist_for_every_tag_used(site):
    tags = site.soup("tags/")
    links = tags.select("main a[href^='/tags/']")
    assert len(links) >= 5
    for link in links:
        assert site.path(link["href"]).is_file(), link["href"]


_ids: dict[Path, set[str]] = {}


def ids_of(file: Path) -> set[str]:
    if file not in _ids:
        _ids[file] = {e["id"] for e in parse_html(file).find_all(id=True)}
    return _ids[file]


def test_every_internal_link_resolves_including_fragments(site):
    broken = []
    for file in site.html_files:
        soup = parse_html(file)
        for tag, attr in (
            ("a", "href"),
            ("link", "href"),
            ("img", "src"),
            ("script", "src"),
            ("source", "srcset"),
            ("img", "srcset"),
            ("form", "action"),
        ):
            for element in soup.find_all(tag, attrs={attr: True}):
                values = [element[attr]]
                if attr == "srcset":
                    values = [
                        part.strip().split(" ")[0] for part in element[attr].split(",")
                    ]
                for value in values:
                    problem = check_link(site, file, value)
                    if problem:
                        broken.append(f"{site.url_of(file)}: {tag} {value}: {problem}")
    assert not broken, "\n".join(broken)


def check_link(site, file: Path, value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme in ("mailto", "tel") or (parts.scheme and parts.netloc):
        return None  # external; the security tests forbid loading them
    if parts.scheme:
        return f"unexpected scheme {parts.scheme!r}"
    if parts.path:
        path = unquote(parts.path)
        base = site.root if path.startswith("/") else file.parent
        target = (base / path.lstrip("/")).resolve()
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return "no such file"
    else:
        target = file
    if (
        parts.fragment
        and target.suffix == ".html"
        and parts.fragment not in ids_of(target)
    ):
        return f"no element with id {parts.fragment!r}"
    return None


def test_production_build_uses_absolute_urls(production_site):
    siteurl = production_site.siteurl
    assert siteurl.startswith("https://")
    host = urlsplit(siteurl).netloc
    for file in (production_site.path(""), production_site.path("news/")):
        soup = parse_html(file)
        for tag in soup.select("a[href], link[href], script[src], img[src]"):
            value = tag.get("href") or tag.get("src")
            parts = urlsplit(value)
            if value.startswith("#") or parts.scheme in ("mailto", "tel"):
                continue  # in-page links, e-mail, phone
            if parts.netloc not in ("", host):
                continue  # other sites
            assert value.startswith(siteurl + "/"), value


def test_fingerprinted_assets_exist(site):
    home = site.soup("")
    css = home.find("link", rel="stylesheet")["href"]
    assert re.fullmatch(r"/theme/css/site\.[0-9a-f]{10}\.css", css)
    assert site.path(css).is_file()
    assert not (site.root / "theme/css/site.css").exists()


def _header(path: Path) -> dict:
    lines = path.read_text("utf-8").split("\n\n", 1)[0].splitlines()
    return dict((part.strip() for part in line.split(":", 1)) for line in lines)


@pytest.mark.parametrize("slug", PROGRAMMES)
def test_a_programme_page_says_whom_to_ask_to_take_part(site, slug):
    header = _header(ROOT / "content" / "programmes" / f"{slug}.md")
    box = site.soup(f"programmes/{slug}/").find("aside", class_="join-call")
    mail = box.find("a", href=f"mailto:{header['Contact_email']}")
    assert mail and header["Contact"] in box.get_text(" ", strip=True)
    # The contact is one of the team About names.
    about = site.soup("about/").get_text(" ", strip=True)
    assert header["Contact"].split(",")[0] in about


@pytest.mark.parametrize("slug", PROGRAMMES)
def test_a_programme_page_has_one_button_to_take_part(site, slug):
    """Take_part, else the next event's sign-up while it is open, else the
    join page."""
    page = site.soup(f"programmes/{slug}/")
    [button] = page.find("aside", class_="join-call").find_all("a", class_="button")
    next_link = page.select_one("aside.join-call p strong + a")
    if button["href"] == "/join/":
        assert button.get_text(strip=True) == "Join us to take part"
    else:
        assert button.get_text(strip=True).startswith("Sign up for ")
        event = site.soup(next_link["href"])
        assert event.select_one(".event__actions a.button")["href"] == button["href"]


def test_take_part_gives_a_programme_an_apply_button(content_copy, tmp_path):
    from conftest import run_build_cli

    path = content_copy / "programmes" / "spilbar.md"
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("\n\n", "\nTake_part: https://www.interactivedenmark.dk/\n\n", 1),
        "utf-8",
    )
    result = run_build_cli(content_copy, tmp_path / "output")
    assert result.returncode == 0, result.stderr
    page = parse_html(tmp_path / "output" / "programmes" / "spilbar" / "index.html")
    button = page.find("aside", class_="join-call").find("a", class_="button")
    assert button["href"] == "https://www.interactivedenmark.dk/"
    assert button.get_text(strip=True) == "Apply for Spilbar"


def test_a_programme_contact_needs_an_address(content_copy, tmp_path):
    from conftest import run_build_cli

    path = content_copy / "programmes" / "spilbar.md"
    lines = [
        line
        for line in path.read_text("utf-8").split("\n")
        if not line.startswith("Contact_email:")
    ]
    path.write_text("\n".join(lines), "utf-8")
    result = run_build_cli(content_copy, tmp_path / "output")
    assert result.returncode == 1
    assert (
        "content/programmes/spilbar.md:4: Contact_email: is missing, but Contact "
        "is given"
    ) in result.stderr
    # The pages that link to the programme add no second, knock-on line.
    assert "The build found 1 problem:" in result.stderr, result.stderr


def test_every_page_but_home_and_404_shows_the_trail_from_home(production_site):
    """Visible breadcrumbs and the same trail as a BreadcrumbList: each
    step a page of the site, the last one this page (as its heading says,
    or which page of a listing it is)."""
    site = production_site
    for file in site.html_files:
        where = site.url_of(file)
        soup = parse_html(file)
        trails = soup.select("nav.breadcrumbs")
        if where in ("/", "/404.html") or where.startswith("/drafts/"):
            assert not trails, where
            continue
        [trail] = trails
        steps = trail.select("li")
        assert len(steps) >= 2, where
        *above, here = steps
        assert here.get("aria-current") == "page" and not here.find("a"), where
        heading = soup.h1.get_text(" ", strip=True)
        shown = here.get_text(" ", strip=True)
        assert shown == heading or (shown.startswith("Page ") and "/page/" in where)
        links = [step.find("a") for step in above]
        assert links[0]["href"] == site.siteurl + "/", where
        for link in links:
            target = link["href"].removeprefix(site.siteurl)
            assert site.path(target).is_file(), (where, target)
            assert target != where, where
        [data] = [
            d
            for d in (
                json.loads(s.string)
                for s in soup.select('script[type="application/ld+json"]')
            )
            if d.get("@type") == "BreadcrumbList"
        ]
        elements = data["itemListElement"]
        assert [e["position"] for e in elements] == list(range(1, len(steps) + 1))
        names = [step.get_text(" ", strip=True) for step in steps]
        assert [e["name"] for e in elements] == names
        assert [e.get("item") for e in elements] == [a["href"] for a in links] + [None]


def test_a_longer_page_lists_its_sections_and_a_short_one_does_not(site):
    """ "On this page": each section heading of the text, in order, linked
    by its id; only on pages of three sections or more."""
    listed = 0
    for file in html_pages(site):
        soup = parse_html(file)
        nav = soup.find("nav", class_="page-contents")
        prose = soup.select_one("main .prose")
        headings = prose.find_all("h2") if prose else []
        if nav is None:
            assert soup.select_one("main .page-body") is None
            if prose and soup.select_one(".prose-page"):
                assert len(headings) < 3, f"{site.url_of(file)} lists no sections"
            continue
        listed += 1
        links = [(a["href"], a.get_text(strip=True)) for a in nav.find_all("a")]
        assert links == [(f"#{h['id']}", h.get_text(strip=True)) for h in headings]
    assert listed >= 3, "About, Join and Contact have three sections or more"


def test_about_tells_the_story_as_a_timeline_and_names_team_and_board(site):
    soup = site.soup("/about/")
    years = [dt.get_text(strip=True) for dt in soup.select(".prose dl dt")]
    assert years[:3] == ["2010–2013", "2010–2015", "2013"]
    assert len(soup.select(".prose dl dd")) == len(years)
    groups = soup.select(".prose .people")
    assert len(groups) == 2, "the team and the board"
    for group in groups:
        people = group.select("li")
        assert len(people) >= 3 and all(p.find("strong") for p in people)


def test_partners_and_funders_are_on_the_home_page_and_about(site):
    """PARTNERS: funders first, then partners, by name on the home page
    (linked where they have a website), with what each does on About; the
    funders are the organisation's funders in its structured data."""
    from conftest import SETTINGS

    partners = SETTINGS["PARTNERS"]
    expected = [
        p for role in ("funder", "partner") for p in partners if p["role"] == role
    ]
    assert {p["role"] for p in partners} == {"funder", "partner"}
    home, about = site.soup(""), site.soup("about/")
    shown = home.select("main section[aria-labelledby=home-partners] .partners li")
    names = [li.get_text(" ", strip=True) for li in shown]
    assert names == [p["name"] for p in expected]
    for li, partner in zip(shown, expected, strict=True):
        link = li.find("a")
        assert (link["href"] if link else None) == partner.get("website")
    assert home.find("a", href="/about/#partners")
    listed = about.select(".prose h2#partners ~ .partners li")
    assert [li.select_one(".partners__about").get_text() for li in listed] == [
        p["about"] for p in expected
    ]
    assert about.select_one("nav.page-contents a[href='#partners']")
    [organization] = [
        data
        for script in home.find_all("script", type="application/ld+json")
        if (data := json.loads(script.string)).get("@type") == "Organization"
    ]
    assert [f["name"] for f in organization["funder"]] == [
        p["name"] for p in expected if p["role"] == "funder"
    ]


def test_section_headings_are_plain_text_that_templates_escape():
    from jinja2 import Environment
    from markupsafe import Markup

    from theme_support import headings

    html = (
        '<h2 id="fish">Fish &amp; <em>chips</em></h2><p>x</p>'
        '<h2 id="a-b">&lt;b&gt; in <a href="/x/" title="a>b">text</a></h2>'
        '<h3 id="no">No</h3>'
    )
    found = headings(Markup(html))
    assert [anchor for anchor, _text in found] == ["fish", "a-b"]
    assert found[0][1] == "Fish & chips"
    assert not any(isinstance(text, Markup) for _anchor, text in found)
    page = Environment(autoescape=True).from_string(
        "{% for a, t in found %}<a href='#{{ a }}'>{{ t }}</a>{% endfor %}"
    )
    shown = page.render(found=found)
    assert "Fish &amp; chips" in shown and "<b>" not in shown and "&lt;b&gt;" in shown


def _header_value(path: Path, name: str) -> str | None:
    for line in path.read_text("utf-8").split("\n\n", 1)[0].splitlines():
        if line.startswith(f"{name}:"):
            return line.split(":", 1)[1].strip()
    return None


def test_a_showcase_trailer_is_its_picture_linking_to_where_it_plays(site):
    with_trailer = 0
    for source in sorted((ROOT / "content" / "showcases").glob("*.md")):
        page = site.soup(f"/showcases/{source.stem}/")
        trailer = _header_value(source, "Trailer")
        poster = page.find("div", class_="trailer")
        if trailer is None:
            assert poster is None and page.find("img", class_="lead-image")
            continue
        with_trailer += 1
        assert poster.find("img", class_="lead-image")["alt"].strip()
        [link] = poster.find_all("a")  # named by its label alone
        assert link["href"] == trailer
        host = urlsplit(trailer).hostname.removeprefix("www.")
        assert link.get_text(" ", strip=True) == f"Watch the trailer on {host}"
        assert not page.find_all(["iframe", "video", "embed", "object"])
    assert with_trailer >= 2, "the sample showcases show the trailer poster"


def test_a_showcase_gallery_shows_stills_with_their_alt_text(site):
    galleries = [
        gallery
        for source in sorted((ROOT / "content" / "showcases").glob("*.md"))
        for gallery in site.soup(f"/showcases/{source.stem}/").select(".gallery")
    ]
    assert len(galleries) >= 2
    for gallery in galleries:
        pictures = gallery.find_all("img")
        assert len(pictures) >= 3
        assert all(p["alt"].startswith(("Screenshot", "Still")) for p in pictures)
        assert all(p.get("srcset") and p.get("loading") == "lazy" for p in pictures)
        assert all(p["sizes"] == GALLERY_SIZES for p in pictures)


@pytest.mark.parametrize(
    "trailer", ["http://example.org/trailer", "javascript:alert(1)", "trailer.mp4"]
)
def test_a_trailer_is_a_web_address_with_https(content_copy, tmp_path, trailer):
    from conftest import run_build_cli

    path = content_copy / "showcases" / "fjordfox-games-talhavn.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("\nMember:", f"\nTrailer: {trailer}\nMember:", 1))
    line = text.split("\n").index(
        next(x for x in text.split("\n") if x.startswith("Member:"))
    )
    result = run_build_cli(content_copy, tmp_path / "output")
    assert result.returncode == 1
    assert f"content/showcases/fjordfox-games-talhavn.md:{line + 1}: Trailer:" in (
        result.stderr
    ), result.stderr
    assert not (tmp_path / "output").exists() or not any(
        (tmp_path / "output").iterdir()
    )
