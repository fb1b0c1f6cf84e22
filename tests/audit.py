"""`invoke audit` and `invoke screenshots`: reports on the production site as
visitors get it, never tests (nothing here fails on a score).

Both take one page of each type (PAGE_TYPES: home, a listing, an article, a
showcase, an event, a programme, the member directory, a member, the feeds
page, a plain page) of the production build (publishconf.py, built into a
temporary folder, or the folder given with --site), served by a real nginx
with the shipped deploy/nginx.conf (tests/tooling.run_nginx: loopback ports,
a throwaway certificate). Chromium reaches it as https://www.interactivedenmark.dk:
--host-resolver-rules maps that host to nginx's ports and every other host to
nowhere, so nothing leaves the computer.

- ``audit``: Lighthouse (npm package, pinned to LIGHTHOUSE_VERSION, installed
  into .cache/lighthouse/ on first use without its scripts; it drives
  Debian's /usr/bin/chromium, never a downloaded browser) on each page as a
  phone (Lighthouse's default, throttled) and as a desktop
  (--preset=desktop). Prints the four scores of each and, for every
  category under 100, the audits that cost points (with the points and up
  to three URLs or elements each). A run that fails (Lighthouse sometimes
  stops with NO_NAVSTART) is tried once more. About 17 s a run on a
  2-core machine: 5-6 minutes for the 20.
- ``screenshots``: full-page PNGs of each page at 375 and 1280 px
  (Playwright with the same Chromium, lazy images loaded),
  <type>-<width>.png in .cache/screenshots/ or --out. About half a minute.

Exit status: 0 whatever the scores, 1 when it cannot run (every missing tool
named at once, with the apt-get line), 2 for wrong options.

    .venv/bin/invoke audit [--pages home,feeds] [--json FILE] [--site FOLDER]
    .venv/bin/invoke screenshots [--out FOLDER] [--pages ...] [--site FOLDER]
    .venv/bin/python tests/audit.py [screenshots] --help
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from tooling import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    HEIGHT,
    SITE_HOST,
    NginxFailed,
    find_executable,
    run_nginx,
)

LIGHTHOUSE_VERSION = "12.8.2"  # 13.x needs Node 22; Debian 12/13 have Node 18/20
LIGHTHOUSE_DIR = ROOT / ".cache" / "lighthouse"
LIGHTHOUSE_PACKAGE = LIGHTHOUSE_DIR / "node_modules" / "lighthouse"
LIGHTHOUSE_NODE = (18, 20)  # the oldest Node that Lighthouse 12 runs on
LIGHTHOUSE_TIMEOUT = 240  # seconds for one run (they take 15-25)
SCREENSHOTS = ROOT / ".cache" / "screenshots"
SCREENSHOT_WIDTHS = (375, 1280)
BASE_URL = f"https://{SITE_HOST}"

# One page of each type: a URL path, or "<folder>/*/" for the first page in
# that folder by name (only folders holding an index.html count, so the
# listing's pagination folder, news/page/, and members/logos/ are passed over).
PAGE_TYPES = {
    "home": "/",
    "listing": "/news/",
    "article": "/news/*/",
    "showcase": "/showcases/*/",
    "event": "/events/*/",
    "programme": "/programmes/*/",
    "members": "/members/",
    "member": "/members/*/",
    "feeds": "/feeds/",
    "page": "/about/",
}
FORM_FACTORS = ("mobile", "desktop")
# Lighthouse's categories, in the table's order, with their column titles.
CATEGORIES = {
    "performance": "Perf",
    "accessibility": "A11y",
    "best-practices": "Best pr.",
    "seo": "SEO",
}
PLACES_SHOWN = 3  # URLs (or elements) listed under an audit that costs points

# What each outside tool is called in Debian, for the apt-get line.
DEBIAN_PACKAGES = {
    "node": "nodejs",
    "npm": "npm",
    "chromium": "chromium",
    "nginx": "nginx-light",
    "openssl": "openssl",
}


def log(message: str) -> None:
    """Progress, on stderr (the report goes to stdout)."""
    print(message, file=sys.stderr, flush=True)


# --- The pages -----------------------------------------------------------------


def resolve_pages(
    root: Path, types: list[str], patterns: dict[str, str] = PAGE_TYPES
) -> dict[str, str]:
    """{type: URL path} of one page of each type in the built site at
    ``root`` (``patterns``: as PAGE_TYPES); LookupError naming every type
    without a page."""
    pages, missing = {}, []
    for name in types:
        pattern = patterns[name]
        if pattern.endswith("/*/"):
            folder = root / pattern.strip("/").removesuffix("/*")
            found = sorted(
                child.name
                for child in (folder.iterdir() if folder.is_dir() else ())
                if (child / "index.html").is_file()
            )
            if found:
                pages[name] = f"{pattern.removesuffix('*/')}{found[0]}/"
            else:
                missing.append(f"{name} (no {pattern.removesuffix('*/')}<name>/)")
        elif (root / pattern.lstrip("/") / "index.html").is_file() or (
            pattern.endswith(".html") and (root / pattern.lstrip("/")).is_file()
        ):
            pages[name] = pattern
        else:
            missing.append(f"{name} ({pattern})")
    if missing:
        raise LookupError(f"no page in {root} for: {', '.join(missing)}")
    return pages


# --- Lighthouse's result, as the report reads it --------------------------------


@dataclass
class Loss:
    """An audit that cost a category points."""

    category: str
    id: str
    title: str
    display_value: str
    points: float  # what it cost the category's score (0-100)
    places: list[str]  # URLs or elements it names, the first PLACES_SHOWN
    more: int = 0  # how many more it names


@dataclass
class Result:
    type: str
    path: str  # the page's URL path on BASE_URL
    form_factor: str
    scores: dict[str, int | None] = field(default_factory=dict)  # 0-100
    losses: list[Loss] = field(default_factory=list)
    error: str = ""  # why Lighthouse gave no result, after the retry


def _place(item: dict) -> str:
    """The URL (or, for an element, its CSS selector) a details item names."""
    return next(iter(_place_field(item).values()), "")


def _place_field(item: dict) -> dict:
    """The field of a details item that _place reads, as {key: value} (or
    {"node": {"selector": ...}}): all of the item that trim keeps."""
    for key in ("url", "href"):
        if isinstance(item.get(key), str) and item[key]:
            return {key: item[key]}
    for key in ("source", "sourceLocation"):
        value = item.get(key)
        if isinstance(value, dict) and value.get("url"):
            return {key: value["url"]}
    node = item.get("node")
    if isinstance(node, dict) and (node.get("selector") or node.get("snippet")):
        return {"node": node.get("selector") or node.get("snippet")}
    return {}


def _places(audit: dict) -> list[str]:
    places = []
    for item in (audit.get("details") or {}).get("items") or ():
        place = _place(item) if isinstance(item, dict) else ""
        if place and place not in places:
            places.append(place)
    return places


def read_lighthouse(page_type: str, path: str, lhr: dict) -> Result:
    """The scores and the audits that cost points of one Lighthouse result
    (its JSON, "lhr"). An audit costs points when the category weighs it and
    its score is under 1: weight x (1 - score) of the category's weights."""
    form_factor = (lhr.get("configSettings") or {}).get("formFactor", "")
    result = Result(page_type, path, form_factor)
    if lhr.get("runtimeError"):
        error = lhr["runtimeError"]
        result.error = f"{error.get('code')}: {error.get('message', '')}".strip()
    audits = lhr.get("audits") or {}
    for name in CATEGORIES:
        category = (lhr.get("categories") or {}).get(name)
        score = category.get("score") if category else None
        result.scores[name] = None if score is None else round(score * 100)
        if score is None or score >= 1:
            continue
        refs = category.get("auditRefs") or ()
        total = sum(ref.get("weight", 0) for ref in refs)
        for ref in refs:
            audit = audits.get(ref["id"]) or {}
            if not ref.get("weight") or audit.get("score") is None:
                continue
            if audit["score"] >= 1:
                continue
            places = _places(audit)
            result.losses.append(
                Loss(
                    category=name,
                    id=ref["id"],
                    title=audit.get("title", ""),
                    display_value=audit.get("displayValue", ""),
                    points=ref["weight"] * (1 - audit["score"]) / total * 100,
                    places=places[:PLACES_SHOWN],
                    more=max(0, len(places) - PLACES_SHOWN),
                )
            )
    result.losses.sort(
        key=lambda loss: (list(CATEGORIES).index(loss.category), -loss.points)
    )
    return result


