"""The accessibility statement (Tilgængelighedserklæring) that the Danish
rules expect: its own page, linked from the footer of every page, with the
contact for reporting a problem and the way to complain."""

from __future__ import annotations

import site_build
from conftest import ROOT

STATEMENT = "accessibility/"


def settings():
    return site_build.load_settings(str(ROOT / "pelicanconf.py"))


def test_every_page_links_the_statement_from_its_footer(site):
    missing = [
        site.url_of(file)
        for file in site.html_files
        if not site.soup(file).select(f'footer a[href="/{STATEMENT}"]')
    ]
    assert len(site.html_files) > 20
    assert not missing, f"no link to /{STATEMENT} in the footer of: {missing}"


def test_the_statement_names_itself_and_how_to_reach_us(site):
    soup = site.soup(STATEMENT)
    main = soup.select_one("main")
    assert "Tilgængelighedserklæring" in main.select_one("h1").get_text()
    contact = settings()["CONTACTS"]["accessibility"]["email"]
    assert main.select(f'a[href="mailto:{contact}"]'), f"no link to {contact}"
    text = main.get_text(" ")
    assert "WCAG 2.1" in text
    # Where to complain: the Danish Agency for Digital Government.
    assert "Digitaliseringsstyrelsen" in text
    assert any("digst.dk" in a["href"] for a in main.select("a[href]"))
