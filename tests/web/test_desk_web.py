"""Translation memory and glossary over the API and in the workspace: role rules, refusals, pages."""
from __future__ import annotations

import pytest

from service.domain.editing import entry_id_of
from service.web.extension import services

from .conftest import csrf_token_from
from ..integration.test_memory_store import LYNX, SEEN, TRAM, add_entries

SIMILAR = "Рись у Києві бачили вперше за двісті років."


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def desk(app, tree, add_user):
    """Two new untranslated entries, one translated look-alike in another article, and a glossary term."""
    add_entries(tree, "en", LYNX, ("paragraph", SEEN, ""), ("paragraph", SIMILAR, ""))
    add_entries(tree, "en", TRAM, ("paragraph", SEEN, "A lynx was seen in Kiev for the first time in a century."))
    term = services(app).glossaries.add("en", "Київ", "Kyiv", "official spelling", ["Kiev"])
    return {"translator": add_user("olena", "translator", "en"), "uk": add_user("taras", "translator", "uk"),
            "editor": add_user("iryna", "editor"), "term": term}


def suggestions_url(msgid, domain=LYNX, language="en"):
    return f"/api/catalogs/{language}/{domain}/entries/{entry_id_of('paragraph', msgid)}/suggestions"


def test_suggestions_exact_first_with_score_and_domain(client, desk):
    answer = client.get(suggestions_url(SEEN), headers=bearer(desk["translator"].token))
    assert answer.status_code == 200
    found = answer.get_json()["suggestions"]
    assert found[0] == {"source": SEEN, "translation": "A lynx was seen in Kiev for the first time in a century.",
                        "score": 100, "domain": TRAM}
    assert all(set(item) == {"source", "translation", "score", "domain"} for item in found)
    assert all(item["score"] >= 70 for item in found) and len(found) <= 5


def test_suggestions_refuse_in_order_401_403_404(client, desk):
    assert client.get(suggestions_url(SEEN)).status_code == 401
    assert client.get(suggestions_url(SEEN), headers=bearer("nope")).status_code == 401
    forbidden = client.get(suggestions_url("x", language="uk", domain="messages"), headers=bearer(desk["translator"].token))
    assert forbidden.status_code == 403 and "error" in forbidden.get_json()
    missing = client.get(suggestions_url("not an entry"), headers=bearer(desk["translator"].token))
    assert missing.status_code == 404 and "error" in missing.get_json()
    assert client.get(f"/api/catalogs/en/articles/nope/entries/{entry_id_of('paragraph', SEEN)}/suggestions",
                      headers=bearer(desk["translator"].token)).status_code == 404


def test_a_saved_translation_is_suggested_for_the_next_similar_entry(client, desk):
    token = desk["translator"].token
    saved = client.put(f"/api/catalogs/en/{LYNX}/entries/{entry_id_of('paragraph', SEEN)}", headers=bearer(token),
                       json={"msgstr": "A lynx was seen in Kyiv for the first time in a hundred years.", "base": ""})
    assert saved.status_code == 200
    found = client.get(suggestions_url(SIMILAR), headers=bearer(token)).get_json()["suggestions"]
    assert {"source": SEEN, "translation": "A lynx was seen in Kyiv for the first time in a hundred years.",
            "domain": LYNX} in [{k: v for k, v in item.items() if k != "score"} for item in found]


def test_the_glossary_check_runs_on_api_saves_and_drafts(client, desk):
    token = desk["translator"].token
    url = f"/api/catalogs/en/{LYNX}/entries/{entry_id_of('paragraph', SEEN)}"
    draft = client.post(url + "/checks", headers=bearer(token), json={"msgstr": "A lynx in Kiev."}).get_json()
    assert [c["check"] for c in draft["checks"]].count("glossary") == 2
    saved = client.put(url, headers=bearer(token), json={"msgstr": "A lynx in Kiev.", "base": ""})
    assert saved.status_code == 200  # a warning, not an error
    assert "glossary" in [c["check"] for c in saved.get_json()["checks"]]
    listed = client.get(f"/api/catalogs/en/{LYNX}", headers=bearer(token)).get_json()["entries"]
    assert "glossary" in [c["check"] for e in listed if e["msgid"] == SEEN for c in e["checks"]]


