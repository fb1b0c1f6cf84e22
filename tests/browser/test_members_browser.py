"""The member directory's filters in headless Chromium, on the sample site
served with our Content-Security-Policy: filtering by sector and region and
searching show exactly the matching cards, the address carries the filters,
and a shared address reloads to the same view. Without JavaScript every card
is listed. Expected cards come from the YAML sources."""

from __future__ import annotations

import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import ROOT
from tooling import HEIGHT, WIDTHS

pytestmark = pytest.mark.browser

SOURCES = {
    path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in sorted((ROOT / "content/members").glob("*.yaml"))
}
ALL = sorted((m["name"] for m in SOURCES.values()), key=str.casefold)


def names(predicate) -> list[str]:
    """Names of the members matching ``predicate``, in the directory's order."""
    return [
        name
        for name in ALL
        if any(predicate(m) for m in SOURCES.values() if m["name"] == name)
    ]


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def searched(word: str):
    return lambda m: (
        fold(word)
        in fold(f"{m['name']} {m['city']} {' '.join(m['description'].split())}")
    )


def visible_cards(page) -> list[str]:
    return page.locator(".member-cards > li:visible h3").all_text_contents()


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def status(page) -> str:
    return page.locator(".directory__status").inner_text()


def open_directory(new_page, width=WIDTHS["desktop"], search=""):
    page = new_page(width)
    page.goto("/members/" + search)
    page.locator(".member-filters__fields:enabled").wait_for(state="visible")
    return page


def box(page, label: str, legend: str):
    """The checkbox labelled ``label`` (and its count) in a fieldset."""
    # (On a phone the groups are behind their button: hidden, still checked.)
    group = page.get_by_role("group", name=legend, exact=True, include_hidden=True)
    return group.get_by_label(label)


def check(page, label: str, legend: str):
    toggle = page.locator(".member-filters__toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()  # a phone: the filters are behind their button
    box(page, label, legend).check()


def test_filters_by_sector_and_region_and_searches(new_page):
    page = open_directory(new_page)
    assert visible_cards(page) == ALL
    assert status(page) == ""  # nothing filtered yet: nothing to announce

    check(page, "XR (VR and AR)", "Sector")
    xr = names(lambda m: "xr" in m["sectors"])
    assert 1 < len(xr) < len(ALL)
    assert visible_cards(page) == xr
    assert query(page) == {"sectors": ["xr"]}
    assert status(page) == f"Showing {len(xr)} of {len(ALL)} members"

    check(page, "Nordjylland", "Region")
    north_xr = names(lambda m: "xr" in m["sectors"] and m["region"] == "Nordjylland")
    assert 0 < len(north_xr) < len(xr)
    assert visible_cards(page) == north_xr
    assert query(page) == {"sectors": ["xr"], "region": ["Nordjylland"]}

    check(page, "Games", "Sector")  # one sector or the other
    assert visible_cards(page) == names(
        lambda m: {"xr", "games"} & set(m["sectors"]) and m["region"] == "Nordjylland"
    )

    page.get_by_role("button", name="Clear all filters").click()
    assert visible_cards(page) == ALL
    assert query(page) == {}
    assert page.locator("#member-search").evaluate("e => e === document.activeElement")

    page.get_by_label("Search names, towns and descriptions").fill("aalborg")
    expected = names(searched("aalborg"))
    assert 0 < len(expected) < len(ALL)
    assert visible_cards(page) == expected
    assert query(page) == {"q": ["aalborg"]}


def test_search_finds_words_of_the_description_without_accents(new_page):
    page = open_directory(new_page)
    page.get_by_label("Search names, towns and descriptions").fill("wadden")
    assert visible_cards(page) == names(searched("wadden")) != []
    page.get_by_label("Search names, towns and descriptions").fill("Naestved")
    assert visible_cards(page) == []  # æ is a letter of its own, not "ae"
    assert page.locator(".directory__none").is_visible()
    page.get_by_label("Search names, towns and descriptions").fill("næstved")
    assert visible_cards(page) == names(searched("næstved")) != []
    assert not page.locator(".directory__none").is_visible()


def test_a_shared_address_reloads_to_the_same_view(new_page):
    shared = "?sectors=games&sectors=edtech&region=Sj%C3%A6lland&q=games"
    expected = names(
        lambda m: (
            {"games", "edtech"} & set(m["sectors"])
            and m["region"] == "Sjælland"
            and searched("games")(m)
        )
    )
    assert 0 < len(expected) < len(ALL)
    for width in WIDTHS.values():
        page = open_directory(new_page, width, shared)
        assert visible_cards(page) == expected
        assert box(page, "Games", "Sector").is_checked()
        assert box(page, "Education technology", "Sector").is_checked()
        assert box(page, "Sjælland", "Region").is_checked()
        assert not box(page, "Film and TV", "Sector").is_checked()
        assert page.get_by_label("Search names").input_value() == "games"
        assert query(page) == {
            "sectors": ["games", "edtech"],
            "region": ["Sjælland"],
            "q": ["games"],
        }
        page.reload()
        page.locator(".member-filters__fields:enabled").wait_for(state="visible")
        assert visible_cards(page) == expected


def test_every_filter_kind_narrows_the_list(new_page):
    page = open_directory(new_page)
    cases = [
        ("Employees", "250 or more", lambda m: m.get("employees") == "250+"),
        (
            "Business model",
            "Work for clients",
            lambda m: "work-for-hire" in str(m.get("business_model")),
        ),
        ("Customers", "Consumers", lambda m: "b2c" in m.get("markets", [])),
        (
            "Programmes taken part in",
            "Spilbar",
            lambda m: "spilbar" in m.get("programmes", []),
        ),
    ]
    for legend, label, predicate in cases:
        page.get_by_role("button", name="Clear all filters").click()
        check(page, label, legend)
        expected = names(predicate)
        assert 0 < len(expected) < len(ALL), label
        assert visible_cards(page) == expected, label


def test_without_javascript_every_card_is_listed(browser, base_url):
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("/members/")
    assert visible_cards(page) == ALL
    assert not page.locator("#member-filters").is_visible()
    assert page.locator(".directory__count").inner_text() == f"{len(ALL)} members"
    context.close()


def test_on_a_phone_the_first_member_shows_on_the_first_screen(new_page):
    page = open_directory(new_page, WIDTHS["phone"])
    first = page.locator(".member-cards > li").first.bounding_box()
    assert first["y"] + first["height"] <= HEIGHT, "the whole first card shows"
    groups = page.locator(".member-filters__groups")
    toggle = page.locator(".member-filters__toggle")
    assert not groups.is_visible() and page.locator("#member-search").is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true" and groups.is_visible()
    page.keyboard.press("Enter")
    assert not groups.is_visible()


def test_on_a_desktop_the_filters_show_without_a_button(new_page):
    page = open_directory(new_page, WIDTHS["desktop"])
    assert page.locator(".member-filters__groups").is_visible()
    assert not page.locator(".member-filters__toggle").is_visible()


def test_the_directory_fits_a_phone(new_page):
    page = open_directory(new_page, WIDTHS["phone"])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTHS["phone"]
    check(page, "Health", "Sector")
    assert visible_cards(page) == names(lambda m: "health" in m["sectors"])
