"""The member directory of the built sample site: profile pages, the directory
and its filters, the links between showcases and members, and the JSON and
CSV exports. Expected values come from the YAML sources and the content
model, never from the output."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import extruct
import jsonschema
import pytest
import yaml
from PIL import Image

import site_build
from conftest import ROOT, build_into
from content_model import model

PRODUCTION_SITEURL = site_build.load_settings(str(ROOT / "pelicanconf.py"))[
    "PRODUCTION_SITEURL"
]

CONTENT = ROOT / "content"
SOURCES = {
    path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in sorted((CONTENT / "members").glob("*.yaml"))
}
STRINGS = yaml.safe_load((ROOT / "theme" / "strings.yaml").read_text("utf-8"))["en"]
FACETS = (("sectors", "sectors", model.SECTORS), ("regions", "region", model.REGIONS))


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def by_name(slugs) -> list[str]:
    """Names of these members in alphabetical order (no sample name starts
    with æ, ø or å, so plain case-folded order is the Danish order here)."""
    return sorted((SOURCES[s]["name"] for s in slugs), key=str.casefold)


def names_listed(soup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select(".member-card__name a")]


def facts(soup) -> dict:
    """The profile's <dl class="facts"> as {label: <dd>}."""
    dl = soup.select_one("dl.facts")
    return {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in dl("dt")}


def header_fields(path) -> dict:
    """'Key: value' lines at the top of a Markdown file."""
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def logo_size(relative: str) -> tuple[int, int]:
    path = CONTENT / relative
    if path.suffix == ".svg":
        root = ET.parse(path).getroot()
        return int(root.get("width")), int(root.get("height"))
    with Image.open(path) as image:
        return image.size


def test_the_sample_covers_every_region_and_both_kinds_of_logo():
    regions = {s["region"] for s in SOURCES.values()}
    assert regions == set(model.REGIONS)
    logos = {str(s.get("logo", ""))[-4:] for s in SOURCES.values()}
    assert {".svg", ".png", ""} <= logos


@pytest.mark.parametrize("slug", SOURCES)
def test_every_member_has_a_profile_with_its_facts(site, slug):
    source = SOURCES[slug]
    soup = site.soup(f"members/{slug}/")
    assert soup.h1.get_text(strip=True) == source["name"]
    assert soup.select_one(".member__summary").get_text(strip=True) == source["summary"]
    found = facts(soup)
    assert found["Website"].a["href"] == source["homepage"]
    based_in = found["Based in"]
    assert based_in.get_text(" ", strip=True).startswith(f"{source['city']} ,")
    assert based_in.a["href"] == f"/members/regions/{source['region']}/"
    sector_links = [a["href"] for a in found["Works in"]("a")]
    assert sector_links == [
        f"/members/sectors/{s}/" for s in as_list(source["sectors"])
    ]
    for label, key in (("Founded", "founded"), ("Member since", "member_since")):
        if key in source:
            assert found[label].get_text(strip=True) == str(source[key])
        else:
            assert label not in found
    if "email" in source:
        assert found["E-mail"].a["href"] == f"mailto:{source['email']}"
    links = source.get("links", {})
    if links:
        expected = [links[n] for n in model.SOCIAL_NETWORKS if n in links]
        assert [a["href"] for a in found["Elsewhere"]("a")] == expected
    else:
        assert "Elsewhere" not in found
    programmes = as_list(source.get("programmes", []))
    if programmes:
        hrefs = {a["href"] for a in found["Programmes"]("a")}
        assert hrefs == {f"/programmes/{p}/" for p in programmes}
    else:
        assert "Programmes" not in found


@pytest.mark.parametrize("slug", SOURCES)
def test_profile_shows_the_logo_at_its_size_or_a_monogram(site, slug):
    source = SOURCES[slug]
    header = site.soup(f"members/{slug}/").select_one(".member__header")
    img = header.find("img")
    if "logo" in source:
        assert img["src"] == "/" + source["logo"]
        assert img["alt"] == ""  # the name is right next to it
        width, height = logo_size(source["logo"])
        assert (int(img["width"]), int(img["height"])) == (width, height)
        assert (site.root / source["logo"]).is_file()
    else:
        assert img is None
        initials = "".join(word[0] for word in source["name"].split()[:2])
        monogram = header.select_one(".monogram")
        assert monogram.get_text(strip=True) == initials.upper()
        assert monogram["aria-hidden"] == "true"


def test_links_in_a_description_point_at_the_built_pages(site):
    described = [
        s for s, src in SOURCES.items() if "{filename}" in src.get("description", "")
    ]
    assert described
    for slug in described:
        prose = site.soup(f"members/{slug}/").select_one(".member__body .prose")
        for target in re.findall(
            r"\{filename\}/(\w+)/([\w-]+)\.md", SOURCES[slug]["description"]
        ):
            href = f"/{target[0]}/{target[1]}/"
            assert prose.find("a", href=href), (slug, href)
            assert site.path(href).is_file()


