"""`invoke bench`: how the member directory scales.

Builds a copy of the site whose directory has 2,000 members (the sample ones
plus generated, plainly fictional ones: seeded, so every run builds the same
site), with and without this plugin, and prints:

- the build time with and without the plugin (wall clock and CPU time of the
  build process; the median of a few rebuilds after a first build has filled
  the caches, as a rebuild finds them: resized logos, checked member files,
  pages that did not change), and where the added time goes;
- a rebuild after one member file changed, and one with nothing kept from
  earlier builds (every file checked, every page rendered);
- the size of the directory page's HTML;
- how long the directory's filters take in headless Chromium for 2,000 cards.

Targets (issue 3): the plugin adds at most 1 s to the build on a 2-core
machine; the directory page stays under 400 KB; filtering takes under 50 ms.
Nothing here is a test: it measures and prints.
"""

from __future__ import annotations

import functools
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from content_model import model

# The browser and its flags are the browser tests' own (Debian's Chromium,
# nothing but the local server reachable).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from tooling import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

HERE = Path(__file__).resolve()
ROOT = HERE.parents[2]
TARGETS = {"plugin_seconds": 1.0, "page_kb": 400, "filter_ms": 50}


def words(text: str) -> list[str]:
    return text.split()


_FIRST = words(
    "Ask Bak Birke Dal Eng Fjord Fyr Gran Hav Hede Hvid Is Kilde Klit Kyst Lille "
    "Lyng Mose Nord Ravn Sand Skov Sol Storm Sø Tåge Vester Vind Ør Øster"
)
_SECOND = words(
    "bakke bjerg borg by dal gård havn holm hus lund mark næs skov strand sund "
    "toft vang vig ager bro"
)
_KINDS = words(
    "Games Studios Animation Pictures Interactive Apps Digital Media Labs XR VFX "
    "Learning Health Film Works"
)
_TOWNS = {
    "Hovedstaden": ("Copenhagen", "Frederiksberg", "Hillerød", "Helsingør", "Rønne"),
    "Sjælland": ("Roskilde", "Næstved", "Holbæk", "Slagelse", "Køge"),
    "Syddanmark": ("Odense", "Esbjerg", "Kolding", "Vejle", "Svendborg"),
    "Midtjylland": ("Aarhus", "Viborg", "Herning", "Horsens", "Randers"),
    "Nordjylland": ("Aalborg", "Frederikshavn", "Hjørring", "Skagen", "Thisted"),
}
_SENTENCES = (
    "{name} is a {size} studio in {town} making {what}.",
    "The team works with publishers, broadcasters and public clients in Denmark "
    "and abroad.",
    "Its projects are tested with the people they are made for before release.",
    "The company was started by former students of a Danish games or film school.",
    "It combines its own productions with commissioned work for other studios.",
    "Recent work includes titles for phones, consoles and virtual reality headsets.",
    "The studio is growing and takes interns every spring and autumn.",
)
_WHAT = {
    "games": "games for consoles and PC",
    "film": "films and series",
    "animation": "animation for television and cinema",
    "apps": "apps for phones and tablets",
    "vfx": "visual effects for film and television",
    "xr": "virtual and augmented reality experiences",
    "edtech": "learning games for schools",
    "health": "software for hospitals and patients",
}


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(_FIRST)}{rng.choice(_SECOND)} {rng.choice(_KINDS)}"
        if name.casefold() not in used:
            used.add(name.casefold())
            return name


def _slug(name: str, used: set[str]) -> str:
    from content_model.slugs import slugify

    slug, number = slugify(name), 2
    while slug in used:
        slug, number = f"{slugify(name)}-{number}", number + 1
    used.add(slug)
    return slug


def _png_logo(path: Path, rng: random.Random) -> None:
    """A plainly fictional logo: two shapes in two colours."""
    width, height = rng.choice(((512, 512), (600, 300), (400, 200), (160, 160)))
    colours = [tuple(rng.randrange(256) for _ in range(3)) for _ in range(3)]
    image = Image.new("RGB", (width, height), colours[0])
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.1, height * 0.1, width * 0.5, height * 0.9), colours[1])
    draw.rectangle((width * 0.55, height * 0.3, width * 0.9, height * 0.7), colours[2])
    image.save(path, optimize=False)


def _svg_logo(path: Path, rng: random.Random) -> None:
    colours = [f"#{rng.randrange(1 << 24):06x}" for _ in range(2)]
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" '
        f'width="200" height="100"><rect width="200" height="100" '
        f'fill="{colours[0]}"/><circle cx="50" cy="50" r="35" '
        f'fill="{colours[1]}"/></svg>\n',
        encoding="utf-8",
    )


