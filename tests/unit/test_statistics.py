"""The statistics scanner agrees with the strict parser and polib on the samples and on tricky entries."""
from __future__ import annotations

import polib
import pytest

from service.domain.articles import count_words
from service.storage.sources import load_article
from service.domain.statistics import ScanError, scan_statistics, source_words, statistics_of
from service.config import PROJECT_ROOT
from service.domain.po_format import parse_catalog
from service.storage.po_files import read_catalog


SAMPLES = sorted((PROJECT_ROOT / "locales").rglob("*.po")) + sorted((PROJECT_ROOT / "locales").rglob("*.pot"))

HEADER = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"
"X-Completed: 2026-11-01T10:00+02:00\\n"

'''
TRICKY = HEADER + '''#, fuzzy
#| msgid "Було 14 місяців"
msgid "Буде 16 місяців"
msgstr "It was 14 months"

#, fuzzy
#| msgid "Кома, 3,5"
msgid "Кома 3.5"
msgstr "Comma 3.5"

#, fuzzy
msgid "Порожній нечіткий"
msgstr ""

#, python-format
msgid "%(num)d minute"
msgid_plural "%(num)d minutes"
msgstr[0] "%(num)d хвилина"
msgstr[1] ""
msgstr[2] "%(num)d хвилин"

msgctxt "paragraph"
msgid ""
"Багаторядковий \\"рядок\\" "
"із [посиланням](https://example.org \\"назва сторінки\\")"
msgstr "A \\"multi-line\\" string"

msgid "Нетранслітерований"
msgstr ""

#, fuzzy
#~| msgid "Старе 1"
#~ msgid "Застаріле 2"
#~ msgstr "Obsolete"

msgid "Після застарілого"
msgstr "After the obsolete one"
'''


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_scanner_agrees_with_the_polib_reference_on_the_samples(path):
    assert scan_statistics(path.read_text(encoding="utf-8")) == statistics_of(read_catalog(path))


def test_scanner_agrees_with_the_reference_on_tricky_entries():
    scanned = scan_statistics(TRICKY)
    assert scanned == statistics_of(parse_catalog(TRICKY.encode(), "tricky.po"))
    # msgfmt: the fuzzy entry with an empty msgstr is untranslated; the plural entry is one message
    assert (scanned.translated, scanned.fuzzy, scanned.untranslated) == (3, 2, 2)
    assert scanned.complete == 2  # the plural entry misses a form
    assert scanned.facts_changed == 1  # 14 → 16; the comma edit is not a fact


def test_source_words_equal_count_words_on_every_sample_segment():
    for article in (load_article(path, ["uk", "en"], str(path)) for path in sorted((PROJECT_ROOT / "content").glob("*.md"))):
        for segment in article.segments:
            assert source_words(segment.text) == count_words([segment.text]), segment.text
    linked = "читайте [звіт міської ради](https://example.org/a \"звіт\") тут"
    assert source_words(linked) == count_words([linked]) == 5


@pytest.mark.parametrize("text", [
    HEADER + 'msgid "a"\nmsgstr "b"\nmsgid "a"\nmsgstr "c"\n',  # duplicate
    HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[1] "c"\n',  # 2 forms, nplurals=3
    HEADER + 'msgid "a\nmsgstr "b"\n',  # unterminated string
    HEADER + 'msgid "a"\n',  # no msgstr
    HEADER + 'msgid "a"\nmsgstr "b"\nbogus "x"\n',
    HEADER + 'msgid "a"\nmsgstr "\\q"\n',  # invalid escape
])
def test_scanner_refuses_what_the_strict_parser_must_judge(text):
    with pytest.raises(ScanError):
        scan_statistics(text)


def test_polib_statistics_differ_from_msgfmt_where_ours_do_not():
    # the reason we count ourselves: polib calls the empty fuzzy entry fuzzy, msgfmt untranslated
    catalog = polib.pofile(TRICKY)
    assert len(catalog.fuzzy_entries()) == 3
    assert statistics_of(parse_catalog(TRICKY.encode(), "t.po")).fuzzy == 2


@pytest.mark.parametrize("path", [path for path in SAMPLES if path.suffix == ".po"], ids=lambda path: path.name)
def test_state_from_statistics_equals_variant_state(path):
    from service.domain.coverage import catalog_state
    from service.domain.variant_state import variant_state

    catalog = read_catalog(path)
    assert catalog_state(scan_statistics(path.read_text(encoding="utf-8"))) == variant_state(catalog)
