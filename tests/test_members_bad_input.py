"""Bad member files: each kind of mistake gives one line naming the file, the
line (where there is one), the field, what is wrong and what to write instead.

Most tests run the real readers on one file in a private copy of content/,
which is fast; one test runs the real build command to show that every
problem of a run is reported at once and the previous site is kept."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

import build_errors
import content_model
import site_build
from conftest import ROOT, build_into, run_build_cli
from content_model import ModelReader
from members.reader import MemberReader

GOOD = """name: Ravnsborg Games
summary: A games studio in Roskilde making puzzle games for phones.
homepage: https://ravnsborg.example
sectors: [games, apps]
city: Roskilde
region: sjaelland
"""
PROGRAMMES = sorted(p.stem for p in (ROOT / "content" / "programmes").glob("*.md"))
FIELDS = (
    "name, summary, homepage, sectors, city, region, logo, founded, member_since, "
    "email, links, programmes, description, status"
)
LOGO_HELP = (
    "use an SVG, PNG, JPEG or WebP file under content/, such as "
    "images/members/fjordfox-games.svg"
)
SVG_FIX = "export the logo again as a plain SVG, or use a PNG"


@pytest.fixture(scope="module")
def settings() -> dict:
    return site_build.load_settings(str(ROOT / "pelicanconf.py"))


@pytest.fixture
def read(content_copy, settings):
    """read(relative path, text) -> (metadata, problem lines) of one file,
    read by the reader Pelican would use for it."""
    settings = {**settings, "PATH": str(content_copy)}

    def read(relative: str, text: str | bytes):
        path = content_copy / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        build_errors.reset(SimpleNamespace(settings=settings))
        reader = MemberReader if path.suffix in (".yaml", ".yml") else ModelReader
        _content, metadata = reader(settings).read(str(path))
        return metadata, [str(problem) for problem in build_errors.problems()]

    yield read
    build_errors.reset()


def write_logo(content: Path, name: str, data: str | bytes) -> str:
    path = content / "images" / "members" / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return f"images/members/{name}"


def test_a_good_member_file_reads_without_problems(read):
    metadata, problems = read("members/ravnsborg-games.yaml", GOOD)
    assert problems == []
    assert metadata["title"] == "Ravnsborg Games"
    assert metadata["sectors"] == ["games", "apps"]
    assert metadata["url"] == "members/ravnsborg-games/"
    assert metadata["template"] == "member"


def test_sectors_may_also_be_written_with_commas(read):
    text = GOOD.replace("sectors: [games, apps]", "sectors: games, apps")
    metadata, problems = read("members/ravnsborg-games.yaml", text)
    assert problems == [] and metadata["sectors"] == ["games", "apps"]


def test_missing_required_field_says_what_to_add(read):
    _, problems = read(
        "members/ravnsborg-games.yaml", GOOD.replace("city: Roskilde\n", "")
    )
    assert problems == [
        "content/members/ravnsborg-games.yaml: city: is missing: add a line "
        "'city: ...' (the town or city, such as Odense)"
    ]


def test_misspelt_field_suggests_the_right_name(read):
    _, problems = read(
        "members/ravnsborg-games.yaml", GOOD.replace("homepage", "homepge")
    )
    assert problems == [
        "content/members/ravnsborg-games.yaml:3: homepge: is not a field of the "
        f"members section: did you mean 'homepage'? allowed fields: {FIELDS}",
        "content/members/ravnsborg-games.yaml: homepage: is missing: add a line "
        "'homepage: ...' (the company's website, starting with https://)",
    ]


@pytest.mark.parametrize(
    "value", ["www.ravnsborg.example", "ftp://ravnsborg.example", "https://ravnsborg"]
)
def test_homepage_must_be_a_web_address(read, value):
    text = GOOD.replace("https://ravnsborg.example", value)
    _, problems = read("members/ravnsborg-games.yaml", text)
    assert problems == [
        f"content/members/ravnsborg-games.yaml:3: homepage: {value!r} is not a web "
        "address: use the company's website, starting with https://"
    ]


def test_email_must_be_an_address(read):
    _, problems = read(
        "members/ravnsborg-games.yaml", GOOD + "email: ravnsborg.example\n"
    )
    assert problems == [
        "content/members/ravnsborg-games.yaml:7: email: 'ravnsborg.example' is not "
        "an e-mail address: use a public e-mail address, such as hello@studio.dk"
    ]


def test_founded_must_be_a_four_digit_year(read):
    _, problems = read("members/ravnsborg-games.yaml", GOOD + "founded: '16'\n")
    assert problems == [
        "content/members/ravnsborg-games.yaml:7: founded: '16' is not a year: use "
        "the year the company was founded, such as 2016"
    ]


def test_unknown_sector_lists_the_sectors(read):
    text = GOOD.replace("[games, apps]", "[games, music, Film]")
    _, problems = read("members/ravnsborg-games.yaml", text)
    assert problems == [
        "content/members/ravnsborg-games.yaml:4: sectors: 'music', 'Film' not "
        "allowed: use one or more of games, film, animation, vfx, xr, apps (what "
        "the company works in), as a list or separated by commas"
    ]


def test_region_must_be_one_of_the_five(read):
    text = GOOD.replace("region: sjaelland", "region: Sjælland")
    _, problems = read("members/ravnsborg-games.yaml", text)
    assert problems == [
        "content/members/ravnsborg-games.yaml:6: region: 'Sjælland' is not allowed: "
        "one of hovedstaden, midtjylland, nordjylland, sjaelland, syddanmark (the "
        "Danish region the company is based in)"
    ]


def test_links_name_known_networks_with_web_addresses(read):
    text = GOOD + (
        "links:\n"
        "  myspace: https://myspace.com/ravnsborg\n"
        "  linkedin: linkedin.com/company/ravnsborg\n"
        "  youtube: https://www.youtube.com/@ravnsborg\n"
    )
    _, problems = read("members/ravnsborg-games.yaml", text)
    [line] = problems
    assert line.startswith(
        "content/members/ravnsborg-games.yaml:7: links: 'myspace' is not a network "
        "the site shows; linkedin: 'linkedin.com/company/ravnsborg' is not a web "
        "address: use one line per network under 'links:', indented by two spaces, "
        "such as '  linkedin: https://www.linkedin.com/company/name'; networks: "
        "linkedin, facebook, instagram, x, "
    )


def test_links_written_as_one_address_say_how_to_list_them(read):
    text = GOOD + "links: https://www.linkedin.com/company/ravnsborg\n"
    _, problems = read("members/ravnsborg-games.yaml", text)
    [line] = problems
    assert line.startswith(
        "content/members/ravnsborg-games.yaml:7: links: must be one 'network: "
        "address' line per network: use one line per network under 'links:'"
    )


def test_unknown_programme_lists_the_programmes(read):
    _, problems = read(
        "members/ravnsborg-games.yaml", GOOD + "programmes: [growing-gamez]\n"
    )
    assert problems == [
        "content/members/ravnsborg-games.yaml:7: programmes: 'growing-gamez' "
        f"unknown: use one of {', '.join(PROGRAMMES)}"
    ]


def test_logo_file_must_exist(read):
    text = GOOD + "logo: images/members/ravnsborg.svg\n"
    _, problems = read("members/ravnsborg-games.yaml", text)
    assert problems == [
        "content/members/ravnsborg-games.yaml:7: logo: file "
        f"'images/members/ravnsborg.svg' does not exist in content/: {LOGO_HELP}"
    ]


UNSAFE_SVGS = {
    "script": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        "<script>alert(1)</script></svg>",
        "contains a <script> element",
    ),
    "event-handler": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" '
        'onload="alert(1)"/>',
        "has a script in its onload attribute",
    ),
    "external-image": (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
        '<image xlink:href="https://tracker.example/pixel.png"/></svg>',
        "links to another file ('https://tracker.example/pixel.png')",
    ),
    "external-style": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        "<style>@import url(https://fonts.example/x.css);</style></svg>",
        "its styles load another file",
    ),
    "foreign-object": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        "<foreignObject/></svg>",
        "contains a <foreignObject> element",
    ),
    "entities": (
        '<!DOCTYPE svg [<!ENTITY a "aaaa">]>'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>',
        "declares XML entities",
    ),
}


@pytest.mark.parametrize("kind", UNSAFE_SVGS)
def test_svg_logo_must_not_run_scripts_or_load_files(read, content_copy, kind):
    svg, problem = UNSAFE_SVGS[kind]
    logo = write_logo(content_copy, "ravnsborg.svg", svg)
    _, problems = read("members/ravnsborg-games.yaml", GOOD + f"logo: {logo}\n")
    assert problems == [
        f"content/members/ravnsborg-games.yaml:7: logo: file '{logo}' {problem}: "
        f"{SVG_FIX}: {LOGO_HELP}"
    ]


def test_svg_logo_needs_a_size(read, content_copy):
    logo = write_logo(
        content_copy,
        "ravnsborg.svg",
        '<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>',
    )
    _, problems = read("members/ravnsborg-games.yaml", GOOD + f"logo: {logo}\n")
    assert problems == [
        f"content/members/ravnsborg-games.yaml:7: logo: file '{logo}' has no size: "
        "give its <svg> element a viewBox, or a width and height in pixels: "
        f"{LOGO_HELP}"
    ]


def test_svg_logo_size_comes_from_its_view_box(read, content_copy):
    logo = write_logo(
        content_copy,
        "ravnsborg.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120.4">'
        '<a href="#x"><rect width="300" height="120"/></a></svg>',
    )
    metadata, problems = read("members/ravnsborg-games.yaml", GOOD + f"logo: {logo}\n")
    assert problems == []
    assert (metadata["logo_width"], metadata["logo_height"]) == (300, 120)
    assert metadata["logo_type"] == "image/svg+xml"


def test_logo_in_another_image_format_is_refused(read, content_copy):
    from PIL import Image

    path = content_copy / "images" / "members" / "ravnsborg.gif"
    Image.new("RGB", (8, 8), "navy").save(path)
    text = GOOD + "logo: images/members/ravnsborg.gif\n"
    _, problems = read("members/ravnsborg-games.yaml", text)
    assert problems == [
        "content/members/ravnsborg-games.yaml:7: logo: file "
        "'images/members/ravnsborg.gif' is a GIF image, not JPEG, PNG or WebP: "
        f"{LOGO_HELP}"
    ]


def test_summary_longer_than_200_characters(read):
    summary = "A games studio in Roskilde. " * 8
    text = GOOD.replace(
        "A games studio in Roskilde making puzzle games for phones.", summary
    )
    _, problems = read("members/ravnsborg-games.yaml", text)
    assert problems == [
        f"content/members/ravnsborg-games.yaml:2: summary: is {len(summary.strip())} "
        "characters long: use plain text of at most 200 characters: what the "
        "company does"
    ]


def test_yaml_that_cannot_be_read_names_its_line_and_the_usual_fixes(read):
    text = GOOD.replace("summary: A games studio", "summary: Games: a studio")
    _, problems = read("members/ravnsborg-games.yaml", text)
    [line] = problems
    assert line.startswith(
        "content/members/ravnsborg-games.yaml:2: YAML: cannot be read: mapping "
        "values are not allowed here: write one 'field: value' per line; put a "
        "value that contains ': ' or starts with a quote in double quotes"
    )


def test_tabs_in_yaml_are_refused_at_their_line(read):
    text = GOOD + "description: |\n\tTabs are not allowed in YAML.\n"
    _, problems = read("members/ravnsborg-games.yaml", text)
    [line] = problems
    assert line.startswith(
        "content/members/ravnsborg-games.yaml:8: YAML: cannot be read"
    )
    assert "never with tabs" in line


def test_a_yaml_list_instead_of_fields(read):
    _, problems = read(
        "members/ravnsborg-games.yaml", "- name: Ravnsborg\n- city: Køge\n"
    )
    [line] = problems
    assert line.startswith(
        "content/members/ravnsborg-games.yaml:1: file: is not a set of fields: "
        "write one 'field: value' per line"
    )


def test_a_list_where_one_value_belongs(read):
    text = GOOD.replace("city: Roskilde", "city: [Roskilde, Køge]")
    _, problems = read("members/ravnsborg-games.yaml", text)
    assert problems == [
        "content/members/ravnsborg-games.yaml:5: city: must be one value, not a "
        "list: use the town or city, such as Odense"
    ]


def test_a_field_given_twice(read):
    _, problems = read("members/ravnsborg-games.yaml", GOOD + "city: Køge\n")
    assert problems == [
        "content/members/ravnsborg-games.yaml:7: city: is given twice (first on "
        "line 5): keep one"
    ]


def test_a_broken_link_in_the_description_names_its_line(read):
    text = GOOD + (
        "description: |\n"
        "  Ravnsborg Games makes puzzle games.\n"
        "  Read about [our first game]({filename}/showcases/no-such-story.md).\n"
    )
    _, problems = read("members/ravnsborg-games.yaml", text)
    [line] = problems
    assert line.startswith(
        "content/members/ravnsborg-games.yaml:9: link: "
        "'{filename}/showcases/no-such-story.md' points at a file that does not "
        "exist: link to a file under content/"
    )


def test_the_description_is_markdown_and_never_read_as_a_header(
    read, content_copy, settings
):
    text = GOOD + (
        "description: |\n"
        "  Founded: by two friends in 2019.\n"
        "\n"
        "  See [Spilbar]({filename}/programmes/spilbar.md).\n"
    )
    metadata, problems = read("members/ravnsborg-games.yaml", text)
    assert problems == [] and "description" not in metadata
    reader = MemberReader({**settings, "PATH": str(content_copy)})
    html, _ = reader.read(str(content_copy / "members" / "ravnsborg-games.yaml"))
    assert "<p>Founded: by two friends in 2019.</p>" in html
    assert '<a href="{filename}/programmes/spilbar.md">Spilbar</a>' in html


def test_an_empty_member_file(read):
    _, problems = read("members/ravnsborg-games.yaml", "\n")
    assert problems == [
        "content/members/ravnsborg-games.yaml: file: is empty: start it with a "
        "'name: ...' line and the other fields of the members section"
    ]


def test_a_member_file_that_is_not_utf8(read):
    _, problems = read(
        "members/ravnsborg-games.yaml", GOOD.encode("utf-8") + "ø".encode("latin-1")
    )
    [line] = problems
    assert line.startswith(
        "content/members/ravnsborg-games.yaml:7: file: is not UTF-8 text (byte 0xf8): "
        "save the file with UTF-8 encoding"
    )


def test_a_yml_file_is_asked_to_be_renamed(read):
    _, problems = read("members/ravnsborg-games.yml", GOOD)
    assert problems == [
        "content/members/ravnsborg-games.yml: file: the members section takes YAML "
        "(.yaml) files, not '.yml': rename it to ravnsborg-games.yaml"
    ]


def test_markdown_among_the_members_is_refused(read):
    _, problems = read(
        "members/ravnsborg-games.md", "Title: Ravnsborg Games\n\nText.\n"
    )
    assert problems == [
        "content/members/ravnsborg-games.md: file: the members section takes YAML "
        "(.yaml) files, not '.md': write it as content/members/ravnsborg-games.yaml, "
        "or move it to the folder of the section it belongs to"
    ]


def test_yaml_among_the_news_is_refused(read):
    _, problems = read("news/ravnsborg-games.yaml", GOOD)
    assert problems == [
        "content/news/ravnsborg-games.yaml: file: the news section takes Markdown "
        "(.md) files, not '.yaml': write it as content/news/ravnsborg-games.md, or "
        "move it to the folder of the section it belongs to"
    ]


@pytest.mark.parametrize("slug", ["sectors", "regions"])
def test_a_member_cannot_take_the_address_of_a_filter(read, slug):
    _, problems = read(f"members/{slug}.yaml", GOOD)
    assert problems == [
        f"content/members/{slug}.yaml: file name: '{slug}' is taken by the "
        f"directory's {slug} filter (/members/{slug}/): name the file after the "
        f"company, such as {slug}-studio.yaml"
    ]


def test_a_file_name_that_is_not_a_slug(read):
    _, problems = read("members/Ravnsborg_Games.yaml", GOOD)
    [line] = problems
    assert line.startswith(
        "content/members/Ravnsborg_Games.yaml: file name: 'Ravnsborg_Games' is not "
        "a valid slug (the file name becomes the URL): use lowercase letters"
    )


def test_a_showcase_naming_an_unknown_member_lists_the_members(read):
    showcase = (ROOT / "content/showcases/fjordfox-games-talhavn.md").read_text("utf-8")
    text = showcase.replace("Member: fjordfox-games", "Member: fjordfox")
    _, problems = read("showcases/fjordfox-games-talhavn.md", text)
    members = sorted(p.stem for p in (ROOT / "content/members").glob("*.yaml"))
    assert problems == [
        "content/showcases/fjordfox-games-talhavn.md:7: Member: 'fjordfox' unknown: "
        f"use one of {', '.join(members)}"
    ]


def test_a_member_file_outside_the_members_folder_is_refused(content_copy, settings):
    stray = content_copy / "member" / "ravnsborg-games.yaml"
    stray.parent.mkdir()
    stray.write_text(GOOD, encoding="utf-8")
    pelican = SimpleNamespace(settings={**settings, "PATH": str(content_copy)})
    build_errors.reset(pelican)
    content_model.check_stray_files(pelican)
    problems = [str(p) for p in build_errors.problems()]
    build_errors.reset()
    assert len(problems) == 1
    assert problems[0].startswith(
        "content/member/ravnsborg-games.yaml: section: the folder 'member' is not a "
        "section: move the file into one of "
    )
    assert "content/members/" in problems[0]


@pytest.fixture
def previous_output(tmp_path) -> Path:
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("<p>the site as it was</p>", encoding="utf-8")
    return output


def test_every_member_problem_of_a_run_is_reported_at_once(
    content_copy, previous_output
):
    members = content_copy / "members"
    (members / "ravnsborg-games.yaml").write_text(
        GOOD.replace("region: sjaelland", "region: zealand"), encoding="utf-8"
    )
    (members / "grenen-xr.yaml").write_text(
        (members / "grenen-xr.yaml").read_text("utf-8").replace("https://", "www."),
        encoding="utf-8",
    )
    (content_copy / "pages" / "members.md").unlink()
    result = run_build_cli(content_copy, previous_output)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("content/")]
    assert lines == [
        "content/members/grenen-xr.yaml:3: homepage: 'www.grenen-xr.example' is not "
        "a web address: use the company's website, starting with https://",
        "content/members/ravnsborg-games.yaml:6: region: 'zealand' is not allowed: "
        "one of hovedstaden, midtjylland, nordjylland, sjaelland, syddanmark (the "
        "Danish region the company is based in)",
        "content/pages/members.md: file: is missing: the member directory takes its "
        "title and introduction from it: add it with a 'Title: ...' and a "
        "'Summary: ...' line and a short text",
    ]
    assert "Nothing was published" in result.stderr
    assert (previous_output / "index.html").read_text("utf-8") == (
        "<p>the site as it was</p>"
    )


def test_a_bad_members_setting_stops_the_build_with_every_problem(tmp_path):
    with pytest.raises(build_errors.BuildFailed) as failed:
        build_into(
            tmp_path / "output",
            PATH=str(ROOT / "content"),
            MEMBERS={"json": "../members.json", "csv": 5, "xml": "members.xml"},
        )
    messages = [p.message for p in failed.value.problems]
    assert messages == [
        "members: MEMBERS has no setting 'xml'; the settings are 'json', 'csv', "
        "'schema'\n"
        "members: MEMBERS['json'] must be a file name ending in '.json' inside the "
        "output folder, or '' for none, not '../members.json'\n"
        "members: MEMBERS['csv'] must be a file name ending in '.csv' inside the "
        "output folder, or '' for none, not 5"
    ]
    assert not (tmp_path / "output").exists()


def test_an_export_set_to_empty_is_neither_written_nor_linked(tmp_path):
    output = tmp_path / "output"
    build_into(output, PATH=str(ROOT / "content"), MEMBERS={"csv": "", "schema": ""})
    assert (output / "members.json").is_file()
    assert not (output / "members.csv").exists()
    assert not (output / "members.schema.json").exists()
    directory = (output / "members" / "index.html").read_text("utf-8")
    assert 'href="/members.json"' in directory
    assert "members.csv" not in directory and "schema" not in directory
    assert '"$schema"' not in (output / "members.json").read_text("utf-8")
