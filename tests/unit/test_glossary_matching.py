"""Glossary matching, the glossary check and glossary files, as plain functions (no files, no app)."""
from __future__ import annotations

import pytest

from service.domain import checks
from service.domain.glossary import GlossaryError, Term, clean_term, glossary_of, occurs
from service.domain.glossary_files import GlossaryFileError, format_csv, format_tbx, parse_csv, parse_tbx

KYIV = Term(1, "Київ", "Kyiv", "official spelling since 1995", ("Kiev",))
RADA = Term(2, "Верховна Рада", "Verkhovna Rada", "", ())
GLOSSARY = glossary_of([KYIV, RADA])


@pytest.mark.parametrize("term, text", [
    ("Київ", "у Києві"), ("Київ", "до Києва"), ("Київ", "КИЇВ"), ("Львів", "зі Львова"),
    ("Верховна Рада", "рішення Верховної Ради"), ("Верховна Рада", "у Верховній Раді"),
    ("Верховна Рада", "Верховною Радою"), ("окупований", "з окупованих територій"),
    ("Міністерство закордонних справ", "речник Міністерства закордонних справ"),
    ("диктатор", "диктаторами"), ("громада", "громадам"),
    ("Kyiv", "Kyiv's mayor"), ("minister", "ministers met"), ("city", "two cities"), ("Rada", "the RADA"),
    ("об’єкт", "об'єкта"),
])
def test_a_term_matches_its_inflected_forms_whatever_the_case(term, text):
    assert occurs(term, text)


@pytest.mark.parametrize("term, text", [
    ("Київ", "Kyiv"), ("Kiev", "Kyiv"), ("Верховна Рада", "Верховна влада"), ("Рада", "Радомишль"),
    ("port", "portal"), ("Верховна Рада", "Рада Верховна"),
])
def test_a_term_does_not_match_other_words(term, text):
    assert not occurs(term, text)


def test_terms_in_a_source():
    assert GLOSSARY.terms_in("Засідання Верховної Ради у Києві") == [KYIV, RADA]
    assert GLOSSARY.terms_in("Нічого з глосарію") == []


def test_glossary_check_warns_about_a_missing_translation_and_a_forbidden_variant():
    results = checks.run_checks("Засідання у Києві", "A session in Kiev", language="en", glossary=GLOSSARY)
    found = [(r.check, r.level, str(r.message)) for r in results if r.check == "glossary"]
    assert found == [
        ("glossary", "warning", "“Київ” is translated as “Kyiv”"),
        ("glossary", "warning", "“Kiev” is not used; write “Kyiv”"),
    ]
    fixed = checks.run_checks("Засідання у Києві", "A session in Kyiv", language="en", glossary=GLOSSARY)
    assert not [r for r in fixed if r.check == "glossary"]


def test_without_a_glossary_the_check_finds_nothing():
    assert not [r for r in checks.run_checks("У Києві", "In Kiev", language="en") if r.check == "glossary"]
    assert "glossary" in checks.CHECKS_BY_ID and checks.CHECKS_BY_ID["glossary"].level == checks.Level.WARNING


@pytest.mark.parametrize("fields, words", [
    (("", "x"), "term"), (("x", " "), "translation"), (("x", "y", 5), "note"), (("x", "y", "", [1]), "forbidden"),
    (("x" * 201, "y"), "longer"), (("a\x00b", "y"), "control"), (("…", "y"), "word"),
])
def test_bad_terms_are_refused_with_the_reason(fields, words):
    with pytest.raises(GlossaryError) as caught:
        clean_term(*fields)
    assert words in str(caught.value)


def test_forbidden_variants_from_text_are_split_on_semicolons():
    assert clean_term(" Київ ", "Kyiv", None, "Kiev; Kiew;;Kiev")[3] == ("Kiev", "Kiew")


def test_csv_round_trip_and_a_broken_csv_names_the_line():
    data = format_csv([KYIV, RADA]).encode()
    assert [row[1:] for row in parse_csv(data)] == [("Київ", "Kyiv", KYIV.note, ("Kiev",)),
                                                    ("Верховна Рада", "Verkhovna Rada", "", ())]
    with pytest.raises(GlossaryFileError) as caught:
        parse_csv(b"name,value\nx,y\n")
    assert caught.value.line == 1
    with pytest.raises(GlossaryFileError) as caught:
        parse_csv(b"term,translation\nok,fine\n\xff\xfe,x\n")
    assert caught.value.line == 3


def test_tbx_round_trip_keeps_forbidden_variants_as_deprecated_terms():
    data = format_tbx([KYIV, RADA], "uk", "en")
    assert b"deprecatedTerm-admn-sts" in data
    assert [row[1:] for row in parse_tbx(data, "en")] == [("Київ", "Kyiv", KYIV.note, ("Kiev",)),
                                                          ("Верховна Рада", "Verkhovna Rada", "", ())]
    with pytest.raises(GlossaryFileError) as caught:
        parse_tbx(b"<martif>\n<text>\n</martif>", "en")
    assert caught.value.line == 3


def test_a_glossarys_fingerprint_changes_exactly_when_its_terms_do():
    lynx = Term(1, "рись", "lynx", forbidden=("bobcat",))
    assert glossary_of([lynx]).fingerprint() == glossary_of([Term(1, "рись", "lynx", forbidden=("bobcat",))]).fingerprint()
    assert glossary_of([lynx]).fingerprint() != glossary_of([Term(1, "рись", "lynx")]).fingerprint()
    assert glossary_of([lynx]).fingerprint() != glossary_of(()).fingerprint()
