"""Check messages: English (and stable) in the API and the CLI, in the interface language on web pages."""
from __future__ import annotations

import html
import re

from flask import g

from .conftest import csrf_token_from
from service.domain import checks
from service.domain.editing import entry_id_of
from service.web.i18n import translate_message

WANTED = entry_id_of(None, "You do not work on %(language)s.")
URL = f"/translate/uk/messages/entries/{WANTED}"


def test_a_message_is_shown_in_the_interface_language(app):
    result = checks.run_checks("Hello, %(name)s.", "Привіт, %(who)s.", language="uk")[0]
    assert result.message == "missing python-format placeholder(s): %(name)s"
    with app.test_request_context():
        g.language = "uk"
        assert translate_message(result.message) == "бракує заповнювачів python-format: %(name)s"
        g.language = "en"
        assert translate_message(result.message) == "missing python-format placeholder(s): %(name)s"


def test_language_names_inside_a_message_are_translated_too(app):
    message = checks.check_language("Киев является столицей, это так", "uk")[0].message
    assert message.startswith("the translation looks like Russian, not Ukrainian")
    with app.test_request_context():
        g.language = "uk"
        assert translate_message(message).startswith("схоже, переклад не тією мовою: це російська, а має бути українська")


def test_every_language_is_named_in_the_interface_language(app):
    norwegian = "Dette er en lang tekst på norsk som handler om været i dag og i morgen"
    message = checks.check_language(norwegian, "pl")[0].message
    assert message.startswith("the translation looks like Norwegian, not Polish")
    with app.test_request_context():
        g.language = "uk"
        assert translate_message(message).startswith("схоже, переклад не тією мовою: це норвезька, а має бути польська")


def _post(client, **fields):
    page = client.get(URL).text
    base = html.unescape(re.search(r'name="base" value="([^"]*)"', page).group(1))
    return client.post(URL, data={"csrf_token": csrf_token_from(page), "base": base, **fields})


def test_a_refused_save_says_why_in_ukrainian_and_the_api_in_english(client, uk_translator):
    refused = _post(client, msgstr="Ви не працюєте з цією мовою.", action="save")
    assert refused.status_code == 422
    assert "<strong>помилка</strong> · заповнювачі: бракує заповнювачів python-format: %(language)s" in refused.text
    assert "missing" not in refused.text and ">error<" not in refused.text

    answer = client.put(f"/api/catalogs/uk/messages/entries/{WANTED}",
                        headers={"Authorization": f"Bearer {uk_translator.token}"},
                        json={"msgstr": "Ви не працюєте з цією мовою.", "base": "Ви не працюєте з мовою: %(language)s."})
    assert answer.status_code == 422
    assert answer.get_json()["checks"] == [{"check": "placeholders", "level": "error",
                                            "message": "missing python-format placeholder(s): %(language)s"}]


def test_warnings_after_a_save_and_while_typing_are_in_ukrainian(client, uk_translator):
    draft = 'Ви не працюєте з мовою "%(language)s".'
    typing = client.post(URL + "/checks", data={"csrf_token": csrf_token_from(client.get(URL).text), "msgstr": draft})
    assert typing.status_code == 200
    assert "<strong>попередження</strong> · типографіка: пишіть лапки «», а не &#34;" in typing.text

    saved = _post(client, msgstr=draft, action="save")
    assert saved.status_code == 302
    page = client.get(saved.location).text
    assert "Збережено." in page
    assert "типографіка: пишіть лапки «», а не &#34;" in page and "quotation marks" not in page
