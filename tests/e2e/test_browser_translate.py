"""A translator in a real browser (Debian's chromium): sign in, filter, translate, save with the keyboard."""
from __future__ import annotations

import json
import urllib.request

import pytest

from service.storage.accounts import Accounts, database_path

from ..conftest import TEST_PASSWORD_HASH_METHOD

LYNX = "articles/carpathian-lynx-camera-traps"


def sign_in(page, url, credentials):
    page.goto(f"{url}/translate/")
    assert "/login" in page.url
    page.fill("#name", credentials.user.name)
    page.fill("#password", credentials.password)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{url}/translate/")


@pytest.mark.browser
def test_translator_filters_translates_and_saves_with_the_keyboard(browser, live_server, screenshots):
    accounts = Accounts(database_path(live_server.tree / "instance"), password_hash_method=TEST_PASSWORD_HASH_METHOD)
    credentials = accounts.add_user("olena", "translator", ["en"])
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, live_server.url, credentials)

    page.click(f"a[href='/translate/en/{LYNX}']")
    page.check("input[name=state][value=untranslated]")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**state=untranslated**")
    states = page.locator("table.entries .badge").all_inner_texts()
    assert states and set(states) == {"untranslated"}

    page.click("table.entries tbody tr:first-child a")
    page.wait_for_selector("#msgstr")
    source = page.inner_text(".source")
    assert source == "Як упізнати рись"
    page.fill("#msgstr", "Як упізнати рись")  # a wrong-language draft: the live check says so
    page.wait_for_selector("#checks li.warning")
    assert "Ukrainian" in page.inner_text("#checks")
    page.fill("#msgstr", "How to recognise a lynx")
    page.wait_for_selector("#checks li.warning", state="detached")
    page.screenshot(path=str(screenshots / "translate-editor.png"), full_page=True)
    first_url = page.url
    page.press("#msgstr", "Control+Enter")
    page.wait_for_url(lambda url: url != first_url and "/entries/" in url)
    assert "Saved." in page.inner_text(".notice.saved")
    page.screenshot(path=str(screenshots / "translate-after-save.png"), full_page=True)

    # The saved text is shown: on the entry page after reload, over the API, and on the reader page if there is one.
    page.goto(first_url)
    assert page.input_value("#msgstr") == "How to recognise a lynx"
    api = urllib.request.Request(f"{live_server.url}/api/catalogs/en/{LYNX}",
                                 headers={"Authorization": f"Bearer {credentials.token}"})
    with urllib.request.urlopen(api) as response:
        entries = json.loads(response.read())["entries"]
    assert any(e["msgstr"] == "How to recognise a lynx" for e in entries)
    reader = page.goto(f"{live_server.url}/en/articles/carpathian-lynx-camera-traps")
    if reader.status == 200 and "Як упізнати рись" not in page.content():
        assert "How to recognise a lynx" in page.content()
    assert not [error for error in errors if "Content Security Policy" in error]
    context.close()


@pytest.mark.browser
def test_translator_for_en_cannot_open_the_uk_catalog(browser, live_server, screenshots):
    accounts = Accounts(database_path(live_server.tree / "instance"), password_hash_method=TEST_PASSWORD_HASH_METHOD)
    credentials = accounts.add_user("olena", "translator", ["en"])
    context = browser.new_context(locale="uk-UA")
    page = context.new_page()
    sign_in(page, live_server.url, credentials)
    assert "/translate/uk/" not in page.content()
    response = page.goto(f"{live_server.url}/translate/uk/articles/nordic-baltic-grid-repair-fund")
    assert response.status == 403
    page.screenshot(path=str(screenshots / "translate-forbidden.png"))
    context.close()


@pytest.mark.browser
def test_editor_screenshot_in_ukrainian_with_plural_forms(browser, live_server, screenshots):
    path = live_server.tree / "locales/uk/LC_MESSAGES/messages.po"
    path.write_text(path.read_text() + '\n#: templates/example.html:3\n#, python-format\nmsgid "%(num)d minute"\n'
                    'msgid_plural "%(num)d minutes"\nmsgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\n')
    accounts = Accounts(database_path(live_server.tree / "instance"), password_hash_method=TEST_PASSWORD_HASH_METHOD)
    credentials = accounts.add_user("mariia", "translator", ["uk"])
    context = browser.new_context(locale="uk-UA", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, credentials)
    page.screenshot(path=str(screenshots / "translate-index-uk.png"), full_page=True)
    page.goto(f"{live_server.url}/translate/uk/messages?state=untranslated")
    page.click("table.entries tbody tr:first-child a")
    page.wait_for_selector("#msgstr_2")
    labels = page.locator(".entry-form label").all_inner_texts()
    assert any("one" in label and "1, 21, 31" in label for label in labels)
    assert any("many" in label and "0, 5, 6" in label for label in labels)
    page.screenshot(path=str(screenshots / "translate-plural-uk.png"), full_page=True)
    context.close()


@pytest.mark.browser
def test_workspace_pages_fit_a_phone_screen(browser, live_server, screenshots):
    accounts = Accounts(database_path(live_server.tree / "instance"), password_hash_method=TEST_PASSWORD_HASH_METHOD)
    credentials = accounts.add_user("olena", "translator", ["en"])
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server.url, credentials)
    entries = json.loads(urllib.request.urlopen(urllib.request.Request(
        f"{live_server.url}/api/catalogs/en/{LYNX}", headers={"Authorization": f"Bearer {credentials.token}"})).read())
    for name, path in [("index", "/translate/"), ("catalog", f"/translate/en/{LYNX}"),
                       ("entry", f"/translate/en/{LYNX}/entries/{entries['entries'][0]['id']}")]:
        page.goto(live_server.url + path)
        page.screenshot(path=str(screenshots / f"translate-phone-{name}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px screen"
    context.close()
