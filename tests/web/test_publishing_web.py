"""What search engines, aggregators and social networks get: robots.txt, sitemaps, feeds, cards."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from service.domain import sitemaps
from service.domain.names import CatalogKey
from service.web.extension import services

from ..conftest import prepared_app, tree_settings

XSD = Path(__file__).parent.parent / "fixtures" / "xsd"
NS = {"s": sitemaps.SITEMAP_NAMESPACE, "x": sitemaps.XHTML_NAMESPACE}
BASE = "http://localhost"
EN_PUBLISHED = ["chernihiv-library-restoration", "ukraine-biathlon-world-cup-squad", "lviv-ryasne-tram-line",
                "nordic-baltic-grid-repair-fund", "odesa-ports-grain-exports"]
ALL = EN_PUBLISHED + ["carpathian-lynx-camera-traps"]
#: The categories with an article (politics has none: no page of it in the sitemap).
FILLED_CATEGORIES = ["economy", "society", "culture", "science", "sport", "world"]
#: Each category's page in each language that lists one of its articles (the lynx, science, is Ukrainian only).
CATEGORY_PAGES = {f"{BASE}/{language}/categories/{key}/" for key in FILLED_CATEGORIES for language in ("uk", "en")
                  if (key, language) != ("science", "en")}


def validated(response, schema_name: str) -> etree._Element:
    assert response.status_code == 200
    root = etree.fromstring(response.get_data())
    schema = etree.XMLSchema(etree.parse(str(XSD / schema_name)))
    assert schema.validate(root), schema.error_log
    return root


def urls_of(root: etree._Element) -> dict[str, etree._Element]:
    return {url.findtext("s:loc", namespaces=NS): url for url in root.findall("s:url", NS)}


# --- robots.txt ---------------------------------------------------------------------------------

def test_robots_names_the_sitemap_and_keeps_the_workspace_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    for path in ("/translate/", "/editor/", "/api/", "/login"):
        assert f"Disallow: {path}" in lines
    assert not any(line.strip() in ("Disallow: /", "Disallow: /uk/", "Disallow: /en/") for line in lines)


# --- sitemap.xml --------------------------------------------------------------------------------

def test_the_sitemap_lists_every_published_variant_with_its_alternates(client):
    response = client.get("/sitemap.xml")
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    urls = urls_of(validated(response, "sitemap.xsd"))
    expected = {f"{BASE}/uk/", f"{BASE}/en/"} | {f"{BASE}/uk/articles/{slug}" for slug in ALL} \
        | {f"{BASE}/en/articles/{slug}" for slug in EN_PUBLISHED} | CATEGORY_PAGES
    assert set(urls) == expected  # carpathian-lynx-camera-traps is incomplete in English: left out
    links = {(link.get("hreflang"), link.get("href"))
             for link in urls[f"{BASE}/en/articles/lviv-ryasne-tram-line"].findall("x:link", NS)}
    assert links == {("uk", f"{BASE}/uk/articles/lviv-ryasne-tram-line"),
                     ("en", f"{BASE}/en/articles/lviv-ryasne-tram-line"),
                     ("x-default", f"{BASE}/articles/lviv-ryasne-tram-line")}
    lynx = urls[f"{BASE}/uk/articles/carpathian-lynx-camera-traps"].findall("x:link", NS)
    assert [link.get("hreflang") for link in lynx] == ["uk", "x-default"]
    front = urls[f"{BASE}/en/"].findall("x:link", NS)
    assert ("x-default", f"{BASE}/") in {(link.get("hreflang"), link.get("href")) for link in front}
    culture = urls[f"{BASE}/en/categories/culture/"].findall("x:link", NS)
    assert {(link.get("hreflang"), link.get("href")) for link in culture} == {
        ("uk", f"{BASE}/uk/categories/culture/"), ("en", f"{BASE}/en/categories/culture/"),
        ("x-default", f"{BASE}/categories/culture/")}


def test_lastmod_is_when_the_variant_last_changed(client):
    urls = urls_of(validated(client.get("/sitemap.xml"), "sitemap.xsd"))

    def lastmod(language: str, slug: str) -> str:
        return urls[f"{BASE}/{language}/articles/{slug}"].findtext("s:lastmod", namespaces=NS)

    assert lastmod("en", "lviv-ryasne-tram-line") == "2026-11-25T07:10:00Z"  # stale since the source changed
    assert lastmod("uk", "lviv-ryasne-tram-line") == "2026-11-25T07:10:00Z"  # the source changed then
    assert lastmod("en", "chernihiv-library-restoration") == "2026-11-25T01:40:00Z"  # completed
    assert lastmod("uk", "chernihiv-library-restoration") == "2026-11-24T22:40:00Z"  # published
    # A category page changed when its newest article in that language did.
    assert urls[f"{BASE}/en/categories/culture/"].findtext("s:lastmod", namespaces=NS) == "2026-11-25T01:40:00Z"
    assert urls[f"{BASE}/uk/categories/science/"].findtext("s:lastmod", namespaces=NS) is not None


def test_building_the_sitemap_parses_no_article(app, client):
    sources = services(app).sources
    before = sources._parsed.loads
    assert client.get("/sitemap.xml").status_code == 200
    assert sources._parsed.loads == before


def test_sitemap_and_feed_are_revalidated_by_etag(client):
    for path in ("/sitemap.xml", "/uk/feed.xml", "/robots.txt"):
        first = client.get(path)
        assert first.cache_control.public and first.cache_control.max_age
        assert "Accept-Language" not in first.headers.get("Vary", "")
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, path


def _generate_archive(tree: Path, count: int) -> None:
    for number in range(count):
        (tree / "content" / f"generated-{number:03d}.md").write_text(
            "+++\n"
            f'title = "Згенерована новина {number}"\n'
            'category = "society"\n'
            f"published = 2025-01-01T{number % 24:02d}:00:00+02:00\n"
            'source_language = "uk"\n'
            "+++\n\n"
            f"Абзац новини номер {number}.\n",
            encoding="utf-8",
        )


def test_a_large_archive_becomes_an_index_of_parts(tree, monkeypatch):
    monkeypatch.setattr(sitemaps, "MAX_URLS", 7)
    _generate_archive(tree, 40)
    client = prepared_app({**tree_settings(tree), "SECRET_KEY": "x"}).test_client()
    index = validated(client.get("/sitemap.xml"), "siteindex.xsd")
    parts = [entry.findtext("s:loc", namespaces=NS) for entry in index.findall("s:sitemap", NS)]
    total = 2 + len(CATEGORY_PAGES) + len(ALL) + len(EN_PUBLISHED) + 40
    assert parts == [f"{BASE}/sitemap-{number}.xml" for number in range(1, -(-total // 7) + 1)]
    assert all(entry.findtext("s:lastmod", namespaces=NS) for entry in index.findall("s:sitemap", NS))
    seen: list[str] = []
    for part in parts:
        urls = urls_of(validated(client.get(part.removeprefix(BASE)), "sitemap.xsd"))
        assert 0 < len(urls) <= 7
        seen += urls
    assert len(seen) == len(set(seen)) == total
    assert f"{BASE}/uk/articles/generated-039" in seen
    for missing in ("/sitemap-0.xml", f"/sitemap-{len(parts) + 1}.xml", "/sitemap-99999999999999999999999.xml",
                    "/sitemap--1.xml", "/sitemap-x.xml"):
        assert client.get(missing).status_code == 404, missing


def test_a_broken_source_or_catalog_leaves_the_sitemap_whole(tree):
    (tree / "content" / "broken-source.md").write_text("+++\ntitle = \n+++\n", encoding="utf-8")
    (tree / "locales" / "en" / "LC_MESSAGES" / "articles" / "odesa-ports-grain-exports.po").write_bytes(b"\xff\xfe garbage")
    client = prepared_app({**tree_settings(tree), "SECRET_KEY": "x"}).test_client()
    urls = urls_of(validated(client.get("/sitemap.xml"), "sitemap.xsd"))
    assert f"{BASE}/uk/articles/odesa-ports-grain-exports" in urls
    assert f"{BASE}/en/articles/odesa-ports-grain-exports" not in urls
    assert not any("broken-source" in url for url in urls)
    assert feedparser.parse(client.get("/en/feed.xml").get_data()).bozo == 0


# --- feeds --------------------------------------------------------------------------------------

def test_the_english_feed_has_the_newest_english_variants(client):
    response = client.get("/en/feed.xml")
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.get_data())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.language == "en"
    assert {link.rel: link.href for link in parsed.feed.links} == {"self": f"{BASE}/en/feed.xml",
                                                                   "alternate": f"{BASE}/en/"}
    assert [entry.link for entry in parsed.entries] == [f"{BASE}/en/articles/{slug}" for slug in EN_PUBLISHED]
    lviv = parsed.entries[2]
    assert lviv.title == "Lviv begins building a tram line to Riasne"
    assert lviv.updated == "2026-11-25T09:10:00+02:00"  # the stale variant's change
    assert lviv.published == "2026-11-03T14:20:00+02:00"
    assert "November 3, 2026" in lviv.content[0].value and "translation is being revised" in lviv.content[0].value


def test_the_ukrainian_feed_speaks_ukrainian(client):
    parsed = feedparser.parse(client.get("/uk/feed.xml").get_data())
    assert parsed.bozo == 0
    assert parsed.feed.language == "uk"
    assert len(parsed.entries) == len(ALL)
    nordic = next(entry for entry in parsed.entries if entry.link.endswith("nordic-baltic-grid-repair-fund"))
    assert re.search("[А-Яа-яІіЇїЄє]", nordic.title) and re.search("[А-Яа-яІіЇїЄє]", nordic.summary)
    assert "жовтня 2026" in nordic.content[0].value
    assert nordic.tags[0].term == "world" and nordic.tags[0].label != "World"


@pytest.mark.parametrize("path", ["/xx/feed.xml", "/de/feed.xml", "/UK/feed.xml", "/uk/feed.xml/x", "/feed.xml"])
def test_a_feed_in_an_unknown_language_is_not_found(client, path):
    assert client.get(path).status_code == 404


# --- social cards and structured data -----------------------------------------------------------

class Head(HTMLParser):
    """The ``<meta>`` tags and JSON-LD blocks of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.json_ld: list[str] = []
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "meta" and "content" in found:
            self.meta.append((found.get("property") or found.get("name") or "", found["content"]))
        self._in_json = tag == "script" and found.get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_ld.append(data)


