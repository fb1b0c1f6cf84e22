"""`invoke check`: every content check of a build, without writing the
site, grouped by file with what to do, a summary line, and a non-zero exit
when something must be fixed; plus advice a build publishes anyway."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, run_build_cli, settings_for

PLUGINS = ROOT / "plugins"

STORY = """Title: A story to check
Date: 2026-11-01 10:00
Summary: A story with headings and links to check.
Image: images/news/spilbar-odense-march.jpg
Image_alt: Illustration of speech bubbles
Tags: Spilbarr, Games
Programmes: spilbar

# A second title

Some text, and [click here](https://example.org/) for more.

#### Too deep

More text.
"""


def run_check(content):
    settings = settings_for(content)
    return subprocess.run(
        [sys.executable, "-m", "site_build", "check", str(settings)],
        cwd=content.parent,
        env={**os.environ, "PYTHONPATH": str(PLUGINS)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_sample_content_is_clean(content_copy):
    result = run_check(content_copy)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().startswith("Checked ")
    assert "0 problems to fix, 0 suggestions." in result.stdout


def test_problems_and_advice_grouped_by_file_with_the_fix(content_copy):
    (content_copy / "news/check-me.md").write_text(STORY, "utf-8")
    (content_copy / "news/notes.txt").write_text("Notes for the story", "utf-8")
    aarhus = content_copy / "news/spilbar-aarhus-october.md"
    aarhus.write_text(
        aarhus.read_text("utf-8").replace("Date: 2025-10-02 09:30", "Date: 2/10/2025"),
        "utf-8",
    )
    result = run_check(content_copy)
    assert result.returncode == 1
    out = result.stdout
    blocks = {b.split("\n", 1)[0]: b for b in out.strip().split("\n\n")}
    story = blocks["content/news/check-me.md"]
    assert (
        "  line 6: Tags (suggestion): 'Spilbarr' is close to the tag 'Spilbar'"
    ) in story and "    fix: did you mean 'Spilbar'?" in story
    assert "  line 9: heading (suggestion): '# A second title' makes a second" in story
    assert "    fix: start it with '## ': ## A second title" in story
    assert "  line 11: link (suggestion): the link text 'click here'" in story
    assert (
        "  line 13: heading (suggestion): 'Too deep' jumps from level 1 to level 4"
        in story
    )
    assert blocks["content/news/notes.txt"].startswith(
        "content/news/notes.txt\n  file (suggestion): is a '.txt' file, which the "
        "build ignores"
    )
    date = blocks["content/news/spilbar-aarhus-october.md"]
    assert "  line 2: Date: '2/10/2025' is not a valid date and time" in date
    assert "    fix: use YYYY-MM-DD HH:MM" in date
    assert (
        out.strip()
        .splitlines()[-1]
        .endswith("1 problem to fix before the site can be built, 5 suggestions.")
    )
    # Nothing was written: no site, no releases beside the content.
    assert sorted(p.name for p in content_copy.parent.iterdir()) == [
        "content",
        "test_settings.py",
    ]


def test_a_build_publishes_advice_and_counts_it(content_copy, tmp_path):
    (content_copy / "news/check-me.md").write_text(STORY, "utf-8")
    result = run_build_cli(content_copy, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "4 suggestions for the content: see them with `invoke check`." in (
        result.stdout
    )
    assert (tmp_path / "out/news/check-me/index.html").exists()


def test_small_and_huge_featured_pictures_are_advice(content_copy):
    from PIL import Image

    small = content_copy / "images/news/small.jpg"
    Image.new("RGB", (400, 300), (20, 40, 80)).save(small, quality=90)
    huge = content_copy / "images/news/huge.png"
    noise = Image.effect_noise((1800, 1400), 120).convert("RGB")
    noise.save(huge, compress_level=0)
    assert huge.stat().st_size > 5_000_000
    for name, picture in (("small", "small.jpg"), ("huge", "huge.png")):
        text = STORY.replace("spilbar-odense-march.jpg", picture)
        text = text.split("\n\n")[0].replace("Spilbarr", "Spilbar") + "\n\nText.\n"
        (content_copy / f"news/{name}.md").write_text(text, "utf-8")
    out = run_check(content_copy).stdout
    assert (
        "content/news/small.md\n  line 4: Image (suggestion): is 400 pixels wide"
    ) in out
    assert "    fix: use a picture at least 1,200 pixels wide" in out
    assert "content/news/huge.md\n  line 4: Image (suggestion): is 7.6 MB" in out


def test_a_link_to_a_draft_or_a_later_post(content_copy, tmp_path):
    """A published page's link to a draft, or to a post scheduled for later,
    would lead nowhere on the published site: a problem of the production
    build (nothing published), advice in development and `invoke check`."""
    later = STORY.replace("2026-11-01 10:00", "2026-11-28 10:00")
    later = later.split("\n\n")[0].replace("Spilbarr", "Spilbar") + "\n\nSoon.\n"
    (content_copy / "news/embargoed.md").write_text(later, "utf-8")
    aalborg = content_copy / "news/spilbar-aalborg-xr.md"
    text = aalborg.read_text("utf-8").rstrip("\n")
    aalborg.write_text(
        text + "\n\nRead [the launch]({filename}/news/embargoed.md).\n", "utf-8"
    )
    line = text.count("\n") + 3
    out = run_check(content_copy).stdout
    assert (
        f"content/news/spilbar-aalborg-xr.md\n  line {line}: link (suggestion): links "
        "to news/embargoed.md, which is scheduled for 28 November 2026, 10:00"
    ) in out
    production = run_build_cli(content_copy, tmp_path / "out", "publishconf.py")
    assert production.returncode == 1
    assert (
        f"content/news/spilbar-aalborg-xr.md:{line}: link: links to news/embargoed.md, "
        "which is scheduled for"
    ) in production.stderr
    assert not (tmp_path / "out").exists()


def test_a_markdown_file_in_capitals_is_a_problem(content_copy):
    (content_copy / "news/Upper-Case.MD").write_text(STORY, "utf-8")
    result = run_check(content_copy)
    assert result.returncode == 1
    assert (
        "content/news/Upper-Case.MD\n  file: ends in '.MD', which the build does "
        "not read\n    fix: rename it to Upper-Case.md"
    ) in result.stdout


def test_an_address_of_the_site_that_leads_nowhere(content_copy):
    """Links written as addresses (not {filename}) are checked against what
    the site makes: pages, lists, feeds, pictures."""
    story = STORY.split("\n\n")[0].replace("Spilbarr", "Spilbar") + (
        "\n\nSee [about us](/about/), [the news](/news/), [our feeds](/feeds/), "
        "[a topic](/tags/spilbar/) and [the picture]"
        "(/images/news/spilbar-odense-march.jpg),\n"
        "but not [a story that moved](/news/no-such-story/).\n"
    )
    (content_copy / "news/addresses.md").write_text(story, "utf-8")
    result = run_check(content_copy)
    assert result.returncode == 0, result.stdout
    block = next(b for b in result.stdout.split("\n\n") if "addresses.md" in b)
    assert block == (
        "content/news/addresses.md\n"
        "  line 10: link (suggestion): '/news/no-such-story/' leads to no page or "
        "file of the site\n"
        "    fix: link to the file instead, such as [the story]"
        "({filename}/news/my-story.md): the link then follows it"
    )


def test_external_links_are_asked_only_when_told(content_copy, monkeypatch):
    """`invoke check --external` asks every linked page on another site once
    and lists those that do not answer, with the file and line (the other
    sites stand in here: `dead` is tested against a real server below)."""
    import site_build
    from content_model import advice

    asked = []
    answers = {
        "https://www.example.org/gone": "answers 404 (Not Found)",
        "https://down.example.org/": "could not be reached (timed out)",
    }
    monkeypatch.setattr(
        advice, "dead", lambda url: asked.append(url) or answers.get(url)
    )
    story = STORY.split("\n\n")[0].replace("Spilbarr", "Spilbar") + (
        "\n\nRead [the page](https://www.example.org/page),\n"
        "[a page that went](https://www.example.org/gone) and\n"
        "[a site that is down](https://down.example.org/).\n"
    )
    (content_copy / "news/links.md").write_text(story, "utf-8")
    settings = str(settings_for(content_copy))
    quiet = site_build.check(settings)
    assert quiet.external is None and not asked
    result = site_build.check(settings, external=True)
    assert result.problems == [] and result.external == len(set(asked)) == len(asked)
    assert {"https://www.example.org/page", *answers} <= set(asked)
    mine = [str(p) for p in result.advice if p.path.endswith("links.md")]
    assert mine == [
        "content/news/links.md:10: link: 'https://www.example.org/gone' answers 404 "
        "(Not Found): check the address in a browser; mend it, or remove the link",
        "content/news/links.md:11: link: 'https://down.example.org/' could not be "
        "reached (timed out): check the address in a browser; mend it, or remove "
        "the link",
    ]
    assert site_build.check_report(result).endswith(
        f"{len(asked)} links to other sites asked."
    )


def test_a_page_on_another_site_answers_or_says_why_not(tmp_path):
    from content_model.advice import dead
    from tooling import free_port, serve

    (tmp_path / "page.html").write_text("<p>Here</p>", "utf-8")
    with serve(tmp_path) as other_site:
        assert dead(f"{other_site}/page.html") is None
        assert dead(f"{other_site}/gone.html") == "answers 404 (File not found)"
    refused = dead(f"http://127.0.0.1:{free_port()}/")
    assert refused.startswith("could not be reached (")


def test_a_drafts_misspelled_tag_is_a_suggestion_too(content_copy):
    draft = STORY.replace("Tags:", "Status: draft\nTags:")
    (content_copy / "news/check-me.md").write_text(draft, "utf-8")
    result = run_check(content_copy)
    assert "  line 7: Tags (suggestion): 'Spilbarr' is close to the tag 'Spilbar'" in (
        result.stdout
    )


def check_story_with(content_copy, extra: str) -> tuple[str, str]:
    """(the text, what `invoke check` says) of a story whose text is its
    first paragraph and then ``extra``."""
    text = STORY.split("\n\n")[0].replace("Spilbarr", "Spilbar") + "\n\n" + extra
    (content_copy / "news/typed.md").write_text(text, "utf-8")
    return text, run_check(content_copy).stdout


def test_markdown_published_as_typed_is_advice(content_copy):
    """A tired editor's Markdown that the page would show as typed: pictures
    and bold names inside an HTML block that does not read Markdown, and a
    timeline entry written ':text'. Markdown shown in a code block is not."""
    text, out = check_story_with(
        content_copy,
        '<div class="intro">\n\n'
        "![Still: a boat](images/news/spilbar-odense-march.jpg)\n\n"
        "- **Karen Eksempelsen**\n\n"
        "</div>\n\n"
        "2013\n"
        ":The first Spilbar evening.\n\n"
        "    ![shown as code](images/x.jpg)\n",
    )
    lines = text.split("\n")
    found = [
        f"  line {lines.index(typed) + 1}: text (suggestion): '{shown}"
        for typed, shown in (
            ("![Still: a boat](images/news/spilbar-odense-march.jpg)", "![Still"),
            ("- **Karen Eksempelsen**", "- **Karen"),
            (":The first Spilbar evening.", ":The first"),
        )
    ]
    for line in found:
        assert line in out, out
    assert "shown as code" not in out
    assert (
        "not as a picture, link or bold words\n    fix: inside HTML, Markdown is read "
        'only in <div class="gallery">, <div class="people"> and a block whose first '
        'tag has markdown="1", such as <details markdown="1">\n'
    ) in out  # the fix of what was typed, not of timelines too (an outside review)
    assert "not as a timeline entry\n    fix: a timeline entry is its date" in out


def test_a_code_block_in_a_quote_or_list_is_advice(content_copy):
    """Markdown reads ``` only at the start of a line: in a quote or a list
    item the example was published as typed, and the gallery it showed
    became a real one (found by an outside review)."""
    text, out = check_story_with(
        content_copy,
        '- Write it like this:\n\n    ```\n    <div class="gallery">\n\n'
        "    </div>\n    ```\n",
    )
    line = text.split("\n").index("    ```") + 1
    assert (
        f"  line {line}: text (suggestion): '```' is published as typed, not as "
        "the start or end of a code block\n    fix: Markdown reads ``` only at the "
        "start of a line: in a quote or a list, show code by indenting it four "
        "spaces more than the text around it"
    ) in out, out
    assert out.count("is published as typed") == 1, out  # not once per ``` line


