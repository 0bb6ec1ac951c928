"""Every check message is an extracted template, translated into Ukrainian (pages showing them: ``web/``)."""
from __future__ import annotations

import polib
from babel.messages.extract import extract_from_file

from service.domain import checks
from service.domain.glossary import Term, glossary_of
from service.config import PROJECT_ROOT
from service.domain.interface_text import Message

UK_CATALOG = PROJECT_ROOT / "locales/uk/LC_MESSAGES/messages.po"
TEMPLATE = PROJECT_ROOT / "locales/messages.pot"
#: The modules whose N_ strings are check messages (the markup check reports markup.py's problems, the
#: language check the guesser's evidence).
CHECK_MODULES = (*(str(path.relative_to(PROJECT_ROOT)) for path in sorted((PROJECT_ROOT / "service/domain/checks").glob("*.py"))),
                 "service/domain/language_guess.py", "service/domain/markup.py")

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
    ("Kyiv", "\nКиїв", {}),
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
    review = checks.check_facts_changed("Прийшли 1 340 людей.", "Прийшли 1 260 людей.", "1,260 people came.")
    seen.update(message.template for result in review for message in _all_messages(result.message))
    check_names = {declared.name for declared in checks.CHECKS_BY_ID.values()}
    assert sorted(templates - check_names - seen) == []  # the drafts set off every message
