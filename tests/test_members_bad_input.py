"""Bad member files: each kind of mistake gives one line naming the file, the
line (where there is one), the field, what is wrong and what is allowed, fails
the build and leaves the previous site in place.

One real build (the build command, as `invoke build` runs it) holds one file
of every kind at once: each kind has its own test of its exact line(s) in
that run, and one test checks that the run reported every problem and nothing
else. Variants of the same kinds are read by the member reader directly,
which is fast."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

import content_model
import site_build
from conftest import ROOT, run_build_cli
from content_model import ModelReader
from members.reader import MemberReader
from members.settings import check_settings
from site_build import Session
from support import (
    PREVIOUS_SITE,
    assert_failed_and_kept,
    assert_setting_problem,
    error_lines,
)

M = "content/members"
GOOD = """name: Bakkedal Games
sectors: [games, apps]
region: Sjælland
city: Roskilde
website: https://bakkedal-games.example
description: A games studio in Roskilde making puzzle games for phones.
"""
FIELDS = (
    "name, sectors, region, city, website, description, logo, founded, employees, "
    "business_model, markets, member_since, programmes, contact, social, "
    "notable_works, tags, status"
)
LOGO_HELP = (
    "use an SVG, PNG or JPEG file in content/images/members/, written with that "
    "folder, such as images/members/fjordfox-games.svg"
)
SVG_FIX = "export the logo again as a plain SVG, or use a PNG"
NO_REFERENCES = (
    "write the value out in full: member files use no anchors (&), aliases (*) "
    "or tags (!)"
)
SCRIPT_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    "<script>alert(1)</script></svg>"
)
MEMBERS = sorted(p.stem for p in (ROOT / "content/members").glob("*.yaml"))
PROGRAMMES = sorted(p.stem for p in (ROOT / "content/programmes").glob("*.md"))


def good(name: str, *extra: str, drop: str = "") -> str:
    """GOOD with another name, without the line starting ``drop``, plus lines."""
    lines = [
        line
        for line in GOOD.replace("Bakkedal Games", name).splitlines()
        if not (drop and line.startswith(drop))
    ]
    return "\n".join([*lines, *extra]) + "\n"


@dataclass(frozen=True)
class Bad:
    path: str  # under content/
    text: str | bytes
    lines: tuple[str, ...]  # every problem line it causes, exactly
    files: tuple[tuple[str, str], ...] = ()  # other files it needs


TALHAVN = (ROOT / "content/showcases/fjordfox-games-talhavn.md").read_text("utf-8")
BAD = {
    "yaml-syntax-error": Bad(
        "members/syntax-error.yaml",
        good("Syntax Games").replace("city: Roskilde", "city: Roskilde: old town"),
        (
            f"{M}/syntax-error.yaml:4: YAML: syntax error at column 15: mapping "
            "values are not allowed in this context: write one 'field: value' per "
            "line; put a value that contains ': ' or starts with a quote, '-', '[', "
            "'{', '&', '*' or '!' in double quotes; indent with spaces, never tabs",
        ),
    ),
    "not-a-mapping": Bad(
        "members/a-list.yaml",
        "- games\n- film\n",
        (
            f"{M}/a-list.yaml:1: file: is a list, not a set of fields: write one "
            "'field: value' line per field, starting with 'name: ...'",
        ),
    ),
    "missing-field": Bad(
        "members/no-city.yaml",
        good("No City Games", drop="city:"),
        (
            f"{M}/no-city.yaml: city: is missing: add a line 'city: ...' (the town "
            "or city, such as Odense)",
        ),
    ),
    "unknown-field": Bad(
        "members/typo.yaml",
        good("Typo Games").replace("website:", "webiste:"),
        (
            f"{M}/typo.yaml:5: webiste: is not a field of the members section: did "
            f"you mean 'website'? allowed fields: {FIELDS}",
            f"{M}/typo.yaml: website: is missing: add a line 'website: ...' (the "
            "company's website, starting with https:// or http://)",
        ),
    ),
    "wrong-type": Bad(
        "members/wrong-types.yaml",
        good(
            "Wrong Types Games",
            "founded: [2018]",
            "contact: hello@wrong-types.example",
            "notable_works: Talhavn",
        ),
        (
            f"{M}/wrong-types.yaml:7: founded: must be one value, not a list: use "
            "the year the company was founded, such as 2016",
            f"{M}/wrong-types.yaml:8: contact: must be a set of fields, not one "
            "value: write 'contact:' on a line of its own, then one line per field, "
            "indented by two spaces, such as '  email: ...'; fields: email, phone",
            f"{M}/wrong-types.yaml:9: notable_works: must be a list, not one value: "
            "write one item per line starting with '  - title: ...', and its year, "
            "url below it, indented by four spaces",
        ),
    ),
    "outside-vocabulary": Bad(
        "members/vocabulary.yaml",
        good("Vocabulary Games")
        .replace("Sjælland", "Zealand")
        .replace("[games, apps]", "[games, esports]"),
        (
            f"{M}/vocabulary.yaml:2: sectors: 'esports' is not allowed: use one or "
            "more of games, film, animation, apps, vfx, xr, edtech, health (what the "
            "company works in), as a list or separated by commas",
            f"{M}/vocabulary.yaml:3: region: 'Zealand' is not allowed: one of "
            "Hovedstaden, Sjælland, Syddanmark, Midtjylland, Nordjylland (the Danish "
            "region the company is based in, written as here)",
        ),
    ),
    "javascript-urls": Bad(
        "members/script-links.yaml",
        good(
            "Script Links Games",
            "social:",
            "  linkedin: javascript:alert(1)",
        ).replace("https://bakkedal-games.example", "javascript:alert(1)"),
        (
            f"{M}/script-links.yaml:5: website: 'javascript:alert(1)' is not a web "
            "address (it starts with 'javascript:'): write the full address "
            "starting with https://, such as https://www.example.dk/",
            f"{M}/script-links.yaml:8: social.linkedin: 'javascript:alert(1)' is not "
            "a web address (it starts with 'javascript:'): write the full address "
            "starting with https://, such as https://www.example.dk/",
        ),
    ),
    "description-too-long": Bad(
        "members/long-story.yaml",
        good("Long Story Games", drop="description:") + f"description: {'x' * 401}\n",
        (
            f"{M}/long-story.yaml:6: description: is 401 characters long: use plain "
            "text of at most 400 characters: what the company does",
        ),
    ),
    "duplicate-name": Bad(
        "members/zz-fjordfox.yaml",
        good("Fjordfox  games"),  # the same name in other case and spacing
        (
            f"{M}/zz-fjordfox.yaml:1: name: 'Fjordfox games' is already the name of "
            f"{M}/fjordfox-games.yaml: give each member its own name, or remove one "
            "of the files",
        ),
    ),
    "not-utf8": Bad(
        "members/latin-1.yaml",
        good("Latin Games").replace("Roskilde", "Næstved").encode("latin-1"),
        (
            f"{M}/latin-1.yaml:3: file: is not UTF-8 text (byte 0xe6): save the "
            "file with UTF-8 encoding",
        ),
    ),
    "empty-file": Bad(
        "members/empty.yaml",
        "\n",
        (
            f"{M}/empty.yaml: file: is empty: start it with a 'name: ...' line and "
            "the other fields of the members section",
        ),
    ),
    "missing-logo-file": Bad(
        "members/lost-logo.yaml",
        good("Lost Logo Games", "logo: images/members/lost-logo.png"),
        (
            f"{M}/lost-logo.yaml:7: logo: file 'images/members/lost-logo.png' does "
            f"not exist in content/: {LOGO_HELP}",
        ),
    ),
    "svg-logo-with-a-script": Bad(
        "members/script-logo.yaml",
        good("Script Logo Games", "logo: images/members/script-logo.svg"),
        (
            f"{M}/script-logo.yaml:7: logo: file 'images/members/script-logo.svg' "
            f"contains a <script> element: {SVG_FIX}: {LOGO_HELP}",
            # The file itself, as every file content/ would publish is checked.
            "content/images/members/script-logo.svg: file: contains a <script> "
            f"element: {SVG_FIX}",
        ),
        files=(("images/members/script-logo.svg", SCRIPT_SVG),),
    ),
    "yaml-alias": Bad(
        "members/aliases.yaml",
        good(
            "Alias Games",
            "contact: &shared",
            "  email: hello@aliases.example",
            "notable_works:",
            "  - *shared",
        ),
        (
            f"{M}/aliases.yaml:7: contact: sets the anchor &shared: {NO_REFERENCES}",
            f"{M}/aliases.yaml:10: notable_works[1]: uses the alias *shared: "
            f"{NO_REFERENCES}",
        ),
    ),
    "yaml-tag": Bad(
        "members/tags.yaml",
        good("Tag Games", drop="city:") + "city: !!python/name:os.system ''\n",
        (
            f"{M}/tags.yaml:6: city: has the tag 'tag:yaml.org,2002:python/name:"
            f"os.system': {NO_REFERENCES}",
        ),
    ),
    "unknown-member-of-a-showcase": Bad(
        "showcases/fjordfox-games-talhavn.md",
        TALHAVN.replace("Member: fjordfox-games", "Member: fjordfox"),
        (),  # the line lists every member file, see the test below
    ),
    "showcase-without-member": Bad(
        "showcases/no-member.md",
        TALHAVN.replace("Member: fjordfox-games\n", ""),
        (
            "content/showcases/no-member.md: Member: is missing: add a line "
            "'Member: ...' to the header (member slugs (file names in "
            "content/members/) separated by commas)",
        ),
    ),
}


@pytest.fixture(scope="module")
def failed_build(tmp_path_factory):
    """One run of the build command over content with every bad file."""
    project = tmp_path_factory.mktemp("bad-members")
    content = project / "content"
    shutil.copytree(ROOT / "content", content)
    for bad in BAD.values():
        for relative, text in ((bad.path, bad.text), *bad.files):
            path = content / relative
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
    output = project / "output"
    output.mkdir()
    (output / "index.html").write_text(PREVIOUS_SITE, encoding="utf-8")
    result = run_build_cli(content, output)
    names = sorted(p.stem for p in (content / "members").glob("*.yaml"))
    return SimpleNamespace(result=result, output=output, members=names)


def expected_lines(kind: str, members: list[str]) -> tuple[str, ...]:
    if kind == "unknown-member-of-a-showcase":
        return (
            "content/showcases/fjordfox-games-talhavn.md:7: Member: 'fjordfox' "
            "(did you mean 'zz-fjordfox' or 'fjordfox-games'?) unknown: use the "
            "names of files in "
            f"content/members/ without .yaml ({len(members)} there), separated by "
            "commas",
        )
    return BAD[kind].lines


@pytest.mark.parametrize("kind", BAD)
def test_bad_input_fails_the_build_with_its_message(failed_build, kind):
    assert_failed_and_kept(failed_build.result, failed_build.output)
    lines = error_lines(failed_build.result)
    for line in expected_lines(kind, failed_build.members):
        assert line in lines, f"{line}\nnot among:\n" + "\n".join(lines)


def test_every_problem_of_every_file_is_reported_in_the_one_run(failed_build):
    expected = sorted(
        line for kind in BAD for line in expected_lines(kind, failed_build.members)
    )
    assert sorted(error_lines(failed_build.result)) == expected


# --- Variants, read by the reader Pelican uses for the file -------------------


@pytest.fixture(scope="module")
def settings() -> dict:
    return site_build.load_settings(str(ROOT / "pelicanconf.py"))


@pytest.fixture
def read(content_copy, settings):
    """read(relative path, text) -> (metadata, problem lines) of one file."""
    settings = {**settings, "PATH": str(content_copy)}

    def read(relative: str, text: str | bytes):
        path = content_copy / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        with Session(settings, cache_folder=None) as session:
            reader = MemberReader if path.suffix in (".yaml", ".yml") else ModelReader
            _content, metadata = reader(settings).read(str(path))
        return metadata, [str(problem) for problem in session.problems]

    return read


def write_logo(content: Path, name: str, data: str | bytes) -> str:
    path = content / "images" / "members" / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return f"images/members/{name}"


FULL = """name: Bakkedal Games
sectors: games, apps
region: Sjælland
city: Roskilde
website: https://bakkedal-games.example
description: >
  A games studio in Roskilde
  making puzzle games for phones.
