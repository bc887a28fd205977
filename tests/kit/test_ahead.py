"""map_ahead: results in order, from a child process, never far ahead of the caller."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool

import pytest

from laneway.kit.ahead import map_ahead

_offset = 0


def _set_offset(offset: int) -> None:
    global _offset
    _offset = offset


def _work(item: int) -> tuple[int, int]:
    if item < 0:
        raise ValueError(f"negative item {item}")
    return item + _offset, os.getpid()


def test_results_come_in_order_from_a_child_set_up_by_the_initializer() -> None:
    results = list(map_ahead(_work, range(20), initializer=_set_offset, initargs=(1000,)))
    assert [value for value, _ in results] == list(range(1000, 1020))
    pids = {pid for _, pid in results}
    assert len(pids) == 1
    assert pids != {os.getpid()}
    assert _offset == 0, "the initializer ran in the child, not here"


def test_it_reads_at_most_ahead_items_past_what_was_taken() -> None:
    pulled = 0

    def items() -> Iterator[int]:
        nonlocal pulled
        for n in range(1000):
            pulled += 1
            yield n

    results = map_ahead(_work, items(), ahead=2)
    for taken in range(1, 6):
        next(results)
        assert pulled <= taken + 2
    results.close()  # stops the child: nothing more is read
    assert pulled <= 7


def test_an_exception_in_the_child_is_raised_to_the_caller_in_its_place() -> None:
    results = map_ahead(_work, [1, 2, -3, 4])
    assert next(results)[0] == 1
    assert next(results)[0] == 2
    with pytest.raises(ValueError, match="negative item -3"):
        next(results)


def _die_at_two(item: int) -> int:
    if item == 2:
        os._exit(9)  # as the kernel's OOM killer would end it: no exception, no goodbye
    return item


def test_a_child_that_dies_raises_broken_process_pool_instead_of_leaving_the_caller_waiting() -> None:
    def give_up(signum: int, frame: object) -> None:
        raise TimeoutError("map_ahead still waiting 30 s after its child died")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(30)
    try:
        results = map_ahead(_die_at_two, range(5))
        assert next(results) == 0
        assert next(results) == 1
        with pytest.raises(BrokenProcessPool):
            next(results)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


_ORPHAN = """
import os, sys, time
from laneway.kit.ahead import map_ahead

def slow(item):
    print(os.getpid(), flush=True)
    time.sleep(60)
    return item

for _ in map_ahead(slow, range(3)):
    pass
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the kernel ends the child with its parent on Linux"
)
def test_the_child_ends_when_its_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", _ORPHAN], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(child):
        assert time.monotonic() < deadline, f"child {child} still running 10 s after its parent was killed"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False
