from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime

import pytest

from service.domain.editing import Change, transition_change
from service.domain.variant_state import Transition
from service.storage.accounts import (
    FREE_FAILURES,
    AccountError,
    Accounts,
    LoginThrottled,
    database_path,
)
from service.storage.history import History

from ..conftest import TEST_PASSWORD_HASH_METHOD, both_at_once


@pytest.fixture
def accounts(tmp_path):
    return Accounts(database_path(tmp_path), password_hash_method=TEST_PASSWORD_HASH_METHOD)


@pytest.fixture
def history(tmp_path):
    return History(database_path(tmp_path))


def test_users_add_prints_password_and_token_on_their_own_lines(runner, tree):
    result = runner.invoke("users", "add", "olena", "--role", "translator", "--language", "en")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    password = next(line for line in lines if line.startswith("password: ")).removeprefix("password: ")
    token = next(line for line in lines if line.startswith("token: ")).removeprefix("token: ")
    accounts = Accounts(database_path(tree / "instance"))
    assert accounts.check_password("olena", password).languages == ("en",)
    assert accounts.check_token(token).name == "olena"


def test_passwords_and_tokens_are_stored_hashed(runner, tree):
    output = runner.invoke("users", "add", "ivan", "--role", "editor").output
    password = output.split("password: ")[1].split()[0]
    token = output.split("token: ")[1].split()[0]
    dump = "\n".join(sqlite3.connect(database_path(tree / "instance")).iterdump())
    assert password not in dump and token.split(".")[1] not in dump
    assert "scrypt:" in dump or "pbkdf2:" in dump


def test_only_the_service_may_read_the_accounts_database(runner, tree):
    runner.invoke("users", "add", "ivan", "--role", "editor")
    instance = tree / "instance"
    for path in [database_path(instance), *instance.glob(database_path(instance).name + "-*")]:
        assert path.stat().st_mode & 0o077 == 0, path


def test_users_list_remove_and_reset_password(runner, tree):
    runner.invoke("users", "add", "olena", "--role", "translator", "--language", "en", "--language", "uk")
    runner.invoke("users", "add", "boss", "--role", "admin")
    rows = json.loads(runner.invoke("users", "list", "--format", "json").output)
    assert rows == [{"name": "boss", "role": "admin", "languages": []},
                    {"name": "olena", "role": "translator", "languages": ["en", "uk"]}]
    assert "olena\ttranslator\ten,uk" in runner.invoke("users", "list").output
    new_password = runner.invoke("users", "reset-password", "olena").output.split("password: ")[1].strip()
    assert Accounts(database_path(tree / "instance")).check_password("olena", new_password) is not None
    assert runner.invoke("users", "remove", "olena").exit_code == 0
    assert "olena" not in runner.invoke("users", "list").output


@pytest.mark.parametrize("arguments, message", [
    (("users", "add", "x", "--role", "translator"), "needs at least one --language"),
    (("users", "add", "x", "--role", "translator", "--language", "de"), "not in LANGUAGES"),
    (("users", "add", "bad name", "--role", "admin"), "invalid user name"),
    (("users", "remove", "nobody"), "no user named"),
    (("users", "reset-password", "nobody"), "no user named"),
])
def test_users_command_refuses_bad_input_clearly(runner, arguments, message):
    result = runner.invoke(*arguments)
    assert result.exit_code != 0
    assert message in result.output


def test_users_add_refuses_a_taken_name(runner):
    runner.invoke("users", "add", "olena", "--role", "admin")
    result = runner.invoke("users", "add", "olena", "--role", "admin")
    assert result.exit_code == 1 and "already exists" in result.output


def test_unknown_role_is_refused(accounts):
    with pytest.raises(AccountError):
        accounts.add_user("x", "superuser")


def test_repeated_failed_logins_are_slowed_down(accounts):
    credentials = accounts.add_user("olena", "admin")
    now = 1_000_000.0
    for attempt in range(FREE_FAILURES):
        assert accounts.check_password("olena", "wrong", "10.0.0.1", now=now + attempt) is None
    with pytest.raises(LoginThrottled) as throttled:
        accounts.check_password("olena", credentials.password, "10.0.0.1", now=now + FREE_FAILURES)
    assert throttled.value.retry_after > 0
    # Once the delay is over, the right password works and clears the failures.
    assert accounts.check_password("olena", credentials.password, "10.0.0.1", now=now + 60) is not None
    assert accounts.check_password("olena", "wrong", "10.0.0.1", now=now + 61) is None
    assert accounts.check_password("olena", credentials.password, "10.0.0.1", now=now + 62) is not None


def test_the_delay_doubles_with_each_failure(accounts):
    accounts.add_user("olena", "admin")
    now = 1_000_000.0
    waits = []
    for attempt in range(FREE_FAILURES + 3):
        try:
            accounts.check_password("olena", "wrong", now=now)
        except LoginThrottled as throttled:
            waits.append(throttled.retry_after)
            now += throttled.retry_after
            accounts.check_password("olena", "wrong", now=now)
    assert waits == sorted(waits) and waits[-1] > waits[0]


def test_reset_token_invalidates_the_old_one(accounts):
    credentials = accounts.add_user("olena", "admin")
    new = accounts.reset_token("olena")
    assert accounts.check_token(credentials.token) is None
    assert accounts.check_token(new).name == "olena"
    assert accounts.check_token("garbage") is None and accounts.check_token(".") is None


