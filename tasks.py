"""The commands people run: `invoke --list` shows them all.

`make serve` and `make test` set up the virtual environment and call these.
"""

import os
import shutil
import sys
import traceback
from datetime import datetime
from zoneinfo import ZoneInfo

from invoke import Context, Exit, task

ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(ROOT, "plugins"))

from content_model import model  # noqa: E402
from content_model.new import new_file  # noqa: E402

OUTPUT = os.path.join(ROOT, "output")
PREVIEW = os.path.join(ROOT, "preview")  # invoke preview's build
DEV_SETTINGS = os.path.join(ROOT, "pelicanconf.py")
PROD_SETTINGS = os.path.join(ROOT, "publishconf.py")
HOST, PORT = "127.0.0.1", 8000


def _site_build(c, arguments: str, **options):
    # A separate Python process, so each build starts from fresh modules.
    return c.run(
        f'"{sys.executable}" -m site_build {arguments}',
        env={"PYTHONPATH": os.path.join(ROOT, "plugins")},
        pty=False,
        **options,
    )


@task(
    help={
        "production": "use publishconf.py: absolute URLs, no drafts",
        "debug": "show the full traceback when the site's code fails",
    }
)
def build(c, production=False, debug=False):
    """Build the site into output/ (kept as it was if the build fails)."""
    settings = PROD_SETTINGS if production else DEV_SETTINGS
    flag = "--debug " if debug else ""
    _site_build(c, f'{flag}"{settings}" "{OUTPUT}"')


@task(help={"external": "also ask every linked page on other sites (slower)"})
def check(c, external=False):
    """Check every content file without building: what must be fixed and what
    is worth mending, grouped by file, each with what to do."""
    flag = "--external " if external else ""
    _site_build_or_exit(c, f'check {flag}"{DEV_SETTINGS}"')


@task(
    help={
        "build": "build first (the default); --no-build publishes output/ as it "
        "is, such as after invoke rollback"
    }
)
def publish(c, build=True):
    """Build the production site (every check of a build), then publish it
    where publishconf.py's PUBLISH_TO says and list what changed there."""
    from build_errors import BuildFailed
    from site_build import load_settings
    from site_build.publish import target

    try:  # where to, said before anything is built
        target(
            load_settings(PROD_SETTINGS).get("PUBLISH_TO"),
            "PUBLISH_TO",
            "publishconf.py",
        )
    except BuildFailed as failed:
        raise Exit("\n".join(map(str, failed.problems)), code=1) from None
    if build:
        _site_build_or_exit(c, f'"{PROD_SETTINGS}" "{OUTPUT}"')
    _site_build_or_exit(c, f'publish "{PROD_SETTINGS}" "{OUTPUT}"')


