from __future__ import annotations

import os
import threading

import pytest

from .conftest import csrf_token_from
from service.web.extension import services
from service.domain.editing import entry_id_of

LYNX = "articles/carpathian-lynx-camera-traps"
TRAM = "articles/lviv-ryasne-tram-line"


@pytest.fixture
def en_token(add_user):
    return add_user("olena", "translator", "en").token


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def untranslated_entry(client, token, domain=LYNX):
    entries = client.get(f"/api/catalogs/en/{domain}", headers=bearer(token)).get_json()["entries"]
    return next(e for e in entries if e["state"] == "untranslated" and "*" not in e["msgid"] and "[" not in e["msgid"])


def test_catalog_list_has_counts_of_the_users_languages(client, en_token):
    catalogs = client.get("/api/catalogs", headers=bearer(en_token)).get_json()["catalogs"]
    assert {c["language"] for c in catalogs} == {"en"}
    lynx = next(c for c in catalogs if c["domain"] == LYNX)
    assert lynx["state"] == "incomplete" and lynx["untranslated"] > 0
    assert lynx["translated"] + lynx["fuzzy"] + lynx["untranslated"] == lynx["total"]


def test_catalog_answer_has_the_spec_keys(client, en_token):
    answer = client.get(f"/api/catalogs/en/{TRAM}", headers=bearer(en_token)).get_json()
    assert set(answer) == {"language", "domain", "plural_forms", "entries"}
    entry = answer["entries"][0]
    assert {"id", "msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural", "fuzzy", "previous_msgid",
            "comments", "references", "checks"} <= set(entry)
    assert entry["id"] == entry_id_of(entry["msgctxt"], entry["msgid"])
    fuzzy = next(e for e in answer["entries"] if e["fuzzy"])
    assert "14" in fuzzy["previous_msgid"]


@pytest.mark.parametrize("method, path", [
    ("get", "/api/catalogs"), ("get", f"/api/catalogs/en/{LYNX}"), ("get", f"/api/catalogs/en/{LYNX}/po"),
    ("put", f"/api/catalogs/en/{LYNX}/entries/0123456789abcdef"), ("put", f"/api/catalogs/en/{LYNX}/po"),
    ("get", "/api/catalogs/xx/nothing"),
])
def test_401_without_credentials(client, method, path):
    response = getattr(client, method)(path, json={})
    assert response.status_code == 401 and "error" in response.get_json()


def test_401_with_a_wrong_token_even_on_html_pages(client):
    assert client.get("/api/catalogs", headers=bearer("abc.def")).status_code == 401
    assert client.get("/translate/", headers=bearer("abc.def")).status_code == 401
    assert client.get("/api/catalogs", headers={"Authorization": "Basic eDp5"}).status_code == 401


def test_403_outside_the_translators_languages_before_404(client, en_token):
    for path in ["/api/catalogs/uk/messages", "/api/catalogs/uk/articles/nope",
                 "/api/catalogs/uk/articles/nordic-baltic-grid-repair-fund/entries/0123456789abcdef"]:
        response = client.get(path, headers=bearer(en_token))
        assert response.status_code == 403, path
    response = client.put("/api/catalogs/uk/messages/entries/x", headers=bearer(en_token), data="not json")
    assert response.status_code == 403


@pytest.mark.parametrize("path", [
    "/api/catalogs/en/articles/no-such-article", "/api/catalogs/en/messages", "/api/catalogs/en/../../etc/passwd",
    "/api/catalogs/en/articles/..%2F..%2Fsecret", f"/api/catalogs/en/{LYNX}/entries/0123456789abcdef",
])
def test_404_for_unknown_catalogs_and_entries(client, add_user, path):
    token = add_user("boss", "admin").token
    response = client.get(path, headers=bearer(token))
    assert response.status_code == 404 and "error" in response.get_json()


def test_404_before_400(client, en_token):
    response = client.put(f"/api/catalogs/en/{LYNX}/entries/0123456789abcdef", headers=bearer(en_token), data="{")
    assert response.status_code == 404


@pytest.mark.parametrize("body", [
    "not json", [], {"msgstr": 5, "base": ""}, {"msgstr": "x"}, {"base": ""}, {"msgstr": "x", "base": "", "extra": 1},
    {"msgstr": "x", "base": "", "fuzzy": "yes"}, {"msgstr_plural": {"0": "x"}, "base": ""},
])
def test_400_for_a_malformed_body(client, en_token, body):
    entry = untranslated_entry(client, en_token)
    url = f"/api/catalogs/en/{LYNX}/entries/{entry['id']}"
    response = client.put(url, headers=bearer(en_token), **({"data": body} if isinstance(body, str) else {"json": body}))
    assert response.status_code == 400, response.get_json()
    assert "error" in response.get_json()


