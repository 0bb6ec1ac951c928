"""The reader site over HTTP: every row of SPEC's reader table and the bad input around it."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from service.web.extension import services
from service.domain.names import CatalogKey, article_domain

from ..conftest import prepared_app, tree_settings
from ..stores import catalog_stores

#: Two hours after the Chernihiv article was published (2026-11-24T22:40Z, already 25 Nov in Kyiv).
NOW = datetime(2026, 11, 25, 0, 40, tzinfo=timezone.utc)
EN_PUBLISHED = [  # newest first
    "chernihiv-library-restoration", "ukraine-biathlon-world-cup-squad", "lviv-ryasne-tram-line",
    "nordic-baltic-grid-repair-fund", "odesa-ports-grain-exports",
]
ALL_NEWEST_FIRST = EN_PUBLISHED[:3] + ["nordic-baltic-grid-repair-fund", "carpathian-lynx-camera-traps",
                                       "odesa-ports-grain-exports"]
HOSTILE_ACCEPT_LANGUAGES = [
    "", " ", ";;;,,,=", "q=0.5", "en;q=", "en;q=abc", "en-;q=1", "-", "\u0443\u043a", "*;q=-1",
    "a" * 100_000, "en-US," * 20_000, ("x" * 1000 + ",") * 100, "uk;" + "q=1;" * 10_000,
]
ODD_COOKIES = ["", "fr", "EN", "en-US", "uk;en", "../../etc/passwd", "x" * 4000, "%00", "\"en\"", "\u0443\u043a"]


@pytest.fixture
def app(tree: Path):
    return prepared_app({**tree_settings(tree), "SECRET_KEY": "test-secret", "TESTING": True, "CLOCK": lambda: NOW})


def page(client, path: str, **headers: str):
    return client.get(path, headers=headers)


def text_of(response) -> str:
    return response.get_data(as_text=True)


def slugs_listed(html: str, language: str) -> list[str]:
    return re.findall(rf'<h2><a href="/{language}/articles/([a-z0-9-]+)"', html)


# --- GET / and GET /articles/<slug> -------------------------------------------------------------

@pytest.mark.parametrize("headers, cookie, expected", [
    ({"Accept-Language": "en-US,en;q=0.9"}, None, "/en/"),
    ({"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"}, None, "/uk/"),
    ({"Accept-Language": "de-DE, en;q=0.3"}, None, "/en/"),
    ({"Accept-Language": "en;q=0, uk;q=0.2"}, None, "/uk/"),
    ({"Accept-Language": "fr"}, None, "/uk/"),
    ({}, None, "/uk/"),
    ({"Accept-Language": "uk-UA"}, "en", "/en/"),
    ({"Accept-Language": "en-US"}, "uk", "/uk/"),
    ({"Accept-Language": "en-US"}, "fr", "/en/"),
])
def test_root_redirects_by_cookie_then_accept_language_then_default(client, headers, cookie, expected):
    if cookie is not None:
        client.set_cookie("lang", cookie)
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == expected
    assert {"Accept-Language", "Cookie"} <= set(response.vary)


def test_article_entry_redirects_to_the_article_in_the_negotiated_language(client):
    response = page(client, "/articles/lviv-ryasne-tram-line", **{"Accept-Language": "en-GB"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/articles/lviv-ryasne-tram-line"
    assert {"Accept-Language", "Cookie"} <= set(response.vary)
    client.set_cookie("lang", "uk")
    response = page(client, "/articles/lviv-ryasne-tram-line", **{"Accept-Language": "en-GB"})
    assert response.headers["Location"] == "/uk/articles/lviv-ryasne-tram-line"


def test_article_entry_for_an_unknown_slug_is_a_404_in_the_negotiated_language(client):
    response = page(client, "/articles/no-such-article", **{"Accept-Language": "en"})
    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert {"Accept-Language", "Cookie"} <= set(response.vary)
    response = page(client, "/articles/no-such-article", **{"Accept-Language": "uk"})
    assert "Сторінку не знайдено" in text_of(response)


# --- front pages ----------------------------------------------------------------------------

def test_front_page_lists_the_published_variants_newest_first(client):
    english = text_of(page(client, "/en/"))
    assert slugs_listed(english, "en") == EN_PUBLISHED  # carpathian's English is incomplete
    ukrainian = text_of(page(client, "/uk/"))
    assert slugs_listed(ukrainian, "uk") == ALL_NEWEST_FIRST


def test_front_page_shows_localized_titles_categories_dates_reading_times_and_summaries(client):
    ukrainian = text_of(page(client, "/uk/"))
    assert "Культура" in ukrainian and "Спорт" in ukrainian and "Світ" in ukrainian
    assert "25 листопада 2026\u202fр., 00:40" in ukrainian
    assert re.search(r"\d+ хвилин[аи]? читання", ukrainian)
    assert "відновили за 84 млн гривень" in ukrainian  # the summary
    assert '<html lang="uk">' in ukrainian
    english = text_of(page(client, "/en/"))
    assert "Culture" in english and "Культура" not in english
    assert "November 25, 2026, 12:40\u202fAM" in english
    assert re.search(r"\d+ minutes? to read", english)
    assert '<html lang="en">' in english


def test_front_page_has_alternates_for_every_language_and_x_default(client):
    html = text_of(page(client, "/en/"))
    assert '<link rel="alternate" hreflang="uk" href="http://localhost/uk/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://localhost/en/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://localhost/">' in html


def test_front_page_is_paginated_when_long(tree):
    app = prepared_app({**tree_settings(tree), "SECRET_KEY": "x", "READER_PAGE_SIZE": 2, "CLOCK": lambda: NOW})
    client = app.test_client()
    seen = []
    for number in (1, 2, 3):
        html = text_of(client.get(f"/uk/?page={number}"))
        seen += slugs_listed(html, "uk")
        assert f"Сторінка {number} з 3" in html
    assert seen == ALL_NEWEST_FIRST
    first = text_of(client.get("/uk/"))
    assert 'rel="next" href="/uk/?page=2"' in first and 'rel="prev"' not in first
    last = text_of(client.get("/uk/?page=3"))
    assert 'rel="prev" href="/uk/?page=2"' in last and 'rel="next"' not in last
    # Only the first page has translations to name; a later one would claim the first as itself.
    assert '<link rel="alternate" hreflang="uk" href="http://localhost/uk/">' in first
    assert '<link rel="alternate" hreflang' not in last  # (the feed's link names no translation)
    assert client.get("/uk/?page=4").status_code == 404


def test_front_page_parses_only_the_articles_it_shows(tree, monkeypatch):
    # Listing reads front matter and catalog figures; a newsroom with thousands of articles
    # would otherwise parse every source and every catalog on a worker's first request.
    import service.storage.sources

    parsed = []
    load_article = service.storage.sources.load_article

    def counting_load_article(path, *args):
        parsed.append(path.stem)
        return load_article(path, *args)

    monkeypatch.setattr(service.storage.sources, "load_article", counting_load_article)
    app = prepared_app({**tree_settings(tree), "SECRET_KEY": "x", "READER_PAGE_SIZE": 2, "CLOCK": lambda: NOW})
    html = text_of(app.test_client().get("/en/?page=2"))
    assert slugs_listed(html, "en") == EN_PUBLISHED[2:4]
    assert sorted(parsed) == sorted(EN_PUBLISHED[2:4])
    assert services(app).catalogs.cache_sizes()["variants"] <= 2


def test_front_page_skips_an_article_whose_source_cannot_be_parsed(tree, client):
    source = tree / "content" / "lviv-ryasne-tram-line.md"
    source.write_text(source.read_text().replace("+++\n", "+++\nauthor = \"x\"\n", 1))  # an unknown key: refused
    response = client.get("/en/")
    assert response.status_code == 200
    assert slugs_listed(text_of(response), "en") == [slug for slug in EN_PUBLISHED if slug != "lviv-ryasne-tram-line"]


@pytest.mark.parametrize("value", ["0", "-1", "abc", "2", "1.5", "99999999999999999999", "", "١", "%00"])
def test_bad_page_numbers_are_404(client, value):
    assert client.get(f"/en/?page={value}").status_code == 404


# --- article pages ----------------------------------------------------------------------------

def test_complete_variant_is_the_translation_with_alternates_and_content_language(client):
    response = page(client, "/en/articles/chernihiv-library-restoration")
    html = text_of(response)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "Chernihiv" in html and "Бібліотека працюватиме щодня" not in html
    for language in ("uk", "en"):
        assert (f'<link rel="alternate" hreflang="{language}" '
                f'href="http://localhost/{language}/articles/chernihiv-library-restoration">') in html
    assert ('<link rel="alternate" hreflang="x-default" '
            'href="http://localhost/articles/chernihiv-library-restoration">') in html
    assert 'rel="canonical"' not in html
    assert 'class="notice' not in html
    assert "Points of attention" in html and "Original language" in html
    assert 'href="/uk/articles/chernihiv-library-restoration" hreflang="uk">Ukrainian</a>' in html
    assert '<span class="image-credit" lang="uk">Ілюстрація: редакція</span>' in html  # with its image, untranslated


def test_source_variant_comes_from_the_source_file(client):
    response = page(client, "/uk/articles/chernihiv-library-restoration")
    html = text_of(response)
    assert response.headers["Content-Language"] == "uk"
    assert "Бібліотека працюватиме щодня, крім понеділка" in html
    assert "Зверніть увагу" in html and "Мова оригіналу" not in html
    assert "Культура" in html


def test_inline_markup_is_rendered_from_the_translation(client):
    html = text_of(page(client, "/en/articles/lviv-ryasne-tram-line"))
    assert '<a href="https://example.org/lviv-ryasne-tram">city portal</a>' in html
    assert "<strong>test runs</strong>" in html and "<em>alternative</em>" in html


def test_stale_variant_shows_the_previous_translation_and_says_when_the_original_changed(client, tree):
    response = page(client, "/en/articles/lviv-ryasne-tram-line")
    html = text_of(response)
    assert response.status_code == 200
    assert "The original of this article was updated on November 25, 2026, 9:10\u202fAM" in html
    # The fuzzy paragraph: its previous English translation, never the changed Ukrainian source.
    assert "Not all residents are enthusiastic about the project." in html
    assert "Не всі мешканці" not in html
    assert 'lang="uk"' not in html.split('<div class="article-body"')[1].split("</div>\n    <footer")[0]
    assert 'hreflang="en" href="http://localhost/en/articles/lviv-ryasne-tram-line"' in html
    assert 'rel="canonical"' not in html
    ukrainian = text_of(page(client, "/uk/"))
    assert "lviv-ryasne-tram-line" in ukrainian


def test_outdated_paragraphs_of_a_stale_variant_are_marked_with_a_dated_note(client):
    html = text_of(page(client, "/en/articles/lviv-ryasne-tram-line"))
    body = html.split('<div class="article-body"')[1].split("</div>\n    <footer")[0]
    [marked] = re.findall(r'<p class="outdated">.*?</p>', body, re.S)
    assert ('<span class="outdated-label">The original of this paragraph changed on November 25, 2026, 9:10\u202fAM; '
            "this is the previous translation:</span>") in marked
    assert "Not all residents are enthusiastic" in marked
    assert body.count("outdated-label") == 1  # only the changed paragraph


def test_the_stale_notice_links_to_the_original(client):
    html = text_of(page(client, "/en/articles/lviv-ryasne-tram-line"))
    notice = html.split('<aside class="notice notice-stale"')[1].split("</aside>")[0]
    assert '<a href="/uk/articles/lviv-ryasne-tram-line" hreflang="uk">Read the original (Ukrainian)</a>' in notice


def test_the_original_says_when_it_was_updated_and_its_cards_and_feed_agree(client):
    html = text_of(page(client, "/uk/articles/lviv-ryasne-tram-line"))
    assert 'Оновлено:</span> <time datetime="2026-11-25T09:10:00+02:00">25 листопада 2026\u202fр., 09:10</time>' in html
    assert '"dateModified":"2026-11-25T09:10:00+02:00"' in html
    feed = client.get("/uk/feed.xml").text
    [entry] = [e for e in re.findall(r"<entry>.*?</entry>", feed, re.S) if "lviv-ryasne-tram-line" in e]
    assert "<updated>2026-11-25T09:10:00+02:00</updated>" in entry
    assert "Оновлено" not in text_of(page(client, "/uk/articles/carpathian-lynx-camera-traps"))


def test_new_untranslated_segment_of_a_stale_variant_is_marked_in_the_source_language(client, tree):
    source = tree / "content" / "lviv-ryasne-tram-line.md"
    text = source.read_text()
    text = text.replace("28 хвилин.\"]", "28 хвилин.\", \"Новий пункт уваги.\"]")  # a point
    text = text.replace("## Що отримають мешканці", "## Новий підзаголовок\n\n## Що отримають мешканці")
    text = text.replace("- 2 пересадкові вузли з автобусними маршрутами;",
                        "- 2 пересадкові вузли з автобусними маршрутами;\n- новий пункт списку;")
    source.write_text(text + "\nЦей абзац додали після перекладу.\n")
    from service.storage.layout import Layout
    from service.pipeline import extract, update

    extract(tree / "content", Layout(tree / "locales"), ["uk", "en"])
    update(catalog_stores(tree)[0])
    html = text_of(page(client, "/en/articles/lviv-ryasne-tram-line"))
    label = '<span class="untranslated-label" lang="en">Not yet translated:</span> '
    assert f'<p lang="uk" class="untranslated">{label}Цей абзац додали після перекладу.</p>' in html
    assert f'<h2 lang="uk" class="untranslated">{label}Новий підзаголовок</h2>' in html
    assert f'<li lang="uk" class="untranslated">{label}Новий пункт уваги.</li>' in html
    assert f'<li lang="uk" class="untranslated">{label}новий пункт списку;</li>' in html
    assert html.count("Not yet translated:") == 4  # the translated segments carry no label
    assert "The original of this article was updated on" in html


def test_unpublished_variant_shows_the_original_with_its_lang_a_notice_and_a_canonical_link(client):
    response = page(client, "/en/articles/carpathian-lynx-camera-traps")
    html = text_of(response)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "This article is not yet available in English. Here is the original (Ukrainian)." in html
    assert ('<link rel="canonical" href="http://localhost/uk/articles/carpathian-lynx-camera-traps">') in html
    assert '<div class="article-body" lang="uk">' in html
    assert '<h1 lang="uk">Фотопастки в Карпатах нарахували щонайменше 46 рисей</h1>' in html
    assert "Camera traps in the Carpathians" not in html  # partial translations are not shown
    # UI in English; only the published variant (and x-default) are alternates.
    assert "Points of attention" in html and "Science" in html
    assert 'hreflang="en" href="http://localhost/en/articles/carpathian' not in html
    assert 'hreflang="uk" href="http://localhost/uk/articles/carpathian-lynx-camera-traps"' in html
    assert 'hreflang="x-default" href="http://localhost/articles/carpathian-lynx-camera-traps"' in html


def test_switcher_points_at_the_same_article_or_the_front_page_of_an_unpublished_language(client):
    html = text_of(page(client, "/uk/articles/carpathian-lynx-camera-traps"))
    assert '<a href="/set-language/en?next=/en/"' in html
    html = text_of(page(client, "/uk/articles/chernihiv-library-restoration"))
    assert '<a href="/set-language/en?next=/en/articles/chernihiv-library-restoration"' in html
    assert '<span aria-current="true" lang="uk">Українська</span>' in html
    html = text_of(page(client, "/en/"))
    assert '<a href="/set-language/uk?next=/uk/"' in html


def test_page_carries_the_banner_words_in_each_suggested_language(client):
    html = text_of(page(client, "/uk/articles/chernihiv-library-restoration"))
    assert 'data-page-language="uk"' in html
    assert 'data-language="en"' in html
    assert 'data-message="This article is also available in English."' in html
    assert 'data-switch="Read in English"' in html and 'data-stay="No, thanks"' in html
    assert 'data-href="/set-language/en?next=/en/articles/chernihiv-library-restoration"' in html
    html = text_of(page(client, "/en/articles/chernihiv-library-restoration"))
    assert 'data-message="Цю статтю можна прочитати й українською."' in html
    assert 'data-switch="Читати українською"' in html
    html = text_of(page(client, "/uk/articles/carpathian-lynx-camera-traps"))
    assert 'data-message="The news is also available in English."' in html  # no English variant yet
    assert "<script>" not in html and "onclick" not in html


def test_translations_are_untrusted_text(app, client):
    store = services(app).catalogs
    domain = article_domain("chernihiv-library-restoration")
    with store.edit(CatalogKey("en", domain)) as draft:
        catalog = draft.catalog
        title = next(entry for entry in catalog if entry.msgctxt == "title")
        title.msgstr = 'Library <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>'
        alt = next(entry for entry in catalog if entry.msgctxt == "image_alt")
        alt.msgstr = 'A library" onerror="alert(1)'
        draft.replace(catalog)
    html = text_of(page(client, "/en/articles/chernihiv-library-restoration"))
    assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript' not in html
    assert '" onerror="' not in html and 'alt="A library&#34; onerror=&#34;alert(1)"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- dates and plurals --------------------------------------------------------------------------

def test_dates_are_in_the_newsroom_time_zone_in_both_languages(client):
    ukrainian = text_of(page(client, "/uk/articles/chernihiv-library-restoration"))
    assert '<time datetime="2026-11-24T22:40:00+00:00">25 листопада 2026\u202fр., 00:40</time>' in ukrainian
    assert '<span class="time-zone">час: Україна (Київ)</span>' in ukrainian
    english = text_of(page(client, "/en/articles/chernihiv-library-restoration"))
    assert '<time datetime="2026-11-24T22:40:00+00:00">November 25, 2026, 12:40\u202fAM</time>' in english
    assert '<span class="time-zone">Ukraine (Kyiv) Time</span>' in english
    summer = text_of(page(client, "/en/articles/odesa-ports-grain-exports"))
    assert "October 7, 2026, 11:30\u202fAM" in summer  # +03:00 in October, Kyiv summer time
    front = text_of(page(client, "/en/"))
    assert '</time> <span class="time-zone">Ukraine (Kyiv) Time</span>' in front


def test_relative_times_are_left_to_the_browser_so_cached_pages_never_go_stale(client):
    html = text_of(page(client, "/uk/articles/chernihiv-library-restoration"))
    assert "години тому" not in html and "hours ago" not in html
    assert '<span class="ago" data-ago="2026-11-24T22:40:00+00:00" hidden></span>' in html
    assert '<script src="/static/moments.js" defer></script>' in html
    with client.get("/static/moments.js") as script:
        assert script.status_code == 200 and b"RelativeTimeFormat" in script.data


@pytest.mark.parametrize("minutes, expected", [
    (1, "1 хвилина читання"), (2, "2 хвилини читання"), (5, "5 хвилин читання"), (11, "11 хвилин читання"),
    (21, "21 хвилина читання"), (22, "22 хвилини читання"), (25, "25 хвилин читання"),
    (111, "111 хвилин читання"), (12, "12 хвилин читання"), (104, "104 хвилини читання"),
])
def test_ukrainian_reading_time_uses_the_right_plural_form(app, minutes, expected):
    from flask import g

    from service.web.i18n import ngettext

    with app.test_request_context("/"):
        g.language = "uk"
        assert ngettext("%(num)d minute to read", "%(num)d minutes to read", minutes) == expected
        g.language = "en"
        assert ngettext("%(num)d minute to read", "%(num)d minutes to read", minutes) == (
            f"{minutes} minute{'s' if minutes != 1 else ''} to read")


def test_article_shows_its_reading_time(client):
    assert re.search(r"<span class=\"reading-time\">\d+ хвилин[аи]? читання</span>",
                     text_of(page(client, "/uk/articles/chernihiv-library-restoration")))


# --- /set-language ------------------------------------------------------------------------------

def test_set_language_sets_a_year_long_lax_cookie_scripts_can_read(client):
    response = client.get("/set-language/en?next=/en/articles/lviv-ryasne-tram-line")
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/articles/lviv-ryasne-tram-line"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=en;")
    assert "Max-Age=31536000" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "HttpOnly" not in cookie
    assert client.get("/", headers={"Accept-Language": "uk"}).headers["Location"] == "/en/"


@pytest.mark.parametrize("target", [
    "//elsewhere.example", "//elsewhere.example/en/", "https://elsewhere.example/", "http://localhost/en/",
    "/\\elsewhere.example", "%2F%2Felsewhere.example", "/%09/elsewhere.example", "javascript:alert(1)",
    "", "en/",
])
def test_set_language_never_redirects_off_site(client, target):
    response = client.get(f"/set-language/uk?next={target}")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/uk/", location
    assert response.headers["Set-Cookie"].startswith("lang=uk;")


def test_set_language_without_next_goes_to_the_front_page(client):
    assert client.get("/set-language/en").headers["Location"] == "/en/"


@pytest.mark.parametrize("language", ["fr", "EN", "..", "en-US", "x" * 300])
def test_set_language_refuses_an_unknown_language(client, language):
    response = client.get(f"/set-language/{language}?next=/")
    assert response.status_code == 404
    assert "Set-Cookie" not in response.headers


# --- 404 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/fr/", "/EN/", "/xx/articles/lviv-ryasne-tram-line", "/no/such/page",
                                  "/fr/articles/x", "/%2e%2e/etc/passwd", "/articles/..%2Fsecret"])
def test_unknown_language_prefix_is_a_404_in_the_negotiated_language(client, path):
    english = client.get(path, headers={"Accept-Language": "en-US"})
    assert english.status_code == 404
    assert "Page not found" in text_of(english) and '<html lang="en">' in text_of(english)
    ukrainian = client.get(path, headers={"Accept-Language": "uk"})
    assert "Сторінку не знайдено" in text_of(ukrainian) and '<html lang="uk">' in text_of(ukrainian)
    client.set_cookie("lang", "en")
    assert "Page not found" in text_of(client.get(path, headers={"Accept-Language": "uk"}))


@pytest.mark.parametrize("path", ["/favicon.ico", "/humans.txt", "/fr", "/%D1%83%D0%BA"])
def test_a_path_of_one_segment_that_names_no_language_is_a_404_not_a_redirect(client, path):
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 404 and "Page not found" in text_of(response)


def test_a_configured_third_language_gets_its_routes(tree):
    app = prepared_app({**tree_settings(tree), "SECRET_KEY": "test", "LANGUAGES": ["uk", "en", "pl"]})
    client = app.test_client()
    assert client.get("/pl").status_code == 308
    assert client.get("/set-language/pl").headers["Location"] == "/pl/"
    assert client.get("/pl/").status_code == 200


@pytest.mark.parametrize("slug", ["no-such-article", "Lviv-Ryasne-Tram-Line", "..", "a" * 500, "x.md"])
def test_unknown_slug_is_a_404_in_the_page_language(client, slug):
    response = client.get(f"/en/articles/{slug}", headers={"Accept-Language": "uk"})
    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert "Сторінку не знайдено" in text_of(client.get(f"/uk/articles/{slug}"))


def test_api_paths_get_a_json_404(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404 and response.get_json() == {"error": "not found"}


# --- bad input never 5xx -----------------------------------------------------------------------

READER_PATHS = ["/", "/articles/lviv-ryasne-tram-line", "/articles/nope", "/uk/", "/en/",
                "/en/articles/carpathian-lynx-camera-traps", "/fr/", "/set-language/en?next=/en/"]


@pytest.mark.parametrize("header", HOSTILE_ACCEPT_LANGUAGES)
def test_hostile_accept_language_never_breaks_a_page(client, header):
    for path in READER_PATHS:
        response = client.get(path, headers={"Accept-Language": header})
        assert response.status_code in (200, 302, 404), (path, response.status_code)
        if response.status_code == 302 and path != READER_PATHS[-1]:
            assert re.match(r"^/(uk|en)/", response.headers["Location"])


def test_a_huge_accept_language_redirects_to_the_default(client):
    response = client.get("/", headers={"Accept-Language": "en-US;q=0.1," * 10_000})
    assert response.headers["Location"] == "/en/"  # only the first ranges count, and they say en
    response = client.get("/", headers={"Accept-Language": "a" * 100_000})
    assert response.headers["Location"] == "/uk/"


@pytest.mark.parametrize("cookie", ODD_COOKIES)
def test_odd_cookie_values_are_ignored(client, cookie):
    client.set_cookie("lang", cookie)
    for path in READER_PATHS:
        response = client.get(path, headers={"Accept-Language": "en"})
        assert response.status_code in (200, 302, 404), (path, response.status_code)
    expected = "/en/" if cookie.lower() == "en" else "/en/"  # never a language the site does not have
    assert client.get("/", headers={"Accept-Language": "en"}).headers["Location"] == expected


def test_a_malformed_cookie_header_is_ignored(client):
    for raw in ["lang", "lang=", "=en", "lang=en; lang=uk", ";;;", "lang=\"unterminated", "\x00lang=en"]:
        response = client.get("/", headers={"Cookie": raw, "Accept-Language": "uk"})
        assert response.status_code == 302
        assert response.headers["Location"] in ("/uk/", "/en/")


# --- caching and headers -----------------------------------------------------------------------

def test_a_signed_in_translator_gets_reader_pages_without_a_session_cookie(app, client, login):
    # A public page must not carry one user's Set-Cookie: a shared cache would hand it to everyone.
    login(services(app).accounts.add_user("olena", "translator", ["en"]))
    anonymous = app.test_client().get("/en/articles/lviv-ryasne-tram-line")
    for path in ["/uk/", "/en/articles/lviv-ryasne-tram-line"]:
        response = client.get(path)
        assert response.status_code == 200 and response.cache_control.public
        assert "Set-Cookie" not in response.headers and "Vary" not in response.headers
    assert client.get("/en/articles/lviv-ryasne-tram-line").headers["ETag"] == anonymous.headers["ETag"]
    assert client.get("/translate/").status_code == 200  # still signed in
    assert "session=" in client.get("/translate/").headers.get("Set-Cookie", "")  # refreshed where private


@pytest.mark.parametrize("path", ["/uk/", "/en/", "/en/articles/lviv-ryasne-tram-line",
                                  "/en/articles/carpathian-lynx-camera-traps"])
def test_prefixed_pages_are_cacheable_and_the_same_for_every_reader(client, path):
    first = client.get(path, headers={"Accept-Language": "en-US"})
    assert first.status_code == 200
    assert first.cache_control.public and first.cache_control.max_age and first.cache_control.max_age > 0
    assert first.headers.get("ETag")
    assert "Vary" not in first.headers
    client.set_cookie("lang", "uk")
    other = client.get(path, headers={"Accept-Language": "uk-UA"})
    assert other.get_data() == first.get_data() and other.headers["ETag"] == first.headers["ETag"]
    revalidated = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304 and revalidated.get_data() == b""
    assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200


@pytest.mark.parametrize("path", ["/", "/uk/", "/en/articles/lviv-ryasne-tram-line", "/fr/",
                                  "/set-language/en", "/static/reader.css", "/static/banner.js", "/healthz"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()  # a static file's body is an open file this test does not read (ResourceWarning)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_pages_have_no_inline_script_or_style(client):
    for path in ["/uk/", "/en/articles/chernihiv-library-restoration", "/en/articles/carpathian-lynx-camera-traps",
                 "/fr/"]:
        html = text_of(client.get(path))
        # A JSON-LD block is data, not script: a browser never runs it, and the CSP still forbids inline script.
        assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))", html), path
        assert "<style" not in html and " style=" not in html and re.search(r"\son[a-z]+=", html) is None


def test_cookie_notice_is_on_every_page_in_its_language(client):
    assert "only to remember the language you choose" in text_of(client.get("/en/"))
    assert "щоб пам’ятати обрану вами мову" in text_of(client.get("/uk/articles/lviv-ryasne-tram-line"))
    assert "щоб пам’ятати обрану вами мову" in text_of(client.get("/fr/", headers={"Accept-Language": "uk"}))


# --- catalogs reloaded on change ---------------------------------------------------------------

def test_a_translation_saved_through_the_store_is_served_on_the_next_request(app, client):
    assert "carpathian-lynx-camera-traps" not in slugs_listed(text_of(client.get("/en/")), "en")
    store = services(app).catalogs
    domain = article_domain("carpathian-lynx-camera-traps")
    with store.edit(CatalogKey("en", domain)) as draft:
        catalog = draft.catalog
        for entry in catalog:
            if not entry.msgstr:
                entry.msgstr = "Freshly translated paragraph."
        draft.replace(catalog)
    assert "carpathian-lynx-camera-traps" in slugs_listed(text_of(client.get("/en/")), "en")
    html = text_of(client.get("/en/articles/carpathian-lynx-camera-traps"))
    assert "Freshly translated paragraph." in html and "Camera traps in the Carpathians" in html
    assert 'rel="canonical"' not in html and "not yet available in English" not in html


def test_a_ui_translation_saved_through_the_store_is_served_on_the_next_request(app, client):
    store = services(app).catalogs
    with store.edit(CatalogKey("uk", "messages")) as draft:
        catalog = draft.catalog
        catalog.find("Latest news").msgstr = "Свіжі новини"
        draft.replace(catalog)
    assert "Свіжі новини" in text_of(client.get("/uk/"))


def test_an_edited_source_is_served_without_restart(tree, client):
    path = tree / "content" / "chernihiv-library-restoration.md"
    path.write_text(path.read_text().replace("знову відкрилася", "урочисто відкрилася"))
    assert "урочисто відкрилася" in text_of(client.get("/uk/articles/chernihiv-library-restoration"))


# --- a third language needs only configuration -------------------------------------------------

def test_a_third_language_without_catalogs_is_served(tree):
    app = prepared_app({**tree_settings(tree), "SECRET_KEY": "x", "LANGUAGES": ["uk", "en", "pl"],
                      "CLOCK": lambda: NOW})
    client = app.test_client()
    assert client.get("/", headers={"Accept-Language": "pl-PL, en;q=0.5"}).headers["Location"] == "/pl/"
    front = client.get("/pl/")
    assert front.status_code == 200 and slugs_listed(text_of(front), "pl") == []
    assert '<html lang="pl">' in text_of(front)
    assert 'hreflang="pl" href="http://localhost/pl/"' in text_of(front)
    html = text_of(client.get("/pl/articles/chernihiv-library-restoration"))
    assert '<link rel="canonical" href="http://localhost/uk/articles/chernihiv-library-restoration">' in html
    assert '<div class="article-body" lang="uk">' in html
    assert 'hreflang="pl" href="http://localhost/pl/articles' not in html
    assert "10 listopada" not in html and "listopada 2026" in html  # Polish dates from CLDR
    assert '<a href="/set-language/pl?next=/pl/"' in text_of(client.get("/en/articles/chernihiv-library-restoration"))


def test_messages_naming_a_language_name_the_right_one_before_it_is_translated(tree):
    app = prepared_app({**tree_settings(tree), "SECRET_KEY": "x", "LANGUAGES": ["uk", "en", "pl"], "TESTING": True})
    client = app.test_client()
    unpublished = text_of(client.get("/pl/articles/chernihiv-library-restoration"))
    assert "This article is not yet available in Polish. Here is the original" in unpublished
    banner = text_of(client.get("/uk/articles/lviv-ryasne-tram-line"))
    assert "This article is also available in Polish." not in banner  # not published in Polish
    assert "The news is also available in Polish." in banner
    assert "Read in Polish" in banner and "Read in English" in banner


def test_ui_translations_are_text_not_html(tree):
    # A translator's UI string must not reach the page as markup: a <meta http-equiv="refresh"> in the
    # heading of the cached Ukrainian front page sent every reader to another site.
    import polib

    path = tree / "locales" / "uk" / "LC_MESSAGES" / "messages.po"
    catalog = polib.pofile(str(path))
    refresh = '<meta/http-equiv="refresh"/content="0;url=https://evil.example">'
    catalog.find("Latest news").msgstr = "Останні новини" + refresh
    plural = catalog.find("%(num)d minute to read")
    plural.msgstr_plural = {index: '%(num)d хвилин<a/href="https://evil.example">' for index in range(3)}
    catalog.save(str(path))
    client = prepared_app({**tree_settings(tree), "SECRET_KEY": "test", "TESTING": True}).test_client()
    page = client.get("/uk/").text
    assert "<meta/http-equiv" not in page and "Останні новини&lt;meta/http-equiv=&#34;refresh&#34;" in page
    assert "<a/href" not in page and "хвилин&lt;a/href=" in page
