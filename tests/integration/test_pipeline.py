"""``l10n extract``, ``update`` and ``compile`` over a private copy of the sample tree."""
from __future__ import annotations

import gettext
import os
import re
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from service import pipeline
from service.domain.variant_state import Transition
from service.storage import catalogs as catalogs_module
from service.storage.accounts import database_path
from service.storage.history import History
from service.storage.locks import catalog_lock
from service.storage.po_files import read_catalog

from ..gnu_gettext import msgfmt_check, msgmerge
from ..stores import catalog_stores

ARTICLE = "odesa-ports-grain-exports"


def snapshot(tree: Path) -> dict[str, bytes]:
    return {str(p.relative_to(tree)): p.read_bytes() for p in sorted((tree / "locales").rglob("*.po*"))}


def extract_and_update(runner) -> None:
    for command in ("extract", "update"):
        result = runner.invoke(command)
        assert result.exit_code == 0, result.output


def changed_files(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def entries_by_key(path: Path) -> dict:
    return {(e.msgctxt, e.msgid): e for e in read_catalog(path)}


def without_state_headers(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith(('"X-Stale-Since', '"X-Completed')))


def test_update_writes_what_msgmerge_writes(runner, tree):
    source = tree / "content" / f"{ARTICLE}.md"
    source.write_text(source.read_text().replace("2026", "2027").replace("## ", "## Оновлено: ", 1))
    catalog_path = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / f"{ARTICLE}.po"
    previous = tree / "previous.po"
    previous.write_bytes(catalog_path.read_bytes())
    extract_and_update(runner)
    expected = msgmerge(previous, tree / "locales" / "articles" / f"{ARTICLE}.pot")
    assert without_state_headers(catalog_path.read_text()) == without_state_headers(expected)
    assert sum(e.fuzzy for e in read_catalog(catalog_path)) >= 2


def test_committed_catalogs_are_in_step_with_committed_sources(runner, tree):
    before = snapshot(tree)
    extract_and_update(runner)
    assert changed_files(before, snapshot(tree)) == []


def test_editing_one_paragraph_makes_exactly_that_entry_fuzzy(runner, tree):
    source = tree / "content" / f"{ARTICLE}.md"
    body = source.read_text().split("+++")[2]
    old_paragraph = next(line for line in body.splitlines() if line and not line.startswith(("#", "-")))
    new_paragraph = old_paragraph.replace(" ", " — ", 1)
    source.write_text(source.read_text().replace(old_paragraph, new_paragraph))
    catalog_path = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / f"{ARTICLE}.po"
    before_entries, before = entries_by_key(catalog_path), snapshot(tree)

    extract_and_update(runner)

    assert changed_files(before, snapshot(tree)) == [
        f"locales/articles/{ARTICLE}.pot", f"locales/en/LC_MESSAGES/articles/{ARTICLE}.po",
    ]
    after_entries = entries_by_key(catalog_path)
    changed = after_entries[("paragraph", new_paragraph)]
    assert changed.fuzzy and changed.previous_msgid == old_paragraph
    assert changed.msgstr == before_entries[("paragraph", old_paragraph)].msgstr
    assert f'#| msgid "{old_paragraph}"' in catalog_path.read_text()
    others = {key: (e.msgstr, e.flags) for key, e in after_entries.items() if key != ("paragraph", new_paragraph)}
    assert others == {key: (e.msgstr, e.flags) for key, e in before_entries.items() if key != ("paragraph", old_paragraph)}
    catalog = read_catalog(catalog_path)
    assert "X-Stale-Since" in catalog.metadata

    again = snapshot(tree)
    extract_and_update(runner)
    assert changed_files(again, snapshot(tree)) == []


def _edit_a_paragraph(tree: Path) -> None:
    source = tree / "content" / f"{ARTICLE}.md"
    body = source.read_text().split("+++")[2]
    paragraph = next(line for line in body.splitlines() if line and not line.startswith(("#", "-")))
    source.write_text(source.read_text().replace(paragraph, paragraph.replace(" ", " — ", 1)))


def test_update_reports_the_state_transitions_it_makes(runner, tree):
    _edit_a_paragraph(tree)
    assert runner.invoke("extract").exit_code == 0
    now = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    catalogs, _figures = catalog_stores(tree)
    report = pipeline.update(catalogs, now)
    assert report.transitions == [Transition("en", f"articles/{ARTICLE}", "complete", "stale", now)]
    assert pipeline.update(catalogs, now).transitions == []


def test_l10n_update_records_complete_to_stale_in_the_history(runner, tree):
    _edit_a_paragraph(tree)
    assert runner.invoke("extract").exit_code == 0
    result = runner.invoke("update")
    assert result.exit_code == 0, result.output
    assert f"en articles/{ARTICLE}: complete → stale" in result.output
    history = History(database_path(tree / "instance"))
    [transition] = history.state_transitions()
    assert (transition.language, transition.domain, transition.old, transition.new) == (
        "en", f"articles/{ARTICLE}", "complete", "stale")
    assert abs(transition.at - datetime.now(UTC)) < timedelta(minutes=1)
    with sqlite3.connect(database_path(tree / "instance")) as connection:
        rows = connection.execute("SELECT user, action, entry_id, msgid, old, new FROM history").fetchall()
    assert rows == [("l10n update", "state", "", "", '"complete"', '"stale"')]
    assert history.rows() == []  # not an entry change
    runner.invoke("update")
    assert len(History(database_path(tree / "instance")).state_transitions()) == 1  # nothing changed: no row


def test_inserting_a_paragraph_at_the_top_adds_one_untranslated_entry(runner, tree):
    source = tree / "content" / f"{ARTICLE}.md"
    text = source.read_text()
    body_start = text.index("+++", 3) + 4
    new_paragraph = "Редакція оновила цей матеріал після уточнення даних адміністрації портів."
    source.write_text(text[:body_start] + "\n" + new_paragraph + "\n" + text[body_start:])
    catalog_path = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / f"{ARTICLE}.po"
    before_entries = entries_by_key(catalog_path)

    extract_and_update(runner)

    after_entries = entries_by_key(catalog_path)
    assert after_entries.keys() - before_entries.keys() == {("paragraph", new_paragraph)}
    assert after_entries[("paragraph", new_paragraph)].msgstr == ""
    assert not after_entries[("paragraph", new_paragraph)].fuzzy
    for key, entry in before_entries.items():
        assert (after_entries[key].msgstr, after_entries[key].flags) == (entry.msgstr, entry.flags)


def test_removed_article_drops_its_template_but_keeps_translations(runner, tree):
    (tree / "content" / f"{ARTICLE}.md").unlink()
    extract_and_update(runner)
    assert not (tree / "locales" / "articles" / f"{ARTICLE}.pot").exists()
    assert (tree / "locales" / "en" / "LC_MESSAGES" / "articles" / f"{ARTICLE}.po").exists()


def test_bad_source_is_refused_and_nothing_is_written(runner, tree):
    source = tree / "content" / f"{ARTICLE}.md"
    source.write_text(source.read_text().replace('category = "economy"', 'category = "weather"'))
    before = snapshot(tree)
    result = runner.invoke("extract")
    assert result.exit_code == 1
    assert f"content/{ARTICLE}.md:3: unknown category 'weather'" in result.output
    assert changed_files(before, snapshot(tree)) == []


def test_missing_content_directory_is_an_error_not_an_empty_site(runner, tree, monkeypatch):
    monkeypatch.setenv("L10N_CONTENT_DIR", str(tree / "no-such-dir"))
    before = snapshot(tree)
    result = runner.invoke("extract")
    assert result.exit_code == 1 and "does not exist" in result.output
    assert changed_files(before, snapshot(tree)) == []


def test_an_unreadable_content_directory_is_an_error_not_a_site_without_articles(runner, tree, monkeypatch):
    content = str(tree / "content")
    for name in ("scandir", "listdir"):
        real = getattr(os, name)

        def refuse(path=".", real=real):
            if os.fspath(path) == content:
                raise PermissionError(13, "Permission denied", content)
            return real(path)
        monkeypatch.setattr(os, name, refuse)
    before = snapshot(tree)
    result = runner.invoke("extract")
    assert result.exit_code == 1 and "cannot list the content directory" in result.output
    assert changed_files(before, snapshot(tree)) == []


def test_a_content_path_that_is_a_file_is_an_error(runner, tree, monkeypatch):
    (tree / "content.txt").write_text("not a directory")
    monkeypatch.setenv("L10N_CONTENT_DIR", str(tree / "content.txt"))
    result = runner.invoke("extract")
    assert result.exit_code == 1 and "cannot list the content directory" in result.output


@pytest.mark.parametrize("make", ["directory", "broken link"])
def test_a_source_that_cannot_be_read_is_refused_with_its_name(runner, tree, make):
    odd = tree / "content" / "odd.md"
    odd.mkdir() if make == "directory" else odd.symlink_to(tree / "nowhere.md")
    before = snapshot(tree)
    result = runner.invoke("extract")
    assert result.exit_code == 1
    assert "content/odd.md:1: cannot read the file" in result.output
    assert changed_files(before, snapshot(tree)) == []


def test_update_refuses_a_broken_catalog_and_leaves_it_alone(runner, tree):
    catalog_path = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / f"{ARTICLE}.po"
    broken = catalog_path.read_bytes() + b'\nmsgid "dangling"\n'
    catalog_path.write_bytes(broken)
    result = runner.invoke("update")
    assert result.exit_code == 1
    assert f"{catalog_path}:" in result.output and "missing 'msgstr'" in result.output
    assert catalog_path.read_bytes() == broken


def test_update_refuses_an_emptied_catalog_instead_of_writing_one_without_plural_forms(runner, tree):
    catalog_path = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / f"{ARTICLE}.po"
    catalog_path.write_bytes(b"")
    before = snapshot(tree)
    result = runner.invoke("update")
    assert result.exit_code == 1
    assert f"{catalog_path}:1: the catalog has no header" in result.output
    assert catalog_path.read_bytes() == b""
    assert changed_files(before, snapshot(tree)) == []


def test_compile_leaves_fuzzy_entries_out_of_the_mo(runner, tree):
    result = runner.invoke("compile")
    assert result.exit_code == 0, result.output
    catalog_path = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / "lviv-ryasne-tram-line.po"
    fuzzy = [e for e in read_catalog(catalog_path) if e.fuzzy]
    translated = [e for e in read_catalog(catalog_path) if e.msgstr and not e.fuzzy]
    assert fuzzy and translated
    with open(catalog_path.with_suffix(".mo"), "rb") as stream:
        compiled = gettext.GNUTranslations(stream)
    assert compiled.pgettext(fuzzy[0].msgctxt, fuzzy[0].msgid) == fuzzy[0].msgid
    assert compiled.pgettext(translated[0].msgctxt, translated[0].msgid) == translated[0].msgstr


def test_compile_only_outdated_leaves_every_up_to_date_mo_as_it_is(runner, tree):
    """A replica's git pull timer recompiles what the pull changed, not every catalog every 30 s."""
    assert runner.invoke("compile").exit_code == 0
    articles = tree / "locales" / "en" / "LC_MESSAGES" / "articles"
    pulled = articles / f"{ARTICLE}.po"
    pulled.write_text(pulled.read_text())  # as git writes a changed file: a newer mtime than its .mo
    later = pulled.with_suffix(".mo").stat().st_mtime_ns + 1_000_000_000
    os.utime(pulled, ns=(later, later))
    untouched = {mo: mo.stat().st_ino for mo in (tree / "locales").rglob("*.mo") if mo != pulled.with_suffix(".mo")}
    result = runner.invoke("compile", "--only-outdated")
    assert result.exit_code == 0, result.output
    assert f"compiled {pulled.with_suffix('.mo')}" in result.output
    assert f"1 written, {len(untouched)} unchanged" in result.output
    assert {mo: mo.stat().st_ino for mo in untouched} == untouched  # not rewritten: their identities stand


def test_compile_refuses_a_catalog_msgfmt_would_reject(runner, tree):
    catalog_path = tree / "locales" / "uk" / "LC_MESSAGES" / "messages.po"
    catalog_path.write_text(catalog_path.read_text() + '\nmsgid "Politics"\nmsgstr "Ще раз"\n')
    assert msgfmt_check(catalog_path).returncode != 0
    result = runner.invoke("compile")
    assert result.exit_code == 1
    assert f"{catalog_path}:" in result.output and "duplicate message definition" in result.output
    assert not catalog_path.with_suffix(".mo").exists()
    assert (tree / "locales" / "en" / "LC_MESSAGES" / "articles" / f"{ARTICLE}.mo").exists()


def test_compile_refuses_placeholders_that_would_break_the_page(runner, tree):
    catalog_path = tree / "locales" / "uk" / "LC_MESSAGES" / "messages.po"
    text = catalog_path.read_text()
    line = text.splitlines().index('msgid "%(num)d minute to read"') + 1
    catalog_path.write_text(text.replace('msgstr[1] "%(num)d хвилини читання"', 'msgstr[1] "%(count)d хвилини читання"'))
    assert msgfmt_check(catalog_path).returncode != 0
    result = runner.invoke("compile")
    assert result.exit_code == 1
    reported = re.search(rf"{re.escape(str(catalog_path))}:(\d+): .*%\(num\)d", result.output)
    assert reported and line - 3 <= int(reported.group(1)) <= line, result.output


def test_a_third_language_needs_only_configuration(runner, tree, monkeypatch):
    monkeypatch.setenv("L10N_LANGUAGES", "uk,en,pl")
    extract_and_update(runner)
    polish = tree / "locales" / "pl" / "LC_MESSAGES"
    created = sorted(path.name for path in polish.rglob("*.po"))
    assert created == sorted([f"{p.stem}.po" for p in (tree / "content").glob("*.md")] + ["messages.po"])
    catalog = read_catalog(polish / "messages.po")
    assert catalog.metadata["Language"] == "pl"
    assert catalog.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert msgfmt_check(polish / "messages.po").returncode == 0


def test_update_waits_for_a_save_in_progress_and_keeps_what_it_saved(tree, monkeypatch):
    # A translator saves while an editor runs `l10n update`: the save holds the catalog's lock,
    # so update merges the saved text instead of writing the catalog as it was before over it.
    catalogs, _figures = catalog_stores(tree)
    lock_dir = tree / "instance" / "locks"
    domain = "articles/carpathian-lynx-camera-traps"
    path = catalogs.path("en", domain)
    read_it, saved = threading.Event(), threading.Event()
    original = catalogs_module.reparse_catalog

    def reading(data, file, *args):
        parsed = original(data, file, *args)
        if Path(file) == path:
            read_it.set()
            saved.wait(5)  # an update that did not wait for the lock now holds the text from before the save
        return parsed

    monkeypatch.setattr(catalogs_module, "reparse_catalog", reading)
    with catalog_lock(lock_dir, "en", domain):
        updating = threading.Thread(target=pipeline.update, args=(catalogs,))
        updating.start()
        read_it.wait(1)  # holding the lock, update cannot have read it yet
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('msgstr ""\n\n', 'msgstr "Saved meanwhile."\n\n', 1), encoding="utf-8")
        saved.set()
    updating.join(30)
    assert "Saved meanwhile." in path.read_text(encoding="utf-8")


def test_l10n_update_and_compile_take_the_services_catalog_locks(runner, tree):
    assert runner.invoke("update").exit_code == 0
    assert runner.invoke("compile").exit_code == 0
    locks = tree / "instance" / "locks"
    assert (locks / "en" / "articles__carpathian-lynx-camera-traps.lock").exists()
    assert (locks / "uk" / "messages.lock").exists()
