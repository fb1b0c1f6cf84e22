"""The small parts of the member directory that the sample content cannot
show on its own: Danish alphabetical order, template filters, logo sizes,
the exports' helpers, and the schema that drives the JSON Schema, the CSV
columns and the writing guide."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from PIL import Image

from conftest import ROOT
from content_model import model
from members import exports, hostname, initials, schema
from members.directory import relative_url, sort_key
from members.logos import Logos, fit
from responsive_images import Images
from responsive_images.settings import DEFAULTS


def test_danish_letters_sort_after_z_in_their_own_order():
    names = ["Åben Studio", "Ærø Games", "Zebra Film", "Østerby Animation", "apple"]
    assert sorted(names, key=sort_key) == [
        "apple",
        "Zebra Film",
        "Ærø Games",
        "Østerby Animation",
        "Åben Studio",
    ]


def test_accents_sort_as_their_letter_and_case_is_ignored():
    names = ["Émile VFX", "ebbe Apps", "Fjord", "Eagle"]
    assert sorted(names, key=sort_key) == ["Eagle", "ebbe Apps", "Émile VFX", "Fjord"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Fjordfox Games", "FG"),
        ("Klippeø Games", "KG"),
        ("Zebra", "Z"),
        ("nordlys pixel works", "NP"),
        ("Østerby Animation", "ØA"),
    ],
)
def test_initials_for_the_text_badge(name, expected):
    assert initials(name) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.fjordfox.example/en/", "fjordfox.example"),
        ("http://studio.example", "studio.example"),
        ("https://WWW.Studio.Example", "studio.example"),
    ],
)
def test_hostname_as_link_text(url, expected):
    assert hostname(url) == expected


@pytest.mark.parametrize(
    ("target", "base", "expected"),
    [
        ("members/fjordfox-games/", "members/", "fjordfox-games/"),
        (
            "images/sized/192.0a1b2c3d4e.webp",
            "members/",
            "../images/sized/192.0a1b2c3d4e.webp",
        ),
        ("members/", "members/", "./"),
        ("members/a/", "showcases/x/", "../../members/a/"),
        ("members/logos/120.0a1b2c.webp", "members/", "logos/120.0a1b2c.webp"),
        ("members/../about/", "members/", "../about/"),
        ("members/./a/", "members/", "a/"),
    ],
)
def test_links_relative_to_the_page_they_are_on(target, base, expected):
    assert relative_url(target, base) == expected


@pytest.mark.parametrize(
    ("size", "box", "shown"),
    [
        ((160, 160), (96, 64), (64, 64)),  # square: as high as the box
        ((600, 300), (96, 64), (96, 48)),  # wide: as wide as the box
        ((30, 20), (192, 128), (192, 128)),  # small: scaled up to fill it
        ((1000, 10), (96, 64), (96, 1)),
    ],
)
def test_a_logo_fits_its_box_keeping_its_proportions(size, box, shown):
    assert fit(*size, box) == shown


def test_a_raster_logo_is_resized_to_twice_its_shown_size_at_most(tmp_path):
    (tmp_path / "images/members").mkdir(parents=True)
    Image.new("RGB", (600, 300), "navy").save(tmp_path / "images/members/big.png")
    Image.new("RGB", (120, 60), "navy").save(tmp_path / "images/members/small.png")
    service = Images({"PATH": str(tmp_path)}, dict(DEFAULTS))
    logos = Logos(str(tmp_path), service)
    big = logos.for_member(
        {
            "logo": "images/members/big.png",
            "logo_width": 600,
            "logo_height": 300,
            "logo_type": "image/png",
        }
    )
    assert (big["card"].width, big["card"].height) == (96, 48)
    assert (big["profile"].width, big["profile"].height) == (192, 96)
    widths = sorted(item.width for _path, item, _hash in service.planned.values())
    assert widths == [192, 384]  # twice 96 and twice 192
    small = logos.for_member(
        {
            "logo": "images/members/small.png",
            "logo_width": 120,
            "logo_height": 60,
            "logo_type": "image/png",
        }
    )
    assert small["profile"].path == small["card"].path  # never enlarged: one file
    assert re.fullmatch(r"members/logos/120\.[0-9a-f]{10}\.webp", small["card"].path)


def test_a_jpeg_logo_turned_by_its_exif_data_is_shown_upright(tmp_path):
    (tmp_path / "images/members").mkdir(parents=True)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90°: the picture is shown 100 wide, 200 high
    Image.new("RGB", (200, 100), "navy").save(
        tmp_path / "images/members/turned.jpg", exif=exif
    )
    service = Images({"PATH": str(tmp_path)}, dict(DEFAULTS))
    images = Logos(str(tmp_path), service).for_member(
        {
            "logo": "images/members/turned.jpg",
            "logo_width": 200,
            "logo_height": 100,
            "logo_type": "image/jpeg",
        }
    )
    assert (images["card"].width, images["card"].height) == (32, 64)


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        (
            '=HYPERLINK("https://evil.example","click")',
            '\'=HYPERLINK("https://evil.example","click")',
        ),
        ("+45 12 34 56 78", "'+45 12 34 56 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Odense", "Odense"),
        ("1-9", "1-9"),
        ("", ""),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(cell, written):
    assert exports.neutralise(cell) == written


def test_the_csv_starts_with_a_byte_order_mark_and_quotes_what_it_must():
    record = {
        "slug": "x",
        "url": "https://www.interactivedenmark.dk/members/x/",
        **{field.key: schema.empty(field) for field in schema.FIELDS},
        "name": 'Æblegård, "the" studio',
        "sectors": ["games", "apps"],
        "description": "=1+1",
    }
    text = exports.directory_csv([record])
    assert text.startswith("\ufeffslug,url,name,")
    [row] = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert row["name"] == 'Æblegård, "the" studio'
    assert row["sectors"] == "games; apps"
    assert row["description"] == "'=1+1"


def test_search_text_is_lower_case_without_accents():
    assert exports.search_text("Émile VFX", "Århus", "Café Ørsted") == (
        "emile vfx arhus cafe ørsted"
    )


def test_generated_is_site_now_or_the_newest_article(monkeypatch):
    monkeypatch.delenv("SITE_NOW", raising=False)
    zone = ZoneInfo("Europe/Copenhagen")
    articles = [
        SimpleNamespace(date=datetime(2026, 3, 1, 9, 0, tzinfo=zone), modified=None),
        SimpleNamespace(
            date=datetime(2026, 1, 1, 9, 0, tzinfo=zone),
            modified=datetime(2026, 5, 2, 10, 30, tzinfo=zone),
        ),
    ]
    context = {"articles": articles}
    assert exports.generated_at({}, context) == "2026-05-02T10:30:00+02:00"
    settings = {"SITE_NOW": "2026-11-27T12:00:00+01:00"}
    assert exports.generated_at(settings, context) == "2026-11-27T12:00:00+01:00"


def test_the_fingerprinted_name_carries_the_content_hash():
    name = exports.fingerprinted("members/filter.js", "data")
    assert name == "members/filter.3a6eb0790f.js"


# --- One schema, in code, drives everything else ---------------------------------


def test_every_member_field_is_in_the_json_schema_and_the_csv():
    record = schema.record_schema()
    for field in model.MEMBER_FIELDS:
        if field.key == "status":  # drafts are never published
            assert field.key not in record["properties"]
            continue
        assert field.key in record["properties"]
        assert field.key in record["required"]  # always present, maybe null
        if field.kind == model.MAPPING:
            for part in field.parts:
                assert f"{field.key}_{part.key}" in schema.csv_columns()
        else:
            assert field.key in schema.csv_columns()


def test_the_json_schema_refuses_what_the_model_refuses():
    document = schema.directory_schema("https://www.interactivedenmark.dk/s.json")
    jsonschema.Draft202012Validator.check_schema(document)
    record = {
        "slug": "bakkedal-games",
        "url": "https://www.interactivedenmark.dk/members/bakkedal-games/",
        **{field.key: schema.empty(field) for field in schema.FIELDS},
        "name": "Bakkedal Games",
        "sectors": ["games"],
        "region": "Sjælland",
        "city": "Roskilde",
        "website": "https://bakkedal-games.example",
        "description": "Games.",
        "contact": {"email": "a@b.example", "phone": None},
        "notable_works": [{"title": "Knuden", "year": 2021, "url": None}],
    }
    data = {"version": 1, "generated": "2026-11-27T12:00:00+01:00", "count": 1}
    validator = jsonschema.Draft202012Validator(
        document, format_checker=jsonschema.FormatChecker()
    )
    validator.validate({**data, "members": [record]})
    for key, bad in (
        ("employees", "11-20"),
        ("markets", ["b2g"]),
        ("founded", "2019"),
        ("contact", {"email": "a@b.example"}),  # every key present
        ("social", {"myspace": "https://myspace.example"}),
        ("notable_works", [{"title": "Knuden"}]),
    ):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate({**data, "members": [{**record, key: bad}]})


def test_the_writing_guide_documents_the_schema_as_it_is():
    """docs/writing-guide.md holds the table the schema prints
    (PYTHONPATH=plugins python -m members.schema); rerun it after changing
    a field."""
    guide = (ROOT / "docs" / "writing-guide.md").read_text(encoding="utf-8")
    assert schema.field_table() in guide


def test_the_writing_guide_example_is_a_member_file_that_reads(content_copy):
    """The copyable example in the guide is a valid member file."""
    import site_build
    from members.reader import MemberReader

    guide = (ROOT / "docs" / "writing-guide.md").read_text(encoding="utf-8")
    section = guide.split("## Members", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = content_copy / "members" / "example-studio.yaml"
    path.write_text(example, encoding="utf-8")
    settings = site_build.load_settings(str(ROOT / "pelicanconf.py"))
    settings = {**settings, "PATH": str(content_copy)}
    with site_build.Session(settings, cache_folder=None) as session:
        _content, metadata = MemberReader(settings).read(str(path))
    assert [str(p) for p in session.problems] == []
    assert {f.key for f in model.MEMBER_FIELDS} - {"status"} <= set(metadata) | {"name"}


def test_the_filter_index_is_a_script_handing_over_its_data():
    member = SimpleNamespace(
        slug="bakkedal-games",
        title="Bakkedal Games",
        metadata={
            "city": "Roskilde",
            "description": "Puzzle games.",
            "sectors": ["games"],
            "region": "Sjælland",
            "markets": ["b2c"],
        },
    )
    text = exports.filter_index([member])
    prefix = 'document.dispatchEvent(new CustomEvent("members:index",{detail:'
    data = json.loads(text.removeprefix(prefix).removesuffix("}));\n"))
    assert data["members"] == [
        [
            "bakkedal-games",
            "bakkedal games roskilde puzzle games.",
            ["games"],
            ["Sjælland"],
            [],
            [],
            ["b2c"],
            [],
        ]
    ]
    assert (
        Path(ROOT / "theme/static/js/members.js")
        .read_text("utf-8")
        .count(exports.INDEX_EVENT)
        == 1
    )
