from __future__ import annotations

import pytest

from service.storage.accounts import Accounts, database_path

from ..conftest import TEST_PASSWORD_HASH_METHOD
from .conftest import LiveServer


@pytest.fixture
def editor_server(tree):
    """gunicorn over the sample tree, with an editor account ``.credentials``."""
    credentials = Accounts(database_path(tree / "instance"), password_hash_method=TEST_PASSWORD_HASH_METHOD).add_user(
        "mykola", "editor", ())
    server = LiveServer(tree, workers=1)
    server.credentials = credentials
    yield server
    server.stop()


@pytest.mark.browser
@pytest.mark.e2e
@pytest.mark.parametrize("language", ["en", "uk"])
def test_editor_opens_the_dashboard(editor_server, browser, screenshots, language):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=language)
    context.add_cookies([{"name": "lang", "value": language, "url": editor_server.url}])
    page = context.new_page()
    failed: list[str] = []  # stylesheets or anything else the page needs that did not load
    page.on("response", lambda answer: failed.append(answer.url)
            if answer.status >= 400 and not answer.url.endswith("/favicon.ico") else None)
    page.goto(editor_server.url + "/editor/coverage")
    assert "/login" in page.url  # signed out: the login page first
    page.fill("input[name=name]", editor_server.credentials.user.name)
    page.fill("input[name=password]", editor_server.credentials.password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/editor/coverage")
    stale = page.locator('tr[data-article="lviv-ryasne-tram-line"] td[data-language="en"]')
    assert stale.get_attribute("data-state") == "stale"
    assert stale.locator(".facts").is_visible()
    bar = stale.locator("svg.bar")
    assert bar.bounding_box()["width"] > 100  # the stacked bar is drawn, not collapsed
    assert page.locator("svg.timeline polyline").count() == 4  # published and complete, per language
    page.screenshot(path=str(screenshots / f"editor-coverage-{language}.png"), full_page=True)

    page.select_option("select[name=sort]", "percent")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("tr[data-article]").first.get_attribute("data-article") == "carpathian-lynx-camera-traps"
    page.check("input[name=stale]")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("tr[data-article]").count() == 1
    assert failed == []
    context.close()


@pytest.mark.browser
@pytest.mark.e2e
def test_dashboard_fits_a_phone_and_names_each_cells_language(editor_server, browser, screenshots):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="uk")
    page = context.new_page()
    page.goto(editor_server.url + "/login?next=/editor/coverage")
    page.fill("input[name=name]", editor_server.credentials.user.name)
    page.fill("input[name=password]", editor_server.credentials.password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/editor/coverage")
    # the wide totals table scrolls inside its section, not the whole page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # with the column headings hidden, every cell says which language it is
    labels = page.eval_on_selector_all(
        "table.coverage-table td.cell",
        "cells => cells.map(cell => [cell.dataset.language, getComputedStyle(cell, '::before').content])")
    assert labels and all(content == f'"{language}"' for language, content in labels), labels
    page.screenshot(path=str(screenshots / "editor-coverage-phone.png"), full_page=True)
    context.close()
