from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import time
from datetime import datetime, timezone

import polib
import pytest

from service.domain.editing import (
    CatalogConflict, CheckFailed, EntryNotFound, InvalidTranslation, entry_id_of, find_entry, save_entry,
)
from service.domain.names import CatalogKey
from service.domain.po_format import CatalogError
from service.domain.uploads import upload_po
from service.storage.po_files import read_catalog
from service.storage.snapshots import BASE_REVISION_HEADER, SNAPSHOT_MAX_AGE, Snapshots

from ..stores import catalog_stores

LYNX = "articles/carpathian-lynx-camera-traps"
TRAM = "articles/lviv-ryasne-tram-line"
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)


class MemoryLog:
    def __init__(self):
        self.changes = []

    def record_change(self, change):
        self.changes.append(change)
        return len(self.changes)

    def record_changes(self, changes):
        self.changes.extend(changes)


class Stores:
    """The catalog store, its snapshots and a history in memory, with the use cases called on them."""

    def __init__(self, tree):
        self.catalogs, self.figures = catalog_stores(tree)
        self.snapshots = Snapshots(tree / "instance" / "snapshots", self.catalogs)
        self.snapshot_dir = self.snapshots.folder
        self.history = MemoryLog()

    def path(self, language, domain):
        return self.catalogs.path(language, domain)

    def save_entry(self, language, domain, entry_id, new, base, user, fuzzy=False, **options):
        return save_entry(self.catalogs, self.history, CatalogKey(language, domain), entry_id, new, base, user, fuzzy,
                          **options)

    def download(self, language, domain):
        return self.snapshots.download(CatalogKey(language, domain))

    def upload(self, language, domain, data, user, now=None):
        return upload_po(self.catalogs, self.snapshots, self.history, CatalogKey(language, domain), data, user, now)


@pytest.fixture
def store(tree):
    return Stores(tree)


def first(store, language, domain, state="untranslated"):
    catalog = read_catalog(store.path(language, domain))
    entry = next(e for e in catalog if e.msgid and not e.obsolete and
                 {"untranslated": not e.msgstr, "fuzzy": e.fuzzy, "translated": e.msgstr and not e.fuzzy}[state])
    return entry, entry_id_of(entry.msgctxt, entry.msgid)


def test_entry_id_is_sha1_of_context_and_msgid():
    import hashlib

    assert entry_id_of("title", "Заголовок") == hashlib.sha1("title\x04Заголовок".encode()).hexdigest()[:16]
    assert entry_id_of(None, "Politics") == hashlib.sha1(b"Politics").hexdigest()[:16]


def test_saving_changes_only_that_entry_and_the_header(store):
    path = store.path("en", LYNX)
    before = path.read_text().splitlines()
    entry, entry_id = first(store, "en", LYNX)
    result = store.save_entry("en", LYNX, entry_id, "How to tell one lynx from another", "", "olena", now=NOW)
    after = path.read_text().splitlines()
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    assert len(before) == len(after)
    assert changed == [
        (next(line for line in before if line.startswith('"PO-Revision-Date')), '"PO-Revision-Date: 2026-12-01 09:30+0000\\n"'),
        (next(line for line in before if line.startswith('"Last-Translator')), '"Last-Translator: olena\\n"'),
        ('msgstr ""', 'msgstr "How to tell one lynx from another"'),
    ]
    assert result.change.old == "" and result.change.new == "How to tell one lynx from another"
    assert store.history.changes == [result.change]


def test_saving_keeps_every_other_byte_of_a_file_in_another_layout(store):
    path = store.path("en", TRAM)
    text = path.read_text()
    # A hand-wrapped file (as older msgmerge writes it): our writer would lay it out differently.
    wrapped = text.replace(
        'msgstr "The new 4.6 km line will link the Riasne housing estate with the city centre; the first trams are due to run at the end of 2028."',
        'msgstr ""\n"The new 4.6 km line will link the Riasne housing estate with the city centre; "\n"the first trams are due to run at the end of 2028."')
    assert wrapped != text
    path.write_text(wrapped)
    entry, entry_id = first(store, "en", TRAM, "translated")
    store.save_entry("en", TRAM, entry_id, "Lviv starts building a tram line to Riasne", entry.msgstr, "olena", now=NOW)
    after = path.read_text()
    assert "\"the first trams are due to run at the end of 2028.\"" in after  # untouched entry kept its layout
    assert after.replace('msgstr "Lviv starts building a tram line to Riasne"', 'msgstr "' + entry.msgstr + '"') \
        .split("\n")[16:] == wrapped.split("\n")[16:]


