"""A translator at the desk in a real browser (Debian's chromium): memory suggestion, glossary hint and warning."""
from __future__ import annotations

import pytest

from service.domain.editing import entry_id_of
from service.storage.glossary import Glossaries, database_path

from .conftest import LiveServer
from .test_browser_translate import sign_in
from ..integration.test_memory_store import LYNX, SEEN, TRAM, add_entries

SIMILAR = "Рись у Києві бачили вперше за двісті років."


@pytest.fixture
def desk_server(tree):
    """gunicorn over a tree with two new entries, a translated look-alike elsewhere, and a glossary term."""
    add_entries(tree, "en", LYNX, ("paragraph", SEEN, ""), ("paragraph", SIMILAR, ""))
    add_entries(tree, "en", TRAM, ("paragraph", SEEN, "A lynx was seen in Kiev for the first time in a hundred years."))
    Glossaries(database_path(tree / "instance")).add("en", "Київ", "Kyiv", "official spelling since 1995", ["Kiev"])
    server = LiveServer(tree)
    yield server
    server.stop()


@pytest.mark.browser
def test_translator_applies_a_suggestion_fixes_the_glossary_warning_and_the_next_entry_remembers(
        browser, desk_server, screenshots):
    from service.storage.accounts import Accounts, database_path as accounts_path

    credentials = Accounts(accounts_path(desk_server.tree / "instance")).add_user("olena", "translator", ["en"])
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, desk_server.url, credentials)

    page.goto(f"{desk_server.url}/translate/en/{LYNX}/entries/{entry_id_of('paragraph', SEEN)}")
    hints = page.inner_text("#glossary-hints")
    assert "Київ" in hints and "Kyiv" in hints and "Kiev" in hints
    first = page.locator("#suggestions li.suggestion").first
    assert "100 %" in first.inner_text() and "Kiev" in first.inner_text()
    page.screenshot(path=str(screenshots / "desk-entry-suggestion.png"), full_page=True)

    page.click("#suggestions li.suggestion:first-child button.use-suggestion")
    assert page.input_value("#msgstr") == "A lynx was seen in Kiev for the first time in a hundred years."
    page.wait_for_selector("#checks li.warning")
    assert "glossary" in page.inner_text("#checks") and "Kiev" in page.inner_text("#checks")
    page.screenshot(path=str(screenshots / "desk-glossary-warning.png"), full_page=True)

    page.fill("#msgstr", "A lynx was seen in Kyiv for the first time in a hundred years.")
    page.wait_for_selector("#checks li:has-text('Kiev')", state="detached")
    page.click("button[value=save]")
    page.wait_for_selector(".notice.saved")
    assert "Saved." in page.inner_text(".notice.saved")

    page.goto(f"{desk_server.url}/translate/en/{LYNX}/entries/{entry_id_of('paragraph', SIMILAR)}")
    suggestions = page.inner_text("#suggestions")
    assert "A lynx was seen in Kyiv for the first time in a hundred years." in suggestions
    page.keyboard.press("Alt+1")
    assert page.input_value("#msgstr").startswith("A lynx was seen in ")
    page.screenshot(path=str(screenshots / "desk-next-entry.png"), full_page=True)
    assert not [error for error in errors if "Content Security Policy" in error]
    context.close()
