"""Editor coverage: the dashboard at ``/editor/coverage`` and the figures at ``/api/coverage``.

Both show what :mod:`service.domain.coverage` computes from the catalog store's cached statistics,
so the page, the JSON, the CSV and ``l10n coverage`` carry the same numbers.

Editors and admins get the figures; translators a 403, anonymous users the login page
(HTML) or a 401 (API), as :func:`service.web.auth.require_role` answers them.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from typing import Any, Callable
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, get_timezone_name
from babel.numbers import format_decimal, format_percent
from flask import Blueprint, Response, current_app, render_template, request, url_for

from .extension import services
from ..domain import coverage
from ..domain import dashboard as board
from .auth import require_role
from .display_names import language_label
from .errors import BadRequest
from .paging import clamped_page, page_count
from ..domain.categories import CATEGORIES
from .i18n import current_language, gettext
from ..domain.names import MESSAGES_DOMAIN
from ..domain.variant_state import Transition

bp = Blueprint("editor", __name__)

EDITOR_ROLES = ("editor", "admin")
PAGE_SIZE = 100
CHART_WIDTH, CHART_HEIGHT = 640, 220
CHART_MARGIN = {"left": 52, "right": 16, "top": 12, "bottom": 30}


# --- the figures ----------------------------------------------------------------------------


def _languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


class _Memo:
    """Results derived from the store's figures, kept while the figures are the very same object.

    The store hands out the same figures list for as long as no catalog or template changed,
    so a warm request reuses the report and its JSON/CSV instead of rebuilding 20,000 rows.
    """

    def __init__(self) -> None:
        self._entries: dict[Any, tuple[tuple[Any, ...], dict[str, Any]]] = {}

    def get(self, key: Any, sources: tuple[Any, ...]) -> dict[str, Any]:
        """Return the derived values for ``key``, emptied when any of ``sources`` is a new object."""
        entry = self._entries.get(key)
        if entry is None or len(entry[0]) != len(sources) or any(a is not b for a, b in zip(entry[0], sources)):
            entry = (sources, {})
            self._entries[key] = entry
        return entry[1]


def _memo(key: Any, *sources: Any) -> dict[str, Any]:
    memo = current_app.extensions.setdefault("coverage_memo", _Memo())
    return memo.get(key, sources)


def _transitions() -> tuple[Transition, ...]:
    """Return the state transitions the history recorded (the same tuple while none is added)."""
    return services().history.state_transitions()


def _report(languages: list[str] | None = None,
            transitions: tuple[Transition, ...] | None = None) -> coverage.CoverageReport:
    selected = languages or _languages()
    figures = services().figures.figures(selected)
    # Stale-since comes from the history (saves, uploads and `l10n update` record each state
    # transition), else from the catalog's X-Stale-Since header.
    transitions = _transitions() if transitions is None else transitions
    derived = _memo(("report", tuple(selected)), figures, transitions)
    if "report" not in derived:
        derived["report"] = coverage.coverage_report(figures, selected, transitions)
    return derived["report"]


def _serialized(report: coverage.CoverageReport, output: str) -> bytes:
    """Return the report as JSON or CSV bytes, built once per report."""
    derived = _memo(("serialized", output), report)
    if "body" not in derived:
        if output == "csv":
            derived["body"] = coverage.to_csv(report.catalogs).encode("utf-8")
        else:
            derived["body"] = current_app.json.dumps(report.as_json()).encode("utf-8")
    return derived["body"]


def _requested_languages() -> list[str] | None:
    """Return the languages asked for with ``?language=``; 400 for an unknown one."""
    entry_id = [value for value in request.args.getlist("language") if value]
    unknown = [value for value in entry_id if value not in _languages()]
    if unknown:
        raise BadRequest(gettext("Unknown language: %(language)s", language=unknown[0]))
    return entry_id or None


@bp.get("/api/coverage")
@require_role(*EDITOR_ROLES)
def api_coverage() -> Any:
    """Answer the coverage of every catalog as JSON, or as CSV with ``?format=csv``."""
    output = request.args.get("format", "json")
    if output not in ("json", "csv"):
        raise BadRequest(gettext("Unknown format: use json or csv."))
    report = _report(_requested_languages())
    if output == "csv":
        return Response(_serialized(report, "csv"), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="coverage.csv"'})
    return Response(_serialized(report, "json"), mimetype="application/json")


# --- the dashboard --------------------------------------------------------------------------


def translator_url(language: str, domain: str) -> str:
    """Return the translator editor's address for the open (untranslated or fuzzy) entries of a catalog."""
    return f"/translate/{language}/{domain}?state=open"


