"""Random and mutated content fed to the real readers (Hypothesis): every
file either reads or gives located problems (the file, a line where known,
a field and what to do), never an unhandled exception, within time and
memory bounds. Each example is checked afresh (no cache)."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SETTINGS
from content_model import ModelReader
from content_model.model import DATED_FIELDS, MEMBER_FIELDS
from members.reader import MemberReader
from site_build import Session

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "120"))  # more: FUZZ_EXAMPLES=5000
SAMPLE_POST = (ROOT / "content/news/spilbar-odense-march.md").read_text("utf-8")
SAMPLE_MEMBER = (ROOT / "content/members/fjordfox-games.yaml").read_text("utf-8")
# Pieces staff (or an attacker) might type, mixed into random text.
MARKDOWN_BITS = [
    "\n",
    "\n\n",
    "    ",
    "\t",
    "> ",
    "- ",
    "1. ",
    "## ",
    "*",
    "_",
    "`",
    "```",
    "[",
    "](",
    ")",
    "![alt](",
    "/images/news/spilbar-odense-march.jpg",
    "{filename}/pages/about.md",
    "{static}../../x",
    "<",
    ">",
    "</",
    "<!--",
    "-->",
    "<script>",
    "<iframe src=x>",
    '<a href="javascript:x">',
    "&#106;",
    "|",
    "---",
    "\ufeff",
    "\x00",
    "é",
    "🎮",
    "æøå",
    "\u202e",
]
YAML_BITS = [
    "\n",
    "  ",
    "- ",
    ": ",
    ":",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!!python/object:os.system ",
    "'",
    '"',
    "#",
    "---\n",
    "\t",
    "website: https://a.example\\@b.dk/\n",
    "logo: images/members/../../x.png\n",
    "\x00",
    "|\n",
    ">\n",
    "? ",
]


def pieces(bits):
    return st.lists(st.one_of(st.sampled_from(bits), st.text(max_size=12)), max_size=40)


def mutated(original: str, bits):
    """``original`` with pieces inserted, replaced or deleted at random."""

    @st.composite
    def strategy(draw):
        text = original
        for _ in range(draw(st.integers(0, 8))):
            at = draw(st.integers(0, len(text)))
            end = min(len(text), at + draw(st.integers(0, 30)))
            piece = "".join(draw(pieces(bits)))
            text = text[:at] + piece + text[end:]
        return text

    return strategy()


def headers():
    names = [f.name for f in DATED_FIELDS] + ["Titel", "image", "x", ""]
    line = st.tuples(st.sampled_from(names), st.text(max_size=80))
    return st.lists(line, max_size=12).map(
        lambda lines: "\n".join(f"{name}: {value}" for name, value in lines)
    )


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=3000,  # ms per example: a pathological input is a failure too
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    import shutil

    target = tmp_path_factory.mktemp("fuzz") / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def read(content: Path, relative: str, text: str):
    """Read one file with the real reader; (metadata, problems)."""
    path = content / relative
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    settings = {**SETTINGS, "PATH": str(content)}
    with Session(settings, cache_folder=None) as session:
        reader = MemberReader if relative.endswith(".yaml") else ModelReader
        _content, metadata = reader(settings).read(str(path))
    return metadata, list(session.problems)


def assert_located(problems, relative: str, metadata: dict) -> None:
    for problem in problems:
        assert problem.path == f"content/{relative}", problem
        assert problem.line is None or problem.line >= 1, problem
        assert problem.field and problem.message, problem
        assert str(problem).startswith(f"content/{relative}"), problem
    if problems:
        assert metadata.get("status") == "skip"


@FUZZ
@given(header=headers(), body=st.text(max_size=400))
def test_random_headers_and_bodies(content, header, body):
    metadata, problems = read(content, "news/fuzzed.md", f"{header}\n\n{body}")
    assert_located(problems, "news/fuzzed.md", metadata)


@FUZZ
@given(text=mutated(SAMPLE_POST, MARKDOWN_BITS))
def test_mutated_posts(content, text):
    metadata, problems = read(content, "news/fuzzed.md", text)
    assert_located(problems, "news/fuzzed.md", metadata)


@FUZZ
@given(text=mutated(SAMPLE_MEMBER, YAML_BITS))
def test_mutated_member_files(content, text):
    metadata, problems = read(content, "members/fuzzed.yaml", text)
    assert_located(problems, "members/fuzzed.yaml", metadata)


@FUZZ
@given(
    lines=st.lists(
        st.tuples(
            st.sampled_from([f.name for f in MEMBER_FIELDS] + ["nme", "social"]),
            st.one_of(st.text(max_size=60), st.sampled_from(YAML_BITS)),
        ),
        max_size=14,
    )
)
def test_random_member_files(content, lines):
    text = "\n".join(f"{name}: {value}" for name, value in lines)
    metadata, problems = read(content, "members/fuzzed.yaml", text)
    assert_located(problems, "members/fuzzed.yaml", metadata)


def test_the_fuzzing_stayed_within_memory():
    """All the examples above read in this process: none made it grow past
    a few hundred megabytes (a bomb would take gigabytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert peak < 1024, f"{peak:.0f} MB"
