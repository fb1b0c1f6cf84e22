"""Security and privacy of the built site and of its server configuration.

- The whole output is scanned: no inline script or style, no style= or on*=
  attributes, no javascript: URLs, and nothing loaded from another host, so
  the Content-Security-Policy can allow our own files only.
- CSS and JS names carry their content hash, so they can be cached forever.
- deploy/nginx.conf runs in a real nginx (Debian's package) on loopback ports
  over the production build, with a throwaway certificate, and what it sends
  is checked: the security headers (the same as deploy/_headers), caching,
  compression, redirects and our 404 page.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import re
import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

import site_build
from tooling import (
    HEADERS_FILE,
    ROOT,
    SITE_HOST,
    NginxFailed,
    parse_headers_file,
    require_executable,
    run_nginx,
)

# One nginx for the module: keep its tests on one worker under --dist loadgroup.
pytestmark = pytest.mark.xdist_group("nginx")

HOST = SITE_HOST
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}  # data, not code
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data")
# Elements and attributes that make the browser fetch something.
RESOURCE_ATTRIBUTES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
RESOURCE_LINK_RELS = {
    "stylesheet",
    "icon",
    "preload",
    "modulepreload",
    "prefetch",
    "manifest",
    "apple-touch-icon",
    "mask-icon",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")
FINGERPRINTED = re.compile(r"\.([0-9a-f]{10})\.(css|js|svg)$")


def settings():
    return site_build.load_settings(str(ROOT / "pelicanconf.py"))


def expected_csp() -> dict[str, list[str]]:
    """The policy of the issue; form-action names the newsletter provider;
    connect-src our own address (make serve's problem list, and tools such
    as Lighthouse that read robots.txt from a page)."""
    action = urlsplit(settings()["NEWSLETTER"]["action"])
    return {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'", f"{action.scheme}://{action.netloc}"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }


def parse_csp(value: str) -> dict[str, list[str]]:
    policy = {}
    for directive in filter(None, (d.strip() for d in value.split(";"))):
        name, *sources = directive.split()
        policy[name] = sources
    return policy


# --- The whole output: no inline code, nothing from other hosts ---------------


def _inline_code(soup) -> list[str]:
    found = []
    for script in soup.find_all("script"):
        kind = (script.get("type") or "").split(";")[0].strip().lower()
        if not script.get("src") and kind not in DATA_SCRIPT_TYPES:
            found.append(f"inline <script>: {str(script)[:80]}")
        elif script.get("src") and script.string and script.string.strip():
            found.append(f"<script src> with inline code: {str(script)[:80]}")
    found += [f"<style> element: {str(s)[:80]}" for s in soup.find_all("style")]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            if name == "style":
                found.append(f"style= on <{tag.name}>: {value[:60]}")
            elif name.startswith("on"):
                found.append(f"{name}= handler on <{tag.name}>")
            elif name in URL_ATTRIBUTES and str(value).strip().lower().startswith(
                "javascript:"
            ):
                found.append(f"javascript: URL in {name}= of <{tag.name}>")
    return found


def test_no_inline_script_style_or_handlers_in_any_page(site):
    problems = [
        f"{site.url_of(file)}: {problem}"
        for file in site.html_files
        for problem in _inline_code(site.soup(file))
    ]
    assert len(site.html_files) > 20
    assert not problems, "\n".join(problems)


def test_no_script_style_or_handlers_in_any_svg(site):
    problems = []
    svgs = sorted(site.root.rglob("*.svg"))
    for svg in svgs:
        tree = etree.parse(str(svg), etree.XMLParser(resolve_entities=False))
        for element in tree.iter(etree.Element):
            name = etree.QName(element).localname
            if name in ("script", "style", "foreignObject"):
                problems.append(f"{svg.relative_to(site.root)}: <{name}>")
            for attribute in element.attrib:
                local = etree.QName(attribute).localname
                if local == "style" or local.startswith("on"):
                    problems.append(f"{svg.relative_to(site.root)}: {local}=")
    assert svgs, "the theme's SVG icons should be in the output"
    assert not problems, "\n".join(problems)


def _foreign(url: str) -> bool:
    url = url.strip()
    return bool(urlsplit(url).netloc) and not url.startswith("data:")


def _resource_urls(soup):
    for tag in soup.find_all(list(RESOURCE_ATTRIBUTES) + ["link"]):
        if tag.name == "link":
            rels = set(tag.get("rel") or ())
            if rels & RESOURCE_LINK_RELS:
                yield tag.name, tag.get("href") or ""
            continue
        for attribute in RESOURCE_ATTRIBUTES[tag.name]:
            value = tag.get(attribute) or ""
            if attribute == "srcset":
                for candidate in value.split(","):
                    yield tag.name, candidate.strip().split(" ")[0]
            elif value:
                yield tag.name, value


def test_pages_load_nothing_from_other_hosts(site):
    """The development build has root-relative URLs, so any URL with a host
    in a resource-loading place is a third-party request."""
    problems = [
        f"{site.url_of(file)}: <{tag}> {url}"
        for file in site.html_files
        for tag, url in _resource_urls(site.soup(file))
        if _foreign(url)
    ]
    assert not problems, "\n".join(problems)


def test_stylesheets_load_nothing_from_other_hosts(site):
    sheets = sorted(site.root.rglob("*.css"))
    problems = [
        f"{sheet.relative_to(site.root)}: {url}"
        for sheet in sheets
        for match in CSS_URL.finditer(sheet.read_text(encoding="utf-8"))
        for url in filter(None, match.groups())
        if _foreign(url)
    ]
    assert sheets and not problems, "\n".join(problems)


def test_css_js_and_theme_images_carry_their_content_hash(site):
    assets = sorted(site.root.rglob("*.css")) + sorted(site.root.rglob("*.js"))
    assets += sorted((site.root / "theme").rglob("*.svg"))
    assert assets
    for asset in assets:
        match = FINGERPRINTED.search(asset.name)
        assert match, f"{asset.relative_to(site.root)} has no content hash in its name"
        digest = hashlib.sha256(asset.read_bytes()).hexdigest()[:10]
        assert match.group(1) == digest, f"{asset.name}: the hash is not its content's"
    for file in site.html_files:
        soup = site.soup(file)
        linked = [link["href"] for link in soup.select('link[rel~="stylesheet"]')]
        linked += [script["src"] for script in soup.select("script[src]")]
        linked += [icon["href"] for icon in soup.select('link[rel~="icon"]')]
        linked += [img["src"] for img in soup.select('img[src*="/theme/"]')]
        for url in linked:
            assert FINGERPRINTED.search(url), f"{site.url_of(file)} links {url}"
            assert (site.root / url.lstrip("/")).is_file(), f"{url} is missing"


# --- deploy/_headers ----------------------------------------------------------


def test_headers_file_sets_the_policy_of_the_issue():
    rules = parse_headers_file()
    everywhere = rules["/*"]
    assert parse_csp(everywhere["Content-Security-Policy"]) == expected_csp()
    hsts = dict(
        part.strip().partition("=")[::2]
        for part in everywhere["Strict-Transport-Security"].split(";")
    )
    assert int(hsts["max-age"]) >= 365 * 24 * 3600
    assert everywhere["X-Content-Type-Options"] == "nosniff"
    assert everywhere["Referrer-Policy"]
    assert "camera=()" in everywhere["Permissions-Policy"]
    for folder in ("/theme/css/*", "/theme/js/*", "/images/sized/*"):
        assert "immutable" in rules[folder]["Cache-Control"], folder
    sized = settings()["RESPONSIVE_IMAGES"].get("output_dir", "images/sized")
    assert f"/{sized}/*" in rules, "the resized images' folder moved"


# --- deploy/nginx.conf in a real nginx ----------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Nginx:
    http_port: int
    https_port: int
    root: Path

    def get(self, path, host=HOST, tls=True, headers=None) -> Response:
        if tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the test's throwaway certificate
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, context=context, timeout=10
            )
        else:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.http_port, timeout=10
            )
        try:
            connection.request("GET", path, headers={"Host": host, **(headers or {})})
            response = connection.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            connection.close()


@pytest.fixture(scope="module")
def nginx(production_site, tmp_path_factory):
    binary = require_executable("nginx", "nginx-light", fallback="/usr/sbin/nginx")
    openssl = require_executable("openssl", "openssl")
    folder = tmp_path_factory.mktemp("nginx")
    try:
        with run_nginx(production_site.root, folder, binary, openssl) as server:
            yield Nginx(server.http_port, server.https_port, production_site.root)
    except NginxFailed as failed:
        pytest.fail(str(failed))


def _assets(root: Path) -> dict[str, str]:
    """URL paths of one file of each kind in the built site (the largest
    stylesheet and script: small files are not worth compressing)."""
    css = max(root.glob("theme/css/*.css"), key=lambda p: p.stat().st_size)
    js = max(root.glob("theme/js/*.js"), key=lambda p: p.stat().st_size)
    webp = next(root.glob("images/sized/*.webp"))
    svg = next(root.glob("theme/images/logo.*.svg"))
    original = next(p for p in root.glob("images/*/*") if p.suffix in (".jpg", ".png"))
    return {
        kind: "/" + path.relative_to(root).as_posix()
        for kind, path in {
            "css": css,
            "js": js,
            "webp": webp,
            "svg": svg,
            "original": original,
        }.items()
    }


def test_nginx_sends_the_headers_of_deploy_headers(nginx):
    everywhere = parse_headers_file()["/*"]
    assets = _assets(nginx.root)
    for path in ("/", "/news/", assets["css"], assets["webp"], "/no-such-page/"):
        response = nginx.get(path)
        for name, value in everywhere.items():
            assert response.header(name) == value, f"{path}: {name}"
    policy = nginx.get("/").header("Content-Security-Policy")
    assert parse_csp(policy) == expected_csp()


def test_nginx_caches_hashed_files_forever_and_revalidates_html(nginx):
    assets = _assets(nginx.root)
    rules = parse_headers_file()
    for path in ("/", "/news/", "/sitemap.xml", "/robots.txt"):
        assert nginx.get(path).header("Cache-Control") == "no-cache", path
    for kind in ("css", "js", "webp", "svg"):
        path = assets[kind]
        cache = nginx.get(path).header("Cache-Control")
        assert "max-age=31536000" in cache and "immutable" in cache, path
        folder = path.rsplit("/", 1)[0] + "/*"
        assert rules[folder]["Cache-Control"] == cache, f"_headers differs for {path}"
    original = nginx.get(assets["original"]).header("Cache-Control")
    assert "immutable" not in original and "max-age=" in original


def test_nginx_compresses_text(nginx):
    assets = _assets(nginx.root)
    for path, file in (
        ("/", "index.html"),
        (assets["css"], assets["css"].lstrip("/")),
        (assets["js"], assets["js"].lstrip("/")),
    ):
        response = nginx.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.header("Content-Encoding") == "gzip", path
        assert "Accept-Encoding" in response.header("Vary"), path
        assert gzip.decompress(response.body) == (nginx.root / file).read_bytes()
    assert nginx.get("/").header("Content-Encoding") == ""  # only when asked


def test_nginx_serves_our_404_page(nginx):
    page = (nginx.root / "404.html").read_bytes()
    for path in ("/no-such-page/", "/theme/css/site.0000000000.css", "/404.html"):
        response = nginx.get(path)
        assert response.status == 404, path
        assert response.body == page, path
        assert response.header("Content-Type").startswith("text/html")
        assert response.header("Cache-Control") == "no-cache"


def test_nginx_serves_pages_and_site_files_with_their_types(nginx):
    assets = _assets(nginx.root)
    expected = {
        "/": "text/html; charset=utf-8",
        "/news/": "text/html; charset=utf-8",
        assets["css"]: "text/css; charset=utf-8",
        assets["webp"]: "image/webp",
        "/.well-known/security.txt": "text/plain; charset=utf-8",
        "/robots.txt": "text/plain; charset=utf-8",
    }
    for path, content_type in expected.items():
        response = nginx.get(path)
        assert response.status == 200, path
        assert response.header("Content-Type") == content_type, path
    assert nginx.get("/news/").body == (nginx.root / "news/index.html").read_bytes()
    assert nginx.get("/").header("Server") == "nginx"  # no version number


def test_nginx_hides_dotfiles_and_the_headers_file(nginx):
    (nginx.root / ".env").write_text("not for visitors\n", encoding="utf-8")
    try:
        assert nginx.get("/.env").status == 404
    finally:
        (nginx.root / ".env").unlink()
    assert (nginx.root / "_headers").is_file()
    assert nginx.get("/_headers").status == 404


def test_nginx_redirects_to_https_www(nginx):
    plain = nginx.get("/news/?page=2", host="interactivedenmark.dk", tls=False)
    assert plain.status == 301
    assert plain.header("Location") == f"https://{HOST}/news/?page=2"
    assert (
        nginx.get("/about/", tls=False).header("Location") == f"https://{HOST}/about/"
    )
    bare = nginx.get("/about/", host="interactivedenmark.dk")
    assert bare.status == 301 and bare.header("Location") == f"https://{HOST}/about/"
    assert "max-age=" in bare.header("Strict-Transport-Security")
    folder = nginx.get("/news")
    assert folder.status == 301 and folder.header("Location") == "/news/"


def test_headers_file_is_published_with_the_site(production_site):
    assert (production_site.root / "_headers").read_bytes() == HEADERS_FILE.read_bytes()
