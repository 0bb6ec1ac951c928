"""The archive watch: folders listed only when a write was told, a folder moved, or revalidation is due."""
from __future__ import annotations

import os
from pathlib import Path

from service.bootstrap import build_services, prepare_tree
from service.config import load_settings
from service.storage.archive_watch import ArchiveWatch

from ..conftest import tree_settings


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _watch(tree: Path, clock: Clock) -> ArchiveWatch:
    services = build_services(load_settings({**tree_settings(tree), "SECRET_KEY": "x"}))
    prepare_tree(services)
    return ArchiveWatch(services.sources, services.figures, services.languages, check_every=1.0,
                        revalidate_every=10.0, clock=clock)


def _age_folders(watch: ArchiveWatch) -> None:
    """Set every folder's mtime a minute back, as if nothing had changed lately."""
    for folder in watch.folders():
        status = os.stat(folder)
        os.utime(folder, ns=(status.st_atime_ns, status.st_mtime_ns - 60_000_000_000))


def _copy_source(tree: Path, slug: str) -> None:
    text = (tree / "content" / "chernihiv-library-restoration.md").read_text()
    (tree / "content" / f"{slug}.md").write_text(text.replace("2026-11-24T22:40", "2026-11-26T22:40"))


def _settled_watch(tree):
    """A watch over aged folders that has listed them twice: their settled mtimes are known."""
    clock = Clock()
    watch = _watch(tree, clock)
    _age_folders(watch)
    watch.current()
    clock.now += 1.5
    watch.current()
    return clock, watch


def test_nothing_is_listed_again_within_a_check_interval(tree):
    clock = Clock()
    watch = _watch(tree, clock)
    _age_folders(watch)
    fingerprint = watch.current()
    scans = watch.scans
    _copy_source(tree, "brand-new-story")
    clock.now += 0.5
    assert watch.current() == fingerprint and watch.scans == scans  # within the second: not looked
    clock.now += 0.6
    assert watch.current() != fingerprint and "brand-new-story" in watch.published("uk")


def test_settled_unchanged_folders_are_not_listed_until_revalidation(tree):
    clock, watch = _settled_watch(tree)
    scans = watch.scans
    for _ in range(5):
        clock.now += 1.5
        watch.current()
    assert watch.scans == scans
    clock.now += 10
    watch.current()
    assert watch.scans == scans + 1


def test_a_source_rewritten_in_place_is_found_by_the_revalidation(tree):
    clock, watch = _settled_watch(tree)
    fingerprint = watch.current()
    path = tree / "content" / "lviv-ryasne-tram-line.md"
    with open(path, "a", encoding="utf-8") as source:  # in place: the folder's mtime does not move
        source.write("\nОдин абзац більше.\n")
    clock.now += 1.5
    assert watch.current() == fingerprint  # within the staleness bound for in-place writes
    clock.now += 10
    assert watch.current() != fingerprint


def test_a_write_through_the_store_is_seen_at_once(tree):
    clock = Clock()
    watch = _watch(tree, clock)
    watch.current()
    writes = watch.figures.writes
    watch.figures._written += 1  # what FiguresIndex.written counts
    assert watch.figures.writes == writes + 1
    scans = watch.scans
    watch.current()
    assert watch.scans == scans + 1


def test_each_scan_sorts_the_listing_by_category(tree):
    clock = Clock()
    watch = _watch(tree, clock)
    assert watch.published_in_category("uk", "culture") == ["chernihiv-library-restoration"]
    assert watch.published_in_category("en", "science") == []  # its English variant is not published
    assert watch.published_in_category("uk", "politics") == []
    _copy_source(tree, "brand-new-story")  # a culture story, newer
    clock.now += 1.1
    assert watch.published_in_category("uk", "culture") == ["brand-new-story", "chernihiv-library-restoration"]
    assert watch.published("uk")[0] == "brand-new-story"


def test_a_change_in_one_catalog_folder_lists_that_folder_alone(tree, monkeypatch):
    clock, watch = _settled_watch(tree)
    fingerprint = watch.current()
    listed: list[str] = []
    sources_listing, variant_states = watch.sources.listing, watch.figures.variant_states
    monkeypatch.setattr(watch.sources, "listing", lambda: (listed.append("content"), sources_listing())[1])
    monkeypatch.setattr(watch.figures, "variant_states",
                        lambda language: (listed.append(language), variant_states(language))[1])
    catalog = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / "lviv-ryasne-tram-line.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.with_name(".saved.tmp").write_text(text + "\n", encoding="utf-8")
    os.replace(catalog.with_name(".saved.tmp"), catalog)  # as another worker's save: the folder's mtime moves
    clock.now += 1.5
    assert watch.current() != fingerprint
    assert listed == ["en"]
    everything = _watch(tree, Clock())
    assert everything.current() == watch.current()  # the same fingerprint as a watch that listed it all


def test_a_change_another_reader_of_the_stores_saw_first_is_in_the_next_partial_scan(tree):
    """Feeds and editor pages list the sources through the same store: what they found is not hidden under a new fingerprint."""
    clock, watch = _settled_watch(tree)
    source = tree / "content" / "lviv-ryasne-tram-line.md"
    status = os.stat(source)
    text = source.read_text(encoding="utf-8").replace('category = "society"', 'category = "culture"')
    with open(source, "w", encoding="utf-8") as rewritten:  # in place: the folder's mtime does not move
        rewritten.write(text)
    os.utime(source.parent, ns=(status.st_atime_ns, os.stat(source.parent).st_mtime_ns))
    assert watch.sources.articles()["lviv-ryasne-tram-line"].category == "culture"  # a feed request's listing
    catalog = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / "chernihiv-library-restoration.po"
    catalog.with_name(".saved.tmp").write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.replace(catalog.with_name(".saved.tmp"), catalog)  # another worker's save: only this folder's mtime moves
    clock.now += 1.5
    partial = watch.current()
    assert "lviv-ryasne-tram-line" in watch.published_in_category("uk", "culture")
    assert partial == _watch(tree, Clock()).current()  # what a watch that listed everything says
