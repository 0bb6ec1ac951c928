"""Ready the served app before gunicorn's workers fork: the archive's listing read once, in the master.

A front page lists the whole archive: every source's front matter and every article
catalog's state. A worker that starts without them reads them on its first front page —
over ten thousand articles, seconds, in every worker. ``l10n serve`` has gunicorn load the
app in its master (``--preload``) and calls :func:`warm` there: the files are read once,
spread over the CPUs, and each worker starts with the listing already made (shared
copy-on-write). A server that may write remembers what it read in ``INSTANCE_DIR``
(``sources.json``, ``statistics.json``) for its next start; a reader replica writes nothing.
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
