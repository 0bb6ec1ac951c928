"""Article variants: what a reader gets per state, and the stores that load them (reload, LRU bound)."""
from __future__ import annotations

import os
import time
from pathlib import Path

import polib
import pytest

from service.domain.articles import parse_article
from service.storage.catalogs import CatalogStore
from service.storage.layout import Layout
from service.domain.names import article_domain
from service.storage.sources import ArticleNotFound, SourceStore
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

def touch_later(path: Path) -> None:
    """Make sure a rewrite is seen as a change even on a coarse-grained clock."""
    later = time.time() + 2
    os.utime(path, (later, later))


def test_catalog_store_serves_a_new_translation_without_restart(tree: Path):
    store = CatalogStore(Layout(tree / "locales"), ["uk", "en"], tree / "instance" / "locks")
    assert store.variant_state("en", "carpathian-lynx-camera-traps") == "incomplete"
    domain = article_domain("carpathian-lynx-camera-traps")
    with store.lock("en", domain):
        catalog = store.read("en", domain)
        for entry in catalog:
            entry.msgstr = entry.msgstr or f"Translated: {entry.msgid[:20]}"
        store.write("en", domain, catalog)
    read = store.variant("en", "carpathian-lynx-camera-traps")
    assert read.state == "complete"
    assert store.variant_state("en", "carpathian-lynx-camera-traps") == "complete"


def test_catalog_store_keeps_at_most_max_cached_variants(tree: Path):
    store = CatalogStore(Layout(tree / "locales"), ["uk", "en"], tree / "instance" / "locks", max_cached=2,
                         max_statistics=3)
    slugs = ["chernihiv-library-restoration", "lviv-ryasne-tram-line", "odesa-ports-grain-exports",
             "carpathian-lynx-camera-traps"]
    states = {slug: store.variant(slug=slug, language="en").state for slug in slugs}
    assert states == {"chernihiv-library-restoration": "complete", "lviv-ryasne-tram-line": "stale",
                      "odesa-ports-grain-exports": "complete", "carpathian-lynx-camera-traps": "incomplete"}
    assert store.cache_sizes()["variants"] == 2
    for slug in slugs * 2:
        store.variant_state("en", slug)
    assert store.cache_sizes()["variants"] == 2 and store.cache_sizes()["statistics"] == 3
    # Evicted ones load again on demand, with the same answer.
    assert store.variant("en", "chernihiv-library-restoration").state == "complete"


def test_catalog_store_has_no_variant_for_the_source_language_or_bad_names(tree: Path):
    store = CatalogStore(Layout(tree / "locales"), ["uk", "en"], tree / "instance" / "locks")
    assert store.variant("uk", "chernihiv-library-restoration") is None
    assert store.variant("en", "no-such-article") is None
    assert store.variant("en", "../../etc/passwd") is None
    assert store.variant("fr", "chernihiv-library-restoration") is None
    assert store.variant("en", "a" * 1000) is None


def test_a_broken_catalog_is_not_served(tree: Path):
    store = CatalogStore(Layout(tree / "locales"), ["uk", "en"], tree / "instance" / "locks")
    path = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / "odesa-ports-grain-exports.po"
    path.write_text(path.read_text() + '\nmsgid "broken\n')
    assert store.variant("en", "odesa-ports-grain-exports") is None


def test_source_store_parses_once_and_again_when_the_file_changes(tree: Path):
    store = SourceStore(tree / "content", ["uk", "en"])
    first = store.article("chernihiv-library-restoration")
    assert store.article("chernihiv-library-restoration") is first  # cached
    path = tree / "content" / "chernihiv-library-restoration.md"
    path.write_text(path.read_text().replace("знову відкрилася", "відкрилася"))
    touch_later(path)
    changed = store.article("chernihiv-library-restoration")
    assert changed is not first and "відкрилася Центральна" in changed.title.text


def test_source_store_sees_added_and_removed_sources_and_skips_broken_ones(tree: Path):
    store = SourceStore(tree / "content", ["uk", "en"])
    assert len(store.listing()) == 6
    (tree / "content" / "new-article.md").write_text(SOURCE)
    (tree / "content" / "broken-article.md").write_text("no front matter\n")
    touch_later(tree / "content")
    slugs = [item.slug for item in store.listing()]
    assert "new-article" in slugs and "broken-article" not in slugs
    with pytest.raises(ArticleNotFound):
        store.article("broken-article")
    (tree / "content" / "new-article.md").unlink()
    touch_later(tree / "content")
    assert "new-article" not in [item.slug for item in store.listing()]
    assert [item.published for item in store.listing()] == sorted(
        (item.published for item in store.listing()), reverse=True)


def test_source_store_lists_again_only_when_a_source_changes_even_in_place(tree: Path):
    store = SourceStore(tree / "content", ["uk", "en"])
    first = store.listing()
    assert store.listing() is first  # nothing changed: nothing read or sorted again
    path = tree / "content" / "chernihiv-library-restoration.md"
    path.write_text(path.read_text().replace("знову відкрилася", "відкрилася"))  # the directory is unchanged
    touch_later(path)
    changed = store.listing()
    assert changed is not first
    assert "відкрилася Центральна" in next(info for info in changed if info.slug == path.stem).title


def test_catalog_store_reads_every_variant_state_of_a_language_and_follows_changes(tree: Path):
    store = CatalogStore(Layout(tree / "locales"), ["uk", "en"], tree / "instance" / "locks")
    states = store.variant_states("en")
    slugs = [path.stem for path in (tree / "locales" / "en" / "LC_MESSAGES" / "articles").glob("*.po")]
    assert states == {slug: store.variant_state("en", slug) for slug in slugs}
    assert states["carpathian-lynx-camera-traps"] == "incomplete"
    assert store.variant_states("en") is states  # nothing changed: the same answer
    assert store.variant_states("uk")["nordic-baltic-grid-repair-fund"] == "complete"
    path = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / "carpathian-lynx-camera-traps.po"
    catalog = polib.pofile(str(path))
    for entry in catalog:
        entry.msgstr = entry.msgstr or f"Translated: {entry.msgid[:20]}"
    catalog.save(str(path))  # rewritten in place, as an editor outside the service might
    touch_later(path)
    assert store.variant_states("en")["carpathian-lynx-camera-traps"] == "complete"
    path.unlink()
    assert "carpathian-lynx-camera-traps" not in store.variant_states("en")
