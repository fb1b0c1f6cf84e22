"""The build core (plugins/site_build): releases switched in one step, one
build at a time, a build killed at any point leaving the old complete site,
every problem of every stage failing the build, crashes told in one line,
a damaged cache never published."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

import pytest

import site_build
from conftest import PLUGINS, ROOT, build_into, run_build_cli, settings_for
from site_build import parallel, releases
from site_build.cache import unseal
from site_build.releases import FoldersAhead, Release, Releases, releases_folder
from support import error_lines

EDITED = "news/spilbar-odense-march.md"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build(content: Path, output: Path, *, env=None, extra="", check=True, **options):
    result = run_build_cli(content, output, environment=env, extra=extra, **options)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def rollback(output: Path):
    """The rollback command, as `invoke rollback` runs it."""
    return subprocess.run(
        [sys.executable, "-m", "site_build", "rollback", str(output)],
        env={**os.environ, "PYTHONPATH": str(PLUGINS)},
        capture_output=True,
        text=True,
    )


def current(output: Path):
    release = Releases(str(output)).current()
    assert release is not None, f"{output} is not a complete release"
    return release


def edit(content: Path) -> None:
    """A visible change: the newest news post gets another paragraph."""
    path = content / EDITED
    path.write_text(
        path.read_text(encoding="utf-8") + "\nA paragraph added for the test.\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample site built once: (content, output, files) to copy from."""
    base = tmp_path_factory.mktemp("core")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    output = base / "output"
    build(content, output)
    return base


@pytest.fixture
def project(built, tmp_path) -> Path:
    """A private copy of the built project (content/, output/ and its
    releases), so each test starts from a complete earlier build."""
    target = tmp_path / "project"
    shutil.copytree(built, target, symlinks=True)
    return target


# --- Releases -------------------------------------------------------------------


def test_output_is_a_link_to_a_complete_release(project):
    output = project / "output"
    assert output.is_symlink()
    release = current(output)
    assert release.intact()
    assert Path(release.folder).parent == Path(releases_folder(str(output)))
    assert (output / "index.html").is_file()


def test_unchanged_files_are_linked_with_their_date_and_changed_ones_are_new(
    project,
):
    output = project / "output"
    before = Path(current(output).folder)
    edit(project / "content")
    result = build(project / "content", output)
    after = Path(current(output).folder)
    assert after != before
    same = changed = 0
    for path in tree(after):
        old, new = before / path, after / path
        if old.is_file() and old.read_bytes() == new.read_bytes():
            assert os.stat(old).st_ino == os.stat(new).st_ino, path
            assert os.stat(old).st_mtime_ns == os.stat(new).st_mtime_ns, path
            same += 1
        else:
            changed += 1
    assert "news/spilbar-odense-march/index.html" in {
        p
        for p in tree(after)
        if not (before / p).is_file()
        or (before / p).read_bytes() != (after / p).read_bytes()
    }
    assert same > 200 and 0 < changed < 20
    assert f"({changed} new or changed" in result.stdout


def test_a_rebuild_with_nothing_changed_does_nothing(project):
    output = project / "output"
    build(project / "content", output)  # the copy lives elsewhere: new settings
    release = current(output).folder
    result = build(project / "content", output)
    assert result.stdout.startswith("Nothing changed since the last build")
    assert current(output).folder == release


def test_a_hand_edit_in_output_is_undone_by_the_next_build(project):
    output = project / "output"
    page = output / "about" / "index.html"
    good = page.read_bytes()
    page.unlink()
    page.write_text("<p>edited by hand</p>", encoding="utf-8")
    result = build(project / "content", output)
    assert "Built" in result.stdout
    assert (output / "about" / "index.html").read_bytes() == good


def test_a_page_made_unreadable_by_hand_is_made_again(project):
    """Permissions are part of what was built: a page another user (the web
    server) can no longer read is not taken for the page the build wrote. A
    permission added is no change: files are shared by releases, and a
    `chmod -R g+w output/` must not make the earlier ones damaged."""
    output = project / "output"
    build(project / "content", output)  # the copy lives elsewhere: new settings
    page = output / "about" / "index.html"
    built = stat.S_IMODE(page.stat().st_mode)
    for path in tree(output):
        (output / path).chmod(built | stat.S_IWGRP | stat.S_IXOTH)
    assert current(output).intact()
    page.chmod(built & ~stat.S_IROTH)
    assert not current(output).intact()
    result = build(project / "content", output)
    assert "Built" in result.stdout
    assert stat.S_IMODE(page.stat().st_mode) == built
    assert current(output).intact()


def test_manifest_lines_of_older_builds_still_describe_their_files(tmp_path):
    """Manifests written before permissions were kept have lines of three:
    their releases stay intact (rollback can go back to them)."""
    path = tmp_path / "page.html"
    path.write_text("<p>Hello</p>", encoding="utf-8")
    path.chmod(0o644)
    line = releases.describe("key", os.lstat(path))
    path.chmod(0o640)
    now = os.lstat(path)
    assert not releases.described(line, now)
    assert releases.described(line[:3], now)  # size and date still the same
    assert not releases.described(line[:2], now) and not releases.described(None, now)


