"""The list of catalogs translators work from: counts and state from the store's figures, filtered and ordered.

A newsroom has tens of thousands of catalogs. The list is built from the figures the catalog
store caches for coverage (a ``stat`` per file when warm, remembered in ``statistics.json`` for
a new process), never by parsing the catalogs; check results, which need a full parse and
language detection of every entry, are left to the pages that show a handful of catalogs.
Pure functions: no Flask, no files.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable, Mapping, Sequence

from .articles import ArticleInfo
from .coverage import Figures, catalog_state, percent
from .names import MESSAGES_DOMAIN, article_slug
from .text_search import mentions
from .variant_state import COMPLETE, INCOMPLETE, STALE, VariantState

NEEDS_WORK = "needs-work"
#: The state filters, ``all`` first: ``needs-work`` is stale or incomplete (UI strings: not complete).
STATE_FILTERS = ("all", NEEDS_WORK, STALE, INCOMPLETE, COMPLETE)
#: The order of the list: unreadable first, then stale (readers see an outdated text), incomplete, complete.
_URGENCY = {None: 0, STALE: 1, INCOMPLETE: 2, COMPLETE: 3}
#: What a translator lands on: the catalogs that need them now (stale or incomplete).
TRANSLATOR_DEFAULT_FILTER = NEEDS_WORK


@dataclass(frozen=True)
class CatalogSummary:
    """One existing catalog as the list shows it (``error``: it cannot be read, no counts)."""

    language: str
    domain: str
    title: str | None = None  # the article's title, in its source language
    source_language: str | None = None
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    progress: VariantState | None = None  # UI strings too
    error: str | None = None
    published: datetime | None = None  # the article's publication (None for the UI strings)

    @property
    def article(self) -> str | None:
        """The article's slug, ``None`` for the UI strings."""
        return article_slug(self.domain)

    @property
    def total(self) -> int:
        """All messages of the catalog."""
        return self.translated + self.fuzzy + self.untranslated

    @property
    def state(self) -> str | None:
        """The article variant's state; ``None`` for the UI strings, which have none."""
        return self.progress if self.article is not None else None

    def as_json(self) -> dict[str, Any]:
        """Return the object ``GET /api/catalogs`` lists."""
        if self.error is not None:
            return {"language": self.language, "domain": self.domain, "error": self.error}
        return {"language": self.language, "domain": self.domain, "article": self.article, "title": self.title,
                "translated": self.translated, "fuzzy": self.fuzzy, "untranslated": self.untranslated,
                "total": self.total, "percent": percent(self.translated, self.total), "state": self.state}


def summarize(figures: Iterable[Figures], articles: Mapping[str, ArticleInfo],
              exists: Callable[[str, str], bool]) -> list[CatalogSummary]:
    """Return a summary of every existing catalog among ``figures``, most urgent first.

    Most urgent: unreadable, then stale, incomplete, complete; within each, the UI strings
    (every page shows them), then the newest articles first.

    ``articles`` gives the titles; ``exists(language, domain)`` tells a broken catalog from a
    missing one whose template is broken.
    """
    found = []
    for item in figures:
        info = articles.get(article_slug(item.domain) or "")
        title, source = (info.title, info.source_language) if info is not None else (None, None)
        published = info.published if info is not None else None
        if item.statistics is None:
            if item.error is not None and exists(item.language, item.domain):
                found.append(CatalogSummary(item.language, item.domain, title, source, error=item.error,
                                            published=published))
            continue
        statistics = item.statistics
        found.append(CatalogSummary(item.language, item.domain, title, source, statistics.translated,
                                    statistics.fuzzy, statistics.untranslated, catalog_state(statistics),
                                    published=published))
    found.sort(key=_urgency)
    return found


def _urgency(row: CatalogSummary) -> tuple[int, bool, float, str, str]:
    """Order by state, then the UI strings, then the newest article first (undated last), then by name."""
    newest = -row.published.timestamp() if row.published is not None else float("inf")
    return _URGENCY[row.progress], row.domain != MESSAGES_DOMAIN, newest, row.domain, row.language


def matches(row: CatalogSummary, state: str = "all", query: str = "") -> bool:
    """Tell whether ``row`` is in the ``state`` filter and names ``query`` in its slug or title."""
    if state == NEEDS_WORK and row.progress == COMPLETE:
        return False
    if state in (STALE, INCOMPLETE, COMPLETE) and row.progress != state:
        return False
    if query:
        return mentions(row.domain, query) or mentions(row.title or "", query)
    return True


def select(rows: Iterable[CatalogSummary], languages: Iterable[str] | None = None, state: str = "all",
           query: str = "") -> list[CatalogSummary]:
    """Keep the rows of ``languages`` (all if ``None``) that match ``state`` and ``query``."""
    wanted = None if languages is None else set(languages)
    return [row for row in rows if (wanted is None or row.language in wanted) and matches(row, state, query)]


def count_states(rows: Iterable[CatalogSummary], query: str = "") -> dict[str, int]:
    """Count the rows each state filter keeps (with ``query`` applied)."""
    rows = [row for row in rows if matches(row, "all", query)]
    return {name: sum(1 for row in rows if matches(row, name)) for name in STATE_FILTERS}


class SummaryCache:
    """The last summaries of each set of languages, built again only when the figures or the sources change.

    The store returns the very same figures list while no catalog changed, and the source
    index the same dict while no source changed: a warm list costs the ``stat`` calls only.
    """

    def __init__(self) -> None:
        self._last: dict[tuple[str, ...], tuple[object, object, list[CatalogSummary]]] = {}

    def summaries(self, languages: Sequence[str], figures: Sequence[Figures], articles: Mapping[str, ArticleInfo],
                  exists: Callable[[str, str], bool]) -> list[CatalogSummary]:
        """Return :func:`summarize` of ``figures``, the same list as last time if nothing changed."""
        key = tuple(languages)
        last = self._last.get(key)
        if last is None or last[0] is not figures or last[1] is not articles:
            last = self._last[key] = (figures, articles, summarize(figures, articles, exists))
        return last[2]
