"""The build driver: runs Pelican into a staging folder and publishes it into
the output folder only when the build succeeded, so a failed build never
leaves a broken or half-written site. Every problem of the run is reported at
once.

Publishing copies only what changed: a file whose bytes are the same as the
one already in output/ is left alone (it keeps its date, so browsers and
caches keep their copy), new and changed files are written, and files the
build no longer makes are removed. Creating files is the slow part of a build
on many disks; a rebuild of an unchanged site writes nothing. The staging
folder lives in memory (/dev/shm) when the machine has one with room, else
beside the output folder.

Not a Pelican plugin: tasks.py and the tests call :func:`build`.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import shutil
import stat
import sys
import time
from dataclasses import dataclass

from pelican import Pelican
from pelican.settings import read_settings

import build_errors
from build_errors import BuildFailed, Problem

# Where staging folders go when the machine has memory-backed storage, and
# the room it must have left (a build of 2,000 members is about 60 MB).
MEMORY_FOLDER = "/dev/shm"
MEMORY_FOLDER_MINIMUM = 1 << 30
# The environment variable that names another folder for staging.
STAGING_VARIABLE = "SITE_BUILD_STAGING"
# Allocations between collections of young objects during a build (Python's
# default is 700).
GC_THRESHOLD = 100_000


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
    written: int  # files new or changed in the output folder


def load_settings(settings_file: str, overrides: dict | None = None) -> dict:
    return read_settings(settings_file, override=overrides or {})


class Build:
    """The build in progress, for plugins that write incrementally: they may
    ``keep`` files of the previous output they would write unchanged (so the
    file is neither made again nor removed) and be told when the new output
    is in place (``after_publish``). Plugins see it through :func:`current`;
    it is None when Pelican runs on its own, and then nothing may be kept."""

    def __init__(self, output: str):
        self.output = output  # the folder being replaced, absolute
        self.kept: set[str] = set()
        self.callbacks: list = []

    def keep(self, relative: str) -> None:
        """Keep output/<relative> (a path with '/') as it is."""
        self.kept.add(relative.replace("/", os.sep))

    def after_publish(self, callback) -> None:
        """Call ``callback(output)`` once the build is published."""
        self.callbacks.append(callback)


_current: Build | None = None


def current() -> Build | None:
    return _current


@dataclass
class Published:
    """What publishing changed in the output folder."""

    files: int  # in the site
    written: int  # new or changed
    removed: int  # files and folders no longer built


def staging_folder(output: str) -> str:
    """The staging folder of a build into ``output`` (an absolute path): in
    memory when there is room, else beside the output. Named after the output
    folder, so two builds into different folders never share one."""
    folder = os.environ.get(STAGING_VARIABLE) or ""
    if (
        not folder
        and os.path.isdir(MEMORY_FOLDER)
        and os.access(MEMORY_FOLDER, os.W_OK)
    ):
        space = os.statvfs(MEMORY_FOLDER)
        if space.f_bavail * space.f_frsize >= MEMORY_FOLDER_MINIMUM:
            folder = MEMORY_FOLDER
    name = os.path.basename(output.rstrip("/\\")) or "output"
    if not folder:
        return output.rstrip("/\\") + ".staging"
    digest = hashlib.sha256(output.encode("utf-8")).hexdigest()[:16]
    return os.path.join(folder, f"site-build-{name}-{digest}.staging")


def _same_file(source: str, target: str, size: int) -> bool:
    try:
        status = os.stat(target)
    except OSError:
        return False
    if not stat.S_ISREG(status.st_mode) or status.st_size != size:
        return False
    with open(source, "rb") as new, open(target, "rb") as old:
        while True:
            chunk = new.read(1 << 20)
            if chunk != old.read(1 << 20):
                return False
            if not chunk:
                return True


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


def _put(source: str, target: str, same_device: bool) -> None:
    """Replace ``target`` by ``source`` at once (readers of the old file see
    it whole until the new one is in place)."""
    if os.path.isdir(target) and not os.path.islink(target):
        shutil.rmtree(target)
    if same_device:
        os.replace(source, target)
        return
    partial = target + ".publishing"
    shutil.copyfile(source, partial)
    os.replace(partial, target)


def publish(staging: str, output: str, keep: set[str] = frozenset()) -> Published:
    """Make ``output`` hold exactly what ``staging`` holds, writing only the
    files that differ, and the files ``keep`` names (relative paths) as they
    are; ``staging`` is used up."""
    if not os.path.isdir(output):
        _remove(output)
        os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
        try:
            os.rename(staging, output)
        except OSError:  # another device: copied below
            os.makedirs(output)
        else:
            files = sum(len(names) for _root, _dirs, names in os.walk(output))
            return Published(files, files, 0)
    same_device = os.stat(staging).st_dev == os.stat(output).st_dev
    built: set[str] = {os.path.normpath(path) for path in keep}
    for path in list(built):
        while (path := os.path.dirname(path)) and path not in built:
            built.add(path)
    staged: set[str] = set()
    written = removed = 0
    for folder, dirs, names in os.walk(staging):
        relative = os.path.relpath(folder, staging)
        target_folder = output if relative == "." else os.path.join(output, relative)
        for name in dirs:
            built.add(os.path.normpath(os.path.join(relative, name)))
            target = os.path.join(target_folder, name)
            if not os.path.isdir(target) or os.path.islink(target):
                _remove(target)
                os.mkdir(target)
        for name in names:
            staged.add(os.path.normpath(os.path.join(relative, name)))
            source, target = (
                os.path.join(folder, name),
                os.path.join(target_folder, name),
            )
            if not _same_file(source, target, os.path.getsize(source)):
                _put(source, target, same_device)
                written += 1
    built |= staged
    files = len(staged | {os.path.normpath(path) for path in keep})
    for folder, dirs, names in os.walk(output):
        relative = os.path.relpath(folder, output)
        for name in list(dirs):
            if os.path.normpath(os.path.join(relative, name)) not in built:
                shutil.rmtree(os.path.join(folder, name))
                dirs.remove(name)
                removed += 1
        for name in names:
            if os.path.normpath(os.path.join(relative, name)) not in built:
                os.remove(os.path.join(folder, name))
                removed += 1
    shutil.rmtree(staging, ignore_errors=True)
    return Published(files, written, removed)


def build(
    settings_file: str = "pelicanconf.py",
    output: str = "output",
    overrides: dict | None = None,
) -> BuildResult:
    """Build the site into ``output``; raise BuildFailed with every problem."""
    started = time.perf_counter()
    output = os.path.abspath(output)
    global _current
    staging = staging_folder(output)
    if os.path.exists(staging):
        shutil.rmtree(staging)
    settings = load_settings(
        settings_file, {**(overrides or {}), "OUTPUT_PATH": staging}
    )
    recorder = _Recorder()
    pelican_logger = logging.getLogger("pelican")
    pelican_logger.addHandler(recorder)
    problems: list[Problem] = []
    _current = this_build = Build(output)
    # A build makes a few hundred thousand objects that live until it ends
    # (pages, templates, thousands of members): Python's default collector
    # would walk them all again and again. Collect young objects less often.
    thresholds = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    try:
        Pelican(settings).run()
    except BuildFailed as failed:
        problems.extend(failed.problems)
    except Exception as error:  # a template or plugin error: report, don't crash
        problems.append(
            Problem("build", None, type(error).__name__, str(error).strip() or "failed")
        )
    finally:
        gc.set_threshold(*thresholds)
        pelican_logger.removeHandler(recorder)
        build_errors.reset()
        _current = None
    for record in recorder.records:
        problems.append(
            Problem("pelican", None, record.levelname.lower(), record.getMessage())
        )
    if problems:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(problems)
    kept = this_build.kept
    gone = sorted(
        path
        for path in kept
        if not os.path.exists(os.path.join(output, path))
        and not os.path.exists(os.path.join(staging, path))
    )
    if gone:  # removed from output/ while the build ran
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(
            [
                Problem(
                    os.path.join(output, gone[0]),
                    None,
                    "output",
                    f"{len(gone)} files of the previous build went missing "
                    "while this one ran",
                    "build again",
                )
            ]
        )
    try:
        published = publish(staging, output, kept)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for callback in this_build.callbacks:
        try:
            callback(output)
        except Exception as error:  # a cache not updated: more work next time
            print(f"warning: after publishing: {error!r}", file=sys.stderr)
    return BuildResult(
        output, time.perf_counter() - started, published.files, published.written
    )


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
        f"({result.written} new or changed) in {result.seconds:.1f} s with "
        f"{settings_file}."
    )
    return 0