@pytest.mark.parametrize("planted", ["link to a folder", "empty folder"])
def test_what_is_put_into_output_is_gone_after_the_next_build(project, planted):
    """A link to a folder elsewhere (which a web server could follow), or an
    empty folder, is found like any other hand edit: the next build is not
    taken for one with nothing changed, and the new release is clean."""
    output = project / "output"
    build(project / "content", output)  # the copy lives elsewhere: new settings
    where = output / "about" / "elsewhere"
    if planted == "empty folder":
        where.mkdir()
    else:
        where.symlink_to("/etc", target_is_directory=True)
    assert not current(output).intact()
    result = build(project / "content", output)
    assert "Built" in result.stdout
    assert not os.path.lexists(where)
    assert current(output).intact()


def test_rollback_puts_the_previous_release_back(project):
    output = project / "output"
    first = tree(output)
    edit(project / "content")
    build(project / "content", output)
    assert tree(output) != first
    result = rollback(output)
    assert result.returncode == 0, result.stderr
    assert "is back to the release built at" in result.stdout
    assert tree(output) == first


def test_rollback_never_crosses_between_development_and_production(project):
    """make serve and make build share output/: rolling a production site
    back never puts a development build (with drafts) there."""
    output = project / "output"  # a development build

    def production():
        result = run_build_cli(project / "content", output, "publishconf.py")
        assert result.returncode == 0, result.stderr

    production()
    refused = rollback(output)
    assert refused.returncode == 1
    assert "the releases before were built another way" in refused.stderr
    assert current(output).manifest.drafts is False
    first = tree(output)
    edit(project / "content")
    production()
    assert rollback(output).returncode == 0
    assert tree(output) == first and current(output).manifest.drafts is False


