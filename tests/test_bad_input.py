"""Bad content fails the build with one line per problem, naming the file,
the line, the field and what is allowed, and leaves the previous output."""

from __future__ import annotations

from pathlib import Path

from conftest import run_build_cli
from support import PREVIOUS_SITE, assert_failed_and_kept, error_lines

GOOD_NEWS = """Title: Spilbar returns to Odense
Date: 2026-05-04 17:00
Summary: Developers, students and investors meet over games and drinks.
Image: images/brand/default-share.png
Image_alt: The Interactive Denmark wordmark on a navy background
Tags: Spilbar

Meet the studios of Funen at the spring Spilbar.
"""


def write(content: Path, relative: str, text: str) -> Path:
    path = content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_date_names_file_line_field_and_format(content_copy, previous_output):
    write(
        content_copy,
        "news/bad-date.md",
        GOOD_NEWS.replace("2026-05-04 17:00", "4 May 2026"),
    )
    result = run_build_cli(content_copy, previous_output)
    assert_failed_and_kept(result, previous_output)
    assert error_lines(result) == [
        "content/news/bad-date.md:2: Date: '4 May 2026' is not a valid date and "
        "time: use YYYY-MM-DD HH:MM, Copenhagen time, for example 2026-03-14 09:30"
    ]


def test_impossible_date_is_refused(content_copy, previous_output):
    write(
        content_copy,
        "news/bad-date.md",
        GOOD_NEWS.replace("2026-05-04 17:00", "2026-02-30 10:00"),
    )
    result = run_build_cli(content_copy, previous_output)
    assert_failed_and_kept(result, previous_output)
    assert "content/news/bad-date.md:2: Date: '2026-02-30 10:00'" in result.stderr


def test_missing_required_field_says_how_to_add_it(content_copy, previous_output):
    write(
        content_copy,
        "news/no-summary.md",
        GOOD_NEWS.replace(
            "Summary: Developers, students and investors meet over games and drinks.\n",
            "",
        ),
    )
    result = run_build_cli(content_copy, previous_output)
    assert_failed_and_kept(result, previous_output)
    [line] = error_lines(result)
    assert line.startswith("content/news/no-summary.md: Summary: is missing: ")
    assert "add a line 'Summary: ...'" in line
    assert "at most 200 characters" in line


def test_unknown_status_value_lists_the_allowed_values(content_copy, previous_output):
    write(
        content_copy,
        "news/bad-status.md",
        GOOD_NEWS.replace("Tags: Spilbar", "Tags: Spilbar\nStatus: publish"),
    )
    result = run_build_cli(content_copy, previous_output)
    assert_failed_and_kept(result, previous_output)
    [line] = error_lines(result)
    assert line.startswith(
        "content/news/bad-status.md:7: Status: 'publish' is not allowed: "
        "one of published, draft"
    )


def test_unknown_programme_lists_the_programmes(content_copy, previous_output):
    write(
        content_copy,
        "news/bad-programme.md",
        GOOD_NEWS.replace(
            "Tags: Spilbar", "Tags: Spilbar\nProgrammes: spilbar, growing-gamez"
        ),
    )
    result = run_build_cli(content_copy, previous_output)
    assert_failed_and_kept(result, previous_output)
    [line] = error_lines(result)
    assert line.startswith(
        "content/news/bad-programme.md:7: Programmes: 'growing-gamez' (did you "
        "mean 'growing-games'?) unknown: use one of"
    )
    assert "growing-games" in line and "spilbar" in line


def test_unknown_field_suggests_the_nearest_name(content_copy, previous_output):
    write(content_copy, "news/typo.md", GOOD_NEWS.replace("Tags:", "Tag:"))
    result = run_build_cli(content_copy, previous_output)
    assert_failed_and_kept(result, previous_output)
    lines = error_lines(result)
    assert (
        "content/news/typo.md:6: Tag: is not a field of the news section: "
        "did you mean 'Tags'?" in lines[0]
    )


def test_markdown_outside_the_section_folders_is_refused(content_copy, previous_output):
    write(content_copy, "blog/post.md", GOOD_NEWS)
    result = run_build_cli(content_copy, previous_output)
    assert_failed_and_kept(result, previous_output)
    [line] = error_lines(result)
    assert line.startswith(
        "content/blog/post.md: section: the folder 'blog' is not a section: "
        "move the file into one of content/news/"
    )


def test_file_of_the_wrong_section_is_checked_against_its_folder(
    content_copy, previous_output
):
    write(content_copy, "programmes/spilbar-odense.md", GOOD_NEWS)
    result = run_build_cli(content_copy, previous_output)
    assert_failed_and_kept(result, previous_output)
    lines = error_lines(result)
    assert lines[0].startswith(
        "content/programmes/spilbar-odense.md:2: Date: is not a field of the "
        "programmes section"
    ), lines
    assert any("Order: is missing" in line for line in lines), lines


