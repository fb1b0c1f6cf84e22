"""`invoke bench`: how fast the site builds, beside stock Pelican and Hugo.

Generates a seeded site (tests/sitegen.py: news, showcases, events once the
content model has them, members with logos) in a temporary project folder and
times, in each of several interleaved runs (so drift of the machine hits all
alike):

- this site's real build command (``python -m site_build SETTINGS OUTPUT``),
  cold: no .cache/, no previous output;
- stock Pelican (the same package, its default theme and settings, feeds on)
  on the same Markdown folders, cold;
- Hugo (``hugo`` on PATH) with minimal layouts on the same Markdown bodies;
- this site again: nothing changed, one news post edited, one member edited,
  one template edited.

Then it prints a table (median and min-max of the runs, ratios to stock
Pelican's and Hugo's cold builds, the targets and whether each is met), the
member directory's page size and filter speed in Chromium, and on request
(``--sample``, ``--memory``, ``--growth``) the sample site's rebuild after one
saved post, the peak memory of a large site and how a cold build grows with
the site. It measures and prints; it never fails on a figure (docs/performance.md
says what each one means). ``python tests/benchmark.py --help`` lists the flags.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _folder in (HERE, ROOT / "plugins"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

import sitegen  # noqa: E402
from content_model import model  # noqa: E402

# The issue's targets ("Build speed: faster than stock Pelican from cold,
# instant rebuilds"): ratios to stock Pelican's cold build, and limits.
TARGETS = {
    "cold": 1.0,
    "nothing changed": 0.15,
    "news post edited": 0.2,
    "member edited": 0.2,
    "peak_mb": 1024,  # at 5,000 news and 5,000 members (--memory)
    "growth": 2.1,  # cold build at 2N / at N (--growth)
    "page_kb": 400,  # the member directory's HTML
    "filter_ms": 50,  # the directory's filters, 2,000 cards, in Chromium
    "sample_seconds": 0.5,  # sample site, rebuild after one saved news post
}
MEMORY_SIZES = {"news": 5000, "members": 5000}
SCENARIOS = (
    "cold",
    "nothing changed",
    "news post edited",
    "member edited",
    "template edited",
)
_BUILT = re.compile(r"^Built .*?\((\d+) new or changed\b", re.M)
_PEAK = re.compile(r"peak memory ([\d.,]+) MB")
# A build that finds nothing changed may say so instead of "Built ...".
_UNCHANGED = re.compile(r"^Nothing changed since the last build", re.M)


def log(message: str) -> None:
    """Progress, on stderr (the figures go to stdout)."""
    print(message, file=sys.stderr, flush=True)


# --- Running a command ----------------------------------------------------------


@dataclass
class Timing:
    seconds: float  # wall clock of the whole command
    files: int | None  # files written (this site) or in the output (others)
    peak_mb: float | None  # peak resident memory
    peak_source: str = "rusage"  # "build": the build's own printed figure
    rusage_mb: float | None = None  # the peak RSS os.wait4 saw, either way


class CommandFailed(RuntimeError):
    pass


def _maxrss_mb(rusage) -> float:
    # Linux reports kilobytes, macOS bytes.
    scale = 1 if sys.platform == "darwin" else 1024
    return rusage.ru_maxrss * scale / (1024 * 1024)


def run_timed(argv: list[str], cwd: Path, env: dict, log_file: Path) -> tuple:
    """Run ``argv``; (wall seconds, peak RSS in MB, stdout + stderr text).

    The peak is the child's ``ru_maxrss`` from os.wait4: the largest
    resident size of the child or of any process it forked and waited for
    (a helper process's own peak, not the sum of both)."""
    with open(log_file, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=out)
        _, status, rusage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log_file.read_text("utf-8", errors="replace")
    if process.returncode:
        raise CommandFailed(
            f"{' '.join(argv)} failed (exit {process.returncode}):\n{text[-3000:]}"
        )
    return seconds, _maxrss_mb(rusage), text


def count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


# --- This site ------------------------------------------------------------------


# What a build reads in a generated project; everything else there (the
# output, earlier releases, .cache/) is the state of earlier builds.
INPUTS = frozenset({"content", "theme", sitegen.SETTINGS_NAME})


def site_env() -> dict:
    """The environment of this site's build, as tasks.py gives it; no
    SITE_BUILD_CACHE, so the cache is the generated project's own."""
    env = {k: v for k, v in os.environ.items() if k != "SITE_BUILD_CACHE"}
    return {**env, "PYTHONPATH": str(ROOT / "plugins")}


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        # A build's background deletion of old releases may be deleting
        # in it at the same time: what it deleted first is no error.
        for _attempt in range(20):
            shutil.rmtree(path, ignore_errors=True)
            if not path.exists():
                return
        shutil.rmtree(path)  # the error that keeps it


def forget_builds(project: Path) -> None:
    """Remove every trace of earlier builds from a project: its output (a
    folder or a link to a release), releases, staging folders, .cache/."""
    for path in project.iterdir():
        if path.name not in INPUTS:
            _remove(path)


def build_site(project: Path, output: Path, cold: bool = False) -> Timing:
    """The real build command (as tasks.py runs it) on a generated project
    (its output inside it); ``cold``: nothing left from earlier builds."""
    if cold:
        forget_builds(project)
    settings = project / sitegen.SETTINGS_NAME
    seconds, peak, text = run_timed(
        [sys.executable, "-m", "site_build", str(settings), str(output)],
        project,
        site_env(),
        project.parent / f"{project.name}-build.log",
    )
    written = _BUILT.search(text)
    printed = _PEAK.search(text)
    return Timing(
        seconds,
        int(written[1]) if written else (0 if _UNCHANGED.search(text) else None),
        float(printed[1].replace(",", "")) if printed else peak,
        "build" if printed else "rusage",
        peak,
    )


# --- Stock Pelican --------------------------------------------------------------

STOCK_SETTINGS = """\
# Stock Pelican: its default theme and settings, feeds on (Pelican's defaults
# for these two), a site URL so the feeds have absolute links.
SITEURL = "https://www.example.org"
TIMEZONE = "Europe/Copenhagen"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
CACHE_PATH = "cache"
"""


def _markdown_folders() -> list[str]:
    return [s.folder for s in sitegen.post_sections()]


def prepare_stock(project: Path, stock: Path) -> Path:
    """``stock``: the generated project's Markdown folders (news, showcases,
    events) and the images they show, and a settings file."""
    content = stock / "content"
    for folder in _markdown_folders():
        shutil.copytree(project / "content" / folder, content / folder)
    shutil.copytree(
        project / "content" / sitegen.IMAGE_FOLDER, content / sitegen.IMAGE_FOLDER
    )
    (stock / "stock_settings.py").write_text(STOCK_SETTINGS, "utf-8")
    return stock


def build_stock(stock: Path) -> Timing:
    """Stock Pelican, cold: fresh output, no cache."""
    output = stock / "output"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(stock / "cache", ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    seconds, peak, _ = run_timed(
        [
            sys.executable,
            "-m",
            "pelican",
            str(stock / "content"),
            "-s",
            str(stock / "stock_settings.py"),
            "-o",
            str(output),
        ],
        stock,
        env,
        stock / "build.log",
    )
    return Timing(seconds, count_files(output), peak, rusage_mb=peak)


# --- Hugo ---------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "https://www.example.org/"
title = "Generated site"
languageCode = "en"
buildFuture = true
timeZone = "Europe/Copenhagen"
"""
HUGO_LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title>
<meta name="description" content="{{ .Summary | plainify }}"></head>
<body><main>{{ block "main" . }}{{ end }}</main></body>
</html>
""",
    "single.html": """\
{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">\
{{ .Date.Format "2 January 2006" }}</time></p>
{{ with .Params.image }}<img src="/{{ . }}" alt="{{ $.Params.image_alt }}">{{ end }}
{{ .Content }}
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}\
</a></li>{{ end }}</ul></article>{{ end }}
""",
    "list.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range .Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Summary | plainify }}</p></article>{{ end }}{{ end }}
""",
}
_FILENAME_LINK = re.compile(r"\{filename\}/?([\w/-]+)\.md")


def _front_matter(header: list[str]) -> str:
    """Our header lines as Hugo's YAML front matter (strings JSON-quoted)."""
    lines = ["---"]
    for line in header:
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "date":
            when = datetime.fromisoformat(value).replace(
                tzinfo=ZoneInfo("Europe/Copenhagen")
            )
            lines.append(f"date: {when.isoformat()}")
        elif key in ("tags", "programmes", "member"):
            items = [item.strip() for item in value.split(",") if item.strip()]
            lines.append(f"{key}: {json.dumps(items, ensure_ascii=False)}")
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join([*lines, "---", ""])


def prepare_hugo(project: Path, hugo: Path) -> Path:
    """``hugo``: the generated project's Markdown bodies with converted front
    matter, {filename} links as Hugo's URLs, minimal layouts, the images."""
    for folder in _markdown_folders():
        for path in sorted((project / "content" / folder).glob("*.md")):
            head, _, body = path.read_text("utf-8").partition("\n\n")
            body = _FILENAME_LINK.sub(r"/\1/", body)
            target = hugo / "content" / folder / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_front_matter(head.splitlines()) + "\n" + body, "utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = hugo / "layouts" / "_default" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    (hugo / "config.toml").write_text(HUGO_CONFIG, "utf-8")
    shutil.copytree(
        project / "content" / sitegen.IMAGE_FOLDER,
        hugo / "static" / sitegen.IMAGE_FOLDER,
    )
    return hugo


def build_hugo(hugo: Path, executable: str) -> Timing:
    """Hugo, cold: fresh output and cache folder."""
    output, cache = hugo / "public", hugo / "cache"
    for folder in (output, cache, hugo / "resources"):
        shutil.rmtree(folder, ignore_errors=True)
    seconds, peak, _ = run_timed(
        [
            executable,
            "--source",
            str(hugo),
            "--destination",
            str(output),
            "--cacheDir",
            str(cache),
            "--quiet",
        ],
        hugo,
        dict(os.environ),
        hugo / "build.log",
    )
    return Timing(seconds, count_files(output), peak, rusage_mb=peak)


# --- The member directory in Chromium (as plugins/members/bench.py did) ----------

# Times one change of the filter form: the script's work (it runs inside the
# input event) and the style and layout that follow. Several runs; the median.
_TIME_FILTER = """async ([selector, text]) => {
  const form = document.getElementById('member-filters');
  const field = form.querySelector(selector);
  const runs = [];
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    if (field.type === 'checkbox') { field.click(); }
    else { field.value = i % 2 ? '' : text;
           field.dispatchEvent(new Event('input', {bubbles: true})); }
    const scripted = performance.now();
    document.body.getBoundingClientRect();
    void document.body.offsetHeight;
    runs.push([scripted - started, performance.now() - started]);
    await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
  }
  runs.sort((a, b) => a[1] - b[1]);
  const visible = Array.from(document.querySelectorAll('.member-cards > li'))
    .filter(li => !li.hidden).length;
  return {script: runs[3][0], total: runs[3][1], visible};
}"""
FILTER_CASES = {
    "sector": ("input[name=sectors][value=games]", ""),
    "region": ("input[name=region]", ""),
    "search": ("#member-search", "aarhus"),
}


def filter_timings(output: Path) -> dict[str, dict] | str:
    """The directory's filter times in headless Chromium (milliseconds), or
    why they could not be measured."""
    from tooling import CHROMIUM, CHROMIUM_ARGS, serve

    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} not found (Debian's chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "playwright is not installed"
    results = {}
    with serve(output) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        for label, (selector, text) in FILTER_CASES.items():
            page.goto(f"{url}/members/", wait_until="load")
            page.locator(".member-filters__fields:enabled").wait_for(state="visible")
            results[label] = page.evaluate(_TIME_FILTER, [selector, text])
        browser.close()
    return results


# --- Figures --------------------------------------------------------------------


@dataclass
class Figures:
    sizes: dict
    seed: int
    runs: int
    timings: dict[str, list[Timing]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    directory: dict = field(default_factory=dict)
    sample: list[Timing] = field(default_factory=list)
    memory: dict = field(default_factory=dict)
    growth: dict = field(default_factory=dict)

    def add(self, name: str, timing: Timing) -> None:
        self.timings.setdefault(name, []).append(timing)

    def median(self, name: str) -> float | None:
        values = self.timings.get(name)
        return statistics.median(t.seconds for t in values) if values else None


def _ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}x" if value is not None and base else "-"


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _seconds(values: list[float]) -> tuple[str, str]:
    median = statistics.median(values)
    return f"{median:.2f} s", f"{min(values):.2f}-{max(values):.2f} s"


def table(figures: Figures) -> str:
    """The main table, one row per build."""
    stock, hugo = figures.median("stock Pelican, cold"), figures.median("Hugo, cold")
    rows = [
        (
            "build",
            "median",
            "min-max",
            "x stock",
            "x Hugo",
            "files",
            "peak MB",
            "target",
            "",
        )
    ]
    names = [f"this site, {s}" for s in SCENARIOS]
    names[1:1] = ["stock Pelican, cold", "Hugo, cold"]
    for name in names:
        values = figures.timings.get(name)
        if not values:
            continue
        median, spread = _seconds([t.seconds for t in values])
        files = [t.files for t in values if t.files is not None]
        peaks = [t.peak_mb for t in values if t.peak_mb is not None]
        scenario = name.removeprefix("this site, ")
        limit = TARGETS.get(scenario) if name.startswith("this site") else None
        target, met = "", ""
        if limit is not None and stock:
            target = f"<= {limit:.2f}x stock"
            met = _met(figures.median(name) <= limit * stock)
        rows.append(
            (
                name,
                median,
                spread,
                _ratio(figures.median(name), stock),
                _ratio(figures.median(name), hugo),
                str(round(statistics.median(files))) if files else "-",
                f"{max(peaks):.0f}" if peaks else "-",
                target,
                met,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [
            cell.ljust(width) if i in (0, 7, 8) else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(figures: Figures) -> str:
    sizes = figures.sizes
    events = (
        f"{sizes['events']} events"
        if sitegen.events_section()
        else "no events (the content model has no events section yet)"
    )
    lines = [
        f"Build benchmark: {sizes['news']} news, {sizes['showcases']} showcases, "
        f"{events}, {sizes['members']} generated members (plus the sample site's "
        f"content); seed {figures.seed}; {figures.runs} interleaved "
        f"run{'s' if figures.runs > 1 else ''}; "
        f"{os.cpu_count()} cores; Python {sys.version.split()[0]}",
        "",
        table(figures),
        "",
        "files: this site's files written (new or changed), stock Pelican's and "
        "Hugo's files in their output; peak MB: the highest of the runs (the "
        "build's own figure when it prints one, else the process's peak RSS).",
    ]
    directory = figures.directory
    if directory:
        kb = directory["page_kb"]
        lines += [
            "",
            f"Member directory: /members/ is {kb:.0f} KB of HTML for "
            f"{directory['members']} members (target < {TARGETS['page_kb']} KB: "
            f"{_met(kb < TARGETS['page_kb'])})",
        ]
        filters = directory.get("filters")
        if isinstance(filters, str):
            lines.append(f"Filters in Chromium: skipped ({filters})")
        elif filters:
            for label, result in filters.items():
                lines.append(
                    f"Filter by {label}: {result['total']:.1f} ms with style and "
                    f"layout ({result['script']:.1f} ms script; "
                    f"{result['visible']} cards shown); target < "
                    f"{TARGETS['filter_ms']} ms: "
                    f"{_met(result['total'] < TARGETS['filter_ms'])}"
                )
    if figures.sample:
        median, spread = _seconds([t.seconds for t in figures.sample])
        ok = statistics.median(t.seconds for t in figures.sample)
        lines += [
            "",
            f"Sample site under `make serve`, from saving a news post to the "
            f"page served with the change: {median} ({spread}); "
            f"target < {TARGETS['sample_seconds']} s: "
            f"{_met(ok < TARGETS['sample_seconds'])}",
        ]
    if figures.memory:
        memory = figures.memory
        lines += [
            "",
            f"Memory: a cold build of {memory['news']} news and {memory['members']} "
            f"members took {memory['seconds']:.1f} s, peak {memory['peak_mb']:.0f} MB"
            f" ({memory['peak_source']}); target < {TARGETS['peak_mb']} MB: "
            f"{_met(memory['peak_mb'] < TARGETS['peak_mb'])}",
        ]
    if figures.growth:
        growth = figures.growth
        ratio = growth["double"] / growth["single"]
        lines += [
            "",
            f"Growth: cold build at the given size {growth['single']:.2f} s, at "
            f"twice the size {growth['double']:.2f} s (medians): {ratio:.2f}x; "
            f"target <= {TARGETS['growth']}: {_met(ratio <= TARGETS['growth'])}",
        ]
    if figures.notes:
        lines += ["", *(f"Note: {note}" for note in figures.notes)]
    return "\n".join(lines)


# --- The runs -------------------------------------------------------------------


def _sizes(args) -> dict:
    return {
        "news": args.news,
        "showcases": args.showcases,
        "events": (
            (sitegen.DEFAULT_SIZES["events"] if args.events is None else args.events)
            if sitegen.events_section()
            else 0
        ),
        "members": args.members,
    }


def _generate(folder: Path, sizes: dict, seed: int) -> Path:
    started = time.perf_counter()
    sitegen.generate(folder, seed=seed, **sizes)
    log(f"Generated {folder.name} in {time.perf_counter() - started:.1f} s: {sizes}")
    return folder


def measure_main(work: Path, args, figures: Figures, hugo: str | None) -> None:
    project = _generate(work / "site", figures.sizes, args.seed)
    output = project / "output"
    stock = prepare_stock(project, work / "stock")
    hugo_project = prepare_hugo(project, work / "hugo") if hugo else None
    for run in range(1, args.runs + 1):
        log(f"Run {run} of {args.runs}")
        figures.add("this site, cold", build_site(project, output, cold=True))
        figures.add("stock Pelican, cold", build_stock(stock))
        if hugo_project:
            figures.add("Hugo, cold", build_hugo(hugo_project, hugo))
        figures.add("this site, nothing changed", build_site(project, output))
        edit = sitegen.edit_news_post(project, seed=run)
        log(f"  {edit.what}")
        figures.add("this site, news post edited", build_site(project, output))
        edit = sitegen.edit_member(project, seed=run)
        log(f"  {edit.what}")
        figures.add("this site, member edited", build_site(project, output))
        sitegen.edit_template(project, seed=run)
        figures.add("this site, template edited", build_site(project, output))
    page = output / "members" / "index.html"
    figures.directory = {
        "page_kb": page.stat().st_size / 1024,
        "members": len(list((project / "content" / "members").glob("*.yaml"))),
    }
    if args.no_browser:
        figures.directory["filters"] = "--no-browser"
    else:
        log("Timing the directory's filters in Chromium")
        figures.directory["filters"] = filter_timings(output)


def measure_sample(work: Path, args, figures: Figures) -> None:
    """The project's own sample site under `make serve` (invoke livereload):
    the time from saving a news post to the server handing out the page
    with the change, as a browser reloading it would get it."""
    import socket

    project = work / "sample"
    project.mkdir()
    shutil.copytree(ROOT / "content", project / "content")
    for name in ("tasks.py", "pelicanconf.py", "publishconf.py"):
        shutil.copyfile(ROOT / name, project / name)
    for name in ("plugins", "theme", "deploy"):
        (project / name).symlink_to(ROOT / name)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log("Sample site: `make serve`, then saves of one news post")
    env = {k: v for k, v in os.environ.items() if k != "SITE_BUILD_CACHE"}
    invoke = Path(sys.executable).with_name("invoke")
    with open(work / "serve.log", "w", encoding="utf-8") as serve_log:
        server = subprocess.Popen(
            [str(invoke), "livereload", "--port", str(port)],
            cwd=project,
            env=env,
            stdout=serve_log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait(lambda: "Live reload at" in (work / "serve.log").read_text(), 120)
            time.sleep(1)  # the watcher starts just after that line
            post = sorted((project / "content" / "news").glob("*.md"))[0]
            url = f"http://127.0.0.1:{port}/news/{post.stem}/"
            original = post.read_text(encoding="utf-8")
            for run in range(1, args.runs + 1):
                marker = f"Saved for the benchmark, time {run}."
                started = time.perf_counter()
                post.write_text(f"{original}\n{marker}\n", encoding="utf-8")
                _wait(lambda m=marker: m in _fetch(url), 30)
                figures.sample.append(Timing(time.perf_counter() - started, None, None))
                time.sleep(1)  # the next save is a new one
        finally:
            server.terminate()
            server.wait(timeout=30)


def _fetch(url: str) -> str:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait(condition, seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while not condition():
        if time.perf_counter() > deadline:
            raise CommandFailed(f"gave up after {seconds} s")
        time.sleep(0.01)


def measure_memory(work: Path, args, figures: Figures) -> None:
    sizes = {**figures.sizes, **MEMORY_SIZES}
    project = _generate(work / "memory", sizes, args.seed)
    log("Memory: one cold build")
    timing = build_site(project, project / "output", cold=True)
    figures.memory = {
        **sizes,
        "seconds": timing.seconds,
        "peak_mb": timing.peak_mb,
        "peak_source": "the build's own figure"
        if timing.peak_source == "build"
        else "peak RSS of the build process or a helper it waited for",
    }
    if not args.keep:
        shutil.rmtree(project, ignore_errors=True)


def measure_growth(work: Path, args, figures: Figures) -> None:
    single = _generate(work / "growth-1x", figures.sizes, args.seed)
    double = _generate(
        work / "growth-2x", {k: 2 * v for k, v in figures.sizes.items()}, args.seed
    )
    times: dict[str, list[float]] = {"single": [], "double": []}
    for run in range(1, args.runs + 1):
        log(f"Growth: run {run} of {args.runs}")
        for key, project in (("single", single), ("double", double)):
            timing = build_site(project, project / "output", cold=True)
            times[key].append(timing.seconds)
    figures.growth = {key: statistics.median(v) for key, v in times.items()}
    figures.growth["runs"] = times
    for project in (single, double):
        if not args.keep:
            shutil.rmtree(project, ignore_errors=True)


def parser() -> argparse.ArgumentParser:
    sizes = sitegen.DEFAULT_SIZES
    p = argparse.ArgumentParser(
        prog="invoke bench",
        description="Time this site's build (cold, nothing changed, one news "
        "post, one member, one template edited) beside stock Pelican and Hugo "
        "on a generated site, and print the figures with the targets. See "
        "docs/performance.md.",
    )
    p.add_argument(
        "--news", type=int, default=sizes["news"], help="news posts (%(default)s)"
    )
    p.add_argument(
        "--showcases",
        type=int,
        default=sizes["showcases"],
        help="showcases (%(default)s)",
    )
    p.add_argument(
        "--events",
        type=int,
        help=f"events ({sizes['events']}; only once the content model "
        "has an events section)",
    )
    p.add_argument(
        "--members",
        type=int,
        default=sizes["members"],
        help="generated members (%(default)s)",
    )
    p.add_argument(
        "--seed", type=int, default=1, help="the same seed, the same site (%(default)s)"
    )
    p.add_argument(
        "--runs",
        type=int,
        default=5,
        help="interleaved runs of every build (%(default)s)",
    )
    p.add_argument(
        "--sample",
        action="store_true",
        help="also time a rebuild of the project's sample site after one saved "
        "news post",
    )
    p.add_argument(
        "--memory",
        action="store_true",
        help="also build 5,000 news and 5,000 members cold once: peak memory",
    )
    p.add_argument(
        "--growth",
        action="store_true",
        help="also time cold builds at twice the given sizes: the growth ratio",
    )
    p.add_argument(
        "--no-browser", action="store_true", help="skip the filters in Chromium"
    )
    p.add_argument(
        "--json", metavar="FILE", help="also write every figure to FILE as JSON"
    )
    p.add_argument(
        "--keep",
        metavar="FOLDER",
        help="work in FOLDER (which must not exist) and keep it, instead of a "
        "temporary folder",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.runs < 1:
        parser().error("--runs must be at least 1")
    # One "now" for every build of this run: no date changes at midnight.
    os.environ.setdefault(
        "SITE_NOW",
        datetime.now(ZoneInfo("Europe/Copenhagen")).isoformat(timespec="seconds"),
    )
    figures = Figures(_sizes(args), args.seed, args.runs)
    if args.events is not None and not sitegen.events_section():
        figures.notes.append(
            f"--events {args.events} ignored: {model.__name__} has no events section"
        )
    hugo = shutil.which("hugo")
    if not hugo:
        figures.notes.append("hugo is not on PATH: the Hugo build was skipped")
    if args.keep:
        work = Path(args.keep).resolve()
        work.mkdir(parents=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        measure_main(work, args, figures, hugo)
        if args.sample:
            measure_sample(work, args, figures)
        if args.memory:
            measure_memory(work, args, figures)
        if args.growth:
            measure_growth(work, args, figures)
    except CommandFailed as failed:
        print(f"bench: {failed}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            log(f"Kept the work folder: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(report(figures))
    if args.json:
        Path(args.json).write_text(
            json.dumps(asdict(figures), indent=1, default=str) + "\n", "utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