def _trim_item(item: dict) -> dict:
    ((key, value),) = _place_field(item).items()
    if key in ("source", "sourceLocation"):
        return {key: {"url": value}}
    if key == "node":
        return {key: {"selector": value}}
    return {key: value}


def trim(lhr: dict) -> dict:
    """A Lighthouse result cut down to what read_lighthouse reads (for
    --raw, and the tests' saved result): the same report from far fewer
    bytes."""
    categories = {
        name: {
            "id": name,
            "score": category.get("score"),
            "auditRefs": [
                {"id": ref["id"], "weight": ref.get("weight", 0)}
                for ref in category.get("auditRefs") or ()
            ],
        }
        for name, category in (lhr.get("categories") or {}).items()
    }
    # Only weighed audits can cost points; only those that did name places.
    weighed = {
        ref["id"]
        for category in categories.values()
        for ref in category["auditRefs"]
        if ref["weight"]
    }
    audits = {}
    for name, audit in (lhr.get("audits") or {}).items():
        if name not in weighed:
            continue
        kept = {
            key: audit[key]
            for key in ("id", "title", "score", "displayValue")
            if key in audit
        }
        if audit.get("score") is not None and audit["score"] < 1:
            items = [
                _trim_item(item)
                for item in (audit.get("details") or {}).get("items") or ()
                if isinstance(item, dict) and _place_field(item)
            ]
            if items:
                kept["details"] = {"items": items}
        audits[name] = kept
    trimmed = {
        key: lhr[key]
        for key in ("lighthouseVersion", "requestedUrl", "finalDisplayedUrl")
        if key in lhr
    }
    trimmed["configSettings"] = {
        "formFactor": (lhr.get("configSettings") or {}).get("formFactor")
    }
    if lhr.get("runtimeError"):
        trimmed["runtimeError"] = lhr["runtimeError"]
    trimmed["categories"] = categories
    trimmed["audits"] = audits
    return trimmed