def test_200_with_the_saved_entry_and_its_warnings(client, en_token, tree):
    entry = untranslated_entry(client, en_token)
    url = f"/api/catalogs/en/{LYNX}/entries/{entry['id']}"
    response = client.put(url, headers=bearer(en_token), json={"msgstr": "Як упізнати рись", "base": ""})
    assert response.status_code == 200
    saved = response.get_json()
    assert saved["msgstr"] == "Як упізнати рись" and saved["fuzzy"] is False
    assert "language" in {check["check"] for check in saved["checks"]}
    history = client.get(url + "/history", headers=bearer(en_token)).get_json()["history"]
    assert history[0]["user"] == "olena" and history[0]["old"] == "" and history[0]["new"] == "Як упізнати рись"


@pytest.mark.parametrize("domain", [LYNX, TRAM])
def test_an_entry_shows_the_checks_the_catalog_shows_for_it_without_checking_the_others(
        client, en_token, monkeypatch, tree, domain):
    entries = client.get(f"/api/catalogs/en/{domain}", headers=bearer(en_token)).get_json()["entries"]
    entry = next(e for e in entries if not e["msgid_plural"] and not e["fuzzy"])
    client.put(f"/api/catalogs/en/{domain}/entries/{entry['id']}", headers=bearer(en_token),
               json={"msgstr": "Як упізнати рись", "base": entry["msgstr"]})  # a warning: the text is not English
    listed = client.get(f"/api/catalogs/en/{domain}", headers=bearer(en_token)).get_json()["entries"]
    assert any(entry["checks"] for entry in listed)

    def whole_catalog(*args, **kwargs):
        raise AssertionError("an entry's GET checked the whole catalog")

    monkeypatch.setattr("service.domain.checks.check_catalog", whole_catalog)
    path = tree / "locales" / "en" / "LC_MESSAGES" / f"{domain}.po"
    os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 10))  # the checks the listing cached are stale
    for entry in listed:
        shown = client.get(f"/api/catalogs/en/{domain}/entries/{entry['id']}", headers=bearer(en_token))
        assert shown.status_code == 200
        assert shown.get_json()["checks"] == entry["checks"], entry["msgid"]


def test_entry_history_does_not_list_the_catalogs_state_transition(app, client, en_token):
    entries = client.get(f"/api/catalogs/en/{TRAM}", headers=bearer(en_token)).get_json()["entries"]
    fuzzy = next(e for e in entries if e["fuzzy"])
    url = f"/api/catalogs/en/{TRAM}/entries/{fuzzy['id']}"
    fixed = fuzzy["msgstr"].replace("14", "16")  # the source now says 16 months
    response = client.put(url, headers=bearer(en_token), json={"msgstr": fixed, "base": fuzzy["msgstr"]})
    assert response.status_code == 200
    transitions = services(app).history.state_transitions()
    assert [(t.domain, t.old, t.new) for t in transitions] == [(TRAM, "stale", "complete")]
    history = client.get(url + "/history", headers=bearer(en_token)).get_json()["history"]
    assert [(row["action"], row["entry_id"]) for row in history] == [("save", fuzzy["id"])]


def test_409_when_base_is_stale_carries_the_current_text(client, en_token):
    entry = untranslated_entry(client, en_token)
    url = f"/api/catalogs/en/{LYNX}/entries/{entry['id']}"
    assert client.put(url, headers=bearer(en_token), json={"msgstr": "First", "base": ""}).status_code == 200
    response = client.put(url, headers=bearer(en_token), json={"msgstr": "Second", "base": ""})
    assert response.status_code == 409
    assert response.get_json()["current"]["msgstr"] == "First"


def test_409_comes_before_422(client, en_token):
    entry = untranslated_entry(client, en_token)
    url = f"/api/catalogs/en/{LYNX}/entries/{entry['id']}"
    client.put(url, headers=bearer(en_token), json={"msgstr": "First", "base": ""})
    response = client.put(url, headers=bearer(en_token), json={"msgstr": "Broken *markup", "base": ""})
    assert response.status_code == 409


def test_422_with_the_failed_checks(client, en_token, tree):
    path = tree / "locales/en/LC_MESSAGES/articles/lviv-ryasne-tram-line.po"
    before = path.read_bytes()
    entries = client.get(f"/api/catalogs/en/{TRAM}", headers=bearer(en_token)).get_json()["entries"]
    entry = next(e for e in entries if "[" in e["msgid"])
    response = client.put(f"/api/catalogs/en/{TRAM}/entries/{entry['id']}", headers=bearer(en_token),
                          json={"msgstr": "The schedule is on the city portal.", "base": entry["msgstr"]})
    assert response.status_code == 422
    body = response.get_json()
    assert "error" in body and any(c["check"] == "markup" and c["level"] == "error" for c in body["checks"])
    assert path.read_bytes() == before


