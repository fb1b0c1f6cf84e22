"""Publishing a build (plugins/site_build.publish): output/ ends up holding
exactly what the build made, and only what changed is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import site_build


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text("utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return folder


BUILT = {
    "index.html": "<p>home</p>",
    "about/index.html": "<p>about, new text</p>",
    "members/new-studio/index.html": "<p>a new member</p>",
    "feeds/all.xml": "<feed/>",
    "css/site.css": "body{}",
}


@pytest.fixture(params=["same folder tree", "memory"])
def staging_root(request, tmp_path) -> Path:
    """Staging beside the output (a rename publishes a file) or in memory
    (another device: the file is copied), as staging_folder() chooses."""
    if request.param == "same folder tree":
        return tmp_path
    if not os.access(site_build.MEMORY_FOLDER, os.W_OK):
        pytest.skip(f"no writable {site_build.MEMORY_FOLDER} here")
    return Path(site_build.MEMORY_FOLDER)


def test_only_what_changed_is_written_and_what_is_gone_is_removed(
    tmp_path, staging_root
):
    output = make(
        tmp_path / "output",
        {
            "index.html": "<p>home</p>",
            "about/index.html": "<p>about, old text</p>",
            "css/site.css": "body{}",
            "members/gone-studio/index.html": "<p>left the cluster</p>",
            "feeds/all.xml/old": "a folder where the build now makes a file",
            "stale.txt": "not built any more",
        },
    )
    untouched = os.stat(output / "index.html")
    staging = make(staging_root / f"staging-{tmp_path.name}", BUILT)
    try:
        published = site_build.publish(str(staging), str(output))
    finally:
        if staging.exists():
            import shutil

            shutil.rmtree(staging)
    assert tree(output) == BUILT
    assert not (output / "members/gone-studio").exists()
    assert published == site_build.Published(files=5, written=3, removed=2)
    kept = os.stat(output / "index.html")
    assert (kept.st_ino, kept.st_mtime_ns) == (untouched.st_ino, untouched.st_mtime_ns)
    assert not list(output.rglob("*.publishing"))


def test_a_file_linked_elsewhere_is_replaced_not_written_through(tmp_path):
    """An output file that is a hard link (to a source file, say) gets a new
    file; the other name keeps its bytes."""
    source = make(tmp_path / "content", {"logo.svg": "<svg>old</svg>"})
    output = tmp_path / "output"
    output.mkdir()
    os.link(source / "logo.svg", output / "logo.svg")
    staging = make(tmp_path / "staging", {"logo.svg": "<svg>new</svg>"})
    site_build.publish(str(staging), str(output))
    assert (output / "logo.svg").read_text("utf-8") == "<svg>new</svg>"
    assert (source / "logo.svg").read_text("utf-8") == "<svg>old</svg>"


def test_a_first_build_moves_the_staging_folder_in(tmp_path):
    staging = make(tmp_path / "staging", BUILT)
    output = tmp_path / "site" / "output"
    published = site_build.publish(str(staging), str(output))
    assert tree(output) == BUILT
    assert published == site_build.Published(files=5, written=5, removed=0)
    assert not staging.exists()


def test_staging_goes_to_the_named_folder_else_memory_else_beside_output(
    tmp_path, monkeypatch
):
    output = str(tmp_path / "output")
    monkeypatch.setenv(site_build.STAGING_VARIABLE, str(tmp_path / "scratch"))
    named = site_build.staging_folder(output)
    assert Path(named).parent == tmp_path / "scratch"
    assert site_build.staging_folder(str(tmp_path / "other")) != named
    monkeypatch.delenv(site_build.STAGING_VARIABLE)
    monkeypatch.setattr(site_build, "MEMORY_FOLDER", str(tmp_path / "no-such"))
    assert site_build.staging_folder(output) == output + ".staging"
    monkeypatch.setattr(site_build, "MEMORY_FOLDER", str(tmp_path))
    monkeypatch.setattr(site_build, "MEMORY_FOLDER_MINIMUM", 1 << 62)
    assert site_build.staging_folder(output) == output + ".staging", "full: beside"


def test_kept_files_stay_as_they_are(tmp_path):
    """What a plugin keeps (site_build.Build.keep) is neither written nor
    removed, with the folders it is in; what it does not keep is."""
    output = make(
        tmp_path / "output",
        {
            "members/fjordfox/index.html": "<p>kept</p>",
            "members/logos/96.abc.webp": "kept logo",
            "members/gone/index.html": "<p>not kept, not built</p>",
        },
    )
    before = os.stat(output / "members/fjordfox/index.html")
    staging = make(tmp_path / "staging", {"index.html": "<p>home</p>"})
    keep = {"members/fjordfox/index.html", "members/logos/96.abc.webp"}
    published = site_build.publish(str(staging), str(output), keep)
    assert tree(output) == {
        "index.html": "<p>home</p>",
        "members/fjordfox/index.html": "<p>kept</p>",
        "members/logos/96.abc.webp": "kept logo",
    }
    after = os.stat(output / "members/fjordfox/index.html")
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert published == site_build.Published(files=3, written=1, removed=1)
