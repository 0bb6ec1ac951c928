"""The stores that load article variants and sources: reload on change, LRU bound."""
from __future__ import annotations

import os
import time
from pathlib import Path

import polib
import pytest

from service.domain.names import CatalogKey, article_domain
from service.storage.sources import ArticleNotFound, SourceStore

from ..stores import catalog_stores
from ..unit.test_variants import SOURCE


def touch_later(path: Path) -> None:
    """Make sure a rewrite is seen as a change even on a coarse-grained clock."""
    later = time.time() + 2
    os.utime(path, (later, later))


def test_catalog_store_serves_a_new_translation_without_restart(tree: Path):
    store, figures = catalog_stores(tree)
    assert figures.variant_state("en", "carpathian-lynx-camera-traps") == "incomplete"
    domain = article_domain("carpathian-lynx-camera-traps")
    with store.edit(CatalogKey("en", domain)) as draft:
        catalog = draft.catalog
        for entry in catalog:
            entry.msgstr = entry.msgstr or f"Translated: {entry.msgid[:20]}"
        draft.replace(catalog)
    read = store.variant("en", "carpathian-lynx-camera-traps")
    assert read.state == "complete"
    assert figures.variant_state("en", "carpathian-lynx-camera-traps") == "complete"  # told by the store


def test_catalog_store_keeps_at_most_max_cached_variants(tree: Path):
    store, figures = catalog_stores(tree, max_cached=2, max_statistics=3)
    slugs = ["chernihiv-library-restoration", "lviv-ryasne-tram-line", "odesa-ports-grain-exports",
             "carpathian-lynx-camera-traps"]
    states = {slug: store.variant(slug=slug, language="en").state for slug in slugs}
    assert states == {"chernihiv-library-restoration": "complete", "lviv-ryasne-tram-line": "stale",
                      "odesa-ports-grain-exports": "complete", "carpathian-lynx-camera-traps": "incomplete"}
    assert store.cache_sizes()["variants"] == 2
    for slug in slugs * 2:
        figures.variant_state("en", slug)
    assert store.cache_sizes()["variants"] == 2 and store.cache_sizes()["statistics"] == 3
    # Evicted ones load again on demand, with the same answer.
    assert store.variant("en", "chernihiv-library-restoration").state == "complete"


def test_catalog_store_has_no_variant_for_the_source_language_or_bad_names(tree: Path):
    store, _figures = catalog_stores(tree)
    assert store.variant("uk", "chernihiv-library-restoration") is None
    assert store.variant("en", "no-such-article") is None
    assert store.variant("en", "../../etc/passwd") is None
    assert store.variant("fr", "chernihiv-library-restoration") is None
    assert store.variant("en", "a" * 1000) is None


def test_a_broken_catalog_is_not_served(tree: Path):
    store, _figures = catalog_stores(tree)
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
    _store, figures = catalog_stores(tree)
    states = figures.variant_states("en")
    slugs = [path.stem for path in (tree / "locales" / "en" / "LC_MESSAGES" / "articles").glob("*.po")]
    assert states == {slug: figures.variant_state("en", slug) for slug in slugs}
    assert states["carpathian-lynx-camera-traps"] == "incomplete"
    assert figures.variant_states("en") is states  # nothing changed: the same answer
    assert figures.variant_states("uk")["nordic-baltic-grid-repair-fund"] == "complete"
    path = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / "carpathian-lynx-camera-traps.po"
    catalog = polib.pofile(str(path))
    for entry in catalog:
        entry.msgstr = entry.msgstr or f"Translated: {entry.msgid[:20]}"
    catalog.save(str(path))  # rewritten in place, as an editor outside the service might
    touch_later(path)
    assert figures.variant_states("en")["carpathian-lynx-camera-traps"] == "complete"
    path.unlink()
    assert "carpathian-lynx-camera-traps" not in figures.variant_states("en")
