"""Clearing a fuzzy flag while the source changed a number: refused unless the translator checked the numbers."""
from __future__ import annotations

from datetime import datetime, timezone

import polib
import pytest

from service.domain import checks
from service.domain.editing import CheckFailed, decide_save, entry_id_of, find_entry
from service.domain.names import CatalogKey
from service.domain.uploads import merge_upload

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)
KEY = CatalogKey("en", "articles/lynx")
OLD = "На збори прийшли 1 260 людей."
NEW = "На збори прийшли 1 340 людей."
STALE = "1,260 people came to the meeting."


def fuzzy_catalog(msgstr: str = STALE, previous: str | None = OLD) -> polib.POFile:
    made = polib.POFile(wrapwidth=0)
    made.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en",
                     "Plural-Forms": "nplurals=2; plural=(n != 1);", "X-Completed": "2026-11-01 10:00+0000"}
    made.append(polib.POEntry(msgctxt="paragraph", msgid=NEW, msgstr=msgstr, flags=["fuzzy"],
                              previous_msgctxt="paragraph" if previous else None, previous_msgid=previous))
    return made


ENTRY_ID = entry_id_of("paragraph", NEW)


@pytest.mark.parametrize("source, previous, translation, refused", [
    (NEW, OLD, STALE, True),  # the figure changed and the translation still says the old one
    (NEW, OLD, "1,340 people came to the meeting.", False),  # fixed
    (NEW, OLD, "1 340 people came.", False),  # written another way, the same fact
    ("На збори прийшли 1 260 мешканців.", OLD, STALE, False),  # only the wording changed
    (NEW, None, STALE, True),  # no previous source recorded: the numbers must agree
    ("Без чисел.", "Без чисел, зовсім.", "No numbers.", False),
])
def test_the_facts_rule(source, previous, translation, refused):
    assert bool(checks.check_facts_changed(source, previous, translation)) == refused


def test_the_refusal_names_both_figures():
    [result] = checks.check_facts_changed(NEW, OLD, STALE)
    assert (result.check, result.level) == ("facts_changed", checks.Level.ERROR)
    assert "now: 1 340" in result.message and "1,260" in result.message


@pytest.mark.parametrize("new", [STALE, "1,260 people came to the meeting!"])
def test_clearing_fuzzy_with_the_old_figure_is_refused_and_changes_nothing(new):
    parsed = fuzzy_catalog()
    with pytest.raises(CheckFailed) as refused:
        decide_save(parsed, KEY, ENTRY_ID, new, STALE, "olena", now=NOW)
    assert [result.check for result in refused.value.results][0] == "facts_changed"
    entry = find_entry(parsed, ENTRY_ID)
    assert entry.fuzzy and entry.msgstr == STALE and entry.previous_msgid == OLD


def test_keeping_it_fuzzy_is_allowed():
    decision = decide_save(fuzzy_catalog(), KEY, ENTRY_ID, "1,260 people came.", STALE, "olena", fuzzy=True, now=NOW)
    assert decision.result.entry.fuzzy


def test_fixing_the_figure_clears_fuzzy_and_completes_the_variant():
    decision = decide_save(fuzzy_catalog(), KEY, ENTRY_ID, "1,340 people came to the meeting.", STALE, "olena", now=NOW)
    assert not decision.result.entry.fuzzy and decision.result.transition.new == "complete"


def test_numbers_checked_clears_fuzzy_and_records_the_flag():
    parsed = fuzzy_catalog()
    decision = decide_save(parsed, KEY, ENTRY_ID, STALE, STALE, "olena", now=NOW, numbers_checked=True)
    entry = find_entry(parsed, ENTRY_ID)
    assert not entry.fuzzy and checks.NUMBERS_CHECKED_FLAG in entry.flags
    assert "#, numbers-checked" in str(entry)
    assert decision.changed == [entry]


def test_the_flag_alone_can_be_set_and_cleared_on_a_reviewed_entry():
    parsed = fuzzy_catalog()
    decide_save(parsed, KEY, ENTRY_ID, STALE, STALE, "olena", now=NOW, numbers_checked=True)
    unchanged = decide_save(parsed, KEY, ENTRY_ID, STALE, STALE, "olena", now=NOW)  # None: leaves it
    assert unchanged.changed == [] and checks.NUMBERS_CHECKED_FLAG in find_entry(parsed, ENTRY_ID).flags
    cleared = decide_save(parsed, KEY, ENTRY_ID, STALE, STALE, "olena", now=NOW, numbers_checked=False)
    assert cleared.changed and checks.NUMBERS_CHECKED_FLAG not in find_entry(parsed, ENTRY_ID).flags


def _uploaded(flags: list[str]) -> polib.POFile:
    uploaded = fuzzy_catalog()
    uploaded[0].flags = flags
    return uploaded


def test_an_upload_that_clears_fuzzy_over_a_changed_number_is_rejected():
    parsed = fuzzy_catalog()
    decision = merge_upload(parsed, _uploaded([]), fuzzy_catalog(), KEY, "olena", NOW)
    [rejected] = decision.report.rejected
    assert rejected["checks"][0].check == "facts_changed" and decision.changed == []
    assert find_entry(parsed, ENTRY_ID).fuzzy


def test_an_upload_with_numbers_checked_clears_fuzzy_and_keeps_the_flag():
    parsed = fuzzy_catalog()
    decision = merge_upload(parsed, _uploaded(["numbers-checked"]), fuzzy_catalog(), KEY, "olena", NOW)
    assert len(decision.report.applied) == 1
    entry = find_entry(parsed, ENTRY_ID)
    assert not entry.fuzzy and checks.NUMBERS_CHECKED_FLAG in entry.flags
