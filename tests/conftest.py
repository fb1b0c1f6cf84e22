"""Shared fixtures: the sample site is built once per test session into a
temporary folder (never the developer's output/), and tests assert on the
parsed result."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "plugins"
if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))

# "Now" for everything that depends on the date; the build reads SITE_NOW.
SITE_NOW = "2026-11-27T12:00:00+01:00"
os.environ["SITE_NOW"] = SITE_NOW
# Every test build shares one cache of resized images, converted Markdown...:
# entries are keyed by what they are made from and checked when read.
os.environ.setdefault("SITE_BUILD_CACHE", str(ROOT / ".cache"))

import site_build  # noqa: E402
from site_build import Session  # noqa: E402

SETTINGS = site_build.load_settings(str(ROOT / "pelicanconf.py"))


@pytest.fixture(autouse=True)
def scratch_session():
    """A session for tests that call plugin code outside a build (a build
    makes its own); its problems are the test's to look at."""
    with Session(SETTINGS, cache_folder=None) as session:
        yield session


@dataclass
class BuiltSite:
    root: Path
    siteurl: str = ""

    @cached_property
    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def path(self, url_path: str) -> Path:
        """The file behind a site URL path such as 'news/' or '/about/'."""
        path = self.root / url_path.lstrip("/")
        if url_path.endswith("/") or path.is_dir():
            path = path / "index.html"
        return path

    def soup(self, url_path_or_file) -> BeautifulSoup:
        file = (
            url_path_or_file
            if isinstance(url_path_or_file, Path)
            else self.path(url_path_or_file)
        )
        return parse_html(file)

    def url_of(self, file: Path) -> str:
        relative = file.relative_to(self.root).as_posix()
        if relative.endswith("index.html"):
            relative = relative[: -len("index.html")]
        return "/" + relative


_parsed: dict[Path, BeautifulSoup] = {}


def parse_html(file: Path) -> BeautifulSoup:
    """Parsed once per session; treat the result as read-only."""
    if file not in _parsed:
        _parsed[file] = BeautifulSoup(file.read_text(encoding="utf-8"), "lxml")
    return _parsed[file]


def build_into(output: Path, settings: str = "pelicanconf.py", **overrides):
    return site_build.build(str(ROOT / settings), str(output), overrides)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> BuiltSite:
    """The sample site, development settings (root-relative links)."""
    output = tmp_path_factory.mktemp("site") / "output"
    build_into(output, PATH=str(ROOT / "content"))
    return BuiltSite(output)


@pytest.fixture(scope="session")
def production_site(tmp_path_factory) -> BuiltSite:
    """The sample site built with publishconf.py (absolute URLs, no drafts)."""
    output = tmp_path_factory.mktemp("production") / "output"
    build_into(output, "publishconf.py", PATH=str(ROOT / "content"))
    from publishconf import SITEURL

    return BuiltSite(output, SITEURL)


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A private copy of content/ that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


@pytest.fixture
def project_copy(content_copy) -> Path:
    """The project as staff have it, with a private content/ folder: tasks.py
    and the settings copied, plugins/ and theme/ linked."""
    root = content_copy.parent
    for name in ("tasks.py", "pelicanconf.py", "publishconf.py"):
        (root / name).write_bytes((ROOT / name).read_bytes())
    (ROOT / ".cache").mkdir(exist_ok=True)  # resized images are shared by hash
    for name in ("plugins", "theme", "deploy", ".cache"):
        os.symlink(ROOT / name, root / name)
    return root


def settings_for(
    content: Path,
    settings: str = "pelicanconf.py",
    theme: Path = ROOT / "theme",
    extra: str = "",
) -> Path:
    """A small settings file beside ``content`` that points PATH at it (and
    THEME at ``theme``), imports everything else from the project's own
    ``settings`` and ends with the ``extra`` lines."""
    settings_file = content.parent / "test_settings.py"
    text = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"from {Path(settings).stem} import *  # noqa\n"
        f"PATH = {str(content)!r}\n"
        f"THEME = {str(theme)!r}\n"
        f"PLUGIN_PATHS = [{str(PLUGINS)!r}]\n" + extra
    )
    # Written only when it changes, as staff would: a new file is a change of
    # the project, and the next build would not find it unchanged.
    if not settings_file.exists() or settings_file.read_text("utf-8") != text:
        settings_file.write_text(text, encoding="utf-8")
    return settings_file


def run_build_cli(
    content: Path,
    output: Path,
    settings: str = "pelicanconf.py",
    environment: dict | None = None,
    **options,
):
    """Run the real build command (as `invoke build` does) on other content,
    with the settings of :func:`settings_for` (``options``: theme, extra)
    and ``environment`` added to this process's."""
    settings_file = settings_for(content, settings, **options)
    return subprocess.run(
        [sys.executable, "-m", "site_build", str(settings_file), str(output)],
        cwd=content.parent,
        env={**os.environ, "PYTHONPATH": str(PLUGINS), **(environment or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def previous_output(tmp_path) -> Path:
    """An output folder from an earlier, good build (see support.assert_kept)."""
    from support import PREVIOUS_SITE

    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text(PREVIOUS_SITE, encoding="utf-8")
    return output
