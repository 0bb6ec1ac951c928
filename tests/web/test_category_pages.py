"""Category pages (issue 10, part 2): a category's articles per language, paged like the front page, cached like it."""
from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from service.domain.categories import CATEGORIES
from service.domain.names import CatalogKey, article_domain
from service.web import reader
from service.web.extension import services
from service.web.page_cache import pages

from ..conftest import prepared_app, tree_settings

NOW = datetime(2026, 11, 25, 0, 40, tzinfo=UTC)
#: Moved into "society" by :func:`society_tree`, with lviv-ryasne-tram-line already there; newest first.
SOCIETY_UK = ["chernihiv-library-restoration", "lviv-ryasne-tram-line", "carpathian-lynx-camera-traps",
              "odesa-ports-grain-exports"]
SOCIETY_EN = [slug for slug in SOCIETY_UK if slug != "carpathian-lynx-camera-traps"]  # incomplete in English


def _set_category(tree: Path, slug: str, category: str) -> None:
    """Rewrite a source's category as an editor's save does: a new file renamed over the old one."""
    path = tree / "content" / f"{slug}.md"
    text = re.sub(r'^category = "[a-z]+"$', f'category = "{category}"', path.read_text(), count=1, flags=re.MULTILINE)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


@pytest.fixture
def society_tree(tree: Path) -> Path:
    for slug in SOCIETY_UK:
        _set_category(tree, slug, "society")
    return tree


def _app(tree: Path, **settings):
    return prepared_app({**tree_settings(tree), "SECRET_KEY": "test-secret", "TESTING": True, "CLOCK": lambda: NOW,
                         "ARCHIVE_CHECK_EVERY": 0, **settings})


def slugs_listed(html: str, language: str) -> list[str]:
    return re.findall(rf'<h2><a href="/{language}/articles/([a-z0-9-]+)"', html)


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


# --- what the page shows ------------------------------------------------------------------------

def test_a_category_page_lists_its_published_articles_newest_first(society_tree):
    client = _app(society_tree).test_client()
    assert slugs_listed(client.get("/uk/categories/society/").text, "uk") == SOCIETY_UK
    assert slugs_listed(client.get("/en/categories/society/").text, "en") == SOCIETY_EN
    assert slugs_listed(client.get("/uk/categories/sport/").text, "uk") == ["ukraine-biathlon-world-cup-squad"]


def test_a_category_page_speaks_its_language(tree):
    client = _app(tree).test_client()
    response = client.get("/uk/categories/culture/")
    html = response.text
    assert response.status_code == 200 and response.headers["Content-Language"] == "uk"
    assert '<html lang="uk">' in html
    assert '<h1 class="page-title">Культура</h1>' in html and "<title>Культура — Редакція</title>" in html
    assert '<meta name="description" content="Останні новини рубрики «Культура»' in html
    english = client.get("/en/categories/culture/").text
    assert '<h1 class="page-title">Culture</h1>' in english and '<html lang="en">' in english
    assert '<meta name="description" content="The latest news in the Culture section of the Newsroom.">' in english


def test_a_category_page_names_itself_in_every_language_and_its_canonical_url(tree):
    html = _app(tree).test_client().get("/en/categories/culture/").text
    assert '<link rel="alternate" hreflang="uk" href="http://localhost/uk/categories/culture/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://localhost/en/categories/culture/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://localhost/categories/culture/">' in html
    assert '<link rel="canonical" href="http://localhost/en/categories/culture/">' in html
    # The language switcher leads to the same category.
    assert 'href="/set-language/uk?next=/uk/categories/culture/"' in html


def test_a_category_page_names_only_the_languages_it_lists_something_in_as_the_sitemap_does(tree):
    client = _app(tree).test_client()
    # The only science article (the lynx) is incomplete in English: the English science page is empty.
    uk = client.get("/uk/categories/science/").text
    assert '<link rel="alternate" hreflang="uk" href="http://localhost/uk/categories/science/">' in uk
    assert 'hreflang="en" href="http://localhost/en/categories/science/"' not in uk
    assert '<link rel="alternate" hreflang="x-default" href="http://localhost/categories/science/">' in uk
    assert '<meta name="robots"' not in uk
    en = client.get("/en/categories/science/")
    assert en.status_code == 200 and "There is nothing in this section yet." in en.text
    assert '<link rel="alternate" hreflang' not in en.text and '<meta name="robots" content="noindex">' in en.text
    sitemap = client.get("/sitemap.xml").text
    assert "<loc>http://localhost/uk/categories/science/</loc>" in sitemap
    assert "/en/categories/science/" not in sitemap


def test_a_category_page_is_paginated_like_the_front_page(society_tree):
    client = _app(society_tree, READER_PAGE_SIZE=3).test_client()
    first = client.get("/uk/categories/society/").text
    second = client.get("/uk/categories/society/?page=2").text
    assert slugs_listed(first, "uk") + slugs_listed(second, "uk") == SOCIETY_UK
    assert "Сторінка 1 з 2" in first and "Сторінка 2 з 2" in second
    assert 'rel="next" href="/uk/categories/society/?page=2"' in first and 'rel="prev"' not in first
    assert 'rel="prev" href="/uk/categories/society/"' in second and 'rel="next"' not in second
    assert '<link rel="canonical" href="http://localhost/uk/categories/society/?page=2">' in second
    assert '<link rel="alternate" hreflang' not in second  # a later page has no translation to name
    assert client.get("/uk/categories/society/?page=3").status_code == 404
    assert client.get("/uk/categories/society/?page=0").status_code == 404
    assert client.get("/uk/categories/society/?page=x").status_code == 404


