"""The catalog store: the one door through which the service reads and writes PO/MO files.

Reading is cached per process and keyed by file identity (inode, size, mtime), so a
catalog saved by another worker process is picked up on the next request without a
restart, and the cache holds at most ``max_cached`` catalogs (least recently used out).
Writing has one way in, :meth:`CatalogStore.edit`: under a per-catalog lock that works
across processes (``flock``), read the file, let the caller change it, then write only the
changed entries and the header through a temporary file renamed over the catalog,
recompile the ``.mo`` beside it and tell the figures index. Saves, uploads, reverts and
``l10n update`` all write this way; ``l10n compile`` compiles under the same lock.
"""
from __future__ import annotations

import gettext
import io
import logging
import os
import sqlite3
import struct
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polib

from ..domain import checks
from ..domain.counting import count_messages
from ..domain.coverage import percent
from ..domain.editing import check_compilable, entry_id_of
from ..domain.glossary import Glossary
from ..domain.names import (
    MESSAGES_DOMAIN,
    CatalogKey,
    article_domain,
    article_slug,
    is_valid_slug,
)
from ..domain.po_format import CatalogError, copy_catalog, format_catalog, splice_catalog
from ..domain.po_reparse import ParsedCatalog, reparse_catalog
from ..domain.variant_state import variant_state
from ..domain.variants import ArticleVariant, read_variant
from ..domain.write_check import entry_keys, verify_catalog_text, verify_spliced
from .figures import FiguresIndex
from .file_cache import FileCache, file_identity
from .layout import CatalogNotFound, Layout
from .locks import catalog_lock
from .memory import Learner
from .po_files import (
    read_catalog,
    remove_stale_temporaries,
    temporary_files,
    temporary_targets,
    write_atomically,
)
from .transactions import replace_together, run_steps

__all__ = ["CatalogEdit", "CatalogNotFound", "CatalogStore"]

logger = logging.getLogger(__name__)
#: Seconds after which a temporary file of no catalog is taken for the leftover of a killed write.
ORPHAN_AGE = 60.0


class CatalogEdit:
    """A catalog opened for change under its lock: change entries of :attr:`catalog` and name them, or replace it."""

    def __init__(self, key: CatalogKey, catalog: polib.POFile | None, original: bytes | None) -> None:
        self.key = key
        #: The parsed catalog to change in place (empty when the file does not exist yet).
        self.catalog = catalog if catalog is not None else polib.POFile(wrapwidth=0, check_for_duplicates=False)
        self._original = original
        # What each entry said when the edit began: a spliced text must still say it for every unnamed entry.
        self._before = entry_keys(self.catalog) if original is not None else []
        self._changed: list[polib.POEntry] = []
        self._replaced = False
        #: Whether leaving the edit wrote the catalog (set on leaving).
        self.written = False
        self._on_commit: list[Callable[[], None]] = []

    @property
    def exists(self) -> bool:
        """Tell whether the catalog file existed when the edit began."""
        return self._original is not None

    def changed(self, entries: Iterable[polib.POEntry]) -> None:
        """Mark ``entries`` of :attr:`catalog` (and its header) as changed: they are written on leaving."""
        self._changed.extend(entries)

    def on_commit(self, step: Callable[[], None]) -> None:
        """Run ``step`` (recording the history) as part of the write: if it fails, the file change is undone."""
        self._on_commit.append(step)

    def commit_steps(self) -> list[Callable[[], None]]:
        """Return the steps that belong to the write, in order."""
        return list(self._on_commit)

    def changed_entries(self) -> list[polib.POEntry] | None:
        """Return the entries marked changed; ``None`` when the catalog is replaced whole."""
        return None if self._replaced else list(self._changed)

    def replace(self, catalog: polib.POFile) -> None:
        """Write ``catalog`` whole on leaving, unless the file already holds exactly that."""
        self.catalog = catalog
        self._replaced = True

    def text(self) -> tuple[str, bool] | None:
        """Return the text to write and whether it was spliced into the original; ``None`` when nothing changed."""
        if self._replaced:
            text = format_catalog(self.catalog)
            return None if self._original == text.encode("utf-8") else (text, False)
        if not self._changed:
            return None
        try:
            original = self._original.decode("utf-8") if self._original is not None else None
        except UnicodeDecodeError:
            original = None
        spliced = splice_catalog(original, self.catalog, self._changed) if original is not None else None
        return (spliced, True) if spliced is not None else (format_catalog(self.catalog), False)

    def verify(self, text: str, spliced: bool, display_path: str) -> polib.POFile:
        """Refuse (:class:`CheckFailed`) ``text`` unless it reads as :attr:`catalog`; return what it reads as."""
        interface = self.key.domain == MESSAGES_DOMAIN
        if spliced:  # the rewritten pieces were read back already, and every other byte is the old file's
            verify_spliced(self.catalog, self._changed, self._before, interface)
            return self.catalog
        return verify_catalog_text(text, self.catalog, self.changed_entries(), display_path, interface=interface)


