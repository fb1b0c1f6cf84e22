"""Helpers for the quality-gate tests: tools from outside Python (Chromium,
Java with the Nu HTML Checker, nginx, openssl), the deploy/_headers file, and
a local web server for the built site.

A missing tool skips its tests on a developer's machine, with the reason and
how to get it; on CI (environment variable CI set) it fails them instead, so
CI can never go green without running them. `.ci/run` installs every tool.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEADERS_FILE = ROOT / "deploy" / "_headers"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"

CHROMIUM = "/usr/bin/chromium"  # Debian's package; never a downloaded browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Nothing but the test server can be reached: a request to any other host
    # fails at once (and is recorded) instead of going out to the internet.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
# The browser tests' viewports: a phone and a desktop.
WIDTHS = {"phone": 375, "desktop": 1280}
HEIGHT = 800
# Parameters for tests per viewport. Under `pytest -n auto --dist loadgroup`
# the tests of one width share one worker, so each page is loaded there once.
WIDTH_PARAMS = [
    pytest.param(width, id=name, marks=pytest.mark.xdist_group(f"browser-{name}"))
    for name, width in WIDTHS.items()
]
# axe-core rules of WCAG 2.0, 2.1 and 2.2, levels A and AA (EN 301 549).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Where .ci/run puts the Nu HTML Checker (npm package vnu-jar); VNU_JAR overrides.
VNU_JAR = ROOT / ".cache" / "vnu" / "package" / "build" / "dist" / "vnu.jar"


def unavailable(reason: str):
    """Skip with ``reason`` locally; fail on CI."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)")
    pytest.skip(reason)


def require_executable(name: str, package: str, fallback: str | None = None) -> str:
    path = shutil.which(name) or (
        fallback if fallback and os.access(fallback, os.X_OK) else None
    )
    if not path:
        unavailable(f"{name} not found: install Debian's {package} (.ci/run does)")
    return path


def require_chromium() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"{CHROMIUM} not found: install Debian's chromium (.ci/run does)")
    return CHROMIUM


def require_vnu() -> tuple[str, Path]:
    """(java, vnu.jar)."""
    java = require_executable("java", "default-jre-headless")
    jar = Path(os.environ.get("VNU_JAR", VNU_JAR))
    if not jar.is_file():
        unavailable(
            f"{jar} not found: run .ci/run, or fetch the npm package vnu-jar "
            "(npm pack vnu-jar@<version> in .cache/vnu/, then tar xzf it there)"
        )
    return java, jar


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parse_headers_file(path: Path = HEADERS_FILE) -> dict[str, dict[str, str]]:
    """The rules of a Netlify/Cloudflare _headers file: {path pattern: {name:
    value}}. Comments start with #; header lines are indented."""
    rules: dict[str, dict[str, str]] = {}
    current = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            current = rules.setdefault(line.strip(), {})
            continue
        name, sep, value = line.strip().partition(":")
        if current is None or not sep or not name.strip():
            raise ValueError(f"{path}:{number}: not a 'Name: value' line under a path")
        current[name.strip()] = value.strip()
    return rules


def headers_for(path: str, rules: dict[str, dict[str, str]]) -> dict[str, str]:
    """The headers a host following ``rules`` sends for a URL path."""
    headers: dict[str, str] = {}
    for pattern, values in rules.items():
        if pattern == path or (pattern.endswith("*") and path.startswith(pattern[:-1])):
            headers.update(values)
    return headers


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site with the headers of deploy/_headers, so the
    browser enforces our Content-Security-Policy as the real host does."""

    rules: dict[str, dict[str, str]] = {}

    def end_headers(self):
        for name, value in headers_for(self.path.split("?")[0], self.rules).items():
            if name != "Strict-Transport-Security":  # meaningless over http
                self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` at http://127.0.0.1:<free port>; yields the base URL."""
    handler = functools.partial(_SiteHandler, directory=str(root))
    _SiteHandler.rules = parse_headers_file()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
