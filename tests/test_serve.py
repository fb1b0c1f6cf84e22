"""`make serve` (invoke livereload): the site is served at a local address and
an edit to a Markdown file shows up without restarting anything."""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

INVOKE = Path(sys.executable).with_name("invoke")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"gave up after {seconds:.0f} s waiting for {what}")


@contextlib.contextmanager
def serving(root: Path):
    """`make serve` (invoke livereload) in ``root``: the folder, the address
    and the log."""
    port = free_port()
    log = root / "livereload.log"
    with log.open("w", encoding="utf-8") as handle:
        process = subprocess.Popen(
            [str(INVOKE), "livereload", "--port", str(port)],
            cwd=root,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        try:
            yield root, f"http://127.0.0.1:{port}", log
        finally:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture
def livereload(project_copy):
    with serving(project_copy) as served:
        yield served


def test_an_edit_to_markdown_shows_without_restarting(livereload):
    root, base, _log = livereload
    about = wait_for(lambda: fetch(f"{base}/about/"), 120, "the first build")
    assert "livereload.js" in about, "the page reloads itself on changes"
    source = root / "content/pages/about.md"
    text = source.read_text(encoding="utf-8")
    new_title = "About the Danish digital visual cluster"
    source.write_text(
        text.replace(text.splitlines()[0], f"Title: {new_title}", 1),
        encoding="utf-8",
    )
    wait_for(lambda: new_title in (fetch(f"{base}/about/") or ""), 120, "the rebuild")


@pytest.fixture
def own_plugins(project_copy) -> Path:
    """The project copy with a plugins/ folder of its own, to edit."""
    plugins = project_copy / "plugins"
    plugins.unlink()
    shutil.copytree(
        ROOT / "plugins", plugins, ignore=shutil.ignore_patterns("__pycache__")
    )
    return project_copy


def test_an_edit_to_a_plugin_counts_at_the_next_save(own_plugins):
    # Rebuilds fork from a process that imported the plugins once; an edit
    # to one is seen at the next save all the same.
    plugins = own_plugins / "plugins"
    with serving(own_plugins) as (root, base, _log):
        robots = wait_for(lambda: fetch(f"{base}/robots.txt"), 120, "the first build")
        assert "# Edited" not in robots
        code = plugins / "site_meta" / "__init__.py"
        text = code.read_text(encoding="utf-8")
        before = 'lines = ["User-agent: *"]'
        assert before in text
        code.write_text(
            text.replace(before, 'lines = ["# Edited", "User-agent: *"]'), "utf-8"
        )
        wait_for(
            lambda: "# Edited" in (fetch(f"{base}/robots.txt") or ""), 120, "a rebuild"
        )
        # and at the saves after it, of content too
        about = root / "content/pages/about.md"
        about.write_text(about.read_text("utf-8") + "\nSaved again.\n", "utf-8")
        wait_for(
            lambda: "Saved again." in (fetch(f"{base}/about/") or ""), 120, "a rebuild"
        )
        assert "# Edited" in fetch(f"{base}/robots.txt")


def test_a_plugin_broken_under_make_serve_is_named_with_its_line(own_plugins):
    plugins = own_plugins / "plugins"
    with serving(own_plugins) as (_root, base, log):
        wait_for(lambda: fetch(f"{base}/about/"), 120, "the first build")
        code = plugins / "site_build" / "writer.py"
        text = code.read_text("utf-8")
        code.write_text(text + "\ndef broken(:\n", "utf-8")
        wait_for(lambda: "The build failed" in log.read_text("utf-8"), 120, "a build")
        shown = log.read_text("utf-8")
        assert "site_build/writer.py" in shown and "SyntaxError" in shown
        [problem] = json.loads(fetch(f"{base}/_build/problems.json"))  # the panel
        assert problem["path"] == "plugins/site_build/writer.py" and problem["line"]
        assert problem["message"].startswith("SyntaxError")
        code.write_text(text, "utf-8")  # mended: the next save builds
        wait_for(
            lambda: json.loads(fetch(f"{base}/_build/problems.json") or "[1]") == [],
            120,
            "the mended build",
        )


def test_a_broken_edit_keeps_the_last_good_site(livereload):
    root, base, log = livereload
    wait_for(lambda: fetch(f"{base}/about/"), 120, "the first build")
    source = root / "content/pages/about.md"
    text = source.read_text(encoding="utf-8")
    source.write_text("Title: About\nSummary:\n\nBroken.\n", encoding="utf-8")
    wait_for(
        lambda: "The build failed" in log.read_text(encoding="utf-8"),
        120,
        "the failing rebuild",
    )
    assert "content/pages/about.md:2: Summary: is empty" in log.read_text(
        encoding="utf-8"
    )
    page = fetch(f"{base}/about/")
    assert page and "Our history" in page
    # The pages ask for the problems, which the panel shows over them.
    assert "build-problems" in page and 'data-heading="The last save' in page
    [problem] = json.loads(fetch(f"{base}/_build/problems.json"))
    assert problem == {
        "path": "content/pages/about.md",
        "line": 2,
        "field": "Summary",
        "message": "is empty",
        "allowed": problem["allowed"],
    } and problem["allowed"].startswith("use plain text")
    source.write_text(text, encoding="utf-8")  # mended: no panel any more
    wait_for(
        lambda: json.loads(fetch(f"{base}/_build/problems.json") or "[1]") == [],
        120,
        "the mended rebuild",
    )


def test_a_busy_port_is_one_plain_line_saying_how_to_choose_another(project_copy):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(INVOKE), "livereload", "--port", str(port)],
            cwd=project_copy,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"Port {port} is busy: another program, perhaps another `make serve`, is "
        "using it. Stop that one, or choose another port: make serve "
        f"PORT={port + 1}"
    )


@pytest.mark.parametrize("port", ["abc", "99999", "80"])
def test_a_port_that_cannot_be_used_is_one_plain_line(project_copy, port):
    result = subprocess.run(
        [str(INVOKE), "livereload", "--port", port],
        cwd=project_copy,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"PORT={port} is not a port this can use: choose a number from 1024 to "
        "65535, such as make serve PORT=8001"
    )
