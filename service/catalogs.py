"""The catalog store: the one door through which the service reads and writes PO/MO files.

Reading is cached per process and keyed by file identity (inode, size, mtime), so a
catalog saved by another worker process is picked up on the next request without a
restart, and the cache holds at most ``max_cached`` catalogs (least recently used out).
Writing happens under a per-catalog lock that works across processes (``flock``), through
a temporary file renamed over the catalog, and recompiles the ``.mo`` beside it.
Statistics (the figures coverage shows) are cached the same way, for every catalog and
template at once: a warm request only ``stat``s the files.
"""
from __future__ import annotations

import fcntl
import gettext
import os
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Generic, Iterator, TypeVar

import polib

from .catalog_stats import SOURCE_LANGUAGE_HEADER, CatalogStatistics, ScanError, scan_statistics, statistics_of
from .layout import (
    ARTICLES_PREFIX, MESSAGES_DOMAIN, UI_SOURCE_LANGUAGE, Layout, UnknownDomain, is_valid_language, is_valid_slug,
)
from .pofiles import CatalogError, _decode, format_catalog, parse_catalog, read_catalog, write_atomically

T = TypeVar("T")
FileIdentity = tuple[int, int, int, int]


class CatalogNotFound(LookupError):
    """No catalog of that language and domain."""


def file_identity(path: Path) -> FileIdentity | None:
    """Return what changes when a file is replaced or rewritten, ``None`` if it is missing."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


class FileCache(Generic[T]):
    """A bounded least-recently-used cache of values loaded from files, reloaded when a file changes."""

    def __init__(self, load: Callable[[Path], T], max_entries: int) -> None:
        self._load = load
        self._max_entries = max_entries
        self._entries: OrderedDict[Path, tuple[FileIdentity, T]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, path: Path) -> T:
        """Return the value loaded from ``path``, loading it again if the file changed."""
        return self.get_with_identity(path)[1]

    def get_with_identity(self, path: Path, identity: FileIdentity | None = None) -> tuple[FileIdentity, T]:
        """Return the identity of the file at ``path`` and the value loaded from it.

        A caller that already has the file's status (from ``os.scandir``) passes its identity.
        """
        identity = identity or file_identity(path)
        if identity is None:
            raise FileNotFoundError(path)
        with self._lock:
            cached = self._entries.get(path)
            if cached is not None and cached[0] == identity:
                self._entries.move_to_end(path)
                return cached
        value = self._load(path)
        with self._lock:
            self._entries[path] = (identity, value)
            self._entries.move_to_end(path)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return identity, value

    def __len__(self) -> int:
        return len(self._entries)


def _load_translations(path: Path) -> gettext.GNUTranslations:
    with open(path, "rb") as stream:
        return gettext.GNUTranslations(stream)


def load_statistics(path: Path, display_path: str | None = None) -> CatalogStatistics:
    """Compute a catalog's figures: the fast scanner, or the strict parser when it is unsure."""
    shown = display_path or str(path)
    data = path.read_bytes()
    try:
        return scan_statistics(_decode(data, shown))
    except ScanError:
        return statistics_of(parse_catalog(data, shown))  # raises CatalogError with the line


@dataclass(frozen=True)
class CatalogFigures:
    """The statistics of one (language, domain) that needs a catalog, or has one."""

    language: str
    domain: str
    statistics: CatalogStatistics | None  # None: no catalog yet (or a broken one, see error)
    template: CatalogStatistics | None  # None: no template (the source was removed)
    modified: datetime | None = None  # when the catalog file last changed
    error: str | None = None  # why the catalog or its template could not be read