def test_two_saves_with_the_same_base_one_200_one_409_with_the_winners_text(app, en_token):
    client = app.test_client()
    entry = untranslated_entry(client, en_token)
    url = f"/api/catalogs/en/{LYNX}/entries/{entry['id']}"
    barrier = threading.Barrier(2)
    answers = {}

    def save(text):
        own = app.test_client()
        barrier.wait()
        answers[text] = own.put(url, headers=bearer(en_token), json={"msgstr": text, "base": ""})

    threads = [threading.Thread(target=save, args=(text,)) for text in ("How to recognise a lynx", "Telling lynxes apart")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(response.status_code for response in answers.values())
    assert codes == [200, 409]
    winner = next(text for text, response in answers.items() if response.status_code == 200)
    loser = next(response for response in answers.values() if response.status_code == 409)
    assert loser.get_json()["current"]["msgstr"] == winner
    stored = client.get(url, headers=bearer(en_token)).get_json()
    assert stored["msgstr"] == winner


def test_plural_entries_over_the_api(client, tree, add_user):
    path = tree / "locales/uk/LC_MESSAGES/messages.po"
    path.write_text(path.read_text() + '\n#, python-format\nmsgid "%(num)d minute"\nmsgid_plural "%(num)d minutes"\n'
                    'msgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\n')
    token = add_user("mariia", "translator", "uk").token
    entry_id = entry_id_of(None, "%(num)d minute")
    url = f"/api/catalogs/uk/messages/entries/{entry_id}"
    entry = client.get(url, headers=bearer(token)).get_json()
    assert entry["msgstr_plural"] == {"0": "", "1": "", "2": ""}
    two = client.put(url, headers=bearer(token), json={"msgstr_plural": {"0": "%(num)d хвилина", "1": "%(num)d хвилини"},
                                                       "base": entry["msgstr_plural"]})
    assert two.status_code == 422 and two.get_json()["checks"][0]["check"] == "plurals"
    three = {"0": "%(num)d хвилина", "1": "%(num)d хвилини", "2": "%(num)d хвилин"}
    saved = client.put(url, headers=bearer(token), json={"msgstr_plural": three, "base": entry["msgstr_plural"]})
    assert saved.status_code == 200 and saved.get_json()["msgstr_plural"] == three
    assert client.put(url, headers=bearer(token), json={"msgstr": "x", "base": ""}).status_code == 400


def test_po_download_and_upload_round_trip(client, en_token, tree):
    download = client.get(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token))
    assert download.status_code == 200 and download.mimetype == "text/x-gettext-translation"
    text = download.data.decode()
    assert "X-Base-Revision" in text
    edited = text.replace('msgid "Як упізнати рись"\nmsgstr ""', 'msgid "Як упізнати рись"\nmsgstr "How to recognise a lynx"')
    assert edited != text
    response = client.put(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token), data=edited.encode())
    assert response.status_code == 200
    report = response.get_json()
    assert len(report["applied"]) == 1 and report["conflicts"] == []
    assert 'msgstr "How to recognise a lynx"' in (tree / f"locales/en/LC_MESSAGES/{LYNX}.po").read_text()


def test_po_upload_with_a_conflict_reports_it_and_keeps_both(client, en_token, tree):
    text = client.get(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token)).data.decode()
    entry = untranslated_entry(client, en_token)
    url = f"/api/catalogs/en/{LYNX}/entries/{entry['id']}"
    client.put(url, headers=bearer(en_token), json={"msgstr": "Saved in the browser", "base": ""})
    edited = text.replace(f'msgid "{entry["msgid"]}"\nmsgstr ""', f'msgid "{entry["msgid"]}"\nmsgstr "Uploaded offline"')
    report = client.put(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token), data=edited.encode()).get_json()
    assert report["conflicts"] == [{"id": entry["id"], "msgctxt": entry["msgctxt"], "msgid": entry["msgid"],
                                    "current": "Saved in the browser", "uploaded": "Uploaded offline"}]
    assert client.get(url, headers=bearer(en_token)).get_json()["msgstr"] == "Saved in the browser"
    history = client.get(url + "/history", headers=bearer(en_token)).get_json()["history"]
    assert history[0]["action"] == "conflict" and history[0]["new"] == "Uploaded offline"


def test_po_upload_of_a_broken_file_names_the_line_and_changes_nothing(client, en_token, tree):
    path = tree / f"locales/en/LC_MESSAGES/{LYNX}.po"
    before = path.read_bytes()
    text = client.get(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token)).data.decode()
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if line == 'msgstr ""' and i > 20)
    lines[target] = 'msgstr "Unterminated'
    broken = "\n".join(lines).replace('msgstr ""', 'msgstr "Filled"')
    response = client.put(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token), data=broken.encode())
    assert response.status_code == 400
    assert response.get_json()["line"] == target + 1
    assert f"line {target + 1}" in response.get_json()["error"]
    assert path.read_bytes() == before
    empty = client.put(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token), data=b"")
    assert empty.status_code == 400