founded: 2019
employees: 250+
business_model: own-ip
markets: [b2b, b2c]
member_since: 2024
programmes: [spilbar]
contact:
  phone: +45 12 34 56 78
  email: hello@bakkedal-games.example
social:
  youtube: https://www.youtube.com/@bakkedal
  linkedin: https://www.linkedin.com/company/bakkedal
notable_works:
  - title: Knuden
    year: 2021
    url: https://bakkedal-games.example/knuden
  - title: Trappen
    year: 2024
tags: [puzzles, mobile]
"""


def test_a_member_with_every_field_reads_as_typed_values(read):
    metadata, problems = read("members/bakkedal-games.yaml", FULL)
    assert problems == []
    assert metadata["title"] == "Bakkedal Games"
    assert metadata["sectors"] == ["games", "apps"]  # commas work as a list too
    assert metadata["description"] == (
        "A games studio in Roskilde making puzzle games for phones."
    )
    assert (metadata["founded"], metadata["member_since"]) == (2019, 2024)
    assert metadata["employees"] == "250+"
    assert metadata["business_model"] == ["own-ip"]
    assert metadata["markets"] == ["b2b", "b2c"]
    assert metadata["programmes"] == ["spilbar"]
    assert metadata["contact"] == {
        "email": "hello@bakkedal-games.example",
        "phone": "+45 12 34 56 78",
    }
    assert metadata["social"] == {
        "linkedin": "https://www.linkedin.com/company/bakkedal",
        "youtube": "https://www.youtube.com/@bakkedal",
    }
    assert metadata["notable_works"] == [
        {
            "title": "Knuden",
            "year": 2021,
            "url": "https://bakkedal-games.example/knuden",
        },
        {"title": "Trappen", "year": 2024},
    ]
    assert metadata["tags"] == ["puzzles", "mobile"]
    assert metadata["url"] == "members/bakkedal-games/"
    assert metadata["template"] == "member"


def test_yaml_words_stay_text_as_written(read):
    """YAML 1.1 would read 'no' as false and 'on' as true; member files keep
    what staff wrote."""
    metadata, problems = read("members/no.yaml", good("No", "tags: [yes, on, 1e3]"))
    assert problems == []
    assert metadata["title"] == "No"
    assert metadata["tags"] == ["yes", "on", "1e3"]


def test_html_in_a_field_is_kept_as_text(read):
    text = good("<b>Bold</b> & Co", drop="description:")
    text += "description: <script>alert('x')</script> makes games.\n"
    metadata, problems = read("members/bold.yaml", text)
    assert problems == []
    assert metadata["title"] == "<b>Bold</b> & Co"
    assert metadata["description"] == "<script>alert('x')</script> makes games."


WRITE_WEB = (
    "write the full address starting with https://, such as https://www.example.dk/"
)


@pytest.mark.parametrize(
    ("value", "problem", "instead"),
    [
        ("www.bakkedal.example", "is not a full web address", WRITE_WEB),
        (
            "ftp://bakkedal.example",
            "is not a web address (it starts with 'ftp:')",
            WRITE_WEB,
        ),
        ("https://bakkedal", "has no public host name (such as example.dk)", ""),
        ("data:x", "is not a web address (it starts with 'data:')", WRITE_WEB),
        # Shown as b.dk by a careless parser; browsers go to a.example.
        (
            "https://a.example\\@b.dk/",
            "contains a backslash (\\), which browsers read as /, so this link "
            "goes to 'a.example'",
            "write the address with / only",
        ),
        (
            "https://a.example@b.dk/",
            "goes to 'b.dk': the part before @ is a user name that browsers would "
            "send to 'b.dk'",
            "write only the address of the site, such as https://b.dk/",
        ),
        ("https://bakkedal.example/ games", "contains a space", ""),
    ],
)
def test_website_must_be_an_address_browsers_read_as_shown(
    read, value, problem, instead
):
    """URLs are read as browsers read them (WHATWG): the host a page shows
    is the host a visitor reaches."""
    text = good("Bakkedal Games").replace("https://bakkedal-games.example", value)
    _, problems = read("members/bakkedal-games.yaml", text)
    [line] = problems
    assert line.startswith(f"{M}/bakkedal-games.yaml:5: website: '{value}' {problem}")
    assert instead in line


def test_a_misspelt_network_suggests_the_right_one(read):
    text = good("Bakkedal Games", "social:", "  linkdin: https://linkedin.example/b")
    _, problems = read("members/bakkedal-games.yaml", text)
    assert problems == [
        f"{M}/bakkedal-games.yaml:8: social.linkdin: is not a field of social: did "
        "you mean 'linkedin'? allowed fields: linkedin, facebook, x, instagram, "
        "youtube, mastodon, bluesky"
    ]


def test_contact_details_are_checked(read):
    text = good(
        "Bakkedal Games",
        "contact:",
        "  email: bakkedal.example",
        "  phone: call us",
    )
    _, problems = read("members/bakkedal-games.yaml", text)
    assert problems == [
        f"{M}/bakkedal-games.yaml:8: contact.email: 'bakkedal.example' is not an "
        "e-mail address: use a public e-mail address",
        f"{M}/bakkedal-games.yaml:9: contact.phone: 'call us' is not a telephone "
        "number: use a telephone number, such as +45 12 34 56 78",
    ]


def test_notable_works_are_checked_item_by_item(read):
    text = good(
        "Bakkedal Games",
        "notable_works:",
        "  - title: Knuden",
        "  - titel: Trappen",
        "    year: 20x4",
        "    url: javascript:void(0)",
        "  - Stigen",
    )
    _, problems = read("members/bakkedal-games.yaml", text)
    assert sorted(problems) == sorted(
        [
            f"{M}/bakkedal-games.yaml:8: notable_works[1].year: is missing: add a line "
            "'year: ...' to notable_works[1] (the year it came out)",
            f"{M}/bakkedal-games.yaml:9: notable_works[2].titel: is not a field of "
            "notable_works: did you mean 'title'? allowed fields: title, year, url",
            f"{M}/bakkedal-games.yaml:9: notable_works[2].title: is missing: add a "
            "line 'title: ...' to notable_works[2] (the work's title)",
            f"{M}/bakkedal-games.yaml:10: notable_works[2].year: '20x4' is not a year: "
            "use the year it came out",
            f"{M}/bakkedal-games.yaml:11: notable_works[2].url: 'javascript:void(0)' "
            "is not a web address (it starts with 'javascript:'): " + WRITE_WEB,
            f"{M}/bakkedal-games.yaml:12: notable_works[3]: must be a set of fields, "
            "not one value: write one item per line starting with '  - title: ...', "
            "and its year, url below it, indented by four spaces",
        ]
    )


def test_size_band_and_business_model_list_what_is_allowed(read):
    text = good("Bakkedal Games", "employees: 12", "business_model: indie")
    _, problems = read("members/bakkedal-games.yaml", text)
    assert problems == [
        f"{M}/bakkedal-games.yaml:7: employees: '12' is not allowed: one of 1-9, "
        "10-49, 50-249, 250+ (the number of employees, as a size band)",
        f"{M}/bakkedal-games.yaml:8: business_model: 'indie' is not allowed: use "
        "one or more of own-ip, work-for-hire (own-ip: its own games, films or "
        "products; work-for-hire: projects for clients), as a list or separated by "
        "commas",
    ]


def test_an_alias_bomb_is_refused_without_being_expanded(read):
    """The 'billion laughs': nine lines that would expand to 10^9 values."""
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [{','.join([f'*{previous}'] * 9)}]")
    _, problems = read("members/bomb.yaml", "\n".join(bomb) + "\n")
    assert problems[0] == f"{M}/bomb.yaml:1: a: sets the anchor &a: {NO_REFERENCES}"
    # Anchors, aliases and the one kept: 81 found, the first 25 said (so that
    # one file cannot bury the problems of the others), then how many more.
    *shown, more = problems
    assert len(shown) == 25 and all(NO_REFERENCES in line for line in shown)
    assert more == (
        f"{M}/bomb.yaml: file: has {8 + 8 * 9 + 1 - 25} more problems: mend the "
        "ones above and build again"
    )


def test_a_python_tag_is_refused(read):
    text = "!!python/object/apply:os.system ['echo unsafe']\n"
    _, problems = read("members/tagged.yaml", text)
    assert problems[0] == (
        f"{M}/tagged.yaml:1: file: is a list, not a set of fields: write one "
        "'field: value' line per field, starting with 'name: ...'"
    )


def test_a_second_yaml_document_is_refused(read):
    _, problems = read("members/two.yaml", good("Two Games") + "---\nname: Three\n")
    assert problems == [
        f"{M}/two.yaml:7: file: holds a second YAML document (after a '---' line): "
        "keep one member per file and remove the '---' line"
    ]


def test_a_file_of_comments_only_has_no_fields(read):
    _, problems = read("members/comments.yaml", "# name: Someday Games\n")
    assert problems == [
        f"{M}/comments.yaml:1: file: holds no fields, only comments: write one "
        "'field: value' line per field, starting with 'name: ...'"
    ]


def test_tabs_in_yaml_are_refused_at_their_line(read):
    text = good("Tab Games", "contact:", "\temail: a@tab.example")
    _, problems = read("members/tab.yaml", text)
    [line] = problems
    assert line.startswith(f"{M}/tab.yaml:8: YAML: syntax error at column 1: ")


def test_a_field_given_twice(read):
    _, problems = read("members/twice.yaml", good("Twice Games", "city: Køge"))
    assert problems == [
        f"{M}/twice.yaml:7: city: is given twice (first on line 4): keep one"
    ]


def test_an_unknown_programme_lists_the_programmes(read):
    _, problems = read(
        "members/bakkedal-games.yaml", good("Bakkedal Games", "programmes: [spilbarr]")
    )
    assert problems == [
        f"{M}/bakkedal-games.yaml:7: programmes: 'spilbarr' (did you mean "
        f"'spilbar'?) unknown: use one of {', '.join(PROGRAMMES)}"
    ]


def test_a_logo_outside_the_members_folder_is_refused(read):
    text = good("Bakkedal Games", "logo: images/brand/default-share.png")
    _, problems = read("members/bakkedal-games.yaml", text)
    assert problems == [
        f"{M}/bakkedal-games.yaml:7: logo: 'images/brand/default-share.png' is not "
        f"in content/images/members/: {LOGO_HELP}"
    ]


def test_a_logo_written_with_a_slash_in_front_is_read_as_every_picture_is(read):
    text = good("Bakkedal Games", "logo: /images/members/fjordfox-games.svg")
    metadata, problems = read("members/bakkedal-games.yaml", text)
    assert problems == []
    assert metadata["logo"] == "images/members/fjordfox-games.svg"


def test_a_webp_logo_is_refused(read, content_copy):
    from PIL import Image

    Image.new("RGB", (8, 8), "navy").save(
        content_copy / "images/members/bakkedal.webp", "WEBP"
    )
    text = good("Bakkedal Games", "logo: images/members/bakkedal.webp")
    _, problems = read("members/bakkedal-games.yaml", text)
    assert problems == [
        f"{M}/bakkedal-games.yaml:7: logo: file 'images/members/bakkedal.webp' is a "
        f"WEBP image, not SVG, PNG or JPEG: {LOGO_HELP}"
    ]


UNSAFE_SVGS = {
    "event-attribute": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<rect width="10" height="10" onclick="alert(1)"/></svg>',
        "has a script in its onclick attribute",
    ),
    "external-image": (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
        '<image xlink:href="https://tracker.example/pixel.png"/></svg>',
        "links to another file ('https://tracker.example/pixel.png')",
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
def test_an_svg_logo_must_be_inert(read, content_copy, kind):
    svg, problem = UNSAFE_SVGS[kind]
    logo = write_logo(content_copy, "bakkedal.svg", svg)
    _, problems = read("members/bakkedal-games.yaml", good("B", f"logo: {logo}"))
    assert problems == [
        f"{M}/bakkedal-games.yaml:7: logo: file '{logo}' {problem}: {SVG_FIX}: "
        f"{LOGO_HELP}"
    ]


def test_a_yml_file_is_asked_to_be_renamed(read):
    _, problems = read("members/bakkedal-games.yml", GOOD)
    assert problems == [
        f"{M}/bakkedal-games.yml: file: the members section takes YAML (.yaml) "
        "files, not '.yml': rename it to bakkedal-games.yaml"
    ]


def test_a_file_name_that_is_not_a_slug(read):
    _, problems = read("members/Bakkedal_Games.yaml", GOOD)
    assert problems == [
        f"{M}/Bakkedal_Games.yaml: file name: 'Bakkedal_Games' is not a valid slug "
        "(the file name becomes the URL): use lowercase letters a-z, digits and "
        "hyphens, such as growing-games-2027.yaml"
    ]


def test_a_member_file_outside_the_members_folder_is_refused(content_copy, settings):
    stray = content_copy / "member" / "bakkedal-games.yaml"
    stray.parent.mkdir()
    stray.write_text(GOOD, encoding="utf-8")
    pelican = SimpleNamespace(settings={**settings, "PATH": str(content_copy)})
    with Session(pelican.settings, cache_folder=None) as session:
        content_model.check_stray_files(pelican)
    problems = [str(p) for p in session.problems]
    [line] = problems
    assert line.startswith(
        "content/member/bakkedal-games.yaml: section: the folder 'member' is not a "
        "section: move the file into one of "
    )
    assert "content/members/" in line


# --- The MEMBERS setting -----------------------------------------------------


@pytest.mark.parametrize(
    ("given", "field", "problem", "allowed"),
    [
        (
            ["json"],
            "MEMBERS",
            "must be a dict, not ['json']",
            "write MEMBERS = {'key': value, ...}",
        ),
        (
            {"jsn": "x.json"},
            "MEMBERS['jsn']",
            "unknown key 'jsn'",
            "did you mean 'json'?",
        ),
        (
            {"json": "../members.json"},
            "MEMBERS['json']",
            "invalid value '../members.json'",
            "a file name ending in '.json' inside the output folder, or '' for none",
        ),
        (
            {"csv": 5},
            "MEMBERS['csv']",
            "invalid value 5",
            "a file name ending in '.csv' inside the output folder, or '' for none",
        ),
    ],
)
def test_a_bad_members_setting_is_refused(given, field, problem, allowed):
    setting = check_settings({"MEMBERS": given, "PATH": str(ROOT / "content")})
    assert_setting_problem(setting, field, problem, allowed)