def test_missing_image_and_missing_alt_text(content_copy, previous_output):
    write(
        content_copy,
        "news/no-image.md",
        GOOD_NEWS.replace(
            "images/brand/default-share.png", "images/news/not-there.jpg"
        ),
    )
    write(
        content_copy,
        "news/no-alt.md",
        GOOD_NEWS.replace(
            "Image_alt: The Interactive Denmark wordmark on a navy background\n", ""
        ),
    )
    result = run_build_cli(content_copy, previous_output)
    assert_failed_and_kept(result, previous_output)
    lines = error_lines(result)
    assert (
        "content/news/no-image.md:4: Image: file 'images/news/not-there.jpg' does not "
        "exist in content/" in lines[1]
    )
    assert lines[0].startswith("content/news/no-alt.md:4: Image_alt: is missing")


def test_unreadable_image_is_refused(content_copy, previous_output):
    (content_copy / "images/news/broken.jpg").write_bytes(b"not a picture")
    write(
        content_copy,
        "news/broken-image.md",
        GOOD_NEWS.replace("images/brand/default-share.png", "images/news/broken.jpg"),
    )
    result = run_build_cli(content_copy, previous_output)
    assert_failed_and_kept(result, previous_output)
    # The post that shows it, and the file itself (every file content/
    # would publish is checked).
    picture, post = error_lines(result)
    assert post.startswith(
        "content/news/broken-image.md:4: Image: file "
        "'images/news/broken.jpg' cannot be read as an image"
    )
    assert picture.startswith(
        "content/images/news/broken.jpg: file: cannot be read as an image"
    )


def test_summary_over_the_limit(content_copy, previous_output):
    write(
        content_copy,
        "news/long.md",
        GOOD_NEWS.replace(
            "Developers, students and investors meet over games and drinks.", "x" * 201
        ),
    )
    result = run_build_cli(content_copy, previous_output)
    assert_failed_and_kept(result, previous_output)
    [line] = error_lines(result)
    assert line == (
        "content/news/long.md:3: Summary: is 201 characters long: use "
        "plain text of at most 200 characters"
    )


def test_broken_internal_link(content_copy, previous_output):
    write(
        content_copy,
        "news/link.md",
        GOOD_NEWS + "\nSee [about]({filename}/pages/abuot.md).\n",
    )
    result = run_build_cli(content_copy, previous_output)
    assert_failed_and_kept(result, previous_output)
    [line] = error_lines(result)
    assert line.startswith(
        "content/news/link.md:10: link: '{filename}/pages/abuot.md' "
        "points at a file that does not exist"
    )


def test_non_utf8_and_empty_files(content_copy, previous_output):
    (content_copy / "news/latin1.md").write_bytes(
        GOOD_NEWS.replace("Odense", "Århus").encode("latin-1")
    )
    write(content_copy, "news/empty.md", "")
    result = run_build_cli(content_copy, previous_output)
    assert_failed_and_kept(result, previous_output)
    lines = error_lines(result)
    assert lines[0].startswith("content/news/empty.md: file: is empty")
    assert lines[1].startswith("content/news/latin1.md:1: file: is not UTF-8 text")
    assert "save the file with UTF-8 encoding" in lines[1]


def test_every_problem_of_a_run_is_reported_at_once(content_copy, previous_output):
    write(content_copy, "news/one.md", GOOD_NEWS.replace("2026-05-04 17:00", "soon"))
    write(content_copy, "news/two.md", GOOD_NEWS.replace("Title: ", "Titel: "))
    write(content_copy, "press/three.md", GOOD_NEWS.replace("Tags: Spilbar\n", ""))
    result = run_build_cli(content_copy, previous_output)
    assert_failed_and_kept(result, previous_output)
    lines = error_lines(result)
    files = {line.split(":")[0] for line in lines}
    assert files == {
        "content/news/one.md",
        "content/news/two.md",
        "content/press/three.md",
    }
    assert "The build found" in result.stderr


def test_a_good_build_replaces_the_previous_output(content_copy, previous_output):
    result = run_build_cli(content_copy, previous_output)
    assert result.returncode == 0, result.stderr
    assert PREVIOUS_SITE not in (previous_output / "index.html").read_text("utf-8")
    assert (previous_output / "about/index.html").is_file()


def test_drafts_are_built_in_development_but_never_in_production(
    content_copy, tmp_path
):
    write(
        content_copy,
        "news/secret-plans.md",
        GOOD_NEWS.replace("Tags: Spilbar\n", "Tags: Spilbar\nStatus: draft\n"),
    )
    dev = run_build_cli(content_copy, tmp_path / "dev")
    assert dev.returncode == 0, dev.stderr
    assert (tmp_path / "dev/drafts/news/secret-plans/index.html").is_file()
    prod = run_build_cli(content_copy, tmp_path / "prod", "publishconf.py")
    assert prod.returncode == 0, prod.stderr
    built = [p for p in (tmp_path / "prod").rglob("*") if "secret-plans" in str(p)]
    assert built == []
    listing = (tmp_path / "prod/news/index.html").read_text(encoding="utf-8")
    assert "Spilbar returns to Odense" not in listing
