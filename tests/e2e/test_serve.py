"""``l10n serve``: the production server (gunicorn) the way operators start it."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import tree_environment
from .conftest import first_page


@pytest.mark.e2e
def test_l10n_serve_runs_gunicorn_on_the_given_address(tree, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = tmp_path / "home"
    environment = {**os.environ, **tree_environment(tree), "L10N_SECRET_KEY": "serve-secret", "PORT": str(port),
                   "HOME": str(home)}
    environment.pop("XDG_RUNTIME_DIR", None)
    l10n = Path(sys.executable).with_name("l10n")
    process = subprocess.Popen([str(l10n), "serve", "--workers", "1"], env=environment,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        status, headers, _body = first_page(port, "/uk/", process)
        assert status == 200 and headers["Cache-Control"].startswith("public")
        # No control socket in the one place every gunicorn of this user would share.
        assert not (home / ".gunicorn").exists()
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()


@pytest.mark.e2e
def test_a_first_l10n_serve_reads_the_archive_before_its_workers_start(tree, tmp_path):
    """The listing a front page needs is read once, by the start's reader: the first front page waits for it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {**os.environ, **tree_environment(tree), "L10N_SECRET_KEY": "serve-secret", "PORT": str(port)}
    l10n = Path(sys.executable).with_name("l10n")
    process = subprocess.Popen([str(l10n), "serve", "--workers", "2"], env=environment,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert first_page(port, "/uk/", process)[0] == 200
        sources = json.loads((tree / "instance" / "sources.json").read_text())["sources"]
        catalogs = json.loads((tree / "instance" / "statistics.json").read_text())["catalogs"]
        assert {entry[2] for entry in sources} == {path.stem for path in (tree / "content").glob("*.md")}
        assert {entry[0] for entry in catalogs} == {str(path) for path in
                                                    (tree / "locales").glob("*/LC_MESSAGES/articles/*.po")}
    finally:
        process.terminate()
        process.wait(timeout=10)
    with process.stderr:
        assert "read 6 article sources and 6 catalogs" in process.stderr.read()
