from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from service.domain.statistics import CatalogStatistics
from service.domain.articles import ArticleInfo
from service.domain.coverage import (
    COLUMNS, below, catalog_coverage, coverage_report, history_by_catalog, missing_coverage, percent, to_csv,
)
from service.domain.dashboard import article_rows, coverage_timeline, filter_rows, sort_rows
from service.domain.variant_state import Transition

UTC = timezone.utc
T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def stats(translated=0, fuzzy=0, untranslated=0, complete=None, words=10, words_translated=None, facts=0, **headers):
    return CatalogStatistics(
        translated=translated, fuzzy=fuzzy, untranslated=untranslated,
        complete=translated if complete is None else complete, words=words,
        words_translated=words if words_translated is None else words_translated, facts_changed=facts,
        headers=tuple((name.replace("_", "-"), value) for name, value in headers.items()),
    )


@dataclass
class Figures:
    language: str
    domain: str
    statistics: CatalogStatistics | None
    template: CatalogStatistics | None = None
    modified: datetime | None = None
    error: str | None = None


def test_percent_rounds_down_and_an_empty_catalog_is_full():
    assert percent(0, 0) == 100.0
    assert percent(2, 3) == 66.6
    assert percent(9999, 10000) == 99.9  # never shown as 100 while something is missing
    assert percent(3, 3) == 100.0


def test_complete_catalog():
    row = catalog_coverage("en", "articles/a", stats(5, X_Completed="2026-11-01T10:00+02:00"))
    assert (row.state, row.percent, row.article, row.stale_since) == ("complete", 100.0, "a", None)


def test_stale_since_comes_from_history_then_header_then_file():
    header = stats(4, 1, X_Completed="2026-11-01T10:00+02:00", X_Stale_Since="2026-11-05T09:00+02:00")
    recorded = T0 + timedelta(days=3)
    assert catalog_coverage("en", "articles/a", header, recorded_stale_since=recorded).stale_since == recorded
    assert catalog_coverage("en", "articles/a", header).stale_since == datetime.fromisoformat("2026-11-05T09:00+02:00")
    no_header = stats(4, 1, X_Completed="2026-11-01T10:00+02:00")
    assert catalog_coverage("en", "articles/a", no_header, modified=T0).stale_since == T0


def day(number: float) -> datetime:
    return T0 + timedelta(days=number)


def moves(domain: str, *steps: tuple[float, str, str], language: str = "en") -> list[Transition]:
    return [Transition(language, domain, old, new, day(at)) for at, old, new in steps]


def test_stale_since_is_the_latest_transition_into_stale_when_the_history_has_one():
    stale = stats(4, 1, X_Completed="2026-11-01T10:00+02:00", X_Stale_Since="2026-11-02T09:00+02:00")
    history = moves("articles/a", (1, "complete", "stale"), (2, "stale", "complete"), (4, "complete", "stale"))
    history += moves("articles/a", (6, "complete", "stale"), language="uk")  # another catalog's
    report = coverage_report([Figures("en", "articles/a", stale), Figures("en", "articles/b", stale, modified=day(9))],
                             ["en"], history)
    assert [row.stale_since for row in report.catalogs] == [day(4), datetime.fromisoformat("2026-11-02T09:00+02:00")]


def test_a_history_that_ends_complete_leaves_a_stale_catalog_to_its_header():
    stale = stats(4, 1, X_Completed="2026-11-01T10:00+02:00", X_Stale_Since="2026-11-09T09:00+02:00")
    history = moves("articles/a", (1, "complete", "stale"), (2, "stale", "complete"))  # stale again, unrecorded
    report = coverage_report([Figures("en", "articles/a", stale)], ["en"], history)
    assert report.catalogs[0].stale_since == datetime.fromisoformat("2026-11-09T09:00+02:00")
    complete = coverage_report([Figures("en", "articles/a", stats(5, X_Completed="2026-11-01T10:00+02:00"))],
                               ["en"], moves("articles/a", (4, "complete", "stale")))
    assert complete.catalogs[0].stale_since is None  # complete now: stale since nothing


def test_never_complete_catalog_is_incomplete_even_if_only_fuzzy():
    row = catalog_coverage("en", "articles/a", stats(4, 1))
    assert row.state == "incomplete" and row.stale_since is None


def test_complete_needs_every_plural_form():
    row = catalog_coverage("uk", "messages", stats(3, complete=2))
    assert row.state == "incomplete" and row.percent == 100.0 and row.article is None


