"""The figures index: the statistics of every catalog and template, for coverage and the front page.

The catalog store tells the index about every write it makes (:meth:`FiguresIndex.written`,
with the figures of the text just written: no re-read). Files changed from outside — by
hand, by ``git pull`` — are caught by their identity (inode, size, mtime, ctime), checked
with one ``stat`` per file, so a warm call reads nothing. The figures are remembered in
``INSTANCE_DIR/statistics.json`` for the next process (:mod:`.remember_pace`).
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polib

from ..domain.coverage import catalog_state
from ..domain.names import (
    ARTICLES_PREFIX,
    MESSAGES_DOMAIN,
    SOURCE_LANGUAGE_HEADER,
    UI_SOURCE_LANGUAGE,
    CatalogKey,
    article_domain,
    is_valid_slug,
)
from ..domain.po_format import CatalogError, decode, parse_catalog
from ..domain.statistics import (
    CatalogStatistics,
    ScanError,
    scan_statistics,
    statistics_of,
)
from . import parallel_reads
from .figures_file import read_statistics_file, write_statistics_file
from .file_cache import (
    FileCache,
    FileIdentity,
    file_identity,
    identity_of,
    scan_by_slug,
)
from .layout import CatalogNotFound, Layout
from .remember_pace import RememberPace

logger = logging.getLogger(__name__)

#: Where, in the instance folder, the catalog figures are remembered for the next process.
STATISTICS_FILE_NAME = "statistics.json"


def load_statistics(path: Path, display_path: str | None = None) -> CatalogStatistics:
    """Compute a catalog's figures: the fast scanner, or the strict parser when it is unsure."""
    shown = display_path or str(path)
    data = path.read_bytes()
    try:
        return scan_statistics(decode(data, shown))
    except ScanError:
        return statistics_of(parse_catalog(data, shown))  # raises CatalogError with the line


def _read_figures(path: str) -> CatalogStatistics | None:
    """Compute the figures of the catalog at ``path``; ``None`` when it is broken (its error is told when it is asked for)."""
    try:
        return load_statistics(Path(path))
    except (CatalogError, OSError):
        return None


@dataclass(frozen=True)
class CatalogFigures:
    """The statistics of one (language, domain) that needs a catalog, or has one."""

    language: str
    domain: str
    statistics: CatalogStatistics | None  # None: no catalog yet (or a broken one, see error)
    template: CatalogStatistics | None  # None: no template (the source was removed)
    modified: datetime | None = None  # when the catalog file last changed
    error: str | None = None  # why the catalog or its template could not be read