def generate_members(content: Path, total: int, seed: int) -> int:
    """Add generated members to content/members/ until it holds ``total``;
    returns how many were added."""
    rng = random.Random(seed)
    folder, logos = content / "members", content / "images" / "members"
    existing = sorted(folder.glob("*.yaml"))
    used_slugs = {p.stem for p in existing}
    used_names: set[str] = set()
    programmes = sorted(p.stem for p in (content / "programmes").glob("*.md"))
    added = 0
    for _ in range(total - len(existing)):
        name = _name(rng, used_names)
        slug = _slug(name, used_slugs)
        region = rng.choice(model.REGIONS)
        sectors = rng.sample(model.SECTORS, rng.choice((1, 1, 2, 3)))
        size = rng.choice(model.SIZE_BANDS)
        town = rng.choice(_TOWNS[region])
        words = {"name": name, "size": size.replace("-", " to "), "town": town}
        words["what"] = _WHAT[sectors[0]]
        sentences = [_SENTENCES[0].format(**words)]
        for sentence in rng.sample(_SENTENCES[1:], rng.randrange(1, 5)):
            if len(" ".join([*sentences, sentence])) <= model.MEMBER_DESCRIPTION_MAX:
                sentences.append(sentence)
        lines = [
            f"name: {name}",
            f"sectors: [{', '.join(sectors)}]",
            f"region: {region}",
            f"city: {town}",
            f"website: https://{slug}.example",
            f"description: {' '.join(sentences)}",
            f"founded: {rng.randrange(1995, 2026)}",
            f"employees: {size}",
            f"business_model: {rng.choice(model.BUSINESS_MODELS)}",
            f"markets: [{', '.join(rng.sample(model.MARKETS, rng.choice((1, 2))))}]",
            f"member_since: {rng.randrange(2013, 2027)}",
        ]
        if rng.random() < 0.3:
            lines.append(f"programmes: [{rng.choice(programmes)}]")
        lines += ["contact:", f"  email: hello@{slug}.example"]
        if rng.random() < 0.5:
            lines += ["social:", f"  linkedin: https://www.linkedin.com/company/{slug}"]
        kind = rng.random()
        if kind < 0.7:
            _png_logo(logos / f"{slug}.png", rng)
            lines.append(f"logo: {model.MEMBER_LOGO_FOLDER}/{slug}.png")
        elif kind < 0.9:
            _svg_logo(logos / f"{slug}.svg", rng)
            lines.append(f"logo: {model.MEMBER_LOGO_FOLDER}/{slug}.svg")
        (folder / f"{slug}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
        added += 1
    return added


def write_settings(project: Path, content: Path, cache: Path, plugin: bool) -> Path:
    """A settings file for the generated site, with or without this plugin."""
    name = "with_members" if plugin else "without_members"
    path = project / f"{name}.py"
    path.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa\n"
        f"PATH = {str(content)!r}\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
        f"RESPONSIVE_IMAGES = {{**RESPONSIVE_IMAGES, 'cache_path': {str(cache)!r}}}\n"
        + ("" if plugin else "PLUGINS = [p for p in PLUGINS if p != 'members']\n"),
        encoding="utf-8",
    )
    return path


