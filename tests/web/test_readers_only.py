"""A reader replica (``READERS_ONLY``, ``l10n serve --readers-only``): reader pages only, nothing
written, the editing routes pointed at the editing host, and a change served as soon as its files arrive."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ..conftest import tree_settings
from service import create_app
from service.bootstrap import build_services, prepare_tree
from service.config import load_settings
from service.domain.editing import entry_id_of

SLUG = "lviv-ryasne-tram-line"
TITLE_UK = "У Львові почали будувати трамвайну лінію до Рясного"
TITLE_EN = "Lviv begins building a tram line to Riasne"


def replica_of(tree: Path, replica: Path) -> Path:
    """Copy the tree's ``content/`` and compiled ``locales/`` to ``replica``, as rsync brings them to a reader host."""
    prepare_tree(build_services(load_settings(tree_settings(tree))))
    shutil.copytree(tree / "content", replica / "content")
    shutil.copytree(tree / "locales", replica / "locales")
    return replica


def replica_settings(replica: Path, **more: object) -> dict[str, object]:
    """A replica over ``replica``: no secret key, an ``INSTANCE_DIR`` that must never be created."""
    return {"CONTENT_DIR": str(replica / "content"), "LOCALES_DIR": str(replica / "locales"),
            "INSTANCE_DIR": str(replica / "instance"), "READERS_ONLY": True, **more}


def files_of(folder: Path) -> dict[Path, tuple[int, int, int]]:
    """Every file and folder under ``folder`` with its identity: any write shows as a difference."""
    return {path: (path.stat().st_ino, path.stat().st_size, path.stat().st_mtime_ns) for path in folder.rglob("*")}


def arrive(source: Path, target: Path) -> None:
    """Bring one file the way rsync does: a temporary file beside the target, renamed over it."""
    draft = target.with_name(f".{target.name}.sync")
    shutil.copy2(source, draft)
    os.replace(draft, target)


@pytest.fixture
def replica(tree: Path, tmp_path: Path) -> Path:
    return replica_of(tree, tmp_path / "replica")


def test_the_setting_reads_from_the_environment():
    assert load_settings({}, {"L10N_READERS_ONLY": "1"})["READERS_ONLY"] is True
    assert load_settings({}, {"L10N_READERS_ONLY": "0"})["READERS_ONLY"] is False
    assert load_settings({}, {})["READERS_ONLY"] is False
    with pytest.raises(ValueError, match="READERS_ONLY"):
        load_settings({}, {"L10N_READERS_ONLY": "sometimes"})
    with pytest.raises(ValueError, match="EDITING_HOST"):
        load_settings({"EDITING_HOST": "edit.news.example/translate"})


def test_a_replica_serves_every_reader_page_and_writes_nothing(replica: Path):
    before = files_of(replica)
    client = create_app(replica_settings(replica)).test_client()
    for path, status in [("/", 302), ("/uk/", 200), ("/en/", 200), (f"/uk/articles/{SLUG}", 200),
                         (f"/en/articles/{SLUG}", 200), (f"/articles/{SLUG}", 302), ("/set-language/en?next=/en/", 302),
                         ("/healthz", 200), ("/static/reader.css", 200), ("/xx/", 404), ("/uk/articles/nope", 404)]:
        response = client.get(path, headers={"Accept-Language": "en"})
        assert response.status_code == status, path
        assert "session" not in response.headers.get("Set-Cookie", ""), path
        response.close()  # a static file's answer holds the file open until closed
    assert TITLE_EN in client.get(f"/en/articles/{SLUG}").text
    assert client.get("/uk/").headers["Cache-Control"] == "public, max-age=60"
    for path in ["/translate/", "/editor/coverage", "/api/catalogs", "/login"]:
        assert client.get(path).status_code == 404
    assert client.post("/login", data={"name": "x", "password": "y"}).status_code == 404
    assert client.post("/uk/").status_code == 405
    assert files_of(replica) == before, "a replica wrote to its tree"
    assert not (replica / "instance").exists(), "a replica created INSTANCE_DIR (accounts, secret key, statistics)"


