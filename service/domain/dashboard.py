"""The editors' dashboard: one row per article with a cell per language, and coverage over time.

Pure functions over the coverage rows of :mod:`service.domain.coverage` and the articles'
front matter; the dashboard at ``/editor/coverage`` shows what they compute.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping, Sequence

from .articles import ArticleInfo
from .coverage import CatalogCoverage, History, percent
from .variant_state import COMPLETE, INCOMPLETE, PUBLISHED_STATES, STALE, Transition

SORTS = ("staleness", "percent", "date")


@dataclass(frozen=True)
class ArticleRow:
    """One article with the coverage of each of its languages (``None``: the source language)."""

    slug: str
    domain: str
    info: ArticleInfo | None
    cells: dict[str, CatalogCoverage | None]

    @property
    def title(self) -> str:
        """The article's title in its source language, or its slug if the source is missing."""
        return self.info.title if self.info else self.slug

    def coverages(self) -> list[CatalogCoverage]:
        """The coverage of every language that needs a translation."""
        return [cell for cell in self.cells.values() if cell is not None]


def article_rows(
    rows: Iterable[CatalogCoverage], articles: Mapping[str, ArticleInfo], languages: Sequence[str],
) -> list[ArticleRow]:
    """Group the article catalogs by article, one cell per language in ``languages``."""
    grouped: dict[str, dict[str, CatalogCoverage]] = {}
    for row in rows:
        if row.article is not None and row.language in languages:
            grouped.setdefault(row.article, {})[row.language] = row
    return [
        ArticleRow(slug, f"articles/{slug}", articles.get(slug), {language: cells.get(language) for language in languages})
        for slug, cells in grouped.items()
    ]


def filter_rows(
    rows: Iterable[ArticleRow], *, category: str | None = None, stale: bool = False, unpublished: bool = False,
) -> list[ArticleRow]:
    """Keep the articles of ``category`` that have a stale (or an unpublished) language, if asked."""
    kept = []
    for row in rows:
        if category and (row.info is None or row.info.category != category):
            continue
        states = {cell.state for cell in row.coverages()}
        if stale and STALE not in states:
            continue
        if unpublished and INCOMPLETE not in states:
            continue
        kept.append(row)
    return kept


def _oldest_stale(row: ArticleRow) -> datetime | None:
    moments = [cell.stale_since for cell in row.coverages() if cell.state == STALE and cell.stale_since]
    return min(moments) if moments else None


def sort_rows(rows: Iterable[ArticleRow], by: str = "staleness") -> list[ArticleRow]:
    """Order the articles: ``staleness`` (longest stale first), ``percent`` (least first) or ``date`` (newest first)."""
    rows = sorted(rows, key=lambda row: row.slug)
    if by == "percent":
        return sorted(rows, key=lambda row: min((cell.percent for cell in row.coverages()), default=100.0))
    newest_first = sorted(
        rows, key=lambda row: row.info.published.timestamp() if row.info and row.info.published else float("-inf"),
        reverse=True,
    )
    if by == "date":
        return newest_first

    def staleness(row: ArticleRow) -> tuple[int, float, int]:
        oldest = _oldest_stale(row)
        if oldest is not None:
            return (0, oldest.timestamp(), 0)
        fuzzy = sum(cell.fuzzy for cell in row.coverages())
        return (1 if fuzzy else 2, 0.0, -fuzzy)

    return sorted(newest_first, key=staleness)


# --- coverage over time --------------------------------------------------------------------


@dataclass(frozen=True)
class TimelinePoint:
    """How many of a language's articles were published (complete or stale) and complete at a moment."""

    moment: datetime
    articles: int
    published: int
    complete: int

    @property
    def percent_published(self) -> float:
        """Published articles as a share of the articles that existed then."""
        return percent(self.published, self.articles) if self.articles else 0.0

    @property
    def percent_complete(self) -> float:
        """Complete articles as a share of the articles that existed then."""
        return percent(self.complete, self.articles) if self.articles else 0.0


def coverage_timeline(
    rows: Iterable[CatalogCoverage], articles: Mapping[str, ArticleInfo], languages: Sequence[str],
    now: datetime, history: History | None = None,
) -> dict[str, list[TimelinePoint]]:
    """Rebuild each language's coverage over time from the recorded transitions, else the catalogs' dates.

    An article counts from its publication date. A catalog with transitions in ``history``
    follows them; one without (nothing recorded since the history began) is published from
    when it first became complete (``X-Completed``) and stops being complete when it went
    stale (``X-Stale-Since``). A final point at ``now`` shows the current figures.
    """
    history = history or {}
    timeline: dict[str, list[TimelinePoint]] = {}
    for language in languages:
        events: list[tuple[datetime, int, int, int]] = []  # moment, Δarticles, Δpublished, Δcomplete
        for row in rows:
            if row.language != language or row.article is None:
                continue
            recorded = history.get((row.language, row.domain))
            info = articles.get(row.article)
            # Without a publication date: the first moment the catalog or the history knows of.
            known = [moment for moment in (row.completed_at, recorded[0].at if recorded else None) if moment]
            born = info.published if info and info.published else min(known, default=now)
            events.append((born, 1, 0, 0))
            if recorded:
                events.extend(_recorded_events(row, recorded, born))
            elif row.completed_at is not None:
                events.append((max(row.completed_at, born), 0, 1, 1))
                if row.state == STALE and row.stale_since is not None:
                    events.append((max(row.stale_since, born), 0, 0, -1))
            elif row.state == COMPLETE:  # complete, but the catalog never recorded when
                events.append((born, 0, 1, 1))
        events.sort(key=lambda event: event[0])
        points: list[TimelinePoint] = []
        articles_count = published = complete = 0
        for moment, d_articles, d_published, d_complete in events:
            articles_count += d_articles
            published += d_published
            complete += d_complete
            point = TimelinePoint(moment, articles_count, published, complete)
            if points and points[-1].moment == moment:
                points[-1] = point
            else:
                points.append(point)
        if points:
            points.append(TimelinePoint(max(now, points[-1].moment), articles_count, published, complete))
        timeline[language] = points
    return timeline


def _recorded_events(
    row: CatalogCoverage, recorded: Sequence[Transition], born: datetime,
) -> list[tuple[datetime, int, int, int]]:
    """Return the published/complete changes of one catalog from its recorded transitions.

    Before the first transition the catalog is taken to be in that transition's old state,
    published from ``X-Completed`` (the history may have begun after it). When the catalog's
    state now differs from the last recorded one, the change was made where the history did
    not see it: it is placed at the catalog's stale-since date, or the last transition.
    """
    def weights(state: str) -> tuple[int, int]:
        return int(state in PUBLISHED_STATES), int(state == COMPLETE)

    state = recorded[0].old
    start = born
    if state in PUBLISHED_STATES and row.completed_at is not None:
        start = min(max(row.completed_at, born), max(recorded[0].at, born))
    events = [(start, 0, *weights(state))]
    changes = [(max(transition.at, born), transition.new) for transition in recorded]
    if row.state != recorded[-1].new:
        last = changes[-1][0]
        unseen = max(row.stale_since, last) if row.state == STALE and row.stale_since else last
        changes.append((unseen, row.state))
    for moment, target in changes:
        (old_published, old_complete), (new_published, new_complete) = weights(state), weights(target)
        events.append((moment, 0, new_published - old_published, new_complete - old_complete))
        state = target
    return events
