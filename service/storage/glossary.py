"""The glossaries: terms per target language, in SQLite (``INSTANCE_DIR/glossary.sqlite3``).

Reads come from a per-process copy of each language's glossary, revalidated by one small query
(a revision number every change bumps), so running the ``glossary`` check on every entry of
every catalog costs no database round trip per entry. Until a first term is added, no database
exists and every glossary is empty.
"""
from __future__ import annotations

import fcntl
import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from .database import open_sqlite
from ..domain.glossary import Glossary, Term, TermExists, clean_term, glossary_of

DATABASE_NAME = "glossary.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS terms (
    id INTEGER PRIMARY KEY,
    language TEXT NOT NULL,
    term TEXT NOT NULL,
    key TEXT NOT NULL,
    translation TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    forbidden TEXT NOT NULL DEFAULT '[]',
    UNIQUE (language, key)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class TermNotFound(LookupError):
    """No term with that id in that language's glossary."""


def database_path(instance_dir: Path) -> Path:
    """Return where the glossaries of an instance live."""
    return instance_dir / DATABASE_NAME


class Glossaries:
    """Every language's glossary: read (cached per process), add, change, remove, import."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._created = False
        self._cache: dict[str, tuple[int, Glossary]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def _connect(self, create: bool = True) -> Iterator[sqlite3.Connection | None]:
        if not self._created:
            if not create and not self.path.exists():
                yield None
                return
            self._create()
        with open_sqlite(self.path) as connection:
            yield connection

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    connection.execute("PRAGMA journal_mode = WAL")
                connection.executescript(_SCHEMA)
            finally:
                connection.close()
        self._created = True

    @staticmethod
    def _term(row: tuple) -> Term:
        return Term(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])))

    @staticmethod
    def _bump(connection: sqlite3.Connection) -> None:
        connection.execute("INSERT INTO meta (key, value) VALUES ('revision', '1') ON CONFLICT (key)"
                           " DO UPDATE SET value = CAST(value AS INTEGER) + 1")

    # --- reading ----------------------------------------------------------------------------------

    def terms(self, language: str) -> list[Term]:
        """Return the terms of ``language``'s glossary, alphabetically."""
        return list(self.glossary(language).terms)

    def glossary(self, language: str) -> Glossary:
        """Return ``language``'s glossary, ready for matching (the same object while nothing changed)."""
        with self._connect(create=False) as connection:
            if connection is None:
                return glossary_of(())
            row = connection.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
            revision = int(row[0]) if row else 0
            with self._lock:
                cached = self._cache.get(language)
                if cached is not None and cached[0] == revision:
                    return cached[1]
            rows = connection.execute(
                "SELECT id, term, translation, note, forbidden FROM terms WHERE language = ? ORDER BY key, id",
                (language,)).fetchall()
        found = glossary_of(self._term(row) for row in rows)
        with self._lock:
            self._cache[language] = (revision, found)
        return found

    def term(self, language: str, term_id: int) -> Term:
        """Return one term; raise :class:`TermNotFound`."""
        for term in self.glossary(language).terms:
            if term.id == term_id:
                return term
        raise TermNotFound(f"no term {term_id} in the {language} glossary")

    # --- writing ----------------------------------------------------------------------------------

    def add(self, language: str, term: object, translation: object, note: object = "",
            forbidden: object = ()) -> Term:
        """Add a term; raise :class:`GlossaryError` when it is invalid or already in the glossary."""
        cleaned = clean_term(term, translation, note, forbidden)
        term_id = self._store(cleaned, "INSERT INTO terms (term, key, translation, note, forbidden, language)"
                                       " VALUES (?, ?, ?, ?, ?, ?)", (language,))
        return Term(term_id, *cleaned)

    def change(self, language: str, term_id: int, term: object, translation: object, note: object = "",
               forbidden: object = ()) -> Term:
        """Change a term; raise :class:`TermNotFound` or :class:`GlossaryError`."""
        cleaned = clean_term(term, translation, note, forbidden)
        self._store(cleaned, "UPDATE terms SET term = ?, key = ?, translation = ?, note = ?, forbidden = ?"
                             " WHERE id = ? AND language = ?", (term_id, language))
        return Term(term_id, *cleaned)

    def _store(self, cleaned: tuple[str, str, str, tuple[str, ...]], statement: str, after: tuple[object, ...]) -> int:
        """Run an INSERT or UPDATE of one term's fields; return the inserted row's id (0 for an update)."""
        term, translation, note, forbidden = cleaned
        with self._connect() as connection:
            assert connection is not None
            try:
                cursor = connection.execute(statement, (term, term.casefold(), translation, note,
                                                        json.dumps(forbidden, ensure_ascii=False), *after))
            except sqlite3.IntegrityError:
                raise TermExists(f"the glossary already has the term {term!r}") from None
            if cursor.rowcount == 0:
                raise TermNotFound(f"no term {after[0]} in the {after[-1]} glossary")
            self._bump(connection)
        return int(cursor.lastrowid or 0)

    def remove(self, language: str, term_id: int) -> None:
        """Remove a term; raise :class:`TermNotFound`."""
        with self._connect() as connection:
            assert connection is not None
            cursor = connection.execute("DELETE FROM terms WHERE id = ? AND language = ?", (term_id, language))
            if cursor.rowcount == 0:
                raise TermNotFound(f"no term {term_id} in the {language} glossary")
            self._bump(connection)

    def merge(self, language: str, terms: Iterable[tuple[str, str, str, tuple[str, ...]]]) -> tuple[int, int]:
        """Add or update ``(term, translation, note, forbidden)`` by term (validated first); return (added, changed).

        All or nothing: an invalid term raises :class:`GlossaryError` and changes nothing.
        """
        cleaned = [clean_term(*fields) for fields in terms]
        added = changed = 0
        with self._connect() as connection:
            assert connection is not None
            connection.execute("BEGIN IMMEDIATE")
            try:
                for term, translation, note, forbidden in cleaned:
                    values = (translation, note, json.dumps(forbidden, ensure_ascii=False))
                    existing = connection.execute(
                        "SELECT id, translation, note, forbidden FROM terms WHERE language = ? AND key = ?",
                        (language, term.casefold())).fetchone()
                    if existing is None:
                        connection.execute(
                            "INSERT INTO terms (language, term, key, translation, note, forbidden)"
                            " VALUES (?, ?, ?, ?, ?, ?)", (language, term, term.casefold(), *values))
                        added += 1
                    elif tuple(existing[1:]) != values:
                        connection.execute("UPDATE terms SET term = ?, translation = ?, note = ?, forbidden = ?"
                                           " WHERE id = ?", (term, *values, existing[0]))
                        changed += 1
                if added or changed:
                    self._bump(connection)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return added, changed
