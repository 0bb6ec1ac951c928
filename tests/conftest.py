"""Shared fixtures: a private copy of the sample tree, the app, its clients, a live server, a browser."""
from __future__ import annotations

import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from service import create_app
from service.config import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
#: Werkzeug's production default (scrypt) costs ~0.1 s a hash, most of the suite's time once;
#: the tests check what is done with a hash, not its strength. Only tests use this one.
TEST_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A private copy of the committed ``content/`` and ``locales/`` (no compiled files)."""
    shutil.copytree(PROJECT_ROOT / "content", tmp_path / "content")
    shutil.copytree(PROJECT_ROOT / "locales", tmp_path / "locales", ignore=shutil.ignore_patterns("*.mo"))
    (tmp_path / "instance").mkdir()
    return tmp_path


def tree_settings(tree: Path) -> dict[str, str]:
    """The settings that point the service at ``tree`` (and hash passwords cheaply)."""
    return {
        "CONTENT_DIR": str(tree / "content"),
        "LOCALES_DIR": str(tree / "locales"),
        "INSTANCE_DIR": str(tree / "instance"),
        "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH_METHOD,
    }


def tree_environment(tree: Path) -> dict[str, str]:
    """Environment variables (``L10N_*``) that point the CLI or a server at ``tree`` (cheap password hashes too)."""
    return {f"L10N_{name}": value for name, value in tree_settings(tree).items()}


@pytest.fixture
def app(tree: Path):
    """The Flask app over a private sample tree."""
    return create_app({**tree_settings(tree), "SECRET_KEY": "test-secret", "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """A real gunicorn serving the app over a private tree (its log in ``tree/gunicorn.log``)."""

    START_TIMEOUT = 60  # seconds; the machines are shared and can be slow
    ATTEMPTS = 3  # a port found free can be taken by another process before gunicorn binds it

    def __init__(self, tree: Path, workers: int = 2) -> None:
        self.tree = tree
        self.log = tree / "gunicorn.log"
        for attempt in range(1, self.ATTEMPTS + 1):
            try:
                self._start(workers)
                return
            except RuntimeError:
                if attempt == self.ATTEMPTS:
                    raise

    def _start(self, workers: int) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, **tree_environment(self.tree), "L10N_SECRET_KEY": "live-secret"}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
                 "service:create_app()"],
                cwd=PROJECT_ROOT, env=environment, stdout=log, stderr=log,
            )
        deadline = time.monotonic() + self.START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("gunicorn exited: " + self.log.read_text(errors="replace")[-2000:])
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start within {self.START_TIMEOUT} s")

    def stop(self) -> None:
        """Stop the server; fail with its log if it had already died under the test."""
        exit_code = self.process.poll()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        if exit_code is not None:
            raise RuntimeError(f"gunicorn exited with {exit_code} during the test: "
                               + self.log.read_text(errors="replace")[-3000:])


@pytest.fixture
def live_server(tree: Path) -> Iterator[LiveServer]:
    """gunicorn with 2 workers over a private sample tree."""
    server = LiveServer(tree)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def screenshots() -> Path:
    """Folder for screenshots that a person looks at after the browser tests."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# --- translator workspace (issue 4) ---------------------------------------------------------


@pytest.fixture
def add_user(app):
    """Create an account in the app's database: ``add_user(name, role, *languages)`` → Credentials."""

    def add(name: str, role: str = "translator", *languages: str):
        return app.extensions["accounts"].add_user(name, role, languages)

    return add


@pytest.fixture
def uk_translator(client, add_user, login):
    """A translator for ``uk``, signed in on ``client``, whose browser prefers Ukrainian."""
    credentials = add_user("taras", "translator", "uk")
    login(credentials)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "uk"
    return credentials


def csrf_token_from(html: str) -> str:
    """Return the CSRF token a page's form carries."""
    import re

    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def login(client):
    """Sign ``client`` in through the login form: ``login(credentials)``."""

    def sign_in(credentials, target: str = "/translate/"):
        page = client.get("/login")
        response = client.post("/login", data={"csrf_token": csrf_token_from(page.text), "name": credentials.user.name,
                                               "password": credentials.password, "next": target})
        assert response.status_code == 302, response.text
        return response

    return sign_in
