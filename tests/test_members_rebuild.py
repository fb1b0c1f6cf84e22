"""Rebuilds of the member directory (plugins/members/cache.py): what did not
change is kept, what changed is made again, and the site is the same as a
build from nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, run_build_cli, settings_for
from support import error_lines

MEMBER = "members/fjordfox-games/index.html"


def build(content: Path, output: Path, **environment):
    result = run_build_cli(content, output, environment=environment)
    assert result.returncode == 0, result.stderr
    return result


def files(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in sorted(output.rglob("*"))
        if p.is_file()
    }


def stamps(output: Path, pattern: str = "members/*/index.html") -> dict[str, tuple]:
    """Each file's inode and modification time: a file published again gets
    new ones."""
    found = {}
    for path in output.glob(pattern):
        status = path.stat()
        found[path.relative_to(output).as_posix()] = (status.st_ino, status.st_mtime_ns)
    return found


def rendered_in_process(monkeypatch, content: Path, output: Path) -> list[str]:
    """Build in this process, in one process (no helper), and return the
    member pages rendered (the others were kept)."""
    import members
    import site_build

    monkeypatch.setenv("SITE_BUILD_WORKERS", "1")
    rendered = []
    write = members.MemberPages._write

    def counting(self, page):
        rendered.append(page.save_as)
        return write(self, page)

    monkeypatch.setattr(members.MemberPages, "_write", counting)
    site_build.build(str(settings_for(content)), str(output))
    return sorted(rendered)


def test_a_rebuild_keeps_what_did_not_change_and_gives_the_same_site(
    content_copy, tmp_path
):
    output = tmp_path / "output"
    build(content_copy, output)
    before, built = stamps(output, "members/**/*"), files(output)
    second = build(content_copy, output)
    assert stamps(output, "members/**/*") == before, "member files written again"
    assert files(output) == built
    written = int(second.stdout.split("(")[1].split(" new")[0])
    assert written <= 2, second.stdout  # security.txt's expiry may move on

    # The same as a build with nothing kept from earlier builds.
    shutil.rmtree(content_copy.parent / ".cache" / "members")
    build(content_copy, tmp_path / "fresh")
    assert files(tmp_path / "fresh") == files(output)


def test_one_changed_member_makes_only_its_own_page_again(
    content_copy, tmp_path, monkeypatch
):
    output = tmp_path / "output"
    first = rendered_in_process(monkeypatch, content_copy, output)
    profiles = len(list((content_copy / "members").glob("*.yaml")))
    assert len(first) == profiles + 1  # and the directory page
    assert rendered_in_process(monkeypatch, content_copy, output) == []
    before = stamps(output)
    source = content_copy / "members/fjordfox-games.yaml"
    text = source.read_text("utf-8")
    source.write_text(text.replace("city: ", "city: Ny ", 1), "utf-8")
    rendered = rendered_in_process(monkeypatch, content_copy, output)
    assert rendered == ["members/fjordfox-games/index.html", "members/index.html"]
    after = stamps(output)
    assert {page for page in before if before[page] != after[page]} == {MEMBER}
    city = "Ny " + text.split("city: ", 1)[1].split("\n")[0]
    for page in (MEMBER, "members/index.html", "members/members.json"):
        assert city in (output / page).read_text("utf-8"), page


def test_a_change_every_profile_shows_reaches_every_profile(content_copy, tmp_path):
    """The directory page's title is on every profile (its link back)."""
    output = tmp_path / "output"
    build(content_copy, output)
    directory = content_copy / "pages/members.md"
    text = directory.read_text("utf-8")
    title = text.split("Title: ", 1)[1].split("\n")[0]
    directory.write_text(text.replace(f"Title: {title}", "Title: Our members"), "utf-8")
    build(content_copy, output)
    profiles = sorted(output.glob("members/*/index.html"))
    assert len(profiles) == len(list((content_copy / "members").glob("*.yaml")))
    for profile in profiles:
        assert ">Our members</a>" in profile.read_text("utf-8"), profile


def test_member_pages_changed_or_removed_by_hand_are_made_again(content_copy, tmp_path):
    output = tmp_path / "output"
    build(content_copy, output)
    built = files(output)
    (output / MEMBER).unlink()
    tampered = output / "members/ravnsborg-games/index.html"
    tampered.write_text("<p>edited by hand</p>", "utf-8")
    logo = next((output / "members/logos").iterdir())
    logo.unlink()
    build(content_copy, output)
    assert files(output) == built


def test_a_member_taken_out_of_the_directory_loses_its_page(content_copy, tmp_path):
    output = tmp_path / "output"
    build(content_copy, output)
    for showcase in (content_copy / "showcases").glob("*.md"):
        if "fjordfox-games" in showcase.read_text("utf-8"):
            showcase.unlink()  # a showcase must name a member that exists
    (content_copy / "members/fjordfox-games.yaml").unlink()
    build(content_copy, output)
    assert not (output / MEMBER).exists()
    assert not (output / "members/fjordfox-games").exists()
    assert "fjordfox-games" not in (output / "members/index.html").read_text("utf-8")


