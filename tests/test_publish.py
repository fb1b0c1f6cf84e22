"""Publishing (`invoke publish`, `invoke preview`): the production build is
copied to a local rsync target and to a branch of a local bare git
repository, the published tree is compared with output/ byte for byte, and
what each publish reports as added, updated and removed is what changed.
Only an intact production build is published, only into a folder that is
the site's; a preview shows drafts and scheduled posts, marked, and is
indexed nowhere."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import PLUGINS, parse_html, run_build_cli, settings_for

needs_rsync = pytest.mark.skipif(
    shutil.which("rsync") is None and not os.environ.get("CI"),
    reason="rsync is not installed (.ci/run installs it)",
)

EDITED = "news/conference-2026-recap.md"
DELETED = "news/call-for-speakers-conference-2026.md"
ADDED = "news/a-new-studio-hub-in-aarhus.md"
NEW_POST = """Title: A new studio hub opens in Aarhus
Date: 2026-11-20 09:00
Summary: Six member studios share a new hub for games and animation in Aarhus.
Image: images/news/conference-2025-recap.jpg
Image_alt: Illustration: an audience in front of a stage with a big screen
Tags: Community
Programmes: spilbar

Six member studios now share a hub in Aarhus.
"""
DRAFT = """Title: Board minutes for approval
Date: 2026-11-25 09:00
Status: draft
Summary: The board's minutes from its November meeting, for approval first.
Image: images/news/conference-2025-recap.jpg
Image_alt: Illustration: an audience in front of a stage with a big screen
Tags: Community

