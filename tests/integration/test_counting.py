"""``l10n stats`` must count exactly as ``msgfmt --statistics``."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.config import PROJECT_ROOT
from service.storage.po_files import read_catalog
from service.domain.counting import count_messages

from ..gnu_gettext import msgfmt_statistics
from .test_merge import FOUR_PLURALS, UK_PLURALS, catalog_text

TRICKY = (
    'msgid "plain"\nmsgstr "просто"\n\n'
    '#, fuzzy\nmsgid "fuzzy with text"\nmsgstr "нечітко"\n\n'
    '#, fuzzy\nmsgid "fuzzy but empty"\nmsgstr ""\n\n'
    'msgid "untranslated"\nmsgstr ""\n\n'
    'msgid "%(num)d file"\nmsgid_plural "%(num)d files"\n{full}\n'
    'msgid "%(num)d dog"\nmsgid_plural "%(num)d dogs"\n{first_only}\n'
    'msgid "%(num)d cat"\nmsgid_plural "%(num)d cats"\n{empty}\n'
    '#, fuzzy\nmsgid "%(num)d day"\nmsgid_plural "%(num)d days"\n{full}\n'
    '#~ msgid "obsolete"\n#~ msgstr "застаріле"\n\n'
    '#, fuzzy\n#~ msgid "obsolete fuzzy"\n#~ msgstr "застаріле нечітке"\n'
)


def tricky_catalog(plural_forms: str) -> str:
    n = int(plural_forms.split("=")[1].split(";")[0])
    forms = lambda values: "".join(f'msgstr[{i}] "{v}"\n' for i, v in enumerate(values))  # noqa: E731
    return catalog_text(TRICKY.format(
        full=forms([f"%(num)d форма {i}" for i in range(n)]),
        first_only=forms(["%(num)d пес"] + [""] * (n - 1)),
        empty=forms([""] * n),
    ), plural_forms)


@pytest.mark.parametrize("plural_forms", [UK_PLURALS, FOUR_PLURALS], ids=["3-forms", "4-forms"])
def test_counts_equal_msgfmt_on_plural_fuzzy_and_obsolete_entries(tmp_path: Path, plural_forms):
    path = tmp_path / "tricky.po"
    path.write_text(tricky_catalog(plural_forms), encoding="utf-8")
    counts = count_messages(read_catalog(path))
    assert msgfmt_statistics(path) == {"translated": 3, "fuzzy": 2, "untranslated": 3}
    assert vars(counts) == msgfmt_statistics(path)


def sample_catalogs() -> list[Path]:
    return sorted((PROJECT_ROOT / "locales").rglob("*.po"))


def test_cli_json_equals_msgfmt_on_every_sample_catalog(runner, tree):
    paths = [str(path) for path in sorted((tree / "locales").rglob("*.po"))]
    assert len(paths) >= 7
    result = runner.invoke("stats", "--format", "json", *paths)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [row["file"] for row in rows] == paths
    for row in rows:
        assert {k: row[k] for k in ("translated", "fuzzy", "untranslated")} == msgfmt_statistics(Path(row["file"]))


def test_cli_table_lists_every_file(runner, tmp_path):
    path = tmp_path / "tricky.po"
    path.write_text(tricky_catalog(UK_PLURALS), encoding="utf-8")
    result = runner.invoke("stats", str(path))
    assert result.exit_code == 0
    assert result.output.splitlines()[1].split() == [str(path), "3", "2", "3"]


def test_cli_refuses_a_broken_file_with_its_line(runner, tmp_path):
    path = tmp_path / "broken.po"
    path.write_text('msgid "a"\nmsgstr "b\n', encoding="utf-8")
    result = runner.invoke("stats", str(path))
    assert result.exit_code == 1
    assert f"{path}:2:" in result.output


def test_cli_names_a_file_it_cannot_read(runner, tmp_path, monkeypatch):
    unreadable = tmp_path / "locked.po"
    unreadable.write_text('msgid ""\nmsgstr ""\n')
    real = Path.read_bytes

    def refuse(path):
        if path == unreadable:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = runner.invoke("stats", str(unreadable))
    assert result.exit_code == 1 and f"{unreadable}: cannot read the file: Permission denied" in result.output
