from __future__ import annotations

from pathlib import Path

import pytest

from service.domain.po_format import CatalogError, format_catalog, parse_catalog
from service.storage.po_files import read_catalog

from ..gnu_gettext import msgfmt_check

HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
    '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
)
BAD_INPUTS = {
    "truncated": ((HEADER + 'msgid "Hello"\nmsgstr "Приві').encode(), 7, "end-of-line within string"),
    "truncated-before-msgstr": ((HEADER + 'msgid "Hello"\n').encode(), 6, "missing 'msgstr'"),
    "wrong-charset": ((HEADER + 'msgid "Hello"\nmsgstr "Привіт"\n').encode("cp1251"), 7, "not valid UTF-8"),
    "duplicate": ((HEADER + 'msgid "a"\nmsgstr "б"\n\nmsgid "a"\nmsgstr "в"\n').encode(), 9,
                  "duplicate message definition"),
    "bad-plural-forms": (HEADER.replace("n%100>=20) ? 1 : 2", "n%100>=20) ? 1 :").encode() + b'msgid "a"\nmsgstr "b"\n',
                         4, "invalid Plural-Forms"),
    "missing-plural-form": ((HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "б"\nmsgstr[1] "в"\n').encode(), 6,
                            "nplurals=3"),
    "not-po": (b"Dear editor,\nplease find the text attached.\n", 1, "not PO syntax"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", 1, "not valid UTF-8"),
    "msgstr-without-msgid": ((HEADER + 'msgstr "b"\n').encode(), 6, "msgstr without msgid"),
    "plural-division-by-zero": (HEADER.replace("n%100>=20) ? 1 : 2", "n%100>=20) ? 1 : 2/(n%3)").encode()
                                + b'msgid "a"\nmsgstr "b"\n', 4, "division by zero"),
    "plural-form-out-of-range": (HEADER.replace("nplurals=3", "nplurals=2").encode() + b'msgid "a"\nmsgstr "b"\n', 4,
                                 "nplurals=2"),
    "plural-without-index": ((HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n').encode(), 8, "msgstr[0]"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_po_input_is_refused_with_its_line(name, tmp_path: Path):
    data, line, message = BAD_INPUTS[name]
    path = tmp_path / f"{name}.po"
    path.write_bytes(data)
    with pytest.raises(CatalogError) as caught:
        read_catalog(path, f"{name}.po")
    assert (caught.value.line, message in caught.value.message) == (line, True), str(caught.value)
    assert str(caught.value).startswith(f"{name}.po:{line}: ")
    assert msgfmt_check(path).returncode != 0, "GNU msgfmt accepts what we refuse"


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