def test_session_requests_need_the_csrf_token_token_requests_do_not(client, add_user, login):
    credentials = add_user("olena", "translator", "en")
    login(credentials)
    entry = untranslated_entry(client, credentials.token)
    url = f"/api/catalogs/en/{LYNX}/entries/{entry['id']}"
    refused = client.put(url, json={"msgstr": "How to recognise a lynx", "base": ""})
    assert refused.status_code == 400
    page = client.get(f"/translate/en/{LYNX}/entries/{entry['id']}")
    accepted = client.put(url, json={"msgstr": "How to recognise a lynx", "base": ""},
                          headers={"X-CSRFToken": csrf_token_from(page.text)})
    assert accepted.status_code == 200


def test_live_checks_endpoint(client, en_token):
    entry = untranslated_entry(client, en_token)
    url = f"/api/catalogs/en/{LYNX}/entries/{entry['id']}/checks"
    results = client.post(url, headers=bearer(en_token), json={"msgstr": "Як упізнати рись"}).get_json()["checks"]
    assert "language" in {r["check"] for r in results}
    assert client.post(url, headers=bearer(en_token), json={"msgstr": "How to recognise a lynx"}).get_json() == {"checks": []}


def test_openapi_document(client):
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert {"/api/catalogs", "/api/catalogs/{language}/{domain}", "/api/catalogs/{language}/{domain}/po",
            "/api/catalogs/{language}/{domain}/entries/{entry_id}"} <= set(document["paths"])
    put = document["paths"]["/api/catalogs/{language}/{domain}/entries/{entry_id}"]["put"]
    assert {"200", "400", "401", "403", "404", "409", "422"} <= set(put["responses"])


def test_a_broken_stored_catalog_is_a_409_with_its_line_never_a_500(client, en_token, tree):
    path = tree / f"locales/en/LC_MESSAGES/{LYNX}.po"
    path.write_text(path.read_text() + '\nmsgid "dangling"\n')
    for response in (client.get(f"/api/catalogs/en/{LYNX}", headers=bearer(en_token)),
                     client.get("/api/catalogs", headers=bearer(en_token))):
        assert response.status_code in (200, 409)
        assert response.status_code == 200 or "line" in response.get_json()["error"]
    assert client.get(f"/translate/en/{LYNX}", headers=bearer(en_token)).status_code == 409


def test_a_translation_with_a_number_of_5000_digits_is_checked_and_saved(client, en_token):
    entry = untranslated_entry(client, en_token)
    url = f"/api/catalogs/en/{LYNX}/entries/{entry['id']}"
    huge = "1" * 5000
    checked = client.post(url + "/checks", headers=bearer(en_token), json={"msgstr": huge})
    assert checked.status_code == 200
    saved = client.put(url, headers=bearer(en_token), json={"msgstr": huge, "base": ""})
    assert saved.status_code == 200 and saved.get_json()["msgstr"] == huge


def test_plural_form_keys_other_than_ascii_digits_are_400(client, tree, add_user):
    path = tree / "locales/uk/LC_MESSAGES/messages.po"
    path.write_text(path.read_text() + '\nmsgid "one lynx"\nmsgid_plural "%(num)d lynxes"\n'
                    'msgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\n')
    token = add_user("mariia", "translator", "uk").token
    url = f"/api/catalogs/uk/messages/entries/{entry_id_of(None, 'one lynx')}"
    base = {"0": "", "1": "", "2": ""}
    for key in ("²", "٣", "9" * 5000, "+1", " 1"):
        saved = client.put(url, headers=bearer(token), json={"msgstr_plural": {key: "x"}, "base": base})
        assert saved.status_code == 400 and "error" in saved.get_json(), key
        checked = client.post(url + "/checks", headers=bearer(token), json={"msgstr_plural": {key: "x"}})
        assert checked.status_code == 400, key


def test_a_body_nested_too_deep_is_400(client, en_token):
    entry = untranslated_entry(client, en_token)
    url = f"/api/catalogs/en/{LYNX}/entries/{entry['id']}"
    nested = "[" * 100_000 + "]" * 100_000
    for response in (client.put(url, headers=bearer(en_token), data=nested, content_type="application/json"),
                     client.post(url + "/checks", headers=bearer(en_token), data=nested,
                                 content_type="application/json")):
        assert response.status_code == 400 and "error" in response.get_json()


def test_a_body_over_max_content_length_is_a_json_413(tree, add_user):

    from ..conftest import prepared_app, tree_settings

    app = prepared_app({**tree_settings(tree), "SECRET_KEY": "test-secret", "TESTING": True, "MAX_CONTENT_LENGTH": 1000})
    client = app.test_client()
    token = services(app).accounts.add_user("olena", "translator", ["en"]).token
    entry = untranslated_entry(client, token)
    url = f"/api/catalogs/en/{LYNX}/entries/{entry['id']}"
    response = client.put(url, headers=bearer(token), json={"msgstr": "x" * 2000, "base": ""})
    assert response.status_code == 413 and "error" in response.get_json()
    upload = client.put(f"/api/catalogs/en/{LYNX}/po", headers=bearer(token), data=b"#" * 2000)
    assert upload.status_code == 413 and "error" in upload.get_json()


