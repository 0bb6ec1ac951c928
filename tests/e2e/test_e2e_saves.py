"""Many translators at once against the real server (gunicorn, 2 workers)."""
from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ..conftest import TEST_PASSWORD_HASH_METHOD
from .conftest import LiveServer
from service import create_app, pipeline
from service.storage.accounts import Accounts, database_path
from service.storage.history import History
from service.domain.editing import entry_id_of
from service.storage.layout import Layout
from service.storage.po_files import read_catalog

from ..stores import catalog_stores

SLUG = "city-council-long-read"
DOMAIN = f"articles/{SLUG}"
PARAGRAPHS = 198  # + title + summary = 200 entries
CLIENTS = 16


def generated_article(tree: Path) -> list[tuple[str, str, str]]:
    """Write a Ukrainian article with 200 segments into the tree; return (context, source, translation)."""
    paragraphs = [f"Абзац {n}: депутати міської ради обговорили {n + 1000} звернень мешканців." for n in range(PARAGRAPHS)]
    source = "\n".join([
        "+++",
        'title = "Міська рада розглянула звернення мешканців"',
        'category = "society"',
        "published = 2026-11-20T10:00:00+02:00",
        'source_language = "uk"',
        'summary = "Депутати працювали до пізнього вечора."',
        "+++",
        "",
        *[paragraph + "\n" for paragraph in paragraphs],
    ])
    (tree / "content" / f"{SLUG}.md").write_text(source)
    layout = Layout(tree / "locales")
    assert not pipeline.extract(tree / "content", layout, ["uk", "en"]).errors
    assert not pipeline.update(catalog_stores(tree)[0]).errors
    segments = [("title", "Міська рада розглянула звернення мешканців", "The city council reviewed residents' requests"),
                ("summary", "Депутати працювали до пізнього вечора.", "Councillors worked until late in the evening.")]
    segments += [("paragraph", text, f"Paragraph {n}: councillors discussed {n + 1000} requests from residents.")
                 for n, text in enumerate(paragraphs)]
    return segments


def request(url: str, token: str, method: str = "GET", body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    call = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(call, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def has_reader_route() -> bool:
    app = create_app({"SECRET_KEY": "x"})
    return any(rule.rule == "/<lang>/articles/<slug>" for rule in app.url_map.iter_rules())


@pytest.mark.e2e
def test_16_concurrent_clients_save_200_entries_and_nothing_is_lost(tree):
    segments = generated_article(tree)
    assert len(segments) == 200
    accounts = Accounts(database_path(tree / "instance"), password_hash_method=TEST_PASSWORD_HASH_METHOD)
    token = accounts.add_user("crowd", "translator", ["en"]).token
    server = LiveServer(tree, workers=2)
    try:
        work: queue.Queue = queue.Queue()
        for context, source, translation in segments:
            work.put((entry_id_of(context, source), translation))
        answers: list[int] = []
        lock = threading.Lock()

        def client() -> None:
            while True:
                try:
                    entry_id, translation = work.get_nowait()
                except queue.Empty:
                    return
                status, _body = request(f"{server.url}/api/catalogs/en/{DOMAIN}/entries/{entry_id}", token, "PUT",
                                        {"msgstr": translation, "base": ""})
                with lock:
                    answers.append(status)

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers.count(200) == 200, sorted(set(answers))

        path = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / f"{SLUG}.po"
        catalog = read_catalog(path)
        stored = {(e.msgctxt, e.msgid): e.msgstr for e in catalog if e.msgid}
        assert stored == {(context, source): translation for context, source, translation in segments}
        assert catalog.metadata["Last-Translator"] == "crowd" and "X-Completed" in catalog.metadata
        if shutil.which("msgfmt"):
            subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)
        rows = History(database_path(tree / "instance")).rows("en", DOMAIN, limit=1000)
        assert len(rows) == 200 and {row.entry_id for row in rows} == {entry_id_of(c, s) for c, s, _ in segments}

        # Every worker serves the new text on its next request (several requests reach both workers).
        for _ in range(8):
            status, body = request(f"{server.url}/api/catalogs/en/{DOMAIN}", token)
            assert status == 200
            assert all(entry["msgstr"] and entry["state"] == "translated" for entry in body["entries"])
        import gettext
        with open(path.with_suffix(".mo"), "rb") as stream:
            compiled = gettext.GNUTranslations(stream)
        assert compiled.pgettext("title", segments[0][1]) == segments[0][2]
        if has_reader_route():
            for _ in range(4):
                with urllib.request.urlopen(f"{server.url}/en/articles/{SLUG}", timeout=30) as page:
                    html = page.read().decode()
                assert "The city council reviewed residents&#39; requests" in html or \
                    "The city council reviewed residents' requests" in html
                assert "Paragraph 197: councillors discussed 1197 requests" in html
    finally:
        server.stop()
