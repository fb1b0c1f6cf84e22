"""The member directory of the built sample site: profile pages, the directory
page and its filter form, the links between showcases and members, the home
and About pages' member count, and the JSON and CSV exports. Expected values
come from the YAML sources (read here with PyYAML, not with the plugin's
reader) and the issue's vocabularies, never from the output."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import unicodedata
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import extruct
import jsonschema
import pytest
import yaml
from PIL import Image

import site_build
from conftest import ROOT, SITE_NOW, build_into

SETTINGS = site_build.load_settings(str(ROOT / "pelicanconf.py"))
ORIGIN = SETTINGS["PRODUCTION_SITEURL"]
CONTENT = ROOT / "content"
STRINGS = yaml.safe_load((ROOT / "theme" / "strings.yaml").read_text("utf-8"))["en"]

# The vocabularies, written out: the sample must use all of them.
SECTORS = ["games", "film", "animation", "apps", "vfx", "xr", "edtech", "health"]
REGIONS = ["Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland"]
SIZES = ["1-9", "10-49", "50-249", "250+"]
MODELS = ["own-ip", "work-for-hire"]
NETWORKS = ["linkedin", "facebook", "x", "instagram", "youtube", "mastodon", "bluesky"]
CARD_BOX, PROFILE_BOX = (96, 64), (192, 128)  # CSS pixels, see site.css


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["description"] = " ".join(data["description"].split())
    return data


SOURCES = {p.stem: load(p) for p in sorted((CONTENT / "members").glob("*.yaml"))}


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def by_name(slugs) -> list[str]:
    """Names in alphabetical order. (The sample's only name starting with a
    Danish letter is Æblegård, which sorts after z in plain code point order
    as in Danish; the plugin's full Danish order has a unit test.)"""
    return sorted((SOURCES[s]["name"] for s in slugs), key=str.casefold)


def header_fields(path: Path) -> dict:
    """'Key: value' lines at the top of a Markdown file."""
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def showcases_of(slug: str) -> list[str]:
    """The showcases naming a member, newest first."""
    named = [
        (header_fields(path)["Date"], path.stem)
        for path in (CONTENT / "showcases").glob("*.md")
        if slug in [s.strip() for s in header_fields(path)["Member"].split(",")]
    ]
    return [stem for _date, stem in sorted(named, reverse=True)]


def facts(soup, section: str) -> dict:
    """A <dl class="facts"> of the profile as {label: <dd>}."""
    dl = soup.select_one(f".{section} dl.facts")
    return {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in dl("dt")}


def labels(prefix: str, values) -> str:
    return ", ".join(STRINGS[f"{prefix}{v}"] for v in as_list(values))


def target(site, page: str, href: str) -> Path:
    """The output file a link on ``page`` (a URL path) points at."""
    return site.path(urlsplit(urljoin(page, href)).path)


# --- The sample data --------------------------------------------------------------


def test_the_sample_covers_every_vocabulary_with_fictional_members():
    assert len(SOURCES) >= 24
    used = {
        "sectors": {s for m in SOURCES.values() for s in m["sectors"]},
        "region": {m["region"] for m in SOURCES.values()},
        "employees": {m.get("employees") for m in SOURCES.values()},
        "business_model": {
            b for m in SOURCES.values() for b in as_list(m.get("business_model"))
        },
    }
    assert used["sectors"] == set(SECTORS)
    assert used["region"] == set(REGIONS)
    assert set(SIZES) <= used["employees"]
    assert used["business_model"] == set(MODELS)
    with_logo = [m for m in SOURCES.values() if "logo" in m]
    assert len(with_logo) > len(SOURCES) / 2
    assert len(with_logo) < len(SOURCES)  # at least one shows the text badge
    kinds = {Path(m["logo"]).suffix for m in with_logo}
    assert {".svg", ".png", ".jpg"} <= kinds
    for slug, member in SOURCES.items():  # plainly fictional addresses
        assert urlsplit(member["website"]).hostname.endswith(".example"), slug
        email = (member.get("contact") or {}).get("email", "x@y.example")
        assert email.endswith(".example"), slug


def test_every_showcase_names_a_member_of_the_sample():
    for path in sorted((CONTENT / "showcases").glob("*.md")):
        named = [s.strip() for s in header_fields(path)["Member"].split(",")]
        assert named and set(named) <= set(SOURCES), path.name


# --- Profile pages ------------------------------------------------------------


@pytest.mark.parametrize("slug", SOURCES)
def test_every_member_has_a_profile_with_its_facts(site, slug):
    source = SOURCES[slug]
    soup = site.soup(f"members/{slug}/")
    assert soup.h1.get_text(strip=True) == source["name"]
    description = soup.select_one(".member__description").get_text(strip=True)
    assert description == source["description"]
    found = facts(soup, "member__facts")
    assert found["Website"].a["href"] == source["website"]
    assert found["Based in"].get_text(strip=True) == (
        f"{source['city']}, {source['region']}"
    )
    assert found["Works in"].get_text(strip=True) == labels(
        "sector_", source["sectors"]
    )
    optional = {
        "Employees": ("employees", lambda v: labels("employees_", v)),
        "Business model": ("business_model", lambda v: labels("business_model_", v)),
        "Customers": ("markets", lambda v: labels("markets_", v)),
        "Founded": ("founded", str),
        "Member since": ("member_since", str),
        "Keywords": ("tags", ", ".join),
    }
    for label, (key, shown) in optional.items():
        if key in source:
            assert found[label].get_text(strip=True) == shown(source[key]), label
        else:
            assert label not in found, label


@pytest.mark.parametrize("slug", SOURCES)
def test_profile_contact_links_and_notable_works(site, slug):
    source = SOURCES[slug]
    soup = site.soup(f"members/{slug}/")
    contact, social = source.get("contact") or {}, source.get("social") or {}
    if not contact and not social:
        assert soup.select_one(".member__contact") is None
    else:
        found = facts(soup, "member__contact")
        if "email" in contact:
            assert found["E-mail"].a["href"] == f"mailto:{contact['email']}"
        if "phone" in contact:
            assert found["Phone"].get_text(strip=True) == contact["phone"]
            digits = re.sub(r"[^+0-9]", "", contact["phone"])
            assert found["Phone"].a["href"] == f"tel:{digits}"
        elsewhere = found["Elsewhere"]("a") if social else []
        links = [(a["href"], a.get_text()) for a in elsewhere]
        assert links == [
            (social[n], STRINGS[f"social_{n}"]) for n in NETWORKS if n in social
        ]
    works = soup.select(".member__works li")
    assert len(works) == len(source.get("notable_works", []))
    for item, work in zip(works, source.get("notable_works", []), strict=True):
        assert " ".join(item.get_text().split()) == f"{work['title']} ({work['year']})"
        link = item.find("a")
        assert (link["href"] if link else None) == work.get("url")


@pytest.mark.parametrize("slug", SOURCES)
def test_profile_links_its_programmes_and_showcases(site, slug):
    source = SOURCES[slug]
    page = f"/members/{slug}/"
    soup = site.soup(page)
    programmes = [a["href"] for a in soup.select(".member__programmes a")]
    assert sorted(programmes) == sorted(
        f"/programmes/{p}/" for p in as_list(source.get("programmes"))
    )
    titles = {a.get_text(strip=True) for a in soup.select(".member__programmes a")}
    for programme in as_list(source.get("programmes")):
        path = CONTENT / "programmes" / f"{programme}.md"
        assert header_fields(path)["Title"] in titles
    shown = [a["href"] for a in soup.select(".related .card__title a")]
    assert shown == [f"/showcases/{s}/" for s in showcases_of(slug)]
    for href in programmes + shown:
        assert target(site, page, href).is_file(), href
    if not showcases_of(slug):
        assert soup.select_one(".related") is None


def logo_source_size(relative: str) -> tuple[float, float]:
    path = CONTENT / relative
    if path.suffix == ".svg":
        import xml.etree.ElementTree as ET

        box = ET.parse(path).getroot().get("viewBox").split()
        return float(box[2]), float(box[3])
    with Image.open(path) as image:
        return image.size


def check_logo(site, page: str, img, source: dict, box: tuple[int, int]):
    """A logo shown within ``box`` CSS pixels, with the source's proportions;
    a PNG or JPEG resized to at most twice that size (never enlarged)."""
    width, height = int(img["width"]), int(img["height"])
    source_width, source_height = logo_source_size(source["logo"])
    assert width <= box[0] and height <= box[1]
    assert width == box[0] or height == box[1]  # as large as the box allows
    assert abs(width / height - source_width / source_height) < 0.05
    assert img["alt"] == ""  # the name is right beside it
    file = target(site, page, img["src"])
    assert file.is_file(), img["src"]
    if source["logo"].endswith(".svg"):
        assert file.read_bytes() == (CONTENT / source["logo"]).read_bytes()
        return
    with Image.open(file) as resized:
        assert resized.format == "WEBP"
        assert resized.width <= min(2 * width, source_width)
        assert resized.width == min(2 * width, source_width)
        assert abs(resized.width / resized.height - width / height) < 0.05


@pytest.mark.parametrize("slug", SOURCES)
def test_profile_shows_the_logo_or_a_text_badge(site, slug):
    source = SOURCES[slug]
    header = site.soup(f"members/{slug}/").select_one(".member__header")
    img = header.find("img")
    if "logo" in source:
        check_logo(site, f"/members/{slug}/", img, source, PROFILE_BOX)
    else:
        assert img is None
        badge = header.select_one(".logo-badge")
        initials = "".join(word[0] for word in source["name"].split()[:2])
        assert badge.get_text(strip=True) == initials.upper()
        assert badge["aria-hidden"] == "true"


def test_profiles_describe_the_member_as_an_organization(site):
    for slug, source in SOURCES.items():
        html = site.path(f"members/{slug}/").read_text(encoding="utf-8")
        url = f"{ORIGIN}/members/{slug}/"
        data = extruct.extract(html, base_url=url, syntaxes=["json-ld"])["json-ld"]
        [organization] = [d for d in data if d.get("@type") == "Organization"]
        assert organization["@id"] == url + "#organization"
        assert organization["name"] == source["name"]
        assert organization["url"] == source["website"]
        assert organization["description"] == source["description"]
        assert organization["address"] == {
            "@type": "PostalAddress",
            "addressLocality": source["city"],
            "addressRegion": source["region"],
            "addressCountry": "DK",
        }
        assert organization["memberOf"]["@id"] == f"{ORIGIN}/#organization"
        assert organization.get("logo") == (
            f"{ORIGIN}/{source['logo']}" if "logo" in source else None
        )
        social = source.get("social") or {}
        assert organization.get("sameAs", []) == [
            social[n] for n in NETWORKS if n in social
        ]
        assert organization.get("foundingDate") == (
            str(source["founded"]) if "founded" in source else None
        )


def test_profiles_preview_well_when_shared(site):
    for slug, source in SOURCES.items():
        soup = site.soup(f"members/{slug}/")
        og = {
            tag["property"]: tag["content"]
            for tag in soup.select('meta[property^="og:"]')
        }
        assert og["og:title"] == source["name"]
        assert og["og:description"] == source["description"]
        assert og["og:url"] == f"{ORIGIN}/members/{slug}/"
        assert og["og:image"].startswith(f"{ORIGIN}/")
        description = soup.find("meta", attrs={"name": "description"})["content"]
        assert description == source["description"]
        assert soup.title.get_text().startswith(f"{source['name']} · ")


# --- The directory ------------------------------------------------------------


def cards(site):
    return site.soup("members/").select(".member-cards > li")


def test_the_directory_lists_every_member_by_name_with_the_count(site):
    soup = site.soup("members/")
    names = [li.h3.get_text(strip=True) for li in cards(site)]
    assert names == by_name(SOURCES)
    title = header_fields(CONTENT / "pages/members.md")["Title"]
    assert soup.h1.get_text(strip=True) == title
    count = soup.select_one(".directory__count").get_text(strip=True)
    assert count == f"{len(SOURCES)} members"


def test_each_card_shows_logo_name_sectors_and_city(site):
    found = {}
    for li in cards(site):
        href = li.h3.a["href"]
        found[target(site, "/members/", href)] = li
    for slug, source in SOURCES.items():
        li = found.pop(site.path(f"members/{slug}/"))
        assert li.h3.get_text(strip=True) == source["name"]
        assert li.p.get_text(strip=True) == (
            f"{labels('sector_', source['sectors'])} · {source['city']}"
        )
        if "logo" in source:
            check_logo(site, "/members/", li.img, source, CARD_BOX)
        else:
            assert li.img is None
            assert li.select_one(".logo-badge").get_text(strip=True)
    assert not found


def test_directory_logos_load_lazily_below_the_first(site):
    """Every logo but the page's first image (which responsive_images loads
    at once on every page, as it is likely in view) loads lazily."""
    first = site.soup("members/").select_one("main img")
    logos = [li.img for li in cards(site) if li.img]
    assert len(logos) > 20
    eager = [img for img in logos if img.get("loading") != "lazy"]
    assert eager in ([], [first])


def test_the_filter_form_offers_every_value_members_use(site):
    soup = site.soup("members/")
    form = soup.select_one("form#member-filters")
    # Shown from the first paint, enabled by the script (without scripts,
    # nojs.css leaves it out and the directory is the list).
    assert form.select_one("fieldset.member-filters__fields").has_attr("disabled")
    assert form["role"] == "search"
    search = form.select_one("input[type=search]")
    assert form.find("label", attrs={"for": search["id"]})
    assert search["name"] == "q"
    legends = {
        fieldset.legend.get_text(strip=True): fieldset
        for fieldset in form.select("fieldset")
    }
    expected = {
        "Sector": ("sectors", SECTORS, "sector_"),
        "Region": ("region", REGIONS, None),
        "Employees": ("employees", SIZES, "employees_"),
        "Business model": ("business_model", MODELS, "business_model_"),
        "Customers": ("markets", ["b2b", "b2c"], "markets_"),
    }
    programmes = sorted(
        (CONTENT / "programmes").glob("*.md"),
        key=lambda p: int(header_fields(p)["Order"]),
    )
    used_programmes = {p for m in SOURCES.values() for p in m.get("programmes", [])}
    assert set(legends) == {*expected, "Programmes taken part in"}
    for legend, (key, values, prefix) in expected.items():
        boxes = legends[legend].select("input[type=checkbox]")
        used = [
            v for v in values if any(v in as_list(m.get(key)) for m in SOURCES.values())
        ]
        assert [b["value"] for b in boxes] == used, legend
        for box in boxes:
            assert box["name"] == key
            label = form.find("label", attrs={"for": box["id"]}).get_text(
                " ", strip=True
            )
            count = sum(box["value"] in as_list(m.get(key)) for m in SOURCES.values())
            name = STRINGS[prefix + box["value"]] if prefix else box["value"]
            assert label == f"{name} ({count})"
    boxes = legends["Programmes taken part in"].select("input[type=checkbox]")
    assert [b["value"] for b in boxes] == [
        p.stem for p in programmes if p.stem in used_programmes
    ]
    status = soup.select_one(".directory__status")
    assert status["role"] == "status"
    assert "{shown}" in status["data-template"] and "{total}" in status["data-template"]


def filter_index(site) -> dict:
    """The filter index the directory's script loads (a script handing its
    data to members.js in a 'members:index' event)."""
    soup = site.soup("members/")
    script = target(site, "/members/", soup.select_one("#member-filters")["data-index"])
    text = script.read_text(encoding="utf-8")
    prefix = 'document.dispatchEvent(new CustomEvent("members:index",{detail:'
    assert text.startswith(prefix) and text.endswith("}));\n")
    return json.loads(text[len(prefix) : -len("}));\n")])


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_the_filter_index_has_a_row_per_card_in_card_order(site):
    index = filter_index(site)
    assert index["facets"] == [
        "sectors",
        "region",
        "employees",
        "business_model",
        "markets",
        "programmes",
    ]
    hrefs = [li.h3.a["href"] for li in cards(site)]
    assert [f"{row[0]}/" for row in index["members"]] == hrefs
    for row in index["members"]:
        source = SOURCES[row[0]]
        for needle in (source["name"], source["city"], source["description"]):
            assert fold(needle) in row[1]
        assert row[2:] == [as_list(source.get(key)) for key in index["facets"]]


def test_the_directory_loads_its_script_and_links_its_data(site):
    soup = site.soup("members/")
    scripts = [s["src"] for s in soup.select("script[src]")]
    assert any(re.search(r"/js/members\.[0-9a-f]{10}\.js$", s) for s in scripts)
    alternate = soup.find("link", rel="alternate", type="application/json")
    assert alternate["href"] == "/members/members.json"
    hrefs = [a["href"] for a in soup.select(".member-data a")]
    assert hrefs == [
        "/members/members.json",
        "/members/members.csv",
        "/members/members.schema.json",
    ]
    for href in hrefs:
        assert site.path(href).is_file(), href


def test_other_pages_load_no_member_script(site):
    for url in ("", "about/", "members/fjordfox-games/"):
        scripts = [s["src"] for s in site.soup(url).select("script[src]")]
        assert not any("members." in s for s in scripts), url


def test_the_menu_marks_members_as_current_on_member_pages(site):
    for url_path in ("members/", "members/kattegat-xr/"):
        link = site.soup(url_path).select_one('#site-nav a[href="/members/"]')
        assert link.get("aria-current") == "page", url_path
    news_link = site.soup("news/").select_one('#site-nav a[href="/members/"]')
    assert news_link.get("aria-current") is None


# --- Showcases, home and About -----------------------------------------------


def test_showcases_show_a_card_of_each_member_they_name(site):
    for path in sorted((CONTENT / "showcases").glob("*.md")):
        slugs = [s.strip() for s in header_fields(path)["Member"].split(",")]
        page = f"/showcases/{path.stem}/"
        footer = site.soup(page).select_one(".article__footer")
        shown = footer.select(".member-cards > li")
        assert [li.h3.get_text(strip=True) for li in shown] == [
            SOURCES[s]["name"] for s in slugs
        ]
        for li, slug in zip(shown, slugs, strict=True):
            assert target(site, page, li.h3.a["href"]) == site.path(f"members/{slug}/")
            if "logo" in SOURCES[slug]:
                check_logo(site, page, li.img, SOURCES[slug], CARD_BOX)


@pytest.mark.parametrize("url_path", ["", "about/"])
def test_home_and_about_show_the_member_count(site, url_path):
    count = site.soup(url_path).select_one(".member-count")
    assert count.get_text(" ", strip=True).startswith(
        f"Interactive Denmark has {len(SOURCES)} member companies."
    )
    assert count.a["href"] == "/members/"


# --- Exports ------------------------------------------------------------------------


def read_json(site, name):
    return json.loads(site.path(name).read_text(encoding="utf-8"))


def test_members_json_is_valid_against_its_schema(site):
    data = read_json(site, "members/members.json")
    schema = read_json(site, "members/members.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.FormatChecker()
    )
    validator.validate(data)
    assert data["$schema"] == schema["$id"]
    assert schema["$id"] == f"{ORIGIN}/members/members.schema.json"
    # The schema really constrains the records.
    for key, bad in (
        ("region", "Zealand"),
        ("sectors", ["esports"]),
        ("website", "javascript:alert(1)"),
        ("description", "x" * 401),
        ("unknown", 1),
    ):
        broken = json.loads(json.dumps(data))
        broken["members"][0][key] = bad
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(broken)


def test_members_json_is_versioned_and_dated_by_site_now(site):
    data = read_json(site, "members/members.json")
    assert data["version"] == 1
    assert data["generated"] == SITE_NOW
    assert data["count"] == len(SOURCES) == len(data["members"])


def test_members_json_holds_every_public_field_as_written(site):
    data = read_json(site, "members/members.json")
    assert [m["name"] for m in data["members"]] == by_name(SOURCES)
    for record in data["members"]:
        source = SOURCES[record["slug"]]
        assert record["url"] == f"{ORIGIN}/members/{record['slug']}/"
        for key in ("name", "region", "city", "website", "description"):
            assert record[key] == source[key], (record["slug"], key)
        for key in ("founded", "member_since", "employees"):
            assert record[key] == source.get(key)
        for key in ("sectors", "business_model", "markets", "programmes", "tags"):
            assert record[key] == as_list(source.get(key)), key
        contact = source.get("contact")
        assert record["contact"] == (
            None
            if contact is None
            else {"email": contact.get("email"), "phone": contact.get("phone")}
        )
        social = source.get("social")
        assert record["social"] == (
            None if social is None else {n: social.get(n) for n in NETWORKS}
        )
        assert record["notable_works"] == [
            {"title": w["title"], "year": w["year"], "url": w.get("url")}
            for w in source.get("notable_works", [])
        ]
        if "logo" in source:
            assert record["logo"] == f"{ORIGIN}/{source['logo']}"
            assert (
                site.path(source["logo"]).read_bytes()
                == (CONTENT / source["logo"]).read_bytes()
            )
        else:
            assert record["logo"] is None
        assert set(record) == {"slug", "url", *source, *record} - {"status"}


def test_exports_are_the_same_bytes_in_every_build(site, production_site):
    """Nothing in them depends on the clock or the build: two builds (here
    with development and production settings) publish the same files."""
    for name in ("members.json", "members.schema.json", "members.csv"):
        first = site.path(f"members/{name}").read_bytes()
        assert first == production_site.path(f"members/{name}").read_bytes(), name


def read_csv(site) -> tuple[bytes, list[dict]]:
    raw = site.path("members/members.csv").read_bytes()
    text = raw.decode("utf-8-sig")
    return raw, list(csv.DictReader(io.StringIO(text, newline="")))


def test_members_csv_has_a_header_and_a_row_per_member(site):
    raw, rows = read_csv(site)
    assert raw.startswith("\ufeff".encode())  # Excel then reads it as UTF-8
    assert b"\r\n" in raw  # RFC 4180 line ends
    assert [row["name"] for row in rows] == by_name(SOURCES)
    header = raw.decode("utf-8-sig").split("\r\n")[0].split(",")
    assert header[:3] == ["slug", "url", "name"]
    assert {"contact_email", "contact_phone", *(f"social_{n}" for n in NETWORKS)} <= (
        set(header)
    )
    for row in rows:
        source = SOURCES[row["slug"]]
        assert row["url"] == f"{ORIGIN}/members/{row['slug']}/"
        assert row["website"] == source["website"]
        assert row["region"] == source["region"]
        assert row["sectors"] == "; ".join(source["sectors"])
        assert row["programmes"] == "; ".join(as_list(source.get("programmes")))
        assert row["founded"] == str(source.get("founded", ""))
        assert row["description"] == source["description"]
        for network in NETWORKS:
            assert row[f"social_{network}"] == (source.get("social") or {}).get(
                network, ""
            )
        works = [
            " ".join(filter(None, (w["title"], f"({w['year']})", w.get("url"))))
            for w in source.get("notable_works", [])
        ]
        assert row["notable_works"] == "; ".join(works)


def test_csv_cells_cannot_run_as_spreadsheet_formulas(site):
    _raw, rows = read_csv(site)
    phones = 0
    for row in rows:
        phone = (SOURCES[row["slug"]].get("contact") or {}).get("phone")
        if phone:  # "+45 ..." would be a formula in a spreadsheet
            assert row["contact_phone"] == f"'{phone}"
            phones += 1
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    assert phones


def test_production_exports_and_pages_use_the_site_address(production_site):
    siteurl = production_site.siteurl
    data = read_json(production_site, "members/members.json")
    assert all(m["url"].startswith(f"{siteurl}/members/") for m in data["members"])
    soup = production_site.soup("members/")
    for li in soup.select(".member-cards > li"):
        assert target(production_site, "/members/", li.h3.a["href"]).is_file()
    listed = set(
        re.findall(
            r"<loc>([^<]+)</loc>", production_site.path("sitemap.xml").read_text()
        )
    )
    assert {f"{siteurl}/members/{slug}/" for slug in SOURCES} <= listed
    assert f"{siteurl}/members/" in listed


# --- A build of other content --------------------------------------------------------

HTML_MEMBER = """name: <b>Bold</b> & Co
sectors: [games]
region: Syddanmark
city: <i>Odense</i>
website: https://bold-and-co.example/?a=1&b=2
description: <script>alert('x')</script> makes <em>games</em>.
notable_works:
  - title: <img src=x onerror=alert(1)>
    year: 2024
"""
DRAFT = """name: Tågeskov Studio
sectors: [film]
region: Syddanmark
city: Odense
website: https://taageskov.example
description: A studio that is not ready to be listed yet.
logo: images/members/taageskov-studio.png
status: draft
"""


@pytest.fixture(scope="module")
def other_build(tmp_path_factory):
    """The sample with a member whose fields hold HTML and a draft member,
    built with the CSV and the schema turned off."""
    project = tmp_path_factory.mktemp("members-other")
    content = project / "content"
    shutil.copytree(CONTENT, content)
    (content / "members" / "bold-and-co.yaml").write_text(HTML_MEMBER, "utf-8")
    (content / "members" / "taageskov-studio.yaml").write_text(DRAFT, "utf-8")
    logos = content / "images" / "members"
    shutil.copyfile(next(logos.glob("*.png")), logos / "taageskov-studio.png")
    output = project / "output"
    build_into(output, PATH=str(content), MEMBERS={"csv": "", "schema": ""})
    return output


def test_html_in_any_field_is_shown_as_text(other_build):
    from bs4 import BeautifulSoup

    profile = (other_build / "members/bold-and-co/index.html").read_text("utf-8")
    soup = BeautifulSoup(profile, "lxml")
    main = soup.main
    assert main.h1.get_text() == "<b>Bold</b> & Co"
    assert main.find("b") is None and main.find("em") is None
    # Only data blocks (JSON-LD, its text JSON with < > & escaped), no script.
    for script in main.find_all("script"):
        assert script["type"] == "application/ld+json" and "<" not in script.string
    assert all(img.get("src") != "x" for img in soup.find_all("img"))
    assert main.select_one(".member__description").get_text() == (
        "<script>alert('x')</script> makes <em>games</em>."
    )
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in profile
    assert "<i>Odense</i>" not in profile
    data = [ld.string for ld in soup.select('script[type="application/ld+json"]')]
    assert data and all("<" not in text for text in data)
    assert any("\\u003cscript\\u003e" in text for text in data)
    directory = BeautifulSoup(
        (other_build / "members/index.html").read_text("utf-8"), "lxml"
    )
    names = [li.h3.get_text() for li in directory.select(".member-cards > li")]
    assert "<b>Bold</b> & Co" in names
    assert directory.main.find("b") is None
    data = json.loads((other_build / "members/members.json").read_text("utf-8"))
    [record] = [m for m in data["members"] if m["slug"] == "bold-and-co"]
    assert record["name"] == "<b>Bold</b> & Co"  # data stays as written


def test_a_draft_member_is_left_out_of_the_directory(other_build):
    assert (other_build / "drafts/members/taageskov-studio/index.html").is_file()
    assert not (other_build / "members/taageskov-studio").exists()
    listing = (other_build / "members/index.html").read_text(encoding="utf-8")
    assert "Tågeskov" not in listing
    data = json.loads((other_build / "members/members.json").read_text("utf-8"))
    assert "taageskov-studio" not in {m["slug"] for m in data["members"]}
    assert data["count"] == len(SOURCES) + 1
    # Its logo is not published either; the listed members' logos are.
    assert not (other_build / "images/members/taageskov-studio.png").exists()
    for slug, source in SOURCES.items():
        if source.get("logo"):
            assert (other_build / source["logo"]).is_file(), slug


def test_an_export_set_to_empty_is_neither_written_nor_linked(other_build):
    assert (other_build / "members/members.json").is_file()
    assert not (other_build / "members/members.csv").exists()
    assert not (other_build / "members/members.schema.json").exists()
    directory = (other_build / "members/index.html").read_text("utf-8")
    assert 'href="/members/members.json"' in directory
    assert "members.csv" not in directory and "schema.json" not in directory
    data = json.loads((other_build / "members/members.json").read_text("utf-8"))
    assert "$schema" not in data


PROGRAMME_SLUGS = sorted(p.stem for p in (CONTENT / "programmes").glob("*.md"))


@pytest.mark.parametrize("programme", PROGRAMME_SLUGS)
def test_a_programme_page_lists_exactly_the_members_that_took_part(site, programme):
    """From the members' own files (their programmes field), in name order,
    each linked to its profile; a programme no member names shows no list."""
    took_part = [
        s
        for s, source in SOURCES.items()
        if programme in as_list(source.get("programmes"))
    ]
    soup = site.soup(f"/programmes/{programme}/")
    heading = soup.find("h2", id="members-heading")
    if not took_part:
        assert heading is None
        return
    assert heading.get_text(strip=True) == STRINGS["programme_members"]
    links = heading.find_parent("section").select("li a")
    assert [a.get_text(strip=True) for a in links] == by_name(took_part)
    assert sorted(a["href"] for a in links) == sorted(
        f"/members/{s}/" for s in took_part
    )
    feed = soup.find("a", type="application/rss+xml")
    assert feed["href"].endswith(f"/feeds/programmes/{programme}.rss.xml")
