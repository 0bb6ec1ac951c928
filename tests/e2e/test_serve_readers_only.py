"""A reader replica run for real: ``l10n serve --readers-only`` compiles nothing and writes nothing."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ..web.test_readers_only import SLUG, TITLE_EN, files_of, replica_of, replica_settings


@pytest.fixture
def replica(tree: Path, tmp_path: Path) -> Path:
    return replica_of(tree, tmp_path / "replica")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.e2e
def test_l10n_serve_readers_only_compiles_nothing_and_writes_nothing(replica: Path):
    missing = replica / "locales" / "en" / "LC_MESSAGES" / "articles" / f"{SLUG}.mo"
    missing.unlink()  # a replica whose sync forgot a compiled catalog: reported, not compiled
    before = files_of(replica)
    port = _free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith("L10N_")}
    environment.update({f"L10N_{name}": str(value) for name, value in replica_settings(replica).items()
                        if name != "READERS_ONLY"})
    environment.update({"PORT": str(port), "L10N_EDITING_HOST": "https://edit.news.example"})
    l10n = Path(sys.executable).with_name("l10n")
    process = subprocess.Popen([str(l10n), "serve", "--readers-only", "--workers", "1"], env=environment,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/articles/{SLUG}", timeout=2) as response:
                    assert response.status == 200 and TITLE_EN in response.read().decode()
                    break
            except OSError:
                assert process.poll() is None, process.stderr.read()
                assert time.monotonic() < deadline, "l10n serve --readers-only did not answer within 30 s"
                time.sleep(0.2)
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
