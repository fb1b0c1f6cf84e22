"""The sample site's stills and screenshots are drawn by tests/artwork.py:
the committed files are exactly what it draws, each with the alt text the
showcases give it."""

from __future__ import annotations

import artwork
from conftest import ROOT


def test_the_committed_stills_are_what_the_code_draws():
    drawn = artwork.draw_all()
    assert len(drawn) >= 6
    for name, data in drawn.items():
        committed = artwork.FOLDER / name
        assert committed.is_file(), f"run tests/artwork.py: {name} is missing"
        assert committed.read_bytes() == data, f"{name} differs: run tests/artwork.py"


def test_each_picture_is_shown_with_its_alt_text():
    showcases = "".join(
        p.read_text("utf-8") for p in (ROOT / "content" / "showcases").glob("*.md")
    )
    for name, (_draw, alt) in artwork.PICTURES.items():
        shown = f"![{alt}](images/showcases/{name})" in showcases or (
            f"Image: images/showcases/{name}\nImage_alt: {alt}\n" in showcases
        )
        assert shown, name
