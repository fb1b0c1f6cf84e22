"""Helpers for the quality-gate tests: tools from outside Python (Chromium,
Java with the Nu HTML Checker, nginx, openssl), the deploy/_headers file, a
local web server for the built site, and deploy/nginx.conf run in a real
nginx (tests/test_security.py, and `invoke audit` in tests/audit.py).

A missing tool skips its tests on a developer's machine, with the reason and
how to get it; on CI (environment variable CI set) it fails them instead, so
CI can never go green without running them. `.ci/run` installs every tool.
"""

from __future__ import annotations

import functools
import http.client
import http.server
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEADERS_FILE = ROOT / "deploy" / "_headers"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
SITE_HOST = "www.interactivedenmark.dk"  # the host deploy/nginx.conf serves

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


def find_executable(name: str, fallback: str | None = None) -> str | None:
    """``name`` on PATH, else ``fallback`` when it can be run (Debian puts
    nginx in /usr/sbin, outside a user's PATH)."""
    return shutil.which(name) or (
        fallback if fallback and os.access(fallback, os.X_OK) else None
    )


def require_executable(name: str, package: str, fallback: str | None = None) -> str:
    path = find_executable(name, fallback)
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


# --- deploy/nginx.conf in a real nginx ----------------------------------------


class NginxFailed(RuntimeError):
    """deploy/nginx.conf could not be run: a line the helper changes is
    missing, nginx -t rejects it, or nginx did not start (with its log)."""


@dataclass
class NginxServer:
    http_port: int
    https_port: int
    root: Path


def nginx_site_config(text: str, root: Path, http_port, https_port, cert, key) -> str:
    """deploy/nginx.conf with loopback ports, the given root and certificate.
    Every line this changes must be there, so a change of the file's shape is
    noticed (NginxFailed)."""
    substitutions = [
        (r"^(\s*)listen 80;$", rf"\1listen 127.0.0.1:{http_port};"),
        (r"^\s*listen \[::\]:80;\n", ""),
        (
            r"^(\s*)listen 443 ssl http2;$",
            rf"\1listen 127.0.0.1:{https_port} ssl http2;",
        ),
        (r"^\s*listen \[::\]:443 ssl http2;\n", ""),
        (r"^(\s*)ssl_certificate \S+;", rf"\1ssl_certificate {cert};"),
        (r"^(\s*)ssl_certificate_key \S+;", rf"\1ssl_certificate_key {key};"),
        (r"^(\s*)root \S+;", rf"\1root {root};"),
    ]
    for pattern, replacement in substitutions:
        text, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
        if not count:
            raise NginxFailed(f"deploy/nginx.conf has no line matching {pattern!r}")
    return text


def _nginx_main_config(folder: Path, site_config: Path) -> str:
    temp = folder / "temp"
    return f"""daemon off;
master_process off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site_config};
}}
"""


def _throwaway_certificate(openssl: str, folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for SITE_HOST, valid two days: (cert, key)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={SITE_HOST}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _nginx_log(folder: Path) -> str:
    return "\n".join(
        log.read_text(errors="replace")
        for log in (folder / "error.log", folder / "stderr.log")
        if log.is_file()
    )


def _wait_for_port(port: int, process: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise NginxFailed(f"nginx stopped:\n{_nginx_log(folder)}")
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return
        except OSError:
            time.sleep(0.05)
    raise NginxFailed(f"nginx did not listen on {port}:\n{_nginx_log(folder)}")


@contextmanager
def run_nginx(
    root: Path, folder: Path, nginx: str, openssl: str
) -> Iterator[NginxServer]:
    """deploy/nginx.conf, as shipped but for the lines marked ``deploy:`` and
    loopback ports, in a real nginx serving ``root`` over http and https (a
    throwaway certificate for SITE_HOST); ``folder`` (empty) holds its
    configuration, certificate and log. Stopped on leaving. NginxFailed when
    it cannot run."""
    (folder / "temp").mkdir()
    cert, key = _throwaway_certificate(openssl, folder)
    http_port, https_port = free_port(), free_port()
    site_config = folder / "site.conf"
    site_config.write_text(
        nginx_site_config(
            NGINX_CONF.read_text(encoding="utf-8"),
            root,
            http_port,
            https_port,
            cert,
            key,
        ),
        encoding="utf-8",
    )
    main = folder / "nginx.conf"
    main.write_text(_nginx_main_config(folder, site_config), encoding="utf-8")
    log = folder / "error.log"
    command = [nginx, "-p", str(folder), "-c", str(main), "-e", str(log)]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    if check.returncode:
        raise NginxFailed(f"nginx -t rejects the configuration:\n{check.stderr}")
    with open(folder / "stderr.log", "wb") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        _wait_for_port(https_port, process, folder)
        yield NginxServer(http_port, https_port, root)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
