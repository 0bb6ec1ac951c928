"""Catalog figures agree with GNU ``msgfmt --statistics``; a broken catalog file is reported with its line."""
from __future__ import annotations

import subprocess

import pytest

from service.domain.statistics import scan_statistics
from service.storage.figures import load_statistics
from service.config import PROJECT_ROOT
from service.domain.po_format import CatalogError

from ..unit.test_statistics import HEADER, TRICKY


@pytest.mark.parametrize("path", [PROJECT_ROOT / "locales/en/LC_MESSAGES/articles/lviv-ryasne-tram-line.po",
                                  PROJECT_ROOT / "locales/uk/LC_MESSAGES/messages.po"], ids=lambda path: path.name)
def test_counts_match_msgfmt_statistics(path, tmp_path):
    tricky = tmp_path / "tricky.po"
    tricky.write_text(TRICKY, encoding="utf-8")
    for catalog in (path, tricky):
        output = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(catalog)],
                                capture_output=True, text=True, check=True).stderr
        figures = scan_statistics(catalog.read_text(encoding="utf-8"))
        expected = _msgfmt_counts(output)
        assert (figures.translated, figures.fuzzy, figures.untranslated) == expected


def _msgfmt_counts(output: str) -> tuple[int, int, int]:
    import re

    found = {kind: 0 for kind in ("translated", "fuzzy", "untranslated")}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", output):
        found[kind] = int(number)
    return found["translated"], found["fuzzy"], found["untranslated"]


def test_broken_catalog_is_reported_with_its_line(tmp_path):
    path = tmp_path / "broken.po"
    path.write_text(HEADER + 'msgid "a"\nmsgstr "b"\nmsgid "a"\nmsgstr "c"\n', encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        load_statistics(path, "broken.po")
    assert raised.value.path == "broken.po" and raised.value.line > 1
