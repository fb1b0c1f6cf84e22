"""Browser fixtures: the sample site served on 127.0.0.1 (random port, with
the headers of deploy/_headers, so our Content-Security-Policy is enforced)
and one headless Chromium for the whole session (Debian's /usr/bin/chromium,
never a downloaded browser).

:func:`visits` loads every HTML page of the site once per viewport width and
keeps what the tests look at: the requests the page made, console errors,
cookies, the layout of its images and the axe-core results. The
accessibility, privacy and image tests read those records, so each page is
loaded only once per width however many tests look at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tooling import CHROMIUM_ARGS, HEIGHT, WCAG_TAGS, require_chromium, serve

# Every visible image as the browser laid it out on load (before scrolling).
_IMAGES = """() => {
  const main = document.querySelector('main');
  const firstInMain = main ? main.querySelector('img') : null;
  return Array.from(document.images)
    .filter(img => img.checkVisibility())
    .map(img => {
      const box = img.getBoundingClientRect();
      return {src: img.getAttribute('src'), loading: img.loading,
              top: box.top + window.scrollY, bottom: box.bottom + window.scrollY,
              inMain: Boolean(img.closest('main')), firstInMain: img === firstInMain,
              responsive: img.hasAttribute('srcset')};
    });
}"""


# What moved after the first paint (layout-shift entries not caused by the
# visitor), and the largest element painted (what the visitor waits for):
# read once the page has loaded, the pictures of its first screen are
# decoded, and the paint entries have caught up with them.
_PAINTED = """() => new Promise(done => {
  const shifts = [];
  let largest = null, largestSize = 0;
  const name = node => node ? node.nodeName.toLowerCase() +
    (node.id ? '#' + node.id : '') +
    (node.className && typeof node.className === 'string'
      ? '.' + node.className.trim().split(/\\s+/).join('.') : '') : '?';
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) {
        shifts.push({value: entry.value,
                     moved: (entry.sources || []).map(s => name(s.node))});
      }
    }
  }).observe({type: 'layout-shift', buffered: true});
  new PerformanceObserver(list => {
    const entries = list.getEntries();
    const last = entries[entries.length - 1];
    if (last && last.element) {
      largestSize = last.size;
      largest = {element: name(last.element),
                 loading: last.element.getAttribute('loading'),
                 src: last.element.getAttribute('src')};
    }
  }).observe({type: 'largest-contentful-paint', buffered: true});
  // Every picture in the first screen decoded, then the largest-paint
  // entries awaited until one is at least as large as the largest picture
  // on screen (a starved machine delivers them frames after the paint, and
  // which picture paints first is a race; the largest painted is not).
  const visible = img => {
    const box = img.getBoundingClientRect();
    return Math.max(0, Math.min(box.right, innerWidth) - Math.max(box.left, 0)) *
      Math.max(0, Math.min(box.bottom, innerHeight) - Math.max(box.top, 0));
  };
  const onScreen = Array.from(document.images).filter(img => visible(img) > 0);
  const biggest = Math.max(0, ...onScreen.map(visible));
  const until = performance.now() + 3000;
  const settle = () => {
    if (largestSize >= 0.9 * biggest || performance.now() > until) {
      done({shifts, largest});
    } else {
      requestAnimationFrame(() => setTimeout(settle, 0));
    }
  };
  Promise.all(onScreen.map(img => img.decode().catch(() => null))).then(() =>
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(settle, 0))));
})"""


# Makes lazy images load and waits for every image (a function, not a string:
# our Content-Security-Policy forbids eval, which string predicates need).
_LOAD_ALL_IMAGES = """async () => {
  const images = Array.from(document.images);
  images.forEach(img => { img.loading = 'eager'; });
  await Promise.all(images.map(img => img.complete ? null : new Promise(done => {
    img.addEventListener('load', done);
    img.addEventListener('error', done);
  })));
}"""


# axe-core on the loaded page (its script is in the page from the start).
_AXE_RUN = "options => axe.run(document, options)"


@dataclass
class Visit:
    url_path: str
    status: int
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)  # see _IMAGES
    document_cookie: str = ""
    violations: list[dict] = field(default_factory=list)
    shifts: list[dict] = field(default_factory=list)  # see _PAINTED
    largest: dict | None = None  # the largest contentful paint's element


@pytest.fixture(scope="session")
def base_url(site) -> str:
    with serve(site.root) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, base_url):
    """new_page(width): a page in a fresh context (no shared cookies or
    history), closed at the end of the test."""
    contexts = []

    def make(width: int):
        context = browser.new_context(
            viewport={"width": width, "height": HEIGHT}, base_url=base_url
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@dataclass
class SiteVisits:
    pages: dict[str, Visit]
    cookies: list[dict]  # of the browser context, after every page was loaded

    def per_page(self, found) -> list[str]:
        """'path: item' for each item ``found(visit)`` yields on each page:
        the lines of a failure message, empty when all is well."""
        return [
            f"{path}: {item}"
            for path, visit in self.pages.items()
            for item in found(visit)
        ]


def _visit_all(site, base_url, page) -> dict[str, Visit]:
    """Every page loaded in ``page``, whose context runs axe-core's script in
    each page it loads (see :func:`visits`)."""
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    visit = Visit("", 0)  # the page being loaded; the listeners record into it
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            message.type == "error" and visit.console_errors.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
    visits = {}
    for file in site.html_files:
        visit = Visit(site.url_of(file), 0)
        visits[visit.url_path] = visit
        response = page.goto(base_url + visit.url_path, wait_until="load")
        visit.status = response.status if response else 0
        visit.images = page.evaluate(_IMAGES)
        painted = page.evaluate(_PAINTED)
        visit.shifts, visit.largest = painted["shifts"], painted["largest"]
        # Load the lazy images too, so their requests are recorded.
        page.evaluate(_LOAD_ALL_IMAGES)
        visit.document_cookie = page.evaluate("document.cookie")
        visit.violations = page.evaluate(_AXE_RUN, options)["violations"]
    return visits


@pytest.fixture(scope="session")
def visits(site, base_url, browser):
    """visits(width) -> SiteVisits of every HTML page of the site."""
    from axe_playwright_python.sync_playwright import Axe

    done: dict[int, SiteVisits] = {}
    contexts = []

    def at(width: int) -> SiteVisits:
        if width not in done:
            context = browser.new_context(viewport={"width": width, "height": HEIGHT})
            # axe-core's 570 KB script given to the browser once, not sent
            # with each page's check (Playwright's init scripts pass the
            # site's Content-Security-Policy, as the injected script did).
            context.add_init_script(script=Axe().axe_script)
            contexts.append(context)
            page = context.new_page()
            done[width] = SiteVisits(
                _visit_all(site, base_url, page), context.cookies()
            )
        return done[width]

    yield at
    for context in contexts:
        context.close()
