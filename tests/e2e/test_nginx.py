"""Debian's nginx with deploy/nginx/l10n.conf in front of two gunicorn instances over one tree.

The instances: ``editing`` (a full app: the workspace, API and sign-in go only there) and
``replica`` (``READERS_ONLY``); reader requests are shared between both. nginx runs as a
non-daemon child with its own prefix, pid file, temporary, cache and log paths in
``tmp_path``, on a free port of 127.0.0.1, and stops with the test.
"""
from __future__ import annotations

import grp
import http.client
import os
import pwd
import re
import signal
import subprocess
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from ..web.conftest import csrf_token_from
from .conftest import LiveServer, _free_port
from service.config import PROJECT_ROOT
from service.storage.accounts import Accounts, database_path
from service.domain.editing import entry_id_of

pytestmark = pytest.mark.e2e

NGINX = "/usr/sbin/nginx"
MAX_AGE = 2  # seconds: READER_MAX_AGE of both instances, so entries expire within the test
SLUG = "lviv-ryasne-tram-line"
ARTICLE = f"/en/articles/{SLUG}"
TITLE_UK = "У Львові почали будувати трамвайну лінію до Рясного"
TITLE_EN = "Lviv begins building a tram line to Riasne"


def _render_site(readers: list[str], editing: list[str], port: int, cache_dir: Path) -> str:
    import importlib.util

    spec = importlib.util.spec_from_file_location("render_nginx", PROJECT_ROOT / "deploy" / "render_nginx.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.render(readers, editing, listen=f"127.0.0.1:{port}", server_name="_", cache_dir=str(cache_dir))


def _main_config(prefix: Path, site: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf is to the site file, with every path in ``prefix``."""
    user, group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
    temp = prefix / "temp"
    return f"""
# Workers as this user: they write the cache in tmp_path (ignored when not started as root).
user {user} {group};
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} notice;
events {{ worker_connections 128; }}
http {{
    client_body_temp_path {temp / "body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    log_format upstreams '$request_method $request_uri $status "$upstream_cache_status" $upstream_addr';
    access_log {prefix / "access.log"} upstreams;
    include {site};
}}
"""


class Nginx:
    """Debian's nginx, not a daemon, with every path of its own under ``prefix``."""

    START_TIMEOUT = 20
    ATTEMPTS = 3

    def __init__(self, prefix: Path, readers: list[str], editing: list[str]) -> None:
        self.prefix = prefix
        for attempt in range(1, self.ATTEMPTS + 1):
            try:
                self._start(readers, editing)
                return
            except RuntimeError:
                if attempt == self.ATTEMPTS:
                    raise

    def _start(self, readers: list[str], editing: list[str]) -> None:
        self.port = _free_port()
        self.prefix.mkdir(parents=True, exist_ok=True)
        (self.prefix / "temp").mkdir(exist_ok=True)
        site, config = self.prefix / "l10n.conf", self.prefix / "nginx.conf"
        site.write_text(_render_site(readers, editing, self.port, self.prefix / "cache"))
        config.write_text(_main_config(self.prefix, site))
        command = [NGINX, "-p", f"{self.prefix}/", "-c", str(config), "-e", str(self.prefix / "error.log")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen([*command, "-g", "daemon off;"], start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + self.START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz").status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("nginx exited: " + self.log("error.log")[-2000:])
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not answer within {self.START_TIMEOUT} s")

    def log(self, name: str) -> str:
        path = self.prefix / name
        return path.read_text(errors="replace") if path.exists() else ""

    def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                body: bytes | None = None) -> "Answer":
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read().decode("utf-8", "replace"))
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> "Answer":
        return self.request("GET", path, {name.replace("_", "-"): value for name, value in headers.items()})

    def stop(self) -> None:
        """Stop nginx (master and worker); the whole process group if it does not go quietly."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: finish the requests in flight
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def cache(self) -> str | None:
        return self.headers.get("X-Cache-Status")


@dataclass
class Site:
    nginx: Nginx
    editing: LiveServer
    replica: LiveServer
    tree: Path


@pytest.fixture
def site(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """nginx → {editing, replica} for reader pages, → editing for the workspace, API and sign-in."""
    if not Path(NGINX).exists():
        pytest.fail(f"{NGINX} is missing: install Debian's nginx (scripts/test does)")
    monkeypatch.setenv("L10N_READER_MAX_AGE", str(MAX_AGE))
    monkeypatch.setenv("L10N_PROXIES", "1")  # as the deploy/l10n.env file says, behind nginx
    servers: list[LiveServer] = []
    nginx = None
    try:
        editing = LiveServer(tree, workers=1)
        servers.append(editing)
        monkeypatch.setenv("L10N_READERS_ONLY", "1")
        replica = LiveServer(tree, workers=1)
        servers.append(replica)
        monkeypatch.delenv("L10N_READERS_ONLY")
        addresses = [f"127.0.0.1:{server.port}" for server in servers]
        nginx = Nginx(tmp_path / "nginx", readers=addresses, editing=addresses[:1])
        yield Site(nginx, editing, replica, tree)
    finally:
        if nginx is not None:
            nginx.stop()
        for server in servers:
            server.stop()


def until(condition, timeout: float, step: float = 0.2):
    """Call ``condition`` until it answers something true; return that answer (fail after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while True:
        answer = condition()
        if answer:
            return answer
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(step)


def test_an_article_is_served_from_the_cache_and_revalidated_with_its_etag(site: Site):
    nginx = site.nginx
    first, second = nginx.get(ARTICLE), nginx.get(ARTICLE)
    assert (first.status, first.cache) == (200, "MISS")
    assert (second.status, second.cache) == (200, "HIT")
    assert second.text == first.text and TITLE_EN in second.text
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Cache-Control"] == f"public, max-age={MAX_AGE}"
    assert "Set-Cookie" not in first.headers and "Set-Cookie" not in second.headers
    # A browser's conditional GET is answered by nginx from its cache.
    conditional = nginx.get(ARTICLE, If_None_Match=first.headers["ETag"])
    assert (conditional.status, conditional.cache) == (304, "HIT")

    # Once the entry expires, nginx asks with If-None-Match; the app's 304 keeps the stored page.
    time.sleep(MAX_AGE + 1.1)
    revalidated = nginx.get(ARTICLE)
    assert (revalidated.status, revalidated.cache, revalidated.text) == (200, "REVALIDATED", first.text)
    assert nginx.get(ARTICLE).cache == "HIT"
    assert re.search(rf'GET {ARTICLE} 200 "REVALIDATED" 127\.0\.0\.1:\d+', nginx.log("access.log"))

    # Category pages and static files are cached too; every page went to one of the two instances.
    assert [nginx.get("/uk/categories/culture/").cache for _ in range(2)] == ["MISS", "HIT"]
    assert [nginx.get("/static/reader.css").cache for _ in range(2)] == ["MISS", "HIT"]
    for _ in range(4):
        assert nginx.get("/uk/?page=1&n=" + str(_)).status == 200
    used = set(re.findall(r"127\.0\.0\.1:(\d+)", nginx.log("access.log")))
    assert used == {str(site.editing.port), str(site.replica.port)}


def test_a_saved_translation_reaches_readers_once_the_entry_expires(site: Site):
    nginx = site.nginx
    assert nginx.get(ARTICLE).cache == "MISS"
    assert nginx.get(ARTICLE).cache == "HIT"
    token = Accounts(database_path(site.tree / "instance")).add_user("olena", "translator", ["en"]).token
    new_title = "Lviv starts work on the Riasne tram line"
    body = ('{"msgstr": "%s", "base": "%s"}' % (new_title, TITLE_EN)).encode()
    saved = nginx.request("PUT", f"/api/catalogs/en/articles/{SLUG}/entries/{entry_id_of('title', TITLE_UK)}",
                          {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, body)
    assert saved.status == 200, saved.text
    assert saved.cache is None and "no-store" in saved.headers["Cache-Control"]  # the API is never cached

    seen: list[tuple[str | None, bool]] = []

    def new_text_served() -> Answer | None:
        answer = nginx.get(ARTICLE)
        seen.append((answer.cache, new_title in answer.text))
        return answer if new_title in answer.text else None

    fresh = until(new_text_served, timeout=MAX_AGE + 10)
    # Until the entry expired readers got the stored page; then nginx's revalidation brought the new one.
    assert all(cache in ("HIT", "UPDATING", "STALE") and not new for cache, new in seen[:-1]), seen
    assert fresh.cache == "EXPIRED" and TITLE_EN not in fresh.text
    assert nginx.get(ARTICLE).cache == "HIT"


def test_a_reader_is_redirected_by_language_through_the_proxy(site: Site):
    nginx = site.nginx
    for _ in range(2):  # the same URL, asked twice by different readers: never one reader's answer for another
        english = nginx.get("/", Accept_Language="en-GB,en;q=0.9,uk;q=0.5")
        assert (english.status, english.headers["Location"]) == (302, "/en/")
        ukrainian = nginx.get("/", Accept_Language="uk-UA")
        assert (ukrainian.status, ukrainian.headers["Location"]) == (302, "/uk/")
    assert english.cache is None and ukrainian.cache is None  # not cached at all
    assert {part.strip() for part in english.headers["Vary"].split(",")} >= {"Accept-Language", "Cookie"}
    assert nginx.get("/", Accept_Language="uk", Cookie="lang=en").headers["Location"] == "/en/"
    article = nginx.get(f"/articles/{SLUG}", Accept_Language="en")
    assert (article.status, article.headers["Location"], article.cache) == (302, ARTICLE, None)
    assert nginx.get(f"/articles/{SLUG}", Accept_Language="uk").headers["Location"] == f"/uk/articles/{SLUG}"
    section = nginx.get("/categories/culture/", Accept_Language="en")
    assert (section.status, section.headers["Location"], section.cache) == (302, "/en/categories/culture/", None)
    assert nginx.get("/categories/culture/", Accept_Language="uk").headers["Location"] == "/uk/categories/culture/"
    # The page it leads to is the cacheable one, and a reader's forged X-Forwarded-Proto is not believed.
    page = nginx.get("/en/", X_Forwarded_Proto="https")
    assert page.status == 200 and f'href="http://127.0.0.1:{nginx.port}/en/"' in page.text  # nginx's own port


def test_no_signed_in_page_is_ever_cached(site: Site):
    nginx = site.nginx
    credentials = Accounts(database_path(site.tree / "instance")).add_user("taras", "translator", ["uk"])

    # Sign in through the proxy, as a browser does.
    form = nginx.get("/login")
    assert form.status == 200 and form.cache is None
    cookie = form.headers["Set-Cookie"].split(";", 1)[0]
    fields = urllib.parse.urlencode({"csrf_token": csrf_token_from(form.text), "name": "taras",
                                     "password": credentials.password, "next": "/translate/"})
    signed_in = nginx.request("POST", "/login", {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
                              fields.encode())
    assert signed_in.status == 302 and signed_in.headers["Location"] == "/translate/"
    session = signed_in.headers["Set-Cookie"].split(";", 1)[0]
    assert session.startswith("session=")

    # The workspace: never from the cache, never stored.
    for _ in range(3):
        workspace = nginx.get("/translate/", Cookie=session)
        assert workspace.status == 200 and "taras" in workspace.text
        assert workspace.cache is None and workspace.headers["Cache-Control"] == "no-store"
    anonymous = nginx.get("/translate/")
    assert anonymous.status == 302 and "taras" not in anonymous.text and anonymous.cache is None

    # Reader pages asked with the session cookie (or a token) go past the cache, and are not stored.
    for path in ["/uk/", f"/uk/articles/{SLUG}"]:
        for _ in range(2):
            assert nginx.get(path, Cookie=session).cache == "BYPASS"
        assert nginx.get(path, Authorization=f"Bearer {credentials.token}").cache == "BYPASS"
        reader = nginx.get(path)
        assert reader.cache == "MISS", "a signed-in user's answer was stored"
        assert "Set-Cookie" not in reader.headers and "taras" not in reader.text
        assert nginx.get(path, Cookie=session).cache == "BYPASS"  # even with a stored copy there
        again = nginx.get(path)
        assert again.cache == "HIT" and "Set-Cookie" not in again.headers

    # The API and the dashboard with the cookie: never cached either.
    for path in ["/api/catalogs", "/editor/coverage"]:
        assert all(nginx.get(path, Cookie=session).cache is None for _ in range(2))
    cached = re.findall(r'"(HIT|STALE|UPDATING|REVALIDATED)"', "\n".join(
        line for line in nginx.log("access.log").splitlines() if "/translate/" in line or "/api/" in line
        or "/login" in line or "/editor/" in line))
    assert cached == []
