"""The web editor for translators at ``/translate/``: catalogs, entry lists, the edit form.

Every page works without JavaScript; ``static/translate.js`` adds keyboard saving
(Ctrl/⌘+Enter: save and go to the next entry of the list) and checks as you type
(the list of results comes from :func:`draft_checks`, in the interface language).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import polib
from babel.dates import format_datetime
from flask import Blueprint, current_app, flash, g, get_flashed_messages, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from .extension import services
from ..domain import checks
from ..storage.accounts import Accounts, HistoryRow
from .auth import current_user, error_response, interface_language, require_role
from ..domain.catalog_list import STATE_FILTERS, CatalogSummary, SummaryCache, count_states, select
from ..storage.catalogs import (
    CatalogConflict, CatalogNotFound, CatalogStore, CheckFailed, EntryNotFound, InvalidTranslation, Translation, entry_id, find_entry, form_index, translation_of,
)
from ..domain.diffs import word_diff
from .i18n import gettext as _, language_name, translate_message
from ..domain.names import UI_SOURCE_LANGUAGE, article_slug
from ..domain.names import SOURCE_LANGUAGE_HEADER
from ..domain.plurals import plural_labels
from ..domain.po_format import CatalogError
from ..domain.counting import message_state, messages

bp = Blueprint("translate", __name__, url_prefix="/translate")
PAGE_SIZE = 25
#: Catalogs per page of the catalog list (each shown catalog's checks are counted: a full parse).
CATALOG_PAGE_SIZE = 25
FILTERS = ("all", "open", "untranslated", "fuzzy", "translated", "failing")
#: The entry states a filter lists ("all" and "failing" list every state); "open" is what is left to do.
FILTER_STATES = {"open": {"untranslated", "fuzzy"}, "untranslated": {"untranslated"}, "fuzzy": {"fuzzy"},
                 "translated": {"translated"}}
NEIGHBOURS = 2
MAX_QUERY = 200


@dataclass(frozen=True)
class Row:
    """One entry as the list and the edit page show it."""

    id: str
    entry: polib.POEntry
    state: str
    checks: list[checks.CheckResult]

    @property
    def errors(self) -> int:
        return sum(1 for result in self.checks if result.level == checks.Level.ERROR)

    @property
    def warnings(self) -> int:
        return len(self.checks) - self.errors

    @property
    def translation(self) -> str:
        value = translation_of(self.entry)
        return value.get(0, "") if isinstance(value, dict) else value


def _store() -> CatalogStore:
    return services().catalogs


def _accounts() -> Accounts:
    return services().accounts


@bp.before_request
def _choose_language() -> None:
    g.language = interface_language()


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge) -> Any:
    """Refuse a request body over ``MAX_CONTENT_LENGTH`` (an upload) in the workspace's language."""
    return error_response(413, _("The file is too large."))


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"language_name": language_name, "state_name": state_name, "level_name": level_name,
            "check_name": check_name}


def state_name(state: str) -> str:
    """Return the display name of an entry or variant state."""
    names = {
        "translated": _("translated"), "fuzzy": _("fuzzy"), "untranslated": _("untranslated"),
        "complete": _("complete"), "stale": _("stale"), "incomplete": _("incomplete"),
        "all": _("all"), "failing": _("failing a check"), "open": _("untranslated or fuzzy"),
        "needs-work": _("needs work"),
    }
    return names.get(state, state)


def level_name(level: str) -> str:
    """Return the display name of a check result's level."""
    names: dict[str, str] = {checks.Level.ERROR: _("error"), checks.Level.WARNING: _("warning")}
    return names.get(level, level)


def check_name(check: str) -> str:
    """Return the display name of a quality check."""
    declared = checks.CHECKS_BY_ID.get(check)
    return _(declared.name) if declared else check


def _rows(language: str, domain: str) -> tuple[polib.POFile, list[Row]]:
    store = _store()
    catalog = store.catalog(language, domain)
    results = store.entry_checks(language, domain)
    rows = []
    for entry in messages(catalog):
        key = entry_id(entry.msgctxt, entry.msgid)
        rows.append(Row(key, entry, message_state(entry), results.get(key, [])))
    return catalog, rows


def _matches(row: Row, state: str, query: str) -> bool:
    if state == "failing" and not row.checks:
        return False
    if state in FILTER_STATES and row.state not in FILTER_STATES[state]:
        return False
    if query:
        value = translation_of(row.entry)
        texts = [row.entry.msgid, row.entry.msgid_plural or ""]
        texts += list(value.values()) if isinstance(value, dict) else [value]
        return any(query.casefold() in text.casefold() for text in texts)
    return True


