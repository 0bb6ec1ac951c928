"""The translation memory index: every catalog's reviewed translations, in ``INSTANCE_DIR/memory.sqlite3``.

The database is the shared truth between processes; each process keeps a
:class:`~service.domain.memory.MemoryIndex` per language in memory and catches up with the
rows changed since it last looked (every change bumps a revision number), so a suggestion
costs one small query plus the matching.

How it stays up to date without a rescan per request:

- built on first use from every catalog's translated, non-fuzzy singular entries;
- the write paths tell it what they wrote: :meth:`TranslationMemory.learn` is called, under the
  catalog's lock, by a save, an upload and ``l10n update`` (each call site is marked
  ``# translation memory hook``);
- writes from outside the service (an editor's ``git pull``, a copied file) are found by file
  identity, as the figures index finds them: the catalog folders' identities are compared on each
  request (a write by rename changes them: then only files with a new inode are read again), and
  every catalog's full identity (a file rewritten in place) at most once a
  :data:`RECHECK_SECONDS`; a catalog whose identity differs from the one learned is read again.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import ContextManager, Iterable, Iterator, Protocol

import polib

from .database import open_sqlite
from ..domain.counting import messages
from ..domain.memory import LIMIT, MemoryIndex, MemoryUnit, Suggestion, Unit
from ..domain.names import (
    MESSAGES_DOMAIN, SOURCE_LANGUAGE_HEADER, UI_SOURCE_LANGUAGE, article_domain, article_slug, is_valid_slug,
)
from .layout import Layout

logger = logging.getLogger(__name__)

DATABASE_NAME = "memory.sqlite3"
#: Seconds between two checks of every catalog's identity by one process (folder identities: every request).
RECHECK_SECONDS = 600.0
#: Where units from a catalog come from; imported TMX units have ``tmx``.
CATALOG, TMX = "catalog", "tmx"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    language TEXT NOT NULL,
    domain TEXT NOT NULL,
    context TEXT NOT NULL,
    source TEXT NOT NULL,
    source_language TEXT NOT NULL,
    translation TEXT NOT NULL,
    revision INTEGER NOT NULL,
    gone INTEGER NOT NULL DEFAULT 0,
    UNIQUE (origin, language, domain, context, source)
);
CREATE INDEX IF NOT EXISTS units_revision ON units (revision);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, identity TEXT NOT NULL, revision INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS files_revision ON files (revision);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Learner(Protocol):
    """What the write paths tell: the entries of a catalog they wrote (all of it when ``entries`` is None)."""

    def learn(self, language: str, domain: str, catalog: polib.POFile,
              entries: Iterable[polib.POEntry] | None = None) -> None: ...


def database_path(instance_dir: Path) -> Path:
    """Return where the translation memory of an instance lives."""
    return instance_dir / DATABASE_NAME


def catalog_units(language: str, domain: str, catalog: polib.POFile,
                  entries: Iterable[polib.POEntry] | None = None) -> tuple[list[MemoryUnit], list[tuple[str, str]]]:
    """Return what a catalog (or only ``entries`` of it) teaches: units to keep, ``(context, source)`` to forget.

    Reviewed singular translations are kept; fuzzy, empty and plural entries teach nothing
    (a plural's forms do not translate its source one to one).
    """
    source_language = UI_SOURCE_LANGUAGE if article_slug(domain) is None else \
        (catalog.metadata.get(SOURCE_LANGUAGE_HEADER) or "").strip()
    keep, forget = [], []
    for entry in messages(entries if entries is not None else catalog):
        context = entry.msgctxt or ""
        if entry.obsolete or entry.fuzzy or entry.msgid_plural or not entry.msgstr:
            forget.append((context, entry.msgid))
        else:
            keep.append(MemoryUnit(language, source_language, domain, context, entry.msgid, entry.msgstr))
    return keep, forget


def _identity(path: Path | str) -> str | None:
    """Return what changes when a file is replaced or rewritten (its inode first), ``None`` if it is missing."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}"


def _record_file(connection: sqlite3.Connection, path: Path | str, identity: str | None, revision: int) -> None:
    connection.execute("INSERT OR REPLACE INTO files (path, identity, revision) VALUES (?, ?, ?)",
                       (str(path), identity or "", revision))


def _read(path: Path) -> polib.POFile | None:
    """Read a catalog for the memory: polib alone, without the store's strict checks (4× faster)."""
    try:
        return polib.pofile(str(path), encoding="utf-8", wrapwidth=0)
    except (OSError, ValueError) as error:  # UnicodeDecodeError is a ValueError
        logger.warning("translation memory: %s not read: %s", path, error)
        return None


class TranslationMemory:
    """The translation memory of one instance: learns from writes, suggests for entries."""

    def __init__(self, path: Path, layout: Layout, languages: list[str]) -> None:
        self.path = path
        self.layout = layout
        self.languages = list(languages)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._exclusive():
            with self._connect() as connection:
                if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    connection.execute("PRAGMA journal_mode = WAL")
                connection.executescript(_SCHEMA)
        self._indexes: dict[str, MemoryIndex] = {}
        self._revision = -1  # the last revision this process has in its indexes (-1: none loaded)
        self._files: dict[str, str] = {}  # catalog path → the identity of the file the memory learned
        self._seen_folders: list[str | None] | None = None  # the folder identities the last check saw
        self._checked = 0.0  # when this process last compared every catalog's identity
        self._lock = threading.RLock()

    # --- the database ---------------------------------------------------------------------------

    def _connect(self) -> ContextManager[sqlite3.Connection]:
        return open_sqlite(self.path)

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """Hold the memory's file lock: one process builds or rescans at a time."""
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @staticmethod
    def _next_revision(connection: sqlite3.Connection) -> int:
        row = connection.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        revision = int(row[0]) + 1 if row else 1
        connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('revision', ?)", (str(revision),))
        return revision

    def _write(self, connection: sqlite3.Connection, origin: str, keep: Iterable[MemoryUnit],
               forget: Iterable[tuple[str, str, str, str]], revision: int) -> int:
        """Upsert ``keep`` and mark ``forget`` ``(language, domain, context, source)`` gone; count changed rows."""
        changed = 0
        for unit in keep:
            cursor = connection.execute(
                "INSERT INTO units (origin, language, domain, context, source, source_language, translation,"
                " revision, gone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)"
                " ON CONFLICT (origin, language, domain, context, source) DO UPDATE SET"
                " translation = excluded.translation, source_language = excluded.source_language,"
                " revision = excluded.revision, gone = 0"
                " WHERE units.translation != excluded.translation OR units.gone"
                " OR units.source_language != excluded.source_language",
                (origin, unit.language, unit.domain, unit.context, unit.source, unit.source_language,
                 unit.translation, revision))
            changed += cursor.rowcount
        for language, domain, context, source in forget:
            cursor = connection.execute(
                "UPDATE units SET gone = 1, revision = ? WHERE origin = ? AND language = ? AND domain = ?"
                " AND context = ? AND source = ? AND NOT gone", (revision, origin, language, domain, context, source))
            changed += cursor.rowcount
        return changed

    def _learn_catalog(self, connection: sqlite3.Connection, language: str, domain: str, path: Path,
                       identity: str | None, catalog: polib.POFile | None, revision: int) -> None:
        """Replace what the memory holds from one catalog (``None``: the catalog is gone or broken)."""
        keep: list[MemoryUnit] = []
        if catalog is not None:
            keep, _forget = catalog_units(language, domain, catalog)
        kept = {(unit.context, unit.source) for unit in keep}
        stored = connection.execute(
            "SELECT context, source FROM units WHERE origin = ? AND language = ? AND domain = ? AND NOT gone",
            (CATALOG, language, domain)).fetchall()
        forget = [(language, domain, context, source) for context, source in stored if (context, source) not in kept]
        self._write(connection, CATALOG, keep, forget, revision)
        _record_file(connection, path, identity, revision)

    # --- the write paths' hook ------------------------------------------------------------------

    def learn(self, language: str, domain: str, catalog: polib.POFile,
              entries: Iterable[polib.POEntry] | None = None) -> None:
        """Take in what a write path just wrote: ``entries`` of ``catalog``, or the whole catalog.

        Call it under the catalog's lock, after the file is written: the file's identity is
        recorded with what it holds, so the check for outside writes does not read it again.
        """
        path = self.layout.catalog(language, domain)
        identity = _identity(path)
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                if not self._built(connection):
                    connection.execute("ROLLBACK")  # the first use reads every catalog anyway
                    return
                revision = self._next_revision(connection)
                if entries is None:
                    self._learn_catalog(connection, language, domain, path, identity, catalog, revision)
                else:
                    keep, forget = catalog_units(language, domain, catalog, entries)
                    self._write(connection, CATALOG, keep,
                                [(language, domain, context, source) for context, source in forget], revision)
                    _record_file(connection, path, identity, revision)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise

    # --- building and catching up ---------------------------------------------------------------

    @staticmethod
    def _built(connection: sqlite3.Connection) -> bool:
        return connection.execute("SELECT 1 FROM meta WHERE key = 'built'").fetchone() is not None

    def _folders(self) -> list[tuple[str, Path]]:
        found = []
        for language in self.languages:
            base = self.layout.locales_dir / language / "LC_MESSAGES"
            found += [(language, base), (language, base / "articles")]
        return found

    def _listing(self, with_status: bool, only: set[Path] | None = None) -> dict[str, str]:
        """Return the catalog files now: their inode alone (one ``scandir`` per folder, no ``stat``), or identity.

        ``only``: list just these folders (those whose identity changed).
        """
        found: dict[str, str] = {}
        for language in self.languages:
            base = self.layout.locales_dir / language / "LC_MESSAGES"
            if only is None or base in only:
                identity = _identity(base / "messages.po")
                if identity is not None:
                    found[str(base / "messages.po")] = identity if with_status else identity.split(":")[0]
            if only is not None and base / "articles" not in only:
                continue
            try:
                listing = os.scandir(base / "articles")
            except (FileNotFoundError, NotADirectoryError):
                continue
            with listing:
                for item in listing:
                    if not item.name.endswith(".po") or not is_valid_slug(item.name[:-3]):
                        continue
                    if not with_status:
                        found[item.path] = str(item.inode())
                        continue
                    try:
                        status = item.stat()
                    except FileNotFoundError:
                        continue
                    found[item.path] = f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}"
        return found

    def _sync_files(self, connection: sqlite3.Connection, thorough: bool) -> int:
        """Read again every catalog written since the memory learned it; forget removed ones; count them.

        Quick (``thorough=False``): only files replaced by a rename (a new inode), added or removed —
        how the service, ``git`` and most editors write. Thorough: every file's full identity, which
        also finds a file rewritten in place.
        """
        paths = [folder for _language, folder in self._folders()]
        identities = [_identity(folder) for folder in paths]
        folders = json.dumps(identities)
        only: set[Path] | None = None
        if not thorough and self._seen_folders is not None:
            only = {path for path, now, then in zip(paths, identities, self._seen_folders) if now != then}
        current = self._listing(thorough, only)
        known = self._files
        if only is not None:  # what is not listed is not compared
            listed = {str(folder) for folder in only}
            known = {path: identity for path, identity in known.items()
                     if os.path.dirname(path) in listed}
        if thorough:
            suspects = [path for path, identity in current.items() if known.get(path) != identity]
        else:
            suspects = [path for path, inode in current.items()
                        if known.get(path, "").split(":")[0] != inode]
        removed = [path for path, identity in known.items() if identity and path not in current]
        if not suspects and not removed:
            connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('folders', ?)", (folders,))
            self._seen_folders = identities
            return 0
        connection.execute("BEGIN IMMEDIATE")
        try:
            revision = self._next_revision(connection)
            for path in suspects + removed:
                language, domain = self._catalog_of(Path(path))
                if language is None or domain is None:
                    continue
                identity = _identity(path)
                catalog = _read(Path(path)) if identity is not None else None
                self._learn_catalog(connection, language, domain, Path(path), identity, catalog, revision)
            # The folders' identities from before the listing: a write meanwhile is found next time.
            connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('folders', ?)", (folders,))
            connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('built', '1')")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        self._seen_folders = identities
        return len(suspects) + len(removed)

    def _catalog_of(self, path: Path) -> tuple[str | None, str | None]:
        try:
            parts = path.relative_to(self.layout.locales_dir).parts
        except ValueError:
            return None, None
        if len(parts) == 3 and parts[2] == "messages.po":
            return parts[0], MESSAGES_DOMAIN
        if len(parts) == 4 and parts[2] == "articles":
            return parts[0], article_domain(parts[3][:-3])
        return None, None

    def _outside_writes(self, connection: sqlite3.Connection) -> bool:
        """Find catalogs written from outside: folder identities each time, every file's now and then; say if any."""
        row = connection.execute("SELECT value FROM meta WHERE key = 'folders'").fetchone()
        folders = json.dumps([_identity(folder) for _language, folder in self._folders()])
        if row is not None and self._seen_folders is None:
            self._seen_folders = json.loads(row[0])  # what the last check, in any process, compared
        thorough = time.monotonic() - self._checked > RECHECK_SECONDS
        if row is not None and row[0] == folders and not thorough:
            return False
        with self._exclusive():
            self._load(connection)  # what another process learned meanwhile
            changed = self._sync_files(connection, thorough)
        if thorough:
            self._checked = time.monotonic()
        return changed > 0

    def _load(self, connection: sqlite3.Connection) -> None:
        """Take in the units and file identities changed since this process last looked."""
        row = connection.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        revision = int(row[0]) if row else 0
        if revision == self._revision:
            return
        rows = connection.execute(
            "SELECT id, language, domain, context, source, translation, gone FROM units WHERE revision > ?",
            (self._revision,)).fetchall()
        for unit_id, language, domain, context, source, translation, gone in rows:
            index = self._indexes.setdefault(language, MemoryIndex())
            if gone:
                index.remove(unit_id)
            else:
                index.add(unit_id, Unit(domain, context, source, translation))
        self._files.update(connection.execute("SELECT path, identity FROM files WHERE revision > ?",
                                              (self._revision,)).fetchall())
        self._revision = revision

    def _catch_up(self) -> None:
        """Build the memory on first use, take in what changed since, and writes from outside."""
        with self._connect() as connection:
            if not self._built(connection):
                with self._exclusive():
                    if not self._built(connection):
                        began = time.perf_counter()
                        count = self._sync_files(connection, thorough=True)
                        connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('built', '1')")
                        logger.info("translation memory built from %d catalogs in %.1f s", count,
                                    time.perf_counter() - began)
                self._checked = time.monotonic()
            self._load(connection)
            if self._outside_writes(connection):
                self._load(connection)

    def refresh(self) -> None:
        """Bring this process's indexes up to date (built on first use)."""
        with self._lock:
            self._catch_up()

    # --- reading --------------------------------------------------------------------------------

    def suggest(self, language: str, domain: str, context: str | None, source: str,
                limit: int = LIMIT) -> list[Suggestion]:
        """Return suggestions in ``language`` for ``source`` (the entry ``domain``/``context`` left out)."""
        with self._lock:
            self._catch_up()
            index = self._indexes.get(language)
            if index is None:
                return []
            return index.suggest(source, exclude=(domain, context or ""), limit=limit)

    def size(self) -> dict[str, int]:
        """Count the remembered translations per language."""
        self.refresh()
        return {language: len(index) for language, index in sorted(self._indexes.items())}

    def units(self) -> list[MemoryUnit]:
        """Return every remembered translation (built on first use), by language, domain and source."""
        self.refresh()
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT language, source_language, domain, context, source, translation FROM units"
                " WHERE NOT gone ORDER BY language, domain, context, source, origin").fetchall()
        return list(dict.fromkeys(MemoryUnit(*row) for row in rows))  # imported again: once

    def merge(self, units: Iterable[MemoryUnit]) -> int:
        """Add imported translations (a TMX file) to the memory; return how many were new or changed."""
        self.refresh()
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                changed = self._write(connection, TMX, units, [], self._next_revision(connection))
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return changed
