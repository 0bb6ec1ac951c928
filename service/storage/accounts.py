"""Accounts, API tokens, failed-login throttling and the change history, in SQLite under ``INSTANCE_DIR``.

Passwords and API tokens are stored only as Werkzeug hashes. A token is
``<token id>.<secret>``: the id finds the account, the hash of the secret proves it.
Every account carries a ``stamp`` that changes when its password is reset or it is
removed, so login sessions made before that stop working.
"""
from __future__ import annotations

import fcntl
import json
import re
import secrets
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Iterator

from werkzeug.security import check_password_hash, generate_password_hash

from ..domain.states import TRANSITION_ACTION, Transition

ROLES = ("translator", "editor", "admin")
#: Roles that may work on every language (a translator works on their own languages only).
ALL_LANGUAGE_ROLES = ("editor", "admin")
DATABASE_NAME = "accounts.sqlite3"
#: Tokens carry 256 random bits: a fast salted hash is as safe as a slow one and keeps API calls quick.
TOKEN_HASH_METHOD = "pbkdf2:sha256:10000"
#: Failed logins allowed before each further attempt has to wait (doubling, at most ``MAX_DELAY``).
FREE_FAILURES = 3
FREE_FAILURES_PER_ADDRESS = 20
MAX_DELAY = 300.0
FAILURE_MEMORY = 3600.0
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")

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
CREATE INDEX IF NOT EXISTS history_entry ON history (language, domain, entry_id);
CREATE INDEX IF NOT EXISTS history_action ON history (action, id);
"""


class AccountError(ValueError):
    """A request about accounts that cannot be done (unknown user, bad role, taken name…)."""


class LoginThrottled(Exception):
    """Too many failed logins: the next attempt has to wait ``retry_after`` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many failed logins; try again in {int(retry_after) + 1} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class User:
    """An account: who, with which role, for which languages."""

    id: int
    name: str
    role: str
    languages: tuple[str, ...]
    stamp: str

    def can_edit(self, language: str) -> bool:
        """Tell whether this user may open and change catalogs of ``language``."""
        return self.role in ALL_LANGUAGE_ROLES or language in self.languages


@dataclass(frozen=True)
class Credentials:
    """What a new account's owner needs, shown once: the password and the API token."""

    user: User
    password: str
    token: str


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
    action: str  # "save", "revert", "upload", or "conflict" (an uploaded version kept aside)
    # Catalog-level rows (action "state", entry_id "") record a variant's state transition instead.


def database_path(instance_dir: Path) -> Path:
    """Return where the accounts database of an instance lives."""
    return instance_dir / DATABASE_NAME


def _new_password() -> str:
    return secrets.token_urlsafe(12)


def _new_token() -> tuple[str, str, str]:
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    return token_id, generate_password_hash(secret, method=TOKEN_HASH_METHOD), f"{token_id}.{secret}"


def _user(row: sqlite3.Row) -> User:
    languages = tuple(language for language in row["languages"].split(",") if language)
    return User(row["id"], row["name"], row["role"], languages, row["stamp"])


#: How passwords are hashed unless the ``PASSWORD_HASH_METHOD`` setting says otherwise: Werkzeug's
#: default (scrypt), slow on purpose. Tests pass a cheap method; production keeps this one.
DEFAULT_PASSWORD_HASH_METHOD = "scrypt"


