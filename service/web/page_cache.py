"""Rendered reader pages kept per worker and served before Flask routes, while their key holds.

A WSGI middleware in front of the app recognises the reader's pages from the path alone
(``/``, ``/<lang>/``, ``/<lang>/categories/<category>/``, ``/<lang>/articles/<slug>``), computes the page's key
(:mod:`.page_keys`: a handful of ``stat`` calls) and, when the stored page was made of the
same things, answers with its stored status, headers (``Cache-Control``, ``ETag``,
``Content-Language``, ``Vary``, the security headers) and bytes — or ``304`` when the
request's ``If-None-Match`` names its ETag, and no body for ``HEAD``. Anything else, or
a key that changed, goes to Flask; the view names its page's key in the WSGI environ
(:func:`remember_key`), computed before it renders, and the middleware stores the ``200``
answer under it. A response that sets a cookie is never stored.

Only hosts Flask accepted (``TRUSTED_HOSTS``) ever get a stored page, since the host is part
of the address. The store is bounded (pages, and bytes: bodies, headers and a per-page overhead):
when full it is emptied and fills again.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Hashable, Iterable

from flask import Flask, current_app, request
from werkzeug.datastructures import Headers
from werkzeug.http import is_resource_modified, remove_entity_headers, unquote_etag

from ..domain.categories import CATEGORIES
from ..domain.names import is_valid_slug
from .extension import app_object
from .page_keys import PageKeys

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

#: Where a view leaves its page's key for the middleware.
ENVIRON_KEY = "newsroom.page_key"
#: The answers worth storing: pages, and the redirect at the root.
STORED_STATUSES = ("200 ", "302 ")
#: Longer request headers than this are not worth an entry: such requests go to Flask.
MAX_HEADER = 512
#: What one worker's stored pages may take (about 1,800 article pages): a worker stays within
#: its memory budget (≤ 150 MB after reading thousands of articles, ``bench/start_bench.py``).
MAX_BYTES = 24 * 1024 * 1024
#: Bytes a stored page takes besides its body and header text (its key, address and the
#: Python objects holding them): measured about 2.7 KB per article page with tracemalloc.
PAGE_OVERHEAD = 2048


@dataclass(frozen=True)
class StoredPage:
    """One rendered answer and what it was made of."""

    key: Hashable
    etag: str | None
    status: str
    headers: list[tuple[str, str]]
    not_modified_headers: list[tuple[str, str]]
    body: bytes


class PageCache:
    """The rendered reader pages of one worker, by address."""

    def __init__(self, max_pages: int = 8192, max_bytes: int = MAX_BYTES, overhead: int = PAGE_OVERHEAD) -> None:
        self.max_pages = max_pages
        self.max_bytes = max_bytes
        self.overhead = overhead
        self._bytes = 0
        self._pages: dict[Hashable, StoredPage] = {}
        self._lock = threading.Lock()
        #: Set by :func:`init_app`: how the app's pages are keyed.
        self.keys: PageKeys | None = None
        #: How many answers came from the store (tests and benchmarks look).
        self.hits = 0

    def get(self, address: Hashable) -> StoredPage | None:
        """Return the page stored at ``address``, if any."""
        return self._pages.get(address)

    def put(self, address: Hashable, page: StoredPage) -> None:
        """Store ``page`` at ``address``."""
        with self._lock:
            size = self.size_of(page)
            if len(self._pages) >= self.max_pages or self._bytes + size > self.max_bytes:
                self._pages.clear()
                self._bytes = 0
            replaced = self._pages.get(address)
            self._bytes += size - (self.size_of(replaced) if replaced is not None else 0)
            self._pages[address] = page

    def size_of(self, page: StoredPage) -> int:
        """Return what a stored page is counted as: its body, its headers' text and :attr:`overhead`."""
        headers = sum(len(name) + len(value) for name, value in page.headers + page.not_modified_headers)
        return len(page.body) + headers + self.overhead

    def __len__(self) -> int:
        return len(self._pages)


