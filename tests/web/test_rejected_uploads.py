"""Nothing a translator sends is lost: an upload entry refused by a check is kept in its history, to fix and apply."""
from __future__ import annotations

import io
import re

from service.domain.editing import entry_id_of

from .conftest import csrf_token_from

LYNX = "articles/carpathian-lynx-camera-traps"
BOLD = "де **не можна** прокладати нові лісовозні дороги."


def _source(tree) -> str:
    template = (tree / "locales/articles/carpathian-lynx-camera-traps.pot").read_text()
    return next(msgid for msgid in re.findall(r'msgid "(.*)"', template) if BOLD in msgid)


def _broken_file(client, headers=None) -> tuple[str, str]:
    """Download the catalog and fill the paragraph with bold in it without the bold (a markup error)."""
    text = client.get(f"/api/catalogs/en/{LYNX}/po", headers=headers or {}).data.decode()
    source = next(msgid for msgid in re.findall(r'msgid "(.*)"', text) if BOLD in msgid)
    fixed_text = "Where new logging roads must not be built <b>"
    return text.replace(f'msgid "{source}"\nmsgstr ""', f'msgid "{source}"\nmsgstr "{fixed_text}"'), source


def test_the_api_upload_report_lists_the_refused_entry_with_its_checks_and_the_history_keeps_it(
        client, add_user, tree):
    token = add_user("olena", "translator", "en").token
    headers = {"Authorization": f"Bearer {token}"}
    edited, source = _broken_file(client, headers)
    report = client.put(f"/api/catalogs/en/{LYNX}/po", headers=headers, data=edited.encode()).get_json()
    entry_id = entry_id_of("paragraph", source)
    rejected = [item for item in report["rejected"] if item["id"] == entry_id]
    assert rejected and rejected[0]["error"] == "failed checks"
    assert any(check["check"] == "markup" and check["level"] == "error" for check in rejected[0]["checks"])
    url = f"/api/catalogs/en/{LYNX}/entries/{entry_id}"
    assert client.get(url, headers=headers).get_json()["msgstr"] == ""  # the stored text stays
    history = client.get(url + "/history", headers=headers).get_json()["history"]
    assert history[0]["action"] == "rejected" and history[0]["new"].startswith("Where new logging roads")


def test_a_refused_entry_is_reported_kept_and_applied_after_a_fix_in_the_browser(client, add_user, login, tree):
    login(add_user("olena", "translator", "en"))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    edited, source = _broken_file(client)
    catalog_page = client.get(f"/translate/en/{LYNX}").text
    report = client.post(f"/translate/en/{LYNX}/upload", data={
        "csrf_token": csrf_token_from(catalog_page), "file": (io.BytesIO(edited.encode()), "lynx.po")},
        content_type="multipart/form-data")
    assert report.status_code == 200
    rejected = report.text.split('<ul class="rejected">')[1].split("</ul>")[0]
    entry_id = entry_id_of("paragraph", source)
    assert f"/entries/{entry_id}" in rejected and "HTML is not allowed: &lt;b&gt;" in rejected
    assert "Edit from this" in report.text  # the report says where the text went

    page = client.get(f"/translate/en/{LYNX}/entries/{entry_id}").text
    history = page.split('id="history-heading"')[1]
    assert '<tr class="rejected">' in history and "refused by a check" in history
    link = re.search(r'href="([^"]*draft=(\d+)[^"]*)"', history)
    assert link, "no 'Edit from this' link on the rejected row"
    draft = client.get(link.group(1).replace("&amp;", "&")).text
    assert ">Where new logging roads must not be built &lt;b&gt;</textarea>" in draft  # escaped, in the form
    fixed = "Where **new** logging roads must not be built."
    saved = client.post(f"/translate/en/{LYNX}/entries/{entry_id}", data={
        "csrf_token": csrf_token_from(draft), "base": '""', "msgstr": fixed, "action": "save"})
    assert saved.status_code == 302
    answer = client.get(f"/api/catalogs/en/{LYNX}/entries/{entry_id}").get_json()
    assert answer["msgstr"] == fixed


def test_a_draft_link_to_another_entrys_row_or_nonsense_shows_the_stored_text(client, add_user, login, tree):
    login(add_user("olena", "translator", "en"))
    entry_id = entry_id_of("paragraph", _source(tree))
    for draft in ("999999", "abc", "9" * 40, "-1"):
        page = client.get(f"/translate/en/{LYNX}/entries/{entry_id}?draft={draft}")
        assert page.status_code == 200 and "></textarea>" in page.text


def test_the_source_is_shown_once_with_markup_highlighted_and_never_as_html(client, add_user, login, tree):
    login(add_user("olena", "translator", "en"))
    entry_id = entry_id_of("paragraph", _source(tree))
    page = client.get(f"/translate/en/{LYNX}/entries/{entry_id}").text
    panel = page.split('class="source-panel"')[1].split("</section>")[0]
    assert '<mark class="mu">**</mark>не можна<mark class="mu">**</mark>' in panel
    assert panel.count('<div class="source"') == 1
    assert 'class="copy-source" data-source="' in panel
