"""A save rewrites only its entries in the old text, judged by reading those pieces back alone."""
from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.domain.editing import CheckFailed
from service.domain.po_format import (
    copy_catalog,
    format_catalog,
    parse_catalog,
    splice_catalog,
)
from service.domain.write_check import entry_keys, verify_spliced

HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n')
TEXT = HEADER + (
    '\n#: a.md:1\nmsgctxt "paragraph"\nmsgid "Один"\nmsgstr "One"\n'
    '\n#, fuzzy\nmsgid "Два"\nmsgstr ""\n"Two, "\n"wrapped by hand"\n'
    '\nmsgid "%d кіт"\nmsgid_plural "%d коти"\nmsgstr[0] "%d cat"\nmsgstr[1] "%d cats"\n'
    '\n#~ msgid "Старе"\n#~ msgstr "Old"\n'
)


def parsed(text: str = TEXT):
    return parse_catalog(text.encode("utf-8"), "test.po")


def test_a_splice_rewrites_only_the_header_and_the_named_entry_and_moves_the_line_numbers():
    catalog = parsed()
    entry = catalog[0]
    entry.msgstr = "One,\nand more"  # now three lines instead of one
    catalog.metadata["Last-Translator"] = "olena"
    spliced = splice_catalog(TEXT, catalog, [entry])
    assert spliced is not None
    assert '"Two, "\n"wrapped by hand"' in spliced  # the other entries keep their layout
    again = parsed(spliced)
    assert format_catalog(again) == format_catalog(catalog)
    assert [e.linenum for e in again] == [e.linenum for e in catalog]  # catalog is what the text reads as


@pytest.mark.parametrize("text", [
    TEXT.replace('msgstr "One"\n\n#, fuzzy', 'msgstr "One"\n#, fuzzy'),  # two entries in one run of lines
    TEXT.replace('msgid "Один"\n', 'msgid "Один"\n\n'),  # an entry split by a blank line
    TEXT.replace("\n", "\r\n"),  # line ends polib counts differently
])
def test_a_layout_where_an_entry_has_no_run_of_lines_of_its_own_is_not_spliced(text):
    catalog = parsed(text)
    catalog[0].msgstr = "Uno"
    assert splice_catalog(text, catalog, [catalog[0]]) is None


def test_a_changed_plural_rule_is_not_spliced():
    catalog = parsed()
    catalog.metadata["Plural-Forms"] = "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);"
    assert splice_catalog(TEXT, catalog, [catalog[0]]) is None


def test_a_piece_that_would_not_read_back_as_meant_is_not_spliced():
    catalog = parsed()
    catalog[0].msgstr = "bad \x00 text"  # refused by the reader
    assert splice_catalog(TEXT, catalog, [catalog[0]]) is None


@given(st.lists(st.tuples(st.integers(0, 2), st.text(alphabet="ab \n\"\\%\t", max_size=12)), max_size=4))
def test_whatever_is_spliced_reads_back_as_the_catalog(edits):
    catalog = parsed()
    text = TEXT
    for index, value in edits:
        entry = catalog[index]
        before = copy.deepcopy(catalog)
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value, 1: value}
        else:
            entry.msgstr = value
        spliced = splice_catalog(text, catalog, [entry])
        if spliced is None:  # refused: nothing to check, and the text stays as it was
            catalog = before
            continue
        again = parsed(spliced)
        assert format_catalog(again) == format_catalog(catalog)
        assert [e.linenum for e in again] == [e.linenum for e in catalog]
        text = spliced


def test_a_copy_can_be_changed_without_touching_the_original():
    original = parsed()
    shown = format_catalog(original)
    copied = copy_catalog(original)
    assert format_catalog(copied) == shown
    copied[0].msgstr = "Uno"
    copied[1].flags.remove("fuzzy")
    copied[2].msgstr_plural[0] = "%d кіт"
    copied[0].occurrences.append(("b.md", "2"))
    copied.metadata["Last-Translator"] = "olena"
    copied.metadata_is_fuzzy.append("fuzzy")
    assert format_catalog(original) == shown


def test_an_entry_changed_without_being_named_is_refused():
    catalog = parsed()
    before = entry_keys(catalog)
    catalog[0].msgstr = "Uno"
    catalog[1].msgstr = "Dos"  # changed, but not named: the spliced text would not say it
    with pytest.raises(CheckFailed, match="differs"):
        verify_spliced(catalog, [catalog[0]], before)
    verify_spliced(catalog, [catalog[0], catalog[1]], before)


def test_a_named_entry_that_would_not_compile_is_refused():
    catalog = parsed()
    before = entry_keys(catalog)
    catalog[0].msgstr = "One\n"  # msgfmt -c: the source does not end with a line break
    with pytest.raises(CheckFailed, match="line break"):
        verify_spliced(catalog, [catalog[0]], before)