def _list_arguments() -> dict[str, Any]:
    state = request.values.get("state", "all")
    query = request.values.get("q", "")[:MAX_QUERY].strip()
    arguments: dict[str, Any] = {}
    if state in FILTERS and state != "all":
        arguments["state"] = state
    if query:
        arguments["q"] = query
    return arguments


def _source_language(catalog: polib.POFile, domain: str) -> str:
    if article_slug(domain) is None:
        return UI_SOURCE_LANGUAGE
    return catalog.metadata.get(SOURCE_LANGUAGE_HEADER, "")


def _catalog_errors(function: Any) -> Any:
    """Answer an unknown catalog with 404 and a broken one with a page that names the line."""

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except CatalogNotFound:
            return error_response(404, _("There is no such catalog."))
        except EntryNotFound:
            return error_response(404, _("There is no such entry in this catalog."))
        except CatalogError as error:
            return error_response(409, _("The catalog file is broken at line %(line)d: %(problem)s",
                                         line=error.line, problem=error.message))

    wrapped.__name__ = function.__name__
    wrapped.__doc__ = function.__doc__
    return wrapped


def listed_catalogs(languages: list[str]) -> list[CatalogSummary]:
    """Return the summary of every catalog of ``languages``, most urgent first, from the store's figures."""
    if not languages:
        return []
    store = _store()
    cache: SummaryCache = current_app.extensions.setdefault("catalog_summaries", SummaryCache())
    return cache.summaries(languages, store.figures(languages), services().sources.articles(),
                           store.exists)


def _page(count: int, size: int) -> tuple[int, int]:
    """Return the page ``?page=`` asks for (clamped, 1 for anything but a number) and how many there are."""
    pages = max(1, math.ceil(count / size))
    text = request.args.get("page", "1")
    page = int(text) if re.fullmatch(r"[0-9]{1,6}", text) else 1
    return min(max(1, page), pages), pages


def _check_counts(row: CatalogSummary) -> tuple[int, int] | None:
    """Count a catalog's entries failing a check with an error, and with warnings only."""
    try:
        results = _store().entry_checks(row.language, row.domain)
    except (CatalogNotFound, CatalogError):
        return None
    errors = sum(1 for found in results.values() if checks.has_errors(found))
    return errors, len(results) - errors


@bp.get("/")
@require_role()
def index() -> Any:
    """List the catalogs of the user's languages, most urgent first, filtered by language, state and text."""
    user = current_user()
    assert user is not None
    languages = [language for language in _store().languages if user.can_edit(language)]
    language = request.args.get("language", "")
    state = request.args.get("state", "all")
    state = state if state in STATE_FILTERS else "all"
    query = request.args.get("q", "")[:MAX_QUERY].strip()
    in_languages = select(listed_catalogs(languages), [language] if language in languages else None)
    selected = select(in_languages, state=state, query=query)
    page, pages = _page(len(selected), CATALOG_PAGE_SIZE)
    shown = selected[(page - 1) * CATALOG_PAGE_SIZE: page * CATALOG_PAGE_SIZE]
    arguments = {key: value for key, value in
                 {"language": language if language in languages else "", "state": state if state != "all" else "",
                  "q": query}.items() if value}
    return render_template(
        "translate/index.html", rows=shown, checks={(row.language, row.domain): _check_counts(row) for row in shown},
        languages=languages, language=arguments.get("language", ""), state=state, query=query,
        counts=count_states(in_languages, query), filters=STATE_FILTERS, total=len(selected), page=page,
        pages=pages, arguments=arguments,
    )


