from __future__ import annotations

import pytest

from service.web.extension import services

from .conftest import csrf_token_from


def test_pages_redirect_to_login_when_signed_out(client):
    response = client.get("/translate/en/messages")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=/translate/en/messages")


def test_login_and_logout(client, add_user, login):
    credentials = add_user("olena", "translator", "en")
    response = login(credentials, "/translate/en/articles/lviv-ryasne-tram-line")
    assert response.location == "/translate/en/articles/lviv-ryasne-tram-line"
    page = client.get("/translate/")
    assert page.status_code == 200 and "olena" in page.text
    token = csrf_token_from(page.text)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/translate/").status_code == 302


def test_wrong_password_is_refused(client, add_user):
    add_user("olena", "admin")
    page = client.get("/login")
    response = client.post("/login", data={"csrf_token": csrf_token_from(page.text), "name": "olena",
                                           "password": "wrong"})
    assert response.status_code == 401
    assert client.get("/translate/").status_code == 302


def test_repeated_failed_logins_get_429_with_retry_after(client, add_user):
    credentials = add_user("olena", "admin")
    token = csrf_token_from(client.get("/login").text)
    codes = [client.post("/login", data={"csrf_token": token, "name": "olena", "password": "wrong"}).status_code
             for _ in range(4)]
    assert codes[:3] == [401, 401, 401] and codes[3] == 429
    blocked = client.post("/login", data={"csrf_token": token, "name": "olena", "password": credentials.password})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1


def test_login_form_needs_its_csrf_token(client, add_user):
    credentials = add_user("olena", "admin")
    response = client.post("/login", data={"name": "olena", "password": credentials.password})
    assert response.status_code == 400
    assert client.get("/translate/").status_code == 302


def test_logout_needs_the_csrf_token(client, add_user, login):
    login(add_user("olena", "admin"))
    assert client.post("/logout").status_code == 400
    assert client.get("/translate/").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_login_never_redirects_off_site(client, add_user, login, target):
    response = login(add_user("olena", "admin"), target)
    assert response.location == "/translate/"


def test_bearer_token_works_on_html_pages(client, add_user):
    token = add_user("olena", "translator", "en").token
    response = client.get("/translate/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and "olena" in response.text


def test_bearer_form_posts_need_no_csrf_token(client, add_user, tree):
    token = add_user("olena", "translator", "en").token
    from service.domain.editing import entry_id_of
    entry_id = entry_id_of("heading", "Як упізнати рись")
    response = client.post(f"/translate/en/articles/carpathian-lynx-camera-traps/entries/{entry_id}",
                           headers={"Authorization": f"Bearer {token}"},
                           data={"base": '""', "msgstr": "How to recognise a lynx", "action": "save"})
    assert response.status_code == 302
    assert 'msgstr "How to recognise a lynx"' in (
        tree / "locales/en/LC_MESSAGES/articles/carpathian-lynx-camera-traps.po").read_text()


def test_reset_password_ends_existing_sessions(client, app, add_user, login):
    login(add_user("olena", "admin"))
    assert client.get("/translate/").status_code == 200
    services(app).accounts.reset_password("olena")
    assert client.get("/translate/").status_code == 302


def test_removed_user_loses_access(client, app, add_user, login):
    credentials = add_user("olena", "admin")
    login(credentials)
    services(app).accounts.remove_user("olena")
    assert client.get("/translate/").status_code == 302
    assert client.get("/api/catalogs", headers={"Authorization": f"Bearer {credentials.token}"}).status_code == 401


def test_workspace_pages_carry_security_headers(client, add_user, login):
    login(add_user("olena", "admin"))
    response = client.get("/translate/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert "<script>" not in response.text  # no inline script: the CSP stays strict


def test_require_role_refuses_other_roles(app, add_user):
    from service.web.auth import require_role

    @app.get("/only-editors")
    @require_role("editor", "admin")
    def only_editors():
        return "ok"

    client = app.test_client()
    translator = add_user("olena", "translator", "en").token
    editor = add_user("ivan", "editor").token
    assert client.get("/only-editors", headers={"Authorization": f"Bearer {translator}"}).status_code == 403
    assert client.get("/only-editors", headers={"Authorization": f"Bearer {editor}"}).data == b"ok"
    assert client.get("/only-editors").status_code == 302


def test_workspace_speaks_the_browsers_language(client, add_user, login):
    login(add_user("olena", "admin"))
    page = client.get("/translate/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Catalogs" in page.text


def test_session_cookie_is_same_site_lax(client, add_user, login):
    response = login(add_user("olena", "translator", "en"))
    cookie = response.headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie


def test_session_cookie_is_secure_when_the_request_came_over_https(client, add_user):
    credentials = add_user("olena", "translator", "en")
    https = {"base_url": "https://localhost"}
    page = client.get("/login", **https)
    response = client.post("/login", **https, headers={"Referer": "https://localhost/login"},
                           data={"csrf_token": csrf_token_from(page.text), "name": "olena",
                                 "password": credentials.password})
    assert response.status_code == 302
    assert "; Secure" in response.headers["Set-Cookie"]
    assert "; Secure" not in client.get("/login").headers["Set-Cookie"]  # plain HTTP (a development server)


def test_pages_made_from_the_session_are_kept_out_of_caches(client, add_user, login):
    assert client.get("/login").headers["Cache-Control"] == "no-store"  # its CSRF token is this browser's
    login(add_user("olena", "admin"))
    for path in ("/translate/", "/translate/uk/messages", "/editor/coverage"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    reader = client.get("/uk/")
    assert reader.headers["Cache-Control"].startswith("public") and "Set-Cookie" not in reader.headers
