"""The commands people run: `invoke --list` shows them all.

`make serve` and `make test` set up the virtual environment and call these.
"""

import os
import shutil
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from invoke import Exit, task

ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(ROOT, "plugins"))

from content_model import model  # noqa: E402
from content_model.new import new_file  # noqa: E402

OUTPUT = os.path.join(ROOT, "output")
DEV_SETTINGS = os.path.join(ROOT, "pelicanconf.py")
PROD_SETTINGS = os.path.join(ROOT, "publishconf.py")
HOST, PORT = "127.0.0.1", 8000


def _build(c, settings_file):
    # A separate Python process, so each build starts from fresh modules.
    c.run(
        f'"{sys.executable}" -m site_build "{settings_file}" "{OUTPUT}"',
        env={"PYTHONPATH": os.path.join(ROOT, "plugins")},
        pty=False,
    )


@task(help={"production": "use publishconf.py: absolute URLs, no drafts"})
def build(c, production=False):
    """Build the site into output/ (kept as it was if the build fails)."""
    _build(c, PROD_SETTINGS if production else DEV_SETTINGS)


@task
def clean(c):
    """Remove output/ and the build's temporary folders."""
    from site_build import staging_folder

    for folder in (OUTPUT, OUTPUT + ".staging", staging_folder(OUTPUT)):
        shutil.rmtree(folder, ignore_errors=True)


@task
def serve(c, port=PORT):
    """Serve output/ as it is at http://127.0.0.1:8000 (no rebuilds)."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    server = RootedHTTPServer(OUTPUT, (HOST, int(port)), ComplexHTTPRequestHandler)
    print(f"Serving output/ at http://{HOST}:{port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task
def livereload(c, port=PORT):
    """Build, serve at http://127.0.0.1:8000 and rebuild + reload the browser
    whenever content, theme, plugins or settings change."""
    from livereload import Server

    def rebuild():
        result = c.run(
            f'"{sys.executable}" -m site_build "{DEV_SETTINGS}" "{OUTPUT}"',
            env={"PYTHONPATH": os.path.join(ROOT, "plugins")},
            warn=True,
        )
        if result.failed:
            print("The build failed (see above); the browser keeps the last good site.")

    rebuild()
    server = Server()
    for pattern in (
        "content/**/*",
        "theme/**/*",
        "plugins/**/*.py",
        "pelicanconf.py",
    ):
        server.watch(os.path.join(ROOT, pattern), rebuild, delay=0.3)
    print(f"Live reload at http://{HOST}:{port}/ (Ctrl+C to stop)")
    server.serve(host=HOST, port=int(port), root=OUTPUT, open_url_delay=None)


@task(
    help={
        "section": "one of: " + ", ".join(s.name for s in model.DATED_SECTIONS),
        "title": "the headline, in quotes",
    },
    positional=["section", "title"],
)
def new(c, section, title):
    """Start a new post: invoke new news "Spilbar comes to Odense"."""
    now = datetime.now(ZoneInfo("Europe/Copenhagen"))
    try:
        path = new_file(os.path.join(ROOT, "content"), section, title, now)
    except ValueError as error:
        raise Exit(f"invoke new: {error}", code=2) from None
    print(os.path.relpath(path, ROOT))


@task(
    help={
        "k": "only tests whose name matches this expression",
        "workers": "parallel pytest workers: a number, 'auto' (one per core) or 0",
    }
)
def test(c, k="", workers="auto"):
    """Run the whole test suite (in parallel; tests that share a browser width,
    the HTML checker or nginx stay together on one worker)."""
    selection = f' -k "{k}"' if k else ""
    parallel = f" -n {workers} --dist loadgroup" if str(workers) != "0" else ""
    c.run(f'"{sys.executable}" -m pytest{parallel}{selection}', pty=False)


@task
def lint(c):
    """Check and format-check the Python code with ruff."""
    c.run(f'"{sys.executable}" -m ruff check .')
    c.run(f'"{sys.executable}" -m ruff format --check .')


@task(
    help={
        "members": "how many members the generated directory holds",
        "seed": "seed of the generated members (the same seed, the same site)",
        "runs": "timed builds with and without the member plugin",
    }
)
def bench(c, members=2000, seed=1, runs=5):
    """Time the member directory at scale: build times with and without the
    member plugin, the directory page's size and the filters' speed in
    Chromium, for a generated directory of 2,000 members."""
    from members.bench import run

    run(int(members), int(seed), int(runs))