def test_one_core_and_two_make_the_same_site(tmp_path, monkeypatch):
    """Pages, feeds and calendars are made by whichever of the build process
    and its forked helper takes them first (parallel.py): the site is the
    same to the byte as the build process makes alone."""
    made = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("SITE_BUILD_WORKERS", workers)
        assert parallel.helper_wanted() == (workers == "2")
        output = tmp_path / workers / "output"
        build_into(output, PATH=str(ROOT / "content"))
        made[workers] = tree(output)
    assert any(path.endswith(".ics") for path in made["1"])
    assert made["1"] == made["2"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_file_queued_twice_is_made_once_the_later_way(tmp_path, monkeypatch, workers):
    """A path queued again (``output(..., later=True)``) replaces the job
    queued first, as a second write replaces a first: never two jobs for
    one file, which the two processes could write at the same moment. A
    file written at once drops the job queued for it."""
    from conftest import SETTINGS

    monkeypatch.setenv("SITE_BUILD_WORKERS", workers)
    staging = tmp_path / "release"
    staging.mkdir()
    made = []

    def make(text):
        made.append(text)
        return text

    with site_build.Session(SETTINGS, staging=str(staging), cache_folder=None) as s:
        for n in range(40):  # enough files for the helper to take some
            page = f"page {n}"
            s.output(f"p{n}/index.html", f"k{n}", lambda t=page: make(t), "t", True)
        s.output("p7/index.html", "new", lambda: make("page 7, again"), "t", True)
        s.output("p8/index.html", "now", lambda: make("page 8, at once"), "t")
        s.flush()
        assert not s.problems
    assert (staging / "p7" / "index.html").read_text() == "page 7, again"
    assert (staging / "p8" / "index.html").read_text() == "page 8, at once"
    if workers == "1":  # what the helper made is not seen here
        assert "page 7" not in made and made.count("page 7, again") == 1
        assert "page 8" not in made


def test_what_fails_in_the_helper_fails_as_in_the_build_process(tmp_path, monkeypatch):
    """An item that raises in the forked helper is done again by the build
    process: an error there is raised as the build process raises it (the
    same exception, from the plugin's own line), and one the helper alone
    meets leaves no trace."""
    monkeypatch.setenv("SITE_BUILD_WORKERS", "2")
    build, met = os.getpid(), tmp_path / "met"

    def work(number):
        if os.getpid() != build:  # the helper: always fails
            met.write_text("the helper took an item")
            raise OSError("only in the helper")
        time.sleep(0.005)  # so the helper takes its share
        if number == 30:
            raise ValueError("item 30 cannot be made")
        return number * 2

    problems = []
    assert parallel.shared_map(range(30), work, problems, "test") == [
        n * 2 for n in range(30)
    ]
    assert met.exists() and problems == []
    with pytest.raises(ValueError, match="item 30 cannot be made") as raised:
        parallel.shared_map(range(31), work, problems, "test")
    assert raised.traceback[-1].name == "work"


def test_a_helper_that_hangs_is_stopped_and_its_items_done_by_the_build(
    tmp_path, monkeypatch
):
    """A forked helper stuck for good (a lock it was forked with, as the
    fork gate's once was) no longer holds the build for ever: once the
    build has nothing left to take, it waits HELPER_GRACE seconds, stops
    the helper and does its items; the folders made beside the build too."""
    monkeypatch.setenv("SITE_BUILD_WORKERS", "2")
    monkeypatch.setattr(parallel, "HELPER_GRACE", 1)
    build, stuck = os.getpid(), tmp_path / "stuck"

    def work(number):
        if os.getpid() != build:  # the helper: hangs at its first item
            stuck.write_text("the helper hangs")
            time.sleep(600)
        time.sleep(0.005)
        return number * 2

    started = time.monotonic()
    assert parallel.shared_map(range(30), work, [], "test") == [
        n * 2 for n in range(30)
    ]
    assert stuck.exists() and time.monotonic() - started < 30
    wait = parallel.beside(lambda: time.sleep(600))
    started = time.monotonic()
    wait()
    assert time.monotonic() - started < 30


def test_a_failed_item_leaves_the_problems_one_process_would(monkeypatch):
    """The problems reported before an item raised, its own among them, are
    the same with a helper as without one, in the same order."""
    problems = []

    def work(number):
        problems.append(f"problem {number}")
        if number == 20:
            raise ValueError("item 20 cannot be made")
        time.sleep(0.005)
        return number

    for workers in ("1", "2"):
        monkeypatch.setenv("SITE_BUILD_WORKERS", workers)
        problems.clear()
        with pytest.raises(ValueError, match="item 20"):
            parallel.shared_map(range(40), work, problems, "test")
        assert problems == [f"problem {n}" for n in range(21)], workers


# The previous release's folders are made ahead by a helper process
# (releases.FoldersAhead): a rebuild must still give what a clean build gives.


def folders(output: Path) -> set[str]:
    return {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_dir()}


def test_folders_made_ahead_and_left_empty_are_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_BUILD_WORKERS", "2")  # the helper, on any machine
    previous = tmp_path / "previous"
    files = ["a/b/c/index.html", "a/x.html", "d/e/f/index.html", "g.html"]
    manifest = SimpleNamespace(files=dict.fromkeys(files))
    new = tmp_path / "new"
    new.mkdir()
    ahead = FoldersAhead(str(new), Release(str(previous), manifest))
    (new / "a" / "b").mkdir(parents=True, exist_ok=True)  # what the build writes
    (new / "a" / "b" / "y.html").write_text("y", "utf-8")
    ahead.finish()
    assert folders(new) == {"a", "a/b"}  # d/, d/e/ and d/e/f/ were made, and went


def test_a_deleted_draft_leaves_no_empty_folders(project):
    content, output = project / "content", project / "output"
    draft = content / "news" / "a-draft-for-the-test.md"
    draft.write_text(
        "Title: A draft\nDate: 2026-01-05\nSummary: Not yet.\nStatus: draft\n"
        "Image: images/news/conference-2025-recap.jpg\nImage_alt: A stage\n"
        "Tags: Conferences\n\nText.\n",
        encoding="utf-8",
    )
    build(content, output)
    assert (output / "drafts/news/a-draft-for-the-test/index.html").is_file()
    draft.unlink()
    build(content, output)
    assert not (output / "drafts").exists()


def test_a_folder_of_the_old_site_may_become_a_file(project):
    content, output = project / "content", project / "output"
    svg = (content / "images/brand/interactive-denmark-logo.svg").read_bytes()
    folder = content / "images/brand/kit.svg"
    folder.mkdir()
    (folder / "logo.svg").write_bytes(svg)
    build(content, output)
    assert (output / "images/brand/kit.svg/logo.svg").is_file()
    shutil.rmtree(folder)
    folder.write_bytes(svg)  # a file where the old site had a folder
    build(content, output)
    assert (output / "images/brand/kit.svg").read_bytes() == svg


def test_old_releases_are_pruned(project):
    output = project / "output"
    for number in range(5):
        path = project / "content" / EDITED
        path.write_text(path.read_text("utf-8") + f"\nEdit {number}.\n", "utf-8")
        build(project / "content", output)
    deadline = time.time() + 20  # the trash is emptied in the background
    folder = Path(releases_folder(str(output)))
    while (folder / "trash").exists() and any((folder / "trash").iterdir()):
        assert time.time() < deadline, "old releases were never deleted"
        time.sleep(0.2)
    releases = [p for p in folder.iterdir() if p.is_dir() and p.name != "trash"]
    assert len(releases) == 3


def test_a_plain_output_folder_of_an_older_build_is_replaced(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("<p>an older build</p>", encoding="utf-8")
    build(content, output)
    assert output.is_symlink() and current(output).intact()
    assert "older build" not in (output / "index.html").read_text("utf-8")


# --- One build at a time, and builds that are killed ----------------------------


def test_two_builds_at_once_both_finish_and_leave_a_complete_site(project):
    output = project / "output"
    edit(project / "content")
    settings = settings_for(project / "content")
    command = [sys.executable, "-m", "site_build", str(settings), str(output)]
    env = {**os.environ, "PYTHONPATH": str(PLUGINS)}
    runs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert any("waiting for it to finish" in text for text in outputs), outputs
    assert current(output).intact()
    assert "A paragraph added for the test." in (
        output / "news/spilbar-odense-march/index.html"
    ).read_text("utf-8")


# Where a build is killed: while files go into the new release (spread over
# the build), before its manifest, just before and just after the switch.
KILL_POINTS = ["file:1", "file:40", "file:150", "file:300", "manifest", "switch"]


@pytest.mark.parametrize("point", [*KILL_POINTS, "switched"])
def test_a_build_killed_at_any_point_leaves_the_old_or_the_new_site(project, point):
    output = project / "output"
    old = tree(output)
    edit(project / "content")
    result = build(
        project / "content",
        output,
        env={"SITE_BUILD_FAULT": point, "SITE_BUILD_WORKERS": "1"},
        check=False,
    )
    assert result.returncode == -9, result.stdout + result.stderr  # SIGKILL
    release = current(output)
    assert release.intact(), "output/ holds files its release does not list"
    now = tree(output)
    if point == "switched":
        assert (
            now != old
            and "A paragraph added"
            in now["news/spilbar-odense-march/index.html"].decode()
        )
    else:
        assert now == old
    # The next build clears what the killed one left and finishes.
    build(project / "content", output)
    folder = Path(releases_folder(str(output)))
    complete = {p.name.removesuffix(".manifest") for p in folder.glob("*.manifest")}
    left = {p.name for p in folder.iterdir() if p.is_dir()} - complete - {"trash"}
    assert not left, f"half-built releases left: {left}"
    # Rollback goes back to the site that was live before the edit, never to
    # one the killed build made but did not switch to.
    back = rollback(output)
    assert back.returncode == 0, back.stderr
    assert tree(output) == old


def test_a_full_disk_fails_the_build_and_keeps_the_site(project):
    output = project / "output"
    old = tree(output)
    edit(project / "content")
    result = build(
        project / "content",
        output,
        env={"SITE_BUILD_FAULT": "full:20", "SITE_BUILD_WORKERS": "1"},
        check=False,
    )
    assert result.returncode == 1
    assert "the new site could not be written (No space left on device" in (
        result.stderr
    )
    assert "Nothing was published: " in result.stderr
    assert tree(output) == old and current(output).intact()


def test_ctrl_c_stops_the_build_in_one_plain_line_and_keeps_the_site(project):
    output = project / "output"
    old = tree(output)
    edit(project / "content")
    result = build(
        project / "content",
        output,
        env={"SITE_BUILD_FAULT": "interrupt:30", "SITE_BUILD_WORKERS": "1"},
        check=False,
    )
    assert result.returncode == 130
    assert "Traceback" not in result.stderr
    assert (
        result.stderr.strip() == "Stopped. Nothing was published: output/ is as it was."
    )
    assert tree(output) == old and current(output).intact()


def test_a_read_only_folder_in_the_old_site_does_not_matter(project):
    output = project / "output"
    folder = output / "news"
    folder.chmod(0o555)
    try:
        edit(project / "content")
        build(project / "content", output)
    finally:
        for path in Path(releases_folder(str(output))).glob("*/news"):
            path.chmod(0o755)
    assert current(output).intact()


# --- Every problem, at every stage ------------------------------------------------


def plugin(folder: Path, name: str, code: str) -> str:
    """Settings lines that add a plugin made of ``code`` (in ``folder``)."""
    (folder / f"{name}.py").write_text(code, encoding="utf-8")
    return (
        f"PLUGIN_PATHS = [*PLUGIN_PATHS, {str(folder)!r}]\n"
        f"PLUGINS = [*PLUGINS, {name!r}]\n"
    )


def fails_at_the_end(project, name: str, imports: str, body: str) -> str:
    """Build with a plugin whose ``body`` runs when the site is finished (on
    `finalized`, the function's second line): the build fails and output/
    stays as it was. The build's messages."""
    extra = plugin(
        project,
        name,
        f"{imports}\nfrom pelican import signals\ndef late(pelican):\n{body}\n"
        "def register():\n    signals.finalized.connect(late)\n",
    )
    old = tree(project / "output")
    result = build(project / "content", project / "output", extra=extra, check=False)
    assert result.returncode == 1
    assert tree(project / "output") == old
    return result.stderr


def test_a_problem_reported_at_the_very_end_fails_the_build(project):
    stderr = fails_at_the_end(
        project,
        "late_problem",
        "import build_errors",
        "    build_errors.report('content/pages/about.md', 3, 'late', "
        "'found at the end')",
    )
    assert "content/pages/about.md:3: late: found at the end" in stderr


def test_a_file_changed_while_the_site_is_built_is_a_problem_not_a_crash(project):
    """Wherever the build finds that a file it used changed (a picture saved
    again while its copies are made, found from the feeds as well as the
    pages by an outside review), it names the file and fails."""
    stderr = fails_at_the_end(
        project,
        "late_change",
        "import site_build",
        "    raise site_build.ChangedWhileBuilding('content/images/news/x.jpg')",
    )
    assert (
        "content/images/news/x.jpg: file: was changed while the site was built"
        in stderr
    )
    assert "crash" not in stderr


@pytest.mark.parametrize(
    ("make", "what"),
    [
        ("os.symlink('/etc/passwd', where)", "a link, pipe or device"),
        ("os.mkfifo(where)", "a link, pipe or device"),
        ("os.makedirs(os.path.join(where, 'deeper'))", "an empty folder"),
    ],
)
def test_what_is_written_past_the_session_is_never_published(project, make, what):
    stderr = fails_at_the_end(
        project,
        "past_the_session",
        "import os",
        f"    where = os.path.join(pelican.output_path, 'about', 'extra')\n    {make}",
    )
    extra = "about/extra/deeper" if what == "an empty folder" else "about/extra"
    assert f"{extra}: output: is {what} in the new site" in stderr


def test_a_plugin_crash_is_one_line_naming_the_plugin_and_the_place(project):
    extra = plugin(
        project,
        "crashing",
        "from pelican import signals\n"
        "def crash(generators):\n"
        "    None.attribute\n"
        "def register():\n    signals.all_generators_finalized.connect(crash)\n",
    )
    result = build(project / "content", project / "output", extra=extra, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[1] == (
        "crashing.py:3: crash: crashing: AttributeError: 'NoneType' object has no "
        "attribute 'attribute': a fault in the site's code, not in the content; "
        "details in .cache/build.log"
    ), result.stderr
    log = (project / ".cache" / "build.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "None.attribute" in log

    settings = settings_for(project / "content", extra=extra)
    debug = subprocess.run(
        [sys.executable, "-m", "site_build", "--debug", str(settings), "out"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(PLUGINS)},
        capture_output=True,
        text=True,
    )
    assert "Traceback" in debug.stderr and "None.attribute" in debug.stderr


def test_an_error_in_the_settings_file_is_one_line(project):
    settings = settings_for(project / "content", extra="SITENAME = 'unclosed\n")
    result = subprocess.run(
        [sys.executable, "-m", "site_build", str(settings), "output"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(PLUGINS)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    problem = result.stderr.splitlines()[1]
    assert problem.startswith("test_settings.py:7: settings: SyntaxError: ")
    assert problem.endswith("correct the line; the site was not built")


# --- The cache is never trusted ---------------------------------------------------


DATABASE = "artefacts.sqlite"  # in the cache folder


def rows(cache: Path) -> list[tuple[str, str, bytes, float]]:
    """The cache's entries: kind, key, sealed data, date of last use."""
    with closing(sqlite3.connect(cache / DATABASE)) as db:
        return db.execute("SELECT kind, key, data, used FROM entry").fetchall()


def change(cache: Path, sql: str, *parameters) -> None:
    with closing(sqlite3.connect(cache / DATABASE)) as db, db:
        db.execute(sql, parameters)


def damage(cache: Path) -> int:
    """Damage every entry of a cache in one of six ways; how many."""
    entries = sorted(rows(cache))
    first, second = [entry for entry in entries if entry[0] == "webp"][-2:]
    update = "UPDATE entry SET data = ? WHERE kind = ? AND key = ?"
    change(cache, update, second[2], *first[:2])  # each one another key's,
    change(cache, update, first[2], *second[:2])  # sealed right
    for number, (kind, key, data, _used) in enumerate(entries):
        if (kind, key) in (first[:2], second[:2]):
            continue
        way = number % 5
        if way == 0:
            damaged = b""  # emptied
        elif way == 1:
            damaged = data[: len(data) // 2]  # truncated
        elif way == 2:
            damaged = data[:-1] + bytes([data[-1] ^ 0xFF])  # one byte changed
        elif way == 3:
            damaged = data[:32] + b"garbage" * 10  # other bytes
        else:
            change(cache, "DELETE FROM entry WHERE kind = ? AND key = ?", kind, key)
            continue
        change(cache, update, damaged, kind, key)
    return len(entries)


def test_a_damaged_cache_gives_the_same_site_as_a_clean_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cache = tmp_path / "cache"
    env = {"SITE_BUILD_CACHE": str(cache)}
    build(content, tmp_path / "clean", env=env)
    assert damage(cache) > 50
    for kind, key, data, _used in rows(cache):
        assert unseal(data, f"{kind}/{key}") is None, (kind, key)
    build(content, tmp_path / "again", env=env)
    assert tree(tmp_path / "again") == tree(tmp_path / "clean")
    webp = [p for p in (tmp_path / "again").rglob("*.webp")]
    assert webp and all(p.stat().st_size > 0 for p in webp)


@pytest.mark.parametrize("way", ["garbage", "halved", "pages", "pipe", "folder"])
def test_a_damaged_cache_database_is_begun_again(project, way):
    """The database itself damaged (a disk that lost pages, a file cut
    short, another file in its place): the site is the same as a clean
    build's, in the build's time, and the next build has a cache again."""
    cache = project / ".cache"
    env = {"SITE_BUILD_CACHE": str(cache)}
    content = project / "content"
    build(content, project / "clean", env=env)
    database = cache / DATABASE
    data = database.read_bytes()
    assert len(data) > 100_000 and not (cache / (DATABASE + "-wal")).exists()
    if way == "garbage":
        database.write_bytes(b"x" * len(data))
    elif way == "halved":
        database.write_bytes(data[: len(data) // 2])
    elif way == "pages":  # every fourth page of 4 KB overwritten
        damaged = bytearray(data)
        for start in range(4096, len(damaged), 4 * 4096):
            damaged[start : start + 4096] = bytes(range(256)) * 16
        database.write_bytes(bytes(damaged))
    elif way == "pipe":
        database.unlink()
        os.mkfifo(database)
    else:
        database.unlink()
        (database / "inside").mkdir(parents=True)
    result = build(content, project / "again", env=env)
    assert tree(project / "again") == tree(project / "clean")
    assert database.is_file() and len(rows(cache)) > 50
    if way in ("garbage", "halved"):  # staff hear why this build was slow
        assert f"The build cache (.cache/{DATABASE}) was damaged and" in result.stdout


PICTURES = ("webp", "share-")  # resized pictures and share images


def test_cache_entries_no_build_used_for_a_month_are_deleted_once_a_day(project):
    """What old code, settings and texts left in the cache goes; what a
    build uses stays (dated again when used), so does what is behind the
    files a build takes whole from the release before (resized pictures:
    an outside review found them all deleted after a month of text edits),
    and the site built from what stays is the same. Files in the cache
    folder that are not the cache's are left alone; the folder of the
    cache before it was a database goes."""
    cache = project / ".cache"
    env = {"SITE_BUILD_CACHE": str(cache)}
    content, output = project / "content", project / "site"
    build(content, output, env=env)  # every file made: the cache holds them all
    entries = {(kind, key) for kind, key, _data, _used in rows(cache)}
    assert {"webp", "share-png", "share-jpeg"} <= {kind for kind, _key in entries}
    long_ago = time.time() - 40 * 24 * 3600
    stale = ("markdown", "ff" * 32)  # of a text long changed
    change(cache, "INSERT INTO entry VALUES (?, ?, 0, ?)", *stale, b"\0" * 64)
    change(cache, "UPDATE entry SET used = ?", long_ago)
    old = cache / "artefacts" / "webp" / "ab" / ("ab" * 32)
    old.parent.mkdir(parents=True)
    old.write_bytes(b"\0" * 64)
    others = [cache / "notes.txt", cache / "reports" / "2026" / "q3.pdf"]
    for path in others:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("not the cache's", "utf-8")
    edit(content)
    build(content, output, env=env)  # pruned today already: nothing goes
    assert stale in {(kind, key) for kind, key, _data, _used in rows(cache)}
    assert old.exists()
    change(cache, "UPDATE pruned SET at = ?", long_ago)
    edit(content)
    build(content, output, env=env)
    kept = {(kind, key): used for kind, key, _data, used in rows(cache)}
    assert stale not in kept and not old.exists()
    assert all(path.exists() for path in others)
    assert {kind for kind, _key in kept} >= {"jinja", "image-facts", "webp"}
    pictures = {entry for entry in entries if entry[0].startswith(PICTURES)}
    assert pictures - set(kept) == set()  # every one still used
    assert all(used > time.time() - 3600 for used in kept.values())
    again = project / "again"
    build(content, again, env=env)
    assert tree(again) == tree(output)


def test_a_pipe_in_the_cache_does_not_hang_the_build(project):
    """A pipe in the place of the database's log: the build neither waits
    on it nor fails."""
    env = {"SITE_BUILD_CACHE": str(project / ".cache")}
    edit(project / "content")
    build(project / "content", project / "output", env=env)
    os.mkfifo(project / ".cache" / (DATABASE + "-wal"))
    (project / "content" / EDITED).write_text(
        (project / "content" / EDITED).read_text("utf-8") + "\nAgain.\n", "utf-8"
    )
    build(project / "content", project / "output", env=env)  # in its 300 s timeout


# --- Inside the fence ------------------------------------------------------------


def test_a_link_in_content_is_refused_wherever_it_points(content_copy, previous_output):
    """Outside the project (/etc/passwd), or inside it: its history, its
    cache, its earlier releases (a link to those made every build copy all
    the releases before it, found by an outside review)."""
    (content_copy / "images" / "news" / "passwd.jpg").symlink_to("/etc/passwd")
    (content_copy / "images" / "elsewhere").symlink_to("/etc")
    (content_copy / "images" / "history").symlink_to("../../.git")
    result = run_build_cli(content_copy, previous_output)
    assert result.returncode == 1
    fix = "copy the file itself into content/ instead of a link"
    assert sorted(error_lines(result)) == [
        f"content/images/elsewhere: file: is a link to '/etc'; the site follows "
        f"no links: {fix}",
        f"content/images/history: file: is a link to '../../.git'; the site "
        f"follows no links: {fix}",
        f"content/images/news/passwd.jpg: file: is a link to '/etc/passwd'; the "
        f"site follows no links: {fix}",
    ]


def test_a_static_link_leading_out_of_content_is_refused(content_copy, tmp_path):
    secret = content_copy.parent / "secret.txt"
    secret.write_text("not for the web", encoding="utf-8")
    post = content_copy / EDITED
    text = post.read_text(encoding="utf-8")
    post.write_text(text + "\n[s]({static}../../secret.txt)\n", encoding="utf-8")
    line = text.count("\n") + 2
    result = run_build_cli(content_copy, tmp_path / "output")
    assert result.returncode == 1
    assert (
        f"content/{EDITED}:{line}: link: '{{static}}../../secret.txt' points "
        "outside content/: link only to files under content/"
    ) in result.stderr
    assert not (tmp_path / "output").exists()
    written = {p.name for p in tmp_path.rglob("secret.txt")}
    assert written == {"secret.txt"} and len(list(tmp_path.rglob("secret.txt"))) == 1


def test_a_helper_is_forked_only_when_no_thread_is_at_work():
    """Threads encode pictures beside the build: the fork of the helper
    process waits for the work in progress and holds new work back."""
    import threading

    from site_build.parallel import ForkGate

    gate, events = ForkGate(), []
    inside, leave = threading.Event(), threading.Event()

    def work(name, hold):
        with gate.working():
            events.append(f"{name} in")
            if hold:
                inside.set()
                leave.wait(5)
            events.append(f"{name} out")

    first = threading.Thread(target=work, args=("first", True))
    first.start()
    inside.wait(5)

    def fork():
        with gate.closed():
            events.append("fork")
            second.start()  # asks to work while the gate is closed
            time.sleep(0.2)
            events.append("forked")

    second = threading.Thread(target=work, args=("second", False))
    forking = threading.Thread(target=fork)
    forking.start()
    time.sleep(0.2)
    assert "fork" not in events  # waits for the first thread's work
    leave.set()
    for thread in (forking, first, second):
        thread.join(5)
    assert events == [
        "first in",
        "first out",
        "fork",
        "forked",
        "second in",
        "second out",
    ]


def test_a_process_forked_at_the_gate_can_always_open_it_again():
    """Threads come to the gate all the time while the build forks: one of
    them holding the gate's lock at the moment of the fork left the lock
    held for ever in the forked helper, which hung at its first step (seen
    as a build stopped by a test's time limit; 21 of 300 forks here)."""
    import threading

    from site_build.parallel import ForkGate

    gate, stop = ForkGate(), threading.Event()

    def busy():
        while not stop.is_set():
            with gate.working():
                pass

    threads = [threading.Thread(target=busy) for _ in range(3)]
    for thread in threads:
        thread.start()
    stuck = 0
    try:
        for _ in range(150):
            with gate.closed():
                pid = os.fork()
            if pid == 0:  # through the gate again: done
                os._exit(0)
            deadline = time.monotonic() + 5
            while not os.waitpid(pid, os.WNOHANG)[0]:
                if time.monotonic() > deadline:
                    stuck += 1
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    break
                time.sleep(0.001)
            if stuck:
                break
    finally:
        stop.set()
        for thread in threads:
            thread.join(5)
    assert not stuck, "a forked process could not open the gate again"


def test_a_link_in_the_theme_is_refused(project, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "static" / "images" / "passwd.txt").symlink_to("/etc/passwd")
    settings = settings_for(project / "content", theme=theme)
    result = subprocess.run(
        [sys.executable, "-m", "site_build", str(settings), str(project / "output")],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(PLUGINS)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert (
        "theme/static/images/passwd.txt: file: is a link to '/etc/passwd'; the site "
        "follows no links: copy the file itself into theme/ instead of a link"
    ) in result.stderr


@pytest.mark.parametrize(
    "old, new, said",
    [
        (b"site_home: Inter", b"site_home: a: Inter", ":6: strings: is not YAML here"),
        (b"  site_home:", b"  site_home: \xff", ":6: strings: is not UTF-8 text"),
        (b"Skip to main", b"Skip \x07 to main", ":5: strings: is not YAML here"),
        (None, b"en: hello\n", ": strings: is not a table of languages"),
    ],
    ids=["not YAML", "not UTF-8", "control character", "not a table"],
)
def test_a_strings_file_that_cannot_be_read_is_one_line_with_its_place(
    project, tmp_path, old, new, said
):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    strings = theme / "strings.yaml"
    text = strings.read_bytes()
    strings.write_bytes(text.replace(old, new, 1) if old else new)
    before = current(project / "output").name
    result = build(project / "content", project / "output", theme=theme, check=False)
    assert result.returncode == 1
    [line] = [x for x in result.stderr.splitlines() if "strings.yaml" in x]
    assert f"theme/strings.yaml{said}" in line
    assert "crash" not in result.stderr
    assert current(project / "output").name == before


def test_an_error_logged_by_a_plugin_fails_the_build(project):
    stderr = fails_at_the_end(
        project,
        "logs_an_error",
        "import logging",
        "    logging.getLogger(__name__).error('the partner list could not be read')",
    )
    assert "logs_an_error: error: the partner list could not be read" in stderr


def test_files_deleted_while_the_site_is_built_fail_the_build(project):
    edit(project / "content")
    stderr = fails_at_the_end(
        project,
        "deletes",
        "import os",
        "    os.remove(os.path.join(pelican.output_path, 'about', 'index.html'))",
    )
    assert "files of the new site changed or vanished while it was built" in stderr


def test_clean_waits_for_a_build_in_progress(tmp_path):
    project_copy = tmp_path / "project"
    project_copy.mkdir()
    shutil.copyfile(ROOT / "tasks.py", project_copy / "tasks.py")
    (project_copy / "plugins").symlink_to(PLUGINS)
    output = project_copy / "output"
    kept = [project_copy / ".cache" / name for name in (DATABASE, DATABASE + "-wal")]
    kept[0].parent.mkdir()
    kept[0].write_bytes(b"entries")
    (kept[1] / "inside").mkdir(parents=True)  # found by an outside review
    releases = Releases(str(output))
    releases.lock()  # a build in progress
    try:
        cleaning = subprocess.Popen(
            [str(Path(sys.executable).with_name("invoke")), "clean"],
            cwd=project_copy,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        time.sleep(2)
        assert cleaning.poll() is None, cleaning.communicate()[0]
        (output.parent / ".releases" / "output" / "marker").mkdir(parents=True)
    finally:
        releases.unlock()
    assert cleaning.wait(30) == 0, cleaning.communicate()[0]
    assert not (output.parent / ".releases" / "output" / "marker").exists()
    assert not any(path.exists() for path in kept)


def test_a_plugin_that_cannot_be_loaded_is_one_line_with_its_place(project):
    extra = plugin(
        project,
        "unloadable",
        "import a_module_nobody_installed\ndef register():\n    pass\n",
    )
    result = build(project / "content", project / "output", extra=extra, check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines()[1:-1] == [
        "unloadable.py:1: crash: Cannot load plugin `unloadable`: unloadable: "
        "ModuleNotFoundError: No module named 'a_module_nobody_installed': a "
        "fault in the site's code, not in the content; details in .cache/build.log"
    ]


def test_a_damaged_manifest_of_the_live_site_never_takes_the_site_down(project):
    output = project / "output"
    old = tree(output)
    manifest = Path(os.path.realpath(output) + ".manifest")
    data = bytearray(manifest.read_bytes())
    data[-2] ^= 0xFF
    manifest.write_bytes(bytes(data))
    broken = project / "content" / EDITED
    broken.write_text(broken.read_text("utf-8") + "\n<b>x</b>\n", "utf-8")
    assert build(project / "content", output, check=False).returncode == 1
    assert tree(output) == old  # still served, whole
    broken.write_text(broken.read_text("utf-8").replace("<b>x</b>", ""), "utf-8")
    build(project / "content", output)
    assert "index.html" in tree(output)


def test_releases_live_before_survive_a_clock_that_went_back(tmp_path, monkeypatch):
    """Release names come from the clock; which releases were live comes from
    the manifests, so a clock set back deletes none of them."""
    import site_build.releases as releases_module
    from site_build.releases import Manifest

    releases = Releases(str(tmp_path / "output"))
    made = []
    real_gmtime = time.gmtime
    for stamp in (2_000_000_000, 2_000_003_600, 2_000_000_100, 2_000_000_200):
        monkeypatch.setattr(
            releases_module.time, "gmtime", lambda _t=None, s=stamp: real_gmtime(s)
        )
        folder = releases.new_folder()
        Path(folder, "index.html").write_text(str(stamp), "utf-8")
        current = releases.current()
        files = {"index.html": [None, *_state(Path(folder, "index.html"))]}
        manifest = Manifest("in", "built", files, current.name if current else None)
        release = releases.finish(folder, manifest, durable=False)
        releases.switch(release)
        made.append(release.name)
    assert [r.name for r in releases.published()] == made[::-1]
    releases.new_folder()  # clears what killed builds left: nothing here
    assert [r.name for r in releases.published()] == made[::-1]


def _state(path: Path) -> list[int]:
    status = path.stat()
    return [status.st_size, status.st_mtime_ns]


def test_rollback_refuses_a_damaged_earlier_release(project):
    output = project / "output"
    previous = Path(os.path.realpath(output))
    edit(project / "content")
    build(project / "content", output)
    (previous / "about" / "index.html").unlink()
    result = rollback(output)
    assert result.returncode == 1
    assert "the release before is damaged" in result.stderr
    assert Path(os.path.realpath(output)) != previous


def test_a_plugin_that_calls_sys_exit_fails_the_build(project):
    stderr = fails_at_the_end(project, "exits", "import sys", "    sys.exit(0)")
    assert "exits.py:4: crash: exits: SystemExit" in stderr


def test_a_link_pelican_cannot_read_is_a_problem_of_the_file(project):
    """Found by an attacker's review: Pelican takes {x}-style "links" from
    anywhere in the HTML, even a title, and its urlparse of '//[' stopped
    the build as a crash of the site's code, naming no file."""
    post = project / "content" / EDITED
    text = (
        post.read_text("utf-8") + "\nSee <abbr title=\"href='{x}//['\">HTML</abbr>.\n"
    )
    post.write_text(text, "utf-8")
    result = build(project / "content", project / "output", check=False)
    assert result.returncode == 1
    assert error_lines(result) == [
        f"content/{EDITED}: link: a link to a file of the site is no address "
        "(Invalid IPv6 URL): write links to files of the site only as "
        "[text]({filename}/...) with a plain path, and nowhere else"
    ]


def test_a_file_name_cannot_write_to_the_terminal(project):
    name = "x\x1b[2Jy\nz.md"
    (project / "content" / "news" / name).write_text("Title: x\n\nx\n", "utf-8")
    result = build(project / "content", project / "output", check=False)
    assert result.returncode == 1
    assert "\x1b" not in result.stderr
    assert "content/news/x\\x1b[2Jy\\nz.md" in result.stderr


def test_rollback_says_so_when_the_release_before_has_a_damaged_record(project):
    output = project / "output"
    previous = Path(os.path.realpath(output))
    edit(project / "content")
    build(project / "content", output)
    manifest = Path(f"{previous}.manifest")
    data = bytearray(manifest.read_bytes())
    data[-2] ^= 0xFF
    manifest.write_bytes(bytes(data))
    result = rollback(output)
    assert result.returncode == 1
    assert f"the release before ({previous.name}) is no longer kept" in result.stderr
    assert "or is damaged" in result.stderr
    assert "put 'Status: draft' back in its file" in result.stderr  # what to do


def test_the_summary_says_what_the_site_holds_and_progress_names_each_stage(
    tmp_path,
):
    output = tmp_path / "output"
    stages = []
    result = site_build.build(
        str(ROOT / "publishconf.py"),
        str(output),
        {"PATH": str(ROOT / "content")},
        progress=stages.append,
    )
    site = Path(os.path.realpath(output))
    every = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]

    def items(section: str) -> int:
        return sum(
            p.startswith(f"{section}/")
            and p.count("/") == 2
            and p.endswith("/index.html")
            for p in every
        )

    assert result.pages == sum(p.endswith(".html") for p in every)
    assert result.tally["members"] == items("members")
    for section in ("news", "showcases", "press", "events"):
        assert result.tally[section] == items(section), section
    assert result.tally["feeds"] == sum(
        p.startswith("feeds/") and not p.endswith(".html") for p in every
    )
    assert result.tally["calendars"] == sum(p.endswith(".ics") for p in every)
    summary = result.summary()
    assert summary.startswith(f"The site holds {result.pages:,} pages, ")
    for name, count in result.tally.items():
        assert f" {count:,} {name}" in summary
    # Progress is told every stage, in the order they run.
    kinds = [stage.split()[0].rstrip(":") for stage in stages]
    firsts = sorted(set(kinds), key=kinds.index)
    assert firsts == ["start", "read", "write", "release"], stages
