"""Check messages: English (and stable) in the API and the CLI, in the interface language on web pages."""
from __future__ import annotations

import html
import re

import polib
from babel.messages.extract import extract_from_file
from flask import g

from .conftest import csrf_token_from
from service.domain import checks
from service.domain.glossary import Term, glossary_of
from service.storage.catalogs import entry_id
from service.config import PROJECT_ROOT
from service.web.i18n import translate_message
from service.domain.translatable import Message

UK_CATALOG = PROJECT_ROOT / "locales/uk/LC_MESSAGES/messages.po"
TEMPLATE = PROJECT_ROOT / "locales/messages.pot"
#: The modules whose N_ strings are check messages (the markup check reports markup.py's problems, the
#: language check the guesser's evidence).
CHECK_MODULES = (*(str(path.relative_to(PROJECT_ROOT)) for path in sorted((PROJECT_ROOT / "service/domain/checks").glob("*.py"))),
                 "service/domain/language_guess.py", "service/domain/markup.py")
WANTED = entry_id(None, "You do not work on %(language)s.")
URL = f"/translate/uk/messages/entries/{WANTED}"

#: Drafts that set off every kind of check message: (source, translation, options of run_checks).
DRAFTS = [
    ("Hello, %(name)s.", "Привіт, 100%% %(who)s", {}),
    ("Hello, %(name)s.", "Привіт, 5% усіх.", {}),
    ("%(num)d file", ["%(num)d файл", ""], {"msgid_plural": "%(num)d files"}),
    ("%(num)d file", ["%(num)d файл", "%(num)d файли"], {"msgid_plural": "%(num)d files",
                                                         "plural_forms": (3, "n%10==1 ? 0 : n%10<5 ? 1 : 2")}),
    ("See *this* and **that** [here](https://a.example)", "Дивіться _це_ і <b>те</b> ~~тут~~ ![x](y) `z` <https://b.example>", {}),
    ("Read [it](https://a.example).", "Прочитайте [це](https://b.example).", {}),
    ("It costs 250 hryvnias, not 300.", "It costs 250 hryvnias, not 300.", {}),
    (" Kyiv, 12 May 2024", "Київ, травня\n", {}),
    ("Kyiv is the capital.", "Киев является столицей, это так", {}),
    ("This is the capital of the country and it has been for a very long time.", "Ceci est la capitale du pays depuis très longtemps, n'est-ce pas", {}),
    ("Kyiv", "Kyiv", {"language": "en"}),
    ("Good morning", "Добрий ранок", {"language": "en"}),
    ("A *bold* move", "Сміливий *крок", {}),
    ("An \"apostrophe\"", "П'ять \"слів\"", {}),
    ("One", ["Один", "Два"], {}),
    ("A long one", "д" * (checks.MAX_LENGTH + 1), {}),
    ("The Kyiv region", "Kiev область", {"glossary": glossary_of([Term(1, "Kyiv", "Київ", "", ("Kiev",))])}),
]


def _uk_translations() -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in polib.pofile(str(UK_CATALOG)) if not entry.obsolete}


def _check_templates() -> set[str]:
    """Every string the check modules mark with N_ (all of them are check messages or their parts)."""
    return {message for module in CHECK_MODULES
            for _line, message, _comments, _context in extract_from_file("python", PROJECT_ROOT / module,
                                                                           keywords={"N_": None})}


def _all_messages(message: str) -> list[Message]:
    assert isinstance(message, Message), f"not translatable: {message!r}"
    return [message] + [part for value in message.params.values() if isinstance(value, Message)
                        for part in _all_messages(value)]


def test_every_check_message_template_is_extracted_and_translated_into_ukrainian():
    templates = _check_templates()
    assert len(templates) > 30
    extracted = {entry.msgid for entry in polib.pofile(str(TEMPLATE))}
    translations = _uk_translations()
    assert templates <= extracted
    untranslated = [msgid for msgid in templates if not translations[msgid].msgstr or translations[msgid].fuzzy]
    assert untranslated == []


def test_every_check_result_is_made_from_an_extracted_template():
    templates = _check_templates()
    seen = set()
    for source, translation, options in DRAFTS:
        for result in checks.run_checks(source, translation, **{"language": "uk", **options}):
            for message in _all_messages(result.message):
                assert message.template in templates
                assert message == message.template % message.params
                seen.add(message.template)
    check_names = {declared.name for declared in checks.CHECKS}
    assert sorted(templates - check_names - seen) == []  # the drafts set off every message


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
