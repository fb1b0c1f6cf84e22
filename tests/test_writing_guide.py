"""docs/writing-guide.md: its examples are built and its commands run, and
what the guide says they print is what they print.

The guide marks its blocks with HTML comments (GitHub shows none of them):

``<!-- example: content/news/x.md -->``
    before a whole example file: written into a copy of the project, the
    site builds with no problem and no suggestion, and the page is at its
    address (under /drafts/ for a draft or a scheduled post) with its title
    as the page's heading.
``<!-- picture: content/images/news/x.jpg -->``
    where the guide tells staff to save a picture: the test saves one there.
``<!-- broken: content/news/x.md -->``
    before wrong lines, whose message is the next block: each wrong line
    replaces the example's line with the same field (or the line most like
    it), and the build (`invoke build`, as `make serve` runs it) or, when
    the message ends with the summary of `invoke check`, `invoke check`
    prints exactly the message.
``<!-- prints -->`` (optionally ``(PREVIEW_TO set)`` or ``(PUBLISH_TO not set)``)
    before a command block whose output is the next block: every such
    command runs in guide order in one copy of the project (examples,
    pictures and ``<!-- remove from: path -->`` lines applied as the guide
    reaches them), publishing into folders of the test's own, and prints
    exactly that.

Outputs are compared after masking what differs from run to run or from
computer to computer: temporary folders and where the site is published,
times, memory, file counts and the content hashes in file names. A line
``...`` in an output stands for lines the guide leaves out.
"""

from __future__ import annotations

import difflib
import html
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, SITE_NOW, run_build_cli

GUIDE = ROOT / "docs" / "writing-guide.md"
INVOKE = Path(sys.executable).with_name("invoke")
MARKER = re.compile(
    r"^<!-- (?P<kind>example|broken|picture|remove from|prints)"
    r"(?:: (?P<path>\S+))?(?: \((?P<option>[^)]*)\))? -->$"
)
PREVIEW_SITEURL = "https://preview.interactivedenmark.example"


@dataclass
class Block:
    kind: str  # the marker's kind
    path: str | None  # the file it names, relative to the project
    option: str | None  # "PREVIEW_TO set", "PUBLISH_TO not set"
    text: str  # the block after the marker
    message: str | None  # the block after that (broken, prints)
    line: int  # the marker's line in the guide

    def __str__(self) -> str:
        return f"{self.kind}@{self.line}"


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def fenced_blocks(lines: list[str]) -> list[tuple[int, str]]:
    """(first line index, text) of every fenced code block."""
    blocks, start, inside = [], None, []
    for number, line in enumerate(lines):
        if line.startswith("```"):
            if start is None:
                start, inside = number, []
            else:
                blocks.append((start, "".join(inside)))
                start = None
        elif start is not None:
            inside.append(line + "\n")
    assert start is None, f"a code block from line {start + 1} is never closed"
    return blocks


def marked_blocks() -> list[Block]:
    """Every marked block of the guide, in the guide's order."""
    lines = guide_text().splitlines()
    blocks = fenced_blocks(lines)
    found = []
    for number, line in enumerate(lines):
        marker = MARKER.match(line.strip())
        if marker is None:
            assert not line.strip().startswith("<!-- "), (
                f"line {number + 1}: a comment that is no marker: {line}"
            )
            continue
        after = [(start, text) for start, text in blocks if start > number]
        assert after and after[0][0] == number + 1, (
            f"line {number + 1}: the marker is not right above a code block"
        )
        after = [text for _start, text in after]
        found.append(
            Block(
                marker["kind"],
                marker["path"],
                marker["option"],
                after[0],
                after[1] if len(after) > 1 else None,
                number + 1,
            )
        )
    return found


BLOCKS = marked_blocks()
EXAMPLES = {b.path: b.text for b in BLOCKS if b.kind == "example"}
PICTURES = [b.path for b in BLOCKS if b.kind == "picture"]


def by_kind(kind: str) -> list[Block]:
    return [b for b in BLOCKS if b.kind == kind]


# --- masking ------------------------------------------------------------------