def test_save_recompiles_the_mo_and_updates_state(store):
    entry, entry_id = first(store, "en", TRAM, "fuzzy")
    store.save_entry("en", TRAM, entry_id, entry.msgstr.replace("14 months", "16 months"), entry.msgstr, "olena", now=NOW)
    catalog = read_catalog(store.path("en", TRAM))
    saved = find_entry(catalog, entry_id)
    assert not saved.fuzzy and saved.previous_msgid is None
    assert "X-Stale-Since" not in catalog.metadata  # complete again
    with open(store.path("en", TRAM).with_suffix(".mo"), "rb") as stream:
        translations = gettext.GNUTranslations(stream)
    assert "16 months" in translations.pgettext("paragraph", entry.msgid)


def test_a_save_that_completes_a_catalog_records_the_state_transition(store):
    entry, entry_id = first(store, "en", TRAM, "fuzzy")  # the source now says 16 months, not 14
    result = store.save_entry("en", TRAM, entry_id, entry.msgstr.replace("14", "16"), entry.msgstr, "olena", now=NOW)
    saved, transition = store.history.changes
    assert saved == result.change and saved.entry_id == entry_id
    assert (transition.action, transition.entry_id, transition.msgid, transition.old, transition.new) == (
        "state", "", "", "stale", "complete")
    assert (transition.user, transition.at, transition.language, transition.domain) == ("olena", NOW, "en", TRAM)
    assert (result.transition.old, result.transition.new) == ("stale", "complete")


def test_a_save_that_leaves_the_state_alone_records_no_transition(store):
    _entry, entry_id = first(store, "en", LYNX)
    result = store.save_entry("en", LYNX, entry_id, "How to tell one lynx from another", "", "olena", now=NOW)
    assert store.history.changes == [result.change] and result.transition is None


def test_ui_strings_have_no_state_to_record(store):
    entry, entry_id = first(store, "uk", "messages", "translated")
    store.save_entry("uk", "messages", entry_id, entry.msgstr + " ", entry.msgstr, "olena", now=NOW)
    assert [change.action for change in store.history.changes] == ["save"]


def test_save_refuses_a_stale_base_and_changes_nothing(store):
    path = store.path("en", LYNX)
    entry, entry_id = first(store, "en", LYNX)
    store.save_entry("en", LYNX, entry_id, "First version", "", "olena")
    before = path.read_bytes()
    with pytest.raises(CatalogConflict) as conflict:
        store.save_entry("en", LYNX, entry_id, "Second version", "", "ivan")
    assert conflict.value.current.msgstr == "First version"
    assert path.read_bytes() == before
    assert len(store.history.changes) == 1


def test_save_refuses_an_error_and_changes_nothing(store):
    path = store.path("en", TRAM)
    before = path.read_bytes()
    catalog = read_catalog(path)
    entry = next(e for e in catalog if "**" in e.msgid)
    with pytest.raises(CheckFailed) as failed:
        store.save_entry("en", TRAM, entry_id_of(entry.msgctxt, entry.msgid), entry.msgstr.replace("**", ""),
                         entry.msgstr, "olena")
    assert {r.check for r in failed.value.results if r.level == "error"} == {"markup"}
    assert path.read_bytes() == before and store.history.changes == []


def test_save_returns_warnings(store):
    entry, entry_id = first(store, "en", LYNX)
    result = store.save_entry("en", LYNX, entry_id, "Як упізнати рись", "", "olena")
    assert {r.check for r in result.checks} >= {"language", "same-as-source"}


def test_save_with_fuzzy_keeps_the_entry_fuzzy(store):
    entry, entry_id = first(store, "en", LYNX)
    store.save_entry("en", LYNX, entry_id, "How to recognise a lynx", "", "olena", fuzzy=True)
    assert find_entry(read_catalog(store.path("en", LYNX)), entry_id).fuzzy


def test_save_of_an_unknown_entry_or_wrong_shape_is_refused(store):
    with pytest.raises(EntryNotFound):
        store.save_entry("en", LYNX, "0" * 16, "x", "", "olena")
    entry, entry_id = first(store, "en", LYNX)
    with pytest.raises(InvalidTranslation):
        store.save_entry("en", LYNX, entry_id, {0: "x", 1: "y"}, "", "olena")


def test_save_of_plural_forms(tree, store):
    path = tree / "locales/uk/LC_MESSAGES/messages.po"
    path.write_text(path.read_text() + '\nmsgid "%(num)d minute"\nmsgid_plural "%(num)d minutes"\n'
                    'msgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\n')
    entry_id = entry_id_of(None, "%(num)d minute")
    with pytest.raises(CheckFailed):
        store.save_entry("uk", "messages", entry_id, {0: "%(num)d хвилина", 1: "%(num)d хвилини"}, {}, "olena")
    forms = {0: "%(num)d хвилина", 1: "%(num)d хвилини", 2: "%(num)d хвилин"}
    store.save_entry("uk", "messages", entry_id, forms, {0: "", 1: "", 2: ""}, "olena")
    assert find_entry(read_catalog(path), entry_id).msgstr_plural == forms
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)