def test_a_smiley_at_the_start_of_a_line_is_no_timeline_entry():
    """Found by an outside review: ':)' got advice about timelines."""
    from content_model.advice import text_advice

    text = ":) A good evening.\n\n:The first Spilbar evening.\n"
    html = "<p>:) A good evening.</p>\n<p>:The first Spilbar evening.</p>"
    assert [issue.line for issue in text_advice(text, html, {}, 1)] == [3]


def test_a_heading_typed_in_an_html_block_is_advice():
    """Found by an outside review: inside <details> the headings and lists
    of a programme ran together as typed text, with no word."""
    from content_model.advice import text_advice

    text = "<details>\n<summary>Programme</summary>\n\n## Evening\n\n</details>\n"
    html = text.rstrip("\n")  # an HTML block is published as it is written
    issues = text_advice(text, html, {}, 1)
    assert [(i.line, i.message) for i in issues] == [
        (4, "'## Evening' is published as typed, not as a heading")
    ]
    assert 'markdown="1"' in issues[0].allowed


def test_a_table_or_list_with_no_empty_line_before_is_advice():
    """Found by an outside review as staff: a table right under a sentence,
    and a list in an HTML block, were published as typed, with no word."""
    from content_model.advice import text_advice

    text = (
        "The film opens on these dates:\n| City | Opening |\n| --- | --- |\n\n"
        "<details>\n\n- Aarhus\n\n</details>\n\nWe are **proud**.\n"
    )
    html = (
        "<p>The film opens on these dates:\n| City | Opening |\n| --- | --- |</p>\n"
        "<details>\n\n- Aarhus\n\n</details>\n<p>We are <strong>proud</strong>.</p>"
    )
    found = [(i.line, i.message) for i in text_advice(text, html, {}, 1)]
    assert found == [
        (2, "'| City | Opening |' is published as typed, not as a table row"),
        (7, "'- Aarhus' is published as typed, not as a list item"),
    ]


def test_typed_pictures_whose_alt_texts_start_alike_are_found_on_their_lines():
    """Found by an outside review: three pictures whose alt texts start
    "Screenshot from Lantern Tides: " were all told on the first one's line."""
    from content_model.advice import text_advice

    pictures = [
        f"![Screenshot from Lantern Tides: {what}](images/showcases/x.png)"
        for what in ("the ferry", "the night", "the harbour")
    ]
    text = '<div class="intro">\n\n' + "\n\n".join(pictures) + "\n\n</div>\n"
    html = text.rstrip("\n")  # an HTML block is published as it is written
    assert [i.line for i in text_advice(text, html, {}, 1)] == [3, 5, 7]