MASKS = [
    # which settings a build used, wherever the project folder is
    (r"with \S*?(pelicanconf|publishconf)\.py\.", r"with <folder>\1.py."),
    (r"Published to \S+: ", "Published to <where>: "),
    (r"\d+\.\d+ s\b", "<seconds> s"),
    (r"peak memory \d+ MB", "peak memory <memory> MB"),
    (r"\b[0-9a-f]{10}\b", "<hash>"),
    (r"127\.0\.0\.1:\d+", "127.0.0.1:<port>"),
]
# Lines whose numbers all count files or pages (the sample content grows).
COUNTED = ("The site holds ", "Built ", "Nothing changed since", "Published to ")


def mask(text: str) -> str:
    lines = []
    for line in text.strip("\n").splitlines():
        line = line.rstrip()
        for pattern, replacement in MASKS:
            line = re.sub(pattern, replacement, line)
        if line.startswith(COUNTED) or line.lstrip().startswith("+ ... and "):
            line = re.sub(r"\d[\d,]*", "<n>", line)
        line = re.sub(r"^Checked [\d,]+ files", "Checked <n> files", line)
        lines.append(line)
    return "\n".join(lines)


def mismatch(expected: str, actual: str, what: str) -> str | None:
    """None when ``actual`` is ``expected`` after masking (a line '...' in
    ``expected`` standing for any number of lines); else how they differ."""
    want, got = mask(expected), mask(actual)
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line == "..." else re.escape(line) + r"\n"
        for line in want.splitlines()
    )
    if re.fullmatch(pattern, got + "\n"):
        return None
    diff = difflib.unified_diff(
        want.splitlines(), got.splitlines(), "guide", "printed", lineterm=""
    )
    return f"{what} prints something else than the guide says:\n" + "\n".join(diff)


def assert_prints(expected: str, actual: str, what: str) -> None:
    found = mismatch(expected, actual, what)
    if found:
        pytest.fail(found)


# --- running things in a copy of the project -----------------------------------


def environment(**extra: str) -> dict:
    env = {**os.environ, "SITE_NOW": SITE_NOW, "PYTHONUNBUFFERED": "1", **extra}
    for name in ("PUBLISH_TO", "PREVIEW_TO", "PREVIEW_SITEURL", "SITE_PREVIEW"):
        if name not in extra:
            env.pop(name, None)
    return env


