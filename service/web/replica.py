"""A reader replica (``READERS_ONLY``): the editing routes answered with a pointer to the editing host.

Many reader hosts can serve copies of ``content/`` and ``locales/`` while one host takes
every edit. A replica registers the reader's routes, ``/healthz`` and the static files,
and nothing that writes: no login, no accounts database, no secret key file, no
remembered statistics. A request for the workspace, the dashboard, the API or the login
is sent to ``EDITING_HOST`` (``307``, so a ``PUT`` stays a ``PUT``), or, without that
setting, answered ``404`` with a message that names it. A cache in front normally routes
those paths to the editing host itself (``deploy/nginx/l10n.conf``); this is the answer
when a request reaches a replica anyway.
"""
from __future__ import annotations

import secrets

from flask import Flask, current_app, jsonify, redirect, request
from markupsafe import escape
from werkzeug.wrappers import Response

#: The paths that belong to the editing host: workspace, dashboard, API, sign-in.
EDITING_PREFIXES = ("/translate", "/editor", "/admin", "/account", "/api", "/login", "/logout")


def editing_path(path: str) -> bool:
    """Tell whether ``path`` is one of the editing host's (``/api/…``, ``/login``, …)."""
    return any(path == prefix or path.startswith(prefix + "/") for prefix in EDITING_PREFIXES)


def ephemeral_secret_key() -> str:
    """A key for this process only, never written: a replica signs nothing that outlives it.

    Readers have no session; a configured ``SECRET_KEY`` is used instead when there is one.
    """
    return secrets.token_hex(32)


def _pointer() -> Response | None:
    if not editing_path(request.path):
        return None
    editing_host = current_app.config.get("EDITING_HOST")
    if editing_host:
        target = editing_host + request.full_path.rstrip("?")
        response = redirect(target, 307)
    else:
        message = ("This is a reader replica (READERS_ONLY): translation, the editor's dashboard, the API "
                   "and sign-in are on the editing host. Set EDITING_HOST to its URL to send requests there.")
        if request.path.startswith("/api/") or request.path == "/api":
            response = jsonify(error=message, editing_host=None)
        else:
            response = current_app.make_response(
                f"<!doctype html><title>Editing host</title><p>{escape(message)}</p>")
        response.status_code = 404
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Answer the editing host's paths on a replica with a pointer to it, before any view runs."""
    app.before_request(_pointer)