def test_a_po_file_over_the_upload_limit_is_a_413_naming_the_limit(client, en_token, monkeypatch):
    # the API's own limit (below MAX_CONTENT_LENGTH) is the same refusal the OpenAPI document names: 413
    from service.web import api

    monkeypatch.setattr(api, "MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
    path = services(client.application).catalogs.layout.catalog("en", LYNX)
    before = path.read_bytes()
    upload = client.put(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token), data=b"#" * (2 * 1024 * 1024 + 1))
    assert upload.status_code == 413 and upload.get_json() == {"error": "the file is larger than 2 MB"}
    assert path.read_bytes() == before


def test_every_http_error_under_api_is_json(client, en_token):
    entry = untranslated_entry(client, en_token)
    deleted = client.delete(f"/api/catalogs/en/{LYNX}/entries/{entry['id']}", headers=bearer(en_token))
    assert deleted.status_code == 405 and deleted.get_json() == {"error": "method not allowed"}
    assert "PUT" in deleted.headers["Allow"]
    assert client.post("/api/catalogs", headers=bearer(en_token)).get_json() == {"error": "method not allowed"}
    assert client.get("/api/no-such-thing").get_json() == {"error": "not found"}


def test_http_errors_elsewhere_stay_html(client):
    token = csrf_token_from(client.get("/login").text)
    response = client.delete("/healthz", headers={"X-CSRFToken": token})
    assert response.status_code == 405 and response.mimetype == "text/html"


def test_403_for_another_language_comes_before_the_csrf_check(client, add_user, login):
    credentials = add_user("olena", "translator", "en")
    login(credentials)
    entry_id = entry_id_of(None, "Politics")
    for response in (client.put(f"/api/catalogs/uk/messages/entries/{entry_id}", json={"msgstr": "x", "base": ""}),
                     client.post(f"/api/catalogs/uk/messages/entries/{entry_id}/checks", json={"msgstr": "x"}),
                     client.put("/api/catalogs/uk/messages/po", data=b'msgid "x"\nmsgstr "y"\n')):
        assert response.status_code == 403 and "error" in response.get_json()


def test_the_csrf_refusal_on_the_api_is_english_json(client, add_user, login):
    credentials = add_user("olena", "translator", "en")
    login(credentials)
    client.set_cookie("lang", "uk")
    entry = untranslated_entry(client, credentials.token)
    response = client.put(f"/api/catalogs/en/{LYNX}/entries/{entry['id']}", json={"msgstr": "x", "base": ""},
                          headers={"Accept-Language": "uk"})
    assert response.status_code == 400
    assert response.get_json() == {"error": "The form has expired or did not come from this site. "
                                            "Reload the page and try again."}


def test_session_requests_to_unknown_api_methods_get_405_not_a_csrf_400(client, add_user, login):
    credentials = add_user("olena", "translator", "en")
    login(credentials)
    entry = untranslated_entry(client, credentials.token)
    response = client.delete(f"/api/catalogs/en/{LYNX}/entries/{entry['id']}")
    assert response.status_code == 405 and response.get_json() == {"error": "method not allowed"}


def test_catalog_percent_is_rounded_down_as_coverage_shows_it(client, en_token, add_user):
    entries = client.get(f"/api/catalogs/en/{TRAM}", headers=bearer(en_token)).get_json()["entries"]
    translated = next(e for e in entries if e["state"] == "translated" and e["msgstr"])
    client.put(f"/api/catalogs/en/{TRAM}/entries/{translated['id']}", headers=bearer(en_token),
               json={"msgstr": translated["msgstr"], "base": translated["msgstr"], "fuzzy": True})
    catalogs = client.get("/api/catalogs", headers=bearer(en_token)).get_json()["catalogs"]
    tram = next(c for c in catalogs if c["domain"] == TRAM)
    assert (tram["translated"], tram["total"]) == (13, 15)
    assert tram["percent"] == 86.6  # 86.67 rounded down: 100.0 only when complete
    coverage = client.get("/api/coverage?language=en", headers=bearer(add_user("ivan", "editor").token)).get_json()
    assert next(c for c in coverage["catalogs"] if c["domain"] == TRAM)["percent"] == tram["percent"]


@pytest.mark.parametrize("text", ["How to spot\x00 a lynx", "\ud800 a lone surrogate", "Bell\x07"])
def test_a_translation_with_a_control_character_or_lone_surrogate_is_400_and_changes_nothing(client, en_token, tree,
                                                                                             text):
    path = tree / f"locales/en/LC_MESSAGES/{LYNX}.po"
    before = path.read_bytes()
    entry = untranslated_entry(client, en_token)
    response = client.put(f"/api/catalogs/en/{LYNX}/entries/{entry['id']}", headers=bearer(en_token),
                          json={"msgstr": text, "base": ""})
    assert response.status_code == 400 and "control character" in response.get_json()["error"]
    assert path.read_bytes() == before


