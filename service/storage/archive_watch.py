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
folder, and ``revalidate_every`` for an in-place rewrite. A folder whose mtime moved (or may
still move) is listed again alone: another worker's save in one language's catalogs costs a
listing of that folder, not of the whole archive. :attr:`ArchiveWatch.fingerprint`
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

from ..domain.articles import ArticleInfo
from ..domain.names import MESSAGES_DOMAIN
from ..domain.variant_state import PUBLISHED_STATES
from .figures import FiguresIndex
from .file_cache import SETTLE_SECONDS, FileIdentity
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
        # What the stores returned at the last scan: the sources by date, each language's states.
        self._seen: tuple[list[ArticleInfo], dict[str, dict[str, str | None]]] | None = None
        self._parts: list[tuple[object, bytes]] = []  # each folder's listing at the last scan, and its digest
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
            folders: set[int] | None = None  # every folder: a write of this process's store names none
            if (writes == self._writes and self._mtimes is not None and len(mtimes) == len(self._mtimes)
                    and now - self._scanned < self.revalidate_every):
                folders = {index for index, (new, old) in enumerate(zip(mtimes, self._mtimes))
                           if new != old or _settling(new)}
                folders |= self._listed_elsewhere()
                if not folders:
                    return self.fingerprint
            self._writes = writes
            self._mtimes = mtimes
            if folders is None:
                self._scanned = now
            self._scan(folders)
        return self.fingerprint

    def _store_listings(self) -> list[dict[str, tuple[str, FileIdentity]]]:
        """Return each folder's listing as its store last made it (sources first, then each language's catalogs)."""
        return [self.sources.folder_listing()] + [self.figures.catalog_listing(language) for language in self.languages]

    def _listed_elsewhere(self) -> set[int]:
        """Return the folders a store listed anew since the last scan, for another caller (a feed, an editor page).

        Such a listing may hold a change no folder mtime shows (a file rewritten in place):
        it must be in this scan's lists too, since the fingerprint is made from it.
        """
        return {index for index, listing in enumerate(self._store_listings())
                if index < len(self._parts) and listing is not self._parts[index][0]}

    def _folder_mtimes(self) -> tuple[int | None, ...]:
        found: list[int | None] = []
        for folder in self.folders():
            try:
                found.append(os.stat(folder).st_mtime_ns)
            except OSError:
                found.append(None)
        return tuple(found)

    def _scan(self, folders: set[int] | None = None) -> None:
        """List the folders (through the stores' own indexes): each language's published slugs, the fingerprint.

        ``folders``: the indexes (in :meth:`folders`) of the only folders to list again; the
        others' listings are taken from the last scan.
        """
        self.scans += 1
        last = self._seen
        # Each store returns the same list (or dict) as last time while nothing in its folder changed.
        if last is None or folders is None or 0 in folders:
            listing_by_date = self.sources.listing()
        else:
            listing_by_date = last[0]
        states = {language: self.figures.variant_states(language)
                  if last is None or folders is None or index in folders else last[1][language]
                  for index, language in enumerate(self.languages, start=1)}
        if last is not None and listing_by_date is last[0] and all(
                states[language] is last[1].get(language) for language in self.languages):
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
        parts = []
        for index, listing in enumerate(self._store_listings()):
            kept = self._parts[index] if index < len(self._parts) else None
            parts.append(kept if kept is not None and kept[0] is listing else (listing, _digest_of(listing)))
        self._parts = parts
        digest = hashlib.sha1(b"".join(part_digest for _listing, part_digest in parts))
        self._seen = (listing_by_date, states)
        self._published = published
        self._by_category = by_category
        self.fingerprint = digest.hexdigest()[:20]


def _settling(mtime: int | None) -> bool:
    """Tell whether a folder changed so recently that another change could share its mtime."""
    return mtime is not None and time.time_ns() - mtime < SETTLE_SECONDS * 1e9


def _digest_of(listing: dict[str, tuple[str, FileIdentity]]) -> bytes:
    """Return a digest of a folder's listing: its files' names and identities."""
    return hashlib.sha1(repr(sorted((slug, identity) for slug, (_path, identity) in listing.items())).encode()).digest()