def test_missing_catalog_counts_everything_untranslated():
    row = missing_coverage("en", "articles/b", stats(untranslated=7, words=120))
    assert (row.state, row.translated, row.untranslated, row.words, row.words_translated, row.percent) == (
        "incomplete", 0, 7, 120, 0, 0.0)


def test_report_totals_per_language_and_errors():
    report = coverage_report([
        Figures("uk", "messages", stats(7)),
        Figures("en", "articles/a", stats(3, 1, X_Completed="2026-11-01T10:00+02:00", facts=1)),
        Figures("en", "articles/b", None, template=stats(untranslated=4)),
        Figures("en", "articles/c", None, template=stats(untranslated=4), error="c.po:3: duplicate"),
    ], ["uk", "en", "de"])
    assert [row.domain for row in report.catalogs] == ["messages", "articles/a", "articles/b"]
    totals = {total.language: total for total in report.totals}
    assert (totals["en"].translated, totals["en"].fuzzy, totals["en"].untranslated) == (3, 1, 4)
    assert totals["en"].percent == 37.5
    assert (totals["en"].articles_stale, totals["en"].articles_incomplete, totals["en"].facts_changed) == (1, 1, 1)
    assert totals["de"].catalogs == 0 and totals["de"].percent == 100.0
    assert report.errors == ["c.po:3: duplicate"]
    body = report.as_json()
    assert list(body["catalogs"][1]) == list(COLUMNS)


def test_csv_has_the_json_columns_and_parses():
    rows = [catalog_coverage("en", "articles/a", stats(3, 1, X_Completed="2026-11-01T10:00+02:00",
                                                       X_Stale_Since="2026-11-02T10:00+02:00")),
            catalog_coverage("uk", "messages", stats(1))]
    parsed = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert list(parsed[0]) == list(COLUMNS)
    assert parsed[0]["stale_since"] == "2026-11-02T10:00:00+02:00" and parsed[0]["percent"] == "75.0"
    assert parsed[1]["article"] == "" and parsed[1]["stale_since"] == ""


def test_fail_under_threshold_is_strictly_below():
    rows = [catalog_coverage("en", "articles/a", stats(1, untranslated=1))]  # 50.0
    assert below(rows, 50) == []
    assert below(rows, 50.1) == rows


def _rows():
    infos = {
        "old": ArticleInfo("old", "Old", "politics", T0 - timedelta(days=10), "uk"),
        "new": ArticleInfo("new", "New", "sport", T0, "uk"),
        "half": ArticleInfo("half", "Half", "sport", T0 - timedelta(days=5), "en"),
    }
    catalogs = [
        catalog_coverage("en", "articles/old", stats(9, 1, X_Completed="2026-10-23T10:00+00:00",
                                                     X_Stale_Since="2026-10-25T10:00+00:00")),
        catalog_coverage("en", "articles/new", stats(10, X_Completed="2026-11-01T13:00+00:00")),
        catalog_coverage("uk", "articles/half", stats(5, untranslated=5)),
    ]
    return catalogs, infos, article_rows(catalogs, infos, ["uk", "en"])


def test_article_rows_have_a_cell_per_language():
    _, _, rows = _rows()
    by_slug = {row.slug: row for row in rows}
    assert by_slug["old"].cells["uk"] is None and by_slug["old"].cells["en"].state == "stale"


@pytest.mark.parametrize("by, expected", [
    ("staleness", ["old", "new", "half"]),
    ("percent", ["half", "old", "new"]),
    ("date", ["new", "half", "old"]),
])
def test_sorting(by, expected):
    _, _, rows = _rows()
    assert [row.slug for row in sort_rows(rows, by)] == expected


def test_filters():
    _, _, rows = _rows()
    assert [row.slug for row in filter_rows(rows, stale=True)] == ["old"]
    assert [row.slug for row in filter_rows(rows, unpublished=True)] == ["half"]
    assert sorted(row.slug for row in filter_rows(rows, category="sport")) == ["half", "new"]


def test_timeline_follows_completion_and_staleness():
    catalogs, infos, _ = _rows()
    now = T0 + timedelta(days=1)
    timeline = coverage_timeline(catalogs, infos, ["uk", "en"], now)
    en = [(point.articles, point.published, point.complete) for point in timeline["en"]]
    # old appears, completes, goes stale; new appears and completes; then now
    assert en == [(1, 0, 0), (1, 1, 1), (1, 1, 0), (2, 1, 0), (2, 2, 1), (2, 2, 1)]
    assert timeline["en"][-1].moment == now
    assert [(point.articles, point.published) for point in timeline["uk"]] == [(1, 0), (1, 0)]


