"""A test-only app factory: every request carries a fixed role (until accounts land on this branch)."""
from __future__ import annotations

from flask import Flask, g

from service import create_app as create_service_app


def create_app(role: str) -> Flask:
    """Create the service app whose every request is made by a user with ``role``."""
    app = create_service_app()

    @app.before_request
    def _as_role() -> None:
        g.user_role = role

    return app
