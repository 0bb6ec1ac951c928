"""The quality checks: each fires on a bad translation and not on its good twin."""
from __future__ import annotations

import polib
import pytest

from service.domain.checks import check_catalog, check_language, detect_language, has_errors, plural_examples, run_checks
from service.domain.numbers import numbers


UK_PLURALS = (3, "n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2")
EN_PLURALS = (2, "(n != 1)")


def names(results, level=None):
    return {result.check for result in results if level is None or result.level == level}


# Each case: (check, level, source, bad translation, good twin, language, extra keyword arguments)
CASES = [
    ("length", "error", "A paragraph.", "Абзац " * 20_000 + "кінець.", "Абзац " * 100 + "кінець.", "uk", {}),
    ("placeholders", "error", "Hello, %(name)s!", "Привіт!", "Привіт, %(name)s!", "uk", {}),
    ("placeholders", "error", "Hello, %(name)s!", "Привіт, %(user)s!", "Привіт, %(name)s!", "uk", {}),
    ("placeholders", "error", "%d files of %s", "%d файлів", "%d файлів у %s", "uk", {"flags": ["python-format"]}),
    ("placeholders", "error", "Welcome back, {name}!", "З поверненням!", "З поверненням, {name}!", "uk", {}),
    ("markup", "error", "This is *important* news.", "Це важлива новина.", "Це *важлива* новина.", "uk", {}),
    ("markup", "error", "This is **bold** news.", "Це **жирна новина.", "Це **жирна** новина.", "uk", {}),
    ("markup", "error", "Read the [report](https://example.org/r).", "Читайте звіт.",
     "Читайте [звіт](https://example.org/r).", "uk", {}),
    ("markup", "error", "Read the [report](https://example.org/r).", "Читайте [звіт](https://evil.example/r).",
     "Читайте [звіт](https://example.org/r).", "uk", {}),
    ("markup", "error", "Press <b>Save</b>.", "Натисніть Зберегти.", "Натисніть <b>Зберегти</b>.", "uk", {}),
    ("markup", "error", "Read this.", "Прочитайте це<svg/onload=alert(1)>.", "Прочитайте це.", "uk", {}),
    ("markup", "error", "Read this.", "Прочитайте це<!-- .", "Прочитайте це.", "uk", {}),
    ("language", "warning", "Save changes", "Сохранить изменения", "Зберегти зміни", "uk", {}),
    ("numbers", "warning", "About 1,260 people were evacuated.", "Евакуювали близько 1206 людей.",
     "Евакуювали близько 1260 людей.", "uk", {}),
    ("numbers", "warning", "The line is 4.6 km long.", "Лінія завдовжки 6 км.", "Лінія завдовжки 4,6 км.", "uk", {}),
    ("same-as-source", "warning", "Search articles", "Search articles", "Пошук статей", "uk", {}),
    ("whitespace", "warning", "Save", "Зберегти ", "Зберегти", "uk", {}),
    ("whitespace", "warning", " of 5", "з 5", " з 5", "uk", {}),
    ("punctuation", "warning", "The tram is coming.", "Трамвай їде", "Трамвай їде.", "uk", {}),
    ("punctuation", "warning", "Are you sure?", "Ви впевнені.", "Ви впевнені?", "uk", {}),
    ("typography", "warning", "It's five o'clock", "Зараз п'ять", "Зараз п’ять", "uk", {}),
    ("typography", "warning", 'He said "no".', 'Він сказав "ні".', "Він сказав «ні».", "uk", {}),
    ("typography", "warning", "He said “no”.", "Він сказав “ні”.", "Він сказав «ні».", "uk", {}),
]


@pytest.mark.parametrize("check, level, source, bad, good, language, extra", CASES,
                         ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)])
def test_every_check_fires_on_the_bad_translation_and_not_on_its_good_twin(check, level, source, bad, good,
                                                                           language, extra):
    bad_results = run_checks(source, bad, language=language, **extra)
    assert check in names(bad_results, level), bad_results
    good_results = run_checks(source, good, language=language, **extra)
    assert good_results == [], good_results


