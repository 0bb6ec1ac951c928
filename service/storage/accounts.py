"""Accounts, API tokens and failed-login throttling, in the instance's SQLite database.

Passwords are stored only as Werkzeug hashes (slow on purpose). A token is ``<token
id>.<secret>``: the id finds the account, the SHA-256 digest of the secret proves it. The
secret is 256 random bits, which no guessing reaches, so a fast digest is as safe as a slow
hash; tokens stored by older versions as PBKDF2 hashes are checked that way once and
stored as digests on their first use.
Every account carries a ``stamp``, the version of its login sessions: a session remembers
the stamp it was made with and is refused once the stamp changes, which signing out, a
password reset and a role change do (removing the account ends them too), so every copy
of a session cookie ends at once.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Iterable

from .database import Database, database_path

__all__ = ["ALL_LANGUAGE_ROLES", "decayed", "throttle_delay", "ROLES", "AccountError", "Accounts", "Credentials", "LoginThrottled", "User",
           "database_path"]

ROLES = ("translator", "editor", "admin")
#: Roles that may work on every language (a translator works on their own languages only).
ALL_LANGUAGE_ROLES = ("editor", "admin")
#: How a token's secret is stored: ``sha256$<hex digest>`` (older versions stored Werkzeug PBKDF2 hashes).
TOKEN_DIGEST_PREFIX = "sha256$"
#: Failed logins of one account from one address allowed before each further attempt from there
#: has to wait: 2 s, doubling, at most ``MAX_ACCOUNT_DELAY``. Keyed by account *and* address, so
#: nobody elsewhere can make the owner wait (see README, "Login throttling").
FREE_FAILURES = 3
MAX_ACCOUNT_DELAY = 60.0
#: Failed logins from one address, whichever accounts they name, before that address is slowed
#: down (doubling, at most ``MAX_DELAY``): one machine spraying names or passwords crawls.
FREE_FAILURES_PER_ADDRESS = 20
MAX_DELAY = 300.0
#: One recorded failure is forgotten for every ``FAILURE_DECAY`` seconds without a new one.
FAILURE_DECAY = 300.0
#: What a password chosen by its owner must measure (generated ones are 16 characters).
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


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


def _password_hash(secret: str, method: str) -> str:
    """Hash ``secret`` with Werkzeug (imported on first use: most ``l10n`` commands hash nothing)."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(secret, method=method)


def _hash_matches(stored: str, secret: str) -> bool:
    """Tell whether ``secret`` matches the Werkzeug hash ``stored``."""
    from werkzeug.security import check_password_hash

    return check_password_hash(stored, secret)


def _check_role(role: str, languages: tuple[str, ...]) -> None:
    """Refuse an unknown role, a translator without languages, and languages for a role that has them all."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    if role == "translator" and not languages:
        raise AccountError("a translator needs at least one --language")
    if role in ALL_LANGUAGE_ROLES and languages:
        raise AccountError(f"an {role} works in every language: --language is for translators")


def _new_password() -> str:
    return secrets.token_urlsafe(12)


def _new_token() -> tuple[str, str, str]:
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    return token_id, _token_digest(secret), f"{token_id}.{secret}"


def _token_digest(secret: str) -> str:
    """Return how a token's secret is stored: a SHA-256 digest (the secret is 256 random bits)."""
    return TOKEN_DIGEST_PREFIX + hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _user(row: sqlite3.Row) -> User:
    languages = tuple(language for language in row["languages"].split(",") if language)
    return User(row["id"], row["name"], row["role"], languages, row["stamp"])


#: How passwords are hashed unless the ``PASSWORD_HASH_METHOD`` setting says otherwise: Werkzeug's
#: default (scrypt), slow on purpose. Tests pass a cheap method; production keeps this one.
DEFAULT_PASSWORD_HASH_METHOD = "scrypt"


