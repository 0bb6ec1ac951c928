"""The translators' JSON API: catalogs, entries, saves, PO download and upload.

Authenticated by ``Authorization: Bearer <token>`` or the web session (with its CSRF
token). Refusals come in a fixed order: 401 (who?), 403 (not your language), 404, 400
(malformed body), 409 (the entry changed since ``base``), 422 (a check failed).
"""
from __future__ import annotations

from typing import Any

import polib
from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..domain.catalog_list import STATE_FILTERS, select
from ..domain.editing import (
    EntryNotFound,
    Translation,
    check_draft,
    entry_id_of,
    find_entry,
    save_entry,
    translation_from_json,
)
from ..domain.names import CatalogKey
from ..domain.uploads import upload_po
from ..storage.catalogs import CatalogStore
from ..storage.glossary import TermNotFound
from ..storage.layout import UnknownLanguage
from .api_json import entry_json, history_json
from .auth import current_user, require_role
from .errors import BadRequest, json_error
from .extension import services
from .openapi import openapi_document
from .security_events import record_event, record_upload
from .translate import MAX_QUERY, listed_catalogs

bp = Blueprint("api", __name__, url_prefix="/api")
#: The largest PO file an upload may send.
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
_SAVE_KEYS = {"msgstr", "msgstr_plural", "fuzzy", "base", "numbers_checked"}


def _store() -> CatalogStore:
    return services().catalogs




def _json_body() -> Any:
    """Return the request's JSON body, ``None`` if it is not JSON or nests too deep to read."""
    try:
        return request.get_json(silent=True)
    except RecursionError:  # not a ValueError, so get_json(silent=True) lets it through
        return None


def parse_numbers_checked(body: dict[str, Any]) -> bool | None:
    """Return a PUT body's ``numbers_checked`` (``None`` when absent); raise :class:`BadRequest` when malformed."""
    checked = body.get("numbers_checked")
    if checked is not None and not isinstance(checked, bool):
        raise BadRequest("numbers_checked must be true or false")
    return checked


def parse_save(body: Any, plural: bool) -> tuple[Translation, Translation, bool]:
    """Return ``(new, base, fuzzy)`` from a PUT body; raise :class:`BadRequest` when malformed."""
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    unknown = set(body) - _SAVE_KEYS
    if unknown:
        raise BadRequest(f"unknown field(s): {', '.join(sorted(unknown))}")
    key, other = ("msgstr_plural", "msgstr") if plural else ("msgstr", "msgstr_plural")
    if other in body:
        raise BadRequest(f"this entry {'has' if plural else 'has no'} plural forms: send {key}, not {other}")
    if key not in body:
        raise BadRequest(f"{key} is missing")
    if "base" not in body:
        raise BadRequest("base is missing: send the value your edit started from")
    fuzzy = body.get("fuzzy", False)
    if not isinstance(fuzzy, bool):
        raise BadRequest("fuzzy must be true or false")
    return (translation_from_json(body[key], key, plural),
            translation_from_json(body["base"], "base", plural, allow_empty=True), fuzzy)


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.get("/openapi.json")
def openapi() -> Response:
    """Describe this API (OpenAPI 3.1)."""
    return jsonify(openapi_document(current_app.config["LANGUAGES"]))


@bp.get("/catalogs")
@require_role()
def catalogs() -> Response:
    """List every catalog of the user's languages with its counts, most urgent first.

    Optional filters: ``language`` (repeatable), ``state`` (one of :data:`STATE_FILTERS`) and
    ``q`` (text in the article's slug or title).
    """
    user = current_user()
    assert user is not None
    mine = [language for language in _store().languages if user.can_edit(language)]
    entry_id = [value for value in request.args.getlist("language") if value]
    for language in entry_id:
        if language not in _store().languages:
            raise BadRequest(f"unknown language {language!r}")
        if language not in mine:
            return json_error(403, f"you may not edit {language!r}")
    state = request.args.get("state", "all")
    if state not in STATE_FILTERS:
        raise BadRequest(f"state must be one of: {', '.join(STATE_FILTERS)}")
    query = request.args.get("q", "")[:MAX_QUERY].strip()
    selected = select(listed_catalogs(mine), entry_id or None, state, query)
    return jsonify(catalogs=[row.as_json() for row in selected])


@bp.get("/catalogs/<language>/<path:domain>")
@require_role()
def catalog(language: str, domain: str) -> Response:
    """Return a catalog's entries with their check results."""
    store = _store()
    parsed = store.catalog(language, domain)
    results = store.entry_checks(language, domain)
    entries = [entry_json(entry, results.get(entry_id_of(entry.msgctxt, entry.msgid)))
               for entry in parsed if not entry.obsolete and (entry.msgid or entry.msgctxt)]
    return jsonify(language=language, domain=domain, plural_forms=parsed.metadata.get("Plural-Forms"),
                   entries=entries)


def _find(language: str, domain: str, entry_id: str) -> polib.POEntry:
    found = find_entry(_store().catalog(language, domain), entry_id)
    if found is None:
        raise EntryNotFound(f"no entry {entry_id!r} in {language}/{domain}")
    return found


@bp.get("/catalogs/<language>/<path:domain>/entries/<entry_id>")
@require_role()
def entry(language: str, domain: str, entry_id: str) -> Response:
    """Return one entry with its check results."""
    found = _find(language, domain, entry_id)
    return jsonify(entry_json(found, _store().checks_of_entry(language, domain, found)))