def _complete_again():
    """An article published on day 0, complete on day 1, stale on day 3, complete again on day 5."""
    infos = {"a": ArticleInfo("a", "A", "politics", day(0), "uk")}
    row = catalog_coverage("en", "articles/a", stats(10, X_Completed=day(1).isoformat(timespec="minutes")))
    history = moves("articles/a", (1, "incomplete", "complete"), (3, "complete", "stale"), (5, "stale", "complete"))
    return [row], infos, history


def test_timeline_shows_a_stale_period_the_history_recorded():
    rows, infos, history = _complete_again()
    from_headers = coverage_timeline(rows, infos, ["en"], day(7))["en"]
    assert [(p.moment, p.published, p.complete) for p in from_headers] == [
        (day(0), 0, 0), (day(1), 1, 1), (day(7), 1, 1)]  # the stale period left no trace in the catalog
    timeline = coverage_timeline(rows, infos, ["en"], day(7), history_by_catalog(history))["en"]
    assert [(p.moment, p.articles, p.published, p.complete) for p in timeline] == [
        (day(0), 1, 0, 0), (day(1), 1, 1, 1), (day(3), 1, 1, 0), (day(5), 1, 1, 1), (day(7), 1, 1, 1)]
    assert [p.percent_complete for p in timeline] == [0.0, 100.0, 0.0, 100.0, 100.0]


def test_timeline_mixes_recorded_catalogs_with_catalogs_known_only_from_their_headers():
    rows, infos, history = _complete_again()
    infos["b"] = ArticleInfo("b", "B", "sport", day(2), "uk")
    rows.append(catalog_coverage("en", "articles/b", stats(10, X_Completed=day(4).isoformat(timespec="minutes"))))
    timeline = coverage_timeline(rows, infos, ["en"], day(7), history_by_catalog(history))["en"]
    assert [(p.moment, p.articles, p.published, p.complete) for p in timeline] == [
        (day(0), 1, 0, 0), (day(1), 1, 1, 1), (day(2), 2, 1, 1), (day(3), 2, 1, 0), (day(4), 2, 2, 1),
        (day(5), 2, 2, 2), (day(7), 2, 2, 2)]


def test_timeline_ends_in_the_state_a_catalog_has_even_when_the_history_missed_the_change():
    infos = {"a": ArticleInfo("a", "A", "politics", day(0), "uk")}
    rows = [catalog_coverage("en", "articles/a", stats(9, 1, X_Completed=day(1).isoformat(timespec="minutes"),
                                                       X_Stale_Since=day(6).isoformat(timespec="minutes")))]
    history = history_by_catalog(moves("articles/a", (1, "incomplete", "complete")))
    timeline = coverage_timeline(rows, infos, ["en"], day(7), history)["en"]
    assert [(p.moment, p.published, p.complete) for p in timeline] == [
        (day(0), 0, 0), (day(1), 1, 1), (day(6), 1, 0), (day(7), 1, 0)]


def test_before_its_first_transition_a_catalog_counts_from_its_completion():
    infos = {"a": ArticleInfo("a", "A", "politics", day(0), "uk")}
    rows = [catalog_coverage("en", "articles/a", stats(9, 1, X_Completed=day(2).isoformat(timespec="minutes")))]
    history = history_by_catalog(moves("articles/a", (4, "complete", "stale")))  # the history began on day 4
    timeline = coverage_timeline(rows, infos, ["en"], day(7), history)["en"]
    assert [(p.moment, p.published, p.complete) for p in timeline] == [
        (day(0), 0, 0), (day(2), 1, 1), (day(4), 1, 0), (day(7), 1, 0)]


def test_an_article_without_a_publication_date_counts_from_the_first_date_known():
    rows = [catalog_coverage("en", "articles/a", stats(9, 1, X_Completed=day(2).isoformat(timespec="minutes")))]
    history = history_by_catalog(moves("articles/a", (4, "complete", "stale")))
    timeline = coverage_timeline(rows, {}, ["en"], day(7), history)["en"]
    assert [(p.moment, p.articles, p.published, p.complete) for p in timeline] == [
        (day(2), 1, 1, 1), (day(4), 1, 1, 0), (day(7), 1, 1, 0)]