def head_of(client, path: str) -> tuple[dict[str, list[str]], dict]:
    response = client.get(path)
    assert response.status_code == 200
    parser = Head()
    parser.feed(response.get_data(as_text=True))
    meta: dict[str, list[str]] = {}
    for key, content in parser.meta:
        meta.setdefault(key, []).append(content)
    (block,) = parser.json_ld
    return meta, json.loads(block)


def meta_of(client, path: str) -> dict[str, list[str]]:
    """The ``<meta>`` contents of a page without structured data (a page listing articles), by key."""
    response = client.get(path)
    assert response.status_code == 200
    parser = Head()
    parser.feed(response.get_data(as_text=True))
    assert parser.json_ld == []
    meta: dict[str, list[str]] = {}
    for key, content in parser.meta:
        meta.setdefault(key, []).append(content)
    return meta


def test_the_front_page_carries_a_website_card_in_its_language(client):
    meta = meta_of(client, "/uk/")
    assert meta["og:type"] == ["website"] and meta["twitter:card"] == ["summary"]
    assert meta["og:url"] == [f"{BASE}/uk/"]
    assert meta["og:locale"] == ["uk_UA"] and meta["og:locale:alternate"] == ["en_US"]
    assert meta["og:title"] == meta["twitter:title"] == ["Останні новини — Редакція"]
    assert meta["og:site_name"] == ["Редакція"]
    assert meta["description"] == meta["og:description"] == ["Останні новини Редакції, найновіші — першими."]
    assert meta_of(client, "/en/")["og:title"] == ["Latest news — Newsroom"]


