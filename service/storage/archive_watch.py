"""The archive's listing per language, kept current without a folder scan per request.

A front page (and a category page) needs every source's front matter and every variant's state: with 10,000
articles that is a ``scandir`` of ``CONTENT_DIR`` and of each language's catalog folder.
:class:`ArchiveWatch` does that scan only when something may have changed:

- a write by this process's catalog store (the figures index counts them): at once;
- a file created, renamed or removed in one of those folders (an atomic save in another
  worker, ``l10n update``, ``git pull``, ``rsync``): the folders' mtimes are compared at
  most once every ``check_every`` seconds (default 1 s);
- a file rewritten in place from outside (an editor that does not rename): found by the
  full rescan every ``revalidate_every`` seconds (default 10 s).

So the staleness bound for outside writes is ``check_every`` for anything that touches a
folder, and ``revalidate_every`` for an in-place rewrite. :attr:`ArchiveWatch.fingerprint`
is a digest of what the listing is made of (names and file identities), the same in every
worker that sees the same files: front pages and category pages are cached and validated on it.
Each scan also sorts each language's list by the category the front matter names, so a
category page is a dictionary lookup, not another pass over the archive.
"""
from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..domain.names import MESSAGES_DOMAIN
from ..domain.variant_state import PUBLISHED_STATES
from .figures import FiguresIndex
from .file_cache import SETTLE_SECONDS
from .sources import SourceStore


class ArchiveWatch:
    """Which articles each language publishes (per category too), newest first, rescanned only when the folders may have changed."""

    def __init__(self, sources: SourceStore, figures: FiguresIndex, languages: list[str],
                 check_every: float = 1.0, revalidate_every: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.sources = sources
        self.figures = figures
        self.languages = list(languages)
        self.check_every = check_every
        self.revalidate_every = revalidate_every
        self._clock = clock
        self._lock = threading.Lock()
        self._checked = float("-inf")  # when the folders' mtimes were last compared
        self._scanned = float("-inf")  # when the folders were last listed
        self._mtimes: tuple[int | None, ...] | None = None
        self._writes = -1
        self._published: dict[str, list[str]] = {}
        self._by_category: dict[tuple[str, str], list[str]] = {}  # (language, category) → slugs
        self._seen: tuple[object, ...] | None = None  # what the stores returned at the last scan
        #: A digest of every source's and catalog's name and identity at the last scan.
        self.fingerprint = ""
        #: How many times the folders were listed (tests and benchmarks look).
        self.scans = 0

    def folders(self) -> list[Path]:
        """Return the folders whose listing makes the archive: the sources and each language's article catalogs."""
        layout = self.figures.layout
        return [self.sources.content_dir] + [layout.catalog(language, MESSAGES_DOMAIN).parent / "articles"
                                             for language in self.languages]

    def published(self, language: str) -> list[str]:
        """Return the slugs published in ``language`` (or written in it), newest first."""
        self.current()
        return self._published.get(language, [])

    def published_in_category(self, language: str, category: str) -> list[str]:
        """Return the slugs of ``category`` published in ``language`` (or written in it), newest first."""
        self.current()
        return self._by_category.get((language, category), [])

    def current(self) -> str:
        """Bring the listing up to date if something may have changed; return its fingerprint."""
        now = self._clock()
        writes = self.figures.writes
        if writes == self._writes and now - self._checked < self.check_every:
            return self.fingerprint
        with self._lock:
            self._checked = now
            mtimes = self._folder_mtimes()
            due = (writes != self._writes or mtimes != self._mtimes or self._settling(mtimes)
                   or now - self._scanned >= self.revalidate_every)
            if due:
                self._writes = writes
                self._mtimes = mtimes
                self._scanned = now
                self._scan()
        return self.fingerprint

    def _folder_mtimes(self) -> tuple[int | None, ...]:
        found: list[int | None] = []
        for folder in self.folders():
            try:
                found.append(os.stat(folder).st_mtime_ns)
            except OSError:
                found.append(None)
        return tuple(found)

    @staticmethod
    def _settling(mtimes: tuple[int | None, ...]) -> bool:
        """Tell whether a folder changed so recently that another change could share its mtime."""
        wall = time.time_ns()
        return any(mtime is not None and wall - mtime < SETTLE_SECONDS * 1e9 for mtime in mtimes)

    def _scan(self) -> None:
        """List the folders (through the stores' own indexes): each language's published slugs, the fingerprint."""
        self.scans += 1
        listing_by_date = self.sources.listing()  # the same list while no source changed
        states = {language: self.figures.variant_states(language) for language in self.languages}
        seen = (listing_by_date, *states.values())
        if self._seen is not None and all(new is old for new, old in zip(seen, self._seen)):
            return  # not one file changed: same listing, same fingerprint
        published: dict[str, list[str]] = {}
        by_category: dict[tuple[str, str], list[str]] = {}
        for language in self.languages:
            mine = states[language]
            listed = [info for info in listing_by_date
                      if info.source_language == language or mine.get(info.slug) in PUBLISHED_STATES]
            published[language] = [info.slug for info in listed]
            for info in listed:
                if info.category is not None:
                    by_category.setdefault((language, info.category), []).append(info.slug)
        digest = hashlib.sha1()
        for listing in [self.sources.folder_listing()] + [self.figures.catalog_listing(language)
                                                          for language in self.languages]:
            digest.update(repr(sorted((slug, identity) for slug, (_path, identity) in listing.items())).encode())
        self._seen = seen
        self._published = published
        self._by_category = by_category
        self.fingerprint = digest.hexdigest()[:20]
