"""``l10n users set-role`` and ``l10n users log``, and the security events the account commands record."""
from __future__ import annotations

import json

from service.bootstrap import build_services
from service.config import load_settings


def _services(tree, monkeypatch):
    return build_services(load_settings())


def test_account_commands_are_in_the_security_log(runner, tree):
    runner.invoke("users", "add", "olena", "--role", "translator", "--language", "en")
    runner.invoke("users", "reset-password", "olena")
    runner.invoke("users", "reset-token", "olena")
    result = runner.invoke("users", "set-role", "olena", "--role", "editor")
    assert result.exit_code == 0 and result.output.startswith("olena\teditor")
    runner.invoke("users", "remove", "olena")
    logged = json.loads(runner.invoke("users", "log", "--format", "json").output)
    assert [event["event"] for event in logged] == ["user-removed", "role-changed", "token-reset", "password-reset",
                                                     "user-added"]
    assert {event["user"] for event in logged} == {"olena"} and logged[1]["role"] == "editor"
    table = runner.invoke("users", "log", "--event", "user-added").output.splitlines()
    assert len(table) == 1 and "\tuser-added\tolena\tcli\t" in table[0]


def test_set_role_ends_the_sessions_and_changes_the_role(runner, tree, monkeypatch):
    runner.invoke("users", "add", "olena", "--role", "translator", "--language", "en")
    services = _services(tree, monkeypatch)
    before = services.accounts.find("olena")
    runner.invoke("users", "set-role", "olena", "--role", "translator", "--language", "uk")
    after = services.accounts.find("olena")
    assert after.languages == ("uk",) and after.stamp != before.stamp


def test_set_role_refuses_bad_input_and_changes_nothing(runner, tree, monkeypatch):
    runner.invoke("users", "add", "olena", "--role", "translator", "--language", "en")
    services = _services(tree, monkeypatch)
    before = services.accounts.find("olena")
    for arguments in (["nobody", "--role", "editor"], ["olena", "--role", "translator"],
                      ["olena", "--role", "translator", "--language", "xx"], ["olena", "--role", "root"]):
        result = runner.invoke("users", "set-role", *arguments)
        assert result.exit_code != 0 and "Traceback" not in result.output
    assert services.accounts.find("olena") == before
    assert [event.event for event in services.security_log.latest()] == ["user-added"]


def test_an_empty_log_prints_nothing(runner, tree):
    result = runner.invoke("users", "log")
    assert result.exit_code == 0 and result.output == ""
    assert runner.invoke("users", "log", "--limit", "0").exit_code == 2