def _percent(value: float, locale: str) -> str:
    return format_percent(value / 100, format="#,##0.0%", locale=locale)


def _moment(value: datetime | None, locale: str) -> str:
    """Write a moment in the newsroom's time zone: medium date, short time, the locale's joiner."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    pattern = Locale.parse(locale).datetime_formats["medium"]
    return pattern.format(format_time(local, "short", locale=locale), format_date(local, "medium", locale=locale))


def _bar(cell: coverage.CatalogCoverage) -> dict[str, float]:
    """Return the widths (of 100) of a cell's translated, fuzzy and untranslated parts."""
    total = cell.total or 1
    translated = 100 * cell.translated / total
    fuzzy = 100 * cell.fuzzy / total
    return {"translated": translated, "fuzzy": fuzzy, "fuzzy_x": translated,
            "untranslated_x": translated + fuzzy, "untranslated": 100 - translated - fuzzy}


def _daily(points: list[board.TimelinePoint], zone: ZoneInfo) -> list[board.TimelinePoint]:
    """Keep each day's last point, so changes within a day do not draw spikes."""
    by_day: dict[Any, board.TimelinePoint] = {}
    for point in points:
        by_day[point.moment.astimezone(zone).date()] = point
    return list(by_day.values())


def _chart(timeline: dict[str, list[board.TimelinePoint]], locale: str) -> dict[str, Any] | None:
    """Lay out the coverage-over-time chart: per language, the published and the complete share of articles."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    timeline = {language: _daily(points, zone) for language, points in timeline.items()}
    moments = [point.moment for points in timeline.values() for point in points]
    if len(set(moments)) < 2:
        return None
    start, end = min(moments).timestamp(), max(moments).timestamp()
    left, top = CHART_MARGIN["left"], CHART_MARGIN["top"]
    width = CHART_WIDTH - left - CHART_MARGIN["right"]
    height = CHART_HEIGHT - top - CHART_MARGIN["bottom"]

    def x(moment: datetime) -> float:
        return round(left + width * (moment.timestamp() - start) / (end - start), 1)

    def y(value: float) -> float:
        return round(top + height * (1 - value / 100), 1)

    def steps(points: list[board.TimelinePoint], share: Callable[[board.TimelinePoint], float]) -> str:
        drawn: list[str] = []
        for number, point in enumerate(points):
            if number:  # a step: the share holds until the next change
                drawn.append(f"{x(point.moment)},{y(share(points[number - 1]))}")
            drawn.append(f"{x(point.moment)},{y(share(point))}")
        return " ".join(drawn)

    lines = []
    for index, (language, points) in enumerate(timeline.items()):
        if not points:
            continue
        last = points[-1]
        lines.append({
            "language": language, "series": index % 6, "kind": "published",
            "points": steps(points, lambda point: point.percent_published),
            "label": gettext("%(language)s: %(published)s of %(articles)s articles published",
                             language=language_label(language), published=last.published, articles=last.articles),
        })
        lines.append({
            "language": language, "series": index % 6, "kind": "complete",
            "points": steps(points, lambda point: point.percent_complete),
            "label": gettext("%(language)s: %(complete)s of %(articles)s complete (not stale)",
                             language=language_label(language), complete=last.complete, articles=last.articles),
        })
    ticks = [{"y": y(share), "label": format_percent(share / 100, locale=locale)} for share in (0, 50, 100)]
    dates = []
    for fraction in (0, 0.5, 1):
        moment = datetime.fromtimestamp(start + (end - start) * fraction, timezone.utc).astimezone(zone)
        dates.append({"x": round(left + width * fraction, 1), "label": format_skeleton("yMMMd", moment, locale=locale),
                      "anchor": ("start", "middle", "end")[int(fraction * 2)]})
    return {"width": CHART_WIDTH, "height": CHART_HEIGHT, "lines": lines, "ticks": ticks, "dates": dates,
            "left": left, "right": left + width, "top": top, "bottom": top + height}


def _current_chart(timeline: dict[str, list[board.TimelinePoint]], locale: str) -> dict[str, Any] | None:
    """Return the chart with every line drawn up to now, laid out again at most once a minute."""
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    drawn = _memo(("chart", locale), timeline)
    if drawn.get("minute") != now:
        current = {language: points[:-1] + [replace(points[-1], moment=max(now, points[-1].moment))] if points else []
                   for language, points in timeline.items()}
        drawn["chart"], drawn["minute"] = _chart(current, locale), now
    return drawn["chart"]


def _switched_on(name: str) -> bool:
    """Tell whether the checkbox filter ``name`` is on (``?stale=1``; ``0``, ``false`` or ``off`` is off)."""
    return request.args.get(name, "").strip().lower() not in ("", "0", "false", "no", "off")


@bp.get("/editor/coverage")
@require_role(*EDITOR_ROLES)
def dashboard() -> Any:
    """Show every article × language with its figures, the UI strings and coverage over time."""
    locale = current_language()
    languages = _languages()
    shown = _requested_languages() or languages
    sort = request.args.get("sort", "staleness")
    if sort not in board.SORTS:
        sort = "staleness"
    category = request.args.get("category") or None
    if category not in CATEGORIES:
        category = None
    stale, unpublished = _switched_on("stale"), _switched_on("unpublished")

    transitions = _transitions()
    report = _report(transitions=transitions)
    articles = services().sources.articles()
    derived = _memo(("dashboard", tuple(shown)), report, articles, transitions)
    if "rows" not in derived:
        derived["rows"] = board.article_rows(report.catalogs, articles, shown)
        derived["timeline"] = board.coverage_timeline(report.catalogs, articles, languages, datetime.now(timezone.utc),
                                                         coverage.history_by_catalog(transitions))
    rows = board.sort_rows(
        board.filter_rows(derived["rows"], category=category, stale=stale, unpublished=unpublished), sort)
    pages = page_count(len(rows), PAGE_SIZE)
    page = clamped_page(pages)
    query = {key: value for key, value in request.args.items(multi=True) if key != "page" and value}
    return render_template(
        "editor/coverage.html",
        rows=rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], matching=len(rows), page=page, pages=pages,
        page_url=lambda number: url_for("editor.dashboard", **{**query, "page": number}),
        ui_rows=[row for row in report.catalogs if coverage.is_messages(row) and row.language in shown],
        totals=[total for total in report.totals if total.language in shown],
        errors=report.errors,
        languages=languages, shown=shown, sorts=board.SORTS, sort=sort,
        categories=CATEGORIES, category=category, stale=stale, unpublished=unpublished,
        chart=_current_chart(derived["timeline"], locale),
        bar=_bar, translator_url=translator_url, messages_domain=MESSAGES_DOMAIN,
        percent=lambda value: _percent(value, locale),
        number=lambda value: format_decimal(value, locale=locale),
        moment=lambda value: _moment(value, locale),
        page_language=locale,
        time_zone=current_app.config["TIMEZONE"],
        time_zone_name=get_timezone_name(current_app.config["TIMEZONE"], "long", locale=locale),
    )

