"""The newsroom localization service: reader site, translator workspace and editor coverage.

Importing the package loads nothing heavy: ``create_app`` imports Flask and the web floor when
called, so the ``l10n`` commands that never serve a page (``l10n coverage``) start quickly.
"""
from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def _secret_key(instance_dir: Path) -> str:
    """Read the instance's secret key, generating it on first use.

    gunicorn's workers start together: the key is written to a private file and linked into
    place, so only the first worker's key lands and no worker reads a half-written one.
    """
    path = instance_dir / "secret_key"
    if not path.exists():
        import secrets  # with tempfile, only the first start needs them (the l10n commands never do)
        import tempfile

        instance_dir.mkdir(parents=True, exist_ok=True)
        handle, draft = tempfile.mkstemp(dir=instance_dir, prefix=".secret_key.")
        try:
            with os.fdopen(handle, "w") as file:
                file.write(secrets.token_hex(32))
            os.link(draft, path)
        except FileExistsError:
            pass  # another worker was first: use its key
        finally:
            os.unlink(draft)
    return path.read_text().strip()


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the Flask application from the settings, overridden by ``test_config``."""
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from .bootstrap import build_services
    from .config import PROJECT_ROOT, load_settings
    from .storage.security_log import ensure_log_output
    from .web import (
        account, admin, api, auth, desk, display_names, editor, entry_page, errors, extension, glossary, i18n, images,
        page_cache, paths, publishing, reader, replica, security, translate,
    )

    app = Flask(__name__, template_folder=str(PROJECT_ROOT / "templates"))
    settings = load_settings(test_config)
    app.config.update({key: value for key, value in (test_config or {}).items() if key not in settings})
    app.config.update(settings)
    instance_dir: Path = settings["INSTANCE_DIR"]
    if settings["READERS_ONLY"]:  # a reader replica writes nothing, INSTANCE_DIR included
        app.config["SECRET_KEY"] = settings["SECRET_KEY"] or replica.ephemeral_secret_key()
    else:
        instance_dir.mkdir(parents=True, exist_ok=True)
        app.config["SECRET_KEY"] = settings["SECRET_KEY"] or _secret_key(instance_dir)

    services = build_services(settings)
    extension.init_app(app, services)
    paths.init_app(app)  # the language converter, before any blueprint uses it
    i18n.init_app(app)
    display_names.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    if settings["READERS_ONLY"]:
        replica.init_app(app)  # the editing routes answer with a pointer to the editing host
    else:
        ensure_log_output()  # the security log's JSON lines reach the server's stderr
        auth.init_app(app)
        desk.init_app(app)
        entry_page.init_app(app)
        app.register_blueprint(translate.bp)
        app.register_blueprint(glossary.bp)
        app.register_blueprint(api.bp)
        app.register_blueprint(editor.bp)
        app.register_blueprint(admin.bp)
        app.register_blueprint(account.bp)
    reader.init_app(app)
    publishing.init_app(app)
    images.init_app(app)
    page_cache.init_app(app)  # in front of the app's routes, behind the proxy fix

    if settings["PROXIES"]:
        proxies = settings["PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def serving_app() -> Flask:
    """Create the app with the archive read, for gunicorn's master to load once (``--preload``).

    ``l10n serve --readers-only`` runs it: a replica cannot remember the archive's listing in
    files, so its master reads it (:mod:`service.web.warm_start`) and every worker forks with
    it made, instead of reading ten thousand files on its first front page. The reading is
    spread over the CPUs, with a count on standard error while it is a terminal.
    """
    from .storage.parallel_reads import available_cpus
    from .web import warm_start

    app = create_app()
    terminal = sys.stderr.isatty()
    began = time.monotonic()
    sources, catalogs = warm_start.warm(app, available_cpus(), _CountLine if terminal else None)
    if sources or catalogs:  # not when everything was remembered
        sys.stderr.write(f"{_START_OF_LINE if terminal else ''}read {sources:,} article sources and {catalogs:,} "
                         f"catalogs in {time.monotonic() - began:.1f} s (in memory only: a replica writes nothing)\n")
    gc.freeze()  # what the workers share stays out of their collections, so its memory stays shared
    return app


class _CountLine:
    """A line on the terminal counting the files read so far (``reading sources: 4,096``), redrawn at most 10 times a second."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.done = 0
        self._drawn = 0.0

    def __call__(self, more: int) -> None:
        self.done += more
        now = time.monotonic()
        if now - self._drawn >= 0.1:
            self._drawn = now
            sys.stderr.write(f"{_START_OF_LINE}reading {self.what}: {self.done:,}")
            sys.stderr.flush()


#: Back to the start of the terminal's line, cleared (ANSI "erase in line"): the count is drawn over itself.
_START_OF_LINE = "\r\033[K"
