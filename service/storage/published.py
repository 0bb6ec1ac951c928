"""Which article variants are published and when each last changed, read from cached figures.

No article or catalog is parsed here: the front matter comes from :class:`SourceStore`'s
index and the states and dates from the figures index, both cached by file
identity. The whole archive's list is rebuilt only when one of those changed.
"""
from __future__ import annotations

import threading
from datetime import datetime
from typing import Any, Iterable

from ..domain.coverage import catalog_state
from ..domain.names import article_domain, article_slug
from ..domain.publishing import PublishedArticle, VariantFacts, published_variants
from ..domain.statistics import CatalogStatistics
from ..domain.po_format import CatalogError
from .figures import FiguresIndex
from .layout import CatalogNotFound
from .sources import SourceStore


def _facts(statistics: CatalogStatistics | None, modified: datetime | None) -> VariantFacts:
    if statistics is None:
        return VariantFacts(None, {}, modified)
    return VariantFacts(catalog_state(statistics), dict(statistics.headers), modified)


def variant_facts(figures: FiguresIndex, slug: str, languages: Iterable[str]) -> dict[str, VariantFacts]:
    """Return the facts of every catalog of article ``slug`` (a ``stat`` each: one article's page)."""
    found: dict[str, VariantFacts] = {}
    for language in languages:
        try:
            statistics = figures.statistics(language, article_domain(slug))
        except CatalogNotFound:
            continue
        except CatalogError:  # a broken catalog is no published variant
            found[language] = VariantFacts(None)
            continue
        found[language] = _facts(statistics, None)
    return found


class PublishedIndex:
    """Every article with its published variants, newest first; rebuilt only when a file changed."""

    def __init__(self, sources: SourceStore, figures: FiguresIndex, languages: Iterable[str]) -> None:
        self._sources = sources
        self._figures = figures
        self.languages = list(languages)
        self._lock = threading.Lock()
        self._last: tuple[Any, Any, list[PublishedArticle]] | None = None

    def articles(self) -> list[PublishedArticle]:
        """Return every dated article in a supported language with its published variants, newest first.

        The same list, shared, while no source and no catalog changed: callers may cache what
        they build from it on its identity.
        """
        listing = self._sources.listing()  # the same list while no source changed
        figures = self._figures.figures(self.languages)  # the same list while no catalog changed
        with self._lock:
            last = self._last
            if last is not None and last[0] is listing and last[1] is figures:
                return last[2]
        facts: dict[str, dict[str, VariantFacts]] = {}
        for figure in figures:
            slug = article_slug(figure.domain)
            if slug is None:
                continue
            facts.setdefault(slug, {})[figure.language] = _facts(figure.statistics, figure.modified)
        articles = []
        for info in listing:
            if info.published is None or info.source_language is None:
                continue
            variants = published_variants(info.source_language, info.published, facts.get(info.slug, {}),
                                          self.languages)
            articles.append(PublishedArticle(info.slug, info.source_language, info.category, info.published,
                                             variants))
        with self._lock:
            self._last = (listing, figures, articles)
        return articles

    def article(self, slug: str, source_language: str, category: str | None, published: datetime) -> PublishedArticle:
        """Return one article's published variants from its own catalogs only (cheap: one page)."""
        facts = variant_facts(self._figures, slug, self.languages)
        return PublishedArticle(slug, source_language, category, published,
                                published_variants(source_language, published, facts, self.languages))
