"""The newsroom localization service: reader site, translator workspace and editor coverage."""
from __future__ import annotations

from typing import Any, Mapping

from flask import Flask

from .config import PROJECT_ROOT, load_settings
from .layout import Layout
from .pipeline import compile_all


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the Flask application from the settings, overridden by ``test_config``."""
    app = Flask(__name__, template_folder=str(PROJECT_ROOT / "templates"))
    settings = load_settings(test_config)
    app.config.update(settings)
    app.config.update({key: value for key, value in (test_config or {}).items() if key not in settings})
    layout = Layout(settings["LOCALES_DIR"])
    # Compiled catalogs are build output: a fresh clone compiles what is missing or older.
    compile_all(layout, settings["LANGUAGES"], only_outdated=True)
    app.extensions["l10n_layout"] = layout

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