def test_editing_paths_are_answered_with_a_pointer_to_the_editing_host(replica: Path):
    client = create_app(replica_settings(replica)).test_client()
    page = client.get("/translate/")
    assert page.status_code == 404 and "EDITING_HOST" in page.text and page.headers["Cache-Control"] == "no-store"
    api = client.get("/api/catalogs")
    assert api.status_code == 404 and "EDITING_HOST" in api.get_json()["error"]

    client = create_app(replica_settings(replica, EDITING_HOST="https://edit.news.example/")).test_client()
    moved = client.get("/translate/en/messages?state=fuzzy")
    assert moved.status_code == 307
    assert moved.headers["Location"] == "https://edit.news.example/translate/en/messages?state=fuzzy"
    assert moved.headers["Cache-Control"] == "no-store"
    put = client.put("/api/catalogs/en/messages/entries/0123456789abcdef", json={"msgstr": "x", "base": ""})
    assert put.status_code == 307  # a client that follows it repeats the PUT at the editing host
    assert put.headers["Location"] == "https://edit.news.example/api/catalogs/en/messages/entries/0123456789abcdef"
    for path in ["/editor/coverage", "/login?next=/translate/", "/logout"]:
        assert client.get(path).headers["Location"] == "https://edit.news.example" + path
    assert client.get("/translated").status_code == 404  # only the editing host's own paths are pointed there
    assert client.get("/uk/").status_code == 200


def test_a_replica_serves_a_change_on_its_next_request_after_the_files_arrive(tree: Path, replica: Path, client,
                                                                              add_user):
    """Saves on the editing host, a sync (rsync-like) to the replica, and the replica's very next request."""
    reader = create_app(replica_settings(replica)).test_client()
    assert TITLE_EN in reader.get(f"/en/articles/{SLUG}").text  # warm: the old texts are in its caches
    assert "Суспільство" in reader.get(f"/uk/articles/{SLUG}").text

    # On the editing host: a translator saves a title, another the Ukrainian name of a category,
    # and an editor fixes a typo in the source.
    en = add_user("olena", "translator", "en").token
    uk = add_user("taras", "translator", "uk").token
    saved = client.put(f"/api/catalogs/en/articles/{SLUG}/entries/{entry_id_of('title', TITLE_UK)}",
                       headers={"Authorization": f"Bearer {en}"},
                       json={"msgstr": "Lviv starts work on the Riasne tram line", "base": TITLE_EN})
    assert saved.status_code == 200, saved.text
    saved = client.put(f"/api/catalogs/uk/messages/entries/{entry_id_of(None, 'Society')}",
                       headers={"Authorization": f"Bearer {uk}"},
                       json={"msgstr": "Суспільне життя", "base": "Суспільство"})
    assert saved.status_code == 200, saved.text
    source = tree / "content" / f"{SLUG}.md"
    source.write_text(source.read_text().replace("У понеділок, 2 листопада,", "У понеділок, 2 листопада 2026 року,"))

    # Nothing has arrived yet: the replica serves what it has.
    assert TITLE_EN in reader.get(f"/en/articles/{SLUG}").text

    catalogs = Path("locales") / "en" / "LC_MESSAGES" / "articles"
    ui = Path("locales") / "uk" / "LC_MESSAGES"
    for name in [catalogs / f"{SLUG}.po", catalogs / f"{SLUG}.mo", ui / "messages.po", ui / "messages.mo",
                 Path("content") / f"{SLUG}.md"]:
        arrive(tree / name, replica / name)

    english = reader.get(f"/en/articles/{SLUG}").text
    assert "Lviv starts work on the Riasne tram line" in english and TITLE_EN not in english
    ukrainian = reader.get(f"/uk/articles/{SLUG}").text
    assert "Суспільне життя" in ukrainian
    assert "У понеділок, 2 листопада 2026 року," in ukrainian
    assert "Lviv starts work on the Riasne tram line" in reader.get("/en/").text
