"""The security log: sign-ins, refusals, account changes, saves and uploads, kept for admins and logged as JSON.

Every event is one row of the ``security_events`` table (the admins' page and ``l10n users
log`` read it) and one line on the ``newsroom.security`` logger: a JSON object with
``timestamp``, ``event``, ``user``, ``address`` and the event's details (``language``,
``domain``, ``entry`` for saves and uploads), for whatever collects the service's logs.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .database import Database

__all__ = ["EVENTS", "LOGGER_NAME", "SecurityEvent", "SecurityLog", "ensure_log_output"]

LOGGER_NAME = "newsroom.security"
#: Every event the log knows; anything else is a programming error.
EVENTS = (
    "login", "login-failed", "login-throttled", "logout",
    "user-added", "user-removed", "role-changed", "password-reset", "password-changed", "token-reset",
    "save", "upload",
)
#: Details longer than this are cut: a log line stays a line, whatever a client sends.
MAX_DETAIL = 200
logger = logging.getLogger(LOGGER_NAME)


@dataclass(frozen=True)
class SecurityEvent:
    """One recorded event: when, what, who, from where, and its details."""

    id: int
    at: datetime
    event: str
    user: str
    address: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """Return the event as the JSON object a log line carries."""
        return {"timestamp": self.at.isoformat(timespec="seconds"), "event": self.event, "user": self.user,
                "address": self.address, **self.details}


def _clean(value: Any) -> Any:
    """Cut a detail to :data:`MAX_DETAIL` characters (numbers and booleans pass as they are)."""
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    return str(value)[:MAX_DETAIL]


def ensure_log_output() -> None:
    """Send the security log's lines to stderr, one JSON object each, unless logging is configured already.

    gunicorn sets up only its own loggers: without this the lines would go nowhere. An
    application that configures the root logger (or this one) keeps its own setup.
    """
    if logger.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


class SecurityLog:
    """Record security events in the instance's database and on the ``newsroom.security`` logger."""

    def __init__(self, path: Path) -> None:
        self._database = Database(path)

    def record(self, event: str, user: str, address: str = "", **details: Any) -> SecurityEvent:
        """Record ``event`` by ``user`` from ``address``; return it as stored."""
        if event not in EVENTS:
            raise ValueError(f"unknown security event {event!r}")
        at = datetime.now(timezone.utc)
        cleaned = {key: _clean(value) for key, value in details.items() if value is not None}
        user, address = _clean(user), _clean(address)
        with self._database.connect() as connection:
            cursor = connection.execute(
                "INSERT INTO security_events (at, event, user, address, details) VALUES (?, ?, ?, ?, ?)",
                (at.isoformat(timespec="microseconds"), event, user, address,
                 json.dumps(cleaned, ensure_ascii=False, sort_keys=True)))
        recorded = SecurityEvent(cursor.lastrowid or 0, at, event, user, address, cleaned)
        logger.info(json.dumps(recorded.as_json(), ensure_ascii=False))
        return recorded

    def latest(self, limit: int = 100, event: str | None = None) -> list[SecurityEvent]:
        """Return the latest events, newest first (only ``event`` ones when given)."""
        if not self._database.exists():
            return []
        query, arguments = "SELECT * FROM security_events", []
        if event is not None:
            query, arguments = query + " WHERE event = ?", [event]
        with self._database.connect() as connection:
            rows = connection.execute(query + " ORDER BY id DESC LIMIT ?", [*arguments, max(0, limit)]).fetchall()
        return [SecurityEvent(row["id"], datetime.fromisoformat(row["at"]), row["event"], row["user"], row["address"],
                              json.loads(row["details"])) for row in rows]
