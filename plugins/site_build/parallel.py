"""Work shared between the build process and one forked helper process, so a
build uses both cores of a two-core machine where it pays: checking and
converting the content files the cache does not hold, share images, link
judgements, and making pages, feeds and calendars (``Session.flush``).

:func:`shared_map` forks a helper that takes items from the list one at a
time (a counter in shared memory) while the build process does the same;
each item is done by whichever process takes it first. The helper hands its
results back through a pipe and exits.

What an item does in the helper comes back as data: its result, the
problems it reported and the warnings it logged are returned and replayed in
the build process in item order. An item the helper did not finish (it
raised, crashed, was killed) is done again in the build process, so a
helper can only make a build faster, never different: an error too is
raised by the build process, as it would be without a helper. A helper
that says nothing for HELPER_GRACE seconds after the build took the last
item is stopped, and its items are done the same way. Files the work
writes go straight to the release folder, which both processes share.

Threads may work beside the build (the image service decodes and encodes
pictures while pages are read and rendered). Their work runs inside
``FORK_GATE.working()``, and the helper is forked inside
``FORK_GATE.closed()``, which waits for the work in progress and holds new
work back until the fork is done: a fork never copies a lock that a thread
was holding inside a library into the helper.

Without fork (Windows), on one core, with fewer than ``minimum`` items, or
with SITE_BUILD_WORKERS=1 in the environment, everything runs in the build
process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

WORKERS_VARIABLE = "SITE_BUILD_WORKERS"
# How long the build waits for a helper that says nothing once the build has
# taken the last item (an item takes milliseconds to seconds; a text's
# conversion is stopped after ten).
HELPER_GRACE = 60


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


class ForkGate:
    """No thread's work in progress while the process forks (see above)."""

    def __init__(self):
        self._state = threading.Condition()
        self._working = 0
        self._closed = False

    @contextlib.contextmanager
    def working(self):
        with self._state:
            self._state.wait_for(lambda: not self._closed)
            self._working += 1
        try:
            yield
        finally:
            with self._state:
                self._working -= 1
                self._state.notify_all()

    @contextlib.contextmanager
    def closed(self):
        # The gate's lock is held across the fork: a thread holding it at
        # that moment (coming to the gate) would leave it locked for ever
        # in the forked process, which needs it to open the gate again.
        with self._state:
            self._closed = True
            self._state.wait_for(lambda: not self._working)
            try:
                yield
            finally:
                self._closed = False
                self._state.notify_all()


FORK_GATE = ForkGate()


def beside(work: Callable[[], None]) -> Callable[[], None] | None:
    """Start ``work()`` in a forked process of its own, beside the build, for
    work that only changes files (its result and errors are not seen: the
    build must not depend on it); what it returns waits for the process.
    None, with nothing started, where no helper is wanted (see
    :func:`helper_wanted`)."""
    if not helper_wanted():
        return None
    try:
        with FORK_GATE.closed():
            pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the helper
        try:
            work()
        finally:
            os._exit(0)

    def wait() -> None:  # a helper stuck for HELPER_GRACE seconds is stopped
        deadline = time.monotonic() + HELPER_GRACE
        with contextlib.suppress(ChildProcessError):
            while not os.waitpid(pid, os.WNOHANG)[0]:
                if time.monotonic() > deadline:
                    _stop(pid, None)
                    return
                time.sleep(0.005)

    return wait


@dataclass
class Outcome:
    """One item's result and what it reported on the way."""

    value: Any = None
    problems: list = field(default_factory=list)
    warnings: list[tuple[str, int, str]] = field(default_factory=list)


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record):
        self.records.append((record.name, record.levelno, record.getMessage()))


