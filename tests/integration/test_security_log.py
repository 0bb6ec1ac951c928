"""The security log store: rows for admins, JSON lines for the log collector."""
from __future__ import annotations

import json
import logging

import pytest

from service.storage.database import database_path
from service.storage.security_log import LOGGER_NAME, MAX_DETAIL, SecurityLog, ensure_log_output


@pytest.fixture
def log(tree):
    return SecurityLog(database_path(tree / "instance"))


def test_events_are_kept_newest_first_and_filtered(log):
    log.record("login", "olena", "10.0.0.1")
    log.record("save", "olena", "10.0.0.1", language="uk", domain="messages", entry="0123456789abcdef")
    assert [event.event for event in log.latest()] == ["save", "login"]
    assert [event.event for event in log.latest(event="login")] == ["login"]
    assert log.latest(1)[0].details == {"language": "uk", "domain": "messages", "entry": "0123456789abcdef"}


def test_an_unknown_event_is_refused_and_nothing_is_stored(log):
    with pytest.raises(ValueError):
        log.record("coffee", "olena")
    assert log.latest() == []


def test_a_long_or_multiline_value_stays_one_line(log, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    log.record("login-failed", "x" * 5000 + "\nfake line", "10.0.0.1")
    assert len(log.latest()[0].user) == MAX_DETAIL
    (record,) = [record for record in caplog.records if record.name == LOGGER_NAME]
    assert "\n" not in record.getMessage() and json.loads(record.getMessage())["event"] == "login-failed"


def test_lines_reach_stderr_when_nothing_configured_logging(log, capsys, monkeypatch):
    logger = logging.getLogger(LOGGER_NAME)
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "propagate", True)
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    ensure_log_output()
    log.record("logout", "olena", "10.0.0.1")
    line = json.loads(capsys.readouterr().err.strip())
    assert {key: line[key] for key in ("event", "user", "address")} == {
        "event": "logout", "user": "olena", "address": "10.0.0.1"}
    assert "timestamp" in line