def test_problems_are_found_again_on_every_build(content_copy, tmp_path):
    """What checking a file found is kept between builds, problems included:
    a file that is still wrong is reported again, and a logo that went
    missing is found although the member file did not change."""
    output = tmp_path / "output"
    build(content_copy, output)
    source = content_copy / "members/fjordfox-games.yaml"
    source.write_text(source.read_text("utf-8") + "employes: 10-49\n", "utf-8")
    for _ in range(2):
        result = run_build_cli(content_copy, output)
        assert result.returncode == 1
        [line] = error_lines(result)
        assert line.startswith("content/members/fjordfox-games.yaml:")
        assert "employes" in line and "employees" in line
    source.write_text(source.read_text("utf-8").replace("employes: 10-49\n", ""))
    build(content_copy, output)
    logo = source.read_text("utf-8").split("logo: ", 1)[1].split("\n")[0]
    (content_copy / logo).unlink()
    result = run_build_cli(content_copy, output)
    assert result.returncode == 1
    [line] = error_lines(result)
    assert line.startswith("content/members/fjordfox-games.yaml:")
    assert "logo" in line


def test_one_process_or_two_build_the_same_site(content_copy, tmp_path):
    build(content_copy, tmp_path / "two", SITE_BUILD_WORKERS="2")
    shutil.rmtree(content_copy.parent / ".cache" / "members")
    build(content_copy, tmp_path / "one", SITE_BUILD_WORKERS="1")
    assert files(tmp_path / "one") == files(tmp_path / "two")


def test_a_profile_cannot_show_other_members(content_copy, tmp_path):
    """Profiles are made again only when their own member changes, so the
    profile template may not use the directory-wide lists: the build says
    so instead of publishing pages that go stale."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    template = theme / "templates/member.html"
    text = template.read_text("utf-8")
    template.write_text(
        text.replace(
            "<h1>{{ page.title }}</h1>",
            "<h1>{{ page.title }}</h1><p>One of {{ members|length }}</p>",
        ),
        "utf-8",
    )
    result = run_build_cli(content_copy, tmp_path / "out", theme=theme)
    assert result.returncode == 1
    assert "cannot use 'members'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_without_a_cache_folder_nothing_is_kept(content_copy, tmp_path):
    output = tmp_path / "output"
    for _ in range(2):
        result = run_build_cli(
            content_copy, output, extra="MEMBERS = {**MEMBERS, 'cache_path': ''}\n"
        )
        assert result.returncode == 0, result.stderr
    assert not (content_copy.parent / ".cache" / "members").exists()
    assert (output / MEMBER).is_file()


def test_a_draft_member_in_production_is_neither_written_nor_kept(
    content_copy, tmp_path
):
    source = content_copy / "members/fjordfox-games.yaml"
    source.write_text(source.read_text("utf-8") + "status: draft\n", "utf-8")
    for showcase in (content_copy / "showcases").glob("*.md"):
        if "fjordfox-games" in showcase.read_text("utf-8"):
            showcase.unlink()
    output = tmp_path / "output"
    for _ in range(2):
        result = run_build_cli(content_copy, output, "publishconf.py")
        assert result.returncode == 0, result.stderr
        assert "after publishing" not in result.stderr
    assert not (output / MEMBER).exists()
    assert not list((output / "members").rglob("*fjordfox-games*"))
    assert (output / "members/ravnsborg-games/index.html").is_file()


def test_the_site_fingerprint_leaves_out_only_the_members_own_files(tmp_path):
    """A member's file and logo are in its own key, not the site's; any
    other file, even beside the logos, is in the site's."""
    from datetime import date

    from members import cache

    content = tmp_path / "content"
    files = {
        "members/fjordfox-games.yaml": "name: Fjordfox Games\n",
        "images/members/fjordfox-games.png": "logo",
        "images/members/studio-photo.jpg": "a picture a showcase uses",
        "pages/about.md": "Title: About\n",
    }
    for name, text in files.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, "utf-8")
    settings = {"PATH": str(content), "THEME": str(ROOT / "theme"), "X": [1]}
    logos = frozenset({"images/members/fjordfox-games.png"})

    def fingerprint():
        return cache.site_fingerprint(
            settings, date(2026, 11, 27), {"OUTPUT_PATH"}, "members", logos
        )

    first = fingerprint()
    (content / "members/fjordfox-games.yaml").write_text("name: Fjordfox\n", "utf-8")
    (content / "images/members/fjordfox-games.png").write_text("new logo!", "utf-8")
    assert fingerprint() == first
    (content / "images/members/studio-photo.jpg").write_text("another!", "utf-8")
    second = fingerprint()
    assert second != first
    (content / "pages/about.md").write_text("Title: About us\n", "utf-8")
    third = fingerprint()
    assert third != second
    settings["X"] = [2]
    assert fingerprint() != third
