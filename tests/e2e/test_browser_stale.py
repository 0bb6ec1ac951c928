"""A changed number in a browser: the stale page marks the outdated paragraph, "Still correct" is refused."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from service.config import PROJECT_ROOT
from service.storage.accounts import Accounts, database_path
from service.storage.po_files import read_catalog

from ..conftest import TEST_PASSWORD_HASH_METHOD, tree_environment
from .test_browser_translate import sign_in

SLUG = "chernihiv-library-restoration"


def run_l10n(tree: Path, *commands: str) -> None:
    """Run ``l10n <command>`` for each command over ``tree``, as an editor does after changing a source."""
    environment = {**os.environ, **tree_environment(tree)}
    l10n = PROJECT_ROOT / ".venv" / "bin" / "l10n"
    for command in commands:
        result = subprocess.run([str(l10n), command], env=environment, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


@pytest.mark.browser
def test_a_changed_number_marks_the_paragraph_and_still_correct_is_refused(browser, live_server, screenshots):
    tree = live_server.tree
    source = tree / "content" / f"{SLUG}.md"
    source.write_text(source.read_text().replace("зайшли 1260 людей", "зайшли 1340 людей"))
    run_l10n(tree, "extract", "update", "compile")
    po = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / f"{SLUG}.po"
    [changed] = [entry for entry in read_catalog(po) if entry.fuzzy]
    assert "1340" in changed.msgid and "1260" in changed.previous_msgid

    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # The reader: the stale English page keeps the old paragraph, marked and dated, and links to the original.
    page.goto(f"{live_server.url}/en/articles/{SLUG}")
    outdated = page.locator(".article-body p.outdated")
    assert outdated.count() == 1
    assert "The original of this paragraph changed on" in outdated.inner_text()
    assert outdated.evaluate("p => getComputedStyle(p).borderLeftStyle") == "solid"
    assert page.locator(".article-body .outdated-label").count() == 1
    assert page.get_attribute(".notice-stale a", "href") == f"/uk/articles/{SLUG}"
    page.screenshot(path=str(screenshots / "stale-outdated-paragraph.png"), full_page=True)

    # The translator: "Still correct" on the changed number is refused, with the reason, and nothing is stored.
    accounts = Accounts(database_path(tree / "instance"), password_hash_method=TEST_PASSWORD_HASH_METHOD)
    credentials = accounts.add_user("olena", "translator", ["en"])
    sign_in(page, live_server.url, credentials)
    page.goto(f"{live_server.url}/translate/en/articles/{SLUG}?state=fuzzy")
    page.click("table.entries tbody tr:first-child a")
    page.wait_for_selector("button[value=still-correct]")
    before = po.read_bytes()
    page.click("button[value=still-correct]")
    page.wait_for_selector("#checks li.error")
    refusal = page.inner_text("#checks")
    assert "changed facts" in refusal and "1340" in refusal
    assert po.read_bytes() == before and any(entry.fuzzy for entry in read_catalog(po))
    page.screenshot(path=str(screenshots / "stale-still-correct-refused.png"), full_page=True)

    # Fixing the figure is accepted and the page is current again.
    page.fill("#msgstr", page.input_value("#msgstr").replace("1,260", "1,340").replace("1260", "1340"))
    page.click("button[value=save]")
    page.wait_for_selector(".notice.saved")
    assert not any(entry.fuzzy for entry in read_catalog(po))
    context.close()
    reader = browser.new_context(locale="en-GB").new_page()  # a reader without the page in their browser's cache
    reader.goto(f"{live_server.url}/en/articles/{SLUG}")
    assert reader.locator(".article-body p.outdated").count() == 0 and reader.locator(".notice-stale").count() == 0
    reader.context.close()