def test_a_category_page_carries_its_own_card_and_one_description(client):
    meta = meta_of(client, "/en/categories/culture/")
    assert meta["og:title"] == ["Culture — Newsroom"] and meta["og:type"] == ["website"]
    assert meta["og:url"] == [f"{BASE}/en/categories/culture/"]
    assert meta["description"] == meta["og:description"] == ["The latest news in the Culture section of the Newsroom."]


def test_a_translation_carries_its_card_and_points_at_its_original(client):
    meta, data = head_of(client, "/en/articles/lviv-ryasne-tram-line")
    assert meta["og:title"] == ["Lviv begins building a tram line to Riasne"]
    assert meta["og:url"] == [f"{BASE}/en/articles/lviv-ryasne-tram-line"]
    assert meta["og:locale"] == ["en_US"] and meta["og:locale:alternate"] == ["uk_UA"]
    assert meta["og:type"] == ["article"] and meta["twitter:card"] == ["summary"]
    assert meta["description"] == meta["og:description"] and meta["description"][0].startswith("The new 4.6 km line")
    assert meta["article:published_time"] == ["2026-11-03T14:20:00+02:00"]
    assert meta["article:modified_time"] == ["2026-11-25T09:10:00+02:00"]
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == "en"
    assert data["headline"] == meta["og:title"][0]
    assert data["articleSection"] == "Society"
    assert data["datePublished"] == "2026-11-03T14:20:00+02:00" and data["dateModified"] == "2026-11-25T09:10:00+02:00"
    assert data["translationOfWork"]["url"] == f"{BASE}/uk/articles/lviv-ryasne-tram-line"
    assert "workTranslation" not in data