class FiguresIndex:
    """The figures of every catalog and template of one ``LOCALES_DIR``, told of writes, checked by identity."""

    def __init__(self, layout: Layout, languages: list[str], statistics_file: Path,
                 max_statistics: int = 200_000, remember: bool = True,
                 before_recall: Callable[[], None] | None = None) -> None:
        self.layout = layout
        self.languages = list(languages)
        #: Where the figures are remembered for the next process (``INSTANCE_DIR/statistics.json``).
        self.statistics_file = statistics_file
        #: False on a reader replica, which writes nothing: figures are recalled but never remembered.
        self.remember = remember
        #: Called before the file is first read (a start's reader may be writing it).
        self._before_recall = before_recall
        # Small objects, one per catalog and template: big enough for a whole newsroom.
        self._statistics: FileCache[CatalogStatistics] = FileCache(self._load, max_statistics)
        self._recalled = False
        self._pace = RememberPace()
        self._written = 0  # how many writes the store told of
        self._written_lock = threading.Lock()
        # Per language, the last listing of its article catalogs and the states read from it.
        self._last_states: dict[str, tuple[dict[str, tuple[str, FileIdentity]], dict[str, str | None]]] = {}
        # The last listing of every catalog and template, and the figures built from it.
        self._last_figures: dict[tuple[str, ...], tuple[Any, list[CatalogFigures]]] = {}

    def written(self, path: Path, catalog: polib.POFile) -> None:
        """Take the figures of a catalog the store just wrote at ``path`` (under its lock); ``catalog``: what the file reads as."""
        identity = file_identity(path)
        if identity is None:
            return
        self._statistics.put(os.fspath(path), identity, statistics_of(catalog))
        with self._written_lock:
            self._written += 1

    @property
    def writes(self) -> int:
        """Count the writes the store told of (a reader's cache of listings compares it)."""
        return self._written

    def statistics(self, language: str, domain: str) -> CatalogStatistics:
        """Return the catalog's figures, cached until the file changes; CatalogError if it is broken."""
        try:
            return self._statistics.get(self.layout.known_catalog(CatalogKey(language, domain), self.languages))
        except FileNotFoundError:
            raise CatalogNotFound(f"no catalog {language}/{domain}") from None

    def variant_state(self, language: str, slug: str) -> str | None:
        """Return the state of article ``slug`` in ``language`` (``None``: no readable catalog)."""
        if not is_valid_slug(slug):
            return None
        try:
            path = self.layout.known_catalog(CatalogKey(language, article_domain(slug)), self.languages)
        except CatalogNotFound:
            return None
        return self._state_of(path)

    def variant_states(self, language: str) -> dict[str, str | None]:
        """Return the state of every article catalog of ``language`` by slug (``None``: unreadable).

        One ``stat`` per catalog (a ``scandir``); the same dict as last time, shared, while
        no catalog of the language changed: a front page over thousands of articles.
        """
        return self._variant_states(language, scan_by_slug(self._articles_folder(language), ".po"))

    def _variant_states(self, language: str, listing: dict[str, tuple[str, FileIdentity]]) -> dict[str, str | None]:
        last = self._last_states.get(language)
        if last is None or last[0] != listing:
            self._recall()
            listed, known = last if last is not None else ({}, {})
            # A catalog listed as it was last time keeps its state: after a save, one file is read.
            states = {slug: known[slug] if listed.get(slug) == found and slug in known else self._state_of(*found)
                      for slug, found in listing.items()}
            self._last_states[language] = last = (listing, states)
        self._remember()
        return last[1]

    def read_all(self, processes: int = 1, progress: Callable[[int], None] | None = None) -> int:
        """Read the figures of every article catalog neither cached nor remembered, spread over up to ``processes``.

        What a front page needs (:meth:`variant_states` of every language), read once at start
        before the workers fork instead of by each worker on its first front page, and
        remembered as :meth:`variant_states` remembers it. Return how many catalogs were read;
        ``progress`` is told how many more are done, as they are. A broken catalog is left
        to be read (and its error logged) when it is asked for.
        """
        self._recall()
        listings = {language: scan_by_slug(self._articles_folder(language), ".po") for language in self.languages}
        todo = self._statistics.missing(entry for listing in listings.values() for entry in listing.values())
        paths = [path for path, _identity in todo]
        for (path, identity), figures in zip(todo, parallel_reads.read_all(_read_figures, paths, processes, progress)):
            if figures is not None:
                self._statistics.loaded(path, identity, figures)
        for language, listing in listings.items():
            self._variant_states(language, listing)
        return len(todo)

    def _articles_folder(self, language: str) -> Path:
        return self.layout.known_catalog(CatalogKey(language, MESSAGES_DOMAIN), self.languages).parent / "articles"

    def catalog_listing(self, language: str) -> dict[str, tuple[str, FileIdentity]]:
        """Return the path and identity of every article catalog of ``language`` as :meth:`variant_states` last found them."""
        last = self._last_states.get(language)
        return last[0] if last is not None else {}

    def figures(self, languages: list[str] | None = None) -> list[CatalogFigures]:
        """Return the figures of every catalog that exists or is needed, by domain then language.

        A catalog is needed in every language but the source language of its template (English
        for ``messages``); a needed catalog that does not exist yet comes with ``statistics=None``.
        Directories are listed with ``os.scandir`` and cached figures checked against each
        entry's status, so a warm call costs one ``stat`` per file; when no file changed at all,
        the same list as last time is returned.
        """
        languages = [language for language in (languages or self.languages) if language in self.languages]
        templates = scan_by_slug(self.layout.locales_dir / "articles", ".pot")
        catalogs: dict[str, dict[str, tuple[str, FileIdentity]]] = {}
        for language in languages:
            catalogs[language] = scan_by_slug(self.layout.catalog(language, MESSAGES_DOMAIN).parent / "articles", ".po")
        ui_files = [self.layout.template(MESSAGES_DOMAIN)] + [self.layout.catalog(language, MESSAGES_DOMAIN)
                                                             for language in languages]
        listing = (templates, catalogs, [file_identity(path) for path in ui_files])
        key = tuple(languages)
        last = self._last_figures.get(key)
        # When not one file changed: the very same figures as last time (callers may cache on them).
        if last is None or last[0] != listing:
            self._recall()
            self._last_figures[key] = last = (listing, self._build_figures(languages, templates, catalogs))
        self._remember()
        return last[1]

    def cache_size(self) -> int:
        """Count the catalogs and templates whose figures are held in memory."""
        return len(self._statistics)

    def _load(self, path: Path) -> CatalogStatistics:
        try:
            shown = str(path.relative_to(self.layout.locales_dir.parent))
        except ValueError:
            shown = str(path)
        return load_statistics(path, shown)

    def _state_of(self, path: Path | str, identity: FileIdentity | None = None) -> str | None:
        # From the fast scanner's figures, not a full parse: a front page asks for thousands.
        try:
            return catalog_state(self._statistics.get_with_identity(path, identity)[1])
        except FileNotFoundError:
            return None
        except CatalogError as error:
            logger.error("article catalog not served: %s", error)
            return None

    def _recall(self) -> None:
        """Take the figures the last process remembered, for every file that has not changed since."""
        if self._recalled:
            return
        self._recalled = True
        if self._before_recall is not None:
            self._before_recall()
        for path, identity, figures in read_statistics_file(self.statistics_file):
            try:
                if identity_of(os.stat(path)) == identity:
                    self._statistics.put(path, identity, figures)
            except OSError:  # gone since
                continue

    def _remember(self) -> None:
        """Write the figures for the next process when some are new (paced: :mod:`.remember_pace`)."""
        if not self.remember:
            return
        if self._pace.due(self._statistics.loads + self._written, len(self._statistics)):
            write_statistics_file(self.statistics_file, self._statistics.items())

    def _cached(self, path: str, identity: FileIdentity) -> CatalogStatistics:
        return self._statistics.get_with_identity(path, identity)[1]

    def _build_figures(
        self, languages: list[str], templates: dict[str, tuple[str, FileIdentity]],
        catalogs: dict[str, dict[str, tuple[str, FileIdentity]]],
    ) -> list[CatalogFigures]:
        found: list[CatalogFigures] = []
        self._domain_figures(MESSAGES_DOMAIN, languages, found)
        slugs = set(templates).union(*(set(mine) for mine in catalogs.values()))
        for slug in sorted(slugs):
            template: CatalogStatistics | None = None
            template_error = None
            if slug in templates:
                try:
                    template = self._cached(*templates[slug])
                except FileNotFoundError:
                    pass
                except CatalogError as error:
                    template_error = str(error)
            source = template.header(SOURCE_LANGUAGE_HEADER) if template else None
            domain = ARTICLES_PREFIX + slug
            for language in languages:
                entry = catalogs[language].get(slug)
                if entry is None:
                    if template is not None and language != source:
                        found.append(CatalogFigures(language, domain, None, template, error=template_error))
                    elif template_error and language != source:
                        found.append(CatalogFigures(language, domain, None, None, error=template_error))
                    continue
                found.append(self._catalog_figures(language, domain, entry, template, template_error))
        return found

    def _domain_figures(self, domain: str, languages: list[str], found: list[CatalogFigures]) -> None:
        """Add the figures of ``messages`` in every language but the UI's source language."""
        template: CatalogStatistics | None = None
        template_error = None
        try:
            template = self._statistics.get(self.layout.template(domain))
        except FileNotFoundError:
            pass
        except CatalogError as error:
            template_error = str(error)
        for language in languages:
            path = self.layout.catalog(language, domain)
            identity = file_identity(path)
            if identity is None:
                if language != UI_SOURCE_LANGUAGE and (template is not None or template_error):
                    found.append(CatalogFigures(language, domain, None, template, error=template_error))
                continue
            found.append(self._catalog_figures(language, domain, (str(path), identity), template, template_error))

    def _catalog_figures(
        self, language: str, domain: str, entry: tuple[str, FileIdentity], template: CatalogStatistics | None,
        template_error: str | None,
    ) -> CatalogFigures:
        path, identity = entry
        try:
            statistics = self._cached(path, identity)
        except FileNotFoundError:  # removed since the listing
            return CatalogFigures(language, domain, None, template, error=template_error)
        except CatalogError as error:
            return CatalogFigures(language, domain, None, template, error=str(error))
        modified = datetime.fromtimestamp(identity[2] / 1e9, UTC)
        return CatalogFigures(language, domain, statistics, template, modified, template_error)
