"""The history of changes to catalogs: who changed which entry when, old → new, and variants' state transitions.

Kept in the instance's SQLite database (the ``history`` table beside the accounts), opened
on the first change recorded or read.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

from ..domain.editing import Change
from ..domain.variant_state import TRANSITION_ACTION, Transition
from .database import Database

_INSERT = ("INSERT INTO history (user, at, language, domain, entry_id, msgctxt, msgid, old, new, old_fuzzy,"
           " new_fuzzy, action) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


@dataclass(frozen=True)
class HistoryRow:
    """One recorded change of one entry: who, when, old → new."""

    id: int
    user: str
    at: datetime
    language: str
    domain: str
    entry_id: str
    msgctxt: str | None
    msgid: str
    old: Any  # str, or {"0": …} for plural entries
    new: Any
    old_fuzzy: bool
    new_fuzzy: bool
    action: str  # "save", "revert", "upload", or kept aside: "conflict" or "rejected" (refused by a check)
    # Catalog-level rows (action "state", entry_id "") record a variant's state transition instead.


class History:
    """Record and read the changes of catalogs, in the instance's database."""

    def __init__(self, path: Path) -> None:
        self._database = Database(path)
        self.path = path
        # The state transitions read so far, and the last history id among them (rows are only ever added).
        self._transitions: tuple[Transition, ...] = ()
        self._transitions_seen = 0
        self._transitions_lock = threading.Lock()

    def exists(self) -> bool:
        """Tell whether a history exists yet (without creating the database)."""
        return self._database.exists()

    def record_change(self, change: Change) -> int:
        """Add a history row for ``change``; return its id."""
        with self._database.connect() as connection:
            cursor = connection.execute(_INSERT, _values(change))
        return cursor.lastrowid or 0

    def record_changes(self, changes: Iterable[Change]) -> None:
        """Add history rows for several changes in one transaction (what ``l10n update`` found)."""
        with self._database.connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            for change in changes:
                connection.execute(_INSERT, _values(change))
            connection.execute("COMMIT")

    def rows(self, language: str | None = None, domain: str | None = None, entry_id: str | None = None,
             limit: int = 100) -> list[HistoryRow]:
        """Return recorded changes of entries, newest first, narrowed to a language, domain and entry when given.

        Catalog-level rows (state transitions) are not entry changes: :meth:`state_transitions` has them.
        """
        clauses, values = ["entry_id != ''"], []
        for column, value in (("language", language), ("domain", domain), ("entry_id", entry_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                values.append(value)
        where = f"WHERE {' AND '.join(clauses)}"
        with self._database.connect() as connection:
            found = connection.execute(f"SELECT * FROM history {where} ORDER BY id DESC LIMIT ?", (*values, limit))
            return [_row(row) for row in found]

    def row(self, row_id: int) -> HistoryRow | None:
        """Return one history row by id (``None`` for an id outside SQLite's integers)."""
        if not 0 < row_id < 2 ** 63:
            return None
        with self._database.connect() as connection:
            row = connection.execute("SELECT * FROM history WHERE id = ?", (row_id,)).fetchone()
        return _row(row) if row else None

    def state_transitions(self) -> tuple[Transition, ...]:
        """Return every recorded state transition of a variant, in the order recorded.

        Cached: a call reads only the rows added since the last one (one indexed query), and
        returns the very same tuple while nothing was added, so callers may cache on it.
        """
        with self._transitions_lock:
            with self._database.connect() as connection:
                rows = connection.execute(
                    "SELECT id, at, language, domain, old, new FROM history WHERE action = ? AND id > ? ORDER BY id",
                    (TRANSITION_ACTION, self._transitions_seen)).fetchall()
            if rows:
                self._transitions += tuple(
                    Transition(row["language"], row["domain"], json.loads(row["old"]), json.loads(row["new"]),
                               datetime.fromisoformat(row["at"])) for row in rows)
                self._transitions_seen = rows[-1]["id"]
            return self._transitions


def _row(row: sqlite3.Row) -> HistoryRow:
    return HistoryRow(
        row["id"], row["user"], datetime.fromisoformat(row["at"]), row["language"], row["domain"],
        row["entry_id"], row["msgctxt"], row["msgid"], json.loads(row["old"]), json.loads(row["new"]),
        bool(row["old_fuzzy"]), bool(row["new_fuzzy"]), row["action"],
    )


def _values(change: Change) -> tuple[Any, ...]:
    """Return the column values of a history row for ``change``."""
    return (change.user, change.at.isoformat(timespec="seconds"), change.language, change.domain, change.entry_id,
            change.msgctxt, change.msgid, json.dumps(change.old, ensure_ascii=False),
            json.dumps(change.new, ensure_ascii=False), int(change.old_fuzzy), int(change.new_fuzzy), change.action)