def test_an_original_lists_its_published_translations(client):
    meta, data = head_of(client, "/uk/articles/lviv-ryasne-tram-line")
    assert meta["og:locale"] == ["uk_UA"] and meta["og:locale:alternate"] == ["en_US"]
    assert meta["og:site_name"] != ["Newsroom"]  # in Ukrainian
    assert data["inLanguage"] == "uk" and data["articleSection"] == "Суспільство"
    assert [work["url"] for work in data["workTranslation"]] == [f"{BASE}/en/articles/lviv-ryasne-tram-line"]
    assert "translationOfWork" not in data


def test_an_unpublished_variant_carries_the_card_of_the_original_it_shows(client):
    meta, data = head_of(client, "/en/articles/carpathian-lynx-camera-traps")
    assert meta["og:url"] == [f"{BASE}/uk/articles/carpathian-lynx-camera-traps"]
    assert meta["og:locale"] == ["uk_UA"] and "og:locale:alternate" not in meta
    assert re.search("[А-Яа-яІі]", meta["og:title"][0])
    assert data["inLanguage"] == "uk" and data["url"] == f"{BASE}/uk/articles/carpathian-lynx-camera-traps"
    assert "workTranslation" not in data and "translationOfWork" not in data


def test_a_title_cannot_break_out_of_the_json_ld(tree):
    # Sources refuse HTML; a catalog written outside the editor is still untrusted text.
    catalog = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / "lviv-ryasne-tram-line.po"
    hostile = "Tram </script><script>alert(1)</script> & <!--"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('msgstr "Lviv begins building a tram line to Riasne"',
                                    f'msgstr "{hostile}"', 1), encoding="utf-8")
    client = prepared_app({**tree_settings(tree), "SECRET_KEY": "x"}).test_client()
    html = client.get("/en/articles/lviv-ryasne-tram-line").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    meta, data = head_of(client, "/en/articles/lviv-ryasne-tram-line")
    assert data["headline"] == hostile and meta["og:title"] == [hostile]


def test_the_csp_lets_json_ld_be_data_without_allowing_inline_script(client):
    response = client.get("/en/articles/lviv-ryasne-tram-line")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.get_data(as_text=True), re.S)
    for attributes, body in scripts:
        assert 'src="' in attributes or ('type="application/ld+json"' in attributes and body)


