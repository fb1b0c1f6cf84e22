"""`invoke new`: a new post with every required field that builds at once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_build_cli
from content_model import model
from content_model.slugs import slugify

INVOKE = Path(sys.executable).with_name("invoke")


def run_new(section: str, title: str, root: Path):
    """Run `invoke new` from a copy of the project, as staff do."""
    return subprocess.run(
        [str(INVOKE), "new", section, title],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("section", [s.name for s in model.DATED_SECTIONS])
def test_new_writes_a_file_that_builds(project_copy, tmp_path, section):
    title = "Spilbar på Ærø: Øl, spil og åbne døre"
    result = run_new(section, title, project_copy)
    assert result.returncode == 0, result.stderr
    relative = result.stdout.strip()
    folder = model.SECTIONS_BY_NAME[section].folder
    assert relative == f"content/{folder}/spilbar-paa-aeroe-oel-spil-og-aabne-doere.md"
    text = (project_copy / relative).read_text(encoding="utf-8")
    assert text.startswith(f"Title: {title}\nDate: ")
    for field in model.SECTIONS_BY_NAME[section].fields:
        if field.required:
            assert f"\n{field.name}: " in text or text.startswith(field.name), field
    assert "Status: draft" in text

    build = run_build_cli(project_copy / "content", tmp_path / "out")
    assert build.returncode == 0, build.stderr
    slug = "spilbar-paa-aeroe-oel-spil-og-aabne-doere"
    built = tmp_path / "out" / "drafts" / section / slug / "index.html"
    page = built.read_text(encoding="utf-8")
    assert title in page
    # A draft is in no calendar yet, so its page offers none.
    for href in re.findall(r'href="(/[^"#?]*\.ics)"', page):
        assert (tmp_path / "out" / href.lstrip("/")).exists(), href


def test_new_refuses_an_unknown_section(project_copy):
    result = run_new("blog", "Hello", project_copy)
    assert result.returncode == 2
    assert "section 'blog' is not one of news, showcases, press" in result.stderr


def test_new_refuses_to_overwrite(project_copy):
    assert run_new("news", "Same title", project_copy).returncode == 0
    again = run_new("news", "Same title", project_copy)
    assert again.returncode == 2
    assert "already exists" in again.stderr


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Growing Games 2027", "growing-games-2027"),
        ("Æbler, ørreder og ål", "aebler-oerreder-og-aal"),
        ("ÅRHUS & Øresund", "aarhus-oeresund"),
        ("Café Zoë — VR", "cafe-zoe-vr"),
        ("  --  ", ""),
    ],
)
def test_slugify_handles_danish_letters(title, slug):
    assert slugify(title) == slug


def test_new_writes_a_header_from_the_fields_of_any_section(tmp_path, monkeypatch):
    """A new dated section (workshops, say) needs no change to `invoke new`:
    every required field gets a line, with a value for its kind."""
    from dataclasses import replace
    from datetime import datetime

    from content_model.new import new_file
    from content_model.validate import parse_header, validate_header

    news = model.SECTIONS_BY_NAME["news"]
    workshops = replace(
        news,
        name="workshops",
        folder="workshops",
        fields=(
            *news.fields,
            model.Field("Start", model.DATETIME, required=True),
            model.Field("Venue", model.TEXT, required=True),
        ),
    )
    monkeypatch.setitem(model.SECTIONS_BY_NAME, "workshops", workshops)
    monkeypatch.setattr(model, "DATED_SECTIONS", (*model.DATED_SECTIONS, workshops))
    path = new_file(
        str(tmp_path), "workshops", "Spilbar Odense", datetime(2026, 12, 4, 17)
    )
    text = Path(path).read_text("utf-8")
    header = text.split("\n\n")[0].splitlines()
    assert [line.split(":")[0] for line in header] == [
        f.name for f in workshops.fields if f.required or f.name == "Status"
    ]
    assert "Start: 2026-12-04 17:00" in header
    # Every value passes the content model, so the new file builds.
    entries, _body_line = parse_header(text)
    content = str(ROOT / "content")  # where the stand-in picture is
    _metadata, issues = validate_header(workshops, Path(path).stem, entries, content)
    assert issues == []


def test_the_text_new_writes_is_never_published(project_copy, tmp_path):
    """Deleting only the Status line publishes nothing: every line still
    holding text `invoke new` wrote is a located error, until it is replaced."""
    from content_model.new import BODY, PUBLISH_NOTE, SUMMARY

    result = run_new("events", "Spilbar Vejle", project_copy)
    path = project_copy / result.stdout.strip()
    text = path.read_text("utf-8").replace("Status: draft\n", "")
    path.write_text(text, "utf-8")
    build = run_build_cli(project_copy / "content", tmp_path / "out")
    assert build.returncode == 1
    lines = text.splitlines()
    for needle, field in (
        (SUMMARY, "Summary"),
        ("Venue: (", "Venue"),
        ("City: (", "City"),
        (BODY, "text"),
        (PUBLISH_NOTE, "text"),
    ):
        number = next(n for n, line in enumerate(lines, 1) if needle in line)
        assert (
            f"content/events/spilbar-vejle.md:{number}: {field}: still holds the "
            "text `invoke new` wrote for you"
        ) in build.stderr, (needle, build.stderr)
    mended = text.replace(SUMMARY, "Spilbar comes to Vejle for the first time.")
    venue = next(x for x in lines if x.startswith("Venue:"))
    mended = mended.replace(venue, "Venue: Spillehuset Fiktiv")
    city = next(x for x in lines if x.startswith("City:"))
    mended = mended.replace(city, "City: Vejle")
    mended = mended.split("\n\n")[0] + "\n\nTalks, demos and time to meet.\n"
    path.write_text(mended, "utf-8")
    build = run_build_cli(project_copy / "content", tmp_path / "out")
    assert build.returncode == 0, build.stderr