@bp.get("/catalogs/<language>/<path:domain>/entries/<entry_id>/suggestions")
@require_role()
def entry_suggestions(language: str, domain: str, entry_id: str) -> Response:
    """Return translation memory suggestions for an entry's source: exact first, then fuzzy (≥ 70), best first."""
    found = _find(language, domain, entry_id)
    found_suggestions = services().memory.suggest(language, domain, found.msgctxt, found.msgid)
    return jsonify(suggestions=[suggestion.as_json() for suggestion in found_suggestions])


@bp.get("/catalogs/<language>/<path:domain>/entries/<entry_id>/history")
@require_role()
def entry_history(language: str, domain: str, entry_id: str) -> Response:
    """Return the recorded changes of one entry, newest first."""
    _find(language, domain, entry_id)
    rows = services().history.rows(language, domain, entry_id)
    return jsonify(history=[history_json(row) for row in rows])


@bp.put("/catalogs/<language>/<path:domain>/entries/<entry_id>")
@require_role()
def save(language: str, domain: str, entry_id: str) -> Response:
    """Save one entry's translation if it still equals ``base``."""
    found = _find(language, domain, entry_id)
    body = _json_body()
    new, base, fuzzy = parse_save(body, bool(found.msgid_plural))
    numbers_checked = parse_numbers_checked(body)
    user = current_user()
    assert user is not None
    result = save_entry(_store(), services().history, CatalogKey(language, domain), entry_id, new, base, user.name, fuzzy,
                        glossary=services().glossary_of(language), numbers_checked=numbers_checked)
    record_event("save", user.name, language=language, domain=domain, entry=entry_id, changed=bool(result.change))
    return jsonify(entry_json(result.entry, result.checks))


@bp.post("/catalogs/<language>/<path:domain>/entries/<entry_id>/checks")
@require_role()
def try_checks(language: str, domain: str, entry_id: str) -> Response:
    """Run the checks on a proposed translation without saving it."""
    found = _find(language, domain, entry_id)
    body = _json_body()
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    key = "msgstr_plural" if found.msgid_plural else "msgstr"
    if key not in body:
        raise BadRequest(f"{key} is missing")
    proposed = translation_from_json(body[key], key, bool(found.msgid_plural))
    drafted = check_draft(_store().catalog(language, domain), found, language, proposed,
                          services().glossary_of(language), domain)
    return jsonify(checks=[result.as_json() for result in drafted])


@bp.get("/catalogs/<language>/<path:domain>/po")
@require_role()
def download(language: str, domain: str) -> Response:
    """Download the catalog as a PO file (its ``X-Base-Revision`` lets an upload merge safely)."""
    data = services().snapshots.download(CatalogKey(language, domain))
    name = domain.replace("/", "-") + f".{language}.po"
    return Response(data, mimetype="text/x-gettext-translation",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _uploaded_bytes() -> bytes:
    too_large = RequestEntityTooLarge(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    if request.content_length is not None and request.content_length > MAX_UPLOAD_BYTES:
        raise too_large
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise BadRequest("send the PO file in the form field 'file'")
        data = upload.stream.read(MAX_UPLOAD_BYTES + 1)
    else:
        data = request.stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_large
    if not data.strip():
        raise BadRequest("the file is empty")
    return data


@bp.put("/catalogs/<language>/<path:domain>/po")
@require_role()
def upload(language: str, domain: str) -> Response:
    """Merge an uploaded PO file entry by entry; conflicts are reported, never overwritten."""
    _store().catalog(language, domain)  # 404 before looking at the body
    data = _uploaded_bytes()
    user = current_user()
    assert user is not None
    report = upload_po(_store(), services().snapshots, services().history, CatalogKey(language, domain), data,
                       user.name, glossary=services().glossary_of(language))
    record_upload(user.name, language, domain, report)
    return jsonify(report.as_dict())


# --- glossary -------------------------------------------------------------------------------

_TERM_KEYS = {"term", "translation", "note", "forbidden"}


def _glossary_language(language: str) -> None:
    if language not in _store().languages:
        raise UnknownLanguage(f"unknown language {language!r}")


def _term_id(text: str) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise TermNotFound(f"no term {text!r}")
    return int(text)


def _term_body() -> dict[str, Any]:
    body = _json_body()
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    unknown = set(body) - _TERM_KEYS
    if unknown:
        raise BadRequest(f"unknown field(s): {', '.join(sorted(unknown))}")
    return {"term": body.get("term"), "translation": body.get("translation"), "note": body.get("note", ""),
            "forbidden": body.get("forbidden", [])}


@bp.get("/glossary/<language>")
@require_role()
def glossary_terms(language: str) -> Response:
    """Return the glossary of ``language``: every term with its translation, note and forbidden variants."""
    _glossary_language(language)
    terms = services().glossaries.terms(language)
    return jsonify(language=language, terms=[term.as_json() for term in terms])


@bp.post("/glossary/<language>")
@require_role("editor", "admin")
def glossary_add(language: str) -> Response | tuple[Response, int]:
    """Add a term (editors and admins); answer 201 with it."""
    _glossary_language(language)
    term = services().glossaries.add(language, **_term_body())
    return jsonify(term.as_json()), 201


@bp.put("/glossary/<language>/<term_id>")
@require_role("editor", "admin")
def glossary_change(language: str, term_id: str) -> Response:
    """Change a term (editors and admins): every field is sent, as POST sends them."""
    _glossary_language(language)
    number = _term_id(term_id)
    services().glossaries.term(language, number)  # 404 before looking at the body
    return jsonify(services().glossaries.change(language, number, **_term_body()).as_json())


@bp.delete("/glossary/<language>/<term_id>")
@require_role("editor", "admin")
def glossary_remove(language: str, term_id: str) -> Response:
    """Remove a term (editors and admins)."""
    _glossary_language(language)
    services().glossaries.remove(language, _term_id(term_id))
    return jsonify(removed=int(term_id))
