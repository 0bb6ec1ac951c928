"""The desk on a phone (390 × 844) in a real browser: the translation field on the first screen, copy source."""
from __future__ import annotations

import re

import pytest

from service.domain.editing import entry_id_of
from service.storage.accounts import Accounts, database_path

from .test_browser_translate import LYNX, sign_in
from ..conftest import TEST_PASSWORD_HASH_METHOD

PHONE = {"width": 390, "height": 844}
BOLD = "де **не можна** прокладати нові лісовозні дороги."


def _long_source(tree) -> str:
    template = (tree / "locales/articles/carpathian-lynx-camera-traps.pot").read_text()
    return next(msgid for msgid in re.findall(r'msgid "(.*)"', template) if BOLD in msgid)


@pytest.mark.browser
def test_on_a_phone_the_field_is_on_the_first_screen_and_copy_source_fills_it(browser, live_server, screenshots):
    accounts = Accounts(database_path(live_server.tree / "instance"), password_hash_method=TEST_PASSWORD_HASH_METHOD)
    credentials = accounts.add_user("olena", "translator", ["en"])
    context = browser.new_context(locale="en-GB", viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, live_server.url, credentials)

    nav = page.inner_text("nav.desk-nav")
    assert "Catalogs" in nav and "English" in nav and "olena" in nav and "Sign out" in nav
    assert page.locator("table.catalogs").is_visible()
    page.screenshot(path=str(screenshots / "phone-catalogs.png"))

    source = _long_source(live_server.tree).replace('\\"', '"')
    page.goto(f"{live_server.url}/translate/en/{LYNX}/entries/{entry_id_of('paragraph', source)}")
    field = page.locator("#msgstr")
    box = field.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    save = page.locator("button[value=save-next]").bounding_box()
    assert save is not None and save["y"] + save["height"] <= PHONE["height"], save  # and the button to save it
    assert page.locator(".source-panel .source").count() == 1
    assert page.locator(".source mark.mu").count() == 2  # the ** around "не можна"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing scrolls sideways
    page.screenshot(path=str(screenshots / "phone-entry.png"))

    page.click("button.copy-source")
    assert field.input_value() == source
    page.wait_for_selector("#checks li.warning")  # the live checks ran on the copied draft (same as source)
    page.screenshot(path=str(screenshots / "phone-entry-copied.png"))
    assert not [error for error in errors if "Failed to load resource" not in error]  # no script error, no CSP
    context.close()


@pytest.mark.browser
def test_an_editor_goes_from_the_dashboard_to_the_catalogs_and_a_glossary(browser, live_server, screenshots):
    accounts = Accounts(database_path(live_server.tree / "instance"), password_hash_method=TEST_PASSWORD_HASH_METHOD)
    credentials = accounts.add_user("iryna", "editor", [])
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, credentials)
    page.click("nav.desk-nav >> text=Coverage")
    page.wait_for_url("**/editor/coverage")
    assert "Times in Europe/Kyiv" in page.inner_text("main")
    page.screenshot(path=str(screenshots / "desk-coverage.png"))
    page.click("nav.desk-nav >> text=Ukrainian")
    page.wait_for_url("**/translate/glossary/uk")
    page.click("nav.desk-nav >> text=Catalogs")
    page.wait_for_url("**/translate/")
    page.screenshot(path=str(screenshots / "desk-catalogs.png"))
    context.close()
