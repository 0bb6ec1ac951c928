"""``l10n coverage`` exit codes and table; every command refuses a missing locales folder."""
from __future__ import annotations

import pytest


def test_fail_under_exit_codes(runner):
    # the lowest sample catalog is the lynx article in English: 63.6%
    assert runner.invoke("coverage", "--fail-under", "63.6").exit_code == 0
    failed = runner.invoke("coverage", "--fail-under", "63.7")
    assert failed.exit_code == 1 and "carpathian-lynx-camera-traps" in failed.output
    assert runner.invoke("coverage", "--language", "uk", "--fail-under", "100").exit_code == 0
    assert runner.invoke("coverage", "--language", "en", "--fail-under", "100").exit_code == 1
    assert runner.invoke("coverage", "--fail-under", "0").exit_code == 0
    assert runner.invoke("coverage", "--language", "de").exit_code == 2
    assert runner.invoke("coverage", "--fail-under", "101").exit_code == 2
    refused = runner.invoke("coverage", "--fail-under", "nan")  # no percent is below nan: a gate that never fails
    assert refused.exit_code == 2 and "nan is not a percentage" in refused.output


@pytest.mark.parametrize("command", [["coverage", "--fail-under", "100"], ["update"], ["compile"], ["check"]])
def test_a_missing_locales_directory_is_an_error_not_an_empty_report(runner, tree, monkeypatch, command):
    monkeypatch.setenv("L10N_LOCALES_DIR", str(tree / "no-such-dir"))
    result = runner.invoke(*command)
    assert result.exit_code == 1
    assert "no-such-dir: the locales directory does not exist" in result.output
    assert not (tree / "no-such-dir").exists()


def test_table_is_readable(runner):
    output = runner.invoke("coverage", "--language", "en").output
    header, *lines = output.splitlines()
    assert header.split()[:3] == ["lang", "domain", "state"]
    lviv = next(line for line in lines if "lviv-ryasne-tram-line" in line)
    assert "stale" in lviv and "93.3%" in lviv and "2026-11-25 09:10" in lviv
    assert "en: 91.3% of 58 messages translated" in output  # the Chernihiv image's alt text and caption count too


def test_table_shows_stale_since_in_the_newsroom_time_zone(runner, tree, monkeypatch):
    # `l10n update` writes X-Stale-Since in UTC while older headers carry +02:00: the table must
    # not print both clocks side by side as if they were one (the dashboard shows Kyiv time)
    path = tree / "locales" / "en" / "LC_MESSAGES" / "articles" / "lviv-ryasne-tram-line.po"
    text = path.read_text(encoding="utf-8")
    assert '"X-Stale-Since: 2026-11-25T09:10+02:00\\n"' in text
    path.write_text(text.replace("2026-11-25T09:10+02:00", "2026-11-25T12:29+00:00"), encoding="utf-8")
    lviv = next(line for line in runner.invoke("coverage", "--language", "en").output.splitlines()
                if "lviv-ryasne-tram-line" in line)
    assert "2026-11-25 14:29" in lviv
    monkeypatch.setenv("L10N_TIMEZONE", "UTC")
    monkeypatch.setenv("L10N_COVERAGE_REVALIDATE_EVERY", "0")
    lviv = next(line for line in runner.invoke("coverage", "--language", "en").output.splitlines()
                if "lviv-ryasne-tram-line" in line)
    assert "2026-11-25 12:29" in lviv
