"""Translation memory matching and TMX, as plain functions (no files, no app)."""
from __future__ import annotations

import pytest

from service.domain.memory import MIN_SCORE, MemoryIndex, MemoryUnit, Unit, brute_force, length_window
from service.domain.tmx import TmxError, format_tmx, parse_tmx

RADA = "Верховна Рада ухвалила закон про державний бюджет на 2025 рік"


def index_of(*units: Unit) -> MemoryIndex:
    index = MemoryIndex()
    for number, unit in enumerate(units, 1):
        index.add(number, unit)
    return index


def test_exact_match_comes_first_with_100_then_fuzzy_best_first():
    index = index_of(
        Unit("articles/budget", "paragraph", RADA, "The Verkhovna Rada adopted the 2025 state budget law"),
        Unit("articles/other", "paragraph", RADA.replace("2025", "2024"), "… 2024 …"),
        Unit("articles/far", "title", "Трамвай до Рясного відкрито", "Tram to Riasne opens"),
    )
    found = index.suggest(RADA, exclude=("articles/new", "paragraph"))
    assert [s.score for s in found][0] == 100 and found[0].exact
    assert found[0].translation.startswith("The Verkhovna Rada")
    assert found[1].domain == "articles/other" and MIN_SCORE <= found[1].score < 100
    assert all(s.domain != "articles/far" for s in found)


def test_the_entry_itself_is_not_its_own_suggestion():
    index = index_of(Unit("articles/budget", "paragraph", RADA, "translation"))
    assert index.suggest(RADA, exclude=("articles/budget", "paragraph")) == []
    assert len(index.suggest(RADA, exclude=("articles/budget", "title"))) == 1


def test_nothing_under_70_percent_and_the_same_pair_once():
    index = index_of(Unit("a", "", "Save", "Зберегти"), Unit("b", "", "Save", "Зберегти"),
                     Unit("c", "", "Completely different words here", "x"))
    found = index.suggest("Save", exclude=None)
    assert [(s.translation, s.score) for s in found] == [("Зберегти", 100)]
    assert index.suggest("Publish the article now", exclude=None) == []


def test_short_texts_are_found_by_length_window_without_shared_words():
    index = index_of(Unit("messages", "", "Sign out", "Вийти"))
    found = index.suggest("Sign-out", exclude=None)
    assert found and found[0].translation == "Вийти" and found[0].score < 100


def test_removed_and_changed_units_are_not_suggested():
    index = index_of(Unit("a", "", RADA, "old"))
    index.add(1, Unit("a", "", RADA, "new"))
    assert [s.translation for s in index.suggest(RADA, exclude=None)] == ["new"]
    index.remove(1)
    assert index.suggest(RADA, exclude=None) == [] and len(index) == 0


def test_a_key_in_too_many_sources_is_dropped_but_rare_keys_still_find_the_match():
    index = MemoryIndex(max_postings=10)
    for number in range(50):
        index.add(number, Unit(f"articles/a{number}", "", f"рада місто порт рада місто {number}", f"t{number}"))
    found = index.suggest("рада місто порт рада місто 37", exclude=None)
    assert found[0].translation == "t37" and found[0].exact


def test_the_index_finds_what_brute_force_finds_at_the_top():
    sources = [f"Уряд виділив {n} мільйонів гривень на ремонт мостів у громаді номер {n * 7}" for n in range(300)]
    index = index_of(*[Unit(f"articles/s{n}", "", text, f"t{n}") for n, text in enumerate(sources)])
    query = "Уряд виділив 120 мільйонів гривень на ремонт мостів у громаді номер 840 та 841"
    best = brute_force(query, dict(enumerate(sources, 1)), limit=1)
    assert index.suggest(query, exclude=None)[0].source == best[0][0]


def test_length_window_bounds_the_indel_ratio():
    shortest, longest = length_window(100)
    assert shortest == 53 and longest == 186


def test_tmx_round_trip_with_languages_per_tuv():
    units = [MemoryUnit("en", "uk", "articles/a", "title", "Київ & «Рада» <b>", "Kyiv & “Rada” <b>"),
             MemoryUnit("uk", "en", "messages", "", "Tab\there\r", "Табуляція")]
    data = format_tmx(units)
    assert b'<tuv xml:lang="uk"><seg>' in data and b'<tmx version="1.4">' in data
    assert parse_tmx(data, ["uk", "en"]) == units


def test_tmx_from_elsewhere_regional_codes_inline_codes_and_unknown_languages():
    data = """<?xml version="1.0"?>
<tmx version="1.4"><header srclang="en-US" datatype="plaintext" segtype="sentence" adminlang="en"
 creationtool="x" creationtoolversion="1" o-tmf="x"/><body>
<tu><tuv xml:lang="EN-us"><seg>Hello, <ph>%(name)s</ph></seg></tuv>
<tuv xml:lang="uk-UA"><seg>Привіт, %(name)s</seg></tuv><tuv xml:lang="de-DE"><seg>Hallo</seg></tuv></tu>
</body></tmx>""".encode()
    assert parse_tmx(data, ["uk", "en"]) == [MemoryUnit("uk", "en", "tmx", "", "Hello, %(name)s", "Привіт, %(name)s")]


@pytest.mark.parametrize("data, line, words", [
    (b"<tmx>\n<body>\n<tu>\n</body></tmx>", 4, "mismatched tag"),
    (b"<?xml version='1.0'?>\n<html/>", 1, "not <tmx>"),
    (b"<tmx>\n<header/>\n</tmx>", 3, "no <body>"),
    (b"<tmx><body>\n<tu><tuv><seg>a</seg></tuv></tu></body></tmx>", 2, "without xml:lang"),
    (b"", 1, "not well-formed"),
])
def test_a_broken_tmx_names_the_line(data, line, words):
    with pytest.raises(TmxError) as caught:
        parse_tmx(data, ["uk", "en"])
    assert caught.value.line == line and words in str(caught.value)
