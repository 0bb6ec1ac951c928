"""The archive read once at start, beside gunicorn's workers, instead of by each of them.

A front page lists the whole archive: every source's front matter and every article
catalog's state, remembered in ``INSTANCE_DIR`` (``sources.json``, ``statistics.json``).
On a first start nothing is remembered, and every worker read ten thousand sources and
catalogs on its first front page. ``l10n serve`` now forks one process before gunicorn
starts (:func:`read_in_background`): it reads what the files lack, spread over the CPUs at
batch priority, and remembers it. Other pages are served meanwhile; whatever first needs
the remembered files (a front page, a feed, the dashboard, an ``l10n coverage`` run
meanwhile) waits (:func:`wait_for_reading`) and then recalls what was read. The wait is a shared ``flock`` on
the reader's lock file: the lock goes with the process, so a reader that dies frees it. A
wait longer than :data:`MAX_WAIT` seconds (a reader starved of CPU) gives up: the waiter
then reads what it needs itself, before gunicorn's timeout would kill its worker.
"""
from __future__ import annotations

import fcntl
import logging
import os
import sys
import time
import traceback
from pathlib import Path

from .figures import FiguresIndex
from .sources import SourceStore

logger = logging.getLogger(__name__)

#: Longest wait, in seconds, for the start's reader (gunicorn kills a worker silent for 30 s by default).
MAX_WAIT = 20.0
#: How often, in seconds, a waiter looks whether the reader is done.
POLL_EVERY = 0.01

#: The lock the start's reader holds while it reads (in the lock folder, beside the catalogs' language folders).
LOCK_NAME = "archive-reading.lock"

_reader = False  # True in the reader itself: it must not wait for its own lock


def read_in_background(sources: SourceStore, figures: FiguresIndex, lock_dir: Path, processes: int,
                       niceness: int = 0) -> int:
    """Fork a process that reads and remembers every source and article catalog not remembered yet; return its pid.

    The lock is taken here, before the fork, so whoever starts after this returns finds it
    held until the reading is done. The process says on standard error what it read.
    """
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / LOCK_NAME, "ab") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        pid = os.fork()
        if pid == 0:  # the reader: the lock is its copy of the open file, freed when it exits
            global _reader
            _reader = True
            status = 1
            try:
                os.nice(niceness)
                began = time.monotonic()
                read = sources.read_all(processes), figures.read_all(processes)
                if any(read):
                    sys.stderr.write(f"read {read[0]:,} article sources and {read[1]:,} catalogs in "
                                     f"{time.monotonic() - began:.1f} s (remembered for the next start)\n")
                    sys.stderr.flush()
                status = 0
            except BaseException:  # said, since nobody else will: the workers read for themselves
                traceback.print_exc()
            finally:
                os._exit(status)  # not the parent's clean-up: it goes on to become the server
    return pid


def wait_for_reading(lock_dir: Path, max_wait: float = MAX_WAIT) -> None:
    """Wait while a start's reader is reading the archive: at once when none is, at most ``max_wait`` seconds."""
    if _reader:
        return
    try:
        lock = open(lock_dir / LOCK_NAME, "rb")
    except OSError:  # no reader ever started here (or no instance folder at all): nothing to wait for
        return
    deadline = time.monotonic() + max_wait
    with lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)  # freed when the file is closed
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    logger.warning("the start's reader is still reading the archive after %.0f s: "
                                   "this process reads what it needs itself", max_wait)
                    return
                time.sleep(POLL_EVERY)
