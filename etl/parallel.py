"""Work spread over forked processes, one per core: reading a city's workbooks and
reports is most of its build, and each file stands alone; the rules after it are most of
the rest, and each ward's stand alone."""

from __future__ import annotations

import ctypes
import itertools
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

# Below this many items, starting the processes costs more than it saves.
PARALLEL_FROM = 16
_MOST_WORKERS = 4
_FORKED: tuple[Callable, list] | None = None


def forked_map(work: Callable, items: list) -> list:
    """`[work(item) for item in items]`, in order, by one forked process per core (four at
    most: a big host's cores would each hold a copy of what they change).  `work` must not
    raise: the result says what went wrong (an exception comes back pickled, and ours do
    not all survive that whole).

    Only from a process with no other thread (the command line): a forked child has just
    the thread that forked, and a server's other threads may hold locks it would wait on
    forever.  Elsewhere (a server's first build, one ward's submission), and for fewer than
    `PARALLEL_FROM` items, here, in turn.
    """
    workers = _workers(items)
    if workers < 2:
        return [work(item) for item in items]
    return _in_forks(work, items, workers, chunksize=max(1, len(items) // (4 * workers)))


def forked_shares(work: Callable[[list], object], items: list) -> list:
    """`work` on a few consecutive shares of `items` (two per worker, for balance), in
    order, by forked processes as `forked_map` (and, as there, `work` says what went wrong
    rather than raise: only a bug's exception comes back, pickled); on all of them at once
    where that would run here.  For work whose every call costs more than its items' share
    of it.  (One share a worker saved the city's rules about 0,3 s in-process, nothing
    measurable from the command line, and its workers peaked 40 MB higher.)"""
    workers = _workers(items)
    if workers < 2:
        return [work(items)]
    count = 2 * workers
    bounds = [len(items) * share // count for share in range(count + 1)]
    shares = [items[start:end] for start, end in itertools.pairwise(bounds) if end > start]
    return _in_forks(work, shares, workers, chunksize=1)


def _workers(items: list) -> int:
    """How many forked workers to share `items` among: under 2 means none (see forked_map)."""
    if len(items) < PARALLEL_FROM or threading.active_count() > 1:
        return 1
    return min(_cores(), len(items))


def _in_forks(work: Callable, items: list, workers: int, chunksize: int) -> list:
    global _FORKED
    # The workers find the work where the fork left it, not pickled once a task.
    _FORKED = (work, items)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_die_with, initargs=(os.getpid(),))
    try:
        return list(pool.map(_forked_item, range(len(items)), chunksize=chunksize))
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # Ctrl-C: not the rest of the queue
        raise
    finally:
        pool.shutdown(wait=True)
        _FORKED = None


def _cores() -> int:
    """The cores this process may use for forked workers (a container's share, not the
    host's), four at most; one where the death signal they rely on is not there (not Linux)."""
    if not sys.platform.startswith("linux"):
        return 1
    return min(len(os.sched_getaffinity(0)), _MOST_WORKERS)


def _forked_item(index: int):
    work, items = _FORKED
    return work(items[index])


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(build: int) -> None:
    """A worker ends with the build that forked it.  A build killed outright (kill -9, the
    OOM killer) left its workers waiting forever, and holding the writer lock, whose open
    file they share: no build or submission could run again."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != build:  # it died before the line above
        os._exit(1)