class CatalogStore:
    """Read, cache, lock and write the catalogs of one ``LOCALES_DIR``."""

    def __init__(self, layout: Layout, languages: list[str], lock_dir: Path, figures: FiguresIndex | None = None,
                 max_cached: int = 512, memory: Learner | None = None,
                 glossary: Callable[[str], Glossary] | None = None, read_only: bool = False) -> None:
        self.layout = layout
        #: A reader replica writes nothing: a damaged ``.mo`` is then rebuilt in memory only.
        self.read_only = read_only
        self.languages = list(languages)
        self.lock_dir = lock_dir
        #: Told about every catalog this store writes (``None``: nobody to tell).
        self.figures = figures
        #: Told what every write wrote (the translation memory); ``None``: nobody to tell.
        self.memory = memory
        #: A language's glossary, for the ``glossary`` check of the cached entry checks.
        self.glossary = glossary
        self._checked_with: dict[str, Glossary | None] = {}  # the glossary each language's cached checks used
        # Each parsed catalog with the digest of the bytes it was parsed from (an edit of the same
        # bytes starts from a copy instead of parsing them again) and of each run of their lines
        # (another process's write is read again by parsing only the runs it changed).
        self._parsed: FileCache[ParsedCatalog] = FileCache(self._read_parsed, max_cached)
        self._compiled: FileCache[gettext.NullTranslations] = FileCache(self._load_translations, max_cached)
        # Readers: the article texts of recently read variants (a front page over thousands of
        # articles reads their states from the figures index instead).
        self._variants: FileCache[ArticleVariant | None] = FileCache(self._load_variant, max_cached)
        self._checks: FileCache[dict[str, list[checks.CheckResult]]] = FileCache(self._load_checks, 64)
        self._thread_locks: dict[Path, threading.Lock] = {}
        self._thread_locks_guard = threading.Lock()

    # --- reading ------------------------------------------------------------------------------

    def path(self, language: str, domain: str) -> Path:
        """Return the catalog path; raise :class:`CatalogNotFound` for an unknown language or domain."""
        return self.layout.known_catalog(CatalogKey(language, domain), self.languages)

    def exists(self, language: str, domain: str) -> bool:
        """Tell whether a catalog of ``domain`` in ``language`` exists."""
        try:
            return self.path(language, domain).exists()
        except CatalogNotFound:
            return False

    def catalog(self, language: str, domain: str) -> polib.POFile:
        """Return the parsed catalog, shared and cached: treat it as read-only."""
        try:
            return self._parsed.get(self.path(language, domain)).catalog
        except FileNotFoundError:
            raise CatalogNotFound(f"no catalog {language}/{domain}") from None

    def file_bytes(self, key: CatalogKey) -> tuple[bytes, str]:
        """Return the catalog file as it is on disk, and its path as errors name it."""
        path = self.path(key.language, key.domain)
        try:
            return path.read_bytes(), str(path)
        except FileNotFoundError:
            raise CatalogNotFound(f"no catalog {key}") from None

    def translations(self, language: str, domain: str) -> gettext.NullTranslations:
        """Return the compiled translations (``.mo``); empty ones when there is no catalog."""
        try:
            compiled = self.path(language, domain).with_suffix(".mo")
            return self._compiled.get(compiled)
        except (CatalogNotFound, FileNotFoundError):
            return gettext.NullTranslations()

    def variant(self, language: str, slug: str) -> ArticleVariant | None:
        """Return what the catalog of article ``slug`` in ``language`` holds for readers.

        ``None`` when there is no catalog (the source language never has one) or it cannot
        be read; fuzzy translations are included, unlike in the ``.mo``.
        """
        if not is_valid_slug(slug):
            return None
        try:
            return self._variants.get(self.path(language, article_domain(slug)))
        except (CatalogNotFound, FileNotFoundError):
            return None

    def entry_checks(self, language: str, domain: str) -> dict[str, list[checks.CheckResult]]:
        """Return the check results of every entry that has some, by entry id (cached until the file or glossary changes)."""
        glossary = self._glossary(language)
        if language in self._checked_with and self._checked_with[language] is not glossary:
            self._checks = FileCache(self._load_checks, 64)  # the glossary changed: check again
            self._checked_with.clear()
        self._checked_with[language] = glossary
        try:
            return self._checks.get(self.path(language, domain))
        except FileNotFoundError:
            raise CatalogNotFound(f"no catalog {language}/{domain}") from None

    def checks_of_entry(self, language: str, domain: str, entry: polib.POEntry) -> list[checks.CheckResult]:
        """Return the check results of one entry of the catalog, as :meth:`entry_checks` has them, checking only it."""
        plural_forms = checks.catalog_plural_forms(self.catalog(language, domain))
        return checks.check_catalog_entry(entry, language, plural_forms, include_fuzzy=True,
                                          glossary=self._glossary(language), interface=domain == MESSAGES_DOMAIN)

    def summary(self, language: str, domain: str) -> dict[str, Any]:
        """Return a catalog's message counts (as msgfmt counts them), its state and how many entries fail a check."""
        catalog = self.catalog(language, domain)
        counts = count_messages(catalog)
        failing = self.entry_checks(language, domain)
        return {
            "language": language, "domain": domain, "article": article_slug(domain),
            "translated": counts.translated, "fuzzy": counts.fuzzy, "untranslated": counts.untranslated,
            "total": counts.total,
            "percent": percent(counts.translated, counts.total),  # rounded down, as coverage shows it
            "state": variant_state(catalog) if article_slug(domain) is not None else None,
            "errors": sum(1 for results in failing.values() if checks.has_errors(results)),
            "warnings": sum(1 for results in failing.values() if not checks.has_errors(results)),
        }

    def cache_sizes(self) -> dict[str, int]:
        """Count the entries each in-process cache holds."""
        return {"parsed": len(self._parsed), "compiled": len(self._compiled), "variants": len(self._variants),
                "statistics": self.figures.cache_size() if self.figures is not None else 0}

    # --- writing ------------------------------------------------------------------------------

    @contextmanager
    def lock(self, key: CatalogKey) -> Iterator[Path]:
        """Hold the catalog's lock, shared by every thread and process of this store; yield its path."""
        path = self.path(key.language, key.domain)
        with self._thread_locks_guard:
            thread_lock = self._thread_locks.setdefault(path, threading.Lock())
        with thread_lock, catalog_lock(self.lock_dir, key.language, key.domain):
            yield path

    @contextmanager
    def edit(self, key: CatalogKey, create: bool = False) -> Iterator[CatalogEdit]:
        """Open the catalog for change: the only way a catalog file is written.

        Under the catalog's lock, read and parse the file (keeping its text) and yield a
        :class:`CatalogEdit`. On leaving without an error, if something changed: splice the
        changed entries and the header into the original text (or write a replacement
        whole), write it atomically, recompile the ``.mo`` and tell the figures index.
        A missing file raises :class:`CatalogNotFound`, unless ``create`` (``l10n update``).
        """
        with self.lock(key) as path:
            try:
                original: bytes | None = path.read_bytes()
            except FileNotFoundError:
                if not create:
                    raise CatalogNotFound(f"no catalog {key}") from None
                original = None
            draft = CatalogEdit(key, self._parse_for_edit(path, original) if original is not None else None, original)
            yield draft
            written = draft.text()
            if written is None:
                run_steps(draft.commit_steps(), path)
                return
            text, spliced = written
            reread = draft.verify(text, spliced, str(path))
            self._write(path, text, reread, draft.commit_steps())
            self._remember(path, ParsedCatalog.of(text.encode("utf-8"), reread))
            draft.written = True
            if self.memory is not None:
                try:
                    self.memory.learn(key.language, key.domain, draft.catalog, draft.changed_entries())
                except (OSError, sqlite3.Error) as error:  # the save is done: the memory catches up by file identity
                    logger.warning("translation memory not told of %s (%s)", path, error)

    def _parse_for_edit(self, path: Path, data: bytes) -> polib.POFile:
        """Return a catalog of ``data`` to change: a copy of the cached parse, brought up to date if the bytes changed."""
        # The cached one stays as readers saw it; a re-read shares its unchanged entries with it.
        return copy_catalog(reparse_catalog(data, path, self._parsed.last(path)).catalog)

    def _read_parsed(self, path: Path) -> ParsedCatalog:
        """Read and parse a catalog, parsing again only what changed since the cached parse of it."""
        return reparse_catalog(path.read_bytes(), path, self._parsed.last(path))

    def _remember(self, path: Path, parsed: ParsedCatalog) -> None:
        """Keep ``parsed``, what was just written to ``path``, as what the file holds now."""
        identity = file_identity(path)
        if identity is not None:
            self._parsed.put(str(path), identity, parsed)

    def remove_orphans(self, min_age: float = ORPHAN_AGE) -> list[Path]:
        """Remove the temporary files writes killed midway left behind (``.<name>.*.tmp``); return them.

        A catalog's own are removed under its lock (nobody can be writing them then); any other
        under ``LOCALES_DIR`` once it is ``min_age`` seconds old (no live write takes that long).
        Each catalog folder is listed once and only catalogs with leftovers are locked: with ten
        thousand articles a listing and a lock per catalog made the start take minutes.
        """
        removed: list[Path] = []
        for language in self.languages:
            base = self.layout.catalog(language, MESSAGES_DOMAIN).parent
            for folder in (base, base / "articles"):
                stems = {target.rsplit(".", 1)[0] for target in temporary_targets(folder)
                         if target.endswith((".po", ".mo"))}
                for stem in sorted(stems):
                    if folder == base:
                        domain = MESSAGES_DOMAIN if stem == MESSAGES_DOMAIN else None
                    else:
                        domain = article_domain(stem) if is_valid_slug(stem) else None
                    if domain is None or not (folder / f"{stem}.po").exists():
                        continue  # no catalog's: removed below once it is old enough
                    with self.lock(CatalogKey(language, domain)) as path:
                        for orphan in temporary_files(path) + temporary_files(path.with_suffix(".mo")):
                            orphan.unlink(missing_ok=True)
                            removed.append(orphan)
        removed += remove_stale_temporaries(self.layout.locales_dir, min_age)
        for orphan in removed:
            logger.warning("removed a temporary file a killed write left behind: %s", orphan)
        return removed

    def compile(self, key: CatalogKey) -> Path:
        """Validate the catalog (as ``msgfmt -c``) and write its ``.mo`` beside it, under its lock; return that path.

        Fuzzy entries are left out. A translation whose placeholders differ from its source
        is refused (:class:`CatalogError`): served, it would fail when the page fills them in.
        """
        with self.lock(key) as path:
            catalog = read_catalog(path)
            check_compilable(catalog, str(path))
            write_atomically(path.with_suffix(".mo"), catalog.to_binary())
        return path.with_suffix(".mo")

    def _write(self, path: Path, text: str, catalog: polib.POFile, steps: list[Callable[[], None]]) -> None:
        """Write ``text`` and the ``.mo`` of ``catalog`` (what it reads as) as one step with ``steps`` (the history)."""
        replace_together({path: text.encode("utf-8"), path.with_suffix(".mo"): catalog.to_binary()}, steps)
        os.utime(path.with_suffix(".mo"))  # never older than the catalog it came from
        if self.figures is not None:
            self.figures.written(path, catalog)

    def _load_checks(self, path: Path) -> dict[str, list[checks.CheckResult]]:
        language = path.relative_to(self.layout.locales_dir).parts[0]
        catalog = read_catalog(path)
        interface = path == self.layout.catalog(language, MESSAGES_DOMAIN)
        return {entry_id_of(entry.msgctxt, entry.msgid): results
                for entry, results in checks.check_catalog(catalog, language, include_fuzzy=True,
                                                           glossary=self._glossary(language), interface=interface)}

    def _load_translations(self, path: Path) -> gettext.NullTranslations:
        """Load a ``.mo``; a damaged one is compiled again from its catalog, else the source text is served."""
        try:
            return _read_translations(path)
        except FileNotFoundError:
            raise
        except (OSError, ValueError, LookupError, struct.error) as error:  # what a damaged .mo raises
            logger.error("compiled catalog %s is damaged (%s): compiling it again from its catalog", path, error)
        relative = path.with_suffix(".po").relative_to(self.layout.locales_dir).parts
        key = CatalogKey(relative[0], MESSAGES_DOMAIN if relative[-1] == "messages.po"
                         else article_domain(Path(relative[-1]).stem))
        try:
            if self.read_only:
                return gettext.GNUTranslations(io.BytesIO(read_catalog(path.with_suffix(".po")).to_binary()))
            return _read_translations(self.compile(key))
        except (CatalogError, OSError, ValueError, LookupError, struct.error) as error:
            logger.error("compiled catalog %s could not be rebuilt (%s): serving the source text", path, error)
            return gettext.NullTranslations()

    def _load_variant(self, path: Path) -> ArticleVariant | None:
        """Read what an article catalog holds for readers; a damaged one keeps its last good text serving."""
        try:
            return read_variant(read_catalog(path))
        except CatalogError as error:
            previous = self._variants.last(path)
            logger.error("article catalog damaged, %s: %s", "its last good text is served" if previous
                         else "the source text is served", error)
            return previous

    def _glossary(self, language: str) -> Glossary | None:
        """Return the glossary of ``language`` for the checks (``None`` without glossaries)."""
        return self.glossary(language) if self.glossary is not None else None


def _read_translations(path: Path) -> gettext.GNUTranslations:
    with open(path, "rb") as stream:
        return gettext.GNUTranslations(stream)
