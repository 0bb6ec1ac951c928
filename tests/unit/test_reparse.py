"""Another process's write is read again by parsing only the runs of lines it changed, with the whole parse's result."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.domain.po_format import CatalogError, parse_catalog
from service.domain.po_reparse import ParsedCatalog, reparse_catalog

HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n')
ENTRIES = [
    '#: a.md:1\nmsgctxt "paragraph"\nmsgid "Один"\nmsgstr "One"\n',
    '#, fuzzy\nmsgid "Два"\nmsgstr ""\n"Two, "\n"wrapped by hand"\n',
    'msgid "%d кіт"\nmsgid_plural "%d коти"\nmsgstr[0] "%d cat"\nmsgstr[1] "%d cats"\n',
    '#~ msgid "Старе"\n#~ msgstr "Old"\n',
]
TEXT = "\n".join([HEADER, *ENTRIES])


def described(catalog):
    """Everything a parse gives: the header and every field of every entry, line numbers included."""
    return (catalog.header, catalog.metadata, catalog.metadata_is_fuzzy, [entry.__dict__ for entry in catalog])


def parsed_again(text: str, previous_text: str = TEXT) -> ParsedCatalog:
    previous = reparse_catalog(previous_text.encode("utf-8"), "test.po")
    assert previous.runs is not None
    return reparse_catalog(text.encode("utf-8"), "test.po", previous)


def test_a_changed_entry_is_parsed_alone_and_the_others_are_reused_at_their_new_lines():
    previous = reparse_catalog(TEXT.encode("utf-8"), "test.po")
    text = TEXT.replace('msgstr "One"', 'msgstr ""\n"One,\\n"\n"and more"').replace("n != 1", "n!=1")
    again = reparse_catalog(text.encode("utf-8"), "test.po", previous)
    assert described(again.catalog) == described(parse_catalog(text.encode("utf-8"), "test.po"))
    assert again.catalog[2] is not previous.catalog[2]  # moved down two lines: a copy, the cached one untouched
    assert previous.catalog[2].linenum == TEXT.split("\n").index('msgid "%d кіт"') + 1


def test_entries_before_the_change_are_reused_as_they_are():
    previous = reparse_catalog(TEXT.encode("utf-8"), "test.po")
    again = reparse_catalog(TEXT.replace('"Old"', '"Older"').encode("utf-8"), "test.po", previous)
    assert again.catalog[0] is previous.catalog[0] and again.catalog[3].msgstr == "Older"


def test_the_same_bytes_give_the_same_parse():
    previous = reparse_catalog(TEXT.encode("utf-8"), "test.po")
    assert reparse_catalog(TEXT.encode("utf-8"), "test.po", previous) is previous


@pytest.mark.parametrize("text, line", [
    (TEXT.replace('msgstr "One"', 'msgstr "One'), 9),  # the closing quote missing
    (TEXT.replace('msgid "Два"', 'msgid "Два"\nmsgctxt "x"'), 13),  # msgctxt after msgid
    (TEXT.replace('msgctxt "paragraph"\nmsgid "Один"', 'msgid "Два"'), 10),  # a duplicate of the next entry
])
def test_a_problem_in_a_changed_run_is_reported_at_the_files_own_line(text, line):
    with pytest.raises(CatalogError) as raised:
        parsed_again(text)
    assert raised.value.line == line


def test_a_changed_plural_rule_is_parsed_whole():
    text = TEXT.replace("nplurals=2; plural=(n != 1);", "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);")
    with pytest.raises(CatalogError, match="nplurals=3"):
        parsed_again(text)


@pytest.mark.parametrize("text", [
    TEXT.replace('msgstr "One"\n\n#, fuzzy', 'msgstr "One"\n#, fuzzy'),  # two entries in one run of lines
    TEXT.replace("\n", "\r\n"),  # line ends polib counts differently
    TEXT.replace("Old", "Old\u2028"),  # a character polib would break lines at
])
def test_a_layout_without_one_entry_per_run_is_not_described_for_later(text):
    assert reparse_catalog(text.encode("utf-8"), "test.po").runs is None


def test_what_a_write_describes_is_what_reading_describes():
    catalog = parse_catalog(TEXT.encode("utf-8"), "test.po")
    assert ParsedCatalog.of(TEXT.encode("utf-8"), catalog) == reparse_catalog(TEXT.encode("utf-8"), "test.po")


_PIECE = st.sampled_from([
    'msgid "x"\nmsgstr "y"\n', '#~ msgid "x"\n#~ msgstr "y"\n', '#: b.md:2\n', '"z"\n', 'msgctxt "c"\n', "\n", "\n\n",
    'msgstr[0] "q"\n', 'msgstr[1] "r"\n', '#| msgid "p"\n', '#~| msgid "o"\n', 'msgid_plural "n"\n', 'msgstr "\\q"\n',
    '#, fuzzy\n', '#~ "w"\n', 'msgid "Два"\n', 'msgstr ""\n', "# note\n", "  \n",
    '"Plural-Forms: nplurals=1; plural=0;\\n"\n',
])


@given(st.lists(st.tuples(st.integers(0, len(ENTRIES)), st.lists(_PIECE, min_size=1, max_size=4)), max_size=3))
def test_whatever_the_change_reparsing_gives_what_parsing_whole_gives(edits):
    runs = [HEADER, *ENTRIES]
    for index, pieces in edits:
        runs[index] = runs[index] + "".join(pieces) if index == 0 else "".join(pieces)
    text = "\n".join(runs)
    try:
        whole = parse_catalog(text.encode("utf-8"), "test.po")
    except CatalogError as error:
        with pytest.raises(CatalogError) as raised:
            parsed_again(text)
        assert str(raised.value) == str(error)
        return
    assert described(parsed_again(text).catalog) == described(whole)