def test_po_upload_with_a_nul_in_a_string_names_the_line_and_changes_nothing(client, en_token, tree):
    path = tree / f"locales/en/LC_MESSAGES/{LYNX}.po"
    before = path.read_bytes()
    lines = client.get(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token)).data.decode().splitlines()
    target = next(i for i, line in enumerate(lines) if line == 'msgstr ""')
    lines[target] = 'msgstr "Cut\x00short"'
    response = client.put(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token), data="\n".join(lines).encode())
    assert response.status_code == 400 and response.get_json()["line"] == target + 1
    assert path.read_bytes() == before


UK_RULE = ("nplurals=3; plural=n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && "
           "(n % 100 < 12 || n % 100 > 14) ? 1 : 2;")


@pytest.mark.parametrize("rule, accepted", [
    # Poedit's spelling of the same rule: every number picks the same form
    ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);", True),
    # the same count of forms in another order: msgstr[1] would land where "many" belongs
    ("nplurals=3; plural=n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && "
     "(n % 100 < 12 || n % 100 > 14) ? 2 : 1;", False),
    ("nplurals=2; plural=(n != 1);", False),
])
def test_po_upload_whose_plural_rule_differs_from_the_catalogs_is_400_at_the_header(client, add_user, tree, rule,
                                                                                     accepted):
    token = add_user("mariia", "translator", "uk").token
    path = tree / "locales/uk/LC_MESSAGES/messages.po"
    before = path.read_bytes()
    text = client.get("/api/catalogs/uk/messages/po", headers=bearer(token)).data.decode()
    assert UK_RULE in text and "msgid_plural" in text
    if rule.startswith("nplurals=2"):  # a file from a two-form catalog
        text = "\n".join(line for line in text.split("\n") if not line.startswith("msgstr[2]"))
    lines = text.replace(UK_RULE, rule).split("\n")
    header_line = next(i for i, line in enumerate(lines, start=1) if "Plural-Forms" in line)
    response = client.put("/api/catalogs/uk/messages/po", headers=bearer(token), data="\n".join(lines).encode())
    if accepted:
        assert response.status_code == 200 and response.get_json()["rejected"] == []
    else:
        assert response.status_code == 400 and response.get_json()["line"] == header_line
        assert "Plural-Forms" in response.get_json()["error"]
        assert path.read_bytes() == before


def undocumented_keys(value, schema, schemas, path="$"):
    """List the keys of a JSON ``value`` that its OpenAPI ``schema`` does not name."""
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
    if isinstance(value, dict) and "properties" in schema:
        found = []
        for key, item in value.items():
            if key not in schema["properties"]:
                found.append(f"{path}.{key}")
            else:
                found += undocumented_keys(item, schema["properties"][key], schemas, f"{path}.{key}")
        return found
    if isinstance(value, list) and "items" in schema:
        return [key for item in value for key in undocumented_keys(item, schema["items"], schemas, f"{path}[]")]
    return []


def test_openapi_document_names_every_key_of_the_real_answers(client, en_token):
    document = client.get("/api/openapi.json").get_json()
    schemas, paths = document["components"]["schemas"], document["paths"]

    def schema(path, method, status):
        return paths[path][method]["responses"][str(status)]["content"]["application/json"]["schema"]

    text = client.get(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token)).data.decode()
    entry = untranslated_entry(client, en_token)
    url = f"/api/catalogs/en/{LYNX}/entries/{entry['id']}"
    saved = client.put(url, headers=bearer(en_token), json={"msgstr": "Saved in the browser", "base": ""})
    edited = text.replace(f'msgid "{entry["msgid"]}"\nmsgstr ""', f'msgid "{entry["msgid"]}"\nmsgstr "Uploaded offline"')
    upload = client.put(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token), data=edited.encode())
    broken = client.put(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token), data=b'msgid "a"\nmsgstr "b\n')
    history = client.get(url + "/history", headers=bearer(en_token))
    po, entry_path = "/api/catalogs/{language}/{domain}/po", "/api/catalogs/{language}/{domain}/entries/{entry_id}"
    answers = [(saved, schema(entry_path, "put", 200)), (upload, schema(po, "put", 200)),
               (broken, schema(po, "put", 400)), (history, schema(entry_path + "/history", "get", 200))]
    assert upload.get_json()["conflicts"] and broken.status_code == 400 and history.get_json()["history"]
    for response, described in answers:
        assert undocumented_keys(response.get_json(), described, schemas) == [], response.request.path


