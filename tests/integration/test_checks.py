"""``l10n check`` over a private tree, and the placeholder check agreeing with GNU ``msgfmt -c``."""
from __future__ import annotations

import json

import polib
import pytest

from service.domain.checks import has_errors, run_checks


def test_sample_catalogs_pass_the_checks(runner):
    result = runner.invoke("check")
    assert result.exit_code == 0, result.output


def test_check_command_exits_1_on_an_error_and_names_the_line(runner, tree):
    path = tree / "locales/en/LC_MESSAGES/articles/lviv-ryasne-tram-line.po"
    text = path.read_text()
    path.write_text(text.replace('msgstr "What residents will get"', 'msgstr "What *residents will get"'))
    result = runner.invoke("check", "--language", "en")
    assert result.exit_code == 1
    line = next(number for number, content in enumerate(path.read_text().splitlines(), 1)
                if content == "#. subheading 1")  # the entry starts there
    assert f"lviv-ryasne-tram-line.po:{line}: error: [markup]" in result.output
    rows = json.loads(runner.invoke("check", "--format", "json").output)
    assert {row["check"] for row in rows if row["level"] == "error"} == {"markup"}
    assert all(row["language"] == "en" for row in rows)


def test_check_command_reports_a_broken_catalog_with_its_line(runner, tree):
    path = tree / "locales/uk/LC_MESSAGES/messages.po"
    path.write_text(path.read_text() + '\nmsgid "Broken\n')
    result = runner.invoke("check", "--language", "uk")
    assert result.exit_code == 1
    assert "messages.po:" in result.output and "error: [catalog]" in result.output


def test_check_command_refuses_an_unknown_language(runner):
    result = runner.invoke("check", "--language", "xx")
    assert result.exit_code == 2


@pytest.mark.parametrize("translation, refused", [
    ("Оновлено %(date)s на 100%", True),
    ("Оновлено 100% у %(date)s", True),  # "% у" is no directive either
    ("Оновлено %(date)s на 100%%", False),
    ("Оновлено %(date)s", False),
])
def test_a_lone_percent_in_a_python_format_translation_is_an_error_as_msgfmt_says(translation, refused, tmp_path):
    from ..gnu_gettext import msgfmt_check

    source = "Updated on %(date)s"
    results = run_checks(source, translation, language="uk", flags=["python-format"])
    assert has_errors(results) == refused, results
    path = tmp_path / "messages.po"
    entry = polib.POEntry(msgid=source, msgstr=translation, flags=["python-format"])
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalog.append(entry)
    catalog.save(str(path))
    assert (msgfmt_check(path).returncode != 0) == refused
