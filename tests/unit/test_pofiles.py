"""The strict PO parser and writer: byte-for-byte round trips, GNU wrapping, refusals with a line."""
from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from service.domain.po_format import CatalogError, format_catalog, parse_catalog
from service.domain.po_syntax import check_syntax, string_problem


HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
    '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
)


def test_good_catalog_round_trips_byte_for_byte():
    text = (
        "# Translator notes\n#\n"
        + HEADER
        + '# keep me\n#. paragraph 2\n#: content/a.md:5 content/a.md:9\n#, fuzzy, python-format\n'
        '#| msgctxt "paragraph"\n#| msgid "Old %(x)s"\nmsgctxt "paragraph"\nmsgid "New %(x)s"\nmsgstr "Нове %(x)s"\n\n'
        'msgid ""\n"two\\n"\n"lines"\nmsgstr ""\n"два\\n"\n"рядки"\n\n'
        'msgid "%d minute"\nmsgid_plural "%d minutes"\nmsgstr[0] "%d хвилина"\nmsgstr[1] "%d хвилини"\nmsgstr[2] "%d хвилин"\n\n'
        '#, fuzzy\n#~| msgid "Gone before"\n#~ msgid "Gone"\n#~ msgstr "Пішло"\n'
    )
    assert format_catalog(parse_catalog(text.encode(), "x.po")) == text


def test_references_wrap_at_79_columns_like_gnu():
    references = " ".join(f"content/some-long-article-name.md:{n}" for n in range(1, 5))
    text = HEADER + f"#: {references}\nmsgid \"a\"\nmsgstr \"\"\n"
    written = format_catalog(parse_catalog(text.encode(), "x.po"))
    reference_lines = [line for line in written.splitlines() if line.startswith("#:")]
    assert all(len(line) <= 79 for line in reference_lines)
    assert " ".join(line[3:] for line in reference_lines) == references


def test_a_codec_that_is_not_a_charset_is_refused():
    data = (HEADER.replace("charset=UTF-8", "charset=base64") + 'msgid "a"\nmsgstr "b"\n').encode()
    with pytest.raises(CatalogError, match="x.po:3: unknown charset 'base64'"):
        parse_catalog(data, "x.po")


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f"])
def test_a_control_character_in_a_string_is_refused_with_its_line(character):
    # GNU msgfmt lets a NUL through, and the .mo then cuts the translation short at it.
    data = (HEADER + f'msgid "Hello"\nmsgstr "При{character}віт"\n').encode()
    with pytest.raises(CatalogError) as caught:
        parse_catalog(data, "upload.po")
    assert caught.value.line == 7 and f"U+{ord(character):04X}" in caught.value.message


def test_plural_forms_header_is_read_with_its_spaces_and_final_semicolon_optional():
    from service.domain.po_format import parse_plural_forms

    assert parse_plural_forms(" nplurals = 2 ; plural = (n != 1) ; ") == (2, "(n != 1)")
    assert parse_plural_forms("nplurals=2; plural=n != 1") == (2, "n != 1")
    for broken in ("nplurals=2; plural=;", "nplurals=2; plural=", "nplurals=2;", "plural=n"):
        with pytest.raises(ValueError, match="is not 'nplurals=N"):
            parse_plural_forms(broken)


@given(st.text(alphabet='"\\ntrx07q? \t\x01\u00a0\u2028é', max_size=14))
@example('ok" ')
@example('\\"')
@example('a\\')
@example('\\q"')
@example('" x')
def test_a_string_line_is_judged_as_the_character_by_character_reading_judges_it(rest):
    literal = ('"' + rest).rstrip()
    try:
        check_syntax("x.po", f'msgid {literal}\nmsgstr ""\n')
        problem = None
    except CatalogError as error:
        problem = error.message
    assert problem == string_problem(literal)