@task(help={"port": "where to serve a preview kept on this computer (8001)"})
def preview(c, port="8001"):
    """Build the production site with drafts and scheduled posts shown and
    marked, for approval (every page says Preview; no search engine indexes
    it). Published where publishconf.py's PREVIEW_TO says, and its address
    printed to share; without PREVIEW_TO, served on this computer."""
    from site_build import load_settings

    os.environ["SITE_PREVIEW"] = "1"  # publishconf.py: the preview's settings
    shared = load_settings(PROD_SETTINGS).get("PREVIEW_TO")
    if not shared:
        port = _port_free(port)
        os.environ["PREVIEW_SITEURL"] = f"http://{HOST}:{port}"
    _site_build_or_exit(c, f'"{PROD_SETTINGS}" "{PREVIEW}"')
    if shared:
        _site_build_or_exit(c, f'publish --preview "{PROD_SETTINGS}" "{PREVIEW}"')
        address = load_settings(PROD_SETTINGS)["PREVIEW_SITEURL"]
        print(f"Share this address for approval: {address}/")
        return
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    server = RootedHTTPServer(PREVIEW, (HOST, port), ComplexHTTPRequestHandler)
    print(
        f"The preview is at http://{HOST}:{port}/ on this computer (Ctrl+C to "
        "stop). To share it, ask who looks after the site to set PREVIEW_TO "
        "(docs/operations.md)."
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


def _site_build_or_exit(c, arguments: str) -> None:
    """Run site_build; stop the task with its exit status when it fails (it
    has said why)."""
    result = _site_build(c, arguments, warn=True)
    if result.exited:
        raise Exit(code=result.exited)


@task
def rollback(c):
    """Put the previous build of output/ back (the one before the last)."""
    _site_build(c, f'rollback "{OUTPUT}"')


@task
def clean(c):
    """Remove output/ and preview/, their earlier releases and what builds
    keep in .cache/ (the next build starts from nothing). Waits for a build
    in progress."""
    from site_build.cache import remove_database
    from site_build.releases import Releases

    for site in (OUTPUT, PREVIEW):
        releases = Releases(site)
        releases.lock()  # a build is never cleaned away under its feet
        try:
            for path in (site, site + ".staging", site + ".previous"):
                if os.path.islink(path):
                    os.remove(path)
                else:
                    shutil.rmtree(path, ignore_errors=True)
            for name in os.listdir(releases.folder):
                if name != "lock":  # held, and waited on by any build now starting
                    path = os.path.join(releases.folder, name)
                    if os.path.isdir(path) and not os.path.islink(path):
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        os.remove(path)
        finally:
            releases.unlock()
    shutil.rmtree(os.path.join(ROOT, ".cache", "artefacts"), ignore_errors=True)
    if not remove_database(os.path.join(ROOT, ".cache", "artefacts.sqlite")):
        print("Could not delete .cache/artefacts.sqlite: see its permissions.")


# Libraries every build imports: imported once by `make serve`, so that each
# rebuild, forked from it, starts at once (importing them takes 0.4 s).
LIBRARIES = (
    "pelican",
    "pelican.generators",
    "pelican.readers",
    "markdown",
    "markdown.extensions.extra",
    "markdown.extensions.toc",
    "markdown.extensions.smarty",
    "jinja2",
    "PIL.Image",
    "lxml.html",
    "feedgen.feed",
    "yaml",
    "nh3",
    "selectolax.lexbor",
    "ada_url",
    "multiprocessing.sharedctypes",  # the shared counter of both cores' work
    "multiprocessing.synchronize",
    "_strptime",
)


PLUGINS = os.path.join(ROOT, "plugins")
_plugins_state = ""  # the plugins' files when `make serve` imported them


def _warm_up() -> None:
    """Import the libraries and the project's plugins, once, for every
    rebuild to fork from (imported afresh, they took 0.15 s of each)."""
    import contextlib
    import importlib

    global _plugins_state
    for name in LIBRARIES:
        with contextlib.suppress(ImportError):  # the build says what is missing
            importlib.import_module(name)
    try:
        from site_build.session import tree_state
    except Exception:  # the build reports it; every rebuild imports afresh
        return
    _plugins_state = tree_state([PLUGINS])  # before importing: an edit counts
    for name in sorted(os.listdir(PLUGINS)):
        if os.path.isfile(os.path.join(PLUGINS, name, "__init__.py")):
            with contextlib.suppress(Exception):  # the build reports it
                importlib.import_module(name)
    with contextlib.suppress(Exception):  # the build reports a bad setting
        # A Markdown object as the site's settings make it: its extensions
        # imported and their patterns in the `re` module's cache (25 ms of
        # each rebuild that converts a file).
        from markdown import Markdown
        from pelican.settings import read_settings

        from content_model.convert import markdown_settings

        Markdown(**markdown_settings(read_settings(DEV_SETTINGS)))


def _tree_state(folders) -> str:
    from site_build.session import tree_state

    return tree_state(folders)


def _forked_build(settings_file: str, output: str, problems: str) -> bool:
    """One build in a process forked from this one (the libraries and the
    plugins already imported); after an edit to a plugin, the plugins are
    imported afresh, so the edit counts at the next save. Without fork
    (Windows), a new process as `invoke build` uses."""
    if not hasattr(os, "fork"):
        command = f'--problems "{problems}" "{settings_file}" "{output}"'
        return not _site_build(Context(), command, warn=True).failed
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            if not _plugins_state or _plugins_state != _tree_state([PLUGINS]):
                for name, module in list(sys.modules.items()):
                    if (getattr(module, "__file__", None) or "").startswith(
                        PLUGINS + os.sep
                    ):
                        del sys.modules[name]
            from site_build import main

            code = main(["--problems", problems, settings_file, output])
        except Exception as error:  # the build's own code cannot be imported
            traceback.print_exc()
            _code_problem(problems, error)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _code_problem(problems: str, error: BaseException) -> None:
    """A plugin that cannot be imported, for the browser's panel too (as
    site_build writes a build's problems): its file and line."""
    import json

    frames = traceback.extract_tb(error.__traceback__)
    path = getattr(error, "filename", None) or (frames[-1].filename if frames else "")
    line = getattr(error, "lineno", None) or (frames[-1].lineno if frames else None)
    problem = {
        "path": os.path.relpath(path, ROOT) if path else "plugins",
        "line": line,
        "field": "code",
        "message": f"{type(error).__name__}: {error}",
        "allowed": "a fault in the site's code: mend it (the terminal has the details)",
    }
    with open(problems, "w", encoding="utf-8") as handle:
        json.dump([problem], handle, ensure_ascii=False)


def _port_free(port) -> int:
    """``port`` as a number, or stop with what to do when another program
    (often another `make serve`) already listens on it."""
    import socket

    try:
        number = int(port)
        if not 1024 <= number <= 65535:
            raise ValueError
    except ValueError:
        raise Exit(
            f"PORT={port} is not a port this can use: choose a number from "
            "1024 to 65535, such as make serve PORT=8001",
            code=2,
        ) from None
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, number))
        except OSError:
            raise Exit(
                f"Port {number} is busy: another program, perhaps another "
                "`make serve`, is using it. Stop that one, or choose another "
                f"port: make serve PORT={number + 1}",
                code=2,
            ) from None
    return number