def page_of(path: str, languages: Iterable[str]) -> tuple[str, ...] | None:
    """Name the reader page at ``path``: ``("root",)``, ``("front", lang)``, ``("category", lang, category)``,
    ``("article", lang, slug)`` or ``None``."""
    if path == "/":
        return ("root",)
    parts = path.split("/")
    if len(parts) == 3 and parts[2] == "" and parts[1] in languages:
        return ("front", parts[1])
    if len(parts) == 4 and parts[2] == "articles" and parts[1] in languages and is_valid_slug(parts[3]):
        return ("article", parts[1], parts[3])
    if (len(parts) == 5 and parts[2] == "categories" and parts[4] == "" and parts[1] in languages
            and parts[3] in CATEGORIES):
        return ("category", parts[1], parts[3])
    return None


def address_of(environ: WSGIEnvironment, page: tuple[str, ...]) -> Hashable | None:
    """Return what besides its key tells one answer from another; ``None`` when not worth storing."""
    parts = [environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), environ.get("HTTP_HOST", ""),
             environ.get("SERVER_NAME", ""), environ.get("SERVER_PORT", ""), environ.get("wsgi.url_scheme", ""),
             environ.get("SCRIPT_NAME", "")]
    if page[0] == "root":  # the redirect depends on who asks
        parts += [environ.get("HTTP_COOKIE", ""), environ.get("HTTP_ACCEPT_LANGUAGE", "")]
    if any(len(part) > MAX_HEADER for part in parts):
        return None
    return tuple(parts)


def remember_key(key: Hashable | None) -> None:
    """Tell the middleware what the page being rendered is made of (``None``: not to be stored)."""
    if key is None:
        return
    environ = request.environ
    page = page_of(environ.get("PATH_INFO", ""), current_app.config["LANGUAGES"])
    address = address_of(environ, page) if page is not None else None
    if address is not None:
        environ[ENVIRON_KEY] = (address, key)


class PageMiddleware:
    """Serve stored reader pages before Flask; store the pages Flask renders."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication, cache: PageCache, keys: PageKeys) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.cache = cache
        self.keys = keys
        self.languages = frozenset(keys.languages)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        page = page_of(environ.get("PATH_INFO", ""), self.languages) if method in ("GET", "HEAD") else None
        if page is None:
            return self.wsgi_app(environ, start_response)
        address = address_of(environ, page)
        stored = self.cache.get(address) if address is not None else None
        if stored is not None and stored.key == self.keys.of(page):
            self.cache.hits += 1
            return self._serve(stored, environ, start_response, method == "HEAD")
        return self._render(environ, start_response, method == "GET")

    @staticmethod
    def _serve(stored: StoredPage, environ: WSGIEnvironment, start_response: StartResponse,
               head: bool) -> Iterable[bytes]:
        if stored.etag is not None and "HTTP_IF_NONE_MATCH" in environ \
                and not is_resource_modified(environ, etag=stored.etag):
            start_response("304 NOT MODIFIED", list(stored.not_modified_headers))
            return []
        start_response(stored.status, list(stored.headers))
        return [] if head else [stored.body]

    def _render(self, environ: WSGIEnvironment, start_response: StartResponse, storable: bool) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        answer = self.wsgi_app(environ, capture)
        named = environ.get(ENVIRON_KEY)
        status: str = captured.get("status", "")
        headers: list[tuple[str, str]] = captured.get("headers", [])
        if (not storable or named is None or not status.startswith(STORED_STATUSES)
                or any(name.lower() == "set-cookie" for name, _value in headers)):
            return answer
        try:
            body = b"".join(answer)
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        address, key = named
        etag = next((unquote_etag(value)[0] for name, value in headers if name.lower() == "etag"), None)
        not_modified = Headers(headers)
        remove_entity_headers(not_modified)
        self.cache.put(address, StoredPage(key, etag, status, list(headers), not_modified.to_wsgi_list(), body))
        return [body]


def pages(app: Flask | None = None) -> PageCache:
    """Return the page cache of ``app`` (by default the current app)."""
    return app_object(PageCache, app)


def init_app(app: Flask) -> None:
    """Put the page cache in front of ``app`` (before any proxy fix is wrapped around it)."""
    cache = pages(app)
    cache.keys = PageKeys(app)
    app.wsgi_app = PageMiddleware(app, app.wsgi_app, cache, cache.keys)  # type: ignore[method-assign]