def test_openapi_document_names_every_key_of_the_coverage_answer(client, add_user):
    document = client.get("/api/openapi.json").get_json()
    described = document["paths"]["/api/coverage"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    answer = client.get("/api/coverage", headers=bearer(add_user("chief", "editor").token)).get_json()
    assert answer["catalogs"] and answer["totals"]
    assert undocumented_keys(answer, described, document["components"]["schemas"]) == []


def test_an_empty_msgstr_in_a_file_without_a_base_revision_is_no_conflict(client, en_token, tree):
    text = client.get(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token)).data.decode()
    text = "\n".join(line for line in text.split("\n") if "X-Base-Revision" not in line)  # e.g. from msginit
    translated = next(e for e in client.get(f"/api/catalogs/en/{LYNX}", headers=bearer(en_token)).get_json()["entries"]
                      if e["msgstr"] and e["msgctxt"] == "title")
    emptied = text.replace(f'msgstr "{translated["msgstr"]}"', 'msgstr ""')
    assert emptied != text
    path = tree / f"locales/en/LC_MESSAGES/{LYNX}.po"
    before = path.read_bytes()
    report = client.put(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token), data=emptied.encode()).get_json()
    assert report["conflicts"] == [] and report["applied"] == []
    assert path.read_bytes() == before
    url = f"/api/catalogs/en/{LYNX}/entries/{translated['id']}/history"
    assert client.get(url, headers=bearer(en_token)).get_json()["history"] == []


def test_catalog_list_reads_no_catalog(client, en_token, app):
    store = services(app).catalogs
    catalogs = client.get("/api/catalogs", headers=bearer(en_token)).get_json()["catalogs"]
    assert len(catalogs) == 4 and store.cache_sizes()["parsed"] == 0 and store._checks.loads == 0


def test_catalog_list_filters(client, en_token, add_user):
    def domains(query):
        return {c["domain"] for c in client.get(f"/api/catalogs?{query}", headers=bearer(en_token)).get_json()["catalogs"]}

    assert domains("state=needs-work") == {LYNX} | domains("state=stale") | domains("state=incomplete")
    assert LYNX not in domains("state=complete") and domains("state=complete")
    assert domains("q=lynx") == {LYNX} == domains("q=%D1%80%D0%B8%D1%81%D0%B5%D0%B9")  # slug, or a word of the title
    assert domains("language=en") == domains("")
    editor = add_user("mykola", "editor").token
    grid = {c["domain"] for c in client.get("/api/catalogs?q=Ukraine's+power", headers=bearer(editor)).get_json()["catalogs"]}
    assert grid == {"articles/nordic-baltic-grid-repair-fund"}  # its title says "Ukraine’s power grid"
    bad_state = client.get("/api/catalogs?state=done", headers=bearer(en_token))
    assert bad_state.status_code == 400 and "needs-work" in bad_state.get_json()["error"]
    assert client.get("/api/catalogs?language=xx", headers=bearer(en_token)).status_code == 400
    assert client.get("/api/catalogs?language=uk", headers=bearer(en_token)).status_code == 403
    editor = add_user("ivan", "editor").token
    both = client.get("/api/catalogs?language=uk&language=en", headers=bearer(editor)).get_json()["catalogs"]
    assert {c["language"] for c in both} == {"uk", "en"}


def test_a_translation_of_megabytes_is_refused_unread_and_changes_nothing(client, en_token):
    entry = untranslated_entry(client, en_token)
    url = f"/api/catalogs/en/{LYNX}/entries/{entry['id']}"
    huge = "%(" * 1_000_000  # 2 MB: every check reading it would keep the worker (and the lock) busy for hours
    checked = client.post(url + "/checks", headers=bearer(en_token), json={"msgstr": huge})
    assert [result["check"] for result in checked.get_json()["checks"]] == ["length"]
    saved = client.put(url, headers=bearer(en_token), json={"msgstr": huge, "base": ""})
    assert saved.status_code == 422 and saved.get_json()["checks"][0]["check"] == "length"
    assert client.get(url, headers=bearer(en_token)).get_json()["msgstr"] == ""


def test_po_upload_with_a_plural_header_padded_with_spaces_is_a_prompt_400(client, add_user, tree):
    # The header pattern used to backtrack over the spaces: 5,000 of them took 107 s, this many years.
    token = add_user("mariia", "translator", "uk").token
    path = tree / "locales/uk/LC_MESSAGES/messages.po"
    before = path.read_bytes()
    text = client.get("/api/catalogs/uk/messages/po", headers=bearer(token)).data.decode()
    padded = text.replace(UK_RULE, "nplurals=3; plural=n" + " " * 100_000 + "x;")
    response = client.put("/api/catalogs/uk/messages/po", headers=bearer(token), data=padded.encode())
    assert response.status_code == 400 and "line" in response.get_json()
    assert path.read_bytes() == before


