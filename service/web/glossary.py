"""The glossary pages of the workspace: ``/translate/glossary/<language>``.

Translators of the language read the terms; editors and admins add, change and remove them
(CSRF-protected forms) and upload CSV or TBX files. Everyone who may read downloads them.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, get_flashed_messages, redirect, render_template, request, url_for

from ..domain.glossary import GlossaryError, clean_term, glossary_source_language
from ..domain.glossary_files import GlossaryFileError, format_csv, format_tbx, parse_csv, parse_tbx
from .auth import current_user, require_role
from .errors import error_response
from .extension import services
from .i18n import gettext as _
from ..storage.glossary import TermNotFound

bp = Blueprint("glossary", __name__, url_prefix="/translate/glossary")
#: The largest glossary file an upload may send.
MAX_UPLOAD_BYTES = 4 * 1024 * 1024
WRITERS = ("editor", "admin")


def _known(language: str) -> Any:
    if language not in services().languages:
        return error_response(404, _("There is no such language."))
    return None


def _page(language: str, status: int = 200, error: str | None = None) -> Any:
    user = current_user()
    assert user is not None
    terms = services().glossaries.terms(language)
    return render_template(
        "translate/glossary.html", language=language, terms=terms, can_write=user.role in WRITERS, error=error,
        notices=get_flashed_messages(category_filter=["glossary"]),
        source_language=glossary_source_language(language, services().languages),
    ), status


@bp.get("/<language>")
@require_role()
def page(language: str) -> Any:
    """Show a language's glossary: read for its translators, editable for editors and admins."""
    return _known(language) or _page(language)


def _form_fields() -> tuple[str, str, str, str]:
    return (request.form.get("term", ""), request.form.get("translation", ""), request.form.get("note", ""),
            request.form.get("forbidden", ""))


@bp.post("/<language>/terms")
@require_role(*WRITERS)
def add(language: str) -> Any:
    """Add a term from the form."""
    if (refused := _known(language)) is not None:
        return refused
    try:
        term = services().glossaries.add(language, *_form_fields())
    except GlossaryError as error:
        return _page(language, 400, _("Not added: %(problem)s", problem=str(error)))
    flash(_("Added “%(term)s”.", term=term.term), "glossary")
    return redirect(url_for("glossary.page", language=language))


@bp.post("/<language>/terms/<int:term_id>")
@require_role(*WRITERS)
def change(language: str, term_id: int) -> Any:
    """Change (``action=save``) or remove (``action=remove``) a term from its row's form."""
    if (refused := _known(language)) is not None:
        return refused
    glossaries = services().glossaries
    try:
        if request.form.get("action") == "remove":
            term = glossaries.term(language, term_id)
            glossaries.remove(language, term_id)
            flash(_("Removed “%(term)s”.", term=term.term), "glossary")
        else:
            term = glossaries.change(language, term_id, *_form_fields())
            flash(_("Saved “%(term)s”.", term=term.term), "glossary")
    except TermNotFound:
        return error_response(404, _("There is no such term in this glossary."))
    except GlossaryError as error:
        return _page(language, 400, _("Not saved: %(problem)s", problem=str(error)))
    return redirect(url_for("glossary.page", language=language))


@bp.get("/<language>/glossary.<kind>")
@require_role()
def download(language: str, kind: str) -> Any:
    """Download the glossary as CSV or TBX."""
    if (refused := _known(language)) is not None:
        return refused
    terms = services().glossaries.terms(language)
    if kind == "csv":
        data, mimetype = format_csv(terms).encode("utf-8"), "text/csv"
    elif kind == "tbx":
        source = glossary_source_language(language, services().languages)
        data, mimetype = format_tbx(terms, source, language), "application/x-tbx+xml"
    else:
        return error_response(404, _("Glossaries download as .csv or .tbx."))
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="glossary-{language}.{kind}"'})


@bp.post("/<language>/upload")
@require_role(*WRITERS)
def upload(language: str) -> Any:
    """Add or update terms from an uploaded CSV or TBX file; a file with any bad term changes nothing."""
    if (refused := _known(language)) is not None:
        return refused
    file = request.files.get("file")
    data = file.stream.read(MAX_UPLOAD_BYTES + 1) if file is not None else b""
    if not data.strip():
        return _page(language, 400, _("Choose a CSV or TBX file to upload."))
    if len(data) > MAX_UPLOAD_BYTES:
        return _page(language, 400, _("The file is too large."))
    name = (file.filename or "").lower() if file is not None else ""
    try:
        read = parse_tbx(data, language) if name.endswith(".tbx") or data.lstrip().startswith(b"<") \
            else parse_csv(data)
        for line, *fields in read:
            try:
                clean_term(*fields)
            except GlossaryError as error:
                raise GlossaryFileError(line, str(error)) from None
    except GlossaryFileError as error:
        return _page(language, 400, _("The file has a problem at line %(line)d: %(problem)s. Nothing was changed.",
                                      line=error.line, problem=error.message))
    added, changed = services().glossaries.merge(language, [(term, translation, note, forbidden) for _line, term, translation, note, forbidden in read])
    flash(_("Terms imported: %(added)d added, %(changed)d changed.", added=added, changed=changed), "glossary")
    return redirect(url_for("glossary.page", language=language))
