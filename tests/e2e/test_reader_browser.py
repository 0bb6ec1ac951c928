"""The reader site in a real browser (Debian's chromium through Playwright) over a real gunicorn."""
from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from service.domain.names import CatalogKey, article_domain

from ..stores import catalog_stores

UK_ARTICLE = "/uk/articles/chernihiv-library-restoration"
EN_ARTICLE = "/en/articles/chernihiv-library-restoration"


def new_page(browser, locale: str, **options):
    context = browser.new_context(locale=locale, **options)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return context, page, problems


@pytest.mark.browser
def test_browser_lands_on_its_language_and_a_chosen_language_sticks(live_server, browser):
    for locale, prefix in [("en-US", "/en/"), ("uk-UA", "/uk/")]:
        context, page, problems = new_page(browser, locale)
        page.goto(live_server.url + "/")
        assert page.url == live_server.url + prefix
        assert page.locator("html").get_attribute("lang") == prefix.strip("/")
        assert problems == []
        context.close()

    context, page, problems = new_page(browser, "en-US")
    page.goto(live_server.url + "/")
    page.locator(".languages a[hreflang=uk]").click()  # the switcher sets the cookie
    page.wait_for_url(live_server.url + "/uk/")
    page.reload()
    assert page.url == live_server.url + "/uk/"
    page.goto(live_server.url + "/")
    assert page.url == live_server.url + "/uk/"
    page.goto(live_server.url + "/articles/lviv-ryasne-tram-line")
    assert page.url == live_server.url + "/uk/articles/lviv-ryasne-tram-line"
    assert page.locator("#language-suggestion").count() == 0  # chose a language: no suggestion
    assert problems == []
    context.close()


@pytest.mark.browser
def test_banner_speaks_the_suggested_language_and_switch_leads_to_that_variant(live_server, browser):
    context, page, problems = new_page(browser, "en-US")
    page.goto(live_server.url + UK_ARTICLE)
    banner = page.locator("#language-suggestion")
    banner.wait_for()
    assert banner.get_attribute("lang") == "en"
    assert "This article is also available in English." in banner.inner_text()
    assert page.locator("html").get_attribute("lang") == "uk"  # no forced redirect
    banner.get_by_role("link", name="Read in English").click()
    page.wait_for_url(live_server.url + EN_ARTICLE)
    assert page.locator("h1").inner_text().startswith("Chernihiv")
    assert page.locator("#language-suggestion").count() == 0
    assert problems == []
    context.close()

    context, page, problems = new_page(browser, "uk-UA")
    page.goto(live_server.url + EN_ARTICLE)
    banner = page.locator("#language-suggestion")
    banner.wait_for()
    assert banner.get_attribute("lang") == "uk"
    assert "Цю статтю можна прочитати й українською." in banner.inner_text()
    context.close()

    context, page, problems = new_page(browser, "en-US")
    page.goto(live_server.url + "/en/")
    assert page.locator("#language-suggestion").count() == 0  # already in the preferred language
    context.close()


@pytest.mark.browser
def test_stay_makes_the_banner_go_away_for_good(live_server, browser):
    context, page, problems = new_page(browser, "en-US")
    page.goto(live_server.url + UK_ARTICLE)
    banner = page.locator("#language-suggestion")
    banner.wait_for()
    banner.get_by_role("button", name="No, thanks").focus()
    page.keyboard.press("Enter")  # the keyboard works it too
    assert page.locator("#language-suggestion").count() == 0
    assert page.evaluate("document.activeElement.tagName") == "MAIN"  # focus not lost to <body>
    assert page.url == live_server.url + UK_ARTICLE
    cookies = {cookie["name"]: cookie for cookie in context.cookies()}
    assert cookies["lang"]["value"] == "uk" and cookies["lang"]["sameSite"] == "Lax"
    page.reload()
    page.wait_for_load_state("load")
    assert page.locator("#language-suggestion").count() == 0
    page.goto(live_server.url + "/uk/articles/lviv-ryasne-tram-line")
    page.wait_for_load_state("load")
    assert page.locator("#language-suggestion").count() == 0
    page.goto(live_server.url + "/")
    assert page.url == live_server.url + "/uk/"  # the server honours the same choice
    assert problems == []
    context.close()


