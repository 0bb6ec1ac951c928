"""Read many files at once, spread over forked processes: a first start reads the whole archive.

Listing ten thousand articles takes every source's front matter and every catalog's figures;
read one by one that is seconds of one CPU. Forked readers start with what this process has
imported, so each only pays for its share of the files; results come back in order.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many files per process, forking costs more than it saves.
FILES_PER_PROCESS = 200


def available_cpus() -> int:
    """Count the CPUs this process may run on (its affinity, where the system tells it)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def read_all(read: Callable[[T], R], items: Sequence[T], processes: int,
             progress: Callable[[int], None] | None = None, *, per_process: int = FILES_PER_PROCESS,
             max_chunk: int = 256, initializer: Callable[..., None] | None = None,
             initargs: tuple[Any, ...] = ()) -> Iterator[R]:
    """Yield ``read(item)`` for every item, in order: here, or spread over up to ``processes`` forked processes.

    ``read`` must be a module-level function (it is sent to the readers by name) and its
    results picklable. ``progress`` is told how many more items are done, as they are. At
    most one process per ``per_process`` items; items go out in chunks of at most
    ``max_chunk``. ``initializer(*initargs)`` runs once in each process that reads (here too,
    when no process is forked): what every item shares is sent once, not with each item.
    """
    processes = min(processes, len(items) // per_process)
    if processes <= 1:
        if initializer is not None:
            initializer(*initargs)
        for item in items:
            result = read(item)
            if progress is not None:  # told before the yield: a caller's zip stops at the last item
                progress(1)
            yield result
        return
    chunk = max(1, min(max_chunk, len(items) // (processes * 8)))
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"), initializer=initializer,
                             initargs=initargs) as executor:
        for number, result in enumerate(executor.map(read, items, chunksize=chunk), 1):
            if progress is not None and (number % chunk == 0 or number == len(items)):
                progress(chunk if number % chunk == 0 else number % chunk)
            yield result
