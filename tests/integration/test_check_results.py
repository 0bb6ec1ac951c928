"""``l10n check`` remembers each catalog's results by file identity and checks the rest in worker processes."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from service import pipeline
from service.bootstrap import build_services
from service.config import load_settings
from service.storage import parallel_reads
from service.storage.check_results import CHECK_RESULTS_FILE_NAME

from ..conftest import tree_settings

ARTICLE = "locales/en/LC_MESSAGES/articles/lviv-ryasne-tram-line.po"


@pytest.fixture
def checked_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The catalogs ``l10n check`` reads and checks in this process (remembered ones are not)."""
    seen: list[str] = []
    check_file = pipeline.check_catalog_file

    def counting(path: Path, *args):
        seen.append(path.name)
        return check_file(path, *args)

    monkeypatch.setattr(pipeline, "check_catalog_file", counting)
    return seen


def _break_markup(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('msgstr "What residents will get"', 'msgstr "What *residents will get"'),
                    encoding="utf-8")


def test_a_second_run_reuses_the_results_and_reports_the_same(runner, tree, checked_files):
    _break_markup(tree / ARTICLE)  # something to report
    first = runner.invoke("check", "--format", "json")
    assert checked_files and (tree / "instance" / CHECK_RESULTS_FILE_NAME).is_file()
    checked_files.clear()
    second = runner.invoke("check", "--format", "json")
    assert checked_files == []
    assert second.output == first.output and second.exit_code == first.exit_code == 1
    assert json.loads(second.output)[0]["check"] == "markup"


def test_a_changed_catalog_is_checked_again_and_its_error_still_fails_the_run(runner, tree, checked_files):
    runner.invoke("check")
    _break_markup(tree / ARTICLE)
    checked_files.clear()
    result = runner.invoke("check")
    assert checked_files == ["lviv-ryasne-tram-line.po"]
    assert result.exit_code == 1 and "error: [markup]" in result.output
    checked_files.clear()
    again = runner.invoke("check")  # the error is remembered too: the exit code does not change
    assert checked_files == [] and again.exit_code == 1 and again.output == result.output


def test_results_of_other_options_and_glossaries_are_not_reused(runner, tree, checked_files):
    runner.invoke("check", "--language", "en")
    checked_files.clear()
    runner.invoke("check", "--language", "en", "--fuzzy")
    assert checked_files  # fuzzy entries are checked too: other results
    services = build_services(load_settings(tree_settings(tree)))
    services.glossaries.add("en", "трамвай", "streetcar")
    checked_files.clear()
    result = runner.invoke("check", "--language", "en", "--fuzzy", "--format", "json")
    assert checked_files  # the glossary changed: every English catalog again
    assert any(row["check"] == "glossary" and "streetcar" in row["message"] for row in json.loads(result.output))


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"format": 1, "checks": "other code", "catalogs": {}}',
                                    b'{"format": 1, "checks": null, "catalogs": []}', b"[1, 2]"])
def test_a_damaged_or_foreign_results_file_is_ignored_and_rebuilt(runner, tree, damage, checked_files):
    _break_markup(tree / ARTICLE)
    expected = runner.invoke("check", "--format", "json").output
    remembered = tree / "instance" / CHECK_RESULTS_FILE_NAME
    remembered.write_bytes(damage)
    checked_files.clear()
    result = runner.invoke("check", "--format", "json")
    assert result.output == expected and result.exit_code == 1
    assert checked_files  # checked afresh …
    assert json.loads(remembered.read_bytes())["format"] == 1  # … and remembered again


def test_a_reader_replica_checks_without_remembering(runner, tree, monkeypatch):
    monkeypatch.setenv("L10N_READERS_ONLY", "1")
    assert runner.invoke("check").exit_code == 0
    assert not (tree / "instance" / CHECK_RESULTS_FILE_NAME).exists()


def test_an_unwritable_instance_folder_still_gives_the_results(runner, tree, monkeypatch):
    blocked = tree / "not-a-folder"
    blocked.write_text("a file where the instance folder should be")
    monkeypatch.setenv("L10N_INSTANCE_DIR", str(blocked / "instance"))
    _break_markup(tree / ARTICLE)
    result = runner.invoke("check", "--format", "json")
    assert result.exit_code == 1 and json.loads(result.output)[0]["check"] == "markup"


def _many_catalogs(tree: Path, copies: int) -> None:
    """Give the tree ``copies`` more English article catalogs (one with a markup error)."""
    source = tree / ARTICLE
    for number in range(copies):
        shutil.copy(source, source.with_name(f"copy-{number:02d}.po"))
    _break_markup(source.with_name("copy-07.po"))


def test_parallel_and_serial_runs_report_the_same(runner, tree):
    _many_catalogs(tree, 2 * pipeline.CATALOGS_PER_PROCESS)
    remembered = tree / "instance" / CHECK_RESULTS_FILE_NAME
    serial = runner.invoke("check", "--jobs", "1", "--format", "json")
    remembered.unlink()
    parallel = runner.invoke("check", "--jobs", "2", "--format", "json")
    assert parallel.exit_code == serial.exit_code == 1
    assert parallel.output == serial.output
    assert "copy-07.po" in parallel.output
    table_serial = runner.invoke("check", "--jobs", "1").output  # remembered now
    remembered.unlink()
    assert runner.invoke("check", "--jobs", "2").output == table_serial


def test_parallel_checks_run_in_worker_processes(tree, monkeypatch):
    _many_catalogs(tree, 2 * pipeline.CATALOGS_PER_PROCESS)
    services = build_services(load_settings(tree_settings(tree)))
    started: list[int] = []
    real_executor = parallel_reads.ProcessPoolExecutor

    def counting_executor(processes: int, **kwargs):
        started.append(processes)
        return real_executor(processes, **kwargs)

    monkeypatch.setattr(parallel_reads, "ProcessPoolExecutor", counting_executor)
    glossaries = {language: services.glossary_of(language) for language in services.languages}
    found = pipeline.check_all(services.layout, services.languages, glossaries, False, tree / "x.json", processes=2)
    assert started == [2]
    assert [(catalog.language, catalog.domain) for catalog in found] == [
        (language, domain) for language, domain, _path in services.layout.catalog_files(services.languages)]
    started.clear()
    pipeline.check_all(services.layout, ["uk"], glossaries, False, tree / "y.json", processes=2)
    assert started == []  # a few catalogs: checked in this process


def test_no_progress_bar_when_output_is_not_a_terminal(runner):
    result = runner.invoke("check")
    assert "checking" not in result.output and "%" not in result.output.splitlines()[-1]


@pytest.mark.parametrize("module", ["pipeline.py", "storage/po_files.py", "domain/checks/__init__.py"])
def test_the_remembered_results_name_the_code_that_builds_the_rows_not_only_the_checks(tmp_path, monkeypatch, module):
    """A change in how rows are built or files read (pipeline, storage) makes every result stale, as a check's does."""
    from service.storage import check_results

    code = tmp_path / "service"
    shutil.copytree(check_results._CODE_DIR, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(check_results, "_CODE_DIR", code)
    check_results.checks_version.cache_clear()
    before = check_results.checks_version()
    with open(code / module, "a", encoding="utf-8") as changed:
        changed.write("\n# a change\n")
    check_results.checks_version.cache_clear()
    try:
        assert check_results.checks_version() != before
    finally:
        check_results.checks_version.cache_clear()
