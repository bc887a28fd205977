"""Work done a step ahead in a second process, for bulk jobs that have a second core to use.

An import parses and validates each batch (Python, all CPU) and then writes it (mostly the
database's own work); a child process doing the first for the next batch while this one does
the second for the current batch keeps two cores busy instead of one.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def map_ahead(
    function: Callable[[T], R],
    items: Iterable[T],
    *,
    ahead: int = 2,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[R]:
    """`function(item)` for each item, in order, computed in one forked child process at most
    `ahead` items before the caller takes them (so memory stays bounded however many items
    come). The child is set up by `initializer(*initargs)`. `function`, its items and its
    results must pickle; an exception it raises is raised here, and a child that dies (killed
    for memory, say) raises BrokenProcessPool rather than leaving the caller waiting. Where
    processes cannot be forked, everything runs in this process."""
    if "fork" not in multiprocessing.get_all_start_methods():
        if initializer is not None:
            initializer(*initargs)
        yield from map(function, items)
        return
    child = ProcessPoolExecutor(
        1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_child,
        initargs=(os.getpid(), initializer, initargs),
    )
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(child.submit(function, item))
            if len(pending) > ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:  # also when the caller stops early: what it will not take is not computed
        child.shutdown(wait=True, cancel_futures=True)


def _start_child(parent: int, initializer: Callable[..., object] | None, initargs: tuple[Any, ...]) -> None:
    # Ctrl-C, or a SIGTERM sent to the process group, is the parent's to act on: it stops the
    # child when it is done with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # The child holds copies of its own pipes' ends, so it would wait for work forever once the
    # parent is gone (killed, say): on Linux the kernel ends it with its parent.
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)
    if initializer is not None:
        initializer(*initargs)


_PR_SET_PDEATHSIG = 1
