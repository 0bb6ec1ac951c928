"""Who may do what (issue 9, part 6): every route and method × anonymous, a translator of each language,
an editor and an admin, as one table.

Signed-in roles send their API token (``Authorization: Bearer``), which every authenticated route
accepts and which needs no CSRF token; anonymous requests carry nothing. Routes with a
``<language>`` are tried in both languages, so a translator of ``uk`` meets ``en`` and the other
way round. The test fails when the app gains a route or a method the table does not list.
"""
from __future__ import annotations

import io
import itertools
import json


from service.domain.editing import entry_id_of

ROLES = ("anonymous", "translator-uk", "translator-en", "editor", "admin")
#: A catalog and one of its entries per language (the UI strings for uk, an article for en).
CATALOGS = {
    "uk": ("messages", entry_id_of(None, "Newsroom")),
    "en": ("articles/lviv-ryasne-tram-line",
           entry_id_of("title", "У Львові почали будувати трамвайну лінію до Рясного")),
}
LOGIN = 302  # a browser page asks an anonymous visitor to sign in


def _all(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def _workspace(language: str, allowed: int, anonymous: int = LOGIN) -> dict[str, int]:
    """A route of one ``language``: its translator, editors and admins pass; the other translator gets 403."""
    other = "en" if language == "uk" else "uk"
    return {"anonymous": anonymous, f"translator-{language}": allowed, f"translator-{other}": 403,
            "editor": allowed, "admin": allowed}


def _signed_in(allowed: int, anonymous: int = LOGIN) -> dict[str, int]:
    return {**_all(allowed), "anonymous": anonymous}


def _editors(allowed: int, anonymous: int = LOGIN) -> dict[str, int]:
    return {"anonymous": anonymous, "translator-uk": 403, "translator-en": 403, "editor": allowed, "admin": allowed}


#: (method, rule) → the requests made for it: (language or None, expected status per role).
MATRIX: dict[tuple[str, str], list[tuple[str | None, dict[str, int]]]] = {
    # readers: open to everyone, the same for everyone
    ("GET", "/"): [(None, _all(302))],
    ("GET", "/<language:lang>/"): [(None, _all(200))],
    ("GET", "/<language:lang>/articles/<slug>"): [(None, _all(200))],
    ("GET", "/articles/<slug>"): [(None, _all(302))],
    ("GET", "/<language:lang>/categories/<key>/"): [(None, _all(200))],
    ("GET", "/categories/<key>/"): [(None, _all(302))],
    ("GET", "/set-language/<language:lang>"): [(None, _all(302))],
    ("GET", "/static/<path:filename>"): [(None, _all(200))],
    ("GET", "/healthz"): [(None, _all(200))],
    ("GET", "/api/openapi.json"): [(None, _all(200))],
    # search engines and feed readers
    ("GET", "/robots.txt"): [(None, _all(200))],
    ("GET", "/images/<name>"): [(None, _all(200))],
    ("GET", "/sitemap.xml"): [(None, _all(200))],
    ("GET", "/sitemap-<int:number>.xml"): [(None, _all(200))],
    ("GET", "/<language:lang>/feed.xml"): [(None, _all(200))],
    # signing in and out
    ("GET", "/login"): [(None, _all(200))],
    # The sign-in and sign-out forms carry their own CSRF token, which a request without one (token or not)
    # lacks: 400, and nobody is signed in or out. A token has no session to end.
    ("POST", "/login"): [(None, _all(400))],
    ("GET", "/logout"): [(None, _all(200))],  # the confirmation form
    ("POST", "/logout"): [(None, _all(400))],
    # the translator's workspace (HTML)
    ("GET", "/translate/"): [(None, _signed_in(200))],
    ("GET", "/translate/<language>/<path:domain>"): [(lang, _workspace(lang, 200)) for lang in CATALOGS],
    ("GET", "/translate/<language>/<path:domain>/entries/<entry_id>"): [
        (lang, _workspace(lang, 200)) for lang in CATALOGS],
    ("POST", "/translate/<language>/<path:domain>/entries/<entry_id>"): [
        (lang, _workspace(lang, 302)) for lang in CATALOGS],
    ("POST", "/translate/<language>/<path:domain>/entries/<entry_id>/checks"): [
        (lang, _workspace(lang, 200)) for lang in CATALOGS],
    ("POST", "/translate/<language>/<path:domain>/upload"): [(lang, _workspace(lang, 200)) for lang in CATALOGS],
    # the JSON API: 401 instead of the login page
    ("GET", "/api/catalogs"): [(None, _signed_in(200, anonymous=401))],
    ("GET", "/api/catalogs/<language>/<path:domain>"): [(lang, _workspace(lang, 200, 401)) for lang in CATALOGS],
    ("GET", "/api/catalogs/<language>/<path:domain>/entries/<entry_id>"): [
        (lang, _workspace(lang, 200, 401)) for lang in CATALOGS],
    ("PUT", "/api/catalogs/<language>/<path:domain>/entries/<entry_id>"): [
        (lang, _workspace(lang, 200, 401)) for lang in CATALOGS],
    ("POST", "/api/catalogs/<language>/<path:domain>/entries/<entry_id>/checks"): [
        (lang, _workspace(lang, 200, 401)) for lang in CATALOGS],
    ("GET", "/api/catalogs/<language>/<path:domain>/entries/<entry_id>/history"): [
        (lang, _workspace(lang, 200, 401)) for lang in CATALOGS],
    ("GET", "/api/catalogs/<language>/<path:domain>/po"): [(lang, _workspace(lang, 200, 401)) for lang in CATALOGS],
    ("PUT", "/api/catalogs/<language>/<path:domain>/po"): [(lang, _workspace(lang, 200, 401)) for lang in CATALOGS],
    # translation memory and glossary: translators of the language read, editors and admins write
    ("GET", "/api/catalogs/<language>/<path:domain>/entries/<entry_id>/suggestions"): [
        (lang, _workspace(lang, 200, 401)) for lang in CATALOGS],
    ("GET", "/api/glossary/<language>"): [(lang, _workspace(lang, 200, 401)) for lang in CATALOGS],
    ("POST", "/api/glossary/<language>"): [(lang, _editors(201, anonymous=401)) for lang in CATALOGS],
    ("PUT", "/api/glossary/<language>/<term_id>"): [(lang, _editors(200, anonymous=401)) for lang in CATALOGS],
    ("DELETE", "/api/glossary/<language>/<term_id>"): [(lang, _editors(200, anonymous=401)) for lang in CATALOGS],
    ("GET", "/translate/glossary/<language>"): [(lang, _workspace(lang, 200)) for lang in CATALOGS],
    ("GET", "/translate/glossary/<language>/glossary.<kind>"): [(lang, _workspace(lang, 200)) for lang in CATALOGS],
    ("POST", "/translate/glossary/<language>/terms"): [(lang, _editors(302)) for lang in CATALOGS],
    ("POST", "/translate/glossary/<language>/terms/<int:term_id>"): [(lang, _editors(302)) for lang in CATALOGS],
    ("POST", "/translate/glossary/<language>/upload"): [(lang, _editors(302)) for lang in CATALOGS],
    # editors
    ("GET", "/editor/coverage"): [(None, _editors(200))],
    ("GET", "/api/coverage"): [(None, _editors(200, anonymous=401))],
    # one's own account: a token request carries no form CSRF token (400), as the sign-in form
    ("GET", "/account/password"): [(None, _signed_in(200))],
    ("POST", "/account/password"): [(None, _signed_in(400))],
    # admins
    ("GET", "/admin/security"): [(None, {"anonymous": LOGIN, "translator-uk": 403, "translator-en": 403, "editor": 403,
                                         "admin": 200})],
}


def routes(app) -> set[tuple[str, str]]:
    return {(method, rule.rule) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_the_table_covers_every_route_and_method(app):
    assert routes(app) - set(MATRIX) == set(), "a route the access matrix does not cover"
    assert set(MATRIX) - routes(app) == set(), "the access matrix lists a route the app no longer has"


def _request(client, method: str, rule: str, language: str | None, headers: dict[str, str]):
    """Make the one request that stands for ``(method, rule)``, with a body that the allowed roles may send."""
    domain, entry_id = CATALOGS.get(language or "uk")
    url = (rule.replace("<language:lang>", "en").replace("<language>", language or "uk")
           .replace("<path:domain>", domain).replace("<entry_id>", entry_id)
           .replace("<slug>", "lviv-ryasne-tram-line").replace("<path:filename>", "style.css")
           .replace("<int:number>", "1").replace("<name>", "chernihiv-library.png")
           .replace("<key>", "culture"))
    if rule == "/set-language/<language:lang>":
        url += "?next=/en/"
    if "glossary" in rule:
        return _glossary_request(client, method, rule, url, language or "uk", headers)
    api_entry = f"/api/catalogs/{language}/{domain}/entries/{entry_id}"
    if method == "PUT" and rule.endswith("/entries/<entry_id>"):
        current = client.get(api_entry, headers=ADMIN).json["msgstr"]
        return client.put(url, headers=headers, json={"msgstr": current, "base": current})
    if method == "PUT" and rule.endswith("/po"):
        data = client.get(f"/api/catalogs/{language}/{domain}/po", headers=ADMIN).get_data()
        return client.put(url, headers=headers, data=data, content_type="text/x-gettext-translation")
    if rule.endswith("/checks"):
        if rule.startswith("/api/"):
            return client.post(url, headers=headers, json={"msgstr": "Текст"})
        return client.post(url, headers=headers, data={"msgstr": "Текст"})
    if method == "POST" and rule == "/translate/<language>/<path:domain>/entries/<entry_id>":
        current = client.get(api_entry, headers=ADMIN).json["msgstr"]
        return client.post(url, headers=headers, data={"msgstr": current, "base": json.dumps(current),
                                                              "action": "save"})
    if method == "POST" and rule.endswith("/upload"):
        data = client.get(f"/api/catalogs/{language}/{domain}/po", headers=ADMIN).get_data()
        return client.post(url, headers=headers, data={"file": (io.BytesIO(data), "catalog.po")},
                           content_type="multipart/form-data")
    if method == "POST" and rule == "/login":
        return client.post(url, headers=headers, data={"name": "nobody", "password": "wrong"})
    return client.open(url, method=method, headers=headers)


ADMIN: dict[str, str] = {}
_TERMS = itertools.count(1)


def _new_term() -> dict[str, str]:
    number = next(_TERMS)
    return {"term": f"Term {number}", "translation": f"Термін {number}"}


def _glossary_request(client, method: str, rule: str, url: str, language: str, headers: dict[str, str]):
    """A glossary request: writes name a term made for it (by an admin) and send a fresh term."""
    if "term_id>" in rule:
        made = client.post(f"/api/glossary/{language}", headers=ADMIN, json=_new_term()).json["id"]
        url = url.replace("<term_id>", str(made)).replace("<int:term_id>", str(made))
    url = url.replace("<kind>", "csv")
    if rule.startswith("/api/") and method in ("POST", "PUT"):
        return client.open(url, method=method, headers=headers, json=_new_term())
    if method == "POST" and rule.endswith("/upload"):
        term = _new_term()
        data = f"term,translation\n{term['term']},{term['translation']}\n".encode()
        return client.post(url, headers=headers, data={"file": (io.BytesIO(data), "glossary.csv")},
                           content_type="multipart/form-data")
    if method == "POST":
        return client.post(url, headers=headers, data={**_new_term(), "action": "save"})
    return client.open(url, method=method, headers=headers)


def test_every_role_gets_the_expected_answer_on_every_route(app, add_user):
    accounts = {
        "translator-uk": add_user("olena", "translator", "uk"),
        "translator-en": add_user("john", "translator", "en"),
        "editor": add_user("iryna", "editor"),
        "admin": add_user("ada", "admin"),
    }
    headers = {role: {"Authorization": f"Bearer {credentials.token}"} for role, credentials in accounts.items()}
    headers["anonymous"] = {}
    ADMIN.clear()
    ADMIN.update(headers["admin"])
    wrong = []
    checked = 0
    for (method, rule), requests in MATRIX.items():
        for language, expected in requests:
            for role in ROLES:
                client = app.test_client()
                response = _request(client, method, rule, language, headers[role])
                checked += 1
                if response.status_code != expected[role]:
                    wrong.append(f"{role:14} {method:4} {rule} [{language}]: {response.status_code}, "
                                 f"expected {expected[role]}")
                elif response.status_code == LOGIN and expected[role] == LOGIN and role == "anonymous" \
                        and not rule.startswith(("/set-language", "/articles", "/categories", "/logout")) and rule != "/":
                    assert response.headers["Location"].startswith("/login"), (method, rule)
                if rule.startswith("/api/") and response.status_code in (401, 403):
                    assert response.is_json and response.json.get("error"), (role, method, rule)
                response.close()  # a static file's answer holds the file open until closed
    assert not wrong, "\n".join(wrong)
    assert checked == sum(len(requests) for requests in MATRIX.values()) * len(ROLES)
