"""Coverage: how much of every article and of the UI is translated, from catalog statistics.

Pure functions over :class:`~service.domain.statistics.CatalogStatistics`: no Flask, no files.
The catalog store supplies the statistics; the API, the dashboard and ``l10n coverage`` all
show what these functions compute, so the three always carry the same numbers.

Two figures sit side by side: ``translated`` is what readers see now (msgfmt's rules: a
fuzzy or empty first form is not shown) and ``complete`` is stricter (every plural form
filled, nothing fuzzy). ``percent`` is translated ÷ all messages × 100, rounded *down* to one
decimal, so a catalog shown as 100.0 is really complete and ``--fail-under`` never disagrees
with what is printed.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Mapping, Protocol, Sequence

from .statistics import CatalogStatistics
from .names import MESSAGES_DOMAIN, article_slug
from .variant_state import (
    COMPLETE, COMPLETED_HEADER, INCOMPLETE, PUBLISHED_STATES, STALE, STALE_SINCE_HEADER, Transition, VariantState,
    parse_timestamp,
)

#: The columns of ``/api/coverage`` (each object's keys, in order) and of its CSV.
COLUMNS = (
    "language", "domain", "article", "state", "translated", "fuzzy", "untranslated", "complete",
    "words", "words_translated", "percent", "stale_since", "facts_changed",
)
SORTS = ("staleness", "percent", "date")
#: The recorded state transitions of each catalog, by ``(language, domain)``, oldest first.
History = Mapping[tuple[str, str], Sequence[Transition]]


class Figures(Protocol):
    """What the catalog store knows about one (language, domain)."""

    @property
    def language(self) -> str: ...
    @property
    def domain(self) -> str: ...
    @property
    def statistics(self) -> CatalogStatistics | None: ...
    @property
    def template(self) -> CatalogStatistics | None: ...
    @property
    def modified(self) -> datetime | None: ...
    @property
    def error(self) -> str | None: ...


@dataclass(frozen=True)
class CatalogCoverage:
    """The coverage of one catalog: one object of ``/api/coverage``, one CSV row."""

    language: str
    domain: str
    article: str | None
    state: str
    translated: int
    fuzzy: int
    untranslated: int
    complete: int
    words: int
    words_translated: int
    percent: float
    stale_since: datetime | None
    facts_changed: int
    completed_at: datetime | None = field(default=None, compare=False)  # not a column

    @property
    def total(self) -> int:
        """All messages of the catalog."""
        return self.translated + self.fuzzy + self.untranslated

    @property
    def published(self) -> bool:
        """Tell whether readers get this variant (complete or stale)."""
        return self.state in PUBLISHED_STATES

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON object of this catalog, keys as :data:`COLUMNS`."""
        values = {name: getattr(self, name) for name in COLUMNS}
        values["stale_since"] = self.stale_since.isoformat() if self.stale_since else None
        return values


@dataclass(frozen=True)
class LanguageTotals:
    """Everything of one language added up: articles and UI strings."""

    language: str
    catalogs: int
    translated: int
    fuzzy: int
    untranslated: int
    complete: int
    words: int
    words_translated: int
    percent: float
    articles: int
    articles_complete: int
    articles_stale: int
    articles_incomplete: int
    facts_changed: int

    def as_dict(self) -> dict[str, Any]:
        """Return the totals as a JSON object."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class CoverageReport:
    """Every catalog's coverage, the totals per language, and catalogs that could not be read."""

    catalogs: list[CatalogCoverage]
    totals: list[LanguageTotals]
    errors: list[str]

    def as_json(self) -> dict[str, Any]:
        """Return the body of ``/api/coverage``."""
        return {
            "catalogs": [row.as_dict() for row in self.catalogs],
            "totals": [total.as_dict() for total in self.totals],
            "errors": list(self.errors),
        }


