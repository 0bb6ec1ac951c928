"""A served app made ready before its workers fork: the archive read once (``service.web.warm_start``)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from service import create_app
from service.storage import parallel_reads
from service.storage.figures import load_statistics
from service.web import warm_start
from service.web.extension import services

from ..conftest import prepared_app, tree_settings
from .test_readers_only import files_of, replica_of, replica_settings

ARTICLE_CATALOGS = "*/LC_MESSAGES/articles/*.po"


@pytest.fixture(autouse=True)
def _readers_fork_even_for_a_few_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample tree is small: spread it over forked readers anyway, as ten thousand files would be."""
    monkeypatch.setattr(parallel_reads, "FILES_PER_PROCESS", 1)


def _remembered(instance: Path) -> tuple[set[str], set[str]]:
    """The sources and catalogs ``sources.json`` and ``statistics.json`` hold."""
    sources = {Path(entry[0]).name for entry in json.loads((instance / "sources.json").read_text())["sources"]}
    catalogs = {entry[0] for entry in json.loads((instance / "statistics.json").read_text())["catalogs"]}
    return sources, catalogs


def test_a_first_start_reads_the_archive_once_and_remembers_it_for_the_next(tree: Path):
    app = prepared_app(tree_settings(tree))
    sources = sorted((tree / "content").glob("*.md"))
    catalogs = sorted((tree / "locales").glob(ARTICLE_CATALOGS))
    assert warm_start.warm(app, processes=2) == (len(sources), len(catalogs))

    remembered_sources, remembered_catalogs = _remembered(tree / "instance")
    assert remembered_sources == {path.name for path in sources}  # a lead image's source too, with the image's identity
    assert remembered_catalogs == {str(path) for path in catalogs}
    figures = services(app).figures
    for path in catalogs:  # the forked readers' figures are the ones read here
        assert figures._statistics.get(path) == load_statistics(path)

    # The next start recalls them all: nothing is read again.
    again = create_app(tree_settings(tree))
    assert warm_start.warm(again, processes=2) == (0, 0)
    front = again.test_client().get("/uk/")
    assert front.status_code == 200 and "У Львові почали будувати трамвайну лінію" in front.text


def test_a_replica_warms_up_in_memory_and_writes_nothing(tree: Path, tmp_path: Path):
    warm_start.warm(prepared_app(tree_settings(tree)))
    replica = replica_of(tree, tmp_path / "replica")
    # Its instance folder is a read-only copy of the editing host's: other inodes, so nothing in it counts.
    shutil.copytree(tree / "instance", replica / "instance", ignore=shutil.ignore_patterns("locks", "*.sqlite3"))
    before = files_of(replica)
    app = create_app(replica_settings(replica))
    sources, catalogs = warm_start.warm(app, processes=2)
    assert sources == len(list((replica / "content").glob("*.md")))
    assert catalogs == len(list((replica / "locales").glob(ARTICLE_CATALOGS)))
    assert files_of(replica) == before, "a replica wrote to its tree or instance folder"
    front = app.test_client().get("/en/")
    assert front.status_code == 200 and "Lviv begins building a tram line to Riasne" in front.text
    assert services(app).figures.cache_size() >= catalogs
