"""The translator workspace answers refusals in its interface language, not in the API's English."""
from __future__ import annotations

import html
import io
import re

from .conftest import csrf_token_from
from service.domain.editing import entry_id_of

URL = f"/translate/uk/messages/entries/{entry_id_of(None, 'You do not work on %(language)s.')}"


def _form(client):
    page = client.get(URL).text
    return {"csrf_token": csrf_token_from(page),
            "base": html.unescape(re.search(r'name="base" value="([^"]*)"', page).group(1))}


def test_a_control_character_is_refused_in_ukrainian(client, uk_translator):
    response = client.post(URL, data={**_form(client), "msgstr": "Ви не працюєте\x01 з мовою: %(language)s.",
                                      "action": "save"})
    assert response.status_code == 400
    assert "керівний символ" in response.text and "control character" not in response.text


def test_a_form_without_its_starting_text_is_refused_in_ukrainian(client, uk_translator):
    response = client.post(URL, data={**_form(client), "base": "{", "msgstr": "x", "action": "save"})
    assert response.status_code == 400
    assert "Форма втратила текст" in response.text


def test_a_revert_to_an_unknown_change_is_refused_in_ukrainian(client, uk_translator):
    response = client.post(URL, data={**_form(client), "action": "revert-12345"})
    assert response.status_code == 400
    assert "такої зміни немає" in response.text


def test_an_upload_over_the_size_limit_is_refused_in_ukrainian(app, client, uk_translator):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    data = {"csrf_token": _form(client)["csrf_token"], "file": (io.BytesIO(b"#" * 4096), "big.po")}
    response = client.post("/translate/uk/messages/upload", data=data)
    assert response.status_code == 413
    assert "Файл завеликий." in response.text and "Request Entity Too Large" not in response.text


def test_every_page_speaks_the_language_the_reader_gets(client, add_user, login):
    # One selector: the reader's redirect, the workspace, the editor dashboard and the error pages agree.
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "uk-UA,en;q=0.9"
    assert client.get("/").location == "/uk/"
    login(add_user("olena", "editor"))
    for path, status in [("/translate/", 200), ("/editor/coverage", 200), ("/nowhere", 404)]:
        response = client.get(path)
        assert response.status_code == status and '<html lang="uk">' in response.text, path
    login(add_user("taras", "translator", "uk"))
    refused = client.get("/editor/coverage")
    assert refused.status_code == 403 and '<html lang="uk">' in refused.text and "Для цього потрібна роль" in refused.text
