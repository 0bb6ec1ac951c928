"""Broken PO files are refused with their line, as GNU ``msgfmt -c`` refuses them."""
from __future__ import annotations

from pathlib import Path

import pytest

from service.domain.po_format import CatalogError
from service.storage.po_files import read_catalog

from ..gnu_gettext import msgfmt_check
from ..unit.test_pofiles import HEADER


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
