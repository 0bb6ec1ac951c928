"""The instance's SQLite database (``INSTANCE_DIR/accounts.sqlite3``): accounts, login throttling, history, security log.

One file, one schema, shared by :class:`service.storage.accounts.Accounts` and
:class:`service.storage.history.History`; each opens it on first use, so a command that
needs neither (``l10n extract``) creates no database.
"""
from __future__ import annotations

import errno
import fcntl
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

DATABASE_NAME = "accounts.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    languages TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    token_id TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL,
    stamp TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY,
    user TEXT NOT NULL,
    at TEXT NOT NULL,
    language TEXT NOT NULL,
    domain TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    msgctxt TEXT,
    msgid TEXT NOT NULL,
    old TEXT NOT NULL,
    new TEXT NOT NULL,
    old_fuzzy INTEGER NOT NULL,
    new_fuzzy INTEGER NOT NULL,
    action TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS security_events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    event TEXT NOT NULL,
    user TEXT NOT NULL,
    address TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS history_entry ON history (language, domain, entry_id);
CREATE INDEX IF NOT EXISTS history_action ON history (action, id);
"""


def database_path(instance_dir: Path) -> Path:
    """Return where the database of an instance lives."""
    return instance_dir / DATABASE_NAME


class Database:
    """The SQLite file at ``path``: created (tables, WAL, private permissions) on the first connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._created = False
        self._creating = threading.Lock()

    def exists(self) -> bool:
        """Tell whether the database file exists yet (without creating it)."""
        return self._created or self.path.exists()

    def create(self) -> None:
        """Create the file and its tables if need be, and turn on WAL, one process at a time.

        Every gunicorn worker opens the database as it boots; two of them switching a new
        database to WAL at once make SQLite answer "database is locked" without waiting,
        so the switch happens under a file lock (WAL then stays on in the file).
        """
        with self._creating:
            if self._created:
                return
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # Password and token hashes are for this service's eyes only (SQLite gives its -wal and
                # -shm files the database's permissions).
                self.path.touch(mode=0o600, exist_ok=True)
            except OSError as error:  # INSTANCE_DIR is not a folder, read-only, on a full disk …
                from .po_files import StorageUnavailable

                raise StorageUnavailable(self.path, error) from error
            with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                with self._open() as connection:
                    if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        connection.execute("PRAGMA journal_mode = WAL")
                    connection.executescript(_SCHEMA)
            self._created = True

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """Yield a connection in autocommit mode (``BEGIN`` explicitly for a transaction).

        The thread keeps it open for its next use of this file (:func:`_kept_connection`):
        opening and closing SQLite for each statement cost more than the statement.
        """
        self.create()
        connection = _kept_connection(self.path)
        if connection is None:
            with self._open() as fresh:
                yield fresh
            return
        try:
            yield connection
        except BaseException as error:
            try:
                if connection.in_transaction:
                    connection.rollback()
            except sqlite3.Error:
                _forget_connection(self.path)
            if isinstance(error, sqlite3.OperationalError):
                _forget_connection(self.path)
                raise _unavailable(self.path, error) from error
            raise

    def _open(self) -> AbstractContextManager[sqlite3.Connection]:
        return open_sqlite(self.path, rows=True)


#: Connections each thread keeps open, by database path, at most :data:`KEPT_PER_THREAD` (the least recently used closed).
_kept = threading.local()
KEPT_PER_THREAD = 4


def _kept_connection(path: Path) -> sqlite3.Connection | None:
    """Return this thread's open connection to the database at ``path``, opening it if need be.

    ``None`` when the file is missing (the caller opens a connection of its own and fails as it
    would have). A connection is kept only for the file it was opened on, in the process that
    opened it: a file replaced or removed since, or a forked child, gets a new one.
    """
    try:
        status = os.stat(path)
    except OSError:
        return None
    connections: OrderedDict[str, tuple[int, tuple[int, int], sqlite3.Connection]] = _kept.__dict__.setdefault(
        "connections", OrderedDict())
    key, identity = os.fspath(path), (status.st_dev, status.st_ino)
    held = connections.get(key)
    if held is not None and held[0] == os.getpid() and held[1] == identity:
        connections.move_to_end(key)
        return held[2]
    _forget_connection(path)
    try:
        connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA busy_timeout = 30000")
    except sqlite3.OperationalError as error:
        raise _unavailable(path, error) from error
    connections[key] = (os.getpid(), identity, connection)
    while len(connections) > KEPT_PER_THREAD:
        _close_kept(connections.popitem(last=False)[1])
    return connection


def _forget_connection(path: Path) -> None:
    """Close and drop this thread's kept connection to ``path``, if any."""
    held = _kept.__dict__.get("connections", {}).pop(os.fspath(path), None)
    if held is not None:
        _close_kept(held)


def _close_kept(held: tuple[int, tuple[int, int], sqlite3.Connection]) -> None:
    if held[0] == os.getpid():  # a forked child leaves its parent's connection alone
        held[2].close()


@contextmanager
def open_sqlite(path: Path, rows: bool = False) -> Iterator[sqlite3.Connection]:
    """Yield a connection to the SQLite file at ``path`` in autocommit mode, waiting up to 30 s for a lock.

    ``rows``: answer rows as :class:`sqlite3.Row` (by column name) rather than tuples.
    """
    try:
        connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    except sqlite3.OperationalError as error:
        raise _unavailable(path, error) from error
    try:
        if rows:
            connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA busy_timeout = 30000")
        yield connection
    except sqlite3.OperationalError as error:
        raise _unavailable(path, error) from error
    finally:
        connection.close()


#: What SQLite says when the file system, not the query, is at fault.
_FILE_SYSTEM_FAULTS = ("unable to open database file", "database or disk is full", "readonly database",
                       "disk i/o error")


def _unavailable(path: Path, error: sqlite3.OperationalError) -> Exception:
    """Return a file-system fault of SQLite as :class:`StorageUnavailable` (503), any other error as it is."""
    # With tempfile and more: a command that only reads needs none of it.
    from .po_files import StorageUnavailable

    if any(fault in str(error).lower() for fault in _FILE_SYSTEM_FAULTS):
        return StorageUnavailable(path, OSError(errno.EIO, str(error)))
    return error
