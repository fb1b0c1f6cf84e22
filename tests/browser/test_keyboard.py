"""Keyboard only, in headless Chromium: the skip link comes first and works,
every interactive element can be reached with Tab and shows a visible focus
indicator, and on a phone width the menu button opens and closes the menu.
Run on the home page, the member directory and the feeds page, whose copy
buttons copy an address with the keyboard."""

from __future__ import annotations

import pytest

from tooling import WIDTHS

pytestmark = pytest.mark.browser

PAGES = {"home": "/", "member-directory": "/members/", "feeds": "/feeds/"}

# Marks every element a keyboard user should reach (focusable, not disabled,
# rendered) with data-kbd="<index>" and returns their descriptions.
_MARK_INTERACTIVE = """() => {
  const selector = 'a[href], area[href], button, input, select, textarea, ' +
    'summary, iframe, [tabindex], [contenteditable]';
  const found = Array.from(document.querySelectorAll(selector)).filter(el =>
    el.tabIndex >= 0 && !el.disabled && el.type !== 'hidden' &&
    !el.closest('[inert]') && el.checkVisibility({visibilityProperty: true}));
  found.forEach((el, index) => { el.dataset.kbd = String(index); });
  return found.map(el => el.outerHTML.slice(0, 120));
}"""

# What the focused element is and whether a sighted user can see the focus.
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    kbd: el.dataset.kbd ?? null,
    html: el.outerHTML.slice(0, 120),
    id: el.id,
    inMain: Boolean(el.closest('main')),
    inNav: Boolean(el.closest('#site-nav')),
    focusVisible: el.matches(':focus-visible'),
    indicator: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
      || style.boxShadow !== 'none',
    inView: box.width > 0 && box.height > 0 && box.bottom > 0 &&
      box.top < window.innerHeight && box.right > 0 && box.left < window.innerWidth,
  };
}"""


def open_page(site, new_page, name, width):
    url_path = PAGES[name]
    if not site.path(url_path).exists():
        pytest.skip(f"{url_path} is not part of the site yet")
    page = new_page(width)
    # Where focus lands is checked, not the way there: without the smooth
    # scrolling site.css gives visitors who do not ask for reduced motion,
    # which a starved machine drew out past any wait (a link at the foot of
    # /feeds/ at phone width, more than 6 s).
    page.emulate_media(reduced_motion="reduce")
    page.goto(url_path)
    return page


def tab(page) -> dict | None:
    page.keyboard.press("Tab")
    return page.evaluate(_FOCUSED)


def tab_through(page, limit: int) -> list[dict]:
    """Press Tab until focus leaves the page or comes round again."""
    focused = []
    for _ in range(limit):
        current = tab(page)
        if current is None or (focused and current["kbd"] == focused[0]["kbd"]):
            break
        focused.append(current)
    return focused


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", PAGES)
def test_tab_reaches_everything_with_a_visible_focus(site, new_page, name, width):
    page = open_page(site, new_page, name, width)
    interactive = page.evaluate(_MARK_INTERACTIVE)
    assert (
        page.locator("[tabindex]:not([tabindex='0']):not([tabindex='-1'])").count() == 0
    ), "a positive tabindex breaks the reading order"
    focused = tab_through(page, limit=len(interactive) + 5)

    assert focused, "Tab focused nothing"
    assert 'class="skip-link"' in focused[0]["html"], "the skip link is not first"
    reached = {item["kbd"] for item in focused}
    missed = [
        html for index, html in enumerate(interactive) if str(index) not in reached
    ]
    assert not missed, "not reachable with Tab:\n" + "\n".join(missed)
    unmarked = [item["html"] for item in focused if item["kbd"] is None]
    assert not unmarked, "focus went to elements that are not visible:\n" + "\n".join(
        unmarked
    )
    unseen = [
        item["html"]
        for item in focused
        if not (item["focusVisible"] and item["indicator"] and item["inView"])
    ]
    assert not unseen, "focus is not visible on:\n" + "\n".join(unseen)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", PAGES)
def test_skip_link_moves_focus_to_the_main_content(site, new_page, name, width):
    page = open_page(site, new_page, name, width)
    skip = tab(page)
    assert 'class="skip-link"' in skip["html"]
    assert skip["inView"], "the focused skip link is off screen"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert page.evaluate(_FOCUSED)["id"] == "main"
    after = tab(page)
    assert after is not None and after["inMain"], (
        f"Tab after the skip link went to {after and after['html']}, not into <main>"
    )


def test_phone_menu_opens_and_closes_with_the_keyboard(site, new_page):
    page = open_page(site, new_page, "home", WIDTHS["phone"])
    toggle = page.locator(".nav-toggle")
    links = page.locator("#site-nav a")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert links.count() > 0 and not links.first.is_visible()

    for _ in range(10):  # skip link, the brand link, then the menu button
        focused = tab(page)
        if focused and "nav-toggle" in focused["html"]:
            break
    else:
        pytest.fail("the menu button cannot be reached with Tab")
    assert focused["focusVisible"] and focused["indicator"] and focused["inView"]

    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    for index in range(links.count()):
        focused = tab(page)
        assert focused["inNav"] and focused["inView"] and focused["indicator"], (
            f"menu link {index + 1} is not focused visibly: {focused}"
        )
        assert links.nth(index).is_visible()

    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not links.first.is_visible()
    assert "nav-toggle" in page.evaluate(_FOCUSED)["html"], "Escape lost the focus"

    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert links.first.is_visible()


def test_desktop_shows_the_menu_without_a_button(site, new_page):
    page = open_page(site, new_page, "home", WIDTHS["desktop"])
    assert not page.locator(".nav-toggle").is_visible()
    links = page.locator("#site-nav a")
    assert links.count() > 0
    assert all(links.nth(i).is_visible() for i in range(links.count()))


def test_a_feed_address_is_copied_with_the_keyboard(browser, base_url):
    context = browser.new_context(
        base_url=base_url, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.goto("/feeds/")
    buttons = page.locator(".copy-button")
    assert buttons.count() == page.locator(".feed__address").count() > 10
    button = buttons.nth(3)
    button.focus()
    page.keyboard.press("Enter")
    address = button.get_attribute("data-copy")
    assert address.startswith("https://") and address.endswith(".xml")
    assert page.evaluate("() => navigator.clipboard.readText()") == address
    assert page.locator("#copy-status").inner_text() == f"Copied: {address}"
    context.close()
