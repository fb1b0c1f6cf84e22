"""Incremental builds give the same site as clean builds.

A generated site (tests/sitegen.py) goes through a seeded sequence of the
edits staff make (edit, add, rename and delete a post and a member, edit a
template, change a setting). After each one the site is built twice: again
into the same output, where unchanged pages are linked from the previous
release and remembered checks and conversions are reused; and from nothing,
into a new output with a cache holding no reads and no pages. The two trees
must be byte for byte the same, and the rebuild must have made only part of
the site again where the edit allows it.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sitegen
from conftest import PLUGINS
from site_build.releases import releases_folder

# What a clean build may keep from earlier builds: facts and resized copies
# of pictures (keyed by the files' bytes or states), never reads or pages.
IMAGE_KINDS = ("image-facts", "webp", "share-jpeg", "share-png", "share-meta")
SEED = 7


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes, and every folder (None): a folder left empty by
    a rebuild is a difference too."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


def build(site: sitegen.Site, output: Path, cache: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "site_build", str(site.settings), str(output)],
        cwd=site.root,
        env={**os.environ, "PYTHONPATH": str(PLUGINS), "SITE_BUILD_CACHE": str(cache)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def clean_cache(images: Path, target: Path) -> Path:
    """A fresh cache holding only the picture work of ``images``."""
    shutil.rmtree(target, ignore_errors=True)
    for kind in IMAGE_KINDS:
        if (images / "artefacts" / kind).is_dir():
            shutil.copytree(images / "artefacts" / kind, target / "artefacts" / kind)
    return target


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> sitegen.Site:
    root = tmp_path_factory.mktemp("rebuilds") / "project"
    return sitegen.generate(root, news=24, showcases=8, events=6, members=30, seed=SEED)


def test_every_edit_rebuilds_to_what_a_clean_build_makes(site, tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    build(site, output, cache)
    edits = list(sitegen.EDITS.items())
    random.Random(SEED).shuffle(edits)
    partial = 0
    for number, (name, edit) in enumerate(edits):
        made = edit(site.root, seed=SEED + number)
        rebuilt = build(site, output, cache)
        fresh = tmp_path / f"clean-{number}"
        build(site, fresh, clean_cache(cache, tmp_path / f"cache-{number}"))
        incremental, clean = tree(output), tree(fresh)
        assert incremental.keys() == clean.keys(), (name, made)
        different = [path for path in clean if incremental[path] != clean[path]]
        assert not different, f"after '{name}' ({made}): {different[:5]}"
        rendered = int(rebuilt.split(" pages rendered")[0].rsplit(" ", 1)[1])
        pages = sum(1 for path in clean if path.endswith(".html"))
        if name not in ("edit template", "change setting"):
            partial += rendered < pages / 2
        fresh.unlink()
        shutil.rmtree(releases_folder(str(fresh)))
    assert partial == 8, "an edit of one file made most of the site again"
