"""Fixtures and helpers for more than one folder: a private copy of the sample tree, its settings, the CLI.

The app and its clients are in ``web/conftest.py``; gunicorn and the browser in ``e2e/conftest.py``.
"""
from __future__ import annotations

import multiprocessing
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from service import create_app
from service.bootstrap import build_services, prepare_tree
from service.config import PROJECT_ROOT, load_settings
from service.web.extension import services

#: Werkzeug's production default (scrypt) costs ~0.1 s a hash, most of the suite's time once;
#: the tests check what is done with a hash, not its strength. Only tests use this one.
TEST_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"


def copy_tree(folder: Path) -> Path:
    """Copy the committed ``content/`` and ``locales/`` (no compiled files) into ``folder``, with an empty instance."""
    shutil.copytree(PROJECT_ROOT / "content", folder / "content")
    shutil.copytree(PROJECT_ROOT / "locales", folder / "locales", ignore=shutil.ignore_patterns("*.mo"))
    (folder / "instance").mkdir()
    return folder


def app_with_admin(tree: Path) -> tuple[Any, dict[str, str]]:
    """The app over ``tree`` and the ``Authorization`` header of an admin of it."""
    app = prepared_app({**tree_settings(tree), "SECRET_KEY": "test-secret", "TESTING": True})
    admin = services(app).accounts.add_user("ada", "admin", ())
    return app, {"Authorization": f"Bearer {admin.token}"}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A private copy of the committed ``content/`` and ``locales/`` (no compiled files)."""
    return copy_tree(tmp_path)


def tree_settings(tree: Path) -> dict[str, str]:
    """The settings that point the service at ``tree`` (hash passwords cheaply, run commands at full priority).

    ``BATCH_NICENESS`` 0: the tests invoke ``l10n`` in pytest's own process, which must not give way.
    """
    return {
        "CONTENT_DIR": str(tree / "content"),
        "LOCALES_DIR": str(tree / "locales"),
        "INSTANCE_DIR": str(tree / "instance"),
        "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH_METHOD,
        "BATCH_NICENESS": "0",
    }


def tree_environment(tree: Path) -> dict[str, str]:
    """Environment variables (``L10N_*``) that point the CLI or a server at ``tree`` (cheap password hashes too)."""
    return {f"L10N_{name}": value for name, value in tree_settings(tree).items()}


@pytest.fixture
def runner(tree: Path, monkeypatch: pytest.MonkeyPatch):
    """Invoke ``l10n`` in-process with the settings pointing at the private tree."""
    from click.testing import CliRunner

    from service.cli import main

    for name, value in tree_environment(tree).items():
        monkeypatch.setenv(name, value)

    class Runner:
        def invoke(self, *args: str, **kwargs):
            return CliRunner().invoke(main, list(args), catch_exceptions=False, **kwargs)

    return Runner()


def _call_in_step(function: Callable[[Any], Any], arguments: list[Any], start, results) -> None:
    for number, argument in enumerate(arguments):
        start.wait()
        try:
            results.put((number, function(argument)))
        except Exception as error:  # reported to the parent, which shows it in the failing test
            results.put((number, f"raised {error!r}"))


def both_at_once(function: Callable[[Any], Any], arguments: list[Any]) -> list[list[Any]]:
    """Call ``function(argument)`` in two forked processes at the same moment, for each argument.

    Like two gunicorn workers booting together. Returns, per argument, what the two calls
    returned (a string ``"raised …"`` for an exception).
    """
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(2, timeout=60), context.Queue()
    processes = [context.Process(target=_call_in_step, args=(function, arguments, start, results)) for _ in range(2)]
    for process in processes:
        process.start()
    answers: list[list[Any]] = [[] for _ in arguments]
    for _ in range(2 * len(arguments)):
        number, answer = results.get(timeout=60)
        answers[number].append(answer)
    for process in processes:
        process.join(60)
    return answers


def prepared_app(settings: dict[str, Any]) -> Any:
    """Run the start-up step over the settings' tree (compile the ``.mo`` files), then create the app."""
    prepare_tree(build_services(load_settings(settings)))
    return create_app(settings)
