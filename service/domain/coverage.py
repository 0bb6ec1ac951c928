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


def is_messages(row: CatalogCoverage) -> bool:
    """Tell whether ``row`` is the UI strings' catalog."""
    return row.domain == MESSAGES_DOMAIN
