"""``l10n coverage`` prints its remembered output only while nothing it shows changed.

Each change test takes the output before the change, makes the change, and requires the next
run to print exactly what a run without any remembered output prints — and something other
than before, so a version that printed the remembered output blindly would fail it.
"""
from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

import service.cli
from service.bootstrap import build_services
from service.config import load_settings
from service.domain.editing import transition_change
from service.domain.names import CatalogKey
from service.domain.variant_state import Transition
from service.storage import remembered_coverage
from service.storage.remembered_coverage import COVERAGE_FOLDER

from ..conftest import app_with_admin

LYNX = "articles/carpathian-lynx-camera-traps"
LVIV = "articles/lviv-ryasne-tram-line"


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remember outputs at once: the tree was copied a moment ago, and these tests wait for no clock tick."""
    monkeypatch.setattr(remembered_coverage, "SETTLE_SECONDS", 0)


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the formats of the runs that computed the coverage (the others printed a remembered output)."""
    runs: list[str] = []
    compute = service.cli._coverage_output

    def counted(ctx, languages, output_format):
        runs.append(output_format)
        return compute(ctx, languages, output_format)

    monkeypatch.setattr(service.cli, "_coverage_output", counted)
    return runs


def run(runner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke("coverage", *args)
    return result.exit_code, result.stdout, result.stderr


def fresh(runner, tree: Path, *args: str) -> tuple[int, str, str]:
    """What a run prints with nothing remembered."""
    shutil.rmtree(tree / "instance" / COVERAGE_FOLDER, ignore_errors=True)
    return run(runner, *args)


def catalog(tree: Path, language: str, domain: str) -> Path:
    return tree / "locales" / language / "LC_MESSAGES" / f"{domain}.po"


@pytest.mark.parametrize("args", [(), ("--format", "json"), ("--format", "csv", "--language", "en"),
                                  ("--fail-under", "90"), ("--language", "uk", "--fail-under", "100")], ids=repr)
def test_a_warm_run_prints_the_remembered_output_exactly(runner, computed, args):
    first = run(runner, *args)
    assert run(runner, *args) == first
    assert len(computed) == 1  # the second run computed nothing


def test_fail_under_is_applied_to_the_remembered_figures(runner, computed):
    assert run(runner)[0] == 0
    code, _out, err = run(runner, "--fail-under", "63.7")
    assert code == 1 and "below 63.7%: en articles/carpathian-lynx-camera-traps (63.6%)" in err
    assert run(runner, "--fail-under", "63.6")[0] == 0
    assert computed == ["table"]


def test_a_save_through_the_catalog_store_is_shown(runner, tree, computed):
    before = run(runner)
    store = build_services(load_settings()).catalogs
    with store.edit(CatalogKey("en", LYNX)) as edit:
        filled = [entry for entry in edit.catalog if not entry.msgstr]
        for entry in filled:
            entry.msgstr = "Freshly translated paragraph."
        edit.changed(filled)
    after = run(runner)
    assert after != before and after == fresh(runner, tree)


def test_an_upload_is_shown(runner, tree, computed):
    app, admin = app_with_admin(tree)
    before = run(runner, "--language", "en")
    client = app.test_client()
    text = client.get(f"/api/catalogs/en/{LYNX}/po", headers=admin).data.decode()
    edited = text.replace('msgid "Як упізнати рись"\nmsgstr ""', 'msgid "Як упізнати рись"\nmsgstr "How to recognise a lynx"')
    assert edited != text
    assert client.put(f"/api/catalogs/en/{LYNX}/po", headers=admin, data=edited.encode()).status_code == 200
    after = run(runner, "--language", "en")
    assert after != before and after == fresh(runner, tree, "--language", "en")


def test_l10n_update_after_a_source_changed_is_shown(runner, tree, computed):
    before = run(runner)
    source = tree / "content" / "carpathian-lynx-camera-traps.md"
    source.write_text(source.read_text() + "\nA new closing paragraph about the lynx survey.\n")
    assert runner.invoke("extract").exit_code == 0
    assert runner.invoke("update").exit_code == 0
    after = run(runner)
    assert after != before and after == fresh(runner, tree)


def test_a_file_replaced_as_git_or_rsync_do_is_shown_even_with_the_folders_mtime_set_back(runner, tree, computed):
    before = run(runner, "--format", "csv")
    path = catalog(tree, "en", LYNX)
    folder = os.stat(path.parent)
    replacement = path.with_name(".incoming.po")
    replacement.write_text(path.read_text().replace('msgstr "Camera traps in the Carpathians count at least 46 lynx"',
                                                    'msgstr ""'))
    os.replace(replacement, path)  # a new inode, as git checkout and rsync write files
    os.utime(path.parent, ns=(folder.st_atime_ns, folder.st_mtime_ns))  # rsync -t: the folder's mtime as it was
    assert os.stat(path.parent).st_mtime_ns == folder.st_mtime_ns
    after = run(runner, "--format", "csv")
    assert after != before and after == fresh(runner, tree, "--format", "csv")


def test_a_new_and_a_removed_article_are_shown(runner, tree, computed):
    before = run(runner, "--format", "json")
    for language in ("uk", "en"):
        path = catalog(tree, language, LVIV)
        if path.exists():
            shutil.copy(path, path.with_name("lviv-second-line.po"))
    shutil.copy(tree / "locales" / f"{LVIV}.pot", tree / "locales" / "articles" / "lviv-second-line.pot")
    added = run(runner, "--format", "json")
    assert "lviv-second-line" in added[1] and "lviv-second-line" not in before[1]
    assert added == fresh(runner, tree, "--format", "json")
    for path in [*tree.glob("locales/*/LC_MESSAGES/articles/lviv-second-line.po"),
                 tree / "locales" / "articles" / "lviv-second-line.pot"]:
        path.unlink()
    removed = run(runner, "--format", "json")
    assert removed == before


def test_a_state_change_recorded_in_the_history_is_shown(runner, tree, computed):
    before = run(runner, "--language", "en")
    assert "2026-11-25 09:10" in before[1]  # the Lviv article is stale since its header's date
    history = build_services(load_settings()).history
    moment = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    history.record_changes([transition_change(Transition("en", LVIV, "complete", "stale", moment), "l10n update")])
    after = run(runner, "--language", "en")
    assert "2026-12-01 10:30" in after[1]  # 08:30 UTC, shown in Kyiv time and after == fresh(runner, tree, "--language", "en")


def test_the_ui_catalog_edited_in_place_is_shown_at_once(runner, tree, computed):
    before = run(runner, "--language", "uk")
    path = catalog(tree, "uk", "messages")
    text = path.read_text()
    start = text.index('msgstr "', text.index('msgid "', text.index("\n\n")))
    with open(path, "r+", encoding="utf-8") as file:  # the same inode, the folder untouched
        file.write(text[:start] + 'msgstr ""' + text[text.index("\n", start):])
        file.truncate()
    after = run(runner, "--language", "uk")
    assert after != before and after == fresh(runner, tree, "--language", "uk")


def test_an_article_catalog_edited_in_place_is_shown_when_the_remembered_output_is_checked(runner, tree, computed,
                                                                                           monkeypatch):
    before = run(runner, "--language", "en")
    path = catalog(tree, "en", LYNX)
    text = path.read_text()
    with open(path, "r+", encoding="utf-8") as file:  # cp over it, rsync --inplace, an editor that does not rename
        file.write(text.replace('msgstr "Camera traps in the Carpathians count at least 46 lynx"', 'msgstr ""'))
        file.truncate()
    # Within COVERAGE_REVALIDATE_EVERY of the last look the folders are trusted: the documented bound.
    assert run(runner, "--language", "en") == before
    remembered = tree / "instance" / COVERAGE_FOLDER / "table-en.txt"
    looked = os.stat(remembered).st_mtime - 61  # the last look at every file, a minute ago
    os.utime(remembered, (looked, looked))
    after = run(runner, "--language", "en")
    assert after != before and after == fresh(runner, tree, "--language", "en")
    monkeypatch.setenv("L10N_COVERAGE_REVALIDATE_EVERY", "0")  # every run looks
    with open(path, "r+", encoding="utf-8") as file:
        file.write(text)
        file.truncate()
    assert run(runner, "--language", "en") == before


@pytest.mark.parametrize("damage", [b"", b"not json\n", b'{"format": 1}\n', None], ids=["empty", "garbage", "foreign",
                                                                                     "cut-short"])
def test_a_damaged_remembered_output_is_computed_again(runner, tree, computed, damage):
    first = run(runner)
    remembered = tree / "instance" / COVERAGE_FOLDER / "table-uk,en.txt"
    data = remembered.read_bytes()
    remembered.write_bytes(data[:-10] if damage is None else damage)
    assert run(runner) == first
    assert run(runner) == first and computed == ["table", "table"]  # rewritten by the second run


def test_an_instance_folder_that_cannot_keep_the_output_still_gets_the_coverage(runner, tree, computed):
    (tree / "instance" / COVERAGE_FOLDER).write_text("a file where the folder should be")
    first = run(runner)
    assert first[0] == 0 and first[1] == run(runner)[1] == fresh(runner, tree)[1]
    assert len(computed) == 3


def test_a_reader_replica_remembers_nothing(runner, tree, computed, monkeypatch):
    monkeypatch.setenv("L10N_READERS_ONLY", "1")
    assert run(runner)[0] == 0 and run(runner)[0] == 0
    assert not (tree / "instance" / COVERAGE_FOLDER).exists() and computed == ["table", "table"]


def test_an_unreadable_catalog_is_reported_again_from_the_remembered_output(runner, tree, computed):
    catalog(tree, "en", LYNX).write_text('msgid "unterminated\n')
    first = run(runner)
    assert first[0] == 1 and f"error: locales/en/LC_MESSAGES/{LYNX}.po" in first[2]
    assert run(runner) == first and computed == ["table"]


def test_a_change_too_recent_to_be_told_from_the_next_is_not_remembered(runner, computed, monkeypatch):
    monkeypatch.setattr(remembered_coverage, "SETTLE_SECONDS", 2.0)  # the tree's folders were written just now
    assert run(runner) == run(runner)
    assert computed == ["table", "table"]


def test_another_time_zone_is_not_answered_with_the_remembered_table(runner, computed, monkeypatch):
    kyiv = run(runner, "--language", "en")
    assert run(runner, "--language", "en") == kyiv and len(computed) == 1
    monkeypatch.setenv("L10N_TIMEZONE", "UTC")
    utc = run(runner, "--language", "en")
    assert "2026-11-25 07:10" in utc[1] and "2026-11-25 09:10" in kyiv[1]  # the Lviv article's X-Stale-Since