def test_po_upload_with_a_string_of_a_million_lines_is_400_at_the_line_past_the_limit(client, en_token, tree):
    from service.domain.po_format import MAX_STRING_LINES

    path = tree / f"locales/en/LC_MESSAGES/{LYNX}.po"
    before = path.read_bytes()
    text = client.get(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token)).data.decode()
    header_lines = text.split("\n\n")[0].count("\n") + 1
    data = text.split("\n\n")[0] + '\n\nmsgid "x"\nmsgstr ""\n' + '"a"\n' * 1_000_000
    response = client.put(f"/api/catalogs/en/{LYNX}/po", headers=bearer(en_token), data=data.encode())
    assert response.status_code == 400
    first_continuation = header_lines + 4  # after a blank line, msgid and msgstr
    assert response.get_json()["line"] == first_continuation + MAX_STRING_LINES  # the first line too many
    assert path.read_bytes() == before


def _tram_fuzzy(client, token):
    entries = client.get(f"/api/catalogs/en/{TRAM}", headers=bearer(token)).get_json()["entries"]
    return next(e for e in entries if e["fuzzy"])  # its source now says 16 months, the translation 14


def test_fuzzy_false_with_the_old_figure_is_422_facts_changed_and_stores_nothing(client, en_token, tree):
    fuzzy = _tram_fuzzy(client, en_token)
    path = tree / f"locales/en/LC_MESSAGES/{TRAM}.po"
    before = path.read_bytes()
    response = client.put(f"/api/catalogs/en/{TRAM}/entries/{fuzzy['id']}", headers=bearer(en_token),
                          json={"msgstr": fuzzy["msgstr"], "base": fuzzy["msgstr"], "fuzzy": False})
    assert response.status_code == 422
    [refusal] = [c for c in response.get_json()["checks"] if c["check"] == "facts_changed"]
    assert refusal["level"] == "error" and "16" in refusal["message"] and "14" in refusal["message"]
    assert path.read_bytes() == before


def test_numbers_checked_clears_fuzzy_and_shows_in_the_entry(client, en_token, tree):
    fuzzy = _tram_fuzzy(client, en_token)
    url = f"/api/catalogs/en/{TRAM}/entries/{fuzzy['id']}"
    response = client.put(url, headers=bearer(en_token),
                          json={"msgstr": fuzzy["msgstr"], "base": fuzzy["msgstr"], "numbers_checked": True})
    assert response.status_code == 200
    saved = response.get_json()
    assert saved["fuzzy"] is False and saved["numbers_checked"] is True
    assert "#, numbers-checked" in (tree / f"locales/en/LC_MESSAGES/{TRAM}.po").read_text()


def test_numbers_checked_must_be_a_boolean(client, en_token):
    fuzzy = _tram_fuzzy(client, en_token)
    response = client.put(f"/api/catalogs/en/{TRAM}/entries/{fuzzy['id']}", headers=bearer(en_token),
                          json={"msgstr": fuzzy["msgstr"], "base": fuzzy["msgstr"], "numbers_checked": "yes"})
    assert response.status_code == 400


def test_an_upload_clearing_fuzzy_over_a_changed_number_is_rejected(client, en_token, tree):
    text = client.get(f"/api/catalogs/en/{TRAM}/po", headers=bearer(en_token)).data.decode()
    cleared = text.replace("#, fuzzy\n", "", 1)
    assert cleared != text
    report = client.put(f"/api/catalogs/en/{TRAM}/po", headers=bearer(en_token), data=cleared.encode()).get_json()
    assert report["applied"] == [] and report["rejected"][0]["checks"][0]["check"] == "facts_changed"
    assert "#, fuzzy" in (tree / f"locales/en/LC_MESSAGES/{TRAM}.po").read_text()


def test_the_original_keeps_its_updated_date_once_its_translation_has_caught_up(app, client, en_token):
    """X-Stale-Since goes when the translation is complete again; when the original changed is kept (X-Original-Updated)."""
    entries = client.get(f"/api/catalogs/en/{TRAM}", headers=bearer(en_token)).get_json()["entries"]
    fuzzy = next(e for e in entries if e["fuzzy"])
    fixed = fuzzy["msgstr"].replace("14", "16")  # the source now says 16 months
    response = client.put(f"/api/catalogs/en/{TRAM}/entries/{fuzzy['id']}", headers=bearer(en_token),
                          json={"msgstr": fixed, "base": fuzzy["msgstr"]})
    assert response.status_code == 200
    catalog = services(app).catalogs.catalog("en", TRAM)
    assert "X-Stale-Since" not in catalog.metadata
    assert catalog.metadata["X-Original-Updated"] == "2026-11-25T09:10+02:00"
    original = client.get("/uk/articles/lviv-ryasne-tram-line").get_data(as_text=True)
    assert '<time datetime="2026-11-25T09:10:00+02:00">' in original and '"dateModified":"2026-11-25T09:10:00+02:00"' in original