class Accounts:
    """Users, tokens, login throttling and history in one SQLite file."""

    def __init__(self, path: Path, password_hash_method: str = DEFAULT_PASSWORD_HASH_METHOD) -> None:
        self.path = path
        self.password_hash_method = password_hash_method
        path.parent.mkdir(parents=True, exist_ok=True)
        # Password and token hashes are for this service's eyes only (SQLite gives its -wal and -shm
        # files the database's permissions).
        path.touch(mode=0o600, exist_ok=True)
        self._create()
        # The state transitions read so far, and the last history id among them (rows are only ever added).
        self._transitions: tuple[Transition, ...] = ()
        self._transitions_seen = 0
        self._transitions_lock = threading.Lock()

    def _create(self) -> None:
        """Create the tables and turn on WAL, one process at a time.

        Every gunicorn worker opens the store as it boots; two of them switching a new
        database to WAL at once make SQLite answer "database is locked" without waiting,
        so the switch happens under a file lock (WAL then stays on in the file).
        """
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            with self._connect() as connection:
                if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    connection.execute("PRAGMA journal_mode = WAL")
                connection.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA busy_timeout = 30000")
            yield connection
        finally:
            connection.close()

    def _hash(self, password: str) -> str:
        """Hash a password with the configured method."""
        return generate_password_hash(password, method=self.password_hash_method)

    @cached_property
    def _dummy_hash(self) -> str:
        """A hash to check against when the name is unknown, so the answer takes as long either way.

        Made with the method real passwords get, so the cost matches too; made on first use,
        so opening the store (every CLI command, every worker) does not pay for it.
        """
        return generate_password_hash("not a password", method=self.password_hash_method)

    # --- users --------------------------------------------------------------------------------

    def add_user(self, name: str, role: str, languages: Iterable[str] = ()) -> Credentials:
        """Create an account; return its generated password and token (shown once, stored hashed)."""
        languages = tuple(dict.fromkeys(languages))
        if not _NAME.match(name):
            raise AccountError(f"invalid user name {name!r}: letters, digits and _ . @ - (at most 64)")
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
        if role == "translator" and not languages:
            raise AccountError("a translator needs at least one --language")
        password = _new_password()
        token_id, token_hash, token = _new_token()
        stamp = secrets.token_hex(8)
        with self._connect() as connection:
            try:
                cursor = connection.execute(
                    "INSERT INTO users (name, role, languages, password_hash, token_id, token_hash, stamp, created)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (name, role, ",".join(languages), self._hash(password), token_id, token_hash,
                     stamp, datetime.now(timezone.utc).isoformat(timespec="seconds")),
                )
            except sqlite3.IntegrityError:
                raise AccountError(f"a user named {name!r} already exists") from None
        user = User(cursor.lastrowid or 0, name, role, languages, stamp)
        return Credentials(user, password, token)

    def users(self) -> list[User]:
        """Return every account, by name."""
        with self._connect() as connection:
            return [_user(row) for row in connection.execute("SELECT * FROM users ORDER BY name")]

    def get(self, user_id: int) -> User | None:
        """Return the account with ``user_id``, ``None`` if it does not exist (any more)."""
        with self._connect() as connection:
            row = connection.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return _user(row) if row else None

    def find(self, name: str) -> User | None:
        """Return the account called ``name``, if any."""
        with self._connect() as connection:
            row = connection.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        return _user(row) if row else None

    def _require(self, name: str) -> User:
        user = self.find(name)
        if user is None:
            raise AccountError(f"no user named {name!r}")
        return user

    def remove_user(self, name: str) -> None:
        """Delete an account (its history rows stay, under its name)."""
        self._require(name)
        with self._connect() as connection:
            connection.execute("DELETE FROM users WHERE name = ?", (name,))

    def reset_password(self, name: str) -> str:
        """Give the account a new generated password, ending its login sessions; return the password."""
        self._require(name)
        password = _new_password()
        with self._connect() as connection:
            connection.execute("UPDATE users SET password_hash = ?, stamp = ? WHERE name = ?",
                               (self._hash(password), secrets.token_hex(8), name))
            connection.execute("DELETE FROM login_failures WHERE key = ?", (f"user:{name}",))
        return password

    def reset_token(self, name: str) -> str:
        """Give the account a new API token (the old one stops working); return it."""
        self._require(name)
        token_id, token_hash, token = _new_token()
        with self._connect() as connection:
            connection.execute("UPDATE users SET token_id = ?, token_hash = ? WHERE name = ?",
                               (token_id, token_hash, name))
        return token

    # --- authentication -----------------------------------------------------------------------

    def check_token(self, token: str) -> User | None:
        """Return the account an API token belongs to, ``None`` if it is not valid."""
        token_id, _, secret = token.partition(".")
        if not token_id or not secret or len(token) > 200:
            return None
        with self._connect() as connection:
            row = connection.execute("SELECT * FROM users WHERE token_id = ?", (token_id,)).fetchone()
        if row is None or not check_password_hash(row["token_hash"], secret):
            return None
        return _user(row)

    def _wait(self, connection: sqlite3.Connection, key: str, free: int, now: float) -> float:
        row = connection.execute("SELECT failures, last_failure FROM login_failures WHERE key = ?", (key,)).fetchone()
        if row is None or now - row["last_failure"] > FAILURE_MEMORY or row["failures"] < free:
            return 0.0
        delay = min(2.0 ** (row["failures"] - free + 1), MAX_DELAY)
        return max(0.0, row["last_failure"] + delay - now)

    def check_password(self, name: str, password: str, address: str = "", now: float | None = None) -> User | None:
        """Return the account if ``password`` is right; raise :class:`LoginThrottled` after repeated failures."""
        now = time.time() if now is None else now
        keys = [(f"user:{name}", FREE_FAILURES), (f"address:{address}", FREE_FAILURES_PER_ADDRESS)]
        with self._connect() as connection:
            wait = max(self._wait(connection, key, free, now) for key, free in keys)
            if wait > 0:
                raise LoginThrottled(wait)
            row = connection.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        valid = check_password_hash(row["password_hash"] if row else self._dummy_hash, password)
        with self._connect() as connection:
            if row is not None and valid:
                connection.execute("DELETE FROM login_failures WHERE key = ?", (keys[0][0],))
                return _user(row)
            for key, _free in keys:
                connection.execute(
                    "INSERT INTO login_failures (key, failures, last_failure) VALUES (?, 1, ?) "
                    "ON CONFLICT (key) DO UPDATE SET last_failure = excluded.last_failure, failures = CASE "
                    "WHEN excluded.last_failure - last_failure > ? THEN 1 ELSE failures + 1 END",
                    (key, now, FAILURE_MEMORY),
                )
        return None

    # --- history ------------------------------------------------------------------------------

    def record_change(self, change: Any) -> int:
        """Add a history row for a :class:`service.storage.catalogs.Change`; return its id."""
        with self._connect() as connection:
            cursor = connection.execute(
                "INSERT INTO history (user, at, language, domain, entry_id, msgctxt, msgid, old, new, old_fuzzy,"
                " new_fuzzy, action) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _history_values(change))
        return cursor.lastrowid or 0

    def record_changes(self, changes: Iterable[Any]) -> None:
        """Add history rows for several changes in one transaction (what ``l10n update`` found)."""
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            for change in changes:
                connection.execute(
                    "INSERT INTO history (user, at, language, domain, entry_id, msgctxt, msgid, old, new, old_fuzzy,"
                    " new_fuzzy, action) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _history_values(change))
            connection.execute("COMMIT")

    def history(self, language: str | None = None, domain: str | None = None, entry_id: str | None = None,
                limit: int = 100) -> list[HistoryRow]:
        """Return recorded changes of entries, newest first, narrowed to a language, domain and entry when given.

        Catalog-level rows (state transitions) are not entry changes: :meth:`state_transitions` has them.
        """
        clauses, values = ["entry_id != ''"], []
        for column, value in (("language", language), ("domain", domain), ("entry_id", entry_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                values.append(value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._connect() as connection:
            rows = connection.execute(f"SELECT * FROM history {where} ORDER BY id DESC LIMIT ?", (*values, limit))
            return [self._history_row(row) for row in rows]

    def state_transitions(self) -> tuple[Transition, ...]:
        """Return every recorded state transition of a variant, in the order recorded.

        Cached: a call reads only the rows added since the last one (one indexed query), and
        returns the very same tuple while nothing was added, so callers may cache on it.
        """
        with self._transitions_lock:
            with self._connect() as connection:
                rows = connection.execute(
                    "SELECT id, at, language, domain, old, new FROM history WHERE action = ? AND id > ? ORDER BY id",
                    (TRANSITION_ACTION, self._transitions_seen)).fetchall()
            if rows:
                self._transitions += tuple(
                    Transition(row["language"], row["domain"], json.loads(row["old"]), json.loads(row["new"]),
                               datetime.fromisoformat(row["at"])) for row in rows)
                self._transitions_seen = rows[-1]["id"]
            return self._transitions

    def history_row(self, row_id: int) -> HistoryRow | None:
        """Return one history row by id (``None`` for an id outside SQLite's integers)."""
        if not 0 < row_id < 2 ** 63:
            return None
        with self._connect() as connection:
            row = connection.execute("SELECT * FROM history WHERE id = ?", (row_id,)).fetchone()
        return self._history_row(row) if row else None

    @staticmethod
    def _history_row(row: sqlite3.Row) -> HistoryRow:
        return HistoryRow(
            row["id"], row["user"], datetime.fromisoformat(row["at"]), row["language"], row["domain"],
            row["entry_id"], row["msgctxt"], row["msgid"], json.loads(row["old"]), json.loads(row["new"]),
            bool(row["old_fuzzy"]), bool(row["new_fuzzy"]), row["action"],
        )


def _history_values(change: Any) -> tuple[Any, ...]:
    """Return the column values of a history row for a :class:`service.storage.catalogs.Change`."""
    return (change.user, change.at.isoformat(timespec="seconds"), change.language, change.domain, change.entry_id,
            change.msgctxt, change.msgid, json.dumps(change.old, ensure_ascii=False),
            json.dumps(change.new, ensure_ascii=False), int(change.old_fuzzy), int(change.new_fuzzy), change.action)
