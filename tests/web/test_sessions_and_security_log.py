"""Sessions end everywhere, sign-ins and changes are logged for admins, HSTS only over HTTPS (issue 9, part 4)."""
from __future__ import annotations

import json
import logging

import pytest

from service.web.extension import services

from ..conftest import prepared_app, tree_settings
from .conftest import csrf_token_from


def _copy_of_session(app, client):
    """Return a second client carrying a copy of ``client``'s session cookie (a stolen or second-tab copy)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    copy = app.test_client()
    copy.set_cookie("session", cookie.value)
    return copy


def _log_out(client):
    page = client.get("/logout")
    return client.post("/logout", data={"csrf_token": csrf_token_from(page.text)})


def test_logout_ends_every_copy_of_the_session(app, client, add_user, login):
    login(add_user("olena", "translator", "uk"))
    copy = _copy_of_session(app, client)
    assert copy.get("/translate/").status_code == 200
    assert _log_out(client).status_code == 302
    refused = copy.get("/translate/")
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    assert copy.get("/api/catalogs").status_code == 401


@pytest.mark.parametrize("change", [
    lambda accounts: accounts.reset_password("olena"),
    lambda accounts: accounts.set_role("olena", "editor"),
    lambda accounts: accounts.remove_user("olena"),
])
def test_password_reset_role_change_and_removal_end_the_sessions(app, client, add_user, login, change):
    login(add_user("olena", "translator", "uk"))
    assert client.get("/api/catalogs").status_code == 200
    change(services(app).accounts)
    assert client.get("/api/catalogs").status_code == 401


def test_a_new_sign_in_is_not_ended_by_the_old_sessions_logout(app, client, add_user, login):
    credentials = add_user("olena", "translator", "uk")
    login(credentials)
    _log_out(client)
    login(credentials)
    assert client.get("/translate/").status_code == 200


def test_the_api_token_survives_a_logout(app, client, add_user, login):
    credentials = add_user("olena", "translator", "uk")
    login(credentials)
    _log_out(client)
    assert app.test_client().get("/api/catalogs", headers={"Authorization": f"Bearer {credentials.token}"}).status_code == 200


def _events(app, event=None):
    return [(item.event, item.user) for item in services(app).security_log.latest(50, event)]


def test_sign_ins_failures_and_throttling_are_logged_as_json_lines(app, client, add_user, login, caplog):
    credentials = add_user("olena", "translator", "uk")
    caplog.set_level(logging.INFO, logger="newsroom.security")
    login(credentials)
    for _attempt in range(4):
        page = client.get("/login")
        client.post("/login", data={"csrf_token": csrf_token_from(page.text), "name": "olena", "password": "wrong"})
    assert _events(app)[:2] == [("login-throttled", "olena"), ("login-failed", "olena")]
    assert ("login", "olena") in _events(app)
    lines = [json.loads(record.getMessage()) for record in caplog.records if record.name == "newsroom.security"]
    assert [line["event"] for line in lines][:2] == ["login", "login-failed"]
    assert {"timestamp", "event", "user", "address"} <= set(lines[0])
    assert lines[0]["address"] == "127.0.0.1"


def test_saves_and_uploads_are_logged_with_language_domain_and_entry(app, client, add_user, caplog):
    from service.domain.editing import entry_id_of

    credentials = add_user("olena", "translator", "uk")
    caplog.set_level(logging.INFO, logger="newsroom.security")
    headers = {"Authorization": f"Bearer {credentials.token}"}
    entry_id = entry_id_of(None, "Newsroom")
    current = client.get(f"/api/catalogs/uk/messages/entries/{entry_id}", headers=headers).json
    saved = client.put(f"/api/catalogs/uk/messages/entries/{entry_id}", headers=headers,
                       json={"msgstr": "Редакція новин", "base": current["msgstr"]})
    assert saved.status_code == 200, saved.text
    po = client.get("/api/catalogs/uk/messages/po", headers=headers).data
    assert client.put("/api/catalogs/uk/messages/po", headers=headers, data=po).status_code == 200
    upload, save = services(app).security_log.latest(2)
    assert (save.event, save.user, save.details["language"], save.details["domain"], save.details["entry"]) == (
        "save", "olena", "uk", "messages", entry_id)
    assert (upload.event, upload.details["language"], upload.details["domain"]) == ("upload", "uk", "messages")
    logged = [json.loads(record.getMessage()) for record in caplog.records if record.name == "newsroom.security"]
    assert logged[0]["event"] == "save" and logged[0]["entry"] == entry_id and logged[0]["language"] == "uk"


def test_admins_see_the_security_log_in_the_interface_language(app, client, add_user, login):
    services(app).security_log.record("login-failed", "mallory", "203.0.113.9")
    login(add_user("root", "admin"))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "uk"
    page = client.get("/admin/security")
    assert page.status_code == 200
    assert "Журнал безпеки" in page.text and "невдалий вхід" in page.text and "203.0.113.9" in page.text
    filtered = client.get("/admin/security?event=login")
    assert filtered.status_code == 200 and "203.0.113.9" not in filtered.text
    assert client.get("/admin/security?event=nonsense").status_code == 400


def test_only_admins_see_the_security_log(app, client, add_user, login):
    assert client.get("/admin/security").status_code == 302
    login(add_user("ed", "editor"))
    assert client.get("/admin/security").status_code == 403


def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/uk/").headers
    secure = client.get("/uk/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("proxies, hsts", [(0, False), (1, True)])
def test_hsts_follows_the_forwarded_scheme_only_from_configured_proxies(tree, proxies, hsts):
    app = prepared_app({**tree_settings(tree), "SECRET_KEY": "test", "PROXIES": proxies})
    answer = app.test_client().get("/uk/", headers={"X-Forwarded-Proto": "https"})
    assert ("Strict-Transport-Security" in answer.headers) is hsts


def _change_password(client, current, new, repeat=None):
    page = client.get("/account/password")
    return client.post("/account/password", data={"csrf_token": csrf_token_from(page.text), "current": current,
                                                  "new": new, "repeat": new if repeat is None else repeat})


def test_a_password_change_ends_every_other_copy_of_the_session(app, client, add_user, login):
    credentials = add_user("olena", "translator", "uk")
    login(credentials)
    copy = _copy_of_session(app, client)
    changed = _change_password(client, credentials.password, "a new long passphrase")
    assert changed.status_code == 302 and "changed=1" in changed.headers["Location"]
    assert client.get("/translate/").status_code == 200  # the browser that changed it stays signed in
    refused = copy.get("/translate/")
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    assert services(app).accounts.check_password("olena", "a new long passphrase") is not None
    assert services(app).security_log.latest(1)[0].event == "password-changed"


@pytest.mark.parametrize("current, new, repeat, status", [
    ("wrong", "a new long passphrase", None, 403),
    (None, "short", None, 400),
    (None, "a new long passphrase", "another long passphrase", 400),
    (None, "x" * 2000, None, 400),
])
def test_a_refused_password_change_changes_nothing(app, client, add_user, login, current, new, repeat, status):
    credentials = add_user("olena", "translator", "uk")
    login(credentials)
    before = services(app).accounts.find("olena")
    answer = _change_password(client, credentials.password if current is None else current, new, repeat)
    assert answer.status_code == status
    assert services(app).accounts.find("olena") == before
    assert services(app).accounts.check_password("olena", credentials.password) is not None


@pytest.mark.parametrize("new, repeat", [("a new long passphrase", "a new long passphrase!"), ("short", None)])
def test_a_refused_new_password_says_what_is_wrong_with_it(client, add_user, login, new, repeat):
    # every field was filled: "Fill in every field." would send the user looking for an empty one
    credentials = add_user("olena", "translator", "uk")
    login(credentials)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    answer = _change_password(client, credentials.password, new, repeat)
    assert answer.status_code == 400
    assert "typed the same twice" in answer.text and "Fill in every field" not in answer.text