def percent(translated: int, total: int) -> float:
    """Return translated ÷ total × 100 rounded down to one decimal; 100 for an empty catalog."""
    if total <= 0:
        return 100.0
    return (translated * 1000 // total) / 10


def catalog_state(statistics: CatalogStatistics) -> VariantState:
    """Return ``complete``, ``stale`` or ``incomplete`` as :func:`service.domain.variant_state.variant_state` does."""
    if statistics.complete == statistics.total:
        return COMPLETE
    if statistics.has_completed:
        return STALE
    return INCOMPLETE


def stale_since(
    state: str, statistics: CatalogStatistics, recorded: datetime | None = None, modified: datetime | None = None,
) -> datetime | None:
    """Return since when a stale catalog is stale: history, else its header, else its file date."""
    if state != STALE:
        return None
    return recorded or parse_timestamp(statistics.header(STALE_SINCE_HEADER)) or modified


def catalog_coverage(
    language: str, domain: str, statistics: CatalogStatistics, *,
    recorded_stale_since: datetime | None = None, modified: datetime | None = None,
) -> CatalogCoverage:
    """Return the coverage of an existing catalog."""
    state = catalog_state(statistics)
    return CatalogCoverage(
        language=language, domain=domain, article=article_slug(domain), state=state,
        translated=statistics.translated, fuzzy=statistics.fuzzy, untranslated=statistics.untranslated,
        complete=statistics.complete, words=statistics.words, words_translated=statistics.words_translated,
        percent=percent(statistics.translated, statistics.total),
        stale_since=stale_since(state, statistics, recorded_stale_since, modified),
        facts_changed=statistics.facts_changed,
        completed_at=parse_timestamp(statistics.header(COMPLETED_HEADER)),
    )


def missing_coverage(language: str, domain: str, template: CatalogStatistics) -> CatalogCoverage:
    """Return the coverage of a catalog that is needed but does not exist: nothing translated."""
    total = template.total
    return CatalogCoverage(
        language=language, domain=domain, article=article_slug(domain),
        state=INCOMPLETE,
        translated=0, fuzzy=0, untranslated=total, complete=0, words=template.words, words_translated=0,
        percent=percent(0, total), stale_since=None, facts_changed=0,
    )


def language_totals(rows: Sequence[CatalogCoverage], languages: Iterable[str]) -> list[LanguageTotals]:
    """Add up the catalogs of each language (languages without any catalog included)."""
    totals = []
    for language in languages:
        mine = [row for row in rows if row.language == language]
        articles = [row for row in mine if row.article is not None]
        translated = sum(row.translated for row in mine)
        total = sum(row.total for row in mine)
        totals.append(LanguageTotals(
            language=language, catalogs=len(mine), translated=translated,
            fuzzy=sum(row.fuzzy for row in mine), untranslated=sum(row.untranslated for row in mine),
            complete=sum(row.complete for row in mine), words=sum(row.words for row in mine),
            words_translated=sum(row.words_translated for row in mine), percent=percent(translated, total),
            articles=len(articles),
            articles_complete=sum(row.state == COMPLETE for row in articles),
            articles_stale=sum(row.state == STALE for row in articles),
            articles_incomplete=sum(row.state == INCOMPLETE for row in articles),
            facts_changed=sum(row.facts_changed for row in mine),
        ))
    return totals


def history_by_catalog(transitions: Iterable[Transition]) -> dict[tuple[str, str], list[Transition]]:
    """Group recorded transitions by catalog, each catalog's oldest first (ties keep the recorded order)."""
    grouped: dict[tuple[str, str], list[Transition]] = {}
    for transition in transitions:
        grouped.setdefault((transition.language, transition.domain), []).append(transition)
    for recorded in grouped.values():
        recorded.sort(key=lambda transition: transition.at)
    return grouped


def recorded_stale_since(history: History) -> dict[tuple[str, str], datetime]:
    """Return when each catalog went stale, for the catalogs whose latest recorded transition went into stale.

    A catalog whose latest transition left ``stale`` is not stale by the history's account:
    if it is stale now, that happened where the history did not see it, and its header tells.
    """
    return {key: recorded[-1].at for key, recorded in history.items() if recorded and recorded[-1].new == STALE}


def coverage_report(
    figures: Iterable[Figures], languages: Sequence[str], transitions: Iterable[Transition] = (),
) -> CoverageReport:
    """Turn the store's figures into the coverage of every catalog, with totals per language.

    ``transitions`` are the state changes the history recorded: a stale catalog is stale since
    its latest transition into ``stale``; without one, its ``X-Stale-Since`` header (then its
    file date) tells.
    """
    stale_moments = recorded_stale_since(history_by_catalog(transitions))
    rows: list[CatalogCoverage] = []
    errors: list[str] = []
    for item in figures:
        if item.error:
            errors.append(item.error)
        if item.statistics is not None:
            rows.append(catalog_coverage(
                item.language, item.domain, item.statistics,
                recorded_stale_since=stale_moments.get((item.language, item.domain)), modified=item.modified,
            ))
        elif item.template is not None and not item.error:
            rows.append(missing_coverage(item.language, item.domain, item.template))
    return CoverageReport(rows, language_totals(rows, languages), errors)


def below(rows: Iterable[CatalogCoverage], threshold: float) -> list[CatalogCoverage]:
    """Return the catalogs whose percent is below ``threshold`` (what fails ``--fail-under``)."""
    return [row for row in rows if row.percent < threshold]


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    return value


def to_csv(rows: Iterable[CatalogCoverage]) -> str:
    """Write the catalogs as CSV: a header of :data:`COLUMNS`, then one line per catalog."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        values = row.as_dict()
        writer.writerow([_csv_value(values[name]) for name in COLUMNS])
    return buffer.getvalue()


# --- the dashboard: one row per article, one cell per language -----------------------------


@dataclass(frozen=True)
class ArticleInfo:
    """What the dashboard shows of an article's source besides its catalogs."""

    slug: str
    title: str
    category: str | None
    published: datetime | None
    source_language: str | None


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


def is_messages(row: CatalogCoverage) -> bool:
    """Tell whether ``row`` is the UI strings' catalog."""
    return row.domain == MESSAGES_DOMAIN
