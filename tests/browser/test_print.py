"""A press release as a journalist prints it, in headless Chromium (print
media, and a PDF): black text on white whatever colour scheme the reader's
computer uses, the site's name on top, the text with its press contact and
the addresses of links outside the site; no menu, trail, topics or footer."""

from __future__ import annotations

import re

import pytest

from tooling import HEIGHT

pytestmark = pytest.mark.browser

# What print media shows of the page: whether each part is displayed, the
# text's colour and the text of the link addresses printed after links.
_PRINTED = """() => {
  const shown = selector => {
    const node = document.querySelector(selector);
    return node !== null && node.checkVisibility();
  };
  const external = Array.from(document.querySelectorAll('.prose a[href^="http"]'));
  return {
    brand: shown('.brand__name'),
    heading: shown('h1'),
    contact: Array.from(document.querySelectorAll('.prose h2'))
      .some(h => /press contact/i.test(h.textContent) && h.checkVisibility()),
    menu: shown('.site-nav') || shown('.nav-toggle'),
    trail: shown('.breadcrumbs'),
    topics: shown('.article__footer'),
    footer: shown('.site-footer'),
    text: getComputedStyle(document.querySelector('.prose p')).color,
    brandText: getComputedStyle(document.querySelector('.brand')).color,
    after: external.map(a => getComputedStyle(a, '::after').content),
    hrefs: external.map(a => a.getAttribute('href')),
  };
}"""


@pytest.fixture(scope="module")
def press_release(site) -> str:
    """The first press release of the sample site that links outside it."""
    for file in sorted((site.root / "press").glob("*/index.html")):
        html = file.read_text(encoding="utf-8")
        text = html.split('class="prose"')[-1].split('class="article__footer"')[0]
        if 'href="http' in text:
            return f"/press/{file.parent.name}/"
    raise AssertionError("no press release of the sample site links outside it")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_press_release_prints_black_on_white_without_the_site_around_it(
    browser, base_url, press_release, scheme
):
    context = browser.new_context(
        viewport={"width": 1280, "height": HEIGHT}, color_scheme=scheme
    )
    page = context.new_page()
    page.goto(base_url + press_release, wait_until="load")
    page.emulate_media(media="print", color_scheme=scheme)
    printed = page.evaluate(_PRINTED)
    context.close()
    assert printed["brand"] and printed["heading"] and printed["contact"], printed
    hidden = [part for part in ("menu", "trail", "topics", "footer") if printed[part]]
    assert not hidden, f"printed although not wanted on paper: {hidden}"
    assert printed["text"] == printed["brandText"] == "rgb(0, 0, 0)", printed
    # Each link outside the site is followed by its own address.
    assert printed["hrefs"] and all(
        href in after
        for href, after in zip(printed["hrefs"], printed["after"], strict=True)
    ), (printed["hrefs"], printed["after"])


def test_a_press_release_prints_on_few_pages(browser, base_url, press_release):
    """The PDF Chromium makes of it (A4): the release and its contact fit on
    two sheets (the picture is kept small)."""
    context = browser.new_context(viewport={"width": 1280, "height": HEIGHT})
    page = context.new_page()
    page.goto(base_url + press_release, wait_until="load")
    pdf = page.pdf(format="A4")
    context.close()
    sheets = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= sheets <= 2, f"{press_release} prints on {sheets} A4 pages"


# Every element showing text of its own, with the relative luminance (WCAG)
# of its colour: on paper, where no background is printed, it must be dark.
_LIGHT_TEXT = """() => {
  const channel = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  const light = [];
  for (const node of document.querySelectorAll('body *')) {
    const own = Array.from(node.childNodes)
      .some(child => child.nodeType === 3 && child.textContent.trim());
    if (!own || !node.checkVisibility()) continue;
    const [r, g, b] = getComputedStyle(node).color.match(/\\d+(\\.\\d+)?/g).map(Number);
    const luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    if (luminance > 0.3) {
      light.push(node.tagName.toLowerCase() + '.' + node.className + ': ' +
                 node.textContent.trim().slice(0, 40));
    }
  }
  return light;
}"""

PRINTED_PAGES = ("/", "/members/", "/about/", "/showcases/", "/events/")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_text_prints_light_on_white_paper(browser, base_url, press_release, scheme):
    """Backgrounds are not printed: text that is white on navy on screen (the
    hero, the join call, buttons, a trailer's label) must print dark."""
    context = browser.new_context(
        viewport={"width": 1280, "height": HEIGHT}, color_scheme=scheme
    )
    page = context.new_page()
    light = {}
    for path in (*PRINTED_PAGES, press_release):
        page.goto(base_url + path, wait_until="load")
        page.emulate_media(media="print", color_scheme=scheme)
        found = page.evaluate(_LIGHT_TEXT)
        if found:
            light[path] = found
    context.close()
    assert not light, f"light text on paper: {light}"
