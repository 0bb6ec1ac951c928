from __future__ import annotations

import json
import os
from pathlib import Path

from service.domain.names import CatalogKey
from service.storage import figures as figures_module
from service.storage import remember_pace
from service.storage.figures import FiguresIndex
from service.storage.sources import SourceIndex

from ..stores import catalog_stores, figures_index


def _store(tree: Path) -> FiguresIndex:
    return figures_index(tree)


def test_statistics_are_cached_until_the_file_changes(tree, monkeypatch):
    store = _store(tree)
    loads = []
    original = figures_module.load_statistics
    monkeypatch.setattr(figures_module, "load_statistics", lambda *args: loads.append(args) or original(*args))
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


# --- remembered for the next process (INSTANCE_DIR/statistics.json) --------------------------


def _count_loads(monkeypatch) -> list:
    loads: list = []
    original = figures_module.load_statistics
    monkeypatch.setattr(figures_module, "load_statistics", lambda *args: loads.append(args) or original(*args))
    return loads


def _later(path: Path) -> None:
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))


def test_a_new_process_takes_the_remembered_figures_instead_of_reading_every_catalog(tree, monkeypatch):
    first = _store(tree).figures()
    assert (tree / "instance" / "statistics.json").exists()
    loads = _count_loads(monkeypatch)
    again = _store(tree).figures()  # a new worker process: nothing in memory
    assert loads == []
    assert [(f.language, f.domain, f.statistics) for f in again] == [(f.language, f.domain, f.statistics) for f in first]
    assert _store(tree).variant_states("en")["lviv-ryasne-tram-line"] == "stale"  # a front page uses them too
    assert loads == []


def test_a_catalog_changed_since_it_was_remembered_is_read_again(tree, monkeypatch):
    _store(tree).figures()
    path = tree / "locales/en/LC_MESSAGES/articles/carpathian-lynx-camera-traps.po"
    path.write_text(path.read_text(encoding="utf-8").replace('msgstr ""\n\n', 'msgstr "Filled in"\n\n', 1),
                    encoding="utf-8")
    _later(path)
    loads = _count_loads(monkeypatch)
    store = _store(tree)
    store.figures()
    assert [Path(args[0]).name for args in loads] == [path.name]
    assert store.statistics("en", "articles/carpathian-lynx-camera-traps").translated == 8


def test_the_figures_are_written_again_at_most_once_a_minute(tree, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(remember_pace.time, "monotonic", lambda: clock[0])
    remembered = tree / "instance" / "statistics.json"
    store = _store(tree)
    store.figures()
    written = remembered.stat().st_mtime_ns
    path = tree / "locales/uk/LC_MESSAGES/messages.po"
    _later(path)
    clock[0] += 30
    store.figures()
    assert remembered.stat().st_mtime_ns == written
    clock[0] += 31
    store.figures()
    assert remembered.stat().st_mtime_ns != written


def test_a_first_front_page_remembers_every_language_not_only_the_first(tree, monkeypatch):
    monkeypatch.setattr(remember_pace.time, "monotonic", lambda: 1000.0)  # all within the same minute
    store = _store(tree)
    store.variant_states("uk")  # written: the Ukrainian catalogs alone
    store.variant_states("en")  # more new figures than the file holds: written again at once
    loads = _count_loads(monkeypatch)
    again = _store(tree)  # the next worker
    assert again.variant_states("uk") == store.variant_states("uk")
    assert again.variant_states("en") == store.variant_states("en")
    assert loads == []


def test_a_damaged_or_foreign_statistics_file_is_ignored(tree):
    expected = [(f.language, f.domain, f.statistics) for f in _store(tree).figures()]
    remembered = tree / "instance" / "statistics.json"
    good = remembered.read_text(encoding="utf-8")

    def altered(change) -> str:
        data = json.loads(good)
        change(data["catalogs"][3])
        return json.dumps(data)

    damaged = ["", "not json", "[]", '{"format": 1, "catalogs": []}', good[: len(good) // 2],
               altered(lambda item: item[2].__setitem__(0, "8")),  # a count that is not a number
               altered(lambda item: item[2].pop()),  # a count missing
               altered(lambda item: item[1].pop()),  # an identity cut short
               altered(lambda item: item[3].__setitem__("Language", 1)),  # a header that is not text
               altered(lambda item: item.pop())]
    for text in damaged:
        remembered.write_text(text, encoding="utf-8")
        found = [(f.language, f.domain, f.statistics) for f in _store(tree).figures()]
        assert found == expected, text[:40]


def test_an_unwritable_instance_folder_only_costs_the_cache(tree, caplog):
    store = figures_index(tree, instance="instance/file")
    (tree / "instance" / "file").write_text("a file where a folder should be")
    assert [f.statistics for f in store.figures()] == [f.statistics for f in _store(tree).figures()]
    assert "statistics not remembered" in caplog.text


def test_l10n_update_leaves_the_figures_remembered_for_the_server(runner, tree, monkeypatch):
    path = tree / "locales/en/LC_MESSAGES/articles/carpathian-lynx-camera-traps.po"
    path.write_text(path.read_text(encoding="utf-8").replace('msgstr ""\n\n', 'msgstr "Filled in"\n\n', 1),
                    encoding="utf-8")
    assert runner.invoke("update").exit_code == 0
    loads = _count_loads(monkeypatch)
    store = _store(tree)
    store.figures()  # a server worker's first dashboard
    assert loads == []
    assert store.statistics("en", "articles/carpathian-lynx-camera-traps").translated == 8


# --- told of the store's writes -----------------------------------------------------------------


def test_the_store_tells_the_index_of_its_writes_so_nothing_is_read_again(tree, monkeypatch):
    catalogs, figures = catalog_stores(tree)
    figures.figures()
    loads = _count_loads(monkeypatch)
    domain = "articles/carpathian-lynx-camera-traps"
    with catalogs.edit(CatalogKey("en", domain)) as draft:
        untranslated = [entry for entry in draft.catalog if entry.msgid and not entry.msgstr]
        for entry in untranslated:
            entry.msgstr = "Filled in"
        draft.changed(untranslated)
    assert figures.statistics("en", domain).untranslated == 0
    assert figures.variant_state("en", "carpathian-lynx-camera-traps") == "complete"
    told = [f.statistics for f in figures.figures()]
    assert loads == []  # the index took the figures of the text just written
    assert told == [f.statistics for f in _store(tree).figures()]  # what reading every file gives
