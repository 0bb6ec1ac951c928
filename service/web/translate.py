"""The web editor for translators at ``/translate/``: catalogs, entry lists, the edit form.

Every page works without JavaScript; ``static/translate.js`` adds keyboard saving
(Ctrl/⌘+Enter: save and go to the next entry of the list) and checks as you type
(the list of results comes from :func:`draft_checks`, in the interface language).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, cast

import polib
from flask import Blueprint, current_app, flash, get_flashed_messages, redirect, render_template, request, url_for

from .entry_page import as_forms, catalog_title, entry_history, history_draft, memory_suggestions
from .extension import services
from .security_events import record_event, record_upload
from ..domain import checks
from .auth import current_user, require_role
from ..domain.catalog_list import (
    STATE_FILTERS, TRANSLATOR_DEFAULT_FILTER, CatalogSummary, SummaryCache, count_states, select,
)
from ..storage.catalogs import CatalogNotFound, CatalogStore
from ..domain.editing import (
    CatalogConflict, CheckFailed, EntryNotFound, InvalidTranslation, Translation, check_draft, entry_id_of, find_entry,
    reverted_translation, save_entry, translation_from_fields, translation_from_json, translation_of,
)
from ..domain.uploads import upload_po
from ..domain.diffs import word_diff
from .errors import status_code
from .i18n import gettext as _, translate_message
from ..domain.names import UI_SOURCE_LANGUAGE, CatalogKey, article_slug
from .paging import clamped_page, page_count
from ..domain.names import SOURCE_LANGUAGE_HEADER
from ..domain.plurals import plural_labels
from ..domain.po_format import CatalogError
from ..domain.counting import message_state, messages
from ..domain.text_search import mentions

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




@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"level_name": level_name, "check_name": check_name}


def level_name(level: str) -> str:
    """Return the display name of a check result's level."""
    names: dict[str, str] = {checks.Level.ERROR: _("error"), checks.Level.WARNING: _("warning")}
    return names.get(level, level)


def check_name(check: str) -> str:
    """Return the display name of a quality check."""
    declared = checks.CHECKS_BY_ID.get(check)
    return _(declared.name) if declared else check


def _rows(language: str, domain: str, checked: bool = True) -> tuple[polib.POFile, list[Row]]:
    """Return the catalog and its entries as rows; with ``checked`` off, the rows carry no check results
    (checking a whole catalog again after each save is what a page about one entry need not pay)."""
    store = _store()
    catalog = store.catalog(language, domain)
    results = store.entry_checks(language, domain) if checked else {}
    rows = []
    for entry in messages(catalog):
        key = entry_id_of(entry.msgctxt, entry.msgid)
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
        return any(mentions(text, query) for text in texts)
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


def listed_catalogs(languages: list[str]) -> list[CatalogSummary]:
    """Return the summary of every catalog of ``languages``, most urgent first, from the store's figures."""
    if not languages:
        return []
    store = _store()
    cache: SummaryCache = current_app.extensions.setdefault("catalog_summaries", SummaryCache())
    return cache.summaries(languages, services().figures.figures(languages), services().sources.articles(),
                           store.exists)


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
    """List the catalogs of the user's languages, most urgent first, filtered by language, state and text.

    A translator lands on what needs them now: without a ``state``, the stale and incomplete catalogs.
    """
    user = current_user()
    assert user is not None
    languages = [language for language in _store().languages if user.can_edit(language)]
    language = request.args.get("language", "")
    default = TRANSLATOR_DEFAULT_FILTER if user.role == "translator" else "all"
    state = request.args.get("state", default)
    state = state if state in STATE_FILTERS else "all"
    query = request.args.get("q", "")[:MAX_QUERY].strip()
    in_languages = select(listed_catalogs(languages), [language] if language in languages else None)
    selected = select(in_languages, state=state, query=query)
    pages = page_count(len(selected), CATALOG_PAGE_SIZE)
    page = clamped_page(pages)
    shown = selected[(page - 1) * CATALOG_PAGE_SIZE: page * CATALOG_PAGE_SIZE]
    arguments = {key: value for key, value in
                 {"language": language if language in languages else "", "state": state if state != default else "",
                  "q": query}.items() if value}
    return render_template(
        "translate/index.html", rows=shown, checks={(row.language, row.domain): _check_counts(row) for row in shown},
        languages=languages, language=arguments.get("language", ""), state=state, query=query,
        counts=count_states(in_languages, query), filters=STATE_FILTERS, total=len(selected), page=page,
        pages=pages, arguments=arguments, default_state=default,
    )