def test_plurals_check_needs_the_catalogs_number_of_forms():
    source, plural = "%(num)d minute", "%(num)d minutes"
    bad = run_checks(source, ["%(num)d хвилина", "%(num)d хвилини"], language="uk", msgid_plural=plural,
                     plural_forms=UK_PLURALS)
    assert "plurals" in names(bad, "error")
    good = run_checks(source, ["%(num)d хвилина", "%(num)d хвилини", "%(num)d хвилин"], language="uk",
                      msgid_plural=plural, plural_forms=UK_PLURALS)
    assert good == []


def test_plurals_check_rejects_a_form_left_empty():
    results = run_checks("%(num)d minute", ["%(num)d хвилина", "", "%(num)d хвилин"], language="uk",
                         msgid_plural="%(num)d minutes", plural_forms=UK_PLURALS)
    assert "plurals" in names(results, "error")


def test_plurals_check_rejects_plural_forms_for_a_singular_message():
    assert "plurals" in names(run_checks("Save", ["Зберегти", "Зберегти"], language="uk"), "error")


def test_english_one_form_may_leave_out_the_count():
    results = run_checks("%(num)d хвилина", ["a minute", "%(num)d minutes"], language="en",
                         msgid_plural="%(num)d хвилин", plural_forms=EN_PLURALS)
    assert results == []


def test_ukrainian_one_form_must_keep_the_count_because_it_serves_21_31():
    results = run_checks("%(num)d minute", ["хвилина", "%(num)d хвилини", "%(num)d хвилин"], language="uk",
                         msgid_plural="%(num)d minutes", plural_forms=UK_PLURALS)
    assert "placeholders" in names(results, "error")


def test_four_form_plural_catalogs_work():
    four = (4, "(n % 1 == 0 && n % 10 == 1 && n % 100 != 11 ? 0 : n % 1 == 0 && n % 10 >= 2 && n % 10 <= 4 && "
               "(n % 100 < 12 || n % 100 > 14) ? 1 : n % 1 == 0 && (n % 10 ==0 || (n % 10 >=5 && n % 10 <=9) || "
               "(n % 100 >=11 && n % 100 <=14 )) ? 2: 3)")
    forms = ["%(num)d хвилина", "%(num)d хвилини", "%(num)d хвилин", "%(num)d хвилини"]
    assert run_checks("%(num)d minute", forms, language="uk", msgid_plural="%(num)d minutes", plural_forms=four) == []
    assert "plurals" in names(run_checks("%(num)d minute", forms[:3], language="uk",
                                         msgid_plural="%(num)d minutes", plural_forms=four))


def test_plural_examples_follow_the_expression():
    examples = plural_examples(UK_PLURALS[1], 3)
    assert examples[0][:3] == [1, 21, 31]
    assert examples[1][:4] == [2, 3, 4, 22]
    assert examples[2][:3] == [0, 5, 6]