# --- PO upload ------------------------------------------------------------------------------


def test_upload_merges_by_entry_and_reports_conflicts_keeping_both(store):
    path = store.path("en", LYNX)
    downloaded = store.download("en", LYNX)
    assert BASE_REVISION_HEADER.encode() in downloaded
    offline = polib.pofile(downloaded.decode())
    untranslated = [e for e in offline if e.msgid and not e.msgstr]
    untranslated[0].msgstr = "How to recognise a lynx"
    # Translations that keep the source's markup and numbers (only warnings then).
    offline_text, colleague_text = "Offline: " + untranslated[1].msgid, "Colleague: " + untranslated[1].msgid
    untranslated[1].msgstr = offline_text
    # Meanwhile a colleague saves the second entry in the browser.
    colleague = entry_id_of(untranslated[1].msgctxt, untranslated[1].msgid)
    store.save_entry("en", LYNX, colleague, colleague_text, "", "ivan")
    report = store.upload("en", LYNX, offline.__unicode__().encode(), "olena")
    assert [item["msgid"] for item in report.applied] == [untranslated[0].msgid]
    assert [(item["current"], item["uploaded"]) for item in report.conflicts] == [(colleague_text, offline_text)]
    catalog = read_catalog(path)
    assert find_entry(catalog, colleague).msgstr == colleague_text
    kept = [c for c in store.history.changes if c.action == "conflict"]
    assert kept[0].new == offline_text and kept[0].entry_id == colleague


def test_an_upload_that_completes_a_catalog_records_incomplete_to_complete(store):
    offline = polib.pofile(store.download("en", LYNX).decode())
    for entry in offline:
        if entry.msgid and not entry.msgstr:
            entry.msgstr = "Offline: " + entry.msgid  # keeps the source's markup and numbers
    report = store.upload("en", LYNX, offline.__unicode__().encode(), "olena", now=NOW)
    assert report.applied and not report.rejected
    transitions = [c for c in store.history.changes if c.action == "state"]
    assert [(c.old, c.new, c.user, c.entry_id) for c in transitions] == [("incomplete", "complete", "olena", "")]
    assert store.history.changes[-1] is transitions[0]  # after the entry rows it comes from
    assert "state" not in report.as_dict()


def test_upload_does_not_undo_newer_saves_of_entries_the_uploader_left_alone(store):
    downloaded = store.download("en", TRAM)
    entry, entry_id = first(store, "en", TRAM, "translated")
    store.save_entry("en", TRAM, entry_id, "Lviv starts building a tram line to Riasne", entry.msgstr, "ivan")
    report = store.upload("en", TRAM, downloaded, "olena")
    assert report.applied == [] and report.conflicts == []
    assert find_entry(read_catalog(store.path("en", TRAM)), entry_id).msgstr == "Lviv starts building a tram line to Riasne"


def test_upload_without_a_base_revision_never_overwrites_a_translation(store):
    catalog = read_catalog(store.path("en", TRAM))
    entry = next(e for e in catalog if e.msgid and e.msgstr and not e.fuzzy)
    entry.msgstr = "Something else entirely."
    report = store.upload("en", TRAM, catalog.__unicode__().encode(), "olena")
    assert [item["id"] for item in report.conflicts] == [entry_id_of(entry.msgctxt, entry.msgid)]


def test_snapshots_not_downloaded_for_90_days_are_removed_and_their_uploads_still_merge(store):
    old_download = store.download("en", TRAM)
    (old_snapshot,) = store.snapshot_dir.glob("en/*/*.po")
    entry, entry_id = first(store, "en", TRAM, "translated")
    store.save_entry("en", TRAM, entry_id, "Lviv starts building a tram line to Riasne", entry.msgstr, "ivan")
    long_ago = time.time() - SNAPSHOT_MAX_AGE - 60
    os.utime(old_snapshot, (long_ago, long_ago))
    store.download("en", TRAM)  # a new revision: its snapshot is written, the forgotten one removed
    assert not old_snapshot.exists() and len(list(store.snapshot_dir.glob("en/*/*.po"))) == 1
    # Without its base the old file cannot tell its own edits from others': a conflict, nothing lost.
    report = store.upload("en", TRAM, old_download, "olena")
    assert [item["id"] for item in report.conflicts] == [entry_id] and report.applied == []
    assert find_entry(read_catalog(store.path("en", TRAM)), entry_id).msgstr == "Lviv starts building a tram line to Riasne"