def _run(work: Callable[[Any], Any], item: Any, found: list, in_helper: bool):
    """Do one item, keeping the problems it adds to ``found`` (replayed in
    item order) and, in the helper, the warnings it logs. An exception in
    the helper leaves the item undone (None): the build process does it
    again. In the build process it is raised, with the problems the item
    reported left in ``found``."""
    before = len(found)
    handler = _Warnings()
    root = logging.getLogger()
    if in_helper:
        root.addHandler(handler)
    try:
        value = work(item)
    except Exception:
        if not in_helper:
            raise
        del found[before:]
        return None
    finally:
        root.removeHandler(handler)
    outcome = Outcome(value, found[before:], handler.records)
    del found[before:]
    return outcome


def shared_map(
    items: Sequence,
    work: Callable[[Any], Any],
    found: list,
    name: str,
    minimum: int = 2,
) -> list:
    """``[work(item) for item in items]``, done by this process and a forked
    helper. ``found`` is the list problems are reported into (the session's):
    what each item adds to it is kept in item order."""
    items = list(items)
    if len(items) < minimum or not helper_wanted():
        return [work(item) for item in items]
    counter = multiprocessing.get_context("fork").Value("l", 0)
    build = os.getpid()

    def take():
        # The helper stops when the build is gone (killed): it would only
        # hold the build's lock and keep the next build waiting.
        while os.getpid() == build or os.getppid() == build:
            with counter.get_lock():
                index = counter.value
                counter.value += 1
            if index >= len(items):
                return
            yield index

    reader, writer = os.pipe()
    try:
        with FORK_GATE.closed():
            pid = os.fork()
    except OSError as error:
        log.info("%s: no helper process (%s); working alone", name, error)
        os.close(reader)
        os.close(writer)
        return [work(item) for item in items]
    if pid == 0:  # the helper
        os.close(reader)
        status = 0
        try:
            done = {}
            for index in take():
                done[index] = _run(work, items[index], found, in_helper=True)
                if done[index] is None:  # raised: the build does the rest
                    break
            with os.fdopen(writer, "wb") as pipe:
                pickle.dump(done, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(writer)
    outcomes: dict[int, Outcome] = {}
    failed = None  # (index, exception, its problems), raised in item order
    try:
        for index in take():
            mark = len(found)
            try:
                outcomes[index] = _run(work, items[index], found, in_helper=False)
            except Exception as error:
                failed = (index, error, found[mark:])
                del found[mark:]
                with counter.get_lock():
                    counter.value = len(items)  # the helper takes no more
                break
    except BaseException:
        _stop(pid, reader)
        raise
    outcomes = {**_collect(pid, reader, name), **outcomes}
    results = []
    for index, item in enumerate(items):
        if failed and failed[0] == index:  # what came before is replayed
            found.extend(failed[2])
            raise failed[1]
        outcome = outcomes.get(index)
        if outcome is None:  # the helper left it undone, or raised
            outcome = _run(work, item, found, in_helper=False)
        for logger, level, message in outcome.warnings:
            logging.getLogger(logger).log(level, "%s", message)
        found.extend(outcome.problems)
        results.append(outcome.value)
    return results


def _collect(pid: int, pipe: int, name: str) -> dict[int, Outcome]:
    """The helper's outcomes, once the build has no item left to take: the
    helper has one at most still in hand. A helper silent for HELPER_GRACE
    seconds is stuck (a lock it was forked with, say): it is stopped and
    the build does its items."""
    chunks = []
    with os.fdopen(pipe, "rb") as handle:
        while True:
            ready, _, _ = select.select([handle], [], [], HELPER_GRACE)
            if not ready:
                log.info("%s: the helper process hangs; finishing alone", name)
                _stop(pid, None)
                return {}
            chunk = os.read(handle.fileno(), 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    data = b"".join(chunks)
    _pid, status = os.waitpid(pid, 0)
    if not data or os.waitstatus_to_exitcode(status) != 0:
        log.info("%s: the helper process stopped early; finishing alone", name)
        return {}
    try:
        return pickle.loads(data)
    except Exception:
        return {}


def _stop(pid: int, pipe: int | None) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if pipe is not None:
        with contextlib.suppress(OSError):
            os.close(pipe)