class CatalogStore:
    """Read, cache, lock and write the catalogs of one ``LOCALES_DIR``."""

    def __init__(
        self, layout: Layout, languages: list[str], lock_dir: Path, max_cached: int = 512,
        max_statistics: int = 200_000,
    ) -> None:
        self.layout = layout
        self.languages = list(languages)
        self.lock_dir = lock_dir
        self._parsed: FileCache[polib.POFile] = FileCache(read_catalog, max_cached)
        self._compiled: FileCache[gettext.GNUTranslations] = FileCache(_load_translations, max_cached)
        # Small objects, one per catalog and template: big enough for a whole newsroom.
        self._statistics: FileCache[CatalogStatistics] = FileCache(self._load_statistics, max_statistics)
        self._thread_locks: dict[Path, threading.Lock] = {}
        self._thread_locks_guard = threading.Lock()
        # The last listing of every catalog and template, and the figures built from it.
        self._last_figures: dict[tuple[str, ...], tuple[Any, list[CatalogFigures]]] = {}

    def path(self, language: str, domain: str) -> Path:
        """Return the catalog path; raise :class:`CatalogNotFound` for an unknown language or domain."""
        if language not in self.languages or not is_valid_language(language):
            raise CatalogNotFound(f"unknown language {language!r}")
        try:
            return self.layout.catalog(language, domain)
        except (UnknownDomain, ValueError) as error:
            raise CatalogNotFound(str(error)) from None

    def exists(self, language: str, domain: str) -> bool:
        """Tell whether a catalog of ``domain`` in ``language`` exists."""
        try:
            return self.path(language, domain).exists()
        except CatalogNotFound:
            return False

    def catalog(self, language: str, domain: str) -> polib.POFile:
        """Return the parsed catalog, shared and cached: treat it as read-only."""
        try:
            return self._parsed.get(self.path(language, domain))
        except FileNotFoundError:
            raise CatalogNotFound(f"no catalog {language}/{domain}") from None

    def read(self, language: str, domain: str) -> polib.POFile:
        """Return a fresh parse of the catalog, to change and :meth:`write` back."""
        path = self.path(language, domain)
        if not path.exists():
            raise CatalogNotFound(f"no catalog {language}/{domain}")
        return read_catalog(path)

    def translations(self, language: str, domain: str) -> gettext.NullTranslations:
        """Return the compiled translations (``.mo``); empty ones when there is no catalog."""
        try:
            compiled = self.path(language, domain).with_suffix(".mo")
            return self._compiled.get(compiled)
        except (CatalogNotFound, FileNotFoundError):
            return gettext.NullTranslations()

    @contextmanager
    def lock(self, language: str, domain: str) -> Iterator[None]:
        """Hold the catalog's lock, shared by every thread and process of this store."""
        path = self.path(language, domain)
        with self._thread_locks_guard:
            thread_lock = self._thread_locks.setdefault(path, threading.Lock())
        lock_path = self.lock_dir / language / (domain.replace("/", "__") + ".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with thread_lock, open(lock_path, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def write(self, language: str, domain: str, catalog: polib.POFile) -> None:
        """Write ``catalog`` atomically and recompile its ``.mo``; call while holding :meth:`lock`."""
        path = self.path(language, domain)
        write_atomically(path, format_catalog(catalog).encode("utf-8"))
        write_atomically(path.with_suffix(".mo"), catalog.to_binary())
        os.utime(path.with_suffix(".mo"))  # never older than the catalog it came from

    # --- statistics ------------------------------------------------------------------------

    def _load_statistics(self, path: Path | str) -> CatalogStatistics:
        path = Path(path)
        try:
            shown = str(path.relative_to(self.layout.locales_dir.parent))
        except ValueError:
            shown = str(path)
        return load_statistics(path, shown)

    def statistics(self, language: str, domain: str) -> CatalogStatistics:
        """Return the catalog's figures, cached until the file changes; CatalogError if it is broken."""
        try:
            return self._statistics.get(self.path(language, domain))
        except FileNotFoundError:
            raise CatalogNotFound(f"no catalog {language}/{domain}") from None

    def template_statistics(self, domain: str) -> CatalogStatistics:
        """Return the figures of the template of ``domain`` (everything untranslated)."""
        try:
            return self._statistics.get(self.layout.template(domain))
        except (UnknownDomain, FileNotFoundError):
            raise CatalogNotFound(f"no template for {domain}") from None

    def _scan(self, directory: Path, suffix: str) -> dict[str, tuple[str, FileIdentity]]:
        """List ``<slug><suffix>`` files of ``directory`` as slug → (path, identity), one syscall each."""
        found = {}
        try:
            entries = os.scandir(directory)
        except FileNotFoundError:
            return found
        with entries:
            for entry in entries:
                slug = entry.name[: -len(suffix)]
                if not entry.name.endswith(suffix) or not is_valid_slug(slug):
                    continue
                try:
                    status = entry.stat()
                except FileNotFoundError:
                    continue
                found[slug] = (entry.path, (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns))
        return found

    def _cached_statistics(self, path: str, identity: FileIdentity) -> CatalogStatistics:
        return self._statistics.get_with_identity(path, identity)[1]  # type: ignore[arg-type]

    def figures(self, languages: list[str] | None = None) -> list[CatalogFigures]:
        """Return the figures of every catalog that exists or is needed, by domain then language.

        A catalog is needed in every language but the source language of its template (English
        for ``messages``); a needed catalog that does not exist yet comes with ``statistics=None``.
        Directories are listed with ``os.scandir`` and cached figures checked against each
        entry's status, so a warm call costs one ``stat`` per file; when no file changed at all,
        the same list as last time is returned.
        """
        languages = [language for language in (languages or self.languages) if language in self.languages]
        templates = self._scan(self.layout.locales_dir / "articles", ".pot")
        catalogs: dict[str, dict[str, tuple[str, FileIdentity]]] = {}
        for language in languages:
            catalogs[language] = self._scan(self.layout.catalog(language, MESSAGES_DOMAIN).parent / "articles", ".po")
        ui_files = [self.layout.template(MESSAGES_DOMAIN)] + [self.layout.catalog(language, MESSAGES_DOMAIN)
                                                             for language in languages]
        listing = (templates, catalogs, [file_identity(path) for path in ui_files])
        key = tuple(languages)
        last = self._last_figures.get(key)
        if last is not None and last[0] == listing:
            return last[1]  # not one file changed: the very same figures (callers may cache on them)
        found = self._build_figures(languages, templates, catalogs)
        self._last_figures[key] = (listing, found)
        return found

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
                    template = self._cached_statistics(*templates[slug])
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
        template_path = self.layout.template(domain)
        template: CatalogStatistics | None = None
        template_error = None
        try:
            template = self._statistics.get(template_path)
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
            statistics = self._cached_statistics(path, identity)
        except FileNotFoundError:  # removed since the listing
            return CatalogFigures(language, domain, None, template, error=template_error)
        except CatalogError as error:
            return CatalogFigures(language, domain, None, template, error=str(error))
        modified = datetime.fromtimestamp(identity[2] / 1e9, timezone.utc)
        return CatalogFigures(language, domain, statistics, template, modified, template_error)
