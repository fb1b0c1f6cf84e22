"""The Nu HTML Checker (vnu.jar, the checker behind validator.w3.org/nu) over
every HTML page of the sample site, and over our CSS and SVG files too, in one
Java run: zero errors allowed. A page with known errors rides along, to show
the checker really reports them. .ci/run fetches the pinned vnu.jar from the
npm registry (package vnu-jar) and installs Java from Debian's packages."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tooling import require_vnu

# One Java run for the module: keep its tests on one worker under --dist loadgroup.
pytestmark = pytest.mark.xdist_group("vnu")

BROKEN_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><title>x</title></head>'
    "<body><p><div>block in a paragraph</div></p><img src=a.png></body></html>"
)


@dataclass
class Checked:
    files: list[Path]
    messages: list[dict]
    broken: Path  # the control page with known errors

    def problems(self, root: Path, suffixes: tuple[str, ...]) -> list[str]:
        return [
            describe(m, root)
            for m in self.messages
            if m.get("type") in ("error", "non-document-error")
            and m.get("url", "").endswith(suffixes)
            and _path(m) != self.broken
        ]


def _path(message: dict) -> Path:
    return Path(message.get("url", "").removeprefix("file:"))


def describe(message: dict, root: Path) -> str:
    path = _path(message)
    if path.is_relative_to(root):
        path = path.relative_to(root)
    line = message.get("lastLine", "?")
    extract = (message.get("extract") or "").strip().replace("\n", " ")[:100]
    kind, text = message.get("type"), message.get("message")
    return f"{path.as_posix()}:{line}: {kind}: {text} [{extract}]"


@pytest.fixture(scope="module")
def checked(site, tmp_path_factory) -> Checked:
    java, jar = require_vnu()
    broken = tmp_path_factory.mktemp("vnu") / "broken.html"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    others = sorted(site.root.rglob("*.css")) + sorted(site.root.rglob("*.svg"))
    files = [*site.html_files, *others, broken]
    command = [java, "-jar", str(jar), "--errors-only", "--format", "json"]
    command += ["--also-check-css", "--also-check-svg", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    try:
        messages = json.loads(result.stderr or "{}").get("messages", [])
    except json.JSONDecodeError:
        pytest.fail(
            f"vnu.jar gave no JSON (exit {result.returncode}):\n{result.stderr}"
        )
    return Checked(files, messages, broken)


def test_the_checker_sees_every_page_and_reports_errors(site, checked):
    assert len(site.html_files) > 20 and set(site.html_files) <= set(checked.files)
    reported = [m["message"] for m in checked.messages if _path(m) == checked.broken]
    assert any("alt" in text for text in reported), reported
    assert any("“p” end tag" in text for text in reported), reported


def test_every_html_page_is_valid(site, checked):
    problems = checked.problems(site.root, (".html",))
    assert not problems, "Nu HTML Checker:\n" + "\n".join(problems)


def test_css_and_svg_files_are_valid(site, checked):
    problems = checked.problems(site.root, (".css", ".svg"))
    unknown = [
        describe(m, site.root)
        for m in checked.messages
        if not m.get("url", "").endswith((".html", ".css", ".svg"))
    ]
    assert not problems + unknown, "Nu HTML Checker:\n" + "\n".join(problems + unknown)