def _score(value: int | None) -> str:
    return "-" if value is None else str(value)


def table(results: list[Result]) -> str:
    """The report: one line per page and form factor with the four scores,
    then what cost points (and what failed)."""
    titles = ("Type", "URL", "Form factor", *CATEGORIES.values())
    rows = [
        (r.type, r.path, r.form_factor, *(_score(r.scores.get(c)) for c in CATEGORIES))
        for r in results
    ]
    widths = [max(len(row[i]) for row in (titles, *rows)) for i in range(len(titles))]

    def line(cells) -> str:
        padded = [
            cell.ljust(width) if i < 3 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    lines = [
        f"Lighthouse {LIGHTHOUSE_VERSION} on {BASE_URL} (deploy/nginx.conf); "
        "scores 0-100",
        "",
        line(titles),
        line(["-" * width for width in widths]),
        *(line(row) for row in rows),
    ]
    costly = [r for r in results if r.losses or r.error]
    if costly:
        failed = any(r.error for r in results)
        lines += [
            "",
            "What cost points (and what failed):" if failed else "What cost points:",
        ]
    for r in costly:
        lines += ["", f"{r.type} {r.form_factor} ({r.path})"]
        if r.error:
            lines.append(f"  Lighthouse failed twice: {r.error}")
        for name, title in CATEGORIES.items():
            losses = [loss for loss in r.losses if loss.category == name]
            if not losses:
                continue
            lines.append(f"  {title} {_score(r.scores.get(name))}:")
            for loss in losses:
                shown = f" ({loss.display_value})" if loss.display_value else ""
                lines.append(
                    f"    {loss.id}: {loss.title}{shown}, -{loss.points:.1f} points"
                )
                lines += [f"      {place}" for place in loss.places]
                if loss.more:
                    lines.append(f"      and {loss.more} more")
    return "\n".join(lines)


# --- Running it ------------------------------------------------------------------


class CannotRun(Exception):
    """What stops the report from running at all (exit status 1)."""


def _node_version(node: str) -> tuple[int, ...]:
    output = subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=False
    ).stdout
    match = re.match(r"v(\d+)\.(\d+)", output.strip())
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def _lighthouse_installed() -> bool:
    try:
        package = json.loads((LIGHTHOUSE_PACKAGE / "package.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return package.get("version") == LIGHTHOUSE_VERSION


# find_executable's arguments for each tool: Debian's Chromium only (never
# another browser on PATH); nginx is in /usr/sbin, outside a user's PATH.
_LOCATIONS = {
    "node": ("node",),
    "npm": ("npm",),
    "chromium": (CHROMIUM,),
    "nginx": ("nginx", "/usr/sbin/nginx"),
    "openssl": ("openssl",),
}


def missing_tools(tools: list[str], which=find_executable) -> str:
    """'' when every tool is there, else one message naming each missing
    one and the apt-get line that installs them."""
    missing = [tool for tool in tools if not which(*_LOCATIONS[tool])]
    if not missing:
        return ""
    packages = " ".join(DEBIAN_PACKAGES[tool] for tool in missing)
    return (
        f"Cannot run: not found: {', '.join(missing)}. On Debian or Ubuntu:\n"
        f"  sudo apt-get install {packages}"
    )


def _check_tools(tools: list[str]) -> dict[str, str]:
    problem = missing_tools(tools)
    if problem:
        raise CannotRun(problem)
    return {tool: find_executable(*_LOCATIONS[tool]) for tool in tools}


def _install_lighthouse(npm: str) -> None:
    log(f"Installing Lighthouse {LIGHTHOUSE_VERSION} into .cache/lighthouse/ (once)")
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(LIGHTHOUSE_DIR),
            f"lighthouse@{LIGHTHOUSE_VERSION}",
            "--ignore-scripts",  # no browser download, nothing run at install
            "--no-audit",
            "--no-fund",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode or not _lighthouse_installed():
        raise CannotRun(
            f"Cannot run: npm could not install lighthouse@{LIGHTHOUSE_VERSION}:\n"
            + (done.stderr or done.stdout)[-2000:]
        )


def _production_build(folder: Path) -> Path:
    """The production site built into ``folder``/site, as `make build` does
    (its own cache is reused), without touching output/."""
    log("Building the production site (publishconf.py) into a temporary folder")
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    # The production site as published: not a preview, not another address.
    for name in ("SITE_PREVIEW", "SITEURL"):
        environment.pop(name, None)
    output = folder / "site"
    done = subprocess.run(
        [sys.executable, "-m", "site_build", "publishconf.py", str(output)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise CannotRun(
            "Cannot run: the production build failed:\n" + done.stdout + done.stderr
        )
    return output


def _site(args, stack: ExitStack) -> Path:
    if args.site:
        root = Path(args.site).absolute()
        if not (root / "index.html").is_file():
            raise CannotRun(f"Cannot run: {args.site} holds no built site (index.html)")
        home = (root / "index.html").read_text("utf-8", errors="replace")
        if f'href="{BASE_URL}/"' not in home:  # its canonical link
            log(f"Note: {args.site} does not look like a production build (make build)")
        return root
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="audit-")))
    return _production_build(folder)


def chrome_args(server) -> list[str]:
    """tooling.CHROMIUM_ARGS, but with BASE_URL's host mapped to ``server``'s
    ports (and every other host still to nowhere)."""
    rules = (
        f"MAP {SITE_HOST}:443 127.0.0.1:{server.https_port}, "
        f"MAP {SITE_HOST}:80 127.0.0.1:{server.http_port}, "
        "MAP * ~NOTFOUND"
    )
    kept = [arg for arg in CHROMIUM_ARGS if not arg.startswith("--host-resolver-rules")]
    return [*kept, f"--host-resolver-rules={rules}"]


@contextmanager
def _served(root: Path, tools: dict[str, str], stack: ExitStack):
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="nginx-")))
    try:
        with run_nginx(root, folder, tools["nginx"], tools["openssl"]) as server:
            yield server
    except NginxFailed as failed:
        raise CannotRun(f"Cannot run: {failed}") from None