def test_the_directory_lists_every_member_in_alphabetical_order(site):
    soup = site.soup("members/")
    assert names_listed(soup) == by_name(SOURCES)
    hrefs = [a["href"] for a in soup.select(".member-card__name a")]
    assert sorted(hrefs) == sorted(f"/members/{slug}/" for slug in SOURCES)
    assert (
        soup.h1.get_text(strip=True)
        == header_fields(CONTENT / "pages/members.md")["Title"]
    )
    count = soup.select_one(".directory__count").get_text(strip=True)
    assert count == f"{len(SOURCES)} members"
    current = soup.select('.member-filters a[aria-current="page"]')
    assert [a["href"] for a in current] == ["/members/"]


def test_each_card_shows_place_summary_and_sectors(site):
    cards = {
        card.select_one(".member-card__name a")["href"]: card
        for card in site.soup("members/").select(".member-card")
    }
    for slug, source in SOURCES.items():
        card = cards[f"/members/{slug}/"]
        region = STRINGS[f"region_{source['region']}"]
        place = card.select_one(".member-card__place").get_text(strip=True)
        assert place == f"{source['city']}, {region}"
        summary = card.select_one(".member-card__summary").get_text(strip=True)
        assert summary == source["summary"]
        tags = [li.get_text(strip=True) for li in card.select(".tags li")]
        assert tags == [STRINGS[f"sector_{s}"] for s in as_list(source["sectors"])]


def test_filter_pages_list_exactly_the_members_of_a_sector_or_region(site):
    directory = site.soup("members/")
    written = 0
    for facet, key, choices in FACETS:
        for value in choices:
            slugs = [s for s, src in SOURCES.items() if value in as_list(src[key])]
            url = f"/members/{facet}/{value}/"
            chip = directory.select_one(f'.member-filters a[href="{url}"]')
            if not slugs:
                assert chip is None and not site.path(url).exists(), url
                continue
            written += 1
            assert f"({len(slugs)})" in chip.get_text(" ", strip=True)
            soup = site.soup(url)
            assert names_listed(soup) == by_name(slugs), url
            current = soup.select('.member-filters a[aria-current="page"]')
            assert [a["href"] for a in current] == [url]
            label = STRINGS[f"{key.removesuffix('s')}_{value}"]
            assert soup.h1.get_text(strip=True) == f"Members: {label}"
            assert soup.find("link", rel="canonical")["href"].endswith(url)
            assert soup.select_one(".article__section a")["href"] == "/members/"
    assert written >= len(model.REGIONS) + 2


def test_showcases_and_members_link_to_each_other(site):
    checked = 0
    for path in sorted((CONTENT / "showcases").glob("*.md")):
        named = header_fields(path).get("Member", "")
        slugs = [s.strip() for s in named.split(",") if s.strip()]
        footer = site.soup(f"showcases/{path.stem}/").select_one(".article__footer")
        heading = footer.find("h2", string="Featured members")
        if not slugs:
            assert heading is None
            continue
        links = heading.find_next_sibling("ul")("a")
        assert [a["href"] for a in links] == [f"/members/{s}/" for s in slugs]
        assert [a.get_text() for a in links] == [SOURCES[s]["name"] for s in slugs]
        for slug in slugs:
            featured = site.soup(f"members/{slug}/").select_one(".related")
            assert featured.find("a", href=f"/showcases/{path.stem}/"), (slug, path)
            checked += 1
    assert checked >= 6


def test_members_without_showcases_have_no_featured_section(site):
    featured = set()
    for path in (CONTENT / "showcases").glob("*.md"):
        featured |= {
            s.strip() for s in header_fields(path).get("Member", "").split(",")
        }
    without = [slug for slug in SOURCES if slug not in featured]
    assert without
    for slug in without:
        assert site.soup(f"members/{slug}/").select_one(".related") is None


def test_profiles_describe_an_organization_in_microdata(site):
    for slug, source in SOURCES.items():
        html = site.path(f"members/{slug}/").read_text(encoding="utf-8")
        data = extruct.extract(
            html,
            base_url=f"{PRODUCTION_SITEURL}/members/{slug}/",
            syntaxes=["microdata"],
        )["microdata"]
        [organization] = [
            i for i in data if i["type"] == "https://schema.org/Organization"
        ]
        props = organization["properties"]
        assert props["name"] == source["name"]
        assert props["url"] == source["homepage"]
        assert props["description"] == source["summary"]
        address = props["address"]["properties"]
        assert address["addressLocality"] == source["city"]
        assert address["addressRegion"] == STRINGS[f"region_{source['region']}"]
        assert address["addressCountry"] == "DK"
        same_as = as_list(props.get("sameAs", []))
        assert sorted(same_as) == sorted(source.get("links", {}).values())


def test_the_menu_marks_members_as_current_on_directory_pages(site):
    for url_path in ("members/", "members/sectors/games/", "members/kattegat-xr/"):
        link = site.soup(url_path).select_one('#site-nav a[href="/members/"]')
        assert link.get("aria-current") == "page", url_path
    news_link = site.soup("news/").select_one('#site-nav a[href="/members/"]')
    assert news_link.get("aria-current") is None


