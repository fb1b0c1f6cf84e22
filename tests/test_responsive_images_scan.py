"""responsive_images finds a page's <img> tags with a quick regular-expression
scan instead of parsing the whole page; it must find exactly what the full
html.parser parse finds, and hand pages it cannot model to the full parse."""

from __future__ import annotations

import pytest

from responsive_images.rewrite import find_images, parse_images, scan_images

HEADER = '<header><a href="/"><img src="/theme/images/logo.svg" alt=""></a></header>'

# Pages the scan models: it must agree with the full parse tag for tag.
MODELLED = {
    "plain": "<!DOCTYPE html><html><body>"
    + HEADER
    + '<main><p><img src="/images/a.jpg" alt="A"></p>'
    '<img src="/images/b.png" alt="B" loading="lazy"></main>'
    '<footer><img src="/images/c.jpg" alt="C"></footer></body></html>',
    "capitals and self-closing": '<MAIN><IMG SRC="/images/a.jpg" ALT="a"/>'
    '<img\nsrc="/images/b.jpg"\nalt="b" /></MAIN>',
    "nested main": '<main><main><img src="/a.jpg" alt=""></main>'
    '<img src="/b.jpg" alt=""></main><img src="/c.jpg" alt="">',
    "stray end tag": '</main><img src="/a.jpg" alt=""><main><img src="/b.jpg">',
    "in a comment": '<!-- <main> <img src="/a.jpg"> --><img src="/b.jpg" alt="">',
    "in a script": '<script type="application/ld+json">{"x": "<main><img src=x>"}'
    '</script><main><img src="/a.jpg" alt=""></main>',
    "in a style": "<style>main > img { }</style><main><img src='/a.jpg'></main>",
    "entities and quotes": "<main><img src='/a.jpg' alt='&quot;Tom&quot; &amp; "
    "&lt;Jerry&gt;' data-x=\"it's\" hidden></main>",
    "look-alike tags": '<main><image src="/a.jpg"><imgx><mainly><img src="/b.jpg">'
    "</main>",
    "no images": "<main><p>Nothing to see</p></main>",
}

# Markup the scan does not model: it must decline, and find_images must
# still give the full parse's answer.
UNMODELLED = {
    "'<' in an attribute": '<a title="<img src=/a.jpg>">x</a><img src="/b.jpg">',
    "'<' in a single-quoted attribute": "<p data-x='<main>'><img src='/b.jpg'></p>",
    "'>' in an img attribute": '<main><img alt="a > b" src="/a.jpg"></main>',
    "marked section": '<![CDATA[ <img src="/a.jpg"> ]]><img src="/b.jpg">',
    "processing instruction": '<?xml <img src="/a.jpg"> ?><img src="/b.jpg">',
    "declaration": '<!ENTITY <img src="/a.jpg">><img src="/b.jpg">',
    "self-closing script": '<script src="/x.js"/><main><img src="/a.jpg"></main>',
}


@pytest.mark.parametrize("page", MODELLED.values(), ids=MODELLED.keys())
def test_the_scan_finds_what_the_full_parse_finds(page):
    assert scan_images(page) == parse_images(page)


@pytest.mark.parametrize("page", UNMODELLED.values(), ids=UNMODELLED.keys())
def test_markup_the_scan_does_not_model_gets_the_full_parse(page):
    assert scan_images(page) is None
    assert find_images(page) == parse_images(page)


def test_the_scan_agrees_on_every_page_of_the_built_site(site):
    for path in site.html_files:
        page = path.read_text(encoding="utf-8")
        assert find_images(page) == parse_images(page), site.url_of(path)
