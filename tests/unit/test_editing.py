"""The editing rules as pure functions: catalogs built in memory, no files, no database."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone

import polib
import pytest

from service.domain.editing import (
    CatalogConflict, CheckFailed, EntryNotFound, InvalidTranslation, decide_save, entry_id_of, find_entry,
    reverted_translation, save_entry, translation_from_fields, translation_from_json,
)
from service.domain.names import CatalogKey
from service.domain.variant_state import COMPLETED_HEADER, STALE_SINCE_HEADER
from service.domain.uploads import Verdict, draft_of, merge_upload, upload_verdict

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)
ARTICLE = CatalogKey("en", "articles/lynx")
UI = CatalogKey("en", "messages")
TITLE = ("title", "Як упізнати рись")
SUMMARY = ("summary", "Фотопастки в Карпатах знімають рись.")
MINUTES = (None, "%(num)d minute")


def entry(key: tuple[str | None, str], msgstr: str = "", fuzzy: bool = False, **fields) -> polib.POEntry:
    made = polib.POEntry(msgctxt=key[0], msgid=key[1], msgstr=msgstr, flags=["fuzzy"] if fuzzy else [], **fields)
    return made


def plural(forms: dict[int, str] | None = None) -> polib.POEntry:
    return polib.POEntry(msgid=MINUTES[1], msgid_plural="%(num)d minutes", msgstr_plural=forms or {0: "", 1: ""},
                         flags=["python-format"])


def catalog(*entries: polib.POEntry, **headers: str) -> polib.POFile:
    made = polib.POFile(wrapwidth=0, check_for_duplicates=False)
    made.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en",
                     "Plural-Forms": "nplurals=2; plural=(n != 1);", **headers}
    for item in entries:
        made.append(item)
    return made


def id_of(key: tuple[str | None, str]) -> str:
    return entry_id_of(*key)


# --- saving one entry ----------------------------------------------------------------------------


def test_a_save_changes_the_entry_and_the_header_and_names_both():
    parsed = catalog(entry(TITLE), entry(SUMMARY))
    decision = decide_save(parsed, ARTICLE, id_of(TITLE), "How to recognise a lynx", "", "olena", now=NOW)
    assert decision.changed == [find_entry(parsed, id_of(TITLE))]
    assert find_entry(parsed, id_of(TITLE)).msgstr == "How to recognise a lynx"
    assert parsed.metadata["Last-Translator"] == "olena" and parsed.metadata["PO-Revision-Date"] == "2026-12-01 09:30+0000"
    [change] = decision.changes
    assert (change.old, change.new, change.action, change.entry_id) == ("", "How to recognise a lynx", "save", id_of(TITLE))
    assert decision.result.change == change and decision.result.transition is None


def test_a_save_whose_base_is_not_the_stored_value_is_a_conflict_and_changes_nothing():
    parsed = catalog(entry(TITLE, "Recognising a lynx"))
    with pytest.raises(CatalogConflict) as conflict:
        decide_save(parsed, ARTICLE, id_of(TITLE), "How to recognise a lynx", "", "olena", now=NOW)
    assert conflict.value.current.msgstr == "Recognising a lynx"
    assert find_entry(parsed, id_of(TITLE)).msgstr == "Recognising a lynx" and "Last-Translator" not in parsed.metadata


def test_plural_forms_missing_at_the_end_of_the_base_count_as_empty():
    parsed = catalog(plural({0: "%(num)d minute", 1: ""}))
    decision = decide_save(parsed, UI, id_of(MINUTES), {0: "%(num)d minute", 1: "%(num)d minutes"},
                           {0: "%(num)d minute"}, "olena", now=NOW)
    assert find_entry(parsed, id_of(MINUTES)).msgstr_plural == {0: "%(num)d minute", 1: "%(num)d minutes"}
    assert decision.changes[0].old == {"0": "%(num)d minute", "1": ""}


@pytest.mark.parametrize("key, new, base", [
    (TITLE, {0: "a", 1: "b"}, ""),  # plural forms for a message without a plural
    (MINUTES, "minutes", {0: "", 1: ""}),  # one string for a message with plural forms
    (MINUTES, {0: "%(num)d minute", 2: "%(num)d minutes"}, {0: "", 1: ""}),  # a gap in the forms
    (MINUTES, {0: "%(num)d minute", 1: "%(num)d minutes"}, ""),  # a base of the wrong shape
    (TITLE, "How to recognise\x00 a lynx", ""),  # a control character
])
def test_a_translation_of_the_wrong_shape_is_refused(key, new, base):
    parsed = catalog(entry(TITLE), plural())
    with pytest.raises(InvalidTranslation):
        decide_save(parsed, ARTICLE, id_of(key), new, base, "olena", now=NOW)
    assert "Last-Translator" not in parsed.metadata


def test_an_unknown_entry_is_not_found():
    with pytest.raises(EntryNotFound):
        decide_save(catalog(entry(TITLE)), ARTICLE, "0" * 16, "x", "", "olena", now=NOW)


def test_a_translation_that_fails_a_check_is_refused_with_the_results():
    parsed = catalog(entry(("paragraph", "Рись **охороняють** у парку."), ""))
    with pytest.raises(CheckFailed) as failed:
        decide_save(parsed, ARTICLE, entry_id_of("paragraph", "Рись **охороняють** у парку."),
                    "The lynx is protected in the park.", "", "olena", now=NOW)
    assert "markup" in {result.check for result in failed.value.results if result.level == "error"}


def test_saving_what_is_already_there_changes_nothing():
    parsed = catalog(entry(TITLE, "How to recognise a lynx"))
    decision = decide_save(parsed, ARTICLE, id_of(TITLE), "How to recognise a lynx", "How to recognise a lynx",
                           "olena", now=NOW)
    assert decision.changed == [] and decision.changes == [] and decision.result.change is None
    assert "PO-Revision-Date" not in parsed.metadata


def test_reviewing_the_last_fuzzy_entry_makes_a_stale_variant_complete():
    stale = entry(TITLE, "How to recognise a lynx", fuzzy=True, previous_msgid="Як розпізнати рись")
    parsed = catalog(stale, entry(SUMMARY, "Camera traps film a lynx."),
                     **{COMPLETED_HEADER: "2026-11-01T10:00+00:00", STALE_SINCE_HEADER: "2026-11-20T10:00+00:00"})
    decision = decide_save(parsed, ARTICLE, id_of(TITLE), "How to recognise a lynx", "How to recognise a lynx",
                           "olena", now=NOW)
    assert not stale.fuzzy and stale.previous_msgid is None and STALE_SINCE_HEADER not in parsed.metadata
    saved, transition = decision.changes
    assert (saved.old_fuzzy, saved.new_fuzzy) == (True, False)
    assert (transition.action, transition.entry_id, transition.old, transition.new) == ("state", "", "stale", "complete")
    assert (decision.result.transition.old, decision.result.transition.new) == ("stale", "complete")


def test_a_fuzzy_save_keeps_the_entry_fuzzy_and_makes_a_complete_variant_stale():
    parsed = catalog(entry(TITLE, "How to recognise a lynx"), **{COMPLETED_HEADER: "2026-11-01T10:00+00:00"})
    decision = decide_save(parsed, ARTICLE, id_of(TITLE), "Recognising a lynx", "How to recognise a lynx",
                           "olena", fuzzy=True, now=NOW)
    assert find_entry(parsed, id_of(TITLE)).fuzzy
    assert parsed.metadata[STALE_SINCE_HEADER] == "2026-12-01T09:30+00:00"
    assert [(change.action, change.new) for change in decision.changes] == [
        ("save", "Recognising a lynx"), ("state", "stale")]


def test_clearing_only_the_fuzzy_flag_is_a_change():
    parsed = catalog(entry(TITLE, "How to recognise a lynx", fuzzy=True))
    decision = decide_save(parsed, ARTICLE, id_of(TITLE), "How to recognise a lynx", "How to recognise a lynx",
                           "olena", now=NOW)
    assert decision.changed and decision.result.change.old == decision.result.change.new


def test_ui_strings_have_no_state_transition():
    parsed = catalog(entry((None, "Politics"), "Політика", fuzzy=True))
    decision = decide_save(parsed, UI, id_of((None, "Politics")), "Політика", "Політика", "olena", now=NOW)
    assert [change.action for change in decision.changes] == ["save"] and COMPLETED_HEADER not in parsed.metadata


# --- the use case, over fakes --------------------------------------------------------------------


class FakeDraft:
    def __init__(self, parsed: polib.POFile) -> None:
        self.catalog = parsed
        self.written: list[polib.POEntry] = []
        self.steps: list = []

    def changed(self, entries):
        self.written.extend(entries)

    def on_commit(self, step):
        self.steps.append(step)


class FakeCatalogs:
    def __init__(self, parsed: polib.POFile) -> None:
        self.parsed = parsed
        self.drafts: list[FakeDraft] = []

    def catalog(self, language, domain):
        return self.parsed

    @contextmanager
    def edit(self, key):
        draft = FakeDraft(self.parsed)
        yield draft
        for step in draft.steps:
            step()
        self.drafts.append(draft)  # only an edit left without an error is written


class FakeHistory:
    def __init__(self, rows=()) -> None:
        self.changes: list = []
        self.rows = {row.id: row for row in rows}

    def record_change(self, change):
        self.changes.append(change)
        return len(self.changes)

    def record_changes(self, changes):
        self.changes.extend(changes)

    def row(self, row_id):
        return self.rows.get(row_id)


def test_save_entry_writes_through_the_edit_and_records_after_it():
    catalogs, history = FakeCatalogs(catalog(entry(TITLE), entry(SUMMARY))), FakeHistory()
    result = save_entry(catalogs, history, ARTICLE, id_of(TITLE), "How to recognise a lynx", "", "olena", now=NOW)
    [draft] = catalogs.drafts
    assert [item.msgstr for item in draft.written] == ["How to recognise a lynx"]
    assert history.changes == [result.change]


def test_a_refused_save_writes_nothing_and_records_nothing():
    catalogs, history = FakeCatalogs(catalog(entry(TITLE, "Recognising a lynx"))), FakeHistory()
    with pytest.raises(CatalogConflict):
        save_entry(catalogs, history, ARTICLE, id_of(TITLE), "How to recognise a lynx", "", "olena", now=NOW)
    assert catalogs.drafts == [] and history.changes == []


def test_a_revert_restores_the_old_value_or_a_kept_aside_upload_and_only_of_its_own_entry():
    class Row:
        def __init__(self, id, action, old, new, key=ARTICLE, entry_id=id_of(TITLE)):
            self.id, self.action, self.old, self.new = id, action, old, new
            self.language, self.domain, self.entry_id = key.language, key.domain, entry_id

    history = FakeHistory([Row(1, "save", "Before", "After"), Row(2, "conflict", "Ours", "Theirs"),
                           Row(3, "save", {"0": "a", "1": "b"}, {"0": "c", "1": "d"}, entry_id=id_of(MINUTES)),
                           Row(4, "save", "Elsewhere", "x", key=UI)])
    assert reverted_translation(history, ARTICLE, id_of(TITLE), 1) == "Before"
    assert reverted_translation(history, ARTICLE, id_of(TITLE), 2) == "Theirs"
    assert reverted_translation(history, ARTICLE, id_of(MINUTES), 3) == {0: "a", 1: "b"}
    for row_id in (4, 99, 0):
        with pytest.raises(InvalidTranslation):
            reverted_translation(history, ARTICLE, id_of(TITLE), row_id)


# --- reading a translation from JSON and from a form ---------------------------------------------


def test_one_parser_reads_msgstr_and_plural_forms():
    assert translation_from_json("Lynx", "msgstr", plural=False) == "Lynx"
    assert translation_from_json({"1": "b", "0": "a"}, "msgstr_plural", plural=True) == {0: "a", 1: "b"}
    assert translation_from_json({}, "base", plural=True, allow_empty=True) == {}
    for value, is_plural in [(["Lynx"], False), ({}, True), ({"one": "a"}, True), ({"0": 1}, True), ("a", True)]:
        with pytest.raises(InvalidTranslation):
            translation_from_json(value, "msgstr_plural", plural=is_plural)


def test_form_fields_give_every_plural_form_with_unix_newlines():
    fields = {"msgstr_0": "a\r\nb", "msgstr_2": "c", "msgstr": "ignored"}
    assert translation_from_fields(fields, plural=True, nplurals=3) == {0: "a\nb", 1: "", 2: "c"}
    assert translation_from_fields({"msgstr": "x\r\ny"}, plural=False, nplurals=2) == "x\ny"


# --- merging an upload: every row of the decision table ------------------------------------------


@pytest.mark.parametrize("ours, theirs, base, verdict", [
    (("Lynx", False), ("Lynx", False), None, Verdict.UNCHANGED),  # the same as ours
    (("Lynx", False), ("Lynx", True), ("Lynx", False), Verdict.APPLY),  # only the flag differs from ours: a change
    (("Newer", False), ("Lynx", False), ("Lynx", False), Verdict.UNCHANGED),  # the same as base: ours is newer
    (("Lynx", False), ("", False), None, Verdict.UNCHANGED),  # empty, unknown origin: says nothing
    (("Lynx", False), ("Other", False), ("Lynx", False), Verdict.APPLY),  # ours untouched since the download
    (("", False), ("Other", False), None, Verdict.APPLY),  # ours empty, no base
    (("Newer", False), ("Other", False), ("Lynx", False), Verdict.CONFLICT),  # both changed it
    (("Lynx", False), ("Other", False), None, Verdict.CONFLICT),  # no base: a filled one cannot be told apart
    (("Lynx", True), ("Other", False), ("Lynx", False), Verdict.CONFLICT),  # ours changed its flag since
])
def test_upload_verdict(ours, theirs, base, verdict):
    def made(pair):
        return entry(TITLE, pair[0], fuzzy=pair[1]) if pair is not None else None
    assert upload_verdict(made(ours), made(theirs), made(base)) is verdict


def test_merge_upload_reports_every_entry_and_records_conflicts_and_the_transition_last():
    stored = catalog(entry(TITLE), entry(SUMMARY, "Ours, newer"), plural(),
                     entry(("paragraph", "Рись **охороняють**."), ""))
    base = catalog(entry(TITLE), entry(SUMMARY, "Downloaded"), plural(), entry(("paragraph", "Рись **охороняють**.")))
    uploaded = catalog(entry(TITLE, "How to recognise a lynx"), entry(SUMMARY, "Theirs"),
                       entry(MINUTES, "one string for plural forms"),
                       entry(("paragraph", "Рись **охороняють**."), "No bold."), entry(("item", "Невідомий"), "Unknown"))
    decision = merge_upload(stored, uploaded, base, ARTICLE, "olena", NOW)
    report = decision.report
    assert [item["id"] for item in report.applied] == [id_of(TITLE)]
    assert [(item["current"], item["uploaded"]) for item in report.conflicts] == [("Ours, newer", "Theirs")]
    assert [item["id"] for item in report.rejected] == [id_of(MINUTES), entry_id_of("paragraph", "Рись **охороняють**.")]
    assert report.rejected[1]["checks"][0].check == "markup" and report.unknown[0]["msgid"] == "Невідомий"
    assert decision.changed == [find_entry(stored, id_of(TITLE))] and stored.metadata["Last-Translator"] == "olena"
    # in the file's order; refused entries are kept aside in the history, as conflicts are
    assert [change.action for change in decision.changes] == ["upload", "conflict", "rejected", "rejected"]
    assert decision.changes[3].new == "No bold." and decision.changes[3].old == ""
    assert find_entry(stored, id_of(SUMMARY)).msgstr == "Ours, newer"


def test_a_kept_version_fills_the_form_of_the_entry_whatever_its_shape():
    assert draft_of("one string", plural=True, nplurals=3) == {0: "one string", 1: "", 2: ""}
    assert draft_of({"0": "рись", "1": "рисі", "2": "рисей", "3": "x"}, plural=True, nplurals=3) == {
        0: "рись", 1: "рисі", 2: "рисей"}
    assert draft_of({"0": "рись", "1": "рисі"}, plural=False, nplurals=3) == "рись"
    assert draft_of("Рись", plural=False, nplurals=2) == "Рись"


def test_an_upload_that_completes_a_variant_records_the_transition_after_its_entries():
    stored = catalog(entry(TITLE), entry(SUMMARY, "Camera traps film a lynx."))
    uploaded = catalog(entry(TITLE, "How to recognise a lynx"), entry(SUMMARY, "Camera traps film a lynx."))
    decision = merge_upload(stored, uploaded, None, ARTICLE, "olena", NOW)
    assert [(change.action, change.new) for change in decision.changes] == [
        ("upload", "How to recognise a lynx"), ("state", "complete")]
    assert decision.report.unchanged == 1 and COMPLETED_HEADER in stored.metadata


def test_an_upload_with_nothing_to_apply_changes_nothing():
    stored = catalog(entry(TITLE, "Ours"))
    decision = merge_upload(stored, catalog(entry(TITLE, "Theirs")), None, ARTICLE, "olena", NOW)
    assert decision.changed == [] and "Last-Translator" not in stored.metadata and decision.report.transition is None