def _stored_token_hash(tmp_path, name):
    with closing(sqlite3.connect(database_path(tmp_path))) as connection:
        return connection.execute("SELECT token_hash FROM users WHERE name = ?", (name,)).fetchone()[0]


def test_a_token_is_stored_as_a_sha256_digest_of_its_secret(accounts, tmp_path):
    import hashlib

    token = accounts.add_user("olena", "translator", ["en"]).token
    secret = token.split(".", 1)[1]
    assert _stored_token_hash(tmp_path, "olena") == "sha256$" + hashlib.sha256(secret.encode()).hexdigest()
    assert accounts.check_token(token).name == "olena"
    assert accounts.check_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_a_token_stored_as_an_older_pbkdf2_hash_keeps_working_and_is_stored_as_a_digest_on_first_use(
        accounts, tmp_path):
    from werkzeug.security import generate_password_hash

    token = accounts.add_user("olena", "translator", ["en"]).token
    token_id, secret = token.split(".", 1)
    old = generate_password_hash(secret, method="pbkdf2:sha256:10000")  # what older versions stored
    with closing(sqlite3.connect(database_path(tmp_path))) as connection, connection:
        connection.execute("UPDATE users SET token_hash = ? WHERE name = 'olena'", (old,))
    assert accounts.check_token(f"{token_id}.wrong-secret") is None
    assert _stored_token_hash(tmp_path, "olena") == old  # a wrong secret changes nothing
    assert accounts.check_token(token).name == "olena"
    assert _stored_token_hash(tmp_path, "olena").startswith("sha256$")
    assert accounts.check_token(token).name == "olena"  # and keeps working as a digest
    assert accounts.check_token(f"{token_id}.wrong-secret") is None


def test_translator_edits_only_their_languages(accounts):
    translator = accounts.add_user("t", "translator", ["en"]).user
    editor = accounts.add_user("e", "editor").user
    assert translator.can_edit("en") and not translator.can_edit("uk")
    assert editor.can_edit("uk") and editor.can_edit("en")


def test_history_row_outside_sqlite_integers_is_none(history):
    assert history.row(2 ** 63) is None and history.row(-(2 ** 70)) is None


def _transition_rows(history):
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    history.record_change(Change("olena", at, "en", "articles/a", "0123456789abcdef", None, "Рись", "", "Lynx",
                                 False, False, "save"))
    history.record_change(transition_change(Transition("en", "articles/a", "incomplete", "complete", at), "olena"))
    return at


def test_entry_history_leaves_out_catalog_level_rows(history):
    _transition_rows(history)
    assert [row.action for row in history.rows()] == ["save"]
    assert [row.action for row in history.rows("en", "articles/a")] == ["save"]
    assert history.rows("en", "articles/a", "") == []


def test_state_transitions_come_back_in_order_and_cached(history):
    at = _transition_rows(history)
    first = history.state_transitions()
    assert first == (Transition("en", "articles/a", "incomplete", "complete", at),)
    assert history.state_transitions() is first  # nothing new: the very same tuple
    history.record_changes([])
    later = Transition("en", "articles/a", "complete", "stale", at.replace(day=3))
    history.record_changes([transition_change(later, "l10n update")])
    assert history.state_transitions() == first + (later,)
    assert History(history.path).state_transitions() == first + (later,)  # another process reads them all


def test_history_and_accounts_share_one_database_opened_on_first_use(tmp_path):
    history = History(database_path(tmp_path))
    assert not history.exists() and not database_path(tmp_path).exists()  # `l10n extract` creates no database
    _transition_rows(history)
    assert history.exists()
    credentials = Accounts(database_path(tmp_path)).add_user("olena", "translator", ["en"])
    assert credentials.user.name == "olena" and [row.user for row in history.rows()] == ["olena"]


def test_workers_booting_together_all_open_a_new_database(tmp_path):
    # gunicorn's two workers boot at the same moment and each opens the store; neither may fail.
    # Before the fix, one new database in a few dozen met "database is locked" this way.
    paths = [tmp_path / str(number) / "accounts.sqlite3" for number in range(300)]
    answers = both_at_once(lambda path: Accounts(path) and "opened", paths)
    assert [answer for pair in answers for answer in pair if answer != "opened"] == []
    with sqlite3.connect(paths[0]) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_passwords_are_hashed_with_the_configured_method_and_old_hashes_still_work(tmp_path):
    path = database_path(tmp_path)
    secure = Accounts(path)  # the production default
    olena = secure.add_user("olena", "translator", ["en"])
    cheap = Accounts(path, password_hash_method=TEST_PASSWORD_HASH_METHOD)
    ivan = cheap.add_user("ivan", "translator", ["uk"])
    with closing(sqlite3.connect(path)) as connection:
        hashes = dict(connection.execute("SELECT name, password_hash FROM users"))
    assert hashes["olena"].startswith("scrypt:") and hashes["ivan"].startswith(TEST_PASSWORD_HASH_METHOD + "$")
    assert cheap.check_password("olena", olena.password).name == "olena"  # each hash names its own method
    assert secure.check_password("ivan", ivan.password).name == "ivan"
    assert cheap.check_password("nobody", "guess") is None


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_languages_are_for_translators_only(accounts, role):
    with pytest.raises(AccountError, match=f"an {role} works in every language"):
        accounts.add_user("iryna", role, ["en"])
    accounts.add_user("iryna", "translator", ["en"])
    with pytest.raises(AccountError, match="--language is for translators"):
        accounts.set_role("iryna", role, ["en"])
    assert accounts.set_role("iryna", role).languages == ()
