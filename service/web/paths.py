"""What a request's path says about it: the JSON API, or a page in the language its prefix names."""
from __future__ import annotations

from flask import current_app, request

#: Every JSON API route lives under this prefix.
API_PREFIX = "/api/"


def is_api_request() -> bool:
    """Tell whether the request is for the JSON API (its path starts with ``/api/``)."""
    return request.path.startswith(API_PREFIX)


def url_language() -> str | None:
    """Return the configured language that the path's first segment names (``/uk/…``), ``None`` if none."""
    prefix = request.path.lstrip("/").split("/", 1)[0]
    return prefix if prefix in current_app.config["LANGUAGES"] else None