@pytest.mark.parametrize("source, translation, language", [
    # Ukrainian text in the English catalog
    ("Енергетики відновили живлення для 40 000 родин у Харкові.", "Енергетики відновили живлення для 40 000 родин у Харкові.", "en"),
    ("Міністри енергетики восьми країн пообіцяли допомогти Україні відновити мережу до зими.",
     "Міністри енергетики восьми країн пообіцяли допомогти Україні відновити мережу до зими.", "en"),
    ("Зберегти зміни", "Зберегти зміни", "en"),
    ("Нові статті", "Нові статті", "en"),
    ("Читати далі", "Читати далі", "en"),
    # English text in the Ukrainian catalog
    ("Energy ministers from eight countries pledged money to help Ukraine repair its grid before winter.",
     "Energy ministers from eight countries pledged money to help Ukraine repair its grid before winter.", "uk"),
    ("Save changes", "Save changes", "uk"),
    ("Read more", "Read more", "uk"),
    ("Sign in", "Log in", "uk"),
    # German text in the English catalog
    ("Уряд ухвалив закон у другому читанні в понеділок.",
     "Die Regierung hat am Montag das Gesetz in zweiter Lesung beschlossen.", "en"),
    # Russian text in the Ukrainian catalog
    ("Energy ministers from eight countries pledged money to help Ukraine repair its grid before winter.",
     "Министры энергетики восьми стран пообещали помочь Украине восстановить сеть до зимы.", "uk"),
    ("The first trams are due to run at the end of 2028.", "Первые трамваи должны поехать в конце 2028 года.", "uk"),
    ("Save changes", "Сохранить изменения", "uk"),
    ("Sign out", "Выйти", "uk"),
    ("All articles", "Все статьи", "uk"),
    ("Search articles", "Поиск статей", "uk"),
    ("Settings saved", "Настройки сохранены", "uk"),
    # Russian without ы/э/ъ/ё: told by its spellings (-тся, -ее, -ющий) and words
    ("Parliament passed next year's budget on Thursday.",
     "Верховная Рада в четверг приняла бюджет на следующий год.", "uk"),
    ("Read more", "Читать далее", "uk"),
    ("The war goes on", "Война продолжается", "uk"),
])
def test_language_check_flags_text_in_another_language_long_and_short(source, translation, language):
    results = run_checks(source, translation, language=language)
    language_results = [result for result in results if result.check == "language"]
    assert language_results, results
    assert language_results[0].level == "warning"


@pytest.mark.parametrize("translation, language", [
    ("Міністри енергетики восьми країн пообіцяли допомогти Україні відновити мережу до зими.", "uk"),
    ("Перші трамваї мають поїхати наприкінці 2028 року.", "uk"),
    ("Зберегти зміни", "uk"),
    ("Вийти", "uk"),
    ("Усі статті", "uk"),
    ("Пошук статей", "uk"),
    ("Наука", "uk"),
    ("Забагато невдалих спроб. Спробуйте ще раз через десять секунд, будь ласка.", "uk"),  # no і/ї/є at all
    ("Верховна Рада в четвер ухвалила бюджет на наступний рік.", "uk"),
    ("Читати далі", "uk"),
    ("Війна триває", "uk"),
    ("Рух трамвая відновлять у суботу.", "uk"),  # "трамвая" is Ukrainian too
    ("Energy ministers from eight countries pledged money to help Ukraine repair its grid before winter.", "en"),
    ("Save changes", "en"),
    ("Read more", "en"),
    # English news heavy with names, which langdetect takes for Romanian or German
    ("Kyiv, Kharkiv and Zaporizhzhia oblasts remain under curfew until 05:00.", "en"),
    ("Volodymyr Zelensky met Ursula von der Leyen and Olaf Scholz in Brussels.", "en"),
])
def test_language_check_stays_quiet_on_the_right_language(translation, language):
    assert "language" not in names(run_checks("x", translation, language=language))


def test_language_check_reports_the_language_seen():
    (result,) = [r for r in run_checks("Save changes", "Сохранить изменения", language="uk") if r.check == "language"]
    assert "Russian" in result.message
    (result,) = [r for r in run_checks("Зберегти зміни", "Зберегти зміни", language="en") if r.check == "language"]
    assert "Ukrainian" in result.message


def test_language_check_names_every_language_by_its_cldr_name():
    # langdetect's "no" was shown as it is: "looks like no, not Polish"
    (result,) = check_language("Dette er en lang tekst på norsk som handler om været i dag og i morgen", "pl")
    assert result.message.startswith("the translation looks like Norwegian, not Polish (seen: langdetect)")
    (result,) = check_language("Это русский текст, который написан здесь", "pt_BR")
    assert result.message.startswith("the translation looks like Russian, not Portuguese")


# Ukrainian with names left in Latin letters: more Latin letters than Cyrillic, and langdetect, reading
# the Cyrillic ones, says "uk". It was reported as "looks like Ukrainian, not Ukrainian".
MIXED_SCRIPT_UKRAINIAN = "Зустріч Volodymyr Zelensky та Ursula von der Leyen у Brussels відбулася вчора"