def _lighthouse_once(
    node: str, url: str, form_factor: str, flags: list[str], out: Path
):
    """(lhr or None, error text) of one Lighthouse run."""
    # Lighthouse splits --chrome-flags like a command line: quote the rules.
    chrome_flags = " ".join(
        f'{arg.split("=", 1)[0]}="{arg.split("=", 1)[1]}"' if " " in arg else arg
        for arg in flags
    )
    command = [
        node,
        str(LIGHTHOUSE_PACKAGE / "cli" / "index.js"),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={chrome_flags}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    out.unlink(missing_ok=True)
    # In its own process group, so that on a timeout or Ctrl+C the Chromium
    # it started stops with it.
    process = subprocess.Popen(
        command,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=LIGHTHOUSE_TIMEOUT)
    except BaseException as stopped:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        if isinstance(stopped, subprocess.TimeoutExpired):
            return None, f"Lighthouse did not finish in {LIGHTHOUSE_TIMEOUT} s"
        raise
    try:
        lhr = json.loads(out.read_text("utf-8"))
    except (OSError, ValueError):
        lines = (stderr or stdout or "").strip().splitlines()
        return None, lines[-1] if lines else f"exit status {process.returncode}"
    error = lhr.get("runtimeError")
    if error or process.returncode:
        text = f"{error.get('code')}: {error.get('message', '')}" if error else ""
        return None, text or f"exit status {process.returncode}"
    return lhr, ""


def run_audit(args) -> int:
    tools = ["node", "chromium", "nginx", "openssl"]
    installed = _lighthouse_installed()
    if not installed:
        tools.insert(1, "npm")
    with ExitStack() as stack:
        found = _check_tools(tools)
        if _node_version(found["node"]) < LIGHTHOUSE_NODE:
            raise CannotRun(
                f"Cannot run: Lighthouse {LIGHTHOUSE_VERSION} needs Node "
                f"{'.'.join(map(str, LIGHTHOUSE_NODE))} or newer "
                f"({found['node']} is older)"
            )
        if not installed:
            _install_lighthouse(found["npm"])
        root = _site(args, stack)
        pages = _pages(root, args.pages)
        server = stack.enter_context(_served(root, found, stack))
        flags = [*chrome_args(server), "--headless=new", "--ignore-certificate-errors"]
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lh-")))
        results, count, started = [], 0, time.monotonic()
        total = len(pages) * len(FORM_FACTORS)
        for page_type, path in pages.items():
            for form_factor in FORM_FACTORS:
                count += 1
                url = BASE_URL + path
                for attempt in (1, 2):
                    log(
                        f"[{count}/{total}] {page_type} {form_factor} {url}"
                        + (" (again)" if attempt == 2 else "")
                    )
                    out = work / f"{page_type}-{form_factor}.json"
                    lhr, error = _lighthouse_once(
                        found["node"], url, form_factor, flags, out
                    )
                    if lhr:
                        break
                    log(f"  Lighthouse failed: {error}")
                if lhr:
                    result = read_lighthouse(page_type, path, lhr)
                    if args.raw:
                        raw = Path(args.raw)
                        raw.mkdir(parents=True, exist_ok=True)
                        (raw / out.name).write_text(
                            json.dumps(trim(lhr), indent=1) + "\n", "utf-8"
                        )
                else:
                    result = Result(page_type, path, form_factor, error=error)
                    result.scores = dict.fromkeys(CATEGORIES)
                results.append(result)
        log(f"{total} audits in {time.monotonic() - started:.0f} s")
    print(table(results))
    if args.json:
        Path(args.json).write_text(
            json.dumps([asdict(r) for r in results], indent=1) + "\n", "utf-8"
        )
    if all(r.error for r in results):
        print("Cannot run: Lighthouse gave no result for any page", file=sys.stderr)
        return 1
    return 0


# Makes lazy images load and waits for them and the fonts, then has every
# picture decoded and the page painted from top to bottom once, so that a
# full-page capture shows pictures below the first screen too (a function,
# not a string to evaluate: our Content-Security-Policy forbids eval).
_LOAD_EVERYTHING = """async () => {
  const images = Array.from(document.images);
  images.forEach(img => { img.loading = 'eager'; });
  await Promise.all(images.map(img => img.complete ? null : new Promise(done => {
    img.addEventListener('load', done);
    img.addEventListener('error', done);
  })));
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  await document.fonts.ready;
  const painted = () => new Promise(done =>
    requestAnimationFrame(() => requestAnimationFrame(done)));
  for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) {
    window.scrollTo({top: y, behavior: 'instant'});
    await painted();
  }
  window.scrollTo({top: 0, behavior: 'instant'});
  await painted();
}"""


def run_screenshots(args) -> int:
    found = _check_tools(["chromium", "nginx", "openssl"])
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise CannotRun(
            "Cannot run: the Python package playwright is missing: make (or "
            ".venv/bin/pip install -r requirements.lock) installs it"
        ) from None
    out = Path(args.out) if args.out else SCREENSHOTS
    written = []
    with ExitStack() as stack:
        root = _site(args, stack)
        pages = _pages(root, args.pages)
        server = stack.enter_context(_served(root, found, stack))
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=chrome_args(server)
        )
        stack.callback(browser.close)
        out.mkdir(parents=True, exist_ok=True)
        for width in SCREENSHOT_WIDTHS:
            context = browser.new_context(
                viewport={"width": width, "height": HEIGHT}, ignore_https_errors=True
            )
            page = context.new_page()
            for page_type, path in pages.items():
                log(f"{page_type} at {width} px: {BASE_URL}{path}")
                page.goto(BASE_URL + path, wait_until="load")
                page.evaluate(_LOAD_EVERYTHING)
                file = out / f"{page_type}-{width}.png"
                page.screenshot(path=str(file), full_page=True, animations="disabled")
                written.append(file)
            context.close()
    for file in written:
        print(_shown(file))
    return 0


