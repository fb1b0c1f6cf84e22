"""Collects every content problem of a build run and fails the run at the end.

Plugins report problems with :func:`report` instead of raising on the first
one, so a member of staff sees all that is wrong in one run. Each problem is
printed as one line::

    content/news/x.md:3: date: '2026-13-01' is not a date: use YYYY-MM-DD HH:MM

After the generators have built their context (and again when the run ends)
the collected problems are raised as :class:`BuildFailed`, before anything is
written, and the build driver (plugins/site_build) turns that into a non-zero
exit with the previous output/ left untouched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from pelican import signals


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
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.field}: {self.message}"
        if self.allowed:
            text += f": {self.allowed}"
        return text


class BuildFailed(Exception):
    """The content has problems; ``problems`` holds all of them, sorted."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=Problem.sort_key)
        count = len(self.problems)
        lines = "\n".join(str(p) for p in self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"The build found {count} {noun}:\n{lines}")


_problems: list[Problem] = []
_root = os.getcwd()


def display_path(path: str) -> str:
    """A path as staff know it: relative to the project folder when inside it."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, _root)
    except ValueError:  # another drive on Windows
        return absolute
    return absolute if relative.startswith("..") else relative


def report(path, line, field, message, allowed=""):
    """Record one problem; the run goes on so that every problem is found."""
    _problems.append(Problem(display_path(str(path)), line, field, message, allowed))


def problems() -> list[Problem]:
    return list(_problems)


def reset(pelican=None) -> None:
    global _root
    _problems.clear()
    # Paths in messages are relative to the folder that holds the content, or
    # to the working folder outside a build (so no build leaves its folder
    # behind for the next caller).
    _root = (
        os.path.dirname(os.path.abspath(pelican.settings["PATH"]))
        if pelican is not None
        else os.getcwd()
    )


def raise_if_any(*_args, **_kwargs) -> None:
    if _problems:
        found = list(_problems)
        _problems.clear()
        raise BuildFailed(found)


def register():
    signals.initialized.connect(reset)
    signals.all_generators_finalized.connect(raise_if_any)
    signals.finalized.connect(raise_if_any)