def test_an_empty_category_is_a_page_saying_so(tree):
    client = _app(tree).test_client()
    response = client.get("/uk/categories/politics/")
    assert response.status_code == 200
    assert "У цій рубриці ще нічого немає." in response.text and slugs_listed(response.text, "uk") == []
    assert "There is nothing in this section yet." in client.get("/en/categories/politics/").text


@pytest.mark.parametrize("path, language, words", [
    ("/uk/categories/no-such-category/", "uk", "Сторінку не знайдено"),
    ("/en/categories/no-such-category/", "en", "Page not found"),
    ("/en/categories/Culture/", "en", "Page not found"),
    ("/en/categories/%00/", "en", "Page not found"),
])
def test_an_unknown_category_is_a_404_page_in_the_urls_language(tree, path, language, words):
    response = _app(tree).test_client().get(path)
    assert response.status_code == 404 and words in response.text
    assert response.headers["Content-Language"] == language


def test_the_negotiating_category_url_redirects_to_the_readers_language(tree):
    client = _app(tree).test_client()
    response = client.get("/categories/sport/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.status_code == 302 and response.headers["Location"] == "/en/categories/sport/"
    assert {"Accept-Language", "Cookie"} <= set(response.vary)
    client.set_cookie("lang", "uk")
    assert client.get("/categories/sport/", headers={"Accept-Language": "en"}).headers["Location"] == \
        "/uk/categories/sport/"
    assert client.get("/categories/no-such-category/").status_code == 404


# --- links to it --------------------------------------------------------------------------------

def test_category_labels_and_the_navigation_link_to_category_pages(tree):
    client = _app(tree).test_client()
    front = client.get("/uk/").text
    assert '<a class="category" href="/uk/categories/culture/">Культура</a>' in front
    for key in CATEGORIES:
        assert f'<li><a href="/uk/categories/{key}/"' in front
    article = client.get("/en/articles/ukraine-biathlon-world-cup-squad").text
    assert '<a class="category" href="/en/categories/sport/">Sport</a>' in article
    page = client.get("/en/categories/sport/").text
    assert '<li><a href="/en/categories/sport/" aria-current="page">Sport</a></li>' in page
    assert 'aria-current="page"' not in front


# --- the page cache -----------------------------------------------------------------------------

def test_a_stored_category_page_is_served_without_rendering_or_listing(tree, monkeypatch, renders):
    app = _app(tree, ARCHIVE_CHECK_EVERY=60, ARCHIVE_REVALIDATE_EVERY=600)
    client = app.test_client()
    first = client.get("/uk/categories/culture/")
    assert "public" in first.headers["Cache-Control"] and "Vary" not in first.headers

    def no_listing(*args, **kwargs):
        raise AssertionError("a folder was listed on a stored page")

    monkeypatch.setattr(os, "scandir", no_listing)
    stored = client.get("/uk/categories/culture/")
    assert stored.data == first.data and stored.headers["ETag"] == first.headers["ETag"]
    assert "Vary" not in stored.headers and stored.headers["Content-Language"] == "uk"
    not_modified = client.get("/uk/categories/culture/", headers={"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert renders == ["reader/category.html"] and pages(app).hits == 2


def test_the_front_pages_listing_serves_category_pages_too(tree, monkeypatch):
    app = _app(tree, ARCHIVE_CHECK_EVERY=60, ARCHIVE_REVALIDATE_EVERY=600)
    client = app.test_client()
    client.get("/uk/")
    scans = pages(app).keys.watch.scans
    for key in CATEGORIES:
        for language in ("uk", "en"):
            assert client.get(f"/{language}/categories/{key}/").status_code == 200
    assert pages(app).keys.watch.scans == scans  # every category page from the front page's one scan


def test_a_translation_saved_in_another_worker_shows_on_the_next_request(tree):
    reader_worker, writer_worker = _app(tree).test_client(), _app(tree)
    before = reader_worker.get("/en/categories/culture/")
    assert reader_worker.get("/en/categories/culture/").data == before.data  # stored
    with services(writer_worker).catalogs.edit(CatalogKey("en", article_domain("chernihiv-library-restoration"))) as draft:
        entry = next(entry for entry in draft.catalog if entry.msgctxt == "title")
        entry.msgstr = "A library reborn in Chernihiv"
        draft.changed([entry])
    after = reader_worker.get("/en/categories/culture/", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "A library reborn in Chernihiv" in after.text


def test_a_source_moved_to_another_category_moves_on_the_next_request(tree):
    client = _app(tree).test_client()
    assert slugs_listed(client.get("/uk/categories/sport/").text, "uk") == ["ukraine-biathlon-world-cup-squad"]
    assert slugs_listed(client.get("/uk/categories/world/").text, "uk") == ["nordic-baltic-grid-repair-fund"]
    _set_category(tree, "ukraine-biathlon-world-cup-squad", "world")
    assert slugs_listed(client.get("/uk/categories/sport/").text, "uk") == []
    assert slugs_listed(client.get("/uk/categories/world/").text, "uk") == [
        "ukraine-biathlon-world-cup-squad", "nordic-baltic-grid-repair-fund"]


def test_the_negotiating_urls_keep_the_page_asked_for(tree):
    client = _app(tree).test_client()
    headers = {"Accept-Language": "en"}
    assert client.get("/categories/society/?page=2", headers=headers).headers["Location"] == \
        "/en/categories/society/?page=2"
    assert client.get("/?page=2", headers=headers).headers["Location"] == "/en/?page=2"
    assert client.get("/", headers=headers).headers["Location"] == "/en/"
