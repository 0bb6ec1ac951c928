"""What the entry page shows besides the form: its history, memory suggestions and the marked-up source.

Helpers of :mod:`service.web.translate`, kept apart so that the blueprint stays about requests.
"""
from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import polib
from babel.dates import format_datetime
from flask import Flask, current_app
from markupsafe import Markup, escape

from .extension import services
from .i18n import current_language, gettext
from ..domain.diffs import word_diff
from ..domain.editing import KEPT_ASIDE_ACTIONS, Translation
from ..domain.names import article_slug
from ..domain.source_marks import MARKUP, PLACEHOLDER, source_spans
from ..domain.uploads import draft_of
from ..storage.history import HistoryRow

#: The element and class each marked kind of source span is wrapped in.
_WRAPPERS = {PLACEHOLDER: ("code", "ph"), MARKUP: ("mark", "mu")}


def marked_source(text: str) -> Markup:
    """Return ``text`` escaped, its placeholders and markup wrapped in ``<code>``/``<mark>`` spans."""
    pieces = []
    for kind, piece in source_spans(text):
        wrapper = _WRAPPERS.get(kind)
        pieces.append(escape(piece) if wrapper is None
                      else Markup('<{0} class="{1}">{2}</{0}>').format(wrapper[0], wrapper[1], piece))
    return Markup("").join(pieces)


def catalog_title(domain: str) -> str:
    """Return what a page calls a catalog: its article's title, "Interface strings", or the slug of an unknown article."""
    slug = article_slug(domain)
    if slug is None:
        return gettext("Interface strings")
    info = services().sources.articles().get(slug)
    return info.title if info is not None else slug


def format_moment(row: HistoryRow) -> str:
    """Return when a history row was recorded, in the newsroom's time zone and the interface's language."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return format_datetime(row.at, "short", tzinfo=zone, locale=current_language())


def as_forms(value: Any) -> list[str]:
    """Return a recorded translation (a string or ``{"0": …}``) as its list of forms."""
    if isinstance(value, dict):
        return [value[key] for key in sorted(value, key=int)]
    return [value]


def entry_history(language: str, domain: str, entry_id: str) -> list[dict[str, Any]]:
    """Return the entry's last 50 history rows as the page lists them, newest first."""
    rows = []
    for row in services().history.rows(language, domain, entry_id, limit=50):
        rows.append({"row": row, "when": format_moment(row), "old": as_forms(row.old), "new": as_forms(row.new),
                     "kept_aside": row.action in KEPT_ASIDE_ACTIONS})
    return rows


def history_draft(language: str, domain: str, entry_id: str, raw: str, plural: bool,
                  nplurals: int) -> Translation | None:
    """Return the kept-aside version a ``?draft=<history id>`` link asks to edit from (``None``: no such row)."""
    row = services().history.row(int(raw)) if raw.isdigit() and len(raw) < 19 else None
    if row is None or (row.language, row.domain, row.entry_id) != (language, domain, entry_id):
        return None
    return draft_of(row.new if row.action in KEPT_ASIDE_ACTIONS else row.old, plural, nplurals)


def memory_suggestions(language: str, domain: str, entry: polib.POEntry) -> list[dict[str, Any]]:
    """Return the translation memory's suggestions for an entry, each with its article and source diff."""
    articles = services().sources.articles()
    found = []
    for suggestion in services().memory.suggest(language, domain, entry.msgctxt, entry.msgid):
        slug = article_slug(suggestion.domain)
        info = articles.get(slug) if slug else None
        found.append({"suggestion": suggestion, "title": info.title if info else None,
                      "diff": word_diff(suggestion.source, entry.msgid)})
    return found


def init_app(app: Flask) -> None:
    """Give templates the ``marked_source`` filter."""
    app.jinja_env.filters["marked_source"] = marked_source
