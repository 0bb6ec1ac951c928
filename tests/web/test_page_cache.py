"""The page cache in front of the reader: stored bytes equal a render, keys follow every write, no work on a hit."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from service.domain.names import CatalogKey, article_domain
from service.web import reader
from service.web.extension import services
from service.web.page_cache import pages

from ..conftest import prepared_app, tree_settings

ARTICLE = "/en/articles/chernihiv-library-restoration"
KEPT_HEADERS = ("Content-Type", "Content-Length", "Cache-Control", "ETag", "Content-Language",
                "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options")


def _app(tree: Path, **settings):
    return prepared_app({**tree_settings(tree), "SECRET_KEY": "test-secret", "TESTING": True,
                         "ARCHIVE_CHECK_EVERY": 0, **settings})


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the reader's template renders."""
    rendered: list[str] = []
    original = reader.render_template

    def counting(template: str, **context):
        rendered.append(template)
        return original(template, **context)

    monkeypatch.setattr(reader, "render_template", counting)
    return rendered


@pytest.mark.parametrize("path", [ARTICLE, "/uk/articles/lviv-ryasne-tram-line", "/en/", "/uk/", "/uk/?page=1",
                                  "/en/categories/culture/", "/uk/categories/politics/"])
def test_a_hit_serves_the_same_bytes_and_headers_as_a_render(tree, path, renders):
    app = _app(tree)
    client = app.test_client()
    rendered = client.get(path)
    stored = client.get(path)
    assert rendered.status_code == stored.status_code == 200
    assert len(renders) == 1 and pages(app).hits == 1
    assert stored.data == rendered.data
    for name in KEPT_HEADERS:
        assert stored.headers.get(name) == rendered.headers.get(name), name
    assert "public" in stored.headers["Cache-Control"] and "Vary" not in stored.headers
    # Another worker over the same files renders the same bytes, with the same ETag.
    other = _app(tree).test_client().get(path)
    assert other.data == rendered.data and other.headers["ETag"] == rendered.headers["ETag"]


def test_a_conditional_get_is_answered_304_without_rendering(tree, renders):
    client = _app(tree).test_client()
    etag = client.get(ARTICLE).headers["ETag"]
    assert len(renders) == 1
    again = client.get(ARTICLE, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert "Content-Type" not in again.headers and "Content-Language" not in again.headers
    assert "Content-Security-Policy" in again.headers
    assert client.get("/en/", headers={"If-None-Match": etag}).status_code == 200  # another page, another tag
    assert len(renders) == 2
    assert client.get(ARTICLE, headers={"If-None-Match": '"something-else"'}).status_code == 200
    assert len(renders) == 2


def test_head_on_a_stored_page_has_its_headers_and_no_body(tree, renders):
    client = _app(tree).test_client()
    full = client.get(ARTICLE)
    head = client.head(ARTICLE)
    assert head.status_code == 200 and head.data == b"" and len(renders) == 1
    assert head.headers["Content-Length"] == full.headers["Content-Length"]
    assert head.headers["ETag"] == full.headers["ETag"]


def test_a_save_in_one_worker_changes_the_next_answer_in_another(tree):
    reader_worker, writer_worker = _app(tree).test_client(), _app(tree)
    before_article = reader_worker.get(ARTICLE)
    before_front = reader_worker.get("/en/")
    assert reader_worker.get(ARTICLE).data == before_article.data  # stored
    with services(writer_worker).catalogs.edit(CatalogKey("en", article_domain("chernihiv-library-restoration"))) as draft:
        entry = next(entry for entry in draft.catalog if entry.msgctxt == "title")
        entry.msgstr = "A library reborn in Chernihiv"
        draft.changed([entry])
    article = reader_worker.get(ARTICLE, headers={"If-None-Match": before_article.headers["ETag"]})
    assert article.status_code == 200 and "A library reborn in Chernihiv" in article.text
    assert article.headers["ETag"] != before_article.headers["ETag"]
    front = reader_worker.get("/en/")  # the folder's mtime moved: the archive is listed again
    assert "A library reborn in Chernihiv" in front.text and front.headers["ETag"] != before_front.headers["ETag"]


def test_a_ui_catalog_update_changes_every_page(tree):
    client, writer = _app(tree).test_client(), _app(tree)
    assert "Свіжі новини" not in client.get("/uk/articles/lviv-ryasne-tram-line").text
    with services(writer).catalogs.edit(CatalogKey("uk", "messages")) as draft:
        draft.catalog.find("Latest news").msgstr = "Свіжі новини"
        draft.changed([draft.catalog.find("Latest news")])
    assert "Свіжі новини" in client.get("/uk/").text


def test_an_edited_source_changes_its_page(tree):
    client = _app(tree).test_client()
    assert "урочисто" not in client.get("/uk/articles/chernihiv-library-restoration").text
    path = tree / "content" / "chernihiv-library-restoration.md"
    path.write_text(path.read_text().replace("знову відкрилася", "урочисто відкрилася"))
    assert "урочисто відкрилася" in client.get("/uk/articles/chernihiv-library-restoration").text


def test_a_stored_front_page_lists_no_folder(tree, monkeypatch: pytest.MonkeyPatch, renders):
    app = _app(tree, ARCHIVE_CHECK_EVERY=60, ARCHIVE_REVALIDATE_EVERY=600)
    client = app.test_client()
    first = client.get("/uk/")
    client.get(ARTICLE)

    def no_listing(*args, **kwargs):
        raise AssertionError("a folder was listed on a stored page")

    monkeypatch.setattr(os, "scandir", no_listing)
    assert client.get("/uk/").data == first.data
    assert client.get(ARTICLE).status_code == 200
    assert len(renders) == 2


def test_the_redirect_at_the_root_is_stored_per_language_preference(tree):
    app = _app(tree)
    client = app.test_client()
    for _ in range(2):
        english = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
        assert english.status_code == 302 and english.headers["Location"] == "/en/"
        assert "Accept-Language" in english.headers["Vary"] and "Cookie" in english.headers["Vary"]
        assert client.get("/", headers={"Accept-Language": "uk"}).headers["Location"] == "/uk/"
    assert pages(app).hits == 2
    client.set_cookie("lang", "uk")
    assert client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).headers["Location"] == "/uk/"


