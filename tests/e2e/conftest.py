"""Fixtures of the end-to-end tests: a real gunicorn over a private tree, Debian's chromium."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

from service.bootstrap import build_services, prepare_tree
from service.config import PROJECT_ROOT, load_settings

from ..conftest import tree_environment, tree_settings

ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def first_page(port: int, path: str, process: subprocess.Popen[str], timeout: float = 30) -> tuple[int, Any, str]:
    """Ask a starting ``l10n serve`` for ``path`` until it answers; return the status, headers and body.

    Fails with the server's standard error if it exits first, or when ``timeout`` seconds pass.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except OSError:
            assert process.poll() is None, process.stderr.read() if process.stderr else process.returncode
            assert time.monotonic() < deadline, f"l10n serve did not answer {path} within {timeout:.0f} s"
            time.sleep(0.2)


class LiveServer:
    """A real gunicorn serving the app over a private tree (its log in ``tree/gunicorn.log``)."""

    START_TIMEOUT = 60  # seconds; the machines are shared and can be slow
    ATTEMPTS = 3  # a port found free can be taken by another process before gunicorn binds it

    def __init__(self, tree: Path, workers: int = 2) -> None:
        self.tree = tree
        self.log = tree / "gunicorn.log"
        # gunicorn's control socket in a folder of this server's own (short: a socket path has
        # at most 107 bytes), not ~/.gunicorn/gunicorn.ctl, shared with every other gunicorn here.
        self.runtime = tempfile.mkdtemp(prefix="l10n-ctl-")
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
        environment = {**os.environ, **tree_environment(self.tree), "L10N_SECRET_KEY": "live-secret",
                       "XDG_RUNTIME_DIR": self.runtime}
        prepare_tree(build_services(load_settings(tree_settings(self.tree))))
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
        shutil.rmtree(self.runtime, ignore_errors=True)
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
