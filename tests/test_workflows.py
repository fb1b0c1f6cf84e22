"""The CI workflows: actionlint finds nothing in them, and the publishing
workflow does what docs/operations.md says (tests when more than content
changed, then `invoke publish`, on every push to main and once a day), and
`make test`'s workers keep each group of tests together."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# Installed into the virtual environment from the lock file (a PyPI wheel
# that carries the binary).
ACTIONLINT = str(Path(sys.executable).with_name("actionlint"))


def publish_workflow() -> dict:
    return yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text())


@pytest.mark.skipif(
    not os.path.exists(ACTIONLINT) and not os.environ.get("CI"),
    reason="actionlint is not installed (make test installs it from the lock file)",
)
def test_actionlint_finds_nothing():
    assert WORKFLOWS
    done = subprocess.run(
        [ACTIONLINT, "-no-color", *map(str, WORKFLOWS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_site_is_published_on_every_push_to_main_and_daily():
    workflow = publish_workflow()
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"]
    [daily] = triggers["schedule"]
    minute, hour, *every = daily["cron"].split()
    assert every == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()
    steps = workflow["jobs"]["publish"]["steps"]
    runs = [step.get("run", "") for step in steps]
    tests = next(i for i, run in enumerate(runs) if run.strip() == ".ci/run")
    publish = next(i for i, run in enumerate(runs) if "invoke publish" in run)
    assert tests < publish
    assert workflow["concurrency"]["cancel-in-progress"] is False
    # No token in the checkout while the tests and installs run.
    [checkout] = [s for s in steps if s.get("uses", "").startswith("actions/checkout")]
    assert checkout["with"]["persist-credentials"] is False


def test_the_tests_run_before_publishing_when_a_push_changes_more_than_content(
    tmp_path,
):
    """The workflow's own step decides, run here in a scratch repository:
    content alone is published without the test suite (the build checks
    it), anything else is tested first, and the daily run publishes."""
    steps = publish_workflow()["jobs"]["publish"]["steps"]
    [step] = [s for s in steps if s.get("id") == "changed"]
    repo = tmp_path / "repo"

    def git(*arguments):
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *arguments],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    def commit(path: str) -> str:
        file = repo / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(file.read_text() + "x" if file.exists() else "x")
        git("add", "-A")
        git("commit", "-qm", path)
        return git("rev-parse", "HEAD")

    def decides(event: str, before: str, after: str) -> str:
        output = tmp_path / "output"
        output.write_text("")
        environment = {
            **os.environ,
            "GITHUB_EVENT_NAME": event,
            "GITHUB_SHA": after,
            "GITHUB_OUTPUT": str(output),
            "BEFORE": before,
        }
        subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=repo, env=environment, check=True
        )
        return output.read_text().strip()

    repo.mkdir()
    git("init", "-q")
    first = commit("content/news/a.md")
    story = commit("content/news/b.md")
    assert decides("push", first, story) == "code=false"
    code = commit("theme/templates/base.html")
    assert decides("push", first, code) == "code=true"
    assert decides("push", story, code) == "code=true"
    assert decides("push", "0" * 40, story) == "code=true"  # a first push
    assert decides("schedule", "", code) == "code=false"


def test_make_test_keeps_each_xdist_group_on_one_worker(tmp_path):
    """`make test` runs pytest with `-n 2 --dist loadgroup` so that the tests
    of one ``xdist_group`` share one worker: one Java for the HTML checker,
    one nginx, each browser page loaded once per width. pytest 9.2 with
    pytest-xdist 3.8 silently stopped grouping (pytest-dev/pytest-xdist#1386),
    which ran those set-ups again on both workers: the pins in pyproject.toml
    must keep a pair that groups."""
    (tmp_path / "test_groups.py").write_text(
        "import os, pytest\n"
        "GROUPS = [pytest.param(g, marks=pytest.mark.xdist_group(g))\n"
        "          for g in ('one', 'two')]\n"  # as tooling.WIDTH_PARAMS
        "@pytest.mark.parametrize('group', GROUPS)\n"
        "@pytest.mark.parametrize('n', range(8))\n"
        "def test_member(group, n):\n"
        "    with open(f'{group}.{n}', 'w') as f:\n"
        "        f.write(os.environ['PYTEST_XDIST_WORKER'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        + ["-n", "2", "--dist", "loadgroup", "test_groups.py"],
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for group in ("one", "two"):
        workers = {f.read_text() for f in tmp_path.glob(f"{group}.*")}
        assert len(workers) == 1, f"group {group} ran on {sorted(workers)}"
