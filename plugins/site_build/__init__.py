"""The build driver: runs Pelican into a staging folder and swaps it into the
output folder only when the build succeeded, so a failed build never leaves a
broken or half-written site. Every problem of the run is reported at once.

Not a Pelican plugin: tasks.py and the tests call :func:`build`.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass

from pelican import Pelican
from pelican.settings import read_settings

import build_errors
from build_errors import BuildFailed, Problem


class _Recorder(logging.Handler):
    """Keeps Pelican's own warnings and errors: on our site any of them means
    something is wrong (a broken {filename} link, a template error...)."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@dataclass
class BuildResult:
    output: str
    seconds: float
    files: int


def load_settings(settings_file: str, overrides: dict | None = None) -> dict:
    return read_settings(settings_file, override=overrides or {})


def _count_files(folder: str) -> int:
    return sum(len(files) for _root, _dirs, files in os.walk(folder))


def swap_in(staging: str, output: str) -> None:
    """Replace output/ by staging/ with two renames; the old one is removed
    only once the new one is in place."""
    previous = output.rstrip("/\\") + ".previous"
    if os.path.exists(previous):
        shutil.rmtree(previous)
    if os.path.exists(output):
        os.rename(output, previous)
    os.rename(staging, output)
    if os.path.exists(previous):
        shutil.rmtree(previous)


def build(
    settings_file: str = "pelicanconf.py",
    output: str = "output",
    overrides: dict | None = None,
) -> BuildResult:
    """Build the site into ``output``; raise BuildFailed with every problem."""
    started = time.perf_counter()
    output = os.path.abspath(output)
    staging = output.rstrip("/\\") + ".staging"
    if os.path.exists(staging):
        shutil.rmtree(staging)
    settings = load_settings(
        settings_file, {**(overrides or {}), "OUTPUT_PATH": staging}
    )
    recorder = _Recorder()
    pelican_logger = logging.getLogger("pelican")
    pelican_logger.addHandler(recorder)
    problems: list[Problem] = []
    try:
        Pelican(settings).run()
    except BuildFailed as failed:
        problems.extend(failed.problems)
    except Exception as error:  # a template or plugin error: report, don't crash
        problems.append(
            Problem("build", None, type(error).__name__, str(error).strip() or "failed")
        )
    finally:
        pelican_logger.removeHandler(recorder)
        build_errors.reset()
    for record in recorder.records:
        problems.append(
            Problem("pelican", None, record.levelname.lower(), record.getMessage())
        )
    if problems:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(problems)
    files = _count_files(staging)
    swap_in(staging, output)
    return BuildResult(output, time.perf_counter() - started, files)


def main(argv: list[str] | None = None) -> int:
    """`python -m site_build [settings] [output]`: what `invoke build` runs."""
    args = sys.argv[1:] if argv is None else argv
    settings_file = args[0] if args else "pelicanconf.py"
    output = args[1] if len(args) > 1 else "output"
    try:
        result = build(settings_file, output)
    except BuildFailed as failed:
        print(failed, file=sys.stderr)
        print(
            f"Nothing was published: {os.path.relpath(output)}/ is as it was.",
            file=sys.stderr,
        )
        return 1
    print(
        f"Built {result.files} files into {os.path.relpath(result.output)}/ "
        f"in {result.seconds:.1f} s with {settings_file}."
    )
    return 0
