"""Ready a reader replica's app before gunicorn's workers fork: the archive's listing read once, in the master.

A front page lists the whole archive: every source's front matter and every article
catalog's state. A worker that starts without them reads them on its first front page —
over ten thousand articles, seconds, in every worker. A replica writes nothing, so it cannot
remember them in ``INSTANCE_DIR`` as a writing server's start does
(:mod:`service.storage.start_reading`): ``l10n serve --readers-only`` has gunicorn load the
app in its master (``--preload``) and calls :func:`warm` there. The files are read once,
spread over the CPUs, and each worker starts with the listing already made (shared
copy-on-write).
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from .extension import services
from .page_cache import pages

#: Told what is being read (``"sources"``, ``"catalogs"``); returns what to tell how many more are done.
Progress = Callable[[str], Callable[[int], None]]


def warm(app: Flask, processes: int = 1, progress: Progress | None = None) -> tuple[int, int]:
    """Read every source's front matter and every article catalog's figures, then list the archive as a front page would.

    Return how many sources and catalogs had to be read (neither remembered nor cached).
    """
    found = services(app)
    sources = found.sources.read_all(processes, progress("sources") if progress else None)
    catalogs = found.figures.read_all(processes, progress("catalogs") if progress else None)
    keys = pages(app).keys
    if keys is not None:
        keys.watch.current()  # the listing (and fingerprint) every worker's first front page would make
    return sources, catalogs
