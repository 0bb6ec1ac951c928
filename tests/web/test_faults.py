"""Faults of the file system and the history answer clearly and change nothing (issue 9, part 3)."""
from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from service.domain.editing import entry_id_of
from service.storage.history import History
from service.web.extension import services

ARTICLE = "articles/nordic-baltic-grid-repair-fund"
TITLE = "Nordic and Baltic states pledge €240 million to repair Ukraine’s power grid"
ENTRY = f"/api/catalogs/uk/{ARTICLE}/entries/{entry_id_of('title', TITLE)}"


@pytest.fixture
def admin(add_user):
    return {"Authorization": f"Bearer {add_user('ada', 'admin').token}"}


def catalog_files(tree: Path) -> dict[str, bytes]:
    """Every file under ``locales/uk`` (temporary files included) by path."""
    base = tree / "locales" / "uk"
    return {str(path.relative_to(base)): path.read_bytes() for path in sorted(base.rglob("*")) if path.is_file()}


def save(client, headers, text="Країни Півночі й Балтії дають 240 млн євро"):
    base = client.get(ENTRY, headers=headers).json["msgstr"]
    return client.put(ENTRY, headers=headers, json={"msgstr": text, "base": base})


def _failing(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))
    return fail


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_full_disk_answers_503_and_changes_no_file_and_no_history(app, client, admin, tree, monkeypatch, code):
    before = catalog_files(tree)
    monkeypatch.setattr("service.storage.po_files.os.fsync", _failing(code))
    response = save(client, admin)
    assert response.status_code == 503, response.text
    assert response.is_json and os.strerror(code) in response.json["error"]
    assert catalog_files(tree) == before  # no file changed, no temporary file left
    assert services(app).history.rows(language="uk", domain=ARTICLE) == []


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
def test_a_read_only_folder_answers_503_and_changes_nothing(app, client, add_user, tree, monkeypatch, code):
    translator = {"Authorization": f"Bearer {add_user('taras', 'translator', 'uk').token}"}
    before = catalog_files(tree)
    monkeypatch.setattr("service.storage.po_files.tempfile.mkstemp", _failing(code))
    response = save(client, translator)
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] and os.strerror(code) in response.json["error"]
    assert catalog_files(tree) == before


def test_an_upload_on_a_full_disk_answers_503_and_changes_nothing(client, admin, tree, monkeypatch):
    url = f"/api/catalogs/uk/{ARTICLE}/po"
    downloaded = client.get(url, headers=admin).get_data(as_text=True)
    changed = downloaded.replace(f'msgid "{TITLE}"\nmsgstr "', f'msgid "{TITLE}"\nmsgstr "Нове: ', 1)
    before = catalog_files(tree)
    monkeypatch.setattr("service.storage.po_files.os.fsync", _failing(errno.ENOSPC))
    response = client.put(url, headers=admin, data=changed.encode(), content_type="text/x-gettext-translation")
    assert response.status_code == 503, response.text
    assert catalog_files(tree) == before


def test_a_history_that_cannot_be_written_undoes_the_file_change(app, client, admin, tree, monkeypatch):
    before = catalog_files(tree)
    old = client.get(ENTRY, headers=admin).json["msgstr"]

    def full(self, changes):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(History, "record_changes", full)
    response = save(client, admin)
    assert response.status_code == 503, response.text
    assert "history" in response.json["error"]
    assert catalog_files(tree) == before
    assert client.get(ENTRY, headers=admin).json["msgstr"] == old
    monkeypatch.undo()
    assert save(client, admin).status_code == 200  # and the next save, with a working history, goes through
    assert len(services(app).history.rows(language="uk", domain=ARTICLE)) == 1


def test_a_missing_instance_folder_answers_503_not_500(app, client, admin, tree):
    shutil.rmtree(tree / "instance")
    (tree / "instance").write_text("not a folder")  # nor can it be created again
    for response in (client.get(ENTRY, headers=admin), client.put(ENTRY, headers=admin, json={"msgstr": "x", "base": ""})):
        assert response.status_code == 503, response.text
        assert response.is_json and "cannot write" in response.json["error"]
    assert client.get("/uk/").status_code < 500


@pytest.mark.parametrize("path", [
    "/uk/articles/{slug}", "/articles/{slug}", "/api/catalogs/uk/articles/{slug}",
    "/api/catalogs/uk/articles/{slug}/po", "/translate/uk/articles/{slug}",
])
@pytest.mark.parametrize("length", [253, 300, 5000])
def test_a_name_too_long_for_the_file_system_is_404(client, admin, path, length):
    response = client.get(path.format(slug="a" * length), headers=admin)
    assert response.status_code in (302, 404), (response.status_code, response.text[:200])


def test_a_memory_that_cannot_learn_does_not_fail_a_save_that_is_done(app, client, admin, monkeypatch):
    from service.storage.memory import TranslationMemory

    services(app).memory  # the memory exists, so every write tells it

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(TranslationMemory, "learn", full)
    response = save(client, admin)
    assert response.status_code == 200, response.text
    assert len(services(app).history.rows(language="uk", domain=ARTICLE)) == 1
