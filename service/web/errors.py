"""One edge for errors: every refusal answered as JSON for API clients or as a page in the reader's language.

Requests under ``/api/``, and clients that send ``Authorization`` or prefer JSON, get
``{"error": …}`` (the API's own messages in English, with details such as ``current``
or ``checks``); browsers get the workspace's error page, or the reader's not-found page
for an address that leads nowhere, in the language :func:`.i18n.current_language`
chose. Domain exceptions become status codes here and nowhere else (the spec's order
of refusal: 401, 403, 404, 400, 409, 422).
"""
from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge
from werkzeug.wrappers import Response as BaseResponse

from .api_json import entry_json
from .i18n import gettext as _, translate_message
from .paths import is_api_request
from .reader import not_found_page
from ..domain.po_format import CatalogError
from ..storage.accounts import LoginThrottled
from ..domain.editing import CatalogConflict, CheckFailed, EntryNotFound, InvalidTranslation
from ..domain.glossary import GlossaryError, TermExists
from ..domain.uploads import UPLOAD_NAME
from ..storage.glossary import TermNotFound
from ..storage.layout import CatalogNotFound, UnknownLanguage
from ..storage.po_files import StorageUnavailable
from ..storage.sources import ArticleNotFound


class BadRequest(ValueError):
    """A request that cannot be used as sent (answered with 400)."""


#: The status code of each domain exception; a broken PO file is 400 or 409 (see :func:`status_code`).
STATUS_CODES: dict[type[Exception], int] = {
    CatalogNotFound: 404, EntryNotFound: 404,
    BadRequest: 400, InvalidTranslation: 400,
    CatalogConflict: 409, CheckFailed: 422, LoginThrottled: 429,
    TermNotFound: 404, UnknownLanguage: 404, GlossaryError: 400, TermExists: 409,
    StorageUnavailable: 503,
}


def status_code(error: Exception) -> int:
    """Return the status code that answers ``error``."""
    if isinstance(error, CatalogError):
        # The client's file is malformed (400); a stored catalog broken by hand blocks every change (409).
        return 400 if error.path == UPLOAD_NAME else 409
    return next(STATUS_CODES[kind] for kind in type(error).__mro__ if kind in STATUS_CODES)


def wants_json() -> bool:
    """Tell whether a refusal should be JSON: API paths, token clients (good or bad) and clients preferring JSON."""
    if is_api_request() or request.headers.get("Authorization"):
        return True
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def json_error(status: int, message: str, **details: Any) -> Response:
    """Answer ``status`` with ``{"error": message, **details}``."""
    response = jsonify(error=message, **details)
    response.status_code = status
    return response


def http_error_json(error: HTTPException) -> Response:
    """Answer an HTTP error as ``{"error": …}``, keeping its status and headers (``Allow``, …)."""
    default = error.description == type(error).description
    response = json_error(error.code or 500, error.name.lower() if default or not error.description else error.description)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def error_response(status: int, message: str) -> Response:
    """Answer ``status`` with ``{"error": message}`` for JSON clients or the workspace's error page for browsers."""
    if wants_json():
        response = json_error(status, message)
    else:
        response = current_app.make_response(render_template("auth/error.html", status=status, message=message))
        response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="newsroom"'
    return response


def refuse(error: Exception, message: str, api_message: str | None = None, **details: Any) -> Response:
    """Answer ``error`` with its status: ``api_message`` and ``details`` under ``/api/``, else ``message`` for people."""
    if is_api_request():
        return json_error(status_code(error), message if api_message is None else api_message, **details)
    return error_response(status_code(error), message)


def _http_error(error: HTTPException) -> BaseResponse | HTTPException:
    """Answer HTTP errors in JSON under ``/api/``; a 404 with the reader's page; a 413 in the reader's language."""
    if is_api_request():
        return http_error_json(error)
    if error.code == 404:
        return not_found_page()
    if isinstance(error, RequestEntityTooLarge):
        return error_response(413, _("The file is too large."))
    return error  # as Flask answers it


def _csrf_failed(error: CSRFError) -> Response:
    return error_response(400, _("The form has expired or did not come from this site. Reload the page and try again."))


def _article_not_found(error: ArticleNotFound) -> BaseResponse | HTTPException:
    return _http_error(NotFound())  # an unknown article is an address that leads nowhere


def _catalog_not_found(error: CatalogNotFound) -> Response:
    return refuse(error, _("There is no such catalog."), str(error))


def _unknown_language(error: UnknownLanguage) -> Response:
    return refuse(error, _("There is no such language."), str(error))


def _term_not_found(error: TermNotFound) -> Response:
    return refuse(error, _("There is no such term in this glossary."), str(error))


def _bad_term(error: GlossaryError) -> Response:
    return refuse(error, translate_message(error.args[0]), str(error))


def _entry_not_found(error: EntryNotFound) -> Response:
    return refuse(error, _("There is no such entry in this catalog."), str(error))


def _bad_request(error: BadRequest | InvalidTranslation) -> Response:
    return refuse(error, translate_message(error.args[0]), str(error))


def _broken_catalog(error: CatalogError) -> Response:
    if error.path == UPLOAD_NAME:
        api_message = f"line {error.line}: {error.message}"
    else:
        api_message = f"the stored catalog is broken at line {error.line}: {error.message}"
    return refuse(error, _("The catalog file is broken at line %(line)d: %(problem)s", line=error.line,
                           problem=error.message), api_message, line=error.line)


def _conflict(error: CatalogConflict) -> Response:
    return refuse(error, _("Someone else saved this entry while you were editing it."), str(error),
                  current=entry_json(error.current, None))


def _check_failed(error: CheckFailed) -> Response:
    return refuse(error, _("Not saved: the translation fails a check."), f"the translation fails a check: {error}",
                  checks=[result.as_json() for result in error.results])


def _storage_unavailable(error: StorageUnavailable) -> Response:
    current_app.logger.error("storage unavailable: %s", error)
    response = refuse(error, _("Nothing was saved: the server cannot write its files right now (%(reason)s). "
                               "Try again later.", reason=error.reason), f"nothing was saved: {error}")
    response.headers["Retry-After"] = "60"
    return response


def init_app(app: Flask) -> None:
    """Answer every HTTP error, CSRF failure and domain exception of ``app`` here."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_failed)
    app.register_error_handler(ArticleNotFound, _article_not_found)
    app.register_error_handler(CatalogNotFound, _catalog_not_found)
    app.register_error_handler(EntryNotFound, _entry_not_found)
    app.register_error_handler(UnknownLanguage, _unknown_language)
    app.register_error_handler(TermNotFound, _term_not_found)
    app.register_error_handler(GlossaryError, _bad_term)
    app.register_error_handler(BadRequest, _bad_request)
    app.register_error_handler(InvalidTranslation, _bad_request)
    app.register_error_handler(CatalogError, _broken_catalog)
    app.register_error_handler(CatalogConflict, _conflict)
    app.register_error_handler(CheckFailed, _check_failed)
    app.register_error_handler(StorageUnavailable, _storage_unavailable)
