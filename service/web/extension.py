"""Where the app keeps its services: one extension key, one typed accessor for every view."""
from __future__ import annotations

from flask import Flask, current_app

from ..bootstrap import Services

#: The one ``app.extensions`` key of this service.
EXTENSION_KEY = "newsroom_l10n"


def init_app(app: Flask, services: Services) -> None:
    """Keep ``services`` on ``app`` for :func:`services` to find."""
    app.extensions[EXTENSION_KEY] = services


def services(app: Flask | None = None) -> Services:
    """Return the services of ``app``, by default the current app (catalogs, sources, accounts, history)."""
    found: Services = (app or current_app).extensions[EXTENSION_KEY]
    return found