def test_openapi_describes_suggestions_and_glossary(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert "/api/catalogs/{language}/{domain}/entries/{entry_id}/suggestions" in paths
    assert {"get", "post"} <= set(paths["/api/glossary/{language}"])
    assert {"put", "delete"} <= set(paths["/api/glossary/{language}/{term_id}"])


# --- glossary API -------------------------------------------------------------------------------


def test_translators_read_their_languages_glossary_only(client, desk):
    answer = client.get("/api/glossary/en", headers=bearer(desk["translator"].token))
    assert answer.status_code == 200
    assert answer.get_json() == {"language": "en", "terms": [
        {"id": desk["term"].id, "term": "Київ", "translation": "Kyiv", "note": "official spelling",
         "forbidden": ["Kiev"]}]}
    assert client.get("/api/glossary/en", headers=bearer(desk["uk"].token)).status_code == 403
    assert client.get("/api/glossary/en").status_code == 401
    assert client.get("/api/glossary/xx", headers=bearer(desk["editor"].token)).status_code == 404


def test_editors_add_change_and_remove_terms(client, desk, app):
    token = desk["editor"].token
    added = client.post("/api/glossary/en", headers=bearer(token),
                        json={"term": "Верховна Рада", "translation": "Verkhovna Rada", "forbidden": ["Supreme Council"]})
    assert added.status_code == 201
    term = added.get_json()
    assert term["term"] == "Верховна Рада" and term["note"] == "" and term["forbidden"] == ["Supreme Council"]
    changed = client.put(f"/api/glossary/en/{term['id']}", headers=bearer(token),
                         json={"term": "Верховна Рада", "translation": "Verkhovna Rada", "note": "parliament"})
    assert changed.status_code == 200 and changed.get_json()["note"] == "parliament"
    assert client.delete(f"/api/glossary/en/{term['id']}", headers=bearer(token)).status_code == 200
    assert [t.term for t in services(app).glossaries.terms("en")] == ["Київ"]


def test_translators_may_not_write_the_glossary(client, desk, app):
    token = desk["translator"].token
    assert client.post("/api/glossary/en", headers=bearer(token), json={"term": "a", "translation": "b"}).status_code == 403
    assert client.put(f"/api/glossary/en/{desk['term'].id}", headers=bearer(token),
                      json={"term": "a", "translation": "b"}).status_code == 403
    assert client.delete(f"/api/glossary/en/{desk['term'].id}", headers=bearer(token)).status_code == 403
    assert len(services(app).glossaries.terms("en")) == 1


@pytest.mark.parametrize("body, status, words", [
    ({"term": "", "translation": "x"}, 400, "term"),
    ({"term": "x"}, 400, "translation"),
    ({"term": "x", "translation": "y", "forbidden": "Kiev"}, 201, None),
    ({"term": "x", "translation": "y", "forbidden": [1]}, 400, "forbidden"),
    ({"term": "x", "translation": "y", "colour": "red"}, 400, "unknown field"),
    (["not", "an", "object"], 400, "JSON object"),
    ({"term": "КИЇВ", "translation": "Kyiv"}, 409, "already has"),
])
def test_bad_terms_get_a_clear_4xx_and_change_nothing(client, desk, app, body, status, words):
    answer = client.post("/api/glossary/en", headers=bearer(desk["editor"].token), json=body)
    assert answer.status_code == status, answer.get_json()
    if words:
        assert words in answer.get_json()["error"]
        assert len(services(app).glossaries.terms("en")) == 1


def test_changing_an_unknown_term_is_404_before_400(client, desk):
    token = desk["editor"].token
    assert client.put("/api/glossary/en/999", headers=bearer(token), json={}).status_code == 404
    assert client.put("/api/glossary/en/abc", headers=bearer(token), json={}).status_code == 404
    assert client.delete("/api/glossary/en/999", headers=bearer(token)).status_code == 404
    assert client.put(f"/api/glossary/en/{desk['term'].id}", headers=bearer(token), json={}).status_code == 400


# --- workspace pages ----------------------------------------------------------------------------


def test_the_entry_page_shows_suggestions_with_their_diff_and_glossary_hints(client, desk, login):
    login(desk["translator"])
    page = client.get(f"/translate/en/{LYNX}/entries/{entry_id_of('paragraph', SIMILAR)}").text
    assert 'id="suggestions"' in page and "A lynx was seen in Kiev for the first time in a century." in page
    assert 'data-text="A lynx was seen in Kiev' in page and "Alt+1" in page
    assert "<del>сто</del>" in page and "<ins>двісті</ins>" in page
    assert 'id="glossary-hints"' in page and "Kyiv" in page and "official spelling" in page


def test_an_entry_without_terms_shows_no_hints(client, desk, login):
    login(desk["translator"])
    catalog = client.get(f"/api/catalogs/en/{LYNX}", headers=bearer(desk["translator"].token)).get_json()
    title = next(e for e in catalog["entries"] if e["msgctxt"] == "title")
    page = client.get(f"/translate/en/{LYNX}/entries/{title['id']}").text
    assert 'id="glossary-hints"' not in page and 'id="suggestions"' in page


def test_translators_read_the_glossary_page_without_forms(client, desk, login):
    login(desk["translator"])
    page = client.get("/translate/glossary/en")
    assert page.status_code == 200 and "Kyiv" in page.text and "Kiev" in page.text
    assert 'name="term"' not in page.text
    assert client.get("/translate/glossary/uk").status_code == 403
    assert client.post("/translate/glossary/en/terms", data={"csrf_token": csrf_token_from(page.text), "term": "a",
                                                             "translation": "b"}).status_code == 403
    download = client.get("/translate/glossary/en/glossary.csv")
    assert download.status_code == 200 and "Київ,Kyiv,official spelling,Kiev" in download.text
    assert b"<martif" in client.get("/translate/glossary/en/glossary.tbx").data
    assert client.get("/translate/glossary/en/glossary.pdf").status_code == 404


def test_editors_edit_the_glossary_with_csrf_protected_forms(client, desk, login, app):
    login(desk["editor"])
    page = client.get("/translate/glossary/en").text
    token = csrf_token_from(page)
    assert client.post("/translate/glossary/en/terms", data={"term": "рись", "translation": "lynx"}).status_code == 400
    added = client.post("/translate/glossary/en/terms", data={"csrf_token": token, "term": "рись", "translation": "lynx",
                                                              "forbidden": "bobcat; wildcat"})
    assert added.status_code == 302
    glossaries = services(app).glossaries
    lynx = next(t for t in glossaries.terms("en") if t.term == "рись")
    assert lynx.forbidden == ("bobcat", "wildcat")
    refused = client.post("/translate/glossary/en/terms", data={"csrf_token": token, "term": "", "translation": "x"})
    assert refused.status_code == 400 and "term must be a non-empty string" in refused.text
    changed = client.post(f"/translate/glossary/en/terms/{lynx.id}", data={
        "csrf_token": token, "action": "save", "term": "рись", "translation": "Eurasian lynx", "note": "", "forbidden": ""})
    assert changed.status_code == 302 and glossaries.term("en", lynx.id).translation == "Eurasian lynx"
    removed = client.post(f"/translate/glossary/en/terms/{lynx.id}", data={"csrf_token": token, "action": "remove"})
    assert removed.status_code == 302 and [t.term for t in glossaries.terms("en")] == ["Київ"]
    assert client.post("/translate/glossary/en/terms/999", data={"csrf_token": token, "action": "remove"}).status_code == 404


def test_editors_upload_csv_and_a_bad_file_changes_nothing(client, desk, login, app):
    from io import BytesIO

    login(desk["editor"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    token = csrf_token_from(client.get("/translate/glossary/en").text)
    bad = client.post("/translate/glossary/en/upload", data={
        "csrf_token": token, "file": (BytesIO("term,translation\nрись,lynx\nвовк,\n".encode()), "terms.csv")})
    assert bad.status_code == 400 and "line 3" in bad.text
    assert len(services(app).glossaries.terms("en")) == 1
    good = client.post("/translate/glossary/en/upload", data={
        "csrf_token": token, "file": (BytesIO("term,translation\nрись,lynx\nКиїв,Kyiv\n".encode()), "terms.csv")})
    assert good.status_code == 302
    assert [t.term for t in services(app).glossaries.terms("en")] == ["Київ", "рись"]
