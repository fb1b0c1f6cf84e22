"""Work shared between the build process and one helper process.

A build runs in one process, so on a machine with two cores one of them idles.
:class:`SharedWork` forks a helper that starts taking items from a list at
once, while the build goes on with other things; when the build needs the
results it takes items too, and each item is done by whichever process takes
it first (a counter in shared memory). The helper hands its results back
through a pipe and exits.

What an item does in the helper must come back as data: its result, the
problems it reported to build_errors and the warnings it logged are all
returned and replayed in the build process when the results are collected
(problems in item order, with those of the build process's own items). An
item the helper did not finish (it crashed, was killed) is done again in the
build process, so a helper can only make a build faster, never different.

Without fork (Windows, macOS's spawn-only setups), on one core, or with
SITE_BUILD_WORKERS=1 in the environment, everything runs in the build process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
import signal
import traceback
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import build_errors

log = logging.getLogger(__name__)

WORKERS_VARIABLE = "SITE_BUILD_WORKERS"


def helper_wanted() -> bool:
    """Whether a helper process would make things faster here."""
    if not hasattr(os, "fork") or "fork" not in multiprocessing.get_all_start_methods():
        return False
    setting = os.environ.get(WORKERS_VARIABLE, "").strip()
    if setting:
        return setting.isdigit() and int(setting) > 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return cores > 1


@dataclass
class Outcome:
    """One item's result and what it reported on the way."""

    value: Any = None
    problems: list = field(default_factory=list)
    warnings: list[tuple[str, int, str]] = field(default_factory=list)
    error: str | None = None  # an exception, as text, from the helper


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record):
        self.records.append((record.name, record.levelno, record.getMessage()))


def _run(work: Callable[[Any], Any], item: Any, in_helper: bool) -> Outcome:
    """Do one item, keeping the problems it reports (to be reported in item
    order) and, in the helper, the warnings it logs (to be logged again in
    the build process; the build process's own go out as they happen)."""
    before = len(build_errors._problems)
    handler = _Warnings()
    root = logging.getLogger()
    if in_helper:
        root.addHandler(handler)
    outcome = Outcome()
    try:
        outcome.value = work(item)
    except Exception as error:
        if not in_helper:
            raise
        outcome.error = "".join(traceback.format_exception_only(error)).strip()
    finally:
        root.removeHandler(handler)
        outcome.problems = build_errors._problems[before:]
        del build_errors._problems[before:]
        outcome.warnings = handler.records
    return outcome


class SharedWork:
    """``work(item)`` for every item, by this process and a forked helper."""

    def __init__(self, items: Sequence, work: Callable[[Any], Any], name: str):
        self.items = list(items)
        self.work = work
        self.name = name
        self.outcomes: dict[int, Outcome] = {}
        self._next = None
        self._pid = None
        self._pipe = None

    def start(self) -> SharedWork:
        """Fork the helper, which starts on the items at once."""
        if len(self.items) < 2 or not helper_wanted():
            return self
        self._next = multiprocessing.get_context("fork").Value("l", 0)
        reader, writer = os.pipe()
        try:
            pid = os.fork()
        except OSError as error:
            log.info("%s: no helper process (%s); working alone", self.name, error)
            os.close(reader)
            os.close(writer)
            self._next = None
            return self
        if pid == 0:  # the helper
            os.close(reader)
            status = 0
            try:
                done = {}
                for index in self._take():
                    done[index] = _run(self.work, self.items[index], in_helper=True)
                with os.fdopen(writer, "wb") as pipe:
                    pickle.dump(done, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                status = 1
            finally:
                os._exit(status)
        os.close(writer)
        self._pid, self._pipe = pid, reader
        # A build that fails before finish() leaves no helper behind.
        self._stop = weakref.finalize(self, _stop_helper, pid, reader)
        return self

    def _take(self):
        """The indexes of the items this process takes, one at a time."""
        if self._next is None:
            yield from range(len(self.items))
            return
        while True:
            with self._next.get_lock():
                index = self._next.value
                self._next.value += 1
            if index >= len(self.items):
                return
            yield index

    def finish(self) -> list:
        """Take the items left, collect the helper's, replay what every item
        reported, and return the results in item order."""
        try:
            for index in self._take():
                self.outcomes[index] = _run(
                    self.work, self.items[index], in_helper=False
                )
        except BaseException:
            self.stop()
            raise
        if self._pid is not None:
            self._collect_helper()
        for index in range(len(self.items)):  # anything the helper left undone
            if index not in self.outcomes:
                self.outcomes[index] = _run(
                    self.work, self.items[index], in_helper=False
                )
        results = []
        for index in range(len(self.items)):
            outcome = self.outcomes[index]
            for name, level, message in outcome.warnings:
                logging.getLogger(name).log(level, "%s", message)
            build_errors._problems.extend(outcome.problems)
            if outcome.error is not None:
                raise RuntimeError(f"{self.name}: {outcome.error}")
            results.append(outcome.value)
        return results

    def stop(self) -> None:
        """Stop the helper (the build failed): nothing it does is wanted."""
        if self._pid is not None:
            self._stop()
            self._pid = self._pipe = None

    def _collect_helper(self) -> None:
        self._stop.detach()
        with os.fdopen(self._pipe, "rb") as pipe:
            data = pipe.read()
        _pid, status = os.waitpid(self._pid, 0)
        self._pid = self._pipe = None
        if not data or os.waitstatus_to_exitcode(status) != 0:
            log.info("%s: the helper process stopped early; finishing alone", self.name)
            return
        try:
            done = pickle.loads(data)
        except Exception:
            return
        self.outcomes.update(done)


def _stop_helper(pid: int, pipe: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    with contextlib.suppress(OSError):
        os.close(pipe)