def change_one_member(content: Path) -> str:
    """Move one generated member to another town, as staff would edit it."""
    paths = sorted((content / "members").glob("*.yaml"))
    path = paths[len(paths) // 2]
    text = path.read_text("utf-8")
    city = text.split("city: ", 1)[1].split("\n", 1)[0]
    path.write_text(text.replace(f"city: {city}", f"city: {city} Nord", 1), "utf-8")
    return f"content/members/{path.name}"


def timed_build(settings: Path, output: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one build in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "site_build", str(settings), str(output)],
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise SystemExit(f"bench: the build failed:\n{result.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _timed(owner, name: str, totals: dict, label, pick=None):
    """Wrap owner.name so that its time is added to totals[label] (or to
    totals[pick(args)] when ``pick`` names the label from the arguments)."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            key = pick(*args, **kwargs) if pick else label
            if key:
                totals[key] = totals.get(key, 0.0) + time.perf_counter() - started

    setattr(owner, name, wrapper)


def profile_build(settings: str, output: str) -> None:
    """Build once in this process and print (as JSON) where the time that
    the member directory adds goes. Run by :func:`breakdown`."""
    import json

    from pelican import generators

    import members
    import responsive_images
    import site_build

    totals: dict[str, float] = {}
    reading = "reading member files (checked ones kept from earlier builds)"
    planning = "what changed since the last build (keys of every page)"
    context = "directory context: order, filters, logo sizes, JSON-LD, filter index"
    _timed(members.MembersGenerator, "read_members", totals, reading)
    _timed(members.MemberPages, "plan", totals, planning)
    _timed(members.MembersGenerator, "generate_context", totals, context)
    _timed(
        members.MemberPages,
        "start",
        totals,
        "member pages: kept, or rendering started in the helper process",
    )
    _timed(
        members.MemberPages,
        "finish",
        totals,
        "member pages rendered (the build's share; waiting for the helper)",
    )
    _timed(members.MembersGenerator, "write_exports", totals, "exports written")
    _timed(members.Logos, "write", totals, "resized logos written or kept")
    _timed(
        responsive_images.ResponsiveImages,
        "_rewrite_file",
        totals,
        None,
        lambda _self, path, *a: (
            "responsive_images re-reading the member pages"
            if f"{os.sep}members{os.sep}" in path
            else None
        ),
    )
    _timed(
        generators.StaticGenerator,
        "_link_or_copy_staticfile",
        totals,
        None,
        lambda _self, static: (
            "original logos copied (Pelican's static files, with or without the plugin)"
            if static.relative_source_path.startswith(model.MEMBER_LOGO_FOLDER)
            else None
        ),
    )
    started = time.perf_counter()
    site_build.build(settings, output)
    totals["(the whole build, in this process)"] = time.perf_counter() - started
    # generate_context holds the reading and the planning: count them once.
    totals[context] = totals.get(context, 0.0) - totals.get(reading, 0.0)
    totals[context] -= totals.get(planning, 0.0)
    print(json.dumps(totals))


def breakdown(settings: Path, output: Path) -> dict[str, float]:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from members.bench import profile_build; "
            "profile_build(sys.argv[1], sys.argv[2])",
            str(settings),
            str(output),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"bench: the build failed:\n{result.stderr[-3000:]}")
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


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


def filter_timings(output: Path) -> dict[str, dict]:
    """The directory's filter times in headless Chromium, in milliseconds."""
    from playwright.sync_api import sync_playwright

    cases = {
        "sector (a checkbox)": ("input[name=sectors][value=games]", ""),
        "region (a checkbox)": ("input[name=region]", ""),
        "search (typing a word)": ("#member-search", "aarhus"),
    }
    results = {}
    with serve(output) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        for label, (selector, text) in cases.items():
            page.goto(f"{url}/members/", wait_until="load")
            page.locator("#member-filters").wait_for(state="visible")
            results[label] = page.evaluate(_TIME_FILTER, [selector, text])
        browser.close()
    return results


def run(total: int = 2000, seed: int = 1, runs: int = 5) -> None:
    if shutil.which(CHROMIUM) is None:
        print(f"bench: {CHROMIUM} not found; the filter times will be skipped")
    cache = ROOT / ".cache" / "bench"
    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        project = Path(temporary)
        content = project / "content"
        shutil.copytree(ROOT / "content", content)
        added = generate_members(content, total, seed)
        members = len(list((content / "members").glob("*.yaml")))
        print(f"Generated {added} members (seed {seed}): {members} in the directory")
        with_plugin = write_settings(project, content, cache, plugin=True)
        without = write_settings(project, content, cache, plugin=False)
        output = project / "output"

        cached = len(list(cache.glob("*.webp"))) if cache.is_dir() else 0
        wall, cpu = timed_build(with_plugin, output)
        state = (
            f"the logo cache held {cached} resized logos"
            if cached
            else "the logo cache was empty: every logo resized"
        )
        print(f"First build ({state}): {wall:.2f} s, CPU {cpu:.2f} s")
        timings = {"with": [], "without": []}
        for _ in range(runs):  # interleaved, so machine load hits both alike
            timings["without"].append(timed_build(without, project / "plain"))
            timings["with"].append(timed_build(with_plugin, output))
        medians = {
            key: tuple(statistics.median(t[i] for t in values) for i in (0, 1))
            for key, values in timings.items()
        }
        added_wall = medians["with"][0] - medians["without"][0]
        added_cpu = medians["with"][1] - medians["without"][1]
        for key, (wall, cpu) in medians.items():
            print(f"Build {key} plugins/members: {wall:.2f} s (CPU {cpu:.2f} s)")
        print(
            f"The plugin adds: {added_wall:.2f} s (CPU {added_cpu:.2f} s); "
            f"target at most {TARGETS['plugin_seconds']:.1f} s on 2 cores "
            f"(this machine: {os.cpu_count()} cores)"
        )
        print("Where the added time goes (one rebuild, wall clock):")
        for label, seconds in breakdown(with_plugin, output).items():
            print(f"  {seconds:6.2f} s  {label}")
        without = medians["without"][0]
        changed = change_one_member(content)
        wall, cpu = timed_build(with_plugin, output)
        print(
            f"Rebuild after one member file changed ({changed}): {wall:.2f} s "
            f"(CPU {cpu:.2f} s; {wall - without:.2f} s more than without the "
            "plugin): its page, the directory page and the exports made again"
        )
        shutil.rmtree(project / ".cache" / "members", ignore_errors=True)
        wall, cpu = timed_build(with_plugin, output)
        print(
            f"Rebuild with nothing kept from earlier builds (every member file "
            f"checked, every page rendered, two processes): {wall:.2f} s "
            f"(CPU {cpu:.2f} s; {wall - without:.2f} s more than without)"
        )
        page = output / "members" / "index.html"
        size = page.stat().st_size / 1024
        print(
            f"Directory page: {size:.0f} KB of HTML for {members} members "
            f"(target under {TARGETS['page_kb']} KB)"
        )
        if shutil.which(CHROMIUM):
            for label, result in filter_timings(output).items():
                print(
                    f"Filter by {label}: {result['script']:.1f} ms script, "
                    f"{result['total']:.1f} ms with style and layout, "
                    f"{result['visible']} cards shown "
                    f"(target under {TARGETS['filter_ms']} ms)"
                )
