"""Bad pictures and dates never reach a feed or a link preview: the content
model refuses them (plugins/content_model/validate.py) and the share images
plugin refuses a missing default picture, each problem naming the file, the
field and the fix, all in one run, with nothing published.

One build of broken content serves every test here: each test finds its own
problem among those the run reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import site_build
from build_errors import BuildFailed, Problem
from conftest import ROOT
from site_build.releases import releases_folder

PRESS = """Title: A press release
Date: 2026-06-01 10:00
Summary: What the press release says, in one sentence.
Image: images/press/danish-studios-at-gamescom-2026.jpg
Image_alt: Illustration of a game controller
Tags: Press

The text of the release.
"""
PAGE = """Title: A page
Summary: What the page is about, in one sentence.
Image: images/press/danish-studios-at-gamescom-2026.jpg
Image_alt: Illustration of a game controller

The text of the page.
"""
BROKEN = {
    # content file: (text, what to replace, replacement)
    "press/missing-picture.md": (
        PRESS,
        "images/press/danish-studios-at-gamescom-2026.jpg",
        "images/press/not-there.jpg",
    ),
    "press/no-alt-text.md": (
        PRESS,
        "Image_alt: Illustration of a game controller\n",
        "",
    ),
    "press/unreadable-picture.md": (
        PRESS,
        "images/press/danish-studios-at-gamescom-2026.jpg",
        "images/press/broken.jpg",
    ),
    "press/bad-date.md": (PRESS, "2026-06-01 10:00", "1 June 2026"),
    "pages/page-with-unreadable-picture.md": (
        PAGE,
        "images/press/danish-studios-at-gamescom-2026.jpg",
        "images/press/broken.jpg",
    ),
    "pages/page-without-alt-text.md": (
        PAGE,
        "Image_alt: Illustration of a game controller\n",
        "",
    ),
}
DEFAULT_PICTURE = "images/brand/default-share.png"


@pytest.fixture(scope="module")
def failed(tmp_path_factory) -> tuple[list[Problem], Path]:
    base = tmp_path_factory.mktemp("bad-pictures")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "images/press/broken.jpg").write_bytes(b"\xff\xd8 not a JPEG")
    (content / DEFAULT_PICTURE).unlink()
    for relative, (text, old, new) in BROKEN.items():
        assert old in text
        (content / relative).write_text(text.replace(old, new), encoding="utf-8")
    output = base / "output"
    with pytest.raises(BuildFailed) as error:
        site_build.build(
            str(ROOT / "pelicanconf.py"), str(output), {"PATH": str(content)}
        )
    return error.value.problems, output


def problem_of(failed, path: str) -> Problem:
    problems, _ = failed
    found = [p for p in problems if p.path == f"content/{path}"]
    assert len(found) == 1, problems
    return found[0]


def test_nothing_is_published(failed):
    _, output = failed
    assert not output.exists()
    assert not Path(releases_folder(str(output))).exists() or not any(
        p.is_dir() for p in Path(releases_folder(str(output))).iterdir()
    )


def test_every_problem_is_reported_in_one_run(failed):
    problems, _ = failed
    paths = {p.path for p in problems}
    assert {f"content/{path}" for path in BROKEN} <= paths
    assert f"content/{DEFAULT_PICTURE}" in paths


def test_a_missing_featured_image(failed):
    problem = problem_of(failed, "press/missing-picture.md")
    assert (problem.line, problem.field) == (4, "Image")
    assert "'images/press/not-there.jpg' does not exist" in problem.message
    assert "JPEG, PNG or WebP file under content/" in problem.allowed


def test_a_featured_image_without_alt_text(failed):
    problem = problem_of(failed, "press/no-alt-text.md")
    assert problem.field == "Image_alt"
    assert problem.message.startswith("is missing")
    assert "Image_alt: ..." in problem.allowed


def test_an_unreadable_featured_image(failed):
    problem = problem_of(failed, "press/unreadable-picture.md")
    assert (problem.line, problem.field) == (4, "Image")
    assert "'images/press/broken.jpg' cannot be read as an image" in problem.message


def test_an_unparseable_date(failed):
    problem = problem_of(failed, "press/bad-date.md")
    assert (problem.line, problem.field) == (2, "Date")
    assert "'1 June 2026'" in problem.message
    assert "YYYY-MM-DD HH:MM" in problem.allowed


def test_an_unreadable_picture_on_a_page(failed):
    problem = problem_of(failed, "pages/page-with-unreadable-picture.md")
    assert (problem.line, problem.field) == (3, "Image")
    assert "cannot be read as an image" in problem.message


def test_a_page_picture_without_alt_text(failed):
    problem = problem_of(failed, "pages/page-without-alt-text.md")
    assert problem.field == "Image_alt"
    assert problem.message.startswith("is missing")


def test_a_missing_default_share_image(failed):
    problem = problem_of(failed, DEFAULT_PICTURE)
    assert problem.field == "SHARE_IMAGES['default']"
    assert f"{DEFAULT_PICTURE!r} does not exist" in problem.message
    assert "pelicanconf.py" in problem.allowed
