"""Problems: what a build found wrong, each one line that staff can act on.

Plugins report problems with :func:`report` instead of raising on the first
one, so a member of staff sees all that is wrong in one run. Each problem is
printed as one line::

    content/news/x.md:3: date: '2026-13-01' is not a date: use YYYY-MM-DD HH:MM

The problems of a build live in its session (plugins/site_build): a problem
reported at any stage of the build (reading, writing, after the generators,
when it is finalised) fails it, and nothing is published.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    field: str
    message: str
    allowed: str = ""

    def sort_key(self) -> tuple:
        """By file, then line, then the problems of the whole file (no line),
        such as a missing field. (Plain tuple order would compare None with a
        line number and fail.)"""
        line = (self.line is None, self.line or 0)
        return (self.path, line, self.field, self.message, self.allowed)

    def __str__(self) -> str:
        # A file name may hold a line break or a terminal's escape codes.
        path = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in self.path)
        where = f"{path}:{self.line}" if self.line else path
        text = f"{where}: {self.field}: {self.message}"
        if self.allowed:
            text += f": {self.allowed}"
        return text


class BuildFailed(Exception):
    """The build has problems; ``problems`` holds all of them, sorted."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=Problem.sort_key)
        count = len(self.problems)
        lines = "\n".join(str(p) for p in self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"The build found {count} {noun}:\n{lines}")


class Problems:
    """The problems of one build (or of one check outside a build), with the
    folder their paths are shown relative to."""

    def __init__(self, root: str | None = None):
        self.root = os.path.abspath(root or os.getcwd())
        self.found: list[Problem] = []

    def display_path(self, path: str) -> str:
        """A path as staff know it: relative to the project folder when
        inside it."""
        absolute = os.path.abspath(path)
        try:
            relative = os.path.relpath(absolute, self.root)
        except ValueError:  # another drive on Windows
            return absolute
        return absolute if relative.startswith("..") else relative

    def report(self, path, line, field, message, allowed="") -> None:
        self.found.append(
            Problem(self.display_path(str(path)), line, field, message, allowed)
        )

    def __len__(self) -> int:
        return len(self.found)

    def __iter__(self):
        return iter(list(self.found))


def _problems() -> Problems:
    import site_build  # the session holds them (imported late: no cycle)

    return site_build.session().problems


def report(path, line, field, message, allowed="") -> None:
    """Record one problem of the build in progress; the run goes on so that
    every problem is found."""
    _problems().report(path, line, field, message, allowed)


def advise(path, line, field, message, allowed="") -> None:
    """Record advice: something the build publishes as written, but worth
    mending (`invoke check` lists it; it fails nothing)."""
    import site_build

    site_build.session().advice.report(path, line, field, message, allowed)


def problems() -> list[Problem]:
    """The problems of the build in progress so far."""
    return list(_problems())


def display_path(path: str) -> str:
    return _problems().display_path(path)
