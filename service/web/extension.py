"""Where the app keeps its services: one extension key, one typed accessor for every view."""
from __future__ import annotations

import threading
from typing import Any, Callable, TypeVar

from flask import Flask, current_app

from ..bootstrap import Services

#: The one ``app.extensions`` key of this service.
EXTENSION_KEY = "newsroom_l10n"
T = TypeVar("T")


class _AppState:
    """The services of one app, and the per-app objects web modules keep (their caches)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.objects: dict[Callable[[], Any], Any] = {}
        self.lock = threading.Lock()


def init_app(app: Flask, services: Services) -> None:
    """Keep ``services`` on ``app`` for :func:`services` to find."""
    app.extensions[EXTENSION_KEY] = _AppState(services)


def _state(app: Flask | None) -> _AppState:
    found: _AppState = (app or current_app).extensions[EXTENSION_KEY]
    return found


def services(app: Flask | None = None) -> Services:
    """Return the services of ``app``, by default the current app (catalogs, sources, accounts, history, …)."""
    return _state(app).services


def app_object(factory: Callable[[], T], app: Flask | None = None) -> T:
    """Return the object ``factory`` made for this app, making it on first use (a web module's cache)."""
    state = _state(app)
    with state.lock:
        if factory not in state.objects:
            state.objects[factory] = factory()
        found: T = state.objects[factory]
        return found