@task
def serve(c, port=str(PORT)):
    """Serve output/ as it is at http://127.0.0.1:8000 (no rebuilds)."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    port = _port_free(port)
    server = RootedHTTPServer(OUTPUT, (HOST, port), ComplexHTTPRequestHandler)
    print(f"Serving output/ at http://{HOST}:{port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task
def livereload(c, port=str(PORT)):
    """Build, serve at http://127.0.0.1:8000 and rebuild + reload the browser
    whenever content, theme, plugins or settings change."""
    import tempfile

    from livereload import Server

    port = _port_free(port)
    _warm_up()
    # This server's own file of the last build's problems.
    problems = os.path.join(tempfile.mkdtemp(prefix="site-serve-"), "problems.json")

    def rebuild():
        if not _forked_build(DEV_SETTINGS, OUTPUT, problems):
            print(
                "The build failed (see above); the browser keeps the last good "
                "site and lists the problems over it."
            )

    rebuild()
    server = _problems_server(Server, problems)(watcher=_change_watcher())
    for pattern in WATCHED:
        server.watch(os.path.join(ROOT, pattern), rebuild)
    print(f"Live reload at http://{HOST}:{port}/ (Ctrl+C to stop)")
    server.serve(host=HOST, port=port, root=OUTPUT, open_url_delay=None)


# `make serve` shows the last build's problems over the last good page
# (theme/static/js/build-problems.js asks for them at PROBLEMS_URL).
PROBLEMS_URL = "/_build/problems.json"


def _problems_server(server_class, problems: str):
    """livereload's server, answering PROBLEMS_URL with the last build's
    problems (an empty list when it succeeded)."""
    from tornado import web

    class Problems(web.RequestHandler):
        def get(self):
            try:
                with open(problems, encoding="utf-8") as handle:
                    body = handle.read()
            except OSError:
                body = "[]"
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.write(body)

    class WithProblems(server_class):
        def get_web_handlers(self, script):
            return [(PROBLEMS_URL, Problems), *super().get_web_handlers(script)]

    return WithProblems


# What `make serve` watches: a save in any of these rebuilds the site.
WATCHED = ("content/**/*", "theme/**/*", "plugins/**/*.py", "pelicanconf.py")


def _change_watcher():
    """A livereload watcher told of every save at once by the system
    (watchfiles: inotify on Linux), instead of looking every 0.8 s."""
    import threading

    import watchfiles
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class ChangeWatcher(Watcher):
        def start(self, callback):
            loop = IOLoop.current()
            paths = [os.path.join(ROOT, pattern.split("/")[0]) for pattern in WATCHED]

            def wait_for_changes():
                for _changes in watchfiles.watch(*paths, step=20, debounce=400):
                    loop.add_callback(callback)

            threading.Thread(target=wait_for_changes, daemon=True).start()
            loop.add_callback(callback)  # livereload's own first message
            return True  # livereload need not look every 0.8 s

    return ChangeWatcher()


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
        "args": 'options for the benchmark in quotes, such as "--news 100 --runs 2" '
        "(see: .venv/bin/python tests/benchmark.py --help)"
    }
)
def bench(c, args=""):
    """Time this site's build (cold, unchanged, after one edit) beside stock
    Pelican and Hugo on a large generated site, and print the table
    (docs/performance.md)."""
    import shlex

    sys.path.insert(0, os.path.join(ROOT, "tests"))
    from benchmark import main

    code = main(shlex.split(args))
    if code:
        raise Exit(code=code)


PAGE_TYPES_HELP = (
    "page types, comma-separated (default all: home, listing, article, "
    "showcase, event, programme, members, member, feeds, page)"
)
SITE_HELP = "a site already built, such as output/ (default: build the production site)"


def _audit(argv: list[str]) -> None:
    """tests/audit.py with ``argv`` (only the options given a value)."""
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    from audit import main

    code = main([arg for arg in argv if arg])
    if code:
        raise Exit(code=code)


@task(
    help={
        "pages": PAGE_TYPES_HELP,
        "json": "also write the rows to this file",
        "site": SITE_HELP,
    }
)
def audit(c, pages="", json="", site=""):
    """Lighthouse on one page of each type of the production site, served by
    deploy/nginx.conf, as a phone and as a desktop: print the scores and the
    audits that cost points (docs/operations.md)."""
    _audit(
        [
            pages and f"--pages={pages}",
            json and f"--json={json}",
            site and f"--site={site}",
        ]
    )


@task(
    help={
        "out": "folder for the PNG files (.cache/screenshots/)",
        "pages": PAGE_TYPES_HELP,
        "site": SITE_HELP,
    }
)
def screenshots(c, out="", pages="", site=""):
    """Full-page screenshots of one page of each type of the production site
    at 375 and 1280 px wide, <type>-<width>.png (docs/operations.md)."""
    _audit(
        [
            "screenshots",
            out and f"--out={out}",
            pages and f"--pages={pages}",
            site and f"--site={site}",
        ]
    )