def test_an_untrusted_host_is_refused_even_when_the_page_is_stored(tree):
    client = _app(tree, TRUSTED_HOSTS=["localhost"]).test_client()
    assert client.get(ARTICLE).status_code == 200
    assert client.get(ARTICLE).status_code == 200
    assert client.get(ARTICLE, headers={"Host": "evil.example"}).status_code == 400


def test_pages_for_another_host_carry_that_hosts_links(tree):
    client = _app(tree).test_client()
    assert 'href="http://localhost/en/articles' in client.get(ARTICLE).text
    other = client.get(ARTICLE, headers={"Host": "news.example"}).text
    assert 'href="http://news.example/en/articles' in other and "http://localhost" not in other


def test_a_missing_article_is_never_stored(tree):
    client = _app(tree).test_client()
    assert client.get("/en/articles/no-such-story").status_code == 404
    (tree / "content" / "no-such-story.md").write_text(
        (tree / "content" / "chernihiv-library-restoration.md").read_text())
    assert client.get("/uk/articles/no-such-story").status_code == 200


def test_the_store_is_bounded_in_bytes():
    from service.web.page_cache import PageCache, StoredPage

    cache = PageCache(max_pages=100, max_bytes=250, overhead=0)
    for number in range(3):
        cache.put(number, StoredPage(number, None, "200 OK", [], [], b"x" * 100))
    assert len(cache) == 1 and cache.get(2) is not None  # the third would have passed 250 bytes
    cache.put(2, StoredPage(2, None, "200 OK", [], [], b"y" * 100))
    cache.put(3, StoredPage(3, None, "200 OK", [], [], b"z" * 100))
    assert len(cache) == 2


def test_the_store_counts_headers_and_the_overhead_of_a_page_not_only_its_body():
    from service.web.page_cache import PageCache, StoredPage

    cache = PageCache(max_pages=100, max_bytes=1200, overhead=200)
    headers = [("Content-Type", "text/html; charset=utf-8")]  # 36 characters
    page = StoredPage(0, None, "200 OK", headers, headers, b"x" * 100)
    assert cache.size_of(page) == 100 + 2 * 36 + 200
    for number in range(3):
        cache.put(number, page)
    assert len(cache) == 3  # 3 × 372 bytes
    cache.put(3, page)
    assert len(cache) == 1 and cache.get(3) is not None  # a fourth would have passed 1,200 bytes
