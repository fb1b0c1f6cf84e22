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
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

import sitegen
from conftest import PLUGINS, ROOT, SITE_NOW, run_build_cli, settings_for
from site_build.releases import releases_folder
from site_build.snapshot import RACY_SECONDS

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
    target.mkdir(parents=True)
    shutil.copyfile(images / "artefacts.sqlite", target / "artefacts.sqlite")
    with closing(sqlite3.connect(target / "artefacts.sqlite")) as db, db:
        kinds = ", ".join("?" * len(IMAGE_KINDS))
        db.execute(f"DELETE FROM entry WHERE kind NOT IN ({kinds})", IMAGE_KINDS)
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


# --- The read site kept between builds (site_build/snapshot.py) ----------------
# A rebuild takes each content object whose file did not change from the
# previous build. What reading it looked at besides its file, what it asked
# of the clock and what it told the session must count as if it were read.

SHOWCASE = "showcases/fjordfox-games-talhavn.md"
PICTURE = "images/showcases/talhavn-addition.png"
UNRELATED = "news/call-for-speakers-conference-2026.md"  # linked from nowhere


def sample(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    return content


def built(content: Path, output: Path, cache: Path, now: str = SITE_NOW):
    """The real build command on ``content`` with the cache ``cache``."""
    return run_build_cli(
        content, output, environment={"SITE_BUILD_CACHE": str(cache), "SITE_NOW": now}
    )


def first_build(content: Path, tmp_path: Path):
    """The build whose reads the next one takes: every file older than
    snapshot.RACY_SECONDS (a file changed later is read again)."""
    time.sleep(RACY_SECONDS + 0.2)
    result = built(content, tmp_path / "output", tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def rebuilt_as_clean(content: Path, tmp_path: Path, now: str = SITE_NOW) -> str:
    """Build again into the kept output, then from nothing: the same tree."""
    again = built(content, tmp_path / "output", tmp_path / "cache", now)
    assert again.returncode == 0, again.stdout + again.stderr
    clean = built(content, tmp_path / "clean", tmp_path / "clean-cache", now)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert tree(tmp_path / "output") == tree(tmp_path / "clean")
    return again.stdout


def unrelated_edit(content: Path) -> None:
    """A change elsewhere, so the next build is not one with nothing changed."""
    path = content / UNRELATED
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")


def test_a_picture_replaced_reaches_a_text_read_before(tmp_path):
    from PIL import Image

    content = sample(tmp_path)
    first_build(content, tmp_path)
    page = tmp_path / "output" / SHOWCASE.replace(".md", "") / "index.html"
    page = next((tmp_path / "output").rglob("talhavn/index.html"), page)
    before = page.read_bytes()
    with Image.open(content / PICTURE) as image:  # another shape, same name
        image.crop((0, 0, image.width // 2, image.height)).save(content / PICTURE)
    rebuilt_as_clean(content, tmp_path)
    assert page.read_bytes() != before  # the picture's new size is on the page


def test_a_scheduled_post_goes_live_in_a_build_that_kept_the_rest(tmp_path):
    content = sample(tmp_path)
    text = (content / UNRELATED).read_text(encoding="utf-8")
    text = re.sub(r"(?m)^Date: .*$", "Date: 2026-11-28 09:00", text)
    text = re.sub(r"(?m)^Title: .*$", "Title: A post published later", text)
    (content / "news" / "scheduled-for-the-test.md").write_text(text, "utf-8")
    first_build(content, tmp_path)
    live = tmp_path / "output" / "news" / "scheduled-for-the-test" / "index.html"
    assert not live.exists()  # a draft until its date
    rebuilt_as_clean(content, tmp_path, now="2026-11-29T12:00:00+01:00")
    assert live.exists()


def test_the_advice_of_a_text_read_before_is_told_again(tmp_path):
    content = sample(tmp_path)
    path = content / SHOWCASE
    path.write_text(
        path.read_text(encoding="utf-8") + "\n# A second main heading\n", "utf-8"
    )
    first = first_build(content, tmp_path)
    unrelated_edit(content)
    told = rebuilt_as_clean(content, tmp_path)
    assert "suggestion" in first.stdout
    assert told.splitlines()[-1] == first.stdout.splitlines()[-1]


def test_a_member_renamed_to_the_name_of_one_read_before_is_refused(tmp_path):
    content = sample(tmp_path)
    first_build(content, tmp_path)
    other = content / "members" / "egeskov-animation.yaml"
    text = other.read_text(encoding="utf-8").splitlines()
    text[0] = "name: Æblegård Interactive"
    other.write_text("\n".join(text) + "\n", encoding="utf-8")
    again = built(content, tmp_path / "output", tmp_path / "cache")
    assert again.returncode == 1
    assert "aeblegaard-interactive.yaml" in again.stdout + again.stderr
    assert "egeskov-animation.yaml" in again.stdout + again.stderr


def test_a_text_changed_under_its_old_size_and_date_is_read_again(tmp_path):
    """As `cp -p` or `touch -r` leave a file: only its change time tells."""
    content = sample(tmp_path)
    first_build(content, tmp_path)
    path = content / UNRELATED
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "we are looking for speakers" in text
    changed = text.replace("we are looking for speakers", "WE ARE LOOKING FOR SPEAKERS")
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    rebuilt_as_clean(content, tmp_path)
    page = next((tmp_path / "output" / "news").rglob("call-for-speakers*/index.html"))
    assert "WE ARE LOOKING FOR SPEAKERS" in page.read_text(encoding="utf-8")


def launched(tmp_path: Path, content: Path, code: str, **environment):
    """The build run by ``code`` (a launcher that changes a step, then calls
    site_build.main) on ``content``, with the kept output and cache."""
    launcher = tmp_path / "launcher.py"
    launcher.write_text(code, encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            str(launcher),
            str(settings_for(content)),
            str(tmp_path / "output"),
        ],
        cwd=content.parent,
        env={
            **os.environ,
            "PYTHONPATH": str(PLUGINS),
            "SITE_BUILD_CACHE": str(tmp_path / "cache"),
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


# Saves a text again while the build runs, just after its text was read
# ahead of the readers, then waits until the save is no longer recent (so
# only the order in which the state and the text were taken can tell).
SAVED_WHILE_BUILDING = """
import os, sys, time
import content_model
target = os.path.abspath(os.environ["SAVED_DURING_BUILD"])
load_source = content_model.load_source
def saving(path, root):
    found = load_source(path, root)
    if os.path.abspath(path) == target:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("\\nA sentence saved while the site was built.\\n")
        time.sleep({wait})
    return found
content_model.load_source = saving
import site_build
sys.exit(site_build.main(sys.argv[1:]))
"""


def test_a_text_saved_while_the_site_is_built_is_read_again_next_time(tmp_path):
    """Found by an outside review: the text was read ahead of its reader,
    the state taken when the reader came to it, after the save."""
    content = sample(tmp_path)
    first_build(content, tmp_path)
    path = content / UNRELATED
    path.write_text(path.read_text(encoding="utf-8") + "\nFirst edit.\n", "utf-8")
    code = SAVED_WHILE_BUILDING.replace("{wait}", str(RACY_SECONDS + 0.5))
    during = launched(tmp_path, content, code, SAVED_DURING_BUILD=str(path))
    assert during.returncode == 0, during.stdout + during.stderr
    rebuilt_as_clean(content, tmp_path)
    page = next((tmp_path / "output" / "news").rglob("call-for-speakers*/index.html"))
    assert "saved while the site was built" in page.read_text(encoding="utf-8")


def test_a_logo_redrawn_under_its_old_size_and_date_reaches_its_pages(tmp_path):
    """Found by an outside review: the facts of pictures (and the copies of
    logos and static files) were kept by size and date, so a logo rewritten
    to other proportions kept its old size on the pages."""
    content = sample(tmp_path)
    first_build(content, tmp_path)
    logo = content / "images/members/fjordfox-games.svg"
    before = logo.stat()
    text = logo.read_text(encoding="utf-8")
    wider = text.replace(
        'viewBox="0 0 160 160" width="160"', 'viewBox="0 0 320 160" width="320"'
    )
    assert wider != text and len(wider) == len(text)
    logo.write_text(wider, encoding="utf-8")
    os.utime(logo, ns=(before.st_atime_ns, before.st_mtime_ns))
    rebuilt_as_clean(content, tmp_path)
    published = next((tmp_path / "output").rglob("fjordfox-games.svg"))
    assert published.read_text(encoding="utf-8") == wider


# Saves a picture again while the build runs, just before something is
# made from it (after its facts were found): {owner}.{name} is wrapped, its
# argument number {at} being the picture's path.
PICTURE_SAVED_WHILE_BUILDING = """
import importlib, os, sys, shutil
owner = importlib.import_module("{module}")
for part in "{owner}".split(".")[1:]:
    owner = getattr(owner, part)
target = os.path.abspath(os.environ["SAVED_DURING_BUILD"])
original = getattr(owner, "{name}")
def saving(*args):
    if os.path.abspath(str(args[{at}])) == target:
        shutil.copyfile(os.environ["SAVED_AS"], args[{at}])
    return original(*args)
setattr(owner, "{name}", saving)
import site_build
sys.exit(site_build.main(sys.argv[1:]))
"""


def saved_while_building(tmp_path, content, picture, saved_as, wrapped: str, at: int):
    """A build during which ``picture`` is saved again as ``saved_as`` just
    before ``wrapped`` (module:attribute path) reads it."""
    module, _, owner_and_name = wrapped.partition(":")
    owner, _, name = owner_and_name.rpartition(".")
    code = (
        PICTURE_SAVED_WHILE_BUILDING.replace("{module}", module)
        .replace("{owner}", f"x.{owner}" if owner else "x")
        .replace("{name}", name)
        .replace("{at}", str(at))
    )
    return launched(
        tmp_path, content, code, SAVED_DURING_BUILD=str(picture), SAVED_AS=str(saved_as)
    )


def test_a_picture_saved_while_its_copies_are_made_is_never_published_so(tmp_path):
    """Found by an outside review: the copies were made from the bytes saved
    later but named, cached and kept by the hash of the picture before, and
    came back when that picture did."""
    from PIL import Image, ImageOps

    content = sample(tmp_path)
    first_build(content, tmp_path)
    picture = content / "images/news/spilbar-aalborg-xr.jpg"
    original, turned = tmp_path / "original.jpg", tmp_path / "turned.jpg"
    shutil.copyfile(picture, original)
    with Image.open(original) as image:
        ImageOps.invert(image.convert("RGB")).save(picture)  # the edit, C
        image.rotate(180).save(turned)  # saved again during the build, B
    inverted = picture.read_bytes()
    during = saved_while_building(
        tmp_path, content, picture, turned, "responsive_images.derivatives:load", 0
    )
    assert during.returncode == 1, during.stdout + during.stderr
    told = during.stdout + during.stderr
    assert "spilbar-aalborg-xr.jpg: file: was changed while the site was built" in told
    rebuilt_as_clean(content, tmp_path)  # B, as saved
    picture.write_bytes(inverted)  # C again: its copies are C's
    again = built(content, tmp_path / "output", tmp_path / "cache")
    clean = built(content, tmp_path / "clean-c", tmp_path / "clean-c-cache")
    assert again.returncode == clean.returncode == 0, again.stdout + clean.stdout
    assert tree(tmp_path / "output") == tree(tmp_path / "clean-c")


def test_a_new_default_share_picture_reaches_every_page_that_shows_it(tmp_path):
    """Found by an outside review: the pages kept the address of the share
    picture before (no longer published), as their keys held the setting
    but not the picture."""
    from PIL import Image, ImageOps

    content = sample(tmp_path)
    first_build(content, tmp_path)
    picture = content / "images/brand/default-share.png"
    with Image.open(picture) as image:
        ImageOps.flip(image.convert("RGB")).save(picture)
    rebuilt_as_clean(content, tmp_path)


def test_a_picture_saved_while_its_share_image_is_made_fails_the_build(tmp_path):
    """Found by an outside review: the share image was checked against the
    hash of the picture read again, not the one its name was made from."""
    from PIL import Image, ImageOps

    content = sample(tmp_path)
    picture = content / "images/brand/interactive-denmark-logo.png"
    with Image.open(picture) as image:
        image.rotate(180).save(tmp_path / "turned.png")
    first_build(content, tmp_path)
    with Image.open(picture) as image:
        ImageOps.flip(image).save(picture)  # an edit: no share image of it yet
    during = saved_while_building(
        tmp_path,
        content,
        picture,
        tmp_path / "turned.png",
        "share_images.images:ShareImages._rendered",
        2,
    )
    told = during.stdout + during.stderr
    assert during.returncode == 1, told
    assert (
        "interactive-denmark-logo.png: file: was changed while the site was built"
        in told
    )


# Saves the default share picture again once its share image is made, just
# before the pages are keyed.
DEFAULT_SAVED_WHILE_BUILDING = """
import os, shutil, sys
from share_images.images import ShareImages
original, saved = ShareImages.__fingerprint__, []
def saving(self):
    if not saved:
        target = os.environ["SAVED_DURING_BUILD"]
        saved.append(shutil.copyfile(os.environ["SAVED_AS"], target))
    return original(self)
ShareImages.__fingerprint__ = saving
import site_build
sys.exit(site_build.main(sys.argv[1:]))
"""


def test_a_default_share_picture_saved_while_the_pages_are_keyed(tmp_path):
    """Found by an outside review: the pages named the share image made
    from the picture before, but were keyed by the picture saved after, so
    later builds kept them pointing at a file no longer published."""
    from PIL import Image, ImageOps

    content = sample(tmp_path)
    picture = content / "images/brand/default-share.png"
    with Image.open(picture) as image:
        ImageOps.mirror(image.convert("RGB")).save(tmp_path / "mirrored.png")
    first_build(content, tmp_path)
    during = launched(
        tmp_path,
        content,
        DEFAULT_SAVED_WHILE_BUILDING,
        SAVED_DURING_BUILD=str(picture),
        SAVED_AS=str(tmp_path / "mirrored.png"),
    )
    assert during.returncode == 0, during.stdout + during.stderr
    time.sleep(RACY_SECONDS + 0.2)
    rebuilt_as_clean(content, tmp_path)