class Accounts:
    """Users, tokens and login throttling (the history of changes is :class:`service.storage.history.History`)."""

    def __init__(self, path: Path, password_hash_method: str = DEFAULT_PASSWORD_HASH_METHOD) -> None:
        self.path = path
        self.password_hash_method = password_hash_method
        self._database = Database(path)
        self._database.create()  # opening the accounts opens the database (the server's workers, at boot)

    def _hash(self, password: str) -> str:
        """Hash a password with the configured method."""
        return _password_hash(password, method=self.password_hash_method)

    @cached_property
    def _dummy_hash(self) -> str:
        """A hash to check against when the name is unknown, so the answer takes as long either way.

        Made with the method real passwords get, so the cost matches too; made on first use,
        so opening the store (every CLI command, every worker) does not pay for it.
        """
        return _password_hash("not a password", method=self.password_hash_method)

    # --- users --------------------------------------------------------------------------------

    def add_user(self, name: str, role: str, languages: Iterable[str] = ()) -> Credentials:
        """Create an account; return its generated password and token (shown once, stored hashed)."""
        languages = tuple(dict.fromkeys(languages))
        if not _NAME.match(name):
            raise AccountError(f"invalid user name {name!r}: letters, digits and _ . @ - (at most 64)")
        _check_role(role, languages)
        password = _new_password()
        token_id, token_hash, token = _new_token()
        stamp = secrets.token_hex(8)
        with self._database.connect() as connection:
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
        with self._database.connect() as connection:
            return [_user(row) for row in connection.execute("SELECT * FROM users ORDER BY name")]

    def get(self, user_id: int) -> User | None:
        """Return the account with ``user_id``, ``None`` if it does not exist (any more)."""
        with self._database.connect() as connection:
            row = connection.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return _user(row) if row else None

    def find(self, name: str) -> User | None:
        """Return the account called ``name``, if any."""
        with self._database.connect() as connection:
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
        with self._database.connect() as connection:
            connection.execute("DELETE FROM users WHERE name = ?", (name,))

    def reset_password(self, name: str) -> str:
        """Give the account a new generated password, ending its login sessions; return the password."""
        self._require(name)
        password = _new_password()
        with self._database.connect() as connection:
            connection.execute("UPDATE users SET password_hash = ?, stamp = ? WHERE name = ?",
                               (self._hash(password), secrets.token_hex(8), name))
            prefix = f"user:{name}|"
            connection.execute("DELETE FROM login_failures WHERE substr(key, 1, ?) = ?", (len(prefix), prefix))
        return password

    def change_password(self, name: str, current: str, new: str, address: str = "", now: float | None = None) -> User:
        """Replace the account's password after checking the current one, ending its login sessions.

        The current password is checked (and throttled) as a sign-in is, so a stolen session
        cannot be used to guess it. Return the account with its new session stamp.
        """
        if not MIN_PASSWORD_LENGTH <= len(new) <= MAX_PASSWORD_LENGTH:
            raise AccountError(f"the new password needs {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters")
        if self.check_password(name, current, address, now) is None:
            raise AccountError("the current password is wrong")
        with self._database.connect() as connection:
            connection.execute("UPDATE users SET password_hash = ?, stamp = ? WHERE name = ?",
                               (self._hash(new), secrets.token_hex(8), name))
        return self._require(name)

    def set_role(self, name: str, role: str, languages: Iterable[str] = ()) -> User:
        """Change an account's role and languages, ending its login sessions; return the account."""
        languages = tuple(dict.fromkeys(languages))
        self._require(name)
        _check_role(role, languages)
        with self._database.connect() as connection:
            connection.execute("UPDATE users SET role = ?, languages = ?, stamp = ? WHERE name = ?",
                               (role, ",".join(languages), secrets.token_hex(8), name))
        return self._require(name)

    def end_sessions(self, user_id: int) -> None:
        """End every login session of the account (every copy of every cookie): give it a new stamp."""
        with self._database.connect() as connection:
            connection.execute("UPDATE users SET stamp = ? WHERE id = ?", (secrets.token_hex(8), user_id))

    def reset_token(self, name: str) -> str:
        """Give the account a new API token (the old one stops working); return it."""
        self._require(name)
        token_id, token_hash, token = _new_token()
        with self._database.connect() as connection:
            connection.execute("UPDATE users SET token_id = ?, token_hash = ? WHERE name = ?",
                               (token_id, token_hash, name))
        return token

    # --- authentication -----------------------------------------------------------------------

    def check_token(self, token: str) -> User | None:
        """Return the account an API token belongs to, ``None`` if it is not valid."""
        token_id, _, secret = token.partition(".")
        if not token_id or not secret or len(token) > 200:
            return None
        with self._database.connect() as connection:
            row = connection.execute("SELECT * FROM users WHERE token_id = ?", (token_id,)).fetchone()
            if row is None:
                return None
            stored, digest = row["token_hash"], _token_digest(secret)
            if stored.startswith(TOKEN_DIGEST_PREFIX):
                return _user(row) if hmac.compare_digest(stored, digest) else None
            if not _hash_matches(stored, secret):  # stored by an older version
                return None
            connection.execute("UPDATE users SET token_hash = ? WHERE token_id = ? AND token_hash = ?",
                               (digest, token_id, stored))
        return _user(row)

    @staticmethod
    def _throttle_keys(name: str, address: str) -> list[tuple[str, int, float]]:
        """Return the failure counters a login from ``address`` for ``name`` meets: (key, free failures, cap)."""
        return [(f"user:{name}|{address}", FREE_FAILURES, MAX_ACCOUNT_DELAY),
                (f"address:{address}", FREE_FAILURES_PER_ADDRESS, MAX_DELAY)]

    def _wait(self, connection: sqlite3.Connection, key: str, free: int, cap: float, now: float) -> float:
        row = connection.execute("SELECT failures, last_failure FROM login_failures WHERE key = ?", (key,)).fetchone()
        if row is None or row["failures"] < free:
            return 0.0
        return max(0.0, row["last_failure"] + throttle_delay(row["failures"], free, cap) - now)

    def check_password(self, name: str, password: str, address: str = "", now: float | None = None) -> User | None:
        """Return the account if ``password`` is right; raise :class:`LoginThrottled` after repeated failures."""
        now = time.time() if now is None else now
        keys = self._throttle_keys(name, address)
        with self._database.connect() as connection:
            wait = max(self._wait(connection, key, free, cap, now) for key, free, cap in keys)
            if wait > 0:
                raise LoginThrottled(wait)
            row = connection.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        valid = _hash_matches(row["password_hash"] if row else self._dummy_hash, password)
        with self._database.connect() as connection:
            if row is not None and valid:
                connection.execute("DELETE FROM login_failures WHERE key = ?", (keys[0][0],))
                return _user(row)
            connection.execute("BEGIN IMMEDIATE")
            for key, _free, _cap in keys:
                found = connection.execute("SELECT failures, last_failure FROM login_failures WHERE key = ?",
                                           (key,)).fetchone()
                failures = decayed(found["failures"], now - found["last_failure"]) if found else 0
                connection.execute(
                    "INSERT INTO login_failures (key, failures, last_failure) VALUES (?, ?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure",
                    (key, failures + 1, now))
            connection.execute("COMMIT")
        return None


def throttle_delay(failures: int, free: int, cap: float) -> float:
    """Return how long to wait after ``failures`` failed logins when ``free`` are allowed: doubling, at most ``cap``."""
    if failures < free:
        return 0.0
    return min(2.0 ** min(failures - free + 1, 32), cap)


def decayed(failures: int, quiet: float) -> int:
    """Return what is left of ``failures`` after ``quiet`` seconds without one (one forgotten per ``FAILURE_DECAY``)."""
    return max(0, failures - int(max(0.0, quiet) // FAILURE_DECAY))