def read_json(site, name):
    return json.loads(site.path(name).read_text(encoding="utf-8"))


def test_members_json_is_valid_against_its_schema(site):
    data, schema = (
        read_json(site, "members.json"),
        read_json(site, "members.schema.json"),
    )
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.FormatChecker()
    )
    validator.validate(data)
    assert (
        data["$schema"] == schema["$id"] == f"{PRODUCTION_SITEURL}/members.schema.json"
    )
    # The schema really constrains the records: an unknown region is refused.
    broken = json.loads(json.dumps(data))
    broken["members"][0]["region"] = "atlantis"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)


def test_members_json_holds_every_member_as_written(site):
    data = read_json(site, "members.json")
    assert data["count"] == len(SOURCES) == len(data["members"])
    assert [m["name"] for m in data["members"]] == by_name(SOURCES)
    for record in data["members"]:
        source = SOURCES[record["id"]]
        for key in ("name", "summary", "homepage", "city", "region"):
            assert record[key] == source[key], (record["id"], key)
        assert record["sectors"] == as_list(source["sectors"])
        assert record["founded"] == source.get("founded")
        assert record["member_since"] == source.get("member_since")
        assert record["email"] == source.get("email")
        assert record["links"] == source.get("links", {})
        assert record["programmes"] == as_list(source.get("programmes", []))
        assert record["url"] == f"{PRODUCTION_SITEURL}/members/{record['id']}/"
        if "logo" in source:
            assert record["logo"] == f"{PRODUCTION_SITEURL}/{source['logo']}"
        else:
            assert record["logo"] is None
    labels = data["vocabularies"]
    assert labels["regions"] == {r: STRINGS[f"region_{r}"] for r in model.REGIONS}
    assert labels["sectors"] == {s: STRINGS[f"sector_{s}"] for s in model.SECTORS}


def test_members_csv_has_a_row_per_member_with_readable_labels(site):
    text = site.path("members.csv").read_bytes().decode("utf-8")
    assert "\r\n" in text  # RFC 4180 line ends, as spreadsheets expect
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["name"] for row in rows] == by_name(SOURCES)
    titles = {
        p.stem: header_fields(p)["Title"] for p in (CONTENT / "programmes").glob("*.md")
    }
    for row in rows:
        source = SOURCES[row["id"]]
        assert row["homepage"] == source["homepage"]
        assert row["region"] == STRINGS[f"region_{source['region']}"]
        sectors = [STRINGS[f"sector_{s}"] for s in as_list(source["sectors"])]
        assert row["sectors"] == "; ".join(sectors)
        programmes = [titles[p] for p in as_list(source.get("programmes", []))]
        assert row["programmes"] == "; ".join(programmes)
        assert row["founded"] == str(source.get("founded", ""))
        for network in model.SOCIAL_NETWORKS:
            assert row[network] == source.get("links", {}).get(network, "")


def test_the_directory_links_its_data_files(site):
    soup = site.soup("members/")
    alternate = soup.find("link", rel="alternate", type="application/json")
    assert alternate["href"] == "/members.json"
    hrefs = [a["href"] for a in soup.select(".member-data a")]
    assert hrefs == ["/members.json", "/members.csv", "/members.schema.json"]
    for href in hrefs:
        assert site.path(href).is_file(), href


def test_production_exports_and_pages_use_the_site_address(production_site):
    siteurl = production_site.siteurl
    data = read_json(production_site, "members.json")
    assert all(m["url"].startswith(f"{siteurl}/members/") for m in data["members"])
    soup = production_site.soup("members/")
    hrefs = [a["href"] for a in soup.select(".member-card__name a")]
    assert hrefs and all(h.startswith(f"{siteurl}/members/") for h in hrefs)
    sitemap = production_site.path("sitemap.xml")
    if sitemap.exists():  # written by pelican-sitemap where it is enabled
        listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap.read_text("utf-8")))
        assert {f"{siteurl}/members/{slug}/" for slug in SOURCES} <= listed


DRAFT = """name: Tågeskov Studio
summary: A studio that is not ready to be listed yet.
homepage: https://taageskov.example
sectors: [film]
city: Odense
region: syddanmark
status: draft
"""


def test_a_draft_member_is_only_in_development_drafts(content_copy, tmp_path):
    (content_copy / "members" / "taageskov-studio.yaml").write_text(DRAFT, "utf-8")
    dev = tmp_path / "dev"
    prod = tmp_path / "prod"
    build_into(dev, PATH=str(content_copy))
    build_into(prod, "publishconf.py", PATH=str(content_copy))
    assert (dev / "drafts/pages/taageskov-studio/index.html").is_file()
    for output in (dev, prod):
        assert not (output / "members/taageskov-studio").exists()
        listing = (output / "members/index.html").read_text(encoding="utf-8")
        assert "Tågeskov" not in listing
        exported = json.loads((output / "members.json").read_text(encoding="utf-8"))
        assert "taageskov-studio" not in {m["id"] for m in exported["members"]}
        assert "taageskov-studio" not in (output / "members.csv").read_text("utf-8")
    assert not (prod / "drafts").exists()
