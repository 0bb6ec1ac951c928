"""Article variants: what a reader gets per state (the stores that load them: ``integration/test_variants.py``)."""
from __future__ import annotations

import polib
import pytest

from service.domain.articles import parse_article
from service.domain.variants import ArticleVariant, localize, read_variant, reading_minutes


SOURCE = """+++
title = "Заголовок"
category = "culture"
published = 2026-11-24T22:40:00Z
source_language = "uk"
summary = "Підсумок"
points = ["Перший пункт"]
+++

Перший абзац.

## Підзаголовок

- пункт списку
- другий пункт

Новий абзац.
"""


def article():
    return parse_article("content/test-article.md", SOURCE, ["uk", "en"])


def variant(state: str, translations: dict, fuzzy=()) -> ArticleVariant:
    return ArticleVariant(state=state, translations=translations, fuzzy=frozenset(fuzzy))


FULL = {("title", "Заголовок"): "Title", ("summary", "Підсумок"): "Summary", ("point", "Перший пункт"): "First point",
        ("paragraph", "Перший абзац."): "First paragraph.", ("heading", "Підзаголовок"): "Subheading",
        ("item", "пункт списку"): "list item", ("item", "другий пункт"): "second item",
        ("paragraph", "Новий абзац."): "New paragraph."}


def test_source_language_variant_is_the_source_text():
    shown = localize(article(), "uk", None)
    assert shown.state == "complete" and shown.published and shown.is_source
    assert [text.text for text in shown.texts()][:2] == ["Заголовок", "Підсумок"]
    assert {text.language for text in shown.texts()} == {"uk"}
    assert not any(text.untranslated for text in shown.texts())  # the original, not gaps in a translation


def test_complete_variant_is_the_translation():
    shown = localize(article(), "en", variant("complete", FULL))
    assert shown.text_language == "en"
    assert [text.text for text in shown.texts()] == ["Title", "Summary", "First point", "First paragraph.",
                                                      "Subheading", "list item", "second item", "New paragraph."]
    assert [block.kind for block in shown.body] == ["paragraph", "heading", "list", "paragraph"]


def test_stale_variant_keeps_previous_translations_and_marks_new_segments():
    translations = {key: value for key, value in FULL.items() if key != ("paragraph", "Новий абзац.")}
    shown = localize(article(), "en", variant("stale", translations, fuzzy=[("heading", "Підзаголовок")]))
    assert shown.published and shown.text_language == "en"
    heading = shown.body[1].texts[0]
    assert heading.text == "Subheading" and heading.outdated and heading.language == "en"
    new = shown.body[3].texts[0]
    assert new.text == "Новий абзац." and new.language == "uk" and new.untranslated
    assert not heading.untranslated and not shown.title.untranslated


def test_incomplete_variant_shows_the_whole_source():
    shown = localize(article(), "en", variant("incomplete", {("title", "Заголовок"): "Title"}))
    assert not shown.published and shown.text_language == "uk"
    assert {text.language for text in shown.texts()} == {"uk"}
    assert not any(text.untranslated for text in shown.texts())  # the original, not gaps in a translation
    assert shown.title.text == "Заголовок"
    assert localize(article(), "en", None).state == "incomplete"


def test_read_variant_includes_fuzzy_translations_that_the_mo_leaves_out(tmp_path):
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "X-Completed": "2026-11-03T17:20+02:00",
                        "X-Stale-Since": "2026-11-25T09:10+02:00"}
    catalog.append(polib.POEntry(msgctxt="title", msgid="Заголовок", msgstr="Title"))
    catalog.append(polib.POEntry(msgctxt="paragraph", msgid="Змінений", msgstr="Old text", flags=["fuzzy"]))
    catalog.append(polib.POEntry(msgctxt="paragraph", msgid="Новий", msgstr=""))
    read = read_variant(catalog)
    assert read.state == "stale" and read.published
    assert read.translations == {("title", "Заголовок"): "Title", ("paragraph", "Змінений"): "Old text"}
    assert read.fuzzy == {("paragraph", "Змінений")}
    assert read.stale_since.isoformat() == "2026-11-25T09:10:00+02:00"


@pytest.mark.parametrize("words, minutes", [(0, 1), (99, 1), (300, 2), (999, 5), (1000, 5), (1100, 6)])
def test_reading_minutes(words, minutes):
    assert reading_minutes(words) == minutes


# --- the stores ------------------------------------------------------------------------------
