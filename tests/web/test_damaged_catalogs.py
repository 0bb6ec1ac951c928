"""A page never fails because of a translation (issue 9, part 2): lone %, damaged .mo, damaged .po."""
from __future__ import annotations

import logging
from pathlib import Path

import polib
import pytest

from service.domain.editing import entry_id_of
from service.storage.po_files import read_catalog

ARTICLE = "articles/nordic-baltic-grid-repair-fund"
TITLE_UK = "Країни Північної Європи та Балтії виділять 240 млн євро на відновлення енергомережі України"


def ui_catalog(tree: Path) -> Path:
    return tree / "locales" / "uk" / "LC_MESSAGES" / "messages.po"


def hand_edit(path: Path, old: str, new: str) -> None:
    """Change a catalog as a text editor would, and compile it as msgfmt would (no checks of ours)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


@pytest.fixture
def admin(add_user):
    return {"Authorization": f"Bearer {add_user('ada', 'admin').token}"}


def test_a_lone_percent_in_a_hand_edited_ui_string_shows_the_source_text_and_is_logged(client, tree, caplog):
    hand_edit(ui_catalog(tree), 'msgid "Newsroom"\nmsgstr "Редакція"', 'msgid "Newsroom"\nmsgstr "Редакція 100%"')
    with caplog.at_level(logging.ERROR):
        page = client.get("/uk/")
    assert page.status_code == 200
    assert "Newsroom" in page.text and "Редакція 100%" not in page.text
    assert any("Редакція 100%" in record.getMessage() for record in caplog.records)


def test_a_lone_percent_in_a_ui_string_is_refused_at_save_upload_and_check(client, admin, tree, runner):
    url = f"/api/catalogs/uk/messages/entries/{entry_id_of(None, 'Newsroom')}"
    saved = client.put(url, headers=admin, json={"msgstr": "Редакція 100%", "base": "Редакція"})
    assert saved.status_code == 422 and saved.json["checks"][0]["check"] == "placeholders"
    assert client.put(url, headers=admin, json={"msgstr": "Редакція 100%%", "base": "Редакція"}).status_code == 200
    po = "/api/catalogs/uk/messages/po"
    downloaded = client.get(po, headers=admin).get_data(as_text=True)
    uploaded = client.put(po, headers=admin, content_type="text/x-gettext-translation",
                          data=downloaded.replace('msgstr "Редакція 100%%"', 'msgstr "Редакція на 5%"').encode())
    assert uploaded.status_code == 200 and uploaded.json["rejected"] and not uploaded.json["applied"]
    hand_edit(ui_catalog(tree), 'msgstr "Редакція 100%%"', 'msgstr "Редакція 100%"')
    checked = runner.invoke("check", "--language", "uk")
    assert checked.exit_code == 1 and "messages.po" in checked.output and "[placeholders]" in checked.output


def test_a_damaged_mo_is_rebuilt_from_its_catalog_on_first_use(client, tree, caplog):
    compiled = ui_catalog(tree).with_suffix(".mo")
    compiled.write_bytes(b"\x00garbage, not a .mo file" * 3)
    with caplog.at_level(logging.ERROR):
        page = client.get("/uk/")
    assert page.status_code == 200 and "Редакція" in page.text
    assert polib.mofile(str(compiled)).find("Newsroom").msgstr == "Редакція"  # rebuilt on disk
    assert any("damaged" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("damage", [b"", b"\xde\x12\x04\x95" + b"\xff" * 40, b"\x00" * 3])
def test_a_damaged_mo_and_po_serve_the_source_text(client, tree, damage, caplog):
    ui_catalog(tree).write_bytes(b'msgid "Newsroom"\nmsgstr "unterminated\n')
    ui_catalog(tree).with_suffix(".mo").write_bytes(damage)
    with caplog.at_level(logging.ERROR):
        page = client.get("/uk/")
    assert page.status_code == 200 and "Newsroom" in page.text
    assert any("source text" in record.getMessage() for record in caplog.records)


def test_a_damaged_article_catalog_keeps_its_last_good_text_serving(client, tree, admin, caplog):
    url = f"/uk/{ARTICLE}".replace("articles/", "articles/")
    assert TITLE_UK in client.get(url).text
    po = tree / "locales" / "uk" / "LC_MESSAGES" / f"{ARTICLE}.po"
    po.write_bytes(po.read_bytes().replace(b'msgctxt "title"', b'msgctxt "title', 1))
    with caplog.at_level(logging.ERROR):
        page = client.get(url)
    assert page.status_code == 200 and TITLE_UK in page.text
    assert any("last good" in record.getMessage() for record in caplog.records)
    reported = client.get(f"/api/catalogs/uk/{ARTICLE}", headers=admin)
    assert reported.status_code == 409 and "line" in reported.json["error"]  # reported to the translators


def test_a_damaged_ui_catalog_keeps_the_compiled_text_serving(tree, client):
    from service.bootstrap import build_services, prepare_tree
    from service.config import load_settings
    from ..conftest import tree_settings

    before = ui_catalog(tree).with_suffix(".mo").read_bytes()
    ui_catalog(tree).write_bytes(ui_catalog(tree).read_bytes() + b'\nmsgid "broken\n')
    report = prepare_tree(build_services(load_settings(tree_settings(tree))))
    assert any("messages.po" in error for error in report.errors)
    assert ui_catalog(tree).with_suffix(".mo").read_bytes() == before
    page = client.get("/uk/")
    assert page.status_code == 200 and "Редакція" in page.text
    with pytest.raises(Exception):
        read_catalog(ui_catalog(tree))