@bp.get("/<language>/<path:domain>")
@require_role()
@_catalog_errors
def catalog(language: str, domain: str) -> Any:
    """List a catalog's entries, filtered by state and text, a page at a time."""
    parsed, rows = _rows(language, domain)
    arguments = _list_arguments()
    state, query = arguments.get("state", "all"), arguments.get("q", "")
    selected = [row for row in rows if _matches(row, state, query)]
    page, pages = _page(len(selected), PAGE_SIZE)
    shown = selected[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    counts = {name: sum(1 for row in rows if _matches(row, name, "")) for name in FILTERS}
    slug = article_slug(domain)
    return render_template(
        "translate/catalog.html", language=language, domain=domain, rows=shown, state=state, query=query,
        page=page, pages=pages, total=len(selected), counts=counts, filters=FILTERS, arguments=arguments,
        summary=_store().summary(language, domain), slug=slug,
        source_language=_source_language(parsed, domain), flashed=_flashed(), saved_id=request.args.get("saved"),
        current_id=None,
    )


def _flashed() -> list[tuple[str, Any]]:
    """Return the notices of the last save: ``("saved", text)`` and ``("check", result)`` pairs."""
    return [(category, json.loads(message) if category == "check" else message)
            for category, message in get_flashed_messages(with_categories=True)]


def _next_row(rows: list[Row], current: str, state: str, query: str) -> Row | None:
    """Return the entry after ``current`` in the filtered list (wrapping around), if any other matches."""
    index = next((i for i, row in enumerate(rows) if row.id == current), -1)
    ordered = rows[index + 1:] + rows[: index + 1]
    return next((row for row in ordered if row.id != current and _matches(row, state, query)), None)


def _format_moment(row: HistoryRow) -> str:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return format_datetime(row.at, "short", tzinfo=zone, locale=g.language)


def _parse_base(raw: str | None, plural: bool) -> Translation:
    try:
        value = json.loads(raw or "")
    except (ValueError, RecursionError):
        raise InvalidTranslation(_("The form lost the text it started from. Reload the entry.")) from None
    if plural and isinstance(value, dict):
        forms = {form_index(key): text for key, text in value.items()}
        if None not in forms and all(isinstance(text, str) for text in forms.values()):
            return {index: text for index, text in forms.items() if index is not None}
    if not plural and isinstance(value, str):
        return value
    raise InvalidTranslation(_("The form lost the text it started from. Reload the entry."))


def _submitted(entry: polib.POEntry, nplurals: int) -> Translation:
    if entry.msgid_plural:
        return {index: request.form.get(f"msgstr_{index}", "").replace("\r\n", "\n") for index in range(nplurals)}
    return request.form.get("msgstr", "").replace("\r\n", "\n")


def _history(language: str, domain: str, wanted: str) -> list[dict[str, Any]]:
    rows = []
    for row in _accounts().history(language, domain, wanted, limit=50):
        rows.append({"row": row, "when": _format_moment(row), "old": _as_forms(row.old), "new": _as_forms(row.new)})
    return rows


def _as_forms(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [value[key] for key in sorted(value, key=int)]
    return [value]


def _render_entry(language: str, domain: str, wanted: str, status: int = 200, proposed: Translation | None = None,
                  base: Translation | None = None, fuzzy: bool = False,
                  results: list[checks.CheckResult] | None = None, conflict: polib.POEntry | None = None) -> Any:
    parsed, rows = _rows(language, domain)
    index = next((i for i, row in enumerate(rows) if row.id == wanted), None)
    if index is None:
        raise EntryNotFound(wanted)
    row = rows[index]
    entry = row.entry
    nplurals, expression = checks.catalog_plural_forms(parsed)
    labels = plural_labels(language, nplurals, expression) if entry.msgid_plural else []
    current = translation_of(entry)
    shown = current if proposed is None else proposed
    if isinstance(shown, dict):
        fields = [{"name": f"msgstr_{label.index}", "label": label, "value": shown.get(label.index, "")}
                  for label in labels]
    else:
        fields = [{"name": "msgstr", "label": None, "value": shown}]
    arguments = _list_arguments()
    state, query = arguments.get("state", "all"), arguments.get("q", "")
    following = _next_row(rows, wanted, state, query)
    slug = article_slug(domain)
    diff = word_diff(entry.previous_msgid, entry.msgid) if entry.fuzzy and entry.previous_msgid else None
    base_value = current if base is None else base
    return render_template(
        "translate/entry.html", language=language, domain=domain, row=row, entry=entry, fields=fields,
        base=json.dumps({str(k): v for k, v in base_value.items()} if isinstance(base_value, dict) else base_value,
                        ensure_ascii=False),
        fuzzy=fuzzy, results=row.checks if results is None else results,
        rejected=status == 422, conflict=conflict,
        conflict_value=_as_forms(translation_of(conflict)) if conflict is not None else None,
        previous=rows[max(0, index - NEIGHBOURS): index], following_rows=rows[index + 1: index + 1 + NEIGHBOURS],
        next_row=following, arguments=arguments, slug=slug, diff=diff, history=_history(language, domain, wanted),
        source_language=_source_language(parsed, domain), position=index + 1, count=len(rows),
        plural_forms=parsed.metadata.get("Plural-Forms", ""),
        draft_checks=url_for("translate.draft_checks", language=language, domain=domain, wanted=wanted),
        flashed=_flashed(), saved_id=request.args.get("saved"), current_id=row.id,
        suggestions=memory_suggestions(language, domain, entry),
        glossary_terms=services().glossary_of(language).terms_in(f"{entry.msgid}\n{entry.msgid_plural or ''}"),
    ), status


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


@bp.get("/<language>/<path:domain>/entries/<wanted>")
@require_role()
@_catalog_errors
def entry(language: str, domain: str, wanted: str) -> Any:
    """Show the edit form of one entry with its context, checks and history."""
    return _render_entry(language, domain, wanted)


@bp.post("/<language>/<path:domain>/entries/<wanted>")
@require_role()
@_catalog_errors
def save(language: str, domain: str, wanted: str) -> Any:
    """Save the form: a translation, "still correct" (clear fuzzy) or a revert from the history."""
    user = current_user()
    assert user is not None
    store = _store()
    parsed = store.catalog(language, domain)
    found = find_entry(parsed, wanted)
    if found is None:
        raise EntryNotFound(wanted)
    nplurals, _expression = checks.catalog_plural_forms(parsed)
    plural = bool(found.msgid_plural)
    action = request.form.get("action", "save")
    try:
        base = _parse_base(request.form.get("base"), plural)
        fuzzy = request.form.get("fuzzy") == "on"
        kind = "save"
        if action == "still-correct":
            new, fuzzy = base, False
        elif action.startswith("revert-"):
            new, fuzzy, kind = _reverted(language, domain, wanted, action), False, "revert"
        else:
            new = _submitted(found, nplurals)
    except InvalidTranslation as error:
        return error_response(400, translate_message(error.args[0]))
    try:
        result = store.save_entry(language, domain, wanted, new, base, user.name, fuzzy, action=kind)
    except CatalogConflict as conflict:
        return _render_entry(language, domain, wanted, 409, proposed=new, base=translation_of(conflict.current),
                             fuzzy=fuzzy, conflict=conflict.current)
    except CheckFailed as failed:
        return _render_entry(language, domain, wanted, 422, proposed=new, base=base, fuzzy=fuzzy,
                             results=failed.results)
    except InvalidTranslation as error:
        return error_response(400, translate_message(error.args[0]))
    flash(_("Saved.") if result.change else _("Nothing changed."), "saved")
    for check in result.checks:
        flash(json.dumps({**check.as_json(), "message": translate_message(check.message)}), "check")
    arguments = _list_arguments()
    if action == "save-next":
        _catalog, rows = _rows(language, domain)
        following = _next_row(rows, wanted, arguments.get("state", "all"), arguments.get("q", ""))
        if following is None:
            flash(_("That was the last entry of this list."), "saved")
            return redirect(url_for("translate.catalog", language=language, domain=domain, saved=wanted, **arguments))
        return redirect(url_for("translate.entry", language=language, domain=domain, wanted=following.id,
                                saved=wanted, **arguments))
    return redirect(url_for("translate.entry", language=language, domain=domain, wanted=wanted, **arguments))


@bp.post("/<language>/<path:domain>/entries/<wanted>/checks")
@require_role()
@_catalog_errors
def draft_checks(language: str, domain: str, wanted: str) -> Any:
    """Run the checks on the edit form's draft without saving it; answer the entry page's list of results."""
    parsed = _store().catalog(language, domain)
    found = find_entry(parsed, wanted)
    if found is None:
        raise EntryNotFound(wanted)
    plural_forms = checks.catalog_plural_forms(parsed)
    draft = _submitted(found, plural_forms[0])
    forms = [draft[index] for index in sorted(draft)] if isinstance(draft, dict) else draft
    results = checks.check_entry(found, language, plural_forms, forms, services().glossary_of(language))
    return render_template("translate/_check_list.html", results=results)


def _reverted(language: str, domain: str, wanted: str, action: str) -> Translation:
    """Return the version a history button restores: the text before a change, or a kept-aside upload."""
    number = action.removeprefix("revert-")
    row = _accounts().history_row(int(number)) if re.fullmatch(r"[0-9]{1,18}", number) else None
    if row is None or (row.language, row.domain, row.entry_id) != (language, domain, wanted):
        raise InvalidTranslation(_("This entry has no such change in its history."))
    value = row.new if row.action == "conflict" else row.old
    if isinstance(value, dict):
        return {int(key): text for key, text in value.items()}
    return value


@bp.post("/<language>/<path:domain>/upload")
@require_role()
@_catalog_errors
def upload(language: str, domain: str) -> Any:
    """Merge an uploaded PO file and show what happened to each entry."""
    user = current_user()
    assert user is not None
    store = _store()
    store.catalog(language, domain)
    file = request.files.get("file")
    data = file.stream.read(8 * 1024 * 1024 + 1) if file is not None else b""
    if not data.strip():
        return render_template("translate/upload.html", language=language, domain=domain, report=None,
                               error=_("Choose a PO file to upload.")), 400
    if len(data) > 8 * 1024 * 1024:
        return render_template("translate/upload.html", language=language, domain=domain, report=None,
                               error=_("The file is too large.")), 400
    try:
        report = store.upload(language, domain, data, user.name)
    except CatalogError as error:
        message = _("The file is broken at line %(line)d: %(problem)s. Nothing was changed.",
                    line=error.line, problem=error.message)
        return render_template("translate/upload.html", language=language, domain=domain, report=None,
                               error=message), 400
    return render_template("translate/upload.html", language=language, domain=domain, report=report, error=None)
