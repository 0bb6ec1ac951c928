"""``merge_catalog`` must agree with GNU ``msgmerge --previous`` byte for byte."""
from __future__ import annotations

import random
from pathlib import Path

import polib
import pytest

from service.domain.merge import merge_catalog
from service.domain.po_format import format_catalog, parse_catalog
from service.storage.po_files import read_catalog

from ..gnu_gettext import msgmerge

UK_PLURALS = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
FOUR_PLURALS = "nplurals=4; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : n!=1 && n%10<=1 ? 2 : 3);"


def catalog_text(entries: str, plural_forms: str | None = "nplurals=2; plural=(n != 1);", created: str = "2026-01-01") -> str:
    header = (
        'msgid ""\nmsgstr ""\n"Project-Id-Version: test\\n"\n'
        f'"POT-Creation-Date: {created} 10:00+0000\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    )
    if plural_forms:
        header += f'"Plural-Forms: {plural_forms}\\n"\n'
    return header + "\n" + entries


def assert_agrees_with_msgmerge(tmp_path: Path, definitions: str, template: str) -> polib.POFile:
    po, pot = tmp_path / "def.po", tmp_path / "ref.pot"
    po.write_text(definitions, encoding="utf-8")
    pot.write_text(template, encoding="utf-8")
    merged = merge_catalog(read_catalog(po), read_catalog(pot))
    assert format_catalog(merged) == msgmerge(po, pot)
    return merged


def entry(context: str, msgid: str, msgstr: str = "", extra: str = "") -> str:
    return f'{extra}msgctxt "{context}"\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n\n'


PARAGRAPHS = [
    "Київська міська рада ухвалила бюджет на 2027 рік обсягом 98 млрд гривень.",
    "На ремонт шкіл спрямують 4,2 млрд гривень, це на 15% більше, ніж торік.",
    "Опозиційні депутати критикували план закупівель транспорту для громади.",
    "Голосування тривало понад шість годин і завершилося пізно ввечері.",
]
TRANSLATIONS = [
    "Kyiv city council approved a 2027 budget of 98 billion hryvnias.",
    "Schools will get 4.2 billion hryvnias for repairs, 15% more than last year.",
    "Opposition deputies criticised the plan to buy transport for the community.",
    "The vote lasted more than six hours and ended late in the evening.",
]


def translated_catalog() -> str:
    return catalog_text("".join(
        entry("paragraph", source, target, f"#. paragraph {n}\n#: content/a.md:{n * 2}\n")
        for n, (source, target) in enumerate(zip(PARAGRAPHS, TRANSLATIONS), start=1)
    ).rstrip("\n") + "\n")


def template_of(paragraphs: list[str]) -> str:
    return catalog_text("".join(
        entry("paragraph", text, "", f"#. paragraph {n}\n#: content/a.md:{n * 2}\n")
        for n, text in enumerate(paragraphs, start=1)
    ).rstrip("\n") + "\n", plural_forms=None, created="2026-02-02")


def test_changed_paragraph_keeps_its_translation_fuzzy_with_previous_source(tmp_path):
    edited = PARAGRAPHS.copy()
    edited[1] = edited[1].replace("15%", "17%")
    merged = assert_agrees_with_msgmerge(tmp_path, translated_catalog(), template_of(edited))
    fuzzy = [e for e in merged if e.fuzzy]
    assert [(e.msgid, e.msgstr, e.previous_msgid) for e in fuzzy] == [(edited[1], TRANSLATIONS[1], PARAGRAPHS[1])]


def test_inserted_and_moved_paragraphs_stale_nothing_else(tmp_path):
    reordered = ["Новий вступний абзац про зовсім іншу подію в області."] + PARAGRAPHS[2:] + PARAGRAPHS[:2]
    merged = assert_agrees_with_msgmerge(tmp_path, translated_catalog(), template_of(reordered))
    assert not any(e.fuzzy for e in merged)
    assert [e.msgstr for e in merged] == [""] + TRANSLATIONS[2:] + TRANSLATIONS[:2]


def test_removed_paragraph_becomes_obsolete_and_comes_back(tmp_path):
    merged = assert_agrees_with_msgmerge(tmp_path, translated_catalog(), template_of(PARAGRAPHS[:3]))
    assert [(e.msgid, e.msgstr) for e in merged.obsolete_entries()] == [(PARAGRAPHS[3], TRANSLATIONS[3])]
    (tmp_path / "removed.po").write_text(format_catalog(merged), encoding="utf-8")
    revived = assert_agrees_with_msgmerge(tmp_path, format_catalog(merged), template_of(PARAGRAPHS))
    assert [e.msgstr for e in revived if not e.obsolete] == TRANSLATIONS


def test_fuzzy_entry_keeps_its_first_previous_source_through_a_second_change(tmp_path):
    first = PARAGRAPHS.copy()
    first[0] = first[0].replace("98", "99")
    once = assert_agrees_with_msgmerge(tmp_path, translated_catalog(), template_of(first))
    second = first.copy()
    second[0] = second[0].replace("2027", "2028")
    twice = assert_agrees_with_msgmerge(tmp_path, format_catalog(once), template_of(second))
    assert [e.previous_msgid for e in twice if e.fuzzy] == [PARAGRAPHS[0]]


def test_untranslated_entries_vanish_and_fuzzy_obsolete_ones_keep_previous(tmp_path):
    definitions = catalog_text(
        entry("item", "Нікому не потрібний пункт") +
        entry("item", "Змінений пункт", "Changed item", '#, fuzzy\n#| msgctxt "item"\n#| msgid "Старий пункт"\n')
    )
    merged = assert_agrees_with_msgmerge(tmp_path, definitions, template_of(PARAGRAPHS[:1]))
    assert [(e.msgid, e.previous_msgid) for e in merged.obsolete_entries()] == [("Змінений пункт", "Старий пункт")]


def test_same_text_in_another_role_is_offered_as_fuzzy(tmp_path):
    definitions = catalog_text(entry("heading", "Що далі", "What next"))
    template = catalog_text(entry("item", "Що далі") + entry("heading", "Що далі"), plural_forms=None)
    merged = assert_agrees_with_msgmerge(tmp_path, definitions, template)
    assert [(e.msgctxt, e.fuzzy, e.msgstr) for e in merged] == [("item", True, "What next"), ("heading", False, "What next")]


@pytest.mark.parametrize("plural_forms", [UK_PLURALS, FOUR_PLURALS])
def test_plural_entries_get_every_form_of_the_catalog(tmp_path, plural_forms):
    nplurals = int(plural_forms.split("=")[1].split(";")[0])
    forms = "".join(f'msgstr[{n}] "%(num)d хв {n}"\n' for n in range(nplurals))
    definitions = catalog_text(f'msgid "%(num)d minute"\nmsgid_plural "%(num)d minutes"\n{forms}', plural_forms)
    template = catalog_text(
        '#, python-format\nmsgid "%(num)d minute"\nmsgid_plural "%(num)d minutes"\nmsgstr[0] ""\nmsgstr[1] ""\n\n'
        '#, python-format\nmsgid "%(num)d hour"\nmsgid_plural "%(num)d hours"\nmsgstr[0] ""\nmsgstr[1] ""\n\n'
        '#, python-format\nmsgid "%(num)d comment was left here"\nmsgid_plural "%(num)d comments were left here"\n'
        'msgstr[0] ""\nmsgstr[1] ""\n',
        plural_forms=None,
    )
    merged = assert_agrees_with_msgmerge(tmp_path, definitions, template)
    assert all(len(e.msgstr_plural) == nplurals for e in merged)


def test_random_edits_agree_with_msgmerge(tmp_path):
    """Many catalogs with random edits (changed words, inserts, deletes, moves) against msgmerge."""
    rng = random.Random(20261126)
    words = "місто рада бюджет школа 2027 15% гривень ремонт транспорт депутати голосування вечір район".split()
    for round_number in range(12):
        paragraphs = [" ".join(rng.choices(words, k=rng.randint(3, 14))) for _ in range(8)]
        paragraphs = list(dict.fromkeys(paragraphs))
        definitions = catalog_text("".join(
            entry("paragraph", text, f"EN {n} {text[:10]}" if rng.random() < 0.8 else "")
            for n, text in enumerate(paragraphs)
        ))
        edited = paragraphs.copy()
        for _ in range(4):
            action, index = rng.choice(["change", "insert", "delete", "move"]), rng.randrange(len(edited))
            if action == "change":
                tokens = edited[index].split()
                tokens[rng.randrange(len(tokens))] = rng.choice(words)
                edited[index] = " ".join(tokens)
            elif action == "insert":
                edited.insert(index, " ".join(rng.choices(words, k=rng.randint(3, 14))))
            elif action == "delete" and len(edited) > 1:
                edited.pop(index)
            else:
                edited.append(edited.pop(index))
        round_dir = tmp_path / str(round_number)
        round_dir.mkdir()
        assert_agrees_with_msgmerge(round_dir, definitions, template_of(list(dict.fromkeys(edited))))


def test_merge_is_idempotent(tmp_path):
    edited = PARAGRAPHS[1:] + ["Зовсім новий абзац."]
    first = assert_agrees_with_msgmerge(tmp_path, translated_catalog(), template_of(edited))
    again = merge_catalog(parse_catalog(format_catalog(first).encode(), "x.po"),
                          parse_catalog(template_of(edited).encode(), "x.pot"))
    assert format_catalog(again) == format_catalog(first)