@pytest.mark.browser
def test_screenshots_of_front_pages_and_articles(live_server, browser, screenshots: Path):
    shots = [
        ("reader-front-uk", "uk-UA", "/uk/", {}),
        ("reader-front-en", "en-US", "/en/", {}),
        ("reader-article-uk", "uk-UA", UK_ARTICLE, {}),
        ("reader-article-en", "en-US", EN_ARTICLE, {}),
        ("reader-article-stale-en", "en-US", "/en/articles/lviv-ryasne-tram-line", {}),
        ("reader-article-unpublished-en", "en-US", "/en/articles/carpathian-lynx-camera-traps", {}),
        ("reader-banner-phone", "en-US", UK_ARTICLE, {"viewport": {"width": 390, "height": 844},
                                                      "device_scale_factor": 2, "is_mobile": True}),
        ("reader-front-phone-uk", "uk-UA", "/uk/", {"viewport": {"width": 390, "height": 844},
                                                    "device_scale_factor": 2, "is_mobile": True}),
    ]
    for name, locale, path, options in shots:
        options = {"viewport": {"width": 1280, "height": 900}, **options}
        context, page, problems = new_page(browser, locale, **options)
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        page.screenshot(path=str(screenshots / f"{name}.png"), full_page=name.startswith("reader-article-"))
        assert problems == [], (name, problems)  # CSP violations and script errors show up here
        context.close()


@pytest.mark.e2e
def test_every_worker_serves_a_saved_translation_on_the_next_request(live_server):
    tree = live_server.tree
    store, _figures = catalog_stores(tree)
    url = live_server.url + "/en/articles/chernihiv-library-restoration"

    def fetch() -> str:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode()

    before = [fetch() for _ in range(6)]  # both workers load the catalog
    assert all("Saved a moment ago" not in html for html in before)
    domain = article_domain("chernihiv-library-restoration")
    with store.edit(CatalogKey("en", domain)) as draft:
        catalog = draft.catalog
        next(entry for entry in catalog if entry.msgctxt == "title").msgstr = "Saved a moment ago"
        draft.replace(catalog)
    assert all("Saved a moment ago" in fetch() for _ in range(6))



@pytest.mark.browser
def test_relative_time_is_written_by_the_browser_in_the_pages_language(live_server, browser):
    for path, words in [(UK_ARTICLE, "тому"), (EN_ARTICLE, "ago")]:
        context, page, problems = new_page(browser, "uk-UA")
        page.goto(live_server.url + path)
        ago = page.locator(".byline .ago")
        ago.wait_for(state="visible")
        text = ago.inner_text()
        assert text.startswith("(") and text.endswith(")") and words in text, text
        assert page.locator(".byline .time-zone").inner_text() in ("час: Україна (Київ)", "Ukraine (Kyiv) Time")
        assert problems == []
        context.close()


@pytest.mark.e2e
def test_every_worker_lists_a_saved_title_on_its_front_page_within_a_second(live_server):
    import time

    store, _figures = catalog_stores(live_server.tree)

    def fetch() -> str:
        with urllib.request.urlopen(live_server.url + "/en/", timeout=10) as response:
            return response.read().decode()

    assert all("Listed a second later" not in fetch() for _ in range(6))  # both workers store the page
    with store.edit(CatalogKey("en", article_domain("chernihiv-library-restoration"))) as draft:
        entry = next(entry for entry in draft.catalog if entry.msgctxt == "title")
        entry.msgstr = "Listed a second later"
        draft.changed([entry])
    time.sleep(1.2)  # ARCHIVE_CHECK_EVERY: the bound for a write by another process
    assert all("Listed a second later" in fetch() for _ in range(6))


@pytest.mark.browser
@pytest.mark.parametrize("language", ["uk", "en"])
def test_on_a_phone_every_section_and_the_current_one_are_in_sight(live_server, browser, language):
    context, page, problems = new_page(browser, f"{language}-UA" if language == "uk" else "en-US",
                                       viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(f"{live_server.url}/{language}/categories/world/")  # the last of the row
    links = page.locator(".sections a")
    assert links.count() == 7
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= 390, links.nth(index).inner_text()
    assert page.locator(".sections a[aria-current=page]").inner_text() in ("Світ", "World")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # and the page itself does not scroll sideways
    assert problems == []
    context.close()