def run_invoke(command: str, project: Path, env: dict):
    words = shlex.split(command)
    assert words[0] == "invoke", command
    done = subprocess.run(
        [str(INVOKE), *words[1:]],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.stdout + done.stderr


def save_picture(path: Path) -> None:
    """A picture as staff would save one: a photo-sized JPEG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    picture = Image.linear_gradient("L").resize((1600, 900)).convert("RGB")
    picture.save(path, quality=85)


def write_example(project: Path, relative: str, text: str) -> None:
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_preview(command: str, project: Path, env: dict) -> str:
    """`invoke preview` without PREVIEW_TO serves until stopped: what it
    prints until it says where, after checking that it serves the preview
    there (on another port when 8001 is taken on this machine)."""
    port = 8001 if port_free(8001) else free_port()
    words = shlex.split(command)[1:] + ([] if port == 8001 else [f"--port={port}"])
    server = subprocess.Popen(
        [str(INVOKE), *words],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    printed = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line:
                break
            printed.append(line)
            if line.startswith("The preview is at"):
                break
        assert printed and printed[-1].startswith("The preview is at"), (
            "".join(printed) + server.stderr.read()
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert "Preview for approval" in page.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return "".join(printed)


# --- the tests -------------------------------------------------------------------


def test_the_guide_marks_its_examples_and_commands():
    kinds = {b.kind for b in BLOCKS}
    assert kinds == {"example", "broken", "picture", "remove from", "prints"}
    for block in BLOCKS:
        if block.kind in ("broken", "prints"):
            assert block.message is not None, block
        if block.kind != "prints":
            assert block.path and block.path.startswith("content/"), block
        else:
            assert block.text.startswith("invoke "), block
            assert block.text.count("\n") == 1, f"{block}: one command per block"
    # The members tests read the first YAML block after the heading.
    members = guide_text().split("## Members", 1)[1]
    assert "<!-- example: content/members/" in members.split("```yaml\n", 1)[0]


def address(relative: str, text: str) -> str:
    """Where the site puts the page of a content file, and its title."""
    folder, name = relative.removeprefix("content/").split("/")
    slug = name.rsplit(".", 1)[0]
    header = dict(
        line.split(": ", 1)
        for line in text.split("\n\n", 1)[0].splitlines()
        if ": " in line and not line.startswith(" ")
    )
    if folder == "members":
        return f"/members/{slug}/", header["name"]
    date = header.get("Date")
    later = date and datetime.fromisoformat(date) > datetime.fromisoformat(
        SITE_NOW
    ).replace(tzinfo=None)
    if header.get("Status") == "draft" or later:
        return f"/drafts/{folder}/{slug}/", header["Title"]
    if folder == "pages":
        return f"/{slug}/", header["Title"]
    return f"/{folder}/{slug}/", header["Title"]


def test_every_example_builds_with_no_problem_and_is_at_its_address(
    content_copy, tmp_path
):
    for picture in PICTURES:
        save_picture(content_copy.parent / picture)
    for relative, text in EXAMPLES.items():
        write_example(content_copy.parent, relative, text)
    output = tmp_path / "output"
    result = run_build_cli(content_copy, output)
    assert result.returncode == 0, result.stderr
    assert "suggestion" not in result.stdout, result.stdout
    for relative, text in EXAMPLES.items():
        url, title = address(relative, text)
        page = output / url.strip("/") / "index.html"
        assert page.exists(), f"{relative}: no page at {url}"
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text("utf-8"), re.S)
        assert heading, f"{url} has no heading"
        shown = html.unescape(re.sub(r"<[^>]+>", "", heading[1])).strip()
        assert shown == title, url


def with_wrong_lines(good: str, wrong: str) -> str:
    """The example ``good`` with each wrong line in place of its field's line
    (or of the line most like it)."""
    lines = good.splitlines()
    for line in wrong.splitlines():
        field = re.match(r"^\s*[\w.-]+:", line)
        same = [i for i, old in enumerate(lines) if field and old.startswith(field[0])]
        if not same:
            close = difflib.get_close_matches(line, lines, n=1, cutoff=0.6)
            assert close, f"no line of the example is like {line!r}"
            same = [lines.index(close[0])]
        lines[same[0]] = line
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("block", by_kind("broken"), ids=str)
def test_a_mistake_prints_what_the_guide_says(project_copy, block):
    for picture in PICTURES:
        save_picture(project_copy / picture)
    good = EXAMPLES.get(block.path)
    text = with_wrong_lines(good, block.text) if good else block.text
    write_example(project_copy, block.path, text)
    checks = any(line.startswith("Checked ") for line in block.message.splitlines())
    command = "invoke check" if checks else "invoke build"
    printed = run_invoke(command, project_copy, environment())
    assert_prints(block.message, printed, f"{command} with {block}")


def test_the_commands_print_what_the_guide_says(project_copy, tmp_path_factory):
    """The journey from idea to live, in one copy of the project, publishing
    into a folder of the test's own (the live site, published once before
    the story is started)."""
    assert shutil.which("rsync"), "publishing into a folder needs rsync"
    # Outside the project: a build reads every file of the project folder.
    www = tmp_path_factory.mktemp("www")
    live, preview = www / "site", www / "preview"
    live.mkdir()
    preview.mkdir()
    env = environment(PUBLISH_TO=f"rsync:{live}")
    setup = run_invoke("invoke publish", project_copy, env)
    assert (live / "index.html").exists(), setup
    ran, differs = 0, []
    for block in BLOCKS:
        if block.kind == "example":
            write_example(project_copy, block.path, block.text)
        elif block.kind == "picture":
            save_picture(project_copy / block.path)
        elif block.kind == "remove from":
            path = project_copy / block.path
            text = path.read_text("utf-8")
            for line in block.text.splitlines():
                assert f"\n{line}\n" in text, f"{block}: {line!r} not in {path}"
                text = text.replace(f"\n{line}\n", "\n", 1)
            path.write_text(text, "utf-8")
        elif block.kind == "prints":
            command = block.text.strip()
            options = {
                None: env,
                "PREVIEW_TO set": {
                    **env,
                    "PREVIEW_TO": f"rsync:{preview}",
                    "PREVIEW_SITEURL": PREVIEW_SITEURL,
                },
                "PUBLISH_TO not set": environment(),
            }
            assert block.option in options, block
            run_env = options[block.option]
            if command == "invoke preview" and "PREVIEW_TO" not in run_env:
                printed = serve_preview(command, project_copy, run_env)
            else:
                printed = run_invoke(command, project_copy, run_env)
            differs.append(mismatch(block.message, printed, f"{command} ({block})"))
            ran += 1
    assert ran >= 8
    # Every command has run (each depends on the ones before): all that
    # differ, at once.
    assert not any(differs), "\n\n".join(filter(None, differs))
    # What the journey published: the story, on the site rolled back from.
    assert (preview / "drafts/news/spilbar-comes-to-svendborg/index.html").exists()
    assert not (live / "news/spilbar-comes-to-svendborg").exists()


# --- what the guide asks staff to type ---------------------------------------------


def test_no_unix_only_path_but_the_one_activation_line():
    text = guide_text()
    activation = "source .venv/bin/activate"
    assert text.count(activation) == 1
    rest = text.replace(activation, "")
    for unix_only in (".venv/bin", "bin/", "~/", "/tmp/", "/home/", "/Users/"):
        assert unix_only not in rest, unix_only
    for command in ("python3", "PYTHONPATH", "./"):
        assert command not in rest, command
    assert not re.search(r"^\s*export \w+=", rest, re.M)
    # The Windows set-up, as the brief of the guide has it.
    for line in (
        "py -m venv .venv",
        ".venv\\Scripts\\python -m pip install -r requirements.lock",
        ".venv\\Scripts\\Activate.ps1",
    ):
        assert f"\n{line}\n" in text, line


def invoke_tasks() -> set[str]:
    listed = subprocess.run(
        [str(INVOKE), "--list"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert listed.returncode == 0, listed.stderr
    return set(re.findall(r"^  ([a-z][\w-]*)", listed.stdout, re.M))


def test_every_invoke_command_the_guide_names_exists():
    text = guide_text()
    named = set(re.findall(r"\binvoke ([a-z][\w-]*)", text))
    assert {"new", "check", "preview", "publish", "rollback", "livereload"} <= named
    missing = named - invoke_tasks()
    assert not missing, f"the guide names tasks invoke does not have: {missing}"
    for task, option in set(re.findall(r"\binvoke ([a-z][\w-]*) (--[\w-]+)", text)):
        helped = subprocess.run(
            [str(INVOKE), task, "--help"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert option in helped.stdout, f"invoke {task} has no {option}"


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_every_link_in_the_guide_leads_somewhere():
    text = guide_text()
    outside = re.sub(r"```.*?```", "", text, flags=re.S)
    outside = re.sub(r"`[^`\n]*`", "", outside)
    anchors = {
        anchor(line.lstrip("#"))
        for line in outside.splitlines()
        if line.startswith("#")
    }
    for target in re.findall(r"\]\(([^)\s]+)\)", outside):
        if target.startswith("#"):
            assert target[1:] in anchors, target
        elif not target.startswith(("http://", "https://", "{", "mailto:", "images/")):
            assert (GUIDE.parent / target).exists(), target


def test_the_picture_rule_is_one_rule():
    """Every picture path in the guide's examples is written from images/,
    with no / in front."""
    for relative, text in EXAMPLES.items():
        paths = re.findall(r"(?:Image|logo): (\S+)|\]\((/?images/[^)]+)\)", text)
        for path in filter(None, (p for pair in paths for p in pair)):
            assert path.startswith("images/"), (relative, path)
