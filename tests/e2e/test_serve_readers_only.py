"""A reader replica run for real: ``l10n serve --readers-only`` compiles nothing and writes nothing."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from service import create_app
from service.web import warm_start

from ..conftest import tree_settings
from .conftest import _free_port, first_page
from ..web.test_readers_only import (
    SLUG,
    TITLE_EN,
    files_of,
    replica_of,
    replica_settings,
)


@pytest.fixture
def replica(tree: Path, tmp_path: Path) -> Path:
    return replica_of(tree, tmp_path / "replica")


def _serve_replica(replica: Path, workers: int, **environment: str) -> tuple[subprocess.Popen[str], int]:
    """Start ``l10n serve --readers-only`` over ``replica`` (settings from the environment, as an operator's unit sets them)."""
    port = _free_port()
    environment.update({key: value for key, value in os.environ.items() if not key.startswith("L10N_")})
    environment.update({f"L10N_{name}": str(value) for name, value in replica_settings(replica).items()
                        if name != "READERS_ONLY"})
    environment["PORT"] = str(port)
    l10n = Path(sys.executable).with_name("l10n")
    process = subprocess.Popen([str(l10n), "serve", "--readers-only", "--workers", str(workers)], env=environment,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return process, port


@pytest.mark.e2e
def test_l10n_serve_readers_only_compiles_nothing_and_writes_nothing(replica: Path):
    missing = replica / "locales" / "en" / "LC_MESSAGES" / "articles" / f"{SLUG}.mo"
    missing.unlink()  # a replica whose sync forgot a compiled catalog: reported, not compiled
    before = files_of(replica)
    process, port = _serve_replica(replica, 1, L10N_EDITING_HOST="https://edit.news.example")
    try:
        status, _headers, body = first_page(port, f"/en/articles/{SLUG}", process)
        assert status == 200 and TITLE_EN in body
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/api/catalogs", method="DELETE"))
        with refused.value:
            assert refused.value.code == 307
            assert refused.value.headers["Location"] == "https://edit.news.example/api/catalogs"
    finally:
        process.terminate()
        process.wait(timeout=10)
    with process.stderr:
        assert f"warning: {missing} is missing" in process.stderr.read()
    assert files_of(replica) == before and not missing.exists()


@pytest.mark.e2e
def test_a_replica_with_a_read_only_instance_folder_warms_up_in_memory(tree: Path, replica: Path):
    """The archive is read in gunicorn's master before the workers fork; nothing is written, not even remembered figures."""
    warm_start.warm(create_app(tree_settings(tree)))  # the editing host remembers its archive
    assert (tree / "instance" / "statistics.json").exists()
    shutil.copytree(tree / "instance", replica / "instance")  # the editing host's, copied: other inodes, nothing counts
    (replica / "instance").chmod(0o555)  # as a replica mounts it (root writes anyway: files_of is the proof)
    before = files_of(replica)
    process, port = _serve_replica(replica, 2)
    try:
        status, _headers, body = first_page(port, "/en/", process)
        assert status == 200 and TITLE_EN in body
    finally:
        process.terminate()
        process.wait(timeout=10)
        (replica / "instance").chmod(0o755)
    with process.stderr:
        assert "read 6 article sources and 6 catalogs" in process.stderr.read()  # at start, kept in memory only
    assert files_of(replica) == before