def test_front_pages_offer_their_feed(client):
    html = client.get("/uk/").get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml" href="/uk/feed.xml"' in html


def test_a_translation_completed_since_joins_the_sitemap_and_the_feed_at_once(app, client):
    before = client.get("/sitemap.xml")
    assert client.get("/en/feed.xml").status_code == 200  # both built and kept
    store = services(app).catalogs
    domain = "articles/carpathian-lynx-camera-traps"
    with store.edit(CatalogKey("en", domain)) as edit:
        filled = [entry for entry in edit.catalog if not entry.msgstr]
        for entry in filled:
            entry.msgstr = "Freshly translated paragraph."
        edit.changed(filled)
    after = client.get("/sitemap.xml", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    urls = urls_of(validated(after, "sitemap.xsd"))
    assert f"{BASE}/en/articles/carpathian-lynx-camera-traps" in urls
    lynx = urls[f"{BASE}/uk/articles/carpathian-lynx-camera-traps"].findall("x:link", NS)
    assert [link.get("hreflang") for link in lynx] == ["uk", "en", "x-default"]
    links = [entry.link for entry in feedparser.parse(client.get("/en/feed.xml").get_data()).entries]
    assert f"{BASE}/en/articles/carpathian-lynx-camera-traps" in links
    meta, data = head_of(client, "/uk/articles/carpathian-lynx-camera-traps")
    assert meta["og:locale:alternate"] == ["en_US"]
    assert [work["url"] for work in data["workTranslation"]] == [f"{BASE}/en/articles/carpathian-lynx-camera-traps"]


def test_an_article_whose_lead_image_is_missing_is_in_no_list(tree):
    source = tree / "content" / "lviv-ryasne-tram-line.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace('source_language = "uk"\n',
                                   'source_language = "uk"\nimage = "gone.png"\nimage_alt = "Нічого"\n', 1),
                      encoding="utf-8")
    client = prepared_app({**tree_settings(tree), "SECRET_KEY": "x", "TESTING": True}).test_client()
    assert client.get("/uk/articles/lviv-ryasne-tram-line").status_code == 404
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert not [url for url in urls_of(validated(sitemap, "sitemap.xsd")) if "lviv-ryasne-tram-line" in url]
    feed = feedparser.parse(client.get("/uk/feed.xml").get_data())
    assert not [entry for entry in feed.entries if "lviv-ryasne-tram-line" in entry.link]
    assert "lviv-ryasne-tram-line" not in client.get("/uk/").get_data(as_text=True)


def test_a_previous_translation_of_the_title_is_said_so_wherever_it_is_shown_as_plain_text(tree):
    """Its original changed (a figure, say): page title, cards and feed mark it, as the page's heading is marked."""
    catalog = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / "lviv-ryasne-tram-line.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('#. title\n', '#. title\n#, fuzzy\n', 1), encoding="utf-8")
    client = prepared_app({**tree_settings(tree), "SECRET_KEY": "x"}).test_client()
    marked = "Lviv begins building a tram line to Riasne (previous translation: the original has changed)"
    html = client.get("/en/articles/lviv-ryasne-tram-line").get_data(as_text=True)
    assert f"<title>{marked} — Newsroom</title>" in html
    meta, data = head_of(client, "/en/articles/lviv-ryasne-tram-line")
    assert meta["og:title"] == [marked] and meta["twitter:title"] == [marked] and data["headline"] == marked
    entries = {entry.link: entry for entry in feedparser.parse(client.get("/en/feed.xml").get_data()).entries}
    assert entries[f"{BASE}/en/articles/lviv-ryasne-tram-line"].title == marked
    assert "(previous translation" not in meta["description"][0]  # the summary is current: said as it is
    ukrainian = head_of(client, "/uk/articles/lviv-ryasne-tram-line")[0]["og:title"][0]
    assert "(" not in ukrainian  # the original is never a previous translation