def _shown(file: Path) -> str:
    """``file`` relative to the current folder when it is inside it."""
    file = file.absolute()
    return (
        str(file.relative_to(Path.cwd()))
        if file.is_relative_to(Path.cwd())
        else str(file)
    )


def _pages(root: Path, types: list[str]) -> dict[str, str]:
    try:
        return resolve_pages(root, types)
    except LookupError as error:
        raise CannotRun(f"Cannot run: {error}") from None


def _page_types(value: str) -> list[str]:
    types = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in types if name not in PAGE_TYPES]
    if unknown or not types:
        raise argparse.ArgumentTypeError(
            f"unknown page type {', '.join(unknown) or repr(value)}: "
            f"choose from {', '.join(PAGE_TYPES)}"
        )
    return types


def parser(screenshots: bool) -> argparse.ArgumentParser:
    command = "screenshots" if screenshots else "audit"
    parse = argparse.ArgumentParser(
        prog=f"invoke {command}",
        description=(
            "Full-page screenshots of one page of each type at 375 and 1280 px."
            if screenshots
            else "Lighthouse on one page of each type, as a phone and a desktop."
        ),
    )
    parse.add_argument(
        "--pages",
        type=_page_types,
        default=list(PAGE_TYPES),
        help=f"page types, comma-separated (default all: {', '.join(PAGE_TYPES)})",
    )
    parse.add_argument(
        "--site", help="a site already built, such as output/ (default: build one)"
    )
    if screenshots:
        parse.add_argument(
            "--out", help="folder for the PNG files (.cache/screenshots/)"
        )
    else:
        parse.add_argument("--json", help="also write the rows to this file")
        parse.add_argument(
            "--raw",
            help="also keep each Lighthouse result, trimmed to what the report "
            "reads, as <type>-<form factor>.json in this folder",
        )
    return parse


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    screenshots = bool(argv) and argv[0] == "screenshots"
    args = parser(screenshots).parse_args(argv[1:] if screenshots else argv)
    try:
        return run_screenshots(args) if screenshots else run_audit(args)
    except CannotRun as problem:
        print(problem, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped (Ctrl+C).", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
