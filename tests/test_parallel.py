"""plugins/members/parallel.py: work shared with a forked helper process
gives the same results, problems and warnings as work done alone."""

from __future__ import annotations

import logging
import os
import time

import pytest

import build_errors
from members import parallel


@pytest.fixture(autouse=True)
def clean_problems():
    build_errors.reset()
    yield
    build_errors.reset()


def slow_square(number: int) -> tuple[int, int]:
    time.sleep(0.005)
    return number * number, os.getpid()


def test_results_come_back_in_order_from_both_processes(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    if not parallel.helper_wanted():
        pytest.skip("this platform cannot fork a helper")
    work = parallel.SharedWork(range(60), slow_square, "squares").start()
    results = work.finish()
    assert [square for square, _pid in results] == [n * n for n in range(60)]
    assert {pid for _square, pid in results} == {os.getpid(), work_pid(results)}


def work_pid(results) -> int:
    others = {pid for _square, pid in results if pid != os.getpid()}
    assert len(others) == 1, "the helper did none of the items"
    return others.pop()


def test_one_worker_means_no_helper(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    results = parallel.SharedWork(range(10), slow_square, "squares").start().finish()
    assert {pid for _square, pid in results} == {os.getpid()}


def report_odd(number: int) -> int:
    if number % 2:
        build_errors.report(f"content/members/m{number}.yaml", 3, "name", "is odd")
        logging.getLogger("pelican.test").warning("member %d is odd", number)
    time.sleep(0.002)
    return number


def test_problems_and_warnings_of_the_helper_reach_the_build(monkeypatch, caplog):
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    with caplog.at_level(logging.WARNING, logger="pelican.test"):
        parallel.SharedWork(range(40), report_odd, "odd").start().finish()
    lines = [p.path for p in build_errors.problems()]
    assert lines == [f"content/members/m{n}.yaml" for n in range(1, 40, 2)]
    warnings = [r.getMessage() for r in caplog.records if r.name == "pelican.test"]
    assert sorted(warnings) == sorted(f"member {n} is odd" for n in range(1, 40, 2))


def fail_on_seven(number: int) -> int:
    if number == 7:
        raise ValueError("seven is not allowed")
    return number


def test_an_error_in_an_item_fails_the_work(monkeypatch):
    for workers in ("1", "2"):
        monkeypatch.setenv(parallel.WORKERS_VARIABLE, workers)
        work = parallel.SharedWork(range(20), fail_on_seven, "numbers").start()
        with pytest.raises(Exception, match="seven is not allowed"):
            work.finish()


def die_in_helper(parent: int):
    def work(number: int) -> int:
        if os.getpid() != parent and number >= 5:
            os._exit(3)  # the helper is killed half-way
        time.sleep(0.002)
        return number

    return work


def test_items_a_dead_helper_left_are_done_by_the_build(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    work = parallel.SharedWork(range(30), die_in_helper(os.getpid()), "numbers")
    assert work.start().finish() == list(range(30))


def test_a_helper_of_a_failed_build_is_stopped(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    if not parallel.helper_wanted():
        pytest.skip("this platform cannot fork a helper")
    work = parallel.SharedWork(range(1000), slow_square, "squares").start()
    helper = work._pid
    work.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(helper, os.WNOHANG)  # gone and reaped