def test_a_snapshot_downloaded_again_is_kept(store):
    store.download("en", TRAM)
    (snapshot,) = store.snapshot_dir.glob("en/*/*.po")
    long_ago = time.time() - SNAPSHOT_MAX_AGE - 60
    os.utime(snapshot, (long_ago, long_ago))
    store.download("en", TRAM)  # the same revision again
    assert snapshot.stat().st_mtime > long_ago + 60


@pytest.mark.parametrize("broken, line", [
    (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b\n', 6),
    (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 8),
    (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=x;\\n"\n', 4),
    (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "\xff"\n', 6),
])
def test_a_broken_upload_names_its_line_and_changes_nothing(store, broken, line):
    path = store.path("en", LYNX)
    before = path.read_bytes()
    with pytest.raises(CatalogError) as error:
        store.upload("en", LYNX, broken, "olena")
    assert error.value.line == line
    assert path.read_bytes() == before and store.history.changes == []


def test_upload_for_another_language_is_refused(store):
    with pytest.raises(CatalogError):
        store.upload("en", LYNX, store.download("uk", "messages"), "olena")


def test_upload_rejects_entries_that_fail_a_check(store):
    offline = polib.pofile(store.download("en", LYNX).decode())
    entry = next(e for e in offline if e.msgid and "**" in e.msgid and not e.msgstr)
    entry.msgstr = "No bold here."
    report = store.upload("en", LYNX, offline.__unicode__().encode(), "olena")
    assert report.rejected and report.rejected[0]["checks"][0].check == "markup"
    assert find_entry(read_catalog(store.path("en", LYNX)), entry_id_of(entry.msgctxt, entry.msgid)).msgstr == ""


def test_an_edit_starts_from_the_bytes_on_disk_not_the_parse_a_reader_cached(store):
    path = store.path("en", LYNX)
    entry, entry_id = first(store, "en", LYNX, "translated")
    store.catalogs.catalog("en", LYNX)  # cached by this process
    status = path.stat()
    changed_text = entry.msgstr[::-1]  # same length: same size, and the mtime is put back below
    path.write_text(path.read_text().replace(f'msgstr "{entry.msgstr}"', f'msgstr "{changed_text}"', 1))
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    with store.catalogs.edit(CatalogKey("en", LYNX)) as draft:
        assert find_entry(draft.catalog, entry_id).msgstr == changed_text


def test_an_abandoned_edit_leaves_the_cached_catalog_as_it_was(store):
    entry, entry_id = first(store, "en", LYNX, "translated")
    store.catalogs.catalog("en", LYNX)
    with pytest.raises(RuntimeError), store.catalogs.edit(CatalogKey("en", LYNX)) as draft:
        find_entry(draft.catalog, entry_id).msgstr = "changed, then abandoned"
        raise RuntimeError("the caller gave up")
    assert find_entry(store.catalogs.catalog("en", LYNX), entry_id).msgstr == entry.msgstr


def test_another_workers_save_is_read_again_from_the_lines_it_changed(tree, store):
    reader = Stores(tree)  # a second worker process: its own caches over the same files
    before = reader.catalogs.catalog("en", LYNX)
    _entry, entry_id = first(store, "en", LYNX)
    store.save_entry("en", LYNX, entry_id, "How to tell one lynx from another", "", "olena", now=NOW)
    again = reader.catalogs.catalog("en", LYNX)
    whole = read_catalog(store.path("en", LYNX))
    assert [e.__dict__ for e in again] == [e.__dict__ for e in whole] and again.metadata == whole.metadata
    assert any(new is old for new, old in zip(again, before))  # entries the save left alone were not parsed again
    reader.save_entry("en", LYNX, entry_id, "Telling lynxes apart", "How to tell one lynx from another", "taras",
                      now=NOW)
    assert find_entry(read_catalog(store.path("en", LYNX)), entry_id).msgstr == "Telling lynxes apart"
    assert find_entry(before, entry_id).msgstr == ""  # what readers held before is left as it was


def test_a_save_syncs_the_catalog_folder_before_it_records_the_history(store, monkeypatch):
    synced, order = [], []
    real_fsync = os.fsync

    def fsync(handle):
        if os.path.isdir(f"/proc/self/fd/{handle}"):
            synced.append(os.readlink(f"/proc/self/fd/{handle}"))
        return real_fsync(handle)

    monkeypatch.setattr(os, "fsync", fsync)
    record = store.history.record_changes
    monkeypatch.setattr(store.history, "record_changes", lambda changes: (order.append(list(synced)), record(changes)))
    _entry, entry_id = first(store, "en", LYNX)
    store.save_entry("en", LYNX, entry_id, "How to tell one lynx from another", "", "olena", now=NOW)
    assert order == [[str(store.path("en", LYNX).parent)]]