The minutes.
"""
SCHEDULED = DRAFT.replace("Status: draft\n", "").replace(
    "Date: 2026-11-25 09:00", "Date: 2026-12-03 10:00"
)


def files(folder: Path, skip=()) -> dict[str, bytes]:
    """Every file under ``folder`` (followed if a link) by its path, with
    its bytes."""
    root = Path(os.path.realpath(folder))
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).as_posix() not in skip
    }


def site_build(project: Path, *arguments: str, **environment: str):
    """The real command, as tasks.py runs it, in the project folder."""
    return subprocess.run(
        [sys.executable, "-m", "site_build", *arguments],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(PLUGINS), **environment},
        capture_output=True,
        text=True,
        timeout=300,
    )


def reported(stdout: str) -> dict[str, set[str]]:
    signs = {"+": "added", "~": "updated", "-": "removed"}
    found = {kind: set() for kind in signs.values()}
    for line in stdout.splitlines():
        sign, _, path = line.strip().partition(" ")
        if sign in signs and not path.startswith("..."):
            found[signs[sign]].add(path)
    return found


@pytest.fixture
def project(content_copy) -> Path:
    """A project with the sample content, built for production into
    output/."""
    root = content_copy.parent
    result = run_build_cli(content_copy, root / "output", "publishconf.py")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def www(tmp_path) -> Path:
    """An empty folder to publish into with rsync, as on a web server."""
    folder = tmp_path / "www"
    folder.mkdir()
    return folder


def edit_the_site(project: Path) -> None:
    """One post edited, one deleted, one added; then built again."""
    content = project / "content"
    edited = content / EDITED
    edited.write_text(
        edited.read_text("utf-8") + "\nOne more paragraph.\n", encoding="utf-8"
    )
    (content / DELETED).unlink()
    (content / ADDED).write_text(NEW_POST, encoding="utf-8")
    result = run_build_cli(content, project / "output", "publishconf.py")
    assert result.returncode == 0, result.stderr


def page(path: str) -> str:
    return f"{path.removesuffix('.md')}/index.html"


@needs_rsync
def test_rsync_publishes_the_build_and_lists_what_changed(project, www):
    to = {"PUBLISH_TO": f"rsync:{www}"}
    settings = str(project / "test_settings.py")

    first = site_build(project, "publish", settings, "output", **to)
    assert first.returncode == 0, first.stderr
    assert files(www) == files(project / "output")
    assert first.stdout.startswith(f"Published to {www}/: ")

    (www / "left-by-hand.html").write_text("old", encoding="utf-8")
    edit_the_site(project)
    second = site_build(project, "publish", settings, "output", **to)
    assert second.returncode == 0, second.stderr
    assert files(www) == files(project / "output")
    changes = reported(second.stdout)
    assert page(ADDED) in changes["added"]
    assert page(EDITED) in changes["updated"]
    assert page(DELETED) in changes["removed"]
    assert "left-by-hand.html" in changes["removed"]
    # Only what changed: unchanged pages keep their date, so are not sent.
    assert "about/index.html" not in changes["updated"]

    third = site_build(project, "publish", settings, "output", **to)
    assert third.stdout.strip() == f"Published to {www}/: it was up to date already."

    # A development build in between gives every file a new date; the same
    # bytes are still not "updated".
    content = project / "content"
    assert run_build_cli(content, project / "output").returncode == 0
    again = run_build_cli(content, project / "output", "publishconf.py")
    assert again.returncode == 0, again.stderr
    fourth = site_build(project, "publish", settings, "output", **to)
    assert fourth.stdout.strip() == f"Published to {www}/: it was up to date already."


def git(*arguments, cwd: Path) -> str:
    done = subprocess.run(
        ["git", *arguments], cwd=cwd, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_git_publishes_a_branch_and_lists_what_changed(project, tmp_path):
    hosted = tmp_path / "hosted.git"
    git("init", "--quiet", "--bare", str(hosted), cwd=tmp_path)
    git("init", "--quiet", cwd=project)
    git("remote", "add", "pages", str(hosted), cwd=project)
    to = {"PUBLISH_TO": "git:pages/gh-pages"}
    settings = str(project / "test_settings.py")

    def published() -> dict[str, bytes]:
        """The files of the branch as the host has it."""
        tar = subprocess.run(
            ["git", "archive", "--format=tar", "gh-pages"],
            cwd=hosted,
            capture_output=True,
            check=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
            return {
                m.name: archive.extractfile(m).read()
                for m in archive.getmembers()
                if m.isfile() and m.name != ".nojekyll"  # the host's own
            }

    first = site_build(project, "publish", settings, "output", **to)
    assert first.returncode == 0, first.stderr
    assert published() == files(project / "output")
    assert first.stdout.startswith("Published to pages/gh-pages: ")

    edit_the_site(project)
    second = site_build(project, "publish", settings, "output", **to)
    assert second.returncode == 0, second.stderr
    assert published() == files(project / "output")
    changes = reported(second.stdout)
    assert page(ADDED) in changes["added"]
    assert page(EDITED) in changes["updated"]
    assert page(DELETED) in changes["removed"]
    # The branch keeps its history: one commit per publish.
    assert len(git("log", "--oneline", "gh-pages", cwd=hosted).splitlines()) == 2


@pytest.mark.parametrize(
    "value",
    [
        "",
        "ftp://example.org/site",
        "rsync:",
        "rsync:--x",
        "rsync:-e sh",
        "rsync: -e sh",
        "rsync:/",
        "rsync:/srv",
        "rsync://srv",
        "rsync:.",
        "rsync:./site",
        "rsync:site/www",
        "rsync:/tmp/a/../..",
        "rsync:user@host:",
        "rsync:user@host:.",
        "rsync:user@host:www",
        "git:origin",
        "git:-x/y",
        "git:origin/../x",
    ],
)
def test_a_target_that_is_not_the_sites_folder_is_refused(project, value):
    """rsync deletes what the site does not have: never into /, a relative
    path, a home folder or a top-level folder; never an option."""
    result = site_build(
        project, "publish", "test_settings.py", "output", PUBLISH_TO=value
    )
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("test_settings.py: PUBLISH_TO: says where to publish")
    assert "'rsync:user@host:/folder'" in line and "'git:remote/branch'" in line


@needs_rsync
def test_a_folder_holding_other_files_is_never_published_into(project, tmp_path):
    folder = tmp_path / "somebody" / "else"
    folder.mkdir(parents=True)
    (folder / "thesis.docx").write_bytes(b"years of work")
    result = site_build(
        project, "publish", "test_settings.py", "output", PUBLISH_TO=f"rsync:{folder}"
    )
    assert result.returncode == 1
    assert "holds other files and no site (no index.html)" in result.stderr
    assert (folder / "thesis.docx").read_bytes() == b"years of work"


@needs_rsync
def test_only_an_intact_production_build_is_published(project, tmp_path, www):
    to = {"PUBLISH_TO": f"rsync:{www}"}
    settings = str(project / "test_settings.py")
    output = project / "output"

    # A destination that is not there: said, with what to check.
    missing = site_build(
        project, "publish", settings, "output", PUBLISH_TO=f"rsync:{tmp_path}/no/such"
    )
    assert missing.returncode == 1
    assert "could not be published to: rsync:" in missing.stderr
    assert "check the address" in missing.stderr

    # Edited by hand after the build: refused, nothing sent.
    about = Path(os.path.realpath(output / "about" / "index.html"))
    original = about.read_bytes()
    about.write_bytes(original.replace(b"<h1", b"<h1 hidden"))
    refused = site_build(project, "publish", settings, "output", **to)
    assert refused.returncode == 1 and not any(www.iterdir())
    assert "output/: publish: was changed by hand since it was built" in refused.stderr

    # A development build (drafts shown) in output/: refused.
    development = run_build_cli(project / "content", output)
    assert development.returncode == 0, development.stderr
    settings_for(project / "content", "publishconf.py")  # the build's settings file
    refused = site_build(project, "publish", settings, "output", **to)
    assert refused.returncode == 1 and not any(www.iterdir())
    assert "holds a build that shows drafts" in refused.stderr


@needs_rsync
def test_a_preview_shows_drafts_and_scheduled_posts_marked_and_is_not_indexed(
    content_copy, tmp_path
):
    news = content_copy / "news"
    (news / "board-minutes.md").write_text(DRAFT, encoding="utf-8")
    (news / "winter-hub-opening.md").write_text(SCHEDULED, encoding="utf-8")
    preview = tmp_path / "preview"
    address = "http://127.0.0.1:8001"  # a preview on this computer
    environment = {"SITE_PREVIEW": "1", "PREVIEW_SITEURL": address}
    result = run_build_cli(content_copy, preview, "publishconf.py", environment)
    assert result.returncode == 0, result.stderr

    draft = BeautifulSoup(
        (preview / "drafts/news/board-minutes/index.html").read_bytes(), "lxml"
    )
    assert "Draft" in draft.select_one(".draft-banner").get_text()
    scheduled = preview / "drafts/news/winter-hub-opening/index.html"
    assert "Scheduled" in BeautifulSoup(scheduled.read_bytes(), "lxml").get_text()
    pages = list(preview.rglob("index.html"))
    assert len(pages) > 50
    for path in pages:
        soup = BeautifulSoup(path.read_bytes(), "lxml")
        assert soup.select_one('meta[name="robots"]')["content"] == "noindex", path
        banner = soup.select_one("aside.preview-banner")
        assert banner and "not the published site" in banner.get_text(), path
        canonical = soup.select_one('link[rel="canonical"]')["href"]
        assert canonical.startswith(address + "/"), path
    robots = (preview / "robots.txt").read_text("utf-8")
    assert "Disallow: /\n" in robots

    # Shared through its own target; never published as the site, nor
    # where the site is published.
    www, site = tmp_path / "preview-www", tmp_path / "site-www"
    www.mkdir()
    settings = str(settings_for(content_copy, "publishconf.py"))
    to = {"PREVIEW_TO": f"rsync:{www}", "PUBLISH_TO": f"rsync:{site}"}
    shared = site_build(tmp_path, "publish", "--preview", settings, "preview", **to)
    assert shared.returncode == 0, shared.stderr
    assert files(www) == files(preview)
    as_site = site_build(tmp_path, "publish", settings, "preview", **to)
    assert as_site.returncode == 1
    assert "holds a build that shows drafts" in as_site.stderr
    same = {"PREVIEW_TO": f"rsync:{site}", "PUBLISH_TO": f"rsync:{site}"}
    over = site_build(tmp_path, "publish", "--preview", settings, "preview", **same)
    assert over.returncode == 1
    assert "a preview there would replace the published site" in over.stderr


def test_the_production_build_is_no_preview(production_site):
    for path in production_site.html_files:
        found = parse_html(path)
        assert found.select_one("aside.preview-banner") is None, path
        robots = found.select_one('meta[name="robots"]')
        assert robots is None or path.name == "404.html", path


def invoke(project: Path, *arguments: str, **environment: str):
    return subprocess.run(
        [str(Path(sys.executable).with_name("invoke")), *arguments],
        cwd=project,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=600,
    )


@needs_rsync
def test_invoke_publish_builds_checks_and_publishes(project_copy, www):
    to = {"PUBLISH_TO": f"rsync:{www}"}
    done = invoke(project_copy, "publish", **to)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Built " in done.stdout and f"Published to {www}/: " in done.stdout
    assert files(www) == files(project_copy / "output")

    # A problem in the content: the build says so and nothing is published.
    post = project_copy / "content" / EDITED
    post.write_text(post.read_text("utf-8").replace("Date:", "Date: soon\nX:"), "utf-8")
    before = files(www)
    failed = invoke(project_copy, "publish", **to)
    assert failed.returncode == 1
    assert f"content/{EDITED}:" in failed.stderr
    assert files(www) == before


@needs_rsync
def test_a_rollback_is_published_as_it_is_and_nothing_is_built_without_a_target(
    project_copy, www
):
    # No target: said at once, before anything is built.
    nowhere = invoke(project_copy, "publish", PUBLISH_TO="")
    assert nowhere.returncode == 1
    assert "publishconf.py: PUBLISH_TO: says where to publish" in nowhere.stderr
    assert not (project_copy / "output").exists()

    to = {"PUBLISH_TO": f"rsync:{www}"}
    assert invoke(project_copy, "publish", **to).returncode == 0
    before = files(www)
    post = project_copy / "content" / EDITED
    post.write_text(post.read_text("utf-8") + "\nA correction.\n", "utf-8")
    assert invoke(project_copy, "publish", **to).returncode == 0
    assert files(www) != before

    # The mistake undone at once: the build before, published as it is.
    assert invoke(project_copy, "rollback").returncode == 0
    undone = invoke(project_copy, "publish", "--no-build", **to)
    assert undone.returncode == 0, undone.stderr
    assert "Built " not in undone.stdout
    assert files(www) == before == files(project_copy / "output")
