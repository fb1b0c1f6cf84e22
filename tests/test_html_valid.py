"""The Nu HTML Checker (vnu.jar, the checker behind validator.w3.org/nu) over
every HTML page of the sample site, and over our CSS and SVG files too, in one
Java run: zero errors allowed. .ci/run fetches the pinned vnu.jar from the npm
registry (package vnu-jar) and installs Java from Debian's packages."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tooling import require_vnu

# One Java run for the module: keep its tests on one worker under --dist loadgroup.
pytestmark = pytest.mark.xdist_group("vnu")


@pytest.fixture(scope="module")
def vnu_messages(site) -> tuple[list[Path], list[dict]]:
    java, jar = require_vnu()
    others = sorted(site.root.rglob("*.css")) + sorted(site.root.rglob("*.svg"))
    files = site.html_files + others
    result = subprocess.run(
        [
            java,
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            "--also-check-css",
            "--also-check-svg",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        messages = json.loads(result.stderr or "{}").get("messages", [])
    except json.JSONDecodeError:
        pytest.fail(
            f"vnu.jar gave no JSON (exit {result.returncode}):\n{result.stderr}"
        )
    if result.returncode and not messages:
        pytest.fail(f"vnu.jar failed (exit {result.returncode}):\n{result.stderr}")
    return files, messages


def describe(message: dict, root: Path) -> str:
    path = Path(message.get("url", "").removeprefix("file:"))
    if path.is_relative_to(root):
        path = path.relative_to(root)
    line = message.get("lastLine", "?")
    extract = (message.get("extract") or "").strip().replace("\n", " ")[:100]
    kind, text = message.get("type"), message.get("message")
    return f"{path.as_posix()}:{line}: {kind}: {text} [{extract}]"


def _problems(messages, root, suffixes) -> list[str]:
    return [
        describe(m, root)
        for m in messages
        if m.get("type") in ("error", "non-document-error")
        and m.get("url", "").endswith(suffixes)
    ]


def test_the_checker_sees_every_page(site, vnu_messages):
    files, _messages = vnu_messages
    assert len(site.html_files) > 20 and set(site.html_files) <= set(files)


def test_every_html_page_is_valid(site, vnu_messages):
    problems = _problems(vnu_messages[1], site.root, (".html",))
    assert not problems, "Nu HTML Checker:\n" + "\n".join(problems)


def test_css_and_svg_files_are_valid(site, vnu_messages):
    problems = _problems(vnu_messages[1], site.root, (".css", ".svg"))
    unknown = [
        describe(m, site.root)
        for m in vnu_messages[1]
        if not m.get("url", "").endswith((".html", ".css", ".svg"))
    ]
    assert not problems + unknown, "Nu HTML Checker:\n" + "\n".join(problems + unknown)


def test_the_checker_reports_an_invalid_page(tmp_path):
    """The check itself works: a page with a known error is reported."""
    java, jar = require_vnu()
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head>'
        "<body><p><div>block in a paragraph</p></div><img src=a.png></body></html>",
        encoding="utf-8",
    )
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr)["messages"]
    assert result.returncode != 0
    assert any("alt" in m["message"] for m in messages)
