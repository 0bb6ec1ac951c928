"""What a request's path says about it: the JSON API, or a page in the language its prefix names."""
from __future__ import annotations

import re

from flask import Flask, current_app, request
from werkzeug.routing import BaseConverter

#: Every JSON API route lives under this prefix.
API_PREFIX = "/api/"


def is_api_request() -> bool:
    """Tell whether the request is for the JSON API (its path starts with ``/api/``)."""
    return request.path.startswith(API_PREFIX)


def url_language() -> str | None:
    """Return the configured language that the path's first segment names (``/uk/…``), ``None`` if none."""
    prefix = request.path.lstrip("/").split("/", 1)[0]
    return prefix if prefix in current_app.config["LANGUAGES"] else None


def init_app(app: Flask) -> None:
    """Add the ``language`` URL converter, which matches only the configured languages.

    Any other first path segment (``/favicon.ico``, ``/xx/``) is then a plain 404 rather
    than a redirect to ``/favicon.ico/`` that ends in one. Every blueprint may use it, in
    any order of registration.
    """
    pattern = "|".join(re.escape(language) for language in app.config["LANGUAGES"])
    app.url_map.converters["language"] = type("LanguageConverter", (BaseConverter,), {"regex": pattern})
