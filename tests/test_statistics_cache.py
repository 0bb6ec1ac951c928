from __future__ import annotations

import os
from pathlib import Path

from service import catalogs as catalogs_module
from service.catalogs import CatalogStore
from service.layout import Layout
from service.sources import SourceIndex


def _store(tree: Path) -> CatalogStore:
    return CatalogStore(Layout(tree / "locales"), ["uk", "en"], tree / "instance" / "locks")


def test_statistics_are_cached_until_the_file_changes(tree, monkeypatch):
    store = _store(tree)
    loads = []
    original = catalogs_module.load_statistics
    monkeypatch.setattr(catalogs_module, "load_statistics", lambda *args: loads.append(args) or original(*args))
    first = store.figures()
    count = len(loads)
    assert count == len(first) + 7  # each of the 7 catalogs and 7 templates read once
    store.figures()
    assert len(loads) == count  # warm: nothing read again

    path = tree / "locales/en/LC_MESSAGES/articles/carpathian-lynx-camera-traps.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('msgstr ""\n\n', 'msgstr "Filled in"\n\n', 1), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    before = store.statistics("en", "articles/carpathian-lynx-camera-traps")
    assert len(loads) == count + 1  # only the changed file
    assert before.translated == 8


def test_figures_list_needed_catalogs_that_do_not_exist(tree):
    (tree / "locales/en/LC_MESSAGES/articles/odesa-ports-grain-exports.po").unlink()
    figures = {(item.language, item.domain): item for item in _store(tree).figures()}
    missing = figures[("en", "articles/odesa-ports-grain-exports")]
    assert missing.statistics is None and missing.template.untranslated == 14
    # the source language needs no catalog, English needs no UI catalog
    assert ("uk", "articles/odesa-ports-grain-exports") not in figures
    assert ("en", "messages") not in figures


def test_a_broken_catalog_is_an_error_not_a_crash(tree):
    path = tree / "locales/uk/LC_MESSAGES/articles/nordic-baltic-grid-repair-fund.po"
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "dangling"\n', encoding="utf-8")
    figures = {(item.language, item.domain): item for item in _store(tree).figures()}
    broken = figures[("uk", "articles/nordic-baltic-grid-repair-fund")]
    assert broken.statistics is None
    assert broken.error.startswith("locales/uk/LC_MESSAGES/articles/nordic-baltic-grid-repair-fund.po:")


def test_source_index_reads_front_matter(tree):
    articles = SourceIndex(tree / "content").articles()
    assert len(articles) == 6
    lviv = articles["lviv-ryasne-tram-line"]
    assert (lviv.category, lviv.source_language, lviv.published.year) == ("society", "uk", 2026)
