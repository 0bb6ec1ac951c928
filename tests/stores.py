"""The catalog store and its figures index over a test tree, built as the service builds them."""
from __future__ import annotations

from pathlib import Path

from service.storage.catalogs import CatalogStore
from service.storage.figures import STATISTICS_FILE_NAME, FiguresIndex
from service.storage.layout import Layout

LANGUAGES = ["uk", "en"]


def figures_index(tree: Path, max_statistics: int = 200_000, instance: str = "instance") -> FiguresIndex:
    """Return a new figures index over ``tree`` (a new process: nothing in memory)."""
    return FiguresIndex(Layout(tree / "locales"), LANGUAGES, tree / instance / STATISTICS_FILE_NAME, max_statistics)


def catalog_stores(tree: Path, max_cached: int = 512, max_statistics: int = 200_000) -> tuple[CatalogStore, FiguresIndex]:
    """Return a new catalog store over ``tree`` and the figures index it tells of its writes."""
    figures = figures_index(tree, max_statistics)
    return CatalogStore(Layout(tree / "locales"), LANGUAGES, tree / "instance" / "locks", figures, max_cached), figures
