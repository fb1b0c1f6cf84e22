"""Layouts as Chromium lays them out: a longer page's "On this page" list
sits above its text on a phone and beside it on a desktop, where it stays
in view while the visitor scrolls and marks the section being read."""

from __future__ import annotations

import pytest

from tooling import WIDTHS

pytestmark = pytest.mark.browser

_BOXES = """() => {
  const box = selector => {
    const r = document.querySelector(selector).getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  };
  return {nav: box('.page-contents'), text: box('.page-body .prose')};
}"""


def test_on_this_page_is_above_the_text_on_a_phone(new_page):
    page = new_page(WIDTHS["phone"])
    page.goto("/about/")
    boxes = page.evaluate(_BOXES)
    assert boxes["nav"]["bottom"] <= boxes["text"]["top"], boxes


def test_on_this_page_is_beside_the_text_and_stays_in_view_on_a_desktop(new_page):
    page = new_page(WIDTHS["desktop"])
    page.goto("/about/")
    boxes = page.evaluate(_BOXES)
    assert boxes["nav"]["left"] >= boxes["text"]["right"], boxes
    page.evaluate(  # at once (the site scrolls smoothly where motion is welcome)
        "document.getElementById('our-board').scrollIntoView({behavior: 'instant'})"
    )
    scrolled = page.evaluate(_BOXES)
    assert 0 <= scrolled["nav"]["top"] < 100, scrolled


_CURRENT = """() => Array.from(document.querySelectorAll(
  '.page-contents a[aria-current="location"]')).map(a => a.hash)"""


def test_on_this_page_marks_the_section_being_read(new_page):
    page = new_page(WIDTHS["desktop"])
    page.goto("/about/")
    assert page.evaluate(_CURRENT) in ([], ["#our-goal"]), "at the top"
    for anchor in ("our-history", "our-board", "partners"):
        page.evaluate(
            f"document.getElementById('{anchor}')"
            ".scrollIntoView({behavior: 'instant'})"
        )
        page.wait_for_function(
            "anchor => Array.from(document.querySelectorAll("
            "'.page-contents a[aria-current]')).map(a => a.hash).join() === anchor",
            arg=f"#{anchor}",
            timeout=5000,
        )
        assert page.evaluate(_CURRENT) == [f"#{anchor}"]


_GALLERY_ROWS = """() => Array.from(document.querySelectorAll('.gallery')).map(
  gallery => new Set(Array.from(gallery.querySelectorAll('img')).map(
    img => Math.round(img.getBoundingClientRect().top))).size)"""


@pytest.mark.parametrize("width, rows", [(375, 3), (600, 3), (1280, 1)])
def test_a_gallery_of_three_is_one_row_on_a_desktop_and_a_column_else(
    new_page, width, rows
):
    """Never two and one: the third picture alone on its row."""
    page = new_page(width)
    page.goto("/showcases/fjordfox-games-talhavn/")
    assert page.evaluate(_GALLERY_ROWS) == [rows]