def test_language_check_never_says_the_translation_looks_like_the_catalogs_own_language():
    assert (detect_language(MIXED_SCRIPT_UKRAINIAN).language, detect_language(MIXED_SCRIPT_UKRAINIAN).script) == (
        "uk", "Latin")
    (result,) = check_language(MIXED_SCRIPT_UKRAINIAN, "uk")
    assert result.message == ("the translation looks like text in Latin letters, not Ukrainian "
                              "(seen: Latin letters)")
    (result,) = check_language(MIXED_SCRIPT_UKRAINIAN, "en")  # in the English catalog it is Ukrainian
    assert result.message == "the translation looks like Ukrainian, not English (seen: langdetect)"


# Long English text whose words already make it English: langdetect is not asked in an English catalog.
# The second one langdetect takes for another language (names and numbers), which the words overrule.
ENGLISH_BY_ITS_WORDS = [
    "The council said that the new tram line would open with the first trains from the depot in spring",
    "Kharkiv, Lviv and Odesa: the mayors of the three cities met with their teams in Uzhhorod",
]


@pytest.mark.parametrize("text", ENGLISH_BY_ITS_WORDS)
def test_english_words_decide_an_english_catalogs_language_without_langdetect(text, monkeypatch):
    asked = detect_language(text)
    from service.domain import language_guess

    def no_langdetect(_text: str) -> str:
        raise AssertionError("langdetect asked")

    monkeypatch.setattr(language_guess, "_langdetect", no_langdetect)
    told = detect_language(text, expected="en")
    assert told.language == asked.language == "en"  # the same language, whatever langdetect would say
    assert check_language(text, "en") == []
    with pytest.raises(AssertionError, match="langdetect asked"):
        check_language(text, "uk")  # in another catalog the warning shows langdetect's answer: still asked


def test_detect_language_is_deterministic_on_long_text():
    text = "Енергетики працюють цілодобово, щоб повернути світло в оселі людей до початку морозів"
    assert len({detect_language(text) for _ in range(5)}) == 1
    assert detect_language(text).language == "uk"


@pytest.mark.parametrize("source, translation", [
    ("1,260", "1260"), ("1,260", "1 260"), ("1260", "1\u00a0260"), ("3,5", "3.5"), ("40 000", "40,000"),
    ("1.9 billion", "1,9 млрд"), ("1,500 engineers", "1500 інженерів"), ("70%", "70 %"), ("1:00", "1:00"),
    ("1 260,5", "1,260.5"),
])
def test_numbers_match_across_ways_of_writing_them(source, translation):
    assert run_checks(source, translation, language="uk") == [] or "numbers" not in names(
        run_checks(source, translation, language="uk"))


def test_numbers_keeps_separate_numbers_apart():
    assert numbers("from 50 to 28 minutes") == [{"50"}, {"28"}]
    assert numbers("in 2023 100 people") == [{"2023"}, {"100"}]
    assert numbers("40 000 people") == [{"40000"}]


def test_numbers_counts_repeated_numbers():
    results = run_checks("2 stops and 2 hubs.", "2 зупинки та вузли.", language="uk")
    assert "numbers" in names(results)


def test_empty_translation_is_not_checked():
    assert run_checks("Save", "", language="uk") == []


def test_errors_come_before_warnings():
    results = run_checks("Read *this* %(name)s", "Читай", language="uk")
    assert has_errors(results)
    levels = [result.level for result in results]
    assert levels == sorted(levels, key=lambda level: level != "error")
    assert all(set(result.as_json()) == {"check", "level", "message"} for result in results)


def test_check_catalog_skips_fuzzy_and_untranslated():
    catalog = polib.POFile()
    catalog.metadata = {"Plural-Forms": "nplurals=2; plural=(n != 1);"}
    catalog.append(polib.POEntry(msgid="Save", msgstr="Save"))
    catalog.append(polib.POEntry(msgid="Open", msgstr="Open", flags=["fuzzy"]))
    catalog.append(polib.POEntry(msgid="Close", msgstr=""))
    found = check_catalog(catalog, "en")
    assert [entry.msgid for entry, _ in found] == ["Save"]
