"""Front matter remembered for the next process (``INSTANCE_DIR/sources.json``): a front page lists without reading every source."""
from __future__ import annotations

import json
import os
from pathlib import Path

from service.storage import sources as sources_module
from service.storage.sources import SourceIndex
from service.storage.sources_file import SOURCES_FILE_NAME

#: The lead image of the sample's chernihiv-library-restoration article.
IMAGE = "chernihiv-library.png"


def _index(tree: Path, remember: bool = True) -> SourceIndex:
    """A new process's index of the sources, remembering in the instance folder."""
    return SourceIndex(tree / "content", remembered=tree / "instance" / SOURCES_FILE_NAME, remember=remember)


def _count_reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    original = sources_module.read_article_info
    monkeypatch.setattr(sources_module, "read_article_info", lambda path: reads.append(Path(path).name) or original(path))
    return reads


def test_a_new_process_lists_the_sources_from_what_the_last_one_remembered(tree, monkeypatch):
    first = _index(tree).articles()
    assert (tree / "instance" / SOURCES_FILE_NAME).exists()
    reads = _count_reads(monkeypatch)
    again = _index(tree).articles()
    assert again == first and again["chernihiv-library-restoration"].image  # a lead image's source too
    assert reads == []


def test_a_source_changed_since_it_was_remembered_is_read_again(tree, monkeypatch):
    _index(tree).articles()
    path = tree / "content" / "lviv-ryasne-tram-line.md"
    path.write_text(path.read_text(encoding="utf-8").replace('category = "society"', 'category = "economy"'),
                    encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    reads = _count_reads(monkeypatch)
    assert _index(tree).articles()["lviv-ryasne-tram-line"].category == "economy"
    assert reads == ["lviv-ryasne-tram-line.md"]


def test_a_source_whose_lead_image_changed_since_it_was_remembered_is_read_again(tree, monkeypatch):
    _index(tree).articles()
    image = tree / "content" / "images" / IMAGE
    image.write_bytes(b"not an image any more")  # its page would answer 404: no list may name it
    reads = _count_reads(monkeypatch)
    assert "chernihiv-library-restoration" not in _index(tree).articles()
    assert reads == ["chernihiv-library-restoration.md"]
    image.unlink()
    assert "chernihiv-library-restoration" not in _index(tree).articles()


def test_a_damaged_or_foreign_sources_file_is_ignored(tree):
    expected = _index(tree).articles()
    remembered = tree / "instance" / SOURCES_FILE_NAME
    good = remembered.read_text(encoding="utf-8")

    def altered(change) -> str:
        data = json.loads(good)
        change(data["sources"][0])
        return json.dumps(data)

    damaged = ["", "not json", "[]", '{"format": 0, "sources": []}', good[: len(good) // 2],
               altered(lambda item: item[1].pop()),  # an identity cut short
               altered(lambda item: item.__setitem__(3, 7)),  # a title that is not text
               altered(lambda item: item.__setitem__(5, "yesterday")),  # not a date
               altered(lambda item: item.__setitem__(5, "2026-01-01T10:00:00")),  # a date without a time zone
               altered(lambda item: item.pop())]
    for text in damaged:
        remembered.write_text(text, encoding="utf-8")
        assert _index(tree).articles() == expected, text[:40]


def test_a_reader_replica_remembers_nothing(tree):
    assert _index(tree, remember=False).articles()
    assert not (tree / "instance" / SOURCES_FILE_NAME).exists()


def test_the_source_store_keeps_at_most_max_cached_parsed_articles(tree):
    from service.storage.sources import SourceStore

    store = SourceStore(tree / "content", ["uk", "en"], max_cached=2)
    slugs = ["lviv-ryasne-tram-line", "odesa-ports-grain-exports", "carpathian-lynx-camera-traps"]
    titles = {slug: store.article(slug).title for slug in slugs}
    assert store.cached_articles() == 2
    assert {slug: store.article(slug).title for slug in slugs} == titles  # evicted ones parsed again, the same