@bp.get("/<language>/<path:domain>")
@require_role()
def catalog(language: str, domain: str) -> Any:
    """List a catalog's entries, filtered by state and text, a page at a time."""
    parsed, rows = _rows(language, domain)
    arguments = _list_arguments()
    state, query = arguments.get("state", "all"), arguments.get("q", "")
    selected = [row for row in rows if _matches(row, state, query)]
    pages = page_count(len(selected), PAGE_SIZE)
    page = clamped_page(pages)
    shown = selected[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    counts = {name: sum(1 for row in rows if _matches(row, name, "")) for name in FILTERS}
    slug = article_slug(domain)
    return render_template(
        "translate/catalog.html", language=language, domain=domain, catalog_title=catalog_title(domain), rows=shown,
        state=state, query=query,
        page=page, pages=pages, total=len(selected), counts=counts, filters=FILTERS, arguments=arguments,
        summary=_store().summary(language, domain), slug=slug,
        source_language=_source_language(parsed, domain), flashed=_flashed(), saved_id=request.args.get("saved"),
        current_id=None,
    )


def _flashed() -> list[tuple[str, Any]]:
    """Return the notices of the last save: ``("saved", text)`` and ``("check", result)`` pairs."""
    flashed = cast(list[tuple[str, str]], get_flashed_messages(with_categories=True))
    return [(category, json.loads(message) if category == "check" else message) for category, message in flashed]


def _next_row(rows: list[Row], current: str, state: str, query: str) -> Row | None:
    """Return the entry after ``current`` in the filtered list (wrapping around), if any other matches."""
    index = next((i for i, row in enumerate(rows) if row.id == current), -1)
    ordered = rows[index + 1:] + rows[: index + 1]
    return next((row for row in ordered if row.id != current and _matches(row, state, query)), None)


def _parse_base(raw: str | None, plural: bool) -> Translation:
    """Read the form's ``base`` (the JSON of the value the edit started from)."""
    try:
        return translation_from_json(json.loads(raw or ""), "base", plural, allow_empty=True)
    except (ValueError, RecursionError):  # InvalidTranslation is a ValueError too
        raise InvalidTranslation(_("The form lost the text it started from. Reload the entry.")) from None


def _submitted(entry: polib.POEntry, nplurals: int) -> Translation:
    return translation_from_fields(request.form, bool(entry.msgid_plural), nplurals)


def _render_entry(language: str, domain: str, entry_id: str, status: int = 200, proposed: Translation | None = None,
                  base: Translation | None = None, fuzzy: bool = False,
                  results: list[checks.CheckResult] | None = None, conflict: polib.POEntry | None = None) -> Any:
    arguments = _list_arguments()
    state, query = arguments.get("state", "all"), arguments.get("q", "")
    parsed, rows = _rows(language, domain, checked=state == "failing")
    index = next((i for i, row in enumerate(rows) if row.id == entry_id), None)
    if index is None:
        raise EntryNotFound(entry_id)
    row = rows[index]
    entry = row.entry
    if results is None:
        results = row.checks if state == "failing" else _store().checks_of_entry(language, domain, entry)
    nplurals, expression = checks.catalog_plural_forms(parsed)
    labels = plural_labels(language, nplurals, expression) if entry.msgid_plural else []
    current = translation_of(entry)
    shown = current if proposed is None else proposed
    if isinstance(shown, dict):
        fields = [{"name": f"msgstr_{label.index}", "label": label, "value": shown.get(label.index, "")}
                  for label in labels]
    else:
        fields = [{"name": "msgstr", "label": None, "value": shown}]
    following = _next_row(rows, entry_id, state, query)
    slug = article_slug(domain)
    diff = word_diff(entry.previous_msgid, entry.msgid) if entry.fuzzy and entry.previous_msgid else None
    base_value = current if base is None else base
    return render_template(
        "translate/entry.html", language=language, domain=domain, catalog_title=catalog_title(domain), row=row,
        entry=entry, fields=fields,
        base=json.dumps({str(k): v for k, v in base_value.items()} if isinstance(base_value, dict) else base_value,
                        ensure_ascii=False),
        fuzzy=fuzzy, results=results,
        rejected=status == 422, conflict=conflict,
        conflict_value=as_forms(translation_of(conflict)) if conflict is not None else None,
        previous=rows[max(0, index - NEIGHBOURS): index], following_rows=rows[index + 1: index + 1 + NEIGHBOURS],
        next_row=following, arguments=arguments, slug=slug, diff=diff, history=entry_history(language, domain, entry_id),
        source_language=_source_language(parsed, domain), position=index + 1, count=len(rows),
        plural_forms=parsed.metadata.get("Plural-Forms", ""),
        draft_checks=url_for("translate.draft_checks", language=language, domain=domain, entry_id=entry_id),
        flashed=_flashed(), saved_id=request.args.get("saved"), current_id=row.id,
        suggestions=memory_suggestions(language, domain, entry),
        glossary_terms=services().glossary_of(language).terms_in(f"{entry.msgid}\n{entry.msgid_plural or ''}"),
    ), status


@bp.get("/<language>/<path:domain>/entries/<entry_id>")
@require_role()
def entry(language: str, domain: str, entry_id: str) -> Any:
    """Show the edit form of one entry (``?draft=<history id>``: filled with a version kept in its history)."""
    draft = request.args.get("draft", "")
    if not draft:
        return _render_entry(language, domain, entry_id)
    parsed = _store().catalog(language, domain)
    found = find_entry(parsed, entry_id)
    if found is None:
        raise EntryNotFound(entry_id)
    proposed = history_draft(language, domain, entry_id, draft, bool(found.msgid_plural),
                             checks.catalog_plural_forms(parsed)[0])
    return _render_entry(language, domain, entry_id, proposed=proposed)


@bp.post("/<language>/<path:domain>/entries/<entry_id>")
@require_role()
def save(language: str, domain: str, entry_id: str) -> Any:
    """Save the form: a translation, "still correct" (clear fuzzy) or a revert from the history."""
    user = current_user()
    assert user is not None
    store = _store()
    parsed = store.catalog(language, domain)
    found = find_entry(parsed, entry_id)
    if found is None:
        raise EntryNotFound(entry_id)
    nplurals, _expression = checks.catalog_plural_forms(parsed)
    plural = bool(found.msgid_plural)
    action = request.form.get("action", "save")
    key = CatalogKey(language, domain)
    history = services().history
    base = _parse_base(request.form.get("base"), plural)
    fuzzy = request.form.get("fuzzy") == "on"
    numbers_checked = request.form.get("numbers_checked") == "on"
    kind = "save"
    if action == "still-correct":
        new, fuzzy = base, False
    elif action.startswith("revert-"):
        new, fuzzy, kind = reverted_translation(history, key, entry_id, _history_row_id(action)), False, "revert"
    else:
        new = _submitted(found, nplurals)
    try:
        result = save_entry(store, history, key, entry_id, new, base, user.name, fuzzy, kind,
                            glossary=services().glossary_of(language), numbers_checked=numbers_checked)
    except CatalogConflict as conflict:
        return _render_entry(language, domain, entry_id, status_code(conflict), proposed=new, base=translation_of(conflict.current),
                             fuzzy=fuzzy, conflict=conflict.current)
    except CheckFailed as failed:
        return _render_entry(language, domain, entry_id, status_code(failed), proposed=new, base=base, fuzzy=fuzzy,
                             results=failed.results)
    record_event("save", user.name, language=language, domain=domain, entry=entry_id, changed=bool(result.change),
                 action=kind)
    flash(_("Saved.") if result.change else _("Nothing changed."), "saved")
    for check in result.checks:
        flash(json.dumps({**check.as_json(), "message": translate_message(check.message)}), "check")
    arguments = _list_arguments()
    if action == "save-next":
        state = arguments.get("state", "all")
        _catalog, rows = _rows(language, domain, checked=state == "failing")
        following = _next_row(rows, entry_id, state, arguments.get("q", ""))
        if following is None:
            flash(_("That was the last entry of this list."), "saved")
            return redirect(url_for("translate.catalog", language=language, domain=domain, saved=entry_id, **arguments))
        return redirect(url_for("translate.entry", language=language, domain=domain, entry_id=following.id,
                                saved=entry_id, **arguments))
    return redirect(url_for("translate.entry", language=language, domain=domain, entry_id=entry_id, **arguments))


@bp.post("/<language>/<path:domain>/entries/<entry_id>/checks")
@require_role()
def draft_checks(language: str, domain: str, entry_id: str) -> Any:
    """Run the checks on the edit form's draft without saving it; answer the entry page's list of results."""
    parsed = _store().catalog(language, domain)
    found = find_entry(parsed, entry_id)
    if found is None:
        raise EntryNotFound(entry_id)
    draft = _submitted(found, checks.catalog_plural_forms(parsed)[0])
    return render_template("translate/_check_list.html", results=check_draft(parsed, found, language, draft,
                                                                                 services().glossary_of(language),
                                                                                 domain))


def _history_row_id(action: str) -> int:
    """Return the history row a ``revert-<id>`` button names (0, which names none, for anything else)."""
    number = action.removeprefix("revert-")
    return int(number) if re.fullmatch(r"[0-9]{1,18}", number) else 0


@bp.post("/<language>/<path:domain>/upload")
@require_role()
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
        report = upload_po(store, services().snapshots, services().history, CatalogKey(language, domain), data,
                           user.name, glossary=services().glossary_of(language))
    except CatalogError as error:
        message = _("The file is broken at line %(line)d: %(problem)s. Nothing was changed.",
                    line=error.line, problem=error.message)
        return render_template("translate/upload.html", language=language, domain=domain, report=None,
                               error=message), 400
    record_upload(user.name, language, domain, report)
    return render_template("translate/upload.html", language=language, domain=domain, report=report, error=None)
