"""One machine, two pools: readers never wait behind an edit (README, "One machine: two pools").

nginx (deploy/nginx/l10n.conf) in front of a readers-only pool and an editing pool of one
worker each, over one tree; or, for the contrast, in front of a single one-worker instance
that takes both. The editing worker is held by a save that waits for its catalog's lock,
which the test holds (``flock``, as an ``l10n update`` would): it is fully occupied, without
any sleep, for as long as the test wants. ``READER_MAX_AGE=0``: nginx stores no page, so
every reader request reaches an instance.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from service.domain.editing import entry_id_of
from service.domain.names import article_domain
from service.storage.accounts import Accounts, database_path
from service.storage.locks import catalog_lock, lock_folder
from service.web.replica import EDITING_PREFIXES

from .conftest import LiveServer
from .test_nginx import NGINX, SLUG, TITLE_EN, TITLE_UK, Nginx, until

pytestmark = pytest.mark.e2e

READER_PAGES = ["/uk/", "/en/", f"/uk/articles/{SLUG}", f"/en/articles/{SLUG}"]
NEW_TITLE = "Lviv starts work on the Riasne tram line"


@dataclass
class Site:
    nginx: Nginx
    editing: LiveServer
    readers: LiveServer
    tree: Path
    token: str


def _site(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, split: bool) -> Iterator[Site]:
    if not Path(NGINX).exists():
        pytest.fail(f"{NGINX} is missing: install Debian's nginx (scripts/test does)")
    monkeypatch.setenv("L10N_READER_MAX_AGE", "0")
    monkeypatch.setenv("L10N_PROXIES", "1")
    token = Accounts(database_path(tree / "instance")).add_user("olena", "translator", ["en"]).token
    servers: list[LiveServer] = []
    nginx = None
    try:
        editing = LiveServer(tree, workers=1)
        servers.append(editing)
        readers = editing
        if split:
            monkeypatch.setenv("L10N_READERS_ONLY", "1")
            readers = LiveServer(tree, workers=1)
            servers.append(readers)
            monkeypatch.delenv("L10N_READERS_ONLY")
        nginx = Nginx(tmp_path / "nginx", readers=[f"127.0.0.1:{readers.port}"], editing=[f"127.0.0.1:{editing.port}"])
        yield Site(nginx, editing, readers, tree, token)
    finally:
        if nginx is not None:
            nginx.stop()
        for server in servers:
            server.stop()


@pytest.fixture
def two_pools(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """nginx → a readers-only pool for reader pages, an editing pool for the API; one worker each."""
    yield from _site(tree, tmp_path, monkeypatch, split=True)


@pytest.fixture
def one_pool(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """nginx → one instance of one worker for everything (deploy/render_nginx.py without --editing's split)."""
    yield from _site(tree, tmp_path, monkeypatch, split=False)


def _save_title(site: Site) -> tuple[int, str]:
    """Save a new English title through nginx's API route (it waits for the catalog's lock)."""
    body = json.dumps({"msgstr": NEW_TITLE, "base": TITLE_EN}).encode()
    answer = site.nginx.request("PUT", f"/api/catalogs/en/articles/{SLUG}/entries/{entry_id_of('title', TITLE_UK)}",
                                {"Authorization": f"Bearer {site.token}", "Content-Type": "application/json"}, body)
    return answer.status, answer.text


def _lock_file(site: Site) -> Path:
    return lock_folder(site.tree / "instance") / "en" / (article_domain(SLUG).replace("/", "__") + ".lock")


def _someone_waits_for(lock_file: Path) -> bool:
    """Tell whether a process is blocked on ``lock_file``'s flock (a ``->`` line of /proc/locks)."""
    inode = os.stat(lock_file).st_ino
    return any("->" in line and line.split()[6].endswith(f":{inode}")
               for line in Path("/proc/locks").read_text().splitlines())


@contextlib.contextmanager
def _editing_worker_held(site: Site, pool: concurrent.futures.Executor) -> Iterator[concurrent.futures.Future]:
    """Hold the catalog's lock and send a save that waits for it: the editing pool's only worker is taken.

    Yields the save's future; the lock is let go on leaving, and the save goes on.
    """
    with catalog_lock(lock_folder(site.tree / "instance"), "en", article_domain(SLUG)):
        save = pool.submit(_save_title, site)
        until(lambda: _someone_waits_for(_lock_file(site)), timeout=30)
        yield save


def test_reader_pages_answer_while_the_editing_pool_is_fully_occupied(two_pools: Site):
    site = two_pools
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        with _editing_worker_held(site, pool) as save:
            editing_health = pool.submit(_health, site.editing.port)
            for path in READER_PAGES:  # through nginx, to the readers' pool: none waits for the held worker
                page = site.nginx.get(path)
                assert (page.status, page.cache) == (200, "MISS"), path
            assert TITLE_EN in site.nginx.get(f"/en/articles/{SLUG}").text  # the locked catalog is read without its lock
            # The editing pool really was occupied all along: its /healthz waits in the listen queue, unanswered.
            until(lambda: _queued_connections(site.editing.port) >= 1, timeout=30)
            assert not save.done() and not editing_health.done()
        assert save.result(timeout=60)[0] == 200
        assert editing_health.result(timeout=60) == 200

    # The readers' pool reads the files the editing pool wrote by their identity: the save is served at once.
    assert NEW_TITLE in _page(site.readers.port, f"/en/articles/{SLUG}")
    assert NEW_TITLE in site.nginx.get(f"/en/articles/{SLUG}").text
    used = {line.rsplit(" ", 1)[-1] for line in site.nginx.log("access.log").splitlines() if " /api/" not in line}
    assert used == {f"127.0.0.1:{site.readers.port}"}, used


def test_with_one_pool_a_reader_waits_for_the_held_worker(one_pool: Site):
    site = one_pool
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        with _editing_worker_held(site, pool) as save:
            reader = pool.submit(site.nginx.get, "/uk/")
            # nginx has passed the reader's request on: it waits in the instance's listen queue, since the
            # one worker waits in flock for as long as the lock is held; no answer comes meanwhile.
            until(lambda: _queued_connections(site.editing.port) >= 1, timeout=30)
            assert not reader.done() and not save.done()
        assert reader.result(timeout=60).status == 200
        assert save.result(timeout=60)[0] == 200


def test_nginx_reads_a_slow_upload_whole_before_it_takes_a_worker(two_pools: Site):
    site = two_pools
    url = f"/api/catalogs/en/articles/{SLUG}/po"
    connection = http.client.HTTPConnection("127.0.0.1", site.nginx.port, timeout=30)
    connection.request("GET", url, headers={"Authorization": f"Bearer {site.token}"})
    catalog = connection.getresponse().read()
    connection.close()
    body = catalog + b"\n" + b"".join(b'#~ msgid "old line %d"\n#~ msgstr "stara %d"\n\n' % (n, n) for n in range(20000))
    with contextlib.closing(http.client.HTTPConnection("127.0.0.1", site.nginx.port, timeout=30)) as upload:
        upload.putrequest("PUT", url)
        for name, value in [("Authorization", f"Bearer {site.token}"), ("Content-Type", "text/x-gettext-translation"),
                            ("Content-Length", str(len(body)))]:
            upload.putheader(name, value)
        upload.endheaders(body[: len(body) // 2])
        # nginx keeps what came of the body in a temporary file (past its 128k buffer) and waits for the
        # rest, sent by nobody yet: the editing pool's only worker is still free.
        until(lambda: _holds_a_request_body(site.nginx), timeout=30)
        assert _health(site.editing.port) == 200
        upload.send(body[len(body) // 2:])
        answer = upload.getresponse()
        text = answer.read()
    assert answer.status == 200, text[:500]
    assert json.loads(text)["conflicts"] == []


def _queued_connections(port: int) -> int:
    """Connections to 127.0.0.1:``port`` that no worker has accepted yet (the listen socket's queue)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == f"0100007F:{port:04X}" and fields[3] == "0A":  # LISTEN: rx_queue is the accept queue
            return int(fields[4].split(":")[1], 16)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


def _holds_a_request_body(nginx: Nginx) -> bool:
    """Tell whether an nginx worker has a request body's temporary file open (unlinked once opened)."""
    for worker in Path(f"/proc/{nginx.process.pid}/task/{nginx.process.pid}/children").read_text().split():
        for descriptor in Path(f"/proc/{worker}/fd").iterdir():
            with contextlib.suppress(OSError):
                if str(nginx.prefix / "temp" / "body") in os.readlink(descriptor):
                    return True
    return False


def _health(port: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status
    finally:
        connection.close()


def _page(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 200
        return response.read().decode()
    finally:
        connection.close()


#: A page under each of the editing host's prefixes (service/web/replica.py's EDITING_PREFIXES).
EDITING_PAGES = ["/translate/", "/editor/coverage", "/admin/security", "/account/password", "/api/catalogs",
                 "/login", "/logout"]


def test_every_editing_page_goes_to_the_editing_pool(two_pools: Site):
    site = two_pools
    assert {page.split("/")[1] for page in EDITING_PAGES} == {prefix[1:] for prefix in EDITING_PREFIXES}
    for page in EDITING_PAGES:
        # The editing pool answers (a page, or the way to sign in); the readers-only pool would say 404.
        assert site.nginx.get(page).status != 404, page
    upstreams = {line.split()[1]: line.rsplit(" ", 1)[-1] for line in site.nginx.log("access.log").splitlines()}
    assert {upstreams[page] for page in EDITING_PAGES} == {f"127.0.0.1:{site.editing.port}"}, upstreams
